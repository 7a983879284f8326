//! `livestars-bench scale`: the API's read routes on a dataset shaped like a cam site
//! (tracker issue 13), at several sizes, so the table shows how each route's cost
//! grows with the number of performers, viewers and tips.
//!
//! The dataset is made of **synthetic blocks holding real encoded events** of the LIVE
//! contract, exactly as the chain would carry them (ink! 5: the signature topic, then
//! each `#[ink(topic)]` field; the data is the SCALE encoding of every field), laid
//! out by `livestars_indexer::encode` (the inverse of `decode`, round-trip tested
//! there), and the blocks go through the indexer's own commit path
//! (`Store::commit`, which replays the rating), so the database is what the indexer
//! would have written for that chain. No node runs.
//!
//! What a dataset holds, in chain order:
//! - block 1: the instantiation's `PlatformFeeAnnounced` (2.5% to a treasury) and
//!   `ParamsAnnounced` (version 1, the launch parameters), then a `VerifierChanged`
//!   listing one 18+ verifier;
//! - `PerformerRegistered` + `AdultAttestationChanged` for every performer, whose
//!   commitment is that of a synthetic public profile (a stage name of 2 to 5
//!   syllables, 1 to 4 of 30 tags, 1 or 2 of 10 languages), published through the
//!   store once the blocks are in, so search and filters run on a cam site's shape;
//! - the tips: `Tipped` only (a real LIVE tip also emits PSP22 `Transfer`s; they are
//!   left out, see `docs/PERFORMANCE.md`), from `viewers` distinct viewers to performers
//!   drawn from a Zipf law (s = 1.1: a few performers take most tips), in blocks spread
//!   evenly over the 30 days that end when the build starts, plus `Rated` events
//!   (1 tip in 20 is followed by its viewer's vote of 1 to 5 stars).
//!
//! Everything is drawn from a seeded PRNG, so a dataset is the same on every machine.
//! A finished dataset is marked by a small JSON file beside it and reused by later
//! runs with the same parameters; only the measurement runs again.

use crate::measure::{self, WrkRun};
use anyhow::{bail, ensure, Context, Result};
use livestars_indexer::config::ss58;
use livestars_indexer::decode::{
    AccountId, AdultAttestationChanged, LiveEvent, ParamsAnnounced, PerformerRegistered,
    PlatformFeeAnnounced, Rated, Tipped, VerifierChanged,
};
use livestars_indexer::fixtures::{self, FEE_BPS};
use livestars_indexer::profile::Profile;
use livestars_indexer::store::{IndexedBlock, RawEvent, Store};
use livestars_tests::{free_port, Process};
use rating_formula::Params;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Bumped whenever the generator changes what it writes, so old datasets are rebuilt.
const FORMAT: u32 = 3;
/// LIVE has 12 decimals.
const LIVE: u128 = 1_000_000_000_000;
/// The most a performer accepts to lose to fee and stake (they register with this).
const MAX_FEE_BPS: u16 = 500;
const HOUR_MS: u64 = 3_600_000;
const DAYS: u64 = 30;
/// Zipf exponent of the tips' performers.
const ZIPF_S: f64 = 1.1;
/// Performers registered per block.
const REGISTRATIONS_PER_BLOCK: u32 = 1_000;
/// Recent supporters remembered per performer; a returning viewer tips one of them
/// with probability [`LOYALTY`], else any viewer seen so far.
const LOYAL_RING: usize = 64;
const LOYALTY: f64 = 0.6;

/// `livestars-bench scale` flags.
#[derive(Debug, Clone, clap::Args)]
pub struct ScaleArgs {
    /// Sizes to measure, in registered performers; each gets 100 viewers and 1 000 tips
    /// per performer (100 -> 10k viewers, 100k tips; 10 000 -> 1M viewers, 10M tips).
    #[arg(long, value_delimiter = ',', default_value = "100,1000,10000")]
    pub scale: Vec<u32>,
    /// One size only: this many performers (overrides `--scale`).
    #[arg(long)]
    pub performers: Option<u32>,
    /// Distinct viewers (default: 100 per performer).
    #[arg(long)]
    pub viewers: Option<u32>,
    /// Tips (default: 1 000 per performer).
    #[arg(long)]
    pub tips: Option<u64>,
    /// Database URL for a single size (default: a SQLite file under
    /// `--dir`/scale/p{performers}-v{viewers}-t{tips}/).
    #[arg(long)]
    pub database: Option<String>,
    /// The API binary to measure (default: `livestars-api` beside this binary).
    #[arg(long)]
    pub api_bin: Option<PathBuf>,
    /// Only measure: fail instead of building a missing dataset.
    #[arg(long, conflicts_with = "rebuild")]
    pub reuse: bool,
    /// Build the datasets afresh even when a matching one exists.
    #[arg(long)]
    pub rebuild: bool,
    /// Only build (or check) the datasets; measure nothing.
    #[arg(long)]
    pub build_only: bool,
    /// Seconds of `wrk` per route.
    #[arg(long, default_value_t = 10)]
    pub seconds: u32,
    /// `wrk` connections.
    #[arg(long, default_value_t = 32)]
    pub connections: u32,
    /// Most tips per block (smaller datasets use smaller blocks, so that there is
    /// at least one block per hour of the 30 days).
    #[arg(long, default_value_t = 2_000)]
    pub block_tips: u32,
    /// Events per `Store::commit` (whole blocks; the indexer's default batch of 512
    /// full blocks is about 230 000 events).
    #[arg(long, default_value_t = 200_000)]
    pub commit_events: usize,
    /// Seed of the generator.
    #[arg(long, default_value_t = 13)]
    pub seed: u64,
}

/// What a dataset is made of; two datasets with the same spec are identical (but for
/// their timestamps, which end when the build started).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Spec {
    pub format: u32,
    pub performers: u32,
    pub viewers: u32,
    pub tips: u64,
    pub block_tips: u32,
    pub seed: u64,
}

