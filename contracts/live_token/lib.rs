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
//! - **Vouchers** (`docs/PRIVACY.md`): LIVE bought from a desk and redeemed into
//!   a key nobody can link to the purchase; the desk's blind sr25519 signature is
//!   checked with the chain's `sr25519_verify`.
//!
//! The rules live in plain crates (`settlement`, `rating-formula`, `show-meter`);
//! this contract is the storage and the checks of who may call what. Every owner
//! change that affects others (rating parameters, platform fee, treasury) is
//! announced and applies only after `CHANGE_DELAY_MS`.
//!
//! As in Cardinal's PSP22 (`PSP22Data`), each concern is a plain storage struct
//! in its own file whose methods take the caller and the block time as arguments
//! and return the events they raise (a payment, which moves tokens between its
//! checks and its record, raises them in order into a sink instead); this file
//! composes them and wires each message to one of them:
//!
//! - `token.rs`: supply, cap, balances, allowances (`Token`);
//! - `registry.rs`: the performers (`Registry`);
//! - `attestations.rs`: the 18+ verifiers and whether an attestation counts;
//! - `params.rs`: the time-locked platform fee and rating parameters (`Schedules`);
//! - `tips.rs`: the tip counter and the division path every payment takes;
//! - `ratings.rs`: scores and supporters;
//! - `shows.rs`: show terms, open shows and their counter;
//! - `vouchers.rs`: voucher keys, their backing and the redeemed serials;
//! - `errors.rs`: `Error` and how the plain crates' refusals map onto it.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::live_token::{
    Attestation, Error, LiveToken, LiveTokenRef, Performer, PlatformFee, Show, ShowTerms,
    VersionedParams, VoucherKey,
};
pub use livestars_abi::Tipped;
pub use rating_formula::{Params, Rating as RatingBreakdown};

mod attestations;
mod errors;
mod params;
mod ratings;
mod registry;
mod shows;
mod tips;
mod token;
mod vouchers;

#[ink::contract]
mod live_token {
    use crate::attestations::Attestations;
    use crate::params::Schedules;
    use crate::ratings::Ratings;
    use crate::registry::Registry;
    use crate::shows::Shows;
    use crate::tips::{self, Emit, Payment, Tip, Tips};
    use crate::token::{self, Token};
    use crate::vouchers::Vouchers;
    use ink::env::Event;
    use ink::prelude::{string::String, vec::Vec};
    use ownable::{Ownable, Ownable2Step, OwnableError};
    use psp22_traits::{PSP22Burnable, PSP22Error, PSP22Metadata, PSP22};
    use rating_formula::{Contribution, Params, Rating as RatingBreakdown, Scheduled, Score};

    pub use crate::attestations::Attestation;
    pub use crate::errors::{Error, Result};
    pub use crate::params::{PlatformFee, VersionedParams};
    pub use crate::registry::Performer;
    pub use crate::shows::{Show, ShowTerms};
    pub use crate::tips::Division;
    pub use crate::token::{PendingMint, DECIMALS};
    pub use crate::vouchers::VoucherKey;
    // The limits are the contract's API; the tests name them through this module.
    #[allow(unused_imports)]
    pub use crate::vouchers::{MAX_KEY_LIFETIME_MS, MAX_RELAY_FEE_BPS, MAX_VOUCHERS_PER_PURCHASE};
    pub use livestars_abi::{Commitment, Split, VoucherTerms};

    // The events are declared once, in `livestars-abi`, with the indexer. The
    // concerns raise them; the tests name them through this module.
    #[allow(unused_imports)]
    pub use livestars_abi::{
        AdultAttestationChanged, Approval, MaxFeeChanged, MintAnnounced, ParamsAnnounced,
        PerformerErased, PerformerRegistered, PlatformFeeAnnounced, ProfileChanged, Rated,
        ScorePruned, ShowEnded, ShowOpened, ShowPaid, ShowTermsChanged, ShowToppedUp,
        SplitsChanged, SupporterRemoved, Tipped, Transfer, VerifierChanged, ViewerBlockChanged,
        VoucherForgotten, VoucherKeyClosed, VoucherKeyRegistered, VoucherRedeemed, VouchersBacked,
        VouchersBought,
    };

