//! Why a message of the LIVE contract refused: every variant, declared once for the
//! contract and for whoever calls it off-chain.

use rating_formula::ParamsError;

/// Why a call was refused; nothing changed and no funds moved.
#[derive(Debug, PartialEq, Eq, Clone, Copy, scale::Encode, scale::Decode)]
#[codec(crate = scale)]
#[cfg_attr(feature = "ink", ink::scale_derive(TypeInfo))]
// scale-info's derive casts variant indices, of which there are few.
#[allow(clippy::cast_possible_truncation)]
pub enum Error {
    /// Only the owner may do this.
    NotOwner,
    /// The mint would take the LIVE ever minted past the cap (burned LIVE still
    /// counts: it can never be minted again).
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
    /// The score still counts, its performer is registered, or (to prune it)
    /// supporters' entries remain: clear them first (`clear_supporter`).
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
    /// The show's price per minute is above the most the viewer agreed to.
    PriceAboveBound,
    /// No mint is announced.
    NoMintAnnounced,
    /// The announced mint applies later (`CHANGE_DELAY_MS` after its announcement).
    MintNotDue,
    /// No voucher key has this id (it never existed or has closed).
    NoSuchVoucherKey,
    /// The voucher key's `redeem_until` has passed: it neither sells nor redeems.
    VoucherKeyExpired,
    /// The voucher key is still valid: it can be closed (and its serials
    /// forgotten) only after `redeem_until`.
    VoucherKeyActive,
    /// A key's `redeem_until` must be in the future and at most
    /// `MAX_KEY_LIFETIME_MS` away.
    InvalidKeyLifetime,
    /// Voucher terms out of bounds: no denomination, a relay fee above
    /// `MAX_RELAY_FEE_BPS` of it, a stipend below the existential deposit, or a
    /// price below what a voucher pays out.
    InvalidVoucherTerms,
    /// A purchase of 0 vouchers or more than `MAX_VOUCHERS_PER_PURCHASE`.
    InvalidCount,
    /// The key is not sold for this currency.
    NotForSale,
    /// The native currency sent is not exactly the vouchers' price.
    WrongPayment,
    /// The key's backing does not cover this: the desk must back it first (LIVE
    /// for native sales, native currency for the stipends of LIVE sales).
    InsufficientBacking,
    /// This voucher has been redeemed already.
    VoucherSpent,
    /// The signature is not the key's signature of this voucher (forged, for
    /// another key or another recipient).
    InvalidVoucher,
    /// No voucher with this serial was redeemed under this key.
    NotSpent,
    /// The performer blocked this viewer: no private show between them.
    ViewerBlocked,
}