/// The marker written beside a finished dataset: its spec and what the table needs.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Marker {
    pub spec: Spec,
    pub database: String,
    /// The LIVE contract the events come from (hex).
    pub live_token: String,
    /// The tips' time range, ms since the epoch.
    pub first_tip_ms: u64,
    pub last_tip_ms: u64,
    pub last_block: u32,
    pub events: u64,
    pub ratings: u64,
    pub build_secs: f64,
    /// Most tipped performer (SS58) and their number of tips.
    pub top_performer: String,
    pub top_performer_tips: u64,
    /// The viewer with the most tips (SS58) and their number of tips.
    pub sample_viewer: String,
    pub sample_viewer_tips: u64,
    /// When the build finished (RFC 3339-ish, UTC seconds).
    pub built_at: u64,
}

/// One size's figures.
struct ScaleResult {
    spec: Spec,
    marker: Marker,
    reused: bool,
    disk_bytes: Option<u64>,
    routes: Vec<(String, RouteResult)>,
    vm_hwm_mib: f64,
    vm_rss_mib: f64,
    loadavg: String,
}

struct RouteResult {
    /// The check request, alone, before `wrk`.
    first_ms: f64,
    /// How long `wrk` ran.
    seconds: u32,
    /// Figures, or why there are none.
    outcome: Result<WrkRun, String>,
}

/// `wrk --timeout`, seconds.
const TIMEOUT_S: u32 = 30;
/// A route that answers fewer requests than there are connections in `--seconds` is
/// measured again for this long.
const LONG_RUN_S: u32 = 60;

/// Runs `livestars-bench scale`.
pub async fn run(dir: &Path, args: &ScaleArgs) -> Result<()> {
    let sizes: Vec<u32> = match args.performers {
        Some(p) => vec![p],
        None => args.scale.clone(),
    };
    ensure!(!sizes.is_empty(), "no sizes given");
    if sizes.len() > 1 && (args.database.is_some() || args.viewers.is_some() || args.tips.is_some())
    {
        bail!("--database, --viewers and --tips apply to one size: pass --performers too");
    }
    let api_bin = match &args.api_bin {
        Some(path) => path.clone(),
        None => sibling("livestars-api")?,
    };
    if !args.build_only {
        ensure!(
            api_bin.is_file(),
            "no API binary at {} (build it, or pass --api-bin)",
            api_bin.display()
        );
        ensure!(
            Command::new("wrk").arg("--version").output().is_ok(),
            "wrk is not installed (apt-get install -y wrk; scripts/bench installs it)"
        );
        println!("API binary: {}", api_bin.display());
    }

    let mut results = Vec::new();
    for performers in sizes {
        let spec = Spec {
            format: FORMAT,
            performers,
            viewers: args
                .viewers
                .unwrap_or_else(|| performers.saturating_mul(100)),
            tips: args.tips.unwrap_or(u64::from(performers) * 1_000),
            block_tips: args.block_tips,
            seed: args.seed,
        };
        ensure!(
            spec.performers > 0 && spec.viewers > 0 && spec.tips >= u64::from(spec.viewers),
            "need performers > 0 and tips >= viewers > 0 (every viewer tips at least once)"
        );
        let folder = dir.join("scale").join(format!(
            "p{}-v{}-t{}",
            spec.performers, spec.viewers, spec.tips
        ));
        std::fs::create_dir_all(&folder)?;
        let database = args
            .database
            .clone()
            .unwrap_or_else(|| format!("sqlite://{}", folder.join("scale.sqlite").display()));
        let (marker, reused) = dataset(&folder, &database, spec, args).await?;
        let disk_bytes = sqlite_path(&database).map(|p| sqlite_bytes(&p));
        if let Some(bytes) = disk_bytes {
            println!("  database: {database} ({})", gib(bytes));
        }
        if args.build_only {
            continue;
        }
        let age_h = (now_ms().saturating_sub(marker.last_tip_ms)) as f64 / HOUR_MS as f64;
        if age_h > 6.0 {
            println!(
                "  WARNING: the newest tip is {age_h:.0} h old: the 24h/7d windows hold fewer \
                 tips than when the dataset was built; --rebuild for comparable figures"
            );
        }
        let measured = measure_api(&api_bin, &folder, &database, &marker, args).await?;
        results.push(ScaleResult {
            spec,
            marker,
            reused,
            disk_bytes,
            routes: measured.0,
            vm_hwm_mib: measured.1,
            vm_rss_mib: measured.2,
            loadavg: measured.3,
        });
    }
    if results.is_empty() {
        return Ok(());
    }
    let table = table(&results, args, &api_bin);
    println!("\n{table}");
    let saved = dir
        .join("scale")
        .join(format!("results-{}.md", now_ms() / 1000));
    std::fs::write(&saved, &table)?;
    println!("(saved to {})", saved.display());
    let failed: usize = results
        .iter()
        .map(|r| r.routes.iter().filter(|(_, x)| x.seconds == 0).count())
        .sum();
    ensure!(
        failed == 0,
        "{failed} route checks did not answer 200 (see the errors above)"
    );
    Ok(())
}

