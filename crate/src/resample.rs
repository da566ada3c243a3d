//! Resampling with Pillow's definitions: `resize` with every filter
//! (`Resample.c`: separable passes, support widened by the scale when
//! shrinking, 22-bit fixed-point weights, an optional source box), `NEAREST`
//! as Pillow's scaling transform, `reduce` (`Reduce.c`: block means) and the
//! `reducing_gap` shortcut of `resize` and `thumbnail`.
//!
//! Like Pillow on RGBA, every filter but `NEAREST` works on premultiplied
//! colours (RGBA -> RGBa -> RGBA), so a transparent pixel's hidden colour does
//! not bleed into its neighbours.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Number, Result, checked_len, try_alloc, try_copy};
use crate::colour::{all_opaque, premultiplied, premultiply_alpha, unpremultiply_alpha};
use crate::parallel::{all_pieces, for_each_band, new_in_bands};

/// Pillow's `Image.Resampling`, numbered as Pillow numbers it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resample {
    Nearest,
    Box,
    Bilinear,
    Hamming,
    Bicubic,
    Lanczos,
    Mks2013,
    Mks2021,
}

impl Resample {
    pub const ALL: [(u32, &'static str, Resample); 8] = [
        (0, "NEAREST", Self::Nearest),
        (1, "LANCZOS", Self::Lanczos),
        (2, "BILINEAR", Self::Bilinear),
        (3, "BICUBIC", Self::Bicubic),
        (4, "BOX", Self::Box),
        (5, "HAMMING", Self::Hamming),
        (6, "MKS2013", Self::Mks2013),
        (7, "MKS2021", Self::Mks2021),
    ];

    /// Half the width of the filter at scale 1 (Pillow's `_filters_support`;
    /// `NEAREST` has none).
    pub fn support(self) -> f64 {
        match self {
            Self::Nearest => 0.0,
            Self::Box => 0.5,
            Self::Bilinear | Self::Hamming => 1.0,
            Self::Bicubic => 2.0,
            Self::Mks2013 => 2.5,
            Self::Lanczos => 3.0,
            Self::Mks2021 => 4.5,
        }
    }

    /// The filter's weight at distance `x` (in source pixels at scale 1).
    pub(crate) fn weight(self, x: f64) -> f64 {
        let distance = x.abs();
        match self {
            Self::Nearest => 0.0,
            Self::Box => f64::from(u8::from(x > -0.5 && x <= 0.5)),
            Self::Bilinear => (1.0 - distance).max(0.0),
            Self::Hamming => {
                if distance == 0.0 {
                    1.0
                } else if distance >= 1.0 {
                    0.0
                } else {
                    let x = distance * std::f64::consts::PI;
                    // Pillow writes the window's constants as C floats.
                    x.sin() / x * (f64::from(0.54f32) + f64::from(0.46f32) * x.cos())
                }
            }
            Self::Bicubic => {
                const A: f64 = -0.5;
                if distance < 1.0 {
                    ((A + 2.0) * distance - (A + 3.0)) * distance * distance + 1.0
                } else if distance < 2.0 {
                    (((distance - 5.0) * distance + 8.0) * distance - 4.0) * A
                } else {
                    0.0
                }
            }
            Self::Lanczos => {
                if (-3.0..3.0).contains(&x) {
                    sinc(x) * sinc(x / 3.0)
                } else {
                    0.0
                }
            }
            // John Costella's Magic Kernel Sharp, 2013 and 2021 forms.
            Self::Mks2013 => {
                if distance >= 2.5 {
                    0.0
                } else if distance >= 1.5 {
                    -0.125 * (distance - 2.5) * (distance - 2.5)
                } else if distance >= 0.5 {
                    0.25 * (4.0 * distance * distance - 11.0 * distance + 7.0)
                } else {
                    1.0625 - 1.75 * distance * distance
                }
            }
            Self::Mks2021 => {
                if distance >= 4.5 {
                    0.0
                } else if distance >= 3.5 {
                    -1.0 / 288.0 * (distance - 4.5) * (distance - 4.5)
                } else if distance >= 2.5 {
                    1.0 / 36.0 * (distance - 3.0) * (distance - 3.75)
                } else if distance >= 1.5 {
                    1.0 / 6.0 * (distance - 2.0) * (65.0 / 24.0 - distance)
                } else if distance >= 0.5 {
                    35.0 / 36.0 * (distance - 1.0) * (distance - 239.0 / 140.0)
                } else {
                    577.0 / 576.0 - 239.0 / 144.0 * distance * distance
                }
            }
        }
    }
}

fn sinc(x: f64) -> f64 {
    if x == 0.0 {
        1.0
    } else {
        let x = x * std::f64::consts::PI;
        x.sin() / x
    }
}

/// A source rectangle `[x0, y0, x1, y1]` in pixels, fractional, as Pillow's
/// C code receives it (C floats).
pub type SourceBox = [f32; 4];

/// A box as the messages show it: `(x0, y0, x1, y1)`.
fn shown_box([x0, y0, x1, y1]: [f64; 4]) -> String {
    format!("({}, {}, {}, {})", Number(x0), Number(y0), Number(x1), Number(y1))
}

/// Checks a resize box against the image as Pillow's `resize` does.
pub fn check_box(corners: [f64; 4], width: u32, height: u32) -> Result<SourceBox> {
    let [x0, y0, x1, y1] = corners;
    let refuse = |message: String| Err(ImageError::BadArgument { name: "box", message });
    if x0 < 0.0 || y0 < 0.0 {
        return refuse(format!("offset can't be negative, got ({}, {})", Number(x0), Number(y0)));
    }
    if x1 > f64::from(width) || y1 > f64::from(height) {
        return refuse(format!("can't exceed the {width}x{height} image, got {}", shown_box(corners)));
    }
    if x1 < x0 || y1 < y0 {
        return refuse(format!("can't be empty, got {}", shown_box(corners)));
    }
    Ok(corners.map(|corner| corner as f32))
}

// The weights of a filter pass, in Pillow's fixed point: 22 bits of
// fraction leave 2 bits above the 8 of a byte for negative lobes and
// overshoot, so every sum fits an i32.
const PRECISION_BITS: u32 = 32 - 8 - 2;

/// Pillow's `precompute_coeffs` for resampling the source span `in0..in1`
/// of `in_size` pixels onto `out_size`: output pixel `i` reads `counts[i]`
/// source pixels from `firsts[i]` with the normalised double weights
/// `weights[i * taps..]`. The 8-bit passes take them in fixed point
/// (`Pass`), the wide modes' as they are (`resample_wide`).
pub(crate) struct Taps {
    firsts: Vec<usize>,
    counts: Vec<usize>,
    taps: usize,
    weights: Vec<f64>,
}

impl Taps {
    pub(crate) fn new(in_size: usize, in0: f32, in1: f32, out_size: usize, filter: Resample) -> Result<Self> {
        let scale = f64::from(in1 - in0) / out_size as f64;
        let filter_scale = scale.max(1.0);
        let support = filter.support() * filter_scale;
        let taps = support.ceil() as usize * 2 + 1;
        let mut weights = Vec::new();
        reserve(&mut weights, out_size * taps)?;
        weights.resize(out_size * taps, 0.0);
        let (mut firsts, mut counts) = (Vec::new(), Vec::new());
        reserve(&mut firsts, out_size)?;
        reserve(&mut counts, out_size)?;
        let inverse_scale = 1.0 / filter_scale;
        for (index, row) in weights.chunks_exact_mut(taps).enumerate() {
            let centre = f64::from(in0) + (index as f64 + 0.5) * scale;
            // C casts truncate toward zero; both ends are clamped after.
            let first = ((centre - support + 0.5) as i64).max(0) as usize;
            let last = ((centre + support + 0.5) as i64).clamp(0, in_size as i64) as usize;
            let count = last.saturating_sub(first).min(taps);
            let mut total = 0.0;
            for (tap, slot) in row.iter_mut().enumerate().take(count) {
                *slot = filter.weight(((tap + first) as f64 - centre + 0.5) * inverse_scale);
                total += *slot;
            }
            if total != 0.0 {
                row[..count].iter_mut().for_each(|weight| *weight /= total);
            }
            firsts.push(first);
            counts.push(count);
        }
        Ok(Self { firsts, counts, taps, weights })
    }

