//! `livestars-bench`: grows a reusable loaded chain, then measures the indexer and the
//! API against it and prints a table. Figures are medians over `--runs` fresh runs;
//! nothing here is a test and nothing asserts a speed. `scripts/bench` runs it in
//! release mode.

mod chain;
mod measure;
mod scale;
mod stats;

use anyhow::Result;
use chain::BenchChain;
use clap::{Parser, Subcommand};
use livestars_indexer::store::IndexedBlock;
use stats::median;
use std::path::PathBuf;
use std::time::Duration;

/// Benchmarks of the livestars indexer and API.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Cli {
    /// Where the loaded chain (node base path, deployment, load state) is kept.
    #[arg(long, env = "LIVESTARS_BENCH_DIR", default_value = "target/bench")]
    dir: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Grows the chain in `--dir` to at least `--tips` tips (the load generator).
    Chain {
        #[arg(long, default_value_t = 100_000)]
        tips: u64,
        #[arg(long, default_value_t = 20)]
        viewers: u32,
        #[arg(long, default_value_t = 10)]
        performers: u32,
    },
    /// Only the block-to-API latency (on a fresh chain of its own).
    Latency {
        #[arg(long, default_value_t = 30)]
        seconds: u64,
    },
    /// Only the ingest benchmark (decode + store, blocks pre-fetched) on the chain in
    /// `--dir`, as it is.
    Ingest(Repeat),
    /// Only the backfill benchmark on the chain in `--dir`, as it is.
    Backfill(Repeat),
    /// Every benchmark on the chain in `--dir` (grown to `--tips` first).
    All {
        #[arg(long, default_value_t = 100_000)]
        tips: u64,
        /// Fresh runs per figure; the table shows medians.
        #[arg(long, default_value_t = 1)]
        runs: usize,
        /// Tips indexed for the API benchmark: the chain's own when it has that many,
        /// else the chain's replicated under new block numbers.
        #[arg(long, default_value_t = 100_000)]
        api_tips: u64,
        /// Seconds of steady load for the latency benchmark.
        #[arg(long, default_value_t = 30)]
        latency_secs: u64,
        /// Seconds per URL for the HTTP load tool.
        #[arg(long, default_value_t = 15)]
        http_secs: u32,
    },
    /// The read routes at cam-site scale (issue 13): synthetic blocks of real encoded
    /// events committed through `Store::commit` (10 000 performers, 1M viewers, 10M
    /// tips at the largest size), then `wrk` on every read route of the API. Datasets
    /// are kept in `--dir`/scale and reused.
    Scale(scale::ScaleArgs),
}

/// Which databases a single benchmark runs on, and how often.
#[derive(Debug, clap::Args)]
struct Repeat {
    /// Fresh runs per database; the table shows medians.
    #[arg(long, default_value_t = 3)]
    runs: usize,
    #[arg(long, value_delimiter = ',', default_value = "sqlite,postgres")]
    databases: Vec<String>,
}

/// `wrk` on the leaderboard and on a performer's tips, served from `database` (or from
/// one replicated from `blocks` when it holds fewer than `tips` tips).
async fn api_rows(
    chain: &BenchChain,
    blocks: &[IndexedBlock],
    mut database: measure::Database,
    tips: u64,
    seconds: u32,
) -> Result<Vec<Row>> {
    let mut held = measure::tips_in(&database).await?;
    if held < tips {
        println!("== building a database with {tips} tips for the API benchmark");
        let (replicated, took) = measure::replicate(chain, blocks, tips).await?;
        println!("  built in {took:.0?}");
        database = replicated;
        held = measure::tips_in(&database).await?;
    }
    println!("== API throughput with {held} tips indexed");
    let (_api, base) = measure::serve(chain, &database).await?;
    let performer = livestars_indexer::config::ss58(&livestars_tests::account(
        &livestars_tests::key("//livestars/performer/0"),
    ));
    let mut rows = Vec::new();
    for (name, path) in [
        (
            "GET /v1/leaderboard",
            "/v1/leaderboard?by=support&window=all".to_owned(),
        ),
        (
            "GET /v1/performers/{a}/tips",
            format!("/v1/performers/{performer}/tips?limit=50"),
        ),
    ] {
        let figures = measure::wrk(&format!("{base}{path}"), 32, seconds)?;
        println!("  {name}: {:.0} req/s", figures.requests_per_s);
        rows.push(Row(
            format!("{name}, {held} tips"),
            format!(
                "{:.0} req/s, p50 {:.1} ms, p99 {:.1} ms (wrk, 32 connections)",
                figures.requests_per_s, figures.p50_ms, figures.p99_ms
            ),
        ));
    }
    Ok(rows)
}

