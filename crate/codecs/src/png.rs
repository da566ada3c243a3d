//! PNG: decoding into RGBA and encoding from it, with the `png` crate.
//! Decoding reads the header first and checks the size the file claims
//! against the limits before anything is allocated, so a tiny file claiming
//! 65535x65535 pixels is refused, not attempted.

use crate::error::{CodecError, DECODE_WORKSPACE_BYTES, Limits, Result, try_alloc};
use crate::rgba::{Decoded, Layout, expand_to_rgba};
use std::cell::Cell;
use std::io::{self, BufRead, Cursor, Read, Seek, SeekFrom};
use std::rc::Rc;

/// The eight bytes every PNG file starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// Bytes of the file the image data may go on for after its last row: the
/// end of the deflate stream, its checksum and the chunks' framing, with
/// room for writers that flush an empty block or split off a last chunk.
/// Deflate inflates at most about 1032 times, so what this lets through is
/// at most some 260 KB of data no pixel uses; a longer stream is refused.
pub const TRAILING_DATA_ALLOWANCE: usize = 256;

/// True when `file` starts like a PNG file.
pub fn is_png(file: &[u8]) -> bool {
    file.starts_with(&PNG_SIGNATURE)
}

/// The first frame of a PNG file as RGBA, 8 bits per channel: greyscale is
/// spread to red, green and blue, palettes and `tRNS` transparency are
/// expanded, 16-bit samples keep their high byte (what an icon needs).
pub fn decode_png(file: &[u8], limits: Limits) -> Result<Decoded> {
    decode_png_with(file, limits, false).map(Decoded::into_rgba)
}

/// What a PNG's samples become: 8-bit RGBA, or as Pillow keeps them.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Output {
    Rgba,
    /// Palette indices of this many bits, stored as "P".
    Index(u8),
    /// 16-bit greys, stored as "I;16".
    Grey16,
}

