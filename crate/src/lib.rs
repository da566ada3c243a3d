//! The wasm-bindgen surface of `rust_image`. Only exports live here: each one
//! checks its JS arguments (see `args`) and calls plain-Rust pixel logic from
//! the modules below, which `cargo test` covers natively. Every export that
//! can fail returns a `JsResult`, so bad input raises a JS `Error` naming the
//! argument, never a trap. The error's `name` gives its family: `TypeError`,
//! `RangeError`, `OutOfBoundsError` (a point or rectangle outside the image)
//! or `OutOfMemoryError`.

// The pool's workers wait with `memory.atomic.wait32` (src/parallel.rs).
#![cfg_attr(all(target_arch = "wasm32", target_feature = "atomics"), feature(stdarch_wasm_atomic_wait))]

#[cfg(test)]
mod allocations;
pub mod analysis;
pub mod args;
pub mod buffer;
pub mod channels;
pub mod colour;
pub mod colour_lut;
pub mod compositing;
pub mod convert;
pub mod drawing;
pub mod effects;
pub mod ellipses;
pub mod filters;
pub mod geometry;
pub mod image_math;
pub mod parallel;
pub mod quantize;
pub mod rank_filters;
pub mod resample;
pub mod resample_wide;
pub mod seed;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd;
pub mod simulation;
pub mod transform;

use buffer::{BYTES_PER_PIXEL, ErrorKind, ImageError, MAX_PIXELS, MAX_SIDE, Rect, RgbaBuffer};
use colour::Mode;
use compositing::Chop;
use filters::Kernel;
use geometry::Transpose;
use resample::{Resample, Resize};
use seed::{COLOR_BYTES, Color, SEED_PIXELS};
use std::cell::RefCell;
use transform::{Method, Rotation, RotationPlacement, Sampling};
use wasm_bindgen::prelude::*;

/// What a fallible export returns; the error is a JS `Error` (see [`JsFailure`]).
type JsResult<T = ()> = Result<T, JsFailure>;

/// Which histogram a histogram-driven colour operation reads.
#[derive(Clone, Copy)]
enum HistogramOf {
    EachChannel,
    Luma,
}

/// A failed export, thrown to JS as an `Error` whose `name` is the family of
/// the problem and whose `message` names the argument.
#[derive(Debug)]
pub struct JsFailure(ImageError);

impl From<ImageError> for JsFailure {
    fn from(error: ImageError) -> Self {
        Self(error)
    }
}

impl From<JsFailure> for JsValue {
    fn from(failure: JsFailure) -> Self {
        let error = js_sys::Error::new(&failure.0.to_string());
        error.set_name(match failure.0.kind() {
            ErrorKind::WrongType => "TypeError",
            ErrorKind::OutOfRange => "RangeError",
            ErrorKind::OutOfBounds => "OutOfBoundsError",
            ErrorKind::OutOfMemory => "OutOfMemoryError",
            ErrorKind::ThreadFailed => "ThreadError",
        });
        error.into()
    }
}

/// Runs once when the module is instantiated: a Rust panic then reaches the
/// browser console with its message instead of a bare "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Traps the module on purpose, to test how the host recovers.
#[cfg(feature = "fault-injection")]
#[wasm_bindgen]
pub fn debug_trap() {
    panic!("debug_trap: a deliberate fault for the tests");
}

/// Sets how many threads compute a kernel (the caller and `threads - 1`
/// workers, each running `pool_serve`); the threaded build only.
#[cfg(feature = "threads")]
#[wasm_bindgen]
pub fn pool_set_threads(threads: u32) {
    parallel::POOL.set_threads(threads as usize);
}

/// A Web Worker's loop: computes its share of each kernel, never returns.
#[cfg(feature = "threads")]
#[wasm_bindgen]
pub fn pool_serve() {
    parallel::POOL.serve();
}

/// Called by a worker whose `pool_serve` trapped: every later kernel fails
/// with a `ThreadError` instead of waiting for that worker.
#[cfg(feature = "threads")]
#[wasm_bindgen]
pub fn pool_worker_failed() {
    parallel::POOL.mark_failed();
}

/// Largest width or height of an image.
#[wasm_bindgen]
pub fn max_image_side() -> u32 {
    MAX_SIDE
}

/// Largest number of pixels in one image.
#[wasm_bindgen]
pub fn max_image_pixels() -> f64 {
    MAX_PIXELS as f64
}

// ------------------------------------------------------------------ seed --

/// The lesson's image: a vector of RGB pixels that the host reads in place.
#[wasm_bindgen]
pub struct Image {
    pixels: Vec<Color>,
}

#[wasm_bindgen]
impl Image {
    /// Exported as the JS constructor, so `new Image()` from JS and
    /// `rust_image.Image.new()` from Pyodide both build it.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Image {
        Image { pixels: SEED_PIXELS.to_vec() }
    }

    /// Address of the first pixel in the module's linear memory.
    pub fn pixels_ptr(&self) -> *const Color {
        self.pixels.as_ptr()
    }

    /// Length of the pixel buffer in bytes (3 per pixel).
    pub fn pixels_len(&self) -> usize {
        self.pixels.len() * COLOR_BYTES
    }

    /// Number of pixels.
    pub fn pixel_count(&self) -> usize {
        self.pixels.len()
    }
}

impl Default for Image {
    fn default() -> Self {
        Self::new()
    }
}

// ------------------------------------------------------------- RgbaImage --

/// An RGBA image (row-major, 4 bytes a pixel) whose pixels stay in wasm
/// memory: `ptr()` and `len()` locate them for the host.
///
/// Operations that keep the size work in place and take an optional last
/// argument `rect`, `[x, y, width, height]`, to work on that rectangle only
/// (a filter then sees the rectangle's edges as the image's); it is clipped
/// to the image like every placement (see `args`). Operations that change
/// the size (`crop`, `transpose`, `resize`) return a new image.
/// The arguments every ImageDraw shape in a box takes: the ordered box,
/// truncated as Pillow truncates it; the optional fill and outline; width.
type ShapeArgs = ([i64; 4], Option<drawing::Ink>, Option<drawing::Ink>, u32);

/// `autocontrast`'s and `masked_autocontrast`'s arguments, checked: the
/// cutoffs and ignored levels, and which histogram to count.
fn autocontrast_arguments(
    cutoff_low: f64,
    cutoff_high: f64,
    ignore: &JsValue,
    preserve_tone: bool,
) -> buffer::Result<(colour::Autocontrast, HistogramOf)> {
    let settings = colour::Autocontrast {
        cutoff: (args::percent("cutoff_low", cutoff_low)?, args::percent("cutoff_high", cutoff_high)?),
        ignore: args::optional_levels("ignore", ignore)?,
    };
    Ok((settings, if preserve_tone { HistogramOf::Luma } else { HistogramOf::EachChannel }))
}

fn shape_args(xy: &JsValue, fill: &JsValue, outline: &JsValue, width: f64, blend: bool) -> buffer::Result<ShapeArgs> {
    let bounds = args::ordered_box("xy", xy)?.map(|v| v.trunc() as i64);
    let (fill, outline) = shape_inks(fill, outline, blend)?;
    Ok((bounds, fill, outline, args::whole_between("width", width, 0, 1 << 24)?))
}

/// A shape's optional fill and outline, each drawn as `blend` says.
fn shape_inks(
    fill: &JsValue,
    outline: &JsValue,
    blend: bool,
) -> buffer::Result<(Option<drawing::Ink>, Option<drawing::Ink>)> {
    let ink = |colour| drawing::Ink { colour, blend };
    Ok((args::optional_rgba("fill", fill)?.map(ink), args::optional_rgba("outline", outline)?.map(ink)))
}

/// A filter over a whole RGBA image: its bytes, width and height.
type WholeImageFilter<'a> = dyn Fn(&mut [u8], usize, usize) -> buffer::Result<()> + 'a;

#[wasm_bindgen]
pub struct RgbaImage {
    // Interior mutability lets every export take `&self`: wasm-bindgen then
    // never fails a borrow half-way through its glue, which would leave the
    // object locked.
    buffer: RefCell<RgbaBuffer>,
}

impl RgbaImage {
    fn wrap(buffer: RgbaBuffer) -> Self {
        Self { buffer: RefCell::new(buffer) }
    }

    fn size(&self) -> (usize, usize) {
        (self.buffer.borrow().width() as usize, self.buffer.borrow().height() as usize)
    }

    /// The part of the image the optional `rect` names, or `None` when it
    /// holds no pixel of the image (then there is nothing to do).
    fn region(&self, rect: &JsValue) -> JsResult<Option<Rect>> {
        Ok(match args::optional_area(rect)? {
            None => Some(self.buffer.borrow().whole()),
            Some(area) => self.buffer.borrow().clip(area),
        })
    }

    /// Runs a per-pixel colour kernel over the region.
    /// (Kernels are taken as trait objects: one copy of this glue serves
    /// every export, at the cost of one indirect call per row.)
    fn per_pixel(&self, rect: &JsValue, kernel: &mut dyn FnMut(&mut [u8])) -> JsResult {
        if let Some(rect) = self.region(rect)? {
            self.buffer.borrow_mut().for_each_row(rect, kernel);
        }
        Ok(())
    }

