//! The API in-process, assembled as the binary assembles it (`App::start`): the
//! router over a temporary SQLite store fed blocks of real encoded events (the
//! indexer's fixtures) through the indexer's commit path, with the read model, the
//! live feeds' publisher and the signaling relay following it, driven with
//! `tower::ServiceExt::oneshot` (and, for connection timeouts, the live feeds and
//! the relay, over real loopback TCP through `livestars_api::serve`). No node: its
//! health is set by hand.

use axum::body::Body;
use axum::http::{header, Request, StatusCode};
use axum::Router;
use futures::StreamExt;
use livestars_api::app::{App, Indexing, Options};
use livestars_api::node::NodeHealth;
use livestars_api::read_model::{self, By, Window, HOUR_MS};
use livestars_api::{serve, AppState, Limits};
use livestars_indexer::config::{ss58, Deployment};
use livestars_indexer::decode::{
    AccountId, AdultAttestationChanged, LiveEvent, ParamsAnnounced, PerformerErased,
    PerformerRegistered, ProfileChanged, Rated, VerifierChanged,
};
use livestars_indexer::fixtures::{
    empty_blocks, live_block, tip, PERFORMERS, UNIT, VERIFIERS, VIEWERS,
};
use livestars_indexer::store::{IndexedBlock, Store};
use livestars_indexer::Progress;
use livestars_tests::check_answer;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tower::ServiceExt;

/// A fresh directory, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new(tag: &str) -> Self {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let path = std::env::temp_dir().join(format!(
            "livestars-api-{tag}-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&path).expect("temp dir");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// How long a test waits for something that happens in the background.
const WAIT: Duration = Duration::from_secs(30);

/// The LIVE contract of these tests.
const LIVE: AccountId = livestars_indexer::fixtures::LIVE_TOKEN;

/// An API over an empty, migrated SQLite store, with a web client of two files, as
/// `App::start` assembles it (the read model and the live feeds running), indexed
/// by hand.
struct Api {
    app: Router,
    state: AppState,
    running: App,
    /// The public key of the one signing key in the desk's directory.
    desk_key: [u8; 32],
    _dir: TempDir,
}

async fn api(limits: Limits) -> Api {
    let dir = TempDir::new("http");
    let store = Store::connect(&format!("sqlite://{}", dir.0.join("db.sqlite").display()))
        .await
        .expect("store");
    let web = dir.0.join("web");
    std::fs::create_dir_all(web.join("assets")).unwrap();
    std::fs::write(
        web.join("index.html"),
        "<!doctype html><title>livestars</title>",
    )
    .unwrap();
    std::fs::write(web.join("assets/app.js"), "console.log(1)").unwrap();
    let deployment = Deployment {
        node_url: "ws://127.0.0.1:1".into(),
        live_token: LIVE,
        start_block: 0,
    };
    let desk_dir = dir.0.join("desk");
    let desk_key = livestars_desk::keys::KeyRing::create(&desk_dir).expect("a desk key");
    let options = Options {
        limits,
        web_dir: web,
        watch_node: false,
        desk_dir: Some(desk_dir),
        ..Options::new(Indexing::Manual)
    };
    let running = App::start(store, deployment, options)
        .await
        .expect("the app");
    let api = Api {
        app: running.router(),
        state: running.state().clone(),
        running,
        desk_key,
        _dir: dir,
    };
    api.wait_for_view(None).await;
    api
}

fn request(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("a request")
}

impl Api {
    /// Where the tests report their commits, as the indexer would.
    fn progress(&self) -> &watch::Sender<Progress> {
        self.running.progress().expect("indexed by hand")
    }

    /// The node's health, set by hand.
    fn node(&self) -> &watch::Sender<NodeHealth> {
        self.running.node().expect("no node watched")
    }

    async fn send(&self, request: Request<Body>) -> axum::response::Response {
        self.app.clone().oneshot(request).await.expect("infallible")
    }

    /// Status and body (JSON, else `Value::Null`) of `GET uri`.
    async fn get(&self, uri: &str) -> (StatusCode, Value, usize) {
        let response = self.send(request(uri)).await;
        let status = response.status();
        let body = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
        (status, json, body.len())
    }

    /// Commits `blocks` as the indexer would, tells the read model, and waits until
    /// it serves the last of them.
    async fn index(&self, blocks: Vec<IndexedBlock>, finalized_head: u32) {
        self.state
            .store
            .commit(&LIVE, &blocks, finalized_head)
            .await
            .expect("commit");
        let indexed = self
            .state
            .store
            .checkpoint()
            .await
            .unwrap()
            .map(|c| c.block_number);
        self.progress().send_replace(Progress {
            indexed,
            finalized_head,
        });
        self.wait_for_view(indexed).await;
    }

    async fn wait_for_view(&self, block: Option<u32>) {
        let mut views = self.state.views.clone();
        tokio::time::timeout(
            Duration::from_secs(30),
            views.wait_for(|view| view.as_ref().is_some_and(|view| view.block() == block)),
        )
        .await
        .unwrap_or_else(|_| panic!("the read model did not show block {block:?} within 30 s"))
        .expect("the read model stopped");
    }
}

/// The JSON error body of every failure.
fn error_message(uri: &str, body: &Value) -> String {
    let error = &body["error"];
    assert!(
        error["code"].is_string() && error["message"].is_string(),
        "{uri}: no JSON error body: {body}"
    );
    error["message"].as_str().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn static_paths_answer_files_or_a_json_404_never_a_5xx() {
    let api = api(Limits::default()).await;
    let (status, _, _) = api.get("/").await;
    assert_eq!(status, StatusCode::OK);
    let (status, _, len) = api.get("/assets/app.js").await;
    assert_eq!((status, len), (StatusCode::OK, 14));

    let long = "a".repeat(300);
    let cases = [
        "/nope".to_owned(),
        // A segment longer than a file name may be (255 bytes): ENAMETOOLONG, which
        // ServeDir answers with an empty 500.
        format!("/{long}"),
        format!("/assets/{long}"),
        format!("/{long}/index.html"),
        format!("/{}", "%61".repeat(200)),
        // A path longer than the file system takes (4096 bytes).
        "/abc".repeat(1100),
        // A file used as a directory: ENOTDIR.
        "/index.html/x".to_owned(),
        "/%00".to_owned(),
        "/..%2f..%2fetc/passwd".to_owned(),
        format!("/v1/{long}"),
    ];
    for uri in cases {
        let (status, body, _) = api.get(&uri).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{uri}: {body}");
        error_message(&uri, &body);
    }
}

#[tokio::test]
async fn error_messages_echo_at_most_64_characters_of_the_input() {
    let api = api(Limits::default()).await;
    let huge = "x".repeat(60_000);
    let cases = [
        // An unknown query parameter (serde names it in the message).
        format!("/v1/performers?{huge}=1"),
        format!("/v1/tips?limit=1&{huge}=red"),
        format!("/v1/leaderboard?by={huge}"),
        format!("/v1/leaderboard?window={huge}"),
        format!("/v1/performers/{huge}"),
        format!("/v1/viewers/{huge}/tips"),
        format!("/v1/ratings/{huge}/audit"),
        format!("/v1/tips?cursor={huge}"),
        format!("/v1/performers?cursor={huge}"),
        format!("/v1/leaderboard?cursor={huge}"),
    ];
    for uri in cases {
        let (status, body, len) = api.get(&uri).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{}…: {body}", &uri[..40]);
        let message = error_message(&uri, &body);
        assert!(
            len < 400,
            "{}…: a {len}-byte answer to a 60 kB input: {message}",
            &uri[..40]
        );
        assert!(
            message.contains(&format!("{}…", "x".repeat(64))) && !message.contains(&"x".repeat(65)),
            "{}…: {message}",
            &uri[..40]
        );
    }
    // Short input is echoed whole.
    let (status, body, _) = api.get("/v1/performers?color=red").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(error_message("color", &body).contains("`color`"), "{body}");

    let stream = Request::get("/v1/tips/stream")
        .header("last-event-id", &huge)
        .body(Body::empty())
        .unwrap();
    let response = api.send(stream).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    assert!(body.len() < 400, "{} bytes", body.len());
}

#[tokio::test]
async fn live_feed_streams_are_capped_with_a_json_503() {
    let limits = Limits {
        max_streams: 2,
        ..Limits::default()
    };
    let api = api(limits).await;
    let first = api.send(request("/v1/tips/stream")).await;
    let second = api.send(request("/v1/tips/stream")).await;
    assert_eq!(first.status(), StatusCode::OK);
    assert_eq!(second.status(), StatusCode::OK);
    assert_eq!(
        first.headers()[header::CONTENT_TYPE],
        "text/event-stream",
        "{:?}",
        first.headers()
    );

    let full = api.send(request("/v1/tips/stream")).await;
    assert_eq!(full.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(full.headers()[header::RETRY_AFTER], "5");
    let body: Value =
        serde_json::from_slice(&axum::body::to_bytes(full.into_body(), 4096).await.unwrap())
            .unwrap();
    assert_eq!(body["error"]["code"], "unavailable");
    let message = error_message("stream", &body);
    assert!(
        message.contains("too many live-feed streams") && message.contains('2'),
        "{message}"
    );
    // Other routes are not affected.
    let (status, _, _) = api.get("/v1/tips").await;
    assert_eq!(status, StatusCode::OK);

    // A client that leaves frees its slot.
    drop(first);
    let again = api.send(request("/v1/tips/stream")).await;
    assert_eq!(again.status(), StatusCode::OK);
    drop((second, again));
    assert_eq!(api.state.streams.available(), 2);

    // Every routed request is timed under its route's template, streams included.
    let (status, _, _) = api.get("/v1/performers/not-an-account").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let metrics = api.send(request("/metrics")).await;
    assert_eq!(metrics.status(), StatusCode::OK);
    assert_eq!(
        metrics.headers()[header::CONTENT_TYPE],
        "text/plain; version=0.0.4; charset=utf-8"
    );
    let text = axum::body::to_bytes(metrics.into_body(), 1 << 20)
        .await
        .expect("metrics");
    let text = String::from_utf8(text.to_vec()).expect("UTF-8");
    let series = "livestars_http_request_duration_seconds";
    for (route, count) in [
        ("/v1/tips/stream", 4),
        ("/v1/tips", 1),
        ("/v1/performers/{account}", 1),
    ] {
        let line = format!(r#"{series}_count{{method="GET",route="{route}"}} {count}"#);
        assert!(text.lines().any(|l| l == line), "no {line:?} in\n{text}");
    }
    assert!(
        text.contains(&format!(
            "{series}_bucket{{method=\"GET\",route=\"/v1/tips\",le=\"+Inf\"}} 1"
        )),
        "{text}"
    );
}

#[tokio::test]
async fn slow_handlers_answer_503_in_time_but_the_live_feed_is_not_cut() {
    let limits = Limits {
        request_timeout: Duration::from_millis(300),
        // Keep-alive comments every 500 ms.
        idle_timeout: Duration::from_secs(1),
        ..Limits::default()
    };
    let api = api(limits).await;
    // Tip pages are read from the database once a block is indexed.
    api.index(empty_blocks(1..=1), 1).await;
    // Every connection of the pool is taken: reads wait for one.
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(
            api.state
                .store
                .pool()
                .acquire()
                .await
                .expect("a connection"),
        );
    }
    let started = Instant::now();
    let (status, body, _) = api.get("/v1/tips").await;
    let took = started.elapsed();
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(error_message("tips", &body).contains("300 ms"), "{body}");
    assert!(
        took >= Duration::from_millis(300) && took < Duration::from_secs(5),
        "{took:?}"
    );

    let stream = api.send(request("/v1/tips/stream")).await;
    assert_eq!(stream.status(), StatusCode::OK);
    let mut frames = stream.into_body().into_data_stream();
    let started = Instant::now();
    let mut keep_alives = 0;
    while started.elapsed() < Duration::from_millis(1600) {
        match tokio::time::timeout(Duration::from_secs(2), frames.next()).await {
            Ok(Some(Ok(frame))) => {
                assert!(frame.starts_with(b":"), "{frame:?}");
                keep_alives += 1;
            }
            other => panic!("the stream ended after {:?}: {other:?}", started.elapsed()),
        }
    }
    assert!(keep_alives >= 2, "{keep_alives} keep-alive comments");
    drop(held);
}

#[tokio::test]
async fn ready_needs_the_node_and_an_index_at_most_3_blocks_behind() {
    let api = api(Limits::default()).await;
    let ready = |api: &Api| {
        let api = api.app.clone();
        async move {
            let response = api.oneshot(request("/ready")).await.unwrap();
            let status = response.status();
            let body = axum::body::to_bytes(response.into_body(), 4096)
                .await
                .unwrap();
            (status, serde_json::from_slice::<Value>(&body).unwrap())
        }
    };
    // The node not checked yet, then nothing indexed.
    let (status, body) = ready(&api).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    api.node()
        .send_replace(NodeHealth::Reachable { finalized_head: 10 });
    let (status, body) = ready(&api).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(error_message("ready", &body).contains("nothing indexed"));

    // The indexer believes it is caught up at 6, but the node is at 10.
    api.index(empty_blocks(1..=6), 6).await;
    let (status, body) = ready(&api).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        error_message("ready", &body).contains("4 blocks behind"),
        "{body}"
    );
    let (_, status_body, _) = api.get("/v1/status").await;
    assert_eq!(status_body["finalized_head"], 10);
    assert_eq!(status_body["lag"], 4);
    assert_eq!(status_body["caught_up"], false);

    // 3 behind is ready; so is caught up.
    api.index(empty_blocks(7..=7), 9).await;
    let (status, body) = ready(&api).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["lag"], 3);
    api.index(empty_blocks(8..=10), 10).await;
    let (status, body) = ready(&api).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["caught_up"], true);

    // The node stops answering: not ready, whatever the index says.
    api.node().send_replace(NodeHealth::Unreachable {
        error: "connection refused".into(),
    });
    let (status, body) = ready(&api).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE, "{body}");
    assert!(
        error_message("ready", &body).contains("unreachable"),
        "{body}"
    );
    api.node()
        .send_replace(NodeHealth::Reachable { finalized_head: 10 });
    assert_eq!(ready(&api).await.0, StatusCode::OK);
    // The index stops while the chain goes on.
    api.node()
        .send_replace(NodeHealth::Reachable { finalized_head: 14 });
    assert_eq!(ready(&api).await.0, StatusCode::SERVICE_UNAVAILABLE);
}

