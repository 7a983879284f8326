//! The relayer's route (`--relayer-suri`): a voucher's redemption submitted for a
//! key that holds nothing yet (`docs/PRIVACY.md`).

use crate::error::{echo, ApiError, ErrorBody};
use crate::relayer::{RelayError, Voucher};
use crate::routes::{hex_bytes as bytes, JsonBody};
use crate::state::AppState;
use axum::extract::State;
use axum::Json;
use livestars_indexer::config::{parse_account, ss58};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A voucher to redeem: the arguments of the contract's `redeem_voucher`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Redeem {
    pub key_id: u64,
    /// The account the voucher pays (the one it commits to).
    #[schema(value_type = crate::openapi::AccountInput)]
    pub recipient: String,
    /// The voucher's serial (32 bytes of hex).
    #[schema(value_type = crate::openapi::Hash32)]
    pub serial: String,
    /// The desk's unblinded sr25519 signature (64 bytes of hex).
    pub signature: String,
}

/// A redemption in a block.
#[derive(Debug, Serialize, ToSchema)]
pub struct Redeemed {
    pub block: u32,
    /// LIVE the recipient received (the denomination less the relay fee).
    #[schema(value_type = crate::openapi::Amount)]
    pub value: String,
    /// Who submitted it, paid the relay fee.
    #[schema(value_type = crate::openapi::Ss58)]
    pub relayer: String,
}

/// `POST /v1/vouchers/redeem`
#[utoipa::path(
    post,
    path = "/vouchers/redeem",
    tag = "vouchers",
    summary = "Submit a voucher's redemption for its recipient, who needs no funds (the relayer earns the key's relay fee)",
    request_body = Redeem,
    responses(
        (status = 200, body = Redeemed),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "This API runs no relayer"),
        (status = 409, body = ErrorBody, description = "The contract refuses the voucher (spent, forged, expired key, ...): nothing was submitted; or it failed in its block (redeemed by another meanwhile)"),
        (status = 503, body = ErrorBody, description = "The node is unreachable or the transaction failed"),
    )
)]
pub async fn redeem(
    State(state): State<AppState>,
    JsonBody(redeem): JsonBody<Redeem>,
) -> Result<Json<Redeemed>, ApiError> {
    let relayer = state
        .relayer
        .as_ref()
        .ok_or_else(|| ApiError::NotFound("this API runs no relayer".into()))?;
    let recipient = parse_account(&redeem.recipient).map_err(|_| {
        ApiError::BadRequest(format!(
            "recipient is not an account: {:?}",
            echo(&redeem.recipient)
        ))
    })?;
    let voucher = Voucher {
        key_id: redeem.key_id,
        recipient,
        serial: bytes("serial", &redeem.serial)?,
        signature: bytes("signature", &redeem.signature)?,
    };
    match relayer.redeem(&voucher).await {
        Ok(redeemed) => Ok(Json(Redeemed {
            block: redeemed.block,
            value: redeemed.value.to_string(),
            relayer: ss58(&relayer.account()),
        })),
        Err(refused @ (RelayError::Refused(_) | RelayError::Failed(_))) => {
            Err(ApiError::Conflict(refused.to_string()))
        }
        Err(failed @ RelayError::Chain(_)) => Err(ApiError::Unavailable(failed.to_string())),
    }
}