/// The first frame of a PNG file in Pillow's mode for it: palette files
/// as indices ("P", with their palette and `tRNS` alpha), 16-bit greys as
/// "I;16", the rest as 8-bit RGBA (16-bit colour keeps its high byte, as
/// Pillow's "RGB" and "RGBA" do). The rows are read one by one, so that
/// once the last is in, the rest of the compressed stream may take only
/// [`TRAILING_DATA_ALLOWANCE`] more bytes of the file: a stream that
/// inflates past the pixels it claims is refused, not inflated. With
/// `load_truncated` (Pillow's `ImageFile.LOAD_TRUNCATED_IMAGES`) the rows
/// decoded before the data ends or goes wrong are kept, the rest left zero,
/// as Pillow leaves them.
pub fn decode_png_with(file: &[u8], limits: Limits, load_truncated: bool) -> Result<Decoded> {
    if !is_png(file) {
        return Err(damaged("it does not start with the PNG signature"));
    }
    check_palettes(file)?;
    let (output_len, output) = {
        let mut probe = png::Decoder::new(Cursor::new(file));
        let header = probe.read_header_info().map_err(decoding_error)?;
        let output = match (header.color_type, header.bit_depth) {
            (png::ColorType::Indexed, depth) => Output::Index(depth as u8),
            (png::ColorType::Grayscale, png::BitDepth::Sixteen) => Output::Grey16,
            _ => Output::Rgba,
        };
        (limits.rgba_len("PNG", header.width, header.height)?, output)
    };
    let meter = Rc::new(Meter::default());
    let input = MeteredFile { file, meter: Rc::clone(&meter) };
    let mut decoder = png::Decoder::new_with_limits(input, png::Limits { bytes: output_len + DECODE_WORKSPACE_BYTES });
    decoder.set_transformations(if output == Output::Rgba {
        png::Transformations::normalize_to_color8()
    } else {
        png::Transformations::IDENTITY
    });
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    let mut reader = decoder.read_info().map_err(decoding_error)?;
    let (width, height) = (reader.info().width, reader.info().height);
    let passes = Passes::of(reader.info());
    let bits_per_pixel: u8 = match (output, reader.output_color_type().0) {
        (Output::Index(depth), _) => depth,
        (Output::Grey16, _) => 16,
        (_, png::ColorType::Grayscale) => 8,
        (_, png::ColorType::GrayscaleAlpha) => 16,
        (_, png::ColorType::Rgb) => 24,
        (_, png::ColorType::Rgba) => 32,
        (_, png::ColorType::Indexed) => return Err(damaged("its palette could not be expanded")),
    };
    let palette: Vec<[u8; 4]> = match output {
        Output::Index(_) => {
            let info = reader.info();
            let alpha = info.trns.as_deref().unwrap_or(&[]);
            let colours = info.palette.as_deref().unwrap_or(&[]);
            colours
                .chunks_exact(3)
                .enumerate()
                .map(|(index, rgb)| [rgb[0], rgb[1], rgb[2], alpha.get(index).copied().unwrap_or(255)])
                .collect()
        }
        _ => Vec::new(),
    };
    let finish = |mut pixels: Vec<u8>| {
        spread(&mut pixels, width as usize, output, bits_per_pixel);
        match output {
            Output::Rgba => Decoded::rgba(width, height, pixels),
            Output::Index(_) => Decoded::indexed(width, height, pixels, palette.clone()),
            Output::Grey16 => Decoded { mode: "I;16", ..Decoded::rgba(width, height, pixels) },
        }
    };
    let line_len = (width as usize * usize::from(bits_per_pixel)).div_ceil(8);
    let mut pixels = try_alloc(output_len)?;
    for line in 0..passes.rows {
        let row = match reader.next_interlaced_row() {
            Ok(Some(row)) => row,
            _ if load_truncated => return Ok(finish(pixels)),
            Ok(None) => return Err(damaged("it is truncated")),
            Err(error) => return Err(decoding_error(error)),
        };
        match row.interlace() {
            png::InterlaceInfo::Adam7(pass) => {
                png::expand_interlaced_row(&mut pixels, line_len, row.data(), pass, bits_per_pixel);
            }
            png::InterlaceInfo::Null(_) => {
                pixels[line as usize * line_len..][..line_len].copy_from_slice(row.data());
            }
        }
    }
    meter.allow_only(TRAILING_DATA_ALLOWANCE);
    match reader.next_interlaced_row() {
        Ok(None) => {}
        Ok(Some(_)) => return Err(damaged("it holds more rows than its header claims")),
        Err(png::DecodingError::IoError(error)) if error.get_ref().is_some_and(|inner| inner.is::<PastAllowance>()) => {
            // Pillow stops at the last row and ignores what follows; so do
            // we when the stream ends there and only more chunks (an IDAT
            // after the image's end) follow. A stream that goes on is a bomb.
            if !stream_ends_within(file, passes.stream_len as usize + TRAILING_DATA_ALLOWANCE) {
                return Err(CodecError::Bomb {
                    format: "PNG",
                    reason: format!(
                        "its compressed pixels go on past the {} bytes its {width}x{height} pixels need",
                        passes.stream_len
                    ),
                });
            }
        }
        // All rows are in: what is damaged after them is the chunks Pillow
        // reads after the image data, which it skips when loading truncated files.
        Err(_) if load_truncated => {}
        Err(other) => return Err(decoding_error(other)),
    }
    Ok(finish(pixels))
}

/// Spreads the rows packed at the front of `pixels` (`bits_per_pixel`
/// each, rows padded to a byte) over the whole buffer, 4 bytes a pixel in
/// `output`'s stored layout. Works from the last pixel back: no pixel is
/// written before the packed bytes under it are read.
fn spread(pixels: &mut [u8], width: usize, output: Output, bits_per_pixel: u8) {
    match output {
        Output::Rgba => expand_to_rgba(pixels, usize::from(bits_per_pixel / 8)),
        Output::Index(bits) => {
            let bits = usize::from(bits);
            let line_len = (width * bits).div_ceil(8);
            let mask = ((1u16 << bits) - 1) as u8;
            for index in (0..pixels.len() / 4).rev() {
                let (row, x) = (index / width, index % width);
                let byte = pixels[row * line_len + x * bits / 8];
                let value = (byte >> (8 - bits - x * bits % 8)) & mask;
                pixels[index * 4..][..4].copy_from_slice(&[value, value, value, 255]);
            }
        }
        Output::Grey16 => {
            for index in (0..pixels.len() / 4).rev() {
                let (high, low) = (pixels[index * 2], pixels[index * 2 + 1]);
                pixels[index * 4..][..4].copy_from_slice(&[low, high, 0, 0]);
            }
        }
    }
}

