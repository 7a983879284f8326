//! The `/v1` routes, health and metrics.

pub mod audit;
pub mod desk;
pub mod leaderboard;
pub mod performers;
pub mod profiles;
pub mod room;
pub mod shows;
pub mod signal;
pub mod status;
pub mod stream;
pub mod tips;
pub mod vouchers;

use crate::error::{echo, rejection, ApiError};
use crate::openapi::ApiDoc;
use crate::openapi::{AccountInput, TipPosition};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::rejection::QueryRejection;
use axum::extract::{FromRequestParts, MatchedPath, Query, Request, State};
use axum::handler::HandlerWithoutStateExt;
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::Router;
use livestars_indexer::config::parse_account;
use livestars_indexer::decode::AccountId;
use serde::{de::DeserializeOwned, Deserialize, Serialize};
use std::convert::Infallible;
use std::path::Path;
use std::sync::OnceLock;
use tower::Service;
use tower_http::services::ServeDir;
use utoipa::OpenApi;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The `/v1` routes answered within the request timeout.
fn v1_timed() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(openapi_json))
        .routes(routes!(status::status))
        .routes(routes!(status::chain))
        .routes(routes!(performers::list))
        .routes(routes!(performers::one))
        .routes(routes!(performers::earnings))
        .routes(routes!(profiles::get, profiles::put, profiles::delete))
        .routes(routes!(profiles::avatar))
        .routes(routes!(profiles::check))
        .routes(routes!(profiles::presence))
        .routes(routes!(room::show_room, room::set_room))
        .routes(routes!(room::attach_note, room::notes))
        .routes(routes!(room::renew_overlay, room::revoke_overlay))
        .routes(routes!(room::overlay_owner))
        .routes(routes!(room::blocked))
        .routes(routes!(tips::by_performer))
        .routes(routes!(tips::by_viewer))
        .routes(routes!(tips::all))
        .routes(routes!(leaderboard::leaderboard))
        .routes(routes!(audit::audit))
        .routes(routes!(shows::show_terms))
        .routes(routes!(shows::shows_of_account))
        .routes(routes!(shows::show))
        .routes(routes!(desk::keys))
        .routes(routes!(desk::open_session))
        .routes(routes!(desk::answer))
}

/// Submissions to the chain: they wait for a block, beyond the request timeout.
fn v1_submissions() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(vouchers::redeem))
}

/// The live feed: it lasts as long as its client listens, so no deadline (the
/// connection's idle timeout and the stream cap bound it instead).
fn v1_streams() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(stream::tips))
        .routes(routes!(stream::goals))
        .routes(routes!(shows::show_stream))
        .routes(routes!(signal::signal))
}

/// Probes and metrics, at the root.
fn service() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(status::health))
        .routes(routes!(status::ready))
        .routes(routes!(status::metrics))
}

/// The OpenAPI document of every route above, built once.
pub fn openapi() -> &'static str {
    static SPEC: OnceLock<String> = OnceLock::new();
    SPEC.get_or_init(|| {
        let v1 = v1_timed().merge(v1_streams()).merge(v1_submissions());
        let spec = OpenApiRouter::with_openapi(ApiDoc::openapi())
            .nest("/v1", v1)
            .merge(service())
            .into_openapi();
        spec.to_pretty_json()
            .unwrap_or_else(|e| format!("{{\"error\": \"the OpenAPI document: {e}\"}}"))
    })
}

/// All routes over `state`; any other path is a file of the web client in `web_dir`
/// (`/` is its `index.html`), else a JSON 404. Every route but the live feed is
/// answered within `state.limits.request_timeout` (else a JSON 503).
pub fn router(state: AppState, web_dir: &Path) -> Router {
    let not_found = (|| async { ApiError::NotFound("no such route".into()) }).into_service();
    let web = ServeDir::new(web_dir).not_found_service(not_found);
    let v1 = Router::from(v1_timed())
        .route_layer(middleware::from_fn_with_state(state.clone(), deadline))
        .merge(Router::from(v1_streams()))
        .merge(Router::from(v1_submissions()));
    let timed = middleware::from_fn_with_state(state.clone(), time_route);
    Router::new()
        .nest("/v1", v1.route_layer(timed.clone()))
        .merge(Router::from(service()).route_layer(timed))
        .fallback(move |request: Request| static_file(web.clone(), request))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            count_responses,
        ))
        .with_state(state)
}

