//! Signing sessions: a commitment sent, a blinded challenge awaited. At most one
//! session per key is open at any time. Blind Schnorr is one-more unforgeable
//! only without concurrent sessions (the ROS attack combines a few hundred open
//! ones into a signature nobody paid for), so the desk serialises them; a session
//! left unanswered frees its key after the timeout.

use crate::DeskError;
use blind_sr25519::{Nonce, Signer};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A session's id: random, so one buyer cannot answer another's session.
pub type SessionId = [u8; 16];

/// An open session, taken out to be answered.
pub struct Session {
    pub key_id: u64,
    pub order: [u8; 32],
    signer: Arc<Signer>,
    nonce: Nonce,
}

impl Session {
    /// The answer to the blinded challenge; the nonce is spent with it.
    pub fn respond(self, challenge: &[u8; 32]) -> Result<[u8; 32], DeskError> {
        self.signer
            .respond(self.nonce, challenge)
            .map_err(DeskError::Malformed)
    }
}

struct Open {
    id: SessionId,
    session: Session,
    deadline: Instant,
}

/// The open sessions, one slot per key.
pub struct Sessions {
    timeout: Duration,
    open: Mutex<HashMap<u64, Open>>,
}

impl Sessions {
    pub fn new(timeout: Duration) -> Self {
        Self {
            timeout,
            open: Mutex::new(HashMap::new()),
        }
    }

    /// Opens a session of `key_id` for `order`, refused while another of the same
    /// key is open. Returns its id and the commitment.
    pub fn open(
        &self,
        key_id: u64,
        order: [u8; 32],
        signer: Arc<Signer>,
    ) -> Result<(SessionId, [u8; 32]), DeskError> {
        let mut open = self.lock();
        let now = Instant::now();
        if let Some(busy) = open.get(&key_id).filter(|busy| busy.deadline > now) {
            return Err(DeskError::Busy {
                retry_after: busy.deadline - now,
            });
        }
        let (nonce, commitment) = signer.commit();
        let id: SessionId = blind_sr25519::random_bytes()[..16]
            .try_into()
            .expect("16 of 32 bytes");
        let session = Session {
            key_id,
            order,
            signer,
            nonce,
        };
        let deadline = now + self.timeout;
        open.insert(
            key_id,
            Open {
                id,
                session,
                deadline,
            },
        );
        Ok((id, commitment))
    }

    /// Takes the open session `id` out (it can be answered once), refused if it
    /// timed out.
    pub fn take(&self, id: SessionId) -> Result<Session, DeskError> {
        let mut open = self.lock();
        let key_id = open
            .iter()
            .find(|(_, slot)| slot.id == id)
            .map(|(key_id, _)| *key_id)
            .ok_or(DeskError::NoSession)?;
        let slot = open.remove(&key_id).ok_or(DeskError::NoSession)?;
        if slot.deadline <= Instant::now() {
            return Err(DeskError::NoSession);
        }
        Ok(slot.session)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Open>> {
        // A panic while holding the lock leaves the map consistent: every change
        // to it is a single insert or remove.
        self.open
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}
