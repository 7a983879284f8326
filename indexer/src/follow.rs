//! The indexing loop: catch up from the checkpoint to the finalized head, then
//! follow new heads; on any chain error reconnect and catch up again, so a node
//! restart or a dropped connection leaves no gap (missed heads are never replayed
//! by the RPC client, so the gap is always recomputed from the checkpoint).

use crate::config::Deployment;
use crate::source::{ChainSource, SourceError};
use crate::store::{IndexedBlock, Store, StoreError};
use futures::{StreamExt, TryStreamExt};
use std::convert::Infallible;
use std::time::{Duration, Instant};
use tokio::sync::watch;

/// Blocks fetched concurrently while catching up.
const FETCH_CONCURRENCY: usize = 16;
/// Blocks per transaction while catching up, unless `--commit-batch` says otherwise.
pub const DEFAULT_COMMIT_BATCH: u32 = 512;
/// How the follower trades throughput for checkpoint granularity.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct FollowOptions {
    /// Most blocks committed in one transaction while catching up.
    #[arg(long, env = "LIVESTARS_COMMIT_BATCH", default_value_t = DEFAULT_COMMIT_BATCH,
          value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub commit_batch: u32,
}
/// Interval of the progress log while catching up.
const PROGRESS_EVERY: Duration = Duration::from_secs(2);

/// How far indexing is, for readiness and for waking the API's live feed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Last block whose events are all committed.
    pub indexed: Option<u32>,
    /// Last finalized head seen.
    pub finalized_head: u32,
}

impl Progress {
    /// Blocks still to index.
    pub fn behind(&self) -> u32 {
        match self.indexed {
            Some(indexed) => self.finalized_head.saturating_sub(indexed),
            None => self.finalized_head.saturating_add(1),
        }
    }
}

/// Why a round of indexing ended; every kind is retried.
enum Retry {
    /// The node or the connection to it, or a database that is briefly unavailable.
    Chain(SourceError),
    /// A commit the store refused for another reason (a full disk, a corrupt row):
    /// retried more slowly, and logged as an error, since it may need an operator.
    Store(StoreError),
}

impl From<SourceError> for Retry {
    fn from(e: SourceError) -> Self {
        Retry::Chain(e)
    }
}

impl From<StoreError> for Retry {
    fn from(e: StoreError) -> Self {
        match e {
            // A lost database connection is retried like a lost node.
            StoreError::Database(ref inner) if is_transient(inner) => {
                Retry::Chain(SourceError::Other(e.to_string()))
            }
            other => Retry::Store(other),
        }
    }
}

fn is_transient(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::Io(_)
        | sqlx::Error::Protocol(_)
        | sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => db.code().is_some_and(|code| match code.len() {
            // PostgreSQL's SQLSTATE: connection exceptions (08) and operator
            // intervention (57), e.g. a server restart.
            5 => code.starts_with("08") || code.starts_with("57"),
            // SQLite's extended result code: busy (5) or locked (6), whatever the
            // extension, past `busy_timeout`.
            _ => code
                .parse::<i32>()
                .is_ok_and(|code| matches!(code & 0xff, 5 | 6)),
        }),
        _ => false,
    }
}

/// Most time between two attempts after a store error.
const MAX_STORE_BACKOFF: Duration = Duration::from_secs(30);

/// Indexes forever, reporting progress on `progress`. Nothing ends it: a chain
/// error reconnects, and a failed commit (rolled back whole) is logged and tried
/// again from the checkpoint with a growing pause, so the API beside it keeps
/// serving what is indexed and catches up once the cause is gone.
pub async fn follow(
    store: Store,
    deployment: Deployment,
    options: FollowOptions,
    progress: watch::Sender<Progress>,
) -> Infallible {
    let mut backoff = Duration::from_millis(250);
    loop {
        match follow_once(&store, &deployment, options, &progress).await {
            Err(Retry::Chain(e)) => {
                tracing::warn!("chain: {e}; reconnecting in {backoff:?}");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(Duration::from_secs(5));
            }
            Err(Retry::Store(e)) => {
                tracing::error!("store: {e}; indexing again from the checkpoint in {backoff:?}");
                tokio::time::sleep(backoff).await;
                backoff = (backoff * 2).min(MAX_STORE_BACKOFF);
            }
            Ok(()) => backoff = Duration::from_millis(250),
        }
    }
}

