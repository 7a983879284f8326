//! Leaderboards by rating or by LIVE tips, over a time window.
//!
//! `by=tips` ranks registered performers by LIVE received in the window (hourly
//! buckets, so a window is at most 720 rows per performer). `by=rating` ranks those
//! with LIVE tips in the window (all registered performers for `all`) by their
//! current rating. Ties go to the lower account, so pages are stable.

use super::performers::{current_schedule, now_ms, rating_at, RatingView};
use super::{digits, show_hex, Page, Params};
use crate::error::{bad_cursor, ApiError};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use livestars_indexer::store::{get_amount, load_scores};
use serde::{Deserialize, Serialize};
use sqlx::Row;
use std::collections::BTreeMap;

/// What to rank by.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Rating,
    Tips,
}

/// Which tips count.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq)]
pub enum Window {
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
    #[default]
    #[serde(rename = "all")]
    All,
}

impl Window {
    fn hours(self) -> Option<u64> {
        match self {
            Self::Day => Some(24),
            Self::Week => Some(7 * 24),
            Self::Month => Some(30 * 24),
            Self::All => None,
        }
    }
}

/// `?by=&window=&limit=&cursor=`
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LeaderboardQuery {
    #[serde(default)]
    pub by: By,
    #[serde(default)]
    pub window: Window,
    pub limit: Option<u32>,
    pub cursor: Option<String>,
}

/// One ranked performer.
#[derive(Debug, Serialize)]
pub struct Entry {
    pub rank: usize,
    pub performer: String,
    pub rating: RatingView,
    /// LIVE received in the window.
    pub tips_gross: String,
    /// Number of LIVE tips in the window.
    pub tips: i64,
    /// Distinct viewers who ever tipped in LIVE.
    pub supporters: i64,
}

/// `GET /v1/leaderboard`
pub async fn leaderboard(
    State(state): State<AppState>,
    Params(query): Params<LeaderboardQuery>,
) -> Result<Json<Page<Entry>>, ApiError> {
    let limit = super::PageQuery {
        limit: query.limit,
        cursor: None,
    }
    .limit()? as usize;
    let offset = match &query.cursor {
        Some(cursor) => digits::<usize>(cursor).ok_or_else(|| bad_cursor(cursor))?,
        None => 0,
    };
    let token = hex::encode(state.deployment.live_token);
    let now = now_ms();

    // performer -> (gross, tips) in the window; all registered performers take part.
    let mut board: BTreeMap<String, (u128, i64)> = BTreeMap::new();
    let performers = sqlx::query("SELECT account FROM performers")
        .fetch_all(state.store.pool())
        .await?;
    let registered: Vec<String> = performers
        .iter()
        .map(|row| row.try_get("account"))
        .collect::<Result<_, _>>()?;
    let rows = match query.window.hours() {
        None => {
            sqlx::query(
                "SELECT account AS performer, gross, tip_count FROM performer_totals \
                 WHERE token = $1",
            )
            .bind(&token)
            .fetch_all(state.store.pool())
            .await?
        }
        Some(hours) => {
            let first_hour = (now / 3_600_000).saturating_sub(hours - 1);
            sqlx::query(
                "SELECT performer, gross, tip_count FROM performer_hourly \
                 WHERE token = $1 AND hour >= $2",
            )
            .bind(&token)
            .bind(i64::try_from(first_hour).unwrap_or(i64::MAX))
            .fetch_all(state.store.pool())
            .await?
        }
    };
    let mut active: BTreeMap<String, (u128, i64)> = BTreeMap::new();
    for row in &rows {
        let entry = active.entry(row.try_get("performer")?).or_default();
        entry.0 = entry.0.saturating_add(get_amount(row, "gross")?);
        entry.1 = entry.1.saturating_add(row.try_get::<i64, _>("tip_count")?);
    }
    for account in registered {
        match active.get(&account) {
            Some(totals) => {
                board.insert(account, *totals);
            }
            None if query.by == By::Tips || query.window == Window::All => {
                board.insert(account, (0, 0));
            }
            None => {}
        }
    }

    let schedule = current_schedule(&state).await?;
    let scores = load_scores(state.store.pool()).await?;
    let mut ranked: Vec<(String, RatingView, u128, i64)> = board
        .iter()
        .map(|(account, &(gross, tips))| {
            let rating = rating_at(scores.get(account), &schedule, now);
            (account.clone(), rating, gross, tips)
        })
        .collect();
    match query.by {
        By::Tips => ranked.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0))),
        By::Rating => ranked.sort_by(|a, b| {
            b.1.rating_ppm
                .cmp(&a.1.rating_ppm)
                .then_with(|| a.0.cmp(&b.0))
        }),
    }

    let end = offset.saturating_add(limit).min(ranked.len());
    let mut items = Vec::new();
    for (position, (account, rating, gross, tips)) in
        ranked.into_iter().enumerate().take(end).skip(offset)
    {
        let supporters = sqlx::query(
            "SELECT supporters FROM performer_totals WHERE account = $1 AND token = $2",
        )
        .bind(&account)
        .bind(&token)
        .fetch_optional(state.store.pool())
        .await?
        .map(|row| row.try_get::<i64, _>("supporters"))
        .transpose()?
        .unwrap_or(0);
        items.push(Entry {
            rank: position.saturating_add(1),
            performer: show_hex(&account)?,
            rating,
            tips_gross: gross.to_string(),
            tips,
            supporters,
        });
    }
    let next_cursor = (end < board.len()).then(|| end.to_string());
    Ok(Json(Page { items, next_cursor }))
}
