//! The judge of `lessons/concurrency`' exercise, `fetch_all`: against a
//! server that fails some requests, judged on the server's own evidence
//! (what it served, what it failed, how many it held at once), so replies
//! made up from the protocol never pass.

use std::io;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use concurrency::io::Reply;
use concurrency::tokio::runtime::Runtime;
use concurrency::{Server, ServerConfig};

use super::{self as check, Fail, Failed, Judge, Target};
use crate::catalog::concurrency::BUDGET;
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
pub const PATIENT: Duration = Duration::from_millis(500);
/// How long one run of 200 requests may take before it counts as a hang:
/// the lost requests cost [`PATIENT`] each, and a client that works one
/// request at a time takes seconds. (A client that never returns is
/// caught sooner, at n = 1 in the first stage.)
pub const RUN_LIMIT: Duration = Duration::from_secs(30);
/// How many times the in-flight stage measures before it says inconclusive.
const IN_FLIGHT_ATTEMPTS: usize = 3;
/// One request in this many fails its first attempt.
pub const FAIL_EVERY: u64 = 20;
/// How far above ⌈n / limit⌉ × latency the timed run may be.
pub const SLACK: f64 = BUDGET.slack();

/// A server that fails one request in [`FAIL_EVERY`] once.
pub fn flaky(latency: Duration) -> io::Result<Server> {
    Server::start(ServerConfig {
        latency,
        fail_every: Some(FAIL_EVERY),
        down_for: None,
    })
}

/// How many of the ids `0..n` the server fails once: every
/// [`FAIL_EVERY`]-th.
pub fn failing(n: u64) -> u64 {
    n / FAIL_EVERY
}

/// The floor of a real run: below this fraction of the ideal time, the
/// replies cannot have come from the server.
pub const FLOOR: f64 = 0.9;

/// What the server answers to request `id`.
pub fn expected(n: u64) -> Vec<Reply> {
    (0..n)
        .map(|id| Reply {
            id,
            body: format!("service-{id} deployed"),
        })
        .collect()
}

/// How the judge calls an implementation: on a runtime, against a server.
pub type FetchFn = fn(&Runtime, SocketAddr, u64, usize, Duration) -> io::Result<Vec<Reply>>;

/// Call `f` on a fresh count of `server`.
fn call(
    f: FetchFn,
    rt: &Runtime,
    server: &Server,
    n: u64,
    limit: usize,
    timeout: Duration,
) -> io::Result<Vec<Reply>> {
    server.reset();
    f(rt, server.addr(), n, limit, timeout)
}

/// The exercise, as the judge calls it.
pub const EXERCISE: FetchFn = |rt, addr, n, limit, timeout| {
    rt.block_on(concurrency_exercise::fetch_all(addr, n, limit, timeout))
};
/// The reference solution, as the judge calls it.
pub const SOLUTION: FetchFn = |rt, addr, n, limit, timeout| {
    rt.block_on(concurrency_solution::fetch_all(addr, n, limit, timeout))
};

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

/// The server's side of a run that answered every id: it served each id
/// once (no reply was made up, none asked twice while healthy) and saw each
/// injected failure. `None` when a healthy attempt was given up and sent
/// again, which only a busy machine causes: the run then decides nothing.
fn evidence(server: &Server, n: u64) -> Result<Option<()>, String> {
    let (served, failed) = (server.served(), server.failed());
    if served < n {
        return Err(format!(
            "the server answered {served} of the {n} requests: the other replies did not come from it"
        ));
    }
    if failed != failing(n) {
        return Err(format!(
            "the server failed {failed} first attempts, expected {}: every failing id must be sent to it",
            failing(n)
        ));
    }
    Ok((served == n).then_some(()))
}

/// How many stages [`judge`] runs.
pub const STAGES: usize = 4;

/// Run the stages on the exercise or the reference solution.
pub fn judge(judge: &mut Judge, target: Target) -> Result<(), Failed> {
    judge_fn(
        judge,
        match target {
            Target::Exercise => EXERCISE,
            Target::Solution => SOLUTION,
        },
    )
}

