//! Catalog entry: `lessons/profiling`.
//!
//! The `builds` question's variants are programs: the kernel crate in
//! `lessons/profiling/kernel`, built once per build (cached under
//! `target/profiling-builds/`) and run as a child that answers one total
//! per request over a pipe. Its rows are timed like every other row (a
//! request is a few microseconds against milliseconds of loop), and
//! Callgrind counts them in the program itself ([`super::Variant::program`]).
//! Building four programs takes a minute the first time, so the tour
//! leaves the question out.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use profiling::api::{self, Pending, Summary};
use profiling::builds::Build;
use profiling::cost::{self, Columns};
use proptest::prelude::*;

use super::{
    Bound, Budget, Case, Exercise, Gate, Lesson, Param, Plot, Question, Role, Row, Speed, case,
    digest,
};

/// The shape of every summarizer (the exercise's too).
pub type SummarizeFn = fn(&str) -> Summary;

/// The summarizers.
pub const HOTSPOT: &[Row<SummarizeFn>] = &[
    Row {
        name: "slow",
        role: Role::Baseline,
        complexity: "O(n²): n/2 moves per line, and a String",
        idea: "as shipped: the lines wait in a Vec, taken with remove(0); every line lowercased into a new String",
        max_param: Some(50_000),
        f: profiling::slow,
    },
    Row {
        name: "fix_lowercase",
        role: Role::Variant,
        complexity: "O(n²): n/2 moves per line",
        idea: "the allocations fixed alone: the counted fields lowercased into buffers kept between lines",
        max_param: Some(50_000),
        f: profiling::fix_lowercase,
    },
    Row {
        name: "fix_queue",
        role: Role::Variant,
        complexity: "O(n): a String per line",
        idea: "the queue fixed alone: the lines wait in a VecDeque, taken with pop_front",
        max_param: None,
        f: profiling::fix_queue,
    },
    Row {
        name: "fast",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "both fixed: the lines taken as lines() yields them, no String per line",
        max_param: None,
        f: profiling::fast,
    },
];

/// A summarizer on the lesson's log of `n` lines.
fn summarize_case(f: SummarizeFn, n: u64) -> Box<dyn Case> {
    case(
        api::log(n),
        move |log| {
            black_box(f(log));
        },
        move |log| digest(&f(log)),
    )
}

/// The exercise's budget.
pub const BUDGET: Budget = Budget {
    agrees_with: "slow",
    allocations: Some((
        100,
        "1,000 lines of the log (a whole call's count over its lines)",
    )),
    layout: None,
    peak_heap: None,
    build_bytes: None,
    statements: None,
    speed: Speed::FasterThan {
        times: 10.0,
        baseline: "slow",
        at: "at n = 50,000 lines",
    },
};

/// The cost loops over columns.
pub type CostFn = fn(&Columns) -> f64;

/// The cost loop: the article's dicts, then columns.
pub fn cost_variants() -> Vec<super::Variant> {
    let dicts = Row {
        name: "dicts",
        role: Role::Baseline,
        complexity: "O(n), three hash lookups each",
        idea: "the article's loop: each field looked up by name in the deployment's dict",
        max_param: None,
        f: cost::dicts,
    };
    let mut variants = vec![dicts.variant(|f, n| {
        case(
            cost::to_dicts(&api::deployments(n)),
            move |d| {
                black_box(f(d));
            },
            move |d| digest(&f(d).to_bits()),
        )
    })];
    variants.extend(COLUMNS.iter().map(|row| {
        row.variant(|f, n| {
            case(
                Columns::new(&api::deployments(n)),
                move |c| {
                    black_box(f(c));
                },
                move |c| digest(&f(c).to_bits()),
            )
        })
    }));
    variants.push(
        Row {
            name: "f32_total",
            role: Role::Flawed,
            complexity: "O(n)",
            idea: "the article's Cython, cdef float total: every sum rounded to 32 bits",
            max_param: None,
            f: cost::f32_total as CostFn,
        }
        .variant(|f, n| Box::new(Drift(Columns::new(&api::deployments(n)), f))),
    );
    variants
}

/// The loops over columns that compute the exact total.
pub const COLUMNS: &[Row<CostFn>] = &[
    Row {
        name: "indexed",
        role: Role::Variant,
        complexity: "O(n), two bounds checks each",
        idea: "three columns of f64, indexed: c.hours[i] is checked against its length",
        max_param: None,
        f: cost::indexed,
    },
    Row {
        name: "iterators",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "the same columns zipped: no index, so nothing to check",
        max_param: None,
        f: cost::iterators,
    },
    Row {
        name: "unchecked",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "indexed with get_unchecked after one assert of the lengths (unsafe)",
        max_param: None,
        f: cost::unchecked,
    },
];

