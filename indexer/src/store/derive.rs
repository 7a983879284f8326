//! Applies a batch of raw events to the mirror: the raw rows, the tips, and what they
//! change in the derived tables.
//!
//! A batch of full blocks holds tens of thousands of events but touches a few dozen
//! derived rows (totals, supporters, hourly buckets, rating state). Each such row is
//! read at most once per batch, changed in memory by every event in chain order, and
//! written once when the batch is flushed; raw events and tips go in as multi-row
//! inserts. The result is the same as applying the events one at a time.

use super::{get_amount, get_u32, RawEvent, StoreError};
use crate::decode::{self, AccountId, LiveEvent, Tipped};
use crate::rating::{self, Input, Schedule, VersionedParams};
use rating_formula::{Contribution, Params, Scheduled, Score};
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};
use std::collections::hash_map::{Entry, HashMap};
use std::hash::Hash;

type Tx<'a> = Transaction<'a, Any>;

/// The token column's value for tips in the chain's native currency.
pub const NATIVE: &str = "native";

/// An amount as stored: 40 zero-padded digits, so text order is numeric order.
pub fn amount_text(value: u128) -> String {
    format!("{value:040}")
}

/// One batch's changes, gathered until [`Batch::flush`] writes them into the
/// transaction the batch belongs to.
pub(super) struct Batch {
    rows_per_insert: usize,
    events: Vec<EventRow>,
    tips: Vec<TipRow>,
    supporters: Table<SupporterGross>,
    performer_totals: Table<PerformerTotals>,
    viewer_totals: Table<ViewerTotals>,
    hourly: Table<HourlyTotals>,
    schedule: Table<Schedule>,
    scores: Table<Score>,
    contributions: Table<Contribution>,
}

impl Batch {
    /// An empty batch whose raw rows go in `rows_per_insert` to a statement.
    pub(super) fn new(rows_per_insert: usize) -> Self {
        Self {
            rows_per_insert,
            events: Vec::new(),
            tips: Vec::new(),
            supporters: Table::default(),
            performer_totals: Table::default(),
            viewer_totals: Table::default(),
            hourly: Table::default(),
            schedule: Table::default(),
            scores: Table::default(),
            contributions: Table::default(),
        }
    }

