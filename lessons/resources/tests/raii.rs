//! What `Drop` guarantees, proved on every way out of a block: a normal
//! return, an early `?`, and a panic. Each test's files live in a
//! directory of its own under `target/tmp/` (a real disk).

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::Duration;

use resources::api::{self, INSERT, insert_one};
use resources::guards::{Swap, TempDir, Timer, with_transaction};

/// A fresh directory for one test, under cargo's `target/tmp/`.
fn scratch(name: &str) -> TempDir {
    let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("resources-raii");
    let _ = std::fs::remove_dir_all(parent.join(name));
    TempDir::new(&parent, name).unwrap()
}

/// Silence the expected panics' messages (the default hook prints each).
fn quietly<R>(f: impl FnOnce() -> R) -> std::thread::Result<R> {
    catch_unwind(AssertUnwindSafe(f))
}

#[test]
fn a_panic_in_a_transaction_leaves_the_database_as_it_was() {
    let dir = scratch("panic-tx");
    let path = dir.path().join("deployments.db");
    let mut conn = api::open(&path).unwrap();
    let before = api::records(10);
    resources::prepare_cached(&mut conn, &before).unwrap();
    let batch = api::records(500);
    let outcome = quietly(|| {
        let tx = conn.transaction().unwrap();
        let mut stmt = tx.prepare_cached(INSERT).unwrap();
        for (i, r) in batch.iter().enumerate() {
            insert_one(&mut stmt, r).unwrap();
            if i == 250 {
                panic!("a bug half-way through the batch");
            }
        }
        unreachable!()
    });
    assert!(outcome.is_err());
    assert!(
        conn.is_autocommit(),
        "the transaction was rolled back on unwind"
    );
    assert_eq!(api::read_all(&conn).unwrap(), before);
    // The connection works on; a fresh one sees the same.
    drop(conn);
    assert_eq!(api::read_all(&api::open(&path).unwrap()).unwrap(), before);
}

#[test]
fn the_article_transaction_commits_rolls_back_and_survives_a_panic() {
    let dir = scratch("with-tx");
    let mut conn = api::open(&dir.path().join("deployments.db")).unwrap();
    let records = api::records(3);
    // Ok: committed.
    let n: usize = with_transaction(&mut conn, |tx| {
        let mut stmt = tx.prepare_cached(INSERT)?;
        records
            .iter()
            .map(|r| insert_one(&mut stmt, r))
            .sum::<rusqlite::Result<usize>>()
    })
    .unwrap();
    assert_eq!(n, 3);
    // Err: rolled back, the error returned.
    let mut bad = api::records(2);
    bad[1].replicas = 0;
    let err = with_transaction(&mut conn, |tx| {
        let mut stmt = tx.prepare_cached(INSERT)?;
        bad.iter()
            .try_for_each(|r| insert_one(&mut stmt, r).map(drop))
    })
    .unwrap_err();
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
    // A panic: rolled back by the `Transaction`'s drop.
    let panicked = quietly(|| {
        with_transaction::<(), rusqlite::Error>(&mut conn, |tx| {
            tx.execute(INSERT, rusqlite::params!["ghost", "0", 1, "pending"])?;
            panic!("a bug inside the block")
        })
    });
    assert!(panicked.is_err());
    assert_eq!(api::read_all(&conn).unwrap(), records);
}

#[test]
fn a_temporary_directory_is_removed_on_drop_on_panic_and_by_close() {
    let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("resources-raii-dirs");
    let path = {
        let dir = TempDir::new(&parent, "dropped").unwrap();
        std::fs::write(dir.path().join("file"), "data").unwrap();
        dir.path().to_owned()
    };
    assert!(!path.exists());
    let mut seen = None;
    let outcome = quietly(|| {
        let dir = TempDir::new(&parent, "panicked").unwrap();
        std::fs::create_dir(dir.path().join("nested")).unwrap();
        seen = Some(dir.path().to_owned());
        panic!("a failed test inside the namespace");
    });
    assert!(outcome.is_err());
    assert!(!seen.unwrap().exists());
    let dir = TempDir::new(&parent, "closed").unwrap();
    let path = dir.path().to_owned();
    dir.close().unwrap();
    assert!(!path.exists());
    // It refuses a directory that is already there: it would remove
    // what it did not make.
    std::fs::create_dir_all(parent.join("taken")).unwrap();
    assert_eq!(
        TempDir::new(&parent, "taken").unwrap_err().kind(),
        std::io::ErrorKind::AlreadyExists
    );
    assert!(parent.join("taken").exists());
}

#[test]
fn a_mutex_guard_is_released_on_panic_and_the_poisoning_is_handled() {
    let deployed = Mutex::new(vec!["api-0"]);
    let outcome = quietly(|| {
        let mut list = deployed.lock().unwrap();
        list.push("half-done");
        panic!("a bug while holding the lock");
    });
    assert!(outcome.is_err());
    // The lock was released (no deadlock), and says a holder panicked.
    assert!(deployed.is_poisoned());
    let err = deployed.lock().unwrap_err();
    // Handled: take the data, check it, clear the flag.
    let mut list = err.into_inner();
    assert_eq!(*list, ["api-0", "half-done"]);
    list.retain(|d| *d != "half-done");
    drop(list);
    deployed.clear_poison();
    assert_eq!(*deployed.lock().unwrap(), ["api-0"]);
}

/// The credential swap puts the old value back on return, on `?` and on
/// panic.
#[test]
fn the_credential_swap_restores_on_every_exit() {
    let mut role = String::from("deployer");
    fn early(role: &mut String) -> Result<(), String> {
        let session = Swap::new(role, "admin".to_owned());
        assert_eq!(*session, "admin");
        Err("denied".to_owned())?;
        unreachable!()
    }
    {
        let session = Swap::new(&mut role, "admin".to_owned());
        assert_eq!(*session, "admin");
    }
    assert_eq!(role, "deployer");
    assert!(early(&mut role).is_err());
    assert_eq!(role, "deployer");
    let outcome = quietly(|| {
        let _session = Swap::new(&mut role, "admin".to_owned());
        panic!("the deployment failed");
    });
    assert!(outcome.is_err());
    assert_eq!(role, "deployer");
}

/// The timer reports once, on every exit, panics included.
#[test]
fn the_timer_reports_on_every_exit() {
    let reports = Cell::new(0);
    let report = |_: &str, took: Duration| {
        assert!(took < Duration::from_secs(60));
        reports.set(reports.get() + 1);
    };
    {
        let _t = Timer::start("deploy", report);
    }
    let outcome = quietly(|| {
        let _t = Timer::start("deploy", report);
        panic!("deploy failed");
    });
    assert!(outcome.is_err());
    assert_eq!(reports.get(), 2);
}

/// Where `Drop` does not run: `mem::forget` leaks the guard, so the
/// directory stays. (An abort runs nothing either: the crash test kills a
/// process outright.)
#[test]
fn forget_skips_drop() {
    let parent = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("resources-raii-forget");
    let _ = std::fs::remove_dir_all(&parent);
    let dir = TempDir::new(&parent, "leaked").unwrap();
    let path = dir.path().to_owned();
    std::mem::forget(dir);
    assert!(path.exists());
    std::fs::remove_dir_all(&parent).unwrap();
}
