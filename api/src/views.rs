//! Response types shared beyond one route: the feeds carry tips and show events, and
//! the state caches audits, so they live below the routes (which build on them)
//! rather than in a route file. Accounts show in SS58, amounts in decimal digits.

use crate::openapi::{Amount, BlockHash, Hash32, Ss58, TipPosition};
use livestars_indexer::config::ss58;
use livestars_indexer::decode::AccountId;
use livestars_indexer::store::{ShowEventRecord, TipRecord};
use serde::Serialize;
use std::sync::{Arc, LazyLock};
use utoipa::ToSchema;

/// An account as the API shows it: SS58 (generic prefix).
///
/// Encoding costs a blake2 hash and a base58 conversion quadratic in the length:
/// measured on the 10 000-performer benchmark, a third of a leaderboard request's CPU
/// and a sixth of a tip page's. The same accounts come back request after request
/// (performers, treasury, tokens, active viewers), so their text is memoised in a
/// bounded cache (about 12 MB when full; the least recently used go first).
pub fn show(account: &AccountId) -> String {
    static SHOWN: LazyLock<quick_cache::sync::Cache<AccountId, Arc<str>>> =
        LazyLock::new(|| quick_cache::sync::Cache::new(100_000));
    match SHOWN.get(account) {
        Some(text) => text.to_string(),
        None => {
            let text = ss58(account);
            SHOWN.insert(*account, text.as_str().into());
            text
        }
    }
}

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

/// A goal reached: the tip that reached it is the last one counted.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = GoalReached)]
pub struct GoalReachedView {
    /// `PERFORMER-SINCE_MS`: the goal, once; also the SSE event id.
    pub id: String,
    #[schema(value_type = Ss58)]
    pub performer: String,
    pub label: String,
    #[schema(value_type = Amount)]
    pub amount: String,
    /// LIVE tipped since the goal's start, gross, with the tips of the same block.
    #[schema(value_type = Amount)]
    pub raised: String,
    /// The position of the tip that reached it, `BLOCK-EVENT`.
    #[schema(value_type = TipPosition)]
    pub tip: String,
}

/// One show event, as the show's history and the live feed carry it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[schema(as = ShowEvent)]
pub struct ShowEventView {
    /// Position on the chain, `BLOCK-EVENT`; also the SSE event id.
    pub id: String,
    pub show_id: u64,
    /// `opened`, `topped_up`, `paid` or `ended`.
    pub kind: String,
    #[schema(value_type = Ss58)]
    pub viewer: String,
    #[schema(value_type = Ss58)]
    pub performer: String,
    /// The deposit (`opened`), the top-up, the gross paid, or the refund (`ended`).
    #[schema(value_type = Amount)]
    pub amount: String,
    /// What reached the performer (`paid`; else 0).
    #[schema(value_type = Amount)]
    pub net: String,
    /// Block time, ms since the epoch.
    pub at: u64,
}

impl From<&ShowEventRecord> for ShowEventView {
    fn from(event: &ShowEventRecord) -> Self {
        Self {
            id: format!("{}-{}", event.block, event.event_index),
            show_id: event.show_id,
            kind: event.kind.clone(),
            viewer: show(&event.viewer),
            performer: show(&event.performer),
            amount: event.amount.to_string(),
            net: event.net.to_string(),
            at: event.at_ms,
        }
    }
}

/// A rating broken into the terms of `docs/RATING.md`, at `at`.
#[derive(Debug, Clone, Serialize, PartialEq, Eq, ToSchema)]
#[schema(as = Rating)]
pub struct RatingView {
    /// The rating, 0 to 1 000 000.
    #[schema(maximum = 1_000_000)]
    pub rating_ppm: u32,
    /// Decayed stake of all supporters (LIVE base units).
    #[schema(value_type = Amount)]
    pub support: String,
    #[schema(maximum = 1_000_000)]
    pub support_ppm: u32,
    /// Stars ×1000, 1 000 to 5 000.
    #[schema(maximum = 5_000)]
    pub stars_milli: u32,
    /// Supporters who gave stars.
    pub voters: u32,
    /// Decayed stake of those supporters (LIVE base units).
    #[schema(value_type = Amount)]
    pub vote_weight: String,
    pub params_version: u32,
    /// The instant (ms) the rating is computed for.
    pub at: u64,
}

impl RatingView {
    /// Wraps the formula's result.
    pub fn new(rating: rating_formula::Rating, params_version: u32, at: u64) -> Self {
        Self {
            rating_ppm: rating.rating_ppm,
            support: rating.support.to_string(),
            support_ppm: rating.support_ppm,
            stars_milli: rating.stars_milli,
            voters: rating.voters,
            vote_weight: rating.vote_weight.to_string(),
            params_version,
            at,
        }
    }
}

// A rating audit (`GET /v1/ratings/{account}/audit`), kept per block in `AppState::audits`.
/// Both computations and whether they agree.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Audit {
    #[schema(value_type = Ss58)]
    pub performer: String,
    /// The block both values are computed at: the last indexed one.
    pub block: u32,
    #[schema(value_type = BlockHash)]
    pub block_hash: String,
    /// Its block time (ms): the `now` of the formula.
    pub block_time: u64,
    /// Events replayed: this performer's LIVE tips, votes and removals (and
    /// pruning), and every parameter announcement.
    pub events_replayed: usize,
    pub recomputed: RatingView,
    pub on_chain: RatingView,
    #[serde(rename = "match")]
    pub matches: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use livestars_indexer::config::ss58;

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
