//! The livestars HTTP API (axum): tips, performers, leaderboards, a live tip feed
//! and rating audits, read from the indexer's SQL mirror.

pub mod cache;
pub mod error;
pub mod feed;
pub mod metrics;
pub mod node;
pub mod openapi;
pub mod read_model;
pub mod routes;
pub mod serve;
pub mod state;

pub use routes::router;
pub use serve::{serve, Limits};
pub use state::AppState;
