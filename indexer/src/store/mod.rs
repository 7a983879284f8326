//! The SQL mirror: raw events, the checkpoint and the derived tables, written in
//! one transaction per batch of blocks so a crash leaves whole blocks or nothing.
//! The store owns its schema: nothing outside this module spells its SQL to write,
//! and readers get typed answers.
//!
//! One schema (`indexer/migrations`) serves SQLite and PostgreSQL through sqlx's
//! `Any` driver; queries use only the SQL both understand.
//!
//! - this file: [`Store`]'s life (connecting and migrating, [`Store::commit`], the
//!   checkpoint, raw events back for audits and tests) and the public re-exports.
//!   Only this file imports the modules below; each of them imports only modules
//!   listed before it (siblings, never this file), so there is no import cycle.
//! - `types`: the store's types ([`Store`], [`RawEvent`], [`IndexedBlock`],
//!   [`Checkpoint`], [`StoreError`]).
//! - `encoding`: how amounts, accounts, hashes and counters are spelled in columns.
//! - `derived`: write transactions (`Tx`, `begin_write`) and the generic `Table` of
//!   `Derived` rows, each read and written once per batch.
//! - `positions`: rows in chain order after a position, for the live feeds.
//! - `totals`: supporters, performer and viewer totals, hourly buckets.
//! - `rating`: the rating schedule, scores and contributions; [`load_schedule`],
//!   [`load_score`], [`load_scores`].
//! - `profiles`: public profile documents bound to the registry's commitments.
//! - `tips`: settled tips read back ([`Store::tips`], [`Store::tips_after`]).
//! - `room`: the performers' rooms, tip notes and overlay links, off-chain.
//! - `registry`: the performers registry and the 18+ verifier listings.
//! - `shows`: private shows, their terms and events, written through and read back.
//! - `vouchers`: the voucher desks' keys and the vouchers each order paid for.
//! - `batch`: one commit's events folded in memory (raw rows, tip rows, and through
//!   `totals`, `rating`, `registry`, `room`, `shows` and `vouchers` the derived rows).
//! - [`read`]: the performers' side, read for the API's read model, and the
//!   checkpoint.

mod batch;
mod derived;
mod encoding;
mod positions;
mod profiles;
mod rating;
mod registry;
mod room;
mod shows;
mod tips;
mod totals;
mod types;
mod vouchers;

pub mod read;

use crate::decode::AccountId;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationType, Migrator};
use sqlx::{AnyPool, AssertSqlSafe, Row, SqlSafeStr};
use std::time::Duration;

pub use encoding::{amount_text, get_amount, get_hash, get_u32, NATIVE};
use encoding::{get_topics, to_u32};
pub use profiles::StoredProfile;
pub use rating::{load_schedule, load_score, load_scores};
pub use room::{NoteRecord, StoredRoom};
pub use shows::{ShowEarnings, ShowEventRecord, ShowFilter, ShowRecord, ShowTermsRecord};
pub use tips::{TipFilter, TipRecord};
pub use types::{Checkpoint, IndexedBlock, RawEvent, Store, StoreError};
pub use vouchers::VoucherKeyRecord;