    fn convolved_with(&self, kernel: &Kernel) -> JsResult<RgbaImage> {
        let buffer = self.buffer.borrow();
        let (width, height) = (buffer.width(), buffer.height());
        let data = filters::convolved(buffer.data(), width as usize, height as usize, kernel)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(width, height, data)?))
    }

    /// Runs a whole-image filter on the region, which sees its own edges.
    fn filter(&self, rect: &JsValue, filter: &WholeImageFilter<'_>) -> JsResult {
        let Some(rect) = self.region(rect)? else {
            return Ok(());
        };
        Ok(self.buffer.borrow_mut().apply_in_rect(rect, |region| {
            let (width, height) = (region.width() as usize, region.height() as usize);
            filter(region.data_mut(), width, height)
        })?)
    }

    fn draw_cut(
        &self,
        shape: ellipses::Cut,
        xy: &JsValue,
        (start, end): (f64, f64),
        (fill, outline): (&JsValue, &JsValue),
        width: f64,
        blend: bool,
    ) -> JsResult {
        let (bounds, fill, outline, width) = shape_args(xy, fill, outline, width, blend)?;
        let angles = (args::angle("start", start)?, args::angle("end", end)?);
        ellipses::draw_cut(&mut self.buffer.borrow_mut(), shape, bounds, angles, fill, outline, width);
        Ok(())
    }

    fn transposed(&self, method: Transpose) -> JsResult<RgbaImage> {
        let (width, height) = self.size();
        let data = geometry::transpose(self.buffer.borrow().data(), width, height, method)?;
        let (width, height) = if method.swaps_sides() { (height, width) } else { (width, height) };
        Ok(Self::wrap(RgbaBuffer::from_vec(width as u32, height as u32, data)?))
    }

    /// Pillow's transforms sample with NEAREST, BILINEAR or BICUBIC only.
    /// The transform filter of a `Resample` (NEAREST, BILINEAR or BICUBIC).
    fn transform_sampling(resample: Resample) -> JsResult<Sampling> {
        Ok(match resample {
            Resample::Nearest => Sampling::Nearest,
            Resample::Bilinear => Sampling::Bilinear,
            Resample::Bicubic => Sampling::Bicubic,
            other => {
                let given = Resample::ALL.iter().find(|&&(_, _, r)| r == other);
                let shown = given.map_or(String::new(), |(number, name, _)| format!("{number} ({name})"));
                return Err(ImageError::BadArgument {
                    name: "resample",
                    message: format!("must be 0 (NEAREST), 2 (BILINEAR) or 3 (BICUBIC) to transform, got {shown}"),
                }
                .into());
            }
        })
    }

    fn transformed(
        &self,
        size: (u32, u32),
        mapping: transform::Mapping,
        resample: Resample,
        fill: Option<buffer::Rgba>,
    ) -> JsResult<RgbaImage> {
        let sampling = Self::transform_sampling(resample)?;
        let (width, height) = self.size();
        let data = transform::transform(self.buffer.borrow().data(), width, height, size, mapping, sampling, fill)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(size.0, size.1, data)?))
    }

    /// Maps red, green and blue of the region through tables that `table`
    /// builds from the region's histograms (alpha kept), as Pillow's
    /// `ImageOps` do with the RGB image's histogram or its luma's; with a
    /// `mask` (then the region is the whole image), only the pixels it picks
    /// are counted, as Pillow's `mask` arguments pick them.
    fn map_by_histogram(
        &self,
        rect: &JsValue,
        mask: Option<&RgbaImage>,
        source: HistogramOf,
        table: &dyn Fn(&[u32]) -> colour::Lut,
    ) -> JsResult {
        let Some(region) = self.region(rect)? else {
            return Ok(());
        };
        let mut luts = [colour::identity_lut(); 4];
        {
            let buffer = self.buffer.borrow();
            let mask_buffer = mask.map(|mask| mask.buffer.borrow());
            let counted = || -> Box<dyn Iterator<Item = &[u8]>> {
                match &mask_buffer {
                    Some(mask) => Box::new(analysis::masked(buffer.data(), mask.data())),
                    None => Box::new(analysis::pixels_of(buffer.rect_rows(region))),
                }
            };
            match source {
                HistogramOf::EachChannel => {
                    let histogram = analysis::histogram(counted());
                    for (channel, lut) in luts[..3].iter_mut().enumerate() {
                        *lut = table(&histogram[channel * 256..(channel + 1) * 256]);
                    }
                }
                HistogramOf::Luma => luts[..3].fill(table(&analysis::luma_histogram(counted()))),
            }
        }
        self.buffer.borrow_mut().for_each_row(region, |row| colour::apply_channel_luts(row, &luts));
        Ok(())
    }

    /// `mask` if it has this image's size.
    fn same_size_mask<'a>(&self, mask: &'a RgbaImage) -> JsResult<&'a RgbaImage> {
        if mask.size() != self.size() {
            return Err(ImageError::SizeMismatch {
                what: "mask",
                expected: self.buffer.borrow().size(),
                actual: mask.buffer.borrow().size(),
            }
            .into());
        }
        Ok(mask)
    }

    /// The optional source box of a resize, checked against this image.
    fn source_box(&self, value: &JsValue) -> JsResult<Option<resample::SourceBox>> {
        let Some(corners) = args::optional_box(value)? else {
            return Ok(None);
        };
        let buffer = self.buffer.borrow();
        Ok(Some(resample::check_box(corners, buffer.width(), buffer.height())?))
    }

    /// Runs `operation` with this image's pixels and `source`'s; if they are
    /// the same image, on a copy of the source (as Pillow allows).
    fn with_source(&self, source: &RgbaImage, operation: impl FnOnce(&mut RgbaBuffer, &RgbaBuffer)) -> JsResult {
        if std::ptr::eq(self, source) {
            let copy = self.buffer.borrow().crop(self.buffer.borrow().whole().into())?;
            operation(&mut self.buffer.borrow_mut(), &copy);
        } else {
            operation(&mut self.buffer.borrow_mut(), &source.buffer.borrow());
        }
        Ok(())
    }
}

#[wasm_bindgen]
impl RgbaImage {
    /// A transparent black `width` x `height` image.
    #[wasm_bindgen(constructor)]
    pub fn new(width: f64, height: f64) -> JsResult<RgbaImage> {
        Ok(Self::wrap(RgbaBuffer::new(args::whole("width", width)?, args::whole("height", height)?)?))
    }

    /// An image filled with one colour (components 0 to 255).
    pub fn filled(width: f64, height: f64, red: f64, green: f64, blue: f64, alpha: f64) -> JsResult<RgbaImage> {
        let colour = args::colour(red, green, blue, alpha)?;
        Ok(Self::wrap(RgbaBuffer::filled(args::whole("width", width)?, args::whole("height", height)?, colour)?))
    }

    /// An image made from pixel bytes in `mode` ("L", "LA", "RGB" or
    /// "RGBA", as Pillow's `frombytes`), a `Uint8Array` or
    /// `Uint8ClampedArray` copied into wasm memory once and widened to RGBA
    /// as Pillow's `convert("RGBA")` does (grey to all three colours, alpha
    /// 255 when missing).
    pub fn from_bytes(mode: JsValue, width: f64, height: f64, bytes: JsValue) -> JsResult<RgbaImage> {
        let mode = args::mode(&mode)?;
        let (width, height) = (args::whole("width", width)?, args::whole("height", height)?);
        let pixels = buffer::checked_len(width, height)? / BYTES_PER_PIXEL;
        let source = args::pixel_bytes(&bytes, pixels * mode.bytes_per_pixel(), mode.bytes_per_pixel())?;
        if mode == Mode::Rgba {
            return Ok(Self::wrap(RgbaBuffer::from_vec(width, height, source)?));
        }
        let mut buffer = RgbaBuffer::new(width, height)?;
        colour::expand_to_rgba(mode, &source, buffer.data_mut());
        Ok(Self::wrap(buffer))
    }

    /// Pillow's `Image.effect_mandelbrot`: an "L" picture (grey in RGB) of
    /// the Mandelbrot set over `extent` `[x0, y0, x1, y1]` at `quality`.
    pub fn effect_mandelbrot(width: f64, height: f64, extent: JsValue, quality: f64) -> JsResult<RgbaImage> {
        let (width, height) = (args::whole("width", width)?, args::whole("height", height)?);
        buffer::checked_len(width, height)?;
        let numbers = args::finite_numbers("extent", &extent, 4)?;
        let extent = [numbers[0], numbers[1], numbers[2], numbers[3]];
        let quality = args::whole("quality", quality)?;
        Self::grey(width, height, &effects::mandelbrot(width, height, extent, quality)?)
    }

    /// Pillow's `Image.effect_noise`: an "L" picture of Gaussian noise
    /// around 128 with deviation `sigma`, drawn from `seed`.
    pub fn effect_noise(width: f64, height: f64, sigma: f64, seed: f64) -> JsResult<RgbaImage> {
        let (width, height) = (args::whole("width", width)?, args::whole("height", height)?);
        buffer::checked_len(width, height)?;
        let sigma = args::finite("sigma", sigma)?;
        let mut random = effects::Random::new(args::finite("seed", seed)? as u64);
        Self::grey(width, height, &effects::noise(width, height, sigma, &mut random))
    }

    /// Pillow's `effect_spread`: a copy with each pixel swapped with one
    /// at most `distance / 2` away, drawn from `seed`.
    pub fn effect_spread(&self, distance: f64, seed: f64) -> JsResult<RgbaImage> {
        let distance = args::whole_at_most("distance", distance, u32::MAX)?;
        let mut random = effects::Random::new(args::finite("seed", seed)? as u64);
        Ok(Self::wrap(effects::spread(&self.buffer.borrow(), distance, &mut random)?))
    }

    fn grey(width: u32, height: u32, values: &[u8]) -> JsResult<RgbaImage> {
        let mut buffer = RgbaBuffer::new(width, height)?;
        colour::expand_to_rgba(Mode::L, values, buffer.data_mut());
        Ok(Self::wrap(buffer))
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.buffer.borrow().width()
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.buffer.borrow().height()
    }

    /// Bytes from one row to the next (width * 4: rows are not padded).
    #[wasm_bindgen(getter)]
    pub fn stride(&self) -> usize {
        self.buffer.borrow().stride()
    }

    /// Address of the first byte of the pixels in the module's memory.
    pub fn ptr(&self) -> *const u8 {
        self.buffer.borrow().data().as_ptr()
    }

    /// Length of the pixels in bytes (width * height * 4).
    pub fn len(&self) -> usize {
        self.buffer.borrow().data().len()
    }

    /// Never true: an image has at least one pixel.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// The pixel at (x, y) as 4 bytes, red, green, blue, alpha; a point
    /// outside the image is an `OutOfBoundsError`.
    pub fn get_pixel(&self, x: f64, y: f64) -> JsResult<Vec<u8>> {
        Ok(self.buffer.borrow().get_pixel(args::coordinate("x", x)?, args::coordinate("y", y)?)?.to_vec())
    }

