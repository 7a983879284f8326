//! Typed events of the LIVE contract, decoded from `Contracts::ContractEmitted`.
//!
//! The events are declared once, in `contracts/livestars-abi`, which the contract
//! emits; this module is the indexer's view of that crate. An event is recognised
//! by its signature topic (ink! 5 puts it first); anything else from our contract
//! fails to decode and is stored raw rather than dropped. `LiveEvent::encode` is
//! the inverse, for tests and benchmarks that feed the store the bytes a chain
//! would carry.

pub use livestars_abi::*;

/// Decodes one event from its topics and data (every byte must be consumed).
pub fn decode(topics: &[[u8; 32]], data: &[u8]) -> Result<LiveEvent, DecodeError> {
    LiveEvent::decode(topics, data)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every event, with arbitrary fields, decodes to itself from the topics and
    /// data it is emitted with, and its first topic names it.
    #[test]
    fn every_event_decodes_to_itself() {
        for seed in 0..2_000 {
            let events = LiveEvent::samples(&mut Rng::new(seed));
            assert_eq!(events.len(), LiveEvent::ALL.len(), "one sample per event");
            for event in events {
                let (topics, data) = event.encode();
                assert_eq!(decode(&topics, &data), Ok(event.clone()), "seed {seed}");
                let named = LiveEvent::ALL
                    .iter()
                    .find(|(name, _)| *name == event.name());
                assert_eq!(named.map(|(_, topic)| *topic), Some(topics[0]));
            }
        }
    }

    /// A decoder that read the fields in another order would not give the event
    /// back: two events of one kind that differ only by a swap stay different.
    #[test]
    fn a_field_swap_is_a_different_event() {
        let tip = |gross, platform_fee| Tipped {
            viewer: [1; 32],
            performer: [2; 32],
            tip_id: 1,
            token: None,
            gross,
            platform_fee,
            treasury: [3; 32],
            burned: 0,
            splits: vec![],
            net: 0,
            memo: None,
            at: 0,
        };
        let (topics, data) = LiveEvent::Tipped(tip(100, 2)).encode();
        assert_eq!(decode(&topics, &data), Ok(LiveEvent::Tipped(tip(100, 2))));
        assert_ne!(decode(&topics, &data), Ok(LiveEvent::Tipped(tip(2, 100))));
    }
}