    /// Takes in `event` (of block `block`): its raw row and, if it is one of the
    /// LIVE contract at `live_token` that we understand, its effect on the derived
    /// tables.
    pub(super) async fn add(
        &mut self,
        tx: &mut Tx<'_>,
        live_token: &AccountId,
        block: u32,
        event: &RawEvent,
    ) -> Result<(), StoreError> {
        let decoded = decode::decode(&event.topics, &event.data).ok();
        self.events.push(EventRow {
            block: i64::from(block),
            index: i64::from(event.event_index),
            extrinsic: event.extrinsic_index.map(i64::from),
            contract: hex::encode(event.contract),
            name: decoded.as_ref().map_or("unknown", LiveEvent::name),
            topics: event
                .topics
                .iter()
                .map(hex::encode)
                .collect::<Vec<_>>()
                .join(","),
            data: hex::encode(&event.data),
            performer: decoded
                .as_ref()
                .and_then(LiveEvent::performer)
                .map(hex::encode),
        });

        let Some(decoded) = decoded.filter(|_| event.contract == *live_token) else {
            return Ok(());
        };
        if let Some(input) = rating::input(&decoded, live_token) {
            self.record_rating(tx, block, event.event_index, input)
                .await?;
        }
        match decoded {
            LiveEvent::Tipped(tip) => self.record_tip(tx, block, event.event_index, &tip).await,
            // The registry and the verifier listings are written through at once:
            // their rows are few, and an attestation reads its verifier's listing
            // back through SQL.
            LiveEvent::PerformerRegistered {
                performer,
                profile,
                max_fee_bps,
            } => {
                sqlx::query(
                    "INSERT INTO performers (account, profile, max_fee_bps, splits, \
                     adult_verifier, adult_listing, registered_block) \
                     VALUES ($1, $2, $3, '[]', NULL, NULL, $4) \
                     ON CONFLICT (account) DO UPDATE SET profile = excluded.profile, \
                     max_fee_bps = excluded.max_fee_bps, splits = '[]', \
                     adult_verifier = NULL, adult_listing = NULL, \
                     registered_block = excluded.registered_block",
                )
                .bind(hex::encode(performer))
                .bind(hex::encode(profile))
                .bind(i64::from(max_fee_bps))
                .bind(i64::from(block))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
            LiveEvent::ProfileChanged { performer, profile } => {
                update_performer(tx, "profile", hex::encode(profile), &performer).await
            }
            LiveEvent::MaxFeeChanged {
                performer,
                max_fee_bps,
            } => update_performer(tx, "max_fee_bps", i64::from(max_fee_bps), &performer).await,
            LiveEvent::SplitsChanged { performer, splits } => {
                let splits: Vec<_> = splits
                    .iter()
                    .map(|(recipient, bps)| serde_json::json!([hex::encode(recipient), bps]))
                    .collect();
                update_performer(
                    tx,
                    "splits",
                    serde_json::Value::from(splits).to_string(),
                    &performer,
                )
                .await
            }
            LiveEvent::AdultAttestationChanged {
                performer,
                verifier,
                adult,
            } => {
                // The attestation keeps the verifier's listing at this point (none if
                // it is not listed); withdrawing it clears both.
                sqlx::query(
                    "UPDATE performers SET adult_verifier = $1, adult_listing = \
                     (SELECT listing FROM verifier_listings \
                      WHERE verifier = $1 AND delisted_block IS NULL) \
                     WHERE account = $2",
                )
                .bind(adult.then(|| hex::encode(verifier)))
                .bind(hex::encode(performer))
                .execute(&mut **tx)
                .await?;
                Ok(())
            }
            LiveEvent::VerifierChanged { verifier, allowed } => {
                let verifier = hex::encode(verifier);
                // The contract reports only changes; ending any listing first keeps
                // a verifier at one listing whatever the events say.
                sqlx::query(
                    "UPDATE verifier_listings SET delisted_block = $1 \
                     WHERE verifier = $2 AND delisted_block IS NULL",
                )
                .bind(i64::from(block))
                .bind(&verifier)
                .execute(&mut **tx)
                .await?;
                if allowed {
                    // Numbered as the contract numbers them: 1, 2, ... per listing.
                    sqlx::query(
                        "INSERT INTO verifier_listings (listing, verifier, listed_block, \
                         delisted_block) SELECT COUNT(*) + 1, $1, $2, NULL \
                         FROM verifier_listings",
                    )
                    .bind(&verifier)
                    .bind(i64::from(block))
                    .execute(&mut **tx)
                    .await?;
                }
                Ok(())
            }
            LiveEvent::PerformerErased { performer } => {
                sqlx::query("DELETE FROM performers WHERE account = $1")
                    .bind(hex::encode(performer))
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Writes everything gathered: raw events, tips, and each changed derived row once.
    pub(super) async fn flush(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        for chunk in self.events.chunks(self.rows_per_insert) {
            let sql = insert_sql(
                "events (block_number, event_index, extrinsic_index, contract, name, topics, \
                 data, performer)",
                8,
                chunk.len(),
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                query = query
                    .bind(row.block)
                    .bind(row.index)
                    .bind(row.extrinsic)
                    .bind(row.contract.as_str())
                    .bind(row.name)
                    .bind(row.topics.as_str())
                    .bind(row.data.as_str())
                    .bind(row.performer.as_deref());
            }
            query.execute(&mut **tx).await?;
        }
        for chunk in self.tips.chunks(self.rows_per_insert) {
            let sql = insert_sql(
                "tips (block_number, event_index, tip_id, viewer, performer, token, gross, \
                 platform_fee, treasury, burned, splits, net, memo, at_ms)",
                14,
                chunk.len(),
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for row in chunk {
                query = query
                    .bind(row.block)
                    .bind(row.index)
                    .bind(row.tip_id)
                    .bind(row.viewer.as_str())
                    .bind(row.performer.as_str())
                    .bind(row.token.as_deref())
                    .bind(amount_text(row.gross))
                    .bind(amount_text(row.platform_fee))
                    .bind(row.treasury.as_str())
                    .bind(amount_text(row.burned))
                    .bind(row.splits.as_str())
                    .bind(amount_text(row.net))
                    .bind(row.memo.as_deref())
                    .bind(row.at_ms);
            }
            query.execute(&mut **tx).await?;
        }
        self.supporters.flush(tx).await?;
        self.performer_totals.flush(tx).await?;
        self.viewer_totals.flush(tx).await?;
        self.hourly.flush(tx).await?;
        self.schedule.flush(tx).await?;
        self.scores.flush(tx).await?;
        self.contributions.flush(tx).await
    }

    async fn record_tip(
        &mut self,
        tx: &mut Tx<'_>,
        block: u32,
        event_index: u32,
        tip: &Tipped,
    ) -> Result<(), StoreError> {
        let performer = hex::encode(tip.performer);
        let viewer = hex::encode(tip.viewer);
        let token = tip.token.map_or_else(|| NATIVE.to_owned(), hex::encode);
        let splits: Vec<_> = tip
            .splits
            .iter()
            .map(|(recipient, amount)| {
                serde_json::json!([hex::encode(recipient), amount.to_string()])
            })
            .collect();
        let at_ms = to_i64(tip.at)?;
        self.tips.push(TipRow {
            block: i64::from(block),
            index: i64::from(event_index),
            tip_id: to_i64(tip.tip_id)?,
            viewer: viewer.clone(),
            performer: performer.clone(),
            token: tip.token.map(hex::encode),
            gross: tip.gross,
            platform_fee: tip.platform_fee,
            treasury: hex::encode(tip.treasury),
            burned: tip.burned,
            splits: serde_json::Value::from(splits).to_string(),
            net: tip.net,
            memo: tip.memo.map(hex::encode),
            at_ms,
        });

        // Distinct supporters: a first tip from this viewer (in this token) adds one.
        let supporter = self
            .supporters
            .get(tx, (performer.clone(), viewer.clone(), token.clone()))
            .await?;
        let new_supporter = i64::from(supporter.is_none());
        let gross = add(supporter.map_or(0, |s| s.0), tip.gross)?;
        *supporter = Some(SupporterGross(gross));

        let totals = self
            .performer_totals
            .get(tx, (performer.clone(), token.clone()))
            .await?
            .get_or_insert_with(PerformerTotals::default);
        totals.tip_count = inc(totals.tip_count, 1)?;
        totals.gross = add(totals.gross, tip.gross)?;
        totals.net = add(totals.net, tip.net)?;
        totals.supporters = inc(totals.supporters, new_supporter)?;
        totals.last_tip_ms = at_ms;

        let totals = self
            .viewer_totals
            .get(tx, (viewer, token.clone()))
            .await?
            .get_or_insert_with(ViewerTotals::default);
        totals.tip_count = inc(totals.tip_count, 1)?;
        totals.gross = add(totals.gross, tip.gross)?;

        let hour = to_i64(tip.at / 3_600_000)?;
        let totals = self
            .hourly
            .get(tx, (performer, token, hour))
            .await?
            .get_or_insert_with(HourlyTotals::default);
        totals.tip_count = inc(totals.tip_count, 1)?;
        totals.gross = add(totals.gross, tip.gross)?;
        Ok(())
    }

    /// Applies one rating input to the schedule, the score and the contribution it
    /// changes, through `rating-formula` as the contract does.
    async fn record_rating(
        &mut self,
        tx: &mut Tx<'_>,
        block: u32,
        event_index: u32,
        input: Input,
    ) -> Result<(), StoreError> {
        let (performer, viewer, change) = match input {
            Input::Announce {
                params,
                effective_at,
            } => {
                let schedule = self.schedule.get(tx, ()).await?;
                rating::announce(schedule, params, effective_at);
                return Ok(());
            }
            Input::Score {
                performer,
                viewer,
                change,
            } => (hex::encode(performer), viewer, change),
        };
        let mut detached = None;
        let entry = match viewer {
            Some(viewer) => {
                self.contributions
                    .get(tx, (performer.clone(), hex::encode(viewer)))
                    .await?
            }
            None => &mut detached,
        };
        let score = self.scores.get(tx, performer).await?;
        rating::apply(&change, score, entry).map_err(|source| StoreError::Replay {
            block,
            index: event_index,
            source,
        })
    }
}

/// Rows of one derived table as this batch has seen them: loaded on first use,
/// `None` when absent (or deleted), saved at the flush when handed out for change.
struct Table<T: Derived> {
    rows: HashMap<T::Key, Slot<T>>,
}

struct Slot<T> {
    value: Option<T>,
    changed: bool,
}

impl<T: Derived> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: HashMap::new(),
        }
    }
}

impl<T: Derived> Table<T> {
    /// The row at `key`, to change: it will be saved (or deleted, if left `None`).
    async fn get(&mut self, tx: &mut Tx<'_>, key: T::Key) -> Result<&mut Option<T>, StoreError> {
        let slot = self.slot(tx, key).await?;
        slot.changed = true;
        Ok(&mut slot.value)
    }

    async fn slot(&mut self, tx: &mut Tx<'_>, key: T::Key) -> Result<&mut Slot<T>, StoreError> {
        Ok(match self.rows.entry(key) {
            Entry::Occupied(slot) => slot.into_mut(),
            Entry::Vacant(slot) => {
                let value = T::load(tx, slot.key()).await?;
                slot.insert(Slot {
                    value,
                    changed: false,
                })
            }
        })
    }

    async fn flush(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        for (key, slot) in self.rows {
            if slot.changed {
                T::save(tx, &key, slot.value.as_ref()).await?;
            }
        }
        Ok(())
    }
}

/// A derived row: how to read it and how to write it (or delete it, given `None`).
trait Derived: Sized {
    type Key: Hash + Eq + Send + Sync;
    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError>;
    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError>;
}

struct EventRow {
    block: i64,
    index: i64,
    extrinsic: Option<i64>,
    contract: String,
    name: &'static str,
    topics: String,
    data: String,
    performer: Option<String>,
}

struct TipRow {
    block: i64,
    index: i64,
    tip_id: i64,
    viewer: String,
    performer: String,
    token: Option<String>,
    gross: u128,
    platform_fee: u128,
    treasury: String,
    burned: u128,
    splits: String,
    net: u128,
    memo: Option<String>,
    at_ms: i64,
}

/// What one viewer tipped one performer in one token (`supporters`).
#[derive(Clone, Copy)]
struct SupporterGross(u128);

impl Derived for SupporterGross {
    type Key = (String, String, String);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (performer, viewer, token) = key;
        sqlx::query(
            "SELECT gross FROM supporters WHERE performer = $1 AND viewer = $2 AND token = $3",
        )
        .bind(performer)
        .bind(viewer)
        .bind(token)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| Ok(Self(get_amount(&row, "gross")?)))
        .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (performer, viewer, token) = key;
        let Some(Self(gross)) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO supporters (performer, viewer, token, gross) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (performer, viewer, token) DO UPDATE SET gross = excluded.gross",
        )
        .bind(performer)
        .bind(viewer)
        .bind(token)
        .bind(amount_text(*gross))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[derive(Default)]
struct PerformerTotals {
    tip_count: i64,
    gross: u128,
    net: u128,
    supporters: i64,
    last_tip_ms: i64,
}

impl Derived for PerformerTotals {
    type Key = (String, String);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (account, token) = key;
        sqlx::query(
            "SELECT tip_count, gross, net, supporters, last_tip_ms FROM performer_totals \
             WHERE account = $1 AND token = $2",
        )
        .bind(account)
        .bind(token)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| {
            Ok(Self {
                tip_count: row.try_get("tip_count")?,
                gross: get_amount(&row, "gross")?,
                net: get_amount(&row, "net")?,
                supporters: row.try_get("supporters")?,
                last_tip_ms: row.try_get("last_tip_ms")?,
            })
        })
        .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (account, token) = key;
        let Some(row) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO performer_totals (account, token, tip_count, gross, net, supporters, \
             last_tip_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (account, token) \
             DO UPDATE SET tip_count = excluded.tip_count, gross = excluded.gross, \
             net = excluded.net, supporters = excluded.supporters, \
             last_tip_ms = excluded.last_tip_ms",
        )
        .bind(account)
        .bind(token)
        .bind(row.tip_count)
        .bind(amount_text(row.gross))
        .bind(amount_text(row.net))
        .bind(row.supporters)
        .bind(row.last_tip_ms)
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[derive(Default)]
struct ViewerTotals {
    tip_count: i64,
    gross: u128,
}

impl Derived for ViewerTotals {
    type Key = (String, String);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (account, token) = key;
        sqlx::query("SELECT tip_count, gross FROM viewer_totals WHERE account = $1 AND token = $2")
            .bind(account)
            .bind(token)
            .fetch_optional(&mut **tx)
            .await?
            .map(|row| {
                Ok(Self {
                    tip_count: row.try_get("tip_count")?,
                    gross: get_amount(&row, "gross")?,
                })
            })
            .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (account, token) = key;
        let Some(row) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO viewer_totals (account, token, tip_count, gross) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (account, token) DO UPDATE SET tip_count = excluded.tip_count, \
             gross = excluded.gross",
        )
        .bind(account)
        .bind(token)
        .bind(row.tip_count)
        .bind(amount_text(row.gross))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

#[derive(Default)]
struct HourlyTotals {
    tip_count: i64,
    gross: u128,
}

impl Derived for HourlyTotals {
    type Key = (String, String, i64);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (performer, token, hour) = key;
        sqlx::query(
            "SELECT tip_count, gross FROM performer_hourly \
             WHERE performer = $1 AND token = $2 AND hour = $3",
        )
        .bind(performer)
        .bind(token)
        .bind(*hour)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| {
            Ok(Self {
                tip_count: row.try_get("tip_count")?,
                gross: get_amount(&row, "gross")?,
            })
        })
        .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (performer, token, hour) = key;
        let Some(row) = row else {
            return Ok(());
        };
        sqlx::query(
            "INSERT INTO performer_hourly (performer, token, hour, tip_count, gross) \
             VALUES ($1, $2, $3, $4, $5) ON CONFLICT (performer, token, hour) DO UPDATE SET \
             tip_count = excluded.tip_count, gross = excluded.gross",
        )
        .bind(performer)
        .bind(token)
        .bind(*hour)
        .bind(row.tip_count)
        .bind(amount_text(row.gross))
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// The rating parameters' schedule: the `current` row and, while one is announced
/// and not yet settled, the `next` row with the time it applies from.
impl Derived for Schedule {
    type Key = ();

