//! The store on a temporary SQLite database, fed blocks of real encoded events (the
//! ink! 5 layout `decode` reads: the signature topic, then one topic per topic
//! field, and every field SCALE-encoded in the data): what it writes, what it reads
//! back, and what it refuses.

use livestars_indexer::decode::{
    AccountId, AdultAttestationChanged, Commitment, LiveEvent, MaxFeeChanged, ParamsAnnounced,
    PerformerErased, PerformerRegistered, ProfileChanged, Rated, ShowTermsChanged, ShowToppedUp,
    Split, SplitsChanged, VerifierChanged,
};
use livestars_indexer::fixtures::{self, block, emitted, live, CO_RECIPIENT, TREASURY, UNIT};
use livestars_indexer::rating::{rating_at, VersionedParams};
use livestars_indexer::store::{
    amount_text, load_schedule, load_score, load_scores, IndexedBlock, RawEvent, Store, StoreError,
    TipFilter, TipRecord, NATIVE,
};
use rating_formula::clock::{tick_of, TICK_MS};
use rating_formula::{Contribution, Params, Scheduled, Score};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

const LIVE: AccountId = fixtures::LIVE_TOKEN;
const OTHER_CONTRACT: AccountId = fixtures::OTHER_CONTRACT;
const PERFORMER: AccountId = fixtures::PERFORMERS[0];
const PERFORMER_2: AccountId = fixtures::PERFORMERS[1];
const VIEWER: AccountId = fixtures::VIEWERS[0];
const VIEWER_2: AccountId = fixtures::VIEWERS[1];
const VERIFIER: AccountId = fixtures::VERIFIERS[0];
const VERIFIER_2: AccountId = fixtures::VERIFIERS[1];
const HOUR: u64 = fixtures::HOUR_MS;

// ---------------------------------------------------------------------------
// A temporary database.

/// A store on a fresh SQLite file, removed (with its WAL files) when dropped.
struct TempStore {
    store: Store,
    path: PathBuf,
}

impl TempStore {
    async fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let path = std::env::temp_dir().join(format!(
            "livestars-store-test-{}-{}-{}.sqlite",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        ));
        let store = Store::connect(path.to_str().expect("utf-8 temp path"))
            .await
            .expect("temporary store");
        Self { store, path }
    }
}

impl Drop for TempStore {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut path = self.path.clone().into_os_string();
            path.push(suffix);
            let _ = std::fs::remove_file(path);
        }
    }
}

impl std::ops::Deref for TempStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

// ---------------------------------------------------------------------------
// Events, encoded as the LIVE contract emits them.

fn tipped(tip: &TipRecord) -> RawEvent {
    live(LiveEvent::Tipped(fixtures::tip_event(tip)))
}

fn params_announced(version: u32, params: Params, effective_at: u64) -> RawEvent {
    live(LiveEvent::ParamsAnnounced(ParamsAnnounced {
        version,
        params,
        effective_at,
    }))
}

fn rated(
    performer: AccountId,
    viewer: AccountId,
    stars: u8,
    previous: Option<u8>,
    at: u64,
) -> RawEvent {
    live(LiveEvent::Rated(Rated {
        performer,
        viewer,
        stars,
        previous,
        at,
    }))
}

fn registered(performer: AccountId, profile: Commitment, max_fee_bps: u16) -> RawEvent {
    live(LiveEvent::PerformerRegistered(PerformerRegistered {
        performer,
        profile,
        max_fee_bps,
    }))
}

fn profile_changed(performer: AccountId, profile: Commitment) -> RawEvent {
    live(LiveEvent::ProfileChanged(ProfileChanged {
        performer,
        profile,
    }))
}

fn max_fee_changed(performer: AccountId, max_fee_bps: u16) -> RawEvent {
    live(LiveEvent::MaxFeeChanged(MaxFeeChanged {
        performer,
        max_fee_bps,
    }))
}

fn splits_changed(performer: AccountId, splits: Vec<(AccountId, u16)>) -> RawEvent {
    let splits = splits
        .into_iter()
        .map(|(recipient, bps)| Split { recipient, bps })
        .collect();
    live(LiveEvent::SplitsChanged(SplitsChanged {
        performer,
        splits,
    }))
}

fn attestation(performer: AccountId, verifier: AccountId, adult: bool) -> RawEvent {
    live(LiveEvent::AdultAttestationChanged(
        AdultAttestationChanged {
            performer,
            verifier,
            adult,
        },
    ))
}