    pub fn set_pixel(&self, x: f64, y: f64, red: f64, green: f64, blue: f64, alpha: f64) -> JsResult {
        let colour = args::colour(red, green, blue, alpha)?;
        Ok(self.buffer.borrow_mut().set_pixel(args::coordinate("x", x)?, args::coordinate("y", y)?, colour)?)
    }

    /// The pixel at (x, y) as one number: its four bytes read as a
    /// little-endian u32 (red in the lowest byte, alpha in the highest), or
    /// `undefined` for a point outside the image. For per-pixel loops
    /// (Python's `getpixel`): no array is made and no error thrown per call.
    pub fn pixel_word(&self, x: f64, y: f64) -> JsResult<Option<u32>> {
        let (x, y) = (args::coordinate("x", x)?, args::coordinate("y", y)?);
        Ok(self.buffer.borrow().get_pixel(x, y).ok().map(u32::from_le_bytes))
    }

    /// Sets the pixel at (x, y) to `word`, four bytes as `pixel_word` gives
    /// them; false, changing nothing, for a point outside the image.
    pub fn set_pixel_word(&self, x: f64, y: f64, word: f64) -> JsResult<bool> {
        let colour = args::whole("word", word)?.to_le_bytes();
        let (x, y) = (args::coordinate("x", x)?, args::coordinate("y", y)?);
        Ok(self.buffer.borrow_mut().set_pixel(x, y, colour).is_ok())
    }

    pub fn fill(&self, red: f64, green: f64, blue: f64, alpha: f64, rect: JsValue) -> JsResult {
        let colour = args::colour(red, green, blue, alpha)?;
        if let Some(rect) = self.region(&rect)? {
            self.buffer.borrow_mut().fill(rect, colour);
        }
        Ok(())
    }

    /// A new image holding the rectangle `[x, y, width, height]`; its parts
    /// outside this image are transparent black (Pillow's `crop`).
    pub fn crop(&self, rect: JsValue) -> JsResult<RgbaImage> {
        let area = args::optional_area(&rect)?
            .ok_or(ImageError::WrongType { name: "rect", expected: "an array [x, y, width, height]" })?;
        Ok(Self::wrap(self.buffer.borrow().crop(area)?))
    }

    /// The pixels of the region (row by row) in `mode`, as Pillow's
    /// `convert(mode).tobytes()`: "L" is the luma of red, green and blue with
    /// Pillow's weights, "LA" adds alpha, "RGB" drops alpha, "RGBA" copies.
    pub fn to_bytes(&self, mode: JsValue, rect: JsValue) -> JsResult<Vec<u8>> {
        let mode = args::mode(&mode)?;
        let Some(region) = self.region(&rect)? else {
            return Ok(Vec::new());
        };
        let len = region.width as usize * region.height as usize * mode.bytes_per_pixel();
        let mut out = Vec::new();
        out.try_reserve_exact(len).map_err(|_| ImageError::OutOfMemory { bytes: len })?;
        for row in self.buffer.borrow().rect_rows(region) {
            colour::pack_from_rgba(mode, row, &mut out);
        }
        Ok(out)
    }

    /// A new image with the same pixels.
    pub fn copy(&self) -> JsResult<RgbaImage> {
        Ok(Self::wrap(self.buffer.borrow().crop(self.buffer.borrow().whole().into())?))
    }

    /// Writes `source` over this image with its top-left corner at (x, y),
    /// replacing pixels (Pillow's `paste`); the parts outside are left out.
    pub fn paste(&self, source: &RgbaImage, x: f64, y: f64) -> JsResult {
        let (x, y) = (args::coordinate("x", x)?, args::coordinate("y", y)?);
        self.with_source(source, |destination, source| destination.paste(source, x, y))
    }

    /// Copies channel `from_channel` (0 red, 1 green, 2 blue, 3 alpha) of every
    /// pixel of `source`, an image of this one's size, into channel `to_channel` of
    /// this image (how Pillow's `putalpha` and `merge` move bands).
    pub fn put_channel(&self, source: &RgbaImage, from_channel: f64, to_channel: f64) -> JsResult {
        let (from, to) = (args::channel("from_channel", from_channel)?, args::channel("to_channel", to_channel)?);
        if source.size() != self.size() {
            return Err(ImageError::SizeMismatch {
                what: "source",
                expected: self.buffer.borrow().size(),
                actual: source.buffer.borrow().size(),
            }
            .into());
        }
        self.with_source(source, |image, source| compositing::put_channel(image, source, from, to))
    }

    /// Mixes `source` into this image with its top-left corner at (x, y),
    /// each byte weighed by the alpha of `mask` (an image of the source's
    /// size): Pillow's `paste(source, (x, y), mask)` with an RGBA mask, and
    /// `Image.composite(source, this, mask)` at (0, 0). The parts outside are
    /// left out.
    pub fn composite(&self, source: &RgbaImage, mask: &RgbaImage, x: f64, y: f64) -> JsResult {
        let (x, y) = (args::coordinate("x", x)?, args::coordinate("y", y)?);
        if mask.size() != source.size() {
            return Err(ImageError::SizeMismatch {
                what: "mask",
                expected: source.buffer.borrow().size(),
                actual: mask.buffer.borrow().size(),
            }
            .into());
        }
        // The mask may be this image too: read it from a copy then.
        let copy;
        let mask = if std::ptr::eq(self, mask) {
            copy = self.copy()?;
            &copy
        } else {
            mask
        };
        self.with_source(source, |destination, source| {
            compositing::paste_with_mask(destination, source, &mask.buffer.borrow(), x, y)
        })
    }

    // ---- modes

    /// Converts the pixels from `from_mode` to `to_mode` (Pillow's mode
    /// names) in place, as Pillow's core converts that pair without
    /// dithering (see `convert`); `palette`, for a palette source, is a
    /// `Uint8Array` of its 256 RGBA entries (1024 bytes), or undefined.
    /// Returns false, the pixels untouched, for a pair Pillow's core has
    /// no converter for.
    pub fn convert_mode(&self, from_mode: JsValue, to_mode: JsValue, palette: JsValue) -> JsResult<bool> {
        let (from, to) = (args::stored_mode("from_mode", &from_mode)?, args::stored_mode("to_mode", &to_mode)?);
        let table =
            args::optional_bytes("palette", &palette, |length| length == 1024, "1024 bytes (256 RGBA entries)")?;
        let mut entries: convert::Palette = [[0, 0, 0, 255]; 256];
        for (entry, chunk) in entries.iter_mut().zip(table.iter().flat_map(|bytes| bytes.chunks_exact(4))) {
            entry.copy_from_slice(chunk);
        }
        Ok(convert::convert(self.buffer.borrow_mut().data_mut(), from, to, &entries).is_ok())
    }

    /// Pillow's `convert("L" or "RGB", matrix)` of a three-band image, in
    /// place: `matrix` an array of 12 finite numbers (4 a row; "L", when
    /// `grey`, reads the first row).
    pub fn convert_matrix(&self, matrix: JsValue, grey: bool) -> JsResult {
        let numbers = args::finite_numbers("matrix", &matrix, 12)?;
        let rows: [f32; 12] = std::array::from_fn(|index| numbers[index] as f32);
        convert::convert_matrix(self.buffer.borrow_mut().data_mut(), &rows, grey);
        Ok(())
    }

    /// Pillow's Floyd-Steinberg `convert("1")` of an "L" image
    /// (`from_colour` false) or an "RGB" one.
    pub fn dither_bilevel(&self, from_colour: bool) {
        let mut buffer = self.buffer.borrow_mut();
        let width = buffer.width() as usize;
        convert::dither_to_bilevel(buffer.data_mut(), width, from_colour);
    }

    /// Pillow's `quantize(colors, method, kmeans)` in place: `method` 0
    /// median cut, 1 maximum coverage, 2 fast octree. With `with_alpha`
    /// (octree only) alpha is quantized too; without it the alpha bytes are
    /// left as they are. The index lands where "P" keeps it; returns the
    /// palette, 4 bytes an entry.
    pub fn quantize(&self, colors: f64, method: f64, kmeans: f64, with_alpha: bool) -> JsResult<Vec<u8>> {
        let colors = args::whole_between("colors", colors, 1, 256)?;
        let method = match args::whole_at_most("method", method, 2)? {
            0 => quantize::Method::MedianCut,
            1 => quantize::Method::MaxCoverage,
            _ => quantize::Method::FastOctree,
        };
        let kmeans = args::whole("kmeans", kmeans)?;
        let mut buffer = self.buffer.borrow_mut();
        let result = quantize::quantize(buffer.data(), colors, method, kmeans, with_alpha).map_err(|_| {
            ImageError::BadArgument { name: "with_alpha", message: "only the fast octree quantizes alpha".into() }
        })?;
        for (pixel, &index) in buffer.data_mut().chunks_exact_mut(BYTES_PER_PIXEL).zip(&result.indices) {
            pixel[..3].fill(index);
        }
        Ok(result.palette.concat())
    }

    /// Pillow's `convert("P")` of a colour image onto `palette` (RGB
    /// triplets in a `Uint8Array`, 1 to 256 of them; undefined for Pillow's
    /// web palette), with
    /// Floyd-Steinberg dithering when `dither`: the index lands where "P"
    /// keeps it. Returns the palette used.
    pub fn to_palette(&self, palette: JsValue, dither: bool) -> JsResult<Vec<u8>> {
        let fits = |length: usize| length > 0 && length % 3 == 0 && length <= 768;
        let entries: Vec<[u8; 3]> = match args::optional_bytes("palette", &palette, fits, "1 to 256 RGB triplets")? {
            None => convert::web_palette(),
            Some(bytes) => bytes.chunks_exact(3).map(|chunk| [chunk[0], chunk[1], chunk[2]]).collect(),
        };
        let mut buffer = self.buffer.borrow_mut();
        let width = buffer.width() as usize;
        convert::to_palette(buffer.data_mut(), width, &entries, dither);
        Ok(entries.concat())
    }

    // ---- colour

    pub fn grayscale(&self, rect: JsValue) -> JsResult {
        self.per_pixel(&rect, &mut colour::grayscale)
    }

