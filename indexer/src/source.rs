//! The chain, through subxt: finalized heads, blocks by number with our events,
//! and dry runs of contract messages at a given block (the rating audit, the API's
//! relayer, the tests).

use crate::decode::AccountId;
use crate::store::{IndexedBlock, RawEvent};
use futures::{Stream, StreamExt};
use parity_scale_codec::{Compact, Decode, Encode};
use std::sync::Arc;
use subxt::backend::LegacyBackend;
use subxt::config::{PolkadotExtrinsicParamsBuilder, RpcConfigFor};
use subxt::dynamic::Value;
use subxt::error::TransactionEventsError;
use subxt::events::Phase;
use subxt::rpcs::{LegacyRpcMethods, RpcClient};
use subxt::tx::{Payload, TransactionStatus};
use subxt::utils::{AccountId32, H256};
use subxt::{OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::Keypair;

/// A chain call that failed; the caller reconnects and retries.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
    #[error("subxt: {0}")]
    Subxt(Box<subxt::Error>),
    #[error("block {0} is not on the chain")]
    NoSuchBlock(u32),
    #[error("malformed ContractEmitted at block {block}: {reason}")]
    Malformed { block: u32, reason: String },
    #[error("{0}")]
    Other(String),
}

impl<E: Into<subxt::Error>> From<E> for SourceError {
    fn from(e: E) -> Self {
        SourceError::Subxt(Box::new(e.into()))
    }
}

/// One connection to a node, used for both subxt's typed access and legacy RPCs.
#[derive(Clone)]
pub struct ChainSource {
    api: OnlineClient<PolkadotConfig>,
    legacy: LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>,
    live_token: AccountId,
}

impl ChainSource {
    /// Connects to `url` (ws://, loopback allowed) to read the events of the LIVE
    /// contract at `live_token`.
    pub async fn connect(url: &str, live_token: AccountId) -> Result<Self, SourceError> {
        Self::from_rpc(RpcClient::from_insecure_url(url).await?, live_token).await
    }

    /// Reads over an existing connection (which the caller may use for more).
    ///
    /// Through subxt's legacy backend: every read names its block by hash, which the
    /// node answers for any block it keeps. The default (`chainHead`) backend answers
    /// only for blocks its own follow subscription has reported: a block another
    /// connection just saw finalized could be "not found" for a moment (seen in CI,
    /// on the rating audit of a busy machine), and that subscription can end.
    pub async fn from_rpc(rpc: RpcClient, live_token: AccountId) -> Result<Self, SourceError> {
        let backend = LegacyBackend::<PolkadotConfig>::builder().build(rpc.clone());
        let api = OnlineClient::<PolkadotConfig>::from_backend(Arc::new(backend)).await?;
        Ok(Self {
            api,
            legacy: LegacyRpcMethods::new(rpc),
            live_token,
        })
    }

    /// The number of the latest finalized block.
    pub async fn finalized_head(&self) -> Result<u32, SourceError> {
        let hash = self.legacy.chain_get_finalized_head().await?;
        let header = self
            .legacy
            .chain_get_header(Some(hash))
            .await?
            .ok_or_else(|| SourceError::Other("finalized head has no header".into()))?;
        to_u32(header.number)
    }

    /// The numbers of new finalized heads as the node announces them (with gaps
    /// possible: the caller indexes from its checkpoint, not from these numbers).
    pub async fn finalized_heads(
        &self,
    ) -> Result<impl Stream<Item = Result<u32, SourceError>> + Unpin + use<>, SourceError> {
        let heads = self.legacy.chain_subscribe_finalized_heads().await?;
        Ok(heads.map(|header| to_u32(header?.number)))
    }

    /// The hash of block `number`, if the chain has it.
    pub async fn block_hash(&self, number: u32) -> Result<[u8; 32], SourceError> {
        self.legacy
            .chain_get_block_hash(Some(u64::from(number).into()))
            .await?
            .map(|hash| hash.0)
            .ok_or(SourceError::NoSuchBlock(number))
    }

