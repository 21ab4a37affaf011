//! Exercise: insert a batch of records the way a database wants it.
//!
//! Fill in [`insert_all`], then judge it:
//!
//! ```text
//! cargo run --release -- check resources
//! ```
//!
//! This crate is yours: `lessons/resources/exercise/`. It may use the
//! standard library, `resources_api` (the `Record`, the `INSERT`
//! statement, `insert_one`) and `rusqlite`, and nothing else: no variant
//! of the lesson, no other crate (the judge rejects a changed dependency
//! list, `unsafe`, `include!` and `#[path]`).
//!
//! The budget, checked in this order:
//!
//! 1. it agrees with autocommit: the table ends up holding exactly the
//!    rows autocommit would add, in order, and it returns their count;
//! 2. a call makes exactly 1 commit and prepares at most 1 statement,
//!    counted by SQLite's commit hook and authorizer on the connection,
//!    and leaves the connection's journal settings as it found them;
//! 3. a record that breaks a constraint returns the error and leaves the
//!    table as it was: none of the batch is written;
//! 4. it is at least 50x faster than autocommit at n = 1,000 records.

use resources_api::Record;
use resources_api::rusqlite::{Connection, Result};

// ANCHOR: exercise
/// Insert `records` into the `deployments` table, all or nothing, and
/// return how many rows were inserted.
#[allow(unused_variables)] // `conn` and `records` are yours to use: remove this line when you start.
pub fn insert_all(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    // TODO: one transaction for the batch (`conn.transaction()`), one
    // statement prepared for all the rows (`tx.prepare_cached(INSERT)`),
    // and a commit only when every row went in: on an error, return it
    // and let the transaction's `Drop` roll back.
    todo!()
}
// ANCHOR_END: exercise
