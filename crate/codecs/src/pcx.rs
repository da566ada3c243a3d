//! PCX (Paintbrush), read as Pillow 13's PcxImagePlugin reads it: 1 bit a
//! pixel (1 is white), 1 bit in 2 or 4 planes indexing the header's 16
//! colours, 8 bits indexing the 256 colours at the file's end (grey when
//! they are greys in order) and 8 bits in 3 planes (RGB), each line
//! run-length encoded. A run reaching past its line is cut there, as
//! Pillow's decoder cuts it.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::Decoded;

fn damaged(reason: impl Into<String>) -> CodecError {
    CodecError::damaged("PCX", reason)
}

/// True when `file` starts like a PCX file (as Pillow's `_accept`).
pub fn is_pcx(file: &[u8]) -> bool {
    file.len() >= 2 && file[0] == 10 && matches!(file[1], 0 | 2 | 3 | 5)
}

fn u16_at(file: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([file[at], file[at + 1]]))
}

pub fn decode_pcx(file: &[u8], limits: Limits) -> Result<Decoded> {
    if !is_pcx(file) || file.len() < 128 {
        return Err(damaged("image file is truncated"));
    }
    let (left, top, right, bottom) = (u16_at(file, 4), u16_at(file, 6), u16_at(file, 8) + 1, u16_at(file, 10) + 1);
    if right <= left || bottom <= top {
        return Err(damaged("bad PCX image size"));
    }
    let (width, height) = (right - left, bottom - top);
    let (version, bits, planes) = (file[1], file[3], file[65]);
    let len = limits.rgba_len("PCX", width as u32, height as u32)?;
    let mut palette: Vec<[u8; 3]> = match (bits, planes) {
        (1, 1) => Vec::new(),
        (1, 2 | 4) => file[16..64].chunks_exact(3).map(|rgb| [rgb[0], rgb[1], rgb[2]]).collect(),
        (8, 1) if version == 5 => {
            let tail = file.len().checked_sub(769).map(|at| &file[at..]);
            match tail {
                Some(tail) if tail[0] == 12 => tail[1..].chunks_exact(3).map(|rgb| [rgb[0], rgb[1], rgb[2]]).collect(),
                _ => (0..=255).map(|level| [level; 3]).collect(),
            }
        }
        (8, 3) if version == 5 => Vec::new(),
        _ => return Err(damaged("unknown PCX mode")),
    };
    // Palette files keep their indices ("P"), as Pillow's, unless the
    // palette is the greys in order (Pillow's "L").
    let greys = palette.iter().enumerate().all(|(index, rgb)| *rgb == [index as u8; 3]);
    let colours = (!palette.is_empty() && !greys)
        .then(|| std::mem::replace(&mut palette, (0..=255).map(|index| [index; 3]).collect()));
    let plane_bits = usize::from(bits);
    let mut stride = (width * plane_bits).div_ceil(8);
    if u16_at(file, 66) != stride {
        stride += stride % 2;
    }
    let line = usize::from(planes) * stride;
    let mut pixels = try_alloc(len)?;
    let mut buffer = vec![0u8; line];
    let data = &file[128..];
    let mut at = 0;
    for y in 0..height {
        let mut x = 0;
        while x < line {
            let Some(&byte) = data.get(at) else { return Err(damaged("image file is truncated")) };
            if byte & 0xC0 == 0xC0 {
                let Some(&value) = data.get(at + 1) else { return Err(damaged("image file is truncated")) };
                let count = usize::from(byte & 0x3F).min(line - x);
                buffer[x..x + count].fill(value);
                x += count;
                at += 2;
            } else {
                buffer[x] = byte;
                x += 1;
                at += 1;
            }
        }
        let out = &mut pixels[y * width * 4..(y + 1) * width * 4];
        for (x, pixel) in out.chunks_exact_mut(4).enumerate() {
            let colour = match (bits, planes) {
                (1, 1) => [if buffer[x / 8] >> (7 - x % 8) & 1 == 1 { 255 } else { 0 }; 3],
                (1, _) => {
                    let index = (0..usize::from(planes))
                        .map(|plane| usize::from(buffer[plane * stride + x / 8] >> (7 - x % 8) & 1) << plane)
                        .sum::<usize>();
                    palette[index]
                }
                (8, 1) => palette.get(usize::from(buffer[x])).copied().unwrap_or([0; 3]),
                _ => [buffer[x], buffer[stride + x], buffer[2 * stride + x]],
            };
            pixel.copy_from_slice(&[colour[0], colour[1], colour[2], 255]);
        }
    }
    Ok(match colours {
        Some(colours) => {
            let entries = colours.iter().map(|rgb| [rgb[0], rgb[1], rgb[2], 255]).collect();
            Decoded::indexed(width as u32, height as u32, pixels, entries)
        }
        None => Decoded::rgba(width as u32, height as u32, pixels),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;
    use crate::handmade::pcx_file as pcx;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    #[test]
    fn kinds_and_runs() {
        // 8-bit grey 3x2 (no palette at the end), lines padded to 4: a run
        // of 3, then literals.
        let file = pcx(8, 1, (3, 2), 4, &[0xC3, 9, 0, 1, 2, 3, 0], &[]);
        assert!(is_pcx(&file));
        let greys: Vec<u8> = decode_pcx(&file, LIMITS).unwrap().pixels.chunks(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [9, 9, 9, 1, 2, 3]);
        // 24 bits in 3 planes, 2x1, each plane's line padded to 2 bytes.
        let file = pcx(8, 3, (2, 1), 2, &[1, 2, 3, 4, 5, 6], &[]);
        assert_eq!(decode_pcx(&file, LIMITS).unwrap().pixels, [1, 3, 5, 255, 2, 4, 6, 255]);
        // 1 bit: 1 is white; a run past its line is cut there.
        let file = pcx(1, 1, (3, 1), 2, &[0xC5, 0b1010_0000], &[]);
        assert_eq!(decode_pcx(&file, LIMITS).unwrap().pixels, [255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
        // A palette at the end for 8 bits.
        let mut palette = vec![12];
        palette.extend((0..768).map(|index| (index % 7) as u8));
        let file = pcx(8, 1, (1, 1), 2, &[2, 0], &palette);
        let decoded = decode_pcx(&file, LIMITS).unwrap();
        assert_eq!((decoded.mode, &decoded.pixels[..]), ("P", &[2, 2, 2, 255][..]));
        assert_eq!(decoded.palette[2], [6, 0, 1, 255]);
        assert_eq!(decoded.into_rgba().pixels, [6, 0, 1, 255]);
    }

    #[test]
    fn bad_files_give_errors() {
        let file = pcx(8, 1, (4, 4), 4, &[0xC4, 1, 0xC4, 2, 0xC4, 3, 0xC4, 4], &[]);
        assert!(decode_pcx(&file, LIMITS).is_ok());
        for cut in [10, 127, 129, file.len() - 1] {
            assert!(decode_pcx(&file[..cut], LIMITS).is_err(), "cut {cut}");
        }
        decode_with_each_byte_flipped(&file, 0, &[0x01, 0x80, 0xFF], |flipped| drop(decode_pcx(flipped, LIMITS)));
    }
}
