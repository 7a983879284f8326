//! Key rotation (`docs/PRIVACY.md`, "Rotation"): the desk keeps a key of every
//! denomination it sells valid for well over a day, and closes its expired keys
//! so their unspent backing comes back.
//!
//! Buyers' browsers buy only from the oldest key of a desk and denomination that
//! stays valid for another day (the defence against key tagging), so the next key
//! must be registered and backed before the current one is down to its last day:
//! `lead` ahead of its end. What to do is planned from the index and the keys'
//! backing on chain ([`plan`], pure) and done as the desk's account through the
//! node ([`Rotator`]), each message dry-run first so a refused one costs nothing.

use crate::Desk;
use livestars_indexer::decode::{AccountId, Error as ContractError, VoucherTerms};
use livestars_indexer::source::{ChainSource, ContractMessage, SubmitError};
use livestars_indexer::store::VoucherKeyRecord;
use parity_scale_codec::{Decode, Encode};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::Arc;
use std::time::Duration;
use subxt_signer::sr25519::Keypair;
use subxt_signer::SecretUri;

/// Selectors of the messages the desk reads and sends (the first 4 bytes of
/// BLAKE2b-256 of their names, as ink! derives them); `tests/tests/signatures.rs`
/// checks them against the built metadata.
pub const REGISTER_VOUCHER_KEY: [u8; 4] = [0x1c, 0x91, 0xc7, 0xe6];
pub const BACK_VOUCHERS: [u8; 4] = [0x61, 0xa0, 0xf3, 0xf3];
pub const CLOSE_VOUCHER_KEY: [u8; 4] = [0xb1, 0xed, 0xe5, 0xf3];
pub const VOUCHER_KEY: [u8; 4] = [0xe4, 0x28, 0xcc, 0xfa];
pub const VOUCHER_KEY_COUNT: [u8; 4] = [0xbe, 0xb7, 0x70, 0x38];

const DAY_SECS: u64 = 86_400;

/// Key rotation's settings, as the API takes them.
#[derive(Debug, Clone, clap::Args)]
pub struct RotationArgs {
    /// Rotate the desk's keys as the account of this secret URI (the desk's
    /// account: it registers and backs new keys; it needs LIVE and native tokens
    /// for the backing). Without it, keys are registered by hand.
    #[arg(long, env = "LIVESTARS_DESK_SURI", hide_env_values = true)]
    pub desk_suri: Option<String>,
    /// How long a new key redeems, in seconds (longer than the lead; under the
    /// contract's 400 days, with a day to spare for the chain's clock).
    #[arg(long, default_value_t = 30 * DAY_SECS, value_parser = clap::value_parser!(u64).range(1..=399 * DAY_SECS))]
    pub desk_key_lifetime_secs: u64,
    /// Register a denomination's next key when its newest open key ends within
    /// this many seconds: more than a day and a check, since buyers leave a key
    /// in its last day.
    #[arg(long, default_value_t = 7 * DAY_SECS)]
    pub desk_rotate_lead_secs: u64,
    /// How often the desk checks its keys, in seconds.
    #[arg(long, default_value_t = 3_600, value_parser = clap::value_parser!(u64).range(1..))]
    pub desk_rotate_every_secs: u64,
    /// How many vouchers each new key is backed for (in LIVE and in stipends).
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
    pub desk_backing_vouchers: u32,
}

impl RotationArgs {
    /// The rotation these arguments ask for, if any (`--desk-suri` given).
    pub fn rotation(&self) -> Option<Rotation> {
        Some(Rotation {
            desk_suri: self.desk_suri.clone()?,
            policy: RotationPolicy {
                key_lifetime_ms: self.desk_key_lifetime_secs.saturating_mul(1_000),
                lead_ms: self.desk_rotate_lead_secs.saturating_mul(1_000),
                backing_vouchers: self.desk_backing_vouchers,
                every: Duration::from_secs(self.desk_rotate_every_secs),
            },
        })
    }
}

