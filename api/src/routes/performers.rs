//! Registered performers with their totals and current rating.

use super::{show, show_amount, show_hex, Account, Page, PageQuery, Params};
use crate::error::{bad_cursor, ApiError};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use livestars_indexer::decode::AccountId;
use livestars_indexer::rating::{self, Schedule};
use livestars_indexer::store::{load_schedule, load_score, NATIVE};
use rating_formula::Score;
use serde::Serialize;
use sqlx::Row;

/// A performer as the client lists them.
#[derive(Debug, Serialize)]
pub struct PerformerView {
    pub account: String,
    /// Hash commitment of the off-chain profile; the profile itself is never indexed.
    pub profile: String,
    /// The most of a tip the performer accepts to lose to the platform fee and the
    /// rating stake together (bps).
    pub max_fee_bps: i64,
    pub splits: Vec<(String, i64)>,
    /// The verifier whose 18+ attestation counts now: `null` without one, or once
    /// the verifier was delisted (tips are refused then).
    pub adult_verifier: Option<String>,
    pub registered_block: i64,
    /// Totals per token (`native` for the chain's currency).
    pub totals: Vec<TotalsView>,
    pub rating: RatingView,
}

/// What a performer received in one token.
#[derive(Debug, Serialize)]
pub struct TotalsView {
    pub token: String,
    pub tips: i64,
    pub gross: String,
    pub net: String,
    pub supporters: i64,
    pub last_tip_at: i64,
}

/// A rating broken into the terms of `docs/RATING.md`, at `at`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct RatingView {
    pub rating_ppm: u32,
    /// Decayed stake of all supporters (LIVE base units).
    pub support: String,
    pub support_ppm: u32,
    pub stars_milli: u32,
    /// Supporters who gave stars.
    pub voters: u32,
    /// Decayed stake of those supporters (LIVE base units).
    pub vote_weight: String,
    pub params_version: u32,
    /// The instant (ms) the rating is computed for.
    pub at: u64,
}

impl RatingView {
    /// Wraps the formula's result.
    pub fn new(rating: rating_formula::Rating, params_version: u32, at: u64) -> Self {
        Self {
            rating_ppm: rating.rating_ppm,
            support: rating.support.to_string(),
            support_ppm: rating.support_ppm,
            stars_milli: rating.stars_milli,
            voters: rating.voters,
            vote_weight: rating.vote_weight.to_string(),
            params_version,
            at,
        }
    }
}

/// Now, in ms since the epoch: ratings fade with time, so "current" is wall-clock.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// The rating parameters' schedule; 503 until the contract's first parameters are
/// indexed.
pub async fn current_schedule(state: &AppState) -> Result<Schedule, ApiError> {
    load_schedule(state.store.pool())
        .await?
        .ok_or_else(|| ApiError::Unavailable("the rating parameters are not indexed yet".into()))
}

/// A rating at `now` from the indexed score (`None`: no score yet) under the
/// parameters in force then.
pub fn rating_at(score: Option<&Score>, schedule: &Schedule, now: u64) -> RatingView {
    let (version, rating) = rating::rating_at(schedule, score, now);
    RatingView::new(rating, version, now)
}

/// 404 unless `performer` is registered or has received tips.
pub async fn ensure_known(state: &AppState, performer: &AccountId) -> Result<(), ApiError> {
    let account = hex::encode(performer);
    let known = sqlx::query(
        "SELECT 1 FROM performers WHERE account = $1 \
         UNION SELECT 1 FROM performer_totals WHERE account = $1",
    )
    .bind(&account)
    .fetch_optional(state.store.pool())
    .await?;
    match known {
        Some(_) => Ok(()),
        None => Err(ApiError::NotFound(format!(
            "no performer {}",
            show(performer)
        ))),
    }
}

