//! `GET /v1/ratings/{account}/audit`: recompute a performer's rating from the
//! indexed events with the published formula, and compare it with what the
//! rating contract answers (`rating_of`, dry-run) in the state of the same block.

use super::performers::RatingView;
use super::{show, Account};
use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use livestars_indexer::decode::{decode, LiveEvent};
use livestars_indexer::rating::{position, Replay};
use livestars_indexer::source::{selector, ChainSource};
use parity_scale_codec::Decode;
use serde::Serialize;

/// Both computations and whether they agree.
#[derive(Debug, Serialize)]
pub struct Audit {
    pub performer: String,
    /// The block both values are computed at: the last indexed one.
    pub block: u32,
    pub block_hash: String,
    /// Its block time (ms): the `now` of the formula.
    pub block_time: u64,
    /// Rating events replayed (this performer's, plus parameter changes).
    pub events_replayed: usize,
    pub recomputed: RatingView,
    pub on_chain: RatingView,
    #[serde(rename = "match")]
    pub matches: bool,
}

/// `GET /v1/ratings/{account}/audit`
pub async fn audit(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<Audit>, ApiError> {
    super::performers::ensure_known(&state, &performer).await?;
    let checkpoint = state
        .store
        .checkpoint()
        .await?
        .ok_or_else(|| ApiError::Unavailable("nothing indexed yet".into()))?;
    let history = state
        .store
        .rating_history(
            &state.deployment.contracts.rating,
            &performer,
            checkpoint.block_number,
        )
        .await?;
    let mut replay = Replay::default();
    for (block, event) in &history {
        let Ok(LiveEvent::Rating(rating_event)) = decode(&event.topics, &event.data) else {
            continue;
        };
        replay
            .apply(&rating_event, position(*block, event.event_index))
            .map_err(|e| {
                ApiError::Internal(format!(
                    "replay at block {block} event {}: {e}",
                    event.event_index
                ))
            })?;
    }
    let (version, params) = replay
        .params
        .ok_or_else(|| ApiError::Unavailable("rating parameters not indexed yet".into()))?;

    let chain = chain(&state).await?;
    let on_chain = async {
        let block_time = chain.timestamp_at(checkpoint.block_hash).await?;
        let mut input = selector("rating_of").to_vec();
        input.extend_from_slice(&performer);
        let output = chain
            .dry_run_at(
                checkpoint.block_hash,
                state.deployment.contracts.rating,
                input,
            )
            .await?;
        Ok::<_, livestars_indexer::source::SourceError>((block_time, output))
    }
    .await;
    let (block_time, output) = match on_chain {
        Ok(result) => result,
        Err(e) => {
            // Reconnect on the next audit.
            *state.chain.lock().await = None;
            return Err(ApiError::Unavailable(format!("chain: {e}")));
        }
    };
    let on_chain = decode_rating(&output)?;
    let recomputed = replay
        .score
        .map(|s| s.score)
        .unwrap_or_default()
        .rating(&params, block_time);
    Ok(Json(Audit {
        performer: show(&performer),
        block: checkpoint.block_number,
        block_hash: format!("0x{}", hex::encode(checkpoint.block_hash)),
        block_time,
        events_replayed: history.len(),
        matches: recomputed == on_chain,
        recomputed: RatingView::new(recomputed, version, block_time),
        on_chain: RatingView::new(on_chain, version, block_time),
    }))
}

async fn chain(state: &AppState) -> Result<ChainSource, ApiError> {
    let mut slot = state.chain.lock().await;
    if let Some(chain) = slot.as_ref() {
        return Ok(chain.clone());
    }
    let chain = ChainSource::connect(&state.deployment.node_url, state.deployment.contracts)
        .await
        .map_err(|e| ApiError::Unavailable(format!("chain: {e}")))?;
    *slot = Some(chain.clone());
    Ok(chain)
}

/// `rating_of`'s answer: `Result<Rating, LangError>` with `Rating` as in the formula.
fn decode_rating(output: &[u8]) -> Result<rating_formula::Rating, ApiError> {
    #[derive(Decode)]
    struct RatingCodec {
        rating_ppm: u32,
        support: u128,
        support_ppm: u32,
        stars_milli: u32,
        star_count: u32,
    }
    let bad = |what: &str| ApiError::Internal(format!("rating_of answered {what}"));
    let mut input = output;
    let result = Result::<RatingCodec, u8>::decode(&mut input).map_err(|_| bad("undecodable"))?;
    let r = result.map_err(|_| bad("a LangError"))?;
    Ok(rating_formula::Rating {
        rating_ppm: r.rating_ppm,
        support: r.support,
        support_ppm: r.support_ppm,
        stars_milli: r.stars_milli,
        star_count: r.star_count,
    })
}