/// The `f32` total: a wrong answer, shown with how wrong.
struct Drift(Columns, CostFn);

impl Case for Drift {
    fn run(&mut self) {
        black_box((self.1)(black_box(&self.0)));
    }
    fn answer(&mut self) -> u64 {
        digest(&(self.1)(&self.0).to_bits())
    }
    fn metrics(&mut self) -> Vec<(&'static str, f64)> {
        let exact = cost::iterators(&self.0);
        vec![(
            "relative_error",
            cost::relative_error((self.1)(&self.0), exact),
        )]
    }
}

/// The builds of the kernel.
pub const BUILDS: &[Row<fn() -> Build>] = &[
    Row {
        name: "debug",
        role: Role::Baseline,
        complexity: "O(n), every iterator step a call",
        idea: "cargo build: opt-level 0, overflow checks, nothing inlined",
        max_param: None,
        f: profiling::debug,
    },
    Row {
        name: "release",
        role: Role::Optimized,
        complexity: "O(n)",
        idea: "cargo build --release: opt-level 3, the iterators inlined into one loop",
        max_param: None,
        f: profiling::release,
    },
    Row {
        name: "release_lto",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "release with lto = \"fat\" and codegen-units = 1",
        max_param: None,
        f: profiling::release_lto,
    },
    Row {
        name: "native",
        role: Role::Variant,
        complexity: "O(n)",
        idea: "release with -C target-cpu=native: this CPU's every instruction",
        max_param: None,
        f: profiling::native,
    },
];

/// Where the builds are cached: one target directory per row, so that
/// flags never make Cargo rebuild another row's program.
pub fn builds_dir() -> PathBuf {
    super::root().join("target/profiling-builds")
}

/// `cargo build`, quiet and offline, into `dir`, with exactly `rustflags`:
/// the flags of the build that runs this one must not leak into it.
fn cargo_build(dir: &std::path::Path, rustflags: &str) -> Command {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command
        .args(["build", "--quiet", "--offline", "--locked"])
        .env("CARGO_TARGET_DIR", dir)
        .env("RUSTFLAGS", rustflags)
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CARGO_BUILD_RUSTFLAGS")
        .env_remove("RUSTC_WRAPPER")
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    command
}

