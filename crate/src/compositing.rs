//! Two images combined pixel by pixel, as Pillow's `ImageChops`,
//! `Image.blend`, `paste` with a mask and `alpha_composite` combine them.
//! All but alpha compositing treat the four channels alike, as Pillow does
//! on RGBA. The second image is placed on the first (at its top-left corner
//! unless a position is given) and only the pixels both have, inside the
//! rectangle worked on, change: Pillow's chops give an image of the smaller
//! size, its `paste` clips.

use crate::buffer::{BYTES_PER_PIXEL, Rect, RgbaBuffer};
use crate::colour::blend_slices;

/// One of Pillow's `ImageChops` operations on two bytes `a` (this image's)
/// and `b` (the other's), with Pillow's integer arithmetic.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Chop {
    /// `(a + b) / scale + offset`, clipped (`ImageChops.add`).
    Add { scale: f32, offset: i32 },
    /// `(a - b) / scale + offset`, clipped (`ImageChops.subtract`).
    Subtract { scale: f32, offset: i32 },
    /// `(a + b) % 256`.
    AddModulo,
    /// `(a - b) % 256`.
    SubtractModulo,
    /// `a * b / 255`.
    Multiply,
    /// `255 - (255 - a) * (255 - b) / 255`.
    Screen,
    /// `|a - b|`.
    Difference,
    /// The larger of the two.
    Lighter,
    /// The smaller of the two.
    Darker,
    /// Multiply or screen by `a`, doubled (`ImageChops.overlay`).
    Overlay,
    /// Pillow's own soft-light formula (`ImageChops.soft_light`).
    SoftLight,
    /// Multiply or screen by `b`, doubled (`ImageChops.hard_light`).
    HardLight,
}

/// Applies `operation` to each byte of `bytes` with the same byte of `other`.
pub fn chop_bytes(bytes: &mut [u8], other: &[u8], operation: Chop) {
    let done = match operation {
        Chop::Add { scale, offset } => scaled_sums(bytes, other, false, scale, offset),
        Chop::Subtract { scale, offset } => scaled_sums(bytes, other, true, scale, offset),
        Chop::Multiply => products(bytes, other, false),
        Chop::Screen => products(bytes, other, true),
        _ => 0,
    };
    let pairs = bytes[done..].iter_mut().zip(&other[done..]).map(|(a, &b)| (a, b));
    // `as u8` on an f32 truncates and clips to 0..=255, as Pillow's
    // `int temp = ...` and its clip do; on an i32 it wraps, as Pillow's
    // assignment of an int to a byte in its modulo-style operations does.
    match operation {
        Chop::Add { scale, offset } => {
            for (a, b) in pairs {
                *a = ((i32::from(*a) + i32::from(b)) as f32 / scale + offset as f32) as u8;
            }
        }
        Chop::Subtract { scale, offset } => {
            for (a, b) in pairs {
                *a = ((i32::from(*a) - i32::from(b)) as f32 / scale + offset as f32) as u8;
            }
        }
        Chop::AddModulo => pairs.for_each(|(a, b)| *a = a.wrapping_add(b)),
        Chop::SubtractModulo => pairs.for_each(|(a, b)| *a = a.wrapping_sub(b)),
        Chop::Multiply => pairs.for_each(|(a, b)| *a = (u32::from(*a) * u32::from(b) / 255) as u8),
        Chop::Screen => pairs.for_each(|(a, b)| *a = 255 - (u32::from(255 - *a) * u32::from(255 - b) / 255) as u8),
        Chop::Difference => pairs.for_each(|(a, b)| *a = a.abs_diff(b)),
        Chop::Lighter => pairs.for_each(|(a, b)| *a = (*a).max(b)),
        Chop::Darker => pairs.for_each(|(a, b)| *a = (*a).min(b)),
        Chop::Overlay => pairs.for_each(|(a, b)| *a = light(*a, b, *a)),
        Chop::HardLight => pairs.for_each(|(a, b)| *a = light(*a, b, b)),
        Chop::SoftLight => pairs.for_each(|(a, b)| {
            let (a32, b32) = (i32::from(*a), i32::from(b));
            let value = ((255 - a32) * (a32 * b32)) / 65536 + (a32 * (255 - ((255 - a32) * (255 - b32) / 255))) / 255;
            *a = value as u8;
        }),
    }
}

