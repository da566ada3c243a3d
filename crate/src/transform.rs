//! Pillow's `Image.transform` (affine, extent, perspective and quad maps,
//! sampled with NEAREST, BILINEAR or BICUBIC) and `Image.rotate` by any
//! angle, after Pillow's `Geometry.c` and `Image.rotate`: each output
//! pixel's centre is mapped into the source image and sampled there; pixels
//! that map outside it keep the fill colour.

use crate::buffer::{BYTES_PER_PIXEL, Result, Rgba, checked_len, try_alloc};
use crate::channels::{Channels, Lanes};
use crate::colour::{all_opaque, premultiply_alpha, unpremultiply_alpha};
use crate::geometry::Transpose;
use crate::parallel::for_each_band;
use crate::resample_wide::Wide;

/// Pillow's `Image.Transform` methods with their data.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Mapping {
    /// `[a, b, c, d, e, f]`: output (x, y) samples the source at
    /// (a x + b y + c, d x + e y + f).
    Affine([f64; 6]),
    /// The source rectangle `[x0, y0, x1, y1]` stretched over the output.
    Extent([f64; 4]),
    /// `[a, b, c, d, e, f, g, h]`: as `Affine`, both divided by g x + h y + 1.
    Perspective([f64; 8]),
    /// The source quadrilateral's corners, upper left, lower left, lower
    /// right, upper right (`[x, y]` each), onto the output's corners.
    Quad([f64; 8]),
}

/// Pillow's `Image.Transform` methods (MESH aside), to build a [`Mapping`]
/// from a method's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Affine,
    Extent,
    Perspective,
    Quad,
}

impl Method {
    pub const ALL: [(u32, &'static str, Method); 4] = [
        (0, "AFFINE", Self::Affine),
        (1, "EXTENT", Self::Extent),
        (2, "PERSPECTIVE", Self::Perspective),
        (3, "QUAD", Self::Quad),
    ];

    /// How many numbers the method's data holds.
    pub fn data_len(self) -> usize {
        match self {
            Self::Affine => 6,
            Self::Extent => 4,
            Self::Perspective | Self::Quad => 8,
        }
    }

    /// The mapping for `data`, [`Method::data_len`] numbers long.
    pub fn mapping(self, data: &[f64]) -> Mapping {
        let take = |i: usize| data[i];
        match self {
            Self::Affine => Mapping::Affine(std::array::from_fn(take)),
            Self::Extent => Mapping::Extent(std::array::from_fn(take)),
            Self::Perspective => Mapping::Perspective(std::array::from_fn(take)),
            Self::Quad => Mapping::Quad(std::array::from_fn(take)),
        }
    }
}

/// The filters Pillow's transforms sample with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sampling {
    Nearest,
    Bilinear,
    Bicubic,
}

/// A new `width` x `height` image: Pillow's `transform(size, method, data,
/// resample, fillcolor)` of the RGBA image `source`. Pixels that map outside
/// the source are `fill` (transparent black without one). Like Pillow, the
/// filtering samplers work on premultiplied colours, so the fill is
/// unpremultiplied with the rest.
pub fn transform(
    source: &[u8],
    source_width: usize,
    source_height: usize,
    (width, height): (u32, u32),
    mapping: Mapping,
    sampling: Sampling,
    fill: Option<Rgba>,
) -> Result<Vec<u8>> {
    let mut out = try_alloc(checked_len(width, height)?, 0)?;
    let (width, height) = (width as usize, height as usize);
    let map = Map::of(mapping, width, height);
    if sampling == Sampling::Nearest {
        fill_with(&mut out, fill);
        let image = Source { data: source, width: source_width, height: source_height };
        match map {
            Map::Affine(a) => affine_nearest(&image, &mut out, width, a)?,
            _ => sample_each(&image, &mut out, width, map, nearest)?,
        }
        return Ok(out);
    }
    // Premultiplying leaves opaque pixels alone, and every sample of opaque
    // pixels is opaque, which unpremultiplying leaves alone: for an opaque
    // source (every RGB image) the two passes could only change the fill,
    // which is unpremultiplied once instead.
    let opaque = all_opaque(source);
    let premultiplied;
    let (pixels, fill) = if opaque {
        (source, fill.map(unpremultiplied))
    } else {
        let mut copy = try_alloc(source.len(), 0)?;
        copy.copy_from_slice(source);
        premultiply_alpha(&mut copy);
        premultiplied = copy;
        (&premultiplied[..], fill)
    };
    fill_with(&mut out, fill);
    let image = Source { data: pixels, width: source_width, height: source_height };
    if sampling == Sampling::Bilinear {
        filter_with::<Bilinear>(&image, &mut out, width, map)?;
    } else {
        filter_with::<Bicubic>(&image, &mut out, width, map)?;
    }
    if !opaque {
        unpremultiply_alpha(&mut out);
    }
    Ok(out)
}

fn fill_with(out: &mut [u8], fill: Option<Rgba>) {
    if let Some(colour) = fill {
        for pixel in out.chunks_exact_mut(BYTES_PER_PIXEL) {
            pixel.copy_from_slice(&colour);
        }
    }
}

fn unpremultiplied(mut colour: Rgba) -> Rgba {
    unpremultiply_alpha(&mut colour);
    colour
}

/// `transform` of an "I" or "F" image (`kind`; `source` its bytes, width
/// and height), sampled BILINEAR or BICUBIC
/// as Pillow's 32-bit filters sample: on the values themselves, with no
/// alpha to premultiply, truncated to an int for "I" (bicubic unclipped).
/// NEAREST copies 4 bytes a pixel whatever they hold: use `transform`.
pub fn transform_wide(
    (source, source_width, source_height): (&[u8], usize, usize),
    (width, height): (u32, u32),
    mapping: Mapping,
    sampling: Sampling,
    fill: Rgba,
    kind: Wide,
) -> Result<Vec<u8>> {
    let mut out = try_alloc(checked_len(width, height)?, 0)?;
    for pixel in out.chunks_exact_mut(BYTES_PER_PIXEL) {
        pixel.copy_from_slice(&fill);
    }
    let (width, height) = (width as usize, height as usize);
    let map = Map::of(mapping, width, height);
    let image = Source { data: source, width: source_width, height: source_height };
    let out_image = &mut out;
    match (sampling, kind) {
        (Sampling::Nearest, _) => sample_each(&image, out_image, width, map, nearest),
        (Sampling::Bilinear, Wide::Int) => sample_each(&image, out_image, width, map, bilinear_wide::<false>),
        (Sampling::Bilinear, Wide::Float) => sample_each(&image, out_image, width, map, bilinear_wide::<true>),
        (Sampling::Bicubic, Wide::Int) => sample_each(&image, out_image, width, map, bicubic_wide::<false>),
        (Sampling::Bicubic, Wide::Float) => sample_each(&image, out_image, width, map, bicubic_wide::<true>),
    }?;
    Ok(out)
}

