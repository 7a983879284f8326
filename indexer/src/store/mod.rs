//! The SQL mirror: raw events, the checkpoint and the derived tables, written in
//! one transaction per batch of blocks so a crash leaves whole blocks or nothing.
//! The store owns its schema: nothing outside this module spells its SQL to write,
//! and readers get typed answers.
//!
//! One schema (`indexer/migrations`) serves SQLite and PostgreSQL through sqlx's
//! `Any` driver; queries use only the SQL both understand.
//!
//! - this file: [`Store`] (connecting and migrating, [`Store::commit`], the
//!   checkpoint, raw events back for audits and tests) and the store's types.
//! - `encoding`: how amounts, accounts, hashes and counters are spelled in columns.
//! - `batch`: one commit's events folded in memory (raw rows, tip rows, each derived
//!   row read and written once) through the generic `Table` of `Derived` rows.
//! - `totals`: supporters, performer and viewer totals, hourly buckets.
//! - `registry`: the performers registry and the 18+ verifier listings.
//! - `rating`: the rating schedule, scores and contributions; [`load_schedule`],
//!   [`load_score`], [`load_scores`].
//! - `positions`: rows in chain order after a position, for the live feeds.
//! - `tips`: settled tips read back ([`Store::tips`], [`Store::tips_after`]).
//! - `profiles`: public profile documents bound to the registry's commitments.
//! - `shows`: private shows, their terms and events, written through and read back.
//! - [`read`]: the performers' side, read for the API's read model.

mod batch;
mod encoding;
mod positions;
mod profiles;
mod rating;
mod registry;
mod shows;
mod tips;
mod totals;

pub mod read;

use crate::decode::AccountId;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, Row, SqlSafeStr};
use std::time::Duration;

pub use encoding::{amount_text, get_amount, get_hash, get_u32, NATIVE};
use encoding::{parse_hash, to_u32};
pub use profiles::StoredProfile;
pub use rating::{load_schedule, load_score, load_scores};
pub use shows::{ShowEarnings, ShowEventRecord, ShowFilter, ShowRecord, ShowTermsRecord};
pub use tips::{TipFilter, TipRecord};

/// Why the store refused or failed; nothing of the batch was written.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("block {got} does not follow the checkpoint {expected:?}: refusing to leave a gap")]
    Gap { expected: Option<u32>, got: u32 },
    #[error("corrupt row: {0}")]
    Corrupt(String),
    #[error("rating replay at block {block} event {index}: {source}")]
    Replay {
        block: u32,
        index: u32,
        source: crate::rating::ReplayError,
    },
}

/// One `Contracts::ContractEmitted` of ours, as it sits in its block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    /// Position of the event among all events of its block.
    pub event_index: u32,
    /// The extrinsic that emitted it, if any.
    pub extrinsic_index: Option<u32>,
    pub contract: AccountId,
    pub topics: Vec<[u8; 32]>,
    pub data: Vec<u8>,
}

/// A finalized block with our events in it (possibly none).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedBlock {
    pub number: u32,
    pub hash: [u8; 32],
    pub events: Vec<RawEvent>,
}

/// The last block whose events are all stored, and the head seen then.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    pub block_number: u32,
    pub block_hash: [u8; 32],
    pub finalized_head: u32,
}

/// The database, migrated and ready.
#[derive(Debug, Clone)]
pub struct Store {
    pool: AnyPool,
    /// Rows per multi-row `INSERT` of raw events and tips. sqlx's SQLite driver looks
    /// each `$N` up by name (linear in the statement's parameters), so binding costs
    /// grow with the square of a statement's size there: SQLite takes short
    /// statements, PostgreSQL long ones (fewer round trips). Both are well under the
    /// databases' parameter limits (32 766 and 65 535) at 13 columns.
    rows_per_insert: usize,
}

impl Store {
    /// Opens (creating if needed) the database at `url` and applies the migrations.
    /// `sqlite://path` or a plain path means a SQLite file; `postgres://` a server.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let url = normalize_url(url);
        let sqlite = url.starts_with("sqlite:");
        let pool = AnyPoolOptions::new()
            .max_connections(if sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(30))
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if sqlite {
                        // WAL lets the API read while the indexer writes; a reader
                        // never waits for a commit, a commit waits at most 5 s.
                        for pragma in [
                            "PRAGMA journal_mode = WAL",
                            "PRAGMA synchronous = NORMAL",
                            "PRAGMA busy_timeout = 5000",
                            // Deleted rows are zeroed, not left in free pages: an
                            // erased profile must not stay readable in the file.
                            "PRAGMA secure_delete = ON",
                        ] {
                            sqlx::query(pragma).execute(&mut *conn).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(&url)
            .await?;
        migrator().run(&pool).await?;
        Ok(Self {
            pool,
            rows_per_insert: if sqlite { 50 } else { 500 },
        })
    }

    /// The pool, for readers (the API).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Where indexing stands; `None` before the first commit.
    pub async fn checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        load_checkpoint(&self.pool).await
    }