    /// LIVE's state: the token, its owner, the performer registry and their
    /// attestations, the time-locked fee and parameters, the tip counter, the
    /// rating, the private shows and the vouchers.
    #[ink(storage)]
    pub struct LiveToken {
        pub(crate) token: Token,
        /// The owner: minter and administrator.
        owner: Ownable,
        registry: Registry,
        attestations: Attestations,
        schedules: Schedules,
        tips: Tips,
        pub(crate) ratings: Ratings,
        pub(crate) shows: Shows,
        vouchers: Vouchers,
    }

    /// Emits what the concerns raise, as this contract's events.
    struct Emitter;

    impl Emit for Emitter {
        fn emit<E: Event>(&mut self, event: E) {
            ink::env::emit_event::<Environment, E>(event);
        }
    }

    /// Emits the event a concern returned.
    fn emit<E: Event>(event: E) {
        Emitter.emit(event);
    }

    /// Emits the event a concern returned, if any.
    fn emit_some<E: Event>(event: Option<E>) {
        Emitter.emit_some(event);
    }

    /// Sends `amount` of the native currency from this contract's account.
    fn send_native(to: AccountId, amount: Balance) -> Result<()> {
        ink::env::transfer::<Environment>(to, amount).map_err(|_| Error::NativeTransferFailed)
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
            let mut token = Token::new(cap, initial_supply)?;
            let (now, contract) = (Self::env().block_timestamp(), Self::env().account_id());
            let fee = PlatformFee { fee_bps, treasury };
            let (schedules, fee_announced, params_announced) =
                Schedules::new(fee, params, now, contract)?;
            let caller = Self::env().caller();
            let minted = token.mint(caller, initial_supply)?;
            emit(fee_announced);
            emit(params_announced);
            emit_some(minted);
            Ok(Self {
                token,
                owner: Ownable::new(caller),
                registry: Registry::default(),
                attestations: Attestations::default(),
                schedules,
                tips: Tips::default(),
                ratings: Ratings::default(),
                shows: Shows::default(),
                vouchers: Vouchers::default(),
            })
        }

        /// The most LIVE that can ever exist.
        #[ink(message)]
        pub fn cap(&self) -> u128 {
            self.token.cap()
        }

        /// Every LIVE ever minted (burns never lower it): at most the cap.
        #[ink(message)]
        pub fn minted(&self) -> u128 {
            self.token.minted()
        }

        /// Announces that `value` new tokens go to `to` after `CHANGE_DELAY_MS`
        /// (replacing any earlier announcement; 0 withdraws it); owner only, never
        /// past the cap, never to this contract or the zero account.
        #[ink(message)]
        pub fn announce_mint(&mut self, to: AccountId, value: u128) -> Result<()> {
            self.ensure_owner()?;
            let (now, contract) = (self.env().block_timestamp(), self.env().account_id());
            self.token.announce_mint(to, value, now, contract).map(emit)
        }

        /// The announced mint, if any: recipient, value and when it is due.
        #[ink(message)]
        pub fn pending_mint(&self) -> Option<PendingMint> {
            self.token.pending_mint()
        }

        /// Mints the announced tokens once due; anyone may call it.
        #[ink(message)]
        pub fn release_mint(&mut self) -> Result<()> {
            let now = self.env().block_timestamp();
            self.token.release_mint(now).map(emit_some)
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
            let (viewer, contract) = (self.env().caller(), self.env().account_id());
            let tip = Tip {
                viewer,
                performer,
                gross: amount,
                memo,
            };
            let (payment, tips, _) = self.payment();
            tips.tip(payment, tip, contract, &mut Emitter)
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
            let (viewer, amount) = (self.env().caller(), self.env().transferred_value());
            let tip = Tip {
                viewer,
                performer,
                gross: amount,
                memo,
            };
            let (payment, tips, _) = self.payment();
            tips.tip_native(payment, tip, send_native, &mut Emitter)
        }

