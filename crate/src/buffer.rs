//! The RGBA buffer every kernel works on: row-major, 4 bytes a pixel, no
//! padding, so the host can hand `data` to a canvas `ImageData` unchanged.

use std::fmt;

pub const BYTES_PER_PIXEL: usize = 4;
/// Largest width or height accepted.
pub const MAX_SIDE: u32 = 16_384;
/// Largest pixel count accepted (256 MiB of RGBA), well inside wasm32's 4 GiB.
pub const MAX_PIXELS: u64 = 64 * 1024 * 1024;

pub type Rgba = [u8; 4];

/// The family of an [`ImageError`], which decides the exception the host
/// raises: JS gets it as the error's `name`, Python as the exception type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// An argument of the wrong JS type (Python `TypeError`).
    WrongType,
    /// A value out of range or malformed (Python `ValueError`).
    OutOfRange,
    /// A point or rectangle outside the image (Python `IndexError`).
    OutOfBounds,
    /// wasm memory could not grow enough (Python `MemoryError`).
    OutOfMemory,
    /// A worker of the thread pool failed (Python `ModuleBrokenError`: the
    /// exports' guard then refuses every call, as after a trap).
    ThreadFailed,
}

/// Everything that can be wrong with an argument. Each message names the
/// argument and the limit it broke.
#[derive(Debug, Clone, PartialEq)]
pub enum ImageError {
    ZeroSize {
        width: u32,
        height: u32,
    },
    SideTooLarge {
        name: &'static str,
        value: u32,
    },
    TooManyPixels {
        width: u32,
        height: u32,
    },
    OutOfMemory {
        bytes: usize,
    },
    WrongLength {
        bytes_per_pixel: usize,
        expected: usize,
        actual: usize,
    },
    PointOutside {
        x: i64,
        y: i64,
        width: u32,
        height: u32,
    },
    NothingInside {
        area: Area,
        width: u32,
        height: u32,
    },
    BadNumber {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
    SizeMismatch {
        what: &'static str,
        expected: (u32, u32),
        actual: (u32, u32),
    },
    BadChannel {
        name: &'static str,
        value: u32,
    },
    BadArgument {
        name: &'static str,
        message: String,
    },
    WrongType {
        name: &'static str,
        expected: &'static str,
    },
    /// A worker thread of the threaded build's pool trapped.
    ThreadFailed,
}

impl ImageError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::OutOfMemory { .. } => ErrorKind::OutOfMemory,
            Self::PointOutside { .. } | Self::NothingInside { .. } => ErrorKind::OutOfBounds,
            Self::WrongType { .. } => ErrorKind::WrongType,
            Self::ThreadFailed => ErrorKind::ThreadFailed,
            _ => ErrorKind::OutOfRange,
        }
    }
}

impl fmt::Display for ImageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ZeroSize { width, height } => {
                write!(f, "width and height must be at least 1, got {width}x{height}")
            }
            Self::SideTooLarge { name, value } => {
                write!(f, "{name} must be at most {MAX_SIDE}, got {value}")
            }
            Self::TooManyPixels { width, height } => write!(
                f,
                "{width}x{height} is {} pixels; the maximum image size is {MAX_PIXELS} pixels",
                u64::from(*width) * u64::from(*height)
            ),
            Self::OutOfMemory { bytes } => {
                write!(f, "out of memory: could not allocate {bytes} bytes of wasm memory")
            }
            Self::WrongLength { bytes_per_pixel, expected, actual } => {
                write!(f, "pixel data must be width*height*{bytes_per_pixel} = {expected} bytes long, got {actual}")
            }
            Self::PointOutside { x, y, width, height } => write!(
                f,
                "point ({x}, {y}) is outside the {width}x{height} image (x must be in 0..{width}, y in 0..{height})"
            ),
            Self::NothingInside { area, width, height } => write!(
                f,
                "rect at ({}, {}) of size {}x{} holds no pixel of the {width}x{height} image",
                area.x, area.y, area.width, area.height
            ),
            Self::BadNumber { name, value, expected } => {
                write!(f, "{name} must be {expected}, got {}", Number(*value))
            }
            Self::SizeMismatch { what, expected, actual } => {
                write!(f, "{what} must be {}x{}, got {}x{}", expected.0, expected.1, actual.0, actual.1)
            }
            Self::BadChannel { name, value } => {
                write!(f, "{name} must be a channel index 0 (red), 1 (green), 2 (blue) or 3 (alpha), got {value}")
            }
            Self::BadArgument { name, message } => write!(f, "{name} {message}"),
            Self::WrongType { name, expected } => write!(f, "{name} must be {expected}"),
            Self::ThreadFailed => {
                write!(f, "a worker thread of wasmcanvas's pool failed, so its part of the image was not computed")
            }
        }
    }
}

