//! The inverse of [`decode`](crate::decode): an event laid out as the LIVE contract
//! emits it under ink! 5, so tests and the scale benchmark can feed the store the
//! very bytes a chain would carry without running one.
//!
//! ink! 5's layout: the topics are the event's signature, then one per
//! `#[ink(topic)]` field (the field's SCALE encoding zero-padded to 32 bytes, or its
//! blake2-256 when longer); the data is every field, topics included, SCALE-encoded
//! in declaration order.

use crate::decode::{topics, LiveEvent};
use blake2::digest::consts::U32;
use blake2::{Blake2b, Digest};
use parity_scale_codec::Encode;

/// The topics and data of `event`, as `Contracts::ContractEmitted` carries them.
pub fn encode(event: &LiveEvent) -> (Vec<[u8; 32]>, Vec<u8>) {
    use LiveEvent as E;
    match event {
        E::Transfer { from, to, value } => emitted(
            topics::TRANSFER,
            &[topic(from), topic(to)],
            (from, to, value),
        ),
        E::Approval {
            owner,
            spender,
            amount,
        } => emitted(
            topics::APPROVAL,
            &[*owner, *spender],
            (owner, spender, amount),
        ),
        E::Tipped(tip) => emitted(
            topics::TIPPED,
            &[tip.viewer, tip.performer],
            (
                tip.viewer,
                tip.performer,
                tip.tip_id,
                tip.token,
                tip.gross,
                tip.platform_fee,
                tip.treasury,
                tip.burned,
                &tip.splits,
                tip.net,
                tip.memo,
                tip.at,
            ),
        ),
        E::PerformerRegistered {
            performer,
            profile,
            max_fee_bps,
        } => emitted(
            topics::PERFORMER_REGISTERED,
            &[*performer],
            (performer, profile, max_fee_bps),
        ),
        E::ProfileChanged { performer, profile } => {
            emitted(topics::PROFILE_CHANGED, &[*performer], (performer, profile))
        }
        E::MaxFeeChanged {
            performer,
            max_fee_bps,
        } => emitted(
            topics::MAX_FEE_CHANGED,
            &[*performer],
            (performer, max_fee_bps),
        ),
        E::SplitsChanged { performer, splits } => {
            emitted(topics::SPLITS_CHANGED, &[*performer], (performer, splits))
        }
        E::PerformerErased { performer } => {
            emitted(topics::PERFORMER_ERASED, &[*performer], performer)
        }
        E::AdultAttestationChanged {
            performer,
            verifier,
            adult,
        } => emitted(
            topics::ADULT_ATTESTATION_CHANGED,
            &[*performer, *verifier],
            (performer, verifier, adult),
        ),
        E::VerifierChanged { verifier, allowed } => {
            emitted(topics::VERIFIER_CHANGED, &[*verifier], (verifier, allowed))
        }
        E::PlatformFeeAnnounced {
            treasury,
            fee_bps,
            effective_at,
        } => emitted(
            topics::PLATFORM_FEE_ANNOUNCED,
            &[*treasury],
            (treasury, fee_bps, effective_at),
        ),
        E::ParamsAnnounced {
            version,
            params: p,
            effective_at,
        } => emitted(
            topics::PARAMS_ANNOUNCED,
            &[],
            (
                version,
                p.burn_bps,
                p.support_half_saturation,
                p.prior_stars_milli,
                p.prior_weight,
                p.star_weight_bps,
                effective_at,
            ),
        ),
        E::Rated {
            performer,
            viewer,
            stars,
            previous,
            at,
        } => emitted(
            topics::RATED,
            &[*performer, *viewer],
            (performer, viewer, stars, previous, at),
        ),
        E::SupporterRemoved {
            performer,
            viewer,
            stake,
            stars,
            at,
        } => emitted(
            topics::SUPPORTER_REMOVED,
            &[*performer, *viewer],
            (performer, viewer, stake, stars, at),
        ),
        E::ScorePruned { performer } => emitted(topics::SCORE_PRUNED, &[*performer], performer),
        E::OwnershipOffered { owner, pending } => emitted(
            topics::OWNERSHIP_OFFERED,
            &[*owner, topic(pending)],
            (owner, pending),
        ),
        E::OwnershipTransferred { previous, owner } => emitted(
            topics::OWNERSHIP_TRANSFERRED,
            &[*previous, *owner],
            (previous, owner),
        ),
        E::ShowTermsChanged {
            performer,
            price_per_minute,
            available,
        } => emitted(
            topics::SHOW_TERMS_CHANGED,
            &[*performer],
            (performer, price_per_minute, available),
        ),
        E::ShowOpened(show) => emitted(
            topics::SHOW_OPENED,
            &[show.viewer, show.performer],
            (
                show.viewer,
                show.performer,
                show.show_id,
                show.price_per_minute,
                show.deposit,
                show.fee_bps,
                show.burn_bps,
                show.at,
            ),
        ),
        E::ShowToppedUp {
            viewer,
            performer,
            show_id,
            amount,
            deposit,
            at,
        } => emitted(
            topics::SHOW_TOPPED_UP,
            &[*viewer, *performer],
            (viewer, performer, show_id, amount, deposit, at),
        ),
        E::ShowPaid(paid) => emitted(
            topics::SHOW_PAID,
            &[paid.viewer, paid.performer],
            (
                paid.viewer,
                paid.performer,
                paid.show_id,
                paid.gross,
                paid.platform_fee,
                paid.treasury,
                paid.burned,
                &paid.splits,
                paid.net,
                paid.at,
            ),
        ),
        E::ShowEnded(end) => emitted(
            topics::SHOW_ENDED,
            &[end.viewer, end.performer, end.ended_by],
            (
                end.viewer,
                end.performer,
                end.show_id,
                end.ended_by,
                end.deposit,
                end.paid,
                end.refunded,
                end.billed_seconds,
                end.at,
            ),
        ),
    }
}

