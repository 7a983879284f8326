//! Settled tips read back, typed: the API's tip history and live feed read them
//! here instead of spelling SQL over the events themselves.
//!
//! A tip is stored once, as the raw `Tipped` event the chain emitted, and decoded
//! when read: the `events` rows of the LIVE contract's tips are those with a
//! `viewer` (set by the batch for them alone), found by name for every tip, by the
//! performer's index and by the viewer's.
//!
//! A tip's position on the chain, `(block, event_index)`, orders tips and serves as
//! the cursor: lists are newest first and page backwards from it, the feed goes
//! forwards from it.

use super::encoding::{account_text, get_topics, get_u32};
use super::positions::{last_position, rows_after, Rows};
use super::types::{Store, StoreError};
use crate::decode::{AccountId, Commitment, LiveEvent, Tipped};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// One settled tip, as its `Tipped` event reported it, at its place on the chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TipRecord {
    pub block: u32,
    pub event_index: u32,
    pub tip_id: u64,
    pub viewer: AccountId,
    pub performer: AccountId,
    /// The token's contract, or `None` for the chain's native currency.
    pub token: Option<AccountId>,
    pub gross: u128,
    pub platform_fee: u128,
    pub treasury: AccountId,
    /// Burned as the tip's stake in the rating (0 for native tips).
    pub burned: u128,
    /// Each co-recipient with their share.
    pub splits: Vec<(AccountId, u128)>,
    pub net: u128,
    /// The memo's commitment, if any (never the memo).
    pub memo: Option<Commitment>,
    /// Block time, ms since the epoch.
    pub at_ms: u64,
}

impl TipRecord {
    /// `tip`, as its event reported it, stored at `(block, event_index)`.
    pub fn new(block: u32, event_index: u32, tip: Tipped) -> Self {
        Self {
            block,
            event_index,
            tip_id: tip.tip_id,
            viewer: tip.viewer,
            performer: tip.performer,
            token: tip.token,
            gross: tip.gross,
            platform_fee: tip.platform_fee,
            treasury: tip.treasury,
            burned: tip.burned,
            splits: tip.splits,
            net: tip.net,
            memo: tip.memo,
            at_ms: tip.at,
        }
    }

    /// Where the tip sits on the chain: `(block, event_index)`.
    pub fn position(&self) -> (u32, u32) {
        (self.block, self.event_index)
    }
}

/// Which tips a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TipFilter {
    All,
    /// Tips received by this performer.
    Performer(AccountId),
    /// Tips sent by this viewer.
    Viewer(AccountId),
}

/// The columns [`tip`] reads.
pub(super) const TIP_COLUMNS: &str = "block_number, event_index, topics, data";

/// The LIVE contract's tips among the events, through the index by name.
const TIPS: Rows = Rows {
    table: "events",
    condition: "name = 'Tipped' AND viewer IS NOT NULL",
};

impl Store {
    /// Up to `limit` tips matching `filter`, newest first, strictly before the
    /// position `before` when given (the last one of the previous page).
    pub async fn tips(
        &self,
        filter: &TipFilter,
        before: Option<(u32, u32)>,
        limit: u32,
    ) -> Result<Vec<TipRecord>, StoreError> {
        let (block, index) = before.map_or((i64::MAX, i64::MAX), |(block, index)| {
            (i64::from(block), i64::from(index))
        });
        let (condition, account) = match filter {
            TipFilter::All => (TIPS.condition, String::new()),
            // Not `name = 'Tipped'` here: SQLite would walk every tip by name.
            TipFilter::Performer(performer) => (
                "performer = $4 AND viewer IS NOT NULL",
                account_text(performer),
            ),
            TipFilter::Viewer(viewer) => ("viewer = $4", account_text(viewer)),
        };
        // `condition` is one of the literals above, never input; `$4 = $4` keeps the
        // parameters the same in every form.
        let sql = format!(
            "SELECT {TIP_COLUMNS} FROM events WHERE {condition} AND $4 = $4 AND \
             (block_number < $1 OR (block_number = $1 AND event_index < $2)) \
             ORDER BY block_number DESC, event_index DESC LIMIT $3"
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(block)
            .bind(index)
            .bind(i64::from(limit))
            .bind(account)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(tip)
            .collect()
    }

    /// Up to `limit` tips in chain order, strictly after the position `after`, or
    /// from the first tip when `None`: what the live feed publishes and what a
    /// reconnecting client missed.
    pub async fn tips_after(
        &self,
        after: Option<(u32, u32)>,
        limit: u32,
    ) -> Result<Vec<TipRecord>, StoreError> {
        rows_after(&self.pool, TIPS, TIP_COLUMNS, after, limit)
            .await?
            .iter()
            .map(tip)
            .collect()
    }

    /// The position of the newest tip stored; `None` before the first.
    pub async fn last_tip_position(&self) -> Result<Option<(u32, u32)>, StoreError> {
        last_position(&self.pool, TIPS).await
    }
}

/// A tip's `events` row back as the tip it records.
pub(super) fn tip(row: &AnyRow) -> Result<TipRecord, StoreError> {
    let (block, event_index) = (get_u32(row, "block_number")?, get_u32(row, "event_index")?);
    let data: Vec<u8> = row.try_get("data")?;
    let tip = match crate::decode::decode(&get_topics(row)?, &data) {
        Ok(LiveEvent::Tipped(tip)) => tip,
        _ => {
            return Err(StoreError::Corrupt(format!(
                "event {block}-{event_index} is stored as a tip but is none"
            )))
        }
    };
    Ok(TipRecord::new(block, event_index, tip))
}
