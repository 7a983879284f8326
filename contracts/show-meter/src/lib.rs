//! The billing of a private show (issue 12), as a stream: the viewer prepays a
//! deposit, the performer earns it per whole second at the per-minute price fixed
//! when the show opened, and either side may end the show at any time; the rest of
//! the deposit goes back to the viewer in the same call.
//!
//! Plain Rust with no chain dependency, so the contract that holds the deposit is a
//! thin shell over it and the rules are tested without ink! (as `settlement` is for
//! tips). Time is block time in milliseconds.
//!
//! - Earned by `now`: `floor(price_per_minute * whole_seconds / 60)`, never above the
//!   deposit; the clock stops when the show ends.
//! - The performer can never take more than that; the viewer gets back exactly
//!   `deposit - earned` at the end.
//! - Nothing is lost or created: `deposit == paid + refunded + held`, always, and
//!   `held == 0` once the show has ended.
#![cfg_attr(not(feature = "std"), no_std)]

/// Milliseconds in a billed second.
pub const MS_PER_SECOND: u64 = 1_000;
/// Seconds in the minute the price is quoted for.
pub const SECONDS_PER_MINUTE: u128 = 60;
/// The largest deposit a meter holds: `price * seconds` is then exact in `u128`
/// until the deposit is spent (a product that overflows is past the deposit).
pub const MAX_DEPOSIT: u128 = u128::MAX / SECONDS_PER_MINUTE;

/// Why the meter refused.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[cfg_attr(feature = "codec", ink::scale_derive(Encode, Decode, TypeInfo))]
pub enum MeterError {
    /// A show costs something per minute.
    ZeroPrice,
    /// The deposit (or a top-up) must pay for at least one minute.
    BelowOneMinute,
    /// Above [`MAX_DEPOSIT`].
    DepositTooLarge,
    /// The show has ended (or the deposit is spent, for a top-up).
    Ended,
}

/// What ending a show pays out.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
pub struct Settlement {
    /// Earned and not yet claimed.
    pub to_performer: u128,
    /// The deposit not earned.
    pub to_viewer: u128,
}

/// One show's meter.
#[derive(Debug, PartialEq, Eq, Clone, Copy)]
#[cfg_attr(feature = "codec", ink::scale_derive(Encode, Decode, TypeInfo))]
#[cfg_attr(
    all(feature = "codec", feature = "std"),
    derive(ink::storage::traits::StorageLayout)
)]
pub struct Meter {
    /// Fixed when the show opened: a later price change never applies to it.
    pub price_per_minute: u128,
    /// Everything the viewer put in: the opening deposit and any top-ups.
    pub deposit: u128,
    /// Block time (ms) the show opened.
    pub started_at: u64,
    /// Paid to the performer so far.
    pub paid: u128,
    /// Returned to the viewer (at the end).
    pub refunded: u128,
    /// Block time (ms) the show ended, once it has.
    pub ended_at: Option<u64>,
}

impl Meter {
    /// A show opened at `now` for `deposit` at `price_per_minute`.
    pub fn open(price_per_minute: u128, deposit: u128, now: u64) -> Result<Self, MeterError> {
        if price_per_minute == 0 {
            return Err(MeterError::ZeroPrice);
        }
        if deposit < price_per_minute {
            return Err(MeterError::BelowOneMinute);
        }
        if deposit > MAX_DEPOSIT {
            return Err(MeterError::DepositTooLarge);
        }
        Ok(Self {
            price_per_minute,
            deposit,
            started_at: now,
            paid: 0,
            refunded: 0,
            ended_at: None,
        })
    }

    /// Whole seconds billed by `now`: from the start to `now`, the end or the second
    /// the deposit was spent, whichever is first (0 for a clock before the start).
    pub fn billed_seconds(&self, now: u64) -> u64 {
        let until = self
            .ended_at
            .map_or(now, |end| end.min(now))
            .min(self.spent_at());
        until.saturating_sub(self.started_at) / MS_PER_SECOND
    }

    /// Earned by `now`: `floor(price * seconds / 60)`, at most the deposit.
    pub fn earned(&self, now: u64) -> u128 {
        let seconds = u128::from(self.billed_seconds(now));
        // Overflow means more than `u128::MAX / 60 >= deposit` minutes' worth: spent.
        self.price_per_minute
            .checked_mul(seconds)
            .map_or(self.deposit, |cost| {
                (cost / SECONDS_PER_MINUTE).min(self.deposit)
            })
    }

