//! Off-chain unit tests of the LIVE contract (`#[ink::test]`): the token, the
//! settlement and the rating, each rule and each refusal.

use crate::live_token::*;
use ink::env::test::{self, DefaultAccounts};
use ink::env::DefaultEnvironment;
use ink::primitives::AccountId;
use ownable::{Ownable2Step, OwnableError};
use psp22_traits::{PSP22Burnable, PSP22Error, PSP22Metadata, PSP22};
use rating_formula::{params::MAX_BURN_BPS, CHANGE_DELAY_MS};
use rating_formula::{Params, ParamsError};
use settlement::MAX_PLATFORM_FEE_BPS;
use test_support::{accounts, assert_event, events, set_caller};

const LIVE: u128 = 1_000_000_000_000;
const CAP: u128 = 1_000_000_000 * LIVE;
const INITIAL: u128 = 1_000_000 * LIVE;
const FEE_BPS: u16 = 250;
/// Events the constructor emits: the fee, the parameters, the mint.
const NEW_EVENTS: usize = 3;

fn set_time(ms: u64) {
    test::set_block_timestamp::<DefaultEnvironment>(ms);
}

/// Alice instantiates (owner, minter) with `INITIAL` of `CAP` minted to her; Frank
/// is the treasury.
fn token() -> LiveToken {
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

// ---- the token ----

#[ink::test]
fn new_mints_the_initial_supply_and_announces_fee_and_params() {
    set_time(5);
    let token = token();
    let DefaultAccounts { alice, frank, .. } = accounts();
    assert_eq!(token.total_supply(), INITIAL);
    assert_eq!(token.balance_of(alice), INITIAL);
    assert_eq!(token.cap(), CAP);
    assert_eq!(token.owner(), alice);
    assert_eq!(
        token.params(),
        VersionedParams {
            version: 1,
            params: Params::LAUNCH
        }
    );
    assert_eq!(
        token.platform_fee(),
        PlatformFee {
            fee_bps: FEE_BPS,
            treasury: frank
        }
    );
    let events = events();
    assert_eq!(events.len(), NEW_EVENTS);
    assert_event(
        &events[0],
        PlatformFeeAnnounced {
            treasury: frank,
            fee_bps: FEE_BPS,
            effective_at: 5,
        },
    );
    assert_event(
        &events[1],
        ParamsAnnounced {
            version: 1,
            params: Params::LAUNCH,
            effective_at: 5,
        },
    );
    assert_event(
        &events[2],
        Transfer {
            from: None,
            to: Some(alice),
            value: INITIAL,
        },
    );
}

#[ink::test]
fn new_refuses_what_it_cannot_honour() {
    let frank = accounts().frank;
    assert_eq!(
        LiveToken::new(10, 11, frank, 0, Params::LAUNCH).err(),
        Some(Error::CapExceeded)
    );
    assert_eq!(
        LiveToken::new(rating_formula::MAX_COUNTED + 1, 0, frank, 0, Params::LAUNCH).err(),
        Some(Error::CapTooLarge)
    );
    assert_eq!(
        LiveToken::new(CAP, 0, frank, 501, Params::LAUNCH).err(),
        Some(Error::FeeAboveCap)
    );
    assert_eq!(
        LiveToken::new(CAP, 0, AccountId::from([0; 32]), 0, Params::LAUNCH).err(),
        Some(Error::InvalidRecipient)
    );
    let bad = Params {
        prior_weight: 0,
        ..Params::LAUNCH
    };
    assert_eq!(
        LiveToken::new(CAP, 0, frank, 0, bad).err(),
        Some(Error::InvalidParams(ParamsError::PriorWeightOutOfRange))
    );
    assert!(events().is_empty());
}

#[ink::test]
fn metadata_names_the_token() {
    let token = token();
    assert_eq!(token.token_symbol().as_deref(), Some("LIVE"));
    assert_eq!(token.token_name().as_deref(), Some("livestars LIVE"));
    assert_eq!(token.token_decimals(), 12);
}

#[ink::test]
fn transfer_moves_tokens_and_emits_transfer() {
    let mut token = token();
    let DefaultAccounts { alice, bob, .. } = accounts();
    assert_eq!(token.transfer(bob, 400, Vec::new()), Ok(()));
    assert_eq!(token.balance_of(alice), INITIAL - 400);
    assert_eq!(token.balance_of(bob), 400);
    assert_eq!(token.total_supply(), INITIAL);
    assert_event(
        &events()[NEW_EVENTS],
        Transfer {
            from: Some(alice),
            to: Some(bob),
            value: 400,
        },
    );
}

#[ink::test]
fn transfer_to_self_zero_value_or_beyond_balance_changes_nothing() {
    let mut token = token();
    let DefaultAccounts { alice, bob, .. } = accounts();
    assert_eq!(token.transfer(alice, 10, Vec::new()), Ok(()));
    assert_eq!(token.transfer(bob, 0, Vec::new()), Ok(()));
    assert_eq!(
        token.transfer(bob, INITIAL + 1, Vec::new()),
        Err(PSP22Error::InsufficientBalance)
    );
    assert_eq!(token.balance_of(alice), INITIAL);
    assert_eq!(events().len(), NEW_EVENTS);
}

#[ink::test]
fn emptied_balances_and_allowances_leave_storage() {
    let mut token = token();
    let DefaultAccounts { alice, bob, .. } = accounts();
    token.approve(bob, 300).unwrap();
    assert_event(
        &events()[NEW_EVENTS],
        Approval {
            owner: alice,
            spender: bob,
            amount: 300,
        },
    );
    token.approve(bob, 0).unwrap();
    assert!(!token.allowances.contains((alice, bob)));
    token.transfer(bob, INITIAL, Vec::new()).unwrap();
    assert!(!token.balances.contains(alice));
    assert!(token.balances.contains(bob));
}

#[ink::test]
fn transfer_from_checks_the_allowance_before_the_balance_and_spends_it() {
    let mut token = token();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        ..
    } = accounts();
    token.approve(bob, 10).unwrap();
    set_caller(bob);
    assert_eq!(
        token.transfer_from(alice, charlie, INITIAL + 1, Vec::new()),
        Err(PSP22Error::InsufficientAllowance)
    );
    set_caller(alice);
    token.approve(bob, INITIAL + 1).unwrap();
    set_caller(bob);
    assert_eq!(
        token.transfer_from(alice, charlie, INITIAL + 1, Vec::new()),
        Err(PSP22Error::InsufficientBalance)
    );
    assert_eq!(token.transfer_from(alice, charlie, 200, Vec::new()), Ok(()));
    assert_eq!(token.allowance(alice, bob), INITIAL + 1 - 200);
    assert_eq!(token.balance_of(charlie), 200);
    // self-transfers and zero values are silent no-ops, as the standard says
    let before = events().len();
    assert_eq!(token.transfer_from(alice, alice, 5, Vec::new()), Ok(()));
    assert_eq!(token.transfer_from(alice, bob, 0, Vec::new()), Ok(()));
    assert_eq!(events().len(), before);
}