fn wide_kind<const FLOAT: bool>() -> Wide {
    if FLOAT { Wide::Float } else { Wide::Int }
}

/// The first stage of Pillow's 32-bit filters works in the pixels' own
/// type (`in[x1] - in[x0]` is an `INT32` or a `FLOAT32` sum in C; ints
/// wrap as C's do in practice), and only then in double.
fn first_stage_lerp<const FLOAT: bool>(a: &[u8], b: &[u8], d: f64) -> f64 {
    if FLOAT {
        let (a, b) = (read_f32(a), read_f32(b));
        f64::from(a) + f64::from(b - a) * d
    } else {
        let (a, b) = (read_i32(a), read_i32(b));
        f64::from(a) + f64::from(b.wrapping_sub(a)) * d
    }
}

/// Pillow's `BICUBIC` macro on four pixels of one row (see
/// `first_stage_lerp` for the types).
fn first_stage_cubic<const FLOAT: bool>(taps: [&[u8]; 4], d: f64) -> f64 {
    let (p1, p2, p3, p4) = if FLOAT {
        let [v1, v2, v3, v4] = taps.map(read_f32);
        (f64::from(v2), f64::from(-v1 + v3), f64::from(2.0 * (v1 - v2) + v3 - v4), f64::from(-v1 + v2 - v3 + v4))
    } else {
        let [v1, v2, v3, v4] = taps.map(read_i32);
        (
            f64::from(v2),
            f64::from(v3.wrapping_sub(v1)),
            f64::from(v1.wrapping_sub(v2).wrapping_mul(2).wrapping_add(v3).wrapping_sub(v4)),
            f64::from(v2.wrapping_sub(v1).wrapping_sub(v3).wrapping_add(v4)),
        )
    };
    p1 + d * (p2 + d * (p3 + d * p4))
}

fn read_f32(bytes: &[u8]) -> f32 {
    f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

fn read_i32(bytes: &[u8]) -> i32 {
    i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
}

/// Pillow's `bilinear_filter32I` and `bilinear_filter32F`.
fn bilinear_wide<const FLOAT: bool>(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
    if !image.holds(x, y) {
        return false;
    }
    let (x, y) = (x - 0.5, y - 0.5);
    let (left, top) = (x.floor(), y.floor());
    let (dx, dy) = (x - left, y - top);
    let (left, top) = (left as i64, top as i64);
    let upper = image.clamped_row(top);
    let (x0, x1) = (image.clamp_x(left), image.clamp_x(left + 1));
    let v1 = first_stage_lerp::<FLOAT>(&upper[x0..], &upper[x1..], dx);
    let v2 = if image.has_row(top + 1) {
        let lower = image.clamped_row(top + 1);
        first_stage_lerp::<FLOAT>(&lower[x0..], &lower[x1..], dx)
    } else {
        v1
    };
    write_truncated(wide_kind::<FLOAT>(), v1 + (v2 - v1) * dy, out);
    true
}

/// Pillow's `bicubic_filter32I` and `bicubic_filter32F` (rows outside the
/// image repeat the row value before, as there).
fn bicubic_wide<const FLOAT: bool>(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
    if !image.holds(x, y) {
        return false;
    }
    let (x, y) = (x - 0.5, y - 0.5);
    let (left, top) = (x.floor(), y.floor());
    let (dx, dy) = (x - left, y - top);
    let (left, top) = (left as i64 - 1, top as i64 - 1);
    let columns: [usize; 4] = std::array::from_fn(|i| image.clamp_x(left + i as i64));
    let row_value = |row: &[u8]| first_stage_cubic::<FLOAT>(columns.map(|at| &row[at..]), dx);
    let mut values = [row_value(image.clamped_row(top)); 4];
    for i in 1..4 {
        values[i] =
            if image.has_row(top + i as i64) { row_value(image.clamped_row(top + i as i64)) } else { values[i - 1] };
    }
    let [v1, v2, v3, v4] = values;
    write_truncated(wide_kind::<FLOAT>(), cubic(v1, v2, v3, v4, dy), out);
    true
}

/// C's `(INT32)v` (saturating here where C's is undefined) or `(FLOAT32)v`.
fn write_truncated(kind: Wide, value: f64, out: &mut [u8]) {
    match kind {
        Wide::Int => out.copy_from_slice(&(value as i32).to_le_bytes()),
        Wide::Float => out.copy_from_slice(&(value as f32).to_le_bytes()),
    }
}

/// The maps Pillow computes with, EXTENT and QUAD turned into their
/// coefficients for an output of `width` x `height` as `Image.transform` does.
#[derive(Debug, Clone, Copy)]
enum Map {
    Affine([f64; 6]),
    Perspective([f64; 8]),
    Quad([f64; 8]),
}

impl Map {
    fn of(mapping: Mapping, width: usize, height: usize) -> Self {
        let (w, h) = (width as f64, height as f64);
        match mapping {
            Mapping::Affine(a) => Self::Affine(a),
            Mapping::Perspective(a) => Self::Perspective(a),
            Mapping::Extent([x0, y0, x1, y1]) => Self::Affine([(x1 - x0) / w, 0.0, x0, 0.0, (y1 - y0) / h, y0]),
            Mapping::Quad([x0, y0, sw_x, sw_y, se_x, se_y, ne_x, ne_y]) => {
                let (along, down) = (1.0 / w, 1.0 / h);
                Self::Quad([
                    x0,
                    (ne_x - x0) * along,
                    (sw_x - x0) * down,
                    (se_x - sw_x - ne_x + x0) * along * down,
                    y0,
                    (ne_y - y0) * along,
                    (sw_y - y0) * down,
                    (se_y - sw_y - ne_y + y0) * along * down,
                ])
            }
        }
    }

    /// Where the centre of output pixel (x, y) falls in the source, in
    /// Pillow's order of operations.
    #[inline(always)]
    fn at(&self, x: usize, y: usize) -> (f64, f64) {
        let (x, y) = (x as f64 + 0.5, y as f64 + 0.5);
        match *self {
            Self::Affine(a) => (a[0] * x + a[1] * y + a[2], a[3] * x + a[4] * y + a[5]),
            Self::Perspective(a) => {
                let divisor = a[6] * x + a[7] * y + 1.0;
                ((a[0] * x + a[1] * y + a[2]) / divisor, (a[3] * x + a[4] * y + a[5]) / divisor)
            }
            Self::Quad(a) => (a[0] + a[1] * x + a[2] * y + a[3] * x * y, a[4] + a[5] * x + a[6] * y + a[7] * x * y),
        }
    }
}

struct Source<'a> {
    data: &'a [u8],
    width: usize,
    height: usize,
}

