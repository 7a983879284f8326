//! Typed events of the LIVE contract (`live_token`), decoded from
//! `Contracts::ContractEmitted`.
//!
//! ink! 5 puts every field of an event, topics included, into its SCALE data, and
//! the event's signature topic first among the topics. An event is recognised by
//! that signature topic; anything else from our contract stays `Unknown` and is
//! stored raw rather than dropped.

use parity_scale_codec::{Decode, Error as CodecError};
use rating_formula::Params;

/// A 32-byte account, as the contract sees it.
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
        max_fee_bps: u16,
    },
    ProfileChanged {
        performer: AccountId,
        profile: Commitment,
    },
    MaxFeeChanged {
        performer: AccountId,
        max_fee_bps: u16,
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
    PlatformFeeAnnounced {
        treasury: AccountId,
        fee_bps: u16,
        effective_at: u64,
    },
    ParamsAnnounced {
        version: u32,
        params: Params,
        /// Block time (ms) from which `params` apply.
        effective_at: u64,
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
        /// The viewer's decayed stake as it left the score.
        stake: u128,
        stars: Option<u8>,
        at: u64,
    },
    ScorePruned {
        performer: AccountId,
    },
    OwnershipOffered {
        owner: AccountId,
        pending: Option<AccountId>,
    },
    OwnershipTransferred {
        previous: AccountId,
        owner: AccountId,
    },
    ShowTermsChanged {
        performer: AccountId,
        price_per_minute: u128,
        available: bool,
    },
    ShowOpened(ShowOpened),
    ShowToppedUp {
        viewer: AccountId,
        performer: AccountId,
        show_id: u64,
        amount: u128,
        /// The deposit after the top-up.
        deposit: u128,
        at: u64,
    },
    ShowPaid(ShowPaid),
    ShowEnded(ShowEnded),
}

/// A private show opened: its deposit moved into the contract.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct ShowOpened {
    pub viewer: AccountId,
    pub performer: AccountId,
    pub show_id: u64,
    pub price_per_minute: u128,
    pub deposit: u128,
    /// The platform fee and rating stake fixed for the whole show.
    pub fee_bps: u16,
    pub burn_bps: u16,
    pub at: u64,
}

/// Show time paid out of the deposit, divided like a tip.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct ShowPaid {
    pub viewer: AccountId,
    pub performer: AccountId,
    pub show_id: u64,
    pub gross: u128,
    pub platform_fee: u128,
    pub treasury: AccountId,
    pub burned: u128,
    pub splits: Vec<(AccountId, u128)>,
    pub net: u128,
    pub at: u64,
}

/// A show ended and its storage was removed: `deposit == paid + refunded`.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct ShowEnded {
    pub viewer: AccountId,
    pub performer: AccountId,
    pub show_id: u64,
    pub ended_by: AccountId,
    pub deposit: u128,
    pub paid: u128,
    pub refunded: u128,
    pub billed_seconds: u64,
    pub at: u64,
}

