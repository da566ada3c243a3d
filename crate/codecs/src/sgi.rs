//! SGI (Silicon Graphics image), read as Pillow 13's SgiImagePlugin and its
//! `sgi_rle` decoder read it: 1 channel ("L"), 3 ("RGB") or 4 ("RGBA"), 8
//! or 16 bits a sample (16-bit samples keep their high byte, as Pillow's
//! 8-bit modes do), planes stored one after the other bottom row first,
//! raw or run-length encoded row by row through the file's tables of row
//! offsets and lengths. The RLE rows are expanded with the checks Pillow's
//! decoder makes, so that a file it refuses with "buffer overrun" is
//! refused here too, and one it stops reading early (a last run that is
//! not the end marker) gives the same partly black picture.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::Decoded;

const HEADER: usize = 512;

fn damaged(reason: impl Into<String>) -> CodecError {
    CodecError::damaged("SGI", reason)
}

/// True when `file` starts with SGI's magic number, 474 (as Pillow's `_accept`).
pub fn is_sgi(file: &[u8]) -> bool {
    file.len() >= 2 && file[..2] == [0x01, 0xDA]
}

fn u16_at(file: &[u8], at: usize) -> usize {
    usize::from(u16::from_be_bytes([file[at], file[at + 1]]))
}

/// The channels of an SGI file's mode, from its bytes a sample, dimension
/// and channel count, as Pillow's table of modes gives them (None for one
/// Pillow refuses as "Unsupported SGI image mode").
pub fn sgi_channels(bpc: u8, dimension: usize, zsize: usize) -> Option<usize> {
    match (bpc, dimension, zsize) {
        (1 | 2, 1 | 2, 1) => Some(1),
        (1 | 2, 3, 3) => Some(3),
        (1 | 2, 3, 4) => Some(4),
        _ => None,
    }
}

pub fn decode_sgi(file: &[u8], limits: Limits) -> Result<Decoded> {
    if !is_sgi(file) || file.len() < 12 {
        return Err(damaged("image file is truncated"));
    }
    let (compression, bpc) = (file[2], file[3]);
    let (width, height) = (u16_at(file, 6), u16_at(file, 8));
    let channels = sgi_channels(bpc, u16_at(file, 4), u16_at(file, 10))
        .ok_or_else(|| CodecError::Invalid { format: "SGI", reason: "Unsupported SGI image mode".into() })?;
    let len = limits.rgba_len("SGI", width as u32, height as u32)?;
    let mut pixels = try_alloc(len)?;
    if channels < 4 {
        // Pillow's "L" and "RGB" start black and opaque.
        pixels.iter_mut().skip(3).step_by(4).for_each(|alpha| *alpha = 255);
    }
    let bpc = usize::from(bpc);
    match compression {
        0 => read_raw(file, width, height, channels, bpc, &mut pixels)?,
        1 => read_rle(file, width, height, channels, bpc, &mut pixels)?,
        _ => return Err(damaged(format!("unknown compression {compression}"))),
    }
    if channels == 1 {
        for pixel in pixels.chunks_exact_mut(4) {
            pixel[1] = pixel[0];
            pixel[2] = pixel[0];
        }
    }
    Ok(Decoded::rgba(width as u32, height as u32, pixels))
}

/// Planes one after the other from the end of the header, bottom row first.
fn read_raw(file: &[u8], width: usize, height: usize, channels: usize, bpc: usize, pixels: &mut [u8]) -> Result<()> {
    let plane = width * height * bpc;
    for channel in 0..channels {
        let start = HEADER + channel * plane;
        let Some(samples) = file.get(start..start + plane) else {
            return Err(if bpc == 2 {
                // Pillow's 16-bit reader hands short planes to `frombytes`.
                CodecError::Invalid { format: "SGI", reason: "not enough image data".into() }
            } else {
                damaged("image file is truncated")
            });
        };
        for (row, line) in samples.chunks_exact(width * bpc).enumerate() {
            let y = height - 1 - row;
            let out = &mut pixels[y * width * 4..(y + 1) * width * 4];
            for (pixel, sample) in out.chunks_exact_mut(4).zip(line.chunks_exact(bpc)) {
                pixel[channel] = sample[0];
            }
        }
    }
    Ok(())
}

/// Pillow's `ImagingSgiRleDecode`: each row of each plane expanded into one
/// row buffer kept between rows (a row cut short keeps the rest of the row
/// before it), then stored bottom up.
fn read_rle(file: &[u8], width: usize, height: usize, channels: usize, bpc: usize, pixels: &mut [u8]) -> Result<()> {
    let data = file.get(HEADER..).unwrap_or(&[]);
    let rows = channels * height;
    if data.len() < 8 * rows {
        return Err(CodecError::overrun());
    }
    let table = |index: usize| u32::from_be_bytes([data[index], data[index + 1], data[index + 2], data[index + 3]]);
    let mut buffer = vec![0u8; width * channels * bpc];
    for row in 0..height {
        for channel in 0..channels {
            let offset = table(4 * (row + channel * height)) as usize;
            let length = table(4 * (rows + row + channel * height));
            let Some(offset) = offset.checked_sub(HEADER) else { return Err(CodecError::overrun()) };
            let start = channel * bpc;
            let status = expand_row(&mut buffer[start..], data, offset, length, channels * bpc, width, bpc)?;
            if status == Expanded::Stop {
                return Ok(());
            }
        }
        let y = height - 1 - row;
        let out = &mut pixels[y * width * 4..(y + 1) * width * 4];
        for (pixel, samples) in out.chunks_exact_mut(4).zip(buffer.chunks_exact(channels * bpc)) {
            for channel in 0..channels {
                pixel[channel] = samples[channel * bpc];
            }
        }
    }
    Ok(())
}

