//! The judge of `lessons/concurrency`' exercise, `fetch_all`: against a
//! server that fails some requests, in four stages.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use concurrency::io::Reply;
use concurrency::tokio::runtime::Runtime;
use concurrency::{Server, ServerConfig};

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::concurrency::cpu::runtime;

/// The server's latency in the judged runs.
pub const LATENCY: Duration = Duration::from_millis(20);
/// Requests and limit of the timed run.
pub const N: u64 = 200;
/// See [`N`].
pub const LIMIT: usize = 10;
/// The per-attempt timeout the judge passes in the timed run: a few
/// latencies, so a lost request costs little.
pub const TIMEOUT: Duration = Duration::from_millis(60);
/// The per-attempt timeout of the untimed stages: long enough that a busy
/// machine never makes a healthy attempt time out, so what they judge is
/// decided by the code alone. A lost request costs this once.
pub const PATIENT: Duration = Duration::from_secs(1);
/// How many times the in-flight stage measures before it says inconclusive.
const IN_FLIGHT_ATTEMPTS: usize = 3;
/// One request in this many fails its first attempt.
pub const FAIL_EVERY: u64 = 20;
/// How far above ⌈n / limit⌉ × latency the timed run may be.
pub const SLACK: f64 = 1.5;

/// A server that fails one request in [`FAIL_EVERY`] once.
pub fn flaky(latency: Duration) -> io::Result<Server> {
    Server::start(ServerConfig {
        latency,
        fail_every: Some(FAIL_EVERY),
    })
}

/// What the server answers to request `id`.
pub fn expected(n: u64) -> Vec<Reply> {
    (0..n)
        .map(|id| Reply {
            id,
            body: format!("service-{id} deployed"),
        })
        .collect()
}

/// Call the exercise or the solution on a fresh count of `server`.
fn call(
    target: Target,
    rt: &Runtime,
    server: &Server,
    n: u64,
    limit: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    server.reset();
    let addr: SocketAddr = server.addr();
    match target {
        Target::Exercise => rt.block_on(concurrency_exercise::fetch_all(addr, n, limit, timeout)),
        Target::Solution => rt.block_on(concurrency_solution::fetch_all(addr, n, limit, timeout)),
    }
}

/// Every id once, in order, with the server's reply; else what is wrong.
fn compare(n: u64, got: &io::Result<Vec<Reply>>) -> Result<(), String> {
    let got = got
        .as_ref()
        .map_err(|e| format!("it returned an error: {e}"))?;
    let want = expected(n);
    if let Some((w, g)) = want.iter().zip(got).find(|(w, g)| w != g) {
        return Err(format!(
            "reply {} is {g:?}, expected {w:?}: one reply per id, in id order",
            w.id
        ));
    }
    if got.len() != want.len() {
        return Err(format!("{} replies for {n} requests", got.len()));
    }
    Ok(())
}

