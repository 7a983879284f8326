//! Off-chain unit tests of the LIVE contract (`#[ink::test]`): the token, the
//! settlement and the rating, each rule and each refusal. One module per concern
//! of the contract; the fixtures they share are here.

use crate::live_token::*;
use ink::env::test::{self, DefaultAccounts};
use ink::env::DefaultEnvironment;
use ink::primitives::AccountId;
use ownable::{Ownable2Step, OwnableError};
use psp22_traits::{PSP22Burnable, PSP22Error, PSP22Metadata, PSP22};
use rating_formula::{params::MAX_BURN_BPS, CHANGE_DELAY_MS};
use rating_formula::{Params, ParamsError};
use settlement::Split;
use settlement::MAX_PLATFORM_FEE_BPS;
use test_support::{accounts, assert_event, events, set_caller};

mod attestations;
mod params;
mod ratings;
mod shows;
mod tips;
mod token;
mod vouchers;

const LIVE: u128 = 1_000_000_000_000;
const CAP: u128 = 1_000_000_000 * LIVE;
const INITIAL: u128 = 1_000_000 * LIVE;
const FEE_BPS: u16 = 250;
/// Events the constructor emits: the fee, the parameters, the mint.
const NEW_EVENTS: usize = 3;

/// The contract's own account.
fn contract() -> AccountId {
    AccountId::from([0xcc; 32])
}

fn set_time(ms: u64) {
    test::set_block_timestamp::<DefaultEnvironment>(ms);
}

/// Alice instantiates (owner, minter) with `INITIAL` of `CAP` minted to her; Frank
/// is the treasury. The contract has an account of its own (the off-chain default,
/// Alice's, would mix the deposits it holds with her balance).
fn token() -> LiveToken {
    test::set_callee::<DefaultEnvironment>(contract());
    set_caller(accounts().alice);
    LiveToken::new(CAP, INITIAL, accounts().frank, FEE_BPS, Params::LAUNCH).expect("valid")
}

/// [`token`], plus: Alice is a listed verifier; Bob is a registered performer who
/// accepts up to 5% and whom Alice attested; Django holds 10 000 LIVE.
fn livestars() -> LiveToken {
    let mut token = token();
    let DefaultAccounts {
        alice, bob, django, ..
    } = accounts();
    token.set_verifier(alice, true).unwrap();
    set_caller(bob);
    token.register([1; 32], 500).unwrap();
    set_caller(alice);
    token.set_adult_attestation(bob, true).unwrap();
    token.transfer(django, 10_000 * LIVE, Vec::new()).unwrap();
    token
}

fn tip_as(
    token: &mut LiveToken,
    viewer: AccountId,
    performer: AccountId,
    amount: u128,
) -> Result<u64> {
    set_caller(viewer);
    token.tip(performer, amount, None)
}
