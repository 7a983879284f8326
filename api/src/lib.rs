//! The livestars HTTP API (axum): tips, performers, leaderboards, a live tip feed
//! and rating audits, read from the indexer's SQL mirror.

pub mod error;
pub mod feed;
pub mod metrics;
pub mod routes;
pub mod state;

pub use routes::router;
pub use state::AppState;
