//! # Reading a large log: all at once vs one line at a time
//!
//! The question (article section 7.3, "Generators and Iterators"): the
//! article loads a log with `f.readlines()` ("For 10GB log file, this loads
//! 10GB into memory!") and then with a generator ("only one line in memory
//! at a time"). How much memory and time does each way cost, and what is
//! the fastest way to read a file line by line?
//!
//! Every variant keeps one contract, written in [`streams_api`]: the same
//! [`Summary`] (lines, malformed lines, `ERROR` lines per service, the 10
//! most frequent error messages) for the same file. CRLF is a line ending,
//! the last line needs no newline, and a line that is not UTF-8 is counted
//! as malformed and skipped.
//!
//! The variants, by how they read:
//!
//! - [`read_all`] (the baseline): the article's `readlines()`: every line
//!   of the file in one `Vec<String>`, then the summary.
//! - [`lines`]: `BufRead::lines()`, the article's generator: one line at a
//!   time, but a fresh `String` for each.
//! - [`read_line`]: one `String` reused for every line.
//! - [`pipeline`]: the article's generator pipeline (read → parse → filter)
//!   as iterator adapters over lines borrowed from a 64 KiB buffer.
//! - [`memchr_blocks`] (the answer): the same buffer; newlines found with
//!   `memchr`, UTF-8 checked once per block rather than per line.
//! - [`mmap`] (a peer): the file mapped into memory, then as
//!   [`memchr_blocks`].
//! - [`tokio_lines`]: the async generator, tokio's `BufReader::lines`.
//! - [`newlines_limit`] (the floor): read the file through the buffer and
//!   count its newlines; nothing that looks at every line can do less.
//!
//! A second question, in [`send`], is the article's `send`: a generator
//! that is handed values one at a time, as a struct, a closure or a
//! consumer thread.
//!
//! Left out on purpose: compressed logs (`gzip.open`: the decompressor's
//! cost, not the reading pattern), walking a directory of files, and JSON
//! lines (a parser's cost would hide the reading's).
#![deny(missing_docs)]

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

pub use streams_api::{self as api, Record, Summary, Tally};

pub mod log;
pub mod send;

/// The buffer the streaming variants read through.
pub const BLOCK: usize = 64 * 1024;

// ANCHOR: read_all
/// The article's `get_all_log_lines`: `f.readlines()`, every line of the
/// file in one list. `None` stands for a line that is not UTF-8, where
/// Python's `open` would raise.
pub fn get_all_log_lines(path: &Path) -> io::Result<Vec<Option<String>>> {
    let mut lines = Vec::new();
    for line in BufReader::new(File::open(path)?).lines() {
        lines.push(utf8_or_malformed(line)?);
    }
    Ok(lines)
}

/// The article's "regular function": load every line, then summarize.
/// Its memory grows with the file: a `String` per line, held at once.
pub fn read_all(path: &Path) -> io::Result<Summary> {
    let lines = get_all_log_lines(path)?;
    let mut tally = Tally::new();
    for line in &lines {
        match line {
            Some(text) => tally.text(text),
            None => tally.malformed(),
        }
    }
    Ok(tally.finish())
}
// ANCHOR_END: read_all

/// A line from `lines()`: its text, `None` for a line that is not UTF-8
/// (`lines()` reads past it and goes on), or the I/O error that stops
/// reading.
fn utf8_or_malformed(line: io::Result<String>) -> io::Result<Option<String>> {
    match line {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == io::ErrorKind::InvalidData => Ok(None),
        Err(e) => Err(e),
    }
}

// ANCHOR: lines
/// The article's generator, `for line in f: yield line.strip()`: one line
/// in memory at a time, but each in a `String` of its own, allocated and
/// freed per line.
pub fn lines(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    for line in BufReader::new(File::open(path)?).lines() {
        match utf8_or_malformed(line)? {
            Some(text) => tally.text(&text),
            None => tally.malformed(),
        }
    }
    Ok(tally.finish())
}
// ANCHOR_END: lines

