//! Instant tip settlement. A viewer tips a registered performer in LIVE (after one
//! approval of this contract) or in the native currency; the contract splits the tip
//! and moves every share straight from the viewer to its recipient in the same call,
//! so it never holds funds. The platform fee has a hard cap in the code and never
//! exceeds what the performer accepted; any further splits are the performer's own.
//! Each split rounds down and the remainder goes to the performer:
//! `net + platform_fee + splits == gross`, always.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::tips::{Error, Performer, Split, Tips, TipsRef};

#[ink::contract]
mod tips {
    use ink::codegen::TraitCallBuilder;
    use ink::prelude::vec::Vec;
    use ink::storage::Mapping;
    use ownable::{Ownable, Ownable2Step, OwnableError};
    use psp22_traits::{PSP22Error, PSP22};
    use rating::RatingRef;

    /// The platform fee can never be set above 5%.
    pub const MAX_PLATFORM_FEE_BPS: u16 = 500;
    /// A performer may name at most this many split recipients (bounds every tip's work).
    pub const MAX_SPLITS: usize = 4;
    /// Basis points in a whole.
    pub const BPS: u16 = 10_000;

    /// A 32-byte commitment (a hash): of a profile or a memo, never the plain text.
    pub type Commitment = [u8; 32];

    /// A share of every tip that a performer sends on, for example to a studio.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Split {
        pub recipient: AccountId,
        pub bps: u16,
    }

    /// A registered performer: no personal data, only commitments and choices.
    #[derive(Debug, PartialEq, Eq, Clone)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Performer {
        /// Commitment to the off-chain profile.
        pub profile: Commitment,
        /// The highest platform fee the performer accepts.
        pub max_platform_fee_bps: u16,
        /// The performer's own splits.
        pub splits: Vec<Split>,
        /// The allow-listed verifier that attested the performer is 18+, if any.
        pub adult_attested_by: Option<AccountId>,
    }

    /// How one tip was divided.
    #[derive(Debug, PartialEq, Eq, Clone)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub struct Division {
        pub platform_fee: Balance,
        pub splits: Vec<(AccountId, Balance)>,
        pub net: Balance,
    }

    /// A tip settled: everything an auditor needs to check the split.
    #[ink(event)]
    pub struct Tipped {
        #[ink(topic)]
        pub viewer: AccountId,
        #[ink(topic)]
        pub performer: AccountId,
        /// Sequence number of the tip in this contract.
        pub tip_id: u64,
        /// The PSP22 token paid in, `None` for the native currency.
        pub token: Option<AccountId>,
        pub gross: Balance,
        pub platform_fee: Balance,
        pub treasury: AccountId,
        pub splits: Vec<(AccountId, Balance)>,
        /// What the performer received.
        pub net: Balance,
        pub memo: Option<Commitment>,
        pub at: Timestamp,
    }

    /// A performer opted in.
    #[ink(event)]
    pub struct PerformerRegistered {
        #[ink(topic)]
        pub performer: AccountId,
        pub profile: Commitment,
        pub max_platform_fee_bps: u16,
    }

    /// A performer changed their profile commitment.
    #[ink(event)]
    pub struct ProfileChanged {
        #[ink(topic)]
        pub performer: AccountId,
        pub profile: Commitment,
    }

    /// A performer changed the highest platform fee they accept.
    #[ink(event)]
    pub struct MaxPlatformFeeChanged {
        #[ink(topic)]
        pub performer: AccountId,
        pub max_platform_fee_bps: u16,
    }

    /// A performer replaced their splits (empty: removed them all).
    #[ink(event)]
    pub struct SplitsChanged {
        #[ink(topic)]
        pub performer: AccountId,
        pub splits: Vec<Split>,
    }

    /// A performer erased their entry.
    #[ink(event)]
    pub struct PerformerErased {
        #[ink(topic)]
        pub performer: AccountId,
    }

    /// A verifier attested (`adult: true`) or withdrew the 18+ attestation.
    #[ink(event)]
    pub struct AdultAttestationChanged {
        #[ink(topic)]
        pub performer: AccountId,
        #[ink(topic)]
        pub verifier: AccountId,
        pub adult: bool,
    }

    /// The owner added (`allowed: true`) or removed an 18+ verifier.
    #[ink(event)]
    pub struct VerifierChanged {
        #[ink(topic)]
        pub verifier: AccountId,
        pub allowed: bool,
    }

    /// The owner changed the platform fee or the treasury receiving it.
    #[ink(event)]
    pub struct PlatformFeeChanged {
        #[ink(topic)]
        pub treasury: AccountId,
        pub fee_bps: u16,
    }

    /// Why a call was refused; nothing changed and no funds moved.
    #[derive(Debug, PartialEq, Eq, Clone)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    // scale-info's derive casts variant indices, of which there are few.
    #[allow(clippy::cast_possible_truncation)]
    pub enum Error {
        /// Only the owner may do this.
        NotOwner,
        /// Only an allow-listed verifier may attest.
        NotVerifier,
        /// The caller is registered already.
        AlreadyRegistered,
        /// The performer is not registered.
        NotRegistered,
        /// A fee above `MAX_PLATFORM_FEE_BPS`.
        FeeAboveCap,
        /// The platform fee is above what the performer accepts.
        FeeNotAccepted,
        /// More than `MAX_SPLITS` splits.
        TooManySplits,
        /// A split of 0 bps, or a recipient named twice.
        InvalidSplit,
        /// Splits plus the accepted platform fee exceed the whole tip.
        SplitsExceedTip,
        /// A tip of nothing.
        ZeroAmount,
        /// Performers cannot tip themselves.
        SelfTip,
        /// The token refused a transfer (e.g. balance or allowance too low).
        Token(PSP22Error),
        /// The token contract could not be called.
        TokenCallFailed,
        /// The rating contract refused or could not be called.
        RatingCallFailed,
        /// A native transfer failed (e.g. it would leave an account below the existential deposit).
        NativeTransferFailed,
        /// A counter would overflow.
        Overflow,
    }

    /// Result of a tips message.
    pub type Result<T> = core::result::Result<T, Error>;

    /// The settlement contract.
    #[ink(storage)]
    pub struct Tips {
        owner: Ownable,
        token: AccountId,
        rating: AccountId,
        treasury: AccountId,
        platform_fee_bps: u16,
        performers: Mapping<AccountId, Performer>,
        verifiers: Mapping<AccountId, ()>,
        tip_count: u64,
    }

    impl Tips {
        /// Settles tips in `token` (LIVE) and reports them to `rating`; the platform
        /// fee of `platform_fee_bps` goes to `treasury`. The caller owns the contract.
        #[ink(constructor)]
        pub fn new(
            token: AccountId,
            rating: AccountId,
            treasury: AccountId,
            platform_fee_bps: u16,
        ) -> Result<Self> {
            let mut tips = Self {
                owner: Ownable::new(Self::env().caller()),
                token,
                rating,
                treasury,
                platform_fee_bps: 0,
                performers: Mapping::default(),
                verifiers: Mapping::default(),
                tip_count: 0,
            };
            tips.install_platform_fee(treasury, platform_fee_bps)?;
            Ok(tips)
        }

        /// Tips `performer` `amount` LIVE from the caller's own balance (the caller
        /// must have approved this contract). Every share lands in its recipient's
        /// wallet in this call; `memo` is an optional commitment, never plain text.
        #[ink(message)]
        pub fn tip(
            &mut self,
            performer: AccountId,
            amount: Balance,
            memo: Option<Commitment>,
        ) -> Result<u64> {
            let viewer = self.env().caller();
            let division = self.check_tip(viewer, performer, amount)?;
            let treasury = self.treasury;
            self.pull(viewer, treasury, division.platform_fee)?;
            for (recipient, share) in &division.splits {
                self.pull(viewer, *recipient, *share)?;
            }
            self.pull(viewer, performer, division.net)?;
            let mut rating: RatingRef = ink::env::call::FromAccountId::from_account_id(self.rating);
            match rating
                .call_mut()
                .record_tip(performer, viewer, amount)
                .try_invoke()
            {
                Ok(Ok(Ok(()))) => {}
                _ => return Err(Error::RatingCallFailed),
            }
            self.settled(viewer, performer, Some(self.token), amount, division, memo)
        }

        /// Tips `performer` the native currency sent with the call, forwarded at once.
        /// Native tips are settled like LIVE tips but do not feed the rating, whose
        /// support is counted in LIVE.
        #[ink(message, payable)]
        pub fn tip_native(
            &mut self,
            performer: AccountId,
            memo: Option<Commitment>,
        ) -> Result<u64> {
            let viewer = self.env().caller();
            let amount = self.env().transferred_value();
            let division = self.check_tip(viewer, performer, amount)?;
            self.send_native(self.treasury, division.platform_fee)?;
            for (recipient, share) in &division.splits {
                self.send_native(*recipient, *share)?;
            }
            self.send_native(performer, division.net)?;
            self.settled(viewer, performer, None, amount, division, memo)
        }

        /// How a tip of `amount` to `performer` would be divided now.
        #[ink(message)]
        pub fn quote(&self, performer: AccountId, amount: Balance) -> Result<Division> {
            let entry = self.performers.get(performer).ok_or(Error::NotRegistered)?;
            if self.platform_fee_bps > entry.max_platform_fee_bps {
                return Err(Error::FeeNotAccepted);
            }
            divide(amount, self.platform_fee_bps, &entry.splits)
        }

        /// Opts the caller in as a performer with a profile commitment and the highest
        /// platform fee they accept.
        #[ink(message)]
        pub fn register(&mut self, profile: Commitment, max_platform_fee_bps: u16) -> Result<()> {
            let performer = self.env().caller();
            if self.performers.contains(performer) {
                return Err(Error::AlreadyRegistered);
            }
            if max_platform_fee_bps > MAX_PLATFORM_FEE_BPS {
                return Err(Error::FeeAboveCap);
            }
            self.performers.insert(
                performer,
                &Performer {
                    profile,
                    max_platform_fee_bps,
                    splits: Vec::new(),
                    adult_attested_by: None,
                },
            );
            self.env().emit_event(PerformerRegistered {
                performer,
                profile,
                max_platform_fee_bps,
            });
            Ok(())
        }

        /// Replaces the caller's profile commitment.
        #[ink(message)]
        pub fn set_profile(&mut self, profile: Commitment) -> Result<()> {
            let (performer, mut entry) = self.caller_entry()?;
            entry.profile = profile;
            self.performers.insert(performer, &entry);
            self.env().emit_event(ProfileChanged { performer, profile });
            Ok(())
        }

        /// Changes the highest platform fee the caller accepts.
        #[ink(message)]
        pub fn set_max_platform_fee(&mut self, max_platform_fee_bps: u16) -> Result<()> {
            let (performer, mut entry) = self.caller_entry()?;
            if max_platform_fee_bps > MAX_PLATFORM_FEE_BPS {
                return Err(Error::FeeAboveCap);
            }
            check_splits(&entry.splits, max_platform_fee_bps)?;
            entry.max_platform_fee_bps = max_platform_fee_bps;
            self.performers.insert(performer, &entry);
            self.env().emit_event(MaxPlatformFeeChanged {
                performer,
                max_platform_fee_bps,
            });
            Ok(())
        }

        /// Replaces the caller's splits; an empty list removes them all.
        #[ink(message)]
        pub fn set_splits(&mut self, splits: Vec<Split>) -> Result<()> {
            let (performer, mut entry) = self.caller_entry()?;
            check_splits(&splits, entry.max_platform_fee_bps)?;
            entry.splits = splits.clone();
            self.performers.insert(performer, &entry);
            self.env().emit_event(SplitsChanged { performer, splits });
            Ok(())
        }

        /// Erases the caller's performer entry; tips to them fail from now on.
        #[ink(message)]
        pub fn erase(&mut self) -> Result<()> {
            let (performer, _) = self.caller_entry()?;
            self.performers.remove(performer);
            self.env().emit_event(PerformerErased { performer });
            Ok(())
        }

        /// Attests that `performer` is 18+ (`adult: true`) or withdraws it; allow-listed
        /// verifiers only. The documents stay with the verifier, never on-chain.
        #[ink(message)]
        pub fn set_adult_attestation(&mut self, performer: AccountId, adult: bool) -> Result<()> {
            let verifier = self.env().caller();
            if !self.verifiers.contains(verifier) {
                return Err(Error::NotVerifier);
            }
            let mut entry = self.performers.get(performer).ok_or(Error::NotRegistered)?;
            entry.adult_attested_by = adult.then_some(verifier);
            self.performers.insert(performer, &entry);
            self.env().emit_event(AdultAttestationChanged {
                performer,
                verifier,
                adult,
            });
            Ok(())
        }

        /// Adds (`allowed: true`) or removes an 18+ verifier; owner only.
        #[ink(message)]
        pub fn set_verifier(&mut self, verifier: AccountId, allowed: bool) -> Result<()> {
            self.ensure_owner()?;
            if allowed {
                self.verifiers.insert(verifier, &());
            } else {
                self.verifiers.remove(verifier);
            }
            self.env().emit_event(VerifierChanged { verifier, allowed });
            Ok(())
        }

        /// Sets the platform fee (at most `MAX_PLATFORM_FEE_BPS`) and its treasury;
        /// owner only. Tips to performers who accept less fail until they accept it.
        #[ink(message)]
        pub fn set_platform_fee(&mut self, treasury: AccountId, fee_bps: u16) -> Result<()> {
            self.ensure_owner()?;
            self.install_platform_fee(treasury, fee_bps)
        }

        /// The performer's entry, if registered.
        #[ink(message)]
        pub fn performer(&self, performer: AccountId) -> Option<Performer> {
            self.performers.get(performer)
        }

        /// Whether `performer` holds an 18+ attestation from a verifier that is still
        /// allow-listed.
        #[ink(message)]
        pub fn is_adult_attested(&self, performer: AccountId) -> bool {
            self.performers
                .get(performer)
                .and_then(|entry| entry.adult_attested_by)
                .is_some_and(|verifier| self.verifiers.contains(verifier))
        }

        /// Whether `account` may give 18+ attestations.
        #[ink(message)]
        pub fn is_verifier(&self, account: AccountId) -> bool {
            self.verifiers.contains(account)
        }

        /// The platform fee in basis points and the treasury receiving it.
        #[ink(message)]
        pub fn platform_fee(&self) -> (u16, AccountId) {
            (self.platform_fee_bps, self.treasury)
        }

        /// The LIVE token and the rating contract this contract works with.
        #[ink(message)]
        pub fn contracts(&self) -> (AccountId, AccountId) {
            (self.token, self.rating)
        }

        /// Number of tips settled so far.
        #[ink(message)]
        pub fn tip_count(&self) -> u64 {
            self.tip_count
        }

        fn ensure_owner(&self) -> Result<()> {
            self.owner
                .ensure_owner(self.env().caller())
                .map_err(|_| Error::NotOwner)
        }

        fn caller_entry(&self) -> Result<(AccountId, Performer)> {
            let performer = self.env().caller();
            let entry = self.performers.get(performer).ok_or(Error::NotRegistered)?;
            Ok((performer, entry))
        }

        fn install_platform_fee(&mut self, treasury: AccountId, fee_bps: u16) -> Result<()> {
            if fee_bps > MAX_PLATFORM_FEE_BPS {
                return Err(Error::FeeAboveCap);
            }
            self.treasury = treasury;
            self.platform_fee_bps = fee_bps;
            self.env()
                .emit_event(PlatformFeeChanged { treasury, fee_bps });
            Ok(())
        }

        /// Checks a tip and divides it; nothing moves yet.
        fn check_tip(
            &self,
            viewer: AccountId,
            performer: AccountId,
            amount: Balance,
        ) -> Result<Division> {
            if amount == 0 {
                return Err(Error::ZeroAmount);
            }
            if viewer == performer {
                return Err(Error::SelfTip);
            }
            self.quote(performer, amount)
        }

        /// Moves `amount` LIVE from `from` to `to` on the viewer's allowance.
        fn pull(&self, from: AccountId, to: AccountId, amount: Balance) -> Result<()> {
            if amount == 0 {
                return Ok(());
            }
            let mut token: ink::contract_ref!(PSP22) = self.token.into();
            match token
                .call_mut()
                .transfer_from(from, to, amount, Vec::new())
                .try_invoke()
            {
                Ok(Ok(Ok(()))) => Ok(()),
                Ok(Ok(Err(error))) => Err(Error::Token(error)),
                _ => Err(Error::TokenCallFailed),
            }
        }

        fn send_native(&self, to: AccountId, amount: Balance) -> Result<()> {
            if amount == 0 {
                return Ok(());
            }
            self.env()
                .transfer(to, amount)
                .map_err(|_| Error::NativeTransferFailed)
        }

        /// Counts the tip and emits `Tipped`.
        fn settled(
            &mut self,
            viewer: AccountId,
            performer: AccountId,
            token: Option<AccountId>,
            gross: Balance,
            division: Division,
            memo: Option<Commitment>,
        ) -> Result<u64> {
            let tip_id = self.tip_count;
            self.tip_count = tip_id.checked_add(1).ok_or(Error::Overflow)?;
            self.env().emit_event(Tipped {
                viewer,
                performer,
                tip_id,
                token,
                gross,
                platform_fee: division.platform_fee,
                treasury: self.treasury,
                splits: division.splits,
                net: division.net,
                memo,
                at: self.env().block_timestamp(),
            });
            Ok(tip_id)
        }
    }

    /// Divides `gross`: each share is `floor(gross * bps / 10 000)` and the
    /// performer gets the rest, so the parts always sum to `gross`.
    pub fn divide(gross: Balance, platform_fee_bps: u16, splits: &[Split]) -> Result<Division> {
        let platform_fee = share(gross, platform_fee_bps)?;
        let mut net = gross
            .checked_sub(platform_fee)
            .ok_or(Error::SplitsExceedTip)?;
        let mut shares = Vec::with_capacity(splits.len());
        for split in splits {
            let amount = share(gross, split.bps)?;
            net = net.checked_sub(amount).ok_or(Error::SplitsExceedTip)?;
            shares.push((split.recipient, amount));
        }
        Ok(Division {
            platform_fee,
            splits: shares,
            net,
        })
    }

    /// `floor(amount * bps / 10 000)` without overflow for any `amount`.
    fn share(amount: Balance, bps: u16) -> Result<Balance> {
        let whole = Balance::from(BPS);
        let bps = Balance::from(bps);
        let quotient = amount.checked_div(whole).ok_or(Error::Overflow)?;
        let remainder = amount.checked_rem(whole).ok_or(Error::Overflow)?;
        quotient
            .checked_mul(bps)
            .zip(
                remainder
                    .checked_mul(bps)
                    .and_then(|r| r.checked_div(whole)),
            )
            .and_then(|(high, low)| high.checked_add(low))
            .ok_or(Error::Overflow)
    }

    /// Splits are valid when there are at most `MAX_SPLITS`, each is above 0 bps,
    /// no recipient repeats, and with the accepted fee they fit in the whole tip.
    fn check_splits(splits: &[Split], max_platform_fee_bps: u16) -> Result<()> {
        if splits.len() > MAX_SPLITS {
            return Err(Error::TooManySplits);
        }
        let mut total = u32::from(max_platform_fee_bps);
        for (index, split) in splits.iter().enumerate() {
            let repeated = splits
                .iter()
                .take(index)
                .any(|earlier| earlier.recipient == split.recipient);
            if split.bps == 0 || repeated {
                return Err(Error::InvalidSplit);
            }
            total = total.saturating_add(u32::from(split.bps));
        }
        if total > u32::from(BPS) {
            return Err(Error::SplitsExceedTip);
        }
        Ok(())
    }

    impl Ownable2Step for Tips {
        #[ink(message)]
        fn owner(&self) -> AccountId {
            self.owner.owner()
        }

        #[ink(message)]
        fn pending_owner(&self) -> Option<AccountId> {
            self.owner.pending()
        }

        #[ink(message)]
        fn transfer_ownership(
            &mut self,
            new_owner: Option<AccountId>,
        ) -> core::result::Result<(), OwnableError> {
            self.owner.offer(self.env().caller(), new_owner)
        }

        #[ink(message)]
        fn accept_ownership(&mut self) -> core::result::Result<(), OwnableError> {
            self.owner.accept(self.env().caller())
        }
    }

    #[cfg(test)]
    #[allow(clippy::arithmetic_side_effects)]
    mod tests {
        use super::*;
        use ink::env::test::{self, DefaultAccounts};
        use ink::env::DefaultEnvironment;
        use test_support::{accounts, assert_event, events, set_caller};

        const FEE_BPS: u16 = 250;

        fn balance(account: AccountId) -> Balance {
            test::get_account_balance::<DefaultEnvironment>(account).unwrap_or_default()
        }

        /// Sends `value` with the next call, as the chain would: it lands on the contract.
        fn pay_in(value: Balance) {
            let contract = test::callee::<DefaultEnvironment>();
            test::set_account_balance::<DefaultEnvironment>(contract, balance(contract) + value);
            test::set_value_transferred::<DefaultEnvironment>(value);
        }

        /// Owned by Alice; Frank is the treasury; Bob is a registered performer who
        /// accepts up to 5%. The token and rating accounts are placeholders: calls to
        /// them are end-to-end territory.
        fn tips() -> Tips {
            let DefaultAccounts {
                alice,
                bob,
                django,
                eve,
                frank,
                ..
            } = accounts();
            set_caller(alice);
            let mut tips = Tips::new(django, eve, frank, FEE_BPS).expect("fee under the cap");
            set_caller(bob);
            tips.register([1; 32], MAX_PLATFORM_FEE_BPS)
                .expect("registers");
            tips
        }

        #[ink::test]
        fn new_refuses_a_fee_above_the_cap() {
            let DefaultAccounts {
                alice,
                django,
                eve,
                frank,
                ..
            } = accounts();
            set_caller(alice);
            assert_eq!(
                Tips::new(django, eve, frank, MAX_PLATFORM_FEE_BPS + 1).err(),
                Some(Error::FeeAboveCap)
            );
        }

        #[ink::test]
        fn division_never_loses_or_creates_a_unit() {
            let DefaultAccounts {
                charlie, django, ..
            } = accounts();
            let splits = [
                Split {
                    recipient: charlie,
                    bps: 333,
                },
                Split {
                    recipient: django,
                    bps: 1,
                },
            ];
            for gross in [
                1u128,
                7,
                9_999,
                10_001,
                123_456_789,
                u128::MAX / 3,
                u128::MAX,
            ] {
                let division = divide(gross, 499, &splits).unwrap();
                let shares: Balance = division.splits.iter().map(|(_, share)| share).sum();
                assert_eq!(
                    division.net + division.platform_fee + shares,
                    gross,
                    "gross {gross}"
                );
                assert_eq!(
                    division.platform_fee,
                    (gross / 10_000) * 499 + (gross % 10_000) * 499 / 10_000
                );
            }
            let whole = divide(
                100,
                0,
                &[Split {
                    recipient: charlie,
                    bps: 10_000,
                }],
            )
            .unwrap();
            assert_eq!((whole.net, whole.splits[0].1), (0, 100));
            assert_eq!(
                divide(
                    10_000,
                    1,
                    &[Split {
                        recipient: charlie,
                        bps: 10_000
                    }]
                ),
                Err(Error::SplitsExceedTip)
            );
        }

        #[ink::test]
        fn register_records_commitments_only() {
            let tips = tips();
            let bob = accounts().bob;
            let entry = tips.performer(bob).unwrap();
            assert_eq!(entry.profile, [1; 32]);
            assert_eq!(entry.max_platform_fee_bps, MAX_PLATFORM_FEE_BPS);
            assert_eq!(entry.adult_attested_by, None);
            assert_event(
                &events()[1],
                PerformerRegistered {
                    performer: bob,
                    profile: [1; 32],
                    max_platform_fee_bps: MAX_PLATFORM_FEE_BPS,
                },
            );
        }

        #[ink::test]
        fn register_refuses_twice_and_fees_above_the_cap() {
            let mut tips = tips();
            assert_eq!(tips.register([2; 32], 0), Err(Error::AlreadyRegistered));
            set_caller(accounts().charlie);
            assert_eq!(
                tips.register([2; 32], MAX_PLATFORM_FEE_BPS + 1),
                Err(Error::FeeAboveCap)
            );
            assert_eq!(events().len(), 2);
        }

        #[ink::test]
        fn performers_update_and_erase_their_own_entry() {
            let mut tips = tips();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            assert_eq!(tips.set_profile([3; 32]), Ok(()));
            assert_eq!(tips.performer(bob).unwrap().profile, [3; 32]);
            assert_event(
                &events()[2],
                ProfileChanged {
                    performer: bob,
                    profile: [3; 32],
                },
            );
            assert_eq!(tips.set_max_platform_fee(100), Ok(()));
            assert_event(
                &events()[3],
                MaxPlatformFeeChanged {
                    performer: bob,
                    max_platform_fee_bps: 100,
                },
            );
            assert_eq!(tips.erase(), Ok(()));
            assert_eq!(tips.performer(bob), None);
            assert!(!tips.performers.contains(bob));
            assert_event(&events()[4], PerformerErased { performer: bob });
            assert_eq!(tips.erase(), Err(Error::NotRegistered));
            set_caller(charlie);
            assert_eq!(tips.set_profile([4; 32]), Err(Error::NotRegistered));
            assert_eq!(tips.set_splits(Vec::new()), Err(Error::NotRegistered));
            assert_eq!(tips.set_max_platform_fee(0), Err(Error::NotRegistered));
        }

        #[ink::test]
        fn splits_are_bounded_distinct_and_fit_the_tip() {
            let mut tips = tips();
            let DefaultAccounts {
                alice,
                bob,
                charlie,
                django,
                eve,
                frank,
            } = accounts();
            let split = |recipient, bps| Split { recipient, bps };
            let five = vec![
                split(alice, 1),
                split(charlie, 1),
                split(django, 1),
                split(eve, 1),
                split(frank, 1),
            ];
            assert_eq!(tips.set_splits(five), Err(Error::TooManySplits));
            assert_eq!(
                tips.set_splits(vec![split(charlie, 0)]),
                Err(Error::InvalidSplit)
            );
            assert_eq!(
                tips.set_splits(vec![split(charlie, 1), split(charlie, 2)]),
                Err(Error::InvalidSplit)
            );
            // 500 accepted fee + 9 501 > 10 000
            assert_eq!(
                tips.set_splits(vec![split(charlie, 9_501)]),
                Err(Error::SplitsExceedTip)
            );
            assert_eq!(events().len(), 2);
            let studio = vec![split(charlie, 9_000), split(django, 500)];
            assert_eq!(tips.set_splits(studio.clone()), Ok(()));
            assert_eq!(tips.performer(bob).unwrap().splits, studio);
            assert_event(
                &events()[2],
                SplitsChanged {
                    performer: bob,
                    splits: studio,
                },
            );
            // the accepted fee cannot grow into the splits' room...
            assert_eq!(
                tips.set_max_platform_fee(MAX_PLATFORM_FEE_BPS + 1),
                Err(Error::FeeAboveCap)
            );
            tips.set_max_platform_fee(0).unwrap();
            assert_eq!(tips.set_splits(vec![split(charlie, 10_000)]), Ok(()));
            assert_eq!(tips.set_max_platform_fee(1), Err(Error::SplitsExceedTip));
            // ...and an empty list removes every split
            assert_eq!(tips.set_splits(Vec::new()), Ok(()));
            assert!(tips.performer(bob).unwrap().splits.is_empty());
        }

        #[ink::test]
        fn only_allow_listed_verifiers_attest_and_removal_voids_it() {
            let mut tips = tips();
            let DefaultAccounts {
                alice,
                bob,
                charlie,
                ..
            } = accounts();
            set_caller(charlie);
            assert_eq!(
                tips.set_adult_attestation(bob, true),
                Err(Error::NotVerifier)
            );
            assert_eq!(tips.set_verifier(charlie, true), Err(Error::NotOwner));
            set_caller(alice);
            assert_eq!(tips.set_verifier(charlie, true), Ok(()));
            assert!(tips.is_verifier(charlie));
            assert_event(
                &events()[2],
                VerifierChanged {
                    verifier: charlie,
                    allowed: true,
                },
            );
            set_caller(charlie);
            assert_eq!(
                tips.set_adult_attestation(alice, true),
                Err(Error::NotRegistered)
            );
            assert_eq!(tips.set_adult_attestation(bob, true), Ok(()));
            assert!(tips.is_adult_attested(bob));
            assert_eq!(
                tips.performer(bob).unwrap().adult_attested_by,
                Some(charlie)
            );
            assert_event(
                &events()[3],
                AdultAttestationChanged {
                    performer: bob,
                    verifier: charlie,
                    adult: true,
                },
            );
            set_caller(alice);
            tips.set_verifier(charlie, false).unwrap();
            assert!(!tips.verifiers.contains(charlie));
            assert!(
                !tips.is_adult_attested(bob),
                "a removed verifier's word no longer counts"
            );
            tips.set_verifier(charlie, true).unwrap();
            set_caller(charlie);
            assert_eq!(tips.set_adult_attestation(bob, false), Ok(()));
            assert_eq!(tips.performer(bob).unwrap().adult_attested_by, None);
        }

        #[ink::test]
        fn the_owner_sets_the_fee_within_the_cap() {
            let mut tips = tips();
            let DefaultAccounts {
                alice,
                bob,
                charlie,
                ..
            } = accounts();
            set_caller(bob);
            assert_eq!(tips.set_platform_fee(bob, 0), Err(Error::NotOwner));
            set_caller(alice);
            assert_eq!(
                tips.set_platform_fee(charlie, MAX_PLATFORM_FEE_BPS + 1),
                Err(Error::FeeAboveCap)
            );
            assert_eq!(tips.set_platform_fee(charlie, 100), Ok(()));
            assert_eq!(tips.platform_fee(), (100, charlie));
            assert_event(
                &events()[2],
                PlatformFeeChanged {
                    treasury: charlie,
                    fee_bps: 100,
                },
            );
        }

        #[ink::test]
        fn a_fee_above_what_the_performer_accepts_blocks_their_tips() {
            let mut tips = tips();
            let DefaultAccounts {
                alice,
                bob,
                charlie,
                ..
            } = accounts();
            set_caller(bob);
            tips.set_max_platform_fee(100).unwrap();
            assert_eq!(tips.quote(bob, 1_000), Err(Error::FeeNotAccepted));
            set_caller(charlie);
            pay_in(1_000);
            assert_eq!(tips.tip_native(bob, None), Err(Error::FeeNotAccepted));
            set_caller(alice);
            tips.set_platform_fee(alice, 100).unwrap();
            assert_eq!(tips.quote(bob, 1_000).unwrap().platform_fee, 10);
        }

        #[ink::test]
        fn bad_tips_are_refused_before_anything_moves() {
            let mut tips = tips();
            let DefaultAccounts {
                bob,
                charlie,
                django,
                ..
            } = accounts();
            set_caller(charlie);
            assert_eq!(tips.tip(bob, 0, None), Err(Error::ZeroAmount));
            assert_eq!(tips.tip(django, 10, None), Err(Error::NotRegistered));
            set_caller(bob);
            assert_eq!(tips.tip(bob, 10, None), Err(Error::SelfTip));
            assert_eq!(tips.tip_native(bob, None), Err(Error::ZeroAmount));
            assert_eq!(tips.tip_count(), 0);
            assert_eq!(events().len(), 2);
        }

        #[ink::test]
        fn a_native_tip_is_forwarded_whole_in_the_same_call() {
            let mut tips = tips();
            let DefaultAccounts {
                bob,
                charlie,
                django,
                frank,
                ..
            } = accounts();
            set_caller(bob);
            tips.set_splits(vec![Split {
                recipient: django,
                bps: 1_000,
            }])
            .unwrap();
            let contract = test::callee::<DefaultEnvironment>();
            let before = [bob, django, frank, contract].map(balance);
            set_caller(charlie);
            pay_in(10_001);
            assert_eq!(tips.tip_native(bob, Some([5; 32])), Ok(0));
            let after = [bob, django, frank, contract].map(balance);
            // fee floor(10 001 * 250 / 10 000) = 250, split 1 000, the rest to bob
            assert_eq!(after[0] - before[0], 8_751);
            assert_eq!(after[1] - before[1], 1_000);
            assert_eq!(after[2] - before[2], 250);
            assert_eq!(after[3], before[3], "the contract holds nothing");
            assert_eq!(tips.tip_count(), 1);
            assert_event(
                &events()[3],
                Tipped {
                    viewer: charlie,
                    performer: bob,
                    tip_id: 0,
                    token: None,
                    gross: 10_001,
                    platform_fee: 250,
                    treasury: frank,
                    splits: vec![(django, 1_000)],
                    net: 8_751,
                    memo: Some([5; 32]),
                    at: 0,
                },
            );
        }

        #[ink::test]
        fn ownership_moves_in_two_steps() {
            let mut tips = tips();
            let DefaultAccounts { alice, charlie, .. } = accounts();
            set_caller(alice);
            assert_eq!(tips.transfer_ownership(Some(charlie)), Ok(()));
            set_caller(charlie);
            assert_eq!(tips.accept_ownership(), Ok(()));
            assert_eq!(tips.owner(), charlie);
            set_caller(alice);
            assert_eq!(tips.set_verifier(alice, true), Err(Error::NotOwner));
        }
    }
}

#[cfg(all(test, feature = "e2e-tests"))]
#[allow(clippy::arithmetic_side_effects)]
mod e2e_tests;
