//! Registered performers with their totals and current rating, from the read model.

use super::profiles::ProfileView;
use super::{page_limit, Account, AccountPath, Page, Params};
use crate::error::{bad_cursor, ApiError, ErrorBody};
use crate::openapi::{Amount, Hash32, Ss58};
use crate::read_model::{now_ms, By, Order, Performer, View, Window, ABSENT, HOUR_MS};
use crate::state::AppState;
use crate::views::{show, RatingView};
use axum::extract::State;
use axum::Json;
use livestars_indexer::config::parse_account;
use livestars_indexer::decode::AccountId;
use livestars_indexer::rating::{self, Schedule};
use livestars_indexer::store::NATIVE;
use rating_formula::Score;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A performer as the client lists them.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Performer)]
pub struct PerformerView {
    #[schema(value_type = Ss58)]
    pub account: String,
    /// Hash commitment of the off-chain profile; the profile itself is never indexed.
    #[schema(value_type = Hash32)]
    pub profile: String,
    /// The most of a tip the performer accepts to lose to the platform fee and the
    /// rating stake together (bps).
    #[schema(maximum = 10_000)]
    pub max_fee_bps: u16,
    /// Co-recipients of each tip and their basis points, `[account, bps]`.
    #[schema(value_type = Vec<(Ss58, u16)>)]
    pub splits: Vec<(String, u16)>,
    /// The verifier whose 18+ attestation counts now: `null` without one, or once
    /// the verifier was delisted (tips are refused then).
    #[schema(value_type = Option<Ss58>, required = true)]
    pub adult_verifier: Option<String>,
    pub registered_block: u32,
    /// Totals per token (`native` for the chain's currency).
    pub totals: Vec<TotalsView>,
    pub rating: RatingView,
    /// The public profile the performer published, if any.
    #[schema(required = true)]
    pub public_profile: Option<ProfileView>,
    /// Online now, as the performer last said (signed).
    pub online: bool,
}

/// What a performer received in one token.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Totals)]
pub struct TotalsView {
    /// The token's account, or `native` for the chain's currency.
    #[schema(pattern = "^(native|[1-9A-HJ-NP-Za-km-z]{48})$")]
    pub token: String,
    pub tips: u64,
    /// Received, before fees and splits.
    #[schema(value_type = Amount)]
    pub gross: String,
    /// What reached the performer's wallet.
    #[schema(value_type = Amount)]
    pub net: String,
    pub supporters: u64,
    /// Block time of the last tip, ms since the Unix epoch.
    pub last_tip_at: u64,
}

/// The rating parameters' schedule of `view`; 503 until the contract's first
/// parameters are indexed.
pub fn schedule(view: &View) -> Result<&Schedule, ApiError> {
    view.schedule
        .as_ref()
        .ok_or_else(|| ApiError::Unavailable("the rating parameters are not indexed yet".into()))
}

/// A rating at `now` from the indexed score (`None`: no score yet) under the
/// parameters in force then.
pub fn rating_at(score: Option<&Score>, schedule: &Schedule, now: u64) -> RatingView {
    let (version, rating) = rating::rating_at(schedule, score, now);
    RatingView::new(rating, version, now)
}

/// 404 unless `performer` is registered or has received tips.
pub fn ensure_known(state: &AppState, performer: &AccountId) -> Result<(), ApiError> {
    if state.view()?.performers.contains_key(performer) {
        Ok(())
    } else {
        Err(ApiError::NotFound(format!(
            "no performer {}",
            show(performer)
        )))
    }
}

/// The orders `GET /v1/performers` lists in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Sort {
    /// By account (the default).
    #[default]
    Account,
    /// Best rating first.
    Rating,
    /// Most support first: the LIVE burned for them by anyone, halving every
    /// 512 hours (the rating's `support`). Never LIVE received: a performer's own
    /// money sent round through a second account would buy that at the fee.
    Support,
    /// Latest registered first.
    Newest,
}

