//! The second question: two threads each increment their own slot; how far
//! apart must the slots be before the threads stop slowing each other down?
//!
//! A core writes memory a cache line (64 bytes) at a time, and must own the
//! line exclusively to write it. Two slots on one line are one unit as far
//! as the cores are concerned, whatever the program means by them. Intel's
//! CPUs also prefetch the neighbouring line of a 128-byte pair, which is
//! why `crossbeam_utils::CachePadded` pads to 128 bytes on x86-64.

use crate::sync::atomic::{AtomicU64, Ordering::Relaxed};

/// Events per call in this question, over both threads: ten times the
/// contention question's. A call of a few milliseconds is often over
/// before the scheduler has moved the second new thread to the other core,
/// and two threads that take turns on one core share no cache line,
/// falsely or not; at tens of milliseconds the two run side by side.
pub const SPACING_INCREMENTS: u64 = 10_000_000;

/// Slots are placed from a 128-byte boundary, so where they fall relative
/// to cache lines depends on the spacing alone, not on where the
/// allocator happened to put the array.
const LINE_PAIR: usize = 128;

/// Per-thread atomic slots placed `spacing` bytes apart.
pub struct SpacedSlots {
    cells: Box<[AtomicU64]>,
    first: usize,
    stride: usize,
}

impl SpacedSlots {
    /// Zeroed slots for `threads` threads, `spacing` bytes apart (rounded
    /// down to a whole slot, at least one).
    pub fn new(threads: usize, spacing: usize) -> Self {
        let cell = size_of::<AtomicU64>();
        let stride = (spacing / cell).max(1);
        // Enough spare cells in front to start on a 128-byte boundary.
        let room = LINE_PAIR / cell;
        let cells: Box<[AtomicU64]> = (0..threads * stride + room)
            .map(|_| AtomicU64::new(0))
            .collect();
        // `align_offset` may in principle decline (usize::MAX); then the
        // slots are merely unaligned, and still counted right.
        let first = cells.as_ptr().align_offset(LINE_PAIR).min(room);
        Self {
            cells,
            first,
            stride,
        }
    }

    /// Count one event on thread `thread`.
    pub fn add(&self, thread: usize) {
        self.cells[self.first + thread * self.stride].fetch_add(1, Relaxed);
    }

    /// The count: every cell, since only the slots are ever non-zero.
    pub fn sum(&self) -> u64 {
        self.cells.iter().map(|c| c.load(Relaxed)).sum()
    }
}

// ANCHOR: spaced_slots
/// `threads` threads each count `per_thread` events into their own slot of
/// a [`SpacedSlots`], `spacing` bytes apart; returns the total.
///
/// At spacing 8 this is [`crate::sharded_false_sharing`]; at 128 it
/// places slots as [`crate::sharded_padded`] does. The time falls as the
/// slots move onto separate lines, and the question is at which spacing.
pub fn spaced_slots(threads: usize, per_thread: u64, spacing: usize) -> u64 {
    let slots = SpacedSlots::new(threads, spacing);
    crate::on_threads(threads, |t| {
        for _ in 0..per_thread {
            slots.add(t);
        }
    });
    slots.sum()
}
// ANCHOR_END: spaced_slots
