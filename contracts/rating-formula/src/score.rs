//! A performer's score, one supporter's contribution, and the rating they give.
//!
//! The only thing that counts is *stake*: LIVE burned by tips, which nobody can
//! get back. Support is the performer's decayed stake; a supporter's stars weigh
//! as much as their own decayed stake. Both are plain sums, so splitting money
//! across many accounts, leaving and coming back, or voting with dust buys
//! exactly as much rating as the same stake from honest, independent supporters.

use crate::clock::{decayed, epoch_of, grow, mul_div_floor, rebase, EPOCH_TICKS};
use crate::{Overflow, Params, BPS, MAX_STARS, MIN_STARS, PPM};

/// Everything the formula keeps per performer: O(1), whatever the history.
/// `support`, `vote_weight` and `vote_stars` are grown values of `epoch`
/// (see [`crate::clock`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Score {
    /// The epoch the grown values below belong to.
    pub epoch: u64,
    /// Sum of every supporter's stake.
    pub support: u128,
    /// Sum of the stake of supporters who gave stars.
    pub vote_weight: u128,
    /// Sum of `stake * stars` over those supporters.
    pub vote_stars: u128,
    /// How many supporters gave stars.
    pub voters: u32,
}

/// What one supporter contributed to one performer's score.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Contribution {
    /// The epoch `stake` belongs to.
    pub epoch: u64,
    /// The supporter's stake, grown to `epoch`.
    pub stake: u128,
    /// The supporter's stars, if given.
    pub stars: Option<u8>,
}

/// A performer's rating at one instant, broken into the terms that make it up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
pub struct Rating {
    /// The rating, 0..=1 000 000.
    pub rating_ppm: u32,
    /// Decayed stake of all supporters (token base units).
    pub support: u128,
    /// `support / (support + half_saturation)`, in ppm.
    pub support_ppm: u32,
    /// Weighted Bayesian average of the stars, in thousandths of a star.
    pub stars_milli: u32,
    /// Decayed stake of the supporters who gave stars.
    pub vote_weight: u128,
    /// How many supporters gave stars.
    pub voters: u32,
}

impl Contribution {
    fn rebase_to(&mut self, epoch: u64) {
        self.stake = rebase(self.stake, self.epoch, epoch);
        self.epoch = epoch;
    }
}

impl Score {
    fn rebase_to(&mut self, epoch: u64) {
        self.support = rebase(self.support, self.epoch, epoch);
        self.vote_weight = rebase(self.vote_weight, self.epoch, epoch);
        self.vote_stars = rebase(self.vote_stars, self.epoch, epoch);
        self.epoch = epoch;
    }

    /// Adds (`add: true`) or takes away the weight of `stake` voting `stars`.
    fn weigh_vote(&mut self, stake: u128, stars: u8, add: bool) -> Result<(), Overflow> {
        let weighted = stake.checked_mul(u128::from(stars)).ok_or(Overflow)?;
        if add {
            self.vote_weight = self.vote_weight.checked_add(stake).ok_or(Overflow)?;
            self.vote_stars = self.vote_stars.checked_add(weighted).ok_or(Overflow)?;
        } else {
            // The score's sums are at least the sum of its entries' (rounding of a
            // rebase only ever favours the sum), so these cannot go below zero.
            self.vote_weight = self.vote_weight.saturating_sub(stake);
            self.vote_stars = self.vote_stars.saturating_sub(weighted);
        }
        Ok(())
    }

    /// Counts `burned` tokens of stake from the supporter of `entry`, at `tick`.
    /// On error neither `self` nor `entry` changes.
    pub fn stake(
        &mut self,
        entry: &mut Contribution,
        burned: u128,
        tick: u64,
    ) -> Result<(), Overflow> {
        let (mut score, mut contribution) = (*self, *entry);
        let tick = align(&mut score, &mut contribution, tick);
        let grown = grow(burned, tick)?;
        contribution.stake = contribution.stake.checked_add(grown).ok_or(Overflow)?;
        score.support = score.support.checked_add(grown).ok_or(Overflow)?;
        if let Some(stars) = contribution.stars {
            score.weigh_vote(grown, stars, true)?;
        }
        (*self, *entry) = (score, contribution);
        Ok(())
    }

