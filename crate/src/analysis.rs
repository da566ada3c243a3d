//! Measurements of RGBA pixels.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Result};

/// The pixels of `rows`, each a 4-byte slice.
pub fn pixels_of<'a>(rows: impl Iterator<Item = &'a [u8]>) -> impl Iterator<Item = &'a [u8]> {
    rows.flat_map(|row| row.chunks_exact(BYTES_PER_PIXEL))
}

/// The pixels of `pixels` whose `mask` pixel (an image of the same size,
/// read from its first byte: an "L" mask) is not 0, as Pillow's masks pick
/// them.
pub fn masked<'a>(pixels: &'a [u8], mask: &'a [u8]) -> impl Iterator<Item = &'a [u8]> {
    pixels
        .chunks_exact(BYTES_PER_PIXEL)
        .zip(mask.chunks_exact(BYTES_PER_PIXEL))
        .filter(|(_, weight)| weight[0] != 0)
        .map(|(pixel, _)| pixel)
}

/// Counts of each value per channel: 1024 entries, red 0..=255 first, then
/// green, blue and alpha (the layout of Pillow's `Image.histogram()`).
pub fn histogram<'a>(pixels: impl Iterator<Item = &'a [u8]>) -> Vec<u32> {
    let mut counts = vec![0u32; 256 * BYTES_PER_PIXEL];
    for pixel in pixels {
        for (channel, &value) in pixel.iter().enumerate() {
            counts[channel * 256 + usize::from(value)] += 1;
        }
    }
    counts
}

/// Counts of each luma value (Pillow's `convert("L").histogram()`).
pub fn luma_histogram<'a>(pixels: impl Iterator<Item = &'a [u8]>) -> Vec<u32> {
    let mut counts = vec![0u32; 256];
    for pixel in pixels {
        counts[usize::from(crate::colour::luma(pixel[0], pixel[1], pixel[2]))] += 1;
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

/// The smallest box `[x0, y0, x1, y1]` (x1, y1 exclusive, relative to the
/// rows given) holding every pixel whose alpha is not 0, or with
/// `alpha_only` false every pixel with any byte not 0 (Pillow's
/// `getbbox(alpha_only=...)` on RGBA); `None` when there is none.
pub fn bbox<'a>(rows: impl Iterator<Item = &'a [u8]>, alpha_only: bool) -> Option<[u32; 4]> {
    let mut found: Option<[u32; 4]> = None;
    for (y, row) in rows.enumerate() {
        let shows = |pixel: &[u8]| if alpha_only { pixel[3] != 0 } else { pixel != [0, 0, 0, 0] };
        let mut pixels = row.chunks_exact(BYTES_PER_PIXEL);
        let Some(first) = pixels.position(shows) else {
            continue;
        };
        let last = row.chunks_exact(BYTES_PER_PIXEL).rposition(shows).unwrap_or(first);
        let (first, last, y) = (first as u32, last as u32 + 1, y as u32);
        found = Some(match found {
            None => [first, y, last, y + 1],
            Some([x0, y0, x1, _]) => [x0.min(first), y0, x1.max(last), y + 1],
        });
    }
    found
}

/// The smallest and largest value of each channel, `[red min, red max,
/// green min, ...]` (Pillow's `getextrema()` on RGBA); `None` for no rows.
pub fn extrema<'a>(rows: impl Iterator<Item = &'a [u8]>) -> Option<[u8; 8]> {
    let mut low = [255u8; 4];
    let mut high = [0u8; 4];
    let mut any = false;
    for row in rows {
        any |= !row.is_empty();
        for pixel in row.chunks_exact(BYTES_PER_PIXEL) {
            for channel in 0..BYTES_PER_PIXEL {
                low[channel] = low[channel].min(pixel[channel]);
                high[channel] = high[channel].max(pixel[channel]);
            }
        }
    }
    any.then(|| std::array::from_fn(|i| if i % 2 == 0 { low[i / 2] } else { high[i / 2] }))
}

/// How many pixels have one colour.
pub type ColourCount = (u32, [u8; 4]);

/// Below this many colours asked for, [`colours`] keeps a sorted list and
/// stops as soon as it overflows; above, it sorts a copy of every pixel.
const SMALL_COLOUR_LIMIT: usize = 4096;

/// Each distinct colour with the number of pixels that have it, ordered by
/// colour (red, then green, blue, alpha), or `None` when there are more than
/// `max_colours` (Pillow's `getcolors(maxcolors)`, whose order is its hash
/// table's).
pub fn colours<'a>(
    rows: impl Iterator<Item = &'a [u8]>,
    pixel_count: usize,
    max_colours: usize,
) -> Result<Option<Vec<ColourCount>>> {
    let packed = |pixel: &[u8]| u32::from_be_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]);
    let mut counted: Vec<(u32, u32)> = Vec::new();
    if max_colours < SMALL_COLOUR_LIMIT {
        for row in rows {
            for pixel in row.chunks_exact(BYTES_PER_PIXEL) {
                let colour = packed(pixel);
                match counted.binary_search_by_key(&colour, |&(c, _)| c) {
                    Ok(at) => counted[at].1 += 1,
                    Err(_) if counted.len() == max_colours => return Ok(None),
                    Err(at) => counted.insert(at, (colour, 1)),
                }
            }
        }
    } else {
        let mut colours: Vec<u32> = Vec::new();
        colours.try_reserve_exact(pixel_count).map_err(|_| ImageError::OutOfMemory { bytes: pixel_count * 4 })?;
        for row in rows {
            colours.extend(row.chunks_exact(BYTES_PER_PIXEL).map(packed));
        }
        colours.sort_unstable();
        for colour in colours {
            match counted.last_mut() {
                Some((last, count)) if *last == colour => *count += 1,
                _ => {
                    if counted.len() == max_colours {
                        return Ok(None);
                    }
                    counted.push((colour, 1));
                }
            }
        }
    }
    Ok(Some(counted.into_iter().map(|(colour, count)| (count, colour.to_be_bytes())).collect()))
}

