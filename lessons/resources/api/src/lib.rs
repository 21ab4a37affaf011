//! What the `resources` lesson shares with its exercise: the deployment
//! record, the table it is stored in, and the statements every variant
//! runs. No variant lives here.
#![deny(missing_docs)]

use std::path::Path;

pub use rusqlite;
use rusqlite::{Connection, params};

// ANCHOR: record
/// One deployment, as a row of the `deployments` table.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Record {
    /// The service and its number, e.g. `api-0`.
    pub name: String,
    /// The version it runs.
    pub version: String,
    /// How many replicas; the table accepts 1 to 1,000 (a `CHECK`).
    pub replicas: i64,
    /// One of [`STATUSES`]; the table accepts nothing else (a `CHECK`).
    pub status: String,
}
// ANCHOR_END: record

// ANCHOR: schema
/// The table, and the index a lookup by name uses. The two `CHECK`s are
/// the constraints a bad record breaks.
pub const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS deployments (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    replicas INTEGER NOT NULL CHECK (replicas BETWEEN 1 AND 1000),
    status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'stopped', 'failed'))
);
CREATE INDEX IF NOT EXISTS deployments_name ON deployments (name);
";

/// The one statement that inserts a record.
pub const INSERT: &str =
    "INSERT INTO deployments (name, version, replicas, status) VALUES (?1, ?2, ?3, ?4)";
// ANCHOR_END: schema

/// The services the lesson's deployments belong to (some names are not
/// ASCII, as real ones are not).
pub const SERVICES: [&str; 8] = [
    "api", "auth", "billing", "search", "checkout", "paiement", "zählung", "ログ",
];
/// The versions they run.
pub const VERSIONS: [&str; 5] = ["1.0.0", "1.2.3", "2.0.0", "2.1.0", "3.0.0-rc1"];
/// The statuses the table accepts.
pub const STATUSES: [&str; 4] = ["pending", "running", "stopped", "failed"];

// ANCHOR: records
/// The lesson's `n` records, the same on every machine (and in the Python
/// script): record `i` is `{service}-{i}`, on a version, with
/// `1 + 37i mod 100` replicas, in a status.
pub fn records(n: usize) -> Vec<Record> {
    (0..n)
        .map(|i| Record {
            name: format!("{}-{i}", SERVICES[i % SERVICES.len()]),
            version: VERSIONS[(i * 7) % VERSIONS.len()].to_owned(),
            replicas: 1 + (i * 37 % 100) as i64,
            status: STATUSES[i % STATUSES.len()].to_owned(),
        })
        .collect()
}
// ANCHOR_END: records

/// Open (creating if need be) the database file at `path` and its table,
/// in SQLite's default journal mode: a rollback journal, with
/// `synchronous=FULL` said out loud, so that every commit is on the disk
/// before it returns.
pub fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// Every row of the table, in the order inserted.
pub fn read_all(conn: &Connection) -> rusqlite::Result<Vec<Record>> {
    let mut stmt =
        conn.prepare("SELECT name, version, replicas, status FROM deployments ORDER BY id")?;
    let rows = stmt.query_map([], |row| {
        Ok(Record {
            name: row.get(0)?,
            version: row.get(1)?,
            replicas: row.get(2)?,
            status: row.get(3)?,
        })
    })?;
    rows.collect()
}

/// How many rows the table holds.
pub fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM deployments", [], |row| row.get(0))
}

/// Bind one record to the four parameters of [`INSERT`] and run it.
pub fn insert_one(stmt: &mut rusqlite::Statement<'_>, r: &Record) -> rusqlite::Result<usize> {
    stmt.execute(params![r.name, r.version, r.replicas, r.status])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The generator's formula, on the records the Python script checks.
    #[test]
    fn records_follow_the_formula() {
        let r = records(10);
        assert_eq!(r[0].name, "api-0");
        assert_eq!(r[7].name, "ログ-7");
        assert_eq!(r[1].version, "2.0.0");
        assert_eq!(r[3].replicas, 12);
        assert_eq!(r[5].status, "running");
        assert!(
            records(1_000)
                .iter()
                .all(|r| (1..=100).contains(&r.replicas))
        );
    }
}