    /// Block `number` with every `ContractEmitted` of the LIVE contract, in event order.
    pub async fn block(&self, number: u32) -> Result<IndexedBlock, SourceError> {
        let hash = self.block_hash(number).await?;
        let at = self
            .api
            .at_block_hash_and_number(H256(hash), u64::from(number))
            .await?;
        let events = at.events().fetch().await?;
        let mut ours = Vec::new();
        for event in events.iter() {
            let event = event?;
            if event.pallet_name() != "Contracts" || event.event_name() != "ContractEmitted" {
                continue;
            }
            let (contract, data) = <(AccountId, Vec<u8>)>::decode(&mut event.field_bytes())
                .map_err(|e| SourceError::Malformed {
                    block: number,
                    reason: e.to_string(),
                })?;
            if contract != self.live_token {
                continue;
            }
            ours.push(RawEvent {
                event_index: event.index(),
                extrinsic_index: match event.phase() {
                    Phase::ApplyExtrinsic(index) => Some(index),
                    _ => None,
                },
                contract,
                topics: event.topics().iter().map(|topic| topic.0).collect(),
                data,
            });
        }
        Ok(IndexedBlock {
            number,
            hash,
            events: ours,
        })
    }

    /// The block time (ms) of the block with `hash`.
    pub async fn timestamp_at(&self, hash: [u8; 32]) -> Result<u64, SourceError> {
        let at = self.api.at_block(H256(hash)).await?;
        let now = subxt::dynamic::storage::<(), u64>("Timestamp", "Now");
        let value = at.storage().fetch(now, ()).await?.decode()?;
        Ok(value)
    }

    /// The hash of the best block (the finalized head is about a second behind it):
    /// what a read that must see the caller's own last extrinsic names.
    pub async fn best_block(&self) -> Result<[u8; 32], SourceError> {
        self.legacy
            .chain_get_block_hash(None)
            .await?
            .map(|hash| hash.0)
            .ok_or_else(|| SourceError::Other("the node has no best block".into()))
    }

    /// Dry-runs a message of `contract` in the state of block `hash` (nothing is
    /// submitted) and returns its raw return data; a reverted message is an error.
    pub async fn dry_run_at(
        &self,
        hash: [u8; 32],
        contract: AccountId,
        input: Vec<u8>,
    ) -> Result<Vec<u8>, SourceError> {
        // Any origin will do for a read; the contract itself is always a valid account.
        let message = ContractMessage {
            contract,
            value: 0,
            input,
        };
        let answer = self.call_as(hash, contract, &message).await?;
        if answer.reverted {
            return Err(SourceError::Other(
                "dry-run result: the contract reverted".into(),
            ));
        }
        Ok(answer.data)
    }

    /// The answer of a read-only message of the LIVE contract (`input`: its
    /// selector and arguments) in the best block's state, which already shows
    /// the reader's own last extrinsic (the finalized head is about a second
    /// behind).
    pub async fn read<T: Decode>(&self, input: Vec<u8>) -> Result<T, SourceError> {
        let best = self.best_block().await?;
        let data = self.dry_run_at(best, self.live_token, input).await?;
        // ink! wraps every answer in `Result<T, LangError>`.
        let answer = <Result<T, u8>>::decode(&mut &data[..])
            .map_err(|e| SourceError::Other(format!("the contract's answer: {e}")))?;
        answer
            .map_err(|e| SourceError::Other(format!("the contract could not read the input ({e})")))
    }

    /// Dry-runs `message` as `origin` in the state of block `hash`: what it
    /// answers (also when it refuses, which ink! reports by reverting) and the gas
    /// it needs.
    pub async fn call_as(
        &self,
        hash: [u8; 32],
        origin: AccountId,
        message: &ContractMessage,
    ) -> Result<ContractAnswer, SourceError> {
        // ContractsApi_call(origin, dest, value, gas_limit, storage_deposit_limit, input).
        let args = (
            AccountId32(origin),
            AccountId32(message.contract),
            message.value,
            None::<(Compact<u64>, Compact<u64>)>,
            None::<u128>,
            &message.input,
        )
            .encode();
        let at = self.api.at_block(H256(hash)).await?;
        let raw = at
            .runtime_apis()
            .call_raw("ContractsApi_call", Some(&args))
            .await?;
        decode_contract_result(&raw)
    }

