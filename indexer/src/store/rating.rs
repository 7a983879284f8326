//! The rating state as the contract keeps it, mirrored row for row: the parameters'
//! schedule (`rating_params`), one `Score` per performer (`rating_scores`) and one
//! `Contribution` per (performer, viewer) (`rating_supporters`), changed only
//! through `rating-formula` ([`crate::rating`]) so every number is the contract's.
//! The readers here are what the API rates performers with.

use super::derived::{Bound, Derived, Shape, Table, Tx};
use super::encoding::{account_text, amount_text, get_amount, get_u16, get_u32, to_i64, to_u64};
use super::types::StoreError;
use crate::rating::{self, Input, Schedule, VersionedParams};
use rating_formula::{Contribution, Params, Scheduled, Score};
use sqlx::any::AnyRow;
use sqlx::{Any, Row};
use std::collections::HashMap;

/// The rating rows a batch changes.
#[derive(Default)]
pub(super) struct Ratings {
    /// The schedule once read (inner `None`: nothing announced yet); a batch that
    /// reads it announces, so it is saved whenever read.
    schedule: Option<Option<Schedule>>,
    scores: Table<Score>,
    contributions: Table<Contribution>,
}

impl Ratings {
    /// Notes the rows `input` will change, to be read by [`Ratings::prefetch`].
    pub(super) fn want(&mut self, input: &Input) {
        if let Input::Score {
            performer, viewer, ..
        } = input
        {
            let performer = account_text(performer);
            if let Some(viewer) = viewer {
                self.contributions
                    .want((performer.clone(), account_text(viewer)));
            }
            self.scores.want(performer);
        }
    }

    /// Reads every row wanted so far.
    pub(super) async fn prefetch(&mut self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        self.scores.prefetch(tx).await?;
        self.contributions.prefetch(tx).await
    }

    /// Applies one rating input (of event `event_index` of block `block`) to the
    /// schedule, the score and the contribution it changes, through
    /// `rating-formula` as the contract does.
    pub(super) async fn record(
        &mut self,
        tx: &mut Tx<'_>,
        block: u32,
        event_index: u32,
        input: Input,
    ) -> Result<(), StoreError> {
        let (performer, viewer, change) = match input {
            Input::Announce {
                params,
                effective_at,
            } => {
                let schedule = match &mut self.schedule {
                    Some(schedule) => schedule,
                    none => none.insert(load_schedule(&mut **tx).await?),
                };
                rating::announce(schedule, params, effective_at);
                return Ok(());
            }
            Input::Score {
                performer,
                viewer,
                change,
            } => (account_text(&performer), viewer, change),
        };
        let mut detached = None;
        let entry = match viewer {
            Some(viewer) => {
                self.contributions
                    .get(tx, (performer.clone(), account_text(&viewer)))
                    .await?
            }
            None => &mut detached,
        };
        let score = self.scores.get(tx, performer).await?;
        rating::apply(&change, score, entry).map_err(|source| StoreError::Replay {
            block,
            index: event_index,
            source,
        })
    }

    /// Writes every changed row.
    pub(super) async fn flush(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        if let Some(Some(schedule)) = &self.schedule {
            save_schedule(tx, schedule).await?;
        }
        self.scores.flush(tx).await?;
        self.contributions.flush(tx).await
    }
}

/// The rating parameters' schedule: the `current` row and, while one is announced
/// and not yet settled, the `next` row with the time it applies from.
async fn save_schedule(tx: &mut Tx<'_>, schedule: &Schedule) -> Result<(), StoreError> {
    save_params(tx, "current", &schedule.current, None).await?;
    match schedule.next {
        Some((next, effective_at)) => {
            save_params(tx, "next", &next, Some(to_i64(effective_at)?)).await
        }
        None => {
            sqlx::query("DELETE FROM rating_params WHERE slot = 'next'")
                .execute(&mut **tx)
                .await?;
            Ok(())
        }
    }
}

async fn save_params(
    tx: &mut Tx<'_>,
    slot: &'static str,
    versioned: &VersionedParams,
    effective_at: Option<i64>,
) -> Result<(), StoreError> {
    let params = &versioned.params;
    sqlx::query(
        "INSERT INTO rating_params (slot, version, burn_bps, support_half_saturation, \
         prior_stars_milli, prior_weight, star_weight_bps, effective_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slot) DO UPDATE SET \
         version = excluded.version, burn_bps = excluded.burn_bps, \
         support_half_saturation = excluded.support_half_saturation, \
         prior_stars_milli = excluded.prior_stars_milli, prior_weight = excluded.prior_weight, \
         star_weight_bps = excluded.star_weight_bps, effective_at = excluded.effective_at",
    )
    .bind(slot)
    .bind(i64::from(versioned.version))
    .bind(i64::from(params.burn_bps))
    .bind(amount_text(params.support_half_saturation))
    .bind(i64::from(params.prior_stars_milli))
    .bind(amount_text(params.prior_weight))
    .bind(i64::from(params.star_weight_bps))
    .bind(effective_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Derived for Score {
    /// The performer (hex).
    type Key = String;
    const SHAPE: Shape = Shape {
        table: "rating_scores",
        key: &["performer"],
        values: &["epoch", "support", "vote_weight", "vote_stars", "voters"],
    };

    fn bind_key<'q>(query: Bound<'q>, performer: &'q String) -> Bound<'q> {
        query.bind(performer)
    }

    fn bind_values<'q>(&self, query: Bound<'q>) -> Result<Bound<'q>, StoreError> {
        Ok(query
            .bind(to_i64(self.epoch)?)
            .bind(amount_text(self.support))
            .bind(amount_text(self.vote_weight))
            .bind(amount_text(self.vote_stars))
            .bind(i64::from(self.voters)))
    }

    fn read(row: &AnyRow) -> Result<(String, Self), StoreError> {
        Ok((row.try_get("performer")?, score(row)?))
    }
}

