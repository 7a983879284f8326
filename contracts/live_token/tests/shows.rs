//! Private shows: terms, opening, per-second pay, top-ups, the ends, and a
//! property test that no value is created or lost.

use super::*;

/// 60 LIVE a minute: 1 LIVE a second.
const PRICE: u128 = 60 * LIVE;
const OPENED: u64 = 1_000_000;

/// [`livestars`], plus: Bob offers shows at `PRICE` and sends 10% to Eve.
fn shows() -> LiveToken {
    let mut token = livestars();
    let DefaultAccounts { bob, eve, .. } = accounts();
    set_caller(bob);
    token
        .set_splits(vec![Split {
            recipient: eve,
            bps: 1_000,
        }])
        .unwrap();
    token.set_show_terms(PRICE, true).unwrap();
    token
}

/// Django opens a show with Bob at `OPENED` with `deposit`.
fn open(token: &mut LiveToken, deposit: u128) -> u64 {
    set_time(OPENED);
    set_caller(accounts().django);
    token
        .open_show(accounts().bob, deposit, PRICE)
        .expect("show opens")
}

/// The sum of every balance named in these tests and the contract's own.
fn balances(token: &LiveToken) -> u128 {
    let a = accounts();
    [
        a.alice,
        a.bob,
        a.charlie,
        a.django,
        a.eve,
        a.frank,
        contract(),
    ]
    .iter()
    .map(|who| token.balance_of(*who))
    .sum()
}

#[ink::test]
fn show_terms_are_set_paused_and_withdrawn_by_registered_performers() {
    let mut token = shows();
    let DefaultAccounts { bob, django, .. } = accounts();
    assert_eq!(
        token.show_terms(bob),
        Some(ShowTerms {
            price_per_minute: PRICE,
            available: true
        })
    );
    set_caller(django);
    assert_eq!(token.set_show_terms(PRICE, true), Err(Error::NotRegistered));
    set_caller(bob);
    assert_eq!(token.set_show_terms(0, true), Err(Error::ZeroAmount));
    token.set_show_terms(PRICE, false).unwrap();
    assert_event(
        events().last().unwrap(),
        ShowTermsChanged {
            performer: bob,
            price_per_minute: PRICE,
            available: false,
        },
    );
    set_caller(django);
    assert_eq!(
        token.open_show(bob, PRICE, PRICE),
        Err(Error::ShowsUnavailable),
        "paused"
    );
    set_caller(bob);
    token.set_show_terms(0, false).unwrap();
    assert_eq!(token.show_terms(bob), None, "withdrawn: storage removed");
    token.set_show_terms(PRICE, true).unwrap();
    token.erase().unwrap();
    assert_eq!(token.show_terms(bob), None, "erasure removes the terms");
}

