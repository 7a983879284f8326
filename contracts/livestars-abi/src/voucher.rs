//! A voucher is an sr25519 signature, by a desk's key, of these bytes. The desk
//! signs them blind (`blind-sr25519`), so it never sees the recipient or the
//! serial; the contract rebuilds them from the redemption's arguments.
//!
//! - The contract's account and the key's id bind a voucher to one deployment and
//!   one key: a key registered again gets a new id, and no old voucher fits it.
//! - The recipient is committed to, so a redemption copied from the pool cannot
//!   pay anyone else.
//! - The serial (32 random bytes) is the voucher's nullifier: it redeems once.

use crate::Balance;

/// What a desk's key sells and what each of its vouchers pays, fixed when the key
/// is registered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, scale::Encode, scale::Decode)]
#[codec(crate = scale)]
#[cfg_attr(feature = "ink", ink::scale_derive(TypeInfo))]
#[cfg_attr(
    all(feature = "ink", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct VoucherTerms {
    /// The LIVE one voucher redeems for, out of the key's backing.
    pub denomination: Balance,
    /// The part of the denomination paid to whoever submits the redemption (a
    /// relayer, since a fresh key holds nothing to pay fees with).
    pub relay_fee: Balance,
    /// The native currency each redemption sends the recipient with the LIVE, so
    /// a fresh key can pay its own fees (0: none).
    pub stipend: Balance,
    /// The LIVE a voucher costs (at least the denomination; the rest is the
    /// desk's); 0: not sold for LIVE.
    pub price_live: Balance,
    /// The native currency a voucher costs (at least the stipend; the rest is
    /// the desk's); 0: not sold for the native currency.
    pub price_native: Balance,
}

/// What every voucher message starts with (domain separation).
const PREFIX: &[u8; 20] = b"livestars voucher v1";

/// The length of a voucher message.
pub const VOUCHER_MESSAGE_LEN: usize = 20 + 32 + 8 + 32 + 32;

/// The bytes a voucher signs: prefix, contract, key id (little-endian), recipient,
/// serial.
pub fn voucher_message(
    contract: &[u8; 32],
    key_id: u64,
    recipient: &[u8; 32],
    serial: &[u8; 32],
) -> [u8; VOUCHER_MESSAGE_LEN] {
    let mut message = [0u8; VOUCHER_MESSAGE_LEN];
    let parts: [&[u8]; 5] = [PREFIX, contract, &key_id.to_le_bytes(), recipient, serial];
    let mut at = 0usize;
    for part in parts {
        let end = at.saturating_add(part.len());
        message[at..end].copy_from_slice(part);
        at = end;
    }
    message
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_field_has_its_own_place() {
        let message = voucher_message(&[1; 32], 0x0203, &[4; 32], &[5; 32]);
        assert_eq!(&message[..20], PREFIX);
        assert_eq!(&message[20..52], &[1; 32]);
        assert_eq!(&message[52..60], &[3, 2, 0, 0, 0, 0, 0, 0]);
        assert_eq!(&message[60..92], &[4; 32]);
        assert_eq!(&message[92..], &[5; 32]);
    }
}
