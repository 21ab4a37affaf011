//! Allocation counts of the log builders and CSV renderers, exact, under
//! dhat.
//!
//! One test in this file: dhat allows one profiler per process. It runs
//! without the test harness (`harness = false` in Cargo.toml): dhat counts
//! every thread of the process, and the harness's own thread and its
//! output capture allocate at moments the scheduler decides, which under
//! load fall inside a counted call.

use std::hint::black_box;

use strings::{csv, entries};
use workbench::catalog::Row;
use workbench::catalog::strings::{BUILD, CSV};

mod heap;
use heap::blocks;

/// Both tables' functions: build a `String` from a borrowed input.
type Builder<I> = fn(&I) -> String;

/// Every row of a catalog table makes exactly its `expected` count of
/// allocations on `input`, and every row has a count.
fn assert_counts<I: ?Sized>(rows: &[Row<Builder<I>>], input: &I, expected: &[(&str, u64)]) {
    assert_eq!(
        expected.len(),
        rows.len(),
        "every variant has a measured count"
    );
    for &(name, want) in expected {
        let row = rows.iter().find(|r| r.name == name).expect("row exists");
        let got = blocks(|| drop(black_box((row.f)(input))));
        assert_eq!(got, want, "{name}");
    }
}

/// `with_capacity` and `join` allocate once whatever n is; `push_str`
/// reallocates as it doubles, about log2(bytes) times; `format_concat`
/// and `plus_equals` allocate twice per entry, the latter plus its log's
/// doublings. The counts below were measured with this
/// test and are exact: they change only if a variant or the standard
/// library's growth policy does.
fn presized_builders_allocate_once_and_the_others_grow() {
    let _profiler = dhat::Profiler::builder().testing().build();

    for n in [1, 1_000, 10_000, 100_000] {
        let entries = entries(n);
        for f in [strings::with_capacity, strings::join] {
            assert_eq!(blocks(|| drop(black_box(f(&entries)))), 1, "at n = {n}");
        }
        let table = csv::deployments(n);
        let count = blocks(|| drop(black_box(strings_solution::render_csv(&table))));
        assert_eq!(count, 1, "the exercise's solution at n = {n}");
    }

    // At the article's size, one row per builder, measured.
    let entries = entries(10_000);
    let expected = [
        // Each entry's `format!("{entry}\n")` starts from capacity 0 (see
        // format_concat) and allocates twice; the log itself grows as
        // push_str's does: 2 × 10,000 + 15.
        ("plus_equals", 20_015),
        // Each `format!` starts from an estimated capacity of 0 (the format
        // string opens with an argument and its literal text is 1 byte), so
        // writing `log` allocates exactly its length and the entry then
        // reallocates: two per entry.
        ("format_concat", 20_000),
        // Grows like push_str: `writeln!` appends to the same String.
        ("write_fmt", 15),
        // The first push allocates 11 bytes ("Log entry 0"), then capacity
        // doubles until it holds the 148,890 bytes written before the last
        // newline is dropped: 1 + ceil(log2(148,890 / 11)) = 1 + 14.
        ("push_str", 15),
        ("with_capacity", 1),
        ("join", 1),
    ];
    assert_counts(BUILD, &entries, &expected);
    let log = strings::join(&entries);
    let copy = blocks(|| drop(black_box(strings::memcpy_limit(&log))));
    assert_eq!(copy, 1, "memcpy_limit: one allocation of the final size");

    // push_str's count follows log2 of the bytes: ten times the entries,
    // about three more doublings (log2(10) = 3.3).
    let growth: Vec<u64> = [1_000, 10_000, 100_000, 1_000_000]
        .map(|n| {
            let entries = strings::entries(n);
            blocks(|| drop(black_box(strings::push_str(&entries))))
        })
        .into();
    assert_eq!(growth, [12, 15, 19, 22]);

    // The CSV question at the exercise's size.
    let table = csv::deployments(10_000);
    let expected = [
        // Two per row as for format_concat, plus the header's own
        // allocation and a third growth in the first row: doubling the
        // 20-byte header leaves too little room for a 57-byte row.
        ("csv_format_concat", 20_002),
        // The header's allocation, then doubling to about 600 KB.
        ("csv_push_str", 16),
    ];
    assert_counts(CSV, &table, &expected);
}

fn main() {
    println!("running presized_builders_allocate_once_and_the_others_grow");
    presized_builders_allocate_once_and_the_others_grow();
    println!(
        "test presized_builders_allocate_once_and_the_others_grow ... ok\nstrings_heap: 1 passed, 0 failed"
    );
}