#[ink::test]
fn opening_a_show_refuses_what_a_tip_refuses_and_more() {
    let mut token = shows();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        eve,
        frank,
        ..
    } = accounts();
    set_time(OPENED);
    set_caller(bob);
    assert_eq!(token.open_show(bob, PRICE, PRICE), Err(Error::SelfTip));
    set_caller(django);
    assert_eq!(
        token.open_show(charlie, PRICE, PRICE),
        Err(Error::NotRegistered)
    );
    assert_eq!(
        token.open_show(bob, PRICE - 1, PRICE),
        Err(Error::DepositBelowOneMinute)
    );
    assert_eq!(
        token.open_show(bob, show_meter::MAX_DEPOSIT + 1, PRICE),
        Err(Error::DepositTooLarge)
    );
    assert_eq!(
        token.open_show(bob, 10_001 * LIVE, PRICE),
        Err(Error::InsufficientBalance)
    );
    set_caller(alice);
    token.transfer(frank, 100 * LIVE, Vec::new()).unwrap();
    token.transfer(eve, 100 * LIVE, Vec::new()).unwrap();
    set_caller(frank);
    assert_eq!(token.open_show(bob, PRICE, PRICE), Err(Error::SelfTransfer));
    set_caller(eve);
    assert_eq!(token.open_show(bob, PRICE, PRICE), Err(Error::SelfTransfer));
    set_caller(alice);
    token.set_adult_attestation(bob, false).unwrap();
    set_caller(django);
    assert_eq!(token.open_show(bob, PRICE, PRICE), Err(Error::NotAttested));
    set_caller(alice);
    token.set_adult_attestation(bob, true).unwrap();
    let before = events().len();
    let id = open(&mut token, PRICE);
    assert_eq!(id, 0);
    assert_eq!(
        token.open_show(bob, PRICE, PRICE),
        Err(Error::ShowAlreadyOpen)
    );
    assert_eq!(token.open_show_between(django, bob), Some(id));
    assert_eq!(token.show_count(), 1);
    let events = events();
    assert_eq!(
        events.len(),
        before + 2,
        "the deposit's Transfer, ShowOpened"
    );
    assert_event(
        &events[before],
        Transfer {
            from: Some(django),
            to: Some(contract()),
            value: PRICE,
        },
    );
    assert_event(
        &events[before + 1],
        ShowOpened {
            viewer: django,
            performer: bob,
            show_id: id,
            price_per_minute: PRICE,
            deposit: PRICE,
            fee_bps: FEE_BPS,
            burn_bps: Params::LAUNCH.burn_bps,
            at: OPENED,
        },
    );
}

#[ink::test]
fn a_show_pays_the_performer_per_second_divided_like_a_tip_and_refunds_the_rest() {
    let mut token = shows();
    let DefaultAccounts {
        bob,
        django,
        eve,
        frank,
        ..
    } = accounts();
    let supply = token.total_supply();
    let start = |who| token.balance_of(who);
    let (bob0, django0, eve0, frank0) = (start(bob), start(django), start(eve), start(frank));
    let id = open(&mut token, 10 * PRICE);
    assert_eq!(token.balance_of(contract()), 10 * PRICE);

    // Claim 30.5 s in: 30 whole seconds, 30 LIVE, divided 2.5% / 1% / 10% / rest.
    set_time(OPENED + 30_500);
    set_caller(django);
    assert_eq!(token.claim_show(id), Err(Error::NotAParty));
    set_caller(bob);
    assert_eq!(token.claim_show(id), Ok(30 * LIVE));
    assert_event(
        events().last().unwrap(),
        ShowPaid {
            viewer: django,
            performer: bob,
            show_id: id,
            gross: 30 * LIVE,
            platform_fee: 30 * LIVE / 40,
            treasury: frank,
            burned: 30 * LIVE / 100,
            splits: vec![(eve, 3 * LIVE)],
            net: 30 * LIVE - 30 * LIVE / 40 - 30 * LIVE / 100 - 3 * LIVE,
            at: OPENED + 30_500,
        },
    );
    assert_eq!(
        token.claim_show(id),
        Ok(0),
        "nothing more in the same second"
    );

    // A price change and a pause apply to new shows only.
    token.set_show_terms(1_000 * PRICE, false).unwrap();

    // The viewer ends at 90.999 s: 90 s earned, 60 of them still due.
    set_time(OPENED + 90_999);
    set_caller(django);
    token.end_show(id).unwrap();
    assert_event(
        events().last().unwrap(),
        ShowEnded {
            viewer: django,
            performer: bob,
            show_id: id,
            ended_by: django,
            deposit: 10 * PRICE,
            paid: 90 * LIVE,
            refunded: 510 * LIVE,
            billed_seconds: 90,
            at: OPENED + 90_999,
        },
    );
    let earned = 90 * LIVE;
    assert_eq!(token.balance_of(django), django0 - earned);
    assert_eq!(token.balance_of(frank), frank0 + earned / 40);
    assert_eq!(token.balance_of(eve), eve0 + earned / 10);
    assert_eq!(
        token.balance_of(bob),
        bob0 + earned - earned / 40 - earned / 100 - earned / 10
    );
    assert_eq!(token.balance_of(contract()), 0, "nothing left held");
    assert_eq!(
        token.total_supply(),
        supply - earned / 100,
        "the stake burned"
    );
    assert_eq!(balances(&token), token.total_supply());

    // Storage is gone; a second end or claim finds nothing.
    assert_eq!(token.show(id), None);
    assert_eq!(token.open_show_between(django, bob), None);
    assert_eq!(token.end_show(id), Err(Error::NoSuchShow));
    set_caller(bob);
    assert_eq!(token.claim_show(id), Err(Error::NoSuchShow));
}