    pub(crate) fn len(&self) -> usize {
        self.firsts.len()
    }

    /// The first source index any output reads, and one past the last.
    pub(crate) fn span(&self) -> (usize, usize) {
        let last = self.len() - 1;
        (self.firsts[0], self.firsts[last] + self.counts[last])
    }

    /// The first source index output `index` reads, and its weights.
    pub(crate) fn of(&self, index: usize) -> (usize, &[f64]) {
        (self.firsts[index], &self.weights[index * self.taps..index * self.taps + self.counts[index]])
    }

    /// The same taps, their first source indices `shift` lower.
    pub(crate) fn shifted(self, shift: usize) -> Self {
        Self { firsts: self.firsts.iter().map(|first| first - shift).collect(), ..self }
    }
}

/// The taps of one 8-bit pass: `Taps` with the weights in Pillow's fixed
/// point (`normalize_coeffs_8bpc`).
struct Pass {
    firsts: Vec<usize>,
    counts: Vec<usize>,
    taps: usize,
    weights: Vec<i32>,
}

impl Pass {
    fn new(in_size: usize, in0: f32, in1: f32, out_size: usize, filter: Resample) -> Result<Self> {
        let taps = Taps::new(in_size, in0, in1, out_size, filter)?;
        let mut weights = try_alloc_i32(taps.weights.len())?;
        for (slot, &normalised) in weights.iter_mut().zip(&taps.weights) {
            let fixed = normalised * f64::from(1u32 << PRECISION_BITS);
            *slot = if normalised < 0.0 { (fixed - 0.5) as i32 } else { (fixed + 0.5) as i32 };
        }
        Ok(Self { firsts: taps.firsts, counts: taps.counts, taps: taps.taps, weights })
    }

    fn len(&self) -> usize {
        self.firsts.len()
    }

    /// The first source index any output reads, and one past the last.
    fn span(&self) -> (usize, usize) {
        let last = self.len() - 1;
        (self.firsts[0], self.firsts[last] + self.counts[last])
    }

    fn taps_of(&self, index: usize) -> (usize, &[i32]) {
        let weights = &self.weights[index * self.taps..index * self.taps + self.counts[index]];
        (self.firsts[index], weights)
    }
}

fn try_alloc_i32(len: usize) -> Result<Vec<i32>> {
    let mut values = Vec::new();
    values.try_reserve_exact(len).map_err(|_| ImageError::OutOfMemory { bytes: len * 4 })?;
    values.resize(len, 0);
    Ok(values)
}

fn reserve<T>(values: &mut Vec<T>, len: usize) -> Result<()> {
    values.try_reserve_exact(len).map_err(|_| ImageError::OutOfMemory { bytes: len * std::mem::size_of::<T>() })
}

/// A weighted sum in fixed point, rounded and clipped to a byte as Pillow's
/// `clip8`.
#[inline(always)]
fn clip_fixed(sum: i32) -> u8 {
    (sum >> PRECISION_BITS).clamp(0, 255) as u8
}

/// Each row (rows `first_row..` of a `width`-wide image) resampled to
/// `pass.len()` pixels; `rows` rows are produced.
fn horizontal(data: &[u8], width: usize, first_row: usize, rows: usize, pass: &Pass) -> Result<Vec<u8>> {
    let out_width = pass.len();
    let out_stride = out_width * BYTES_PER_PIXEL;
    let stride = width * BYTES_PER_PIXEL;
    new_in_bands(out_stride * rows, out_stride, |band_row, band| {
        let source = &data[(first_row + band_row) * stride..];
        for (row, out_row) in source.chunks_exact(stride).zip(band.chunks_exact_mut(out_stride)) {
            for (index, out_pixel) in out_row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
                let (first, weights) = pass.taps_of(index);
                let source = &row[first * BYTES_PER_PIXEL..(first + weights.len()) * BYTES_PER_PIXEL];
                resample_pixel(source, weights, out_pixel);
            }
        }
        Ok(())
    })
}

