//! Known-wrong answers to the streams exercise (`summarize`), each the way
//! a learner writes it, and where the judge must stop it; and one right
//! answer unlike the reference solution.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use streams::api::{Summary, Tally, strip_ending};
use workbench::check::streams::judge_fn;

use super::{Expect, Wrong};

/// Read the file through a buffer of `size` bytes, handing each line to
/// `each` with its ending; `grow` says whether a line longer than the
/// buffer makes it grow (else the line is cut in two); `tail` whether the
/// bytes after the last newline count as a line.
fn chunks(
    path: &Path,
    size: usize,
    grow: bool,
    tail: bool,
    mut each: impl FnMut(&[u8]),
) -> io::Result<()> {
    let mut file = File::open(path)?;
    let mut buf = vec![0; size];
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            if grow {
                buf.resize(buf.len() * 2, 0);
            } else {
                each(&buf[..filled]);
                filled = 0;
            }
        }
        let read = file.read(&mut buf[filled..])?;
        let end = filled + read;
        let mut start = 0;
        while let Some(at) = memchr::memchr(b'\n', &buf[start..end]) {
            each(&buf[start..start + at + 1]);
            start += at + 1;
        }
        if read == 0 {
            if tail && start < end {
                each(&buf[start..end]);
            }
            return Ok(());
        }
        buf.copy_within(start..end, 0);
        filled = end - start;
    }
}

/// The article's `readlines()` done carefully: the whole file read into
/// memory, then its lines. Few allocations, but the heap holds the file.
fn reads_whole_file(path: &Path) -> io::Result<Summary> {
    let bytes = std::fs::read(path)?;
    let lines: Vec<&[u8]> = bytes.split_inclusive(|&b| b == b'\n').collect();
    let mut tally = Tally::new();
    lines.iter().for_each(|line| tally.line(line));
    Ok(tally.finish())
}

/// One line at a time, but each in a `Vec` of its own.
fn vec_per_line(path: &Path) -> io::Result<Summary> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut tally = Tally::new();
    loop {
        let mut line = Vec::new();
        if reader.read_until(b'\n', &mut line)? == 0 {
            return Ok(tally.finish());
        }
        tally.line(&line);
    }
}

/// Cuts the `\n` but keeps the `\r` of a CRLF ending.
fn keeps_cr(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    chunks(path, 64 * 1024, true, true, |line| {
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        match std::str::from_utf8(line) {
            Ok(text) => tally.text(text),
            Err(_) => tally.malformed(),
        }
    })?;
    Ok(tally.finish())
}

/// Forgets the last line when the file does not end in a newline.
fn drops_last_line(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    chunks(path, 64 * 1024, true, false, |line| tally.line(line))?;
    Ok(tally.finish())
}

/// Replaces invalid bytes instead of counting the line as malformed.
fn lossy_utf8(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    chunks(path, 64 * 1024, true, true, |line| {
        tally.text(&String::from_utf8_lossy(strip_ending(line)))
    })?;
    Ok(tally.finish())
}

/// A buffer that never grows: a line longer than it is cut in two.
fn fixed_buffer(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    chunks(path, 64 * 1024, false, true, |line| tally.line(line))?;
    Ok(tally.finish())
}

/// Trusts every line to be UTF-8.
fn unwraps_utf8(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    chunks(path, 64 * 1024, true, true, |line| {
        tally.text(std::str::from_utf8(strip_ending(line)).unwrap())
    })?;
    Ok(tally.finish())
}

/// Trusts the file to be there.
fn unwraps_open(path: &Path) -> io::Result<Summary> {
    let file = File::open(path).unwrap();
    drop(file);
    drops_nothing(path)
}

/// Right: the reference's way with a buffer of 16 bytes, one `read` per
/// 16 bytes of the file.
fn tiny_buffer(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    chunks(path, 16, true, true, |line| tally.line(line))?;
    Ok(tally.finish())
}

/// Right, and unlike the reference solution: `BufReader::fill_buf` over
/// its own 64 KiB buffer, with a `Vec` that carries a line split between
/// two fills.
fn fill_buf_carry(path: &Path) -> io::Result<Summary> {
    let mut reader = BufReader::with_capacity(64 * 1024, File::open(path)?);
    let mut tally = Tally::new();
    let mut carry = Vec::new();
    loop {
        let chunk = reader.fill_buf()?;
        if chunk.is_empty() {
            if !carry.is_empty() {
                tally.line(&carry);
            }
            return Ok(tally.finish());
        }
        let mut start = 0;
        for end in memchr::memchr_iter(b'\n', chunk) {
            if carry.is_empty() {
                tally.line(&chunk[start..=end]);
            } else {
                carry.extend_from_slice(&chunk[start..=end]);
                tally.line(&carry);
                carry.clear();
            }
            start = end + 1;
        }
        carry.extend_from_slice(&chunk[start..]);
        let used = chunk.len();
        reader.consume(used);
    }
}

/// What `unwraps_open` does once the file opened: the reference's way.
fn drops_nothing(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    chunks(path, 64 * 1024, true, true, |line| tally.line(line))?;
    Ok(tally.finish())
}

fn panics(_: &Path) -> io::Result<Summary> {
    unimplemented!("later")
}

/// Waits for a read that returns more than nothing: at the end of the
/// file, forever.
fn hangs(path: &Path) -> io::Result<Summary> {
    let mut file = File::open(path)?;
    let mut buf = [0; 4096];
    let mut tally = Tally::new();
    loop {
        let read = file.read(&mut buf)?;
        if read == usize::MAX {
            break;
        }
        std::hint::black_box(&buf[..read]);
    }
    tally.malformed();
    Ok(tally.finish())
}

/// Every known-wrong submission, with the stage that must stop it.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "reads_whole_file",
        expect: Expect::Failed("memory"),
        run: |j| judge_fn(j, reads_whole_file),
    },
    Wrong {
        name: "vec_per_line",
        expect: Expect::Failed("memory"),
        run: |j| judge_fn(j, vec_per_line),
    },
    Wrong {
        name: "keeps_cr",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, keeps_cr),
    },
    Wrong {
        name: "drops_last_line",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, drops_last_line),
    },
    Wrong {
        name: "lossy_utf8",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, lossy_utf8),
    },
    Wrong {
        name: "fixed_buffer",
        expect: Expect::Failed("agrees"),
        run: |j| judge_fn(j, fixed_buffer),
    },
    Wrong {
        name: "unwraps_utf8",
        expect: Expect::Panicked("agrees"),
        run: |j| judge_fn(j, unwraps_utf8),
    },
    Wrong {
        name: "unwraps_open",
        expect: Expect::Panicked("agrees"),
        run: |j| judge_fn(j, unwraps_open),
    },
    Wrong {
        name: "tiny_buffer",
        expect: Expect::Speed,
        run: |j| judge_fn(j, tiny_buffer),
    },
    Wrong {
        name: "fill_buf_carry",
        expect: Expect::Accepted,
        run: |j| judge_fn(j, fill_buf_carry),
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
