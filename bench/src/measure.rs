//! The measurements, each on fresh databases against a [`BenchChain`].

use crate::chain::BenchChain;
use crate::stats::{median, percentile};
use anyhow::{bail, Context, Result};
use futures::StreamExt;
use livestars_indexer::source::ChainSource;
use livestars_indexer::store::{IndexedBlock, Store};
use livestars_tests::{
    prepare_tipping, start_api, start_api_with, start_indexer, Client, Load, Node, Postgres,
    Process,
};
use std::collections::HashMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Blocks per commit, as the indexer commits while catching up.
const COMMIT_BATCH: usize = livestars_indexer::follow::DEFAULT_COMMIT_BATCH as usize;

/// Where a run stores: a fresh SQLite file, or a fresh PostgreSQL server.
pub enum Database {
    Sqlite(std::path::PathBuf),
    Postgres(Postgres),
}

impl Database {
    pub async fn fresh(kind: &str, dir: &Path) -> Result<Self> {
        match kind {
            "sqlite" => {
                let path = dir.join("bench.sqlite");
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
                Ok(Self::Sqlite(path))
            }
            "postgres" => Ok(Self::Postgres(Postgres::start().await?)),
            other => bail!("unknown database {other:?} (sqlite or postgres)"),
        }
    }

    pub fn url(&self) -> String {
        match self {
            Self::Sqlite(path) => format!("sqlite://{}", path.display()),
            Self::Postgres(server) => server.url.clone(),
        }
    }
}

/// Peak resident memory of a running process (VmHWM), in MiB.
fn peak_rss_mib(process: &Process) -> f64 {
    let status =
        std::fs::read_to_string(format!("/proc/{}/status", process.0.id())).unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .map_or(f64::NAN, |kib| kib / 1024.0)
}

async fn count_events(store: &Store) -> Result<u64> {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events")
        .fetch_one(store.pool())
        .await?;
    Ok(n as u64)
}

/// One backfill: events/s, blocks/s, peak MiB.
pub struct Backfill {
    pub events: u64,
    pub blocks: u32,
    pub events_per_s: f64,
    pub blocks_per_s: f64,
    pub peak_mib: f64,
}

