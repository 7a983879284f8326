//! The whole livestars flow on a real `substrate-contracts-node`: deploy LIVE,
//! register and attest a performer, tip in LIVE and in the native currency, rate,
//! read the rating back; a private show opened, claimed and ended; the refusals;
//! and the rating attacks run on-chain.

use crate::live_token::{Division, ShowEnded, ShowOpened, ShowPaid, Split, Tipped, Transfer};
use crate::{Error, LiveToken, LiveTokenRef};
use ink::codegen::ContractCallBuilder;
use ink::env::DefaultEnvironment;
use ink::primitives::AccountId;
use ink::scale::Decode;
use ink_e2e::{account_id, AccountKeyring, ChainBackend, ContractsBackend, E2EBackend, Keypair};
use psp22_traits::{PSP22Burnable, PSP22};
use rating_formula::{tick_of, Params};

type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;
type Calls = <LiveToken as ContractCallBuilder>::Type;

const LIVE: u128 = 1_000_000_000_000;
const PLATFORM_FEE_BPS: u16 = 250;
const STUDIO_BPS: u16 = 1_000;
/// Extra gas (%) over a dry run's estimate for claiming and ending a show: the dry
/// run bills at the last block's time, so it may pay nothing where the call pays and
/// stakes (4x the estimate was measured short; unused gas is refunded).
const SHOW_GAS_MARGIN: u64 = 1_900;

/// Alice deploys LIVE (10 000 of a 1 000 000 cap minted to her) with `fee_bps` to
/// `treasury`, and lists herself as an 18+ verifier.
async fn deploy<Client: E2EBackend>(
    client: &mut Client,
    treasury: AccountId,
    fee_bps: u16,
) -> (AccountId, Calls)
where
    <Client as ContractsBackend<DefaultEnvironment>>::Error: std::fmt::Debug,
{
    let mut new = LiveTokenRef::new(
        1_000_000 * LIVE,
        10_000 * LIVE,
        treasury,
        fee_bps,
        Params::LAUNCH,
    );
    let token = client
        .instantiate("live_token", &ink_e2e::alice(), &mut new)
        .submit()
        .await
        .expect("LIVE instantiates");
    let mut calls = token.call_builder::<LiveToken>();
    client
        .call(
            &ink_e2e::alice(),
            &calls.set_verifier(account_id(AccountKeyring::Alice), true),
        )
        .submit()
        .await
        .expect("Alice listed as verifier");
    (token.account_id, calls)
}

/// `performer` registers (accepting 5%) and Alice attests them.
async fn perform<Client: E2EBackend>(client: &mut Client, calls: &mut Calls, performer: &Keypair)
where
    <Client as ContractsBackend<DefaultEnvironment>>::Error: std::fmt::Debug,
{
    client
        .call(performer, &calls.register([7; 32], 500))
        .submit()
        .await
        .expect("registers");
    let account = AccountId::from(performer.public_key().0);
    client
        .call(
            &ink_e2e::alice(),
            &calls.set_adult_attestation(account, true),
        )
        .submit()
        .await
        .expect("attested");
}

async fn live_balance<Client: E2EBackend>(
    client: &mut Client,
    calls: &Calls,
    account: AccountId,
) -> u128
where
    <Client as ContractsBackend<DefaultEnvironment>>::Error: std::fmt::Debug,
{
    client
        .call(&ink_e2e::alice(), &calls.balance_of(account))
        .dry_run()
        .await
        .expect("dry run")
        .return_value()
}

