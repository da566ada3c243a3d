//! Heap accounting for the fuzz run: a global allocator that counts, per
//! thread, the bytes in use and their peak, and refuses any single request
//! above a cap inside a measured call, so that a runaway allocation is
//! recorded, not attempted. It is the allocator of the crate's whole
//! unit-test binary: the other tests are counted on their own threads and
//! never refused.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

/// No decode under the fuzz run's limits has a reason to ask for this much
/// at once; larger requests fail (a fallible reserve sees an error, any
/// other allocation aborts the run with the size in its message).
pub const REFUSE_ABOVE: usize = 256 * 1024 * 1024;

thread_local! {
    static IN_USE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static REFUSED: Cell<usize> = const { Cell::new(0) };
    /// Set while `measure` runs a call on this thread: the cap applies.
    static CAPPED: Cell<bool> = const { Cell::new(false) };
}

pub struct CountingAllocator;

fn add(bytes: isize) {
    let _ = IN_USE.try_with(|in_use| {
        let now = in_use.get() + bytes;
        in_use.set(now);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(now)));
    });
}

/// Counts what `allocate` (a `System` call for `layout`) gives, after
/// refusing requests above the cap.
fn counted(layout: Layout, allocate: impl FnOnce() -> *mut u8) -> *mut u8 {
    if layout.size() > REFUSE_ABOVE && CAPPED.try_with(Cell::get).unwrap_or(false) {
        let _ = REFUSED.try_with(|refused| refused.set(refused.get() + 1));
        return std::ptr::null_mut();
    }
    let pointer = allocate();
    if !pointer.is_null() {
        add(layout.size() as isize);
    }
    pointer
}

// SAFETY: every call is forwarded to `System` unchanged; only counters
// (thread-local cells that never allocate) are updated around it.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        counted(layout, || unsafe { System.alloc(layout) })
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        counted(layout, || unsafe { System.alloc_zeroed(layout) })
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) };
        add(-(layout.size() as isize));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let grown = Layout::from_size_align(new_size, layout.align()).unwrap_or(layout);
        let moved = counted(grown, || unsafe { System.realloc(pointer, layout, new_size) });
        if !moved.is_null() {
            add(-(layout.size() as isize));
        }
        moved
    }
}

/// What one closure allocated on this thread at its peak, beyond what was
/// in use before it ran, and how many requests above the cap it made.
pub fn measure<T>(run: impl FnOnce() -> T) -> (T, usize, usize) {
    let before = IN_USE.with(Cell::get);
    PEAK.with(|peak| peak.set(before));
    let refused_before = REFUSED.with(Cell::get);
    struct Uncap(bool);
    impl Drop for Uncap {
        fn drop(&mut self) {
            CAPPED.with(|capped| capped.set(self.0));
        }
    }
    let uncap = Uncap(CAPPED.with(|capped| capped.replace(true)));
    let result = run();
    drop(uncap);
    let peak = PEAK.with(Cell::get);
    (result, (peak - before).max(0) as usize, REFUSED.with(Cell::get) - refused_before)
}