#[ink::test]
fn tokens_cannot_be_sent_to_the_contract_that_holds_the_deposits() {
    let mut token = shows();
    set_caller(accounts().django);
    assert!(matches!(
        token.transfer(contract(), LIVE, Vec::new()),
        Err(PSP22Error::Custom(_))
    ));
    set_caller(accounts().alice);
    token.approve(accounts().bob, LIVE).unwrap();
    set_caller(accounts().bob);
    assert!(matches!(
        token.transfer_from(accounts().alice, contract(), LIVE, Vec::new()),
        Err(PSP22Error::Custom(_))
    ));
    assert_eq!(token.balance_of(contract()), 0);
}

#[ink::test]
fn either_party_ends_alone_and_anyone_ends_a_spent_show() {
    let mut token = shows();
    let DefaultAccounts {
        bob,
        charlie,
        django,
        ..
    } = accounts();
    let django0 = token.balance_of(django);
    // The performer ends: the viewer is refunded without acting.
    let id = open(&mut token, 2 * PRICE);
    set_time(OPENED + 10_000);
    set_caller(charlie);
    assert_eq!(token.end_show(id), Err(Error::NotAParty), "still running");
    set_caller(bob);
    token.end_show(id).unwrap();
    assert_eq!(token.balance_of(django), django0 - 10 * LIVE);

    // The viewer vanishes: once the deposit is spent, anyone settles it.
    let id = open(&mut token, PRICE);
    set_time(OPENED + 59_999);
    set_caller(charlie);
    assert_eq!(token.end_show(id), Err(Error::NotAParty));
    set_time(OPENED + 3_600_000);
    token.end_show(id).unwrap();
    assert_eq!(token.balance_of(django), django0 - 10 * LIVE - PRICE);
    assert_eq!(token.balance_of(contract()), 0);
    assert_eq!(token.show(id), None);
}

#[ink::test]
fn a_viewer_is_never_billed_above_the_price_they_agreed_to() {
    let mut token = shows();
    let DefaultAccounts { bob, django, .. } = accounts();
    // Bob raises his price just before Django's request (at the old price) executes.
    set_caller(bob);
    token.set_show_terms(10 * PRICE, true).unwrap();
    set_caller(django);
    let before = token.balance_of(django);
    assert_eq!(
        token.open_show(bob, 10 * PRICE, PRICE),
        Err(Error::PriceAboveBound)
    );
    assert_eq!(token.balance_of(django), before);
    assert_eq!(token.open_show_between(django, bob), None);
    // At a bound of the new price (or above) the show opens at Bob's price.
    let id = token.open_show(bob, 10 * PRICE, 20 * PRICE).unwrap();
    assert_eq!(token.show(id).unwrap().meter.price_per_minute, 10 * PRICE);
    // A top-up names the price too: the show's, fixed when it opened.
    assert_eq!(
        token.top_up_show(id, 10 * PRICE, 10 * PRICE - 1),
        Err(Error::PriceAboveBound)
    );
    token.top_up_show(id, 10 * PRICE, 10 * PRICE).unwrap();
    assert_eq!(token.balance_of(contract()), 20 * PRICE);
}

