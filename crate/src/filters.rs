//! Neighbourhood filters over a whole RGBA image (`data`, `width`, `height`).
//! Every filter treats all four channels alike, as Pillow does for RGBA:
//! blurs follow `BoxBlur`/`GaussianBlur` (edges extended, cost independent of
//! the radius), convolutions `ImageFilter.Kernel` (outer border kept); the
//! rank filters live in `rank_filters`.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Result, try_alloc_zeroed, try_copy};
use crate::parallel::for_each_band;

/// Pillow's fixed-point box weights for `radius`: the `2 * floor(r) + 1`
/// central pixels count `weight` each, the two next ones `edge_weight` (the
/// fractional part of `r`), all in units of 2^-24. Sums fit in u32.
#[derive(Debug, Clone, Copy)]
struct BoxWeights {
    whole: usize,
    weight: u32,
    edge_weight: u32,
}

impl BoxWeights {
    fn new(radius: f32) -> Self {
        let whole = radius.floor() as usize;
        let weight = ((1u64 << 24) as f32 / (radius * 2.0 + 1.0)) as u32;
        let edge_weight = (((1u64 << 24) - (whole as u64 * 2 + 1) * u64::from(weight)) / 2) as u32;
        Self { whole, weight, edge_weight }
    }

    #[inline(always)]
    fn mix(&self, sum: u32, edges: u32) -> u8 {
        (sum.wrapping_mul(self.weight).wrapping_add(edges * self.edge_weight).wrapping_add(1 << 23) >> 24) as u8
    }
}

/// Blurs one row of pixels in place. `padded` is scratch space: the row with
/// `whole + 1` copies of each edge pixel on either side, so the sliding
/// window never needs a bounds clamp.
fn blur_row(row: &mut [u8], weights: BoxWeights, padded: &mut Vec<u8>) {
    let pad = weights.whole + 1;
    padded.clear();
    for _ in 0..pad {
        padded.extend_from_slice(&row[..BYTES_PER_PIXEL]);
    }
    padded.extend_from_slice(row);
    for _ in 0..pad {
        padded.extend_from_slice(&row[row.len() - BYTES_PER_PIXEL..]);
    }
    slide_window(row, padded, weights);
}

/// The sliding window of `blur_row` over the padded row: for output x the
/// window is padded[x + 1 ..= x + window], its edges padded[x] and
/// padded[x + window + 1].
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn slide_window(row: &mut [u8], padded: &[u8], weights: BoxWeights) {
    let window = 2 * weights.whole + 1;
    let mut sum = [0u32; 4];
    for pixel in padded[BYTES_PER_PIXEL..(window + 1) * BYTES_PER_PIXEL].chunks_exact(BYTES_PER_PIXEL) {
        for c in 0..4 {
            sum[c] += u32::from(pixel[c]);
        }
    }
    // Zipped iterators walk the three positions without bounds checks.
    let before = padded.chunks_exact(BYTES_PER_PIXEL);
    let leaving = padded[BYTES_PER_PIXEL..].chunks_exact(BYTES_PER_PIXEL);
    let after = padded[(window + 1) * BYTES_PER_PIXEL..].chunks_exact(BYTES_PER_PIXEL);
    for (out, ((before, leaving), after)) in row.chunks_exact_mut(BYTES_PER_PIXEL).zip(before.zip(leaving).zip(after)) {
        for c in 0..BYTES_PER_PIXEL {
            out[c] = weights.mix(sum[c], u32::from(before[c]) + u32::from(after[c]));
            sum[c] = sum[c] + u32::from(after[c]) - u32::from(leaving[c]);
        }
    }
}

/// `slide_window` with wasm SIMD: a pixel's four channel sums are the four
/// u32 lanes of one vector, with the same wrapping integer arithmetic. Four
/// pixels are read at once from each of the three positions, their edge
/// sums and the window's changes formed in 16-bit lanes (at most 510 and
/// -255..=255), and the top bytes of their four results stored at once.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn slide_window(row: &mut [u8], padded: &[u8], weights: BoxWeights) {
    use core::arch::wasm32::{
        i16x8_add, i16x8_sub, i32x4_add, i32x4_extend_high_i16x8, i32x4_extend_low_i16x8, i32x4_mul, i32x4_sub,
        u16x8_extend_low_u8x16, u32x4_extend_high_u16x8, u32x4_extend_low_u16x8, u32x4_extract_lane, u32x4_splat, v128,
    };
    let pixel = |at: usize| -> v128 {
        let bytes = u32::from_le_bytes(
            padded[at * BYTES_PER_PIXEL..(at + 1) * BYTES_PER_PIXEL].try_into().expect("a pixel is 4 bytes"),
        );
        u32x4_extend_low_u16x8(u16x8_extend_low_u8x16(u32x4_splat(bytes)))
    };
    let window = 2 * weights.whole + 1;
    let (weight, edge_weight, half) =
        (u32x4_splat(weights.weight), u32x4_splat(weights.edge_weight), u32x4_splat(1 << 23));
    // The result is each u32 lane's top byte (`simd::top_bytes`).
    let mix =
        |sum: v128, edges: v128| i32x4_add(i32x4_add(i32x4_mul(sum, weight), i32x4_mul(edges, edge_weight)), half);
    let mut sum = u32x4_splat(0);
    for at in 1..=window {
        sum = i32x4_add(sum, pixel(at));
    }
    let width = row.len() / BYTES_PER_PIXEL;
    let mut x = 0;
    // Pixel x + 3's `after` is padded pixel x + window + 4, at most the
    // padded row's last (width + window).
    while x + 4 <= width {
        let load = |at: usize| crate::simd::load(&padded[at * BYTES_PER_PIXEL..]);
        let (before, leaving, after) = (load(x), load(x + 1), load(x + window + 1));
        let halves = crate::simd::u16_halves;
        let ([before_low, before_high], [leaving_low, leaving_high], [after_low, after_high]) =
            (halves(before), halves(leaving), halves(after));
        let (edges_low, edges_high) = (i16x8_add(before_low, after_low), i16x8_add(before_high, after_high));
        let (change_low, change_high) = (i16x8_sub(after_low, leaving_low), i16x8_sub(after_high, leaving_high));
        let first = mix(sum, u32x4_extend_low_u16x8(edges_low));
        sum = i32x4_add(sum, i32x4_extend_low_i16x8(change_low));
        let second = mix(sum, u32x4_extend_high_u16x8(edges_low));
        sum = i32x4_add(sum, i32x4_extend_high_i16x8(change_low));
        let third = mix(sum, u32x4_extend_low_u16x8(edges_high));
        sum = i32x4_add(sum, i32x4_extend_low_i16x8(change_high));
        let fourth = mix(sum, u32x4_extend_high_u16x8(edges_high));
        sum = i32x4_add(sum, i32x4_extend_high_i16x8(change_high));
        crate::simd::store(&mut row[x * BYTES_PER_PIXEL..], crate::simd::top_bytes(first, second, third, fourth));
        x += 4;
    }
    for (x, out) in row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate().skip(x) {
        let (before, leaving, after) = (pixel(x), pixel(x + 1), pixel(x + window + 1));
        let words = crate::simd::top_bytes(mix(sum, i32x4_add(before, after)), sum, sum, sum);
        out.copy_from_slice(&u32x4_extract_lane::<0>(words).to_le_bytes());
        sum = i32x4_sub(i32x4_add(sum, after), leaving);
    }
}

