use super::*;
use proptest::prelude::*;

const DAY_MS: u64 = 24 * 3_600_000;

fn reference_mul_div(a: u128, b: u128, c: u128) -> Option<u128> {
    // Schoolbook check through u128 when the product fits.
    a.checked_mul(b).map(|product| product / c)
}

/// Adds a counted tip that raised one supporter's total from `previous` to `new`.
fn add_tip(
    score: &mut Score,
    params: &Params,
    previous: u128,
    new: u128,
    now: u64,
) -> Result<(), Overflow> {
    let increment = support_increment(previous, new)?;
    score.support.add(params, increment, now)
}

#[test]
fn mul_div_matches_exact_arithmetic_at_the_edges() {
    assert_eq!(
        mul_div_floor(u128::MAX, u128::MAX, u128::MAX),
        Some(u128::MAX)
    );
    assert_eq!(mul_div_floor(u128::MAX, 2, 4), Some(u128::MAX / 2));
    assert_eq!(mul_div_floor(u128::MAX, 3, 2), None);
    assert_eq!(mul_div_floor(7, 3, 0), None);
    assert_eq!(mul_div_floor(1 << 100, 1 << 100, 1 << 120), Some(1 << 80));
    assert_eq!(mul_div_floor(10, 10, 3), Some(33));
}

#[test]
fn decay_halves_once_per_half_life_and_interpolates_between() {
    let h = 30 * DAY_MS;
    assert_eq!(decay(1_000_000, 0, h), 1_000_000);
    assert_eq!(decay(1_000_000, h, h), 500_000);
    assert_eq!(decay(1_000_000, 2 * h, h), 250_000);
    assert_eq!(decay(1_000_000, h / 2, h), 750_000);
    assert_eq!(decay(1_000_000, h + h / 2, h), 375_000);
    assert_eq!(decay(u128::MAX, 200 * h, h), 0);
    assert_eq!(decay(u128::MAX, u64::MAX, MIN_HALF_LIFE_MS), 0);
}

#[test]
fn one_five_star_vote_does_not_beat_a_hundred_high_votes() {
    let params = Params::LAUNCH;
    let one_five = bayesian_stars_milli(&params, 1, 5);
    // a hundred votes averaging 4.8: 80 fives and 20 fours
    let hundred = bayesian_stars_milli(&params, 100, 80 * 5 + 20 * 4);
    assert_eq!(one_five, 3_181);
    assert_eq!(hundred, 4_636);
    assert!(hundred > one_five);
}

#[test]
fn a_newcomer_starts_at_the_prior() {
    let rating = Score::default().rating(&Params::LAUNCH, 0);
    assert_eq!(rating.stars_milli, 3_000);
    assert_eq!(rating.support_ppm, 0);
    // half weight on 3/5 stars
    assert_eq!(rating.rating_ppm, 300_000);
}

#[test]
fn many_small_supporters_outweigh_one_whale_of_the_same_total() {
    let params = Params::LAUNCH;
    let unit = params.min_tip;
    let mut whale = Score::default();
    add_tip(&mut whale, &params, 0, 100 * unit, 0).unwrap();
    let mut crowd = Score::default();
    for _ in 0..100 {
        add_tip(&mut crowd, &params, 0, unit, 0).unwrap();
    }
    assert_eq!(whale.support.value, 10 * unit.isqrt());
    assert_eq!(crowd.support.value, 100 * unit.isqrt());
}

#[test]
fn support_from_one_supporter_is_the_root_of_their_total() {
    let params = Params::LAUNCH;
    let mut score = Score::default();
    let mut total = 0u128;
    for amount in [4u128, 12, 9, 100, 1] {
        let next = total + amount * params.min_tip;
        add_tip(&mut score, &params, total, next, 0).unwrap();
        total = next;
    }
    assert_eq!(score.support.value, total.isqrt());
}

#[test]
fn the_worked_examples_in_rating_md_hold() {
    let params = Params::LAUNCH;
    let mut score = Score::default();
    add_tip(&mut score, &params, 0, 10u128.pow(16), 0).unwrap();
    score.replace_stars(None, Some(5)).unwrap();
    let fresh = score.rating(&params, 0);
    assert_eq!(
        (
            fresh.support,
            fresh.support_ppm,
            fresh.stars_milli,
            fresh.rating_ppm
        ),
        (100_000_000, 500_000, 3_181, 568_100)
    );
    let later = score.rating(&params, params.half_life_ms);
    assert_eq!(
        (later.support, later.support_ppm, later.rating_ppm),
        (50_000_000, 333_333, 484_766)
    );
}

