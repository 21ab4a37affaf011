//! Catalog entry: `lessons/streams`.
//!
//! The input is a file: [`LogFile`] writes the lesson's log of the asked
//! size under `target/streams-logs/`, shares it between the variants of
//! one run, and removes it when the last case holding it is dropped, on an
//! error too; [`remove_logs`] removes every one still there (the Ctrl-C
//! handler calls it).

use std::collections::HashMap;
use std::hint::black_box;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, Weak};

use proptest::prelude::*;
use streams::Summary;
use streams::send::{self, Deployment};

use super::{
    Bound, Budget, Case, Exercise, Gate, Lesson, Param, Plot, Question, Role, Row, Speed, case,
    digest,
};

/// The shape every summarizing variant shares (the exercise's too).
pub type SummarizeFn = fn(&Path) -> io::Result<Summary>;

/// A summarizing call with what it needs captured (the limit's known
/// summary).
pub type Summarizer = Box<dyn Fn(&Path) -> io::Result<Summary>>;

/// The variants, by how they read.
pub const READ: &[Row<SummarizeFn>] = &[
    Row {
        name: "read_all",
        role: Role::Baseline,
        complexity: "O(n); memory O(n)",
        idea: "the article's readlines(): every line in one Vec<String>, then the summary",
        max_param: None,
        f: streams::read_all,
    },
    Row {
        name: "lines",
        role: Role::Variant,
        complexity: "O(n); memory O(1)",
        idea: "the article's generator, BufRead::lines(): one line at a time, a fresh String each",
        max_param: None,
        f: streams::lines,
    },
    Row {
        name: "read_line",
        role: Role::Variant,
        complexity: "O(n); memory O(1)",
        idea: "read_line into one String, cleared and reused for every line",
        max_param: None,
        f: streams::read_line,
    },
    Row {
        name: "pipeline",
        role: Role::Variant,
        complexity: "O(n); memory O(1)",
        idea: "the generator pipeline as iterator adapters over lines borrowed from a 64 KiB buffer",
        max_param: None,
        f: streams::pipeline,
    },
    Row {
        name: "memchr_blocks",
        role: Role::Optimized,
        complexity: "O(n); memory O(1)",
        idea: "the same buffer; newlines by memchr, UTF-8 checked once per block",
        max_param: None,
        f: streams::memchr_blocks,
    },
    Row {
        name: "mmap",
        role: Role::Peer,
        complexity: "O(n); resident O(n)",
        idea: "memmap2: the file mapped, no read copies; its pages count as resident",
        max_param: None,
        f: streams::mmap,
    },
    Row {
        name: "tokio_lines",
        role: Role::Variant,
        complexity: "O(n); memory O(1)",
        idea: "the async generator: tokio's BufReader::lines, each read on a blocking thread",
        max_param: None,
        f: streams::tokio_lines,
    },
];

/// The floor: read every byte through the buffer and count the lines,
/// the rest of the summary given (made before the clock starts).
pub const LIMIT: Row<fn(&Path, &Summary) -> io::Result<Summary>> = Row {
    name: "newlines_limit",
    role: Role::Limit,
    complexity: "O(n); memory O(1)",
    idea: "read through one 64 KiB buffer and count newlines with memchr, nothing else",
    max_param: None,
    f: streams::newlines_limit,
};

/// The shape of every `send` variant: process each deployment, give the
/// count and the bytes of the names.
pub type SendFn = fn(&[Deployment]) -> (u64, u64);

/// The ways to hand a generator its values one at a time.
pub const SEND: &[Row<SendFn>] = &[
    Row {
        name: "thread_rendezvous",
        role: Role::Baseline,
        complexity: "O(n)",
        idea: "the generator as its own thread: each value handed over a rendezvous channel, one wait per value",
        max_param: None,
        f: send::thread_rendezvous,
    },
    Row {
        name: "thread_buffered",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "the same thread with room for 1,024 values: the threads meet once per batch",
        max_param: None,
        f: send::thread_buffered,
    },
    Row {
        name: "state_machine",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "what a generator compiles to: its state in a struct, send a method call",
        max_param: None,
        f: send::state_machine,
    },
    Row {
        name: "closure",
        role: Role::Peer,
        complexity: "O(n)",
        idea: "the state captured by a closure, called per value",
        max_param: None,
        f: send::closure,
    },
];

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "read_all",
    allocations: Some((64, "one call")),
    layout: None,
    peak_heap: Some((256 * 1024, "one call")),
    build_bytes: None,
    statements: None,
    speed: Speed::FasterThan {
        times: 2.0,
        baseline: "read_all",
        at: "at 16 MiB",
    },
};