/// Alice deploys and attests; Bob performs, Charlie is his studio, Dave watches and
/// tips, Ferdie is the platform treasury.
#[ink_e2e::test]
async fn a_tip_settles_in_one_call_and_feeds_the_rating<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    let bob = account_id(AccountKeyring::Bob);
    let charlie = account_id(AccountKeyring::Charlie);
    let dave = account_id(AccountKeyring::Dave);
    let ferdie = account_id(AccountKeyring::Ferdie);
    let (token, mut calls) = deploy(&mut client, ferdie, PLATFORM_FEE_BPS).await;
    perform(&mut client, &mut calls, &ink_e2e::bob()).await;
    let studio = vec![Split {
        recipient: charlie,
        bps: STUDIO_BPS,
    }];
    client
        .call(&ink_e2e::bob(), &calls.set_splits(studio))
        .submit()
        .await
        .expect("splits set");
    client
        .call(
            &ink_e2e::alice(),
            &calls.transfer(dave, 1_000 * LIVE, Vec::new()),
        )
        .submit()
        .await
        .expect("funds the viewer");
    let supply = client
        .call(&ink_e2e::alice(), &calls.total_supply())
        .dry_run()
        .await?
        .return_value();

    // A LIVE tip: one call, no approval, every share moved in the same extrinsic.
    let gross = 100 * LIVE;
    let quote = client
        .call(&ink_e2e::dave(), &calls.quote(bob, gross))
        .dry_run()
        .await?
        .return_value()
        .expect("quotes");
    let expected = Division {
        platform_fee: gross * u128::from(PLATFORM_FEE_BPS) / 10_000,
        burned: gross * u128::from(Params::LAUNCH.burn_bps) / 10_000,
        splits: vec![(charlie, gross * u128::from(STUDIO_BPS) / 10_000)],
        net: gross
            - gross * u128::from(PLATFORM_FEE_BPS + Params::LAUNCH.burn_bps + STUDIO_BPS) / 10_000,
    };
    assert_eq!(quote, expected);
    let tipped = client
        .call(&ink_e2e::dave(), &calls.tip(bob, gross, Some([9; 32])))
        .submit()
        .await
        .expect("tips in LIVE");
    let emitted = tipped.contract_emitted_events()?;
    assert!(emitted.iter().all(|event| event.event.contract == token));
    let transfers: Vec<Transfer> = emitted
        .iter()
        .filter_map(|event| Transfer::decode(&mut &event.event.data[..]).ok())
        .filter(|transfer| transfer.from == Some(dave))
        .collect();
    assert_eq!(
        transfers.len(),
        4,
        "fee, split, net and burn, each a PSP22 Transfer"
    );
    assert_eq!(transfers.iter().map(|t| t.value).sum::<u128>(), gross);
    let tip_event = emitted
        .last()
        .map(|event| Tipped::decode(&mut &event.event.data[..]))
        .expect("a Tipped event")?;
    assert_eq!((tip_event.viewer, tip_event.performer), (dave, bob));
    assert_eq!(
        (tip_event.token, tip_event.gross, tip_event.treasury),
        (Some(token), gross, ferdie)
    );
    assert_eq!(
        (tip_event.platform_fee, tip_event.burned, tip_event.net),
        (expected.platform_fee, expected.burned, expected.net)
    );
    assert_eq!(
        (tip_event.splits, tip_event.memo),
        (expected.splits.clone(), Some([9; 32]))
    );
    for (account, amount) in [
        (bob, expected.net),
        (charlie, expected.splits[0].1),
        (ferdie, expected.platform_fee),
        (dave, 900 * LIVE),
        (token, 0),
    ] {
        assert_eq!(live_balance(&mut client, &calls, account).await, amount);
    }
    let after = client
        .call(&ink_e2e::alice(), &calls.total_supply())
        .dry_run()
        .await?
        .return_value();
    assert_eq!(supply - after, expected.burned, "the stake is burned");

    // A native tip is forwarded at once; the contract keeps nothing; no stake.
    let native = 10 * LIVE;
    let before = [
        client.free_balance(bob).await?,
        client.free_balance(charlie).await?,
        client.free_balance(ferdie).await?,
        client.free_balance(token).await?,
    ];
    client
        .call(&ink_e2e::dave(), &calls.tip_native(bob, None))
        .value(native)
        .submit()
        .await
        .expect("tips natively");
    let after = [
        client.free_balance(bob).await?,
        client.free_balance(charlie).await?,
        client.free_balance(ferdie).await?,
        client.free_balance(token).await?,
    ];
    let native_fee = native * u128::from(PLATFORM_FEE_BPS) / 10_000;
    let native_split = native * u128::from(STUDIO_BPS) / 10_000;
    assert_eq!(after[0] - before[0], native - native_fee - native_split);
    assert_eq!(after[1] - before[1], native_split);
    assert_eq!(after[2] - before[2], native_fee);
    assert_eq!(after[3], before[3]);

    // Dave staked, so he may rate; the rating is the published formula's.
    let rated = client
        .call(&ink_e2e::dave(), &calls.rate(bob, 5))
        .submit()
        .await
        .expect("rates");
    let rated_at = rated
        .contract_emitted_events()?
        .iter()
        .find_map(|event| crate::live_token::Rated::decode(&mut &event.event.data[..]).ok())
        .expect("a Rated event")
        .at;
    let score = client
        .call(&ink_e2e::alice(), &calls.score_of(bob))
        .dry_run()
        .await?
        .return_value()
        .expect("a score");
    assert_eq!(score.voters, 1);
    let on_chain = client
        .call(&ink_e2e::alice(), &calls.rating_of(bob))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(on_chain, score.rating(&Params::LAUNCH, tick_of(rated_at)));
    assert!(on_chain.support <= expected.burned && on_chain.support + 2 >= expected.burned);
    Ok(())
}

