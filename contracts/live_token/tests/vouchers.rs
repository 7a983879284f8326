//! Vouchers: keys, purchases in LIVE and in the native currency, blind-signed
//! redemptions (real sr25519 signatures, checked by the environment's
//! `sr25519_verify`), expiry, and a property test that no key ever pays out more
//! than it was backed with.

use super::*;
use blind_sr25519::{blind, Signer};
use livestars_abi::voucher_message;
use proptest::prelude::*;

const DENOMINATION: u128 = 10 * LIVE;
const RELAY_FEE: u128 = LIVE / 10;
/// The off-chain environment's existential deposit is 1 000 000.
const STIPEND: u128 = 2_000_000;
const TERMS: VoucherTerms = VoucherTerms {
    denomination: DENOMINATION,
    relay_fee: RELAY_FEE,
    stipend: STIPEND,
    price_live: 11 * LIVE,
    price_native: 5 * STIPEND,
};
const NOW: u64 = 1_000_000;
const UNTIL: u64 = NOW + 30 * 24 * 60 * 60 * 1000;

/// A fresh key no named account holds: where a redemption pays.
fn anonymous(byte: u8) -> AccountId {
    AccountId::from([byte; 32])
}

/// The off-chain environment's existential deposit.
const EXISTENTIAL: u128 = 1_000_000;

/// [`livestars`], plus: Eve runs a desk with `signer`'s key (id 0) on `TERMS`,
/// with the stipends of 100 vouchers backed; she holds 1 000 LIVE.
fn desk(signer: &Signer) -> LiveToken {
    let mut token = livestars();
    token
        .transfer(accounts().eve, 1_000 * LIVE, Vec::new())
        .unwrap();
    set_time(NOW);
    set_caller(accounts().eve);
    let key_id = token
        .register_voucher_key(signer.public(), TERMS, UNTIL)
        .unwrap();
    assert_eq!(key_id, 0);
    back_native(&mut token, 100 * STIPEND);
    token
}

/// The caller backs key 0 with `native` (the off-chain environment does not move
/// a payment by itself: the contract's account is credited here).
fn back_native(token: &mut LiveToken, native: u128) {
    test::set_account_balance::<DefaultEnvironment>(contract(), native_held() + native);
    test::set_value_transferred::<DefaultEnvironment>(native);
    token.back_vouchers(0, 0).unwrap();
    test::set_value_transferred::<DefaultEnvironment>(0);
}

fn native(account: AccountId) -> u128 {
    test::get_account_balance::<DefaultEnvironment>(account).unwrap_or_default()
}

/// The contract's native balance: at least the existential deposit it keeps.
fn native_held() -> u128 {
    native(contract()).max(EXISTENTIAL)
}

/// The desk blind-signs a voucher of `key_id` for `recipient`: the protocol runs
/// whole, so the desk's side never sees the message.
fn voucher(signer: &Signer, key_id: u64, recipient: AccountId, serial: [u8; 32]) -> [u8; 64] {
    let message = voucher_message(contract().as_ref(), key_id, recipient.as_ref(), &serial);
    let (nonce, commitment) = signer.commit();
    let (blinded, challenge) = blind(&signer.public(), &commitment, &message).unwrap();
    let response = signer.respond(nonce, &challenge).unwrap();
    blinded.unblind(&response).unwrap()
}

fn live_held(token: &LiveToken) -> u128 {
    token.balance_of(contract())
}

