//! The resources lesson's variants compute the same thing: every way to
//! insert leaves the table autocommit leaves, on the lesson's records and
//! on random batches, with commits and prepares counted exactly by
//! SQLite's hooks; every way to get a connection answers the same
//! requests, with the connections it opens counted.

use proptest::prelude::*;
use resources::api::{self, Record};
use resources::connections::{self, ConnectionPool, PER_THREAD, Serve};
use resources::insert::{self, BATCH, Journal};
use workbench::catalog::resources::{Db, INSERTS, SERVERS, STORED, stored_db};
use workbench::check::resources::{record, settings};

/// Each insert variant on a fresh database: the table it leaves, and the
/// commits and prepares of one call.
fn inserted(records: &[Record]) -> Vec<(&'static str, Vec<Record>, (u64, u64))> {
    INSERTS
        .iter()
        .map(|row| {
            let (journal, f) = row.f;
            let mut db = Db::new(journal).unwrap();
            let before = db.counts.get();
            assert_eq!(
                f(&mut db.conn, records).unwrap(),
                records.len(),
                "{}",
                row.name
            );
            let after = db.counts.get();
            let table = api::read_all(&db.conn).unwrap();
            (row.name, table, (after.0 - before.0, after.1 - before.1))
        })
        .collect()
}

/// What one call of each variant commits and prepares on a fresh
/// connection, exactly: the point of the question.
fn expected_counts(name: &str, n: u64) -> (u64, u64) {
    let batches = n.div_ceil(BATCH as u64);
    // multi_row prepares the full batch's statement once and the
    // remainder's once.
    let multi = u64::from(n >= BATCH as u64) + u64::from(!n.is_multiple_of(BATCH as u64));
    match name {
        "autocommit" | "wal_full" | "wal_normal" => (n, n),
        "transaction" => (u64::from(n > 0), n),
        "prepare_cached" => (u64::from(n > 0), 1),
        "multi_row" => (u64::from(batches > 0), multi),
        other => panic!("no expected counts for {other}"),
    }
}

#[test]
fn every_insert_leaves_the_lessons_records() {
    for n in [1, 10, 250] {
        let records = api::records(n);
        for (name, table, counts) in inserted(&records) {
            assert_eq!(table, records, "{name} at n = {n}");
            assert_eq!(counts, expected_counts(name, n as u64), "{name} at n = {n}");
        }
    }
}

#[test]
fn the_floor_reads_back_the_same_records() {
    let dir = workbench::catalog::resources::scratch().unwrap();
    let path = dir.path().join("floor.tsv");
    let mut file = std::fs::File::options()
        .create(true)
        .append(true)
        .open(&path)
        .unwrap();
    let records = api::records(1_000);
    assert_eq!(insert::append_fsync(&mut file, &records).unwrap(), 1_000);
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(insert::read_appended(&text), records);
}

/// A second call of `prepare_cached` on the same connection prepares
/// nothing: the statement is in the connection's cache.
#[test]
fn the_cached_statement_is_prepared_once_per_connection() {
    let mut db = Db::new(Journal::Rollback).unwrap();
    let records = api::records(100);
    insert::prepare_cached(&mut db.conn, &records).unwrap();
    insert::prepare_cached(&mut db.conn, &records).unwrap();
    assert_eq!(db.counts.get(), (2, 1));
    resources_solution::insert_all(&mut db.conn, &records).unwrap();
    assert_eq!(db.counts.get(), (3, 1), "the solution uses the same cache");
}

#[test]
fn the_journal_modes_are_what_they_say() {
    for (journal, mode, sync) in [
        (Journal::Rollback, "delete", 2),
        (Journal::WalFull, "wal", 2),
        (Journal::WalNormal, "wal", 1),
    ] {
        let db = Db::new(journal).unwrap();
        let (m, s) = settings(&db.conn).unwrap();
        assert_eq!((m.as_str(), s), (mode, sync), "{journal:?}");
    }
}