/// `GET /v1/performers` filters, order and page.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct PerformersQuery {
    /// Page size (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page (of the same order).
    #[param(value_type = Option<String>, max_length = 80)]
    pub cursor: Option<String>,
    #[param(inline)]
    pub sort: Option<Sort>,
    /// Only performers whose profile has this tag (case-insensitive).
    #[param(max_length = 24)]
    pub tag: Option<String>,
    /// Only performers whose profile lists this language (`pt` also finds `pt-BR`).
    #[param(max_length = 6)]
    pub language: Option<String>,
    /// Only performers whose stage name contains this text (case-insensitive).
    #[param(min_length = 1, max_length = 40)]
    pub q: Option<String>,
    /// Only performers rated at least this (ppm, 0 to 1 000 000).
    #[param(maximum = 1_000_000)]
    pub min_rating: Option<u32>,
    /// Only performers with (`true`) or without (`false`) an 18+ attestation that
    /// counts now (the 18+ verifier console lists those awaiting one).
    pub attested: Option<bool>,
    /// Only performers online (`true`) or not (`false`) now.
    pub online: Option<bool>,
}

/// What a page's last item is ordered by, for the next page's cursor: the key the
/// order sorts by (descending), then the account (ascending). A cursor names a
/// position, not an offset: performers registering meanwhile shift no page.
fn sort_key(view: &View, sort: Sort, index: u32) -> u128 {
    let performer = &view.registered[index as usize];
    match sort {
        Sort::Account => 0,
        Sort::Rating => u128::from(view.ratings[index as usize].1.rating_ppm),
        Sort::Support => view.ratings[index as usize].1.support,
        Sort::Newest => u128::from(performer.registered_block()),
    }
}

impl Sort {
    /// The view's order this sort lists in.
    fn order(self) -> Order {
        match self {
            Self::Account => Order::Account,
            Self::Rating => Order::Ranking(By::Rating, Window::All),
            Self::Support => Order::Ranking(By::Support, Window::All),
            Self::Newest => Order::Newest,
        }
    }
}

/// A cursor: `KEY.ACCOUNT` (`ACCOUNT` alone in account order).
fn parse_cursor(sort: Sort, cursor: &str) -> Result<(u128, AccountId), ApiError> {
    let (key, account) = match sort {
        Sort::Account => ("0", cursor),
        _ => cursor.split_once('.').ok_or_else(|| bad_cursor(cursor))?,
    };
    let key = super::digits(key).ok_or_else(|| bad_cursor(cursor))?;
    let account = parse_account(account).map_err(|_| bad_cursor(cursor))?;
    Ok((key, account))
}

/// The filters of a query, checked once.
struct Filters {
    tag: Option<String>,
    language: Option<String>,
    q: Option<String>,
    min_rating: Option<u32>,
    attested: Option<bool>,
    online: Option<bool>,
    now: u64,
}

impl Filters {
    fn new(query: &PerformersQuery) -> Result<Self, ApiError> {
        let bounded = |name: &str, value: &Option<String>, max: usize| match value {
            Some(text) if text.is_empty() || text.chars().count() > max => Err(
                ApiError::BadRequest(format!("{name} must have 1 to {max} characters")),
            ),
            _ => Ok(value.clone()),
        };
        let lowercase = |text: Option<String>| text.map(|text| text.to_lowercase());
        if query.min_rating.is_some_and(|ppm| ppm > 1_000_000) {
            return Err(ApiError::BadRequest(
                "min_rating must be at most 1000000 (ppm)".into(),
            ));
        }
        Ok(Self {
            tag: lowercase(bounded("tag", &query.tag, 24)?),
            language: bounded("language", &query.language, 6)?,
            q: lowercase(bounded("q", &query.q, 40)?),
            min_rating: query.min_rating,
            attested: query.attested,
            online: query.online,
            now: now_ms(),
        })
    }

