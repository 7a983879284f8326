//! Tips, and the division path every payment to a performer takes: the checks
//! (registered, attested, fee accepted, nothing back to the payer), the division
//! (`settlement`), the stake counted in the rating, and the moves out of the
//! payer's balance. Tips count here; private shows (`shows.rs`) pay the same way.
//!
//! A payment moves tokens between its checks and its record, so it raises its
//! events into an [`Emit`] sink, in the order they happen, instead of returning
//! them: no list is allocated on the way.

use crate::attestations::Attestations;
use crate::errors::{settlement_error, Error, Result};
use crate::params::{PlatformFee, Schedules};
use crate::ratings::Ratings;
use crate::registry::Registry;
use crate::token::Token;
use ink::prelude::vec::Vec;
use livestars_abi::{AccountId, Balance, Commitment, Split, Timestamp, Tipped};
use settlement::divide;

/// How one tip divides.
pub type Division = settlement::Division<AccountId>;

/// Where a payment raises its events; the contract emits each as it comes.
pub trait Emit {
    fn emit<E: ink::env::Event>(&mut self, event: E);

    /// Raises `event`, if there is one.
    fn emit_some<E: ink::env::Event>(&mut self, event: Option<E>) {
        if let Some(event) = event {
            self.emit(event);
        }
    }
}

/// The storage a payment reads and moves, borrowed from the contract for one call.
pub struct Payment<'a> {
    pub schedules: &'a mut Schedules,
    pub registry: &'a Registry,
    pub attestations: &'a Attestations,
    pub token: &'a mut Token,
    pub ratings: &'a mut Ratings,
    /// The block time of the call.
    pub now: Timestamp,
}

/// Whom a payment goes to and on what terms, checked before anything moves.
pub struct Payee {
    /// The performer's splits.
    pub splits: Vec<Split>,
    /// The platform fee in force.
    pub fee: PlatformFee,
    /// The rating stake in force (bps).
    pub burn_bps: u16,
}

/// A tip as the viewer sends it.
pub struct Tip {
    pub viewer: AccountId,
    pub performer: AccountId,
    /// What leaves the viewer.
    pub gross: Balance,
    pub memo: Option<Commitment>,
}

/// Checks that `viewer` may pay `performer` under the platform `fee` and rating
/// stake `burn_bps` (0 for a native tip, which burns nothing): registered, attested,
/// fee and stake accepted, no share back to the viewer. What a tip, a show and a
/// quote all check.
fn check_payee(
    registry: &Registry,
    attestations: &Attestations,
    viewer: AccountId,
    performer: AccountId,
    fee: PlatformFee,
    burn_bps: u16,
) -> Result<Payee> {
    if viewer == performer {
        return Err(Error::SelfTip);
    }
    let entry = registry.entry(performer)?;
    if !attestations.holds(entry.adult) {
        return Err(Error::NotAttested);
    }
    if fee.fee_bps.saturating_add(burn_bps) > entry.max_fee_bps {
        return Err(Error::FeeNotAccepted);
    }
    if fee.treasury == viewer || entry.splits.iter().any(|split| split.recipient == viewer) {
        return Err(Error::SelfTransfer);
    }
    Ok(Payee {
        splits: entry.splits,
        fee,
        burn_bps,
    })
}

/// Divides a LIVE tip of `gross` for `payee`; refused when it is nothing or burns
/// nothing.
fn divide_live(gross: Balance, payee: &Payee) -> Result<Division> {
    if gross == 0 {
        return Err(Error::ZeroAmount);
    }
    let division = divide(gross, payee.fee.fee_bps, payee.burn_bps, &payee.splits)
        .map_err(settlement_error)?;
    if division.burned == 0 {
        return Err(Error::TipTooSmall);
    }
    Ok(division)
}

