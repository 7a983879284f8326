//! What every handler shares.

use crate::admission::{Admission, Full, Place};
use crate::cache::PerBlock;
use crate::error::ApiError;
use crate::metrics::Metrics;
use crate::node::NodeHealth;
use crate::read_model::{View, Views};
use crate::relay::Rooms;
use crate::serve::Limits;
use crate::views::{Audit, GoalReachedView, ShowEventView, TipView};
use axum::body::Bytes;
use livestars_indexer::config::Deployment;
use livestars_indexer::decode::AccountId;
use livestars_indexer::source::ChainSource;
use livestars_indexer::store::read::PerformerState;
use livestars_indexer::store::{Store, TipFilter};
use livestars_indexer::Progress;
use std::net::IpAddr;
use std::sync::Arc;
use tokio::sync::{broadcast, watch, Mutex, Notify, OnceCell};

/// Audits kept for the current block (one per performer asked about).
const AUDITS_CACHED: usize = 10_000;
/// Tip pages kept for the current block (about 25 kB each at the default limit).
const TIP_PAGES_CACHED: usize = 2_000;

/// A tip page: which list, before which position, how many.
pub type TipPageKey = (TipFilter, (u32, u32), u32);

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
    pub show_feed: broadcast::Sender<Arc<ShowEventView>>,
    /// Goals reached, as soon as the block of the tip that reached them is committed.
    pub goal_feed: broadcast::Sender<Arc<GoalReachedView>>,
    /// The signaling relay's connected parties, per show.
    pub signal_rooms: Rooms,
    /// A node connection for audits, opened on first use and reopened after errors.
    pub chain: Arc<Mutex<Option<ChainSource>>>,
    /// The chain's genesis hash, once asked ([`AppState::genesis`]).
    pub genesis: Arc<OnceCell<[u8; 32]>>,
    /// Audits of the last indexed block, by performer.
    pub audits: Arc<PerBlock<AccountId, Audit>>,
    /// Serialized tip pages of the read model's block.
    pub tip_pages: Arc<PerBlock<TipPageKey, Bytes>>,
    pub limits: Limits,
    /// Places for live feeds and authenticated relays ([`Limits::max_streams`],
    /// [`Limits::max_streams_per_address`]).
    pub streams: Admission,
    /// Places for relays waiting for their challenge's signature.
    pub unauthenticated: Admission,
    pub metrics: Arc<Metrics>,
    /// The read model's current view ([`crate::read_model::run`] keeps it).
    pub views: Views,
    /// Wakes the read model for a new view (a profile changed here).
    pub refresh: Arc<Notify>,
    /// The voucher desk, when this API runs one (`--desk-dir`).
    pub desk: Option<Arc<livestars_desk::Desk>>,
    /// The relayer of voucher redemptions, when this API runs one (`--relayer-suri`).
    pub relayer: Option<Arc<crate::relayer::Relayer>>,
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
            show_feed: broadcast::channel(1024).0,
            goal_feed: broadcast::channel(256).0,
            signal_rooms: Default::default(),
            chain: Arc::new(Mutex::new(None)),
            genesis: Arc::new(OnceCell::new()),
            audits: Arc::new(PerBlock::new(AUDITS_CACHED)),
            tip_pages: Arc::new(PerBlock::new(TIP_PAGES_CACHED)),
            streams: limits.streams(),
            unauthenticated: limits.unauthenticated(),
            limits,
            metrics: Arc::new(Metrics::default()),
            views: watch::channel(None).1,
            refresh: Arc::new(Notify::new()),
            desk: None,
            relayer: None,
        }
    }

    /// With `limits` instead of the defaults.
    pub fn with_limits(mut self, limits: Limits) -> Self {
        self.streams = limits.streams();
        self.unauthenticated = limits.unauthenticated();
        self.limits = limits;
        self
    }

    /// Serving the read model's views from `views`; `refresh` asks it for a new one.
    pub fn with_views(mut self, views: Views, refresh: Arc<Notify>) -> Self {
        self.views = views;
        self.refresh = refresh;
        self
    }

    /// A place among the `--max-streams` long-lived connections (live feeds and
    /// authenticated signaling relays) for a client at `address`, held for as long
    /// as the connection lives; a JSON 503 with `Retry-After` when all are taken or
    /// the address holds `--max-streams-per-address` already.
    pub fn stream_place(&self, address: Option<IpAddr>) -> Result<Place, ApiError> {
        self.streams.admit(address).map_err(|full| {
            ApiError::Busy(match full {
                Full::Pool => format!(
                    "too many live-feed streams: all {} are open; retry later",
                    self.limits.max_streams
                ),
                Full::Address => format!(
                    "this address has {} live-feed streams open already; close one first",
                    self.limits.max_streams_per_address
                ),
            })
        })
    }

    /// A place for a signaling relay until its party authenticates; a JSON 503 when
    /// none is left for `address`.
    pub fn unauthenticated_place(&self, address: Option<IpAddr>) -> Result<Place, ApiError> {
        self.unauthenticated.admit(address).map_err(|_| {
            ApiError::Busy(
                "too many signaling connections waiting to authenticate; retry later".into(),
            )
        })
    }

    /// Asks the read model for a new view now and waits, at most `within`, until its
    /// `performer` satisfies `shown` (`None`: not in the view), so that a client that
    /// changed something off-chain (a profile, a presence) finds every route agree;
    /// whether it did.
    pub async fn await_performer(
        &self,
        performer: &AccountId,
        within: std::time::Duration,
        shown: impl Fn(Option<&PerformerState>) -> bool,
    ) -> bool {
        self.refresh.notify_one();
        let mut views = self.views.clone();
        let waited = tokio::time::timeout(
            within,
            views.wait_for(|view| {
                view.as_ref()
                    .is_some_and(|view| shown(view.performers.get(performer).map(|p| &p.state)))
            }),
        )
        .await;
        matches!(waited, Ok(Ok(_)))
    }

    /// [`AppState::await_performer`] until the profile's commitment is `commitment`.
    pub async fn await_profile(
        &self,
        performer: &AccountId,
        commitment: Option<[u8; 32]>,
        within: std::time::Duration,
    ) -> bool {
        self.await_performer(performer, within, |state| {
            state.and_then(|s| s.profile.as_ref()).map(|p| p.commitment) == commitment
        })
        .await
    }

    /// The node connection for audits and signatures, opened on first use (and
    /// again after an error cleared it).
    pub async fn chain(&self) -> Result<ChainSource, ApiError> {
        let mut slot = self.chain.lock().await;
        if let Some(chain) = slot.as_ref() {
            return Ok(chain.clone());
        }
        let chain = ChainSource::connect(&self.deployment.node_url, self.deployment.live_token)
            .await
            .map_err(|e| ApiError::Unavailable(format!("chain: {e}")))?;
        *slot = Some(chain.clone());
        Ok(chain)
    }

    /// The chain's genesis hash (asked once), which signed statements name.
    pub async fn genesis(&self) -> Result<[u8; 32], ApiError> {
        self.genesis
            .get_or_try_init(|| async {
                let hash = self.chain().await?.block_hash(0).await;
                hash.map_err(|e| ApiError::Unavailable(format!("chain: the genesis hash: {e}")))
            })
            .await
            .copied()
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
