//! The indexer's derived tables checked against the raw events they come from: the
//! indexer folds each commit batch in memory, so a wrong fold (a row written twice,
//! or not at all) shows here, whatever the batch sizes were.

use anyhow::{anyhow, Result};
use livestars_indexer::decode::{
    self, AccountId, LiveEvent, PerformerErased, ShowTermsChanged, ShowToppedUp,
};
use livestars_indexer::rating::{self, Replay, VersionedParams};
use livestars_indexer::store::{amount_text, Store, NATIVE};
use std::collections::{BTreeMap, BTreeSet};

/// The derived tables as sorted rows of space-separated text.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct DerivedTables {
    pub performer_totals: Vec<String>,
    pub supporters: Vec<String>,
    pub performer_hourly: Vec<String>,
    pub rating_params: Vec<String>,
    pub rating_scores: Vec<String>,
    pub rating_supporters: Vec<String>,
    pub show_terms: Vec<String>,
    pub shows: Vec<String>,
    pub show_events: Vec<String>,
    pub blocked_viewers: Vec<String>,
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
            supporters: rows("SELECT performer || ' ' || viewer || ' ' || token FROM supporters")
                .await?,
            performer_hourly: rows(
                "SELECT performer || ' ' || token || ' ' || hour || ' ' || tip_count || ' ' || \
                 gross FROM performer_hourly",
            )
            .await?,
            // A missing effective_at (the version in force) reads -1, missing stars 0.
            rating_params: rows(
                "SELECT slot || ' ' || version || ' ' || burn_bps || ' ' || \
                 support_half_saturation || ' ' || prior_stars_milli || ' ' || prior_weight || \
                 ' ' || star_weight_bps || ' ' || COALESCE(effective_at, -1) FROM rating_params",
            )
            .await?,
            rating_scores: rows(
                "SELECT performer || ' ' || epoch || ' ' || support || ' ' || vote_weight || \
                 ' ' || vote_stars || ' ' || voters FROM rating_scores",
            )
            .await?,
            rating_supporters: rows(
                "SELECT performer || ' ' || viewer || ' ' || epoch || ' ' || stake || ' ' || \
                 COALESCE(stars, 0) FROM rating_supporters",
            )
            .await?,
            show_terms: rows(
                "SELECT performer || ' ' || price_per_minute || ' ' || available FROM show_terms",
            )
            .await?,
            // A running show's missing end reads -1.
            shows: rows(
                "SELECT show_id || ' ' || viewer || ' ' || performer || ' ' || \
                 price_per_minute || ' ' || fee_bps || ' ' || burn_bps || ' ' || deposit || \
                 ' ' || paid || ' ' || platform_fee || ' ' || burned || ' ' || net || ' ' || \
                 refunded || ' ' || opened_at_ms || ' ' || COALESCE(ended_at_ms, -1) || ' ' || \
                 COALESCE(billed_seconds, -1) FROM shows",
            )
            .await?,
            show_events: rows(
                "SELECT block_number || ' ' || event_index || ' ' || show_id || ' ' || kind || \
                 ' ' || amount || ' ' || net FROM show_events",
            )
            .await?,
            blocked_viewers: rows(
                "SELECT performer || ' ' || viewer || ' ' || block_number FROM blocked_viewers",
            )
            .await?,
        })
    }

    /// What the derived tables must hold given the raw events `store` holds (those of
    /// the LIVE contract at `live_token`): totals, supporters and hourly buckets summed
    /// from the `Tipped` events; the rating parameters' schedule, scores and
    /// contributions replayed in memory with `rating-formula`; the blocks from the
    /// `ViewerBlockChanged` events.
    pub async fn recompute(store: &Store, live_token: &AccountId) -> Result<Self> {
        let events = store.events().await?;
        let mut performers: BTreeMap<(String, String), PerformerTotal> = BTreeMap::new();
        let mut supporters: BTreeSet<(String, String, String)> = BTreeSet::new();
        let mut hourly: BTreeMap<(String, String, u64), (u64, u128)> = BTreeMap::new();
        let mut replay = Replay::default();
        let mut shows = Shows::default();
        // The last block that blocked each (performer, viewer) still blocked.
        let mut blocked: BTreeMap<(AccountId, AccountId), u32> = BTreeMap::new();
        for (block, event) in events.iter().filter(|(_, e)| e.contract == *live_token) {
            let Ok(decoded) = decode::decode(&event.topics, &event.data) else {
                continue;
            };
            if let Some(input) = rating::input(&decoded, live_token) {
                replay.apply(&input).map_err(|e| {
                    anyhow!("replay at block {block} event {}: {e}", event.event_index)
                })?;
            }
            shows.apply(*block, event.event_index, &decoded);
            if let LiveEvent::ViewerBlockChanged(change) = &decoded {
                let pair = (change.performer, change.viewer);
                if change.blocked {
                    blocked.insert(pair, *block);
                } else {
                    blocked.remove(&pair);
                }
            }
            if let LiveEvent::Tipped(tip) = decoded {
                let performer = hex::encode(tip.performer);
                let viewer = hex::encode(tip.viewer);
                let token = tip.token.map_or_else(|| NATIVE.to_owned(), hex::encode);
                let key = (performer.clone(), viewer.clone(), token.clone());
                let new_supporter = u64::from(supporters.insert(key));
                let total = performers
                    .entry((performer.clone(), token.clone()))
                    .or_default();
                total.count += 1;
                total.gross += tip.gross;
                total.net += tip.net;
                total.supporters += new_supporter;
                total.last_tip_ms = tip.at;
                let total = hourly
                    .entry((performer, token, tip.at / 3_600_000))
                    .or_default();
                *total = (total.0 + 1, total.1 + tip.gross);
            }
        }

        let mut rating_params = Vec::new();
        if let Some(schedule) = replay.schedule {
            let next = schedule
                .next
                .map(|(next, at)| ("next", next, i128::from(at)));
            for (slot, versioned, effective_at) in
                std::iter::once(("current", schedule.current, -1)).chain(next)
            {
                let VersionedParams { version, params } = versioned;
                rating_params.push(format!(
                    "{slot} {version} {} {} {} {} {} {effective_at}",
                    params.burn_bps,
                    amount_text(params.support_half_saturation),
                    params.prior_stars_milli,
                    amount_text(params.prior_weight),
                    params.star_weight_bps,
                ));
            }
        }
        let rating_scores = replay
            .scores
            .iter()
            .map(|(performer, score)| {
                format!(
                    "{} {} {} {} {} {}",
                    hex::encode(performer),
                    score.epoch,
                    amount_text(score.support),
                    amount_text(score.vote_weight),
                    amount_text(score.vote_stars),
                    score.voters
                )
            })
            .collect();
        let rating_supporters = replay
            .contributions
            .iter()
            .map(|((performer, viewer), entry)| {
                format!(
                    "{} {} {} {} {}",
                    hex::encode(performer),
                    hex::encode(viewer),
                    entry.epoch,
                    amount_text(entry.stake),
                    entry.stars.unwrap_or(0)
                )
            })
            .collect();

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
            supporters: sorted(
                supporters
                    .iter()
                    .map(|(performer, viewer, token)| format!("{performer} {viewer} {token}"))
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
            rating_params: sorted(rating_params),
            rating_scores: sorted(rating_scores),
            rating_supporters: sorted(rating_supporters),
            show_terms: sorted(shows.terms.into_values().collect()),
            shows: sorted(shows.shows.values().map(Show::row).collect()),
            show_events: sorted(shows.events),
            blocked_viewers: sorted(
                blocked
                    .iter()
                    .map(|((performer, viewer), block)| {
                        format!("{} {} {block}", hex::encode(performer), hex::encode(viewer))
                    })
                    .collect(),
            ),
        })
    }
}