#[derive(PartialEq, Eq)]
enum Expanded {
    Row,
    /// Pillow's decoder ends the whole picture here without an error.
    Stop,
}

/// One row's runs, `bpc` bytes an atom, into `dest` every `step` bytes:
/// Pillow's `expandrow` and `expandrow2`, which count `length` as runs,
/// and take the file's last byte as out of reach.
fn expand_row(
    dest: &mut [u8],
    data: &[u8],
    offset: usize,
    length: u32,
    step: usize,
    width: usize,
    bpc: usize,
) -> Result<Expanded> {
    // Pillow's `end_of_buffer` is the address of the last byte.
    let end = data.len() as u64 - 1;
    let mut src = offset as u64;
    let (mut x, mut out) = (0usize, 0usize);
    for left in (1..=u64::from(length)).rev() {
        if src + bpc as u64 - 1 > end {
            return Err(CodecError::overrun());
        }
        let pixel = data[(src + bpc as u64 - 1) as usize];
        src += bpc as u64;
        if left == 1 && pixel != 0 {
            return Ok(Expanded::Stop);
        }
        let count = usize::from(pixel & 0x7F);
        if count == 0 {
            return Ok(Expanded::Row);
        }
        if x + count > width {
            return Err(CodecError::overrun());
        }
        x += count;
        if pixel & 0x80 != 0 {
            if src + (bpc * count) as u64 > end {
                return Err(CodecError::overrun());
            }
            let from = src as usize;
            for atom in data[from..from + bpc * count].chunks_exact(bpc) {
                dest[out..out + bpc].copy_from_slice(atom);
                out += step;
            }
            src += (bpc * count) as u64;
        } else {
            // The one-byte decoder takes the last byte as a run's value,
            // the two-byte one does not.
            if src + bpc as u64 - 1 + (bpc as u64 - 1) > end {
                return Err(CodecError::overrun());
            }
            let from = src as usize;
            let atom = [data[from], data.get(from + 1).copied().unwrap_or(0)];
            for _ in 0..count {
                dest[out..out + bpc].copy_from_slice(&atom[..bpc]);
                out += step;
            }
            src += bpc as u64;
        }
    }
    Ok(Expanded::Row)
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 1 << 24 };

    fn header(compression: u8, bpc: u8, dimension: u16, size: (u16, u16), zsize: u16) -> Vec<u8> {
        let mut file = vec![0u8; HEADER];
        file[..2].copy_from_slice(&[0x01, 0xDA]);
        file[2] = compression;
        file[3] = bpc;
        file[4..6].copy_from_slice(&dimension.to_be_bytes());
        file[6..8].copy_from_slice(&size.0.to_be_bytes());
        file[8..10].copy_from_slice(&size.1.to_be_bytes());
        file[10..12].copy_from_slice(&zsize.to_be_bytes());
        file
    }

    #[test]
    fn raw_planes_are_read_bottom_up() {
        let mut file = header(0, 1, 3, (2, 2), 3);
        // Red, green and blue planes; the bottom row first.
        file.extend([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        let decoded = decode_sgi(&file, LIMITS).unwrap();
        assert_eq!(decoded.pixels, [3, 7, 11, 255, 4, 8, 12, 255, 1, 5, 9, 255, 2, 6, 10, 255]);
    }

    #[test]
    fn rle_rows_expand_and_overruns_are_refused() {
        let mut file = header(1, 1, 2, (3, 1), 1);
        // One row: its offset and length, then a copy of 2 and a run of 1.
        file.extend(528u32.to_be_bytes());
        file.extend(6u32.to_be_bytes());
        file.extend([0, 0, 0, 0, 0, 0, 0, 0]);
        file.extend([0x82, 10, 20, 0x01, 30, 0x00, 0xFF]);
        let decoded = decode_sgi(&file, LIMITS).unwrap();
        assert_eq!(decoded.pixels, [10, 10, 10, 255, 20, 20, 20, 255, 30, 30, 30, 255]);
        // A copy longer than the row.
        let at = HEADER + 16;
        file[at] = 0x84;
        assert_eq!(decode_sgi(&file, LIMITS).unwrap_err(), CodecError::overrun());
    }

    #[test]
    fn damaged_files_fail_without_panicking() {
        let mut file = header(1, 2, 3, (4, 3), 4);
        for index in 0..200u32 {
            file.push((index * 37 % 251) as u8);
        }
        crate::error::decode_with_each_byte_flipped(&file, 0, &[0x01, 0x80, 0xFF], |data| {
            drop(decode_sgi(data, LIMITS));
        });
    }
}