        /// How a LIVE tip of `amount` from the caller to `performer` would divide
        /// now, or the refusal the tip would meet (every check of `tip` but the
        /// caller's balance).
        #[ink(message)]
        pub fn quote(&self, performer: AccountId, amount: Balance) -> Result<Division> {
            let (viewer, now) = (self.env().caller(), self.env().block_timestamp());
            let (schedules, registry) = (&self.schedules, &self.registry);
            tips::quote(
                schedules,
                registry,
                &self.attestations,
                viewer,
                performer,
                amount,
                now,
            )
        }

        /// Number of tips settled so far.
        #[ink(message)]
        pub fn tip_count(&self) -> u64 {
            self.tips.count()
        }

        // ---- private shows ----

        /// Sets the caller's private-show price per minute and whether new shows may
        /// open; a price of 0 (with `available: false`) withdraws the offer. A change
        /// never applies to a show already open.
        #[ink(message)]
        pub fn set_show_terms(&mut self, price_per_minute: Balance, available: bool) -> Result<()> {
            let performer = self.env().caller();
            self.shows
                .set_terms(&self.registry, performer, price_per_minute, available)
                .map(emit)
        }

        /// The performer's private-show terms, if they offer any.
        #[ink(message)]
        pub fn show_terms(&self, performer: AccountId) -> Option<ShowTerms> {
            self.shows.terms(performer)
        }

        /// Opens a private show with `performer` at their current price, refused if
        /// it is above `max_price_per_minute` (the price the caller agreed to):
        /// `deposit` (at least one minute) moves from the caller into this contract,
        /// and the performer earns it per whole second from this block on. The
        /// platform fee and rating stake in force now apply to the whole show.
        #[ink(message)]
        pub fn open_show(
            &mut self,
            performer: AccountId,
            deposit: Balance,
            max_price_per_minute: Balance,
        ) -> Result<u64> {
            let (viewer, contract) = (self.env().caller(), self.env().account_id());
            let (payment, _, shows) = self.payment();
            let price = max_price_per_minute;
            shows.open(
                payment,
                viewer,
                performer,
                deposit,
                price,
                contract,
                &mut Emitter,
            )
        }

        /// Adds `amount` (at least one minute) to the deposit of the caller's running
        /// show; refused once the deposit is spent, or if the show's price is above
        /// `max_price_per_minute`.
        #[ink(message)]
        pub fn top_up_show(
            &mut self,
            show_id: u64,
            amount: Balance,
            max_price_per_minute: Balance,
        ) -> Result<()> {
            let (viewer, contract) = (self.env().caller(), self.env().account_id());
            let (payment, _, shows) = self.payment();
            let price = max_price_per_minute;
            shows.top_up(
                payment,
                viewer,
                show_id,
                amount,
                price,
                contract,
                &mut Emitter,
            )
        }

        /// Pays the performer what the show has earned and not yet paid; the
        /// performer only. Returns the gross paid.
        #[ink(message)]
        pub fn claim_show(&mut self, show_id: u64) -> Result<Balance> {
            let (performer, contract) = (self.env().caller(), self.env().account_id());
            let (payment, _, shows) = self.payment();
            shows.claim(payment, performer, show_id, contract, &mut Emitter)
        }

        /// Ends a show: the performer is paid what was earned, the viewer gets the
        /// rest back, and the show's storage is removed. Either party may end it at
        /// any time; anyone may end a show whose deposit is spent.
        #[ink(message)]
        pub fn end_show(&mut self, show_id: u64) -> Result<()> {
            let (caller, contract) = (self.env().caller(), self.env().account_id());
            let (payment, _, shows) = self.payment();
            shows.end(payment, caller, show_id, contract, &mut Emitter)
        }

        /// Blocks `viewer` from the caller's private shows (a registered performer's
        /// call): they can neither open one nor top one up. A show already open
        /// runs until either side ends it.
        #[ink(message)]
        pub fn block_viewer(&mut self, viewer: AccountId) -> Result<()> {
            let performer = self.env().caller();
            self.shows
                .set_blocked(&self.registry, performer, viewer, true)
                .map(emit)
        }

        /// Lifts the caller's block of `viewer` (and removes its storage).
        #[ink(message)]
        pub fn unblock_viewer(&mut self, viewer: AccountId) -> Result<()> {
            let performer = self.env().caller();
            self.shows
                .set_blocked(&self.registry, performer, viewer, false)
                .map(emit)
        }