/// Who rotates, and how.
#[derive(Debug, Clone)]
pub struct Rotation {
    /// The desk's account's secret URI.
    pub desk_suri: String,
    pub policy: RotationPolicy,
}

impl Rotation {
    /// The desk's account (fails on a malformed URI).
    pub fn account(&self) -> anyhow::Result<AccountId> {
        Ok(self.keypair()?.public_key().to_account_id().0)
    }

    fn keypair(&self) -> anyhow::Result<Keypair> {
        let uri: SecretUri = self.desk_suri.parse()?;
        Ok(Keypair::from_uri(&uri)?)
    }
}

/// When keys are renewed, for how long, and with how much backing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RotationPolicy {
    pub key_lifetime_ms: u64,
    pub lead_ms: u64,
    pub backing_vouchers: u32,
    pub every: Duration,
}

/// A key's entry in the contract, as `voucher_key` answers it: what backs it now.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct OnChainKey {
    pub desk: AccountId,
    pub public: [u8; 32],
    pub terms: VoucherTerms,
    pub redeem_until: u64,
    pub backing: u128,
    pub native_backing: u128,
    pub outstanding: u64,
}

impl OnChainKey {
    /// Nothing backs it and nothing was sold: a registration whose backing
    /// failed.
    fn never_backed(&self) -> bool {
        self.backing == 0 && self.native_backing == 0 && self.outstanding == 0
    }
}

/// One thing the desk's account does on chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Register a new key with these terms, redeeming until `redeem_until_ms`,
    /// and back it.
    Register {
        terms: VoucherTerms,
        redeem_until_ms: u64,
    },
    /// Back a key whose backing failed when it was registered.
    Back { key_id: u64, terms: VoucherTerms },
    /// Close an expired key (its unspent backing returns to the desk).
    Close { key_id: u64 },
}

/// What the desk `desk` does at `now_ms`, given every registration of its keys
/// (`keys`, closed ones included: a denomination stays the desk's as long as it
/// holds one of its keys) and which of its open keys nothing backs (`unbacked`):
/// - a new key, with the terms of the denomination's latest registration, for
///   each denomination with no open key valid beyond the lead;
/// - backing for each unexpired key in `unbacked`;
/// - a close for each expired open key.
pub fn plan(
    keys: &[VoucherKeyRecord],
    desk: &AccountId,
    unbacked: &BTreeSet<u64>,
    now_ms: u64,
    policy: &RotationPolicy,
) -> Vec<Step> {
    let ours: Vec<&VoucherKeyRecord> = keys.iter().filter(|key| key.desk == *desk).collect();
    let open = || ours.iter().filter(|key| key.closed_block.is_none());
    // Per denomination: the latest registration's terms, and the latest end of
    // an open key.
    let mut denominations: BTreeMap<u128, (&VoucherKeyRecord, Option<u64>)> = BTreeMap::new();
    for key in &ours {
        let entry = denominations
            .entry(key.terms.denomination)
            .or_insert((key, None));
        if key.key_id > entry.0.key_id {
            entry.0 = key;
        }
        if key.closed_block.is_none() {
            entry.1 = entry.1.max(Some(key.redeem_until_ms));
        }
    }
    let register = denominations
        .into_values()
        .filter(|(_, open_until)| {
            open_until.is_none_or(|end| end.saturating_sub(now_ms) < policy.lead_ms)
        })
        .map(|(latest, _)| Step::Register {
            terms: latest.terms,
            redeem_until_ms: now_ms.saturating_add(policy.key_lifetime_ms),
        });
    let back = open()
        .filter(|key| key.redeem_until_ms > now_ms && unbacked.contains(&key.key_id))
        .map(|key| Step::Back {
            key_id: key.key_id,
            terms: key.terms,
        });
    let close = open()
        .filter(|key| key.redeem_until_ms <= now_ms)
        .map(|key| Step::Close { key_id: key.key_id });
    register.chain(back).chain(close).collect()
}

