//! Applies a batch of raw events to the mirror: the raw rows (a tip is its raw
//! `Tipped` row, marked with its viewer), and what they change in the derived tables.
//!
//! A batch of full blocks holds tens of thousands of events and, on a site with a
//! million viewers, touches about as many derived rows (supporters, rating
//! contributions) besides a few dozen totals and hourly buckets. The batch first
//! names every derived row its events will change ([`Batch::prefetch`]), reads them
//! in sorted chunks, changes them in memory by every event in chain order, and
//! writes each once when the batch is flushed (`derived::Table`); raw events go in
//! as multi-row inserts. The result is the same as applying the events
//! one at a time.

use super::derived::Tx;
use super::encoding::{account_text, Placeholders, ROWS_PER_STATEMENT};
use super::rating::Ratings;
use super::totals::Totals;
use super::types::{RawEvent, StoreError};
use super::{registry, room, shows, vouchers};
use crate::decode::{AccountId, LiveEvent};

/// One batch's changes, gathered until [`Batch::flush`] writes them into the
/// transaction the batch belongs to.
#[derive(Default)]
pub(super) struct Batch {
    events: Vec<EventRow>,
    totals: Totals,
    ratings: Ratings,
    /// Whether an event superseded a stored profile (a new commitment, an erasure).
    pub(super) superseded_profiles: bool,
}

impl Batch {
    /// Reads the derived rows that `events` (decoded, in chain order) will change
    /// in one pass per table, before [`Batch::add`] takes them in.
    pub(super) async fn prefetch<'e>(
        &mut self,
        tx: &mut Tx<'_>,
        live_token: &AccountId,
        events: impl Iterator<Item = (&'e RawEvent, Option<&'e LiveEvent>)>,
    ) -> Result<(), StoreError> {
        for (event, decoded) in events {
            let Some(decoded) = decoded.filter(|_| event.contract == *live_token) else {
                continue;
            };
            if let Some(input) = crate::rating::input(decoded, live_token) {
                self.ratings.want(&input);
            }
            if let LiveEvent::Tipped(tip) = decoded {
                self.totals.want(tip)?;
            }
        }
        self.totals.prefetch(tx).await?;
        self.ratings.prefetch(tx).await
    }

    /// Takes in `event` (of block `block`, `decoded` if we understand it): its raw
    /// row and, if it is one of the LIVE contract at `live_token`, its effect on the
    /// derived tables.
    pub(super) async fn add(
        &mut self,
        tx: &mut Tx<'_>,
        live_token: &AccountId,
        block: u32,
        event: &RawEvent,
        decoded: Option<LiveEvent>,
    ) -> Result<(), StoreError> {
        let ours = event.contract == *live_token;
        let tip_viewer = match &decoded {
            Some(LiveEvent::Tipped(tip)) if ours => Some(account_text(&tip.viewer)),
            _ => None,
        };
        self.events.push(EventRow {
            block: i64::from(block),
            index: i64::from(event.event_index),
            extrinsic: event.extrinsic_index.map(i64::from),
            contract: account_text(&event.contract),
            name: decoded.as_ref().map_or("unknown", LiveEvent::name),
            topics: event.topics.concat(),
            data: event.data.clone(),
            performer: decoded
                .as_ref()
                .and_then(LiveEvent::performer)
                .map(account_text),
            viewer: tip_viewer,
        });

        let Some(decoded) = decoded.filter(|_| ours) else {
            return Ok(());
        };
        self.superseded_profiles |= matches!(
            decoded,
            LiveEvent::PerformerErased(_) | LiveEvent::ProfileChanged(_)
        );
        if let Some(input) = crate::rating::input(&decoded, live_token) {
            self.ratings
                .record(tx, block, event.event_index, input)
                .await?;
        }
        match decoded {
            LiveEvent::Tipped(tip) => self.totals.record(tx, &tip).await,
            // The registry and the verifier listings are written through at once:
            // their rows are few, and an attestation reads its verifier's listing
            // back through SQL.
            other => {
                registry::record(tx, block, &other).await?;
                vouchers::record(tx, block, &other).await?;
                room::record(tx, block, &other).await?;
                shows::record(tx, block, event.event_index, &other).await
            }
        }
    }

    /// Writes everything gathered: raw events, tips, and each changed derived row once.
    pub(super) async fn flush(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        let placeholders = Placeholders::of(tx);
        for chunk in self.events.chunks(ROWS_PER_STATEMENT) {
            let sql = placeholders.insert(
                "events (block_number, event_index, extrinsic_index, contract, name, topics, \
                 data, performer, viewer)",
                9,
                chunk.len(),
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                query = query
                    .bind(row.block)
                    .bind(row.index)
                    .bind(row.extrinsic)
                    .bind(row.contract.as_str())
                    .bind(row.name)
                    .bind(row.topics.as_slice())
                    .bind(row.data.as_slice())
                    .bind(row.performer.as_deref())
                    .bind(row.viewer.as_deref());
            }
            query.execute(&mut **tx).await?;
        }
        self.totals.flush(tx).await?;
        self.ratings.flush(tx).await
    }
}

/// An `events` row, encoded.
struct EventRow {
    block: i64,
    index: i64,
    extrinsic: Option<i64>,
    contract: String,
    name: &'static str,
    /// The topics end to end, 32 bytes each.
    topics: Vec<u8>,
    data: Vec<u8>,
    performer: Option<String>,
    /// A tip's viewer, for the LIVE contract's tips only: what marks the row a tip.
    viewer: Option<String>,
}