#[test]
fn replacing_stars_keeps_one_vote_per_supporter() {
    let mut score = Score::default();
    score.replace_stars(None, Some(5)).unwrap();
    score.replace_stars(Some(5), Some(2)).unwrap();
    assert_eq!((score.star_count, score.star_sum), (1, 2));
    score.replace_stars(Some(2), None).unwrap();
    assert_eq!((score.star_count, score.star_sum), (0, 0));
    assert_eq!(score.replace_stars(Some(1), None), Err(Overflow));
}

#[test]
fn launch_parameters_are_valid_and_bad_ones_are_named() {
    assert_eq!(Params::LAUNCH.validate(), Ok(()));
    let bad = |edit: fn(&mut Params)| {
        let mut params = Params::LAUNCH;
        edit(&mut params);
        params.validate().unwrap_err()
    };
    assert_eq!(bad(|p| p.min_tip = 0), ParamsError::MinTipZero);
    assert_eq!(bad(|p| p.half_life_ms = 1), ParamsError::HalfLifeOutOfRange);
    assert_eq!(
        bad(|p| p.half_life_ms = MAX_HALF_LIFE_MS + 1),
        ParamsError::HalfLifeOutOfRange
    );
    assert_eq!(
        bad(|p| p.prior_stars_milli = 999),
        ParamsError::PriorStarsOutOfRange
    );
    assert_eq!(
        bad(|p| p.prior_weight = MAX_PRIOR_WEIGHT + 1),
        ParamsError::PriorWeightTooLarge
    );
    assert_eq!(
        bad(|p| p.support_half_saturation = 0),
        ParamsError::HalfSaturationZero
    );
    assert_eq!(
        bad(|p| p.star_weight_bps = 10_001),
        ParamsError::StarWeightOutOfRange
    );
}

fn any_params() -> impl Strategy<Value = Params> {
    (
        1..=u128::MAX,
        MIN_HALF_LIFE_MS..=MAX_HALF_LIFE_MS,
        1_000..=5_000u32,
        0..=MAX_PRIOR_WEIGHT,
        1..=u128::MAX,
        0..=BPS,
    )
        .prop_map(
            |(min_tip, half_life_ms, prior, weight, saturation, star_weight)| Params {
                min_tip,
                half_life_ms,
                prior_stars_milli: prior,
                prior_weight: weight,
                support_half_saturation: saturation,
                star_weight_bps: star_weight,
            },
        )
}

fn any_score() -> impl Strategy<Value = Score> {
    (any::<u128>(), any::<u64>(), any::<u32>()).prop_flat_map(|(value, updated_at, star_count)| {
        // 1 to 5 stars per vote, as the contract guarantees
        let count = u64::from(star_count);
        (count..=count * 5).prop_map(move |star_sum| Score {
            support: Support { value, updated_at },
            star_count,
            star_sum,
        })
    })
}

