//! The commands behind the CLI: what `main.rs` dispatches to once it has
//! parsed the arguments. The top layer (see ARCHITECTURE.md): it may use
//! every module below it, and none uses it.

use std::io::IsTerminal;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::catalog::{self, Lesson, Variant};
use crate::check::Target;
use crate::machine::Machine;
use crate::measure::{self, Disagreement, Settings};
use crate::measure::{LessonRun, Measurement};
use crate::output::{self, ROW_RIGHT};
use crate::report::{self, PythonSide};
use crate::{claims, fmt, lint, python};

/// The implementation `check` judges.
pub fn target(solution: bool) -> Target {
    if solution {
        Target::Solution
    } else {
        Target::Exercise
    }
}

/// `workbench list`.
pub fn list(lessons: &[Lesson]) {
    for lesson in lessons {
        println!(
            "{}: {} (article {})",
            lesson.name, lesson.title, lesson.article
        );
        for q in &lesson.questions {
            let p = &q.param;
            println!(
                "  question {}: {} ({} = {} by default)",
                q.name,
                q.about,
                p.name,
                fmt::count(p.default)
            );
            for v in &q.variants {
                println!(
                    "    {:<22} {:<9} {:<20} {}",
                    v.name,
                    v.role.as_str(),
                    v.complexity,
                    v.idea
                );
            }
        }
        println!(
            "  exercise: {} ({})",
            lesson.exercise.function,
            lesson.exercise.budget.line()
        );
    }
}

/// A progress bar on stderr, hidden when stderr is not a terminal or
/// `NO_COLOR` is set.
fn progress(total: u64) -> ProgressBar {
    let bar = ProgressBar::new(total);
    let quiet = std::env::var_os("NO_COLOR").is_some() || !std::io::stderr().is_terminal();
    if quiet {
        bar.set_draw_target(ProgressDrawTarget::hidden());
    }
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} {elapsed:>3} {msg}") {
        bar.set_style(style);
    }
    bar
}

fn warn_if_debug() {
    if cfg!(debug_assertions) {
        eprintln!("note: a debug build: timings mean little; use `cargo run --release`");
    }
}

