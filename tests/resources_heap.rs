//! Allocation counts of the resources lesson on Rust's heap, exact, under
//! dhat. SQLite is C and allocates through its own `malloc`, which dhat
//! does not see: these are the blocks the Rust side of each call adds,
//! and they do not grow with the rows.
//!
//! One test in this file: dhat allows one profiler per process. It runs
//! without the test harness (`harness = false` in Cargo.toml), so no
//! harness thread allocates inside a counted call.

use std::hint::black_box;

use resources::api;
use resources::insert::{BATCH, Journal};
use workbench::catalog::resources::{Db, INSERTS};

mod heap;
use heap::blocks;

/// Blocks of rusqlite's statement cache: each `prepare_cached` hands the
/// statement out with its key (an `Arc<str>`, one block); the first time,
/// preparing it and filling the cache's slot take three more.
const CACHE_GET: u64 = 1;
const CACHE_FIRST: u64 = 3;

fn main() {
    let _profiler = dhat::Profiler::builder().testing().build();
    for n in [10u64, 100, 1_000] {
        let records = api::records(n as usize);
        for row in INSERTS {
            let (journal, f) = row.f;
            let mut db = Db::new(journal).unwrap();
            let first = blocks(|| drop(black_box(f(&mut db.conn, &records))));
            let again = blocks(|| drop(black_box(f(&mut db.conn, &records))));
            let (want_first, want_again) = match row.name {
                // `execute` prepares into a statement on the stack (the SQL
                // is copied into a C string only when it does not end in a
                // NUL, and rusqlite's small-string buffer holds it): nothing.
                "autocommit" | "wal_full" | "wal_normal" | "transaction" => (0, 0),
                "prepare_cached" => (CACHE_FIRST + CACHE_GET, CACHE_GET),
                // Per call: the full batch's SQL, built once (one block),
                // and the remainder's if there is one; a cache get per
                // chunk; a first fill per distinct statement.
                "multi_row" => {
                    let chunks = n.div_ceil(BATCH as u64);
                    let statements =
                        u64::from(n >= BATCH as u64) + u64::from(!n.is_multiple_of(BATCH as u64));
                    let built = 1 + u64::from(!n.is_multiple_of(BATCH as u64));
                    let again = built + chunks * CACHE_GET;
                    (again + statements * CACHE_FIRST, again)
                }
                other => panic!("no expected count for {other}"),
            };
            assert_eq!(
                (first, again),
                (want_first, want_again),
                "{} at n = {n}",
                row.name
            );
        }
        let mut db = Db::new(Journal::Rollback).unwrap();
        let first = blocks(|| {
            drop(black_box(resources_solution::insert_all(
                &mut db.conn,
                &records,
            )))
        });
        let again = blocks(|| {
            drop(black_box(resources_solution::insert_all(
                &mut db.conn,
                &records,
            )))
        });
        assert_eq!(
            (first, again),
            (CACHE_FIRST + CACHE_GET, CACHE_GET),
            "solution at n = {n}"
        );
    }
}
