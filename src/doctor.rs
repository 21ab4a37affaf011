//! `workbench doctor`: what this machine can measure, and how to fix what
//! is missing. Each probe is one line: what was found, and where something
//! is missing, the command that adds it.

use std::process::Command;
use std::time::{Duration, Instant};

use crate::callgrind;

/// The gungraun version the instruction benches are pinned to in
/// Cargo.toml; its runner must match it exactly.
pub const GUNGRAUN: &str = "0.20.0";

/// One probe's finding.
pub struct Finding {
    /// What was probed, e.g. `valgrind`.
    pub what: &'static str,
    /// Whether it is there and usable.
    pub ok: bool,
    /// What was found, or how to fix it.
    pub detail: String,
}

/// The first line a command prints for `--version`, if it runs.
fn version(cmd: &str) -> Option<String> {
    let out = Command::new(cmd).arg("--version").output().ok()?;
    out.status.success().then(|| {
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .trim()
            .to_owned()
    })
}

/// How long `threads` threads take, together, to each do the same fixed
/// amount of arithmetic.
fn spin(threads: usize) -> Duration {
    let start = Instant::now();
    std::thread::scope(|s| {
        for _ in 0..threads {
            s.spawn(|| {
                let mut x = 1u64;
                for i in 0..30_000_000u64 {
                    x = std::hint::black_box(x.wrapping_mul(6364136223846793005).wrapping_add(i));
                }
                x
            });
        }
    });
    start.elapsed()
}

/// Every probe, in the order printed.
pub fn findings() -> Vec<Finding> {
    let mut found = Vec::new();
    found.push(match callgrind::valgrind() {
        Ok(v) => Finding {
            what: "valgrind",
            ok: true,
            detail: format!("{v}: `run --instructions` counts instructions under Callgrind"),
        },
        Err(why) => Finding {
            what: "valgrind",
            ok: false,
            detail: why,
        },
    });
    // gungraun's runner must be the very version of the library the
    // instruction benches link (Cargo.toml pins it).
    let runner = version("gungraun-runner");
    found.push(match runner {
        Some(v) if v.ends_with(GUNGRAUN) => Finding {
            what: "gungraun-runner",
            ok: true,
            detail: format!("{v}: `cargo bench --features gungraun --bench instructions` runs"),
        },
        Some(v) => Finding {
            what: "gungraun-runner",
            ok: false,
            detail: format!(
                "{v} does not match the benches' gungraun {GUNGRAUN}: `cargo install gungraun-runner --version {GUNGRAUN} --locked --force`"
            ),
        },
        None => Finding {
            what: "gungraun-runner",
            ok: false,
            detail: format!(
                "not installed (for the gungraun benches only): `cargo install gungraun-runner --version {GUNGRAUN} --locked`"
            ),
        },
    });
    let paranoid = std::fs::read_to_string("/proc/sys/kernel/perf_event_paranoid")
        .map(|s| s.trim().to_owned())
        .unwrap_or_else(|_| "unknown".into());
    let hardware = std::path::Path::new("/sys/bus/event_source/devices/cpu").exists();
    found.push(Finding {
        what: "hardware counters",
        ok: hardware,
        detail: if hardware {
            format!("present; perf_event_paranoid = {paranoid} (2 or more: only your own processes, user space)")
        } else {
            format!(
                "none (perf_event_paranoid = {paranoid}): a VM without a virtual PMU, so `perf stat` cannot count \
                 cycles or cache misses; Callgrind's counts do not need them"
            )
        },
    });
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let smt = std::fs::read_to_string("/sys/devices/system/cpu/smt/active")
        .map(|s| if s.trim() == "1" { "on" } else { "off" })
        .unwrap_or("unknown");
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_else(|| "unknown".into());
    let (one, two) = (spin(1), spin(2));
    let together = two.as_secs_f64() / one.as_secs_f64();
    found.push(Finding {
        what: "parallel threads",
        ok: cores >= 2 && together < 1.5,
        detail: format!(
            "{cores} cores, SMT {smt}, load average {load}; two threads took {together:.2}x one thread's time \
             for the same work each ({}): {}",
            "1.0 when both ran at once, 2.0 when they took turns",
            if together < 1.5 {
                "threads run at once now, so contention can be measured"
            } else {
                "they took turns: the counters and concurrency lessons will measure the scheduler; close other work"
            }
        ),
    });
    found.push(match version("mdbook") {
        Some(v) => Finding {
            what: "mdbook",
            ok: true,
            detail: format!("{v}: `mdbook serve book` shows the book"),
        },
        None => Finding {
            what: "mdbook",
            ok: false,
            detail: "not installed: `cargo install mdbook --locked`".into(),
        },
    });
    let browser = ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find_map(version);
    found.push(match browser {
        Some(v) => Finding {
            what: "chromium",
            ok: true,
            detail: format!("{v}: the book's browser check can run"),
        },
        None => Finding {
            what: "chromium",
            ok: false,
            detail:
                "not installed (for the book's browser check only): `sudo apt-get install chromium`"
                    .into(),
        },
    });
    found
}

/// Whether the tools the tour leans on (valgrind, mdbook) are missing,
/// without the slow probes.
pub fn something_missing() -> bool {
    callgrind::valgrind().is_err() || version("mdbook").is_none()
}
