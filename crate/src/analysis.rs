//! Measurements of RGBA pixels.

use crate::buffer::BYTES_PER_PIXEL;

/// Counts of each value per channel: 1024 entries, red 0..=255 first, then
/// green, blue and alpha (the layout of Pillow's `Image.histogram()`).
pub fn histogram<'a>(rows: impl Iterator<Item = &'a [u8]>) -> Vec<u32> {
    let mut counts = vec![0u32; 256 * BYTES_PER_PIXEL];
    for row in rows {
        for pixel in row.chunks_exact(BYTES_PER_PIXEL) {
            for (channel, &value) in pixel.iter().enumerate() {
                counts[channel * 256 + usize::from(value)] += 1;
            }
        }
    }
    counts
}

/// Counts of each luma value (Pillow's `convert("L").histogram()`).
pub fn luma_histogram<'a>(rows: impl Iterator<Item = &'a [u8]>) -> Vec<u32> {
    let mut counts = vec![0u32; 256];
    for row in rows {
        for pixel in row.chunks_exact(BYTES_PER_PIXEL) {
            counts[usize::from(crate::colour::luma(pixel[0], pixel[1], pixel[2]))] += 1;
        }
    }
    counts
}

/// The mean of each channel, red, green, blue and alpha (Pillow's
/// `ImageStat.Stat(image).mean`).
pub fn mean_colour<'a>(rows: impl Iterator<Item = &'a [u8]>) -> [f64; 4] {
    let mut sums = [0u64; 4];
    let mut count = 0u64;
    for row in rows {
        for pixel in row.chunks_exact(BYTES_PER_PIXEL) {
            for (sum, &value) in sums.iter_mut().zip(pixel) {
                *sum += u64::from(value);
            }
            count += 1;
        }
    }
    sums.map(|sum| if count == 0 { 0.0 } else { sum as f64 / count as f64 })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_counts_every_channel() {
        let pixels = [255u8, 0, 0, 255, 60, 70, 90, 255];
        let counts = histogram([&pixels[..]].into_iter());
        assert_eq!(counts.len(), 1024);
        assert_eq!(counts[255], 1);
        assert_eq!(counts[60], 1);
        assert_eq!(counts[256], 1);
        assert_eq!(counts[256 + 70], 1);
        assert_eq!(counts[512 + 90], 1);
        assert_eq!(counts[768 + 255], 2);
        assert_eq!(counts.iter().sum::<u32>(), 8);
    }

    #[test]
    fn mean_of_two_pixels() {
        let pixels = [255u8, 0, 0, 255, 60, 70, 90, 255];
        assert_eq!(mean_colour([&pixels[..]].into_iter()), [157.5, 35.0, 45.0, 255.0]);
        assert_eq!(mean_colour(std::iter::empty()), [0.0; 4]);
    }
}
