//! Why a call was refused, and how the plain crates' refusals map onto it.

use settlement::SettlementError;
use show_meter::MeterError;

/// Why a call was refused: declared with the events in `livestars-abi`, so that
/// off-chain callers (the API's relayer) decode it from the same declaration.
pub use livestars_abi::Error;

/// Result of a livestars message.
pub type Result<T> = core::result::Result<T, Error>;

pub(crate) fn meter_error(error: MeterError) -> Error {
    match error {
        MeterError::ZeroPrice => Error::ZeroAmount,
        MeterError::BelowOneMinute => Error::DepositBelowOneMinute,
        MeterError::DepositTooLarge => Error::DepositTooLarge,
        MeterError::Ended => Error::ShowSpent,
    }
}

pub(crate) fn settlement_error(error: SettlementError) -> Error {
    match error {
        SettlementError::TooManySplits => Error::TooManySplits,
        SettlementError::InvalidSplit => Error::InvalidSplit,
        SettlementError::InvalidRecipient => Error::InvalidRecipient,
        SettlementError::SplitsExceedTip => Error::SplitsExceedTip,
    }
}
