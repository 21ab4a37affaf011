//! The I/O-bound question: fetch `n` requests from the test server
//! ([`crate::server`]), each of which takes a fixed latency to answer.
//!
//! Every variant returns the replies in id order, each exactly once.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::sync::Semaphore;

/// One answered request.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Reply {
    /// The request's id.
    pub id: u64,
    /// What the server said about it.
    pub body: String,
}

/// The longest any variant waits for one request before giving up.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

// ANCHOR: fetch
/// One request, blocking the calling thread: connect, send `GET <id>`,
/// read the reply until the server closes. Every step is bounded by
/// `limit`.
pub fn fetch_blocking(addr: SocketAddr, id: u64, limit: Duration) -> io::Result<Reply> {
    let mut stream = TcpStream::connect_timeout(&addr, limit)?;
    stream.set_read_timeout(Some(limit))?;
    stream.set_write_timeout(Some(limit))?;
    stream.write_all(format!("GET {id}\n").as_bytes())?;
    let mut text = String::new();
    // `take` bounds the reply: the server's is one short line.
    (&mut stream).take(256).read_to_string(&mut text)?;
    parse(id, &text)
}

/// The same request as a future: it waits without holding a thread, so
/// thousands can wait at once. The whole request is bounded by `limit`.
pub async fn fetch(addr: SocketAddr, id: u64, limit: Duration) -> io::Result<Reply> {
    let request = async {
        let mut stream = tokio::net::TcpStream::connect(addr).await?;
        stream.write_all(format!("GET {id}\n").as_bytes()).await?;
        let mut text = String::new();
        (&mut stream).take(256).read_to_string(&mut text).await?;
        parse(id, &text)
    };
    tokio::time::timeout(limit, request)
        .await
        .map_err(|_| io::Error::new(io::ErrorKind::TimedOut, format!("request {id} timed out")))?
}

/// The reply to request `id`, or why there is none.
fn parse(id: u64, text: &str) -> io::Result<Reply> {
    let line = text.trim_end();
    match line.split_once(' ') {
        Some(("OK", rest)) => match rest.split_once(' ') {
            Some((got, body)) if got.parse() == Ok(id) => Ok(Reply {
                id,
                body: body.to_owned(),
            }),
            _ => Err(io::Error::other(format!(
                "reply to {id} names another request: {line}"
            ))),
        },
        Some(("ERR", _)) => Err(io::Error::other(format!("the server failed request {id}"))),
        _ if line.is_empty() => Err(io::Error::new(
            io::ErrorKind::UnexpectedEof,
            format!("no reply to request {id}"),
        )),
        _ => Err(io::Error::other(format!("bad reply to {id}: {line}"))),
    }
}
// ANCHOR_END: fetch

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
