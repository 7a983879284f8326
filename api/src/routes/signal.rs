//! `GET /v1/shows/{id}/signal`: the WebSocket relay that introduces the two browsers
//! of a private show to each other (SDP offers and answers, ICE candidates). Video,
//! audio and chat then flow browser to browser; nothing passes through here.
//!
//! Only the two parties of a show open on chain get in: each signs a fresh challenge
//! bound to the show id and the chain (docs/SHOWS.md has the protocol and the close
//! codes). The relay keeps no message and logs only show ids and close codes.

use super::shows::ShowPath;
use crate::admission::{ClientAddress, Place};
use crate::error::{ApiError, ErrorBody};
use crate::relay::{Forwarded, Notice, Role};
use crate::state::AppState;
use axum::extract::rejection::PathRejection;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::ws::{CloseFrame, Message, Utf8Bytes, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap};
use axum::response::Response;
use livestars_indexer::config::parse_account;
use livestars_indexer::decode::AccountId;
use livestars_indexer::profile::verify;
use serde::Deserialize;
use serde_json::{json, Value};
use std::net::IpAddr;
use std::time::Duration;
use tokio::sync::mpsc;

/// Largest message a party may send (an SDP is a few KiB).
pub const MAX_MESSAGE: usize = 16 * 1024;
/// Largest message the transport reads at all: above [`MAX_MESSAGE`], so that a
/// message between the two is refused with a clear 1009.
const RELAY_LIMIT: usize = 4 * MAX_MESSAGE;
/// How long a client has to answer the challenge (a wallet may ask for a password).
const AUTH_WITHIN: Duration = Duration::from_secs(30);
/// How long the relay waits for the indexer to show a just-opened show.
const OPEN_WITHIN: Duration = Duration::from_secs(5);
/// How often a connected party's show is checked for its end.
const END_CHECK: Duration = Duration::from_secs(1);
/// Messages a party may send at once: an offer or answer and its ICE candidates
/// come in a burst of a few dozen.
const BURST: f64 = 100.0;
/// Messages per second a party may send on average beyond the burst.
const RATE: f64 = 20.0;

/// Why a connection was closed, as WebSocket close codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    Malformed = 4400,
    BadSignature = 4401,
    NotAParty = 4403,
    NoOpenShow = 4404,
    AuthTimeout = 4408,
    Replaced = 4409,
    TooMany = 4429,
    TooBig = 1009,
    Unavailable = 1011,
    Busy = 1013,
}

impl Refusal {
    fn reason(self) -> &'static str {
        match self {
            Self::Malformed => "malformed message",
            Self::BadSignature => "the signature does not check",
            Self::NotAParty => "not a party to this show",
            Self::NoOpenShow => "no open show with this id",
            Self::AuthTimeout => "no authentication in time",
            Self::Replaced => "this party connected again elsewhere",
            Self::TooMany => "too many messages",
            Self::TooBig => "message too big",
            Self::Unavailable => "the chain or the index is unavailable",
            Self::Busy => "every relay place is taken; try again later",
        }
    }
}