/// One output pixel of a horizontal pass: the weighted sum of `source`'s
/// pixels, each channel in 22-bit fixed point, rounded and clipped.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn resample_pixel(source: &[u8], weights: &[i32], out: &mut [u8]) {
    let mut sums = [1i32 << (PRECISION_BITS - 1); 4];
    for (pixel, &weight) in source.chunks_exact(BYTES_PER_PIXEL).zip(weights) {
        for c in 0..BYTES_PER_PIXEL {
            sums[c] = sums[c].wrapping_add(weight.wrapping_mul(i32::from(pixel[c])));
        }
    }
    for c in 0..BYTES_PER_PIXEL {
        out[c] = clip_fixed(sums[c]);
    }
}

/// `resample_pixel` with wasm SIMD: the four channel sums are the four i32
/// lanes of one vector, with the same wrapping arithmetic.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn resample_pixel(source: &[u8], weights: &[i32], out: &mut [u8]) {
    use core::arch::wasm32::{
        i16x8_narrow_i32x4, i32x4_add, i32x4_mul, i32x4_shr, i32x4_splat, u8x16_narrow_i16x8, u16x8_extend_low_u8x16,
        u32x4_extend_low_u16x8, u32x4_extract_lane,
    };
    let mut sums = i32x4_splat(1 << (PRECISION_BITS - 1));
    for (pixel, &weight) in source.chunks_exact(BYTES_PER_PIXEL).zip(weights) {
        let bytes = u32::from_le_bytes(pixel.try_into().expect("a pixel is 4 bytes"));
        let values = u32x4_extend_low_u16x8(u16x8_extend_low_u8x16(i32x4_splat(bytes as i32)));
        sums = i32x4_add(sums, i32x4_mul(i32x4_splat(weight), values));
    }
    // An arithmetic shift, then the saturating narrowings clip to 0..255
    // as `clip_fixed` does.
    let words = i32x4_shr(sums, PRECISION_BITS);
    let halves = i16x8_narrow_i32x4(words, words);
    let bytes = u8x16_narrow_i16x8(halves, halves);
    out.copy_from_slice(&u32x4_extract_lane::<0>(bytes).to_le_bytes());
}

/// Columns `first_column..first_column + columns` of a `width`-wide image
/// resampled to `pass.len()` rows (source rows counted from `row_offset`).
fn vertical(
    data: &[u8],
    width: usize,
    first_column: usize,
    columns: usize,
    row_offset: usize,
    pass: &Pass,
) -> Result<Vec<u8>> {
    let stride = width * BYTES_PER_PIXEL;
    let out_stride = columns * BYTES_PER_PIXEL;
    let start = first_column * BYTES_PER_PIXEL;
    new_in_bands(out_stride * pass.len(), out_stride, |band_row, band| {
        let mut sums = try_alloc_i32(out_stride)?;
        for (index, out_row) in band.chunks_exact_mut(out_stride).enumerate() {
            let (first, weights) = pass.taps_of(band_row + index);
            let taps = |tap: usize| {
                let row = (first - row_offset + tap) * stride + start;
                &data[row..row + out_stride]
            };
            let done = vertical_vectors(out_row, taps, weights);
            if done == out_stride {
                continue;
            }
            let sums = &mut sums[done..];
            sums.fill(1 << (PRECISION_BITS - 1));
            for (tap, &weight) in weights.iter().enumerate() {
                for (sum, &value) in sums.iter_mut().zip(&taps(tap)[done..]) {
                    *sum = sum.wrapping_add(weight.wrapping_mul(i32::from(value)));
                }
            }
            for (value, &sum) in out_row[done..].iter_mut().zip(sums.iter()) {
                *value = clip_fixed(sum);
            }
        }
        Ok(())
    })
}

/// One output row of [`vertical`] sixteen bytes at a time with wasm SIMD:
/// each byte's weighted sum over the taps' rows (`taps(t)`) kept in
/// 32-bit lanes across the taps, not in memory between them, then
/// [`clip_fixed`] by saturating narrows. How many bytes it did.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn vertical_vectors<'a>(out: &mut [u8], taps: impl Fn(usize) -> &'a [u8], weights: &[i32]) -> usize {
    use core::arch::wasm32::*;
    let half = i32x4_splat(1 << (PRECISION_BITS - 1));
    let mut at = 0;
    while at + 16 <= out.len() {
        let mut sums = [half; 4];
        for (tap, &weight) in weights.iter().enumerate() {
            let weight = i32x4_splat(weight);
            let values = crate::simd::u32_quarters(crate::simd::load(&taps(tap)[at..]));
            for (sum, value) in sums.iter_mut().zip(values) {
                *sum = i32x4_add(*sum, i32x4_mul(weight, value));
            }
        }
        let [first, second, third, fourth] = sums.map(|sum| i32x4_shr(sum, PRECISION_BITS));
        let bytes = u8x16_narrow_i16x8(i16x8_narrow_i32x4(first, second), i16x8_narrow_i32x4(third, fourth));
        crate::simd::store(&mut out[at..], bytes);
        at += 16;
    }
    at
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn vertical_vectors<'a>(_out: &mut [u8], _taps: impl Fn(usize) -> &'a [u8], _weights: &[i32]) -> usize {
    0
}

