//! One immutable snapshot of the read model: every performer's state at one indexed
//! block, with the rankings computed from it.

use super::search::Search;
use crate::cache::Block;
use livestars_indexer::decode::AccountId;
use livestars_indexer::rating::{self, Schedule};
use livestars_indexer::store::read::{HourlyTips, PerformerState, VerifierListing};
use rating_formula::Rating;
use serde::Deserialize;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use utoipa::ToSchema;

/// Milliseconds per hour: tips are bucketed by the hour they were made in.
pub const HOUR_MS: u64 = 3_600_000;

/// The longest window kept in memory, in hours (30 days).
pub const KEPT_HOURS: u64 = 30 * 24;

/// What to rank by.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum By {
    #[default]
    Rating,
    /// The LIVE burned for a performer by anyone, decayed (the rating's `support`):
    /// what costs the same to fake as to earn. LIVE *received* is never an order,
    /// since a performer's own LIVE sent round through a second account buys it at
    /// the fee.
    Support,
}

/// Which LIVE tips count: those of the current hour and the hours before it, up to
/// the window's length.
#[derive(Debug, Clone, Copy, Default, Deserialize, PartialEq, Eq, ToSchema)]
pub enum Window {
    #[serde(rename = "24h")]
    Day,
    #[serde(rename = "7d")]
    Week,
    #[serde(rename = "30d")]
    Month,
    #[default]
    #[serde(rename = "all")]
    All,
}

impl Window {
    pub const EVERY: [Window; 4] = [Self::Day, Self::Week, Self::Month, Self::All];

    /// The window's length in hours; `None` for all time.
    pub fn hours(self) -> Option<u64> {
        match self {
            Self::Day => Some(24),
            Self::Week => Some(7 * 24),
            Self::Month => Some(KEPT_HOURS),
            Self::All => None,
        }
    }

    fn slot(self) -> usize {
        self as usize
    }
}

/// LIVE tips counted in one window.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WindowTips {
    pub tips: u64,
    pub gross: u128,
}

/// A performer as the read model keeps them: the stored state plus its LIVE tips per
/// window, as of one hour.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Performer {
    pub account: AccountId,
    pub state: PerformerState,
    /// Indexed by [`Window`].
    windows: [WindowTips; 4],
    /// Distinct viewers who ever tipped in LIVE.
    pub live_supporters: u64,
    /// The profile's stage name as search compares it (lowercase).
    pub folded_name: Option<String>,
}

impl Performer {
    /// `state` seen at `hour`: buckets older than [`KEPT_HOURS`] are dropped.
    pub fn new(
        account: AccountId,
        mut state: PerformerState,
        live_token: &AccountId,
        hour: u64,
    ) -> Self {
        let first_kept = first_hour(hour, KEPT_HOURS);
        state.live_hours.retain(|bucket| bucket.hour >= first_kept);
        state.live_hours.shrink_to_fit();
        let live = state
            .totals
            .iter()
            .find(|t| t.token.as_ref() == Some(live_token));
        let mut windows = [WindowTips::default(); 4];
        windows[Window::All.slot()] = live.map_or_else(WindowTips::default, |t| WindowTips {
            tips: t.tips,
            gross: t.gross,
        });
        for window in [Window::Day, Window::Week, Window::Month] {
            windows[window.slot()] = sum_since(
                &state.live_hours,
                first_hour(hour, window.hours().unwrap_or(0)),
            );
        }
        Self {
            account,
            live_supporters: live.map_or(0, |t| t.supporters),
            folded_name: state.profile.as_ref().map(|p| p.profile.folded_name()),
            state,
            windows,
        }
    }

    /// The block the performer registered in (0 for one only ever tipped).
    pub fn registered_block(&self) -> u32 {
        self.state
            .registry
            .as_ref()
            .map_or(0, |r| r.registered_block)
    }

    /// Whether the performer said (signed) they are online at `now` (ms).
    pub fn online_at(&self, now: u64) -> bool {
        self.state.presence.is_some_and(|p| p.until_ms > now)
    }

    /// LIVE tips in `window`.
    pub fn tips_in(&self, window: Window) -> WindowTips {
        self.windows[window.slot()]
    }