impl Source<'_> {
    fn row(&self, y: usize) -> &[u8] {
        let stride = self.width * BYTES_PER_PIXEL;
        &self.data[y * stride..(y + 1) * stride]
    }

    /// The `N` bytes from `at`.
    #[inline(always)]
    fn bytes<const N: usize>(&self, at: usize) -> &[u8; N] {
        self.data[at..at + N].try_into().expect("a slice of N bytes")
    }

    fn clamp_x(&self, x: i64) -> usize {
        x.clamp(0, self.width as i64 - 1) as usize * BYTES_PER_PIXEL
    }

    fn clamped_row(&self, y: i64) -> &[u8] {
        self.row(y.clamp(0, self.height as i64 - 1) as usize)
    }

    fn has_row(&self, y: i64) -> bool {
        (0..self.height as i64).contains(&y)
    }

    /// Whether a sampling position lies in the image (a NaN, which a
    /// degenerate perspective gives, does not).
    fn holds(&self, x: f64, y: f64) -> bool {
        x >= 0.0 && x < self.width as f64 && y >= 0.0 && y < self.height as f64
    }
}

/// Pillow's `COORD`: the pixel a coordinate falls in, -1 left of the image
/// (and for NaN); beyond `i64` saturates, outside the image either way.
#[inline(always)]
fn pixel_index(value: f64) -> i64 {
    if value < 0.0 || value.is_nan() { -1 } else { value as i64 }
}

/// Samples every output pixel where `map` sends it; pixels outside the
/// source keep what `out` holds. Generic over the sampler so that it is
/// inlined into the loop rather than called through a pointer.
#[inline(never)]
fn sample_each<S>(image: &Source, out: &mut [u8], width: usize, map: Map, sampler: S) -> Result<()>
where
    S: Fn(&Source, f64, f64, &mut [u8]) -> bool + Sync,
{
    if width == 0 {
        return Ok(());
    }
    let stride = width * BYTES_PER_PIXEL;
    for_each_band(out, stride, |first_row, band| {
        for (y, row) in band.chunks_exact_mut(stride).enumerate() {
            for (x, pixel) in row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
                let (source_x, source_y) = map.at(x, first_row + y);
                sampler(image, source_x, source_y, pixel);
            }
        }
        Ok(())
    })
}

fn nearest(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
    let (x, y) = (pixel_index(x), pixel_index(y));
    if x < 0 || x >= image.width as i64 || y < 0 || y >= image.height as i64 {
        return false;
    }
    let at = x as usize * BYTES_PER_PIXEL;
    out.copy_from_slice(&image.row(y as usize)[at..at + BYTES_PER_PIXEL]);
    true
}

/// Pillow's bilinear sampler: edge pixels repeated, the result truncated.
fn bilinear(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
    if !image.holds(x, y) {
        return false;
    }
    let (x, y) = (x - 0.5, y - 0.5);
    let (left, top) = (x.floor(), y.floor());
    let (dx, dy) = (x - left, y - top);
    let (left, top) = (left as i64, top as i64);
    let upper = image.clamped_row(top);
    // Pillow reuses the upper row's value below the image: the same as
    // reading that row again.
    let lower = if image.has_row(top + 1) { image.clamped_row(top + 1) } else { upper };
    let (x0, x1) = (image.clamp_x(left), image.clamp_x(left + 1));
    let taps = [&upper[x0..x0 + 4], &upper[x1..x1 + 4], &lower[x0..x0 + 4], &lower[x1..x1 + 4]];
    for (c, value) in out.iter_mut().enumerate().take(BYTES_PER_PIXEL) {
        let [a, b, p, q] = taps.map(|tap| f64::from(tap[c]));
        *value = mix(mix(a, b, dx), mix(p, q, dx), dy) as u8;
    }
    true
}

/// Pillow's bicubic sampler (a = -1): columns outside the image repeat the
/// edge; the first row is clamped into the image, and each later one
/// outside it repeats the row before (as Pillow reuses that row's value);
/// clipped, then truncated.
fn bicubic(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
    if !image.holds(x, y) {
        return false;
    }
    let (x, y) = (x - 0.5, y - 0.5);
    let (left, top) = (x.floor(), y.floor());
    let (dx, dy) = (x - left, y - top);
    let (left, top) = (left as i64 - 1, top as i64 - 1);
    let mut rows = [image.clamped_row(top); 4];
    for i in 1..4 {
        if image.has_row(top + i as i64) {
            rows[i] = image.clamped_row(top + i as i64);
        } else {
            rows[i] = rows[i - 1];
        }
    }
    let columns: [usize; 4] = std::array::from_fn(|i| image.clamp_x(left + i as i64));
    for (c, value) in out.iter_mut().enumerate().take(BYTES_PER_PIXEL) {
        let [v1, v2, v3, v4] = rows.map(|row| {
            let [a, b, p, q] = columns.map(|at| f64::from(row[at + c]));
            cubic(a, b, p, q, dx)
        });
        let v = cubic(v1, v2, v3, v4, dy);
        *value = if v <= 0.0 {
            0
        } else if v >= 255.0 {
            255
        } else {
            v as u8
        };
    }
    true
}

/// Pillow's linear interpolation from `a` towards `b`.
#[inline(always)]
fn mix<T: Lanes>(a: T, b: T, d: T) -> T {
    a + (b - a) * d
}

/// Pillow's cubic interpolation (a = -1) between `v2` and `v3`.
#[inline(always)]
fn cubic<T: Lanes>(v1: T, v2: T, v3: T, v4: T, d: T) -> T {
    let p2 = -v1 + v3;
    let p3 = T::from(2.0) * (v1 - v2) + v3 - v4;
    let p4 = -v1 + v2 - v3 + v4;
    v2 + d * (p2 + d * (p3 + d * p4))
}

