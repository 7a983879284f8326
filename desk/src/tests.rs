//! The desk over a real SQLite index fed the contract's events, with its keys and
//! ledger in a temporary directory: it signs exactly what orders paid for, one
//! session per key at a time, and keeps nothing of what it signed.

use super::*;
use blind_sr25519::{blind, verify};
use keys::KeyRing;
use livestars_abi::Rng;
use livestars_indexer::decode::{
    voucher_message, LiveEvent, VoucherKeyRegistered, VoucherTerms, VouchersBought,
};
use livestars_indexer::fixtures::{block, live, LIVE_TOKEN, VERIFIERS, VIEWERS};
use rotation::{RotationPolicy, Step};
use std::collections::BTreeSet;
use std::path::PathBuf;

const NOW: u64 = 1_000_000;
const TERMS: VoucherTerms = VoucherTerms {
    denomination: 10,
    relay_fee: 1,
    stipend: 0,
    price_live: 10,
    price_native: 0,
};

/// A directory removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Self {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos());
        let dir = std::env::temp_dir().join(format!(
            "livestars-desk-test-{}-{nanos}",
            std::process::id()
        ));
        std::fs::create_dir_all(&dir).expect("temp dir");
        Self(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// A desk with one key, registered as key 3 and redeemable until `NOW + 1000`;
/// order `[1; 32]` paid for `paid` vouchers of it.
async fn desk(dir: &TempDir, paid: u32, timeout: Duration) -> (Desk, [u8; 32]) {
    let public = KeyRing::create(&dir.0.join("keys")).unwrap();
    let store = Store::connect(dir.0.join("index.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let registered = live(LiveEvent::VoucherKeyRegistered(VoucherKeyRegistered {
        desk: VERIFIERS[0],
        key_id: 3,
        public,
        terms: TERMS,
        redeem_until: NOW + 1000,
    }));
    let bought = live(LiveEvent::VouchersBought(VouchersBought {
        buyer: VIEWERS[0],
        key_id: 3,
        count: paid,
        order: [1; 32],
        paid: 10 * u128::from(paid),
        native: false,
    }));
    store
        .commit(&LIVE_TOKEN, &[block(0, vec![registered, bought])], 0)
        .await
        .unwrap();
    let desk = Desk::open(&dir.0.join("keys"), store, timeout)
        .await
        .unwrap();
    (desk, public)
}

/// A buyer's whole session for a voucher paying `recipient`: the signature the
/// buyer ends with, checked against the key.
async fn buy_one(
    desk: &Desk,
    public: &[u8; 32],
    recipient: [u8; 32],
) -> Result<[u8; 64], DeskError> {
    let (id, commitment) = desk.open_session([1; 32], 3, NOW).await?;
    let message = voucher_message(&LIVE_TOKEN, 3, &recipient, &[recipient[0]; 32]);
    let (blinded, challenge) = blind(public, &commitment, &message).unwrap();
    let response = desk.respond(id, challenge).await?;
    let signature = blinded.unblind(&response).unwrap();
    assert!(verify(public, &message, &signature));
    Ok(signature)
}

#[tokio::test]
async fn an_order_gets_exactly_the_vouchers_it_paid_for() {
    let dir = TempDir::new();
    let (desk, public) = desk(&dir, 2, Duration::from_secs(10)).await;
    let offered = desk.offered(NOW).await.unwrap();
    assert_eq!(offered.len(), 1);
    assert_eq!(
        (offered[0].record.key_id, offered[0].record.terms),
        (3, TERMS)
    );

    buy_one(&desk, &public, [7; 32]).await.unwrap();
    buy_one(&desk, &public, [8; 32]).await.unwrap();
    assert!(matches!(
        buy_one(&desk, &public, [9; 32]).await,
        Err(DeskError::NothingOwed(3))
    ));
    assert!(matches!(
        desk.open_session([2; 32], 3, NOW).await,
        Err(DeskError::NothingOwed(3))
    ));
    assert!(matches!(
        desk.open_session([1; 32], 4, NOW).await,
        Err(DeskError::UnknownKey(4))
    ));
    // Expired at its `redeem_until`: no longer offered.
    assert!(desk.offered(NOW + 1000).await.unwrap().is_empty());
    assert!(matches!(
        desk.open_session([1; 32], 3, NOW + 1000).await,
        Err(DeskError::UnknownKey(3))
    ));
}

