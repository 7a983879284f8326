//! How a livestars tip divides, and which splits a performer may set.
//!
//! Plain Rust with no chain dependency (the account type is a parameter), so the
//! LIVE contract is a thin shell over it and the rules are tested without ink!.
//! Every share is `floor(gross * bps / 10 000)` and the performer gets the rest:
//! `platform_fee + burned + splits + net == gross`, always.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

use alloc::vec::Vec;

/// Basis points in a whole.
pub const BPS: u16 = 10_000;
/// The platform fee can never be set above 5%.
pub const MAX_PLATFORM_FEE_BPS: u16 = 500;
/// A performer may accept at most this much of a tip going to anyone but
/// themselves and their splits: the platform fee's cap plus the rating stake's.
pub const MAX_FEE_BPS: u16 = MAX_PLATFORM_FEE_BPS + rating_stake_cap();
/// A performer may name at most this many split recipients (bounds every tip's work).
pub const MAX_SPLITS: usize = 4;

/// The cap on the rating stake (`rating_formula::params::MAX_BURN_BPS`), repeated
/// here so this crate needs no dependency; a test checks they agree.
const fn rating_stake_cap() -> u16 {
    200
}

/// A share of every tip that a performer sends on, for example to a studio.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Split<A> {
    pub recipient: A,
    pub bps: u16,
}

/// How one tip divides.
#[derive(Debug, PartialEq, Eq, Clone)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
pub struct Division<A> {
    /// To the platform's treasury.
    pub platform_fee: u128,
    /// Burned: the tip's stake in the rating.
    pub burned: u128,
    /// To each of the performer's split recipients.
    pub splits: Vec<(A, u128)>,
    /// To the performer: the rest.
    pub net: u128,
}

/// Why a division or a list of splits was refused.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub enum SettlementError {
    /// More than `MAX_SPLITS` splits.
    TooManySplits,
    /// A split of 0 bps, or a recipient named twice.
    InvalidSplit,
    /// A recipient that would lock funds or move nothing (the performer, the
    /// contract itself, the zero account).
    InvalidRecipient,
    /// The shares exceed the whole tip.
    SplitsExceedTip,
}

/// `floor(amount * bps / 10 000)`, without overflow for any `amount`.
pub fn share(amount: u128, bps: u16) -> u128 {
    let whole = u128::from(BPS);
    let bps = u128::from(bps.min(BPS));
    // (q * whole + r) * bps / whole = q * bps + r * bps / whole, and q * bps <= amount.
    let quotient = amount.checked_div(whole).unwrap_or(0);
    let remainder = amount.checked_rem(whole).unwrap_or(0);
    let low = remainder
        .saturating_mul(bps)
        .checked_div(whole)
        .unwrap_or(0);
    quotient.saturating_mul(bps).saturating_add(low)
}

/// Divides `gross`: the platform fee, the burned stake, each split, and the rest to
/// the performer.
pub fn divide<A: Copy>(
    gross: u128,
    platform_fee_bps: u16,
    burn_bps: u16,
    splits: &[Split<A>],
) -> Result<Division<A>, SettlementError> {
    let platform_fee = share(gross, platform_fee_bps);
    let burned = share(gross, burn_bps);
    let mut net = gross
        .checked_sub(platform_fee)
        .and_then(|rest| rest.checked_sub(burned))
        .ok_or(SettlementError::SplitsExceedTip)?;
    let mut shares = Vec::with_capacity(splits.len());
    for split in splits {
        let amount = share(gross, split.bps);
        net = net
            .checked_sub(amount)
            .ok_or(SettlementError::SplitsExceedTip)?;
        shares.push((split.recipient, amount));
    }
    Ok(Division {
        platform_fee,
        burned,
        splits: shares,
        net,
    })
}

/// Splits are valid when there are at most `MAX_SPLITS`, each is above 0 bps, no
/// recipient repeats or is `forbidden`, and with the fee the performer accepts
/// they fit in the whole tip.
pub fn check_splits<A: PartialEq>(
    splits: &[Split<A>],
    max_fee_bps: u16,
    forbidden: impl Fn(&A) -> bool,
) -> Result<(), SettlementError> {
    if splits.len() > MAX_SPLITS {
        return Err(SettlementError::TooManySplits);
    }
    let mut total = u32::from(max_fee_bps);
    for (index, split) in splits.iter().enumerate() {
        let repeated = splits
            .iter()
            .take(index)
            .any(|earlier| earlier.recipient == split.recipient);
        if split.bps == 0 || repeated {
            return Err(SettlementError::InvalidSplit);
        }
        if forbidden(&split.recipient) {
            return Err(SettlementError::InvalidRecipient);
        }
        total = total.saturating_add(u32::from(split.bps));
    }
    if total > u32::from(BPS) {
        return Err(SettlementError::SplitsExceedTip);
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn split(recipient: u8, bps: u16) -> Split<u8> {
        Split { recipient, bps }
    }

    #[test]
    fn splits_are_checked() {
        let none = |_: &u8| false;
        assert_eq!(check_splits(&[split(1, 1_000)], 500, none), Ok(()));
        assert_eq!(
            check_splits(&[split(1, 0)], 500, none),
            Err(SettlementError::InvalidSplit)
        );
        assert_eq!(
            check_splits(&[split(1, 10), split(1, 10)], 500, none),
            Err(SettlementError::InvalidSplit)
        );
        assert_eq!(
            check_splits(&[split(7, 10)], 500, |a| *a == 7),
            Err(SettlementError::InvalidRecipient)
        );
        assert_eq!(
            check_splits(&[split(1, 9_501)], 500, none),
            Err(SettlementError::SplitsExceedTip)
        );
        let five: Vec<_> = (1..=5).map(|r| split(r, 1)).collect();
        assert_eq!(
            check_splits(&five, 0, none),
            Err(SettlementError::TooManySplits)
        );
    }

    #[test]
    fn a_tip_divides_as_documented() {
        let division = divide(10_000, 250, 100, &[split(1, 1_000)]).unwrap();
        assert_eq!(
            division,
            Division {
                platform_fee: 250,
                burned: 100,
                splits: alloc::vec![(1, 1_000)],
                net: 8_650
            }
        );
    }

    proptest! {
        #[test]
        fn division_never_loses_or_creates_a_unit(
            gross in any::<u128>(),
            fee in 0..=MAX_PLATFORM_FEE_BPS,
            burn in 0..=rating_stake_cap(),
            bps in prop::collection::vec(1..=2_000u16, 0..=MAX_SPLITS),
        ) {
            let splits: Vec<_> = bps.iter().enumerate().map(|(i, bps)| split(i as u8, *bps)).collect();
            let division = divide(gross, fee, burn, &splits).unwrap();
            let parts = division.splits.iter().map(|(_, amount)| *amount)
                .fold(division.platform_fee + division.burned + division.net, |sum, part| sum + part);
            prop_assert_eq!(parts, gross);
            prop_assert_eq!(division.platform_fee, (gross / 10_000) * u128::from(fee) + (gross % 10_000) * u128::from(fee) / 10_000);
        }
    }
}
