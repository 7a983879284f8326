//! The attack suite: every strategy open to someone who controls several accounts,
//! the owner (who mints) and the treasury included, run against the LIVE contract
//! itself (ink!'s off-chain environment), at a 0% and a 5% platform fee. For each
//! it measures the attacker's irrecoverable cost (what left the accounts they
//! control for good), the LIVE it burned and the rating it gained, against three
//! baselines (docs/RATING.md, "the attack table"):
//! - *same burn*: an independent supporter who burns the attacker's whole cost at
//!   the same instants; asserted ratio ≤ 1 for every strategy;
//! - *equal terms*: one who spends the same cost the same way a fan does (tips,
//!   paying the fee to a treasury it does not control); asserted ≤ 1 unless the
//!   attacker is privileged (the treasury gets its fees back);
//! - *out of pocket*: what honest fans tip to produce the same support (the burn
//!   over the stake rate), against the attacker's cost: how cheap faking is next to
//!   the tips a rating suggests.
//!
//! `scripts/attack` prints the table (`cargo test -p live_token attack -- --nocapture`).

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
    /// LIVE the attacking calls burned, in all.
    burned: u128,
    controlled: Vec<AccountId>,
    /// When the twins act, if not at the attacker's instants.
    twin_at: Option<u64>,
}

/// Which honest supporter a strategy is measured against.
#[derive(Clone, Copy)]
enum Twin {
    /// Burns the attacker's whole cost at the same instants.
    SameBurn,
    /// Spends the attacker's cost as a fan does: tips whose fee and stake together
    /// are that cost, the fee going to a treasury it does not control.
    EqualTerms,
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
            burned: 0,
            controlled: vec![attacker],
            twin_at: None,
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
        let (before, supply) = (self.held(), self.token.total_supply());
        set_caller(who);
        call(&mut self.token);
        let cost = before - self.held();
        if cost > 0 {
            self.spent.push((at, cost));
        }
        self.burned += supply - self.token.total_supply();
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

    /// The honest twin: an independent supporter who spends, at each instant the
    /// attacker spent (or at `twin_at`), what `twin` says, and gives `stars` if any.
    fn honest_twin(&mut self, twin: Twin, stars: Option<u8>) {
        let supporter = account(250);
        for (at, cost) in self.spent.clone() {
            set_time(self.twin_at.unwrap_or(at));
            let burn_bps = u128::from(self.token.params().params.burn_bps);
            let taken_bps = match twin {
                Twin::SameBurn => burn_bps,
                Twin::EqualTerms => burn_bps + u128::from(self.token.platform_fee().fee_bps),
            };
            let tip = cost * 10_000 / taken_bps;
            self.fund(supporter, tip);
            set_caller(supporter);
            self.token.tip(self.honest, tip, None).expect("honest tip");
        }
        if let Some(stars) = stars {
            set_caller(supporter);
            self.token.rate(self.honest, stars).expect("honest stars");
        }
    }

    /// Evaluates at `at`, gains in ppm over a newcomer's rating.
    fn outcome(&mut self, at: u64) -> Outcome {
        set_time(at);
        let newcomer = self.token.rating_of(account(251)).rating_ppm;
        Outcome {
            cost: self.spent.iter().map(|(_, cost)| cost).sum(),
            burned: self.burned,
            attack: self.token.rating_of(self.attacker).rating_ppm - newcomer,
            honest: self.token.rating_of(self.honest).rating_ppm - newcomer,
        }
    }
}

/// What one run measured.
struct Outcome {
    /// The attacker's irrecoverable cost.
    cost: u128,
    /// LIVE the attacker burned.
    burned: u128,
    /// The attacker's rating gain (ppm).
    attack: u32,
    /// The twin's rating gain (ppm).
    honest: u32,
}

/// A strategy: what the attacker does; returns the instant to evaluate at and the
/// stars the honest twin gives.
type Strategy = fn(&mut World) -> (u64, Option<u8>);

