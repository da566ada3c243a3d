//! Kernels split their output rows into bands that the threads of a pool
//! compute side by side (the threaded build, `--features threads`, whose
//! memory is shared with Web Workers); elsewhere the one band is the whole
//! image, on the calling thread.
//!
//! Why a pool of our own rather than rayon's: the caller is usually a
//! page's main thread, which browsers forbid to block (`memory.atomic.wait`
//! traps there), and rayon blocks its caller on a lock and a condition
//! variable until the work is done. Here the caller never waits on a lock:
//! it claims bands like any worker (one compare-and-swap each), computes
//! them, then spins until the bands the workers claimed are done. A worker
//! only ever waits for the next job. So a pool whose workers never started
//! still finishes every job (the caller takes every band), and a worker that
//! trapped mid-band raises its failure flag, which the spinning caller
//! reads, instead of leaving it waiting forever.
//!
//! Every kernel computes a band exactly as the whole image computes those
//! rows (running sums restarted from the band's first row, accumulated
//! coordinates replayed), so the bytes do not depend on the number of
//! threads; the tests compare them.

use crate::buffer::{ImageError, Result};
use std::sync::atomic::{AtomicBool, AtomicPtr, AtomicU32, AtomicU64, AtomicUsize, Ordering::SeqCst};

/// The bands each thread gets on average: more than one, so that a thread
/// slowed by another tab evens out with the others.
const BANDS_PER_THREAD: usize = 4;

/// Runs `band(first_row, rows)` over `out` (rows of `row_len` bytes) cut
/// into bands of whole rows, on the active pool's threads when there is one;
/// the first error of a band is returned.
pub fn for_each_band<F>(out: &mut [u8], row_len: usize, band: F) -> Result<()>
where
    F: Fn(usize, &mut [u8]) -> Result<()> + Sync,
{
    // SAFETY: `out` is initialised and borrowed mutably for the whole call.
    unsafe { run_bands(SharedOut(out.as_mut_ptr(), out.len()), row_len, false, band) }
}

/// A new output of `len` bytes (rows of `row_len`), each band zeroed then
/// computed by `band(first_row, rows)` in the same job of the pool: one
/// dispatch and one pass over memory where [`zeroed`] then
/// [`for_each_band`] take two of each (the band's zeros still in cache
/// when the kernel writes them).
pub fn new_in_bands<F>(len: usize, row_len: usize, band: F) -> Result<Vec<u8>>
where
    F: Fn(usize, &mut [u8]) -> Result<()> + Sync,
{
    let mut out: Vec<u8> = Vec::new();
    out.try_reserve_exact(len).map_err(|_| ImageError::OutOfMemory { bytes: len })?;
    // SAFETY: the capacity holds `len` bytes, each band's range is zeroed
    // before a slice of it is made, and every byte lies in some band.
    unsafe { run_bands(SharedOut(out.as_mut_ptr(), len), row_len, true, band)? };
    // SAFETY: every byte up to `len` was zeroed above (then perhaps written).
    unsafe { out.set_len(len) };
    Ok(out)
}

/// The bands of `base`, zeroed first when `zero` (the memory may then be
/// uninitialised).
///
/// # Safety
/// `base` is valid for writes of its length, and no other reference to it
/// lives during the call; unless `zero`, its bytes are initialised.
unsafe fn run_bands<F>(base: SharedOut, row_len: usize, zero: bool, band: F) -> Result<()>
where
    F: Fn(usize, &mut [u8]) -> Result<()> + Sync,
{
    let rows = base.1.checked_div(row_len).unwrap_or(0);
    let bytes = |start: usize, end: usize| {
        let end = end.min(base.1);
        if zero {
            // SAFETY: within `base`, by the caller's promise.
            unsafe { std::ptr::write_bytes(base.at(start), 0, end - start) };
        }
        // SAFETY: the range is initialised (zeroed above, or by the
        // caller's promise) and claimed by this thread alone (see below).
        unsafe { base.range(start, end) }
    };
    let pool = match active_pool() {
        Some(pool) if rows > 1 && pool.threads() > 1 => pool,
        _ => return band(0, bytes(0, base.1)),
    };
    let bands = (pool.threads() * BANDS_PER_THREAD).min(rows).min(usize::from(u16::MAX));
    let rows_per_band = rows.div_ceil(bands);
    let bands = rows.div_ceil(rows_per_band);
    let first_error = FirstError::default();
    let job = |index: usize| {
        let first_row = index * rows_per_band;
        // The bands are disjoint ranges of `base`, each claimed by one
        // thread once, and `run` returns only when all are done.
        let (start, end) = (first_row * row_len, (first_row + rows_per_band) * row_len);
        if let Err(error) = band(first_row, bytes(start, end)) {
            first_error.keep(error);
        }
    };
    pool.run(bands, &job)?;
    first_error.take()
}