/// What the chain refuses, and a refused tip moves nothing: the phantom tip (a
/// split back to the viewer), tips beyond the balance, unattested performers,
/// stars from accounts without stake.
#[ink_e2e::test]
async fn phantom_unfunded_and_unattested_tips_are_refused<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    let bob = account_id(AccountKeyring::Bob);
    let charlie = account_id(AccountKeyring::Charlie);
    let eve = account_id(AccountKeyring::Eve);
    let (_, mut calls) = deploy(&mut client, account_id(AccountKeyring::Ferdie), 0).await;

    let to_nobody = client
        .call(&ink_e2e::eve(), &calls.tip(bob, LIVE, None))
        .dry_run()
        .await?;
    assert_eq!(to_nobody.return_value(), Err(Error::NotRegistered));
    client
        .call(&ink_e2e::bob(), &calls.register([1; 32], 500))
        .submit()
        .await
        .expect("registers");
    let unattested = client
        .call(&ink_e2e::alice(), &calls.tip(bob, LIVE, None))
        .dry_run()
        .await?;
    assert_eq!(unattested.return_value(), Err(Error::NotAttested));
    client
        .call(&ink_e2e::alice(), &calls.set_adult_attestation(bob, true))
        .submit()
        .await
        .expect("attested");

    // The phantom tip: Bob names Eve (holding nothing) as a 99% split; Eve "tips"
    // 1 000 LIVE. Refused: the share would never leave her balance.
    client
        .call(
            &ink_e2e::bob(),
            &calls.set_splits(vec![Split {
                recipient: eve,
                bps: 9_000,
            }]),
        )
        .submit()
        .await
        .expect("splits set");
    let phantom = client
        .call(&ink_e2e::eve(), &calls.tip(bob, 1_000 * LIVE, None))
        .dry_run()
        .await?;
    assert_eq!(phantom.return_value(), Err(Error::SelfTransfer));
    assert!(client
        .call(&ink_e2e::eve(), &calls.tip(bob, 1_000 * LIVE, None))
        .submit()
        .await
        .is_err());
    // Without the split, a tip beyond the balance is refused just the same.
    client
        .call(&ink_e2e::bob(), &calls.set_splits(Vec::new()))
        .submit()
        .await
        .expect("splits cleared");
    let unfunded = client
        .call(&ink_e2e::eve(), &calls.tip(bob, 1_000 * LIVE, None))
        .dry_run()
        .await?;
    assert_eq!(unfunded.return_value(), Err(Error::InsufficientBalance));
    assert!(client
        .call(&ink_e2e::eve(), &calls.tip(bob, 1_000 * LIVE, None))
        .submit()
        .await
        .is_err());
    for account in [bob, eve, charlie] {
        assert_eq!(live_balance(&mut client, &calls, account).await, 0);
    }
    let rating = client
        .call(&ink_e2e::alice(), &calls.rating_of(bob))
        .dry_run()
        .await?
        .return_value();
    assert_eq!((rating.support, rating.voters), (0, 0));
    let stars = client
        .call(&ink_e2e::eve(), &calls.rate(bob, 5))
        .dry_run()
        .await?;
    assert_eq!(stars.return_value(), Err(Error::NotASupporter));
    Ok(())
}

