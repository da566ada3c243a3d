//! WebP: lossy and lossless, with or without alpha (the first frame of an
//! animation), with `image-webp`. The canvas size in the header is checked
//! against the limits before the output is allocated.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, expand_to_rgba};
use std::io::Cursor;

/// True when `file` starts like a WebP file (a RIFF container of WEBP).
pub fn is_webp(file: &[u8]) -> bool {
    file.len() >= 12 && &file[..4] == b"RIFF" && &file[8..12] == b"WEBP"
}

pub fn decode_webp(file: &[u8], limits: Limits) -> Result<Decoded> {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(file)).map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    let len = limits.rgba_len("WebP", width, height)?;
    // The decoder's own buffers are bounded by the picture's size.
    decoder.set_memory_limit(len.saturating_mul(2));
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    if decoder.output_buffer_size() != Some(len / 4 * channels) {
        return Err(CodecError::damaged("WebP", "its size does not match its image data"));
    }
    let mut pixels = try_alloc(len)?;
    decoder.read_image(&mut pixels[..len / 4 * channels]).map_err(damaged)?;
    expand_to_rgba(&mut pixels, channels);
    Ok(Decoded { width, height, pixels })
}

fn damaged(error: image_webp::DecodingError) -> CodecError {
    let reason = match &error {
        image_webp::DecodingError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "it is truncated".to_string()
        }
        other => other.to_string(),
    };
    CodecError::damaged("WebP", reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    fn lossless(width: u32, height: u32, rgba: &[u8]) -> Vec<u8> {
        let mut file = Vec::new();
        image_webp::WebPEncoder::new(&mut file).encode(rgba, width, height, image_webp::ColorType::Rgba8).unwrap();
        file
    }

    #[test]
    fn lossless_round_trip_is_exact() {
        let rgba: Vec<u8> = (0..5 * 3 * 4).map(|value| (value * 29 % 256) as u8).collect();
        let file = lossless(5, 3, &rgba);
        assert!(is_webp(&file));
        let decoded = decode_webp(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (5, 3));
        assert_eq!(decoded.pixels, rgba);
    }

    #[test]
    fn truncated_oversized_and_damaged_files_give_errors() {
        let rgba: Vec<u8> = (0..16 * 16 * 4).map(|value| (value * 7 % 256) as u8).collect();
        let file = lossless(16, 16, &rgba);
        for cut in [12, 20, 30, file.len() / 2, file.len() - 1] {
            let error = decode_webp(&file[..cut], LIMITS).unwrap_err();
            assert!(error.to_string().starts_with("cannot read the WebP file: "), "cut {cut}: {error}");
        }
        let small = Limits { max_side: 8, max_pixels: 64 };
        assert_eq!(
            decode_webp(&file, small).unwrap_err().to_string(),
            "the WebP file claims 16x16 pixels, too large: width must be at most 8, got 16"
        );
        decode_with_each_byte_flipped(&file, 12, &[0x6C], |flipped| drop(decode_webp(flipped, LIMITS)));
    }
}