        /// Whether `performer` blocked `viewer`.
        #[ink(message)]
        pub fn is_blocked(&self, performer: AccountId, viewer: AccountId) -> bool {
            self.shows.is_blocked(performer, viewer)
        }

        /// An open show, by id.
        #[ink(message)]
        pub fn show(&self, show_id: u64) -> Option<Show> {
            self.shows.show(show_id)
        }

        /// The id of the open show between `viewer` and `performer`, if any.
        #[ink(message)]
        pub fn open_show_between(&self, viewer: AccountId, performer: AccountId) -> Option<u64> {
            self.shows.between(viewer, performer)
        }

        /// Number of shows ever opened (the next show's id).
        #[ink(message)]
        pub fn show_count(&self) -> u64 {
            self.shows.count()
        }

        // ---- vouchers ----

        /// Registers the caller (a voucher desk) as holder of the sr25519 key
        /// `public` for vouchers on `terms`, redeemable until `redeem_until`.
        /// Returns the key's id, which every voucher signs.
        #[ink(message)]
        pub fn register_voucher_key(
            &mut self,
            public: [u8; 32],
            terms: VoucherTerms,
            redeem_until: Timestamp,
        ) -> Result<u64> {
            let desk = self.env().caller();
            let at = (self.env().block_timestamp(), self.env().minimum_balance());
            let registered = self
                .vouchers
                .register(desk, public, terms, redeem_until, at)?;
            let key_id = registered.key_id;
            emit(registered);
            Ok(key_id)
        }

        /// Moves `amount` of the caller's LIVE and the native currency sent with
        /// the call into a key's backing: LIVE pays vouchers sold for the native
        /// currency, native currency pays the stipends of vouchers sold for LIVE.
        #[ink(message, payable)]
        pub fn back_vouchers(&mut self, key_id: u64, amount: Balance) -> Result<()> {
            let (from, native) = (self.env().caller(), self.env().transferred_value());
            let at = self.now_here();
            self.vouchers.back(
                &mut self.token,
                (from, key_id),
                (amount, native),
                at,
                &mut Emitter,
            )
        }

        /// Pays for `count` vouchers of a key in LIVE (their value goes into its
        /// backing, any surcharge to the desk); the desk then blind-signs that
        /// many for `order`.
        #[ink(message)]
        pub fn buy_vouchers(&mut self, key_id: u64, count: u32, order: Commitment) -> Result<()> {
            let (buyer, at) = (self.env().caller(), self.now_here());
            let purchase = (key_id, count, order);
            self.vouchers
                .buy(&mut self.token, buyer, purchase, at, &mut Emitter)
        }

        /// Pays for `count` vouchers of a key in the native currency sent with the
        /// call: exactly `count × price_native`, the stipends kept as backing and
        /// the rest forwarded to the desk at once.
        #[ink(message, payable)]
        pub fn buy_vouchers_native(
            &mut self,
            key_id: u64,
            count: u32,
            order: Commitment,
        ) -> Result<()> {
            let (buyer, paid) = (self.env().caller(), self.env().transferred_value());
            let now = self.env().block_timestamp();
            let purchase = (key_id, count, order);
            self.vouchers
                .buy_native(buyer, purchase, (paid, now), &mut send_native, &mut Emitter)
        }

        /// Redeems a voucher: the desk's signature of (this contract, `key_id`,
        /// `recipient`, `serial`) pays `recipient` the key's denomination (less
        /// the relay fee, which goes to the caller) and its native stipend, out of
        /// the backing, once per serial. Anyone may submit it, so a recipient
        /// needs no funds of its own. Returns the LIVE the recipient received.
        #[ink(message)]
        pub fn redeem_voucher(
            &mut self,
            key_id: u64,
            recipient: AccountId,
            serial: [u8; 32],
            signature: [u8; 64],
        ) -> Result<Balance> {
            let (relayer, (now, contract)) = (self.env().caller(), self.now_here());
            let voucher = (key_id, recipient, serial);
            let verify = |signature: &[u8; 64], message: &[u8], public: &[u8; 32]| {
                ink::env::sr25519_verify(signature, message, public).is_ok()
            };
            self.vouchers.redeem(
                &mut self.token,
                voucher,
                &signature,
                (relayer, now, contract),
                verify,
                &mut send_native,
                &mut Emitter,
            )
        }

