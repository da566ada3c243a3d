//! Netpbm: PBM, PGM and PPM, plain (P1, P2, P3: numbers as text) and raw
//! (P4, P5, P6), read as Pillow 13's PpmImagePlugin reads them. Samples are
//! scaled from 0..maxval to 0..255 with Python's `round` (ties to even, on
//! the same doubles), clamped as Pillow clamps raw samples above maxval.
//! A PGM whose maxval is above 255 is Pillow's mode "I": its samples are
//! scaled to 0..65535 the same way and stored as "I" (a little-endian u32).
//!
//! Pillow's `ValueError`s (a bad header, a plain file's bad or missing
//! number) are [`CodecError::Invalid`]; a raw file at 255 (or a PGM at
//! 65535) cut short is Pillow's "image file is truncated" `OSError`.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::Decoded;

/// Python's `bytes.split()` whitespace, which Pillow's tokens end at.
fn is_space(byte: u8) -> bool {
    matches!(byte, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r')
}

/// True when `file` starts with one of the magics read here ("P1" to "P6"
/// followed by whitespace or the end).
pub fn is_ppm(file: &[u8]) -> bool {
    file.len() >= 2
        && file[0] == b'P'
        && (b'1'..=b'6').contains(&file[1])
        && file.get(2).is_none_or(|&byte| is_space(byte))
}

/// What the header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    /// 1 to 6, from the magic.
    pub kind: u8,
    pub width: u32,
    pub height: u32,
    /// 1 for bitmaps (P1, P4), which have none.
    pub maxval: u32,
    /// Where the samples start: one whitespace byte after the last number.
    pub data_at: usize,
}

fn invalid(reason: impl Into<String>) -> CodecError {
    CodecError::Invalid { format: "PPM", reason: reason.into() }
}

/// The header's next number, as Pillow's `_read_token` finds it: leading
/// whitespace skipped, a comment (from `#` to CR, LF or the end) dropped
/// even inside a number, at most 10 characters, ended by one whitespace byte
/// (consumed) or the end of the file.
fn header_token(file: &[u8], at: &mut usize) -> Result<Vec<u8>> {
    let mut token = Vec::new();
    while token.len() <= 10 {
        let Some(&byte) = file.get(*at) else { break };
        *at += 1;
        if is_space(byte) {
            if token.is_empty() {
                continue;
            }
            break;
        }
        if byte == b'#' {
            while let Some(&byte) = file.get(*at) {
                *at += 1;
                if byte == b'\r' || byte == b'\n' {
                    break;
                }
            }
            continue;
        }
        token.push(byte);
    }
    if token.is_empty() {
        return Err(invalid("Reached EOF while reading header"));
    }
    if token.len() > 10 {
        return Err(invalid(format!("Token too long in file header: {}", String::from_utf8_lossy(&token))));
    }
    Ok(token)
}

/// A token as Python's `int()` reads it (an optional sign, then digits).
fn integer(token: &[u8]) -> Option<i64> {
    let (negative, digits) = match token.first() {
        Some(b'-') => (true, &token[1..]),
        Some(b'+') => (false, &token[1..]),
        _ => (false, token),
    };
    if digits.is_empty() || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // At most 10 digits: no overflow.
    let value = digits.iter().fold(0i64, |value, digit| value * 10 + i64::from(digit - b'0'));
    Some(if negative { -value } else { value })
}

fn header_number(file: &[u8], at: &mut usize) -> Result<i64> {
    let token = header_token(file, at)?;
    integer(&token).ok_or_else(|| {
        invalid(format!("invalid literal for int() with base 10: {:?}", String::from_utf8_lossy(&token)))
    })
}

/// The header: magic, width, height and (but for bitmaps) maxval.
pub fn read_header(file: &[u8]) -> Result<Header> {
    if !is_ppm(file) {
        return Err(CodecError::damaged("PPM", "it is not a P1 to P6 file"));
    }
    let kind = file[1] - b'0';
    let mut at = 3;
    let width = header_number(file, &mut at)?;
    let height = header_number(file, &mut at)?;
    let mut maxval = 1;
    if !matches!(kind, 1 | 4) {
        let value = header_number(file, &mut at)?;
        if !(1..65_536).contains(&value) {
            return Err(invalid("maxval must be greater than 0 and less than 65536"));
        }
        maxval = value as u32;
    }
    if width <= 0 || height <= 0 {
        return Err(CodecError::damaged("PPM", format!("its size ({width}x{height}) is not positive")));
    }
    let side = |value: i64| u32::try_from(value).unwrap_or(u32::MAX);
    Ok(Header { kind, width: side(width), height: side(height), maxval, data_at: at.min(file.len()) })
}

