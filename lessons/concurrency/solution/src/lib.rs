//! The reference solution to the exercise in `lessons/concurrency/exercise/`. Try the exercise first:
//! `cargo run --release -- check concurrency` tells you what is missing.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::Semaphore;

use concurrency_api::{Reply, fetch};

// ANCHOR: solution
/// Fetch requests `0..n` from `addr`, at most `limit` in flight, each
/// attempt bounded by `timeout`, each failed request retried once.
pub async fn fetch_all(
    addr: SocketAddr,
    n: u64,
    limit: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    // A permit per request in flight; `max(1)` so a limit of 0 cannot
    // deadlock every task.
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let tasks: Vec<_> = (0..n)
        .map(|id| {
            let permits = permits.clone();
            tokio::spawn(async move {
                // The semaphore is never closed, so `acquire` cannot fail.
                let _permit = permits.acquire_owned().await.expect("semaphore open");
                // The retry happens under the same permit: releasing it
                // first would let another request in, and the retry would
                // then wait behind the whole queue, or exceed the limit.
                match fetch(addr, id, timeout).await {
                    Ok(reply) => Ok(reply),
                    // `fetch` bounds each attempt, so a lost request costs
                    // one `timeout`, not forever.
                    Err(_) => fetch(addr, id, timeout).await,
                }
            })
        })
        .collect();
    // Awaiting in spawn order gives id order, and each id once.
    let mut replies = Vec::with_capacity(tasks.len());
    for task in tasks {
        replies.push(task.await.map_err(io::Error::other)??);
    }
    Ok(replies)
}
// ANCHOR_END: solution
