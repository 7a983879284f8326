//! The PSP22 fungible-token standard's interface, so that LIVE answers to the same
//! selectors as every PSP22 token (wallets and explorers list it) and callers such as
//! the tips contract can talk to it without depending on its code.
//!
//! Selectors come from the trait names: `PSP22::transfer` is `0xdb20f9f5`.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

use ink::prelude::{string::String, vec::Vec};
use ink::primitives::AccountId;

/// Errors of the PSP22 standard, in its order (their SCALE encoding is part of the ABI).
#[derive(Debug, PartialEq, Eq, Clone)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
// scale-info's derive casts variant indices; there are six.
#[allow(clippy::cast_possible_truncation)]
pub enum PSP22Error {
    /// A failure not covered by the standard, with a short reason.
    Custom(String),
    /// The sender's balance is lower than the amount.
    InsufficientBalance,
    /// The spender's allowance is lower than the amount.
    InsufficientAllowance,
    /// The recipient is the zero account.
    ZeroRecipientAddress,
    /// The sender is the zero account.
    ZeroSenderAddress,
    /// A receiving contract refused the transfer.
    SafeTransferCheckFailed(String),
}

/// The PSP22 core messages.
#[ink::trait_definition]
pub trait PSP22 {
    /// Tokens in existence.
    #[ink(message)]
    fn total_supply(&self) -> u128;

    /// Tokens held by `owner`.
    #[ink(message)]
    fn balance_of(&self, owner: AccountId) -> u128;

    /// Tokens `spender` may still move out of `owner`'s account.
    #[ink(message)]
    fn allowance(&self, owner: AccountId, spender: AccountId) -> u128;

    /// Moves `value` from the caller to `to`.
    #[ink(message)]
    fn transfer(&mut self, to: AccountId, value: u128, data: Vec<u8>) -> Result<(), PSP22Error>;

    /// Moves `value` from `from` to `to` against the caller's allowance.
    #[ink(message)]
    fn transfer_from(
        &mut self,
        from: AccountId,
        to: AccountId,
        value: u128,
        data: Vec<u8>,
    ) -> Result<(), PSP22Error>;

    /// Sets `spender`'s allowance over the caller's tokens to `value`.
    #[ink(message)]
    fn approve(&mut self, spender: AccountId, value: u128) -> Result<(), PSP22Error>;

    /// Raises `spender`'s allowance by `delta_value`.
    #[ink(message)]
    fn increase_allowance(
        &mut self,
        spender: AccountId,
        delta_value: u128,
    ) -> Result<(), PSP22Error>;

    /// Lowers `spender`'s allowance by `delta_value`.
    #[ink(message)]
    fn decrease_allowance(
        &mut self,
        spender: AccountId,
        delta_value: u128,
    ) -> Result<(), PSP22Error>;
}

/// The PSP22 metadata extension.
#[ink::trait_definition]
pub trait PSP22Metadata {
    /// The token's name.
    #[ink(message)]
    fn token_name(&self) -> Option<String>;

    /// The token's ticker symbol.
    #[ink(message)]
    fn token_symbol(&self) -> Option<String>;

    /// Decimal places of one whole token.
    #[ink(message)]
    fn token_decimals(&self) -> u8;
}

/// The PSP22 burnable extension: holders destroy their own tokens.
#[ink::trait_definition]
pub trait PSP22Burnable {
    /// Destroys `value` of the caller's tokens.
    #[ink(message)]
    fn burn(&mut self, value: u128) -> Result<(), PSP22Error>;
}