#[ink::test]
fn allowance_can_be_raised_and_lowered_but_not_below_zero() {
    let mut token = token();
    let DefaultAccounts { alice, bob, .. } = accounts();
    assert_eq!(token.increase_allowance(bob, 50), Ok(()));
    assert_eq!(token.decrease_allowance(bob, 45), Ok(()));
    assert_eq!(token.allowance(alice, bob), 5);
    assert_eq!(
        token.decrease_allowance(bob, 6),
        Err(PSP22Error::InsufficientAllowance)
    );
    assert_eq!(token.increase_allowance(bob, u128::MAX), Ok(()));
    assert_eq!(token.allowance(alice, bob), u128::MAX);
}

#[ink::test]
fn only_the_owner_mints_and_never_past_the_cap() {
    let mut token = token();
    let DefaultAccounts { alice, bob, .. } = accounts();
    set_caller(bob);
    assert_eq!(token.mint(bob, 1), Err(Error::NotOwner));
    set_caller(alice);
    assert_eq!(token.mint(bob, CAP - INITIAL + 1), Err(Error::CapExceeded));
    assert_eq!(token.mint(bob, u128::MAX), Err(Error::CapExceeded));
    assert_eq!(token.mint(bob, CAP - INITIAL), Ok(()));
    assert_eq!(token.total_supply(), CAP);
    assert_event(
        &events()[NEW_EVENTS],
        Transfer {
            from: None,
            to: Some(bob),
            value: CAP - INITIAL,
        },
    );
}

