//! The livestars indexer: follows the finalized chain with subxt, decodes the LIVE
//! contract's events and mirrors them into SQL exactly once.
//!
//! - [`source`]: the chain (blocks by number, finalized heads, dry-run reads).
//! - [`decode`]: typed events from `Contracts::ContractEmitted` (declared once, in
//!   `livestars-abi`, with the contract).
//! - [`store`]: the SQL mirror, one transaction per batch of blocks.
//! - [`rating`]: the rating replayed with `rating-formula`, shared with the API's audit.
//! - [`follow`]: the loop that ties them together across restarts and reconnects.
//! - [`profile`]: public profile documents, their commitments and signed statements.
//! - [`room`]: the performer's room (tip menu, goal), tip notes and their statements.
//! - `fixtures` (feature `fixtures`): synthetic blocks of real encoded events, for
//!   tests and benchmarks.

pub mod config;
pub mod decode;
#[cfg(feature = "fixtures")]
pub mod fixtures;
pub mod follow;
pub mod profile;
pub mod rating;
pub mod room;
pub mod source;
pub mod store;

pub use follow::{follow, FollowOptions, Progress};

/// Logs to stderr, filtered by `RUST_LOG` (default `info`); shared by the binaries.
pub fn init_logging() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
}

/// Now, in ms since the epoch, as the contract's timestamps count: what the
/// read model fades ratings by and the desk dates its keys by.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}
