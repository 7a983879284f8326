//! The performers' side of the mirror, read for the API's in-memory read model: the
//! registry, totals, hourly LIVE buckets, scores, the rating schedule and the 18+
//! verifier listings, typed, from one snapshot of the database.
//!
//! A [`Reader`] is one read transaction: whatever the indexer commits meanwhile, its
//! answers describe one checkpoint, so the read model can say which block it shows.

use super::encoding::{
    get_amount, get_hash, get_u16, get_u32, get_u64, parse_hash, to_u64, NATIVE,
};
use super::profiles::{self, StoredProfile};
use super::rating::load_schedule;
use super::types::{Checkpoint, Store, StoreError};
use crate::decode::{AccountId, Commitment};
use crate::rating::Schedule;
use futures::TryStreamExt;
use rating_formula::Score;
use sqlx::any::AnyRow;
use sqlx::{Any, AssertSqlSafe, Row, Transaction};
use std::collections::BTreeMap;

/// Accounts bound per `IN (...)` list: well under both databases' parameter limits.
const ACCOUNTS_PER_QUERY: usize = 400;

/// A registered performer's public registry entry (commitments only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PerformerRecord {
    /// blake2-256 commitment of the off-chain profile.
    pub profile: [u8; 32],
    pub max_fee_bps: u16,
    /// Recipients and their basis points of each tip.
    pub splits: Vec<(AccountId, u16)>,
    /// The 18+ attestation as given; whether it still counts depends on the listing.
    pub adult: Option<Attestation>,
    pub registered_block: u32,
}

/// Who attested a performer 18+, under which of their listings (none if the verifier
/// was not listed when attesting: such an attestation never counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attestation {
    pub verifier: AccountId,
    pub listing: Option<u64>,
}

/// What a performer received in one token (`None`: the chain's native currency).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenTotals {
    pub token: Option<AccountId>,
    pub tips: u64,
    pub gross: u128,
    pub net: u128,
    /// Distinct viewers who tipped in this token.
    pub supporters: u64,
    pub last_tip_ms: u64,
}

/// LIVE tips received in one hour (hours since the Unix epoch).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourlyTips {
    pub hour: u64,
    pub tips: u64,
    pub gross: u128,
}

/// One listing of an 18+ verifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifierListing {
    pub listing: u64,
    pub verifier: AccountId,
    pub active: bool,
}

/// Everything the read model keeps about one performer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PerformerState {
    /// `None` once erased (or for an account that was only ever tipped).
    pub registry: Option<PerformerRecord>,
    /// By token (stored order: LIVE's hex before `native`).
    pub totals: Vec<TokenTotals>,
    /// LIVE buckets from the requested first hour on, oldest first.
    pub live_hours: Vec<HourlyTips>,
    pub score: Option<Score>,
    /// The published profile, if any.
    pub profile: Option<StoredProfile>,
    /// Online until (ms) and when that was signed, as the performer last said.
    pub presence: Option<Presence>,
}

/// What a reader compares to notice off-chain changes (see `off_chain_stamps`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct OffChainStamp {
    pub profile: Option<Commitment>,
    /// When the stored presence was signed (ms).
    pub presence: Option<u64>,
}

/// A performer's last signed presence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Presence {
    pub until_ms: u64,
    pub signed_at_ms: u64,
}

/// One consistent snapshot of the mirror (a read transaction).
pub struct Reader {
    tx: Transaction<'static, Any>,
}

impl Store {
    /// A reader whose answers all describe the same commit.
    pub async fn reader(&self) -> Result<Reader, StoreError> {
        let mut tx = self.pool().begin().await?;
        if tx.backend_name() == "PostgreSQL" {
            // READ COMMITTED (the default) would let each statement see a newer commit.
            sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                .execute(&mut *tx)
                .await?;
        }
        Ok(Reader { tx })
    }
}

impl Reader {
    /// Where indexing stood for this snapshot; `None` before the first commit.
    pub async fn checkpoint(&mut self) -> Result<Option<Checkpoint>, StoreError> {
        load_checkpoint(&mut *self.tx).await
    }

    /// The performers named by any event of blocks `after + 1 ..= up_to`.
    pub async fn touched_performers(
        &mut self,
        after: u32,
        up_to: u32,
    ) -> Result<Vec<AccountId>, StoreError> {
        sqlx::query(
            "SELECT DISTINCT performer FROM events \
             WHERE block_number > $1 AND block_number <= $2 AND performer IS NOT NULL",
        )
        .bind(i64::from(after))
        .bind(i64::from(up_to))
        .fetch_all(&mut *self.tx)
        .await?
        .iter()
        .map(|row| get_hash(row, "performer"))
        .collect()
    }