proptest! {
    // Each case makes seven databases and syncs each commit.
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn every_insert_agrees_on_random_batches(batch in prop::collection::vec(record(), 0..30)) {
        for (name, table, counts) in inserted(&batch) {
            prop_assert_eq!(&table, &batch, "{}", name);
            prop_assert_eq!(counts, expected_counts(name, batch.len() as u64), "{}", name);
        }
    }

    /// A bad record anywhere in the batch: every transactional variant and
    /// the solution write nothing; autocommit keeps the rows before it.
    #[test]
    fn a_bad_record_rolls_back_the_transactions(n in 1usize..40, at in 0usize..40, bad in 0usize..3) {
        let at = at % n;
        let mut batch = api::records(n);
        match bad {
            0 => batch[at].replicas = 0,
            1 => batch[at].replicas = 1_001,
            _ => batch[at].status = "deleted".into(),
        }
        for row in INSERTS {
            let (journal, f) = row.f;
            let mut db = Db::new(journal).unwrap();
            prop_assert!(f(&mut db.conn, &batch).is_err(), "{}", row.name);
            let kept = api::count(&db.conn).unwrap() as usize;
            let want = if row.name.starts_with("autocommit") || row.name.starts_with("wal_") { at } else { 0 };
            prop_assert_eq!(kept, want, "{}", row.name);
            prop_assert!(db.conn.is_autocommit(), "{} left a transaction open", row.name);
        }
        let mut db = Db::new(Journal::Rollback).unwrap();
        prop_assert!(resources_solution::insert_all(&mut db.conn, &batch).is_err());
        prop_assert_eq!(api::count(&db.conn).unwrap(), 0);
    }
}

/// Every server answers the same requests with the same total, and opens
/// exactly the connections its design says.
#[test]
fn every_server_answers_alike_and_opens_what_it_should() {
    let (_dir, path) = stored_db().unwrap();
    let records = api::records(STORED);
    for threads in [1usize, 2, 8] {
        let names: Vec<String> = (0..threads * PER_THREAD)
            .map(|i| records[connections::request(i, STORED)].name.clone())
            .collect();
        let want: i64 = names
            .iter()
            .map(|n| records.iter().find(|r| &r.name == n).unwrap().replicas)
            .sum();
        for row in SERVERS {
            let server = (row.f)(&path).unwrap();
            let built = server.opens();
            let got = connections::serve_threads(server.as_ref(), threads, &names).unwrap();
            let opened = server.opens() - built;
            assert_eq!(got, want, "{} at {threads} threads", row.name);
            let requests = names.len() as u64;
            match row.name {
                "connect_per_request" => assert_eq!((built, opened), (0, requests)),
                "per_thread" => assert_eq!((built, opened), (0, threads as u64)),
                // Five opened up front; a sixth and more only while more
                // than five workers hold one at once, which the scheduler
                // decides: at most one per worker.
                "article_pool" => {
                    assert_eq!(built, 5);
                    assert!(opened <= (threads as u64).saturating_sub(5), "{opened}");
                }
                // r2d2 opens its idle five on its own threads, and more
                // while all are out: never past its 20.
                "r2d2_pool" => assert!(built + opened <= 20, "{built} + {opened}"),
                other => panic!("no expected opens for {other}"),
            }
        }
    }
}

/// The article's pool hands a connection to one holder at a time, takes
/// it back on drop, and fails, as the article's does, when all are out.
#[test]
fn the_article_pool_lends_each_connection_once() {
    let (_dir, path) = stored_db().unwrap();
    let pool = ConnectionPool::new(&path, 1, 2).unwrap();
    let a = pool.get_connection().unwrap();
    let b = pool.get_connection().unwrap();
    assert!(!std::ptr::eq(&*a, &*b));
    assert_eq!(pool.sizes(), (2, 0));
    let err = pool.get_connection().err().expect("exhausted").to_string();
    assert_eq!(
        err,
        "connection pool exhausted: all 2 connections are in use"
    );
    drop(a);
    assert_eq!(pool.sizes(), (1, 1));
    // A panic while holding one still gives it back.
    let caught = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        let _held = pool.get_connection().unwrap();
        panic!("a handler failed");
    }));
    assert!(caught.is_err());
    assert_eq!(pool.sizes(), (1, 1));
    drop(b);
    assert_eq!(pool.sizes(), (0, 2));
    assert_eq!(pool.serve(&["api-0".to_owned()]).unwrap(), 1);
}