/// Does the plan as the desk's account, one message at a time.
pub struct Rotator {
    desk: Arc<Desk>,
    signer: Keypair,
    node_url: String,
    contract: AccountId,
    policy: RotationPolicy,
}

impl Rotator {
    /// A rotator for `desk` under the LIVE contract `contract`, through the node
    /// at `node_url` (connected each round). Fails on a malformed URI, or on a
    /// lifetime no longer than the lead (it would register a key every round).
    pub fn new(
        desk: Arc<Desk>,
        node_url: &str,
        contract: AccountId,
        rotation: &Rotation,
    ) -> anyhow::Result<Self> {
        let policy = rotation.policy;
        anyhow::ensure!(
            policy.key_lifetime_ms > policy.lead_ms,
            "a key's lifetime must be longer than the rotation's lead"
        );
        let every_ms = u64::try_from(policy.every.as_millis()).unwrap_or(u64::MAX);
        if policy.lead_ms < (DAY_SECS * 1_000).saturating_add(every_ms) {
            tracing::warn!(
                "voucher key rotation: a lead under a day plus a check leaves buyers without a key valid for another day"
            );
        }
        Ok(Self {
            desk,
            signer: rotation.keypair()?,
            node_url: node_url.to_owned(),
            contract,
            policy,
        })
    }

    /// Rotates now and every `policy.every` from then on, logging what it did and
    /// what failed (a failed round is retried at the next).
    pub async fn run(self) {
        loop {
            if let Err(e) = self.round(livestars_indexer::now_ms()).await {
                tracing::error!("voucher key rotation: {e:#}");
            }
            tokio::time::sleep(self.policy.every).await;
        }
    }

    /// One round at `now_ms`, once the index holds every key the chain has:
    /// plans and does each step; returns the steps that went through. A step the
    /// contract refuses (e.g. a close the chain's clock is not yet past) is
    /// logged and left for the next round.
    pub async fn round(&self, now_ms: u64) -> anyhow::Result<Vec<Step>> {
        let chain = ChainSource::connect(&self.node_url, self.contract).await?;
        // A key registered a moment ago (by this round's predecessor, or before a
        // restart) may not be indexed yet: renewing again would double it.
        let on_chain: u64 = chain.read(VOUCHER_KEY_COUNT.to_vec()).await?;
        let indexed = self.desk.indexed_key_count().await?;
        if indexed < on_chain {
            tracing::info!(
                "voucher key rotation waits for the index ({indexed} of {on_chain} keys)"
            );
            return Ok(Vec::new());
        }
        let keys = self.desk.registered().await?;
        let desk = self.account();
        let mut unbacked = BTreeSet::new();
        for key in keys.iter().filter(|key| {
            key.desk == desk && key.closed_block.is_none() && key.redeem_until_ms > now_ms
        }) {
            if self
                .key(&chain, key.key_id)
                .await?
                .is_some_and(|k| k.never_backed())
            {
                unbacked.insert(key.key_id);
            }
        }
        let mut done = Vec::new();
        for step in plan(&keys, &desk, &unbacked, now_ms, &self.policy) {
            let result = match &step {
                Step::Register {
                    terms,
                    redeem_until_ms,
                } => {
                    self.register(&chain, terms, *redeem_until_ms, on_chain)
                        .await
                }
                Step::Back { key_id, terms } => self.back(&chain, *key_id, terms).await,
                Step::Close { key_id } => {
                    let input = (CLOSE_VOUCHER_KEY, key_id).encode();
                    let sent = self.send(&chain, 0, input).await;
                    sent.map_err(anyhow::Error::from).map(|block| {
                        tracing::info!("voucher key {key_id} closed (block {block})");
                    })
                }
            };
            match result {
                Ok(()) => done.push(step),
                Err(e) => tracing::warn!("voucher key rotation, {step:?}: {e:#}"),
            }
        }
        Ok(done)
    }

