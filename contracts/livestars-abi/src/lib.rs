//! The LIVE contract's ABI, declared once: every event it emits, the types those
//! events carry, and why its messages refuse.
//!
//! The contract emits these structs (as ink! events under the `ink` feature); the
//! indexer decodes and encodes them with [`LiveEvent::decode`] and
//! [`LiveEvent::encode`]; the tests and benchmarks make arbitrary ones with
//! [`Sample`] (feature `sample`). Adding an event is one entry in `events.rs`.
//!
//! - `events.rs`: the events, each with its signature topic.
//! - `errors.rs`: why a message refused (`Error`).
//! - `macros.rs`: how one declaration becomes the struct, its topics and its arm
//!   in [`LiveEvent`].
//! - `topics.rs`: how a field becomes a topic under ink! 5, and the decoding error.
//! - `voucher.rs`: the bytes a voucher desk blind-signs and the contract checks.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[macro_use]
mod macros;
mod errors;
mod events;
#[cfg(feature = "sample")]
mod sample;
mod topics;
mod voucher;

pub use errors::Error;
pub use events::*;
#[cfg(feature = "sample")]
pub use sample::{Rng, Sample};
pub use topics::{DecodeError, Topic};
pub use voucher::{voucher_message, VoucherTerms, VOUCHER_MESSAGE_LEN};

/// A 32-byte account, as the contract sees it.
#[cfg(feature = "ink")]
pub type AccountId = ink::primitives::AccountId;
/// A 32-byte account, as the contract sees it.
#[cfg(not(feature = "ink"))]
pub type AccountId = [u8; 32];
/// An amount of LIVE (or of the native currency), in base units.
pub type Balance = u128;
/// Block time in milliseconds.
pub type Timestamp = u64;
/// A 32-byte commitment (a hash): of a profile or a memo, never the plain text.
pub type Commitment = [u8; 32];
/// A share of every tip that a performer sends on, for example to a studio.
pub type Split = settlement::Split<AccountId>;
/// The rating's tunable constants.
pub use rating_formula::Params;

#[cfg(test)]
mod tests;
