//! Goals reached, for the live feed: the publisher hands over each batch of tips it
//! published, and a goal is announced once, by the tip that reaches it (the room's
//! goal, `livestars_indexer::room::Goal`, counts every LIVE tip from its start).

use crate::views::{show, GoalReachedView};
use livestars_indexer::decode::AccountId;
use livestars_indexer::room::{parse_amount, GOAL_SCAN};
use livestars_indexer::store::{Store, StoreError, TipRecord};
use std::collections::HashMap;

/// A published tip as goals count it.
pub struct Counted {
    performer: AccountId,
    /// In LIVE (goals count no native tips).
    live: bool,
    gross: u128,
    at_ms: u64,
    position: (u32, u32),
}

impl From<&TipRecord> for Counted {
    fn from(tip: &TipRecord) -> Self {
        Self {
            performer: tip.performer,
            live: tip.token.is_some(),
            gross: tip.gross,
            at_ms: tip.at_ms,
            position: tip.position(),
        }
    }
}

/// The goals of performers tipped since the start, with what they raised so far:
/// counted once from the store when first seen, then from each published tip, so
/// a goal is announced once, by the tip that reaches it.
#[derive(Default)]
pub struct Goals {
    tracked: HashMap<AccountId, Tracked>,
}

struct Tracked {
    since_ms: u64,
    amount: u128,
    label: String,
    raised: u128,
    announced: bool,
}

impl Goals {
    /// The goals that `tips` (just published, in chain order) reached, in the order
    /// of the tips that reached them.
    pub async fn reached(&mut self, store: &Store, tips: &[Counted]) -> Vec<GoalReachedView> {
        let mut performers: Vec<AccountId> = tips.iter().map(|tip| tip.performer).collect();
        performers.sort_unstable();
        performers.dedup();
        let mut reached = Vec::new();
        for performer in performers {
            match self.follow(store, &performer, tips).await {
                Ok(Some(goal)) => reached.push(goal),
                Ok(None) => {}
                // A goal not announced is a lost alert, never a lost tip: say why.
                Err(e) => tracing::warn!("goal feed: {e}"),
            }
        }
        reached.sort_by_key(|(position, _)| *position);
        reached.into_iter().map(|(_, goal)| goal).collect()
    }

    /// Counts `performer`'s share of `tips` towards their goal; the goal, with the
    /// position of the tip that reached it, if one did.
    async fn follow(
        &mut self,
        store: &Store,
        performer: &AccountId,
        tips: &[Counted],
    ) -> Result<Option<((u32, u32), GoalReachedView)>, StoreError> {
        let goal = store.room(performer).await?.and_then(|room| room.room.goal);
        let Some(goal) = goal else {
            self.tracked.remove(performer);
            return Ok(None);
        };
        let amount = parse_amount("amount", &goal.amount)
            .map_err(|e| StoreError::Corrupt(format!("a stored goal: {e}")))?;
        let counted = tips
            .iter()
            .filter(|tip| tip.performer == *performer && tip.live && goal.counts(tip.at_ms));
        let same = self.tracked.get(performer).is_some_and(|t| {
            t.since_ms == goal.since_ms && t.amount == amount && t.label == goal.label
        });
        if !same {
            // First seen (or a new goal): counted from the store up to the last tip
            // published (it may hold later ones, not published yet), less this batch,
            // counted below.
            let (block, index) = tips.last().map_or((0, 0), |tip| tip.position);
            let up_to = Some((block, index.saturating_add(1)));
            let (raised, _) = store
                .raised_towards(performer, &goal, up_to, GOAL_SCAN)
                .await?;
            let batch = counted
                .clone()
                .fold(0u128, |sum, tip| sum.saturating_add(tip.gross));
            let before = raised.saturating_sub(batch);
            self.tracked.insert(
                *performer,
                Tracked {
                    since_ms: goal.since_ms,
                    amount,
                    label: goal.label.clone(),
                    raised: before,
                    announced: before >= amount,
                },
            );
        }
        let tracked = self.tracked.get_mut(performer).expect("tracked just above");
        let mut reached_by = None;
        for tip in counted {
            tracked.raised = tracked.raised.saturating_add(tip.gross);
            if !tracked.announced && tracked.raised >= amount {
                tracked.announced = true;
                reached_by = Some(tip.position);
            }
        }
        Ok(reached_by.map(|(block, index)| {
            let view = GoalReachedView {
                id: format!("{}-{}", show(performer), goal.since_ms),
                performer: show(performer),
                label: goal.label,
                amount: amount.to_string(),
                raised: tracked.raised.to_string(),
                tip: format!("{block}-{index}"),
            };
            ((block, index), view)
        }))
    }
}
