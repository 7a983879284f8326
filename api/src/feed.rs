//! Turns "block N is committed" into "here are its tips and show events" for the
//! live streams: one query per new block and stream, however many clients listen.

use crate::routes::shows::ShowEventView;
use crate::routes::tips::TipView;
use livestars_indexer::store::{Store, StoreError};
use livestars_indexer::Progress;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Publishes every tip and show event committed after startup on `feed` and
/// `show_feed`, in chain order.
pub async fn run(
    store: Store,
    mut progress: watch::Receiver<Progress>,
    feed: broadcast::Sender<Arc<TipView>>,
    show_feed: broadcast::Sender<Arc<ShowEventView>>,
) {
    // What is already stored at startup is history, not news.
    let positions = tokio::try_join!(store.last_tip_position(), store.last_show_event_position());
    let (mut last, mut last_show) = match positions {
        Ok(positions) => positions,
        Err(e) => {
            tracing::error!("live feed disabled: {e}");
            return;
        }
    };
    while progress.changed().await.is_ok() {
        while let Err(e) = publish_after(&store, &mut last, &feed).await {
            tracing::warn!("live feed: {e}; retrying");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
        while let Err(e) = publish_shows_after(&store, &mut last_show, &show_feed).await {
            tracing::warn!("show feed: {e}; retrying");
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}

/// Tips read per query while publishing.
const PAGE: u32 = 1000;

/// Publishes every tip after `last` (all of them when `None`), advancing `last`
/// past each one sent (so a retry after an error sends nothing twice).
async fn publish_after(
    store: &Store,
    last: &mut Option<(u32, u32)>,
    feed: &broadcast::Sender<Arc<TipView>>,
) -> Result<(), StoreError> {
    loop {
        let tips = store.tips_after(*last, PAGE).await?;
        let done = tips.len() < PAGE as usize;
        for tip in &tips {
            *last = Some(tip.position());
            // No receiver is fine: nobody is watching.
            let _ = feed.send(Arc::new(TipView::from(tip)));
        }
        if done {
            return Ok(());
        }
    }
}

/// Publishes every show event after `last`, advancing `last` past each one sent.
async fn publish_shows_after(
    store: &Store,
    last: &mut Option<(u32, u32)>,
    feed: &broadcast::Sender<Arc<ShowEventView>>,
) -> Result<(), StoreError> {
    loop {
        let events = store.show_events_after(*last, PAGE).await?;
        for event in &events {
            *last = Some(event.position());
            let _ = feed.send(Arc::new(ShowEventView::from(event)));
        }
        if events.len() < PAGE as usize {
            return Ok(());
        }
    }
}

/// Feeds `progress` from the database, for an API that runs apart from its indexer.
pub async fn poll_progress(store: Store, progress: watch::Sender<Progress>) {
    loop {
        match store.checkpoint().await {
            Ok(Some(checkpoint)) => {
                progress.send_if_modified(|p| {
                    let next = Progress {
                        indexed: Some(checkpoint.block_number),
                        finalized_head: checkpoint.finalized_head,
                    };
                    let changed = *p != next;
                    *p = next;
                    changed
                });
            }
            Ok(None) => {}
            Err(e) => tracing::warn!("reading the checkpoint: {e}"),
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}
