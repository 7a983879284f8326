//! The chain as the tests drive it: dev keys and their accounts, a [`Client`] that
//! signs and submits the LIVE contract's calls and reads its state, and the
//! contract's events read straight from the node.

use crate::process::artifacts;
use anyhow::{anyhow, bail, Context, Result};
use livestars_indexer::config::{parse_account, Deployment};
use livestars_indexer::decode::AccountId;
use livestars_indexer::source::ChainSource;
use livestars_indexer::store::RawEvent;
use parity_scale_codec::{Decode, Encode};
use std::collections::HashMap;
use std::time::{Duration, Instant};
use subxt::config::RpcConfigFor;
use subxt::dynamic::Value;
use subxt::rpcs::{LegacyRpcMethods, RpcClient};
use subxt::PolkadotConfig;
use subxt_signer::sr25519::Keypair;
use subxt_signer::SecretUri;

/// One LIVE in base units (12 decimals).
pub const LIVE: u128 = 1_000_000_000_000;

/// Gas limit of every contract call: well above what a tip with a fee and one split
/// uses (`scripts/contract-report`). Blocks are filled by these limits, so they
/// decide how many calls fit in one.
pub const CALL_REF_TIME: u64 = 16_000_000_000;
/// Proof-size limit of every contract call.
pub const CALL_PROOF_SIZE: u64 = 1_200_000;
/// Tips in one extrinsic that fill a block's normal-class weight with these limits
/// (measured on the dev node: one more is refused as exhausting the block).
pub const TIPS_PER_FULL_BLOCK: usize = 78;

/// A dev keypair from a URI such as `//Alice`.
pub fn key(uri: &str) -> Keypair {
    let uri: SecretUri = uri.parse().expect("a valid URI");
    Keypair::from_uri(&uri).expect("a dev key")
}

/// The 32-byte account of a keypair.
pub fn account(key: &Keypair) -> AccountId {
    key.public_key().to_account_id().0
}

/// A keypair's account in SS58, as the API shows accounts.
pub fn ss58_of(key: &Keypair) -> String {
    livestars_indexer::config::ss58(&account(key))
}

/// Parses an SS58 account the API returned.
pub fn ss58_account(text: &str) -> AccountId {
    parse_account(text).expect("the API returns valid accounts")
}

/// Signs and submits calls to the LIVE contract, waiting for each to be in a block.
///
/// Through the indexer's [`ChainSource`], so subxt's legacy backend only
/// (`author_submitAndWatchExtrinsic`, plain `chain_*`/`state_*` calls): its default backend
/// watches transactions through a `chainHead_follow` subscription, which a busy node
/// ends ("chainHead_follow stream ended unexpectedly"); once it has, every
/// submission through that client fails.
pub struct Client {
    legacy: LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>,
    pub deployment: Deployment,
    /// Message selectors by label, from the built metadata.
    selectors: HashMap<String, Vec<u8>>,
    /// Submissions and reads of the contract's state (dry runs), over the same
    /// connection.
    source: ChainSource,
}

impl Client {
    /// Connects to `url`; message selectors come from the built metadata.
    pub async fn connect(url: &str, deployment: &Deployment) -> Result<Self> {
        let rpc = RpcClient::from_insecure_url(url).await?;
        let path = artifacts().join("live_token.json");
        let metadata: serde_json::Value = serde_json::from_slice(
            &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
        )?;
        let mut selectors = HashMap::new();
        for message in metadata["spec"]["messages"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let label = message["label"].as_str().unwrap_or_default().to_owned();
            let selector = message["selector"].as_str().unwrap_or_default();
            selectors.insert(label, hex::decode(selector.trim_start_matches("0x"))?);
        }
        Ok(Self {
            legacy: LegacyRpcMethods::new(rpc.clone()),
            deployment: deployment.clone(),
            selectors,
            source: ChainSource::from_rpc(rpc, deployment.live_token).await?,
        })
    }

    /// The answer of the query `message` with `args` in the best block's state.
    pub async fn read<T: Decode>(&self, message: &str, args: impl Encode) -> Result<T> {
        let mut input = self
            .selectors
            .get(message)
            .ok_or_else(|| anyhow!("no message {message} in live_token"))?
            .clone();
        args.encode_to(&mut input);
        self.source.read(input).await.context(message.to_owned())
    }

    /// The `Contracts.call` of `message` with SCALE-encoded `args`, as a value that
    /// can be submitted alone or inside `Utility.batch_all`.
    pub fn call(&self, message: &str, args: impl Encode, value: u128) -> Value {
        let mut data = self
            .selectors
            .get(message)
            .unwrap_or_else(|| panic!("no message {message} in live_token"))
            .clone();
        args.encode_to(&mut data);
        Value::unnamed_variant(
            "Contracts",
            [Value::named_variant(
                "call",
                [
                    (
                        "dest",
                        Value::unnamed_variant(
                            "Id",
                            [Value::from_bytes(self.deployment.live_token)],
                        ),
                    ),
                    ("value", Value::u128(value)),
                    (
                        "gas_limit",
                        Value::named_composite([
                            ("ref_time", Value::u128(CALL_REF_TIME.into())),
                            ("proof_size", Value::u128(CALL_PROOF_SIZE.into())),
                        ]),
                    ),
                    ("storage_deposit_limit", Value::unnamed_variant("None", [])),
                    ("data", Value::from_bytes(data)),
                ],
            )],
        )
    }

