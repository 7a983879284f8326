//! The indexer never loses or duplicates an event: not when it is SIGKILLed in the
//! middle of a backfill, not when the node under it stops and starts again.

use livestars_indexer::store::Store;
use livestars_tests::*;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Registers Bob and lets Alice (who holds the LIVE supply) tip him `batches` times
/// `per_batch` tips, one extrinsic (so one block) per batch. Returns the last block.
async fn tip_load(client: &Client, batches: usize, per_batch: usize) -> u32 {
    let (alice, bob) = (key("//Alice"), key("//Bob"));
    client
        .submit(&bob, vec![client.register([3; 32], 500)])
        .await
        .expect("register");
    client
        .submit(&alice, vec![client.approve_tips(1_000_000 * LIVE)])
        .await
        .expect("approve");
    let mut last = 0;
    for batch in 0..batches {
        let calls = (0..per_batch)
            .map(|i| client.tip(account(&bob), LIVE + (batch * per_batch + i) as u128, None))
            .collect();
        last = client.submit(&alice, calls).await.expect("tips");
    }
    last
}

/// Asserts the database holds exactly the chain's events of our contracts.
async fn assert_mirror(
    store: &Store,
    deployment: &livestars_indexer::config::Deployment,
    head: u32,
) {
    let stored = store.events().await.expect("stored events");
    let chain = chain_events(deployment, 0, head)
        .await
        .expect("chain events");
    assert!(!chain.is_empty());
    assert_eq!(stored.len(), chain.len(), "event count");
    assert_eq!(stored, chain, "stored events differ from the chain's");
    let tips = chain
        .iter()
        .filter(|(_, e)| e.topics.first() == Some(&livestars_indexer::decode::topics::TIPPED))
        .count();
    let rows: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tips")
        .fetch_one(store.pool())
        .await
        .expect("tips count");
    assert_eq!(rows as usize, tips, "derived tips table");
}

fn random_delay(min_ms: u64, max_ms: u64) -> Duration {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| u64::from(d.subsec_nanos()))
        .unwrap_or(0);
    Duration::from_millis(min_ms + nanos % (max_ms - min_ms))
}

#[tokio::test(flavor = "multi_thread")]
async fn sigkill_during_backfill_loses_and_duplicates_nothing() {
    let dir = TempDir::new("crash");
    let node = Node::start(None, &dir.0).await.expect("node");
    let (deployment, file) = deploy(&node, &dir.0).expect("deploy");
    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    let last = tip_load(&client, 24, 30).await;
    client.wait_finalized(last).await.expect("finalized");

    let database = format!("sqlite://{}", dir.0.join("crash.sqlite").display());
    let log = dir.0.join("indexer.log");
    let store = Store::connect(&database).await.expect("store");
    let mut kills = 0;
    let mut mid_backfill = 0;
    for _ in 0..8 {
        let mut indexer =
            start_indexer_with(&file, &database, &log, &["--commit-batch", "1"]).expect("indexer");
        tokio::time::sleep(random_delay(150, 900)).await;
        indexer.kill();
        kills += 1;
        let checkpoint = store.checkpoint().await.expect("checkpoint");
        let at = checkpoint.map(|c| c.block_number);
        println!("SIGKILL #{kills}: checkpoint {at:?} of {last}");
        if at.is_some_and(|b| b < last) {
            mid_backfill += 1;
        }
        if at == Some(last) {
            break;
        }
    }
    println!("{mid_backfill} of {kills} kills landed mid-backfill");

    let started = Instant::now();
    let _indexer = start_indexer_with(&file, &database, &log, &[]).expect("indexer");
    wait_indexed(&store, last, Duration::from_secs(120))
        .await
        .expect("indexed after the kills");
    println!("final catch-up took {:?}", started.elapsed());
    assert_mirror(&store, &deployment, last).await;

    // A clean backfill of the same chain, for the record: events per second.
    let fresh = format!("sqlite://{}", dir.0.join("fresh.sqlite").display());
    let fresh_store = Store::connect(&fresh).await.expect("store");
    let started = Instant::now();
    let _fresh = start_indexer_with(&file, &fresh, &log, &[]).expect("indexer");
    wait_indexed(&fresh_store, last, Duration::from_secs(120))
        .await
        .expect("fresh backfill");
    let events = fresh_store.events().await.expect("events").len();
    let seconds = started.elapsed().as_secs_f64();
    println!(
        "backfill of {events} events in {last} blocks: {seconds:.2} s ({:.0} events/s, incl. process start)",
        events as f64 / seconds
    );
    assert_mirror(&fresh_store, &deployment, last).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn node_restart_under_a_running_indexer_misses_nothing() {
    let dir = TempDir::new("restart");
    let chain_dir = dir.0.join("chain");
    let mut node = Node::start(Some(&chain_dir), &dir.0).await.expect("node");
    let (deployment, file) = deploy(&node, &dir.0).expect("deploy");
    let database = format!("sqlite://{}", dir.0.join("restart.sqlite").display());
    let store = Store::connect(&database).await.expect("store");
    let _indexer = start_indexer(&file, &database, &dir.0.join("indexer.log")).expect("indexer");

    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    let before = tip_load(&client, 3, 2).await;
    client.wait_finalized(before).await.expect("finalized");
    wait_indexed(&store, before, Duration::from_secs(60))
        .await
        .expect("indexed before the restart");
    drop(client);

    for round in 0..2 {
        node.restart(Duration::from_secs(2)).await.expect("restart");
        let client = Client::connect(&node.url(), &deployment)
            .await
            .expect("client");
        let bob = account(&key("//Bob"));
        let mut last = 0;
        for i in 0..3 {
            last = client
                .submit(
                    &key("//Alice"),
                    vec![client.tip(bob, (round * 10 + i + 2) * LIVE, None)],
                )
                .await
                .expect("tip after restart");
        }
        client.wait_finalized(last).await.expect("finalized");
        wait_indexed(&store, last, Duration::from_secs(60))
            .await
            .expect("the indexer reconnected and caught up");
        assert_mirror(&store, &deployment, last).await;
    }
}