/// `GET /v1/shows/{id}/signal`
#[utoipa::path(
    get,
    path = "/shows/{id}/signal",
    tag = "shows",
    summary = "WebSocket: the signaling relay between the two parties of an open show",
    description = "Challenge, signed answer, then SDP and ICE messages relayed to the other \
        party; never stored or logged. Protocol and close codes: docs/SHOWS.md.",
    params(ShowPath),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, body = ErrorBody, description = "Not a WebSocket upgrade, or a malformed id"),
        (status = 503, body = ErrorBody, description = "Too many connections wait to authenticate, in all or from this address; retry after Retry-After seconds",
            headers(("Retry-After" = u32, description = "Seconds to wait before retrying"))),
    )
)]
pub async fn signal(
    State(state): State<AppState>,
    ClientAddress(address): ClientAddress,
    headers: HeaderMap,
    path: Result<Path<u64>, PathRejection>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<Response, ApiError> {
    let show = super::shows::show_id(path)?;
    let upgrade = upgrade.map_err(|e| ApiError::BadRequest(format!("a WebSocket upgrade: {e}")))?;
    // The page's origin, as the browser sent it (a page cannot forge it), or `none`
    // from a client that sends none: the statement names it, so a signature made
    // for one origin never opens a connection from another.
    let origin = match headers.get(header::ORIGIN) {
        Some(origin) => origin
            .to_str()
            .map_err(|_| ApiError::BadRequest("a malformed Origin header".into()))?
            .to_owned(),
        None => NO_ORIGIN.to_owned(),
    };
    // Until its party signs, a connection holds a place of the small pool for
    // unauthenticated sockets only; a stream place is taken after the signature.
    let waiting = state.unauthenticated_place(address)?;
    Ok(upgrade
        .max_message_size(RELAY_LIMIT)
        .max_frame_size(RELAY_LIMIT)
        .on_upgrade(move |socket| {
            let client = Client {
                address,
                origin,
                waiting,
            };
            run(state, show, client, socket)
        }))
}

/// Who is on the other end of a relay connection, as its upgrade request said.
struct Client {
    address: Option<IpAddr>,
    /// The `Origin` header, or [`NO_ORIGIN`].
    origin: String,
    /// Its place while unauthenticated (see [`relay`]).
    waiting: Place,
}

/// The origin a statement names when the client sent no `Origin` (not a browser).
pub const NO_ORIGIN: &str = "none";
/// How long a closed connection waits for the client's close frame in answer.
const CLOSE_WITHIN: Duration = Duration::from_secs(2);

async fn run(state: AppState, show: u64, client: Client, mut socket: WebSocket) {
    let result = relay(&state, show, client, &mut socket).await;
    let (code, reason) = match result {
        Ok(()) => (1000, "done"),
        Err(refusal) => (refusal as u16, refusal.reason()),
    };
    let frame = CloseFrame {
        code,
        reason: Utf8Bytes::from_static(reason),
    };
    // The client may be gone already.
    let _ = socket.send(Message::Close(Some(frame))).await;
    // Read until the client's close frame answers ours (or it echoes our answer to
    // its own): dropping the socket with its frames unread would reset the TCP
    // connection, and a browser would report 1006 instead of the code.
    let _ = tokio::time::timeout(CLOSE_WITHIN, async {
        while let Some(Ok(message)) = socket.recv().await {
            if matches!(message, Message::Close(_)) {
                break;
            }
        }
    })
    .await;
    tracing::info!(show, code, "signaling closed");
}

/// A client's answer to the challenge.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Hello {
    Auth { account: String, signature: String },
}

/// A message a party relays.
#[derive(Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
enum Relayed {
    Signal {
        data: serde_json::Map<String, Value>,
    },
}

/// The statement a party signs to join `show`'s signaling from a page of `origin`.
pub fn statement(show: u64, origin: &str, genesis: &[u8; 32], nonce: &[u8; 32]) -> String {
    format!(
        "livestars: signal show {show}\norigin: {origin}\nchain: 0x{}\nnonce: 0x{}",
        hex::encode(genesis),
        hex::encode(nonce)
    )
}

/// The whole life of one connection; `Err` closes it with that refusal. The
/// client's place while unauthenticated is given back for a stream place (held
/// until the connection ends) once its party is known.
async fn relay(
    state: &AppState,
    show: u64,
    client: Client,
    socket: &mut WebSocket,
) -> Result<(), Refusal> {
    let genesis = state.genesis().await.map_err(|_| Refusal::Unavailable)?;
    let mut nonce = [0u8; 32];
    getrandom::fill(&mut nonce).map_err(|_| Refusal::Unavailable)?;
    let challenge = json!({
        "type": "challenge",
        "show_id": show,
        "origin": client.origin,
        "nonce": format!("0x{}", hex::encode(nonce)),
    });
    send(socket, challenge.to_string()).await?;
    let hello = tokio::time::timeout(AUTH_WITHIN, receive(socket))
        .await
        .map_err(|_| Refusal::AuthTimeout)??
        .ok_or(Refusal::AuthTimeout)?;
    let Hello::Auth { account, signature } =
        serde_json::from_str(&hello).map_err(|_| Refusal::Malformed)?;
    let account = parse_account(&account).map_err(|_| Refusal::Malformed)?;
    let signature = parse_signature(&signature).ok_or(Refusal::Malformed)?;
    if !verify(
        &statement(show, &client.origin, &genesis, &nonce),
        &signature,
        &account,
    ) {
        return Err(Refusal::BadSignature);
    }
    let role = role_in(state, show, &account).await?;
    drop(client.waiting);
    let _place = state
        .stream_place(client.address)
        .map_err(|_| Refusal::Busy)?;

    let (_seat, mut inbox, present) = state.signal_rooms.join(show, role);
    let ready = json!({"type": "ready", "role": role.name(), "peer": present});
    send(socket, ready.to_string()).await?;
    exchange(state, show, role, socket, &mut inbox).await
}

/// Which party `account` is of `show`, once the show is open in the index.
async fn role_in(state: &AppState, show: u64, account: &AccountId) -> Result<Role, Refusal> {
    let deadline = tokio::time::Instant::now() + OPEN_WITHIN;
    loop {
        let record = state
            .store
            .show(show)
            .await
            .map_err(|_| Refusal::Unavailable)?;
        match record {
            Some(record) if record.is_open() => {
                return match account {
                    a if *a == record.viewer => Ok(Role::Viewer),
                    a if *a == record.performer => Ok(Role::Performer),
                    _ => Err(Refusal::NotAParty),
                };
            }
            Some(_) => return Err(Refusal::NoOpenShow),
            None if tokio::time::Instant::now() >= deadline => return Err(Refusal::NoOpenShow),
            None => tokio::time::sleep(Duration::from_millis(200)).await,
        }
    }
}

