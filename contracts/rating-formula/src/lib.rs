//! The open livestars rating, version 2, as specified in `docs/RATING.md`.
//!
//! Pure integer arithmetic with no dependency on the chain, so the LIVE contract
//! and anyone replaying its events (the indexer, an auditor) run the very same
//! state machine and get bit-identical numbers.
//!
//! - [`clock`]: exponential decay on a fixed hourly clock, path-independent: a
//!   value is stored *grown* to its epoch, so decay never rewrites state.
//! - [`score`]: what a performer's score and one supporter's contribution hold,
//!   the three operations that change them, and the rating they give.
//! - [`params`]: the tunable constants, their bounds, and [`params::Scheduled`],
//!   the time lock every owner change goes through.
#![cfg_attr(not(feature = "std"), no_std)]

pub mod clock;
pub mod params;
pub mod score;

pub use clock::{mul_div_floor, tick_of, Overflow};
pub use params::{Params, ParamsError, Scheduled, CHANGE_DELAY_MS};
pub use score::{Contribution, Rating, Score};

/// Parts per million: the unit of every score in `[0, 1]`.
pub const PPM: u32 = 1_000_000;
/// Basis points in a whole.
pub const BPS: u16 = 10_000;
/// Stars are given in whole steps from 1 to 5; averages are kept in thousandths.
pub const MIN_STARS: u8 = 1;
/// See [`MIN_STARS`].
pub const MAX_STARS: u8 = 5;
/// The largest counted (burned) amount the formula accepts in one performer's
/// score. LIVE's supply cap is at most this, so no sum of real burns reaches it;
/// it keeps every grown value below 2^117 and so every product in range.
pub const MAX_COUNTED: u128 = 1 << 100;

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;