/// One MiB: the unit of the size parameter.
pub const MIB: u64 = 1 << 20;

/// The log files alive in this process, by size in bytes.
static LOGS: Mutex<Option<HashMap<u64, Weak<LogFile>>>> = Mutex::new(None);

/// The files of single cases ([`LogFile::with_content`]) alive in this
/// process.
static CASES: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// A log file of the lesson's log, written for a run and removed when
/// dropped.
#[derive(Debug)]
pub struct LogFile {
    path: PathBuf,
}

impl LogFile {
    /// The log of at most `bytes` bytes (whole lines), written once per
    /// process and shared while anything holds it.
    pub fn shared(bytes: u64) -> io::Result<Arc<LogFile>> {
        let mut logs = LOGS.lock().unwrap_or_else(|e| e.into_inner());
        let logs = logs.get_or_insert_with(HashMap::new);
        if let Some(log) = logs.get(&bytes).and_then(Weak::upgrade) {
            return Ok(log);
        }
        let dir = log_dir();
        std::fs::create_dir_all(&dir)?;
        let log = Arc::new(LogFile {
            path: dir.join(format!("{}-{bytes}.log", std::process::id())),
        });
        // Registered before it is written, so that Ctrl-C during the write
        // removes what was written; a failed write drops it, which removes
        // it too.
        logs.insert(bytes, Arc::downgrade(&log));
        streams::log::write_log(&log.path, bytes)?;
        Ok(log)
    }

    /// A file of its own holding exactly `content` (a test's or the
    /// judge's input), removed when dropped.
    pub fn with_content(content: &[u8]) -> io::Result<LogFile> {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let dir = log_dir();
        std::fs::create_dir_all(&dir)?;
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let log = LogFile {
            path: dir.join(format!("{}-case-{n}.log", std::process::id())),
        };
        CASES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(log.path.clone());
        std::fs::write(&log.path, content)?;
        Ok(log)
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for LogFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
        CASES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|p| *p != self.path);
    }
}

/// The directory the logs are written to: `target/streams-logs/` in the
/// workspace.
pub fn log_dir() -> PathBuf {
    super::root().join("target").join("streams-logs")
}

/// Remove every log file this process wrote and still holds: the Ctrl-C
/// handler and the judge's watchdog call this before the process exits,
/// which runs no destructor.
pub fn remove_logs() {
    let logs = LOGS.lock().unwrap_or_else(|e| e.into_inner());
    for log in logs
        .iter()
        .flat_map(|m| m.values())
        .filter_map(Weak::upgrade)
    {
        let _ = std::fs::remove_file(log.path());
    }
    for path in CASES.lock().unwrap_or_else(|e| e.into_inner()).iter() {
        let _ = std::fs::remove_file(path);
    }
}

/// A case cannot return an error: a read of the run's own file that fails
/// stops the run with the error's message.
fn or_stop<T>(what: &str, result: io::Result<T>) -> T {
    result.unwrap_or_else(|e| panic!("{what}: {e}"))
}

/// One variant on one shared file; with `memory`, its metrics add the
/// peak resident memory of a fresh process that makes the same call.
struct FileCase {
    log: Arc<LogFile>,
    f: Summarizer,
    name: &'static str,
    memory: bool,
    /// The lines its answer counted, for the per-line figures.
    lines: Option<u64>,
}

impl Case for FileCase {
    fn run(&mut self) {
        drop(black_box(or_stop(
            self.name,
            (self.f)(black_box(self.log.path())),
        )));
    }

