//! Known-wrong answers to the resources exercise (`insert_all`), each the
//! way a learner writes it, and where the judge must stop it; and one
//! right answer unlike the reference solution.

use resources::api::{INSERT, Record, insert_one};
use rusqlite::{Connection, Result, params};
use workbench::check::resources::judge_fn;

use super::{Expect, Wrong};

/// The article's pattern without its transaction: a commit per row.
fn autocommit(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let mut n = 0;
    for r in records {
        n += conn.execute(INSERT, params![r.name, r.version, r.replicas, r.status])?;
    }
    Ok(n)
}

/// A transaction around each row: still a commit per row.
fn tx_per_row(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let mut n = 0;
    for r in records {
        let tx = conn.transaction()?;
        {
            let mut stmt = tx.prepare_cached(INSERT)?;
            n += insert_one(&mut stmt, r)?;
        }
        tx.commit()?;
    }
    Ok(n)
}

/// One transaction, the statement prepared again for every row: right,
/// and over the budget.
fn prepare_per_row(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let tx = conn.transaction()?;
    let mut n = 0;
    for r in records {
        n += tx.execute(INSERT, params![r.name, r.version, r.replicas, r.status])?;
    }
    tx.commit()?;
    Ok(n)
}

/// Keeps going past a bad record, commits what went in, then reports the
/// error: the batch is half written.
fn commits_after_error(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let tx = conn.transaction()?;
    let mut n = 0;
    let mut first_error = None;
    {
        let mut stmt = tx.prepare_cached(INSERT)?;
        for r in records {
            match insert_one(&mut stmt, r) {
                Ok(k) => n += k,
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
    }
    tx.commit()?;
    match first_error {
        Some(e) => Err(e),
        None => Ok(n),
    }
}

/// `INSERT OR IGNORE`: a bad record is skipped without a word.
fn or_ignore(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let tx = conn.transaction()?;
    let mut n = 0;
    {
        let mut stmt = tx.prepare_cached(&INSERT.replacen("INSERT", "INSERT OR IGNORE", 1))?;
        for r in records {
            n += insert_one(&mut stmt, r)?;
        }
    }
    tx.commit()?;
    Ok(n)
}

/// `BEGIN` by hand, and an early `?` that never says `ROLLBACK`: the
/// transaction stays open on the connection.
fn forgets_rollback(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    conn.execute_batch("BEGIN")?;
    let mut n = 0;
    {
        let mut stmt = conn.prepare_cached(INSERT)?;
        for r in records {
            n += insert_one(&mut stmt, r)?;
        }
    }
    conn.execute_batch("COMMIT")?;
    Ok(n)
}

/// Turns the sync off to go faster: a commit no longer waits for the disk.
fn synchronous_off(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    conn.pragma_update(None, "synchronous", "OFF")?;
    resources_solution::insert_all(conn, records)
}

/// Removes the judge's counting hooks, then commits per row.
fn removes_hooks(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    conn.commit_hook(None::<fn() -> bool>)?;
    conn.authorizer(
        None::<fn(rusqlite::hooks::AuthContext<'_>) -> rusqlite::hooks::Authorization>,
    )?;
    autocommit(conn, records)
}

/// Inserts the batch in reverse.
fn reversed(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    let backwards: Vec<Record> = records.iter().rev().cloned().collect();
    resources_solution::insert_all(conn, &backwards)
}

/// `BEGIN` and `ROLLBACK` by hand, a statement prepared without the
/// cache: right, unlike the reference solution.
fn by_hand(conn: &mut Connection, records: &[Record]) -> Result<usize> {
    conn.execute_batch("BEGIN")?;
    let inserted = (|| {
        let mut stmt = conn.prepare(INSERT)?;
        let mut n = 0;
        for r in records {
            n += insert_one(&mut stmt, r)?;
        }
        Ok(n)
    })();
    match inserted {
        Ok(n) => {
            conn.execute_batch("COMMIT")?;
            Ok(n)
        }
        Err(e) => {
            conn.execute_batch("ROLLBACK")?;
            Err(e)
        }
    }
}

fn panics(_: &mut Connection, _: &[Record]) -> Result<usize> {
    panic!("not yet")
}

#[allow(clippy::empty_loop)]
fn hangs(_: &mut Connection, _: &[Record]) -> Result<usize> {
    loop {}
}

/// Each, and where the judge stops it.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "autocommit",
        expect: Expect::Failed("1 commit"),
        run: |j| judge_fn(j, autocommit),
    },
    Wrong {
        name: "tx_per_row",
        expect: Expect::Failed("1 commit"),
        run: |j| judge_fn(j, tx_per_row),
    },
    Wrong {
        name: "prepare_per_row",
        expect: Expect::Failed("1 commit"),
        run: |j| judge_fn(j, prepare_per_row),
    },
    Wrong {
        name: "commits_after_error",
        expect: Expect::Failed("all or nothing"),
        run: |j| judge_fn(j, commits_after_error),
    },
    Wrong {
        name: "or_ignore",
        expect: Expect::Failed("all or nothing"),
        run: |j| judge_fn(j, or_ignore),
    },
    Wrong {
        name: "forgets_rollback",
        expect: Expect::Failed("all or nothing"),
        run: |j| judge_fn(j, forgets_rollback),
    },
    Wrong {
        name: "synchronous_off",
        expect: Expect::Failed("1 commit"),
        run: |j| judge_fn(j, synchronous_off),
    },
    Wrong {
        name: "removes_hooks",
        expect: Expect::Failed("1 commit"),
        run: |j| judge_fn(j, removes_hooks),
    },
    Wrong {
        name: "reversed",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, reversed),
    },
    Wrong {
        name: "by_hand",
        expect: Expect::Accepted,
        run: |j| judge_fn(j, by_hand),
    },
    Wrong {
        name: "panics",
        expect: Expect::Panicked("started"),
        run: |j| judge_fn(j, panics),
    },
    Wrong {
        name: "hangs",
        expect: Expect::Hangs("started"),
        run: |j| judge_fn(j, hangs),
    },
];
