//! FLI and FLC (Autodesk Animator), read as Pillow 13's FliImagePlugin and
//! its `fli` decoder read them: a palette picture ("P") whose frames are
//! chunks of changes to the frame before (byte and word deltas, runs, a
//! black fill, a plain copy). The palette is the first frame's colour
//! chunk, read once by the host (Pillow ignores later ones); this module
//! decodes one frame onto the indices of the one before, with the checks
//! of Pillow's decoder and its errors ("buffer overrun when reading image
//! file"...), so that a file Pillow refuses is refused here too.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, identity_palette};

/// Where the first frame starts: after the 128-byte header.
pub const FIRST_FRAME: usize = 128;

fn u16_at(data: &[u8], at: usize) -> usize {
    usize::from(u16::from_le_bytes([data[at], data[at + 1]]))
}

fn u32_at(data: &[u8], at: usize) -> u64 {
    u64::from(u32::from_le_bytes([data[at], data[at + 1], data[at + 2], data[at + 3]]))
}

/// True when `file` starts like an FLI or FLC file (Pillow's `_accept`:
/// its magic number and flags).
pub fn is_fli(file: &[u8]) -> bool {
    file.len() >= 16 && matches!(u16_at(file, 4), 0xAF11 | 0xAF12) && matches!(u16_at(file, 14), 0 | 3)
}

/// The first frame's palette indices, each stored as a grey (see
/// [`Decoded`]); the host reads the palette from the header.
pub fn decode_fli(file: &[u8], limits: Limits, load_truncated: bool) -> Result<Decoded> {
    if !is_fli(file) || file.len() < FIRST_FRAME {
        return Err(CodecError::damaged("FLI", "not an FLI/FLC file"));
    }
    let (width, height) = (u16_at(file, 8), u16_at(file, 10));
    let len = limits.rgba_len("FLI", width as u32, height as u32)?;
    let mut indices = try_alloc(len / 4)?;
    decode_fli_frame(file, FIRST_FRAME, width, height, &mut indices, load_truncated)?;
    let mut pixels = try_alloc(len)?;
    for (pixel, &index) in pixels.chunks_exact_mut(4).zip(&indices) {
        pixel.copy_from_slice(&[index, index, index, 255]);
    }
    Ok(Decoded::indexed(width as u32, height as u32, pixels, identity_palette()))
}

/// Decodes the frame at `offset` of `file` onto `canvas` (`width` x
/// `height` palette indices, the frame before). With `load_truncated`
/// (Pillow's `LOAD_TRUNCATED_IMAGES`) a frame cut short or damaged leaves
/// what was decoded, as Pillow then raises nothing.
pub fn decode_fli_frame(
    file: &[u8],
    offset: usize,
    width: usize,
    height: usize,
    canvas: &mut [u8],
    load_truncated: bool,
) -> Result<()> {
    if canvas.len() != width * height {
        return Err(CodecError::WrongLength {
            expected: (width * height) as u64,
            actual: canvas.len() as u64,
            bytes_per_pixel: 1,
        });
    }
    let rest = file.get(offset..).unwrap_or(&[]);
    let result = frame_data(rest).and_then(|data| apply_chunks(data, rest, width, height, canvas));
    match result {
        Err(CodecError::Decoder { .. } | CodecError::Damaged { .. }) if load_truncated => Ok(()),
        other => other,
    }
}

fn truncated() -> CodecError {
    CodecError::damaged("FLI", "image file is truncated")
}

/// The bytes Pillow's loader hands its decoder for a frame: read in
/// blocks of the frame's size until they hold the frame (one pad byte may
/// be missing) and at least 4 bytes.
fn frame_data(rest: &[u8]) -> Result<&[u8]> {
    if rest.len() < 4 {
        return Err(truncated());
    }
    let size = u32_at(rest, 0);
    if size == 0 {
        return Err(truncated());
    }
    let mut len = 0u64;
    loop {
        len = (len + size).min(rest.len() as u64);
        if len >= 4 && len + len % 2 >= size {
            return Ok(&rest[..len as usize]);
        }
        if len == rest.len() as u64 {
            return Err(truncated());
        }
    }
}