#[ink::test]
fn top_ups_extend_a_running_show_only() {
    let mut token = shows();
    let DefaultAccounts { bob, django, .. } = accounts();
    let id = open(&mut token, PRICE);
    set_time(OPENED + 30_000);
    set_caller(bob);
    assert_eq!(token.top_up_show(id, PRICE, PRICE), Err(Error::NotAParty));
    set_caller(django);
    assert_eq!(
        token.top_up_show(id, PRICE - 1, PRICE),
        Err(Error::DepositBelowOneMinute)
    );
    token.top_up_show(id, PRICE, PRICE).unwrap();
    assert_event(
        events().last().unwrap(),
        ShowToppedUp {
            viewer: django,
            performer: bob,
            show_id: id,
            amount: PRICE,
            deposit: 2 * PRICE,
            at: OPENED + 30_000,
        },
    );
    assert_eq!(token.balance_of(contract()), 2 * PRICE);
    set_time(OPENED + 120_000);
    assert_eq!(token.top_up_show(id, PRICE, PRICE), Err(Error::ShowSpent));
    assert_eq!(token.top_up_show(7, PRICE, PRICE), Err(Error::NoSuchShow));
    token.end_show(id).unwrap();
    assert_eq!(token.balance_of(contract()), 0);
}

#[ink::test]
fn a_blocked_viewer_can_neither_open_nor_top_up_a_show_until_unblocked() {
    let mut token = shows();
    let DefaultAccounts {
        bob, django, frank, ..
    } = accounts();
    let id = open(&mut token, PRICE);
    // Only a registered performer blocks, and not themselves.
    set_caller(frank);
    assert_eq!(token.block_viewer(django), Err(Error::NotRegistered));
    set_caller(bob);
    assert_eq!(token.block_viewer(bob), Err(Error::SelfTip));
    token.block_viewer(django).unwrap();
    assert_event(
        events().last().unwrap(),
        ViewerBlockChanged {
            performer: bob,
            viewer: django,
            blocked: true,
        },
    );
    assert!(token.is_blocked(bob, django));
    assert!(!token.is_blocked(django, bob));
    // The open show runs on (either side may end it) but takes no more deposit.
    set_caller(django);
    assert_eq!(
        token.top_up_show(id, PRICE, PRICE),
        Err(Error::ViewerBlocked)
    );
    token.end_show(id).unwrap();
    let balance = token.balance_of(django);
    assert_eq!(
        token.open_show(bob, PRICE, PRICE),
        Err(Error::ViewerBlocked)
    );
    assert_eq!(token.balance_of(django), balance, "nothing moved");
    // Unblocking removes the entry; the viewer may open shows again.
    set_caller(bob);
    token.unblock_viewer(django).unwrap();
    assert!(!token.is_blocked(bob, django));
    assert_event(
        events().last().unwrap(),
        ViewerBlockChanged {
            performer: bob,
            viewer: django,
            blocked: false,
        },
    );
    open(&mut token, PRICE);
}

#[ink::test]
fn show_stake_counts_in_the_rating_exactly_like_a_tip_burning_the_same() {
    let mut token = shows();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        eve,
        ..
    } = accounts();
    // Charlie is a performer like Bob; Eve tips Charlie what burns as much.
    set_caller(charlie);
    token.register([2; 32], 500).unwrap();
    set_caller(alice);
    token.set_adult_attestation(charlie, true).unwrap();
    token.transfer(eve, 1_000 * LIVE, Vec::new()).unwrap();
    let id = open(&mut token, 10 * PRICE);
    set_time(OPENED + 45_000);
    set_caller(bob);
    token.claim_show(id).unwrap();
    tip_as(&mut token, eve, charlie, 45 * LIVE).unwrap();
    assert_eq!(
        token.supporter(bob, accounts().django).map(|c| c.stake),
        token.supporter(charlie, eve).map(|c| c.stake)
    );
    assert_eq!(token.rating_of(bob), token.rating_of(charlie));
}

#[ink::test]
fn a_performer_who_outgrows_the_fixed_fee_is_paid_without_splits_never_blocking_the_end() {
    let mut token = shows();
    let DefaultAccounts { bob, django, .. } = accounts();
    let django0 = token.balance_of(django);
    let id = open(&mut token, PRICE);
    // Bob lowers his cap to 0 and erases himself: the show still settles.
    set_caller(bob);
    token.set_splits(Vec::new()).unwrap();
    token.erase().unwrap();
    set_time(OPENED + 20_000);
    set_caller(django);
    token.end_show(id).unwrap();
    assert_eq!(token.balance_of(django), django0 - 20 * LIVE);
    assert_eq!(token.balance_of(contract()), 0);
}

