//! Liveness, readiness, indexing status and metrics.

use super::show;
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::http::{header, StatusCode};
use axum::response::IntoResponse;
use axum::Json;
use serde::Serialize;

/// How far the index is.
#[derive(Debug, Serialize)]
pub struct Status {
    /// Last block whose events are all indexed (`null` before the first).
    pub indexed_block: Option<u32>,
    pub finalized_head: u32,
    /// Finalized blocks not yet indexed.
    pub lag: u32,
    pub caught_up: bool,
}

fn current(state: &AppState) -> Status {
    let progress = *state.progress.borrow();
    Status {
        indexed_block: progress.indexed,
        finalized_head: progress.finalized_head,
        lag: progress.behind(),
        caught_up: progress.indexed.is_some() && progress.behind() == 0,
    }
}

/// `GET /v1/status`
pub async fn status(State(state): State<AppState>) -> Json<Status> {
    Json(current(&state))
}

/// Where the contracts are, so a web client can sign calls to them.
#[derive(Debug, Serialize)]
pub struct Chain {
    pub node_url: String,
    pub live_token: String,
    pub tips: String,
    pub rating: String,
    pub token_symbol: &'static str,
    pub token_decimals: u8,
}

/// `GET /v1/chain`
pub async fn chain(State(state): State<AppState>) -> Json<Chain> {
    let contracts = &state.deployment.contracts;
    Json(Chain {
        node_url: state.public_node_url.clone(),
        live_token: show(&contracts.token),
        tips: show(&contracts.tips),
        rating: show(&contracts.rating),
        token_symbol: "LIVE",
        token_decimals: 12,
    })
}

/// `GET /health`: the process answers.
pub async fn health() -> Json<serde_json::Value> {
    Json(serde_json::json!({ "status": "ok" }))
}

/// `GET /ready`: 200 once the index has caught up with the finalized head, else 503.
pub async fn ready(State(state): State<AppState>) -> Result<Json<Status>, ApiError> {
    let status = current(&state);
    if status.caught_up {
        Ok(Json(status))
    } else {
        Err(ApiError::Unavailable(format!(
            "indexing: {} blocks behind the finalized head",
            status.lag
        )))
    }
}

/// `GET /metrics` (Prometheus text format)
pub async fn metrics(State(state): State<AppState>) -> impl IntoResponse {
    let body = state.metrics.render(&state.progress.borrow());
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        body,
    )
}