        /// Closes an expired voucher key: its unspent backing returns to the desk.
        /// Anyone may call it.
        #[ink(message)]
        pub fn close_voucher_key(&mut self, key_id: u64) -> Result<()> {
            let at = self.now_here();
            self.vouchers
                .close(&mut self.token, key_id, at, &mut send_native, &mut Emitter)
        }

        /// Frees the storage of a serial redeemed under an expired key. Anyone may
        /// call it.
        #[ink(message)]
        pub fn forget_voucher(&mut self, key_id: u64, serial: [u8; 32]) -> Result<()> {
            let now = self.env().block_timestamp();
            self.vouchers.forget(key_id, serial, now).map(emit)
        }

        /// A voucher key, with its backing, until it closes.
        #[ink(message)]
        pub fn voucher_key(&self, key_id: u64) -> Option<VoucherKey> {
            self.vouchers.key(key_id)
        }

        /// Whether `serial` has redeemed under the key (and is not yet forgotten).
        #[ink(message)]
        pub fn voucher_spent(&self, key_id: u64, serial: [u8; 32]) -> bool {
            self.vouchers.is_spent(key_id, serial)
        }

        /// Number of voucher keys ever registered (the next key's id).
        #[ink(message)]
        pub fn voucher_key_count(&self) -> u64 {
            self.vouchers.count()
        }

        // ---- performers ----

        /// Opts the caller in as a performer with a profile commitment and the most
        /// of a tip they accept to lose to the platform fee and the rating stake.
        /// Tips need an 18+ attestation as well.
        #[ink(message)]
        pub fn register(&mut self, profile: Commitment, max_fee_bps: u16) -> Result<()> {
            let performer = self.env().caller();
            self.registry
                .register(performer, profile, max_fee_bps)
                .map(emit)
        }

        /// Replaces the caller's profile commitment.
        #[ink(message)]
        pub fn set_profile(&mut self, profile: Commitment) -> Result<()> {
            let performer = self.env().caller();
            self.registry.set_profile(performer, profile).map(emit)
        }

        /// Changes the most of a tip the caller accepts to lose to fee and stake.
        #[ink(message)]
        pub fn set_max_fee(&mut self, max_fee_bps: u16) -> Result<()> {
            let (performer, contract) = (self.env().caller(), self.env().account_id());
            self.registry
                .set_max_fee(performer, max_fee_bps, contract)
                .map(emit)
        }

        /// Replaces the caller's splits; an empty list removes them all.
        #[ink(message)]
        pub fn set_splits(&mut self, splits: Vec<Split>) -> Result<()> {
            let (performer, contract) = (self.env().caller(), self.env().account_id());
            self.registry
                .set_splits(performer, splits, contract)
                .map(emit)
        }

        /// Erases the caller's performer entry and show terms; tips and new shows to
        /// them fail from now on (open shows run on and settle as usual). The
        /// score stays (anonymous sums, no profile), so erasing and registering again
        /// resumes it rather than starting afresh.
        #[ink(message)]
        pub fn erase(&mut self) -> Result<()> {
            let erased = self.registry.erase(self.env().caller())?;
            self.shows.remove_terms(erased.performer);
            emit(erased);
            Ok(())
        }

        /// The performer's entry, if registered.
        #[ink(message)]
        pub fn performer(&self, performer: AccountId) -> Option<Performer> {
            self.registry.get(performer)
        }

        // ---- 18+ attestations ----

        /// Attests that `performer` is 18+ (`adult: true`) or withdraws the caller's
        /// own attestation; allow-listed verifiers only, and never over another
        /// listed verifier's. The documents stay with the verifier, never on-chain.
        #[ink(message)]
        pub fn set_adult_attestation(&mut self, performer: AccountId, adult: bool) -> Result<()> {
            let verifier = self.env().caller();
            self.attestations
                .attest(&mut self.registry, verifier, performer, adult)
                .map(emit)
        }