#[tokio::test]
async fn a_key_serves_one_session_at_a_time_and_a_late_answer_is_refused() {
    let dir = TempDir::new();
    let (desk, public) = desk(&dir, 3, Duration::from_millis(300)).await;
    let (first, _) = desk.open_session([1; 32], 3, NOW).await.unwrap();
    assert!(matches!(
        desk.open_session([1; 32], 3, NOW).await,
        Err(DeskError::Busy { .. })
    ));
    // Abandoned: after the timeout the key serves the next session, and the
    // first can no longer be answered (nor was anything counted for it).
    tokio::time::sleep(Duration::from_millis(350)).await;
    let (second, _) = desk.open_session([1; 32], 3, NOW).await.unwrap();
    assert!(matches!(
        desk.respond(first, [0; 32]).await,
        Err(DeskError::NoSession)
    ));
    desk.respond(second, [0; 32]).await.unwrap();
    assert!(matches!(
        desk.respond(second, [0; 32]).await,
        Err(DeskError::NoSession)
    ));
    // A malformed challenge is refused and counts nothing.
    let (third, _) = desk.open_session([1; 32], 3, NOW).await.unwrap();
    assert!(matches!(
        desk.respond(third, [0xff; 32]).await,
        Err(DeskError::Malformed(_))
    ));
    // The order paid for 3: one answered, two left.
    buy_one(&desk, &public, [7; 32]).await.unwrap();
    buy_one(&desk, &public, [8; 32]).await.unwrap();
    assert!(matches!(
        buy_one(&desk, &public, [9; 32]).await,
        Err(DeskError::NothingOwed(3))
    ));
}

#[tokio::test]
async fn the_desk_keeps_nothing_of_what_it_signed() {
    let dir = TempDir::new();
    let (desk, public) = desk(&dir, 2, Duration::from_secs(10)).await;
    let recipients = [[0x5a; 32], [0xa5; 32]];
    let mut signatures = Vec::new();
    for recipient in recipients {
        signatures.push(buy_one(&desk, &public, recipient).await.unwrap());
    }
    drop(desk);
    let mut planted: Vec<Vec<u8>> = Vec::new();
    for (recipient, signature) in recipients.iter().zip(&signatures) {
        let message = voucher_message(&LIVE_TOKEN, 3, recipient, &[recipient[0]; 32]);
        planted.extend([
            recipient.to_vec(),
            signature[..32].to_vec(),
            signature[32..].to_vec(),
        ]);
        planted.push(message.to_vec());
    }
    let hexes: Vec<Vec<u8>> = planted
        .iter()
        .map(|bytes| hex::encode(bytes).into_bytes())
        .collect();
    for entry in std::fs::read_dir(dir.0.join("keys")).unwrap() {
        let path = entry.unwrap().path();
        let stored = std::fs::read(&path).unwrap();
        for needle in planted.iter().chain(&hexes) {
            assert!(
                !stored
                    .windows(needle.len())
                    .any(|window| window == needle.as_slice()),
                "{} holds a voucher's bytes",
                path.display()
            );
        }
    }
}

