//! Question 1: insert n records. One commit per row against one commit
//! for all of them, and what each journal mode keeps after a power loss.

use std::fs::File;
use std::io::{self, Write};

use rusqlite::{Connection, Result, params_from_iter};

use crate::api::{INSERT, Record, insert_one};

/// A variant that inserts records into an open connection and returns how
/// many rows it inserted.
pub type InsertFn = fn(&mut Connection, &[Record]) -> Result<usize>;

// ANCHOR: autocommit
/// The article's pattern when the caller forgets the transaction: each
/// `execute` is its own transaction, so SQLite syncs its journal and the
/// database to the disk once per row. `execute` prepares the statement
/// again each time, too.
pub fn autocommit(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let mut n = 0;
    for r in records {
        n += conn.execute(
            INSERT,
            rusqlite::params![r.name, r.version, r.replicas, r.status],
        )?;
    }
    Ok(n)
}
// ANCHOR_END: autocommit

/// [`autocommit`] on a database in WAL mode with `synchronous=FULL`: a
/// commit appends to the write-ahead log and syncs it once; no journal
/// file is created and deleted per row.
pub fn wal_full(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    autocommit(conn, records)
}

/// [`autocommit`] on a database in WAL mode with `synchronous=NORMAL`: a
/// commit appends to the log and does not sync; the log is synced at a
/// checkpoint. A power loss may take the last commits back (the database
/// stays whole); a crash of the process alone loses nothing.
pub fn wal_normal(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    autocommit(conn, records)
}

// ANCHOR: transaction
/// The article's `DatabaseTransaction`, as Rust writes it: `transaction()`
/// is `__enter__`; `commit()` ends it on success; on an error (`?`
/// returns early) or a panic, dropping the `Transaction` rolls it back,
/// which is `__exit__` with an exception. One sync for all the rows; the
/// statement is still prepared again for each row.
pub fn transaction(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let tx = conn.transaction()?;
    let mut n = 0;
    for r in records {
        n += tx.execute(
            INSERT,
            rusqlite::params![r.name, r.version, r.replicas, r.status],
        )?;
    }
    tx.commit()?;
    Ok(n)
}
// ANCHOR_END: transaction

// ANCHOR: prepare_cached
/// One transaction, and the statement prepared once: `prepare_cached`
/// keeps it in the connection's cache, so a second call prepares nothing.
/// Each row is a bind and a step.
pub fn prepare_cached(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let tx = conn.transaction()?;
    let mut n = 0;
    {
        let mut stmt = tx.prepare_cached(INSERT)?;
        for r in records {
            n += insert_one(&mut stmt, r)?;
        }
    }
    tx.commit()?;
    Ok(n)
}
// ANCHOR_END: prepare_cached

/// Rows per statement of [`multi_row`]: 4 parameters each, far below
/// SQLite's limit of 32,766 parameters.
pub const BATCH: usize = 100;

// ANCHOR: multi_row
/// One transaction, and [`BATCH`] rows per `INSERT … VALUES (…), (…)`:
/// one step inserts a hundred rows. Two statements are prepared, the full
/// batch and the remainder.
pub fn multi_row(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let tx = conn.transaction()?;
    let full = multi_insert(BATCH);
    let mut n = 0;
    for chunk in records.chunks(BATCH) {
        let rest;
        let sql = if chunk.len() == BATCH {
            &full
        } else {
            rest = multi_insert(chunk.len());
            &rest
        };
        let mut stmt = tx.prepare_cached(sql)?;
        n += stmt.execute(params_from_iter(chunk.iter().flat_map(|r| {
            [
                &r.name as &dyn rusqlite::ToSql,
                &r.version,
                &r.replicas,
                &r.status,
            ]
        })))?;
    }
    tx.commit()?;
    Ok(n)
}

/// The `INSERT` of `rows` rows at once, in one allocation.
pub fn multi_insert(rows: usize) -> String {
    const HEAD: &str = "INSERT INTO deployments (name, version, replicas, status) VALUES ";
    const ROW: &str = "(?, ?, ?, ?)";
    let mut sql = String::with_capacity(HEAD.len() + rows * (ROW.len() + 2));
    sql.push_str(HEAD);
    for i in 0..rows {
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(ROW);
    }
    sql
}
// ANCHOR_END: multi_row

// ANCHOR: append_fsync
/// The floor: the records' bytes, one line each, appended to a plain file
/// and synced once. No index, no page, no journal; what any commit of
/// these rows must at least write and wait for.
pub fn append_fsync(file: &mut File, records: &[Record]) -> io::Result<usize> {
    let mut bytes = Vec::with_capacity(records.len() * 32);
    for r in records {
        writeln!(
            bytes,
            "{}\t{}\t{}\t{}",
            r.name, r.version, r.replicas, r.status
        )?;
    }
    file.write_all(&bytes)?;
    file.sync_data()?;
    Ok(records.len())
}
// ANCHOR_END: append_fsync

/// The records a file written by [`append_fsync`] holds, in order.
pub fn read_appended(text: &str) -> Vec<Record> {
    text.lines()
        .filter_map(|line| {
            let mut f = line.split('\t');
            Some(Record {
                name: f.next()?.to_owned(),
                version: f.next()?.to_owned(),
                replicas: f.next()?.parse().ok()?,
                status: f.next()?.to_owned(),
            })
        })
        .collect()
}

/// A journal mode and its `synchronous` level.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Journal {
    /// SQLite's default: a rollback journal file per transaction, and
    /// `synchronous=FULL`.
    Rollback,
    /// A write-ahead log, synced at every commit.
    WalFull,
    /// A write-ahead log, synced at checkpoints only.
    WalNormal,
}

impl Journal {
    /// Put an open connection in this mode (WAL is a property of the file:
    /// it stays on for every later connection).
    pub fn apply(self, conn: &Connection) -> Result<()> {
        let (mode, sync) = match self {
            Journal::Rollback => ("DELETE", "FULL"),
            Journal::WalFull => ("WAL", "FULL"),
            Journal::WalNormal => ("WAL", "NORMAL"),
        };
        let set: String = conn.pragma_update_and_check(None, "journal_mode", mode, |r| r.get(0))?;
        if !set.eq_ignore_ascii_case(mode) {
            return Err(rusqlite::Error::InvalidParameterName(format!(
                "journal_mode stayed {set}, not {mode}"
            )));
        }
        conn.pragma_update(None, "synchronous", sync)
    }
}
