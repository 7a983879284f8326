//! Vouchers: LIVE a viewer buys from a desk and redeems, unlinkably, into a key
//! nobody can tie to the purchase (`docs/PRIVACY.md`).
//!
//! A desk registers a signing key per denomination with its [`VoucherTerms`];
//! buyers pay for vouchers here, in LIVE or in the native currency; the desk
//! blind-signs one voucher per voucher paid for (`blind-sr25519`); anyone
//! redeems a voucher: the contract checks the desk's sr25519 signature of
//! [`voucher_message`], records the serial so it redeems once, and pays the
//! recipient the voucher names out of the key's backing, with a native stipend
//! so a fresh key can pay its own fees, and the relay fee to the submitter.
//!
//! The backing bounds everything a key can pay out, so a leaked key loses at
//! most its backing. Every voucher paid for is backed at purchase (`outstanding
//! × denomination ≤ backing`, and the same for the stipend), so an honest voucher
//! never fails for want of backing while the key is valid. After `redeem_until`
//! the key closes (its backing returns to the desk) and its serials may be
//! forgotten.

use crate::errors::{Error, Result};
use crate::tips::Emit;
use crate::token::Token;
use ink::storage::Mapping;
use livestars_abi::{
    voucher_message, AccountId, Balance, Commitment, Timestamp, VoucherForgotten, VoucherKeyClosed,
    VoucherKeyRegistered, VoucherRedeemed, VoucherTerms, VouchersBacked, VouchersBought,
};

/// The longest a key may stay redeemable, from its registration: 400 days, so
/// that every serial's storage can be freed within that time.
pub const MAX_KEY_LIFETIME_MS: Timestamp = 400 * 24 * 60 * 60 * 1000;

/// The most vouchers one purchase may pay for.
pub const MAX_VOUCHERS_PER_PURCHASE: u32 = 1_000;

/// The most of a denomination the relay fee may take: 10%.
pub const MAX_RELAY_FEE_BPS: u128 = 1_000;

/// A voucher's 32 random bytes: its nullifier.
pub type Serial = [u8; 32];

/// Sends native currency from this contract's account.
pub type SendNative<'a> = &'a mut dyn FnMut(AccountId, Balance) -> Result<()>;

/// A desk's signing key for one denomination, with what backs it.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct VoucherKey {
    /// Who registered the key: paid for sales, and the unspent backing when the
    /// key closes.
    pub desk: AccountId,
    /// The sr25519 public key vouchers are checked against.
    pub public: [u8; 32],
    pub terms: VoucherTerms,
    /// Vouchers redeem before this time, never after.
    pub redeem_until: Timestamp,
    /// LIVE held in this contract for this key's vouchers.
    pub backing: Balance,
    /// Native currency held in this contract for this key's stipends.
    pub native_backing: Balance,
    /// Vouchers paid for and not yet redeemed, by count: the backing covers them.
    pub outstanding: u64,
}

impl VoucherKey {
    fn ensure_valid(&self, now: Timestamp) -> Result<()> {
        if now < self.redeem_until {
            Ok(())
        } else {
            Err(Error::VoucherKeyExpired)
        }
    }

    /// Counts `count` more vouchers as paid for, refused unless the backing
    /// (with what this purchase adds) covers all of them.
    fn sell(&mut self, count: u32) -> Result<()> {
        self.outstanding = self
            .outstanding
            .checked_add(u64::from(count))
            .ok_or(Error::Overflow)?;
        let outstanding = Balance::from(self.outstanding);
        let owed = self.terms.denomination.checked_mul(outstanding);
        let owed_native = self.terms.stipend.checked_mul(outstanding);
        match (owed, owed_native) {
            (Some(owed), Some(owed_native))
                if owed <= self.backing && owed_native <= self.native_backing =>
            {
                Ok(())
            }
            _ => Err(Error::InsufficientBacking),
        }
    }
}

/// `count × price`, refused on overflow.
fn times(price: Balance, count: u32) -> Result<Balance> {
    price
        .checked_mul(Balance::from(count))
        .ok_or(Error::Overflow)
}

/// The keys, the serials already redeemed, and how many keys were ever registered.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Vouchers {
    keys: Mapping<u64, VoucherKey>,
    /// Redeemed serials, by key: removable once their key has expired.
    spent: Mapping<(u64, Serial), ()>,
    /// Keys ever registered: the next key's id.
    count: u64,
}

impl Vouchers {
    pub fn key(&self, key_id: u64) -> Option<VoucherKey> {
        self.keys.get(key_id)
    }