    /// Gives the supporter's `stars` (1..=5), replacing an earlier vote; returns
    /// that vote. On error nothing changes.
    pub fn vote(
        &mut self,
        entry: &mut Contribution,
        stars: u8,
        tick: u64,
    ) -> Result<Option<u8>, Overflow> {
        if !(MIN_STARS..=MAX_STARS).contains(&stars) {
            return Err(Overflow);
        }
        let (mut score, mut contribution) = (*self, *entry);
        align(&mut score, &mut contribution, tick);
        let previous = contribution.stars;
        match previous {
            Some(old) => score.weigh_vote(contribution.stake, old, false)?,
            None => score.voters = score.voters.checked_add(1).ok_or(Overflow)?,
        }
        score.weigh_vote(contribution.stake, stars, true)?;
        contribution.stars = Some(stars);
        (*self, *entry) = (score, contribution);
        Ok(previous)
    }

    /// Takes the supporter's whole contribution out: exactly their decayed stake
    /// and their vote. Returns their stake as it stood (decayed to `tick`).
    pub fn withdraw(&mut self, entry: &Contribution, tick: u64) -> u128 {
        let mut contribution = *entry;
        let tick = align(self, &mut contribution, tick);
        self.support = self.support.saturating_sub(contribution.stake);
        if let Some(stars) = contribution.stars {
            // Taking weight away never fails: only adding can overflow.
            let _ = self.weigh_vote(contribution.stake, stars, false);
            self.voters = self.voters.saturating_sub(1);
        }
        decayed(contribution.stake, tick)
    }

    /// Whether the score is worth nothing more than no score at all at `tick`:
    /// no support and no vote weight left, so deleting it changes no rating.
    pub fn is_spent(&self, tick: u64) -> bool {
        let mut score = *self;
        let tick = align_score(&mut score, tick);
        decayed(score.support, tick) == 0 && decayed(score.vote_weight, tick) == 0
    }

    /// The rating at `tick` under `params`.
    pub fn rating(&self, params: &Params, tick: u64) -> Rating {
        let mut score = *self;
        let tick = align_score(&mut score, tick);
        let support = decayed(score.support, tick);
        let vote_weight = decayed(score.vote_weight, tick);
        let vote_stars = decayed(score.vote_stars, tick);
        let support_ppm = ratio_ppm(
            support,
            support.saturating_add(params.support_half_saturation),
        );
        // Decayed sums never exceed the stake ever burned (at most MAX_COUNTED =
        // 2^100), so the products below stay far from 2^128.
        let numerator = params
            .prior_weight
            .saturating_mul(u128::from(params.prior_stars_milli))
            .saturating_add(vote_stars.saturating_mul(1_000));
        let denominator = params.prior_weight.saturating_add(vote_weight);
        let stars_milli = numerator
            .checked_div(denominator)
            .and_then(|milli| u32::try_from(milli).ok())
            .unwrap_or(params.prior_stars_milli);
        // stars_milli <= 5000, so stars_milli * 200 <= PPM.
        let stars_ppm = u128::from(stars_milli).saturating_mul(200);
        let star_weight = u128::from(params.star_weight_bps.min(BPS));
        let support_weight = u128::from(BPS).saturating_sub(star_weight);
        let weighted = star_weight
            .saturating_mul(stars_ppm)
            .saturating_add(support_weight.saturating_mul(u128::from(support_ppm)));
        let rating_ppm = weighted
            .checked_div(u128::from(BPS))
            .and_then(|ppm| u32::try_from(ppm).ok())
            .unwrap_or(PPM);
        Rating {
            rating_ppm,
            support,
            support_ppm,
            stars_milli,
            vote_weight,
            voters: score.voters,
        }
    }
}

/// Brings the score to the epoch of `tick` (never back: time does not run
/// backwards, so a tick before the score's epoch counts as that epoch's first).
/// Returns the tick to compute with.
fn align_score(score: &mut Score, tick: u64) -> u64 {
    let epoch = score.epoch.max(epoch_of(tick));
    score.rebase_to(epoch);
    tick.max(epoch.saturating_mul(EPOCH_TICKS))
}

/// [`align_score`] for a score and one of its entries together.
fn align(score: &mut Score, entry: &mut Contribution, tick: u64) -> u64 {
    let tick = align_score(score, tick.max(entry.epoch.saturating_mul(EPOCH_TICKS)));
    entry.rebase_to(score.epoch);
    tick
}

/// `floor(part * 1 000 000 / whole)`, and 0 when `whole` is 0.
fn ratio_ppm(part: u128, whole: u128) -> u32 {
    mul_div_floor(part, u128::from(PPM), whole)
        .and_then(|ppm| u32::try_from(ppm).ok())
        .unwrap_or(0)
}
