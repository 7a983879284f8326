//! The read model: every performer's registry entry, totals, LIVE tips per window and
//! score held in memory, ranked once per indexed block, so that a request costs the
//! page it returns whatever the number of performers, viewers or tips.
//!
//! One task ([`run`]) owns the updates. At each new checkpoint it opens one database
//! snapshot, reloads only the performers the new blocks named, re-ranks, and
//! publishes a new immutable [`View`]; handlers clone the current `Arc<View>`.
//! Several API replicas over one PostgreSQL each follow the same checkpoints, and
//! every view says the block it shows. Ratings fade with time and windows slide by
//! the hour, so the view is also rebuilt every [`REFRESH_EVERY`] and at each hour.
//! Profiles change off-chain: each refresh compares the stored profiles' commitments
//! with the view's and reloads the performers whose differ; a replica that stored or
//! deleted one wakes [`run`] at once (its `wake` [`Notify`]).

mod search;
mod view;

pub use search::Search;
pub use view::{
    first_hour, By, Order, Performer, View, Window, WindowTips, ABSENT, HOUR_MS, KEPT_HOURS,
};

use livestars_indexer::decode::AccountId;
use livestars_indexer::store::read::OffChainStamp;
use livestars_indexer::store::{Store, StoreError};
use livestars_indexer::Progress;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{watch, Notify};

/// Longest time between two views without a new block: how stale a rating may get
/// on a quiet chain.
pub const REFRESH_EVERY: Duration = Duration::from_secs(10);

/// The current view, shared by every handler.
pub type Views = watch::Receiver<Option<Arc<View>>>;

/// Keeps `views` at the latest checkpoint of `store` (following `progress`) until the
/// receivers are gone. A failed refresh is logged with its cause and retried; the
/// previous view stays in service meanwhile.
pub async fn run(
    store: Store,
    live_token: AccountId,
    mut progress: watch::Receiver<Progress>,
    views: watch::Sender<Option<Arc<View>>>,
    wake: Arc<Notify>,
) {
    loop {
        let previous = views.borrow().clone();
        match refresh(&store, &live_token, previous.as_deref(), now_ms()).await {
            Ok(view) => {
                if views.send(Some(Arc::new(view))).is_err() {
                    return;
                }
            }
            Err(e) => {
                tracing::warn!("read model: {e}; retrying in 1 s");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        }
        let until_next_hour = HOUR_MS - now_ms() % HOUR_MS;
        let wait = REFRESH_EVERY.min(Duration::from_millis(until_next_hour));
        tokio::select! {
            changed = progress.changed() => if changed.is_err() {
                // The indexer is gone: nothing will change but the clock.
                tokio::time::sleep(wait).await;
            },
            () = tokio::time::sleep(wait) => {}
            () = wake.notified() => {}
        }
    }
}

/// The view at the store's checkpoint and instant `at` (ms), reusing from `previous`
/// every performer the blocks since did not name.
pub async fn refresh(
    store: &Store,
    live_token: &AccountId,
    previous: Option<&View>,
    at: u64,
) -> Result<View, StoreError> {
    let hour = at / HOUR_MS;
    let first_kept = first_hour(hour, KEPT_HOURS);
    let mut reader = store.reader().await?;
    let checkpoint = reader
        .checkpoint()
        .await?
        .map(|c| (c.block_number, c.block_hash));
    let block = checkpoint.map(|(number, _)| number);
    let schedule = reader.schedule().await?;
    let listings = reader.verifier_listings().await?;
    let fresh = |states: BTreeMap<AccountId, _>| {
        states
            .into_iter()
            .map(|(account, state)| {
                let performer = Performer::new(account, state, live_token, hour);
                (account, Arc::new(performer))
            })
            .collect::<BTreeMap<_, _>>()
    };
    let performers = match previous.and_then(|p| Some((p, p.block()?, block?))) {
        Some((previous, seen, now)) if seen <= now => {
            let mut performers = previous.performers.clone();
            let mut touched = if seen < now {
                reader.touched_performers(seen, now).await?
            } else {
                Vec::new()
            };
            let stored = reader.off_chain_stamps().await?;
            let held = |p: &Performer| OffChainStamp {
                profile: p.state.profile.as_ref().map(|p| p.commitment),
                presence: p.state.presence.map(|p| p.signed_at_ms),
            };
            touched.extend(
                performers
                    .values()
                    .filter(|p| held(p) != stored.get(&p.account).copied().unwrap_or_default())
                    .map(|p| p.account)
                    .chain(
                        stored
                            .keys()
                            .filter(|account| !performers.contains_key(*account))
                            .copied(),
                    ),
            );
            touched.sort_unstable();
            touched.dedup();
            if !touched.is_empty() {
                let mut states = reader
                    .performers(live_token, first_kept, Some(&touched))
                    .await?;
                for account in touched {
                    match states.remove(&account) {
                        Some(state) => performers.insert(
                            account,
                            Arc::new(Performer::new(account, state, live_token, hour)),
                        ),
                        None => performers.remove(&account),
                    };
                }
            }
            if previous.hour != hour {
                // The windows slid: recount every performer's from its buckets.
                for performer in performers.values_mut() {
                    let state = performer.state.clone();
                    *performer =
                        Arc::new(Performer::new(performer.account, state, live_token, hour));
                }
            }
            performers
        }
        _ => fresh(reader.performers(live_token, first_kept, None).await?),
    };
    Ok(View::new(checkpoint, at, schedule, &listings, performers))
}

/// Ratings fade with time, so "current" is wall-clock.
pub use livestars_indexer::now_ms;