/// Blurs every column of `source` into `target`, rows `first_row..` of the
/// result (a band of whole rows), row by row so that memory is read in
/// order: one running sum per column and channel, started at the band's
/// first row (integer sums: the same whatever row a band starts at).
fn blur_columns(
    source: &[u8],
    target: &mut [u8],
    (stride, height, first_row): (usize, usize, usize),
    weights: BoxWeights,
    sums: &mut [u32],
) {
    let row = |index: isize| {
        let y = index.clamp(0, height as isize - 1) as usize;
        &source[y * stride..(y + 1) * stride]
    };
    let whole = weights.whole as isize;
    let first = first_row as isize;
    sums.fill(0);
    for i in first - whole..=first + whole {
        for (sum, &value) in sums.iter_mut().zip(row(i)) {
            *sum += u32::from(value);
        }
    }
    for (y, out) in target.chunks_exact_mut(stride).enumerate() {
        let y = first + y as isize;
        let (before, after, leaving) = (row(y - whole - 1), row(y + whole + 1), row(y - whole));
        // Zipped iterators: no bounds checks, so the loop vectorises.
        let columns = out.iter_mut().zip(sums.iter_mut()).zip(before.iter().zip(after).zip(leaving));
        for ((out, sum), ((&before, &after), &leaving)) in columns {
            *out = weights.mix(*sum, u32::from(before) + u32::from(after));
            *sum = *sum + u32::from(after) - u32::from(leaving);
        }
    }
}

/// [`blur_columns`] with wasm SIMD, sixteen bytes of a row at a time:
/// their running sums in 16-bit lanes, and each mix `sum * weight + edges
/// * edge_weight` (Pillow's u32 arithmetic, exact modulo 2^32 as the sum
/// is below 2^32) as two dot products of (sum, edges) pairs, with the high
/// bits of the weights (above bit 11) and with the low ones: two
/// instructions for four bytes where u32 lanes take two 32-bit multiplies.
/// `None` (nothing done) when a window of bytes may sum past a signed
/// 16-bit lane: windows over 128 rows.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn blur_columns_narrow(
    source: &[u8],
    target: &mut [u8],
    (stride, height, first_row): (usize, usize, usize),
    weights: BoxWeights,
) -> Option<Result<()>> {
    use core::arch::wasm32::*;
    if 2 * weights.whole + 1 > 128 {
        return None;
    }
    let mut sums: Vec<u16> = Vec::new();
    if sums.try_reserve_exact(stride).is_err() {
        return Some(Err(ImageError::OutOfMemory { bytes: stride * 2 }));
    }
    sums.resize(stride, 0);
    let row = |index: isize| {
        let y = index.clamp(0, height as isize - 1) as usize;
        &source[y * stride..(y + 1) * stride]
    };
    let whole = weights.whole as isize;
    let first = first_row as isize;
    for i in first - whole..=first + whole {
        for (sum, &value) in sums.iter_mut().zip(row(i)) {
            *sum += u16::from(value);
        }
    }
    let pair = |first: u32, second: u32| u32x4_splat(first | second << 16);
    let high = pair(weights.weight >> 11, weights.edge_weight >> 11);
    let low = pair(weights.weight & 0x7FF, weights.edge_weight & 0x7FF);
    let half = u32x4_splat(1 << 23);
    // The result is each u32 lane's top byte (`simd::top_bytes`).
    let mix = |pairs: v128| {
        let total = i32x4_add(i32x4_shl(i32x4_dot_i16x8(pairs, high), 11), i32x4_dot_i16x8(pairs, low));
        i32x4_add(total, half)
    };
    let load_sums = |sums: &[u16]| -> v128 {
        let sums = &sums[..8];
        // SAFETY: eight u16s (16 bytes) in bounds; wasm loads need no alignment.
        unsafe { v128_load(sums.as_ptr().cast::<v128>()) }
    };
    let store_sums = |sums: &mut [u16], vector: v128| {
        let sums = &mut sums[..8];
        // SAFETY: eight u16s (16 bytes) in bounds; wasm stores need no alignment.
        unsafe { v128_store(sums.as_mut_ptr().cast::<v128>(), vector) }
    };
    for (y, out) in target.chunks_exact_mut(stride).enumerate() {
        let y = first + y as isize;
        let (before, after, leaving) = (row(y - whole - 1), row(y + whole + 1), row(y - whole));
        let mut x = 0;
        while x + 16 <= stride {
            let halves = |bytes: &[u8]| crate::simd::u16_halves(crate::simd::load(&bytes[x..]));
            let ([before_low, before_high], [after_low, after_high]) = (halves(before), halves(after));
            let [leaving_low, leaving_high] = halves(leaving);
            let (sum_low, sum_high) = (load_sums(&sums[x..]), load_sums(&sums[x + 8..]));
            let (edges_low, edges_high) = (i16x8_add(before_low, after_low), i16x8_add(before_high, after_high));
            let zip_low = |a: v128, b: v128| i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(a, b);
            let zip_high = |a: v128, b: v128| i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(a, b);
            let bytes = crate::simd::top_bytes(
                mix(zip_low(sum_low, edges_low)),
                mix(zip_high(sum_low, edges_low)),
                mix(zip_low(sum_high, edges_high)),
                mix(zip_high(sum_high, edges_high)),
            );
            crate::simd::store(&mut out[x..], bytes);
            store_sums(&mut sums[x..], i16x8_sub(i16x8_add(sum_low, after_low), leaving_low));
            store_sums(&mut sums[x + 8..], i16x8_sub(i16x8_add(sum_high, after_high), leaving_high));
            x += 16;
        }
        for x in x..stride {
            out[x] = weights.mix(u32::from(sums[x]), u32::from(before[x]) + u32::from(after[x]));
            sums[x] = sums[x] + u16::from(after[x]) - u16::from(leaving[x]);
        }
    }
    Some(Ok(()))
}

/// Pillow's `ImageFilter.BoxBlur((x_radius, y_radius))`: the mean of a
/// (2 x_radius + 1) x (2 y_radius + 1) box, edges extended; a fractional
/// radius weighs the outermost pixels partly, radius 0 leaves that
/// direction alone.
pub fn box_blur(data: &mut [u8], width: usize, height: usize, x_radius: f64, y_radius: f64) -> Result<()> {
    box_blur_passes(data, width, height, [x_radius as f32, y_radius as f32], 1)
}

/// Pillow's core `box_blur((x_radius, y_radius), passes)`: `passes`
/// horizontal box blurs, then `passes` vertical ones (rounded to bytes
/// after each), which is not the same as repeating [`box_blur`].
pub fn box_blur_repeated(
    data: &mut [u8],
    width: usize,
    height: usize,
    x_radius: f64,
    y_radius: f64,
    passes: usize,
) -> Result<()> {
    box_blur_passes(data, width, height, [x_radius as f32, y_radius as f32], passes)
}

