use super::clock::{
    decayed, epoch_of, grow, rebase, EPOCH_TICKS, GROW, HALF_LIFE_TICKS, ONE, SHRINK,
};
use super::*;
use proptest::prelude::*;

const LIVE: u128 = 1_000_000_000_000;

/// Stake of `amount` counted at `from`, read at `to`, through the public steps.
fn decay_between(amount: u128, from: u64, to: u64) -> u128 {
    let grown = grow(amount, from).unwrap();
    decayed(rebase(grown, epoch_of(from), epoch_of(to)), to)
}

/// The exact value, in floating point, for the error bound.
fn exact(amount: u128, from: u64, to: u64) -> f64 {
    amount as f64 * 2f64.powf(-((to - from) as f64) / HALF_LIFE_TICKS as f64)
}

#[test]
fn the_published_factors_are_powers_of_two() {
    // GROW[b]^2 = GROW[b + 1] and GROW[8]^2 = 2, each within the rounding of Q63.
    for b in 0..9 {
        let square = mul_div_floor(GROW[b], GROW[b], ONE).unwrap();
        let target = if b == 8 { 2 * ONE } else { GROW[b + 1] };
        assert!(square.abs_diff(target) <= 2, "GROW[{b}]");
        let product = mul_div_floor(GROW[b], SHRINK[b], ONE).unwrap();
        assert!(product.abs_diff(ONE) <= 1, "GROW[{b}] * SHRINK[{b}]");
    }
}

#[test]
fn stake_halves_once_per_half_life() {
    let h = HALF_LIFE_TICKS;
    assert_eq!(decay_between(1 << 40, 0, 0), 1 << 40);
    assert_eq!(decay_between(1 << 40, 0, h), 1 << 39);
    assert_eq!(decay_between(1 << 40, 0, 3 * h), 1 << 37);
    // across an epoch boundary, from any start
    assert_eq!(
        decay_between(1 << 40, EPOCH_TICKS - 1, EPOCH_TICKS - 1 + h),
        (1 << 39) - 1
    );
    assert_eq!(decay_between(u128::from(u64::MAX), 0, 200 * h), 0);
    let half_way = decay_between(1_000_000 * LIVE, 0, h / 2);
    assert!((half_way as f64 / (1_000_000 * LIVE) as f64 - 0.5f64.sqrt()).abs() < 1e-12);
}

#[test]
fn grow_refuses_more_than_the_counted_maximum() {
    assert!(grow(MAX_COUNTED, EPOCH_TICKS - 1).is_ok());
    assert_eq!(grow(MAX_COUNTED + 1, 0), Err(Overflow));
}

#[test]
fn a_newcomer_starts_at_the_prior() {
    let rating = Score::default().rating(&Params::LAUNCH, 0);
    assert_eq!(rating.stars_milli, 3_000);
    assert_eq!(rating.support_ppm, 0);
    assert_eq!(rating.rating_ppm, 300_000);
}

#[test]
fn worked_example_of_the_docs() {
    // 1 000 LIVE of tips burn 10 LIVE of stake = K: support 50%. A 5-star vote of
    // that stake against the prior's 1 LIVE: (1 * 3000 + 10 * 5000) / 11 = 4818.
    let (mut score, mut entry) = (Score::default(), Contribution::default());
    score.stake(&mut entry, 10 * LIVE, 0).unwrap();
    score.vote(&mut entry, 5, 0).unwrap();
    let rating = score.rating(&Params::LAUNCH, 0);
    assert_eq!(rating.support, 10 * LIVE);
    assert_eq!(rating.support_ppm, 500_000);
    assert_eq!(rating.stars_milli, 4_818);
    assert_eq!(rating.rating_ppm, (4_818 * 200 + 500_000) / 2);
    let later = score.rating(&Params::LAUNCH, HALF_LIFE_TICKS);
    assert_eq!(later.support, 5 * LIVE);
    assert_eq!(later.support_ppm, 333_333);
    // the vote fades with the stake behind it: (3000 + 5 * 5000) / 6 = 4666
    assert_eq!(later.stars_milli, 4_666);
}

#[test]
fn withdrawing_restores_the_score_exactly() {
    let (mut score, mut alice, mut bob) = (
        Score::default(),
        Contribution::default(),
        Contribution::default(),
    );
    score.stake(&mut alice, 3 * LIVE, 10).unwrap();
    let before = score;
    score.stake(&mut bob, 7 * LIVE, 20).unwrap();
    score.vote(&mut bob, 1, 30).unwrap();
    let taken = score.withdraw(&bob, 40);
    assert_eq!(taken, decay_between(7 * LIVE, 20, 40));
    assert_eq!(score.support, before.support);
    assert_eq!(
        (score.vote_weight, score.vote_stars, score.voters),
        (0, 0, 0)
    );
}

