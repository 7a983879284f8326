//! Typed livestars contract events, decoded from `Contracts::ContractEmitted`.
//!
//! ink! 5 puts every field of an event, topics included, into its SCALE data, and
//! the event's signature topic first among the topics. An event is recognised by
//! that signature topic; anything else from our contracts stays `Unknown` and is
//! stored raw rather than dropped.

use parity_scale_codec::{Decode, Error as CodecError};
use rating_formula::Params;

/// A 32-byte account, as the contracts see it.
pub type AccountId = [u8; 32];
/// A 32-byte hash commitment (profile, memo).
pub type Commitment = [u8; 32];

/// One event of ours, as far as the indexer understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LiveEvent {
    Transfer {
        from: Option<AccountId>,
        to: Option<AccountId>,
        value: u128,
    },
    Approval {
        owner: AccountId,
        spender: AccountId,
        amount: u128,
    },
    Tipped(Tipped),
    PerformerRegistered {
        performer: AccountId,
        profile: Commitment,
        max_platform_fee_bps: u16,
    },
    ProfileChanged {
        performer: AccountId,
        profile: Commitment,
    },
    MaxPlatformFeeChanged {
        performer: AccountId,
        max_platform_fee_bps: u16,
    },
    SplitsChanged {
        performer: AccountId,
        splits: Vec<(AccountId, u16)>,
    },
    PerformerErased {
        performer: AccountId,
    },
    AdultAttestationChanged {
        performer: AccountId,
        verifier: AccountId,
        adult: bool,
    },
    VerifierChanged {
        verifier: AccountId,
        allowed: bool,
    },
    PlatformFeeChanged {
        treasury: AccountId,
        fee_bps: u16,
    },
    Rating(RatingEvent),
    SettlementChanged {
        settlement: Option<AccountId>,
    },
    OwnershipOffered {
        owner: AccountId,
        pending: Option<AccountId>,
    },
    OwnershipTransferred {
        previous: AccountId,
        owner: AccountId,
    },
}

/// A settled tip, exactly as the `tips` contract reported it.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct Tipped {
    pub viewer: AccountId,
    pub performer: AccountId,
    pub tip_id: u64,
    /// `None` for a tip in the chain's native currency.
    pub token: Option<AccountId>,
    pub gross: u128,
    pub platform_fee: u128,
    pub treasury: AccountId,
    pub splits: Vec<(AccountId, u128)>,
    pub net: u128,
    pub memo: Option<Commitment>,
    /// Block time in ms.
    pub at: u64,
}

/// The events the rating formula is replayed from (see `docs/RATING.md`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RatingEvent {
    SupportRecorded {
        performer: AccountId,
        viewer: AccountId,
        amount: u128,
        viewer_total: u128,
        at: u64,
    },
    Rated {
        performer: AccountId,
        viewer: AccountId,
        stars: u8,
        previous: Option<u8>,
        at: u64,
    },
    SupporterRemoved {
        performer: AccountId,
        viewer: AccountId,
        support: u128,
        stars: Option<u8>,
        at: u64,
    },
    ScoreErased {
        performer: AccountId,
    },
    ParamsChanged {
        version: u32,
        params: Params,
    },
}

impl RatingEvent {
    /// The performer whose score this event changes; `None` for global parameters.
    pub fn performer(&self) -> Option<&AccountId> {
        match self {
            Self::SupportRecorded { performer, .. }
            | Self::Rated { performer, .. }
            | Self::SupporterRemoved { performer, .. }
            | Self::ScoreErased { performer } => Some(performer),
            Self::ParamsChanged { .. } => None,
        }
    }

    /// The viewer whose supporter entry this event changes, if any.
    pub fn viewer(&self) -> Option<&AccountId> {
        match self {
            Self::SupportRecorded { viewer, .. }
            | Self::Rated { viewer, .. }
            | Self::SupporterRemoved { viewer, .. } => Some(viewer),
            Self::ScoreErased { .. } | Self::ParamsChanged { .. } => None,
        }
    }
}