impl std::error::Error for ImageError {}

/// A number as an error message shows it: whole numbers in full below
/// 10^16; fractions with up to 6 decimals (the digits a message needs);
/// beyond 10^16 and below 10^-6 in exponent form (`1e300`, `2.5e-9`), with
/// up to 6 decimals too. Written by hand: Rust's own float formatting is
/// exact to the last digit and would weigh about 13 KB of the wasm module.
pub(crate) struct Number(pub f64);

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let value = self.0;
        if value.is_nan() {
            return f.write_str("NaN");
        }
        if value < 0.0 {
            f.write_str("-")?;
        }
        let magnitude = value.abs();
        if magnitude.is_infinite() {
            return f.write_str("inf");
        }
        if magnitude == 0.0 || (1e-6..1e16).contains(&magnitude) {
            return write_decimal(f, magnitude, 6);
        }
        // Exponent form: bring the magnitude into 1..10 by powers of ten.
        let mut exponent = 0i32;
        let mut mantissa = magnitude;
        while mantissa >= 10.0 {
            mantissa /= 10.0;
            exponent += 1;
        }
        while mantissa < 1.0 {
            mantissa *= 10.0;
            exponent -= 1;
        }
        // 9.9999996 shows as 10 at 6 decimals: carry into the exponent.
        if (mantissa * 1e6).round() >= 1e7 {
            mantissa /= 10.0;
            exponent += 1;
        }
        write_decimal(f, mantissa, 6)?;
        write!(f, "e{exponent}")
    }
}

/// `magnitude` (from 0 to 10^16) with at most `decimals` decimals, rounded,
/// trailing zeros dropped.
fn write_decimal(f: &mut fmt::Formatter<'_>, magnitude: f64, decimals: u32) -> fmt::Result {
    let mut whole = magnitude.trunc() as u64;
    // Fewer decimals where the whole part already holds the precision.
    let decimals = decimals.min(16u32.saturating_sub(whole.checked_ilog10().unwrap_or(0) + 1));
    let scale = 10u64.pow(decimals);
    let mut fraction = ((magnitude - whole as f64) * scale as f64).round() as u64;
    if fraction >= scale {
        whole += 1;
        fraction -= scale;
    }
    write!(f, "{whole}")?;
    if fraction == 0 {
        return Ok(());
    }
    let mut digits = decimals;
    while fraction % 10 == 0 {
        fraction /= 10;
        digits -= 1;
    }
    write!(f, ".{fraction:0width$}", width = digits as usize)
}

pub type Result<T> = std::result::Result<T, ImageError>;

/// A rectangle of pixels inside an image, at least 1x1: what [`RgbaBuffer::clip`]
/// leaves of an [`Area`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    pub x: u32,
    pub y: u32,
    pub width: u32,
    pub height: u32,
}

impl Rect {
    pub fn new(x: u32, y: u32, width: u32, height: u32) -> Self {
        Self { x, y, width, height }
    }
}

