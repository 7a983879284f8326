//! The hard-coded event signature topics and message selectors (the indexer's
//! audit, the API's relayer) are the ones in the built LIVE contract's metadata
//! (`scripts/build-contracts`).

use livestars_indexer::decode::LiveEvent;
use livestars_indexer::source::RATING_OF;
use std::collections::BTreeMap;

fn metadata() -> serde_json::Value {
    let path = livestars_tests::artifacts().join("live_token.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}; run scripts/build-contracts", path.display()));
    serde_json::from_str(&text).expect("metadata JSON")
}

#[test]
fn event_topics_match_the_metadata() {
    let from_metadata: BTreeMap<String, String> = metadata()["spec"]["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|event| {
            (
                event["label"].as_str().unwrap().to_owned(),
                event["signature_topic"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let ours: BTreeMap<String, String> = LiveEvent::ALL
        .iter()
        .map(|(name, topic)| (name.to_string(), format!("0x{}", hex::encode(topic))))
        .collect();
    assert_eq!(ours, from_metadata);
}

fn selector(label: &str) -> String {
    let metadata = metadata();
    let message = metadata["spec"]["messages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["label"] == label)
        .unwrap_or_else(|| panic!("{label} in the metadata"));
    message["selector"].as_str().unwrap().to_owned()
}

#[test]
fn the_audit_calls_rating_of_by_its_selector() {
    assert_eq!(
        selector("rating_of"),
        format!("0x{}", hex::encode(RATING_OF))
    );
}

#[test]
fn the_relayer_and_the_desk_call_messages_by_their_selectors() {
    use livestars_desk::rotation::{
        BACK_VOUCHERS, CLOSE_VOUCHER_KEY, REGISTER_VOUCHER_KEY, VOUCHER_KEY, VOUCHER_KEY_COUNT,
    };
    let called = [
        ("redeem_voucher", livestars_api::relayer::REDEEM_VOUCHER),
        ("register_voucher_key", REGISTER_VOUCHER_KEY),
        ("back_vouchers", BACK_VOUCHERS),
        ("close_voucher_key", CLOSE_VOUCHER_KEY),
        ("voucher_key", VOUCHER_KEY),
        ("voucher_key_count", VOUCHER_KEY_COUNT),
    ];
    for (message, bytes) in called {
        assert_eq!(
            selector(message),
            format!("0x{}", hex::encode(bytes)),
            "{message}"
        );
    }
}
