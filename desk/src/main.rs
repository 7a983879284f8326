//! The voucher desk's key tool; the API serves the desk itself (`--desk-dir DIR`).
//!
//! - `livestars-desk new-key DIR`: creates a signing key in the desk's directory
//!   and prints its public key, for the desk's account to register on chain
//!   (`register_voucher_key`).
//! - `livestars-desk issue DIR ...`: signs one voucher directly, outside any order
//!   and not blind (promotions, `scripts/contract-report`). It is counted nowhere
//!   and paid out of the key's backing, so issue only what you backed beyond sales.

use clap::{Parser, Subcommand};
use livestars_indexer::config::parse_account;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create a signing key in DIR and print its public key (hex).
    NewKey { dir: PathBuf },
    /// Sign one voucher directly with the key PUBLIC (hex) held in DIR, for the
    /// account RECIPIENT under key id KEY_ID of the contract CONTRACT (accounts in
    /// SS58 or hex); prints its serial and signature (hex).
    Issue {
        dir: PathBuf,
        public: String,
        contract: String,
        key_id: u64,
        recipient: String,
    },
}

fn bytes32(name: &str, text: &str) -> anyhow::Result<[u8; 32]> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text.trim_start_matches("0x"), &mut out)
        .map_err(|_| anyhow::anyhow!("{name} must be 32 bytes of hex"))?;
    Ok(out)
}

fn main() -> anyhow::Result<()> {
    match Cli::parse().command {
        Command::NewKey { dir } => {
            let public = livestars_desk::keys::KeyRing::create(&dir)?;
            println!("{}", hex::encode(public));
        }
        Command::Issue {
            dir,
            public,
            contract,
            key_id,
            recipient,
        } => {
            let keys = livestars_desk::keys::KeyRing::load(&dir)?;
            let signer = keys.signer(&bytes32("public", &public)?)?;
            let serial = blind_sr25519::random_bytes();
            let account = |name: &str, text: &str| {
                parse_account(text).map_err(|_| anyhow::anyhow!("{name}: not an account"))
            };
            let message = livestars_indexer::decode::voucher_message(
                &account("contract", &contract)?,
                key_id,
                &account("recipient", &recipient)?,
                &serial,
            );
            let signature = signer.sign(&message);
            println!("{} {}", hex::encode(serial), hex::encode(signature));
        }
    }
    Ok(())
}
