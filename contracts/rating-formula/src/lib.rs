//! The open livestars rating formula, as specified in `docs/RATING.md`.
//!
//! Pure integer arithmetic with no dependency on the chain, so the `rating` contract
//! and any auditor replaying its events compute bit-identical numbers. Every
//! operation is O(1): recency is applied lazily when a score is touched, never by
//! iterating over history.
#![cfg_attr(not(feature = "std"), no_std)]

/// Parts per million: the unit of every score in `[0, 1]`.
pub const PPM: u32 = 1_000_000;
/// Basis points: the unit of the star/support weighting.
pub const BPS: u16 = 10_000;
/// Stars are given in whole steps from 1 to 5; averages are kept in thousandths.
pub const MIN_STARS: u8 = 1;
/// See [`MIN_STARS`].
pub const MAX_STARS: u8 = 5;
/// Shortest allowed half-life: one hour, so support cannot be made to vanish at once.
pub const MIN_HALF_LIFE_MS: u64 = 3_600_000;
/// Longest allowed half-life: ten years; also keeps [`decay`]'s products in range.
pub const MAX_HALF_LIFE_MS: u64 = 10 * 365 * 24 * 3_600_000;
/// Largest prior weight: more would make real votes irrelevant.
pub const MAX_PRIOR_WEIGHT: u32 = 1_000_000;

/// The tunable constants of the formula; the contract stores them with a version.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "codec", ink::scale_derive(Encode, Decode, TypeInfo))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Params {
    /// Smallest tip (token base units) that counts as support and makes its sender
    /// eligible to give stars: dust tips from throwaway accounts count for nothing.
    pub min_tip: u128,
    /// Time (ms) after which support counts half.
    pub half_life_ms: u64,
    /// Prior mean of the star average, in thousandths of a star (1000..=5000).
    pub prior_stars_milli: u32,
    /// How many virtual votes at the prior mean every performer starts with.
    pub prior_weight: u32,
    /// Decayed support (in square-root units) at which the support score is 50%.
    pub support_half_saturation: u128,
    /// Share of the star score in the final rating, in basis points; the rest is support.
    pub star_weight_bps: u16,
}

impl Params {
    /// The launch parameters (version 1): 1 LIVE minimum tip at 12 decimals, 30-day
    /// half-life, prior of 10 votes at 3 stars, half saturation at 10^8 (for example
    /// 100 supporters of 1 LIVE each), stars and support weighted equally.
    pub const LAUNCH: Params = Params {
        min_tip: 1_000_000_000_000,
        half_life_ms: 30 * 24 * 3_600_000,
        prior_stars_milli: 3_000,
        prior_weight: 10,
        support_half_saturation: 100_000_000,
        star_weight_bps: 5_000,
    };

    /// Rejects parameter sets for which the formula is undefined or degenerate.
    pub fn validate(&self) -> Result<(), ParamsError> {
        if self.min_tip == 0 {
            return Err(ParamsError::MinTipZero);
        }
        if !(MIN_HALF_LIFE_MS..=MAX_HALF_LIFE_MS).contains(&self.half_life_ms) {
            return Err(ParamsError::HalfLifeOutOfRange);
        }
        // MIN_STARS..=MAX_STARS in thousandths
        let star_range = 1_000..=5_000;
        if !star_range.contains(&self.prior_stars_milli) {
            return Err(ParamsError::PriorStarsOutOfRange);
        }
        if self.prior_weight > MAX_PRIOR_WEIGHT {
            return Err(ParamsError::PriorWeightTooLarge);
        }
        if self.support_half_saturation == 0 {
            return Err(ParamsError::HalfSaturationZero);
        }
        if self.star_weight_bps > BPS {
            return Err(ParamsError::StarWeightOutOfRange);
        }
        Ok(())
    }
}

/// Why a parameter set was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "codec", ink::scale_derive(Encode, Decode, TypeInfo))]
pub enum ParamsError {
    /// `min_tip` must be at least 1.
    MinTipZero,
    /// `half_life_ms` must lie in `MIN_HALF_LIFE_MS..=MAX_HALF_LIFE_MS`.
    HalfLifeOutOfRange,
    /// `prior_stars_milli` must lie in `1000..=5000`.
    PriorStarsOutOfRange,
    /// `prior_weight` must be at most `MAX_PRIOR_WEIGHT`.
    PriorWeightTooLarge,
    /// `support_half_saturation` must be at least 1.
    HalfSaturationZero,
    /// `star_weight_bps` must be at most 10 000.
    StarWeightOutOfRange,
}

