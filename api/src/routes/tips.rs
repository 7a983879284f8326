//! Tip history: everything, per performer, per viewer; newest first.

use super::{digits, page_limit, show, Account, AccountPath, Page, Params, TipsPage};
use crate::error::{bad_cursor, ApiError, ErrorBody};
use crate::openapi::{Amount, Hash32, Ss58, TipPosition};
use crate::state::AppState;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::Json;
use livestars_indexer::store::{TipFilter, TipRecord};
use serde::Serialize;
use utoipa::ToSchema;

/// One settled tip.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
#[schema(as = Tip)]
pub struct TipView {
    /// Position on the chain, `BLOCK-EVENT`; also the cursor and the SSE event id.
    #[schema(value_type = TipPosition)]
    pub id: String,
    pub block: u32,
    pub event_index: u32,
    pub tip_id: u64,
    #[schema(value_type = Ss58)]
    pub viewer: String,
    #[schema(value_type = Ss58)]
    pub performer: String,
    /// The token's address, or `null` for the chain's native currency.
    #[schema(value_type = Option<Ss58>, required = true)]
    pub token: Option<String>,
    #[schema(value_type = Amount)]
    pub gross: String,
    #[schema(value_type = Amount)]
    pub platform_fee: String,
    #[schema(value_type = Ss58)]
    pub treasury: String,
    /// Burned as the tip's stake in the rating (`0` for native tips).
    #[schema(value_type = Amount)]
    pub burned: String,
    pub splits: Vec<SplitView>,
    /// What reached the performer.
    #[schema(value_type = Amount)]
    pub net: String,
    /// The memo's commitment (hash), if any; never the memo.
    #[schema(value_type = Option<Hash32>, required = true)]
    pub memo: Option<String>,
    /// Block time, ms since the epoch.
    pub at: u64,
}

/// One co-recipient's share of a tip.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
#[schema(as = Split)]
pub struct SplitView {
    #[schema(value_type = Ss58)]
    pub recipient: String,
    #[schema(value_type = Amount)]
    pub amount: String,
}

impl From<&TipRecord> for TipView {
    /// Accounts in SS58, amounts in plain decimal digits, the memo in hex.
    fn from(tip: &TipRecord) -> Self {
        Self {
            id: format!("{}-{}", tip.block, tip.event_index),
            block: tip.block,
            event_index: tip.event_index,
            tip_id: tip.tip_id,
            viewer: show(&tip.viewer),
            performer: show(&tip.performer),
            token: tip.token.as_ref().map(show),
            gross: tip.gross.to_string(),
            platform_fee: tip.platform_fee.to_string(),
            treasury: show(&tip.treasury),
            burned: tip.burned.to_string(),
            splits: tip
                .splits
                .iter()
                .map(|(recipient, amount)| SplitView {
                    recipient: show(recipient),
                    amount: amount.to_string(),
                })
                .collect(),
            net: tip.net.to_string(),
            memo: tip.memo.map(hex::encode),
            at: tip.at_ms,
        }
    }
}

impl TipView {
    /// The tip's position on the chain, `(block, event_index)`.
    pub fn position(&self) -> (u32, u32) {
        (self.block, self.event_index)
    }
}

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
    use livestars_indexer::config::ss58;

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

    #[test]
    fn a_tip_shows_ss58_accounts_plain_amounts_and_a_hex_memo() {
        let tip = TipRecord {
            block: 12,
            event_index: 3,
            tip_id: 7,
            viewer: [1; 32],
            performer: [2; 32],
            token: Some([3; 32]),
            gross: 10_000_000_000_000,
            platform_fee: 250_000_000_000,
            treasury: [4; 32],
            burned: 100_000_000_000,
            splits: vec![([5; 32], 1_000_000_000_000)],
            net: 8_650_000_000_000,
            memo: Some([0xab; 32]),
            at_ms: 1_700_000_000_000,
        };
        let json = serde_json::to_value(TipView::from(&tip)).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "id": "12-3",
                "block": 12,
                "event_index": 3,
                "tip_id": 7,
                "viewer": ss58(&[1; 32]),
                "performer": ss58(&[2; 32]),
                "token": ss58(&[3; 32]),
                "gross": "10000000000000",
                "platform_fee": "250000000000",
                "treasury": ss58(&[4; 32]),
                "burned": "100000000000",
                "splits": [{"recipient": ss58(&[5; 32]), "amount": "1000000000000"}],
                "net": "8650000000000",
                "memo": "ab".repeat(32),
                "at": 1_700_000_000_000u64,
            })
        );
        let native = TipRecord {
            token: None,
            burned: 0,
            memo: None,
            splits: Vec::new(),
            ..tip
        };
        let json = serde_json::to_value(TipView::from(&native)).unwrap();
        assert_eq!(
            (
                &json["token"],
                &json["burned"],
                &json["memo"],
                &json["splits"]
            ),
            (
                &serde_json::Value::Null,
                &serde_json::json!("0"),
                &serde_json::Value::Null,
                &serde_json::json!([])
            )
        );
    }
}
