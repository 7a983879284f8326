//! The PSP22 token: supply, cap, transfers, allowances, mint, burn, the owner.

use super::*;

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
    assert!(!token.token.allowances.contains((alice, bob)));
    token.transfer(bob, INITIAL, Vec::new()).unwrap();
    assert!(!token.token.balances.contains(alice));
    assert!(token.token.balances.contains(bob));
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
fn only_the_owner_mints_after_the_delay_and_never_past_the_cap() {
    let mut token = token();
    let DefaultAccounts { alice, bob, .. } = accounts();
    set_time(1_000);
    set_caller(bob);
    assert_eq!(token.announce_mint(bob, 1), Err(Error::NotOwner));
    set_caller(alice);
    assert_eq!(
        token.announce_mint(bob, CAP - INITIAL + 1),
        Err(Error::CapExceeded)
    );
    assert_eq!(token.announce_mint(bob, u128::MAX), Err(Error::CapExceeded));
    for sink in [contract(), AccountId::from([0; 32])] {
        assert_eq!(token.announce_mint(sink, 1), Err(Error::InvalidRecipient));
    }
    assert_eq!(token.release_mint(), Err(Error::NoMintAnnounced));
    assert_eq!(token.announce_mint(bob, CAP - INITIAL), Ok(()));
    let due = 1_000 + CHANGE_DELAY_MS;
    assert_event(
        &events()[NEW_EVENTS],
        MintAnnounced {
            to: bob,
            value: CAP - INITIAL,
            effective_at: due,
        },
    );
    assert_eq!(
        token.pending_mint(),
        Some(PendingMint {
            to: bob,
            value: CAP - INITIAL,
            effective_at: due,
        })
    );
    set_time(due - 1);
    assert_eq!(token.release_mint(), Err(Error::MintNotDue));
    assert_eq!(token.total_supply(), INITIAL);
    // Anyone releases a due mint.
    set_time(due);
    set_caller(bob);
    assert_eq!(token.release_mint(), Ok(()));
    assert_eq!(token.total_supply(), CAP);
    assert_eq!(token.minted(), CAP);
    assert_eq!(token.pending_mint(), None);
    assert_event(
        events().last().unwrap(),
        Transfer {
            from: None,
            to: Some(bob),
            value: CAP - INITIAL,
        },
    );
    assert_eq!(token.release_mint(), Err(Error::NoMintAnnounced));
}

#[ink::test]
fn burned_live_is_never_minted_again() {
    let mut token = token();
    let DefaultAccounts { alice, bob, .. } = accounts();
    set_caller(alice);
    assert_eq!(token.announce_mint(bob, CAP - INITIAL), Ok(()));
    // Withdrawn before it is due: nothing is minted, the room stays.
    assert_eq!(token.announce_mint(bob, 0), Ok(()));
    assert_eq!(token.pending_mint(), None);
    // A burn lowers the supply, not what was minted: the cap's room is unchanged.
    assert_eq!(token.burn(400), Ok(()));
    assert_eq!(token.total_supply(), INITIAL - 400);
    assert_eq!(token.minted(), INITIAL);
    assert_eq!(
        token.announce_mint(alice, CAP - INITIAL + 400),
        Err(Error::CapExceeded)
    );
    assert_eq!(token.announce_mint(alice, CAP - INITIAL), Ok(()));
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
    assert_eq!(token.announce_mint(alice, 1), Err(Error::NotOwner));
}
