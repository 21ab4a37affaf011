//! The reference solution to the `resources` exercise: see
//! `lessons/resources/exercise/src/lib.rs` for the task and its budget.

use resources_api::rusqlite::{Connection, Result};
use resources_api::{INSERT, Record, insert_one};

// ANCHOR: solution
/// Insert `records` into the `deployments` table, all or nothing, and
/// return how many rows were inserted.
pub fn insert_all(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    // `__enter__`: BEGIN. Dropped without `commit()` (an early `?`
    // return, or a panic unwinding through here), it rolls back: that is
    // `__exit__` with an exception, and nothing of the batch is written.
    let tx = conn.transaction()?;
    let mut inserted = 0;
    {
        // Prepared once for all the rows, and kept in the connection's
        // cache: a second batch on this connection prepares nothing.
        let mut stmt = tx.prepare_cached(INSERT)?;
        for record in records {
            inserted += insert_one(&mut stmt, record)?;
        }
    } // the statement borrows `tx`: it goes back to the cache first
    // One commit: one sync of the journal and the database for the batch.
    // Its error is returned too: a commit can fail (a full disk, a lock).
    tx.commit()?;
    Ok(inserted)
}
// ANCHOR_END: solution