/// The attack suite's core on the real node: a performer's N sybil accounts
/// tipping them and stuffing 5 stars buy no more rating than one honest supporter
/// who pays the same irrecoverable cost (stake burned plus fee to the treasury).
#[ink_e2e::test]
async fn sybils_buy_no_more_rating_than_an_honest_supporter<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    let bob = account_id(AccountKeyring::Bob);
    let charlie = account_id(AccountKeyring::Charlie);
    let (_, mut calls) = deploy(
        &mut client,
        account_id(AccountKeyring::Ferdie),
        PLATFORM_FEE_BPS,
    )
    .await;
    perform(&mut client, &mut calls, &ink_e2e::bob()).await;
    perform(&mut client, &mut calls, &ink_e2e::charlie()).await;

    // Attack: Charlie funds 4 fresh accounts with 100 LIVE each; each tips him
    // 100 LIVE and gives 5 stars. Same total, same irrecoverable cost.
    for _ in 0..4 {
        let sybil = client
            .create_and_fund_account(&ink_e2e::alice(), 10 * LIVE)
            .await;
        let account = AccountId::from(sybil.public_key().0);
        client
            .call(
                &ink_e2e::alice(),
                &calls.transfer(account, 100 * LIVE, Vec::new()),
            )
            .submit()
            .await
            .expect("funds a sybil");
        client
            .call(&sybil, &calls.tip(charlie, 100 * LIVE, None))
            .submit()
            .await
            .expect("sybil tip");
        client
            .call(&sybil, &calls.rate(charlie, 5))
            .submit()
            .await
            .expect("sybil stars");
    }
    // Then, honest: Dave tips Bob 400 LIVE and gives 5 stars. (Last, so
    // if an hour turns in between, the honest stake is the fresher one.)
    client
        .call(
            &ink_e2e::alice(),
            &calls.transfer(account_id(AccountKeyring::Dave), 400 * LIVE, Vec::new()),
        )
        .submit()
        .await
        .expect("funds Dave");
    client
        .call(&ink_e2e::dave(), &calls.tip(bob, 400 * LIVE, None))
        .submit()
        .await
        .expect("honest tip");
    client
        .call(&ink_e2e::dave(), &calls.rate(bob, 5))
        .submit()
        .await
        .expect("honest stars");

    // Both read in the same block, so decay is alike.
    let honest = client
        .call(&ink_e2e::alice(), &calls.rating_of(bob))
        .dry_run()
        .await?
        .return_value();
    let attack = client
        .call(&ink_e2e::alice(), &calls.rating_of(charlie))
        .dry_run()
        .await?
        .return_value();
    assert!(
        attack.rating_ppm <= honest.rating_ppm,
        "{attack:?} vs {honest:?}"
    );
    assert!(attack.support <= honest.support);
    // Charlie got back his net: what he lost for good is the stake and the fee.
    assert_eq!(attack.voters, 4);
    Ok(())
}

async fn live_balances<Client: E2EBackend, const N: usize>(
    client: &mut Client,
    calls: &Calls,
    accounts: [AccountId; N],
) -> [u128; N]
where
    <Client as ContractsBackend<DefaultEnvironment>>::Error: std::fmt::Debug,
{
    let mut out = [0; N];
    for (slot, account) in out.iter_mut().zip(accounts) {
        *slot = live_balance(client, calls, account).await;
    }
    out
}

