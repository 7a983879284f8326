//! End to end through the API: a real node, the LIVE contract deployed by
//! `scripts/deploy`, tips and ratings submitted with subxt, the `livestars-api`
//! binary indexing into SQLite or PostgreSQL; the API must show exactly that.

use futures::StreamExt;
use livestars_indexer::config::ss58;
use livestars_indexer::store::Store;
use livestars_tests::*;
use serde_json::Value;
use std::time::{Duration, Instant};

#[tokio::test(flavor = "multi_thread")]
async fn api_on_sqlite() {
    let dir = TempDir::new("api-sqlite");
    let url = format!("sqlite://{}", dir.0.join("livestars.sqlite").display());
    scenario(&dir, &url).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn api_on_postgres() {
    let dir = TempDir::new("api-pg");
    let postgres = Postgres::start().await.expect("a PostgreSQL server");
    scenario(&dir, &postgres.url).await;
}

async fn get(base: &str, path: &str) -> (u16, Value) {
    let response = reqwest::get(format!("{base}{path}"))
        .await
        .expect("the API answers");
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    (status, body)
}

async fn ok(base: &str, path: &str) -> Value {
    let (status, body) = get(base, path).await;
    assert_eq!(status, 200, "{path}: {body}");
    body
}

async fn scenario(dir: &TempDir, database_url: &str) {
    let node = Node::start(None, &dir.0).await.expect("node");
    let (deployment, file) = deploy(&node, &dir.0).expect("deploy");
    let client = Client::connect(&node.url(), &deployment)
        .await
        .expect("client");
    let (_api, base) = start_api(&file, database_url, &dir.0.join("api.log"))
        .await
        .expect("api");

    let (alice, bob, charlie, dave, eve) = (
        key("//Alice"),
        key("//Bob"),
        key("//Charlie"),
        key("//Dave"),
        key("//Eve"),
    );
    let (bob_id, charlie_id) = (account(&bob), account(&charlie));
    // Performers register; Alice (the verifier) attests them 18+, which tips need,
    // and gives the viewers LIVE (she is the minter). Tips need no approval.
    client
        .submit(&bob, vec![client.register([1; 32], 500)])
        .await
        .unwrap();
    client
        .submit(&charlie, vec![client.register([2; 32], 500)])
        .await
        .unwrap();
    client
        .submit(
            &alice,
            vec![
                client.attest(bob_id),
                client.attest(charlie_id),
                client.transfer(account(&dave), 100 * LIVE),
                client.transfer(account(&eve), 100 * LIVE),
            ],
        )
        .await
        .unwrap();
    // Tips: Charlie gets 30 LIVE from two viewers, Bob 12 from one; Bob also a native tip.
    client
        .submit(
            &dave,
            vec![client.tip(charlie_id, 10 * LIVE, Some([9; 32]))],
        )
        .await
        .unwrap();
    client
        .submit(&eve, vec![client.tip(charlie_id, 20 * LIVE, None)])
        .await
        .unwrap();
    client
        .submit(
            &eve,
            vec![client.tip(bob_id, 12 * LIVE, None), client.rate(bob_id, 5)],
        )
        .await
        .unwrap();
    client
        .submit(
            &dave,
            vec![client.rate(charlie_id, 2), client.tip_native(bob_id, LIVE)],
        )
        .await
        .unwrap();

    // The live feed: connect, then tip, and time block inclusion → SSE arrival.
    let stream = reqwest::get(format!("{base}/v1/tips/stream"))
        .await
        .expect("stream");
    assert_eq!(stream.status().as_u16(), 200);
    let mut sse = stream.bytes_stream();
    let sent = Instant::now();
    let last_block = client
        .submit(&dave, vec![client.tip(bob_id, 3 * LIVE, None)])
        .await
        .unwrap();
    let included = sent.elapsed();
    let mut text = String::new();
    let arrived = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(chunk) = sse.next().await {
            text.push_str(&String::from_utf8_lossy(&chunk.expect("stream chunk")));
            if text.contains("\"gross\":\"3000000000000\"") {
                return;
            }
        }
    })
    .await;
    assert!(arrived.is_ok(), "the tip never reached the stream: {text}");
    let latency = sent.elapsed().saturating_sub(included);
    println!("block-to-stream latency (after in-block, incl. ~1 s finality): {latency:?}");
    assert!(text.contains("event: tip"), "{text}");
    assert!(text.contains(&format!("id: {last_block}-")), "{text}");

    // Readiness and status once the last block is indexed.
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = ok(&base, "/v1/status").await;
        if status["indexed_block"].as_u64() >= Some(u64::from(last_block)) {
            break;
        }
        assert!(Instant::now() < deadline, "not indexed: {status}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (ready, _) = get(&base, "/ready").await;
    assert_eq!(ready, 200);

    // Exactly those tips, newest first.
    let tips = ok(&base, "/v1/tips").await;
    let grosses: Vec<&str> = tips["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["gross"].as_str().unwrap())
        .collect();
    assert_eq!(
        grosses,
        [
            "3000000000000",
            "1000000000000",
            "12000000000000",
            "20000000000000",
            "10000000000000"
        ]
    );
    let first = &tips["items"][4];
    assert_eq!(first["memo"], Value::String(hex::encode([9u8; 32])));
    assert_eq!(first["platform_fee"], "250000000000"); // 2.5 %
    assert_eq!(first["burned"], "100000000000"); // 1 %: the rating stake
    assert_eq!(first["net"], "9650000000000");
    assert_eq!(tips["items"][1]["token"], Value::Null); // native
    assert_eq!(tips["items"][1]["burned"], "0");
    assert_eq!(tips["next_cursor"], Value::Null);

    // Cursor pagination walks the same list one by one.
    let mut cursor = String::new();
    let mut walked = Vec::new();
    loop {
        let page = ok(&base, &format!("/v1/tips?limit=2{cursor}")).await;
        for tip in page["items"].as_array().unwrap() {
            walked.push(tip["gross"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(next) => cursor = format!("&cursor={next}"),
            None => break,
        }
    }
    assert_eq!(walked, grosses);

    // Per performer, per viewer.
    let charlie_ss58 = tips["items"][3]["performer"].as_str().unwrap().to_owned();
    let bob_ss58 = tips["items"][0]["performer"].as_str().unwrap().to_owned();
    assert_eq!(ss58_account(&charlie_ss58), charlie_id);
    let charlie_tips = ok(&base, &format!("/v1/performers/{charlie_ss58}/tips")).await;
    assert_eq!(charlie_tips["items"].as_array().unwrap().len(), 2);
    let eve_tips = ok(
        &base,
        &format!("/v1/viewers/0x{}/tips", hex::encode(account(&eve))),
    )
    .await;
    assert_eq!(eve_tips["items"].as_array().unwrap().len(), 2);

    // Totals.
    let charlie_view = ok(&base, &format!("/v1/performers/{charlie_ss58}")).await;
    let live = &charlie_view["totals"][0];
    assert_eq!(live["gross"], "30000000000000");
    assert_eq!(live["tips"], 2);
    assert_eq!(live["supporters"], 2);
    let bob_view = ok(&base, &format!("/v1/performers/{bob_ss58}")).await;
    let totals = bob_view["totals"].as_array().unwrap();
    assert_eq!(totals.len(), 2, "LIVE and native apart: {bob_view}");
    let performers = ok(&base, "/v1/performers").await;
    assert_eq!(performers["items"].as_array().unwrap().len(), 2);
    assert_eq!(bob_view["max_fee_bps"], 500);
    // Alice's attestation counts: she is still listed as a verifier.
    assert_eq!(
        bob_view["adult_verifier"],
        Value::String(ss58(&account(&alice)))
    );

    // Leaderboards: by support (1% of tips burned) Charlie (30 LIVE of tips) before
    // Bob (15); by rating, in rating order.
    for window in ["24h", "7d", "30d", "all"] {
        let board = ok(
            &base,
            &format!("/v1/leaderboard?by=support&window={window}"),
        )
        .await;
        let order: Vec<&str> = board["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["performer"].as_str().unwrap())
            .collect();
        assert_eq!(
            order,
            [charlie_ss58.as_str(), bob_ss58.as_str()],
            "{window}"
        );
        assert_eq!(board["items"][1]["tips_gross"], "15000000000000");
    }
    let board = ok(&base, "/v1/leaderboard?by=rating").await;
    let ratings: Vec<u64> = board["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["rating"]["rating_ppm"].as_u64().unwrap())
        .collect();
    assert_eq!(ratings.len(), 2);
    assert!(ratings[0] >= ratings[1], "{board}");
    // Bob: one 5-star vote; Charlie: one 2-star vote, so Bob's stars term is higher
    // (and outweighs Charlie's larger support, 0.3 against 0.15 LIVE of stake).
    assert_eq!(
        board["items"][0]["performer"],
        Value::String(bob_ss58.clone())
    );

    // The audit recomputes from events and matches the contract at the same block.
    for performer in [&bob_ss58, &charlie_ss58] {
        let audit = ok(&base, &format!("/v1/ratings/{performer}/audit")).await;
        assert_eq!(audit["match"], true, "{audit}");
        assert_eq!(audit["recomputed"], audit["on_chain"]);
        assert!(audit["block"].as_u64() >= Some(u64::from(last_block)));
    }
    let audit = ok(&base, &format!("/v1/ratings/{bob_ss58}/audit")).await;
    let on_chain = &audit["on_chain"];
    assert_eq!(on_chain["voters"], 1);
    // The prior weighs 1 LIVE of stake at 3 stars; Eve's vote weighs her stake, 1 % of
    // her 12 LIVE, at 5 stars: (1 * 3000 + 0.12 * 5000) / 1.12 = 3214.3 (the stake's
    // decay within the hour or so of a test run cannot move it below 3214).
    assert_eq!(on_chain["stars_milli"], 3214);
    let stake = |field: &str| on_chain[field].as_str().unwrap().parse::<u128>().unwrap();
    // Stake is stored grown and read back decayed, exact to a few base units at once.
    assert!(
        (LIVE * 12 / 100 - LIVE / 1000..=LIVE * 12 / 100).contains(&stake("vote_weight")),
        "{audit}"
    );
    assert!(
        (LIVE * 15 / 100 - LIVE / 1000..=LIVE * 15 / 100).contains(&stake("support")),
        "{audit}"
    );
    // Eve's tip and vote, Dave's LIVE tip (his native tip stakes nothing), and the
    // constructor's announcement of the parameters.
    assert_eq!(audit["events_replayed"], 4);

    // The derived tables the API reads equal their recomputation from the raw events.
    let store = Store::connect(database_url).await.expect("store");
    assert_derived(&store, &deployment.live_token).await;

    // An attestation counts only while its verifier keeps the listing it attested
    // under: delisting Alice voids hers, and listing her again does not revive it.
    let alice_id = account(&alice);
    let relisted = client
        .submit(
            &alice,
            vec![
                client.set_verifier(alice_id, false),
                client.set_verifier(alice_id, true),
            ],
        )
        .await
        .unwrap();
    wait_indexed(&store, relisted, Duration::from_secs(30))
        .await
        .unwrap();
    // The database has the block; the read model shows it soon after.
    eventually(&base, &format!("/v1/performers/{bob_ss58}"), |bob| {
        bob["adult_verifier"] == Value::Null
    })
    .await;

    // Metrics and the spec.
    let metrics = reqwest::get(format!("{base}/metrics"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(metrics.contains("livestars_indexed_block"), "{metrics}");
    // Where a web client signs.
    let chain = ok(&base, "/v1/chain").await;
    assert_eq!(chain["node_url"], node.url());
    assert_eq!(chain["live_token"], ss58(&deployment.live_token));
    assert!(
        chain.get("tips").is_none() && chain.get("rating").is_none(),
        "{chain}"
    );
    assert_eq!(chain["token_decimals"], 12);

    let spec = ok(&base, "/v1/openapi.json").await;
    assert_eq!(spec["openapi"], "3.1.0");
    for path in [
        "/v1/performers",
        "/v1/performers/{account}",
        "/v1/performers/{account}/tips",
        "/v1/viewers/{account}/tips",
        "/v1/tips",
        "/v1/tips/stream",
        "/v1/leaderboard",
        "/v1/ratings/{account}/audit",
        "/v1/status",
        "/v1/chain",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} missing in the spec"
        );
    }
    // Answers that need the node (the audit) or real tips match the document too.
    let answers = [
        ("/v1/ratings/{account}/audit", &audit),
        ("/v1/performers/{account}", &bob_view),
        ("/v1/performers/{account}/tips", &charlie_tips),
        ("/v1/viewers/{account}/tips", &eve_tips),
        ("/v1/performers", &performers),
        ("/v1/leaderboard", &board),
        ("/v1/tips", &tips),
        ("/v1/chain", &chain),
    ];
    for (template, body) in answers {
        if let Err(e) = check_answer(&spec, template, 200, body) {
            panic!("{e}");
        }
    }

    bad_input(&base, &bob_ss58).await;
    profile_published_then_erased(&client, &base, database_url, &dir.0.join("api.log")).await;
    private_show(&client, &base).await;
    replica_answers_as_the_writer(&file, database_url, dir, &base, &bob_ss58).await;
}

/// Waits (at most 30 s) until `GET path` answers what `wanted` accepts: the read
/// model shows an off-chain change (a profile, a presence) soon after it is stored.
async fn eventually(base: &str, path: &str, wanted: impl Fn(&Value) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let body = ok(base, path).await;
        if wanted(&body) {
            return;
        }
        assert!(Instant::now() < deadline, "{path}: {body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// Waits until the API serves block `block` (its read model's block).
async fn wait_served(base: &str, block: u32) {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let status = ok(base, "/v1/status").await;
        if status["indexed_block"].as_u64() >= Some(u64::from(block)) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "block {block} not indexed: {status}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// A performer registers the commitment of a profile, publishes the document with
/// a wallet signature naming the node's genesis, then erases themselves on-chain:
/// the profile is served in between and gone after, and its fields never reach the
/// API's log (nor, on SQLite, the database's files once erased).
async fn profile_published_then_erased(
    client: &Client,
    base: &str,
    database_url: &str,
    api_log: &std::path::Path,
) {
    use livestars_indexer::profile::{self, Action, Profile};
    let ferdie = key("//Ferdie");
    let performer = account(&ferdie);
    let document = Profile {
        age_range: None,
        avatar: None,
        bio: "E2EPLANT-3141 sings".into(),
        gender: Some("nonbinary".into()),
        languages: vec!["de".into()],
        message_key: None,
        stream: None,
        schedule: None,
        stage_name: "Ferdieplant".into(),
        tags: vec!["music".into()],
    };
    let head = client
        .submit(&ferdie, vec![client.register(document.commitment(), 500)])
        .await
        .unwrap();
    wait_served(base, head).await;
    // Named once the API's node watch has found the node answering.
    eventually(base, "/v1/chain", |chain| chain["genesis_hash"].is_string()).await;
    let chain = ok(base, "/v1/chain").await;
    let genesis = chain["genesis_hash"]
        .as_str()
        .and_then(profile::parse_hash)
        .unwrap_or_else(|| panic!("no genesis hash: {chain}"));
    let statement = profile::statement(
        Action::Publish,
        &genesis,
        &performer,
        &document.commitment(),
    );
    let signature = ferdie.sign(format!("<Bytes>{statement}</Bytes>").as_bytes());
    let uri = format!("{base}/v1/performers/{}/profile", ss58(&performer));
    let put = |body: serde_json::Value| {
        let uri = uri.clone();
        async move {
            let answer = reqwest::Client::new()
                .put(&uri)
                .json(&body)
                .send()
                .await
                .expect("PUT");
            let status = answer.status().as_u16();
            (status, answer.json::<Value>().await.unwrap_or(Value::Null))
        }
    };
    // Refused with a JSON error, and nothing stored: another key's signature, a
    // document that is not the commitment, an avatar that is not an image.
    let by_dave = key("//Dave").sign(format!("<Bytes>{statement}</Bytes>").as_bytes());
    let mut edited = document.clone();
    edited.bio.push('!');
    let mut with_avatar = document.clone();
    with_avatar.avatar = Some(format!("0x{}", hex::encode(profile::blake2_256(b"GIF89a"))));
    for (body, expected) in [
        (
            serde_json::json!({"document": document, "avatar": null, "signature": format!("0x{}", hex::encode(by_dave.0))}),
            403,
        ),
        (
            serde_json::json!({"document": edited, "avatar": null, "signature": format!("0x{}", hex::encode(signature.0))}),
            409,
        ),
        (
            serde_json::json!({"document": with_avatar, "avatar": "R0lGODlh", "signature": format!("0x{}", hex::encode(signature.0))}),
            400,
        ),
    ] {
        let (status, answer) = put(body).await;
        assert_eq!(status, expected, "{answer}");
        assert!(answer["error"]["message"].is_string(), "{answer}");
        let (status, _) = get(
            base,
            &format!("/v1/performers/{}/profile", ss58(&performer)),
        )
        .await;
        assert_eq!(status, 404);
    }
    let (status, answer) = put(serde_json::json!({
        "document": document,
        "avatar": null,
        "signature": format!("0x{}", hex::encode(signature.0)),
    }))
    .await;
    assert_eq!(status, 200, "{answer}");
    // Found by its tag and its name, online once it says so (signed; a replay is refused).
    let listed = |page: &Value| {
        page["items"].as_array().map(|items| {
            items
                .iter()
                .map(|i| i["account"].clone())
                .collect::<Vec<_>>()
        })
    };
    let only_ferdie = Some(vec![Value::String(ss58(&performer))]);
    eventually(base, "/v1/performers?tag=music&q=ferdie", |page| {
        listed(page) == only_ferdie
    })
    .await;
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let until = now + 3_600_000;
    let said = profile::presence_statement(&genesis, &performer, now, until);
    let presence = serde_json::json!({
        "until": until,
        "signed_at": now,
        "signature": format!("0x{}", hex::encode(ferdie.sign(format!("<Bytes>{said}</Bytes>").as_bytes()).0)),
    });
    let presence_uri = format!("{base}/v1/performers/{}/presence", ss58(&performer));
    for expected in [200, 409] {
        let answer = reqwest::Client::new()
            .put(&presence_uri)
            .json(&presence)
            .send()
            .await
            .expect("PUT presence");
        assert_eq!(answer.status().as_u16(), expected);
    }
    eventually(base, "/v1/performers?online=true", |page| {
        listed(page) == only_ferdie
    })
    .await;
    let shown = ok(
        base,
        &format!("/v1/performers/{}/profile", ss58(&performer)),
    )
    .await;
    assert_eq!(shown["document"], serde_json::to_value(&document).unwrap());

    let head = client
        .submit(&ferdie, vec![client.call("erase", (), 0)])
        .await
        .unwrap();
    wait_served(base, head).await;
    let (status, body) = get(
        base,
        &format!("/v1/performers/{}/profile", ss58(&performer)),
    )
    .await;
    assert_eq!(status, 404, "{body}");
    let mut files = vec![api_log.to_owned()];
    if let Some(path) = database_url.strip_prefix("sqlite://") {
        for suffix in ["", "-wal", "-shm"] {
            files.push(format!("{path}{suffix}").into());
        }
    }
    for file in files {
        let bytes = std::fs::read(&file).unwrap_or_default();
        for planted in ["Ferdieplant", "E2EPLANT-3141"] {
            assert!(
                !bytes
                    .windows(planted.len())
                    .any(|w| w == planted.as_bytes()),
                "{planted} is still in {}",
                file.display()
            );
        }
    }
}

/// A second API over the same database that only reads (a replica behind a load
/// balancer, one indexer writing): once its read model reaches the writer's block,
/// it answers exactly as the writer does. Ratings are left out: each replica computes
/// them at its own instant, and every page says which (`at`).
async fn replica_answers_as_the_writer(
    deployment_file: &std::path::Path,
    database_url: &str,
    dir: &TempDir,
    writer: &str,
    performer: &str,
) {
    let (_replica, replica) = start_api_with(
        deployment_file,
        database_url,
        &dir.0.join("replica.log"),
        &["--no-indexer"],
    )
    .await
    .expect("a replica");
    // The chain is quiet now: nothing is submitted any more.
    let block = ok(writer, "/v1/status").await["indexed_block"].clone();
    assert!(block.is_u64(), "{block}");
    let deadline = Instant::now() + Duration::from_secs(60);
    while ok(&replica, "/v1/status").await["indexed_block"] != block {
        assert!(
            Instant::now() < deadline,
            "the replica did not reach block {block} within 60 s"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    fn without_ratings(value: &mut Value) {
        match value {
            Value::Object(map) => {
                map.remove("rating");
                map.remove("at");
                map.values_mut().for_each(without_ratings);
            }
            Value::Array(items) => items.iter_mut().for_each(without_ratings),
            _ => {}
        }
    }
    for path in [
        "/v1/tips?limit=3".to_owned(),
        format!("/v1/performers/{performer}/tips"),
        format!("/v1/performers/{performer}"),
        "/v1/performers".to_owned(),
        "/v1/leaderboard?by=support&window=24h".to_owned(),
        "/v1/leaderboard?by=support&window=all".to_owned(),
    ] {
        let (mut mine, mut theirs) = (ok(writer, &path).await, ok(&replica, &path).await);
        without_ratings(&mut mine);
        without_ratings(&mut theirs);
        assert_eq!(mine, theirs, "{path}");
    }
}

/// Every route refuses malformed input with a 400 (unknown things with a 404) and
/// a JSON error body.
async fn bad_input(base: &str, known: &str) {
    let unknown = format!("0x{}", "ab".repeat(32));
    let cases: Vec<(String, u16)> = vec![
        ("/v1/performers/not-an-account".into(), 400),
        (format!("/v1/performers/{unknown}"), 404),
        ("/v1/performers?limit=0".into(), 400),
        ("/v1/performers?limit=201".into(), 400),
        ("/v1/performers?limit=abc".into(), 400),
        ("/v1/performers?cursor=zzz".into(), 400),
        ("/v1/performers?color=red".into(), 400),
        ("/v1/performers/0x1234/tips".into(), 400),
        (format!("/v1/performers/{unknown}/tips"), 404),
        (format!("/v1/performers/{known}/tips?cursor=1-x"), 400),
        ("/v1/viewers/5Grw/tips".into(), 400),
        (format!("/v1/viewers/{known}/tips?cursor=-1"), 400),
        ("/v1/tips?cursor=abc".into(), 400),
        ("/v1/tips?limit=-5".into(), 400),
        ("/v1/leaderboard?by=fame".into(), 400),
        ("/v1/leaderboard?window=1y".into(), 400),
        ("/v1/leaderboard?cursor=x1".into(), 400),
        ("/v1/ratings/%20/audit".into(), 400),
        (format!("/v1/ratings/{unknown}/audit"), 404),
        ("/v1/nothing".into(), 404),
    ];
    for (path, expected) in cases {
        let (status, body) = get(base, &path).await;
        assert_eq!(status, expected, "{path}: {body}");
        assert!(
            body["error"]["message"].is_string() && body["error"]["code"].is_string(),
            "{path}: no JSON error body: {body}"
        );
    }
    let response = reqwest::Client::new()
        .get(format!("{base}/v1/tips/stream"))
        .header("Last-Event-ID", "nope")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
}

/// Charlie offers private shows; Dave opens one. The API serves it and its feed; the
/// relay introduces exactly its two parties (refusing a third account, a wrong
/// signature, malformed and oversized messages, an unknown and an ended show, a
/// silent client; a party's newer connection takes over from its older one);
/// Charlie claims, Dave ends, and the API's sums are the chain's to the unit:
/// `paid = floor(price * seconds / 60)`, the rest back, the audit still matching.
async fn private_show(client: &Client, base: &str) {
    use livestars_tests::signaling::{sign, statement, Heard, Signal, NO_ORIGIN};
    let (charlie, dave, eve) = (key("//Charlie"), key("//Dave"), key("//Eve"));
    let (charlie_id, dave_id) = (account(&charlie), account(&dave));
    let price = 6 * LIVE;
    let deposit = 5 * price;
    client
        .submit(&charlie, vec![client.set_show_terms(price, true)])
        .await
        .unwrap();
    // Alice's relisting above voided her attestations: she attests Charlie again.
    client
        .submit(&key("//Alice"), vec![client.attest(charlie_id)])
        .await
        .unwrap();
    let balance = |who| client.read::<u128>("PSP22::balance_of", who);
    let dave_before = balance(dave_id).await.unwrap();

    let stream = reqwest::get(format!("{base}/v1/shows/stream"))
        .await
        .expect("show stream");
    assert_eq!(stream.status().as_u16(), 200);
    let mut sse = stream.bytes_stream();
    client
        .submit(&dave, vec![client.open_show(charlie_id, deposit, price)])
        .await
        .unwrap();
    let show = client
        .open_show_between(dave_id, charlie_id)
        .await
        .unwrap()
        .expect("the show is open");
    let mut text = String::new();
    while !text.contains("\"kind\":\"opened\"") {
        let chunk = tokio::time::timeout(Duration::from_secs(30), sse.next())
            .await
            .expect("a show event within 30 s")
            .expect("the stream goes on")
            .unwrap();
        text.push_str(&String::from_utf8_lossy(&chunk));
    }
    assert!(text.contains("event: show"), "{text}");
    assert!(text.contains(&format!("\"show_id\":{show}")), "{text}");

    let charlie_ss58 = ss58(&charlie_id);
    let terms = ok(base, &format!("/v1/performers/{charlie_ss58}/show-terms")).await;
    assert_eq!(terms["price_per_minute"], price.to_string());
    assert_eq!(terms["available"], true);
    let dave_ss58 = ss58(&dave_id);
    let open_path = format!("/v1/accounts/{dave_ss58}/shows?open=true");
    eventually(base, &open_path, |page| {
        page["items"].as_array().map(Vec::len) == Some(1)
    })
    .await;

    // The relay: both parties in, a message each way, everyone else out.
    let genesis = ok(base, "/v1/chain").await["genesis_hash"]
        .as_str()
        .expect("the genesis hash")
        .to_owned();
    let mut viewer = Signal::join(base, show, &dave, &genesis).await.unwrap();
    assert_eq!(
        viewer.next().await.unwrap(),
        Heard::Message(serde_json::json!({"type": "ready", "role": "viewer", "peer": false}))
    );
    let mut performer = Signal::join(base, show, &charlie, &genesis).await.unwrap();
    assert_eq!(
        performer.next().await.unwrap(),
        Heard::Message(serde_json::json!({"type": "ready", "role": "performer", "peer": true}))
    );
    let present = Heard::Message(serde_json::json!({"type": "peer", "present": true}));
    assert_eq!(viewer.next().await.unwrap(), present);
    let offer =
        serde_json::json!({"type": "signal", "data": {"sdp": "v=0 offer", "type": "offer"}});
    viewer.send(offer.clone()).await.unwrap();
    assert_eq!(performer.next().await.unwrap(), Heard::Message(offer));
    let candidate = serde_json::json!({"type": "signal", "data": {"candidate": "host"}});
    performer.send(candidate.clone()).await.unwrap();
    assert_eq!(viewer.next().await.unwrap(), Heard::Message(candidate));

    let refused = |code| Heard::Closed(code);
    let outsider = Signal::join(base, show, &eve, &genesis).await.unwrap();
    assert_eq!(next_of(outsider).await, refused(4403), "a third account");
    let mut forger = Signal::connect(base, show).await.unwrap();
    let wrong = sign(&dave, &statement(show, NO_ORIGIN, &genesis, "0x00"));
    forger.auth(&dave, &wrong).await.unwrap();
    assert_eq!(
        next_of(forger).await,
        refused(4401),
        "a signature of another nonce"
    );
    // The viewer joins again (a reload, another tab): the new connection takes over.
    let mut again = Signal::join(base, show, &dave, &genesis).await.unwrap();
    assert_eq!(viewer.next().await.unwrap(), refused(4409), "replaced");
    assert_eq!(
        again.next().await.unwrap(),
        Heard::Message(serde_json::json!({"type": "ready", "role": "viewer", "peer": true}))
    );
    assert_eq!(performer.next().await.unwrap(), present);
    let mut viewer = again;
    let mut garbled = Signal::connect(base, show).await.unwrap();
    garbled.send_text("{not json".into()).await.unwrap();
    assert_eq!(next_of(garbled).await, refused(4400), "malformed");
    let mut huge = Signal::connect(base, show).await.unwrap();
    huge.send_text("x".repeat(20_000)).await.unwrap();
    assert_eq!(next_of(huge).await, refused(1009), "oversized");
    let unknown = Signal::join(base, 1_000_000, &dave, &genesis)
        .await
        .unwrap();
    assert_eq!(next_of(unknown).await, refused(4404), "no such show");
    let silent = Signal::connect(base, show).await.unwrap();
    assert_eq!(next_of(silent).await, refused(4408), "no answer in 30 s");
    // A malformed relayed message closes only its sender; the pair stays usable.
    viewer.send_text("[]".into()).await.unwrap();
    assert_eq!(viewer.next().await.unwrap(), refused(4400));
    assert_eq!(
        performer.next().await.unwrap(),
        Heard::Message(serde_json::json!({"type": "peer", "present": false}))
    );
    let mut viewer = Signal::join(base, show, &dave, &genesis).await.unwrap();
    assert!(matches!(viewer.next().await.unwrap(), Heard::Message(m) if m["peer"] == true));
    assert_eq!(performer.next().await.unwrap(), present);

    // Charlie claims, Dave ends; both connections hear the end.
    tokio::time::sleep(Duration::from_secs(3)).await;
    client
        .submit(&charlie, vec![client.claim_show(show)])
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_secs(2)).await;
    let ended_block = client
        .submit(&dave, vec![client.end_show(show)])
        .await
        .unwrap();
    for party in [&mut viewer, &mut performer] {
        loop {
            match party.next().await.unwrap() {
                Heard::Message(m) if m["type"] == "ended" => break,
                Heard::Message(_) => {}
                closed => panic!("closed before the end was told: {closed:?}"),
            }
        }
        assert_eq!(party.next().await.unwrap(), refused(1000));
    }
    let late = Signal::join(base, show, &dave, &genesis).await.unwrap();
    assert_eq!(next_of(late).await, refused(4404), "an ended show");

    // The chain's figures, from its events, against the API's.
    let mut paid = (0u128, 0u128, 0u128, 0u128);
    let mut end = None;
    let events = chain_events(&client.deployment, 1, ended_block)
        .await
        .unwrap();
    for (_, event) in &events {
        match livestars_indexer::decode::decode(&event.topics, &event.data) {
            Ok(livestars_indexer::decode::LiveEvent::ShowPaid(p)) if p.show_id == show => {
                paid = (
                    paid.0 + p.gross,
                    paid.1 + p.net,
                    paid.2 + p.platform_fee,
                    paid.3 + p.burned,
                );
            }
            Ok(livestars_indexer::decode::LiveEvent::ShowEnded(e)) if e.show_id == show => {
                end = Some(e);
            }
            _ => {}
        }
    }
    let end = end.expect("a ShowEnded event");
    assert_eq!(end.paid, paid.0);
    assert_eq!(end.paid, price * u128::from(end.billed_seconds) / 60);
    assert!(end.billed_seconds >= 5, "{} s billed", end.billed_seconds);
    assert_eq!(end.refunded, deposit - end.paid);
    assert_eq!(dave_before - balance(dave_id).await.unwrap(), end.paid);
    wait_served(base, ended_block).await;
    let served = ok(base, &format!("/v1/shows/{show}")).await;
    assert_eq!(served["open"], false);
    assert_eq!(served["deposit"], deposit.to_string());
    assert_eq!(served["paid"], end.paid.to_string());
    assert_eq!(served["net"], paid.1.to_string());
    assert_eq!(served["platform_fee"], paid.2.to_string());
    assert_eq!(served["burned"], paid.3.to_string());
    assert_eq!(served["refunded"], end.refunded.to_string());
    assert_eq!(served["billed_seconds"], end.billed_seconds);
    assert_eq!(served["ended_by"], dave_ss58);
    let kinds: Vec<&str> = served["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["opened", "paid", "paid", "ended"]);
    // The show's stake is in Charlie's rating, and the audit replays it.
    let audit = ok(base, &format!("/v1/ratings/{charlie_ss58}/audit")).await;
    assert_eq!(audit["match"], true, "{audit}");
    let history = ok(base, &format!("/v1/accounts/{charlie_ss58}/shows")).await;
    assert_eq!(history["items"][0]["show_id"], show);
    let open = ok(base, &open_path).await;
    assert_eq!(open["items"], serde_json::json!([]));
    let earnings = ok(base, &format!("/v1/performers/{charlie_ss58}/earnings")).await;
    assert_eq!(earnings["shows"]["net"], paid.1.to_string());
    for bad in [
        "/v1/shows/x",
        "/v1/shows/-1",
        "/v1/accounts/nope/shows",
        "/v1/shows/99999",
    ] {
        let (status, body) = get(base, bad).await;
        assert!(status == 400 || status == 404, "{bad}: {status}");
        assert!(body["error"]["message"].is_string(), "{bad}: {body}");
    }
}

/// What a refused connection hears next: its close code.
async fn next_of(
    mut signal: livestars_tests::signaling::Signal,
) -> livestars_tests::signaling::Heard {
    signal.next().await.unwrap()
}
