//! `workbench`: the tour, `list`, `run`, `check`, `report` and `lint`.
//! This file parses the arguments and dispatches to `workbench::commands`;
//! nothing else (see ARCHITECTURE.md).

use std::process::ExitCode;
use std::time::Duration;

use clap::{Parser, Subcommand};

use workbench::catalog::concurrency::io::IDLE_SUBCOMMAND;
use workbench::catalog::streams::PEAK_SUBCOMMAND;
use workbench::catalog::{self, Lesson, OutOfRange, UnknownName};
use workbench::check::{self, JUDGE_SUBCOMMAND};
use workbench::{callgrind, commands, learner};

// The allocation columns and `check`'s budget stage read its counters;
// counting is off (one relaxed load per allocation) while timing.
#[global_allocator]
static ALLOC: workbench::alloc::CountingAlloc = workbench::alloc::CountingAlloc;

/// Naive and fast Rust side by side, proven equal, then measured.
///
/// With no command: the tour, every lesson at its default size.
#[derive(Parser)]
#[command(name = "workbench", version)]
struct Cli {
    #[command(subcommand)]
    command: Option<Cmd>,
}

#[derive(Subcommand)]
enum Cmd {
    /// List the lessons, their questions and variants.
    List,
    /// Measure one lesson over its sweep (or the values given).
    Run {
        /// Lesson name (see `list`).
        lesson: String,
        /// Only these variants (repeatable); the baseline always runs.
        #[arg(long = "variant", value_name = "NAME")]
        variants: Vec<String>,
        /// Parameter values instead of the sweep (repeatable), e.g. 10000.
        #[arg(long = "param", value_name = "N", value_parser = parse_param, allow_negative_numbers = true)]
        params: Vec<u64>,
        /// Print JSON for scripts instead of tables.
        #[arg(long)]
        json: bool,
        /// Also count each row's instructions per call under Callgrind
        /// (needs valgrind; one child process per row).
        #[arg(long)]
        instructions: bool,
        /// Add your exercise as one more row, `yours`, once it passes the
        /// judge's agreement stage; its plot goes under target/workbench-plots/.
        #[arg(long)]
        with_exercise: bool,
    },
    /// Judge your exercise for a lesson in stages.
    Check {
        /// Lesson name (see `list`).
        lesson: String,
        /// Judge the reference solution instead of your exercise.
        #[arg(long)]
        solution: bool,
        /// Stop the exercise after this many seconds.
        #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = parse_timeout)]
        timeout: u64,
        /// Print the verdict as JSON (schema: book/src/check-verdict.schema.json).
        #[arg(long)]
        json: bool,
        /// Reveal the next hint of the stage your last check stopped at.
        #[arg(long)]
        hint: bool,
        /// Show where the reference solution is, whatever the verdict.
        #[arg(long)]
        show_solution: bool,
        /// Judge again on every save of the exercise, until Ctrl-C.
        #[arg(long)]
        watch: bool,
    },
    /// Judge an exercise now and on every save (without a lesson: the
    /// first exercise not yet passed), until Ctrl-C.
    Watch {
        /// Lesson name (see `list`).
        lesson: Option<String>,
        /// Stop a check after this many seconds.
        #[arg(long, value_name = "SECS", default_value_t = 120, value_parser = parse_timeout)]
        timeout: u64,
    },
    /// Which exercises pass, fail or are not started, with your best ratios.
    Progress,
    /// Put a lesson's exercise back to its stub (your version is kept as a backup).
    Reset {
        /// Lesson name (see `list`).
        lesson: String,
        /// Do it without asking.
        #[arg(long)]
        yes: bool,
    },
    /// Measure lessons and write their results pages into book/src/results/.
    Report {
        /// Only these lessons (repeatable); all by default.
        #[arg(long = "lesson", value_name = "NAME")]
        lessons: Vec<String>,
        /// Also run each lesson's python/reference.py and add CPython's figures.
        #[arg(long)]
        python: bool,
        /// Also count each row's instructions per call under Callgrind
        /// (needs valgrind; minutes per lesson).
        #[arg(long)]
        instructions: bool,
        /// Measure even with uncommitted changes (the pages then name a
        /// `-dirty` commit that no reader can check out).
        #[arg(long)]
        allow_dirty: bool,
    },
    /// Write a flame graph of each lesson's baseline and optimized variant
    /// (its first question, default size) into book/src/results/. Needs
    /// the `profile` feature: `cargo run --release --features profile -- flame`.
    Flame {
        /// Only these lessons (repeatable); all by default.
        #[arg(long = "lesson", value_name = "NAME")]
        lessons: Vec<String>,
        /// Seconds of calls sampled per variant.
        #[arg(long, value_name = "SECS", default_value_t = 3, value_parser = parse_timeout)]
        seconds: u64,
        /// Profile even with uncommitted changes (the graphs then name a
        /// `-dirty` commit).
        #[arg(long)]
        allow_dirty: bool,
        /// Profile your exercise instead, once it passes the judge's
        /// agreement stage: the graph goes under target/workbench-plots/,
        /// the table of functions by self time to the terminal.
        #[arg(long)]
        with_exercise: bool,
    },
    /// Write the assembly `cargo build --release` makes of the profiling
    /// lesson's cost loops (bounds checked, and not) into the book's
    /// results.
    Asm {
        /// Write it even with uncommitted changes (it then names a
        /// `-dirty` commit).
        #[arg(long)]
        allow_dirty: bool,
    },
    /// Say what this machine can measure (valgrind, hardware counters,
    /// parallel threads, mdbook, Chromium) and how to add what is missing.
    Doctor,
    /// Check the speed claims CI holds on instruction counts (needs
    /// valgrind): each optimized row against its baseline and its rivals.
    Gate,
    /// For lesson authors: check every lesson has every part.
    Lint,
    /// Check every internal link and image of the built book resolves.
    Linkcheck {
        /// The built book.
        #[arg(default_value = "book/book")]
        site: std::path::PathBuf,
    },
    /// Internal: the child process `check` starts.
    #[command(name = JUDGE_SUBCOMMAND, hide = true)]
    Judge {
        lesson: String,
        #[arg(long)]
        solution: bool,
    },
    /// Internal: a worker process of the concurrency lesson (jobs on
    /// stdin, outcomes on stdout).
    #[command(name = concurrency::worker::SUBCOMMAND, hide = true)]
    Worker,
    /// Internal: one variant's counted call, run under Callgrind.
    #[command(name = callgrind::SUBCOMMAND, hide = true)]
    Instructions {
        lesson: String,
        question: String,
        variant: String,
        value: u64,
        calls: u64,
        preparations: u64,
    },
    /// Internal: a fresh process that measures idle waiters' resident memory.
    #[command(name = IDLE_SUBCOMMAND, hide = true)]
    Idle { variant: String, n: usize },
    /// Internal: a fresh process that reads a log once and prints its peak
    /// resident memory.
    #[command(name = PEAK_SUBCOMMAND, hide = true)]
    Peak {
        variant: String,
        path: std::path::PathBuf,
    },
}