/// Pillow's `ImagingResampleInner` on (premultiplied) RGBA: the two passes
/// a filter needs, in Pillow 13's order, or a copy when neither changes
/// anything.
fn resample(
    data: &[u8],
    width: usize,
    height: usize,
    size: (usize, usize),
    filter: Resample,
    area: SourceBox,
) -> Result<Vec<u8>> {
    let (out_width, out_height) = size;
    let [x0, y0, x1, y1] = area;
    // Pillow compares the box's right and bottom edges with the output
    // size, not the input's; followed to make the same passes.
    let need_horizontal = out_width != width || x0 != 0.0 || x1 != out_width as f32;
    let need_vertical = out_height != height || y0 != 0.0 || y1 != out_height as f32;
    let rows = Pass::new(height, y0, y1, out_height, filter)?;
    let columns = Pass::new(width, x0, x1, out_width, filter)?;
    // Pillow 13 runs the vertical pass first when the height shrinks by more
    // than twice as many pixels as the width does; the rounding between the
    // passes depends on the order.
    let vertical_first = need_horizontal
        && need_vertical
        && out_height < height
        && height - out_height > 2 * width.saturating_sub(out_width);
    match (need_horizontal, need_vertical) {
        (false, false) => try_copy(data),
        (true, false) => horizontal(data, width, 0, height, &columns),
        (false, true) => vertical(data, width, 0, width, 0, &rows),
        (true, true) if vertical_first => {
            let (first_column, end_column) = columns.span();
            let middle = vertical(data, width, first_column, end_column - first_column, 0, &rows)?;
            let shifted = Pass { firsts: columns.firsts.iter().map(|f| f - first_column).collect(), ..columns };
            horizontal(&middle, end_column - first_column, 0, out_height, &shifted)
        }
        (true, true) => {
            let (first_row, end_row) = rows.span();
            let middle = horizontal(data, width, first_row, end_row - first_row, &columns)?;
            vertical(&middle, out_width, 0, out_width, first_row, &rows)
        }
    }
}

/// The source index of each output pixel for Pillow's `NEAREST` (its
/// scaling transform): it starts half a step into the box and adds the step
/// once per pixel in f64, so that where a sample lands exactly on a pixel
/// boundary the accumulated rounding picks the same side as Pillow.
fn nearest_indices(in_size: usize, in0: f32, in1: f32, out_size: usize) -> Vec<usize> {
    let step = f64::from(in1 - in0) / out_size as f64;
    let mut position = f64::from(in0) + step * 0.5;
    (0..out_size)
        .map(|_| {
            let index = (position.max(0.0) as usize).min(in_size - 1);
            position += step;
            index
        })
        .collect()
}

fn resize_nearest(data: &[u8], width: usize, height: usize, size: (usize, usize), area: SourceBox) -> Result<Vec<u8>> {
    let (out_width, out_height) = size;
    let mut out = try_alloc(out_width * out_height * BYTES_PER_PIXEL, 0)?;
    let columns = nearest_indices(width, area[0], area[2], out_width);
    let stride = width * BYTES_PER_PIXEL;
    for (out_row, source_y) in
        out.chunks_exact_mut(out_width * BYTES_PER_PIXEL).zip(nearest_indices(height, area[1], area[3], out_height))
    {
        let source_row = &data[source_y * stride..(source_y + 1) * stride];
        for (pixel, &source_x) in out_row.chunks_exact_mut(BYTES_PER_PIXEL).zip(&columns) {
            pixel.copy_from_slice(&source_row[source_x * BYTES_PER_PIXEL..(source_x + 1) * BYTES_PER_PIXEL]);
        }
    }
    Ok(out)
}

/// What `resize` is asked for.
#[derive(Debug, Clone, Copy)]
pub struct Resize {
    pub width: u32,
    pub height: u32,
    pub filter: Resample,
    /// The source box; `None` is the whole image.
    pub area: Option<SourceBox>,
    /// Pillow's `reducing_gap`: first `reduce` by whole factors while the
    /// rest of the resize still shrinks at least this much (1 or more).
    pub reducing_gap: Option<f64>,
}

/// `data` (`width` x `height`) resized as Pillow's
/// `resize(size, resample, box, reducing_gap)`; the result is
/// `request.width` x `request.height`.
pub fn resize(data: &[u8], width: usize, height: usize, request: Resize) -> Result<Vec<u8>> {
    if all_pieces(data, BYTES_PER_PIXEL, all_opaque)? {
        // Premultiplying leaves an opaque pixel alone, and every pixel
        // resampled from opaque ones is opaque (the weights sum to one), which
        // unpremultiplying leaves alone: the two passes and the copy they
        // need would change nothing.
        return resize_bands::<false>(data, width, height, request);
    }
    resize_bands::<true>(data, width, height, request)
}

/// [`resize`] with the fourth byte a plain band, as Pillow resamples
/// "La", "RGBa", "RGBX" and "CMYK" (and "LA"/"RGBA" after premultiplying).
pub fn resize_plain(data: &[u8], width: usize, height: usize, request: Resize) -> Result<Vec<u8>> {
    resize_bands::<false>(data, width, height, request)
}

// `PREMULTIPLY` is chosen once per call, so the kernels carry no per-pixel
// test of it.
fn resize_bands<const PREMULTIPLY: bool>(data: &[u8], width: usize, height: usize, request: Resize) -> Result<Vec<u8>> {
    checked_len(request.width, request.height)?;
    let size = (request.width as usize, request.height as usize);
    let whole = [0.0, 0.0, width as f32, height as f32];
    let area = request.area.unwrap_or(whole);
    if size == (width, height) && area == whole {
        return try_copy(data);
    }
    if request.filter == Resample::Nearest {
        return resize_nearest(data, width, height, size, area);
    }
    let mut out = match request.reducing_gap.and_then(|gap| reduction(width, height, size, request.filter, area, gap)) {
        Some((factors, reduce_box, area)) => {
            let (reduced, reduced_width, reduced_height) =
                reduce_blocks::<PREMULTIPLY>(data, width, factors, reduce_box, false)?;
            resample(&reduced, reduced_width, reduced_height, size, request.filter, area)?
        }
        None if PREMULTIPLY => {
            let mut premultiplied = try_copy(data)?;
            in_bands(&mut premultiplied, width, premultiply_alpha)?;
            resample(&premultiplied, width, height, size, request.filter, area)?
        }
        None => resample(data, width, height, size, request.filter, area)?,
    };
    if PREMULTIPLY {
        in_bands(&mut out, size.0, unpremultiply_alpha)?;
    }
    Ok(out)
}