/// Overlay and hard light: multiply below 128 of `by`, screen from 128 up.
fn light(a: u8, b: u8, by: u8) -> u8 {
    let (a, b) = (i32::from(a), i32::from(b));
    let value = if by < 128 { a * b / 127 } else { 255 - (255 - a) * (255 - b) / 127 };
    value as u8
}

/// `operation` on the pixels of `image` inside `within` that `other`, placed
/// at the top-left corner, covers.
pub fn chop(image: &mut RgbaBuffer, other: &RgbaBuffer, within: Rect, operation: Chop) {
    image.for_each_placed_row(within, other.size(), 0, 0, |row, column, line| {
        chop_bytes(row, other.span(column, line, row.len() / BYTES_PER_PIXEL), operation);
    });
}

/// Pillow's `Image.blend(image, other, alpha)`: `a + alpha * (b - a)` on
/// every byte, truncated, clipped when `alpha` is outside 0 to 1.
pub fn blend(image: &mut RgbaBuffer, other: &RgbaBuffer, within: Rect, alpha: f64) {
    let alpha = alpha as f32;
    image.for_each_placed_row(within, other.size(), 0, 0, |row, column, line| {
        let from = other.span(column, line, row.len() / BYTES_PER_PIXEL);
        blend_slices(row, from, alpha, false, false);
    });
}

/// [`Chop::Add`] (or with `subtract` [`Chop::Subtract`]) sixteen bytes at
/// a time with wasm SIMD: the sum (difference) of each pair as an f32,
/// over `scale`, plus `offset`, truncated into a byte: the scalar loop's
/// f32 operations in its order. How many bytes it did.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn scaled_sums(bytes: &mut [u8], other: &[u8], subtract: bool, scale: f32, offset: i32) -> usize {
    use crate::simd::{bytes_of_f32, f32_of_bytes, load, store};
    use core::arch::wasm32::{f32x4_add, f32x4_div, f32x4_splat, f32x4_sub};
    let (scale, offset) = (f32x4_splat(scale), f32x4_splat(offset as f32));
    let length = bytes.len().min(other.len());
    let mut at = 0;
    while at + 16 <= length {
        let (a, b) = (f32_of_bytes(load(&bytes[at..])), f32_of_bytes(load(&other[at..])));
        // Sums and differences of bytes are whole numbers an f32 holds exactly.
        let values = std::array::from_fn(|k| {
            let pair = if subtract { f32x4_sub(a[k], b[k]) } else { f32x4_add(a[k], b[k]) };
            f32x4_add(f32x4_div(pair, scale), offset)
        });
        store(&mut bytes[at..], bytes_of_f32(values));
        at += 16;
    }
    at
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn scaled_sums(_bytes: &mut [u8], _other: &[u8], _subtract: bool, _scale: f32, _offset: i32) -> usize {
    0
}

/// [`paste_with_mask`]'s blend of whole pixels, sixteen bytes at a time
/// with wasm SIMD, in 16-bit lanes (`source * m + image * (255 - m)` is at
/// most 65025, and [`div255`]'s steps stay below 65536); how many bytes it
/// did.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn masked_vectors(row: &mut [u8], from: &[u8], weights: &[u8]) -> usize {
    use crate::simd::u16_halves as halves;
    use crate::simd::{load, store};
    use core::arch::wasm32::*;
    let (full, half) = (u16x8_splat(255), u16x8_splat(128));
    let length = row.len().min(from.len()).min(weights.len());
    let mut at = 0;
    while at + 16 <= length {
        let (own, top) = (halves(load(&row[at..])), halves(load(&from[at..])));
        // Each pixel's mask alpha in its four bytes.
        let alpha = i8x16_shuffle::<3, 3, 3, 3, 7, 7, 7, 7, 11, 11, 11, 11, 15, 15, 15, 15>(
            load(&weights[at..]),
            load(&weights[at..]),
        );
        let masks = halves(alpha);
        let blended: [v128; 2] = std::array::from_fn(|k| {
            let sum = i16x8_add(i16x8_mul(top[k], masks[k]), i16x8_mul(own[k], i16x8_sub(full, masks[k])));
            let rounded = i16x8_add(sum, half);
            u16x8_shr(i16x8_add(u16x8_shr(rounded, 8), rounded), 8)
        });
        store(&mut row[at..], u8x16_narrow_i16x8(blended[0], blended[1]));
        at += 16;
    }
    at
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn masked_vectors(_row: &mut [u8], _from: &[u8], _weights: &[u8]) -> usize {
    0
}

