//! TGA (Targa), read as Pillow 13's TgaImagePlugin reads it: colour-mapped
//! (types 1 and 9, 8 bits an index), true-colour (2 and 10: 16 bits as
//! 5-5-5 with an inverted alpha bit, 24 as BGR, 32 as BGRA) and grey (3
//! and 11: 8 bits, 16 as grey and alpha), raw or run-length encoded, rows
//! bottom-up unless the descriptor says top-down, mirrored when it says
//! right-to-left. A version 2 file whose extension area says it has no
//! alpha is opaque. TGA has no signature: a file is taken for one when its
//! header's fields are all ones Pillow accepts.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::Decoded;

fn damaged(reason: impl Into<String>) -> CodecError {
    CodecError::damaged("TGA", reason)
}

fn u16_at(file: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([file[at], file[at + 1]]))
}

/// True when the 18-byte header holds values Pillow opens as a TGA file.
pub fn is_tga(file: &[u8]) -> bool {
    file.len() >= 18
        && file[1] <= 1
        && matches!(file[2], 1 | 2 | 3 | 9 | 10 | 11)
        && matches!(file[16], 1 | 8 | 16 | 24 | 32)
        && u16_at(file, 12) > 0
        && u16_at(file, 14) > 0
}

/// How a pixel's bytes become RGBA.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Pixel {
    Grey,
    GreyAlpha,
    Bgr15,
    Bgr,
    Bgra,
    /// An index into the colour map (or a grey level when there is none).
    Index,
}

pub fn decode_tga(file: &[u8], limits: Limits) -> Result<Decoded> {
    if !is_tga(file) {
        return Err(damaged("its header is not one of a TGA file"));
    }
    let (id_len, has_map, kind, depth, flags) = (usize::from(file[0]), file[1] == 1, file[2], file[16], file[17]);
    let (width, height) = (u16_at(file, 12), u16_at(file, 14));
    let len = limits.rgba_len("TGA", width as u32, height as u32)?;
    let pixel = match (kind & 7, depth) {
        (1, 8) => Pixel::Index,
        (3, 8) => Pixel::Grey,
        (3, 16) => Pixel::GreyAlpha,
        (2, 16) => Pixel::Bgr15,
        (2, 24) => Pixel::Bgr,
        (2, 32) => Pixel::Bgra,
        _ => return Err(damaged(format!("image type {kind} with {depth} bits a pixel is not supported"))),
    };
    let mut at = 18 + id_len;
    let mut map = Vec::new();
    let mut colours = None;
    if has_map {
        let (start, size, map_depth) = (u16_at(file, 3), u16_at(file, 5), file[7]);
        let entry = match map_depth {
            16 => 2,
            24 => 3,
            32 => 4,
            other => return Err(damaged(format!("its colour map has {other} bits an entry"))),
        };
        let entries = file.get(at..at + entry * size).ok_or_else(|| damaged("image file is truncated"))?;
        at += entry * size;
        // Entries before `start` are zero bytes, as Pillow pads them.
        map = vec![rgba_of(&[0; 4][..entry], entry); start.min(256)];
        map.extend(entries.chunks_exact(entry).map(|bytes| rgba_of(bytes, entry)));
        if pixel == Pixel::Index && entry == 3 {
            // Kept as indices ("P"), as Pillow keeps a 24-bit colour map.
            colours = Some(std::mem::replace(&mut map, crate::rgba::identity_palette()));
        }
    }
    let bytes_per_pixel = usize::from(depth).div_ceil(8);
    let data = file.get(at..).ok_or_else(|| damaged("image file is truncated"))?;
    let row = width * bytes_per_pixel;
    let raw = if kind & 8 != 0 { Some(unpack_runs(data, row, height, bytes_per_pixel)?) } else { None };
    let stored: &[u8] = match &raw {
        Some(rows) => rows,
        None => data.get(..row * height).ok_or_else(|| damaged("image file is truncated"))?,
    };
    let mut pixels = try_alloc(len)?;
    let top_down = flags & 0x20 != 0;
    let mirrored = flags & 0x10 != 0;
    let opaque = pixel == Pixel::Bgra && says_no_alpha(file);
    for (y, line) in stored.chunks_exact(row).enumerate() {
        let out_y = if top_down { y } else { height - 1 - y };
        for (x, bytes) in line.chunks_exact(bytes_per_pixel).enumerate() {
            let out_x = if mirrored { width - 1 - x } else { x };
            let mut colour = match pixel {
                Pixel::Grey => [bytes[0], bytes[0], bytes[0], 255],
                Pixel::GreyAlpha => [bytes[0], bytes[0], bytes[0], bytes[1]],
                Pixel::Bgr15 | Pixel::Bgr | Pixel::Bgra => rgba_of(bytes, bytes_per_pixel),
                Pixel::Index if has_map => map.get(usize::from(bytes[0])).copied().unwrap_or([0, 0, 0, 255]),
                Pixel::Index => [bytes[0], bytes[0], bytes[0], 255],
            };
            if opaque {
                colour[3] = 255;
            }
            pixels[(out_y * width + out_x) * 4..][..4].copy_from_slice(&colour);
        }
    }
    Ok(match colours {
        Some(colours) => Decoded::indexed(width as u32, height as u32, pixels, colours),
        None => Decoded::rgba(width as u32, height as u32, pixels),
    })
}

/// A colour of 2 (5-5-5 BGR, the top bit an inverted alpha: set means
/// transparent, as Pillow's "BGRA;15Z"), 3 (BGR) or 4 (BGRA) bytes.
fn rgba_of(bytes: &[u8], size: usize) -> [u8; 4] {
    match size {
        2 => {
            let value = u32::from(u16::from_le_bytes([bytes[0], bytes[1]]));
            let five = |shift: u32| ((value >> shift & 31) * 255 / 31) as u8;
            [five(10), five(5), five(0), if value >> 15 == 1 { 0 } else { 255 }]
        }
        3 => [bytes[2], bytes[1], bytes[0], 255],
        _ => [bytes[2], bytes[1], bytes[0], bytes[3]],
    }
}

