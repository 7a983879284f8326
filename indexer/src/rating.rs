//! The rating state replayed from the LIVE contract's events through `rating-formula`
//! itself, so every number is the contract's, bit for bit.
//!
//! The contract keeps a `Score` per performer and a `Contribution` per (performer,
//! viewer), changes them only through `Score::{stake, vote, withdraw}`, and
//! schedules its parameters with `Scheduled`. This module is the glue: which event
//! is which call ([`input`], [`apply`], [`announce`]) and the rating at an instant
//! ([`rating_at`]). The indexer applies each event to its derived tables; the audit
//! and the tests replay raw events in memory ([`Replay`]).

use crate::decode::{AccountId, LiveEvent, ParamsAnnounced, Rated, ScorePruned, SupporterRemoved};
use rating_formula::{tick_of, Contribution, Params, Rating, Scheduled, Score, CHANGE_DELAY_MS};
use std::collections::BTreeMap;

/// Rating parameters with the version the contract numbered them with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VersionedParams {
    pub version: u32,
    pub params: Params,
}

/// The parameters in force and the announced ones, as the contract schedules them.
pub type Schedule = Scheduled<VersionedParams>;

/// What one event changes in the rating state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Input {
    /// New parameters, applying from block time `effective_at` (ms).
    Announce {
        params: VersionedParams,
        effective_at: u64,
    },
    /// A change of `performer`'s score and, when named, of `viewer`'s contribution.
    Score {
        performer: AccountId,
        viewer: Option<AccountId>,
        change: Change,
    },
}

/// A change of one score, with the block time (ms) it happened at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// A LIVE tip burned `burned` as the viewer's stake.
    Stake { burned: u128, at: u64 },
    /// The viewer gave `stars`, replacing `previous` (as the contract reported it).
    Vote {
        stars: u8,
        previous: Option<u8>,
        at: u64,
    },
    /// The viewer's contribution left the score: `stake` is their decayed stake as
    /// the contract reported it.
    Withdraw { stake: u128, at: u64 },
    /// The spent score was deleted (the contributions stay, as in the contract).
    Prune,
}

/// An event that the contract could not have emitted from the replayed state.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReplayError {
    #[error("stars given or a contribution removed by a viewer without one")]
    NoEntry,
    #[error("the event replaces {reported:?} stars where the replay has {replayed:?}")]
    PreviousMismatch {
        reported: Option<u8>,
        replayed: Option<u8>,
    },
    #[error("the event withdraws a stake of {reported} where the replay has {replayed}")]
    StakeMismatch { reported: u128, replayed: u128 },
    #[error("a sum left the formula's range")]
    Overflow,
}

/// The rating input in `event`, an event of the LIVE contract at `live_token`.
/// Only LIVE tips and paid show time count (native tips burn nothing), exactly as
/// the contract stakes them.
pub fn input(event: &LiveEvent, live_token: &AccountId) -> Option<Input> {
    let score = |performer: &AccountId, viewer: Option<&AccountId>, change| Input::Score {
        performer: *performer,
        viewer: viewer.copied(),
        change,
    };
    Some(match event {
        LiveEvent::ParamsAnnounced(ParamsAnnounced {
            version,
            params,
            effective_at,
        }) => Input::Announce {
            params: VersionedParams {
                version: *version,
                params: *params,
            },
            effective_at: *effective_at,
        },
        LiveEvent::Tipped(tip) if tip.token.as_ref() == Some(live_token) && tip.burned > 0 => {
            score(
                &tip.performer,
                Some(&tip.viewer),
                Change::Stake {
                    burned: tip.burned,
                    at: tip.at,
                },
            )
        }
        // A show's stake counts by the same rule as a tip's.
        LiveEvent::ShowPaid(paid) if paid.burned > 0 => score(
            &paid.performer,
            Some(&paid.viewer),
            Change::Stake {
                burned: paid.burned,
                at: paid.at,
            },
        ),
        LiveEvent::Rated(Rated {
            performer,
            viewer,
            stars,
            previous,
            at,
        }) => score(
            performer,
            Some(viewer),
            Change::Vote {
                stars: *stars,
                previous: *previous,
                at: *at,
            },
        ),
        LiveEvent::SupporterRemoved(SupporterRemoved {
            performer,
            viewer,
            stake,
            at,
            ..
        }) => score(
            performer,
            Some(viewer),
            Change::Withdraw {
                stake: *stake,
                at: *at,
            },
        ),
        LiveEvent::ScorePruned(ScorePruned { performer }) => score(performer, None, Change::Prune),
        _ => return None,
    })
}

