//! The relayer: submits voucher redemptions for keys that hold nothing yet.
//!
//! A fresh anonymous key cannot pay a transaction fee before its first voucher
//! pays it a stipend, so someone else must submit `redeem_voucher`. The voucher
//! names its recipient, so the relayer can only deliver it; the contract pays
//! the relayer the key's relay fee in LIVE for doing so. Anyone may run one; a
//! viewer with native tokens may submit the same call directly.
//!
//! Each redemption is dry-run first as the relayer: a voucher the contract would
//! refuse is answered with the contract's reason and costs the relayer nothing.
//! Submissions ([`ChainSource::submit`]) go one at a time (one account, one nonce
//! sequence).

use livestars_indexer::decode::{AccountId, Error as ContractError};
use livestars_indexer::source::{ChainSource, ContractMessage, SubmitError};
use parity_scale_codec::{Decode, Encode};
use subxt_signer::sr25519::Keypair;
use subxt_signer::SecretUri;
use tokio::sync::Mutex;

/// The selector of `redeem_voucher` (the first 4 bytes of BLAKE2b-256 of its
/// name, as ink! derives it); `tests/tests/signatures.rs` checks it against the
/// built metadata.
pub const REDEEM_VOUCHER: [u8; 4] = [0xb7, 0xc8, 0x32, 0x9e];

/// A voucher to redeem: the arguments of `redeem_voucher`.
#[derive(Debug, Clone, Encode)]
pub struct Voucher {
    pub key_id: u64,
    pub recipient: AccountId,
    pub serial: [u8; 32],
    pub signature: [u8; 64],
}

/// Why a redemption was not submitted, or failed.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
    /// The contract refuses the voucher (dry run): nothing was submitted.
    #[error("the contract refuses the voucher: {0:?}")]
    Refused(ContractError),
    /// The transaction went into a block and failed there (e.g. the voucher was
    /// redeemed by someone else meanwhile); its fee is spent.
    #[error("the redemption failed in its block: {0}")]
    Failed(String),
    /// The node could not be reached or refused the transaction.
    #[error("chain: {0}")]
    Chain(String),
}

impl RelayError {
    fn chain(error: impl std::fmt::Display) -> Self {
        Self::Chain(error.to_string())
    }
}

/// A redemption in a block.
#[derive(Debug, Clone, Copy)]
pub struct Redeemed {
    pub block: u32,
    /// LIVE the recipient received.
    pub value: u128,
}

/// Submits redemptions as one account.
pub struct Relayer {
    signer: Keypair,
    contract: AccountId,
    node_url: String,
    /// The node connection, opened on first use and dropped after a chain error;
    /// held for a whole redemption, so submissions (and nonces) follow each other.
    connection: Mutex<Option<ChainSource>>,
}

impl Relayer {
    /// A relayer signing as the account of `suri` (e.g. `//Ferdie` on a dev chain)
    /// for vouchers of `contract`, through the node at `node_url` (connected on
    /// first use). Fails only on a malformed `suri`.
    pub fn new(node_url: &str, suri: &str, contract: AccountId) -> anyhow::Result<Self> {
        let uri: SecretUri = suri.parse()?;
        Ok(Self {
            signer: Keypair::from_uri(&uri)?,
            contract,
            node_url: node_url.to_owned(),
            connection: Mutex::new(None),
        })
    }

    /// The relayer's account, paid the relay fees.
    pub fn account(&self) -> AccountId {
        self.signer.public_key().to_account_id().0
    }

    /// Redeems `voucher`: dry-run, then submitted with the gas the dry run needed,
    /// and waited for until it is in a block.
    pub async fn redeem(&self, voucher: &Voucher) -> Result<Redeemed, RelayError> {
        let mut input = REDEEM_VOUCHER.to_vec();
        voucher.encode_to(&mut input);
        let mut connection = self.connection.lock().await;
        if connection.is_none() {
            let source = ChainSource::connect(&self.node_url, self.contract).await;
            *connection = Some(source.map_err(RelayError::chain)?);
        }
        let Some(open) = connection.as_ref() else {
            unreachable!("opened above")
        };
        let result = self.redeem_on(open, input).await;
        if let Err(RelayError::Chain(_)) = result {
            *connection = None;
        }
        result
    }

    async fn redeem_on(&self, chain: &ChainSource, input: Vec<u8>) -> Result<Redeemed, RelayError> {
        let message = ContractMessage {
            contract: self.contract,
            value: 0,
            input,
        };
        // The best block, not the finalized one (about a second behind): a voucher
        // redeemed a block ago must already read as spent.
        let best = chain.best_block().await.map_err(RelayError::chain)?;
        let dry_run = chain
            .call_as(best, self.account(), &message)
            .await
            .map_err(RelayError::chain)?;
        // ink! answers `Result<Result<u128, Error>, LangError>`; a refusal reverts,
        // with the error in the data.
        let answer: Result<Result<u128, ContractError>, u8> =
            Decode::decode(&mut dry_run.data.as_slice())
                .map_err(|e| RelayError::Chain(format!("dry run answer: {e}")))?;
        let value = answer
            .map_err(|e| RelayError::Chain(format!("the contract could not read the call ({e})")))?
            .map_err(RelayError::Refused)?;
        let submitted = chain.submit(&self.signer, &message, dry_run.gas_required);
        match submitted.await {
            Ok(block) => Ok(Redeemed { block, value }),
            // In a block but refused there (another redemption of the same voucher
            // came first): the contract's word, not the chain's.
            Err(SubmitError::Failed(reason)) => Err(RelayError::Failed(reason)),
            Err(e) => Err(RelayError::chain(e)),
        }
    }
}
