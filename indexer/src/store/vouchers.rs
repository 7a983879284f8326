//! The voucher desks' keys (`voucher_keys`) and how many vouchers each order paid
//! for (`voucher_orders`), written through at once: a desk has a few keys, and an
//! order is one row. A desk reads them to know which of its keys count and how
//! many vouchers it owes an order; nothing here names a buyer.

use super::derived::Tx;
use super::encoding::{account_text, amount_text, get_amount, get_hash, get_u64, to_i64, to_u32};
use super::types::{Store, StoreError};
use crate::decode::{
    AccountId, LiveEvent, VoucherKeyClosed, VoucherKeyRegistered, VoucherTerms, VouchersBought,
};
use sqlx::any::AnyRow;
use sqlx::Row;

/// A registered voucher key and its terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoucherKeyRecord {
    pub key_id: u64,
    pub desk: AccountId,
    /// The sr25519 public key vouchers are checked against.
    pub public_key: [u8; 32],
    pub terms: VoucherTerms,
    pub redeem_until_ms: u64,
    pub registered_block: u32,
    /// Set once the key closed (after `redeem_until_ms`).
    pub closed_block: Option<u32>,
}

/// Applies `event` (of block `block`) if it registers or closes a key or pays for
/// vouchers.
pub(super) async fn record(
    tx: &mut Tx<'_>,
    block: u32,
    event: &LiveEvent,
) -> Result<(), StoreError> {
    match event {
        LiveEvent::VoucherKeyRegistered(registered) => register(tx, block, registered).await,
        LiveEvent::VoucherKeyClosed(VoucherKeyClosed { key_id, .. }) => {
            sqlx::query("UPDATE voucher_keys SET closed_block = $1 WHERE key_id = $2")
                .bind(i64::from(block))
                .bind(to_i64(*key_id)?)
                .execute(&mut **tx)
                .await?;
            Ok(())
        }
        LiveEvent::VouchersBought(VouchersBought {
            key_id,
            count,
            order,
            ..
        }) => {
            // An order may pay more than once: its counts add up.
            sqlx::query(
                "INSERT INTO voucher_orders (order_ref, key_id, paid_count) VALUES ($1, $2, $3) \
                 ON CONFLICT (order_ref, key_id) \
                 DO UPDATE SET paid_count = voucher_orders.paid_count + excluded.paid_count",
            )
            .bind(hex::encode(order))
            .bind(to_i64(*key_id)?)
            .bind(i64::from(*count))
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
        _ => Ok(()),
    }
}

async fn register(
    tx: &mut Tx<'_>,
    block: u32,
    registered: &VoucherKeyRegistered,
) -> Result<(), StoreError> {
    let VoucherKeyRegistered {
        desk,
        key_id,
        public,
        terms,
        redeem_until,
    } = registered;
    sqlx::query(
        "INSERT INTO voucher_keys (key_id, desk, public_key, denomination, relay_fee, stipend, \
         price_live, price_native, redeem_until_ms, registered_block) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(to_i64(*key_id)?)
    .bind(account_text(desk))
    .bind(hex::encode(public))
    .bind(amount_text(terms.denomination))
    .bind(amount_text(terms.relay_fee))
    .bind(amount_text(terms.stipend))
    .bind(amount_text(terms.price_live))
    .bind(amount_text(terms.price_native))
    .bind(to_i64(*redeem_until)?)
    .bind(i64::from(block))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn key(row: &AnyRow) -> Result<VoucherKeyRecord, StoreError> {
    Ok(VoucherKeyRecord {
        key_id: get_u64(row, "key_id")?,
        desk: get_hash(row, "desk")?,
        public_key: get_hash(row, "public_key")?,
        terms: VoucherTerms {
            denomination: get_amount(row, "denomination")?,
            relay_fee: get_amount(row, "relay_fee")?,
            stipend: get_amount(row, "stipend")?,
            price_live: get_amount(row, "price_live")?,
            price_native: get_amount(row, "price_native")?,
        },
        redeem_until_ms: get_u64(row, "redeem_until_ms")?,
        registered_block: to_u32(row.try_get("registered_block")?)?,
        closed_block: row
            .try_get::<Option<i64>, _>("closed_block")?
            .map(to_u32)
            .transpose()?,
    })
}

impl Store {
    /// Every key registered with `public_key`, oldest first (a desk may register
    /// the same key again; each registration is its own key id).
    pub async fn voucher_keys_of(
        &self,
        public_key: &[u8; 32],
    ) -> Result<Vec<VoucherKeyRecord>, StoreError> {
        sqlx::query(
            "SELECT key_id, desk, public_key, denomination, relay_fee, stipend, price_live, \
             price_native, redeem_until_ms, registered_block, closed_block \
             FROM voucher_keys WHERE public_key = $1 ORDER BY key_id",
        )
        .bind(hex::encode(public_key))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(key)
        .collect()
    }

    /// How many key registrations (of any desk) are indexed: the contract numbers
    /// them from 0, so this equals its `voucher_key_count` once the index has them all.
    pub async fn voucher_key_count(&self) -> Result<u64, StoreError> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM voucher_keys")
            .fetch_one(&self.pool)
            .await?;
        get_u64(&row, "n")
    }

    /// How many vouchers of `key_id` the order `order` paid for (0: none).
    pub async fn vouchers_paid(&self, order: &[u8; 32], key_id: u64) -> Result<u64, StoreError> {
        let Ok(key_id) = i64::try_from(key_id) else {
            return Ok(0);
        };
        let row = sqlx::query(
            "SELECT paid_count FROM voucher_orders WHERE order_ref = $1 AND key_id = $2",
        )
        .bind(hex::encode(order))
        .bind(key_id)
        .fetch_optional(&self.pool)
        .await?;
        row.map_or(Ok(0), |row| get_u64(&row, "paid_count"))
    }
}