impl Store {
    /// Opens (creating if needed) the database at `url` and applies the migrations.
    /// `sqlite://path` or a plain path means a SQLite file; `postgres://` a server.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        sqlx::any::install_default_drivers();
        let url = normalize_url(url);
        if !url.starts_with("sqlite:") {
            let pool = AnyPoolOptions::new()
                .max_connections(8)
                .acquire_timeout(Duration::from_secs(30))
                .connect(&url)
                .await?;
            migrator(false).run(&pool).await?;
            return Ok(Self {
                writer: pool.clone(),
                pool,
            });
        }
        // Index pages at a million viewers run to gigabytes, and a backfill's commit
        // dirties hundreds of megabytes of them: the one writer keeps up to 1 GiB of
        // pages (hot pages stay out of `pread`, a commit's pages are not spilled to
        // the WAL before it ends); each of the readers up to 256 MiB. No mmap: it
        // gained 5 % more and counts the file in the RSS.
        let writer = sqlite_pool(&url, 1, 1024).await?;
        migrator(true).run(&writer).await?;
        let pool = sqlite_pool(&url, 4, 256).await?;
        Ok(Self { pool, writer })
    }

    /// The pool, for readers (the API).
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Where indexing stands; `None` before the first commit.
    pub async fn checkpoint(&self) -> Result<Option<Checkpoint>, StoreError> {
        read::load_checkpoint(&self.pool).await
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
        let mut tx = derived::begin_write(&self.writer).await?;
        let mut expected = sqlx::query("SELECT block_number FROM checkpoint WHERE id = 1")
            .fetch_optional(&mut *tx)
            .await?
            .map(|row| get_u32(&row, "block_number"))
            .transpose()?;
        for block in blocks {
            if expected.is_some_and(|checkpoint| checkpoint.checked_add(1) != Some(block.number)) {
                return Err(StoreError::Gap {
                    expected: expected.and_then(|c| c.checked_add(1)),
                    got: block.number,
                });
            }
            expected = Some(block.number);
        }
        let events: Vec<_> = blocks
            .iter()
            .flat_map(|block| block.events.iter().map(move |event| (block.number, event)))
            .map(|(block, event)| {
                let decoded = crate::decode::decode(&event.topics, &event.data).ok();
                (block, event, decoded)
            })
            .collect();
        let mut batch = batch::Batch::default();
        batch
            .prefetch(
                &mut tx,
                live_token,
                events
                    .iter()
                    .map(|(_, event, decoded)| (*event, decoded.as_ref())),
            )
            .await?;
        for (block, event, decoded) in events {
            batch
                .add(&mut tx, live_token, block, event, decoded)
                .await?;
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
            .execute(&self.writer)
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

/// An `events` row back as the event it mirrors, with its block number.
fn raw_event(row: &AnyRow) -> Result<(u32, RawEvent), StoreError> {
    let extrinsic: Option<i64> = row.try_get("extrinsic_index")?;
    Ok((
        get_u32(row, "block_number")?,
        RawEvent {
            event_index: get_u32(row, "event_index")?,
            extrinsic_index: extrinsic.map(to_u32).transpose()?,
            contract: get_hash(row, "contract")?,
            topics: get_topics(row)?,
            data: row.try_get("data")?,
        },
    ))
}

/// The schema's migrations, compiled in: `migrations/` serves both backends, and
/// from version 6 on each backend has its own file under `migrations/sqlite/` or
/// `migrations/postgres/` where their SQL differs.
fn migrator(sqlite: bool) -> Migrator {
    let shared = [
        (1, "init", include_str!("../../migrations/0001_init.sql")),
        (
            2,
            "live token",
            include_str!("../../migrations/0002_live_token.sql"),
        ),
        (
            3,
            "profiles",
            include_str!("../../migrations/0003_profiles.sql"),
        ),
        (4, "shows", include_str!("../../migrations/0004_shows.sql")),
        (
            5,
            "flat ingest",
            include_str!("../../migrations/0005_flat_ingest.sql"),
        ),
    ];
    let compact = if sqlite {
        include_str!("../../migrations/sqlite/0006_compact.sql")
    } else {
        include_str!("../../migrations/postgres/0006_compact.sql")
    };
    let vouchers = include_str!("../../migrations/0007_vouchers.sql");
    let tips = include_str!("../../migrations/0008_tips_are_events.sql");
    let rooms = include_str!("../../migrations/0009_rooms.sql");
    let migrations = shared
        .into_iter()
        .chain([
            (6, "compact", compact),
            (7, "vouchers", vouchers),
            (8, "tips are events", tips),
            (9, "rooms", rooms),
        ])
        .map(|(version, description, sql)| {
            Migration::new(
                version,
                description.into(),
                MigrationType::Simple,
                sql.into_sql_str(),
                false,
            )
        })
        .collect();
    Migrator::with_migrations(migrations)
}

/// A pool of `connections` to the SQLite file at `url`, each with up to `cache_mib`
/// of page cache.
async fn sqlite_pool(url: &str, connections: u32, cache_mib: i64) -> Result<AnyPool, StoreError> {
    let cache_size = format!("PRAGMA cache_size = -{}", cache_mib * 1024);
    Ok(AnyPoolOptions::new()
        .max_connections(connections)
        .acquire_timeout(Duration::from_secs(30))
        .after_connect(move |conn, _| {
            let cache_size = cache_size.clone();
            Box::pin(async move {
                // WAL lets the API read while the indexer writes; a reader never
                // waits for a commit, a commit waits at most 5 s for another
                // process's.
                for pragma in [
                    "PRAGMA journal_mode = WAL",
                    "PRAGMA synchronous = NORMAL",
                    "PRAGMA busy_timeout = 5000",
                    // Deleted rows are zeroed, not left in free pages: an erased
                    // profile must not stay readable in the file.
                    "PRAGMA secure_delete = ON",
                    &cache_size,
                ] {
                    sqlx::query(AssertSqlSafe(pragma))
                        .execute(&mut *conn)
                        .await?;
                }
                Ok(())
            })
        })
        .connect(url)
        .await?)
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