#[ink::test]
fn holders_burn_their_own_tokens() {
    let mut token = token();
    let alice = accounts().alice;
    assert_eq!(
        token.burn(INITIAL + 1),
        Err(PSP22Error::InsufficientBalance)
    );
    assert_eq!(token.burn(400), Ok(()));
    assert_eq!(token.total_supply(), INITIAL - 400);
    assert_event(
        &events()[NEW_EVENTS],
        Transfer {
            from: Some(alice),
            to: None,
            value: 400,
        },
    );
}

#[ink::test]
fn the_owner_role_moves_in_two_steps() {
    let mut token = token();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        ..
    } = accounts();
    set_caller(bob);
    assert_eq!(
        token.transfer_ownership(Some(bob)),
        Err(OwnableError::NotOwner)
    );
    set_caller(alice);
    assert_eq!(token.transfer_ownership(Some(bob)), Ok(()));
    set_caller(charlie);
    assert_eq!(token.accept_ownership(), Err(OwnableError::NotPendingOwner));
    set_caller(bob);
    assert_eq!(token.accept_ownership(), Ok(()));
    assert_eq!(token.owner(), bob);
    assert_event(
        &events()[NEW_EVENTS + 1],
        ownable::OwnershipTransferred {
            previous: alice,
            owner: bob,
        },
    );
    set_caller(alice);
    assert_eq!(token.mint(alice, 1), Err(Error::NotOwner));
}

// ---- tips ----

#[ink::test]
fn a_tip_moves_every_share_from_the_viewer_and_burns_the_stake() {
    let mut token = livestars();
    let DefaultAccounts {
        bob,
        charlie,
        django,
        frank,
        ..
    } = accounts();
    set_caller(bob);
    token
        .set_splits(vec![Split {
            recipient: charlie,
            bps: 1_000,
        }])
        .unwrap();
    set_time(7_200_000);
    let (supply, before) = (token.total_supply(), events().len());
    assert_eq!(tip_as(&mut token, django, bob, 100 * LIVE), Ok(0));
    // 2.5% fee, 1% burned, 10% split, the rest to Bob
    let (fee, burned, split, net) = (2_500_000_000_000, LIVE, 10 * LIVE, 86_500_000_000_000);
    assert_eq!(token.balance_of(django), 9_900 * LIVE);
    assert_eq!(token.balance_of(frank), fee);
    assert_eq!(token.balance_of(charlie), split);
    assert_eq!(token.balance_of(bob), net);
    assert_eq!(token.total_supply(), supply - burned);
    let events = events();
    assert_eq!(events.len(), before + 5);
    assert_event(
        &events[before],
        Transfer {
            from: Some(django),
            to: Some(frank),
            value: fee,
        },
    );
    assert_event(
        &events[before + 3],
        Transfer {
            from: Some(django),
            to: None,
            value: burned,
        },
    );
    assert_event(
        &events[before + 4],
        Tipped {
            viewer: django,
            performer: bob,
            tip_id: 0,
            token: Some(test::callee::<DefaultEnvironment>()),
            gross: 100 * LIVE,
            platform_fee: fee,
            treasury: frank,
            burned,
            splits: vec![(charlie, split)],
            net,
            memo: None,
            at: 7_200_000,
        },
    );
    // the burned stake is what the rating counts (rounded down by one base unit
    // here, within the error bound of docs/RATING.md)
    assert_eq!(token.rating_of(bob).support, burned - 1);
    assert_eq!(token.tip_count(), 1);
}