fn verifier_changed(verifier: AccountId, allowed: bool) -> RawEvent {
    live(LiveEvent::VerifierChanged(VerifierChanged {
        verifier,
        allowed,
    }))
}

fn erased(performer: AccountId) -> RawEvent {
    live(LiveEvent::PerformerErased(PerformerErased { performer }))
}

/// A tip as it will be stored at `(block, event_index)` (the position of the event
/// in the block built by [`block`]).
#[allow(clippy::too_many_arguments)]
fn tip(
    block: u32,
    event_index: u32,
    tip_id: u64,
    viewer: AccountId,
    performer: AccountId,
    token: Option<AccountId>,
    gross: u128,
    at_ms: u64,
) -> TipRecord {
    let tip = fixtures::tipped(tip_id, viewer, performer, token, gross, at_ms);
    fixtures::tip_record(block, event_index, &tip)
}

/// Rows of `sql` (one text column), sorted.
async fn rows(store: &Store, sql: &'static str) -> Vec<String> {
    let mut rows: Vec<String> = sqlx::query_scalar(sql)
        .fetch_all(store.pool())
        .await
        .expect("query");
    rows.sort();
    rows
}

async fn count(store: &Store, table: &'static str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT COUNT(*) FROM {table}")))
        .fetch_one(store.pool())
        .await
        .expect("count")
}

fn hex(account: &AccountId) -> String {
    hex::encode(account)
}

// ---------------------------------------------------------------------------
// Tips.

/// Five tips over three blocks (and a block without any), with an event of another
/// contract and a registration between them.
fn five_tips() -> (Vec<IndexedBlock>, Vec<TipRecord>) {
    let mut first = tip(
        1,
        1,
        0,
        VIEWER,
        PERFORMER,
        Some(LIVE),
        1_000 * UNIT,
        10 * HOUR,
    );
    first.splits = vec![(CO_RECIPIENT, 100 * UNIT)];
    first.net -= 100 * UNIT;
    first.memo = Some([0x77; 32]);
    let tips = vec![
        first,
        tip(1, 2, 1, VIEWER_2, PERFORMER, None, 5_000, 10 * HOUR),
        tip(
            3,
            0,
            2,
            VIEWER,
            PERFORMER_2,
            Some(LIVE),
            200 * UNIT,
            11 * HOUR,
        ),
        tip(
            3,
            2,
            3,
            VIEWER,
            PERFORMER,
            Some(LIVE),
            300 * UNIT,
            11 * HOUR + 1,
        ),
        tip(4, 0, 4, VIEWER_2, PERFORMER_2, None, 7, 12 * HOUR),
    ];
    // An unknown event of another contract looks like a tip but is none of ours.
    let foreign = RawEvent {
        contract: OTHER_CONTRACT,
        ..tipped(&tips[0])
    };
    let blocks = vec![
        block(
            1,
            vec![
                registered(PERFORMER, [1; 32], 500),
                tipped(&tips[0]),
                tipped(&tips[1]),
            ],
        ),
        block(2, vec![]),
        block(3, vec![tipped(&tips[2]), foreign, tipped(&tips[3])]),
        block(4, vec![tipped(&tips[4])]),
    ];
    (blocks, tips)
}

