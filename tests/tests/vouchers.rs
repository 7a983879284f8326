//! Anonymous LIVE end to end (`docs/PRIVACY.md`): a real node with LIVE deployed,
//! the `livestars-api` binary running the voucher desk (its key made by
//! `livestars-desk new-key`) and the relayer. //Charlie buys two vouchers, the
//! desk blind-signs them over HTTP, the relayer redeems them into a fresh key
//! that never received anything else; the key tips //Bob, rates him and pays a
//! private show with its own stipend. Nothing indexed links //Charlie to the key
//! except through the contract's pool, and neither the desk's files nor the
//! API's log hold the key.

use blind_sr25519::{blind, random_bytes};
use livestars_desk::rotation::OnChainKey;
use livestars_indexer::config::ss58;
use livestars_indexer::decode::{voucher_message, AccountId, LiveEvent, Transfer, VoucherTerms};
use livestars_indexer::now_ms;
use livestars_indexer::store::Store;
use livestars_tests::*;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};
use std::process::Command;
use std::time::Duration;
use subxt_signer::sr25519::Keypair;

/// One unit of the dev chain's native currency (12 decimals, as LIVE).
const UNIT: u128 = 1_000_000_000_000;

async fn post(base: &str, path: &str, body: &Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(format!("{base}{path}"))
        .json(body)
        .send()
        .await
        .expect("the API answers");
    let status = response.status().as_u16();
    (status, response.json().await.unwrap_or(Value::Null))
}

fn hex32(value: &Value) -> [u8; 32] {
    hex::decode(value.as_str().expect("hex"))
        .expect("hex")
        .try_into()
        .expect("32 bytes")
}

/// The desk's side over HTTP, the buyer's in this test: one voucher of `key_id`
/// for `order`, paying `recipient`; returns its serial and signature.
async fn buy_voucher(
    base: &str,
    token: &AccountId,
    (key_id, public): (u64, [u8; 32]),
    order: [u8; 32],
    recipient: &AccountId,
) -> ([u8; 32], [u8; 64]) {
    let open = json!({ "order": hex::encode(order), "key_id": key_id });
    // The purchase may not be indexed yet: the desk owes nothing until it is.
    let mut opened = Value::Null;
    for _ in 0..300 {
        let (status, body) = post(base, "/v1/desk/sessions", &open).await;
        match status {
            201 => {
                opened = body;
                break;
            }
            409 | 503 => tokio::time::sleep(Duration::from_millis(100)).await,
            other => panic!("opening a session: {other} {body}"),
        }
    }
    assert!(
        opened.is_object(),
        "the desk never owed the order a voucher"
    );
    let serial = random_bytes();
    let message = voucher_message(token, key_id, recipient, &serial);
    let (blinded, challenge) = blind(&public, &hex32(&opened["commitment"]), &message).unwrap();
    let path = format!("/v1/desk/sessions/{}", opened["session"].as_str().unwrap());
    let (status, answered) =
        post(base, &path, &json!({ "challenge": hex::encode(challenge) })).await;
    assert_eq!(status, 200, "{answered}");
    let signature = blinded.unblind(&hex32(&answered["response"])).unwrap();
    (serial, signature)
}

