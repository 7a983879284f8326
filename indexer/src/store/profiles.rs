//! Public profile documents (`profiles`), each bound to its performer's on-chain
//! commitment: stored only while the registry holds that commitment, and removed in
//! the same transaction as the event that supersedes it.

use super::derived::{begin_write, is_sqlite, Bound, Tx};
use super::encoding::{account_text, get_hash};
use super::types::{Store, StoreError};
use crate::decode::{AccountId, Commitment};
use crate::profile::Profile;
use sqlx::any::AnyRow;
use sqlx::Row;

/// A stored profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredProfile {
    pub profile: Profile,
    pub commitment: Commitment,
    /// The avatar's media type, when there is one.
    pub avatar_type: Option<String>,
}

impl Store {
    /// Stores `profile` (with its avatar's bytes and media type) for `performer` if the
    /// registry holds its commitment now; `false` (nothing stored) otherwise.
    ///
    /// The registry row is locked first (a no-op update), so an indexer commit that
    /// changes or erases it runs wholly before (the check then fails) or after (and
    /// deletes this row): a superseded document never stays behind.
    pub async fn put_profile(
        &self,
        performer: &AccountId,
        profile: &Profile,
        avatar: Option<(&[u8], &str)>,
    ) -> Result<bool, StoreError> {
        let account = account_text(performer);
        let commitment = hex::encode(profile.commitment());
        let mut tx = begin_write(&self.writer).await?;
        let current = sqlx::query(
            "UPDATE performers SET profile = profile WHERE account = $1 AND profile = $2",
        )
        .bind(&account)
        .bind(&commitment)
        .execute(&mut *tx)
        .await?;
        if current.rows_affected() != 1 {
            return Ok(false);
        }
        let document = String::from_utf8(profile.canonical())
            .map_err(|e| StoreError::Corrupt(format!("a profile's JSON: {e}")))?;
        sqlx::query(
            "INSERT INTO profiles (account, commitment, document, stage_name_folded, \
             avatar, avatar_type) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (account) DO UPDATE SET commitment = excluded.commitment, \
             document = excluded.document, stage_name_folded = excluded.stage_name_folded, \
             avatar = excluded.avatar, avatar_type = excluded.avatar_type",
        )
        .bind(&account)
        .bind(&commitment)
        .bind(document)
        .bind(profile.folded_name())
        .bind(avatar.map(|(bytes, _)| hex::encode(bytes)))
        .bind(avatar.map(|(_, media)| media.to_owned()))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Records that `performer` (registered) is online until `until` (ms), as they
    /// signed at `signed_at`; `false` (nothing changed) when not registered or when
    /// a statement signed at the same time or later is stored already.
    pub async fn put_presence(
        &self,
        performer: &AccountId,
        until: u64,
        signed_at: u64,
    ) -> Result<bool, StoreError> {
        let account = account_text(performer);
        let write = sqlx::query(
            "INSERT INTO presence (account, until_ms, signed_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (account) DO UPDATE SET until_ms = excluded.until_ms, \
             signed_at_ms = excluded.signed_at_ms \
             WHERE presence.signed_at_ms < excluded.signed_at_ms",
        )
        .bind(&account)
        .bind(i64::try_from(until).unwrap_or(i64::MAX))
        .bind(i64::try_from(signed_at).unwrap_or(i64::MAX));
        self.write_if_registered(&account, write).await
    }

    /// Runs `write` (of one row at most) if `account` is a registered performer,
    /// their registry row locked first (`lock_registered`): an erasure runs wholly
    /// before (then nothing is written) or after (and deletes the row). Whether it
    /// wrote a row.
    pub(super) async fn write_if_registered(
        &self,
        account: &str,
        write: Bound<'_>,
    ) -> Result<bool, StoreError> {
        let mut tx = begin_write(&self.writer).await?;
        if !lock_registered(&mut tx, account).await? {
            return Ok(false);
        }
        let written = write.execute(&mut *tx).await?.rows_affected() == 1;
        tx.commit().await?;
        Ok(written)
    }

    /// `performer`'s commitment in the registry now; `None` if not registered.
    pub async fn commitment(
        &self,
        performer: &AccountId,
    ) -> Result<Option<Commitment>, StoreError> {
        sqlx::query("SELECT profile FROM performers WHERE account = $1")
            .bind(account_text(performer))
            .fetch_optional(&self.pool)
            .await?
            .map(|row| get_hash(&row, "profile"))
            .transpose()
    }

    /// `performer`'s profile, if one is stored.
    pub async fn profile(
        &self,
        performer: &AccountId,
    ) -> Result<Option<StoredProfile>, StoreError> {
        let Some(row) = sqlx::query(
            "SELECT commitment, document, avatar_type FROM profiles WHERE account = $1",
        )
        .bind(account_text(performer))
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        stored_profile(&row).map(Some)
    }

    /// `performer`'s avatar: its bytes and media type.
    pub async fn avatar(
        &self,
        performer: &AccountId,
    ) -> Result<Option<(Vec<u8>, String)>, StoreError> {
        let row = sqlx::query(
            "SELECT avatar, avatar_type FROM profiles WHERE account = $1 AND avatar IS NOT NULL",
        )
        .bind(account_text(performer))
        .fetch_optional(&self.pool)
        .await?;
        row.map(|row| {
            let bytes = hex::decode(row.try_get::<String, _>("avatar")?)
                .map_err(|e| StoreError::Corrupt(format!("a stored avatar: {e}")))?;
            Ok((bytes, row.try_get("avatar_type")?))
        })
        .transpose()
    }

    /// Deletes `performer`'s profile if it is the one committed to by `commitment`;
    /// whether one was deleted. On SQLite the write-ahead log is then folded into the
    /// file and truncated, so the document's bytes are gone from disk too (deleted
    /// pages are zeroed: `secure_delete`).
    pub async fn delete_profile(
        &self,
        performer: &AccountId,
        commitment: &Commitment,
    ) -> Result<bool, StoreError> {
        let mut tx = begin_write(&self.writer).await?;
        let deleted = sqlx::query("DELETE FROM profiles WHERE account = $1 AND commitment = $2")
            .bind(account_text(performer))
            .bind(hex::encode(commitment))
            .execute(&mut *tx)
            .await?
            .rows_affected()
            == 1;
        tx.commit().await?;
        if deleted {
            self.forget_deleted().await?;
        }
        Ok(deleted)
    }

    /// Folds SQLite's write-ahead log into the (zeroing) file and truncates it, so
    /// deleted rows leave no copy in the log; nothing to do on PostgreSQL.
    pub async fn forget_deleted(&self) -> Result<(), StoreError> {
        if is_sqlite(&self.pool) {
            let row = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&self.pool)
                .await?;
            if row.try_get::<i64, _>(0)? != 0 {
                return Err(StoreError::Corrupt(
                    "the write-ahead log could not be truncated (readers held it for 5 s)".into(),
                ));
            }
        }
        Ok(())
    }
}

