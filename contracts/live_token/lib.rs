//! LIVE: the livestars token. A PSP22 token (standard selectors, events and
//! metadata, so wallets list it) whose supply can never pass a cap fixed at
//! instantiation. The owner holds the minter role and hands it on in two steps;
//! every holder may burn their own tokens.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::live_token::{LiveToken, LiveTokenRef, TokenError};

#[ink::contract]
mod live_token {
    use ink::prelude::{string::String, vec::Vec};
    use ink::storage::Mapping;
    use ownable::{Ownable, Ownable2Step, OwnableError};
    use psp22_traits::{PSP22Burnable, PSP22Error, PSP22Metadata, PSP22};

    /// Decimal places of LIVE, as of the chain's native unit.
    pub const DECIMALS: u8 = 12;

    /// Tokens moved; `from: None` is a mint, `to: None` a burn (PSP22 standard event).
    #[ink(event)]
    pub struct Transfer {
        #[ink(topic)]
        pub from: Option<AccountId>,
        #[ink(topic)]
        pub to: Option<AccountId>,
        pub value: u128,
    }

    /// `spender` may now move `amount` of `owner`'s tokens (PSP22 standard event).
    #[ink(event)]
    pub struct Approval {
        #[ink(topic)]
        pub owner: AccountId,
        #[ink(topic)]
        pub spender: AccountId,
        pub amount: u128,
    }

