//! A counting global allocator for the allocation pass of `run` and the
//! budget stage of `check`.
//!
//! The `workbench` binary installs [`CountingAlloc`]; the library only reads
//! its counters. Counting is off unless [`count`] is running, and while it is
//! off the allocator adds one relaxed load to the system allocator's work,
//! so timings taken in the same process are not disturbed. Benches and
//! tests do not install it (the heap tests use dhat instead).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering::Relaxed};

static COUNTING: AtomicBool = AtomicBool::new(false);
static INSTALLED: AtomicBool = AtomicBool::new(false);
static ALLOCS: AtomicU64 = AtomicU64::new(0);
static BYTES: AtomicU64 = AtomicU64::new(0);
static LIVE: AtomicU64 = AtomicU64::new(0);
static PEAK: AtomicU64 = AtomicU64::new(0);

/// The system allocator, with counters that [`count`] switches on.
pub struct CountingAlloc;

impl CountingAlloc {
    fn record_alloc(size: usize) {
        if COUNTING.load(Relaxed) {
            ALLOCS.fetch_add(1, Relaxed);
            BYTES.fetch_add(size as u64, Relaxed);
            let live = LIVE.fetch_add(size as u64, Relaxed) + size as u64;
            PEAK.fetch_max(live, Relaxed);
        } else {
            INSTALLED.store(true, Relaxed);
        }
    }

    fn record_free(size: usize) {
        if COUNTING.load(Relaxed) {
            // Blocks allocated before counting began may be freed during it;
            // saturate rather than wrap.
            let _ = LIVE.fetch_update(Relaxed, Relaxed, |live| {
                Some(live.saturating_sub(size as u64))
            });
        }
    }
}

// SAFETY: every call is forwarded unchanged to `System`, which upholds the
// `GlobalAlloc` contract; the counters never touch the memory itself.
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        Self::record_alloc(layout.size());
        // SAFETY: the caller's `layout` obligations pass straight through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::record_alloc(layout.size());
        // SAFETY: as for `alloc`.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::record_free(layout.size());
        // SAFETY: `ptr` came from `System` with this `layout` (we forward all).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A realloc is an allocation of the new size in every count we
        // report (it may move and copy), and frees the old block.
        Self::record_free(layout.size());
        Self::record_alloc(new_size);
        // SAFETY: as for `dealloc` and `alloc`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// What one call allocated.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct AllocStats {
    /// Heap allocations, reallocations included.
    pub allocs: u64,
    /// Bytes requested by those allocations.
    pub bytes: u64,
    /// The most heap the call held at once, above what was live before it.
    pub peak: u64,
}

/// Run `f` with counting on and report what it allocated, or `None` when
/// this process does not use [`CountingAlloc`] (benches, tests).
///
/// Counts are process-wide: threads that `f` spawns are included, and so is
/// anything another thread allocates meanwhile (the workbench runs no other
/// thread while it counts).
pub fn count<R>(f: impl FnOnce() -> R) -> (R, Option<AllocStats>) {
    // An allocation with counting off marks the allocator as installed.
    drop(std::hint::black_box(Box::new(0u8)));
    if !INSTALLED.load(Relaxed) {
        return (f(), None);
    }
    ALLOCS.store(0, Relaxed);
    BYTES.store(0, Relaxed);
    LIVE.store(0, Relaxed);
    PEAK.store(0, Relaxed);
    COUNTING.store(true, Relaxed);
    let result = std::hint::black_box(f());
    COUNTING.store(false, Relaxed);
    let stats = AllocStats {
        allocs: ALLOCS.load(Relaxed),
        bytes: BYTES.load(Relaxed),
        peak: PEAK.load(Relaxed),
    };
    (result, Some(stats))
}