#[ink::test]
fn phantom_tips_are_refused() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        django,
        eve,
        frank,
        ..
    } = accounts();
    // A share of the tip back to the viewer: before, a self-transfer that moved
    // nothing was counted in full. Now the tip is refused.
    set_caller(bob);
    token
        .set_splits(vec![Split {
            recipient: django,
            bps: 9_000,
        }])
        .unwrap();
    let before = (
        events().len(),
        token.balance_of(django),
        token.total_supply(),
    );
    assert_eq!(
        tip_as(&mut token, django, bob, 1_000 * LIVE),
        Err(Error::SelfTransfer)
    );
    // the treasury tipping would pay its own fee
    set_caller(alice);
    token.transfer(frank, 100 * LIVE, Vec::new()).unwrap();
    assert_eq!(
        tip_as(&mut token, frank, bob, 10 * LIVE),
        Err(Error::SelfTransfer)
    );
    // a tip beyond the balance moves nothing, whatever the division
    set_caller(bob);
    token.set_splits(Vec::new()).unwrap();
    assert_eq!(
        tip_as(&mut token, eve, bob, 1_000 * LIVE),
        Err(Error::InsufficientBalance)
    );
    assert_eq!(
        tip_as(&mut token, django, bob, 10_000 * LIVE + 1),
        Err(Error::InsufficientBalance)
    );
    assert_eq!(
        (token.balance_of(django), token.total_supply()),
        (before.1, before.2)
    );
    assert_eq!(token.rating_of(bob).support, 0);
    // recipients that lock funds or move nothing are refused when the split is set
    set_caller(bob);
    for recipient in [
        bob,
        test::callee::<DefaultEnvironment>(),
        AccountId::from([0; 32]),
    ] {
        assert_eq!(
            token.set_splits(vec![Split {
                recipient,
                bps: 100
            }]),
            Err(Error::InvalidRecipient)
        );
    }
    set_caller(alice);
    assert_eq!(
        token.announce_platform_fee(test::callee::<DefaultEnvironment>(), 100),
        Err(Error::InvalidRecipient)
    );
}

#[ink::test]
fn tips_are_checked_before_anything_moves() {
    let mut token = livestars();
    let DefaultAccounts {
        bob,
        charlie,
        django,
        eve,
        ..
    } = accounts();
    assert_eq!(tip_as(&mut token, django, bob, 0), Err(Error::ZeroAmount));
    assert_eq!(tip_as(&mut token, django, bob, 99), Err(Error::TipTooSmall));
    assert_eq!(tip_as(&mut token, bob, bob, LIVE), Err(Error::SelfTip));
    assert_eq!(
        tip_as(&mut token, django, eve, LIVE),
        Err(Error::NotRegistered)
    );
    // Charlie accepts 3% in all: 2.5% fee + 1% stake is more
    set_caller(charlie);
    token.register([2; 32], 300).unwrap();
    set_caller(accounts().alice);
    token.set_adult_attestation(charlie, true).unwrap();
    assert_eq!(
        tip_as(&mut token, django, charlie, LIVE),
        Err(Error::FeeNotAccepted)
    );
    assert_eq!(token.quote(charlie, LIVE), Err(Error::FeeNotAccepted));
    set_caller(charlie);
    token.set_max_fee(350).unwrap();
    assert_eq!(tip_as(&mut token, django, charlie, 100), Ok(0));
    assert_eq!(token.balance_of(charlie), 97);
}

#[ink::test]
fn only_attested_performers_receive_tips() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        charlie,
        django,
        eve,
        ..
    } = accounts();
    set_caller(charlie);
    token.register([2; 32], 500).unwrap();
    assert_eq!(
        tip_as(&mut token, django, charlie, LIVE),
        Err(Error::NotAttested)
    );
    set_caller(eve);
    assert_eq!(
        token.set_adult_attestation(charlie, true),
        Err(Error::NotVerifier)
    );
    set_caller(alice);
    token.set_verifier(eve, true).unwrap();
    token.set_adult_attestation(charlie, true).unwrap();
    assert!(token.is_adult_attested(charlie));
    // another listed verifier can neither overwrite nor withdraw it
    set_caller(eve);
    assert_eq!(
        token.set_adult_attestation(charlie, false),
        Err(Error::AttestedByAnother)
    );
    assert_eq!(tip_as(&mut token, django, charlie, LIVE), Ok(0));
    // delisting voids the attestation, and listing again does not revive it
    set_caller(alice);
    token.set_verifier(alice, false).unwrap();
    assert!(!token.is_adult_attested(charlie));
    assert_eq!(
        tip_as(&mut token, django, charlie, LIVE),
        Err(Error::NotAttested)
    );
    set_caller(alice);
    token.set_verifier(alice, true).unwrap();
    assert!(!token.is_adult_attested(charlie));
    // a void attestation may be replaced by a listed verifier
    set_caller(eve);
    assert_eq!(token.set_adult_attestation(charlie, true), Ok(()));
    assert_event(
        events().last().unwrap(),
        AdultAttestationChanged {
            performer: charlie,
            verifier: eve,
            adult: true,
        },
    );
    assert!(token.is_adult_attested(charlie));
}