#[tokio::test]
async fn tips_read_back_newest_first_by_filter_and_cursor() {
    let store = TempStore::new().await;
    assert_eq!(store.last_tip_position().await.unwrap(), None);
    let (blocks, tips) = five_tips();
    store.commit(&LIVE, &blocks, 9).await.unwrap();

    let newest_first: Vec<TipRecord> = tips.iter().rev().cloned().collect();
    assert_eq!(
        store.tips(&TipFilter::All, None, 50).await.unwrap(),
        newest_first
    );
    assert_eq!(store.last_tip_position().await.unwrap(), Some((4, 0)));
    // Every field as the event reported it, splits and memo included.
    assert_eq!(
        store.tips(&TipFilter::All, Some((1, 2)), 50).await.unwrap(),
        vec![tips[0].clone()]
    );

    let received = |performer| TipFilter::Performer(performer);
    assert_eq!(
        store.tips(&received(PERFORMER), None, 50).await.unwrap(),
        vec![tips[3].clone(), tips[1].clone(), tips[0].clone()]
    );
    assert_eq!(
        store
            .tips(&TipFilter::Viewer(VIEWER_2), None, 50)
            .await
            .unwrap(),
        vec![tips[4].clone(), tips[1].clone()]
    );
    assert!(store
        .tips(&TipFilter::Viewer(PERFORMER), None, 50)
        .await
        .unwrap()
        .is_empty());

    // Paging backwards: each page strictly before the last tip of the previous one.
    let page = store.tips(&TipFilter::All, None, 2).await.unwrap();
    assert_eq!(page, newest_first[..2]);
    let page = store
        .tips(&TipFilter::All, Some(page[1].position()), 2)
        .await
        .unwrap();
    assert_eq!(page, newest_first[2..4]);
    let page = store
        .tips(&TipFilter::All, Some(page[1].position()), 2)
        .await
        .unwrap();
    assert_eq!(page, newest_first[4..]);
    // A cursor between two tips (no tip sits at it) works as well.
    assert_eq!(
        store
            .tips(&received(PERFORMER), Some((3, 1)), 50)
            .await
            .unwrap(),
        vec![tips[1].clone(), tips[0].clone()]
    );

    // Forwards, in chain order, strictly after the position.
    assert_eq!(store.tips_after(None, 50).await.unwrap(), tips);
    assert_eq!(store.tips_after(None, 2).await.unwrap(), tips[..2]);
    assert_eq!(store.tips_after(Some((1, 2)), 50).await.unwrap(), tips[2..]);
    assert_eq!(store.tips_after(Some((3, 1)), 1).await.unwrap(), tips[3..4]);
    assert!(store.tips_after(Some((4, 0)), 50).await.unwrap().is_empty());

    // The foreign event is stored raw (all 7 events are), but it is no tip.
    assert_eq!(store.events().await.unwrap().len(), 7);
    assert_eq!(count(&store, "events WHERE viewer IS NOT NULL").await, 5);
}

// ---------------------------------------------------------------------------
// Totals.

#[tokio::test]
async fn totals_and_hourly_buckets_add_up_across_commits() {
    let store = TempStore::new().await;
    let (blocks, tips) = five_tips();
    // Two commits, so the second reads back the rows the first wrote.
    store.commit(&LIVE, &blocks[..2], 2).await.unwrap();
    store.commit(&LIVE, &blocks[2..], 4).await.unwrap();

    let live = hex(&LIVE);
    let (p1, p2, v1, v2) = (
        hex(&PERFORMER),
        hex(&PERFORMER_2),
        hex(&VIEWER),
        hex(&VIEWER_2),
    );
    let a = amount_text;
    let net = |i: usize| tips[i].net;
    assert_eq!(
        rows(
            &store,
            "SELECT account || ' ' || token || ' ' || tip_count || ' ' || gross || ' ' || net \
             || ' ' || supporters || ' ' || last_tip_ms FROM performer_totals"
        )
        .await,
        sorted(vec![
            format!(
                "{p1} {live} 2 {} {} 1 {}",
                a(1_300 * UNIT),
                a(net(0) + net(3)),
                11 * HOUR + 1
            ),
            format!("{p1} {NATIVE} 1 {} {} 1 {}", a(5_000), a(net(1)), 10 * HOUR),
            format!(
                "{p2} {live} 1 {} {} 1 {}",
                a(200 * UNIT),
                a(net(2)),
                11 * HOUR
            ),
            format!("{p2} {NATIVE} 1 {} {} 1 {}", a(7), a(net(4)), 12 * HOUR),
        ])
    );
    assert_eq!(
        rows(
            &store,
            "SELECT performer || ' ' || viewer || ' ' || token FROM supporters"
        )
        .await,
        sorted(vec![
            format!("{p1} {v1} {live}"),
            format!("{p1} {v2} {NATIVE}"),
            format!("{p2} {v1} {live}"),
            format!("{p2} {v2} {NATIVE}"),
        ])
    );
    assert_eq!(
        rows(
            &store,
            "SELECT performer || ' ' || token || ' ' || hour || ' ' || tip_count || ' ' || gross \
             FROM performer_hourly"
        )
        .await,
        sorted(vec![
            format!("{p1} {live} 10 1 {}", a(1_000 * UNIT)),
            format!("{p1} {live} 11 1 {}", a(300 * UNIT)),
            format!("{p1} {NATIVE} 10 1 {}", a(5_000)),
            format!("{p2} {live} 11 1 {}", a(200 * UNIT)),
            format!("{p2} {NATIVE} 12 1 {}", a(7)),
        ])
    );

    // A second tip from the same viewer in the same hour: one more tip, no new supporter.
    let again = tip(
        5,
        0,
        5,
        VIEWER,
        PERFORMER,
        Some(LIVE),
        50 * UNIT,
        11 * HOUR + 2,
    );
    store
        .commit(&LIVE, &[block(5, vec![tipped(&again)])], 5)
        .await
        .unwrap();
    assert!(rows(&store, "SELECT account || ' ' || token || ' ' || tip_count || ' ' || supporters FROM performer_totals")
        .await
        .contains(&format!("{p1} {live} 3 1")));
    assert!(rows(&store, "SELECT performer || ' ' || token || ' ' || hour || ' ' || tip_count || ' ' || gross FROM performer_hourly")
        .await
        .contains(&format!("{p1} {live} 11 2 {}", a(350 * UNIT))));
}