/// A counter would leave its integer type; the update is refused, nothing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Overflow;

/// An amount of support that fades with time: its value as of `updated_at`.
/// Kept per performer (the total) and per supporter (their own share), updated
/// the same way, so a supporter who leaves takes exactly their faded share along.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "codec", ink::scale_derive(Encode, Decode, TypeInfo))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Support {
    /// Square-root units, decayed up to `updated_at`.
    pub value: u128,
    /// Block time (ms) of the last update.
    pub updated_at: u64,
}

impl Support {
    /// The value at `now`, after recency decay.
    pub fn at(&self, params: &Params, now: u64) -> u128 {
        decay(
            self.value,
            now.saturating_sub(self.updated_at),
            params.half_life_ms,
        )
    }

    /// Decays to `now`, then adds `amount`.
    pub fn add(&mut self, params: &Params, amount: u128, now: u64) -> Result<(), Overflow> {
        self.value = self.at(params, now).checked_add(amount).ok_or(Overflow)?;
        self.updated_at = now.max(self.updated_at);
        Ok(())
    }

    /// Decays to `now`, then takes away `amount` (down to zero at most).
    pub fn remove(&mut self, params: &Params, amount: u128, now: u64) {
        self.value = self.at(params, now).saturating_sub(amount);
        self.updated_at = now.max(self.updated_at);
    }
}

/// The support a counted tip adds when it raises one supporter's running total
/// from `previous_total` to `new_total`: the difference of the square roots, so a
/// supporter's whole influence is the root of all they tipped.
pub fn support_increment(previous_total: u128, new_total: u128) -> Result<u128, Overflow> {
    new_total
        .isqrt()
        .checked_sub(previous_total.isqrt())
        .ok_or(Overflow)
}

/// Everything the formula keeps per performer: O(1) state, whatever the history.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "codec", ink::scale_derive(Encode, Decode, TypeInfo))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Score {
    /// The performer's total support.
    pub support: Support,
    /// Number of supporters who gave stars.
    pub star_count: u32,
    /// Sum of their stars.
    pub star_sum: u64,
}

/// A performer's rating at one instant, broken into the terms that make it up.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[cfg_attr(feature = "codec", ink::scale_derive(Encode, Decode, TypeInfo))]
pub struct Rating {
    /// The rating, 0..=1 000 000.
    pub rating_ppm: u32,
    /// Support decayed to the instant asked for, in square-root units.
    pub support: u128,
    /// `support / (support + half_saturation)`, in ppm.
    pub support_ppm: u32,
    /// Bayesian average of the stars, in thousandths of a star.
    pub stars_milli: u32,
    /// Number of supporters who gave stars.
    pub star_count: u32,
}

impl Score {
    /// Replaces one supporter's stars (`None` = none given) by `new`.
    pub fn replace_stars(&mut self, old: Option<u8>, new: Option<u8>) -> Result<(), Overflow> {
        let (mut count, mut sum) = (self.star_count, self.star_sum);
        if let Some(old) = old {
            count = count.checked_sub(1).ok_or(Overflow)?;
            sum = sum.checked_sub(u64::from(old)).ok_or(Overflow)?;
        }
        if let Some(new) = new {
            count = count.checked_add(1).ok_or(Overflow)?;
            sum = sum.checked_add(u64::from(new)).ok_or(Overflow)?;
        }
        self.star_count = count;
        self.star_sum = sum;
        Ok(())
    }

    /// The rating at `now`.
    pub fn rating(&self, params: &Params, now: u64) -> Rating {
        let support = self.support.at(params, now);
        let support_ppm = ratio_ppm(
            support,
            support.saturating_add(params.support_half_saturation),
        );
        let stars_milli = bayesian_stars_milli(params, self.star_count, self.star_sum);
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
            star_count: self.star_count,
        }
    }
}