impl Derived for Contribution {
    /// (performer, viewer), hex.
    type Key = (String, String);
    const SHAPE: Shape = Shape {
        table: "rating_supporters",
        key: &["performer", "viewer"],
        values: &["epoch", "stake", "stars"],
    };

    fn bind_key<'q>(query: Bound<'q>, (performer, viewer): &'q Self::Key) -> Bound<'q> {
        query.bind(performer).bind(viewer)
    }

    fn bind_values<'q>(&self, query: Bound<'q>) -> Result<Bound<'q>, StoreError> {
        Ok(query
            .bind(to_i64(self.epoch)?)
            .bind(amount_text(self.stake))
            .bind(self.stars.map(i64::from)))
    }

    fn read(row: &AnyRow) -> Result<(Self::Key, Self), StoreError> {
        let key = (row.try_get("performer")?, row.try_get("viewer")?);
        let stars: Option<i64> = row.try_get("stars")?;
        Ok((
            key,
            Self {
                epoch: to_u64(row.try_get("epoch")?)?,
                stake: get_amount(row, "stake")?,
                stars: stars
                    .map(|s| u8::try_from(s).map_err(|_| StoreError::Corrupt("stars".into())))
                    .transpose()?,
            },
        ))
    }
}

/// The rating parameters' schedule as last indexed; `None` before the contract's
/// first announcement (its instantiation) is indexed.
pub async fn load_schedule<'e, E>(executor: E) -> Result<Option<Schedule>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT slot, version, burn_bps, support_half_saturation, prior_stars_milli, \
         prior_weight, star_weight_bps, effective_at FROM rating_params",
    )
    .fetch_all(executor)
    .await?;
    let (mut current, mut next) = (None, None);
    for row in &rows {
        let versioned = VersionedParams {
            version: get_u32(row, "version")?,
            params: Params {
                burn_bps: get_u16(row, "burn_bps")?,
                support_half_saturation: get_amount(row, "support_half_saturation")?,
                prior_stars_milli: get_u32(row, "prior_stars_milli")?,
                prior_weight: get_amount(row, "prior_weight")?,
                star_weight_bps: get_u16(row, "star_weight_bps")?,
            },
        };
        let effective_at: Option<i64> = row.try_get("effective_at")?;
        match (row.try_get::<String, _>("slot")?.as_str(), effective_at) {
            ("current", _) => current = Some(versioned),
            ("next", Some(at)) => next = Some((versioned, to_u64(at)?)),
            (slot, _) => return Err(StoreError::Corrupt(format!("rating_params slot {slot:?}"))),
        }
    }
    match (current, next) {
        (Some(current), next) => Ok(Some(Scheduled { current, next })),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(StoreError::Corrupt(
            "announced rating parameters without current ones".into(),
        )),
    }
}

/// `performer`'s (hex) score as last indexed; `None` without one.
pub async fn load_score<'e, E>(executor: E, performer: &str) -> Result<Option<Score>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "SELECT epoch, support, vote_weight, vote_stars, voters \
         FROM rating_scores WHERE performer = $1",
    )
    .bind(performer)
    .fetch_optional(executor)
    .await?
    .as_ref()
    .map(score)
    .transpose()
}

/// Every performer's (hex) score as last indexed, in one read.
pub async fn load_scores<'e, E>(executor: E) -> Result<HashMap<String, Score>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "SELECT performer, epoch, support, vote_weight, vote_stars, voters FROM rating_scores",
    )
    .fetch_all(executor)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("performer")?, score(row)?)))
    .collect()
}

/// A `rating_scores` row.
fn score(row: &AnyRow) -> Result<Score, StoreError> {
    Ok(Score {
        epoch: to_u64(row.try_get("epoch")?)?,
        support: get_amount(row, "support")?,
        vote_weight: get_amount(row, "vote_weight")?,
        vote_stars: get_amount(row, "vote_stars")?,
        voters: get_u32(row, "voters")?,
    })
}