/// `change` on every pixel of `data` (rows of `width` pixels), its rows
/// shared out among the pool's threads.
fn in_bands(data: &mut [u8], width: usize, change: fn(&mut [u8])) -> Result<()> {
    for_each_band(data, width * BYTES_PER_PIXEL, |_, band| {
        change(band);
        Ok(())
    })
}

/// Pillow's `reducing_gap` step of `resize`: the whole factors to reduce by
/// first, the source rectangle to reduce (`_get_safe_box`: the box widened
/// by the filter's reach) and the box in the reduced image; `None` when no
/// factor exceeds 1.
fn reduction(
    width: usize,
    height: usize,
    size: (usize, usize),
    filter: Resample,
    area: SourceBox,
    gap: f64,
) -> Option<((usize, usize), [usize; 4], SourceBox)> {
    let [x0, y0, x1, y1] = area.map(f64::from);
    // Python's int() truncates; `or 1` turns 0 into 1.
    let factor = |span: f64, out: usize| ((span / out as f64 / gap) as usize).max(1);
    let factors = (factor(x1 - x0, size.0), factor(y1 - y0, size.1));
    if factors == (1, 1) {
        return None;
    }
    let reach = filter.support() - 0.5;
    let (reach_x, reach_y) = (reach * (x1 - x0) / size.0 as f64, reach * (y1 - y0) / size.1 as f64);
    let safe = [
        ((x0 - reach_x) as i64).max(0) as usize,
        ((y0 - reach_y) as i64).max(0) as usize,
        ((x1 + reach_x).ceil() as usize).min(width),
        ((y1 + reach_y).ceil() as usize).min(height),
    ];
    let (fx, fy) = (factors.0 as f64, factors.1 as f64);
    let reduced_box = [
        ((x0 - safe[0] as f64) / fx) as f32,
        ((y0 - safe[1] as f64) / fy) as f32,
        ((x1 - safe[0] as f64) / fx) as f32,
        ((y1 - safe[1] as f64) / fy) as f32,
    ];
    Some((factors, safe, reduced_box))
}

/// Checks a `reduce` box (whole pixels) against the image as Pillow does.
pub fn check_reduce_box(corners: [u32; 4], width: u32, height: u32) -> Result<[usize; 4]> {
    let [x0, y0, x1, y1] = corners;
    if x1 > width || y1 > height {
        return Err(ImageError::BadArgument {
            name: "box",
            message: format!("can't exceed the {width}x{height} image, got ({x0}, {y0}, {x1}, {y1})"),
        });
    }
    if x1 <= x0 || y1 <= y0 {
        return Err(ImageError::BadArgument {
            name: "box",
            message: format!("can't be empty, got ({x0}, {y0}, {x1}, {y1})"),
        });
    }
    Ok(corners.map(|corner| corner as usize))
}

/// `data` reduced as Pillow's `reduce((factor_x, factor_y), box)`: each
/// output pixel is the mean of a `factor_x` x `factor_y` block of the box
/// (smaller at the right and bottom edges), premultiplied on RGBA. Returns
/// the pixels and their size.
pub fn reduce(data: &[u8], width: usize, factors: (usize, usize), area: [usize; 4]) -> Result<(Vec<u8>, usize, usize)> {
    reduce_bands::<true>(data, width, factors, area)
}

/// [`reduce`] with the fourth byte a plain band (see [`resize_plain`]).
pub fn reduce_plain(
    data: &[u8],
    width: usize,
    factors: (usize, usize),
    area: [usize; 4],
) -> Result<(Vec<u8>, usize, usize)> {
    reduce_bands::<false>(data, width, factors, area)
}

fn reduce_bands<const PREMULTIPLY: bool>(
    data: &[u8],
    width: usize,
    factors: (usize, usize),
    area: [usize; 4],
) -> Result<(Vec<u8>, usize, usize)> {
    let height = data.len() / BYTES_PER_PIXEL / width;
    if factors == (1, 1) && area == [0, 0, width, height] {
        return Ok((try_copy(data)?, width, height));
    }
    reduce_blocks::<PREMULTIPLY>(data, width, factors, area, PREMULTIPLY)
}

/// The block means of `data`, premultiplied when `PREMULTIPLY`: each pixel
/// is premultiplied as it is read, so the source needs no premultiplied copy.
/// With `unpremultiply`, each band is unpremultiplied as soon as it is
/// computed (in cache, in the same job of the pool).
fn reduce_blocks<const PREMULTIPLY: bool>(
    data: &[u8],
    width: usize,
    (factor_x, factor_y): (usize, usize),
    [x0, y0, x1, y1]: [usize; 4],
    unpremultiply: bool,
) -> Result<(Vec<u8>, usize, usize)> {
    let (out_width, out_height) = ((x1 - x0).div_ceil(factor_x), (y1 - y0).div_ceil(factor_y));
    checked_len(out_width as u32, out_height as u32)?;
    let stride = width * BYTES_PER_PIXEL;
    let row = |y: usize| &data[y * stride + x0 * BYTES_PER_PIXEL..y * stride + x1 * BYTES_PER_PIXEL];
    let out_stride = out_width * BYTES_PER_PIXEL;
    let out = new_in_bands(out_height * out_stride, out_stride, |first_row, band| {
        for (index, out_row) in band.chunks_exact_mut(out_stride).enumerate() {
            reduce_row::<PREMULTIPLY>(&row, (first_row + index, y0, y1), (factor_x, factor_y), x1 - x0, out_row);
        }
        if unpremultiply {
            unpremultiply_alpha(band);
        }
        Ok(())
    })?;
    Ok((out, out_width, out_height))
}

