//! Flips, quarter turns and resizing of a whole RGBA image.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Result, checked_len, try_alloc};
use crate::colour::{premultiply_alpha, unpremultiply_alpha};

pub fn flip_horizontal(data: &mut [u8], width: usize) {
    for row in data.chunks_exact_mut(width * BYTES_PER_PIXEL) {
        let (mut left, mut right) = (0, width - 1);
        while left < right {
            for c in 0..BYTES_PER_PIXEL {
                row.swap(left * BYTES_PER_PIXEL + c, right * BYTES_PER_PIXEL + c);
            }
            left += 1;
            right -= 1;
        }
    }
}

pub fn flip_vertical(data: &mut [u8], width: usize, height: usize) {
    let stride = width * BYTES_PER_PIXEL;
    for y in 0..height / 2 {
        let (top, bottom) = data.split_at_mut((height - 1 - y) * stride);
        top[y * stride..(y + 1) * stride].swap_with_slice(&mut bottom[..stride]);
    }
}

pub fn rotate180(data: &mut [u8]) {
    let pixels = data.len() / BYTES_PER_PIXEL;
    for i in 0..pixels / 2 {
        let j = pixels - 1 - i;
        for c in 0..BYTES_PER_PIXEL {
            data.swap(i * BYTES_PER_PIXEL + c, j * BYTES_PER_PIXEL + c);
        }
    }
}

/// A quarter turn; the result is `height` wide and `width` high.
/// `clockwise` false turns counter-clockwise (Pillow's `ROTATE_90`).
pub fn rotate_quarter(data: &[u8], width: usize, height: usize, clockwise: bool) -> Result<Vec<u8>> {
    let mut out = try_alloc(data.len(), 0)?;
    for y in 0..height {
        for x in 0..width {
            let (nx, ny) = if clockwise { (height - 1 - y, x) } else { (y, width - 1 - x) };
            let from = (y * width + x) * BYTES_PER_PIXEL;
            let to = (ny * height + nx) * BYTES_PER_PIXEL;
            out[to..to + BYTES_PER_PIXEL].copy_from_slice(&data[from..from + BYTES_PER_PIXEL]);
        }
    }
    Ok(out)
}

/// The source index of each output pixel for Pillow's `NEAREST` resize: it
/// starts at half a step and adds the step once per pixel in f64, so that
/// where a sample lands exactly on a pixel boundary the accumulated rounding
/// picks the same side as Pillow.
fn nearest_indices(in_size: usize, out_size: usize) -> Vec<usize> {
    let step = in_size as f64 / out_size as f64;
    let mut position = step * 0.5;
    (0..out_size)
        .map(|_| {
            let index = (position as usize).min(in_size - 1);
            position += step;
            index
        })
        .collect()
}

/// Nearest-neighbour resize, exactly as Pillow's `Image.NEAREST`.
pub fn resize_nearest(data: &[u8], width: usize, height: usize, new_width: u32, new_height: u32) -> Result<Vec<u8>> {
    let mut out = try_alloc(checked_len(new_width, new_height)?, 0)?;
    let (new_width, new_height) = (new_width as usize, new_height as usize);
    let columns = nearest_indices(width, new_width);
    for (y, sy) in nearest_indices(height, new_height).into_iter().enumerate() {
        let source_row = &data[sy * width * BYTES_PER_PIXEL..(sy + 1) * width * BYTES_PER_PIXEL];
        let out_row = &mut out[y * new_width * BYTES_PER_PIXEL..(y + 1) * new_width * BYTES_PER_PIXEL];
        for (x, &sx) in columns.iter().enumerate() {
            out_row[x * BYTES_PER_PIXEL..(x + 1) * BYTES_PER_PIXEL]
                .copy_from_slice(&source_row[sx * BYTES_PER_PIXEL..(sx + 1) * BYTES_PER_PIXEL]);
        }
    }
    Ok(out)
}

/// The weights one output pixel takes from a run of input pixels.
struct Taps {
    first: usize,
    weights: Vec<i32>,
}

// Triangle weights are never negative and sum to 2^PRECISION_BITS, so a
// weighted sum of bytes stays below 2^30: i32 arithmetic is exact (and
// vectorises, where i64 would not).

const PRECISION_BITS: u32 = 22;

/// Triangle-filter taps for resampling `in_size` to `out_size`, widened by the
/// scale when shrinking (antialiasing), as Pillow's `BILINEAR` resize does.
fn bilinear_taps(in_size: usize, out_size: usize) -> Vec<Taps> {
    let scale = in_size as f64 / out_size as f64;
    let filter_scale = scale.max(1.0);
    let support = filter_scale;
    (0..out_size)
        .map(|x| {
            let centre = (x as f64 + 0.5) * scale;
            let first = ((centre - support + 0.5).floor().max(0.0)) as usize;
            let last = ((centre + support + 0.5).floor() as usize).min(in_size);
            let raw: Vec<f64> = (first..last)
                .map(|i| {
                    let distance = ((i as f64 - centre + 0.5) / filter_scale).abs();
                    (1.0 - distance).max(0.0)
                })
                .collect();
            let total: f64 = raw.iter().sum();
            let weights = raw
                .iter()
                .map(|w| {
                    let normalised = if total > 0.0 { w / total } else { 0.0 };
                    (normalised * f64::from(1u32 << PRECISION_BITS)).round() as i32
                })
                .collect();
            Taps { first, weights }
        })
        .collect()
}

