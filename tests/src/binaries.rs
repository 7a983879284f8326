//! The workspace's binaries (`livestars-indexer`, `livestars-api`) started as the
//! tests' processes, and the store they write watched.

use crate::process::{append, free_port, Process};
use anyhow::{bail, Result};
use livestars_indexer::store::Store;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
