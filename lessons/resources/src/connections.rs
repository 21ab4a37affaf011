//! Question 2: a request handler that needs the database. A connection
//! opened per request, the article's pool, r2d2's pool, and a connection
//! per worker thread.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use r2d2_sqlite::SqliteConnectionManager;
use rusqlite::{Connection, OptionalExtension};

/// Any error a request can meet: SQLite's, or a pool's.
pub type Error = Box<dyn std::error::Error + Send + Sync>;

/// Open a connection to the lesson's database file (read and write, as a
/// handler's would be), counted in `opens`: each server counts its own,
/// so what the tests and the figures count is that server's alone.
pub fn open(path: &Path, opens: &AtomicU64) -> rusqlite::Result<Connection> {
    let conn = Connection::open(path)?;
    opens.fetch_add(1, Ordering::Relaxed);
    Ok(conn)
}

// ANCHOR: lookup
/// The handler: one deployment's replicas by name (0 when there is none).
/// The statement stays prepared in the connection's cache, so a
/// connection that lives on prepares it once.
pub fn lookup(conn: &Connection, name: &str) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached("SELECT replicas FROM deployments WHERE name = ?1")?;
    Ok(stmt
        .query_row([name], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}
// ANCHOR_END: lookup

/// A way to get a connection for each request: the requests one worker
/// serves in turn, answered with the replicas found, added up.
pub trait Serve: Sync {
    /// Serve the requests for `names`, one after another.
    fn serve(&self, names: &[String]) -> Result<i64, Error>;
    /// The connections it has opened so far.
    fn opens(&self) -> u64;
}

// ANCHOR: connect_per_request
/// `with db_connection() as conn:` around every request: open the file,
/// read the schema, prepare the statement, answer, close.
pub struct PerRequest {
    path: PathBuf,
    opens: AtomicU64,
}

/// The baseline: a connection per request.
pub fn connect_per_request(path: &Path) -> Result<PerRequest, Error> {
    Ok(PerRequest {
        path: path.to_owned(),
        opens: AtomicU64::new(0),
    })
}

impl Serve for PerRequest {
    fn serve(&self, names: &[String]) -> Result<i64, Error> {
        let mut total = 0;
        for name in names {
            let conn = open(&self.path, &self.opens)?;
            total += lookup(&conn, name)?;
            // `conn` is dropped here: the connection closes.
        }
        Ok(total)
    }
    fn opens(&self) -> u64 {
        self.opens.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: connect_per_request

// ANCHOR: article_pool
/// The article's `ConnectionPool`, line for line where Rust allows: the
/// idle connections in a list, `in_use` counted, a new connection opened
/// while fewer than `max_size` are out, an error when all are. The list
/// sits behind a `Mutex`: Python's `pool.pop()` is safe only under the
/// GIL, and Rust will not share a `Vec` between threads unguarded.
pub struct ConnectionPool {
    path: PathBuf,
    max_size: usize,
    opens: AtomicU64,
    state: Mutex<PoolState>,
}

struct PoolState {
    pool: Vec<Connection>,
    in_use: usize,
}

impl ConnectionPool {
    /// `__enter__`: open `min_size` connections now.
    pub fn new(path: &Path, min_size: usize, max_size: usize) -> rusqlite::Result<Self> {
        let opens = AtomicU64::new(0);
        let pool = (0..min_size)
            .map(|_| open(path, &opens))
            .collect::<rusqlite::Result<_>>()?;
        Ok(ConnectionPool {
            path: path.to_owned(),
            max_size,
            opens,
            state: Mutex::new(PoolState { pool, in_use: 0 }),
        })
    }

    /// `get_connection()`: an idle connection, or a new one while fewer
    /// than `max_size` are in use. The guard returns it on drop, on every
    /// path out of the request, as the article's `finally:` does.
    pub fn get_connection(&self) -> Result<Pooled<'_>, Error> {
        let mut state = self.state.lock().unwrap_or_else(|e| e.into_inner());
        let conn = match state.pool.pop() {
            Some(conn) => conn,
            None if state.in_use < self.max_size => {
                state.in_use += 1;
                drop(state);
                return match open(&self.path, &self.opens) {
                    Ok(conn) => Ok(Pooled {
                        pool: self,
                        conn: Some(conn),
                    }),
                    Err(e) => {
                        self.lock().in_use -= 1;
                        Err(e.into())
                    }
                };
            }
            None => {
                return Err(format!(
                    "connection pool exhausted: all {} connections are in use",
                    self.max_size
                )
                .into());
            }
        };
        state.in_use += 1;
        Ok(Pooled {
            pool: self,
            conn: Some(conn),
        })
    }

    /// How many connections are out, and how many idle.
    pub fn sizes(&self) -> (usize, usize) {
        let state = self.lock();
        (state.in_use, state.pool.len())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, PoolState> {
        // A panic while the lock is held leaves the list as it was: every
        // change under the lock is one push, pop or count.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A connection lent by a [`ConnectionPool`]; back in the pool on drop.
pub struct Pooled<'p> {
    pool: &'p ConnectionPool,
    conn: Option<Connection>,
}

impl std::ops::Deref for Pooled<'_> {
    type Target = Connection;
    fn deref(&self) -> &Connection {
        self.conn.as_ref().expect("present until dropped")
    }
}

impl Drop for Pooled<'_> {
    fn drop(&mut self) {
        let mut state = self.pool.lock();
        state.in_use -= 1;
        state.pool.extend(self.conn.take());
    }
}

/// The article's sizes: 5 connections opened at once, at most 20.
pub fn article_pool(path: &Path) -> Result<ConnectionPool, Error> {
    Ok(ConnectionPool::new(path, 5, 20)?)
}

impl Serve for ConnectionPool {
    fn serve(&self, names: &[String]) -> Result<i64, Error> {
        let mut total = 0;
        for name in names {
            let conn = self.get_connection()?;
            total += lookup(&conn, name)?;
        }
        Ok(total)
    }
    fn opens(&self) -> u64 {
        self.opens.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: article_pool

// ANCHOR: r2d2_pool
/// The peer: r2d2's pool with r2d2_sqlite's manager. It waits for a
/// connection rather than failing when all are out, and checks each on
/// checkout (`test_on_check_out`, a query each time) unless told not to.
pub struct R2d2 {
    pool: r2d2::Pool<SqliteConnectionManager>,
    opens: std::sync::Arc<AtomicU64>,
}

/// r2d2's pool of up to 20 connections, 5 kept idle, not tested on
/// checkout (the article's pool tests nothing either).
pub fn r2d2_pool(path: &Path) -> Result<R2d2, Error> {
    // r2d2 opens connections on threads of its own, also after `build`
    // returns (to keep `min_idle` idle): they are counted here, the pool's
    // own counter.
    let opens = std::sync::Arc::new(AtomicU64::new(0));
    let counter = opens.clone();
    let manager = SqliteConnectionManager::file(path).with_init(move |_| {
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(())
    });
    let pool = r2d2::Pool::builder()
        .max_size(20)
        .min_idle(Some(5))
        .test_on_check_out(false)
        .build(manager)?;
    Ok(R2d2 { pool, opens })
}

impl Serve for R2d2 {
    fn serve(&self, names: &[String]) -> Result<i64, Error> {
        let mut total = 0;
        for name in names {
            let conn = self.pool.get()?;
            total += lookup(&conn, name)?;
        }
        Ok(total)
    }
    fn opens(&self) -> u64 {
        self.opens.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: r2d2_pool

// ANCHOR: per_thread
/// Each worker opens one connection when it starts and keeps it: no lock,
/// no pool; the server has as many connections as workers.
pub struct PerThread {
    path: PathBuf,
    opens: AtomicU64,
}

/// A connection per worker thread.
pub fn per_thread(path: &Path) -> Result<PerThread, Error> {
    Ok(PerThread {
        path: path.to_owned(),
        opens: AtomicU64::new(0),
    })
}

impl Serve for PerThread {
    fn serve(&self, names: &[String]) -> Result<i64, Error> {
        let conn = open(&self.path, &self.opens)?;
        let mut total = 0;
        for name in names {
            total += lookup(&conn, name)?;
        }
        Ok(total)
    }
    fn opens(&self) -> u64 {
        self.opens.load(Ordering::Relaxed)
    }
}
// ANCHOR_END: per_thread

/// Requests each worker thread serves in one run.
pub const PER_THREAD: usize = 500;

/// The name request `i` asks for, among the first `stored` records.
pub fn request(i: usize, stored: usize) -> usize {
    i * 7_919 % stored
}

/// `threads` workers, each serving its [`PER_THREAD`] requests through
/// `server` at once; the replicas found, added up.
pub fn serve_threads(server: &dyn Serve, threads: usize, names: &[String]) -> Result<i64, Error> {
    std::thread::scope(|s| {
        let workers: Vec<_> = names
            .chunks(names.len().div_ceil(threads.max(1)).max(1))
            .map(|chunk| s.spawn(move || server.serve(chunk)))
            .collect();
        let mut total = 0;
        for worker in workers {
            total += worker.join().map_err(|_| "a worker panicked")??;
        }
        Ok(total)
    })
}
