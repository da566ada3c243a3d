//! Pillow's rank filters, `ImageFilter.RankFilter(size, rank)` and its
//! `MinFilter`, `MaxFilter` and `MedianFilter`: each byte of all four
//! channels becomes the `rank`-th smallest (from 0) of its channel's
//! `size` x `size` neighbourhood, the image's edges extended, exactly as
//! Pillow computes it on each band of an RGBA image.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Result, try_alloc, try_alloc_zeroed, try_copy};
use crate::parallel::for_each_band;

/// The largest filter size: window counts then fit the histograms' u16.
pub const MAX_SIZE: usize = 255;

/// `size` is odd, from 1 to [`MAX_SIZE`]; `rank` below `size * size`.
pub fn rank_filter(data: &mut [u8], width: usize, height: usize, size: usize, rank: usize) -> Result<()> {
    if size == 1 || data.is_empty() {
        return Ok(());
    }
    let source = try_copy(data)?;
    rank_filter_into(&source, data, width, height, size, rank)
}

/// [`rank_filter`] of `source` into a new buffer, `source` unchanged: the
/// kernel writes every byte, so the pixels are not copied first.
pub fn rank_filtered(source: &[u8], width: usize, height: usize, size: usize, rank: usize) -> Result<Vec<u8>> {
    let mut out = try_alloc_zeroed(source.len())?;
    rank_filter_into(source, &mut out, width, height, size, rank)?;
    Ok(out)
}

/// [`rank_filter`] of `source` written into `out` (the same length), every
/// byte of it.
fn rank_filter_into(
    source: &[u8],
    out: &mut [u8],
    width: usize,
    height: usize,
    size: usize,
    rank: usize,
) -> Result<()> {
    debug_assert!(size % 2 == 1 && size <= MAX_SIZE && rank < size * size);
    debug_assert_eq!(source.len(), out.len());
    if size == 1 || source.is_empty() {
        out.copy_from_slice(source);
        return Ok(());
    }
    match rank {
        0 => extreme(source, out, width, height, size, u8::min),
        _ if rank == size * size - 1 => extreme(source, out, width, height, size, u8::max),
        4 if size == 3 => median3(source, out, width, height),
        _ => by_histogram(source, out, width, height, size, rank),
    }
}

/// [`rank_filter`] of a one-band 32-bit image, each pixel's 4 bytes a
/// little-endian "I" value, or an "F" one when `float`, as Pillow ranks
/// those modes (its `RankINT32`, `RankFLOAT32`): the `rank`-th smallest of
/// the window, edges extended. Floats are ordered by `total_cmp` (Pillow's
/// `<` leaves NaN unordered; -0.0 ranks below 0.0 here).
pub fn rank_filter_wide(
    data: &mut [u8],
    width: usize,
    height: usize,
    (size, rank): (usize, usize),
    float: bool,
) -> Result<()> {
    debug_assert!(size % 2 == 1 && size <= MAX_SIZE && rank < size * size);
    if size == 1 || data.is_empty() {
        return Ok(());
    }
    let source = try_copy(data)?;
    let mut window: Vec<u32> = Vec::new();
    window.try_reserve_exact(size * size).map_err(|_| ImageError::OutOfMemory { bytes: size * size * 4 })?;
    window.resize(size * size, 0);
    let half = size / 2;
    let value = |x: usize, y: usize| {
        let at = (y * width + x) * BYTES_PER_PIXEL;
        u32::from_le_bytes([source[at], source[at + 1], source[at + 2], source[at + 3]])
    };
    for y in 0..height {
        for x in 0..width {
            let mut slot = 0;
            for wy in 0..size {
                let sy = (y + wy).saturating_sub(half).min(height - 1);
                for wx in 0..size {
                    window[slot] = value((x + wx).saturating_sub(half).min(width - 1), sy);
                    slot += 1;
                }
            }
            // The order is chosen once per pixel's window, not per comparison.
            let chosen = if float {
                *window.select_nth_unstable_by(rank, |a, b| f32::from_bits(*a).total_cmp(&f32::from_bits(*b))).1
            } else {
                *window.select_nth_unstable_by_key(rank, |bits| *bits as i32).1
            };
            let at = (y * width + x) * BYTES_PER_PIXEL;
            data[at..at + BYTES_PER_PIXEL].copy_from_slice(&chosen.to_le_bytes());
        }
    }
    Ok(())
}

