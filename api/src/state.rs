//! What every handler shares.

use crate::metrics::Metrics;
use crate::routes::tips::TipView;
use livestars_indexer::config::Deployment;
use livestars_indexer::source::ChainSource;
use livestars_indexer::store::Store;
use livestars_indexer::Progress;
use std::sync::Arc;
use tokio::sync::{broadcast, watch, Mutex};

/// Shared handler state; cheap to clone.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub deployment: Deployment,
    /// The node URL browsers sign through (`--public-node-url`, else the indexer's).
    pub public_node_url: String,
    /// Indexing progress, from the embedded indexer or polled from the database.
    pub progress: watch::Receiver<Progress>,
    /// New tips, in chain order, as soon as their block is committed.
    pub feed: broadcast::Sender<Arc<TipView>>,
    /// A node connection for audits, opened on first use and reopened after errors.
    pub chain: Arc<Mutex<Option<ChainSource>>>,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    /// State over `store`, fed by `progress`.
    pub fn new(store: Store, deployment: Deployment, progress: watch::Receiver<Progress>) -> Self {
        Self {
            store,
            public_node_url: deployment.node_url.clone(),
            deployment,
            progress,
            feed: broadcast::channel(1024).0,
            chain: Arc::new(Mutex::new(None)),
            metrics: Arc::new(Metrics::default()),
        }
    }
}
