//! What the streams exercise shares with the lesson: the log's line
//! format, the [`Summary`] every variant returns, and the [`Tally`] that
//! builds it one line at a time.
//!
// ANCHOR: contract
//! # The contract
//!
//! - A line is the bytes up to a `\n`; a `\r` just before the `\n` belongs
//!   to the line ending (CRLF). The last line needs no `\n`: the end of the
//!   file ends it too (and a `\r` it ends with is then part of it). An
//!   empty file has no lines.
//! - A line is `timestamp level service message`: four fields, split at the
//!   first three spaces; the message is the rest of the line.
//! - A line that is not valid UTF-8, or has fewer than four fields, or an
//!   empty timestamp, level or service, is *malformed*: counted, and
//!   otherwise skipped.
//! - The summary counts lines, malformed lines, `ERROR` lines per service,
//!   and the 10 most frequent `ERROR` messages (ties by message, in byte
//!   order).
// ANCHOR_END: contract
#![deny(missing_docs)]

use std::collections::HashMap;

/// The tally's tables: keys from the log itself, hashed with foldhash
/// (its seed random per process, so a log crafted to collide cannot be
/// written in advance), which costs less per line than SipHash.
type Counts = HashMap<String, u64, foldhash::fast::RandomState>;

/// How many of the most frequent error messages a summary keeps.
pub const TOP: usize = 10;

/// One well-formed line, borrowed from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Record<'a> {
    /// When, e.g. `2026-11-25T08:00:00.000Z`.
    pub timestamp: &'a str,
    /// `DEBUG`, `INFO`, `WARN` or `ERROR` (any word parses; only `ERROR`
    /// is counted).
    pub level: &'a str,
    /// Which service wrote it, e.g. `payments`.
    pub service: &'a str,
    /// The rest of the line.
    pub message: &'a str,
}

/// Split one line (its ending already removed) into its four fields, or
/// `None` when it is malformed.
///
/// ```
/// let r = streams_api::parse("2026-11-25T08:00:00.000Z ERROR auth token expired").unwrap();
/// assert_eq!((r.level, r.service, r.message), ("ERROR", "auth", "token expired"));
/// assert_eq!(streams_api::parse("2026-11-25T08:00:00.000Z ERROR auth"), None);
/// ```
pub fn parse(line: &str) -> Option<Record<'_>> {
    let [first, second, third] = first_three_spaces(line.as_bytes())?;
    if first == 0 || second == first + 1 || third == second + 1 {
        return None;
    }
    // A space is ASCII, so cutting at one falls between characters.
    Some(Record {
        timestamp: &line[..first],
        level: &line[first + 1..second],
        service: &line[second + 1..third],
        message: &line[third + 1..],
    })
}

/// Where the first three spaces of `bytes` are, eight bytes at a time.
///
/// The fields before the message are short (a timestamp is 24 bytes), too
/// short for `str::splitn`'s searcher or `memchr` to pay for their setup.
/// This reads eight bytes as one `u64`, marks the bytes that are spaces in
/// it with a few arithmetic steps, and takes the marks in order; a word
/// may hold two or three of them (`ERROR api `).
fn first_three_spaces(bytes: &[u8]) -> Option<[usize; 3]> {
    const LOW7: u64 = u64::from_ne_bytes([0x7f; 8]);
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    let mut cuts = [0; 3];
    let mut found = 0;
    let mut at = 0;
    while let Some(eight) = bytes.get(at..at + 8) {
        // A byte of `word` is zero where the byte was a space. Adding 0x7f
        // to its low seven bits sets its high bit unless they were all
        // zero; with its own high bit, what is left unset marks exactly
        // the zero bytes (no borrow crosses between bytes).
        let word = u64::from_le_bytes(eight.try_into().expect("eight bytes")) ^ SPACES;
        let mut marks = !(((word & LOW7) + LOW7) | word | LOW7);
        while marks != 0 {
            cuts[found] = at + (marks.trailing_zeros() / 8) as usize;
            found += 1;
            if found == 3 {
                return Some(cuts);
            }
            marks &= marks - 1;
        }
        at += 8;
    }
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        if b == b' ' {
            cuts[found] = i;
            found += 1;
            if found == 3 {
                return Some(cuts);
            }
        }
    }
    None
}

/// A line without its ending: a trailing `\n`, and a `\r` just before
/// it. A last line with no `\n` keeps a trailing `\r`: it is not an
/// ending there, as `BufRead::lines` also reads it.
///
/// ```
/// assert_eq!(streams_api::strip_ending(b"a b c d\r\n"), b"a b c d");
/// assert_eq!(streams_api::strip_ending(b"a b c d"), b"a b c d");
/// assert_eq!(streams_api::strip_ending(b"a b c d\r"), b"a b c d\r");
/// ```
pub fn strip_ending(line: &[u8]) -> &[u8] {
    match line.strip_suffix(b"\n") {
        Some(line) => line.strip_suffix(b"\r").unwrap_or(line),
        None => line,
    }
}

