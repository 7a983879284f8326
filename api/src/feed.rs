//! Turns "block N is committed" into "here are its tips, show events and goals
//! reached" for the live streams: one query per new block and stream, however many
//! clients listen.

use crate::goals::{Counted, Goals};
use crate::views::{GoalReachedView, ShowEventView, TipView};
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
    goals: Goals,
}

/// Where the publisher sends what it reads.
pub struct Feeds {
    pub tips: broadcast::Sender<Arc<TipView>>,
    pub shows: broadcast::Sender<Arc<ShowEventView>>,
    pub goals: broadcast::Sender<Arc<GoalReachedView>>,
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
            goals: Goals::default(),
        })
    }

    /// Publishes every tip, show event and goal reached after the start on `feeds`,
    /// in chain order, at each change of `progress`, until it ends.
    pub async fn run(mut self, mut progress: watch::Receiver<Progress>, feeds: Feeds) {
        let store = &self.store;
        while progress.changed().await.is_ok() {
            let tips = |after| store.tips_after(after, PAGE);
            let last = &mut self.last;
            let mut published = Vec::new();
            let mut count = |tip: &TipRecord| published.push(Counted::from(tip));
            while let Err(e) =
                publish_after(tips, TipRecord::position, last, &feeds.tips, &mut count).await
            {
                tracing::warn!("live feed: {e}; retrying");
                tokio::time::sleep(Duration::from_millis(500)).await;
            }
            for reached in self.goals.reached(store, &published).await {
                // No receiver is fine: nobody is watching.
                let _ = feeds.goals.send(Arc::new(reached));
            }
            let events = |after| store.show_events_after(after, PAGE);
            let position = ShowEventRecord::position;
            let last = &mut self.last_show;
            while let Err(e) =
                publish_after(events, position, last, &feeds.shows, &mut |_| ()).await
            {
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
/// error sends nothing twice) and showing each one sent to `sent`.
async fn publish_after<R, V, F>(
    read: impl Fn(Option<(u32, u32)>) -> F,
    position: fn(&R) -> (u32, u32),
    last: &mut Option<(u32, u32)>,
    feed: &broadcast::Sender<Arc<V>>,
    sent: &mut impl FnMut(&R),
) -> Result<(), StoreError>
where
    F: Future<Output = Result<Vec<R>, StoreError>>,
    V: for<'a> From<&'a R>,
{
    loop {
        let records = read(*last).await?;
        for record in &records {
            *last = Some(position(record));
            sent(record);
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
