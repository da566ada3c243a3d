//! Pillow's resampling of the 32-bit modes, "I" (an `i32` a pixel) and "F"
//! (an `f32`), each stored little-endian in a pixel's 4 bytes: the same
//! filters and passes as `resample`, with Pillow's `_32bpc` arithmetic
//! (double-precision weights and sums; "I" rounded half away from zero,
//! "F" rounded to single precision).

use crate::buffer::{BYTES_PER_PIXEL, ImageError, checked_len, try_alloc};
use crate::resample::{Resample, SourceBox, Taps};

type Result<T> = std::result::Result<T, ImageError>;

/// How the 4 bytes of a pixel hold its value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wide {
    Int,
    Float,
}

impl Wide {
    pub(crate) fn read(self, bytes: &[u8]) -> f64 {
        let word = [bytes[0], bytes[1], bytes[2], bytes[3]];
        match self {
            Self::Int => f64::from(i32::from_le_bytes(word)),
            Self::Float => f64::from(f32::from_le_bytes(word)),
        }
    }

    pub(crate) fn write(self, sum: f64, out: &mut [u8]) {
        let word = match self {
            // Pillow's ROUND_UP; the cast saturates where C's is undefined.
            Self::Int => (if sum >= 0.0 { sum + 0.5 } else { sum - 0.5 } as i32).to_le_bytes(),
            Self::Float => (sum as f32).to_le_bytes(),
        };
        out.copy_from_slice(&word);
    }
}

/// How `resize` reads and writes a pixel's value: a 32-bit mode's, or a
/// 16-bit mode's (Pillow's `_16bpc` passes: the value's two bytes, summed
/// in double, rounded half away from zero and clipped to 0..65535).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Values {
    Wide(Wide),
    /// `swapped`: Pillow's passes read and write the two bytes the other
    /// way round ("I;16B" and "I;16N" on a little-endian machine, whose
    /// kernels take "I;16B" as little-endian and "I;16N" as big-endian,
    /// against their memory), so the value resampled is byte-swapped.
    Sixteen {
        swapped: bool,
    },
}

impl Values {
    fn read(self, bytes: &[u8]) -> f64 {
        match self {
            Self::Wide(kind) => kind.read(bytes),
            Self::Sixteen { swapped: false } => f64::from(u16::from_le_bytes([bytes[0], bytes[1]])),
            Self::Sixteen { swapped: true } => f64::from(u16::from_be_bytes([bytes[0], bytes[1]])),
        }
    }

    fn write(self, sum: f64, out: &mut [u8]) {
        match self {
            Self::Wide(kind) => kind.write(sum, out),
            Self::Sixteen { swapped } => {
                // Pillow's ROUND_UP then CLIP16 (an overshooting filter
                // passes 0..65535).
                let rounded = if sum >= 0.0 { sum + 0.5 } else { sum - 0.5 } as i32;
                let value = rounded.clamp(0, 65535) as u16;
                let [first, second] = if swapped { value.to_be_bytes() } else { value.to_le_bytes() };
                out.copy_from_slice(&[first, second, 0, 0]);
            }
        }
    }
}

/// Rows `first_row..first_row + rows` of a `width`-wide image, each
/// resampled to `taps.len()` pixels.
fn horizontal(data: &[u8], width: usize, first_row: usize, rows: usize, taps: &Taps, kind: Values) -> Result<Vec<u8>> {
    let out_width = taps.len();
    let mut out = try_alloc(out_width * rows * BYTES_PER_PIXEL, 0)?;
    let stride = width * BYTES_PER_PIXEL;
    for (row, out_row) in
        data[first_row * stride..].chunks_exact(stride).zip(out.chunks_exact_mut(out_width * BYTES_PER_PIXEL))
    {
        for (index, out_pixel) in out_row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
            let (first, weights) = taps.of(index);
            let mut sum = 0.0;
            for (tap, &weight) in weights.iter().enumerate() {
                sum += kind.read(&row[(first + tap) * BYTES_PER_PIXEL..]) * weight;
            }
            kind.write(sum, out_pixel);
        }
    }
    Ok(out)
}

/// Columns `first_column..first_column + columns` resampled to `taps.len()`
/// rows (source row `r` is at row `r - row_offset` of `data`).
fn vertical(
    data: &[u8],
    width: usize,
    (first_column, columns): (usize, usize),
    row_offset: usize,
    taps: &Taps,
    kind: Values,
) -> Result<Vec<u8>> {
    let stride = width * BYTES_PER_PIXEL;
    let mut out = try_alloc(columns * BYTES_PER_PIXEL * taps.len(), 0)?;
    for (index, out_row) in out.chunks_exact_mut(columns * BYTES_PER_PIXEL).enumerate() {
        let (first, weights) = taps.of(index);
        for (column, out_pixel) in out_row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
            let offset = (first_column + column) * BYTES_PER_PIXEL;
            let mut sum = 0.0;
            for (tap, &weight) in weights.iter().enumerate() {
                sum += kind.read(&data[(first - row_offset + tap) * stride + offset..]) * weight;
            }
            kind.write(sum, out_pixel);
        }
    }
    Ok(out)
}