/// The lessons named by `--lesson` (repeatable), or all of them.
fn chosen<'a>(lessons: &'a [Lesson], names: &[String]) -> Result<Vec<&'a Lesson>, UnknownName> {
    if names.is_empty() {
        return Ok(lessons.iter().collect());
    }
    names.iter().map(|n| catalog::find(lessons, n)).collect()
}

/// A whole number ≥ 1; `10_000` and `10,000` read as 10000.
fn parse_param(s: &str) -> Result<u64, String> {
    match s.replace(['_', ','], "").parse::<u64>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err("expected a whole number of at least 1, e.g. 10000".into()),
    }
}

/// Seconds for `check --timeout`: 1 to an hour, which every stage of every
/// judge fits many times over.
fn parse_timeout(s: &str) -> Result<u64, String> {
    match parse_param(s) {
        Ok(secs) if secs <= 3_600 => Ok(secs),
        Ok(_) => Err("at most 3600 (an hour); a stage that needs longer is stuck".into()),
        Err(why) => Err(why),
    }
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            let rendered = e.render().to_string();
            let first = rendered.lines().next().unwrap_or("error: bad arguments");
            eprintln!("{first} (see `workbench --help`)");
            return ExitCode::from(2);
        }
    };
    // Ctrl-C (or SIGTERM) during a run of `streams` must not leave its
    // log files under target/: remove them, then exit as interrupted.
    let _ = ctrlc::set_handler(|| {
        catalog::streams::remove_logs();
        catalog::resources::remove_databases();
        learner::interrupt();
        std::process::exit(130);
    });
    match dispatch(cli.command) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            let usage = e.is::<UnknownName>() || e.is::<OutOfRange>();
            ExitCode::from(if usage { 2 } else { 1 })
        }
    }
}