/// `GET /v1/performers`: registered performers by account.
pub async fn list(
    State(state): State<AppState>,
    Params(page): Params<PageQuery>,
) -> Result<Json<Page<PerformerView>>, ApiError> {
    let limit = page.limit()?;
    let after = match &page.cursor {
        Some(cursor) => hex::encode(
            livestars_indexer::config::parse_account(cursor).map_err(|_| bad_cursor(cursor))?,
        ),
        None => String::new(),
    };
    let rows =
        sqlx::query("SELECT account FROM performers WHERE account > $1 ORDER BY account LIMIT $2")
            .bind(after)
            .bind(i64::from(limit) + 1)
            .fetch_all(state.store.pool())
            .await?;
    let mut accounts = rows
        .iter()
        .map(|row| row.try_get::<String, _>("account"))
        .collect::<Result<Vec<_>, _>>()?;
    let more = accounts.len() > limit as usize;
    accounts.truncate(limit as usize);
    if accounts.is_empty() {
        return Ok(Json(Page {
            items: Vec::new(),
            next_cursor: None,
        }));
    }
    let (schedule, now) = (current_schedule(&state).await?, now_ms());
    let mut items = Vec::with_capacity(accounts.len());
    for account in &accounts {
        if let Some(view) = view(&state, account, &schedule, now).await? {
            items.push(view);
        }
    }
    let next_cursor = if more {
        items.last().map(|p| p.account.clone())
    } else {
        None
    };
    Ok(Json(Page { items, next_cursor }))
}

/// `GET /v1/performers/{account}`
pub async fn one(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<PerformerView>, ApiError> {
    let schedule = current_schedule(&state).await?;
    view(&state, &hex::encode(performer), &schedule, now_ms())
        .await?
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no performer {}", show(&performer))))
}

/// `account` (hex) with its totals and its rating at `now`.
async fn view(
    state: &AppState,
    account: &str,
    schedule: &Schedule,
    now: u64,
) -> Result<Option<PerformerView>, ApiError> {
    // The attestation counts while its verifier still holds the listing it had.
    let Some(row) = sqlx::query(
        "SELECT p.profile AS profile, p.max_fee_bps AS max_fee_bps, p.splits AS splits, \
         p.registered_block AS registered_block, l.verifier AS adult_verifier \
         FROM performers p LEFT JOIN verifier_listings l \
         ON l.listing = p.adult_listing AND l.verifier = p.adult_verifier \
         AND l.delisted_block IS NULL WHERE p.account = $1",
    )
    .bind(account)
    .fetch_optional(state.store.pool())
    .await?
    else {
        return Ok(None);
    };
    let splits: Vec<(String, i64)> = serde_json::from_str(&row.try_get::<String, _>("splits")?)
        .map_err(|e| ApiError::Internal(format!("stored splits: {e}")))?;
    let totals = sqlx::query(
        "SELECT token, tip_count, gross, net, supporters, last_tip_ms FROM performer_totals \
         WHERE account = $1 ORDER BY token",
    )
    .bind(account)
    .fetch_all(state.store.pool())
    .await?
    .iter()
    .map(|row| {
        let token: String = row.try_get("token")?;
        Ok(TotalsView {
            token: if token == NATIVE {
                token
            } else {
                show_hex(&token)?
            },
            tips: row.try_get("tip_count")?,
            gross: show_amount(&row.try_get::<String, _>("gross")?),
            net: show_amount(&row.try_get::<String, _>("net")?),
            supporters: row.try_get("supporters")?,
            last_tip_at: row.try_get("last_tip_ms")?,
        })
    })
    .collect::<Result<Vec<_>, ApiError>>()?;
    let score = load_score(state.store.pool(), account).await?;
    let rating = rating_at(score.as_ref(), schedule, now);
    let adult_verifier: Option<String> = row.try_get("adult_verifier")?;
    Ok(Some(PerformerView {
        account: show_hex(account)?,
        profile: row.try_get("profile")?,
        max_fee_bps: row.try_get("max_fee_bps")?,
        splits: splits
            .into_iter()
            .map(|(recipient, bps)| Ok((show_hex(&recipient)?, bps)))
            .collect::<Result<_, ApiError>>()?,
        adult_verifier: adult_verifier.as_deref().map(show_hex).transpose()?,
        registered_block: row.try_get("registered_block")?,
        totals,
        rating,
    }))
}