    /// Why a mint was refused.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    pub enum TokenError {
        /// Only the minter (the owner) may mint.
        NotMinter,
        /// The mint would take the supply past the cap.
        CapExceeded,
    }

    /// The LIVE token's state.
    #[ink(storage)]
    pub struct LiveToken {
        total_supply: u128,
        cap: u128,
        balances: Mapping<AccountId, u128>,
        allowances: Mapping<(AccountId, AccountId), u128>,
        minter: Ownable,
    }

    impl LiveToken {
        /// Creates LIVE with a hard `cap` on the supply and mints `initial_supply`
        /// to the caller, who becomes the minter.
        #[ink(constructor)]
        pub fn new(cap: u128, initial_supply: u128) -> Result<Self, TokenError> {
            let caller = Self::env().caller();
            let mut token = Self {
                total_supply: 0,
                cap,
                balances: Mapping::default(),
                allowances: Mapping::default(),
                minter: Ownable::new(caller),
            };
            token.mint_to(caller, initial_supply)?;
            Ok(token)
        }

        /// The most LIVE that can ever exist.
        #[ink(message)]
        pub fn cap(&self) -> u128 {
            self.cap
        }

        /// Creates `value` new tokens for `to`; minter only, never past the cap.
        #[ink(message)]
        pub fn mint(&mut self, to: AccountId, value: u128) -> Result<(), TokenError> {
            if self.minter.ensure_owner(self.env().caller()).is_err() {
                return Err(TokenError::NotMinter);
            }
            self.mint_to(to, value)
        }

        /// Creates `value` tokens for `to`, never past the cap.
        fn mint_to(&mut self, to: AccountId, value: u128) -> Result<(), TokenError> {
            let supply = self
                .total_supply
                .checked_add(value)
                .filter(|supply| *supply <= self.cap)
                .ok_or(TokenError::CapExceeded)?;
            if value == 0 {
                return Ok(());
            }
            self.total_supply = supply;
            // A balance never exceeds the supply, which is bounded by the cap.
            let balance = self.balance_of_impl(to).saturating_add(value);
            self.set_balance(to, balance);
            self.env().emit_event(Transfer {
                from: None,
                to: Some(to),
                value,
            });
            Ok(())
        }

        fn balance_of_impl(&self, owner: AccountId) -> u128 {
            self.balances.get(owner).unwrap_or_default()
        }

        /// Stores a balance; a zero balance removes the entry, so storage shrinks.
        fn set_balance(&mut self, owner: AccountId, balance: u128) {
            if balance == 0 {
                self.balances.remove(owner);
            } else {
                self.balances.insert(owner, &balance);
            }
        }

        fn allowance_impl(&self, owner: AccountId, spender: AccountId) -> u128 {
            self.allowances.get((owner, spender)).unwrap_or_default()
        }

        /// Stores an allowance and emits `Approval`; zero removes the entry.
        fn set_allowance(&mut self, owner: AccountId, spender: AccountId, amount: u128) {
            if amount == 0 {
                self.allowances.remove((owner, spender));
            } else {
                self.allowances.insert((owner, spender), &amount);
            }
            self.env().emit_event(Approval {
                owner,
                spender,
                amount,
            });
        }

        /// Moves tokens between accounts; a self-transfer or zero value is a no-op.
        fn transfer_impl(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: u128,
        ) -> Result<(), PSP22Error> {
            if from == to || value == 0 {
                return Ok(());
            }
            let from_rest = self
                .balance_of_impl(from)
                .checked_sub(value)
                .ok_or(PSP22Error::InsufficientBalance)?;
            // The sum of balances is the supply, so no balance can overflow.
            let to_balance = self.balance_of_impl(to).saturating_add(value);
            self.set_balance(from, from_rest);
            self.set_balance(to, to_balance);
            self.env().emit_event(Transfer {
                from: Some(from),
                to: Some(to),
                value,
            });
            Ok(())
        }
    }

    impl PSP22 for LiveToken {
        #[ink(message)]
        fn total_supply(&self) -> u128 {
            self.total_supply
        }

        #[ink(message)]
        fn balance_of(&self, owner: AccountId) -> u128 {
            self.balance_of_impl(owner)
        }

        #[ink(message)]
        fn allowance(&self, owner: AccountId, spender: AccountId) -> u128 {
            self.allowance_impl(owner, spender)
        }

        #[ink(message)]
        fn transfer(
            &mut self,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            self.transfer_impl(self.env().caller(), to, value)
        }

        /// The allowance is checked before the balance, as the standard's reference
        /// implementation does; a self-transfer or zero value is a no-op.
        #[ink(message)]
        fn transfer_from(
            &mut self,
            from: AccountId,
            to: AccountId,
            value: u128,
            _data: Vec<u8>,
        ) -> Result<(), PSP22Error> {
            let spender = self.env().caller();
            if from == to || value == 0 {
                return Ok(());
            }
            if spender == from {
                return self.transfer_impl(from, to, value);
            }
            let allowance = self
                .allowance_impl(from, spender)
                .checked_sub(value)
                .ok_or(PSP22Error::InsufficientAllowance)?;
            self.transfer_impl(from, to, value)?;
            self.set_allowance(from, spender, allowance);
            Ok(())
        }

        #[ink(message)]
        fn approve(&mut self, spender: AccountId, value: u128) -> Result<(), PSP22Error> {
            let owner = self.env().caller();
            if owner != spender {
                self.set_allowance(owner, spender, value);
            }
            Ok(())
        }

        #[ink(message)]
        fn increase_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> Result<(), PSP22Error> {
            let owner = self.env().caller();
            if owner == spender || delta_value == 0 {
                return Ok(());
            }
            let amount = self
                .allowance_impl(owner, spender)
                .saturating_add(delta_value);
            self.set_allowance(owner, spender, amount);
            Ok(())
        }

        #[ink(message)]
        fn decrease_allowance(
            &mut self,
            spender: AccountId,
            delta_value: u128,
        ) -> Result<(), PSP22Error> {
            let owner = self.env().caller();
            if owner == spender || delta_value == 0 {
                return Ok(());
            }
            let amount = self
                .allowance_impl(owner, spender)
                .checked_sub(delta_value)
                .ok_or(PSP22Error::InsufficientAllowance)?;
            self.set_allowance(owner, spender, amount);
            Ok(())
        }
    }

    /// Every holder may destroy their own tokens.
    impl PSP22Burnable for LiveToken {
        #[ink(message)]
        fn burn(&mut self, value: u128) -> Result<(), PSP22Error> {
            if value == 0 {
                return Ok(());
            }
            let caller = self.env().caller();
            let rest = self
                .balance_of_impl(caller)
                .checked_sub(value)
                .ok_or(PSP22Error::InsufficientBalance)?;
            self.set_balance(caller, rest);
            // value <= balance <= total_supply
            self.total_supply = self.total_supply.saturating_sub(value);
            self.env().emit_event(Transfer {
                from: Some(caller),
                to: None,
                value,
            });
            Ok(())
        }
    }

    impl PSP22Metadata for LiveToken {
        #[ink(message)]
        fn token_name(&self) -> Option<String> {
            Some(String::from("livestars LIVE"))
        }

        #[ink(message)]
        fn token_symbol(&self) -> Option<String> {
            Some(String::from("LIVE"))
        }

        #[ink(message)]
        fn token_decimals(&self) -> u8 {
            DECIMALS
        }
    }

    impl Ownable2Step for LiveToken {
        /// The minter.
        #[ink(message)]
        fn owner(&self) -> AccountId {
            self.minter.owner()
        }

        #[ink(message)]
        fn pending_owner(&self) -> Option<AccountId> {
            self.minter.pending()
        }

        #[ink(message)]
        fn transfer_ownership(&mut self, new_owner: Option<AccountId>) -> Result<(), OwnableError> {
            self.minter.offer(self.env().caller(), new_owner)
        }

        #[ink(message)]
        fn accept_ownership(&mut self) -> Result<(), OwnableError> {
            self.minter.accept(self.env().caller())
        }
    }

    #[cfg(test)]
    #[allow(clippy::arithmetic_side_effects)]
    mod tests {
        use super::*;
        use ink::env::test::DefaultAccounts;
        use test_support::{accounts, assert_event, events, set_caller};

        const CAP: u128 = 1_000_000;
        const INITIAL: u128 = 1_000;

        /// A token instantiated by Alice with `INITIAL` of `CAP` minted to her.
        fn token() -> LiveToken {
            set_caller(accounts().alice);
            LiveToken::new(CAP, INITIAL).expect("valid supply")
        }

        #[ink::test]
        fn new_mints_the_initial_supply_to_the_instantiator() {
            let token = token();
            let alice = accounts().alice;
            assert_eq!(token.total_supply(), INITIAL);
            assert_eq!(token.balance_of(alice), INITIAL);
            assert_eq!(token.cap(), CAP);
            assert_eq!(token.owner(), alice);
            let events = events();
            assert_eq!(events.len(), 1);
            assert_event(
                &events[0],
                Transfer {
                    from: None,
                    to: Some(alice),
                    value: INITIAL,
                },
            );
        }

        #[ink::test]
        fn new_refuses_an_initial_supply_above_the_cap() {
            assert_eq!(LiveToken::new(10, 11).err(), Some(TokenError::CapExceeded));
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
            assert_eq!(token.balance_of(alice), 600);
            assert_eq!(token.balance_of(bob), 400);
            assert_eq!(token.total_supply(), INITIAL);
            let events = events();
            assert_eq!(events.len(), 2);
            assert_event(
                &events[1],
                Transfer {
                    from: Some(alice),
                    to: Some(bob),
                    value: 400,
                },
            );
        }

        #[ink::test]
        fn transfer_to_self_and_zero_value_are_silent_no_ops() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            assert_eq!(token.transfer(alice, 10, Vec::new()), Ok(()));
            assert_eq!(token.transfer(bob, 0, Vec::new()), Ok(()));
            assert_eq!(token.balance_of(alice), INITIAL);
            assert_eq!(token.balance_of(bob), 0);
            assert_eq!(events().len(), 1, "only the initial mint");
        }

        #[ink::test]
        fn transfer_beyond_balance_fails_and_emits_nothing() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            assert_eq!(
                token.transfer(bob, INITIAL + 1, Vec::new()),
                Err(PSP22Error::InsufficientBalance)
            );
            assert_eq!(token.balance_of(alice), INITIAL);
            assert_eq!(events().len(), 1);
        }

        #[ink::test]
        fn emptied_balances_leave_storage() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            token.transfer(bob, INITIAL, Vec::new()).unwrap();
            assert!(!token.balances.contains(alice));
            assert!(token.balances.contains(bob));
        }

        #[ink::test]
        fn approve_sets_the_allowance_and_emits_approval() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            assert_eq!(token.approve(bob, 300), Ok(()));
            assert_eq!(token.allowance(alice, bob), 300);
            assert_event(
                &events()[1],
                Approval {
                    owner: alice,
                    spender: bob,
                    amount: 300,
                },
            );
            assert_eq!(token.approve(bob, 0), Ok(()));
            assert!(!token.allowances.contains((alice, bob)));
        }

        #[ink::test]
        fn approving_oneself_is_a_silent_no_op() {
            let mut token = token();
            let alice = accounts().alice;
            assert_eq!(token.approve(alice, 5), Ok(()));
            assert_eq!(token.allowance(alice, alice), 0);
            assert_eq!(events().len(), 1);
        }

        #[ink::test]
        fn transfer_from_spends_the_allowance_and_emits_approval() {
            let mut token = token();
            let DefaultAccounts {
                alice,
                bob,
                charlie,
                ..
            } = accounts();
            token.approve(bob, 500).unwrap();
            set_caller(bob);
            assert_eq!(token.transfer_from(alice, charlie, 200, Vec::new()), Ok(()));
            assert_eq!(token.balance_of(alice), 800);
            assert_eq!(token.balance_of(charlie), 200);
            assert_eq!(token.allowance(alice, bob), 300);
            let events = events();
            assert_eq!(events.len(), 4);
            assert_event(
                &events[2],
                Transfer {
                    from: Some(alice),
                    to: Some(charlie),
                    value: 200,
                },
            );
            assert_event(
                &events[3],
                Approval {
                    owner: alice,
                    spender: bob,
                    amount: 300,
                },
            );
        }

        #[ink::test]
        fn transfer_from_checks_the_allowance_before_the_balance() {
            let mut token = token();
            let DefaultAccounts {
                alice,
                bob,
                charlie,
                ..
            } = accounts();
            token.approve(bob, 10).unwrap();
            set_caller(bob);
            // both short: the allowance error wins
            assert_eq!(
                token.transfer_from(alice, charlie, INITIAL + 1, Vec::new()),
                Err(PSP22Error::InsufficientAllowance)
            );
            set_caller(alice);
            token.approve(bob, INITIAL + 1).unwrap();
            set_caller(bob);
            // allowance enough, balance short
            assert_eq!(
                token.transfer_from(alice, charlie, INITIAL + 1, Vec::new()),
                Err(PSP22Error::InsufficientBalance)
            );
            assert_eq!(token.allowance(alice, bob), INITIAL + 1);
            assert_eq!(token.balance_of(alice), INITIAL);
            assert_eq!(events().len(), 3, "mint and two approvals only");
        }

        #[ink::test]
        fn transfer_from_ones_own_account_needs_no_allowance() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            assert_eq!(token.transfer_from(alice, bob, 10, Vec::new()), Ok(()));
            assert_eq!(token.balance_of(bob), 10);
            assert_eq!(events().len(), 2, "a transfer, no approval");
        }

        #[ink::test]
        fn transfer_from_to_self_or_of_zero_is_a_silent_no_op() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            set_caller(bob);
            assert_eq!(token.transfer_from(alice, alice, 5, Vec::new()), Ok(()));
            assert_eq!(token.transfer_from(alice, bob, 0, Vec::new()), Ok(()));
            assert_eq!(events().len(), 1);
        }

        #[ink::test]
        fn allowance_can_be_raised_and_lowered_but_not_below_zero() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            assert_eq!(token.increase_allowance(bob, 50), Ok(()));
            assert_eq!(token.increase_allowance(bob, 25), Ok(()));
            assert_eq!(token.decrease_allowance(bob, 70), Ok(()));
            assert_eq!(token.allowance(alice, bob), 5);
            assert_eq!(
                token.decrease_allowance(bob, 6),
                Err(PSP22Error::InsufficientAllowance)
            );
            assert_eq!(token.allowance(alice, bob), 5);
            // mint + three approvals; the failure emitted nothing
            assert_eq!(events().len(), 4);
            assert_eq!(token.increase_allowance(bob, 0), Ok(()));
            assert_eq!(token.decrease_allowance(alice, 1), Ok(()));
            assert_eq!(events().len(), 4);
            // the standard saturates instead of failing
            assert_eq!(token.increase_allowance(bob, u128::MAX), Ok(()));
            assert_eq!(token.allowance(alice, bob), u128::MAX);
        }

        #[ink::test]
        fn only_the_minter_mints_and_never_past_the_cap() {
            let mut token = token();
            let DefaultAccounts { alice, bob, .. } = accounts();
            set_caller(bob);
            assert_eq!(token.mint(bob, 1), Err(TokenError::NotMinter));
            set_caller(alice);
            assert_eq!(
                token.mint(bob, CAP - INITIAL + 1),
                Err(TokenError::CapExceeded)
            );
            assert_eq!(token.mint(bob, u128::MAX), Err(TokenError::CapExceeded));
            assert_eq!(events().len(), 1);
            assert_eq!(token.mint(bob, CAP - INITIAL), Ok(()));
            assert_eq!(token.total_supply(), CAP);
            assert_eq!(token.balance_of(bob), CAP - INITIAL);
            assert_event(
                &events()[1],
                Transfer {
                    from: None,
                    to: Some(bob),
                    value: CAP - INITIAL,
                },
            );
            assert_eq!(token.mint(bob, 1), Err(TokenError::CapExceeded));
        }

        #[ink::test]
        fn holders_burn_their_own_tokens() {
            let mut token = token();
            let alice = accounts().alice;
            assert_eq!(
                token.burn(INITIAL + 1),
                Err(PSP22Error::InsufficientBalance)
            );
            assert_eq!(token.burn(0), Ok(()));
            assert_eq!(events().len(), 1);
            assert_eq!(token.burn(400), Ok(()));
            assert_eq!(token.total_supply(), 600);
            assert_eq!(token.balance_of(alice), 600);
            assert_event(
                &events()[1],
                Transfer {
                    from: Some(alice),
                    to: None,
                    value: 400,
                },
            );
        }

        #[ink::test]
        fn the_minter_role_moves_in_two_steps() {
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
            assert_eq!(token.pending_owner(), Some(bob));
            assert_event(
                &events()[1],
                ownable::OwnershipOffered {
                    owner: alice,
                    pending: Some(bob),
                },
            );
            set_caller(charlie);
            assert_eq!(token.accept_ownership(), Err(OwnableError::NotPendingOwner));
            assert_eq!(token.owner(), alice);
            set_caller(bob);
            assert_eq!(token.accept_ownership(), Ok(()));
            assert_eq!(token.owner(), bob);
            assert_eq!(token.pending_owner(), None);
            assert_event(
                &events()[2],
                ownable::OwnershipTransferred {
                    previous: alice,
                    owner: bob,
                },
            );
            assert_eq!(token.mint(bob, 1), Ok(()));
            set_caller(alice);
            assert_eq!(token.mint(alice, 1), Err(TokenError::NotMinter));
        }
    }
}
