//! Pillow's `ImageFilter.Color3DLUT`: red, green and blue index a 3D table
//! of 3 or 4 channels, interpolated trilinearly in Pillow's fixed point
//! (libImaging's ColorLUT.c), so the bytes are Pillow's.
//!
//! The table's values (0.0 the lowest output, 1.0 the highest) are turned
//! into 16-bit numbers with 6 bits of fraction, as Pillow prepares them;
//! a pixel's channel value times `(size - 1) / 255` in 18-bit fixed point
//! gives a cell and the offset within it, 15 bits of which weigh the cell's
//! corners.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Result};

/// Fraction bits of a prepared table value (255 << 6 is 1.0).
const PRECISION_BITS: u32 = 6;
/// Fraction bits of a pixel's position in the table.
const SCALE_BITS: u32 = 32 - 8 - 6;
const SCALE_MASK: u32 = (1 << SCALE_BITS) - 1;
/// Bits of the weights between neighbouring cells.
const SHIFT_BITS: u32 = 16 - 1;
/// The sizes a table may have along each axis.
pub const SIZES: std::ops::RangeInclusive<usize> = 2..=65;

/// A prepared table: `channels` (3 or 4) values per entry, red changing
/// fastest, then green, then blue.
#[derive(Debug, Clone, PartialEq)]
pub struct ColourLut {
    channels: usize,
    sizes: [usize; 3],
    table: Vec<i16>,
}

impl ColourLut {
    /// Checks the channels, the sizes and the number of values, and
    /// prepares the values as Pillow does (each rounded half away from 0
    /// from its `f32`, saturated to 16 bits).
    pub fn new(channels: usize, sizes: [usize; 3], values: &[f32]) -> Result<Self> {
        if channels != 3 && channels != 4 {
            return Err(ImageError::BadArgument {
                name: "channels",
                message: format!("must be 3 or 4, got {channels}"),
            });
        }
        if let Some(bad) = sizes.iter().find(|size| !SIZES.contains(size)) {
            return Err(ImageError::BadArgument {
                name: "table size",
                message: format!("must be from 2 to 65 in every dimension, got {bad}"),
            });
        }
        let expected = channels * sizes.iter().product::<usize>();
        if values.len() != expected {
            return Err(ImageError::BadArgument {
                name: "table",
                message: format!(
                    "must have {expected} values (channels * size1D * size2D * size3D), got {}",
                    values.len()
                ),
            });
        }
        Ok(Self { channels, sizes, table: values.iter().map(|&value| prepare(value)).collect() })
    }
}

/// One table value in Pillow's fixed point: the product is taken in `f32`,
/// the rounding in `f64`, as Pillow's C does it (NaN becomes 0).
fn prepare(value: f32) -> i16 {
    let one = (255 << PRECISION_BITS) as f32;
    let wide = f64::from(value);
    if wide >= (f64::from(i16::MAX) - 0.5) / f64::from(one) {
        i16::MAX
    } else if wide <= (f64::from(i16::MIN) + 0.5) / f64::from(one) {
        i16::MIN
    } else if value < 0.0 {
        (f64::from(value * one) - 0.5) as i16
    } else {
        (f64::from(value * one) + 0.5) as i16
    }
}

#[inline(always)]
fn interpolate<const N: usize>(a: &[i16], b: &[i16], shift: i32) -> [i16; N] {
    std::array::from_fn(|c| {
        ((i32::from(a[c]) * ((1 << SHIFT_BITS) - shift) + i32::from(b[c]) * shift) >> SHIFT_BITS) as i16
    })
}

#[inline(always)]
fn clip8(value: i16) -> u8 {
    ((i32::from(value) + (1 << (PRECISION_BITS - 1))) >> PRECISION_BITS).clamp(0, 255) as u8
}

/// Maps every pixel of `pixels` (RGBA) through `lut`: red, green and blue
/// from the table; alpha kept with 3 channels, from the table with 4.
pub fn apply(pixels: &mut [u8], lut: &ColourLut) {
    match lut.channels {
        3 => apply_with::<3>(pixels, lut),
        _ => apply_with::<4>(pixels, lut),
    }
}

