//! How many vouchers the desk signed for each order, per key: its own SQLite file.
//! This is everything the desk stores about a sale; it never sees a voucher's
//! recipient, serial or signature.

use sqlx::sqlite::{SqliteConnectOptions, SqlitePool, SqlitePoolOptions};
use std::path::Path;

pub struct Ledger {
    pool: SqlitePool,
}

impl Ledger {
    /// Opens (or creates) the ledger at `path`.
    pub async fn open(path: &Path) -> Result<Self, sqlx::Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            .busy_timeout(std::time::Duration::from_secs(10));
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS signed (order_ref TEXT NOT NULL, key_id INTEGER NOT NULL, \
             count INTEGER NOT NULL, PRIMARY KEY (order_ref, key_id))",
        )
        .execute(&pool)
        .await?;
        Ok(Self { pool })
    }

    /// Vouchers signed so far for `order` under `key_id`.
    pub async fn signed(&self, order: &[u8; 32], key_id: u64) -> Result<u64, sqlx::Error> {
        let count: Option<i64> =
            sqlx::query_scalar("SELECT count FROM signed WHERE order_ref = ? AND key_id = ?")
                .bind(hex::encode(order))
                .bind(key_id_sql(key_id)?)
                .fetch_optional(&self.pool)
                .await?;
        Ok(count.map_or(0, |count| u64::try_from(count).unwrap_or(0)))
    }

    /// Counts one more voucher signed for `order`, unless `paid` are signed
    /// already; in one statement, so two answers can never both take the last.
    pub async fn count_one(
        &self,
        order: &[u8; 32],
        key_id: u64,
        paid: u64,
    ) -> Result<(), crate::DeskError> {
        let paid = i64::try_from(paid).unwrap_or(i64::MAX);
        let done = sqlx::query(
            "INSERT INTO signed (order_ref, key_id, count) SELECT ?1, ?2, 1 WHERE ?3 > 0 \
             ON CONFLICT (order_ref, key_id) DO UPDATE SET count = count + 1 \
             WHERE signed.count < ?3",
        )
        .bind(hex::encode(order))
        .bind(key_id_sql(key_id)?)
        .bind(paid)
        .execute(&self.pool)
        .await?;
        if done.rows_affected() == 1 {
            Ok(())
        } else {
            Err(crate::DeskError::NothingOwed(key_id))
        }
    }
}

fn key_id_sql(key_id: u64) -> Result<i64, sqlx::Error> {
    i64::try_from(key_id).map_err(|e| sqlx::Error::Encode(Box::new(e)))
}