/// A settled tip, exactly as the contract reported it.
#[derive(Debug, Clone, PartialEq, Eq, Decode)]
pub struct Tipped {
    pub viewer: AccountId,
    pub performer: AccountId,
    pub tip_id: u64,
    /// The LIVE contract itself, or `None` for a tip in the chain's native currency.
    pub token: Option<AccountId>,
    pub gross: u128,
    pub platform_fee: u128,
    pub treasury: AccountId,
    /// Burned as the tip's stake in the rating (0 for native tips).
    pub burned: u128,
    pub splits: Vec<(AccountId, u128)>,
    pub net: u128,
    pub memo: Option<Commitment>,
    /// Block time in ms.
    pub at: u64,
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
            Self::MaxFeeChanged { .. } => "MaxFeeChanged",
            Self::SplitsChanged { .. } => "SplitsChanged",
            Self::PerformerErased { .. } => "PerformerErased",
            Self::AdultAttestationChanged { .. } => "AdultAttestationChanged",
            Self::VerifierChanged { .. } => "VerifierChanged",
            Self::PlatformFeeAnnounced { .. } => "PlatformFeeAnnounced",
            Self::ParamsAnnounced { .. } => "ParamsAnnounced",
            Self::Rated { .. } => "Rated",
            Self::SupporterRemoved { .. } => "SupporterRemoved",
            Self::ScorePruned { .. } => "ScorePruned",
            Self::OwnershipOffered { .. } => "OwnershipOffered",
            Self::OwnershipTransferred { .. } => "OwnershipTransferred",
            Self::ShowTermsChanged { .. } => "ShowTermsChanged",
            Self::ShowOpened(_) => "ShowOpened",
            Self::ShowToppedUp { .. } => "ShowToppedUp",
            Self::ShowPaid(_) => "ShowPaid",
            Self::ShowEnded(_) => "ShowEnded",
        }
    }

    /// The performer the event is about, so per-performer history is one index away.
    pub fn performer(&self) -> Option<&AccountId> {
        match self {
            Self::Tipped(tip) => Some(&tip.performer),
            Self::ShowOpened(show) => Some(&show.performer),
            Self::ShowPaid(paid) => Some(&paid.performer),
            Self::ShowEnded(end) => Some(&end.performer),
            Self::PerformerRegistered { performer, .. }
            | Self::ProfileChanged { performer, .. }
            | Self::MaxFeeChanged { performer, .. }
            | Self::SplitsChanged { performer, .. }
            | Self::PerformerErased { performer }
            | Self::AdultAttestationChanged { performer, .. }
            | Self::Rated { performer, .. }
            | Self::SupporterRemoved { performer, .. }
            | Self::ScorePruned { performer }
            | Self::ShowTermsChanged { performer, .. }
            | Self::ShowToppedUp { performer, .. } => Some(performer),
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

/// Signature topics of our events, as in the contract's metadata (`signature_topic`).
/// `tests/tests/signatures.rs` checks them against the built metadata.
pub mod topics {
    use const_hex::h;

    pub const TRANSFER: [u8; 32] =
        h("990df076cb1e9527aa102cd100c1481efe393eeabb5825f9af1f5e58221864de");
    pub const APPROVAL: [u8; 32] =
        h("25cdb6c93882e925abbfc9a8b7c85884b73c038c03a2492f238a5e5ba3fbff8c");
    pub const TIPPED: [u8; 32] =
        h("696fa743cd894f6bc1c8426c80bda30655f4a7635aa8112085de244fa88b66af");
    pub const PERFORMER_REGISTERED: [u8; 32] =
        h("d6c7c77a98f40495e933b15f8e33874832b6ca59eca262909f79d696d1948378");
    pub const PROFILE_CHANGED: [u8; 32] =
        h("832544002ecb72272b189a278ae815f0e8c294f133e370ed747f6bf90dbd66be");
    pub const MAX_FEE_CHANGED: [u8; 32] =
        h("a2c99d72b347ea78929c518f8a69bd6eb548bdd4fed6e20fe6c327e63f3e611e");
    pub const SPLITS_CHANGED: [u8; 32] =
        h("31d0d11bf9b3efa5088e9c6d3052e8889d60b998f2d3cb2da8bec21d53abd312");
    pub const PERFORMER_ERASED: [u8; 32] =
        h("e3a28d6dd52c0a443df8076254f2e6a486585e8f4aaa6c67eb6e8c53343a965f");
    pub const ADULT_ATTESTATION_CHANGED: [u8; 32] =
        h("7021d8ac5ec3afe58d3899fd7d66f5c9e68eebe3713eab0d395e653690512052");
    pub const VERIFIER_CHANGED: [u8; 32] =
        h("40c4144427921d51574527acde216189b35fa9882255b0da5c4011f521a3bea7");
    pub const PLATFORM_FEE_ANNOUNCED: [u8; 32] =
        h("9e062af2f2f242986882a95aa45eb666830460d0c3ed6b295a392b3750374bda");
    pub const PARAMS_ANNOUNCED: [u8; 32] =
        h("da35f562fc38eb8a6020bfb8ef370634da48b1ca81b24e84102579028b8b2afc");
    pub const RATED: [u8; 32] =
        h("98bdb4df430934a1ab6a54ce54e96cfaf528f37a4bc336806ae6061180591f55");
    pub const SUPPORTER_REMOVED: [u8; 32] =
        h("26bb4da3f05199272eba376d4b0de7a879a2536683617da804724d941aa909ae");
    pub const SCORE_PRUNED: [u8; 32] =
        h("b735d05e84ecf9ca4502a0e9fd9c6e1dae820c3699e3332db9e969b896698f94");
    pub const OWNERSHIP_OFFERED: [u8; 32] =
        h("a9d25244a494d3ceb14c7bfc4aa9d28989f85c03fc5aa6e14cdb5b3b33b51b6c");
    pub const OWNERSHIP_TRANSFERRED: [u8; 32] =
        h("71fda9b8681293670f8ece8228047377ab56a3a4d1ac29e4b1719b5df3433199");

    pub const SHOW_TERMS_CHANGED: [u8; 32] =
        h("a557e25a6d863190763ca9b72fb31144338d517c0494564ac66156efa38f0fdc");
    pub const SHOW_OPENED: [u8; 32] =
        h("86af1a00c18c2b33f5f808e3b06eac361185cb5f37ec8163d610f39d91b2fe02");
    pub const SHOW_TOPPED_UP: [u8; 32] =
        h("8c5a07ab8befe10cfd880e7030257e569b9b5e3dac69827d212550ffac22f8f4");
    pub const SHOW_PAID: [u8; 32] =
        h("0af0cb26b3895a4093a92fddc9e9d57b4c76ee5be53edf23e25960fe6204c732");
    pub const SHOW_ENDED: [u8; 32] =
        h("41b11e3bfa5622c74229a107c0e60f132ef63e80cb75c8266292a635873656b7");

    /// Every known topic with the event name it stands for.
    pub const ALL: [(&str, [u8; 32]); 22] = [
        ("Transfer", TRANSFER),
        ("Approval", APPROVAL),
        ("Tipped", TIPPED),
        ("PerformerRegistered", PERFORMER_REGISTERED),
        ("ProfileChanged", PROFILE_CHANGED),
        ("MaxFeeChanged", MAX_FEE_CHANGED),
        ("SplitsChanged", SPLITS_CHANGED),
        ("PerformerErased", PERFORMER_ERASED),
        ("AdultAttestationChanged", ADULT_ATTESTATION_CHANGED),
        ("VerifierChanged", VERIFIER_CHANGED),
        ("PlatformFeeAnnounced", PLATFORM_FEE_ANNOUNCED),
        ("ParamsAnnounced", PARAMS_ANNOUNCED),
        ("Rated", RATED),
        ("SupporterRemoved", SUPPORTER_REMOVED),
        ("ScorePruned", SCORE_PRUNED),
        ("OwnershipOffered", OWNERSHIP_OFFERED),
        ("OwnershipTransferred", OWNERSHIP_TRANSFERRED),
        ("ShowTermsChanged", SHOW_TERMS_CHANGED),
        ("ShowOpened", SHOW_OPENED),
        ("ShowToppedUp", SHOW_TOPPED_UP),
        ("ShowPaid", SHOW_PAID),
        ("ShowEnded", SHOW_ENDED),
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
            let (performer, profile, max_fee_bps) = exact("PerformerRegistered", data)?;
            LiveEvent::PerformerRegistered {
                performer,
                profile,
                max_fee_bps,
            }
        }
        PROFILE_CHANGED => {
            let (performer, profile) = exact("ProfileChanged", data)?;
            LiveEvent::ProfileChanged { performer, profile }
        }
        MAX_FEE_CHANGED => {
            let (performer, max_fee_bps) = exact("MaxFeeChanged", data)?;
            LiveEvent::MaxFeeChanged {
                performer,
                max_fee_bps,
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
        PLATFORM_FEE_ANNOUNCED => {
            let (treasury, fee_bps, effective_at) = exact("PlatformFeeAnnounced", data)?;
            LiveEvent::PlatformFeeAnnounced {
                treasury,
                fee_bps,
                effective_at,
            }
        }
        PARAMS_ANNOUNCED => {
            let (version, params, effective_at): (u32, ParamsCodec, u64) =
                exact("ParamsAnnounced", data)?;
            LiveEvent::ParamsAnnounced {
                version,
                params: params.into(),
                effective_at,
            }
        }
        RATED => {
            let (performer, viewer, stars, previous, at) = exact("Rated", data)?;
            LiveEvent::Rated {
                performer,
                viewer,
                stars,
                previous,
                at,
            }
        }
        SUPPORTER_REMOVED => {
            let (performer, viewer, stake, stars, at) = exact("SupporterRemoved", data)?;
            LiveEvent::SupporterRemoved {
                performer,
                viewer,
                stake,
                stars,
                at,
            }
        }
        SCORE_PRUNED => LiveEvent::ScorePruned {
            performer: exact("ScorePruned", data)?,
        },
        OWNERSHIP_OFFERED => {
            let (owner, pending) = exact("OwnershipOffered", data)?;
            LiveEvent::OwnershipOffered { owner, pending }
        }
        OWNERSHIP_TRANSFERRED => {
            let (previous, owner) = exact("OwnershipTransferred", data)?;
            LiveEvent::OwnershipTransferred { previous, owner }
        }
        SHOW_TERMS_CHANGED => {
            let (performer, price_per_minute, available) = exact("ShowTermsChanged", data)?;
            LiveEvent::ShowTermsChanged {
                performer,
                price_per_minute,
                available,
            }
        }
        SHOW_OPENED => LiveEvent::ShowOpened(exact("ShowOpened", data)?),
        SHOW_TOPPED_UP => {
            let (viewer, performer, show_id, amount, deposit, at) = exact("ShowToppedUp", data)?;
            LiveEvent::ShowToppedUp {
                viewer,
                performer,
                show_id,
                amount,
                deposit,
                at,
            }
        }
        SHOW_PAID => LiveEvent::ShowPaid(exact("ShowPaid", data)?),
        SHOW_ENDED => LiveEvent::ShowEnded(exact("ShowEnded", data)?),
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
    burn_bps: u16,
    support_half_saturation: u128,
    prior_stars_milli: u32,
    prior_weight: u128,
    star_weight_bps: u16,
}

impl From<ParamsCodec> for Params {
    fn from(p: ParamsCodec) -> Self {
        Params {
            burn_bps: p.burn_bps,
            support_half_saturation: p.support_half_saturation,
            prior_stars_milli: p.prior_stars_milli,
            prior_weight: p.prior_weight,
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
            p.burn_bps,
            p.support_half_saturation,
            p.prior_stars_milli,
            p.prior_weight,
            p.star_weight_bps,
            77u64,
        )
            .encode();
        assert_eq!(
            decode(&[topics::PARAMS_ANNOUNCED], &data).unwrap(),
            LiveEvent::ParamsAnnounced {
                version: 3,
                params: p,
                effective_at: 77
            }
        );
    }

    #[test]
    fn decodes_a_tip_with_its_burn() {
        let data = (
            [1u8; 32],
            [2u8; 32],
            7u64,
            Some([3u8; 32]),
            10_000u128,
            250u128,
            [4u8; 32],
            100u128,
            vec![([5u8; 32], 1_000u128)],
            8_650u128,
            None::<Commitment>,
            9u64,
        )
            .encode();
        let LiveEvent::Tipped(tip) = decode(&[topics::TIPPED], &data).unwrap() else {
            panic!("not a tip");
        };
        assert_eq!((tip.burned, tip.net, tip.at), (100, 8_650, 9));
        assert!(matches!(
            decode(&[topics::TIPPED], &[data.as_slice(), &[0]].concat()),
            Err(DecodeError::Trailing { extra: 1, .. })
        ));
    }
}