fn clip_fixed(value: i32) -> u8 {
    ((value + (1 << (PRECISION_BITS - 1))) >> PRECISION_BITS).clamp(0, 255) as u8
}

/// Bilinear resize with Pillow's `Image.BILINEAR` definition: a separable
/// triangle filter in two passes, rounded to bytes between them; shrinking
/// averages every source pixel under the output pixel. Like Pillow, it works
/// on premultiplied colours (RGBA -> RGBa -> RGBA), so a transparent pixel's
/// hidden colour does not bleed into its neighbours. The same size is a copy,
/// as in Pillow (no premultiplied round trip).
///
/// The horizontal pass comes first, except where Pillow (since 13.0) runs the
/// vertical one first: when the height shrinks by more than twice as many
/// pixels as the width does. The order changes the rounding between passes,
/// so it is followed to give Pillow's bytes.
pub fn resize_bilinear(data: &[u8], width: usize, height: usize, new_width: u32, new_height: u32) -> Result<Vec<u8>> {
    if (width, height) == (new_width as usize, new_height as usize) {
        let mut copy = try_alloc(data.len(), 0)?;
        copy.copy_from_slice(data);
        return Ok(copy);
    }
    checked_len(new_width, new_height)?;
    let (new_width, new_height) = (new_width as usize, new_height as usize);
    let horizontal = bilinear_taps(width, new_width);
    let vertical = bilinear_taps(height, new_height);
    let mut premultiplied = try_alloc(data.len(), 0)?;
    premultiplied.copy_from_slice(data);
    premultiply_alpha(&mut premultiplied);
    let shrinks_height_more = new_height < height && height - new_height > 2 * width.saturating_sub(new_width);
    let mut out = if shrinks_height_more && new_width != width {
        let middle = resample_vertical(&premultiplied, width, &vertical)?;
        drop(premultiplied);
        resample_horizontal(&middle, width, new_height, &horizontal)?
    } else {
        let middle = resample_horizontal(&premultiplied, width, height, &horizontal)?;
        drop(premultiplied);
        resample_vertical(&middle, new_width, &vertical)?
    };
    unpremultiply_alpha(&mut out);
    Ok(out)
}

/// Each row of a `width` x `height` image resampled to `taps.len()` pixels.
fn resample_horizontal(data: &[u8], width: usize, height: usize, taps: &[Taps]) -> Result<Vec<u8>> {
    let new_width = taps.len();
    let mut out = try_alloc(new_width * height * BYTES_PER_PIXEL, 0)?;
    for (row, out_row) in
        data.chunks_exact(width * BYTES_PER_PIXEL).zip(out.chunks_exact_mut(new_width * BYTES_PER_PIXEL))
    {
        for (tap, out_pixel) in taps.iter().zip(out_row.chunks_exact_mut(BYTES_PER_PIXEL)) {
            let mut sums = [0i32; 4];
            let source = &row[tap.first * BYTES_PER_PIXEL..(tap.first + tap.weights.len()) * BYTES_PER_PIXEL];
            for (pixel, &weight) in source.chunks_exact(BYTES_PER_PIXEL).zip(&tap.weights) {
                for c in 0..BYTES_PER_PIXEL {
                    sums[c] += weight * i32::from(pixel[c]);
                }
            }
            for c in 0..BYTES_PER_PIXEL {
                out_pixel[c] = clip_fixed(sums[c]);
            }
        }
    }
    Ok(out)
}

