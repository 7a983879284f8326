//! Writes one raw event and what it changes in the derived tables.

use super::{get_amount, get_u32, Contracts, RawEvent, StoreError};
use crate::decode::{self, AccountId, LiveEvent, RatingEvent, Tipped};
use crate::rating::{self, ScoreState, SupporterState};
use rating_formula::{Params, Score, Support};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::HashMap;

type Tx<'a> = Transaction<'a, Any>;

/// The token column's value for tips in the chain's native currency.
pub const NATIVE: &str = "native";

/// An amount as stored: 40 zero-padded digits, so text order is numeric order.
pub fn amount_text(value: u128) -> String {
    format!("{value:040}")
}

/// Stores `event` raw and applies it, if it is one we understand, to the derived tables.
pub(super) async fn store_event(
    tx: &mut Tx<'_>,
    contracts: &Contracts,
    block: u32,
    event: &RawEvent,
) -> Result<(), StoreError> {
    let decoded = decode::decode(&event.topics, &event.data).ok();
    let name = decoded.as_ref().map_or("unknown", LiveEvent::name);
    let topics: Vec<String> = event.topics.iter().map(hex::encode).collect();
    sqlx::query(
        "INSERT INTO events (block_number, event_index, extrinsic_index, contract, name, \
         topics, data, performer) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(i64::from(block))
    .bind(i64::from(event.event_index))
    .bind(event.extrinsic_index.map(i64::from))
    .bind(hex::encode(event.contract))
    .bind(name)
    .bind(topics.join(","))
    .bind(hex::encode(&event.data))
    .bind(
        decoded
            .as_ref()
            .and_then(LiveEvent::performer)
            .map(hex::encode),
    )
    .execute(&mut **tx)
    .await?;

    let Some(decoded) = decoded else {
        return Ok(());
    };
    let from_tips = event.contract == contracts.tips;
    match decoded {
        LiveEvent::Tipped(tip) if from_tips => record_tip(tx, block, event.event_index, &tip).await,
        LiveEvent::PerformerRegistered {
            performer,
            profile,
            max_platform_fee_bps,
        } if from_tips => {
            sqlx::query(
                "INSERT INTO performers (account, profile, max_platform_fee_bps, splits, \
                 adult_verifier, registered_block) VALUES ($1, $2, $3, '[]', NULL, $4) \
                 ON CONFLICT (account) DO UPDATE SET profile = excluded.profile, \
                 max_platform_fee_bps = excluded.max_platform_fee_bps, splits = '[]', \
                 adult_verifier = NULL, registered_block = excluded.registered_block",
            )
            .bind(hex::encode(performer))
            .bind(hex::encode(profile))
            .bind(i64::from(max_platform_fee_bps))
            .bind(i64::from(block))
            .execute(&mut **tx)
            .await?;
            Ok(())
        }
        LiveEvent::ProfileChanged { performer, profile } if from_tips => {
            update_performer(tx, "profile", hex::encode(profile), &performer).await
        }
        LiveEvent::MaxPlatformFeeChanged {
            performer,
            max_platform_fee_bps,
        } if from_tips => {
            update_performer(
                tx,
                "max_platform_fee_bps",
                i64::from(max_platform_fee_bps),
                &performer,
            )
            .await
        }
        LiveEvent::SplitsChanged { performer, splits } if from_tips => {
            let splits: Vec<_> = splits
                .iter()
                .map(|(recipient, bps)| serde_json::json!([hex::encode(recipient), bps]))
                .collect();
            update_performer(
                tx,
                "splits",
                serde_json::Value::from(splits).to_string(),
                &performer,
            )
            .await
        }
        LiveEvent::AdultAttestationChanged {
            performer,
            verifier,
            adult,
        } if from_tips => {
            update_performer(
                tx,
                "adult_verifier",
                adult.then(|| hex::encode(verifier)),
                &performer,
            )
            .await
        }
        LiveEvent::PerformerErased { performer } if from_tips => {
            sqlx::query("DELETE FROM performers WHERE account = $1")
                .bind(hex::encode(performer))
                .execute(&mut **tx)
                .await?;
            Ok(())
        }
        LiveEvent::Rating(rating_event) if event.contract == contracts.rating => {
            record_rating(tx, block, event.event_index, &rating_event).await
        }
        _ => Ok(()),
    }
}

async fn update_performer<'q, T>(
    tx: &mut Tx<'_>,
    column: &'static str,
    value: T,
    performer: &AccountId,
) -> Result<(), StoreError>
where
    T: 'q + Send + sqlx::Encode<'q, Any> + sqlx::Type<Any>,
{
    // `column` is one of this module's literals, never input.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE performers SET {column} = $1 WHERE account = $2"
    )))
    .bind(value)
    .bind(hex::encode(performer))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn record_tip(
    tx: &mut Tx<'_>,
    block: u32,
    event_index: u32,
    tip: &Tipped,
) -> Result<(), StoreError> {
    let performer = hex::encode(tip.performer);
    let viewer = hex::encode(tip.viewer);
    let token = tip.token.map_or_else(|| NATIVE.to_owned(), hex::encode);
    let splits: Vec<_> = tip
        .splits
        .iter()
        .map(|(recipient, amount)| serde_json::json!([hex::encode(recipient), amount.to_string()]))
        .collect();
    sqlx::query(
        "INSERT INTO tips (block_number, event_index, tip_id, viewer, performer, token, gross, \
         platform_fee, treasury, splits, net, memo, at_ms) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
    )
    .bind(i64::from(block))
    .bind(i64::from(event_index))
    .bind(to_i64(tip.tip_id)?)
    .bind(&viewer)
    .bind(&performer)
    .bind(tip.token.map(hex::encode))
    .bind(amount_text(tip.gross))
    .bind(amount_text(tip.platform_fee))
    .bind(hex::encode(tip.treasury))
    .bind(serde_json::Value::from(splits).to_string())
    .bind(amount_text(tip.net))
    .bind(tip.memo.map(hex::encode))
    .bind(to_i64(tip.at)?)
    .execute(&mut **tx)
    .await?;

    // Distinct supporters: a first tip from this viewer (in this token) adds one.
    let previous = sqlx::query(
        "SELECT gross FROM supporters WHERE performer = $1 AND viewer = $2 AND token = $3",
    )
    .bind(&performer)
    .bind(&viewer)
    .bind(&token)
    .fetch_optional(&mut **tx)
    .await?
    .map(|row| get_amount(&row, "gross"))
    .transpose()?;
    let new_supporter = i64::from(previous.is_none());
    sqlx::query(
        "INSERT INTO supporters (performer, viewer, token, gross) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (performer, viewer, token) DO UPDATE SET gross = excluded.gross",
    )
    .bind(&performer)
    .bind(&viewer)
    .bind(&token)
    .bind(amount_text(add(previous.unwrap_or(0), tip.gross)?))
    .execute(&mut **tx)
    .await?;

    let totals = sqlx::query(
        "SELECT tip_count, gross, net, supporters FROM performer_totals \
         WHERE account = $1 AND token = $2",
    )
    .bind(&performer)
    .bind(&token)
    .fetch_optional(&mut **tx)
    .await?;
    let (count, gross, net, supporters) = match totals {
        Some(row) => (
            row.try_get::<i64, _>("tip_count")?,
            get_amount(&row, "gross")?,
            get_amount(&row, "net")?,
            row.try_get::<i64, _>("supporters")?,
        ),
        None => (0, 0, 0, 0),
    };
    sqlx::query(
        "INSERT INTO performer_totals (account, token, tip_count, gross, net, supporters, \
         last_tip_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account, token) DO UPDATE \
         SET tip_count = excluded.tip_count, gross = excluded.gross, net = excluded.net, \
         supporters = excluded.supporters, last_tip_ms = excluded.last_tip_ms",
    )
    .bind(&performer)
    .bind(&token)
    .bind(inc(count, 1)?)
    .bind(amount_text(add(gross, tip.gross)?))
    .bind(amount_text(add(net, tip.net)?))
    .bind(inc(supporters, new_supporter)?)
    .bind(to_i64(tip.at)?)
    .execute(&mut **tx)
    .await?;

    let viewer_totals =
        sqlx::query("SELECT tip_count, gross FROM viewer_totals WHERE account = $1 AND token = $2")
            .bind(&viewer)
            .bind(&token)
            .fetch_optional(&mut **tx)
            .await?;
    let (count, gross) = match viewer_totals {
        Some(row) => (
            row.try_get::<i64, _>("tip_count")?,
            get_amount(&row, "gross")?,
        ),
        None => (0, 0),
    };
    sqlx::query(
        "INSERT INTO viewer_totals (account, token, tip_count, gross) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (account, token) DO UPDATE SET tip_count = excluded.tip_count, \
         gross = excluded.gross",
    )
    .bind(&viewer)
    .bind(&token)
    .bind(inc(count, 1)?)
    .bind(amount_text(add(gross, tip.gross)?))
    .execute(&mut **tx)
    .await?;

    let hour = to_i64(tip.at / 3_600_000)?;
    let hourly = sqlx::query(
        "SELECT tip_count, gross FROM performer_hourly \
         WHERE performer = $1 AND token = $2 AND hour = $3",
    )
    .bind(&performer)
    .bind(&token)
    .bind(hour)
    .fetch_optional(&mut **tx)
    .await?;
    let (count, gross) = match hourly {
        Some(row) => (
            row.try_get::<i64, _>("tip_count")?,
            get_amount(&row, "gross")?,
        ),
        None => (0, 0),
    };
    sqlx::query(
        "INSERT INTO performer_hourly (performer, token, hour, tip_count, gross) \
         VALUES ($1, $2, $3, $4, $5) ON CONFLICT (performer, token, hour) DO UPDATE SET \
         tip_count = excluded.tip_count, gross = excluded.gross",
    )
    .bind(&performer)
    .bind(&token)
    .bind(hour)
    .bind(inc(count, 1)?)
    .bind(amount_text(add(gross, tip.gross)?))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

async fn record_rating(
    tx: &mut Tx<'_>,
    block: u32,
    event_index: u32,
    event: &RatingEvent,
) -> Result<(), StoreError> {
    if let RatingEvent::ParamsChanged { version, params } = event {
        sqlx::query(
            "INSERT INTO rating_params (id, version, min_tip, half_life_ms, prior_stars_milli, \
             prior_weight, support_half_saturation, star_weight_bps) \
             VALUES (1, $1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO UPDATE SET \
             version = excluded.version, min_tip = excluded.min_tip, \
             half_life_ms = excluded.half_life_ms, prior_stars_milli = excluded.prior_stars_milli, \
             prior_weight = excluded.prior_weight, \
             support_half_saturation = excluded.support_half_saturation, \
             star_weight_bps = excluded.star_weight_bps",
        )
        .bind(i64::from(*version))
        .bind(amount_text(params.min_tip))
        .bind(to_i64(params.half_life_ms)?)
        .bind(i64::from(params.prior_stars_milli))
        .bind(i64::from(params.prior_weight))
        .bind(amount_text(params.support_half_saturation))
        .bind(i64::from(params.star_weight_bps))
        .execute(&mut **tx)
        .await?;
        return Ok(());
    }
    let Some(performer) = event.performer() else {
        return Ok(());
    };
    let params = load_params(&mut **tx)
        .await?
        .map(|(_, params)| params)
        .ok_or(StoreError::Replay {
            block,
            index: event_index,
            source: rating::ReplayError::NoParams,
        })?;
    let performer = hex::encode(performer);
    let viewer = event.viewer().map(hex::encode);
    let mut score = load_score(&mut **tx, &performer).await?;
    let mut supporter = match &viewer {
        Some(viewer) => sqlx::query(
            "SELECT score_id, tipped, stars, support, support_updated_ms FROM rating_supporters \
             WHERE performer = $1 AND viewer = $2",
        )
        .bind(&performer)
        .bind(viewer)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| {
            let stars: Option<i64> = row.try_get("stars")?;
            Ok::<_, StoreError>(SupporterState {
                score_id: row.try_get("score_id")?,
                tipped: get_amount(&row, "tipped")?,
                stars: stars
                    .map(|s| u8::try_from(s).map_err(|_| StoreError::Corrupt("stars".into())))
                    .transpose()?,
                support: support(&row)?,
            })
        })
        .transpose()?,
        None => None,
    };
    rating::apply(
        event,
        &params,
        &mut score,
        &mut supporter,
        rating::position(block, event_index),
    )
    .map_err(|source| StoreError::Replay {
        block,
        index: event_index,
        source,
    })?;

    match score {
        Some(state) => {
            sqlx::query(
                "INSERT INTO rating_scores (performer, score_id, support, support_updated_ms, \
                 star_count, star_sum) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (performer) \
                 DO UPDATE SET score_id = excluded.score_id, support = excluded.support, \
                 support_updated_ms = excluded.support_updated_ms, \
                 star_count = excluded.star_count, star_sum = excluded.star_sum",
            )
            .bind(&performer)
            .bind(state.id)
            .bind(amount_text(state.score.support.value))
            .bind(to_i64(state.score.support.updated_at)?)
            .bind(i64::from(state.score.star_count))
            .bind(to_i64(state.score.star_sum)?)
            .execute(&mut **tx)
            .await?
        }
        None => {
            sqlx::query("DELETE FROM rating_scores WHERE performer = $1")
                .bind(&performer)
                .execute(&mut **tx)
                .await?
        }
    };
    if let Some(viewer) = viewer {
        match supporter {
            Some(state) => {
                sqlx::query(
                    "INSERT INTO rating_supporters (performer, viewer, score_id, tipped, stars, \
                     support, support_updated_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) \
                     ON CONFLICT (performer, viewer) DO UPDATE SET score_id = excluded.score_id, \
                     tipped = excluded.tipped, stars = excluded.stars, support = excluded.support, \
                     support_updated_ms = excluded.support_updated_ms",
                )
                .bind(&performer)
                .bind(&viewer)
                .bind(state.score_id)
                .bind(amount_text(state.tipped))
                .bind(state.stars.map(i64::from))
                .bind(amount_text(state.support.value))
                .bind(to_i64(state.support.updated_at)?)
                .execute(&mut **tx)
                .await?
            }
            None => {
                sqlx::query("DELETE FROM rating_supporters WHERE performer = $1 AND viewer = $2")
                    .bind(&performer)
                    .bind(&viewer)
                    .execute(&mut **tx)
                    .await?
            }
        };
    }
    Ok(())
}

