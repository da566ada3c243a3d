//! BMP: Windows and OS/2 bitmaps, written here (no Debian crate decodes BMP
//! without pulling in the whole `image` crate). Uncompressed 1, 4, 8, 16, 24
//! and 32 bits, BITFIELDS 16 and 32 bits, RLE8 and RLE4; bottom-up and
//! top-down. Read as Pillow reads them: 32-bit BI_RGB ignores its fourth
//! byte (opaque), BITFIELDS with an alpha mask keeps alpha, 5-bit and 6-bit
//! samples scale by `value * 255 / max`.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, identity_palette};

const RAW: u32 = 0;
const RLE8: u32 = 1;
const RLE4: u32 = 2;
const BITFIELDS: u32 = 3;

/// True when `file` starts like a BMP file.
pub fn is_bmp(file: &[u8]) -> bool {
    file.starts_with(b"BM")
}

fn damaged(reason: impl Into<String>) -> CodecError {
    CodecError::damaged("BMP", reason)
}

fn u16_at(file: &[u8], at: usize) -> Result<u32> {
    file.get(at..at + 2).map(|b| u32::from(u16::from_le_bytes([b[0], b[1]]))).ok_or_else(|| damaged("it is truncated"))
}

fn u32_at(file: &[u8], at: usize) -> Result<u32> {
    file.get(at..at + 4).map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok_or_else(|| damaged("it is truncated"))
}

/// How a BMP's header describes its pixels.
struct Header {
    width: u32,
    height: u32,
    top_down: bool,
    bits: u32,
    compression: u32,
    /// Red, green, blue and alpha masks (BITFIELDS, or the BI_RGB defaults).
    masks: [u32; 4],
    palette: Vec<[u8; 4]>,
    pixels_at: usize,
}

fn read_header(file: &[u8]) -> Result<Header> {
    let pixels_at = u32_at(file, 10)? as usize;
    let header_size = u32_at(file, 14)?;
    let info = 18;
    let (width, height, top_down, bits, compression, colors, entry) = match header_size {
        12 => (u16_at(file, info)?, u16_at(file, info + 2)?, false, u16_at(file, info + 6)?, RAW, 0, 3),
        40 | 52 | 56 | 64 | 108 | 124 => {
            let raw_height = u32_at(file, info + 4)? as i32;
            let colors = u32_at(file, info + 28)?;
            (
                u32_at(file, info)?,
                raw_height.unsigned_abs(),
                raw_height < 0,
                u16_at(file, info + 10)?,
                u32_at(file, info + 12)?,
                colors,
                4,
            )
        }
        other => return Err(damaged(format!("its header type ({other} bytes) is not supported"))),
    };
    if width > i32::MAX as u32 {
        return Err(damaged("its width is negative"));
    }
    let masks = match (compression, bits) {
        (BITFIELDS, 16 | 32) => {
            // In a 40-byte header the three masks follow it; longer headers hold them (and alpha).
            let at = info + 36;
            let alpha = if header_size >= 56 { u32_at(file, at + 12)? } else { 0 };
            [u32_at(file, at)?, u32_at(file, at + 4)?, u32_at(file, at + 8)?, alpha]
        }
        (BITFIELDS, _) => {
            return Err(damaged(format!("Unsupported BMP bitfields layout (BITFIELDS with {bits} bits a pixel)")));
        }
        (RAW, 16) => [0x7C00, 0x03E0, 0x001F, 0],
        (RAW, 24 | 32) => [0xFF_0000, 0xFF00, 0xFF, 0],
        (RAW, 1 | 4 | 8) | (RLE8, 8) | (RLE4, 4) => [0; 4],
        (RAW, _) => return Err(damaged(format!("{bits} bits a pixel is not supported"))),
        (RLE8 | RLE4, _) => return Err(damaged(format!("run-length encoding with {bits} bits a pixel is not valid"))),
        (other, _) => return Err(damaged(format!("its compression ({other}) is not supported"))),
    };
    let mut palette = Vec::new();
    let mut pixels_at = pixels_at;
    if bits <= 8 {
        let count = if colors == 0 { 1 << bits } else { colors };
        // An offset pointing at the palette itself is taken to mean the data
        // after it, as Pillow takes it (Tests/images/mmap_error.bmp).
        if pixels_at == 14 + header_size as usize {
            pixels_at += entry * count as usize;
        }
        if count > 256 {
            return Err(damaged(format!("its palette claims {count} colours")));
        }
        let start = 14 + header_size as usize;
        for index in 0..count as usize {
            let at = start + index * entry;
            let Some(bgr) = file.get(at..at + 3) else { return Err(damaged("it is truncated")) };
            palette.push([bgr[2], bgr[1], bgr[0], 255]);
        }
    }
    Ok(Header { width, height, top_down, bits, compression, masks, palette, pixels_at })
}