/// Each column of a `width`-pixel-wide image resampled to `taps.len()` rows.
fn resample_vertical(data: &[u8], width: usize, taps: &[Taps]) -> Result<Vec<u8>> {
    let stride = width * BYTES_PER_PIXEL;
    let mut out = try_alloc(stride * taps.len(), 0)?;
    let mut sums = Vec::new();
    sums.try_reserve_exact(stride).map_err(|_| ImageError::OutOfMemory { bytes: stride * 4 })?;
    sums.resize(stride, 0i32);
    for (tap, out_row) in taps.iter().zip(out.chunks_exact_mut(stride)) {
        sums.fill(0);
        for (k, &weight) in tap.weights.iter().enumerate() {
            let source_row = &data[(tap.first + k) * stride..(tap.first + k + 1) * stride];
            for (sum, &value) in sums.iter_mut().zip(source_row) {
                *sum += weight * i32::from(value);
            }
        }
        for (value, &sum) in out_row.iter_mut().zip(&sums) {
            *value = clip_fixed(sum);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn numbered(width: usize, height: usize) -> Vec<u8> {
        (0..width * height).flat_map(|i| [i as u8, 0, 0, 255]).collect()
    }

    fn reds(data: &[u8]) -> Vec<u8> {
        data.chunks_exact(4).map(|p| p[0]).collect()
    }

    #[test]
    fn flips_mirror_the_pixels() {
        let mut data = numbered(3, 2);
        flip_horizontal(&mut data, 3);
        assert_eq!(reds(&data), vec![2, 1, 0, 5, 4, 3]);
        let mut data = numbered(3, 2);
        flip_vertical(&mut data, 3, 2);
        assert_eq!(reds(&data), vec![3, 4, 5, 0, 1, 2]);
        let mut data = numbered(1, 1);
        flip_horizontal(&mut data, 1);
        flip_vertical(&mut data, 1, 1);
        assert_eq!(reds(&data), vec![0]);
    }

    #[test]
    fn quarter_turns_move_corners() {
        // 0 1 2
        // 3 4 5
        let data = numbered(3, 2);
        assert_eq!(reds(&rotate_quarter(&data, 3, 2, true).unwrap()), vec![3, 0, 4, 1, 5, 2]);
        assert_eq!(reds(&rotate_quarter(&data, 3, 2, false).unwrap()), vec![2, 5, 1, 4, 0, 3]);
        let mut half = data.clone();
        rotate180(&mut half);
        assert_eq!(reds(&half), vec![5, 4, 3, 2, 1, 0]);
    }

    #[test]
    fn nearest_doubles_and_halves() {
        let data = numbered(2, 1);
        assert_eq!(reds(&resize_nearest(&data, 2, 1, 4, 1).unwrap()), vec![0, 0, 1, 1]);
        let data = numbered(4, 1);
        assert_eq!(reds(&resize_nearest(&data, 4, 1, 2, 1).unwrap()), vec![1, 3]);
    }

    #[test]
    fn bilinear_halving_averages_pairs() {
        let data: Vec<u8> = [0u8, 100, 200, 255].iter().flat_map(|&v| [v, v, v, 255]).collect();
        let half = resize_bilinear(&data, 4, 1, 2, 1).unwrap();
        // Support 2 around centres 1 and 3: weights 3/4, 3/4, 1/4 (then
        // 1/4, 3/4, 3/4), cut at the edges and normalised.
        assert_eq!(reds(&half), vec![71, 209]);
        assert!(half.chunks_exact(4).all(|p| p[3] == 255));
    }

    #[test]
    fn bilinear_does_not_bleed_the_colour_of_transparent_pixels() {
        // Opaque red next to transparent green: premultiplied, the green
        // counts for nothing and the colour stays red where anything shows.
        let data = [255u8, 0, 0, 255, 0, 255, 0, 0];
        let wide = resize_bilinear(&data, 2, 1, 4, 1).unwrap();
        assert_eq!(wide, vec![255, 0, 0, 255, 255, 0, 0, 191, 255, 0, 0, 64, 0, 0, 0, 0]);
    }

    #[test]
    fn bilinear_of_flat_image_is_flat() {
        let data = [12u8, 123, 234, 255].repeat(7 * 5);
        let out = resize_bilinear(&data, 7, 5, 13, 2).unwrap();
        assert!(out.chunks_exact(4).all(|p| p == [12, 123, 234, 255]));
        assert_eq!(out.len(), 13 * 2 * 4);
    }

    #[test]
    fn resize_checks_the_new_size() {
        let data = numbered(1, 1);
        assert!(resize_nearest(&data, 1, 1, 0, 5).is_err());
        assert!(resize_bilinear(&data, 1, 1, 20_000, 1).is_err());
        assert_eq!(reds(&resize_bilinear(&data, 1, 1, 3, 3).unwrap()), vec![0; 9]);
    }

    proptest! {
        #[test]
        fn four_quarter_turns_are_identity(width in 1usize..9, height in 1usize..9, seed in any::<u8>()) {
            let data: Vec<u8> = (0..width * height * 4).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect();
            let mut turned = data.clone();
            let (mut w, mut h) = (width, height);
            for _ in 0..4 {
                turned = rotate_quarter(&turned, w, h, true).unwrap();
                std::mem::swap(&mut w, &mut h);
            }
            prop_assert_eq!(turned, data);
        }

        #[test]
        fn flipping_twice_is_identity(width in 1usize..9, height in 1usize..9) {
            let data: Vec<u8> = (0..width * height * 4).map(|i| i as u8).collect();
            let mut flipped = data.clone();
            flip_horizontal(&mut flipped, width);
            flip_vertical(&mut flipped, width, height);
            flip_vertical(&mut flipped, width, height);
            flip_horizontal(&mut flipped, width);
            prop_assert_eq!(flipped, data);
        }
    }
}