/// Refuses a palette that is not whole 3-byte colours: the png crate takes
/// any `PLTE` of 3 to 768 bytes and its palette expansion then reads past
/// the end of a 4- or 5-byte one (a panic, a trap in wasm). Walks the
/// chunks as far as their lengths lead, before the png crate reads them.
fn check_palettes(file: &[u8]) -> Result<()> {
    let mut at = PNG_SIGNATURE.len();
    while let Some(header) = file.get(at..at + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        if &header[4..8] == b"PLTE" && len % 3 != 0 {
            return Err(damaged(&format!("its palette (PLTE) is {len} bytes, not a whole number of 3-byte colours")));
        }
        at = at.saturating_add(12).saturating_add(len);
    }
    Ok(())
}

/// True when the zlib stream of `file`'s IDAT chunks ends within `limit`
/// inflated bytes (inflating no further than that).
fn stream_ends_within(file: &[u8], limit: usize) -> bool {
    let mut stream = Vec::new();
    let mut at = PNG_SIGNATURE.len();
    while let Some(header) = file.get(at..at + 8) {
        let len = u32::from_be_bytes([header[0], header[1], header[2], header[3]]) as usize;
        let body = file.get(at + 8..).map_or(&[][..], |rest| &rest[..len.min(rest.len())]);
        if &header[4..8] == b"IDAT" {
            stream.extend_from_slice(body);
        } else if !stream.is_empty() {
            break;
        }
        at = at.saturating_add(12).saturating_add(len);
    }
    !matches!(
        fdeflate::decompress_to_vec_bounded(&stream, limit),
        Err(fdeflate::BoundedDecompressionError::OutputTooLarge { .. })
    )
}

/// The rows in a PNG's image data, and the bytes they inflate to (each row
/// with its filter byte): seven passes of Adam7 when interlaced, in which
/// passes that have no columns hold no rows.
struct Passes {
    rows: u64,
    stream_len: u64,
}

impl Passes {
    /// Each Adam7 pass: first column, first row, column step, row step.
    const ADAM7: [(u32, u32, u32, u32); 7] =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];

    fn of(info: &png::Info) -> Self {
        let (width, height) = (info.width, info.height);
        let passes: &[(u32, u32, u32, u32)] = if info.interlaced { &Self::ADAM7 } else { &[(0, 0, 1, 1)] };
        let (mut rows, mut stream_len) = (0, 0);
        for &(column, row, column_step, row_step) in passes {
            let columns = width.saturating_sub(column).div_ceil(column_step);
            let lines = u64::from(height.saturating_sub(row).div_ceil(row_step));
            if columns > 0 {
                rows += lines;
                stream_len += lines * info.raw_row_length_from_width(columns) as u64;
            }
        }
        Self { rows, stream_len }
    }
}

/// How far the png crate has read into the file, and how far it may.
#[derive(Default)]
struct Meter {
    position: Cell<usize>,
    limit: Cell<Option<usize>>,
}

impl Meter {
    /// From now on, only `bytes` more of the file may be read.
    fn allow_only(&self, bytes: usize) {
        self.limit.set(Some(self.position.get().saturating_add(bytes)));
    }
}

/// Why reading stopped: the file went on past its allowance.
#[derive(Debug)]
struct PastAllowance;

impl std::fmt::Display for PastAllowance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("the image data goes on past its allowance")
    }
}

impl std::error::Error for PastAllowance {}