fn box_blur_passes(
    data: &mut [u8],
    width: usize,
    height: usize,
    [x_radius, y_radius]: [f32; 2],
    passes: usize,
) -> Result<()> {
    let stride = width * BYTES_PER_PIXEL;
    // Every horizontal pass before the vertical ones, as Pillow orders them:
    // the rounding to bytes between passes then matches too. Pillow skips a
    // direction whose radius is 0 (a Gaussian's box radius for 0 is -0.0).
    if x_radius != 0.0 {
        let weights = BoxWeights::new(x_radius);
        let padded_len = stride + 2 * (weights.whole + 1) * BYTES_PER_PIXEL;
        // Each row's passes in turn: rows do not depend on each other, so
        // this is Pillow's order of passes for every row.
        for_each_band(data, stride, |_, rows| {
            let mut padded = Vec::new();
            padded.try_reserve_exact(padded_len).map_err(|_| ImageError::OutOfMemory { bytes: padded_len })?;
            for row in rows.chunks_exact_mut(stride) {
                for _ in 0..passes {
                    blur_row(row, weights, &mut padded);
                }
            }
            Ok(())
        })?;
    }
    if y_radius != 0.0 {
        let weights = BoxWeights::new(y_radius);
        let pass = |source: &[u8], target: &mut [u8]| {
            for_each_band(target, stride, |first_row, rows| {
                #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
                if let Some(done) = blur_columns_narrow(source, rows, (stride, height, first_row), weights) {
                    return done;
                }
                let mut sums = Vec::new();
                sums.try_reserve_exact(stride).map_err(|_| ImageError::OutOfMemory { bytes: stride * 4 })?;
                sums.resize(stride, 0u32);
                blur_columns(source, rows, (stride, height, first_row), weights, &mut sums);
                Ok(())
            })
        };
        // The passes go back and forth between `data` and a copy, each
        // reading the one before's result: one copy, not one a pass.
        let mut scratch = try_copy(data)?;
        for index in 0..passes {
            if index % 2 == 0 { pass(&scratch, data)? } else { pass(data, &mut scratch)? }
        }
        if passes % 2 == 0 {
            data.copy_from_slice(&scratch);
        }
    }
    Ok(())
}

/// Box radius whose three passes approximate a Gaussian of `sigma`
/// (Gwosdek et al., "Theoretical foundations of Gaussian convolution by
/// extended box filtering", as Pillow uses it).
pub fn gaussian_box_radius(sigma: f64, passes: u32) -> f32 {
    let sigma2 = (sigma * sigma / f64::from(passes)) as f32;
    let box_length = (12.0 * sigma2 + 1.0).sqrt();
    let whole = ((box_length - 1.0) / 2.0).floor();
    let fraction =
        (2.0 * whole + 1.0) * (whole * (whole + 1.0) - 3.0 * sigma2) / (6.0 * (sigma2 - (whole + 1.0) * (whole + 1.0)));
    whole + fraction
}

/// Pillow's `ImageFilter.GaussianBlur((x_radius, y_radius))`, whose radii
/// are standard deviations: three extended box blurs each way.
pub fn gaussian_blur(data: &mut [u8], width: usize, height: usize, x_radius: f64, y_radius: f64) -> Result<()> {
    let radii = [gaussian_box_radius(x_radius, 3), gaussian_box_radius(y_radius, 3)];
    box_blur_passes(data, width, height, radii, 3)
}

/// Pillow's `ImageFilter.UnsharpMask(radius, percent, threshold)`: each
/// byte (all four channels) that differs from its Gaussian blur by more
/// than `threshold` moves away from it by `percent` of the difference
/// (integer arithmetic, truncated, clipped); the others stay.
pub fn unsharp_mask(
    data: &mut [u8],
    width: usize,
    height: usize,
    radius: f64,
    percent: i32,
    threshold: i32,
) -> Result<()> {
    let mut blurred = try_copy(data)?;
    gaussian_blur(&mut blurred, width, height, radius, radius)?;
    let done = sharpen_vectors(data, &blurred, percent, threshold);
    let (percent, threshold) = (i64::from(percent), i64::from(threshold));
    for (value, &blur) in data[done..].iter_mut().zip(&blurred[done..]) {
        let difference = i64::from(*value) - i64::from(blur);
        if difference.abs() > threshold {
            *value = (i64::from(*value) + difference * percent / 100).clamp(0, 255) as u8;
        }
    }
    Ok(())
}

/// The last step of [`unsharp_mask`] sixteen bytes at a time with wasm
/// SIMD, for a `percent` within i16's range (every other is done by the
/// scalar loop); how many bytes it did. Each difference times `percent`
/// (below 2^24 in magnitude) is an exact f32, and so is its quotient by
/// 100 truncated: the quotient's rounding (under 2^-7 at most) is less
/// than any whole number's distance from a non-whole quotient (0.01).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn sharpen_vectors(data: &mut [u8], blurred: &[u8], percent: i32, threshold: i32) -> usize {
    use core::arch::wasm32::*;
    let Ok(percent) = i16::try_from(percent) else { return 0 };
    // Differences are within -255..=255: a threshold beyond is the same as 255.
    let threshold = i16x8_splat(threshold.clamp(-1, 255) as i16);
    let (percent, hundred) = (i16x8_splat(percent), f32x4_splat(100.0));
    let length = data.len().min(blurred.len());
    let mut at = 0;
    while at + 16 <= length {
        let (own, blur) = (crate::simd::load(&data[at..]), crate::simd::load(&blurred[at..]));
        let (values, blurs) = (crate::simd::u16_halves(own), crate::simd::u16_halves(blur));
        let results: [v128; 2] = std::array::from_fn(|half| {
            let (value, blur) = (values[half], blurs[half]);
            let difference = i16x8_sub(value, blur);
            let moved = |product: v128, value: v128| {
                let step = i32x4_trunc_sat_f32x4(f32x4_trunc(f32x4_div(f32x4_convert_i32x4(product), hundred)));
                i32x4_add(value, step)
            };
            let low = moved(i32x4_extmul_low_i16x8(difference, percent), i32x4_extend_low_i16x8(value));
            let high = moved(i32x4_extmul_high_i16x8(difference, percent), i32x4_extend_high_i16x8(value));
            let changed = i16x8_gt(i16x8_abs(difference), threshold);
            v128_bitselect(i16x8_narrow_i32x4(low, high), value, changed)
        });
        crate::simd::store(&mut data[at..], u8x16_narrow_i16x8(results[0], results[1]));
        at += 16;
    }
    at
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn sharpen_vectors(_data: &mut [u8], _blurred: &[u8], _percent: i32, _threshold: i32) -> usize {
    0
}

/// A square convolution kernel as Pillow's `ImageFilter.Kernel` takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    pub size: usize,
    pub weights: Vec<f32>,
    pub scale: f32,
    pub offset: f32,
}

impl Kernel {
    /// A 3x3 (9 weights) or 5x5 (25) kernel, weights and scale finite (see
    /// `args::kernel`). `scale` 0 means the sum of the weights (or 1 when
    /// they sum to 0), as in Pillow.
    pub fn new(weights: Vec<f32>, scale: f64, offset: f64) -> Self {
        let size = if weights.len() == 25 { 5 } else { 3 };
        assert_eq!(weights.len(), size * size, "a kernel has 9 or 25 weights");
        let mut scale = scale as f32;
        if scale == 0.0 {
            // Pillow sums the weights as Python floats, then passes a C float.
            scale = weights.iter().map(|&w| f64::from(w)).sum::<f64>() as f32;
            if scale == 0.0 {
                scale = 1.0;
            }
        }
        Self { size, weights, scale, offset: offset as f32 }
    }

