//! WebP: lossy and lossless, with or without alpha (the first frame of an
//! animation), with `image-webp`. The canvas size in the header is checked
//! against the limits before the output is allocated. Written lossless
//! (image-webp has no lossy encoder), with an ICC profile and EXIF.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, Layout, expand_to_rgba};
use std::io::Cursor;

/// True when `file` starts like a WebP file (a RIFF container of WEBP).
pub fn is_webp(file: &[u8]) -> bool {
    file.len() >= 12 && &file[..4] == b"RIFF" && &file[8..12] == b"WEBP"
}

/// A lossless WebP of `width` x `height` `pixels` in `layout`, with
/// `icc_profile` and `exif` chunks when they are not empty.
pub fn encode_webp(
    pixels: &[u8],
    width: u32,
    height: u32,
    layout: Layout,
    icc_profile: Vec<u8>,
    exif: Vec<u8>,
) -> Result<Vec<u8>> {
    if width > 16_384 || height > 16_384 {
        let reason = format!("{width}x{height} is larger than WebP's 16384x16384");
        return Err(CodecError::CannotWrite { format: "WebP", reason });
    }
    let colour = match layout {
        Layout::L => image_webp::ColorType::L8,
        Layout::La => image_webp::ColorType::La8,
        Layout::Rgb => image_webp::ColorType::Rgb8,
        Layout::Rgba => image_webp::ColorType::Rgba8,
    };
    let mut file = Vec::new();
    let mut encoder = image_webp::WebPEncoder::new(&mut file);
    encoder.set_icc_profile(icc_profile);
    encoder.set_exif_metadata(exif);
    encoder
        .encode(pixels, width, height, colour)
        .map_err(|error| CodecError::CannotWrite { format: "WebP", reason: error.to_string() })?;
    Ok(file)
}

pub fn decode_webp(file: &[u8], limits: Limits) -> Result<Decoded> {
    let mut decoder = image_webp::WebPDecoder::new(Cursor::new(file)).map_err(damaged)?;
    let (width, height) = decoder.dimensions();
    let len = limits.rgba_len("WebP", width, height)?;
    check_lossy_sizes(file, width, height)?;
    // The decoder's own buffers are bounded by the picture's size.
    decoder.set_memory_limit(len.saturating_mul(2));
    let channels = if decoder.has_alpha() { 4 } else { 3 };
    if decoder.output_buffer_size() != Some(len / 4 * channels) {
        return Err(CodecError::damaged("WebP", "its size does not match its image data"));
    }
    let mut pixels = try_alloc(len)?;
    decoder.read_image(&mut pixels[..len / 4 * channels]).map_err(damaged)?;
    expand_to_rgba(&mut pixels, channels);
    Ok(Decoded::rgba(width, height, pixels))
}

/// image-webp sizes a lossy (VP8) bitstream's planes from the bitstream's
/// own header and compares that with the picture's size only afterwards,
/// so a 1x1 picture whose VP8 data claims 16383x16383 would allocate some
/// 400 MB first. Every VP8 bitstream, alone or in an animation frame, is
/// checked here against the size it must have before decoding starts.
fn check_lossy_sizes(file: &[u8], width: u32, height: u32) -> Result<()> {
    for (fourcc, data) in riff_chunks(file, 12) {
        match fourcc {
            b"VP8 " => check_vp8_size(data, width, height)?,
            b"ANMF" if data.len() >= 16 => {
                let frame_width = u32::from_le_bytes([data[6], data[7], data[8], 0]) + 1;
                let frame_height = u32::from_le_bytes([data[9], data[10], data[11], 0]) + 1;
                for (inner, inner_data) in riff_chunks(data, 16) {
                    if inner == b"VP8 " {
                        check_vp8_size(inner_data, frame_width, frame_height)?;
                    }
                }
            }
            _ => {}
        }
    }
    Ok(())
}

/// The chunks of a RIFF body from `start` on: four-character code and data
/// (cut short where the file is).
fn riff_chunks(body: &[u8], start: usize) -> impl Iterator<Item = (&[u8], &[u8])> {
    let mut at = start;
    std::iter::from_fn(move || {
        let header = body.get(at..at.checked_add(8)?)?;
        let size = u32::from_le_bytes([header[4], header[5], header[6], header[7]]) as usize;
        let data = &body[at + 8..(at + 8).saturating_add(size).min(body.len())];
        at = at.saturating_add(8).saturating_add(size).saturating_add(size % 2);
        Some((&header[..4], data))
    })
}

/// A VP8 key frame's header: a 3-byte tag, the start code 9D 01 2A, then
/// width and height in 14 bits each.
fn check_vp8_size(data: &[u8], width: u32, height: u32) -> Result<()> {
    if data.len() < 10 || data[3..6] != [0x9D, 0x01, 0x2A] {
        return Ok(());
    }
    let claimed_width = u32::from(u16::from_le_bytes([data[6], data[7]]) & 0x3FFF);
    let claimed_height = u32::from(u16::from_le_bytes([data[8], data[9]]) & 0x3FFF);
    if (claimed_width, claimed_height) != (width, height) {
        return Err(CodecError::damaged(
            "WebP",
            format!("its lossy image data is {claimed_width}x{claimed_height}, not the {width}x{height} of its frame"),
        ));
    }
    Ok(())
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
    fn lossless_writing_round_trips_every_layout() {
        let rgba: Vec<u8> = (0..5 * 3 * 4).map(|index| (index * 37 % 256) as u8).collect();
        for (layout, channels) in [(Layout::L, 1), (Layout::La, 2), (Layout::Rgb, 3), (Layout::Rgba, 4)] {
            let pixels: Vec<u8> = rgba.chunks(4).flat_map(|pixel| pixel[..channels].to_vec()).collect();
            let file = encode_webp(&pixels, 5, 3, layout, vec![], vec![]).unwrap();
            let decoded = decode_webp(&file, LIMITS).unwrap();
            let mut expected = pixels.clone();
            expected.resize(5 * 3 * 4, 0);
            crate::rgba::expand_to_rgba(&mut expected, channels);
            assert_eq!(decoded.pixels, expected, "{layout:?}");
        }
        let with_metadata = encode_webp(&rgba, 5, 3, Layout::Rgba, vec![1, 2, 3], b"Exif".to_vec()).unwrap();
        assert!(with_metadata.windows(4).any(|fourcc| fourcc == b"ICCP"));
        assert_eq!(decode_webp(&with_metadata, LIMITS).unwrap().pixels, rgba);
        assert!(encode_webp(&[0; 4], 20_000, 1, Layout::L, vec![], vec![]).is_err());
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