    pub fn invert(&self, rect: JsValue) -> JsResult {
        self.per_pixel(&rect, &mut colour::invert)
    }

    /// 0 gives black, 1 the original, above 1 brighter (Pillow's Brightness).
    pub fn brightness(&self, factor: f64, rect: JsValue) -> JsResult {
        let table = colour::brightness_lut(args::factor("factor", factor)?);
        self.per_pixel(&rect, &mut |row| colour::apply_lut(row, &table))
    }

    /// 0 gives flat grey, 1 the original, above 1 more contrast (Pillow's
    /// Contrast, around the mean grey of the region).
    pub fn contrast(&self, factor: f64, rect: JsValue) -> JsResult {
        let factor = args::factor("factor", factor)?;
        let Some(region) = self.region(&rect)? else {
            return Ok(());
        };
        let table = colour::contrast_lut(colour::mean_luma(self.buffer.borrow().rect_rows(region)), factor);
        self.buffer.borrow_mut().for_each_row(region, |row| colour::apply_lut(row, &table));
        Ok(())
    }

    /// `255 * (v / 255) ^ (1 / gamma)`: above 1 lightens, below 1 darkens.
    pub fn gamma(&self, gamma: f64, rect: JsValue) -> JsResult {
        let table = colour::gamma_lut(args::positive("gamma", gamma)?);
        self.per_pixel(&rect, &mut |row| colour::apply_lut(row, &table))
    }

    /// White where the luma is at least `level` (0 to 255), black elsewhere.
    pub fn threshold(&self, level: f64, rect: JsValue) -> JsResult {
        let level = args::level("level", level)?;
        self.per_pixel(&rect, &mut |row| colour::threshold(row, level))
    }

    pub fn sepia(&self, rect: JsValue) -> JsResult {
        self.per_pixel(&rect, &mut colour::sepia)
    }

    /// Sets the alpha to `alpha` (0 to 255), as Pillow's `putalpha(number)`.
    pub fn put_alpha(&self, alpha: f64, rect: JsValue) -> JsResult {
        let alpha = args::level("alpha", alpha)?;
        self.per_pixel(&rect, &mut |row| colour::put_alpha(row, alpha))
    }

    /// Exchanges two channels (0 red, 1 green, 2 blue, 3 alpha).
    pub fn swap_channels(&self, first: f64, second: f64, rect: JsValue) -> JsResult {
        let (first, second) = (args::channel("first", first)?, args::channel("second", second)?);
        self.per_pixel(&rect, &mut |row| colour::swap_channels(row, first, second))
    }

    /// Shows one channel (0 red, 1 green, 2 blue, 3 alpha) as opaque grey.
    pub fn extract_channel(&self, channel: f64, rect: JsValue) -> JsResult {
        let channel = args::channel("channel", channel)?;
        self.per_pixel(&rect, &mut |row| colour::extract_channel(row, channel))
    }

    pub fn premultiply_alpha(&self, rect: JsValue) -> JsResult {
        self.per_pixel(&rect, &mut colour::premultiply_alpha)
    }

    pub fn unpremultiply_alpha(&self, rect: JsValue) -> JsResult {
        self.per_pixel(&rect, &mut colour::unpremultiply_alpha)
    }

    /// Maps each channel through its own table: `table` is a `Uint8Array`
    /// of 1024 bytes, 256 for red, then green, blue and alpha (Pillow's
    /// `point(table)` on RGBA).
    pub fn point(&self, table: JsValue, rect: JsValue) -> JsResult {
        let luts = args::channel_luts(&table)?;
        self.per_pixel(&rect, &mut |row| colour::apply_channel_luts(row, &luts))
    }

    /// Stretches each of red, green and blue so that its darkest value kept
    /// becomes 0 and its lightest 255, as Pillow's `ImageOps.autocontrast(
    /// image, cutoff, ignore, preserve_tone)` on the RGB image, alpha kept:
    /// `cutoff_low`/`cutoff_high` percent of the pixels are left out at each
    /// end, `ignore` (a level, an array of levels or undefined) is left out of
    /// the histograms; `preserve_tone` stretches all three by the luma's range.
    pub fn autocontrast(
        &self,
        cutoff_low: f64,
        cutoff_high: f64,
        ignore: JsValue,
        preserve_tone: bool,
        rect: JsValue,
    ) -> JsResult {
        let (settings, source) = autocontrast_arguments(cutoff_low, cutoff_high, &ignore, preserve_tone)?;
        self.map_by_histogram(&rect, None, source, &|counts| colour::autocontrast_lut(counts, &settings))
    }

    /// `autocontrast` of the whole image with the levels counted only where
    /// `mask` (an "L" image of this size: its red byte is read) is not 0, as
    /// Pillow's `ImageOps.autocontrast(image, ..., mask=mask)`.
    pub fn masked_autocontrast(
        &self,
        mask: &RgbaImage,
        cutoff_low: f64,
        cutoff_high: f64,
        ignore: JsValue,
        preserve_tone: bool,
    ) -> JsResult {
        let (settings, source) = autocontrast_arguments(cutoff_low, cutoff_high, &ignore, preserve_tone)?;
        let mask = Some(self.same_size_mask(mask)?);
        self.map_by_histogram(&JsValue::UNDEFINED, mask, source, &|counts| colour::autocontrast_lut(counts, &settings))
    }

    /// Spreads each of red, green and blue over the whole range by its
    /// histogram, as Pillow's `ImageOps.equalize` on the RGB image, alpha kept.
    pub fn equalize(&self, rect: JsValue) -> JsResult {
        self.map_by_histogram(&rect, None, HistogramOf::EachChannel, &colour::equalize_lut)
    }

    /// `equalize` of the whole image by the histogram of the pixels where
    /// `mask` (an "L" image of this size: its red byte is read) is not 0, as
    /// Pillow's `ImageOps.equalize(image, mask)`.
    pub fn masked_equalize(&self, mask: &RgbaImage) -> JsResult {
        let mask = Some(self.same_size_mask(mask)?);
        self.map_by_histogram(&JsValue::UNDEFINED, mask, HistogramOf::EachChannel, &colour::equalize_lut)
    }

    /// Keeps the top `bits` (1 to 8) of red, green and blue (Pillow's
    /// `ImageOps.posterize`).
    pub fn posterize(&self, bits: f64, rect: JsValue) -> JsResult {
        let table = colour::posterize_lut(args::whole_between("bits", bits, 1, 8)?);
        self.per_pixel(&rect, &mut |row| colour::apply_lut(row, &table))
    }

    /// Inverts red, green and blue values from `threshold` (0 to 255) up
    /// (Pillow's `ImageOps.solarize`).
    pub fn solarize(&self, threshold: f64, rect: JsValue) -> JsResult {
        let table = colour::solarize_lut(args::level("threshold", threshold)?);
        self.per_pixel(&rect, &mut |row| colour::apply_lut(row, &table))
    }

    /// Maps each pixel's grey level onto a colour wedge from `black` to
    /// `white` (through `mid` when given; colours are `[red, green, blue]`
    /// arrays), as Pillow's `ImageOps.colorize(image.convert("L"), black,
    /// white, mid, blackpoint, whitepoint, midpoint)`, alpha kept.
    #[allow(clippy::too_many_arguments)]
    pub fn colorize(
        &self,
        black: JsValue,
        white: JsValue,
        mid: JsValue,
        blackpoint: f64,
        whitepoint: f64,
        midpoint: f64,
        rect: JsValue,
    ) -> JsResult {
        let settings = colour::Colorize {
            black: args::rgb("black", &black)?,
            white: args::rgb("white", &white)?,
            mid: args::optional_rgb("mid", &mid)?,
            blackpoint: args::level("blackpoint", blackpoint)?,
            whitepoint: args::level("whitepoint", whitepoint)?,
            midpoint: args::level("midpoint", midpoint)?,
        };
        if settings.blackpoint > settings.whitepoint {
            return Err(ImageError::BadArgument {
                name: "blackpoint",
                message: format!(
                    "must be less than or equal to whitepoint, got {} and {}",
                    settings.blackpoint, settings.whitepoint
                ),
            }
            .into());
        }
        if settings.mid.is_some() && !(settings.blackpoint..=settings.whitepoint).contains(&settings.midpoint) {
            return Err(ImageError::BadArgument {
                name: "midpoint",
                message: format!(
                    "must be between blackpoint and whitepoint ({} to {}), got {}",
                    settings.blackpoint, settings.whitepoint, settings.midpoint
                ),
            }
            .into());
        }
        let tables = colour::colorize_luts(&settings);
        self.per_pixel(&rect, &mut |row| colour::colorize(row, &tables))
    }

    /// 0 gives grey, 1 the original, above 1 more saturated (Pillow's
    /// `ImageEnhance.Color`).
    pub fn saturation(&self, factor: f64, rect: JsValue) -> JsResult {
        let factor = args::factor("factor", factor)?;
        self.per_pixel(&rect, &mut |row| colour::saturation(row, factor))
    }

    // ---- filters

    /// Mean over a (2 x_radius + 1) x (2 y_radius + 1) box, edges extended
    /// (Pillow's `BoxBlur((x_radius, y_radius))`; 0 leaves a direction be).
    pub fn box_blur(&self, x_radius: f64, y_radius: f64, rect: JsValue) -> JsResult {
        let (x_radius, y_radius) = (args::radius("x_radius", x_radius)?, args::radius("y_radius", y_radius)?);
        self.filter(&rect, &|data, w, h| filters::box_blur(data, w, h, x_radius, y_radius))
    }

    /// Pillow's core `box_blur((x_radius, y_radius), passes)`: `passes`
    /// (1 to 1000) horizontal box blurs, then as many vertical ones.
    pub fn box_blur_passes(&self, x_radius: f64, y_radius: f64, passes: f64, rect: JsValue) -> JsResult {
        let (x_radius, y_radius) = (args::radius("x_radius", x_radius)?, args::radius("y_radius", y_radius)?);
        let passes = args::whole_between("passes", passes, 1, 1000)? as usize;
        self.filter(&rect, &|data, w, h| filters::box_blur_repeated(data, w, h, x_radius, y_radius, passes))
    }