/// A filtering sampler in its two forms: for any point (the reference,
/// repeating edge pixels), and for a point whose taps all lie inside the
/// image, which needs no clamping and mixes the four channels at once with
/// the same operations.
trait Filter {
    /// The taps before (left of, above) the pixel a point falls in, and
    /// the taps across.
    const BEFORE: i64;
    const TAPS: usize;

    fn sample(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool;

    /// The value at fractions `dx`, `dy` of taps starting at column `left`,
    /// row `top`, all inside the image.
    fn inside(image: &Source, left: usize, top: usize, dx: f64, dy: f64) -> [u8; 4];
}

struct Bilinear;

impl Filter for Bilinear {
    const BEFORE: i64 = 0;
    const TAPS: usize = 2;

    #[inline(always)]
    fn sample(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
        bilinear(image, x, y, out)
    }

    #[inline(always)]
    fn inside(image: &Source, left: usize, top: usize, dx: f64, dy: f64) -> [u8; 4] {
        let stride = image.width * BYTES_PER_PIXEL;
        let at = top * stride + left * BYTES_PER_PIXEL;
        let [a, b] = Channels::two(image.bytes(at));
        let [p, q] = Channels::two(image.bytes(at + stride));
        let (dx, dy) = (Channels::from(dx), Channels::from(dy));
        // Mixes of bytes with weights in 0..1 stay within 0..=255.
        mix(mix(a, b, dx), mix(p, q, dx), dy).bytes_of_range()
    }
}

struct Bicubic;

impl Filter for Bicubic {
    const BEFORE: i64 = 1;
    const TAPS: usize = 4;

    #[inline(always)]
    fn sample(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
        bicubic(image, x, y, out)
    }

    /// Clipping to 0..=255 before truncating is what truncating to a byte
    /// does (see `Channels::to_bytes`).
    #[inline(always)]
    fn inside(image: &Source, left: usize, top: usize, dx: f64, dy: f64) -> [u8; 4] {
        let stride = image.width * BYTES_PER_PIXEL;
        let at = top * stride + left * BYTES_PER_PIXEL;
        let dx = Channels::from(dx);
        let [v1, v2, v3, v4] = std::array::from_fn(|row| {
            let [a, b, p, q] = Channels::four(image.bytes(at + row * stride));
            cubic(a, b, p, q, dx)
        });
        cubic(v1, v2, v3, v4, Channels::from(dy)).to_bytes()
    }
}

/// The filter's value at a point: its fast form, the four channels at
/// once, where all its taps lie inside the image; else its reference
/// sampler (edges repeated). False outside the image, or for NaN.
fn filtered<F: Filter>(image: &Source, x: f64, y: f64, out: &mut [u8]) -> bool {
    if !image.holds(x, y) {
        return false;
    }
    let (x_at, y_at) = (x - 0.5, y - 0.5);
    let (column, row) = (x_at.floor(), y_at.floor());
    let (left, top) = (whole(column) - F::BEFORE, whole(row) - F::BEFORE);
    let taps = F::TAPS as i64;
    if left >= 0 && top >= 0 && left + taps <= image.width as i64 && top + taps <= image.height as i64 {
        out[..BYTES_PER_PIXEL].copy_from_slice(&F::inside(
            image,
            left as usize,
            top as usize,
            x_at - column,
            y_at - row,
        ));
        return true;
    }
    F::sample(image, x, y, out)
}

/// A whole number below 2^51 in magnitude (a floored position) as an
/// integer, through 2^52 + 2^51 (it is then in the double's low bits): `as
/// i64` costs a check of its saturation in V8.
#[inline(always)]
fn whole(value: f64) -> i64 {
    const MAGIC: f64 = 6_755_399_441_055_744.0;
    (value + MAGIC).to_bits() as i64 - MAGIC.to_bits() as i64
}

/// Filters every output pixel where `map` sends it.
fn filter_with<F: Filter>(image: &Source, out: &mut [u8], width: usize, map: Map) -> Result<()> {
    match map {
        Map::Affine(a) => affine_filtered::<F>(image, out, width, a),
        _ => sample_each(image, out, width, map, filtered::<F>),
    }
}

/// `sample_each` for an affine map (every rotation): the products of the
/// columns' centres are computed once and those of each row once a row,
/// then summed as Pillow sums them, so the points are Pillow's to the bit;
/// points whose taps all lie inside the image take the filter's fast form.
#[inline(never)]
fn affine_filtered<F: Filter>(image: &Source, out: &mut [u8], width: usize, a: [f64; 6]) -> Result<()> {
    if width == 0 {
        return Ok(());
    }
    let columns: Vec<(f64, f64)> = (0..width)
        .map(|x| {
            let x = x as f64 + 0.5;
            (a[0] * x, a[3] * x)
        })
        .collect();
    let (source_width, source_height) = (image.width as f64, image.height as f64);
    // The first tap's column and row that keep every tap inside (none when
    // the image is narrower than the filter).
    let last_left = image.width.checked_sub(F::TAPS).map_or(-1, |last| last as i64);
    let last_top = image.height.checked_sub(F::TAPS).map_or(-1, |last| last as i64);
    // Where the first tap of every point of a tile lies inside the image,
    // or where every point lies outside it, the tile needs no test a pixel.
    let inside = Span {
        x: (F::BEFORE as f64 + 0.5, last_left as f64 + F::BEFORE as f64 + 1.5),
        y: (F::BEFORE as f64 + 0.5, last_top as f64 + F::BEFORE as f64 + 1.5),
    };
    let image_span = Span { x: (0.0, source_width), y: (0.0, source_height) };
    let stride = width * BYTES_PER_PIXEL;
    for_each_band(out, stride, |first_row, band| {
        // A rotated row of the output crosses hundreds of the source's rows,
        // too many cache lines to find again for the next row: tiles of the
        // output read a patch of the source that stays in cache.
        for (strip_index, strip) in band.chunks_mut(stride * TILE_ROWS).enumerate() {
            let strip_row = first_row + strip_index * TILE_ROWS;
            let rows = strip.len() / stride;
            for tile_start in (0..width).step_by(TILE_COLUMNS) {
                let tile = tile_start..(tile_start + TILE_COLUMNS).min(width);
                let reach = Span::reached_by(&a, (tile.start, tile.end - 1), (strip_row, strip_row + rows - 1));
                if reach.outside(&image_span) {
                    continue;
                }
                let all_inside = reach.within(&inside);
                for (y, row) in strip.chunks_exact_mut(stride).enumerate() {
                    let y = (strip_row + y) as f64 + 0.5;
                    let (along_x, along_y) = (a[1] * y, a[4] * y);
                    let pixels =
                        row[tile.start * BYTES_PER_PIXEL..tile.end * BYTES_PER_PIXEL].chunks_exact_mut(BYTES_PER_PIXEL);
                    let points = pixels.zip(&columns[tile.clone()]);
                    if all_inside {
                        for (pixel, &(across_x, across_y)) in points {
                            let (x_at, y_at) = (across_x + along_x + a[2] - 0.5, across_y + along_y + a[5] - 0.5);
                            let (column, row) = (x_at.floor(), y_at.floor());
                            let (left, top) = (whole(column) - F::BEFORE, whole(row) - F::BEFORE);
                            pixel.copy_from_slice(&F::inside(
                                image,
                                left as usize,
                                top as usize,
                                x_at - column,
                                y_at - row,
                            ));
                        }
                    } else {
                        for (pixel, &(across_x, across_y)) in points {
                            filtered::<F>(image, across_x + along_x + a[2], across_y + along_y + a[5], pixel);
                        }
                    }
                }
            }
        }
        Ok(())
    })
}

/// A range of source coordinates across (`x`) and down (`y`), each from
/// its first value to its second.
struct Span {
    x: (f64, f64),
    y: (f64, f64),
}

impl Span {
    /// The extremes of the points an affine map gives the output pixels
    /// `left..=right` x `top..=bottom`: those of the corner pixels, as the
    /// map is affine, widened by more than the rounding of sums of a few
    /// products of this size can move a point.
    fn reached_by(a: &[f64; 6], (left, right): (usize, usize), (top, bottom): (usize, usize)) -> Self {
        let point = |x: usize, y: usize| {
            let (x, y) = (x as f64 + 0.5, y as f64 + 0.5);
            (a[0] * x + a[1] * y + a[2], a[3] * x + a[4] * y + a[5])
        };
        let corners = [point(left, top), point(right, top), point(left, bottom), point(right, bottom)];
        let magnitude =
            |c: usize| a[c].abs() * (right as f64 + 1.0) + a[c + 1].abs() * (bottom as f64 + 1.0) + a[c + 2].abs();
        let margin = |c: usize| 1.0 / 16.0 + magnitude(c) * f64::EPSILON * 64.0;
        let extremes = |coordinate: fn(&(f64, f64)) -> f64, margin: f64| {
            let values = corners.map(|corner| coordinate(&corner));
            if !values.iter().all(|value| value.is_finite()) {
                // Neither within nor outside anything: each point is tested.
                return (f64::NAN, f64::NAN);
            }
            let low = values.iter().copied().fold(f64::INFINITY, f64::min);
            let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (low - margin, high + margin)
        };
        Self { x: extremes(|corner| corner.0, margin(0)), y: extremes(|corner| corner.1, margin(3)) }
    }

