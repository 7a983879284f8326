//! Synthetic blocks of real encoded events (feature `fixtures`), for the tests and
//! benchmarks that feed [`Store::commit`](crate::store::Store::commit) the bytes a
//! chain would carry without running one: the store's tests, the API's in-process
//! tests and the benchmark's generated dataset.
//!
//! Events are encoded by `livestars-abi`, as the contract emits them (the signature
//! topic, one topic per topic field, every field SCALE-encoded in the data), so
//! what the store decodes here is what it decodes from a node.

use crate::decode::{AccountId, LiveEvent, Tipped, Transfer};
use crate::store::{IndexedBlock, RawEvent, TipRecord};
use std::ops::RangeInclusive;

/// One LIVE in base units (12 decimals).
pub const UNIT: u128 = 1_000_000_000_000;
/// An hour, in ms (block times are in ms).
pub const HOUR_MS: u64 = 3_600_000;
/// The platform fee of the fixtures' tips: 2.5%.
pub const FEE_BPS: u16 = 250;

/// The LIVE contract of the fixtures.
pub const LIVE_TOKEN: AccountId = [0x11; 32];
/// Another contract, whose events the derived tables must ignore.
pub const OTHER_CONTRACT: AccountId = [0x12; 32];
pub const PERFORMERS: [AccountId; 3] = [[0x21; 32], [0x22; 32], [0x23; 32]];
pub const VIEWERS: [AccountId; 2] = [[0x31; 32], [0x32; 32]];
/// Where platform fees go.
pub const TREASURY: AccountId = [0x41; 32];
/// A recipient of a performer's split.
pub const CO_RECIPIENT: AccountId = [0x51; 32];
/// 18+ verifiers.
pub const VERIFIERS: [AccountId; 2] = [[0x61; 32], [0x62; 32]];

/// `event` of `contract`, encoded as the chain carries it, at `index` among its
/// block's events and emitted by extrinsic `extrinsic`.
pub fn emitted_at(contract: AccountId, event: &LiveEvent, index: u32, extrinsic: u32) -> RawEvent {
    let (topics, data) = event.encode();
    RawEvent {
        event_index: index,
        extrinsic_index: Some(extrinsic),
        contract,
        topics,
        data,
    }
}

/// `event` of `contract`, encoded as the chain carries it (emitted by extrinsic 1;
/// [`block`] gives it its place in the block).
pub fn emitted(contract: AccountId, event: LiveEvent) -> RawEvent {
    emitted_at(contract, &event, 0, 1)
}

/// `event` of the fixtures' LIVE contract ([`LIVE_TOKEN`]).
pub fn live(event: LiveEvent) -> RawEvent {
    emitted(LIVE_TOKEN, event)
}

/// The hash of the fixtures' block `number`.
pub fn block_hash(number: u32) -> [u8; 32] {
    [number.to_le_bytes()[0]; 32]
}

/// Block `number` holding `events`, numbered 0, 1, … in the block as given.
pub fn block(number: u32, events: Vec<RawEvent>) -> IndexedBlock {
    IndexedBlock {
        number,
        hash: block_hash(number),
        events: events
            .into_iter()
            .zip(0..)
            .map(|(event, event_index)| RawEvent {
                event_index,
                ..event
            })
            .collect(),
    }
}

/// Block `number` holding `events` of the fixtures' LIVE contract.
pub fn live_block(number: u32, events: Vec<LiveEvent>) -> IndexedBlock {
    block(number, events.into_iter().map(live).collect())
}

/// Empty blocks `numbers`.
pub fn empty_blocks(numbers: RangeInclusive<u32>) -> Vec<IndexedBlock> {
    numbers.map(|number| block(number, Vec::new())).collect()
}

