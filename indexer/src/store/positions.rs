//! Rows in chain order by their position `(block_number, event_index)`: what the live
//! feeds (tips, show events) publish and resume from.

use super::encoding::get_u32;
use super::types::StoreError;
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe};

/// The rows of `table` that match `condition`: the store's literals, never input.
#[derive(Clone, Copy)]
pub(super) struct Rows {
    pub table: &'static str,
    /// An SQL condition (`1 = 1` for all rows), answered from an index whose columns
    /// end with the position, so rows come in chain order without a sort.
    pub condition: &'static str,
}

/// Up to `limit` of `rows` (their `columns`, a literal) in chain order strictly after
/// `after`, or from the first when `None`.
pub(super) async fn rows_after(
    pool: &AnyPool,
    Rows { table, condition }: Rows,
    columns: &'static str,
    after: Option<(u32, u32)>,
    limit: u32,
) -> Result<Vec<AnyRow>, StoreError> {
    // Before every position: block numbers and event indexes are never negative.
    let (block, index) = after.map_or((-1, -1), |(block, index)| {
        (i64::from(block), i64::from(index))
    });
    Ok(sqlx::query(AssertSqlSafe(format!(
        "SELECT {columns} FROM {table} WHERE {condition} AND (block_number > $1 OR \
         (block_number = $1 AND event_index > $2)) \
         ORDER BY block_number, event_index LIMIT $3"
    )))
    .bind(block)
    .bind(index)
    .bind(i64::from(limit))
    .fetch_all(pool)
    .await?)
}

/// The position of the newest of `rows`; `None` while there is none.
pub(super) async fn last_position(
    pool: &AnyPool,
    Rows { table, condition }: Rows,
) -> Result<Option<(u32, u32)>, StoreError> {
    sqlx::query(AssertSqlSafe(format!(
        "SELECT block_number, event_index FROM {table} WHERE {condition} \
         ORDER BY block_number DESC, event_index DESC LIMIT 1"
    )))
    .fetch_optional(pool)
    .await?
    .map(|row| {
        Ok((
            get_u32(&row, "block_number")?,
            get_u32(&row, "event_index")?,
        ))
    })
    .transpose()
}
