//! The workbench: everything that runs, times, counts, judges and prints
//! the lessons under `lessons/`. The lesson crates hold only the code a
//! learner reads; this crate holds the harness around them.
//!
//! The modules sit in layers, lowest first; ARCHITECTURE.md draws them and
//! says who may import whom (`tests/layers.rs` holds the code to it):
//!
//! 0. [`fmt`], [`alloc`], [`child`], [`machine`]: how numbers read, the
//!    counting allocator, time-limited child processes, the machine line.
//! 1. [`catalog`]: the table of lessons, questions, variants and bounds
//!    every part reads (data only).
//! 2. [`measure`], [`callgrind`], `profile`: interleaved timing, medians,
//!    ratios, log-log exponents; instructions per call under Callgrind;
//!    flame graphs (feature `profile`).
//! 3. [`check`] (one judge per lesson), [`report`], [`plot`], [`output`],
//!    [`python`], [`claims`], [`lint`], [`doctor`], [`gate`]: judging,
//!    results pages, tables, the CPython side, the article's claims, lesson
//!    completeness, what the machine can measure, the instruction gates.
//! 4. [`commands`]: what each CLI command does; `main.rs` parses and
//!    dispatches to it.
#![deny(missing_docs)]

pub mod alloc;
pub mod callgrind;
pub mod catalog;
pub mod check;
pub mod child;
pub mod claims;
pub mod commands;
pub mod doctor;
pub mod fmt;
pub mod gate;
pub mod learner;
pub mod lint;
pub mod machine;
pub mod measure;
pub mod output;
pub mod plot;
#[cfg(all(unix, feature = "profile"))]
pub mod profile;
pub mod progress;
pub mod python;
pub mod report;
