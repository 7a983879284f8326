//! The PSP22 token: supply, cap, balances and allowances, and the moves the tips
//! and shows make between balances. Each method returns the `Transfer` or
//! `Approval` it raises (`None` when nothing moved) for the contract to emit.

use crate::errors::{Error, Result};
use crate::registry::is_sink;
use ink::prelude::string::String;
use ink::storage::Mapping;
use livestars_abi::{AccountId, Approval, MintAnnounced, Timestamp, Transfer};
use psp22_traits::PSP22Error;
use rating_formula::{CHANGE_DELAY_MS, MAX_COUNTED};

/// Decimal places of LIVE, as of the chain's native unit.
pub const DECIMALS: u8 = 12;
/// The token's name (`PSP22Metadata::token_name`).
pub const NAME: &str = "livestars LIVE";
/// The token's symbol (`PSP22Metadata::token_symbol`).
pub const SYMBOL: &str = "LIVE";

/// A PSP22 message's result.
pub type PSP22Result<T> = core::result::Result<T, PSP22Error>;

/// A mint the owner announced: `value` for `to`, due from `effective_at`.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct PendingMint {
    pub to: AccountId,
    pub value: u128,
    pub effective_at: Timestamp,
}

/// LIVE's supply, its cap and who holds and may spend what.
///
/// The cap bounds what is ever *minted*, not the supply: a burn lowers the supply
/// and leaves `minted` as it is, so burned LIVE (a tip's rating stake) can never be
/// minted again, by the owner or anyone. What is left under the cap is minted
/// only `CHANGE_DELAY_MS` after an announcement, like every other owner power.
#[ink::storage_item]
#[derive(Debug)]
pub struct Token {
    total_supply: u128,
    /// Every token ever minted; never lowered.
    minted: u128,
    cap: u128,
    pending_mint: Option<PendingMint>,
    pub(crate) balances: Mapping<AccountId, u128>,
    pub(crate) allowances: Mapping<(AccountId, AccountId), u128>,
}

impl Token {
    /// An empty token with a hard `cap`, refused when the rating could not count
    /// that much or when `initial_supply` (minted once every other check of the
    /// constructor passed) would not fit under it.
    pub fn new(cap: u128, initial_supply: u128) -> Result<Self> {
        if cap > MAX_COUNTED {
            return Err(Error::CapTooLarge);
        }
        if initial_supply > cap {
            return Err(Error::CapExceeded);
        }
        Ok(Self {
            total_supply: 0,
            minted: 0,
            cap,
            pending_mint: None,
            balances: Mapping::default(),
            allowances: Mapping::default(),
        })
    }

    pub fn cap(&self) -> u128 {
        self.cap
    }

    pub fn total_supply(&self) -> u128 {
        self.total_supply
    }

    pub fn minted(&self) -> u128 {
        self.minted
    }

    pub fn pending_mint(&self) -> Option<PendingMint> {
        self.pending_mint
    }

    pub fn balance_of(&self, owner: AccountId) -> u128 {
        self.balances.get(owner).unwrap_or_default()
    }

    pub fn allowance(&self, owner: AccountId, spender: AccountId) -> u128 {
        self.allowances.get((owner, spender)).unwrap_or_default()
    }

    /// Announces that `value` new tokens go to `to` from `now + CHANGE_DELAY_MS`
    /// ([`Token::release_mint`]), replacing any earlier announcement; a `value` of
    /// 0 withdraws it. Refused past the cap, or to this contract or the zero
    /// account, where the tokens would be locked.
    pub fn announce_mint(
        &mut self,
        to: AccountId,
        value: u128,
        now: Timestamp,
        contract: AccountId,
    ) -> Result<MintAnnounced> {
        if is_sink(&to, &contract) {
            return Err(Error::InvalidRecipient);
        }
        self.minted_after(value)?;
        let effective_at = now.checked_add(CHANGE_DELAY_MS).ok_or(Error::Overflow)?;
        self.pending_mint = (value > 0).then_some(PendingMint {
            to,
            value,
            effective_at,
        });
        Ok(MintAnnounced {
            to,
            value,
            effective_at,
        })
    }

    /// Mints the announced tokens once they are due (anyone may call it).
    pub fn release_mint(&mut self, now: Timestamp) -> Result<Option<Transfer>> {
        let pending = self.pending_mint.ok_or(Error::NoMintAnnounced)?;
        if now < pending.effective_at {
            return Err(Error::MintNotDue);
        }
        let minted = self.mint(pending.to, pending.value)?;
        self.pending_mint = None;
        Ok(minted)
    }

    /// What `minted` becomes after minting `value`, if that stays under the cap.
    fn minted_after(&self, value: u128) -> Result<u128> {
        self.minted
            .checked_add(value)
            .filter(|minted| *minted <= self.cap)
            .ok_or(Error::CapExceeded)
    }

    /// Creates `value` tokens for `to` now, never past the cap: the initial
    /// supply, and announced mints once due.
    pub(crate) fn mint(&mut self, to: AccountId, value: u128) -> Result<Option<Transfer>> {
        let minted = self.minted_after(value)?;
        if value == 0 {
            return Ok(None);
        }
        self.minted = minted;
        // The supply never exceeds what was minted, which is bounded by the cap.
        self.total_supply = self.total_supply.saturating_add(value);
        // A balance never exceeds the supply, which is bounded by the cap.
        let balance = self.balance_of(to).saturating_add(value);
        self.set_balance(to, balance);
        Ok(Some(Transfer {
            from: None,
            to: Some(to),
            value,
        }))
    }

