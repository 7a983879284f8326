//! Tip history: everything, per performer, per viewer; newest first.

use super::{digits, show_amount, show_hex, Account, Page, PageQuery, Params};
use crate::error::{bad_cursor, ApiError};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// One settled tip.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct TipView {
    /// Position on the chain, `BLOCK-EVENT`; also the cursor and the SSE event id.
    pub id: String,
    pub block: i64,
    pub event_index: i64,
    pub tip_id: i64,
    pub viewer: String,
    pub performer: String,
    /// The token's address, or `null` for the chain's native currency.
    pub token: Option<String>,
    pub gross: String,
    pub platform_fee: String,
    pub treasury: String,
    /// Burned as the tip's stake in the rating (`0` for native tips).
    pub burned: String,
    pub splits: Vec<SplitView>,
    pub net: String,
    /// The memo's commitment (hash), if any; never the memo.
    pub memo: Option<String>,
    /// Block time, ms since the epoch.
    pub at: i64,
}

/// One co-recipient's share of a tip.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct SplitView {
    pub recipient: String,
    pub amount: String,
}

/// The columns [`TipView::from_row`] reads.
const TIP_COLUMNS: &str = "block_number, event_index, tip_id, viewer, performer, token, \
    gross, platform_fee, treasury, burned, splits, net, memo, at_ms";

impl TipView {
    /// Builds the view from a `tips` row.
    pub fn from_row(row: &AnyRow) -> Result<Self, ApiError> {
        let block: i64 = row.try_get("block_number")?;
        let event_index: i64 = row.try_get("event_index")?;
        let splits: Vec<(String, String)> =
            serde_json::from_str(&row.try_get::<String, _>("splits")?)
                .map_err(|e| ApiError::Internal(format!("stored splits: {e}")))?;
        let token: Option<String> = row.try_get("token")?;
        Ok(Self {
            id: format!("{block}-{event_index}"),
            block,
            event_index,
            tip_id: row.try_get("tip_id")?,
            viewer: show_hex(&row.try_get::<String, _>("viewer")?)?,
            performer: show_hex(&row.try_get::<String, _>("performer")?)?,
            token: token.as_deref().map(show_hex).transpose()?,
            gross: show_amount(&row.try_get::<String, _>("gross")?),
            platform_fee: show_amount(&row.try_get::<String, _>("platform_fee")?),
            treasury: show_hex(&row.try_get::<String, _>("treasury")?)?,
            burned: show_amount(&row.try_get::<String, _>("burned")?),
            splits: splits
                .into_iter()
                .map(|(recipient, amount)| {
                    Ok(SplitView {
                        recipient: show_hex(&recipient)?,
                        amount,
                    })
                })
                .collect::<Result<_, ApiError>>()?,
            net: show_amount(&row.try_get::<String, _>("net")?),
            memo: row.try_get("memo")?,
            at: row.try_get("at_ms")?,
        })
    }
}

/// Up to `limit` tips after the position `(block, event_index)`, in chain order:
/// what the live feed publishes and what a reconnecting client missed.
pub async fn after(
    pool: &sqlx::AnyPool,
    (block, index): (i64, i64),
    limit: i64,
) -> Result<Vec<TipView>, ApiError> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT {TIP_COLUMNS} FROM tips WHERE block_number > $1 OR \
         (block_number = $1 AND event_index > $2) \
         ORDER BY block_number, event_index LIMIT $3"
    )))
    .bind(block)
    .bind(index)
    .bind(limit)
    .fetch_all(pool)
    .await?
    .iter()
    .map(TipView::from_row)
    .collect()
}

/// Parses a `BLOCK-EVENT` position.
pub fn parse_position(cursor: &str) -> Result<(i64, i64), ApiError> {
    let parse = |s: &str| digits::<u32>(s).map(i64::from);
    cursor
        .split_once('-')
        .and_then(|(block, index)| Some((parse(block)?, parse(index)?)))
        .ok_or_else(|| bad_cursor(cursor))
}

/// `GET /v1/tips`
pub async fn all(
    State(state): State<AppState>,
    Params(page): Params<PageQuery>,
) -> Result<Json<Page<TipView>>, ApiError> {
    list(&state, None, &page).await.map(Json)
}

/// `GET /v1/performers/{account}/tips`
pub async fn by_performer(
    State(state): State<AppState>,
    Account(performer): Account,
    Params(page): Params<PageQuery>,
) -> Result<Json<Page<TipView>>, ApiError> {
    super::performers::ensure_known(&state, &performer).await?;
    list(&state, Some(("performer", hex::encode(performer))), &page)
        .await
        .map(Json)
}

/// `GET /v1/viewers/{account}/tips`
pub async fn by_viewer(
    State(state): State<AppState>,
    Account(viewer): Account,
    Params(page): Params<PageQuery>,
) -> Result<Json<Page<TipView>>, ApiError> {
    list(&state, Some(("viewer", hex::encode(viewer))), &page)
        .await
        .map(Json)
}

async fn list(
    state: &AppState,
    filter: Option<(&'static str, String)>,
    page: &PageQuery,
) -> Result<Page<TipView>, ApiError> {
    let limit = page.limit()?;
    let (block, index) = match &page.cursor {
        Some(cursor) => parse_position(cursor)?,
        None => (i64::MAX, i64::MAX),
    };
    let (condition, value) = match filter {
        Some((column, value)) => (format!("{column} = $4 AND"), value),
        None => ("$4 = $4 AND".to_owned(), String::new()),
    };
    // `column` is a literal of this module, never input.
    let sql = format!(
        "SELECT {TIP_COLUMNS} FROM tips WHERE {condition} \
         (block_number < $1 OR (block_number = $1 AND event_index < $2)) \
         ORDER BY block_number DESC, event_index DESC LIMIT $3"
    );
    let rows = sqlx::query(AssertSqlSafe(sql))
        .bind(block)
        .bind(index)
        .bind(i64::from(limit) + 1)
        .bind(value)
        .fetch_all(state.store.pool())
        .await?;
    let mut items = rows
        .iter()
        .map(TipView::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|tip| tip.id.clone())
    } else {
        None
    };
    Ok(Page { items, next_cursor })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_parse_strictly() {
        assert_eq!(parse_position("12-3").unwrap(), (12, 3));
        for bad in [
            "",
            "12",
            "12-",
            "-3",
            "a-b",
            "1-2-3",
            "+1-2",
            "99999999999-1",
            "1- 2",
        ] {
            assert!(parse_position(bad).is_err(), "{bad}");
        }
    }
}
