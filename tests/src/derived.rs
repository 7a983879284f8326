//! The indexer's derived tables checked against the raw events they come from: the
//! indexer folds each commit batch in memory, so a wrong fold (a row written twice,
//! or not at all) shows here, whatever the batch sizes were.

use anyhow::{anyhow, Result};
use livestars_indexer::decode::{self, LiveEvent};
use livestars_indexer::rating::{self, Replay};
use livestars_indexer::store::{amount_text, Contracts, Store, NATIVE};
use std::collections::{BTreeMap, BTreeSet};

/// The derived tables as sorted rows of space-separated text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DerivedTables {
    pub performer_totals: Vec<String>,
    pub viewer_totals: Vec<String>,
    pub supporters: Vec<String>,
    pub performer_hourly: Vec<String>,
    pub rating_scores: Vec<String>,
}

impl DerivedTables {
    /// The derived tables as `store` holds them.
    pub async fn read(store: &Store) -> Result<Self> {
        let rows = |sql: &'static str| async move {
            let mut rows: Vec<String> = sqlx::query_scalar(sql).fetch_all(store.pool()).await?;
            rows.sort();
            Ok::<_, anyhow::Error>(rows)
        };
        Ok(Self {
            performer_totals: rows(
                "SELECT account || ' ' || token || ' ' || tip_count || ' ' || gross || ' ' || \
                 net || ' ' || supporters || ' ' || last_tip_ms FROM performer_totals",
            )
            .await?,
            viewer_totals: rows(
                "SELECT account || ' ' || token || ' ' || tip_count || ' ' || gross \
                 FROM viewer_totals",
            )
            .await?,
            supporters: rows(
                "SELECT performer || ' ' || viewer || ' ' || token || ' ' || gross FROM supporters",
            )
            .await?,
            performer_hourly: rows(
                "SELECT performer || ' ' || token || ' ' || hour || ' ' || tip_count || ' ' || \
                 gross FROM performer_hourly",
            )
            .await?,
            rating_scores: rows(
                "SELECT performer || ' ' || score_id || ' ' || support || ' ' || \
                 support_updated_ms || ' ' || star_count || ' ' || star_sum FROM rating_scores",
            )
            .await?,
        })
    }

    /// What the derived tables must hold given the raw events `store` holds: totals,
    /// supporters and hourly buckets summed from the `Tipped` events, scores replayed
    /// from the rating events one performer at a time.
    pub async fn recompute(store: &Store, contracts: &Contracts) -> Result<Self> {
        let events = store.events().await?;
        let mut performers: BTreeMap<(String, String), PerformerTotal> = BTreeMap::new();
        let mut viewers: BTreeMap<(String, String), (u64, u128)> = BTreeMap::new();
        let mut supporters: BTreeMap<(String, String, String), u128> = BTreeMap::new();
        let mut hourly: BTreeMap<(String, String, u64), (u64, u128)> = BTreeMap::new();
        let mut rating_events = Vec::new();
        for (block, event) in &events {
            match decode::decode(&event.topics, &event.data) {
                Ok(LiveEvent::Tipped(tip)) if event.contract == contracts.tips => {
                    let performer = hex::encode(tip.performer);
                    let viewer = hex::encode(tip.viewer);
                    let token = tip.token.map_or_else(|| NATIVE.to_owned(), hex::encode);
                    let key = (performer.clone(), viewer.clone(), token.clone());
                    let new_supporter = u64::from(!supporters.contains_key(&key));
                    *supporters.entry(key).or_default() += tip.gross;
                    let total = performers
                        .entry((performer.clone(), token.clone()))
                        .or_default();
                    total.count += 1;
                    total.gross += tip.gross;
                    total.net += tip.net;
                    total.supporters += new_supporter;
                    total.last_tip_ms = tip.at;
                    let total = viewers.entry((viewer, token.clone())).or_default();
                    *total = (total.0 + 1, total.1 + tip.gross);
                    let total = hourly
                        .entry((performer, token, tip.at / 3_600_000))
                        .or_default();
                    *total = (total.0 + 1, total.1 + tip.gross);
                }
                Ok(LiveEvent::Rating(rating)) if event.contract == contracts.rating => {
                    rating_events.push((rating::position(*block, event.event_index), rating));
                }
                _ => {}
            }
        }

        let scored: BTreeSet<_> = rating_events
            .iter()
            .filter_map(|(_, event)| event.performer().copied())
            .collect();
        let mut rating_scores = Vec::new();
        for performer in scored {
            let mut replay = Replay::default();
            for (position, event) in &rating_events {
                if event.performer().is_none_or(|p| *p == performer) {
                    replay
                        .apply(event, *position)
                        .map_err(|e| anyhow!("replay at {position}: {e}"))?;
                }
            }
            if let Some(state) = replay.score {
                rating_scores.push(format!(
                    "{} {} {} {} {} {}",
                    hex::encode(performer),
                    state.id,
                    amount_text(state.score.support.value),
                    state.score.support.updated_at,
                    state.score.star_count,
                    state.score.star_sum
                ));
            }
        }

        let sorted = |mut rows: Vec<String>| {
            rows.sort();
            rows
        };
        Ok(Self {
            performer_totals: sorted(
                performers
                    .iter()
                    .map(|((account, token), total)| {
                        format!(
                            "{account} {token} {} {} {} {} {}",
                            total.count,
                            amount_text(total.gross),
                            amount_text(total.net),
                            total.supporters,
                            total.last_tip_ms
                        )
                    })
                    .collect(),
            ),
            viewer_totals: sorted(
                viewers
                    .iter()
                    .map(|((account, token), (count, gross))| {
                        format!("{account} {token} {count} {}", amount_text(*gross))
                    })
                    .collect(),
            ),
            supporters: sorted(
                supporters
                    .iter()
                    .map(|((performer, viewer, token), gross)| {
                        format!("{performer} {viewer} {token} {}", amount_text(*gross))
                    })
                    .collect(),
            ),
            performer_hourly: sorted(
                hourly
                    .iter()
                    .map(|((performer, token, hour), (count, gross))| {
                        format!("{performer} {token} {hour} {count} {}", amount_text(*gross))
                    })
                    .collect(),
            ),
            rating_scores: sorted(rating_scores),
        })
    }
}

/// One `performer_totals` row, recomputed.
#[derive(Default)]
struct PerformerTotal {
    count: u64,
    gross: u128,
    net: u128,
    supporters: u64,
    /// The `at` of the performer's latest tip in chain order.
    last_tip_ms: u64,
}

/// Asserts the derived tables in `store` equal their recomputation from its raw events.
pub async fn assert_derived(store: &Store, contracts: &Contracts) {
    let stored = DerivedTables::read(store).await.expect("derived tables");
    let expected = DerivedTables::recompute(store, contracts)
        .await
        .expect("recomputation");
    assert_eq!(
        stored, expected,
        "derived tables differ from the raw events"
    );
}