/// The rows [`extreme`] takes down the columns at a time.
const EXTREME_CHUNK_ROWS: usize = 16;

/// The minimum or maximum (`pick`) of each window: separable, a pass down
/// the columns, then one along the rows, each band of rows on its own
/// thread (the window is the same rectangle in either order).
fn extreme<F: Fn(u8, u8) -> u8 + Copy + Sync>(
    source: &[u8],
    data: &mut [u8],
    width: usize,
    height: usize,
    size: usize,
    pick: F,
) -> Result<()> {
    let half = size / 2;
    let stride = width * BYTES_PER_PIXEL;
    let padded_stride = (width + 2 * half) * BYTES_PER_PIXEL;
    for_each_band(data, stride, |first_row, band| {
        // A few rows at a time, so that the scratch stays small beside the
        // source's copy (the window's extra rows are recomputed per chunk).
        let chunk_rows = (band.len() / stride).min(EXTREME_CHUNK_ROWS);
        let mut columns = try_alloc((chunk_rows + size - 2) * stride, 0)?;
        for (index, chunk) in band.chunks_mut(EXTREME_CHUNK_ROWS * stride).enumerate() {
            let first_row = first_row + index * EXTREME_CHUNK_ROWS;
            // Windows of two rows, from the chunk's first row's window's
            // top row on, widened in place while they fit the window.
            let columns = &mut columns[..(chunk.len() / stride + size - 2) * stride];
            let source_row = |at: usize| {
                let y = (first_row + at).saturating_sub(half).min(height - 1);
                &source[y * stride..(y + 1) * stride]
            };
            for (at, out) in columns.chunks_exact_mut(stride).enumerate() {
                for ((out, &near), &far) in out.iter_mut().zip(source_row(at)).zip(source_row(at + 1)) {
                    *out = pick(near, far);
                }
            }
            let span = widen_windows_in_place(columns, stride, 2, size, pick);
            // Windows of `span` starting at y and at y + size - span cover y..y + size.
            let far_start = (size - span) * stride;
            for ((out, &near), &far) in chunk.iter_mut().zip(columns.iter()).zip(&columns[far_start..]) {
                *out = pick(near, far);
            }
        }
        drop(columns);
        let mut line = try_alloc(padded_stride, 0)?;
        let mut spare = try_alloc(padded_stride, 0)?;
        for row in band.chunks_exact_mut(stride) {
            let (first, last) = (&row[..BYTES_PER_PIXEL], &row[stride - BYTES_PER_PIXEL..]);
            for (at, pixel) in line.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
                pixel.copy_from_slice(match at {
                    _ if at < half => first,
                    _ if at >= half + width => last,
                    _ => &row[(at - half) * BYTES_PER_PIXEL..(at - half + 1) * BYTES_PER_PIXEL],
                });
            }
            let span = widen_windows(&mut line, &mut spare, BYTES_PER_PIXEL, size, pick);
            let far = &line[(size - span) * BYTES_PER_PIXEL..];
            for ((out, &near), &far) in row.iter_mut().zip(line.iter()).zip(far) {
                *out = pick(near, far);
            }
        }
        Ok(())
    })
}

/// Doubles the windows each value of `line` stands for, `step` bytes to the
/// next element, while they stay within `size` elements: returns the span
/// reached, the largest power of two not above `size`. `spare` is scratch of
/// the same length.
fn widen_windows<F: Fn(u8, u8) -> u8>(
    line: &mut Vec<u8>,
    spare: &mut Vec<u8>,
    step: usize,
    size: usize,
    pick: F,
) -> usize {
    let mut span = 1;
    while span * 2 <= size {
        let offset = span * step;
        for ((out, &near), &far) in spare.iter_mut().zip(line.iter()).zip(&line[offset..]) {
            *out = pick(near, far);
        }
        std::mem::swap(line, spare);
        span *= 2;
    }
    span
}