    /// The smallest set of performers the query confines the page to, when it
    /// names one: a tag's, a language's or a stage-name piece's posting, or the
    /// performers rated at least `min_rating` (a prefix of the rating ranking).
    fn narrowest<'v>(&self, view: &'v View) -> Option<&'v [u32]> {
        let rated = self.min_rating.map(|min| {
            let ranking = view.ranking(By::Rating, Window::All);
            &ranking[..ranking.partition_point(|&i| view.ratings[i as usize].1.rating_ppm >= min)]
        });
        [
            self.tag.as_deref().map(|tag| view.search.tag(tag)),
            self.language
                .as_deref()
                .map(|code| view.search.language(code)),
            self.q.as_deref().map(|q| view.search.name(q)),
            rated,
        ]
        .into_iter()
        .flatten()
        .min_by_key(|posting| posting.len())
    }

    fn any(&self) -> bool {
        self.tag.is_some() || self.language.is_some() || self.q.is_some()
    }

    fn keep(&self, view: &View, index: u32) -> bool {
        let performer = &view.registered[index as usize];
        if let Some(min) = self.min_rating {
            if view.ratings[index as usize].1.rating_ppm < min {
                return false;
            }
        }
        if self
            .online
            .is_some_and(|wanted| performer.online_at(self.now) != wanted)
        {
            return false;
        }
        if let Some(wanted) = self.attested {
            if performer.adult_verifier(&view.listings).is_some() != wanted {
                return false;
            }
        }
        if !self.any() {
            return true;
        }
        let Some(profile) = performer.state.profile.as_ref().map(|p| &p.profile) else {
            return false;
        };
        self.tag
            .as_ref()
            .is_none_or(|tag| profile.tags.iter().any(|t| t == tag))
            && self.language.as_ref().is_none_or(|wanted| {
                profile.languages.iter().any(|code| {
                    code == wanted
                        || (!wanted.contains('-')
                            && code.split_once('-').is_some_and(|(base, _)| base == wanted))
                })
            })
            && self.q.as_ref().is_none_or(|q| {
                performer
                    .folded_name
                    .as_ref()
                    .is_some_and(|name| name.contains(q.as_str()))
            })
    }
}

/// `GET /v1/performers`
#[utoipa::path(
    get,
    path = "/performers",
    tag = "performers",
    summary = "Registered performers: filtered by profile and rating, searched by stage name, in the order asked",
    params(PerformersQuery),
    responses(
        (status = 200, body = Page<PerformerView>),
        (status = 400, body = ErrorBody),
        (status = 503, body = ErrorBody, description = "The read model or the rating parameters are not loaded yet, or the request took too long"),
    )
)]
pub async fn list(
    State(state): State<AppState>,
    Params(query): Params<PerformersQuery>,
) -> Result<Json<Page<PerformerView>>, ApiError> {
    let limit = page_limit(query.limit)? as usize;
    let sort = query.sort.unwrap_or_default();
    let filters = Filters::new(&query)?;
    let cursor = query
        .cursor
        .as_deref()
        .map(|cursor| parse_cursor(sort, cursor))
        .transpose()?;
    let view = state.view()?;
    let (schedule, now) = (schedule(&view)?, now_ms());
    let mut page = matching(&view, sort, &filters, cursor, limit);
    let next_cursor = (page.len() > limit).then(|| {
        page.truncate(limit);
        let last = page[limit - 1];
        let account = show(&view.registered[last as usize].account);
        match sort {
            Sort::Account => account,
            _ => format!("{}.{account}", sort_key(&view, sort, last)),
        }
    });
    let items = page
        .iter()
        .filter_map(|&i| performer_view(&view, &view.registered[i as usize], schedule, now))
        .collect();
    Ok(Json(Page { items, next_cursor }))
}