/// A version 2 file's extension area saying the alpha bytes are not alpha
/// (attributes type 0), as Pillow reads it.
fn says_no_alpha(file: &[u8]) -> bool {
    let Some(footer) = file.len().checked_sub(26).map(|at| &file[at..]) else { return false };
    if !footer.ends_with(b"TRUEVISION-XFILE.\0") {
        return false;
    }
    let extension = u32::from_le_bytes([footer[0], footer[1], footer[2], footer[3]]) as usize;
    extension != 0 && file.get(extension.saturating_add(494)) == Some(&0)
}

/// The rows of run-length encoded data, as Pillow's decoder reads them: a
/// packet's header byte gives 1 to 128 pixels, then one pixel repeated (a
/// run, which must not cross the end of a row) or that many pixels (a
/// literal, which may go on into the next row).
fn unpack_runs(data: &[u8], row: usize, height: usize, size: usize) -> Result<Vec<u8>> {
    let total = row * height;
    let mut out = Vec::new();
    out.try_reserve_exact(total).map_err(|_| CodecError::OutOfMemory { bytes: total })?;
    let mut at = 0;
    while out.len() < total {
        let Some(&head) = data.get(at) else { return Err(damaged("image file is truncated")) };
        let count = (usize::from(head & 0x7F) + 1) * size;
        if head & 0x80 != 0 {
            let colour = data.get(at + 1..at + 1 + size).ok_or_else(|| damaged("image file is truncated"))?;
            if out.len() % row + count > row {
                return Err(damaged("a run crosses the end of a row (buffer overrun)"));
            }
            for _ in 0..count / size {
                out.extend_from_slice(colour);
            }
            at += 1 + size;
        } else {
            let literal = data.get(at + 1..at + 1 + count).ok_or_else(|| damaged("image file is truncated"))?;
            out.extend_from_slice(&literal[..literal.len().min(total - out.len())]);
            at += 1 + count;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    use crate::handmade::tga_file as tga;

    #[test]
    fn kinds_and_orientations() {
        // 24 bits, 2x2 bottom-up: the first row stored is the bottom one.
        let file = tga(2, 24, 0, (2, 2), None, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        assert!(is_tga(&file));
        let pixels = decode_tga(&file, LIMITS).unwrap().pixels;
        assert_eq!(pixels, [9, 8, 7, 255, 12, 11, 10, 255, 3, 2, 1, 255, 6, 5, 4, 255]);
        // Top-down and mirrored.
        let file = tga(3, 8, 0x30, (2, 1), None, &[10, 20]);
        assert_eq!(decode_tga(&file, LIMITS).unwrap().pixels, [20, 20, 20, 255, 10, 10, 10, 255]);
        // 16-bit colour: the top bit set is transparent.
        let file = tga(2, 16, 0x20, (2, 1), None, &[0xFF, 0x7F, 0x1F, 0x80]);
        assert_eq!(decode_tga(&file, LIMITS).unwrap().pixels, [255, 255, 255, 255, 0, 0, 255, 0]);
        // A colour map starting at 1 of 24-bit entries.
        let file = tga(1, 8, 0x20, (3, 1), Some((1, 2, 24)), &[1, 2, 3, 4, 5, 6, 0, 1, 2]);
        let decoded = decode_tga(&file, LIMITS).unwrap();
        assert_eq!((decoded.mode, &decoded.pixels[..]), ("P", &[0, 0, 0, 255, 1, 1, 1, 255, 2, 2, 2, 255][..]));
        assert_eq!(decoded.into_rgba().pixels, [0, 0, 0, 255, 3, 2, 1, 255, 6, 5, 4, 255]);
    }

    #[test]
    fn run_length_encoded() {
        // Grey 3x2 top-down: a run of 3 (a row), then a literal of 3.
        let file = tga(11, 8, 0x20, (3, 2), None, &[0x82, 7, 0x02, 1, 2, 3]);
        let greys: Vec<u8> = decode_tga(&file, LIMITS).unwrap().pixels.chunks(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [7, 7, 7, 1, 2, 3]);
        // A literal may go on into the next row; a run may not.
        let file = tga(11, 8, 0x20, (2, 2), None, &[0x03, 1, 2, 3, 4]);
        assert!(decode_tga(&file, LIMITS).is_ok());
        let file = tga(11, 8, 0x20, (2, 2), None, &[0x00, 1, 0x82, 5]);
        assert!(decode_tga(&file, LIMITS).unwrap_err().to_string().contains("crosses the end of a row"));
    }

    #[test]
    fn bad_files_give_errors() {
        let file = tga(2, 24, 0, (4, 4), None, &[7; 48]);
        for cut in [20, 40, file.len() - 1] {
            let error = decode_tga(&file[..cut], LIMITS).unwrap_err();
            assert_eq!(error.to_string(), "cannot read the TGA file: image file is truncated", "cut {cut}");
        }
        let huge = tga(2, 24, 0, (65_535, 65_535), None, &[]);
        assert_eq!(decode_tga(&huge, LIMITS).unwrap_err().kind(), crate::error::ErrorKind::Bomb);
        let file = tga(10, 24, 0, (3, 3), None, &[0x82, 1, 2, 3, 0x02, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0x80, 0, 0, 0]);
        decode_with_each_byte_flipped(&file, 0, &[0x01, 0x80, 0xFF], |flipped| drop(decode_tga(flipped, LIMITS)));
    }
}