/// The dataset of `spec` at `database`: reused when its marker matches, else built.
async fn dataset(
    folder: &Path,
    database: &str,
    spec: Spec,
    args: &ScaleArgs,
) -> Result<(Marker, bool)> {
    let marker_path = marker_path(folder, database);
    let existing: Option<Marker> = std::fs::read_to_string(&marker_path)
        .ok()
        .and_then(|text| serde_json::from_str(&text).ok());
    let matching = existing.filter(|m| m.spec == spec && m.database == database);
    println!(
        "== {} performers, {} viewers, {} tips",
        spec.performers, spec.viewers, spec.tips
    );
    if let (Some(marker), false) = (&matching, args.rebuild) {
        println!(
            "  reusing the dataset built in {:.0} s ({})",
            marker.build_secs,
            marker_path.display()
        );
        return Ok((marker.clone(), true));
    }
    if args.reuse {
        bail!(
            "--reuse: no finished dataset for this size ({} missing or different)",
            marker_path.display()
        );
    }
    let _ = std::fs::remove_file(&marker_path);
    match sqlite_path(database) {
        Some(path) => {
            let ours = args.database.is_none();
            if path.exists() && !ours && !args.rebuild {
                bail!(
                    "{} exists but holds no finished dataset of these parameters: \
                     pass --rebuild to replace it",
                    path.display()
                );
            }
            for suffix in ["", "-wal", "-shm"] {
                let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
            }
        }
        None => {
            let store = Store::connect(database).await?;
            ensure!(
                store.checkpoint().await?.is_none(),
                "{database} is not empty: the scale dataset needs an empty database"
            );
        }
    }
    let marker = build(database, spec, args.commit_events).await?;
    std::fs::write(&marker_path, serde_json::to_string_pretty(&marker)?)?;
    Ok((marker, false))
}

fn marker_path(folder: &Path, database: &str) -> PathBuf {
    match sqlite_path(database) {
        Some(path) => PathBuf::from(format!("{}.scale.json", path.display())),
        None => folder.join("postgres.scale.json"),
    }
}

/// The file of a SQLite URL (or plain path); `None` for PostgreSQL.
fn sqlite_path(url: &str) -> Option<PathBuf> {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return None;
    }
    let path = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))
        .unwrap_or(url);
    Some(PathBuf::from(path.split('?').next().unwrap_or(path)))
}

