//! Known-wrong answers to the counters exercise (`ShardedCounter`), each
//! the way a learner writes it, and where the judge must stop it.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU16, AtomicU64, Ordering::Relaxed};

use counters::Counter;
use crossbeam_utils::CachePadded;
use workbench::check::counters::judge_counter;

use super::{Expect, Wrong};

/// The article's lock: exact, and slow.
struct Locked(Mutex<u64>);

impl Counter for Locked {
    fn new(_: usize) -> Self {
        Locked(Mutex::new(0))
    }
    fn add(&self, _: usize) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) += 1;
    }
    fn sum(&self) -> u64 {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// One atomic for every thread: exact, but every add fights for one line.
struct OneAtomic(AtomicU64);

impl Counter for OneAtomic {
    fn new(_: usize) -> Self {
        OneAtomic(AtomicU64::new(0))
    }
    fn add(&self, _: usize) {
        self.0.fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// A slot per thread, packed: exact, but neighbours share a cache line.
struct Unpadded(Box<[AtomicU64]>);

impl Counter for Unpadded {
    fn new(threads: usize) -> Self {
        Unpadded((0..threads).map(|_| AtomicU64::new(0)).collect())
    }
    fn add(&self, thread: usize) {
        self.0[thread].fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.iter().map(|s| s.load(Relaxed)).sum()
    }
}

/// Padded 16-bit slots: exact up to 65,535 adds per thread, then they wrap.
struct Slots16(Box<[CachePadded<AtomicU16>]>);

impl Counter for Slots16 {
    fn new(threads: usize) -> Self {
        Slots16(
            (0..threads)
                .map(|_| CachePadded::new(AtomicU16::new(0)))
                .collect(),
        )
    }
    fn add(&self, thread: usize) {
        self.0[thread].fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.iter().map(|s| u64::from(s.load(Relaxed))).sum()
    }
}

/// Padded slots, and a running total beside them that every add bumps
/// too, so `sum` is one load: every thread writes the total's line.
struct SharedTotal {
    slots: Box<[CachePadded<AtomicU64>]>,
    total: CachePadded<AtomicU64>,
}

impl Counter for SharedTotal {
    fn new(threads: usize) -> Self {
        SharedTotal {
            slots: (0..threads)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
            total: CachePadded::new(AtomicU64::new(0)),
        }
    }
    fn add(&self, thread: usize) {
        self.slots[thread].fetch_add(1, Relaxed);
        self.total.fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.total.load(Relaxed)
    }
}

/// Right: padded slots in an array inside the counter, not on the heap.
/// The layout stage reads the counter's own bytes too, and must let it by.
struct InlineSlots([CachePadded<AtomicU64>; 8]);

impl Counter for InlineSlots {
    fn new(threads: usize) -> Self {
        assert!(threads <= 8, "at most 8 threads");
        InlineSlots(std::array::from_fn(|_| CachePadded::new(AtomicU64::new(0))))
    }
    fn add(&self, thread: usize) {
        self.0[thread].fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.iter().map(|s| s.load(Relaxed)).sum()
    }
}

/// Read, add, write back: two threads that read the same value lose one.
struct LoadStore(AtomicU64);

impl Counter for LoadStore {
    fn new(_: usize) -> Self {
        LoadStore(AtomicU64::new(0))
    }
    fn add(&self, _: usize) {
        let now = self.0.load(Relaxed);
        std::hint::black_box(());
        self.0.store(now + 1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// Padded slots, but `sum` reads only the first.
struct SumsOneSlot(Box<[CachePadded<AtomicU64>]>);

impl Counter for SumsOneSlot {
    fn new(threads: usize) -> Self {
        SumsOneSlot(
            (0..threads)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        )
    }
    fn add(&self, thread: usize) {
        self.0[thread].fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0[0].load(Relaxed)
    }
}

/// Records every event in a list: exact, but `add` allocates as it grows.
struct RecordsEvents(Mutex<Vec<usize>>);

impl Counter for RecordsEvents {
    fn new(_: usize) -> Self {
        RecordsEvents(Mutex::new(Vec::new()))
    }
    fn add(&self, thread: usize) {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push(thread);
    }
    fn sum(&self) -> u64 {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).len() as u64
    }
}

/// One slot too few: the last thread indexes past the end.
struct OffByOne(Box<[CachePadded<AtomicU64>]>);

impl Counter for OffByOne {
    fn new(threads: usize) -> Self {
        OffByOne(
            (1..threads)
                .map(|_| CachePadded::new(AtomicU64::new(0)))
                .collect(),
        )
    }
    fn add(&self, thread: usize) {
        self.0[thread].fetch_add(1, Relaxed);
    }
    fn sum(&self) -> u64 {
        self.0.iter().map(|s| s.load(Relaxed)).sum()
    }
}

/// A compare-and-swap loop that expects the wrong old value forever.
struct Spins(AtomicU64);

impl Counter for Spins {
    fn new(_: usize) -> Self {
        Spins(AtomicU64::new(0))
    }
    fn add(&self, _: usize) {
        let mut seen = self.0.load(Relaxed);
        while self
            .0
            .compare_exchange(seen + 1, seen + 1, Relaxed, Relaxed)
            .is_err()
        {
            seen = self.0.load(Relaxed);
        }
    }
    fn sum(&self) -> u64 {
        self.0.load(Relaxed)
    }
}

/// Every known-wrong submission, with the stage that must stop it.
pub const WRONG: &[Wrong] = &[
    Wrong {
        name: "locked",
        expect: Expect::Failed("layout"),
        run: judge_counter::<Locked>,
    },
    Wrong {
        name: "one_atomic",
        expect: Expect::Failed("layout"),
        run: judge_counter::<OneAtomic>,
    },
    Wrong {
        name: "unpadded",
        expect: Expect::Failed("layout"),
        run: judge_counter::<Unpadded>,
    },
    Wrong {
        name: "shared_total",
        expect: Expect::Failed("layout"),
        run: judge_counter::<SharedTotal>,
    },
    Wrong {
        name: "slots_16bit",
        expect: Expect::Failed("agrees"),
        run: judge_counter::<Slots16>,
    },
    Wrong {
        name: "load_store",
        expect: Expect::Racy("layout"),
        run: judge_counter::<LoadStore>,
    },
    Wrong {
        name: "sums_one_slot",
        expect: Expect::Failed("agrees"),
        run: judge_counter::<SumsOneSlot>,
    },
    Wrong {
        name: "records_events",
        expect: Expect::Failed("allocation"),
        run: judge_counter::<RecordsEvents>,
    },
    Wrong {
        name: "off_by_one",
        expect: Expect::Panicked("started"),
        run: judge_counter::<OffByOne>,
    },
    Wrong {
        name: "inline_slots",
        expect: Expect::Accepted,
        run: judge_counter::<InlineSlots>,
    },
    Wrong {
        name: "spins",
        expect: Expect::Hangs("started"),
        run: judge_counter::<Spins>,
    },
];
