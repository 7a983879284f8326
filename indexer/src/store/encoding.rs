//! How values are spelled in the database, declared once for every table: the
//! writers and the readers of the store (and the API's leaderboard) share these,
//! so a column is never encoded one way and read another.
//!
//! Amounts (`u128`) are 40-digit zero-padded decimal text, exact in SQLite and
//! PostgreSQL alike and ordered as text; accounts and hashes are lower-case hex
//! without `0x`; counters and block numbers are `BIGINT`.

use super::types::StoreError;
use crate::decode::AccountId;
use sqlx::any::AnyRow;
use sqlx::{AnyConnection, Database, Row, Sqlite};
use std::str::FromStr;

/// The token column's value for tips in the chain's native currency.
pub const NATIVE: &str = "native";

/// An amount as stored: 40 zero-padded digits, so text order is numeric order.
pub fn amount_text(value: u128) -> String {
    format!("{value:040}")
}

/// An account (or any 32-byte hash) as stored: lower-case hex.
pub(super) fn account_text(account: &AccountId) -> String {
    hex::encode(account)
}

/// The token column's value: the token's account, or [`NATIVE`].
pub(super) fn token_text(token: Option<&AccountId>) -> String {
    token.map_or_else(|| NATIVE.to_owned(), account_text)
}

/// Reads an amount column (see [`amount_text`]).
pub fn get_amount(row: &AnyRow, column: &str) -> Result<u128, StoreError> {
    parse_amount(&row.try_get::<String, _>(column)?)
}

/// An amount in decimal, padded ([`amount_text`]) or not (inside JSON columns).
pub(super) fn parse_amount(text: &str) -> Result<u128, StoreError> {
    u128::from_str(text).map_err(|_| StoreError::Corrupt(format!("amount {text:?}")))
}

/// Reads a non-negative integer column that holds a `u32`.
pub fn get_u32(row: &AnyRow, column: &str) -> Result<u32, StoreError> {
    to_u32(row.try_get::<i64, _>(column)?)
}

/// Reads a non-negative integer column that holds a `u16`.
pub(super) fn get_u16(row: &AnyRow, column: &str) -> Result<u16, StoreError> {
    u16::try_from(row.try_get::<i64, _>(column)?)
        .map_err(|_| StoreError::Corrupt(format!("{column} is not a u16")))
}

/// Reads a non-negative integer column that holds a `u64`.
pub(super) fn get_u64(row: &AnyRow, column: &str) -> Result<u64, StoreError> {
    to_u64(row.try_get::<i64, _>(column)?)
}

/// Reads a hex column that holds 32 bytes (an account or a hash).
pub fn get_hash(row: &AnyRow, column: &str) -> Result<[u8; 32], StoreError> {
    parse_hash(&row.try_get::<String, _>(column)?)
}

/// Reads a nullable hex column that holds 32 bytes.
pub(super) fn get_optional_hash(
    row: &AnyRow,
    column: &str,
) -> Result<Option<[u8; 32]>, StoreError> {
    row.try_get::<Option<String>, _>(column)?
        .as_deref()
        .map(parse_hash)
        .transpose()
}

/// Reads an event's `topics` column: its topics end to end, 32 bytes each.
pub(super) fn get_topics(row: &AnyRow) -> Result<Vec<[u8; 32]>, StoreError> {
    let topics: Vec<u8> = row.try_get("topics")?;
    topics
        .chunks(32)
        .map(|topic| {
            topic
                .try_into()
                .map_err(|_| StoreError::Corrupt(format!("event topics of {} bytes", topics.len())))
        })
        .collect()
}

/// 32 bytes from their stored hex.
pub(super) fn parse_hash(text: &str) -> Result<[u8; 32], StoreError> {
    let mut out = [0u8; 32];
    hex::decode_to_slice(text, &mut out)
        .map_err(|_| StoreError::Corrupt(format!("hash {text:?}")))?;
    Ok(out)
}

pub(super) fn to_u32(value: i64) -> Result<u32, StoreError> {
    u32::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} is not a u32")))
}

/// A `u64` (ids, block times) as a `BIGINT`; beyond `i64` it cannot be stored.
pub(super) fn to_i64(value: u64) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} exceeds i64")))
}

pub(super) fn to_u64(value: i64) -> Result<u64, StoreError> {
    u64::try_from(value).map_err(|_| StoreError::Corrupt(format!("{value} is negative")))
}