#[ink::test]
fn native_tips_divide_alike_and_count_no_stake() {
    let mut token = livestars();
    let DefaultAccounts {
        bob, django, frank, ..
    } = accounts();
    let contract = test::callee::<DefaultEnvironment>();
    let balance =
        |account| test::get_account_balance::<DefaultEnvironment>(account).unwrap_or_default();
    let (bob_before, frank_before) = (balance(bob), balance(frank));
    test::set_account_balance::<DefaultEnvironment>(contract, balance(contract) + 10_000);
    test::set_value_transferred::<DefaultEnvironment>(10_000);
    set_caller(django);
    assert_eq!(token.tip_native(bob, Some([9; 32])), Ok(0));
    assert_eq!(balance(frank) - frank_before, 250);
    assert_eq!(balance(bob) - bob_before, 9_750);
    assert_eq!(token.rating_of(bob).support, 0);
    assert_eq!(token.supporter(bob, django), None);
}

// ---- time-locked owner powers ----

#[ink::test]
fn fee_and_params_changes_apply_only_after_the_delay() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        ..
    } = accounts();
    set_caller(bob);
    assert_eq!(token.announce_platform_fee(bob, 100), Err(Error::NotOwner));
    assert_eq!(token.announce_params(Params::LAUNCH), Err(Error::NotOwner));
    set_caller(alice);
    assert_eq!(
        token.announce_platform_fee(charlie, 501),
        Err(Error::FeeAboveCap)
    );
    let bad = Params {
        burn_bps: MAX_BURN_BPS + 1,
        ..Params::LAUNCH
    };
    assert_eq!(
        token.announce_params(bad),
        Err(Error::InvalidParams(ParamsError::BurnOutOfRange))
    );
    set_time(1_000);
    let cheaper = Params {
        burn_bps: 50,
        star_weight_bps: 2_000,
        ..Params::LAUNCH
    };
    assert_eq!(token.announce_platform_fee(charlie, 0), Ok(()));
    assert_eq!(token.announce_params(cheaper), Ok(()));
    let effective_at = 1_000 + CHANGE_DELAY_MS;
    let events = events();
    assert_event(
        &events[events.len() - 2],
        PlatformFeeAnnounced {
            treasury: charlie,
            fee_bps: 0,
            effective_at,
        },
    );
    assert_event(
        &events[events.len() - 1],
        ParamsAnnounced {
            version: 2,
            params: cheaper,
            effective_at,
        },
    );
    // too early: the old fee, treasury and stake apply
    set_time(effective_at - 1);
    assert_eq!(token.params().version, 1);
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    assert_eq!(token.balance_of(accounts().frank), 2_500_000_000_000);
    let support = token.rating_of(bob).support;
    assert_eq!(support, LIVE - 1, "1 LIVE burned, rounded down by a unit");
    // from the announced instant on, the new ones, and accrued stake is untouched
    set_time(effective_at);
    assert_eq!(
        token.params(),
        VersionedParams {
            version: 2,
            params: cheaper
        }
    );
    assert_eq!(token.rating_of(bob).support, support);
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    assert_eq!(token.balance_of(charlie), 0, "the new fee is 0");
    assert_eq!(token.total_supply(), INITIAL - LIVE - LIVE / 2);
}

// ---- the rating ----