    /// Sends `message` signed by `signer` and waits until it is in a block: first
    /// dry-run on the best block (a message the contract refuses costs nothing and
    /// comes back as [`SubmitError::Refused`]), then [submitted](Self::submit)
    /// with the gas the dry run needed. Returns the block's number.
    pub async fn send(
        &self,
        signer: &Keypair,
        message: &ContractMessage,
    ) -> Result<u32, SubmitError> {
        let origin = signer.public_key().to_account_id().0;
        // The best block, not the finalized one (about a second behind): what the
        // signer sent a block ago must already be seen.
        let best = self.best_block().await?;
        let dry_run = self.call_as(best, origin, message).await?;
        if dry_run.reverted {
            return Err(SubmitError::Refused(dry_run.data));
        }
        self.submit(signer, message, dry_run.gas_required).await
    }

    /// Submits `message` signed by `signer` with the gas `(ref_time, proof_size)`
    /// of its dry run (plus a margin) through [`Self::sign_and_submit`], giving
    /// up after 2 minutes.
    pub async fn submit(
        &self,
        signer: &Keypair,
        message: &ContractMessage,
        (ref_time, proof_size): (u64, u64),
    ) -> Result<u32, SubmitError> {
        // A margin over the dry run: the block may differ a little from its state.
        let margin = |gas: u64| u128::from(gas.saturating_add(gas / 4));
        let call = subxt::dynamic::tx(
            "Contracts",
            "call",
            Value::named_composite([
                (
                    "dest",
                    Value::unnamed_variant("Id", [Value::from_bytes(message.contract)]),
                ),
                ("value", Value::u128(message.value)),
                (
                    "gas_limit",
                    Value::named_composite([
                        ("ref_time", Value::u128(margin(ref_time))),
                        ("proof_size", Value::u128(margin(proof_size))),
                    ]),
                ),
                ("storage_deposit_limit", Value::unnamed_variant("None", [])),
                ("data", Value::from_bytes(&message.input)),
            ]),
        );
        // A node that stops reporting must not hold the signer's turn forever.
        tokio::time::timeout(SEND_TIMEOUT, self.sign_and_submit(signer, &call))
            .await
            .unwrap_or_else(|_| {
                Err(SourceError::Other(
                    "the transaction was not in a block within 2 minutes".into(),
                )
                .into())
            })
    }

    /// Signs `payload` as `signer` with the signer's next nonce as the node counts
    /// it, submits it and waits until it is in a block; returns the block's
    /// number. A dispatch error in that block is [`SubmitError::Failed`].
    ///
    /// One signer's submissions must follow each other (the caller serialises
    /// them).
    pub async fn sign_and_submit(
        &self,
        signer: &Keypair,
        payload: &impl Payload,
    ) -> Result<u32, SubmitError> {
        let origin = signer.public_key().to_account_id().0;
        let nonce = self
            .legacy
            .system_account_next_index(&AccountId32(origin))
            .await
            .map_err(SourceError::from)?;
        let params = PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new()
            .nonce(nonce)
            .build();
        let mut progress = self
            .api
            .at_current_block()
            .await
            .map_err(SourceError::from)?
            .tx()
            .sign_and_submit_then_watch(payload, signer, params)
            .await
            .map_err(SourceError::from)?;
        while let Some(status) = progress.next().await {
            match status.map_err(SourceError::from)? {
                TransactionStatus::InBestBlock(block)
                | TransactionStatus::InFinalizedBlock(block) => {
                    let hash = block.block_hash();
                    // In a block but refused there (e.g. a competing call came
                    // first): the contract's word, not the chain's. Failing to
                    // read the block's events is the chain's.
                    block.wait_for_success().await.map_err(|e| match e {
                        TransactionEventsError::ExtrinsicFailed(_)
                        | TransactionEventsError::CannotDecodeDispatchError { .. } => {
                            SubmitError::Failed(e.to_string())
                        }
                        other => SubmitError::Chain(SourceError::from(other)),
                    })?;
                    let header = self
                        .legacy
                        .chain_get_header(Some(hash))
                        .await
                        .map_err(SourceError::from)?
                        .ok_or_else(|| SourceError::Other("no header for the block".into()))?;
                    return Ok(to_u32(header.number)?);
                }
                TransactionStatus::Error { message }
                | TransactionStatus::Invalid { message }
                | TransactionStatus::Dropped { message } => {
                    return Err(SourceError::Other(message).into())
                }
                _ => {}
            }
        }
        Err(SourceError::Other("the transaction's status stream ended".into()).into())
    }
}

