//! Question 3: lazy values and singletons. The article's `LazyProperty`
//! computes a value on first access and keeps it in the object's
//! `__dict__`; its `SingletonMeta` keeps one instance per class in a dict.
//! Rust has both in the standard library: `OnceLock` (and `LazyLock`),
//! set once, read without a lock after.

use std::any::{Any, TypeId};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

/// The configuration's environment.
pub const ENVIRONMENT: &str = "production";

/// The value computed: the article's database URL.
#[inline(never)]
pub fn database_url(environment: &str) -> String {
    format!("postgresql://{environment}.db.example.com/app")
}

// ANCHOR: lazy
/// The article's `LazyProperty`, literally: the value looked up in the
/// instance's `__dict__` on every read, computed and stored there on the
/// first. (A non-data descriptor: after the first read, Python finds the
/// value in the instance's dict before it asks the descriptor.)
pub struct DictCached {
    environment: String,
    dict: HashMap<&'static str, String, foldhash::fast::FixedState>,
}

impl DictCached {
    /// `config.database_url`.
    pub fn database_url(&mut self) -> &str {
        if !self.dict.contains_key("database_url") {
            let url = database_url(&self.environment);
            self.dict.insert("database_url", url);
        }
        &self.dict["database_url"]
    }
}

/// `@property` without the cache: computed on every read.
pub struct Recompute {
    environment: String,
}

/// The article's `LazyProperty`, the standard library's way: computed on
/// the first read, kept, and read without a lock after.
pub struct Lazy {
    environment: String,
    database_url: OnceLock<String>,
}

impl Lazy {
    /// `config.database_url`.
    pub fn database_url(&self) -> &str {
        self.database_url
            .get_or_init(|| database_url(&self.environment))
    }
}

/// The same behind a lock: `Mutex<Option<String>>`, locked on every read.
pub struct Locked {
    environment: String,
    database_url: Mutex<Option<String>>,
}

impl Locked {
    /// `config.database_url`: the length of the URL (the lock is released
    /// when the read ends, so nothing borrowed can outlive it).
    pub fn database_url_len(&self) -> usize {
        let mut slot = self.database_url.lock().unwrap_or_else(|e| e.into_inner());
        slot.get_or_insert_with(|| database_url(&self.environment))
            .len()
    }
}
// ANCHOR_END: lazy

/// `n` reads through the instance dict; the total length read.
pub fn dict_cache(n: u64) -> usize {
    let mut config = DictCached {
        environment: ENVIRONMENT.to_owned(),
        dict: HashMap::default(),
    };
    (0..n)
        .map(|_| std::hint::black_box(&mut config).database_url().len())
        .sum()
}

/// `n` reads recomputing the URL each time; the total length read.
pub fn recompute(n: u64) -> usize {
    let config = Recompute {
        environment: ENVIRONMENT.to_owned(),
    };
    (0..n)
        .map(|_| database_url(std::hint::black_box(&config.environment)).len())
        .sum()
}

/// `n` reads through a `Mutex<Option<String>>`.
pub fn mutex_option(n: u64) -> usize {
    let config = Locked {
        environment: ENVIRONMENT.to_owned(),
        database_url: Mutex::new(None),
    };
    (0..n)
        .map(|_| std::hint::black_box(&config).database_url_len())
        .sum()
}

/// `n` reads through a `OnceLock`.
pub fn once_lock(n: u64) -> usize {
    let config = Lazy {
        environment: ENVIRONMENT.to_owned(),
        database_url: OnceLock::new(),
    };
    (0..n)
        .map(|_| std::hint::black_box(&config).database_url().len())
        .sum()
}

/// The article's `DatabaseConnection`.
#[derive(Debug, PartialEq, Eq)]
pub struct DatabaseConnection {
    /// The host.
    pub host: String,
    /// The port.
    pub port: u16,
}

// ANCHOR: singleton
/// The article's `SingletonMeta`, literally: one instance per class in a
/// dict keyed by the class, behind a lock, every call.
pub fn registry_instance() -> &'static DatabaseConnection {
    type Instances = HashMap<TypeId, &'static (dyn Any + Send + Sync), foldhash::fast::FixedState>;
    static INSTANCES: Mutex<Option<Instances>> = Mutex::new(None);
    let mut instances = INSTANCES.lock().unwrap_or_else(|e| e.into_inner());
    let instance = *instances
        .get_or_insert_with(Instances::default)
        .entry(TypeId::of::<DatabaseConnection>())
        .or_insert_with(|| {
            Box::leak(Box::new(DatabaseConnection {
                host: "localhost".into(),
                port: 5432,
            }))
        });
    instance
        .downcast_ref::<DatabaseConnection>()
        .expect("the entry for DatabaseConnection holds one")
}

/// A `static OnceLock`: made by the first call, read without a lock by
/// every other.
pub fn static_instance() -> &'static DatabaseConnection {
    static INSTANCE: OnceLock<DatabaseConnection> = OnceLock::new();
    INSTANCE.get_or_init(|| DatabaseConnection {
        host: "localhost".into(),
        port: 5432,
    })
}
// ANCHOR_END: singleton

/// `n` calls of the article's singleton; the ports added up.
pub fn mutex_registry(n: u64) -> u64 {
    (0..n)
        .map(|_| u64::from(std::hint::black_box(registry_instance()).port))
        .sum()
}

/// `n` calls of the `static OnceLock`; the ports added up.
pub fn once_lock_static(n: u64) -> u64 {
    (0..n)
        .map(|_| u64::from(std::hint::black_box(static_instance()).port))
        .sum()
}

/// `threads` threads each calling `f(per_thread)`; the sum of the answers.
pub fn on_threads(threads: u64, per_thread: u64, f: fn(u64) -> u64) -> u64 {
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|_| s.spawn(move || f(per_thread)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .sum()
    })
}

/// Calls each thread makes in the threaded singleton question.
pub const PER_THREAD: u64 = 100_000;

/// `threads` threads each calling the article's singleton
/// [`PER_THREAD`] times.
pub fn mutex_registry_threads(threads: u64) -> u64 {
    on_threads(threads, PER_THREAD, mutex_registry)
}

/// `threads` threads each calling the `static OnceLock` [`PER_THREAD`]
/// times.
pub fn once_lock_threads(threads: u64) -> u64 {
    on_threads(threads, PER_THREAD, once_lock_static)
}
