//! The performers' rooms, off-chain (`rooms`, `tip_notes`, `overlays`): each written
//! only while its performer is registered (`Store::write_if_registered`, as presence
//! is, so an erasure runs wholly before or after), and erased with them; and
//! the viewers performers blocked on-chain (`blocked_viewers`), mirrored as the chain
//! holds them.

use super::derived::Tx;
use super::encoding::{account_text, get_hash, get_u64, to_i64};
use super::tips::{tip, TipFilter, TipRecord, TIP_COLUMNS};
use super::types::{Store, StoreError};
use crate::decode::{AccountId, Commitment, LiveEvent, ViewerBlockChanged};
use crate::room::{Goal, Room};
use sqlx::any::AnyRow;
use sqlx::{AssertSqlSafe, Row};

/// A stored room document and when its performer signed it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredRoom {
    pub room: Room,
    pub signed_at_ms: u64,
}

/// A tip with the note its viewer attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoteRecord {
    pub tip: TipRecord,
    /// The menu item tipped for: its id and its label on the menu then.
    pub item: Option<(u32, String)>,
    /// The sealed message, base64.
    pub message: Option<String>,
}

impl Store {
    /// Stores `room` for `performer` as signed at `signed_at` (ms); `false` (nothing
    /// changed) when not registered or when a room signed at the same time or later
    /// is stored already.
    pub async fn put_room(
        &self,
        performer: &AccountId,
        room: &Room,
        signed_at: u64,
    ) -> Result<bool, StoreError> {
        let account = account_text(performer);
        let document = String::from_utf8(room.canonical())
            .map_err(|e| StoreError::Corrupt(format!("a room's JSON: {e}")))?;
        let write = sqlx::query(
            "INSERT INTO rooms (account, document, signed_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (account) DO UPDATE SET document = excluded.document, \
             signed_at_ms = excluded.signed_at_ms \
             WHERE rooms.signed_at_ms < excluded.signed_at_ms",
        )
        .bind(&account)
        .bind(document)
        .bind(to_i64(signed_at)?);
        self.write_if_registered(&account, write).await
    }

    /// `performer`'s room, if they set one.
    pub async fn room(&self, performer: &AccountId) -> Result<Option<StoredRoom>, StoreError> {
        sqlx::query("SELECT document, signed_at_ms FROM rooms WHERE account = $1")
            .bind(account_text(performer))
            .fetch_optional(&self.pool)
            .await?
            .map(|row| {
                Ok(StoredRoom {
                    room: serde_json::from_str(&row.try_get::<String, _>("document")?)
                        .map_err(|e| StoreError::Corrupt(format!("a stored room: {e}")))?,
                    signed_at_ms: get_u64(&row, "signed_at_ms")?,
                })
            })
            .transpose()
    }

    /// The LIVE tips `performer` received in `block` whose memo is `memo`.
    pub async fn tips_with_memo(
        &self,
        performer: &AccountId,
        block: u32,
        memo: &Commitment,
    ) -> Result<Vec<TipRecord>, StoreError> {
        let tips = sqlx::query(AssertSqlSafe(format!(
            "SELECT {TIP_COLUMNS} FROM events WHERE performer = $1 AND viewer IS NOT NULL \
             AND block_number = $2 ORDER BY event_index"
        )))
        .bind(account_text(performer))
        .bind(i64::from(block))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(tip)
        .collect::<Result<Vec<_>, _>>()?;
        Ok(tips
            .into_iter()
            .filter(|tip| tip.memo.as_ref() == Some(memo))
            .collect())
    }

    /// Stores the note of `tip` (to a registered performer); `false` when the tip
    /// has one already or the performer is not registered.
    pub async fn put_note(
        &self,
        tip: &TipRecord,
        item: Option<(u32, &str)>,
        message: Option<&str>,
    ) -> Result<bool, StoreError> {
        let account = account_text(&tip.performer);
        let write = sqlx::query(
            "INSERT INTO tip_notes (block_number, event_index, performer, item, item_label, \
             message) VALUES ($1, $2, $3, $4, $5, $6) \
             ON CONFLICT (block_number, event_index) DO NOTHING",
        )
        .bind(i64::from(tip.block))
        .bind(i64::from(tip.event_index))
        .bind(&account)
        .bind(item.map(|(id, _)| i64::from(id)))
        .bind(item.map(|(_, label)| label.to_owned()))
        .bind(message.map(str::to_owned));
        self.write_if_registered(&account, write).await
    }

    /// Up to `limit` of the notes on `performer`'s tips, newest first, strictly
    /// before the tip position `before` when given; none from viewers they blocked.
    pub async fn notes(
        &self,
        performer: &AccountId,
        before: Option<(u32, u32)>,
        limit: u32,
    ) -> Result<Vec<NoteRecord>, StoreError> {
        let (block, index) = before.map_or((i64::MAX, i64::MAX), |(block, index)| {
            (i64::from(block), i64::from(index))
        });
        sqlx::query(
            "SELECT e.block_number, e.event_index, e.topics, e.data, n.item, n.item_label, n.message FROM tip_notes n JOIN events e \
             ON e.block_number = n.block_number AND e.event_index = n.event_index \
             WHERE n.performer = $1 AND (n.block_number < $2 OR \
             (n.block_number = $2 AND n.event_index < $3)) AND NOT EXISTS \
             (SELECT 1 FROM blocked_viewers b WHERE b.performer = n.performer \
             AND b.viewer = e.viewer) \
             ORDER BY n.block_number DESC, n.event_index DESC LIMIT $4",
        )
        .bind(account_text(performer))
        .bind(block)
        .bind(index)
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(note)
        .collect()
    }