#[test]
fn a_spent_score_rates_like_no_score() {
    let (mut score, mut entry) = (Score::default(), Contribution::default());
    score.stake(&mut entry, LIVE, 0).unwrap();
    assert!(!score.is_spent(0));
    let much_later = 130 * HALF_LIFE_TICKS;
    assert!(score.is_spent(much_later));
    assert_eq!(
        score.rating(&Params::LAUNCH, much_later),
        Score {
            voters: 0,
            ..Score::default()
        }
        .rating(&Params::LAUNCH, much_later)
    );
}

#[test]
fn params_bounds_refuse_degenerate_values() {
    assert_eq!(Params::LAUNCH.validate(), Ok(()));
    let cases = [
        (
            Params {
                burn_bps: 0,
                ..Params::LAUNCH
            },
            ParamsError::BurnOutOfRange,
        ),
        (
            Params {
                burn_bps: 201,
                ..Params::LAUNCH
            },
            ParamsError::BurnOutOfRange,
        ),
        (
            Params {
                prior_weight: 0,
                ..Params::LAUNCH
            },
            ParamsError::PriorWeightOutOfRange,
        ),
        (
            Params {
                support_half_saturation: 1,
                ..Params::LAUNCH
            },
            ParamsError::HalfSaturationOutOfRange,
        ),
        (
            Params {
                prior_stars_milli: 999,
                ..Params::LAUNCH
            },
            ParamsError::PriorStarsOutOfRange,
        ),
        (
            Params {
                star_weight_bps: 10_001,
                ..Params::LAUNCH
            },
            ParamsError::StarWeightOutOfRange,
        ),
    ];
    for (params, error) in cases {
        assert_eq!(params.validate(), Err(error));
    }
}

#[test]
fn a_scheduled_value_applies_exactly_after_the_delay() {
    let mut fee = Scheduled::new(250u16);
    assert_eq!(fee.announce(100, 1_000), Ok(1_000 + CHANGE_DELAY_MS));
    assert_eq!(fee.at(1_000 + CHANGE_DELAY_MS - 1), 250);
    assert_eq!(fee.at(1_000 + CHANGE_DELAY_MS), 100);
    assert!(!fee.settle(1_000 + CHANGE_DELAY_MS - 1));
    // a new announcement replaces a pending one
    fee.announce(300, 2_000).unwrap();
    assert_eq!(fee.at(1_000 + CHANGE_DELAY_MS), 250);
    assert_eq!(fee.at(2_000 + CHANGE_DELAY_MS), 300);
    assert!(fee.settle(2_000 + CHANGE_DELAY_MS));
    assert_eq!(fee, Scheduled::new(300));
    assert_eq!(fee.announce(1, u64::MAX), Err(Overflow));
}

/// One event in a random history: which supporter, and what they did.
#[derive(Debug, Clone)]
enum Op {
    Stake(usize, u128),
    Vote(usize, u8),
    Withdraw(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0..4usize, 1..=1_000_000 * LIVE).prop_map(|(who, amount)| Op::Stake(who, amount)),
        (0..4usize, 1..=5u8).prop_map(|(who, stars)| Op::Vote(who, stars)),
        (0..4usize).prop_map(Op::Withdraw),
    ]
}

/// Replays `ops` at increasing ticks; `touch` re-reads and re-stores the score
/// (as an unrelated state change would) at every tick in between.
fn replay(ops: &[(Op, u64)], touch: bool) -> (Score, [Contribution; 4]) {
    let (mut score, mut entries) = (Score::default(), [Contribution::default(); 4]);
    let mut tick = 0;
    for (op, gap) in ops {
        if touch {
            for step in 0..*gap {
                // an unrelated supporter's zero-stake touch, then a rebase of everybody
                let mut stranger = Contribution::default();
                let _ = score.stake(&mut stranger, 0, tick + step);
            }
        }
        tick += gap;
        match *op {
            Op::Stake(who, amount) => score.stake(&mut entries[who], amount, tick).unwrap(),
            Op::Vote(who, stars) => {
                score.vote(&mut entries[who], stars, tick).unwrap();
            }
            Op::Withdraw(who) => {
                score.withdraw(&entries[who], tick);
                entries[who] = Contribution::default();
            }
        }
    }
    (score, entries)
}

