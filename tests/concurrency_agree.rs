//! The concurrency variants compute the same thing: the CPU variants the
//! same outcomes, the I/O variants every reply exactly once; the limits
//! hold (read from the server's own counter); a failing worker process is
//! reported by name and never left running.

use std::time::Duration;

use concurrency::cpu::{self, BELOW, Job, LOG_LINES, LogDir, MODULUS, Outcome};
use concurrency::io as client;
use concurrency::worker::{self, Problem, WorkerCommand, WorkerError};
use concurrency::{Server, ServerConfig};
use proptest::prelude::*;
use workbench::catalog::concurrency::cpu::{CPU, cpu_input, runtime};
use workbench::catalog::concurrency::io::{IO, io_input};
use workbench::catalog::concurrency::worker_exe;
use workbench::check::concurrency as judge;

/// n(n-1)(2n-1)/6 mod p, in 128 bits: what the loop must equal.
fn closed_form(below: u64) -> u64 {
    let n = u128::from(below);
    if n == 0 {
        return 0;
    }
    (n * (n - 1) * (2 * n - 1) / 6 % u128::from(MODULUS)) as u64
}

/// The article's batch (10 jobs): every variant, the processes included,
/// returns the same ten outcomes, and they are the right ones.
#[test]
fn every_cpu_variant_returns_the_articles_outcomes() {
    let input = cpu_input(10);
    let sum = Outcome::Sum(closed_form(BELOW));
    // One line in 20 is an ERROR and two are WARNINGs, in every file.
    let levels = Outcome::Levels {
        errors: LOG_LINES as u64 / 20,
        warnings: LOG_LINES as u64 / 10,
    };
    let expected: Vec<Outcome> = (0..10)
        .map(|i| if i % 2 == 0 { sum } else { levels })
        .collect();
    for row in CPU {
        let (got, late) = (row.f)(&input);
        assert_eq!(got, expected, "{}", row.name);
        assert_eq!(
            late.is_some(),
            row.name.starts_with("tokio"),
            "{}",
            row.name
        );
    }
}

