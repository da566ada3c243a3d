//! The README's memory claims, measured: through the exported `RgbaImage`,
//! operations that keep the size allocate nothing, and filters free their
//! scratch memory before they return, with a peak of about one copy of the
//! image. A counting global allocator (the allocator of the crate's whole
//! unit-test binary: this module is built for tests only) counts the
//! allocations of the thread that measures, in counters of that thread: the
//! other tests run on other threads meanwhile, and the test harness's own
//! thread allocates now and then (seen on a loaded machine: 4 allocations in
//! a "grayscale").

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use crate::buffer::RgbaBuffer;
use crate::{Life, Plasma, RgbaImage, drawing, ellipses};
use wasm_bindgen::JsValue;

struct Counting;

// Const-initialized and without a destructor: using them never allocates.
thread_local! {
    static MEASURING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    // Bytes allocated minus bytes freed by measured calls: negative when a
    // call frees what was allocated before it.
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
}

fn measuring() -> bool {
    MEASURING.with(Cell::get)
}

fn allocated() {
    ALLOCATIONS.with(|count| count.set(count.get() + 1));
}

fn grew(bytes: usize) {
    let live = LIVE.with(|live| {
        live.set(live.get() + bytes as isize);
        live.get()
    });
    PEAK.with(|peak| peak.set(peak.get().max(live)));
}

fn shrank(bytes: usize) {
    LIVE.with(|live| live.set(live.get() - bytes as isize));
}

