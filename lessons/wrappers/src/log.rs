//! A second contrast: the article's `log_execution` builds its messages
//! before the logger checks the level, so a call pays for them even when
//! INFO is off. Checking first, or letting `tracing`'s macros check,
//! costs a comparison.
//!
//! Every variant logs at INFO around [`crate::stack::scale`] with the
//! logger set to WARNING, the usual production level: nothing is written,
//! and what is measured is what each costs for nothing.

use std::collections::HashMap;
use std::fmt::Arguments;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering::Relaxed};

use crate::stack::scale;

/// Levels, as Python's `logging` numbers them (divided by ten).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[repr(u8)]
pub enum Level {
    /// `logging.INFO`.
    Info = 2,
    /// `logging.WARNING`.
    Warning = 3,
    /// `logging.ERROR`.
    Error = 4,
}

/// A value in a record's `extra`: what the article puts there.
#[derive(Clone, Debug)]
pub enum Extra {
    /// `func.__name__`.
    Name(&'static str),
    /// An argument or a result.
    Int(u64),
}

/// Python's `extra` dict: names to values, hashed with a fixed, fast
/// hasher, as CPython caches a string's hash.
pub type ExtraDict = HashMap<&'static str, Extra, foldhash::fast::FixedState>;

/// A logger with a level, counting the records it writes (none, at the
/// lesson's level).
pub struct Logger {
    level: AtomicU8,
    written: AtomicU64,
}

impl Logger {
    /// A logger at `level`.
    pub const fn new(level: Level) -> Logger {
        Logger {
            level: AtomicU8::new(level as u8),
            written: AtomicU64::new(0),
        }
    }

    /// Whether a record at `level` is written: `logger.isEnabledFor`.
    #[inline]
    pub fn enabled(&self, level: Level) -> bool {
        level as u8 >= self.level.load(Relaxed)
    }

    /// `logger.info(msg, extra=...)`: the message and its extra are built
    /// already; the level is checked here.
    pub fn info(&self, msg: String, extra: ExtraDict) {
        if self.enabled(Level::Info) {
            self.write(format_args!("{msg} {extra:?}"));
        }
    }

    /// Write one record (counted; a real handler would format and print).
    #[cold]
    pub fn write(&self, record: Arguments<'_>) {
        std::hint::black_box(record);
        self.written.fetch_add(1, Relaxed);
    }

    /// Records written so far.
    pub fn written(&self) -> u64 {
        self.written.load(Relaxed)
    }
}

/// The lesson's logger: WARNING, so INFO records are dropped.
pub static LOGGER: Logger = Logger::new(Level::Warning);

// ANCHOR: eager
/// The article's `log_execution` around `scale`: both f-strings and both
/// `extra` dicts are built on every call, then `logger.info` drops them.
pub fn eager(replicas: u64) -> u64 {
    let name = "scale";
    LOGGER.info(
        format!("Executing {name}"),
        ExtraDict::from_iter([
            ("function", Extra::Name(name)),
            ("kwargs", Extra::Int(replicas)),
        ]),
    );
    let result = scale(replicas);
    LOGGER.info(
        format!("{name} completed successfully"),
        ExtraDict::from_iter([
            ("function", Extra::Name(name)),
            ("result", Extra::Int(result)),
        ]),
    );
    result
}
// ANCHOR_END: eager

// ANCHOR: lazy
/// The level checked first; the message only described (`format_args!`
/// builds nothing on the heap) and formatted by the writer, if ever.
pub fn lazy(replicas: u64) -> u64 {
    if LOGGER.enabled(Level::Info) {
        LOGGER.write(format_args!("Executing scale replicas={replicas}"));
    }
    let result = scale(replicas);
    if LOGGER.enabled(Level::Info) {
        LOGGER.write(format_args!("scale completed successfully result={result}"));
    }
    result
}
// ANCHOR_END: lazy

// ANCHOR: tracing
/// `tracing`'s macros: each checks the level the subscriber declared
/// before it builds anything.
pub fn tracing(replicas: u64) -> u64 {
    tracing::info!(function = "scale", replicas, "Executing scale");
    let result = scale(replicas);
    tracing::info!(function = "scale", result, "scale completed successfully");
    result
}
// ANCHOR_END: tracing

/// A `tracing` subscriber at WARNING, counting the events it is given
/// (none, at the lesson's level).
pub struct WarnSubscriber;

/// Events [`WarnSubscriber`] was given.
pub static TRACED: AtomicU64 = AtomicU64::new(0);

impl tracing::Subscriber for WarnSubscriber {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        *metadata.level() <= tracing::Level::WARN
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::WARN)
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, _: &tracing::Event<'_>) {
        TRACED.fetch_add(1, Relaxed);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

/// Install [`WarnSubscriber`] as this process's subscriber, once; whether
/// it is the one installed (another may have been first).
pub fn install_subscriber() -> bool {
    static INSTALLED: OnceLock<bool> = OnceLock::new();
    *INSTALLED.get_or_init(|| tracing::subscriber::set_global_default(WarnSubscriber).is_ok())
}

/// `n` calls of `f`; the sum of the results.
#[inline(never)]
pub fn calls(f: fn(u64) -> u64, n: u64) -> u64 {
    (0..n).fold(0u64, |total, i| {
        total.wrapping_add(f(std::hint::black_box(i)))
    })
}