/// Pillow's `ImagingFliDecode` over one frame's bytes (`buffer`, the start
/// of `rest`, the file from the frame on).
fn apply_chunks(buffer: &[u8], rest: &[u8], width: usize, height: usize, canvas: &mut [u8]) -> Result<()> {
    if buffer.len() < 8 {
        return Err(CodecError::overrun());
    }
    if u16_at(buffer, 4) != 0xF1FA {
        return Err(CodecError::unrecognized());
    }
    let chunks = u16_at(buffer, 6);
    let end = buffer.len();
    let mut at = 16usize;
    for _ in 0..chunks {
        if at + 10 > end {
            return Err(CodecError::overrun());
        }
        let data = at + 6;
        match u16_at(buffer, at + 4) {
            // Colours (read by the host) and the postage stamp.
            4 | 11 | 18 => {}
            7 => word_delta(buffer, data, width, height, canvas)?,
            12 => byte_delta(buffer, data, width, height, canvas)?,
            13 => canvas.fill(0),
            15 => byte_runs(buffer, data, width, height, canvas)?,
            16 => {
                let pixels = width * height;
                let Some(source) = buffer.get(data..data + pixels) else {
                    // Pillow's decoder hands back the chunks before this one
                    // and is called again on more of the file from here,
                    // which it reads as a frame: one that is not.
                    return Err(match frame_data(&rest[at..]) {
                        Ok(again) if again.len() < 8 => CodecError::overrun(),
                        Ok(_) => CodecError::unrecognized(),
                        Err(error) => error,
                    });
                };
                canvas.copy_from_slice(source);
            }
            _ => return Err(CodecError::unrecognized()),
        }
        let advance = u32_at(buffer, at);
        if advance == 0 {
            return Err(CodecError::broken());
        }
        if advance > (end - at) as u64 {
            return Err(CodecError::overrun());
        }
        at += advance as usize;
    }
    Ok(())
}

/// Whether `count` bytes from `at` are past the frame's end.
fn out_of(buffer: &[u8], at: usize, count: usize) -> bool {
    at + count > buffer.len()
}

/// FLC's SS2 chunk: per line, packets of a skip and a run or copy of
/// 16-bit words; flag words skip lines or set a line's last byte.
fn word_delta(buffer: &[u8], mut data: usize, width: usize, height: usize, canvas: &mut [u8]) -> Result<()> {
    let lines = u16_at(buffer, data);
    data += 2;
    let (mut line, mut y) = (0, 0);
    while line < lines && y < height {
        if out_of(buffer, data, 2) {
            return Err(CodecError::overrun());
        }
        let mut packets = u16_at(buffer, data);
        data += 2;
        while packets & 0x8000 != 0 {
            if packets & 0x4000 != 0 {
                y += 65536 - packets;
                if y >= height {
                    return Err(CodecError::overrun());
                }
            } else {
                canvas[y * width + width - 1] = packets as u8;
            }
            if out_of(buffer, data, 2) {
                return Err(CodecError::overrun());
            }
            packets = u16_at(buffer, data);
            data += 2;
        }
        let row = &mut canvas[y * width..(y + 1) * width];
        let mut x = 0;
        let mut done = 0;
        while done < packets {
            if out_of(buffer, data, 2) {
                return Err(CodecError::overrun());
            }
            x += usize::from(buffer[data]);
            let kind = buffer[data + 1];
            if kind >= 128 {
                if out_of(buffer, data, 4) {
                    return Err(CodecError::overrun());
                }
                let words = 256 - usize::from(kind);
                if x + 2 * words > width {
                    break;
                }
                for _ in 0..words {
                    row[x] = buffer[data + 2];
                    row[x + 1] = buffer[data + 3];
                    x += 2;
                }
                data += 4;
            } else {
                let count = 2 * usize::from(kind);
                if x + count > width {
                    break;
                }
                if out_of(buffer, data, 2 + count) {
                    return Err(CodecError::overrun());
                }
                row[x..x + count].copy_from_slice(&buffer[data + 2..data + 2 + count]);
                data += 2 + count;
                x += count;
            }
            done += 1;
        }
        if done < packets {
            break;
        }
        line += 1;
        y += 1;
    }
    if line < lines {
        return Err(CodecError::overrun());
    }
    Ok(())
}

/// FLI's LC chunk: a first line and a line count, then per line packets
/// of a skip and a run or copy of bytes.
fn byte_delta(buffer: &[u8], mut data: usize, width: usize, height: usize, canvas: &mut [u8]) -> Result<()> {
    let mut y = u16_at(buffer, data);
    let last = y + u16_at(buffer, data + 2);
    data += 4;
    while y < last && y < height {
        let row = &mut canvas[y * width..(y + 1) * width];
        if out_of(buffer, data, 1) {
            return Err(CodecError::overrun());
        }
        let packets = buffer[data];
        data += 1;
        let mut x = 0;
        let mut done = 0;
        while done < packets {
            if out_of(buffer, data, 2) {
                return Err(CodecError::overrun());
            }
            x += usize::from(buffer[data]);
            let kind = buffer[data + 1];
            let count;
            if kind & 0x80 != 0 {
                count = 256 - usize::from(kind);
                if x + count > width {
                    break;
                }
                if out_of(buffer, data, 3) {
                    return Err(CodecError::overrun());
                }
                row[x..x + count].fill(buffer[data + 2]);
                data += 3;
            } else {
                count = usize::from(kind);
                if x + count > width {
                    break;
                }
                if out_of(buffer, data, 2 + count) {
                    return Err(CodecError::overrun());
                }
                row[x..x + count].copy_from_slice(&buffer[data + 2..data + 2 + count]);
                data += 2 + count;
            }
            x += count;
            done += 1;
        }
        if done < packets {
            break;
        }
        y += 1;
    }
    if y < last {
        return Err(CodecError::overrun());
    }
    Ok(())
}