/// Up to `limit + 1` performers that pass `filters`, in `sort`'s order after
/// `cursor` (one more than the page, to tell whether another page follows).
///
/// Two ways, the cheaper taken: picking the first by position among the narrowest
/// posting the query names (`c` performers: cost `c`), or walking the order from
/// the cursor until enough pass (about `(limit + 1) · n / m` steps when `m` of `n`
/// match). A posting is taken when `c ≤ √((limit + 1) · n)`; else `m` is usually
/// large and the walk short. The walk is long only when few performers of large
/// postings pass the whole query (two common tags that rarely go together).
fn matching(
    view: &View,
    sort: Sort,
    filters: &Filters,
    cursor: Option<(u128, AccountId)>,
    limit: usize,
) -> Vec<u32> {
    let kind = sort.order();
    let order = view.order(kind);
    // The order is by key descending, then account ascending: the page starts after
    // the cursor's position (found by bisection, whether or not it is still listed).
    let first = cursor.map_or(0, |(key, account)| {
        order.partition_point(|&i| {
            let here = sort_key(view, sort, i);
            here > key || (here == key && view.registered[i as usize].account <= account)
        })
    });
    // By rating, a threshold ends the order.
    let end = match (sort, filters.min_rating) {
        (Sort::Rating, Some(min)) => {
            order.partition_point(|&i| view.ratings[i as usize].1.rating_ppm >= min)
        }
        _ => order.len(),
    }
    .max(first);
    let wanted = limit + 1;
    let budget = ((wanted * (end - first)) as f64).sqrt() as usize;
    match filters.narrowest(view) {
        Some(posting) if posting.len() <= budget => {
            let (first, end) = (first as u32, end as u32);
            let mut hits: Vec<(u32, u32)> = posting
                .iter()
                .filter_map(|&i| {
                    let position = view.position(kind, i);
                    (position != ABSENT
                        && (first..end).contains(&position)
                        && filters.keep(view, i))
                    .then_some((position, i))
                })
                .collect();
            if hits.len() > wanted {
                hits.select_nth_unstable(wanted - 1);
                hits.truncate(wanted);
            }
            hits.sort_unstable();
            hits.into_iter().map(|(_, i)| i).collect()
        }
        _ => order[first..end]
            .iter()
            .copied()
            .filter(|&i| filters.keep(view, i))
            .take(wanted)
            .collect(),
    }
}

/// `GET /v1/performers/{account}`
#[utoipa::path(
    get,
    path = "/performers/{account}",
    tag = "performers",
    summary = "One registered performer with totals and current rating",
    params(AccountPath),
    responses(
        (status = 200, body = PerformerView),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Not registered (or erased)"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn one(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<PerformerView>, ApiError> {
    let view = state.view()?;
    let schedule = schedule(&view)?;
    view.performers
        .get(&performer)
        .and_then(|p| performer_view(&view, p, schedule, now_ms()))
        .map(Json)
        .ok_or_else(|| ApiError::NotFound(format!("no performer {}", show(&performer))))
}

/// LIVE received in one UTC day.
#[derive(Debug, Serialize, ToSchema)]
pub struct Day {
    /// The day's first instant, ms since the Unix epoch (UTC midnight).
    pub start: u64,
    pub tips: u64,
    /// Received, before fees and splits (LIVE base units).
    #[schema(value_type = Amount)]
    pub gross: String,
}

/// What a performer earned: totals per token, and LIVE per day for 30 days.
#[derive(Debug, Serialize, ToSchema)]
pub struct Earnings {
    #[schema(value_type = Ss58)]
    pub performer: String,
    /// The indexed block these figures are at.
    #[schema(required = true)]
    pub block: Option<u32>,
    pub totals: Vec<TotalsView>,
    /// The last 30 UTC days, oldest first, today last (so far).
    pub days: Vec<Day>,
    /// Private shows, open ones included (as far as indexed).
    pub shows: ShowEarningsView,
}

/// What a performer earned from private shows.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = ShowEarnings)]
pub struct ShowEarningsView {
    pub shows: u64,
    /// Gross paid out of viewers' deposits.
    #[schema(value_type = Amount)]
    pub paid: String,
    /// What reached the performer.
    #[schema(value_type = Amount)]
    pub net: String,
}