    /// Every point of these extremes lies in `span`, up to (not including)
    /// its end (false when any is NaN).
    fn within(&self, span: &Span) -> bool {
        self.x.0 >= span.x.0 && self.x.1 < span.x.1 && self.y.0 >= span.y.0 && self.y.1 < span.y.1
    }

    /// No point of these extremes lies in `span`, up to (not including)
    /// its end (false when any is NaN).
    fn outside(&self, span: &Span) -> bool {
        self.x.1 < span.x.0 || self.x.0 >= span.x.1 || self.y.1 < span.y.0 || self.y.0 >= span.y.1
    }
}

const TILE_ROWS: usize = 32;
const TILE_COLUMNS: usize = 64;

/// Pillow's three nearest-neighbour engines for affine maps, each with its
/// own arithmetic (so each rounds where Pillow's does): a pure scale walks
/// a table of columns, a map whose corners stay within ±32768 steps in
/// 16.16 fixed point, any other in doubles.
///
/// A band of rows starting at `first` replays the per-row additions of the
/// rows above it (integer ones as one multiplication, which wraps alike),
/// so every row's coordinates are the whole image's to the last bit.
#[inline(never)]
fn affine_nearest(image: &Source, out: &mut [u8], width: usize, a: [f64; 6]) -> Result<()> {
    if width == 0 {
        return Ok(());
    }
    let stride = width * BYTES_PER_PIXEL;
    let (source_width, source_height) = (image.width as i64, image.height as i64);
    let put = |row: &mut [u8], x: usize, source_x: i64, source_y: i64| {
        if (0..source_width).contains(&source_x) && (0..source_height).contains(&source_y) {
            let from = source_x as usize * BYTES_PER_PIXEL;
            let to = x * BYTES_PER_PIXEL;
            row[to..to + BYTES_PER_PIXEL].copy_from_slice(&image.row(source_y as usize)[from..from + BYTES_PER_PIXEL]);
        }
    };
    let replay = |start: f64, step: f64, rows: usize| (0..rows).fold(start, |value, _| value + step);
    if a[1] == 0.0 && a[3] == 0.0 {
        let mut source_x = a[2] + a[0] * 0.5;
        let columns: Vec<i64> = (0..width)
            .map(|_| {
                let column = pixel_index(source_x);
                source_x += a[0];
                column
            })
            .collect();
        return for_each_band(out, stride, |first, band| {
            let mut source_y = replay(a[5] + a[4] * 0.5, a[4], first);
            for out_row in band.chunks_exact_mut(stride) {
                let row = pixel_index(source_y);
                for (x, &column) in columns.iter().enumerate() {
                    put(out_row, x, column, row);
                }
                source_y += a[4];
            }
            Ok(())
        });
    }
    let fits =
        |x: f64, y: f64| (x * a[0] + y * a[1] + a[2]).abs() < 32768.0 && (x * a[3] + y * a[4] + a[5]).abs() < 32768.0;
    let height = out.len() / stride;
    let (w, h) = (width as f64, height as f64);
    if fits(0.0, 0.0) && fits(w, h) && fits(0.0, h) && fits(w, 0.0) {
        let fixed = |v: f64| (v * 65536.0 + 0.5).floor() as i64 as i32;
        let (a0, a1, a3, a4) = (fixed(a[0]), fixed(a[1]), fixed(a[3]), fixed(a[4]));
        let (start_x, start_y) = (fixed(a[2] + a[0] * 0.5 + a[1] * 0.5), fixed(a[5] + a[3] * 0.5 + a[4] * 0.5));
        return for_each_band(out, stride, |first, band| {
            let rows_above = first as i32;
            let mut row_x = start_x.wrapping_add(a1.wrapping_mul(rows_above));
            let mut row_y = start_y.wrapping_add(a4.wrapping_mul(rows_above));
            for out_row in band.chunks_exact_mut(stride) {
                let (mut source_x, mut source_y) = (row_x, row_y);
                for x in 0..width {
                    put(out_row, x, i64::from(source_x >> 16), i64::from(source_y >> 16));
                    source_x = source_x.wrapping_add(a0);
                    source_y = source_y.wrapping_add(a3);
                }
                row_x = row_x.wrapping_add(a1);
                row_y = row_y.wrapping_add(a4);
            }
            Ok(())
        });
    }
    for_each_band(out, stride, |first, band| {
        let mut row_x = replay(a[2] + a[1] * 0.5 + a[0] * 0.5, a[1], first);
        let mut row_y = replay(a[5] + a[4] * 0.5 + a[3] * 0.5, a[4], first);
        for out_row in band.chunks_exact_mut(stride) {
            let (mut source_x, mut source_y) = (row_x, row_y);
            for x in 0..width {
                put(out_row, x, pixel_index(source_x), pixel_index(source_y));
                source_x += a[0];
                source_y += a[3];
            }
            row_x += a[1];
            row_y += a[4];
        }
        Ok(())
    })
}

/// How to make Pillow's `rotate(angle, expand=..., center=..., translate=...)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rotation {
    /// A copy: a whole number of turns.
    Copy,
    /// A quarter or half turn that Pillow makes by transposing.
    Transpose(Transpose),
    /// An affine transform onto a `size` image.
    Affine { size: (u32, u32), matrix: [f64; 6] },
}

