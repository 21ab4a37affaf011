//! Exercise: fetch every deployment's status with a limit, a timeout and
//! a retry.
//!
//! Write [`fetch_all`] so that it keeps its contract and meets its budget,
//! then judge it:
//!
//! ```text
//! cargo run --release -- check concurrency
//! ```
//!
//! The judge starts a test server (the lesson's `server`) that answers after
//! 20 ms and fails the first attempt at one request in twenty: half of those
//! get an `ERR` reply, the other half get no reply at all. The budget,
//! checked in this order:
//!
//! 1. every id in `0..n` comes back exactly once, in id order, with the
//!    server's reply;
//! 2. the server never holds more than `limit` of your requests at once;
//! 3. 200 requests with `limit` = 10 take at most 1.5x the ideal
//!    ⌈200 / 10⌉ × 20 ms = 400 ms.
//!
//! [`concurrency_api::fetch`] does one request with a timeout; the
//! lesson's `tokio_semaphore` (in the book) is a good start.
//!
//! This crate is yours: `lessons/concurrency/exercise/`. It may use the
//! standard library, `tokio` (tasks, the semaphore, timers) and
//! `concurrency_api` (the [`Reply`] type and `fetch`), and nothing else: no
//! variant of the lesson, no other crate (the judge rejects a changed
//! dependency list, `unsafe`, `include!` and `#[path]`).

use std::io;
use std::net::SocketAddr;
use std::time::Duration;

use concurrency_api::Reply;

// ANCHOR: exercise
/// Fetch requests `0..n` from `addr`, at most `limit` in flight, each
/// attempt bounded by `timeout`, each failed request retried once.
#[allow(unused_variables)] // the parameters are yours to use: remove this line when you start.
pub async fn fetch_all(
    addr: SocketAddr,
    n: u64,
    limit: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    // TODO: spawn one task per id; each waits for a permit from a
    // `tokio::sync::Semaphore` of `limit` before it sends anything.
    // TODO: inside the permit, call `concurrency_api::fetch(addr, id, timeout)`;
    // if it fails (an error reply or a timeout), call it once more.
    // TODO: await the tasks in id order and collect their replies.
    todo!("fetch_all")
}
// ANCHOR_END: exercise