/// A rectangle as the host asks for it: it may reach past the image or lie
/// wholly outside it (sides are never negative).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Area {
    pub x: i64,
    pub y: i64,
    pub width: i64,
    pub height: i64,
}

impl Area {
    pub fn new(x: i64, y: i64, width: i64, height: i64) -> Self {
        Self { x, y, width, height }
    }
}

impl From<Rect> for Area {
    fn from(rect: Rect) -> Self {
        Self::new(rect.x.into(), rect.y.into(), rect.width.into(), rect.height.into())
    }
}

/// A side of an [`Area`] as an image side: beyond u32 it is simply too large,
/// and the size check says so.
fn side_of(length: i64) -> u32 {
    u32::try_from(length).unwrap_or(u32::MAX)
}

/// Byte length of a `width` x `height` RGBA image, after checking both sides
/// and the total against the limits.
pub fn checked_len(width: u32, height: u32) -> Result<usize> {
    if width == 0 || height == 0 {
        return Err(ImageError::ZeroSize { width, height });
    }
    if width > MAX_SIDE {
        return Err(ImageError::SideTooLarge { name: "width", value: width });
    }
    if height > MAX_SIDE {
        return Err(ImageError::SideTooLarge { name: "height", value: height });
    }
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(ImageError::TooManyPixels { width, height });
    }
    Ok(pixels as usize * BYTES_PER_PIXEL)
}

/// Allocates `len` bytes set to `value`, reporting failure instead of aborting.
pub fn try_alloc(len: usize, value: u8) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    data.try_reserve_exact(len).map_err(|_| ImageError::OutOfMemory { bytes: len })?;
    data.resize(len, value);
    Ok(data)
}

/// `len` zero bytes, or [`ImageError::OutOfMemory`], for an output that a
/// kernel then writes whole: written by the pool's threads side by side.
pub fn try_alloc_zeroed(len: usize) -> Result<Vec<u8>> {
    crate::parallel::zeroed(len)
}

