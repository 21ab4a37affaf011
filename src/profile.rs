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

/// Frames left out of every graph: the C library's and the kernel's
/// entry points, which sit under every stack and say nothing about the
/// variant.
const BLOCKLIST: [&str; 4] = ["libc", "libgcc", "pthread", "vdso"];

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
        Ok(svg)
    }
}

/// Call `case` over and over for `spent`, sampling, and return the flame
/// graph. The case is prepared (and run once, so first-call costs are not
/// in the graph) before the profiler starts.
pub fn flame(case: &mut dyn Case, spent: Duration, title: &str) -> Result<Vec<u8>, String> {
    case.run();
    let sampler = Sampler::start()?;
    let start = Instant::now();
    while start.elapsed() < spent {
        case.run();
    }
    sampler.flame_svg(title)
}
