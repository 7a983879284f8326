//! The performer registry: who opted in, with which profile commitment, fee cap
//! and splits. Each change returns the event it raises.

use crate::attestations::Attestation;
use crate::errors::{settlement_error, Error, Result};
use ink::prelude::vec::Vec;
use ink::storage::Mapping;
use livestars_abi::{
    AccountId, Commitment, MaxFeeChanged, PerformerErased, PerformerRegistered, ProfileChanged,
    Split, SplitsChanged,
};
use settlement::{check_splits, MAX_FEE_BPS};

/// A registered performer: no personal data, only commitments and choices.
#[derive(Debug, PartialEq, Eq, Clone)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Performer {
    /// Commitment to the off-chain profile.
    pub profile: Commitment,
    /// The most of a tip (bps) the performer accepts to lose to the platform fee
    /// and the rating stake together.
    pub max_fee_bps: u16,
    /// The performer's own splits.
    pub splits: Vec<Split>,
    /// The 18+ attestation, if any.
    pub adult: Option<Attestation>,
}

/// Accounts that can never receive a share: funds sent there are lost or go
/// nowhere (`contract`, this contract's own account, and the zero account).
pub fn is_sink(account: &AccountId, contract: &AccountId) -> bool {
    account == contract || *account == AccountId::from([0; 32])
}

/// The registered performers.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Registry {
    performers: Mapping<AccountId, Performer>,
}

impl Registry {
    /// The performer's entry, if registered.
    pub fn get(&self, performer: AccountId) -> Option<Performer> {
        self.performers.get(performer)
    }

    pub fn contains(&self, performer: AccountId) -> bool {
        self.performers.contains(performer)
    }

    /// The performer's entry, or `NotRegistered`.
    pub fn entry(&self, performer: AccountId) -> Result<Performer> {
        self.performers.get(performer).ok_or(Error::NotRegistered)
    }

    /// Stores a changed entry of a registered performer.
    pub(crate) fn store(&mut self, performer: AccountId, entry: &Performer) {
        self.performers.insert(performer, entry);
    }

    /// Opts `performer` in with a profile commitment and the most of a tip they
    /// accept to lose to the platform fee and the rating stake.
    pub fn register(
        &mut self,
        performer: AccountId,
        profile: Commitment,
        max_fee_bps: u16,
    ) -> Result<PerformerRegistered> {
        if self.performers.contains(performer) {
            return Err(Error::AlreadyRegistered);
        }
        if max_fee_bps > MAX_FEE_BPS {
            return Err(Error::FeeAboveCap);
        }
        self.performers.insert(
            performer,
            &Performer {
                profile,
                max_fee_bps,
                splits: Vec::new(),
                adult: None,
            },
        );
        Ok(PerformerRegistered {
            performer,
            profile,
            max_fee_bps,
        })
    }

    pub fn set_profile(
        &mut self,
        performer: AccountId,
        profile: Commitment,
    ) -> Result<ProfileChanged> {
        let mut entry = self.entry(performer)?;
        entry.profile = profile;
        self.performers.insert(performer, &entry);
        Ok(ProfileChanged { performer, profile })
    }

    /// `contract` is this contract's own account, never a split recipient.
    pub fn set_max_fee(
        &mut self,
        performer: AccountId,
        max_fee_bps: u16,
        contract: AccountId,
    ) -> Result<MaxFeeChanged> {
        let mut entry = self.entry(performer)?;
        if max_fee_bps > MAX_FEE_BPS {
            return Err(Error::FeeAboveCap);
        }
        check(performer, &entry.splits, max_fee_bps, contract)?;
        entry.max_fee_bps = max_fee_bps;
        self.performers.insert(performer, &entry);
        Ok(MaxFeeChanged {
            performer,
            max_fee_bps,
        })
    }

    /// Replaces the splits; an empty list removes them all.
    pub fn set_splits(
        &mut self,
        performer: AccountId,
        splits: Vec<Split>,
        contract: AccountId,
    ) -> Result<SplitsChanged> {
        let mut entry = self.entry(performer)?;
        check(performer, &splits, entry.max_fee_bps, contract)?;
        entry.splits = splits;
        self.performers.insert(performer, &entry);
        Ok(SplitsChanged {
            performer,
            splits: entry.splits,
        })
    }

    /// Erases the entry (the contract erases the show terms as well).
    pub fn erase(&mut self, performer: AccountId) -> Result<PerformerErased> {
        self.entry(performer)?;
        self.performers.remove(performer);
        Ok(PerformerErased { performer })
    }
}

/// The performer's splits are valid beside `max_fee_bps`, and none goes back to
/// them or to a sink.
fn check(
    performer: AccountId,
    splits: &[Split],
    max_fee_bps: u16,
    contract: AccountId,
) -> Result<()> {
    check_splits(splits, max_fee_bps, |recipient| {
        *recipient == performer || is_sink(recipient, &contract)
    })
    .map_err(settlement_error)
}