/// Runs `livestars-indexer` from genesis to the finalized head into a fresh database,
/// timed from process start until the checkpoint reaches the head.
pub async fn backfill(chain: &BenchChain, kind: &str) -> Result<Backfill> {
    let client = Client::connect(&chain.node.url(), &chain.deployment).await?;
    let head = client.finalized_head().await?;
    let database = Database::fresh(kind, &chain.dir).await?;
    // Migrated here first, so the indexer does not race us creating the tables.
    let store = Store::connect(&database.url()).await?;
    let started = Instant::now();
    let indexer = start_indexer(
        &chain.deployment_file,
        &database.url(),
        &chain.dir.join("indexer.log"),
    )?;
    let mut peak = 0f64;
    loop {
        peak = peak.max(peak_rss_mib(&indexer));
        let at = store.checkpoint().await?.map(|c| c.block_number);
        if at >= Some(head) {
            break;
        }
        if started.elapsed() > Duration::from_secs(3600) {
            bail!("the backfill did not finish in an hour");
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let seconds = started.elapsed().as_secs_f64();
    drop(indexer);
    let events = count_events(&store).await?;
    Ok(Backfill {
        events,
        blocks: head + 1,
        events_per_s: events as f64 / seconds,
        blocks_per_s: f64::from(head + 1) / seconds,
        peak_mib: peak,
    })
}

/// Tips held by `database`.
pub async fn tips_in(database: &Database) -> Result<u64> {
    let store = Store::connect(&database.url()).await?;
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(store.pool())
        .await?;
    Ok(n as u64)
}

/// Every block from genesis to the finalized head, read once (not timed).
pub async fn fetch_blocks(chain: &BenchChain) -> Result<Vec<IndexedBlock>> {
    let source = ChainSource::connect(&chain.node.url(), chain.deployment.live_token).await?;
    let head = source.finalized_head().await?;
    let mut blocks = Vec::with_capacity(head as usize + 1);
    for number in 0..=head {
        blocks.push(source.block(number).await?);
    }
    Ok(blocks)
}

/// Decode + store only: commits pre-fetched `blocks` into a fresh database in
/// batches of the indexer's default size. Returns events/s.
pub async fn ingest(chain: &BenchChain, blocks: &[IndexedBlock], kind: &str) -> Result<f64> {
    let database = Database::fresh(kind, &chain.dir).await?;
    let store = Store::connect(&database.url()).await?;
    let head = blocks.last().map_or(0, |b| b.number);
    let events: usize = blocks.iter().map(|b| b.events.len()).sum();
    let started = Instant::now();
    for batch in blocks.chunks(COMMIT_BATCH) {
        store
            .commit(&chain.deployment.live_token, batch, head)
            .await?;
    }
    Ok(events as f64 / started.elapsed().as_secs_f64())
}

/// Block-to-API latency: on a fresh chain, tips arrive at a steady rate (`per_block`
/// tips every `pace`) while `livestars-api` indexes; for every tip on
/// `/v1/tips/stream`, the time since its block was first announced finalized to us.
/// Returns the latencies in ms.
pub async fn latency(
    dir: &Path,
    seconds: u64,
    per_block: usize,
    pace: Duration,
) -> Result<Vec<f64>> {
    let node = Node::start(None, dir).await?;
    let (deployment, file) = livestars_tests::deploy(&node, dir)?;
    let client = Client::connect(&node.url(), &deployment).await?;
    prepare_tipping(&client).await?;
    let database = Database::fresh("sqlite", dir).await?;
    let (_api, base) = start_api(&file, &database.url(), &dir.join("api.log")).await?;
    wait_ready(&base).await?;

    // When each block was first seen finalized.
    let finalized: Arc<Mutex<HashMap<u32, Instant>>> = Arc::default();
    let source = ChainSource::connect(&node.url(), deployment.live_token).await?;
    let mut heads = source.finalized_heads().await?;
    let seen = finalized.clone();
    let watcher = tokio::spawn(async move {
        while let Some(Ok(number)) = heads.next().await {
            let now = Instant::now();
            let mut seen = seen.lock().expect("lock");
            // Heads can skip numbers; the skipped blocks were finalized with this one.
            let from = seen.keys().max().map_or(number, |last| last + 1);
            for block in from..=number {
                seen.entry(block).or_insert(now);
            }
        }
    });

    let response = reqwest::get(format!("{base}/v1/tips/stream")).await?;
    let mut body = response.bytes_stream();
    let load = Load::start(node.url(), deployment.clone(), per_block, pace);
    let deadline = Instant::now() + Duration::from_secs(seconds);
    // (block, when its tip arrived); matched with the finalization times at the end,
    // when every block's notification has surely arrived.
    let (mut arrivals, mut buffer) = (Vec::new(), String::new());
    while Instant::now() < deadline {
        let Ok(Some(chunk)) = tokio::time::timeout(Duration::from_secs(5), body.next()).await
        else {
            continue;
        };
        let arrived = Instant::now();
        buffer.push_str(&String::from_utf8_lossy(&chunk?));
        while let Some(end) = buffer.find("\n\n") {
            let message: String = buffer.drain(..end + 2).collect();
            let block = message
                .lines()
                .find_map(|l| l.strip_prefix("id:"))
                .and_then(|id| id.trim().split('-').next()?.parse::<u32>().ok());
            arrivals.extend(block.map(|b| (b, arrived)));
        }
    }
    load.stop().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    watcher.abort();
    let finalized = finalized.lock().expect("lock");
    Ok(arrivals
        .iter()
        .filter_map(|(block, arrived)| {
            let at = finalized.get(block)?;
            Some(arrived.saturating_duration_since(*at).as_secs_f64() * 1000.0)
        })
        .collect())
}

async fn wait_ready(base: &str) -> Result<()> {
    let deadline = Instant::now() + Duration::from_secs(600);
    while Instant::now() < deadline {
        if let Ok(response) = reqwest::get(format!("{base}/ready")).await {
            if response.status().is_success() {
                return Ok(());
            }
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    bail!("the API did not catch up")
}

/// Builds a database holding at least `tips` tips for the API benchmark: the loaded
/// chain's events, replicated block by block under new block numbers through the
/// indexer's own commit path. Votes and removals are left out of the copies: they
/// report the supporter's previous state, which a copy would contradict, so the
/// replay would refuse them (tips only add stake and replay in any order).
/// Returns the database and the time it took.
pub async fn replicate(
    chain: &BenchChain,
    blocks: &[IndexedBlock],
    tips: u64,
) -> Result<(Database, Duration)> {
    use livestars_indexer::decode::{Rated, SupporterRemoved};
    const RATED: [u8; 32] = Rated::SIGNATURE;
    const SUPPORTER_REMOVED: [u8; 32] = SupporterRemoved::SIGNATURE;
    let database = Database::fresh("sqlite", &chain.dir).await?;
    let store = Store::connect(&database.url()).await?;
    let source: Vec<IndexedBlock> = blocks
        .iter()
        .map(|b| IndexedBlock {
            number: 0,
            hash: b.hash,
            events: b
                .events
                .iter()
                .filter(|e| {
                    !matches!(e.topics.first(), Some(topic) if [RATED, SUPPORTER_REMOVED].contains(topic))
                })
                .cloned()
                .collect(),
        })
        .collect();
    let tipped = |b: &IndexedBlock| {
        b.events
            .iter()
            .filter(|e| e.topics.first() == Some(&livestars_indexer::decode::Tipped::SIGNATURE))
            .count() as u64
    };
    let per_copy: u64 = source.iter().map(tipped).sum();
    if per_copy == 0 {
        bail!("the bench chain has no tips: run `livestars-bench chain` first");
    }
    // Keep the real blocks (with their votes) first, then the copies.
    let started = Instant::now();
    let live_token = chain.deployment.live_token;
    for batch in blocks.chunks(COMMIT_BATCH) {
        store.commit(&live_token, batch, 0).await?;
    }
    let (mut next, mut stored) = (blocks.len() as u32, per_copy);
    while stored < tips {
        for batch in source.chunks(COMMIT_BATCH) {
            let renumbered: Vec<IndexedBlock> = batch
                .iter()
                .map(|b| {
                    let block = IndexedBlock {
                        number: next,
                        ..b.clone()
                    };
                    next += 1;
                    block
                })
                .collect();
            store.commit(&live_token, &renumbered, next - 1).await?;
        }
        stored += per_copy;
    }
    Ok((database, started.elapsed()))
}

/// What an HTTP load tool measured on one URL.
pub struct HttpFigures {
    pub requests_per_s: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

/// Runs `wrk` (2 threads, `connections`, `seconds`) against `url`; fails if any
/// response was not 2xx.
pub fn wrk(url: &str, connections: u32, seconds: u32) -> Result<HttpFigures> {
    let run = wrk_run(url, connections, seconds, None, None)?;
    if run.non_2xx > 0 {
        bail!("{} requests to {url} failed", run.non_2xx);
    }
    Ok(HttpFigures {
        requests_per_s: run.requests_per_s,
        p50_ms: run.p50_ms,
        p99_ms: run.p99_ms,
    })
}

/// Everything one `wrk` run printed that a table needs.
#[derive(Debug, Clone)]
pub struct WrkRun {
    pub requests_per_s: f64,
    /// Latency percentiles of the completed requests (timeouts are not among them).
    pub p50_ms: f64,
    pub p99_ms: f64,
    /// Completed requests.
    pub requests: u64,
    pub non_2xx: u64,
    /// Requests that got no answer within the timeout.
    pub timeouts: u64,
}

/// Runs `wrk -t2 -c{connections} -d{seconds}s --latency [--timeout {timeout_s}s]
/// [--script {script}]` against `url` and reads its report.
pub fn wrk_run(
    url: &str,
    connections: u32,
    seconds: u32,
    timeout_s: Option<u32>,
    script: Option<&Path>,
) -> Result<WrkRun> {
    let mut command = Command::new("wrk");
    command.args([
        "-t2",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--latency",
    ]);
    if let Some(timeout) = timeout_s {
        command.arg("--timeout").arg(format!("{timeout}s"));
    }
    if let Some(script) = script {
        command.arg("--script").arg(script);
    }
    let output = command
        .arg(url)
        .stderr(Stdio::inherit())
        .output()
        .context("running wrk (scripts/bench installs Debian's wrk)")?;
    let text = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        bail!("wrk failed on {url}: {text}");
    }
    let field = |prefix: &str| {
        text.lines().find_map(|l| {
            l.trim()
                .strip_prefix(prefix)
                .map(str::trim)
                .map(str::to_owned)
        })
    };
    let ms = |value: Option<String>| -> Result<f64> {
        let value = value.context("wrk printed no latency distribution")?;
        let (number, factor) = if let Some(v) = value.strip_suffix("us") {
            (v, 0.001)
        } else if let Some(v) = value.strip_suffix("ms") {
            (v, 1.0)
        } else if let Some(v) = value.strip_suffix('m') {
            (v, 60_000.0)
        } else if let Some(v) = value.strip_suffix('s') {
            (v, 1000.0)
        } else {
            bail!("wrk latency {value:?}")
        };
        Ok(number.parse::<f64>()? * factor)
    };
    // "  1234 requests in 10.01s, 5.67MB read"
    let requests = text
        .lines()
        .find_map(|l| {
            let (n, rest) = l.trim().split_once(' ')?;
            rest.starts_with("requests in")
                .then(|| n.parse::<u64>().ok())?
        })
        .context("wrk printed no request count")?;
    // "  Socket errors: connect 0, read 0, write 0, timeout 12"
    let timeouts = field("Socket errors:")
        .and_then(|errors| {
            errors
                .split(',')
                .find_map(|e| e.trim().strip_prefix("timeout ")?.parse::<u64>().ok())
        })
        .unwrap_or(0);
    let non_2xx = field("Non-2xx or 3xx responses:")
        .map(|n| n.parse::<u64>())
        .transpose()?
        .unwrap_or(0);
    Ok(WrkRun {
        requests_per_s: field("Requests/sec:")
            .context("wrk printed no Requests/sec")?
            .parse()?,
        p50_ms: ms(field("50%"))?,
        p99_ms: ms(field("99%"))?,
        requests,
        non_2xx,
        timeouts,
    })
}

/// The API process serving `database` without indexing (the index is complete).
pub async fn serve(chain: &BenchChain, database: &Database) -> Result<(Process, String)> {
    let (process, base) = start_api_with(
        &chain.deployment_file,
        &database.url(),
        &chain.dir.join("api.log"),
        &["--no-indexer"],
    )
    .await?;
    wait_ready(&base).await?;
    Ok((process, base))
}

/// Median and 99th percentile of `values`, rounded for the table.
pub fn summary(values: &[f64]) -> (f64, f64) {
    (median(values), percentile(values, 99.0))
}
