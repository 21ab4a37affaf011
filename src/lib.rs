//! The workbench: everything that runs, times, counts, judges and prints
//! the lessons under `lessons/`. The lesson crates hold only the code a
//! learner reads; this crate holds the harness around them.
//!
//! - [`catalog`]: the table of lessons, questions and variants every part reads.
//! - [`measure`]: interleaved timing, medians, ratios, log-log exponents.
//! - [`alloc`]: the counting allocator behind the allocation columns.
//! - [`check`]: the staged exercise judge.
//! - [`report`], [`plot`], [`python`], [`claims`]: results pages for the
//!   book, their plots, the CPython side and the article's claims.
//! - [`lint`], [`machine`], [`output`], [`child`]: lesson completeness,
//!   the machine line, tables and JSON, time-limited child processes.
#![deny(missing_docs)]

pub mod alloc;
pub mod catalog;
pub mod check;
pub mod child;
pub mod claims;
pub mod lint;
pub mod machine;
pub mod measure;
pub mod output;
pub mod plot;
pub mod python;
pub mod report;