    fn answer(&mut self) -> u64 {
        let summary = or_stop(self.name, (self.f)(self.log.path()));
        self.lines = Some(summary.lines);
        digest(&summary)
    }

    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        // The file's lines: what a per-line figure divides by.
        let mut figures: Vec<_> = self
            .lines
            .map(|n| ("lines", n as f64))
            .into_iter()
            .collect();
        if !self.memory {
            return figures;
        }
        match peak_in_child(self.name, self.log.path()) {
            Ok(Some(bytes)) => figures.push(("peak_rss_bytes", bytes as f64)),
            Ok(None) => {}
            Err(why) => eprintln!("note: {}: peak memory not measured: {why}", self.name),
        }
        figures
    }
}

/// The case of `f` on the file `log`; `memory` adds the peak resident
/// memory of a fresh process to its metrics.
pub fn file_case(
    name: &'static str,
    f: Summarizer,
    log: Arc<LogFile>,
    memory: bool,
) -> Box<dyn Case> {
    Box::new(FileCase {
        log,
        f,
        name,
        memory,
        lines: None,
    })
}

/// The shared log of `mib` MiB.
pub fn log_of(mib: u64) -> Arc<LogFile> {
    or_stop("writing the log", LogFile::shared(mib * MIB))
}

/// The hidden subcommand that measures a variant's peak resident memory
/// in a fresh process.
pub const PEAK_SUBCOMMAND: &str = "__peak";

/// In the child: run `variant` once on the file at `path`, and give this
/// process's peak resident memory, or `None` where the OS does not say.
pub fn peak_here(variant: &str, path: &Path) -> Result<Option<u64>, String> {
    if variant == LIMIT.name {
        // The summary it is given is not what is measured: an empty one.
        (LIMIT.f)(path, &Summary::default()).map_err(|e| e.to_string())?;
    } else {
        let row = READ
            .iter()
            .find(|r| r.name == variant)
            .ok_or_else(|| format!("no streams variant '{variant}'"))?;
        (row.f)(path).map_err(|e| e.to_string())?;
    }
    Ok(streams::peak_resident_bytes())
}

/// In the parent: run `workbench __peak <variant> <path>` and read the
/// peak it prints (bytes, or `-` where the OS does not say).
fn peak_in_child(variant: &str, path: &Path) -> Result<Option<u64>, String> {
    let exe = super::concurrency::worker_exe()?;
    let args = [PEAK_SUBCOMMAND.as_ref(), variant.as_ref(), path.as_os_str()];
    crate::child::number_from(&exe, &args, std::time::Duration::from_secs(120))
}

/// The variants, on the log of the parameter's size, each measuring its
/// peak resident memory in a fresh process too.
fn variants() -> Vec<super::Variant> {
    let memory = true;
    let mut all: Vec<_> = READ.iter().map(|row| read_variant(row, memory)).collect();
    all.push(LIMIT.variant(move |f, mib| {
        let log = log_of(mib);
        let known = or_stop("summarizing the log", streams::memchr_blocks(log.path()));
        file_case(
            LIMIT.name,
            Box::new(move |path| f(path, &known)),
            log,
            memory,
        )
    }));
    all
}

/// How big a log may be asked for, and why.
const MAX_MIB: Bound = Bound {
    value: 4_096,
    why: "the log is written to disk under target/ and read_all holds every line as a String, about 1.6 times the file: past 4,096 MiB a run needs over 6 GiB of memory and 4 GiB of disk",
};

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "streams",
        title: "Reading a large log: all at once vs one line at a time",
        article: "7.3 Generators and Iterators; 7.4 async generators; 7.7 memory",
        questions: vec![
            Question {
                name: "read",
                about: "summarize a log file of this size (errors per service, top 10 error messages), page cache warm; and the peak resident memory of a fresh process that does it once",
                concurrent: false,
                threaded: &["tokio_lines"],
                plot: Plot::Metric("peak_rss_bytes", "peak resident memory of a fresh process"),
                gate: Some(Gate {
                    at: 1,
                    min_ratio: 2.0,
                    apart: &[(
                        "mmap",
                        "a map keeps every page it touched resident, so its memory grows with the file, and a file truncated under it kills the process (SIGBUS): it does not keep the streaming contract",
                    )],
                    flat_from: None,
                }),
                param: Param {
                    name: "mib",
                    unit: "bytes",
                    default: 16,
                    sweep: &[4, 16, 64, 256, 1_024],
                    throughput: |mib| mib * MIB,
                    max: MAX_MIB,
                },
                variants: variants(),
            },
            Question {
                name: "send",
                about: "hand n deployments to a processor one at a time, the article's generator send()",
                concurrent: true,
                threaded: &[],
                plot: Plot::Time,
                gate: None,
                param: Param {
                    name: "n",
                    unit: "deployments",
                    default: 10_000,
                    sweep: &[1_000, 10_000, 100_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 1_000_000,
                        why: "thread_rendezvous waits for the other thread once per deployment, some microseconds each: past 1,000,000 one call takes seconds, and a run makes dozens",
                    },
                },
                variants: SEND
                    .iter()
                    .map(|row| {
                        row.variant(|f, n| {
                            case(
                                send::deployments(n as usize),
                                move |d| {
                                    black_box(f(d));
                                },
                                move |d| digest(&f(d)),
                            )
                        })
                    })
                    .collect(),
            },
        ],
        exercise: Exercise {
            function: "summarize",
            budget: BUDGET,
            yours,
            works_as_shipped: false,
        },
    }
}