    /// The verifier whose 18+ attestation counts: only while that verifier still
    /// holds the listing it attested under.
    pub fn adult_verifier(&self, listings: &HashMap<u64, AccountId>) -> Option<AccountId> {
        let attestation = self.state.registry.as_ref()?.adult?;
        let listing = attestation.listing?;
        (listings.get(&listing) == Some(&attestation.verifier)).then_some(attestation.verifier)
    }
}

/// The first hour of a window of `hours` hours ending with `hour`.
pub fn first_hour(hour: u64, hours: u64) -> u64 {
    hour.saturating_sub(hours.saturating_sub(1))
}

fn sum_since(buckets: &[HourlyTips], first: u64) -> WindowTips {
    buckets
        .iter()
        .filter(|b| b.hour >= first)
        .fold(WindowTips::default(), |sum, b| WindowTips {
            tips: sum.tips.saturating_add(b.tips),
            gross: sum.gross.saturating_add(b.gross),
        })
}

/// The read model at one block: performers, their ratings at one instant, and every
/// ranking, ready to be paged.
#[derive(Debug)]
pub struct View {
    /// The checkpoint this view shows, number and hash (`None`: nothing indexed yet).
    pub checkpoint: Option<Block>,
    /// The instant (ms) the ratings of the rankings are computed for.
    pub at: u64,
    /// The hour the windows end with.
    pub hour: u64,
    pub schedule: Option<Schedule>,
    /// Active verifier listings: listing number → verifier.
    pub listings: HashMap<u64, AccountId>,
    /// Every performer registered or ever tipped.
    pub performers: BTreeMap<AccountId, Arc<Performer>>,
    /// Registered performers, by account.
    pub registered: Vec<Arc<Performer>>,
    /// `registered[i]`'s rating at `at`, with the parameters' version.
    pub ratings: Vec<(u32, Rating)>,
    /// Indexes into `registered`, per [`By`] and [`Window`], best first.
    rankings: [[Vec<u32>; 4]; 2],
    /// Indexes into `registered`, the latest registered first (ties by account).
    newest: Vec<u32>,
    /// `0, 1, 2, ...`: `registered` in its own (account) order.
    accounts: Vec<u32>,
    /// Where each of `registered` stands in each ranking ([`ABSENT`] if not in it).
    ranking_positions: [[Vec<u32>; 4]; 2],
    /// Where each of `registered` stands in `newest`.
    newest_positions: Vec<u32>,
    /// Postings of the registered performers' profiles, for filters.
    pub search: Search,
}

/// An order `registered` can be listed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// By account.
    Account,
    Ranking(By, Window),
    /// The latest registered first.
    Newest,
}

/// The position of a performer an order leaves out.
pub const ABSENT: u32 = u32::MAX;

impl View {
    /// Ranks `performers` at instant `at` (ms) under `schedule`.
    pub fn new(
        checkpoint: Option<Block>,
        at: u64,
        schedule: Option<Schedule>,
        listings: &[VerifierListing],
        performers: BTreeMap<AccountId, Arc<Performer>>,
    ) -> Self {
        let registered: Vec<Arc<Performer>> = performers
            .values()
            .filter(|p| p.state.registry.is_some())
            .cloned()
            .collect();
        let ratings: Vec<(u32, Rating)> = match &schedule {
            Some(schedule) => registered
                .iter()
                .map(|p| rating::rating_at(schedule, p.state.score.as_ref(), at))
                .collect(),
            None => Vec::new(),
        };
        let rankings = if ratings.len() == registered.len() {
            [By::Rating, By::Support]
                .map(|by| Window::EVERY.map(|window| rank(&registered, &ratings, by, window)))
        } else {
            Default::default()
        };
        let accounts: Vec<u32> = (0..registered.len())
            .filter_map(|i| u32::try_from(i).ok())
            .collect();
        let mut newest = accounts.clone();
        newest.sort_by_key(|&i| std::cmp::Reverse(registered[i as usize].registered_block()));
        let positions = |order: &[u32]| {
            let mut positions = vec![ABSENT; registered.len()];
            for (position, &i) in order.iter().enumerate() {
                positions[i as usize] = u32::try_from(position).unwrap_or(ABSENT);
            }
            positions
        };
        let ranking_positions = rankings
            .each_ref()
            .map(|by| by.each_ref().map(|r| positions(r)));
        let newest_positions = positions(&newest);
        let search = Search::new(&registered);
        Self {
            checkpoint,
            at,
            hour: at / HOUR_MS,
            schedule,
            listings: listings
                .iter()
                .filter(|l| l.active)
                .map(|l| (l.listing, l.verifier))
                .collect(),
            performers,
            registered,
            ratings,
            rankings,
            newest,
            accounts,
            ranking_positions,
            newest_positions,
            search,
        }
    }