/// A PNG file as the png crate reads it (a `Cursor` that stops at the
/// meter's limit).
struct MeteredFile<'a> {
    file: &'a [u8],
    meter: Rc<Meter>,
}

impl Read for MeteredFile<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let available = self.fill_buf()?;
        let count = available.len().min(buf.len());
        buf[..count].copy_from_slice(&available[..count]);
        self.consume(count);
        Ok(count)
    }
}

impl BufRead for MeteredFile<'_> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        let end = self.meter.limit.get().map_or(self.file.len(), |limit| limit.min(self.file.len()));
        let position = self.meter.position.get();
        if position >= end && end < self.file.len() {
            return Err(io::Error::other(PastAllowance));
        }
        Ok(&self.file[position.min(end)..end])
    }

    fn consume(&mut self, count: usize) {
        self.meter.position.set(self.meter.position.get() + count);
    }
}

impl Seek for MeteredFile<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let target = match to {
            SeekFrom::Start(offset) => Some(offset),
            SeekFrom::End(offset) => (self.file.len() as u64).checked_add_signed(offset),
            SeekFrom::Current(offset) => (self.meter.position.get() as u64).checked_add_signed(offset),
        };
        let target = target.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        let position = usize::try_from(target).unwrap_or(usize::MAX).min(self.file.len());
        self.meter.position.set(position);
        Ok(position as u64)
    }
}

/// How hard the encoder compresses, as Pillow's `compress_level`: 0 stores
/// the pixels as they are, 1 (fastest) to 9 (smallest); `None` is a fast
/// encoder with a good ratio.
pub fn png_compression(level: Option<u8>) -> Result<png::DeflateCompression> {
    match level {
        None => Ok(png::DeflateCompression::FdeflateUltraFast),
        Some(0) => Ok(png::DeflateCompression::NoCompression),
        Some(level @ 1..=9) => Ok(png::DeflateCompression::Level(level)),
        Some(level) => Err(CodecError::BadNumber {
            name: "compress_level",
            value: f64::from(level),
            expected: "a whole number from 0 to 9",
        }),
    }
}

/// An 8-bit PNG file of a `width` x `height` picture in `layout`.
pub fn encode_png(
    pixels: &[u8],
    width: u32,
    height: u32,
    layout: Layout,
    compression: png::DeflateCompression,
) -> Result<Vec<u8>> {
    let raw = pixels.len();
    // Room for the worst case (stored deflate blocks, one filter byte a row,
    // the chunks), reserved up front so that growing never aborts.
    let capacity = raw + height as usize + raw / 16_000 * 5 + 4096;
    let mut file = Vec::new();
    file.try_reserve_exact(capacity).map_err(|_| CodecError::OutOfMemory { bytes: capacity })?;
    let mut encoder = png::Encoder::new(&mut file, width, height);
    encoder.set_color(match layout {
        Layout::L => png::ColorType::Grayscale,
        Layout::La => png::ColorType::GrayscaleAlpha,
        Layout::Rgb => png::ColorType::Rgb,
        Layout::Rgba => png::ColorType::Rgba,
    });
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_deflate_compression(compression);
    let mut writer = encoder.write_header().map_err(encoding_error)?;
    writer.write_image_data(pixels).map_err(encoding_error)?;
    writer.finish().map_err(encoding_error)?;
    Ok(file)
}

fn damaged(reason: &str) -> CodecError {
    CodecError::damaged("PNG", reason)
}

