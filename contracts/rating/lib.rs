//! The open livestars rating. Support comes only from tips settled by the tips
//! contract; stars (1–5) only from accounts that tipped the performer at least the
//! minimum, one vote each, changeable. The formula lives in `rating-formula` and is
//! specified in `docs/RATING.md`; its parameters are stored here with a version, and
//! every input is an event, so anyone can replay the events and get the same numbers.
#![cfg_attr(not(feature = "std"), no_std, no_main)]

pub use self::rating::{
    Error, ParamsChanged, Rated, Rating, RatingRef, ScoreErased, SettlementChanged,
    SupportRecorded, Supporter, SupporterRemoved,
};
pub use rating_formula::{Params, Rating as RatingBreakdown};

#[ink::contract]
mod rating {
    use ink::storage::Mapping;
    use ownable::{Ownable, Ownable2Step, OwnableError};
    use rating_formula::{
        support_increment, Params, ParamsError, Rating as RatingBreakdown, Score, Support,
        MAX_STARS, MIN_STARS,
    };

    /// A counted tip raised `viewer`'s running total for `performer` to `viewer_total`.
    #[ink(event)]
    pub struct SupportRecorded {
        #[ink(topic)]
        pub performer: AccountId,
        #[ink(topic)]
        pub viewer: AccountId,
        pub amount: Balance,
        pub viewer_total: Balance,
        pub at: Timestamp,
    }

    /// `viewer` gave `performer` `stars`, replacing `previous`.
    #[ink(event)]
    pub struct Rated {
        #[ink(topic)]
        pub performer: AccountId,
        #[ink(topic)]
        pub viewer: AccountId,
        pub stars: u8,
        pub previous: Option<u8>,
        pub at: Timestamp,
    }

    /// `viewer` removed their entry for `performer`, withdrawing their faded share of
    /// the support (`support`) and their `stars`, if the entry still counted.
    #[ink(event)]
    pub struct SupporterRemoved {
        #[ink(topic)]
        pub performer: AccountId,
        #[ink(topic)]
        pub viewer: AccountId,
        pub support: u128,
        pub stars: Option<u8>,
        pub at: Timestamp,
    }

    /// `performer` erased their score; every earlier supporter of theirs starts afresh.
    #[ink(event)]
    pub struct ScoreErased {
        #[ink(topic)]
        pub performer: AccountId,
    }

    /// The formula's parameters are now `params`, as version `version`.
    #[ink(event)]
    pub struct ParamsChanged {
        pub version: u32,
        pub params: Params,
    }

    /// Only `settlement` may now report tips.
    #[ink(event)]
    pub struct SettlementChanged {
        #[ink(topic)]
        pub settlement: Option<AccountId>,
    }

    /// Why a rating call was refused; nothing changed.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    // scale-info's derive casts variant indices, of which there are few.
    #[allow(clippy::cast_possible_truncation)]
    pub enum Error {
        /// Only the settlement contract reports tips.
        NotSettlement,
        /// Stars must be 1 to 5.
        InvalidStars,
        /// The caller has no counted tip to this performer.
        NotASupporter,
        /// The caller has no score to erase.
        NoScore,
        /// The parameters are out of range.
        InvalidParams(ParamsError),
        /// A counter would overflow.
        Overflow,
        /// Only the owner may do this.
        NotOwner,
    }

    /// Result of a rating message.
    pub type Result<T> = core::result::Result<T, Error>;