/// [`Chop::Multiply`] (or with `screen` [`Chop::Screen`], on the bytes'
/// complements) sixteen bytes at a time with wasm SIMD, in 16-bit lanes:
/// `x / 255` truncated is `(x + (x >> 8) + 1) >> 8` for every product
/// `x` of two bytes. How many bytes it did.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn products(bytes: &mut [u8], other: &[u8], screen: bool) -> usize {
    use crate::simd::{load, store};
    use core::arch::wasm32::*;
    let (one, full) = (u16x8_splat(1), u8x16_splat(255));
    let length = bytes.len().min(other.len());
    let mut at = 0;
    while at + 16 <= length {
        let (mut a, mut b) = (load(&bytes[at..]), load(&other[at..]));
        if screen {
            (a, b) = (v128_xor(a, full), v128_xor(b, full));
        }
        let low = i16x8_extmul_low_u8x16(a, b);
        let high = i16x8_extmul_high_u8x16(a, b);
        let quotient = |x: v128| u16x8_shr(i16x8_add(i16x8_add(x, u16x8_shr(x, 8)), one), 8);
        let mut out = u8x16_narrow_i16x8(quotient(low), quotient(high));
        if screen {
            out = v128_xor(out, full);
        }
        store(&mut bytes[at..], out);
        at += 16;
    }
    at
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn products(_bytes: &mut [u8], _other: &[u8], _screen: bool) -> usize {
    0
}

/// `a * b / 255` rounded, as Pillow's `DIV255` computes it.
fn div255(value: u32) -> u8 {
    let value = value + 128;
    (((value >> 8) + value) >> 8) as u8
}

/// Pillow's `paste(source, (x, y), mask)` with an RGBA mask of the source's
/// size (`Image.composite` when placed at the corner): each byte becomes `source * m + image * (255 - m)` over 255,
/// rounded, `m` the mask's alpha.
pub fn paste_with_mask(image: &mut RgbaBuffer, source: &RgbaBuffer, mask: &RgbaBuffer, x: i64, y: i64) {
    let whole = image.whole();
    image.for_each_placed_row(whole, source.size(), x, y, |row, column, line| {
        let width = row.len() / BYTES_PER_PIXEL;
        let (from, weights) = (source.span(column, line, width), mask.span(column, line, width));
        let done = masked_vectors(row, from, weights);
        let (row, from, weights) = (&mut row[done..], &from[done..], &weights[done..]);
        let pixels = row.chunks_exact_mut(BYTES_PER_PIXEL).zip(from.chunks_exact(BYTES_PER_PIXEL));
        for ((pixel, top), weight) in pixels.zip(weights.chunks_exact(BYTES_PER_PIXEL)) {
            let m = u32::from(weight[3]);
            for (value, &over) in pixel.iter_mut().zip(top) {
                *value = div255(u32::from(over) * m + u32::from(*value) * (255 - m));
            }
        }
    });
}

/// Copies channel `from` of every pixel of `source` (an image of this one's
/// size) into channel `to` of the image's pixel: how Pillow's `putalpha`
/// and `merge` move whole bands.
pub fn put_channel(image: &mut RgbaBuffer, source: &RgbaBuffer, from: usize, to: usize) {
    for (pixel, other) in
        image.data_mut().chunks_exact_mut(BYTES_PER_PIXEL).zip(source.data().chunks_exact(BYTES_PER_PIXEL))
    {
        pixel[to] = other[from];
    }
}