fn sorted(mut rows: Vec<String>) -> Vec<String> {
    rows.sort();
    rows
}

/// Every row the commits derive, as text: the same whatever the batches were.
async fn derived_rows(store: &Store) -> Vec<Vec<String>> {
    vec![
        rows(store, "SELECT account || token || tip_count || gross || net || supporters || last_tip_ms FROM performer_totals").await,
        rows(store, "SELECT performer || viewer || token FROM supporters").await,
        rows(store, "SELECT performer || token || hour || tip_count || gross FROM performer_hourly").await,
        rows(store, "SELECT slot || version || COALESCE(effective_at, -1) FROM rating_params").await,
        rows(store, "SELECT performer || epoch || support || vote_weight || vote_stars || voters FROM rating_scores").await,
        rows(store, "SELECT performer || viewer || epoch || stake || COALESCE(stars, 0) FROM rating_supporters").await,
        store.tips_after(None, u32::MAX).await.unwrap().iter().map(|tip| format!("{tip:?}")).collect(),
    ]
}

#[tokio::test]
async fn one_batch_or_one_block_at_a_time_derive_the_same_rows() {
    let (mut blocks, _) = five_tips();
    blocks.insert(0, block(0, vec![params_announced(1, Params::LAUNCH, 0)]));
    let whole = TempStore::new().await;
    whole.commit(&LIVE, &blocks, 4).await.unwrap();
    let single = TempStore::new().await;
    for b in &blocks {
        single
            .commit(&LIVE, std::slice::from_ref(b), 4)
            .await
            .unwrap();
    }
    assert_eq!(derived_rows(&whole).await, derived_rows(&single).await);
    assert_eq!(
        whole.events().await.unwrap(),
        single.events().await.unwrap()
    );
    assert_eq!(
        whole.checkpoint().await.unwrap(),
        single.checkpoint().await.unwrap()
    );
}

// ---------------------------------------------------------------------------
// Gaps.

#[tokio::test]
async fn a_gap_is_refused_with_nothing_written() {
    let store = TempStore::new().await;
    let (blocks, tips) = five_tips();
    store.commit(&LIVE, &blocks[..1], 1).await.unwrap();
    let before = (
        store.checkpoint().await.unwrap(),
        store.events().await.unwrap(),
        derived_rows(&store).await,
    );

    // Block 3 after block 1: refused.
    let err = store.commit(&LIVE, &blocks[2..3], 3).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Gap {
                expected: Some(2),
                got: 3
            }
        ),
        "{err}"
    );
    // Blocks 2 and 4: block 2 follows, but the batch as a whole is refused.
    let gapped = [blocks[1].clone(), blocks[3].clone()];
    let err = store.commit(&LIVE, &gapped, 4).await.unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Gap {
                expected: Some(3),
                got: 4
            }
        ),
        "{err}"
    );
    // A tip of block 3 before block 2 (block 3 holds tips, so the refusal comes after
    // rows were gathered): still nothing.
    let tip_first = [block(2, vec![tipped(&tips[2])]), blocks[3].clone()];
    assert!(store.commit(&LIVE, &tip_first, 4).await.is_err());

    let after = (
        store.checkpoint().await.unwrap(),
        store.events().await.unwrap(),
        derived_rows(&store).await,
    );
    assert_eq!(before, after);
    assert_eq!(
        store.checkpoint().await.unwrap().map(|c| c.block_number),
        Some(1)
    );

    // The missing block then goes in.
    store.commit(&LIVE, &blocks[1..], 4).await.unwrap();
    assert_eq!(store.tips_after(None, 50).await.unwrap(), tips);
}

// ---------------------------------------------------------------------------
// Registry.