/// The current formula parameters and their version, once the rating contract set them.
pub async fn load_params<'e, E>(executor: E) -> Result<Option<(u32, Params)>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let Some(row) = sqlx::query(
        "SELECT version, min_tip, half_life_ms, prior_stars_milli, prior_weight, \
         support_half_saturation, star_weight_bps FROM rating_params WHERE id = 1",
    )
    .fetch_optional(executor)
    .await?
    else {
        return Ok(None);
    };
    let params = Params {
        min_tip: get_amount(&row, "min_tip")?,
        half_life_ms: to_u64(row.try_get("half_life_ms")?)?,
        prior_stars_milli: get_u32(&row, "prior_stars_milli")?,
        prior_weight: get_u32(&row, "prior_weight")?,
        support_half_saturation: get_amount(&row, "support_half_saturation")?,
        star_weight_bps: u16::try_from(row.try_get::<i64, _>("star_weight_bps")?)
            .map_err(|_| StoreError::Corrupt("star_weight_bps".into()))?,
    };
    Ok(Some((get_u32(&row, "version")?, params)))
}

/// `performer`'s (hex) formula state as last indexed; `None` without a score.
pub async fn load_score<'e, E>(
    executor: E,
    performer: &str,
) -> Result<Option<ScoreState>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "SELECT score_id, support, support_updated_ms, star_count, star_sum \
         FROM rating_scores WHERE performer = $1",
    )
    .bind(performer)
    .fetch_optional(executor)
    .await?
    .as_ref()
    .map(score_state)
    .transpose()
}

