//! Public profiles: published by their performer (a document whose hash is the
//! commitment on-chain, signed with the performer's wallet), read by anyone,
//! withdrawn by a signed request or by the chain (a new commitment, an erasure).

use super::{Account, AccountPath, JsonBody};
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{Hash32, Ss58};
use crate::state::AppState;
use crate::views::show;
use axum::extract::State;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use livestars_indexer::decode::AccountId;
use livestars_indexer::profile::{self, Action, Profile};
use livestars_indexer::store::StoredProfile;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A public profile as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProfileView {
    #[schema(value_type = Ss58)]
    pub performer: String,
    /// The document's blake2-256: the performer's commitment on-chain.
    #[schema(value_type = Hash32)]
    pub commitment: String,
    #[schema(value_type = Object)]
    pub document: Profile,
    /// Where the avatar is served, when the document names one.
    #[schema(required = true)]
    pub avatar_url: Option<String>,
}

impl ProfileView {
    pub fn new(performer: &AccountId, stored: &StoredProfile) -> Self {
        let shown = show(performer);
        Self {
            avatar_url: stored
                .avatar_type
                .is_some()
                .then(|| format!("/v1/performers/{shown}/avatar")),
            performer: shown,
            commitment: hex::encode(stored.commitment),
            document: stored.profile.clone(),
        }
    }
}

/// `PUT` body: the document, its avatar and the performer's signature.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Publish {
    /// The profile document; its canonical JSON's blake2-256 must be the performer's
    /// commitment on-chain.
    #[schema(value_type = Object)]
    pub document: Profile,
    /// The avatar, base64 (PNG, JPEG or WebP), exactly when the document names one.
    pub avatar: Option<String>,
    /// sr25519 signature (`0x` + 128 hex) of the publish statement, as wallets sign
    /// text (`<Bytes>…</Bytes>`).
    pub signature: String,
}

/// `POST /v1/profiles/check` body: a document (and its avatar) to check before its
/// commitment goes on-chain.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    #[schema(value_type = Object)]
    pub document: Profile,
    pub avatar: Option<String>,
}

/// What the API makes of a document: its commitment.
#[derive(Debug, Serialize, ToSchema)]
pub struct Checked {
    /// blake2-256 of the canonical JSON: what `register` / `set_profile` must commit.
    #[schema(value_type = Hash32)]
    pub commitment: String,
}

/// `PUT /v1/performers/{account}/presence` body: until when the performer is online.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetPresence {
    /// Online until this instant (ms since the Unix epoch); at most 12 hours after
    /// `signed_at`, and not after it for "offline now".
    pub until: u64,
    /// When the performer signed (ms); within 5 minutes of the API's clock, and later
    /// than the statement stored before.
    pub signed_at: u64,
    /// sr25519 signature of
    /// `livestars: online until {until}\nchain: 0x{genesis}\naccount: {ss58}\nsigned at: {signed_at}`.
    pub signature: String,
}

/// A performer's presence as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceView {
    pub online: bool,
    /// Until when the performer said they are online (ms).
    pub until: u64,
}

/// `DELETE` body: the performer's signature of the withdraw statement.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdraw {
    pub signature: String,
}

/// How long a change waits for this replica's read model before answering: every
/// route agrees once it answers (unless the read model is slower than this, which
/// is logged; the change is stored either way).
const OFF_CHAIN_WAIT: std::time::Duration = std::time::Duration::from_secs(5);

fn shown_soon(shown: bool) {
    if !shown {
        tracing::warn!(
            "the read model did not show an off-chain change within {} s",
            OFF_CHAIN_WAIT.as_secs()
        );
    }
}

pub(super) fn signature(text: &str) -> Result<[u8; 64], ApiError> {
    let mut out = [0u8; 64];
    text.strip_prefix("0x")
        .and_then(|hex_digits| hex::decode_to_slice(hex_digits, &mut out).ok())
        .ok_or_else(|| ApiError::BadRequest("signature must be 0x and 128 hex digits".into()))?;
    Ok(out)
}

/// Refuses (404) an account that is not a registered performer.
pub(super) async fn registered(state: &AppState, performer: &AccountId) -> Result<(), ApiError> {
    match state.store.commitment(performer).await? {
        Some(_) => Ok(()),
        None => Err(ApiError::NotFound(format!(
            "{} is not a registered performer",
            show(performer)
        ))),
    }
}