    /// What changes off-chain, by performer: each stored profile's commitment and
    /// presence's signing time. A reader compares these with what it holds.
    pub async fn off_chain_stamps(
        &mut self,
    ) -> Result<BTreeMap<AccountId, OffChainStamp>, StoreError> {
        let mut stamps: BTreeMap<AccountId, OffChainStamp> = BTreeMap::new();
        self.select(
            "account, commitment FROM profiles",
            "account",
            "",
            None,
            &[],
            |row| {
                stamps.entry(get_hash(row, "account")?).or_default().profile =
                    Some(get_hash(row, "commitment")?);
                Ok(())
            },
        )
        .await?;
        self.select(
            "account, signed_at_ms FROM presence",
            "account",
            "",
            None,
            &[],
            |row| {
                stamps
                    .entry(get_hash(row, "account")?)
                    .or_default()
                    .presence = Some(get_u64(row, "signed_at_ms")?);
                Ok(())
            },
        )
        .await?;
        Ok(stamps)
    }

    /// The state of `accounts` (every registered or ever tipped performer when
    /// `None`), with LIVE (`live_token`) buckets from hour `first_hour` on. An
    /// account asked for but unknown is absent from the answer.
    pub async fn performers(
        &mut self,
        live_token: &AccountId,
        first_hour: u64,
        accounts: Option<&[AccountId]>,
    ) -> Result<BTreeMap<AccountId, PerformerState>, StoreError> {
        let mut states: BTreeMap<AccountId, PerformerState> = BTreeMap::new();
        let chunks: Vec<Option<&[AccountId]>> = match accounts {
            None => vec![None],
            Some(accounts) => accounts.chunks(ACCOUNTS_PER_QUERY).map(Some).collect(),
        };
        let live = hex::encode(live_token);
        let first_hour = i64::try_from(first_hour).unwrap_or(i64::MAX);
        for chunk in chunks {
            self.select(
                "account, profile, max_fee_bps, splits, adult_verifier, adult_listing, \
                 registered_block FROM performers",
                "account",
                "",
                chunk,
                &[],
                |row| {
                    states
                        .entry(get_hash(row, "account")?)
                        .or_default()
                        .registry = Some(performer_record(row)?);
                    Ok(())
                },
            )
            .await?;
            self.select(
                "account, token, tip_count, gross, net, supporters, last_tip_ms \
                 FROM performer_totals",
                "account",
                "ORDER BY account, token",
                chunk,
                &[],
                |row| {
                    let state = states.entry(get_hash(row, "account")?).or_default();
                    state.totals.push(token_totals(row)?);
                    Ok(())
                },
            )
            .await?;
            self.select(
                "performer, hour, tip_count, gross FROM performer_hourly",
                "performer",
                "AND token = $1 AND hour >= $2 ORDER BY performer, hour",
                chunk,
                &[Param::Text(live.clone()), Param::Int(first_hour)],
                |row| {
                    if let Some(state) = states.get_mut(&get_hash(row, "performer")?) {
                        state.live_hours.push(HourlyTips {
                            hour: get_u64(row, "hour")?,
                            tips: get_u64(row, "tip_count")?,
                            gross: get_amount(row, "gross")?,
                        });
                    }
                    Ok(())
                },
            )
            .await?;
            self.select(
                "performer, epoch, support, vote_weight, vote_stars, voters \
                 FROM rating_scores",
                "performer",
                "",
                chunk,
                &[],
                |row| {
                    if let Some(state) = states.get_mut(&get_hash(row, "performer")?) {
                        state.score = Some(Score {
                            epoch: get_u64(row, "epoch")?,
                            support: get_amount(row, "support")?,
                            vote_weight: get_amount(row, "vote_weight")?,
                            vote_stars: get_amount(row, "vote_stars")?,
                            voters: get_u32(row, "voters")?,
                        });
                    }
                    Ok(())
                },
            )
            .await?;
            self.select(
                "account, until_ms, signed_at_ms FROM presence",
                "account",
                "",
                chunk,
                &[],
                |row| {
                    if let Some(state) = states.get_mut(&get_hash(row, "account")?) {
                        state.presence = Some(Presence {
                            until_ms: get_u64(row, "until_ms")?,
                            signed_at_ms: get_u64(row, "signed_at_ms")?,
                        });
                    }
                    Ok(())
                },
            )
            .await?;
            self.select(
                "account, commitment, document, avatar_type FROM profiles",
                "account",
                "",
                chunk,
                &[],
                |row| {
                    if let Some(state) = states.get_mut(&get_hash(row, "account")?) {
                        state.profile = Some(profiles::stored_profile(row)?);
                    }
                    Ok(())
                },
            )
            .await?;
        }
        Ok(states)
    }