/// The picture as RGBA colours (what an icon's bitmap needs).
pub fn decode_bmp(file: &[u8], limits: Limits) -> Result<Decoded> {
    decode_bmp_with(file, limits, false).map(Decoded::into_rgba)
}

/// [`decode_bmp`], or with `load_truncated` (Pillow's
/// `ImageFile.LOAD_TRUNCATED_IMAGES`) uncompressed rows cut short read as
/// far as they go, the rest zero. RLE data that stops short still raises,
/// as Pillow's decoder raises.
/// A bitmap of 1, 4 or 8 bits a pixel gives its palette indices ("P"),
/// as Pillow keeps them.
pub fn decode_bmp_with(file: &[u8], limits: Limits, load_truncated: bool) -> Result<Decoded> {
    let mut header = read_header(file)?;
    let indexed = header.bits <= 8 && !greys_in_order(&header.palette);
    let colours = indexed.then(|| std::mem::replace(&mut header.palette, identity_palette()));
    let (width, height) = (header.width, header.height);
    let len = limits.rgba_len("BMP", width, height)?;
    let mut pixels = try_alloc(len)?;
    let data = file.get(header.pixels_at..).ok_or_else(|| damaged("it is truncated"))?;
    match header.compression {
        RLE8 | RLE4 => {
            let (width, height) = (width as usize, height as usize);
            let indices = decode_rle(data, header.pixels_at, width, height, header.compression == RLE4)?;
            for (index, out) in indices.iter().zip(pixels.chunks_exact_mut(4)) {
                out.copy_from_slice(&colour_of(&header.palette, usize::from(*index)));
            }
        }
        _ => unpack_rows(data, &header, load_truncated, &mut pixels)?,
    }
    if !header.top_down {
        flip_rows(&mut pixels, width as usize * 4);
    }
    Ok(match colours {
        Some(palette) => Decoded::indexed(width, height, pixels, palette),
        None => Decoded::rgba(width, height, pixels),
    })
}

/// Pillow's test for a bitmap it reads as "1" or "L", not "P": black and
/// white, or the greys 0, 1, 2... (its colours then are the pixels' values).
fn greys_in_order(palette: &[[u8; 4]]) -> bool {
    let grey = |entry: &[u8; 4], level: u8| entry[..3] == [level; 3];
    if palette.len() == 2 {
        return grey(&palette[0], 0) && grey(&palette[1], 255);
    }
    palette.iter().enumerate().all(|(index, entry)| grey(entry, index as u8))
}

fn colour_of(palette: &[[u8; 4]], index: usize) -> [u8; 4] {
    palette.get(index).copied().unwrap_or([0, 0, 0, 255])
}

/// Uncompressed rows (each padded to 4 bytes), in file order.
fn unpack_rows(data: &[u8], header: &Header, load_truncated: bool, pixels: &mut [u8]) -> Result<()> {
    let width = header.width as usize;
    let row_bytes = (width * header.bits as usize).div_ceil(8);
    let stride = row_bytes.div_ceil(4) * 4;
    // The last row's padding may be missing, as Pillow allows (Tests/images/mmap_error.bmp).
    if data.len() < stride * (header.height as usize - 1) + row_bytes && !load_truncated {
        return Err(damaged("it is truncated"));
    }
    let channels = header.masks.map(Channel::new);
    let rows = data.chunks(stride).take_while(|row| row.len() >= row_bytes);
    for (row, out_row) in rows.zip(pixels.chunks_exact_mut(width * 4)) {
        for (x, out) in out_row.chunks_exact_mut(4).enumerate() {
            let colour = match header.bits {
                1 | 4 | 8 => {
                    let bits = header.bits as usize;
                    let byte = row[x * bits / 8];
                    let shift = 8 - bits - (x * bits % 8);
                    colour_of(&header.palette, usize::from((byte >> shift) & ((1u16 << bits) - 1) as u8))
                }
                _ => {
                    let bytes = header.bits as usize / 8;
                    let mut value = 0u32;
                    for (k, byte) in row[x * bytes..(x + 1) * bytes].iter().enumerate() {
                        value |= u32::from(*byte) << (8 * k);
                    }
                    let alpha = if channels[3].mask == 0 { 255 } else { channels[3].read(value) };
                    [channels[0].read(value), channels[1].read(value), channels[2].read(value), alpha]
                }
            };
            out.copy_from_slice(&colour);
        }
    }
    Ok(())
}