// SAFETY: every call is forwarded to the system allocator unchanged; the
// counters only observe sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if measuring() {
            allocated();
            grew(layout.size());
        }
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if measuring() {
            allocated();
            grew(layout.size());
        }
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if measuring() {
            shrank(layout.size());
        }
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if measuring() {
            allocated();
            shrank(layout.size());
            grew(new_size);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// What one call did to the heap.
#[derive(Debug)]
struct Usage {
    allocations: usize,
    /// Bytes still allocated after the call that were not before it.
    kept: isize,
    /// Highest bytes allocated during the call beyond where it started.
    peak: usize,
}

fn measure(call: impl FnOnce()) -> Usage {
    let start = LIVE.with(Cell::get);
    PEAK.with(|peak| peak.set(start));
    let allocations = ALLOCATIONS.with(Cell::get);
    MEASURING.with(|flag| flag.set(true));
    call();
    MEASURING.with(|flag| flag.set(false));
    Usage {
        allocations: ALLOCATIONS.with(Cell::get) - allocations,
        kept: LIVE.with(Cell::get) - start,
        peak: (PEAK.with(Cell::get) - start) as usize,
    }
}

/// An operation on the test images, with the name its failure shows.
type NamedCall<'a> = (&'static str, Box<dyn Fn() + 'a>);

const WIDTH: f64 = 320.0;
const HEIGHT: f64 = 200.0;
const IMAGE_BYTES: usize = 320 * 200 * 4;

#[test]
fn size_keeping_operations_allocate_nothing_and_filters_free_their_scratch() {
    let image = RgbaImage::filled(WIDTH, HEIGHT, 40.0, 120.0, 200.0, 180.0).unwrap();
    let other = RgbaImage::filled(WIDTH, HEIGHT, 200.0, 10.0, 60.0, 90.0).unwrap();
    for step in 0..100 {
        image.set_pixel(f64::from(step) * 3.0, f64::from(step) * 2.0, 250.0, 250.0, 0.0, 255.0).unwrap();
    }

    // Native builds have no JS values: every optional rectangle is left out
    // (the whole image), the case that matters for memory.
    let whole = || JsValue::UNDEFINED;
    let in_place: Vec<NamedCall> = vec![
        ("grayscale", Box::new(|| image.grayscale(whole()).unwrap())),
        ("invert", Box::new(|| image.invert(whole()).unwrap())),
        ("brightness", Box::new(|| image.brightness(1.2, whole()).unwrap())),
        ("contrast", Box::new(|| image.contrast(1.3, whole()).unwrap())),
        ("gamma", Box::new(|| image.gamma(2.2, whole()).unwrap())),
        ("threshold", Box::new(|| image.threshold(100.0, whole()).unwrap())),
        ("sepia", Box::new(|| image.sepia(whole()).unwrap())),
        ("put_alpha", Box::new(|| image.put_alpha(200.0, whole()).unwrap())),
        ("swap_channels", Box::new(|| image.swap_channels(0.0, 2.0, whole()).unwrap())),
        ("extract_channel", Box::new(|| image.extract_channel(1.0, whole()).unwrap())),
        ("premultiply_alpha", Box::new(|| image.premultiply_alpha(whole()).unwrap())),
        ("unpremultiply_alpha", Box::new(|| image.unpremultiply_alpha(whole()).unwrap())),
        ("fill", Box::new(|| image.fill(1.0, 2.0, 3.0, 4.0, whole()).unwrap())),
        ("set_pixel", Box::new(|| image.set_pixel(3.0, 4.0, 9.0, 8.0, 7.0, 6.0).unwrap())),
        ("paste", Box::new(|| image.paste(&other, -30.0, 20.0).unwrap())),
        ("alpha_composite", Box::new(|| image.alpha_composite(&other, -30.0, 20.0).unwrap())),
    ];
    for (name, call) in &in_place {
        let usage = measure(call);
        assert_eq!(usage.allocations, 0, "{name} allocated: {usage:?}");
    }

    let scratch: Vec<NamedCall> = vec![
        ("box_blur", Box::new(|| image.box_blur(4.0, 2.5, whole()).unwrap())),
        ("gaussian_blur", Box::new(|| image.gaussian_blur(3.0, 0.0, whole()).unwrap())),
        ("sharpness", Box::new(|| image.sharpness(2.0, whole()).unwrap())),
        ("min filter", Box::new(|| image.rank_filter(5.0, 0.0, whole()).unwrap())),
        ("max filter", Box::new(|| image.rank_filter(3.0, 8.0, whole()).unwrap())),
        ("median 3x3", Box::new(|| image.rank_filter(3.0, 4.0, whole()).unwrap())),
        ("median 5x5", Box::new(|| image.rank_filter(5.0, 12.0, whole()).unwrap())),
        ("alpha_composite onto itself", Box::new(|| image.alpha_composite(&image, 3.0, 3.0).unwrap())),
    ];
    for (name, call) in &scratch {
        let usage = measure(call);
        assert_eq!(usage.kept, 0, "{name} kept memory after returning: {usage:?}");
        assert!(usage.peak <= IMAGE_BYTES + IMAGE_BYTES / 8, "{name} used more than one scratch copy: {usage:?}");
    }

    // Drawing (its exports take JS arrays, so the module's functions here):
    // one-pixel lines and rectangles allocate nothing, fills keep nothing.
    let mut canvas = RgbaBuffer::new(WIDTH as u32, HEIGHT as u32).unwrap();
    let ink = drawing::Ink::plain;
    let usage = measure(|| drawing::lines(&mut canvas, &[[-10, 3], [400, 180], [5, 5]], ink([1, 2, 3, 4]), 1).unwrap());
    assert_eq!(usage.allocations, 0, "one-pixel lines: {usage:?}");
    let usage = measure(|| drawing::rectangle(&mut canvas, [10, 10, 90, 80], Some(ink([1; 4])), Some(ink([2; 4])), 3));
    assert_eq!(usage.allocations, 0, "rectangle: {usage:?}");
    let usage = measure(|| {
        drawing::polygon(&mut canvas, &[[0, 0], [150, 20], [40, 90]], Some(ink([5; 4])), Some(ink([6; 4])), 4).unwrap()
    });
    assert!(usage.kept == 0 && usage.peak <= IMAGE_BYTES / 4 + 4096, "polygon: {usage:?}");
    let usage = measure(|| ellipses::ellipse(&mut canvas, [10, 10, 200, 150], Some(ink([1; 4])), Some(ink([2; 4])), 5));
    assert_eq!(usage.kept, 0, "ellipse: {usage:?}");
    let usage = measure(|| {
        ellipses::draw_cut(
            &mut canvas,
            ellipses::Cut::Pieslice,
            [-5, 0, 90, 80],
            (30.0, 300.0),
            None,
            Some(ink([3; 4])),
            4,
        )
    });
    assert_eq!(usage.kept, 0, "pieslice: {usage:?}");
    let usage = measure(|| _ = drawing::flood_fill(&mut canvas, 0, 0, [7; 4], drawing::FloodRegion::Similar(0.0)));
    assert_eq!(usage.kept, 0, "flood_fill: {usage:?}");

    // Size-changing geometry returns one new image and keeps nothing else.
    let usage = measure(|| drop(image.transpose(2.0).unwrap()));
    assert!(usage.kept == 0 && usage.peak <= IMAGE_BYTES + 64, "transpose: {usage:?}");
    let usage =
        measure(|| drop(image.resize(WIDTH * 2.0, HEIGHT * 2.0, 2.0, JsValue::UNDEFINED, None, false).unwrap()));
    assert_eq!(usage.kept, 0, "resize: {usage:?}");

    // The simulations draw into an image they are given and keep nothing.
    let mut life = Life::new(160.0, 100.0).unwrap();
    life.randomize(7.0, 0.4).unwrap();
    let board = RgbaImage::new(160.0, 100.0).unwrap();
    let usage = measure(|| life.render(&board).unwrap());
    assert_eq!(usage.allocations, 0, "Life.render: {usage:?}");
    let usage = measure(|| life.tick(10.0).unwrap());
    assert_eq!(usage.kept, 0, "Life.tick: {usage:?}");
    let plasma = Plasma::new();
    let usage = measure(|| plasma.render(&board, 1.5).unwrap());
    assert!(usage.kept == 0 && usage.peak <= 160 * 4, "Plasma.render keeps one row of waves at most: {usage:?}");
}