proptest! {
    #[test]
    fn mul_div_agrees_with_plain_arithmetic(a in any::<u64>(), b in any::<u64>(), c in 1..=u128::MAX) {
        prop_assert_eq!(
            mul_div_floor(u128::from(a), u128::from(b), c),
            reference_mul_div(u128::from(a), u128::from(b), c)
        );
    }

    #[test]
    fn mul_div_is_exact_in_256_bits(a in any::<u128>(), b in any::<u128>(), c in 1..=u128::MAX) {
        if let Some(q) = mul_div_floor(a, b, c) {
            // q * c <= a * b < (q + 1) * c, checked in 256 bits
            let (qc_high, qc_low) = widening_mul(q, c);
            let (ab_high, ab_low) = widening_mul(a, b);
            prop_assert!((qc_high, qc_low) <= (ab_high, ab_low));
            let remainder_high = ab_high - qc_high - u128::from(ab_low < qc_low);
            prop_assert!(remainder_high == 0 && ab_low.wrapping_sub(qc_low) < c);
        } else {
            // only when the quotient cannot fit
            prop_assert!(widening_mul(a, b).0 >= c);
        }
    }

    #[test]
    fn decay_never_grows_and_is_monotone_in_time(
        value in any::<u128>(),
        t1 in any::<u64>(),
        t2 in any::<u64>(),
        half_life in MIN_HALF_LIFE_MS..=MAX_HALF_LIFE_MS,
    ) {
        let (early, late) = (t1.min(t2), t1.max(t2));
        let at_early = decay(value, early, half_life);
        let at_late = decay(value, late, half_life);
        prop_assert!(at_early <= value);
        prop_assert!(at_late <= at_early);
        // never below the next whole halving
        let halvings = u32::try_from(late / half_life).unwrap_or(u32::MAX);
        let floor = value.checked_shr(halvings.saturating_add(1)).unwrap_or(0);
        prop_assert!(at_late >= floor);
    }

    #[test]
    fn decay_is_monotone_in_value(a in any::<u128>(), b in any::<u128>(), t in any::<u64>(), h in MIN_HALF_LIFE_MS..=MAX_HALF_LIFE_MS) {
        let (small, large) = (a.min(b), a.max(b));
        prop_assert!(decay(small, t, h) <= decay(large, t, h));
    }

    #[test]
    fn rating_is_bounded_and_deterministic_for_any_state(params in any_params(), score in any_score(), now in any::<u64>()) {
        let first = score.rating(&params, now);
        prop_assert_eq!(first, score.rating(&params, now));
        prop_assert!(first.rating_ppm <= PPM);
        prop_assert!(first.support_ppm <= PPM);
        prop_assert!((1_000..=5_000).contains(&first.stars_milli));
        prop_assert!(first.support <= score.support.value);
    }

    #[test]
    fn more_support_never_lowers_the_rating(
        params in any_params(),
        score in any_score(),
        previous in any::<u128>(),
        extra in any::<u128>(),
    ) {
        let now = score.support.updated_at;
        let mut more = score;
        let new_total = previous.saturating_add(extra);
        match add_tip(&mut more, &params, previous, new_total, now) {
            Ok(()) => prop_assert!(more.rating(&params, now).rating_ppm >= score.rating(&params, now).rating_ppm),
            // refused updates leave nothing behind
            Err(Overflow) => prop_assert_eq!(more, score),
        }
    }

    #[test]
    fn a_higher_vote_never_lowers_the_rating(params in any_params(), score in any_score(), low in 1..=5u8, high in 1..=5u8) {
        let (low, high) = (low.min(high), low.max(high));
        let now = score.support.updated_at;
        let mut with_low = score;
        let mut with_high = score;
        if with_low.replace_stars(None, Some(low)).is_ok() && with_high.replace_stars(None, Some(high)).is_ok() {
            prop_assert!(with_high.rating(&params, now).rating_ppm >= with_low.rating(&params, now).rating_ppm);
        }
    }

    #[test]
    fn older_support_never_counts_more(params in any_params(), score in any_score(), d1 in any::<u64>(), d2 in any::<u64>()) {
        let (near, far) = (d1.min(d2), d1.max(d2));
        let at_near = score.rating(&params, score.support.updated_at.saturating_add(near));
        let at_far = score.rating(&params, score.support.updated_at.saturating_add(far));
        prop_assert!(at_far.support <= at_near.support);
        prop_assert!(at_far.rating_ppm <= at_near.rating_ppm);
    }
}

proptest! {
    #[test]
    fn a_leaving_supporter_takes_no_more_than_the_total(
        params in any_params(),
        shares in proptest::collection::vec((1..=u64::MAX as u128, 0..=1_000_000u64), 1..8),
        leave_at in 0..=10_000_000u64,
    ) {
        // several supporters tip at increasing times; one of them leaves later
        let mut total = Support::default();
        let mut first = Support::default();
        let mut now = 0u64;
        for (index, (amount, gap)) in shares.iter().enumerate() {
            now += gap;
            let increment = support_increment(0, *amount).unwrap();
            total.add(&params, increment, now).unwrap();
            if index == 0 {
                first.add(&params, increment, now).unwrap();
            }
        }
        let leave = now + leave_at;
        let before = total.at(&params, leave);
        let share = first.at(&params, leave);
        total.remove(&params, share, leave);
        prop_assert_eq!(total.at(&params, leave), before.saturating_sub(share));
        prop_assert!(total.value <= before);
    }
}