    /// Gaussian blur whose standard deviations are `x_radius` and
    /// `y_radius` (Pillow's `GaussianBlur((x_radius, y_radius))`).
    pub fn gaussian_blur(&self, x_radius: f64, y_radius: f64, rect: JsValue) -> JsResult {
        let (x_radius, y_radius) = (args::radius("x_radius", x_radius)?, args::radius("y_radius", y_radius)?);
        self.filter(&rect, &|data, w, h| filters::gaussian_blur(data, w, h, x_radius, y_radius))
    }

    /// Convolves all four channels with a 3x3 (9 weights) or 5x5 (25)
    /// kernel in a `Float32Array`, as Pillow's `ImageFilter.Kernel` takes
    /// it: out = sum / scale + offset; scale 0 means the weights' sum (1 if
    /// they sum to 0).
    pub fn convolve(&self, weights: JsValue, scale: f64, offset: f64, rect: JsValue) -> JsResult {
        let kernel = args::kernel(&weights, scale, offset)?;
        self.filter(&rect, &|data, w, h| filters::convolve(data, w, h, &kernel))
    }

    /// `convolve` of a one-band 32-bit image: "I" (or, when `sixteen`, a
    /// 16-bit mode as stored here) filtered as Pillow's `ImagingFilter`
    /// filters those modes.
    pub fn convolve_wide(&self, weights: JsValue, scale: f64, offset: f64, sixteen: bool, rect: JsValue) -> JsResult {
        let kernel = args::kernel(&weights, scale, offset)?;
        self.filter(&rect, &|data, w, h| filters::convolve_wide(data, w, h, &kernel, sixteen))
    }

    /// One of Pillow's built-in kernels by its `ImageFilter` name: "BLUR",
    /// "CONTOUR", "DETAIL", "EDGE_ENHANCE", "EDGE_ENHANCE_MORE", "EMBOSS",
    /// "FIND_EDGES", "SHARPEN", "SMOOTH" or "SMOOTH_MORE".
    pub fn builtin_filter(&self, name: JsValue, rect: JsValue) -> JsResult {
        let kernel = Kernel::builtin(args::named_choice("name", &name, &filters::BuiltinFilter::ALL)?);
        self.filter(&rect, &|data, w, h| filters::convolve(data, w, h, &kernel))
    }

    /// A new image: `builtin_filter` of this whole image, which stays as it is.
    pub fn builtin_filtered(&self, name: JsValue) -> JsResult<RgbaImage> {
        let kernel = Kernel::builtin(args::named_choice("name", &name, &filters::BuiltinFilter::ALL)?);
        self.convolved_with(&kernel)
    }

    /// A new image: `convolve` of this whole image, which stays as it is.
    pub fn convolved(&self, weights: JsValue, scale: f64, offset: f64) -> JsResult<RgbaImage> {
        self.convolved_with(&args::kernel(&weights, scale, offset)?)
    }

    /// 0 gives the SMOOTH-filtered image, 1 the original, above 1 sharper
    /// (Pillow's `ImageEnhance.Sharpness`; the region's edge pixels stay).
    pub fn sharpness(&self, factor: f64, rect: JsValue) -> JsResult {
        let factor = args::factor("factor", factor)?;
        self.filter(&rect, &|data, w, h| filters::sharpness(data, w, h, factor))
    }

    /// Pillow's `ImageFilter.UnsharpMask(radius, percent, threshold)` (its
    /// defaults 2, 150, 3): bytes that differ from their Gaussian blur of
    /// `radius` by more than `threshold` move away from it by `percent` of
    /// the difference; all four channels, as Pillow on RGBA.
    pub fn unsharp_mask(&self, radius: f64, percent: f64, threshold: f64, rect: JsValue) -> JsResult {
        let radius = args::radius("radius", radius)?;
        let (percent, threshold) =
            (args::signed_whole("percent", percent)?, args::signed_whole("threshold", threshold)?);
        self.filter(&rect, &|data, w, h| filters::unsharp_mask(data, w, h, radius, percent, threshold))
    }

    /// Each byte becomes the `rank`-th smallest (from 0) of its channel's
    /// `size` x `size` neighbourhood, edges extended (Pillow's
    /// `RankFilter(size, rank)`: `MinFilter(size)` is rank 0, `MaxFilter`
    /// `size * size - 1`, `MedianFilter` `size * size / 2`). `size` is odd,
    /// up to 255.
    pub fn rank_filter(&self, size: f64, rank: f64, rect: JsValue) -> JsResult {
        let size = args::filter_size("size", size)?;
        let rank = args::whole_between("rank", rank, 0, (size * size - 1) as u32)? as usize;
        self.filter(&rect, &|data, w, h| rank_filters::rank_filter(data, w, h, size, rank))
    }