impl Payment<'_> {
    /// Checks that `viewer` may pay `performer` now (see [`check_payee`]), settling
    /// the fee and parameters that apply by now; `live` is false for a native tip,
    /// which burns nothing and so is charged no stake.
    pub fn payee(&mut self, viewer: AccountId, performer: AccountId, live: bool) -> Result<Payee> {
        let (fee, burn_bps) = self.schedules.settle(self.now);
        let burn_bps = if live { burn_bps } else { 0 };
        check_payee(
            self.registry,
            self.attestations,
            viewer,
            performer,
            fee,
            burn_bps,
        )
    }

    /// Checks a LIVE tip and divides it; nothing moves yet. Returns the fee in force.
    pub fn divide_live(&mut self, tip: &Tip) -> Result<(Division, PlatformFee)> {
        let payee = self.payee(tip.viewer, tip.performer, true)?;
        Ok((divide_live(tip.gross, &payee)?, payee.fee))
    }

    /// Checks a native tip and divides it, burning nothing; nothing moves yet.
    /// Returns the fee in force.
    pub fn divide_native(&mut self, tip: &Tip) -> Result<(Division, PlatformFee)> {
        if tip.gross == 0 {
            return Err(Error::ZeroAmount);
        }
        let payee = self.payee(tip.viewer, tip.performer, false)?;
        let division =
            divide(tip.gross, payee.fee.fee_bps, 0, &payee.splits).map_err(settlement_error)?;
        Ok((division, payee.fee))
    }

    /// Moves `division` of what was taken out of `from` already: the fee to
    /// `treasury`, each split, the rest to `performer`, and burns the stake.
    pub fn pay_out(
        &mut self,
        from: AccountId,
        treasury: AccountId,
        performer: AccountId,
        division: &Division,
        events: &mut impl Emit,
    ) {
        self.credit(from, treasury, division.platform_fee, events);
        for (recipient, share) in &division.splits {
            self.credit(from, *recipient, *share, events);
        }
        self.credit(from, performer, division.net, events);
        events.emit_some(self.token.burn_debited(from, division.burned));
    }

    /// Credits `value` paid by `from` (already debited) to `to`.
    pub fn credit(
        &mut self,
        from: AccountId,
        to: AccountId,
        value: Balance,
        events: &mut impl Emit,
    ) {
        events.emit_some(self.token.credit(from, to, value));
    }
}

/// How a LIVE tip of `amount` from `viewer` to `performer` would divide at `now`,
/// or the refusal the tip would meet (every check of a tip but the balance).
pub fn quote(
    schedules: &Schedules,
    registry: &Registry,
    attestations: &Attestations,
    viewer: AccountId,
    performer: AccountId,
    amount: Balance,
    now: Timestamp,
) -> Result<Division> {
    let fee = schedules.fee_at(now);
    let burn_bps = schedules.params_at(now).params.burn_bps;
    let payee = check_payee(registry, attestations, viewer, performer, fee, burn_bps)?;
    divide_live(amount, &payee)
}

/// The tip counter.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Tips {
    count: u64,
}

impl Tips {
    /// Number of tips settled so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Settles a LIVE tip out of the viewer's balance: every share lands in this
    /// call and the stake is burned and counted. `contract` is this token.
    /// Returns the tip's id.
    pub fn tip(
        &mut self,
        mut pay: Payment<'_>,
        tip: Tip,
        contract: AccountId,
        events: &mut impl Emit,
    ) -> Result<u64> {
        let (division, fee) = pay.divide_live(&tip)?;
        pay.token.debit(tip.viewer, tip.gross)?;
        pay.ratings
            .stake(tip.viewer, tip.performer, division.burned, pay.now)?;
        pay.pay_out(tip.viewer, fee.treasury, tip.performer, &division, events);
        self.settled(tip, Some(contract), division, fee.treasury, pay.now, events)
    }

    /// Settles a tip in the native currency sent with the call, which `send`
    /// forwards share by share. It divides like a LIVE tip but burns nothing, so
    /// it does not feed the rating. Returns the tip's id.
    pub fn tip_native(
        &mut self,
        mut pay: Payment<'_>,
        tip: Tip,
        mut send: impl FnMut(AccountId, Balance) -> Result<()>,
        events: &mut impl Emit,
    ) -> Result<u64> {
        let (division, fee) = pay.divide_native(&tip)?;
        let mut send = |to, amount| {
            if amount == 0 {
                Ok(())
            } else {
                send(to, amount)
            }
        };
        send(fee.treasury, division.platform_fee)?;
        for (recipient, share) in &division.splits {
            send(*recipient, *share)?;
        }
        send(tip.performer, division.net)?;
        self.settled(tip, None, division, fee.treasury, pay.now, events)
    }

    /// Counts a settled tip and raises `Tipped`.
    fn settled(
        &mut self,
        tip: Tip,
        token: Option<AccountId>,
        division: Division,
        treasury: AccountId,
        at: Timestamp,
        events: &mut impl Emit,
    ) -> Result<u64> {
        let tip_id = self.count;
        self.count = tip_id.checked_add(1).ok_or(Error::Overflow)?;
        events.emit(Tipped {
            viewer: tip.viewer,
            performer: tip.performer,
            tip_id,
            token,
            gross: tip.gross,
            platform_fee: division.platform_fee,
            treasury,
            burned: division.burned,
            splits: division.splits,
            net: division.net,
            memo: tip.memo,
            at,
        });
        Ok(tip_id)
    }
}