/// One step of a random show.
#[derive(Debug, Clone)]
enum Step {
    Wait(u64),
    Claim,
    TopUp(u128),
    End(u8),
}

fn step() -> impl proptest::strategy::Strategy<Value = Step> {
    use proptest::prelude::*;
    prop_oneof![
        (0u64..90_000).prop_map(Step::Wait),
        Just(Step::Claim),
        (0u128..3 * PRICE).prop_map(Step::TopUp),
        (0u8..3).prop_map(Step::End),
    ]
}

proptest::proptest! {
    /// Over random claims, top-ups, waits and ends: the contract holds exactly the
    /// deposit not yet paid or refunded, no value is created or lost (the supply
    /// only falls by the stake burned), and an ended show left nothing behind.
    #[test]
    fn a_show_never_creates_or_loses_value(
        deposit in PRICE..20 * PRICE,
        steps in proptest::collection::vec(step(), 1..12),
    ) {
        test::run_test::<DefaultEnvironment, _>(|_| {
            let mut token = shows();
            let DefaultAccounts { bob, charlie, django, .. } = accounts();
            let supply = token.total_supply();
            let id = open(&mut token, deposit);
            let mut now = OPENED;
            let (mut put_in, mut ended) = (deposit, false);
            for step in steps {
                set_time(now);
                match step {
                    Step::Wait(ms) => now += ms,
                    Step::Claim => {
                        set_caller(bob);
                        let claimed = token.claim_show(id);
                        assert_eq!(claimed.is_err(), ended);
                    }
                    Step::TopUp(amount) => {
                        set_caller(django);
                        if token.top_up_show(id, amount, PRICE).is_ok() {
                            put_in += amount;
                        }
                    }
                    Step::End(who) => {
                        set_caller([django, bob, charlie][usize::from(who)]);
                        ended |= token.end_show(id).is_ok();
                    }
                }
                let held = token.show(id).map_or(0, |show| {
                    let meter = show.meter;
                    assert_eq!(meter.deposit, put_in);
                    assert!(meter.paid <= meter.earned(now));
                    meter.held()
                });
                assert_eq!(token.balance_of(contract()), held);
                assert_eq!(balances(&token), token.total_supply());
                assert!(token.total_supply() <= supply);
                assert_eq!(token.show(id).is_none(), ended);
            }
            if ended {
                // Django paid what the show earned; the burn is the stake's share of it.
                let earned = 10_000 * LIVE - token.balance_of(django);
                assert!(earned <= put_in);
                assert!(supply - token.total_supply() <= earned / 100);
            }
            Ok(())
        })
        .unwrap();
    }
}

/// De-listing a verifier voids its attestations at once for every new tip and
/// show, until another listed verifier attests; a show opened while the performer
/// was attested runs on and pays for the time given (docs/SHOWS.md, "18+").
#[ink::test]
fn a_delisted_verifier_stops_new_payments_not_an_open_show() {
    let mut token = shows();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        ..
    } = accounts();
    let id = open(&mut token, 10 * PRICE);
    set_caller(alice);
    token.set_verifier(alice, false).unwrap();
    assert_eq!(
        tip_as(&mut token, django, bob, LIVE),
        Err(Error::NotAttested)
    );
    set_time(OPENED + 60_000);
    set_caller(bob);
    let paid = token.claim_show(id).unwrap();
    assert_eq!(paid, PRICE, "the minute given is paid");
    set_caller(django);
    token.end_show(id).unwrap();
    assert_eq!(token.open_show(bob, PRICE, PRICE), Err(Error::NotAttested));
    // Another listed verifier attests: tips and shows take again.
    set_caller(alice);
    token.set_verifier(charlie, true).unwrap();
    set_caller(charlie);
    token.set_adult_attestation(bob, true).unwrap();
    assert!(tip_as(&mut token, django, bob, LIVE).is_ok());
}
