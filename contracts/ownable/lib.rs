//! Two-step transfer of a contract's admin role, shared by the livestars contracts.
//!
//! A role handed to a mistyped account is lost for good, so the new holder must
//! accept it from their own account before it moves.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

use ink::env::DefaultEnvironment;
use ink::primitives::AccountId;

/// Why a role change was refused.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
pub enum OwnableError {
    /// Only the current owner may do this.
    NotOwner,
    /// Only the account the role was offered to may accept it.
    NotPendingOwner,
}

// Its events are declared with the others, in `livestars-abi`.
pub use livestars_abi::{OwnershipOffered, OwnershipTransferred};

/// The admin role's storage: its holder and the account it is offered to.
#[derive(Debug, Clone, PartialEq, Eq)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Ownable {
    owner: AccountId,
    pending: Option<AccountId>,
}

impl Ownable {
    /// The role held by `owner`, offered to nobody.
    pub fn new(owner: AccountId) -> Self {
        Self {
            owner,
            pending: None,
        }
    }

    /// The current holder.
    pub fn owner(&self) -> AccountId {
        self.owner
    }

    /// The account the role is offered to, if any.
    pub fn pending(&self) -> Option<AccountId> {
        self.pending
    }

    /// Refuses anyone but the holder.
    pub fn ensure_owner(&self, caller: AccountId) -> Result<(), OwnableError> {
        if caller == self.owner {
            Ok(())
        } else {
            Err(OwnableError::NotOwner)
        }
    }

    /// Offers the role to `pending`, or withdraws the offer with `None`.
    pub fn offer(
        &mut self,
        caller: AccountId,
        pending: Option<AccountId>,
    ) -> Result<(), OwnableError> {
        self.ensure_owner(caller)?;
        self.pending = pending;
        ink::env::emit_event::<DefaultEnvironment, _>(OwnershipOffered {
            owner: self.owner,
            pending,
        });
        Ok(())
    }

    /// Moves the role to the caller, who must be the account it was offered to.
    pub fn accept(&mut self, caller: AccountId) -> Result<(), OwnableError> {
        if self.pending != Some(caller) {
            return Err(OwnableError::NotPendingOwner);
        }
        let previous = self.owner;
        self.owner = caller;
        self.pending = None;
        ink::env::emit_event::<DefaultEnvironment, _>(OwnershipTransferred {
            previous,
            owner: caller,
        });
        Ok(())
    }
}

/// The messages every livestars contract offers for its admin role.
#[ink::trait_definition]
pub trait Ownable2Step {
    /// The admin account.
    #[ink(message)]
    fn owner(&self) -> AccountId;

    /// The account the admin role is offered to, if any.
    #[ink(message)]
    fn pending_owner(&self) -> Option<AccountId>;

    /// Offers the admin role to `new_owner` (`None` withdraws the offer); owner only.
    #[ink(message)]
    fn transfer_ownership(&mut self, new_owner: Option<AccountId>) -> Result<(), OwnableError>;

    /// Takes the admin role; only the account it was offered to.
    #[ink(message)]
    fn accept_ownership(&mut self) -> Result<(), OwnableError>;
}
