//! The API assembled once, for the binary and the in-process tests alike: the shared
//! state over a store, the tasks that keep it current (the read model, the live
//! feeds' publisher, the node's health, the indexing or what follows it), and the
//! router over them. The signaling relay's rooms live in the state.
//!
//! [`App`] owns the tasks: dropping it stops them.

use crate::feed::{self, Feeds, Publisher};
use crate::node::{self, NodeHealth};
use crate::read_model;
use crate::relayer::Relayer;
use crate::routes::router;
use crate::serve::Limits;
use crate::state::AppState;
use anyhow::Context;
use axum::Router;
use livestars_desk::rotation::{Rotation, Rotator};
use livestars_desk::Desk;
use livestars_indexer::config::Deployment;
use livestars_indexer::store::Store;
use livestars_indexer::{FollowOptions, Progress};
use std::path::PathBuf;
use std::sync::Arc;
use tokio::sync::{watch, Notify};
use tokio::task::{AbortHandle, JoinHandle};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// How long the desk waits for a session's blinded challenge before it serves
/// the key's next session: a browser answers in milliseconds.
const DESK_SESSION_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Who indexes the store the API serves.
#[derive(Debug, Clone)]
pub enum Indexing {
    /// This process follows the chain into the store (the binary's default).
    Embedded(FollowOptions),
    /// Another process (`livestars-indexer`) indexes into the same database: its
    /// progress is read from the checkpoint (`--no-indexer`).
    External,
    /// The caller commits blocks itself and reports each commit on
    /// [`App::progress`] (the in-process tests).
    Manual,
}

/// How to assemble the API.
#[derive(Debug, Clone)]
pub struct Options {
    pub limits: Limits,
    /// The built web client, served at `/`.
    pub web_dir: PathBuf,
    /// The node URL web clients sign through, when it differs from the deployment's.
    pub public_node_url: Option<String>,
    /// Origins allowed to call the API from a browser (`*`: any); none when empty.
    pub cors_origins: Vec<String>,
    pub indexing: Indexing,
    /// Whether to check the node's health every second ([`node::watch`]); if not,
    /// it stays as set on [`App::node`] (tests without a node).
    pub watch_node: bool,
    /// The voucher desk's directory (its keys and ledger), if this API runs one.
    pub desk_dir: Option<PathBuf>,
    /// Whether and how the desk rotates its keys itself (needs `desk_dir`).
    pub desk_rotation: Option<Rotation>,
    /// The secret URI of the account that relays voucher redemptions, if any.
    pub relayer_suri: Option<String>,
}

impl Options {
    /// The defaults of the binary but for `indexing`: default limits, the web client
    /// in `web/dist`, no CORS origin, the node watched.
    pub fn new(indexing: Indexing) -> Self {
        Self {
            limits: Limits::default(),
            web_dir: PathBuf::from("web/dist"),
            public_node_url: None,
            cors_origins: Vec::new(),
            indexing,
            watch_node: true,
            desk_dir: None,
            desk_rotation: None,
            relayer_suri: None,
        }
    }
}

/// The running API: its state, its router, and the tasks behind them (aborted on
/// drop).
pub struct App {
    state: AppState,
    router: Router,
    /// Where a [`Indexing::Manual`] caller reports its commits.
    progress: Option<watch::Sender<Progress>>,
    /// The node's health, when it is not watched.
    node: Option<watch::Sender<NodeHealth>>,
    /// The embedded indexer, or what follows the external one's checkpoint.
    indexing: Option<JoinHandle<anyhow::Result<()>>>,
    /// The read model, the feed publisher and the node watch.
    tasks: Vec<AbortHandle>,
}