/// 100 buyers each pay for one voucher, one every 6 s, and redeem it after a
/// random delay of up to 6 hours (what the client's randomised delay gives).
/// The adversary holds the desk's records (which order opened which session,
/// when, and every number the desk saw or sent) and everything public (purchase
/// and redemption times, the vouchers).
///
/// - Its best test on the numbers (`session_fits`) accepts every session for
///   every voucher: 100 candidates each, as for a random guess.
/// - Its best test on time matches the k-th redemption with the k-th purchase.
///   Under pure chance, the count of right matches is about Poisson(1)
///   (P(≥ 7) < 10⁻⁴); the test prints the count and fails from 7 up.
#[tokio::test]
async fn a_hundred_redemptions_link_to_their_purchases_no_better_than_chance() {
    const BUYERS: usize = 100;
    let dir = TempDir::new();
    let public = KeyRing::create(&dir.0.join("keys")).unwrap();
    let store = Store::connect(dir.0.join("index.sqlite").to_str().unwrap())
        .await
        .unwrap();
    let order = |i: usize| [u8::try_from(i).unwrap(); 32];
    let mut events = vec![live(LiveEvent::VoucherKeyRegistered(
        VoucherKeyRegistered {
            desk: VERIFIERS[0],
            key_id: 3,
            public,
            terms: TERMS,
            redeem_until: NOW + 1000,
        },
    ))];
    events.extend((0..BUYERS).map(|i| {
        live(LiveEvent::VouchersBought(VouchersBought {
            buyer: [u8::try_from(i).unwrap(); 32],
            key_id: 3,
            count: 1,
            order: order(i),
            paid: 10,
            native: false,
        }))
    }));
    store
        .commit(&LIVE_TOKEN, &[block(0, events)], 0)
        .await
        .unwrap();
    let desk = Desk::open(&dir.0.join("keys"), store, Duration::from_secs(10))
        .await
        .unwrap();

    let mut rng = Rng::new(20_261_204);
    // What the desk saw, per purchase: (R, c, s) and the purchase time.
    let mut desk_view = Vec::new();
    // What the chain shows at redemption: the voucher and its time.
    let mut redemptions = Vec::new();
    for i in 0..BUYERS {
        let purchased_at = i as u64 * 6_000;
        let (id, commitment) = desk.open_session(order(i), 3, NOW).await.unwrap();
        let (recipient, serial) = (blind_sr25519::random_bytes(), blind_sr25519::random_bytes());
        let message = voucher_message(&LIVE_TOKEN, 3, &recipient, &serial);
        let (blinded, challenge) = blind(&public, &commitment, &message).unwrap();
        let response = desk.respond(id, challenge).await.unwrap();
        let signature = blinded.unblind(&response).unwrap();
        desk_view.push(((commitment, challenge, response), purchased_at));
        let delay = rng.next_u64() % (6 * 3_600_000);
        redemptions.push((purchased_at + delay, message, signature, i));
    }

    let mut fewest_fits = BUYERS;
    for (_, message, signature, _) in &redemptions {
        let fits = desk_view
            .iter()
            .filter(|((r, c, s), _)| {
                blind_sr25519::session_fits(&public, (r, c, s), message, signature)
            })
            .count();
        fewest_fits = fewest_fits.min(fits);
    }
    assert_eq!(fewest_fits, BUYERS, "every voucher fits every session");

    redemptions.sort_by_key(|(at, ..)| *at);
    let right = redemptions
        .iter()
        .enumerate()
        .filter(|(k, (.., buyer))| k == buyer)
        .count();
    println!(
        "unlinkability: every one of {BUYERS} vouchers fits all {BUYERS} sessions; matching by \
         time got {right} of {BUYERS} right (chance: 1)"
    );
    assert!(right < 7, "timing linked {right} of {BUYERS}");
}

/// A key registration of `VERIFIERS[0]` for the plan's tests.
fn record(key_id: u64, denomination: u128, redeem_until_ms: u64) -> VoucherKeyRecord {
    VoucherKeyRecord {
        key_id,
        desk: VERIFIERS[0],
        public_key: [key_id as u8; 32],
        terms: VoucherTerms {
            denomination,
            ..TERMS
        },
        redeem_until_ms,
        registered_block: 1,
        closed_block: None,
    }
}

const POLICY: RotationPolicy = RotationPolicy {
    key_lifetime_ms: 10_000,
    lead_ms: 2_000,
    backing_vouchers: 5,
    every: Duration::from_secs(1),
};

