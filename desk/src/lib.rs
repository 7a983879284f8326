//! The voucher desk (`docs/PRIVACY.md`): it blind-signs LIVE vouchers, one per
//! voucher an order paid for on chain, and never sees what it signs.
//!
//! - `keys`: the desk's signing keys, one file each in its directory, and which of
//!   them the chain knows (registered, not expired);
//! - `ledger`: how many vouchers the desk signed per order (its own SQLite file:
//!   orders and counts, never a message, a recipient or a signature);
//! - `sessions`: the signing sessions, at most one open per key at a time, since
//!   concurrent blind Schnorr sessions can be combined into a forgery (ROS);
//! - `rotation`: a new key for each denomination before the current one ends, and
//!   expired keys closed, done as the desk's account through the node;
//! - [`Desk`]: the keys, ledger and sessions together, over the indexer's store,
//!   which says what each order paid for.

pub mod keys;
pub mod ledger;
pub mod rotation;
pub mod sessions;

use keys::{KeyRing, OfferedKey};
use ledger::Ledger;
use livestars_indexer::decode::AccountId;
use livestars_indexer::store::{Store, StoreError, VoucherKeyRecord};
use sessions::{SessionId, Sessions};
use std::path::Path;
use std::time::Duration;

/// Why the desk refused.
#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The key is not one the desk offers (unknown, not registered, expired).
    #[error("key {0} is not offered by this desk")]
    UnknownKey(u64),
    /// Every voucher the order paid for under this key is signed already (or it
    /// paid for none).
    #[error("the order has no voucher of key {0} left to sign")]
    NothingOwed(u64),
    /// Another session of this key is open: retry after it.
    #[error("the key is busy with another session; retry in a moment")]
    Busy { retry_after: Duration },
    /// No open session has this id (never opened, answered, or timed out).
    #[error("no open session with this id")]
    NoSession,
    /// The blinded challenge is not a canonical scalar.
    #[error("malformed challenge: {0}")]
    Malformed(blind_sr25519::Error),
    /// The desk's own storage or the index failed.
    #[error("storage: {0}")]
    Storage(String),
}

impl From<StoreError> for DeskError {
    fn from(error: StoreError) -> Self {
        Self::Storage(error.to_string())
    }
}

impl From<sqlx::Error> for DeskError {
    fn from(error: sqlx::Error) -> Self {
        Self::Storage(error.to_string())
    }
}

/// The desk: its keys, its ledger, its sessions, and the index it reads
/// purchases from.
pub struct Desk {
    keys: KeyRing,
    ledger: Ledger,
    sessions: Sessions,
    store: Store,
    /// The desk's account, when known: registrations of its keys by anyone else
    /// (who could copy a public key from the chain) are then not offered.
    account: Option<AccountId>,
}

impl Desk {
    /// Opens the desk kept in `dir` (its keys and ledger), reading purchases from
    /// `store`; a session left unanswered for `session_timeout` is dropped.
    pub async fn open(dir: &Path, store: Store, session_timeout: Duration) -> anyhow::Result<Self> {
        Ok(Self {
            keys: KeyRing::load(dir)?,
            ledger: Ledger::open(&dir.join("ledger.sqlite")).await?,
            sessions: Sessions::new(session_timeout),
            store,
            account: None,
        })
    }

    /// The desk whose keys `account` registers: only its registrations are
    /// offered.
    pub fn registered_by(self, account: AccountId) -> Self {
        Self {
            account: Some(account),
            ..self
        }
    }

    /// The keys the desk offers now (registered on chain and not expired at
    /// `now_ms`), by key id.
    pub async fn offered(&self, now_ms: u64) -> Result<Vec<OfferedKey>, DeskError> {
        let offered = self.keys.offered(&self.store, now_ms).await?;
        Ok(offered
            .into_iter()
            .filter(|key| {
                self.account
                    .is_none_or(|account| key.record.desk == account)
            })
            .collect())
    }

    /// Every registration of the desk's keys, by key id (open, expired or closed).
    pub async fn registered(&self) -> Result<Vec<VoucherKeyRecord>, DeskError> {
        self.keys.registered(&self.store).await
    }

    /// How many key registrations (of any desk) the index holds.
    pub async fn indexed_key_count(&self) -> Result<u64, DeskError> {
        Ok(self.store.voucher_key_count().await?)
    }

    /// Makes a new key in the desk's directory, held at once; the desk offers it
    /// when the index shows it registered.
    pub fn make_key(&self) -> anyhow::Result<[u8; 32]> {
        self.keys.make()
    }

    /// Deletes a key made by [`Desk::make_key`] that was never registered.
    pub fn discard_key(&self, public: &[u8; 32]) -> anyhow::Result<()> {
        self.keys.discard(public)
    }

    /// Opens a signing session for one voucher of `key_id` owed to `order`:
    /// returns its id and the commitment to send the buyer.
    pub async fn open_session(
        &self,
        order: [u8; 32],
        key_id: u64,
        now_ms: u64,
    ) -> Result<(SessionId, [u8; 32]), DeskError> {
        let key = self
            .offered(now_ms)
            .await?
            .into_iter()
            .find(|key| key.record.key_id == key_id)
            .ok_or(DeskError::UnknownKey(key_id))?;
        self.owed(&order, key_id).await?;
        let signer = self.keys.signer(&key.record.public_key)?;
        self.sessions.open(key_id, order, signer)
    }

    /// Answers the buyer's blinded challenge in session `id`, once: the voucher
    /// is counted as signed for its order before the answer leaves (a malformed
    /// challenge counts nothing).
    pub async fn respond(&self, id: SessionId, challenge: [u8; 32]) -> Result<[u8; 32], DeskError> {
        let session = self.sessions.take(id)?;
        let (key_id, order) = (session.key_id, session.order);
        let response = session.respond(&challenge)?;
        let paid = self.owed(&order, key_id).await?;
        self.ledger.count_one(&order, key_id, paid).await?;
        Ok(response)
    }

    /// What the order paid for under `key_id`, refused if all of it is signed.
    async fn owed(&self, order: &[u8; 32], key_id: u64) -> Result<u64, DeskError> {
        let paid = self.store.vouchers_paid(order, key_id).await?;
        let signed = self.ledger.signed(order, key_id).await?;
        if signed < paid {
            Ok(paid)
        } else {
            Err(DeskError::NothingOwed(key_id))
        }
    }
}

#[cfg(test)]
mod tests;