/// `value` of 0..=`maxval` as 0..=255, as Pillow computes it:
/// `min(255, round(value / maxval * 255))` on doubles.
fn scale(value: u32, maxval: u32) -> u8 {
    (f64::from(value) / f64::from(maxval) * 255.0).round_ties_even().min(255.0) as u8
}

/// A sample as decoded: 8 bits, or 16 for Pillow's "I" PGM.
trait Sample: Copy {
    /// `value` of 0..=`maxval` in this sample's range, as Pillow scales it.
    fn scaled(value: u32, maxval: u32) -> Self;
    /// A byte of a file whose maxval is 255 (copied as it is into 8 bits).
    fn byte(value: u8) -> Self;
}

impl Sample for u8 {
    fn scaled(value: u32, maxval: u32) -> Self {
        scale(value, maxval)
    }

    fn byte(value: u8) -> Self {
        value
    }
}

impl Sample for u16 {
    fn scaled(value: u32, maxval: u32) -> Self {
        (f64::from(value) / f64::from(maxval) * 65535.0).round_ties_even().min(65535.0) as u16
    }

    fn byte(value: u8) -> Self {
        u16::from(value) * 257
    }
}

pub fn decode_ppm(file: &[u8], limits: Limits) -> Result<Decoded> {
    decode_ppm_with(file, limits, false)
}

/// [`decode_ppm`], or with `load_truncated` (Pillow's
/// `ImageFile.LOAD_TRUNCATED_IMAGES`) a raw file Pillow copies (maxval 255,
/// or a PGM at 65535) cut short read as far as it goes, the rest zero.
/// The files Pillow's own decoders read still raise, as there.
pub fn decode_ppm_with(file: &[u8], limits: Limits, load_truncated: bool) -> Result<Decoded> {
    let header = read_header(file)?;
    let len = limits.rgba_len("PPM", header.width, header.height)?;
    let mut pixels = try_alloc(len)?;
    let data = &file[header.data_at..];
    let count = header.width as usize * header.height as usize;
    let channels = if matches!(header.kind, 3 | 6) { 3 } else { 1 };
    if matches!(header.kind, 2 | 5) && header.maxval > 255 {
        return decode_wide_grey(data, &header, count, load_truncated, pixels);
    }
    match header.kind {
        1 => plain_bits(data, &mut pixels[..count])?,
        2 | 3 => plain_numbers(data, header.maxval, &mut pixels[..count * channels])?,
        4 => raw_bits(data, header.width as usize, load_truncated, &mut pixels[..count])?,
        _ => {
            let row = header.width as usize * channels;
            raw_samples(data, header.maxval, channels == 1, row, load_truncated, &mut pixels[..count * channels])?
        }
    }
    crate::rgba::expand_to_rgba(&mut pixels, channels);
    Ok(Decoded::rgba(header.width, header.height, pixels))
}

/// A PGM above maxval 255 as Pillow's "I": 16-bit samples stored as
/// little-endian u32.
fn decode_wide_grey(
    data: &[u8],
    header: &Header,
    count: usize,
    load_truncated: bool,
    mut pixels: Vec<u8>,
) -> Result<Decoded> {
    let mut samples = vec![0u16; count];
    if header.kind == 2 {
        plain_numbers(data, header.maxval, &mut samples)?;
    } else {
        raw_samples(data, header.maxval, true, header.width as usize, load_truncated, &mut samples)?;
    }
    for (pixel, sample) in pixels.chunks_exact_mut(4).zip(samples) {
        pixel.copy_from_slice(&u32::from(sample).to_le_bytes());
    }
    Ok(Decoded { mode: "I", ..Decoded::rgba(header.width, header.height, pixels) })
}

/// Pillow reads plain data in blocks of this many bytes (ImageFile.SAFEBLOCK)
/// and checks a whole block's characters before it stops at the last pixel.
const PLAIN_BLOCK: usize = 65_536;