/// The kernel built as `build`, built now if it is not yet (Cargo decides:
/// a second call finds it fresh in well under a second). Progress goes to
/// standard error.
pub fn kernel(name: &str, build: Build) -> Result<PathBuf, String> {
    let dir = builds_dir().join(name);
    let manifest = super::root().join("lessons/profiling/kernel/Cargo.toml");
    let out = cargo_build(&dir, build.rustflags)
        .args(["--profile", build.profile, "--manifest-path"])
        .arg(&manifest)
        .stdout(Stdio::null())
        .output()
        .map_err(|e| format!("could not run cargo to build the {name} kernel: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        let first = said.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
        return Err(format!(
            "building the {name} kernel failed ({}): {first}",
            crate::child::describe(out.status)
        ));
    }
    let exe = dir.join(build.dir).join("profiling-kernel");
    if exe.is_file() {
        Ok(exe)
    } else {
        Err(format!("the {name} kernel is not at {}", exe.display()))
    }
}

/// A build of the kernel, running: one request, one total.
struct Served {
    child: Child,
    requests: ChildStdin,
    answers: BufReader<ChildStdout>,
    name: &'static str,
}

impl Served {
    fn start(name: &'static str, build: Build, n: u64) -> Result<Served, String> {
        let exe = kernel(name, build)?;
        let mut child = Command::new(&exe)
            .args(["serve", &n.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("could not start {}: {e}", exe.display()))?;
        let requests = child.stdin.take().expect("stdin is piped");
        let answers = BufReader::new(child.stdout.take().expect("stdout is piped"));
        let mut served = Served {
            child,
            requests,
            answers,
            name,
        };
        let mut ready = String::new();
        match served.answers.read_line(&mut ready) {
            Ok(_) if ready.trim() == "ready" => Ok(served),
            _ => Err(format!("the {name} kernel did not start")),
        }
    }

    /// One call: the total, as the child's `f64` bits.
    fn ask(&mut self) -> u64 {
        let mut line = String::new();
        let answered = writeln!(self.requests, "r")
            .and_then(|()| self.requests.flush())
            .and_then(|()| self.answers.read_line(&mut line));
        match (answered, line.trim().parse::<u64>()) {
            (Ok(_), Ok(bits)) => bits,
            _ => panic!("the {} kernel stopped answering", self.name),
        }
    }
}

impl Case for Served {
    fn run(&mut self) {
        black_box(self.ask());
    }
    fn answer(&mut self) -> u64 {
        digest(&self.ask())
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        // Its stdin closing ends it; kill in case it is stuck.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The kernel built as `build`, counting one call at `n` (`count N`),
/// for Callgrind to run.
pub fn counting_command(name: &str, build: Build, n: u64) -> Result<Command, String> {
    let mut command = Command::new(kernel(name, build)?);
    command.args(["count", &n.to_string()]);
    Ok(command)
}

/// The `builds` rows: each a program of its own.
fn build_variants() -> Vec<super::Variant> {
    BUILDS
        .iter()
        .map(|row| {
            let name = row.name;
            let mut v = row.variant(move |f, n| {
                Box::new(
                    Served::start(name, f(), n).unwrap_or_else(|e| panic!("profiling/builds: {e}")),
                )
            });
            let build = (row.f)();
            v.program = Some(Box::new(move |n| counting_command(name, build, n)));
            v
        })
        .collect()
}

/// A drain: the ids in the order taken.
pub type DrainFn = fn(&[Pending]) -> Vec<u32>;

/// The ways to take the most urgent deployment.
pub const DRAIN: &[Row<DrainFn>] = &[
    Row {
        name: "list_min_remove",
        role: Role::Baseline,
        complexity: "O(n²): O(n) per take",
        idea: "the article's list: min() scans what is left, remove() shifts what follows",
        max_param: Some(30_000),
        f: profiling::list_min_remove,
    },
    Row {
        name: "sort_once",
        role: Role::Variant,
        complexity: "O(n log n), then O(1) per take",
        idea: "sorted once, most urgent last, then pop(): only while nothing is added",
        max_param: None,
        f: profiling::sort_once,
    },
    Row {
        name: "binary_heap",
        role: Role::Optimized,
        complexity: "O(n) to build, O(log n) per take",
        idea: "heapq: BinaryHeap<Reverse<_>>, pushes and takes in O(log n)",
        max_param: None,
        f: profiling::binary_heap,
    },
    Row {
        name: "btree_set",
        role: Role::Variant,
        complexity: "O(log n) per take, insert and delete",
        idea: "an ordered set: pop_first, and any deployment deleted in O(log n)",
        max_param: None,
        f: profiling::btree_set,
    },
];

/// The catalog entry.
pub fn lesson() -> Lesson {
    Lesson {
        name: "profiling",
        title: "Profiling: finding the hot spot, what the compiler does, and the right structure",
        article: "7.7 Profiling and Benchmarking, Using Cython for Speed, data structures",
        questions: vec![
            Question {
                name: "hotspot",
                about: "summarize a log of n lines (lines per level, the top 10 error messages): the shipped summarizer, each hot spot fixed alone, both fixed",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 10_000,
                    min_ratio: 10.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "lines",
                    default: 20_000,
                    sweep: &[10_000, 20_000, 50_000, 100_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 5_000_000,
                        why: "a line of the log is about 80 bytes, and each summarizer holds it: past 5,000,000 lines the log alone is over 400 MB",
                    },
                },
                variants: HOTSPOT
                    .iter()
                    .map(|row| row.variant(summarize_case))
                    .collect(),
            },
            Question {
                name: "cost",
                about: "the article's deployment_cost over n deployments: dicts, then columns of f64 three ways, and the Cython's f32 total",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 100_000,
                    min_ratio: 10.0,
                    apart: &[],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "deployments",
                    default: 1_000_000,
                    sweep: &[1_000, 100_000, 1_000_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 4_000_000,
                        why: "a deployment as a dict holds about 250 bytes: past 4,000,000 the dicts alone need over 1 GB",
                    },
                },
                variants: cost_variants(),
            },
            Question {
                name: "builds",
                about: "the iterators loop over n deployments, one program built four ways (debug, release, release with LTO, target-cpu=native), each run as a child",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: None,
                param: Param {
                    name: "n",
                    unit: "deployments",
                    default: 1_000_000,
                    sweep: &[1_000_000, 4_000_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 50_000_000,
                        why: "the child holds 24 bytes per deployment: past 50,000,000 it needs over 1.2 GB",
                    },
                },
                variants: build_variants(),
            },
            Question {
                name: "drain",
                about: "take the most urgent of n pending deployments until none is left (ties by id)",
                concurrent: false,
                threaded: &[],
                plot: Plot::Time,
                gate: Some(Gate {
                    at: 10_000,
                    min_ratio: 10.0,
                    apart: &[(
                        "sort_once",
                        "it sorts once, so it is right only for a set that does not change while it is drained: a deployment added halfway would need the sort again",
                    )],
                    flat_from: None,
                }),
                param: Param {
                    name: "n",
                    unit: "deployments",
                    default: 10_000,
                    sweep: &[1_000, 3_000, 10_000, 30_000, 100_000],
                    throughput: |n| n,
                    max: Bound {
                        value: 10_000_000,
                        why: "past 10,000,000 deployments one drain of the ordered set takes seconds",
                    },
                },
                variants: DRAIN
                    .iter()
                    .map(|row| {
                        row.variant(|f, n| {
                            case(
                                api::pending(n),
                                move |p| {
                                    black_box(f(p));
                                },
                                move |p| digest(&f(p)),
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
            works_as_shipped: true,
        },
    }
}

/// The learner's `summarize`, as a row of `hotspot`.
fn yours() -> (&'static str, super::Variant) {
    let f: SummarizeFn = profiling_exercise::summarize;
    ("hotspot", super::yours_row(f).variant(summarize_case))
}

/// The logs the contract names, each with what it is.
pub fn contract_cases() -> Vec<(&'static str, String)> {
    let sigma = "t ERROR api ΟΔΟΣ ΣΤΑΣΗ\nt error api οδος στασΗ\n";
    vec![
        ("an empty log", String::new()),
        ("one line without a newline", "t ERROR api a".into()),
        (
            "levels in every case",
            "t ERROR api a\nt error api a\nt Error api A\nt eRRoR api b\nt INFO api a\n".into(),
        ),
        (
            "malformed and empty lines",
            "\n\nt\nt ERROR\nt ERROR api\nt ERROR api \nt  api x\n".into(),
        ),
        ("CRLF line endings", "t ERROR api a\r\nt WARN api b\r\n".into()),
        ("a final sigma (ς, not σ)", sigma.into()),
        (
            "letters beyond ASCII (Ü, the Kelvin sign, İ)",
            "t ERROR api Über\nt ERROR api über\nt ERROR api 300 \u{212A}\nt ERROR api 300 k\nt ERROR api İstanbul\nt ERROR api i\u{307}stanbul\n".into(),
        ),
        ("a level that is not ASCII", "t ÉRROR api a\nt érror api a\n".into()),
        (
            "many messages, ties broken by message",
            (0..40)
                .map(|i| format!("t ERROR api m{:02}\n", i % 13))
                .collect(),
        ),
    ]
}

/// Random logs: lines of the lesson's pieces and of any text, levels in
/// any case.
pub fn log_strategy() -> impl Strategy<Value = String> {
    let level = prop_oneof![
        Just("ERROR".to_owned()),
        Just("error".to_owned()),
        Just("Error".to_owned()),
        Just("INFO".to_owned()),
        "[a-zA-ZΣσΟÜİ]{0,6}",
    ];
    let message = prop_oneof![
        proptest::sample::select(api::MESSAGES.to_vec()).prop_map(str::to_owned),
        "[ a-zA-ZΣσςΟοÜüİK\u{212A}]{0,12}",
    ];
    let line = prop_oneof![
        4 => (level, message).prop_map(|(l, m)| format!("t {l} api {m}")),
        1 => "[ a-zA-ZΣ]{0,10}",
    ];
    (prop::collection::vec(line, 0..60), any::<bool>()).prop_map(|(lines, crlf)| {
        let ending = if crlf { "\r\n" } else { "\n" };
        lines.iter().map(|l| format!("{l}{ending}")).collect()
    })
}

/// The loops whose assembly the chapter shows: bounds checked, and not.
pub const ASSEMBLY: [&str; 2] = ["indexed", "iterators"];

/// The machine code `cargo build --release` makes of each of `functions`
/// of `profiling::cost` (Intel syntax on x86-64), as `(function, text)`:
/// the lesson crate built as the workbench's own release build builds it,
/// into `target/profiling-builds/asm/`, and its object code disassembled
/// by `objdump` (binutils), each call's target named from its relocation.
/// Not `--emit asm`: on rustc 1.95 that printed the indexed loop with its
/// bounds checks inside it, where the object code cargo links has them
/// hoisted out of the loop.
pub fn assembly(functions: &[&str]) -> Result<Vec<(String, String)>, String> {
    let dir = builds_dir().join("asm");
    let out = cargo_build(&dir, "")
        .args(["--release", "-p", "profiling", "--manifest-path"])
        .arg(super::root().join("Cargo.toml"))
        .output()
        .map_err(|e| format!("could not run cargo build: {e}"))?;
    if !out.status.success() {
        let said = String::from_utf8_lossy(&out.stderr);
        return Err(format!(
            "cargo build -p profiling failed: {}",
            said.lines().find(|l| !l.trim().is_empty()).unwrap_or("")
        ));
    }
    let rlib = dir.join("release/libprofiling.rlib");
    let mut objdump = Command::new("objdump");
    objdump.args(["-d", "-r", "-C", "--no-show-raw-insn"]);
    if cfg!(target_arch = "x86_64") {
        objdump.args(["-M", "intel"]);
    }
    let out = objdump
        .arg(&rlib)
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .map_err(|e| format!("could not run objdump (install binutils): {e}"))?;
    let text = String::from_utf8_lossy(&out.stdout);
    functions
        .iter()
        .map(|f| {
            function_lines(&text, &format!("<profiling::cost::{f}>:"))
                .map(|lines| ((*f).to_owned(), lines))
                .ok_or_else(|| format!("profiling::cost::{f} is not in {}", rlib.display()))
        })
        .collect()
}

/// The instructions of the function whose header is `header` in
/// objdump's output, up to the blank line after it: each as `offset:
/// instruction`, a relocation folded into the instruction it patches as
/// `; target` (the callee a `call` through the GOT reaches).
fn function_lines(objdump: &str, header: &str) -> Option<String> {
    let mut lines = objdump.lines();
    let head = lines.find(|l| l.ends_with(header))?;
    let name = head.split_once('<')?.1.trim_end_matches(">:");
    let mut out = format!("{name}:\n");
    for line in lines {
        if line.trim().is_empty() {
            break;
        }
        if let Some((_, target)) = line.trim().split_once("R_X86_64_") {
            // `GOTPCREL\tcore::panicking::panic_bounds_check-0x4`
            let target = target.split_whitespace().nth(1).unwrap_or("");
            let target = target.rsplit_once(['-', '+']).map_or(target, |(t, _)| t);
            if !target.starts_with(".data") && !target.starts_with(".L") {
                out.pop();
                out.push_str(&format!("    ; {target}\n"));
            }
            continue;
        }
        let Some((offset, instruction)) = line.split_once(":\t") else {
            continue;
        };
        // objdump's `# d0 <profiling::cost::indexed+0xd0>` after a
        // rip-relative operand says where it points before relocation:
        // noise here.
        let instruction = instruction.split(" # ").next().unwrap_or(instruction);
        let instruction = instruction.split("        #").next().unwrap_or(instruction);
        let instruction = instruction.replace(&format!("<{name}+"), "<+");
        out.push_str(&format!(
            "{:>4}:  {}\n",
            offset.trim(),
            instruction.split_whitespace().collect::<Vec<_>>().join(" ")
        ));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// objdump's lines become offsets and instructions, a call's
    /// relocation its target.
    #[test]
    fn objdump_output_reads_as_the_function() {
        let objdump = "\n0000000000000000 <profiling::cost::indexed>:\n   0:\tpush   rax\n  c9:\tlea    rdx,[rip+0x0]        # d0 <profiling::cost::indexed+0xd0>\n\t\t\tcc: R_X86_64_PC32\t.data.rel.ro..Lanon.1-0x4\n  d6:\tcall   QWORD PTR [rip+0x0]        # dc <profiling::cost::indexed+0xdc>\n\t\t\td8: R_X86_64_GOTPCREL\tcore::panicking::panic_bounds_check-0x4\n  f0:\tjne    4f <profiling::cost::indexed+0x4f>\n\n0000 <other>:\n";
        let got = function_lines(objdump, "<profiling::cost::indexed>:").unwrap();
        assert_eq!(
            got,
            "profiling::cost::indexed:\n   0:  push rax\n  c9:  lea rdx,[rip+0x0]\n  d6:  call QWORD PTR [rip+0x0]    ; core::panicking::panic_bounds_check\n  f0:  jne 4f <+0x4f>\n"
        );
    }
}
