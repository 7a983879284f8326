//! The plumbing of one commit's derived rows, shared by the concern modules that
//! keep them (`totals`, `rating`) and by those that write through (`registry`,
//! `shows`, `profiles`): the transaction a batch is written in ([`Tx`]) and the
//! generic [`Table`] of [`Derived`] rows.
//!
//! A batch of full blocks touches tens of thousands of derived rows when a site has
//! a million viewers (one supporter and one rating contribution per tip), so a row
//! is never read or written alone: the batch first names every key it will need
//! ([`Table::want`]), they are read in sorted chunks, each a join of the keys with
//! the table ([`Table::prefetch`]), changed in memory in chain order, and the changed rows are
//! written back in sorted multi-row upserts and deletes ([`Table::flush`]). Sorted
//! keys walk each B-tree once, in order, instead of jumping around it per row.
//!
//! It imports no other module of the store but `types` and `encoding`: the concern
//! modules import
//! it, and `batch` imports them.

use super::encoding::{Placeholders, ROWS_PER_STATEMENT};
use super::types::StoreError;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, AnyPool, Transaction};
use std::collections::btree_map::{BTreeMap, Entry};
use std::collections::BTreeSet;

/// The transaction a batch is written in.
pub(super) type Tx<'a> = Transaction<'a, Any>;

/// Whether `pool` holds a SQLite file.
pub(super) fn is_sqlite(pool: &AnyPool) -> bool {
    pool.connect_options().database_url.scheme() == "sqlite"
}

/// A transaction that writes. On SQLite it takes the write lock up front
/// (`BEGIN IMMEDIATE`): a deferred transaction that read first cannot upgrade once
/// another writer has committed, and fails at once with "database is locked"
/// whatever `busy_timeout` says, whereas an immediate one waits its turn.
/// PostgreSQL's row locks need nothing of the kind.
pub(super) async fn begin_write(pool: &AnyPool) -> Result<Tx<'static>, StoreError> {
    Ok(if is_sqlite(pool) {
        pool.begin_with("BEGIN IMMEDIATE").await?
    } else {
        pool.begin().await?
    })
}

/// A query being bound.
pub(super) type Bound<'q> = Query<'q, Any, AnyArguments>;

/// Rows of one derived table as this batch has seen them: loaded before use,
/// `None` when absent (or deleted), saved at the flush when handed out for change.
pub(super) struct Table<T: Derived> {
    rows: BTreeMap<T::Key, Slot<T>>,
    wanted: BTreeSet<T::Key>,
}

struct Slot<T> {
    value: Option<T>,
    changed: bool,
}

impl<T: Derived> Default for Table<T> {
    fn default() -> Self {
        Self {
            rows: BTreeMap::new(),
            wanted: BTreeSet::new(),
        }
    }
}

impl<T: Derived> Table<T> {
    /// Notes that the batch will use the row at `key`, so [`Table::prefetch`] reads it.
    pub(super) fn want(&mut self, key: T::Key) {
        if !self.rows.contains_key(&key) {
            self.wanted.insert(key);
        }
    }

    /// Reads every wanted row not read yet, in sorted chunks.
    pub(super) async fn prefetch(&mut self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        let keys: Vec<T::Key> = std::mem::take(&mut self.wanted).into_iter().collect();
        for chunk in keys.chunks(ROWS_PER_STATEMENT) {
            let mut found = load(tx, chunk).await?;
            for key in chunk {
                let value = found.remove(key);
                self.rows.insert(
                    key.clone(),
                    Slot {
                        value,
                        changed: false,
                    },
                );
            }
        }
        Ok(())
    }

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

    /// Stores `value` at `key` unless a row is there already; whether it was absent.
    pub(super) async fn insert_if_absent(
        &mut self,
        tx: &mut Tx<'_>,
        key: T::Key,
        value: T,
    ) -> Result<bool, StoreError> {
        let slot = self.slot(tx, key).await?;
        let absent = slot.value.is_none();
        if absent {
            slot.value = Some(value);
            slot.changed = true;
        }
        Ok(absent)
    }

    /// The slot at `key`, read now if it was not prefetched.
    async fn slot(&mut self, tx: &mut Tx<'_>, key: T::Key) -> Result<&mut Slot<T>, StoreError> {
        Ok(match self.rows.entry(key) {
            Entry::Occupied(slot) => slot.into_mut(),
            Entry::Vacant(slot) => {
                let value = load(tx, std::slice::from_ref(slot.key()))
                    .await?
                    .into_values()
                    .next();
                slot.insert(Slot {
                    value,
                    changed: false,
                })
            }
        })
    }

