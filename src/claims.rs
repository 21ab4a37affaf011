//! "Claims and measurements": every figure the article states, beside what
//! CPython measured here and what Rust measured, read from the results
//! files `report` writes (`<lesson>.json`, `<lesson>.python.json`).

use std::path::Path;

use serde_json::Value;

/// How to read one figure out of a results file.
#[derive(Clone, Copy, Debug)]
pub enum Figure {
    /// `slow`'s median over `fast`'s at one parameter value: "N x faster".
    Ratio {
        /// The slower variant.
        slow: &'static str,
        /// The faster variant.
        fast: &'static str,
        /// The parameter value both ran at.
        value: u64,
    },
    /// One numeric field (or metric) of one variant's row.
    Field {
        /// The variant.
        variant: &'static str,
        /// The field or metric name.
        key: &'static str,
        /// The parameter value.
        value: u64,
        /// How to print it, e.g. `{} lost updates`.
        unit: &'static str,
    },
    /// `1 - after/before` of one field, as a percentage saved.
    Saving {
        /// The field compared.
        key: &'static str,
        /// The larger variant.
        before: &'static str,
        /// The smaller variant.
        after: &'static str,
        /// The parameter value.
        value: u64,
    },
    /// Not measured (yet); says why.
    Missing(&'static str),
}

/// One claim of the article.
pub struct Claim {
    /// Article section.
    pub section: &'static str,
    /// What the claim is about.
    pub topic: &'static str,
    /// The article's figure, quoted.
    pub article: &'static str,
    /// The stem of the results files that hold the figures
    /// (`<stem>.json`, `<stem>.python.json`): a lesson's name, or a
    /// measurement of [`EXTRA_PYTHON`].
    pub results: &'static str,
    /// The book chapter that discusses it, if any.
    pub chapter: Option<&'static str>,
    /// The figure in `<lesson>.python.json`.
    pub python: Figure,
    /// The figure in `<lesson>.json`.
    pub rust: Figure,
    /// One sentence on the difference.
    pub why: &'static str,
}

/// Python measurements of claims no lesson covers yet: results stem and
/// script. `report --python` runs them beside the lessons' scripts.
pub const EXTRA_PYTHON: &[(&str, &str)] = &[];

/// The article's claims, in the article's order.
pub fn claims() -> Vec<Claim> {
    vec![
        Claim {
            section: "7.1",
            topic: "A decorator around a call: what `@timer` adds",
            article: "\"deploy_application took 2.0012 seconds\"",
            results: "wrappers",
            chapter: Some("wrappers"),
            python: Figure::Field {
                variant: "timer",
                key: "per_call_ns",
                value: 1,
                unit: "{} per call with the timer and its print, sleep removed",
            },
            rust: Figure::Ratio {
                slow: "boxed_kwargs",
                fast: "generic",
                value: 8,
            },
            why: "The 1.2 ms past the two seconds is time.sleep waking late, not the decorator, whose cost per call is shown. Rust's column sets 8 layers of the article's skeleton, a dict of keyword arguments per layer per call, beside 8 generic layers, which execute exactly the instructions of none (the wrappers chapter).",
        },
        Claim {
            section: "7.1",
            topic: "The article's rate limiter, a list rebuilt on every call, at k = 10,000 calls per period",
            article: "\"Rate limiter using token bucket algorithm\"; \"rate limited to 5/minute\"",
            results: "wrappers",
            chapter: Some("wrappers"),
            python: Figure::Field {
                variant: "RateLimiter",
                key: "median_ns",
                value: 10_000,
                unit: "{} per 256 calls",
            },
            rust: Figure::Ratio {
                slow: "sliding_log",
                fast: "gcra",
                value: 10_000,
            },
            why: "It is not a token bucket: it keeps a sliding log of admitted times and filters the whole list on every call, so a call costs O(k), and it refuses a burst a token bucket would allow. At 5 calls a minute that is nothing; at 10,000 it is the whole cost. GCRA decides in O(1) with one number, shared by threads in one atomic.",
        },
        Claim {
            section: "7.1",
            topic: "Retrying a deployment that fails 70% of the time, three attempts",
            article: "\"70% chance of failure\" with \"@retry(max_attempts=3, delay=2.0)\"",
            results: "wrappers",
            chapter: Some("wrappers"),
            python: Figure::Field {
                variant: "deploy_to_kubernetes",
                key: "still_failing_rate",
                value: 3,
                unit: "{} of 100,000 calls still fail after three attempts",
            },
            rust: Figure::Missing(
                "the Rust lesson's clients retry until the service is up; its question is the storm they make, below",
            ),
            why: "Three attempts at 70% failure leave 0.7 cubed, a third of the deployments, failed: retries do not fix a failure rate, they only hide the brief ones.",
        },
        Claim {
            section: "7.1",
            topic: "A fixed retry delay: 100 clients that failed together retry together (outage of 5 s)",
            article: "\"Retrying in {delay}s...\" (no figure)",
            results: "wrappers",
            chapter: Some("wrappers"),
            python: Figure::Missing(
                "the storm is measured in tokio's virtual time only; CPython's asyncio would show the same lockstep",
            ),
            rust: Figure::Saving {
                key: "retry_peak",
                before: "fixed",
                after: "full_jitter",
                value: 5,
            },
            why: "With a fixed delay every client that failed at the same moment retries at the same moment, each time: the service sees all of them in one window, again and again. Full jitter spreads them over the backoff interval, so the peak of retries falls by the share shown.",
        },
        Claim {
            section: "7.1",
            topic: "The caching decorator: `get_deployment_config`, 100 calls over 4 environments",
            article: "\"Takes 1 second\" then \"Instant!\"",
            results: "memo",
            chapter: Some("memo"),
            python: Figure::Field {
                variant: "get_deployment_config",
                key: "ratio_vs_baseline",
                value: 100,
                unit: "{} times the uncached calls' speed",
            },
            rust: Figure::Ratio {
                slow: "config_uncached",
                fast: "config_lru",
                value: 100,
            },
            why: "True when calls repeat: a hit costs a hash and a compare, a miss the whole lookup. The gain is the share of hits times the lookup's cost, here 96 hits in 100 calls.",
        },
        Claim {
            section: "7.2",
            topic: "`DatabaseTransaction`: 1,000 inserts in one transaction vs a commit each, SQLite on disk",
            article: "\"If any error occurs, both statements are rolled back\"; \"Transaction automatically committed\"",
            results: "resources",
            chapter: Some("resources"),
            python: Figure::Ratio {
                slow: "autocommit",
                fast: "DatabaseTransaction",
                value: 1_000,
            },
            rust: Figure::Ratio {
                slow: "autocommit",
                fast: "prepare_cached",
                value: 1_000,
            },
            why: "The article's claim is atomicity, and it holds: `lessons/resources/tests/` prove a panic, an error and a killed process each leave no row of an uncommitted batch. What it leaves unsaid is the cost of forgetting the transaction: in autocommit every row is a commit that waits for the disk, so the batch in one transaction is faster by this much in both languages (CPython's sqlite3 caches the prepared statement, as `prepare_cached` does).",
        },
        Claim {
            section: "7.2",
            topic: "`ConnectionPool`: 500 lookups through the pool vs a connection each, one thread",
            article: "\"Connection returned to pool\"; \"Resource management best practices\"",
            results: "resources",
            chapter: Some("resources"),
            python: Figure::Ratio {
                slow: "connect_per_request",
                fast: "ConnectionPool",
                value: 1,
            },
            rust: Figure::Ratio {
                slow: "connect_per_request",
                fast: "article_pool",
                value: 1,
            },
            why: "True, and the article gives no figure: opening a connection (the file, the schema read, the statement prepared again) costs many times the lookup itself. The article's pool is safe only under the GIL (a list shared with no lock) and fails when exhausted instead of waiting; the Rust translation puts the list behind a Mutex, and r2d2 waits (the resources chapter has both at 1 to 8 threads).",
        },
        Claim {
            section: "7.3",
            topic: "Reading a whole log into a list: memory against the file's size",
            article: "\"For 10GB log file, this loads 10GB into memory!\"",
            results: "streams",
            chapter: Some("streams"),
            python: Figure::Field {
                variant: "get_all_log_lines",
                key: "peak_rss_bytes",
                value: 64,
                unit: "{} peak resident for a 64 MiB log",
            },
            rust: Figure::Field {
                variant: "read_all",
                key: "peak_rss_bytes",
                value: 64,
                unit: "{} peak resident for a 64 MiB log",
            },
            why: "True, and worse than the article says: a list of lines holds every line as an object of its own, with its own header, so the process needs more than the file's size, in CPython more than in Rust. The measured exponent of peak memory against the file's size is close to 1 on both sides (the streams results page).",
        },
        Claim {
            section: "7.3",
            topic: "A generator: one line in memory at a time",
            article: "\"For 10GB log file, only one line in memory at a time!\"",
            results: "streams",
            chapter: Some("streams"),
            python: Figure::Field {
                variant: "get_log_lines",
                key: "peak_rss_bytes",
                value: 64,
                unit: "{} peak resident for a 64 MiB log",
            },
            rust: Figure::Field {
                variant: "memchr_blocks",
                key: "peak_rss_bytes",
                value: 64,
                unit: "{} peak resident for a 64 MiB log",
            },
            why: "True in effect: the file object reads through a buffer of its own, so a streaming reader holds a buffer and a line, not one line exactly, and its memory does not grow with the file (measured exponent near 0 on both sides). What remains is the interpreter (CPython) or the program (Rust) itself.",
        },
        Claim {
            section: "7.7",
            topic: "\"Use generators for large datasets\": memory saved on a 64 MiB log",
            article: "\"Memory efficient\" (no figure)",
            results: "streams",
            chapter: Some("streams"),
            python: Figure::Saving {
                key: "peak_rss_bytes",
                before: "get_all_log_lines",
                after: "get_log_lines",
                value: 64,
            },
            rust: Figure::Saving {
                key: "peak_rss_bytes",
                before: "read_all",
                after: "memchr_blocks",
                value: 64,
            },
            why: "The saving grows with the file: at 64 MiB most of the list's memory is gone, and at 10 GB nearly all of it. The generator is also faster in both languages, since it allocates nothing that outlives a line.",
        },
        Claim {
            section: "7.4",
            topic: "Ten deployments that each wait: sequential vs `asyncio.gather`",
            article: "\"Total time: 20.00s\" vs \"2.00s (all concurrent!)\": 10x",
            results: "concurrency",
            chapter: Some("concurrency"),
            python: Figure::Ratio {
                slow: "io_sequential",
                fast: "io_gather",
                value: 10,
            },
            rust: Figure::Ratio {
                slow: "sequential_blocking",
                fast: "tokio_join_all",
                value: 10,
            },
            why: "Both sides wait on a loopback server that answers after 10 ms, so waiting dominates and both languages approach the ideal 10x; what is left is each request's connection set-up, which CPython pays in interpreted code. The article's figure holds: for waiting, concurrency is the lever, not the language.",
        },
        Claim {
            section: "7.4",
            topic: "Ten downloads: sequential vs a pool of 10 threads",
            article: "\"~10 seconds\" vs \"~1 second\": 10x",
            results: "concurrency",
            chapter: Some("concurrency"),
            python: Figure::Ratio {
                slow: "io_sequential",
                fast: "io_thread_pool",
                value: 10,
            },
            rust: Figure::Ratio {
                slow: "sequential_blocking",
                fast: "thread_pool",
                value: 10,
            },
            why: "Threads that wait release CPython's GIL, so for I/O a thread pool works in Python as well as in Rust; the ratio is bounded by the number of requests that can wait at once.",
        },
        Claim {
            section: "7.5, 7.7",
            topic: "CPU-bound work in parallel processes: 10 jobs",
            article: "\"4x speedup on 4 cores!\" (and logs: \"100 seconds\" vs \"25 seconds (4 cores)\")",
            results: "concurrency",
            chapter: Some("concurrency"),
            python: Figure::Ratio {
                slow: "cpu_sequential",
                fast: "cpu_processes",
                value: 10,
            },
            rust: Figure::Ratio {
                slow: "sequential",
                fast: "processes",
                value: 10,
            },
            why: "This machine has 2 cores, so 2x is the ceiling on either side; the article's 4x needs 4 idle cores and jobs long enough to pay for starting the processes. In Rust, threads (`std_threads`, `rayon` in the lesson) reach the same speedup without processes, since there is no GIL to escape.",
        },
        Claim {
            section: "7.5",
            topic: "The unsafe counter: threads incrementing without a lock",
            article: "\"Not 10000! (race condition)\"",
            results: "counters",
            chapter: Some("counters"),
            python: Figure::Field {
                variant: "UnsafeCounter",
                key: "lost_updates_worst_round",
                value: 8,
                unit: "{} updates lost (worst round, 8 threads, 1,000,000 increments)",
            },
            rust: Figure::Field {
                variant: "racy_load_store",
                key: "lost_updates",
                value: 8,
                unit: "{} updates lost per 1,000,000 (mean per call, 8 threads)",
            },
            why: "Under CPython 3.11's GIL a thread is switched out only every 5 ms and the three-step increment is a few bytecodes, so the article's race is real in principle and rarely shows in practice. Rust threads run in parallel on both cores, and the same read-add-write loses a large share of the updates.",
        },
        Claim {
            section: "7.7",
            topic: "Duplicate search, O(n²) vs O(n), 10,000 deployments",
            article: "\"5000x faster!\"",
            results: "duplicates",
            chapter: Some("duplicates"),
            python: Figure::Ratio {
                slow: "find_duplicates_slow",
                fast: "find_duplicates_fast",
                value: 10_000,
            },
            rust: Figure::Ratio {
                slow: "naive_pairs",
                fast: "hashed",
                value: 10_000,
            },
            why: "The order of magnitude holds in both languages: the algorithm is the lever. But the article's slow version returns 45,000 entries and its fast one 9,000: it times two functions that do not compute the same thing (the Rust variants all return the same 9,000).",
        },
        Claim {
            section: "7.6",
            topic: "`LazyProperty`: a value computed on the first read, 100,000 reads",
            article: "\"First access - computes value\" \"(1 second delay)\"; \"Second access - uses cached value\" \"instant!\"",
            results: "objects",
            chapter: Some("objects"),
            python: Figure::Ratio {
                slow: "plain_property",
                fast: "LazyProperty",
                value: 100_000,
            },
            rust: Figure::Ratio {
                slow: "recompute",
                fast: "once_lock",
                value: 100_000,
            },
            why: "True, and the saving is whatever the computation costs: the article's one second is a sleep. Here the computation is the URL's f-string, so caching saves a string format per read. After the first read Python finds the value in the instance's dict and never calls the descriptor again; Rust's OnceLock is one load.",
        },
        Claim {
            section: "7.7",
            topic: "`__slots__`, memory of 100,000 deployment objects",
            article: "\"57% memory savings!\" (112 vs 48 bytes)",
            results: "objects",
            chapter: Some("objects"),
            python: Figure::Saving {
                key: "bytes",
                before: "DeploymentNoSlots",
                after: "DeploymentWithSlots",
                value: 100_000,
            },
            rust: Figure::Saving {
                key: "bytes_per_object",
                before: "dict_objects",
                after: "structs",
                value: 100_000,
            },
            why: "CPython's column counts what the article's instances allocate (tracemalloc, in `lessons/objects/python/reference.py`): CPython 3.11 keeps a plain instance's attributes inline until its `__dict__` is asked for, so the gap is smaller than the article's 112 vs 48 bytes, which compared `getsizeof` of a dict with that of another object. Rust's column sets the lesson's four-field deployments as materialized dicts (a hash table each, larger than CPython's inline values) beside structs, each with its own name and version: a struct has no per-instance dict at all, and columns save more again (the objects chapter, which also shows CPython's bytes per object for the same deployments).",
        },
        Claim {
            section: "7.7",
            topic: "Building a log: `+=` in a loop vs `join`, 10,000 entries",
            article: "\"500x faster!\"",
            results: "strings",
            chapter: Some("strings"),
            python: Figure::Ratio {
                slow: "build_log_bad",
                fast: "build_log_good",
                value: 10_000,
            },
            rust: Figure::Ratio {
                slow: "plus_equals",
                fast: "join",
                value: 10_000,
            },
            why: "CPython resizes a string in place when nothing else refers to it, so the article's `+=` loop is linear and only an order of magnitude slower than `join`; the 500x appears when the log is shared (an attribute: `build_log_shared` in the script's output). Rust's `+=` on a `String` always appends in place: what is left is a temporary string per entry. A loop that really copies the whole log each time is `format_concat` in the lesson.",
        },
        Claim {
            section: "7.7",
            topic: "Fibonacci(30): plain recursion vs a memoized one",
            article: "\"3000x faster!\"",
            results: "memo",
            chapter: Some("memo"),
            python: Figure::Ratio {
                slow: "fibonacci_slow_first_call",
                fast: "fibonacci_fast_first_call",
                value: 30,
            },
            rust: Figure::Ratio {
                slow: "recursive",
                fast: "memo_hashmap",
                value: 30,
            },
            why: "Timed the article's way, one first call of each, CPython agrees with the article. The ratio is the exponential call tree against 31 cache misses, so it grows with n in both languages; the medians of repeated calls with the cache cleared in between (the script's `fibonacci_slow` and `fibonacci_fast` rows) give a larger figure still.",
        },
        Claim {
            section: "7.7",
            topic: "Finding the hot spot: the profiled log summarizer (a queue taken with `pop(0)`, a lowercased copy of every line), 50,000 lines",
            article: "\"Profile function execution\" with `cProfile` (no figure)",
            results: "profiling",
            chapter: Some("profiling"),
            python: Figure::Ratio {
                slow: "pop0_lower",
                fast: "fast",
                value: 50_000,
            },
            rust: Figure::Ratio {
                slow: "slow",
                fast: "fast",
                value: 50_000,
            },
            why: "Both profilers point at the same two lines: cProfile's table puts `list.pop` on top, the flame graph `memmove` under `Vec::remove`. Fixed, the queue's n²/2 moves go in both languages; Rust gains more from the second fix, since a `String` per line is most of what is left, where CPython's interpreter loop is most of what is left.",
        },
        Claim {
            section: "7.7",
            topic: "Cython for compute-intensive code: the article's `deployment_cost` over 1,000,000 deployments",
            article: "\"10-100x speedup for compute-intensive operations\"",
            results: "profiling",
            chapter: Some("profiling"),
            python: Figure::Ratio {
                slow: "calculate_deployment_cost_python",
                fast: "numpy",
                value: 1_000_000,
            },
            rust: Figure::Ratio {
                slow: "dicts",
                fast: "iterators",
                value: 1_000_000,
            },
            why: "Cython is not built here (it needs a C compiler and a build step); CPython's column is NumPy, the compiled loop a Python program reaches for, and Rust's is the article's dicts compiled against columns of `f64`. The article's Cython keeps `cdef dict dep`, so it still looks every field up by name: compiled, that is Rust's `dicts` row, and the layout, not the compiler, gives the rest. Its `cdef float total` sums in 32 bits: the profiling chapter shows how far that drifts.",
        },
        Claim {
            section: "7.7",
            topic: "Taking the most urgent of 10,000 deployments until none is left: a list's `min` and `remove` vs a heap",
            article: "\"Need fast min/max? → heapq\"; its table gives a list \"O(n)\" for \"Min/Max\" and for \"Delete\"",
            results: "profiling",
            chapter: Some("profiling"),
            python: Figure::Ratio {
                slow: "list_min_remove",
                fast: "heapq",
                value: 10_000,
            },
            rust: Figure::Ratio {
                slow: "list_min_remove",
                fast: "binary_heap",
                value: 10_000,
            },
            why: "The table is right: a list pays O(n) per take, twice (the `min` scan and the `remove` shift), so draining is O(n²) and the ratio grows with n; `heapq` and `BinaryHeap` take in O(log n). A heap cannot delete an arbitrary entry; an ordered set (`BTreeSet`) can, in O(log n).",
        },
    ]
}

/// Evaluate a figure against a results file; `None` when absent.
pub fn evaluate(figure: Figure, results: Option<&Value>) -> Result<String, String> {
    let rows = results.and_then(|r| r["rows"].as_array());
    let field = |variant: &str, key: &str, value: u64| -> Option<f64> {
        let row = rows?
            .iter()
            .find(|r| r["variant"] == variant && r["value"].as_u64() == Some(value))?;
        row[key].as_f64().or_else(|| row["metrics"][key].as_f64())
    };
    let missing = |what: String| Err(format!("not measured: no {what} in the results"));
    match figure {
        Figure::Ratio { slow, fast, value } => {
            match (
                field(slow, "median_ns", value),
                field(fast, "median_ns", value),
            ) {
                (Some(s), Some(f)) if f > 0.0 => {
                    let time = format!("{} faster", crate::fmt::ratio(s / f));
                    // Where both rows were counted, the count that repeats
                    // on any load, beside the time.
                    Ok(
                        match (
                            field(slow, "instructions", value),
                            field(fast, "instructions", value),
                        ) {
                            (Some(s), Some(f)) if f > 0.0 => {
                                format!("{time}; {} fewer instructions", crate::fmt::ratio(s / f))
                            }
                            _ => time,
                        },
                    )
                }
                _ => missing(format!("{slow} / {fast} at {value}")),
            }
        }
        Figure::Field {
            variant,
            key,
            value,
            unit,
        } => match field(variant, key, value) {
            Some(x) => Ok(unit.replace("{}", &crate::output::metric(key, x))),
            None => missing(format!("{key} of {variant} at {value}")),
        },
        Figure::Saving {
            key,
            before,
            after,
            value,
        } => match (field(before, key, value), field(after, key, value)) {
            (Some(b), Some(a)) if b > 0.0 => Ok(format!("{:.0}% saved", 100.0 * (1.0 - a / b))),
            _ => missing(format!("{key} of {before} and {after} at {value}")),
        },
        Figure::Missing(why) => Err(why.to_owned()),
    }
}

/// Text for a table cell: a `|` would end the cell, so it is escaped.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

/// The claims page, from the results files in `dir`.
pub fn page(dir: &Path) -> String {
    let load = |name: String| {
        std::fs::read_to_string(dir.join(name))
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
    };
    let mut md = String::from(
        "<!-- Generated by `cargo run --release -- report --python`; edits are overwritten. -->\n\n\
         # Claims and measurements\n\n\
         Every figure the article states about speed or memory, beside what CPython measured \
         on the machine of these results (each lesson's `python/reference.py`, run by \
         `report --python`) and what the Rust lesson measured (`report`). Each lesson's \
         results page names the machine, compiler, date and commit.\n\n",
    );
    for claim in claims() {
        let python = load(format!("{}.python.json", claim.results));
        let rust = load(format!("{}.json", claim.results));
        let shown = |r: Result<String, String>| r.unwrap_or_else(|why| format!("*{why}*"));
        let interpreter = python
            .as_ref()
            .and_then(|p| p["python"].as_str())
            .unwrap_or("CPython");
        md.push_str(&format!(
            "## {} (section {})\n\n\
             | the article | {interpreter}, measured here | Rust, measured here |\n\
             | --- | --- | --- |\n\
             | {} | {} | {} |\n\n{}\n\n{}",
            claim.topic,
            claim.section,
            cell(claim.article),
            cell(&shown(evaluate(claim.python, python.as_ref()))),
            cell(&shown(evaluate(claim.rust, rust.as_ref()))),
            claim.why,
            claim
                .chapter
                .map_or(String::new(), |c| format!("Lesson: [{c}](../{c}.md).\n\n")),
        ));
    }
    md.push_str(&best_against_best(&load));
    md
}

/// The row with the smallest median, and that median.
fn fastest<'a>(candidates: impl Iterator<Item = &'a Value>) -> Option<(&'a Value, f64)> {
    candidates
        .filter_map(|r| Some((r, r["median_ns"].as_f64()?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// "Best against best": per lesson and question, CPython's fastest function
/// beside Rust's fastest correct variant, at each size both measured. The
/// claims above set literal translations side by side (same algorithm,
/// other language); this is what each language does at its best.
fn best_against_best(load: &dyn Fn(String) -> Option<Value>) -> String {
    let mut rows: Vec<Vec<String>> = Vec::new();
    for lesson in crate::catalog::lessons() {
        let (Some(python), Some(rust)) = (
            load(format!("{}.python.json", lesson.name)),
            load(format!("{}.json", lesson.name)),
        ) else {
            continue;
        };
        let empty = Vec::new();
        let rust_rows = rust["rows"].as_array().unwrap_or(&empty);
        let py_rows = python["rows"].as_array().unwrap_or(&empty);
        // A CPython function's question is its Rust twin's.
        let question_of = |py: &Value| -> Option<(String, u64)> {
            let twin = py["rust"].as_str()?;
            let value = py["value"].as_u64()?;
            let row = rust_rows
                .iter()
                .find(|r| r["variant"] == twin && r["value"].as_u64() == Some(value))?;
            Some((row["question"].as_str()?.to_owned(), value))
        };
        let points = crate::output::first_appearances(py_rows.iter().filter_map(question_of));
        for (question, value) in points {
            // A wrong answer and a floor that is given the answer are not
            // ways to do the job; nor is a row its question's gate keeps
            // apart for keeping another contract (WAL without a sync per
            // commit may lose the last ones on a power loss; a list sorted
            // once is right only while nothing is added), in either
            // language: a CPython row is apart when its Rust twin is.
            let apart: Vec<&str> = lesson
                .questions
                .iter()
                .filter(|q| q.name == question)
                .flat_map(|q| {
                    q.gate
                        .iter()
                        .flat_map(|g| g.apart.iter().map(|(name, _)| *name))
                })
                .collect();
            let py_best = fastest(
                py_rows
                    .iter()
                    .filter(|p| p["role"] != "flawed")
                    .filter(|p| !apart.iter().any(|name| p["rust"] == *name))
                    .filter(|p| question_of(p).as_ref() == Some(&(question.clone(), value))),
            );
            let rust_best = fastest(
                rust_rows
                    .iter()
                    .filter(|r| {
                        r["question"] == question.as_str() && r["value"].as_u64() == Some(value)
                    })
                    .filter(|r| r["role"] != "flawed" && r["role"] != "limit")
                    .filter(|r| !apart.iter().any(|name| r["variant"] == *name)),
            );
            let (Some((p, p_ns)), Some((r, r_ns))) = (py_best, rust_best) else {
                continue;
            };
            rows.push(vec![
                format!("{} / `{question}`", lesson.name),
                format!(
                    "{} = {}",
                    r["param"].as_str().unwrap_or("n"),
                    crate::fmt::count(value)
                ),
                format!(
                    "`{}` {}",
                    p["variant"].as_str().unwrap_or("?"),
                    crate::fmt::duration(p_ns)
                ),
                format!(
                    "`{}` {}",
                    r["variant"].as_str().unwrap_or("?"),
                    crate::fmt::duration(r_ns)
                ),
                crate::fmt::ratio(p_ns / r_ns),
            ]);
        }
    }
    if rows.is_empty() {
        return String::new();
    }
    format!(
        "## Best against best\n\n\
         The claims above set the article's code beside its line-for-line translation: the same \
         algorithm in another language. Here each language is at its best: CPython's fastest \
         function for a question (among the article's and the reference script's) beside Rust's \
         fastest correct variant (no flawed row, no floor that is given the answer), at the same \
         size, from the same results files.\n\n{}\n",
        crate::output::markdown(
            &[
                "lesson / question",
                "size",
                "CPython's fastest",
                "Rust's fastest",
                "Rust vs CPython"
            ],
            &[false, true, true, true, true],
            &rows
        )
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Figures are read from rows and their metrics; a missing row says so.
    #[test]
    fn figures_are_read_from_rows_and_metrics() {
        let results: Value = serde_json::json!({"rows": [
            {"variant": "slow", "value": 10, "median_ns": 500.0},
            {"variant": "fast", "value": 10, "median_ns": 5.0, "metrics": {"lost_updates": 12.0}},
        ]});
        let ratio = Figure::Ratio {
            slow: "slow",
            fast: "fast",
            value: 10,
        };
        assert_eq!(evaluate(ratio, Some(&results)), Ok("100x faster".into()));
        let lost = Figure::Field {
            variant: "fast",
            key: "lost_updates",
            value: 10,
            unit: "{} lost",
        };
        assert_eq!(evaluate(lost, Some(&results)), Ok("12 lost".into()));
        let saving = Figure::Saving {
            key: "median_ns",
            before: "slow",
            after: "fast",
            value: 10,
        };
        assert_eq!(evaluate(saving, Some(&results)), Ok("99% saved".into()));
        assert!(evaluate(ratio, None).is_err());
        let counted: Value = serde_json::json!({"rows": [
            {"variant": "slow", "value": 10, "median_ns": 500.0, "instructions": 4000},
            {"variant": "fast", "value": 10, "median_ns": 5.0, "instructions": 80},
        ]});
        assert_eq!(
            evaluate(ratio, Some(&counted)),
            Ok("100x faster; 50.0x fewer instructions".into())
        );
    }

    /// Best against best takes each side's fastest correct row at a size
    /// both measured: not a flawed row, not a floor given the answer.
    #[test]
    fn best_against_best_skips_wrong_answers_and_floors() {
        let load = |name: String| match name.as_str() {
            "duplicates.python.json" => Some(serde_json::json!({"rows": [
                {"variant": "slow_py", "rust": "naive_pairs", "value": 10, "median_ns": 9000.0},
                {"variant": "fast_py", "rust": "hashed", "value": 10, "median_ns": 300.0},
            ]})),
            "duplicates.json" => Some(serde_json::json!({"rows": [
                {"question": "duplicates", "variant": "naive_pairs", "role": "baseline", "param": "n", "value": 10, "median_ns": 800.0},
                {"question": "duplicates", "variant": "hashed", "role": "optimized", "param": "n", "value": 10, "median_ns": 30.0},
                {"question": "duplicates", "variant": "hash_once_limit", "role": "limit", "param": "n", "value": 10, "median_ns": 3.0},
            ]})),
            _ => None,
        };
        let page = best_against_best(&load);
        assert!(
            page.contains("| duplicates / `duplicates` | n = 10 | `fast_py` 300 ns | `hashed` 30.0 ns | 10.0x |"),
            "{page}"
        );
    }
}
