//! Turns "block N is committed" into "here are its tips" for the live stream:
//! one query per new block, however many clients listen.

use crate::error::ApiError;
use crate::routes::tips::{self, TipView};
use livestars_indexer::store::{Store, StoreError};
use livestars_indexer::Progress;
use sqlx::Row;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Publishes every tip committed after startup on `feed`, in chain order.
pub async fn run(
    store: Store,
    mut progress: watch::Receiver<Progress>,
    feed: broadcast::Sender<Arc<TipView>>,
) {
    let mut last = match latest(&store).await {
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

async fn latest(store: &Store) -> Result<(i64, i64), StoreError> {
    let row = sqlx::query(
        "SELECT block_number, event_index FROM tips \
         ORDER BY block_number DESC, event_index DESC LIMIT 1",
    )
    .fetch_optional(store.pool())
    .await?;
    Ok(match row {
        Some(row) => (row.try_get("block_number")?, row.try_get("event_index")?),
        None => (-1, -1),
    })
}

/// Tips read per query while publishing.
const PAGE: i64 = 1000;

/// Publishes every tip after `last`, advancing `last` past each one sent (so a
/// retry after an error sends nothing twice).
async fn publish_after(
    store: &Store,
    last: &mut (i64, i64),
    feed: &broadcast::Sender<Arc<TipView>>,
) -> Result<(), ApiError> {
    loop {
        let tips = tips::after(store.pool(), *last, PAGE).await?;
        let done = tips.len() < PAGE as usize;
        for tip in tips {
            *last = (tip.block, tip.event_index);
            // No receiver is fine: nobody is watching.
            let _ = feed.send(Arc::new(tip));
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
