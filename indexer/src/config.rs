//! Where the chain, the LIVE contract and the database are: the one place every
//! livestars binary reads its configuration from (flags, then env, then the
//! deployment file that `scripts/deploy` writes).

use crate::decode::AccountId;
use serde::Deserialize;
use std::path::PathBuf;
use std::str::FromStr;
use subxt::utils::AccountId32;

/// Chain and contract settings.
#[derive(Debug, Clone, clap::Args)]
pub struct ChainArgs {
    /// Node WebSocket URL; overrides the deployment file's.
    #[arg(long, env = "LIVESTARS_NODE_URL")]
    pub node_url: Option<String>,
    /// Deployment file with `node_url` and `live_token` (written by `scripts/deploy`).
    #[arg(
        long,
        env = "LIVESTARS_DEPLOYMENT",
        default_value = "target/livestars.json"
    )]
    pub deployment: PathBuf,
    /// LIVE contract address (SS58 or hex): the token, its tips and its rating;
    /// overrides the deployment file's.
    #[arg(long, env = "LIVESTARS_TOKEN")]
    pub token: Option<String>,
    /// First block to index: the block the contract was deployed in (or earlier).
    #[arg(long, env = "LIVESTARS_START_BLOCK")]
    pub start_block: Option<u32>,
}

/// Database settings.
#[derive(Debug, Clone, clap::Args)]
pub struct DatabaseArgs {
    /// `sqlite://FILE` (the embedded default) or `postgres://USER@HOST:PORT/DB`.
    #[arg(
        long,
        env = "LIVESTARS_DATABASE_URL",
        default_value = "sqlite://target/livestars.sqlite"
    )]
    pub database_url: String,
}

/// Everything needed to follow the chain, resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub node_url: String,
    /// The LIVE contract, whose events are indexed.
    pub live_token: AccountId,
    pub start_block: u32,
}

/// Why the configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("reading {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("parsing {path}: {source}")]
    Parse {
        path: PathBuf,
        source: serde_json::Error,
    },
    #[error("no {0} given: pass --{0} or a deployment file that has it")]
    Missing(&'static str),
    #[error("{0}")]
    Account(#[from] AccountError),
}

#[derive(Debug, Default, Deserialize)]
struct DeploymentFile {
    node_url: Option<String>,
    live_token: Option<String>,
    start_block: Option<u32>,
}

impl ChainArgs {
    /// Merges flags/env over the deployment file (which may be absent if the flags
    /// say everything).
    pub fn resolve(&self) -> Result<Deployment, ConfigError> {
        let file = match std::fs::read_to_string(&self.deployment) {
            Ok(text) => serde_json::from_str(&text).map_err(|source| ConfigError::Parse {
                path: self.deployment.clone(),
                source,
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => DeploymentFile::default(),
            Err(source) => {
                return Err(ConfigError::Read {
                    path: self.deployment.clone(),
                    source,
                })
            }
        };
        let pick = |flag: &Option<String>, file: Option<String>, name: &'static str| {
            flag.clone().or(file).ok_or(ConfigError::Missing(name))
        };
        Ok(Deployment {
            node_url: pick(&self.node_url, file.node_url, "node-url")?,
            live_token: parse_account(&pick(&self.token, file.live_token, "token")?)?,
            start_block: self.start_block.or(file.start_block).unwrap_or(0),
        })
    }
}

/// An account that is neither SS58 nor 32 bytes of hex.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("not an account (SS58 or 32-byte hex): {0:?}")]
pub struct AccountError(pub String);

/// Parses an account given as SS58 or as 64 hex digits (with or without `0x`).
pub fn parse_account(text: &str) -> Result<AccountId, AccountError> {
    let hex_part = text.strip_prefix("0x").unwrap_or(text);
    if hex_part.len() == 64 {
        let mut out = [0u8; 32];
        if hex::decode_to_slice(hex_part, &mut out).is_ok() {
            return Ok(out);
        }
    }
    AccountId32::from_str(text)
        .map(|account| account.0)
        .map_err(|_| AccountError(text.chars().take(80).collect()))
}

/// The SS58 form (generic substrate prefix 42) that wallets show. Encoded here with
/// `bs58` rather than through subxt's `AccountId32` display, whose base58 step was
/// the API's largest cost on tip pages (every tip names three or more accounts).
pub fn ss58(account: &AccountId) -> String {
    use blake2::{Blake2b512, Digest};
    const GENERIC_SUBSTRATE: u8 = 42;
    let mut payload = Vec::with_capacity(35);
    payload.push(GENERIC_SUBSTRATE);
    payload.extend_from_slice(account);
    let checksum = Blake2b512::new()
        .chain_update(b"SS58PRE")
        .chain_update(&payload)
        .finalize();
    payload.extend_from_slice(&checksum[..2]);
    bs58::encode(payload).into_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALICE: &str = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
    const ALICE_HEX: &str = "d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d";

    #[test]
    fn accounts_parse_from_ss58_and_hex_alike() {
        let from_ss58 = parse_account(ALICE).unwrap();
        assert_eq!(hex::encode(from_ss58), ALICE_HEX);
        assert_eq!(parse_account(&format!("0x{ALICE_HEX}")).unwrap(), from_ss58);
        assert_eq!(ss58(&from_ss58), ALICE);
    }

    #[test]
    fn ss58_matches_subxt_for_many_accounts() {
        let mut account = [0u8; 32];
        for seed in 0u8..=255 {
            for (i, byte) in account.iter_mut().enumerate() {
                *byte = seed
                    .wrapping_mul(31)
                    .wrapping_add(i as u8)
                    .rotate_left(u32::from(seed % 8));
            }
            assert_eq!(ss58(&account), AccountId32(account).to_string());
        }
    }

    #[test]
    fn a_deployment_file_names_the_one_contract() {
        let path = std::env::temp_dir().join(format!("livestars-{}.json", std::process::id()));
        let args = |path: &std::path::Path| ChainArgs {
            node_url: None,
            deployment: path.to_path_buf(),
            token: None,
            start_block: None,
        };
        std::fs::write(
            &path,
            format!(r#"{{"node_url": "ws://127.0.0.1:9944", "live_token": "{ALICE}"}}"#),
        )
        .unwrap();
        let deployment = args(&path).resolve().unwrap();
        assert_eq!(hex::encode(deployment.live_token), ALICE_HEX);
        assert_eq!(deployment.start_block, 0);
        // A v1 file names no `live_token` that this indexer could follow.
        std::fs::write(
            &path,
            r#"{"node_url": "ws://x", "tips": "5Grw", "rating": "5Grw"}"#,
        )
        .unwrap();
        let missing = args(&path).resolve();
        std::fs::remove_file(&path).unwrap();
        assert!(matches!(missing, Err(ConfigError::Missing("token"))));
    }

    #[test]
    fn malformed_accounts_are_refused() {
        for bad in ["", "5Grw", "0x1234", &ALICE[..47], &"zz".repeat(32)] {
            assert!(parse_account(bad).is_err(), "{bad}");
        }
    }
}
