//! Known-wrong answers to the profiling exercise (`summarize`), each the
//! way a learner writes it, and where the judge must stop it; and one
//! right answer unlike the reference solution.

use std::collections::{HashMap, VecDeque};

use profiling::api::Summary;
use workbench::check::profiling::judge_fn;

use super::{Expect, Wrong};

/// Add one to `key`'s count.
fn bump(counts: &mut HashMap<String, u64>, key: &str) {
    match counts.get_mut(key) {
        Some(n) => *n += 1,
        None => {
            counts.insert(key.to_owned(), 1);
        }
    }
}

/// The level and message of a line split as it is, or `None`.
fn fields(line: &str) -> Option<(&str, &str)> {
    let mut f = line.splitn(4, ' ');
    let (Some(_), Some(level), Some(_), Some(message)) = (f.next(), f.next(), f.next(), f.next())
    else {
        return None;
    };
    Some((level, message))
}

/// The summarizer over `lines`, with `lower` lowercasing a field into a
/// kept buffer: the shape most fixes take.
fn with_lower(log: &str, lower: fn(&str, &mut String)) -> Summary {
    let (mut lines, mut malformed) = (0, 0);
    let (mut levels, mut messages) = (HashMap::new(), HashMap::new());
    let mut buf = String::new();
    for line in log.lines() {
        lines += 1;
        let Some((level, message)) = fields(line) else {
            malformed += 1;
            continue;
        };
        lower(level, &mut buf);
        bump(&mut levels, &buf);
        if buf == "error" {
            lower(message, &mut buf);
            bump(&mut messages, &buf);
        }
    }
    Summary::new(lines, malformed, levels, messages)
}

/// Only the queue fixed: every line still lowercased into a new `String`.
fn fixes_only_the_queue(log: &str) -> Summary {
    profiling::fix_queue(log)
}

/// Only the allocations fixed: the lines still wait in a `Vec` taken with
/// `remove(0)`.
fn fixes_only_the_lowercase(log: &str) -> Summary {
    profiling::fix_lowercase(log)
}

/// ASCII's lowercase for everything: `Ü`, the Kelvin sign and `İ` stay.
fn ascii_lowercase(log: &str) -> Summary {
    with_lower(log, |text, buf| {
        buf.clear();
        buf.push_str(text);
        buf.make_ascii_lowercase();
    })
}

/// `char::to_lowercase` one character at a time: a word-final `Σ` becomes
/// `σ`, where `str::to_lowercase` gives `ς`.
fn char_by_char(log: &str) -> Summary {
    with_lower(log, |text, buf| {
        buf.clear();
        buf.extend(text.chars().flat_map(char::to_lowercase));
    })
}

/// Fields split on any run of whitespace: a double space or a tab moves
/// the message.
fn split_whitespace(log: &str) -> Summary {
    let (mut lines, mut malformed) = (0, 0);
    let (mut levels, mut messages) = (HashMap::new(), HashMap::new());
    for line in log.lines() {
        lines += 1;
        let mut f = line.split_whitespace();
        let (Some(_), Some(level), Some(_)) = (f.next(), f.next(), f.next()) else {
            malformed += 1;
            continue;
        };
        let message: Vec<&str> = f.collect();
        if message.is_empty() {
            malformed += 1;
            continue;
        }
        let level = level.to_lowercase();
        bump(&mut levels, &level);
        if level == "error" {
            bump(&mut messages, &message.join(" ").to_lowercase());
        }
    }
    Summary::new(lines, malformed, levels, messages)
}

/// Half the fix: the queue gone, and the whole line lowercased only when
/// its level reads `error` in ASCII's case: a new `String` for every
/// error line (3 lines in 16).
fn lowercases_error_lines(log: &str) -> Summary {
    let (mut lines, mut malformed) = (0, 0);
    let (mut levels, mut messages) = (HashMap::new(), HashMap::new());
    let mut buf = String::new();
    for line in log.lines() {
        lines += 1;
        let Some((level, _)) = fields(line) else {
            malformed += 1;
            continue;
        };
        if level.eq_ignore_ascii_case("error") {
            let lower = line.to_lowercase();
            let (level, message) = fields(&lower).expect("lowercasing keeps the spaces");
            bump(&mut levels, level);
            bump(&mut messages, message);
        } else {
            buf.clear();
            buf.push_str(level);
            buf.make_ascii_lowercase();
            if !level.is_ascii() {
                buf = level.to_lowercase();
            }
            bump(&mut levels, &buf);
        }
    }
    Summary::new(lines, malformed, levels, messages)
}