    /// The deposit still in the meter: not paid, not refunded.
    pub fn held(&self) -> u128 {
        self.deposit
            .saturating_sub(self.paid)
            .saturating_sub(self.refunded)
    }

    /// When the deposit is spent (ms): the first whole second at which `earned`
    /// reaches it.
    pub fn spent_at(&self) -> u64 {
        // The fewest seconds s with price * s >= 60 * deposit.
        let needed = self
            .deposit
            .saturating_mul(SECONDS_PER_MINUTE)
            .div_ceil(self.price_per_minute);
        let seconds = u64::try_from(needed).unwrap_or(u64::MAX);
        self.started_at
            .saturating_add(seconds.saturating_mul(MS_PER_SECOND))
    }

    /// What the performer may take now (earned, not yet paid), recorded as paid.
    pub fn claim(&mut self, now: u64) -> u128 {
        let due = self.earned(now).saturating_sub(self.paid);
        self.paid = self.paid.saturating_add(due);
        due
    }

    /// Ends the show at `now` (by either side): the performer's due and the viewer's
    /// refund, after which the meter holds nothing.
    pub fn end(&mut self, now: u64) -> Result<Settlement, MeterError> {
        if self.ended_at.is_some() {
            return Err(MeterError::Ended);
        }
        let to_performer = self.claim(now);
        self.ended_at = Some(now.max(self.started_at));
        let to_viewer = self.held();
        self.refunded = self.refunded.saturating_add(to_viewer);
        Ok(Settlement {
            to_performer,
            to_viewer,
        })
    }