/// The last event of `T` among a call's events.
fn last_event<T: Decode>(
    events: &[ink_e2e::events::EventWithTopics<
        ink_e2e::events::ContractEmitted<DefaultEnvironment>,
    >],
) -> T {
    events
        .iter()
        .rev()
        .find_map(|event| T::decode(&mut &event.event.data[..]).ok())
        .expect("the event")
}

/// Dave opens a private show with Bob (60 LIVE a minute, 10% to Charlie), Bob
/// claims a few seconds in, Dave ends it: every balance moves exactly by the
/// billed seconds, divided like a tip, and the rest of the deposit comes back.
#[ink_e2e::test]
async fn a_private_show_bills_whole_seconds_and_refunds_the_rest<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    let [bob, charlie, dave, ferdie] = [
        AccountKeyring::Bob,
        AccountKeyring::Charlie,
        AccountKeyring::Dave,
        AccountKeyring::Ferdie,
    ]
    .map(account_id);
    let (token, mut calls) = deploy(&mut client, ferdie, PLATFORM_FEE_BPS).await;
    perform(&mut client, &mut calls, &ink_e2e::bob()).await;
    let price = 60 * LIVE;
    let studio = vec![Split {
        recipient: charlie,
        bps: STUDIO_BPS,
    }];
    client
        .call(&ink_e2e::bob(), &calls.set_splits(studio))
        .submit()
        .await
        .expect("splits set");
    client
        .call(&ink_e2e::bob(), &calls.set_show_terms(price, true))
        .submit()
        .await
        .expect("shows offered");
    client
        .call(
            &ink_e2e::alice(),
            &calls.transfer(dave, 1_000 * LIVE, Vec::new()),
        )
        .submit()
        .await
        .expect("funds the viewer");
    let parties = [bob, charlie, dave, ferdie, token];
    let before = live_balances(&mut client, &calls, parties).await;

    let deposit = 10 * price;
    // Dave agreed to a lower price than Bob's: refused, nothing moves.
    let above_bound = client
        .call(&ink_e2e::dave(), &calls.open_show(bob, deposit, price - 1))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(above_bound, Err(Error::PriceAboveBound));
    let opened = client
        .call(&ink_e2e::dave(), &calls.open_show(bob, deposit, price))
        .submit()
        .await
        .expect("opens");
    let opened: ShowOpened = last_event(&opened.contract_emitted_events()?);
    let show_id = opened.show_id;
    assert_eq!(
        (opened.viewer, opened.performer, opened.deposit),
        (dave, bob, deposit)
    );
    assert_eq!(live_balance(&mut client, &calls, token).await, deposit);

    std::thread::sleep(std::time::Duration::from_secs(3));
    let claimed = client
        .call(&ink_e2e::bob(), &calls.claim_show(show_id))
        .extra_gas_portion(SHOW_GAS_MARGIN)
        .submit()
        .await
        .expect("claims");
    let first: ShowPaid = last_event(&claimed.contract_emitted_events()?);
    let seconds = (first.at - opened.at) / 1_000;
    assert!(seconds >= 1, "{seconds} s billed after a 3 s wait");
    assert_eq!(first.gross, price * u128::from(seconds) / 60);

    std::thread::sleep(std::time::Duration::from_secs(2));
    let ended = client
        .call(&ink_e2e::dave(), &calls.end_show(show_id))
        .extra_gas_portion(SHOW_GAS_MARGIN)
        .submit()
        .await
        .expect("ends");
    let events = ended.contract_emitted_events()?;
    let second: ShowPaid = last_event(&events[..events.len() - 1]);
    let end: ShowEnded = last_event(&events);
    let billed = (end.at - opened.at) / 1_000;
    assert_eq!(end.billed_seconds, billed);
    let earned = price * u128::from(billed) / 60;
    assert_eq!((end.paid, end.refunded), (earned, deposit - earned));
    assert_eq!(first.gross + second.gross, earned);

    let share = |gross: u128, bps: u16| gross * u128::from(bps) / 10_000;
    let [fee, split, burned] = [PLATFORM_FEE_BPS, STUDIO_BPS, Params::LAUNCH.burn_bps]
        .map(|bps| share(first.gross, bps) + share(second.gross, bps));
    let after = live_balances(&mut client, &calls, parties).await;
    assert_eq!(
        after[0] - before[0],
        earned - fee - split - burned,
        "Bob: net"
    );
    assert_eq!(after[1] - before[1], split, "Charlie: the split");
    assert_eq!(before[2] - after[2], earned, "Dave: only the time billed");
    assert_eq!(after[3] - before[3], fee, "Ferdie: the platform fee");
    assert_eq!(after[4], 0, "the contract holds nothing after the end");
    let show = client
        .call(&ink_e2e::alice(), &calls.show(show_id))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(show, None, "the show's storage is removed");
    let again = client
        .call(&ink_e2e::dave(), &calls.end_show(show_id))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(again, Err(Error::NoSuchShow));
    Ok(())
}

