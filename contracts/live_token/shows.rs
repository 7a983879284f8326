//! Private shows, billed per second (`show-meter`): the performers' offers, the
//! open shows and their counter. The viewer's deposit waits in this contract's own
//! balance; what the performer earns divides like a tip (`tips.rs`), with the fee
//! and stake fixed when the show opened. Paying a show moves tokens, so these
//! flows raise their events into an [`Emit`] sink in order.

use crate::errors::{meter_error, settlement_error, Error, Result};
use crate::registry::Registry;
use crate::tips::{Emit, Payment};
use ink::storage::Mapping;
use livestars_abi::{
    AccountId, Balance, ShowEnded, ShowOpened, ShowPaid, ShowTermsChanged, ShowToppedUp,
    ViewerBlockChanged,
};
use settlement::divide;
use show_meter::Meter;

/// A performer's private-show offer.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct ShowTerms {
    pub price_per_minute: Balance,
    /// `false` pauses new shows; open ones run on.
    pub available: bool,
}

/// An open private show: its parties, the terms fixed when it opened, its meter.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[ink::scale_derive(Encode, Decode, TypeInfo)]
#[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
pub struct Show {
    pub viewer: AccountId,
    pub performer: AccountId,
    pub fee_bps: u16,
    pub burn_bps: u16,
    pub meter: Meter,
}

/// The offers, the open shows and how many have ever opened.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Shows {
    terms: Mapping<AccountId, ShowTerms>,
    /// Open shows by id; removed when they end.
    pub(crate) by_id: Mapping<u64, Show>,
    /// The open show of a (viewer, performer) pair: one at a time.
    by_pair: Mapping<(AccountId, AccountId), u64>,
    /// Shows ever opened: the next show's id.
    count: u64,
    /// `(performer, viewer)` pairs the performer blocked; removed when unblocked.
    blocked: Mapping<(AccountId, AccountId), ()>,
}

impl Shows {
    /// The performer's terms, if they offer any.
    pub fn terms(&self, performer: AccountId) -> Option<ShowTerms> {
        self.terms.get(performer)
    }

    pub fn show(&self, show_id: u64) -> Option<Show> {
        self.by_id.get(show_id)
    }

    pub fn between(&self, viewer: AccountId, performer: AccountId) -> Option<u64> {
        self.by_pair.get((viewer, performer))
    }

    pub fn count(&self) -> u64 {
        self.count
    }

    /// Sets a registered performer's price per minute and whether new shows may
    /// open; a price of 0 (with `available: false`) withdraws the offer.
    pub fn set_terms(
        &mut self,
        registry: &Registry,
        performer: AccountId,
        price_per_minute: Balance,
        available: bool,
    ) -> Result<ShowTermsChanged> {
        registry.entry(performer)?;
        if price_per_minute == 0 {
            if available {
                return Err(Error::ZeroAmount);
            }
            self.terms.remove(performer);
        } else {
            self.terms.insert(
                performer,
                &ShowTerms {
                    price_per_minute,
                    available,
                },
            );
        }
        Ok(ShowTermsChanged {
            performer,
            price_per_minute,
            available,
        })
    }

    /// Whether `performer` blocked `viewer`.
    pub fn is_blocked(&self, performer: AccountId, viewer: AccountId) -> bool {
        self.blocked.contains((performer, viewer))
    }

    /// Blocks (a registered performer only) or unblocks (anyone who blocked, even
    /// once erased: every entry has its removal) `viewer` for `performer`.
    pub fn set_blocked(
        &mut self,
        registry: &Registry,
        performer: AccountId,
        viewer: AccountId,
        blocked: bool,
    ) -> Result<ViewerBlockChanged> {
        if blocked {
            registry.entry(performer)?;
            if viewer == performer {
                return Err(Error::SelfTip);
            }
            self.blocked.insert((performer, viewer), &());
        } else {
            self.blocked.remove((performer, viewer));
        }
        Ok(ViewerBlockChanged {
            performer,
            viewer,
            blocked,
        })
    }

    /// Withdraws an erased performer's offer.
    pub fn remove_terms(&mut self, performer: AccountId) {
        self.terms.remove(performer);
    }

    /// Opens a show between `viewer` and `performer` at the performer's current
    /// price, refused above `max_price_per_minute` (the price the viewer agreed to:
    /// a price raised before the request executes never bills them):
    /// `deposit` moves from the viewer into `contract` (this contract's own
    /// account). Returns the show's id.
    #[allow(clippy::too_many_arguments)]
    pub fn open(
        &mut self,
        mut pay: Payment<'_>,
        viewer: AccountId,
        performer: AccountId,
        deposit: Balance,
        max_price_per_minute: Balance,
        contract: AccountId,
        events: &mut impl Emit,
    ) -> Result<u64> {
        let payee = pay.payee(viewer, performer, true)?;
        let terms = self
            .terms
            .get(performer)
            .filter(|terms| terms.available)
            .ok_or(Error::ShowsUnavailable)?;
        if terms.price_per_minute > max_price_per_minute {
            return Err(Error::PriceAboveBound);
        }
        if self.is_blocked(performer, viewer) {
            return Err(Error::ViewerBlocked);
        }
        if self.by_pair.contains((viewer, performer)) {
            return Err(Error::ShowAlreadyOpen);
        }
        let now = pay.now;
        let meter = Meter::open(terms.price_per_minute, deposit, now).map_err(meter_error)?;
        let show_id = self.count;
        let next = show_id.checked_add(1).ok_or(Error::Overflow)?;
        pay.token.debit(viewer, deposit)?;
        self.count = next;
        pay.credit(viewer, contract, deposit, events);
        let show = Show {
            viewer,
            performer,
            fee_bps: payee.fee.fee_bps,
            burn_bps: payee.burn_bps,
            meter,
        };
        self.by_id.insert(show_id, &show);
        self.by_pair.insert((viewer, performer), &show_id);
        events.emit(ShowOpened {
            viewer,
            performer,
            show_id,
            price_per_minute: terms.price_per_minute,
            deposit,
            fee_bps: payee.fee.fee_bps,
            burn_bps: payee.burn_bps,
            at: now,
        });
        Ok(show_id)
    }