    /// The rating parameters' schedule; `None` before the contract's first
    /// announcement is indexed.
    pub async fn schedule(&mut self) -> Result<Option<Schedule>, StoreError> {
        load_schedule(&mut *self.tx).await
    }

    /// Every listing of an 18+ verifier, by listing number.
    pub async fn verifier_listings(&mut self) -> Result<Vec<VerifierListing>, StoreError> {
        sqlx::query(
            "SELECT listing, verifier, delisted_block FROM verifier_listings ORDER BY listing",
        )
        .fetch_all(&mut *self.tx)
        .await?
        .iter()
        .map(|row| {
            Ok(VerifierListing {
                listing: get_u64(row, "listing")?,
                verifier: get_hash(row, "verifier")?,
                active: row.try_get::<Option<i64>, _>("delisted_block")?.is_none(),
            })
        })
        .collect()
    }

    /// Calls `each` on every row of `SELECT {columns_from} WHERE {key} IN (accounts…)
    /// {rest}` (every row when `accounts` is `None`); `$1…` in `rest` are `params`,
    /// bound first. Rows are streamed: the first load reads millions of hourly buckets,
    /// which held in memory at once cost the API a gigabyte it never gave back.
    async fn select(
        &mut self,
        columns_from: &str,
        key: &str,
        rest: &str,
        accounts: Option<&[AccountId]>,
        params: &[Param],
        mut each: impl FnMut(&AnyRow) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        let filter = match accounts {
            None => "1 = 1".to_owned(),
            Some(accounts) => {
                let placeholders: Vec<String> = (0..accounts.len())
                    .map(|i| format!("${}", params.len() + i + 1))
                    .collect();
                format!("{key} IN ({})", placeholders.join(", "))
            }
        };
        // Every fragment is one of this module's literals; values are bound.
        let sql = format!("SELECT {columns_from} WHERE {filter} {rest}");
        let mut query = sqlx::query(AssertSqlSafe(sql));
        for param in params {
            query = match param {
                Param::Text(text) => query.bind(text.clone()),
                Param::Int(number) => query.bind(*number),
            };
        }
        for account in accounts.unwrap_or_default() {
            query = query.bind(hex::encode(account));
        }
        let mut rows = query.fetch(&mut *self.tx);
        while let Some(row) = rows.try_next().await? {
            each(&row)?;
        }
        Ok(())
    }
}

/// A value bound before the accounts of [`Reader::select`].
enum Param {
    Text(String),
    Int(i64),
}

fn performer_record(row: &AnyRow) -> Result<PerformerRecord, StoreError> {
    let splits: Vec<(String, u16)> = serde_json::from_str(&row.try_get::<String, _>("splits")?)
        .map_err(|e| StoreError::Corrupt(format!("splits: {e}")))?;
    let verifier: Option<String> = row.try_get("adult_verifier")?;
    let listing: Option<i64> = row.try_get("adult_listing")?;
    Ok(PerformerRecord {
        profile: get_hash(row, "profile")?,
        max_fee_bps: get_u16(row, "max_fee_bps")?,
        splits: splits
            .into_iter()
            .map(|(recipient, bps)| Ok((parse_hash(&recipient)?, bps)))
            .collect::<Result<_, StoreError>>()?,
        adult: verifier
            .map(|verifier| {
                Ok::<_, StoreError>(Attestation {
                    verifier: parse_hash(&verifier)?,
                    listing: listing.map(to_u64).transpose()?,
                })
            })
            .transpose()?,
        registered_block: get_u32(row, "registered_block")?,
    })
}

fn token_totals(row: &AnyRow) -> Result<TokenTotals, StoreError> {
    let token: String = row.try_get("token")?;
    Ok(TokenTotals {
        token: if token == NATIVE {
            None
        } else {
            Some(parse_hash(&token)?)
        },
        tips: get_u64(row, "tip_count")?,
        gross: get_amount(row, "gross")?,
        net: get_amount(row, "net")?,
        supporters: get_u64(row, "supporters")?,
        last_tip_ms: get_u64(row, "last_tip_ms")?,
    })
}

/// The checkpoint row, read through `executor` (the pool or a reader's snapshot).
pub(super) async fn load_checkpoint<'e, E>(executor: E) -> Result<Option<Checkpoint>, StoreError>
where
    E: sqlx::Executor<'e, Database = sqlx::Any>,
{
    sqlx::query("SELECT block_number, block_hash, finalized_head FROM checkpoint WHERE id = 1")
        .fetch_optional(executor)
        .await?
        .map(|row| {
            Ok(Checkpoint {
                block_number: get_u32(&row, "block_number")?,
                block_hash: get_hash(&row, "block_hash")?,
                finalized_head: get_u32(&row, "finalized_head")?,
            })
        })
        .transpose()
}
