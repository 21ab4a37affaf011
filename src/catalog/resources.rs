//! Catalog entry: `lessons/resources`.
//!
//! Every case works on a database file of its own in a directory under
//! the workspace's `target/` (a real disk, with a real `fsync`; `/tmp` is
//! a tmpfs on some systems, where a sync costs nothing), removed when the
//! case is dropped, and by [`remove_databases`] on Ctrl-C.

use std::fs::File;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use resources::api::{self, Record};
use resources::connections::{self, PER_THREAD, Serve};
use resources::guards::TempDir;
use resources::insert::{self, InsertFn, Journal};
use rusqlite::Connection;
use rusqlite::hooks::{AuthAction, Authorization};

use super::{
    Bound, Budget, Case, Exercise, Gate, Lesson, Param, Plot, Question, Role, Row, Speed,
    Statements, digest,
};

/// Where the lesson's databases are made: `target/resources-db/`.
pub fn db_root() -> PathBuf {
    super::root().join("target").join("resources-db")
}

/// A directory of its own under [`db_root`], named after this process.
pub fn scratch() -> std::io::Result<TempDir> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    TempDir::new(&db_root(), &format!("{}-{n}", std::process::id()))
}

/// Remove every directory this process made under [`db_root`]: the
/// Ctrl-C handler and the judge's watchdog call this before the process
/// exits, which runs no destructor.
pub fn remove_databases() {
    let prefix = format!("{}-", std::process::id());
    if let Ok(entries) = std::fs::read_dir(db_root()) {
        for entry in entries.flatten() {
            if entry.file_name().to_string_lossy().starts_with(&prefix) {
                let _ = std::fs::remove_dir_all(entry.path());
            }
        }
    }
}

/// A case cannot return an error: a database that fails under a run stops
/// the run with the error's message.
fn or_stop<T, E: std::fmt::Display>(what: &str, result: Result<T, E>) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// What SQLite's hooks counted on one connection.
#[derive(Clone, Default)]
pub struct Counts {
    /// Commits (the commit hook: one per transaction that wrote).
    pub commits: Arc<AtomicU64>,
    /// Statements prepared that insert into `deployments` (the
    /// authorizer runs while a statement is prepared, never when it runs).
    pub prepares: Arc<AtomicU64>,
}

impl Counts {
    /// Count on `conn` from now on.
    pub fn install(conn: &Connection) -> rusqlite::Result<Counts> {
        let counts = Counts::default();
        let commits = counts.commits.clone();
        conn.commit_hook(Some(move || {
            commits.fetch_add(1, Ordering::Relaxed);
            false // let it commit
        }))?;
        let prepares = counts.prepares.clone();
        conn.authorizer(Some(move |ctx: rusqlite::hooks::AuthContext<'_>| {
            if let AuthAction::Insert { table_name } = ctx.action
                && table_name == "deployments"
            {
                prepares.fetch_add(1, Ordering::Relaxed);
            }
            Authorization::Allow
        }))?;
        Ok(counts)
    }

    /// (commits, prepares) so far.
    pub fn get(&self) -> (u64, u64) {
        (
            self.commits.load(Ordering::Relaxed),
            self.prepares.load(Ordering::Relaxed),
        )
    }
}

/// A fresh database in its own directory, in `journal` mode, its table
/// made, its hooks counting.
pub struct Db {
    /// The connection.
    pub conn: Connection,
    /// What its hooks counted.
    pub counts: Counts,
    /// The file.
    pub path: PathBuf,
    // Last: the directory goes after the connection has closed.
    _dir: TempDir,
}

impl Db {
    /// Make one.
    pub fn new(journal: Journal) -> Result<Db, Box<dyn std::error::Error + Send + Sync>> {
        let dir = scratch()?;
        let path = dir.path().join("deployments.db");
        let conn = api::open(&path)?;
        journal.apply(&conn)?;
        let counts = Counts::install(&conn)?;
        Ok(Db {
            conn,
            counts,
            path,
            _dir: dir,
        })
    }
}

/// An insert variant, and the journal mode its database runs in.
pub type Insert = (Journal, InsertFn);

