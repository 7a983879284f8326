//! The attack suite: every strategy open to someone who controls several accounts,
//! run against the LIVE contract itself (ink!'s off-chain environment), at a 0%
//! and a 5% platform fee. For each it measures the attacker's irrecoverable cost
//! (what left the accounts they control for good), the rating they gained, and the
//! rating an honest, independent supporter gains by burning that same cost at the
//! same instants; the ratio must not exceed 1. `scripts/attack` prints the table
//! (`cargo test -p live_token attack -- --nocapture`); docs/RATING.md carries it.

use crate::live_token::*;
use ink::env::test;
use ink::env::DefaultEnvironment;
use ink::primitives::AccountId;
use psp22_traits::PSP22;
use rating_formula::{Params, CHANGE_DELAY_MS};
use test_support::{accounts, set_caller};

const LIVE: u128 = 1_000_000_000_000;
const DAY_MS: u64 = 24 * 3_600_000;
/// Rounding tolerance on the ratio: the formula rounds every term down, which can
/// favour either side by a few ppm of rating.
const TOLERANCE: f64 = 1e-3;

/// One run: the contract, the attacking performer (Bob), the honest performer
/// (Charlie) and the instants and costs of the attacker's burns.
struct World {
    token: LiveToken,
    attacker: AccountId,
    honest: AccountId,
    /// (block time, irrecoverable cost) of each attacking call.
    spent: Vec<(u64, u128)>,
    controlled: Vec<AccountId>,
}

/// An account apart from the environment's named ones (Alice is `[1; 32]`, ...).
fn account(n: u8) -> AccountId {
    let mut bytes = [0xaa; 32];
    bytes[0] = n;
    AccountId::from(bytes)
}

fn set_time(ms: u64) {
    test::set_block_timestamp::<DefaultEnvironment>(ms);
}

impl World {
    /// Alice owns, lists herself and attests Bob and Charlie; Frank is the treasury.
    fn new(fee_bps: u16) -> Self {
        let alice = accounts().alice;
        set_caller(alice);
        set_time(0);
        let mut token = LiveToken::new(
            1_000_000_000 * LIVE,
            100_000_000 * LIVE,
            accounts().frank,
            fee_bps,
            Params::LAUNCH,
        )
        .expect("valid");
        token.set_verifier(alice, true).unwrap();
        let (attacker, honest) = (accounts().bob, accounts().charlie);
        for performer in [attacker, honest] {
            set_caller(performer);
            token.register([0; 32], 700).unwrap();
            set_caller(alice);
            token.set_adult_attestation(performer, true).unwrap();
        }
        Self {
            token,
            attacker,
            honest,
            spent: Vec::new(),
            controlled: vec![attacker],
        }
    }

    /// Gives `who` LIVE from Alice (not a cost: it only moves value in).
    fn fund(&mut self, who: AccountId, amount: u128) {
        set_caller(accounts().alice);
        self.token.transfer(who, amount, Vec::new()).unwrap();
    }

    /// A fresh attacker-controlled account with `amount` LIVE.
    fn sybil(&mut self, n: u8, amount: u128) -> AccountId {
        let who = account(n);
        self.fund(who, amount);
        self.controlled.push(who);
        who
    }

    fn held(&self) -> u128 {
        self.controlled
            .iter()
            .map(|who| self.token.balance_of(*who))
            .sum()
    }

    /// An attacking call at `at`; its irrecoverable cost is what it took out of
    /// every controlled account together.
    fn act(&mut self, at: u64, who: AccountId, call: impl FnOnce(&mut LiveToken)) {
        set_time(at);
        let before = self.held();
        set_caller(who);
        call(&mut self.token);
        let cost = before - self.held();
        if cost > 0 {
            self.spent.push((at, cost));
        }
    }

    fn tip(&mut self, at: u64, who: AccountId, amount: u128) {
        let performer = self.attacker;
        self.act(at, who, |token| {
            token.tip(performer, amount, None).expect("attack tip");
        });
    }

    fn rate(&mut self, at: u64, who: AccountId, stars: u8) {
        let performer = self.attacker;
        self.act(at, who, |token| {
            token.rate(performer, stars).expect("attack stars")
        });
    }

    /// The honest twin: an independent supporter who burns, at each instant the
    /// attacker spent, exactly what the attacker lost then (tipping
    /// `cost / burn rate`), and gives `stars` if any.
    fn honest_twin(&mut self, stars: Option<u8>) {
        let supporter = account(250);
        for (at, cost) in self.spent.clone() {
            set_time(at);
            let burn_bps = u128::from(self.token.params().params.burn_bps);
            let tip = cost * 10_000 / burn_bps;
            self.fund(supporter, tip);
            set_caller(supporter);
            self.token.tip(self.honest, tip, None).expect("honest tip");
        }
        if let Some(stars) = stars {
            set_caller(supporter);
            self.token.rate(self.honest, stars).expect("honest stars");
        }
    }

    /// Evaluates at `at`: (cost, attacker's gain, honest gain), gains in ppm over
    /// a newcomer's rating.
    fn outcome(&mut self, at: u64) -> (u128, u32, u32) {
        set_time(at);
        let newcomer = self.token.rating_of(account(251)).rating_ppm;
        let cost = self.spent.iter().map(|(_, cost)| cost).sum();
        let attack = self.token.rating_of(self.attacker).rating_ppm - newcomer;
        let honest = self.token.rating_of(self.honest).rating_ppm - newcomer;
        (cost, attack, honest)
    }
}

/// A strategy: what the attacker does; returns the instant to evaluate at and the
/// stars the honest twin gives.
type Strategy = fn(&mut World) -> (u64, Option<u8>);