/// A copy of `bytes`, or [`ImageError::OutOfMemory`]: one pass over memory
/// (a kernel's snapshot of the pixels it overwrites), where `try_alloc`
/// then `copy_from_slice` would fill the memory first; shared by the pool's
/// threads when there are some.
pub fn try_copy(bytes: &[u8]) -> Result<Vec<u8>> {
    crate::parallel::copied(bytes)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RgbaBuffer {
    width: u32,
    height: u32,
    data: Vec<u8>,
}

impl RgbaBuffer {
    /// A transparent black image.
    pub fn new(width: u32, height: u32) -> Result<Self> {
        Self::filled(width, height, [0, 0, 0, 0])
    }

    pub fn filled(width: u32, height: u32, colour: Rgba) -> Result<Self> {
        let len = checked_len(width, height)?;
        let mut data = try_alloc(len, 0)?;
        if colour != [0, 0, 0, 0] {
            for pixel in data.chunks_exact_mut(BYTES_PER_PIXEL) {
                pixel.copy_from_slice(&colour);
            }
        }
        Ok(Self { width, height, data })
    }

    /// Copies `bytes` (RGBA, row-major) into a new image.
    pub fn from_rgba(width: u32, height: u32, bytes: &[u8]) -> Result<Self> {
        let len = checked_len(width, height)?;
        if bytes.len() != len {
            return Err(ImageError::WrongLength {
                bytes_per_pixel: BYTES_PER_PIXEL,
                expected: len,
                actual: bytes.len(),
            });
        }
        let mut data = Vec::new();
        data.try_reserve_exact(len).map_err(|_| ImageError::OutOfMemory { bytes: len })?;
        data.extend_from_slice(bytes);
        Ok(Self { width, height, data })
    }

    /// Takes ownership of `data`, which must already have the right length.
    pub fn from_vec(width: u32, height: u32, data: Vec<u8>) -> Result<Self> {
        let len = checked_len(width, height)?;
        if data.len() != len {
            return Err(ImageError::WrongLength {
                bytes_per_pixel: BYTES_PER_PIXEL,
                expected: len,
                actual: data.len(),
            });
        }
        Ok(Self { width, height, data })
    }

    pub fn width(&self) -> u32 {
        self.width
    }

    pub fn height(&self) -> u32 {
        self.height
    }

    /// Bytes from one row to the next.
    pub fn stride(&self) -> usize {
        self.width as usize * BYTES_PER_PIXEL
    }

    pub fn data(&self) -> &[u8] {
        &self.data
    }

    pub fn data_mut(&mut self) -> &mut [u8] {
        &mut self.data
    }

    pub fn whole(&self) -> Rect {
        Rect::new(0, 0, self.width, self.height)
    }

    fn offset(&self, x: u32, y: u32) -> usize {
        (y as usize * self.width as usize + x as usize) * BYTES_PER_PIXEL
    }

    pub fn check_point(&self, x: i64, y: i64) -> Result<(u32, u32)> {
        if x < 0 || y < 0 || x >= i64::from(self.width) || y >= i64::from(self.height) {
            return Err(ImageError::PointOutside { x, y, width: self.width, height: self.height });
        }
        Ok((x as u32, y as u32))
    }

    /// The part of `area` inside the image, or `None` if nothing of it is.
    pub fn clip(&self, area: Area) -> Option<Rect> {
        let (x0, y0) = (area.x.max(0), area.y.max(0));
        let x1 = area.x.saturating_add(area.width).min(i64::from(self.width));
        let y1 = area.y.saturating_add(area.height).min(i64::from(self.height));
        (x0 < x1 && y0 < y1).then(|| Rect::new(x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32))
    }

    pub fn get_pixel(&self, x: i64, y: i64) -> Result<Rgba> {
        let (x, y) = self.check_point(x, y)?;
        let at = self.offset(x, y);
        Ok([self.data[at], self.data[at + 1], self.data[at + 2], self.data[at + 3]])
    }

    pub fn set_pixel(&mut self, x: i64, y: i64, colour: Rgba) -> Result<()> {
        let (x, y) = self.check_point(x, y)?;
        let at = self.offset(x, y);
        self.data[at..at + BYTES_PER_PIXEL].copy_from_slice(&colour);
        Ok(())
    }

    /// The pixels of each row of `rect`, top to bottom (`rect` already checked).
    pub fn rect_rows_mut(&mut self, rect: Rect) -> impl Iterator<Item = &mut [u8]> {
        let stride = self.stride();
        let start = rect.x as usize * BYTES_PER_PIXEL;
        let end = start + rect.width as usize * BYTES_PER_PIXEL;
        self.data
            .chunks_exact_mut(stride)
            .skip(rect.y as usize)
            .take(rect.height as usize)
            .map(move |row| &mut row[start..end])
    }

    pub fn rect_rows(&self, rect: Rect) -> impl Iterator<Item = &[u8]> {
        let stride = self.stride();
        let start = rect.x as usize * BYTES_PER_PIXEL;
        let end = start + rect.width as usize * BYTES_PER_PIXEL;
        self.data.chunks_exact(stride).skip(rect.y as usize).take(rect.height as usize).map(move |row| &row[start..end])
    }

    /// Runs a per-pixel kernel over every row of `rect`.
    pub fn for_each_row(&mut self, rect: Rect, mut kernel: impl FnMut(&mut [u8])) {
        for row in self.rect_rows_mut(rect) {
            kernel(row);
        }
    }

    /// A new image of the size of `area` holding its pixels; the parts of
    /// `area` outside this image are transparent black (Pillow's `crop`).
    pub fn crop(&self, area: Area) -> Result<Self> {
        let (width, height) = (side_of(area.width), side_of(area.height));
        let mut cropped = Self::new(width, height)?;
        cropped.paste(self, -area.x, -area.y);
        Ok(cropped)
    }

    /// Writes `source` over this image with its top-left corner at (`x`, `y`),
    /// replacing pixels; the parts outside this image are left out.
    pub fn paste(&mut self, source: &Self, x: i64, y: i64) {
        self.for_each_placed_row(self.whole(), source.size(), x, y, |to, column, row| {
            to.copy_from_slice(source.span(column, row, to.len() / BYTES_PER_PIXEL));
        });
    }

    pub fn size(&self) -> (u32, u32) {
        (self.width, self.height)
    }

    /// The bytes of `width` pixels of row `y` from column `x` (inside).
    pub fn span(&self, x: usize, y: usize, width: usize) -> &[u8] {
        let start = (y * self.width as usize + x) * BYTES_PER_PIXEL;
        &self.data[start..start + width * BYTES_PER_PIXEL]
    }

    /// Calls `kernel` with each row of this image, within `within`, that a
    /// picture of `size` placed with its top-left corner at (`x`, `y`)
    /// covers, and the picture's column and row that the row starts at.
    /// What falls outside `within` is left out, as Pillow's `paste` clips.
    pub fn for_each_placed_row(
        &mut self,
        within: Rect,
        size: (u32, u32),
        x: i64,
        y: i64,
        mut kernel: impl FnMut(&mut [u8], usize, usize),
    ) {
        let placed = Area::new(x, y, i64::from(size.0), i64::from(size.1));
        let (x0, y0) = (placed.x.max(i64::from(within.x)), placed.y.max(i64::from(within.y)));
        let x1 = placed.x.saturating_add(placed.width).min(i64::from(within.x) + i64::from(within.width));
        let y1 = placed.y.saturating_add(placed.height).min(i64::from(within.y) + i64::from(within.height));
        if x0 >= x1 || y0 >= y1 {
            return;
        }
        let rect = Rect::new(x0 as u32, y0 as u32, (x1 - x0) as u32, (y1 - y0) as u32);
        let (column, first_row) = ((x0 - x) as usize, (y0 - y) as usize);
        for (index, row) in self.rect_rows_mut(rect).enumerate() {
            kernel(row, column, first_row + index);
        }
    }

    /// Runs a whole-image kernel on a copy of `rect` and writes the result back,
    /// so the kernel sees the rectangle's own edges as the image edges.
    pub fn apply_in_rect(&mut self, rect: Rect, kernel: impl FnOnce(&mut Self) -> Result<()>) -> Result<()> {
        if rect == self.whole() {
            return kernel(self);
        }
        let mut region = self.crop(rect.into())?;
        kernel(&mut region)?;
        self.paste(&region, rect.x.into(), rect.y.into());
        Ok(())
    }

    pub fn fill(&mut self, rect: Rect, colour: Rgba) {
        self.for_each_row(rect, |row| {
            for pixel in row.chunks_exact_mut(BYTES_PER_PIXEL) {
                pixel.copy_from_slice(&colour);
            }
        });
    }
}

/// Sample pixels for the kernel modules' tests.
#[cfg(test)]
pub mod samples {
    /// A `width` x `height` opaque image whose red byte numbers its pixels.
    pub fn numbered(width: usize, height: usize) -> Vec<u8> {
        (0..width * height).flat_map(|i| [i as u8, 0, 0, 255]).collect()
    }

    /// The red byte of each pixel.
    pub fn reds(data: &[u8]) -> Vec<u8> {
        data.chunks_exact(4).map(|p| p[0]).collect()
    }

    /// One opaque grey pixel per value.
    pub fn grey_row(values: &[u8]) -> Vec<u8> {
        values.iter().flat_map(|&v| [v, v, v, 255]).collect()
    }

    pub const RED: super::Rgba = [255, 0, 0, 255];
    pub const BLUE: super::Rgba = [0, 0, 255, 255];

    /// The image as rows of text: `#` for red pixels, `o` for blue, `.`
    /// for the rest.
    pub fn drawn(image: &super::RgbaBuffer) -> Vec<String> {
        image
            .data()
            .chunks_exact(image.stride())
            .map(|row| {
                row.chunks_exact(4)
                    .map(|p| match [p[0], p[1], p[2], p[3]] {
                        RED => '#',
                        BLUE => 'o',
                        _ => '.',
                    })
                    .collect()
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_image_is_transparent_black() {
        let image = RgbaBuffer::new(3, 2).unwrap();
        assert_eq!(image.data(), &[0; 24]);
        assert_eq!(image.stride(), 12);
    }

    #[test]
    fn filled_image_repeats_the_colour() {
        let image = RgbaBuffer::filled(2, 1, [1, 2, 3, 4]).unwrap();
        assert_eq!(image.data(), &[1, 2, 3, 4, 1, 2, 3, 4]);
    }

    #[test]
    fn numbers_show_as_messages_need_them() {
        let shown = |value: f64| Number(value).to_string();
        assert_eq!(shown(f64::NAN), "NaN");
        assert_eq!(shown(f64::NEG_INFINITY), "-inf");
        assert_eq!(shown(0.0), "0");
        assert_eq!(shown(-1.0), "-1");
        assert_eq!(shown(-0.5), "-0.5");
        assert_eq!(shown(2.25), "2.25");
        assert_eq!(shown(0.1), "0.1");
        assert_eq!(shown(1.0 / 3.0), "0.333333");
        assert_eq!(shown(0.9999999), "1");
        assert_eq!(shown(4_503_599_627_370_496.0), "4503599627370496");
        assert_eq!(shown(33_554_432.5), "33554432.5");
        assert_eq!(shown(1e20), "1e20");
        assert_eq!(shown(1e300), "1e300");
        assert_eq!(shown(-2.5e-9), "-2.5e-9");
        assert_eq!(shown(9.9999999e20), "1e21");
        assert_eq!(shown(f64::MAX), "1.797693e308");
        assert_eq!(shown(5e-324), "4.940656e-324");
    }

    #[test]
    fn sizes_are_checked_against_the_limits() {
        assert_eq!(checked_len(0, 5), Err(ImageError::ZeroSize { width: 0, height: 5 }));
        assert_eq!(checked_len(MAX_SIDE + 1, 1), Err(ImageError::SideTooLarge { name: "width", value: MAX_SIDE + 1 }));
        assert_eq!(checked_len(1, u32::MAX), Err(ImageError::SideTooLarge { name: "height", value: u32::MAX }));
        assert_eq!(
            checked_len(MAX_SIDE, MAX_SIDE),
            Err(ImageError::TooManyPixels { width: MAX_SIDE, height: MAX_SIDE })
        );
        assert_eq!(checked_len(8192, 8192), Ok(8192 * 8192 * 4));
        assert!(checked_len(0, 0).unwrap_err().to_string().contains("at least 1, got 0x0"));
        assert!(checked_len(20000, 1).unwrap_err().to_string().contains("width must be at most 16384, got 20000"));
    }

    #[test]
    fn numbers_in_messages_stay_short() {
        let shown = |value| ImageError::BadNumber { name: "n", value, expected: "x" }.to_string();
        assert_eq!(shown(1e300), "n must be x, got 1e300");
        assert_eq!(shown(-1e20), "n must be x, got -1e20");
        assert_eq!(shown(4503599627370496.0), "n must be x, got 4503599627370496");
        assert_eq!(shown(-0.5), "n must be x, got -0.5");
        assert_eq!(shown(1e-9), "n must be x, got 1e-9");
        assert_eq!(shown(f64::NAN), "n must be x, got NaN");
    }

    #[test]
    fn from_rgba_checks_the_length() {
        let err = RgbaBuffer::from_rgba(2, 2, &[0; 15]).unwrap_err();
        assert_eq!(err.to_string(), "pixel data must be width*height*4 = 16 bytes long, got 15");
        let image = RgbaBuffer::from_rgba(1, 1, &[9, 8, 7, 6]).unwrap();
        assert_eq!(image.get_pixel(0, 0), Ok([9, 8, 7, 6]));
    }

    #[test]
    fn pixels_outside_are_refused() {
        let mut image = RgbaBuffer::new(2, 2).unwrap();
        assert!(image.get_pixel(2, 0).is_err());
        assert!(image.get_pixel(-1, 0).is_err());
        let err = image.set_pixel(0, 5, [0; 4]).unwrap_err();
        assert_eq!(err.to_string(), "point (0, 5) is outside the 2x2 image (x must be in 0..2, y in 0..2)");
        image.set_pixel(1, 1, [1, 2, 3, 4]).unwrap();
        assert_eq!(&image.data()[12..], &[1, 2, 3, 4]);
    }

    #[test]
    fn areas_are_clipped_to_the_image() {
        let image = RgbaBuffer::new(4, 3).unwrap();
        assert_eq!(image.clip(Area::new(0, 0, 4, 3)), Some(image.whole()));
        assert_eq!(image.clip(Area::new(1, 1, 4, 1)), Some(Rect::new(1, 1, 3, 1)));
        assert_eq!(image.clip(Area::new(-2, -5, 3, 7)), Some(Rect::new(0, 0, 1, 2)));
        assert_eq!(image.clip(Area::new(0, 0, 0, 1)), None);
        assert_eq!(image.clip(Area::new(4, 0, 2, 1)), None);
        assert_eq!(image.clip(Area::new(i64::MAX, 0, i64::MAX, 1)), None);
    }

    #[test]
    fn crop_and_paste_round_trip() {
        let data: Vec<u8> = (0..48).collect();
        let mut image = RgbaBuffer::from_rgba(4, 3, &data).unwrap();
        let part = image.crop(Area::new(1, 1, 2, 2)).unwrap();
        assert_eq!(part.data(), &[20, 21, 22, 23, 24, 25, 26, 27, 36, 37, 38, 39, 40, 41, 42, 43]);
        let blank = RgbaBuffer::new(2, 2).unwrap();
        image.paste(&blank, 2, 1);
        assert_eq!(image.get_pixel(3, 2), Ok([0; 4]));
        assert_eq!(image.get_pixel(1, 2), Ok([36, 37, 38, 39]));
    }

    #[test]
    fn crop_outside_is_transparent_and_paste_clips() {
        let data: Vec<u8> = (1..=16).collect();
        let mut image = RgbaBuffer::from_rgba(2, 2, &data).unwrap();
        let part = image.crop(Area::new(1, -1, 2, 2)).unwrap();
        assert_eq!(part.data(), &[0, 0, 0, 0, 0, 0, 0, 0, 5, 6, 7, 8, 0, 0, 0, 0]);
        assert!(image.crop(Area::new(0, 0, 0, 2)).is_err());
        let stamp = RgbaBuffer::filled(3, 3, [9; 4]).unwrap();
        image.paste(&stamp, -2, 1);
        assert_eq!(image.data(), &[1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 9, 13, 14, 15, 16]);
        image.paste(&stamp, 2, 0);
        image.paste(&stamp, -3, -3);
        assert_eq!(image.get_pixel(1, 1), Ok([13, 14, 15, 16]));
    }

    #[test]
    fn fill_covers_only_the_rectangle() {
        let mut image = RgbaBuffer::new(3, 3).unwrap();
        image.fill(Rect::new(1, 1, 2, 1), [5; 4]);
        assert_eq!(image.get_pixel(0, 1), Ok([0; 4]));
        assert_eq!(image.get_pixel(1, 1), Ok([5; 4]));
        assert_eq!(image.get_pixel(2, 1), Ok([5; 4]));
        assert_eq!(image.get_pixel(1, 2), Ok([0; 4]));
    }
}