    async fn load(tx: &mut Tx<'_>, _: &()) -> Result<Option<Self>, StoreError> {
        load_schedule(&mut **tx).await
    }

    async fn save(tx: &mut Tx<'_>, _: &(), row: Option<&Self>) -> Result<(), StoreError> {
        let Some(schedule) = row else {
            return Ok(());
        };
        save_params(tx, "current", &schedule.current, None).await?;
        match schedule.next {
            Some((next, effective_at)) => {
                save_params(tx, "next", &next, Some(to_i64(effective_at)?)).await
            }
            None => {
                sqlx::query("DELETE FROM rating_params WHERE slot = 'next'")
                    .execute(&mut **tx)
                    .await?;
                Ok(())
            }
        }
    }
}

async fn save_params(
    tx: &mut Tx<'_>,
    slot: &'static str,
    versioned: &VersionedParams,
    effective_at: Option<i64>,
) -> Result<(), StoreError> {
    let params = &versioned.params;
    sqlx::query(
        "INSERT INTO rating_params (slot, version, burn_bps, support_half_saturation, \
         prior_stars_milli, prior_weight, star_weight_bps, effective_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slot) DO UPDATE SET \
         version = excluded.version, burn_bps = excluded.burn_bps, \
         support_half_saturation = excluded.support_half_saturation, \
         prior_stars_milli = excluded.prior_stars_milli, prior_weight = excluded.prior_weight, \
         star_weight_bps = excluded.star_weight_bps, effective_at = excluded.effective_at",
    )
    .bind(slot)
    .bind(i64::from(versioned.version))
    .bind(i64::from(params.burn_bps))
    .bind(amount_text(params.support_half_saturation))
    .bind(i64::from(params.prior_stars_milli))
    .bind(amount_text(params.prior_weight))
    .bind(i64::from(params.star_weight_bps))
    .bind(effective_at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

impl Derived for Score {
    /// The performer (hex).
    type Key = String;

    async fn load(tx: &mut Tx<'_>, performer: &String) -> Result<Option<Self>, StoreError> {
        load_score(&mut **tx, performer).await
    }

    async fn save(
        tx: &mut Tx<'_>,
        performer: &String,
        row: Option<&Self>,
    ) -> Result<(), StoreError> {
        match row {
            Some(score) => sqlx::query(
                "INSERT INTO rating_scores (performer, epoch, support, vote_weight, vote_stars, \
                 voters) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (performer) \
                 DO UPDATE SET epoch = excluded.epoch, support = excluded.support, \
                 vote_weight = excluded.vote_weight, vote_stars = excluded.vote_stars, \
                 voters = excluded.voters",
            )
            .bind(performer)
            .bind(to_i64(score.epoch)?)
            .bind(amount_text(score.support))
            .bind(amount_text(score.vote_weight))
            .bind(amount_text(score.vote_stars))
            .bind(i64::from(score.voters)),
            None => sqlx::query("DELETE FROM rating_scores WHERE performer = $1").bind(performer),
        }
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

impl Derived for Contribution {
    /// (performer, viewer), hex.
    type Key = (String, String);

    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError> {
        let (performer, viewer) = key;
        sqlx::query(
            "SELECT epoch, stake, stars FROM rating_supporters \
             WHERE performer = $1 AND viewer = $2",
        )
        .bind(performer)
        .bind(viewer)
        .fetch_optional(&mut **tx)
        .await?
        .map(|row| {
            let stars: Option<i64> = row.try_get("stars")?;
            Ok(Self {
                epoch: to_u64(row.try_get("epoch")?)?,
                stake: get_amount(&row, "stake")?,
                stars: stars
                    .map(|s| u8::try_from(s).map_err(|_| StoreError::Corrupt("stars".into())))
                    .transpose()?,
            })
        })
        .transpose()
    }

    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError> {
        let (performer, viewer) = key;
        match row {
            Some(entry) => sqlx::query(
                "INSERT INTO rating_supporters (performer, viewer, epoch, stake, stars) \
                 VALUES ($1, $2, $3, $4, $5) ON CONFLICT (performer, viewer) DO UPDATE SET \
                 epoch = excluded.epoch, stake = excluded.stake, stars = excluded.stars",
            )
            .bind(performer)
            .bind(viewer)
            .bind(to_i64(entry.epoch)?)
            .bind(amount_text(entry.stake))
            .bind(entry.stars.map(i64::from)),
            None => {
                sqlx::query("DELETE FROM rating_supporters WHERE performer = $1 AND viewer = $2")
                    .bind(performer)
                    .bind(viewer)
            }
        }
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// `INSERT INTO {table_and_columns} VALUES (...), (...)` for `rows` rows of `columns`
/// placeholders each.
fn insert_sql(table_and_columns: &str, columns: usize, rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table_and_columns} VALUES ");
    for row in 0..rows {
        sql.push_str(if row == 0 { "(" } else { ", (" });
        for column in 0..columns {
            if column > 0 {
                sql.push_str(", ");
            }
            sql.push_str(&format!("${}", row * columns + column + 1));
        }
        sql.push(')');
    }
    sql
}

async fn update_performer<'q, T>(
    tx: &mut Tx<'_>,
    column: &'static str,
    value: T,
    performer: &AccountId,
) -> Result<(), StoreError>
where
    T: 'q + Send + sqlx::Encode<'q, Any> + sqlx::Type<Any>,
{
    // `column` is one of this module's literals, never input.
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "UPDATE performers SET {column} = $1 WHERE account = $2"
    )))
    .bind(value)
    .bind(hex::encode(performer))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The rating parameters' schedule as last indexed; `None` before the contract's
/// first announcement (its instantiation) is indexed.
pub async fn load_schedule<'e, E>(executor: E) -> Result<Option<Schedule>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    let rows = sqlx::query(
        "SELECT slot, version, burn_bps, support_half_saturation, prior_stars_milli, \
         prior_weight, star_weight_bps, effective_at FROM rating_params",
    )
    .fetch_all(executor)
    .await?;
    let (mut current, mut next) = (None, None);
    for row in &rows {
        let versioned = VersionedParams {
            version: get_u32(row, "version")?,
            params: Params {
                burn_bps: get_u16(row, "burn_bps")?,
                support_half_saturation: get_amount(row, "support_half_saturation")?,
                prior_stars_milli: get_u32(row, "prior_stars_milli")?,
                prior_weight: get_amount(row, "prior_weight")?,
                star_weight_bps: get_u16(row, "star_weight_bps")?,
            },
        };
        let effective_at: Option<i64> = row.try_get("effective_at")?;
        match (row.try_get::<String, _>("slot")?.as_str(), effective_at) {
            ("current", _) => current = Some(versioned),
            ("next", Some(at)) => next = Some((versioned, to_u64(at)?)),
            (slot, _) => return Err(StoreError::Corrupt(format!("rating_params slot {slot:?}"))),
        }
    }
    match (current, next) {
        (Some(current), next) => Ok(Some(Scheduled { current, next })),
        (None, None) => Ok(None),
        (None, Some(_)) => Err(StoreError::Corrupt(
            "announced rating parameters without current ones".into(),
        )),
    }
}

/// `performer`'s (hex) score as last indexed; `None` without one.
pub async fn load_score<'e, E>(executor: E, performer: &str) -> Result<Option<Score>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "SELECT epoch, support, vote_weight, vote_stars, voters \
         FROM rating_scores WHERE performer = $1",
    )
    .bind(performer)
    .fetch_optional(executor)
    .await?
    .as_ref()
    .map(score)
    .transpose()
}

