//! Tips: the division, what moves, what is refused before anything moves.

use super::*;

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
fn native_tips_divide_alike_and_count_no_stake() {
    let mut token = livestars();
    let DefaultAccounts {
        bob, django, frank, ..
    } = accounts();
    let contract = test::callee::<DefaultEnvironment>();
    let balance =
        |account| test::get_account_balance::<DefaultEnvironment>(account).unwrap_or_default();
    let (bob_before, frank_before) = (balance(bob), balance(frank));
    // The contract's account keeps the existential deposit once the tip moved on.
    let existential = 1_000_000;
    test::set_account_balance::<DefaultEnvironment>(
        contract,
        balance(contract).max(existential) + 10_000,
    );
    test::set_value_transferred::<DefaultEnvironment>(10_000);
    set_caller(django);
    assert_eq!(token.tip_native(bob, Some([9; 32])), Ok(0));
    assert_eq!(balance(frank) - frank_before, 250);
    assert_eq!(balance(bob) - bob_before, 9_750);
    assert_eq!(token.rating_of(bob).support, 0);
    assert_eq!(token.supporter(bob, django), None);
}

/// A quote is the tip without the money: for each caller and amount it answers
/// the division the tip settles or the refusal the tip meets.
#[ink::test]
fn a_quote_meets_every_refusal_a_tip_meets() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        eve,
        frank,
        ..
    } = accounts();
    set_caller(charlie);
    token.register([2; 32], 500).unwrap(); // registered, never attested
    set_caller(alice);
    token.transfer(frank, 10 * LIVE, Vec::new()).unwrap(); // the treasury
    for (viewer, performer, amount) in [
        (django, bob, 0),
        (django, bob, 99),
        (bob, bob, LIVE),
        (django, eve, LIVE),
        (django, charlie, LIVE),
        (frank, bob, LIVE),
        (django, bob, LIVE),
    ] {
        set_caller(viewer);
        let quoted = token.quote(performer, amount);
        let tipped = tip_as(&mut token, viewer, performer, amount);
        assert_eq!(
            quoted.map(|division| division.net > 0),
            tipped.map(|_| true),
            "{viewer:?} -> {performer:?}: {amount}"
        );
    }
}

/// A native tip burns nothing, so it needs the performer to accept the fee only.
#[ink::test]
fn a_native_tip_is_not_charged_a_stake_it_does_not_burn() {
    let mut token = livestars();
    let DefaultAccounts { bob, django, .. } = accounts();
    set_caller(bob);
    token.set_max_fee(FEE_BPS).unwrap(); // the fee, not the fee plus the stake
    assert_eq!(
        tip_as(&mut token, django, bob, LIVE),
        Err(Error::FeeNotAccepted)
    );
    let contract = test::callee::<DefaultEnvironment>();
    test::set_account_balance::<DefaultEnvironment>(contract, 1_000_000_000);
    test::set_value_transferred::<DefaultEnvironment>(10_000);
    set_caller(django);
    assert_eq!(token.tip_native(bob, None), Ok(0));
}
