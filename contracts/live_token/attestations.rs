//! 18+ attestations: the allow-listed verifiers, the listing number each holds,
//! and whether a performer's attestation still counts. The documents stay with the
//! verifier, never on-chain.

use crate::errors::{Error, Result};
use crate::registry::Registry;
use ink::storage::Mapping;
use livestars_abi::{AccountId, AdultAttestationChanged, VerifierChanged};

/// An 18+ attestation: the verifier and the listing it held when it attested.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Attestation {
    pub verifier: AccountId,
    /// Counts only while the verifier is still listed under this number.
    pub listing: u32,
}

/// The listed verifiers.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Attestations {
    /// Listed verifiers and the listing number each holds.
    verifiers: Mapping<AccountId, u32>,
    listings: u32,
}

impl Attestations {
    pub fn is_verifier(&self, account: AccountId) -> bool {
        self.verifiers.contains(account)
    }

    /// Whether `attestation` still counts: its verifier is listed under the same
    /// number as when it attested.
    pub fn is_valid(&self, attestation: &Attestation) -> bool {
        self.verifiers.get(attestation.verifier) == Some(attestation.listing)
    }

    /// Whether a performer's attestation, if any, still counts.
    pub fn holds(&self, adult: Option<Attestation>) -> bool {
        adult.is_some_and(|attestation| self.is_valid(&attestation))
    }

    /// Whether `performer` holds an 18+ attestation that still counts.
    pub fn is_attested(&self, registry: &Registry, performer: AccountId) -> bool {
        self.holds(registry.get(performer).and_then(|entry| entry.adult))
    }

    /// `verifier` attests that `performer` is 18+ (`adult: true`) or withdraws its
    /// own attestation; never over another listed verifier's.
    pub fn attest(
        &self,
        registry: &mut Registry,
        verifier: AccountId,
        performer: AccountId,
        adult: bool,
    ) -> Result<AdultAttestationChanged> {
        let listing = self.verifiers.get(verifier).ok_or(Error::NotVerifier)?;
        let mut entry = registry.entry(performer)?;
        if let Some(current) = entry.adult {
            if current.verifier != verifier && self.is_valid(&current) {
                return Err(Error::AttestedByAnother);
            }
        }
        entry.adult = adult.then_some(Attestation { verifier, listing });
        registry.store(performer, &entry);
        Ok(AdultAttestationChanged {
            performer,
            verifier,
            adult,
        })
    }

    /// Lists (`allowed: true`) or delists a verifier; `None` when nothing changes.
    /// Listing again gives a new listing number, so old attestations stay void.
    pub fn set_verifier(
        &mut self,
        verifier: AccountId,
        allowed: bool,
    ) -> Result<Option<VerifierChanged>> {
        if allowed == self.verifiers.contains(verifier) {
            return Ok(None);
        }
        if allowed {
            let listing = self.listings.checked_add(1).ok_or(Error::Overflow)?;
            self.listings = listing;
            self.verifiers.insert(verifier, &listing);
        } else {
            self.verifiers.remove(verifier);
        }
        Ok(Some(VerifierChanged { verifier, allowed }))
    }
}