/// A file of the web client. Whatever the file system says (a name too long for it,
/// a component that is a file, …) is a JSON 404 for the client, never a 5xx: the
/// path is the client's input.
async fn static_file<F>(mut web: ServeDir<F>, request: Request) -> Response
where
    F: Service<Request, Response = Response, Error = Infallible> + Clone + Send + 'static,
    F::Future: Send + 'static,
{
    let path = request.uri().path().to_owned();
    let not_found = || ApiError::NotFound("no such route".into()).into_response();
    match web.try_call(request).await {
        Ok(response) if response.status().is_server_error() => {
            tracing::debug!(path = %echo(&path), status = %response.status(), "static file");
            not_found()
        }
        Ok(response) => response.map(Body::new),
        Err(e) => {
            tracing::debug!(path = %echo(&path), "static file: {e}");
            not_found()
        }
    }
}

/// Answers 503 (JSON) when the handler takes longer than `--request-timeout`.
async fn deadline(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let limit = state.limits.request_timeout;
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => ApiError::Unavailable(format!(
            "the request took longer than {} ms; retry later",
            limit.as_millis()
        ))
        .into_response(),
    }
}

/// Records how long a routed request took, under its route's template (a route
/// layer, so the template is known; unrouted paths are counted by status only).
async fn time_route(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let (method, route) = (
        request.method().clone(),
        request.extensions().get::<MatchedPath>().cloned(),
    );
    let started = std::time::Instant::now();
    let response = next.run(request).await;
    if let Some(route) = route {
        let seconds = started.elapsed().as_secs_f64();
        state
            .metrics
            .observe_latency(method.as_str(), route.as_str(), seconds);
    }
    response
}

async fn count_responses(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    state.metrics.count_response(response.status().as_u16());
    response
}

/// `GET /v1/openapi.json`
#[utoipa::path(
    get,
    path = "/openapi.json",
    tag = "service",
    summary = "This document (OpenAPI 3.1), generated from the code",
    responses((status = 200, content_type = "application/json", body = Object))
)]
async fn openapi_json() -> impl IntoResponse {
    ([(header::CONTENT_TYPE, "application/json")], openapi())
}

/// `N` bytes from `digits` (hex, with or without 0x), or a 400 naming `field`.
pub fn hex_bytes<const N: usize>(field: &str, digits: &str) -> Result<[u8; N], ApiError> {
    let mut out = [0u8; N];
    hex::decode_to_slice(digits.trim_start_matches("0x"), &mut out)
        .map_err(|_| ApiError::BadRequest(format!("{field} must be {} hex digits", 2 * N)))?;
    Ok(out)
}

/// An account from the path, SS58 or hex; anything else is a 400.
pub struct Account(pub AccountId);

impl<S: Send + Sync> FromRequestParts<S> for Account {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let axum::extract::Path(text) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(rejection)?;
        parse_account(&text).map(Account).map_err(|_| {
            ApiError::BadRequest(format!(
                "not an account (SS58 or 32-byte hex): {:?}",
                echo(&text)
            ))
        })
    }
}

/// A JSON request body; a malformed one is a JSON 400 instead of axum's plain text.
pub struct JsonBody<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> axum::extract::FromRequest<S> for JsonBody<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, ApiError> {
        match axum::Json::<T>::from_request(request, state).await {
            Ok(axum::Json(body)) => Ok(JsonBody(body)),
            Err(e) => Err(rejection(e.body_text())),
        }
    }
}

/// Query parameters as JSON 400s instead of axum's plain-text rejection.
pub struct Params<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for Params<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let query: Result<Query<T>, QueryRejection> = Query::from_request_parts(parts, state).await;
        query.map(|Query(t)| Params(t)).map_err(rejection)
    }
}

/// `?limit=&cursor=` of the tip lists.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct TipsPage {
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page: the position of its last (oldest) tip.
    #[param(value_type = Option<TipPosition>)]
    pub cursor: Option<String>,
}

/// The account in a route's path.
#[derive(IntoParams)]
#[into_params(parameter_in = Path)]
pub struct AccountPath {
    /// SS58 or 32-byte hex.
    #[param(value_type = AccountInput)]
    pub account: String,
}

/// Largest page.
pub const MAX_LIMIT: u32 = 200;

/// The page size asked for: 1..=200, 50 when not given.
pub fn page_limit(limit: Option<u32>) -> Result<u32, ApiError> {
    match limit.unwrap_or(50) {
        0 => Err(ApiError::BadRequest("limit must be at least 1".into())),
        n if n > MAX_LIMIT => Err(ApiError::BadRequest(format!(
            "limit must be at most {MAX_LIMIT}"
        ))),
        n => Ok(n),
    }
}

/// A page of a list; pass `next_cursor` back as `cursor` for the next one.
#[derive(Debug, Serialize, ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `null` on the last page.
    #[schema(required = true)]
    pub next_cursor: Option<String>,
}

/// A plain decimal number (digits only: no sign, no spaces), as cursors carry them.
pub fn digits<T: std::str::FromStr>(text: &str) -> Option<T> {
    text.bytes()
        .all(|b| b.is_ascii_digit())
        .then(|| text.parse().ok())
        .flatten()
}