/// Applies `change` to a performer's score (`None`: none stored, which the contract
/// reads as the zero score) and the named viewer's contribution, as the contract does.
/// On error nothing changes.
pub fn apply(
    change: &Change,
    score: &mut Option<Score>,
    entry: &mut Option<Contribution>,
) -> Result<(), ReplayError> {
    let mut replayed = score.unwrap_or_default();
    match *change {
        Change::Stake { burned, at } => {
            let mut contribution = entry.unwrap_or_default();
            replayed
                .stake(&mut contribution, burned, tick_of(at))
                .map_err(|_| ReplayError::Overflow)?;
            *entry = Some(contribution);
        }
        Change::Vote {
            stars,
            previous,
            at,
        } => {
            let mut contribution = entry.ok_or(ReplayError::NoEntry)?;
            let replaced = replayed
                .vote(&mut contribution, stars, tick_of(at))
                .map_err(|_| ReplayError::Overflow)?;
            if replaced != previous {
                return Err(ReplayError::PreviousMismatch {
                    reported: previous,
                    replayed: replaced,
                });
            }
            *entry = Some(contribution);
        }
        Change::Withdraw { stake, at } => {
            let contribution = entry.ok_or(ReplayError::NoEntry)?;
            let withdrawn = replayed.withdraw(&contribution, tick_of(at));
            if withdrawn != stake {
                return Err(ReplayError::StakeMismatch {
                    reported: stake,
                    replayed: withdrawn,
                });
            }
            *entry = None;
        }
        Change::Prune => {
            *score = None;
            return Ok(());
        }
    }
    *score = Some(replayed);
    Ok(())
}

/// Takes in an announcement of `params` applying from `effective_at`. The first one
/// (the constructor's) is in force at once. A later one first settles what is due:
/// the event carries no block time, but the contract announces exactly
/// `CHANGE_DELAY_MS` ahead of its block time, so that time is recovered from it.
pub fn announce(schedule: &mut Option<Schedule>, params: VersionedParams, effective_at: u64) {
    match schedule {
        None => *schedule = Some(Scheduled::new(params)),
        Some(schedule) => {
            schedule.settle(effective_at.saturating_sub(CHANGE_DELAY_MS));
            schedule.next = Some((params, effective_at));
        }
    }
}

/// A performer's rating at block time `at` (ms) under the parameters in force then,
/// with their version; `score: None` rates like the zero score, as in the contract.
pub fn rating_at(schedule: &Schedule, score: Option<&Score>, at: u64) -> (u32, Rating) {
    let VersionedParams { version, params } = schedule.at(at);
    let rating = score
        .copied()
        .unwrap_or_default()
        .rating(&params, tick_of(at));
    (version, rating)
}

/// Rating state replayed in memory from events in chain order: every performer's
/// (the tests' recomputation) or one performer's with the announcements (the audit).
#[derive(Debug, Default)]
pub struct Replay {
    pub schedule: Option<Schedule>,
    pub scores: BTreeMap<AccountId, Score>,
    /// By (performer, viewer).
    pub contributions: BTreeMap<(AccountId, AccountId), Contribution>,
}

impl Replay {
    /// Applies the next input in chain order.
    pub fn apply(&mut self, input: &Input) -> Result<(), ReplayError> {
        match *input {
            Input::Announce {
                params,
                effective_at,
            } => announce(&mut self.schedule, params, effective_at),
            Input::Score {
                performer,
                viewer,
                change,
            } => {
                let mut score = self.scores.get(&performer).copied();
                let mut entry =
                    viewer.and_then(|v| self.contributions.get(&(performer, v)).copied());
                apply(&change, &mut score, &mut entry)?;
                put(&mut self.scores, performer, score);
                if let Some(viewer) = viewer {
                    put(&mut self.contributions, (performer, viewer), entry);
                }
            }
        }
        Ok(())
    }

    /// `performer`'s rating at block time `at`; `None` before any parameters.
    pub fn rating(&self, performer: &AccountId, at: u64) -> Option<(u32, Rating)> {
        let schedule = self.schedule.as_ref()?;
        Some(rating_at(schedule, self.scores.get(performer), at))
    }
}

