//! The owner's time-locked powers: the platform fee (with its treasury) and the
//! rating parameters, each a [`Scheduled`] value that an announcement changes only
//! after `CHANGE_DELAY_MS`. Each announcement returns the event it raises.

use crate::errors::{Error, Result};
use crate::registry::is_sink;
use livestars_abi::{AccountId, ParamsAnnounced, PlatformFeeAnnounced, Timestamp};
use rating_formula::{Params, Scheduled};
use settlement::MAX_PLATFORM_FEE_BPS;

/// The platform fee and the treasury receiving it.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PlatformFee {
    pub fee_bps: u16,
    pub treasury: AccountId,
}

/// Rating parameters with their version number.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct VersionedParams {
    pub version: u32,
    pub params: Params,
}

/// The platform fee and the rating parameters, in force and announced.
#[ink::storage_item]
#[derive(Debug)]
pub struct Schedules {
    fee: Scheduled<PlatformFee>,
    params: Scheduled<VersionedParams>,
}

impl Schedules {
    /// `fee` and version 1 of `params` in force from `now`, with the
    /// announcements the constructor emits. `contract` is this contract's own
    /// account, never a treasury.
    pub fn new(
        fee: PlatformFee,
        params: Params,
        now: Timestamp,
        contract: AccountId,
    ) -> Result<(Self, PlatformFeeAnnounced, ParamsAnnounced)> {
        params.validate().map_err(Error::InvalidParams)?;
        check_fee(&fee, contract)?;
        let schedules = Self {
            fee: Scheduled::new(fee),
            params: Scheduled::new(VersionedParams { version: 1, params }),
        };
        let fee = PlatformFeeAnnounced {
            treasury: fee.treasury,
            fee_bps: fee.fee_bps,
            effective_at: now,
        };
        let params = ParamsAnnounced {
            version: 1,
            params,
            effective_at: now,
        };
        Ok((schedules, fee, params))
    }

    /// The platform fee in force at `now`.
    pub fn fee_at(&self, now: Timestamp) -> PlatformFee {
        self.fee.at(now)
    }

    pub fn fee_schedule(&self) -> Scheduled<PlatformFee> {
        self.fee
    }

    /// The rating parameters in force at `now`.
    pub fn params_at(&self, now: Timestamp) -> VersionedParams {
        self.params.at(now)
    }

    pub fn params_schedule(&self) -> Scheduled<VersionedParams> {
        self.params
    }

    /// Folds both announcements that apply by `now` into the values in force, and
    /// returns the fee and the rating stake (bps) a payment made now is charged.
    pub fn settle(&mut self, now: Timestamp) -> (PlatformFee, u16) {
        self.fee.settle(now);
        self.params.settle(now);
        (self.fee.current, self.params.current.params.burn_bps)
    }

    /// Folds the fee's announcement that applies by `now` in, and returns the
    /// treasury in force (a show pays the fee fixed at opening to today's treasury).
    pub fn settle_treasury(&mut self, now: Timestamp) -> AccountId {
        self.fee.settle(now);
        self.fee.current.treasury
    }

    /// Announces a platform fee (at most `MAX_PLATFORM_FEE_BPS`) and treasury,
    /// applying after `CHANGE_DELAY_MS`.
    pub fn announce_fee(
        &mut self,
        fee: PlatformFee,
        now: Timestamp,
        contract: AccountId,
    ) -> Result<PlatformFeeAnnounced> {
        check_fee(&fee, contract)?;
        let effective_at = self.fee.announce(fee, now).map_err(|_| Error::Overflow)?;
        Ok(PlatformFeeAnnounced {
            treasury: fee.treasury,
            fee_bps: fee.fee_bps,
            effective_at,
        })
    }

    /// Announces `params` as the next version, applying after `CHANGE_DELAY_MS`.
    pub fn announce_params(&mut self, params: Params, now: Timestamp) -> Result<ParamsAnnounced> {
        params.validate().map_err(Error::InvalidParams)?;
        let latest = self
            .params
            .next
            .map_or(self.params.current, |(next, _)| next);
        let version = latest.version.checked_add(1).ok_or(Error::Overflow)?;
        let effective_at = self
            .params
            .announce(VersionedParams { version, params }, now)
            .map_err(|_| Error::Overflow)?;
        Ok(ParamsAnnounced {
            version,
            params,
            effective_at,
        })
    }
}

/// A fee within its cap, to a treasury that can receive it.
fn check_fee(fee: &PlatformFee, contract: AccountId) -> Result<()> {
    if fee.fee_bps > MAX_PLATFORM_FEE_BPS {
        return Err(Error::FeeAboveCap);
    }
    if is_sink(&fee.treasury, &contract) {
        return Err(Error::InvalidRecipient);
    }
    Ok(())
}
