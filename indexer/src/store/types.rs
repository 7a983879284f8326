//! The store's types: the handle ([`Store`]), what a commit takes ([`IndexedBlock`]s
//! of [`RawEvent`]s), where indexing stands ([`Checkpoint`]) and why the store
//! failed ([`StoreError`]). They depend on no other module of the store, so every
//! module can name them without importing the root back.

use crate::decode::AccountId;
use sqlx::AnyPool;

/// Why the store refused or failed; nothing of the batch was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("block {got} does not follow the checkpoint {expected:?}: refusing to leave a gap")]
    Gap { expected: Option<u32>, got: u32 },
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("rating replay at block {block} event {index}: {source}")]
    Replay {
        block: u32,
        index: u32,
        source: crate::rating::ReplayError,
    },
}

/// One `Contracts::ContractEmitted` of ours, as it sits in its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    /// Position of the event among all events of its block.
    pub event_index: u32,
    /// The extrinsic that emitted it, if any.
    pub extrinsic_index: Option<u32>,
    pub contract: AccountId,
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

/// A finalized block with our events in it (possibly none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedBlock {
    pub number: u32,
    pub hash: [u8; 32],
    pub events: Vec<RawEvent>,
}

/// The last block whose events are all stored, and the head seen then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub block_number: u32,
    pub block_hash: [u8; 32],
    pub finalized_head: u32,
}

/// The database, migrated and ready.
#[derive(Debug, Clone)]
pub struct Store {
    /// For reads.
    pub(super) pool: AnyPool,
    /// For writes: on SQLite one connection of its own (see `Store::connect`), on
    /// PostgreSQL the same pool.
    pub(super) writer: AnyPool,
}
