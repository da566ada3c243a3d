//! Per-pixel colour operations over RGBA bytes (any number of whole pixels).
//! Where Pillow defines the operation, the arithmetic is Pillow's.

use crate::buffer::BYTES_PER_PIXEL;

/// Rec. 601 luma with Pillow's fixed-point weights (`convert("L")`).
pub fn luma(red: u8, green: u8, blue: u8) -> u8 {
    ((u32::from(red) * 19595 + u32::from(green) * 38470 + u32::from(blue) * 7471 + 0x8000) >> 16) as u8
}

/// A byte-to-byte table applied to red, green and blue.
pub type Lut = [u8; 256];

// Not inlined: many operations share this loop, and a copy in each would
// cost a kilobyte of wasm apiece.
#[inline(never)]
pub fn apply_lut(pixels: &mut [u8], lut: &Lut) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        pixel[0] = lut[usize::from(pixel[0])];
        pixel[1] = lut[usize::from(pixel[1])];
        pixel[2] = lut[usize::from(pixel[2])];
    }
}

// One copy of the loop for every table, called through `dyn`: 256 calls are
// nothing beside an image, and a generic copy per table would be unrolled
// into kilobytes of wasm each.
#[inline(never)]
fn lut(f: &dyn Fn(u8) -> u8) -> Lut {
    let mut table = [0; 256];
    for (value, entry) in table.iter_mut().enumerate() {
        *entry = f(value as u8);
    }
    table
}

/// Pillow's `Image.blend` per byte: `a + factor * (b - a)`, clipped, truncated.
pub(crate) fn blend_byte(a: f32, b: f32, factor: f32) -> u8 {
    let value = a + factor * (b - a);
    if value <= 0.0 {
        0
    } else if value >= 255.0 {
        255
    } else {
        value as u8
    }
}

/// [`blend_byte`] of every byte of `values` with the same byte of
/// `other`: from `other` towards `values` when `other_is_start` (the
/// enhancers' blend from a degenerate image), else from `values` towards
/// `other` (`Image.blend`); alpha (every fourth byte) kept with
/// `keep_alpha`. Sixteen bytes at a time with wasm SIMD: the same f32
/// operations in the same order, so the same bytes.
pub(crate) fn blend_slices(values: &mut [u8], other: &[u8], factor: f32, other_is_start: bool, keep_alpha: bool) {
    let done = blend_vectors(values, other, factor, other_is_start, keep_alpha);
    for (index, (value, &byte)) in values.iter_mut().zip(other).enumerate().skip(done) {
        if keep_alpha && index % BYTES_PER_PIXEL == 3 {
            continue;
        }
        let (start, end) = if other_is_start { (byte, *value) } else { (*value, byte) };
        *value = blend_byte(f32::from(start), f32::from(end), factor);
    }
}

/// [`blend_slices`] over whole 16-byte vectors; how many bytes it did.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn blend_vectors(values: &mut [u8], other: &[u8], factor: f32, other_is_start: bool, keep_alpha: bool) -> usize {
    use crate::simd::{load, store};
    use core::arch::wasm32::{f32x4_splat, u32x4_splat, v128_bitselect};
    let factor = f32x4_splat(factor);
    // The bytes taken from the blend: all, or red, green and blue.
    let blended = u32x4_splat(if keep_alpha { 0x00FF_FFFF } else { u32::MAX });
    let length = values.len().min(other.len());
    let mut at = 0;
    while at + 16 <= length {
        let (own, theirs) = (load(&values[at..]), load(&other[at..]));
        let (start, end) = if other_is_start { (theirs, own) } else { (own, theirs) };
        store(&mut values[at..], v128_bitselect(blend_vector(start, end, factor), own, blended));
        at += 16;
    }
    at
}

