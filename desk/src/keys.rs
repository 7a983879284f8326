//! The desk's signing keys: one file per key in the desk's directory
//! (`<public key hex>.key`, the 32-byte secret scalar, readable by the owner
//! only), and which of them the chain knows.

use crate::DeskError;
use blind_sr25519::Signer;
use livestars_indexer::store::{Store, VoucherKeyRecord};
use std::collections::HashMap;
use std::io::Write;
use std::path::Path;
use std::sync::Arc;

/// The desk's secret keys, by public key.
pub struct KeyRing {
    signers: HashMap<[u8; 32], Arc<Signer>>,
}

/// A key the desk offers: registered on chain, not expired, and held here.
#[derive(Debug, Clone)]
pub struct OfferedKey {
    pub record: VoucherKeyRecord,
}

impl KeyRing {
    /// Loads every `*.key` file in `dir` (created if missing).
    pub fn load(dir: &Path) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let mut signers = HashMap::new();
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            if path.extension().is_none_or(|extension| extension != "key") {
                continue;
            }
            let bytes = std::fs::read(&path)?;
            let secret: [u8; 32] = bytes
                .as_slice()
                .try_into()
                .map_err(|_| anyhow::anyhow!("{}: a key file holds 32 bytes", path.display()))?;
            let signer = Signer::from_bytes(&secret)
                .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
            signers.insert(signer.public(), Arc::new(signer));
        }
        Ok(Self { signers })
    }

    /// Creates a new key in `dir` and returns its public key, for the desk's
    /// account to register on chain (`register_voucher_key`).
    pub fn create(dir: &Path) -> anyhow::Result<[u8; 32]> {
        std::fs::create_dir_all(dir)?;
        let signer = Signer::generate();
        let path = dir.join(format!("{}.key", hex::encode(signer.public())));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(&path)?.write_all(&signer.to_bytes())?;
        Ok(signer.public())
    }

    /// The keys held here that the chain registered and that redeem after `now_ms`.
    pub async fn offered(&self, store: &Store, now_ms: u64) -> Result<Vec<OfferedKey>, DeskError> {
        let mut offered = Vec::new();
        for public in self.signers.keys() {
            for record in store.voucher_keys_of(public).await? {
                if record.closed_block.is_none() && record.redeem_until_ms > now_ms {
                    offered.push(OfferedKey { record });
                }
            }
        }
        offered.sort_by_key(|key| key.record.key_id);
        Ok(offered)
    }

    /// The secret key of `public`, if held here.
    pub fn signer(&self, public: &[u8; 32]) -> Result<Arc<Signer>, DeskError> {
        self.signers
            .get(public)
            .cloned()
            .ok_or_else(|| DeskError::Storage("no such key in the desk's directory".into()))
    }
}
