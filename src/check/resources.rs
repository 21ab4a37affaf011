//! The judge of `lessons/resources`' exercise, `insert_all`.

use proptest::prelude::*;
use resources::api::{self, Record, STATUSES};
use resources::insert::{InsertFn, Journal};
use rusqlite::Connection;

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::resources::{BUDGET, Db, INSERTS, insert_case};
use crate::fmt::count;

/// The budget's figures, from the catalog's one [`BUDGET`].
const MIN_SPEEDUP: f64 = BUDGET.min_speedup();
const AT: &str = BUDGET.speed_at();
const COMMITS: u64 = match BUDGET.statements {
    Some(s) => s.commits,
    None => panic!("the resources budget counts statements"),
};
const PREPARES: u64 = match BUDGET.statements {
    Some(s) => s.prepares,
    None => panic!("the resources budget counts statements"),
};
/// The records the statement and speed stages insert, as [`AT`] says.
const N: usize = 1_000;

/// How many stages [`judge`] runs.
pub const STAGES: usize = 5;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    match target {
        Target::Exercise => judge_fn(judge, resources_exercise::insert_all),
        Target::Solution => judge_fn(judge, resources_solution::insert_all),
    }
}

/// A fresh database in SQLite's default mode, or the stage fails saying
/// why (a full disk, an unwritable `target/`).
fn fresh() -> Result<Db, Fail> {
    Db::new(Journal::Rollback)
        .map_err(|e| Fail::Because(format!("cannot make a database under target/: {e}")))
}

/// A read of the judge's own that must work; its error ends the stage.
fn read(conn: &Connection) -> Result<Vec<Record>, Fail> {
    api::read_all(conn).map_err(|e| Fail::Because(format!("reading the table back failed: {e}")))
}

/// Insert `records` with `f` into a database already holding `before`,
/// and compare the result and the table with what autocommit leaves.
fn agrees(f: InsertFn, before: &[Record], records: &[Record], what: &str) -> Result<(), String> {
    let mut db = fresh().map_err(|e| e.to_string())?;
    resources::autocommit(&mut db.conn, before).map_err(|e| e.to_string())?;
    let returned = f(&mut db.conn, records)
        .map_err(|e| format!("{what}: it returned the error \"{e}\" on valid records"))?;
    if returned != records.len() {
        return Err(format!(
            "{what}: it returned {returned}; it inserted {} records",
            records.len()
        ));
    }
    let want: Vec<Record> = before.iter().chain(records).cloned().collect();
    let got = api::read_all(&db.conn).map_err(|e| e.to_string())?;
    check::same_items(&want, &got).map_err(|e| format!("{what}: the table {e}"))?;
    if !db.conn.is_autocommit() {
        return Err(format!(
            "{what}: it left the connection inside a transaction"
        ));
    }
    Ok(())
}

/// Random valid records: names of any UTF-8 (repeats and empty ones
/// included), every replica count the table accepts, every status. The
/// agreement tests (`tests/resources_agree.rs`) draw from it too.
pub fn record() -> impl Strategy<Value = Record> {
    (
        prop_oneof!["[a-z]{0,3}", "[a-zé用ログ' -]{1,8}", "\\PC{0,5}"],
        prop_oneof![Just(String::new()), "[0-9.]{1,6}", "\\PC{0,4}"],
        1i64..=1_000,
        prop::sample::select(STATUSES.to_vec()),
    )
        .prop_map(|(name, version, replicas, status)| Record {
            name,
            version,
            replicas,
            status: status.to_owned(),
        })
}

/// Records that break the table's constraints, each with why.
fn bad_records() -> Vec<(Record, &'static str)> {
    let good = api::records(1).remove(0);
    vec![
        (
            Record {
                replicas: 0,
                ..good.clone()
            },
            "replicas = 0",
        ),
        (
            Record {
                replicas: 1_001,
                ..good.clone()
            },
            "replicas = 1,001",
        ),
        (
            Record {
                status: "deleted".into(),
                ..good
            },
            "status 'deleted'",
        ),
    ]
}

/// The journal settings a call must leave as it found them, as SQLite
/// reports them: `journal_mode`, and `synchronous` as a number.
pub fn settings(conn: &Connection) -> rusqlite::Result<(String, i64)> {
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    let sync: i64 = conn.pragma_query_value(None, "synchronous", |r| r.get(0))?;
    Ok((mode, sync))
}

