//! Bad input to the database: each gives a clear error, and nothing is
//! half-written.

use std::path::PathBuf;
use std::time::Duration;

use resources::api;

fn dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("resources-bad")
        .join(name);
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn an_unwritable_path_is_an_error_not_a_panic() {
    // A directory where the file should be: SQLite cannot open it.
    let d = dir("unwritable");
    let err = api::open(&d).unwrap_err().to_string();
    assert!(err.contains("unable to open database file"), "{err}");
    // A path under a file.
    let file = d.join("plain");
    std::fs::write(&file, "x").unwrap();
    let err = api::open(&file.join("deployments.db"))
        .unwrap_err()
        .to_string();
    assert!(err.contains("unable to open database file"), "{err}");
}

#[test]
fn a_corrupt_file_is_named_and_left_alone() {
    let d = dir("corrupt");
    let path = d.join("deployments.db");
    let junk = b"this is not a database, it is a config file someone renamed\n".repeat(100);
    std::fs::write(&path, &junk).unwrap();
    let err = api::open(&path).unwrap_err().to_string();
    assert!(err.contains("file is not a database"), "{err}");
    assert_eq!(
        std::fs::read(&path).unwrap(),
        junk,
        "the file was not touched"
    );
}

#[test]
fn a_second_writer_waits_then_gets_a_clear_error_and_writes_nothing() {
    let d = dir("locked");
    let path = d.join("deployments.db");
    let mut first = api::open(&path).unwrap();
    let tx = first.transaction().unwrap();
    tx.execute(
        api::INSERT,
        rusqlite::params!["held", "1.0.0", 1, "running"],
    )
    .unwrap();
    let mut second = api::open(&path).unwrap();
    second.busy_timeout(Duration::from_millis(50)).unwrap();
    let err = resources_solution_like(&mut second, &api::records(10)).unwrap_err();
    assert!(err.to_string().contains("database is locked"), "{err}");
    assert!(second.is_autocommit());
    tx.commit().unwrap();
    // The second writer's batch left nothing; the first's row is there.
    assert_eq!(api::count(&second).unwrap(), 1);
    // And once the lock is gone it goes in whole.
    resources_solution_like(&mut second, &api::records(10)).unwrap();
    assert_eq!(api::count(&second).unwrap(), 11);
}

/// The lesson's optimized insert: what a handler would call.
fn resources_solution_like(
    conn: &mut rusqlite::Connection,
    records: &[api::Record],
) -> rusqlite::Result<usize> {
    resources::prepare_cached(conn, records)
}

#[test]
fn a_constraint_violation_rolls_the_batch_back() {
    let d = dir("constraint");
    let mut conn = api::open(&d.join("deployments.db")).unwrap();
    let mut batch = api::records(100);
    batch[99].status = "deleted".into();
    let err = resources::prepare_cached(&mut conn, &batch).unwrap_err();
    assert!(err.to_string().contains("CHECK constraint failed"), "{err}");
    assert_eq!(api::count(&conn).unwrap(), 0);
}

/// A full disk, simulated with `max_page_count`: the batch that does not
/// fit fails with SQLite's "full" error and leaves the table as it was.
#[test]
fn a_full_disk_fails_the_batch_whole() {
    let d = dir("full");
    let mut conn = api::open(&d.join("deployments.db")).unwrap();
    resources::prepare_cached(&mut conn, &api::records(100)).unwrap();
    let pages: i64 = conn
        .pragma_query_value(None, "page_count", |r| r.get(0))
        .unwrap();
    conn.pragma_update(None, "max_page_count", pages + 2)
        .unwrap();
    let err = resources::prepare_cached(&mut conn, &api::records(5_000)).unwrap_err();
    assert!(
        err.to_string().contains("database or disk is full"),
        "{err}"
    );
    assert!(conn.is_autocommit());
    assert_eq!(api::read_all(&conn).unwrap(), api::records(100));
}
