//! Writers that never kill the service (issue 21): the API's writes (profiles,
//! presences) race the indexer's commits on the same database, as they do when a
//! performer publishes while blocks arrive. On SQLite a deferred transaction lost
//! that race with "database is locked" and the commit's error ended the process;
//! every write now takes the lock up front, so each waits its turn and nothing is
//! lost. Run on a SQLite file and on a PostgreSQL server, each side with its own
//! pool, as two processes would.

use livestars_indexer::decode::{AccountId, LiveEvent, PerformerRegistered};
use livestars_indexer::fixtures::{live_block, tip, LIVE_TOKEN, UNIT, VIEWERS};
use livestars_indexer::profile::Profile;
use livestars_indexer::store::Store;
use livestars_tests::{Postgres, TempDir};

/// Performers publishing at once, and what each publishes.
const PERFORMERS: u8 = 8;
const ROUNDS: u64 = 25;
/// Blocks committed, one tip each, while they publish.
const BLOCKS: u32 = 200;

fn performer(i: u8) -> AccountId {
    [0x70 + i; 32]
}

fn profile(i: u8, round: u64) -> Profile {
    Profile {
        age_range: None,
        avatar: None,
        bio: format!("round {round}"),
        gender: None,
        languages: vec!["en".into()],
        message_key: None,
        stream: None,
        schedule: None,
        stage_name: format!("Performer {i}"),
        tags: vec!["chat".into()],
    }
}

async fn race(url: &str) {
    let indexer = Store::connect(url).await.expect("the indexer's store");
    let api = Store::connect(url).await.expect("the API's store");
    let registrations = (0..PERFORMERS)
        .map(|i| {
            LiveEvent::PerformerRegistered(PerformerRegistered {
                performer: performer(i),
                profile: profile(i, 0).commitment(),
                max_fee_bps: 500,
            })
        })
        .collect();
    indexer
        .commit(&LIVE_TOKEN, &[live_block(1, registrations)], 1)
        .await
        .expect("registrations");

    let commits = tokio::spawn(async move {
        for number in 2..=BLOCKS + 1 {
            let performer = performer((number % u32::from(PERFORMERS)) as u8);
            let event = tip(
                u64::from(number),
                VIEWERS[0],
                performer,
                Some(LIVE_TOKEN),
                UNIT,
                u64::from(number) * 1_000,
            );
            indexer
                .commit(&LIVE_TOKEN, &[live_block(number, vec![event])], number)
                .await
                .unwrap_or_else(|e| panic!("commit of block {number}: {e}"));
        }
        indexer
    });
    let publishers: Vec<_> = (0..PERFORMERS)
        .map(|i| {
            let api = api.clone();
            tokio::spawn(async move {
                for round in 1..=ROUNDS {
                    // The registry still commits to round 0's document: round 0 is
                    // stored, later rounds are refused (false), never an error.
                    let stored = api
                        .put_profile(&performer(i), &profile(i, 0), None)
                        .await
                        .unwrap_or_else(|e| panic!("profile {i}, round {round}: {e}"));
                    assert!(stored, "the committed profile of {i} is stored");
                    let refused = api
                        .put_profile(&performer(i), &profile(i, round), None)
                        .await
                        .unwrap_or_else(|e| panic!("profile {i}, round {round}: {e}"));
                    assert!(!refused, "an uncommitted profile is refused");
                    let stored = api
                        .put_presence(&performer(i), 10_000_000 + round, round)
                        .await
                        .unwrap_or_else(|e| panic!("presence {i}, round {round}: {e}"));
                    assert!(stored, "presence {i}, round {round} is newer and stored");
                }
            })
        })
        .collect();
    for publisher in publishers {
        publisher.await.expect("a publisher");
    }
    let indexer = commits.await.expect("the commits");

    let checkpoint = indexer.checkpoint().await.unwrap().expect("a checkpoint");
    assert_eq!(checkpoint.block_number, BLOCKS + 1);
    let count = |sql: &'static str| {
        let pool = indexer.pool().clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&pool)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM events WHERE viewer IS NOT NULL").await,
        i64::from(BLOCKS)
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM profiles").await,
        i64::from(PERFORMERS)
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM presence").await,
        i64::from(PERFORMERS)
    );
    assert_eq!(
        count("SELECT MIN(signed_at_ms) FROM presence").await,
        ROUNDS as i64,
        "every performer's last presence is stored"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sqlite_writers_wait_their_turn_and_lose_nothing() {
    let dir = TempDir::new("writers");
    let file = dir.0.join("race.sqlite");
    race(file.to_str().expect("utf-8 path")).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn postgres_writers_wait_their_turn_and_lose_nothing() {
    let postgres = Postgres::start().await.expect("a PostgreSQL server");
    race(&postgres.url).await;
}