/// The show tables, recomputed event by event.
#[derive(Default)]
struct Shows {
    terms: BTreeMap<AccountId, String>,
    shows: BTreeMap<u64, Show>,
    events: Vec<String>,
}

/// One `shows` row, recomputed.
#[derive(Default)]
struct Show {
    id: u64,
    viewer: AccountId,
    performer: AccountId,
    price: u128,
    fee_bps: u16,
    burn_bps: u16,
    deposit: u128,
    paid: u128,
    platform_fee: u128,
    burned: u128,
    net: u128,
    refunded: u128,
    opened_at: u64,
    ended: Option<(u64, u64)>,
}

impl Show {
    fn row(&self) -> String {
        let (ended_at, billed) = self.ended.map_or((-1, -1), |(at, seconds)| {
            (i128::from(at), i128::from(seconds))
        });
        format!(
            "{} {} {} {} {} {} {} {} {} {} {} {} {} {ended_at} {billed}",
            self.id,
            hex::encode(self.viewer),
            hex::encode(self.performer),
            amount_text(self.price),
            self.fee_bps,
            self.burn_bps,
            amount_text(self.deposit),
            amount_text(self.paid),
            amount_text(self.platform_fee),
            amount_text(self.burned),
            amount_text(self.net),
            amount_text(self.refunded),
            self.opened_at,
        )
    }
}

