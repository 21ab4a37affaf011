//! The scenario's input: a deterministic application log of a requested
//! size, the article's `app.log`.

use std::fmt::Write as _;
use std::io::{self, Write};
use std::path::Path;

/// The services that write to the log.
pub const SERVICES: [&str; 8] = [
    "api",
    "auth",
    "billing",
    "search",
    "payments",
    "notifier",
    "scheduler",
    "ingest",
];

/// The messages, most frequent first: a bounded set, so a summary of the
/// log has the same size however long the log is. Some are not ASCII.
pub const MESSAGES: [&str; 16] = [
    "request completed",
    "cache miss for deployment config",
    "connection reset by peer",
    "timeout after 30 s contacting ledger",
    "token expired",
    "retrying upload (attempt 2 of 5)",
    "Zahlung abgelehnt: Karte gesperrt",
    "délai dépassé pour la réplique",
    "queue depth above 10,000",
    "用户登录失败",
    "disk usage at 91 %",
    "TLS handshake failed: certificate unknown",
    "Ошибка записи в журнал",
    "scheduled job skipped: previous run still active",
    "rate limit exceeded → 429",
    "health check ok",
];

/// The levels, and how many lines in 100 carry each.
const LEVELS: [(&str, u64); 4] = [("DEBUG", 30), ("INFO", 50), ("WARN", 12), ("ERROR", 8)];

/// SplitMix64: a small, fast, seeded generator, so the log is the same on
/// every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number below `n`.
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

// ANCHOR: lines
/// Lines of the log, one after another, each written into `line` (cleared
/// first, ending in `\n`).
pub struct Lines {
    rng: SplitMix,
    ms: u64,
}

impl Lines {
    /// The log's first line comes next.
    pub fn new() -> Self {
        Lines {
            // The date this lesson was written, as a number.
            rng: SplitMix(20_261_125),
            ms: 0,
        }
    }

    /// Write the next line into `line`.
    pub fn next_into(&mut self, line: &mut String) {
        line.clear();
        self.ms += 1 + self.rng.below(3);
        let (day, rest) = (self.ms / 86_400_000, self.ms % 86_400_000);
        let (h, m, s, ms) = (
            rest / 3_600_000,
            rest / 60_000 % 60,
            rest / 1000 % 60,
            rest % 1000,
        );
        let mut pick = self.rng.below(100);
        let level = LEVELS
            .iter()
            .find(|&&(_, weight)| {
                let here = pick < weight;
                pick = pick.saturating_sub(weight);
                here
            })
            .map_or("INFO", |&(name, _)| name);
        let service = SERVICES[self.rng.below(SERVICES.len() as u64) as usize];
        // Skewed towards the first messages: the smaller of two picks.
        let n = MESSAGES.len() as u64;
        let message = MESSAGES[self.rng.below(n).min(self.rng.below(n)) as usize];
        writeln!(
            line,
            "2026-11-{:02}T{h:02}:{m:02}:{s:02}.{ms:03}Z {level} {service} {message}",
            25 + day
        )
        .expect("writing to a String cannot fail");
    }
}

// ANCHOR_END: lines

impl Default for Lines {
    fn default() -> Self {
        Self::new()
    }
}

/// The log's lines that fit in `bytes`, in memory.
///
/// ```
/// let log = streams::log::log(1 << 20);
/// assert!(log.len() <= 1 << 20 && log.len() > (1 << 20) - 100);
/// assert!(log.starts_with(b"2026-11-25T00:00:00.00"));
/// ```
pub fn log(bytes: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes as usize);
    write_lines(&mut out, bytes).expect("writing to a Vec cannot fail");
    out
}

/// Write the log's lines that fit in `bytes` to `path` (created or
/// replaced); returns how many bytes it wrote.
pub fn write_log(path: &Path, bytes: u64) -> io::Result<u64> {
    let mut file = io::BufWriter::with_capacity(1 << 20, std::fs::File::create(path)?);
    let written = write_lines(&mut file, bytes)?;
    file.into_inner().map_err(|e| e.into_error())?;
    Ok(written)
}

/// Whole lines of the log into `out` while they fit in `bytes`.
fn write_lines(out: &mut impl Write, bytes: u64) -> io::Result<u64> {
    let mut lines = Lines::new();
    let mut line = String::with_capacity(128);
    let mut written = 0;
    loop {
        lines.next_into(&mut line);
        if written + line.len() as u64 > bytes {
            return Ok(written);
        }
        out.write_all(line.as_bytes())?;
        written += line.len() as u64;
    }
}
