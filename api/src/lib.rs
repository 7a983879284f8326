//! The livestars HTTP API (axum): tips, performers, leaderboards, a live tip feed
//! and rating audits, read from the indexer's SQL mirror.
//!
//! Layers, each using only those below it (the routes sit on top, and nothing but
//! the router's assembly names them):
//! - `app`: the whole API assembled (state, tasks, router) for the binary and the
//!   in-process tests;
//! - `routes`: the handlers, and `router` assembling them;
//! - `feed` (publishes new tips, show events and goals reached to the live feeds),
//!   `goals` (which goals a batch of tips reached), `sse` (what the live feeds' event
//!   streams share);
//! - `state`: what every handler shares;
//! - `views` (response types shared beyond one route), `relay` (the signaling
//!   relay's rooms), `admission` (places of long-lived connections, per client
//!   address), `relayer` (submits voucher redemptions for keys that hold nothing),
//!   `read_model`, `cache`, `metrics`, `node`, `error`, `serve` (limits and the
//!   listener), `openapi` (the document's header and value types).

pub mod admission;
pub mod app;
pub mod cache;
pub mod error;
pub mod feed;
pub mod goals;
pub mod metrics;
pub mod node;
pub mod openapi;
pub mod read_model;
pub mod relay;
pub mod relayer;
pub mod routes;
pub mod serve;
pub mod sse;
pub mod state;
pub mod views;

pub use app::App;
pub use routes::router;
pub use serve::{serve, Limits};
pub use state::AppState;