    /// `order`: indexes into [`View::registered`], first first.
    pub fn order(&self, order: Order) -> &[u32] {
        match order {
            Order::Account => &self.accounts,
            Order::Ranking(by, window) => self.ranking(by, window),
            Order::Newest => &self.newest,
        }
    }

    /// Where `registered[i]` stands in `order` ([`ABSENT`] if it is not in it).
    pub fn position(&self, order: Order, i: u32) -> u32 {
        match order {
            Order::Account => i,
            Order::Ranking(by, window) => {
                self.ranking_positions[by as usize][window.slot()][i as usize]
            }
            Order::Newest => self.newest_positions[i as usize],
        }
    }

    /// The number of the block this view shows.
    pub fn block(&self) -> Option<u32> {
        self.checkpoint.map(|(number, _)| number)
    }

    /// The ranking by `by` in `window`: indexes into [`View::registered`], best first.
    pub fn ranking(&self, by: By, window: Window) -> &[u32] {
        &self.rankings[by as usize][window.slot()]
    }
}

/// The registered performers with LIVE tips in the window (everyone for `all`), by
/// rating or by support. Ties go to the lower account, so pages are stable.
fn rank(
    registered: &[Arc<Performer>],
    ratings: &[(u32, Rating)],
    by: By,
    window: Window,
) -> Vec<u32> {
    let mut order: Vec<u32> = (0..registered.len())
        .filter(|&i| window == Window::All || registered[i].tips_in(window).tips > 0)
        .filter_map(|i| u32::try_from(i).ok())
        .collect();
    // `registered` is in account order, so a stable sort breaks ties by account.
    match by {
        By::Support => order.sort_by_key(|&i| std::cmp::Reverse(ratings[i as usize].1.support)),
        By::Rating => order.sort_by_key(|&i| std::cmp::Reverse(ratings[i as usize].1.rating_ppm)),
    }
    order
}

#[cfg(test)]
mod tests {
    use super::*;
    use livestars_indexer::rating::VersionedParams;
    use livestars_indexer::store::read::{Attestation, PerformerRecord, TokenTotals};
    use rating_formula::{Contribution, Params, Scheduled, Score};

    const LIVE: AccountId = [9; 32];
    const NOW_HOUR: u64 = 500_000;

    fn registered(hours: &[(u64, u128)], score: Option<Score>) -> PerformerState {
        let gross = hours.iter().map(|(_, g)| g).sum();
        PerformerState {
            registry: Some(PerformerRecord {
                profile: [0; 32],
                max_fee_bps: 300,
                splits: Vec::new(),
                adult: None,
                registered_block: 1,
            }),
            totals: vec![TokenTotals {
                token: Some(LIVE),
                tips: hours.len() as u64,
                gross,
                net: gross,
                supporters: 1,
                last_tip_ms: 0,
            }],
            live_hours: hours
                .iter()
                .map(|&(hour, gross)| HourlyTips {
                    hour,
                    tips: 1,
                    gross,
                })
                .collect(),
            score,
            profile: None,
            presence: None,
        }
    }

    fn view(performers: Vec<(u8, PerformerState)>, hour: u64) -> View {
        let performers = performers
            .into_iter()
            .map(|(n, state)| {
                (
                    [n; 32],
                    Arc::new(Performer::new([n; 32], state, &LIVE, hour)),
                )
            })
            .collect();
        let schedule = Scheduled::new(VersionedParams {
            version: 1,
            params: Params::LAUNCH,
        });
        View::new(
            Some((7, [7; 32])),
            hour * HOUR_MS,
            Some(schedule),
            &[],
            performers,
        )
    }

