//! What tips add up to, kept as rows so the API never sums the `tips` table: per
//! performer and token (`performer_totals`), who has supported whom in which token
//! (`supporters`, to count distinct supporters) and per performer, token and hour
//! (`performer_hourly`, for windowed leaderboards). LIVE tips and native tips are
//! kept apart: they are different units.
//!
//! Nothing is kept per viewer alone: no reader needs a viewer's total, and a viewer's
//! spending is theirs. A supporter row holds only its key, so a returning viewer's
//! tip writes nothing there.

use super::derived::{Bound, Derived, Shape, Table, Tx};
use super::encoding::{account_text, add, amount_text, get_amount, inc, to_i64, token_text};
use super::types::StoreError;
use crate::decode::Tipped;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A block time's hour bucket (ms).
const HOUR_MS: u64 = 3_600_000;

/// The totals rows a batch of tips changes.
#[derive(Default)]
pub(super) struct Totals {
    supporters: Table<Supporter>,
    performers: Table<PerformerTotals>,
    hourly: Table<HourlyTotals>,
}

/// The keys of the rows a tip changes: (performer, viewer, token), the performer's
/// (performer, token) and their hour's (performer, token, hour).
type TipKeys = (
    (String, String, String),
    (String, String),
    (String, String, i64),
);

fn keys(tip: &Tipped) -> Result<TipKeys, StoreError> {
    let performer = account_text(&tip.performer);
    let token = token_text(tip.token.as_ref());
    let hour = to_i64(tip.at / HOUR_MS)?;
    Ok((
        (performer.clone(), account_text(&tip.viewer), token.clone()),
        (performer.clone(), token.clone()),
        (performer, token, hour),
    ))
}

impl Totals {
    /// Notes the rows `tip` will change, to be read by [`Totals::prefetch`].
    pub(super) fn want(&mut self, tip: &Tipped) -> Result<(), StoreError> {
        let (supporter, performer, hour) = keys(tip)?;
        self.supporters.want(supporter);
        self.performers.want(performer);
        self.hourly.want(hour);
        Ok(())
    }

    /// Reads every row wanted so far.
    pub(super) async fn prefetch(&mut self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        self.supporters.prefetch(tx).await?;
        self.performers.prefetch(tx).await?;
        self.hourly.prefetch(tx).await
    }

    /// Adds `tip` to every total it counts in.
    pub(super) async fn record(&mut self, tx: &mut Tx<'_>, tip: &Tipped) -> Result<(), StoreError> {
        let (supporter, performer, hour) = keys(tip)?;
        // Distinct supporters: a first tip from this viewer (in this token) adds one.
        let new_supporter = self
            .supporters
            .insert_if_absent(tx, supporter, Supporter)
            .await?;

        let totals = self
            .performers
            .get(tx, performer)
            .await?
            .get_or_insert_with(PerformerTotals::default);
        totals.tip_count = inc(totals.tip_count, 1)?;
        totals.gross = add(totals.gross, tip.gross)?;
        totals.net = add(totals.net, tip.net)?;
        totals.supporters = inc(totals.supporters, i64::from(new_supporter))?;
        totals.last_tip_ms = to_i64(tip.at)?;

        let totals = self
            .hourly
            .get(tx, hour)
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
        self.hourly.flush(tx).await
    }
}

/// That one viewer has tipped one performer in one token (`supporters`).
struct Supporter;

impl Derived for Supporter {
    type Key = (String, String, String);
    const SHAPE: Shape = Shape {
        table: "supporters",
        key: &["performer", "viewer", "token"],
        values: &[],
    };

    fn bind_key<'q>(query: Bound<'q>, (performer, viewer, token): &'q Self::Key) -> Bound<'q> {
        query.bind(performer).bind(viewer).bind(token)
    }

    fn bind_values<'q>(&self, query: Bound<'q>) -> Result<Bound<'q>, StoreError> {
        Ok(query)
    }

    fn read(row: &AnyRow) -> Result<(Self::Key, Self), StoreError> {
        let key = (
            row.try_get("performer")?,
            row.try_get("viewer")?,
            row.try_get("token")?,
        );
        Ok((key, Self))
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
    type Key = (String, String);
    const SHAPE: Shape = Shape {
        table: "performer_totals",
        key: &["account", "token"],
        values: &["tip_count", "gross", "net", "supporters", "last_tip_ms"],
    };

    fn bind_key<'q>(query: Bound<'q>, (account, token): &'q Self::Key) -> Bound<'q> {
        query.bind(account).bind(token)
    }

    fn bind_values<'q>(&self, query: Bound<'q>) -> Result<Bound<'q>, StoreError> {
        Ok(query
            .bind(self.tip_count)
            .bind(amount_text(self.gross))
            .bind(amount_text(self.net))
            .bind(self.supporters)
            .bind(self.last_tip_ms))
    }

    fn read(row: &AnyRow) -> Result<(Self::Key, Self), StoreError> {
        let key = (row.try_get("account")?, row.try_get("token")?);
        Ok((
            key,
            Self {
                tip_count: row.try_get("tip_count")?,
                gross: get_amount(row, "gross")?,
                net: get_amount(row, "net")?,
                supporters: row.try_get("supporters")?,
                last_tip_ms: row.try_get("last_tip_ms")?,
            },
        ))
    }
}

/// What one performer received in one token in one hour (`performer_hourly`).
#[derive(Default)]
struct HourlyTotals {
    tip_count: i64,
    gross: u128,
}

impl Derived for HourlyTotals {
    /// (performer, token, hour since the epoch).
    type Key = (String, String, i64);
    const SHAPE: Shape = Shape {
        table: "performer_hourly",
        key: &["performer", "token", "hour"],
        values: &["tip_count", "gross"],
    };

    fn bind_key<'q>(query: Bound<'q>, (performer, token, hour): &'q Self::Key) -> Bound<'q> {
        query.bind(performer).bind(token).bind(*hour)
    }

    fn bind_values<'q>(&self, query: Bound<'q>) -> Result<Bound<'q>, StoreError> {
        Ok(query.bind(self.tip_count).bind(amount_text(self.gross)))
    }

    fn read(row: &AnyRow) -> Result<(Self::Key, Self), StoreError> {
        let key = (
            row.try_get("performer")?,
            row.try_get("token")?,
            row.try_get("hour")?,
        );
        Ok((
            key,
            Self {
                tip_count: row.try_get("tip_count")?,
                gross: get_amount(row, "gross")?,
            },
        ))
    }
}
