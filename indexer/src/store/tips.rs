//! Settled tips read back, typed: the API's tip history and live feed read them
//! here instead of spelling SQL over the `tips` table themselves.
//!
//! A tip's position on the chain, `(block, event_index)`, orders tips and serves as
//! the cursor: lists are newest first and page backwards from it, the feed goes
//! forwards from it.

use super::encoding::{
    account_text, get_amount, get_hash, get_optional_hash, get_u32, get_u64, parse_amount,
    parse_hash,
};
use super::positions::{last_position, rows_after};
use super::types::{Store, StoreError};
use crate::decode::{AccountId, Commitment};
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
const TIP_COLUMNS: &str = "block_number, event_index, tip_id, viewer, performer, token, \
    gross, platform_fee, treasury, burned, splits, net, memo, at_ms";

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
            TipFilter::All => ("$4 = $4 AND", String::new()),
            TipFilter::Performer(performer) => ("performer = $4 AND", account_text(performer)),
            TipFilter::Viewer(viewer) => ("viewer = $4 AND", account_text(viewer)),
        };
        // `condition` is one of the literals above, never input.
        let sql = format!(
            "SELECT {TIP_COLUMNS} FROM tips WHERE {condition} \
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
        rows_after(&self.pool, "tips", TIP_COLUMNS, after, limit)
            .await?
            .iter()
            .map(tip)
            .collect()
    }

    /// The position of the newest tip stored; `None` before the first.
    pub async fn last_tip_position(&self) -> Result<Option<(u32, u32)>, StoreError> {
        last_position(&self.pool, "tips").await
    }
}

/// A `tips` row back as the tip it mirrors.
fn tip(row: &AnyRow) -> Result<TipRecord, StoreError> {
    // Written as `[["recipient hex", "amount"], ...]`, amounts unpadded.
    let splits: Vec<(String, String)> = serde_json::from_str(&row.try_get::<String, _>("splits")?)
        .map_err(|e| StoreError::Corrupt(format!("tip splits: {e}")))?;
    Ok(TipRecord {
        block: get_u32(row, "block_number")?,
        event_index: get_u32(row, "event_index")?,
        tip_id: get_u64(row, "tip_id")?,
        viewer: get_hash(row, "viewer")?,
        performer: get_hash(row, "performer")?,
        token: get_optional_hash(row, "token")?,
        gross: get_amount(row, "gross")?,
        platform_fee: get_amount(row, "platform_fee")?,
        treasury: get_hash(row, "treasury")?,
        burned: get_amount(row, "burned")?,
        splits: splits
            .iter()
            .map(|(recipient, amount)| Ok((parse_hash(recipient)?, parse_amount(amount)?)))
            .collect::<Result<_, StoreError>>()?,
        net: get_amount(row, "net")?,
        memo: get_optional_hash(row, "memo")?,
        at_ms: get_u64(row, "at_ms")?,
    })
}
