//! The performer's room: the tip menu and goal (a document the performer signs), the
//! notes viewers attach to tips (matched to a tip by its on-chain memo; messages are
//! sealed to the performer, and only ciphertext reaches the API), and the overlay
//! link a performer adds to OBS (a secret the API keeps only the hash of). Viewers a
//! performer blocked on-chain get no note through, and their notes are not listed.

use super::profiles::{check_signed, registered, signature, signed_now};
use super::tips::parse_position;
use super::{page_limit, Account, AccountPath, JsonBody, Page, Params, TipsPage};
use crate::error::{ApiError, ErrorBody};
use crate::openapi::{Amount, Ss58};
use crate::state::AppState;
use crate::views::{show, TipView};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use livestars_indexer::decode::AccountId;
use livestars_indexer::profile::{blake2_256, parse_hash};
use livestars_indexer::room::{self, OverlayAction, Room, TipNote, GOAL_SCAN};
use livestars_indexer::store::{NoteRecord, StoredRoom};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A room as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct RoomView {
    #[schema(value_type = Ss58)]
    pub performer: String,
    /// The document the performer signed: `menu` (`id`, `label`, `price` in plancks,
    /// `toy`) and `goal` (`amount`, `label`, `since_ms`, `deadline_ms`).
    #[schema(value_type = Object)]
    pub document: Room,
    pub signed_at: u64,
    /// How far the goal is, if there is one.
    #[schema(required = true)]
    pub goal: Option<GoalProgress>,
}

/// LIVE tipped towards the goal: every LIVE tip from its start to its deadline, gross.
#[derive(Debug, Serialize, ToSchema)]
pub struct GoalProgress {
    #[schema(value_type = Amount)]
    pub raised: String,
    pub reached: bool,
    /// Past its deadline (and not reached).
    pub lapsed: bool,
    /// Whether every tip since the start was counted (beyond 100 000 tips, not).
    pub complete: bool,
}

/// `PUT /v1/performers/{account}/room` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetRoom {
    #[schema(value_type = Object)]
    pub document: Room,
    /// When the performer signed (ms); within 5 minutes of the API's clock, later
    /// than the room stored before, and not before the goal's `since_ms`.
    pub signed_at: u64,
    /// sr25519 signature of
    /// `livestars: set my room\nchain: 0x{genesis}\naccount: {ss58}\nroom: 0x{blake2-256 of the canonical document}\nsigned at: {signed_at}`.
    pub signature: String,
}

/// `POST /v1/performers/{account}/notes` body.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachNote {
    /// The block the tip settled in.
    pub block: u32,
    /// The note whose blake2-256 (of its canonical JSON) is the tip's memo.
    #[schema(value_type = Object)]
    pub note: TipNote,
}

/// A tip and the note attached to it.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteView {
    pub tip: TipView,
    /// The menu item's id, if the tip was for one.
    #[schema(required = true)]
    pub item: Option<u32>,
    /// Its label on the menu at the time.
    #[schema(required = true)]
    pub item_label: Option<String>,
    /// The message sealed to the performer's `message_key`, base64; only the
    /// performer's browser can open it.
    #[schema(required = true)]
    pub message: Option<String>,
}

impl From<&NoteRecord> for NoteView {
    fn from(note: &NoteRecord) -> Self {
        Self {
            tip: TipView::from(&note.tip),
            item: note.item.as_ref().map(|(id, _)| *id),
            item_label: note.item.as_ref().map(|(_, label)| label.clone()),
            message: note.message.clone(),
        }
    }
}

/// A signed change of the overlay link.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OverlayChange {
    /// When the performer signed (ms); within 5 minutes of the API's clock and later
    /// than the change before.
    pub signed_at: u64,
    /// sr25519 signature of
    /// `livestars: new overlay link\nchain: 0x{genesis}\naccount: {ss58}\nsigned at: {signed_at}`
    /// (`revoke overlay link` to revoke).
    pub signature: String,
}

