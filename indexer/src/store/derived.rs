//! The plumbing of one commit's derived rows, shared by the concern modules that
//! keep them (`totals`, `rating`) and by those that write through (`registry`,
//! `shows`, `profiles`): the transaction a batch is written in ([`Tx`]) and the
//! generic [`Table`] of [`Derived`] rows, each read at most once per batch, changed
//! in memory and written once when the batch is flushed.
//!
//! It imports no other module of the store but `types`: the concern modules import
//! it, and `batch` imports them.

use super::types::StoreError;
use sqlx::{Any, Transaction};
use std::collections::hash_map::{Entry, HashMap};
use std::hash::Hash;

/// The transaction a batch is written in.
pub(super) type Tx<'a> = Transaction<'a, Any>;

/// Rows of one derived table as this batch has seen them: loaded on first use,
/// `None` when absent (or deleted), saved at the flush when handed out for change.
pub(super) struct Table<T: Derived> {
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
    pub(super) async fn get(
        &mut self,
        tx: &mut Tx<'_>,
        key: T::Key,
    ) -> Result<&mut Option<T>, StoreError> {
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

    /// Saves every row handed out for change.
    pub(super) async fn flush(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        for (key, slot) in self.rows {
            if slot.changed {
                T::save(tx, &key, slot.value.as_ref()).await?;
            }
        }
        Ok(())
    }
}

/// A derived row: how to read it and how to write it (or delete it, given `None`).
pub(super) trait Derived: Sized {
    type Key: Hash + Eq + Send + Sync;
    async fn load(tx: &mut Tx<'_>, key: &Self::Key) -> Result<Option<Self>, StoreError>;
    async fn save(tx: &mut Tx<'_>, key: &Self::Key, row: Option<&Self>) -> Result<(), StoreError>;
}
