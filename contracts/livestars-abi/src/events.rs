//! Every event of the LIVE contract. Field order is the SCALE layout of the event's
//! data; `[topic]` fields are also emitted as topics (ink! 5 layout), which is how
//! wallets and the indexer find a performer's or a viewer's events. The hex after
//! each name is the signature topic ink! computes from the name and the field
//! types as spelled here (`tests` checks it); a changed type changes it.

use crate::{AccountId, Balance, Commitment, Params, Split, Timestamp, VoucherTerms};
use alloc::vec::Vec;

events! {
    /// Tokens moved; `from: None` is a mint, `to: None` a burn (PSP22 standard event).
    Transfer = "990df076cb1e9527aa102cd100c1481efe393eeabb5825f9af1f5e58221864de" {
        [topic] from: Option<AccountId>,
        [topic] to: Option<AccountId>,
        value: u128,
    }

    /// `spender` may now move `amount` of `owner`'s tokens (PSP22 standard event).
    Approval = "25cdb6c93882e925abbfc9a8b7c85884b73c038c03a2492f238a5e5ba3fbff8c" {
        [topic] owner: AccountId,
        [topic] spender: AccountId,
        amount: u128,
    }

    /// A tip settled: everything an auditor needs to check the division.
    Tipped = "696fa743cd894f6bc1c8426c80bda30655f4a7635aa8112085de244fa88b66af" {
        [topic] viewer: AccountId,
        [topic] performer: AccountId,
        /// Sequence number of the tip in this contract.
        tip_id: u64,
        /// LIVE (this contract) or `None` for the native currency.
        token: Option<AccountId>,
        /// What left the viewer's balance: the sum of every part below.
        gross: Balance,
        platform_fee: Balance,
        treasury: AccountId,
        /// Burned as the tip's stake in the rating (LIVE only).
        burned: Balance,
        splits: Vec<(AccountId, Balance)>,
        /// What the performer received.
        net: Balance,
        memo: Option<Commitment>,
        at: Timestamp,
    }

    /// A performer opted in.
    PerformerRegistered = "d6c7c77a98f40495e933b15f8e33874832b6ca59eca262909f79d696d1948378" {
        [topic] performer: AccountId,
        profile: Commitment,
        max_fee_bps: u16,
    }

    /// A performer changed their profile commitment.
    ProfileChanged = "832544002ecb72272b189a278ae815f0e8c294f133e370ed747f6bf90dbd66be" {
        [topic] performer: AccountId,
        profile: Commitment,
    }

    /// A performer changed the most of a tip they accept to lose to the platform fee
    /// and the rating stake together.
    MaxFeeChanged = "a2c99d72b347ea78929c518f8a69bd6eb548bdd4fed6e20fe6c327e63f3e611e" {
        [topic] performer: AccountId,
        max_fee_bps: u16,
    }

    /// A performer replaced their splits (empty: removed them all).
    SplitsChanged = "31d0d11bf9b3efa5088e9c6d3052e8889d60b998f2d3cb2da8bec21d53abd312" {
        [topic] performer: AccountId,
        splits: Vec<Split>,
    }

    /// A performer erased their entry (their score stays, without any profile).
    PerformerErased = "e3a28d6dd52c0a443df8076254f2e6a486585e8f4aaa6c67eb6e8c53343a965f" {
        [topic] performer: AccountId,
    }

    /// A verifier attested (`adult: true`) or withdrew the 18+ attestation.
    AdultAttestationChanged = "7021d8ac5ec3afe58d3899fd7d66f5c9e68eebe3713eab0d395e653690512052" {
        [topic] performer: AccountId,
        [topic] verifier: AccountId,
        adult: bool,
    }

    /// The owner added (`allowed: true`) or removed an 18+ verifier. A removed
    /// verifier's attestations stop counting for good, even if it is added again.
    VerifierChanged = "40c4144427921d51574527acde216189b35fa9882255b0da5c4011f521a3bea7" {
        [topic] verifier: AccountId,
        allowed: bool,
    }

    /// The owner announced a platform fee and treasury, applying from `effective_at`.
    PlatformFeeAnnounced = "9e062af2f2f242986882a95aa45eb666830460d0c3ed6b295a392b3750374bda" {
        [topic] treasury: AccountId,
        fee_bps: u16,
        effective_at: Timestamp,
    }

    /// The owner announced that `value` new LIVE go to `to` from `effective_at`
    /// (replacing any earlier announcement; a `value` of 0 withdraws it). The mint
    /// itself is a `Transfer` from `None`.
    MintAnnounced = "fa544fb87a7b19bdf068f54b705bf6cea73c2a3d3a8985359471593f437f10d7" {
        [topic] to: AccountId,
        value: u128,
        effective_at: Timestamp,
    }

    /// The owner announced rating parameters `version`, applying from `effective_at`
    /// (a later announcement before then replaces it).
    ParamsAnnounced = "da35f562fc38eb8a6020bfb8ef370634da48b1ca81b24e84102579028b8b2afc" {
        version: u32,
        params: Params,
        effective_at: Timestamp,
    }

    /// `viewer` gave `performer` `stars`, replacing `previous`.
    Rated = "98bdb4df430934a1ab6a54ce54e96cfaf528f37a4bc336806ae6061180591f55" {
        [topic] performer: AccountId,
        [topic] viewer: AccountId,
        stars: u8,
        previous: Option<u8>,
        at: Timestamp,
    }

    /// `viewer` removed their contribution to `performer`: their decayed `stake`
    /// and their `stars` left the score.
    SupporterRemoved = "26bb4da3f05199272eba376d4b0de7a879a2536683617da804724d941aa909ae" {
        [topic] performer: AccountId,
        [topic] viewer: AccountId,
        stake: u128,
        stars: Option<u8>,
        at: Timestamp,
    }

    /// The spent score of an unregistered performer was deleted (it rated like no score).
    ScorePruned = "b735d05e84ecf9ca4502a0e9fd9c6e1dae820c3699e3332db9e969b896698f94" {
        [topic] performer: AccountId,
    }

    /// The owner offered the admin role to `pending` (`None`: withdrew the offer).
    OwnershipOffered = "a9d25244a494d3ceb14c7bfc4aa9d28989f85c03fc5aa6e14cdb5b3b33b51b6c" {
        /// The current owner.
        [topic] owner: AccountId,
        /// The account that may accept.
        [topic] pending: Option<AccountId>,
    }

    /// The admin role moved from `previous` to `owner`.
    OwnershipTransferred = "71fda9b8681293670f8ece8228047377ab56a3a4d1ac29e4b1719b5df3433199" {
        /// The former owner.
        [topic] previous: AccountId,
        /// The new owner.
        [topic] owner: AccountId,
    }

    /// A performer's private-show terms changed (`price_per_minute: 0` withdraws them).
    ShowTermsChanged = "a557e25a6d863190763ca9b72fb31144338d517c0494564ac66156efa38f0fdc" {
        [topic] performer: AccountId,
        price_per_minute: Balance,
        available: bool,
    }

    /// A viewer opened a private show: `deposit` moved into this contract.
    ShowOpened = "86af1a00c18c2b33f5f808e3b06eac361185cb5f37ec8163d610f39d91b2fe02" {
        [topic] viewer: AccountId,
        [topic] performer: AccountId,
        show_id: u64,
        price_per_minute: Balance,
        deposit: Balance,
        /// The platform fee and rating stake fixed for this show.
        fee_bps: u16,
        burn_bps: u16,
        at: Timestamp,
    }

    /// The viewer added to a show's deposit.
    ShowToppedUp = "8c5a07ab8befe10cfd880e7030257e569b9b5e3dac69827d212550ffac22f8f4" {
        [topic] viewer: AccountId,
        [topic] performer: AccountId,
        show_id: u64,
        amount: Balance,
        /// The deposit after the top-up.
        deposit: Balance,
        at: Timestamp,
    }

    /// Show time paid out of the deposit, divided like a tip.
    ShowPaid = "0af0cb26b3895a4093a92fddc9e9d57b4c76ee5be53edf23e25960fe6204c732" {
        [topic] viewer: AccountId,
        [topic] performer: AccountId,
        show_id: u64,
        /// What left the deposit: the sum of every part below.
        gross: Balance,
        platform_fee: Balance,
        treasury: AccountId,
        burned: Balance,
        splits: Vec<(AccountId, Balance)>,
        net: Balance,
        at: Timestamp,
    }

    /// A show ended: its storage is gone and `deposit == paid + refunded`.
    ShowEnded = "41b11e3bfa5622c74229a107c0e60f132ef63e80cb75c8266292a635873656b7" {
        [topic] viewer: AccountId,
        [topic] performer: AccountId,
        show_id: u64,
        [topic] ended_by: AccountId,
        deposit: Balance,
        paid: Balance,
        refunded: Balance,
        billed_seconds: u64,
        at: Timestamp,
    }

    /// A performer blocked (`blocked: true`) or unblocked a viewer: a blocked
    /// viewer cannot open (or top up) a private show with them, and livestars drops
    /// their notes and hides them from the performer's overlay.
    ViewerBlockChanged = "6960b6b13e652d83e18592c30da6fbeaae34cb7daf828887cf4298dddfdd8ec8" {
        [topic] performer: AccountId,
        [topic] viewer: AccountId,
        blocked: bool,
    }

    /// A voucher desk registered a signing key for vouchers of one denomination
    /// (`docs/PRIVACY.md`): vouchers signed with it redeem until `redeem_until`.
    VoucherKeyRegistered = "716fb085565526244c586298878a2779e00332d79179caaf648d472cf23c883b" {
        [topic] desk: AccountId,
        key_id: u64,
        /// The sr25519 public key the contract checks vouchers against.
        public: [u8; 32],
        terms: VoucherTerms,
        redeem_until: Timestamp,
    }

    /// LIVE and native currency moved into a voucher key's backing, out of which
    /// its vouchers redeem.
    VouchersBacked = "1925f7ae3f1b042f972647c7391008b24860977021912c1961e32e5564fa3706" {
        [topic] from: AccountId,
        key_id: u64,
        amount: Balance,
        native: Balance,
        /// The key's LIVE backing after this call.
        backing: Balance,
        /// The key's native backing after this call.
        native_backing: Balance,
    }

    /// A buyer paid for `count` vouchers of a key; the desk blind-signs that many
    /// for `order` and never learns what it signed.
    VouchersBought = "0bcb5556a9fb48d6f4b4963f2a82543df44faa40900ffdccf522d6eacd704b41" {
        [topic] buyer: AccountId,
        key_id: u64,
        count: u32,
        /// The buyer's order reference at the desk (random, never a name).
        order: Commitment,
        /// What the buyer paid, in LIVE or (`native`) in the native currency.
        paid: Balance,
        native: bool,
    }

    /// A voucher was redeemed: its denomination left the key's backing, `value`
    /// to the recipient the voucher committed to and `relay_fee` to whoever
    /// submitted it, with `stipend` of the native currency to the recipient;
    /// `serial` can never redeem again.
    VoucherRedeemed = "9537974783d17cc5dc46708be3f4b3de4f87912369e81b94dce7c6e7ca467293" {
        [topic] recipient: AccountId,
        key_id: u64,
        serial: [u8; 32],
        value: Balance,
        [topic] relayer: AccountId,
        relay_fee: Balance,
        stipend: Balance,
        at: Timestamp,
    }

    /// An expired key was closed: its unspent backing went back to the desk.
    VoucherKeyClosed = "ded84452fde19f6c56220ab69c84bb7c181a1bd2e145a45c95b8f7a4c839e125" {
        [topic] desk: AccountId,
        key_id: u64,
        returned: Balance,
        returned_native: Balance,
    }

    /// A redeemed serial of a closed key was forgotten, to free its storage (its
    /// key can never redeem again, so the serial cannot either).
    VoucherForgotten = "de197218bc1b1af03462884ae2a2ad68e45879beb3503980813b919a4ab85f81" {
        key_id: u64,
        serial: [u8; 32],
    }
}

