//! Turns "block N is committed" into "here are its tips and show events" for the
//! live streams: one query per new block and stream, however many clients listen.

use crate::views::{ShowEventView, TipView};
use livestars_indexer::store::{ShowEventRecord, Store, StoreError, TipRecord};
use livestars_indexer::Progress;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, watch};

/// Where the live feeds stand: past the last tip and show event already published
/// (or stored when it started).
pub struct Publisher {
    store: Store,
    last: Option<(u32, u32)>,
    last_show: Option<(u32, u32)>,
}

impl Publisher {
    /// A publisher of what `store` commits from now on: what is already stored is
    /// history, not news. Reading where that ends before anything is indexed
    /// further means no commit falls between the two.
    pub async fn start(store: Store) -> Result<Self, StoreError> {
        let (last, last_show) =
            tokio::try_join!(store.last_tip_position(), store.last_show_event_position())?;
        Ok(Self {
            store,
            last,
            last_show,
        })
    }

    /// Publishes every tip and show event committed after the start on `feed` and
    /// `show_feed`, in chain order, at each change of `progress`, until it ends.
    pub async fn run(
        mut self,
        mut progress: watch::Receiver<Progress>,
        feed: broadcast::Sender<Arc<TipView>>,
        show_feed: broadcast::Sender<Arc<ShowEventView>>,
    ) {
        let store = &self.store;
        while progress.changed().await.is_ok() {
            let tips = |after| store.tips_after(after, PAGE);
            let last = &mut self.last;
            while let Err(e) = publish_after(tips, TipRecord::position, last, &feed).await {
                tracing::warn!("live feed: {e}; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            let events = |after| store.show_events_after(after, PAGE);
            let position = ShowEventRecord::position;
            let last = &mut self.last_show;
            while let Err(e) = publish_after(events, position, last, &show_feed).await {
                tracing::warn!("show feed: {e}; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
        }
    }
}

/// Records read per query while publishing.
const PAGE: u32 = 1000;

/// Publishes every record after `last` (all of them when `None`), as `read` returns
/// them a page at a time, advancing `last` past each one sent (so a retry after an
/// error sends nothing twice).
async fn publish_after<R, V, F>(
    read: impl Fn(Option<(u32, u32)>) -> F,
    position: fn(&R) -> (u32, u32),
    last: &mut Option<(u32, u32)>,
    feed: &broadcast::Sender<Arc<V>>,
) -> Result<(), StoreError>
where
    F: Future<Output = Result<Vec<R>, StoreError>>,
    V: for<'a> From<&'a R>,
{
    loop {
        let records = read(*last).await?;
        for record in &records {
            *last = Some(position(record));
            // No receiver is fine: nobody is watching.
            let _ = feed.send(Arc::new(V::from(record)));
        }
        if records.len() < PAGE as usize {
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
