//! Every way of reading the log gives the same summary: on the lesson's
//! log, on each case the contract names, and on random logs; and a missing
//! file, a directory or a file cut short while read is an error or a
//! defined result, never a panic.

use std::path::Path;

use proptest::prelude::*;
use streams::api::{Summary, Tally};
use streams::log::{MESSAGES, SERVICES};
use workbench::catalog::streams::{LIMIT, LogFile, READ, contract_cases, log_strategy};

/// What the contract says `content` summarizes to, computed from the
/// bytes in memory: split after each `\n`, every piece a line.
fn model(content: &[u8]) -> Summary {
    let mut tally = Tally::new();
    content
        .split_inclusive(|&b| b == b'\n')
        .for_each(|line| tally.line(line));
    tally.finish()
}

/// Every variant, the limit (given the model's summary) and the exercise's
/// solution, by name, on the file at `path`.
fn every_reader(path: &Path, known: &Summary) -> Vec<(&'static str, std::io::Result<Summary>)> {
    let mut all: Vec<_> = READ.iter().map(|row| (row.name, (row.f)(path))).collect();
    all.push((LIMIT.name, (LIMIT.f)(path, known)));
    all.push(("solution", streams_solution::summarize(path)));
    all
}

/// All readers agree with the model on `content`.
fn agree_on(content: &[u8]) -> Result<(), String> {
    let file = LogFile::with_content(content).map_err(|e| e.to_string())?;
    let want = model(content);
    for (name, got) in every_reader(file.path(), &want) {
        match got {
            Ok(got) if got == want => {}
            Ok(got) => return Err(format!("{name}: {got:?}, the contract says {want:?}")),
            Err(e) => return Err(format!("{name}: {e}")),
        }
    }
    Ok(())
}

/// On 4 MiB of the lesson's log every reader returns the same summary:
/// every line counted, none malformed, all 8 services, 10 messages.
#[test]
fn every_reader_agrees_on_the_lessons_log() {
    let content = streams::log::log(4 << 20);
    let want = model(&content);
    let newlines = content.iter().filter(|&&b| b == b'\n').count() as u64;
    assert_eq!(want.lines, newlines);
    assert_eq!(want.malformed, 0);
    assert_eq!(want.errors_by_service.len(), SERVICES.len());
    assert_eq!(want.top_errors.len(), 10);
    assert!(
        want.top_errors
            .iter()
            .all(|(m, _)| MESSAGES.contains(&m.as_str()))
    );
    assert!(want.top_errors.iter().any(|(m, _)| !m.is_ascii()));
    agree_on(&content).unwrap();
}

/// The contract's cases, each with the summary it names.
#[test]
fn the_contracts_cases_agree() {
    let named = [
        (0, 0),
        (3, 0),
        (2, 0),
        (4, 2),
        (1, 0),
        (4, 3),
        (1, 0),
        (2, 0),
    ];
    for ((what, content), (lines, malformed)) in contract_cases().into_iter().zip(named) {
        let want = model(&content);
        assert_eq!(
            (want.lines, want.malformed),
            (lines, malformed),
            "the model on {what}"
        );
        agree_on(&content).unwrap_or_else(|e| panic!("{what}: {e}"));
    }
}

/// A missing file and a directory are errors from every reader, not
/// panics.
#[test]
fn a_missing_file_or_a_directory_is_an_error() {
    let dir = workbench::catalog::streams::log_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let missing = dir.join("no-such-file.log");
    for (name, got) in every_reader(&missing, &Summary::default()) {
        let e = got.expect_err(name);
        assert_eq!(e.kind(), std::io::ErrorKind::NotFound, "{name}: {e}");
    }
    for (name, got) in every_reader(&dir, &Summary::default()) {
        assert!(got.is_err(), "{name} read a directory as a log");
    }
}

/// A file cut short while it is read: each reader that reads with `read`
/// returns the summary of what it read before the file ended (or an
/// error), never a panic and never more lines than the file had. (`mmap`
/// is exempt: a mapped file truncated under it raises SIGBUS, which kills
/// the process; its doc says so.)
#[test]
fn a_file_truncated_while_read_gives_a_prefix_or_an_error() {
    let content = streams::log::log(32 << 20);
    let full = model(&content);
    let readers = READ.iter().filter(|r| r.name != "mmap");
    for row in readers {
        let file = LogFile::with_content(&content).unwrap();
        let path = file.path().to_owned();
        let cutter = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(5));
            std::fs::OpenOptions::new()
                .write(true)
                .open(&path)
                .and_then(|f| f.set_len(1 << 20))
        });
        let got = (row.f)(file.path());
        cutter.join().unwrap().unwrap();
        if let Ok(got) = got {
            assert!(
                got.lines <= full.lines,
                "{}: {} lines of {}",
                row.name,
                got.lines,
                full.lines
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// On random logs every reader agrees with the model.
    #[test]
    fn every_reader_agrees_on_random_logs(content in log_strategy()) {
        prop_assert!(agree_on(&content).is_ok(), "{:?}", agree_on(&content));
    }
}