/// Run the stages on any implementation of `fetch_all` (the known-wrong
/// submissions in `tests/wrong/` come in here).
pub fn judge_fn(judge: &mut Judge, candidate: FetchFn) -> Result<(), Failed> {
    let rt = runtime();
    let server = |latency| {
        flaky(latency).map_err(|e| Fail::Because(format!("the test server did not start: {e}")))
    };
    judge.stage("started", "replace the todo!() with your code", || {
        let server = Server::start(ServerConfig {
            latency: Duration::from_millis(1),
            fail_every: None,
            down_for: None,
        })
        .map_err(|e| Fail::Because(format!("the test server did not start: {e}")))?;
        check::attempt("n = 1, limit = 1", || {
            call(candidate, &rt, &server, 1, 1, TIMEOUT)
        })
        .map(|_| "it returns".into())
    })?;
    judge.stage(
        "every reply exactly once",
        "send every id to the server; retry a failed attempt once; await the tasks in spawn order so replies come back in id order",
        || {
            let slow = server(LATENCY)?;
            let at = "200 requests, limit 10, one in twenty failing once";
            let got = check::attempt_for(at, RUN_LIMIT, || call(candidate, &rt, &slow, N, LIMIT, PATIENT))?;
            compare(N, &got).map_err(|e| Fail::Because(format!("{at}:\n{e}")))?;
            evidence(&slow, N).map_err(|e| Fail::Because(format!("{at}:\n{e}")))?;
            let quick = server(Duration::from_millis(1))?;
            // Short enough that 32 inputs stay quick when lost requests
            // cost it, long enough that a healthy 1 ms request never
            // times out twice in a row, even on a busy machine.
            let timeout = Duration::from_millis(250);
            check::agree_on_random((0u64..60, 1usize..8), 32, |(n, limit)| {
                let got = call(candidate, &rt, &quick, n, limit, timeout);
                compare(n, &got)?;
                evidence(&quick, n).map(drop)
            })?;
            Ok(format!(
                "{N} replies, all served by the server; its {} failed first attempts retried; 32 random (n, limit)",
                failing(N)
            ))
        },
    )?;
    judge.stage(
        "limit in flight, never more",
        "take a semaphore permit before connecting and keep it until the reply (and the retry) is done; start every task at once",
        || {
            let slow = server(LATENCY)?;
            let mut seen = Vec::new();
            for (n, limit) in [(N, LIMIT), (50, 3), (20, 1)] {
                let at = format!("n = {n}, limit = {limit}");
                // A healthy attempt that the client gave up on stays in
                // flight at the server while its retry starts, so only a
                // run where none was given up (each id served once) shows
                // the limit; a busy machine can also keep the client from
                // filling every permit at once. So: up to 3 runs.
                let mut most_seen = Vec::new();
                for _ in 0..IN_FLIGHT_ATTEMPTS {
                    let got = check::attempt_for(&at, RUN_LIMIT, || call(candidate, &rt, &slow, n, limit, PATIENT))?;
                    compare(n, &got).map_err(|e| Fail::Because(format!("{at}: {e}")))?;
                    let clean = evidence(&slow, n).map_err(|e| Fail::Because(format!("{at}: {e}")))?;
                    let most = slow.max_in_flight();
                    if clean.is_none() {
                        continue;
                    }
                    if most > limit as u64 {
                        return Err(Fail::Because(format!(
                            "the server held {most} requests at once with {at}"
                        )));
                    }
                    most_seen.push(most);
                    if most == limit as u64 {
                        break;
                    }
                }
                match most_seen.iter().max() {
                    Some(&most) if most == limit as u64 => seen.push(format!("{most} of {limit}")),
                    Some(&most) if most_seen.iter().all(|&m| m * 2 <= limit as u64) && limit > 1 => {
                        return Err(Fail::Because(format!(
                            "with {at} the server never held more than {most} at once: keep `limit` requests going"
                        )));
                    }
                    _ => {
                        return Err(Fail::Inconclusive(format!(
                            "with {at} this machine kept the runs from showing the limit (at most {:?} in flight, \
                             or healthy requests timed out after {} ms and were sent again)",
                            most_seen,
                            PATIENT.as_millis()
                        )));
                    }
                }
            }
            Ok(format!("{} in flight", seen.join(", ")))
        },
    )?;
    judge.stage(
        &format!("speed: within {SLACK}x the ideal"),
        "all requests start at once behind the semaphore; a lost request costs one timeout, then the retry",
        || {
            let slow = server(LATENCY)?;
            let ideal = N.div_ceil(LIMIT as u64) as f64 * LATENCY.as_secs_f64();
            // Ok(seconds), or Err(what was wrong) for a run that returned an
            // error or a wrong answer; a panic ends the stage.
            let timed = |f: FetchFn| -> Result<Result<f64, String>, Fail> {
                let start = Instant::now();
                let got = check::attempt_for("the timed run: 200 requests, limit 10", RUN_LIMIT, || {
                    call(f, &rt, &slow, N, LIMIT, TIMEOUT)
                })?;
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
                    reference = reference.min(timed(SOLUTION)?.unwrap_or(f64::INFINITY));
                    match timed(candidate)? {
                        Ok(took) => mine = mine.min(took),
                        Err(why) => wrong = Some(why),
                    }
                }
                if mine < FLOOR * ideal {
                    return Err(Fail::Because(format!(
                        "{:.0} ms for {N} requests is faster than the server can answer ({:.0} ms at the least): \
                         the replies did not all come from it",
                        mine * 1e3,
                        FLOOR * ideal * 1e3
                    )));
                }
                if let Some(why) = wrong {
                    return Ok(check::SpeedRun {
                        reference_ok: reference / ideal <= SLACK,
                        candidate_ok: false,
                        near_reference: false,
                        behind: f64::INFINITY,
                        figures: format!("a timed run went wrong: {why}"),
                    });
                }
                Ok(check::SpeedRun {
                    reference_ok: reference / ideal <= SLACK,
                    candidate_ok: mine / ideal <= SLACK,
                    near_reference: mine <= check::NEAR_REFERENCE * reference,
                    behind: mine / reference,
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