/// `a + b` for amounts: an overflow means the stored sums are wrong.
pub(super) fn add(a: u128, b: u128) -> Result<u128, StoreError> {
    a.checked_add(b)
        .ok_or_else(|| StoreError::Corrupt("amount overflow".into()))
}

/// `a + b` for counters.
pub(super) fn inc(a: i64, b: i64) -> Result<i64, StoreError> {
    a.checked_add(b)
        .ok_or_else(|| StoreError::Corrupt("counter overflow".into()))
}

/// Rows per multi-row statement: below SQLite's 32 766 and PostgreSQL's 65 535
/// parameters for every table here (the widest, `tips`, has 14 columns), and large
/// enough that a statement's fixed cost is spread thin.
pub(super) const ROWS_PER_STATEMENT: usize = 500;

/// How a backend's statements spell their parameters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Placeholders {
    /// `$1, $2, ...`: PostgreSQL's only form.
    Numbered,
    /// `?, ?, ...`, for SQLite: sqlx asks SQLite for every parameter's name, and
    /// SQLite finds a name by scanning the statement's list of names, so numbered
    /// parameters cost O(n²) per statement (a fifth of ingest's CPU at 500 rows).
    Anonymous,
}

impl Placeholders {
    /// The form `connection`'s backend takes.
    pub(super) fn of(connection: &AnyConnection) -> Self {
        if connection.backend_name() == <Sqlite as Database>::NAME {
            Self::Anonymous
        } else {
            Self::Numbered
        }
    }

    /// `INSERT INTO {table_and_columns} VALUES (...), (...)` for `rows` rows of
    /// `columns` placeholders each.
    pub(super) fn insert(self, table_and_columns: &str, columns: usize, rows: usize) -> String {
        format!(
            "INSERT INTO {table_and_columns} VALUES {}",
            self.tuples(columns, rows)
        )
    }

    /// `($1, $2), ($3, $4)` (or `(?, ?), (?, ?)`): `rows` tuples of `columns`.
    pub(super) fn tuples(self, columns: usize, rows: usize) -> String {
        let mut parameters = self.numbers();
        let tuple = |_| {
            let row: Vec<_> = (0..columns).map(|_| parameters.next_one()).collect();
            format!("({})", row.join(", "))
        };
        (0..rows).map(tuple).collect::<Vec<_>>().join(", ")
    }

    /// `$1, $2, $3` (or `?, ?, ?`): `count` parameters.
    pub(super) fn list(self, count: usize) -> String {
        let mut parameters = self.numbers();
        let list: Vec<_> = (0..count).map(|_| parameters.next_one()).collect();
        list.join(", ")
    }

    /// The parameters of one statement, in order.
    pub(super) fn numbers(self) -> Parameters {
        Parameters {
            placeholders: self,
            next: 1,
        }
    }
}

/// The next parameters of one statement.
pub(super) struct Parameters {
    placeholders: Placeholders,
    next: usize,
}

impl Parameters {
    /// The next parameter's placeholder.
    pub(super) fn next_one(&mut self) -> String {
        let number = self.next;
        self.next += 1;
        match self.placeholders {
            Placeholders::Numbered => format!("${number}"),
            Placeholders::Anonymous => "?".to_owned(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_sort_as_text_and_read_back() {
        assert_eq!(amount_text(42), format!("{}42", "0".repeat(38)));
        assert!(amount_text(9) < amount_text(10));
        assert_eq!(parse_amount(&amount_text(u128::MAX)).unwrap(), u128::MAX);
        assert_eq!(parse_amount("1000").unwrap(), 1000);
        assert!(parse_amount("-1").is_err());
    }

    #[test]
    fn hashes_are_32_bytes_of_hex() {
        let account = [0xab; 32];
        assert_eq!(parse_hash(&account_text(&account)).unwrap(), account);
        assert!(parse_hash("abcd").is_err());
        assert_eq!(token_text(None), NATIVE);
        assert_eq!(token_text(Some(&account)), "ab".repeat(32));
    }

    #[test]
    fn multi_row_inserts_spell_each_backends_placeholders() {
        assert_eq!(
            Placeholders::Numbered.insert("t (a, b)", 2, 2),
            "INSERT INTO t (a, b) VALUES ($1, $2), ($3, $4)"
        );
        assert_eq!(Placeholders::Numbered.tuples(1, 3), "($1), ($2), ($3)");
        assert_eq!(Placeholders::Anonymous.tuples(2, 2), "(?, ?), (?, ?)");
        assert_eq!(Placeholders::Numbered.list(3), "$1, $2, $3");
    }
}
