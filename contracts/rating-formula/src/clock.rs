//! Exponential decay in integer fixed point, independent of how often state is touched.
//!
//! Time is counted in whole hours (*ticks*) of block time. A value halves every
//! [`HALF_LIFE_TICKS`]. Instead of shrinking stored values as time passes (which
//! makes the result depend on when they were touched), an amount counted at tick
//! `k` is stored **grown** by `2^((k - k_e) / H)`, where `k_e` is the first tick of
//! its *epoch* (a fixed grid of [`EPOCH_HALF_LIVES`] half-lives). Grown values of
//! one epoch add up exactly; the decayed value at tick `k` is the grown sum times
//! `2^(-(k - k_e) / H)`. Moving a value to a later epoch divides it by an exact
//! power of two (a right shift), and shifts compose exactly, so the result does
//! not depend on when the move happens either.

/// Length of one tick in block-time milliseconds: one hour.
pub const TICK_MS: u64 = 3_600_000;
/// Ticks per half-life: 512 hours (21 days and 8 hours). A constant of version 2
/// (a power of two, so the fraction of a half-life has exactly 9 bits).
pub const HALF_LIFE_TICKS: u64 = 1 << HALF_LIFE_BITS;
/// Half-lives per epoch: grown values stay below `2^EPOCH_HALF_LIVES` times the
/// amounts counted.
pub const EPOCH_HALF_LIVES: u32 = 16;
/// Ticks per epoch: 8 192 hours (about 341 days).
pub const EPOCH_TICKS: u64 = HALF_LIFE_TICKS << EPOCH_HALF_LIVES.trailing_zeros();

const HALF_LIFE_BITS: u32 = 9;
/// 1.0 in the Q63 fixed point of the factors below.
pub const ONE: u128 = 1 << 63;
/// `round(2^63 * 2^(2^b / 512))` for `b = 0..9`: growth over `2^b` ticks.
pub const GROW: [u128; 9] = [
    0x802c_6436_d0e0_4f51,
    0x8058_d7d2_d5e5_f6b1,
    0x80b1_ed4f_d999_ab6c,
    0x8164_d1f3_bc03_0773,
    0x82cd_8698_ac2b_a1d7,
    0x85aa_c367_cc48_7b15,
    0x8b95_c1e3_ea8b_d6e7,
    0x9837_f051_8db8_a96f,
    0xb504_f333_f9de_6484,
];
/// `round(2^63 * 2^(-2^b / 512))` for `b = 0..9`: decay over `2^b` ticks.
pub const SHRINK: [u128; 9] = [
    0x7fd3_ab29_0e46_d769,
    0x7fa7_65ac_a88f_6453,
    0x7f4f_08ae_3dc7_c426,
    0x7e9f_0606_7a43_60ba,
    0x7d41_d96d_b915_019d,
    0x7a92_be8a_9243_6616,
    0x7560_6373_ee92_1c97,
    0x6ba2_7e65_6b4e_b57a,
    0x5a82_7999_fcef_3242,
];

/// A value would leave its integer type (or pass [`crate::MAX_COUNTED`]); the
/// update is refused and nothing changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "scale", derive(scale::Encode, scale::Decode), codec(crate = scale))]
#[cfg_attr(feature = "codec", derive(scale_info::TypeInfo), scale_info(crate = scale_info))]
pub struct Overflow;

/// The tick of a block time in milliseconds.
pub fn tick_of(at_ms: u64) -> u64 {
    at_ms.checked_div(TICK_MS).unwrap_or(0)
}

/// The epoch a tick falls in.
pub fn epoch_of(tick: u64) -> u64 {
    tick.checked_div(EPOCH_TICKS).unwrap_or(0)
}

/// `(whole half-lives, rest in ticks)` since the start of the tick's epoch.
fn offset(tick: u64) -> (u32, u64) {
    let in_epoch = tick.checked_rem(EPOCH_TICKS).unwrap_or(0);
    let halvings = in_epoch.checked_shr(HALF_LIFE_BITS).unwrap_or(0);
    let rest = in_epoch.checked_rem(HALF_LIFE_TICKS).unwrap_or(0);
    // halvings < EPOCH_HALF_LIVES
    (u32::try_from(halvings).unwrap_or(0), rest)
}

/// `2^(±rest / 512)` in Q63: the factors of the bits set in `rest`, multiplied in
/// ascending bit order, each product rounded down.
fn factor(table: &[u128; 9], rest: u64) -> u128 {
    let mut acc = ONE;
    for (bit, step) in (0u32..).zip(table.iter()) {
        if rest.checked_shr(bit).unwrap_or(0) & 1 == 1 {
            // acc and step are below 2^64: the product fits.
            acc = mul_div_floor(acc, *step, ONE).unwrap_or(acc);
        }
    }
    acc
}

/// `amount` counted at `tick`, grown to the start of the tick's epoch:
/// `floor(floor((amount << halvings) * GROW(rest)) / 2^63)`.
pub fn grow(amount: u128, tick: u64) -> Result<u128, Overflow> {
    if amount > crate::MAX_COUNTED {
        return Err(Overflow);
    }
    let (halvings, rest) = offset(tick);
    let shifted = amount.checked_shl(halvings).ok_or(Overflow)?;
    mul_div_floor(shifted, factor(&GROW, rest), ONE).ok_or(Overflow)
}

/// A grown value of `tick`'s epoch, decayed to `tick`:
/// `floor(value * SHRINK(rest) / 2^63) >> halvings`.
pub fn decayed(value: u128, tick: u64) -> u128 {
    let (halvings, rest) = offset(tick);
    mul_div_floor(value, factor(&SHRINK, rest), ONE)
        .unwrap_or(0)
        .checked_shr(halvings)
        .unwrap_or(0)
}

/// A grown value of epoch `from` expressed in the later epoch `to`: shifted right
/// by [`EPOCH_HALF_LIVES`] per epoch (0 once 128 bits are shifted out). Exact in
/// composition: rebasing in steps gives the same integer as rebasing at once.
pub fn rebase(value: u128, from: u64, to: u64) -> u128 {
    let epochs = to.saturating_sub(from);
    epochs
        .checked_mul(u64::from(EPOCH_HALF_LIVES))
        .and_then(|shift| u32::try_from(shift).ok())
        .and_then(|shift| value.checked_shr(shift))
        .unwrap_or(0)
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