/// Every strategy, with whether it may beat a fan on equal terms: its attacker
/// holds a privileged role (the treasury gets its fees back), or it times an
/// announced change, which every fan may time as well.
fn strategies() -> Vec<(&'static str, bool, Strategy)> {
    vec![
        ("self-tip from a second account, 5 stars", false, |w| {
            let alt = w.sybil(1, 1_000 * LIVE);
            w.tip(DAY_MS, alt, 1_000 * LIVE);
            w.rate(DAY_MS, alt, 5);
            (2 * DAY_MS, Some(5))
        }),
        ("100 sybils tip 10 LIVE each, 5 stars each", false, |w| {
            for n in 1..=100 {
                let sybil = w.sybil(n, 10 * LIVE);
                w.tip(DAY_MS, sybil, 10 * LIVE);
                w.rate(DAY_MS, sybil, 5);
            }
            (2 * DAY_MS, Some(5))
        }),
        ("splits routed back to the attacker (90%)", false, |w| {
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
        ("leave after 25 days and tip again", false, |w| {
            let alt = w.sybil(1, 1_000 * LIVE);
            w.tip(DAY_MS, alt, 500 * LIVE);
            let performer = w.attacker;
            w.act(26 * DAY_MS, alt, |token| {
                token.remove_supporter(performer).unwrap()
            });
            w.tip(26 * DAY_MS, alt, 500 * LIVE);
            (27 * DAY_MS, None)
        }),
        (
            "star stuffing: 100 minimum tips, 5 stars each",
            false,
            |w| {
                for n in 1..=100 {
                    let sybil = w.sybil(n, 100);
                    w.tip(DAY_MS, sybil, 100);
                    w.rate(DAY_MS, sybil, 5);
                }
                (2 * DAY_MS, Some(5))
            },
        ),
        (
            "star stuffing: 200 tips of 1 LIVE, 5 stars each",
            false,
            |w| {
                for n in 1..=200 {
                    let sybil = w.sybil(n, LIVE);
                    w.tip(DAY_MS, sybil, LIVE);
                    w.rate(DAY_MS, sybil, 5);
                }
                (2 * DAY_MS, Some(5))
            },
        ),
        (
            "100 voucher-funded sybils tip 9.9 LIVE each, 5 stars each",
            false,
            |w| {
                // LIVE bought from a desk (Eve's) and redeemed by a relayer (Django's)
                // into 100 fresh keys, unlinkable to the funder: as good as direct
                // sybils, but each voucher pays the relayer 0.1 LIVE.
                let funder = w.sybil(1, 1_000 * LIVE);
                let signer = blind_sr25519::Signer::generate();
                let (desk, relayer) = (accounts().eve, accounts().django);
                let terms = VoucherTerms {
                    denomination: 10 * LIVE,
                    relay_fee: LIVE / 10,
                    stipend: 0,
                    price_live: 10 * LIVE,
                    price_native: 0,
                };
                set_caller(desk);
                set_time(0);
                let key = w
                    .token
                    .register_voucher_key(signer.public(), terms, 30 * DAY_MS)
                    .unwrap();
                let sybils: Vec<AccountId> = (2..=101).map(account).collect();
                w.controlled.extend(&sybils);
                let contract = test::callee::<DefaultEnvironment>();
                // Bought and redeemed in one measured call: only the relay fees
                // leave the attacker's accounts.
                w.act(DAY_MS, funder, |token| {
                    token.buy_vouchers(key, 100, [0; 32]).unwrap();
                    set_caller(relayer);
                    for sybil in &sybils {
                        let serial = *sybil.as_ref();
                        let message = livestars_abi::voucher_message(
                            contract.as_ref(),
                            key,
                            sybil.as_ref(),
                            &serial,
                        );
                        // Blind or not, a signature is the same to the contract.
                        let signature = signer.sign(&message);
                        token
                            .redeem_voucher(key, *sybil, serial, signature)
                            .unwrap();
                    }
                });
                for sybil in sybils {
                    w.tip(DAY_MS, sybil, 99 * LIVE / 10);
                    w.rate(DAY_MS, sybil, 5);
                }
                (2 * DAY_MS, Some(5))
            },
        ),
        (
            "a 10-minute private show from a second account, 5 stars",
            false,
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
        (
            "a show claimed every minute for 10 minutes, 5 stars",
            false,
            |w| {
                let alt = w.sybil(1, 1_000 * LIVE);
                let performer = w.attacker;
                w.act(0, performer, |token| {
                    token.set_show_terms(60 * LIVE, true).unwrap()
                });
                // Eleven payments (ten claims, then the end), measured as one: the
                // deposit comes back but for what the show paid out of the accounts.
                w.act(DAY_MS + 600_000, alt, |token| {
                    set_time(DAY_MS);
                    let show = token.open_show(performer, 1_000 * LIVE, 60 * LIVE).unwrap();
                    for minute in 1..=10 {
                        set_time(DAY_MS + minute * 60_000);
                        set_caller(performer);
                        token.claim_show(show).unwrap();
                    }
                    set_caller(alt);
                    token.end_show(show).unwrap();
                });
                w.rate(DAY_MS + 600_000, alt, 5);
                (2 * DAY_MS, Some(5))
            },
        ),
        ("tip just before a parameter change", true, |w| {
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
            // The twins spend the same once the change applies, as anyone would
            // who did not time it.
            w.twin_at = Some(CHANGE_DELAY_MS);
            (CHANGE_DELAY_MS + DAY_MS, Some(5))
        }),
        (
            "the treasury's second account tips (fees come back), 5 stars",
            true,
            |w| {
                w.controlled.push(accounts().frank);
                let alt = w.sybil(1, 1_000 * LIVE);
                w.tip(DAY_MS, alt, 1_000 * LIVE);
                w.rate(DAY_MS, alt, 5);
                (2 * DAY_MS, Some(5))
            },
        ),
        (
            "the owner mints to a second account (after the delay) and tips, 5 stars",
            false,
            |w| {
                let (alice, alt) = (accounts().alice, account(1));
                w.controlled.extend([alice, alt]);
                set_caller(alice);
                set_time(0);
                w.token.announce_mint(alt, 1_000 * LIVE).unwrap();
                set_time(CHANGE_DELAY_MS);
                w.token.release_mint().unwrap();
                let room = w.token.cap() - w.token.minted();
                w.tip(CHANGE_DELAY_MS + DAY_MS, alt, 1_000 * LIVE);
                w.rate(CHANGE_DELAY_MS + DAY_MS, alt, 5);
                // What the tip burned made no room under the cap: it is never minted again.
                assert_eq!(w.token.cap() - w.token.minted(), room, "a burn made room");
                set_caller(alice);
                assert_eq!(
                    w.token.announce_mint(alt, room + 1),
                    Err(Error::CapExceeded)
                );
                (CHANGE_DELAY_MS + 2 * DAY_MS, Some(5))
            },
        ),
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

/// Runs `strategy` in a fresh off-chain chain against `twin`.
fn run(fee_bps: u16, strategy: Strategy, twin: Twin) -> Outcome {
    let mut result = None;
    test::run_test::<DefaultEnvironment, _>(|_| {
        let mut world = World::new(fee_bps);
        let (at, stars) = strategy(&mut world);
        world.honest_twin(twin, stars);
        result = Some(world.outcome(at));
        Ok(())
    })
    .expect("a fresh off-chain environment");
    result.expect("the run finished")
}

/// `attack / honest` gains, `None` when neither gained anything (no ratio to show).
fn ratio(outcome: &Outcome) -> Option<f64> {
    (outcome.attack > 0 || outcome.honest > 0)
        .then(|| f64::from(outcome.attack) / f64::from(outcome.honest.max(1)))
}

fn shown(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "— (no gain)".to_owned(), |r| format!("{r:.3}"))
}

#[test]
fn attack_table_every_strategy_costs_at_least_what_honest_support_costs() {
    println!(
        "\n| strategy | platform fee | irrecoverable cost (LIVE) | burned (LIVE) | rating gain (ppm) \
         | ratio, same burn | ratio, equal terms | cost / fans' out of pocket |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    for fee_bps in [0u16, 500] {
        for (name, exempt, strategy) in strategies() {
            let same = run(fee_bps, strategy, Twin::SameBurn);
            let equal = run(fee_bps, strategy, Twin::EqualTerms);
            // Fans produce the same support by tipping the burn over the stake rate;
            // every strategy here burns at the launch rate of 1% but the timed one,
            // whose burn counts at the rate in force when it was made.
            let out_of_pocket = same.burned * 100;
            println!(
                "| {name} | {}% | {} | {} | {} | {} | {} | {:.1}% |",
                fee_bps / 100,
                in_live(same.cost),
                in_live(same.burned),
                same.attack,
                shown(ratio(&same)),
                shown(ratio(&equal)),
                100.0 * same.cost as f64 / out_of_pocket.max(1) as f64,
            );
            assert!(same.cost > 0, "{name}: the attack cost nothing");
            match ratio(&same) {
                Some(r) => assert!(r <= 1.0 + TOLERANCE, "{name} at {fee_bps} bps: {r}"),
                None => assert_eq!(same.attack, 0, "{name}: a gain from nothing"),
            }
            if !exempt {
                let r = ratio(&equal).unwrap_or(0.0);
                assert!(
                    r <= 1.0 + TOLERANCE,
                    "{name} at {fee_bps} bps, equal terms: {r}"
                );
            }
        }
    }
}
