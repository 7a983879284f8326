//! Turns "block N is committed" into "here are its tips" for the live stream:
//! one query per new block, however many clients listen.

use crate::routes::tips::TipView;
use livestars_indexer::store::{Store, StoreError};
use livestars_indexer::Progress;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Publishes every tip committed after startup on `feed`, in chain order.
pub async fn run(
    store: Store,
    mut progress: watch::Receiver<Progress>,
    feed: broadcast::Sender<Arc<TipView>>,
) {
    // Tips already stored at startup are history, not news.
    let mut last = match store.last_tip_position().await {
        Ok(last) => last,
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