impl LiveEvent {
    /// The event's name as the contract metadata spells it.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Transfer { .. } => "Transfer",
            Self::Approval { .. } => "Approval",
            Self::Tipped(_) => "Tipped",
            Self::PerformerRegistered { .. } => "PerformerRegistered",
            Self::ProfileChanged { .. } => "ProfileChanged",
            Self::MaxPlatformFeeChanged { .. } => "MaxPlatformFeeChanged",
            Self::SplitsChanged { .. } => "SplitsChanged",
            Self::PerformerErased { .. } => "PerformerErased",
            Self::AdultAttestationChanged { .. } => "AdultAttestationChanged",
            Self::VerifierChanged { .. } => "VerifierChanged",
            Self::PlatformFeeChanged { .. } => "PlatformFeeChanged",
            Self::Rating(RatingEvent::SupportRecorded { .. }) => "SupportRecorded",
            Self::Rating(RatingEvent::Rated { .. }) => "Rated",
            Self::Rating(RatingEvent::SupporterRemoved { .. }) => "SupporterRemoved",
            Self::Rating(RatingEvent::ScoreErased { .. }) => "ScoreErased",
            Self::Rating(RatingEvent::ParamsChanged { .. }) => "ParamsChanged",
            Self::SettlementChanged { .. } => "SettlementChanged",
            Self::OwnershipOffered { .. } => "OwnershipOffered",
            Self::OwnershipTransferred { .. } => "OwnershipTransferred",
        }
    }

    /// The performer the event is about, so per-performer history is one index away.
    pub fn performer(&self) -> Option<&AccountId> {
        match self {
            Self::Tipped(tip) => Some(&tip.performer),
            Self::PerformerRegistered { performer, .. }
            | Self::ProfileChanged { performer, .. }
            | Self::MaxPlatformFeeChanged { performer, .. }
            | Self::SplitsChanged { performer, .. }
            | Self::PerformerErased { performer }
            | Self::AdultAttestationChanged { performer, .. } => Some(performer),
            Self::Rating(event) => event.performer(),
            _ => None,
        }
    }
}

/// Why an event of ours could not be decoded; the raw event is kept regardless.
#[derive(Debug, thiserror::Error)]
pub enum DecodeError {
    #[error("no signature topic")]
    NoTopic,
    #[error("unknown signature topic 0x{}", hex::encode(.0))]
    UnknownTopic([u8; 32]),
    #[error("{event}: {source}")]
    Malformed {
        event: &'static str,
        source: CodecError,
    },
    #[error("{event}: {extra} trailing bytes")]
    Trailing { event: &'static str, extra: usize },
}

/// Signature topics of our events, as in the contracts' metadata (`signature_topic`).
/// `tests/tests/signatures.rs` checks them against the built metadata.
pub mod topics {
    use const_hex::h;

    pub const TRANSFER: [u8; 32] =
        h("990df076cb1e9527aa102cd100c1481efe393eeabb5825f9af1f5e58221864de");
    pub const APPROVAL: [u8; 32] =
        h("25cdb6c93882e925abbfc9a8b7c85884b73c038c03a2492f238a5e5ba3fbff8c");
    pub const OWNERSHIP_OFFERED: [u8; 32] =
        h("a9d25244a494d3ceb14c7bfc4aa9d28989f85c03fc5aa6e14cdb5b3b33b51b6c");
    pub const OWNERSHIP_TRANSFERRED: [u8; 32] =
        h("71fda9b8681293670f8ece8228047377ab56a3a4d1ac29e4b1719b5df3433199");
    pub const SUPPORT_RECORDED: [u8; 32] =
        h("6c3eea20ef897a3d37dceb075e2d0a83ca7feb40c88a3a34e12780c0d0c32dcc");
    pub const RATED: [u8; 32] =
        h("98bdb4df430934a1ab6a54ce54e96cfaf528f37a4bc336806ae6061180591f55");
    pub const SUPPORTER_REMOVED: [u8; 32] =
        h("26bb4da3f05199272eba376d4b0de7a879a2536683617da804724d941aa909ae");
    pub const SCORE_ERASED: [u8; 32] =
        h("6b53c8ee5b5cdd1ec76cbab20be980081f3369c0a73c34370c3a41a29d76c12e");
    pub const PARAMS_CHANGED: [u8; 32] =
        h("00419336dc1345d8a12dd85e5f0871739be1fe21c2c2b6c56036b25826ac7b15");
    pub const SETTLEMENT_CHANGED: [u8; 32] =
        h("076b4d3fa4b154fee652981a728f53cc78ec7d6fb858493fe3d7383f0a3d014d");
    pub const TIPPED: [u8; 32] =
        h("9867afbcdb8bf9aa3b5614b639440e991c6d6e34fa4e92401c77a971aff7dbb1");
    pub const PERFORMER_REGISTERED: [u8; 32] =
        h("d6c7c77a98f40495e933b15f8e33874832b6ca59eca262909f79d696d1948378");
    pub const PROFILE_CHANGED: [u8; 32] =
        h("832544002ecb72272b189a278ae815f0e8c294f133e370ed747f6bf90dbd66be");
    pub const MAX_PLATFORM_FEE_CHANGED: [u8; 32] =
        h("f7c76d7ffcf5974d9ce33707f7ce6c0817c8a8d13729525241541736cddf5b36");
    pub const SPLITS_CHANGED: [u8; 32] =
        h("31d0d11bf9b3efa5088e9c6d3052e8889d60b998f2d3cb2da8bec21d53abd312");
    pub const PERFORMER_ERASED: [u8; 32] =
        h("e3a28d6dd52c0a443df8076254f2e6a486585e8f4aaa6c67eb6e8c53343a965f");
    pub const ADULT_ATTESTATION_CHANGED: [u8; 32] =
        h("7021d8ac5ec3afe58d3899fd7d66f5c9e68eebe3713eab0d395e653690512052");
    pub const VERIFIER_CHANGED: [u8; 32] =
        h("40c4144427921d51574527acde216189b35fa9882255b0da5c4011f521a3bea7");
    pub const PLATFORM_FEE_CHANGED: [u8; 32] =
        h("5c328f5f4bd34f594771670f3cf2e23f68fe035efd899fba0f12264568f8ac55");

