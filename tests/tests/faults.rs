//! The indexer never loses or duplicates an event: not when it is SIGKILLed at random
//! instants (during a backfill and while following live load), not when the node under
//! it stops and starts again under load, not when PostgreSQL restarts under load; and
//! under sustained full-block load it stays within 2 blocks of the finalized head.
//! The API's `/ready` says so: 503 while the node is down or the index behind.
//!
//! Counts and durations are modest for CI; `scripts/faults --long` raises them through
//! `LIVESTARS_FAULT_KILLS` (default 20) and `LIVESTARS_SUSTAINED_SECS` (default 60).

use livestars_indexer::config::{ss58, Deployment};
use livestars_indexer::decode::{decode, AccountId, LiveEvent, Tipped};
use livestars_indexer::fixtures::settled_in_live;
use livestars_indexer::source::ChainSource;
use livestars_indexer::store::{RawEvent, Store};
use livestars_tests::*;
use std::path::PathBuf;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

fn env_count(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn random_delay(min_ms: u64, max_ms: u64) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    Duration::from_millis(min_ms + nanos % (max_ms - min_ms))
}

/// The chain's events of the LIVE contract, read straight from the node block by
/// block and cached, so that each comparison only reads the blocks it has not seen.
struct ChainMirror {
    source: ChainSource,
    live_token: AccountId,
    events: Vec<(u32, RawEvent)>,
    read_to: Option<u32>,
}

impl ChainMirror {
    async fn new(deployment: &Deployment) -> Self {
        let source = ChainSource::connect(&deployment.node_url, deployment.live_token)
            .await
            .expect("node");
        Self {
            source,
            live_token: deployment.live_token,
            events: Vec::new(),
            read_to: None,
        }
    }

    /// Every event up to and including block `to`.
    async fn up_to(&mut self, to: u32) -> Vec<(u32, RawEvent)> {
        let from = self.read_to.map_or(0, |b| b + 1);
        for number in from..=to {
            let block = self.source.block(number).await.expect("block");
            self.events
                .extend(block.events.into_iter().map(|e| (number, e)));
            self.read_to = Some(number);
        }
        self.events
            .iter()
            .filter(|(block, _)| *block <= to)
            .cloned()
            .collect()
    }
}

/// Asserts the database holds exactly the chain's events up to its checkpoint (none
/// missing, none doubled, none beyond), every `Tipped` event read back as a tip, and
/// derived tables that equal their recomputation from those events. Returns the
/// checkpoint.
async fn assert_mirror(store: &Store, chain: &mut ChainMirror) -> Option<u32> {
    let checkpoint = store
        .checkpoint()
        .await
        .expect("checkpoint")
        .map(|c| c.block_number);
    let stored = store.events().await.expect("stored events");
    let expected = match checkpoint {
        Some(block) => chain.up_to(block).await,
        None => Vec::new(),
    };
    assert_eq!(
        stored.len(),
        expected.len(),
        "event count at {checkpoint:?}"
    );
    assert_eq!(stored, expected, "stored events differ from the chain's");
    let tips = expected
        .iter()
        .filter(|(_, e)| e.topics.first() == Some(&Tipped::SIGNATURE))
        .count();
    let stored_tips = store.tips_after(None, u32::MAX).await.expect("tips");
    assert_eq!(stored_tips.len(), tips, "tips read back from the events");
    assert_tips_raise_what_the_generator_writes(&expected);
    assert_derived(store, &chain.live_token).await;
    checkpoint
}

/// Stops `load`, lets the chain finalize what it produced, waits for the index to
/// reach that head and asserts the whole mirror. Returns the load's report.
async fn settle(load: Load, client: &Client, store: &Store, chain: &mut ChainMirror) -> LoadReport {
    let report = load.stop().await;
    tokio::time::sleep(Duration::from_secs(2)).await;
    let head = client.finalized_head().await.expect("head");
    wait_indexed(store, head, Duration::from_secs(120))
        .await
        .expect("the indexer caught up");
    let checkpoint = assert_mirror(store, chain).await;
    assert!(checkpoint >= Some(head));
    assert!(report.tips > 0, "the load tipped nothing: {report:?}");
    report
}

