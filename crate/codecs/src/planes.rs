//! Pictures stored as separate planes, one band at a time, each a tile of
//! rows raw or PackBits-compressed: what Pillow's `raw` and `packbits`
//! decoders read for PSD files (the composite image and each layer). The
//! host reads the file's structure and hands over the tiles; this module
//! decodes them into rust_image's stored layout of the mode, with Pillow's
//! checks: a tile outside the picture is its `ValueError`, data that ends
//! before the tile's last row is "image file is truncated".

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::Decoded;

/// One band of a region: its codec, box, where its data starts and the
/// band of the pixel it fills (inverted for PSD's CMYK).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tile {
    pub packbits: bool,
    pub bbox: (i64, i64, i64, i64),
    pub offset: u64,
    pub band: usize,
    pub invert: bool,
}

impl Tile {
    /// A tile from the host's 8 numbers: codec (0 raw, 1 PackBits), x0,
    /// y0, x1, y1, offset, band, inverted (0 or 1).
    pub fn from_numbers(numbers: &[f64]) -> Result<Self> {
        let whole = |index: usize| -> Result<i64> {
            let value = numbers[index];
            if value.fract() == 0.0 && value.abs() < 9.0e15 {
                Ok(value as i64)
            } else {
                Err(CodecError::BadNumber { name: "tiles", value, expected: "whole numbers" })
            }
        };
        let band = whole(6)?;
        if !(0..4).contains(&band) || whole(5)? < 0 {
            return Err(CodecError::BadNumber { name: "tiles", value: numbers[6], expected: "a band from 0 to 3" });
        }
        Ok(Self {
            packbits: whole(0)? == 1,
            bbox: (whole(1)?, whole(2)?, whole(3)?, whole(4)?),
            offset: whole(5)? as u64,
            band: band as usize,
            invert: whole(7)? == 1,
        })
    }
}

fn truncated() -> CodecError {
    CodecError::damaged("PSD", "image file is truncated")
}

/// The picture of `mode` ("1", "L", "P", "RGB", "RGBA", "CMYK" or "LAB")
/// and `width` x `height` drawn from `tiles` of `file`; the pixels no tile
/// covers are zero. With `load_truncated` a tile whose data ends early
/// keeps the rows it has.
pub fn decode_tiles(
    file: &[u8],
    mode: &str,
    width: u32,
    height: u32,
    tiles: &[Tile],
    limits: Limits,
    load_truncated: bool,
) -> Result<Decoded> {
    let len = limits.rgba_len("PSD", width, height)?;
    let mut pixels = try_alloc(len)?;
    let bilevel = mode == "1";
    for tile in tiles {
        let (x0, y0, x1, y1) = tile.bbox;
        if x0 < 0 || y0 < 0 || x1 <= x0 || y1 <= y0 || x1 > i64::from(width) || y1 > i64::from(height) {
            return Err(CodecError::Invalid { format: "PSD", reason: "tile cannot extend outside image".into() });
        }
        let (x0, y0, columns, rows) = (x0 as usize, y0 as usize, (x1 - x0) as usize, (y1 - y0) as usize);
        let stride = if bilevel { columns.div_ceil(8) } else { columns };
        let data = usize::try_from(tile.offset).ok().and_then(|offset| file.get(offset..)).unwrap_or(&[]);
        let mut put_row = |row: usize, line: &[u8]| {
            let start = ((y0 + row) * width as usize + x0) * 4 + tile.band;
            for x in 0..columns {
                let mut value = if bilevel { 255 * ((line[x / 8] >> (7 - x % 8)) & 1) } else { line[x] };
                if tile.invert {
                    value = 255 - value;
                }
                pixels[start + 4 * x] = value;
            }
        };
        let complete = if tile.packbits {
            unpack_bits(data, stride, rows, &mut put_row)
        } else {
            let whole_rows = (data.len() / stride).min(rows);
            for (row, line) in data.chunks_exact(stride).take(whole_rows).enumerate() {
                put_row(row, line);
            }
            whole_rows == rows
        };
        if !complete && !load_truncated {
            return Err(truncated());
        }
    }
    if matches!(mode, "1" | "L" | "P") {
        for pixel in pixels.chunks_exact_mut(4) {
            pixel[1] = pixel[0];
            pixel[2] = pixel[0];
        }
    }
    Ok(Decoded::rgba(width, height, pixels))
}

