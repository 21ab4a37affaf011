//! The learner's loop: `check` with its hints, progress and JSON;
//! `progress`; `reset`; and `watch`, which judges again on every save.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Duration, Instant};

use crate::catalog::{self, Lesson};
use crate::check::run::lock;
use crate::check::verdict::Verdict;
use crate::check::{self, CheckOptions, Target};
use crate::progress::Progress;

/// What `check` was asked for.
#[derive(Clone, Copy, Debug, Default)]
pub struct CheckFlags {
    /// `--json`.
    pub json: bool,
    /// `--hint`: reveal the next hint of the stage the last check stopped at.
    pub hint: bool,
    /// `--show-solution`.
    pub show_solution: bool,
}

/// `workbench check`: judge, record the learner's progress, print the
/// verdict (as JSON with `--json`). Returns the judge's exit code.
pub fn check(
    lesson: &Lesson,
    target: Target,
    limit: Duration,
    flags: CheckFlags,
) -> anyhow::Result<i32> {
    let root = catalog::root();
    let mut progress = Progress::load(&root)?;
    let mut revealed = None;
    if flags.hint {
        revealed = progress.reveal(lesson.name);
        if revealed.is_none() && !flags.json {
            println!(
                "no failed check of {} yet to give a hint for: judging it now",
                lesson.name
            );
        }
    }
    let stopped = progress
        .lessons
        .get(lesson.name)
        .and_then(|l| l.stopped_at.clone());
    let hints = revealed
        .or(stopped)
        .map(|title| (progress.hints(lesson.name, &title), title));
    let options = CheckOptions {
        json: flags.json,
        hints,
        show_solution: flags.show_solution,
        stop_after: None,
    };
    let (code, verdict) = check::run_judge(lesson, target, limit, &options)?;
    if target == Target::Exercise
        && let Some(v) = &verdict
    {
        progress.record(v);
        if let Err(e) = progress.save(&root) {
            eprintln!("warning: the progress was not saved: {e:#}");
        }
    }
    if flags.json {
        let v = verdict.unwrap_or_else(|| Verdict {
            schema: check::verdict::SCHEMA_VERSION,
            lesson: lesson.name.to_owned(),
            target: target.dir().to_owned(),
            file: format!("lessons/{}/{}", lesson.name, target.file()),
            budget: lesson.exercise.budget.line(),
            verdict: "stopped".into(),
            stage_count: 0,
            stages: Vec::new(),
            hints_shown: Vec::new(),
            solution: None,
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
    }
    Ok(code)
}

/// `workbench progress`: each lesson's exercise, passed, failed or not
/// started, with the best ratio.
pub fn progress(lessons: &[Lesson]) -> anyhow::Result<ExitCode> {
    let p = Progress::load(&catalog::root())?;
    let mut rows = Vec::new();
    for lesson in lessons {
        let row = match p.lessons.get(lesson.name) {
            None => vec![
                lesson.name.to_owned(),
                lesson.exercise.function.to_owned(),
                "not started".into(),
                "-".into(),
                "-".into(),
            ],
            Some(l) => vec![
                lesson.name.to_owned(),
                lesson.exercise.function.to_owned(),
                match l.best.as_str() {
                    "passed" => "pass".to_owned(),
                    "not_started" => "not started".to_owned(),
                    "inconclusive" => "inconclusive (speed)".to_owned(),
                    _ => format!("fail at {}", l.stopped_at.as_deref().unwrap_or("a stage")),
                },
                format!("{}/{}", l.stages_passed, l.stage_count),
                l.best_ratio.map_or("-".into(), crate::fmt::ratio),
            ],
        };
        rows.push(row);
    }
    let headers = ["lesson", "exercise", "best", "stages", "best ratio"];
    print!(
        "{}",
        crate::output::table(&headers, &[false, false, false, true, true], &rows)
    );
    println!("{}", footer(lessons, &p));
    Ok(ExitCode::SUCCESS)
}

/// One line: how many exercises pass, and the next to do.
pub fn footer(lessons: &[Lesson], p: &Progress) -> String {
    let names: Vec<&str> = lessons.iter().map(|l| l.name).collect();
    let passed = names
        .iter()
        .filter(|n| p.lessons.get(**n).is_some_and(|l| l.best == "passed"))
        .count();
    match p.next_unpassed(&names) {
        Some(next) => format!(
            "exercises: {passed} of {} pass; next: `cargo run --release -- check {next}` (or `-- watch {next}`)",
            names.len()
        ),
        None => format!("exercises: all {} pass", names.len()),
    }
}

/// The footer for the tour, or nothing when the progress file is unreadable.
pub fn tour_footer(lessons: &[Lesson]) -> Option<String> {
    Progress::load(&catalog::root())
        .ok()
        .map(|p| footer(lessons, &p))
}

/// The pristine copy of a lesson's stub, committed in the repository.
pub fn pristine(root: &Path, lesson: &str) -> PathBuf {
    root.join("lessons")
        .join(lesson)
        .join("pristine")
        .join("lib.rs")
}

/// The learner's exercise file.
pub fn exercise_file(root: &Path, lesson: &str) -> PathBuf {
    root.join("lessons")
        .join(lesson)
        .join(Target::Exercise.file())
}

/// `workbench reset <lesson>`: put the stub back, after asking (unless
/// `yes`), keeping the learner's file as a backup under `.workbench/`.
pub fn reset(lesson: &Lesson, yes: bool) -> anyhow::Result<ExitCode> {
    let root = catalog::root();
    let stub = pristine(&root, lesson.name);
    let file = exercise_file(&root, lesson.name);
    let pristine = std::fs::read(&stub)
        .map_err(|e| anyhow::anyhow!("cannot read the pristine stub {}: {e}", stub.display()))?;
    let mine = std::fs::read(&file).ok();
    if mine.as_deref() == Some(&pristine[..]) {
        println!(
            "lessons/{}/exercise/src/lib.rs is already the stub",
            lesson.name
        );
        return Ok(ExitCode::SUCCESS);
    }
    if !yes {
        if !std::io::stdin().is_terminal() {
            anyhow::bail!(
                "reset replaces lessons/{}/exercise/src/lib.rs; add --yes to do it without a question",
                lesson.name
            );
        }
        print!(
            "replace lessons/{}/exercise/src/lib.rs with the stub? Your version is kept under .workbench/backup/ [y/N] ",
            lesson.name
        );
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            println!("left as it was");
            return Ok(ExitCode::SUCCESS);
        }
    }
    if let Some(mine) = mine {
        let backup_dir = root.join(".workbench").join("backup");
        std::fs::create_dir_all(&backup_dir)?;
        let stamp = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        let backup = backup_dir.join(format!("{}-{stamp}.rs", lesson.name));
        std::fs::write(&backup, mine)?;
        println!("your version: {}", backup.display());
    }
    std::fs::write(&file, pristine)?;
    let mut p = Progress::load(&root)?;
    if let Some(l) = p.lessons.get_mut(lesson.name) {
        l.hints.clear();
        p.save(&root)?;
    }
    println!(
        "lessons/{}/exercise/src/lib.rs is the stub again (your best verdict stays in `workbench progress`)",
        lesson.name
    );
    Ok(ExitCode::SUCCESS)
}

/// The child `watch` runs now (cargo or the judge), killed on Ctrl-C.
static CHILD: AtomicU32 = AtomicU32::new(0);
/// Ctrl-C was pressed.
static STOP: AtomicBool = AtomicBool::new(false);
/// The last verdict's lines, kept on screen while rebuilding.
static LAST: Mutex<String> = Mutex::new(String::new());

/// Called by the Ctrl-C handler: stop the child `watch` runs, if any.
pub fn interrupt() {
    STOP.store(true, Ordering::SeqCst);
    let pid = CHILD.load(Ordering::SeqCst);
    if pid != 0 {
        // The child leads its own process group: the judge and anything it
        // started go with it.
        #[cfg(unix)]
        unsafe {
            libc::kill(-(pid as i32), libc::SIGKILL);
        }
    }
}

/// Run `cmd` as the current child, in its own process group; its output,
/// line by line, to `each`. `None` when stopped by Ctrl-C.
fn run_child(mut cmd: Command, mut each: impl FnMut(&str)) -> anyhow::Result<Option<i32>> {
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        cmd.process_group(0);
    }
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn()?;
    CHILD.store(child.id(), Ordering::SeqCst);
    if STOP.load(Ordering::SeqCst) {
        interrupt();
    }
    let stderr = child.stderr.take();
    let err_lines = std::thread::spawn(move || {
        stderr
            .map(|e| {
                std::io::BufReader::new(e)
                    .lines()
                    .map_while(Result::ok)
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    if let Some(out) = child.stdout.take() {
        for line in std::io::BufReader::new(out).lines().map_while(Result::ok) {
            each(&line);
        }
    }
    let status = child.wait()?;
    CHILD.store(0, Ordering::SeqCst);
    for line in err_lines.join().unwrap_or_default() {
        each(&line);
    }
    if STOP.load(Ordering::SeqCst) {
        return Ok(None);
    }
    Ok(Some(status.code().unwrap_or(1)))
}

/// The cargo profile `watch` builds the judge with: release
/// optimizations, compiled incrementally (Cargo.toml), so that a one-line
/// edit rebuilds in about a second where `--release` takes twenty.
pub const JUDGE_PROFILE: &str = "judge";

/// The target directory this binary was built into (it sits in
/// `<target>/<profile>/`).
fn target_dir() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe()?;
    exe.parent()
        .and_then(Path::parent)
        .map(Path::to_path_buf)
        .ok_or_else(|| anyhow::anyhow!("cannot tell the target directory of {}", exe.display()))
}

/// How `watch` rebuilds before judging, and the binary it then runs:
/// `cargo build --profile judge` of the workbench, or, for a test, the
/// command in `WORKBENCH_WATCH_BUILD` and this binary.
fn build_command(root: &Path) -> anyhow::Result<(Command, PathBuf)> {
    match std::env::var("WORKBENCH_WATCH_BUILD") {
        Ok(cmd) => {
            let mut c = Command::new("sh");
            c.arg("-c").arg(cmd).current_dir(root);
            Ok((c, std::env::current_exe()?))
        }
        Err(_) => {
            let target = target_dir()?;
            let mut c = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
            c.args(["build", "--profile", JUDGE_PROFILE, "--bin", "workbench"])
                .args(["--message-format", "short"])
                .env("CARGO_TARGET_DIR", &target)
                .current_dir(root);
            Ok((c, target.join(JUDGE_PROFILE).join("workbench")))
        }
    }
}

/// What is on screen: the whole of it on a terminal, which [`show`]
/// clears and redraws; elsewhere (a log, a pipe) only what was appended
/// since, so that a reader of the log sees each line once.
static SCREEN: Mutex<String> = Mutex::new(String::new());

/// Show `text` as the whole screen.
fn show(text: &str) {
    let mut screen = lock(&SCREEN);
    let mut out = std::io::stdout().lock();
    if std::io::stdout().is_terminal() {
        let _ = write!(out, "\x1b[2J\x1b[H{text}");
    } else if let Some(new) = text.strip_prefix(screen.as_str()) {
        let _ = write!(out, "{new}");
    } else {
        let _ = write!(out, "{text}");
    }
    let _ = out.flush();
    *screen = text.to_owned();
}

/// `workbench watch [lesson]`: judge the exercise, then again after every
/// save of its directory, until Ctrl-C. Without a lesson it follows the
/// first exercise not yet passed.
pub fn watch(lessons: &[Lesson], given: Option<&str>, limit: Duration) -> anyhow::Result<ExitCode> {
    use notify::{RecursiveMode, Watcher};
    let root = catalog::root();
    let names: Vec<&str> = lessons.iter().map(|l| l.name).collect();
    let pick = |given: Option<&str>| -> anyhow::Result<&Lesson> {
        match given {
            Some(name) => Ok(catalog::find(lessons, name)?),
            None => {
                let p = Progress::load(&root)?;
                let next = p.next_unpassed(&names).unwrap_or(names[0]);
                Ok(catalog::find(lessons, next)?)
            }
        }
    };
    let mut lesson = pick(given)?;
    let (tx, rx) = std::sync::mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        if let Ok(e) = event
            && !matches!(e.kind, notify::EventKind::Access(_))
        {
            let _ = tx.send(e.paths);
        }
    })?;
    let mut watched = lesson_dir(&root, lesson.name);
    // Editors save by writing a new file and renaming it over the old:
    // watch the directory, not the file.
    watcher.watch(&watched, RecursiveMode::Recursive)?;
    let mut first = true;
    loop {
        let started = Instant::now();
        let mut screen = lock(&LAST).clone();
        screen.push_str(&format!(
            "\n[watch] {}: rebuilding{}…\n",
            lesson.name,
            if first {
                " (the first build of the judge profile takes a minute or two; after that, about a second)"
            } else {
                " after a change"
            }
        ));
        first = false;
        show(&screen);
        let mut build_out = String::new();
        let (build, exe) = build_command(&root)?;
        let built = run_child(build, |l| {
            if l.contains("error") || l.contains("warning: unused") || l.starts_with("  ") {
                build_out.push_str(l);
                build_out.push('\n');
            }
        })?;
        let Some(built) = built else { break };
        let mut report = format!(
            "[watch] {} — lessons/{}/exercise/src/lib.rs (Ctrl-C to stop)\n\n",
            lesson.name, lesson.name
        );
        if built != 0 {
            report.push_str("it does not compile:\n");
            report.push_str(&build_out);
        } else {
            show(&report);
            let mut judge = Command::new(&exe);
            judge
                .arg("check")
                .arg(lesson.name)
                .arg("--timeout")
                .arg(limit.as_secs().to_string());
            let code = run_child(judge, |l| {
                report.push_str(l);
                report.push('\n');
                show(&report);
            })?;
            let Some(code) = code else { break };
            report.push_str(&format!(
                "\n[watch] verdict in {:.1} s, rebuild and judge (exit {code}); waiting for the next save\n",
                started.elapsed().as_secs_f64()
            ));
        }
        show(&report);
        *lock(&LAST) = report;
        // Wait for a change to a source file, then for 200 ms of quiet
        // (an editor's save is several events).
        let relevant = |paths: &[PathBuf]| {
            paths.iter().any(|p| {
                p.extension().is_some_and(|e| e == "rs" || e == "toml")
                    && !p.to_string_lossy().contains("/target/")
            })
        };
        loop {
            if STOP.load(Ordering::SeqCst) {
                return Ok(ExitCode::from(130));
            }
            match rx.recv_timeout(Duration::from_millis(100)) {
                Ok(paths) if relevant(&paths) => break,
                _ => continue,
            }
        }
        while rx.recv_timeout(Duration::from_millis(200)).is_ok() {}
        if given.is_none() {
            let next = pick(None)?;
            if next.name != lesson.name {
                watcher.unwatch(&watched)?;
                lesson = next;
                watched = lesson_dir(&root, lesson.name);
                watcher.watch(&watched, RecursiveMode::Recursive)?;
            }
        }
    }
    Ok(ExitCode::from(130))
}

/// The directory `watch` watches: the exercise crate.
fn lesson_dir(root: &Path, lesson: &str) -> PathBuf {
    root.join("lessons")
        .join(lesson)
        .join(Target::Exercise.dir())
}

/// `run --with-exercise`: the learner's exercise as one more row,
/// `yours`, of the question it answers, once it has passed the judge's
/// agreement stage (its third: a fast wrong answer is not a result).
/// Returns whether it was added; says why not otherwise.
pub fn add_yours(lesson: &mut Lesson, variants: &mut Vec<String>) -> anyhow::Result<bool> {
    if let Err(why) = agrees(lesson) {
        eprintln!("note: yours is not in the table: {why}");
        return Ok(false);
    }
    let (question, variant) = (lesson.exercise.yours)();
    let Some(q) = lesson.questions.iter_mut().find(|q| q.name == question) else {
        anyhow::bail!("{} has no question {question} for yours", lesson.name);
    };
    q.variants.push(variant);
    if !variants.is_empty() {
        variants.push(catalog::YOURS.to_owned());
    }
    Ok(true)
}

/// Judge the learner's exercise up to its agreement stage (its third):
/// `Ok` once it agrees, or why not. What may run it in this process
/// (`run --with-exercise`, `flame --with-exercise`) asks this first: a
/// panic or a hang is the judge's to catch, in a child.
pub fn agrees(lesson: &Lesson) -> anyhow::Result<()> {
    // Own work, started, agrees: the speed stages need not run.
    let options = CheckOptions {
        json: true,
        stop_after: Some(3),
        ..CheckOptions::default()
    };
    eprintln!(
        "judging your {} first: it runs in this process only once it agrees with the baseline…",
        lesson.exercise.function
    );
    let (_, verdict) =
        check::run_judge(lesson, Target::Exercise, Duration::from_secs(300), &options)?;
    let agrees = verdict.as_ref().is_some_and(|v| {
        v.stages
            .iter()
            .any(|s| s.number == 3 && s.status == check::verdict::StageStatus::Ok)
    });
    if !agrees {
        let at = verdict
            .as_ref()
            .and_then(|v| v.stopped_at().map(|s| s.title.clone()))
            .unwrap_or_else(|| "a stage before it".into());
        anyhow::bail!(
            "your exercise has not passed the agreement stage yet (it stopped at \"{at}\"; `cargo run --release -- check {}`)",
            lesson.name
        );
    }
    Ok(())
}

/// Write the plot of every question that has a `yours` row under
/// `target/workbench-plots/`; print where.
pub fn plot_yours(lesson: &Lesson, run: &crate::measure::LessonRun) -> anyhow::Result<()> {
    let dir = catalog::root().join("target").join("workbench-plots");
    std::fs::create_dir_all(&dir)?;
    for q in &lesson.questions {
        if !run
            .rows
            .iter()
            .any(|r| r.question == q.name && r.variant == catalog::YOURS)
        {
            continue;
        }
        match crate::report::question_svg(&lesson.questions, run, q.name) {
            Some(svg) => {
                let path = dir.join(format!("{}-{}.svg", lesson.name, q.name));
                std::fs::write(&path, svg)?;
                println!("plot with yours: {}", path.display());
            }
            None => println!(
                "no plot of {}: one value measured (a plot needs two; drop --param)",
                q.name
            ),
        }
    }
    Ok(())
}