    /// Adds `amount` to the deposit of `viewer`'s running show, refused if its
    /// price (fixed at opening) is above `max_price_per_minute`, the price the
    /// viewer's client showed.
    #[allow(clippy::too_many_arguments)]
    pub fn top_up(
        &mut self,
        mut pay: Payment<'_>,
        viewer: AccountId,
        show_id: u64,
        amount: Balance,
        max_price_per_minute: Balance,
        contract: AccountId,
        events: &mut impl Emit,
    ) -> Result<()> {
        let mut show = self.by_id.get(show_id).ok_or(Error::NoSuchShow)?;
        if show.viewer != viewer {
            return Err(Error::NotAParty);
        }
        if show.meter.price_per_minute > max_price_per_minute {
            return Err(Error::PriceAboveBound);
        }
        if self.is_blocked(show.performer, viewer) {
            return Err(Error::ViewerBlocked);
        }
        show.meter.top_up(amount, pay.now).map_err(meter_error)?;
        pay.token.debit(viewer, amount)?;
        pay.credit(viewer, contract, amount, events);
        self.by_id.insert(show_id, &show);
        events.emit(ShowToppedUp {
            viewer,
            performer: show.performer,
            show_id,
            amount,
            deposit: show.meter.deposit,
            at: pay.now,
        });
        Ok(())
    }

    /// Pays `performer` what their show has earned and not yet paid. Returns the
    /// gross paid.
    pub fn claim(
        &mut self,
        mut pay: Payment<'_>,
        performer: AccountId,
        show_id: u64,
        contract: AccountId,
        events: &mut impl Emit,
    ) -> Result<Balance> {
        let mut show = self.by_id.get(show_id).ok_or(Error::NoSuchShow)?;
        if show.performer != performer {
            return Err(Error::NotAParty);
        }
        let due = show.meter.claim(pay.now);
        show.pay(show_id, due, &mut pay, contract, events)?;
        self.by_id.insert(show_id, &show);
        Ok(due)
    }

    /// Ends a show on `caller`'s call: the performer is paid what was earned, the
    /// viewer gets the rest back, and the show's storage is removed. Either party
    /// may end it at any time; anyone may end a show whose deposit is spent.
    pub fn end(
        &mut self,
        mut pay: Payment<'_>,
        caller: AccountId,
        show_id: u64,
        contract: AccountId,
        events: &mut impl Emit,
    ) -> Result<()> {
        let now = pay.now;
        let mut show = self.by_id.get(show_id).ok_or(Error::NoSuchShow)?;
        let party = caller == show.viewer || caller == show.performer;
        if !party && show.meter.earned(now) < show.meter.deposit {
            return Err(Error::NotAParty);
        }
        let settlement = show.meter.end(now).map_err(meter_error)?;
        show.pay(show_id, settlement.to_performer, &mut pay, contract, events)?;
        pay.token.release(contract, settlement.to_viewer);
        pay.credit(contract, show.viewer, settlement.to_viewer, events);
        self.by_id.remove(show_id);
        self.by_pair.remove((show.viewer, show.performer));
        events.emit(ShowEnded {
            viewer: show.viewer,
            performer: show.performer,
            show_id,
            ended_by: caller,
            deposit: show.meter.deposit,
            paid: show.meter.paid,
            refunded: show.meter.refunded,
            billed_seconds: show.meter.billed_seconds(now),
            at: now,
        });
        Ok(())
    }
}

impl Show {
    /// Pays `gross` of the deposit, held by `contract`: divided like a tip with the
    /// fee and stake fixed at opening, the splits the performer names now, the
    /// stake counted in the rating. Never refuses on the performer's later
    /// changes, so a show can always be ended.
    fn pay(
        &self,
        show_id: u64,
        gross: Balance,
        pay: &mut Payment<'_>,
        contract: AccountId,
        events: &mut impl Emit,
    ) -> Result<()> {
        if gross == 0 {
            return Ok(());
        }
        let treasury = pay.schedules.settle_treasury(pay.now);
        let splits = pay
            .registry
            .get(self.performer)
            .map(|entry| entry.splits)
            .unwrap_or_default();
        // Splits a performer widened after lowering their fee cap may no longer
        // fit beside the fixed fee: the performer is then paid without them.
        let division = divide(gross, self.fee_bps, self.burn_bps, &splits)
            .or_else(|_| divide(gross, self.fee_bps, self.burn_bps, &[]))
            .map_err(settlement_error)?;
        if division.burned > 0 {
            pay.ratings
                .stake(self.viewer, self.performer, division.burned, pay.now)?;
        }
        pay.token.release(contract, gross);
        pay.pay_out(contract, treasury, self.performer, &division, events);
        events.emit(ShowPaid {
            viewer: self.viewer,
            performer: self.performer,
            show_id,
            gross,
            platform_fee: division.platform_fee,
            treasury,
            burned: division.burned,
            splits: division.splits,
            net: division.net,
            at: pay.now,
        });
        Ok(())
    }
}
