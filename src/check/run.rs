//! Calling the learner's code: a panic becomes a verdict with its message
//! and location, and a call that does not return is stopped with the input
//! it was running named.
//!
//! The judge runs in a child process. A watchdog thread there knows which
//! input the learner's code is working on and since when; past the case's
//! limit it prints the verdict and ends the process (a thread that loops
//! forever cannot be stopped any other way). The parent's `--timeout` stays
//! as the last resort for anything outside a registered case.

use std::io::Write;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, Once};
use std::time::{Duration, Instant};

use super::{FAILED, Fail};

/// How long one call of the learner's code may take before it counts as a
/// hang: hundreds of times what the reference solution needs on the
/// judges' inputs (milliseconds), so only a loop that does not end
/// reaches it, and short enough that a hang is reported within seconds.
pub const CASE_LIMIT: Duration = Duration::from_secs(10);

/// The input being worked on, since when, and for how long it may run.
struct Running {
    what: String,
    since: Instant,
    limit: Duration,
}

static RUNNING: Mutex<Option<Running>> = Mutex::new(None);
/// The first panic since the current call began: message and location.
static FIRST_PANIC: Mutex<Option<String>> = Mutex::new(None);
/// What to print under a hang: the lesson's file and command.
static NEXT: Mutex<String> = Mutex::new(String::new());
static START: Once = Once::new();

/// Install the panic hook and start the watchdog, once per process. `next`
/// is the line printed after a hang, telling what to do.
pub fn start(next: String) {
    *lock(&NEXT) = next;
    START.call_once(|| {
        // A panic is reported by the stage that caught it, one line with
        // its message and location, never as a trace. In a learner's
        // spawned thread the first panic is the informative one (the
        // thread that joins it panics again, with a generic message).
        panic::set_hook(Box::new(|info| {
            let mut first = lock(&FIRST_PANIC);
            if first.is_none() {
                let msg = message(info.payload());
                *first = Some(match info.location() {
                    Some(at) => format!("{msg} (at {}:{})", at.file(), at.line()),
                    None => msg,
                });
            }
        }));
        std::thread::spawn(watch);
    });
}

fn watch() {
    loop {
        std::thread::sleep(Duration::from_millis(50));
        let running = lock(&RUNNING);
        let Some(r) = running.as_ref() else { continue };
        if r.since.elapsed() < r.limit {
            continue;
        }
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "FAILED");
        let _ = writeln!(
            out,
            "  it did not return within {} s on this input: {}",
            r.limit.as_secs(),
            r.what
        );
        let _ = writeln!(
            out,
            "  hint: a loop whose exit condition this input never meets? (the reference solution needs milliseconds)"
        );
        let _ = writeln!(out, "  {}", lock(&NEXT));
        let _ = out.flush();
        super::verdict::hung(&r.what);
        // Exiting runs no destructor: remove the input files a judge wrote.
        crate::catalog::streams::remove_logs();
        crate::catalog::resources::remove_databases();
        std::process::exit(FAILED);
    }
}

/// A poisoned lock only means a panic (a learner's, in the judge) passed
/// through while it was held; the data is still whole: every change under
/// the locks that use this is one assignment. The verdict and watch mode
/// use it too.
pub fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|p| p.into_inner())
}

/// Call learner code on the input described by `what`, turning a panic
/// into a [`Fail`] with its message and location, and a call that runs
/// past [`CASE_LIMIT`] into a reported hang.
pub fn attempt<R>(what: &str, f: impl FnOnce() -> R) -> Result<R, Fail> {
    attempt_for(what, CASE_LIMIT, f)
}

/// [`attempt`] with a limit of its own (a speed stage measures many calls).
pub fn attempt_for<R>(what: &str, limit: Duration, f: impl FnOnce() -> R) -> Result<R, Fail> {
    *lock(&FIRST_PANIC) = None;
    *lock(&RUNNING) = Some(Running {
        what: what.to_owned(),
        since: Instant::now(),
        limit,
    });
    let result = panic::catch_unwind(AssertUnwindSafe(f));
    *lock(&RUNNING) = None;
    result.map_err(|payload| {
        let msg = lock(&FIRST_PANIC)
            .take()
            .unwrap_or_else(|| message(payload.as_ref()));
        if msg.starts_with("not yet implemented") {
            Fail::NotStarted
        } else {
            Fail::Panicked(msg)
        }
    })
}

fn message(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(a panic without a message)".to_owned())
}

/// An input as the verdict shows it: its `Debug` form, cut at 300
/// characters.
pub fn shown<T: std::fmt::Debug + ?Sized>(input: &T) -> String {
    let s = format!("{input:?}");
    if s.len() > 300 {
        format!("{}… ({} chars)", &s[..s.floor_char_boundary(300)], s.len())
    } else {
        s
    }
}