/// [`blend_byte`] of sixteen bytes (`factor` in every lane).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn blend_vector(
    start: core::arch::wasm32::v128,
    end: core::arch::wasm32::v128,
    factor: core::arch::wasm32::v128,
) -> core::arch::wasm32::v128 {
    use crate::simd::{bytes_of_f32, f32_of_bytes};
    use core::arch::wasm32::{f32x4_add, f32x4_mul, f32x4_sub};
    let (a, b) = (f32_of_bytes(start), f32_of_bytes(end));
    bytes_of_f32(std::array::from_fn(|k| f32x4_add(a[k], f32x4_mul(factor, f32x4_sub(b[k], a[k])))))
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn blend_vectors(_values: &mut [u8], _other: &[u8], _factor: f32, _other_is_start: bool, _keep_alpha: bool) -> usize {
    0
}

pub fn grayscale(pixels: &mut [u8]) {
    let done = grayscale_vectors(pixels);
    for pixel in pixels[done..].chunks_exact_mut(BYTES_PER_PIXEL) {
        let value = luma(pixel[0], pixel[1], pixel[2]);
        pixel[..3].fill(value);
    }
}

/// `grayscale` four pixels at a time with wasm SIMD; returns the bytes done.
/// Each pixel's weighted sum comes from two i16 dot products (red with
/// green, blue with alpha). Pillow's green weight, 38470, does not fit an
/// i16, so the dot uses 38470 - 65536 and green comes back after the shift:
/// (s + 65536 g) >> 16 == (s >> 16) + g.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn grayscale_vectors(pixels: &mut [u8]) -> usize {
    use core::arch::wasm32::{i32x4_mul, i32x4_splat, v128_and, v128_or};
    let (alpha, grey) = (i32x4_splat(-0x0100_0000), i32x4_splat(0x01_0101));
    let done = pixels.len() / 16 * 16;
    for chunk in pixels[..done].chunks_exact_mut(16) {
        let four = crate::simd::load(chunk);
        crate::simd::store(chunk, v128_or(i32x4_mul(luma_lanes(four), grey), v128_and(four, alpha)));
    }
    done
}

/// [`luma`] of four RGBA pixels, each in its 32-bit lane (see
/// [`grayscale_vectors`] for the green weight's detour).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[inline(always)]
fn luma_lanes(four: core::arch::wasm32::v128) -> core::arch::wasm32::v128 {
    use core::arch::wasm32::{
        i16x8, i32x4_add, i32x4_dot_i16x8, i32x4_shr, i32x4_shuffle, i32x4_splat, u16x8_extend_high_u8x16,
        u16x8_extend_low_u8x16, u32x4_shr, v128_and,
    };
    const GREEN: i16 = (38470 - 65536) as i16;
    let weights = i16x8(19595, GREEN, 7471, 0, 19595, GREEN, 7471, 0);
    let (half, byte) = (i32x4_splat(0x8000), i32x4_splat(0xff));
    let low = i32x4_dot_i16x8(u16x8_extend_low_u8x16(four), weights);
    let high = i32x4_dot_i16x8(u16x8_extend_high_u8x16(four), weights);
    let sums = i32x4_add(i32x4_shuffle::<0, 2, 4, 6>(low, high), i32x4_shuffle::<1, 3, 5, 7>(low, high));
    let green = v128_and(u32x4_shr(four, 8), byte);
    i32x4_add(i32x4_shr(i32x4_add(sums, half), 16), green)
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn grayscale_vectors(_pixels: &mut [u8]) -> usize {
    0
}

/// `255 - value` on red, green and blue; alpha is kept.
pub fn invert(pixels: &mut [u8]) {
    // For a byte 255 - v is v ^ 255: a whole pixel is one xor, which the
    // compiler widens to vectors of four pixels.
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let value = u32::from_le_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]) ^ 0x00ff_ffff;
        pixel.copy_from_slice(&value.to_le_bytes());
    }
}

/// Table for Pillow's `ImageEnhance.Brightness(image).enhance(factor)`: 0 gives black,
/// 1 the original, above 1 brighter.
pub fn brightness_lut(factor: f64) -> Lut {
    lut(&|v| blend_byte(0.0, f32::from(v), factor as f32))
}

/// Mean luma rounded like Pillow's `ImageStat` + `int(mean + 0.5)`.
pub fn mean_luma<'a>(rows: impl Iterator<Item = &'a [u8]>) -> u8 {
    let (mut sum, mut count) = (0u64, 0u64);
    for row in rows {
        for pixel in row.chunks_exact(BYTES_PER_PIXEL) {
            sum += u64::from(luma(pixel[0], pixel[1], pixel[2]));
            count += 1;
        }
    }
    if count == 0 { 0 } else { ((sum as f64 / count as f64) + 0.5) as u8 }
}

/// Table for Pillow's `ImageEnhance.Contrast`: blend towards the mean grey (`mean`, see
/// [`mean_luma`]) by `factor`; 0 gives flat grey, 1 the original.
pub fn contrast_lut(mean: u8, factor: f64) -> Lut {
    lut(&|v| blend_byte(f32::from(mean), f32::from(v), factor as f32))
}