#[ink::test]
fn a_voucher_pays_its_recipient_once_out_of_the_backing() {
    let signer = Signer::generate();
    let mut token = desk(&signer);
    let DefaultAccounts {
        charlie,
        django,
        eve,
        ..
    } = accounts();
    set_caller(django);
    let (before, desk_before) = (token.balance_of(django), token.balance_of(eve));
    token.buy_vouchers(0, 3, [7; 32]).unwrap();
    assert_eq!(token.balance_of(django), before - 33 * LIVE);
    assert_eq!(
        token.balance_of(eve),
        desk_before + 3 * LIVE,
        "the surcharge"
    );
    assert_eq!(live_held(&token), 3 * DENOMINATION);
    let key = token.voucher_key(0).unwrap();
    assert_eq!((key.backing, key.outstanding), (3 * DENOMINATION, 3));
    let emitted = events();
    assert_event(
        &emitted[emitted.len() - 1],
        VouchersBought {
            buyer: django,
            key_id: 0,
            count: 3,
            order: [7; 32],
            paid: 33 * LIVE,
            native: false,
        },
    );

    let (recipient, serial) = (anonymous(0x77), [1; 32]);
    let signature = voucher(&signer, 0, recipient, serial);
    // Anyone submits it (a relayer, paid the relay fee); the voucher names who
    // receives the rest and the stipend.
    set_caller(charlie);
    let native_before = native_held();
    let value = DENOMINATION - RELAY_FEE;
    assert_eq!(
        token.redeem_voucher(0, recipient, serial, signature),
        Ok(value)
    );
    assert_eq!(token.balance_of(recipient), value);
    assert_eq!(token.balance_of(charlie), RELAY_FEE);
    assert_eq!(native(recipient), STIPEND);
    assert_eq!(native_held(), native_before - STIPEND);
    assert_eq!(live_held(&token), 2 * DENOMINATION);
    assert!(token.voucher_spent(0, serial));
    let key = token.voucher_key(0).unwrap();
    assert_eq!(
        (key.backing, key.native_backing, key.outstanding),
        (2 * DENOMINATION, 99 * STIPEND, 2)
    );
    let emitted = events();
    assert_event(
        &emitted[emitted.len() - 3],
        Transfer {
            from: Some(contract()),
            to: Some(recipient),
            value,
        },
    );
    assert_event(
        &emitted[emitted.len() - 1],
        VoucherRedeemed {
            recipient,
            key_id: 0,
            serial,
            value,
            relayer: charlie,
            relay_fee: RELAY_FEE,
            stipend: STIPEND,
            at: NOW,
        },
    );

    let count = events().len();
    assert_eq!(
        token.redeem_voucher(0, recipient, serial, signature),
        Err(Error::VoucherSpent)
    );
    assert_eq!(token.balance_of(recipient), value);
    assert_eq!(live_held(&token), 2 * DENOMINATION);
    assert_eq!(native(recipient), STIPEND);
    assert_eq!(events().len(), count, "a refusal raises nothing");
}

#[ink::test]
fn forged_misdirected_and_foreign_vouchers_are_refused() {
    let signer = Signer::generate();
    let mut token = desk(&signer);
    let DefaultAccounts { django, eve, .. } = accounts();
    // A second key of the same desk, for another denomination, without stipends.
    set_caller(eve);
    let other_signer = Signer::generate();
    let big_terms = VoucherTerms {
        denomination: 100 * LIVE,
        relay_fee: 0,
        stipend: 0,
        price_live: 100 * LIVE,
        price_native: 0,
    };
    let big = token
        .register_voucher_key(other_signer.public(), big_terms, UNTIL)
        .unwrap();
    set_caller(django);
    token.buy_vouchers(0, 2, [0; 32]).unwrap();
    token.buy_vouchers(big, 1, [0; 32]).unwrap();
    let held = live_held(&token);

    let (recipient, serial) = (anonymous(0x77), [1; 32]);
    let signature = voucher(&signer, 0, recipient, serial);
    let refusals = [
        // Signed by somebody else's key.
        (
            0,
            recipient,
            serial,
            voucher(&Signer::generate(), 0, recipient, serial),
        ),
        // Copied from the pool and pointed at another recipient.
        (0, anonymous(0x66), serial, signature),
        // Another serial than the one signed.
        (0, recipient, [2; 32], signature),
        // Presented as a voucher of the larger denomination.
        (big, recipient, serial, signature),
        // Signed with the larger key's secret but for key 0's id.
        (
            big,
            recipient,
            serial,
            voucher(&other_signer, 0, recipient, serial),
        ),
        // Garbage.
        (0, recipient, serial, [0xff; 64]),
    ];
    for (key_id, to, serial, signature) in refusals {
        assert_eq!(
            token.redeem_voucher(key_id, to, serial, signature),
            Err(Error::InvalidVoucher)
        );
    }
    assert_eq!(
        token.redeem_voucher(9, recipient, serial, signature),
        Err(Error::NoSuchVoucherKey)
    );
    // A voucher that pays this contract or the zero account would lock its LIVE.
    for sink in [contract(), anonymous(0)] {
        let locked = voucher(&signer, 0, sink, serial);
        assert_eq!(
            token.redeem_voucher(0, sink, serial, locked),
            Err(Error::InvalidRecipient)
        );
    }
    assert_eq!(live_held(&token), held, "nothing moved");
    assert_eq!((token.balance_of(recipient), native(recipient)), (0, 0));
    assert!(!token.voucher_spent(0, serial));
    // The real one still redeems.
    assert_eq!(
        token.redeem_voucher(0, recipient, serial, signature),
        Ok(DENOMINATION - RELAY_FEE)
    );
}

