//! The whole livestars flow on a real `substrate-contracts-node`: deploy the three
//! contracts, register a performer, approve, tip in LIVE and in the native currency,
//! rate, and read the rating back.

use crate::tips::{Division, Tipped};
use crate::{Error, Split, Tips, TipsRef};
use ink::codegen::ContractCallBuilder;
use ink::env::DefaultEnvironment;
use ink::primitives::AccountId;
use ink::scale::Decode;
use ink_e2e::{account_id, AccountKeyring, ChainBackend, ContractsBackend, E2EBackend};
use live_token::{LiveToken, LiveTokenRef};
use psp22_traits::{PSP22Error, PSP22};
use rating::{Params, Rating, RatingRef};

type E2EResult<T> = Result<T, Box<dyn std::error::Error>>;
type CallsOf<Contract> = <Contract as ContractCallBuilder>::Type;

const LIVE: u128 = 1_000_000_000_000;
const PLATFORM_FEE_BPS: u16 = 250;
const STUDIO_BPS: u16 = 1_000;

/// The three contracts as Alice deploys and links them, with their call builders.
struct Livestars {
    token: AccountId,
    tips: AccountId,
    token_calls: CallsOf<LiveToken>,
    rating_calls: CallsOf<Rating>,
    tips_calls: CallsOf<Tips>,
}

/// Deploys LIVE (10 000 of a 1 000 000 cap minted to Alice), the rating and tips
/// with `fee_bps` going to `treasury`, and names tips as the rating's settlement.
async fn deploy<Client: E2EBackend>(
    client: &mut Client,
    treasury: AccountId,
    fee_bps: u16,
) -> Livestars
where
    <Client as ContractsBackend<DefaultEnvironment>>::Error: std::fmt::Debug,
{
    let mut token_new = LiveTokenRef::new(1_000_000 * LIVE, 10_000 * LIVE);
    let token = client
        .instantiate("live_token", &ink_e2e::alice(), &mut token_new)
        .submit()
        .await
        .expect("token instantiates");
    let mut rating_new = RatingRef::new(None, Params::LAUNCH);
    let rating = client
        .instantiate("rating", &ink_e2e::alice(), &mut rating_new)
        .submit()
        .await
        .expect("rating instantiates");
    let mut tips_new = TipsRef::new(token.account_id, rating.account_id, treasury, fee_bps);
    let tips = client
        .instantiate("tips", &ink_e2e::alice(), &mut tips_new)
        .submit()
        .await
        .expect("tips instantiates");
    let mut rating_calls = rating.call_builder::<Rating>();
    client
        .call(
            &ink_e2e::alice(),
            &rating_calls.set_settlement(Some(tips.account_id)),
        )
        .submit()
        .await
        .expect("settlement named");
    Livestars {
        token: token.account_id,
        tips: tips.account_id,
        token_calls: token.call_builder::<LiveToken>(),
        rating_calls,
        tips_calls: tips.call_builder::<Tips>(),
    }
}

