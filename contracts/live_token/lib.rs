//! LIVE: the livestars token, with instant tip settlement and the open rating
//! built in.
//!
//! - **A standard PSP22 token** (selectors, events, metadata), so wallets list it
//!   with their generic ABIs; its supply can never pass a cap fixed at
//!   instantiation.
//! - **Tips** move straight from the viewer's balance to the performer, the
//!   treasury and the performer's splits in one call, and burn the rating stake:
//!   nothing is held and no allowance is needed. Settling inside the token is what
//!   makes a tip cost little more than a transfer (no cross-contract calls), and
//!   it means the rating counts exactly what left the viewer's balance.
//! - **Private shows** are billed per second (`show-meter`): the viewer's deposit
//!   waits in this contract's own balance, the performer claims what has accrued
//!   at any time, either side ends the show alone and the rest goes back to the
//!   viewer in the same call. What the performer earns divides like a tip.
//! - **The rating** (`rating-formula`, `docs/RATING.md`) counts only burned stake.
//!
//! The rules live in plain crates (`settlement`, `rating-formula`); this contract
//! is the storage and the checks of who may call what. Every owner change that
//! affects others (rating parameters, platform fee, treasury) is announced and
//! applies only after `CHANGE_DELAY_MS`.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::live_token::{
    Attestation, Error, LiveToken, LiveTokenRef, Performer, PlatformFee, Show, ShowTerms,
    VersionedParams,
};
pub use livestars_abi::Tipped;
pub use rating_formula::{Params, Rating as RatingBreakdown};

#[ink::contract]
mod live_token {
    use ink::prelude::{string::String, vec::Vec};
    use ink::storage::Mapping;
    use ownable::{Ownable, Ownable2Step, OwnableError};
    use psp22_traits::{PSP22Burnable, PSP22Error, PSP22Metadata, PSP22};
    use rating_formula::{
        tick_of, Contribution, Params, ParamsError, Rating as RatingBreakdown, Scheduled, Score,
        MAX_COUNTED, MAX_STARS, MIN_STARS,
    };
    use settlement::{check_splits, divide, SettlementError, MAX_FEE_BPS, MAX_PLATFORM_FEE_BPS};
    use show_meter::{Meter, MeterError};

    /// Decimal places of LIVE, as of the chain's native unit.
    pub const DECIMALS: u8 = 12;

    pub use livestars_abi::{Commitment, Split};
    /// How one tip divides.
    pub type Division = settlement::Division<AccountId>;

    // The events are declared once, in `livestars-abi`, with the indexer.
    pub use livestars_abi::{
        AdultAttestationChanged, Approval, MaxFeeChanged, ParamsAnnounced, PerformerErased,
        PerformerRegistered, PlatformFeeAnnounced, ProfileChanged, Rated, ScorePruned, ShowEnded,
        ShowOpened, ShowPaid, ShowTermsChanged, ShowToppedUp, SplitsChanged, SupporterRemoved,
        Tipped, Transfer, VerifierChanged,
    };

    /// Why a call was refused; nothing changed and no funds moved.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    // scale-info's derive casts variant indices, of which there are few.
    #[allow(clippy::cast_possible_truncation)]
    pub enum Error {
        /// Only the owner may do this.
        NotOwner,
        /// The mint would take the supply past the cap.
        CapExceeded,
        /// The cap is above what the rating can count (`MAX_COUNTED`).
        CapTooLarge,
        /// Only an allow-listed verifier may attest.
        NotVerifier,
        /// Another (allow-listed) verifier holds this performer's attestation.
        AttestedByAnother,
        /// The caller is registered already.
        AlreadyRegistered,
        /// The performer is not registered.
        NotRegistered,
        /// The performer has no 18+ attestation from an allow-listed verifier.
        NotAttested,
        /// A fee above its cap.
        FeeAboveCap,
        /// The platform fee plus the rating stake is above what the performer accepts.
        FeeNotAccepted,
        /// More than `MAX_SPLITS` splits.
        TooManySplits,
        /// A split of 0 bps, or a recipient named twice.
        InvalidSplit,
        /// A split recipient or treasury that would lock funds or move nothing: the
        /// performer, this contract, the zero account.
        InvalidRecipient,
        /// The shares exceed the whole tip.
        SplitsExceedTip,
        /// A tip of nothing.
        ZeroAmount,
        /// A LIVE tip too small to burn a single unit of stake.
        TipTooSmall,
        /// Performers cannot tip themselves.
        SelfTip,
        /// The viewer is the treasury or a split recipient: part of the tip would
        /// not move at all.
        SelfTransfer,
        /// The viewer's LIVE balance is below the tip.
        InsufficientBalance,
        /// A native transfer failed (e.g. it would leave an account below the existential deposit).
        NativeTransferFailed,
        /// Stars must be 1 to 5.
        InvalidStars,
        /// The caller has no stake in this performer's score.
        NotASupporter,
        /// The score still counts, or its performer is registered.
        ScoreInUse,
        /// The rating parameters are out of range.
        InvalidParams(ParamsError),
        /// A counter would overflow.
        Overflow,
        /// The performer offers no private shows now.
        ShowsUnavailable,
        /// This viewer has a show open with this performer already.
        ShowAlreadyOpen,
        /// No open show has this id (it never existed or has ended).
        NoSuchShow,
        /// Only the show's viewer or performer may do this (anyone may end a spent show).
        NotAParty,
        /// A deposit or top-up below one minute's price.
        DepositBelowOneMinute,
        /// A deposit above what a meter holds (`show_meter::MAX_DEPOSIT`).
        DepositTooLarge,
        /// The deposit is spent: the show can only be ended.
        ShowSpent,
    }

