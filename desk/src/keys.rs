//! The desk's signing keys: one file per key in the desk's directory
//! (`<public key hex>.key`, the 32-byte secret scalar, readable by the owner
//! only), and which of them the chain knows.

use crate::DeskError;
use blind_sr25519::Signer;
use livestars_indexer::store::{Store, VoucherKeyRecord};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

/// The desk's secret keys, by public key, and the directory that holds them.
pub struct KeyRing {
    dir: PathBuf,
    /// Grows when the desk makes a key ([`KeyRing::make`]) while it serves.
    signers: RwLock<HashMap<[u8; 32], Arc<Signer>>>,
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
        Ok(Self {
            dir: dir.to_owned(),
            signers: RwLock::new(signers),
        })
    }

    /// Creates a new key in `dir` and returns its public key, for the desk's
    /// account to register on chain (`register_voucher_key`).
    pub fn create(dir: &Path) -> anyhow::Result<[u8; 32]> {
        Ok(generate_in(dir)?.public())
    }

    /// Creates a new key in the desk's directory and holds it at once (key
    /// rotation, while the desk serves).
    pub fn make(&self) -> anyhow::Result<[u8; 32]> {
        let signer = generate_in(&self.dir)?;
        let public = signer.public();
        self.signers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(public, Arc::new(signer));
        Ok(public)
    }

    /// Forgets `public` and deletes its file (a key never registered).
    pub fn discard(&self, public: &[u8; 32]) -> anyhow::Result<()> {
        self.signers
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .remove(public);
        std::fs::remove_file(key_path(&self.dir, public))?;
        Ok(())
    }

    /// Every registration of a key held here, open, expired or closed.
    pub async fn registered(&self, store: &Store) -> Result<Vec<VoucherKeyRecord>, DeskError> {
        let publics: Vec<[u8; 32]> = self
            .signers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .keys()
            .copied()
            .collect();
        let mut records = Vec::new();
        for public in publics {
            records.extend(store.voucher_keys_of(&public).await?);
        }
        records.sort_by_key(|record| record.key_id);
        Ok(records)
    }

    /// The keys held here that the chain registered and that redeem after `now_ms`.
    pub async fn offered(&self, store: &Store, now_ms: u64) -> Result<Vec<OfferedKey>, DeskError> {
        let records = self.registered(store).await?;
        Ok(records
            .into_iter()
            .filter(|record| record.closed_block.is_none() && record.redeem_until_ms > now_ms)
            .map(|record| OfferedKey { record })
            .collect())
    }

    /// The secret key of `public`, if held here.
    pub fn signer(&self, public: &[u8; 32]) -> Result<Arc<Signer>, DeskError> {
        self.signers
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .get(public)
            .cloned()
            .ok_or_else(|| DeskError::Storage("no such key in the desk's directory".into()))
    }
}

/// Generates a key and writes it to `dir` (created if missing), readable by the
/// owner only: written whole to a temporary file, synced, then renamed, so a
/// crash never leaves a short key file; never overwrites a key.
fn generate_in(dir: &Path) -> anyhow::Result<Signer> {
    std::fs::create_dir_all(dir)?;
    let signer = Signer::generate();
    let path = key_path(dir, &signer.public());
    let temporary = path.with_extension("key.partial");
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(&temporary)?;
    file.write_all(&signer.to_bytes())?;
    file.sync_all()?;
    anyhow::ensure!(!path.exists(), "{} exists", path.display());
    std::fs::rename(&temporary, &path)?;
    std::fs::File::open(dir)?.sync_all()?;
    Ok(signer)
}

/// Where the key `public` is kept in `dir`.
fn key_path(dir: &Path, public: &[u8; 32]) -> PathBuf {
    dir.join(format!("{}.key", hex::encode(public)))
}