/// Burned LIVE is gone for good: the cap counts every mint ever made, and what is
/// left under it is minted only after the announced delay.
#[ink_e2e::test]
async fn burned_live_cannot_be_reminted_and_mints_wait_for_the_delay<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    let alice = account_id(AccountKeyring::Alice);
    let (_, mut calls) = deploy(&mut client, account_id(AccountKeyring::Ferdie), 0).await;
    client
        .call(&ink_e2e::alice(), &calls.burn(LIVE))
        .submit()
        .await
        .expect("Alice burns 1 LIVE");
    let room = 990_000 * LIVE;
    let past_cap = client
        .call(&ink_e2e::alice(), &calls.announce_mint(alice, room + 1))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(
        past_cap,
        Err(Error::CapExceeded),
        "the burned LIVE stays burned"
    );
    client
        .call(&ink_e2e::alice(), &calls.announce_mint(alice, room))
        .submit()
        .await
        .expect("the rest of the cap is announced");
    let early = client
        .call(&ink_e2e::bob(), &calls.release_mint())
        .dry_run()
        .await?
        .return_value();
    assert_eq!(
        early,
        Err(Error::MintNotDue),
        "a mint waits CHANGE_DELAY_MS"
    );
    let minted = client
        .call(&ink_e2e::bob(), &calls.minted())
        .dry_run()
        .await?
        .return_value();
    let supply = client
        .call(&ink_e2e::bob(), &calls.total_supply())
        .dry_run()
        .await?
        .return_value();
    assert_eq!((minted, supply), (10_000 * LIVE, 9_999 * LIVE));
    Ok(())
}