    fn ranked(view: &View, by: By, window: Window) -> Vec<u8> {
        view.ranking(by, window)
            .iter()
            .map(|&i| view.registered[i as usize].account[0])
            .collect()
    }

    #[test]
    fn a_tip_counts_in_a_window_for_exactly_its_length_in_hours() {
        let tipped_at = NOW_HOUR - 23;
        let state = registered(&[(tipped_at, 5)], None);
        for (hour, in_day) in [
            (NOW_HOUR - 1, true),
            (NOW_HOUR, true),
            (NOW_HOUR + 1, false),
        ] {
            let performer = Performer::new([1; 32], state.clone(), &LIVE, hour);
            let expected = if in_day { 5 } else { 0 };
            assert_eq!(
                performer.tips_in(Window::Day).gross,
                expected,
                "hour {hour}"
            );
            assert_eq!(performer.tips_in(Window::Week).gross, 5);
            assert_eq!(performer.tips_in(Window::All).gross, 5);
        }
        let month_later = Performer::new([1; 32], state, &LIVE, tipped_at + KEPT_HOURS);
        assert_eq!(month_later.tips_in(Window::Month).gross, 0);
        assert!(
            month_later.state.live_hours.is_empty(),
            "expired buckets are dropped"
        );
        assert_eq!(month_later.tips_in(Window::All).gross, 5);
    }

    fn staked(burned: u128) -> Option<Score> {
        let mut score = Score::default();
        let mut entry = Contribution::default();
        let tick = rating_formula::tick_of(NOW_HOUR * HOUR_MS);
        score.stake(&mut entry, burned, tick).expect("stake");
        Some(score)
    }

    #[test]
    fn support_rankings_order_by_burned_stake_never_by_live_received() {
        let view = view(
            vec![
                // The most LIVE received, the least burned for it: last.
                (3, registered(&[(NOW_HOUR, 1_000_000)], staked(10))),
                (1, registered(&[(NOW_HOUR - 30, 10)], staked(500))),
                (2, registered(&[(NOW_HOUR, 10)], staked(500))),
                (4, registered(&[], None)),
            ],
            NOW_HOUR,
        );
        // Ties go to the lower account; the unsupported come last.
        assert_eq!(ranked(&view, By::Support, Window::All), [1, 2, 3, 4]);
        // Within a window: only those with LIVE tips in it.
        assert_eq!(ranked(&view, By::Support, Window::Day), [2, 3]);
        assert_eq!(ranked(&view, By::Rating, Window::Day).len(), 2);
        assert_eq!(ranked(&view, By::Rating, Window::All).len(), 4);
    }

    #[test]
    fn rating_rankings_follow_the_formula_at_the_views_instant() {
        let view = view(
            vec![
                (1, registered(&[(NOW_HOUR, 1)], staked(1_000_000_000))),
                (2, registered(&[(NOW_HOUR, 1)], staked(9_000_000_000_000))),
                (3, registered(&[(NOW_HOUR, 1)], None)),
            ],
            NOW_HOUR,
        );
        assert_eq!(ranked(&view, By::Rating, Window::All), [2, 1, 3]);
        let ratings: Vec<u32> = view.ratings.iter().map(|(_, r)| r.rating_ppm).collect();
        assert!(
            ratings[1] > ratings[0] && ratings[0] >= ratings[2],
            "{ratings:?}"
        );
    }

    #[test]
    fn an_attestation_counts_only_while_its_listing_is_active() {
        let verifier = [7; 32];
        let mut state = registered(&[], None);
        if let Some(registry) = state.registry.as_mut() {
            registry.adult = Some(Attestation {
                verifier,
                listing: Some(2),
            });
        }
        let performer = Performer::new([1; 32], state, &LIVE, NOW_HOUR);
        let listings = |active: &[(u64, AccountId)]| active.iter().copied().collect();
        assert_eq!(
            performer.adult_verifier(&listings(&[(2, verifier)])),
            Some(verifier)
        );
        assert_eq!(
            performer.adult_verifier(&listings(&[(3, verifier)])),
            None,
            "relisted"
        );
        assert_eq!(performer.adult_verifier(&listings(&[])), None, "delisted");
    }
}
