//! The test server of the I/O question: a tokio server on 127.0.0.1 that
//! answers each request after a fixed latency, as a deployment API or a
//! download would, and counts how many requests it holds at once.
//!
//! The protocol is one line each way over a fresh TCP connection:
//!
//! ```text
//! client → server   GET 42
//! server → client   OK 42 service-42 deployed      (after the latency)
//!                   ERR 42 unavailable             (a failed request)
//! ```
//!
//! The server closes the connection after its reply, and the client reads
//! until then. (Whoever closes first keeps the port in TIME_WAIT for a
//! minute; on the server's side that costs nothing, on the client's side
//! 10,000 requests would eat the ephemeral ports.)
//!
//! With [`ServerConfig::down_for`] the server starts in an outage: for that
//! long it refuses every request at once, which is what the wrappers
//! lesson's retrying clients meet.

use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpSocket, TcpStream};
use tokio::sync::oneshot;
use tokio::time::timeout;

/// How the server behaves.
#[derive(Clone, Copy, Debug)]
pub struct ServerConfig {
    /// How long each request takes to answer.
    pub latency: Duration,
    /// `Some(k)`: the first attempt at every k-th request (ids k-1, 2k-1,
    /// …) fails, alternately with an immediate `ERR` reply and by never
    /// answering at all (the client must time out). A retry succeeds.
    pub fail_every: Option<u64>,
    /// `Some(d)`: an outage. Until `d` has passed since the server started
    /// (or since the last [`Server::reset`]), every request is answered at
    /// once with `ERR <id> unavailable`, counted by [`Server::refused`];
    /// after it, requests are served as the rest of the config says.
    pub down_for: Option<Duration>,
}

/// The longest a request line may take to arrive.
pub const READ_LIMIT: Duration = Duration::from_secs(10);
/// The longest the server holds a request it will not answer.
pub const STALL_LIMIT: Duration = Duration::from_secs(10);
/// Pending connections the kernel may queue (Linux caps it at somaxconn).
const BACKLOG: u32 = 4096;

/// The server's counters, shared with its connections.
struct Stats {
    in_flight: AtomicU64,
    max_in_flight: AtomicU64,
    served: AtomicU64,
    failed: AtomicU64,
    refused: AtomicU64,
    tried: Mutex<HashSet<u64>>,
    /// When the outage (if any) began: the start, or the last reset.
    down_since: Mutex<Instant>,
}

impl Stats {
    /// Whether the server is still in its outage.
    fn down(&self, config: &ServerConfig) -> bool {
        let Some(down_for) = config.down_for else {
            return false;
        };
        let since = self.down_since.lock().unwrap_or_else(|p| p.into_inner());
        since.elapsed() < down_for
    }
}

/// A running server. Dropping it stops it: the accept loop ends, every
/// open connection is closed and its thread is joined.
pub struct Server {
    addr: SocketAddr,
    stats: Arc<Stats>,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Server {
    /// Bind 127.0.0.1 on a free port and serve on a thread of its own.
    pub fn start(config: ServerConfig) -> io::Result<Server> {
        // One thread serves every connection: the counters then change
        // only between polls, so `max_in_flight` is exact.
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let listener = rt.block_on(async {
            let socket = TcpSocket::new_v4()?;
            socket.bind(SocketAddr::from(([127, 0, 0, 1], 0)))?;
            socket.listen(BACKLOG)
        })?;
        let addr = listener.local_addr()?;
        let stats = Arc::new(Stats {
            in_flight: AtomicU64::new(0),
            max_in_flight: AtomicU64::new(0),
            served: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            refused: AtomicU64::new(0),
            tried: Mutex::new(HashSet::new()),
            down_since: Mutex::new(Instant::now()),
        });
        let (stop, mut stopped) = oneshot::channel::<()>();
        let shared = stats.clone();
        let thread = std::thread::Builder::new()
            .name("test-server".into())
            .spawn(move || {
                rt.block_on(async move {
                    loop {
                        tokio::select! {
                            _ = &mut stopped => break,
                            accepted = listener.accept() => match accepted {
                                Ok((stream, _)) => {
                                    tokio::spawn(answer(stream, config, shared.clone()));
                                }
                                // Out of descriptors, say: let connections
                                // finish, then accept again.
                                Err(_) => tokio::time::sleep(Duration::from_millis(1)).await,
                            },
                        }
                    }
                });
                // Dropping the runtime here cancels every connection task.
            })?;
        Ok(Server {
            addr,
            stats,
            stop: Some(stop),
            thread: Some(thread),
        })
    }

    /// Where to connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The most requests held at once since the last [`Server::reset`].
    pub fn max_in_flight(&self) -> u64 {
        self.stats.max_in_flight.load(Relaxed)
    }

    /// Requests answered with `OK` since the last reset.
    pub fn served(&self) -> u64 {
        self.stats.served.load(Relaxed)
    }

    /// Requests failed on purpose since the last reset (by
    /// [`ServerConfig::fail_every`]; the outage's are [`Server::refused`]).
    pub fn failed(&self) -> u64 {
        self.stats.failed.load(Relaxed)
    }

    /// Requests refused during the outage ([`ServerConfig::down_for`])
    /// since the last reset.
    pub fn refused(&self) -> u64 {
        self.stats.refused.load(Relaxed)
    }

    /// Zero the counters, forget which requests were tried, so the next run
    /// fails the same requests as the first, and start the outage (if the
    /// config has one) again from now.
    pub fn reset(&self) {
        self.stats.max_in_flight.store(0, Relaxed);
        self.stats.served.store(0, Relaxed);
        self.stats.failed.store(0, Relaxed);
        self.stats.refused.store(0, Relaxed);
        *self
            .stats
            .down_since
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner()) = Instant::now();
        self.stats
            .tried
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .clear();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // Fails only if the loop already ended.
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            // The server thread does not panic; nothing to report if it did.
            let _ = thread.join();
        }
    }
}