    /// Moves tokens between accounts; a self-transfer or zero value is a no-op.
    /// `contract`, this contract's own account, holds only the open shows'
    /// deposits and the vouchers' backing: a transfer to it would lock the tokens
    /// for good, so it is refused.
    pub fn transfer(
        &mut self,
        from: AccountId,
        to: AccountId,
        value: u128,
        contract: AccountId,
    ) -> PSP22Result<Option<Transfer>> {
        if from == to || value == 0 {
            return Ok(None);
        }
        if to == contract {
            return Err(PSP22Error::Custom(String::from(
                "LIVE's own account holds only show deposits and voucher backing; tokens sent there would be locked",
            )));
        }
        let from_rest = self
            .balance_of(from)
            .checked_sub(value)
            .ok_or(PSP22Error::InsufficientBalance)?;
        self.set_balance(from, from_rest);
        Ok(self.credit(from, to, value))
    }

    /// `spender` moves `from`'s tokens. The allowance is checked before the
    /// balance, as the standard's reference implementation does; a self-transfer
    /// or zero value is a no-op.
    pub fn transfer_from(
        &mut self,
        spender: AccountId,
        from: AccountId,
        to: AccountId,
        value: u128,
        contract: AccountId,
    ) -> PSP22Result<(Option<Transfer>, Option<Approval>)> {
        if from == to || value == 0 {
            return Ok((None, None));
        }
        if spender == from {
            return Ok((self.transfer(from, to, value, contract)?, None));
        }
        let allowance = self
            .allowance(from, spender)
            .checked_sub(value)
            .ok_or(PSP22Error::InsufficientAllowance)?;
        let transfer = self.transfer(from, to, value, contract)?;
        Ok((transfer, Some(self.set_allowance(from, spender, allowance))))
    }

    pub fn approve(
        &mut self,
        owner: AccountId,
        spender: AccountId,
        value: u128,
    ) -> Option<Approval> {
        (owner != spender).then(|| self.set_allowance(owner, spender, value))
    }

    pub fn increase_allowance(
        &mut self,
        owner: AccountId,
        spender: AccountId,
        delta_value: u128,
    ) -> Option<Approval> {
        if owner == spender || delta_value == 0 {
            return None;
        }
        let amount = self.allowance(owner, spender).saturating_add(delta_value);
        Some(self.set_allowance(owner, spender, amount))
    }

    pub fn decrease_allowance(
        &mut self,
        owner: AccountId,
        spender: AccountId,
        delta_value: u128,
    ) -> PSP22Result<Option<Approval>> {
        if owner == spender || delta_value == 0 {
            return Ok(None);
        }
        let amount = self
            .allowance(owner, spender)
            .checked_sub(delta_value)
            .ok_or(PSP22Error::InsufficientAllowance)?;
        Ok(Some(self.set_allowance(owner, spender, amount)))
    }

    /// `owner` destroys `value` of their own tokens.
    pub fn burn(&mut self, owner: AccountId, value: u128) -> PSP22Result<Option<Transfer>> {
        if value == 0 {
            return Ok(None);
        }
        let rest = self
            .balance_of(owner)
            .checked_sub(value)
            .ok_or(PSP22Error::InsufficientBalance)?;
        self.set_balance(owner, rest);
        // value <= balance <= total_supply
        self.total_supply = self.total_supply.saturating_sub(value);
        Ok(Some(Transfer {
            from: Some(owner),
            to: None,
            value,
        }))
    }

    /// Takes `value` out of `owner`'s balance; the caller credits (or burns) it on,
    /// which raises the `Transfer`s.
    pub fn debit(&mut self, owner: AccountId, value: u128) -> Result<()> {
        let rest = self
            .balance_of(owner)
            .checked_sub(value)
            .ok_or(Error::InsufficientBalance)?;
        self.set_balance(owner, rest);
        Ok(())
    }

    /// Takes `value` of a show's deposit out of `contract`'s own balance, which
    /// holds every open show's deposit, so it never falls short (and a refund is
    /// never blocked). The caller credits it on from `contract`.
    pub fn release(&mut self, contract: AccountId, value: u128) {
        let rest = self.balance_of(contract).saturating_sub(value);
        self.set_balance(contract, rest);
    }

    /// Credits `value` paid by `from` (already debited) to `to`.
    pub fn credit(&mut self, from: AccountId, to: AccountId, value: u128) -> Option<Transfer> {
        if value == 0 {
            return None;
        }
        // The sum of balances is the supply, so no balance can overflow.
        let balance = self.balance_of(to).saturating_add(value);
        self.set_balance(to, balance);
        Some(Transfer {
            from: Some(from),
            to: Some(to),
            value,
        })
    }

    /// Burns `value` of `from`'s balance, already debited.
    pub fn burn_debited(&mut self, from: AccountId, value: u128) -> Option<Transfer> {
        if value == 0 {
            return None;
        }
        // value <= a debited balance <= total_supply
        self.total_supply = self.total_supply.saturating_sub(value);
        Some(Transfer {
            from: Some(from),
            to: None,
            value,
        })
    }

    /// Stores a balance; a zero balance removes the entry, so storage shrinks.
    fn set_balance(&mut self, owner: AccountId, balance: u128) {
        if balance == 0 {
            self.balances.remove(owner);
        } else {
            self.balances.insert(owner, &balance);
        }
    }

    /// Stores an allowance; zero removes the entry.
    fn set_allowance(&mut self, owner: AccountId, spender: AccountId, amount: u128) -> Approval {
        if amount == 0 {
            self.allowances.remove((owner, spender));
        } else {
            self.allowances.insert((owner, spender), &amount);
        }
        Approval {
            owner,
            spender,
            amount,
        }
    }
}
