//! A counting global allocator for the allocation pass of `run` and the
//! budget stage of `check`.
//!
//! The `workbench` binary installs [`CountingAlloc`]; the library only reads
//! its counters. Counting is off unless [`count`] is running, and while it is
//! off the allocator adds one relaxed load to the system allocator's work,
//! so timings taken in the same process are not disturbed. Benches and
//! tests do not install it (the heap tests use dhat instead).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::{Cell, RefCell};
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
        let ptr = unsafe { System.alloc(layout) };
        watch_alloc(ptr, layout.size());
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        Self::record_alloc(layout.size());
        // SAFETY: as for `alloc`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        watch_alloc(ptr, layout.size());
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        Self::record_free(layout.size());
        watch_free(ptr);
        // SAFETY: `ptr` came from `System` with this `layout` (we forward all).
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A realloc is an allocation of the new size in every count we
        // report (it may move and copy), and frees the old block.
        Self::record_free(layout.size());
        Self::record_alloc(new_size);
        watch_free(ptr);
        // SAFETY: as for `dealloc` and `alloc`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        watch_alloc(new, new_size);
        new
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
    /// The heap it still held when it returned (what it built), above
    /// what was live before it.
    pub held: u64,
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
        held: LIVE.load(Relaxed),
    };
    (result, Some(stats))
}

/// How many live heap blocks a [`BlockWatch`] can follow (a table of
/// fixed size: the allocator must not allocate to record).
const WATCHED: usize = 64;

thread_local! {
    // Const-initialised and without a destructor, so the allocator may
    // read them: touching them never allocates.
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    // Set when the table overflowed, or a free could not be recorded:
    // the watch no longer knows what is live.
    static OVERFLOW: Cell<bool> = const { Cell::new(false) };
    static EVENTS: Cell<u64> = const { Cell::new(0) };
    static BLOCKS: RefCell<[(usize, usize); WATCHED]> = const { RefCell::new([(0, 0); WATCHED]) };
}

fn watch_alloc(ptr: *mut u8, size: usize) {
    if ptr.is_null() || !WATCHING.try_with(Cell::get).unwrap_or(false) {
        return;
    }
    EVENTS.with(|e| e.set(e.get() + 1));
    let placed = BLOCKS.with(|blocks| {
        let Ok(mut blocks) = blocks.try_borrow_mut() else {
            return false;
        };
        let free = blocks.iter_mut().find(|b| b.0 == 0);
        free.map(|b| *b = (ptr as usize, size)).is_some()
    });
    if !placed {
        OVERFLOW.with(|o| o.set(true));
    }
}

fn watch_free(ptr: *mut u8) {
    if !WATCHING.try_with(Cell::get).unwrap_or(false) {
        return;
    }
    EVENTS.with(|e| e.set(e.get() + 1));
    BLOCKS.with(|blocks| {
        if let Ok(mut blocks) = blocks.try_borrow_mut() {
            for b in blocks.iter_mut().filter(|b| b.0 == ptr as usize) {
                *b = (0, 0);
            }
        } else {
            OVERFLOW.with(|o| o.set(true));
        }
    });
}

/// The heap blocks this thread allocated, and has not freed, since the
/// watch began: what a value built meanwhile owns on the heap, so a judge
/// can see which of its bytes a call writes. Only the thread that started
/// the watch is followed (the watchdog's allocations are not the
/// learner's); start it inside the closure that runs the learner's code,
/// so the judge's own allocations around it are not followed either. Ends
/// when dropped.
pub struct BlockWatch {
    // Tied to the thread whose allocations it follows.
    _here: std::marker::PhantomData<*const ()>,
}

impl BlockWatch {
    /// Start following this thread's allocations; `None` where this
    /// process does not use [`CountingAlloc`].
    pub fn start() -> Option<BlockWatch> {
        drop(std::hint::black_box(Box::new(0u8)));
        if !INSTALLED.load(Relaxed) {
            return None;
        }
        BLOCKS.with(|b| *b.borrow_mut() = [(0, 0); WATCHED]);
        OVERFLOW.with(|o| o.set(false));
        EVENTS.with(|e| e.set(0));
        WATCHING.with(|w| w.set(true));
        Some(BlockWatch {
            _here: std::marker::PhantomData,
        })
    }

    /// The live blocks, as (address, size), lowest address first; `None`
    /// once more than 64 were live at one time.
    pub fn live(&self) -> Option<Vec<(usize, usize)>> {
        if OVERFLOW.with(Cell::get) {
            return None;
        }
        // Copied out first, and not followed while this allocates: the
        // list is the caller's, not the watched code's.
        let table = BLOCKS.with(|b| *b.borrow());
        WATCHING.with(|w| w.set(false));
        let mut live: Vec<(usize, usize)> = table.into_iter().filter(|b| b.0 != 0).collect();
        live.sort_unstable();
        WATCHING.with(|w| w.set(true));
        Some(live)
    }

    /// How many allocations and frees this thread made since the watch
    /// began.
    pub fn events(&self) -> u64 {
        EVENTS.with(Cell::get)
    }
}

impl Drop for BlockWatch {
    fn drop(&mut self) {
        WATCHING.with(|w| w.set(false));
    }
}