/// Porter-Duff "over" of one straight-alpha pixel onto another, in
/// Pillow's fixed point (`ImagingAlphaComposite`: the source's weight with 7
/// extra bits, each division by 255 done by shifts), so the bytes are
/// Pillow's.
pub fn over(source: [u8; 4], destination: [u8; 4]) -> [u8; 4] {
    const PRECISION_BITS: u32 = 7;
    let shift_div_255 = |value: u32| ((value >> 8) + value) >> 8;
    let source_alpha = u32::from(source[3]);
    if source_alpha == 0 {
        return destination;
    }
    let blend = u32::from(destination[3]) * (255 - source_alpha);
    let out_alpha = source_alpha * 255 + blend;
    let source_weight = source_alpha * 255 * 255 * (1 << PRECISION_BITS) / out_alpha;
    let destination_weight = 255 * (1 << PRECISION_BITS) - source_weight;
    let mut out = [0u8; 4];
    for channel in 0..3 {
        let mixed = u32::from(source[channel]) * source_weight + u32::from(destination[channel]) * destination_weight;
        out[channel] = (shift_div_255(mixed + (0x80 << PRECISION_BITS)) >> PRECISION_BITS) as u8;
    }
    out[3] = shift_div_255(out_alpha + 0x80) as u8;
    out
}

/// Composites `source` over `image` with its top-left corner at (x, y)
/// (Pillow's `alpha_composite`); parts outside the image are skipped.
pub fn alpha_composite(image: &mut RgbaBuffer, source: &RgbaBuffer, x: i64, y: i64) {
    let whole = image.whole();
    image.for_each_placed_row(whole, source.size(), x, y, |row, column, line| {
        let from = source.span(column, line, row.len() / BYTES_PER_PIXEL);
        let done = over_vectors(row, from);
        let (row, from) = (&mut row[done..], &from[done..]);
        for (pixel, top) in row.chunks_exact_mut(BYTES_PER_PIXEL).zip(from.chunks_exact(BYTES_PER_PIXEL)) {
            let bottom = [pixel[0], pixel[1], pixel[2], pixel[3]];
            pixel.copy_from_slice(&over([top[0], top[1], top[2], top[3]], bottom));
        }
    });
}