/// Bytes of a SQLite database on disk, its WAL included.
fn sqlite_bytes(path: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|suffix| std::fs::metadata(format!("{}{suffix}", path.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn gib(bytes: u64) -> String {
    format!("{:.2} GiB", bytes as f64 / (1u64 << 30) as f64)
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

/// A binary beside this one (`target/release/…`).
fn sibling(name: &str) -> Result<PathBuf> {
    let exe = std::env::current_exe()?;
    let mut dir = exe.parent().context("executable path")?;
    if dir.ends_with("deps") {
        dir = dir.parent().context("executable path")?;
    }
    Ok(dir.join(name))
}

// ---------------------------------------------------------------- the dataset

/// Builds the dataset into the (empty) `database` through `Store::commit`.
async fn build(database: &str, spec: Spec, commit_events: usize) -> Result<Marker> {
    let store = Store::connect(database).await?;
    let end_ms = now_ms();
    let mut generator = Generator::new(spec, end_ms);
    let live_token = generator.live_token;
    let started = Instant::now();
    let mut pending: Vec<IndexedBlock> = Vec::new();
    let mut pending_events = 0usize;
    let (mut events, mut next_report) = (0u64, 1u64);
    let last_block = generator.last_block();
    println!(
        "  building: {} blocks, commits of about {commit_events} events",
        last_block
    );
    while let Some(block) = generator.next_block() {
        pending_events += block.events.len();
        pending.push(block);
        let done = generator.tips_done >= spec.tips;
        if pending_events >= commit_events || done {
            store.commit(&live_token, &pending, last_block).await?;
            events += pending_events as u64;
            pending.clear();
            pending_events = 0;
        }
        // Progress every ~10% of the tips.
        if pending.is_empty() && generator.tips_done * 10 >= next_report * spec.tips {
            let secs = started.elapsed().as_secs_f64();
            println!(
                "  {:>3}%: {} tips, {} events in {:.0} s ({:.0} events/s, {:.0} tips/s)",
                generator.tips_done * 100 / spec.tips,
                generator.tips_done,
                events,
                secs,
                events as f64 / secs,
                generator.tips_done as f64 / secs
            );
            next_report = generator.tips_done * 10 / spec.tips + 1;
        }
    }
    ensure!(pending.is_empty(), "uncommitted blocks left");
    let build_secs = started.elapsed().as_secs_f64();
    println!(
        "  built in {build_secs:.0} s: {events} events ({:.0} events/s, {:.0} tips/s)",
        events as f64 / build_secs,
        spec.tips as f64 / build_secs
    );
    let publishing = Instant::now();
    for (performer, profile) in generator.performers.iter().zip(&generator.profiles) {
        ensure!(
            store.put_profile(performer, profile, None).await?,
            "a synthetic profile was refused"
        );
    }
    println!(
        "  published {} profiles in {:.0} s",
        generator.profiles.len(),
        publishing.elapsed().as_secs_f64()
    );

    // What the store says it holds must be what was generated.
    let count = |sql: &'static str| {
        let pool = store.pool().clone();
        async move {
            let n: i64 = sqlx::query_scalar(sql).fetch_one(&pool).await?;
            anyhow::Ok(n as u64)
        }
    };
    let stored_tips = count("SELECT COUNT(*) FROM events WHERE viewer IS NOT NULL").await?;
    let stored_performers = count("SELECT COUNT(*) FROM performers").await?;
    let stored_viewers = count("SELECT COUNT(DISTINCT viewer) FROM supporters").await?;
    let stored_events = count("SELECT COUNT(*) FROM events").await?;
    let unknown = count("SELECT COUNT(*) FROM events WHERE name = 'unknown'").await?;
    ensure!(
        (
            stored_tips,
            stored_performers,
            stored_viewers,
            stored_events,
            unknown
        ) == (
            spec.tips,
            u64::from(spec.performers),
            u64::from(spec.viewers),
            events,
            0
        ),
        "the store holds {stored_tips} tips, {stored_performers} performers, \
         {stored_viewers} viewers, {stored_events} events ({unknown} undecoded); expected \
         {}, {}, {}, {events}, 0",
        spec.tips,
        spec.performers,
        spec.viewers
    );
    if database.starts_with("sqlite") || sqlite_path(database).is_some() {
        // Fold the WAL into the file, so its size is the database's.
        sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
            .execute(store.pool())
            .await?;
    }
    store.pool().close().await;

    let top = generator.top_performer();
    let sample = generator.top_viewer();
    println!(
        "  top performer: {} tips ({:.1}% of all); busiest viewer: {} tips; {} ratings",
        top.1,
        top.1 as f64 * 100.0 / spec.tips as f64,
        sample.1,
        generator.ratings
    );
    Ok(Marker {
        spec,
        database: database.to_owned(),
        live_token: hex(&live_token),
        first_tip_ms: generator.first_tip_ms(),
        last_tip_ms: generator.last_tip_ms(),
        last_block,
        events,
        ratings: generator.ratings,
        build_secs,
        top_performer: ss58(&top.0),
        top_performer_tips: top.1,
        sample_viewer: ss58(&sample.0),
        sample_viewer_tips: sample.1,
        built_at: now_ms() / 1000,
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// splitmix64: small, fast, good enough for synthetic data, and the same everywhere.
/// Syllables of the synthetic stage names, tags and languages of the profiles.
const SYLLABLES: [&str; 24] = [
    "ka", "mi", "lu", "na", "ro", "sa", "vi", "el", "la", "to", "ri", "an", "jo", "ze", "ma", "li",
    "da", "no", "ve", "ra", "ty", "sha", "bel", "kim",
];
const TAGS: [&str; 30] = [
    "music", "dance", "chat", "fitness", "cosplay", "gaming", "art", "cooking", "yoga", "asmr",
    "comedy", "fashion", "travel", "books", "poetry", "guitar", "piano", "singing", "makeup",
    "tattoos", "outdoor", "couple", "mature", "student", "goth", "latina", "bbw", "petite",
    "fetish", "roleplay",
];
const LANGUAGES: [&str; 10] = [
    "en", "es", "pt-BR", "pt-PT", "de", "fr", "it", "ru", "ja", "ro",
];

/// A performer's public profile, drawn from `rng`.
fn synthetic_profile(rng: &mut Rng) -> Profile {
    let word = |rng: &mut Rng, syllables: u64| {
        let text: String = (0..syllables)
            .map(|_| SYLLABLES[rng.below(SYLLABLES.len() as u64) as usize])
            .collect();
        let mut chars = text.chars();
        chars.next().map_or_else(String::new, |first| {
            first.to_uppercase().chain(chars).collect()
        })
    };
    let syllables = 2 + rng.below(2);
    let mut stage_name = word(rng, syllables);
    if rng.below(2) == 0 {
        let syllables = 1 + rng.below(2);
        stage_name = format!("{stage_name} {}", word(rng, syllables));
    }
    let pick = |rng: &mut Rng, from: &[&str], most: u64| {
        let count = 1 + rng.below(most);
        let mut chosen: Vec<String> = (0..count)
            .map(|_| from[rng.below(from.len() as u64) as usize].to_owned())
            .collect();
        chosen.sort();
        chosen.dedup();
        chosen
    };
    Profile {
        age_range: None,
        avatar: None,
        bio: String::new(),
        gender: None,
        languages: pick(rng, &LANGUAGES, 2),
        message_key: None,
        stream: None,
        schedule: None,
        stage_name,
        tags: pick(rng, &TAGS, 4),
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [0, n).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }

    fn bytes32(&mut self) -> [u8; 32] {
        let mut out = [0u8; 32];
        for chunk in out.chunks_mut(8) {
            chunk.copy_from_slice(&self.next().to_le_bytes());
        }
        out
    }
}

/// A distinct account per (kind, index), derived from the seed.
fn account(seed: u64, kind: u64, index: u64) -> AccountId {
    Rng(seed ^ kind.wrapping_mul(0x5851_f42d_4c95_7f2d) ^ index.wrapping_mul(0x2545_f491_4f6c_dd1d))
        .bytes32()
}

const KIND_TOKEN: u64 = 1;
const KIND_TREASURY: u64 = 2;
const KIND_VERIFIER: u64 = 3;
const KIND_PERFORMER: u64 = 4;
const KIND_VIEWER: u64 = 5;
const KIND_HASH: u64 = 6;

/// Draws the dataset block by block.
struct Generator {
    spec: Spec,
    rng: Rng,
    live_token: AccountId,
    treasury: AccountId,
    verifier: AccountId,
    performers: Vec<AccountId>,
    /// Each performer's public profile, committed to at registration.
    profiles: Vec<Profile>,
    /// Zipf rank -> performer index (shuffled, so the busiest are not the first accounts).
    by_rank: Vec<u32>,
    /// Cumulative Zipf weights of the ranks, ending at 1.
    zipf: Vec<f64>,
    /// Each performer's typical stars (1..=5).
    quality: Vec<u8>,
    /// Each performer's last supporters (ring buffers) and their fill.
    loyal: Vec<[u32; LOYAL_RING]>,
    loyal_len: Vec<u32>,
    /// The stars each (performer, viewer) gave last.
    votes: HashMap<(u32, u32), u8>,
    performer_tips: Vec<u64>,
    viewer_tips: Vec<u32>,
    /// Block numbers: 1 instantiation, then registrations, then tips.
    block: u32,
    tip_blocks: u32,
    tips_per_block: u64,
    tips_done: u64,
    ratings: u64,
    start_ms: u64,
    end_ms: u64,
}

impl Generator {
    fn new(spec: Spec, end_ms: u64) -> Self {
        let mut rng = Rng(spec.seed);
        let seed = spec.seed;
        let p = spec.performers as usize;
        let performers: Vec<AccountId> = (0..p)
            .map(|i| account(seed, KIND_PERFORMER, i as u64))
            .collect();
        let mut by_rank: Vec<u32> = (0..spec.performers).collect();
        for i in (1..p).rev() {
            let j = rng.below(i as u64 + 1) as usize;
            by_rank.swap(i, j);
        }
        let mut zipf: Vec<f64> = (1..=p).map(|k| (k as f64).powf(-ZIPF_S)).collect();
        let mut sum = 0.0;
        for w in &mut zipf {
            sum += *w;
            *w = sum;
        }
        for w in &mut zipf {
            *w /= sum;
        }
        let quality = (0..p).map(|_| 1 + rng.below(5) as u8).collect();
        let profiles = (0..p).map(|_| synthetic_profile(&mut rng)).collect();
        // At least one block per hour of the 30 days, at most `block_tips` tips each.
        let hours = DAYS * 24;
        let tips_per_block = spec
            .tips
            .div_ceil(hours)
            .min(u64::from(spec.block_tips))
            .max(1);
        let tip_blocks = spec.tips.div_ceil(tips_per_block) as u32;
        Self {
            spec,
            rng,
            live_token: account(seed, KIND_TOKEN, 0),
            treasury: account(seed, KIND_TREASURY, 0),
            verifier: account(seed, KIND_VERIFIER, 0),
            performers,
            profiles,
            by_rank,
            zipf,
            quality,
            loyal: vec![[0; LOYAL_RING]; p],
            loyal_len: vec![0; p],
            votes: HashMap::new(),
            performer_tips: vec![0; p],
            viewer_tips: vec![0; spec.viewers as usize],
            block: 0,
            tip_blocks,
            tips_per_block,
            tips_done: 0,
            ratings: 0,
            start_ms: end_ms - DAYS * 24 * HOUR_MS,
            end_ms,
        }
    }

    fn registration_blocks(&self) -> u32 {
        self.spec.performers.div_ceil(REGISTRATIONS_PER_BLOCK)
    }

    fn last_block(&self) -> u32 {
        1 + self.registration_blocks() + self.tip_blocks
    }

    /// Block time of the `n`-th tip block (0-based): evenly spaced, the last at the end.
    fn tip_block_ms(&self, n: u32) -> u64 {
        let span = self.end_ms - self.start_ms;
        self.start_ms + span * (u64::from(n) + 1) / u64::from(self.tip_blocks)
    }

    fn first_tip_ms(&self) -> u64 {
        self.tip_block_ms(0)
    }

    fn last_tip_ms(&self) -> u64 {
        self.tip_block_ms(self.tip_blocks - 1)
    }

    fn top_performer(&self) -> (AccountId, u64) {
        let (index, tips) = self
            .performer_tips
            .iter()
            .enumerate()
            .max_by_key(|(i, t)| (**t, std::cmp::Reverse(*i)))
            .expect("performers");
        (self.performers[index], *tips)
    }

    fn top_viewer(&self) -> (AccountId, u64) {
        let (index, tips) = self
            .viewer_tips
            .iter()
            .enumerate()
            .max_by_key(|(i, t)| (**t, std::cmp::Reverse(*i)))
            .expect("viewers");
        (
            account(self.spec.seed, KIND_VIEWER, index as u64),
            u64::from(*tips),
        )
    }

    fn next_block(&mut self) -> Option<IndexedBlock> {
        self.block += 1;
        let number = self.block;
        let registrations = self.registration_blocks();
        let events = if number == 1 {
            self.instantiation()
        } else if number <= 1 + registrations {
            self.registrations(number - 2)
        } else if number <= self.last_block() {
            self.tips(number - 2 - registrations)
        } else {
            return None;
        };
        Some(IndexedBlock {
            number,
            hash: account(self.spec.seed, KIND_HASH, u64::from(number)),
            events,
        })
    }

    /// The constructor's announcements (an hour before the tips start) and one verifier.
    fn instantiation(&mut self) -> Vec<RawEvent> {
        let at = self.start_ms - HOUR_MS;
        let token = self.live_token;
        let fee = LiveEvent::PlatformFeeAnnounced(PlatformFeeAnnounced {
            treasury: self.treasury,
            fee_bps: FEE_BPS,
            effective_at: at,
        });
        let params = LiveEvent::ParamsAnnounced(ParamsAnnounced {
            version: 1,
            params: Params::LAUNCH,
            effective_at: at,
        });
        let verifier = LiveEvent::VerifierChanged(VerifierChanged {
            verifier: self.verifier,
            allowed: true,
        });
        let (fee, params, verifier) = (
            fixtures::emitted_at(token, &fee, 0, 1),
            fixtures::emitted_at(token, &params, 1, 1),
            fixtures::emitted_at(token, &verifier, 2, 2),
        );
        vec![fee, params, verifier]
    }

    /// Registration and 18+ attestation of the `n`-th thousand of performers.
    fn registrations(&mut self, n: u32) -> Vec<RawEvent> {
        let first = n * REGISTRATIONS_PER_BLOCK;
        let last = (first + REGISTRATIONS_PER_BLOCK).min(self.spec.performers);
        let mut events = Vec::new();
        for (k, i) in (first..last).enumerate() {
            let performer = self.performers[i as usize];
            let profile = self.profiles[i as usize].commitment();
            let k = k as u32;
            events.push(fixtures::emitted_at(
                self.live_token,
                &LiveEvent::PerformerRegistered(PerformerRegistered {
                    performer,
                    profile,
                    max_fee_bps: MAX_FEE_BPS,
                }),
                2 * k,
                2 * k + 1,
            ));
            events.push(fixtures::emitted_at(
                self.live_token,
                &LiveEvent::AdultAttestationChanged(AdultAttestationChanged {
                    performer,
                    verifier: self.verifier,
                    adult: true,
                }),
                2 * k + 1,
                2 * k + 2,
            ));
        }
        events
    }

    /// A performer index by Zipf rank.
    fn draw_performer(&mut self) -> u32 {
        let u = self.rng.unit();
        let rank = self
            .zipf
            .partition_point(|c| *c < u)
            .min(self.zipf.len() - 1);
        self.by_rank[rank]
    }

    /// The viewer of tip number `i`: a new one when the count of viewers seen so far
    /// must grow (so exactly `viewers` distinct viewers tip, arriving evenly over the
    /// 30 days), else a returning one, often one of the performer's recent supporters.
    fn draw_viewer(&mut self, i: u64, performer: u32) -> u32 {
        let (v, t) = (u128::from(self.spec.viewers), u128::from(self.spec.tips));
        let seen = (u128::from(i) * v).div_ceil(t) as u32;
        let after = (u128::from(i + 1) * v).div_ceil(t) as u32;
        if after > seen {
            return seen;
        }
        let ring = performer as usize;
        let filled = self.loyal_len[ring] as usize;
        if filled > 0 && self.rng.unit() < LOYALTY {
            let slot = self.rng.below(filled.min(LOYAL_RING) as u64) as usize;
            return self.loyal[ring][slot];
        }
        self.rng.below(u64::from(seen)) as u32
    }

    /// Tip gross in LIVE: mostly small, a few large.
    fn draw_gross(&mut self) -> u128 {
        const TIERS: [(u64, u128); 8] = [
            (30, 1),
            (20, 2),
            (20, 5),
            (12, 10),
            (8, 20),
            (5, 50),
            (4, 100),
            (1, 500),
        ];
        let mut pick = self.rng.below(100);
        for (weight, live) in TIERS {
            if pick < weight {
                return live * LIVE;
            }
            pick -= weight;
        }
        LIVE
    }

    /// The `n`-th tip block: up to `tips_per_block` tips, each maybe followed by a vote.
    fn tips(&mut self, n: u32) -> Vec<RawEvent> {
        let at = self.tip_block_ms(n);
        let count = self.tips_per_block.min(self.spec.tips - self.tips_done);
        let mut events = Vec::with_capacity(count as usize * 5 + 1);
        for _ in 0..count {
            let i = self.tips_done;
            let performer_index = self.draw_performer();
            let viewer_index = self.draw_viewer(i, performer_index);
            let performer = self.performers[performer_index as usize];
            let viewer = account(self.spec.seed, KIND_VIEWER, u64::from(viewer_index));
            let gross = self.draw_gross();
            let memo = (self.rng.below(10) == 0).then(|| self.rng.bytes32());
            let tip = Tipped {
                treasury: self.treasury,
                memo,
                ..fixtures::tipped(i, viewer, performer, Some(self.live_token), gross, at)
            };
            // The tip's extrinsic raises its transfers, then `Tipped`.
            let extrinsic = events.len() as u32 + 1;
            for event in fixtures::settled_in_live(tip) {
                let index = events.len() as u32;
                events.push(fixtures::emitted_at(
                    self.live_token,
                    &event,
                    index,
                    extrinsic,
                ));
            }
            self.tips_done += 1;
            self.performer_tips[performer_index as usize] += 1;
            self.viewer_tips[viewer_index as usize] += 1;
            let ring = performer_index as usize;
            let slot = self.loyal_len[ring] as usize % LOYAL_RING;
            self.loyal[ring][slot] = viewer_index;
            self.loyal_len[ring] = self.loyal_len[ring].saturating_add(1);

            // 1 tip in 20: the viewer rates the performer (as they now may: they hold stake).
            if self.rng.below(20) == 0 {
                let typical = i16::from(self.quality[ring]);
                let noise = self.rng.below(3) as i16 - 1;
                let stars = (typical + noise).clamp(1, 5) as u8;
                let previous = self.votes.insert((performer_index, viewer_index), stars);
                let index = events.len() as u32;
                events.push(fixtures::emitted_at(
                    self.live_token,
                    &LiveEvent::Rated(Rated {
                        performer,
                        viewer,
                        stars,
                        previous,
                        at,
                    }),
                    index,
                    index + 1,
                ));
                self.ratings += 1;
            }
        }
        events
    }
}

// ---------------------------------------------------------------- the measurement

/// How many distinct pages a "distinct pages" row draws from.
const DISTINCT_PAGES: u64 = 20_000;

/// A measured route: one path asked again and again (what a busy site's viewers all
/// ask for: served from the per-block page cache after the first), or many distinct
/// paths in random order (deep pages, many viewers: every request a cache miss).
struct Route {
    name: String,
    paths: Vec<String>,
}

/// The read routes, with the dataset's top performer and busiest viewer, then the
/// tip lists again over distinct pages.
fn routes(marker: &Marker) -> Vec<Route> {
    let top = &marker.top_performer;
    let viewer = &marker.sample_viewer;
    let one = |name: &str, path: String| Route {
        name: name.to_owned(),
        paths: vec![if path.is_empty() {
            name.to_owned()
        } else {
            path
        }],
    };
    let spec = &marker.spec;
    let mut rng = Rng(spec.seed ^ 0xd15c);
    let mut distinct = |name: &str, path: &mut dyn FnMut(&mut Rng) -> String| Route {
        name: name.to_owned(),
        paths: (0..DISTINCT_PAGES).map(|_| path(&mut rng)).collect(),
    };
    let random_account = |kind: u64, count: u32| {
        move |rng: &mut Rng| ss58(&account(spec.seed, kind, rng.below(u64::from(count))))
    };
    let performer = random_account(KIND_PERFORMER, spec.performers);
    let viewer_of = random_account(KIND_VIEWER, spec.viewers);
    let last_block = u64::from(marker.last_block);
    let block_tips = u64::from(spec.block_tips);
    vec![
        one("/v1/leaderboard?by=support&window=24h", String::new()),
        one("/v1/leaderboard?by=support&window=all", String::new()),
        one("/v1/leaderboard?by=rating&window=all", String::new()),
        one("/v1/leaderboard?by=rating&window=7d", String::new()),
        one("/v1/performers?limit=50", String::new()),
        // Discovery over the synthetic profiles: a name nobody has (no syllable
        // holds a "q"), a common piece of names, a tag, a language.
        one("/v1/performers?q=qz&limit=50", String::new()),
        one("/v1/performers?q=kim&limit=50", String::new()),
        one("/v1/performers?tag=music&limit=50", String::new()),
        one(
            "/v1/performers?language=pt&sort=rating&limit=50",
            String::new(),
        ),
        one("/v1/performers?sort=rating&limit=50", String::new()),
        one(
            "/v1/performers?sort=support&min_rating=500000&limit=50",
            String::new(),
        ),
        one("/v1/performers/{top}", format!("/v1/performers/{top}")),
        one(
            "/v1/performers/{top}/tips?limit=50",
            format!("/v1/performers/{top}/tips?limit=50"),
        ),
        one(
            "/v1/viewers/{viewer}/tips?limit=50",
            format!("/v1/viewers/{viewer}/tips?limit=50"),
        ),
        one("/v1/tips?limit=50", String::new()),
        distinct("/v1/tips?limit=50&cursor={random}", &mut |rng| {
            format!(
                "/v1/tips?limit=50&cursor={}-{}",
                1 + rng.below(last_block),
                rng.below(block_tips)
            )
        }),
        distinct("/v1/performers/{random}/tips?limit=50", &mut |rng| {
            format!("/v1/performers/{}/tips?limit=50", performer(rng))
        }),
        distinct("/v1/viewers/{random}/tips?limit=50", &mut |rng| {
            format!("/v1/viewers/{}/tips?limit=50", viewer_of(rng))
        }),
    ]
}

/// A wrk script asking `paths` (one per line in `list`) in random order.
fn wrk_script(folder: &Path, name: &str, paths: &[String]) -> Result<PathBuf> {
    let list = folder.join(format!("{name}.paths"));
    std::fs::write(&list, paths.join("\n"))?;
    let script = folder.join(format!("{name}.lua"));
    std::fs::write(
        &script,
        format!(
            "local paths = {{}}\n\
             for line in io.lines({list:?}) do paths[#paths + 1] = line end\n\
             request = function() return wrk.format(\"GET\", paths[math.random(#paths)]) end\n"
        ),
    )?;
    Ok(script)
}

type Measured = (Vec<(String, RouteResult)>, f64, f64, String);

/// Starts `api_bin --no-indexer` on `database`, runs `wrk` on every read route, and
/// reads the API's memory afterwards.
async fn measure_api(
    api_bin: &Path,
    folder: &Path,
    database: &str,
    marker: &Marker,
    args: &ScaleArgs,
) -> Result<Measured> {
    // No node runs: the API never needs one to read, only `/ready` would.
    let deployment = folder.join("deployment.json");
    std::fs::write(
        &deployment,
        serde_json::json!({
            "node_url": "ws://127.0.0.1:9",
            "live_token": marker.live_token,
            "start_block": 0,
        })
        .to_string(),
    )?;
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let log = folder.join("api.log");
    let child = Command::new(api_bin)
        .arg("--no-indexer")
        .arg("--deployment")
        .arg(&deployment)
        .arg("--database-url")
        .arg(database)
        .arg("--listen")
        .arg(format!("127.0.0.1:{port}"))
        .arg("--web-dir")
        .arg(folder.join("no-web"))
        .stdout(Stdio::null())
        .stderr(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log)?,
        )
        .spawn()
        .with_context(|| format!("starting {}", api_bin.display()))?;
    let api = Process(child);
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(300))
        .build()?;
    // Up once it answers and has read the checkpoint (the end of the dataset).
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let status = match client.get(format!("{base}/v1/status")).send().await {
            Ok(r) if r.status().is_success() => r.json::<serde_json::Value>().await.ok(),
            _ => None,
        };
        if status.and_then(|s| s["indexed_block"].as_u64()) == Some(u64::from(marker.last_block)) {
            break;
        }
        if Instant::now() > deadline {
            bail!(
                "the API did not come up on {base} within 120 s; see {}",
                log.display()
            );
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    println!(
        "  API on {base} (pid {}, log {})",
        api.0.id(),
        log.display()
    );

    let mut results = Vec::new();
    for (index, Route { name, paths }) in routes(marker).into_iter().enumerate() {
        let url = format!("{base}{}", paths[0]);
        let script = match paths.len() {
            1 => None,
            _ => Some(wrk_script(folder, &format!("route-{index}"), &paths)?),
        };
        let wrk = |seconds| {
            let url = if script.is_some() { &base } else { &url };
            measure::wrk_run(
                url,
                args.connections,
                seconds,
                Some(TIMEOUT_S),
                script.as_deref(),
            )
        };
        let started = Instant::now();
        let response = client
            .get(&url)
            .send()
            .await
            .with_context(|| format!("GET {url}"))?;
        let status = response.status();
        let body = response.text().await.unwrap_or_default();
        let first_ms = started.elapsed().as_secs_f64() * 1000.0;
        if status != reqwest::StatusCode::OK {
            // Loudly, and no figure for it: the table says it failed, and the run
            // ends in an error once the table is printed.
            eprintln!("  ERROR: GET {url} answered {status} after {first_ms:.0} ms: {body}");
            results.push((
                name,
                RouteResult {
                    first_ms,
                    seconds: 0,
                    outcome: Err(format!("GET answered {status}")),
                },
            ));
            wait_idle(api.0.id()).await;
            continue;
        }
        let mut seconds = args.seconds;
        let mut run = wrk(seconds)?;
        if run.requests < u64::from(args.connections) && seconds < LONG_RUN_S {
            // Fewer answers than connections: requests still running when wrk stops
            // count for nothing, so give every connection the time to get an answer
            // or to time out.
            println!(
                "  {name}: {} requests in {seconds} s; again for {LONG_RUN_S} s",
                run.requests
            );
            wait_idle(api.0.id()).await;
            seconds = LONG_RUN_S;
            run = wrk(seconds)?;
        }
        let outcome = if run.non_2xx > 0 {
            Err(format!(
                "{} of {} responses not 2xx",
                thousands(run.non_2xx),
                thousands(run.requests)
            ))
        } else if run.requests == 0 {
            Err(format!(
                "no answer within {TIMEOUT_S} s ({} timeouts)",
                run.timeouts
            ))
        } else {
            Ok(run.clone())
        };
        println!(
            "  {name}: {:.1} req/s, p50 {:.1} ms, p99 {:.1} ms ({} requests in {seconds} s, \
             {} not 2xx, {} timeouts; first {first_ms:.0} ms, {} bytes)",
            run.requests_per_s,
            run.p50_ms,
            run.p99_ms,
            run.requests,
            run.non_2xx,
            run.timeouts,
            body.len()
        );
        let result = RouteResult {
            first_ms,
            seconds,
            outcome,
        };
        // Requests cut off when wrk stopped may still be running: let them finish.
        wait_idle(api.0.id()).await;
        results.push((name, result));
    }
    let (hwm, rss) = memory_mib(api.0.id());
    let loadavg = std::fs::read_to_string("/proc/loadavg")
        .unwrap_or_default()
        .split_whitespace()
        .take(3)
        .collect::<Vec<_>>()
        .join(" ");
    println!("  API memory: VmHWM {hwm:.0} MiB, VmRSS {rss:.0} MiB; load average {loadavg}");
    drop(api);
    Ok((results, hwm, rss, loadavg))
}

/// Waits (at most 2 min) until process `pid` uses under 5% of a core.
async fn wait_idle(pid: u32) {
    let ticks = || {
        let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
        // Fields after the command (which may hold spaces): state is field 3, utime 14.
        let rest = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let field = |i: usize| fields.get(i).and_then(|f| f.parse::<u64>().ok());
        field(11).zip(field(12)).map(|(user, system)| user + system)
    };
    let deadline = Instant::now() + Duration::from_secs(120);
    let mut before = ticks();
    while Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(500)).await;
        let now = ticks();
        match (before, now) {
            // 100 ticks per second: under 5% of a core over 0.5 s.
            (Some(a), Some(b)) if b.saturating_sub(a) <= 2 => return,
            (_, None) => return,
            _ => before = now,
        }
    }
}

/// (VmHWM, VmRSS) of process `pid`, in MiB.
fn memory_mib(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kib| kib / 1024.0)
    };
    (field("VmHWM:"), field("VmRSS:"))
}

/// `12345` -> `12 345`, as the docs write numbers.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

fn ms(v: f64) -> String {
    if v >= 1000.0 {
        format!("{:.2} s", v / 1000.0)
    } else if v >= 100.0 {
        format!("{v:.0} ms")
    } else {
        format!("{v:.1} ms")
    }
}

/// The markdown table: one row per route, one column per size.
fn table(results: &[ScaleResult], args: &ScaleArgs, api_bin: &Path) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "`wrk -t2 -c{} -d{}s --latency --timeout {TIMEOUT_S}s` per route (a route with \
         fewer answers than connections runs again for {LONG_RUN_S} s); cells: req/s, \
         p50 / p99 of the answered requests. API: {}",
        args.connections,
        args.seconds,
        api_bin.display()
    );
    let _ = writeln!(out);
    let mut header = "| route |".to_owned();
    let mut rule = "|---|".to_owned();
    for r in results {
        let _ = write!(
            header,
            " {} performers, {} viewers, {} tips |",
            thousands(u64::from(r.spec.performers)),
            thousands(u64::from(r.spec.viewers)),
            thousands(r.spec.tips)
        );
        rule.push_str("---|");
    }
    let _ = writeln!(out, "{header}\n{rule}");
    for (i, (name, _)) in results[0].routes.iter().enumerate() {
        let mut line = format!("| `{name}` |");
        for r in results {
            let cell = match r.routes.get(i).map(|(_, result)| result) {
                Some(RouteResult {
                    outcome: Ok(run),
                    seconds,
                    ..
                }) => {
                    let rate = if run.requests_per_s >= 10.0 {
                        thousands(run.requests_per_s.round() as u64)
                    } else {
                        format!("{:.1}", run.requests_per_s)
                    };
                    let mut cell =
                        format!(" **{rate}** req/s, {} / {}", ms(run.p50_ms), ms(run.p99_ms));
                    let mut notes = Vec::new();
                    if run.timeouts > 0 {
                        notes.push(format!("{} timeouts", run.timeouts));
                    }
                    if *seconds != args.seconds {
                        notes.push(format!("{seconds} s run"));
                    }
                    if !notes.is_empty() {
                        let _ = write!(cell, " ({})", notes.join(", "));
                    }
                    cell
                }
                Some(RouteResult {
                    outcome: Err(why), ..
                }) => format!(" failed: {why}"),
                None => " -".to_owned(),
            };
            let _ = write!(line, "{cell} |");
        }
        let _ = writeln!(out, "{line}");
    }
    let mut row = |label: &str, cell: &dyn Fn(&ScaleResult) -> String| {
        let mut line = format!("| {label} |");
        for r in results {
            let _ = write!(line, " {} |", cell(r));
        }
        let _ = writeln!(out, "{line}");
    };
    row("first request (ms), per route in order", &|r| {
        r.routes
            .iter()
            .map(|(_, result)| format!("{:.0}", result.first_ms))
            .collect::<Vec<_>>()
            .join(" · ")
    });
    row("API memory after the runs (VmHWM / VmRSS)", &|r| {
        format!("{:.0} / {:.0} MiB", r.vm_hwm_mib, r.vm_rss_mib)
    });
    row("dataset build (`Store::commit`)", &|r| {
        format!(
            "{:.0} s, {} events ({:.0} events/s, {:.0} tips/s){}",
            r.marker.build_secs,
            thousands(r.marker.events),
            r.marker.events as f64 / r.marker.build_secs,
            r.marker.spec.tips as f64 / r.marker.build_secs,
            if r.reused { ", reused" } else { "" }
        )
    });
    row("database on disk", &|r| {
        r.disk_bytes.map_or("-".into(), gib)
    });
    row(
        "top performer's tips / busiest viewer's tips / ratings",
        &|r| {
            format!(
                "{} / {} / {}",
                thousands(r.marker.top_performer_tips),
                thousands(r.marker.sample_viewer_tips),
                thousands(r.marker.ratings)
            )
        },
    );
    row("load average after the runs", &|r| r.loadavg.clone());
    out
}