    /// Result of a livestars message.
    pub type Result<T> = core::result::Result<T, Error>;

    /// An 18+ attestation: the verifier and the listing it held when it attested.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Attestation {
        pub verifier: AccountId,
        /// Counts only while the verifier is still listed under this number.
        pub listing: u32,
    }

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

    /// A performer's private-show offer.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct ShowTerms {
        pub price_per_minute: Balance,
        /// `false` pauses new shows; open ones run on.
        pub available: bool,
    }

    /// An open private show: its parties, the terms fixed when it opened, its meter.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Show {
        pub viewer: AccountId,
        pub performer: AccountId,
        pub fee_bps: u16,
        pub burn_bps: u16,
        pub meter: Meter,
    }

    /// LIVE's state: the token, the performer registry, the tip counter and the rating.
    #[ink(storage)]
    pub struct LiveToken {
        total_supply: u128,
        cap: u128,
        pub(crate) balances: Mapping<AccountId, u128>,
        pub(crate) allowances: Mapping<(AccountId, AccountId), u128>,
        /// The owner: minter and administrator.
        owner: Ownable,
        performers: Mapping<AccountId, Performer>,
        /// Listed verifiers and the listing number each holds.
        verifiers: Mapping<AccountId, u32>,
        listings: u32,
        fee: Scheduled<PlatformFee>,
        params: Scheduled<VersionedParams>,
        tip_count: u64,
        scores: Mapping<AccountId, Score>,
        pub(crate) supporters: Mapping<(AccountId, AccountId), Contribution>,
        show_terms: Mapping<AccountId, ShowTerms>,
        /// Open shows by id; removed when they end.
        pub(crate) shows: Mapping<u64, Show>,
        /// The open show of a (viewer, performer) pair: one at a time.
        open_shows: Mapping<(AccountId, AccountId), u64>,
        show_count: u64,
    }

    impl LiveToken {
        /// Creates LIVE with a hard `cap` on the supply, mints `initial_supply` to the
        /// caller (who becomes the owner), and starts with a platform fee of
        /// `fee_bps` to `treasury` and version 1 of the rating parameters.
        #[ink(constructor)]
        pub fn new(
            cap: u128,
            initial_supply: u128,
            treasury: AccountId,
            fee_bps: u16,
            params: Params,
        ) -> Result<Self> {
            if cap > MAX_COUNTED {
                return Err(Error::CapTooLarge);
            }
            if initial_supply > cap {
                return Err(Error::CapExceeded);
            }
            params.validate().map_err(Error::InvalidParams)?;
            let caller = Self::env().caller();
            let fee = PlatformFee { fee_bps, treasury };
            let versioned = VersionedParams { version: 1, params };
            let mut token = Self {
                total_supply: 0,
                cap,
                balances: Mapping::default(),
                allowances: Mapping::default(),
                owner: Ownable::new(caller),
                performers: Mapping::default(),
                verifiers: Mapping::default(),
                listings: 0,
                fee: Scheduled::new(fee),
                params: Scheduled::new(versioned),
                tip_count: 0,
                scores: Mapping::default(),
                supporters: Mapping::default(),
                show_terms: Mapping::default(),
                shows: Mapping::default(),
                open_shows: Mapping::default(),
                show_count: 0,
            };
            token.check_fee(&fee)?;
            let now = token.env().block_timestamp();
            token.env().emit_event(PlatformFeeAnnounced {
                treasury,
                fee_bps,
                effective_at: now,
            });
            token.env().emit_event(ParamsAnnounced {
                version: 1,
                params,
                effective_at: now,
            });
            token.mint_to(caller, initial_supply)?;
            Ok(token)
        }

        /// The most LIVE that can ever exist.
        #[ink(message)]
        pub fn cap(&self) -> u128 {
            self.cap
        }

        /// Creates `value` new tokens for `to`; owner only, never past the cap.
        #[ink(message)]
        pub fn mint(&mut self, to: AccountId, value: u128) -> Result<()> {
            self.ensure_owner()?;
            self.mint_to(to, value)
        }

        // ---- tips ----

        /// Tips `performer` `amount` LIVE from the caller's balance: the platform fee,
        /// the splits and the rest land in their wallets in this call, and the rating
        /// stake is burned and counted. `memo` is an optional commitment, never text.
        #[ink(message)]
        pub fn tip(
            &mut self,
            performer: AccountId,
            amount: Balance,
            memo: Option<Commitment>,
        ) -> Result<u64> {
            let viewer = self.env().caller();
            let (division, fee) = self.check_tip(viewer, performer, amount, true)?;
            if division.burned == 0 {
                return Err(Error::TipTooSmall);
            }
            self.debit(viewer, amount)?;
            self.stake(viewer, performer, division.burned)?;
            self.credit(viewer, fee.treasury, division.platform_fee);
            for (recipient, share) in &division.splits {
                self.credit(viewer, *recipient, *share);
            }
            self.credit(viewer, performer, division.net);
            self.burn_from(viewer, division.burned);
            let token = Some(self.env().account_id());
            self.settled(viewer, performer, token, amount, division, fee, memo)
        }

        /// Tips `performer` the native currency sent with the call, forwarded at once.
        /// Native tips divide like LIVE tips but burn nothing, so they do not feed
        /// the rating.
        #[ink(message, payable)]
        pub fn tip_native(
            &mut self,
            performer: AccountId,
            memo: Option<Commitment>,
        ) -> Result<u64> {
            let viewer = self.env().caller();
            let amount = self.env().transferred_value();
            let (division, fee) = self.check_tip(viewer, performer, amount, false)?;
            self.send_native(fee.treasury, division.platform_fee)?;
            for (recipient, share) in &division.splits {
                self.send_native(*recipient, *share)?;
            }
            self.send_native(performer, division.net)?;
            self.settled(viewer, performer, None, amount, division, fee, memo)
        }

        /// How a LIVE tip of `amount` to `performer` would divide now.
        #[ink(message)]
        pub fn quote(&self, performer: AccountId, amount: Balance) -> Result<Division> {
            let now = self.env().block_timestamp();
            let entry = self.performers.get(performer).ok_or(Error::NotRegistered)?;
            let fee = self.fee.at(now);
            let burn_bps = self.params.at(now).params.burn_bps;
            if fee.fee_bps.saturating_add(burn_bps) > entry.max_fee_bps {
                return Err(Error::FeeNotAccepted);
            }
            divide(amount, fee.fee_bps, burn_bps, &entry.splits).map_err(settlement_error)
        }

        /// Number of tips settled so far.
        #[ink(message)]
        pub fn tip_count(&self) -> u64 {
            self.tip_count
        }

        // ---- private shows ----

        /// Sets the caller's private-show price per minute and whether new shows may
        /// open; a price of 0 (with `available: false`) withdraws the offer. A change
        /// never applies to a show already open.
        #[ink(message)]
        pub fn set_show_terms(&mut self, price_per_minute: Balance, available: bool) -> Result<()> {
            let (performer, _) = self.caller_entry()?;
            if price_per_minute == 0 {
                if available {
                    return Err(Error::ZeroAmount);
                }
                self.show_terms.remove(performer);
            } else {
                self.show_terms.insert(
                    performer,
                    &ShowTerms {
                        price_per_minute,
                        available,
                    },
                );
            }
            self.env().emit_event(ShowTermsChanged {
                performer,
                price_per_minute,
                available,
            });
            Ok(())
        }

        /// The performer's private-show terms, if they offer any.
        #[ink(message)]
        pub fn show_terms(&self, performer: AccountId) -> Option<ShowTerms> {
            self.show_terms.get(performer)
        }

        /// Opens a private show with `performer` at their current price: `deposit`
        /// (at least one minute) moves from the caller into this contract, and the
        /// performer earns it per whole second from this block on. The platform fee
        /// and rating stake in force now apply to the whole show.
        #[ink(message)]
        pub fn open_show(&mut self, performer: AccountId, deposit: Balance) -> Result<u64> {
            let viewer = self.env().caller();
            let (_, fee, burn_bps) = self.check_payee(viewer, performer)?;
            let terms = self
                .show_terms
                .get(performer)
                .filter(|terms| terms.available)
                .ok_or(Error::ShowsUnavailable)?;
            if self.open_shows.contains((viewer, performer)) {
                return Err(Error::ShowAlreadyOpen);
            }
            let now = self.env().block_timestamp();
            let meter = Meter::open(terms.price_per_minute, deposit, now).map_err(meter_error)?;
            let show_id = self.show_count;
            let next = show_id.checked_add(1).ok_or(Error::Overflow)?;
            self.debit(viewer, deposit)?;
            self.show_count = next;
            self.credit(viewer, self.env().account_id(), deposit);
            let show = Show {
                viewer,
                performer,
                fee_bps: fee.fee_bps,
                burn_bps,
                meter,
            };
            self.shows.insert(show_id, &show);
            self.open_shows.insert((viewer, performer), &show_id);
            self.env().emit_event(ShowOpened {
                viewer,
                performer,
                show_id,
                price_per_minute: terms.price_per_minute,
                deposit,
                fee_bps: fee.fee_bps,
                burn_bps,
                at: now,
            });
            Ok(show_id)
        }

        /// Adds `amount` (at least one minute) to the deposit of the caller's running
        /// show; refused once the deposit is spent.
        #[ink(message)]
        pub fn top_up_show(&mut self, show_id: u64, amount: Balance) -> Result<()> {
            let viewer = self.env().caller();
            let mut show = self.shows.get(show_id).ok_or(Error::NoSuchShow)?;
            if show.viewer != viewer {
                return Err(Error::NotAParty);
            }
            let now = self.env().block_timestamp();
            show.meter.top_up(amount, now).map_err(meter_error)?;
            self.debit(viewer, amount)?;
            self.credit(viewer, self.env().account_id(), amount);
            self.shows.insert(show_id, &show);
            self.env().emit_event(ShowToppedUp {
                viewer,
                performer: show.performer,
                show_id,
                amount,
                deposit: show.meter.deposit,
                at: now,
            });
            Ok(())
        }

        /// Pays the performer what the show has earned and not yet paid; the
        /// performer only. Returns the gross paid.
        #[ink(message)]
        pub fn claim_show(&mut self, show_id: u64) -> Result<Balance> {
            let mut show = self.shows.get(show_id).ok_or(Error::NoSuchShow)?;
            if show.performer != self.env().caller() {
                return Err(Error::NotAParty);
            }
            let due = show.meter.claim(self.env().block_timestamp());
            self.pay_show(show_id, &show, due)?;
            self.shows.insert(show_id, &show);
            Ok(due)
        }

        /// Ends a show: the performer is paid what was earned, the viewer gets the
        /// rest back, and the show's storage is removed. Either party may end it at
        /// any time; anyone may end a show whose deposit is spent.
        #[ink(message)]
        pub fn end_show(&mut self, show_id: u64) -> Result<()> {
            let caller = self.env().caller();
            let now = self.env().block_timestamp();
            let mut show = self.shows.get(show_id).ok_or(Error::NoSuchShow)?;
            let party = caller == show.viewer || caller == show.performer;
            if !party && show.meter.earned(now) < show.meter.deposit {
                return Err(Error::NotAParty);
            }
            let settlement = show.meter.end(now).map_err(meter_error)?;
            self.pay_show(show_id, &show, settlement.to_performer)?;
            let contract = self.release(settlement.to_viewer);
            self.credit(contract, show.viewer, settlement.to_viewer);
            self.shows.remove(show_id);
            self.open_shows.remove((show.viewer, show.performer));
            self.env().emit_event(ShowEnded {
                viewer: show.viewer,
                performer: show.performer,
                show_id,
                ended_by: caller,
                deposit: show.meter.deposit,
                paid: show.meter.paid,
                refunded: show.meter.refunded,
                billed_seconds: show.meter.billed_seconds(now),
                at: now,
            });
            Ok(())
        }

        /// An open show, by id.
        #[ink(message)]
        pub fn show(&self, show_id: u64) -> Option<Show> {
            self.shows.get(show_id)
        }

        /// The id of the open show between `viewer` and `performer`, if any.
        #[ink(message)]
        pub fn open_show_between(&self, viewer: AccountId, performer: AccountId) -> Option<u64> {
            self.open_shows.get((viewer, performer))
        }

        /// Number of shows ever opened (the next show's id).
        #[ink(message)]
        pub fn show_count(&self) -> u64 {
            self.show_count
        }

        // ---- performers ----

        /// Opts the caller in as a performer with a profile commitment and the most
        /// of a tip they accept to lose to the platform fee and the rating stake.
        /// Tips need an 18+ attestation as well.
        #[ink(message)]
        pub fn register(&mut self, profile: Commitment, max_fee_bps: u16) -> Result<()> {
            let performer = self.env().caller();
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
            self.env().emit_event(PerformerRegistered {
                performer,
                profile,
                max_fee_bps,
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

        /// Changes the most of a tip the caller accepts to lose to fee and stake.
        #[ink(message)]
        pub fn set_max_fee(&mut self, max_fee_bps: u16) -> Result<()> {
            let (performer, mut entry) = self.caller_entry()?;
            if max_fee_bps > MAX_FEE_BPS {
                return Err(Error::FeeAboveCap);
            }
            self.check_splits(performer, &entry.splits, max_fee_bps)?;
            entry.max_fee_bps = max_fee_bps;
            self.performers.insert(performer, &entry);
            self.env().emit_event(MaxFeeChanged {
                performer,
                max_fee_bps,
            });
            Ok(())
        }

        /// Replaces the caller's splits; an empty list removes them all.
        #[ink(message)]
        pub fn set_splits(&mut self, splits: Vec<Split>) -> Result<()> {
            let (performer, mut entry) = self.caller_entry()?;
            self.check_splits(performer, &splits, entry.max_fee_bps)?;
            entry.splits = splits.clone();
            self.performers.insert(performer, &entry);
            self.env().emit_event(SplitsChanged { performer, splits });
            Ok(())
        }

        /// Erases the caller's performer entry and show terms; tips and new shows to
        /// them fail from now on (open shows run on and settle as usual). The
        /// score stays (anonymous sums, no profile), so erasing and registering again
        /// resumes it rather than starting afresh.
        #[ink(message)]
        pub fn erase(&mut self) -> Result<()> {
            let (performer, _) = self.caller_entry()?;
            self.performers.remove(performer);
            self.show_terms.remove(performer);
            self.env().emit_event(PerformerErased { performer });
            Ok(())
        }

        /// The performer's entry, if registered.
        #[ink(message)]
        pub fn performer(&self, performer: AccountId) -> Option<Performer> {
            self.performers.get(performer)
        }

        // ---- 18+ attestations ----

        /// Attests that `performer` is 18+ (`adult: true`) or withdraws the caller's
        /// own attestation; allow-listed verifiers only, and never over another
        /// listed verifier's. The documents stay with the verifier, never on-chain.
        #[ink(message)]
        pub fn set_adult_attestation(&mut self, performer: AccountId, adult: bool) -> Result<()> {
            let verifier = self.env().caller();
            let listing = self.verifiers.get(verifier).ok_or(Error::NotVerifier)?;
            let mut entry = self.performers.get(performer).ok_or(Error::NotRegistered)?;
            if let Some(current) = entry.adult {
                if current.verifier != verifier && self.is_valid(&current) {
                    return Err(Error::AttestedByAnother);
                }
            }
            entry.adult = adult.then_some(Attestation { verifier, listing });
            self.performers.insert(performer, &entry);
            self.env().emit_event(AdultAttestationChanged {
                performer,
                verifier,
                adult,
            });
            Ok(())
        }

        /// Lists (`allowed: true`) or delists an 18+ verifier; owner only. Listing
        /// again gives a new listing number, so old attestations stay void.
        #[ink(message)]
        pub fn set_verifier(&mut self, verifier: AccountId, allowed: bool) -> Result<()> {
            self.ensure_owner()?;
            if allowed == self.verifiers.contains(verifier) {
                return Ok(());
            }
            if allowed {
                let listing = self.listings.checked_add(1).ok_or(Error::Overflow)?;
                self.listings = listing;
                self.verifiers.insert(verifier, &listing);
            } else {
                self.verifiers.remove(verifier);
            }
            self.env().emit_event(VerifierChanged { verifier, allowed });
            Ok(())
        }

        /// Whether `performer` holds an 18+ attestation that still counts.
        #[ink(message)]
        pub fn is_adult_attested(&self, performer: AccountId) -> bool {
            self.performers
                .get(performer)
                .and_then(|entry| entry.adult)
                .is_some_and(|attestation| self.is_valid(&attestation))
        }

        /// Whether `account` may give 18+ attestations.
        #[ink(message)]
        pub fn is_verifier(&self, account: AccountId) -> bool {
            self.verifiers.contains(account)
        }

        // ---- platform fee ----

        /// The platform fee in force now.
        #[ink(message)]
        pub fn platform_fee(&self) -> PlatformFee {
            self.fee.at(self.env().block_timestamp())
        }

        /// The platform fee in force and the announced one, with when it applies.
        #[ink(message)]
        pub fn platform_fee_schedule(&self) -> Scheduled<PlatformFee> {
            self.fee
        }

        /// Announces a platform fee (at most `MAX_PLATFORM_FEE_BPS`) and treasury,
        /// applying after `CHANGE_DELAY_MS`; owner only. Tips to performers who do
        /// not accept it fail from then on, unless they accept it in the meantime.
        #[ink(message)]
        pub fn announce_platform_fee(&mut self, treasury: AccountId, fee_bps: u16) -> Result<()> {
            self.ensure_owner()?;
            let fee = PlatformFee { fee_bps, treasury };
            self.check_fee(&fee)?;
            let now = self.env().block_timestamp();
            let effective_at = self.fee.announce(fee, now).map_err(|_| Error::Overflow)?;
            self.env().emit_event(PlatformFeeAnnounced {
                treasury,
                fee_bps,
                effective_at,
            });
            Ok(())
        }

        // ---- rating ----

        /// `performer`'s rating now, broken into its terms.
        #[ink(message)]
        pub fn rating_of(&self, performer: AccountId) -> RatingBreakdown {
            let now = self.env().block_timestamp();
            self.scores
                .get(performer)
                .unwrap_or_default()
                .rating(&self.params.at(now).params, tick_of(now))
        }

        /// `performer`'s stored score, if any.
        #[ink(message)]
        pub fn score_of(&self, performer: AccountId) -> Option<Score> {
            self.scores.get(performer)
        }

        /// `viewer`'s contribution to `performer`, if any.
        #[ink(message)]
        pub fn supporter(&self, performer: AccountId, viewer: AccountId) -> Option<Contribution> {
            self.supporters.get((performer, viewer))
        }

        /// The rating parameters in force now, with their version.
        #[ink(message)]
        pub fn params(&self) -> VersionedParams {
            self.params.at(self.env().block_timestamp())
        }

        /// The parameters in force and the announced ones, with when they apply.
        #[ink(message)]
        pub fn params_schedule(&self) -> Scheduled<VersionedParams> {
            self.params
        }

        /// Announces new rating parameters as the next version, applying after
        /// `CHANGE_DELAY_MS`; owner only. Stake already counted is never rewritten.
        #[ink(message)]
        pub fn announce_params(&mut self, params: Params) -> Result<()> {
            self.ensure_owner()?;
            params.validate().map_err(Error::InvalidParams)?;
            let now = self.env().block_timestamp();
            let latest = self
                .params
                .next
                .map_or(self.params.current, |(next, _)| next);
            let version = latest.version.checked_add(1).ok_or(Error::Overflow)?;
            let effective_at = self
                .params
                .announce(VersionedParams { version, params }, now)
                .map_err(|_| Error::Overflow)?;
            self.env().emit_event(ParamsAnnounced {
                version,
                params,
                effective_at,
            });
            Ok(())
        }

        /// Gives `performer` 1–5 stars from the caller, weighted by the caller's
        /// stake in their score; a later call replaces the earlier vote.
        #[ink(message)]
        pub fn rate(&mut self, performer: AccountId, stars: u8) -> Result<()> {
            if !(MIN_STARS..=MAX_STARS).contains(&stars) {
                return Err(Error::InvalidStars);
            }
            let viewer = self.env().caller();
            let mut entry = self
                .supporters
                .get((performer, viewer))
                .ok_or(Error::NotASupporter)?;
            if entry.stars == Some(stars) {
                return Ok(());
            }
            let now = self.env().block_timestamp();
            let mut score = self.scores.get(performer).unwrap_or_default();
            let previous = score
                .vote(&mut entry, stars, tick_of(now))
                .map_err(|_| Error::Overflow)?;
            self.scores.insert(performer, &score);
            self.supporters.insert((performer, viewer), &entry);
            self.env().emit_event(Rated {
                performer,
                viewer,
                stars,
                previous,
                at: now,
            });
            Ok(())
        }

        /// Removes the caller's contribution to `performer`: exactly their decayed
        /// stake and their vote leave the score, and the entry's storage is freed.
        #[ink(message)]
        pub fn remove_supporter(&mut self, performer: AccountId) -> Result<()> {
            let viewer = self.env().caller();
            let entry = self
                .supporters
                .get((performer, viewer))
                .ok_or(Error::NotASupporter)?;
            let now = self.env().block_timestamp();
            let mut score = self.scores.get(performer).unwrap_or_default();
            let stake = score.withdraw(&entry, tick_of(now));
            self.scores.insert(performer, &score);
            self.supporters.remove((performer, viewer));
            self.env().emit_event(SupporterRemoved {
                performer,
                viewer,
                stake,
                stars: entry.stars,
                at: now,
            });
            Ok(())
        }

        /// Deletes the score of a performer who is not registered once it is spent
        /// (it rates exactly like no score); anyone may call it, to free storage.
        #[ink(message)]
        pub fn prune_score(&mut self, performer: AccountId) -> Result<()> {
            let score = self.scores.get(performer).ok_or(Error::ScoreInUse)?;
            let tick = tick_of(self.env().block_timestamp());
            if self.performers.contains(performer) || !score.is_spent(tick) {
                return Err(Error::ScoreInUse);
            }
            self.scores.remove(performer);
            self.env().emit_event(ScorePruned { performer });
            Ok(())
        }

        // ---- internals ----

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

        fn is_valid(&self, attestation: &Attestation) -> bool {
            self.verifiers.get(attestation.verifier) == Some(attestation.listing)
        }

        /// Accounts that can never receive a share: funds sent there are lost or
        /// go nowhere (this contract, the zero account).
        fn is_sink(&self, account: &AccountId) -> bool {
            *account == self.env().account_id() || *account == AccountId::from([0; 32])
        }

        fn check_fee(&self, fee: &PlatformFee) -> Result<()> {
            if fee.fee_bps > MAX_PLATFORM_FEE_BPS {
                return Err(Error::FeeAboveCap);
            }
            if self.is_sink(&fee.treasury) {
                return Err(Error::InvalidRecipient);
            }
            Ok(())
        }

        fn check_splits(
            &self,
            performer: AccountId,
            splits: &[Split],
            max_fee_bps: u16,
        ) -> Result<()> {
            check_splits(splits, max_fee_bps, |recipient| {
                *recipient == performer || self.is_sink(recipient)
            })
            .map_err(settlement_error)
        }

        /// Checks that `viewer` may pay `performer` now (registered, attested, fees
        /// accepted, no share back to the viewer). Returns the performer's entry, the
        /// fee in force and the rating stake (bps).
        fn check_payee(
            &mut self,
            viewer: AccountId,
            performer: AccountId,
        ) -> Result<(Performer, PlatformFee, u16)> {
            if viewer == performer {
                return Err(Error::SelfTip);
            }
            let now = self.env().block_timestamp();
            self.fee.settle(now);
            self.params.settle(now);
            let entry = self.performers.get(performer).ok_or(Error::NotRegistered)?;
            if !entry
                .adult
                .is_some_and(|attestation| self.is_valid(&attestation))
            {
                return Err(Error::NotAttested);
            }
            let fee = self.fee.current;
            let burn_bps = self.params.current.params.burn_bps;
            if fee.fee_bps.saturating_add(burn_bps) > entry.max_fee_bps {
                return Err(Error::FeeNotAccepted);
            }
            if fee.treasury == viewer || entry.splits.iter().any(|split| split.recipient == viewer)
            {
                return Err(Error::SelfTransfer);
            }
            Ok((entry, fee, burn_bps))
        }

        /// Checks a tip and divides it; nothing moves yet. Returns the fee in force.
        fn check_tip(
            &mut self,
            viewer: AccountId,
            performer: AccountId,
            amount: Balance,
            live: bool,
        ) -> Result<(Division, PlatformFee)> {
            if amount == 0 {
                return Err(Error::ZeroAmount);
            }
            let (entry, fee, burn_bps) = self.check_payee(viewer, performer)?;
            let division = divide(
                amount,
                fee.fee_bps,
                if live { burn_bps } else { 0 },
                &entry.splits,
            )
            .map_err(settlement_error)?;
            Ok((division, fee))
        }

        /// Counts `burned` as `viewer`'s stake in `performer`'s score.
        fn stake(&mut self, viewer: AccountId, performer: AccountId, burned: u128) -> Result<()> {
            let tick = tick_of(self.env().block_timestamp());
            let mut score = self.scores.get(performer).unwrap_or_default();
            let mut entry = self.supporters.get((performer, viewer)).unwrap_or_default();
            score
                .stake(&mut entry, burned, tick)
                .map_err(|_| Error::Overflow)?;
            self.scores.insert(performer, &score);
            self.supporters.insert((performer, viewer), &entry);
            Ok(())
        }

        /// Takes `value` out of `owner`'s balance; the caller credits (or burns) it on,
        /// which emits the `Transfer`s.
        fn debit(&mut self, owner: AccountId, value: u128) -> Result<()> {
            let rest = self
                .balance_of_impl(owner)
                .checked_sub(value)
                .ok_or(Error::InsufficientBalance)?;
            self.set_balance(owner, rest);
            Ok(())
        }

        /// Takes `value` of a show's deposit out of this contract's own balance, which
        /// holds every open show's deposit, so it never falls short (and a refund is
        /// never blocked). Returns the contract's account, which the caller credits from.
        fn release(&mut self, value: u128) -> AccountId {
            let contract = self.env().account_id();
            let rest = self.balance_of_impl(contract).saturating_sub(value);
            self.set_balance(contract, rest);
            contract
        }

        /// Burns `value` of `from`'s balance, already debited, and emits the `Transfer`.
        fn burn_from(&mut self, from: AccountId, value: u128) {
            if value == 0 {
                return;
            }
            // value <= a debited balance <= total_supply
            self.total_supply = self.total_supply.saturating_sub(value);
            self.env().emit_event(Transfer {
                from: Some(from),
                to: None,
                value,
            });
        }

        /// Pays `gross` of `show`'s deposit, held by this contract: divided like a tip
        /// with the fee and stake fixed at opening, the splits the performer names
        /// now, the stake counted in the rating. Never refuses on the performer's
        /// later changes, so a show can always be ended.
        fn pay_show(&mut self, show_id: u64, show: &Show, gross: Balance) -> Result<()> {
            if gross == 0 {
                return Ok(());
            }
            let now = self.env().block_timestamp();
            self.fee.settle(now);
            let treasury = self.fee.current.treasury;
            let splits = self
                .performers
                .get(show.performer)
                .map(|entry| entry.splits)
                .unwrap_or_default();
            // Splits a performer widened after lowering their fee cap may no longer
            // fit beside the fixed fee: the performer is then paid without them.
            let division = divide(gross, show.fee_bps, show.burn_bps, &splits)
                .or_else(|_| divide(gross, show.fee_bps, show.burn_bps, &[]))
                .map_err(settlement_error)?;
            if division.burned > 0 {
                self.stake(show.viewer, show.performer, division.burned)?;
            }
            let contract = self.release(gross);
            self.credit(contract, treasury, division.platform_fee);
            for (recipient, share) in &division.splits {
                self.credit(contract, *recipient, *share);
            }
            self.credit(contract, show.performer, division.net);
            self.burn_from(contract, division.burned);
            self.env().emit_event(ShowPaid {
                viewer: show.viewer,
                performer: show.performer,
                show_id,
                gross,
                platform_fee: division.platform_fee,
                treasury,
                burned: division.burned,
                splits: division.splits,
                net: division.net,
                at: now,
            });
            Ok(())
        }

        /// Credits `value` paid by `from` to `to` and emits the PSP22 `Transfer`.
        fn credit(&mut self, from: AccountId, to: AccountId, value: u128) {
            if value == 0 {
                return;
            }
            // The sum of balances is the supply, so no balance can overflow.
            let balance = self.balance_of_impl(to).saturating_add(value);
            self.set_balance(to, balance);
            self.env().emit_event(Transfer {
                from: Some(from),
                to: Some(to),
                value,
            });
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
        #[allow(clippy::too_many_arguments)]
        fn settled(
            &mut self,
            viewer: AccountId,
            performer: AccountId,
            token: Option<AccountId>,
            gross: Balance,
            division: Division,
            fee: PlatformFee,
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
                treasury: fee.treasury,
                burned: division.burned,
                splits: division.splits,
                net: division.net,
                memo,
                at: self.env().block_timestamp(),
            });
            Ok(tip_id)
        }

        /// Creates `value` tokens for `to`, never past the cap.
        fn mint_to(&mut self, to: AccountId, value: u128) -> Result<()> {
            let supply = self
                .total_supply
                .checked_add(value)
                .filter(|supply| *supply <= self.cap)
                .ok_or(Error::CapExceeded)?;
            if value == 0 {
                return Ok(());
            }
            self.total_supply = supply;
            // A balance never exceeds the supply, which is bounded by the cap.
            let balance = self.balance_of_impl(to).saturating_add(value);
            self.set_balance(to, balance);
            self.env().emit_event(Transfer {
                from: None,
                to: Some(to),
                value,
            });
            Ok(())
        }

        fn balance_of_impl(&self, owner: AccountId) -> u128 {
            self.balances.get(owner).unwrap_or_default()
        }

        /// Stores a balance; a zero balance removes the entry, so storage shrinks.
        fn set_balance(&mut self, owner: AccountId, balance: u128) {
            if balance == 0 {
                self.balances.remove(owner);
            } else {
                self.balances.insert(owner, &balance);
            }
        }

        fn allowance_impl(&self, owner: AccountId, spender: AccountId) -> u128 {
            self.allowances.get((owner, spender)).unwrap_or_default()
        }

        /// Stores an allowance and emits `Approval`; zero removes the entry.
        fn set_allowance(&mut self, owner: AccountId, spender: AccountId, amount: u128) {
            if amount == 0 {
                self.allowances.remove((owner, spender));
            } else {
                self.allowances.insert((owner, spender), &amount);
            }
            self.env().emit_event(Approval {
                owner,
                spender,
                amount,
            });
        }

        /// Moves tokens between accounts; a self-transfer or zero value is a no-op.
        /// This contract's own account holds only the open shows' deposits: a transfer
        /// to it would lock the tokens for good, so it is refused.
        fn transfer_impl(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: u128,
        ) -> core::result::Result<(), PSP22Error> {
            if from == to || value == 0 {
                return Ok(());
            }
            if to == self.env().account_id() {
                return Err(PSP22Error::Custom(String::from(
                    "LIVE's own account holds only show deposits; tokens sent there would be locked",
                )));
            }
            let from_rest = self
                .balance_of_impl(from)
                .checked_sub(value)
                .ok_or(PSP22Error::InsufficientBalance)?;
            self.set_balance(from, from_rest);
            self.credit(from, to, value);
            Ok(())
        }
    }

    fn meter_error(error: MeterError) -> Error {
        match error {
            MeterError::ZeroPrice => Error::ZeroAmount,
            MeterError::BelowOneMinute => Error::DepositBelowOneMinute,
            MeterError::DepositTooLarge => Error::DepositTooLarge,
            MeterError::Ended => Error::ShowSpent,
        }
    }

    fn settlement_error(error: SettlementError) -> Error {
        match error {
            SettlementError::TooManySplits => Error::TooManySplits,
            SettlementError::InvalidSplit => Error::InvalidSplit,
            SettlementError::InvalidRecipient => Error::InvalidRecipient,
            SettlementError::SplitsExceedTip => Error::SplitsExceedTip,
        }
    }

    impl PSP22 for LiveToken {
        #[ink(message)]
        fn total_supply(&self) -> u128 {
            self.total_supply
        }

        #[ink(message)]
        fn balance_of(&self, owner: AccountId) -> u128 {
            self.balance_of_impl(owner)
        }

        #[ink(message)]
        fn allowance(&self, owner: AccountId, spender: AccountId) -> u128 {
            self.allowance_impl(owner, spender)
        }

        #[ink(message)]
        fn transfer(
            &mut self,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> core::result::Result<(), PSP22Error> {
            self.transfer_impl(self.env().caller(), to, value)
        }

        /// The allowance is checked before the balance, as the standard's reference
        /// implementation does; a self-transfer or zero value is a no-op.
        #[ink(message)]
        fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> core::result::Result<(), PSP22Error> {
            let spender = self.env().caller();
            if from == to || value == 0 {
                return Ok(());
            }
            if spender == from {
                return self.transfer_impl(from, to, value);
            }
            let allowance = self
                .allowance_impl(from, spender)
                .checked_sub(value)
                .ok_or(PSP22Error::InsufficientAllowance)?;
            self.transfer_impl(from, to, value)?;
            self.set_allowance(from, spender, allowance);
            Ok(())
        }

        #[ink(message)]
        fn approve(
            &mut self,
            spender: AccountId,
            value: u128,
        ) -> core::result::Result<(), PSP22Error> {
            let owner = self.env().caller();
            if owner != spender {
                self.set_allowance(owner, spender, value);
            }
            Ok(())
        }

        #[ink(message)]
        fn increase_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> core::result::Result<(), PSP22Error> {
            let owner = self.env().caller();
            if owner == spender || delta_value == 0 {
                return Ok(());
            }
            let amount = self
                .allowance_impl(owner, spender)
                .saturating_add(delta_value);
            self.set_allowance(owner, spender, amount);
            Ok(())
        }

        #[ink(message)]
        fn decrease_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> core::result::Result<(), PSP22Error> {
            let owner = self.env().caller();
            if owner == spender || delta_value == 0 {
                return Ok(());
            }
            let amount = self
                .allowance_impl(owner, spender)
                .checked_sub(delta_value)
                .ok_or(PSP22Error::InsufficientAllowance)?;
            self.set_allowance(owner, spender, amount);
            Ok(())
        }
    }

    /// Every holder may destroy their own tokens.
    impl PSP22Burnable for LiveToken {
        #[ink(message)]
        fn burn(&mut self, value: u128) -> core::result::Result<(), PSP22Error> {
            if value == 0 {
                return Ok(());
            }
            let caller = self.env().caller();
            let rest = self
                .balance_of_impl(caller)
                .checked_sub(value)
                .ok_or(PSP22Error::InsufficientBalance)?;
            self.set_balance(caller, rest);
            // value <= balance <= total_supply
            self.total_supply = self.total_supply.saturating_sub(value);
            self.env().emit_event(Transfer {
                from: Some(caller),
                to: None,
                value,
            });
            Ok(())
        }
    }

    impl PSP22Metadata for LiveToken {
        #[ink(message)]
        fn token_name(&self) -> Option<String> {
            Some(String::from("livestars LIVE"))
        }

        #[ink(message)]
        fn token_symbol(&self) -> Option<String> {
            Some(String::from("LIVE"))
        }

        #[ink(message)]
        fn token_decimals(&self) -> u8 {
            DECIMALS
        }
    }

    impl Ownable2Step for LiveToken {
        /// The owner: minter and administrator.
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
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests;

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod attack;

#[cfg(all(test, feature = "e2e-tests"))]
#[allow(clippy::arithmetic_side_effects)]
mod e2e_tests;
