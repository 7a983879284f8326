//! Turns "block N is committed" into "here are its tips" for the live stream:
//! one query per new block, however many clients listen.

use crate::routes::tips::{TipView, TIP_COLUMNS};
use livestars_indexer::store::{Store, StoreError};
use livestars_indexer::Progress;
use sqlx::{AssertSqlSafe, Row};
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
        loop {
            match publish_after(&store, last, &feed).await {
                Ok(next) => {
                    last = next;
                    break;
                }
                Err(e) => {
                    tracing::warn!("live feed: {e}; retrying");
                    tokio::time::sleep(Duration::from_millis(500)).await;
                }
            }
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

async fn publish_after(
    store: &Store,
    (block, index): (i64, i64),
    feed: &broadcast::Sender<Arc<TipView>>,
) -> Result<(i64, i64), Box<dyn std::error::Error + Send + Sync>> {
    let rows = sqlx::query(AssertSqlSafe(format!(
        "SELECT {TIP_COLUMNS} FROM tips WHERE block_number > $1 OR \
         (block_number = $1 AND event_index > $2) ORDER BY block_number, event_index"
    )))
    .bind(block)
    .bind(index)
    .fetch_all(store.pool())
    .await?;
    let mut last = (block, index);
    for row in &rows {
        let tip = TipView::from_row(row).map_err(|e| e.to_string())?;
        last = (tip.block, tip.event_index);
        // No receiver is fine: nobody is watching.
        let _ = feed.send(Arc::new(tip));
    }
    Ok(last)
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