fn strategies() -> Vec<(&'static str, Strategy)> {
    vec![
        ("self-tip from a second account, 5 stars", |w| {
            let alt = w.sybil(1, 1_000 * LIVE);
            w.tip(DAY_MS, alt, 1_000 * LIVE);
            w.rate(DAY_MS, alt, 5);
            (2 * DAY_MS, Some(5))
        }),
        ("100 sybils tip 10 LIVE each, 5 stars each", |w| {
            for n in 1..=100 {
                let sybil = w.sybil(n, 10 * LIVE);
                w.tip(DAY_MS, sybil, 10 * LIVE);
                w.rate(DAY_MS, sybil, 5);
            }
            (2 * DAY_MS, Some(5))
        }),
        ("splits routed back to the attacker (90%)", |w| {
            let (alt, studio) = (w.sybil(1, 1_000 * LIVE), w.sybil(2, 0));
            let performer = w.attacker;
            w.act(0, performer, |token| {
                token
                    .set_splits(vec![Split {
                        recipient: studio,
                        bps: 9_000,
                    }])
                    .unwrap();
            });
            w.tip(DAY_MS, alt, 1_000 * LIVE);
            (2 * DAY_MS, None)
        }),
        ("leave after 25 days and tip again", |w| {
            let alt = w.sybil(1, 1_000 * LIVE);
            w.tip(DAY_MS, alt, 500 * LIVE);
            let performer = w.attacker;
            w.act(26 * DAY_MS, alt, |token| {
                token.remove_supporter(performer).unwrap()
            });
            w.tip(26 * DAY_MS, alt, 500 * LIVE);
            (27 * DAY_MS, None)
        }),
        ("star stuffing: 100 minimum tips, 5 stars each", |w| {
            for n in 1..=100 {
                let sybil = w.sybil(n, 100);
                w.tip(DAY_MS, sybil, 100);
                w.rate(DAY_MS, sybil, 5);
            }
            (2 * DAY_MS, Some(5))
        }),
        ("star stuffing: 200 tips of 1 LIVE, 5 stars each", |w| {
            for n in 1..=200 {
                let sybil = w.sybil(n, LIVE);
                w.tip(DAY_MS, sybil, LIVE);
                w.rate(DAY_MS, sybil, 5);
            }
            (2 * DAY_MS, Some(5))
        }),
        (
            "a 10-minute private show from a second account, 5 stars",
            |w| {
                let alt = w.sybil(1, 1_000 * LIVE);
                let performer = w.attacker;
                w.act(0, performer, |token| {
                    token.set_show_terms(60 * LIVE, true).unwrap()
                });
                // The deposit and its refund are counted in one call: only what the
                // show really paid out of the attacker's accounts is a cost.
                w.act(DAY_MS + 600_000, alt, |token| {
                    set_time(DAY_MS);
                    let show = token.open_show(performer, 1_000 * LIVE, u128::MAX).unwrap();
                    set_time(DAY_MS + 600_000);
                    set_caller(performer);
                    token.claim_show(show).unwrap();
                    set_caller(alt);
                    token.end_show(show).unwrap();
                });
                w.rate(DAY_MS + 600_000, alt, 5);
                (2 * DAY_MS, Some(5))
            },
        ),
        ("tip just before a parameter change", |w| {
            set_caller(accounts().alice);
            set_time(0);
            let weaker = Params {
                support_half_saturation: 100 * LIVE,
                burn_bps: 50,
                ..Params::LAUNCH
            };
            w.token.announce_params(weaker).unwrap();
            let alt = w.sybil(1, 1_000 * LIVE);
            w.tip(CHANGE_DELAY_MS - 1, alt, 1_000 * LIVE);
            w.rate(CHANGE_DELAY_MS - 1, alt, 5);
            (CHANGE_DELAY_MS + DAY_MS, Some(5))
        }),
    ]
}

/// `amount` base units as LIVE, every decimal shown that is not a trailing zero.
fn in_live(amount: u128) -> String {
    let fraction = format!("{:012}", amount % LIVE);
    let fraction = fraction.trim_end_matches('0');
    match fraction {
        "" => format!("{}", amount / LIVE),
        _ => format!("{}.{fraction}", amount / LIVE),
    }
}

/// Runs `strategy` in a fresh off-chain chain: (cost, attacker's gain, honest gain).
fn run(fee_bps: u16, strategy: Strategy) -> (u128, u32, u32) {
    let mut result = None;
    test::run_test::<DefaultEnvironment, _>(|_| {
        let mut world = World::new(fee_bps);
        let (at, stars) = strategy(&mut world);
        world.honest_twin(stars);
        result = Some(world.outcome(at));
        Ok(())
    })
    .expect("a fresh off-chain environment");
    result.expect("the run finished")
}

#[test]
fn attack_table_every_strategy_costs_at_least_what_honest_support_costs() {
    println!("\n| strategy | platform fee | irrecoverable cost (LIVE) | rating gain (ppm) | honest gain, same cost (ppm) | ratio |");
    println!("|---|---|---|---|---|---|");
    for fee_bps in [0u16, 500] {
        for (name, strategy) in strategies() {
            let (cost, attack, honest) = run(fee_bps, strategy);
            let ratio = f64::from(attack) / f64::from(honest.max(1));
            println!(
                "| {name} | {}% | {} | {attack} | {honest} | {ratio:.3} |",
                fee_bps / 100,
                in_live(cost),
            );
            assert!(cost > 0, "{name}: the attack cost nothing");
            assert!(
                ratio <= 1.0 + TOLERANCE,
                "{name} at {fee_bps} bps: ratio {ratio}"
            );
        }
    }
}