fn emitted(
    signature: [u8; 32],
    fields: &[[u8; 32]],
    data: impl Encode,
) -> (Vec<[u8; 32]>, Vec<u8>) {
    let mut all = Vec::with_capacity(fields.len() + 1);
    all.push(signature);
    all.extend_from_slice(fields);
    (all, data.encode())
}

/// A topic field as ink! 5 writes it: its encoding padded to 32 bytes, or hashed.
fn topic(value: &impl Encode) -> [u8; 32] {
    let encoded = value.encode();
    let mut out = [0u8; 32];
    if encoded.len() <= 32 {
        out[..encoded.len()].copy_from_slice(&encoded);
    } else {
        out.copy_from_slice(&Blake2b::<U32>::digest(&encoded));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::{decode, ShowEnded, ShowOpened, ShowPaid, Tipped};
    use rating_formula::Params;

    #[test]
    fn every_event_decodes_to_itself() {
        let (a, b) = ([1u8; 32], [2u8; 32]);
        let events = [
            LiveEvent::Transfer {
                from: None,
                to: Some(a),
                value: 7,
            },
            LiveEvent::Approval {
                owner: a,
                spender: b,
                amount: 1,
            },
            LiveEvent::Tipped(Tipped {
                viewer: a,
                performer: b,
                tip_id: 3,
                token: Some([3; 32]),
                gross: 10_000,
                platform_fee: 250,
                treasury: [4; 32],
                burned: 100,
                splits: vec![([5; 32], 1_000)],
                net: 8_650,
                memo: Some([6; 32]),
                at: 9,
            }),
            LiveEvent::PerformerRegistered {
                performer: b,
                profile: [7; 32],
                max_fee_bps: 500,
            },
            LiveEvent::ProfileChanged {
                performer: b,
                profile: [8; 32],
            },
            LiveEvent::MaxFeeChanged {
                performer: b,
                max_fee_bps: 300,
            },
            LiveEvent::SplitsChanged {
                performer: b,
                splits: vec![(a, 100)],
            },
            LiveEvent::PerformerErased { performer: b },
            LiveEvent::AdultAttestationChanged {
                performer: b,
                verifier: a,
                adult: true,
            },
            LiveEvent::VerifierChanged {
                verifier: a,
                allowed: false,
            },
            LiveEvent::PlatformFeeAnnounced {
                treasury: a,
                fee_bps: 250,
                effective_at: 5,
            },
            LiveEvent::ParamsAnnounced {
                version: 2,
                params: Params::LAUNCH,
                effective_at: 11,
            },
            LiveEvent::Rated {
                performer: b,
                viewer: a,
                stars: 4,
                previous: Some(2),
                at: 12,
            },
            LiveEvent::SupporterRemoved {
                performer: b,
                viewer: a,
                stake: 99,
                stars: None,
                at: 13,
            },
            LiveEvent::ScorePruned { performer: b },
            LiveEvent::OwnershipOffered {
                owner: a,
                pending: Some(b),
            },
            LiveEvent::OwnershipTransferred {
                previous: a,
                owner: b,
            },
            LiveEvent::ShowTermsChanged {
                performer: b,
                price_per_minute: 60,
                available: true,
            },
            LiveEvent::ShowOpened(ShowOpened {
                viewer: a,
                performer: b,
                show_id: 4,
                price_per_minute: 60,
                deposit: 600,
                fee_bps: 250,
                burn_bps: 100,
                at: 14,
            }),
            LiveEvent::ShowToppedUp {
                viewer: a,
                performer: b,
                show_id: 4,
                amount: 60,
                deposit: 660,
                at: 15,
            },
            LiveEvent::ShowPaid(ShowPaid {
                viewer: a,
                performer: b,
                show_id: 4,
                gross: 100,
                platform_fee: 2,
                treasury: [4; 32],
                burned: 1,
                splits: vec![([5; 32], 10)],
                net: 87,
                at: 16,
            }),
            LiveEvent::ShowEnded(ShowEnded {
                viewer: a,
                performer: b,
                show_id: 4,
                ended_by: b,
                deposit: 660,
                paid: 100,
                refunded: 560,
                billed_seconds: 100,
                at: 17,
            }),
        ];
        assert_eq!(events.len(), topics::ALL.len(), "one case per known event");
        for event in events {
            let (event_topics, data) = encode(&event);
            assert_eq!(decode(&event_topics, &data).unwrap(), event);
            let expected = topics::ALL.iter().find(|(name, _)| *name == event.name());
            assert_eq!(expected.map(|(_, t)| *t), Some(event_topics[0]));
        }
    }

    #[test]
    fn long_topic_fields_are_hashed_short_ones_padded() {
        assert_eq!(topic(&None::<[u8; 32]>), [0; 32]);
        let some = topic(&Some([1u8; 32]));
        assert_eq!(
            some.as_slice(),
            Blake2b::<U32>::digest([[1u8].as_slice(), &[1; 32]].concat()).as_slice()
        );
    }
}
