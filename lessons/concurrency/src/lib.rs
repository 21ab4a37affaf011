//! # Threads vs async vs processes
//!
//! The question (article sections 7.4 and 7.5): the article's rule is
//! "CPU-bound → processes, I/O-bound → asyncio, mixed → both". That rule
//! comes from Python's GIL, which lets one thread run Python code at a
//! time. Rust has no GIL. What holds here, and why?
//!
//! Four questions, each with its variants:
//!
//! - [`cpu`]: a batch of CPU-bound jobs (the article's sum of squares and
//!   log analysis) run [`sequential`]ly, on [`std_threads`], with
//!   [`rayon`], in worker [`processes`], as [`tokio_tasks`] (which block
//!   the runtime: a timer beside them is late) and with
//!   [`tokio_spawn_blocking`].
//! - [`costs`], `spawn`: the fixed cost of starting a thread, a rayon job,
//!   a tokio task and a process, before any work.
//! - [`io`]: `n` requests to a real server on 127.0.0.1 ([`server`]) that
//!   answers each after a fixed latency: [`sequential_blocking`],
//!   [`thread_per_request`], a [`thread_pool`] of k workers,
//!   [`tokio_join_all`] and [`tokio_semaphore`] (at most k in flight).
//! - [`costs`], `idle`: the memory a waiting thread holds against a
//!   waiting task ([`idle_threads`], [`idle_tasks`]).
//!
//! Left out on purpose: shared-state synchronisation (locks, atomics and
//! channels have a lesson of their own), async file I/O (tokio hands files
//! to a thread pool anyway) and HTTP (a one-line protocol over TCP shows
//! the same waiting with less to read).
#![deny(missing_docs)]

pub mod costs;
pub mod cpu;
pub mod io;
pub mod server;
pub mod worker;

// The workbench builds runtimes and pools for the variants with the very
// versions the lesson uses.
pub use ::rayon;
pub use tokio;

pub use costs::{
    idle_tasks, idle_threads, process_spawn, rayon_install, thread_spawn, tokio_spawn,
};
pub use cpu::{Job, Outcome, sequential, std_threads, tokio_spawn_blocking, tokio_tasks};
pub use io::{
    Reply, sequential_blocking, thread_per_request, thread_pool, tokio_join_all, tokio_semaphore,
};
pub use server::{Server, ServerConfig};
pub use worker::processes;
