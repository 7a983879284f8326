//! API errors: every failure answers with a status and a JSON body
//! `{"error": {"code": "...", "message": "..."}}`, never a bare 500 for user input.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use livestars_indexer::store::StoreError;

/// What went wrong, and whose fault it is.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed (account, cursor, query parameter).
    #[error("{0}")]
    BadRequest(String),
    /// The thing asked for is not known.
    #[error("{0}")]
    NotFound(String),
    /// The index or the chain is not there yet; retry later.
    #[error("{0}")]
    Unavailable(String),
    /// Our fault: logged, and answered without internals.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    fn parts(&self) -> (StatusCode, &'static str) {
        match self {
            Self::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad_request"),
            Self::NotFound(_) => (StatusCode::NOT_FOUND, "not_found"),
            Self::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable"),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal"),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(detail) = &self {
            tracing::error!("{detail}");
        }
        let (status, code) = self.parts();
        let body = serde_json::json!({ "error": { "code": code, "message": self.to_string() } });
        (status, Json(body)).into_response()
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        Self::Internal(e.to_string())
    }
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> Self {
        Self::Internal(e.to_string())
    }
}

/// A `cursor` that no page of ours handed out (echoed shortened).
pub fn bad_cursor(cursor: &str) -> ApiError {
    let shown: String = cursor.chars().take(40).collect();
    ApiError::BadRequest(format!("malformed cursor {shown:?}"))
}

/// Rejections of axum's extractors (bad query string, bad path) as JSON 400s.
pub fn rejection(e: impl std::fmt::Display) -> ApiError {
    ApiError::BadRequest(e.to_string())
}
