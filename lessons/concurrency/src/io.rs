//! The I/O-bound question: fetch `n` requests from the test server
//! ([`crate::server`]), each of which takes a fixed latency to answer.
//!
//! Every variant returns the replies in id order, each exactly once.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::sync::Semaphore;

pub use concurrency_api::{Reply, fetch, fetch_blocking};

/// The longest any variant waits for one request before giving up.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: sequential_blocking
/// One request after another, like the article's `download_sequential`.
///
/// Time: n × latency. The thread spends almost all of it waiting.
pub fn sequential_blocking(addr: SocketAddr, n: u64) -> io::Result<Vec<Reply>> {
    (0..n)
        .map(|id| fetch_blocking(addr, id, REQUEST_TIMEOUT))
        .collect()
}
// ANCHOR_END: sequential_blocking

// ANCHOR: thread_per_request
/// A thread for every request, all waiting at once.
///
/// Time: about one latency plus n thread starts. Each thread reserves a
/// 2 MiB stack (address space, mostly never touched) and each open request
/// holds a descriptor on both ends, so n cannot grow without bound.
pub fn thread_per_request(addr: SocketAddr, n: u64) -> io::Result<Vec<Reply>> {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|id| s.spawn(move || fetch_blocking(addr, id, REQUEST_TIMEOUT)))
            .collect();
        handles
            .into_iter()
            // `fetch_blocking` does not panic; if it did, pass it on.
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    })
}
// ANCHOR_END: thread_per_request

// ANCHOR: thread_pool
/// `workers` threads take the next id until none is left: the article's
/// `ThreadPoolExecutor(max_workers=…)`.
///
/// Time: ⌈n / workers⌉ × latency; never more than `workers` requests in
/// flight, and only `workers` stacks whatever n is.
pub fn thread_pool(addr: SocketAddr, n: u64, workers: usize) -> io::Result<Vec<Reply>> {
    let next = AtomicU64::new(0);
    let mut replies = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers.max(1))
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    // Bounded: each turn takes a new id below n.
                    loop {
                        let id = next.fetch_add(1, Ordering::Relaxed);
                        if id >= n {
                            return Ok(mine);
                        }
                        mine.push(fetch_blocking(addr, id, REQUEST_TIMEOUT)?);
                    }
                })
            })
            .collect();
        let mut all = Vec::with_capacity(n as usize);
        for h in handles {
            let mine: io::Result<Vec<Reply>> =
                h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            all.extend(mine?);
        }
        Ok::<_, io::Error>(all)
    })?;
    replies.sort_unstable_by_key(|r| r.id);
    Ok(replies)
}
// ANCHOR_END: thread_pool

// ANCHOR: tokio_join_all
/// A task for every request, all awaited: the article's `asyncio.gather`.
///
/// Time: about one latency; a waiting task is a few hundred bytes on the
/// heap, not a thread. Still one descriptor per open request.
pub async fn tokio_join_all(addr: SocketAddr, n: u64) -> io::Result<Vec<Reply>> {
    let tasks: Vec<_> = (0..n)
        .map(|id| tokio::spawn(fetch(addr, id, REQUEST_TIMEOUT)))
        .collect();
    let mut replies = Vec::with_capacity(tasks.len());
    for task in tasks {
        replies.push(task.await.map_err(io::Error::other)??);
    }
    Ok(replies)
}
// ANCHOR_END: tokio_join_all

// ANCHOR: tokio_semaphore
/// A task for every request, at most `limit` past the semaphore at once:
/// the article's `deploy_with_limit`.
///
/// Time: ⌈n / limit⌉ × latency, like [`thread_pool`] with `limit` workers,
/// but the waiting tasks cost heap, not stacks.
pub async fn tokio_semaphore(addr: SocketAddr, n: u64, limit: usize) -> io::Result<Vec<Reply>> {
    let permits = Arc::new(Semaphore::new(limit.max(1)));
    let tasks: Vec<_> = (0..n)
        .map(|id| {
            let permits = permits.clone();
            tokio::spawn(async move {
                // The semaphore is never closed, so `acquire` cannot fail.
                let _permit = permits.acquire_owned().await.expect("semaphore open");
                fetch(addr, id, REQUEST_TIMEOUT).await
            })
        })
        .collect();
    let mut replies = Vec::with_capacity(tasks.len());
    for task in tasks {
        replies.push(task.await.map_err(io::Error::other)??);
    }
    Ok(replies)
}
// ANCHOR_END: tokio_semaphore

/// Raise this process's open-descriptor limit to its hard limit and return
/// it: every open request costs a descriptor on the client's end and one on
/// the server's. (Many systems start programs at a soft limit of 1,024;
/// the Go runtime raises it at start-up, Rust leaves it to the program.)
#[cfg(unix)]
pub fn raise_descriptor_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `limit` is a valid, writable `rlimit` for the call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return 1_024;
    }
    if limit.rlim_cur < limit.rlim_max {
        let raised = libc::rlimit {
            rlim_cur: limit.rlim_max,
            ..limit
        };
        // SAFETY: `raised` is a valid `rlimit`; raising the soft limit up
        // to the hard one needs no privilege.
        if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &raised) } == 0 {
            limit = raised;
        }
    }
    // `rlim_t` is `u64` on Linux and macOS, not on every Unix.
    #[allow(clippy::useless_conversion)]
    u64::try_from(limit.rlim_cur).unwrap_or(u64::MAX)
}

/// Elsewhere: no limit to raise here; assume a modest one.
#[cfg(not(unix))]
pub fn raise_descriptor_limit() -> u64 {
    8_192
}