/// The bytes of plain data with comments (from `#` to CR or LF, both
/// dropped) removed, as Pillow drops them before splitting tokens.
fn uncommented(data: &[u8]) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut in_comment = false;
    data.iter().enumerate().filter_map(move |(index, &byte)| {
        if in_comment {
            in_comment = byte != b'\r' && byte != b'\n';
            return None;
        }
        if byte == b'#' {
            in_comment = true;
            return None;
        }
        Some((index, byte))
    })
}

/// P1: one "0" (white) or "1" (black) a pixel, whitespace optional.
fn plain_bits(data: &[u8], out: &mut [u8]) -> Result<()> {
    let mut filled = 0;
    let mut block_end = usize::MAX;
    for (index, byte) in uncommented(data) {
        if index >= block_end {
            break;
        }
        if is_space(byte) {
            continue;
        }
        if byte != b'0' && byte != b'1' {
            return Err(invalid(format!("Invalid token for this mode: {}", char::from(byte).escape_default())));
        }
        if filled < out.len() {
            out[filled] = if byte == b'0' { 255 } else { 0 };
            filled += 1;
            if filled == out.len() {
                block_end = (index / PLAIN_BLOCK + 1) * PLAIN_BLOCK;
            }
        }
    }
    if filled < out.len() {
        return Err(invalid("not enough image data"));
    }
    Ok(())
}

/// P2 and P3: whitespace-separated numbers of 0..=maxval, at most 10
/// characters each.
fn plain_numbers<T: Sample>(data: &[u8], maxval: u32, out: &mut [T]) -> Result<()> {
    let mut filled = 0;
    let mut token: Vec<u8> = Vec::with_capacity(11);
    for (_, byte) in uncommented(data).chain([(usize::MAX, b' ')]) {
        if filled == out.len() {
            break;
        }
        if !is_space(byte) {
            token.push(byte);
            if token.len() > 10 {
                return Err(invalid(format!("Token too long found in data: {}", String::from_utf8_lossy(&token))));
            }
        } else if !token.is_empty() {
            out[filled] = sample_of(&token, maxval)?;
            filled += 1;
            token.clear();
        }
    }
    if filled < out.len() {
        return Err(invalid("not enough image data"));
    }
    Ok(())
}

/// A plain file's number, checked as Pillow checks it, scaled.
fn sample_of<T: Sample>(token: &[u8], maxval: u32) -> Result<T> {
    let value = integer(token).ok_or_else(|| {
        invalid(format!("invalid literal for int() with base 10: {:?}", String::from_utf8_lossy(token)))
    })?;
    if value < 0 {
        return Err(invalid(format!("Channel value is negative: {value}")));
    }
    if value > i64::from(maxval) {
        return Err(invalid(format!("Channel value too large for this mode: {value}")));
    }
    Ok(T::scaled(value as u32, maxval))
}

fn truncated() -> CodecError {
    CodecError::damaged("PPM", "image file is truncated")
}

/// P4: rows of `width` bits, each row starting on a byte, 1 is black.
fn raw_bits(data: &[u8], width: usize, load_truncated: bool, out: &mut [u8]) -> Result<()> {
    let stride = width.div_ceil(8);
    let rows = out.len() / width;
    if data.len() < stride * rows && !load_truncated {
        return Err(truncated());
    }
    for (row, line) in data.chunks_exact(stride).zip(out.chunks_exact_mut(width)) {
        for (x, pixel) in line.iter_mut().enumerate() {
            *pixel = if row[x / 8] >> (7 - x % 8) & 1 == 1 { 0 } else { 255 };
        }
    }
    Ok(())
}

