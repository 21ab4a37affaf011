//! The Python side by side: run a lesson's `python/reference.py` (the
//! article's algorithms written afresh, timing themselves on the lesson's
//! inputs) and read the JSON it prints.
//!
//! The JSON a reference script prints: `{"lesson", "python", "rows":
//! [{"variant", "value", "median_ns", "rust"?, …}]}`. `rust` names the
//! Rust variant the row corresponds to (for the "beside CPython" table);
//! any other numeric field (`results`, `lost_updates`…) is a figure the
//! claims page may cite.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// Why the Python columns are missing.
#[derive(Debug)]
pub enum Skipped {
    /// No `python3` on the PATH.
    NoPython,
    /// The script failed, timed out or printed something else than JSON.
    Failed(String),
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Skipped::NoPython => write!(f, "python3 was not found on the PATH"),
            Skipped::Failed(why) => write!(f, "{why}"),
        }
    }
}

/// The Python interpreter's version, or why there is none.
pub fn version() -> Result<String, Skipped> {
    let out = Command::new("python3")
        .arg("--version")
        .output()
        .map_err(|_| Skipped::NoPython)?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// Run `script` with its default arguments, stopping it after `limit`, and
/// parse its JSON.
pub fn run(script: &Path, limit: Duration) -> Result<Value, Skipped> {
    version()?;
    let mut child = Command::new("python3")
        .arg(script)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| Skipped::Failed(format!("could not start {}: {e}", script.display())))?;
    // Drain both pipes on threads: a child blocked on a full pipe would
    // otherwise look like a hang.
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            if let Some(mut pipe) = pipe {
                let _ = pipe.read_to_end(&mut buf);
            }
            buf
        })
    };
    let stdout = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let stderr = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let status = match crate::child::wait_or_kill(&mut child, limit) {
        Ok(Some(status)) => status,
        Ok(None) => {
            return Err(Skipped::Failed(format!(
                "{} did not finish within {} s",
                script.display(),
                limit.as_secs()
            )));
        }
        Err(e) => return Err(Skipped::Failed(e.to_string())),
    };
    // The child has exited, so both readers reach end of file.
    let out = stdout.join().unwrap_or_default();
    let err = stderr.join().unwrap_or_default();
    if !status.success() {
        let err = String::from_utf8_lossy(&err);
        let last = err.lines().last().unwrap_or("no message");
        return Err(Skipped::Failed(format!(
            "{} failed: {last}",
            script.display()
        )));
    }
    serde_json::from_slice(&out)
        .map_err(|e| Skipped::Failed(format!("{} printed no valid JSON: {e}", script.display())))
}

/// [`run`] with a 15-minute limit, stamping the JSON with the date and the
/// machine (`measured`, `measured_on`), as the results pages cite them.
pub fn run_stamped(script: &Path, machine: &crate::machine::Machine) -> Result<Value, Skipped> {
    let mut json = run(script, Duration::from_secs(900))?;
    json["measured"] = machine.date.clone().into();
    json["measured_on"] = machine.summary().into();
    Ok(json)
}
