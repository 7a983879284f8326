//! Private shows: the performers' terms (`show_terms`), every show with its running
//! sums (`shows`) and each show event in chain order (`show_events`). Written through
//! at once, like the registry: a show produces a handful of events in its life.

use super::derived::Tx;
use super::encoding::{
    account_text, add, amount_text, get_amount, get_hash, get_optional_hash, get_u16, get_u32,
    get_u64, to_i64, to_u32, to_u64,
};
use super::positions::{last_position, rows_after, Rows};
use super::types::{Store, StoreError};
use crate::decode::{
    AccountId, LiveEvent, PerformerErased, ShowEnded, ShowOpened, ShowPaid, ShowTermsChanged,
    ShowToppedUp,
};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// A performer's private-show offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowTermsRecord {
    pub performer: AccountId,
    pub price_per_minute: u128,
    /// `false` while new shows are paused.
    pub available: bool,
}

/// One show and what has moved so far; the `ended_*` fields are set once it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowRecord {
    pub show_id: u64,
    pub viewer: AccountId,
    pub performer: AccountId,
    pub price_per_minute: u128,
    pub fee_bps: u16,
    pub burn_bps: u16,
    /// Everything the viewer put in (opening deposit and top-ups).
    pub deposit: u128,
    /// Gross paid out of the deposit.
    pub paid: u128,
    pub platform_fee: u128,
    pub burned: u128,
    /// What reached the performer.
    pub net: u128,
    pub refunded: u128,
    pub opened_block: u32,
    pub opened_at_ms: u64,
    pub ended_block: Option<u32>,
    pub ended_at_ms: Option<u64>,
    pub ended_by: Option<AccountId>,
    pub billed_seconds: Option<u64>,
}

impl ShowRecord {
    pub fn is_open(&self) -> bool {
        self.ended_block.is_none()
    }
}

/// One show event, for a show's history and the live feed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowEventRecord {
    pub block: u32,
    pub event_index: u32,
    pub show_id: u64,
    /// `opened`, `topped_up`, `paid` or `ended`.
    pub kind: String,
    pub viewer: AccountId,
    pub performer: AccountId,
    /// The deposit, the top-up, the gross paid or the refund.
    pub amount: u128,
    /// What reached the performer (`paid` only).
    pub net: u128,
    pub at_ms: u64,
}

impl ShowEventRecord {
    /// Where the event sits on the chain: `(block, event_index)`.
    pub fn position(&self) -> (u32, u32) {
        (self.block, self.event_index)
    }
}

/// Which shows a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ShowFilter {
    /// Every show the account is the viewer or the performer of.
    All,
    /// Only the running ones.
    Open,
}

/// A performer's earnings from shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ShowEarnings {
    pub shows: u64,
    /// Gross paid out of viewers' deposits.
    pub paid: u128,
    /// What reached the performer.
    pub net: u128,
}

/// Applies `event` (at `block`, `event_index`) if it is about shows: the derived
/// rows it changes, then its row in the shows' history.
pub(super) async fn record(
    tx: &mut Tx<'_>,
    block: u32,
    event_index: u32,
    event: &LiveEvent,
) -> Result<(), StoreError> {
    match event {
        LiveEvent::ShowTermsChanged(ShowTermsChanged {
            performer,
            price_per_minute,
            available,
        }) => return set_terms(tx, block, performer, *price_per_minute, *available).await,
        LiveEvent::PerformerErased(PerformerErased { performer }) => {
            return set_terms(tx, block, performer, 0, false).await
        }
        LiveEvent::ShowOpened(show) => open(tx, block, show).await?,
        LiveEvent::ShowToppedUp(ShowToppedUp {
            show_id, deposit, ..
        }) => {
            sqlx::query("UPDATE shows SET deposit = $1 WHERE show_id = $2")
                .bind(amount_text(*deposit))
                .bind(to_i64(*show_id)?)
                .execute(&mut **tx)
                .await?;
        }
        LiveEvent::ShowPaid(paid) => pay(tx, paid).await?,
        LiveEvent::ShowEnded(end) => finish(tx, block, end).await?,
        _ => return Ok(()),
    }
    match EventRow::of(event) {
        Some(row) => row.insert(tx, block, event_index).await,
        None => Ok(()),
    }
}