/// One colour mask: where its bits are and how many.
#[derive(Clone, Copy)]
struct Channel {
    mask: u32,
    shift: u32,
    max: u32,
}

impl Channel {
    fn new(mask: u32) -> Self {
        let shift = if mask == 0 { 0 } else { mask.trailing_zeros() };
        Self { mask, shift, max: mask.checked_shr(shift).unwrap_or(0) }
    }

    fn read(self, value: u32) -> u8 {
        if self.max == 0 {
            return 0;
        }
        let sample = (value & self.mask) >> self.shift;
        (u64::from(sample) * 255 / u64::from(self.max)) as u8
    }
}

/// Palette indices from RLE8 or RLE4 data, bottom row first, read as
/// Pillow's decoder reads them: a stream of indices that end-of-line pads
/// to the row's end and delta pads with index 0; an encoded run is clipped
/// to its row, an absolute run is not (it goes on into the next row).
/// Data that ends, or marks the end of the bitmap, before every pixel is
/// given is Pillow's `ValueError` ("not enough image data"). `start` is
/// where the data is in the file: absolute runs end on even offsets in it.
fn decode_rle(data: &[u8], start: usize, width: usize, height: usize, rle4: bool) -> Result<Vec<u8>> {
    let total = width * height;
    let mut out = Vec::new();
    // An encoded run may go at most 255 indices past the last pixel.
    out.try_reserve_exact(total + 256).map_err(|_| CodecError::OutOfMemory { bytes: total + 256 })?;
    let nibble = |byte: u8, index: usize| if index % 2 == 0 { byte >> 4 } else { byte & 0x0F };
    let (mut x, mut at) = (0usize, 0usize);
    while out.len() < total {
        let (Some(&count), Some(&value)) = (data.get(at), data.get(at + 1)) else { break };
        at += 2;
        let count = usize::from(count);
        if count > 0 {
            let count = if x + count > width { width.saturating_sub(x) } else { count };
            out.extend((0..count).map(|index| if rle4 { nibble(value, index) } else { value }));
            x += count;
            continue;
        }
        match value {
            0 => {
                let padding = (width - out.len() % width) % width;
                out.resize(out.len() + padding, 0);
                x = 0;
            }
            1 => break,
            2 => {
                let Some(&[right, up]) = data.get(at..at + 2) else { break };
                at += 2;
                let skip = (usize::from(right) + usize::from(up) * width).min(total - out.len());
                out.resize(out.len() + skip, 0);
                x = out.len() % width;
            }
            literal => {
                let count = usize::from(literal).min(total - out.len());
                let bytes = if rle4 { count.div_ceil(2) } else { count };
                let run = &data[at.min(data.len())..(at + bytes).min(data.len())];
                at += run.len();
                if rle4 {
                    out.extend((0..count.min(run.len() * 2)).map(|index| nibble(run[index / 2], index)));
                } else {
                    out.extend_from_slice(run);
                }
                if run.len() < bytes || out.len() == total {
                    break;
                }
                x += usize::from(literal);
                at += (start + at) % 2;
            }
        }
    }
    if out.len() < total {
        return Err(CodecError::Invalid { format: "BMP", reason: "not enough image data".into() });
    }
    out.truncate(total);
    Ok(out)
}