    /// Submits `calls` from `signer` in one extrinsic (`Utility.batch_all`) and waits until it is in a block; fails if any call failed.
    /// Returns the block number.
    pub async fn submit(&self, signer: &Keypair, calls: Vec<Value>) -> Result<u32> {
        // One call or many: batch_all makes them one extrinsic that succeeds or
        // fails as a whole.
        let payload = subxt::dynamic::tx(
            "Utility",
            "batch_all",
            Value::named_composite([("calls", Value::unnamed_composite(calls))]),
        );
        Ok(self.source.sign_and_submit(signer, &payload).await?)
    }

    /// The finalized head's number.
    pub async fn finalized_head(&self) -> Result<u32> {
        let hash = self.legacy.chain_get_finalized_head().await?;
        let header = self
            .legacy
            .chain_get_header(Some(hash))
            .await?
            .ok_or_else(|| anyhow!("the finalized head has no header"))?;
        Ok(u32::try_from(header.number)?)
    }

    /// Waits until block `number` is finalized.
    pub async fn wait_finalized(&self, number: u32) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.finalized_head().await? < number {
            if Instant::now() > deadline {
                bail!("block {number} not finalized in time");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    // Calls of the LIVE contract, by meaning.

    pub fn register(&self, profile: [u8; 32], max_fee_bps: u16) -> Value {
        self.call("register", (profile, max_fee_bps), 0)
    }

    /// Attests (as an allow-listed verifier: //Alice after `scripts/deploy`) that
    /// `performer` is 18+, which tips to them need.
    pub fn attest(&self, performer: AccountId) -> Value {
        self.call("set_adult_attestation", (performer, true), 0)
    }

    /// Lists (`allowed`) or delists an 18+ verifier; the owner (//Alice) only.
    pub fn set_verifier(&self, verifier: AccountId, allowed: bool) -> Value {
        self.call("set_verifier", (verifier, allowed), 0)
    }

    pub fn transfer(&self, to: AccountId, amount: u128) -> Value {
        self.call("PSP22::transfer", (to, amount, Vec::<u8>::new()), 0)
    }

    /// A LIVE tip from the caller's own balance (no approval needed).
    pub fn tip(&self, performer: AccountId, amount: u128, memo: Option<[u8; 32]>) -> Value {
        self.call("tip", (performer, amount, memo), 0)
    }

    pub fn tip_native(&self, performer: AccountId, amount: u128) -> Value {
        self.call("tip_native", (performer, None::<[u8; 32]>), amount)
    }

    pub fn rate(&self, performer: AccountId, stars: u8) -> Value {
        self.call("rate", (performer, stars), 0)
    }

    /// A performer's private-show price per minute and availability.
    pub fn set_show_terms(&self, price_per_minute: u128, available: bool) -> Value {
        self.call("set_show_terms", (price_per_minute, available), 0)
    }

    /// Opens a show with `performer`, refused above `max_price_per_minute`.
    pub fn open_show(
        &self,
        performer: AccountId,
        deposit: u128,
        max_price_per_minute: u128,
    ) -> Value {
        self.call("open_show", (performer, deposit, max_price_per_minute), 0)
    }

    pub fn claim_show(&self, show_id: u64) -> Value {
        self.call("claim_show", show_id, 0)
    }

    pub fn end_show(&self, show_id: u64) -> Value {
        self.call("end_show", show_id, 0)
    }

    /// The open show between `viewer` and `performer`, if any.
    pub async fn open_show_between(
        &self,
        viewer: AccountId,
        performer: AccountId,
    ) -> Result<Option<u64>> {
        self.read("open_show_between", (viewer, performer)).await
    }

    /// A transfer of the chain's native currency (for fees), not a contract call.
    pub fn fund_native(&self, to: AccountId, amount: u128) -> Value {
        Value::unnamed_variant(
            "Balances",
            [Value::named_variant(
                "transfer_keep_alive",
                [
                    (
                        "dest",
                        Value::unnamed_variant("Id", [Value::from_bytes(to)]),
                    ),
                    ("value", Value::u128(amount)),
                ],
            )],
        )
    }
}

/// Every `ContractEmitted` of the LIVE contract from `from` to `to`, read straight
/// from the node: what the database must equal.
pub async fn chain_events(
    deployment: &Deployment,
    from: u32,
    to: u32,
) -> Result<Vec<(u32, RawEvent)>> {
    let source = ChainSource::connect(&deployment.node_url, deployment.live_token).await?;
    let mut events = Vec::new();
    for number in from..=to {
        let block = source.block(number).await?;
        events.extend(block.events.into_iter().map(|e| (number, e)));
    }
    Ok(events)
}