/// As [`widen_windows`] over whole rows of `stride` bytes, in place, from
/// windows of `span` rows: each row only reads the rows below it, which
/// this pass has not changed yet.
fn widen_windows_in_place<F: Fn(u8, u8) -> u8>(
    rows: &mut [u8],
    stride: usize,
    mut span: usize,
    size: usize,
    pick: F,
) -> usize {
    let count = rows.len() / stride;
    while span * 2 <= size {
        for at in 0..count.saturating_sub(span) {
            let (upper, lower) = rows.split_at_mut((at + span) * stride);
            for (out, &far) in upper[at * stride..].iter_mut().zip(&lower[..stride]) {
                *out = pick(*out, far);
            }
        }
        span *= 2;
    }
    span
}

/// Any rank, by a histogram of each channel's window slid along the row
/// (Huang's algorithm): one column leaves and one enters per step, and the
/// answer moves from the last one by as many levels as it changed.
fn by_histogram(source: &[u8], data: &mut [u8], width: usize, height: usize, size: usize, rank: usize) -> Result<()> {
    let half = size / 2;
    let stride = width * BYTES_PER_PIXEL;
    let rank = rank as u32;
    let column = |x: isize| x.clamp(0, width as isize - 1) as usize * BYTES_PER_PIXEL;
    for_each_band(data, stride, |first_row, band| {
        let mut rows: Vec<&[u8]> = Vec::new();
        rows.try_reserve_exact(size).map_err(|_| ImageError::OutOfMemory { bytes: size * 16 })?;
        for (index, out) in band.chunks_exact_mut(stride).enumerate() {
            let y = first_row + index;
            rows.clear();
            rows.extend((0..size).map(|i| {
                let y = (y + i).saturating_sub(half).min(height - 1);
                &source[y * stride..(y + 1) * stride]
            }));
            let mut windows = [Window::EMPTY; BYTES_PER_PIXEL];
            for x in -(half as isize)..=half as isize {
                add_column(&mut windows, &rows, column(x));
            }
            for (x, pixel) in out.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
                for (value, window) in pixel.iter_mut().zip(&mut windows) {
                    *value = window.settle(rank);
                }
                let x = x as isize;
                remove_column(&mut windows, &rows, column(x - half as isize));
                add_column(&mut windows, &rows, column(x + half as isize + 1));
            }
        }
        Ok(())
    })
}

/// One channel's window: how often each level occurs, and the answer so far
/// with the count of values below it.
#[derive(Clone, Copy)]
struct Window {
    counts: [u16; 256],
    value: u8,
    below: u32,
}

impl Window {
    const EMPTY: Self = Self { counts: [0; 256], value: 0, below: 0 };

    #[inline(always)]
    fn add(&mut self, level: u8) {
        self.counts[usize::from(level)] += 1;
        self.below += u32::from(level < self.value);
    }

    #[inline(always)]
    fn remove(&mut self, level: u8) {
        self.counts[usize::from(level)] -= 1;
        self.below -= u32::from(level < self.value);
    }

    /// Moves `value` to the `rank`-th smallest level of the window.
    fn settle(&mut self, rank: u32) -> u8 {
        while self.below > rank {
            self.value -= 1;
            self.below -= u32::from(self.counts[usize::from(self.value)]);
        }
        while self.below + u32::from(self.counts[usize::from(self.value)]) <= rank {
            self.below += u32::from(self.counts[usize::from(self.value)]);
            self.value += 1;
        }
        self.value
    }
}

#[inline(always)]
fn add_column(windows: &mut [Window; BYTES_PER_PIXEL], rows: &[&[u8]], at: usize) {
    for row in rows {
        for (window, &level) in windows.iter_mut().zip(&row[at..at + BYTES_PER_PIXEL]) {
            window.add(level);
        }
    }
}

#[inline(always)]
fn remove_column(windows: &mut [Window; BYTES_PER_PIXEL], rows: &[&[u8]], at: usize) {
    for row in rows {
        for (window, &level) in windows.iter_mut().zip(&row[at..at + BYTES_PER_PIXEL]) {
            window.remove(level);
        }
    }
}

