//! Test harness: real processes only. It starts `substrate-contracts-node` on a free
//! loopback port, deploys the built LIVE contract with `scripts/deploy`, submits
//! calls with subxt, starts the `livestars-indexer` / `livestars-api` binaries and,
//! for PostgreSQL, a throwaway server of its own.

mod derived;
mod openapi;
pub mod signaling;

pub use derived::{assert_derived, DerivedTables};
pub use openapi::check_answer;

use anyhow::{anyhow, bail, Context, Result};
use livestars_indexer::config::{parse_account, Deployment};
use livestars_indexer::decode::AccountId;
use livestars_indexer::source::ChainSource;
use livestars_indexer::store::{RawEvent, Store};
use parity_scale_codec::{Decode, Encode};
use std::collections::HashMap;
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};
use subxt::backend::LegacyBackend;
use subxt::config::{PolkadotExtrinsicParamsBuilder, RpcConfigFor};
use subxt::dynamic::Value;
use subxt::rpcs::{LegacyRpcMethods, RpcClient};
use subxt::tx::TransactionStatus;
use subxt::utils::AccountId32;
use subxt::{OnlineClient, PolkadotConfig};
use subxt_signer::sr25519::Keypair;
use subxt_signer::SecretUri;

/// One LIVE in base units (12 decimals).
pub const LIVE: u128 = 1_000_000_000_000;

/// Gas limit of every contract call: well above what a tip with a fee and one split
/// uses (`scripts/contract-report`). Blocks are filled by these limits, so they
/// decide how many calls fit in one.
pub const CALL_REF_TIME: u64 = 16_000_000_000;
/// Proof-size limit of every contract call.
pub const CALL_PROOF_SIZE: u64 = 1_200_000;
/// Tips in one extrinsic that fill a block's normal-class weight with these limits
/// (measured on the dev node: one more is refused as exhausting the block).
pub const TIPS_PER_FULL_BLOCK: usize = 78;

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ has a parent")
        .to_path_buf()
}

/// Where `scripts/build-contracts` put the contracts' artifacts: `$LIVESTARS_ARTIFACTS`
/// as the scripts and the web build read it, else `target/contracts`.
pub fn artifacts() -> PathBuf {
    std::env::var_os("LIVESTARS_ARTIFACTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target/contracts"))
}

/// A loopback port nothing listens on right now.
pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

/// A fresh directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(tag: &str) -> Self {
        let path = std::env::temp_dir().join(format!(
            "livestars-{tag}-{}-{}",
            std::process::id(),
            free_port()
        ));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A child process killed (SIGKILL) when dropped.
pub struct Process(pub Child);

impl Process {
    /// SIGKILL, then reap.
    pub fn kill(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }

    /// SIGTERM, then reap (a clean stop).
    pub fn terminate(&mut self) {
        let _ = Command::new("kill").arg(self.0.id().to_string()).status();
        let _ = self.0.wait();
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

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

/// Deploys the LIVE contract with `scripts/deploy` (which lists //Alice as an 18+
/// verifier); returns the resolved deployment and the path of its JSON file (in `dir`).
pub fn deploy(node: &Node, dir: &Path) -> Result<(Deployment, PathBuf)> {
    let output = Command::new(root().join("scripts/deploy"))
        .arg(node.url())
        .output()
        .context("running scripts/deploy")?;
    if !output.status.success() {
        bail!(
            "scripts/deploy failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    let path = dir.join("livestars.json");
    std::fs::write(&path, &output.stdout)?;
    let args = livestars_indexer::config::ChainArgs {
        node_url: None,
        deployment: path.clone(),
        token: None,
        start_block: None,
    };
    Ok((args.resolve()?, path))
}

/// A dev keypair from a URI such as `//Alice`.
pub fn key(uri: &str) -> Keypair {
    let uri: SecretUri = uri.parse().expect("a valid URI");
    Keypair::from_uri(&uri).expect("a dev key")
}

/// The 32-byte account of a keypair.
pub fn account(key: &Keypair) -> AccountId {
    key.public_key().to_account_id().0
}

/// A keypair's account in SS58, as the API shows accounts.
pub fn ss58_of(key: &Keypair) -> String {
    livestars_indexer::config::ss58(&account(key))
}

/// Signs and submits calls to the LIVE contract, waiting for each to be in a block.
///
/// Through subxt's legacy backend only (`author_submitAndWatchExtrinsic`, plain
/// `chain_*`/`state_*` calls), as the indexer reads heads: subxt's default backend
/// watches transactions through a `chainHead_follow` subscription, which a busy node
/// ends ("chainHead_follow stream ended unexpectedly"); once it has, every
/// submission through that client fails.
pub struct Client {
    api: OnlineClient<PolkadotConfig>,
    legacy: LegacyRpcMethods<RpcConfigFor<PolkadotConfig>>,
    pub deployment: Deployment,
    /// Message selectors by label, from the built metadata.
    selectors: HashMap<String, Vec<u8>>,
    /// Reads of the contract's state (dry runs), over the same connection.
    source: ChainSource,
}

impl Client {
    /// Connects to `url`; message selectors come from the built metadata.
    pub async fn connect(url: &str, deployment: &Deployment) -> Result<Self> {
        let rpc = RpcClient::from_insecure_url(url).await?;
        let backend = LegacyBackend::<PolkadotConfig>::builder().build(rpc.clone());
        let api = OnlineClient::<PolkadotConfig>::from_backend(Arc::new(backend)).await?;
        let path = artifacts().join("live_token.json");
        let metadata: serde_json::Value = serde_json::from_slice(
            &std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?,
        )?;
        let mut selectors = HashMap::new();
        for message in metadata["spec"]["messages"]
            .as_array()
            .into_iter()
            .flatten()
        {
            let label = message["label"].as_str().unwrap_or_default().to_owned();
            let selector = message["selector"].as_str().unwrap_or_default();
            selectors.insert(label, hex::decode(selector.trim_start_matches("0x"))?);
        }
        Ok(Self {
            api,
            legacy: LegacyRpcMethods::new(rpc.clone()),
            deployment: deployment.clone(),
            selectors,
            source: ChainSource::from_rpc(rpc, deployment.live_token).await?,
        })
    }

    /// The answer of the query `message` with `args` in the best block's state.
    pub async fn read<T: Decode>(&self, message: &str, args: impl Encode) -> Result<T> {
        let mut input = self
            .selectors
            .get(message)
            .ok_or_else(|| anyhow!("no message {message} in live_token"))?
            .clone();
        args.encode_to(&mut input);
        // The best block, not the finalized one (about a second behind): a read
        // follows the caller's own last extrinsic.
        let best = self
            .legacy
            .chain_get_block_hash(None)
            .await?
            .ok_or_else(|| anyhow!("the node has no best block"))?;
        let data = self
            .source
            .dry_run_at(best.0, self.deployment.live_token, input)
            .await?;
        // ink! wraps every answer in `Result<T, LangError>`.
        let answer: std::result::Result<T, u8> = Decode::decode(&mut &data[..])?;
        answer.map_err(|e| anyhow!("{message}: the contract could not read the input ({e})"))
    }

    /// The `Contracts.call` of `message` with SCALE-encoded `args`, as a value that
    /// can be submitted alone or inside `Utility.batch_all`.
    pub fn call(&self, message: &str, args: impl Encode, value: u128) -> Value {
        let mut data = self
            .selectors
            .get(message)
            .unwrap_or_else(|| panic!("no message {message} in live_token"))
            .clone();
        args.encode_to(&mut data);
        Value::unnamed_variant(
            "Contracts",
            [Value::named_variant(
                "call",
                [
                    (
                        "dest",
                        Value::unnamed_variant(
                            "Id",
                            [Value::from_bytes(self.deployment.live_token)],
                        ),
                    ),
                    ("value", Value::u128(value)),
                    (
                        "gas_limit",
                        Value::named_composite([
                            ("ref_time", Value::u128(CALL_REF_TIME.into())),
                            ("proof_size", Value::u128(CALL_PROOF_SIZE.into())),
                        ]),
                    ),
                    ("storage_deposit_limit", Value::unnamed_variant("None", [])),
                    ("data", Value::from_bytes(data)),
                ],
            )],
        )
    }

    /// Submits `calls` from `signer` in one extrinsic (`Utility.batch_all`) and waits until it is in a block; fails if any call failed.
    /// Returns the block number.
    pub async fn submit(&self, signer: &Keypair, calls: Vec<Value>) -> Result<u32> {
        // One call or many: batch_all makes them one extrinsic that succeeds or
        // fails as a whole.
        let payload = subxt::dynamic::tx(
            "Utility",
            "batch_all",
            Value::named_composite([("calls", Value::unnamed_composite(calls))]),
        );
        let nonce = self
            .legacy
            .system_account_next_index(&AccountId32(account(signer)))
            .await?;
        let params = PolkadotExtrinsicParamsBuilder::<PolkadotConfig>::new()
            .nonce(nonce)
            .build();
        let mut progress = self
            .api
            .at_current_block()
            .await?
            .tx()
            .sign_and_submit_then_watch(&payload, signer, params)
            .await?;
        while let Some(status) = progress.next().await {
            match status? {
                TransactionStatus::InBestBlock(block)
                | TransactionStatus::InFinalizedBlock(block) => {
                    let hash = block.block_hash();
                    block
                        .wait_for_success()
                        .await
                        .map_err(|e| anyhow!("extrinsic failed: {e}"))?;
                    let header = self
                        .legacy
                        .chain_get_header(Some(hash))
                        .await?
                        .ok_or_else(|| anyhow!("no header for the inclusion block"))?;
                    return Ok(u32::try_from(header.number)?);
                }
                TransactionStatus::Error { message }
                | TransactionStatus::Invalid { message }
                | TransactionStatus::Dropped { message } => bail!("transaction: {message}"),
                _ => {}
            }
        }
        bail!("transaction status stream ended")
    }

    /// The finalized head's number.
    pub async fn finalized_head(&self) -> Result<u32> {
        let hash = self.legacy.chain_get_finalized_head().await?;
        let header = self
            .legacy
            .chain_get_header(Some(hash))
            .await?
            .ok_or_else(|| anyhow!("the finalized head has no header"))?;
        Ok(u32::try_from(header.number)?)
    }

    /// Waits until block `number` is finalized.
    pub async fn wait_finalized(&self, number: u32) -> Result<()> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.finalized_head().await? < number {
            if Instant::now() > deadline {
                bail!("block {number} not finalized in time");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Ok(())
    }

    // Calls of the LIVE contract, by meaning.

    pub fn register(&self, profile: [u8; 32], max_fee_bps: u16) -> Value {
        self.call("register", (profile, max_fee_bps), 0)
    }

    /// Attests (as an allow-listed verifier: //Alice after `scripts/deploy`) that
    /// `performer` is 18+, which tips to them need.
    pub fn attest(&self, performer: AccountId) -> Value {
        self.call("set_adult_attestation", (performer, true), 0)
    }

    /// Lists (`allowed`) or delists an 18+ verifier; the owner (//Alice) only.
    pub fn set_verifier(&self, verifier: AccountId, allowed: bool) -> Value {
        self.call("set_verifier", (verifier, allowed), 0)
    }

    pub fn transfer(&self, to: AccountId, amount: u128) -> Value {
        self.call("PSP22::transfer", (to, amount, Vec::<u8>::new()), 0)
    }

    /// A LIVE tip from the caller's own balance (no approval needed).
    pub fn tip(&self, performer: AccountId, amount: u128, memo: Option<[u8; 32]>) -> Value {
        self.call("tip", (performer, amount, memo), 0)
    }

    pub fn tip_native(&self, performer: AccountId, amount: u128) -> Value {
        self.call("tip_native", (performer, None::<[u8; 32]>), amount)
    }

    pub fn rate(&self, performer: AccountId, stars: u8) -> Value {
        self.call("rate", (performer, stars), 0)
    }

    /// A performer's private-show price per minute and availability.
    pub fn set_show_terms(&self, price_per_minute: u128, available: bool) -> Value {
        self.call("set_show_terms", (price_per_minute, available), 0)
    }

    pub fn open_show(&self, performer: AccountId, deposit: u128) -> Value {
        self.call("open_show", (performer, deposit), 0)
    }

    pub fn claim_show(&self, show_id: u64) -> Value {
        self.call("claim_show", show_id, 0)
    }

    pub fn end_show(&self, show_id: u64) -> Value {
        self.call("end_show", show_id, 0)
    }

    /// The open show between `viewer` and `performer`, if any.
    pub async fn open_show_between(
        &self,
        viewer: AccountId,
        performer: AccountId,
    ) -> Result<Option<u64>> {
        self.read("open_show_between", (viewer, performer)).await
    }

    /// A transfer of the chain's native currency (for fees), not a contract call.
    pub fn fund_native(&self, to: AccountId, amount: u128) -> Value {
        Value::unnamed_variant(
            "Balances",
            [Value::named_variant(
                "transfer_keep_alive",
                [
                    (
                        "dest",
                        Value::unnamed_variant("Id", [Value::from_bytes(to)]),
                    ),
                    ("value", Value::u128(amount)),
                ],
            )],
        )
    }
}

/// Every `ContractEmitted` of the LIVE contract from `from` to `to`, read straight
/// from the node: what the database must equal.
pub async fn chain_events(
    deployment: &Deployment,
    from: u32,
    to: u32,
) -> Result<Vec<(u32, RawEvent)>> {
    let source = ChainSource::connect(&deployment.node_url, deployment.live_token).await?;
    let mut events = Vec::new();
    for number in from..=to {
        let block = source.block(number).await?;
        events.extend(block.events.into_iter().map(|e| (number, e)));
    }
    Ok(events)
}

/// Waits until the database's checkpoint reaches `block`.
pub async fn wait_indexed(store: &Store, block: u32, timeout: Duration) -> Result<()> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(checkpoint) = store.checkpoint().await? {
            if checkpoint.block_number >= block {
                return Ok(());
            }
        }
        if Instant::now() > deadline {
            bail!("block {block} not indexed within {timeout:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Path of a workspace binary of the same build profile as the running executable
/// (a test in `target/<profile>/deps`, or a binary in `target/<profile>`).
pub fn binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("executable path");
    let mut dir = exe.parent().expect("target/<profile>");
    if dir.ends_with("deps") {
        dir = dir.parent().expect("target/<profile>");
    }
    let path = dir.join(name);
    assert!(
        path.exists(),
        "{} is not built: run `cargo build --workspace --bins` first",
        path.display()
    );
    path
}

/// Starts `livestars-indexer` (SIGKILL on drop) into `database_url`.
pub fn start_indexer(deployment_file: &Path, database_url: &str, log: &Path) -> Result<Process> {
    start_indexer_with(deployment_file, database_url, log, &[])
}

/// [`start_indexer`] with extra command-line flags.
pub fn start_indexer_with(
    deployment_file: &Path,
    database_url: &str,
    log: &Path,
    extra: &[&str],
) -> Result<Process> {
    let child = Command::new(binary("livestars-indexer"))
        .args(extra)
        .arg("--deployment")
        .arg(deployment_file)
        .arg("--database-url")
        .arg(database_url)
        .env("RUST_LOG", "info")
        .stdout(Stdio::null())
        .stderr(append(log)?)
        .spawn()?;
    Ok(Process(child))
}

/// Starts `livestars-api` (with its indexer) on a free port; returns it and its base URL.
pub async fn start_api(
    deployment_file: &Path,
    database_url: &str,
    log: &Path,
) -> Result<(Process, String)> {
    start_api_with(deployment_file, database_url, log, &[]).await
}

/// [`start_api`] with extra command-line flags.
pub async fn start_api_with(
    deployment_file: &Path,
    database_url: &str,
    log: &Path,
    extra: &[&str],
) -> Result<(Process, String)> {
    let port = free_port();
    let child = Command::new(binary("livestars-api"))
        .args(extra)
        .arg("--deployment")
        .arg(deployment_file)
        .arg("--database-url")
        .arg(database_url)
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--cors-origin")
        .arg("http://localhost:5173")
        .stdout(Stdio::null())
        .stderr(append(log)?)
        .spawn()?;
    let base = format!("http://127.0.0.1:{port}");
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if reqwest::get(format!("{base}/health")).await.is_ok() {
            return Ok((Process(child), base));
        }
        if Instant::now() > deadline {
            bail!("API did not start; see {}", log.display());
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

fn append(path: &Path) -> Result<std::fs::File> {
    Ok(std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?)
}

/// A throwaway PostgreSQL server on a free loopback port, stopped on drop.
pub struct Postgres {
    pub url: String,
    port: u16,
    data: PathBuf,
    process: Process,
    dir: TempDir,
}

impl Postgres {
    /// Starts a server with `initdb` + `postgres` from the installed PostgreSQL
    /// (`scripts/setup` installs Debian's package). Runs as user `postgres` when root.
    pub async fn start() -> Result<Self> {
        let dir = TempDir::new("pg");
        let data = dir.0.join("data");
        if is_root() {
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(&dir.0)
                .status()?;
        }
        let status = pg_command("initdb")?
            .args(["-A", "trust", "-U", "livestars", "-E", "UTF8", "-D"])
            .arg(&data)
            .stderr(Stdio::null())
            .status()
            .context("initdb")?;
        if !status.success() {
            bail!("initdb failed");
        }
        let port = free_port();
        let process = Self::spawn(&dir.0, &data, port)?;
        let server = Self {
            url: format!("postgres://livestars@127.0.0.1:{port}/postgres"),
            port,
            data,
            process,
            dir,
        };
        server.wait_ready().await?;
        Ok(server)
    }

    fn spawn(dir: &Path, data: &Path, port: u16) -> Result<Process> {
        let child = pg_command("postgres")?
            .arg("-D")
            .arg(data)
            .args(["-p", &port.to_string(), "-k"])
            .arg(dir)
            .args(["-c", "listen_addresses=127.0.0.1", "-c", "fsync=off"])
            .stderr(append(&dir.join("postgres.log"))?)
            .spawn()
            .context("postgres")?;
        Ok(Process(child))
    }

    async fn wait_ready(&self) -> Result<()> {
        sqlx::any::install_default_drivers();
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if sqlx::AnyPool::connect(&self.url).await.is_ok() {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!("PostgreSQL did not start");
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Stops the server: fast shutdown, which ends every client connection.
    /// (`pg_ctl`, since a signal to `runuser` would not reach the server.)
    pub fn stop(&mut self) {
        if let Ok(mut pg_ctl) = pg_command("pg_ctl") {
            let _ = pg_ctl
                .args(["stop", "-m", "fast", "-w", "-D"])
                .arg(&self.data)
                .stderr(Stdio::null())
                .status();
        }
        let _ = self.process.0.wait();
    }

    /// [`Postgres::stop`], wait `down_for`, and start again on the same data and port.
    pub async fn restart(&mut self, down_for: Duration) -> Result<()> {
        self.stop();
        tokio::time::sleep(down_for).await;
        self.process = Self::spawn(&self.dir.0, &self.data, self.port)?;
        self.wait_ready().await
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        self.stop();
    }
}

/// A command running a PostgreSQL program, as user `postgres` when we are root
/// (PostgreSQL refuses to run as root).
fn pg_command(program: &str) -> Result<Command> {
    let path = postgres_bin()?.join(program);
    let mut command = if is_root() {
        let mut c = Command::new("runuser");
        c.args(["-u", "postgres", "--"]).arg(path);
        c
    } else {
        Command::new(path)
    };
    command.stdout(Stdio::null());
    Ok(command)
}

fn postgres_bin() -> Result<PathBuf> {
    let mut versions: Vec<PathBuf> = std::fs::read_dir("/usr/lib/postgresql")
        .context("PostgreSQL is not installed (run scripts/setup)")?
        .filter_map(|e| e.ok().map(|e| e.path().join("bin")))
        .filter(|p| p.join("postgres").exists())
        .collect();
    versions.sort();
    versions
        .pop()
        .ok_or_else(|| anyhow!("no PostgreSQL server under /usr/lib/postgresql"))
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
        .unwrap_or(false)
}

/// Parses an SS58 account the API returned.
pub fn ss58_account(text: &str) -> AccountId {
    parse_account(text).expect("the API returns valid accounts")
}

/// Price per minute of //Bob's private shows in [`prepare_tipping`].
pub const SHOW_PRICE: u128 = 60 * LIVE;

/// Registers //Bob as a performer offering private shows at [`SHOW_PRICE`] and has
/// //Alice, the verifier, attest him, so that //Alice, who holds the LIVE supply, can
/// tip him and watch his shows: what [`Load`] and the fault tests use.
pub async fn prepare_tipping(client: &Client) -> Result<()> {
    let bob = key("//Bob");
    client
        .submit(
            &bob,
            vec![
                client.register([3; 32], 500),
                client.set_show_terms(SHOW_PRICE, true),
            ],
        )
        .await?;
    client
        .submit(&key("//Alice"), vec![client.attest(account(&bob))])
        .await?;
    Ok(())
}

/// What a [`Load`] did.
#[derive(Debug, Clone, Copy, Default)]
pub struct LoadReport {
    /// Tips in extrinsics that were confirmed in a block.
    pub tips: usize,
    /// Blocks with confirmed tips.
    pub blocks: usize,
    /// Failed submissions and connection attempts (e.g. while the node was down),
    /// all retried: each failed submission is logged with its cause, failed
    /// connections once per distinct cause in a row.
    pub errors: usize,
}

/// Tips in the background: `per_block` tips from //Alice to //Bob in one extrinsic
/// (one block on the instant-seal node), then the next, `pace` apart, until stopped.
/// With [`Load::with_shows`], the last call of each extrinsic opens a private show
/// with //Bob instead, or ends the open one (as the chain says at the time), so every
/// kind of show event flows under the faults too.
/// A batch whose submission fails (e.g. while the node is down) is logged to stderr
/// with its cause and submitted again over a new connection, until it lands; so the
/// load keeps going across node restarts, and a load that tipped less than expected
/// says why. (A batch whose watcher failed after it was included lands twice; the
/// fault tests compare the index with the chain, not with these counts.) Needs
/// [`prepare_tipping`] first.
pub struct Load {
    stop: Arc<AtomicBool>,
    task: tokio::task::JoinHandle<LoadReport>,
}

impl Load {
    /// `per_block` tips per extrinsic.
    pub fn start(url: String, deployment: Deployment, per_block: usize, pace: Duration) -> Self {
        Self::spawn(url, deployment, per_block, pace, false)
    }

    /// `per_block` calls per extrinsic: tips, and last a show opened or ended.
    pub fn with_shows(
        url: String,
        deployment: Deployment,
        per_block: usize,
        pace: Duration,
    ) -> Self {
        Self::spawn(url, deployment, per_block, pace, true)
    }

    fn spawn(
        url: String,
        deployment: Deployment,
        per_block: usize,
        pace: Duration,
        shows: bool,
    ) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let stopping = stop.clone();
        let task = tokio::spawn(async move {
            let (alice, bob) = (key("//Alice"), account(&key("//Bob")));
            let mut report = LoadReport::default();
            let mut client = None;
            // Failed submissions of the batch in hand.
            let mut attempts = 0;
            // Failed connections since the last one that worked, and the last cause
            // logged (a node that is down refuses every 300 ms alike).
            let (mut refused, mut last_cause) = (0, String::new());
            while !stopping.load(Ordering::Relaxed) {
                if client.is_none() {
                    match Client::connect(&url, &deployment).await {
                        Ok(connected) => {
                            if refused > 0 {
                                eprintln!(
                                    "load: connected to {url} after {refused} failed attempts"
                                );
                            }
                            (refused, last_cause) = (0, String::new());
                            client = Some(connected);
                        }
                        Err(e) => {
                            report.errors += 1;
                            refused += 1;
                            let cause = format!("{e:#}");
                            if cause != last_cause {
                                eprintln!(
                                    "load: connecting to {url} failed (attempt {refused}; \
                                     the same again is not repeated): {cause}"
                                );
                                last_cause = cause;
                            }
                        }
                    }
                }
                let Some(connected) = &client else {
                    tokio::time::sleep(Duration::from_millis(300)).await;
                    continue;
                };
                // Amounts differ per tip (a retried batch keeps its amounts).
                let tips = per_block - usize::from(shows);
                let mut calls: Vec<Value> = (0..tips)
                    .map(|i| connected.tip(bob, LIVE + (report.tips + i) as u128, None))
                    .collect();
                if shows {
                    match connected.open_show_between(account(&alice), bob).await {
                        Ok(Some(show)) => calls.push(connected.end_show(show)),
                        Ok(None) => calls.push(connected.open_show(bob, 10 * SHOW_PRICE)),
                        Err(e) => {
                            report.errors += 1;
                            eprintln!("load: reading the open show failed: {e:#}; reconnecting");
                            client = None;
                            continue;
                        }
                    }
                }
                match connected.submit(&alice, calls).await {
                    Ok(_) => {
                        report.tips += tips;
                        report.blocks += 1;
                        attempts = 0;
                        tokio::time::sleep(pace).await;
                    }
                    Err(e) => {
                        report.errors += 1;
                        attempts += 1;
                        eprintln!(
                            "load: batch {} ({per_block} calls), attempt {attempts}, failed: {e:#}; \
                             retrying it on a new connection",
                            report.blocks + 1
                        );
                        client = None;
                        tokio::time::sleep(Duration::from_millis(300)).await;
                    }
                }
            }
            report
        });
        Self { stop, task }
    }

    /// Stops after the extrinsic in flight.
    pub async fn stop(self) -> LoadReport {
        self.stop.store(true, Ordering::Relaxed);
        self.task.await.unwrap_or_default()
    }
}