/// The tour: every lesson at its default size, one table.
pub fn tour(lessons: &[Lesson]) -> anyhow::Result<ExitCode> {
    warn_if_debug();
    let all = |_: &Variant| true;
    let total: usize = lessons
        .iter()
        .flat_map(|l| &l.questions)
        .filter(|q| q.in_tour())
        .map(|q| q.variants.len())
        .sum();
    let bar = progress(total as u64);
    let mut rows = Vec::new();
    for lesson in lessons {
        for q in lesson.questions.iter().filter(|q| q.in_tour()) {
            bar.set_message(format!("{}/{}", lesson.name, q.name));
            let point = measure::measure_point(q, &all, q.param.default, &Settings::TOUR)?;
            bar.inc(point.len() as u64);
            rows.extend(point.iter().map(|r| {
                let mut cells = output::row_cells(r);
                cells.insert(0, lesson.name.to_owned());
                cells.remove(3); // role: the tour keeps to the figures
                cells
            }));
        }
    }
    bar.finish_and_clear();
    let headers = [
        "lesson",
        "question",
        "variant",
        "param",
        "median",
        "rounds: fastest–slowest",
        "x vs baseline",
        "allocs",
        "peak heap",
    ];
    print!("{}", output::table(&headers, &ROW_RIGHT, &rows));
    if rows.iter().flatten().any(|c| c.starts_with('~')) {
        println!("{}", output::NOT_SEPARATED);
    }
    println!("\nmachine: {}", Machine::detect().summary());
    println!(
        "next: `cargo run --release -- list`, `-- run <lesson>`, `-- check <lesson>`; the book: `mdbook serve book`"
    );
    if let Some(footer) = crate::learner::tour_footer(lessons) {
        println!("{footer}");
    }
    if crate::doctor::something_missing() {
        println!(
            "note: valgrind or mdbook is missing here; `cargo run --release -- doctor` says what this machine can measure and how to add the rest"
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `workbench gate`: every question's instruction gate; exit 1 when one
/// fails, 0 (with the reason) when valgrind is missing.
pub fn gate(lessons: &[Lesson]) -> anyhow::Result<ExitCode> {
    warn_if_debug();
    if let Err(why) = crate::callgrind::valgrind() {
        println!("gate skipped: {why}");
        return Ok(ExitCode::SUCCESS);
    }
    let start = Instant::now();
    let mut failed = 0;
    for lesson in lessons {
        for q in &lesson.questions {
            let Some(g) = q.gate else { continue };
            let bar = progress(q.variants.len() as u64);
            let verdict = crate::gate::judge(lesson, q, g, &|v| {
                bar.set_message(format!("{}/{}: {v}", lesson.name, q.name));
                bar.inc(1);
            });
            bar.finish_and_clear();
            let v = verdict.map_err(anyhow::Error::msg)?;
            let rows: Vec<Vec<String>> = v
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.variant.to_owned(),
                        r.role.as_str().to_owned(),
                        fmt::count(r.instructions),
                        fmt::ratio(r.instructions as f64 / v.best as f64),
                    ]
                })
                .collect();
            println!("{} at {}:", v.question, v.at);
            print!(
                "{}",
                output::table(
                    &["variant", "role", "instructions", "x the optimized"],
                    &[false, false, true, true],
                    &rows
                )
            );
            if v.problems.is_empty() {
                println!(
                    "ok: the baseline executes {} the optimized row's instructions (the gate: at least {}), and no other row fewer",
                    fmt::ratio(v.ratio),
                    fmt::ratio(v.min_ratio)
                );
                if let Some(flat) = &v.flat {
                    println!("ok: {flat}");
                }
                println!();
            } else {
                failed += 1;
                for p in &v.problems {
                    println!("FAILED: {p}");
                }
                println!();
            }
        }
    }
    println!(
        "gate: {} in {:.0} s (instructions under Callgrind; concurrent questions are gated on exact counts by `cargo test`)",
        if failed == 0 {
            "passed".to_owned()
        } else {
            format!("{failed} failed")
        },
        start.elapsed().as_secs_f64()
    );
    Ok(if failed == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// `workbench doctor`: one line per probe; exit 0 whatever it finds (a
/// missing tool is advice, not an error).
pub fn doctor() -> ExitCode {
    println!("what this machine can measure:");
    for f in crate::doctor::findings() {
        let mark = if f.ok { "ok     " } else { "missing" };
        println!("  {mark} {:<18} {}", f.what, f.detail);
    }
    ExitCode::SUCCESS
}

/// `workbench run`: one lesson over its sweep or the values given.
pub fn run(
    lesson: &Lesson,
    variants: &[String],
    params: &[u64],
    json: bool,
    instructions: bool,
    yours: bool,
) -> anyhow::Result<ExitCode> {
    warn_if_debug();
    let wanted = |v: &Variant| variants.is_empty() || variants.iter().any(|n| n == v.name);
    for q in &lesson.questions {
        for v in q.variants.iter().filter(|v| wanted(v)) {
            let skipped: Vec<String> = params
                .iter()
                .filter(|&&p| !v.runs_at(p))
                .map(|p| p.to_string())
                .collect();
            if !skipped.is_empty() {
                eprintln!(
                    "note: {} is not run at {} = {} (its limit is {}: it would take too long)",
                    v.name,
                    q.param.name,
                    skipped.join(", "),
                    v.max_param.map_or(0, |m| m),
                );
            }
        }
    }
    let bar = progress(measure::steps(lesson, &wanted, params));
    let result = measure::run_lesson(lesson, &wanted, params, &Settings::RUN, &bar);
    bar.finish_and_clear();
    let mut run = result.map_err(disagreement)?;
    if instructions {
        count_instructions(lesson, &mut run)?;
    }
    if json {
        println!("{}", serde_json::to_string_pretty(&run)?);
        return Ok(ExitCode::SUCCESS);
    }
    if yours {
        crate::learner::plot_yours(lesson, &run)?;
    }
    println!(
        "{}: {} (article {})\n",
        lesson.name, lesson.title, lesson.article
    );
    let all: Vec<&Measurement> = run.rows.iter().collect();
    let (headers, right, rows) = output::run_table(&run, &all);
    print!("{}", output::table(&headers, &right, &rows));
    if rows.iter().flatten().any(|c| c.starts_with('~')) {
        println!("{}", output::NOT_SEPARATED);
    }
    let metrics = output::metric_cells(&run.rows);
    if !metrics.is_empty() {
        println!("\nreported by the variants:");
        print!(
            "{}",
            output::table(
                &["variant", "param", "metrics"],
                &[false, true, false],
                &metrics
            )
        );
    }
    if !run.exponents.is_empty() {
        println!("\nmeasured exponent k (time ≈ c·param^k, least squares over the values run):");
        print!(
            "{}",
            output::table(
                &["variant", "claimed", "k"],
                &[false, false, true],
                &output::exponent_cells(&run)
            )
        );
    }
    let metric_ks = output::metric_exponent_cells(&run);
    if !metric_ks.is_empty() {
        println!("\nmeasured exponent k of each reported figure (figure ≈ c·param^k):");
        print!(
            "{}",
            output::table(
                &["figure", "variant", "k"],
                &[false, false, true],
                &metric_ks
            )
        );
    }
    println!("\nmachine: {}", run.machine.summary());
    if let Some(counted) = &run.instructions {
        println!("{}", output::instructions_line(counted));
    }
    Ok(ExitCode::SUCCESS)
}

/// Fill the rows' instruction counts, with a bar; where valgrind is
/// missing, say how to install it and go on with time alone.
fn count_instructions(lesson: &Lesson, run: &mut LessonRun) -> anyhow::Result<()> {
    let countable = run
        .rows
        .iter()
        .filter(|r| measure::countable(lesson, r).is_ok())
        .count();
    let bar = progress(countable as u64);
    let counted = measure::count_instructions(lesson, run, &|row| {
        bar.set_message(format!(
            "instructions: {}/{} {} = {}",
            row.question, row.variant, row.param, row.value
        ));
        bar.inc(1);
    });
    bar.finish_and_clear();
    match counted {
        Ok(()) => Ok(()),
        Err(why) if crate::callgrind::valgrind().is_err() => {
            eprintln!("note: no instruction counts: {why}; the times below are complete");
            Ok(())
        }
        Err(why) => Err(anyhow::anyhow!("counting instructions: {why}")),
    }
}

fn disagreement(d: Disagreement) -> anyhow::Error {
    anyhow::Error::new(d).context("the variants disagree (a bug in a lesson)")
}

/// `report` measures for the book, whose figures must name a commit a
/// reader can check out: refuse uncommitted changes outside the results
/// pages unless `allow` says otherwise.
pub fn refuse_dirty(allow: bool) -> anyhow::Result<()> {
    let changed = crate::machine::changes_outside_results();
    if allow || changed.is_empty() {
        return Ok(());
    }
    let shown: Vec<&str> = changed.iter().take(3).map(String::as_str).collect();
    anyhow::bail!(
        "uncommitted changes ({}{}): commit them first, so the results name a commit a reader can check out, or pass --allow-dirty",
        shown.join(", "),
        if changed.len() > 3 { ", …" } else { "" }
    )
}

/// `workbench flame`: a flame graph of each lesson's baseline and
/// optimized variant, and the table of the functions that took most of
/// its samples, into the book's results; with `with_exercise`, of the
/// learner's exercise instead, into `target/workbench-plots/`, the table
/// printed.
#[cfg(all(unix, feature = "profile"))]
pub fn flame(
    lessons: &[&Lesson],
    spent: Duration,
    allow_dirty: bool,
    with_exercise: bool,
) -> anyhow::Result<ExitCode> {
    if !with_exercise {
        refuse_dirty(allow_dirty)?;
    }
    let machine = Machine::detect();
    for lesson in lessons {
        let (question, yours) = if with_exercise {
            // The learner's code runs in this process: a panic or a wrong
            // answer is the judge's to report, so judge it first.
            crate::learner::agrees(lesson)?;
            let (name, v) = (lesson.exercise.yours)();
            let q = lesson
                .questions
                .iter()
                .find(|q| q.name == name)
                .expect("the exercise joins a question of its lesson");
            (q, Some(v))
        } else {
            (&lesson.questions[0], None)
        };
        let variants = match &yours {
            Some(v) => vec![v],
            None => question.profiled(),
        };
        let value = question.param.default;
        let dir = if with_exercise {
            let dir = lint::root().join("target/workbench-plots");
            std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
            dir
        } else {
            lint::root().join("book/src/results")
        };
        for variant in variants {
            eprintln!(
                "{}: sampling {} at {} = {} for {} s",
                lesson.name,
                variant.name,
                question.param.name,
                fmt::count(value),
                spent.as_secs()
            );
            let mut case = (variant.prepare)(value);
            let title = format!(
                "{} at {} = {} ({}, commit {})",
                variant.name,
                question.param.name,
                fmt::count(value),
                machine.cpu,
                machine.commit
            );
            let (svg, table) = crate::profile::flame(case.as_mut(), spent, &title)
                .map_err(|e| anyhow::anyhow!("{}/{}: {e}", lesson.name, variant.name))?;
            let path = dir.join(report::flame_name(lesson.name, variant.name));
            report::replace(&path, &svg).with_context(|| format!("writing {}", path.display()))?;
            println!("wrote {}", path.display());
            let command = if with_exercise {
                format!("flame --lesson {} --with-exercise", lesson.name)
            } else {
                format!("flame --lesson {}", lesson.name)
            };
            let text = format!(
                "$ cargo run --release --features profile -- {command}\n{}: {title}\n{table}",
                variant.name
            );
            if with_exercise {
                print!("{text}");
            } else {
                let path = dir.join(report::profile_name(lesson.name, variant.name));
                report::replace(&path, text.as_bytes())
                    .with_context(|| format!("writing {}", path.display()))?;
                println!("wrote {}", path.display());
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// Without the `profile` feature there is no profiler to run: say how to
/// build one.
#[cfg(not(all(unix, feature = "profile")))]
pub fn flame(
    _lessons: &[&Lesson],
    _spent: Duration,
    _allow_dirty: bool,
    _with_exercise: bool,
) -> anyhow::Result<ExitCode> {
    anyhow::bail!(
        "this build has no profiler: run `cargo run --release --features profile -- flame` (Linux or another Unix)"
    )
}

/// `workbench asm`: the machine code of the profiling lesson's loops that
/// the chapter shows, each in `book/src/results/profiling-asm-<loop>.txt`.
pub fn asm(allow_dirty: bool) -> anyhow::Result<ExitCode> {
    refuse_dirty(allow_dirty)?;
    let machine = Machine::detect();
    let dir = lint::root().join("book/src/results");
    for (function, text) in catalog::profiling::assembly(&catalog::profiling::ASSEMBLY)
        .map_err(|e| anyhow::anyhow!("{e}"))?
    {
        let path = dir.join(format!("profiling-asm-{function}.txt"));
        let page = format!(
            "; $ cargo run --release -- asm ({}, {}, commit {}): lessons/profiling as cargo build --release builds it, disassembled by objdump\n{text}",
            machine.rustc,
            std::env::consts::ARCH,
            machine.commit
        );
        report::replace(&path, page.as_bytes())
            .with_context(|| format!("writing {}", path.display()))?;
        println!("wrote {}", path.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `workbench report`: measure and write the results pages.
pub fn report_lessons(
    lessons: &[&Lesson],
    with_python: bool,
    with_instructions: bool,
) -> anyhow::Result<ExitCode> {
    warn_if_debug();
    let start = Instant::now();
    let root = lint::root();
    let dir = root.join("book/src/results");
    let machine = Machine::detect();
    let interpreter = match (with_python, python::version()) {
        (false, _) => "not run (`report` without `--python`)".to_owned(),
        (true, Ok(version)) => version,
        (true, Err(why)) => {
            eprintln!("note: CPython columns skipped: {why}");
            format!("skipped: {why}")
        }
    };
    let all = |_: &Variant| true;
    let bar = progress(lessons.iter().map(|l| measure::steps(l, &all, &[])).sum());
    // First everything a busy machine would disturb: the timed rounds, the
    // CPython script, the judge's speed stage. Instruction counts, which
    // load does not change, come after, so the machine need stay quiet
    // only for the first part.
    let mut measured = Vec::new();
    for lesson in lessons {
        let run =
            measure::run_lesson(lesson, &all, &[], &Settings::RUN, &bar).map_err(disagreement)?;
        let python = if with_python {
            bar.set_message(format!("{}: python3 reference.py", lesson.name));
            let script = root.join(format!("lessons/{}/python/reference.py", lesson.name));
            match python::run_stamped(&script, &machine) {
                Ok(json) => PythonSide::Measured(json),
                Err(why) => {
                    bar.suspend(|| {
                        eprintln!("note: {}: CPython columns skipped: {why}", lesson.name)
                    });
                    PythonSide::Skipped(why.to_string())
                }
            }
        } else {
            match report::earlier_python(&dir, lesson.name) {
                Some(json) => PythonSide::Measured(json),
                None => PythonSide::Skipped(
                    "run `cargo run --release -- report --python` to add them".into(),
                ),
            }
        };
        bar.set_message(format!("{}: check --solution", lesson.name));
        let transcript = report::check_transcript(lesson.name)
            .with_context(|| format!("running check {} --solution", lesson.name))?;
        measured.push((lesson, run, python, transcript));
    }
    bar.finish_and_clear();
    if with_instructions {
        eprintln!("timing done; counting instructions now (any load is fine from here)");
    }
    for (lesson, mut run, python, transcript) in measured {
        if with_instructions {
            count_instructions(lesson, &mut run)?;
        }
        report::write(&dir, &run, &python)
            .with_context(|| format!("writing results into {}", dir.display()))?;
        report::replace(
            &dir.join(report::check_name(lesson.name)),
            transcript.as_bytes(),
        )?;
        eprintln!("wrote {}/{}.md", dir.display(), lesson.name);
    }
    if with_python {
        for (stem, script) in claims::EXTRA_PYTHON {
            match python::run_stamped(&root.join(script), &machine) {
                Ok(json) => {
                    let text = serde_json::to_string_pretty(&json)?;
                    report::replace(&dir.join(format!("{stem}.python.json")), text.as_bytes())?;
                }
                Err(why) => eprintln!("note: {script} skipped: {why}"),
            }
        }
    }
    let names: Vec<&str> = lessons.iter().map(|l| l.name).collect();
    let took = start.elapsed();
    let machine_md = report::machine_page(&machine, &interpreter, &names, took);
    report::replace(&dir.join("machine.md"), machine_md.as_bytes())?;
    report::replace(&dir.join("claims.md"), claims::page(&dir).as_bytes())?;
    println!("results in {} ({:.0} s)", dir.display(), took.as_secs_f64());
    Ok(ExitCode::SUCCESS)
}

/// `workbench lint`: every lesson has every part.
pub fn lint_all(lessons: &[Lesson]) -> ExitCode {
    let root = lint::root();
    let mut failed = false;
    for lesson in lessons {
        let problems = lint::problems(&root, lesson);
        if problems.is_empty() {
            println!("{}: complete", lesson.name);
        }
        for p in &problems {
            println!("{}: {p}", lesson.name);
        }
        failed |= !problems.is_empty();
    }
    // Every chapter, lesson or not: measured figures come from generated
    // snippets, never typed by hand.
    let book = root.join("book/src");
    let mut chapters: Vec<_> = std::fs::read_dir(&book)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    chapters.sort();
    for path in chapters {
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let name = path
            .strip_prefix(&root)
            .unwrap_or(&path)
            .display()
            .to_string();
        // A lesson's chapter states its exercise's budget, a constant.
        let stated: Vec<String> = lessons
            .iter()
            .filter(|l| path.file_stem().is_some_and(|s| s == l.name))
            .flat_map(|l| l.exercise.budget.phrases().concat())
            .collect();
        for fragment in lint::unnamed_fragments(&text) {
            println!("{name}: a fragment without its file named under it, {fragment}");
            failed = true;
        }
        for figure in lint::typed_figures(&text, &stated) {
            println!(
                "{name}: a measured figure typed by hand, {figure} (include it from results/<lesson>-figures.txt)"
            );
            failed = true;
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// `workbench linkcheck`: every internal link and image of the built book
/// resolves.
pub fn linkcheck(site: &std::path::Path) -> anyhow::Result<ExitCode> {
    anyhow::ensure!(
        site.join("index.html").is_file(),
        "no built book at {} (run `mdbook build book` first)",
        site.display()
    );
    let broken = lint::broken_links(site);
    for b in &broken {
        println!("broken: {b}");
    }
    println!("{} broken links in {}", broken.len(), site.display());
    Ok(if broken.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// The hidden `__idle` process: print how much resident memory `n` idle
/// waiters of `variant` add (`-` where the OS does not say).
pub fn idle(variant: &str, n: usize) -> anyhow::Result<ExitCode> {
    match crate::catalog::concurrency::io::resident_growth(variant, n) {
        Ok(Some(bytes)) => println!("{bytes}"),
        Ok(None) => println!("-"),
        Err(why) => anyhow::bail!(why),
    }
    Ok(ExitCode::SUCCESS)
}

/// `workbench __peak <variant> <path>`: read the log at `path` once with
/// `variant` and print this process's peak resident memory in bytes (`-`
/// where the OS does not say).
pub fn peak(variant: &str, path: &std::path::Path) -> anyhow::Result<ExitCode> {
    match crate::catalog::streams::peak_here(variant, path) {
        Ok(Some(bytes)) => println!("{bytes}"),
        Ok(None) => println!("-"),
        Err(why) => anyhow::bail!(why),
    }
    Ok(ExitCode::SUCCESS)
}