#[ink::test]
fn an_expired_key_neither_sells_nor_redeems_then_closes_and_forgets() {
    let signer = Signer::generate();
    let mut token = desk(&signer);
    let DefaultAccounts { django, eve, .. } = accounts();
    set_caller(django);
    token.buy_vouchers(0, 2, [0; 32]).unwrap();
    let (recipient, serial) = (anonymous(0x77), [1; 32]);
    token
        .redeem_voucher(0, recipient, serial, voucher(&signer, 0, recipient, serial))
        .unwrap();
    assert_eq!(token.close_voucher_key(0), Err(Error::VoucherKeyActive));
    assert_eq!(
        token.forget_voucher(0, serial),
        Err(Error::VoucherKeyActive)
    );

    set_time(UNTIL);
    let late = voucher(&signer, 0, recipient, [2; 32]);
    assert_eq!(
        token.redeem_voucher(0, recipient, [2; 32], late),
        Err(Error::VoucherKeyExpired)
    );
    assert_eq!(
        token.buy_vouchers(0, 1, [0; 32]),
        Err(Error::VoucherKeyExpired)
    );
    assert_eq!(token.back_vouchers(0, LIVE), Err(Error::VoucherKeyExpired));

    // Anyone closes it; the unredeemed voucher's backing returns to the desk.
    let (desk_before, desk_native) = (token.balance_of(eve), native(eve));
    token.close_voucher_key(0).unwrap();
    assert_eq!(token.balance_of(eve), desk_before + DENOMINATION);
    assert_eq!(native(eve), desk_native + 99 * STIPEND);
    assert_eq!(live_held(&token), 0);
    assert_eq!(native_held(), EXISTENTIAL);
    assert_eq!(token.voucher_key(0), None);
    let emitted = events();
    assert_event(
        &emitted[emitted.len() - 1],
        VoucherKeyClosed {
            desk: eve,
            key_id: 0,
            returned: DENOMINATION,
            returned_native: 99 * STIPEND,
        },
    );
    assert_eq!(token.close_voucher_key(0), Err(Error::NoSuchVoucherKey));

    token.forget_voucher(0, serial).unwrap();
    assert!(!token.voucher_spent(0, serial));
    assert_eq!(token.forget_voucher(0, serial), Err(Error::NotSpent));
    assert_event(
        &events()[events().len() - 1],
        VoucherForgotten { key_id: 0, serial },
    );
}

#[ink::test]
fn sales_need_backing_for_what_they_do_not_bring_and_the_exact_price() {
    let signer = Signer::generate();
    let mut token = livestars();
    let DefaultAccounts { django, eve, .. } = accounts();
    token.transfer(eve, 1_000 * LIVE, Vec::new()).unwrap();
    set_time(NOW);
    set_caller(eve);
    token
        .register_voucher_key(signer.public(), TERMS, UNTIL)
        .unwrap();

    // A LIVE sale brings the LIVE, not the stipends.
    set_caller(django);
    assert_eq!(
        token.buy_vouchers(0, 1, [3; 32]),
        Err(Error::InsufficientBacking)
    );
    // A native sale brings the stipends, not the LIVE.
    test::set_account_balance::<DefaultEnvironment>(contract(), EXISTENTIAL + 10 * STIPEND);
    test::set_value_transferred::<DefaultEnvironment>(10 * STIPEND);
    assert_eq!(
        token.buy_vouchers_native(0, 2, [3; 32]),
        Err(Error::InsufficientBacking)
    );
    set_caller(eve);
    test::set_value_transferred::<DefaultEnvironment>(0);
    token.back_vouchers(0, 2 * DENOMINATION).unwrap();

    set_caller(django);
    test::set_value_transferred::<DefaultEnvironment>(10 * STIPEND - 1);
    assert_eq!(
        token.buy_vouchers_native(0, 2, [3; 32]),
        Err(Error::WrongPayment)
    );
    let eve_before = native(eve);
    test::set_value_transferred::<DefaultEnvironment>(10 * STIPEND);
    token.buy_vouchers_native(0, 2, [3; 32]).unwrap();
    assert_eq!(
        native(eve) - eve_before,
        8 * STIPEND,
        "the desk is paid at once, less the stipends"
    );
    let key = token.voucher_key(0).unwrap();
    assert_eq!(
        (key.backing, key.native_backing, key.outstanding),
        (2 * DENOMINATION, 2 * STIPEND, 2)
    );
    // Both backed vouchers are sold: a third is not, in either currency.
    test::set_account_balance::<DefaultEnvironment>(contract(), native_held() + 5 * STIPEND);
    test::set_value_transferred::<DefaultEnvironment>(5 * STIPEND);
    assert_eq!(
        token.buy_vouchers_native(0, 1, [3; 32]),
        Err(Error::InsufficientBacking)
    );
    test::set_value_transferred::<DefaultEnvironment>(0);
    assert_eq!(
        token.buy_vouchers(0, 1, [3; 32]),
        Err(Error::InsufficientBacking)
    );

    set_caller(eve);
    let live_only = VoucherTerms {
        price_native: 0,
        stipend: 0,
        ..TERMS
    };
    token
        .register_voucher_key(Signer::generate().public(), live_only, UNTIL)
        .unwrap();
    let native_only = VoucherTerms {
        price_live: 0,
        ..TERMS
    };
    token
        .register_voucher_key(Signer::generate().public(), native_only, UNTIL)
        .unwrap();
    set_caller(django);
    assert_eq!(
        token.buy_vouchers_native(1, 1, [3; 32]),
        Err(Error::NotForSale)
    );
    assert_eq!(token.buy_vouchers(2, 1, [3; 32]), Err(Error::NotForSale));
    // Without stipends, a LIVE sale needs no backing beforehand.
    assert_eq!(token.buy_vouchers(1, 1, [3; 32]), Ok(()));
}