/// What the median network needs: the smaller and the larger of two values,
/// for one byte or, lane by lane, for sixteen.
trait MinMax: Copy {
    fn lower(self, other: Self) -> Self;
    fn upper(self, other: Self) -> Self;
}

impl MinMax for u8 {
    fn lower(self, other: Self) -> Self {
        self.min(other)
    }
    fn upper(self, other: Self) -> Self {
        self.max(other)
    }
}

/// Sixteen bytes in one wasm SIMD vector: four pixels' channels.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
#[derive(Clone, Copy)]
struct Lanes(core::arch::wasm32::v128);

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
impl MinMax for Lanes {
    fn lower(self, other: Self) -> Self {
        Self(core::arch::wasm32::u8x16_min(self.0, other.0))
    }
    fn upper(self, other: Self) -> Self {
        Self(core::arch::wasm32::u8x16_max(self.0, other.0))
    }
}

/// Median of 9 values with Paeth's 19-exchange network, written out so that
/// it compiles to branch-free min/max.
#[inline(always)]
// Exchanges whose other half the median never reads still assign it.
#[allow(unused_assignments)]
fn median9<T: MinMax>(v: [T; 9]) -> T {
    let [mut p0, mut p1, mut p2, mut p3, mut p4, mut p5, mut p6, mut p7, mut p8] = v;
    macro_rules! order {
        ($a:ident, $b:ident) => {
            let low = $a.lower($b);
            $b = $a.upper($b);
            $a = low;
        };
    }
    order!(p1, p2);
    order!(p4, p5);
    order!(p7, p8);
    order!(p0, p1);
    order!(p3, p4);
    order!(p6, p7);
    order!(p1, p2);
    order!(p4, p5);
    order!(p7, p8);
    order!(p0, p3);
    order!(p5, p8);
    order!(p4, p7);
    order!(p3, p6);
    order!(p1, p4);
    order!(p2, p5);
    order!(p4, p7);
    order!(p4, p2);
    order!(p6, p4);
    // The last exchange only needs its smaller half.
    p4.lower(p2)
}

/// Median of each 3x3 neighbourhood, per channel for all four, edges
/// extended (Pillow's `MedianFilter(3)`).
fn median3(source: &[u8], data: &mut [u8], width: usize, height: usize) -> Result<()> {
    let stride = width * BYTES_PER_PIXEL;
    let row = |y: isize| {
        let y = y.clamp(0, height as isize - 1) as usize;
        &source[y * stride..(y + 1) * stride]
    };
    for_each_band(data, stride, |first_row, band| {
        for (index, out) in band.chunks_exact_mut(stride).enumerate() {
            let y = (first_row + index) as isize;
            let (above, here, below) = (row(y - 1), row(y), row(y + 1));
            let done = median3_inner(above, here, below, out, width);
            for x in (0..width).filter(|&x| !done.contains(&x)) {
                let (left, centre, right) = (
                    x.saturating_sub(1) * BYTES_PER_PIXEL,
                    x * BYTES_PER_PIXEL,
                    (x + 1).min(width - 1) * BYTES_PER_PIXEL,
                );
                for c in 0..BYTES_PER_PIXEL {
                    out[centre + c] = median9([
                        above[left + c],
                        above[centre + c],
                        above[right + c],
                        here[left + c],
                        here[centre + c],
                        here[right + c],
                        below[left + c],
                        below[centre + c],
                        below[right + c],
                    ]);
                }
            }
        }
        Ok(())
    })
}

/// The medians of the pixels of one row whose neighbours all lie inside it,
/// four at a time with wasm SIMD (sixteen bytes, the same network lane by
/// lane); returns the pixels done, the others left to the caller.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn median3_inner(above: &[u8], here: &[u8], below: &[u8], out: &mut [u8], width: usize) -> std::ops::Range<usize> {
    const STEP: usize = 4;
    let load = |row: &[u8], at: usize| Lanes(crate::simd::load(&row[at..]));
    let mut x = 1;
    // Pixels x..x + STEP read from x - 1 to x + STEP, which must be inside.
    while x + STEP < width {
        let (left, centre, right) = ((x - 1) * BYTES_PER_PIXEL, x * BYTES_PER_PIXEL, (x + 1) * BYTES_PER_PIXEL);
        let median = median9([
            load(above, left),
            load(above, centre),
            load(above, right),
            load(here, left),
            load(here, centre),
            load(here, right),
            load(below, left),
            load(below, centre),
            load(below, right),
        ]);
        crate::simd::store(&mut out[centre..], median.0);
        x += STEP;
    }
    1..x
}

