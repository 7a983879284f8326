//! The voucher desk (`docs/PRIVACY.md`), when this API runs one (`--desk-dir`):
//! its keys, and blind-signing sessions for the vouchers orders paid for.

use crate::error::{ApiError, ErrorBody};
use crate::read_model::now_ms;
use crate::routes::{hex_bytes as bytes, JsonBody};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use livestars_desk::{Desk, DeskError};
use livestars_indexer::config::ss58;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

/// A key the desk sells vouchers of.
#[derive(Debug, Serialize, ToSchema)]
pub struct VoucherKeyView {
    /// The id every voucher of this key commits to.
    pub key_id: u64,
    #[schema(value_type = crate::openapi::Ss58)]
    pub desk: String,
    /// The sr25519 public key vouchers are signed with.
    #[schema(value_type = crate::openapi::Hash32)]
    pub public_key: String,
    /// LIVE a voucher redeems for.
    #[schema(value_type = crate::openapi::Amount)]
    pub denomination: String,
    /// The part of it paid to whoever submits the redemption.
    #[schema(value_type = crate::openapi::Amount)]
    pub relay_fee: String,
    /// Native currency each redemption sends its recipient.
    #[schema(value_type = crate::openapi::Amount)]
    pub stipend: String,
    /// LIVE a voucher costs (`0`: not sold for LIVE).
    #[schema(value_type = crate::openapi::Amount)]
    pub price_live: String,
    /// Native currency a voucher costs (`0`: not sold for it).
    #[schema(value_type = crate::openapi::Amount)]
    pub price_native: String,
    /// Vouchers redeem before this time (ms since the epoch).
    pub redeem_until_ms: u64,
}

/// The keys this API's desk sells vouchers of now.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeskView {
    pub keys: Vec<VoucherKeyView>,
}

/// Opens a signing session for one voucher an order paid for.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpenSession {
    /// The order reference given to `buy_vouchers` (32 bytes of hex).
    #[schema(value_type = crate::openapi::Hash32)]
    pub order: String,
    pub key_id: u64,
}

/// A session's commitment, to blind the voucher with.
#[derive(Debug, Serialize, ToSchema)]
pub struct SessionOpened {
    /// The session's id (16 bytes of hex), to answer.
    pub session: String,
    /// The desk's commitment `R` (32 bytes of hex).
    #[schema(value_type = crate::openapi::Hash32)]
    pub commitment: String,
}

/// The buyer's blinded challenge.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Challenge {
    /// `c = c' + β` (32 bytes of hex), see `blind-sr25519`.
    #[schema(value_type = crate::openapi::Hash32)]
    pub challenge: String,
}

/// The desk's answer, to unblind into the voucher's signature.
#[derive(Debug, Serialize, ToSchema)]
pub struct Response {
    #[schema(value_type = crate::openapi::Hash32)]
    pub response: String,
}

fn desk(state: &AppState) -> Result<&Arc<Desk>, ApiError> {
    state
        .desk
        .as_ref()
        .ok_or_else(|| ApiError::NotFound("this API runs no voucher desk".into()))
}

impl From<DeskError> for ApiError {
    fn from(error: DeskError) -> Self {
        let message = error.to_string();
        match error {
            DeskError::UnknownKey(_) | DeskError::NoSession => Self::NotFound(message),
            DeskError::NothingOwed(_) => Self::Conflict(message),
            DeskError::Busy { .. } => Self::Busy(message),
            DeskError::Malformed(_) => Self::BadRequest(message),
            DeskError::Storage(_) => Self::Internal(message),
        }
    }
}

/// `GET /v1/desk`
#[utoipa::path(
    get,
    path = "/desk",
    tag = "vouchers",
    summary = "The voucher keys this API's desk sells, with their terms",
    responses(
        (status = 200, body = DeskView),
        (status = 404, body = ErrorBody, description = "This API runs no desk"),
    )
)]
pub async fn keys(State(state): State<AppState>) -> Result<Json<DeskView>, ApiError> {
    let keys = desk(&state)?
        .offered(now_ms())
        .await?
        .into_iter()
        .map(|key| {
            let record = key.record;
            VoucherKeyView {
                key_id: record.key_id,
                desk: ss58(&record.desk),
                public_key: hex::encode(record.public_key),
                denomination: record.terms.denomination.to_string(),
                relay_fee: record.terms.relay_fee.to_string(),
                stipend: record.terms.stipend.to_string(),
                price_live: record.terms.price_live.to_string(),
                price_native: record.terms.price_native.to_string(),
                redeem_until_ms: record.redeem_until_ms,
            }
        })
        .collect();
    Ok(Json(DeskView { keys }))
}

/// `POST /v1/desk/sessions`
#[utoipa::path(
    post,
    path = "/desk/sessions",
    tag = "vouchers",
    summary = "Open a blind-signing session for one voucher an order paid for on chain",
    request_body = OpenSession,
    responses(
        (status = 201, body = SessionOpened),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No desk, or a key it does not sell"),
        (status = 409, body = ErrorBody, description = "The order has no unsigned voucher of this key (paid for none, or all signed)"),
        (status = 503, body = ErrorBody, description = "Another session of this key is open: retry after Retry-After"),
    )
)]
pub async fn open_session(
    State(state): State<AppState>,
    JsonBody(open): JsonBody<OpenSession>,
) -> Result<(StatusCode, Json<SessionOpened>), ApiError> {
    let desk = desk(&state)?;
    let order = bytes::<32>("order", &open.order)?;
    let (session, commitment) = desk.open_session(order, open.key_id, now_ms()).await?;
    Ok((
        StatusCode::CREATED,
        Json(SessionOpened {
            session: hex::encode(session),
            commitment: hex::encode(commitment),
        }),
    ))
}

/// `POST /v1/desk/sessions/{session}`
#[utoipa::path(
    post,
    path = "/desk/sessions/{session}",
    tag = "vouchers",
    summary = "Answer a session's blinded challenge (once); the voucher counts as signed",
    params(("session" = String, Path, description = "The session's id")),
    request_body = Challenge,
    responses(
        (status = 200, body = Response),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No open session with this id (answered, or timed out)"),
        (status = 409, body = ErrorBody),
    )
)]
pub async fn answer(
    State(state): State<AppState>,
    Path(session): Path<String>,
    JsonBody(challenge): JsonBody<Challenge>,
) -> Result<Json<Response>, ApiError> {
    let desk = desk(&state)?;
    let session = bytes::<16>("session", &session)?;
    let challenge = bytes::<32>("challenge", &challenge.challenge)?;
    let response = desk.respond(session, challenge).await?;
    Ok(Json(Response {
        response: hex::encode(response),
    }))
}
