//! The rating's tunable constants, their bounds, and the time lock on every change.

use crate::{Overflow, BPS, MAX_COUNTED};

/// Every owner change (rating parameters, platform fee, treasury) takes effect
/// this long after it is announced: 7 days of block time, so performers and
/// viewers can see it coming and react.
pub const CHANGE_DELAY_MS: u64 = 7 * 24 * 3_600_000;
/// The rating stake can never be set above 2% of a tip.
pub const MAX_BURN_BPS: u16 = 200;
/// Smallest half saturation and prior weight: 0.01 LIVE of stake (at 12 decimals),
/// so neither a single tiny tip nor a single vote can decide the rating.
pub const MIN_WEIGHT: u128 = 10_000_000_000;

/// The tunable constants of the formula; the contract stores them with a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Params {
    /// Share of every LIVE tip that is burned as its *stake*, the only thing the
    /// rating counts (basis points, `1..=MAX_BURN_BPS`).
    pub burn_bps: u16,
    /// Decayed stake (token base units) at which the support score is 50%.
    pub support_half_saturation: u128,
    /// Prior mean of the star average, in thousandths of a star (1000..=5000).
    pub prior_stars_milli: u32,
    /// Weight of the prior, in the same units as a vote's weight (stake).
    pub prior_weight: u128,
    /// Share of the star score in the final rating, in basis points; the rest is support.
    pub star_weight_bps: u16,
}

impl Params {
    /// The launch parameters of version 2: 1% of each tip burned as stake; support
    /// at 50% with 10 LIVE of decayed stake (1 000 LIVE of tips); the prior weighs
    /// as much as 1 LIVE of stake (100 LIVE of tips) at 3 stars; stars and support
    /// weighted equally.
    pub const LAUNCH: Params = Params {
        burn_bps: 100,
        support_half_saturation: 10_000_000_000_000,
        prior_stars_milli: 3_000,
        prior_weight: 1_000_000_000_000,
        star_weight_bps: 5_000,
    };

    /// Rejects parameter sets for which the formula is undefined or degenerate.
    pub fn validate(&self) -> Result<(), ParamsError> {
        if !(1..=MAX_BURN_BPS).contains(&self.burn_bps) {
            return Err(ParamsError::BurnOutOfRange);
        }
        if !(MIN_WEIGHT..=MAX_COUNTED).contains(&self.support_half_saturation) {
            return Err(ParamsError::HalfSaturationOutOfRange);
        }
        if !(1_000..=5_000).contains(&self.prior_stars_milli) {
            return Err(ParamsError::PriorStarsOutOfRange);
        }
        if !(MIN_WEIGHT..=MAX_COUNTED).contains(&self.prior_weight) {
            return Err(ParamsError::PriorWeightOutOfRange);
        }
        if self.star_weight_bps > BPS {
            return Err(ParamsError::StarWeightOutOfRange);
        }
        Ok(())
    }
}

/// Why a parameter set was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
pub enum ParamsError {
    /// `burn_bps` must lie in `1..=MAX_BURN_BPS`.
    BurnOutOfRange,
    /// `support_half_saturation` must lie in `MIN_WEIGHT..=MAX_COUNTED`.
    HalfSaturationOutOfRange,
    /// `prior_stars_milli` must lie in `1000..=5000`.
    PriorStarsOutOfRange,
    /// `prior_weight` must lie in `MIN_WEIGHT..=MAX_COUNTED`.
    PriorWeightOutOfRange,
    /// `star_weight_bps` must be at most 10 000.
    StarWeightOutOfRange,
}

/// A value under a time lock: the one in force, and the next one with the block
/// time from which it applies. Reading never needs a transaction: at any instant
/// the value in force is a function of the announcements alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Scheduled<T> {
    /// The value in force until `next` applies.
    pub current: T,
    /// The announced value and the block time (ms) from which it applies.
    pub next: Option<(T, u64)>,
}

impl<T: Copy> Scheduled<T> {
    /// `value` in force from the start.
    pub fn new(value: T) -> Self {
        Self {
            current: value,
            next: None,
        }
    }

    /// The value in force at block time `now`.
    pub fn at(&self, now: u64) -> T {
        match self.next {
            Some((next, from)) if now >= from => next,
            _ => self.current,
        }
    }

    /// Folds an announced value into `current` once it applies; `true` if it did.
    pub fn settle(&mut self, now: u64) -> bool {
        let due = matches!(self.next, Some((_, from)) if now >= from);
        if due {
            self.current = self.at(now);
            self.next = None;
        }
        due
    }

    /// Announces `value` at `now`, to apply from `now + CHANGE_DELAY_MS`; a
    /// change announced earlier that has not applied yet is replaced. Returns the
    /// block time from which `value` applies.
    pub fn announce(&mut self, value: T, now: u64) -> Result<u64, Overflow> {
        let from = now.checked_add(CHANGE_DELAY_MS).ok_or(Overflow)?;
        self.settle(now);
        self.next = Some((value, from));
        Ok(from)
    }
}