/// No jobs, one job, fewer jobs than cores: no variant loses or invents one.
#[test]
fn every_cpu_variant_handles_tiny_batches() {
    for jobs in [0, 1, 2, 3] {
        let input = cpu_input(jobs);
        let expected = cpu::sequential(&input.jobs).expect("the logs exist");
        assert_eq!(expected.len(), jobs);
        for row in CPU {
            assert_eq!((row.f)(&input).0, expected, "{} at {jobs} jobs", row.name);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The loop with a remainder in every step equals the closed form.
    #[test]
    fn sum_squares_equals_the_closed_form(below in 0u64..20_000) {
        prop_assert_eq!(cpu::sum_squares(below), closed_form(below));
    }

    /// `count_levels` agrees with the article's rule on random lines.
    #[test]
    fn count_levels_counts_like_the_article(lines in prop::collection::vec("(ERROR|WARNING|INFO|x){0,3}", 0..30)) {
        let text = lines.join("\n");
        let errors = lines.iter().filter(|l| l.contains("ERROR")).count() as u64;
        let warnings = lines.iter().filter(|l| !l.contains("ERROR") && l.contains("WARNING")).count() as u64;
        prop_assert_eq!(cpu::count_levels(&text), (errors, warnings));
    }

    /// Random batches of sums of random sizes: every in-process variant
    /// agrees with the sequential one.
    #[test]
    fn in_process_variants_agree_on_random_batches(bounds in prop::collection::vec(0u64..5_000, 0..12)) {
        let jobs: Vec<Job> = bounds.iter().map(|&below| Job::SumSquares { below }).collect();
        let rt = runtime();
        let expected = cpu::sequential(&jobs).expect("sums cannot fail");
        prop_assert_eq!(&cpu::std_threads(&jobs).expect("sums"), &expected);
        prop_assert_eq!(&cpu::rayon(&jobs).expect("sums"), &expected);
        prop_assert_eq!(&cpu::tokio_tasks(&rt, &jobs).expect("sums").0, &expected);
        prop_assert_eq!(&cpu::tokio_spawn_blocking(&rt, &jobs).expect("sums").0, &expected);
    }
}

/// Worker processes agree with the sequential run on random batches (fewer
/// cases: each starts two processes).
#[test]
fn worker_processes_agree_on_random_batches() {
    let exe = worker_exe().expect("cargo builds the workbench for integration tests");
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(32));
    runner
        .run(&prop::collection::vec(0u64..5_000, 0..12), |bounds| {
            let jobs: Vec<Job> = bounds
                .iter()
                .map(|&below| Job::SumSquares { below })
                .collect();
            let got =
                worker::processes(&exe, &jobs).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(got, cpu::sequential(&jobs).expect("sums cannot fail"));
            Ok(())
        })
        .expect("processes agree with sequential");
}

/// From a test binary, the worker is found next to cargo's `deps/`.
#[test]
fn the_worker_executable_is_the_workbench_cargo_built() {
    let found = worker_exe().expect("found");
    let built = std::path::Path::new(env!("CARGO_BIN_EXE_workbench"));
    assert_eq!(
        found.canonicalize().expect("exists"),
        built.canonicalize().expect("exists")
    );
}

/// Every I/O variant receives every reply exactly once, in id order, at
/// sizes around the thread pool's 10 workers.
#[test]
fn every_io_variant_receives_every_reply_exactly_once() {
    for n in [0, 1, 10, 37] {
        let input = io_input(n);
        for row in IO {
            let got = (row.f)(&input).expect("no request fails");
            assert_eq!(got, judge::expected(n), "{} at n = {n}", row.name);
        }
    }
}

/// Read from the server's counter: the semaphore and the pool never hold
/// more than k requests, the sequential client never more than one, and
/// every request is served once.
#[test]
fn bounded_clients_never_exceed_their_limit() {
    let server = Server::start(ServerConfig {
        latency: Duration::from_millis(5),
        fail_every: None,
        down_for: None,
    })
    .expect("server starts");
    let rt = runtime();
    let addr = server.addr();
    for limit in [1, 4, 7] {
        server.reset();
        rt.block_on(client::tokio_semaphore(addr, 60, limit))
            .expect("served");
        assert!(
            server.max_in_flight() <= limit as u64,
            "semaphore {limit}: {}",
            server.max_in_flight()
        );
        assert_eq!(server.served(), 60);
        server.reset();
        client::thread_pool(addr, 60, limit).expect("served");
        assert!(
            server.max_in_flight() <= limit as u64,
            "pool {limit}: {}",
            server.max_in_flight()
        );
        assert_eq!(server.served(), 60);
    }
    server.reset();
    client::sequential_blocking(addr, 20).expect("served");
    assert_eq!(server.max_in_flight(), 1);
}

/// A flaky server fails first attempts; the plain clients report the
/// failure instead of a wrong answer, and the exercise's solution retries.
#[test]
fn failures_are_errors_and_the_solution_retries_them() {
    let server = judge::flaky(Duration::from_millis(2)).expect("server starts");
    let addr = server.addr();
    // Request 19 is the first to fail (an ERR reply, sent at once: the
    // generous limit only keeps a loaded machine from turning it into a
    // timeout); 39 is the first lost (the server holds it 10 s, so a
    // 300 ms limit always expires first).
    let err = client::fetch_blocking(addr, 19, Duration::from_secs(5)).expect_err("fails first");
    assert!(err.to_string().contains("failed request 19"), "{err}");
    let lost =
        client::fetch_blocking(addr, 39, Duration::from_millis(300)).expect_err("lost first");
    assert!(
        matches!(
            lost.kind(),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
        ),
        "{lost}"
    );
    server.reset();
    let rt = runtime();
    // A per-attempt limit of 2 s: the two lost requests cost 2 s each (in
    // parallel); a healthy attempt (2 ms) is abandoned only if the machine
    // stalls this process for 2 s.
    let got = rt
        .block_on(concurrency_solution::fetch_all(
            addr,
            80,
            5,
            Duration::from_secs(2),
        ))
        .expect("retried");
    assert_eq!(got, judge::expected(80));
    assert_eq!(server.failed(), 4, "ids 19, 39, 59, 79 fail once each");
    // An abandoned healthy attempt stays in flight at the server for its
    // latency while its task retries, so the limit is visible there only
    // when none was abandoned: exactly 80 answers (each id once) says so.
    assert!(server.served() >= 80, "every id answered");
    if server.served() == 80 {
        assert!(server.max_in_flight() <= 5, "{}", server.max_in_flight());
    }
}

/// A worker command made of a shell script, for the failure cases only.
#[cfg(unix)]
fn script(text: &str) -> WorkerCommand {
    WorkerCommand {
        program: "/bin/sh".into(),
        args: vec!["-c".into(), text.into()],
    }
}

#[cfg(unix)]
fn run_script(text: &str, deadline: Duration) -> WorkerError {
    let jobs = vec![Job::SumSquares { below: 10 }; 4];
    worker::run_workers(&script(text), &jobs, 2, deadline).expect_err("the script misbehaves")
}

/// A worker killed by a signal, one that exits non-zero, one that prints
/// garbage and one that answers too few jobs: each is a clear error that
/// names the worker.
#[cfg(unix)]
#[test]
fn a_failing_worker_is_named_in_a_clear_error() {
    let long = Duration::from_secs(20);
    let crashed = run_script("cat >/dev/null; kill -SEGV $$", long);
    assert!(matches!(crashed.problem, Problem::Exited(_)), "{crashed}");
    assert!(
        crashed
            .to_string()
            .starts_with("worker 0 (/bin/sh): crashed (killed by signal 11)"),
        "{crashed}"
    );

    let exited = run_script("cat >/dev/null; exit 3", long);
    assert!(
        exited
            .to_string()
            .contains("worker 0 (/bin/sh): exited with exit status: 3"),
        "{exited}"
    );

    let garbage = run_script("cat >/dev/null; echo hello", long);
    assert!(
        garbage
            .to_string()
            .contains("replied \"hello\", which is not the protocol"),
        "{garbage}"
    );

    let silent = run_script("cat >/dev/null", long);
    assert!(
        silent.to_string().contains("answered 0 of 2 jobs"),
        "{silent}"
    );
}

/// A job the worker cannot do (its log is missing) comes back as that
/// job's error, from the real workbench worker.
#[test]
fn a_failed_job_is_reported_with_the_workers_reason() {
    let exe = worker_exe().expect("found");
    let logs = LogDir::new().expect("temp dir");
    let jobs = [Job::CountLevels {
        log: logs.path().join("missing.log"),
    }];
    let err = worker::processes(&exe, &jobs).expect_err("the log is missing");
    assert!(matches!(err.problem, Problem::JobFailed(_)), "{err}");
    assert!(err.to_string().starts_with("worker 0 ("), "{err}");
}

/// A worker that hangs is killed at the deadline and reaped: its process
/// is gone when `run_workers` returns.
#[cfg(unix)]
#[test]
fn a_hanging_worker_is_killed_and_reaped_at_the_deadline() {
    let logs = LogDir::new().expect("temp dir");
    // Each of the two shells writes its pid to a file of its own, whole
    // (written aside, then renamed), so a kill mid-write leaves no torn file.
    let dir = logs.path().display().to_string();
    let text = format!("echo $$ > {dir}/$$.tmp && mv {dir}/$$.tmp {dir}/$$.pid; exec sleep 60");
    // 5 s: ample for a shell to run its first command even on a loaded
    // machine; the test checks the kill, not the speed.
    let err = run_script(&text, Duration::from_secs(5));
    assert!(matches!(err.problem, Problem::TimedOut(_)), "{err}");
    let pids: Vec<String> = std::fs::read_dir(logs.path())
        .expect("readable")
        .filter_map(|e| e.ok())
        .filter(|e| e.path().extension().is_some_and(|x| x == "pid"))
        .map(|e| std::fs::read_to_string(e.path()).expect("a whole pid file"))
        .collect();
    assert!(!pids.is_empty(), "no worker shell wrote its pid within 5 s");
    if std::path::Path::new("/proc/self").exists() {
        for pid in &pids {
            let proc_dir = format!("/proc/{}", pid.trim());
            assert!(
                !std::path::Path::new(&proc_dir).exists(),
                "{proc_dir} is still there"
            );
        }
    }
}

/// The protocol's text form round-trips every job and outcome.
#[test]
fn the_worker_protocol_round_trips() {
    let job = Job::CountLevels {
        log: "/tmp/app 1.log".into(),
    };
    let line = worker::encode_job(&job).expect("a one-line path");
    assert_eq!(worker::parse_job(&line), Some(job));
    for outcome in [
        Outcome::Sum(42),
        Outcome::Levels {
            errors: 1,
            warnings: 2,
        },
    ] {
        let line = worker::encode_reply(&Ok(outcome));
        assert_eq!(worker::parse_reply(&line).ok(), Some(outcome));
    }
    assert!(matches!(
        worker::parse_reply("sum x"),
        Err(Problem::Garbage(_))
    ));
    let bad = Job::CountLevels {
        log: "/tmp/a\nb".into(),
    };
    assert!(worker::encode_job(&bad).is_err());
}
