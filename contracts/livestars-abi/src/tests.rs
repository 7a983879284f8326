use super::*;
use scale::Encode;

/// A tip whose every field differs from the others, so that swapping any two
/// fields of `Tipped` (even two of one type) changes its bytes.
fn distinct_tip() -> Tipped {
    Tipped {
        viewer: [1; 32].into(),
        performer: [2; 32].into(),
        tip_id: 3,
        token: Some([4; 32].into()),
        gross: 5,
        platform_fee: 6,
        treasury: [7; 32].into(),
        burned: 8,
        splits: alloc::vec![([9; 32].into(), 10)],
        net: 11,
        memo: Some([12; 32]),
        at: 13,
    }
}

/// The layout of an event's data is what every stored raw event was written in:
/// a reordered field must fail here, not silently in the indexer.
#[test]
fn a_tip_keeps_its_field_order() {
    let expected = [
        &[1u8; 32][..],
        &[2; 32],
        &3u64.to_le_bytes(),
        &[1],
        &[4; 32],
        &5u128.to_le_bytes(),
        &6u128.to_le_bytes(),
        &[7; 32],
        &8u128.to_le_bytes(),
        &[4], // compact length 1
        &[9; 32],
        &10u128.to_le_bytes(),
        &11u128.to_le_bytes(),
        &[1],
        &[12; 32],
        &13u64.to_le_bytes(),
    ]
    .concat();
    assert_eq!(distinct_tip().encode(), expected);
}

#[test]
fn topics_are_the_signature_then_the_marked_fields() {
    let tip = distinct_tip();
    assert_eq!(
        tip.topics(),
        alloc::vec![Tipped::SIGNATURE, [1; 32], [2; 32]]
    );
    let mint = Transfer {
        from: None,
        to: Some([3; 32].into()),
        value: 1,
    };
    let topics = mint.topics();
    assert_eq!(topics[1], [0; 32], "None is zeros");
    assert_eq!(topics[2], [3; 32], "Some(account) is the account");
}

#[test]
fn decoding_refuses_trailing_bytes_short_data_and_unknown_topics() {
    let (topics, data) = LiveEvent::from(distinct_tip()).encode();
    assert_eq!(
        LiveEvent::decode(&topics, &data),
        Ok(LiveEvent::Tipped(distinct_tip()))
    );
    let longer = [data.as_slice(), &[0]].concat();
    assert!(matches!(
        LiveEvent::decode(&topics, &longer),
        Err(DecodeError::Trailing { extra: 1, .. })
    ));
    assert!(matches!(
        LiveEvent::decode(&topics, &data[..10]),
        Err(DecodeError::Malformed { .. })
    ));
    assert_eq!(
        LiveEvent::decode(&[[7; 32]], &data),
        Err(DecodeError::UnknownTopic([7; 32]))
    );
    assert_eq!(LiveEvent::decode(&[], &data), Err(DecodeError::NoTopic));
}

#[test]
fn every_signature_is_distinct() {
    for (i, (name, topic)) in LiveEvent::ALL.iter().enumerate() {
        for (other, other_topic) in &LiveEvent::ALL[i + 1..] {
            assert_ne!(topic, other_topic, "{name} and {other}");
        }
    }
}

/// The signature topics declared in `events.rs` are the ones ink! computes and
/// emits (run by the contracts' `cargo test --workspace`, where LIVE enables `ink`).
#[cfg(feature = "ink")]
#[test]
fn signatures_are_the_ones_ink_computes() {
    use ink::env::Event;
    macro_rules! check {
        ($($event:ident),* $(,)?) => {{
            let checked = [$({
                assert_eq!(
                    Some($event::SIGNATURE),
                    <$event as Event>::SIGNATURE_TOPIC,
                    "{}: declared 0x{}, ink! computes {:?}",
                    $event::NAME,
                    hex_of(&$event::SIGNATURE),
                    <$event as Event>::SIGNATURE_TOPIC.map(|t| hex_of(&t)),
                );
                $event::NAME
            }),*];
            checked.len()
        }};
    }
    let checked = check!(
        Transfer,
        Approval,
        Tipped,
        PerformerRegistered,
        ProfileChanged,
        MaxFeeChanged,
        SplitsChanged,
        PerformerErased,
        AdultAttestationChanged,
        VerifierChanged,
        PlatformFeeAnnounced,
        MintAnnounced,
        ParamsAnnounced,
        Rated,
        SupporterRemoved,
        ScorePruned,
        OwnershipOffered,
        OwnershipTransferred,
        ShowTermsChanged,
        ShowOpened,
        ShowToppedUp,
        ShowPaid,
        ShowEnded,
        ViewerBlockChanged,
        VoucherKeyRegistered,
        VouchersBacked,
        VouchersBought,
        VoucherRedeemed,
        VoucherKeyClosed,
        VoucherForgotten,
    );
    assert_eq!(checked, LiveEvent::ALL.len(), "every event is checked");
}

#[cfg(feature = "ink")]
fn hex_of(bytes: &[u8; 32]) -> alloc::string::String {
    bytes.iter().map(|b| alloc::format!("{b:02x}")).collect()
}

/// What ink! really emits (its off-chain recorder) is what `topics` and `encode`
/// say: the same topics in the same order, the same data.
#[cfg(feature = "ink")]
#[test]
fn ink_emits_what_encode_says() {
    use ink::env::DefaultEnvironment;
    let events = [
        LiveEvent::from(distinct_tip()),
        LiveEvent::from(Transfer {
            from: None,
            to: Some([3; 32].into()),
            value: 1,
        }),
        LiveEvent::from(OwnershipOffered {
            owner: [5; 32].into(),
            pending: None,
        }),
    ];
    for event in &events {
        match event.clone() {
            LiveEvent::Tipped(e) => ink::env::emit_event::<DefaultEnvironment, _>(e),
            LiveEvent::Transfer(e) => ink::env::emit_event::<DefaultEnvironment, _>(e),
            LiveEvent::OwnershipOffered(e) => ink::env::emit_event::<DefaultEnvironment, _>(e),
            _ => unreachable!("only the three above"),
        }
    }
    let recorded: alloc::vec::Vec<_> = ink::env::test::recorded_events().collect();
    assert_eq!(recorded.len(), events.len());
    for (event, emitted) in events.iter().zip(recorded) {
        let (topics, data) = event.encode();
        let emitted_topics: alloc::vec::Vec<[u8; 32]> = emitted
            .topics
            .iter()
            .map(|t| t.as_slice().try_into().expect("32-byte topic"))
            .collect();
        assert_eq!(emitted_topics, topics, "{}", event.name());
        assert_eq!(emitted.data, data, "{}", event.name());
    }
}