    /// A new image: `rank_filter` of this whole image, which stays as it
    /// is (what Python's `filter` makes, without a copy of the pixels first).
    pub fn rank_filtered(&self, size: f64, rank: f64) -> JsResult<RgbaImage> {
        let size = args::filter_size("size", size)?;
        let rank = args::whole_between("rank", rank, 0, (size * size - 1) as u32)? as usize;
        let buffer = self.buffer.borrow();
        let (width, height) = (buffer.width(), buffer.height());
        let data = rank_filters::rank_filtered(buffer.data(), width as usize, height as usize, size, rank)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(width, height, data)?))
    }

    /// `rank_filter` of an "I" (or, when `float`, "F") image's 32-bit
    /// values, as Pillow ranks those modes.
    pub fn rank_filter_wide(&self, size: f64, rank: f64, float: bool, rect: JsValue) -> JsResult {
        let size = args::filter_size("size", size)?;
        let rank = args::whole_between("rank", rank, 0, (size * size - 1) as u32)? as usize;
        self.filter(&rect, &|data, w, h| rank_filters::rank_filter_wide(data, w, h, (size, rank), float))
    }

    /// Each byte becomes the most frequent value of its channel in the
    /// `size` x `size` window inside the image if it occurs more than
    /// twice (Pillow's `ModeFilter(size)`, run on every band).
    pub fn mode_filter(&self, size: f64, rect: JsValue) -> JsResult {
        let size = args::whole("size", size)? as usize;
        self.filter(&rect, &|data, w, h| rank_filters::mode_filter(data, w, h, size))
    }

    /// Maps red, green and blue through a 3D table of `channels` (3: red,
    /// green, blue, alpha kept; 4: alpha too) values in a `Float32Array`,
    /// `size1` x `size2` x `size3` entries, red fastest, interpolated as
    /// Pillow's `Color3DLUT` filter does.
    pub fn colour_lut(
        &self,
        channels: f64,
        size1: f64,
        size2: f64,
        size3: f64,
        table: JsValue,
        rect: JsValue,
    ) -> JsResult {
        let lut = args::colour_lut(channels, [size1, size2, size3], &table)?;
        self.per_pixel(&rect, &mut |row| colour_lut::apply(row, &lut))
    }

    // ---- geometry

    /// A new image flipped, turned or mirrored as Pillow's
    /// `transpose(method)`, `method` numbered as `Image.Transpose`:
    /// 0 FLIP_LEFT_RIGHT, 1 FLIP_TOP_BOTTOM, 2 ROTATE_90 (counter-clockwise),
    /// 3 ROTATE_180, 4 ROTATE_270, 5 TRANSPOSE, 6 TRANSVERSE.
    pub fn transpose(&self, method: f64) -> JsResult<RgbaImage> {
        self.transposed(args::choice("method", method, &Transpose::ALL)?)
    }

    /// A new image turned `angle` degrees counter-clockwise, as Pillow's
    /// `rotate(angle, resample, expand, center, translate, fillcolor)`:
    /// `resample` 0 (NEAREST), 2 (BILINEAR) or 3 (BICUBIC); `expand` grows
    /// the image to hold all of the turned one; `center` (default the
    /// image's centre) and `translate` are optional `[x, y]`; `fillcolor`
    /// an optional `[r, g, b, a]` for where the turned image does not reach
    /// (transparent black without one). Whole and half turns, and quarter
    /// turns of square images or with `expand`, are Pillow's exact copies
    /// and transposes.
    pub fn rotate(
        &self,
        angle: f64,
        resample: f64,
        expand: bool,
        center: JsValue,
        translate: JsValue,
        fillcolor: JsValue,
    ) -> JsResult<RgbaImage> {
        let angle = args::finite("angle", angle)?;
        let resample = args::choice("resample", resample, &Resample::ALL)?;
        let placement = RotationPlacement {
            expand,
            center: args::optional_point("center", &center)?,
            translate: args::optional_point("translate", &translate)?,
        };
        let fill = args::optional_rgba("fillcolor", &fillcolor)?;
        let (width, height) = self.size();
        match transform::plan_rotation(width, height, angle, placement)? {
            Rotation::Copy => self.copy(),
            Rotation::Transpose(method) => self.transposed(method),
            Rotation::Affine { size, matrix } => {
                self.transformed(size, Method::Affine.mapping(&matrix), resample, fill)
            }
        }
    }

    /// A new `width` x `height` image as Pillow's `transform(size, method,
    /// data, resample, fillcolor)`: `method` numbered as `Image.Transform`,
    /// 0 AFFINE (`data` 6 numbers: output (x, y) samples the source at
    /// (a x + b y + c, d x + e y + f)), 1 EXTENT (4: the source rectangle
    /// `[x0, y0, x1, y1]`), 2 PERSPECTIVE (8), 3 QUAD (8: the source corners
    /// upper left, lower left, lower right, upper right); `resample` 0
    /// (NEAREST), 2 (BILINEAR) or 3 (BICUBIC); `fillcolor` as for `rotate`.
    pub fn transform(
        &self,
        width: f64,
        height: f64,
        method: f64,
        data: JsValue,
        resample: f64,
        fillcolor: JsValue,
    ) -> JsResult<RgbaImage> {
        let size = (args::whole("width", width)?, args::whole("height", height)?);
        let method = args::choice("method", method, &Method::ALL)?;
        let mapping = method.mapping(&args::finite_numbers("data", &data, method.data_len())?);
        let resample = args::choice("resample", resample, &Resample::ALL)?;
        let fill = args::optional_rgba("fillcolor", &fillcolor)?;
        self.transformed(size, mapping, resample, fill)
    }

    /// `transform` of this "I" (or, when `float`, "F") image's 32-bit
    /// values with Pillow's 32-bit samplers; `fillcolor` the 4 stored bytes
    /// of the fill value (0 when undefined).
    #[allow(clippy::too_many_arguments)]
    pub fn transform_wide(
        &self,
        width: f64,
        height: f64,
        method: f64,
        data: JsValue,
        resample: f64,
        fillcolor: JsValue,
        float: bool,
    ) -> JsResult<RgbaImage> {
        let size = (args::whole("width", width)?, args::whole("height", height)?);
        let method = args::choice("method", method, &Method::ALL)?;
        let mapping = method.mapping(&args::finite_numbers("data", &data, method.data_len())?);
        let sampling = Self::transform_sampling(args::choice("resample", resample, &Resample::ALL)?)?;
        let fill = args::optional_rgba("fillcolor", &fillcolor)?.unwrap_or([0; 4]);
        let kind = if float { resample_wide::Wide::Float } else { resample_wide::Wide::Int };
        let (w, h) = self.size();
        let data = transform::transform_wide((self.buffer.borrow().data(), w, h), size, mapping, sampling, fill, kind)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(size.0, size.1, data)?))
    }

    /// A new `width` x `height` image resampled as Pillow's
    /// `resize(size, resample, box, reducing_gap)`: `resample` numbered as
    /// `Image.Resampling` (0 NEAREST, 1 LANCZOS, 2 BILINEAR, 3 BICUBIC,
    /// 4 BOX, 5 HAMMING, 6 MKS2013, 7 MKS2021); `box` an optional source
    /// rectangle `[x0, y0, x1, y1]` (fractional, inside the image);
    /// `reducing_gap` an optional number from 1 up; `plain` resamples the
    /// fourth byte as a band like the others (no premultiplied alpha), as
    /// Pillow does "La", "RGBa", "RGBX" and "CMYK".
    pub fn resize(
        &self,
        width: f64,
        height: f64,
        resample: f64,
        r#box: JsValue,
        reducing_gap: Option<f64>,
        plain: bool,
    ) -> JsResult<RgbaImage> {
        let (new_width, new_height) = (args::whole("width", width)?, args::whole("height", height)?);
        let filter = args::choice("resample", resample, &Resample::ALL)?;
        let request = Resize {
            width: new_width,
            height: new_height,
            filter,
            area: self.source_box(&r#box)?,
            reducing_gap: reducing_gap.map(|gap| args::at_least("reducing_gap", gap, 1.0)).transpose()?,
        };
        let (w, h) = self.size();
        let kernel = if plain { resample::resize_plain } else { resample::resize };
        let data = kernel(self.buffer.borrow().data(), w, h, request)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(new_width, new_height, data)?))
    }

    /// A new image of this image's values resized as Pillow resizes its
    /// `mode`: "I" and "F" (32-bit values), or a 16-bit mode ("I;16",
    /// "I;16L", "I;16B", "I;16N", the value in the first two bytes);
    /// `resample` not NEAREST; `box` an optional source box as `resize`
    /// takes it.
    pub fn resize_wide(
        &self,
        width: f64,
        height: f64,
        resample: f64,
        r#box: JsValue,
        mode: JsValue,
    ) -> JsResult<RgbaImage> {
        use resample_wide::{Values, Wide};
        let (new_width, new_height) = (args::whole("width", width)?, args::whole("height", height)?);
        let filter = args::choice("resample", resample, &Resample::ALL)?;
        let kinds = [
            ("I", Values::Wide(Wide::Int)),
            ("F", Values::Wide(Wide::Float)),
            ("I;16", Values::Sixteen { swapped: false }),
            ("I;16L", Values::Sixteen { swapped: false }),
            ("I;16B", Values::Sixteen { swapped: true }),
            ("I;16N", Values::Sixteen { swapped: true }),
        ];
        let kind = args::named_choice("mode", &mode, &kinds)?;
        let (w, h) = self.size();
        let area = self.source_box(&r#box)?.unwrap_or([0.0, 0.0, w as f32, h as f32]);
        let data =
            resample_wide::resize(self.buffer.borrow().data(), w, h, (new_width, new_height), filter, area, kind)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(new_width, new_height, data)?))
    }

    /// `reduce` of this "I" (or, when `float`, "F") image's 32-bit values
    /// as Pillow reduces those modes; `box` as `reduce` takes it.
    pub fn reduce_wide(&self, factor_x: f64, factor_y: f64, r#box: JsValue, float: bool) -> JsResult<RgbaImage> {
        let factors = (args::counting("factor_x", factor_x)? as usize, args::counting("factor_y", factor_y)? as usize);
        let width = self.buffer.borrow().width();
        let area = self.reduce_area(&r#box)?;
        let kind = if float { resample_wide::Wide::Float } else { resample_wide::Wide::Int };
        let (data, out_width, out_height) =
            resample_wide::reduce(self.buffer.borrow().data(), width as usize, factors, area, kind)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(out_width as u32, out_height as u32, data)?))
    }

    /// A new image of `this op other` as Pillow's `ImageMath` computes it on
    /// two "I" images (on "F" images when `float`) of the same size; `op`
    /// one of "add", "sub", "mul", "div", "mod", "pow", "min", "max", "and",
    /// "or", "xor", "lshift", "rshift" (the last five "I" only), "eq", "ne",
    /// "lt", "le", "gt", "ge".
    pub fn math_binary(&self, other: &RgbaImage, op: JsValue, float: bool) -> JsResult<RgbaImage> {
        let op = args::named_choice("op", &op, &image_math::Operator::ALL)?;
        let (size, other_size) = (self.buffer.borrow().size(), other.buffer.borrow().size());
        if other_size != size {
            return Err(ImageError::SizeMismatch { what: "other", expected: size, actual: other_size }.into());
        }
        let data = image_math::apply_binary(op, float, self.buffer.borrow().data(), other.buffer.borrow().data())?;
        let (width, height) = size;
        Ok(Self::wrap(RgbaBuffer::from_vec(width, height, data)?))
    }

    /// A new image of `op this` as `ImageMath` computes it on an "I" image
    /// (an "F" image when `float`); `op` "abs", "neg" or "invert" ("I" only).
    pub fn math_unary(&self, op: JsValue, float: bool) -> JsResult<RgbaImage> {
        let op = args::named_choice("op", &op, &image_math::Unary::ALL)?;
        let data = image_math::apply_unary(op, float, self.buffer.borrow().data())?;
        let (width, height) = self.buffer.borrow().size();
        Ok(Self::wrap(RgbaBuffer::from_vec(width, height, data)?))
    }

    /// `reduce`'s source rectangle: `box` as whole pixels inside the image,
    /// or the whole image.
    fn reduce_area(&self, r#box: &JsValue) -> JsResult<[usize; 4]> {
        let (width, height) = (self.buffer.borrow().width(), self.buffer.borrow().height());
        let corners = match args::optional_box(r#box)? {
            None => [0, 0, width, height],
            Some(corners) => {
                let names = ["box x0", "box y0", "box x1", "box y1"];
                let mut whole = [0; 4];
                for ((slot, name), corner) in whole.iter_mut().zip(names).zip(corners) {
                    *slot = args::whole(name, corner)?;
                }
                whole
            }
        };
        Ok(resample::check_reduce_box(corners, width, height)?)
    }

    /// A new image `factor_x` by `factor_y` times smaller, each pixel the
    /// mean of a block (Pillow's `reduce(factor, box)`; the size is rounded
    /// up, the last blocks being smaller); `box` an optional source
    /// rectangle `[x0, y0, x1, y1]` of whole pixels inside the image;
    /// `plain` as `resize` takes it.
    pub fn reduce(&self, factor_x: f64, factor_y: f64, r#box: JsValue, plain: bool) -> JsResult<RgbaImage> {
        let factors = (args::counting("factor_x", factor_x)? as usize, args::counting("factor_y", factor_y)? as usize);
        let width = self.buffer.borrow().width();
        let area = self.reduce_area(&r#box)?;
        let kernel = if plain { resample::reduce_plain } else { resample::reduce };
        let (data, out_width, out_height) = kernel(self.buffer.borrow().data(), width as usize, factors, area)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(out_width as u32, out_height as u32, data)?))
    }

    /// A new image that fits in `width` x `height` keeping the aspect ratio,
    /// as Pillow's `thumbnail(size, resample, reducing_gap)` makes it (a copy
    /// when the image fits already; Pillow's default gap is 2).
    pub fn thumbnail(&self, width: f64, height: f64, resample: f64, reducing_gap: Option<f64>) -> JsResult<RgbaImage> {
        let fit = (args::counting("width", width)?, args::counting("height", height)?);
        let filter = args::choice("resample", resample, &Resample::ALL)?;
        let reducing_gap = reducing_gap.map(|gap| args::at_least("reducing_gap", gap, 1.0)).transpose()?;
        let (w, h) = (self.buffer.borrow().width(), self.buffer.borrow().height());
        let Some((new_width, new_height)) = resample::thumbnail_size((w, h), fit) else {
            return self.copy();
        };
        let request = Resize { width: new_width, height: new_height, filter, area: None, reducing_gap };
        let data = resample::resize(self.buffer.borrow().data(), w as usize, h as usize, request)?;
        Ok(Self::wrap(RgbaBuffer::from_vec(new_width, new_height, data)?))
    }

    // ---- compositing: `other` is placed at this image's top-left corner and
    // only the pixels both have (inside `rect`) change, every byte (alpha
    // too) combined as Pillow's ImageChops combines RGBA images; `a` is this
    // image's byte, `b` the other's.

    fn chop(&self, other: &RgbaImage, operation: Chop, rect: &JsValue) -> JsResult {
        let Some(region) = self.region(rect)? else {
            return Ok(());
        };
        self.with_source(other, |image, other| compositing::chop(image, other, region, operation))
    }

    /// `ImageChops.add`: `(a + b) / scale + offset`, clipped (scale a finite number other than 0, offset a whole number).
    pub fn add(&self, other: &RgbaImage, scale: f64, offset: f64, rect: JsValue) -> JsResult {
        let operation =
            Chop::Add { scale: args::nonzero("scale", scale)? as f32, offset: args::signed_whole("offset", offset)? };
        self.chop(other, operation, &rect)
    }

    /// `ImageChops.subtract`: `(a - b) / scale + offset`, clipped.
    pub fn subtract(&self, other: &RgbaImage, scale: f64, offset: f64, rect: JsValue) -> JsResult {
        let operation = Chop::Subtract {
            scale: args::nonzero("scale", scale)? as f32,
            offset: args::signed_whole("offset", offset)?,
        };
        self.chop(other, operation, &rect)
    }

    /// `ImageChops.add_modulo`: `(a + b) % 256`.
    pub fn add_modulo(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::AddModulo, &rect)
    }

    /// `ImageChops.subtract_modulo`: `(a - b) % 256`.
    pub fn subtract_modulo(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::SubtractModulo, &rect)
    }

    /// `ImageChops.multiply`: `a * b / 255`.
    pub fn multiply(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::Multiply, &rect)
    }

    /// `ImageChops.screen`: `255 - (255 - a) * (255 - b) / 255`.
    pub fn screen(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::Screen, &rect)
    }

    /// `ImageChops.difference`: `|a - b|`.
    pub fn difference(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::Difference, &rect)
    }

    /// `ImageChops.lighter`: the larger byte.
    pub fn lighter(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::Lighter, &rect)
    }

    /// `ImageChops.darker`: the smaller byte.
    pub fn darker(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::Darker, &rect)
    }

    /// `ImageChops.overlay`.
    pub fn overlay(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::Overlay, &rect)
    }

    /// `ImageChops.soft_light`.
    pub fn soft_light(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::SoftLight, &rect)
    }

    /// `ImageChops.hard_light`.
    pub fn hard_light(&self, other: &RgbaImage, rect: JsValue) -> JsResult {
        self.chop(other, Chop::HardLight, &rect)
    }

    /// Pillow's `Image.blend(image, other, alpha)`: `a + alpha * (b - a)` on
    /// every byte, truncated; `alpha` any finite number (outside 0 to 1 it
    /// extrapolates, clipped).
    pub fn blend(&self, other: &RgbaImage, alpha: f64, rect: JsValue) -> JsResult {
        let alpha = args::finite("alpha", alpha)?;
        let Some(region) = self.region(&rect)? else {
            return Ok(());
        };
        self.with_source(other, |image, other| compositing::blend(image, other, region, alpha))
    }

    // ---- drawing (Pillow's ImageDraw: coordinates as flat arrays
    // `[x0, y0, x1, y1, ...]`, truncated towards zero; colours as
    // `[r, g, b, a]`, written as they are, or with `blend` mixed by their
    // alpha into red, green and blue as Pillow's `Draw(rgb_image, "RGBA")`)

    /// Each point in `xy` (Pillow's `point(xy, fill)`).
    pub fn draw_points(&self, xy: JsValue, fill: JsValue, blend: bool) -> JsResult {
        let (points, colour) = (args::points("xy", &xy, 0)?, args::rgba("fill", &fill)?);
        drawing::points(&mut self.buffer.borrow_mut(), &points, drawing::Ink { colour, blend });
        Ok(())
    }

    /// A line through the points of `xy`, `width` pixels wide (Pillow's
    /// `line(xy, fill, width)`; 0 draws nothing).
    pub fn draw_lines(&self, xy: JsValue, fill: JsValue, width: f64, blend: bool) -> JsResult {
        let (points, colour) = (args::points("xy", &xy, 0)?, args::rgba("fill", &fill)?);
        let width = args::whole_between("width", width, 0, 1 << 24)?;
        if width > 0 {
            drawing::lines(&mut self.buffer.borrow_mut(), &points, drawing::Ink { colour, blend }, width)?;
        }
        Ok(())
    }

    /// The polygon through the points of `xy` (at least 2), its inside in
    /// `fill` and its outline, `width` pixels wide and inside the shape, in
    /// `outline` (each optional), as Pillow's `polygon(xy, fill, outline,
    /// width)`.
    pub fn draw_polygon(&self, xy: JsValue, fill: JsValue, outline: JsValue, width: f64, blend: bool) -> JsResult {
        let points = args::points("xy", &xy, 2)?;
        let (fill, outline) = shape_inks(&fill, &outline, blend)?;
        let width = args::whole_between("width", width, 0, 1 << 24)?;
        Ok(drawing::polygon(&mut self.buffer.borrow_mut(), &points, fill, outline, width)?)
    }

    /// The inside of an outline's `path` (see `args::path`), even-odd, as
    /// Pillow's `ImageDraw.shape(outline, fill)`.
    pub fn draw_outline(&self, path: JsValue, fill: JsValue, blend: bool) -> JsResult {
        let (path, colour) = (args::path("path", &path)?, args::rgba("fill", &fill)?);
        drawing::outline(&mut self.buffer.borrow_mut(), &path, drawing::Ink { colour, blend });
        Ok(())
    }

    /// The rectangle `xy` = `[x0, y0, x1, y1]`, corners included (x1 >= x0,
    /// y1 >= y0), as Pillow's `rectangle(xy, fill, outline, width)`.
    pub fn draw_rectangle(&self, xy: JsValue, fill: JsValue, outline: JsValue, width: f64, blend: bool) -> JsResult {
        let (bounds, fill, outline, width) = shape_args(&xy, &fill, &outline, width, blend)?;
        drawing::rectangle(&mut self.buffer.borrow_mut(), bounds, fill, outline, width);
        Ok(())
    }

    /// The ellipse in the box `xy` = `[x0, y0, x1, y1]` (Pillow's
    /// `ellipse(xy, fill, outline, width)`: the outline inside the box).
    pub fn draw_ellipse(&self, xy: JsValue, fill: JsValue, outline: JsValue, width: f64, blend: bool) -> JsResult {
        let (bounds, fill, outline, width) = shape_args(&xy, &fill, &outline, width, blend)?;
        ellipses::ellipse(&mut self.buffer.borrow_mut(), bounds, fill, outline, width);
        Ok(())
    }

    /// The arc of the ellipse in `xy` from `start` to `end` degrees
    /// (clockwise from 3 o'clock), `width` thick (Pillow's `arc(xy, start,
    /// end, fill, width)`).
    pub fn draw_arc(&self, xy: JsValue, start: f64, end: f64, fill: JsValue, width: f64, blend: bool) -> JsResult {
        let bounds = args::ordered_box("xy", &xy)?.map(|v| v.trunc() as i64);
        let angles = (args::angle("start", start)?, args::angle("end", end)?);
        let (colour, width) = (args::rgba("fill", &fill)?, args::whole_between("width", width, 0, 1 << 24)?);
        let image = &mut self.buffer.borrow_mut();
        let ink = drawing::Ink { colour, blend };
        ellipses::draw_cut(image, ellipses::Cut::Arc, bounds, angles, None, Some(ink), width);
        Ok(())
    }

    /// The chord from `start` to `end` degrees (Pillow's `chord(xy, start,
    /// end, fill, outline, width)`).
    #[allow(clippy::too_many_arguments)]
    pub fn draw_chord(
        &self,
        xy: JsValue,
        start: f64,
        end: f64,
        fill: JsValue,
        outline: JsValue,
        width: f64,
        blend: bool,
    ) -> JsResult {
        self.draw_cut(ellipses::Cut::Chord, &xy, (start, end), (&fill, &outline), width, blend)
    }

    /// The pie slice from `start` to `end` degrees (Pillow's
    /// `pieslice(xy, start, end, fill, outline, width)`).
    #[allow(clippy::too_many_arguments)]
    pub fn draw_pieslice(
        &self,
        xy: JsValue,
        start: f64,
        end: f64,
        fill: JsValue,
        outline: JsValue,
        width: f64,
        blend: bool,
    ) -> JsResult {
        self.draw_cut(ellipses::Cut::Pieslice, &xy, (start, end), (&fill, &outline), width, blend)
    }

    /// The box `xy` with corners rounded to `radius` (Pillow's
    /// `rounded_rectangle(xy, radius, fill, outline, width, corners)`;
    /// `corners` an optional array of 4 booleans, upper left first,
    /// clockwise).
    #[allow(clippy::too_many_arguments)]
    pub fn draw_rounded_rectangle(
        &self,
        xy: JsValue,
        radius: f64,
        fill: JsValue,
        outline: JsValue,
        width: f64,
        corners: JsValue,
        blend: bool,
    ) -> JsResult {
        let given = args::ordered_box("xy", &xy)?;
        let radius = args::at_least("radius", radius, 0.0)?;
        let (fill, outline) = shape_inks(&fill, &outline, blend)?;
        let width = args::whole_between("width", width, 0, 1 << 24)?;
        let corners = args::optional_corners("corners", &corners)?;
        let image = &mut self.buffer.borrow_mut();
        Ok(ellipses::rounded_rectangle(image, given, radius, corners, fill, outline, width)?)
    }

    /// Composites `source` over this image (Porter-Duff "over", straight
    /// alpha, as Pillow's `alpha_composite`) with its top-left corner at
    /// (x, y); the parts outside are left out.
    pub fn alpha_composite(&self, source: &RgbaImage, x: f64, y: f64) -> JsResult {
        let (x, y) = (args::coordinate("x", x)?, args::coordinate("y", y)?);
        self.with_source(source, |destination, source| compositing::alpha_composite(destination, source, x, y))
    }

    /// Pillow's `ImageDraw.floodfill(image, (x, y), fill, border, thresh)`:
    /// from (x, y), every 4-connected pixel within `thresh` (summed channel
    /// differences) of the start pixel, or with a `border` colour every
    /// pixel up to it, takes `fill`. Returns the number of pixels set (0
    /// from outside the image, as Pillow does nothing there).
    pub fn flood_fill(&self, x: f64, y: f64, fill: JsValue, border: JsValue, thresh: f64) -> JsResult<f64> {
        let (x, y) = (args::coordinate("x", x)?, args::coordinate("y", y)?);
        let colour = args::rgba("fill", &fill)?;
        let region = match args::optional_rgba("border", &border)? {
            Some(border) => drawing::FloodRegion::Bordered(border),
            None => drawing::FloodRegion::Similar(args::at_least("thresh", thresh, 0.0)?),
        };
        Ok(drawing::flood_fill(&mut self.buffer.borrow_mut(), x, y, colour, region) as f64)
    }

    // ---- analysis

    /// 1024 counts: red values 0..=255, then green, blue, alpha (all zero
    /// for a rectangle wholly outside).
    pub fn histogram(&self, rect: JsValue) -> JsResult<Vec<u32>> {
        let region = self.region(&rect)?;
        let buffer = self.buffer.borrow();
        Ok(analysis::histogram(analysis::pixels_of(region.into_iter().flat_map(|region| buffer.rect_rows(region)))))
    }

    /// `histogram` of the pixels where `mask` (an "L" image of this size:
    /// its red byte is read) is not 0 (Pillow's `histogram(mask)`).
    pub fn masked_histogram(&self, mask: &RgbaImage) -> JsResult<Vec<u32>> {
        let mask = self.same_size_mask(mask)?.buffer.borrow();
        Ok(analysis::histogram(analysis::masked(self.buffer.borrow().data(), mask.data())))
    }

    /// The box `[x0, y0, x1, y1]` (image coordinates, x1 and y1 exclusive)
    /// around the pixels whose alpha is not 0, or with `alpha_only` false
    /// those with any byte not 0 (Pillow's `getbbox(alpha_only=...)`);
    /// `undefined` when there is none.
    pub fn bbox(&self, alpha_only: bool, rect: JsValue) -> JsResult<Option<Vec<u32>>> {
        let Some(region) = self.region(&rect)? else {
            return Ok(None);
        };
        let found = analysis::bbox(self.buffer.borrow().rect_rows(region), alpha_only);
        Ok(found.map(|[x0, y0, x1, y1]| vec![x0 + region.x, y0 + region.y, x1 + region.x, y1 + region.y]))
    }

    /// The smallest and largest value of each channel, `[red min, red max,
    /// green min, green max, ...]` (Pillow's `getextrema()`); `undefined`
    /// for a rectangle wholly outside.
    pub fn extrema(&self, rect: JsValue) -> JsResult<Option<Vec<u8>>> {
        let Some(region) = self.region(&rect)? else {
            return Ok(None);
        };
        Ok(analysis::extrema(self.buffer.borrow().rect_rows(region)).map(|found| found.to_vec()))
    }

    /// Each distinct colour and how many pixels have it, as `[count, red,
    /// green, blue, alpha, count, ...]` ordered by colour, or `undefined`
    /// when there are more than `max_colours` (Pillow's
    /// `getcolors(maxcolors)`, whose default is 256).
    pub fn colours(&self, max_colours: f64, rect: JsValue) -> JsResult<Option<Vec<u32>>> {
        let max_colours = args::whole("max_colours", max_colours)? as usize;
        let Some(region) = self.region(&rect)? else {
            return Ok(Some(Vec::new()));
        };
        let buffer = self.buffer.borrow();
        let pixels = region.width as usize * region.height as usize;
        let found = analysis::colours(buffer.rect_rows(region), pixels, max_colours)?;
        Ok(found.map(|colours| {
            colours
                .into_iter()
                .flat_map(|(count, [r, g, b, a])| [count, r.into(), g.into(), b.into(), a.into()])
                .collect()
        }))
    }

    /// Pillow's `ImageStat.Stat(image)` for each channel, red, green, blue,
    /// alpha: 8 numbers each, `count`, `sum`, `sum2`, `mean`, `median`,
    /// `rms`, `var`, `stddev` (32 in all; zeros for a rectangle outside).
    pub fn statistics(&self, rect: JsValue) -> JsResult<Vec<f64>> {
        let region = self.region(&rect)?;
        let buffer = self.buffer.borrow();
        let histogram =
            analysis::histogram(analysis::pixels_of(region.into_iter().flat_map(|region| buffer.rect_rows(region))));
        Ok(histogram.chunks_exact(256).flat_map(analysis::channel_statistics).collect())
    }

    /// Mean red, green, blue and alpha; a rectangle wholly outside has no
    /// mean and is an `OutOfBoundsError`.
    pub fn mean_colour(&self, rect: JsValue) -> JsResult<Vec<f64>> {
        let buffer = self.buffer.borrow();
        let region = match args::optional_area(&rect)? {
            None => buffer.whole(),
            Some(area) => buffer.clip(area).ok_or(ImageError::NothingInside {
                area,
                width: buffer.width(),
                height: buffer.height(),
            })?,
        };
        Ok(analysis::mean_colour(buffer.rect_rows(region)).to_vec())
    }
}

