//! Flame graphs: pprof's sampling profiler around a loop of one variant's
//! calls. pprof samples on a timer (`setitimer`), not on hardware counters,
//! so it works in a virtual machine that has none.
//!
//! Behind the `profile` feature: pprof and its flame graph writer stay out
//! of the default build. The benches use [`Sampler`] too (criterion's
//! `--profile-time`), so a bench's flame graph and the book's are made the
//! same way.

use std::time::{Duration, Instant};

use crate::catalog::Case;

/// Samples per second: a prime, so the timer does not beat with periodic
/// work in the code it samples.
pub const FREQUENCY: i32 = 997;

/// Libraries whose samples pprof drops: the unwinder's own (a sample
/// taken inside it could deadlock), the thread library's, and the vDSO,
/// whose unwind tables some systems get wrong. Not the C library: pprof
/// drops a sample whose frame is in a blocked library whole, so blocking
/// libc would hide every sample in `memmove` and `malloc`, and a program
/// that spends its time there (profiling's `slow`) would look as if it
/// did not.
const BLOCKLIST: [&str; 3] = ["libgcc", "pthread", "vdso"];

/// A running profile: start it, run the code, then write its flame graph.
pub struct Sampler(pprof::ProfilerGuard<'static>);

impl Sampler {
    /// Start sampling this process at [`FREQUENCY`].
    pub fn start() -> Result<Sampler, String> {
        pprof::ProfilerGuardBuilder::default()
            .frequency(FREQUENCY)
            .blocklist(&BLOCKLIST)
            .build()
            .map(Sampler)
            .map_err(|e| format!("could not start the profiler: {e}"))
    }

    /// Stop sampling and return the flame graph as SVG, titled `title`.
    pub fn flame_svg(self, title: &str) -> Result<Vec<u8>, String> {
        self.finish(title, Duration::ZERO).map(|(svg, _)| svg)
    }

    /// Stop sampling; the flame graph as SVG, titled `title`, and the
    /// functions that took most samples ([`top_functions`]) from the same
    /// samples, over `sampled` of one thread's calls.
    pub fn finish(self, title: &str, sampled: Duration) -> Result<(Vec<u8>, String), String> {
        let report = self.0.report().build().map_err(|e| e.to_string())?;
        let mut options = pprof::flamegraph::Options::default();
        options.title = title.to_owned();
        options.count_name = "samples".to_owned();
        // Browsers draw the monospace labels a little wider than inferno's
        // default estimate (0.59 of the font size): truncate them earlier, so
        // no label runs into its neighbour's box.
        options.font_width = 0.65;
        let mut svg = Vec::new();
        report
            .flamegraph_with_options(&mut svg, &mut options)
            .map_err(|e| e.to_string())?;
        let stacks: Vec<(Vec<String>, u64)> = report
            .data
            .iter()
            .map(|(frames, &count)| {
                // Innermost first: a frame's symbols are its inlined
                // functions, innermost first too.
                let stack = frames
                    .frames
                    .iter()
                    .flat_map(|frame| frame.iter().map(|symbol| symbol.to_string()))
                    .collect();
                (stack, count.max(0) as u64)
            })
            .collect();
        Ok((svg, top_functions(&stacks, TOP, sampled)))
    }
}

/// How many functions [`top_functions`] lists.
pub const TOP: usize = 12;

/// cProfile's table from samples: each function's *self* samples (it was
/// the innermost frame: its own code running) and *total* samples (it was
/// anywhere on the stack: itself and what it called), as shares of all
/// samples and as shares of `sampled` (the time the one sampled thread
/// ran), sorted by self, `top` of them. `stacks` are stacks (innermost
/// function first) with their sample counts. The time is the share times
/// `sampled`, not the samples times the period asked for: the timer fires
/// on the kernel's tick, which may be coarser than [`FREQUENCY`] (250 a
/// second on this machine's kernel). Sampling sees no calls, so unlike
/// cProfile there is no `ncalls` column.
pub fn top_functions(stacks: &[(Vec<String>, u64)], top: usize, sampled: Duration) -> String {
    use std::collections::{HashMap, HashSet};
    let all: u64 = stacks.iter().map(|(_, n)| n).sum();
    let mut by: HashMap<&str, (u64, u64)> = HashMap::new();
    for (stack, n) in stacks {
        if let Some(innermost) = stack.first() {
            by.entry(innermost).or_default().0 += n;
        }
        // A recursive function counts once per sample in its total.
        let mut seen = HashSet::new();
        for f in stack {
            if seen.insert(f.as_str()) {
                by.entry(f).or_default().1 += n;
            }
        }
    }
    let mut rows: Vec<(&str, u64, u64)> = by.into_iter().map(|(f, (s, t))| (f, s, t)).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)).then(a.0.cmp(b.0)));
    let share = |n: u64| 100.0 * n as f64 / all.max(1) as f64;
    let ms = |n: u64| sampled.as_secs_f64() * 1000.0 * n as f64 / all.max(1) as f64;
    let mut out = format!(
        "{all} samples in {:.1} s of calls ({:.0} a second); by self time (the function's own code), then total (with what it called)\n{:>7} {:>9} {:>8} {:>9}  function\n",
        sampled.as_secs_f64(),
        all as f64 / sampled.as_secs_f64().max(f64::MIN_POSITIVE),
        "self",
        "self ms",
        "total",
        "total ms"
    );
    for (f, s, t) in rows.into_iter().take(top) {
        let shown: String = if f.chars().count() > 100 {
            f.chars().take(99).chain(['…']).collect()
        } else {
            f.to_owned()
        };
        out.push_str(&format!(
            "{:>6.1}% {:>9.0} {:>7.1}% {:>9.0}  {shown}\n",
            share(s),
            ms(s),
            share(t),
            ms(t)
        ));
    }
    out
}

/// Call `case` over and over for `spent`, sampling, and return the flame
/// graph and the table of [`top_functions`]. The case is prepared (and run once, so first-call costs are not
/// in the graph) before the profiler starts.
pub fn flame(
    case: &mut dyn Case,
    spent: Duration,
    title: &str,
) -> Result<(Vec<u8>, String), String> {
    case.run();
    let sampler = Sampler::start()?;
    let start = Instant::now();
    while start.elapsed() < spent {
        case.run();
    }
    sampler.finish(title, start.elapsed())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Self counts the innermost frame only, total every frame once per
    /// sample (a recursive one too); the order is by self.
    #[test]
    fn self_and_total_are_counted_as_cprofile_counts_them() {
        let s = |v: &[&str]| v.iter().map(|f| f.to_string()).collect::<Vec<_>>();
        let stacks = vec![
            (s(&["memmove", "remove", "slow", "main"]), 90),
            (s(&["lower", "slow", "main"]), 8),
            (s(&["slow", "slow", "main"]), 2),
        ];
        let table = top_functions(&stacks, 3, Duration::from_secs(2));
        let lines: Vec<&str> = table.lines().collect();
        assert!(
            lines[0].starts_with("100 samples in 2.0 s of calls (50 a second)"),
            "{table}"
        );
        // 90 of 100 samples of 2 s: 1,800 ms.
        assert!(lines[2].contains(" 1800 "), "{table}");
        assert!(
            lines[2].ends_with("memmove") && lines[2].contains("90.0%"),
            "{table}"
        );
        assert!(lines[3].ends_with("lower"), "{table}");
        assert!(
            lines[4].ends_with("slow") && lines[4].contains("2.0%") && lines[4].contains("100.0%"),
            "{table}"
        );
        assert_eq!(lines.len(), 5);
    }
}