/// Run the stages on any function of the exercise's signature (the
/// known-wrong submissions in `tests/wrong/` come in here).
pub fn judge_fn(judge: &mut Judge, f: InsertFn) -> Result<(), Failed> {
    judge.stage("started", "replace the todo!() with your code", || {
        let mut db = fresh()?;
        check::attempt("one record", || f(&mut db.conn, &api::records(1)))?
            .map(|_| "it returns".into())
            .map_err(|e| Fail::Because(format!("one valid record: it returned the error \"{e}\"")))
    })?;
    judge.stage(
        "agrees with autocommit",
        "insert every record, in order, with its four fields bound to INSERT's four parameters, and return how many went in",
        || {
            let lesson = api::records(N);
            let what = format!("the lesson's {} records", count(N as u64));
            check::attempt(&what, || agrees(f, &[], &lesson, &what))?.map_err(Fail::Because)?;
            let what = "the lesson's 1,000 records, into a table already holding 10";
            check::attempt(what, || agrees(f, &api::records(10), &lesson, what))?
                .map_err(Fail::Because)?;
            let what = "an empty batch";
            check::attempt(what, || agrees(f, &api::records(3), &[], what))?.map_err(Fail::Because)?;
            check::agree_on_random(prop::collection::vec(record(), 0..20), 48, |batch| {
                agrees(f, &api::records(2), &batch, "a random batch")
            })?;
            Ok(format!(
                "the lesson's {} records, into an empty table and after 10 rows; an empty batch; 48 random batches (unicode and empty names, every replica count and status)",
                count(N as u64)
            ))
        },
    )?;
    judge.stage(
        &format!("{COMMITS} commit, {PREPARES} prepare"),
        "one transaction, one statement prepared before the loop; and leave PRAGMA journal_mode and synchronous as they are",
        || {
            let mut db = fresh()?;
            let records = api::records(N);
            let settings_before = settings(&db.conn)
                .map_err(|e| Fail::Because(format!("reading the journal settings: {e}")))?;
            for call in ["a first call", "a second call on the same connection"] {
                let what = format!("{call}, {} records", count(N as u64));
                let before = db.counts.get();
                check::attempt(&what, || f(&mut db.conn, &records))?
                    .map_err(|e| Fail::Because(format!("{what}: it returned the error \"{e}\"")))?;
                let (commits, prepares) = {
                    let after = db.counts.get();
                    (after.0 - before.0, after.1 - before.1)
                };
                // The hooks are the judge's: a call that removed or
                // replaced them would count nothing. One statement of the
                // judge's own must be counted as one commit and one prepare.
                let probe = db.counts.get();
                db.conn
                    .execute(api::INSERT, rusqlite::params!["probe", "0", 1, "pending"])
                    .map_err(|e| Fail::Because(format!("after {call}, an insert of the judge's failed: {e}")))?;
                db.conn
                    .execute("DELETE FROM deployments WHERE name = 'probe'", [])
                    .map_err(|e| Fail::Because(format!("after {call}, a delete of the judge's failed: {e}")))?;
                let after_probe = db.counts.get();
                if (after_probe.0 - probe.0, after_probe.1 - probe.1) != (2, 1) {
                    return Err(Fail::Because(format!(
                        "{what}: the commit hook and the authorizer the judge set on the connection no longer count: it replaced or removed them"
                    )));
                }
                if commits != COMMITS {
                    return Err(Fail::Because(format!(
                        "{what}: {} commits; the budget is exactly {COMMITS}{}",
                        count(commits),
                        if commits == N as u64 {
                            ": one per row is autocommit, or a transaction per row"
                        } else {
                            ""
                        }
                    )));
                }
                if prepares > PREPARES {
                    return Err(Fail::Because(format!(
                        "{what}: {} statements prepared; the budget is at most {PREPARES} (execute() prepares again on every call: prepare once, before the loop)",
                        count(prepares)
                    )));
                }
                let now = settings(&db.conn)
                    .map_err(|e| Fail::Because(format!("reading the journal settings: {e}")))?;
                if now != settings_before {
                    return Err(Fail::Because(format!(
                        "{what}: it changed the journal settings from journal_mode={} synchronous={} to journal_mode={} synchronous={}: a commit would no longer be on the disk when it returns",
                        settings_before.0, settings_before.1, now.0, now.1
                    )));
                }
            }
            Ok(format!(
                "two calls of {} records on one connection: {COMMITS} commit and at most {PREPARES} prepare each, the journal settings untouched",
                count(N as u64)
            ))
        },
    )?;
    judge.stage(
        "all or nothing",
        "return the first error with `?` before commit(): dropping the uncommitted Transaction rolls the whole batch back",
        || {
            let mut tried = 0;
            for (bad, why) in bad_records() {
                for at in [0, N / 2, N - 1] {
                    let mut batch = api::records(N);
                    batch[at] = bad.clone();
                    let mut db = fresh()?;
                    let before = api::records(10);
                    resources::autocommit(&mut db.conn, &before)
                        .map_err(|e| Fail::Because(format!("the judge's own rows: {e}")))?;
                    let what = format!("1,000 records, number {} of them with {why}", at + 1);
                    let result = check::attempt(&what, || f(&mut db.conn, &batch))?;
                    if let Ok(n) = result {
                        return Err(Fail::Because(format!(
                            "{what}: it returned Ok({n}); the table refuses that record, so the call must return its error"
                        )));
                    }
                    if !db.conn.is_autocommit() {
                        return Err(Fail::Because(format!(
                            "{what}: it returned the error but left the transaction open, so the next commit on this connection would write the rows before it"
                        )));
                    }
                    let got = read(&db.conn)?;
                    if got != before {
                        return Err(Fail::Because(format!(
                            "{what}: it returned the error, but the table went from 10 rows to {}: {} of the batch stayed written",
                            got.len(),
                            got.len().saturating_sub(10)
                        )));
                    }
                    tried += 1;
                }
            }
            Ok(format!(
                "{tried} batches with one bad record (replicas 0 and 1,001, an unknown status; first, middle and last): each returned the error and wrote nothing"
            ))
        },
    )?;
    judge.stage(
        &format!("speed: {MIN_SPEEDUP}x autocommit"),
        "the commit is the cost: one sync for the batch, not one per row",
        || {
            let autocommit = INSERTS[0].f;
            let cases = [
                insert_case("autocommit", autocommit, N as u64),
                insert_case(
                    "the reference solution",
                    (Journal::Rollback, resources_solution::insert_all),
                    N as u64,
                ),
                insert_case("insert_all", (Journal::Rollback, f), N as u64),
            ];
            // No trap here: autocommit, a transaction per row and a
            // prepare per row all fail the statement stage first.
            check::faster_than("autocommit", cases, Vec::new(), MIN_SPEEDUP, AT)
        },
    )
}