/// The performers table, `account profile max_fee splits verifier listing block`
/// (`-` for NULL).
async fn performers(store: &Store) -> Vec<String> {
    rows(
        store,
        "SELECT account || ' ' || profile || ' ' || max_fee_bps || ' ' || splits || ' ' || \
         COALESCE(adult_verifier, '-') || ' ' || COALESCE(adult_listing, '-') || ' ' || \
         registered_block FROM performers",
    )
    .await
}

async fn listings(store: &Store) -> Vec<String> {
    rows(
        store,
        "SELECT listing || ' ' || verifier || ' ' || listed_block || ' ' || \
         COALESCE(delisted_block, '-') FROM verifier_listings",
    )
    .await
}

#[tokio::test]
async fn the_registry_follows_registrations_splits_attestations_listings_and_erasure() {
    let store = TempStore::new().await;
    let (p1, p2, v1, v2) = (
        hex(&PERFORMER),
        hex(&PERFORMER_2),
        hex(&VERIFIER),
        hex(&VERIFIER_2),
    );
    let (profile, profile_2) = (hex::encode([1u8; 32]), hex::encode([2u8; 32]));
    store
        .commit(
            &LIVE,
            &[
                block(0, vec![verifier_changed(VERIFIER, true)]),
                block(
                    1,
                    vec![
                        registered(PERFORMER, [1; 32], 500),
                        registered(PERFORMER_2, [1; 32], 300),
                        splits_changed(PERFORMER, vec![(CO_RECIPIENT, 1_000), (VIEWER, 250)]),
                        attestation(PERFORMER, VERIFIER, true),
                        // Not listed: the attestation is kept without a listing.
                        attestation(PERFORMER_2, VERIFIER_2, true),
                    ],
                ),
            ],
            1,
        )
        .await
        .unwrap();
    let splits = format!(
        "[[\"{}\",1000],[\"{}\",250]]",
        hex(&CO_RECIPIENT),
        hex(&VIEWER)
    );
    assert_eq!(
        performers(&store).await,
        vec![
            format!("{p1} {profile} 500 {splits} {v1} 1 1"),
            format!("{p2} {profile} 300 [] {v2} - 1"),
        ]
    );
    assert_eq!(listings(&store).await, vec![format!("1 {v1} 0 -")]);

    // Delisted, then listed again: a second listing; a new attestation keeps it,
    // the old one keeps the first (void) listing.
    store
        .commit(
            &LIVE,
            &[
                block(2, vec![verifier_changed(VERIFIER, false)]),
                block(
                    3,
                    vec![
                        verifier_changed(VERIFIER, true),
                        attestation(PERFORMER_2, VERIFIER, true),
                        profile_changed(PERFORMER, [2; 32]),
                        max_fee_changed(PERFORMER, 150),
                    ],
                ),
            ],
            3,
        )
        .await
        .unwrap();
    assert_eq!(
        listings(&store).await,
        vec![format!("1 {v1} 0 2"), format!("2 {v1} 3 -")]
    );
    assert_eq!(
        performers(&store).await,
        vec![
            format!("{p1} {profile_2} 150 {splits} {v1} 1 1"),
            format!("{p2} {profile} 300 [] {v1} 2 1"),
        ]
    );

    // Withdrawn, erased, registered again: a fresh entry each time.
    store
        .commit(
            &LIVE,
            &[block(
                4,
                vec![
                    attestation(PERFORMER_2, VERIFIER, false),
                    erased(PERFORMER),
                    registered(PERFORMER_2, [2; 32], 200),
                ],
            )],
            4,
        )
        .await
        .unwrap();
    assert_eq!(
        performers(&store).await,
        vec![format!("{p2} {profile_2} 200 [] - - 4")]
    );
    store
        .commit(
            &LIVE,
            &[block(5, vec![registered(PERFORMER, [1; 32], 500)])],
            5,
        )
        .await
        .unwrap();
    assert_eq!(
        performers(&store).await,
        vec![
            format!("{p1} {profile} 500 [] - - 5"),
            format!("{p2} {profile_2} 200 [] - - 4"),
        ]
    );

    // The same events from another contract change nothing.
    let foreign = emitted(
        OTHER_CONTRACT,
        LiveEvent::PerformerErased(PerformerErased {
            performer: PERFORMER,
        }),
    );
    store
        .commit(&LIVE, &[block(6, vec![foreign])], 6)
        .await
        .unwrap();
    assert_eq!(performers(&store).await.len(), 2);
}

// ---------------------------------------------------------------------------
// Rating.

