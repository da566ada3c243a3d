//! PNG: decoding into RGBA and encoding from it, with the `png` crate.
//! Decoding reads the header first and checks the size the file claims
//! against the limits before anything is allocated, so a tiny file claiming
//! 65535x65535 pixels is refused, not attempted.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, Layout, expand_to_rgba};
use std::io::Cursor;

/// The eight bytes every PNG file starts with.
pub const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];

/// Memory the decoder may use besides the output pixels (its row buffers,
/// the inflate window, a palette, kept chunks).
const DECODER_WORKSPACE_BYTES: usize = 16 * 1024 * 1024;

/// True when `file` starts like a PNG file.
pub fn is_png(file: &[u8]) -> bool {
    file.starts_with(&PNG_SIGNATURE)
}

/// The first frame of a PNG file as RGBA, 8 bits per channel: greyscale is
/// spread to red, green and blue, palettes and `tRNS` transparency are
/// expanded, 16-bit samples keep their high byte.
pub fn decode_png(file: &[u8], limits: Limits) -> Result<Decoded> {
    if !is_png(file) {
        return Err(damaged("it does not start with the PNG signature"));
    }
    let output_len = {
        let mut probe = png::Decoder::new(Cursor::new(file));
        let header = probe.read_header_info().map_err(decoding_error)?;
        limits.rgba_len("PNG", header.width, header.height)?
    };
    let mut decoder =
        png::Decoder::new_with_limits(Cursor::new(file), png::Limits { bytes: output_len + DECODER_WORKSPACE_BYTES });
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    decoder.set_ignore_text_chunk(true);
    decoder.set_ignore_iccp_chunk(true);
    let mut reader = decoder.read_info().map_err(decoding_error)?;
    let (width, height) = (reader.info().width, reader.info().height);
    let mut pixels = try_alloc(output_len)?;
    let frame = reader.next_frame(&mut pixels).map_err(decoding_error)?;
    let channels = match frame.color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => return Err(damaged("its palette could not be expanded")),
    };
    expand_to_rgba(&mut pixels, channels);
    Ok(Decoded { width, height, pixels })
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
    fn compress_level_is_checked() {
        assert_eq!(
            png_compression(Some(10)).unwrap_err().to_string(),
            "compress_level must be a whole number from 0 to 9, got 10"
        );
    }
}
