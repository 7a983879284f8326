//! The open rating (`rating-formula`, `docs/RATING.md`): each performer's score and
//! each supporter's contribution to it. Only burned stake counts. Each change
//! returns the event it raises.

use crate::errors::{Error, Result};
use crate::registry::Registry;
use ink::storage::Mapping;
use livestars_abi::{AccountId, Rated, ScorePruned, SupporterRemoved, Timestamp};
use rating_formula::{
    tick_of, Contribution, Params, Rating as RatingBreakdown, Score, MAX_STARS, MIN_STARS,
};

/// The scores and who contributed what to them.
#[ink::storage_item]
#[derive(Debug, Default)]
pub struct Ratings {
    scores: Mapping<AccountId, Score>,
    pub(crate) supporters: Mapping<(AccountId, AccountId), Contribution>,
    /// How many entries of `supporters` each performer has (absent: none). A score
    /// is pruned only once it has none, so no entry outlives its score and an old
    /// vote never re-applies to a new score's stake.
    entries: Mapping<AccountId, u32>,
}

impl Ratings {
    /// `performer`'s rating at `now` under `params`, broken into its terms.
    pub fn rating(&self, performer: AccountId, params: &Params, now: Timestamp) -> RatingBreakdown {
        self.scores
            .get(performer)
            .unwrap_or_default()
            .rating(params, tick_of(now))
    }

    pub fn score(&self, performer: AccountId) -> Option<Score> {
        self.scores.get(performer)
    }

    pub fn supporter(&self, performer: AccountId, viewer: AccountId) -> Option<Contribution> {
        self.supporters.get((performer, viewer))
    }

    /// Counts `burned` as `viewer`'s stake in `performer`'s score.
    pub fn stake(
        &mut self,
        viewer: AccountId,
        performer: AccountId,
        burned: u128,
        now: Timestamp,
    ) -> Result<()> {
        let tick = tick_of(now);
        let mut score = self.scores.get(performer).unwrap_or_default();
        let stored = self.supporters.get((performer, viewer));
        let entries = self.entries(performer);
        let entries = match stored {
            Some(_) => entries,
            None => entries.checked_add(1).ok_or(Error::Overflow)?,
        };
        let mut entry = stored.unwrap_or_default();
        score
            .stake(&mut entry, burned, tick)
            .map_err(|_| Error::Overflow)?;
        self.scores.insert(performer, &score);
        self.supporters.insert((performer, viewer), &entry);
        self.entries.insert(performer, &entries);
        Ok(())
    }

    /// How many supporters' entries `performer`'s score has.
    pub fn entries(&self, performer: AccountId) -> u32 {
        self.entries.get(performer).unwrap_or_default()
    }

    /// `viewer` gives `performer` 1–5 stars, weighted by their stake; `None` when
    /// it is the vote they gave already.
    pub fn rate(
        &mut self,
        viewer: AccountId,
        performer: AccountId,
        stars: u8,
        now: Timestamp,
    ) -> Result<Option<Rated>> {
        if !(MIN_STARS..=MAX_STARS).contains(&stars) {
            return Err(Error::InvalidStars);
        }
        let mut entry = self
            .supporters
            .get((performer, viewer))
            .ok_or(Error::NotASupporter)?;
        if entry.stars == Some(stars) {
            return Ok(None);
        }
        let mut score = self.scores.get(performer).unwrap_or_default();
        let previous = score
            .vote(&mut entry, stars, tick_of(now))
            .map_err(|_| Error::Overflow)?;
        self.scores.insert(performer, &score);
        self.supporters.insert((performer, viewer), &entry);
        Ok(Some(Rated {
            performer,
            viewer,
            stars,
            previous,
            at: now,
        }))
    }

    /// Removes `viewer`'s contribution to `performer`: exactly their decayed stake
    /// and their vote leave the score, and the entry's storage is freed.
    pub fn remove_supporter(
        &mut self,
        viewer: AccountId,
        performer: AccountId,
        now: Timestamp,
    ) -> Result<SupporterRemoved> {
        let entry = self
            .supporters
            .get((performer, viewer))
            .ok_or(Error::NotASupporter)?;
        let mut score = self.scores.get(performer).unwrap_or_default();
        let stake = score.withdraw(&entry, tick_of(now));
        self.scores.insert(performer, &score);
        self.supporters.remove((performer, viewer));
        match self.entries(performer).saturating_sub(1) {
            0 => self.entries.remove(performer),
            left => {
                self.entries.insert(performer, &left);
            }
        }
        Ok(SupporterRemoved {
            performer,
            viewer,
            stake,
            stars: entry.stars,
            at: now,
        })
    }

    /// Removes `viewer`'s entry in a spent score (one worth nothing: every stake in
    /// it has decayed to nothing, so no rating changes); anyone may, so that the
    /// score can be pruned.
    pub fn clear_supporter(
        &mut self,
        viewer: AccountId,
        performer: AccountId,
        now: Timestamp,
    ) -> Result<SupporterRemoved> {
        let score = self.scores.get(performer).unwrap_or_default();
        if !score.is_spent(tick_of(now)) {
            return Err(Error::ScoreInUse);
        }
        self.remove_supporter(viewer, performer, now)
    }

    /// Deletes the score of a performer who is not registered once it is spent and
    /// its supporters' entries are cleared.
    pub fn prune(
        &mut self,
        registry: &Registry,
        performer: AccountId,
        now: Timestamp,
    ) -> Result<ScorePruned> {
        let score = self.scores.get(performer).ok_or(Error::ScoreInUse)?;
        if registry.contains(performer)
            || !score.is_spent(tick_of(now))
            || self.entries(performer) > 0
        {
            return Err(Error::ScoreInUse);
        }
        self.scores.remove(performer);
        Ok(ScorePruned { performer })
    }
}