/// Relays between the socket and the room until the client goes, a newer connection
/// of the same party takes over, or the show ends.
async fn exchange(
    state: &AppState,
    show: u64,
    role: Role,
    socket: &mut WebSocket,
    inbox: &mut mpsc::Receiver<Notice>,
) -> Result<(), Refusal> {
    let mut end_check = tokio::time::interval(END_CHECK);
    let mut budget = Budget::new();
    loop {
        tokio::select! {
            incoming = receive(socket) => {
                let Some(text) = incoming? else { return Ok(()) };
                if !budget.spend(tokio::time::Instant::now()) {
                    return Err(Refusal::TooMany);
                }
                let Relayed::Signal { data } =
                    serde_json::from_str(&text).map_err(|_| Refusal::Malformed)?;
                let message = json!({"type": "signal", "data": data}).to_string();
                match state.signal_rooms.forward(show, role, message) {
                    Forwarded::Delivered => {}
                    Forwarded::Absent => {
                        let absent = json!({"type": "peer", "present": false});
                        send(socket, absent.to_string()).await?;
                    }
                    Forwarded::Dropped => send(socket, json!({"type": "dropped"}).to_string()).await?,
                }
            }
            Some(notice) = inbox.recv() => match notice {
                Notice::Text(message) => send(socket, message).await?,
                Notice::Replaced => return Err(Refusal::Replaced),
            },
            _ = end_check.tick() => {
                let open = state.store.show(show).await.map_err(|_| Refusal::Unavailable)?;
                if !open.is_some_and(|show| show.is_open()) {
                    send(socket, json!({"type": "ended"}).to_string()).await?;
                    return Ok(());
                }
            }
        }
    }
}

/// A party's allowance of messages: [`BURST`] at once, refilled at [`RATE`] a second.
struct Budget {
    tokens: f64,
    at: tokio::time::Instant,
}

impl Budget {
    fn new() -> Self {
        Self {
            tokens: BURST,
            at: tokio::time::Instant::now(),
        }
    }

    /// Takes one message's worth at `now`; `false` when none is left.
    fn spend(&mut self, now: tokio::time::Instant) -> bool {
        let refill = now.duration_since(self.at).as_secs_f64() * RATE;
        self.tokens = (self.tokens + refill).min(BURST);
        self.at = now;
        if self.tokens < 1.0 {
            return false;
        }
        self.tokens -= 1.0;
        true
    }
}

/// The next text message; `None` when the client closed. Pings are answered by
/// axum; binary and oversized messages are refused.
async fn receive(socket: &mut WebSocket) -> Result<Option<String>, Refusal> {
    loop {
        match socket.recv().await {
            None | Some(Ok(Message::Close(_))) => return Ok(None),
            Some(Ok(Message::Text(text))) if text.len() > MAX_MESSAGE => {
                return Err(Refusal::TooBig)
            }
            Some(Ok(Message::Text(text))) => return Ok(Some(text.to_string())),
            Some(Ok(Message::Binary(_))) => return Err(Refusal::Malformed),
            Some(Ok(Message::Ping(_) | Message::Pong(_))) => {}
            // Above the transport's own limit (1 MiB), a protocol violation, or a
            // connection gone: the close code is for the first two.
            Some(Err(_)) => return Err(Refusal::TooBig),
        }
    }
}

async fn send(socket: &mut WebSocket, text: String) -> Result<(), Refusal> {
    socket
        .send(Message::Text(text.into()))
        .await
        .map_err(|_| Refusal::Unavailable)
}

/// `0x` and 64 bytes of hex.
fn parse_signature(text: &str) -> Option<[u8; 64]> {
    let bytes = hex::decode(text.strip_prefix("0x")?).ok()?;
    bytes.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_party_may_send_a_burst_then_its_rate() {
        let start = tokio::time::Instant::now();
        let mut budget = Budget::new();
        assert!((0..100).all(|_| budget.spend(start)), "the burst");
        assert!(!budget.spend(start), "beyond the burst");
        let later = start + Duration::from_millis(500);
        assert!(
            (0..10).all(|_| budget.spend(later)),
            "10 more after 0.5 s at 20/s"
        );
        assert!(!budget.spend(later));
        let idle = later + Duration::from_secs(3_600);
        assert_eq!(
            (0..200).filter(|_| budget.spend(idle)).count(),
            100,
            "capped"
        );
    }
}