/// Refuses a statement signed (`signed_at`, ms) more than 5 minutes from now: it
/// cannot be kept and replayed later. Now (ms).
pub(super) fn signed_now(signed_at: u64) -> Result<u64, ApiError> {
    const CLOCK_SKEW_MS: u64 = 5 * 60_000;
    let now = crate::read_model::now_ms();
    if signed_at.abs_diff(now) > CLOCK_SKEW_MS {
        return Err(ApiError::BadRequest(format!(
            "signed_at must be within 5 minutes of now ({now})"
        )));
    }
    Ok(now)
}

/// Checks that `signature` is `performer`'s over the statement `statement` builds
/// from the chain's genesis hash.
pub(super) async fn check_signed(
    state: &AppState,
    performer: &AccountId,
    signature: &[u8; 64],
    statement: impl FnOnce(&[u8; 32]) -> String,
) -> Result<(), ApiError> {
    let genesis = state.genesis().await?;
    if profile::verify(&statement(&genesis), signature, performer) {
        Ok(())
    } else {
        Err(ApiError::Forbidden(
            "the signature is not the performer's over this statement (see GET \
             /v1/chain for the chain it must name)"
                .into(),
        ))
    }
}

/// `GET /v1/performers/{account}/profile`
#[utoipa::path(
    get,
    path = "/performers/{account}/profile",
    tag = "profiles",
    summary = "A performer's public profile",
    params(AccountPath),
    responses(
        (status = 200, body = ProfileView),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "None published (or withdrawn, or erased)"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn get(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<ProfileView>, ApiError> {
    let stored = state
        .store
        .profile(&performer)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no profile for {}", show(&performer))))?;
    Ok(Json(ProfileView::new(&performer, &stored)))
}

/// `GET /v1/performers/{account}/avatar`
#[utoipa::path(
    get,
    path = "/performers/{account}/avatar",
    tag = "profiles",
    summary = "A performer's avatar image",
    params(AccountPath),
    responses(
        (status = 200, content_type = "image/*", description = "PNG, JPEG or WebP"),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn avatar(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Response, ApiError> {
    let (bytes, media) = state
        .store
        .avatar(&performer)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no avatar for {}", show(&performer))))?;
    // Revalidated on every view: an erased avatar must not live on in caches.
    Ok((
        [
            (CONTENT_TYPE, media),
            (CACHE_CONTROL, "no-cache".to_owned()),
        ],
        bytes,
    )
        .into_response())
}

/// The document checked and its avatar decoded and checked against it: what an
/// upload stores, and what a check answers for.
fn checked(
    document: &Profile,
    avatar: Option<String>,
) -> Result<Option<(Vec<u8>, &'static str)>, ApiError> {
    document
        .validate()
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    match (document.avatar_hash(), avatar) {
        (None, None) => Ok(None),
        (Some(hash), Some(encoded)) => {
            use base64::Engine;
            let bytes = base64::engine::general_purpose::STANDARD
                .decode(encoded.as_bytes())
                .map_err(|_| ApiError::BadRequest("avatar must be base64".into()))?;
            let media =
                profile::avatar_type(&bytes).map_err(|e| ApiError::BadRequest(e.to_string()))?;
            if profile::blake2_256(&bytes) != hash {
                return Err(ApiError::BadRequest(
                    "the avatar's blake2-256 is not the document's avatar hash".into(),
                ));
            }
            Ok(Some((bytes, media)))
        }
        (Some(_), None) => Err(ApiError::BadRequest(
            "the document names an avatar: send its bytes".into(),
        )),
        (None, Some(_)) => Err(ApiError::BadRequest(
            "an avatar was sent but the document names none".into(),
        )),
    }
}

/// `POST /v1/profiles/check`
#[utoipa::path(
    post,
    path = "/profiles/check",
    tag = "profiles",
    summary = "Check a profile document (and avatar) and get its commitment, before registering it on-chain",
    request_body = Check,
    responses(
        (status = 200, body = Checked),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn check(JsonBody(check): JsonBody<Check>) -> Result<Json<Checked>, ApiError> {
    checked(&check.document, check.avatar)?;
    Ok(Json(Checked {
        commitment: hex::encode(check.document.commitment()),
    }))
}

/// `PUT /v1/performers/{account}/profile`
#[utoipa::path(
    put,
    path = "/performers/{account}/profile",
    tag = "profiles",
    summary = "Publish a profile whose commitment is on-chain, signed by its performer",
    params(AccountPath),
    request_body = Publish,
    responses(
        (status = 200, body = ProfileView),
        (status = 400, body = ErrorBody, description = "A malformed document, avatar or signature"),
        (status = 403, body = ErrorBody, description = "Not signed by the performer"),
        (status = 404, body = ErrorBody, description = "Not a registered performer"),
        (status = 409, body = ErrorBody, description = "The document's hash is not the commitment on-chain at the indexed head"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn put(
    State(state): State<AppState>,
    Account(performer): Account,
    JsonBody(publish): JsonBody<Publish>,
) -> Result<Json<ProfileView>, ApiError> {
    let document = publish.document;
    let avatar = checked(&document, publish.avatar)?;
    let commitment = document.commitment();
    let on_chain = state.store.commitment(&performer).await?.ok_or_else(|| {
        ApiError::NotFound(format!(
            "{} is not a registered performer",
            show(&performer)
        ))
    })?;
    if on_chain != commitment {
        return Err(ApiError::Conflict(format!(
            "the document hashes to 0x{}, the commitment on-chain is 0x{} (submit \
             set_profile and wait until it is indexed)",
            hex::encode(commitment),
            hex::encode(on_chain)
        )));
    }
    check_signed(
        &state,
        &performer,
        &signature(&publish.signature)?,
        |genesis| profile::statement(Action::Publish, genesis, &performer, &commitment),
    )
    .await?;
    let stored = state
        .store
        .put_profile(
            &performer,
            &document,
            avatar
                .as_ref()
                .map(|(bytes, media)| (bytes.as_slice(), *media)),
        )
        .await?;
    if !stored {
        return Err(ApiError::Conflict(
            "the commitment on-chain changed meanwhile; nothing was stored".into(),
        ));
    }
    shown_soon(
        state
            .await_profile(&performer, Some(commitment), OFF_CHAIN_WAIT)
            .await,
    );
    get(State(state), Account(performer)).await
}

/// `PUT /v1/performers/{account}/presence`
#[utoipa::path(
    put,
    path = "/performers/{account}/presence",
    tag = "profiles",
    summary = "Say, signed, until when the performer is online (\"online now\" in the grid)",
    params(AccountPath),
    request_body = SetPresence,
    responses(
        (status = 200, body = PresenceView),
        (status = 400, body = ErrorBody, description = "A clock too far from ours, or online for more than 12 hours"),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Not a registered performer"),
        (status = 409, body = ErrorBody, description = "A statement signed later is stored already"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn presence(
    State(state): State<AppState>,
    Account(performer): Account,
    JsonBody(request): JsonBody<SetPresence>,
) -> Result<Json<PresenceView>, ApiError> {
    let signature = signature(&request.signature)?;
    let now = signed_now(request.signed_at)?;
    if request.until > request.signed_at.saturating_add(profile::MAX_ONLINE_MS) {
        return Err(ApiError::BadRequest(
            "until must be at most 12 hours after signed_at".into(),
        ));
    }
    registered(&state, &performer).await?;
    check_signed(&state, &performer, &signature, |genesis| {
        profile::presence_statement(genesis, &performer, request.signed_at, request.until)
    })
    .await?;
    if !state
        .store
        .put_presence(&performer, request.until, request.signed_at)
        .await?
    {
        return Err(ApiError::Conflict(
            "a presence signed at the same time or later is stored already".into(),
        ));
    }
    let signed_at = request.signed_at;
    let shown = state
        .await_performer(&performer, OFF_CHAIN_WAIT, |s| {
            s.and_then(|s| s.presence).map(|p| p.signed_at_ms) == Some(signed_at)
        })
        .await;
    shown_soon(shown);
    Ok(Json(PresenceView {
        online: request.until > now,
        until: request.until,
    }))
}

/// `DELETE /v1/performers/{account}/profile`
#[utoipa::path(
    delete,
    path = "/performers/{account}/profile",
    tag = "profiles",
    summary = "Withdraw a published profile, signed by its performer",
    params(AccountPath),
    request_body = Withdraw,
    responses(
        (status = 204, description = "Gone from every route"),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "None published"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn delete(
    State(state): State<AppState>,
    Account(performer): Account,
    JsonBody(withdraw): JsonBody<Withdraw>,
) -> Result<StatusCode, ApiError> {
    let signature = signature(&withdraw.signature)?;
    let stored = state
        .store
        .profile(&performer)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no profile for {}", show(&performer))))?;
    check_signed(&state, &performer, &signature, |genesis| {
        profile::statement(Action::Withdraw, genesis, &performer, &stored.commitment)
    })
    .await?;
    state
        .store
        .delete_profile(&performer, &stored.commitment)
        .await?;
    shown_soon(state.await_profile(&performer, None, OFF_CHAIN_WAIT).await);
    Ok(StatusCode::NO_CONTENT)
}