#[test]
fn rotation_renews_a_denomination_before_its_keys_end_backs_and_closes() {
    let none = BTreeSet::new();
    let plan = |keys: &[VoucherKeyRecord], unbacked: &BTreeSet<u64>, now| {
        rotation::plan(keys, &VERIFIERS[0], unbacked, now, &POLICY)
    };
    let register = |denomination, now: u64| Step::Register {
        terms: VoucherTerms {
            denomination,
            ..TERMS
        },
        redeem_until_ms: now + POLICY.key_lifetime_ms,
    };
    // Both denominations have over the lead left: nothing to do.
    let keys = [record(1, 10, NOW + 5_000), record(2, 100, NOW + 9_000)];
    assert_eq!(plan(&keys, &none, NOW), []);
    // The 10s' only key is within the lead (and not at its end yet): renewed.
    assert_eq!(plan(&keys, &none, NOW + 3_500), [register(10, NOW + 3_500)]);
    // An open key with time left decides: an old key ending does not renew its
    // denomination, but is closed once expired; a key nothing backs is backed.
    let keys = [
        record(1, 10, NOW + 5_000),
        record(3, 10, NOW + 14_000),
        record(2, 100, NOW + 9_000),
    ];
    assert_eq!(plan(&keys, &none, NOW + 4_000), []);
    assert_eq!(
        plan(&keys, &BTreeSet::from([3]), NOW + 7_500),
        [
            register(100, NOW + 7_500),
            Step::Back {
                key_id: 3,
                terms: TERMS
            },
            Step::Close { key_id: 1 },
        ]
    );
    // A denomination whose keys were all closed (by anyone) is still renewed,
    // with its latest registration's terms; other desks' keys are not this
    // desk's business.
    let closed = VoucherKeyRecord {
        closed_block: Some(9),
        terms: VoucherTerms {
            price_live: 12,
            ..TERMS
        },
        ..record(5, 10, NOW + 5_000)
    };
    let older = VoucherKeyRecord {
        closed_block: Some(8),
        ..record(1, 10, NOW + 4_000)
    };
    let other = VoucherKeyRecord {
        desk: VIEWERS[1],
        ..record(4, 1_000, NOW + 1_000)
    };
    assert_eq!(
        plan(&[older, closed.clone(), other], &none, NOW + 6_000),
        [Step::Register {
            terms: closed.terms,
            redeem_until_ms: NOW + 6_000 + POLICY.key_lifetime_ms,
        }]
    );
}

#[tokio::test]
async fn a_key_made_while_serving_is_offered_once_registered() {
    let dir = TempDir::new();
    let (desk, _) = desk(&dir, 0, Duration::from_secs(10)).await;
    let public = desk.make_key().unwrap();
    assert!(dir
        .0
        .join("keys")
        .join(format!("{}.key", hex::encode(public)))
        .is_file());
    assert_eq!(desk.offered(NOW).await.unwrap().len(), 1);
    let registered = live(LiveEvent::VoucherKeyRegistered(VoucherKeyRegistered {
        desk: VERIFIERS[0],
        key_id: 4,
        public,
        terms: TERMS,
        redeem_until: NOW + 5_000,
    }));
    desk.store
        .commit(&LIVE_TOKEN, &[block(1, vec![registered])], 0)
        .await
        .unwrap();
    let offered: Vec<u64> = desk
        .offered(NOW)
        .await
        .unwrap()
        .iter()
        .map(|key| key.record.key_id)
        .collect();
    assert_eq!(offered, [3, 4]);
    assert_eq!(
        desk.registered().await.unwrap().len(),
        2,
        "both registrations of the desk's keys"
    );
    // A key the chain refused to register is deleted.
    let refused = desk.make_key().unwrap();
    desk.discard_key(&refused).unwrap();
    assert!(!dir
        .0
        .join("keys")
        .join(format!("{}.key", hex::encode(refused)))
        .exists());
    assert!(desk.keys.signer(&refused).is_err());
}

#[tokio::test]
async fn a_copy_of_the_desks_key_registered_by_another_account_is_not_offered() {
    let dir = TempDir::new();
    let (desk, public) = desk(&dir, 1, Duration::from_secs(10)).await;
    // Anyone can register the desk's public key (it is on chain) under their own
    // account and terms, and sell vouchers of it.
    let copy = live(LiveEvent::VoucherKeyRegistered(VoucherKeyRegistered {
        desk: VIEWERS[1],
        key_id: 5,
        public,
        terms: VoucherTerms {
            price_live: 1_000,
            ..TERMS
        },
        redeem_until: NOW + 1000,
    }));
    let paid = live(LiveEvent::VouchersBought(VouchersBought {
        buyer: VIEWERS[0],
        key_id: 5,
        count: 1,
        order: [1; 32],
        paid: 1_000,
        native: false,
    }));
    desk.store
        .commit(&LIVE_TOKEN, &[block(1, vec![copy, paid])], 0)
        .await
        .unwrap();
    let ids = |offered: Vec<keys::OfferedKey>| -> Vec<u64> {
        offered.iter().map(|key| key.record.key_id).collect()
    };
    assert_eq!(
        ids(desk.offered(NOW).await.unwrap()),
        [3, 5],
        "account unknown"
    );
    let desk = desk.registered_by(VERIFIERS[0]);
    assert_eq!(ids(desk.offered(NOW).await.unwrap()), [3]);
    assert!(matches!(
        desk.open_session([1; 32], 5, NOW).await,
        Err(DeskError::UnknownKey(5))
    ));
    buy_one(&desk, &public, [7; 32]).await.unwrap();
}