impl Shows {
    fn apply(&mut self, block: u32, index: u32, event: &LiveEvent) {
        let mut record = |id: u64, kind: &str, amount: u128, net: u128| {
            self.events.push(format!(
                "{block} {index} {id} {kind} {} {}",
                amount_text(amount),
                amount_text(net)
            ));
        };
        match event {
            LiveEvent::ShowTermsChanged(ShowTermsChanged {
                performer,
                price_per_minute,
                available,
            }) if *price_per_minute > 0 || *available => {
                let row = format!(
                    "{} {} {}",
                    hex::encode(performer),
                    amount_text(*price_per_minute),
                    u8::from(*available)
                );
                self.terms.insert(*performer, row);
            }
            LiveEvent::ShowTermsChanged(ShowTermsChanged { performer, .. })
            | LiveEvent::PerformerErased(PerformerErased { performer }) => {
                self.terms.remove(performer);
            }
            LiveEvent::ShowOpened(open) => {
                record(open.show_id, "opened", open.deposit, 0);
                self.shows.insert(
                    open.show_id,
                    Show {
                        id: open.show_id,
                        viewer: open.viewer,
                        performer: open.performer,
                        price: open.price_per_minute,
                        fee_bps: open.fee_bps,
                        burn_bps: open.burn_bps,
                        deposit: open.deposit,
                        opened_at: open.at,
                        ..Show::default()
                    },
                );
            }
            LiveEvent::ShowToppedUp(ShowToppedUp {
                show_id,
                amount,
                deposit,
                ..
            }) => {
                record(*show_id, "topped_up", *amount, 0);
                if let Some(show) = self.shows.get_mut(show_id) {
                    show.deposit = *deposit;
                }
            }
            LiveEvent::ShowPaid(paid) => {
                record(paid.show_id, "paid", paid.gross, paid.net);
                if let Some(show) = self.shows.get_mut(&paid.show_id) {
                    show.paid += paid.gross;
                    show.platform_fee += paid.platform_fee;
                    show.burned += paid.burned;
                    show.net += paid.net;
                }
            }
            LiveEvent::ShowEnded(end) => {
                record(end.show_id, "ended", end.refunded, 0);
                if let Some(show) = self.shows.get_mut(&end.show_id) {
                    show.deposit = end.deposit;
                    show.refunded = end.refunded;
                    show.ended = Some((end.at, end.billed_seconds));
                }
            }
            _ => {}
        }
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
pub async fn assert_derived(store: &Store, live_token: &AccountId) {
    let stored = DerivedTables::read(store).await.expect("derived tables");
    let expected = DerivedTables::recompute(store, live_token)
        .await
        .expect("recomputation");
    assert_eq!(
        stored, expected,
        "derived tables differ from the raw events"
    );
}