    /// One of Pillow's built-in kernels, as `ImageFilter` defines it.
    pub fn builtin(filter: BuiltinFilter) -> Self {
        use BuiltinFilter::*;
        #[rustfmt::skip]
        let (weights, scale, offset): (&[f32], f32, f32) = match filter {
            Blur => (&[
                1.0, 1.0, 1.0, 1.0, 1.0,
                1.0, 0.0, 0.0, 0.0, 1.0,
                1.0, 0.0, 0.0, 0.0, 1.0,
                1.0, 0.0, 0.0, 0.0, 1.0,
                1.0, 1.0, 1.0, 1.0, 1.0,
            ], 16.0, 0.0),
            Contour => (&[-1.0, -1.0, -1.0, -1.0, 8.0, -1.0, -1.0, -1.0, -1.0], 1.0, 255.0),
            Detail => (&[0.0, -1.0, 0.0, -1.0, 10.0, -1.0, 0.0, -1.0, 0.0], 6.0, 0.0),
            EdgeEnhance => (&[-1.0, -1.0, -1.0, -1.0, 10.0, -1.0, -1.0, -1.0, -1.0], 2.0, 0.0),
            EdgeEnhanceMore => (&[-1.0, -1.0, -1.0, -1.0, 9.0, -1.0, -1.0, -1.0, -1.0], 1.0, 0.0),
            Emboss => (&[-1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0], 1.0, 128.0),
            FindEdges => (&[-1.0, -1.0, -1.0, -1.0, 8.0, -1.0, -1.0, -1.0, -1.0], 1.0, 0.0),
            Sharpen => (&[-2.0, -2.0, -2.0, -2.0, 32.0, -2.0, -2.0, -2.0, -2.0], 16.0, 0.0),
            Smooth => (&[1.0, 1.0, 1.0, 1.0, 5.0, 1.0, 1.0, 1.0, 1.0], 13.0, 0.0),
            SmoothMore => (&[
                1.0, 1.0, 1.0, 1.0, 1.0,
                1.0, 5.0, 5.0, 5.0, 1.0,
                1.0, 5.0, 44.0, 5.0, 1.0,
                1.0, 5.0, 5.0, 5.0, 1.0,
                1.0, 1.0, 1.0, 1.0, 1.0,
            ], 100.0, 0.0),
        };
        Self { size: if weights.len() == 9 { 3 } else { 5 }, weights: weights.to_vec(), scale, offset }
    }
}

/// Pillow's built-in `ImageFilter` kernels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BuiltinFilter {
    Blur,
    Contour,
    Detail,
    EdgeEnhance,
    EdgeEnhanceMore,
    Emboss,
    FindEdges,
    Sharpen,
    Smooth,
    SmoothMore,
}

impl BuiltinFilter {
    /// Each by its name in `ImageFilter`.
    pub const ALL: [(&'static str, Self); 10] = [
        ("BLUR", Self::Blur),
        ("CONTOUR", Self::Contour),
        ("DETAIL", Self::Detail),
        ("EDGE_ENHANCE", Self::EdgeEnhance),
        ("EDGE_ENHANCE_MORE", Self::EdgeEnhanceMore),
        ("EMBOSS", Self::Emboss),
        ("FIND_EDGES", Self::FindEdges),
        ("SHARPEN", Self::Sharpen),
        ("SMOOTH", Self::Smooth),
        ("SMOOTH_MORE", Self::SmoothMore),
    ];
}

/// Convolves all four channels with `kernel` exactly as Pillow's
/// `ImageFilter.Kernel` does on RGBA: weight (row r, column c) multiplies the
/// pixel at (x + c - size/2, y + size/2 - r); like Pillow, the outermost
/// `size / 2` rows and columns are copied unchanged, and an image smaller
/// than the kernel is left as it is.
pub fn convolve(data: &mut [u8], width: usize, height: usize, kernel: &Kernel) -> Result<()> {
    if width < kernel.size || height < kernel.size {
        return Ok(());
    }
    let source = try_copy(data)?;
    convolve_into(&source, data, width, height, kernel)
}

/// [`convolve`] of `source` into a new buffer, `source` unchanged: its
/// border copied, its inner pixels written by the kernel, so that the
/// pixels are not copied first.
pub fn convolved(source: &[u8], width: usize, height: usize, kernel: &Kernel) -> Result<Vec<u8>> {
    if width < kernel.size || height < kernel.size {
        return try_copy(source);
    }
    let mut target = try_alloc_zeroed(source.len())?;
    let (stride, border) = (width * BYTES_PER_PIXEL, kernel.size / 2 * BYTES_PER_PIXEL);
    for (y, (out, row)) in target.chunks_exact_mut(stride).zip(source.chunks_exact(stride)).enumerate() {
        if y < kernel.size / 2 || y >= height - kernel.size / 2 {
            out.copy_from_slice(row);
        } else {
            out[..border].copy_from_slice(&row[..border]);
            out[stride - border..].copy_from_slice(&row[stride - border..]);
        }
    }
    convolve_into(source, &mut target, width, height, kernel)?;
    Ok(target)
}

/// Writes the convolution of `source` into `target`'s inner pixels; its
/// border stays as it is. Bands of rows go to the pool's threads, each
/// computing its rows exactly as the whole image does.
fn convolve_into(source: &[u8], target: &mut [u8], width: usize, height: usize, kernel: &Kernel) -> Result<()> {
    if width < kernel.size || height < kernel.size {
        return Ok(());
    }
    let stride = width * BYTES_PER_PIXEL;
    let exact = ExactKernel::of(kernel);
    for_each_band(target, stride, |first_row, band| {
        let place = (width, height, first_row);
        match (kernel.size, &exact) {
            (3, Some(exact)) => convolve_exact::<3>(source, band, place, exact),
            (_, Some(exact)) => convolve_exact::<5>(source, band, place, exact),
            (3, None) => convolve_sized::<3>(source, band, place, kernel)?,
            (_, None) => convolve_sized::<5>(source, band, place, kernel)?,
        }
        Ok(())
    })
}

/// A kernel whose weights over its scale, and its offset plus Pillow's
/// rounding 0.5, are all whole multiples of 2^-`shift`, small enough that
/// 255 times the sum of their sizes stays below 2^15 units: then every
/// product and partial sum Pillow forms in C floats is such a multiple
/// below 2^15 units, exact in a float's 24-bit mantissa, so integers
/// (16-bit lanes) give its bytes whatever the order of the additions.
/// SHARPEN, BLUR, EDGE_ENHANCE(_MORE), FIND_EDGES, CONTOUR and EMBOSS are.
#[derive(Debug)]
struct ExactKernel {
    /// Kernel row, kernel column and weight (in units) of each non-zero weight.
    taps: Vec<(usize, usize, i16)>,
    bias: i16,
    shift: u32,
}

impl ExactKernel {
    fn of(kernel: &Kernel) -> Option<Self> {
        // The same C floats as Pillow's: each weight divided by the scale.
        let weights: Vec<f32> = kernel.weights.iter().map(|&weight| weight / kernel.scale).collect();
        let bias = kernel.offset + 0.5;
        (0..15).find_map(|shift| {
            let unit = (1u32 << shift) as f32;
            // Scaling by a power of two is exact, so a whole result means
            // the value is a multiple of the unit (NaN and infinities fail).
            let units = |value: f32| {
                let scaled = value * unit;
                (scaled == scaled.trunc() && scaled.abs() < 32768.0).then_some(scaled as i32)
            };
            let bias = units(bias)?;
            let mut reach = bias.unsigned_abs();
            let mut taps = Vec::new();
            for (at, &weight) in weights.iter().enumerate() {
                let weight = units(weight)?;
                reach += 255 * weight.unsigned_abs();
                if weight != 0 {
                    taps.push((at / kernel.size, at % kernel.size, weight as i16));
                }
            }
            (reach < 32768).then_some(Self { taps, bias: bias as i16, shift })
        })
    }
}

/// [`convolve_into`] of one band of `target` (rows from `first_row`) for an
/// [`ExactKernel`], in integers.
fn convolve_exact<const SIZE: usize>(
    source: &[u8],
    band: &mut [u8],
    (width, height, first_row): (usize, usize, usize),
    kernel: &ExactKernel,
) {
    let half = SIZE / 2;
    let stride = width * BYTES_PER_PIXEL;
    for (index, out) in band.chunks_exact_mut(stride).enumerate() {
        let y = first_row + index;
        if y < half || y + half >= height {
            continue;
        }
        // Kernel row r meets image row y + half - r.
        let rows: [&[u8]; SIZE] =
            std::array::from_fn(|r| &source[(y + half - r) * stride..(y + half - r + 1) * stride]);
        convolve_exact_row(&rows, kernel, &mut out[half * BYTES_PER_PIXEL..(width - half) * BYTES_PER_PIXEL]);
    }
}

/// One row of [`convolve_exact`]: `out`'s byte i sums the taps' bytes at
/// i + 4 * column of their rows.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn convolve_exact_row<const SIZE: usize>(rows: &[&[u8]; SIZE], kernel: &ExactKernel, out: &mut [u8]) {
    convolve_exact_bytes(rows, kernel, out, 0);
}

