//! The owner's time-locked powers (platform fee, rating parameters) and their caps.

use super::*;

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

#[ink::test]
fn the_fee_cap_agrees_with_the_stake_cap() {
    assert_eq!(settlement::MAX_FEE_BPS, MAX_PLATFORM_FEE_BPS + MAX_BURN_BPS);
}