/// Table for gamma correction: `255 * (value / 255) ^ (1 / gamma)`, rounded; above 1
/// lightens the mid-tones, below 1 darkens them.
pub fn gamma_lut(gamma: f64) -> Lut {
    let exponent = 1.0 / gamma;
    lut(&|v| (255.0 * (f64::from(v) / 255.0).powf(exponent)).round().clamp(0.0, 255.0) as u8)
}

/// White where the luma is at least `level`, black elsewhere
/// (Pillow: `convert("L").point(lambda v: 255 if v >= level else 0)`).
pub fn threshold(pixels: &mut [u8], level: u8) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let value = if luma(pixel[0], pixel[1], pixel[2]) >= level { 255 } else { 0 };
        pixel[..3].fill(value);
    }
}

/// The classic sepia tone matrix, rounded and clipped.
pub fn sepia(pixels: &mut [u8]) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let (r, g, b) = (f32::from(pixel[0]), f32::from(pixel[1]), f32::from(pixel[2]));
        let tone = |kr: f32, kg: f32, kb: f32| (kr * r + kg * g + kb * b + 0.5).min(255.0) as u8;
        pixel[0] = tone(0.393, 0.769, 0.189);
        pixel[1] = tone(0.349, 0.686, 0.168);
        pixel[2] = tone(0.272, 0.534, 0.131);
    }
}

/// Sets every alpha byte to `alpha` (Pillow's `putalpha` with a number).
pub fn put_alpha(pixels: &mut [u8], alpha: u8) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        pixel[3] = alpha;
    }
}

/// Exchanges two channels (0 red, 1 green, 2 blue, 3 alpha), e.g. RGBA -> BGRA.
pub fn swap_channels(pixels: &mut [u8], first: usize, second: usize) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        pixel.swap(first, second);
    }
}

/// One channel shown as an opaque grey image, like Pillow's
/// `getchannel(n).convert("RGBA")`.
pub fn extract_channel(pixels: &mut [u8], channel: usize) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let value = pixel[channel];
        pixel.copy_from_slice(&[value, value, value, 255]);
    }
}

/// `a * b / 255`, rounded to nearest, exactly as Pillow's MULDIV255.
fn mul_div_255(a: u8, b: u8) -> u8 {
    let tmp = u32::from(a) * u32::from(b) + 128;
    (((tmp >> 8) + tmp) >> 8) as u8
}

/// Multiplies red, green and blue by alpha (Pillow's RGBA -> RGBa).
pub fn premultiply_alpha(pixels: &mut [u8]) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        if pixel[3] != 255 {
            let premultiplied = premultiplied(pixel);
            pixel.copy_from_slice(&premultiplied);
        }
    }
}

/// One pixel of [`premultiply_alpha`].
#[inline(always)]
pub fn premultiplied(pixel: &[u8]) -> [u8; 4] {
    let alpha = pixel[3];
    if alpha == 255 {
        [pixel[0], pixel[1], pixel[2], alpha]
    } else {
        [mul_div_255(pixel[0], alpha), mul_div_255(pixel[1], alpha), mul_div_255(pixel[2], alpha), alpha]
    }
}

/// Undoes [`premultiply_alpha`] (Pillow's RGBa -> RGBA): colour * 255 / alpha.
pub fn unpremultiply_alpha(pixels: &mut [u8]) {
    // Most pictures are opaque, where this changes nothing: skip four
    // opaque pixels at a time.
    for four in pixels.chunks_mut(4 * BYTES_PER_PIXEL) {
        if four_opaque(four) {
            continue;
        }
        for pixel in four.chunks_exact_mut(BYTES_PER_PIXEL) {
            let alpha = u32::from(pixel[3]);
            if alpha != 0 && alpha != 255 {
                for value in &mut pixel[..3] {
                    *value = (u32::from(*value) * 255 / alpha).min(255) as u8;
                }
            }
        }
    }
}

/// Whether every pixel's alpha is 255: then premultiplying and
/// unpremultiplying change nothing.
pub fn all_opaque(pixels: &[u8]) -> bool {
    pixels
        .chunks(4 * BYTES_PER_PIXEL)
        .all(|four| four_opaque(four) || four.chunks(BYTES_PER_PIXEL).all(|pixel| pixel[3] == 255))
}

/// Whether `pixels` are four pixels, all of alpha 255.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn four_opaque(pixels: &[u8]) -> bool {
    pixels.len() == 16 && crate::simd::opaque(crate::simd::load(pixels))
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn four_opaque(pixels: &[u8]) -> bool {
    pixels.len() == 16 && pixels.chunks_exact(BYTES_PER_PIXEL).all(|pixel| pixel[3] == 255)
}

