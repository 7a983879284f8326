//! Applies a batch of raw events to the mirror: the raw rows, the tips, and what they
//! change in the derived tables.
//!
//! A batch of full blocks holds tens of thousands of events and, on a site with a
//! million viewers, touches about as many derived rows (supporters, rating
//! contributions) besides a few dozen totals and hourly buckets. The batch first
//! names every derived row its events will change ([`Batch::prefetch`]), reads them
//! in sorted chunks, changes them in memory by every event in chain order, and
//! writes each once when the batch is flushed (`derived::Table`); raw events and
//! tips go in as multi-row inserts. The result is the same as applying the events
//! one at a time.

use super::derived::Tx;
use super::encoding::{account_text, amount_text, to_i64, Placeholders, ROWS_PER_STATEMENT};
use super::rating::Ratings;
use super::totals::Totals;
use super::types::{RawEvent, StoreError};
use super::{registry, shows, vouchers};
use crate::decode::{AccountId, LiveEvent, Tipped};

/// One batch's changes, gathered until [`Batch::flush`] writes them into the
/// transaction the batch belongs to.
#[derive(Default)]
pub(super) struct Batch {
    events: Vec<EventRow>,
    tips: Vec<TipRow>,
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
        });

        let Some(decoded) = decoded.filter(|_| event.contract == *live_token) else {
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
            LiveEvent::Tipped(tip) => self.record_tip(tx, block, event.event_index, &tip).await,
            // The registry and the verifier listings are written through at once:
            // their rows are few, and an attestation reads its verifier's listing
            // back through SQL.
            other => {
                registry::record(tx, block, &other).await?;
                vouchers::record(tx, block, &other).await?;
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
                 data, performer)",
                8,
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
                    .bind(row.performer.as_deref());
            }
            query.execute(&mut **tx).await?;
        }
        for chunk in self.tips.chunks(ROWS_PER_STATEMENT) {
            let sql = placeholders.insert(
                "tips (block_number, event_index, tip_id, viewer, performer, token, gross, \
                 platform_fee, treasury, burned, splits, net, memo, at_ms)",
                14,
                chunk.len(),
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                query = query
                    .bind(row.block)
                    .bind(row.index)
                    .bind(row.tip_id)
                    .bind(row.viewer.as_str())
                    .bind(row.performer.as_str())
                    .bind(row.token.as_deref())
                    .bind(amount_text(row.gross))
                    .bind(amount_text(row.platform_fee))
                    .bind(row.treasury.as_str())
                    .bind(amount_text(row.burned))
                    .bind(row.splits.as_str())
                    .bind(amount_text(row.net))
                    .bind(row.memo.as_deref())
                    .bind(row.at_ms);
            }
            query.execute(&mut **tx).await?;
        }
        self.totals.flush(tx).await?;
        self.ratings.flush(tx).await
    }

    /// The tip's row, and its share of the totals.
    async fn record_tip(
        &mut self,
        tx: &mut Tx<'_>,
        block: u32,
        event_index: u32,
        tip: &Tipped,
    ) -> Result<(), StoreError> {
        // Amounts inside the JSON are plain decimal, not padded: the API shows them as is.
        let splits: Vec<_> = tip
            .splits
            .iter()
            .map(|(recipient, amount)| {
                serde_json::json!([account_text(recipient), amount.to_string()])
            })
            .collect();
        self.tips.push(TipRow {
            block: i64::from(block),
            index: i64::from(event_index),
            tip_id: to_i64(tip.tip_id)?,
            viewer: account_text(&tip.viewer),
            performer: account_text(&tip.performer),
            token: tip.token.as_ref().map(account_text),
            gross: tip.gross,
            platform_fee: tip.platform_fee,
            treasury: account_text(&tip.treasury),
            burned: tip.burned,
            splits: serde_json::Value::from(splits).to_string(),
            net: tip.net,
            memo: tip.memo.as_ref().map(hex::encode),
            at_ms: to_i64(tip.at)?,
        });
        self.totals.record(tx, tip).await
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
}

/// A `tips` row, encoded but for its amounts (padded when bound).
struct TipRow {
    block: i64,
    index: i64,
    tip_id: i64,
    viewer: String,
    performer: String,
    token: Option<String>,
    gross: u128,
    platform_fee: u128,
    treasury: String,
    burned: u128,
    splits: String,
    net: u128,
    memo: Option<String>,
    at_ms: i64,
}