// ----------------------------------------------------------- simulations --

/// Most generations one `tick` call may advance.
const MAX_TICKS_PER_CALL: u32 = 10_000;

/// Conway's Game of Life on a torus, stepped and rendered in Rust.
#[wasm_bindgen]
pub struct Life {
    life: simulation::Life,
    alive: [u8; 4],
    dead: [u8; 4],
}

#[wasm_bindgen]
impl Life {
    #[wasm_bindgen(constructor)]
    pub fn new(width: f64, height: f64) -> JsResult<Life> {
        let life = simulation::Life::new(args::whole("width", width)?, args::whole("height", height)?)?;
        Ok(Life { life, alive: [255, 255, 255, 255], dead: [0, 0, 0, 255] })
    }

    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.life.width() as u32
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.life.height() as u32
    }

    #[wasm_bindgen(getter)]
    pub fn generation(&self) -> f64 {
        self.life.generation() as f64
    }

    pub fn population(&self) -> f64 {
        self.life.population() as f64
    }

    /// Address of the cells (one byte each, 1 alive, 0 dead, row-major).
    pub fn cells_ptr(&self) -> *const u8 {
        self.life.cells().as_ptr()
    }

    /// Advances `generations` steps (at most 10000 a call).
    pub fn tick(&mut self, generations: f64) -> JsResult {
        for _ in 0..args::whole_at_most("generations", generations, MAX_TICKS_PER_CALL)? {
            self.life.tick();
        }
        Ok(())
    }

    pub fn is_alive(&self, x: f64, y: f64) -> JsResult<bool> {
        Ok(self.life.is_alive(args::coordinate("x", x)?, args::coordinate("y", y)?)?)
    }

    pub fn set(&mut self, x: f64, y: f64, alive: bool) -> JsResult {
        Ok(self.life.set(args::coordinate("x", x)?, args::coordinate("y", y)?, alive)?)
    }

    /// Flips one cell; returns whether it is now alive.
    pub fn toggle(&mut self, x: f64, y: f64) -> JsResult<bool> {
        Ok(self.life.toggle(args::coordinate("x", x)?, args::coordinate("y", y)?)?)
    }

    pub fn clear(&mut self) {
        self.life.clear();
    }

    /// Each cell alive with probability `density` (0 to 1); the same seed
    /// gives the same world.
    pub fn randomize(&mut self, seed: f64, density: f64) -> JsResult {
        let (seed, density) = (args::whole("seed", seed)?, args::fraction("density", density)?);
        self.life.randomize(u64::from(seed), density);
        Ok(())
    }

    /// Places a plaintext pattern (`O` alive, `.` dead, `!` comment lines)
    /// with its top-left at (x, y); returns the live cells placed.
    pub fn place_pattern(&mut self, pattern: JsValue, x: f64, y: f64) -> JsResult<f64> {
        let pattern = args::text("pattern", &pattern)?;
        Ok(self.life.place_pattern(&pattern, args::coordinate("x", x)?, args::coordinate("y", y)?)? as f64)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn set_colours(
        &mut self,
        alive_red: f64,
        alive_green: f64,
        alive_blue: f64,
        alive_alpha: f64,
        dead_red: f64,
        dead_green: f64,
        dead_blue: f64,
        dead_alpha: f64,
    ) -> JsResult {
        let alive = ["alive_red", "alive_green", "alive_blue", "alive_alpha"];
        let dead = ["dead_red", "dead_green", "dead_blue", "dead_alpha"];
        let alive = args::named_colour(alive, [alive_red, alive_green, alive_blue, alive_alpha])?;
        let dead = args::named_colour(dead, [dead_red, dead_green, dead_blue, dead_alpha])?;
        (self.alive, self.dead) = (alive, dead);
        Ok(())
    }

    /// Draws the cells into `image`, which must be the same size.
    pub fn render(&self, image: &RgbaImage) -> JsResult {
        Ok(self.life.render(&mut image.buffer.borrow_mut(), self.alive, self.dead)?)
    }
}