    /// The LIVE `performer` raised towards `goal` (the tips it counts, gross),
    /// counting tips before the position `up_to` (all stored when `None`) and reading
    /// at most `most` tips back; whether every such tip was read.
    pub async fn raised_towards(
        &self,
        performer: &AccountId,
        goal: &Goal,
        up_to: Option<(u32, u32)>,
        most: u32,
    ) -> Result<(u128, bool), StoreError> {
        const PAGE: u32 = 500;
        let filter = TipFilter::Performer(*performer);
        let (mut raised, mut read, mut before) = (0u128, 0u32, up_to);
        loop {
            let tips = self.tips(&filter, before, PAGE).await?;
            for tip in &tips {
                // Newest first: the rest are older still.
                if tip.at_ms < goal.since_ms {
                    return Ok((raised, true));
                }
                if tip.token.is_some() && goal.counts(tip.at_ms) {
                    raised = raised.saturating_add(tip.gross);
                }
            }
            read = read.saturating_add(PAGE);
            match tips.last() {
                Some(last) if tips.len() == PAGE as usize => before = Some(last.position()),
                _ => return Ok((raised, true)),
            }
            if read >= most {
                return Ok((raised, false));
            }
        }
    }

    /// Replaces `performer`'s overlay link by the one whose secret hashes to
    /// `token_hash` (`None`: revokes it), as signed at `signed_at` (ms); `false`
    /// (nothing changed) when not registered or when a change signed at the same
    /// time or later is stored already.
    pub async fn set_overlay(
        &self,
        performer: &AccountId,
        token_hash: Option<&Commitment>,
        signed_at: u64,
    ) -> Result<bool, StoreError> {
        let account = account_text(performer);
        let write = sqlx::query(
            "INSERT INTO overlays (account, token_hash, signed_at_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (account) DO UPDATE SET token_hash = excluded.token_hash, \
             signed_at_ms = excluded.signed_at_ms \
             WHERE overlays.signed_at_ms < excluded.signed_at_ms",
        )
        .bind(&account)
        .bind(token_hash.map(hex::encode))
        .bind(to_i64(signed_at)?);
        self.write_if_registered(&account, write).await
    }

    /// Whether `performer` blocked `viewer` (at the indexed block).
    pub async fn is_blocked(
        &self,
        performer: &AccountId,
        viewer: &AccountId,
    ) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("SELECT 1 FROM blocked_viewers WHERE performer = $1 AND viewer = $2")
                .bind(account_text(performer))
                .bind(account_text(viewer))
                .fetch_optional(&self.pool)
                .await?
                .is_some(),
        )
    }

    /// Up to `limit` of the viewers `performer` blocked, most recent first.
    pub async fn blocked_viewers(
        &self,
        performer: &AccountId,
        limit: u32,
    ) -> Result<Vec<AccountId>, StoreError> {
        sqlx::query(
            "SELECT viewer FROM blocked_viewers WHERE performer = $1 \
             ORDER BY block_number DESC, viewer LIMIT $2",
        )
        .bind(account_text(performer))
        .bind(i64::from(limit))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|row| get_hash(row, "viewer"))
        .collect()
    }

    /// The performer whose overlay link's secret hashes to `token_hash`, if the link
    /// stands.
    pub async fn overlay_performer(
        &self,
        token_hash: &Commitment,
    ) -> Result<Option<AccountId>, StoreError> {
        sqlx::query("SELECT account FROM overlays WHERE token_hash = $1")
            .bind(hex::encode(token_hash))
            .fetch_optional(&self.pool)
            .await?
            .map(|row| get_hash(&row, "account"))
            .transpose()
    }
}

/// A `tip_notes` row joined with its tip's event.
fn note(row: &AnyRow) -> Result<NoteRecord, StoreError> {
    let item: Option<i64> = row.try_get("item")?;
    let item = match (item, row.try_get::<Option<String>, _>("item_label")?) {
        (Some(id), Some(label)) => Some((
            u32::try_from(id).map_err(|_| StoreError::Corrupt(format!("a menu item id {id}")))?,
            label,
        )),
        _ => None,
    };
    Ok(NoteRecord {
        tip: tip(row)?,
        item,
        message: row.try_get("message")?,
    })
}

/// Mirrors a block or unblock (of block `block`); other events change nothing here.
pub(super) async fn record(
    tx: &mut Tx<'_>,
    block: u32,
    event: &LiveEvent,
) -> Result<(), StoreError> {
    let LiveEvent::ViewerBlockChanged(ViewerBlockChanged {
        performer,
        viewer,
        blocked,
    }) = event
    else {
        return Ok(());
    };
    let query = if *blocked {
        sqlx::query(
            "INSERT INTO blocked_viewers (performer, viewer, block_number) VALUES ($1, $2, $3) \
             ON CONFLICT (performer, viewer) DO UPDATE SET block_number = excluded.block_number",
        )
    } else {
        sqlx::query("DELETE FROM blocked_viewers WHERE performer = $1 AND viewer = $2 AND $3 = $3")
    };
    query
        .bind(account_text(performer))
        .bind(account_text(viewer))
        .bind(i64::from(block))
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Removes everything of `performer`'s room: part of the indexer's commit of their
/// erasure.
pub(super) async fn erase(tx: &mut Tx<'_>, performer: &AccountId) -> Result<(), StoreError> {
    for table in [
        "DELETE FROM rooms WHERE account = $1",
        "DELETE FROM tip_notes WHERE performer = $1",
        "DELETE FROM overlays WHERE account = $1",
    ] {
        sqlx::query(table)
            .bind(account_text(performer))
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