    /// Every known topic with the event name it stands for.
    pub const ALL: [(&str, [u8; 32]); 19] = [
        ("Transfer", TRANSFER),
        ("Approval", APPROVAL),
        ("OwnershipOffered", OWNERSHIP_OFFERED),
        ("OwnershipTransferred", OWNERSHIP_TRANSFERRED),
        ("SupportRecorded", SUPPORT_RECORDED),
        ("Rated", RATED),
        ("SupporterRemoved", SUPPORTER_REMOVED),
        ("ScoreErased", SCORE_ERASED),
        ("ParamsChanged", PARAMS_CHANGED),
        ("SettlementChanged", SETTLEMENT_CHANGED),
        ("Tipped", TIPPED),
        ("PerformerRegistered", PERFORMER_REGISTERED),
        ("ProfileChanged", PROFILE_CHANGED),
        ("MaxPlatformFeeChanged", MAX_PLATFORM_FEE_CHANGED),
        ("SplitsChanged", SPLITS_CHANGED),
        ("PerformerErased", PERFORMER_ERASED),
        ("AdultAttestationChanged", ADULT_ATTESTATION_CHANGED),
        ("VerifierChanged", VERIFIER_CHANGED),
        ("PlatformFeeChanged", PLATFORM_FEE_CHANGED),
    ];

    /// Compile-time hex, so the table above reads like the metadata it mirrors.
    mod const_hex {
        pub const fn h(hex: &str) -> [u8; 32] {
            let bytes = hex.as_bytes();
            assert!(bytes.len() == 64, "a topic is 32 bytes");
            let mut out = [0u8; 32];
            let mut i = 0;
            while i < 32 {
                out[i] = (nibble(bytes[2 * i]) << 4) | nibble(bytes[2 * i + 1]);
                i += 1;
            }
            out
        }

