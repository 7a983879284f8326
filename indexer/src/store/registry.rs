//! The performers registry (`performers`: commitments, fee bound, splits, 18+
//! attestation) and the 18+ verifiers' listings (`verifier_listings`), written
//! through at once: their rows are few, and an attestation reads its verifier's
//! listing back through SQL.

use super::derived::Tx;
use super::encoding::account_text;
use super::types::StoreError;
use super::{profiles, room};
use crate::decode::{
    AccountId, AdultAttestationChanged, Commitment, LiveEvent, MaxFeeChanged, PerformerErased,
    PerformerRegistered, ProfileChanged, Split, SplitsChanged, VerifierChanged,
};
use sqlx::Any;

/// Applies `event` (of block `block`) if it changes the registry or a listing.
pub(super) async fn record(
    tx: &mut Tx<'_>,
    block: u32,
    event: &LiveEvent,
) -> Result<(), StoreError> {
    match event {
        LiveEvent::PerformerRegistered(PerformerRegistered {
            performer,
            profile,
            max_fee_bps,
        }) => register(tx, block, performer, profile, *max_fee_bps).await,
        LiveEvent::ProfileChanged(ProfileChanged { performer, profile }) => {
            change_profile(tx, performer, profile).await
        }
        LiveEvent::MaxFeeChanged(MaxFeeChanged {
            performer,
            max_fee_bps,
        }) => change_max_fee(tx, performer, *max_fee_bps).await,
        LiveEvent::SplitsChanged(SplitsChanged { performer, splits }) => {
            change_splits(tx, performer, splits).await
        }
        LiveEvent::AdultAttestationChanged(AdultAttestationChanged {
            performer,
            verifier,
            adult,
        }) => attest(tx, performer, verifier, *adult).await,
        LiveEvent::VerifierChanged(VerifierChanged { verifier, allowed }) => {
            change_verifier(tx, block, verifier, *allowed).await
        }
        LiveEvent::PerformerErased(PerformerErased { performer }) => erase(tx, performer).await,
        _ => Ok(()),
    }
}

/// A performer opted in (again): a fresh entry, without splits or attestation.
async fn register(
    tx: &mut Tx<'_>,
    block: u32,
    performer: &AccountId,
    profile: &Commitment,
    max_fee_bps: u16,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO performers (account, profile, max_fee_bps, splits, \
         adult_verifier, adult_listing, registered_block) \
         VALUES ($1, $2, $3, '[]', NULL, NULL, $4) \
         ON CONFLICT (account) DO UPDATE SET profile = excluded.profile, \
         max_fee_bps = excluded.max_fee_bps, splits = '[]', \
         adult_verifier = NULL, adult_listing = NULL, \
         registered_block = excluded.registered_block",
    )
    .bind(account_text(performer))
    .bind(hex::encode(profile))
    .bind(i64::from(max_fee_bps))
    .bind(i64::from(block))
    .execute(&mut **tx)
    .await?;
    profiles::drop_superseded(tx, performer, Some(profile)).await
}

async fn change_profile(
    tx: &mut Tx<'_>,
    performer: &AccountId,
    profile: &Commitment,
) -> Result<(), StoreError> {
    update_performer(tx, "profile", hex::encode(profile), performer).await?;
    profiles::drop_superseded(tx, performer, Some(profile)).await
}

async fn change_max_fee(
    tx: &mut Tx<'_>,
    performer: &AccountId,
    max_fee_bps: u16,
) -> Result<(), StoreError> {
    update_performer(tx, "max_fee_bps", i64::from(max_fee_bps), performer).await
}

/// Stored as JSON `[["recipient hex", bps], ...]`.
async fn change_splits(
    tx: &mut Tx<'_>,
    performer: &AccountId,
    splits: &[Split],
) -> Result<(), StoreError> {
    let splits: Vec<_> = splits
        .iter()
        .map(|split| serde_json::json!([account_text(&split.recipient), split.bps]))
        .collect();
    update_performer(
        tx,
        "splits",
        serde_json::Value::from(splits).to_string(),
        performer,
    )
    .await
}

/// The attestation keeps the verifier's listing at this point (none if it is not
/// listed); withdrawing it clears both.
async fn attest(
    tx: &mut Tx<'_>,
    performer: &AccountId,
    verifier: &AccountId,
    adult: bool,
) -> Result<(), StoreError> {
    sqlx::query(
        "UPDATE performers SET adult_verifier = $1, adult_listing = \
         (SELECT listing FROM verifier_listings \
          WHERE verifier = $1 AND delisted_block IS NULL) \
         WHERE account = $2",
    )
    .bind(adult.then(|| account_text(verifier)))
    .bind(account_text(performer))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// A verifier listed (`allowed`) or delisted at `block`.
async fn change_verifier(
    tx: &mut Tx<'_>,
    block: u32,
    verifier: &AccountId,
    allowed: bool,
) -> Result<(), StoreError> {
    let verifier = account_text(verifier);
    // The contract reports only changes; ending any listing first keeps a verifier
    // at one listing whatever the events say.
    sqlx::query(
        "UPDATE verifier_listings SET delisted_block = $1 \
         WHERE verifier = $2 AND delisted_block IS NULL",
    )
    .bind(i64::from(block))
    .bind(&verifier)
    .execute(&mut **tx)
    .await?;
    if allowed {
        // Numbered as the contract numbers them: 1, 2, ... per listing.
        sqlx::query(
            "INSERT INTO verifier_listings (listing, verifier, listed_block, \
             delisted_block) SELECT COUNT(*) + 1, $1, $2, NULL \
             FROM verifier_listings",
        )
        .bind(&verifier)
        .bind(i64::from(block))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// The performer erased their entry (their rating rows stay, as on chain).
async fn erase(tx: &mut Tx<'_>, performer: &AccountId) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM performers WHERE account = $1")
        .bind(account_text(performer))
        .execute(&mut **tx)
        .await?;
    profiles::drop_superseded(tx, performer, None).await?;
    room::erase(tx, performer).await
}

async fn update_performer<'q, T>(
    tx: &mut Tx<'_>,
    column: &'static str,
    value: T,
    performer: &AccountId,
) -> Result<(), StoreError>
where
    T: 'q + Send + sqlx::Encode<'q, Any> + sqlx::Type<Any>,
{
    // `column` is one of this module's literals, never input.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE performers SET {column} = $1 WHERE account = $2"
    )))
    .bind(value)
    .bind(account_text(performer))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
