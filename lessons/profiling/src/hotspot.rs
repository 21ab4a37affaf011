//! The log summarizer, four ways: as it was shipped (two hot spots), each
//! hot spot fixed alone, and both fixed. Every one returns the same
//! [`Summary`] for every log.

use std::collections::{HashMap, VecDeque};

use crate::api::Summary;

// ANCHOR: slow
/// The summarizer as it was shipped: correct, and slow in two places a
/// profile shows. The lines wait in a `Vec` and are taken from its front
/// with `remove(0)`, which moves every line behind (Python's
/// `lines.pop(0)`); and every line is lowercased into a new `String`, one
/// allocation per line.
pub fn slow(log: &str) -> Summary {
    let mut lines = 0;
    let mut malformed = 0;
    let mut levels: HashMap<String, u64> = HashMap::new();
    let mut messages: HashMap<String, u64> = HashMap::new();
    let mut pending: Vec<&str> = log.lines().collect();
    while !pending.is_empty() {
        let line = pending.remove(0);
        lines += 1;
        let lower = line.to_lowercase();
        let mut fields = lower.splitn(4, ' ');
        let (Some(_), Some(level), Some(_), Some(message)) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            malformed += 1;
            continue;
        };
        bump(&mut levels, level);
        if level == "error" {
            bump(&mut messages, message);
        }
    }
    Summary::new(lines, malformed, levels, messages)
}
// ANCHOR_END: slow

/// Add one to `key`'s count, allocating its `String` only the first time.
fn bump(counts: &mut HashMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

/// The level and the message of a line, or `None` when it has fewer
/// than four fields.
fn fields(line: &str) -> Option<(&str, &str)> {
    let mut fields = line.splitn(4, ' ');
    let (Some(_), Some(level), Some(_), Some(message)) =
        (fields.next(), fields.next(), fields.next(), fields.next())
    else {
        return None;
    };
    Some((level, message))
}

// ANCHOR: lower_into
/// `text` lowercased into `buf`, as `str::to_lowercase` lowercases it,
/// allocating only when `text` holds a `Σ` (or `buf` must grow).
/// Lowercasing each field alone
/// gives what lowercasing the line gives: a space is neither cased nor
/// case-ignorable, so the final-sigma rule never looks past one.
pub fn lower_into<'b>(text: &str, buf: &'b mut String) -> &'b str {
    buf.clear();
    if text.is_ascii() {
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else if !text.contains('Σ') {
        // Every character but `Σ` lowercases alone, whatever is around it
        // (`İ` to two characters, the Kelvin sign to `k`).
        buf.extend(text.chars().flat_map(char::to_lowercase));
    } else {
        // `Σ` is `ς` at the end of a word and `σ` elsewhere: the one rule
        // that looks at the neighbours. `to_lowercase` knows it.
        buf.push_str(&text.to_lowercase());
    }
    buf
}
// ANCHOR_END: lower_into

/// The counts of one well-formed line, its level and message already
/// lowercased.
fn count(
    levels: &mut HashMap<String, u64>,
    messages: &mut HashMap<String, u64>,
    level: &str,
    message: &str,
) {
    bump(levels, level);
    if level == "error" {
        bump(messages, message);
    }
}

/// The first hot spot fixed alone: no `String` per line (only the fields
/// that are counted are lowercased, into buffers kept between lines); the
/// `remove(0)` queue is left as it was.
pub fn fix_lowercase(log: &str) -> Summary {
    let mut lines = 0;
    let mut malformed = 0;
    let mut levels: HashMap<String, u64> = HashMap::new();
    let mut messages: HashMap<String, u64> = HashMap::new();
    let (mut level_buf, mut message_buf) = (String::new(), String::new());
    let mut pending: Vec<&str> = log.lines().collect();
    while !pending.is_empty() {
        let line = pending.remove(0);
        lines += 1;
        let Some((level, message)) = fields(line) else {
            malformed += 1;
            continue;
        };
        let level = lower_into(level, &mut level_buf);
        let message = if level == "error" {
            lower_into(message, &mut message_buf)
        } else {
            ""
        };
        count(&mut levels, &mut messages, level, message);
    }
    Summary::new(lines, malformed, levels, messages)
}

/// The second hot spot fixed alone: the lines wait in a `VecDeque`, whose
/// `pop_front` moves nothing; every line is still lowercased into a new
/// `String`.
pub fn fix_queue(log: &str) -> Summary {
    let mut lines = 0;
    let mut malformed = 0;
    let mut levels: HashMap<String, u64> = HashMap::new();
    let mut messages: HashMap<String, u64> = HashMap::new();
    let mut pending: VecDeque<&str> = log.lines().collect();
    while let Some(line) = pending.pop_front() {
        lines += 1;
        let lower = line.to_lowercase();
        let Some((level, message)) = fields(&lower) else {
            malformed += 1;
            continue;
        };
        count(&mut levels, &mut messages, level, message);
    }
    Summary::new(lines, malformed, levels, messages)
}

// ANCHOR: fast
/// Both fixed: the lines taken in order as they are read (no queue at
/// all), and the counted fields lowercased into kept buffers (no
/// allocation per line but for a `Σ`).
pub fn fast(log: &str) -> Summary {
    let mut lines = 0;
    let mut malformed = 0;
    let mut levels: HashMap<String, u64> = HashMap::new();
    let mut messages: HashMap<String, u64> = HashMap::new();
    let (mut level_buf, mut message_buf) = (String::new(), String::new());
    for line in log.lines() {
        lines += 1;
        let Some((level, message)) = fields(line) else {
            malformed += 1;
            continue;
        };
        let level = lower_into(level, &mut level_buf);
        let message = if level == "error" {
            lower_into(message, &mut message_buf)
        } else {
            ""
        };
        count(&mut levels, &mut messages, level, message);
    }
    Summary::new(lines, malformed, levels, messages)
}
// ANCHOR_END: fast

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercasing_a_field_alone_is_lowercasing_it_in_the_line() {
        for text in ["ΟΔΟΣ", "ΟΔΟΣ Σ", "İ", "\u{212A}", "ABC", "Σ"] {
            let mut buf = String::new();
            assert_eq!(lower_into(text, &mut buf), text.to_lowercase());
        }
        // The final sigma: `char::to_lowercase` alone would give `σ`.
        let mut buf = String::new();
        assert_eq!(lower_into("ΟΔΟΣ", &mut buf), "οδο\u{3c2}");
    }
}