    /// Saves every row handed out for change: upserts, then deletes, in key order.
    pub(super) async fn flush(self, tx: &mut Tx<'_>) -> Result<(), StoreError> {
        let (mut saved, mut deleted) = (Vec::new(), Vec::new());
        for (key, slot) in &self.rows {
            match (&slot.value, slot.changed) {
                (_, false) => {}
                (Some(row), true) => saved.push((key, row)),
                (None, true) => deleted.push(key),
            }
        }
        let (shape, placeholders) = (&T::SHAPE, Placeholders::of(tx));
        for chunk in saved.chunks(ROWS_PER_STATEMENT) {
            let columns = shape.columns();
            let mut sql = format!(
                "INSERT INTO {} ({}) VALUES {} ON CONFLICT ({}) DO ",
                shape.table,
                columns.join(", "),
                placeholders.tuples(columns.len(), chunk.len()),
                shape.key.join(", "),
            );
            if shape.values.is_empty() {
                sql.push_str("NOTHING");
            } else {
                let set: Vec<_> = shape
                    .values
                    .iter()
                    .map(|c| format!("{c} = excluded.{c}"))
                    .collect();
                sql.push_str(&format!("UPDATE SET {}", set.join(", ")));
            }
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (key, row) in chunk {
                query = row.bind_values(T::bind_key(query, key))?;
            }
            query.execute(&mut **tx).await?;
        }
        for chunk in deleted.chunks(ROWS_PER_STATEMENT) {
            let sql = delete_sql(shape, placeholders, chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for key in chunk {
                query = T::bind_key(query, key);
            }
            query.execute(&mut **tx).await?;
        }
        Ok(())
    }
}

/// Where a derived row is stored.
pub(super) struct Shape {
    pub table: &'static str,
    /// The primary key's columns, in [`Derived::bind_key`]'s order.
    pub key: &'static [&'static str],
    /// The other columns, in [`Derived::bind_values`]'s order (none: the row's
    /// presence is all it says).
    pub values: &'static [&'static str],
}

impl Shape {
    /// The key's columns, then the values'.
    fn columns(&self) -> Vec<&'static str> {
        self.key.iter().chain(self.values).copied().collect()
    }
}

/// A derived row: where it is stored, and how its key and values are bound and read.
pub(super) trait Derived: Sized {
    type Key: Ord + Clone + Send + Sync;
    const SHAPE: Shape;
    fn bind_key<'q>(query: Bound<'q>, key: &'q Self::Key) -> Bound<'q>;
    fn bind_values<'q>(&self, query: Bound<'q>) -> Result<Bound<'q>, StoreError>;
    /// A row selected with the key's columns, then the values'.
    fn read(row: &AnyRow) -> Result<(Self::Key, Self), StoreError>;
}

/// The rows at `keys` that exist.
async fn load<T: Derived>(
    tx: &mut Tx<'_>,
    keys: &[T::Key],
) -> Result<BTreeMap<T::Key, T>, StoreError> {
    let (shape, placeholders) = (&T::SHAPE, Placeholders::of(tx));
    let sql = match shape.key {
        [column] => format!(
            "SELECT {} FROM {} WHERE {column} IN ({})",
            shape.columns().join(", "),
            shape.table,
            placeholders.list(keys.len())
        ),
        // A join with the keys as a table, not `(k1, k2) IN (VALUES ...)`: SQLite
        // (3.40 at least) scans the whole table for the latter.
        columns => {
            let on: Vec<_> = (1..)
                .zip(columns.iter())
                .map(|(n, column)| format!("t.{column} = keys.column{n}"))
                .collect();
            let selected: Vec<_> = shape.columns().iter().map(|c| format!("t.{c}")).collect();
            format!(
                "SELECT {} FROM (VALUES {}) AS keys JOIN {} AS t ON {}",
                selected.join(", "),
                placeholders.tuples(columns.len(), keys.len()),
                shape.table,
                on.join(" AND ")
            )
        }
    };
    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
    for key in keys {
        query = T::bind_key(query, key);
    }
    query
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(T::read)
        .collect()
}

/// `DELETE FROM` the rows at `keys` keys: `key IN (...)`, or for a compound key
/// `(k1 = $1 AND k2 = $2) OR ...`, which both databases answer from the key's index.
fn delete_sql(shape: &Shape, placeholders: Placeholders, keys: usize) -> String {
    let condition = match shape.key {
        [column] => format!("{column} IN ({})", placeholders.list(keys)),
        columns => {
            let mut parameters = placeholders.numbers();
            (0..keys)
                .map(|_| {
                    let pairs: Vec<_> = columns
                        .iter()
                        .map(|column| format!("{column} = {}", parameters.next_one()))
                        .collect();
                    format!("({})", pairs.join(" AND "))
                })
                .collect::<Vec<_>>()
                .join(" OR ")
        }
    };
    format!("DELETE FROM {} WHERE {condition}", shape.table)
}