fn decoding_error(error: png::DecodingError) -> CodecError {
    match error {
        png::DecodingError::IoError(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => {
            damaged("it is truncated")
        }
        png::DecodingError::LimitsExceeded => {
            damaged("decoding it would need more memory than its pixels (a decompression bomb?)")
        }
        other => damaged(&other.to_string()),
    }
}

fn encoding_error(error: png::EncodingError) -> CodecError {
    CodecError::CannotWrite { format: "PNG", reason: error.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;
    use crate::handmade::{ihdr, png_of, zlib_stored};

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    fn picture() -> Vec<u8> {
        (0..7 * 5 * 4).map(|value| (value * 37 % 256) as u8).collect()
    }

    fn decode(file: &[u8]) -> Result<Decoded> {
        decode_png(file, LIMITS)
    }

    fn pixels_of(file: &[u8]) -> Vec<u8> {
        decode(file).unwrap().pixels
    }

    fn encode_with(width: u32, height: u32, colour: png::ColorType, depth: png::BitDepth, data: &[u8]) -> Vec<u8> {
        let mut file = Vec::new();
        let mut encoder = png::Encoder::new(&mut file, width, height);
        encoder.set_color(colour);
        encoder.set_depth(depth);
        if colour == png::ColorType::Indexed {
            encoder.set_palette(vec![10, 20, 30, 200, 100, 50]);
            encoder.set_trns(vec![128, 255]);
        }
        let mut writer = encoder.write_header().unwrap();
        writer.write_image_data(data).unwrap();
        writer.finish().unwrap();
        file
    }

    #[test]
    fn round_trip_at_every_compression_level() {
        let image = picture();
        for level in [None, Some(0), Some(1), Some(6), Some(9)] {
            let file = encode_png(&image, 7, 5, Layout::Rgba, png_compression(level).unwrap()).unwrap();
            assert!(is_png(&file));
            let decoded = decode(&file).unwrap();
            assert_eq!((decoded.width, decoded.height), (7, 5));
            assert_eq!(decoded.pixels, image, "level {level:?}");
        }
    }

    #[test]
    fn other_colour_types_become_rgba() {
        let grey = encode_with(2, 1, png::ColorType::Grayscale, png::BitDepth::Eight, &[0, 200]);
        assert_eq!(pixels_of(&grey), &[0, 0, 0, 255, 200, 200, 200, 255]);
        let grey_alpha = encode_with(1, 1, png::ColorType::GrayscaleAlpha, png::BitDepth::Eight, &[90, 7]);
        assert_eq!(pixels_of(&grey_alpha), &[90, 90, 90, 7]);
        let rgb = encode_with(2, 1, png::ColorType::Rgb, png::BitDepth::Eight, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(pixels_of(&rgb), &[1, 2, 3, 255, 4, 5, 6, 255]);
        let rgb16 = encode_with(1, 1, png::ColorType::Rgb, png::BitDepth::Sixteen, &[1, 2, 3, 4, 5, 6]);
        assert_eq!(pixels_of(&rgb16), &[1, 3, 5, 255]);
        // Two pixels per byte at 4 bits: indices 0 and 1.
        let indexed = encode_with(2, 1, png::ColorType::Indexed, png::BitDepth::Four, &[0x01]);
        assert_eq!(pixels_of(&indexed), &[10, 20, 30, 128, 200, 100, 50, 255]);
        let one_bit = encode_with(3, 1, png::ColorType::Grayscale, png::BitDepth::One, &[0b1010_0000]);
        assert_eq!(pixels_of(&one_bit), &[255, 255, 255, 255, 0, 0, 0, 255, 255, 255, 255, 255]);
    }

    #[test]
    fn palettes_and_16_bit_greys_keep_pillows_modes() {
        // Indices 0, 1, 0 at 2 bits; the palette with tRNS alpha.
        let indexed = encode_with(3, 1, png::ColorType::Indexed, png::BitDepth::Two, &[0b0001_0000]);
        let decoded = decode_png_with(&indexed, LIMITS, false).unwrap();
        assert_eq!(decoded.mode, "P");
        assert_eq!(decoded.pixels, [0, 0, 0, 255, 1, 1, 1, 255, 0, 0, 0, 255]);
        assert_eq!(decoded.palette, [[10, 20, 30, 128], [200, 100, 50, 255]]);
        let grey16 = encode_with(2, 1, png::ColorType::Grayscale, png::BitDepth::Sixteen, &[1, 2, 255, 254]);
        let decoded = decode_png_with(&grey16, LIMITS, false).unwrap();
        assert_eq!(decoded.mode, "I;16");
        assert_eq!(decoded.pixels, [2, 1, 0, 0, 254, 255, 0, 0]);
        // Interlaced 1-bit indices: pass 1 (0,0), pass 4 (2,0), pass 6 (1,0), one row.
        let stream = [0, 0x80, 0, 0x80, 0, 0x00];
        let file = png_of(&[
            (b"IHDR", ihdr(3, 1, 1, 3, true)),
            (b"PLTE", vec![1, 2, 3, 4, 5, 6]),
            (b"IDAT", zlib_stored(&stream)),
            (b"IEND", vec![]),
        ]);
        let indices: Vec<u8> =
            decode_png_with(&file, LIMITS, false).unwrap().pixels.chunks_exact(4).map(|pixel| pixel[0]).collect();
        assert_eq!(indices, [1, 0, 1]);
    }

    /// A valid PNG header (signature and IHDR with its CRC) claiming the size.
    fn header_claiming(width: u32, height: u32) -> Vec<u8> {
        let mut file = encode_with(1, 1, png::ColorType::Rgba, png::BitDepth::Eight, &[0, 0, 0, 0]);
        file[16..20].copy_from_slice(&width.to_be_bytes());
        file[20..24].copy_from_slice(&height.to_be_bytes());
        let crc = crc32fast::hash(&file[12..29]);
        file[29..33].copy_from_slice(&crc.to_be_bytes());
        file
    }

    #[test]
    fn each_layout_is_written_as_its_own_colour_type() {
        for (layout, colour_type, pixels, rgba) in [
            (Layout::L, 0, vec![9, 200], vec![9, 9, 9, 255, 200, 200, 200, 255]),
            (Layout::La, 4, vec![9, 1, 200, 2], vec![9, 9, 9, 1, 200, 200, 200, 2]),
            (Layout::Rgb, 2, vec![1, 2, 3, 4, 5, 6], vec![1, 2, 3, 255, 4, 5, 6, 255]),
        ] {
            let file = encode_png(&pixels, 2, 1, layout, png_compression(None).unwrap()).unwrap();
            assert_eq!(file[25], colour_type, "{layout:?}");
            assert_eq!(pixels_of(&file), rgba, "{layout:?}");
        }
    }

    #[test]
    fn a_huge_claimed_size_is_refused_before_decoding() {
        let message = decode(&header_claiming(65_535, 65_535)).unwrap_err().to_string();
        assert_eq!(
            message,
            "the PNG file claims 65535x65535 pixels, too large: width must be at most 16384, got 65535"
        );
        let message = decode(&header_claiming(16_384, 16_384)).unwrap_err().to_string();
        assert!(message.starts_with("the PNG file claims 16384x16384 pixels, too large: 16384x16384 is"), "{message}");
    }

    #[test]
    fn interlaced_passes_land_in_their_places() {
        // 3x3 greyscale, Adam7: pass 1 holds (0,0), pass 4 (2,0), pass 5
        // (0,2) and (2,2), pass 6 (1,0) and (1,2), pass 7 row 1; passes 2 and
        // 3 have no pixels here. Each line starts with filter byte 0.
        let stream = [0, 10, 0, 30, 0, 70, 90, 0, 20, 0, 80, 0, 40, 50, 60];
        let file = png_of(&[(b"IHDR", ihdr(3, 3, 8, 0, true)), (b"IDAT", zlib_stored(&stream)), (b"IEND", vec![])]);
        let greys: Vec<u8> = pixels_of(&file).chunks_exact(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [10, 20, 30, 40, 50, 60, 70, 80, 90]);
    }

    #[test]
    fn a_palette_of_partial_colours_is_refused() {
        let stream = zlib_stored(&[0, 0]);
        for len in [4, 5, 7] {
            let file = png_of(&[
                (b"IHDR", ihdr(1, 1, 8, 3, false)),
                (b"PLTE", vec![9; len]),
                (b"IDAT", stream.clone()),
                (b"IEND", vec![]),
            ]);
            assert_eq!(
                decode(&file).unwrap_err().to_string(),
                format!(
                    "cannot read the PNG file: its palette (PLTE) is {len} bytes, not a whole number of 3-byte colours"
                )
            );
        }
    }

    #[test]
    fn a_stream_inflating_past_its_pixels_is_refused() {
        // A 1x1 greyscale header over the compressed rows of a 1024x1024
        // picture: the 2 bytes it needs, then a megabyte more.
        let mut file = encode_with(1024, 1024, png::ColorType::Grayscale, png::BitDepth::Eight, &vec![0; 1 << 20]);
        file[16..24].copy_from_slice(&[0, 0, 0, 1, 0, 0, 0, 1]);
        let crc = crc32fast::hash(&file[12..29]);
        file[29..33].copy_from_slice(&crc.to_be_bytes());
        let error = decode(&file).unwrap_err();
        assert_eq!(error.kind(), crate::error::ErrorKind::Bomb);
        assert_eq!(
            error.to_string(),
            "cannot read the PNG file: its compressed pixels go on past the 2 bytes its 1x1 pixels need \
             (a decompression bomb?)"
        );
        // A stream that ends with a few bytes to spare is read as before.
        let mut stream = zlib_stored(&[0, 7]);
        stream.extend([0; 16]);
        let file = png_of(&[(b"IHDR", ihdr(1, 1, 8, 0, false)), (b"IDAT", stream), (b"IEND", vec![])]);
        assert_eq!(pixels_of(&file), [7, 7, 7, 255]);
        // A whole stream followed by a copy of its IDAT (Pillow's
        // hopper_idat_after_image_end.png): the copy is ignored, as Pillow does.
        let mut stream = zlib_stored(&[0, 9]);
        stream.extend([0; 600]);
        let chunks =
            [(b"IHDR", ihdr(1, 1, 8, 0, false)), (b"IDAT", zlib_stored(&[0, 9])), (b"IDAT", stream), (b"IEND", vec![])];
        let file = png_of(&chunks);
        assert_eq!(pixels_of(&file), [9, 9, 9, 255]);
    }

    #[test]
    fn damaged_files_give_errors_not_panics() {
        let file = encode_png(&picture(), 7, 5, Layout::Rgba, png_compression(None).unwrap()).unwrap();
        assert_eq!(
            decode(b"GIF89a").unwrap_err().to_string(),
            "cannot read the PNG file: it does not start with the PNG signature"
        );
        for cut in [8, 20, 33, 40, file.len() - 17] {
            let error = decode(&file[..cut]).unwrap_err();
            assert!(error.to_string().starts_with("cannot read the PNG file: "), "cut at {cut}: {error}");
        }
        decode_with_each_byte_flipped(&file, 8, &[0x41], |flipped| drop(decode(flipped)));
    }

    #[test]
    fn load_truncated_keeps_the_rows_decoded() {
        let (width, height) = (4u32, 8u32);
        let rgb: Vec<u8> = (0..width * height * 3).map(|index| (index * 7 % 251) as u8 + 1).collect();
        let file = encode_png(&rgb, width, height, Layout::Rgb, png_compression(Some(0)).unwrap()).unwrap();
        let cut = &file[..file.len() * 3 / 4];
        assert_eq!(decode(cut).unwrap_err().to_string(), "cannot read the PNG file: it is truncated");
        let decoded = decode_png_with(cut, LIMITS, true).unwrap();
        let rows: Vec<&[u8]> = decoded.pixels.chunks(width as usize * 4).collect();
        let first: Vec<u8> = rgb[..12].chunks(3).flat_map(|pixel| [pixel[0], pixel[1], pixel[2], 255]).collect();
        assert_eq!(rows[0], &first[..]);
        assert_eq!(rows[7], [0, 0, 0, 255].repeat(4));
    }

    #[test]
    fn compress_level_is_checked() {
        assert_eq!(
            png_compression(Some(10)).unwrap_err().to_string(),
            "compress_level must be a whole number from 0 to 9, got 10"
        );
    }
}