/// The indexer binary backfilling the whole chain from the node into `kind`.
async fn backfill_row(chain: &BenchChain, kind: &str, runs: usize) -> Result<Row> {
    println!("== backfill from the node into {kind}, {runs} runs");
    let mut results = Vec::new();
    for run in 1..=runs {
        let r = measure::backfill(chain, kind).await?;
        println!(
            "  run {run}: {} events, {} blocks: {:.0} events/s, {:.1} blocks/s, peak {:.0} MiB",
            r.events, r.blocks, r.events_per_s, r.blocks_per_s, r.peak_mib
        );
        results.push(r);
    }
    let pick =
        |f: fn(&measure::Backfill) -> f64| median(&results.iter().map(f).collect::<Vec<_>>());
    Ok(Row(
        format!("backfill from node, {kind}"),
        format!(
            "{:.0} events/s, {:.1} blocks/s, peak {:.0} MiB ({} events)",
            pick(|r| r.events_per_s),
            pick(|r| r.blocks_per_s),
            pick(|r| r.peak_mib),
            results[0].events
        ),
    ))
}

/// Decode + store throughput into each of `databases`, with the blocks in memory.
async fn ingest_rows(
    chain: &BenchChain,
    blocks: &[IndexedBlock],
    databases: &[&str],
    runs: usize,
) -> Result<Vec<Row>> {
    println!("== ingest without the RPC (blocks pre-fetched), {runs} runs");
    let mut rows = Vec::new();
    for kind in databases {
        let mut rates = Vec::new();
        for run in 1..=runs {
            let rate = measure::ingest(chain, blocks, kind).await?;
            println!("  {kind} run {run}: {rate:.0} events/s");
            rates.push(rate);
        }
        rows.push(Row(
            format!("ingest only (decode + store), {kind}"),
            format!("{:.0} events/s", median(&rates)),
        ));
    }
    Ok(rows)
}

/// Block-to-API latency: 10 tips every 500 ms for `seconds`, on a fresh chain.
async fn latency_row(dir: &std::path::Path, seconds: u64) -> Result<Row> {
    println!("== block-to-API latency, {seconds} s of 10 tips every 500 ms");
    let latency_dir = dir.join("latency");
    std::fs::create_dir_all(&latency_dir)?;
    let latencies = measure::latency(&latency_dir, seconds, 10, Duration::from_millis(500)).await?;
    let (p50, p99) = measure::summary(&latencies);
    Ok(Row(
        "finalized block -> /v1/tips/stream".into(),
        format!(
            "median {p50:.0} ms, p99 {p99:.0} ms ({} tips)",
            latencies.len()
        ),
    ))
}

/// One line of the results table.
struct Row(String, String);

fn print_table(rows: &[Row]) {
    let width = rows.iter().map(|r| r.0.len()).max().unwrap_or(0);
    println!("\n{:width$}  result", "benchmark");
    println!("{}  {}", "-".repeat(width), "-".repeat(40));
    for Row(name, value) in rows {
        println!("{name:width$}  {value}");
    }
}

#[tokio::main]
async fn main() -> Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Chain {
            tips,
            viewers,
            performers,
        } => {
            let chain = BenchChain::open(&cli.dir).await?;
            chain.grow(tips, viewers, performers).await
        }
        Command::Scale(args) => scale::run(&cli.dir, &args).await,
        Command::Latency { seconds } => {
            let row = latency_row(&cli.dir, seconds).await?;
            print_table(&[row]);
            Ok(())
        }
        Command::Ingest(Repeat { runs, databases }) => {
            let chain = BenchChain::open(&cli.dir).await?;
            let blocks = measure::fetch_blocks(&chain).await?;
            let databases: Vec<&str> = databases.iter().map(String::as_str).collect();
            print_table(&ingest_rows(&chain, &blocks, &databases, runs).await?);
            Ok(())
        }
        Command::Backfill(Repeat { runs, databases }) => {
            let chain = BenchChain::open(&cli.dir).await?;
            let mut rows = Vec::new();
            for kind in &databases {
                rows.push(backfill_row(&chain, kind, runs).await?);
            }
            print_table(&rows);
            Ok(())
        }
        Command::All {
            tips,
            runs,
            api_tips,
            latency_secs,
            http_secs,
        } => {
            let mut rows = Vec::new();
            let chain = BenchChain::open(&cli.dir).await?;
            println!("== load: growing the chain to {tips} tips");
            chain.grow(tips, 20, 10).await?;
            // Read once (untimed): the ingest benchmark and, when it needs more tips
            // than the chain has, the API benchmark's replicated database use them.
            let blocks = measure::fetch_blocks(&chain).await?;

            for kind in ["sqlite", "postgres"] {
                rows.push(backfill_row(&chain, kind, runs).await?);
                if kind == "sqlite" {
                    // The SQLite backfill's database is the API benchmark's, unless
                    // more tips are asked for than the chain holds.
                    let database = measure::Database::Sqlite(chain.dir.join("bench.sqlite"));
                    rows.extend(api_rows(&chain, &blocks, database, api_tips, http_secs).await?);
                }
            }

            rows.extend(ingest_rows(&chain, &blocks, &["sqlite", "postgres"], runs).await?);
            rows.push(latency_row(&cli.dir, latency_secs).await?);
            print_table(&rows);
            Ok(())
        }
    }
}