/// `convolve_exact_row` from byte `from` on, one byte at a time.
fn convolve_exact_bytes<const SIZE: usize>(rows: &[&[u8]; SIZE], kernel: &ExactKernel, out: &mut [u8], from: usize) {
    for (i, out) in out.iter_mut().enumerate().skip(from) {
        let mut sum = i32::from(kernel.bias);
        for &(row, column, weight) in &kernel.taps {
            sum += i32::from(weight) * i32::from(rows[row][i + column * BYTES_PER_PIXEL]);
        }
        // Flooring then clamping is Pillow's clamp then truncation.
        *out = (sum >> kernel.shift).clamp(0, 255) as u8;
    }
}

/// `convolve_exact_row` with wasm SIMD: sixteen bytes at a time, widened
/// to two vectors of eight 16-bit sums; the narrowing saturates to 0..=255,
/// which is the clamp.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn convolve_exact_row<const SIZE: usize>(rows: &[&[u8]; SIZE], kernel: &ExactKernel, out: &mut [u8]) {
    use core::arch::wasm32::{
        i16x8_add, i16x8_mul, i16x8_shr, i16x8_splat, u8x16_narrow_i16x8, u16x8_extend_high_u8x16,
        u16x8_extend_low_u8x16, v128,
    };
    let mut taps = [(&[][..], i16x8_splat(0)); 25];
    for (slot, &(row, column, weight)) in taps.iter_mut().zip(&kernel.taps) {
        *slot = (&rows[row][column * BYTES_PER_PIXEL..], i16x8_splat(weight));
    }
    let taps = &taps[..kernel.taps.len()];
    let bias: v128 = i16x8_splat(kernel.bias);
    let mut at = 0;
    // Every tap's row reaches 4 * (SIZE - 1) bytes past `out`'s end.
    while at + 16 <= out.len() {
        let (mut low, mut high) = (bias, bias);
        for &(row, weight) in taps {
            let bytes = crate::simd::load(&row[at..]);
            low = i16x8_add(low, i16x8_mul(u16x8_extend_low_u8x16(bytes), weight));
            high = i16x8_add(high, i16x8_mul(u16x8_extend_high_u8x16(bytes), weight));
        }
        let result = u8x16_narrow_i16x8(i16x8_shr(low, kernel.shift), i16x8_shr(high, kernel.shift));
        crate::simd::store(&mut out[at..], result);
        at += 16;
    }
    convolve_exact_bytes(rows, kernel, out, at);
}

/// [`convolve_into`] of one band of `target` (rows from `first_row`) in C
/// floats, as Pillow computes it.
fn convolve_sized<const SIZE: usize>(
    source: &[u8],
    band: &mut [u8],
    (width, height, first_row): (usize, usize, usize),
    kernel: &Kernel,
) -> Result<()> {
    let half = SIZE / 2;
    let stride = width * BYTES_PER_PIXEL;
    let rows = (first_row.max(half), (first_row + band.len() / stride).min(height - half));
    if rows.0 >= rows.1 {
        return Ok(());
    }
    // Pillow divides each weight by the scale once (in C floats) and sums
    // row by row, each row's three or five products first; the same order
    // of f32 operations gives the same bytes.
    let weights: [[f32; SIZE]; SIZE] =
        std::array::from_fn(|r| std::array::from_fn(|c| kernel.weights[r * SIZE + c] / kernel.scale));
    let bias = kernel.offset + 0.5;
    // The last SIZE source rows as floats, each converted once: row y is in
    // slot y % SIZE.
    let mut rows_as_floats = Vec::new();
    rows_as_floats
        .try_reserve_exact(SIZE * stride)
        .map_err(|_| ImageError::OutOfMemory { bytes: SIZE * stride * std::mem::size_of::<f32>() })?;
    rows_as_floats.resize(SIZE * stride, 0.0f32);
    let convert = |cache: &mut [f32], y: usize| {
        let slot = &mut cache[(y % SIZE) * stride..(y % SIZE + 1) * stride];
        for (float, &byte) in slot.iter_mut().zip(&source[y * stride..(y + 1) * stride]) {
            *float = f32::from(byte);
        }
    };
    for y in rows.0 - half..rows.0 + half {
        convert(&mut rows_as_floats, y);
    }
    for y in rows.0..rows.1 {
        convert(&mut rows_as_floats, y + half);
        // Kernel row r meets image row y + half - r.
        let taps: [&[f32]; SIZE] = std::array::from_fn(|r| {
            let slot = (y + half - r) % SIZE;
            &rows_as_floats[slot * stride..(slot + 1) * stride]
        });
        let out = &mut band[(y - first_row) * stride..(y - first_row + 1) * stride];
        convolve_row(&taps, &weights, bias, &mut out[half * BYTES_PER_PIXEL..(width - half) * BYTES_PER_PIXEL]);
    }
    Ok(())
}

/// One output row: `out` gets the pixels whose neighbourhoods start at the
/// rows' first pixel; `rows[r]` is the source row kernel row r meets, as
/// floats. The four channels of a pixel are summed side by side, each in
/// Pillow's order: the products of a kernel row first, then that row's
/// total added to the bias.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn convolve_row<const SIZE: usize>(rows: &[&[f32]; SIZE], weights: &[[f32; SIZE]; SIZE], bias: f32, out: &mut [u8]) {
    for (x, target) in out.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
        let mut sums = [bias; BYTES_PER_PIXEL];
        for (row, row_weights) in rows.iter().zip(weights) {
            let taps = &row[x * BYTES_PER_PIXEL..(x + SIZE) * BYTES_PER_PIXEL];
            // 0 plus the first product is that product: Pillow's sum.
            let mut partial = [0.0f32; BYTES_PER_PIXEL];
            for (pixel, &weight) in taps.chunks_exact(BYTES_PER_PIXEL).zip(row_weights) {
                for c in 0..BYTES_PER_PIXEL {
                    partial[c] += pixel[c] * weight;
                }
            }
            for c in 0..BYTES_PER_PIXEL {
                sums[c] += partial[c];
            }
        }
        for c in 0..BYTES_PER_PIXEL {
            target[c] = sums[c].clamp(0.0, 255.0) as u8;
        }
    }
}