/// What the server does with one request.
enum Fate {
    Answer,
    Error,
    Stall,
}

fn fate(id: u64, config: &ServerConfig, stats: &Stats) -> Fate {
    let Some(every) = config.fail_every.filter(|&k| k > 0) else {
        return Fate::Answer;
    };
    if id % every != every - 1 {
        return Fate::Answer;
    }
    let mut tried = stats.tried.lock().unwrap_or_else(|p| p.into_inner());
    match (tried.insert(id), (id / every) % 2) {
        (false, _) => Fate::Answer,
        (true, 0) => Fate::Error,
        (true, _) => Fate::Stall,
    }
}

/// Serve one connection: read `GET <id>`, wait, reply, close.
async fn answer(mut stream: TcpStream, config: ServerConfig, stats: Arc<Stats>) {
    let mut buf = [0u8; 64];
    let Ok(Ok(len)) = timeout(READ_LIMIT, read_line(&mut stream, &mut buf)).await else {
        return;
    };
    let Some(id) = std::str::from_utf8(&buf[..len])
        .ok()
        .and_then(|line| line.trim_end().strip_prefix("GET "))
        .and_then(|id| id.parse::<u64>().ok())
    else {
        let _ = stream.write_all(b"ERR bad request\n").await;
        return;
    };
    if stats.down(&config) {
        stats.refused.fetch_add(1, Relaxed);
        let _ = stream
            .write_all(format!("ERR {id} unavailable\n").as_bytes())
            .await;
        return;
    }
    let reply = match fate(id, &config, &stats) {
        Fate::Stall => {
            // A lost request: not counted in flight, since the server is
            // not working on it. Held until the client gives up.
            stats.failed.fetch_add(1, Relaxed);
            let _ = timeout(STALL_LIMIT, stream.read(&mut buf)).await;
            return;
        }
        Fate::Error => {
            stats.failed.fetch_add(1, Relaxed);
            format!("ERR {id} unavailable\n")
        }
        Fate::Answer => {
            let now = stats.in_flight.fetch_add(1, Relaxed) + 1;
            stats.max_in_flight.fetch_max(now, Relaxed);
            tokio::time::sleep(config.latency).await;
            stats.in_flight.fetch_sub(1, Relaxed);
            stats.served.fetch_add(1, Relaxed);
            format!("OK {id} service-{id} deployed\n")
        }
    };
    // A client that already left is its own problem.
    let _ = stream.write_all(reply.as_bytes()).await;
}

/// Read until a newline or a full buffer; the length read.
async fn read_line(stream: &mut TcpStream, buf: &mut [u8]) -> io::Result<usize> {
    let mut len = 0;
    while len < buf.len() {
        let n = stream.read(&mut buf[len..]).await?;
        if n == 0 {
            break;
        }
        len += n;
        if buf[..len].contains(&b'\n') {
            break;
        }
    }
    Ok(len)
}