fn apply_with<const N: usize>(pixels: &mut [u8], lut: &ColourLut) {
    let [size1, size2, size3] = lut.sizes;
    // Truncated, not rounded, as in Pillow: 255 then never reaches the last
    // cell, whose neighbour would be outside the table.
    let scale = |size: usize| ((size - 1) as f64 / 255.0 * f64::from(1u32 << SCALE_BITS)) as u32;
    let scales = [scale(size1), scale(size2), scale(size3)];
    let (row, plane) = (size1 * N, size1 * size2 * N);
    let table = &lut.table;
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let mut cells = [0usize; 3];
        let mut shifts = [0i32; 3];
        for axis in 0..3 {
            let index = u32::from(pixel[axis]) * scales[axis];
            cells[axis] = ((index >> SCALE_BITS) as usize).min(lut.sizes[axis] - 2);
            shifts[axis] = ((index & SCALE_MASK) >> (SCALE_BITS - SHIFT_BITS)) as i32;
        }
        let at = N * (cells[0] + cells[1] * size1 + cells[2] * size1 * size2);
        let entry = |offset: usize| &table[at + offset..at + offset + N];
        let near_near: [i16; N] = interpolate(entry(0), entry(N), shifts[0]);
        let near_far: [i16; N] = interpolate(entry(row), entry(row + N), shifts[0]);
        let near: [i16; N] = interpolate(&near_near, &near_far, shifts[1]);
        let far_near: [i16; N] = interpolate(entry(plane), entry(plane + N), shifts[0]);
        let far_far: [i16; N] = interpolate(entry(plane + row), entry(plane + row + N), shifts[0]);
        let far: [i16; N] = interpolate(&far_near, &far_far, shifts[1]);
        let result: [i16; N] = interpolate(&near, &far, shifts[2]);
        for (byte, &value) in pixel.iter_mut().zip(result.iter()) {
            *byte = clip8(value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity(sizes: [usize; 3], channels: usize) -> Vec<f32> {
        let mut values = Vec::new();
        for b in 0..sizes[2] {
            for g in 0..sizes[1] {
                for r in 0..sizes[0] {
                    values.extend([
                        r as f32 / (sizes[0] - 1) as f32,
                        g as f32 / (sizes[1] - 1) as f32,
                        b as f32 / (sizes[2] - 1) as f32,
                    ]);
                    if channels == 4 {
                        values.push(0.5);
                    }
                }
            }
        }
        values
    }

    #[test]
    fn an_identity_table_keeps_every_colour() {
        let mut pixels: Vec<u8> = (0..=255u8).flat_map(|v| [v, 255 - v, v / 3, 77]).collect();
        let before = pixels.clone();
        for sizes in [[2, 2, 2], [5, 9, 17], [65, 65, 65]] {
            pixels.copy_from_slice(&before);
            apply(&mut pixels, &ColourLut::new(3, sizes, &identity(sizes, 3)).unwrap());
            assert_eq!(pixels, before, "{sizes:?}");
        }
        let sizes = [3, 4, 5];
        apply(&mut pixels, &ColourLut::new(4, sizes, &identity(sizes, 4)).unwrap());
        assert!(pixels.chunks_exact(4).zip(before.chunks_exact(4)).all(|(a, b)| a[..3] == b[..3] && a[3] == 128));
    }

    #[test]
    fn values_are_prepared_and_clipped_as_pillow_does() {
        assert_eq!(prepare(1.0), 16320);
        assert_eq!(prepare(-0.25), -4080);
        assert_eq!(prepare(0.5 / 16320.0), 1);
        assert_eq!(prepare(3.0), i16::MAX);
        assert_eq!(prepare(f32::NEG_INFINITY), i16::MIN);
        assert_eq!(prepare(f32::NAN), 0);
        assert_eq!((clip8(-200), clip8(16320), clip8(i16::MAX)), (0, 255, 255));
    }

    #[test]
    fn bad_tables_are_refused() {
        let message = |error: ImageError| error.to_string();
        assert_eq!(message(ColourLut::new(2, [2, 2, 2], &[0.0; 16]).unwrap_err()), "channels must be 3 or 4, got 2");
        assert_eq!(
            message(ColourLut::new(3, [2, 66, 2], &[0.0; 792]).unwrap_err()),
            "table size must be from 2 to 65 in every dimension, got 66"
        );
        assert_eq!(
            message(ColourLut::new(3, [2, 2, 2], &[0.0; 23]).unwrap_err()),
            "table must have 24 values (channels * size1D * size2D * size3D), got 23"
        );
    }
}