/// Pillow's `ImagingPackbitsDecode`: runs and literals into rows of
/// `stride` bytes (what overflows a row is dropped; 0x80 is a no-op), each
/// full row handed to `put_row`; whether all `rows` were filled.
fn unpack_bits(data: &[u8], stride: usize, rows: usize, put_row: &mut impl FnMut(usize, &[u8])) -> bool {
    let mut line = vec![0u8; stride];
    let (mut at, mut x, mut row) = (0, 0, 0);
    while at < data.len() {
        let head = data[at];
        if head == 0x80 {
            at += 1;
            continue;
        }
        if head & 0x80 != 0 {
            let Some(&value) = data.get(at + 1) else { return false };
            let count = (257 - usize::from(head)).min(stride - x);
            line[x..x + count].fill(value);
            x += count;
            at += 2;
        } else {
            let count = usize::from(head) + 1;
            let Some(literal) = data.get(at + 1..at + 1 + count) else { return false };
            let kept = count.min(stride - x);
            line[x..x + kept].copy_from_slice(&literal[..kept]);
            x += kept;
            at += 1 + count;
        }
        if x >= stride {
            put_row(row, &line);
            x = 0;
            row += 1;
            if row >= rows {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 1 << 24 };

    fn tile(packbits: bool, bbox: (i64, i64, i64, i64), offset: u64, band: usize) -> Tile {
        Tile { packbits, bbox, offset, band, invert: false }
    }

    #[test]
    fn raw_and_packbits_planes_fill_their_bands() {
        // Red raw, green as PackBits (a run of 2, a literal of 2), over a 2 x 2 picture.
        let file = [1, 2, 3, 4, 0xFF, 9, 1, 9, 7];
        let tiles = [tile(false, (0, 0, 2, 2), 0, 0), tile(true, (0, 0, 2, 2), 4, 1)];
        let decoded = decode_tiles(&file, "RGB", 2, 2, &tiles, LIMITS, false).unwrap();
        assert_eq!(decoded.pixels, [1, 9, 0, 0, 2, 9, 0, 0, 3, 9, 0, 0, 4, 7, 0, 0]);
    }

    #[test]
    fn pillows_refusals() {
        let outside = decode_tiles(&[0; 8], "L", 2, 2, &[tile(false, (1, 0, 3, 1), 0, 0)], LIMITS, false);
        assert_eq!(outside.unwrap_err().to_string(), "cannot read the PSD file: tile cannot extend outside image");
        let short = decode_tiles(&[0; 3], "L", 2, 2, &[tile(false, (0, 0, 2, 2), 0, 0)], LIMITS, false);
        assert_eq!(short.unwrap_err(), truncated());
        assert!(decode_tiles(&[0; 3], "L", 2, 2, &[tile(true, (0, 0, 2, 2), 0, 0)], LIMITS, true).is_ok());
    }

    #[test]
    fn random_tiles_over_random_data_never_panic() {
        let mut state = 0x2545_F491_u64;
        let mut next = |below: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state % below
        };
        let file: Vec<u8> = (0..300).map(|_| next(256) as u8).collect();
        for mode in ["1", "L", "RGBA", "CMYK"] {
            for _ in 0..400 {
                let bbox = (next(10) as i64 - 2, next(10) as i64 - 2, next(14) as i64 - 2, next(14) as i64 - 2);
                let tile = Tile {
                    packbits: next(2) == 1,
                    bbox,
                    offset: next(320),
                    band: next(4) as usize,
                    invert: next(2) == 1,
                };
                drop(decode_tiles(&file, mode, 9, 11, &[tile], LIMITS, next(2) == 1));
            }
        }
    }

    #[test]
    fn bilevel_rows_are_packed_bits() {
        let decoded = decode_tiles(&[0b1010_0000], "1", 3, 1, &[tile(false, (0, 0, 3, 1), 0, 0)], LIMITS, false);
        let greys: Vec<u8> = decoded.unwrap().pixels.chunks(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [255, 0, 255]);
    }
}