/// How long [`ChainSource::send`] waits for a transaction to be in a block.
const SEND_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(120);

/// A message to a contract: where it goes, the native value it carries, and its
/// selector followed by its SCALE-encoded arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractMessage {
    pub contract: AccountId,
    pub value: u128,
    pub input: Vec<u8>,
}

/// Why [`ChainSource::send`] did not get a message through.
#[derive(Debug, thiserror::Error)]
pub enum SubmitError {
    /// The contract refuses the message (dry run; nothing was submitted): its
    /// encoded answer, with the contract's error.
    #[error("the contract refuses the message")]
    Refused(Vec<u8>),
    /// The transaction went into a block and failed there; its fee is spent.
    #[error("the transaction failed in its block: {0}")]
    Failed(String),
    /// The node could not be reached or refused the transaction.
    #[error("chain: {0}")]
    Chain(#[from] SourceError),
}

/// What a dry run of a contract message answered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContractAnswer {
    /// The gas the call needs (ref_time, proof_size): a limit to submit it with.
    pub gas_required: (u64, u64),
    /// Whether the message reverted (an ink! message that returns `Err` does).
    pub reverted: bool,
    /// What the message returned (also when it reverted).
    pub data: Vec<u8>,
}

/// Decodes pallet-contracts' `ContractResult`: gas_consumed, gas_required (Weights),
/// storage_deposit, debug_message, then the call's result (flags and data).
fn decode_contract_result(raw: &[u8]) -> Result<ContractAnswer, SourceError> {
    #[derive(Decode)]
    struct Weight {
        ref_time: Compact<u64>,
        proof_size: Compact<u64>,
    }
    #[derive(Decode)]
    enum StorageDeposit {
        Refund(#[allow(dead_code)] u128),
        Charge(#[allow(dead_code)] u128),
    }
    let bad = |reason: String| SourceError::Other(format!("dry-run result: {reason}"));
    let mut input = raw;
    let (_, required, _, _): (Weight, Weight, StorageDeposit, Vec<u8>) =
        Decode::decode(&mut input).map_err(|e| bad(e.to_string()))?;
    match input.first() {
        Some(0) => {
            let mut rest = &input[1..];
            let (flags, data): (u32, Vec<u8>) =
                Decode::decode(&mut rest).map_err(|e| bad(e.to_string()))?;
            Ok(ContractAnswer {
                gas_required: (required.ref_time.0, required.proof_size.0),
                reverted: flags & 1 == 1,
                data,
            })
        }
        _ => Err(bad("the call failed to dispatch".into())),
    }
}

fn to_u32(number: u64) -> Result<u32, SourceError> {
    u32::try_from(number).map_err(|_| SourceError::Other(format!("block number {number}")))
}

/// The selector of the LIVE contract's `rating_of` message, as in its metadata
/// (`0x5d568fa8`); `tests/tests/signatures.rs` checks it against the built metadata.
pub const RATING_OF: [u8; 4] = [0x5d, 0x56, 0x8f, 0xa8];
