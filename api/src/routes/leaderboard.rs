//! Leaderboards by rating or by support (LIVE burned for a performer) among the
//! performers tipped in a window, paged out of the read model's rankings (see
//! [`crate::read_model`] for what each ranking holds).

use super::{digits, page_limit, Params};
use crate::error::{bad_cursor, ApiError, ErrorBody};
use crate::openapi::{Amount, RankCursor, Ss58};
use crate::read_model::{By, Window};
use crate::state::AppState;
use crate::views::{show, RatingView};
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// `?by=&window=&limit=&cursor=`
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct LeaderboardQuery {
    /// `rating` (default): by current rating; `support`: by the LIVE burned for
    /// them by anyone, halving every 512 hours (the rating's support term). Both
    /// list the performers with LIVE tips in the window (everyone for `all`).
    /// LIVE received is shown, never ranked by: it can be bought at the fee.
    #[serde(default)]
    #[param(inline)]
    pub by: By,
    /// The hours counted: the current one and those before it (default `all`).
    #[serde(default)]
    #[param(inline)]
    pub window: Window,
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    #[param(value_type = Option<RankCursor>)]
    pub cursor: Option<String>,
}

/// One page of a ranking, as computed at one block.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeaderboardPage {
    pub items: Vec<Entry>,
    /// Pass back as `cursor` for the next page; `null` on the last.
    #[schema(value_type = Option<RankCursor>, required = true)]
    pub next_cursor: Option<String>,
    /// The indexed block the ranking and its ratings were computed at (`null`
    /// before the first).
    #[schema(required = true)]
    pub block: Option<u32>,
    /// The instant (ms since the Unix epoch) its ratings are computed for.
    pub at: u64,
}

/// One ranked performer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LeaderboardEntry)]
pub struct Entry {
    /// 1 for the first.
    #[schema(minimum = 1)]
    pub rank: usize,
    #[schema(value_type = Ss58)]
    pub performer: String,
    pub rating: RatingView,
    /// LIVE received in the window (gross, fees and splits included): shown for
    /// what it is, never ranked by.
    #[schema(value_type = Amount)]
    pub tips_gross: String,
    /// Number of LIVE tips in the window.
    pub tips: u64,
    /// Distinct viewers who ever tipped in LIVE.
    pub supporters: u64,
}

/// `GET /v1/leaderboard`
#[utoipa::path(
    get,
    path = "/leaderboard",
    tag = "ratings",
    summary = "Performers tipped in a window, ranked by current rating or by support (LIVE burned for them)",
    description = "Served from the API's in-memory read model, re-ranked at every indexed \
        block (and every 10 s and at each hour on a quiet chain), so a page costs the same \
        whatever the number of performers; `block` and `at` say which block and instant the \
        ranking shows.",
    params(LeaderboardQuery),
    responses(
        (status = 200, body = LeaderboardPage),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "The read model or the rating parameters are not loaded yet, or the request took too long"),
    )
)]
pub async fn leaderboard(
    State(state): State<AppState>,
    Params(query): Params<LeaderboardQuery>,
) -> Result<Json<LeaderboardPage>, ApiError> {
    let limit = page_limit(query.limit)? as usize;
    let offset = match &query.cursor {
        Some(cursor) => digits::<usize>(cursor).ok_or_else(|| bad_cursor(cursor))?,
        None => 0,
    };
    let view = state.view()?;
    super::performers::schedule(&view)?;
    let ranking = view.ranking(query.by, query.window);
    let end = offset.saturating_add(limit).min(ranking.len());
    let items = ranking
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .enumerate()
        .map(|(i, &index)| {
            let performer = &view.registered[index as usize];
            let (version, rating) = view.ratings[index as usize];
            let tips = performer.tips_in(query.window);
            Entry {
                rank: offset + i + 1,
                performer: show(&performer.account),
                rating: RatingView::new(rating, version, view.at),
                tips_gross: tips.gross.to_string(),
                tips: tips.tips,
                supporters: performer.live_supporters,
            }
        })
        .collect();
    Ok(Json(LeaderboardPage {
        items,
        next_cursor: (end < ranking.len()).then(|| end.to_string()),
        block: view.block(),
        at: view.at,
    }))
}