/// A new overlay link's secret: shown once, stored only as its hash.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverlayLink {
    /// 64 hex digits.
    pub token: String,
    /// The web client's overlay page for it, relative to the API's origin.
    pub path: String,
}

/// Whose overlay a link shows.
#[derive(Debug, Serialize, ToSchema)]
pub struct OverlayOwner {
    #[schema(value_type = Ss58)]
    pub performer: String,
}

/// `stored` as the API shows it, with the goal's progress.
async fn room_view(
    state: &AppState,
    performer: &AccountId,
    stored: StoredRoom,
) -> Result<RoomView, ApiError> {
    let goal = match &stored.room.goal {
        None => None,
        Some(goal) => {
            let target = room::parse_amount("amount", &goal.amount)
                .map_err(|e| ApiError::Internal(format!("a stored goal: {e}")))?;
            let (raised, complete) = state
                .store
                .raised_towards(performer, goal, None, GOAL_SCAN)
                .await?;
            let reached = raised >= target;
            let now = crate::read_model::now_ms();
            Some(GoalProgress {
                raised: raised.to_string(),
                reached,
                lapsed: !reached && goal.deadline_ms.is_some_and(|deadline| deadline <= now),
                complete,
            })
        }
    };
    Ok(RoomView {
        performer: show(performer),
        document: stored.room,
        signed_at: stored.signed_at_ms,
        goal,
    })
}

