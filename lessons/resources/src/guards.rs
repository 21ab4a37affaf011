//! Question 3: what a guard guarantees. The article's `@contextmanager`s
//! and `__enter__`/`__exit__` classes as values whose `Drop` is the
//! `finally:`; `lessons/resources/tests/raii.rs` proves each on every way
//! out (return, `?`, panic).

use std::io;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

// ANCHOR: timer
/// The article's `timer_context`: the start on enter; on exit, however
/// the block ends, the time taken is handed to `report` (the article
/// prints it).
pub struct Timer<F: FnMut(&str, Duration)> {
    name: String,
    start: Instant,
    report: F,
}

impl<F: FnMut(&str, Duration)> Timer<F> {
    /// `with timer_context(name):`.
    pub fn start(name: &str, report: F) -> Self {
        Timer {
            name: name.to_owned(),
            start: Instant::now(),
            report,
        }
    }
}

impl<F: FnMut(&str, Duration)> Drop for Timer<F> {
    fn drop(&mut self) {
        (self.report)(&self.name, self.start.elapsed());
    }
}
// ANCHOR_END: timer

// ANCHOR: temp_dir
/// The article's temporary namespace, on the file system: a directory
/// made on enter and removed with all it holds on exit, on every path,
/// panics included.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    /// Make `parent/name` (it must not exist yet: a guard that removes a
    /// directory it did not make would delete someone's files).
    pub fn new(parent: &Path, name: &str) -> io::Result<TempDir> {
        std::fs::create_dir_all(parent)?;
        let path = parent.join(name);
        std::fs::create_dir(&path)?;
        Ok(TempDir { path })
    }

    /// Where it is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Remove it now and say whether that worked: the fallible close,
    /// which `Drop` cannot report.
    pub fn close(self) -> io::Result<()> {
        let path = self.path.clone();
        std::mem::forget(self);
        std::fs::remove_dir_all(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        // `Drop` cannot fail: an error here is dropped. Call `close()` to
        // see it.
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
// ANCHOR_END: temp_dir

// ANCHOR: swap
/// The article's credential swap and `TemporaryEnvironmentVariable`: a
/// value replaced for the length of a block and put back on every way
/// out. It swaps a value the caller owns, not the process's environment:
/// `std::env::set_var` is `unsafe` since Rust 2024, because another
/// thread reading the environment at that moment (C's `getenv`, in any
/// library) is undefined behaviour. Python has the same race; it just
/// does not say so.
pub struct Swap<'a, T> {
    slot: &'a mut T,
    old: Option<T>,
}

impl<'a, T> Swap<'a, T> {
    /// Put `new` in `slot` until the guard is dropped.
    pub fn new(slot: &'a mut T, new: T) -> Self {
        let old = std::mem::replace(slot, new);
        Swap {
            slot,
            old: Some(old),
        }
    }
}

impl<T> std::ops::Deref for Swap<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        self.slot
    }
}

impl<T> Drop for Swap<'_, T> {
    fn drop(&mut self) {
        if let Some(old) = self.old.take() {
            *self.slot = old;
        }
    }
}
// ANCHOR_END: swap

// ANCHOR: database_transaction
/// The article's `DatabaseTransaction` as a function: begin, run `body`,
/// commit when it returns `Ok`, roll back when it returns `Err`. A panic
/// in `body` unwinds through the `Transaction`, whose `Drop` rolls back.
/// The commit's own error is returned, not swallowed: `__exit__` cannot
/// report one, and neither could a `Drop`.
pub fn with_transaction<T, E: From<rusqlite::Error>>(
    conn: &mut rusqlite::Connection,
    body: impl FnOnce(&rusqlite::Transaction<'_>) -> Result<T, E>,
) -> Result<T, E> {
    let tx = conn.transaction()?;
    let value = body(&tx)?; // an error drops `tx`: rolled back
    tx.commit()?;
    Ok(value)
}
// ANCHOR_END: database_transaction