fn put<K: Ord, V>(map: &mut BTreeMap<K, V>, key: K, value: Option<V>) {
    match value {
        Some(value) => map.insert(key, value),
        None => map.remove(&key),
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::Tipped;
    use rating_formula::clock::TICK_MS;

    const LIVE: u128 = 1_000_000_000_000;
    const TOKEN: AccountId = [9; 32];
    const PERFORMER: AccountId = [1; 32];
    const VIEWER: AccountId = [2; 32];

    fn tip(token: Option<AccountId>, burned: u128, at: u64) -> LiveEvent {
        LiveEvent::Tipped(Tipped {
            viewer: VIEWER,
            performer: PERFORMER,
            tip_id: 0,
            token,
            gross: burned * 100,
            platform_fee: 0,
            treasury: [3; 32],
            burned,
            splits: Vec::new(),
            net: burned * 99,
            memo: None,
            at,
        })
    }

    fn announced(version: u32, burn_bps: u16, effective_at: u64) -> Input {
        Input::Announce {
            params: VersionedParams {
                version,
                params: Params {
                    burn_bps,
                    ..Params::LAUNCH
                },
            },
            effective_at,
        }
    }

    fn replay(events: &[LiveEvent]) -> Result<Replay, ReplayError> {
        let mut replay = Replay::default();
        replay.apply(&announced(1, 100, 0))?;
        for event in events {
            if let Some(input) = input(event, &TOKEN) {
                replay.apply(&input)?;
            }
        }
        Ok(replay)
    }

    #[test]
    fn only_live_tips_stake_and_the_replay_is_the_formula() {
        let at = 40 * TICK_MS;
        let replay = replay(&[
            tip(Some(TOKEN), LIVE, at),
            tip(None, 0, at),
            tip(Some([8; 32]), LIVE, at),
            LiveEvent::Rated(Rated {
                performer: PERFORMER,
                viewer: VIEWER,
                stars: 4,
                previous: None,
                at,
            }),
        ])
        .unwrap();
        let (mut score, mut entry) = (Score::default(), Contribution::default());
        score.stake(&mut entry, LIVE, tick_of(at)).unwrap();
        score.vote(&mut entry, 4, tick_of(at)).unwrap();
        assert_eq!(replay.scores[&PERFORMER], score);
        assert_eq!(replay.contributions[&(PERFORMER, VIEWER)], entry);
        assert_eq!(
            replay.rating(&PERFORMER, at),
            Some((1, score.rating(&Params::LAUNCH, tick_of(at))))
        );
    }

    #[test]
    fn events_the_contract_could_not_emit_are_refused() {
        let rated = |previous| {
            LiveEvent::Rated(Rated {
                performer: PERFORMER,
                viewer: VIEWER,
                stars: 5,
                previous,
                at: 0,
            })
        };
        assert_eq!(replay(&[rated(None)]).unwrap_err(), ReplayError::NoEntry);
        assert_eq!(
            replay(&[tip(Some(TOKEN), LIVE, 0), rated(Some(3))]).unwrap_err(),
            ReplayError::PreviousMismatch {
                reported: Some(3),
                replayed: None
            }
        );
        let removed = |stake| {
            LiveEvent::SupporterRemoved(SupporterRemoved {
                performer: PERFORMER,
                viewer: VIEWER,
                stake,
                stars: None,
                at: 0,
            })
        };
        let stake = replay(&[tip(Some(TOKEN), LIVE, 0)]).unwrap().scores[&PERFORMER]
            .rating(&Params::LAUNCH, 0)
            .support;
        let after = replay(&[tip(Some(TOKEN), LIVE, 0), removed(stake)]).unwrap();
        assert!(after.contributions.is_empty());
        assert!(matches!(
            replay(&[tip(Some(TOKEN), LIVE, 0), removed(stake + 1)]),
            Err(ReplayError::StakeMismatch { .. })
        ));
    }

    #[test]
    fn pruning_deletes_the_score_but_not_the_contributions() {
        let replay = replay(&[
            tip(Some(TOKEN), LIVE, 0),
            LiveEvent::ScorePruned(ScorePruned {
                performer: PERFORMER,
            }),
        ])
        .unwrap();
        assert!(replay.scores.is_empty());
        assert_eq!(replay.contributions.len(), 1);
    }

    #[test]
    fn announcements_apply_after_the_delay_as_scheduled_on_chain() {
        let mut replay = Replay::default();
        replay.apply(&announced(1, 100, 5)).unwrap();
        // Announced at t = 10: applies from 10 + CHANGE_DELAY_MS.
        let from = 10 + CHANGE_DELAY_MS;
        replay.apply(&announced(2, 150, from)).unwrap();
        let mut on_chain = Scheduled::new(1u32);
        on_chain.announce(2, 10).unwrap();
        let version = |at| replay.rating(&PERFORMER, at).unwrap().0;
        assert_eq!((version(from - 1), version(from)), (1, 2));
        // Announced again once version 2 is due: 2 settles, 3 waits its turn.
        replay
            .apply(&announced(3, 120, from + CHANGE_DELAY_MS))
            .unwrap();
        on_chain.announce(3, from).unwrap();
        let schedule = replay.schedule.unwrap();
        assert_eq!(schedule.current.version, on_chain.current);
        assert_eq!(schedule.next.map(|(p, at)| (p.version, at)), on_chain.next);
    }
}