#[ink::test]
fn keys_and_purchases_are_checked() {
    let signer = Signer::generate();
    let mut token = desk(&signer);
    set_caller(accounts().eve);
    let public = signer.public();
    let invalid = [
        VoucherTerms {
            denomination: 0,
            relay_fee: 0,
            ..TERMS
        },
        VoucherTerms {
            relay_fee: DENOMINATION / 10 + 1,
            ..TERMS
        },
        VoucherTerms {
            stipend: EXISTENTIAL - 1,
            ..TERMS
        },
        VoucherTerms {
            price_live: DENOMINATION - 1,
            ..TERMS
        },
        VoucherTerms {
            price_native: STIPEND - 1,
            ..TERMS
        },
    ];
    for terms in invalid {
        assert_eq!(
            token.register_voucher_key(public, terms, UNTIL),
            Err(Error::InvalidVoucherTerms),
            "{terms:?}"
        );
    }
    for until in [NOW, NOW - 1, NOW + MAX_KEY_LIFETIME_MS + 1] {
        assert_eq!(
            token.register_voucher_key(public, TERMS, until),
            Err(Error::InvalidKeyLifetime)
        );
    }
    let big = VoucherTerms {
        denomination: 100 * LIVE,
        price_live: 100 * LIVE,
        stipend: 0,
        relay_fee: 10 * LIVE,
        ..TERMS
    };
    assert_eq!(
        token.register_voucher_key(public, big, NOW + MAX_KEY_LIFETIME_MS),
        Ok(1)
    );
    assert_eq!(token.voucher_key_count(), 2);

    set_caller(accounts().django);
    for count in [0, MAX_VOUCHERS_PER_PURCHASE + 1] {
        assert_eq!(
            token.buy_vouchers(0, count, [0; 32]),
            Err(Error::InvalidCount)
        );
    }
    assert_eq!(
        token.buy_vouchers(1, MAX_VOUCHERS_PER_PURCHASE, [0; 32]),
        Err(Error::InsufficientBalance)
    );
    assert_eq!(
        token.buy_vouchers(7, 1, [0; 32]),
        Err(Error::NoSuchVoucherKey)
    );
    assert_eq!(token.back_vouchers(0, 0), Err(Error::ZeroAmount));
    assert_eq!(live_held(&token), 0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// Whatever mix of purchases, backing and redemptions runs, including a
    /// leaked key that signs vouchers nobody paid for, a key pays out at most
    /// what it was backed with, and the contract holds exactly the backing.
    #[test]
    fn a_key_never_pays_out_more_than_its_backing(
        steps in proptest::collection::vec((0u8..3, 1u32..4), 1..24)
    ) {
        ink::env::test::run_test::<DefaultEnvironment, _>(|_| {
            let signer = Signer::generate();
            let mut token = desk(&signer);
            let DefaultAccounts { django, eve, .. } = accounts();
            let (mut backed, mut paid_out, mut serial) = (0u128, 0u128, 0u8);
            for (action, count) in steps {
                match action {
                    0 => {
                        set_caller(django);
                        token.buy_vouchers(0, count, [0; 32]).unwrap();
                        backed += DENOMINATION * u128::from(count);
                    }
                    1 => {
                        set_caller(eve);
                        token.back_vouchers(0, u128::from(count) * LIVE).unwrap();
                        backed += u128::from(count) * LIVE;
                    }
                    _ => {
                        // The leaked key signs `count` vouchers for nobody's money.
                        set_caller(django);
                        for _ in 0..count {
                            serial += 1;
                            let to = anonymous(0x77);
                            let signature = voucher(&signer, 0, to, [serial; 32]);
                            match token.redeem_voucher(0, to, [serial; 32], signature) {
                                Ok(value) => paid_out += value + RELAY_FEE,
                                Err(error) => assert_eq!(error, Error::InsufficientBacking),
                            }
                        }
                    }
                }
                let key = token.voucher_key(0).unwrap();
                assert!(paid_out <= backed);
                assert_eq!(key.backing, backed - paid_out);
                assert_eq!(live_held(&token), key.backing);
            }
            Ok(())
        })
        .unwrap();
    }
}