#[tokio::test]
async fn the_rating_state_is_rating_formula_applied_to_the_events() {
    let store = TempStore::new().await;
    assert_eq!(load_schedule(store.pool()).await.unwrap(), None);
    let t1 = 40 * TICK_MS;
    let t2 = 41 * TICK_MS + 5;
    let live_tip = tip(1, 0, 0, VIEWER, PERFORMER, Some(LIVE), 1_000 * UNIT, t1);
    let native_tip = tip(1, 1, 1, VIEWER_2, PERFORMER, None, 1_000 * UNIT, t1);
    let other_tip = tip(1, 2, 2, VIEWER_2, PERFORMER, Some(LIVE), 400 * UNIT, t1);
    let later_tip = tip(2, 1, 3, VIEWER, PERFORMER, Some(LIVE), 500 * UNIT, t2);
    store
        .commit(
            &LIVE,
            &[
                block(0, vec![params_announced(1, Params::LAUNCH, 0)]),
                block(
                    1,
                    vec![tipped(&live_tip), tipped(&native_tip), tipped(&other_tip)],
                ),
            ],
            1,
        )
        .await
        .unwrap();
    // A second commit: the rows are read back, changed and written again.
    store
        .commit(
            &LIVE,
            &[block(
                2,
                vec![rated(PERFORMER, VIEWER, 4, None, t2), tipped(&later_tip)],
            )],
            2,
        )
        .await
        .unwrap();

    // The contract's calls, in the events' order: native tips stake nothing.
    let mut score = Score::default();
    let (mut viewer, mut viewer_2) = (Contribution::default(), Contribution::default());
    score
        .stake(&mut viewer, live_tip.burned, tick_of(t1))
        .unwrap();
    score
        .stake(&mut viewer_2, other_tip.burned, tick_of(t1))
        .unwrap();
    assert_eq!(score.vote(&mut viewer, 4, tick_of(t2)).unwrap(), None);
    score
        .stake(&mut viewer, later_tip.burned, tick_of(t2))
        .unwrap();

    assert_eq!(
        load_score(store.pool(), &hex(&PERFORMER)).await.unwrap(),
        Some(score)
    );
    assert_eq!(
        load_score(store.pool(), &hex(&PERFORMER_2)).await.unwrap(),
        None
    );
    let scores = load_scores(store.pool()).await.unwrap();
    assert_eq!(scores.len(), 1);
    assert_eq!(scores[&hex(&PERFORMER)], score);
    let contribution = |entry: &Contribution| {
        format!(
            "{} {} {}",
            entry.epoch,
            amount_text(entry.stake),
            entry.stars.map_or(0, i64::from)
        )
    };
    assert_eq!(
        rows(
            &store,
            "SELECT viewer || ' ' || epoch || ' ' || stake || ' ' || COALESCE(stars, 0) \
             FROM rating_supporters"
        )
        .await,
        sorted(vec![
            format!("{} {}", hex(&VIEWER), contribution(&viewer)),
            format!("{} {}", hex(&VIEWER_2), contribution(&viewer_2)),
        ])
    );

    let schedule = load_schedule(store.pool())
        .await
        .unwrap()
        .expect("announced");
    let launch = VersionedParams {
        version: 1,
        params: Params::LAUNCH,
    };
    assert_eq!(schedule, Scheduled::new(launch));
    let now = t2 + HOUR;
    assert_eq!(
        rating_at(&schedule, Some(&score), now),
        (1, score.rating(&Params::LAUNCH, tick_of(now)))
    );
    assert!(score.rating(&Params::LAUNCH, tick_of(now)).rating_ppm > 0);
}