impl App {
    /// Assembles the API over `store` for `deployment` and starts its tasks. Fails
    /// only on a malformed CORS origin, relayer or desk URI, or a desk directory it
    /// cannot open.
    pub async fn start(
        store: Store,
        deployment: Deployment,
        options: Options,
    ) -> anyhow::Result<Self> {
        let cors = cors(&options.cors_origins)?;
        let mut tasks = Vec::new();
        let (progress_tx, progress) = watch::channel(Progress::default());
        let (node_tx, node_health) = watch::channel(NodeHealth::default());
        let node = if options.watch_node {
            let watch = node::watch(deployment.node_url.clone(), node_tx);
            tasks.push(tokio::spawn(watch).abort_handle());
            None
        } else {
            Some(node_tx)
        };
        let (views_tx, views) = watch::channel(None);
        let refresh = Arc::new(Notify::new());
        let read_model = read_model::run(
            store.clone(),
            deployment.live_token,
            progress.clone(),
            views_tx,
            refresh.clone(),
        );
        tasks.push(tokio::spawn(read_model).abort_handle());
        let mut state = AppState::new(store.clone(), deployment.clone(), progress.clone())
            .with_limits(options.limits)
            .with_node(node_health)
            .with_views(views, refresh);
        if let Some(url) = options.public_node_url {
            state.public_node_url = url;
        }
        if let Some(dir) = &options.desk_dir {
            let desk = Desk::open(dir, store.clone(), DESK_SESSION_TIMEOUT)
                .await
                .with_context(|| format!("opening the voucher desk in {}", dir.display()))?;
            let desk = match &options.desk_rotation {
                Some(rotation) => {
                    let account = rotation.account().context("--desk-suri")?;
                    let desk = Arc::new(desk.registered_by(account));
                    let rotator = Rotator::new(
                        desk.clone(),
                        &deployment.node_url,
                        deployment.live_token,
                        rotation,
                    )
                    .context("--desk-suri")?;
                    tasks.push(tokio::spawn(rotator.run()).abort_handle());
                    desk
                }
                None => Arc::new(desk),
            };
            state.desk = Some(desk);
        } else if options.desk_rotation.is_some() {
            anyhow::bail!("--desk-suri rotates a desk's keys: it needs --desk-dir");
        }
        if let Some(suri) = &options.relayer_suri {
            let relayer = Relayer::new(&deployment.node_url, suri, deployment.live_token)
                .context("--relayer-suri")?;
            state.relayer = Some(Arc::new(relayer));
        }
        // Logged under the targets these lines always had (the binary, the feed).
        if !options.web_dir.join("index.html").is_file() {
            tracing::warn!(
                target: "livestars_api",
                "no web client at {} (build it with `npm run build` in web/); serving the API only",
                options.web_dir.display()
            );
        }
        // Positioned before anything more is indexed, so every later tip is news.
        match Publisher::start(store.clone()).await {
            Ok(publisher) => {
                let feeds = Feeds {
                    tips: state.feed.clone(),
                    shows: state.show_feed.clone(),
                    goals: state.goal_feed.clone(),
                };
                let run = publisher.run(progress, feeds);
                tasks.push(tokio::spawn(run).abort_handle());
            }
            Err(e) => tracing::error!(target: "livestars_api::feed", "live feed disabled: {e}"),
        }
        let (progress, indexing) = match options.indexing {
            Indexing::Embedded(follow) => {
                let follow = livestars_indexer::follow(store, deployment, follow, progress_tx);
                let follow = async move { match follow.await {} };
                (None, Some(tokio::spawn(follow)))
            }
            Indexing::External => {
                let poll = async move {
                    feed::poll_progress(store, progress_tx).await;
                    Ok(())
                };
                (None, Some(tokio::spawn(poll)))
            }
            Indexing::Manual => (Some(progress_tx), None),
        };

        let mut router = router(state.clone(), &options.web_dir);
        if let Some(cors) = cors {
            router = router.layer(cors);
        }
        Ok(Self {
            state,
            router,
            progress,
            node,
            indexing,
            tasks,
        })
    }

    /// The routes, to serve ([`crate::serve`]) or to call in-process.
    pub fn router(&self) -> Router {
        self.router.clone()
    }

    /// The state every handler shares.
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Where an [`Indexing::Manual`] caller reports each commit (`None` otherwise).
    pub fn progress(&self) -> Option<&watch::Sender<Progress>> {
        self.progress.as_ref()
    }

    /// The node's health, to set by hand when it is not watched (`None` when it is).
    pub fn node(&self) -> Option<&watch::Sender<NodeHealth>> {
        self.node.as_ref()
    }

    /// Waits until the indexing task ends, which only a panic does: the embedded
    /// indexer retries every error, and so does the checkpoint follower under
    /// `External`. Never returns under `Manual`.
    pub async fn indexing_stopped(&mut self) -> anyhow::Result<()> {
        let Some(indexing) = self.indexing.as_mut() else {
            return std::future::pending().await;
        };
        let result = indexing.await;
        self.indexing = None;
        result?
    }
}

impl Drop for App {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        if let Some(indexing) = &self.indexing {
            indexing.abort();
        }
    }
}

/// The CORS layer allowing `origins` (`*`: any), or none when there is none.
fn cors(origins: &[String]) -> anyhow::Result<Option<CorsLayer>> {
    if origins.is_empty() {
        return Ok(None);
    }
    let origins = if origins.iter().any(|o| o == "*") {
        AllowOrigin::any()
    } else {
        AllowOrigin::list(
            origins
                .iter()
                .map(|o| o.parse())
                .collect::<Result<Vec<_>, _>>()
                .context("--cors-origin")?,
        )
    };
    Ok(Some(CorsLayer::new().allow_origin(origins).allow_headers(
        [
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderName::from_static("last-event-id"),
        ],
    )))
}
