//! `GET /v1/tips/stream`: Server-Sent Events, one `tip` event per new tip as soon
//! as its block is committed. A client that reconnects with `Last-Event-ID` first
//! receives the tips it missed (up to 1000). At most `--max-streams` streams are
//! open at once per process; beyond, a JSON 503 with `Retry-After`.

use super::tips::parse_position;
use crate::admission::ClientAddress;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::TipPosition;
use crate::sse;
use crate::state::AppState;
use crate::views::{GoalReachedView, TipView};
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, Sse};
use futures::{Stream, StreamExt};
use std::convert::Infallible;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use tokio_stream::wrappers::BroadcastStream;

/// Most missed tips replayed to a reconnecting client.
const REPLAY_LIMIT: u32 = 1000;

/// `GET /v1/tips/stream`
#[utoipa::path(
    get,
    path = "/tips/stream",
    tag = "tips",
    summary = "Server-Sent Events: one `tip` event (a JSON Tip, id = its position) per new tip",
    description = "Send `Last-Event-ID` to receive the tips missed since (up to 1000) first. A \
        comment line keeps the connection alive at least every 15 s. At most --max-streams \
        streams (1000 by default) are open per API process, and --max-streams-per-address \
        (32) per client address.",
    params(("Last-Event-ID" = Option<TipPosition>, Header, description = "The id of the last event received")),
    responses(
        (status = 200, content_type = "text/event-stream", body = String, description = "The event stream"),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "Every live-feed stream of this process, or this address's share, is taken; retry after Retry-After seconds",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
pub async fn tips(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let mut last = None;
    if let Some(value) = headers.get("last-event-id") {
        let text = value
            .to_str()
            .map_err(|_| ApiError::BadRequest("malformed Last-Event-ID".into()))?;
        last = Some(parse_position(text)?);
    }
    // Held for as long as the stream lives.
    let permit = state.stream_place(address)?;
    // Subscribe first, then read the backlog, so nothing falls in between;
    // tips seen in both are skipped by position.
    let live = BroadcastStream::new(state.feed.subscribe());
    let mut backlog = Vec::new();
    if let Some(position) = last {
        backlog = state
            .store
            .tips_after(Some(position), REPLAY_LIMIT)
            .await?
            .iter()
            .map(TipView::from)
            .collect();
        if let Some(tip) = backlog.last() {
            last = Some(tip.position());
        }
    }
    let metrics = state.metrics.clone();
    metrics.stream_clients.fetch_add(1, Ordering::Relaxed);
    let guard = (ClientGuard(metrics.clone()), permit);
    let backlog = futures::stream::iter(backlog.into_iter().map(|tip| Ok((true, Arc::new(tip)))));
    let live = live.map(|item| item.map(|tip| (false, tip)));
    let tips = backlog.chain(live).filter_map(move |item| {
        let item = match item {
            // Already sent from the backlog.
            Ok((false, tip)) if last.is_some_and(|l| tip.position() <= l) => None,
            Ok((_, tip)) => {
                metrics.tips_streamed.fetch_add(1, Ordering::Relaxed);
                Some(Ok(tip))
            }
            Err(lagged) => Some(Err(lagged)),
        };
        futures::future::ready(item)
    });
    Ok(sse::events(
        tips,
        "tip",
        |tip| tip.id.as_str(),
        guard,
        &state.limits,
    ))
}

/// Counts a connected client for as long as its stream lives.
struct ClientGuard(Arc<crate::metrics::Metrics>);

impl Drop for ClientGuard {
    fn drop(&mut self) {
        self.0.stream_clients.fetch_sub(1, Ordering::Relaxed);
    }
}

/// `GET /v1/goals/stream`
#[utoipa::path(
    get,
    path = "/goals/stream",
    tag = "room",
    summary = "Server-Sent Events: one `goal` event (a JSON GoalReached) per goal a tip reaches",
    description = "Announced once, as soon as the block of the tip that reached the goal is \
        committed; nothing is replayed on reconnection (the room's `goal.reached` says it \
        since). Counts against the same stream limits as /v1/tips/stream.",
    responses(
        (status = 200, content_type = "text/event-stream", body = String, description = "The event stream"),
        (status = 503, body = ErrorBody, description = "Every live-feed stream of this process, or this address's share, is taken; retry after Retry-After seconds",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
pub async fn goals(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let permit = state.stream_place(address)?;
    let goals = BroadcastStream::new(state.goal_feed.subscribe());
    Ok(sse::events(
        goals,
        "goal",
        |goal: &GoalReachedView| goal.id.as_str(),
        permit,
        &state.limits,
    ))
}
