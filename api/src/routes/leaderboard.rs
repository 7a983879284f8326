//! Leaderboards by rating or by LIVE tips over a window, paged out of the read
//! model's rankings (see [`crate::read_model`] for what each ranking holds).

use super::performers::RatingView;
use super::{digits, show, Params};
use crate::error::{bad_cursor, ApiError};
use crate::read_model::{By, Window};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use serde::{Deserialize, Serialize};

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

/// One page of a ranking, as computed at one block.
#[derive(Debug, Serialize)]
pub struct LeaderboardPage {
    pub items: Vec<Entry>,
    /// Pass back as `cursor` for the next page.
    pub next_cursor: Option<String>,
    /// The indexed block the ranking shows.
    pub block: Option<u32>,
    /// The instant (ms) its ratings are computed for.
    pub at: u64,
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
    pub tips: u64,
    /// Distinct viewers who ever tipped in LIVE.
    pub supporters: u64,
}

/// `GET /v1/leaderboard`
pub async fn leaderboard(
    State(state): State<AppState>,
    Params(query): Params<LeaderboardQuery>,
) -> Result<Json<LeaderboardPage>, ApiError> {
    let limit = super::PageQuery {
        limit: query.limit,
        cursor: None,
    }
    .limit()? as usize;
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
        block: view.block,
        at: view.at,
    }))
}
