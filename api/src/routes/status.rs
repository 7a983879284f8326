//! Liveness, readiness, indexing status and metrics.

use crate::error::{ApiError, ErrorBody};
use crate::node::NodeHealth;
use crate::openapi::{BlockHash, Ss58};
use crate::state::AppState;
use crate::views::show;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;

/// How far the index is.
#[derive(Debug, Serialize, ToSchema)]
pub struct Status {
    /// Last block whose events are all indexed (`null` before the first).
    #[schema(required = true)]
    pub indexed_block: Option<u32>,
    pub finalized_head: u32,
    /// Finalized blocks not yet indexed.
    pub lag: u32,
    pub caught_up: bool,
}

/// The index's progress against the finalized head: the node's as last checked when
/// it answered (an indexer that lost the node, or runs elsewhere, may not know it).
/// The indexed block is the read model's: every route serves at least that block.
fn current(state: &AppState) -> Status {
    let mut progress = *state.progress.borrow();
    progress.indexed = state.views.borrow().as_ref().and_then(|view| view.block());
    if let NodeHealth::Reachable { finalized_head } = *state.node.borrow() {
        progress.finalized_head = progress.finalized_head.max(finalized_head);
    }
    Status {
        indexed_block: progress.indexed,
        finalized_head: progress.finalized_head,
        lag: progress.behind(),
        caught_up: progress.indexed.is_some() && progress.behind() == 0,
    }
}

/// `GET /v1/status`
#[utoipa::path(
    get,
    path = "/status",
    tag = "service",
    summary = "How far the index is behind the finalized head",
    responses((status = 200, body = Status))
)]
pub async fn status(State(state): State<AppState>) -> Json<Status> {
    Json(current(&state))
}

/// Where the LIVE contract is (token, tips and rating in one), so a web client can
/// sign calls to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Chain {
    /// The node's WebSocket URL.
    pub node_url: String,
    #[schema(value_type = Ss58)]
    pub live_token: String,
    pub token_symbol: &'static str,
    pub token_decimals: u8,
    /// The chain's genesis hash, which signed profile statements name; `null` while
    /// the node cannot be reached.
    #[schema(value_type = Option<BlockHash>, required = true)]
    pub genesis_hash: Option<String>,
}

/// `GET /v1/chain`
#[utoipa::path(
    get,
    path = "/chain",
    tag = "service",
    summary = "Where the LIVE contract is, for clients that sign calls to it",
    responses((status = 200, body = Chain))
)]
pub async fn chain(State(state): State<AppState>) -> Json<Chain> {
    // Asked of the node once, and only while the node watch finds it answering: this
    // route never waits for a node that is down.
    let reachable = matches!(*state.node.borrow(), NodeHealth::Reachable { .. });
    let genesis = match state.genesis.get() {
        Some(hash) => Some(*hash),
        None if reachable => state.genesis().await.ok(),
        None => None,
    };
    Json(Chain {
        node_url: state.public_node_url.clone(),
        live_token: show(&state.deployment.live_token),
        token_symbol: "LIVE",
        token_decimals: 12,
        genesis_hash: genesis.map(|hash| format!("0x{}", hex::encode(hash))),
    })
}

/// The process answers.
#[derive(Debug, Serialize, ToSchema)]
pub struct Health {
    #[schema(pattern = "^ok$")]
    pub status: &'static str,
}

/// `GET /health`: the process answers.
#[utoipa::path(
    get,
    path = "/health",
    tag = "service",
    summary = "Liveness: the process answers",
    responses((status = 200, body = Health))
)]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// `GET /ready`: 200 while the node answers and the index is at most
/// `--ready-max-lag` blocks behind its finalized head, else 503 (so a load balancer
/// stops sending clients to a replica that serves a stale index).
#[utoipa::path(
    get,
    path = "/ready",
    tag = "service",
    summary = "Readiness: the node answers and the index is at most --ready-max-lag blocks behind",
    responses(
        (status = 200, body = Status),
        (status = 503, body = ErrorBody, description = "The node is unreachable or not checked yet, nothing is indexed, or the index is too far behind"),
    )
)]
pub async fn ready(State(state): State<AppState>) -> Result<Json<Status>, ApiError> {
    match &*state.node.borrow() {
        NodeHealth::Reachable { .. } => {}
        NodeHealth::Unknown => {
            return Err(ApiError::Unavailable("the node was not checked yet".into()))
        }
        NodeHealth::Unreachable { error } => {
            return Err(ApiError::Unavailable(format!(
                "the node is unreachable: {error}"
            )))
        }
    }
    let status = current(&state);
    let max_lag = state.limits.ready_max_lag;
    if status.indexed_block.is_none() {
        Err(ApiError::Unavailable("nothing indexed yet".into()))
    } else if status.lag > max_lag {
        Err(ApiError::Unavailable(format!(
            "indexing: {} blocks behind the finalized head (at most {max_lag} allowed)",
            status.lag
        )))
    } else {
        Ok(Json(status))
    }
}

/// `GET /metrics` (Prometheus text format)
#[utoipa::path(
    get,
    path = "/metrics",
    tag = "service",
    summary = "Prometheus metrics",
    responses((status = 200, content_type = "text/plain", body = String))
)]
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.metrics.render(&state.progress.borrow());
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, crate::metrics::CONTENT_TYPE)],
        body,
    )
}