/// Large enough to share out: below it, waking the workers costs more than
/// one thread filling the memory.
const SPLIT_FILL_BYTES: usize = 1 << 20;

/// `len` bytes written by `fill(start, destination)` for each piece of
/// them, side by side on the active pool's threads: an image's snapshot or
/// a kernel's zeroed output, which one thread would write alone while the
/// others wait for the kernel.
pub fn filled_in_pieces<F>(len: usize, fill: F) -> Result<Vec<u8>>
where
    F: Fn(usize, *mut u8, usize) + Sync,
{
    let mut out: Vec<u8> = Vec::new();
    out.try_reserve_exact(len).map_err(|_| ImageError::OutOfMemory { bytes: len })?;
    let base = SharedOut(out.as_mut_ptr(), len);
    let threads = match active_pool() {
        Some(pool) if len >= SPLIT_FILL_BYTES && pool.threads() > 1 => Some(pool),
        _ => None,
    };
    match threads {
        None => fill(0, base.at(0), len),
        Some(pool) => {
            let pieces = pool.threads() * BANDS_PER_THREAD;
            let piece = len.div_ceil(pieces);
            // SAFETY (for `fill`): each piece is a disjoint range of the
            // reserved capacity, written by one thread once.
            let job = |index: usize| {
                let start = (index * piece).min(len);
                let end = (start + piece).min(len);
                fill(start, base.at(start), end - start);
            };
            pool.run(pieces, &job)?;
        }
    }
    // SAFETY: every byte of the capacity up to `len` was written above.
    unsafe { out.set_len(len) };
    Ok(out)
}

/// Whether `test` holds for every piece of `bytes`, cut at multiples of
/// `unit` bytes, the pieces tested side by side on the active pool's
/// threads (a scan one thread would make alone while the others wait for
/// the kernel it decides); pieces after a failed one are skipped.
pub fn all_pieces<F>(bytes: &[u8], unit: usize, test: F) -> Result<bool>
where
    F: Fn(&[u8]) -> bool + Sync,
{
    let pool = match active_pool() {
        Some(pool) if bytes.len() >= SPLIT_FILL_BYTES && pool.threads() > 1 => pool,
        _ => return Ok(test(bytes)),
    };
    let pieces = pool.threads() * BANDS_PER_THREAD;
    let piece = bytes.len().div_ceil(pieces).next_multiple_of(unit.max(1));
    let failed = AtomicBool::new(false);
    let job = |index: usize| {
        let start = (index * piece).min(bytes.len());
        let end = (start + piece).min(bytes.len());
        if !failed.load(SeqCst) && !test(&bytes[start..end]) {
            failed.store(true, SeqCst);
        }
    };
    pool.run(pieces, &job)?;
    Ok(!failed.load(SeqCst))
}

/// A copy of `bytes` (see [`filled_in_pieces`]).
pub fn copied(bytes: &[u8]) -> Result<Vec<u8>> {
    // SAFETY: `destination` has room for `count` bytes from `start`, which
    // lie within `bytes`; the two never overlap (one is freshly reserved).
    filled_in_pieces(bytes.len(), |start, destination, count| unsafe {
        std::ptr::copy_nonoverlapping(bytes.as_ptr().add(start), destination, count);
    })
}