/// One table per channel, red, green, blue and alpha, as Pillow's `point`
/// takes them for RGBA (1024 entries).
pub type ChannelLuts = [Lut; 4];

pub fn identity_lut() -> Lut {
    lut(&|v| v)
}

/// Maps every channel through its own table (Pillow's `point(table)`).
#[inline(never)]
pub fn apply_channel_luts(pixels: &mut [u8], luts: &ChannelLuts) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        for (value, table) in pixel.iter_mut().zip(luts) {
            *value = table[usize::from(*value)];
        }
    }
}

/// Python's `a // b` on floats (`float_floor_div`), which the cutoff of
/// Pillow's `autocontrast` goes through: fmod first, then the quotient
/// rounded to the nearest whole number below.
fn python_floor_div(a: f64, b: f64) -> f64 {
    let remainder = a % b;
    let mut quotient = (a - remainder) / b;
    if remainder != 0.0 && ((b < 0.0) != (remainder < 0.0)) {
        quotient -= 1.0;
    }
    if quotient == 0.0 {
        return 0.0;
    }
    let floor = quotient.floor();
    if quotient - floor > 0.5 { floor + 1.0 } else { floor }
}

/// Removes `cut` pixels from one end of a histogram, walking inwards.
fn cut_histogram(histogram: &mut [u64; 256], mut cut: u64, indices: impl Iterator<Item = usize>) {
    for index in indices {
        if cut > histogram[index] {
            cut -= histogram[index];
            histogram[index] = 0;
        } else {
            histogram[index] -= cut;
            cut = 0;
        }
        if cut == 0 {
            break;
        }
    }
}

/// What Pillow's `ImageOps.autocontrast` takes besides the image.
#[derive(Debug, Clone, PartialEq)]
pub struct Autocontrast {
    /// Percent of the darkest and of the lightest pixels left out (0 to 100).
    pub cutoff: (f64, f64),
    /// Background values left out of the histogram.
    pub ignore: Vec<u8>,
}

/// The table Pillow's `ImageOps.autocontrast` builds from one channel's
/// histogram: the darkest value kept goes to 0, the lightest to 255.
pub fn autocontrast_lut(counts: &[u32], settings: &Autocontrast) -> Lut {
    let mut histogram = [0u64; 256];
    for (entry, &count) in histogram.iter_mut().zip(counts) {
        *entry = u64::from(count);
    }
    for &value in &settings.ignore {
        histogram[usize::from(value)] = 0;
    }
    if settings.cutoff != (0.0, 0.0) {
        let total = histogram.iter().sum::<u64>() as f64;
        let (low, high) = settings.cutoff;
        cut_histogram(&mut histogram, python_floor_div(total * low, 100.0) as u64, 0..256);
        cut_histogram(&mut histogram, python_floor_div(total * high, 100.0) as u64, (0..256).rev());
    }
    let low = histogram.iter().position(|&count| count != 0);
    let high = histogram.iter().rposition(|&count| count != 0);
    match (low, high) {
        (Some(low), Some(high)) if high > low => {
            let scale = 255.0 / (high - low) as f64;
            let offset = -(low as f64) * scale;
            lut(&|v| (f64::from(v) * scale + offset).trunc().clamp(0.0, 255.0) as u8)
        }
        _ => identity_lut(),
    }
}

/// The table Pillow's `ImageOps.equalize` builds from one channel's
/// histogram: values spread so that each output level holds about as many
/// pixels.
pub fn equalize_lut(counts: &[u32]) -> Lut {
    let used: Vec<u64> = counts[..256].iter().filter(|&&count| count != 0).map(|&count| u64::from(count)).collect();
    let Some(&last) = used.last() else {
        return identity_lut();
    };
    let step = (used.iter().sum::<u64>() - last) / 255;
    if used.len() <= 1 || step == 0 {
        return identity_lut();
    }
    let mut running = step / 2;
    let mut table = [0; 256];
    for (entry, &count) in table.iter_mut().zip(counts) {
        *entry = (running / step).min(255) as u8;
        running += u64::from(count);
    }
    table
}

/// Pillow's `ImageOps.posterize`: keeps the top `bits` (1 to 8) of each value.
pub fn posterize_lut(bits: u32) -> Lut {
    let mask = !((1u16 << (8 - bits)) - 1) as u8;
    lut(&|v| v & mask)
}

/// Pillow's `ImageOps.solarize`: values from `threshold` up are inverted.
pub fn solarize_lut(threshold: u8) -> Lut {
    lut(&|v| if v < threshold { v } else { 255 - v })
}