    fn account(&self) -> AccountId {
        self.signer.public_key().to_account_id().0
    }

    /// Makes a key, registers it, and backs it. The contract numbers keys in
    /// order, so the new key's id is at least `count_before`.
    async fn register(
        &self,
        chain: &ChainSource,
        terms: &VoucherTerms,
        redeem_until_ms: u64,
        count_before: u64,
    ) -> anyhow::Result<()> {
        let public = self.desk.make_key()?;
        let input = (REGISTER_VOUCHER_KEY, public, terms, redeem_until_ms).encode();
        let block = match self.send(chain, 0, input).await {
            Ok(block) => block,
            // Refused in the dry run, or failed in its block: not registered, so
            // the key is no use. (Any other error may hide a registration.)
            Err(e @ (SendError::Refused(_) | SendError::Chain(SubmitError::Failed(_)))) => {
                self.desk.discard_key(&public)?;
                return Err(e.into());
            }
            Err(e) => return Err(e.into()),
        };
        let count: u64 = chain.read(VOUCHER_KEY_COUNT.to_vec()).await?;
        let mut key_id = None;
        for id in count_before..count {
            if self
                .key(chain, id)
                .await?
                .is_some_and(|key| key.public == public)
            {
                key_id = Some(id);
                break;
            }
        }
        let key_id = key_id.ok_or_else(|| anyhow::anyhow!("the new key is not on chain"))?;
        tracing::info!(
            "voucher key {key_id} registered for vouchers of {} (block {block})",
            terms.denomination
        );
        self.back(chain, key_id, terms).await
    }

    /// Backs `key_id` for `backing_vouchers` vouchers: their LIVE, and their
    /// stipends in the native currency.
    async fn back(
        &self,
        chain: &ChainSource,
        key_id: u64,
        terms: &VoucherTerms,
    ) -> anyhow::Result<()> {
        let count = u128::from(self.policy.backing_vouchers);
        let overflow = || anyhow::anyhow!("the backing overflows");
        let live = terms.denomination.checked_mul(count).ok_or_else(overflow)?;
        let native = terms.stipend.checked_mul(count).ok_or_else(overflow)?;
        let input = (BACK_VOUCHERS, key_id, live).encode();
        let block = self.send(chain, native, input).await?;
        tracing::info!("voucher key {key_id} backed for {count} vouchers (block {block})");
        Ok(())
    }

    /// The contract's entry for `key_id` (none once closed), at the best block.
    async fn key(&self, chain: &ChainSource, key_id: u64) -> anyhow::Result<Option<OnChainKey>> {
        Ok(chain.read((VOUCHER_KEY, key_id).encode()).await?)
    }

    /// Sends a message to the contract as the desk, returning its block.
    async fn send(
        &self,
        chain: &ChainSource,
        value: u128,
        input: Vec<u8>,
    ) -> Result<u32, SendError> {
        let message = ContractMessage {
            contract: self.contract,
            value,
            input,
        };
        match chain.send(&self.signer, &message).await {
            Ok(block) => Ok(block),
            Err(SubmitError::Refused(data)) => {
                // ink!'s `Result<Result<(), Error>, LangError>`.
                let answer = <Result<Result<(), ContractError>, u8>>::decode(&mut &data[..]);
                Err(SendError::Refused(format!("{answer:?}")))
            }
            Err(e) => Err(SendError::Chain(e)),
        }
    }
}

/// Why a message of the desk did not go through.
#[derive(Debug, thiserror::Error)]
enum SendError {
    /// The contract refuses it (in the dry run: nothing was submitted).
    #[error("the contract refuses: {0}")]
    Refused(String),
    /// Not sent, or failed in its block.
    #[error(transparent)]
    Chain(SubmitError),
}
