//! Registered performers with their totals and current rating, from the read model.

use super::{page_limit, show, Account, AccountPath, Page, Params, PerformersPage};
use crate::error::{bad_cursor, ApiError, ErrorBody};
use crate::openapi::{Amount, Hash32, Ss58};
use crate::read_model::{now_ms, Performer, View};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use livestars_indexer::config::parse_account;
use livestars_indexer::decode::AccountId;
use livestars_indexer::rating::{self, Schedule};
use livestars_indexer::store::NATIVE;
use rating_formula::Score;
use serde::Serialize;
use utoipa::ToSchema;

/// A performer as the client lists them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Performer)]
pub struct PerformerView {
    #[schema(value_type = Ss58)]
    pub account: String,
    /// Hash commitment of the off-chain profile; the profile itself is never indexed.
    #[schema(value_type = Hash32)]
    pub profile: String,
    /// The most of a tip the performer accepts to lose to the platform fee and the
    /// rating stake together (bps).
    #[schema(maximum = 10_000)]
    pub max_fee_bps: u16,
    /// Co-recipients of each tip and their basis points, `[account, bps]`.
    #[schema(value_type = Vec<(Ss58, u16)>)]
    pub splits: Vec<(String, u16)>,
    /// The verifier whose 18+ attestation counts now: `null` without one, or once
    /// the verifier was delisted (tips are refused then).
    #[schema(value_type = Option<Ss58>, required = true)]
    pub adult_verifier: Option<String>,
    pub registered_block: u32,
    /// Totals per token (`native` for the chain's currency).
    pub totals: Vec<TotalsView>,
    pub rating: RatingView,
}

/// What a performer received in one token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Totals)]
pub struct TotalsView {
    /// The token's account, or `native` for the chain's currency.
    #[schema(pattern = "^(native|[1-9A-HJ-NP-Za-km-z]{48})$")]
    pub token: String,
    pub tips: u64,
    /// Received, before fees and splits.
    #[schema(value_type = Amount)]
    pub gross: String,
    /// What reached the performer's wallet.
    #[schema(value_type = Amount)]
    pub net: String,
    pub supporters: u64,
    /// Block time of the last tip, ms since the Unix epoch.
    pub last_tip_at: u64,
}

/// A rating broken into the terms of `docs/RATING.md`, at `at`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
#[schema(as = Rating)]
pub struct RatingView {
    /// The rating, 0 to 1 000 000.
    #[schema(maximum = 1_000_000)]
    pub rating_ppm: u32,
    /// Decayed stake of all supporters (LIVE base units).
    #[schema(value_type = Amount)]
    pub support: String,
    #[schema(maximum = 1_000_000)]
    pub support_ppm: u32,
    /// Stars ×1000, 1 000 to 5 000.
    #[schema(maximum = 5_000)]
    pub stars_milli: u32,
    /// Supporters who gave stars.
    pub voters: u32,
    /// Decayed stake of those supporters (LIVE base units).
    #[schema(value_type = Amount)]
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

/// The rating parameters' schedule of `view`; 503 until the contract's first
/// parameters are indexed.
pub fn schedule(view: &View) -> Result<&Schedule, ApiError> {
    view.schedule
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable("the rating parameters are not indexed yet".into()))
}

/// A rating at `now` from the indexed score (`None`: no score yet) under the
/// parameters in force then.
pub fn rating_at(score: Option<&Score>, schedule: &Schedule, now: u64) -> RatingView {
    let (version, rating) = rating::rating_at(schedule, score, now);
    RatingView::new(rating, version, now)
}

/// 404 unless `performer` is registered or has received tips.
pub fn ensure_known(state: &AppState, performer: &AccountId) -> Result<(), ApiError> {
    if state.view()?.performers.contains_key(performer) {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!(
            "no performer {}",
            show(performer)
        )))
    }
}

/// `GET /v1/performers`: registered performers by account.
#[utoipa::path(
    get,
    path = "/performers",
    tag = "performers",
    summary = "Registered performers, by account",
    params(PerformersPage),
    responses(
        (status = 200, body = Page<PerformerView>),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "The read model or the rating parameters are not loaded yet, or the request took too long"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Params(page): Params<PerformersPage>,
) -> Result<Json<Page<PerformerView>>, ApiError> {
    let limit = page_limit(page.limit)? as usize;
    let view = state.view()?;
    let first = match &page.cursor {
        Some(cursor) => {
            let after = parse_account(cursor).map_err(|_| bad_cursor(cursor))?;
            view.registered.partition_point(|p| p.account <= after)
        }
        None => 0,
    };
    let (schedule, now) = (schedule(&view)?, now_ms());
    let page = view.registered.get(first..).unwrap_or_default();
    let items: Vec<PerformerView> = page
        .iter()
        .take(limit)
        .filter_map(|p| performer_view(&view, p, schedule, now))
        .collect();
    let next_cursor = (page.len() > limit)
        .then(|| items.last().map(|p| p.account.clone()))
        .flatten();
    Ok(Json(Page { items, next_cursor }))
}

/// `GET /v1/performers/{account}`
#[utoipa::path(
    get,
    path = "/performers/{account}",
    tag = "performers",
    summary = "One registered performer with totals and current rating",
    params(AccountPath),
    responses(
        (status = 200, body = PerformerView),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Not registered (or erased)"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<PerformerView>, ApiError> {
    let view = state.view()?;
    let schedule = schedule(&view)?;
    view.performers
        .get(&performer)
        .and_then(|p| performer_view(&view, p, schedule, now_ms()))
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no performer {}", show(&performer))))
}

/// A registered performer with their totals and their rating at `now`; `None` for
/// an account that is not (or no longer) registered.
fn performer_view(
    view: &View,
    performer: &Performer,
    schedule: &Schedule,
    now: u64,
) -> Option<PerformerView> {
    let registry = performer.state.registry.as_ref()?;
    Some(PerformerView {
        account: show(&performer.account),
        profile: hex::encode(registry.profile),
        max_fee_bps: registry.max_fee_bps,
        splits: registry
            .splits
            .iter()
            .map(|(recipient, bps)| (show(recipient), *bps))
            .collect(),
        adult_verifier: performer.adult_verifier(&view.listings).as_ref().map(show),
        registered_block: registry.registered_block,
        totals: performer
            .state
            .totals
            .iter()
            .map(|t| TotalsView {
                token: t.token.as_ref().map_or_else(|| NATIVE.to_owned(), show),
                tips: t.tips,
                gross: t.gross.to_string(),
                net: t.net.to_string(),
                supporters: t.supporters,
                last_tip_at: t.last_tip_ms,
            })
            .collect(),
        rating: rating_at(performer.state.score.as_ref(), schedule, now),
    })
}
