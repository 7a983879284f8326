//! Private shows: a performer's terms, the shows of an account, one show with its
//! events, and the live feed of show events (SSE). Read straight from the store:
//! a show changes a handful of times in its life, and its parties poll it.

use super::{page_limit, Account, AccountPath, Page, Params};
use crate::admission::ClientAddress;
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{Amount, Ss58};
use crate::sse;
use crate::state::AppState;
use crate::views::{show as ss58, ShowEventView};
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::response::sse::{Event, Sse};
use axum::Json;
use futures::Stream;
use livestars_indexer::store::{ShowFilter, ShowRecord, ShowTermsRecord};
use serde::{Deserialize, Serialize};
use std::convert::Infallible;
use tokio_stream::wrappers::BroadcastStream;
use utoipa::{IntoParams, ToSchema};

/// A performer's private-show offer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShowTerms)]
pub struct ShowTermsView {
    #[schema(value_type = Ss58)]
    pub performer: String,
    #[schema(value_type = Amount)]
    pub price_per_minute: String,
    /// `false` while new shows are paused.
    pub available: bool,
}

impl From<ShowTermsRecord> for ShowTermsView {
    fn from(terms: ShowTermsRecord) -> Self {
        Self {
            performer: ss58(&terms.performer),
            price_per_minute: terms.price_per_minute.to_string(),
            available: terms.available,
        }
    }
}

/// One private show and what has moved so far.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Show)]
pub struct ShowView {
    pub show_id: u64,
    #[schema(value_type = Ss58)]
    pub viewer: String,
    #[schema(value_type = Ss58)]
    pub performer: String,
    #[schema(value_type = Amount)]
    pub price_per_minute: String,
    /// The platform fee and the rating stake fixed when the show opened.
    pub fee_bps: u16,
    pub burn_bps: u16,
    /// Everything the viewer put in (opening deposit and top-ups).
    #[schema(value_type = Amount)]
    pub deposit: String,
    /// Gross paid out of the deposit so far.
    #[schema(value_type = Amount)]
    pub paid: String,
    #[schema(value_type = Amount)]
    pub platform_fee: String,
    #[schema(value_type = Amount)]
    pub burned: String,
    /// What reached the performer.
    #[schema(value_type = Amount)]
    pub net: String,
    #[schema(value_type = Amount)]
    pub refunded: String,
    pub open: bool,
    /// Block time, ms since the epoch.
    pub opened_at: u64,
    pub opened_block: u32,
    #[schema(required = true)]
    pub ended_at: Option<u64>,
    #[schema(required = true)]
    pub ended_block: Option<u32>,
    #[schema(value_type = Option<Ss58>, required = true)]
    pub ended_by: Option<String>,
    /// Whole seconds billed, once ended.
    #[schema(required = true)]
    pub billed_seconds: Option<u64>,
}

impl From<&ShowRecord> for ShowView {
    fn from(show: &ShowRecord) -> Self {
        Self {
            show_id: show.show_id,
            viewer: ss58(&show.viewer),
            performer: ss58(&show.performer),
            price_per_minute: show.price_per_minute.to_string(),
            fee_bps: show.fee_bps,
            burn_bps: show.burn_bps,
            deposit: show.deposit.to_string(),
            paid: show.paid.to_string(),
            platform_fee: show.platform_fee.to_string(),
            burned: show.burned.to_string(),
            net: show.net.to_string(),
            refunded: show.refunded.to_string(),
            open: show.is_open(),
            opened_at: show.opened_at_ms,
            opened_block: show.opened_block,
            ended_at: show.ended_at_ms,
            ended_block: show.ended_block,
            ended_by: show.ended_by.as_ref().map(ss58),
            billed_seconds: show.billed_seconds,
        }
    }
}

/// A show with its events.
#[derive(Debug, Serialize, ToSchema)]
pub struct ShowDetail {
    #[serde(flatten)]
    pub show: ShowView,
    pub events: Vec<ShowEventView>,
}

