//! Per-pixel colour operations over RGBA bytes (any number of whole pixels).
//! Where Pillow defines the operation, the arithmetic is Pillow's.

use crate::buffer::BYTES_PER_PIXEL;

/// Rec. 601 luma with Pillow's fixed-point weights (`convert("L")`).
pub fn luma(red: u8, green: u8, blue: u8) -> u8 {
    ((u32::from(red) * 19595 + u32::from(green) * 38470 + u32::from(blue) * 7471 + 0x8000) >> 16) as u8
}

/// A byte-to-byte table applied to red, green and blue.
pub type Lut = [u8; 256];

pub fn apply_lut(pixels: &mut [u8], lut: &Lut) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        pixel[0] = lut[usize::from(pixel[0])];
        pixel[1] = lut[usize::from(pixel[1])];
        pixel[2] = lut[usize::from(pixel[2])];
    }
}

fn lut(f: impl Fn(u8) -> u8) -> Lut {
    std::array::from_fn(|v| f(v as u8))
}

/// Pillow's `Image.blend` per byte: `a + factor * (b - a)`, clipped, truncated.
fn blend_byte(a: f32, b: f32, factor: f32) -> u8 {
    let value = a + factor * (b - a);
    if value <= 0.0 {
        0
    } else if value >= 255.0 {
        255
    } else {
        value as u8
    }
}

pub fn grayscale(pixels: &mut [u8]) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let value = luma(pixel[0], pixel[1], pixel[2]);
        pixel[..3].fill(value);
    }
}

/// `255 - value` on red, green and blue; alpha is kept.
pub fn invert(pixels: &mut [u8]) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        pixel[0] = 255 - pixel[0];
        pixel[1] = 255 - pixel[1];
        pixel[2] = 255 - pixel[2];
    }
}

/// Table for Pillow's `ImageEnhance.Brightness(image).enhance(factor)`: 0 gives black,
/// 1 the original, above 1 brighter.
pub fn brightness_lut(factor: f64) -> Lut {
    lut(|v| blend_byte(0.0, f32::from(v), factor as f32))
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
    lut(|v| blend_byte(f32::from(mean), f32::from(v), factor as f32))
}

/// Table for gamma correction: `255 * (value / 255) ^ (1 / gamma)`, rounded; above 1
/// lightens the mid-tones, below 1 darkens them.
pub fn gamma_lut(gamma: f64) -> Lut {
    let exponent = 1.0 / gamma;
    lut(|v| (255.0 * (f64::from(v) / 255.0).powf(exponent)).round().clamp(0.0, 255.0) as u8)
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
        let alpha = pixel[3];
        if alpha != 255 {
            pixel[0] = mul_div_255(pixel[0], alpha);
            pixel[1] = mul_div_255(pixel[1], alpha);
            pixel[2] = mul_div_255(pixel[2], alpha);
        }
    }
}

/// Undoes [`premultiply_alpha`] (Pillow's RGBa -> RGBA): colour * 255 / alpha.
pub fn unpremultiply_alpha(pixels: &mut [u8]) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let alpha = u32::from(pixel[3]);
        if alpha != 0 && alpha != 255 {
            for value in &mut pixel[..3] {
                *value = (u32::from(*value) * 255 / alpha).min(255) as u8;
            }
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