/// The colours and positions of Pillow's `ImageOps.colorize`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Colorize {
    pub black: [u8; 3],
    pub white: [u8; 3],
    pub mid: Option<[u8; 3]>,
    pub blackpoint: u8,
    pub whitepoint: u8,
    pub midpoint: u8,
}

/// Pillow's colour wedge for `colorize`, one table per output channel, indexed
/// by grey level: `black` up to `blackpoint`, a linear ramp (through `mid` at
/// `midpoint` when given), `white` from `whitepoint` on. Positions must be
/// ordered (checked by the caller).
pub fn colorize_luts(settings: &Colorize) -> [Lut; 3] {
    let Colorize { black, white, mid, blackpoint, whitepoint, midpoint } = *settings;
    let (black_point, white_point, mid_point) =
        (usize::from(blackpoint), usize::from(whitepoint), usize::from(midpoint));
    let mut tables = [[0; 256]; 3];
    for (channel, table) in tables.iter_mut().enumerate() {
        table[..black_point].fill(black[channel]);
        match mid {
            None => ramp(&mut table[black_point..white_point], black[channel], white[channel]),
            Some(mid) => {
                ramp(&mut table[black_point..mid_point], black[channel], mid[channel]);
                ramp(&mut table[mid_point..white_point], mid[channel], white[channel]);
            }
        }
        table[white_point..].fill(white[channel]);
    }
    tables
}

/// `from + step * (to - from) // steps` for each step of `entries`, with
/// Python's floor division, as Pillow's `colorize` fills its wedge. (Not
/// inlined: at most 256 entries, one copy is plenty.)
#[inline(never)]
fn ramp(entries: &mut [u8], from: u8, to: u8) {
    let steps = entries.len() as i64;
    for (step, entry) in entries.iter_mut().enumerate() {
        *entry = (i64::from(from) + (step as i64 * (i64::from(to) - i64::from(from))).div_euclid(steps)) as u8;
    }
}

/// Replaces red, green and blue by the colour the pixel's grey level maps to
/// in `tables` (see [`colorize_luts`]); alpha is kept.
pub fn colorize(pixels: &mut [u8], tables: &[Lut; 3]) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let grey = usize::from(luma(pixel[0], pixel[1], pixel[2]));
        for (value, table) in pixel.iter_mut().zip(tables) {
            *value = table[grey];
        }
    }
}

/// Pillow's `ImageEnhance.Color(image).enhance(factor)`: each pixel blended
/// from its grey (factor 0) through itself (1) and beyond; alpha is kept.
pub fn saturation(pixels: &mut [u8], factor: f64) {
    let factor = factor as f32;
    let done = saturation_vectors(pixels, factor);
    for pixel in pixels[done..].chunks_exact_mut(BYTES_PER_PIXEL) {
        let grey = f32::from(luma(pixel[0], pixel[1], pixel[2]));
        for value in &mut pixel[..3] {
            *value = blend_byte(grey, f32::from(*value), factor);
        }
    }
}

/// [`saturation`] four pixels at a time with wasm SIMD; how many bytes it
/// did. Each pixel's [`luma`], spread over its red, green and blue bytes,
/// is the blend's start.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn saturation_vectors(pixels: &mut [u8], factor: f32) -> usize {
    use crate::simd::{load, store};
    use core::arch::wasm32::{f32x4_splat, i32x4_mul, u32x4_splat, v128_bitselect};
    let factor = f32x4_splat(factor);
    let (colour, spread) = (u32x4_splat(0x00FF_FFFF), u32x4_splat(0x0001_0101));
    let mut at = 0;
    while at + 16 <= pixels.len() {
        let own = load(&pixels[at..]);
        let start = i32x4_mul(luma_lanes(own), spread);
        store(&mut pixels[at..], v128_bitselect(blend_vector(start, own, factor), own, colour));
        at += 16;
    }
    at
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn saturation_vectors(_pixels: &mut [u8], _factor: f32) -> usize {
    0
}

/// Blends red, green and blue from `degenerate` (factor 0) towards
/// `pixels` (1) and beyond, as Pillow's `Image.blend` in the enhancers;
/// alpha is kept.
pub fn blend_from(pixels: &mut [u8], degenerate: &[u8], factor: f64) {
    blend_slices(pixels, degenerate, factor as f32, true, true);
}

/// The pixel layouts pixels can be read from and written to, by Pillow's mode
/// names: grey, grey and alpha, colour, colour and alpha.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    L,
    La,
    Rgb,
    Rgba,
}