/// `GET /v1/performers/{account}/room`
#[utoipa::path(
    get,
    path = "/performers/{account}/room",
    tag = "room",
    summary = "A performer's tip menu and goal, with the goal's progress",
    params(AccountPath),
    responses(
        (status = 200, body = RoomView),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "No room set (or erased)"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn show_room(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<RoomView>, ApiError> {
    let stored = state
        .store
        .room(&performer)
        .await?
        .ok_or_else(|| ApiError::NotFound(format!("no room for {}", show(&performer))))?;
    Ok(Json(room_view(&state, &performer, stored).await?))
}

/// `PUT /v1/performers/{account}/room`
#[utoipa::path(
    put,
    path = "/performers/{account}/room",
    tag = "room",
    summary = "Set the tip menu and goal, signed by the performer (no transaction)",
    params(AccountPath),
    request_body = SetRoom,
    responses(
        (status = 200, body = RoomView),
        (status = 400, body = ErrorBody, description = "A malformed document or signature, or a clock too far from ours"),
        (status = 403, body = ErrorBody, description = "Not signed by the performer"),
        (status = 404, body = ErrorBody, description = "Not a registered performer"),
        (status = 409, body = ErrorBody, description = "A room signed at the same time or later is stored already"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn set_room(
    State(state): State<AppState>,
    Account(performer): Account,
    JsonBody(request): JsonBody<SetRoom>,
) -> Result<Json<RoomView>, ApiError> {
    let signature = signature(&request.signature)?;
    signed_now(request.signed_at)?;
    let document = request.document;
    document
        .validate()
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    if document
        .goal
        .as_ref()
        .is_some_and(|goal| goal.since_ms > request.signed_at)
    {
        return Err(ApiError::BadRequest(
            "the goal's since_ms must not come after signed_at".into(),
        ));
    }
    registered(&state, &performer).await?;
    let hash = blake2_256(&document.canonical());
    check_signed(&state, &performer, &signature, |genesis| {
        room::room_statement(genesis, &performer, &hash, request.signed_at)
    })
    .await?;
    if !state
        .store
        .put_room(&performer, &document, request.signed_at)
        .await?
    {
        return Err(ApiError::Conflict(
            "a room signed at the same time or later is stored already (or the performer \
             was erased meanwhile)"
                .into(),
        ));
    }
    show_room(State(state), Account(performer)).await
}

/// `POST /v1/performers/{account}/notes`
#[utoipa::path(
    post,
    path = "/performers/{account}/notes",
    tag = "room",
    summary = "Attach a note (menu item, sealed message) to a tip whose memo commits to it",
    params(AccountPath),
    request_body = AttachNote,
    responses(
        (status = 201, body = NoteView),
        (status = 400, body = ErrorBody, description = "A malformed note: salt, base64, or a sealed message of no padded size"),
        (status = 403, body = ErrorBody, description = "The performer blocked this viewer"),
        (status = 404, body = ErrorBody, description = "No indexed tip to this performer in that block carries this note's hash as its memo (yet)"),
        (status = 409, body = ErrorBody, description = "The tip has a note already, the item is not on the menu, or the tip pays less than the item's price"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn attach_note(
    State(state): State<AppState>,
    Account(performer): Account,
    JsonBody(request): JsonBody<AttachNote>,
) -> Result<(StatusCode, Json<NoteView>), ApiError> {
    let note = request.note;
    note.validate()
        .map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let viewer = livestars_indexer::config::parse_account(&note.viewer)
        .map_err(|_| ApiError::BadRequest("viewer must be an account (SS58 or hex)".into()))?;
    let memo = note.commitment();
    let tip = state
        .store
        .tips_with_memo(&performer, request.block, &memo)
        .await?
        .into_iter()
        .find(|tip| tip.viewer == viewer)
        .ok_or_else(|| {
            ApiError::NotFound(format!(
                "no indexed LIVE tip from this viewer to {} in block {} has memo 0x{}",
                show(&performer),
                request.block,
                hex::encode(memo)
            ))
        })?;
    if state.store.is_blocked(&performer, &viewer).await? {
        return Err(ApiError::Forbidden(
            "the performer blocked this viewer: their notes are not kept".into(),
        ));
    }
    let item = match note.item {
        None => None,
        Some(id) => {
            let room = state.store.room(&performer).await?.map(|s| s.room);
            let item = room
                .as_ref()
                .and_then(|room| room.item(id))
                .ok_or_else(|| ApiError::Conflict(format!("item {id} is not on the menu")))?;
            let price = room::parse_amount("price", &item.price)
                .map_err(|e| ApiError::Internal(format!("a stored menu: {e}")))?;
            if tip.gross < price {
                return Err(ApiError::Conflict(format!(
                    "the tip pays {} plancks, the item costs {price}",
                    tip.gross
                )));
            }
            Some((id, item.label.clone()))
        }
    };
    let stored = state
        .store
        .put_note(
            &tip,
            item.as_ref().map(|(id, label)| (*id, label.as_str())),
            note.message.as_deref(),
        )
        .await?;
    if !stored {
        return Err(ApiError::Conflict(
            "this tip has a note already (or its performer was erased)".into(),
        ));
    }
    Ok((
        StatusCode::CREATED,
        Json(NoteView {
            tip: TipView::from(&tip),
            item: item.as_ref().map(|(id, _)| *id),
            item_label: item.map(|(_, label)| label),
            message: note.message,
        }),
    ))
}

/// `GET /v1/performers/{account}/notes`
#[utoipa::path(
    get,
    path = "/performers/{account}/notes",
    tag = "room",
    summary = "The notes on a performer's tips, newest first (messages sealed; none from blocked viewers)",
    params(AccountPath, TipsPage),
    responses(
        (status = 200, body = Page<NoteView>),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn notes(
    State(state): State<AppState>,
    Account(performer): Account,
    Params(page): Params<TipsPage>,
) -> Result<Json<Page<NoteView>>, ApiError> {
    let limit = page_limit(page.limit)?;
    let cursor = page.cursor.as_deref().map(parse_position).transpose()?;
    let notes = state.store.notes(&performer, cursor, limit).await?;
    let next_cursor = (notes.len() == limit as usize)
        .then(|| notes.last().map(|note| note.tip.position()))
        .flatten()
        .map(|(block, index)| format!("{block}-{index}"));
    Ok(Json(Page {
        items: notes.iter().map(NoteView::from).collect(),
        next_cursor,
    }))
}

/// Applies a signed change of `performer`'s overlay link: the new secret's hash, or
/// `None` to revoke.
async fn change_overlay(
    state: &AppState,
    performer: &AccountId,
    change: &OverlayChange,
    action: OverlayAction,
    token_hash: Option<&[u8; 32]>,
) -> Result<(), ApiError> {
    let signature = signature(&change.signature)?;
    signed_now(change.signed_at)?;
    registered(state, performer).await?;
    check_signed(state, performer, &signature, |genesis| {
        room::overlay_statement(action, genesis, performer, change.signed_at)
    })
    .await?;
    if state
        .store
        .set_overlay(performer, token_hash, change.signed_at)
        .await?
    {
        Ok(())
    } else {
        Err(ApiError::Conflict(
            "a change signed at the same time or later is stored already".into(),
        ))
    }
}

/// `PUT /v1/performers/{account}/overlay`
#[utoipa::path(
    put,
    path = "/performers/{account}/overlay",
    tag = "room",
    summary = "Make a new overlay link for OBS, signed by the performer (the old one stops working)",
    params(AccountPath),
    request_body = OverlayChange,
    responses(
        (status = 200, body = OverlayLink),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Not a registered performer"),
        (status = 409, body = ErrorBody, description = "A change signed at the same time or later is stored already"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn renew_overlay(
    State(state): State<AppState>,
    Account(performer): Account,
    JsonBody(change): JsonBody<OverlayChange>,
) -> Result<Json<OverlayLink>, ApiError> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret)
        .map_err(|e| ApiError::Internal(format!("no randomness for a token: {e}")))?;
    let hash = blake2_256(&secret);
    change_overlay(
        &state,
        &performer,
        &change,
        OverlayAction::Renew,
        Some(&hash),
    )
    .await?;
    let token = hex::encode(secret);
    Ok(Json(OverlayLink {
        path: format!("/#/overlay/{token}"),
        token,
    }))
}

/// `DELETE /v1/performers/{account}/overlay`
#[utoipa::path(
    delete,
    path = "/performers/{account}/overlay",
    tag = "room",
    summary = "Revoke the overlay link, signed by the performer",
    params(AccountPath),
    request_body = OverlayChange,
    responses(
        (status = 204, description = "The link shows nothing any more"),
        (status = 400, body = ErrorBody),
        (status = 403, body = ErrorBody),
        (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn revoke_overlay(
    State(state): State<AppState>,
    Account(performer): Account,
    JsonBody(change): JsonBody<OverlayChange>,
) -> Result<StatusCode, ApiError> {
    change_overlay(&state, &performer, &change, OverlayAction::Revoke, None).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `GET /v1/overlay/{token}`
#[utoipa::path(
    get,
    path = "/overlay/{token}",
    tag = "room",
    summary = "Whose overlay a link shows (404 once revoked or replaced)",
    params(("token" = String, Path, description = "The link's secret, 64 hex digits")),
    responses(
        (status = 200, body = OverlayOwner),
        (status = 404, body = ErrorBody, description = "No such link (revoked, replaced, erased or malformed)"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn overlay_owner(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> Result<Json<OverlayOwner>, ApiError> {
    let gone = || ApiError::NotFound("no such overlay link (revoked or replaced?)".into());
    let secret = parse_hash(&format!("0x{token}")).ok_or_else(gone)?;
    let performer = state
        .store
        .overlay_performer(&blake2_256(&secret))
        .await?
        .ok_or_else(gone)?;
    Ok(Json(OverlayOwner {
        performer: show(&performer),
    }))
}

/// Most blocked viewers listed.
const BLOCKED_LIST: u32 = 1000;

/// `GET /v1/performers/{account}/blocked`
#[utoipa::path(
    get,
    path = "/performers/{account}/blocked",
    tag = "room",
    summary = "The viewers a performer blocked on-chain (block_viewer), most recent first, at most 1000",
    params(AccountPath),
    responses(
        (status = 200, body = Vec<Ss58>),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn blocked(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<Vec<String>>, ApiError> {
    let viewers = state
        .store
        .blocked_viewers(&performer, BLOCKED_LIST)
        .await?;
    Ok(Json(viewers.iter().map(show).collect()))
}