        const fn nibble(c: u8) -> u8 {
            match c {
                b'0'..=b'9' => c - b'0',
                b'a'..=b'f' => c - b'a' + 10,
                _ => panic!("lower-case hex only"),
            }
        }
    }
}

/// Decodes one event from its topics and data.
pub fn decode(topics: &[[u8; 32]], data: &[u8]) -> Result<LiveEvent, DecodeError> {
    use topics::*;
    let signature = *topics.first().ok_or(DecodeError::NoTopic)?;
    let event = match signature {
        TRANSFER => {
            let (from, to, value) = exact("Transfer", data)?;
            LiveEvent::Transfer { from, to, value }
        }
        APPROVAL => {
            let (owner, spender, amount) = exact("Approval", data)?;
            LiveEvent::Approval {
                owner,
                spender,
                amount,
            }
        }
        TIPPED => LiveEvent::Tipped(exact("Tipped", data)?),
        PERFORMER_REGISTERED => {
            let (performer, profile, max_platform_fee_bps) = exact("PerformerRegistered", data)?;
            LiveEvent::PerformerRegistered {
                performer,
                profile,
                max_platform_fee_bps,
            }
        }
        PROFILE_CHANGED => {
            let (performer, profile) = exact("ProfileChanged", data)?;
            LiveEvent::ProfileChanged { performer, profile }
        }
        MAX_PLATFORM_FEE_CHANGED => {
            let (performer, max_platform_fee_bps) = exact("MaxPlatformFeeChanged", data)?;
            LiveEvent::MaxPlatformFeeChanged {
                performer,
                max_platform_fee_bps,
            }
        }
        SPLITS_CHANGED => {
            let (performer, splits) = exact("SplitsChanged", data)?;
            LiveEvent::SplitsChanged { performer, splits }
        }
        PERFORMER_ERASED => LiveEvent::PerformerErased {
            performer: exact("PerformerErased", data)?,
        },
        ADULT_ATTESTATION_CHANGED => {
            let (performer, verifier, adult) = exact("AdultAttestationChanged", data)?;
            LiveEvent::AdultAttestationChanged {
                performer,
                verifier,
                adult,
            }
        }
        VERIFIER_CHANGED => {
            let (verifier, allowed) = exact("VerifierChanged", data)?;
            LiveEvent::VerifierChanged { verifier, allowed }
        }
        PLATFORM_FEE_CHANGED => {
            let (treasury, fee_bps) = exact("PlatformFeeChanged", data)?;
            LiveEvent::PlatformFeeChanged { treasury, fee_bps }
        }
        SUPPORT_RECORDED => {
            let (performer, viewer, amount, viewer_total, at) = exact("SupportRecorded", data)?;
            LiveEvent::Rating(RatingEvent::SupportRecorded {
                performer,
                viewer,
                amount,
                viewer_total,
                at,
            })
        }
        RATED => {
            let (performer, viewer, stars, previous, at) = exact("Rated", data)?;
            LiveEvent::Rating(RatingEvent::Rated {
                performer,
                viewer,
                stars,
                previous,
                at,
            })
        }
        SUPPORTER_REMOVED => {
            let (performer, viewer, support, stars, at) = exact("SupporterRemoved", data)?;
            LiveEvent::Rating(RatingEvent::SupporterRemoved {
                performer,
                viewer,
                support,
                stars,
                at,
            })
        }
        SCORE_ERASED => LiveEvent::Rating(RatingEvent::ScoreErased {
            performer: exact("ScoreErased", data)?,
        }),
        PARAMS_CHANGED => {
            let (version, params): (u32, ParamsCodec) = exact("ParamsChanged", data)?;
            LiveEvent::Rating(RatingEvent::ParamsChanged {
                version,
                params: params.into(),
            })
        }
        SETTLEMENT_CHANGED => LiveEvent::SettlementChanged {
            settlement: exact("SettlementChanged", data)?,
        },
        OWNERSHIP_OFFERED => {
            let (owner, pending) = exact("OwnershipOffered", data)?;
            LiveEvent::OwnershipOffered { owner, pending }
        }
        OWNERSHIP_TRANSFERRED => {
            let (previous, owner) = exact("OwnershipTransferred", data)?;
            LiveEvent::OwnershipTransferred { previous, owner }
        }
        other => return Err(DecodeError::UnknownTopic(other)),
    };
    Ok(event)
}

/// Decodes `T` and insists on consuming every byte, so a layout drift is an error
/// instead of a silently wrong value.
fn exact<T: Decode>(event: &'static str, data: &[u8]) -> Result<T, DecodeError> {
    let mut input = data;
    let value = T::decode(&mut input).map_err(|source| DecodeError::Malformed { event, source })?;
    if input.is_empty() {
        Ok(value)
    } else {
        Err(DecodeError::Trailing {
            event,
            extra: input.len(),
        })
    }
}

/// SCALE layout of `rating_formula::Params` (that crate encodes only under ink!).
#[derive(Decode)]
struct ParamsCodec {
    min_tip: u128,
    half_life_ms: u64,
    prior_stars_milli: u32,
    prior_weight: u32,
    support_half_saturation: u128,
    star_weight_bps: u16,
}

impl From<ParamsCodec> for Params {
    fn from(p: ParamsCodec) -> Self {
        Params {
            min_tip: p.min_tip,
            half_life_ms: p.half_life_ms,
            prior_stars_milli: p.prior_stars_milli,
            prior_weight: p.prior_weight,
            support_half_saturation: p.support_half_saturation,
            star_weight_bps: p.star_weight_bps,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use parity_scale_codec::Encode;

    #[test]
    fn decodes_a_transfer_and_rejects_trailing_bytes() {
        let data = (Some([1u8; 32]), None::<AccountId>, 5u128).encode();
        assert_eq!(
            decode(&[topics::TRANSFER], &data).unwrap(),
            LiveEvent::Transfer {
                from: Some([1; 32]),
                to: None,
                value: 5
            }
        );
        let mut longer = data.clone();
        longer.push(0);
        assert!(matches!(
            decode(&[topics::TRANSFER], &longer),
            Err(DecodeError::Trailing { extra: 1, .. })
        ));
        assert!(matches!(
            decode(&[topics::TRANSFER], &data[..10]),
            Err(DecodeError::Malformed { .. })
        ));
    }

    #[test]
    fn unknown_topics_are_reported_not_guessed() {
        assert!(matches!(
            decode(&[[7; 32]], &[]),
            Err(DecodeError::UnknownTopic(_))
        ));
        assert!(matches!(decode(&[], &[]), Err(DecodeError::NoTopic)));
    }

    #[test]
    fn decodes_params_in_field_order() {
        let p = Params::LAUNCH;
        let data = (
            3u32,
            p.min_tip,
            p.half_life_ms,
            p.prior_stars_milli,
            p.prior_weight,
            p.support_half_saturation,
            p.star_weight_bps,
        )
            .encode();
        assert_eq!(
            decode(&[topics::PARAMS_CHANGED], &data).unwrap(),
            LiveEvent::Rating(RatingEvent::ParamsChanged {
                version: 3,
                params: p
            })
        );
    }
}
