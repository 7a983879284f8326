//! The rating: stars weighed by stake, removing a supporter, erasing, pruning.

use super::*;

#[ink::test]
fn stars_weigh_as_much_as_the_voters_stake() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        ..
    } = accounts();
    set_caller(charlie);
    assert_eq!(token.rate(bob, 5), Err(Error::NotASupporter));
    set_caller(alice);
    token.transfer(charlie, 10_000 * LIVE, Vec::new()).unwrap();
    // Django stakes 9x what Charlie stakes
    tip_as(&mut token, django, bob, 900 * LIVE).unwrap();
    tip_as(&mut token, charlie, bob, 100 * LIVE).unwrap();
    set_caller(django);
    assert_eq!(token.rate(bob, 0), Err(Error::InvalidStars));
    assert_eq!(token.rate(bob, 2), Ok(()));
    set_caller(charlie);
    assert_eq!(token.rate(bob, 5), Ok(()));
    assert_eq!(token.rate(bob, 4), Ok(()));
    assert_event(
        events().last().unwrap(),
        Rated {
            performer: bob,
            viewer: charlie,
            stars: 4,
            previous: Some(5),
            at: 0,
        },
    );
    let before = events().len();
    assert_eq!(token.rate(bob, 4), Ok(()), "the same vote again");
    assert_eq!(events().len(), before);
    // (1 LIVE prior * 3000 + 9 LIVE * 2000 + 1 LIVE * 4000) / 11 LIVE
    let rating = token.rating_of(bob);
    assert_eq!(rating.stars_milli, (3_000 + 9 * 2_000 + 4_000) / 11);
    assert_eq!((rating.voters, rating.vote_weight), (2, 10 * LIVE));
}

#[ink::test]
fn removing_a_supporter_takes_out_exactly_their_stake_and_frees_storage() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        ..
    } = accounts();
    set_caller(alice);
    token.transfer(charlie, 1_000 * LIVE, Vec::new()).unwrap();
    tip_as(&mut token, charlie, bob, 100 * LIVE).unwrap();
    let alone = token.rating_of(bob);
    tip_as(&mut token, django, bob, 300 * LIVE).unwrap();
    set_caller(django);
    token.rate(bob, 1).unwrap();
    assert_eq!(token.remove_supporter(bob), Ok(()));
    assert_eq!(token.supporter(bob, django), None);
    assert!(!token.ratings.supporters.contains((bob, django)));
    assert_eq!(token.rating_of(bob), alone);
    assert_event(
        events().last().unwrap(),
        SupporterRemoved {
            performer: bob,
            viewer: django,
            stake: 3 * LIVE,
            stars: Some(1),
            at: 0,
        },
    );
    assert_eq!(token.remove_supporter(bob), Err(Error::NotASupporter));
}

#[ink::test]
fn erasing_keeps_the_score_so_reviews_cannot_be_laundered() {
    let mut token = livestars();
    let DefaultAccounts {
        alice, bob, django, ..
    } = accounts();
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    set_caller(django);
    token.rate(bob, 1).unwrap();
    let rated = token.rating_of(bob);
    assert!(rated.stars_milli < 3_000);
    set_caller(bob);
    assert_eq!(token.erase(), Ok(()));
    assert_eq!(token.performer(bob), None);
    assert_eq!(
        tip_as(&mut token, django, bob, LIVE),
        Err(Error::NotRegistered)
    );
    // back on the same account: the same score, not the newcomer's prior
    set_caller(bob);
    token.register([3; 32], 500).unwrap();
    assert_eq!(token.rating_of(bob), rated);
    // and a new attestation is needed
    assert_eq!(
        tip_as(&mut token, django, bob, LIVE),
        Err(Error::NotAttested)
    );
    set_caller(alice);
    token.set_adult_attestation(bob, true).unwrap();
    assert_eq!(tip_as(&mut token, django, bob, LIVE), Ok(1));
}

#[ink::test]
fn only_a_spent_score_of_an_unregistered_performer_is_pruned() {
    let mut token = livestars();
    let DefaultAccounts {
        bob,
        charlie,
        django,
        ..
    } = accounts();
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    set_caller(charlie);
    assert_eq!(token.prune_score(bob), Err(Error::ScoreInUse));
    set_caller(bob);
    token.erase().unwrap();
    set_caller(charlie);
    assert_eq!(
        token.prune_score(bob),
        Err(Error::ScoreInUse),
        "still counts"
    );
    assert_eq!(
        token.clear_supporter(bob, django),
        Err(Error::ScoreInUse),
        "an entry of a score that counts stays"
    );
    // 130 half-lives later nothing is left of 1 LIVE of stake; Django's entry
    // must go first, and anyone may clear it.
    set_time(130 * 512 * 3_600_000);
    assert_eq!(token.supporter_entries(bob), 1);
    assert_eq!(
        token.prune_score(bob),
        Err(Error::ScoreInUse),
        "entries remain"
    );
    assert_eq!(token.clear_supporter(bob, django), Ok(()));
    assert_eq!(token.supporter_entries(bob), 0);
    assert_eq!(token.prune_score(bob), Ok(()));
    assert_eq!(token.score_of(bob), None);
    assert_event(events().last().unwrap(), ScorePruned { performer: bob });
    assert_eq!(token.prune_score(bob), Err(Error::ScoreInUse));
}

#[ink::test]
fn an_old_vote_never_reapplies_to_a_pruned_performers_new_score() {
    let mut token = livestars();
    let DefaultAccounts {
        alice,
        bob,
        charlie,
        django,
        ..
    } = accounts();
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    set_caller(django);
    token.rate(bob, 5).unwrap();
    set_caller(bob);
    token.erase().unwrap();
    set_time(130 * 512 * 3_600_000);
    set_caller(charlie);
    token.clear_supporter(bob, django).unwrap();
    token.prune_score(bob).unwrap();
    // Bob registers again and Django tips again: a fresh entry, no stars, no voter.
    set_caller(bob);
    token.register([2; 32], 500).unwrap();
    set_caller(alice);
    token.set_adult_attestation(bob, true).unwrap();
    tip_as(&mut token, django, bob, 100 * LIVE).unwrap();
    assert_eq!(token.supporter(bob, django).unwrap().stars, None);
    let score = token.score_of(bob).unwrap();
    assert_eq!((score.voters, score.vote_weight), (0, 0));
    assert_eq!(token.supporter_entries(bob), 1);
}