/// `len` zero bytes (see [`filled_in_pieces`]).
pub fn zeroed(len: usize) -> Result<Vec<u8>> {
    // SAFETY: `destination` has room for `count` bytes.
    filled_in_pieces(len, |_, destination, count| unsafe { std::ptr::write_bytes(destination, 0, count) })
}

/// `out`'s start and length, shared by the band jobs.
struct SharedOut(*mut u8, usize);

impl SharedOut {
    /// Bytes `start..end` of `out` (`end` clipped to its length).
    ///
    /// # Safety
    /// No other live slice may overlap the range.
    #[allow(clippy::mut_from_ref)]
    unsafe fn range(&self, start: usize, end: usize) -> &mut [u8] {
        let end = end.min(self.1);
        // SAFETY: within `out`; exclusive by the caller's promise.
        unsafe { std::slice::from_raw_parts_mut(self.0.add(start), end - start) }
    }
}

impl SharedOut {
    /// Where byte `start` (at most the length) is: a method, so that a
    /// closure captures the whole `SharedOut` (which is `Sync`), not its
    /// pointer field.
    fn at(&self, start: usize) -> *mut u8 {
        self.0.wrapping_add(start.min(self.1))
    }
}

// SAFETY: see `for_each_band`: each thread writes its own band only.
unsafe impl Sync for SharedOut {}

/// The first error any band returned (lock-free: the caller may be a
/// browser's main thread).
#[derive(Default)]
struct FirstError(AtomicPtr<ImageError>);

impl FirstError {
    fn keep(&self, error: ImageError) {
        let boxed = Box::into_raw(Box::new(error));
        if self.0.compare_exchange(std::ptr::null_mut(), boxed, SeqCst, SeqCst).is_err() {
            // SAFETY: `boxed` was not stored, so it is still ours.
            drop(unsafe { Box::from_raw(boxed) });
        }
    }

    fn take(&self) -> Result<()> {
        let error = self.0.swap(std::ptr::null_mut(), SeqCst);
        if error.is_null() {
            Ok(())
        } else {
            // SAFETY: stored by `keep` from `Box::into_raw`, taken once.
            Err(*unsafe { Box::from_raw(error) })
        }
    }
}

impl Drop for FirstError {
    fn drop(&mut self) {
        let _ = self.take();
    }
}

/// One job at a time: `claim` packs the job's number (high 32 bits), its
/// count of bands and the next band to take (16 bits each), so that one
/// compare-and-swap claims a band of that job and no other; `job` is read
/// between the load of `claim` and that swap, and is replaced only once
/// every band of the job it served is done.
pub struct Pool {
    threads: AtomicUsize,
    wake: AtomicU32,
    claim: AtomicU64,
    job: AtomicUsize,
    done: AtomicUsize,
    failed: AtomicBool,
    running: AtomicBool,
    closing: AtomicBool,
}

/// About 50 to 100 microseconds of loads of the wake counter.
const SPINS_BEFORE_SLEEPING: u32 = 1 << 16;

type Job<'a> = &'a (dyn Fn(usize) + Sync);

impl Pool {
    pub const fn new() -> Self {
        Self {
            threads: AtomicUsize::new(1),
            wake: AtomicU32::new(0),
            claim: AtomicU64::new(0),
            job: AtomicUsize::new(0),
            done: AtomicUsize::new(0),
            failed: AtomicBool::new(false),
            running: AtomicBool::new(false),
            closing: AtomicBool::new(false),
        }
    }

    /// How many threads compute a job: the caller and the workers.
    pub fn threads(&self) -> usize {
        self.threads.load(SeqCst)
    }

    /// Sets how many threads compute a job (at least 1: the caller alone).
    pub fn set_threads(&self, threads: usize) {
        self.threads.store(threads.max(1), SeqCst);
    }

    /// Called by a worker whose loop ended in a trap: every later job fails
    /// instead of waiting for the band that worker held.
    pub fn mark_failed(&self) {
        self.failed.store(true, SeqCst);
    }