/// `data` (`width` x `height`, 32-bit or 16-bit values) resized to `size`
/// from the source box `area` with `filter` (not NEAREST), as Pillow's
/// `ImagingResample` resizes "I", "F" and the 16-bit modes: the passes it
/// needs, in its order.
pub fn resize(
    data: &[u8],
    width: usize,
    height: usize,
    size: (u32, u32),
    filter: Resample,
    area: SourceBox,
    kind: Values,
) -> Result<Vec<u8>> {
    checked_len(size.0, size.1)?;
    let (out_width, out_height) = (size.0 as usize, size.1 as usize);
    let [x0, y0, x1, y1] = area;
    let need_horizontal = out_width != width || x0 != 0.0 || x1 != out_width as f32;
    let need_vertical = out_height != height || y0 != 0.0 || y1 != out_height as f32;
    let rows = Taps::new(height, y0, y1, out_height, filter)?;
    let columns = Taps::new(width, x0, x1, out_width, filter)?;
    let vertical_first = need_horizontal
        && need_vertical
        && out_height < height
        && height - out_height > 2 * width.saturating_sub(out_width);
    match (need_horizontal, need_vertical) {
        (false, false) => {
            let mut copy = try_alloc(data.len(), 0)?;
            copy.copy_from_slice(data);
            Ok(copy)
        }
        (true, false) => horizontal(data, width, 0, height, &columns, kind),
        (false, true) => vertical(data, width, (0, width), 0, &rows, kind),
        (true, true) if vertical_first => {
            let (first_column, end_column) = columns.span();
            let middle = vertical(data, width, (first_column, end_column - first_column), 0, &rows, kind)?;
            horizontal(&middle, end_column - first_column, 0, out_height, &columns.shifted(first_column), kind)
        }
        (true, true) => {
            let (first_row, end_row) = rows.span();
            let middle = horizontal(data, width, first_row, end_row - first_row, &columns, kind)?;
            vertical(&middle, out_width, (0, out_width), first_row, &rows, kind)
        }
    }
}

/// The sum of a pair of 32-bit values in their own type, as C adds two
/// `INT32`s (wrapping, in practice) or two `FLOAT32`s before the double
/// sum takes them.
fn pair_sum(kind: Wide, a: &[u8], b: &[u8]) -> f64 {
    match kind {
        Wide::Int => {
            let read = |bytes: &[u8]| i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            f64::from(read(a).wrapping_add(read(b)))
        }
        Wide::Float => {
            let read = |bytes: &[u8]| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]);
            f64::from(read(a) + read(b))
        }
    }
}

/// Pillow's `reduce` of an "I" or "F" image (`ImagingReduceNxN_32bpc` and
/// `ImagingReduceCorners_32bpc`): the mean of each `factors` block of the
/// box `[x0, y0, x1, y1]`, summed in Pillow's order (pairs of pixels in
/// their own type, then double), the blocks at the right and bottom edges
/// smaller. Returns the pixels and their width and height.
pub fn reduce(
    data: &[u8],
    width: usize,
    (xscale, yscale): (usize, usize),
    [x0, y0, x1, y1]: [usize; 4],
    kind: Wide,
) -> Result<(Vec<u8>, usize, usize)> {
    let (box_width, box_height) = (x1 - x0, y1 - y0);
    let (out_width, out_height) = (box_width.div_ceil(xscale), box_height.div_ceil(yscale));
    checked_len(out_width as u32, out_height as u32)?;
    let mut out = try_alloc(out_width * out_height * BYTES_PER_PIXEL, 0)?;
    let at = |x: usize, y: usize| &data[(y * width + x) * BYTES_PER_PIXEL..];
    let (full_columns, full_rows) = (box_width / xscale, box_height / yscale);
    let mut put = |x: usize, y: usize, sum: f64, count: usize| {
        let index = (y * out_width + x) * BYTES_PER_PIXEL;
        kind.write(sum * (1.0 / count as f64), &mut out[index..index + BYTES_PER_PIXEL]);
    };
    for y in 0..full_rows {
        let top = y0 + y * yscale;
        for x in 0..full_columns {
            let left = x0 + x * xscale;
            let mut sum = 0.0;
            let mut row = top;
            while row + 1 < top + yscale {
                let mut column = left;
                while column + 1 < left + xscale {
                    sum += quad_sum(
                        kind,
                        [at(column, row), at(column + 1, row), at(column, row + 1), at(column + 1, row + 1)],
                    );
                    column += 2;
                }
                if xscale % 2 == 1 {
                    sum += pair_sum(kind, at(column, row), at(column, row + 1));
                }
                row += 2;
            }
            if yscale % 2 == 1 {
                let mut column = left;
                while column + 1 < left + xscale {
                    sum += pair_sum(kind, at(column, row), at(column + 1, row));
                    column += 2;
                }
                if xscale % 2 == 1 {
                    sum += kind.read(at(column, row));
                }
            }
            put(x, y, sum, xscale * yscale);
        }
    }
    // The smaller blocks: the last column, the last row, their corner.
    let block = |columns: std::ops::Range<usize>, rows: std::ops::Range<usize>| {
        let mut sum = 0.0;
        for row in rows {
            for column in columns.clone() {
                sum += kind.read(at(column, row));
            }
        }
        sum
    };
    let (rest_x, rest_y) = (box_width % xscale, box_height % yscale);
    if rest_x > 0 {
        let left = x0 + full_columns * xscale;
        for y in 0..full_rows {
            let top = y0 + y * yscale;
            put(full_columns, y, block(left..x1, top..top + yscale), rest_x * yscale);
        }
    }
    if rest_y > 0 {
        let top = y0 + full_rows * yscale;
        for x in 0..full_columns {
            let left = x0 + x * xscale;
            put(x, full_rows, block(left..left + xscale, top..y1), xscale * rest_y);
        }
    }
    if rest_x > 0 && rest_y > 0 {
        let (left, top) = (x0 + full_columns * xscale, y0 + full_rows * yscale);
        put(full_columns, full_rows, block(left..x1, top..y1), rest_x * rest_y);
    }
    Ok((out, out_width, out_height))
}