impl LiveEvent {
    /// The performer the event is about, so per-performer history is one index away.
    pub fn performer(&self) -> Option<&AccountId> {
        match self {
            Self::Tipped(Tipped { performer, .. })
            | Self::PerformerRegistered(PerformerRegistered { performer, .. })
            | Self::ProfileChanged(ProfileChanged { performer, .. })
            | Self::MaxFeeChanged(MaxFeeChanged { performer, .. })
            | Self::SplitsChanged(SplitsChanged { performer, .. })
            | Self::PerformerErased(PerformerErased { performer })
            | Self::AdultAttestationChanged(AdultAttestationChanged { performer, .. })
            | Self::Rated(Rated { performer, .. })
            | Self::SupporterRemoved(SupporterRemoved { performer, .. })
            | Self::ScorePruned(ScorePruned { performer })
            | Self::ShowTermsChanged(ShowTermsChanged { performer, .. })
            | Self::ShowOpened(ShowOpened { performer, .. })
            | Self::ShowToppedUp(ShowToppedUp { performer, .. })
            | Self::ShowPaid(ShowPaid { performer, .. })
            | Self::ShowEnded(ShowEnded { performer, .. })
            | Self::ViewerBlockChanged(ViewerBlockChanged { performer, .. }) => Some(performer),
            Self::Transfer(_)
            | Self::Approval(_)
            | Self::VerifierChanged(_)
            | Self::PlatformFeeAnnounced(_)
            | Self::MintAnnounced(_)
            | Self::ParamsAnnounced(_)
            | Self::OwnershipOffered(_)
            | Self::OwnershipTransferred(_)
            | Self::VoucherKeyRegistered(_)
            | Self::VouchersBacked(_)
            | Self::VouchersBought(_)
            | Self::VoucherRedeemed(_)
            | Self::VoucherKeyClosed(_)
            | Self::VoucherForgotten(_) => None,
        }
    }
}
