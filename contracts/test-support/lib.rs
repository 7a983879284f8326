//! Helpers shared by the contracts' off-chain unit tests (`#[ink::test]`), so each
//! test reads as the behaviour it checks.

use ink::env::test::{self, DefaultAccounts, EmittedEvent};
use ink::env::DefaultEnvironment;
use ink::primitives::AccountId;
use ink::scale::Encode;

/// The off-chain environment's named accounts (Alice, Bob, ...).
pub fn accounts() -> DefaultAccounts<DefaultEnvironment> {
    test::default_accounts::<DefaultEnvironment>()
}

/// Makes `caller` the caller of the next messages.
pub fn set_caller(caller: AccountId) {
    test::set_caller::<DefaultEnvironment>(caller);
}

/// Every event emitted so far, oldest first.
pub fn events() -> Vec<EmittedEvent> {
    test::recorded_events().collect()
}

/// Asserts that `event` carries exactly `expected` (compared in its SCALE encoding).
pub fn assert_event(event: &EmittedEvent, expected: impl Encode) {
    assert_eq!(event.data, expected.encode());
}
