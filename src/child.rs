//! Child processes the workbench starts (the exercise judge, the Python
//! references, measuring processes): none outlives its time limit.

use std::process::{Child, ExitStatus};
use std::time::{Duration, Instant};

/// Wait for `child` to exit, at most `limit`. On overrun, kill and reap it
/// and return `None`, so no child is left running whatever the caller does
/// next.
pub fn wait_or_kill(child: &mut Child, limit: Duration) -> std::io::Result<Option<ExitStatus>> {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok(Some(status));
        }
        if Instant::now() >= deadline {
            // Both fail only if the child already exited and was reaped.
            let _ = child.kill();
            let _ = child.wait();
            return Ok(None);
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}
