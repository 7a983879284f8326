//! Replays rating events into scores, exactly as the `rating` contract computes them.
//!
//! The indexer applies each event incrementally to its derived tables; the audit
//! replays a performer's whole history from the raw events ([`Replay`]). Both go
//! through [`apply`], which mirrors `contracts/rating/lib.rs` step by step.

use crate::decode::{AccountId, RatingEvent};
use rating_formula::{support_increment, Params, Score, Support};
use std::collections::HashMap;

/// A performer's live score with the identity that voids older supporter entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScoreState {
    /// Opaque and unique: the position `(block << 32) | event_index` of the tip that
    /// opened the score.
    pub id: i64,
    pub score: Score,
}

/// One viewer's contribution to one performer's score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SupporterState {
    pub score_id: i64,
    pub tipped: u128,
    pub stars: Option<u8>,
    pub support: Support,
}

/// An event that the contract could not have emitted from the replayed state.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ReplayError {
    #[error("support recorded without a preceding running total of {expected}")]
    TotalMismatch { expected: u128 },
    #[error("stars given or removed by a viewer without a live entry")]
    NoEntry,
    #[error("a counter overflowed")]
    Overflow,
    #[error("a rating event precedes the first parameters")]
    NoParams,
}

/// One performer's history replayed in memory, with the parameters in force.
/// Feed it the performer's events and every `ParamsChanged`, in chain order.
#[derive(Debug, Default)]
pub struct Replay {
    /// The parameters (and their version) as of the last event applied.
    pub params: Option<(u32, Params)>,
    /// The performer's score, `None` before the first counted tip or after erasure.
    pub score: Option<ScoreState>,
    supporters: HashMap<AccountId, SupporterState>,
}

impl Replay {
    /// Applies the next event of the history; `position` as in [`position`].
    pub fn apply(&mut self, event: &RatingEvent, position: i64) -> Result<(), ReplayError> {
        if let RatingEvent::ParamsChanged { version, params } = event {
            self.params = Some((*version, *params));
            return Ok(());
        }
        let (_, params) = self.params.ok_or(ReplayError::NoParams)?;
        let viewer = event.viewer().copied();
        let mut entry = viewer.and_then(|v| self.supporters.get(&v).copied());
        apply(event, &params, &mut self.score, &mut entry, position)?;
        if let Some(viewer) = viewer {
            match entry {
                Some(entry) => self.supporters.insert(viewer, entry),
                None => self.supporters.remove(&viewer),
            };
        }
        Ok(())
    }
}

/// Applies one performer-scoped event to that performer's score and the named
/// viewer's entry (`ScoreErased` needs no entry). `position` identifies the event.
pub fn apply(
    event: &RatingEvent,
    params: &Params,
    score: &mut Option<ScoreState>,
    supporter: &mut Option<SupporterState>,
    position: i64,
) -> Result<(), ReplayError> {
    match *event {
        RatingEvent::SupportRecorded {
            amount,
            viewer_total,
            at,
            ..
        } => {
            let entry = score.get_or_insert(ScoreState {
                id: position,
                score: Score::default(),
            });
            let mut viewer =
                supporter
                    .filter(|s| s.score_id == entry.id)
                    .unwrap_or(SupporterState {
                        score_id: entry.id,
                        tipped: 0,
                        stars: None,
                        support: Support::default(),
                    });
            if viewer.tipped.checked_add(amount) != Some(viewer_total) {
                return Err(ReplayError::TotalMismatch {
                    expected: viewer.tipped,
                });
            }
            let increment = support_increment(viewer.tipped, viewer_total)
                .map_err(|_| ReplayError::Overflow)?;
            entry
                .score
                .support
                .add(params, increment, at)
                .map_err(|_| ReplayError::Overflow)?;
            viewer
                .support
                .add(params, increment, at)
                .map_err(|_| ReplayError::Overflow)?;
            viewer.tipped = viewer_total;
            *supporter = Some(viewer);
        }
        RatingEvent::Rated {
            stars, previous, ..
        } => {
            let entry = score.as_mut().ok_or(ReplayError::NoEntry)?;
            let viewer = supporter
                .as_mut()
                .filter(|s| s.score_id == entry.id)
                .ok_or(ReplayError::NoEntry)?;
            entry
                .score
                .replace_stars(previous, Some(stars))
                .map_err(|_| ReplayError::Overflow)?;
            viewer.stars = Some(stars);
        }
        RatingEvent::SupporterRemoved {
            support, stars, at, ..
        } => {
            let viewer = supporter.take().ok_or(ReplayError::NoEntry)?;
            if let Some(entry) = score.as_mut().filter(|e| e.id == viewer.score_id) {
                entry
                    .score
                    .replace_stars(stars, None)
                    .map_err(|_| ReplayError::Overflow)?;
                entry.score.support.remove(params, support, at);
            }
        }
        RatingEvent::ScoreErased { .. } => *score = None,
        RatingEvent::ParamsChanged { .. } => {}
    }
    Ok(())
}