/// //Charlie buys vouchers from //Eve's desk, which blind-signs them; //Ferdie
/// relays their redemption into a fresh key that has never held anything. The
/// key, paying its own fees out of the stipend, tips //Bob, rates him and opens
/// and ends a private show; nothing it holds came from //Charlie.
#[ink_e2e::test]
async fn a_voucher_funds_a_fresh_key_that_tips_rates_and_pays_a_show<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    use crate::live_token::{VoucherRedeemed, VoucherTerms, VouchersBought};
    use blind_sr25519::{blind, random_bytes, Signer};

    let [bob, charlie, eve, ferdie] = [
        AccountKeyring::Bob,
        AccountKeyring::Charlie,
        AccountKeyring::Eve,
        AccountKeyring::Ferdie,
    ]
    .map(account_id);
    let (token, mut calls) = deploy(&mut client, ferdie, PLATFORM_FEE_BPS).await;
    perform(&mut client, &mut calls, &ink_e2e::bob()).await;
    let price = 60 * LIVE;
    client
        .call(&ink_e2e::bob(), &calls.set_show_terms(price, true))
        .submit()
        .await
        .expect("shows offered");
    for to in [charlie, eve] {
        client
            .call(
                &ink_e2e::alice(),
                &calls.transfer(to, 1_000 * LIVE, Vec::new()),
            )
            .submit()
            .await
            .expect("funded");
    }

    // Eve's desk: 100-LIVE vouchers, 1 LIVE to the relayer, 1 unit of the native
    // currency as the stipend, whose backing she deposits.
    let unit = 1_000_000_000_000u128;
    let signer = Signer::generate();
    let terms = VoucherTerms {
        denomination: 100 * LIVE,
        relay_fee: LIVE,
        stipend: unit,
        price_live: 100 * LIVE,
        price_native: 0,
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)?
        .as_millis() as u64;
    let redeem_until = now + 30 * 24 * 60 * 60 * 1000;
    let registered = client
        .call(
            &ink_e2e::eve(),
            &calls.register_voucher_key(signer.public(), terms, redeem_until),
        )
        .submit()
        .await
        .expect("key registered");
    let key_id = registered.return_value().expect("key id");
    client
        .call(&ink_e2e::eve(), &calls.back_vouchers(key_id, 0))
        .value(10 * unit)
        .submit()
        .await
        .expect("stipends backed");

    // Charlie pays for two vouchers; the desk signs two blinded messages.
    let order = random_bytes();
    let bought = client
        .call(&ink_e2e::charlie(), &calls.buy_vouchers(key_id, 2, order))
        .submit()
        .await
        .expect("bought");
    let bought: VouchersBought = last_event(&bought.contract_emitted_events()?);
    assert_eq!((bought.buyer, bought.count), (charlie, 2));

    let anonymous = Keypair::from_seed(random_bytes()).expect("a fresh key");
    let anonymous_id = AccountId::from(anonymous.public_key().0);
    for _ in 0..2 {
        let serial = random_bytes();
        let message =
            livestars_abi::voucher_message(token.as_ref(), key_id, anonymous_id.as_ref(), &serial);
        let (nonce, commitment) = signer.commit();
        let (blinded, challenge) = blind(&signer.public(), &commitment, &message)?;
        let response = signer.respond(nonce, &challenge)?;
        let signature = blinded.unblind(&response)?;
        let redeemed = client
            .call(
                &ink_e2e::ferdie(),
                &calls.redeem_voucher(key_id, anonymous_id, serial, signature),
            )
            .submit()
            .await
            .expect("redeemed by the relayer");
        let redeemed: VoucherRedeemed = last_event(&redeemed.contract_emitted_events()?);
        assert_eq!(
            (redeemed.recipient, redeemed.relayer, redeemed.value),
            (anonymous_id, ferdie, 99 * LIVE)
        );
        let again = client
            .call(
                &ink_e2e::ferdie(),
                &calls.redeem_voucher(key_id, anonymous_id, serial, signature),
            )
            .dry_run()
            .await?
            .return_value();
        assert_eq!(again, Err(Error::VoucherSpent));
    }
    assert_eq!(
        live_balance(&mut client, &calls, anonymous_id).await,
        198 * LIVE
    );
    let native = client.free_balance(anonymous_id).await?;
    assert_eq!(native, 2 * unit, "the stipends, from the contract");

    // The fresh key pays its own fees from here on.
    client
        .call(&anonymous, &calls.tip(bob, 10 * LIVE, None))
        .submit()
        .await
        .expect("tips");
    client
        .call(&anonymous, &calls.rate(bob, 5))
        .submit()
        .await
        .expect("rates");
    let opened = client
        .call(&anonymous, &calls.open_show(bob, price, price))
        .submit()
        .await
        .expect("opens a show");
    let opened: ShowOpened = last_event(&opened.contract_emitted_events()?);
    client
        .call(&anonymous, &calls.end_show(opened.show_id))
        .extra_gas_portion(SHOW_GAS_MARGIN)
        .submit()
        .await
        .expect("ends the show");
    let supporter = client
        .call(&ink_e2e::alice(), &calls.supporter(bob, anonymous_id))
        .dry_run()
        .await?
        .return_value();
    assert!(supporter.is_some_and(|s| s.stars == Some(5)));
    let left = client.free_balance(anonymous_id).await?;
    assert!(left > 0 && left < native, "fees were paid from the stipend");
    Ok(())
}