/// Serves `api` on a loopback port; returns its address.
async fn listen(api: &Api) -> std::net::SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(serve(listener, api.app.clone(), api.state.limits));
    address
}

/// Reads until the server closes the connection; returns what it sent and when it
/// closed (`None`: still open after `within`).
async fn read_until_closed(
    connection: &mut TcpStream,
    within: Duration,
) -> (Vec<u8>, Option<Duration>) {
    let started = Instant::now();
    let mut received = Vec::new();
    let mut buffer = [0u8; 4096];
    loop {
        let left = within.saturating_sub(started.elapsed());
        match tokio::time::timeout(left, connection.read(&mut buffer)).await {
            Ok(Ok(0)) | Ok(Err(_)) => return (received, Some(started.elapsed())),
            Ok(Ok(n)) => received.extend_from_slice(&buffer[..n]),
            Err(_) => return (received, None),
        }
    }
}

#[tokio::test]
async fn connections_that_send_nothing_or_stop_moving_are_closed() {
    let limits = Limits {
        header_read_timeout: Duration::from_millis(300),
        idle_timeout: Duration::from_millis(800),
        request_timeout: Duration::from_secs(30),
        ..Limits::default()
    };
    let api = api(limits).await;
    let address = listen(&api).await;

    // Headers never finished: closed after the header-read timeout, unanswered.
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(b"GET /health HTTP/1.1\r\nHost: t\r\n")
        .await
        .unwrap();
    let (received, closed) = read_until_closed(&mut slow, Duration::from_secs(5)).await;
    let closed = closed.expect("a half-sent request keeps its connection");
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
    assert!(closed >= Duration::from_millis(250), "{closed:?}");

    // Silent from the start, or after a request (kept alive): closed as well.
    let mut silent = TcpStream::connect(address).await.unwrap();
    let (_, closed) = read_until_closed(&mut silent, Duration::from_secs(5)).await;
    assert!(closed.is_some(), "a silent connection stays open");
    let mut kept = TcpStream::connect(address).await.unwrap();
    kept.write_all(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let (received, closed) = read_until_closed(&mut kept, Duration::from_secs(5)).await;
    let text = String::from_utf8_lossy(&received);
    assert!(text.starts_with("HTTP/1.1 200"), "{text}");
    assert!(closed.is_some(), "an idle kept-alive connection stays open");

    // A request stuck in its handler (the pool is exhausted and the request
    // timeout long): nothing moves on the connection, so the idle timeout closes it.
    api.index(empty_blocks(1..=1), 1).await;
    let mut held = Vec::new();
    for _ in 0..4 {
        held.push(api.state.store.pool().acquire().await.unwrap());
    }
    let mut stuck = TcpStream::connect(address).await.unwrap();
    stuck
        .write_all(b"GET /v1/tips HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let (received, closed) = read_until_closed(&mut stuck, Duration::from_secs(5)).await;
    let closed = closed.expect("a stuck connection stays open");
    assert!(
        received.is_empty(),
        "{}",
        String::from_utf8_lossy(&received)
    );
    assert!(closed >= Duration::from_millis(700), "{closed:?}");
    drop(held);

    // A live-feed client that listens is kept: keep-alive comments move bytes.
    let mut listener = TcpStream::connect(address).await.unwrap();
    listener
        .write_all(b"GET /v1/tips/stream HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let (received, closed) = read_until_closed(&mut listener, Duration::from_secs(3)).await;
    assert_eq!(closed, None, "the live feed was closed");
    let text = String::from_utf8_lossy(&received);
    assert!(
        text.starts_with("HTTP/1.1 200") && text.contains("text/event-stream"),
        "{text}"
    );
    assert!(text.matches("\r\n:").count() >= 3, "{text}");
}

// ---------------------------------------------------------------------------
// The read routes over a seeded mirror.

/// Blocks 1–5 at `now` (ms): the launch parameters, two verifiers, three performers
/// (the third attested by the second verifier), and LIVE tips of 30 (25 h ago) and 5
/// (2 h ago) to the second performer, 10 (1 h ago) to the first, and a native tip to
/// the third.
fn seed(now: u64) -> Vec<IndexedBlock> {
    let [p1, p2, p3] = PERFORMERS;
    let [a, b] = VIEWERS;
    let hour = HOUR_MS;
    let mut setup = vec![launch_params()];
    for verifier in VERIFIERS {
        setup.push(LiveEvent::VerifierChanged(VerifierChanged {
            verifier,
            allowed: true,
        }));
    }
    let mut registrations = Vec::new();
    for (performer, verifier) in
        PERFORMERS
            .into_iter()
            .zip([VERIFIERS[0], VERIFIERS[0], VERIFIERS[1]])
    {
        registrations.push(registration(performer, [performer[0]; 32]));
        registrations.push(LiveEvent::AdultAttestationChanged(
            AdultAttestationChanged {
                performer,
                verifier,
                adult: true,
            },
        ));
    }
    vec![
        live_block(1, setup),
        live_block(2, registrations),
        live_block(
            3,
            vec![tip(1, b, p2, Some(LIVE), 30 * UNIT, now - 25 * hour)],
        ),
        live_block(4, vec![tip(2, a, p2, Some(LIVE), 5 * UNIT, now - 2 * hour)]),
        live_block(
            5,
            vec![
                tip(3, a, p1, Some(LIVE), 10 * UNIT, now - hour),
                tip(4, b, p3, None, 100, now - hour / 2),
                LiveEvent::Rated(Rated {
                    performer: p1,
                    viewer: a,
                    stars: 5,
                    previous: None,
                    at: now - hour / 2,
                }),
            ],
        ),
    ]
}

fn accounts(page: &Value, field: &str) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap_or_else(|| panic!("no items: {page}"))
        .iter()
        .map(|item| item[field].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn performers_and_leaderboards_page_the_seeded_mirror_at_its_block() {
    let api = api(Limits::default()).await;
    api.index(seed(read_model::now_ms()), 5).await;
    let [p1, p2, p3] = PERFORMERS.map(|p| ss58(&p));

    // Performers by account, two per page, then the rest.
    let (status, page, _) = api.get("/v1/performers?limit=2").await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(accounts(&page, "account"), [p1.clone(), p2.clone()]);
    assert_eq!(page["next_cursor"], p2.as_str());
    let (_, rest, _) = api
        .get(&format!("/v1/performers?limit=2&cursor={p2}"))
        .await;
    assert_eq!(accounts(&rest, "account"), std::slice::from_ref(&p3));
    assert!(rest["next_cursor"].is_null(), "{rest}");
    let second = &page["items"][1];
    assert_eq!(second["totals"][0]["tips"], 2);
    assert_eq!(second["totals"][0]["gross"], (35 * UNIT).to_string());
    assert_eq!(second["totals"][0]["supporters"], 2);
    assert_eq!(second["adult_verifier"], ss58(&VERIFIERS[0]));

    // One performer; the third's tip was native: no LIVE in its totals.
    let (status, one, _) = api.get(&format!("/v1/performers/{p3}")).await;
    assert_eq!(status, StatusCode::OK, "{one}");
    assert_eq!(one["totals"][0]["token"], "native");
    assert_eq!(one["adult_verifier"], ss58(&VERIFIERS[1]));
    let (status, _, _) = api
        .get(&format!("/v1/performers/{}", ss58(&VIEWERS[0])))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // By support (LIVE burned for them, decayed) among those tipped in LIVE in the
    // window: the second performer's stake of 35 LIVE of tips outranks the first's
    // 10, though the first received more in the last 24 hours; the third, tipped
    // only in the native token, is in no window.
    let (_, day, _) = api.get("/v1/leaderboard?by=support&window=24h").await;
    assert_eq!(accounts(&day, "performer"), [p2.clone(), p1.clone()]);
    assert_eq!(day["items"][0]["tips_gross"], (5 * UNIT).to_string());
    assert_eq!(day["items"][1]["tips_gross"], (10 * UNIT).to_string());
    let support = |page: &Value, i: usize| -> u128 {
        page["items"][i]["rating"]["support"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap()
    };
    assert!(support(&day, 0) > support(&day, 1), "{day}");
    assert_eq!(day["block"], 5);
    let (_, week, _) = api.get("/v1/leaderboard?by=support&window=7d").await;
    assert_eq!(accounts(&week, "performer"), [p2.clone(), p1.clone()]);
    assert_eq!(week["items"][0]["tips_gross"], (35 * UNIT).to_string());
    let (_, all, _) = api
        .get("/v1/leaderboard?by=support&window=all&limit=2")
        .await;
    assert_eq!(accounts(&all, "performer"), [p2.clone(), p1.clone()]);
    assert_eq!(all["next_cursor"], "2");
    let (_, last, _) = api
        .get("/v1/leaderboard?by=support&window=all&limit=2&cursor=2")
        .await;
    assert_eq!(accounts(&last, "performer"), std::slice::from_ref(&p3));
    assert_eq!(last["items"][0]["rank"], 3);
    assert_eq!(last["items"][0]["tips"], 0);
    assert!(last["next_cursor"].is_null(), "{last}");

    // By rating: only performers with LIVE tips in the window, best first.
    let (_, rated, _) = api.get("/v1/leaderboard?by=rating&window=24h").await;
    let mut ranked = accounts(&rated, "performer");
    let ppm: Vec<u64> = (0..ranked.len())
        .map(|i| rated["items"][i]["rating"]["rating_ppm"].as_u64().unwrap())
        .collect();
    assert!(ppm.windows(2).all(|w| w[0] >= w[1]), "{rated}");
    let mut expected = vec![p1.clone(), p2.clone()];
    ranked.sort();
    expected.sort();
    assert_eq!(ranked, expected);
    let (_, all, _) = api.get("/v1/leaderboard?by=rating&window=all").await;
    assert_eq!(accounts(&all, "performer").len(), 3);

    // The second verifier is delisted and the first performer erased: the third
    // performer's attestation stops counting, the first leaves every list.
    api.index(
        vec![live_block(
            6,
            vec![
                LiveEvent::VerifierChanged(VerifierChanged {
                    verifier: VERIFIERS[1],
                    allowed: false,
                }),
                LiveEvent::PerformerErased(PerformerErased {
                    performer: PERFORMERS[0],
                }),
            ],
        )],
        6,
    )
    .await;
    let (_, one, _) = api.get(&format!("/v1/performers/{p3}")).await;
    assert!(one["adult_verifier"].is_null(), "{one}");
    let (status, _, _) = api.get(&format!("/v1/performers/{p1}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, page, _) = api.get("/v1/performers").await;
    assert_eq!(accounts(&page, "account"), [p2.clone(), p3.clone()]);
    let (_, day, _) = api.get("/v1/leaderboard?by=support&window=all").await;
    assert_eq!(accounts(&day, "performer"), [p2, p3]);
    assert_eq!(day["block"], 6);
}

#[tokio::test]
async fn tip_pages_are_read_at_the_read_models_block_and_follow_it() {
    let api = api(Limits::default()).await;
    let now = read_model::now_ms();
    api.index(seed(now), 5).await;
    let ids = |page: &Value| accounts(page, "id");

    let (status, first, _) = api.get("/v1/tips?limit=2").await;
    assert_eq!(status, StatusCode::OK, "{first}");
    assert_eq!(ids(&first), ["5-1", "5-0"]);
    assert_eq!(first["next_cursor"], "5-0");
    // Asked again (now from the page cache), and with a cursor past the head: the same.
    for uri in ["/v1/tips?limit=2", "/v1/tips?limit=2&cursor=4000000000-0"] {
        let (status, again, _) = api.get(uri).await;
        assert_eq!((status, &again), (StatusCode::OK, &first), "{uri}");
    }
    let (_, rest, _) = api.get("/v1/tips?limit=2&cursor=5-0").await;
    assert_eq!(ids(&rest), ["4-0", "3-0"]);
    assert!(rest["next_cursor"].is_null(), "{rest}");

    // A new block: the cached pages of block 5 are not served any more.
    let p2 = PERFORMERS[1];
    api.index(
        vec![live_block(
            6,
            vec![tip(5, VIEWERS[0], p2, Some(LIVE), UNIT, now)],
        )],
        6,
    )
    .await;
    let (_, first, _) = api.get("/v1/tips?limit=2").await;
    assert_eq!(ids(&first), ["6-0", "5-1"]);
    let (_, mine, _) = api
        .get(&format!("/v1/performers/{}/tips?limit=2", ss58(&p2)))
        .await;
    assert_eq!(ids(&mine), ["6-0", "4-0"]);
    let (_, given, _) = api
        .get(&format!("/v1/viewers/{}/tips", ss58(&VIEWERS[0])))
        .await;
    assert_eq!(ids(&given), ["6-0", "5-0", "4-0"]);
}

#[tokio::test]
async fn the_read_model_updated_block_by_block_equals_one_built_from_scratch() {
    let api = api(Limits::default()).await;
    let store = &api.state.store;
    let now = read_model::now_ms();
    let same = |incremental: &read_model::View, fresh: &read_model::View| {
        assert_eq!(incremental.checkpoint, fresh.checkpoint);
        assert_eq!(incremental.performers, fresh.performers);
        assert_eq!(incremental.ratings, fresh.ratings);
        for by in [By::Rating, By::Support] {
            for window in Window::EVERY {
                assert_eq!(
                    incremental.ranking(by, window),
                    fresh.ranking(by, window),
                    "{by:?} {window:?} at block {:?}",
                    fresh.block()
                );
            }
        }
    };
    let mut view = read_model::refresh(store, &LIVE, None, now).await.unwrap();
    for block in seed(now) {
        store.commit(&LIVE, &[block], 0).await.unwrap();
        view = read_model::refresh(store, &LIVE, Some(&view), now)
            .await
            .unwrap();
        same(
            &view,
            &read_model::refresh(store, &LIVE, None, now).await.unwrap(),
        );
    }
    assert_eq!(view.ranking(By::Support, Window::Day).len(), 2);
    // A day later nothing is new, but every window slid: the 24 h ranking by rating
    // is empty, the 7-day one still holds both performers with LIVE tips.
    let later = now + 24 * HOUR_MS;
    let slid = read_model::refresh(store, &LIVE, Some(&view), later)
        .await
        .unwrap();
    same(
        &slid,
        &read_model::refresh(store, &LIVE, None, later)
            .await
            .unwrap(),
    );
    assert!(slid.ranking(By::Rating, Window::Day).is_empty());
    assert_eq!(slid.ranking(By::Rating, Window::Week).len(), 2);
}

#[tokio::test]
async fn every_answer_matches_the_generated_openapi_document() {
    let api = api(Limits::default()).await;
    let (status, spec, _) = api.get("/v1/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(spec["openapi"], "3.1.0");
    // Every route the router serves is in the document (it is built from them).
    for template in [
        "/v1/openapi.json",
        "/v1/status",
        "/v1/chain",
        "/v1/performers",
        "/v1/performers/{account}",
        "/v1/performers/{account}/tips",
        "/v1/viewers/{account}/tips",
        "/v1/tips",
        "/v1/tips/stream",
        "/v1/leaderboard",
        "/v1/ratings/{account}/audit",
        "/health",
        "/ready",
        "/metrics",
    ] {
        assert!(
            spec["paths"][template]["get"].is_object(),
            "{template} is not documented"
        );
    }

    // Before anything is indexed, then on the seeded mirror.
    let (_, empty_leaderboard, _) = api.get("/v1/leaderboard").await;
    assert_eq!(empty_leaderboard["error"]["code"], "unavailable");
    api.index(seed(read_model::now_ms()), 5).await;
    let performer = ss58(&PERFORMERS[1]);
    let viewer = ss58(&VIEWERS[0]);
    let unknown = format!("0x{}", "ab".repeat(32));
    let cases = [
        ("/v1/status".to_owned(), "/v1/status", 200),
        ("/v1/chain".to_owned(), "/v1/chain", 200),
        ("/health".to_owned(), "/health", 200),
        ("/ready".to_owned(), "/ready", 503),
        ("/v1/performers?limit=2".to_owned(), "/v1/performers", 200),
        ("/v1/performers?limit=0".to_owned(), "/v1/performers", 400),
        (
            "/v1/performers?cursor=nope".to_owned(),
            "/v1/performers",
            400,
        ),
        (
            format!("/v1/performers/{performer}"),
            "/v1/performers/{account}",
            200,
        ),
        (
            format!("/v1/performers/{unknown}"),
            "/v1/performers/{account}",
            404,
        ),
        (
            "/v1/performers/nope".to_owned(),
            "/v1/performers/{account}",
            400,
        ),
        (
            format!("/v1/performers/{performer}/tips?limit=1"),
            "/v1/performers/{account}/tips",
            200,
        ),
        (
            format!("/v1/performers/{unknown}/tips"),
            "/v1/performers/{account}/tips",
            404,
        ),
        (
            format!("/v1/viewers/{viewer}/tips"),
            "/v1/viewers/{account}/tips",
            200,
        ),
        ("/v1/tips?limit=2".to_owned(), "/v1/tips", 200),
        ("/v1/tips?cursor=5-0".to_owned(), "/v1/tips", 200),
        ("/v1/tips?cursor=5".to_owned(), "/v1/tips", 400),
        (
            "/v1/leaderboard?by=support&window=7d&limit=2".to_owned(),
            "/v1/leaderboard",
            200,
        ),
        (
            "/v1/leaderboard?by=rating&window=24h".to_owned(),
            "/v1/leaderboard",
            200,
        ),
        (
            "/v1/leaderboard?window=1h".to_owned(),
            "/v1/leaderboard",
            400,
        ),
        (
            format!("/v1/ratings/{unknown}/audit"),
            "/v1/ratings/{account}/audit",
            404,
        ),
    ];
    for (uri, template, expected) in cases {
        let (status, body, _) = api.get(&uri).await;
        assert_eq!(status.as_u16(), expected, "{uri}: {body}");
        if let Err(e) = check_answer(&spec, template, expected, &body) {
            panic!("{uri}: {e}");
        }
    }
}

/// A document whose fields are easy to find in a file, with an avatar.
fn planted_profile() -> (livestars_indexer::profile::Profile, Vec<u8>) {
    let mut avatar = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x40\0\0\0\x40\x08\x06\0\0\0".to_vec();
    avatar.extend(b"AVATARPLANT");
    let profile = livestars_indexer::profile::Profile {
        age_range: Some("25-34".into()),
        avatar: Some(format!(
            "0x{}",
            hex::encode(livestars_indexer::profile::blake2_256(&avatar))
        )),
        bio: "BIOPLANT-5521 plays piano".into(),
        gender: None,
        languages: vec!["en".into(), "pt-BR".into()],
        message_key: None,
        stream: None,
        schedule: None,
        stage_name: "Stageplant Ünïcode".into(),
        tags: vec!["music".into()],
    };
    (profile, avatar)
}

const GENESIS: [u8; 32] = [9; 32];

fn signed(
    key: &subxt_signer::sr25519::Keypair,
    action: livestars_indexer::profile::Action,
    commitment: &[u8; 32],
) -> String {
    let text =
        livestars_indexer::profile::statement(action, &GENESIS, &key.public_key().0, commitment);
    wallet_signature(key, &text)
}

/// `text` signed by `key` as wallets sign text (`signRaw`: `<Bytes>…</Bytes>`).
fn wallet_signature(key: &subxt_signer::sr25519::Keypair, text: &str) -> String {
    format!(
        "0x{}",
        hex::encode(key.sign(format!("<Bytes>{text}</Bytes>").as_bytes()).0)
    )
}

/// The launch rating parameters, in force from the start.
fn launch_params() -> LiveEvent {
    LiveEvent::ParamsAnnounced(ParamsAnnounced {
        version: 1,
        params: rating_formula::Params::LAUNCH,
        effective_at: 0,
    })
}

/// `performer` registers, committing to `profile`, with a 5% fee bound.
fn registration(performer: AccountId, profile: [u8; 32]) -> LiveEvent {
    LiveEvent::PerformerRegistered(PerformerRegistered {
        performer,
        profile,
        max_fee_bps: 500,
    })
}

impl Api {
    /// Status and JSON body (else `Value::Null`) of `method uri` with a JSON body.
    async fn send_json(&self, method: &str, uri: &str, body: &Value) -> (StatusCode, Value) {
        let request = Request::builder()
            .method(method)
            .uri(uri)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.to_string()))
            .expect("a request");
        let response = self.send(request).await;
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
            .await
            .expect("body");
        (
            status,
            serde_json::from_slice(&bytes).unwrap_or(Value::Null),
        )
    }
}

#[tokio::test]
async fn profiles_are_stored_only_as_committed_and_signed_and_leave_with_the_chain() {
    use base64::Engine;
    use livestars_indexer::profile::Action;
    use subxt_signer::sr25519::dev;
    let api = api(Limits::default()).await;
    api.state.genesis.set(GENESIS).expect("genesis unset");
    let (alice, bob) = (dev::alice(), dev::bob());
    let performer = alice.public_key().0;
    let (profile, avatar) = planted_profile();
    let commitment = profile.commitment();
    api.index(
        vec![live_block(1, vec![registration(performer, commitment)])],
        1,
    )
    .await;
    let uri = format!("/v1/performers/{}/profile", ss58(&performer));
    let body = |profile: &livestars_indexer::profile::Profile, avatar: &[u8], signature: String| {
        serde_json::json!({
            "document": profile,
            "avatar": base64::engine::general_purpose::STANDARD.encode(avatar),
            "signature": signature,
        })
    };
    let good = body(
        &profile,
        &avatar,
        signed(&alice, Action::Publish, &commitment),
    );

    // Refused, with a JSON error, and nothing stored.
    let mut unknown = good.clone();
    unknown["document"]["email"] = "a@b.c".into();
    let mut edited = profile.clone();
    edited.bio.push('!');
    let mut svg = good.clone();
    svg["avatar"] = base64::engine::general_purpose::STANDARD
        .encode(b"<svg xmlns='http://www.w3.org/2000/svg'/>")
        .into();
    let mut other_avatar = avatar.clone();
    other_avatar.push(0);
    let bob_profile_uri = format!("/v1/performers/{}/profile", ss58(&bob.public_key().0));
    let refused = [
        (&uri, unknown, StatusCode::BAD_REQUEST, "email"),
        (&uri, svg, StatusCode::BAD_REQUEST, "avatar"),
        (
            &uri,
            body(
                &profile,
                &other_avatar,
                signed(&alice, Action::Publish, &commitment),
            ),
            StatusCode::BAD_REQUEST,
            "avatar",
        ),
        (
            &uri,
            body(
                &profile,
                &avatar,
                signed(&bob, Action::Publish, &commitment),
            ),
            StatusCode::FORBIDDEN,
            "signature",
        ),
        (
            &uri,
            body(
                &profile,
                &avatar,
                signed(&alice, Action::Withdraw, &commitment),
            ),
            StatusCode::FORBIDDEN,
            "signature",
        ),
        (
            &uri,
            body(
                &edited,
                &avatar,
                signed(&alice, Action::Publish, &edited.commitment()),
            ),
            StatusCode::CONFLICT,
            "commitment",
        ),
        (
            &bob_profile_uri,
            body(
                &profile,
                &avatar,
                signed(&bob, Action::Publish, &commitment),
            ),
            StatusCode::NOT_FOUND,
            "registered",
        ),
    ];
    for (target, request, expected, mentions) in refused {
        let (status, answer) = api.send_json("PUT", target, &request).await;
        assert_eq!(status, expected, "{answer}");
        let message = answer["error"]["message"].as_str().unwrap_or_default();
        assert!(message.contains(mentions), "{mentions}: {answer}");
        assert_eq!(api.get(&uri).await.0, StatusCode::NOT_FOUND);
    }

    // Published: the document and the avatar are served.
    let (status, shown) = api.send_json("PUT", &uri, &good).await;
    assert_eq!(status, StatusCode::OK, "{shown}");
    let (status, read, _) = api.get(&uri).await;
    assert_eq!(status, StatusCode::OK, "{read}");
    assert_eq!(read, shown);
    assert_eq!(read["document"], serde_json::to_value(&profile).unwrap());
    assert_eq!(read["commitment"], hex::encode(commitment));
    let avatar_uri = read["avatar_url"]
        .as_str()
        .expect("an avatar URL")
        .to_owned();
    let response = api.send(request(&avatar_uri)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[header::CONTENT_TYPE], "image/png");
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20)
        .await
        .unwrap();
    assert_eq!(bytes.as_ref(), avatar.as_slice());

    // A new commitment on-chain: the old document goes in the same commit.
    let mut renamed = profile.clone();
    renamed.stage_name = "Renamed".into();
    api.index(
        vec![live_block(
            2,
            vec![LiveEvent::ProfileChanged(ProfileChanged {
                performer,
                profile: renamed.commitment(),
            })],
        )],
        2,
    )
    .await;
    assert_eq!(api.get(&uri).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&avatar_uri).await.0, StatusCode::NOT_FOUND);

    // Withdrawn by the performer's signature only.
    let renamed_body = body(
        &renamed,
        &avatar,
        signed(&alice, Action::Publish, &renamed.commitment()),
    );
    assert_eq!(
        api.send_json("PUT", &uri, &renamed_body).await.0,
        StatusCode::OK
    );
    let withdraw = |key| serde_json::json!({"signature": signed(key, Action::Withdraw, &renamed.commitment())});
    let (status, answer) = api.send_json("DELETE", &uri, &withdraw(&bob)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    let (status, answer) = api.send_json("DELETE", &uri, &withdraw(&alice)).await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{answer}");
    assert_eq!(api.get(&uri).await.0, StatusCode::NOT_FOUND);

    // Erased on-chain: gone from every route and from the database's files.
    let (profile, avatar) = planted_profile();
    api.index(
        vec![live_block(
            3,
            vec![LiveEvent::ProfileChanged(ProfileChanged {
                performer,
                profile: profile.commitment(),
            })],
        )],
        3,
    )
    .await;
    let good = body(
        &profile,
        &avatar,
        signed(&alice, Action::Publish, &profile.commitment()),
    );
    assert_eq!(api.send_json("PUT", &uri, &good).await.0, StatusCode::OK);
    api.index(
        vec![live_block(
            4,
            vec![LiveEvent::PerformerErased(PerformerErased { performer })],
        )],
        4,
    )
    .await;
    assert_eq!(api.get(&uri).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&avatar_uri).await.0, StatusCode::NOT_FOUND);
    for entry in std::fs::read_dir(&api._dir.0).unwrap() {
        let path = entry.unwrap().path();
        if path.is_file() {
            let bytes = std::fs::read(&path).unwrap();
            for planted in [
                "Stageplant",
                "BIOPLANT-5521",
                "AVATARPLANT",
                &hex::encode("AVATARPLANT"),
            ] {
                assert!(
                    !bytes
                        .windows(planted.len())
                        .any(|w| w == planted.as_bytes()),
                    "{planted:?} is still in {}",
                    path.display()
                );
            }
        }
    }
}

#[tokio::test]
async fn performers_are_found_by_profile_and_rating_in_pages_that_inserts_do_not_shift() {
    use livestars_indexer::profile::Profile;
    let api = api(Limits::default()).await;
    let now = read_model::now_ms();
    let account = |n: u8| [40 + n; 32];
    let profile = |name: &str, tags: &[&str], languages: &[&str]| Profile {
        age_range: None,
        avatar: None,
        bio: String::new(),
        gender: None,
        languages: languages.iter().map(|l| l.to_string()).collect(),
        message_key: None,
        stream: None,
        schedule: None,
        stage_name: name.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
    };
    // Registered in blocks 2 to 6 in this order; the fourth publishes no profile.
    let profiles = [
        Some(profile("Lúa Nova", &["music", "chat"], &["pt-BR", "en"])),
        Some(profile("LUANA", &["dance"], &["es"])),
        Some(profile("Mika", &["music"], &["ja"])),
        None,
        Some(profile("Ünïque", &["chat"], &["de"])),
    ];
    let mut blocks = vec![live_block(1, vec![launch_params()])];
    for (n, profile) in profiles.iter().enumerate() {
        blocks.push(live_block(
            2 + n as u32,
            vec![registration(
                account(n as u8),
                profile.as_ref().map_or([0; 32], Profile::commitment),
            )],
        ));
    }
    // LIVE tips, 1% of each burned as support: Mika 30, Lúa 20, Luana 10.
    blocks.push(live_block(
        7,
        vec![
            tip(1, VIEWERS[0], account(2), Some(LIVE), 30 * UNIT, now),
            tip(2, VIEWERS[0], account(0), Some(LIVE), 20 * UNIT, now),
            tip(3, VIEWERS[1], account(1), Some(LIVE), 10 * UNIT, now),
        ],
    ));
    api.index(blocks, 7).await;
    for (n, profile) in profiles.iter().enumerate() {
        if let Some(profile) = profile {
            assert!(api
                .state
                .store
                .put_profile(&account(n as u8), profile, None)
                .await
                .unwrap());
            assert!(
                api.state
                    .await_profile(&account(n as u8), Some(profile.commitment()), WAIT)
                    .await
            );
        }
    }
    let names = |page: &Value| -> Vec<String> {
        page["items"]
            .as_array()
            .unwrap_or_else(|| panic!("no items: {page}"))
            .iter()
            .map(|item| {
                item["public_profile"]["document"]["stage_name"]
                    .as_str()
                    .unwrap_or("-")
                    .to_owned()
            })
            .collect()
    };
    let api = &api;
    let list = |query: &str| {
        let uri = format!("/v1/performers?{query}");
        async move {
            let (status, page, _) = api.get(&uri).await;
            assert_eq!(status, StatusCode::OK, "{uri}: {page}");
            page
        }
    };
    let by_account = names(&list("").await);
    assert_eq!(by_account, ["Lúa Nova", "LUANA", "Mika", "-", "Ünïque"]);
    for (query, expected) in [
        ("tag=music", vec!["Lúa Nova", "Mika"]),
        ("tag=MUSIC&language=ja", vec!["Mika"]),
        ("language=pt", vec!["Lúa Nova"]),
        ("language=pt-BR", vec!["Lúa Nova"]),
        ("language=pt-PT", vec![]),
        ("q=lua", vec!["LUANA"]),
        ("q=L%C3%9AA", vec!["Lúa Nova"]),
        ("q=%C3%BCn%C3%AF", vec!["Ünïque"]),
        ("q=a&sort=support", vec!["Mika", "Lúa Nova", "LUANA"]),
        (
            "sort=support",
            vec!["Mika", "Lúa Nova", "LUANA", "-", "Ünïque"],
        ),
        (
            "sort=newest",
            vec!["Ünïque", "-", "Mika", "LUANA", "Lúa Nova"],
        ),
        ("min_rating=1000000", vec![]),
        ("min_rating=0&tag=chat", vec!["Lúa Nova", "Ünïque"]),
    ] {
        assert_eq!(names(&list(query).await), expected, "{query}");
    }
    let rated = list("sort=rating").await;
    let ppm: Vec<u64> = (0..5)
        .map(|i| rated["items"][i]["rating"]["rating_ppm"].as_u64().unwrap())
        .collect();
    assert!(ppm.windows(2).all(|w| w[0] >= w[1]), "{rated}");

    // Pages by position: a performer registering meanwhile shifts nothing.
    let first = list("sort=newest&limit=2").await;
    assert_eq!(names(&first), ["Ünïque", "-"]);
    let cursor = first["next_cursor"].as_str().expect("a cursor").to_owned();
    api.index(
        vec![live_block(8, vec![registration(account(9), [9; 32])])],
        8,
    )
    .await;
    let next = list(&format!("sort=newest&limit=2&cursor={cursor}")).await;
    assert_eq!(names(&next), ["Mika", "LUANA"]);
    let (_, spec, _) = api.get("/v1/openapi.json").await;
    if let Err(e) = check_answer(&spec, "/v1/performers", 200, &first) {
        panic!("{e}");
    }

    for bad in [
        "q=",
        "tag=abcdefghijklmnopqrstuvwxyz",
        "sort=popular",
        "min_rating=1000001",
        "sort=newest&cursor=nope",
        "sort=rating&cursor=12",
    ] {
        let (status, body, _) = api.get(&format!("/v1/performers?{bad}")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
    }
}

#[tokio::test]
async fn earnings_attestation_filter_and_profile_check() {
    let api = api(Limits::default()).await;
    let now = read_model::now_ms();
    api.index(seed(now), 5).await;
    let [p1, p2, p3] = PERFORMERS.map(|p| ss58(&p));

    // The second performer's 30 + 5 LIVE fall in the last 30 UTC days, today last.
    let (status, earnings, _) = api.get(&format!("/v1/performers/{p2}/earnings")).await;
    assert_eq!(status, StatusCode::OK, "{earnings}");
    let days = earnings["days"].as_array().unwrap();
    assert_eq!(days.len(), 30);
    let today = now / HOUR_MS / 24 * 24 * HOUR_MS;
    assert_eq!(days[29]["start"], today);
    let gross: u128 = days
        .iter()
        .map(|d| d["gross"].as_str().unwrap().parse::<u128>().unwrap())
        .sum();
    assert_eq!(gross, 35 * UNIT);
    assert_eq!(
        days.iter()
            .map(|d| d["tips"].as_u64().unwrap())
            .sum::<u64>(),
        2
    );
    assert_eq!(earnings["totals"][0]["gross"], (35 * UNIT).to_string());
    let (_, spec, _) = api.get("/v1/openapi.json").await;
    if let Err(e) = check_answer(&spec, "/v1/performers/{account}/earnings", 200, &earnings) {
        panic!("{e}");
    }
    let unknown = format!("0x{}", "ab".repeat(32));
    let (status, _, _) = api.get(&format!("/v1/performers/{unknown}/earnings")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // All three are attested; delisting the second verifier leaves the third awaiting.
    assert_eq!(
        accounts(&api.get("/v1/performers?attested=false").await.1, "account"),
        Vec::<String>::new()
    );
    api.index(
        vec![live_block(
            6,
            vec![LiveEvent::VerifierChanged(VerifierChanged {
                verifier: VERIFIERS[1],
                allowed: false,
            })],
        )],
        6,
    )
    .await;
    assert_eq!(
        accounts(&api.get("/v1/performers?attested=false").await.1, "account"),
        [p3]
    );
    assert_eq!(
        accounts(&api.get("/v1/performers?attested=true").await.1, "account"),
        [p1, p2]
    );

    // A document is checked, and its commitment given, before it goes on-chain.
    let (profile, avatar) = planted_profile();
    let body = |document: Value| {
        use base64::Engine;
        serde_json::json!({
            "document": document,
            "avatar": base64::engine::general_purpose::STANDARD.encode(&avatar),
        })
    };
    let document = serde_json::to_value(&profile).unwrap();
    let (status, checked) = api
        .send_json("POST", "/v1/profiles/check", &body(document.clone()))
        .await;
    assert_eq!(status, StatusCode::OK, "{checked}");
    assert_eq!(checked["commitment"], hex::encode(profile.commitment()));
    let mut bad = document;
    bad["stage_name"] = "".into();
    let (status, answer) = api
        .send_json("POST", "/v1/profiles/check", &body(bad))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{answer}");
    assert!(answer["error"]["message"]
        .as_str()
        .unwrap()
        .contains("stage_name"));
}

#[tokio::test]
async fn presence_is_signed_fresh_bounded_never_replayed_and_erased() {
    use subxt_signer::sr25519::{dev, Keypair};
    let api = api(Limits::default()).await;
    api.state.genesis.set(GENESIS).expect("genesis unset");
    let (alice, bob) = (dev::alice(), dev::bob());
    let performer = alice.public_key().0;
    let register = |number| live_block(number, vec![registration(performer, [1; 32])]);
    let params = live_block(1, vec![launch_params()]);
    api.index(vec![params, register(2)], 2).await;
    let uri = format!("/v1/performers/{}/presence", ss58(&performer));
    let body = |key: &Keypair, signed_at: u64, until: u64| {
        let text = livestars_indexer::profile::presence_statement(
            &GENESIS,
            &key.public_key().0,
            signed_at,
            until,
        );
        serde_json::json!({
            "until": until,
            "signed_at": signed_at,
            "signature": wallet_signature(key, &text),
        })
    };
    // The read model shows a presence change soon after the answer: wait for it.
    let online = |query: &'static str, expected: Vec<String>| {
        let api = &api;
        async move {
            let deadline = Instant::now() + WAIT;
            loop {
                let page = api.get(&format!("/v1/performers?{query}")).await.1;
                let listed = accounts(&page, "account");
                if listed == expected {
                    return;
                }
                assert!(
                    Instant::now() < deadline,
                    "{query}: {listed:?}, not {expected:?}"
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    };
    let now = read_model::now_ms();
    let hour = HOUR_MS;

    let first = body(&alice, now, now + hour);
    let (status, answer) = api.send_json("PUT", &uri, &first).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["online"], true);
    online("online=true", vec![ss58(&performer)]).await;
    let (_, one, _) = api
        .get(&format!("/v1/performers/{}", ss58(&performer)))
        .await;
    assert_eq!(one["online"], true);

    for (request, expected) in [
        // The same statement again, or one signed earlier: a replay.
        (first.clone(), StatusCode::CONFLICT),
        (
            body(&alice, now - 1_000, now + 2 * hour),
            StatusCode::CONFLICT,
        ),
        // Signed too long ago, or online for too long.
        (
            body(&alice, now - 10 * 60_000, now + hour),
            StatusCode::BAD_REQUEST,
        ),
        (
            body(&alice, now + 1, now + 13 * hour),
            StatusCode::BAD_REQUEST,
        ),
        // Not the performer's signature.
        (
            {
                let mut forged = body(&bob, now + 2, now + hour);
                forged["signed_at"] = (now + 2).into();
                forged
            },
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (status, answer) = api.send_json("PUT", &uri, &request).await;
        assert_eq!(status, expected, "{request}: {answer}");
    }
    let bob_uri = format!("/v1/performers/{}/presence", ss58(&bob.public_key().0));
    let (status, _) = api
        .send_json("PUT", &bob_uri, &body(&bob, now, now + hour))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Offline now, then online again; erasing forgets it.
    let (status, answer) = api
        .send_json("PUT", &uri, &body(&alice, now + 3, now))
        .await;
    assert_eq!(
        (status, &answer["online"]),
        (StatusCode::OK, &Value::Bool(false))
    );
    online("online=true", Vec::new()).await;
    online("online=false", vec![ss58(&performer)]).await;
    let (status, _) = api
        .send_json("PUT", &uri, &body(&alice, now + 4, now + hour))
        .await;
    assert_eq!(status, StatusCode::OK);
    api.index(
        vec![live_block(
            3,
            vec![LiveEvent::PerformerErased(PerformerErased { performer })],
        )],
        3,
    )
    .await;
    api.index(vec![register(4)], 4).await;
    online("online=true", Vec::new()).await;
}

#[tokio::test]
async fn show_routes_answer_bad_input_with_json_4xx_never_a_5xx() {
    let api = api(Limits::default()).await;
    let account = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
    let cases = [
        ("/v1/shows/x".to_owned(), StatusCode::BAD_REQUEST),
        ("/v1/shows/-1".to_owned(), StatusCode::BAD_REQUEST),
        ("/v1/shows/1.5".to_owned(), StatusCode::BAD_REQUEST),
        (
            "/v1/shows/99999999999999999999999".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (format!("/v1/shows/{}", u64::MAX), StatusCode::NOT_FOUND),
        ("/v1/shows/7".to_owned(), StatusCode::NOT_FOUND),
        (
            "/v1/accounts/nope/shows".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/v1/accounts/{account}/shows?open=maybe"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/v1/accounts/{account}/shows?limit=0"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/v1/accounts/{account}/shows?cursor=-3"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/v1/accounts/{account}/shows?x=1"),
            StatusCode::BAD_REQUEST,
        ),
        (
            format!("/v1/performers/{account}/show-terms"),
            StatusCode::NOT_FOUND,
        ),
        (
            "/v1/performers/0x12/show-terms".to_owned(),
            StatusCode::BAD_REQUEST,
        ),
        // Not a WebSocket upgrade.
        ("/v1/shows/7/signal".to_owned(), StatusCode::BAD_REQUEST),
        ("/v1/shows/x/signal".to_owned(), StatusCode::BAD_REQUEST),
    ];
    for (uri, expected) in cases {
        let (status, body, _) = api.get(&uri).await;
        assert_eq!(status, expected, "{uri}: {body}");
        error_message(&uri, &body);
    }
    let (status, body, _) = api
        .get(&format!("/v1/accounts/{account}/shows?cursor={}", u64::MAX))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["items"], serde_json::json!([]));
}

// ---------------------------------------------------------------------------
// The live feeds and the signaling relay, over loopback TCP.

/// A live-feed stream read over loopback TCP.
struct Feed {
    connection: TcpStream,
    /// Everything received so far (the response head, then the chunked body).
    text: String,
}

impl Feed {
    /// `GET path` on `address`, its response head read: the stream is subscribed.
    async fn open(address: std::net::SocketAddr, path: &str) -> Self {
        let mut connection = TcpStream::connect(address).await.unwrap();
        connection
            .write_all(format!("GET {path} HTTP/1.1\r\nHost: t\r\n\r\n").as_bytes())
            .await
            .unwrap();
        let mut feed = Self {
            connection,
            text: String::new(),
        };
        feed.read_until(|feed| feed.text.contains("\r\n\r\n")).await;
        assert!(
            feed.text.starts_with("HTTP/1.1 200") && feed.text.contains("text/event-stream"),
            "{}",
            feed.text
        );
        feed
    }

    /// Reads until `done`, for at most [`WAIT`].
    async fn read_until(&mut self, done: impl Fn(&Self) -> bool) {
        let started = Instant::now();
        let mut buffer = [0u8; 4096];
        while !done(self) {
            let left = WAIT.saturating_sub(started.elapsed());
            match tokio::time::timeout(left, self.connection.read(&mut buffer)).await {
                Ok(Ok(0)) | Ok(Err(_)) => panic!("the stream was closed: {}", self.text),
                Ok(Ok(n)) => self.text.push_str(&String::from_utf8_lossy(&buffer[..n])),
                Err(_) => panic!("nothing more within {WAIT:?}: {}", self.text),
            }
        }
    }

    /// The complete events named `name` received so far: (id, data as JSON).
    fn events(&self, name: &str) -> Vec<(String, Value)> {
        let mut blocks: Vec<&str> = self.text.split("\n\n").collect();
        // The last piece is not terminated yet.
        blocks.pop();
        blocks
            .into_iter()
            .filter_map(|block| {
                let field = |key: &str| {
                    block
                        .lines()
                        .find_map(|line| line.strip_prefix(key))
                        .map(str::to_owned)
                };
                (field("event: ")? == name).then_some(())?;
                Some((
                    field("id: ")?,
                    serde_json::from_str(&field("data: ")?).ok()?,
                ))
            })
            .collect()
    }

    /// Waits until `count` events named `name` have arrived; returns them.
    async fn wait_for(&mut self, name: &str, count: usize) -> Vec<(String, Value)> {
        self.read_until(|feed| feed.events(name).len() >= count)
            .await;
        self.events(name)
    }
}

#[tokio::test]
async fn committed_tips_and_show_events_reach_the_live_feeds() {
    use livestars_indexer::decode::ShowOpened;
    let api = api(Limits::default()).await;
    let address = listen(&api).await;
    let mut tips = Feed::open(address, "/v1/tips/stream").await;
    let mut shows = Feed::open(address, "/v1/shows/stream").await;

    api.index(seed(read_model::now_ms()), 5).await;
    let received = tips.wait_for("tip", 4).await;
    let ids: Vec<_> = received.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, ["3-0", "4-0", "5-0", "5-1"], "{}", tips.text);
    let [p1, p2, p3] = PERFORMERS.map(|p| ss58(&p));
    let summary: Vec<_> = received
        .iter()
        .map(|(_, tip)| {
            (
                tip["id"].clone(),
                tip["tip_id"].clone(),
                tip["performer"].clone(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("3-0".into(), 1.into(), p2.clone().into()),
            ("4-0".into(), 2.into(), p2.into()),
            ("5-0".into(), 3.into(), p1.into()),
            ("5-1".into(), 4.into(), p3.into()),
        ]
    );
    assert_eq!(received[0].1["gross"], (30 * UNIT).to_string());
    assert_eq!(received[3].1["token"], Value::Null);

    // A show opened: on the show feed, not on the tip feed.
    let [viewer, _] = VIEWERS;
    let opened = LiveEvent::ShowOpened(ShowOpened {
        viewer,
        performer: PERFORMERS[0],
        show_id: 7,
        price_per_minute: 60 * UNIT,
        deposit: 600 * UNIT,
        fee_bps: 250,
        burn_bps: 100,
        at: read_model::now_ms(),
    });
    api.index(vec![live_block(6, vec![opened])], 6).await;
    let received = shows.wait_for("show", 1).await;
    let (id, event) = &received[0];
    assert_eq!(id, "6-0");
    assert_eq!(event["kind"], "opened");
    assert_eq!(event["show_id"], 7);
    assert_eq!(event["viewer"], ss58(&viewer));
    assert_eq!(event["amount"], (600 * UNIT).to_string());
    // Nothing of block 6 on the tip feed (its keep-alives only come every 15 s).
    tokio::time::sleep(Duration::from_millis(300)).await;
    let mut buffer = [0u8; 4096];
    let more = tokio::time::timeout(
        Duration::from_millis(300),
        tips.connection.read(&mut buffer),
    );
    assert!(more.await.is_err(), "the tip feed sent more");
}

/// Show 7 open between //Dave (viewer) and //Charlie (performer) at 60 UNIT a
/// minute, indexed at block 1, with the genesis the relay's statement names.
async fn open_show_for_relay(api: &Api) {
    use livestars_indexer::decode::{ShowOpened, ShowTermsChanged};
    use livestars_tests::{account, key};
    api.state.genesis.set(GENESIS).expect("genesis unset");
    let (viewer, performer) = (account(&key("//Dave")), account(&key("//Charlie")));
    let (price, now, show) = (60 * UNIT, read_model::now_ms(), 7);
    let setup = vec![
        launch_params(),
        registration(performer, [1; 32]),
        LiveEvent::ShowTermsChanged(ShowTermsChanged {
            performer,
            price_per_minute: price,
            available: true,
        }),
        LiveEvent::ShowOpened(ShowOpened {
            viewer,
            performer,
            show_id: show,
            price_per_minute: price,
            deposit: 10 * price,
            fee_bps: 250,
            burn_bps: 100,
            at: now,
        }),
    ];
    api.index(vec![live_block(1, setup)], 1).await;
}

#[tokio::test]
async fn the_signaling_relay_lets_in_the_two_parties_of_an_open_show_only() {
    use livestars_indexer::decode::ShowEnded;
    use livestars_tests::signaling::{sign, statement, Heard, Signal};
    use livestars_tests::{account, key};
    use serde_json::json;
    let api = api(Limits::default()).await;
    open_show_for_relay(&api).await;
    let address = listen(&api).await;
    let base = format!("http://{address}");
    let genesis = format!("0x{}", hex::encode(GENESIS));
    let (dave, charlie) = (key("//Dave"), key("//Charlie"));
    let (viewer, performer) = (account(&dave), account(&charlie));
    let (price, now) = (60 * UNIT, read_model::now_ms());
    let show = 7;

    let mut dave_signal = Signal::join(&base, show, &dave, &genesis).await.unwrap();
    assert_eq!(
        dave_signal.next().await.unwrap(),
        Heard::Message(json!({"type": "ready", "role": "viewer", "peer": false}))
    );
    let mut charlie_signal = Signal::join(&base, show, &charlie, &genesis).await.unwrap();
    assert_eq!(
        charlie_signal.next().await.unwrap(),
        Heard::Message(json!({"type": "ready", "role": "performer", "peer": true}))
    );
    assert_eq!(
        dave_signal.next().await.unwrap(),
        Heard::Message(json!({"type": "peer", "present": true}))
    );
    let offer = json!({"type": "signal", "data": {"sdp": "v=0 offer", "type": "offer"}});
    dave_signal.send(offer.clone()).await.unwrap();
    assert_eq!(charlie_signal.next().await.unwrap(), Heard::Message(offer));
    let candidate = json!({"type": "signal", "data": {"candidate": "host"}});
    charlie_signal.send(candidate.clone()).await.unwrap();
    assert_eq!(dave_signal.next().await.unwrap(), Heard::Message(candidate));
    let mut outsider = Signal::join(&base, show, &key("//Eve"), &genesis)
        .await
        .unwrap();
    assert_eq!(outsider.next().await.unwrap(), Heard::Closed(4403));
    // A signature made on another page (its origin in the statement: what a
    // phishing page would have a party sign) opens no connection of another origin.
    let mut phished = Signal::connect(&base, show).await.unwrap();
    let elsewhere = statement(show, "https://livestars.example", &genesis, &phished.nonce);
    phished.auth(&dave, &sign(&dave, &elsewhere)).await.unwrap();
    assert_eq!(phished.next().await.unwrap(), Heard::Closed(4401));

    // A flood is limited and told: the relay forwards a burst of 100, then closes
    // the sender with 4429, and the other party hears that it left.
    let flood = json!({"type": "signal", "data": {"candidate": "flood"}});
    // (400: even on a machine so busy that sending them took 10 s, the refill of
    // 20 a second would not cover them.)
    for _ in 0..400 {
        if dave_signal.send(flood.clone()).await.is_err() {
            break;
        }
    }
    loop {
        match dave_signal.next().await.unwrap() {
            // Charlie's queue may fill meanwhile; the sender is told of each loss.
            Heard::Message(m) if m == json!({"type": "dropped"}) => {}
            other => {
                assert_eq!(other, Heard::Closed(4429));
                break;
            }
        }
    }
    let mut forwarded = 0;
    loop {
        match charlie_signal.next().await.unwrap() {
            Heard::Message(m) if m == flood => forwarded += 1,
            Heard::Message(m) if m == json!({"type": "peer", "present": false}) => break,
            other => panic!("during the flood: {other:?}"),
        }
    }
    assert!(
        (100..400).contains(&forwarded),
        "{forwarded} forwarded: the burst, not all"
    );
    let mut dave_signal = Signal::join(&base, show, &dave, &genesis).await.unwrap();
    assert_eq!(
        dave_signal.next().await.unwrap(),
        Heard::Message(json!({"type": "ready", "role": "viewer", "peer": true}))
    );
    assert_eq!(
        charlie_signal.next().await.unwrap(),
        Heard::Message(json!({"type": "peer", "present": true}))
    );

    // The show ends on chain: both parties are told, and the relay closes.
    let ended = LiveEvent::ShowEnded(ShowEnded {
        viewer,
        performer,
        show_id: show,
        ended_by: viewer,
        deposit: 10 * price,
        paid: 0,
        refunded: 10 * price,
        billed_seconds: 0,
        at: now + 1_000,
    });
    api.index(vec![live_block(2, vec![ended])], 2).await;
    for party in [&mut dave_signal, &mut charlie_signal] {
        // The other party may leave first (each connection checks the show apart).
        loop {
            match party.next().await.unwrap() {
                Heard::Message(m) if m["type"] == "ended" => break,
                Heard::Message(m) if m == json!({"type": "peer", "present": false}) => {}
                other => panic!("closed before the end was told: {other:?}"),
            }
        }
        assert_eq!(party.next().await.unwrap(), Heard::Closed(1000));
    }
    let mut late = Signal::join(&base, show, &dave, &genesis).await.unwrap();
    assert_eq!(late.next().await.unwrap(), Heard::Closed(4404));
}

/// Upgrades a connection from the loopback address `from` to `/v1/shows/7/signal`
/// and says nothing more; the status of the answer and the connection.
async fn silent_relay(server: std::net::SocketAddr, from: [u8; 4]) -> (u16, TcpStream) {
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket
        .bind((std::net::Ipv4Addr::from(from), 0).into())
        .unwrap();
    let mut connection = socket.connect(server).await.unwrap();
    connection
        .write_all(
            b"GET /v1/shows/7/signal HTTP/1.1\r\nHost: t\r\nConnection: Upgrade\r\n\
              Upgrade: websocket\r\nSec-WebSocket-Version: 13\r\n\
              Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        )
        .await
        .unwrap();
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        let read = tokio::time::timeout(WAIT, connection.read(&mut byte)).await;
        assert_eq!(read.expect("an answer in time").unwrap(), 1, "closed early");
        head.push(byte[0]);
    }
    let status = String::from_utf8_lossy(&head[9..12]).parse().unwrap();
    (status, connection)
}

#[tokio::test]
async fn silent_sockets_take_no_place_of_a_party_or_a_feed() {
    use livestars_tests::key;
    use livestars_tests::signaling::{Heard, Signal};
    use serde_json::json;
    let api = api(Limits::default()).await;
    open_show_for_relay(&api).await;
    let address = listen(&api).await;
    let base = format!("http://{address}");
    let genesis = format!("0x{}", hex::encode(GENESIS));

    // 1 000 relays that never sign, from ten other loopback addresses: each
    // address waits in at most 8 places; the rest are told 503 at once.
    let mut silent = Vec::new();
    let mut refused = 0;
    for i in 0..1_000u32 {
        let from = [127, 0, 0, 2 + (i % 10) as u8];
        match silent_relay(address, from).await {
            (101, connection) => silent.push(connection),
            (503, _) => refused += 1,
            (status, _) => panic!("a silent relay got {status}"),
        }
    }
    assert_eq!((silent.len(), refused), (80, 920));

    // The parties of the show still get in, and a feed still opens.
    let mut dave = Signal::join(&base, 7, &key("//Dave"), &genesis)
        .await
        .unwrap();
    assert_eq!(
        dave.next().await.unwrap(),
        Heard::Message(json!({"type": "ready", "role": "viewer", "peer": false}))
    );
    let mut charlie = Signal::join(&base, 7, &key("//Charlie"), &genesis)
        .await
        .unwrap();
    assert_eq!(
        charlie.next().await.unwrap(),
        Heard::Message(json!({"type": "ready", "role": "performer", "peer": true}))
    );
    let _shows = Feed::open(address, "/v1/shows/stream").await;

    // Streams count per address too: one address holds at most 32, of which the
    // two relays and the feed above hold 3.
    let mut feeds = Vec::new();
    for _ in 3..32 {
        feeds.push(Feed::open(address, "/v1/tips/stream").await);
    }
    let mut one_more = TcpStream::connect(address).await.unwrap();
    one_more
        .write_all(b"GET /v1/tips/stream HTTP/1.1\r\nHost: t\r\n\r\n")
        .await
        .unwrap();
    let mut answer = [0u8; 12];
    one_more.read_exact(&mut answer).await.unwrap();
    assert_eq!(&answer, b"HTTP/1.1 503");
    drop(silent);
}

/// The desk over HTTP: it offers its key once the chain registered it, opens one
/// session per key at a time, and signs exactly the vouchers an order paid for;
/// the buyer's unblinded signature is the key's sr25519 signature of the voucher.
#[tokio::test]
async fn the_desk_blind_signs_exactly_what_an_order_paid_for() {
    use blind_sr25519::{blind, verify};
    use livestars_indexer::decode::{
        voucher_message, VoucherKeyRegistered, VoucherTerms, VouchersBought,
    };
    let api = api(Limits::default()).await;
    let (status, body, _) = api.get("/v1/desk").await;
    assert_eq!(
        (status, body["keys"].as_array().map(Vec::len)),
        (StatusCode::OK, Some(0))
    );

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_millis() as u64;
    let terms = VoucherTerms {
        denomination: 10 * UNIT,
        relay_fee: UNIT / 10,
        stipend: 1_000,
        price_live: 10 * UNIT,
        price_native: 0,
    };
    let order = [0x0d; 32];
    api.index(
        vec![live_block(
            0,
            vec![
                LiveEvent::VoucherKeyRegistered(VoucherKeyRegistered {
                    desk: VERIFIERS[0],
                    key_id: 2,
                    public: api.desk_key,
                    terms,
                    redeem_until: now + 86_400_000,
                }),
                LiveEvent::VouchersBought(VouchersBought {
                    buyer: VIEWERS[0],
                    key_id: 2,
                    count: 1,
                    order,
                    paid: 10 * UNIT,
                    native: false,
                }),
            ],
        )],
        0,
    )
    .await;
    let (status, body, _) = api.get("/v1/desk").await;
    assert_eq!(status, StatusCode::OK);
    let key = &body["keys"][0];
    assert_eq!(key["key_id"], 2);
    assert_eq!(key["public_key"], hex::encode(api.desk_key));
    assert_eq!(key["denomination"], (10 * UNIT).to_string());
    assert_eq!(key["relay_fee"], (UNIT / 10).to_string());

    let open = serde_json::json!({ "order": hex::encode(order), "key_id": 2 });
    let (status, opened) = api.send_json("POST", "/v1/desk/sessions", &open).await;
    assert_eq!(status, StatusCode::CREATED, "{opened}");
    let (status, busy) = api.send_json("POST", "/v1/desk/sessions", &open).await;
    assert_eq!(
        status,
        StatusCode::SERVICE_UNAVAILABLE,
        "one session per key: {busy}"
    );

    let commitment: [u8; 32] = hex::decode(opened["commitment"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let message = voucher_message(&LIVE, 2, &[0x77; 32], &[0x99; 32]);
    let (blinded, challenge) = blind(&api.desk_key, &commitment, &message).unwrap();
    let uri = format!("/v1/desk/sessions/{}", opened["session"].as_str().unwrap());
    let challenge = serde_json::json!({ "challenge": hex::encode(challenge) });
    let (status, answered) = api.send_json("POST", &uri, &challenge).await;
    assert_eq!(status, StatusCode::OK, "{answered}");
    let response: [u8; 32] = hex::decode(answered["response"].as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap();
    let signature = blinded.unblind(&response).unwrap();
    assert!(verify(&api.desk_key, &message, &signature));

    let refusals = [
        ("/v1/desk/sessions", open.clone(), StatusCode::CONFLICT),
        (uri.as_str(), challenge.clone(), StatusCode::NOT_FOUND),
        (
            "/v1/desk/sessions",
            serde_json::json!({ "order": hex::encode(order), "key_id": 9 }),
            StatusCode::NOT_FOUND,
        ),
        (
            "/v1/desk/sessions",
            serde_json::json!({ "order": "zz", "key_id": 2 }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/v1/desk/sessions",
            serde_json::json!({ "order": hex::encode(order) }),
            StatusCode::BAD_REQUEST,
        ),
        (
            "/v1/desk/sessions/nope",
            challenge.clone(),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for (uri, body, expected) in refusals {
        let (status, answer) = api.send_json("POST", uri, &body).await;
        assert_eq!(status, expected, "{uri} {body}: {answer}");
        error_message(uri, &answer);
    }
}

#[tokio::test]
async fn rooms_notes_and_overlay_links_are_signed_matched_and_erased() {
    use base64::Engine;
    use livestars_indexer::room::{self, Goal, MenuItem, OverlayAction, Room, TipNote};
    use subxt_signer::sr25519::{dev, Keypair};
    let api = api(Limits::default()).await;
    api.state.genesis.set(GENESIS).expect("genesis unset");
    let (alice, bob, dave) = (dev::alice(), dev::bob(), dev::dave());
    let performer = alice.public_key().0;
    let viewer = dave.public_key().0;
    let register = |number| live_block(number, vec![registration(performer, [1; 32])]);
    let params = live_block(1, vec![launch_params()]);
    api.index(vec![params, register(2)], 2).await;
    let shown = ss58(&performer);
    let now = read_model::now_ms();
    let menu_room = Room {
        goal: Some(Goal {
            amount: (30 * UNIT).to_string(),
            deadline_ms: None,
            label: "Dance".into(),
            since_ms: now - 1_000,
        }),
        menu: vec![MenuItem {
            id: 7,
            label: "Song request".into(),
            price: (20 * UNIT).to_string(),
            toy: None,
        }],
    };
    let set_room = |key: &Keypair, document: &Room, signed_at: u64| {
        let hash = livestars_indexer::profile::blake2_256(&document.canonical());
        let text = room::room_statement(&GENESIS, &key.public_key().0, &hash, signed_at);
        serde_json::json!({
            "document": document,
            "signed_at": signed_at,
            "signature": wallet_signature(key, &text),
        })
    };
    let room_uri = format!("/v1/performers/{shown}/room");
    assert_eq!(api.get(&room_uri).await.0, StatusCode::NOT_FOUND);
    let first = set_room(&alice, &menu_room, now);
    let (status, answer) = api.send_json("PUT", &room_uri, &first).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["goal"]["raised"], "0");
    assert_eq!(answer["goal"]["reached"], false);
    let mut broken = menu_room.clone();
    broken.menu.push(broken.menu[0].clone());
    let mut early = menu_room.clone();
    early.goal.as_mut().unwrap().since_ms = now + 60_000;
    for (request, expected) in [
        (first.clone(), StatusCode::CONFLICT),
        (set_room(&bob, &menu_room, now + 1), StatusCode::FORBIDDEN),
        (set_room(&alice, &broken, now + 1), StatusCode::BAD_REQUEST),
        (set_room(&alice, &early, now + 1), StatusCode::BAD_REQUEST),
        (
            set_room(&alice, &menu_room, now - 10 * 60_000),
            StatusCode::BAD_REQUEST,
        ),
    ] {
        let (status, answer) = api.send_json("PUT", &room_uri, &request).await;
        assert_eq!(status, expected, "{request}: {answer}");
        error_message(&room_uri, &answer);
    }
    let bob_room = format!("/v1/performers/{}/room", ss58(&bob.public_key().0));
    let (status, _) = api
        .send_json("PUT", &bob_room, &set_room(&bob, &menu_room, now))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Two tips whose memos commit to notes: 25 LIVE for the song, 10 LIVE with a
    // message only.
    let sealed = |size: usize| {
        base64::engine::general_purpose::STANDARD.encode(vec![0x5a; room::SEAL_OVERHEAD + size])
    };
    let note = |item: Option<u32>, message: Option<String>, salt: u8| TipNote {
        item,
        message,
        salt: format!("0x{}", hex::encode([salt; 32])),
        viewer: ss58(&viewer),
    };
    let song = note(Some(7), Some(sealed(64)), 1);
    let words = note(None, Some(sealed(256)), 2);
    let cheap_song = note(Some(7), None, 3);
    let late = note(None, Some(sealed(1024)), 4);
    let with_memo = |id, gross, memo: &TipNote| {
        let mut tip =
            livestars_indexer::fixtures::tipped(id, viewer, performer, Some(LIVE), gross, now);
        tip.memo = Some(memo.commitment());
        LiveEvent::Tipped(tip)
    };
    api.index(
        vec![live_block(
            3,
            vec![
                with_memo(1, 25 * UNIT, &song),
                with_memo(2, 10 * UNIT, &words),
                with_memo(3, 5 * UNIT, &cheap_song),
            ],
        )],
        3,
    )
    .await;
    let (_, answer, _) = api.get(&room_uri).await;
    assert_eq!(answer["goal"]["raised"], (40 * UNIT).to_string());
    assert_eq!(answer["goal"]["reached"], true);

    // A goal counts until its deadline: one that ended before these tips raised 0.
    let mut lapsed = menu_room.clone();
    lapsed.goal = Some(Goal {
        amount: UNIT.to_string(),
        deadline_ms: Some(now - 500),
        label: "Yesterday".into(),
        since_ms: now - 1_000,
    });
    let (status, answer) = api
        .send_json("PUT", &room_uri, &set_room(&alice, &lapsed, now + 1))
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        (&answer["goal"]["raised"], &answer["goal"]["lapsed"]),
        (&Value::from("0"), &Value::Bool(true))
    );
    let (status, _) = api
        .send_json("PUT", &room_uri, &set_room(&alice, &menu_room, now + 2))
        .await;
    assert_eq!(status, StatusCode::OK);

    let notes_uri = format!("/v1/performers/{shown}/notes");
    let attach = |block: u32, note: &TipNote| serde_json::json!({ "block": block, "note": note });
    let mut other_viewer = song.clone();
    other_viewer.viewer = ss58(&bob.public_key().0);
    let mut odd_size = words.clone();
    odd_size.message = Some(sealed(100));
    let mut unknown_item = song.clone();
    unknown_item.item = Some(8);
    for (request, expected) in [
        (attach(2, &song), StatusCode::NOT_FOUND),
        (attach(3, &other_viewer), StatusCode::NOT_FOUND),
        (attach(3, &unknown_item), StatusCode::NOT_FOUND),
        (attach(3, &odd_size), StatusCode::BAD_REQUEST),
        (attach(3, &cheap_song), StatusCode::CONFLICT),
    ] {
        let (status, answer) = api.send_json("POST", &notes_uri, &request).await;
        assert_eq!(status, expected, "{request}: {answer}");
        error_message(&notes_uri, &answer);
    }
    let (status, answer) = api.send_json("POST", &notes_uri, &attach(3, &song)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(answer["item_label"], "Song request");
    let (status, _) = api.send_json("POST", &notes_uri, &attach(3, &song)).await;
    assert_eq!(status, StatusCode::CONFLICT, "a second note for one tip");
    let (status, _) = api.send_json("POST", &notes_uri, &attach(3, &words)).await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, page, _) = api.get(&format!("{notes_uri}?limit=1")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page["items"][0]["message"], words.message.clone().unwrap());
    assert_eq!(page["items"][0]["item"], Value::Null);
    let cursor = page["next_cursor"].as_str().expect("a second page");
    let (_, page, _) = api.get(&format!("{notes_uri}?cursor={cursor}")).await;
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["item"], 7);
    assert_eq!(page["items"][0]["tip"]["gross"], (25 * UNIT).to_string());

    // A viewer the performer blocks on-chain gets no note through and is not listed;
    // unblocked, their notes show again.
    let block = |number, blocked| {
        live_block(
            number,
            vec![LiveEvent::ViewerBlockChanged(
                livestars_indexer::decode::ViewerBlockChanged {
                    performer,
                    viewer,
                    blocked,
                },
            )],
        )
    };
    api.index(
        vec![
            live_block(4, vec![with_memo(4, 10 * UNIT, &late)]),
            block(5, true),
        ],
        5,
    )
    .await;
    let blocked_uri = format!("/v1/performers/{shown}/blocked");
    assert_eq!(
        api.get(&blocked_uri).await.1,
        serde_json::json!([ss58(&viewer)])
    );
    let (status, answer) = api.send_json("POST", &notes_uri, &attach(4, &late)).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{answer}");
    assert_eq!(
        api.get(&notes_uri).await.1["items"],
        Value::Array(Vec::new())
    );
    api.index(vec![block(6, false)], 6).await;
    assert_eq!(api.get(&blocked_uri).await.1, serde_json::json!([]));
    let (status, _) = api.send_json("POST", &notes_uri, &attach(4, &late)).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(
        api.get(&notes_uri).await.1["items"]
            .as_array()
            .unwrap()
            .len(),
        3
    );

    // Overlay links: a new one replaces the old; a revoked one shows nothing.
    let overlay_uri = format!("/v1/performers/{shown}/overlay");
    let change = |key: &Keypair, action, signed_at: u64| {
        let text = room::overlay_statement(action, &GENESIS, &key.public_key().0, signed_at);
        serde_json::json!({ "signed_at": signed_at, "signature": wallet_signature(key, &text) })
    };
    let (status, first_link) = api
        .send_json(
            "PUT",
            &overlay_uri,
            &change(&alice, OverlayAction::Renew, now),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{first_link}");
    let owner = |token: &str| format!("/v1/overlay/{token}");
    let first_token = first_link["token"].as_str().unwrap().to_owned();
    let (status, answer, _) = api.get(&owner(&first_token)).await;
    assert_eq!(
        (status, &answer["performer"]),
        (StatusCode::OK, &Value::from(shown.clone()))
    );
    for (request, expected) in [
        (
            change(&alice, OverlayAction::Renew, now),
            StatusCode::CONFLICT,
        ),
        (
            change(&bob, OverlayAction::Renew, now + 1),
            StatusCode::FORBIDDEN,
        ),
        // A revocation's signature does not make a link, nor the reverse.
        (
            {
                let mut swapped = change(&alice, OverlayAction::Revoke, now + 1);
                swapped["signed_at"] = (now + 1).into();
                swapped
            },
            StatusCode::FORBIDDEN,
        ),
    ] {
        let (status, answer) = api.send_json("PUT", &overlay_uri, &request).await;
        assert_eq!(status, expected, "{request}: {answer}");
    }
    let (status, second_link) = api
        .send_json(
            "PUT",
            &overlay_uri,
            &change(&alice, OverlayAction::Renew, now + 2),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let second_token = second_link["token"].as_str().unwrap().to_owned();
    assert_ne!(first_token, second_token);
    assert_eq!(api.get(&owner(&first_token)).await.0, StatusCode::NOT_FOUND);
    assert_eq!(api.get(&owner(&second_token)).await.0, StatusCode::OK);
    for malformed in ["zz", "00", &"0".repeat(64)] {
        let (status, body, _) = api.get(&owner(malformed)).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{malformed}");
        error_message(malformed, &body);
    }
    let (status, _) = api
        .send_json(
            "DELETE",
            &overlay_uri,
            &change(&alice, OverlayAction::Revoke, now + 3),
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(
        api.get(&owner(&second_token)).await.0,
        StatusCode::NOT_FOUND
    );
    let (status, third_link) = api
        .send_json(
            "PUT",
            &overlay_uri,
            &change(&alice, OverlayAction::Renew, now + 4),
        )
        .await;
    assert_eq!(status, StatusCode::OK);

    // Erasure takes the room, the notes and the link.
    api.index(
        vec![live_block(
            7,
            vec![LiveEvent::PerformerErased(PerformerErased { performer })],
        )],
        7,
    )
    .await;
    assert_eq!(api.get(&room_uri).await.0, StatusCode::NOT_FOUND);
    let (_, page, _) = api.get(&notes_uri).await;
    assert_eq!(page["items"], Value::Array(Vec::new()));
    let third = third_link["token"].as_str().unwrap();
    assert_eq!(api.get(&owner(third)).await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_goal_is_announced_once_by_the_tip_that_reaches_it() {
    use livestars_indexer::room::{Goal, Room};
    let api = api(Limits::default()).await;
    let address = listen(&api).await;
    let mut goals = Feed::open(address, "/v1/goals/stream").await;
    let [performer, other] = [PERFORMERS[0], PERFORMERS[1]];
    let [viewer, _] = VIEWERS;
    api.index(
        vec![live_block(
            1,
            vec![
                registration(performer, [1; 32]),
                registration(other, [1; 32]),
            ],
        )],
        1,
    )
    .await;
    let now = read_model::now_ms();
    let room = |amount: u128, label: &str, since_ms| Room {
        goal: Some(Goal {
            amount: amount.to_string(),
            deadline_ms: None,
            label: label.into(),
            since_ms,
        }),
        menu: Vec::new(),
    };
    let store = &api.state.store;
    assert!(store
        .put_room(&performer, &room(30 * UNIT, "Dance", now), now)
        .await
        .unwrap());
    assert!(store
        .put_room(&other, &room(UNIT, "Other", now), now)
        .await
        .unwrap());
    let tip = |id, to, gross, at| tip(id, viewer, to, Some(LIVE), gross, at);
    // Before the goal's start, and native, nothing counts; 20 of 30 does not reach it.
    api.index(
        vec![live_block(
            2,
            vec![
                tip(1, performer, 100 * UNIT, now - 1),
                tip(2, performer, 20 * UNIT, now),
                livestars_indexer::fixtures::tip(3, viewer, performer, None, 50 * UNIT, now),
            ],
        )],
        2,
    )
    .await;
    // 15 more reaches it, in the middle of block 3; 10 after it announces nothing new.
    api.index(
        vec![live_block(
            3,
            vec![
                tip(4, other, UNIT, now),
                tip(5, performer, 15 * UNIT, now),
                tip(6, performer, 10 * UNIT, now),
            ],
        )],
        3,
    )
    .await;
    api.index(
        vec![live_block(4, vec![tip(7, performer, 10 * UNIT, now)])],
        4,
    )
    .await;
    let received = goals.wait_for("goal", 2).await;
    let by_performer: Vec<_> = received
        .iter()
        .map(|(id, goal)| (id.clone(), goal["label"].clone(), goal["raised"].clone()))
        .collect();
    assert_eq!(
        by_performer,
        [
            (
                format!("{}-{now}", ss58(&other)),
                "Other".into(),
                UNIT.to_string().into()
            ),
            (
                format!("{}-{now}", ss58(&performer)),
                "Dance".into(),
                (45 * UNIT).to_string().into()
            ),
        ],
        "{}",
        goals.text
    );
    assert_eq!(received[1].1["tip"], "3-1", "the tip that reached it");
    // A new goal counts from its own start, and is announced when reached.
    let later = now + 10;
    assert!(store
        .put_room(&performer, &room(50 * UNIT, "Encore", later), later)
        .await
        .unwrap());
    api.index(
        vec![live_block(
            5,
            vec![
                tip(8, performer, 40 * UNIT, later),
                tip(9, performer, 10 * UNIT, later),
            ],
        )],
        5,
    )
    .await;
    let received = goals.wait_for("goal", 3).await;
    assert_eq!(received[2].1["label"], "Encore");
    assert_eq!(received[2].1["raised"], (50 * UNIT).to_string());
    assert_eq!(received[2].1["tip"], "5-1");
}