/// Where the rotation's centre and translation are.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct RotationPlacement {
    pub expand: bool,
    pub center: Option<[f64; 2]>,
    pub translate: Option<[f64; 2]>,
}

/// Pillow's `Image.rotate` for a `width` x `height` image: `degrees`
/// counter-clockwise about the centre (or `center`), then moved by
/// `translate`; with `expand` the output grows to hold the whole turned
/// image. The matrix is Pillow's to the last bit: its cosine and sine
/// rounded to 15 decimals, then the same double operations in the same order.
pub fn plan_rotation(width: usize, height: usize, degrees: f64, placement: RotationPlacement) -> Result<Rotation> {
    let angle = python_modulo(degrees, 360.0);
    if placement.center.is_none() && placement.translate.is_none() {
        if angle == 0.0 {
            return Ok(Rotation::Copy);
        }
        if angle == 180.0 {
            return Ok(Rotation::Transpose(Transpose::Rotate180));
        }
        if (angle == 90.0 || angle == 270.0) && (placement.expand || width == height) {
            return Ok(Rotation::Transpose(if angle == 90.0 { Transpose::Rotate90 } else { Transpose::Rotate270 }));
        }
    }
    let (w, h) = (width as f64, height as f64);
    let [tx, ty] = placement.translate.unwrap_or([0.0, 0.0]);
    let [cx, cy] = placement.center.unwrap_or([w / 2.0, h / 2.0]);
    let radians = -angle.to_radians();
    let (cos, sin) = (round_to_15_places(radians.cos()), round_to_15_places(radians.sin()));
    let mut m = [cos, sin, 0.0, round_to_15_places(-radians.sin()), cos, 0.0];
    let apply = |m: &[f64; 6], x: f64, y: f64| (m[0] * x + m[1] * y + m[2], m[3] * x + m[4] * y + m[5]);
    (m[2], m[5]) = apply(&m, -cx - tx, -cy - ty);
    m[2] += cx;
    m[5] += cy;
    let (mut out_width, mut out_height) = (width as f64, height as f64);
    if placement.expand {
        let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)].map(|(x, y)| apply(&m, x, y));
        let span = |values: [f64; 4]| {
            let (low, high) = values.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, u), &v| (l.min(v), u.max(v)));
            high.ceil() - low.floor()
        };
        let (new_width, new_height) = (span(corners.map(|c| c.0)), span(corners.map(|c| c.1)));
        (m[2], m[5]) = apply(&m, -(new_width - w) / 2.0, -(new_height - h) / 2.0);
        (out_width, out_height) = (new_width, new_height);
    }
    // With the centre and translation within ±2^24 (see `args`), the sides
    // stay near the image's diagonal; the limits refuse what is too large.
    let size = (out_width as u32, out_height as u32);
    checked_len(size.0, size.1)?;
    Ok(Rotation::Affine { size, matrix: m })
}

/// Python's `x % m` for floats (the result takes the divisor's sign).
fn python_modulo(x: f64, m: f64) -> f64 {
    let rest = x % m;
    if rest != 0.0 && (rest < 0.0) != (m < 0.0) {
        rest + m
    } else if rest == 0.0 {
        0.0_f64.copysign(m)
    } else {
        rest
    }
}