    /// Adds `amount` to the deposit of a running show. Refused once the deposit is
    /// spent: the seconds in between were never paid for, and a top-up must not make
    /// them billable.
    pub fn top_up(&mut self, amount: u128, now: u64) -> Result<(), MeterError> {
        if self.ended_at.is_some() || self.earned(now) >= self.deposit {
            return Err(MeterError::Ended);
        }
        if amount < self.price_per_minute {
            return Err(MeterError::BelowOneMinute);
        }
        let deposit = self
            .deposit
            .checked_add(amount)
            .filter(|deposit| *deposit <= MAX_DEPOSIT)
            .ok_or(MeterError::DepositTooLarge)?;
        self.deposit = deposit;
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const START: u64 = 1_700_000_000_000;
    const PRICE: u128 = 60_000; // 1 000 base units a second

    #[test]
    fn opening_needs_a_price_a_minute_and_a_bounded_deposit() {
        assert_eq!(Meter::open(0, 10, START), Err(MeterError::ZeroPrice));
        assert_eq!(
            Meter::open(PRICE, PRICE - 1, START),
            Err(MeterError::BelowOneMinute)
        );
        assert_eq!(
            Meter::open(PRICE, MAX_DEPOSIT + 1, START),
            Err(MeterError::DepositTooLarge)
        );
        assert!(Meter::open(PRICE, PRICE, START).is_ok());
    }

    #[test]
    fn whole_seconds_are_billed_rounding_down() {
        let meter = Meter::open(PRICE, 10 * PRICE, START).unwrap();
        assert_eq!(meter.earned(START - 5_000), 0, "a clock before the start");
        assert_eq!(meter.earned(START + 999), 0);
        assert_eq!(meter.earned(START + 1_000), 1_000);
        assert_eq!(meter.earned(START + 59_999), 59_000);
        assert_eq!(meter.earned(START + 60_000), PRICE);
        // 7 a minute: 7 * 59 / 60 = 6.88 -> 6, then 7 at 60 s.
        let odd = Meter::open(7, 70, START).unwrap();
        assert_eq!(odd.earned(START + 59_000), 6);
        assert_eq!(odd.earned(START + 60_000), 7);
        // Spent after 10 minutes, and never beyond.
        assert_eq!(meter.spent_at(), START + 600_000);
        assert_eq!(meter.earned(START + 599_999), 10 * PRICE - 1_000);
        assert_eq!(meter.earned(START + 600_000), 10 * PRICE);
        assert_eq!(meter.earned(u64::MAX), 10 * PRICE);
        assert_eq!(
            meter.billed_seconds(u64::MAX),
            600,
            "the clock stops when spent"
        );
        assert_eq!(odd.spent_at(), START + 600_000);
    }

    #[test]
    fn claims_before_and_after_the_end_and_a_double_end() {
        let mut meter = Meter::open(PRICE, 10 * PRICE, START).unwrap();
        assert_eq!(meter.claim(START + 30_000), 30_000);
        assert_eq!(meter.claim(START + 30_500), 0, "the same second again");
        let settled = meter.end(START + 90_000).unwrap();
        assert_eq!(
            settled,
            Settlement {
                to_performer: 60_000,
                to_viewer: 10 * PRICE - 90_000
            }
        );
        assert_eq!(meter.held(), 0);
        assert_eq!(
            meter.claim(START + 500_000),
            0,
            "the clock stopped at the end"
        );
        assert_eq!(meter.end(START + 91_000), Err(MeterError::Ended));
        assert_eq!(meter.top_up(PRICE, START + 91_000), Err(MeterError::Ended));
    }

    #[test]
    fn an_abandoned_show_is_ended_by_either_side_alone() {
        // The viewer vanished: the performer ends it long after the deposit ran out.
        let mut meter = Meter::open(PRICE, 2 * PRICE, START).unwrap();
        let settled = meter.end(START + 3_600_000).unwrap();
        assert_eq!(
            settled,
            Settlement {
                to_performer: 2 * PRICE,
                to_viewer: 0
            }
        );
        // The performer vanished: the viewer ends it and gets the unearned rest.
        let mut meter = Meter::open(PRICE, 2 * PRICE, START).unwrap();
        let settled = meter.end(START + 10_000).unwrap();
        assert_eq!(
            settled,
            Settlement {
                to_performer: 10_000,
                to_viewer: 2 * PRICE - 10_000
            }
        );
    }

    #[test]
    fn top_ups_extend_a_running_show_only() {
        let mut meter = Meter::open(PRICE, PRICE, START).unwrap();
        assert_eq!(
            meter.top_up(PRICE - 1, START),
            Err(MeterError::BelowOneMinute)
        );
        meter.top_up(PRICE, START + 30_000).unwrap();
        assert_eq!(meter.spent_at(), START + 120_000);
        // Spent: the gap after it must not become billable through a top-up.
        assert_eq!(meter.top_up(PRICE, START + 120_000), Err(MeterError::Ended));
        assert_eq!(
            meter.top_up(MAX_DEPOSIT, START + 1_000),
            Err(MeterError::DepositTooLarge)
        );
    }

    #[derive(Debug, Clone)]
    enum Step {
        Claim(u64),
        TopUp(u64, u128),
        End(u64),
    }

    fn step() -> impl Strategy<Value = Step> {
        prop_oneof![
            (0..120_000u64).prop_map(Step::Claim),
            (0..120_000u64, 0..1_000_000u128).prop_map(|(dt, amount)| Step::TopUp(dt, amount)),
            (0..120_000u64).prop_map(Step::End),
        ]
    }

    proptest! {
        #[test]
        fn nothing_is_lost_or_created_and_nobody_takes_more_than_due(
            price in 1..1_000_000u128,
            minutes in 1..20u128,
            extra in 0..1_000_000u128,
            steps in prop::collection::vec(step(), 0..12),
        ) {
            let mut meter = Meter::open(price, price * minutes + extra, START).unwrap();
            let (mut now, mut performer, mut viewer) = (START, 0u128, 0u128);
            for step in steps {
                match step {
                    Step::Claim(dt) => {
                        now += dt;
                        performer += meter.claim(now);
                    }
                    Step::TopUp(dt, amount) => {
                        now += dt;
                        let _ = meter.top_up(amount, now);
                    }
                    Step::End(dt) => {
                        now += dt;
                        if let Ok(settled) = meter.end(now) {
                            performer += settled.to_performer;
                            viewer += settled.to_viewer;
                            prop_assert_eq!(meter.held(), 0);
                        }
                    }
                }
                prop_assert_eq!(meter.deposit, performer + viewer + meter.held());
                prop_assert_eq!((meter.paid, meter.refunded), (performer, viewer));
                let seconds = u128::from(meter.billed_seconds(now));
                prop_assert!(performer <= price * seconds / 60);
                prop_assert!(performer <= meter.deposit);
                if meter.ended_at.is_some() {
                    prop_assert_eq!(viewer, meter.deposit - meter.earned(now));
                }
            }
        }
    }
}
