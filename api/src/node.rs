//! Whether the node answers, and its finalized head, checked every second: what
//! `/ready` needs besides the index's own progress, which stays at its last (caught
//! up) value when the indexer loses the node, and which an API without an embedded
//! indexer only reads from the database.

use std::time::Duration;
use subxt::config::RpcConfigFor;
use subxt::rpcs::{LegacyRpcMethods, RpcClient};
use subxt::PolkadotConfig;
use tokio::sync::watch;

/// Interval between two checks.
const INTERVAL: Duration = Duration::from_secs(1);
/// How long a check may take before the node counts as unreachable.
const TIMEOUT: Duration = Duration::from_secs(3);

/// The node as last checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum NodeHealth {
    /// Not checked yet.
    #[default]
    Unknown,
    /// It answered, with this finalized head.
    Reachable { finalized_head: u32 },
    /// It did not answer.
    Unreachable { error: String },
}

type Legacy = LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>;

/// Checks the node at `url` forever, publishing each result on `health`; reconnects
/// after every failure.
pub async fn watch(url: String, health: watch::Sender<NodeHealth>) {
    let mut connection: Option<Legacy> = None;
    loop {
        let result = tokio::time::timeout(TIMEOUT, check(&url, &mut connection))
            .await
            .unwrap_or_else(|_| Err(format!("no answer within {TIMEOUT:?}")));
        let next = match result {
            Ok(finalized_head) => NodeHealth::Reachable { finalized_head },
            Err(error) => {
                connection = None;
                NodeHealth::Unreachable { error }
            }
        };
        health.send_if_modified(|current| {
            match (&*current, &next) {
                (NodeHealth::Reachable { .. }, NodeHealth::Unreachable { error }) => {
                    tracing::warn!("the node stopped answering: {error}")
                }
                (NodeHealth::Unreachable { .. }, NodeHealth::Reachable { .. }) => {
                    tracing::info!("the node answers again")
                }
                _ => {}
            }
            let changed = *current != next;
            *current = next;
            changed
        });
        tokio::time::sleep(INTERVAL).await;
    }
}

async fn check(url: &str, connection: &mut Option<Legacy>) -> Result<u32, String> {
    let legacy = match connection {
        Some(legacy) => legacy,
        None => {
            let rpc = RpcClient::from_insecure_url(url)
                .await
                .map_err(|e| format!("connecting: {e}"))?;
            connection.insert(Legacy::new(rpc))
        }
    };
    let hash = legacy
        .chain_get_finalized_head()
        .await
        .map_err(|e| e.to_string())?;
    let header = legacy
        .chain_get_header(Some(hash))
        .await
        .map_err(|e| e.to_string())?
        .ok_or("the finalized head has no header")?;
    u32::try_from(header.number).map_err(|_| format!("block number {}", header.number))
}