/// Every performer's (hex) score as last indexed, in one read.
pub async fn load_scores<'e, E>(executor: E) -> Result<HashMap<String, Score>, StoreError>
where
    E: sqlx::Executor<'e, Database = Any>,
{
    sqlx::query(
        "SELECT performer, epoch, support, vote_weight, vote_stars, voters FROM rating_scores",
    )
    .fetch_all(executor)
    .await?
    .iter()
    .map(|row| Ok((row.try_get("performer")?, score(row)?)))
    .collect()
}

fn score(row: &AnyRow) -> Result<Score, StoreError> {
    Ok(Score {
        epoch: to_u64(row.try_get("epoch")?)?,
        support: get_amount(row, "support")?,
        vote_weight: get_amount(row, "vote_weight")?,
        vote_stars: get_amount(row, "vote_stars")?,
        voters: get_u32(row, "voters")?,
    })
}

fn get_u16(row: &AnyRow, column: &str) -> Result<u16, StoreError> {
    u16::try_from(row.try_get::<i64, _>(column)?)
        .map_err(|_| StoreError::Corrupt(format!("{column} is not a u16")))
}

fn add(a: u128, b: u128) -> Result<u128, StoreError> {
    a.checked_add(b)
        .ok_or_else(|| StoreError::Corrupt("amount overflow".into()))
}

fn inc(a: i64, b: i64) -> Result<i64, StoreError> {
    a.checked_add(b)
        .ok_or_else(|| StoreError::Corrupt("counter overflow".into()))
}

fn to_i64(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} exceeds i64")))
}

fn to_u64(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} is negative")))
}