        /// Lists (`allowed: true`) or delists an 18+ verifier; owner only. Listing
        /// again gives a new listing number, so old attestations stay void.
        #[ink(message)]
        pub fn set_verifier(&mut self, verifier: AccountId, allowed: bool) -> Result<()> {
            self.ensure_owner()?;
            self.attestations
                .set_verifier(verifier, allowed)
                .map(emit_some)
        }

        /// Whether `performer` holds an 18+ attestation that still counts.
        #[ink(message)]
        pub fn is_adult_attested(&self, performer: AccountId) -> bool {
            self.attestations.is_attested(&self.registry, performer)
        }

        /// Whether `account` may give 18+ attestations.
        #[ink(message)]
        pub fn is_verifier(&self, account: AccountId) -> bool {
            self.attestations.is_verifier(account)
        }

        // ---- platform fee ----

        /// The platform fee in force now.
        #[ink(message)]
        pub fn platform_fee(&self) -> PlatformFee {
            self.schedules.fee_at(self.env().block_timestamp())
        }

        /// The platform fee in force and the announced one, with when it applies.
        #[ink(message)]
        pub fn platform_fee_schedule(&self) -> Scheduled<PlatformFee> {
            self.schedules.fee_schedule()
        }

        /// Announces a platform fee (at most `MAX_PLATFORM_FEE_BPS`) and treasury,
        /// applying after `CHANGE_DELAY_MS`; owner only. Tips to performers who do
        /// not accept it fail from then on, unless they accept it in the meantime.
        #[ink(message)]
        pub fn announce_platform_fee(&mut self, treasury: AccountId, fee_bps: u16) -> Result<()> {
            self.ensure_owner()?;
            let (now, contract) = (self.env().block_timestamp(), self.env().account_id());
            let fee = PlatformFee { fee_bps, treasury };
            self.schedules.announce_fee(fee, now, contract).map(emit)
        }

        // ---- rating ----

        /// `performer`'s rating now, broken into its terms.
        #[ink(message)]
        pub fn rating_of(&self, performer: AccountId) -> RatingBreakdown {
            let now = self.env().block_timestamp();
            let params = self.schedules.params_at(now).params;
            self.ratings.rating(performer, &params, now)
        }

        /// `performer`'s stored score, if any.
        #[ink(message)]
        pub fn score_of(&self, performer: AccountId) -> Option<Score> {
            self.ratings.score(performer)
        }

        /// `viewer`'s contribution to `performer`, if any.
        #[ink(message)]
        pub fn supporter(&self, performer: AccountId, viewer: AccountId) -> Option<Contribution> {
            self.ratings.supporter(performer, viewer)
        }

        /// The rating parameters in force now, with their version.
        #[ink(message)]
        pub fn params(&self) -> VersionedParams {
            self.schedules.params_at(self.env().block_timestamp())
        }

        /// The parameters in force and the announced ones, with when they apply.
        #[ink(message)]
        pub fn params_schedule(&self) -> Scheduled<VersionedParams> {
            self.schedules.params_schedule()
        }

        /// Announces new rating parameters as the next version, applying after
        /// `CHANGE_DELAY_MS`; owner only. Stake already counted is never rewritten.
        #[ink(message)]
        pub fn announce_params(&mut self, params: Params) -> Result<()> {
            self.ensure_owner()?;
            let now = self.env().block_timestamp();
            self.schedules.announce_params(params, now).map(emit)
        }

        /// Gives `performer` 1–5 stars from the caller, weighted by the caller's
        /// stake in their score; a later call replaces the earlier vote.
        #[ink(message)]
        pub fn rate(&mut self, performer: AccountId, stars: u8) -> Result<()> {
            let (viewer, now) = (self.env().caller(), self.env().block_timestamp());
            self.ratings
                .rate(viewer, performer, stars, now)
                .map(emit_some)
        }

        /// Removes the caller's contribution to `performer`: exactly their decayed
        /// stake and their vote leave the score, and the entry's storage is freed.
        #[ink(message)]
        pub fn remove_supporter(&mut self, performer: AccountId) -> Result<()> {
            let (viewer, now) = (self.env().caller(), self.env().block_timestamp());
            self.ratings
                .remove_supporter(viewer, performer, now)
                .map(emit)
        }

