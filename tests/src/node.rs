//! `substrate-contracts-node`: a dev chain on a free loopback port, stopped and
//! restarted by the fault tests.

use crate::process::{free_port, Process};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};
use subxt::config::RpcConfigFor;
use subxt::rpcs::{LegacyRpcMethods, RpcClient};
use subxt::PolkadotConfig;

/// A dev chain (instant seal) on a free port.
pub struct Node {
    pub port: u16,
    pub process: Process,
    base_path: Option<PathBuf>,
    log: PathBuf,
}

impl Node {
    /// Starts a node with a temporary chain, or one kept in `base_path`.
    pub async fn start(base_path: Option<&Path>, log_dir: &Path) -> Result<Self> {
        Self::start_on(free_port(), base_path, log_dir).await
    }

    async fn start_on(port: u16, base_path: Option<&Path>, log_dir: &Path) -> Result<Self> {
        let binary = std::env::var("CONTRACTS_NODE")
            .unwrap_or_else(|_| "substrate-contracts-node".to_owned());
        let log = log_dir.join(format!("node-{port}.log"));
        let mut command = Command::new(&binary);
        // Archive state: a backfill reads the events of old blocks, which the default
        // pruning (256 blocks) would have discarded.
        command.args([
            "--dev",
            "--rpc-port",
            &port.to_string(),
            "--no-prometheus",
            "--state-pruning",
            "archive",
        ]);
        match base_path {
            Some(path) => command.arg("--base-path").arg(path),
            None => command.arg("--tmp"),
        };
        let child = command
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log)?)
            .spawn()
            .with_context(|| format!("starting {binary} (set CONTRACTS_NODE or PATH)"))?;
        let node = Self {
            port,
            process: Process(child),
            base_path: base_path.map(Path::to_path_buf),
            log,
        };
        node.wait_ready().await?;
        Ok(node)
    }

    /// The node's WebSocket URL.
    pub fn url(&self) -> String {
        format!("ws://127.0.0.1:{}", self.port)
    }

    async fn wait_ready(&self) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while Instant::now() < deadline {
            if let Ok(rpc) = RpcClient::from_insecure_url(&self.url()).await {
                let legacy = LegacyRpcMethods::<RpcConfigFor<PolkadotConfig>>::new(rpc);
                if legacy.chain_get_finalized_head().await.is_ok() {
                    return Ok(());
                }
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
        bail!("node did not answer; see {}", self.log.display())
    }

    /// Stops the node (SIGTERM) and starts it again on the same port and chain.
    pub async fn restart(&mut self, down_for: Duration) -> Result<()> {
        self.stop()?;
        tokio::time::sleep(down_for).await;
        self.start_again().await
    }

    /// Stops the node (SIGTERM); [`Node::start_again`] brings it back. Only a chain
    /// kept in a base path survives this.
    pub fn stop(&mut self) -> Result<()> {
        if self.base_path.is_none() {
            bail!("a --tmp chain does not survive a stop");
        }
        self.process.terminate();
        Ok(())
    }

    /// Starts a stopped node again on the same port and chain.
    pub async fn start_again(&mut self) -> Result<()> {
        let base = self
            .base_path
            .clone()
            .ok_or_else(|| anyhow!("a --tmp chain does not survive a stop"))?;
        let log_dir = self.log.parent().map(Path::to_path_buf).unwrap_or_default();
        *self = Self::start_on(self.port, Some(&base), &log_dir).await?;
        Ok(())
    }
}