/// `convolve_row` with wasm SIMD: a pixel's four channels are the four
/// lanes of one vector, so every operation is the scalar one, lane by lane,
/// in the same order (wasm has no fused multiply-add to change a rounding);
/// four pixels' bytes are narrowed into one store.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn convolve_row<const SIZE: usize>(rows: &[&[f32]; SIZE], weights: &[[f32; SIZE]; SIZE], bias: f32, out: &mut [u8]) {
    use core::arch::wasm32::{
        f32x4_add, f32x4_mul, f32x4_pmax, f32x4_pmin, f32x4_splat, i16x8_narrow_i32x4, i32x4_trunc_sat_f32x4,
        u8x16_narrow_i16x8, u32x4_extract_lane, v128, v128_load,
    };
    let weights: [[v128; SIZE]; SIZE] = std::array::from_fn(|r| std::array::from_fn(|c| f32x4_splat(weights[r][c])));
    let (bias, zero, top) = (f32x4_splat(bias), f32x4_splat(0.0), f32x4_splat(255.0));
    // Pixel x's sums, clamped to 0..=255 and truncated towards zero (as
    // `as u8` does), as four i32 lanes.
    let pixel = |x: usize| {
        let mut sums = bias;
        for (row, row_weights) in rows.iter().zip(&weights) {
            let taps = &row[x * BYTES_PER_PIXEL..(x + SIZE) * BYTES_PER_PIXEL];
            let mut partial = zero;
            for (tap, &weight) in row_weights.iter().enumerate() {
                // SAFETY: `taps` holds SIZE pixels of four floats, so the
                // 16 bytes read at pixel `tap` are inside it; wasm loads
                // need no alignment.
                let pixel = unsafe { v128_load(taps.as_ptr().add(tap * BYTES_PER_PIXEL).cast::<v128>()) };
                partial = f32x4_add(partial, f32x4_mul(pixel, weight));
            }
            sums = f32x4_add(sums, partial);
        }
        i32x4_trunc_sat_f32x4(f32x4_pmin(top, f32x4_pmax(zero, sums)))
    };
    let done = out.len() / (4 * BYTES_PER_PIXEL) * 4;
    for (quad, target) in out.chunks_exact_mut(4 * BYTES_PER_PIXEL).enumerate() {
        let x = quad * 4;
        let (first, second) =
            (i16x8_narrow_i32x4(pixel(x), pixel(x + 1)), i16x8_narrow_i32x4(pixel(x + 2), pixel(x + 3)));
        crate::simd::store(target, u8x16_narrow_i16x8(first, second));
    }
    for (x, target) in out[done * BYTES_PER_PIXEL..].chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
        let words = pixel(done + x);
        let halves = i16x8_narrow_i32x4(words, words);
        let bytes = u8x16_narrow_i16x8(halves, halves);
        target.copy_from_slice(&u32x4_extract_lane::<0>(bytes).to_le_bytes());
    }
}

/// [`convolve`] of a one-band 32-bit image as Pillow's `ImagingFilter`
/// runs it: each pixel's 4 bytes a little-endian integer ("I", and the
/// 16-bit modes as they are stored here), summed in C floats in the same
/// order as the 8-bit kernel, then truncated and clamped to 0..=65535 when
/// `sixteen`, else to 0..=i32::MAX (Pillow's `clip16` and `clip32`: an
/// "I" result is never negative).
pub fn convolve_wide(data: &mut [u8], width: usize, height: usize, kernel: &Kernel, sixteen: bool) -> Result<()> {
    if width < kernel.size || height < kernel.size {
        return Ok(());
    }
    let source = try_copy(data)?;
    // The clamp is chosen once here, not per pixel.
    match (kernel.size, sixteen) {
        (3, true) => convolve_wide_sized::<3, true>(&source, data, width, height, kernel),
        (3, false) => convolve_wide_sized::<3, false>(&source, data, width, height, kernel),
        (_, true) => convolve_wide_sized::<5, true>(&source, data, width, height, kernel),
        (_, false) => convolve_wide_sized::<5, false>(&source, data, width, height, kernel),
    }
    Ok(())
}

fn convolve_wide_sized<const SIZE: usize, const SIXTEEN: bool>(
    source: &[u8],
    data: &mut [u8],
    width: usize,
    height: usize,
    kernel: &Kernel,
) {
    let half = SIZE / 2;
    let weights: [[f32; SIZE]; SIZE] =
        std::array::from_fn(|r| std::array::from_fn(|c| kernel.weights[r * SIZE + c] / kernel.scale));
    let bias = kernel.offset + 0.5;
    let value = |x: usize, y: usize| {
        let at = (y * width + x) * BYTES_PER_PIXEL;
        i32::from_le_bytes([source[at], source[at + 1], source[at + 2], source[at + 3]]) as f32
    };
    for y in half..height - half {
        for x in half..width - half {
            let mut sum = bias;
            // Kernel row r meets image row y + half - r, as in `convolve`.
            for (r, row_weights) in weights.iter().enumerate() {
                let row = y + half - r;
                let mut partial = value(x - half, row) * row_weights[0];
                for (c, &weight) in row_weights.iter().enumerate().skip(1) {
                    partial += value(x - half + c, row) * weight;
                }
                sum += partial;
            }
            let out = if SIXTEEN {
                sum.clamp(0.0, 65535.0) as i32
            } else if sum >= 2_147_483_647.0 {
                i32::MAX
            } else {
                sum.max(0.0) as i32
            };
            let at = (y * width + x) * BYTES_PER_PIXEL;
            data[at..at + BYTES_PER_PIXEL].copy_from_slice(&out.to_le_bytes());
        }
    }
}

