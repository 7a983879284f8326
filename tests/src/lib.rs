//! Test harness: real processes only. It starts `substrate-contracts-node` on a free
//! loopback port, deploys the built LIVE contract with `scripts/deploy`, submits
//! calls with subxt, starts the `livestars-indexer` / `livestars-api` binaries and,
//! for PostgreSQL, a throwaway server of its own.
//!
//! - `process`: the repository's paths, free ports, temporary directories, child
//!   processes;
//! - `node`: the dev chain; `deploy`: the LIVE contract on it;
//! - `chain`: dev keys, the [`Client`] submitting calls, events read from the node;
//! - `binaries`: the indexer and API processes, and waiting for the index;
//! - `postgres`: a throwaway PostgreSQL server;
//! - `load`: tips and shows in the background;
//! - `derived`, `openapi`, [`signaling`]: checks of the index, of the API's answers
//!   against its document, and a client of the signaling relay.

mod binaries;
mod chain;
mod deploy;
mod derived;
mod load;
mod node;
mod openapi;
mod postgres;
mod process;
pub mod signaling;

pub use binaries::{
    binary, start_api, start_api_with, start_indexer, start_indexer_with, wait_indexed,
};
pub use chain::{
    account, chain_events, key, ss58_account, ss58_of, Client, CALL_PROOF_SIZE, CALL_REF_TIME,
    LIVE, TIPS_PER_FULL_BLOCK,
};
pub use deploy::deploy;
pub use derived::{assert_derived, DerivedTables};
pub use load::{prepare_tipping, Load, LoadReport, SHOW_PRICE};
pub use node::Node;
pub use openapi::check_answer;
pub use postgres::Postgres;
pub use process::{artifacts, free_port, root, Process, TempDir};