/// P5 and P6: one byte a sample when maxval is below 256, else two (big
/// endian). At maxval 255 (and a PGM at 65535) Pillow copies the samples
/// and a short file is "truncated"; otherwise its decoder scales them and a
/// short file is "not enough image data" (a `ValueError`).
/// `row` is the samples of a row (1 a pixel for grey, 3 for colour): a
/// truncated file keeps its whole rows, as Pillow's raw decoder keeps them.
fn raw_samples<T: Sample>(
    data: &[u8],
    maxval: u32,
    grey: bool,
    row: usize,
    load_truncated: bool,
    out: &mut [T],
) -> Result<()> {
    let wide = maxval > 255;
    let sample_bytes = if wide { 2 } else { 1 };
    if data.len() < out.len() * sample_bytes {
        let copied = maxval == 255 || (grey && maxval == 65_535);
        if !copied {
            return Err(invalid("not enough image data"));
        }
        if !load_truncated {
            return Err(truncated());
        }
    }
    let whole = out.len().min(data.len() / sample_bytes / row * row);
    let out = &mut out[..whole];
    if maxval == 255 {
        for (sample, &byte) in out.iter_mut().zip(data) {
            *sample = T::byte(byte);
        }
    } else if wide {
        for (sample, bytes) in out.iter_mut().zip(data.chunks_exact(2)) {
            *sample = T::scaled(u32::from(u16::from_be_bytes([bytes[0], bytes[1]])).min(maxval), maxval);
        }
    } else {
        for (sample, &byte) in out.iter_mut().zip(data) {
            *sample = T::scaled(u32::from(byte).min(maxval), maxval);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::{ErrorKind, decode_with_each_byte_flipped};

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    fn grey(file: &[u8]) -> Vec<u8> {
        decode_ppm(file, LIMITS).unwrap().pixels.chunks_exact(4).map(|pixel| pixel[0]).collect()
    }

    fn wide_grey(file: &[u8]) -> Vec<u32> {
        let decoded = decode_ppm(file, LIMITS).unwrap();
        assert_eq!(decoded.mode, "I");
        decoded
            .pixels
            .chunks_exact(4)
            .map(|pixel| u32::from_le_bytes([pixel[0], pixel[1], pixel[2], pixel[3]]))
            .collect()
    }

    fn rgb(file: &[u8]) -> Vec<u8> {
        decode_ppm(file, LIMITS)
            .unwrap()
            .pixels
            .chunks_exact(4)
            .flat_map(|pixel| [pixel[0], pixel[1], pixel[2]])
            .collect()
    }

    fn error(file: &[u8]) -> (ErrorKind, String) {
        let error = decode_ppm(file, LIMITS).unwrap_err();
        (error.kind(), error.to_string())
    }

    #[test]
    fn pillow_arbitrary_maxval() {
        // Tests/test_file_ppm.py test_arbitrary_maxval (the "I" files scaled to 8 bits).
        assert_eq!(grey(b"P2 3 1 4 0 2 4"), [0, 128, 255]);
        // A PGM above maxval 255 is "I", scaled to 0..65535 (Pillow's values).
        assert_eq!(wide_grey(b"P2 3 1 257 0 128 257"), [0, 32640, 65535]);
        assert_eq!(wide_grey(b"P5 3 1 257 \x00\x00\x00\x80\x01\x01"), [0, 32640, 65535]);
        assert_eq!(wide_grey(b"P5 2 1 65535 \x01\x02\xff\xfe"), [258, 65534]);
        assert_eq!(wide_grey(b"P5 2 1 1000 \x03\xe8\x04\x00"), [65535, 65535]);
        assert_eq!(rgb(b"P3 3 1 17 0 1 2 8 9 10 15 16 17"), [0, 15, 30, 120, 135, 150, 225, 240, 255]);
        assert_eq!(rgb(b"P3 3 1 257 0 1 2 128 129 130 256 257 257"), [0, 1, 2, 127, 128, 129, 254, 255, 255]);
        assert_eq!(grey(b"P5 3 1 4 \x00\x02\x04"), [0, 128, 255]);
        assert_eq!(rgb(b"P6 3 1 17 \x00\x01\x02\x08\x09\x0a\x0f\x10\x11"), [0, 15, 30, 120, 135, 150, 225, 240, 255]);
        let wide = b"P6 3 1 257 \x00\x00\x00\x01\x00\x02\x00\x80\x00\x81\x00\x82\x01\x00\x01\x01\xff\xff";
        assert_eq!(rgb(wide), [0, 1, 2, 127, 128, 129, 254, 255, 255]);
        // A raw sample above maxval is clamped.
        assert_eq!(grey(b"P5 1 1 4 \x09"), [255]);
    }

    #[test]
    fn bitmaps_and_comments() {
        assert_eq!(grey(b"P1\n3 2\n1 0 1\n011"), [0, 255, 0, 255, 0, 0]);
        assert_eq!(grey(b"P4\n10 1\n\xA0\x40"), [0, 255, 0, 255, 255, 255, 255, 255, 255, 0]);
        // A comment inside a header number joins its halves (Pillow's test_header_with_comments).
        let header = read_header(b"P6 #comment\n#comment\r12#comment\r8\n128 #comment\n255\n").unwrap();
        assert_eq!((header.width, header.height, header.maxval), (128, 128, 255));
        assert_eq!(grey(b"P2\n3 1\n4\n# comment\n0 2#x\n 4# end"), [0, 128, 255]);
        assert_eq!(decode_ppm(b"P6 1 1 255 abc", LIMITS).unwrap().pixels, [b'a', b'b', b'c', 255]);
    }

    #[test]
    fn errors_are_pillows() {
        use ErrorKind::{BadFile, OutOfRange};
        let value_error = |file: &[u8], text: &str| {
            let (kind, message) = error(file);
            assert_eq!(kind, OutOfRange, "{message}");
            assert!(message.contains(text), "{message} lacks {text}");
        };
        value_error(b"P6", "Reached EOF while reading header");
        value_error(b"P6\nTEST", "invalid literal for int()");
        value_error(b"P6\n 01234567890", "Token too long in file header: 01234567890");
        value_error(b"P6\n3 1 0", "maxval must be greater than 0 and less than 65536");
        value_error(b"P6\n3 1 65536", "maxval must be greater than 0 and less than 65536");
        value_error(b"P1\n128 128\n", "not enough image data");
        value_error(b"P1\n128 128\n1009", "Invalid token for this mode: 9");
        value_error(b"P3\n128 128\n255\n100A", "invalid literal");
        value_error(b"P3\n128 128\n255\n012345678910", "Token too long found in data");
        value_error(b"P3\n128 128\n255\n-1", "Channel value is negative: -1");
        value_error(b"P3\n128 128\n255\n256", "Channel value too large for this mode: 256");
        value_error(b"P2 1 2 255 255", "not enough image data");
        value_error(b"P5 3 1 4", "not enough image data");
        assert_eq!(
            error(b"P5 3 1 255 \x01\x02"),
            (BadFile, "cannot read the PPM file: image file is truncated".into())
        );
        assert_eq!(error(b"P4 9 1 \x01").0, BadFile);
        assert_eq!(error(b"P6 -1 1 255").0, BadFile);
        assert_eq!(error(b"P6 70000 1 255").0, ErrorKind::Bomb);
        assert!(!is_ppm(b"P7 1 1") && !is_ppm(b"P6x") && is_ppm(b"P6"));
    }

    #[test]
    fn load_truncated_keeps_what_a_copied_file_holds() {
        let lenient = |file: &[u8]| decode_ppm_with(file, LIMITS, true);
        // Whole rows only, as Pillow's raw decoder keeps them.
        let pixels = lenient(b"P5 3 2 255 \x01\x02\x03\x04").unwrap().pixels;
        assert_eq!(pixels.chunks(4).map(|pixel| pixel[0]).collect::<Vec<u8>>(), [1, 2, 3, 0, 0, 0]);
        // A white first row; the missing second is zero, black in Pillow's "1".
        let greys: Vec<u8> = lenient(b"P4 9 2 \x00\x00").unwrap().pixels.chunks(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [[255; 9], [0; 9]].concat());
        // Pillow's own decoders (maxval not 255, plain files) still raise.
        assert_eq!(lenient(b"P5 3 1 4 \x01").unwrap_err().kind(), ErrorKind::OutOfRange);
        assert_eq!(lenient(b"P2 3 1 4 1").unwrap_err().kind(), ErrorKind::OutOfRange);
    }

    #[test]
    fn damaged_files_never_panic() {
        for file in
            [&b"P3 2 2 9 1 2 3 4 5 6 7 8 9 # x\n 1 2 3"[..], b"P4 9 2 \x01\x02\x03\x04", b"P5 2 1 300 \x01\x02\x03\x04"]
        {
            decode_with_each_byte_flipped(file, 0, &[0x01, 0x10, 0x80, 0xFF], |flipped| {
                drop(decode_ppm(flipped, LIMITS))
            });
        }
    }
}