async fn follow_once(
    store: &Store,
    deployment: &Deployment,
    options: FollowOptions,
    progress: &watch::Sender<Progress>,
) -> Result<(), Retry> {
    let source = ChainSource::connect(&deployment.node_url, deployment.live_token).await?;
    let mut heads = source.finalized_heads().await?;
    let mut head = source.finalized_head().await?;
    tracing::info!(head, "connected to {}", deployment.node_url);
    loop {
        catch_up(store, &source, deployment, options, head, progress).await?;
        match tokio::time::timeout(Duration::from_secs(20), heads.next()).await {
            Ok(Some(next)) => head = head.max(next?),
            Ok(None) => return Err(SourceError::Other("head subscription ended".into()).into()),
            // A quiet chain: make sure the connection is still alive.
            Err(_) => head = head.max(source.finalized_head().await?),
        }
    }
}

/// Indexes every block from the checkpoint to `head`.
async fn catch_up(
    store: &Store,
    source: &ChainSource,
    deployment: &Deployment,
    options: FollowOptions,
    head: u32,
    progress: &watch::Sender<Progress>,
) -> Result<(), Retry> {
    let checkpoint = store.checkpoint().await?;
    let mut next = checkpoint.map_or(deployment.start_block, |c| c.block_number.saturating_add(1));
    let mut meter = Meter::new(next, head, options.commit_batch);
    if next > head {
        store.commit(&deployment.live_token, &[], head).await?;
    }
    while next <= head {
        let last = head.min(next.saturating_add(options.commit_batch.saturating_sub(1)));
        let blocks: Vec<IndexedBlock> = futures::stream::iter(next..=last)
            .map(|number| source.block(number))
            .buffered(FETCH_CONCURRENCY)
            .try_collect()
            .await?;
        store.commit(&deployment.live_token, &blocks, head).await?;
        let events = blocks.iter().map(|b| b.events.len()).sum::<usize>();
        progress.send_replace(Progress {
            indexed: Some(last),
            finalized_head: head,
        });
        meter.advance(last, events);
        next = last.saturating_add(1);
    }
    let indexed = next
        .checked_sub(1)
        .filter(|_| checkpoint.is_some() || next > deployment.start_block);
    progress.send_if_modified(|p| {
        let current = Progress {
            indexed,
            finalized_head: head,
        };
        let changed = *p != current;
        *p = current;
        changed
    });
    Ok(())
}

/// Periodic progress log during a catch-up: blocks/s, events/s and how far behind.
struct Meter {
    started: Instant,
    last_log: Instant,
    first: u32,
    head: u32,
    batch: u32,
    events: usize,
}

impl Meter {
    fn new(first: u32, head: u32, batch: u32) -> Self {
        let now = Instant::now();
        Self {
            started: now,
            last_log: now,
            first,
            head,
            batch,
            events: 0,
        }
    }

    fn advance(&mut self, indexed: u32, events: usize) {
        self.events = self.events.saturating_add(events);
        let done = indexed == self.head;
        if self.last_log.elapsed() < PROGRESS_EVERY
            && !(done && self.head > self.first.saturating_add(self.batch))
        {
            return;
        }
        self.last_log = Instant::now();
        let seconds = self.started.elapsed().as_secs_f64().max(1e-3);
        let blocks = f64::from(indexed.saturating_sub(self.first).saturating_add(1));
        tracing::info!(
            "{} block {indexed}/{}: {:.0} blocks/s, {:.0} events/s, {} behind",
            if done { "caught up at" } else { "backfill" },
            self.head,
            blocks / seconds,
            self.events as f64 / seconds,
            self.head.saturating_sub(indexed),
        );
    }
}