    /// Runs `job(band)` for every band in `0..bands` on the caller and the
    /// workers; returns once all are done. A job started inside a job (a
    /// kernel calling another) runs on its own thread alone.
    pub fn run(&self, bands: usize, job: Job<'_>) -> Result<()> {
        if self.failed.load(SeqCst) {
            return Err(ImageError::ThreadFailed);
        }
        if bands <= 1 || self.running.swap(true, SeqCst) {
            (0..bands).for_each(job);
            return Ok(());
        }
        let outcome = self.publish_and_wait(bands, job);
        self.running.store(false, SeqCst);
        outcome
    }

    fn publish_and_wait(&self, bands: usize, job: Job<'_>) -> Result<()> {
        let job_slot: &Job<'_> = &job;
        self.job.store(job_slot as *const Job<'_> as usize, SeqCst);
        self.done.store(0, SeqCst);
        let number = (self.claim.load(SeqCst) >> 32).wrapping_add(1) & 0xffff_ffff;
        let bands = bands.min(usize::from(u16::MAX));
        self.claim.store(number << 32 | (bands as u64) << 16, SeqCst);
        self.wake.fetch_add(1, SeqCst);
        notify_all(&self.wake);
        self.work(number);
        while self.done.load(SeqCst) < bands {
            if self.failed.load(SeqCst) {
                return Err(ImageError::ThreadFailed);
            }
            std::hint::spin_loop();
        }
        Ok(())
    }

    /// Claims and computes bands of job `number` until none is left.
    fn work(&self, number: u64) {
        loop {
            let claim = self.claim.load(SeqCst);
            let (bands, next) = ((claim >> 16) & 0xffff, claim & 0xffff);
            if claim >> 32 != number || next >= bands {
                return;
            }
            let job = self.job.load(SeqCst);
            if self.claim.compare_exchange(claim, claim + 1, SeqCst, SeqCst).is_ok() {
                // SAFETY: the swap succeeded, so job `number` still had band
                // `next` unclaimed: its caller is waiting in
                // `publish_and_wait`, and `job` is its slot.
                let job = unsafe { *(job as *const Job<'_>) };
                job(next as usize);
                self.done.fetch_add(1, SeqCst);
            }
        }
    }

    /// A worker's life: wait for a job, help with it, wait for the next.
    pub fn serve(&self) {
        let mut seen = self.wake.load(SeqCst);
        loop {
            self.work(self.claim.load(SeqCst) >> 32);
            if self.closing.load(SeqCst) {
                return;
            }
            // A kernel's next pass, or the next call of a loop, usually
            // follows within microseconds, and a sleeping Web Worker takes
            // tens of them to wake: watch for it a while before sleeping.
            for _ in 0..SPINS_BEFORE_SLEEPING {
                if self.wake.load(SeqCst) != seen {
                    break;
                }
                std::hint::spin_loop();
            }
            wait_while(&self.wake, seen);
            seen = self.wake.load(SeqCst);
        }
    }

    /// Ends the workers' `serve` loops (the native tests' pools; a page's
    /// workers live as long as the page).
    pub fn close(&self) {
        self.closing.store(true, SeqCst);
        self.wake.fetch_add(1, SeqCst);
        notify_all(&self.wake);
    }
}

impl Default for Pool {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
fn wait_while(value: &AtomicU32, seen: u32) {
    // SAFETY: `value` is a live, aligned i32 in the shared memory.
    unsafe { core::arch::wasm32::memory_atomic_wait32(value.as_ptr() as *mut i32, seen as i32, -1) };
}

#[cfg(all(target_arch = "wasm32", target_feature = "atomics"))]
fn notify_all(value: &AtomicU32) {
    // SAFETY: as in `wait_while`; notifying is allowed on every thread.
    unsafe { core::arch::wasm32::memory_atomic_notify(value.as_ptr() as *mut i32, u32::MAX) };
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "atomics")))]
fn wait_while(value: &AtomicU32, seen: u32) {
    while value.load(SeqCst) == seen {
        std::thread::yield_now();
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "atomics")))]
fn notify_all(_value: &AtomicU32) {}