/// Pillow's `ImageStat.Stat` for one channel's 256 counts: count, sum, sum
/// of squares, mean, median, rms, variance and standard deviation, by
/// ImageStat's formulas (0 for an empty histogram).
pub fn channel_statistics(counts: &[u32]) -> [f64; 8] {
    let (mut count, mut sum, mut sum2) = (0u64, 0u64, 0u64);
    for (value, &n) in (0u64..).zip(counts) {
        count += u64::from(n);
        sum += value * u64::from(n);
        sum2 += value * value * u64::from(n);
    }
    if count == 0 {
        return [0.0; 8];
    }
    let half = count / 2;
    let mut running = 0u64;
    let mut median = 255;
    for (value, &n) in counts.iter().enumerate() {
        running += u64::from(n);
        if running > half {
            median = value;
            break;
        }
    }
    let (count_f, sum_f, sum2_f) = (count as f64, sum as f64, sum2 as f64);
    let variance = (sum2_f - (u128::from(sum) * u128::from(sum)) as f64 / count_f) / count_f;
    [count_f, sum_f, sum2_f, sum_f / count_f, median as f64, (sum2_f / count_f).sqrt(), variance, variance.sqrt()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_masked_histogram_counts_only_where_the_mask_is_not_zero() {
        let pixels = [1, 2, 3, 4, 5, 6, 7, 8];
        let counts = histogram(masked(&pixels, &[0, 9, 9, 255, 7, 0, 0, 255]));
        assert_eq!(counts.iter().sum::<u32>(), 4);
        assert_eq!((counts[5], counts[256 + 6], counts[512 + 7], counts[768 + 8]), (1, 1, 1, 1));
    }

    #[test]
    fn histogram_counts_every_channel() {
        let pixels = [255u8, 0, 0, 255, 60, 70, 90, 255];
        let counts = histogram(pixels_of([&pixels[..]].into_iter()));
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

    #[test]
    fn bbox_of_alpha_or_of_any_byte() {
        // 4x3: a transparent red at (1, 0), an opaque pixel at (2, 1).
        let mut pixels = [0u8; 4 * 3 * 4];
        pixels[4..8].copy_from_slice(&[255, 0, 0, 0]);
        pixels[(4 + 2) * 4..(4 + 3) * 4].copy_from_slice(&[0, 0, 0, 255]);
        let rows = || pixels.chunks_exact(16);
        assert_eq!(bbox(rows(), true), Some([2, 1, 3, 2]));
        assert_eq!(bbox(rows(), false), Some([1, 0, 3, 2]));
        assert_eq!(bbox(pixels[32..].chunks_exact(16), true), None);
    }

    #[test]
    fn extrema_per_channel() {
        let pixels = [255u8, 0, 9, 255, 60, 70, 90, 255];
        assert_eq!(extrema([&pixels[..]].into_iter()), Some([60, 255, 0, 70, 9, 90, 255, 255]));
        assert_eq!(extrema(std::iter::empty()), None);
    }

    #[test]
    fn colours_counted_in_order_up_to_a_limit() {
        let pixels = [9u8, 9, 9, 9, 1, 2, 3, 4, 9, 9, 9, 9];
        let expected = vec![(1, [1, 2, 3, 4]), (2, [9, 9, 9, 9])];
        assert_eq!(colours([&pixels[..]].into_iter(), 3, 2).unwrap(), Some(expected.clone()));
        assert_eq!(colours([&pixels[..]].into_iter(), 3, 1).unwrap(), None);
        // The other path, for large limits, gives the same.
        assert_eq!(colours([&pixels[..]].into_iter(), 3, 100_000).unwrap(), Some(expected));
        let many: Vec<u8> = (0..5000u32).flat_map(|v| v.to_be_bytes()).collect();
        assert_eq!(colours([&many[..]].into_iter(), 5000, 4999).unwrap(), None);
        assert_eq!(colours([&many[..]].into_iter(), 5000, 5000).unwrap().map(|c| c.len()), Some(5000));
        assert_eq!(colours([&many[..]].into_iter(), 5000, 10).unwrap(), None);
    }

    #[test]
    fn statistics_as_image_stat_computes_them() {
        let mut counts = vec![0u32; 256];
        counts[10] = 3;
        counts[20] = 1;
        let [count, sum, sum2, mean, median, rms, var, stddev] = channel_statistics(&counts);
        assert_eq!((count, sum, sum2, mean, median), (4.0, 50.0, 700.0, 12.5, 10.0));
        assert_eq!(rms, 175f64.sqrt());
        assert_eq!((var, stddev), (18.75, 18.75f64.sqrt()));
        assert_eq!(channel_statistics(&[0; 256]), [0.0; 8]);
    }
}