/// The ways to insert n records into SQLite.
pub const INSERTS: &[Row<Insert>] = &[
    Row {
        name: "autocommit",
        role: Role::Baseline,
        complexity: "O(n) syncs: a commit per row",
        idea: "the article's pattern without the transaction: each execute commits, and syncs the journal and the file",
        max_param: Some(1_000),
        f: (Journal::Rollback, insert::autocommit),
    },
    Row {
        name: "wal_full",
        role: Role::Variant,
        complexity: "O(n) syncs: a commit per row",
        idea: "the same commits in WAL mode: each appends to the log and syncs it once; no journal file made and deleted per row",
        max_param: Some(1_000),
        f: (Journal::WalFull, insert::wal_full),
    },
    Row {
        name: "wal_normal",
        role: Role::Variant,
        complexity: "O(n) commits, syncs at checkpoints",
        idea: "WAL with synchronous=NORMAL: a commit is not synced; a power loss may take the last ones back",
        max_param: Some(10_000),
        f: (Journal::WalNormal, insert::wal_normal),
    },
    Row {
        name: "transaction",
        role: Role::Variant,
        complexity: "1 sync, n prepares",
        idea: "the article's DatabaseTransaction: one commit for all rows; execute still prepares the statement per row",
        max_param: None,
        f: (Journal::Rollback, insert::transaction),
    },
    Row {
        name: "prepare_cached",
        role: Role::Optimized,
        complexity: "1 sync, 1 prepare",
        idea: "one transaction and the statement prepared once: each row is a bind and a step",
        max_param: None,
        f: (Journal::Rollback, insert::prepare_cached),
    },
    Row {
        name: "multi_row",
        role: Role::Optimized,
        complexity: "1 sync, 2 prepares, n/100 steps",
        idea: "100 rows per INSERT … VALUES (…), (…): one step per hundred rows",
        max_param: None,
        f: (Journal::Rollback, insert::multi_row),
    },
];

/// One insert variant on its own database.
struct InsertCase {
    db: Db,
    records: Vec<Record>,
    f: InsertFn,
    name: &'static str,
    calls: u64,
}

impl Case for InsertCase {
    fn run(&mut self) {
        self.calls += 1;
        black_box(or_stop(
            self.name,
            (self.f)(&mut self.db.conn, black_box(&self.records)),
        ));
    }
    fn answer(&mut self) -> u64 {
        // The rows one call adds, as read back: the table emptied first.
        or_stop(
            self.name,
            self.db.conn.execute("DELETE FROM deployments", []),
        );
        let before = self.db.counts.get();
        self.run();
        let after = self.db.counts.get();
        // The DELETE's commit is not the call's: start the count after it.
        self.calls = 1;
        self.db
            .counts
            .commits
            .store(after.0 - before.0, Ordering::Relaxed);
        digest(&or_stop(self.name, api::read_all(&self.db.conn)))
    }
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        let (commits, prepares) = self.db.counts.get();
        let calls = self.calls.max(1) as f64;
        vec![
            ("commits_per_call", commits as f64 / calls),
            ("prepares_per_call", prepares as f64 / calls),
        ]
    }
}

/// The case of insert variant `f` on `n` of the lesson's records.
pub fn insert_case(name: &'static str, (journal, f): Insert, n: u64) -> Box<dyn Case> {
    let db = or_stop(name, Db::new(journal));
    Box::new(InsertCase {
        db,
        records: api::records(n as usize),
        f,
        name,
        calls: 0,
    })
}

/// The floor's function: records appended to a file.
pub type AppendFn = fn(&mut File, &[Record]) -> std::io::Result<usize>;

/// The floor, as a row of its own: a plain file, one sync.
pub const LIMIT: Row<AppendFn> = Row {
    name: "append_fsync",
    role: Role::Limit,
    complexity: "1 sync of the bytes alone",
    idea: "the same records as lines appended to a plain file, synced once: what any commit of them must write and wait for",
    max_param: None,
    f: insert::append_fsync,
};

/// The floor's case: its own file, appended to by every call.
struct AppendCase {
    file: File,
    path: PathBuf,
    records: Vec<Record>,
    _dir: TempDir,
}

impl Case for AppendCase {
    fn run(&mut self) {
        black_box(or_stop(
            "append_fsync",
            (LIMIT.f)(&mut self.file, black_box(&self.records)),
        ));
    }
    fn answer(&mut self) -> u64 {
        or_stop("append_fsync", self.file.set_len(0));
        self.run();
        let text = or_stop("append_fsync", std::fs::read_to_string(&self.path));
        digest(&insert::read_appended(&text))
    }
}

fn append_case(n: u64) -> Box<dyn Case> {
    let dir = or_stop("append_fsync", scratch());
    let path = dir.path().join("deployments.tsv");
    let file = or_stop(
        "append_fsync",
        File::options().create(true).append(true).open(&path),
    );
    Box::new(AppendCase {
        file,
        path,
        records: api::records(n as usize),
        _dir: dir,
    })
}

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "autocommit",
    allocations: None,
    layout: None,
    peak_heap: None,
    build_bytes: None,
    statements: Some(Statements {
        commits: 1,
        prepares: 1,
    }),
    speed: Speed::FasterThan {
        times: 50.0,
        baseline: "autocommit",
        at: "at n = 1,000 records",
    },
};

/// A server built on a database file.
pub type ServeFn<S> = fn(&Path) -> Result<S, connections::Error>;

/// Records in the connections question's database.
pub const STORED: usize = 1_000;

/// A server, its database, and its requests.
struct ServeCase {
    server: Box<dyn Serve>,
    names: Vec<String>,
    threads: usize,
    name: &'static str,
    opens: u64,
    requests: u64,
    _dir: TempDir,
}

