//! What tips add up to, kept as rows so the API never sums the `tips` table: per
//! performer and token (`performer_totals`), per viewer and token (`viewer_totals`),
//! per performer, viewer and token (`supporters`, to count distinct supporters) and
//! per performer, token and hour (`performer_hourly`, for windowed leaderboards).
//! LIVE tips and native tips are kept apart: they are different units.

use super::derived::{Derived, Table, Tx};
use super::encoding::{account_text, add, amount_text, get_amount, inc, to_i64, token_text};
use super::types::StoreError;
use crate::decode::Tipped;
use sqlx::Row;

/// A block time's hour bucket (ms).
const HOUR_MS: u64 = 3_600_000;

/// The totals rows a batch of tips changes.
#[derive(Default)]
pub(super) struct Totals {
    supporters: Table<SupporterGross>,
    performers: Table<PerformerTotals>,
    viewers: Table<ViewerTotals>,
    hourly: Table<HourlyTotals>,
}

impl Totals {
    /// Adds `tip` to every total it counts in.
    pub(super) async fn record(&mut self, tx: &mut Tx<'_>, tip: &Tipped) -> Result<(), StoreError> {
        let performer = account_text(&tip.performer);
        let viewer = account_text(&tip.viewer);
        let token = token_text(tip.token.as_ref());
        let at_ms = to_i64(tip.at)?;

        // Distinct supporters: a first tip from this viewer (in this token) adds one.
        let supporter = self
            .supporters
            .get(tx, (performer.clone(), viewer.clone(), token.clone()))
            .await?;
        let new_supporter = i64::from(supporter.is_none());
        let gross = add(supporter.map_or(0, |s| s.0), tip.gross)?;
        *supporter = Some(SupporterGross(gross));

        let totals = self
            .performers
            .get(tx, (performer.clone(), token.clone()))
            .await?
            .get_or_insert_with(PerformerTotals::default);
        totals.tip_count = inc(totals.tip_count, 1)?;
        totals.gross = add(totals.gross, tip.gross)?;
        totals.net = add(totals.net, tip.net)?;
        totals.supporters = inc(totals.supporters, new_supporter)?;
        totals.last_tip_ms = at_ms;

        let totals = self
            .viewers
            .get(tx, (viewer, token.clone()))
            .await?
            .get_or_insert_with(ViewerTotals::default);
        totals.tip_count = inc(totals.tip_count, 1)?;
        totals.gross = add(totals.gross, tip.gross)?;

        let hour = to_i64(tip.at / HOUR_MS)?;
        let totals = self
            .hourly
            .get(tx, (performer, token, hour))
            .await?
            .get_or_insert_with(HourlyTotals::default);
        totals.tip_count = inc(totals.tip_count, 1)?;
        totals.gross = add(totals.gross, tip.gross)?;
        Ok(())
    }

    /// Writes every changed row.
    pub(super) async fn flush(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        self.supporters.flush(tx).await?;
        self.performers.flush(tx).await?;
        self.viewers.flush(tx).await?;
        self.hourly.flush(tx).await
    }
}

/// What one viewer tipped one performer in one token (`supporters`).
#[derive(Clone, Copy)]
struct SupporterGross(u128);

impl Derived for SupporterGross {
    /// (performer, viewer, token), as stored.
    type Key = (String, String, String);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (performer, viewer, token) = key;
        sqlx::query(
            "SELECT gross FROM supporters WHERE performer = $1 AND viewer = $2 AND token = $3",
        )
        .bind(performer)
        .bind(viewer)
        .bind(token)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| Ok(Self(get_amount(&row, "gross")?)))
        .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (performer, viewer, token) = key;
        let Some(Self(gross)) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO supporters (performer, viewer, token, gross) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (performer, viewer, token) DO UPDATE SET gross = excluded.gross",
        )
        .bind(performer)
        .bind(viewer)
        .bind(token)
        .bind(amount_text(*gross))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// What one performer received in one token (`performer_totals`).
#[derive(Default)]
struct PerformerTotals {
    tip_count: i64,
    gross: u128,
    net: u128,
    supporters: i64,
    last_tip_ms: i64,
}

impl Derived for PerformerTotals {
    /// (account, token), as stored.
    type Key = (String, String);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (account, token) = key;
        sqlx::query(
            "SELECT tip_count, gross, net, supporters, last_tip_ms FROM performer_totals \
             WHERE account = $1 AND token = $2",
        )
        .bind(account)
        .bind(token)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| {
            Ok(Self {
                tip_count: row.try_get("tip_count")?,
                gross: get_amount(&row, "gross")?,
                net: get_amount(&row, "net")?,
                supporters: row.try_get("supporters")?,
                last_tip_ms: row.try_get("last_tip_ms")?,
            })
        })
        .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (account, token) = key;
        let Some(row) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO performer_totals (account, token, tip_count, gross, net, supporters, \
             last_tip_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account, token) \
             DO UPDATE SET tip_count = excluded.tip_count, gross = excluded.gross, \
             net = excluded.net, supporters = excluded.supporters, \
             last_tip_ms = excluded.last_tip_ms",
        )
        .bind(account)
        .bind(token)
        .bind(row.tip_count)
        .bind(amount_text(row.gross))
        .bind(amount_text(row.net))
        .bind(row.supporters)
        .bind(row.last_tip_ms)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// What one viewer gave in one token (`viewer_totals`).
#[derive(Default)]
struct ViewerTotals {
    tip_count: i64,
    gross: u128,
}

impl Derived for ViewerTotals {
    /// (account, token), as stored.
    type Key = (String, String);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (account, token) = key;
        sqlx::query("SELECT tip_count, gross FROM viewer_totals WHERE account = $1 AND token = $2")
            .bind(account)
            .bind(token)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| {
                Ok(Self {
                    tip_count: row.try_get("tip_count")?,
                    gross: get_amount(&row, "gross")?,
                })
            })
            .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (account, token) = key;
        let Some(row) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO viewer_totals (account, token, tip_count, gross) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account, token) DO UPDATE SET tip_count = excluded.tip_count, \
             gross = excluded.gross",
        )
        .bind(account)
        .bind(token)
        .bind(row.tip_count)
        .bind(amount_text(row.gross))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// What one performer received in one token in one hour (`performer_hourly`).
#[derive(Default)]
struct HourlyTotals {
    tip_count: i64,
    gross: u128,
}

impl Derived for HourlyTotals {
    /// (performer, token, hour since the epoch), as stored.
    type Key = (String, String, i64);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (performer, token, hour) = key;
        sqlx::query(
            "SELECT tip_count, gross FROM performer_hourly \
             WHERE performer = $1 AND token = $2 AND hour = $3",
        )
        .bind(performer)
        .bind(token)
        .bind(*hour)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| {
            Ok(Self {
                tip_count: row.try_get("tip_count")?,
                gross: get_amount(&row, "gross")?,
            })
        })
        .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (performer, token, hour) = key;
        let Some(row) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO performer_hourly (performer, token, hour, tip_count, gross) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (performer, token, hour) DO UPDATE SET \
             tip_count = excluded.tip_count, gross = excluded.gross",
        )
        .bind(performer)
        .bind(token)
        .bind(*hour)
        .bind(row.tip_count)
        .bind(amount_text(row.gross))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}