/// Lines as the generator writes them, and the ways a real log goes
/// wrong: invalid bytes, missing fields, empty fields, stray `\r`.
fn line_strategy() -> impl Strategy<Value = Vec<u8>> {
    let level = prop_oneof![
        Just("ERROR"),
        Just("INFO"),
        Just("WARN"),
        Just(""),
        Just("ERR")
    ];
    let good = (level, "[a-z]{0,3}", "[a-zé用\r ]{0,6}")
        .prop_map(|(l, s, m)| format!("t {l} {s} {m}").into_bytes());
    let raw = prop::collection::vec(any::<u8>(), 0..12);
    prop_oneof![4 => good, 1 => raw]
}

/// Whole logs: lines ending in `\n` or `\r\n`, and a last line with or
/// without an ending.
pub fn log_strategy() -> impl Strategy<Value = Vec<u8>> {
    let ending = prop_oneof![Just(&b"\n"[..]), Just(&b"\r\n"[..])];
    (
        prop::collection::vec((line_strategy(), ending), 0..40),
        prop::option::of(line_strategy()),
    )
        .prop_map(|(lines, last)| {
            let mut content = Vec::new();
            for (line, ending) in &lines {
                content.extend_from_slice(line);
                content.extend_from_slice(ending);
            }
            content.extend(last.unwrap_or_default());
            content
        })
}

/// The logs the contract names, each with what it is: CRLF, no final
/// newline, invalid UTF-8, a line longer than any buffer, blank lines, an
/// empty file.
pub fn contract_cases() -> Vec<(&'static str, Vec<u8>)> {
    let long = format!("t ERROR api {}\n", "x".repeat(200_000)).into_bytes();
    vec![
        ("an empty file", Vec::new()),
        (
            "CRLF line endings",
            b"t ERROR api a\r\nt ERROR api a\r\nt INFO api b\r\n".to_vec(),
        ),
        (
            "no newline after the last line",
            b"t ERROR api a\nt ERROR api b".to_vec(),
        ),
        (
            "lines that are not UTF-8",
            b"t ERROR api a\n\xff\xfe ERROR api b\nt INFO api \xc3\nt ERROR api a\n".to_vec(),
        ),
        ("a line of 200,000 bytes, longer than a 64 KiB buffer", long),
        ("blank lines", b"\n\r\n\nt ERROR api a\n".to_vec()),
        ("a lone CR inside a line", b"t ERROR api a\rb\n".to_vec()),
        (
            "a last line that ends in a CR and no newline",
            b"t ERROR api a\nt ERROR api a\r".to_vec(),
        ),
    ]
}

/// A `read` row as a variant: the log of the parameter's size; with
/// `memory`, its peak resident memory in a fresh process too.
fn read_variant(row: &Row<SummarizeFn>, memory: bool) -> super::Variant {
    let name = row.name;
    row.variant(move |f, mib| file_case(name, Box::new(f), log_of(mib), memory))
}

/// The learner's `summarize`, as a row of `read` (its memory in a fresh
/// process is the judge's to measure).
fn yours() -> (&'static str, super::Variant) {
    let f: SummarizeFn = streams_exercise::summarize;
    ("read", read_variant(&super::yours_row(f), false))
}
