//! A process killed in the middle of a batch: after reopening, every
//! committed row is there and no row of the uncommitted batch is, 20 runs
//! of 20, in both journal modes.
//!
//! The child is this test binary run again with [`CHILD`] set: it commits
//! three batches, starts a fourth, says so on stdout, and keeps inserting
//! inside the open transaction until it is killed with SIGKILL (no
//! destructor, no rollback, no flush: what a power cut does to the
//! process).

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use resources::api::{self, Record};
use resources::insert::Journal;

/// The environment variable that makes this binary the child; its value
/// is the database's path and journal mode, `path|mode`.
const CHILD: &str = "RESOURCES_CRASH_CHILD";
/// Rows per committed batch, and batches committed before the crash.
const BATCH: usize = 100;
const COMMITTED: usize = 3;

/// The batch numbered `b`: names that say which batch they belong to.
fn batch(b: usize) -> Vec<Record> {
    api::records(BATCH)
        .into_iter()
        .map(|mut r| {
            r.name = format!("batch{b}-{}", r.name);
            r
        })
        .collect()
}

/// The child's work; only with [`CHILD`] set.
#[test]
fn crash_child() {
    let Ok(spec) = std::env::var(CHILD) else {
        return;
    };
    let (path, mode) = spec.split_once('|').unwrap();
    let mut conn = api::open(Path::new(path)).unwrap();
    let journal = if mode == "wal" {
        Journal::WalFull
    } else {
        Journal::Rollback
    };
    journal.apply(&conn).unwrap();
    for b in 0..COMMITTED {
        resources::prepare_cached(&mut conn, &batch(b)).unwrap();
    }
    let tx = conn.transaction().unwrap();
    let mut stmt = tx.prepare_cached(api::INSERT).unwrap();
    let doomed = batch(COMMITTED);
    for r in &doomed {
        api::insert_one(&mut stmt, r).unwrap();
    }
    // Enough of the batch is written for SQLite to have spilled pages to
    // the file itself, past its cache: make it spill, then report.
    tx.pragma_update(None, "cache_size", 1).unwrap();
    for i in 0.. {
        let mut r = doomed[i % BATCH].clone();
        r.name = format!("batch{COMMITTED}-more-{i}");
        api::insert_one(&mut stmt, &r).unwrap();
        if i == 2_000 {
            println!("in the batch");
        }
    }
}

fn kill_mid_batch(path: &Path, mode: &str) {
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--exact", "crash_child", "--nocapture", "--test-threads=1"])
        .env(CHILD, format!("{}|{mode}", path.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = BufReader::new(stdout).lines();
    let reached = lines.any(|l| l.is_ok_and(|l| l.contains("in the batch")));
    child.kill().unwrap(); // SIGKILL
    let status = child.wait().unwrap();
    assert!(reached, "the child never reached the batch: {status}");
}

#[test]
fn a_killed_writer_loses_no_commit_and_leaves_no_half_batch() {
    let root = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("resources-crash");
    let _ = std::fs::remove_dir_all(&root);
    let mut passed = 0;
    for run in 0..20 {
        let mode = if run % 2 == 0 { "rollback" } else { "wal" };
        let dir = root.join(format!("run-{run}"));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("deployments.db");
        kill_mid_batch(&path, mode);
        // The kill left the transaction's trace beside the file: a hot
        // rollback journal (the file itself already holds spilled pages
        // of the doomed batch), or a log with its uncommitted frames.
        let trace = dir.join(if mode == "wal" {
            "deployments.db-wal"
        } else {
            "deployments.db-journal"
        });
        let left = std::fs::metadata(&trace).map_or(0, |m| m.len());
        assert!(
            left > 0,
            "run {run} ({mode}): no journal left to recover from"
        );
        // Reopening rolls the hot journal back (or ignores the log's
        // uncommitted frames).
        let conn = api::open(&path).unwrap();
        let rows = api::read_all(&conn).unwrap();
        let committed: Vec<Record> = (0..COMMITTED).flat_map(batch).collect();
        assert_eq!(rows, committed, "run {run} ({mode})");
        let check: String = conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(check, "ok", "run {run} ({mode})");
        passed += 1;
    }
    assert_eq!(passed, 20);
    std::fs::remove_dir_all(&root).unwrap();
}