impl Case for ServeCase {
    fn run(&mut self) {
        let before = self.server.opens();
        black_box(or_stop(
            self.name,
            connections::serve_threads(self.server.as_ref(), self.threads, &self.names),
        ));
        self.opens += self.server.opens() - before;
        self.requests += self.names.len() as u64;
    }
    fn answer(&mut self) -> u64 {
        digest(&or_stop(
            self.name,
            connections::serve_threads(self.server.as_ref(), self.threads, &self.names),
        ))
    }
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        vec![(
            "opens_per_request",
            self.opens as f64 / self.requests.max(1) as f64,
        )]
    }
}

/// The database of the connections question: its own directory, the
/// first [`STORED`] records.
pub fn stored_db() -> std::io::Result<(TempDir, PathBuf)> {
    let dir = scratch()?;
    let path = dir.path().join("deployments.db");
    let fill = || -> rusqlite::Result<()> {
        let mut conn = api::open(&path)?;
        insert::prepare_cached(&mut conn, &api::records(STORED))?;
        Ok(())
    };
    fill().map_err(std::io::Error::other)?;
    Ok((dir, path))
}

/// The case of server `make` at `threads` worker threads.
pub fn serve_case(
    name: &'static str,
    make: ServeFn<Box<dyn Serve>>,
    threads: u64,
) -> Box<dyn Case> {
    let (dir, path) = or_stop(name, stored_db());
    let server = or_stop(name, make(&path));
    let records = api::records(STORED);
    let names = (0..threads as usize * PER_THREAD)
        .map(|i| records[connections::request(i, STORED)].name.clone())
        .collect();
    Box::new(ServeCase {
        server,
        names,
        threads: threads as usize,
        name,
        opens: 0,
        requests: 0,
        _dir: dir,
    })
}

/// The ways to give each request a connection.
pub const SERVERS: &[Row<ServeFn<Box<dyn Serve>>>] = &[
    Row {
        name: "connect_per_request",
        role: Role::Baseline,
        complexity: "an open per request",
        idea: "with db_connection() around each request: open the file, read the schema, prepare, answer, close",
        max_param: None,
        f: |p| Ok(Box::new(resources::connect_per_request(p)?)),
    },
    Row {
        name: "article_pool",
        role: Role::Optimized,
        complexity: "a lock per request",
        idea: "the article's ConnectionPool (5 to 20) behind a Mutex: connections and their prepared statements live on",
        max_param: None,
        f: |p| Ok(Box::new(resources::article_pool(p)?)),
    },
    Row {
        name: "r2d2_pool",
        role: Role::Peer,
        complexity: "a lock per request",
        idea: "r2d2's pool with r2d2_sqlite: waits when all are out instead of failing",
        max_param: None,
        f: |p| Ok(Box::new(resources::r2d2_pool(p)?)),
    },
    Row {
        name: "per_thread",
        role: Role::Variant,
        complexity: "an open per worker",
        idea: "each worker opens one connection when it starts and keeps it: nothing shared",
        max_param: None,
        f: |p| Ok(Box::new(resources::per_thread(p)?)),
    },
];

/// The catalog entry.
pub fn lesson() -> Lesson {
    let mut inserts: Vec<super::Variant> = INSERTS
        .iter()
        .map(|row| {
            let name = row.name;
            row.variant(move |f, n| insert_case(name, f, n))
        })
        .collect();
    inserts.push(LIMIT.variant(|_, n| append_case(n)));
    Lesson {
        name: "resources",
        title: "Context managers as RAII: transactions, connections and guards on SQLite",
        article: "7.2 Context Managers",
        questions: vec![
            Question {
                name: "transactions",
                about: "insert n deployment records into a SQLite file on disk, each commit synced",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 100,
                    min_ratio: 3.0,
                    apart: &[(
                        "wal_normal",
                        "its commits do not wait for the disk: a power loss may take the last ones back",
                    )],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "records",
                    default: 1_000,
                    sweep: &[10, 100, 1_000, 10_000, 100_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 10_000_000,
                        why: "the records are held in memory and written to target/: past 10,000,000 a run needs over 1 GB of each",
                    },
                },
                variants: inserts,
            },
            Question {
                name: "connections",
                about: "this many worker threads each answer 500 requests that look a deployment up by name",
                concurrent: true,
                threaded: &[],
                plot: Plot::Time,
                gate: None,
                param: Param {
                    name: "threads",
                    unit: "requests",
                    default: 2,
                    sweep: &[1, 2, 4, 8],
                    throughput: |threads| threads * PER_THREAD as u64,
                    max: Bound {
                        value: 20,
                        why: "the pools hold at most 20 connections: past 20 workers the article's pool fails by design",
                    },
                },
                variants: SERVERS
                    .iter()
                    .map(|row| {
                        let name = row.name;
                        row.variant(move |f, threads| serve_case(name, f, threads))
                    })
                    .collect(),
            },
        ],
        exercise: Exercise {
            function: "insert_all",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// The learner's `insert_all`, as a row of `transactions`.
fn yours() -> (&'static str, super::Variant) {
    let f: Insert = (Journal::Rollback, resources_exercise::insert_all);
    (
        "transactions",
        super::yours_row(f).variant(|f, n| insert_case(super::YOURS, f, n)),
    )
}
