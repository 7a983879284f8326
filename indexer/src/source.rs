//! The chain, through subxt: finalized heads, blocks by number with our events,
//! and dry runs of contract messages at a given block (the rating audit, the API's
//! relayer, the tests).

use crate::decode::AccountId;
use crate::store::{IndexedBlock, RawEvent};
use futures::{Stream, StreamExt};
use parity_scale_codec::{Compact, Decode, Encode};
use std::sync::Arc;
use subxt::backend::LegacyBackend;
use subxt::config::RpcConfigFor;
use subxt::events::Phase;
use subxt::rpcs::{LegacyRpcMethods, RpcClient};
use subxt::utils::{AccountId32, H256};
use subxt::{OnlineClient, PolkadotConfig};

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
        let answer = self.call_as(hash, contract, contract, input).await?;
        if answer.reverted {
            return Err(SourceError::Other(
                "dry-run result: the contract reverted".into(),
            ));
        }
        Ok(answer.data)
    }

    /// Dry-runs a message of `contract` as `origin` in the state of block `hash`:
    /// what it answers (also when it refuses, which ink! reports by reverting) and
    /// the gas it needs.
    pub async fn call_as(
        &self,
        hash: [u8; 32],
        origin: AccountId,
        contract: AccountId,
        input: Vec<u8>,
    ) -> Result<ContractAnswer, SourceError> {
        // ContractsApi_call(origin, dest, value, gas_limit, storage_deposit_limit, input).
        let args = (
            AccountId32(origin),
            AccountId32(contract),
            0u128,
            None::<(Compact<u64>, Compact<u64>)>,
            None::<u128>,
            input,
        )
            .encode();
        let at = self.api.at_block(H256(hash)).await?;
        let raw = at
            .runtime_apis()
            .call_raw("ContractsApi_call", Some(&args))
            .await?;
        decode_contract_result(&raw)
    }

    /// The subxt client of this connection (to submit transactions on it).
    pub fn client(&self) -> &OnlineClient<PolkadotConfig> {
        &self.api
    }

    /// The legacy RPC methods of this connection (nonces, headers).
    pub fn rpc(&self) -> &LegacyRpcMethods<RpcConfigFor<PolkadotConfig>> {
        &self.legacy
    }
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
