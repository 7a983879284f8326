//! `GET /v1/ratings/{account}/audit`: recompute a performer's rating from the
//! indexed raw events with `rating-formula`, and compare it with what the LIVE
//! contract answers (`rating_of`, dry-run) in the state of the same block.

use super::{Account, AccountPath};
use crate::error::{ApiError, ErrorBody};
use crate::state::AppState;
use crate::views::{show, Audit, RatingView};
use axum::extract::State;
use axum::Json;
use livestars_indexer::decode::{decode, AccountId};
use livestars_indexer::rating::{self, Replay};
use livestars_indexer::source::RATING_OF;
use livestars_indexer::store::Checkpoint;
use parity_scale_codec::Decode;
use std::sync::atomic::Ordering;

/// `GET /v1/ratings/{account}/audit`: computed once per performer and indexed
/// block (both computations only depend on them), then served from the cache.
#[utoipa::path(
    get,
    path = "/ratings/{account}/audit",
    tag = "ratings",
    summary = "A performer's rating recomputed from the indexed events and compared with the contract's answer at the same block",
    params(AccountPath),
    responses(
        (status = 200, body = Audit),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Never registered nor tipped"),
        (status = 503, body = ErrorBody, description = "Nothing indexed yet, the node is unreachable, or the request took too long"),
    )
)]
pub async fn audit(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<Audit>, ApiError> {
    super::performers::ensure_known(&state, &performer)?;
    let checkpoint = state
        .store
        .checkpoint()
        .await?
        .ok_or_else(|| ApiError::Unavailable("nothing indexed yet".into()))?;
    let block = (checkpoint.block_number, checkpoint.block_hash);
    let (audit, cached) = state
        .audits
        .get_or_try_compute(performer, block, || compute(&state, performer, checkpoint))
        .await?;
    if cached {
        state
            .metrics
            .audit_cache_hits
            .fetch_add(1, Ordering::Relaxed);
    }
    Ok(Json(audit))
}

/// Replays `performer`'s history up to `checkpoint` and asks the contract.
async fn compute(
    state: &AppState,
    performer: AccountId,
    checkpoint: Checkpoint,
) -> Result<Audit, ApiError> {
    let live_token = state.deployment.live_token;
    let history = state
        .store
        .rating_history(&live_token, &performer, checkpoint.block_number)
        .await?;
    let mut replay = Replay::default();
    let mut replayed = 0;
    for (block, event) in &history {
        let Some(input) = decode(&event.topics, &event.data)
            .ok()
            .and_then(|event| rating::input(&event, &live_token))
        else {
            continue;
        };
        replay.apply(&input).map_err(|e| {
            ApiError::Internal(format!(
                "replay at block {block} event {}: {e}",
                event.event_index
            ))
        })?;
        replayed += 1;
    }

    let chain = state.chain().await?;
    let on_chain = async {
        let block_time = chain.timestamp_at(checkpoint.block_hash).await?;
        let mut input = RATING_OF.to_vec();
        input.extend_from_slice(&performer);
        let output = chain
            .dry_run_at(checkpoint.block_hash, live_token, input)
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
    let (version, recomputed) = replay
        .rating(&performer, block_time)
        .ok_or_else(|| ApiError::Unavailable("rating parameters not indexed yet".into()))?;
    Ok(Audit {
        performer: show(&performer),
        block: checkpoint.block_number,
        block_hash: format!("0x{}", hex::encode(checkpoint.block_hash)),
        block_time,
        events_replayed: replayed,
        matches: recomputed == on_chain,
        recomputed: RatingView::new(recomputed, version, block_time),
        on_chain: RatingView::new(on_chain, version, block_time),
    })
}

/// `rating_of`'s answer: `Result<Rating, LangError>` with `Rating` as in the formula.
fn decode_rating(output: &[u8]) -> Result<rating_formula::Rating, ApiError> {
    /// SCALE layout of `rating_formula::Rating` (that crate encodes only under ink!).
    #[derive(Decode)]
    struct RatingCodec {
        rating_ppm: u32,
        support: u128,
        support_ppm: u32,
        stars_milli: u32,
        vote_weight: u128,
        voters: u32,
    }
    let bad = |what: &str| ApiError::Internal(format!("rating_of answered {what}"));
    let mut input = output;
    let result = Result::<RatingCodec, u8>::decode(&mut input).map_err(|_| bad("undecodable"))?;
    if !input.is_empty() {
        return Err(bad("trailing bytes"));
    }
    let r = result.map_err(|_| bad("a LangError"))?;
    Ok(rating_formula::Rating {
        rating_ppm: r.rating_ppm,
        support: r.support,
        support_ppm: r.support_ppm,
        stars_milli: r.stars_milli,
        vote_weight: r.vote_weight,
        voters: r.voters,
    })
}