fn flip_rows(pixels: &mut [u8], stride: usize) {
    let rows = pixels.len() / stride;
    for row in 0..rows / 2 {
        let (top, bottom) = pixels.split_at_mut((rows - 1 - row) * stride);
        top[row * stride..(row + 1) * stride].swap_with_slice(&mut bottom[..stride]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    /// A BMP with a 40-byte header, the palette, then `data` (rows as given).
    fn bmp(width: i32, height: i32, bits: u16, compression: u32, palette: &[[u8; 3]], data: &[u8]) -> Vec<u8> {
        crate::handmade::bmp_file(width, height, bits, compression, palette, &[], data)
    }

    #[test]
    fn palette_bitmaps_keep_their_indices_unless_grey() {
        let palette = [[10, 20, 30], [200, 100, 50], [0, 0, 0]];
        let file = bmp(2, 1, 8, RAW, &palette, &[1, 2, 0, 0]);
        let decoded = decode_bmp_with(&file, LIMITS, false).unwrap();
        assert_eq!(decoded.mode, "P");
        assert_eq!(decoded.pixels, [1, 1, 1, 255, 2, 2, 2, 255]);
        assert_eq!(decoded.palette, [[10, 20, 30, 255], [200, 100, 50, 255], [0, 0, 0, 255]]);
        assert_eq!(decode_bmp(&file, LIMITS).unwrap().pixels, [200, 100, 50, 255, 0, 0, 0, 255]);
        // Black and white: Pillow's "1", stored as 0 and 255.
        let file = bmp(2, 1, 1, RAW, &[[0, 0, 0], [255, 255, 255]], &[0x40, 0, 0, 0]);
        let decoded = decode_bmp_with(&file, LIMITS, false).unwrap();
        assert_eq!((decoded.mode, decoded.pixels), ("RGBA", vec![0, 0, 0, 255, 255, 255, 255, 255]));
    }

    #[test]
    fn uncompressed_depths() {
        // 24 bits, 2x2 bottom-up: the first row in the file is the bottom one.
        let file = bmp(2, 2, 24, RAW, &[], &[1, 2, 3, 4, 5, 6, 0, 0, 7, 8, 9, 10, 11, 12, 0, 0]);
        assert!(is_bmp(&file));
        let decoded = decode_bmp(&file, LIMITS).unwrap();
        assert_eq!(decoded.pixels, [9, 8, 7, 255, 12, 11, 10, 255, 3, 2, 1, 255, 6, 5, 4, 255]);
        // 32 bits BI_RGB: the fourth byte is not alpha (Pillow reads BGRX).
        let file = bmp(1, -1, 32, RAW, &[], &[1, 2, 3, 4]);
        assert_eq!(decode_bmp(&file, LIMITS).unwrap().pixels, [3, 2, 1, 255]);
        // 16 bits BI_RGB is 5-5-5.
        let file = bmp(1, 1, 16, RAW, &[], &[0xFF, 0x7F, 0, 0]);
        assert_eq!(decode_bmp(&file, LIMITS).unwrap().pixels, [255, 255, 255, 255]);
        // 1 bit with a palette, top-down.
        let file = bmp(3, -1, 1, RAW, &[[10, 20, 30], [200, 100, 50]], &[0b1010_0000, 0, 0, 0]);
        assert_eq!(decode_bmp(&file, LIMITS).unwrap().pixels, [200, 100, 50, 255, 10, 20, 30, 255, 200, 100, 50, 255]);
        // 4 bits, an index past the palette is black.
        let file = bmp(2, 1, 4, RAW, &[[1, 1, 1]], &[0x05, 0, 0, 0]);
        assert_eq!(decode_bmp(&file, LIMITS).unwrap().pixels, [1, 1, 1, 255, 0, 0, 0, 255]);
    }

    #[test]
    fn run_length_encoded() {
        let palette = [[0, 0, 0], [255, 0, 0], [0, 255, 0]];
        // RLE8, 4x2: bottom row "1 1 2 2" as two runs, end of line, top row a
        // literal of three (padded to an even offset) and a run of one 0.
        let data = [2, 1, 2, 2, 0, 0, 0, 3, 2, 1, 2, 0, 1, 0, 0, 1];
        let decoded = decode_bmp(&bmp(4, 2, 8, RLE8, &palette, &data), LIMITS).unwrap();
        let red = [255, 0, 0, 255];
        let green = [0, 255, 0, 255];
        let black = [0, 0, 0, 255];
        let expected: Vec<u8> = [green, red, green, black, red, red, green, green].concat();
        assert_eq!(decoded.pixels, expected);
        // RLE4: a run of 3 alternating 1 and 2.
        let decoded = decode_bmp(&bmp(3, 1, 4, RLE4, &palette, &[3, 0x12, 0, 1]), LIMITS).unwrap();
        assert_eq!(decoded.pixels, [red, green, red].concat());
        // Pillow's rules: an absolute run goes on into the next row; a delta
        // skips with index 0; data that stops short is "not enough image data".
        let data = [0, 3, 1, 2, 1, 0, 0, 2, 1, 0];
        let decoded = decode_bmp(&bmp(2, 2, 8, RLE8, &palette, &data), LIMITS).unwrap();
        assert_eq!(decoded.pixels, [red, black, red, green].concat());
        for short in [&[0, 3, 1, 2][..], &[2, 1, 0, 1], &[0, 2, 1, 0], &[]] {
            let error = decode_bmp(&bmp(2, 2, 8, RLE8, &palette, short), LIMITS).unwrap_err();
            assert_eq!(error.to_string(), "cannot read the BMP file: not enough image data", "{short:?}");
            assert_eq!(error.kind(), crate::error::ErrorKind::OutOfRange);
        }
    }

    #[test]
    fn load_truncated_keeps_the_rows_a_file_holds() {
        // 2x2 24 bits: only the bottom row (first in the file) is there.
        let file = bmp(2, 2, 24, RAW, &[], &[1, 2, 3, 4, 5, 6, 0, 0]);
        assert!(decode_bmp(&file, LIMITS).is_err());
        let decoded = decode_bmp_with(&file, LIMITS, true).unwrap();
        assert_eq!(decoded.pixels, [0, 0, 0, 0, 0, 0, 0, 0, 3, 2, 1, 255, 6, 5, 4, 255]);
        let rle = bmp(2, 2, 8, RLE8, &[[1, 2, 3]], &[2, 0, 0, 1]);
        assert_eq!(decode_bmp_with(&rle, LIMITS, true).unwrap_err().kind(), crate::error::ErrorKind::OutOfRange);
    }

    #[test]
    fn an_offset_at_the_palette_means_after_it() {
        let palette = [[0, 0, 0], [10, 20, 30]];
        let mut file = bmp(1, 1, 8, RAW, &palette, &[1, 0, 0, 0]);
        file[10..14].copy_from_slice(&54u32.to_le_bytes());
        assert_eq!(decode_bmp(&file, LIMITS).unwrap().pixels, [10, 20, 30, 255]);
    }

    #[test]
    fn bitfields_with_alpha() {
        // A 40-byte header followed by three masks: 5-6-5.
        let mut file = bmp(1, 1, 16, BITFIELDS, &[], &[]);
        file.truncate(54);
        file.extend(0xF800u32.to_le_bytes());
        file.extend(0x07E0u32.to_le_bytes());
        file.extend(0x001Fu32.to_le_bytes());
        file[10..14].copy_from_slice(&66u32.to_le_bytes());
        file.extend([0x1F, 0xF8, 0, 0]);
        assert_eq!(decode_bmp(&file, LIMITS).unwrap().pixels, [255, 0, 255, 255]);
    }

    #[test]
    fn bad_files_give_errors() {
        let file = bmp(4, 4, 24, RAW, &[], &[7; 48]);
        for cut in [2, 12, 20, 40, 60, file.len() - 1] {
            let error = decode_bmp(&file[..cut], LIMITS).unwrap_err();
            assert!(error.to_string().starts_with("cannot read the BMP file: "), "cut {cut}: {error}");
        }
        assert_eq!(
            decode_bmp(&bmp(70_000, 1, 24, RAW, &[], &[]), LIMITS).unwrap_err().to_string(),
            "the BMP file claims 70000x1 pixels, too large: width must be at most 16384, got 70000"
        );
        let file = bmp(5, 3, 8, RLE8, &[[1, 2, 3]; 4], &[3, 1, 0, 2, 1, 1, 0, 0, 0, 5, 1, 2, 3, 0, 1, 0, 0, 1]);
        decode_with_each_byte_flipped(&file, 2, &[0x01, 0x80, 0xFF], |flipped| drop(decode_bmp(flipped, LIMITS)));
    }
}
