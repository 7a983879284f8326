//! API errors: every failure answers with a status and a JSON body
//! `{"error": {"code": "...", "message": "..."}}`, never a bare 500 for user input.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use livestars_indexer::store::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

/// What went wrong, and whose fault it is.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (account, cursor, query parameter).
    #[error("{0}")]
    BadRequest(String),
    /// The thing asked for is not known.
    #[error("{0}")]
    NotFound(String),
    /// Not signed by the account it acts for.
    #[error("{0}")]
    Forbidden(String),
    /// Disagrees with the chain's state (e.g. a document that is not the commitment).
    #[error("{0}")]
    Conflict(String),
    /// The index or the chain is not there yet; retry later.
    #[error("{0}")]
    Unavailable(String),
    /// Too many clients of a limited resource (live-feed streams) right now: a 503
    /// with `Retry-After`.
    #[error("{0}")]
    Busy(String),
    /// Our fault: logged, and answered without internals.
    #[error("internal error")]
    Internal(String),
}

/// The body of every error answer.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Error)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, for programs (`code`) and for people (`message`).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// At most 256 characters; client input in it is cut after 64.
    #[schema(max_length = 257)]
    pub message: String,
}

/// The kind of failure; the HTTP status says the same.
#[derive(Debug, Clone, Copy, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    NotFound,
    Forbidden,
    Conflict,
    Unavailable,
    Internal,
}

impl ApiError {
    fn parts(&self) -> (StatusCode, ErrorCode) {
        match self {
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, ErrorCode::BadRequest),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            Self::Forbidden(_) => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            Self::Conflict(_) => (StatusCode::CONFLICT, ErrorCode::Conflict),
            Self::Unavailable(_) | Self::Busy(_) => {
                (StatusCode::SERVICE_UNAVAILABLE, ErrorCode::Unavailable)
            }
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::Internal),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) = &self {
            tracing::error!("{detail}");
        }
        let (status, code) = self.parts();
        let body = ErrorBody {
            error: ErrorDetail {
                code,
                message: shorten(&self.to_string(), MESSAGE_LIMIT),
            },
        };
        let mut response = (status, Json(body)).into_response();
        if let Self::Busy(_) = self {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        }
        response
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

/// Most characters of client input an error message repeats ([`echo`]).
pub const ECHO_LIMIT: usize = 64;
/// Most characters of any error message: a backstop behind [`echo`], so that no
/// message grows with its request (our own messages are far shorter).
pub const MESSAGE_LIMIT: usize = 256;

/// `text`, shortened to at most `limit` characters followed by "…".
fn shorten(text: &str, limit: usize) -> String {
    match text.char_indices().nth(limit) {
        None => text.to_owned(),
        Some((end, _)) => format!("{}…", &text[..end]),
    }
}

/// Client input as an error message may repeat it: at most [`ECHO_LIMIT`]
/// characters, then "…".
pub fn echo(text: &str) -> String {
    shorten(text, ECHO_LIMIT)
}

/// A `cursor` that no page of ours handed out (echoed shortened).
pub fn bad_cursor(cursor: &str) -> ApiError {
    ApiError::BadRequest(format!("malformed cursor {:?}", echo(cursor)))
}

/// Rejections of axum's extractors (bad query string, bad path) as JSON 400s. Their
/// messages repeat client input ("Failed to deserialize query string: {field}:
/// unknown field `{field}`, …"): every word (between spaces or backticks) is
/// shortened with [`echo`], and the whole to [`MESSAGE_LIMIT`] when answered.
pub fn rejection(e: impl std::fmt::Display) -> ApiError {
    let message = e.to_string();
    let mut shown = String::with_capacity(message.len().min(2 * MESSAGE_LIMIT));
    let mut word = 0;
    for (i, c) in message.char_indices() {
        if c.is_whitespace() || c == '`' {
            shown.push_str(&echo(&message[word..i]));
            shown.push(c);
            word = i + c.len_utf8();
        }
    }
    shown.push_str(&echo(&message[word..]));
    ApiError::BadRequest(shown)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_keeps_short_input_and_cuts_long_input_at_64_characters() {
        assert_eq!(echo("color"), "color");
        let exact = "é".repeat(ECHO_LIMIT);
        assert_eq!(echo(&exact), exact);
        let long = "é".repeat(60_000);
        let shown = echo(&long);
        assert_eq!(shown.chars().count(), ECHO_LIMIT + 1);
        assert!(shown.ends_with("é…"), "{shown}");
    }

    #[test]
    fn rejections_shorten_every_long_word() {
        let field = "x".repeat(60_000);
        let e = rejection(format!(
            "Failed to deserialize query string: {field}: unknown field `{field}`, expected `limit` or `cursor`"
        ));
        let ApiError::BadRequest(message) = e else {
            panic!("not a 400: {e:?}");
        };
        let shown = "x".repeat(ECHO_LIMIT);
        assert_eq!(
            message,
            format!(
                "Failed to deserialize query string: {shown}… unknown field `{shown}…`, expected `limit` or `cursor`"
            )
        );
    }

    #[test]
    fn every_message_is_capped() {
        let response = ApiError::NotFound("y".repeat(10_000)).into_response();
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        let busy = ApiError::Busy("full".into()).into_response();
        assert_eq!(busy.status(), StatusCode::SERVICE_UNAVAILABLE);
        assert_eq!(busy.headers()[header::RETRY_AFTER], "5");
        assert_eq!(
            shorten(&"y".repeat(10_000), MESSAGE_LIMIT).chars().count(),
            MESSAGE_LIMIT + 1
        );
    }
}