fn dispatch(command: Option<Cmd>) -> anyhow::Result<ExitCode> {
    let lessons = catalog::lessons();
    match command {
        None => commands::tour(&lessons),
        Some(Cmd::List) => {
            commands::list(&lessons);
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Run {
            lesson,
            mut variants,
            params,
            json,
            instructions,
            with_exercise,
        }) => {
            let name = catalog::find(&lessons, &lesson)?.name;
            let mut lessons = lessons;
            let Some(lesson) = lessons.iter_mut().find(|l| l.name == name) else {
                unreachable!("found just above")
            };
            lesson.check_variants(&variants)?;
            lesson.check_params(&variants, &params)?;
            let yours = with_exercise && learner::add_yours(lesson, &mut variants)?;
            commands::run(lesson, &variants, &params, json, instructions, yours)
        }
        Some(Cmd::Check {
            lesson,
            solution,
            timeout,
            json,
            hint,
            show_solution,
            watch,
        }) => {
            let limit = Duration::from_secs(timeout);
            if watch {
                return learner::watch(&lessons, Some(&lesson), limit);
            }
            let lesson = catalog::find(&lessons, &lesson)?;
            let flags = learner::CheckFlags {
                json,
                hint,
                show_solution,
            };
            let code = learner::check(lesson, commands::target(solution), limit, flags)?;
            Ok(ExitCode::from(code.clamp(0, 255) as u8))
        }
        Some(Cmd::Watch { lesson, timeout }) => {
            learner::watch(&lessons, lesson.as_deref(), Duration::from_secs(timeout))
        }
        Some(Cmd::Progress) => learner::progress(&lessons),
        Some(Cmd::Reset { lesson, yes }) => {
            let lesson = catalog::find(&lessons, &lesson)?;
            learner::reset(lesson, yes)
        }
        Some(Cmd::Judge { lesson, solution }) => {
            let lesson = catalog::find(&lessons, &lesson)?;
            let code = check::judge_here(lesson, commands::target(solution));
            Ok(ExitCode::from(code as u8))
        }
        Some(Cmd::Report {
            lessons: names,
            python,
            instructions,
            allow_dirty,
        }) => {
            let chosen = chosen(&lessons, &names)?;
            commands::refuse_dirty(allow_dirty)?;
            commands::report_lessons(&chosen, python, instructions)
        }
        Some(Cmd::Flame {
            lessons: names,
            seconds,
            allow_dirty,
            with_exercise,
        }) => {
            let spent = Duration::from_secs(seconds);
            commands::flame(
                &chosen(&lessons, &names)?,
                spent,
                allow_dirty,
                with_exercise,
            )
        }
        Some(Cmd::Asm { allow_dirty }) => commands::asm(allow_dirty),
        Some(Cmd::Lint) => Ok(commands::lint_all(&lessons)),
        Some(Cmd::Doctor) => Ok(commands::doctor()),
        Some(Cmd::Gate) => commands::gate(&lessons),
        Some(Cmd::Linkcheck { site }) => commands::linkcheck(&site),
        Some(Cmd::Idle { variant, n }) => commands::idle(&variant, n),
        Some(Cmd::Peak { variant, path }) => commands::peak(&variant, &path),
        Some(Cmd::Instructions {
            lesson,
            question,
            variant,
            value,
            calls,
            preparations,
        }) => {
            let lesson = catalog::find(&lessons, &lesson)?;
            callgrind::count_here(lesson, &question, &variant, value, calls, preparations)
                .map_err(anyhow::Error::msg)?;
            Ok(ExitCode::SUCCESS)
        }
        Some(Cmd::Worker) => {
            concurrency::worker::serve(std::io::stdin().lock(), std::io::stdout().lock())?;
            Ok(ExitCode::SUCCESS)
        }
    }
}