/// Sets or (price 0, unavailable: withdrawn or erased) removes a performer's terms.
async fn set_terms(
    tx: &mut Tx<'_>,
    block: u32,
    performer: &AccountId,
    price_per_minute: u128,
    available: bool,
) -> Result<(), StoreError> {
    if price_per_minute == 0 && !available {
        sqlx::query("DELETE FROM show_terms WHERE performer = $1")
            .bind(account_text(performer))
            .execute(&mut **tx)
            .await?;
        return Ok(());
    }
    sqlx::query(
        "INSERT INTO show_terms (performer, price_per_minute, available, changed_block) \
         VALUES ($1, $2, $3, $4) ON CONFLICT (performer) DO UPDATE SET \
         price_per_minute = excluded.price_per_minute, available = excluded.available, \
         changed_block = excluded.changed_block",
    )
    .bind(account_text(performer))
    .bind(amount_text(price_per_minute))
    .bind(i64::from(available))
    .bind(i64::from(block))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn open(tx: &mut Tx<'_>, block: u32, show: &ShowOpened) -> Result<(), StoreError> {
    let zero = amount_text(0);
    sqlx::query(
        "INSERT INTO shows (show_id, viewer, performer, price_per_minute, fee_bps, burn_bps, \
         deposit, paid, platform_fee, burned, net, refunded, opened_block, opened_at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $8, $8, $8, $9, $10)",
    )
    .bind(to_i64(show.show_id)?)
    .bind(account_text(&show.viewer))
    .bind(account_text(&show.performer))
    .bind(amount_text(show.price_per_minute))
    .bind(i64::from(show.fee_bps))
    .bind(i64::from(show.burn_bps))
    .bind(amount_text(show.deposit))
    .bind(zero)
    .bind(i64::from(block))
    .bind(to_i64(show.at)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn pay(tx: &mut Tx<'_>, paid: &ShowPaid) -> Result<(), StoreError> {
    let id = to_i64(paid.show_id)?;
    let row = sqlx::query("SELECT paid, platform_fee, burned, net FROM shows WHERE show_id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    // A show opened before the indexed range (a deployment indexed from a later
    // block) has no row to add to, as its top-ups and end have none: its events are
    // still stored.
    if let Some(row) = row {
        let sum = |column: &str, amount: u128| -> Result<String, StoreError> {
            Ok(amount_text(add(get_amount(&row, column)?, amount)?))
        };
        sqlx::query(
            "UPDATE shows SET paid = $1, platform_fee = $2, burned = $3, net = $4 \
             WHERE show_id = $5",
        )
        .bind(sum("paid", paid.gross)?)
        .bind(sum("platform_fee", paid.platform_fee)?)
        .bind(sum("burned", paid.burned)?)
        .bind(sum("net", paid.net)?)
        .bind(id)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

async fn finish(tx: &mut Tx<'_>, block: u32, end: &ShowEnded) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE shows SET deposit = $1, refunded = $2, ended_block = $3, ended_at_ms = $4, \
         ended_by = $5, billed_seconds = $6 WHERE show_id = $7",
    )
    .bind(amount_text(end.deposit))
    .bind(amount_text(end.refunded))
    .bind(i64::from(block))
    .bind(to_i64(end.at)?)
    .bind(account_text(&end.ended_by))
    .bind(to_i64(end.billed_seconds)?)
    .bind(to_i64(end.show_id)?)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A `show_events` row to insert.
struct EventRow<'a> {
    kind: &'static str,
    show_id: u64,
    viewer: &'a AccountId,
    performer: &'a AccountId,
    amount: u128,
    net: u128,
    at_ms: u64,
}

impl<'a> EventRow<'a> {
    /// The history row of a show event; `None` for any other event.
    fn of(event: &'a LiveEvent) -> Option<Self> {
        let (kind, show_id, viewer, performer, amount, net, at_ms) = match event {
            LiveEvent::ShowOpened(o) => (
                "opened",
                o.show_id,
                &o.viewer,
                &o.performer,
                o.deposit,
                0,
                o.at,
            ),
            LiveEvent::ShowToppedUp(ShowToppedUp {
                viewer,
                performer,
                show_id,
                amount,
                at,
                ..
            }) => ("topped_up", *show_id, viewer, performer, *amount, 0, *at),
            LiveEvent::ShowPaid(p) => (
                "paid",
                p.show_id,
                &p.viewer,
                &p.performer,
                p.gross,
                p.net,
                p.at,
            ),
            LiveEvent::ShowEnded(e) => (
                "ended",
                e.show_id,
                &e.viewer,
                &e.performer,
                e.refunded,
                0,
                e.at,
            ),
            _ => return None,
        };
        Some(Self {
            kind,
            show_id,
            viewer,
            performer,
            amount,
            net,
            at_ms,
        })
    }

    async fn insert(self, tx: &mut Tx<'_>, block: u32, event_index: u32) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO show_events (block_number, event_index, show_id, kind, viewer, \
             performer, amount, net, at_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(i64::from(block))
        .bind(i64::from(event_index))
        .bind(to_i64(self.show_id)?)
        .bind(self.kind)
        .bind(account_text(self.viewer))
        .bind(account_text(self.performer))
        .bind(amount_text(self.amount))
        .bind(amount_text(self.net))
        .bind(to_i64(self.at_ms)?)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

const SHOW_COLUMNS: &str = "show_id, viewer, performer, price_per_minute, fee_bps, burn_bps, \
    deposit, paid, platform_fee, burned, net, refunded, opened_block, opened_at_ms, \
    ended_block, ended_at_ms, ended_by, billed_seconds";

const EVENT_COLUMNS: &str =
    "block_number, event_index, show_id, kind, viewer, performer, amount, net, at_ms";

/// Every show event, in chain order by the table's key.
const SHOW_EVENTS: Rows = Rows {
    table: "show_events",
    condition: "1 = 1",
};

impl Store {
    /// The performer's show terms, if they offer any.
    pub async fn show_terms(
        &self,
        performer: &AccountId,
    ) -> Result<Option<ShowTermsRecord>, StoreError> {
        sqlx::query("SELECT price_per_minute, available FROM show_terms WHERE performer = $1")
            .bind(account_text(performer))
            .fetch_optional(&self.pool)
            .await?
            .map(|row| {
                Ok(ShowTermsRecord {
                    performer: *performer,
                    price_per_minute: get_amount(&row, "price_per_minute")?,
                    available: row.try_get::<i64, _>("available")? != 0,
                })
            })
            .transpose()
    }

    /// One show, by id.
    pub async fn show(&self, show_id: u64) -> Result<Option<ShowRecord>, StoreError> {
        // Ids are stored as BIGINT: one above it was never stored.
        let Ok(show_id) = i64::try_from(show_id) else {
            return Ok(None);
        };
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {SHOW_COLUMNS} FROM shows WHERE show_id = $1"
        )))
        .bind(show_id)
        .fetch_optional(&self.pool)
        .await?
        .as_ref()
        .map(show)
        .transpose()
    }

    /// Up to `limit` shows `account` is a party to, newest first, with an id below
    /// `before` when given.
    pub async fn shows(
        &self,
        account: &AccountId,
        filter: ShowFilter,
        before: Option<u64>,
        limit: u32,
    ) -> Result<Vec<ShowRecord>, StoreError> {
        // `open` is one of these literals, never input.
        let open = match filter {
            ShowFilter::All => "",
            ShowFilter::Open => "AND ended_block IS NULL",
        };
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {SHOW_COLUMNS} FROM shows WHERE (viewer = $1 OR performer = $1) \
             AND show_id < $2 {open} ORDER BY show_id DESC LIMIT $3"
        )))
        .bind(account_text(account))
        // Every stored id is below a cursor beyond BIGINT.
        .bind(before.map_or(i64::MAX, |id| i64::try_from(id).unwrap_or(i64::MAX)))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(show)
        .collect()
    }

    /// The events of one show, in chain order.
    pub async fn show_events(&self, show_id: u64) -> Result<Vec<ShowEventRecord>, StoreError> {
        let Ok(show_id) = i64::try_from(show_id) else {
            return Ok(Vec::new());
        };
        sqlx::query(AssertSqlSafe(format!(
            "SELECT {EVENT_COLUMNS} FROM show_events WHERE show_id = $1 \
             ORDER BY block_number, event_index"
        )))
        .bind(show_id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(show_event)
        .collect()
    }

    /// Up to `limit` show events in chain order strictly after `after` (from the
    /// first when `None`): the live feed.
    pub async fn show_events_after(
        &self,
        after: Option<(u32, u32)>,
        limit: u32,
    ) -> Result<Vec<ShowEventRecord>, StoreError> {
        rows_after(&self.pool, SHOW_EVENTS, EVENT_COLUMNS, after, limit)
            .await?
            .iter()
            .map(show_event)
            .collect()
    }

    /// The position of the newest show event; `None` before the first.
    pub async fn last_show_event_position(&self) -> Result<Option<(u32, u32)>, StoreError> {
        last_position(&self.pool, SHOW_EVENTS).await
    }

    /// What `performer` has earned from shows, open ones included.
    pub async fn show_earnings(&self, performer: &AccountId) -> Result<ShowEarnings, StoreError> {
        let rows = sqlx::query("SELECT paid, net FROM shows WHERE performer = $1")
            .bind(account_text(performer))
            .fetch_all(&self.pool)
            .await?;
        let mut earnings = ShowEarnings::default();
        for row in &rows {
            earnings.shows = earnings.shows.saturating_add(1);
            earnings.paid = add(earnings.paid, get_amount(row, "paid")?)?;
            earnings.net = add(earnings.net, get_amount(row, "net")?)?;
        }
        Ok(earnings)
    }
}

/// A `shows` row back as the show it mirrors.
fn show(row: &AnyRow) -> Result<ShowRecord, StoreError> {
    let optional = |column: &str| row.try_get::<Option<i64>, _>(column);
    Ok(ShowRecord {
        show_id: get_u64(row, "show_id")?,
        viewer: get_hash(row, "viewer")?,
        performer: get_hash(row, "performer")?,
        price_per_minute: get_amount(row, "price_per_minute")?,
        fee_bps: get_u16(row, "fee_bps")?,
        burn_bps: get_u16(row, "burn_bps")?,
        deposit: get_amount(row, "deposit")?,
        paid: get_amount(row, "paid")?,
        platform_fee: get_amount(row, "platform_fee")?,
        burned: get_amount(row, "burned")?,
        net: get_amount(row, "net")?,
        refunded: get_amount(row, "refunded")?,
        opened_block: get_u32(row, "opened_block")?,
        opened_at_ms: get_u64(row, "opened_at_ms")?,
        ended_block: optional("ended_block")?.map(to_u32).transpose()?,
        ended_at_ms: optional("ended_at_ms")?.map(to_u64).transpose()?,
        ended_by: get_optional_hash(row, "ended_by")?,
        billed_seconds: optional("billed_seconds")?.map(to_u64).transpose()?,
    })
}

fn show_event(row: &AnyRow) -> Result<ShowEventRecord, StoreError> {
    Ok(ShowEventRecord {
        block: get_u32(row, "block_number")?,
        event_index: get_u32(row, "event_index")?,
        show_id: get_u64(row, "show_id")?,
        kind: row.try_get("kind")?,
        viewer: get_hash(row, "viewer")?,
        performer: get_hash(row, "performer")?,
        amount: get_amount(row, "amount")?,
        net: get_amount(row, "net")?,
        at_ms: get_u64(row, "at_ms")?,
    })
}