    /// Stores `blocks` (consecutive, following the checkpoint) with every derived
    /// change and the new checkpoint, all in one transaction. The derived tables
    /// interpret the events of the LIVE contract at `live_token`.
    pub async fn commit(
        &self,
        live_token: &AccountId,
        blocks: &[IndexedBlock],
        finalized_head: u32,
    ) -> Result<(), StoreError> {
        let Some(last) = blocks.last() else {
            return self.note_head(finalized_head).await;
        };
        let mut tx = self.pool.begin().await?;
        let mut expected = sqlx::query("SELECT block_number FROM checkpoint WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| get_u32(&row, "block_number"))
            .transpose()?;
        let mut batch = batch::Batch::new(self.rows_per_insert);
        for block in blocks {
            if expected.is_some_and(|checkpoint| checkpoint.checked_add(1) != Some(block.number)) {
                return Err(StoreError::Gap {
                    expected: expected.and_then(|c| c.checked_add(1)),
                    got: block.number,
                });
            }
            for event in &block.events {
                batch.add(&mut tx, live_token, block.number, event).await?;
            }
            expected = Some(block.number);
        }
        let superseded_profiles = batch.superseded_profiles;
        batch.flush(&mut tx).await?;
        sqlx::query(
            "INSERT INTO checkpoint (id, block_number, block_hash, finalized_head) \
             VALUES (1, $1, $2, $3) ON CONFLICT (id) DO UPDATE SET \
             block_number = excluded.block_number, block_hash = excluded.block_hash, \
             finalized_head = excluded.finalized_head",
        )
        .bind(i64::from(last.number))
        .bind(hex::encode(last.hash))
        .bind(i64::from(finalized_head.max(last.number)))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        if superseded_profiles {
            // The blocks are stored; a log that could not be truncated now is
            // truncated at the next erasure, so say why and go on.
            if let Err(e) = self.forget_deleted().await {
                tracing::warn!("after a profile was superseded: {e}");
            }
        }
        Ok(())
    }

    /// Records a newer finalized head while nothing new is indexed yet.
    async fn note_head(&self, finalized_head: u32) -> Result<(), StoreError> {
        sqlx::query("UPDATE checkpoint SET finalized_head = $1 WHERE id = 1")
            .bind(i64::from(finalized_head))
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Every stored event in chain order: what the crash tests compare with the chain.
    pub async fn events(&self) -> Result<Vec<(u32, RawEvent)>, StoreError> {
        sqlx::query(
            "SELECT block_number, event_index, extrinsic_index, contract, topics, data \
             FROM events ORDER BY block_number, event_index",
        )
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(raw_event)
        .collect()
    }

    /// What an audit replays: the parameter announcements of the LIVE contract at
    /// `live_token` and its events that may change `performer`'s score (tips, votes,
    /// removals, pruning), up to block `up_to`, in chain order.
    pub async fn rating_history(
        &self,
        live_token: &AccountId,
        performer: &AccountId,
        up_to: u32,
    ) -> Result<Vec<(u32, RawEvent)>, StoreError> {
        sqlx::query(
            "SELECT block_number, event_index, extrinsic_index, contract, topics, data \
             FROM events WHERE contract = $1 AND ((performer = $2 AND name IN \
             ('Tipped', 'ShowPaid', 'Rated', 'SupporterRemoved', 'ScorePruned')) \
             OR name = 'ParamsAnnounced') \
             AND block_number <= $3 ORDER BY block_number, event_index",
        )
        .bind(hex::encode(live_token))
        .bind(hex::encode(performer))
        .bind(i64::from(up_to))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(raw_event)
        .collect()
    }
}

/// The checkpoint row, read through `executor` (the pool or a reader's snapshot).
async fn load_checkpoint<'e, E>(executor: E) -> Result<Option<Checkpoint>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT block_number, block_hash, finalized_head FROM checkpoint WHERE id = 1")
        .fetch_optional(executor)
        .await?
        .map(|row| {
            Ok(Checkpoint {
                block_number: get_u32(&row, "block_number")?,
                block_hash: get_hash(&row, "block_hash")?,
                finalized_head: get_u32(&row, "finalized_head")?,
            })
        })
        .transpose()
}

/// An `events` row back as the event it mirrors, with its block number.
fn raw_event(row: &AnyRow) -> Result<(u32, RawEvent), StoreError> {
    let topics: String = row.try_get("topics")?;
    let topics = topics
        .split(',')
        .filter(|t| !t.is_empty())
        .map(parse_hash)
        .collect::<Result<_, _>>()?;
    let extrinsic: Option<i64> = row.try_get("extrinsic_index")?;
    Ok((
        get_u32(row, "block_number")?,
        RawEvent {
            event_index: get_u32(row, "event_index")?,
            extrinsic_index: extrinsic.map(to_u32).transpose()?,
            contract: get_hash(row, "contract")?,
            topics,
            data: hex::decode(row.try_get::<String, _>("data")?)
                .map_err(|e| StoreError::Corrupt(e.to_string()))?,
        },
    ))
}

/// The schema's migrations, compiled in (the same files `sqlx migrate` reads).
fn migrator() -> Migrator {
    Migrator::with_migrations(vec![
        Migration::new(
            1,
            "init".into(),
            MigrationType::Simple,
            include_str!("../../migrations/0001_init.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            2,
            "live token".into(),
            MigrationType::Simple,
            include_str!("../../migrations/0002_live_token.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            3,
            "profiles".into(),
            MigrationType::Simple,
            include_str!("../../migrations/0003_profiles.sql").into_sql_str(),
            false,
        ),
        Migration::new(
            4,
            "shows".into(),
            MigrationType::Simple,
            include_str!("../../migrations/0004_shows.sql").into_sql_str(),
            false,
        ),
    ])
}

/// Accepts `sqlite://file`, `sqlite:file`, a bare path, or `postgres://…`, and makes
/// SQLite create the file when missing.
fn normalize_url(url: &str) -> String {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return url.to_owned();
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    if path.contains('?') {
        format!("sqlite://{path}")
    } else {
        format!("sqlite://{path}?mode=rwc")
    }
}