/// Without SIMD every pixel is left to the caller's loop.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn median3_inner(_above: &[u8], _here: &[u8], _below: &[u8], _out: &mut [u8], _width: usize) -> std::ops::Range<usize> {
    0..0
}

/// Pillow's `ModeFilter(size)` on each of the four channels (Pillow runs it
/// band by band): a byte becomes the most frequent value of its channel in
/// the `size` x `size` window around it (the smallest such value on a tie),
/// counting only the pixels inside the image, if that value occurs more
/// than twice; otherwise it stays. An even `size` has the window of
/// `size + 1`, as Pillow halves it; below 2 nothing changes.
pub fn mode_filter(data: &mut [u8], width: usize, height: usize, size: usize) -> Result<()> {
    // A window wider than the image counts what the image's width does.
    let half = (size / 2).min(width.max(height));
    if half == 0 || data.is_empty() {
        return Ok(());
    }
    let stride = width * BYTES_PER_PIXEL;
    let source = try_copy(data)?;
    let mut counts = vec![[0u32; 256]; BYTES_PER_PIXEL];
    for (y, out_row) in data.chunks_exact_mut(stride).enumerate() {
        let rows = y.saturating_sub(half)..(y + half + 1).min(height);
        let add_column = |counts: &mut [[u32; 256]], x: usize, step: fn(&mut u32)| {
            for row in rows.clone() {
                let pixel = &source[row * stride + x * BYTES_PER_PIXEL..][..BYTES_PER_PIXEL];
                for (channel, &value) in counts.iter_mut().zip(pixel) {
                    step(&mut channel[usize::from(value)]);
                }
            }
        };
        for channel in counts.iter_mut() {
            channel.fill(0);
        }
        for x in 0..=half.min(width - 1) {
            add_column(&mut counts, x, |count| *count += 1);
        }
        for x in 0..width {
            let pixel = &mut out_row[x * BYTES_PER_PIXEL..(x + 1) * BYTES_PER_PIXEL];
            for (byte, channel) in pixel.iter_mut().zip(counts.iter()) {
                let (mut best, mut best_count) = (0, channel[0]);
                for (value, &count) in channel.iter().enumerate().skip(1) {
                    if count > best_count {
                        (best, best_count) = (value, count);
                    }
                }
                if best_count > 2 {
                    *byte = best as u8;
                }
            }
            if x >= half {
                add_column(&mut counts, x - half, |count| *count -= 1);
            }
            if x + half + 1 < width {
                add_column(&mut counts, x + half + 1, |count| *count += 1);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::samples::{grey_row, reds};
    use proptest::prelude::*;

    /// Pillow's definition by brute force: sort each clamped window.
    fn sorted_windows(data: &[u8], width: usize, height: usize, size: usize, rank: usize) -> Vec<u8> {
        let half = size as isize / 2;
        let mut out = data.to_vec();
        for y in 0..height as isize {
            for x in 0..width as isize {
                for c in 0..4 {
                    let mut window: Vec<u8> = (-half..=half)
                        .flat_map(|dy| (-half..=half).map(move |dx| (dx, dy)))
                        .map(|(dx, dy)| {
                            let (sx, sy) =
                                ((x + dx).clamp(0, width as isize - 1), (y + dy).clamp(0, height as isize - 1));
                            data[(sy as usize * width + sx as usize) * 4 + c]
                        })
                        .collect();
                    window.sort_unstable();
                    out[(y as usize * width + x as usize) * 4 + c] = window[rank];
                }
            }
        }
        out
    }

    /// Pillow's ModeFilter.c by brute force, on one channel.
    fn brute_mode(data: &[u8], width: usize, height: usize, size: usize) -> Vec<u8> {
        let half = (size / 2) as isize;
        let mut out = data.to_vec();
        for y in 0..height as isize {
            for x in 0..width as isize {
                for c in 0..4 {
                    let mut histogram = [0usize; 256];
                    for yy in (y - half)..=(y + half) {
                        for xx in (x - half)..=(x + half) {
                            if (0..height as isize).contains(&yy) && (0..width as isize).contains(&xx) {
                                histogram[usize::from(data[(yy as usize * width + xx as usize) * 4 + c])] += 1;
                            }
                        }
                    }
                    let mut best = 0;
                    for value in 1..256 {
                        if histogram[value] > histogram[best] {
                            best = value;
                        }
                    }
                    if histogram[best] > 2 {
                        out[(y as usize * width + x as usize) * 4 + c] = best as u8;
                    }
                }
            }
        }
        out
    }

    #[test]
    fn wide_rank_filters_order_by_value() {
        let as_bytes = |values: &[u32]| values.iter().flat_map(|v| v.to_le_bytes()).collect::<Vec<u8>>();
        let read = |data: &[u8]| {
            data.chunks_exact(4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect::<Vec<u32>>()
        };
        // "I" 4x3 with negatives: Pillow's MedianFilter(3) and RankFilter(5, 3).
        let grid: Vec<u32> = [5, -3, 7, 9, 2, 8, 0, 4, 6, 1, 3, 10].iter().map(|&v: &i32| v as u32).collect();
        let mut data = as_bytes(&grid);
        rank_filter_wide(&mut data, 4, 3, (3, 4), false).unwrap();
        assert_eq!(read(&data), [5, 5, 7, 7, 5, 3, 4, 7, 6, 3, 3, 4]);
        let mut data = as_bytes(&grid);
        rank_filter_wide(&mut data, 4, 3, (5, 3), false).unwrap();
        assert_eq!(read(&data), [0, 0, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1]);
        // "F": -3.0 is the minimum, 1e9 the maximum (not their bit patterns').
        let floats: Vec<u32> = [5.0f32, -3.0, 1e9].iter().map(|v| v.to_bits()).collect();
        let mut data = as_bytes(&floats);
        rank_filter_wide(&mut data, 3, 1, (3, 0), true).unwrap();
        assert_eq!(read(&data), [(-3.0f32).to_bits(); 3]);
        let mut data = as_bytes(&floats);
        rank_filter_wide(&mut data, 3, 1, (3, 8), true).unwrap();
        assert_eq!(read(&data), [5.0f32.to_bits(), 1e9f32.to_bits(), 1e9f32.to_bits()]);
    }
    #[test]
    fn mode_filter_keeps_what_occurs_at_most_twice() {
        // A 3x1 image: no value occurs three times, so nothing changes.
        let mut data = vec![1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4];
        mode_filter(&mut data, 3, 1, 3).unwrap();
        assert_eq!(data, vec![1, 2, 3, 4, 5, 6, 7, 8, 1, 2, 3, 4]);
        // The 0 among 9s becomes 9; a tie of three goes to the smaller value
        // (5 at the bottom middle); two of each (bottom right) keeps the byte.
        let mut grey: Vec<u8> = [9, 0, 9, 9, 5, 5, 5, 9, 9].iter().flat_map(|&v| [v, v, v, 255]).collect();
        mode_filter(&mut grey, 3, 3, 3).unwrap();
        let reds: Vec<u8> = grey.chunks_exact(4).map(|pixel| pixel[0]).collect();
        assert_eq!(reds, vec![9, 9, 9, 9, 9, 9, 5, 5, 9]);
    }

    proptest! {
        #[test]
        fn filtered_copies_equal_the_in_place_filters(
            width in 1usize..12, height in 1usize..12, size_index in 0usize..3, rank_seed in any::<usize>(),
            data in prop::collection::vec(any::<u8>(), 4 * 11 * 11),
        ) {
            let data = &data[..width * height * 4];
            let size = [1, 3, 5][size_index];
            // Every path: the minimum, the maximum, the 3x3 median and any other rank.
            for rank in [0, size * size - 1, size * size / 2, rank_seed % (size * size)] {
                let mut in_place = data.to_vec();
                rank_filter(&mut in_place, width, height, size, rank).unwrap();
                prop_assert_eq!(rank_filtered(data, width, height, size, rank).unwrap(), in_place);
            }
        }

        #[test]
        fn mode_filter_agrees_with_pillows_brute_force(
            width in 1usize..9, height in 1usize..9, size in 0usize..8, seed in any::<u64>(),
        ) {
            let mut state = seed | 1;
            // Few values, so that modes exist.
            let data: Vec<u8> = (0..width * height * 4)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state % 4) as u8 * 60
                })
                .collect();
            let mut filtered = data.clone();
            mode_filter(&mut filtered, width, height, size).unwrap();
            prop_assert_eq!(filtered, brute_mode(&data, width, height, size));
        }
    }

    #[test]
    fn median9_network_agrees_with_sorting() {
        let mut random = crate::simulation::Random::new(3);
        for _ in 0..10_000 {
            let values: [u8; 9] = std::array::from_fn(|i| {
                if i % 2 == 0 { (random.next_u64() % 7) as u8 * 40 } else { random.next_u64() as u8 }
            });
            let mut sorted = values;
            sorted.sort_unstable();
            assert_eq!(median9(values), sorted[4], "{values:?}");
        }
    }

    #[test]
    fn median_removes_salt() {
        let mut data = grey_row(&[10; 9]);
        data[4 * 4] = 255;
        rank_filter(&mut data, 3, 3, 3, 4).unwrap();
        assert!(reds(&data).iter().all(|&v| v == 10));
    }

    #[test]
    fn size_one_changes_nothing() {
        let mut data = grey_row(&[1, 200, 3]);
        rank_filter(&mut data, 3, 1, 1, 0).unwrap();
        assert_eq!(data, grey_row(&[1, 200, 3]));
    }

    #[test]
    fn min_and_max_of_a_line_reach_size_over_two_each_way() {
        let values = [50, 50, 0, 50, 50, 50, 50, 255, 50];
        let mut low = grey_row(&values);
        rank_filter(&mut low, 9, 1, 5, 0).unwrap();
        assert_eq!(reds(&low), [0, 0, 0, 0, 0, 50, 50, 50, 50]);
        let mut high = grey_row(&values);
        rank_filter(&mut high, 9, 1, 5, 24).unwrap();
        assert_eq!(reds(&high), [50, 50, 50, 50, 50, 255, 255, 255, 255]);
    }

    #[test]
    fn windows_wider_than_the_image_see_its_edges_repeated() {
        // 9x9 windows on a 2x2 image: each window holds 25 copies of the
        // nearest pixel, 20 of each neighbour along an edge, 16 of the far one.
        let data = [10, 20, 30, 40].iter().flat_map(|&v| [v, v, v, v]).collect::<Vec<u8>>();
        for rank in [0, 24, 25, 40, 45, 60, 61, 80] {
            let mut filtered = data.clone();
            rank_filter(&mut filtered, 2, 2, 9, rank).unwrap();
            assert_eq!(filtered, sorted_windows(&data, 2, 2, 9, rank), "rank {rank}");
        }
    }

    proptest! {
        #[test]
        fn every_rank_matches_sorting_the_window(
            width in 1usize..9,
            height in 1usize..7,
            seed in any::<u64>(),
            size in prop::sample::select(vec![3usize, 5, 7, 9]),
            rank_fraction in 0.0f64..1.0,
        ) {
            let mut random = crate::simulation::Random::new(seed);
            // Few distinct levels make ties, where rank errors would show.
            let data: Vec<u8> = (0..width * height * 4).map(|_| (random.next_u64() % 6) as u8 * 50).collect();
            let rank = ((size * size) as f64 * rank_fraction) as usize;
            for rank in [rank, 0, size * size - 1, size * size / 2] {
                let mut filtered = data.clone();
                rank_filter(&mut filtered, width, height, size, rank).unwrap();
                prop_assert_eq!(&filtered, &sorted_windows(&data, width, height, size, rank), "size {} rank {}", size, rank);
            }
        }
    }
}
