//! Child processes the workbench starts (the exercise judge, the Python
//! references, measuring processes): none outlives its time limit.
//!
//! The worker pool of the concurrency lesson polls its workers finely (it
//! wants their outcome the moment their output ends); the workbench waits
//! without waking at all. A parent that polls every 10 ms wakes a core 100
//! times a second, and on a 2-core machine that is enough to change what a
//! contention measurement in the child sees: the counters judge, run under
//! a polling parent, measured its padded solution 1.1x faster than unpadded
//! shards instead of 4x.

use std::io;
use std::process::{Child, ExitStatus};
use std::time::Duration;

pub use concurrency::worker::describe;

/// Wait for `child` to exit, at most `limit`, without waking this process
/// meanwhile: a thread blocks in `wait`, and the caller sleeps until it
/// returns or the limit passes. On overrun, kill and reap the child and
/// return `None`, so no child is left running whatever the caller does
/// next.
#[cfg(unix)]
pub fn wait_or_kill(child: &mut Child, limit: Duration) -> io::Result<Option<ExitStatus>> {
    let pid = child.id();
    std::thread::scope(|s| {
        let (done, finished) = std::sync::mpsc::channel();
        let waiter = s.spawn(move || {
            let status = child.wait();
            let _ = done.send(());
            status
        });
        let overran = finished.recv_timeout(limit).is_err();
        if overran {
            // SAFETY: `kill` has no memory-safety preconditions. The pid is
            // our child's, and it is not yet reaped (the waiter has not
            // reported), so it cannot name another process; in the instant
            // between the waiter's `wait` returning and its report, the
            // kernel would have to hand the same pid to a new process.
            unsafe {
                libc::kill(pid as libc::pid_t, libc::SIGKILL);
            }
        }
        let status = waiter
            .join()
            .map_err(|_| io::Error::other("the thread waiting for the child panicked"))??;
        Ok((!overran).then_some(status))
    })
}

/// Elsewhere: the lesson's polling wait.
#[cfg(not(unix))]
pub use concurrency::worker::wait_or_kill;

/// Run a measuring process, `exe` with `args`, for at most `limit`, and
/// read the one number it prints: `Some(n)`, or `None` where it printed
/// `-` (the OS does not say). Its output is a short line, so a pipe holds
/// it until the process has exited.
pub fn number_from<S: AsRef<std::ffi::OsStr>>(
    exe: &std::path::Path,
    args: &[S],
    limit: Duration,
) -> Result<Option<u64>, String> {
    let mut child = std::process::Command::new(exe)
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start the measuring process: {e}"))?;
    if wait_or_kill(&mut child, limit)
        .map_err(|e| e.to_string())?
        .is_none()
    {
        return Err(format!(
            "the measuring process did not finish within {} s",
            limit.as_secs()
        ));
    }
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    match text.trim() {
        _ if !out.status.success() => Err(format!("the measuring process failed ({})", out.status)),
        "-" => Ok(None),
        number => number
            .parse()
            .map(Some)
            .map_err(|_| format!("unexpected output {number:?}")),
    }
}