#[tokio::test(flavor = "multi_thread")]
async fn vouchers_fund_a_key_nobody_can_tie_to_its_buyer() {
    let dir = TempDir::new("vouchers");
    let node = Node::start(None, &dir.0).await.expect("node");
    let (deployment, file) = deploy(&node, &dir.0).expect("deploy");
    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    let token = deployment.live_token;
    let (alice, bob, charlie, eve) = (key("//Alice"), key("//Bob"), key("//Charlie"), key("//Eve"));
    let (bob_id, charlie_id) = (account(&bob), account(&charlie));

    // The desk's key, made by its command; Eve (the desk's account) registers it
    // for 100-LIVE vouchers with a stipend of one native unit, and backs the
    // stipends. Bob performs and offers shows; Charlie holds LIVE.
    let desk_dir = dir.0.join("desk");
    let made = Command::new(binary("livestars-desk"))
        .arg("new-key")
        .arg(&desk_dir)
        .output()
        .expect("livestars-desk runs");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    let public: [u8; 32] = hex::decode(String::from_utf8(made.stdout).unwrap().trim())
        .unwrap()
        .try_into()
        .unwrap();
    let terms = VoucherTerms {
        denomination: 100 * LIVE,
        relay_fee: LIVE,
        stipend: UNIT,
        price_live: 100 * LIVE,
        price_native: 0,
    };
    let now = now_ms();
    client
        .submit(
            &eve,
            vec![client.call("register_voucher_key", (public, terms, now + 86_400_000), 0)],
        )
        .await
        .unwrap();
    let key_id = client.read::<u64>("voucher_key_count", ()).await.unwrap() - 1;
    client
        .submit(
            &eve,
            vec![client.call("back_vouchers", (key_id, 0u128), 10 * UNIT)],
        )
        .await
        .unwrap();
    client
        .submit(
            &bob,
            vec![
                client.register([1; 32], 500),
                client.set_show_terms(60 * LIVE, true),
            ],
        )
        .await
        .unwrap();
    client
        .submit(
            &alice,
            vec![
                client.attest(bob_id),
                client.transfer(charlie_id, 1_000 * LIVE),
            ],
        )
        .await
        .unwrap();

    let log = dir.0.join("api.log");
    let database = format!("sqlite://{}", dir.0.join("livestars.sqlite").display());
    let desk_flag = desk_dir.display().to_string();
    let (api, base) = start_api_with(
        &file,
        &database,
        &log,
        &["--desk-dir", &desk_flag, "--relayer-suri", "//Ferdie"],
    )
    .await
    .expect("api");

    // Charlie pays for two vouchers under an order reference only he knows.
    let order = random_bytes();
    let bought = client
        .submit(
            &charlie,
            vec![client.call("buy_vouchers", (key_id, 2u32, order), 0)],
        )
        .await
        .unwrap();
    // The desk owes what the index shows paid.
    let store = Store::connect(&database).await.unwrap();
    wait_indexed(&store, bought, Duration::from_secs(60))
        .await
        .unwrap();

    // Each is signed blind and redeemed by the relayer into a fresh key.
    let anonymous = Keypair::from_secret_key(random_bytes()).expect("a fresh key");
    let anonymous_id = account(&anonymous);
    let mut redeemed_serials = Vec::new();
    for _ in 0..2 {
        let (serial, signature) =
            buy_voucher(&base, &token, (key_id, public), order, &anonymous_id).await;
        let redeem = json!({
            "key_id": key_id,
            "recipient": ss58(&anonymous_id),
            "serial": hex::encode(serial),
            "signature": hex::encode(signature),
        });
        let (status, body) = post(&base, "/v1/vouchers/redeem", &redeem).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["value"], (99 * LIVE).to_string());
        assert_eq!(body["relayer"], ss58_of(&key("//Ferdie")));
        // Replayed: the contract refuses it in the relayer's dry run.
        let (status, body) = post(&base, "/v1/vouchers/redeem", &redeem).await;
        assert_eq!(status, 409, "{body}");
        assert!(body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("VoucherSpent"));
        redeemed_serials.push(serial);
    }
    // The desk owes the order nothing more.
    let (status, _) = post(
        &base,
        "/v1/desk/sessions",
        &json!({ "order": hex::encode(order), "key_id": key_id }),
    )
    .await;
    assert_eq!(status, 409);

    // The fresh key pays its own fees from the stipend.
    client
        .submit(
            &anonymous,
            vec![client.tip(bob_id, 10 * LIVE, None), client.rate(bob_id, 5)],
        )
        .await
        .expect("the anonymous key tips and rates");
    client
        .submit(
            &anonymous,
            vec![client.open_show(bob_id, 60 * LIVE, 60 * LIVE)],
        )
        .await
        .expect("the anonymous key opens a show");
    let show = client
        .open_show_between(anonymous_id, bob_id)
        .await
        .unwrap()
        .expect("open");
    let last = client
        .submit(&anonymous, vec![client.end_show(show)])
        .await
        .expect("the anonymous key ends it");

    // Indexed: the tip is the anonymous key's; Charlie's page knows nothing of it.
    wait_indexed(&store, last, Duration::from_secs(60))
        .await
        .unwrap();
    let tips: Value = reqwest::get(format!("{base}/v1/viewers/{}/tips", ss58(&anonymous_id)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(tips["items"].as_array().map(Vec::len), Some(1), "{tips}");
    let charlie_tips: Value = reqwest::get(format!("{base}/v1/viewers/{}/tips", ss58(&charlie_id)))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(charlie_tips["items"].as_array().map(Vec::len), Some(0));

    // No chain of LIVE transfers leads from Charlie to the key but through the
    // contract's own account, the pool every buyer pays into and every voucher
    // is paid out of.
    let mut edges: HashMap<AccountId, BTreeSet<AccountId>> = HashMap::new();
    for (_, event) in store.events().await.unwrap() {
        if event.contract != token {
            continue;
        }
        if let Ok(LiveEvent::Transfer(Transfer {
            from: Some(from),
            to: Some(to),
            ..
        })) = LiveEvent::decode(&event.topics, &event.data)
        {
            edges.entry(from).or_default().insert(to);
            edges.entry(to).or_default().insert(from);
        }
    }
    let mut reached = BTreeSet::from([charlie_id]);
    let mut frontier = vec![charlie_id];
    while let Some(next) = frontier.pop() {
        for neighbour in edges.get(&next).into_iter().flatten() {
            if *neighbour != token && reached.insert(*neighbour) {
                frontier.push(*neighbour);
            }
        }
    }
    assert!(
        !reached.contains(&anonymous_id),
        "a transfer path outside the pool links the buyer to the key"
    );
    assert!(
        edges[&anonymous_id].contains(&token),
        "the key was paid by the pool"
    );

    // The desk kept orders and counts only; the API logged no key.
    drop(api);
    let needles = [
        hex::encode(anonymous_id),
        ss58(&anonymous_id),
        hex::encode(redeemed_serials[0]),
        hex::encode(redeemed_serials[1]),
    ];
    let mut files = vec![log.clone()];
    files.extend(
        std::fs::read_dir(&desk_dir)
            .unwrap()
            .map(|e| e.unwrap().path()),
    );
    for path in files {
        let bytes = std::fs::read(&path).unwrap();
        let text = String::from_utf8_lossy(&bytes);
        for needle in &needles {
            assert!(
                !text.contains(needle.as_str()),
                "{} holds {needle}",
                path.display()
            );
        }
        for raw in [anonymous_id, redeemed_serials[0], redeemed_serials[1]] {
            assert!(
                !bytes.windows(32).any(|window| window == raw),
                "{} holds a key or a serial",
                path.display()
            );
        }
    }
}

/// Waits up to a minute for `done` to hold, polling every 200 ms.
async fn eventually<F: std::future::Future<Output = bool>>(
    what: &str,
    mut done: impl FnMut() -> F,
) {
    for _ in 0..300 {
        if done().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("not within a minute: {what}");
}

#[tokio::test(flavor = "multi_thread")]
async fn the_desk_renews_its_key_before_it_ends_and_closes_it_after() {
    let dir = TempDir::new("rotation");
    let node = Node::start(None, &dir.0).await.expect("node");
    let (deployment, file) = deploy(&node, &dir.0).expect("deploy");
    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    let (alice, eve) = (key("//Alice"), key("//Eve"));

    // Eve's desk has one 10-LIVE key that ends in 20 s, and LIVE to back the next.
    let desk_dir = dir.0.join("desk");
    let first = livestars_desk::keys::KeyRing::create(&desk_dir).expect("a key");
    let terms = VoucherTerms {
        denomination: 10 * LIVE,
        relay_fee: LIVE / 10,
        stipend: UNIT,
        price_live: 10 * LIVE,
        price_native: 0,
    };
    let first_ends = now_ms() + 20_000;
    client
        .submit(&alice, vec![client.transfer(account(&eve), 100 * LIVE)])
        .await
        .unwrap();
    client
        .submit(
            &eve,
            vec![client.call("register_voucher_key", (first, terms, first_ends), 0)],
        )
        .await
        .unwrap();

    // The API rotates as Eve: keys of 10 minutes, renewed a minute before their
    // end, checked every second, each backed for 3 vouchers.
    let database = format!("sqlite://{}", dir.0.join("livestars.sqlite").display());
    let desk_flag = desk_dir.display().to_string();
    let (api, base) = start_api_with(
        &file,
        &database,
        &dir.0.join("api.log"),
        &[
            "--desk-dir",
            &desk_flag,
            "--desk-suri",
            "//Eve",
            "--desk-key-lifetime-secs",
            "600",
            "--desk-rotate-lead-secs",
            "60",
            "--desk-rotate-every-secs",
            "1",
            "--desk-backing-vouchers",
            "3",
        ],
    )
    .await
    .expect("api");

    // The desk registers, backs and offers a second key with the same terms.
    let url = format!("{base}/v1/desk");
    let url = &url;
    let offered = move || async move {
        let desk: Value = reqwest::get(url).await.unwrap().json().await.unwrap();
        desk["keys"].as_array().cloned().unwrap_or_default()
    };
    eventually("the desk offers a second key", || async move {
        offered().await.iter().any(|key| key["key_id"] == 1)
    })
    .await;
    // Backed in the next block after its registration.
    let client = &client;
    eventually("the second key is backed", || async move {
        let key: Option<OnChainKey> = client.read("voucher_key", 1u64).await.unwrap();
        key.is_some_and(|key| key.backing > 0)
    })
    .await;
    let renewed: Option<OnChainKey> = client.read("voucher_key", 1u64).await.unwrap();
    let renewed = renewed.expect("key 1 is registered");
    assert_eq!(renewed.desk, account(&eve));
    assert_ne!(renewed.public, first);
    assert_eq!(renewed.terms, terms);
    let lifetime = renewed.redeem_until.saturating_sub(now_ms());
    assert!(
        (500_000..=600_000).contains(&lifetime),
        "{lifetime} ms left"
    );
    assert_eq!(
        (renewed.backing, renewed.native_backing),
        (30 * LIVE, 3 * UNIT)
    );
    assert_eq!(renewed.outstanding, 0);
    assert!(desk_dir
        .join(format!("{}.key", hex::encode(renewed.public)))
        .is_file());

    // Once the chain's clock passes the first key's end (a block after it), the
    // desk closes it, and registers nothing more.
    while now_ms() <= first_ends + 1_000 {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    client
        .submit(&alice, vec![client.transfer(account(&eve), LIVE)])
        .await
        .unwrap();
    let store = &Store::connect(&database).await.unwrap();
    eventually("the first key is closed", || async move {
        let records = store.voucher_keys_of(&first).await.unwrap();
        !records.is_empty() && records.iter().all(|record| record.closed_block.is_some())
    })
    .await;
    let gone: Option<OnChainKey> = client.read("voucher_key", 0u64).await.unwrap();
    assert!(gone.is_none(), "closed keys leave the contract's storage");
    let offered_ids: Vec<Value> = offered()
        .await
        .iter()
        .map(|key| key["key_id"].clone())
        .collect();
    assert_eq!(offered_ids, [json!(1)]);
    assert_eq!(
        client.read::<u64>("voucher_key_count", ()).await.unwrap(),
        2
    );
    drop(api);
}