/// FLI's BRUN chunk: every line as runs and copies of bytes, after a
/// packet count Pillow ignores.
fn byte_runs(buffer: &[u8], mut data: usize, width: usize, height: usize, canvas: &mut [u8]) -> Result<()> {
    for row in canvas.chunks_exact_mut(width).take(height) {
        data += 1;
        let mut x = 0;
        while x < width {
            if out_of(buffer, data, 2) {
                return Err(CodecError::overrun());
            }
            let kind = buffer[data];
            if kind & 0x80 != 0 {
                let count = 256 - usize::from(kind);
                if x + count > width {
                    break;
                }
                if out_of(buffer, data, count + 1) {
                    return Err(CodecError::overrun());
                }
                row[x..x + count].copy_from_slice(&buffer[data + 1..data + 1 + count]);
                data += count + 1;
                x += count;
            } else {
                let count = usize::from(kind);
                if x + count > width {
                    break;
                }
                row[x..x + count].fill(buffer[data + 1]);
                data += 2;
                x += count;
            }
        }
        if x != width {
            return Err(CodecError::overrun());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::handmade::fli_frame;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 1 << 24 };

    /// A file of `width` x `height` whose first frame holds `chunks`
    /// (each: its type and body).
    fn file(width: u16, height: u16, chunks: &[(u16, Vec<u8>)]) -> Vec<u8> {
        let mut data = vec![0u8; FIRST_FRAME];
        data[4..6].copy_from_slice(&0xAF12u16.to_le_bytes());
        data[6] = 1;
        data[8..10].copy_from_slice(&width.to_le_bytes());
        data[10..12].copy_from_slice(&height.to_le_bytes());
        data.extend(fli_frame(chunks));
        data
    }

    fn indices(decoded: &Decoded) -> Vec<u8> {
        decoded.pixels.chunks_exact(4).map(|pixel| pixel[0]).collect()
    }

    #[test]
    fn runs_and_deltas_draw_the_frame() {
        // BRUN: a run of 3 sevens then a copy of one 9, each of two lines.
        let runs = vec![2, 3, 7, 0xFF, 9, 2, 4, 1, 0xFF, 5];
        let decoded = decode_fli(&file(4, 2, &[(15, runs.clone())]), LIMITS, false).unwrap();
        assert_eq!(indices(&decoded), [7, 7, 7, 9, 1, 1, 1, 1]);
        // Then an LC delta: line 1, one line, skip 2, copy of one byte 8.
        let delta = vec![1, 0, 1, 0, 1, 2, 1, 8];
        let decoded = decode_fli(&file(4, 2, &[(15, runs), (12, delta)]), LIMITS, false).unwrap();
        assert_eq!(indices(&decoded), [7, 7, 7, 9, 1, 1, 8, 1]);
    }

    #[test]
    fn damaged_frames_get_pillows_errors() {
        // A BRUN line that does not reach the width.
        let short = file(4, 1, &[(15, vec![1, 2, 3, 0, 0])]);
        assert_eq!(decode_fli(&short, LIMITS, false).unwrap_err(), CodecError::overrun());
        assert!(decode_fli(&short, LIMITS, true).is_ok());
        let unknown = file(4, 1, &[(99, vec![0; 4])]);
        assert_eq!(decode_fli(&unknown, LIMITS, false).unwrap_err(), CodecError::unrecognized());
        let mut cut = file(4, 1, &[(16, vec![1, 2, 3, 4])]);
        cut.truncate(cut.len() - 3);
        assert_eq!(
            decode_fli(&cut, LIMITS, false).unwrap_err().to_string(),
            "cannot read the FLI file: image file is truncated"
        );
    }

    #[test]
    fn flipped_bytes_never_panic() {
        let chunks = [
            (15, vec![1, 2, 3, 0xFF, 4, 1, 1, 2]),
            (7, vec![1, 0, 1, 0, 0, 1, 5, 6]),
            (12, vec![0, 0, 1, 0, 1, 0, 0x81, 3]),
        ];
        let data = file(4, 2, &chunks);
        crate::error::decode_with_each_byte_flipped(&data, 0, &[0x01, 0x80, 0xFF], |flipped| {
            drop(decode_fli(flipped, LIMITS, false));
        });
    }
}