    /// What one viewer contributed to one performer's score.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct Supporter {
        /// Sum of the viewer's counted tips (each at least the minimum).
        pub tipped: Balance,
        /// The viewer's stars, if given.
        pub stars: Option<u8>,
        /// The viewer's own share of the performer's support, fading alike.
        pub support: Support,
        /// The score this entry belongs to; an entry of an erased score is void.
        pub score_id: u64,
    }

    /// A performer's score with the identity that voids supporter entries on erasure.
    #[derive(Debug, PartialEq, Eq, Clone, Copy)]
    #[ink::scale_derive(Encode, Decode, TypeInfo)]
    #[cfg_attr(feature = "std", derive(ink::storage::traits::StorageLayout))]
    pub struct PerformerScore {
        pub id: u64,
        pub score: Score,
    }

    /// The rating book.
    #[ink(storage)]
    pub struct Rating {
        owner: Ownable,
        settlement: Option<AccountId>,
        params: Params,
        params_version: u32,
        scores: Mapping<AccountId, PerformerScore>,
        supporters: Mapping<(AccountId, AccountId), Supporter>,
        next_score_id: u64,
    }

    impl Rating {
        /// Creates the book with version 1 of the parameters; the caller owns it.
        /// `settlement` is the tips contract (settable later, as it is deployed after).
        #[ink(constructor)]
        pub fn new(settlement: Option<AccountId>, params: Params) -> Result<Self> {
            params.validate().map_err(Error::InvalidParams)?;
            let mut book = Self {
                owner: Ownable::new(Self::env().caller()),
                settlement: None,
                params,
                params_version: 0,
                scores: Mapping::default(),
                supporters: Mapping::default(),
                next_score_id: 0,
            };
            book.install_params(params)?;
            book.install_settlement(settlement);
            Ok(book)
        }

        /// `performer`'s rating now, broken into its terms.
        #[ink(message)]
        pub fn rating_of(&self, performer: AccountId) -> RatingBreakdown {
            self.scores
                .get(performer)
                .map(|entry| entry.score)
                .unwrap_or_default()
                .rating(&self.params, self.env().block_timestamp())
        }

        /// `performer`'s stored score (support as of its last update), if any.
        #[ink(message)]
        pub fn score_of(&self, performer: AccountId) -> Option<Score> {
            self.scores.get(performer).map(|entry| entry.score)
        }

        /// `viewer`'s live entry for `performer`, if any.
        #[ink(message)]
        pub fn supporter(&self, performer: AccountId, viewer: AccountId) -> Option<Supporter> {
            let score_id = self.scores.get(performer).map(|entry| entry.id)?;
            self.supporters
                .get((performer, viewer))
                .filter(|entry| entry.score_id == score_id)
        }

        /// The formula's parameters and their version.
        #[ink(message)]
        pub fn params(&self) -> (u32, Params) {
            (self.params_version, self.params)
        }

        /// The only account that may report tips.
        #[ink(message)]
        pub fn settlement(&self) -> Option<AccountId> {
            self.settlement
        }

        /// Counts a settled tip of `amount` from `viewer` to `performer`; tips under
        /// the minimum change nothing. Only the settlement contract may call this.
        #[ink(message)]
        pub fn record_tip(
            &mut self,
            performer: AccountId,
            viewer: AccountId,
            amount: Balance,
        ) -> Result<()> {
            if self.settlement != Some(self.env().caller()) {
                return Err(Error::NotSettlement);
            }
            if amount < self.params.min_tip {
                return Ok(());
            }
            let now = self.env().block_timestamp();
            let (mut entry, next_score_id) = match self.scores.get(performer) {
                Some(entry) => (entry, self.next_score_id),
                None => (
                    PerformerScore {
                        id: self.next_score_id,
                        score: Score::default(),
                    },
                    self.next_score_id.checked_add(1).ok_or(Error::Overflow)?,
                ),
            };
            let mut supporter = self
                .supporters
                .get((performer, viewer))
                .filter(|supporter| supporter.score_id == entry.id)
                .unwrap_or(Supporter {
                    tipped: 0,
                    stars: None,
                    support: Support::default(),
                    score_id: entry.id,
                });
            let viewer_total = supporter
                .tipped
                .checked_add(amount)
                .ok_or(Error::Overflow)?;
            let increment =
                support_increment(supporter.tipped, viewer_total).map_err(|_| Error::Overflow)?;
            entry
                .score
                .support
                .add(&self.params, increment, now)
                .map_err(|_| Error::Overflow)?;
            supporter
                .support
                .add(&self.params, increment, now)
                .map_err(|_| Error::Overflow)?;
            supporter.tipped = viewer_total;
            self.next_score_id = next_score_id;
            self.scores.insert(performer, &entry);
            self.supporters.insert((performer, viewer), &supporter);
            self.env().emit_event(SupportRecorded {
                performer,
                viewer,
                amount,
                viewer_total,
                at: now,
            });
            Ok(())
        }

        /// Gives `performer` 1–5 stars from the caller, who must have tipped them at
        /// least the minimum; a later call replaces the earlier vote.
        #[ink(message)]
        pub fn rate(&mut self, performer: AccountId, stars: u8) -> Result<()> {
            if !(MIN_STARS..=MAX_STARS).contains(&stars) {
                return Err(Error::InvalidStars);
            }
            let viewer = self.env().caller();
            let mut entry = self.scores.get(performer).ok_or(Error::NotASupporter)?;
            let mut supporter = self
                .supporters
                .get((performer, viewer))
                .filter(|supporter| supporter.score_id == entry.id)
                .ok_or(Error::NotASupporter)?;
            let previous = supporter.stars;
            if previous == Some(stars) {
                return Ok(());
            }
            entry
                .score
                .replace_stars(previous, Some(stars))
                .map_err(|_| Error::Overflow)?;
            supporter.stars = Some(stars);
            self.scores.insert(performer, &entry);
            self.supporters.insert((performer, viewer), &supporter);
            self.env().emit_event(Rated {
                performer,
                viewer,
                stars,
                previous,
                at: self.env().block_timestamp(),
            });
            Ok(())
        }

        /// Removes the caller's entry for `performer`, withdrawing their stars and
        /// their faded share of the support (so leaving and tipping again gains nothing).
        #[ink(message)]
        pub fn remove_supporter(&mut self, performer: AccountId) -> Result<()> {
            let viewer = self.env().caller();
            let supporter = self
                .supporters
                .get((performer, viewer))
                .ok_or(Error::NotASupporter)?;
            let now = self.env().block_timestamp();
            let (mut support, mut stars) = (0, None);
            if let Some(mut entry) = self
                .scores
                .get(performer)
                .filter(|entry| entry.id == supporter.score_id)
            {
                support = supporter.support.at(&self.params, now);
                stars = supporter.stars;
                entry
                    .score
                    .replace_stars(stars, None)
                    .map_err(|_| Error::Overflow)?;
                entry.score.support.remove(&self.params, support, now);
                self.scores.insert(performer, &entry);
            }
            self.supporters.remove((performer, viewer));
            self.env().emit_event(SupporterRemoved {
                performer,
                viewer,
                support,
                stars,
                at: now,
            });
            Ok(())
        }

        /// Erases the caller's own score. Entries of earlier supporters become void
        /// (each can still remove theirs); new tips start a fresh score.
        #[ink(message)]
        pub fn erase_score(&mut self) -> Result<()> {
            let performer = self.env().caller();
            if !self.scores.contains(performer) {
                return Err(Error::NoScore);
            }
            self.scores.remove(performer);
            self.env().emit_event(ScoreErased { performer });
            Ok(())
        }

        /// Installs new parameters as the next version; owner only. They apply from
        /// this block on; stored support is in parameter-free units and carries over.
        #[ink(message)]
        pub fn set_params(&mut self, params: Params) -> Result<()> {
            self.ensure_owner()?;
            params.validate().map_err(Error::InvalidParams)?;
            self.install_params(params)
        }

        /// Names the settlement contract allowed to report tips; owner only.
        #[ink(message)]
        pub fn set_settlement(&mut self, settlement: Option<AccountId>) -> Result<()> {
            self.ensure_owner()?;
            self.install_settlement(settlement);
            Ok(())
        }

        fn ensure_owner(&self) -> Result<()> {
            self.owner
                .ensure_owner(self.env().caller())
                .map_err(|_| Error::NotOwner)
        }

        fn install_params(&mut self, params: Params) -> Result<()> {
            let version = self.params_version.checked_add(1).ok_or(Error::Overflow)?;
            self.params = params;
            self.params_version = version;
            self.env().emit_event(ParamsChanged { version, params });
            Ok(())
        }

        fn install_settlement(&mut self, settlement: Option<AccountId>) {
            self.settlement = settlement;
            self.env().emit_event(SettlementChanged { settlement });
        }
    }

    impl Ownable2Step for Rating {
        #[ink(message)]
        fn owner(&self) -> AccountId {
            self.owner.owner()
        }

        #[ink(message)]
        fn pending_owner(&self) -> Option<AccountId> {
            self.owner.pending()
        }

        #[ink(message)]
        fn transfer_ownership(
            &mut self,
            new_owner: Option<AccountId>,
        ) -> core::result::Result<(), OwnableError> {
            self.owner.offer(self.env().caller(), new_owner)
        }

        #[ink(message)]
        fn accept_ownership(&mut self) -> core::result::Result<(), OwnableError> {
            self.owner.accept(self.env().caller())
        }
    }

    #[cfg(test)]
    #[allow(clippy::arithmetic_side_effects)]
    mod tests {
        use super::*;
        use ink::env::test::{self, DefaultAccounts};
        use ink::env::DefaultEnvironment;
        use test_support::{accounts, assert_event, events, set_caller};

        const LIVE: Balance = 1_000_000_000_000;

        fn set_time(ms: Timestamp) {
            test::set_block_timestamp::<DefaultEnvironment>(ms);
        }

        /// A book owned by Alice, with Eve standing in for the settlement contract.
        fn book() -> Rating {
            set_caller(accounts().alice);
            Rating::new(Some(accounts().eve), Params::LAUNCH).expect("launch params are valid")
        }

        fn tip(
            book: &mut Rating,
            performer: AccountId,
            viewer: AccountId,
            amount: Balance,
        ) -> Result<()> {
            set_caller(accounts().eve);
            book.record_tip(performer, viewer, amount)
        }

        #[ink::test]
        fn new_publishes_version_one_and_the_settlement() {
            let book = book();
            assert_eq!(book.params(), (1, Params::LAUNCH));
            assert_eq!(book.settlement(), Some(accounts().eve));
            let events = events();
            assert_eq!(events.len(), 2);
            assert_event(
                &events[0],
                ParamsChanged {
                    version: 1,
                    params: Params::LAUNCH,
                },
            );
            assert_event(
                &events[1],
                SettlementChanged {
                    settlement: Some(accounts().eve),
                },
            );
        }

        #[ink::test]
        fn new_refuses_invalid_params() {
            let params = Params {
                min_tip: 0,
                ..Params::LAUNCH
            };
            assert_eq!(
                Rating::new(None, params).err(),
                Some(Error::InvalidParams(ParamsError::MinTipZero))
            );
        }

        #[ink::test]
        fn only_the_settlement_reports_tips() {
            let mut book = book();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            set_caller(charlie);
            assert_eq!(
                book.record_tip(bob, charlie, 5 * LIVE),
                Err(Error::NotSettlement)
            );
            assert_eq!(book.score_of(bob), None);
            assert_eq!(events().len(), 2);
        }

        #[ink::test]
        fn counted_tips_add_the_root_of_the_running_total() {
            let mut book = book();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            set_time(1_000);
            assert_eq!(tip(&mut book, bob, charlie, 4 * LIVE), Ok(()));
            assert_eq!(tip(&mut book, bob, charlie, 5 * LIVE), Ok(()));
            let score = book.score_of(bob).unwrap();
            assert_eq!(score.support.value, (9 * LIVE).isqrt());
            assert_eq!(score.support.updated_at, 1_000);
            assert_eq!(book.supporter(bob, charlie).unwrap().tipped, 9 * LIVE);
            assert_event(
                &events()[3],
                SupportRecorded {
                    performer: bob,
                    viewer: charlie,
                    amount: 5 * LIVE,
                    viewer_total: 9 * LIVE,
                    at: 1_000,
                },
            );
        }

        #[ink::test]
        fn tips_below_the_minimum_change_nothing() {
            let mut book = book();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            assert_eq!(tip(&mut book, bob, charlie, LIVE - 1), Ok(()));
            assert_eq!(book.score_of(bob), None);
            assert_eq!(book.supporter(bob, charlie), None);
            assert_eq!(events().len(), 2);
            set_caller(charlie);
            assert_eq!(book.rate(bob, 5), Err(Error::NotASupporter));
        }

        #[ink::test]
        fn supporters_rate_once_and_may_change_their_vote() {
            let mut book = book();
            let DefaultAccounts {
                bob,
                charlie,
                django,
                ..
            } = accounts();
            tip(&mut book, bob, charlie, LIVE).unwrap();
            set_caller(charlie);
            assert_eq!(book.rate(bob, 0), Err(Error::InvalidStars));
            assert_eq!(book.rate(bob, 6), Err(Error::InvalidStars));
            assert_eq!(book.rate(bob, 5), Ok(()));
            assert_eq!(book.rate(bob, 4), Ok(()));
            let score = book.score_of(bob).unwrap();
            assert_eq!((score.star_count, score.star_sum), (1, 4));
            assert_event(
                &events()[4],
                Rated {
                    performer: bob,
                    viewer: charlie,
                    stars: 4,
                    previous: Some(5),
                    at: 0,
                },
            );
            // the same vote again changes nothing and says nothing
            assert_eq!(book.rate(bob, 4), Ok(()));
            assert_eq!(events().len(), 5);
            set_caller(django);
            assert_eq!(book.rate(bob, 5), Err(Error::NotASupporter));
        }

        #[ink::test]
        fn rating_of_combines_stars_and_decayed_support() {
            let mut book = book();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            assert_eq!(
                book.rating_of(bob).rating_ppm,
                300_000,
                "a newcomer sits at the prior"
            );
            tip(&mut book, bob, charlie, 10_000 * LIVE).unwrap();
            set_caller(charlie);
            book.rate(bob, 5).unwrap();
            let fresh = book.rating_of(bob);
            // support 10^8 = the half saturation: 50%; stars (30 + 5) / 11 = 3.181
            assert_eq!(fresh.support, 100_000_000);
            assert_eq!(fresh.support_ppm, 500_000);
            assert_eq!(fresh.stars_milli, 3_181);
            assert_eq!(fresh.rating_ppm, (3_181 * 200 + 500_000) / 2);
            set_time(Params::LAUNCH.half_life_ms);
            let later = book.rating_of(bob);
            assert_eq!(later.support, 50_000_000);
            assert!(later.rating_ppm < fresh.rating_ppm);
        }

        #[ink::test]
        fn removing_a_supporter_withdraws_their_share_and_frees_storage() {
            let mut book = book();
            let DefaultAccounts {
                bob,
                charlie,
                django,
                ..
            } = accounts();
            tip(&mut book, bob, charlie, 4 * LIVE).unwrap();
            tip(&mut book, bob, django, LIVE).unwrap();
            set_caller(charlie);
            book.rate(bob, 2).unwrap();
            let half_life = Params::LAUNCH.half_life_ms;
            set_time(half_life);
            assert_eq!(book.remove_supporter(bob), Ok(()));
            assert_eq!(book.supporter(bob, charlie), None);
            assert!(!book.supporters.contains((bob, charlie)));
            let score = book.score_of(bob).unwrap();
            assert_eq!((score.star_count, score.star_sum), (0, 0));
            // both shares halved; Charlie took his half along, Django's stays
            let charlie_share = (4 * LIVE).isqrt() / 2;
            assert_eq!(score.support.value, LIVE.isqrt() / 2);
            assert_event(
                &events()[5],
                SupporterRemoved {
                    performer: bob,
                    viewer: charlie,
                    support: charlie_share,
                    stars: Some(2),
                    at: half_life,
                },
            );
            assert_eq!(book.remove_supporter(bob), Err(Error::NotASupporter));
        }

        #[ink::test]
        fn leaving_and_tipping_again_gains_nothing() {
            let mut book = book();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            for _ in 0..4 {
                tip(&mut book, bob, charlie, LIVE).unwrap();
                set_caller(charlie);
                book.remove_supporter(bob).unwrap();
            }
            tip(&mut book, bob, charlie, LIVE).unwrap();
            assert_eq!(book.score_of(bob).unwrap().support.value, LIVE.isqrt());
        }

        #[ink::test]
        fn erasing_a_score_voids_earlier_supporters() {
            let mut book = book();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            tip(&mut book, bob, charlie, LIVE).unwrap();
            set_caller(charlie);
            book.rate(bob, 5).unwrap();
            set_caller(charlie);
            assert_eq!(book.erase_score(), Err(Error::NoScore));
            set_caller(bob);
            assert_eq!(book.erase_score(), Ok(()));
            assert_eq!(book.score_of(bob), None);
            assert_eq!(book.supporter(bob, charlie), None);
            assert_event(&events()[4], ScoreErased { performer: bob });
            // the old vote is void: no stars without a new tip
            set_caller(charlie);
            assert_eq!(book.rate(bob, 5), Err(Error::NotASupporter));
            // a new tip starts from zero
            tip(&mut book, bob, charlie, 4 * LIVE).unwrap();
            let entry = book.supporter(bob, charlie).unwrap();
            assert_eq!((entry.tipped, entry.stars), (4 * LIVE, None));
            assert_eq!(book.score_of(bob).unwrap().star_count, 0);
            // the void entry was overwritten; removing it now touches the new score
            set_caller(charlie);
            book.rate(bob, 3).unwrap();
            book.remove_supporter(bob).unwrap();
            assert_eq!(book.score_of(bob).unwrap().star_count, 0);
        }

        #[ink::test]
        fn a_void_entry_can_still_be_removed() {
            let mut book = book();
            let DefaultAccounts { bob, charlie, .. } = accounts();
            tip(&mut book, bob, charlie, LIVE).unwrap();
            set_caller(bob);
            book.erase_score().unwrap();
            set_caller(charlie);
            assert_eq!(book.remove_supporter(bob), Ok(()));
            assert!(!book.supporters.contains((bob, charlie)));
            assert_event(
                &events()[4],
                SupporterRemoved {
                    performer: bob,
                    viewer: charlie,
                    support: 0,
                    stars: None,
                    at: 0,
                },
            );
        }

        #[ink::test]
        fn the_owner_versions_parameters_and_names_the_settlement() {
            let mut book = book();
            let DefaultAccounts { alice, bob, .. } = accounts();
            let params = Params {
                star_weight_bps: 7_000,
                ..Params::LAUNCH
            };
            set_caller(bob);
            assert_eq!(book.set_params(params), Err(Error::NotOwner));
            assert_eq!(book.set_settlement(Some(bob)), Err(Error::NotOwner));
            set_caller(alice);
            let bad = Params {
                star_weight_bps: 10_001,
                ..Params::LAUNCH
            };
            assert_eq!(
                book.set_params(bad),
                Err(Error::InvalidParams(ParamsError::StarWeightOutOfRange))
            );
            assert_eq!(events().len(), 2);
            assert_eq!(book.set_params(params), Ok(()));
            assert_eq!(book.params(), (2, params));
            assert_event(&events()[2], ParamsChanged { version: 2, params });
            assert_eq!(book.set_settlement(Some(bob)), Ok(()));
            assert_eq!(book.settlement(), Some(bob));
            assert_event(
                &events()[3],
                SettlementChanged {
                    settlement: Some(bob),
                },
            );
        }

        #[ink::test]
        fn ownership_moves_in_two_steps() {
            let mut book = book();
            let DefaultAccounts { alice, bob, .. } = accounts();
            assert_eq!(book.transfer_ownership(Some(bob)), Ok(()));
            set_caller(bob);
            assert_eq!(book.accept_ownership(), Ok(()));
            assert_eq!(book.owner(), bob);
            set_caller(alice);
            assert_eq!(book.set_settlement(None), Err(Error::NotOwner));
        }
    }
}