/// A position that orders and identifies an event on the chain.
pub fn position(block_number: u32, event_index: u32) -> i64 {
    (i64::from(block_number) << 32) | i64::from(event_index)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIVE: u128 = 1_000_000_000_000;

    fn recorded(amount: u128, viewer_total: u128, at: u64) -> RatingEvent {
        RatingEvent::SupportRecorded {
            performer: [1; 32],
            viewer: [2; 32],
            amount,
            viewer_total,
            at,
        }
    }

    #[test]
    fn support_is_the_root_of_the_running_total() {
        let params = Params::LAUNCH;
        let (mut score, mut viewer) = (None, None);
        apply(
            &recorded(LIVE, LIVE, 0),
            &params,
            &mut score,
            &mut viewer,
            1,
        )
        .unwrap();
        apply(
            &recorded(3 * LIVE, 4 * LIVE, 0),
            &params,
            &mut score,
            &mut viewer,
            2,
        )
        .unwrap();
        assert_eq!(score.unwrap().score.support.value, (4 * LIVE).isqrt());
        assert_eq!(viewer.unwrap().tipped, 4 * LIVE);
    }

    #[test]
    fn a_total_that_skips_a_tip_is_refused() {
        let params = Params::LAUNCH;
        let (mut score, mut viewer) = (None, None);
        apply(
            &recorded(LIVE, LIVE, 0),
            &params,
            &mut score,
            &mut viewer,
            1,
        )
        .unwrap();
        assert_eq!(
            apply(
                &recorded(LIVE, 3 * LIVE, 0),
                &params,
                &mut score,
                &mut viewer,
                2
            ),
            Err(ReplayError::TotalMismatch { expected: LIVE })
        );
    }

    #[test]
    fn erasure_voids_entries_and_removal_then_gives_nothing_back() {
        let params = Params::LAUNCH;
        let (mut score, mut viewer) = (None, None);
        apply(
            &recorded(LIVE, LIVE, 0),
            &params,
            &mut score,
            &mut viewer,
            1,
        )
        .unwrap();
        let erase = RatingEvent::ScoreErased { performer: [1; 32] };
        apply(&erase, &params, &mut score, &mut viewer, 2).unwrap();
        assert_eq!(score, None);
        // A fresh tip opens a new score; the void entry starts again from zero.
        apply(
            &recorded(LIVE, LIVE, 5),
            &params,
            &mut score,
            &mut viewer,
            3,
        )
        .unwrap();
        assert_eq!(score.unwrap().id, 3);
        let rated = RatingEvent::Rated {
            performer: [1; 32],
            viewer: [2; 32],
            stars: 5,
            previous: None,
            at: 5,
        };
        apply(&rated, &params, &mut score, &mut viewer, 4).unwrap();
        assert_eq!(score.unwrap().score.star_sum, 5);
    }

    #[test]
    fn a_replay_needs_parameters_first_and_keeps_each_viewer_apart() {
        let mut replay = Replay::default();
        assert_eq!(
            replay.apply(&recorded(LIVE, LIVE, 0), 1),
            Err(ReplayError::NoParams)
        );
        let params = RatingEvent::ParamsChanged {
            version: 1,
            params: Params::LAUNCH,
        };
        replay.apply(&params, 2).unwrap();
        replay.apply(&recorded(LIVE, LIVE, 0), 3).unwrap();
        let other_viewer = RatingEvent::SupportRecorded {
            performer: [1; 32],
            viewer: [3; 32],
            amount: LIVE,
            viewer_total: LIVE,
            at: 0,
        };
        replay.apply(&other_viewer, 4).unwrap();
        // The first viewer's running total carries on from their own entry.
        replay.apply(&recorded(LIVE, 2 * LIVE, 0), 5).unwrap();
        assert_eq!(
            replay.score.unwrap().score.support.value,
            (2 * LIVE).isqrt() + LIVE.isqrt()
        );
        assert_eq!(replay.params, Some((1, Params::LAUNCH)));
    }
}