proptest! {
    #[test]
    fn mul_div_matches_exact_arithmetic(a in any::<u64>(), b in any::<u64>(), c in 1..u128::MAX) {
        let (a, b) = (u128::from(a), u128::from(b));
        prop_assert_eq!(mul_div_floor(a, b, c), Some(a * b / c));
    }

    #[test]
    fn decay_is_within_the_stated_error_of_the_exact_value(
        amount in 0..=MAX_COUNTED,
        from in 0..100 * EPOCH_TICKS,
        elapsed in 0..40 * HALF_LIFE_TICKS,
    ) {
        let to = from + elapsed;
        let got = decay_between(amount, from, to) as f64;
        let want = exact(amount, from, to);
        // at most 2 units, plus 2^-58 of the value
        prop_assert!((got - want).abs() <= 2.0 + want * 2f64.powi(-58) + want * 1e-15, "{} vs {}", got, want);
        prop_assert!(got <= want * (1.0 + 1e-15) + 1.0);
    }

    #[test]
    fn decay_never_increases_with_time(amount in 0..=MAX_COUNTED, from in 0..10 * EPOCH_TICKS, a in 0..5 * EPOCH_TICKS, b in 0..5 * EPOCH_TICKS) {
        let (early, late) = (from + a.min(b), from + a.max(b));
        prop_assert!(decay_between(amount, from, late) <= decay_between(amount, from, early));
    }

    #[test]
    fn unrelated_touches_change_nothing(
        ops in prop::collection::vec((op(), 0..2 * EPOCH_TICKS / 3), 1..12),
    ) {
        let quiet = replay(&ops, false);
        let touched = replay(&ops, true);
        let end = ops.iter().map(|(_, gap)| gap).sum::<u64>() + 1;
        prop_assert_eq!(quiet.0.rating(&Params::LAUNCH, end), touched.0.rating(&Params::LAUNCH, end));
    }

    #[test]
    fn the_score_holds_at_least_its_entries_and_withdrawing_all_empties_it(
        ops in prop::collection::vec((op(), 0..3 * EPOCH_TICKS), 1..16),
    ) {
        let (mut score, entries) = replay(&ops, false);
        let mut tick = ops.iter().map(|(_, gap)| gap).sum::<u64>();
        for entry in entries {
            tick += 7;
            let stake_before = score.rating(&Params::LAUNCH, tick).support;
            let taken = score.withdraw(&entry, tick);
            let stake_after = score.rating(&Params::LAUNCH, tick).support;
            // exactly their decayed stake leaves (within the floor of one read)
            prop_assert!(stake_before - stake_after >= taken.saturating_sub(1));
            prop_assert!(stake_before - stake_after <= taken + 1);
        }
        // what is left is rounding dust: at most a unit per operation
        let left = score.rating(&Params::LAUNCH, tick);
        prop_assert!(left.support <= ops.len() as u128 + 1);
        prop_assert_eq!(left.voters, 0);
    }

    #[test]
    fn splitting_stake_across_accounts_buys_no_more(
        amount in 1..=1_000_000 * LIVE,
        parts in 1..50u128,
        tick in 0..3 * EPOCH_TICKS,
        later in 0..EPOCH_TICKS,
    ) {
        let mut one = Score::default();
        let mut whale = Contribution::default();
        one.stake(&mut whale, amount, tick).unwrap();
        one.vote(&mut whale, 5, tick).unwrap();
        let mut many = Score::default();
        let share = amount / parts;
        for _ in 0..parts {
            let mut sybil = Contribution::default();
            many.stake(&mut sybil, share, tick).unwrap();
            many.vote(&mut sybil, 5, tick).unwrap();
        }
        let (one, many) = (one.rating(&Params::LAUNCH, tick + later), many.rating(&Params::LAUNCH, tick + later));
        prop_assert!(many.rating_ppm <= one.rating_ppm);
        prop_assert!(many.support <= one.support);
    }

    #[test]
    fn more_stake_never_lowers_support(a in 0..=1_000_000 * LIVE, b in 0..=1_000_000 * LIVE, tick in 0..3 * EPOCH_TICKS) {
        let (mut small, mut large) = (Score::default(), Score::default());
        small.stake(&mut Contribution::default(), a.min(b), tick).unwrap();
        large.stake(&mut Contribution::default(), a.max(b), tick).unwrap();
        let (small, large) = (small.rating(&Params::LAUNCH, tick), large.rating(&Params::LAUNCH, tick));
        prop_assert!(small.support <= large.support && small.support_ppm <= large.support_ppm);
    }

    #[test]
    fn no_overflow_anywhere_in_range(
        amounts in prop::collection::vec(0..=MAX_COUNTED / 64, 1..32),
        tick in 0..u64::MAX / 2,
        stars in 1..=5u8,
        params_stars in 1_000..=5_000u32,
    ) {
        let params = Params { prior_stars_milli: params_stars, ..Params::LAUNCH };
        let mut score = Score::default();
        for amount in amounts {
            let mut entry = Contribution::default();
            prop_assert_eq!(score.stake(&mut entry, amount, tick), Ok(()));
            prop_assert_eq!(score.vote(&mut entry, stars, tick).map(|_| ()), Ok(()));
        }
        let rating = score.rating(&params, tick);
        prop_assert!(rating.rating_ppm <= PPM);
        prop_assert!((1_000..=5_000).contains(&rating.stars_milli));
    }
}