#[ink::test]
fn stars_weigh_as_much_as_the_voters_stake() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        ..
    } = accounts();
    set_caller(charlie);
    assert_eq!(token.rate(bob, 5), Err(Error::NotASupporter));
    set_caller(alice);
    token.transfer(charlie, 10_000 * LIVE, Vec::new()).unwrap();
    // Django stakes 9x what Charlie stakes
    tip_as(&mut token, django, bob, 900 * LIVE).unwrap();
    tip_as(&mut token, charlie, bob, 100 * LIVE).unwrap();
    set_caller(django);
    assert_eq!(token.rate(bob, 0), Err(Error::InvalidStars));
    assert_eq!(token.rate(bob, 2), Ok(()));
    set_caller(charlie);
    assert_eq!(token.rate(bob, 5), Ok(()));
    assert_eq!(token.rate(bob, 4), Ok(()));
    assert_event(
        events().last().unwrap(),
        Rated {
            performer: bob,
            viewer: charlie,
            stars: 4,
            previous: Some(5),
            at: 0,
        },
    );
    let before = events().len();
    assert_eq!(token.rate(bob, 4), Ok(()), "the same vote again");
    assert_eq!(events().len(), before);
    // (1 LIVE prior * 3000 + 9 LIVE * 2000 + 1 LIVE * 4000) / 11 LIVE
    let rating = token.rating_of(bob);
    assert_eq!(rating.stars_milli, (3_000 + 9 * 2_000 + 4_000) / 11);
    assert_eq!((rating.voters, rating.vote_weight), (2, 10 * LIVE));
}

#[ink::test]
fn removing_a_supporter_takes_out_exactly_their_stake_and_frees_storage() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        ..
    } = accounts();
    set_caller(alice);
    token.transfer(charlie, 1_000 * LIVE, Vec::new()).unwrap();
    tip_as(&mut token, charlie, bob, 100 * LIVE).unwrap();
    let alone = token.rating_of(bob);
    tip_as(&mut token, django, bob, 300 * LIVE).unwrap();
    set_caller(django);
    token.rate(bob, 1).unwrap();
    assert_eq!(token.remove_supporter(bob), Ok(()));
    assert_eq!(token.supporter(bob, django), None);
    assert!(!token.supporters.contains((bob, django)));
    assert_eq!(token.rating_of(bob), alone);
    assert_event(
        events().last().unwrap(),
        SupporterRemoved {
            performer: bob,
            viewer: django,
            stake: 3 * LIVE,
            stars: Some(1),
            at: 0,
        },
    );
    assert_eq!(token.remove_supporter(bob), Err(Error::NotASupporter));
}

#[ink::test]
fn erasing_keeps_the_score_so_reviews_cannot_be_laundered() {
    let mut token = livestars();
    let DefaultAccounts {
        alice, bob, django, ..
    } = accounts();
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    set_caller(django);
    token.rate(bob, 1).unwrap();
    let rated = token.rating_of(bob);
    assert!(rated.stars_milli < 3_000);
    set_caller(bob);
    assert_eq!(token.erase(), Ok(()));
    assert_eq!(token.performer(bob), None);
    assert_eq!(
        tip_as(&mut token, django, bob, LIVE),
        Err(Error::NotRegistered)
    );
    // back on the same account: the same score, not the newcomer's prior
    set_caller(bob);
    token.register([3; 32], 500).unwrap();
    assert_eq!(token.rating_of(bob), rated);
    // and a new attestation is needed
    assert_eq!(
        tip_as(&mut token, django, bob, LIVE),
        Err(Error::NotAttested)
    );
    set_caller(alice);
    token.set_adult_attestation(bob, true).unwrap();
    assert_eq!(tip_as(&mut token, django, bob, LIVE), Ok(1));
}

#[ink::test]
fn only_a_spent_score_of_an_unregistered_performer_is_pruned() {
    let mut token = livestars();
    let DefaultAccounts {
        bob,
        charlie,
        django,
        ..
    } = accounts();
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    set_caller(charlie);
    assert_eq!(token.prune_score(bob), Err(Error::ScoreInUse));
    set_caller(bob);
    token.erase().unwrap();
    set_caller(charlie);
    assert_eq!(
        token.prune_score(bob),
        Err(Error::ScoreInUse),
        "still counts"
    );
    // 130 half-lives later nothing is left of 1 LIVE of stake
    set_time(130 * 512 * 3_600_000);
    assert_eq!(token.prune_score(bob), Ok(()));
    assert_eq!(token.score_of(bob), None);
    assert_event(events().last().unwrap(), ScorePruned { performer: bob });
    assert_eq!(token.prune_score(bob), Err(Error::ScoreInUse));
}

#[ink::test]
fn the_fee_cap_agrees_with_the_stake_cap() {
    assert_eq!(settlement::MAX_FEE_BPS, MAX_PLATFORM_FEE_BPS + MAX_BURN_BPS);
}
