//! Tip history: everything, per performer, per viewer; newest first.

use super::{digits, page_limit, Account, AccountPath, Page, Params, TipsPage};
use crate::error::{bad_cursor, ApiError, ErrorBody};
use crate::state::AppState;
use crate::views::TipView;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use livestars_indexer::store::TipFilter;

/// Parses a `BLOCK-EVENT` position.
pub fn parse_position(cursor: &str) -> Result<(u32, u32), ApiError> {
    cursor
        .split_once('-')
        .and_then(|(block, index)| Some((digits(block)?, digits(index)?)))
        .ok_or_else(|| bad_cursor(cursor))
}

/// `GET /v1/tips`
#[utoipa::path(
    get,
    path = "/tips",
    tag = "tips",
    summary = "Every settled tip, newest first",
    params(TipsPage),
    responses(
        (status = 200, body = Page<TipView>),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "The request took longer than --request-timeout"),
    )
)]
pub async fn all(
    State(state): State<AppState>,
    Params(page): Params<TipsPage>,
) -> Result<Response, ApiError> {
    list(&state, TipFilter::All, &page).await
}

/// `GET /v1/performers/{account}/tips`
#[utoipa::path(
    get,
    path = "/performers/{account}/tips",
    tag = "tips",
    summary = "Tips a performer received, newest first",
    params(AccountPath, TipsPage),
    responses(
        (status = 200, body = Page<TipView>),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Never registered nor tipped"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn by_performer(
    State(state): State<AppState>,
    Account(performer): Account,
    Params(page): Params<TipsPage>,
) -> Result<Response, ApiError> {
    super::performers::ensure_known(&state, &performer)?;
    list(&state, TipFilter::Performer(performer), &page).await
}

/// `GET /v1/viewers/{account}/tips`
#[utoipa::path(
    get,
    path = "/viewers/{account}/tips",
    tag = "tips",
    summary = "Tips a viewer gave, newest first (empty for an unknown viewer)",
    params(AccountPath, TipsPage),
    responses(
        (status = 200, body = Page<TipView>),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn by_viewer(
    State(state): State<AppState>,
    Account(viewer): Account,
    Params(page): Params<TipsPage>,
) -> Result<Response, ApiError> {
    list(&state, TipFilter::Viewer(viewer), &page).await
}

/// One page, newest first, before the page `cursor` when given, as of the read
/// model's block: every route shows the same index as `/v1/status`, and a page is the
/// same for everyone who asks during that block, so it is read and serialized once
/// ([`AppState::tip_pages`]; the newest pages are what a busy site's viewers all ask for).
async fn list(state: &AppState, filter: TipFilter, page: &TipsPage) -> Result<Response, ApiError> {
    let limit = page_limit(page.limit)?;
    let cursor = page.cursor.as_deref().map(parse_position).transpose()?;
    let Some(block) = state.view()?.checkpoint else {
        return Ok(Json(Page::<TipView> {
            items: Vec::new(),
            next_cursor: None,
        })
        .into_response());
    };
    let head = (block.0.saturating_add(1), 0);
    let before = cursor.map_or(head, |cursor| cursor.min(head));
    let (body, _) = state
        .tip_pages
        .get_or_try_compute((filter, before, limit), block, || {
            read_page(state, filter, before, limit)
        })
        .await?;
    Ok(([(CONTENT_TYPE, "application/json")], body).into_response())
}

/// Reads one tip more than the page to tell whether another page follows.
async fn read_page(
    state: &AppState,
    filter: TipFilter,
    before: (u32, u32),
    limit: u32,
) -> Result<Bytes, ApiError> {
    let tips = state.store.tips(&filter, Some(before), limit + 1).await?;
    let mut items: Vec<TipView> = tips.iter().map(TipView::from).collect();
    let next_cursor = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|tip| tip.id.clone())
    } else {
        None
    };
    let body = serde_json::to_vec(&Page { items, next_cursor })
        .map_err(|e| ApiError::Internal(format!("serializing a tip page: {e}")))?;
    Ok(body.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_parse_strictly() {
        assert_eq!(parse_position("12-3").unwrap(), (12, 3));
        for bad in [
            "",
            "12",
            "12-",
            "-3",
            "a-b",
            "1-2-3",
            "+1-2",
            "99999999999-1",
            "1- 2",
        ] {
            assert!(parse_position(bad).is_err(), "{bad}");
        }
    }
}
