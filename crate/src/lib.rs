//! The wasm-bindgen surface of `rust_image`. Only exports live here: each one
//! checks its JS arguments (see `args`) and calls plain-Rust pixel logic from
//! the modules below, which `cargo test` covers natively. Every export that
//! can fail returns a `JsResult`, so bad input raises a JS `Error` naming the
//! argument, never a trap. The error's `name` gives its family: `TypeError`,
//! `RangeError`, `OutOfBoundsError` (a point or rectangle outside the image)
//! or `OutOfMemoryError`.

pub mod analysis;
pub mod args;
pub mod buffer;
pub mod colour;
pub mod drawing;
pub mod filters;
pub mod geometry;
pub mod seed;
pub mod simulation;

use buffer::{BYTES_PER_PIXEL, ErrorKind, ImageError, MAX_PIXELS, MAX_SIDE, Rect, RgbaBuffer, check_channel};
use filters::Kernel;
use seed::{COLOR_BYTES, Color, SEED_PIXELS};
use std::cell::RefCell;
use wasm_bindgen::prelude::*;

/// What a fallible export returns; the error is a JS `Error` (see [`JsFailure`]).
type JsResult<T = ()> = Result<T, JsFailure>;

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
/// memory: `ptr()` and `len()` locate them for the host. Every operation works
/// in place; `copy()` first to keep the original. Geometry that changes the
/// size (rotations, resizes) moves the pixels, so read `ptr()` again after it.
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

    /// Runs a per-pixel colour kernel over a checked rectangle.
    fn per_pixel(&self, rect: Rect, kernel: impl FnMut(&mut [u8])) -> JsResult {
        Ok(self.buffer.borrow_mut().for_each_row(rect, kernel)?)
    }

    /// Runs a whole-image filter on the rectangle, which sees its own edges.
    fn filter(&self, rect: Rect, filter: impl FnOnce(&mut [u8], usize, usize) -> buffer::Result<()>) -> JsResult {
        Ok(self.buffer.borrow_mut().apply_in_rect(rect, |region| {
            let (width, height) = (region.width() as usize, region.height() as usize);
            filter(region.data_mut(), width, height)
        })?)
    }

    fn replace(&self, width: u32, height: u32, data: Vec<u8>) -> JsResult {
        *self.buffer.borrow_mut() = RgbaBuffer::from_vec(width, height, data)?;
        Ok(())
    }

    fn check_distinct(&self, source: &RgbaImage) -> JsResult {
        if std::ptr::eq(self, source) {
            return Err(ImageError::SameImage.into());
        }
        Ok(())
    }

    fn whole(&self) -> Rect {
        self.buffer.borrow().whole()
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

    /// An image made from RGBA bytes (a `Uint8Array` or `Uint8ClampedArray`,
    /// copied into wasm memory once). The length is checked before anything
    /// is allocated, so no array, however large, can exhaust the module.
    pub fn from_rgba(width: f64, height: f64, bytes: &js_sys::Uint8Array) -> JsResult<RgbaImage> {
        let (width, height) = (args::whole("width", width)?, args::whole("height", height)?);
        if !matches!(typed_array_kind(bytes).as_deref(), Some("Uint8Array" | "Uint8ClampedArray")) {
            return Err(ImageError::WrongType { name: "bytes", expected: "a Uint8Array or Uint8ClampedArray" }.into());
        }
        let expected = buffer::checked_len(width, height)?;
        let actual = bytes.length() as usize;
        if actual != expected {
            return Err(ImageError::WrongLength { expected, actual }.into());
        }
        let mut data = buffer::try_alloc(expected, 0)?;
        bytes.copy_to(&mut data);
        Ok(Self::wrap(RgbaBuffer::from_vec(width, height, data)?))
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

    /// The pixel at (x, y) as 4 bytes, red, green, blue, alpha.
    pub fn get_pixel(&self, x: f64, y: f64) -> JsResult<Vec<u8>> {
        Ok(self.buffer.borrow().get_pixel(args::point("x", x)?, args::point("y", y)?)?.to_vec())
    }

    pub fn set_pixel(&self, x: f64, y: f64, red: f64, green: f64, blue: f64, alpha: f64) -> JsResult {
        let colour = args::colour(red, green, blue, alpha)?;
        Ok(self.buffer.borrow_mut().set_pixel(args::point("x", x)?, args::point("y", y)?, colour)?)
    }

    pub fn fill(&self, red: f64, green: f64, blue: f64, alpha: f64) -> JsResult {
        let (whole, colour) = (self.whole(), args::colour(red, green, blue, alpha)?);
        Ok(self.buffer.borrow_mut().fill(whole, colour)?)
    }

    #[allow(clippy::too_many_arguments)]
    pub fn fill_rect(
        &self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        red: f64,
        green: f64,
        blue: f64,
        alpha: f64,
    ) -> JsResult {
        Ok(self.buffer.borrow_mut().fill(args::rect(x, y, width, height)?, args::colour(red, green, blue, alpha)?)?)
    }

    /// A new image holding a copy of the rectangle.
    pub fn crop(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult<RgbaImage> {
        Ok(Self::wrap(self.buffer.borrow().crop(args::rect(x, y, width, height)?)?))
    }

    /// A new image with the same pixels.
    pub fn copy(&self) -> JsResult<RgbaImage> {
        Ok(Self::wrap(self.buffer.borrow().crop(self.whole())?))
    }

    /// Writes `source` over this image at (x, y), replacing pixels; it must fit.
    pub fn paste(&self, source: &RgbaImage, x: f64, y: f64) -> JsResult {
        self.check_distinct(source)?;
        Ok(self.buffer.borrow_mut().paste(&source.buffer.borrow(), args::whole("x", x)?, args::whole("y", y)?)?)
    }

    // ---- colour

    pub fn grayscale(&self) -> JsResult {
        self.per_pixel(self.whole(), colour::grayscale)
    }

    pub fn grayscale_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.per_pixel(args::rect(x, y, width, height)?, colour::grayscale)
    }

    pub fn invert(&self) -> JsResult {
        self.per_pixel(self.whole(), colour::invert)
    }

    pub fn invert_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.per_pixel(args::rect(x, y, width, height)?, colour::invert)
    }

    /// 0 gives black, 1 the original, above 1 brighter (Pillow's Brightness).
    pub fn brightness(&self, factor: f64) -> JsResult {
        self.brightness_rect_checked(self.whole(), factor)
    }

    pub fn brightness_rect(&self, x: f64, y: f64, width: f64, height: f64, factor: f64) -> JsResult {
        self.brightness_rect_checked(args::rect(x, y, width, height)?, factor)
    }

    fn brightness_rect_checked(&self, rect: Rect, factor: f64) -> JsResult {
        let table = colour::brightness_lut(factor)?;
        self.per_pixel(rect, |row| colour::apply_lut(row, &table))
    }

    /// 0 gives flat grey, 1 the original, above 1 more contrast (Pillow's Contrast).
    pub fn contrast(&self, factor: f64) -> JsResult {
        self.contrast_rect_checked(self.whole(), factor)
    }

    pub fn contrast_rect(&self, x: f64, y: f64, width: f64, height: f64, factor: f64) -> JsResult {
        self.contrast_rect_checked(args::rect(x, y, width, height)?, factor)
    }

    fn contrast_rect_checked(&self, rect: Rect, factor: f64) -> JsResult {
        let rect = self.buffer.borrow().check_rect(rect)?;
        let table = colour::contrast_lut(colour::mean_luma(self.buffer.borrow().rect_rows(rect)), factor)?;
        self.per_pixel(rect, |row| colour::apply_lut(row, &table))
    }

    /// `255 * (v / 255) ^ (1 / gamma)`: above 1 lightens, below 1 darkens.
    pub fn gamma(&self, gamma: f64) -> JsResult {
        self.gamma_rect_checked(self.whole(), gamma)
    }

    pub fn gamma_rect(&self, x: f64, y: f64, width: f64, height: f64, gamma: f64) -> JsResult {
        self.gamma_rect_checked(args::rect(x, y, width, height)?, gamma)
    }

    fn gamma_rect_checked(&self, rect: Rect, gamma: f64) -> JsResult {
        let table = colour::gamma_lut(gamma)?;
        self.per_pixel(rect, |row| colour::apply_lut(row, &table))
    }

    /// White where the luma is at least `level` (0 to 255), black elsewhere.
    pub fn threshold(&self, level: f64) -> JsResult {
        let level = colour::check_level("level", level)?;
        self.per_pixel(self.whole(), |row| colour::threshold(row, level))
    }

    pub fn threshold_rect(&self, x: f64, y: f64, width: f64, height: f64, level: f64) -> JsResult {
        let level = colour::check_level("level", level)?;
        self.per_pixel(args::rect(x, y, width, height)?, |row| colour::threshold(row, level))
    }

    pub fn sepia(&self) -> JsResult {
        self.per_pixel(self.whole(), colour::sepia)
    }

    pub fn sepia_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.per_pixel(args::rect(x, y, width, height)?, colour::sepia)
    }

    /// Sets the alpha of every pixel to `alpha` (0 to 255), as Pillow's
    /// `putalpha(number)`.
    pub fn put_alpha(&self, alpha: f64) -> JsResult {
        let alpha = colour::check_level("alpha", alpha)?;
        self.per_pixel(self.whole(), |row| colour::put_alpha(row, alpha))
    }

    /// Exchanges two channels (0 red, 1 green, 2 blue, 3 alpha).
    pub fn swap_channels(&self, first: f64, second: f64) -> JsResult {
        self.swap_channels_rect_checked(self.whole(), first, second)
    }

    pub fn swap_channels_rect(&self, x: f64, y: f64, width: f64, height: f64, first: f64, second: f64) -> JsResult {
        self.swap_channels_rect_checked(args::rect(x, y, width, height)?, first, second)
    }

    fn swap_channels_rect_checked(&self, rect: Rect, first: f64, second: f64) -> JsResult {
        let first = check_channel("first", args::whole("first", first)?)?;
        let second = check_channel("second", args::whole("second", second)?)?;
        self.per_pixel(rect, |row| colour::swap_channels(row, first, second))
    }

    /// Shows one channel (0 red, 1 green, 2 blue, 3 alpha) as opaque grey.
    pub fn extract_channel(&self, channel: f64) -> JsResult {
        self.extract_channel_rect_checked(self.whole(), channel)
    }

    pub fn extract_channel_rect(&self, x: f64, y: f64, width: f64, height: f64, channel: f64) -> JsResult {
        self.extract_channel_rect_checked(args::rect(x, y, width, height)?, channel)
    }

    fn extract_channel_rect_checked(&self, rect: Rect, channel: f64) -> JsResult {
        let channel = check_channel("channel", args::whole("channel", channel)?)?;
        self.per_pixel(rect, |row| colour::extract_channel(row, channel))
    }

    pub fn premultiply_alpha(&self) -> JsResult {
        self.per_pixel(self.whole(), colour::premultiply_alpha)
    }

    pub fn premultiply_alpha_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.per_pixel(args::rect(x, y, width, height)?, colour::premultiply_alpha)
    }

    pub fn unpremultiply_alpha(&self) -> JsResult {
        self.per_pixel(self.whole(), colour::unpremultiply_alpha)
    }

    pub fn unpremultiply_alpha_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.per_pixel(args::rect(x, y, width, height)?, colour::unpremultiply_alpha)
    }

    // ---- filters

    /// Mean over a (2r+1)-wide box, edges extended (Pillow's BoxBlur).
    pub fn box_blur(&self, radius: f64) -> JsResult {
        self.filter(self.whole(), |data, w, h| filters::box_blur(data, w, h, radius))
    }

    pub fn box_blur_rect(&self, x: f64, y: f64, width: f64, height: f64, radius: f64) -> JsResult {
        self.filter(args::rect(x, y, width, height)?, |data, w, h| filters::box_blur(data, w, h, radius))
    }

    /// Gaussian blur whose standard deviation is `radius` (Pillow's
    /// `GaussianBlur(radius)`).
    pub fn gaussian_blur(&self, radius: f64) -> JsResult {
        self.filter(self.whole(), |data, w, h| filters::gaussian_blur(data, w, h, radius))
    }

    pub fn gaussian_blur_rect(&self, x: f64, y: f64, width: f64, height: f64, radius: f64) -> JsResult {
        self.filter(args::rect(x, y, width, height)?, |data, w, h| filters::gaussian_blur(data, w, h, radius))
    }

    /// Convolves all four channels with a 3x3 (9 weights) or 5x5 (25)
    /// kernel given as Pillow's `ImageFilter.Kernel` takes it: out = sum /
    /// scale + offset; scale 0 means the weights' sum (1 if they sum to 0).
    pub fn convolve(&self, weights: &js_sys::Float32Array, scale: f64, offset: f64) -> JsResult {
        let kernel = Kernel::new(&kernel_weights(weights)?, scale, offset)?;
        self.filter(self.whole(), |data, w, h| filters::convolve(data, w, h, &kernel))
    }

    #[allow(clippy::too_many_arguments)]
    pub fn convolve_rect(
        &self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        weights: &js_sys::Float32Array,
        scale: f64,
        offset: f64,
    ) -> JsResult {
        let kernel = Kernel::new(&kernel_weights(weights)?, scale, offset)?;
        self.filter(args::rect(x, y, width, height)?, |data, w, h| filters::convolve(data, w, h, &kernel))
    }

    pub fn sharpen(&self) -> JsResult {
        self.filter(self.whole(), |data, w, h| filters::convolve(data, w, h, &Kernel::sharpen()))
    }

    pub fn sharpen_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.filter(args::rect(x, y, width, height)?, |data, w, h| filters::convolve(data, w, h, &Kernel::sharpen()))
    }

    pub fn edge_detect(&self) -> JsResult {
        self.filter(self.whole(), |data, w, h| filters::convolve(data, w, h, &Kernel::edge_detect()))
    }

    pub fn edge_detect_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.filter(args::rect(x, y, width, height)?, |data, w, h| {
            filters::convolve(data, w, h, &Kernel::edge_detect())
        })
    }

    pub fn emboss(&self) -> JsResult {
        self.filter(self.whole(), |data, w, h| filters::convolve(data, w, h, &Kernel::emboss()))
    }

    pub fn emboss_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.filter(args::rect(x, y, width, height)?, |data, w, h| filters::convolve(data, w, h, &Kernel::emboss()))
    }

    /// The 5x5 smoothing preset (Pillow's SMOOTH_MORE).
    pub fn smooth_more(&self) -> JsResult {
        self.filter(self.whole(), |data, w, h| filters::convolve(data, w, h, &Kernel::smooth_more()))
    }

    pub fn smooth_more_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.filter(args::rect(x, y, width, height)?, |data, w, h| {
            filters::convolve(data, w, h, &Kernel::smooth_more())
        })
    }

    /// 3x3 median of each channel (Pillow's MedianFilter(3)).
    pub fn median(&self) -> JsResult {
        self.filter(self.whole(), filters::median3)
    }

    pub fn median_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        self.filter(args::rect(x, y, width, height)?, filters::median3)
    }

    // ---- geometry

    pub fn flip_horizontal(&self) {
        let (width, _) = self.size();
        geometry::flip_horizontal(self.buffer.borrow_mut().data_mut(), width);
    }

    pub fn flip_vertical(&self) {
        let (width, height) = self.size();
        geometry::flip_vertical(self.buffer.borrow_mut().data_mut(), width, height);
    }

    /// A quarter turn clockwise; width and height swap.
    pub fn rotate90(&self) -> JsResult {
        self.rotate_quarter(true)
    }

    pub fn rotate180(&self) {
        geometry::rotate180(self.buffer.borrow_mut().data_mut());
    }

    /// A quarter turn counter-clockwise; width and height swap.
    pub fn rotate270(&self) -> JsResult {
        self.rotate_quarter(false)
    }

    fn rotate_quarter(&self, clockwise: bool) -> JsResult {
        let (width, height) = self.size();
        let turned = geometry::rotate_quarter(self.buffer.borrow().data(), width, height, clockwise)?;
        self.replace(height as u32, width as u32, turned)
    }

    /// Keeps only the rectangle (the image becomes its size).
    pub fn crop_in_place(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult {
        let cropped = self.buffer.borrow().crop(args::rect(x, y, width, height)?)?;
        *self.buffer.borrow_mut() = cropped;
        Ok(())
    }

    pub fn resize_nearest(&self, width: f64, height: f64) -> JsResult {
        let (new_width, new_height) = (args::whole("width", width)?, args::whole("height", height)?);
        let (w, h) = self.size();
        let data = geometry::resize_nearest(self.buffer.borrow().data(), w, h, new_width, new_height)?;
        self.replace(new_width, new_height, data)
    }

    /// Pillow's BILINEAR resize (antialiased when shrinking).
    pub fn resize_bilinear(&self, width: f64, height: f64) -> JsResult {
        let (new_width, new_height) = (args::whole("width", width)?, args::whole("height", height)?);
        let (w, h) = self.size();
        let data = geometry::resize_bilinear(self.buffer.borrow().data(), w, h, new_width, new_height)?;
        self.replace(new_width, new_height, data)
    }

    // ---- drawing

    #[allow(clippy::too_many_arguments)]
    pub fn draw_line(
        &self,
        x0: f64,
        y0: f64,
        x1: f64,
        y1: f64,
        red: f64,
        green: f64,
        blue: f64,
        alpha: f64,
    ) -> JsResult {
        let colour = args::colour(red, green, blue, alpha)?;
        let (x0, y0) = (drawing::check_coordinate("x0", x0)?, drawing::check_coordinate("y0", y0)?);
        let (x1, y1) = (drawing::check_coordinate("x1", x1)?, drawing::check_coordinate("y1", y1)?);
        drawing::line(&mut self.buffer.borrow_mut(), x0, y0, x1, y1, colour);
        Ok(())
    }

    /// A rectangle with its top-left corner at (x, y), clipped to the image.
    #[allow(clippy::too_many_arguments)]
    pub fn draw_rect(
        &self,
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        red: f64,
        green: f64,
        blue: f64,
        alpha: f64,
        filled: bool,
    ) -> JsResult {
        let colour = args::colour(red, green, blue, alpha)?;
        let (x, y) = (drawing::check_coordinate("x", x)?, drawing::check_coordinate("y", y)?);
        let (width, height) =
            (drawing::check_coordinate("width", width)?, drawing::check_coordinate("height", height)?);
        drawing::rectangle(&mut self.buffer.borrow_mut(), x, y, width, height, colour, filled);
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    pub fn draw_circle(
        &self,
        cx: f64,
        cy: f64,
        radius: f64,
        red: f64,
        green: f64,
        blue: f64,
        alpha: f64,
        filled: bool,
    ) -> JsResult {
        let colour = args::colour(red, green, blue, alpha)?;
        let (cx, cy) = (drawing::check_coordinate("cx", cx)?, drawing::check_coordinate("cy", cy)?);
        let radius = drawing::check_coordinate("radius", radius)?;
        drawing::circle(&mut self.buffer.borrow_mut(), cx, cy, radius, colour, filled);
        Ok(())
    }

    /// Composites `source` over this image ("over", straight alpha) with its
    /// top-left corner at (x, y); parts outside are skipped.
    pub fn blend_over(&self, source: &RgbaImage, x: f64, y: f64) -> JsResult {
        let (x, y) = (drawing::check_coordinate("x", x)?, drawing::check_coordinate("y", y)?);
        self.check_distinct(source)?;
        drawing::blend_over(&mut self.buffer.borrow_mut(), &source.buffer.borrow(), x, y);
        Ok(())
    }

    /// Composites `source`, which must be the same size, over the whole image.
    pub fn blend_same_size(&self, source: &RgbaImage) -> JsResult {
        let (expected, actual) = ((self.width(), self.height()), (source.width(), source.height()));
        if expected != actual {
            return Err(ImageError::SizeMismatch { what: "the image to blend", expected, actual }.into());
        }
        self.check_distinct(source)?;
        drawing::blend_over(&mut self.buffer.borrow_mut(), &source.buffer.borrow(), 0, 0);
        Ok(())
    }

    /// Fills the 4-connected area of the colour at (x, y); returns the number
    /// of pixels changed.
    pub fn flood_fill(&self, x: f64, y: f64, red: f64, green: f64, blue: f64, alpha: f64) -> JsResult<f64> {
        let colour = args::colour(red, green, blue, alpha)?;
        Ok(drawing::flood_fill(&mut self.buffer.borrow_mut(), args::point("x", x)?, args::point("y", y)?, colour)?
            as f64)
    }

    // ---- analysis

    /// 1024 counts: red values 0..=255, then green, blue, alpha.
    pub fn histogram(&self) -> Vec<u32> {
        analysis::histogram(self.buffer.borrow().rect_rows(self.whole()))
    }

    pub fn histogram_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult<Vec<u32>> {
        let rect = self.buffer.borrow().check_rect(args::rect(x, y, width, height)?)?;
        Ok(analysis::histogram(self.buffer.borrow().rect_rows(rect)))
    }

    /// Mean red, green, blue and alpha.
    pub fn mean_colour(&self) -> Vec<f64> {
        analysis::mean_colour(self.buffer.borrow().rect_rows(self.whole())).to_vec()
    }

    pub fn mean_colour_rect(&self, x: f64, y: f64, width: f64, height: f64) -> JsResult<Vec<f64>> {
        let rect = self.buffer.borrow().check_rect(args::rect(x, y, width, height)?)?;
        Ok(analysis::mean_colour(self.buffer.borrow().rect_rows(rect)).to_vec())
    }
}

/// The kind of typed array `value` is ("Uint8Array", ...), or None. Read
/// from `Symbol.toStringTag`, not `instanceof`, so that an array made in
/// another realm (an iframe, or Node's `vm` contexts) is recognised too.
fn typed_array_kind(value: &JsValue) -> Option<String> {
    if !js_sys::ArrayBuffer::is_view(value) {
        return None;
    }
    js_sys::Reflect::get(value, &js_sys::Symbol::to_string_tag()).ok()?.as_string()
}

/// Copies kernel weights out of JS after checking their count, so that a huge
/// array is refused instead of being copied into wasm memory.
fn kernel_weights(weights: &js_sys::Float32Array) -> JsResult<Vec<f32>> {
    if typed_array_kind(weights).as_deref() != Some("Float32Array") {
        return Err(ImageError::WrongType { name: "kernel weights", expected: "a Float32Array" }.into());
    }
    let count = weights.length() as usize;
    if count != 9 && count != 25 {
        return Err(ImageError::BadArgument {
            name: "kernel",
            message: format!("must have 9 (3x3) or 25 (5x5) weights, got {count}"),
        }
        .into());
    }
    Ok(weights.to_vec())
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
        Ok(self.life.is_alive(args::point("x", x)?, args::point("y", y)?)?)
    }

    pub fn set(&mut self, x: f64, y: f64, alive: bool) -> JsResult {
        Ok(self.life.set(args::point("x", x)?, args::point("y", y)?, alive)?)
    }

    /// Flips one cell; returns whether it is now alive.
    pub fn toggle(&mut self, x: f64, y: f64) -> JsResult<bool> {
        Ok(self.life.toggle(args::point("x", x)?, args::point("y", y)?)?)
    }

    pub fn clear(&mut self) {
        self.life.clear();
    }

    /// Each cell alive with probability `density` (0 to 1); the same seed
    /// gives the same world.
    pub fn randomize(&mut self, seed: f64, density: f64) -> JsResult {
        Ok(self.life.randomize(u64::from(args::whole("seed", seed)?), density)?)
    }

    /// Places a plaintext pattern (`O` alive, `.` dead, `!` comment lines)
    /// with its top-left at (x, y); returns the live cells placed.
    /// Takes the pattern as any JS value: wasm-bindgen's `&str` glue would
    /// read past the end of memory if handed something that is not a string.
    pub fn place_pattern(&mut self, pattern: JsValue, x: f64, y: f64) -> JsResult<f64> {
        let pattern = pattern.as_string().ok_or(ImageError::WrongType { name: "pattern", expected: "a string" })?;
        Ok(self.life.place_pattern(&pattern, args::point("x", x)?, args::point("y", y)?)? as f64)
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
        Ok(self.plasma.render(&mut image.buffer.borrow_mut(), time)?)
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