/// `GET /v1/performers/{account}/earnings`
#[utoipa::path(
    get,
    path = "/performers/{account}/earnings",
    tag = "performers",
    summary = "A performer's earnings: per token, and LIVE per day for 30 days",
    params(AccountPath),
    responses(
        (status = 200, body = Earnings),
        (status = 400, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "Never registered nor tipped"),
        (status = 503, body = ErrorBody),
    )
)]
pub async fn earnings(
    State(state): State<AppState>,
    Account(performer): Account,
) -> Result<Json<Earnings>, ApiError> {
    const DAYS: u64 = 30;
    let view = state.view()?;
    let known = view
        .performers
        .get(&performer)
        .ok_or_else(|| ApiError::NotFound(format!("no performer {}", show(&performer))))?;
    let shows = state.store.show_earnings(&performer).await?;
    let today = view.hour / 24;
    let first = today.saturating_sub(DAYS - 1);
    let mut days: Vec<(u64, u128)> = vec![(0, 0); (today - first + 1) as usize];
    for bucket in &known.state.live_hours {
        if let Some(day) = (bucket.hour / 24).checked_sub(first) {
            if let Some(slot) = days.get_mut(day as usize) {
                slot.0 = slot.0.saturating_add(bucket.tips);
                slot.1 = slot.1.saturating_add(bucket.gross);
            }
        }
    }
    Ok(Json(Earnings {
        performer: show(&performer),
        block: view.block(),
        totals: totals_view(known),
        days: days
            .into_iter()
            .zip(first..)
            .map(|((tips, gross), day)| Day {
                start: day * 24 * HOUR_MS,
                tips,
                gross: gross.to_string(),
            })
            .collect(),
        shows: ShowEarningsView {
            shows: shows.shows,
            paid: shows.paid.to_string(),
            net: shows.net.to_string(),
        },
    }))
}

/// Totals per token, as the API shows them.
fn totals_view(performer: &Performer) -> Vec<TotalsView> {
    performer
        .state
        .totals
        .iter()
        .map(|t| TotalsView {
            token: t.token.as_ref().map_or_else(|| NATIVE.to_owned(), show),
            tips: t.tips,
            gross: t.gross.to_string(),
            net: t.net.to_string(),
            supporters: t.supporters,
            last_tip_at: t.last_tip_ms,
        })
        .collect()
}