/// `floor((prior_weight * prior_stars_milli + 1000 * star_sum) / (prior_weight + star_count))`,
/// in thousandths of a star; the prior mean when nobody has voted and the prior weight is 0.
pub fn bayesian_stars_milli(params: &Params, star_count: u32, star_sum: u64) -> u32 {
    let numerator = u128::from(params.prior_weight)
        .saturating_mul(u128::from(params.prior_stars_milli))
        .saturating_add(u128::from(star_sum).saturating_mul(1_000));
    let denominator = u128::from(params.prior_weight).saturating_add(u128::from(star_count));
    numerator
        .checked_div(denominator)
        .and_then(|milli| u32::try_from(milli).ok())
        .unwrap_or(params.prior_stars_milli)
}

/// `floor(part * 1 000 000 / whole)`, and 0 when `whole` is 0.
fn ratio_ppm(part: u128, whole: u128) -> u32 {
    mul_div_floor(part, u128::from(PPM), whole)
        .and_then(|ppm| u32::try_from(ppm).ok())
        .unwrap_or(0)
}

/// Recency: `value` after `elapsed_ms`, halved once per whole half-life and, within
/// the last partial half-life of length `r`, reduced linearly by `floor(v * r / (2 * h))`.
/// A half-life of 0 means no decay. Non-increasing in `elapsed_ms`.
pub fn decay(value: u128, elapsed_ms: u64, half_life_ms: u64) -> u128 {
    let (Some(halvings), Some(rest)) = (
        elapsed_ms.checked_div(half_life_ms),
        elapsed_ms.checked_rem(half_life_ms),
    ) else {
        return value;
    };
    let halved = u32::try_from(halvings)
        .ok()
        .and_then(|halvings| value.checked_shr(halvings))
        .unwrap_or(0);
    let cut = mul_div_floor(
        halved,
        u128::from(rest),
        u128::from(half_life_ms).saturating_mul(2),
    )
    .unwrap_or(0);
    halved.saturating_sub(cut)
}

/// `floor(a * b / c)` computed exactly through a 256-bit product; `None` when `c` is
/// 0 or the quotient does not fit in 128 bits.
pub fn mul_div_floor(a: u128, b: u128, c: u128) -> Option<u128> {
    if c == 0 {
        return None;
    }
    let (high, low) = widening_mul(a, b);
    if high == 0 {
        return low.checked_div(c);
    }
    if high >= c {
        return None;
    }
    // Long division of (high, low) by c, one bit of `low` at a time; `high < c`
    // keeps every partial quotient bit in range.
    let mut remainder = high;
    let mut quotient: u128 = 0;
    for bit in (0..128u32).rev() {
        let carry = remainder >> 127;
        let next_bit = low.checked_shr(bit).unwrap_or(0) & 1;
        remainder = remainder.wrapping_shl(1) | next_bit;
        quotient = quotient.wrapping_shl(1);
        if carry == 1 || remainder >= c {
            remainder = remainder.wrapping_sub(c);
            quotient |= 1;
        }
    }
    Some(quotient)
}

/// The full 256-bit product of two `u128`s as `(high, low)` halves.
fn widening_mul(a: u128, b: u128) -> (u128, u128) {
    const LOW_64: u128 = u64::MAX as u128;
    let (a_high, a_low) = (a >> 64, a & LOW_64);
    let (b_high, b_low) = (b >> 64, b & LOW_64);
    // Each partial product of two 64-bit halves fits in 128 bits; the sums below
    // are bounded by the true product, which fits in 256 bits.
    let low_low = a_low.wrapping_mul(b_low);
    let low_high = a_low.wrapping_mul(b_high);
    let high_low = a_high.wrapping_mul(b_low);
    let high_high = a_high.wrapping_mul(b_high);
    let middle = (low_low >> 64)
        .wrapping_add(low_high & LOW_64)
        .wrapping_add(high_low & LOW_64);
    let low = (low_low & LOW_64) | middle.wrapping_shl(64);
    let high = high_high
        .wrapping_add(low_high >> 64)
        .wrapping_add(high_low >> 64)
        .wrapping_add(middle >> 64);
    (high, low)
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;