/// Four values added in their own type, left to right, as Pillow's
/// `line0[xx] + line0[xx + 1] + line1[xx] + line1[xx + 1]`.
fn quad_sum(kind: Wide, values: [&[u8]; 4]) -> f64 {
    match kind {
        Wide::Int => {
            let [a, b, c, d] = values.map(|bytes| i32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
            f64::from(a.wrapping_add(b).wrapping_add(c).wrapping_add(d))
        }
        Wide::Float => {
            let [a, b, c, d] = values.map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]));
            f64::from(a + b + c + d)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ints(values: &[i32]) -> Vec<u8> {
        values.iter().flat_map(|value| value.to_le_bytes()).collect()
    }

    // Expected values from Pillow 13: Image.frombytes(mode, size, ...).resize(...)
    #[test]
    fn int_resize_matches_pillow() {
        let data = ints(&[0, 1000, -3000, 70000]);
        let out =
            resize(&data, 4, 1, (2, 1), Resample::Bilinear, [0.0, 0.0, 4.0, 1.0], Values::Wide(Wide::Int)).unwrap();
        assert_eq!(out, ints(&[0, 28857]));
    }

    #[test]
    fn float_resize_matches_pillow() {
        let data: Vec<u8> = [0.5f32, 1000.25, -3000.0, 7e6, 1.1].iter().flat_map(|value| value.to_le_bytes()).collect();
        let area = [0.0, 0.0, 5.0, 1.0];
        let out = resize(&data, 5, 1, (3, 1), Resample::Bicubic, area, Values::Wide(Wide::Float)).unwrap();
        assert_eq!(out, [132, 230, 81, 200, 158, 117, 210, 73, 155, 157, 62, 74]);
    }

    #[test]
    fn sixteen_bit_resize_matches_pillow() {
        // Pillow 13: Image.frombytes("I;16" | "I;16B", (8, 1), ...).resize((3, 1), LANCZOS);
        // "I;16B" (and "I;16N") resample their values byte-swapped.
        let values = [0u16, 1000, 65535, 300, 65535, 0, 7, 40000];
        let stored: Vec<u8> = values.iter().flat_map(|value| u32::from(*value).to_le_bytes()).collect();
        let resized = |swapped| {
            let kind = Values::Sixteen { swapped };
            let out = resize(&stored, 8, 1, (3, 1), Resample::Lanczos, [0.0, 0.0, 8.0, 1.0], kind).unwrap();
            out.chunks_exact(4).map(|pixel| u32::from_le_bytes(pixel.try_into().unwrap())).collect::<Vec<_>>()
        };
        assert_eq!(resized(false), [16083, 32890, 15216]);
        assert_eq!(resized(true), [64923, 45976, 21276]);
    }

    #[test]
    fn reduce_matches_pillow() {
        let values = [0.5f32, 1000.25, -3000.0, 7e6, 1.1, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0, 10.5, 11.0, -12.0];
        let floats: Vec<u8> = values.iter().flat_map(|value| value.to_le_bytes()).collect();
        let (out, width, height) = reduce(&floats, 5, (2, 2), [0, 0, 5, 3], Wide::Float).unwrap();
        assert_eq!((width, height), (3, 2));
        assert_eq!(
            out,
            [0, 240, 123, 67, 38, 136, 213, 73, 154, 153, 129, 64, 0, 0, 8, 65, 0, 0, 44, 65, 0, 0, 64, 193]
        );
        let data = ints(&values.map(|value| value as i32));
        let reduced = |factors, area| reduce(&data, 5, factors, area, Wide::Int).unwrap().0;
        assert_eq!(reduced((2, 2), [0, 0, 5, 3]), ints(&[252, 1749253, 4, 9, 11, -12]));
        assert_eq!(reduced((3, 3), [0, 0, 5, 3]), ints(&[-218, 1166669]));
        assert_eq!(reduced((2, 1), [1, 0, 5, 3]), ints(&[-1000, 3500001, 5, 7, 10, -1]));
    }
}