impl Mode {
    pub const ALL: [(&'static str, Mode); 4] =
        [("L", Mode::L), ("LA", Mode::La), ("RGB", Mode::Rgb), ("RGBA", Mode::Rgba)];

    pub fn bytes_per_pixel(self) -> usize {
        match self {
            Mode::L => 1,
            Mode::La => 2,
            Mode::Rgb => 3,
            Mode::Rgba => 4,
        }
    }
}

/// RGBA pixels from pixels in `mode`, as Pillow's `convert("RGBA")`: grey
/// spreads to red, green and blue, a missing alpha is 255.
pub fn expand_to_rgba(mode: Mode, source: &[u8], rgba: &mut [u8]) {
    let pixels = rgba.chunks_exact_mut(BYTES_PER_PIXEL).zip(source.chunks_exact(mode.bytes_per_pixel()));
    for (out, from) in pixels {
        let value = match mode {
            Mode::L => [from[0], from[0], from[0], 255],
            Mode::La => [from[0], from[0], from[0], from[1]],
            Mode::Rgb => [from[0], from[1], from[2], 255],
            Mode::Rgba => [from[0], from[1], from[2], from[3]],
        };
        out.copy_from_slice(&value);
    }
}

/// RGBA pixels appended to `out` in `mode`, as Pillow's `convert(mode)` from
/// RGBA: grey is the luma of red, green and blue (alpha does not weigh in),
/// "RGB" drops alpha.
pub fn pack_from_rgba(mode: Mode, rgba: &[u8], out: &mut Vec<u8>) {
    for pixel in rgba.chunks_exact(BYTES_PER_PIXEL) {
        let grey = || luma(pixel[0], pixel[1], pixel[2]);
        match mode {
            Mode::L => out.push(grey()),
            Mode::La => out.extend_from_slice(&[grey(), pixel[3]]),
            Mode::Rgb => out.extend_from_slice(&pixel[..3]),
            Mode::Rgba => out.extend_from_slice(pixel),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn luma_matches_pillow_weights() {
        assert_eq!(luma(255, 255, 255), 255);
        assert_eq!(luma(0, 0, 0), 0);
        assert_eq!(luma(255, 0, 0), 76);
        assert_eq!(luma(0, 255, 0), 150);
        assert_eq!(luma(0, 0, 255), 29);
        assert_eq!(luma(60, 70, 90), 69);
    }

    #[test]
    fn grayscale_keeps_alpha() {
        let mut pixels = [255, 0, 0, 7, 0, 0, 255, 200];
        grayscale(&mut pixels);
        assert_eq!(pixels, [76, 76, 76, 7, 29, 29, 29, 200]);
    }

    #[test]
    fn invert_flips_colour_not_alpha() {
        let mut pixels = [0, 100, 255, 9];
        invert(&mut pixels);
        assert_eq!(pixels, [255, 155, 0, 9]);
    }

    #[test]
    fn brightness_scales_and_clips() {
        let mut pixels = [100, 200, 0, 50];
        apply_lut(&mut pixels, &brightness_lut(1.5));
        assert_eq!(pixels, [150, 255, 0, 50]);
        apply_lut(&mut pixels, &brightness_lut(0.0));
        assert_eq!(pixels, [0, 0, 0, 50]);
    }

    #[test]
    fn contrast_moves_around_the_mean() {
        let mut pixels = [100, 150, 200, 255];
        apply_lut(&mut pixels, &contrast_lut(150, 0.0));
        assert_eq!(pixels, [150, 150, 150, 255]);
        let mut pixels = [100, 150, 200, 255];
        apply_lut(&mut pixels, &contrast_lut(150, 2.0));
        assert_eq!(pixels, [50, 150, 250, 255]);
        assert_eq!(mean_luma([&[0u8, 0, 0, 255, 255, 255, 255, 255][..]].into_iter()), 128);
    }

    #[test]
    fn gamma_keeps_the_ends_and_bends_the_middle() {
        let mut pixels = [0, 128, 255, 1];
        apply_lut(&mut pixels, &gamma_lut(2.0));
        assert_eq!(pixels, [0, 181, 255, 1]);
    }

    #[test]
    fn threshold_splits_on_luma() {
        let mut pixels = [255, 0, 0, 1, 0, 255, 0, 2];
        threshold(&mut pixels, 100);
        assert_eq!(pixels, [0, 0, 0, 1, 255, 255, 255, 2]);
    }

    #[test]
    fn sepia_of_white_and_grey() {
        let mut pixels = [255, 255, 255, 255, 100, 100, 100, 3];
        sepia(&mut pixels);
        assert_eq!(pixels, [255, 255, 239, 255, 135, 120, 94, 3]);
    }

    #[test]
    fn put_alpha_sets_only_alpha() {
        let mut pixels = [1, 2, 3, 4, 5, 6, 7, 8];
        put_alpha(&mut pixels, 200);
        assert_eq!(pixels, [1, 2, 3, 200, 5, 6, 7, 200]);
    }

    #[test]
    fn channels_swap_and_extract() {
        let mut pixels = [1, 2, 3, 4];
        swap_channels(&mut pixels, 0, 2);
        assert_eq!(pixels, [3, 2, 1, 4]);
        extract_channel(&mut pixels, 3);
        assert_eq!(pixels, [4, 4, 4, 255]);
    }

    #[test]
    fn premultiply_rounds_like_pillow() {
        let mut pixels = [255, 128, 1, 128, 10, 20, 30, 0, 9, 9, 9, 255];
        premultiply_alpha(&mut pixels);
        assert_eq!(pixels, [128, 64, 1, 128, 0, 0, 0, 0, 9, 9, 9, 255]);
        unpremultiply_alpha(&mut pixels);
        assert_eq!(pixels, [255, 127, 1, 128, 0, 0, 0, 0, 9, 9, 9, 255]);
    }

    fn counts(pairs: &[(usize, u32)]) -> Vec<u32> {
        let mut counts = vec![0; 256];
        for &(value, count) in pairs {
            counts[value] = count;
        }
        counts
    }

    #[test]
    fn python_floor_division_of_floats() {
        assert_eq!(python_floor_div(7.0, 2.0), 3.0);
        assert_eq!(python_floor_div(-7.0, 2.0), -4.0);
        assert_eq!(python_floor_div(1234.0 * 2.5, 100.0), 30.0);
        assert_eq!(python_floor_div(0.0, 100.0), 0.0);
    }

    #[test]
    fn autocontrast_stretches_the_used_range() {
        let plain = Autocontrast { cutoff: (0.0, 0.0), ignore: Vec::new() };
        let table = autocontrast_lut(&counts(&[(50, 3), (150, 4)]), &plain);
        assert_eq!((table[0], table[50], table[100], table[150], table[255]), (0, 0, 127, 255, 255));
        // One value left: nothing to stretch.
        assert_eq!(autocontrast_lut(&counts(&[(9, 5)]), &plain), identity_lut());
        let ignoring = Autocontrast { cutoff: (0.0, 0.0), ignore: vec![0] };
        assert_eq!(autocontrast_lut(&counts(&[(0, 5), (200, 1)]), &ignoring), identity_lut());
        // 10% cut at each end removes the 0s and the 255s, then one value is left.
        let cutting = Autocontrast { cutoff: (10.0, 10.0), ignore: Vec::new() };
        assert_eq!(autocontrast_lut(&counts(&[(0, 10), (100, 80), (255, 10)]), &cutting), identity_lut());
        // A cut the size of the end count empties it; a smaller one only lowers it.
        assert_eq!(autocontrast_lut(&counts(&[(0, 10), (100, 80), (200, 10)]), &cutting), identity_lut());
        let table = autocontrast_lut(&counts(&[(0, 11), (100, 80), (200, 9)]), &cutting);
        // 255 / 100 * 100 falls just short of 255 in floats, in Pillow too.
        assert_eq!((table[0], table[100]), (0, 254));
    }

    #[test]
    fn equalize_spreads_by_count() {
        let table = equalize_lut(&counts(&[(0, 1020), (10, 1020), (20, 1)]));
        assert_eq!((table[0], table[1], table[10], table[11], table[20], table[255]), (0, 128, 128, 255, 255, 255));
        assert_eq!(equalize_lut(&counts(&[(0, 100), (255, 100)])), identity_lut());
        assert_eq!(equalize_lut(&counts(&[])), identity_lut());
    }

    #[test]
    fn posterize_and_solarize_tables() {
        let table = posterize_lut(2);
        assert_eq!((table[255], table[100], table[63]), (192, 64, 0));
        assert_eq!(posterize_lut(8), identity_lut());
        let table = solarize_lut(128);
        assert_eq!((table[127], table[128], table[200]), (127, 127, 55));
        assert_eq!(solarize_lut(0)[0], 255);
    }

    #[test]
    fn colorize_ramps_between_the_points() {
        let plain = Colorize {
            black: [0, 0, 0],
            white: [255, 255, 255],
            mid: None,
            blackpoint: 0,
            whitepoint: 255,
            midpoint: 127,
        };
        assert_eq!(colorize_luts(&plain)[1], identity_lut());
        let points = Colorize { black: [10, 200, 0], white: [20, 100, 255], blackpoint: 10, whitepoint: 20, ..plain };
        let [red, green, blue] = colorize_luts(&points);
        assert_eq!((red[0], red[9], red[10], red[15], red[20], red[255]), (10, 10, 10, 15, 20, 20));
        // Python's floor division: 5 * -100 // 10 = -50, 3 * -100 // 10 = -30.
        assert_eq!((green[15], green[13]), (150, 170));
        assert_eq!((blue[11], blue[19]), (25, 229));
        let with_mid = Colorize { mid: Some([100, 100, 100]), midpoint: 15, ..points };
        let [red, ..] = colorize_luts(&with_mid);
        assert_eq!((red[10], red[14], red[15], red[19], red[20]), (10, 82, 100, 36, 20));
        let mut pixels = [255, 255, 255, 7, 0, 0, 0, 9];
        colorize(&mut pixels, &colorize_luts(&points));
        assert_eq!(pixels, [20, 100, 255, 7, 10, 200, 0, 9]);
    }

    #[test]
    fn saturation_blends_from_grey() {
        let mut pixels = [255, 0, 0, 7];
        saturation(&mut pixels, 0.0);
        assert_eq!(pixels, [76, 76, 76, 7]);
        let mut pixels = [200, 100, 50, 7];
        saturation(&mut pixels, 1.0);
        assert_eq!(pixels, [200, 100, 50, 7]);
        saturation(&mut pixels, 2.0);
        // grey 124: 124 + 2 * (v - 124), clipped.
        assert_eq!(pixels, [255, 76, 0, 7]);
    }

    #[test]
    fn modes_widen_and_pack_as_pillow_converts() {
        let mut rgba = [0u8; 8];
        expand_to_rgba(Mode::L, &[9, 200], &mut rgba);
        assert_eq!(rgba, [9, 9, 9, 255, 200, 200, 200, 255]);
        expand_to_rgba(Mode::La, &[9, 1, 200, 2], &mut rgba);
        assert_eq!(rgba, [9, 9, 9, 1, 200, 200, 200, 2]);
        expand_to_rgba(Mode::Rgb, &[1, 2, 3, 4, 5, 6], &mut rgba);
        assert_eq!(rgba, [1, 2, 3, 255, 4, 5, 6, 255]);
        let source = [255, 0, 0, 7, 60, 70, 90, 8];
        let packed = |mode| {
            let mut out = Vec::new();
            pack_from_rgba(mode, &source, &mut out);
            out
        };
        assert_eq!(packed(Mode::L), [76, 69]);
        assert_eq!(packed(Mode::La), [76, 7, 69, 8]);
        assert_eq!(packed(Mode::Rgb), [255, 0, 0, 60, 70, 90]);
        assert_eq!(packed(Mode::Rgba), source);
    }

    #[test]
    fn channel_tables_map_each_channel() {
        let luts: ChannelLuts = [posterize_lut(1), solarize_lut(0), identity_lut(), lut(&|_| 3)];
        let mut pixels = [200, 10, 30, 255];
        apply_channel_luts(&mut pixels, &luts);
        assert_eq!(pixels, [128, 245, 30, 3]);
    }

    proptest! {
        #[test]
        fn invert_twice_is_identity(pixels in prop::collection::vec(any::<u8>(), 0..64).prop_map(|mut v| { v.truncate(v.len() / 4 * 4); v })) {
            let mut twice = pixels.clone();
            invert(&mut twice);
            invert(&mut twice);
            prop_assert_eq!(twice, pixels);
        }

        #[test]
        fn grayscale_is_idempotent(pixels in prop::collection::vec(any::<u8>(), 0..64).prop_map(|mut v| { v.truncate(v.len() / 4 * 4); v })) {
            let mut once = pixels.clone();
            grayscale(&mut once);
            let mut again = once.clone();
            grayscale(&mut again);
            prop_assert_eq!(again, once);
        }

        #[test]
        fn swapping_twice_is_identity(pixels in prop::collection::vec(any::<u8>(), 0..64).prop_map(|mut v| { v.truncate(v.len() / 4 * 4); v }), a in 0usize..4, b in 0usize..4) {
            let mut twice = pixels.clone();
            swap_channels(&mut twice, a, b);
            swap_channels(&mut twice, a, b);
            prop_assert_eq!(twice, pixels);
        }
    }
}
