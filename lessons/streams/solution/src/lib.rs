//! The reference solution to the streams exercise: the log's summary in
//! memory that does not grow with the file.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use streams_api::{Summary, Tally};

// ANCHOR: solution
/// How many bytes one read brings in.
const BUFFER: usize = 64 * 1024;

/// The summary of the log at `path`, read through one buffer: the heap
/// holds the buffer and the tally, whatever the file's size.
pub fn summarize(path: &Path) -> io::Result<Summary> {
    let mut file = File::open(path)?;
    let mut tally = Tally::new();
    // One buffer for the whole file. `buf[..filled]` holds the start of a
    // line whose end has not been read yet.
    let mut buf = vec![0; BUFFER];
    let mut filled = 0;
    loop {
        // A line longer than the buffer: make room for the rest of it.
        if filled == buf.len() {
            buf.resize(buf.len() * 2, 0);
        }
        let read = match file.read(&mut buf[filled..]) {
            Ok(read) => read,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        let end = filled + read;
        let mut start = 0;
        // Every whole line in the buffer, found with memchr: `line` takes
        // it with its ending and does the rest (CRLF, UTF-8, fields).
        for newline in memchr::memchr_iter(b'\n', &buf[filled..end]) {
            let stop = filled + newline + 1;
            tally.line(&buf[start..stop]);
            start = stop;
        }
        if read == 0 {
            // The end of the file ends the last line, newline or not.
            if start < end {
                tally.line(&buf[start..end]);
            }
            return Ok(tally.finish());
        }
        // Keep the unfinished line for the next read.
        buf.copy_within(start..end, 0);
        filled = end - start;
    }
}
// ANCHOR_END: solution