        /// Removes `viewer`'s entry in `performer`'s score once the score is spent
        /// (worth nothing: no rating changes); anyone may call it, so that the score
        /// can be pruned.
        #[ink(message)]
        pub fn clear_supporter(&mut self, performer: AccountId, viewer: AccountId) -> Result<()> {
            let now = self.env().block_timestamp();
            self.ratings
                .clear_supporter(viewer, performer, now)
                .map(emit)
        }

        /// How many supporters' entries `performer`'s score has.
        #[ink(message)]
        pub fn supporter_entries(&self, performer: AccountId) -> u32 {
            self.ratings.entries(performer)
        }

        /// Deletes the score of a performer who is not registered once it is spent
        /// (it rates exactly like no score) and its supporters' entries are cleared;
        /// anyone may call it, to free storage.
        #[ink(message)]
        pub fn prune_score(&mut self, performer: AccountId) -> Result<()> {
            let now = self.env().block_timestamp();
            self.ratings.prune(&self.registry, performer, now).map(emit)
        }

        // ---- internals ----

        fn ensure_owner(&self) -> Result<()> {
            self.owner
                .ensure_owner(self.env().caller())
                .map_err(|_| Error::NotOwner)
        }

        /// The block time and this contract's own account.
        fn now_here(&self) -> (Timestamp, AccountId) {
            (self.env().block_timestamp(), self.env().account_id())
        }

        /// Borrows what a payment reads and moves, beside the tips and the shows.
        fn payment(&mut self) -> (Payment<'_>, &mut Tips, &mut Shows) {
            let now = self.env().block_timestamp();
            let payment = Payment {
                schedules: &mut self.schedules,
                registry: &self.registry,
                attestations: &self.attestations,
                token: &mut self.token,
                ratings: &mut self.ratings,
                now,
            };
            (payment, &mut self.tips, &mut self.shows)
        }
    }

    impl PSP22 for LiveToken {
        #[ink(message)]
        fn total_supply(&self) -> u128 {
            self.token.total_supply()
        }

        #[ink(message)]
        fn balance_of(&self, owner: AccountId) -> u128 {
            self.token.balance_of(owner)
        }

        #[ink(message)]
        fn allowance(&self, owner: AccountId, spender: AccountId) -> u128 {
            self.token.allowance(owner, spender)
        }

        #[ink(message)]
        fn transfer(
            &mut self,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> core::result::Result<(), PSP22Error> {
            let (from, contract) = (self.env().caller(), self.env().account_id());
            self.token
                .transfer(from, to, value, contract)
                .map(emit_some)
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
            let (spender, contract) = (self.env().caller(), self.env().account_id());
            let (transfer, approval) = self
                .token
                .transfer_from(spender, from, to, value, contract)?;
            emit_some(transfer);
            emit_some(approval);
            Ok(())
        }

        #[ink(message)]
        fn approve(
            &mut self,
            spender: AccountId,
            value: u128,
        ) -> core::result::Result<(), PSP22Error> {
            emit_some(self.token.approve(self.env().caller(), spender, value));
            Ok(())
        }

        #[ink(message)]
        fn increase_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> core::result::Result<(), PSP22Error> {
            let owner = self.env().caller();
            emit_some(self.token.increase_allowance(owner, spender, delta_value));
            Ok(())
        }

        #[ink(message)]
        fn decrease_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> core::result::Result<(), PSP22Error> {
            let owner = self.env().caller();
            self.token
                .decrease_allowance(owner, spender, delta_value)
                .map(emit_some)
        }
    }

    /// Every holder may destroy their own tokens.
    impl PSP22Burnable for LiveToken {
        #[ink(message)]
        fn burn(&mut self, value: u128) -> core::result::Result<(), PSP22Error> {
            self.token.burn(self.env().caller(), value).map(emit_some)
        }
    }

    impl PSP22Metadata for LiveToken {
        #[ink(message)]
        fn token_name(&self) -> Option<String> {
            Some(String::from(token::NAME))
        }

        #[ink(message)]
        fn token_symbol(&self) -> Option<String> {
            Some(String::from(token::SYMBOL))
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
