//! What the profiling exercise shares with the lesson: the log's format,
//! the [`Summary`] every summarizer returns, and the seeded inputs of the
//! lesson's three questions (the log, the deployments to cost, the
//! deployments to take in order of urgency).
//!
// ANCHOR: contract
//! # The contract
//!
//! - The log is a `&str`; its lines are what `str::lines` yields (a `\r`
//!   before a `\n` belongs to the ending).
//! - A line is `timestamp level service message`: four fields, split at
//!   the first three spaces; the message is the rest of the line. A line
//!   with fewer than four fields is *malformed*: counted, otherwise
//!   skipped.
//! - Levels are counted whatever their case: a level's key is the level
//!   lowercased as `str::to_lowercase` does it (`ERROR`, `Error` and
//!   `error` are one level, `error`).
//! - An *error line* is a well-formed line whose lowercased level is
//!   `error`. The summary keeps the [`TOP`] most frequent error messages,
//!   lowercased as `str::to_lowercase` does it (Unicode, final sigma
//!   included), most frequent first, ties in byte order of the message.
// ANCHOR_END: contract
#![deny(missing_docs)]

/// How many of the most frequent error messages a summary keeps.
pub const TOP: usize = 10;

/// What a log says.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Summary {
    /// Every line, malformed ones included.
    pub lines: u64,
    /// Lines with fewer than four fields.
    pub malformed: u64,
    /// Lines per level, the level lowercased, in byte order of the level.
    pub levels: Vec<(String, u64)>,
    /// The [`TOP`] most frequent error messages, lowercased, most
    /// frequent first, ties in byte order.
    pub top_errors: Vec<(String, u64)>,
}

impl Summary {
    /// The summary from its tables: levels sorted, the top messages
    /// chosen and ordered.
    pub fn new(
        lines: u64,
        malformed: u64,
        levels: impl IntoIterator<Item = (String, u64)>,
        messages: impl IntoIterator<Item = (String, u64)>,
    ) -> Summary {
        let mut levels: Vec<_> = levels.into_iter().collect();
        levels.sort_unstable();
        let mut top_errors: Vec<_> = messages.into_iter().collect();
        top_errors.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top_errors.truncate(TOP);
        Summary {
            lines,
            malformed,
            levels,
            top_errors,
        }
    }
}

/// The levels the log is written with, one per line in turn (3 of 16 are
/// errors, in three spellings).
pub const LEVELS: [&str; 16] = [
    "INFO", "INFO", "info", "DEBUG", "INFO", "WARN", "ERROR", "INFO", "debug", "INFO", "Warn",
    "error", "INFO", "DEBUG", "Error", "INFO",
];

/// The services that write the log.
pub const SERVICES: [&str; 5] = ["api", "auth", "billing", "payments", "search"];

/// The messages: most ASCII; some with letters whose lowercase is not
/// ASCII's (`Ü`), depends on the word's end (`Σ`: `σ` inside a word, `ς`
/// at its end), is ASCII though the letter is not (the Kelvin sign `K`
/// lowercases to `k`), or is longer than the letter (`İ`: `i` and a
/// combining dot).
pub const MESSAGES: [&str; 12] = [
    "Connection refused by upstream host db-primary:5432",
    "Timeout after 30s waiting for the payment gateway",
    "User not found",
    "Disk quota exceeded on /var/lib/deployments",
    "Cache miss for key session:42",
    "Retrying request (attempt 3 of 5)",
    "Invalid token: signature mismatch",
    "Rate limit exceeded for client 10.0.0.7",
    "Über-cache eviction failed",
    "ΣΥΝΔΕΣΗ ΜΕ ΤΟΝ ΚΟΜΒΟ ΑΠΕΤΥΧΕ ΣΤΗΝ ΟΔΟΣ",
    "Sensor reads 300 \u{212A}, above its limit",
    "İstanbul region unreachable",
];

/// Line `i` of the lesson's log, without its newline. Every 997th line
/// is cut after its level (malformed), every 1,009th is empty.
pub fn log_line(i: u64, out: &mut String) {
    use std::fmt::Write;
    if i % 1009 == 1008 {
        return;
    }
    let ms = i * 37;
    let (h, m, s, milli) = (
        ms / 3_600_000 % 24,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000,
    );
    let level = LEVELS[(i % 16) as usize];
    write!(out, "2026-11-25T{h:02}:{m:02}:{s:02}.{milli:03}Z {level}").expect("a String");
    if i % 997 == 996 {
        return;
    }
    let service = SERVICES[(i * 3 % 5) as usize];
    let message = MESSAGES[((i + i / 16) % 12) as usize];
    write!(out, " {service} {message}").expect("a String");
}

/// The lesson's log of `n` lines, each ended by `\n`.
///
/// ```
/// let log = profiling_api::log(3);
/// assert_eq!(log.lines().count(), 3);
/// assert!(log.starts_with("2026-11-25T00:00:00.000Z INFO api "));
/// ```
pub fn log(n: u64) -> String {
    let mut out = String::with_capacity(n as usize * 80);
    for i in 0..n {
        log_line(i, &mut out);
        out.push('\n');
    }
    out
}

/// One deployment to cost, with the article's three fields.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Deployment {
    /// How many instances run.
    pub instances: f64,
    /// What one instance costs per hour.
    pub cost_per_instance: f64,
    /// For how many hours.
    pub hours: f64,
}

/// The lesson's `n` deployments to cost: deployment `i` has
/// `1 + i·7 mod 20` instances at `0.5 + (i·37 mod 1000) / 100` an hour
/// for `(1 + i·11 mod 720) / 4` hours. Every value is what Python's
/// float arithmetic gives for the same expression.
pub fn deployments(n: u64) -> Vec<Deployment> {
    (0..n)
        .map(|i| Deployment {
            instances: (1 + i * 7 % 20) as f64,
            cost_per_instance: (i * 37 % 1000) as f64 / 100.0 + 0.5,
            hours: (1 + i * 11 % 720) as f64 / 4.0,
        })
        .collect()
}

/// A deployment waiting its turn: the smallest `urgency` goes first, ties
/// by the smaller `id`, so the order is total and every structure agrees.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pending {
    /// Lower is more urgent.
    pub urgency: u32,
    /// Which deployment.
    pub id: u32,
}

/// The lesson's `n` pending deployments: deployment `i` has urgency
/// `i·2,654,435,761 mod 4,294,967,291 mod 10,000` (a multiplicative hash,
/// so urgencies come in no order and repeat).
pub fn pending(n: u64) -> Vec<Pending> {
    (0..n)
        .map(|i| Pending {
            urgency: (i * 2_654_435_761 % 4_294_967_291 % 10_000) as u32,
            id: i as u32,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_log_has_every_kind_of_line() {
        let log = log(2_000);
        let lines: Vec<&str> = log.lines().collect();
        assert_eq!(lines.len(), 2_000);
        assert_eq!(lines[1008], "");
        assert_eq!(lines[996].split(' ').count(), 2);
        assert!(lines.iter().any(|l| l.contains('\u{212A}')));
    }

    #[test]
    fn the_inputs_are_what_the_docs_say() {
        let d = deployments(3);
        assert_eq!(d[1].instances, 8.0);
        assert_eq!(d[1].cost_per_instance, 0.87);
        assert_eq!(d[1].hours, 3.0);
        let p = pending(2);
        assert_eq!(p[1].urgency, (2_654_435_761u64 % 10_000) as u32);
    }
}