/// Row `y` of [`reduce_blocks`]'s output, from the source rows `row` gives
/// (`y0..y1` the box's rows, `span` its width).
fn reduce_row<'a, const PREMULTIPLY: bool>(
    row: &impl Fn(usize) -> &'a [u8],
    (y, y0, y1): (usize, usize, usize),
    (factor_x, factor_y): (usize, usize),
    span: usize,
    out_row: &mut [u8],
) {
    let top = y0 + y * factor_y;
    let bottom = (top + factor_y).min(y1);
    let done = if (factor_x, factor_y, bottom - top) == (2, 2, 2) {
        reduce_2x2_vectors::<PREMULTIPLY>(row(top), row(top + 1), out_row)
    } else {
        0
    };
    for (x, out_pixel) in out_row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate().skip(done) {
        let left = x * factor_x;
        let right = (left + factor_x).min(span);
        let count = (right - left) * (bottom - top);
        let mut sums = [count as u32 / 2; 4];
        for source_row in top..bottom {
            for pixel in row(source_row)[left * BYTES_PER_PIXEL..right * BYTES_PER_PIXEL].chunks_exact(BYTES_PER_PIXEL)
            {
                let values = if PREMULTIPLY { premultiplied(pixel) } else { [pixel[0], pixel[1], pixel[2], pixel[3]] };
                for (sum, value) in sums.iter_mut().zip(values) {
                    *sum += u32::from(value);
                }
            }
        }
        let multiplier = reciprocal(count);
        for c in 0..BYTES_PER_PIXEL {
            out_pixel[c] = ((u64::from(sums[c]) * u64::from(multiplier)) >> 24) as u8;
        }
    }
}

/// The 2x2 block means of rows `top` and `bottom`, premultiplied (when
/// `PREMULTIPLY`), four
/// output pixels at a time with wasm SIMD; returns the output pixels done.
/// Premultiplying is Pillow's `MULDIV255` in u16 lanes (alpha times 255
/// gives alpha back); a full 2x2 block's mean is (sum + 2) >> 2, which is
/// what `reciprocal(4)` computes.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn reduce_2x2_vectors<const PREMULTIPLY: bool>(top: &[u8], bottom: &[u8], out: &mut [u8]) -> usize {
    use core::arch::wasm32::{
        i8x16_shuffle, i64x2_shuffle, u8x16, u8x16_narrow_i16x8, u16x8_add, u16x8_extend_high_u8x16,
        u16x8_extend_low_u8x16, u16x8_mul, u16x8_shr, u16x8_splat, v128, v128_and,
    };
    let (opaque, half, two) =
        (u8x16(255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), u16x8_splat(128), u16x8_splat(2));
    // Two pixels (u16 lanes) of `pixels` premultiplied: low half or high.
    let premultiply = |lanes: v128, alphas: v128| {
        let scaled = u16x8_add(u16x8_mul(lanes, alphas), half);
        u16x8_shr(u16x8_add(scaled, u16x8_shr(scaled, 8)), 8)
    };
    // Opaque pixels are their own premultiplied form: for a vector of four
    // the work is the widening alone.
    let widen = |vector: v128, opaque_four: bool| {
        let (low, high) = (u16x8_extend_low_u8x16(vector), u16x8_extend_high_u8x16(vector));
        if opaque_four || !PREMULTIPLY {
            return (low, high);
        }
        let low_alphas = i8x16_shuffle::<3, 17, 3, 17, 3, 17, 16, 17, 7, 17, 7, 17, 7, 17, 16, 17>(vector, opaque);
        let high_alphas =
            i8x16_shuffle::<11, 17, 11, 17, 11, 17, 16, 17, 15, 17, 15, 17, 15, 17, 16, 17>(vector, opaque);
        (premultiply(low, low_alphas), premultiply(high, high_alphas))
    };
    const OUT_STEP: usize = 4;
    let blocks = (top.len() / BYTES_PER_PIXEL / 2).min(out.len() / BYTES_PER_PIXEL);
    let mut x = 0;
    while x + OUT_STEP <= blocks {
        let at = x * 2 * BYTES_PER_PIXEL;
        let vectors = [
            crate::simd::load(&top[at..]),
            crate::simd::load(&top[at + 16..]),
            crate::simd::load(&bottom[at..]),
            crate::simd::load(&bottom[at + 16..]),
        ];
        let opaque_block =
            crate::simd::opaque(v128_and(v128_and(vectors[0], vectors[1]), v128_and(vectors[2], vectors[3])));
        let [(t0, t1), (t2, t3), (b0, b1), (b2, b3)] = vectors.map(|vector| widen(vector, opaque_block));
        let (s0, s1, s2, s3) = (u16x8_add(t0, b0), u16x8_add(t1, b1), u16x8_add(t2, b2), u16x8_add(t3, b3));
        // Each vector holds two horizontal neighbours: add them pairwise.
        let first = u16x8_add(i64x2_shuffle::<0, 2>(s0, s1), i64x2_shuffle::<1, 3>(s0, s1));
        let second = u16x8_add(i64x2_shuffle::<0, 2>(s2, s3), i64x2_shuffle::<1, 3>(s2, s3));
        let means = u8x16_narrow_i16x8(u16x8_shr(u16x8_add(first, two), 2), u16x8_shr(u16x8_add(second, two), 2));
        crate::simd::store(&mut out[x * BYTES_PER_PIXEL..], means);
        x += OUT_STEP;
    }
    x
}

/// Without SIMD every block is left to the caller's loop.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn reduce_2x2_vectors<const PREMULTIPLY: bool>(_top: &[u8], _bottom: &[u8], _out: &mut [u8]) -> usize {
    0
}

/// Pillow's `division_UINT32(count, 8)`: 2^32 / (256 * count), computed in
/// C floats and truncated, so that `sum * it >> 24` divides by `count`.
fn reciprocal(count: usize) -> u32 {
    let dividend = (256 * count) as u32;
    (4_294_967_296.0f32 / dividend as f32) as u32
}

