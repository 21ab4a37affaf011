//! End to end, on the real clock: clients retrying through
//! `wrappers::retry::call_with_retry` against the concurrency lesson's TCP
//! server while it is down, then up. The code measured in virtual time by
//! `retry::storm` is the code tested here.
//!
//! Only what the scheduler cannot change is asserted: every client gets
//! its `OK`, the server refused at least one request, every attempt is
//! either refused or served, and a client whose first reply came back
//! before the outage could have ended needed a second attempt.
#![cfg(not(loom))]

use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use concurrency::io::fetch;
use concurrency::{Server, ServerConfig};
use wrappers::retry::{Policy, SplitMix64, call_with_retry};

/// Clients retrying at once.
const CLIENTS: u64 = 20;
/// How long the server refuses every request after it starts.
const DOWN_FOR: Duration = Duration::from_millis(200);
/// The longest one request may take.
const REQUEST_LIMIT: Duration = Duration::from_secs(2);
/// The longest a whole run may take before the test fails.
const RUN_LIMIT: Duration = Duration::from_secs(5);

/// What one client saw.
struct Seen {
    id: u64,
    body: String,
    attempts: u32,
    /// When its first attempt's reply (or error) came back.
    first_reply: Instant,
}

/// Client `id`: `GET id` until the server says `OK`.
async fn client(addr: SocketAddr, id: u64, policy: Policy) -> std::io::Result<Seen> {
    let mut rng = SplitMix64::new(0x5EED + id);
    let first_reply = OnceLock::new();
    let (reply, attempts) = call_with_retry(policy, None, &mut rng, |attempt| {
        let first_reply = &first_reply;
        async move {
            let reply = fetch(addr, id, REQUEST_LIMIT).await;
            if attempt == 1 {
                let _ = first_reply.set(Instant::now());
            }
            reply
        }
    })
    .await?;
    Ok(Seen {
        id,
        body: reply.body,
        attempts,
        first_reply: first_reply.get().copied().unwrap_or_else(Instant::now),
    })
}

/// Start a server that is down for [`DOWN_FOR`], run [`CLIENTS`] clients
/// on `policy` against it, and check what they and the server saw.
fn run(policy: Policy) {
    // The outage starts inside `Server::start`, so it ends no earlier
    // than `before + DOWN_FOR`.
    let before = Instant::now();
    let server = Server::start(ServerConfig {
        latency: Duration::from_millis(1),
        fail_every: None,
        down_for: Some(DOWN_FOR),
    })
    .expect("the test server starts");
    let addr = server.addr();
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a tokio runtime builds");
    let seen = rt
        .block_on(async {
            let tasks: Vec<_> = (0..CLIENTS)
                .map(|id| tokio::spawn(client(addr, id, policy)))
                .collect();
            tokio::time::timeout(RUN_LIMIT, async {
                let mut seen = Vec::new();
                for task in tasks {
                    seen.push(task.await.expect("a client does not panic"));
                }
                seen
            })
            .await
        })
        .unwrap_or_else(|_| panic!("{policy:?}: the clients did not finish in {RUN_LIMIT:?}"));
    // Stop the runtime before reading the counters: no request is left.
    drop(rt);

    let mut attempts = 0;
    for outcome in seen {
        let s = outcome.unwrap_or_else(|e| panic!("{policy:?}: a client failed: {e}"));
        assert_eq!(s.body, format!("service-{} deployed", s.id), "{policy:?}");
        if s.first_reply < before + DOWN_FOR {
            assert!(
                s.attempts >= 2,
                "{policy:?}: client {} was answered during the outage",
                s.id
            );
        }
        attempts += u64::from(s.attempts);
    }
    assert!(
        server.refused() >= 1,
        "{policy:?}: the server was never down"
    );
    assert_eq!(server.served(), CLIENTS, "{policy:?}: one OK per client");
    assert_eq!(
        attempts,
        server.served() + server.refused(),
        "{policy:?}: every attempt was either refused or served"
    );
}

#[test]
fn full_jitter_clients_get_through_the_outage() {
    run(Policy::FullJitter {
        base: Duration::from_millis(10),
        cap: Duration::from_millis(100),
    });
}

#[test]
fn fixed_delay_clients_get_through_the_outage() {
    run(Policy::Fixed {
        delay: Duration::from_millis(50),
    });
}