// ANCHOR: read_line
/// One `String` for every line: `read_line` appends to it, and clearing
/// it keeps its capacity, so after the longest line no line allocates.
pub fn read_line(path: &Path) -> io::Result<Summary> {
    let mut reader = BufReader::new(File::open(path)?);
    let mut line = String::new();
    let mut tally = Tally::new();
    loop {
        line.clear();
        match reader.read_line(&mut line) {
            Ok(0) => break,
            Ok(_) => tally.text(strip_ending_str(&line)),
            // The bytes of the line were read; `line` is left as it was.
            Err(e) if e.kind() == io::ErrorKind::InvalidData => tally.malformed(),
            Err(e) => return Err(e),
        }
    }
    Ok(tally.finish())
}
// ANCHOR_END: read_line

/// [`api::strip_ending`] on text.
fn strip_ending_str(line: &str) -> &str {
    match line.strip_suffix('\n') {
        Some(line) => line.strip_suffix('\r').unwrap_or(line),
        None => line,
    }
}

// ANCHOR: blocks
/// Call `each` with blocks of whole lines read from `reader` through one
/// buffer of [`BLOCK`] bytes: each block ends just after a `\n`, except
/// the last, which ends where the file does. A line longer than the buffer
/// doubles it; the bytes after the last newline of a read move to the
/// buffer's front and wait for the rest of their line.
pub fn for_each_block(mut reader: impl Read, mut each: impl FnMut(&[u8])) -> io::Result<()> {
    let mut buf = vec![0; BLOCK];
    // `buf[..filled]` holds bytes read and not yet handed to `each`.
    let mut filled = 0;
    loop {
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let read = match reader.read(&mut buf[filled..]) {
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        if read == 0 {
            if filled > 0 {
                each(&buf[..filled]);
            }
            return Ok(());
        }
        let end = filled + read;
        match memchr::memrchr(b'\n', &buf[filled..end]) {
            Some(last) => {
                let whole = filled + last + 1;
                each(&buf[..whole]);
                buf.copy_within(whole..end, 0);
                filled = end - whole;
            }
            None => filled = end,
        }
    }
}
// ANCHOR_END: blocks

// ANCHOR: pipeline
/// The article's generator pipeline, read → parse → filter, as iterator
/// adapters: each stage pulls one line from the one before, borrowed from
/// the block, and nothing is collected. The article's `filter_errors` and
/// `extract_messages` are what [`Tally::record`] does with a record.
pub fn pipeline(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    for_each_block(File::open(path)?, |block| {
        block
            .split_inclusive(|&b| b == b'\n') // read_logs
            .map(api::strip_ending)
            .map(|line| std::str::from_utf8(line).ok().and_then(api::parse)) // parse_logs
            .for_each(|record| match record {
                Some(record) => tally.record(record),
                None => tally.malformed(),
            });
    })?;
    Ok(tally.finish())
}
// ANCHOR_END: pipeline

// ANCHOR: memchr_blocks
/// The summary of a block of whole lines: UTF-8 checked once for the
/// block, 32 bytes at a time by `simdutf8` (a `\n` is ASCII, so a valid
/// block splits into valid lines), per line only where the block has an
/// invalid byte; newlines found with `memchr`, which compares 32 bytes at
/// a time.
pub fn tally_block(tally: &mut Tally, block: &[u8]) {
    let text = simdutf8::basic::from_utf8(block).ok();
    let mut start = 0;
    let mut each = |line: &[u8], start: usize| match text {
        Some(text) => tally.text(strip_ending_str(&text[start..start + line.len()])),
        None => tally.line(line),
    };
    for end in memchr::memchr_iter(b'\n', block) {
        each(&block[start..end + 1], start);
        start = end + 1;
    }
    if start < block.len() {
        each(&block[start..], start);
    }
}

/// Read through one 64 KiB buffer, summarizing each block as it comes:
/// the heap holds the buffer and the tally, whatever the file's size.
pub fn memchr_blocks(path: &Path) -> io::Result<Summary> {
    let mut tally = Tally::new();
    for_each_block(File::open(path)?, |block| tally_block(&mut tally, block))?;
    Ok(tally.finish())
}
// ANCHOR_END: memchr_blocks

// ANCHOR: mmap
/// Map the file into memory and summarize it as one block, in pieces of
/// about [`BLOCK`] bytes that end at a newline. No `read` copies the
/// bytes, but every page touched stays resident while the map lives: a
/// map is memory the process holds, the kernel's page cache seen through
/// the process's addresses.
///
/// If another process truncates the file while it is mapped, touching a
/// page past the new end raises `SIGBUS` and kills the process: a map
/// cannot turn that into an error. Use it on files nothing else writes.
pub fn mmap(path: &Path) -> io::Result<Summary> {
    let file = File::open(path)?;
    let mut tally = Tally::new();
    if file.metadata()?.len() == 0 {
        // A map of nothing is an error on some systems; an empty file is
        // an empty log.
        return Ok(tally.finish());
    }
    // SAFETY: the map is only read, and lives no longer than this call;
    // the contract above says nothing may truncate the file meanwhile.
    let map = unsafe { memmap2::Mmap::map(&file)? };
    let mut rest = &map[..];
    while !rest.is_empty() {
        let cut = match rest
            .get(BLOCK..)
            .and_then(|tail| memchr::memchr(b'\n', tail))
        {
            Some(at) => BLOCK + at + 1,
            None => rest.len(),
        };
        tally_block(&mut tally, &rest[..cut]);
        rest = &rest[cut..];
    }
    Ok(tally.finish())
}
// ANCHOR_END: mmap

// ANCHOR: tokio_lines
/// The async generator: tokio's `BufReader::lines`, awaited line by line
/// on a current-thread runtime. Each read of the file is handed to a
/// blocking thread (files have no readiness to wait for), and each line is
/// a fresh `String`, as in [`lines`].
pub fn tokio_lines(path: &Path) -> io::Result<Summary> {
    let runtime = tokio::runtime::Builder::new_current_thread().build()?;
    runtime.block_on(async {
        use tokio::io::AsyncBufReadExt;
        let file = tokio::fs::File::open(path).await?;
        let mut lines = tokio::io::BufReader::new(file).lines();
        let mut tally = Tally::new();
        loop {
            match lines.next_line().await {
                Ok(Some(text)) => tally.text(&text),
                Ok(None) => break,
                Err(e) if e.kind() == io::ErrorKind::InvalidData => tally.malformed(),
                Err(e) => return Err(e),
            }
        }
        Ok(tally.finish())
    })
}
// ANCHOR_END: tokio_lines

// ANCHOR: newlines_limit
/// The floor: read the file through the same 64 KiB buffer and find where
/// each line ends with `memchr`, given the rest of the summary already
/// known. Every reader of lines reads every byte and stops at every
/// newline; this does only that. (`Memchr::count` would count newlines
/// faster still, without stopping at each, but a reader that must look at
/// each line cannot skip the stop.)
pub fn newlines_limit(path: &Path, known: &Summary) -> io::Result<Summary> {
    let mut file = File::open(path)?;
    let mut buf = vec![0; BLOCK];
    let mut lines = 0;
    // Whether the bytes read so far end inside a line.
    let mut open = false;
    loop {
        let read = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let mut next_line = 0;
        for end in memchr::memchr_iter(b'\n', &buf[..read]) {
            lines += 1;
            next_line = end + 1;
        }
        open = next_line < read || (open && next_line == 0);
    }
    // A last line with no newline is a line too.
    lines += u64::from(open);
    Ok(Summary {
        lines,
        ..known.clone()
    })
}
// ANCHOR_END: newlines_limit

/// This process's peak resident memory (`VmHWM`), or `None` where the OS
/// does not say (Linux says).
pub fn peak_resident_bytes() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}
