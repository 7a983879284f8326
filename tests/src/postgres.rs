//! A throwaway PostgreSQL server of the tests' own.

use crate::process::{append, free_port, Process, TempDir};
use anyhow::{anyhow, bail, Context, Result};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