#[tokio::test]
async fn an_event_the_contract_could_not_emit_is_refused_with_nothing_written() {
    let store = TempStore::new().await;
    store
        .commit(
            &LIVE,
            &[block(0, vec![params_announced(1, Params::LAUNCH, 0)])],
            0,
        )
        .await
        .unwrap();
    // Stars from a viewer who never tipped.
    let err = store
        .commit(
            &LIVE,
            &[block(1, vec![rated(PERFORMER, VIEWER, 5, None, HOUR)])],
            1,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            StoreError::Replay {
                block: 1,
                index: 0,
                ..
            }
        ),
        "{err}"
    );
    assert_eq!(
        store.checkpoint().await.unwrap().map(|c| c.block_number),
        Some(0)
    );
    assert_eq!(store.events().await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------
// Private shows.

#[tokio::test]
async fn a_show_is_stored_with_its_sums_events_terms_and_stake() {
    use livestars_indexer::decode::{ShowEnded, ShowOpened, ShowPaid};
    use livestars_indexer::store::{ShowFilter, ShowTermsRecord};
    let price = 60 * UNIT;
    let paid = |gross: u128, at: u64| {
        live(LiveEvent::ShowPaid(ShowPaid {
            viewer: VIEWER,
            performer: PERFORMER,
            show_id: 7,
            gross,
            platform_fee: gross / 40,
            treasury: TREASURY,
            burned: gross / 100,
            splits: vec![(CO_RECIPIENT, gross / 10)],
            net: gross - gross / 40 - gross / 100 - gross / 10,
            at,
        }))
    };
    let blocks = vec![
        block(
            0,
            vec![
                params_announced(1, Params::LAUNCH, 0),
                registered(PERFORMER, [1; 32], 500),
                live(LiveEvent::ShowTermsChanged(ShowTermsChanged {
                    performer: PERFORMER,
                    price_per_minute: price,
                    available: true,
                })),
            ],
        ),
        block(
            1,
            vec![live(LiveEvent::ShowOpened(ShowOpened {
                viewer: VIEWER,
                performer: PERFORMER,
                show_id: 7,
                price_per_minute: price,
                deposit: 10 * price,
                fee_bps: 250,
                burn_bps: 100,
                at: HOUR,
            }))],
        ),
        block(
            2,
            vec![
                paid(30 * UNIT, HOUR + 30_000),
                live(LiveEvent::ShowToppedUp(ShowToppedUp {
                    viewer: VIEWER,
                    performer: PERFORMER,
                    show_id: 7,
                    amount: price,
                    deposit: 11 * price,
                    at: HOUR + 30_000,
                })),
            ],
        ),
    ];
    let store = TempStore::new().await;
    store.commit(&LIVE, &blocks, 4).await.unwrap();
    assert_eq!(
        store.show_terms(&PERFORMER).await.unwrap(),
        Some(ShowTermsRecord {
            performer: PERFORMER,
            price_per_minute: price,
            available: true
        })
    );
    let open = store
        .shows(&VIEWER, ShowFilter::Open, None, 10)
        .await
        .unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!((open[0].deposit, open[0].paid), (11 * price, 30 * UNIT));
    assert!(open[0].is_open());
    // The show's stake counts in the score like a tip's.
    let score = load_score(store.pool(), &hex(&PERFORMER))
        .await
        .unwrap()
        .expect("a score");
    assert!(score.support > 0);

    let end = vec![
        block(3, vec![paid(60 * UNIT, HOUR + 90_000)]),
        block(
            4,
            vec![
                live(LiveEvent::ShowEnded(ShowEnded {
                    viewer: VIEWER,
                    performer: PERFORMER,
                    show_id: 7,
                    ended_by: VIEWER,
                    deposit: 11 * price,
                    paid: 90 * UNIT,
                    refunded: 11 * price - 90 * UNIT,
                    billed_seconds: 90,
                    at: HOUR + 90_000,
                })),
                erased(PERFORMER),
            ],
        ),
    ];
    store.commit(&LIVE, &end, 4).await.unwrap();
    let show = store.show(7).await.unwrap().expect("the show");
    assert!(!show.is_open());
    assert_eq!(show.paid, 90 * UNIT);
    assert_eq!(show.refunded, 11 * price - 90 * UNIT);
    assert_eq!(show.burned, 30 * UNIT / 100 + 60 * UNIT / 100);
    assert_eq!(show.billed_seconds, Some(90));
    assert_eq!(show.ended_by, Some(VIEWER));
    let kinds: Vec<String> = store
        .show_events(7)
        .await
        .unwrap()
        .into_iter()
        .map(|event| event.kind)
        .collect();
    assert_eq!(kinds, ["opened", "paid", "topped_up", "paid", "ended"]);
    assert!(store
        .shows(&PERFORMER, ShowFilter::Open, None, 10)
        .await
        .unwrap()
        .is_empty());
    assert_eq!(
        store
            .shows(&PERFORMER, ShowFilter::All, None, 10)
            .await
            .unwrap()
            .len(),
        1
    );
    assert_eq!(
        store
            .shows(&PERFORMER, ShowFilter::All, Some(7), 10)
            .await
            .unwrap()
            .len(),
        0
    );
    let earnings = store.show_earnings(&PERFORMER).await.unwrap();
    assert_eq!((earnings.shows, earnings.paid), (1, 90 * UNIT));
    assert_eq!(earnings.net, show.net);
    assert_eq!(store.show_terms(&PERFORMER).await.unwrap(), None, "erased");
    assert_eq!(
        store
            .show_events_after(Some((2, 1)), 10)
            .await
            .unwrap()
            .len(),
        2,
        "the feed after the top-up: the last payment and the end"
    );

    // A show opened before the indexed range: its payment is kept as an event, and
    // indexing goes on.
    let orphan = live(LiveEvent::ShowPaid(ShowPaid {
        viewer: VIEWER_2,
        performer: PERFORMER,
        show_id: 3,
        gross: 6 * UNIT,
        platform_fee: 0,
        treasury: TREASURY,
        burned: 0,
        splits: Vec::new(),
        net: 6 * UNIT,
        at: HOUR + 100_000,
    }));
    store
        .commit(&LIVE, &[block(5, vec![orphan])], 4)
        .await
        .unwrap();
    assert_eq!(store.show(3).await.unwrap(), None);
    assert_eq!(store.show_events(3).await.unwrap().len(), 1);
}

// ---------------------------------------------------------------------------
// Vouchers.

#[tokio::test]
async fn voucher_keys_and_paid_orders_are_stored_without_buyers() {
    use livestars_indexer::decode::{
        VoucherKeyClosed, VoucherKeyRegistered, VoucherTerms, VouchersBought,
    };
    let terms = VoucherTerms {
        denomination: 10 * UNIT,
        relay_fee: UNIT / 10,
        stipend: 1_000,
        price_live: 11 * UNIT,
        price_native: 5_000,
    };
    let public = [0xab; 32];
    let bought = |key_id: u64, count: u32, order: [u8; 32]| {
        live(LiveEvent::VouchersBought(VouchersBought {
            buyer: VIEWER,
            key_id,
            count,
            order,
            paid: 11 * UNIT * u128::from(count),
            native: false,
        }))
    };
    let blocks = vec![
        block(
            0,
            vec![live(LiveEvent::VoucherKeyRegistered(
                VoucherKeyRegistered {
                    desk: VERIFIER,
                    key_id: 4,
                    public,
                    terms,
                    redeem_until: 9 * HOUR,
                },
            ))],
        ),
        block(1, vec![bought(4, 2, [1; 32]), bought(4, 3, [1; 32])]),
        block(2, vec![bought(4, 1, [2; 32])]),
    ];
    let temp = TempStore::new().await;
    let store = &temp.store;
    store.commit(&LIVE, &blocks, 2).await.unwrap();

    let keys = store.voucher_keys_of(&public).await.unwrap();
    assert_eq!(keys.len(), 1);
    let key = &keys[0];
    assert_eq!(
        (key.key_id, key.desk, key.terms, key.redeem_until_ms),
        (4, VERIFIER, terms, 9 * HOUR)
    );
    assert_eq!((key.registered_block, key.closed_block), (0, None));
    assert!(store.voucher_keys_of(&[0xcd; 32]).await.unwrap().is_empty());
    assert_eq!(store.voucher_key_count().await.unwrap(), 1);

    assert_eq!(
        store.vouchers_paid(&[1; 32], 4).await.unwrap(),
        5,
        "they add up"
    );
    assert_eq!(store.vouchers_paid(&[2; 32], 4).await.unwrap(), 1);
    assert_eq!(
        store.vouchers_paid(&[1; 32], 5).await.unwrap(),
        0,
        "per key"
    );
    assert_eq!(store.vouchers_paid(&[3; 32], 4).await.unwrap(), 0);
    assert_eq!(store.vouchers_paid(&[1; 32], u64::MAX).await.unwrap(), 0);
    assert_eq!(
        rows(store, "SELECT order_ref FROM voucher_orders").await,
        vec![hex(&[1; 32]), hex(&[2; 32])]
    );

    let closed = live(LiveEvent::VoucherKeyClosed(VoucherKeyClosed {
        desk: VERIFIER,
        key_id: 4,
        returned: 0,
        returned_native: 0,
    }));
    store
        .commit(&LIVE, &[block(3, vec![closed])], 3)
        .await
        .unwrap();
    let keys = store.voucher_keys_of(&public).await.unwrap();
    assert_eq!(keys[0].closed_block, Some(3));
    assert_eq!(
        store.voucher_key_count().await.unwrap(),
        1,
        "a closed key is still counted: the contract's ids do not go back"
    );
}