/// Pillow's `ImageEnhance.Sharpness(image).enhance(factor)`: red, green and
/// blue blended from the SMOOTH-filtered image (factor 0) through the
/// original (1) and beyond; alpha is kept.
pub fn sharpness(data: &mut [u8], width: usize, height: usize, factor: f64) -> Result<()> {
    let mut smoothed = try_copy(data)?;
    convolve_into(data, &mut smoothed, width, height, &Kernel::builtin(BuiltinFilter::Smooth))?;
    crate::colour::blend_from(data, &smoothed, factor);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::samples::{grey_row, reds};
    use proptest::prelude::*;

    /// Box blur by brute force with edges extended, integer radius.
    fn naive_box_line(values: &[u8], radius: isize) -> Vec<u8> {
        let n = values.len() as isize;
        (0..n)
            .map(|x| {
                let sum: u32 = (x - radius..=x + radius).map(|i| u32::from(values[i.clamp(0, n - 1) as usize])).sum();
                ((f64::from(sum) / (2 * radius + 1) as f64) + 0.5).floor() as u8
            })
            .collect()
    }

    fn wide(values: &[i32]) -> Vec<u8> {
        values.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn values(data: &[u8]) -> Vec<i32> {
        data.chunks_exact(4).map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect()
    }

    #[test]
    fn wide_convolution_clamps_as_pillows_clip32_and_clip16() {
        // 3x3 of 1000s with a 70000 in the middle: FIND_EDGES gives
        // 8 * 70000 - 8 * 1000 at the centre, which "I" keeps and the
        // 16-bit modes clamp to 65535; the border is copied.
        let mut grid = vec![1000; 9];
        grid[4] = 70000;
        let kernel = Kernel::builtin(BuiltinFilter::FindEdges);
        let mut data = wide(&grid);
        convolve_wide(&mut data, 3, 3, &kernel, false).unwrap();
        assert_eq!(values(&data)[4], 552_000);
        assert_eq!(values(&data)[0], 1000);
        let mut data = wide(&grid);
        convolve_wide(&mut data, 3, 3, &kernel, true).unwrap();
        assert_eq!(values(&data)[4], 65535);
        // Negative sums are 0 in both: Pillow's "I" result is never negative.
        let mut grid = vec![5000; 9];
        grid[4] = 0;
        let mut data = wide(&grid);
        convolve_wide(&mut data, 3, 3, &kernel, false).unwrap();
        assert_eq!(values(&data)[4], 0);
        // Beyond i32: i32::MAX, not a wrapped value.
        let mut data = wide(&[i32::MAX; 9]);
        convolve_wide(&mut data, 3, 3, &Kernel::new(vec![1.0; 9], 1.0, 0.0), false).unwrap();
        assert_eq!(values(&data)[4], i32::MAX);
        // A flat 16-bit image stays flat under SMOOTH (Pillow's rounding bias).
        let mut data = wide(&[1000; 25]);
        convolve_wide(&mut data, 5, 5, &Kernel::builtin(BuiltinFilter::Smooth), true).unwrap();
        assert_eq!(values(&data), vec![1000; 25]);
        // Smaller than the kernel: unchanged.
        let mut data = wide(&[7, 8]);
        convolve_wide(&mut data, 2, 1, &kernel, false).unwrap();
        assert_eq!(values(&data), vec![7, 8]);
    }
    #[test]
    fn box_blur_of_a_line_matches_the_brute_force_mean() {
        let values = [0, 0, 90, 255, 30, 30, 200, 10];
        for radius in [1, 2, 5, 20] {
            let mut data = grey_row(&values);
            box_blur(&mut data, values.len(), 1, radius as f64, 0.0).unwrap();
            let expected = naive_box_line(&values, radius);
            for (got, want) in reds(&data).iter().zip(&expected) {
                assert!(got.abs_diff(*want) <= 1, "radius {radius}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn blur_radius_larger_than_the_image_tends_to_the_edges() {
        // 1001 copies of the near edge against 1000 of the far one.
        let mut data = grey_row(&[0, 255]);
        box_blur(&mut data, 2, 1, 1000.0, 1000.0).unwrap();
        assert_eq!(reds(&data), vec![127, 128]);
    }

    #[test]
    fn blur_of_a_flat_image_changes_nothing() {
        let mut data = vec![77u8; 5 * 4 * 4];
        gaussian_blur(&mut data, 5, 4, 3.0, 1.0).unwrap();
        assert!(data.iter().all(|&v| v == 77));
        box_blur(&mut data, 5, 4, 2.5, 0.5).unwrap();
        assert!(data.iter().all(|&v| v == 77));
    }

    #[test]
    fn one_pixel_survives_any_blur() {
        let mut data = vec![1, 2, 3, 4];
        gaussian_blur(&mut data, 1, 1, 50.0, 50.0).unwrap();
        assert_eq!(data, vec![1, 2, 3, 4]);
    }

    #[test]
    fn gaussian_box_radius_matches_pillows_formula() {
        // sigma 3 over 3 passes: sigma2 = 3, L = sqrt(37), l = 2,
        // a = 5 * (6 - 9) / (6 * (3 - 9)) = 5 / 12.
        let r = gaussian_box_radius(3.0, 3);
        assert!((r - (2.0 + 5.0 / 12.0)).abs() < 1e-5, "{r}");
    }

    #[test]
    fn gaussian_blur_spreads_a_dot_symmetrically() {
        let mut data = vec![0u8; 9 * 9 * 4];
        let centre = (4 * 9 + 4) * 4;
        data[centre] = 255;
        gaussian_blur(&mut data, 9, 9, 1.0, 1.0).unwrap();
        let red = |x: usize, y: usize| data[(y * 9 + x) * 4];
        assert!(red(4, 4) > red(3, 4) && red(3, 4) > red(2, 4));
        assert_eq!(red(3, 4), red(5, 4));
        assert_eq!(red(4, 3), red(4, 5));
        assert_eq!(red(3, 4), red(4, 3));
    }

    #[test]
    fn kernel_scale_zero_means_the_sum_of_the_weights() {
        assert_eq!(Kernel::new(vec![1.0; 9], 0.0, 0.0).scale, 9.0);
        assert_eq!(Kernel::new(vec![0.0; 25], 0.0, 0.0).scale, 1.0);
        assert_eq!(Kernel::new(vec![1.0; 9], 2.5, 0.0).scale, 2.5);
    }

    #[test]
    fn identity_kernel_changes_nothing() {
        let mut identity = [0.0; 9];
        identity[4] = 1.0;
        let kernel = Kernel::new(identity.to_vec(), 1.0, 0.0);
        let original: Vec<u8> = (0..4 * 4 * 4).map(|v| (v * 7 % 256) as u8).collect();
        let mut data = original.clone();
        convolve(&mut data, 4, 4, &kernel).unwrap();
        assert_eq!(data, original);
    }

    #[test]
    fn edge_detect_is_zero_on_flat_areas_and_keeps_borders() {
        let mut data = vec![100u8; 4 * 4 * 4];
        convolve(&mut data, 4, 4, &Kernel::builtin(BuiltinFilter::FindEdges)).unwrap();
        assert_eq!(&data[(4 + 1) * 4..(4 + 1) * 4 + 4], &[0, 0, 0, 0]);
        assert_eq!(&data[..4], &[100; 4]);
    }

    #[test]
    fn kernel_rows_run_bottom_to_top_like_pillow() {
        let mut data = vec![100u8; 5 * 5 * 4];
        data[(2 * 5 + 2) * 4] = 200;
        let mut corner = [0.0; 9];
        corner[0] = 1.0;
        convolve(&mut data, 5, 5, &Kernel::new(corner.to_vec(), 1.0, 0.0)).unwrap();
        assert_eq!(data[(5 + 3) * 4], 200);
        assert_eq!(data[(2 * 5 + 2) * 4], 100);
    }

    #[test]
    fn emboss_of_flat_grey_is_its_offset() {
        let mut data = vec![50u8; 3 * 3 * 4];
        convolve(&mut data, 3, 3, &Kernel::builtin(BuiltinFilter::Emboss)).unwrap();
        assert_eq!(data[(3 + 1) * 4], 128);
    }

    #[test]
    fn five_by_five_kernel_leaves_small_images_alone() {
        let mut data = vec![9u8; 4 * 4 * 4];
        data[0] = 200;
        let before = data.clone();
        convolve(&mut data, 4, 4, &Kernel::builtin(BuiltinFilter::SmoothMore)).unwrap();
        assert_eq!(data, before);
    }

    #[test]
    fn sharpness_blends_from_the_smoothed_image() {
        let (width, height) = (4, 3);
        let data: Vec<u8> = (0..width * height * 4).map(|v| (v * 37 % 256) as u8).collect();
        let mut same = data.clone();
        sharpness(&mut same, width, height, 1.0).unwrap();
        assert_eq!(same, data);
        let mut smoothed = data.clone();
        convolve(&mut smoothed, width, height, &Kernel::builtin(BuiltinFilter::Smooth)).unwrap();
        let mut flat = data.clone();
        sharpness(&mut flat, width, height, 0.0).unwrap();
        for (index, (&got, (&smooth, &original))) in flat.iter().zip(smoothed.iter().zip(&data)).enumerate() {
            assert_eq!(got, if index % 4 == 3 { original } else { smooth }, "byte {index}");
        }
        // Inner pixel (1, 1), red: twice as far from the smoothed value.
        let mut sharp = data.clone();
        sharpness(&mut sharp, width, height, 2.0).unwrap();
        let at = (width + 1) * 4;
        let expected =
            (f32::from(smoothed[at]) + 2.0 * (f32::from(data[at]) - f32::from(smoothed[at]))).clamp(0.0, 255.0);
        assert_eq!(sharp[at], expected as u8);
    }

    #[test]
    fn unsharp_mask_pushes_away_from_the_blur_past_the_threshold() {
        // A bright pixel in a dark row: the blur lowers it, the mask raises it.
        let mut data = grey_row(&[10, 10, 10, 200, 10, 10, 10]);
        let mut blurred = data.clone();
        gaussian_blur(&mut blurred, 7, 1, 1.0, 1.0).unwrap();
        unsharp_mask(&mut data, 7, 1, 1.0, 150, 3).unwrap();
        let centre = i64::from(blurred[12]);
        assert_eq!(i64::from(data[12]), (200 + (200 - centre) * 150 / 100).min(255));
        assert_eq!(data[15], 255, "alpha equal to its blur stays");
        // A threshold above every difference changes nothing.
        let mut calm = grey_row(&[10, 10, 10, 200, 10, 10, 10]);
        unsharp_mask(&mut calm, 7, 1, 1.0, 150, 255).unwrap();
        assert_eq!(calm, grey_row(&[10, 10, 10, 200, 10, 10, 10]));
        // A byte below its blur moves down, clipped at 0.
        let mut dim = grey_row(&[0, 0, 0, 7, 0, 0, 0]);
        let mut dim_blur = dim.clone();
        gaussian_blur(&mut dim_blur, 7, 1, 1.0, 1.0).unwrap();
        unsharp_mask(&mut dim, 7, 1, 1.0, 50, 0).unwrap();
        let difference = 0 - i64::from(dim_blur[0]);
        assert_eq!(i64::from(dim[0]), (difference * 50 / 100).max(0));
    }

    /// `kernel` in C floats over the whole image, as Pillow computes it.
    fn convolve_in_floats(data: &[u8], width: usize, height: usize, kernel: &Kernel) -> Vec<u8> {
        let mut out = data.to_vec();
        let place = (width, height, 0);
        match kernel.size {
            3 => convolve_sized::<3>(data, &mut out, place, kernel).unwrap(),
            _ => convolve_sized::<5>(data, &mut out, place, kernel).unwrap(),
        }
        out
    }

    #[test]
    fn integer_convolutions_are_the_float_bytes() {
        let (width, height) = (23, 11);
        let image: Vec<u8> = (0..width * height * 4).map(|v| (v * 97 % 251) as u8 ^ (v as u8 & 0x81)).collect();
        let mut kernels: Vec<Kernel> = BuiltinFilter::ALL.iter().map(|&(_, filter)| Kernel::builtin(filter)).collect();
        // As far as 16-bit sums reach (255 * 128 units and the bias), with
        // flat and extreme areas clamped both ways, then past it.
        let steep = |centre: f32| [vec![-8.0; 4], vec![centre], vec![-8.0; 4]].concat();
        kernels.push(Kernel::new(steep(64.0), 4.0, 0.0));
        kernels.push(Kernel::new(steep(65.0), 4.0, 0.0));
        kernels.push(Kernel::new((0..25).map(|i| ((i * 7) % 5) as f32 - 2.0).collect(), 0.0, -20.0));
        kernels.push(Kernel::new(vec![0.25, -0.5, 0.25, 1.0, 0.0, -1.0, 0.125, 0.0, 0.375], 1.0, -3.25));
        kernels.push(Kernel::new(vec![1.0; 9], 9.0, 0.0));
        let exact: Vec<bool> = kernels.iter().map(|kernel| ExactKernel::of(kernel).is_some()).collect();
        assert_eq!(
            exact,
            [true, true, false, true, true, true, true, true, false, false, true, false, true, true, false]
        );
        for (index, kernel) in kernels.iter().enumerate() {
            let mut data = image.clone();
            convolve(&mut data, width, height, kernel).unwrap();
            assert!(data == convolve_in_floats(&image, width, height, kernel), "kernel {index}: {kernel:?}");
        }
        let extremes: Vec<u8> =
            (0..width * height * 4).map(|v| if (v / 4 + v / 92) % 3 == 0 { 255 } else { 0 }).collect();
        for kernel in kernels.iter().filter(|kernel| kernel.size == 3) {
            let mut data = extremes.clone();
            convolve(&mut data, width, height, kernel).unwrap();
            assert!(data == convolve_in_floats(&extremes, width, height, kernel), "{kernel:?} on 0 and 255");
        }
    }

    #[test]
    fn repeated_box_blur_runs_every_horizontal_pass_before_the_vertical_ones() {
        let values: Vec<u8> = (0..12).map(|i| (i * 37 % 256) as u8).collect();
        let mut once = grey_row(&values);
        let mut repeated = once.clone();
        box_blur(&mut once, 4, 3, 1.0, 0.5).unwrap();
        box_blur_repeated(&mut repeated, 4, 3, 1.0, 0.5, 1).unwrap();
        assert_eq!(once, repeated);
        // Two passes across, then two down, equal two across-only blurs
        // followed by two down-only ones.
        let (mut two, mut by_direction) = (grey_row(&values), grey_row(&values));
        box_blur_repeated(&mut two, 4, 3, 1.0, 0.5, 2).unwrap();
        for radii in [(1.0, 0.0), (1.0, 0.0), (0.0, 0.5), (0.0, 0.5)] {
            box_blur(&mut by_direction, 4, 3, radii.0, radii.1).unwrap();
        }
        assert_eq!(two, by_direction);
    }

    proptest! {
        #[test]
        fn convolved_copies_equal_the_in_place_convolution(
            width in 1usize..12, height in 1usize..12, data in prop::collection::vec(any::<u8>(), 4 * 11 * 11),
            weights in prop::collection::vec(-8.0f32..8.0, 9), offset in -20.0f64..20.0,
        ) {
            let data = &data[..width * height * 4];
            let mut kernels: Vec<Kernel> = BuiltinFilter::ALL.iter().map(|&(_, filter)| Kernel::builtin(filter)).collect();
            kernels.push(Kernel::new(weights, 0.0, offset));
            for kernel in &kernels {
                let mut in_place = data.to_vec();
                convolve(&mut in_place, width, height, kernel).unwrap();
                prop_assert_eq!(convolved(data, width, height, kernel).unwrap(), in_place);
            }
        }

        #[test]
        fn blur_stays_within_the_input_range(values in prop::collection::vec(any::<u8>(), 1..40), radius in 0.0f64..50.0) {
            let mut data = grey_row(&values);
            box_blur(&mut data, values.len(), 1, radius, radius).unwrap();
            let (lo, hi) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
            prop_assert!(reds(&data).iter().all(|&v| v >= lo && v <= hi));
        }
    }
}