/// The size Pillow's `thumbnail((width, height))` gives a `from` image: the
/// largest that fits and keeps the aspect ratio, each side rounded to the
/// neighbour whose ratio is closest; `None` when it fits already.
pub fn thumbnail_size(from: (u32, u32), fit: (u32, u32)) -> Option<(u32, u32)> {
    let (width, height) = (f64::from(from.0), f64::from(from.1));
    let (x, y) = (f64::from(fit.0), f64::from(fit.1));
    if x >= width && y >= height {
        return None;
    }
    let aspect = width / height;
    // Python's min() keeps the first of equal keys: the floor.
    let closest = |number: f64, key: &dyn Fn(f64) -> f64| {
        let (low, high) = (number.floor(), number.ceil());
        let best = if key(high) < key(low) { high } else { low };
        best.max(1.0) as u32
    };
    Some(if x / y >= aspect {
        (closest(y * aspect, &|n| (aspect - n / y).abs()), fit.1)
    } else {
        (fit.0, closest(x / aspect, &|n| if n == 0.0 { 0.0 } else { (aspect - x / n).abs() }))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::samples::{numbered, reds};

    fn sized(width: u32, height: u32, filter: Resample) -> Resize {
        Resize { width, height, filter, area: None, reducing_gap: None }
    }

    #[test]
    fn filters_have_pillows_shapes() {
        for (_, _, filter) in Resample::ALL.into_iter().skip(1) {
            let weight = |x| filter.weight(x);
            assert!((weight(0.0) - 1.0).abs() < 0.07, "{filter:?} at 0: {}", weight(0.0));
            assert_eq!(weight(filter.support() + 0.01), 0.0, "{filter:?} beyond its support");
            assert_eq!(weight(0.3), weight(-0.3), "{filter:?} is symmetric");
        }
        assert_eq!(Resample::Box.weight(0.5), 1.0);
        assert_eq!(Resample::Box.weight(-0.5), 0.0);
        assert_eq!(Resample::Bicubic.weight(1.5), -0.0625);
        assert!(Resample::Lanczos.weight(1.5) < 0.0);
        // Magic Kernel Sharp's pieces meet: continuous at the knots.
        for filter in [Resample::Mks2013, Resample::Mks2021] {
            for knot in [0.5, 1.5, 2.5, 3.5] {
                let (below, above) = (filter.weight(knot - 1e-9), filter.weight(knot + 1e-9));
                assert!((below - above).abs() < 1e-6, "{filter:?} at {knot}: {below} vs {above}");
            }
        }
    }

    #[test]
    fn an_opaque_image_resizes_and_reduces_plain_as_the_premultiplying_path_would() {
        let (width, height) = (23, 17);
        let opaque: Vec<u8> =
            (0..width * height).flat_map(|i| [(i * 37) as u8, (i * 11 + 5) as u8, (i * 101) as u8, 255]).collect();
        for (_, _, filter) in Resample::ALL {
            for (area, reducing_gap) in [(None, None), (Some([2.5, 1.25, 19.0, 16.5]), None), (None, Some(1.5))] {
                for (out_width, out_height) in [(7, 5), (40, 9), (3, 30)] {
                    let request = Resize { width: out_width, height: out_height, filter, area, reducing_gap };
                    assert_eq!(
                        resize(&opaque, width, height, request).unwrap(),
                        resize_bands::<true>(&opaque, width, height, request).unwrap(),
                        "{filter:?} to {out_width}x{out_height}, box {area:?}, gap {reducing_gap:?}"
                    );
                }
            }
        }
        for (factors, area) in
            [((2, 2), [0, 0, width, height]), ((3, 2), [1, 2, 22, 15]), ((1, 4), [0, 0, width, height])]
        {
            // What Python asks for in a mode without alpha.
            assert_eq!(
                reduce_plain(&opaque, width, factors, area).unwrap(),
                reduce(&opaque, width, factors, area).unwrap(),
                "reduce by {factors:?} over {area:?}"
            );
        }
    }

    #[test]
    fn weights_sum_to_one_in_fixed_point() {
        for (_, _, filter) in Resample::ALL.into_iter().skip(1) {
            for (in_size, out_size) in [(10, 3), (3, 10), (7, 7), (100, 1)] {
                let pass = Pass::new(in_size, 0.0, in_size as f32, out_size, filter).unwrap();
                for index in 0..out_size {
                    let total: i32 = pass.taps_of(index).1.iter().sum();
                    assert!((total - (1 << PRECISION_BITS)).abs() <= 8, "{filter:?} {in_size}->{out_size}: {total}");
                }
            }
        }
    }

    #[test]
    fn flat_images_stay_flat_under_every_filter() {
        let data = [12u8, 123, 234, 255].repeat(7 * 5);
        for (_, _, filter) in Resample::ALL {
            for (w, h) in [(13, 2), (3, 9), (1, 1), (20, 20)] {
                let out = resize(&data, 7, 5, sized(w, h, filter)).unwrap();
                assert!(out.chunks_exact(4).all(|p| p == [12, 123, 234, 255]), "{filter:?} {w}x{h}");
            }
        }
    }

    #[test]
    fn bilinear_halving_averages_pairs() {
        let data: Vec<u8> = [0u8, 100, 200, 255].iter().flat_map(|&v| [v, v, v, 255]).collect();
        let half = resize(&data, 4, 1, sized(2, 1, Resample::Bilinear)).unwrap();
        // Support 2 around centres 1 and 3: weights 3/4, 3/4, 1/4 (then
        // 1/4, 3/4, 3/4), cut at the edges and normalised.
        assert_eq!(reds(&half), vec![71, 209]);
    }

    #[test]
    fn transparent_colour_does_not_bleed() {
        // Opaque red next to transparent green: premultiplied, the green
        // counts for nothing and the colour stays red where anything shows.
        let data = [255u8, 0, 0, 255, 0, 255, 0, 0];
        let wide = resize(&data, 2, 1, sized(4, 1, Resample::Bilinear)).unwrap();
        assert_eq!(wide, vec![255, 0, 0, 255, 255, 0, 0, 191, 255, 0, 0, 64, 0, 0, 0, 0]);
    }

    #[test]
    fn nearest_doubles_halves_and_follows_the_box() {
        assert_eq!(reds(&resize(&numbered(2, 1), 2, 1, sized(4, 1, Resample::Nearest)).unwrap()), vec![0, 0, 1, 1]);
        assert_eq!(reds(&resize(&numbered(4, 1), 4, 1, sized(2, 1, Resample::Nearest)).unwrap()), vec![1, 3]);
        let boxed = Resize { area: Some([1.0, 0.0, 3.0, 1.0]), ..sized(4, 1, Resample::Nearest) };
        assert_eq!(reds(&resize(&numbered(4, 1), 4, 1, boxed).unwrap()), vec![1, 1, 2, 2]);
    }

    #[test]
    fn a_box_resizes_only_its_part() {
        // Box (2, 0)-(4, 1) of 0..6 at the same size is a plain crop.
        let boxed = Resize { area: Some([2.0, 0.0, 4.0, 1.0]), ..sized(2, 1, Resample::Bicubic) };
        assert_eq!(reds(&resize(&numbered(6, 1), 6, 1, boxed).unwrap()), vec![2, 3]);
        assert!(check_box([-1.0, 0.0, 1.0, 1.0], 4, 4).unwrap_err().to_string().contains("can't be negative"));
        assert!(check_box([0.0, 0.0, 5.0, 1.0], 4, 4).unwrap_err().to_string().contains("can't exceed"));
        assert!(check_box([2.0, 0.0, 1.0, 1.0], 4, 4).unwrap_err().to_string().contains("can't be empty"));
    }

    #[test]
    fn the_plain_flavour_averages_the_fourth_byte_like_the_others() {
        // A transparent white pixel next to an opaque black one: premultiplied
        // the white weighs nothing; as plain bands ("RGBX", "CMYK", "La",
        // "RGBa") every byte is the mean of its own.
        let data = [255, 255, 255, 0, 0, 0, 0, 255];
        let (out, ..) = reduce(&data, 2, (2, 1), [0, 0, 2, 1]).unwrap();
        assert_eq!(out, [0, 0, 0, 128]);
        let (out, ..) = reduce_plain(&data, 2, (2, 1), [0, 0, 2, 1]).unwrap();
        assert_eq!(out, [128, 128, 128, 128]);
        let halved = resize_plain(&data, 2, 1, sized(1, 1, Resample::Box)).unwrap();
        assert_eq!(halved, [128, 128, 128, 128]);
        assert_eq!(resize(&data, 2, 1, sized(1, 1, Resample::Box)).unwrap(), [0, 0, 0, 128]);
        // Through the reducing_gap path too.
        let wide = [255, 255, 255, 0, 0, 0, 0, 255].repeat(8);
        let gapped = Resize { reducing_gap: Some(1.0), ..sized(2, 1, Resample::Bilinear) };
        assert_eq!(resize_plain(&wide, 16, 1, gapped).unwrap(), [128, 128, 128, 128].repeat(2));
    }

    #[test]
    fn reduce_takes_block_means_with_smaller_edge_blocks() {
        // 5x1 by 2: (0+1)/2, (2+3)/2, 4 alone; Pillow rounds half up.
        let (out, w, h) = reduce(&numbered(5, 1), 5, (2, 1), [0, 0, 5, 1]).unwrap();
        assert_eq!((w, h, reds(&out)), (3, 1, vec![1, 3, 4]));
        let (out, w, h) = reduce(&numbered(4, 4), 4, (3, 3), [0, 0, 4, 4]).unwrap();
        // Blocks: (0,1,2,4,5,6,8,9,10) = 45/9 = 5; (3,7,11) = 7; (12,13,14) = 13; 15.
        assert_eq!((w, h, reds(&out)), (2, 2, vec![5, 7, 13, 15]));
        let (out, ..) = reduce(&numbered(4, 1), 4, (2, 1), [1, 0, 4, 1]).unwrap();
        assert_eq!(reds(&out), vec![2, 3]);
        for count in 1..200 {
            let sum = 255 * count as u32 + count as u32 / 2;
            assert_eq!(((u64::from(sum) * u64::from(reciprocal(count))) >> 24) as u8, 255, "count {count}");
        }
    }

    #[test]
    fn reducing_gap_reduces_first_then_resamples() {
        // Noise: a gradient would give the same bytes either way.
        let data: Vec<u8> = (0..64 * 64 * 4u32)
            .map(|i| if i % 4 == 3 { 255 } else { ((i.wrapping_mul(2_654_435_761)) >> 24) as u8 })
            .collect();
        let fair = resize(&data, 64, 64, sized(8, 8, Resample::Bicubic)).unwrap();
        let quick =
            resize(&data, 64, 64, Resize { reducing_gap: Some(2.0), ..sized(8, 8, Resample::Bicubic) }).unwrap();
        assert_ne!(fair, quick);
        assert!(fair.iter().zip(&quick).all(|(a, b)| a.abs_diff(*b) <= 40));
        // A gap too large to reduce by 2 changes nothing.
        let none = resize(&data, 64, 64, Resize { reducing_gap: Some(5.0), ..sized(8, 8, Resample::Bicubic) }).unwrap();
        assert_eq!(fair, none);
    }

    #[test]
    fn thumbnail_sizes_keep_the_aspect_like_pillow() {
        assert_eq!(thumbnail_size((640, 480), (100, 100)), Some((100, 75)));
        assert_eq!(thumbnail_size((480, 640), (100, 100)), Some((75, 100)));
        assert_eq!(thumbnail_size((50, 40), (100, 100)), None);
        assert_eq!(thumbnail_size((1000, 3), (100, 100)), Some((100, 1)));
        assert_eq!(thumbnail_size((67, 43), (32, 32)), Some((32, 21)));
    }
}