/// Every performer's (hex) formula state as last indexed, in one read.
pub async fn load_scores<'e, E>(executor: E) -> Result<HashMap<String, ScoreState>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "SELECT performer, score_id, support, support_updated_ms, star_count, star_sum \
         FROM rating_scores",
    )
    .fetch_all(executor)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("performer")?, score_state(row)?)))
    .collect()
}

fn score_state(row: &AnyRow) -> Result<ScoreState, StoreError> {
    Ok(ScoreState {
        id: row.try_get("score_id")?,
        score: Score {
            support: support(row)?,
            star_count: get_u32(row, "star_count")?,
            star_sum: to_u64(row.try_get("star_sum")?)?,
        },
    })
}

fn support(row: &AnyRow) -> Result<Support, StoreError> {
    Ok(Support {
        value: get_amount(row, "support")?,
        updated_at: to_u64(row.try_get("support_updated_ms")?)?,
    })
}

fn add(a: u128, b: u128) -> Result<u128, StoreError> {
    a.checked_add(b)
        .ok_or_else(|| StoreError::Corrupt("amount overflow".into()))
}

fn inc(a: i64, b: i64) -> Result<i64, StoreError> {
    a.checked_add(b)
        .ok_or_else(|| StoreError::Corrupt("counter overflow".into()))
}

fn to_i64(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} exceeds i64")))
}

fn to_u64(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} is negative")))
}