/// Every LIVE tip raised exactly the events the scale benchmark's synthetic chain
/// writes per tip (`fixtures::settled_in_live`): its transfers, then `Tipped`, after
/// the previous tip of its extrinsic (the load batches many tips in one). The
/// benchmark's events/s is a chain's only if this holds.
fn assert_tips_raise_what_the_generator_writes(events: &[(u32, RawEvent)]) {
    let (mut run, mut extrinsic, mut checked) = (Vec::new(), None, 0);
    for (block, event) in events {
        if extrinsic != Some((*block, event.extrinsic_index)) {
            run.clear();
            extrinsic = Some((*block, event.extrinsic_index));
        }
        run.push(decode(&event.topics, &event.data).expect("our events decode"));
        if let Some(LiveEvent::Tipped(tip)) = run.last() {
            if tip.token.is_some() {
                let expected = settled_in_live(tip.clone());
                assert!(run == expected, "tip {} raised {run:?}", tip.tip_id);
                checked += 1;
            }
            run.clear();
        }
    }
    assert!(events.is_empty() || checked > 0, "no LIVE tip to compare");
}

/// A node (with its chain kept in `base_path`, or temporary), the LIVE contract
/// deployed, //Bob registered and attested and //Alice ready to tip him: what every
/// test here starts from.
async fn tipping_chain(
    dir: &TempDir,
    base_path: Option<&std::path::Path>,
) -> (Node, Deployment, PathBuf, Client) {
    let node = Node::start(base_path, &dir.0).await.expect("node");
    let (deployment, file) = deploy(&node, &dir.0).expect("deploy");
    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    prepare_tipping(&client).await.expect("prepare");
    (node, deployment, file, client)
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkills_during_backfill_and_live_following_lose_and_duplicate_nothing() {
    let kills = env_count("LIVESTARS_FAULT_KILLS", 20);
    let dir = TempDir::new("crash");
    let (node, deployment, file, client) = tipping_chain(&dir, None).await;
    // A backlog to backfill: 40 blocks of 30 tips.
    let bob = account(&key("//Bob"));
    let mut backlog = 0;
    for batch in 0..40 {
        let calls = (0..30)
            .map(|i| client.tip(bob, LIVE * 1000 + batch * 30 + i, None))
            .collect();
        backlog = client.submit(&key("//Alice"), calls).await.expect("tips");
    }
    client.wait_finalized(backlog).await.expect("finalized");
    // Then live blocks keep coming while the indexer is killed over and over.
    let load = Load::with_shows(
        node.url(),
        deployment.clone(),
        10,
        Duration::from_millis(200),
    );

    let database = format!("sqlite://{}", dir.0.join("crash.sqlite").display());
    let log = dir.0.join("indexer.log");
    let store = Store::connect(&database).await.expect("store");
    let mut chain = ChainMirror::new(&deployment).await;
    let (mut in_backfill, mut in_live) = (0, 0);
    for kill in 1..=kills {
        let batch = if kill % 2 == 0 { "1" } else { "8" };
        let mut indexer = start_indexer_with(&file, &database, &log, &["--commit-batch", batch])
            .expect("indexer");
        tokio::time::sleep(random_delay(100, 1000)).await;
        indexer.kill();
        let checkpoint = assert_mirror(&store, &mut chain).await;
        if checkpoint.is_some_and(|b| b >= backlog) {
            in_live += 1;
        } else {
            in_backfill += 1;
        }
        println!("SIGKILL #{kill}: checkpoint {checkpoint:?}, mirror exact");
    }
    println!("{kills} kills: {in_backfill} during the backfill, {in_live} while following");

    let _indexer = start_indexer(&file, &database, &log).expect("indexer");
    let report = settle(load, &client, &store, &mut chain).await;
    println!("live load during the kills: {report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn node_restarts_under_load_miss_nothing() {
    let dir = TempDir::new("restart");
    let (mut node, deployment, file, client) =
        tipping_chain(&dir, Some(&dir.0.join("chain"))).await;
    drop(client);
    let database = format!("sqlite://{}", dir.0.join("restart.sqlite").display());
    let store = Store::connect(&database).await.expect("store");
    let _indexer = start_indexer(&file, &database, &dir.0.join("indexer.log")).expect("indexer");
    let load = Load::with_shows(
        node.url(),
        deployment.clone(),
        5,
        Duration::from_millis(100),
    );

    for round in 1..=2 {
        tokio::time::sleep(Duration::from_secs(3)).await;
        node.restart(Duration::from_secs(2)).await.expect("restart");
        println!("node restart #{round} done");
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    let mut chain = ChainMirror::new(&deployment).await;
    let report = settle(load, &client, &store, &mut chain).await;
    println!("load across the restarts: {report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_restarts_under_load_lose_and_duplicate_no_row() {
    let dir = TempDir::new("pg-restart");
    let mut postgres = Postgres::start().await.expect("a PostgreSQL server");
    let (node, deployment, file, client) = tipping_chain(&dir, None).await;
    let _indexer =
        start_indexer(&file, &postgres.url, &dir.0.join("indexer.log")).expect("indexer");
    let load = Load::with_shows(
        node.url(),
        deployment.clone(),
        5,
        Duration::from_millis(100),
    );

    for round in 1..=2 {
        tokio::time::sleep(Duration::from_secs(3)).await;
        postgres
            .restart(Duration::from_secs(2))
            .await
            .expect("restart");
        println!("PostgreSQL restart #{round} done");
    }
    tokio::time::sleep(Duration::from_secs(3)).await;
    let store = Store::connect(&postgres.url).await.expect("store");
    let mut chain = ChainMirror::new(&deployment).await;
    let report = settle(load, &client, &store, &mut chain).await;
    println!("load across the restarts: {report:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn sustained_full_blocks_keep_the_index_within_two_blocks_of_the_finalized_head() {
    let seconds = env_count("LIVESTARS_SUSTAINED_SECS", 60);
    let dir = TempDir::new("sustained");
    let (node, deployment, file, client) = tipping_chain(&dir, None).await;
    let database = format!("sqlite://{}", dir.0.join("sustained.sqlite").display());
    let store = Store::connect(&database).await.expect("store");
    let _indexer = start_indexer(&file, &database, &dir.0.join("indexer.log")).expect("indexer");
    let head = client.finalized_head().await.expect("head");
    wait_indexed(&store, head, Duration::from_secs(60))
        .await
        .expect("caught up before the load");

    let load = Load::with_shows(
        node.url(),
        deployment.clone(),
        TIPS_PER_FULL_BLOCK,
        Duration::ZERO,
    );
    let started = Instant::now();
    let (mut worst, mut samples, mut first_head) = (0u32, 0u32, None);
    let mut last_head = 0;
    while started.elapsed() < Duration::from_secs(seconds) {
        let head = client.finalized_head().await.expect("head");
        first_head.get_or_insert(head);
        let indexed = store
            .checkpoint()
            .await
            .expect("checkpoint")
            .map_or(0, |c| c.block_number);
        worst = worst.max(head.saturating_sub(indexed));
        samples += 1;
        last_head = head;
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let blocks = last_head - first_head.unwrap_or(last_head);
    println!(
        "{seconds} s of full blocks ({TIPS_PER_FULL_BLOCK} tips each): {blocks} blocks finalized, \
         worst lag {worst} blocks over {samples} samples"
    );
    assert!(blocks > 0, "no blocks were finalized under load");
    assert!(
        worst <= 2,
        "the index fell {worst} blocks behind the finalized head"
    );
    let mut chain = ChainMirror::new(&deployment).await;
    let report = settle(load, &client, &store, &mut chain).await;
    println!("sustained load: {report:?}");
}

/// `/ready`'s status and body.
async fn ready(base: &str) -> (u16, serde_json::Value) {
    match reqwest::get(format!("{base}/ready")).await {
        Ok(response) => {
            let status = response.status().as_u16();
            (status, response.json().await.unwrap_or_default())
        }
        Err(e) => (0, serde_json::Value::String(e.to_string())),
    }
}

/// Waits until `/ready` answers `expected`; returns its body.
async fn wait_ready(base: &str, expected: u16, within: Duration) -> serde_json::Value {
    let started = Instant::now();
    loop {
        let (status, body) = ready(base).await;
        if status == expected {
            println!("/ready {status} after {:?}: {body}", started.elapsed());
            return body;
        }
        assert!(
            started.elapsed() < within,
            "/ready still {status} after {within:?}, not {expected}: {body}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn get_json(base: &str, path: &str) -> (u16, serde_json::Value) {
    let response = reqwest::get(format!("{base}{path}"))
        .await
        .expect("the API");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or_default())
}

/// `/ready` is 503 while the node is down (the embedded indexer keeps its last,
/// caught-up progress meanwhile) and 200 once it is back; an API without an indexer
/// is 503 while the chain runs more than 3 blocks ahead of the index, and 200 once an
/// indexer caught up. Audits are cached per (performer, block): while the node is
/// down, one asked before is still answered and one not asked before is a 503.
#[tokio::test(flavor = "multi_thread")]
async fn ready_is_503_while_the_node_is_down_or_the_index_behind() {
    let dir = TempDir::new("ready");
    let (mut node, deployment, file, client) =
        tipping_chain(&dir, Some(&dir.0.join("chain"))).await;
    let (bob, charlie) = (account(&key("//Bob")), key("//Charlie"));
    client
        .submit(&charlie, vec![client.register([4; 32], 500)])
        .await
        .expect("register");
    let tipped = client
        .submit(&key("//Alice"), vec![client.tip(bob, 5 * LIVE, None)])
        .await
        .expect("tip");
    client.wait_finalized(tipped).await.expect("finalized");
    drop(client);
    let database = format!("sqlite://{}", dir.0.join("ready.sqlite").display());
    let (mut api, base) = start_api(&file, &database, &dir.0.join("api.log"))
        .await
        .expect("api");
    let store = Store::connect(&database).await.expect("store");
    wait_indexed(&store, tipped, Duration::from_secs(60))
        .await
        .expect("indexed");
    let body = wait_ready(&base, 200, Duration::from_secs(30)).await;
    assert!(
        body["indexed_block"].as_u64() >= Some(u64::from(tipped)),
        "{body}"
    );

    let (bob_ss58, charlie_ss58) = (ss58(&bob), ss58(&account(&charlie)));
    let (status, audit) = get_json(&base, &format!("/v1/ratings/{bob_ss58}/audit")).await;
    assert_eq!(status, 200, "{audit}");
    assert_eq!(audit["match"], true, "{audit}");
    assert_eq!(
        audit["events_replayed"], 2,
        "the tip and the parameters: {audit}"
    );

    node.stop().expect("stop");
    let body = wait_ready(&base, 503, Duration::from_secs(15)).await;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("unreachable"), "{body}");
    // The index is where it was, but the node is gone: the cached audit is still
    // answered (same block, same result), an audit not asked before is not.
    let (status, cached) = get_json(&base, &format!("/v1/ratings/{bob_ss58}/audit")).await;
    assert_eq!(status, 200, "{cached}");
    assert_eq!(cached, audit);
    let (status, uncached) = get_json(&base, &format!("/v1/ratings/{charlie_ss58}/audit")).await;
    assert_eq!(status, 503, "{uncached}");
    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        metrics.contains("livestars_audit_cache_hits_total 1\n"),
        "{metrics}"
    );

    node.start_again().await.expect("start again");
    wait_ready(&base, 200, Duration::from_secs(60)).await;

    // An API that only reads what another indexer writes, with no indexer running.
    api.kill();
    let (_reader, base) = start_api_with(
        &file,
        &database,
        &dir.0.join("reader.log"),
        &["--no-indexer"],
    )
    .await
    .expect("api");
    wait_ready(&base, 200, Duration::from_secs(30)).await;
    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    let mut head = 0;
    for i in 0..5 {
        head = client
            .submit(&key("//Alice"), vec![client.tip(bob, LIVE + i, None)])
            .await
            .expect("tip");
    }
    client.wait_finalized(head).await.expect("finalized");
    let body = wait_ready(&base, 503, Duration::from_secs(15)).await;
    let message = body["error"]["message"].as_str().unwrap_or_default();
    assert!(message.contains("blocks behind"), "{body}");
    let (_, status) = get_json(&base, "/v1/status").await;
    assert!(status["lag"].as_u64() > Some(3), "{status}");

    let _indexer = start_indexer(&file, &database, &dir.0.join("indexer.log")).expect("indexer");
    let body = wait_ready(&base, 200, Duration::from_secs(60)).await;
    assert!(body["lag"].as_u64() <= Some(3), "{body}");
    assert!(
        body["indexed_block"].as_u64() >= Some(u64::from(head) - 3),
        "{body}"
    );
}
