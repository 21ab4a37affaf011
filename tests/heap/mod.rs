//! Shared by the heap-budget tests (`tests/<lesson>_heap.rs`): dhat as the
//! global allocator, and a counter of the blocks one call allocates.
//!
//! dhat allows one profiler per process, so each heap-test file holds one
//! test, which starts `dhat::Profiler::builder().testing().build()`.

#[global_allocator]
static ALLOC: dhat::Alloc = dhat::Alloc;

/// Heap blocks allocated (reallocations included) by one call of `f`, on
/// every thread it starts. dhat's totals only grow, so this is their diff.
pub fn blocks(f: impl FnOnce()) -> u64 {
    let before = dhat::HeapStats::get().total_blocks;
    f();
    dhat::HeapStats::get().total_blocks - before
}