/// A registered performer with their totals and their rating at `now`; `None` for
/// an account that is not (or no longer) registered.
fn performer_view(
    view: &View,
    performer: &Performer,
    schedule: &Schedule,
    now: u64,
) -> Option<PerformerView> {
    let registry = performer.state.registry.as_ref()?;
    Some(PerformerView {
        account: show(&performer.account),
        profile: hex::encode(registry.profile),
        max_fee_bps: registry.max_fee_bps,
        splits: registry
            .splits
            .iter()
            .map(|(recipient, bps)| (show(recipient), *bps))
            .collect(),
        adult_verifier: performer.adult_verifier(&view.listings).as_ref().map(show),
        registered_block: registry.registered_block,
        totals: totals_view(performer),
        rating: rating_at(performer.state.score.as_ref(), schedule, now),
        public_profile: performer
            .state
            .profile
            .as_ref()
            .map(|stored| ProfileView::new(&performer.account, stored)),
        online: performer.online_at(now),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use livestars_indexer::profile::Profile;
    use livestars_indexer::rating::VersionedParams;
    use livestars_indexer::store::read::{PerformerRecord, PerformerState, TokenTotals};
    use livestars_indexer::store::StoredProfile;
    use rating_formula::{Contribution, Params, Scheduled, Score};
    use std::collections::BTreeMap;
    use std::sync::Arc;

    const LIVE: AccountId = [9; 32];
    const HOUR: u64 = 500_000;
    const TAGS: [&str; 6] = ["chat", "music", "dance", "art", "talk", "games"];
    const LANGUAGES: [&str; 5] = ["en", "pt-BR", "pt", "ja", "es-MX"];
    const NAMES: [&str; 8] = ["lúa", "nova", "mika", "luana", "ana", "ünï", "star", "x"];

    /// xorshift64*: the same views on every run.
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 33) as usize % n
        }
    }

    fn performer(rng: &mut Rng, n: u32) -> (AccountId, Arc<Performer>) {
        let mut account = [0; 32];
        account[..4].copy_from_slice(&n.to_be_bytes());
        let pick = |rng: &mut Rng, from: &[&str], most: usize| -> Vec<String> {
            let mut picked: Vec<String> = (0..rng.below(most + 1))
                .map(|_| from[rng.below(from.len())].to_owned())
                .collect();
            picked.sort();
            picked.dedup();
            picked
        };
        let profile = (rng.below(5) > 0).then(|| StoredProfile {
            profile: Profile {
                age_range: None,
                avatar: None,
                bio: String::new(),
                gender: None,
                languages: pick(rng, &LANGUAGES, 2),
                message_key: None,
                stream: None,
                schedule: None,
                stage_name: format!(
                    "{} {}",
                    NAMES[rng.below(NAMES.len())],
                    NAMES[rng.below(NAMES.len())]
                ),
                tags: pick(rng, &TAGS, 3),
            },
            commitment: [0; 32],
            avatar_type: None,
        });
        let burned = [0, 1, 5, 5, 40][rng.below(5)] as u128 * 1_000_000_000_000;
        let score = (burned > 0).then(|| {
            let mut score = Score::default();
            let tick = rating_formula::tick_of(HOUR * HOUR_MS);
            score
                .stake(&mut Contribution::default(), burned, tick)
                .expect("stake");
            score
        });
        let state = PerformerState {
            registry: Some(PerformerRecord {
                profile: [0; 32],
                max_fee_bps: 300,
                splits: Vec::new(),
                adult: None,
                registered_block: rng.below(4) as u32,
            }),
            totals: vec![TokenTotals {
                token: Some(LIVE),
                tips: 1,
                gross: burned * 100,
                net: burned,
                supporters: 1,
                last_tip_ms: 0,
            }],
            live_hours: Vec::new(),
            score,
            profile,
            presence: None,
        };
        (
            account,
            Arc::new(Performer::new(account, state, &LIVE, HOUR)),
        )
    }

    /// Whatever way `matching` takes, it lists what walking the whole order and
    /// keeping what passes lists.
    #[test]
    fn postings_and_walks_list_the_same_pages() {
        let mut rng = Rng(0x5eed);
        let performers: BTreeMap<_, _> = (0..400).map(|n| performer(&mut rng, n)).collect();
        let schedule = Scheduled::new(VersionedParams {
            version: 1,
            params: Params::LAUNCH,
        });
        let view = View::new(None, HOUR * HOUR_MS, Some(schedule), &[], performers);
        let sorts = [Sort::Account, Sort::Rating, Sort::Support, Sort::Newest];
        let (mut by_posting, mut nonempty) = (0, 0);
        for round in 0..3_000 {
            let sort = sorts[rng.below(sorts.len())];
            let some = |rng: &mut Rng, from: &[&str]| {
                (rng.below(3) == 0).then(|| from[rng.below(from.len())].to_owned())
            };
            let q = some(&mut rng, &NAMES).map(|name| {
                let chars: Vec<char> = name.chars().collect();
                let start = rng.below(chars.len());
                chars[start..=start + rng.below(chars.len() - start)]
                    .iter()
                    .collect::<String>()
            });
            let filters = Filters {
                tag: some(&mut rng, &TAGS),
                language: some(&mut rng, &["en", "pt", "pt-BR", "ja", "es", "de"]),
                q,
                min_rating: (rng.below(3) == 0).then(|| [0, 300_000, 500_000][rng.below(3)]),
                attested: None,
                online: None,
                now: 0,
            };
            let limit = 1 + rng.below(8);
            let order = view.order(sort.order());
            let cursor = (rng.below(2) == 0 && !order.is_empty()).then(|| {
                let i = order[rng.below(order.len())];
                (
                    sort_key(&view, sort, i),
                    view.registered[i as usize].account,
                )
            });
            let first = cursor.map_or(0, |(key, account)| {
                order.partition_point(|&i| {
                    let here = sort_key(&view, sort, i);
                    here > key || (here == key && view.registered[i as usize].account <= account)
                })
            });
            let expected: Vec<u32> = order[first..]
                .iter()
                .copied()
                .filter(|&i| filters.keep(&view, i))
                .take(limit + 1)
                .collect();
            let got = matching(&view, sort, &filters, cursor, limit);
            assert_eq!(got, expected, "round {round}: {sort:?} {:?}", filters.q);
            let budget = (((limit + 1) * order.len()) as f64).sqrt() as usize;
            by_posting += usize::from(filters.narrowest(&view).is_some_and(|p| p.len() <= budget));
            nonempty += usize::from(!expected.is_empty());
        }
        assert!(by_posting > 200, "postings taken {by_posting} times");
        assert!(nonempty > 500, "{nonempty} nonempty pages");
    }
}