/// Locks `performer`'s registry row (a no-op update) for the rest of `tx`; whether
/// they are registered. A write that depends on the registration takes it first,
/// so an indexer commit that erases the performer runs wholly before or after.
async fn lock_registered(tx: &mut Tx<'_>, account: &str) -> Result<bool, StoreError> {
    Ok(
        sqlx::query("UPDATE performers SET profile = profile WHERE account = $1")
            .bind(account)
            .execute(&mut **tx)
            .await?
            .rows_affected()
            == 1,
    )
}

/// A `profiles` row (`commitment`, `document`, `avatar_type`).
pub(super) fn stored_profile(row: &AnyRow) -> Result<StoredProfile, StoreError> {
    let profile = serde_json::from_str(&row.try_get::<String, _>("document")?)
        .map_err(|e| StoreError::Corrupt(format!("a stored profile: {e}")))?;
    Ok(StoredProfile {
        profile,
        commitment: get_hash(row, "commitment")?,
        avatar_type: row.try_get("avatar_type")?,
    })
}

/// Deletes `performer`'s profile unless the registry's commitment is still
/// `kept` (`None`: the performer is erased, and their presence goes too). Part of
/// the indexer's commit.
pub(super) async fn drop_superseded(
    tx: &mut Tx<'_>,
    performer: &AccountId,
    kept: Option<&Commitment>,
) -> Result<(), StoreError> {
    sqlx::query("DELETE FROM profiles WHERE account = $1 AND commitment <> $2")
        .bind(account_text(performer))
        .bind(kept.map_or_else(String::new, hex::encode))
        .execute(&mut **tx)
        .await?;
    if kept.is_none() {
        sqlx::query("DELETE FROM presence WHERE account = $1")
            .bind(account_text(performer))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