/// `GET /v1/performers/{account}/show-terms`
#[utoipa::path(
    get,
    path = "/performers/{account}/show-terms",
    tag = "shows",
    summary = "A performer's private-show price per minute and whether new shows may open",
    params(AccountPath),
    responses(
        (status = 200, body = ShowTermsView),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "The performer offers no private shows"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn show_terms(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<ShowTermsView>, ApiError> {
    let terms = state.store.show_terms(&performer).await?.ok_or_else(|| {
        ApiError::NotFound(format!("{} offers no private shows", ss58(&performer)))
    })?;
    Ok(Json(terms.into()))
}

/// `?open=&before=&limit=` of an account's shows.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ShowsQuery {
    /// Only the shows still running.
    pub open: Option<bool>,
    /// `next_cursor` of the previous page: shows with a smaller id.
    pub cursor: Option<u64>,
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
}

/// `GET /v1/accounts/{account}/shows`
#[utoipa::path(
    get,
    path = "/accounts/{account}/shows",
    tag = "shows",
    summary = "The private shows an account is the viewer or the performer of, newest first",
    params(AccountPath, ShowsQuery),
    responses(
        (status = 200, body = inline(Page<ShowView>)),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn shows_of_account(
    State(state): State<AppState>,
    Account(account): Account,
    Params(query): Params<ShowsQuery>,
) -> Result<Json<Page<ShowView>>, ApiError> {
    let limit = page_limit(query.limit)?;
    let filter = match query.open {
        Some(true) => ShowFilter::Open,
        _ => ShowFilter::All,
    };
    let shows = state
        .store
        .shows(&account, filter, query.cursor, limit)
        .await?;
    let next_cursor = (shows.len() == limit as usize)
        .then(|| shows.last().map(|show| show.show_id.to_string()))
        .flatten();
    Ok(Json(Page {
        items: shows.iter().map(ShowView::from).collect(),
        next_cursor,
    }))
}

/// The show id in a route's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct ShowPath {
    pub id: u64,
}

/// A show id from the path; anything else is a JSON 400.
pub fn show_id(path: Result<Path<u64>, PathRejection>) -> Result<u64, ApiError> {
    path.map(|Path(id)| id)
        .map_err(|_| ApiError::BadRequest("a show id is a non-negative integer".into()))
}

/// `GET /v1/shows/{id}`
#[utoipa::path(
    get,
    path = "/shows/{id}",
    tag = "shows",
    summary = "One private show: its terms, its sums and its events",
    params(ShowPath),
    responses(
        (status = 200, body = ShowDetail),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn show(
    State(state): State<AppState>,
    path: Result<Path<u64>, PathRejection>,
) -> Result<Json<ShowDetail>, ApiError> {
    let id = show_id(path)?;
    let show = state
        .store
        .show(id)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no show {id}")))?;
    let events = state.store.show_events(id).await?;
    Ok(Json(ShowDetail {
        show: ShowView::from(&show),
        events: events.iter().map(ShowEventView::from).collect(),
    }))
}

/// `GET /v1/shows/stream`
#[utoipa::path(
    get,
    path = "/shows/stream",
    tag = "shows",
    summary = "Server-Sent Events: one `show` event (a JSON ShowEvent, id = its position) per show event",
    description = "Opened, topped up, paid and ended, as soon as their block is committed. \
        Shares the --max-streams and --max-streams-per-address limits with the tip stream.",
    responses(
        (status = 200, content_type = "text/event-stream", body = String, description = "The event stream"),
        (status = 503, body = ErrorBody, description = "Every live-feed stream of this process, or this address's share, is taken; retry after Retry-After seconds",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
pub async fn show_stream(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    // Held for as long as the stream lives.
    let permit = state.stream_place(address)?;
    let events = BroadcastStream::new(state.show_feed.subscribe());
    Ok(sse::events(
        events,
        "show",
        |event| event.id.as_str(),
        permit,
        &state.limits,
    ))
}