/// Tip `tip_id` of `gross` from `viewer` to `performer` at `at` (ms), as the
/// contract reports it at the launch parameters: [`FEE_BPS`] to the [`TREASURY`],
/// and of a LIVE tip (`token` given) the launch burn (1%) as stake; no split, no
/// memo.
pub fn tipped(
    tip_id: u64,
    viewer: AccountId,
    performer: AccountId,
    token: Option<AccountId>,
    gross: u128,
    at: u64,
) -> Tipped {
    let platform_fee = gross * u128::from(FEE_BPS) / 10_000;
    let burned = match token {
        Some(_) => gross * u128::from(rating_formula::Params::LAUNCH.burn_bps) / 10_000,
        None => 0,
    };
    Tipped {
        viewer,
        performer,
        tip_id,
        token,
        gross,
        platform_fee,
        treasury: TREASURY,
        burned,
        splits: Vec::new(),
        net: gross - platform_fee - burned,
        memo: None,
        at,
    }
}

/// Every event the contract raises when it settles `tip` in LIVE, in its order
/// (`live_token/tips.rs`, `pay_out`): a PSP22 `Transfer` from the viewer for the
/// fee, each split and the net (each only when not zero), one to nobody for the
/// burned stake, then `Tipped`. A synthetic chain built of these carries what a
/// real one does per tip, not only the tip.
pub fn settled_in_live(tip: Tipped) -> Vec<LiveEvent> {
    let transfer = |to: Option<AccountId>, value: u128| {
        (value > 0).then_some(LiveEvent::Transfer(Transfer {
            from: Some(tip.viewer),
            to,
            value,
        }))
    };
    let mut events: Vec<LiveEvent> = transfer(Some(tip.treasury), tip.platform_fee)
        .into_iter()
        .chain(
            tip.splits
                .iter()
                .filter_map(|(to, share)| transfer(Some(*to), *share)),
        )
        .chain(transfer(Some(tip.performer), tip.net))
        .chain(transfer(None, tip.burned))
        .collect();
    events.push(LiveEvent::Tipped(tip));
    events
}

/// [`tipped`], as an event.
pub fn tip(
    tip_id: u64,
    viewer: AccountId,
    performer: AccountId,
    token: Option<AccountId>,
    gross: u128,
    at: u64,
) -> LiveEvent {
    LiveEvent::Tipped(tipped(tip_id, viewer, performer, token, gross, at))
}

/// `tip` as the store reads it back once stored at `(block, event_index)`.
pub fn tip_record(block: u32, event_index: u32, tip: &Tipped) -> TipRecord {
    TipRecord::new(block, event_index, tip.clone())
}

/// The event a stored tip was read from: the inverse of [`tip_record`].
pub fn tip_event(record: &TipRecord) -> Tipped {
    Tipped {
        viewer: record.viewer,
        performer: record.performer,
        tip_id: record.tip_id,
        token: record.token,
        gross: record.gross,
        platform_fee: record.platform_fee,
        treasury: record.treasury,
        burned: record.burned,
        splits: record.splits.clone(),
        net: record.net,
        memo: record.memo,
        at: record.at_ms,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_number_their_events_and_tips_round_trip() {
        let tip = tipped(1, VIEWERS[0], PERFORMERS[0], Some(LIVE_TOKEN), 40 * UNIT, 5);
        assert_eq!((tip.platform_fee, tip.burned), (UNIT, 40 * UNIT / 100));
        assert_eq!(tip.net, 40 * UNIT - UNIT - 40 * UNIT / 100);
        let native = tipped(2, VIEWERS[1], PERFORMERS[1], None, 400, 5);
        assert_eq!(
            (native.platform_fee, native.burned, native.net),
            (10, 0, 390)
        );

        let block = live_block(3, vec![LiveEvent::Tipped(tip.clone()), tip_of(&native)]);
        assert_eq!(block.hash, block_hash(3));
        let indexes: Vec<_> = block.events.iter().map(|e| e.event_index).collect();
        assert_eq!(indexes, [0, 1]);
        let decoded = crate::decode::decode(&block.events[0].topics, &block.events[0].data);
        assert_eq!(decoded, Ok(LiveEvent::Tipped(tip.clone())));
        assert_eq!(tip_event(&tip_record(3, 0, &tip)), tip);
    }

    fn tip_of(tip: &Tipped) -> LiveEvent {
        LiveEvent::Tipped(tip.clone())
    }
}