/// Python's `round(value, 15)` for |value| <= 1: the double nearest to the
/// value's exact decimal expansion rounded to 15 places, ties to even.
/// Exact: value * 10^15 is an integer times a power of two that fits u128.
fn round_to_15_places(value: f64) -> f64 {
    if value == 0.0 || !value.is_finite() || value.abs() > 1.0 {
        return value;
    }
    let bits = value.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mantissa, exponent) = if biased == 0 { (fraction, -1074) } else { (fraction | 1 << 52, biased - 1075) };
    // |value| <= 1 makes the exponent at most -52: a right shift.
    let shift = exponent.unsigned_abs();
    let scaled = u128::from(mantissa) * 1_000_000_000_000_000;
    let rounded = if shift >= 128 {
        0
    } else {
        let whole = scaled >> shift;
        let rest = scaled - (whole << shift);
        let half = 1u128 << (shift - 1);
        if rest > half || (rest == half && whole & 1 == 1) { whole + 1 } else { whole }
    };
    (rounded as f64 / 1e15).copysign(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::samples::{numbered, reds};

    #[test]
    #[allow(clippy::approx_constant)]
    fn rounding_to_15_places_is_pythons() {
        // round(x, 15) in Python for cosines and sines of -radians(angle).
        for (value, rounded) in [
            (0.8660254037844387, 0.866025403784439_f64),
            (-0.49999999999999994, -0.5),
            // cos and sin of 45 degrees: 1/sqrt(2) to the last bit, then rounded.
            (std::f64::consts::FRAC_1_SQRT_2, 0.707106781186548),
            (-0.707_106_781_186_547_5, -0.707_106_781_186_547),
            (-1.7453292519943298e-11, -1.7453e-11),
            (-0.5512964442855826, -0.551296444285583),
            (-0.8343094333148064, -0.834309433314806),
            (6.123233995736766e-17, 0.0),
            (1.0, 1.0),
            (-1e-300, -0.0),
        ] {
            let got = round_to_15_places(value);
            assert_eq!(got.to_bits(), rounded.to_bits(), "{value}: {got} vs {rounded}");
        }
    }

    #[test]
    fn python_modulo_takes_the_divisors_sign() {
        assert_eq!(python_modulo(-450.5, 360.0), 269.5);
        assert_eq!(python_modulo(720.0, 360.0), 0.0);
        assert_eq!(python_modulo(-90.0, 360.0), 270.0);
        assert_eq!(python_modulo(-1e-20, 360.0), 360.0);
    }

    fn placed(expand: bool, center: Option<[f64; 2]>, translate: Option<[f64; 2]>) -> RotationPlacement {
        RotationPlacement { expand, center, translate }
    }

    #[test]
    fn rotation_plans_are_pillows_to_the_last_bit() {
        // The matrices Pillow 13's rotate passes to transform for a 10x6 image.
        let cases = [
            (
                30.0,
                placed(false, None, None),
                (10, 6),
                [0.866025403784439, -0.5, 2.1698729810778046, 0.5, 0.866025403784439, -2.098076211353317],
            ),
            (
                30.0,
                placed(true, None, None),
                (12, 12),
                [0.866025403784439, -0.5, 2.8038475772933653, 0.5, 0.866025403784439, -5.196152422706634],
            ),
            (
                -450.5,
                placed(true, Some([2.0, 3.0]), Some([4.0, -1.0])),
                (8, 12),
                [
                    -0.008726535498374,
                    0.999961923064171,
                    -2.9561769378289853,
                    -0.999961923064171,
                    -0.008726535498374,
                    8.043442292812726,
                ],
            ),
            (90.0, placed(false, None, None), (10, 6), [0.0, -1.0, 8.0, 1.0, 0.0, -2.0]),
        ];
        for (angle, placement, size, matrix) in cases {
            assert_eq!(plan_rotation(10, 6, angle, placement).unwrap(), Rotation::Affine { size, matrix }, "{angle}");
        }
    }

    #[test]
    fn whole_half_and_quarter_turns_copy_or_transpose_as_pillow_does() {
        let plan = |w, h, angle, placement| plan_rotation(w, h, angle, placement).unwrap();
        assert_eq!(plan(10, 6, -720.0, placed(false, None, None)), Rotation::Copy);
        assert_eq!(plan(10, 6, 180.0, placed(false, None, None)), Rotation::Transpose(Transpose::Rotate180));
        assert_eq!(plan(10, 6, 90.0, placed(true, None, None)), Rotation::Transpose(Transpose::Rotate90));
        assert_eq!(plan(5, 5, -90.0, placed(false, None, None)), Rotation::Transpose(Transpose::Rotate270));
        // A centre, even the image's own, takes the general path.
        assert!(matches!(plan(5, 5, 90.0, placed(false, Some([2.5, 2.5]), None)), Rotation::Affine { .. }));
    }

    fn run(mapping: Mapping, sampling: Sampling, size: (u32, u32), fill: Option<Rgba>) -> Vec<u8> {
        transform(&numbered(4, 3), 4, 3, size, mapping, sampling, fill).unwrap()
    }

    #[test]
    fn identity_and_shifts_move_pixels_in_every_nearest_engine() {
        let identity = Mapping::Affine([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(run(identity, Sampling::Nearest, (4, 3), None), numbered(4, 3));
        // One pixel right and down: the scale engine; outside is transparent.
        let shifted = reds(&run(Mapping::Affine([1.0, 0.0, 1.0, 0.0, 1.0, 1.0]), Sampling::Nearest, (4, 3), None));
        assert_eq!(shifted, vec![5, 6, 7, 0, 9, 10, 11, 0, 0, 0, 0, 0]);
        // A tiny shear takes the fixed-point engine, a huge offset the
        // double one; both land where the plain arithmetic says.
        let sheared = run(Mapping::Affine([1.0, 1e-9, 0.0, 0.0, 1.0, 0.0]), Sampling::Nearest, (4, 3), None);
        assert_eq!(sheared, numbered(4, 3));
        let far =
            run(Mapping::Affine([1.0, 1e-9, 40000.0, 0.0, 1.0, 0.0]), Sampling::Nearest, (4, 3), Some([1, 2, 3, 4]));
        assert_eq!(far, [1, 2, 3, 4].repeat(12));
    }

    #[test]
    fn extent_and_quad_stretch_the_source_over_the_output() {
        // EXTENT of the right half, stretched to 4 wide: each column twice.
        let half = reds(&run(Mapping::Extent([2.0, 0.0, 4.0, 3.0]), Sampling::Nearest, (4, 3), None));
        assert_eq!(&half[..4], &[2, 2, 3, 3]);
        // QUAD of the whole image onto the same size is the identity.
        let quad = Mapping::Quad([0.0, 0.0, 0.0, 3.0, 4.0, 3.0, 4.0, 0.0]);
        assert_eq!(run(quad, Sampling::Nearest, (4, 3), None), numbered(4, 3));
        // A perspective whose divisor is 0 at some pixel leaves it filled.
        let degenerate = Mapping::Perspective([1.0, 0.0, 0.0, 0.0, 1.0, 0.0, -0.4, 0.0]);
        let out = run(degenerate, Sampling::Bilinear, (4, 3), Some([7, 7, 7, 255]));
        assert_eq!(&out[8..12], &[7, 7, 7, 255]);
    }

    #[test]
    fn filtered_samplers_blend_neighbours_and_repeat_edges() {
        // A horizontal ramp 0, 30, 60, 90, opaque: half a pixel to the right
        // the bilinear sampler gives the mean of neighbours, truncated.
        let ramp: Vec<u8> = (0..4u8).flat_map(|x| [x * 30, 0, 0, 255]).collect();
        let half_right = Mapping::Affine([1.0, 0.0, 0.5, 0.0, 1.0, 0.0]);
        let out = transform(&ramp, 4, 1, (4, 1), half_right, Sampling::Bilinear, None).unwrap();
        assert_eq!(reds(&out), vec![15, 45, 75, 0]);
        // Bicubic interpolates the same points exactly at pixel centres.
        let identity = Mapping::Affine([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        assert_eq!(transform(&ramp, 4, 1, (4, 1), identity, Sampling::Bicubic, None).unwrap(), ramp);
    }

    #[test]
    fn filtered_transforms_unpremultiply_the_fill_as_pillow_does() {
        let out =
            run(Mapping::Affine([1.0, 0.0, 100.0, 0.0, 1.0, 0.0]), Sampling::Bicubic, (2, 1), Some([100, 50, 0, 128]));
        // Pillow fills the RGBa image, then converts it to RGBA.
        let mut expected = vec![100, 50, 0, 128, 100, 50, 0, 128];
        unpremultiply_alpha(&mut expected);
        assert_eq!(out, expected);
    }

    #[test]
    fn sizes_beyond_the_limits_are_refused_before_allocating() {
        let identity = Mapping::Affine([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]);
        let error = transform(&numbered(4, 3), 4, 3, (20_000, 1), identity, Sampling::Nearest, None).unwrap_err();
        assert_eq!(error.to_string(), "width must be at most 16384, got 20000");
    }
}

/// The fast paths (an affine map's own loop, taps inside the image mixed
/// four channels at once, no alpha passes for an opaque source) against the
/// plain one: premultiply, map and sample each pixel, unpremultiply.
#[cfg(test)]
mod fast_path_tests {
    use super::*;
    use proptest::prelude::*;

    fn plain(image: (&[u8], usize, usize), size: (usize, usize), a: [f64; 6], bicubic: bool, fill: Rgba) -> Vec<u8> {
        let (source, width, height) = image;
        let mut premultiplied = source.to_vec();
        premultiply_alpha(&mut premultiplied);
        let image = Source { data: &premultiplied, width, height };
        let mut out = fill.repeat(size.0 * size.1);
        let sampler = if bicubic { super::bicubic } else { bilinear };
        sample_each(&image, &mut out, size.0, Map::Affine(a), sampler).unwrap();
        unpremultiply_alpha(&mut out);
        out
    }

    /// Coefficients: ordinary ones, and the ones that send points exactly
    /// onto pixel edges, far away, or nowhere.
    fn coefficient() -> impl Strategy<Value = f64> {
        prop_oneof![
            6 => -3.0f64..3.0,
            2 => (-8i32..8).prop_map(|quarters| f64::from(quarters) / 4.0),
            1 => prop::sample::select(vec![0.0, -0.0, 1e-300, 1e300, -1e300, f64::INFINITY, f64::NAN, 2.5e9]),
        ]
    }

    /// Tiles whose points all fall inside the source, all outside it, and
    /// both: a turn, a scale and a shift that sends whole tiles off the image.
    #[test]
    fn outputs_of_many_tiles_are_the_plain_ones_byte_for_byte() {
        let (width, height) = (211, 157);
        let mut state = 0x2545_f491_u32;
        let noise: Vec<u8> = (0..width * height * BYTES_PER_PIXEL)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 17;
                state ^= state << 5;
                (state >> 24) as u8
            })
            .collect();
        let mut opaque = noise.clone();
        opaque.chunks_exact_mut(BYTES_PER_PIXEL).for_each(|pixel| pixel[3] = 255);
        let size = (3 * TILE_COLUMNS + 9, 4 * TILE_ROWS + 5);
        let Rotation::Affine { matrix, .. } = plan_rotation(width, height, 30.0, RotationPlacement::default()).unwrap()
        else {
            panic!("a turn of 30 degrees is an affine map");
        };
        let scaled = [0.4, 0.1, -3.0, -0.05, 0.6, -2.0];
        let shifted = [1.0, 0.0, 150.0, 0.0, 1.0, 0.0];
        for a in [matrix, scaled, shifted] {
            for source in [&noise, &opaque] {
                for (sampling, bicubic) in [(Sampling::Bilinear, false), (Sampling::Bicubic, true)] {
                    let out_size = (size.0 as u32, size.1 as u32);
                    let fill = [200, 100, 50, 128];
                    let fast = transform(source, width, height, out_size, Mapping::Affine(a), sampling, Some(fill));
                    let expected = plain((source, width, height), size, a, bicubic, fill);
                    assert!(fast.unwrap() == expected, "{a:?}, {sampling:?}");
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]
        #[test]
        fn fast_transforms_are_the_plain_ones_byte_for_byte(
            width in 1usize..11,
            height in 1usize..11,
            size in (1usize..14, 1usize..14),
            a in prop::array::uniform6(coefficient()),
            pixels in prop::collection::vec(any::<u8>(), 400),
            opaque in any::<bool>(),
            fill in any::<[u8; 4]>(),
            bicubic in any::<bool>(),
        ) {
            let mut source = pixels[..width * height * BYTES_PER_PIXEL].to_vec();
            if opaque {
                source.chunks_exact_mut(BYTES_PER_PIXEL).for_each(|pixel| pixel[3] = 255);
            }
            let sampling = if bicubic { Sampling::Bicubic } else { Sampling::Bilinear };
            let out_size = (size.0 as u32, size.1 as u32);
            let fast = transform(&source, width, height, out_size, Mapping::Affine(a), sampling, Some(fill)).unwrap();
            let expected = plain((&source, width, height), size, a, bicubic, fill);
            prop_assert!(fast == expected, "{width}x{height} to {size:?}, {a:?}, {sampling:?}, opaque {opaque}");
        }
    }
}

#[cfg(test)]
mod wide_tests {
    use super::*;

    // Expected values from Pillow 13: Image.frombytes("I", (4, 3), ...)
    // .transform((3, 2), AFFINE, (0.7, 0.3, 0.2, -0.2, 0.9, 0.4), filter)
    #[test]
    fn int_transforms_match_pillow() {
        let values = [0, 1000, -3000, 70000, 5, 6, 7, 8, -100, 200, 300, -400];
        let data: Vec<u8> = values.iter().flat_map(|value: &i32| value.to_le_bytes()).collect();
        let mapping = Mapping::Affine([0.7, 0.3, 0.2, -0.2, 0.9, 0.4]);
        for (sampling, expected) in [
            (Sampling::Bilinear, [151, 855, -1400, 12, 15, -644]),
            (Sampling::Bicubic, [249, 1162, -13097, -97, -106, -2169]),
        ] {
            let out = transform_wide((&data, 4, 3), (3, 2), mapping, sampling, [0; 4], Wide::Int).unwrap();
            let found: Vec<i32> = out.chunks(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
            assert_eq!(found, expected, "{sampling:?}");
        }
    }
}