/// What a log says, in a size that does not grow with the log.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct Summary {
    /// Every line, malformed ones included.
    pub lines: u64,
    /// Lines that are not valid UTF-8 or lack a field.
    pub malformed: u64,
    /// `ERROR` lines per service, by service name.
    pub errors_by_service: Vec<(String, u64)>,
    /// The [`TOP`] most frequent `ERROR` messages, most frequent first,
    /// ties in byte order of the message.
    pub top_errors: Vec<(String, u64)>,
}

/// A summary being built, a line at a time. It allocates once per new
/// service or message and when its tables grow, never per line: a log
/// whose services and messages come from a bounded set costs it a bounded
/// number of allocations, however long the log.
#[derive(Debug, Default)]
pub struct Tally {
    lines: u64,
    malformed: u64,
    by_service: Counts,
    by_message: Counts,
}

impl Tally {
    /// An empty tally.
    pub fn new() -> Self {
        Self::default()
    }

    /// Count one line, given with or without its ending: the whole
    /// per-line work (strip the ending, check UTF-8, parse, count).
    pub fn line(&mut self, line: &[u8]) {
        match std::str::from_utf8(strip_ending(line)) {
            Ok(text) => self.text(text),
            Err(_) => self.malformed(),
        }
    }

    /// Count one line already known to be UTF-8, its ending removed.
    pub fn text(&mut self, line: &str) {
        match parse(line) {
            Some(record) => self.record(record),
            None => self.malformed(),
        }
    }

    /// Count one well-formed line.
    pub fn record(&mut self, record: Record<'_>) {
        self.lines += 1;
        if record.level == "ERROR" {
            bump(&mut self.by_service, record.service);
            bump(&mut self.by_message, record.message);
        }
    }

    /// Count one malformed line.
    pub fn malformed(&mut self) {
        self.lines += 1;
        self.malformed += 1;
    }

    /// The summary of every line counted.
    pub fn finish(self) -> Summary {
        let mut errors_by_service: Vec<_> = self.by_service.into_iter().collect();
        errors_by_service.sort_unstable();
        let mut top_errors: Vec<_> = self.by_message.into_iter().collect();
        top_errors.sort_unstable_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top_errors.truncate(TOP);
        Summary {
            lines: self.lines,
            malformed: self.malformed,
            errors_by_service,
            top_errors,
        }
    }
}

/// Add one to `key`'s count, allocating its `String` only the first time.
fn bump(counts: &mut Counts, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_contract_in_small() {
        let mut t = Tally::new();
        for line in [
            &b"t ERROR a x y\n"[..],
            b"t ERROR a x y\r\n",
            b"t ERROR b z",
            b"t INFO a x y\n",
            b"t ERROR\n",
            b"\xff ERROR a x\n",
            b"\n",
        ] {
            t.line(line);
        }
        let s = t.finish();
        assert_eq!((s.lines, s.malformed), (7, 3));
        assert_eq!(s.errors_by_service, [("a".into(), 2), ("b".into(), 1)]);
        assert_eq!(s.top_errors, [("x y".into(), 2), ("z".into(), 1)]);
    }

    /// The word-at-a-time search finds the first three spaces wherever
    /// they are, next to bytes that would carry into a neighbour in a
    /// looser test (0x21, 0x80, 0xff), and agrees with `splitn`.
    #[test]
    fn the_first_three_spaces_are_found_exactly() {
        let fill = [b'!', 0x80, 0xff, b'a'];
        for len in 0..40 {
            for seed in 0..200u64 {
                let mut bytes: Vec<u8> = (0..len)
                    .map(|i| {
                        let r = (seed * 31 + i as u64 * 17) % 7;
                        if r == 0 { b' ' } else { fill[(r % 4) as usize] }
                    })
                    .collect();
                if seed % 5 == 0 && len > 0 {
                    bytes[len - 1] = b' ';
                }
                let want: Vec<usize> = bytes
                    .iter()
                    .enumerate()
                    .filter(|&(_, &b)| b == b' ')
                    .map(|(i, _)| i)
                    .take(3)
                    .collect();
                let got = first_three_spaces(&bytes);
                match got {
                    Some(cuts) => assert_eq!(cuts.to_vec(), want, "{bytes:?}"),
                    None => assert!(want.len() < 3, "{bytes:?}"),
                }
            }
        }
    }

    #[test]
    fn top_errors_break_ties_by_message_and_keep_ten() {
        let mut t = Tally::new();
        for i in (0..12).rev() {
            t.text(&format!("t ERROR s m{i:02}"));
        }
        t.text("t ERROR s m11");
        let s = t.finish();
        assert_eq!(s.top_errors.len(), TOP);
        assert_eq!(s.top_errors[0], ("m11".into(), 2));
        assert_eq!(s.top_errors[1], ("m00".into(), 1));
        assert_eq!(s.top_errors[9], ("m08".into(), 1));
    }
}