/// Run the four stages.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    let rt = runtime();
    let server = |latency| {
        flaky(latency).map_err(|e| Fail::Because(format!("the test server did not start: {e}")))
    };
    judge.stage("started", "replace the todo!() with your code", || {
        let server = Server::start(ServerConfig {
            latency: Duration::from_millis(1),
            fail_every: None,
        })
        .map_err(|e| Fail::Because(format!("the test server did not start: {e}")))?;
        check::attempt(|| call(target, &rt, &server, 1, 1, TIMEOUT)).map(|_| "it returns".into())
    })?;
    judge.stage(
        "every reply exactly once",
        "retry a failed attempt once; await the tasks in spawn order so replies come back in id order",
        || {
            let slow = server(LATENCY)?;
            let got = check::attempt(|| call(target, &rt, &slow, N, LIMIT, PATIENT))?;
            compare(N, &got).map_err(|e| {
                Fail::Because(format!("200 requests, limit 10, one in twenty failing once:\n{e}"))
            })?;
            let failed = slow.failed();
            let quick = server(Duration::from_millis(1))?;
            // Short enough that 32 inputs stay quick when lost requests
            // cost it, long enough that a healthy 1 ms request never
            // times out twice in a row, even on a busy machine.
            let timeout = Duration::from_millis(250);
            check::agree_on_random((0u64..60, 1usize..8), 32, |(n, limit)| {
                let got = check::attempt(|| call(target, &rt, &quick, n, limit, timeout))
                    .map_err(|_| "it panicked on this input".to_owned())?;
                compare(n, &got)
            })?;
            Ok(format!(
                "{N} replies, {failed} first attempts failed and retried; 32 random (n, limit)"
            ))
        },
    )?;
    judge.stage(
        "never more than limit in flight",
        "take a semaphore permit before connecting and keep it until the reply (and the retry) is done",
        || {
            let slow = server(LATENCY)?;
            let mut seen = Vec::new();
            for (n, limit) in [(N, LIMIT), (50, 3), (20, 1)] {
                // A healthy attempt that the client gave up on stays in
                // flight at the server while its retry starts, so the
                // server's count shows the limit only in a run where none
                // was given up: one answer per id (`served() == n`).
                let mut judged = false;
                for _ in 0..IN_FLIGHT_ATTEMPTS {
                    check::attempt(|| call(target, &rt, &slow, n, limit, PATIENT))?
                        .map_err(|e| Fail::Because(format!("it returned an error: {e}")))?;
                    if slow.served() != n {
                        continue;
                    }
                    let most = slow.max_in_flight();
                    if most > limit as u64 {
                        return Err(Fail::Because(format!(
                            "the server held {most} requests at once with limit = {limit} (n = {n})"
                        )));
                    }
                    seen.push(format!("{most} of {limit}"));
                    judged = true;
                    break;
                }
                if !judged {
                    return Err(Fail::Inconclusive(format!(
                        "in {IN_FLIGHT_ATTEMPTS} runs of n = {n}, limit = {limit}, healthy requests timed out after {} s \
                         and were sent again, so the server's count cannot show the limit",
                        PATIENT.as_secs()
                    )));
                }
            }
            Ok(format!("at most {} in flight", seen.join(", ")))
        },
    )?;
    judge.stage(
        "speed: within 1.5x the ideal",
        "all requests start at once behind the semaphore; a lost request costs one timeout, then the retry",
        || {
            let slow = server(LATENCY)?;
            let ideal = N.div_ceil(LIMIT as u64) as f64 * LATENCY.as_secs_f64();
            // Ok(seconds), or Err(what was wrong) for a run that returned an
            // error or a wrong answer; a panic ends the stage.
            let timed = |who: Target| -> Result<Result<f64, String>, Fail> {
                let start = Instant::now();
                let got = check::attempt(|| call(who, &rt, &slow, N, LIMIT, TIMEOUT))?;
                let took = start.elapsed().as_secs_f64();
                Ok(compare(N, &got).map(|()| took))
            };
            check::judge_speed(|| {
                // Three runs each, the reference solution's and the
                // learner's in turn; the fastest of each counts, since other
                // processes can only slow a run down. A reference run that
                // went wrong (a busy machine made its attempts time out
                // twice) counts as slow; a wrong run of the learner's counts
                // against it only where the reference's runs went right.
                let (mut reference, mut mine) = (f64::INFINITY, f64::INFINITY);
                let mut wrong = None;
                for _ in 0..3 {
                    reference = reference.min(timed(Target::Solution)?.unwrap_or(f64::INFINITY));
                    match timed(target)? {
                        Ok(took) => mine = mine.min(took),
                        Err(why) => wrong = Some(why),
                    }
                }
                if let Some(why) = wrong {
                    return Ok(check::SpeedRun {
                        reference_ok: reference / ideal <= SLACK,
                        candidate_ok: false,
                        near_reference: false,
                        figures: format!("a timed run went wrong: {why}"),
                    });
                }
                Ok(check::SpeedRun {
                    reference_ok: reference / ideal <= SLACK,
                    candidate_ok: mine / ideal <= SLACK,
                    near_reference: mine <= check::NEAR_REFERENCE * reference,
                    figures: format!(
                        "{:.0} ms for {N} requests (best of 3), {:.2}x the ideal {:.0} ms; \
                         the reference solution {:.2}x; the budget {SLACK}x",
                        mine * 1e3,
                        mine / ideal,
                        ideal * 1e3,
                        reference / ideal
                    ),
                })
            })
        },
    )
}