/// Alice deploys and administers; Bob performs, Charlie is his studio, Dave watches
/// and tips, Ferdie is the platform treasury, Eve has nothing.
#[ink_e2e::test]
async fn tips_settle_in_the_same_block_and_feed_the_rating<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    let bob = account_id(AccountKeyring::Bob);
    let charlie = account_id(AccountKeyring::Charlie);
    let dave = account_id(AccountKeyring::Dave);
    let ferdie = account_id(AccountKeyring::Ferdie);

    let Livestars {
        token,
        tips,
        mut token_calls,
        mut rating_calls,
        mut tips_calls,
    } = deploy(&mut client, ferdie, PLATFORM_FEE_BPS).await;

    // Bob registers with a 10% studio split; Dave gets LIVE and approves once.
    client
        .call(&ink_e2e::bob(), &tips_calls.register([7; 32], 500))
        .submit()
        .await
        .expect("registers");
    let studio = vec![Split {
        recipient: charlie,
        bps: STUDIO_BPS,
    }];
    client
        .call(&ink_e2e::bob(), &tips_calls.set_splits(studio))
        .submit()
        .await
        .expect("splits set");
    client
        .call(
            &ink_e2e::alice(),
            &token_calls.transfer(dave, 1_000 * LIVE, Vec::new()),
        )
        .submit()
        .await
        .expect("funds the viewer");
    client
        .call(&ink_e2e::dave(), &token_calls.approve(tips, 500 * LIVE))
        .submit()
        .await
        .expect("approves");

    // A LIVE tip: one extrinsic, so every transfer lands in the same block.
    let gross = 100 * LIVE;
    let quote = client
        .call(&ink_e2e::dave(), &tips_calls.quote(bob, gross))
        .dry_run()
        .await?
        .return_value()
        .expect("quotes");
    let expected = Division {
        platform_fee: gross * u128::from(PLATFORM_FEE_BPS) / 10_000,
        splits: vec![(charlie, gross * u128::from(STUDIO_BPS) / 10_000)],
        net: gross - gross * u128::from(PLATFORM_FEE_BPS + STUDIO_BPS) / 10_000,
    };
    assert_eq!(quote, expected);
    let tipped = client
        .call(&ink_e2e::dave(), &tips_calls.tip(bob, gross, Some([9; 32])))
        .submit()
        .await
        .expect("tips in LIVE");
    let emitted = tipped.contract_emitted_events()?;
    let from_token = emitted
        .iter()
        .filter(|event| event.event.contract == token)
        .count();
    // three transfers, each with the allowance update
    assert_eq!(
        from_token, 6,
        "every share moved in the tip's own extrinsic"
    );
    let tip_event = emitted
        .iter()
        .find(|event| event.event.contract == tips)
        .map(|event| Tipped::decode(&mut &event.event.data[..]))
        .expect("a Tipped event")?;
    assert_eq!((tip_event.viewer, tip_event.performer), (dave, bob));
    assert_eq!(tip_event.token, Some(token));
    assert_eq!(tip_event.gross, gross);
    assert_eq!(tip_event.platform_fee, expected.platform_fee);
    assert_eq!(tip_event.treasury, ferdie);
    assert_eq!(tip_event.splits, expected.splits);
    assert_eq!(tip_event.net, expected.net);
    assert_eq!(tip_event.memo, Some([9; 32]));
    assert_eq!(tip_event.tip_id, 0);

    for (account, amount) in [
        (bob, expected.net),
        (charlie, expected.splits[0].1),
        (ferdie, expected.platform_fee),
        (dave, 900 * LIVE),
        (tips, 0),
    ] {
        let held = client
            .call(&ink_e2e::alice(), &token_calls.balance_of(account))
            .dry_run()
            .await?
            .return_value();
        assert_eq!(held, amount);
    }
    let allowance = client
        .call(&ink_e2e::alice(), &token_calls.allowance(dave, tips))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(allowance, 400 * LIVE);

    // A native tip is forwarded at once; the contract keeps nothing.
    let native = 10 * LIVE;
    let before = [
        client.free_balance(bob).await?,
        client.free_balance(charlie).await?,
        client.free_balance(ferdie).await?,
        client.free_balance(tips).await?,
    ];
    client
        .call(&ink_e2e::dave(), &tips_calls.tip_native(bob, None))
        .value(native)
        .submit()
        .await
        .expect("tips natively");
    let after = [
        client.free_balance(bob).await?,
        client.free_balance(charlie).await?,
        client.free_balance(ferdie).await?,
        client.free_balance(tips).await?,
    ];
    let native_fee = native * u128::from(PLATFORM_FEE_BPS) / 10_000;
    let native_split = native * u128::from(STUDIO_BPS) / 10_000;
    assert_eq!(after[0] - before[0], native - native_fee - native_split);
    assert_eq!(after[1] - before[1], native_split);
    assert_eq!(after[2] - before[2], native_fee);
    assert_eq!(after[3], before[3]);

    // Dave tipped, so he may rate; the rating is the published formula's.
    let rated = client
        .call(&ink_e2e::dave(), &rating_calls.rate(bob, 5))
        .submit()
        .await
        .expect("rates");
    let rated_at = rated
        .contract_emitted_events()?
        .iter()
        .find_map(|event| rating::Rated::decode(&mut &event.event.data[..]).ok())
        .expect("a Rated event")
        .at;
    let score = client
        .call(&ink_e2e::alice(), &rating_calls.score_of(bob))
        .dry_run()
        .await?
        .return_value()
        .expect("bob has a score");
    assert_eq!(score.support.value, gross.isqrt());
    assert_eq!((score.star_count, score.star_sum), (1, 5));
    let on_chain = client
        .call(&ink_e2e::alice(), &rating_calls.rating_of(bob))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(on_chain, score.rating(&Params::LAUNCH, rated_at));
    assert_eq!(on_chain.stars_milli, (10 * 3_000 + 5_000) / 11);
    Ok(())
}

/// What the chain refuses: tips without allowance, forged rating inputs, stars
/// from non-tippers; and a refused tip moves nothing.
#[ink_e2e::test]
async fn forged_and_unfunded_inputs_are_refused<Client: E2EBackend>(
    mut client: Client,
) -> E2EResult<()> {
    let bob = account_id(AccountKeyring::Bob);
    let eve = account_id(AccountKeyring::Eve);
    let Livestars {
        token_calls,
        mut rating_calls,
        mut tips_calls,
        ..
    } = deploy(&mut client, eve, 0).await;

    let to_nobody = client
        .call(&ink_e2e::eve(), &tips_calls.tip(bob, LIVE, None))
        .dry_run()
        .await?;
    assert_eq!(to_nobody.return_value(), Err(Error::NotRegistered));

    client
        .call(&ink_e2e::bob(), &tips_calls.register([1; 32], 0))
        .submit()
        .await
        .expect("registers");
    let unapproved = client
        .call(&ink_e2e::alice(), &tips_calls.tip(bob, LIVE, None))
        .dry_run()
        .await?;
    assert_eq!(
        unapproved.return_value(),
        Err(Error::Token(PSP22Error::InsufficientAllowance))
    );
    // Submitting it anyway fails and leaves every balance as it was.
    assert!(client
        .call(&ink_e2e::alice(), &tips_calls.tip(bob, LIVE, None))
        .submit()
        .await
        .is_err());
    let bob_live = client
        .call(&ink_e2e::alice(), &token_calls.balance_of(bob))
        .dry_run()
        .await?
        .return_value();
    assert_eq!(bob_live, 0);

    // The rating refuses tips reported by anyone but the settlement contract...
    let forged = client
        .call(
            &ink_e2e::eve(),
            &rating_calls.record_tip(bob, eve, 1_000 * LIVE),
        )
        .dry_run()
        .await?;
    assert_eq!(forged.return_value(), Err(rating::Error::NotSettlement));
    // ...and stars from accounts that never tipped.
    let stars = client
        .call(&ink_e2e::eve(), &rating_calls.rate(bob, 5))
        .dry_run()
        .await?;
    assert_eq!(stars.return_value(), Err(rating::Error::NotASupporter));
    Ok(())
}
