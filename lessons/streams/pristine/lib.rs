//! Exercise: summarize a log of any size in memory that does not grow
//! with it.
//!
//! Write [`summarize`] so that it keeps the lesson's contract (in
//! `streams_api`) and meets its budget, then judge it:
//!
//! ```text
//! cargo run --release -- check streams
//! ```
//!
//! This crate is yours: `lessons/streams/exercise/`. It may use the
//! standard library, `streams_api` ([`Tally`] does the per-line work) and
//! `memchr`, and nothing else: no variant of the lesson, no other crate
//! (the judge rejects a changed dependency list, `unsafe`, `include!` and
//! `#[path]`).
//!
//! The budget, checked in this order:
//!
//! 1. it returns what `read_all` returns, on the lesson's log and on
//!    every case of the contract (CRLF, no final newline, lines that are
//!    not UTF-8, a line longer than your buffer, an empty file), and an
//!    error, not a panic, for a missing file or a directory;
//! 2. it makes at most 64 allocations and holds at most 256.0 KiB of heap
//!    at once in one call, whatever the file's size (checked at 1, 4 and
//!    16 MiB): no `String` per line, and not the whole file;
//! 3. it is at least 2x faster than `read_all` at 16 MiB.

use std::io;
use std::path::Path;

use streams_api::{Summary, Tally};

// ANCHOR: exercise
/// The summary of the log at `path`: what `read_all` returns, without
/// holding the file in memory.
#[allow(unused_variables)] // `path` is yours to use: remove this line when you start.
pub fn summarize(path: &Path) -> io::Result<Summary> {
    // TODO: open the file, and make one buffer of a fixed size (64 KiB).
    // TODO: read into the buffer; hand every whole line in it (ending at
    // `\n`, found with `memchr::memchr_iter`) to `Tally::line`.
    // TODO: move the unfinished last line to the buffer's front before the
    // next read; if one line fills the whole buffer, grow it.
    // TODO: at the end of the file, the bytes left are a line too.
    let _ = Tally::new;
    todo!("summarize")
}
// ANCHOR_END: exercise