    pub fn is_spent(&self, key_id: u64, serial: Serial) -> bool {
        self.spent.contains((key_id, serial))
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Registers `desk`'s key with `terms`, redeemable until `redeem_until` (at
    /// most `MAX_KEY_LIFETIME_MS` from now). A stipend must be at least
    /// `existential` (the chain's existential deposit), or a fresh recipient
    /// could not receive it. Returns the event, whose `key_id` every voucher
    /// signed with the key commits to.
    pub fn register(
        &mut self,
        desk: AccountId,
        public: [u8; 32],
        terms: VoucherTerms,
        redeem_until: Timestamp,
        (now, existential): (Timestamp, Balance),
    ) -> Result<VoucherKeyRegistered> {
        let VoucherTerms {
            denomination,
            relay_fee,
            stipend,
            price_live,
            price_native,
        } = terms;
        let most_relay_fee = denomination.saturating_mul(MAX_RELAY_FEE_BPS) / 10_000;
        let valid = denomination > 0
            && relay_fee <= most_relay_fee
            && (stipend == 0 || stipend >= existential)
            && (price_live == 0 || price_live >= denomination)
            && (price_native == 0 || price_native >= stipend);
        if !valid {
            return Err(Error::InvalidVoucherTerms);
        }
        let latest = now.saturating_add(MAX_KEY_LIFETIME_MS);
        if redeem_until <= now || redeem_until > latest {
            return Err(Error::InvalidKeyLifetime);
        }
        let key_id = self.count;
        self.count = key_id.checked_add(1).ok_or(Error::Overflow)?;
        let key = VoucherKey {
            desk,
            public,
            terms,
            redeem_until,
            backing: 0,
            native_backing: 0,
            outstanding: 0,
        };
        self.keys.insert(key_id, &key);
        Ok(VoucherKeyRegistered {
            desk,
            key_id,
            public,
            terms,
            redeem_until,
        })
    }

    /// Moves `amount` of `from`'s LIVE and `native` (sent with the call) into a
    /// valid key's backing, held by `contract`, this contract's account: the
    /// desk backs what it sells for the native currency and the stipends of what
    /// it sells for LIVE.
    pub fn back(
        &mut self,
        token: &mut Token,
        (from, key_id): (AccountId, u64),
        (amount, native): (Balance, Balance),
        (now, contract): (Timestamp, AccountId),
        events: &mut impl Emit,
    ) -> Result<()> {
        let mut key = self.keys.get(key_id).ok_or(Error::NoSuchVoucherKey)?;
        key.ensure_valid(now)?;
        if amount == 0 && native == 0 {
            return Err(Error::ZeroAmount);
        }
        key.backing = key.backing.checked_add(amount).ok_or(Error::Overflow)?;
        key.native_backing = key
            .native_backing
            .checked_add(native)
            .ok_or(Error::Overflow)?;
        token.debit(from, amount)?;
        events.emit_some(token.credit(from, contract, amount));
        self.keys.insert(key_id, &key);
        events.emit(VouchersBacked {
            from,
            key_id,
            amount,
            native,
            backing: key.backing,
            native_backing: key.native_backing,
        });
        Ok(())
    }

    /// `buyer` pays `count` vouchers at the key's LIVE price: their denomination
    /// into the backing, the rest to the desk. The desk then blind-signs that
    /// many under `order`.
    pub fn buy(
        &mut self,
        token: &mut Token,
        buyer: AccountId,
        (key_id, count, order): (u64, u32, Commitment),
        (now, contract): (Timestamp, AccountId),
        events: &mut impl Emit,
    ) -> Result<()> {
        let (mut key, price) = self.purchasable(key_id, count, now, |terms| terms.price_live)?;
        let value = times(key.terms.denomination, count)?;
        key.backing = key.backing.checked_add(value).ok_or(Error::Overflow)?;
        key.sell(count)?;
        token.debit(buyer, price)?;
        events.emit_some(token.credit(buyer, contract, value));
        // price >= value: price_live >= denomination.
        events.emit_some(token.credit(buyer, key.desk, price.saturating_sub(value)));
        self.keys.insert(key_id, &key);
        events.emit(VouchersBought {
            buyer,
            key_id,
            count,
            order,
            paid: price,
            native: false,
        });
        Ok(())
    }

    /// `buyer` pays `count` vouchers at the key's native price (`paid`, sent with
    /// the call, must be exactly that): their stipends stay in the backing, the
    /// rest goes to the desk. The key's LIVE backing must cover them already.
    pub fn buy_native(
        &mut self,
        buyer: AccountId,
        (key_id, count, order): (u64, u32, Commitment),
        (paid, now): (Balance, Timestamp),
        send_native: SendNative<'_>,
        events: &mut impl Emit,
    ) -> Result<()> {
        let (mut key, price) = self.purchasable(key_id, count, now, |terms| terms.price_native)?;
        if paid != price {
            return Err(Error::WrongPayment);
        }
        let stipends = times(key.terms.stipend, count)?;
        key.native_backing = key
            .native_backing
            .checked_add(stipends)
            .ok_or(Error::Overflow)?;
        key.sell(count)?;
        // price >= stipends: price_native >= stipend.
        let to_desk = price.saturating_sub(stipends);
        if to_desk > 0 {
            send_native(key.desk, to_desk)?;
        }
        self.keys.insert(key_id, &key);
        events.emit(VouchersBought {
            buyer,
            key_id,
            count,
            order,
            paid: price,
            native: true,
        });
        Ok(())
    }

    /// Redeems a voucher once, on `relayer`'s call: `signature` must be the
    /// key's sr25519 signature of [`voucher_message`] (checked by `verify`). The
    /// denomination leaves the backing, less the relay fee to the relayer, for
    /// `recipient`, with the stipend. The voucher names its recipient, so nobody
    /// else can be paid. Returns the LIVE the recipient received.
    #[allow(clippy::too_many_arguments)]
    pub fn redeem(
        &mut self,
        token: &mut Token,
        (key_id, recipient, serial): (u64, AccountId, Serial),
        signature: &[u8; 64],
        (relayer, now, contract): (AccountId, Timestamp, AccountId),
        verify: impl FnOnce(&[u8; 64], &[u8], &[u8; 32]) -> bool,
        send_native: SendNative<'_>,
        events: &mut impl Emit,
    ) -> Result<Balance> {
        let mut key = self.keys.get(key_id).ok_or(Error::NoSuchVoucherKey)?;
        key.ensure_valid(now)?;
        if self.spent.contains((key_id, serial)) {
            return Err(Error::VoucherSpent);
        }
        if recipient == contract || recipient == AccountId::from([0; 32]) {
            return Err(Error::InvalidRecipient);
        }
        let message = voucher_message(contract.as_ref(), key_id, recipient.as_ref(), &serial);
        if !verify(signature, &message, &key.public) {
            return Err(Error::InvalidVoucher);
        }
        let VoucherTerms {
            denomination,
            relay_fee,
            stipend,
            ..
        } = key.terms;
        let (Some(backing), Some(native_backing)) = (
            key.backing.checked_sub(denomination),
            key.native_backing.checked_sub(stipend),
        ) else {
            return Err(Error::InsufficientBacking);
        };
        key.backing = backing;
        key.native_backing = native_backing;
        // A voucher signed without a purchase (a leaked key) redeems only what
        // was backed; it may leave `outstanding` above the truth, never below 0.
        key.outstanding = key.outstanding.saturating_sub(1);
        if stipend > 0 {
            send_native(recipient, stipend)?;
        }
        self.keys.insert(key_id, &key);
        self.spent.insert((key_id, serial), &());
        token.release(contract, denomination);
        // relay_fee <= denomination (at most MAX_RELAY_FEE_BPS of it).
        let value = denomination.saturating_sub(relay_fee);
        events.emit_some(token.credit(contract, recipient, value));
        events.emit_some(token.credit(contract, relayer, relay_fee));
        events.emit(VoucherRedeemed {
            recipient,
            key_id,
            serial,
            value,
            relayer,
            relay_fee,
            stipend,
            at: now,
        });
        Ok(value)
    }

    /// Closes an expired key: its unspent backing goes back to the desk and the
    /// key's storage is freed. Anyone may call it.
    pub fn close(
        &mut self,
        token: &mut Token,
        key_id: u64,
        (now, contract): (Timestamp, AccountId),
        send_native: SendNative<'_>,
        events: &mut impl Emit,
    ) -> Result<()> {
        let key = self.keys.get(key_id).ok_or(Error::NoSuchVoucherKey)?;
        if key.ensure_valid(now).is_ok() {
            return Err(Error::VoucherKeyActive);
        }
        if key.native_backing > 0 {
            send_native(key.desk, key.native_backing)?;
        }
        self.keys.remove(key_id);
        token.release(contract, key.backing);
        events.emit_some(token.credit(contract, key.desk, key.backing));
        events.emit(VoucherKeyClosed {
            desk: key.desk,
            key_id,
            returned: key.backing,
            returned_native: key.native_backing,
        });
        Ok(())
    }

    /// Forgets a redeemed serial once its key has expired (or closed), freeing
    /// its storage: that key can never redeem again. Anyone may call it.
    pub fn forget(
        &mut self,
        key_id: u64,
        serial: Serial,
        now: Timestamp,
    ) -> Result<VoucherForgotten> {
        if let Some(key) = self.keys.get(key_id) {
            key.ensure_valid(now)
                .map_or(Ok(()), |()| Err(Error::VoucherKeyActive))?;
        }
        if !self.spent.contains((key_id, serial)) {
            return Err(Error::NotSpent);
        }
        self.spent.remove((key_id, serial));
        Ok(VoucherForgotten { key_id, serial })
    }

    /// A valid key that a purchase of `count` vouchers may name, sold at the unit
    /// price `price` picks from its terms (0: not sold that way), and what the
    /// vouchers cost at it.
    fn purchasable(
        &self,
        key_id: u64,
        count: u32,
        now: Timestamp,
        price: impl FnOnce(&VoucherTerms) -> Balance,
    ) -> Result<(VoucherKey, Balance)> {
        let key = self.keys.get(key_id).ok_or(Error::NoSuchVoucherKey)?;
        key.ensure_valid(now)?;
        if count == 0 || count > MAX_VOUCHERS_PER_PURCHASE {
            return Err(Error::InvalidCount);
        }
        let unit = price(&key.terms);
        if unit == 0 {
            return Err(Error::NotForSale);
        }
        Ok((key, times(unit, count)?))
    }
}
