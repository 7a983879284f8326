//! Arbitrary values of every event (feature `sample`), so a property test can run
//! each event through encode and decode without naming its fields again.

use crate::{Params, Split, VoucherTerms};
use alloc::vec::Vec;

/// A small deterministic generator (SplitMix64): the seed is the whole test case.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// A type with arbitrary values.
pub trait Sample {
    fn sample(rng: &mut Rng) -> Self;
}

macro_rules! sample_truncated {
    ($($ty:ty),*) => {$(
        impl Sample for $ty {
            // Truncation is the point: any value of the type.
            #[allow(clippy::cast_possible_truncation)]
            fn sample(rng: &mut Rng) -> Self {
                rng.next_u64() as $ty
            }
        }
    )*};
}
sample_truncated!(u8, u16, u32, u64);

impl Sample for u128 {
    fn sample(rng: &mut Rng) -> Self {
        (u128::from(rng.next_u64()) << 64) | u128::from(rng.next_u64())
    }
}

impl Sample for bool {
    fn sample(rng: &mut Rng) -> Self {
        rng.next_u64() & 1 == 1
    }
}

impl Sample for [u8; 32] {
    fn sample(rng: &mut Rng) -> Self {
        let mut bytes = [0u8; 32];
        for chunk in bytes.chunks_mut(8) {
            chunk.copy_from_slice(&rng.next_u64().to_le_bytes());
        }
        bytes
    }
}

#[cfg(feature = "ink")]
impl Sample for ink::primitives::AccountId {
    fn sample(rng: &mut Rng) -> Self {
        <[u8; 32]>::sample(rng).into()
    }
}

impl<T: Sample> Sample for Option<T> {
    fn sample(rng: &mut Rng) -> Self {
        bool::sample(rng).then(|| T::sample(rng))
    }
}

/// Up to 4 elements, as many as a tip has splits.
impl<T: Sample> Sample for Vec<T> {
    fn sample(rng: &mut Rng) -> Self {
        (0..rng.next_u64() % 5).map(|_| T::sample(rng)).collect()
    }
}

impl<A: Sample, B: Sample> Sample for (A, B) {
    fn sample(rng: &mut Rng) -> Self {
        (A::sample(rng), B::sample(rng))
    }
}

impl Sample for Split {
    fn sample(rng: &mut Rng) -> Self {
        Split {
            recipient: Sample::sample(rng),
            bps: Sample::sample(rng),
        }
    }
}

impl Sample for Params {
    fn sample(rng: &mut Rng) -> Self {
        Params {
            burn_bps: Sample::sample(rng),
            support_half_saturation: Sample::sample(rng),
            prior_stars_milli: Sample::sample(rng),
            prior_weight: Sample::sample(rng),
            star_weight_bps: Sample::sample(rng),
        }
    }
}

impl Sample for VoucherTerms {
    fn sample(rng: &mut Rng) -> Self {
        VoucherTerms {
            denomination: Sample::sample(rng),
            relay_fee: Sample::sample(rng),
            stipend: Sample::sample(rng),
            price_live: Sample::sample(rng),
            price_native: Sample::sample(rng),
        }
    }
}
