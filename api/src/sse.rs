//! What the live feeds' Server-Sent Events share: each item as one named JSON event
//! with its position as the id, a `lagged` event for a client too slow for the
//! broadcast, and keep-alive comments often enough for the idle timeout.

use crate::serve::Limits;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures::{Stream, StreamExt};
use serde::Serialize;
use std::convert::Infallible;
use std::sync::Arc;
use std::time::Duration;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

/// Longest interval between two keep-alive comments.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// `items` as Server-Sent Events: each an event `name` (id: `id(item)`, data: the
/// item as JSON). `guard` lives as long as the stream (a stream permit, a client
/// count).
pub fn events<T, G>(
    items: impl Stream<Item = Result<Arc<T>, BroadcastStreamRecvError>> + Send + 'static,
    name: &'static str,
    id: fn(&T) -> &str,
    guard: G,
    limits: &Limits,
) -> Sse<impl Stream<Item = Result<Event, Infallible>>>
where
    T: Serialize + 'static,
    G: Send + 'static,
{
    let events = items.filter_map(move |item| {
        let _ = &guard;
        let event = match item {
            Ok(item) => Event::default()
                .event(name)
                .id(id(&item))
                .json_data(&*item)
                .ok(),
            // Too slow a client: say so; it can reconnect (with Last-Event-ID, where
            // the feed replays).
            Err(BroadcastStreamRecvError::Lagged(missed)) => {
                Some(Event::default().event("lagged").data(missed.to_string()))
            }
        };
        futures::future::ready(event.map(Ok))
    });
    // A comment at least every half idle timeout keeps a listening client's
    // connection from being closed as idle (never less often than every 15 s).
    let interval = KEEP_ALIVE.min(limits.idle_timeout / 2);
    Sse::new(events).keep_alive(KeepAlive::new().interval(interval))
}
