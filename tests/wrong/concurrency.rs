//! Known-wrong answers to the concurrency exercise (`fetch_all`), each the
//! way a learner writes it, and where the judge must stop it.

use std::io;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use concurrency::io::{Reply, fetch};
use concurrency::tokio::runtime::Runtime;
use concurrency::tokio::sync::Semaphore;
use concurrency::tokio::{self, task::JoinSet};
use workbench::check::concurrency::judge_fn;

use super::{Expect, Wrong};

/// One request, retried once on failure.
async fn with_retry(addr: SocketAddr, id: u64, timeout: Duration) -> io::Result<Reply> {
    match fetch(addr, id, timeout).await {
        Ok(reply) => Ok(reply),
        Err(_) => fetch(addr, id, timeout).await,
    }
}

/// One request after another: right, never more than one in flight.
fn sequential(
    rt: &Runtime,
    addr: SocketAddr,
    n: u64,
    _: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    rt.block_on(async {
        let mut replies = Vec::new();
        for id in 0..n {
            replies.push(with_retry(addr, id, timeout).await?);
        }
        Ok(replies)
    })
}

/// Every request at once, ignoring the limit.
fn unbounded(
    rt: &Runtime,
    addr: SocketAddr,
    n: u64,
    _: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    rt.block_on(async {
        let tasks: Vec<_> = (0..n)
            .map(|id| tokio::spawn(with_retry(addr, id, timeout)))
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.map_err(io::Error::other)??);
        }
        Ok(replies)
    })
}

/// Within the limit, but a failed request is not tried again.
fn no_retry(
    rt: &Runtime,
    addr: SocketAddr,
    n: u64,
    limit: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    rt.block_on(async {
        let permits = Arc::new(Semaphore::new(limit));
        let tasks: Vec<_> = (0..n)
            .map(|id| {
                let permits = permits.clone();
                tokio::spawn(async move {
                    let _permit = permits.acquire_owned().await.map_err(io::Error::other)?;
                    fetch(addr, id, timeout).await
                })
            })
            .collect();
        let mut replies = Vec::new();
        for task in tasks {
            replies.push(task.await.map_err(io::Error::other)??);
        }
        Ok(replies)
    })
}

/// The replies written from the protocol, without asking the server.
fn made_up(_: &Runtime, _: SocketAddr, n: u64, _: usize, _: Duration) -> io::Result<Vec<Reply>> {
    Ok((0..n)
        .map(|id| Reply {
            id,
            body: format!("service-{id} deployed"),
        })
        .collect())
}

/// Replies in the order they arrive, not in id order.
fn arrival_order(
    rt: &Runtime,
    addr: SocketAddr,
    n: u64,
    limit: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    rt.block_on(async {
        let permits = Arc::new(Semaphore::new(limit));
        let mut tasks = JoinSet::new();
        for id in 0..n {
            let permits = permits.clone();
            tasks.spawn(async move {
                let _permit = permits.acquire_owned().await.map_err(io::Error::other)?;
                with_retry(addr, id, timeout).await
            });
        }
        let mut replies = Vec::new();
        while let Some(done) = tasks.join_next().await {
            replies.push(done.map_err(io::Error::other)??);
        }
        Ok(replies)
    })
}

/// `unwrap` on every reply: the first failed request panics.
fn unwraps(
    rt: &Runtime,
    addr: SocketAddr,
    n: u64,
    _: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    rt.block_on(async {
        let mut replies = Vec::new();
        for id in 0..n {
            replies.push(fetch(addr, id, timeout).await.unwrap());
        }
        Ok(replies)
    })
}

/// Waits for a permit from a semaphore that has none.
fn no_permits(
    rt: &Runtime,
    addr: SocketAddr,
    n: u64,
    _: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    rt.block_on(async {
        let permits = Semaphore::new(0);
        let mut replies = Vec::new();
        for id in 0..n {
            let _permit = permits.acquire().await.map_err(io::Error::other)?;
            replies.push(with_retry(addr, id, timeout).await?);
        }
        Ok(replies)
    })
}

/// Every known-wrong submission, with the stage that must stop it.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "sequential",
        expect: Expect::Failed("limit"),
        run: |j| judge_fn(j, sequential),
    },
    Wrong {
        name: "unbounded",
        expect: Expect::Failed("limit"),
        run: |j| judge_fn(j, unbounded),
    },
    Wrong {
        name: "no_retry",
        expect: Expect::Failed("every reply"),
        run: |j| judge_fn(j, no_retry),
    },
    Wrong {
        name: "made_up",
        expect: Expect::Failed("every reply"),
        run: |j| judge_fn(j, made_up),
    },
    Wrong {
        name: "arrival_order",
        expect: Expect::Failed("every reply"),
        run: |j| judge_fn(j, arrival_order),
    },
    Wrong {
        name: "unwraps",
        expect: Expect::Panicked("every reply"),
        run: |j| judge_fn(j, unwraps),
    },
    Wrong {
        name: "no_permits",
        expect: Expect::Hangs("started"),
        run: |j| judge_fn(j, no_permits),
    },
];
