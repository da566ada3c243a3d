//! ICO (Windows icons), read as Pillow 13's IcoImagePlugin reads them: the
//! entry Pillow opens (the largest, of the lowest colour depth among those
//! as large), a PNG or a headerless BMP (DIB) whose height counts its AND
//! mask too. A DIB's transparency is its 32-bit alpha bytes, or else its
//! AND mask (a set bit is transparent).

use crate::error::{CodecError, Limits, Result};
use crate::rgba::Decoded;
use crate::{bmp, png};

fn damaged(reason: impl Into<String>) -> CodecError {
    CodecError::damaged("ICO", reason)
}

fn u16_at(file: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([file[at], file[at + 1]]))
}

fn u32_at(file: &[u8], at: usize) -> Option<usize> {
    Some(u32::from_le_bytes(file.get(at..at + 4)?.try_into().ok()?) as usize)
}

/// True when `file` starts like an ICO file (as Pillow's `_accept`).
pub fn is_ico(file: &[u8]) -> bool {
    file.starts_with(&[0, 0, 1, 0])
}

/// The entry Pillow opens: its offset and size in the file.
pub fn chosen_entry(file: &[u8]) -> Result<(usize, usize)> {
    let count = if file.len() >= 6 { u16_at(file, 4) } else { 0 };
    let mut best: Option<(usize, usize, usize, usize)> = None;
    for index in 0..count {
        let at = 6 + index * 16;
        let entry = file.get(at..at + 16).ok_or_else(|| damaged("image file is truncated"))?;
        let width = if entry[0] == 0 { 256 } else { usize::from(entry[0]) };
        let height = if entry[1] == 0 { 256 } else { usize::from(entry[1]) };
        let (colours, bpp) = (usize::from(entry[2]), u16_at(entry, 6));
        // Pillow's colour depth: bpp, else the bits the colour count needs, else 256.
        let depth = match (bpp, colours.next_power_of_two().trailing_zeros()) {
            (0, 0) => 256,
            (0, bits) => bits as usize,
            (bpp, _) => bpp,
        };
        let (size, offset) = (u32_at(entry, 8).unwrap_or(0), u32_at(entry, 12).unwrap_or(0));
        let square = width * height;
        if best.is_none_or(|(best_square, best_depth, _, _)| {
            square > best_square || (square == best_square && depth < best_depth)
        }) {
            best = Some((square, depth, offset, size));
        }
    }
    let (_, _, offset, size) = best.ok_or_else(|| damaged("it holds no image"))?;
    Ok((offset, size))
}

pub fn decode_ico(file: &[u8], limits: Limits) -> Result<Decoded> {
    if !is_ico(file) {
        return Err(damaged("it does not start as an ICO file"));
    }
    let (offset, size) = chosen_entry(file)?;
    let entry = file.get(offset..).ok_or_else(|| damaged("image file is truncated"))?;
    if png::is_png(entry) {
        return png::decode_png(entry, limits);
    }
    // A DIB: its header, palette and rows, then the AND mask.
    let header_size = u32_at(entry, 0).ok_or_else(|| damaged("image file is truncated"))?;
    if header_size < 40 || entry.len() < header_size {
        return Err(damaged("its image is not a PNG or a BMP"));
    }
    let width = u32_at(entry, 4).unwrap_or(0);
    let height = (u32_at(entry, 8).unwrap_or(0) as u32 as i32).unsigned_abs() as usize / 2;
    let bits = u16_at(entry, 14);
    let colours = u32_at(entry, 32).unwrap_or(0);
    let palette = if bits <= 8 { 4 * if colours == 0 { 1 << bits } else { colours } } else { 0 };
    let pixels_at = header_size.saturating_add(palette);
    // The same bitmap with a BMP file header and its own height.
    let mut bitmap = b"BM".to_vec();
    bitmap.extend(0u32.to_le_bytes());
    bitmap.extend(0u32.to_le_bytes());
    bitmap.extend(((14 + pixels_at) as u32).to_le_bytes());
    bitmap.extend_from_slice(entry);
    bitmap[22..26].copy_from_slice(&(height as u32).to_le_bytes());
    let mut decoded = bmp::decode_bmp(&bitmap, limits)?;
    let (width, height) = (width, height);
    let row = |y: usize| height - 1 - y;
    if bits == 32 {
        for (index, pixel) in decoded.pixels.chunks_exact_mut(4).enumerate() {
            let (y, x) = (index / width, index % width);
            pixel[3] = entry.get(pixels_at + (row(y) * width + x) * 4 + 3).copied().unwrap_or(0);
        }
    } else {
        let stride = width.div_ceil(32) * 4;
        // Checked: an entry's size near 4 GiB wraps a 32-bit usize (wasm's),
        // and the mask would be read from the wrong place.
        let end = offset.checked_add(size).ok_or_else(|| damaged("image file is truncated"))?;
        let mask_at = end.checked_sub(stride * height).ok_or_else(|| damaged("its mask is missing"))?;
        let mask = file.get(mask_at..mask_at + stride * height).ok_or_else(|| damaged("image file is truncated"))?;
        for (index, pixel) in decoded.pixels.chunks_exact_mut(4).enumerate() {
            let (y, x) = (index / width, index % width);
            if mask[row(y) * stride + x / 8] >> (7 - x % 8) & 1 == 1 {
                pixel[3] = 0;
            }
        }
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    /// An ICO of one 24-bit 2x2 DIB entry with `mask` (two rows, bottom first).
    fn ico_24(mask: [u8; 2]) -> Vec<u8> {
        let mut dib = Vec::new();
        for value in [40u32, 2, 4] {
            dib.extend(value.to_le_bytes());
        }
        dib.extend(1u16.to_le_bytes());
        dib.extend(24u16.to_le_bytes());
        dib.extend([0; 24]);
        dib.extend([1, 2, 3, 4, 5, 6, 0, 0, 7, 8, 9, 10, 11, 12, 0, 0]);
        for bits in mask {
            dib.extend([bits, 0, 0, 0]);
        }
        let mut file = vec![0, 0, 1, 0, 1, 0, 2, 2, 0, 0, 1, 0, 24, 0];
        file.extend((dib.len() as u32).to_le_bytes());
        file.extend(22u32.to_le_bytes());
        file.extend(dib);
        file
    }

    #[test]
    fn a_dib_entry_with_its_mask() {
        let file = ico_24([0b0100_0000, 0]);
        assert!(is_ico(&file));
        let pixels = decode_ico(&file, LIMITS).unwrap().pixels;
        // Top row from the second stored row; the bottom row's second pixel masked.
        assert_eq!(pixels, [9, 8, 7, 255, 12, 11, 10, 255, 3, 2, 1, 255, 6, 5, 4, 0]);
        for cut in [4, 10, 30, file.len() - 1] {
            assert!(decode_ico(&file[..cut], LIMITS).is_err(), "cut {cut}");
        }
        decode_with_each_byte_flipped(&file, 0, &[0x01, 0x80, 0xFF], |flipped| drop(decode_ico(flipped, LIMITS)));
    }
}
