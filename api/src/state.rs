//! What every handler shares.

use crate::cache::PerBlock;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::node::NodeHealth;
use crate::read_model::{View, Views};
use crate::routes::audit::Audit;
use crate::routes::tips::TipView;
use crate::serve::Limits;
use livestars_indexer::config::Deployment;
use livestars_indexer::decode::AccountId;
use livestars_indexer::source::ChainSource;
use livestars_indexer::store::Store;
use livestars_indexer::Progress;
use std::sync::Arc;
use tokio::sync::{broadcast, watch, Mutex, Semaphore};

/// Audits kept for the current block (one per performer asked about).
const AUDITS_CACHED: usize = 10_000;

/// Shared handler state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub deployment: Deployment,
    /// The node URL browsers sign through (`--public-node-url`, else the indexer's).
    pub public_node_url: String,
    /// Indexing progress, from the embedded indexer or polled from the database.
    pub progress: watch::Receiver<Progress>,
    /// Whether the node answers, and its finalized head ([`crate::node::watch`]).
    pub node: watch::Receiver<NodeHealth>,
    /// New tips, in chain order, as soon as their block is committed.
    pub feed: broadcast::Sender<Arc<TipView>>,
    /// A node connection for audits, opened on first use and reopened after errors.
    pub chain: Arc<Mutex<Option<ChainSource>>>,
    /// Audits of the last indexed block, by performer.
    pub audits: Arc<PerBlock<AccountId, Audit>>,
    pub limits: Limits,
    /// One permit per live-feed stream that may open ([`Limits::max_streams`]).
    pub streams: Arc<Semaphore>,
    pub metrics: Arc<Metrics>,
    /// The read model's current view ([`crate::read_model::run`] keeps it).
    pub views: Views,
}

impl AppState {
    /// State over `store`, fed by `progress`, with the default [`Limits`] and a node
    /// not checked yet (see [`AppState::with_node`]).
    pub fn new(store: Store, deployment: Deployment, progress: watch::Receiver<Progress>) -> Self {
        let limits = Limits::default();
        Self {
            store,
            public_node_url: deployment.node_url.clone(),
            deployment,
            progress,
            node: watch::channel(NodeHealth::Unknown).1,
            feed: broadcast::channel(1024).0,
            chain: Arc::new(Mutex::new(None)),
            audits: Arc::new(PerBlock::new(AUDITS_CACHED)),
            streams: Arc::new(Semaphore::new(limits.max_streams as usize)),
            limits,
            metrics: Arc::new(Metrics::default()),
            views: watch::channel(None).1,
        }
    }

    /// With `limits` instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.streams = Arc::new(Semaphore::new(limits.max_streams as usize));
        self.limits = limits;
        self
    }

    /// Serving the read model's views from `views`.
    pub fn with_views(mut self, views: Views) -> Self {
        self.views = views;
        self
    }

    /// The read model's current view; 503 until its first one is built.
    pub fn view(&self) -> Result<Arc<View>, ApiError> {
        self.views
            .borrow()
            .clone()
            .ok_or_else(|| ApiError::Unavailable("the read model is loading; retry shortly".into()))
    }

    /// With the node's health from `node` (e.g. [`crate::node::watch`]'s channel).
    pub fn with_node(mut self, node: watch::Receiver<NodeHealth>) -> Self {
        self.node = node;
        self
    }
}