/// Counted by the spelling in the log, lowercased at the end, without
/// adding up the spellings that lowercase alike: `ERROR` and `error`
/// become two rows.
fn lowercases_at_the_end_unmerged(log: &str) -> Summary {
    let (mut lines, mut malformed) = (0, 0);
    let (mut levels, mut messages) = (HashMap::<String, u64>::new(), HashMap::<String, u64>::new());
    for line in log.lines() {
        lines += 1;
        let Some((level, message)) = fields(line) else {
            malformed += 1;
            continue;
        };
        bump(&mut levels, level);
        if level.to_lowercase() == "error" {
            bump(&mut messages, message);
        }
    }
    let lower = |m: HashMap<String, u64>| -> Vec<(String, u64)> {
        m.into_iter().map(|(k, n)| (k.to_lowercase(), n)).collect()
    };
    let levels = lower(levels);
    let messages = lower(messages);
    Summary::new(lines, malformed, levels, messages)
}

/// Right, unlike the reference: counted by the spelling in the log (no
/// lowercasing per line at all), the spellings lowercased once each at
/// the end and their counts added; the lines taken from a `VecDeque`.
fn folds_once_per_spelling(log: &str) -> Summary {
    let (mut lines, mut malformed) = (0, 0);
    let (mut levels, mut messages) = (HashMap::<&str, u64>::new(), HashMap::<&str, u64>::new());
    let mut pending: VecDeque<&str> = log.lines().collect();
    let mut error_spellings: HashMap<&str, bool> = HashMap::new();
    while let Some(line) = pending.pop_front() {
        lines += 1;
        let Some((level, message)) = fields(line) else {
            malformed += 1;
            continue;
        };
        *levels.entry(level).or_default() += 1;
        let is_error = *error_spellings
            .entry(level)
            .or_insert_with(|| level.to_lowercase() == "error");
        if is_error {
            *messages.entry(message).or_default() += 1;
        }
    }
    let fold = |m: HashMap<&str, u64>| {
        let mut folded: HashMap<String, u64> = HashMap::new();
        for (k, n) in m {
            *folded.entry(k.to_lowercase()).or_default() += n;
        }
        folded
    };
    Summary::new(lines, malformed, fold(levels), fold(messages))
}

fn panics(_: &str) -> Summary {
    panic!("not yet")
}

#[allow(clippy::empty_loop)]
fn hangs(_: &str) -> Summary {
    loop {}
}

/// The submissions, with where each must be stopped.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "shipped",
        expect: Expect::Failed("allocations"),
        run: |j| judge_fn(j, profiling::slow),
    },
    Wrong {
        name: "fixes_only_the_queue",
        expect: Expect::Failed("allocations"),
        run: |j| judge_fn(j, fixes_only_the_queue),
    },
    Wrong {
        name: "fixes_only_the_lowercase",
        expect: Expect::Speed,
        run: |j| judge_fn(j, fixes_only_the_lowercase),
    },
    Wrong {
        name: "lowercases_error_lines",
        expect: Expect::Failed("allocations"),
        run: |j| judge_fn(j, lowercases_error_lines),
    },
    Wrong {
        name: "ascii_lowercase",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, ascii_lowercase),
    },
    Wrong {
        name: "char_by_char",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, char_by_char),
    },
    Wrong {
        name: "split_whitespace",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, split_whitespace),
    },
    Wrong {
        name: "lowercases_at_the_end_unmerged",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, lowercases_at_the_end_unmerged),
    },
    Wrong {
        name: "folds_once_per_spelling",
        expect: Expect::Accepted,
        run: |j| judge_fn(j, folds_once_per_spelling),
    },
    Wrong {
        name: "panics",
        expect: Expect::Panicked("started"),
        run: |j| judge_fn(j, panics),
    },
    Wrong {
        name: "hangs",
        expect: Expect::Hangs("started"),
        run: |j| judge_fn(j, hangs),
    },
];
