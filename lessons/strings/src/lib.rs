//! # Building a log: concatenation vs one allocation
//!
//! The question (article section 7.7, "String Operations"): given 10,000
//! entries `Log entry {i}`, build one string holding them all, one per line.
//!
//! Every variant keeps one contract: **the entries in order, separated by
//! `\n`**, which is what the article's `"\n".join(entries)` returns. (The
//! article's loop ends *every* entry with a newline, so its two functions
//! differ by the last byte; the baseline here keeps the loop and drops that
//! byte.) The entries are built before the clock starts: the article's
//! functions take a list of entries, and so do these.
//!
//! The variants, slowest first:
//!
//! - [`format_concat`]: a new string per entry, O(n²) bytes copied: what the
//!   article says its loop does.
//! - [`plus_equals`] (the baseline): the article's `log += f"{entry}\n"`,
//!   line for line: a new string per *entry*, appended to one log that
//!   doubles when full, as CPython's `+=` does when nothing else refers to
//!   the log.
//! - [`write_fmt`]: one `String`, each line written by `writeln!`: what the
//!   formatting machinery costs.
//! - [`push_str`]: one `String` that doubles when full, O(n) amortized.
//! - [`with_capacity`]: count the bytes first, allocate once.
//! - [`join`]: the standard library's `[String]::join`, also one allocation.
//! - [`memcpy_limit`]: copy the finished bytes once: the floor.
//!
//! A second question, in [`csv`], is the exercise's: render a table of
//! deployments as CSV.
//!
//! Left out on purpose: writing to a file or socket (a `BufWriter` is the
//! same idea with a fixed buffer), and ropes or `Cow` tricks that avoid
//! building the string at all.
#![deny(missing_docs)]

use std::fmt::Write;

pub mod csv;

// ANCHOR: setup
/// The article's input scaled to `n`: `Log entry 0` … `Log entry {n-1}`.
/// `entries(10_000)` is exactly the article's list; joined, it is 148,889
/// bytes.
///
/// ```
/// let entries = strings::entries(10_000);
/// assert_eq!(entries[42], "Log entry 42");
/// assert_eq!(strings::join(&entries).len(), 148_889);
/// ```
pub fn entries(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("Log entry {i}")).collect()
}
// ANCHOR_END: setup

// ANCHOR: plus_equals
/// The article's loop, translated line for line: format each entry and its
/// newline into a new string, and append that to the log.
///
/// `+=` on a `String` appends in place, and the log doubles its capacity
/// when full, so every byte of the log is copied O(1) times on average:
/// O(n). What each step still pays is the temporary: one `format!`, so one
/// or two allocations and a copy of the entry. Dropping the last newline
/// at the end (free: no allocation) brings it to the contract.
pub fn plus_equals(entries: &[String]) -> String {
    let mut log = String::new();
    for entry in entries {
        log += &format!("{entry}\n");
    }
    log.pop();
    log
}
// ANCHOR_END: plus_equals

// ANCHOR: format_concat
/// Format the log so far and the next entry into a new string, every time.
///
/// What the article's comment says its loop does ("creates new string each
/// time"): each step allocates a fresh string and copies everything built
/// so far into it, so n entries copy about n²/2 entries' worth of bytes:
/// O(n²). CPython's `+=` does this when the log is shared; Rust's `+=`
/// never does (see [`plus_equals`]).
pub fn format_concat(entries: &[String]) -> String {
    let mut log = String::new();
    for entry in entries {
        log = format!("{log}{entry}\n");
    }
    log.pop();
    log
}
// ANCHOR_END: format_concat

// ANCHOR: write_fmt
/// One `String` for the whole log, each line written with `writeln!`.
///
/// O(n) amortized like [`push_str`]: the bytes are appended, not copied
/// again. What it adds is the formatting machinery: `writeln!` builds a
/// `fmt::Arguments` and calls through a `dyn fmt::Write` for each piece,
/// where `push_str` is one bounds check and a `memcpy`.
pub fn write_fmt(entries: &[String]) -> String {
    let mut log = String::new();
    for entry in entries {
        // `fmt::Write for String` never returns an error: it only appends.
        writeln!(log, "{entry}").expect("writing to a String cannot fail");
    }
    log.pop();
    log
}
// ANCHOR_END: write_fmt

// ANCHOR: push_str
/// Append every entry to one `String` that starts empty.
///
/// When the string is full, it reallocates to twice its capacity, so every
/// byte is copied O(1) times on average and the growth costs about
/// log2(total bytes) allocations: O(n) amortized. This is what CPython's
/// `+=` does too, when nothing else refers to the string.
pub fn push_str(entries: &[String]) -> String {
    let mut log = String::new();
    push_lines(&mut log, entries);
    log
}

/// Append each entry and a newline, then drop the last newline.
fn push_lines(log: &mut String, entries: &[String]) {
    for entry in entries {
        log.push_str(entry);
        log.push('\n');
    }
    log.pop();
}
// ANCHOR_END: push_str

// ANCHOR: with_capacity
/// [`push_str`] into a `String` sized for the whole log before the first
/// byte is written.
///
/// One pass sums the lengths (reading n lengths, not n strings), then one
/// allocation, and the appends never grow it: no reallocation, no copy of
/// what is already written. The capacity is one byte more than the result:
/// the last newline is written, then dropped.
pub fn with_capacity(entries: &[String]) -> String {
    let bytes: usize = entries.iter().map(|entry| entry.len() + 1).sum();
    let mut log = String::with_capacity(bytes);
    push_lines(&mut log, entries);
    log
}
// ANCHOR_END: with_capacity

// ANCHOR: join
/// The standard library's `join`: what `"\n".join(entries)` is in Python.
///
/// It does what [`with_capacity`] does (sum the lengths, allocate once,
/// copy) and sizes the result exactly, since a separator goes only between
/// entries.
pub fn join(entries: &[String]) -> String {
    entries.join("\n")
}
// ANCHOR_END: join

// ANCHOR: memcpy_limit
/// Copy an already-built log: one allocation of the final size and one
/// `memcpy` of its bytes.
///
/// Not a way to build the log (it needs the answer as its input) but the
/// floor every builder is measured against: each of them must at least
/// allocate the result and write every byte of it once.
pub fn memcpy_limit(log: &str) -> String {
    log.to_owned()
}
// ANCHOR_END: memcpy_limit