/// An animated plasma rendered in Rust.
#[wasm_bindgen]
pub struct Plasma {
    plasma: simulation::Plasma,
}

#[wasm_bindgen]
impl Plasma {
    #[wasm_bindgen(constructor)]
    pub fn new() -> Plasma {
        Plasma { plasma: simulation::Plasma::new() }
    }

    /// Renders the frame at `time` seconds into `image` (any size).
    pub fn render(&self, image: &RgbaImage, time: f64) -> JsResult {
        self.plasma.render(&mut image.buffer.borrow_mut(), args::finite("time", time)?);
        Ok(())
    }
}

impl Default for Plasma {
    fn default() -> Self {
        Self::new()
    }
}

const _: () = assert!(BYTES_PER_PIXEL == 4);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_image_holds_the_seed_pixels() {
        let image = Image::new();
        assert_eq!(image.pixel_count(), 2);
        assert_eq!(image.pixels_len(), 6);
        assert_eq!(seed::as_bytes(&image.pixels), &[255, 0, 0, 60, 70, 90]);
    }

    #[test]
    fn pointer_addresses_the_pixel_bytes() {
        let image = Image::new();
        // SAFETY: the pointer and length come from the live image just above.
        let bytes = unsafe { std::slice::from_raw_parts(image.pixels_ptr().cast::<u8>(), image.pixels_len()) };
        assert_eq!(bytes, &[255, 0, 0, 60, 70, 90]);
    }
}