/// The module's pool: its workers are Web Workers sharing this memory.
#[cfg(feature = "threads")]
pub static POOL: Pool = Pool::new();

#[cfg(feature = "threads")]
fn active_pool() -> Option<&'static Pool> {
    #[cfg(test)]
    if let Some(pool) = TEST_POOL.get() {
        return Some(pool);
    }
    Some(&POOL)
}

#[cfg(all(test, not(feature = "threads")))]
fn active_pool() -> Option<&'static Pool> {
    TEST_POOL.get()
}

#[cfg(all(not(test), not(feature = "threads")))]
fn active_pool() -> Option<&'static Pool> {
    None
}

#[cfg(test)]
thread_local! {
    static TEST_POOL: std::cell::Cell<Option<&'static Pool>> = const { std::cell::Cell::new(None) };
}

/// Runs `body` with kernels on this thread split over a pool of `threads`
/// native threads (the caller and `threads - 1` workers), as the threaded
/// wasm build splits them over Web Workers.
#[cfg(test)]
pub fn with_threads<T>(threads: usize, body: impl FnOnce() -> T) -> T {
    let pool: &'static Pool = Box::leak(Box::new(Pool::new()));
    pool.set_threads(threads);
    // A worker that panics reports itself, as a Web Worker that traps does.
    let serve = move || {
        if std::panic::catch_unwind(|| pool.serve()).is_err() {
            pool.mark_failed();
        }
    };
    let workers: Vec<_> = (1..threads).map(|_| std::thread::spawn(serve)).collect();
    TEST_POOL.set(Some(pool));
    let result = body();
    TEST_POOL.set(None);
    pool.close();
    for worker in workers {
        worker.join().expect("a pool worker's thread ended abnormally");
    }
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_row_is_computed_once_whatever_the_threads() {
        for threads in [1, 2, 3, 8] {
            for rows in [1, 2, 5, 31, 200] {
                let mut out = vec![0u8; rows * 3];
                with_threads(threads, || {
                    for_each_band(&mut out, 3, |first, band| {
                        for (offset, row) in band.chunks_exact_mut(3).enumerate() {
                            row[0] += 1;
                            row[1] = (first + offset) as u8;
                        }
                        Ok(())
                    })
                })
                .unwrap();
                for (y, row) in out.chunks_exact(3).enumerate() {
                    assert_eq!((row[0], row[1]), (1, y as u8), "{threads} threads, {rows} rows, row {y}");
                }
            }
        }
    }

    #[test]
    fn a_band_error_is_returned() {
        let mut out = vec![0u8; 64];
        let outcome =
            with_threads(3, || {
                for_each_band(&mut out, 4, |first, _| {
                    if first >= 8 { Err(ImageError::OutOfMemory { bytes: first }) } else { Ok(()) }
                })
            });
        assert!(matches!(outcome, Err(ImageError::OutOfMemory { .. })), "{outcome:?}");
    }

    #[test]
    fn a_failed_worker_fails_the_job_instead_of_hanging() {
        let pool = Pool::new();
        pool.set_threads(2);
        pool.mark_failed();
        let job = |_: usize| {};
        assert!(matches!(pool.run(4, &job), Err(ImageError::ThreadFailed)));
    }

    #[test]
    fn a_pool_without_workers_still_finishes() {
        let pool = Pool::new();
        pool.set_threads(4);
        let count = AtomicUsize::new(0);
        let job = |_: usize| {
            count.fetch_add(1, SeqCst);
        };
        pool.run(10, &job).unwrap();
        assert_eq!(count.load(SeqCst), 10);
    }

    /// A picture whose every byte differs from its neighbours'.
    fn noise(width: usize, height: usize) -> Vec<u8> {
        let mut state = 0x2545_f491_u32;
        (0..width * height * 4)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state >> 24) as u8
            })
            .collect()
    }

    /// `kernel`'s bytes alone and on pools of 2, 3 and 7 threads.
    #[test]
    fn copies_and_zeroed_outputs_are_whole_on_threads() {
        // Past the size that is shared out, and not a multiple of the pieces.
        let image = noise(613, 521);
        assert!(image.len() > SPLIT_FILL_BYTES);
        for threads in [1, 2, 3, 7] {
            assert!(with_threads(threads, || copied(&image).unwrap()) == image, "copy on {threads} threads");
            let zeros = with_threads(threads, || zeroed(image.len() + 5).unwrap());
            assert!(
                zeros.len() == image.len() + 5 && zeros.iter().all(|&byte| byte == 0),
                "zeros on {threads} threads"
            );
        }
        assert!(copied(&[]).unwrap().is_empty() && zeroed(0).unwrap().is_empty());
    }

    #[test]
    fn every_piece_is_tested_whatever_the_threads() {
        let opaque: Vec<u8> =
            noise(613, 521).chunks_exact(4).flat_map(|pixel| [pixel[0], pixel[1], pixel[2], 255]).collect();
        assert!(opaque.len() > SPLIT_FILL_BYTES);
        let is_opaque = |bytes: &[u8]| bytes.chunks(4).all(|pixel| pixel[3] == 255);
        for threads in [1, 2, 3, 7] {
            assert!(with_threads(threads, || all_pieces(&opaque, 16, is_opaque).unwrap()), "{threads} threads");
            // One translucent pixel anywhere, the first or the last included.
            for at in [3, opaque.len() / 8 * 4 + 3, opaque.len() - 1] {
                let mut one_off = opaque.clone();
                one_off[at] = 254;
                assert!(!with_threads(threads, || all_pieces(&one_off, 16, is_opaque).unwrap()), "{threads} at {at}");
            }
        }
    }

    fn assert_same_bytes_on_threads(what: &str, kernel: impl Fn() -> Vec<u8>) {
        let alone = kernel();
        for threads in [2, 3, 7] {
            assert!(with_threads(threads, &kernel) == alone, "{what}: {threads} threads differ from one");
        }
    }

    #[test]
    fn gaussian_and_box_blurs_are_the_same_bytes_on_threads() {
        use crate::filters::{box_blur, gaussian_blur};
        let (width, height) = (61, 47);
        let image = noise(width, height);
        for (x_radius, y_radius) in [(0.5, 0.5), (2.0, 2.0), (3.7, 1.2), (0.0, 9.0), (30.0, 0.0), (25.0, 60.0)] {
            assert_same_bytes_on_threads(&format!("GaussianBlur(({x_radius}, {y_radius}))"), || {
                let mut data = image.clone();
                gaussian_blur(&mut data, width, height, x_radius, y_radius).unwrap();
                data
            });
            assert_same_bytes_on_threads(&format!("BoxBlur(({x_radius}, {y_radius}))"), || {
                let mut data = image.clone();
                box_blur(&mut data, width, height, x_radius, y_radius).unwrap();
                data
            });
        }
    }

    #[test]
    fn convolutions_and_rank_filters_are_the_same_bytes_on_threads() {
        use crate::filters::{BuiltinFilter, Kernel, convolve, sharpness};
        use crate::rank_filters::{mode_filter, rank_filter};
        let (width, height) = (37, 29);
        let image = noise(width, height);
        let mut kernels: Vec<(String, Kernel)> =
            BuiltinFilter::ALL.iter().map(|&(name, filter)| (name.to_string(), Kernel::builtin(filter))).collect();
        kernels.push((
            "3x3 in floats".into(),
            Kernel::new(vec![1.0, 2.0, 1.0, 0.0, -1.0, 0.0, -2.0, 3.0, 0.5], 3.0, 10.0),
        ));
        for (name, kernel) in &kernels {
            assert_same_bytes_on_threads(name, || {
                let mut data = image.clone();
                convolve(&mut data, width, height, kernel).unwrap();
                data
            });
        }
        assert_same_bytes_on_threads("Sharpness(2.5)", || {
            let mut data = image.clone();
            sharpness(&mut data, width, height, 2.5).unwrap();
            data
        });
        for (size, rank) in [(3, 4), (3, 0), (3, 8), (5, 0), (5, 24), (7, 0), (9, 80), (5, 7), (31, 500)] {
            assert_same_bytes_on_threads(&format!("RankFilter({size}, {rank})"), || {
                let mut data = image.clone();
                rank_filter(&mut data, width, height, size, rank).unwrap();
                data
            });
        }
        assert_same_bytes_on_threads("ModeFilter(5)", || {
            let mut data = image.clone();
            mode_filter(&mut data, width, height, 5).unwrap();
            data
        });
    }

    #[test]
    fn resizes_are_the_same_bytes_on_threads() {
        use crate::resample::{Resample, Resize, reduce, reduce_plain, resize, resize_plain};
        let (width, height) = (53, 71);
        let image = noise(width, height);
        let sizes = [(20, 30), (120, 90), (53, 10), (9, 71), (200, 7), (40, 200)];
        for (_, name, filter) in Resample::ALL {
            for (out_width, out_height) in sizes {
                for reducing_gap in [None, Some(2.0)] {
                    let request = Resize { width: out_width, height: out_height, filter, area: None, reducing_gap };
                    let what = format!("resize(({out_width}, {out_height}), {name}, reducing_gap={reducing_gap:?})");
                    assert_same_bytes_on_threads(&what, || resize(&image, width, height, request).unwrap());
                    assert_same_bytes_on_threads(&what, || resize_plain(&image, width, height, request).unwrap());
                }
            }
            let request =
                Resize { width: 33, height: 41, filter, area: Some([3.5, 2.25, 50.0, 60.5]), reducing_gap: None };
            assert_same_bytes_on_threads(&format!("resize with a box, {name}"), || {
                resize(&image, width, height, request).unwrap()
            });
        }
        for factors in [(2, 2), (3, 1), (1, 4), (5, 3)] {
            for area in [[0, 0, width, height], [3, 5, 50, 66]] {
                let what = format!("reduce({factors:?}) of {area:?}");
                assert_same_bytes_on_threads(&what, || reduce(&image, width, factors, area).unwrap().0);
                assert_same_bytes_on_threads(&what, || reduce_plain(&image, width, factors, area).unwrap().0);
            }
        }
    }

    #[test]
    fn transforms_and_rotations_are_the_same_bytes_on_threads() {
        use crate::transform::{Mapping, Rotation, RotationPlacement, Sampling, plan_rotation, transform};
        let (width, height) = (57, 43);
        let image = noise(width, height);
        let mut mappings = vec![
            Mapping::Affine([0.9, 0.2, 3.0, -0.3, 1.1, 5.0]),
            Mapping::Affine([1.5, 0.0, -2.0, 0.0, 0.75, 1.0]),
            Mapping::Affine([1e5, 3.0, 0.0, 0.5, 2e4, 0.0]),
            Mapping::Extent([4.0, 3.0, 50.0, 40.0]),
            Mapping::Perspective([1.0, 0.1, 0.0, 0.05, 1.0, 0.0, 0.001, 0.002]),
            Mapping::Quad([0.0, 0.0, 5.0, 40.0, 55.0, 42.0, 50.0, 3.0]),
        ];
        for degrees in [17.0, 45.0, 123.4, -200.0] {
            for expand in [false, true] {
                let placement = RotationPlacement { expand, ..RotationPlacement::default() };
                if let Rotation::Affine { matrix, .. } = plan_rotation(width, height, degrees, placement).unwrap() {
                    mappings.push(Mapping::Affine(matrix));
                }
            }
        }
        for mapping in mappings {
            for sampling in [Sampling::Nearest, Sampling::Bilinear, Sampling::Bicubic] {
                for fill in [None, Some([9, 8, 7, 6])] {
                    let what = format!("transform {mapping:?}, {sampling:?}, fill {fill:?}");
                    assert_same_bytes_on_threads(&what, || {
                        transform(&image, width, height, (61, 39), mapping, sampling, fill).unwrap()
                    });
                }
            }
        }
    }
}