/// [`over`] of four pixels at a time with wasm SIMD, each in a 32-bit
/// lane; how many bytes it did. Four opaque sources are copied and four
/// transparent ones leave the image as it is; otherwise the weights are
/// [`over`]'s, the division as doubles (a numerator below 2^31 over a
/// denominator below 2^16: the quotient's rounding, under 2^-22, is less
/// than a non-whole quotient's distance from a whole number, over 2^-16,
/// so its floor is the integer division's).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn over_vectors(row: &mut [u8], from: &[u8]) -> usize {
    use crate::simd::{load, store};
    use core::arch::wasm32::*;
    const PRECISION_BITS: u32 = 7;
    let (full, bytes) = (u32x4_splat(255), u32x4_splat(0xFF));
    let shift_div_255 = |value: v128| u32x4_shr(i32x4_add(u32x4_shr(value, 8), value), 8);
    let length = row.len().min(from.len());
    let mut at = 0;
    while at + 16 <= length {
        let (top, bottom) = (load(&from[at..]), load(&row[at..]));
        let source_alpha = u32x4_shr(top, 24);
        if i32x4_all_true(i32x4_eq(source_alpha, full)) {
            store(&mut row[at..], top);
        } else if !v128_any_true(source_alpha) {
            // Transparent: the image stays.
        } else {
            let blend = i32x4_mul(u32x4_shr(bottom, 24), i32x4_sub(full, source_alpha));
            let out_alpha = i32x4_add(i32x4_mul(source_alpha, full), blend);
            let numerator = i32x4_mul(source_alpha, u32x4_splat(255 * 255 << PRECISION_BITS));
            // Lanes with a transparent source divide by what they may (zero
            // too): their result is not used.
            let quotient = |numerator: v128, denominator: v128| {
                f64x2_floor(f64x2_div(f64x2_convert_low_i32x4(numerator), f64x2_convert_low_i32x4(denominator)))
            };
            let high = |lanes: v128| i32x4_shuffle::<2, 3, 2, 3>(lanes, lanes);
            let source_weight = crate::simd::i32_of_whole_f64(
                quotient(numerator, out_alpha),
                quotient(high(numerator), high(out_alpha)),
            );
            let destination_weight = i32x4_sub(u32x4_splat(255 << PRECISION_BITS), source_weight);
            let mut pixels = shift_div_255(i32x4_add(out_alpha, u32x4_splat(0x80)));
            pixels = i32x4_shl(pixels, 24);
            for channel in 0..3 {
                let shift = 8 * channel;
                let (over, under) = (v128_and(u32x4_shr(top, shift), bytes), v128_and(u32x4_shr(bottom, shift), bytes));
                let mixed = i32x4_add(i32x4_mul(over, source_weight), i32x4_mul(under, destination_weight));
                let value =
                    u32x4_shr(shift_div_255(i32x4_add(mixed, u32x4_splat(0x80 << PRECISION_BITS))), PRECISION_BITS);
                pixels = v128_or(pixels, i32x4_shl(value, shift));
            }
            store(&mut row[at..], v128_bitselect(bottom, pixels, i32x4_eq(source_alpha, u32x4_splat(0))));
        }
        at += 16;
    }
    at
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn over_vectors(_row: &mut [u8], _from: &[u8]) -> usize {
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::buffer::samples::{RED, drawn};

    fn chopped(a: u8, b: u8, operation: Chop) -> u8 {
        let mut bytes = [a];
        chop_bytes(&mut bytes, &[b], operation);
        bytes[0]
    }

    #[test]
    fn over_gives_pillows_fixed_point_bytes() {
        // Pillow 13: Image.alpha_composite of these two one-pixel images.
        assert_eq!(over([255, 0, 0, 100], [10, 200, 30, 40]), [207, 39, 6, 124]);
        assert_eq!(over([77, 88, 99, 255], [0, 0, 0, 0]), [77, 88, 99, 255]);
        assert_eq!(over([1, 2, 3, 0], [9, 8, 7, 6]), [9, 8, 7, 6]);
    }

    #[test]
    fn put_channel_moves_one_band_and_leaves_the_others() {
        let mut image = RgbaBuffer::filled(2, 1, [1, 2, 3, 4]).unwrap();
        let mut source = RgbaBuffer::filled(2, 1, [10, 20, 30, 40]).unwrap();
        source.set_pixel(1, 0, [50, 60, 70, 80]).unwrap();
        put_channel(&mut image, &source, 0, 3);
        assert_eq!(image.data(), &[1, 2, 3, 10, 1, 2, 3, 50]);
        put_channel(&mut image, &source, 3, 1);
        assert_eq!(image.data(), &[1, 40, 3, 10, 1, 80, 3, 50]);
    }

    #[test]
    fn chops_follow_pillows_integer_arithmetic() {
        let plain_add = Chop::Add { scale: 1.0, offset: 0 };
        assert_eq!(chopped(200, 100, plain_add), 255);
        assert_eq!(chopped(100, 50, Chop::Add { scale: 2.0, offset: 10 }), 85);
        // 7 / 2 = 3.5 truncates to 3; -3 / 2 + 1 = -0.5 truncates to 0.
        assert_eq!(chopped(3, 4, Chop::Add { scale: 2.0, offset: 0 }), 3);
        assert_eq!(chopped(1, 4, Chop::Subtract { scale: 2.0, offset: 1 }), 0);
        assert_eq!(chopped(10, 50, Chop::Subtract { scale: 1.0, offset: 128 }), 88);
        assert_eq!(chopped(10, 50, Chop::Subtract { scale: -1.0, offset: 0 }), 40);
        assert_eq!(chopped(200, 100, Chop::AddModulo), 44);
        assert_eq!(chopped(10, 50, Chop::SubtractModulo), 216);
        assert_eq!(chopped(128, 128, Chop::Multiply), 64);
        assert_eq!(chopped(128, 128, Chop::Screen), 192);
        assert_eq!(chopped(10, 50, Chop::Difference), 40);
        assert_eq!((chopped(10, 50, Chop::Lighter), chopped(10, 50, Chop::Darker)), (50, 10));
        // Overlay decides by a, hard light by b; 127ths, not 255ths.
        assert_eq!(chopped(100, 200, Chop::Overlay), 157);
        assert_eq!(chopped(200, 100, Chop::Overlay), 188);
        assert_eq!(chopped(200, 100, Chop::HardLight), 157);
        assert_eq!(chopped(100, 200, Chop::HardLight), 188);
        // (155 * 20000) / 65536 + (100 * (255 - 155 * 55 / 255)) / 255
        assert_eq!(chopped(100, 200, Chop::SoftLight), 47 + 87);
    }

    #[test]
    fn chops_touch_only_the_pixels_both_images_have() {
        let mut image = RgbaBuffer::filled(3, 2, [10, 10, 10, 10]).unwrap();
        let other = RgbaBuffer::filled(2, 3, [5, 5, 5, 5]).unwrap();
        chop(&mut image, &other, Rect::new(0, 0, 3, 2), Chop::AddModulo);
        let firsts: Vec<u8> = image.data().chunks_exact(4).map(|p| p[0]).collect();
        assert_eq!(firsts, [15, 15, 10, 15, 15, 10]);
        chop(&mut image, &other, Rect::new(1, 1, 2, 1), Chop::AddModulo);
        let firsts: Vec<u8> = image.data().chunks_exact(4).map(|p| p[0]).collect();
        assert_eq!(firsts, [15, 15, 10, 15, 20, 10]);
    }

    #[test]
    fn blend_truncates_and_clips_outside_zero_to_one() {
        let mut image = RgbaBuffer::filled(1, 1, [100, 200, 0, 255]).unwrap();
        let other = RgbaBuffer::filled(1, 1, [200, 100, 255, 0]).unwrap();
        blend(&mut image, &other, Rect::new(0, 0, 1, 1), 0.25);
        assert_eq!(image.data(), [125, 175, 63, 191]);
        let mut image = RgbaBuffer::filled(1, 1, [100, 200, 0, 255]).unwrap();
        blend(&mut image, &other, Rect::new(0, 0, 1, 1), 2.0);
        assert_eq!(image.data(), [255, 0, 255, 0]);
    }

    #[test]
    fn masked_paste_weighs_by_the_mask_alpha() {
        let mut image = RgbaBuffer::filled(3, 1, [0, 0, 0, 0]).unwrap();
        let source = RgbaBuffer::filled(2, 1, [255, 100, 10, 255]).unwrap();
        let mut mask = RgbaBuffer::filled(2, 1, [9, 9, 9, 255]).unwrap();
        mask.set_pixel(0, 0, [0, 0, 0, 128]).unwrap();
        paste_with_mask(&mut image, &source, &mask, 1, 0);
        assert_eq!(image.data(), [0, 0, 0, 0, 128, 50, 5, 128, 255, 100, 10, 255]);
        paste_with_mask(&mut image, &source, &mask, -5, 0);
        paste_with_mask(&mut image, &source, &mask, i64::from(i32::MIN), 0);
        assert_eq!(image.data(), [0, 0, 0, 0, 128, 50, 5, 128, 255, 100, 10, 255]);
    }

    #[test]
    fn over_follows_porter_duff() {
        assert_eq!(over([10, 20, 30, 255], [1, 2, 3, 255]), [10, 20, 30, 255]);
        assert_eq!(over([10, 20, 30, 0], [1, 2, 3, 77]), [1, 2, 3, 77]);
        assert_eq!(over([255, 0, 0, 128], [0, 0, 255, 255]), [128, 0, 127, 255]);
        assert_eq!(over([255, 255, 255, 128], [0, 0, 0, 0]), [255, 255, 255, 128]);
    }

    #[test]
    fn alpha_composite_clips_at_any_offset() {
        let mut destination = RgbaBuffer::new(3, 3).unwrap();
        let source = RgbaBuffer::filled(2, 2, RED).unwrap();
        alpha_composite(&mut destination, &source, -1, 2);
        assert_eq!(drawn(&destination), ["...", "...", "#.."]);
        alpha_composite(&mut destination, &source, 10, 10);
        alpha_composite(&mut destination, &source, i64::from(i32::MIN), 0);
        assert_eq!(drawn(&destination), ["...", "...", "#.."]);
    }
}
