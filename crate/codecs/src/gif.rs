//! GIF: the first frame, with the `gif` crate, drawn at its place on the
//! logical screen; what the frame does not cover is transparent. Palette
//! entries become RGBA; the transparent index keeps its colour with alpha 0,
//! as Pillow's `convert("RGBA")` does.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::Decoded;
use std::io::Cursor;
use std::num::NonZeroU64;

/// True when `file` starts like a GIF file.
pub fn is_gif(file: &[u8]) -> bool {
    file.starts_with(b"GIF87a") || file.starts_with(b"GIF89a")
}

pub fn decode_gif(file: &[u8], limits: Limits) -> Result<Decoded> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::RGBA);
    // A frame may not need more than the largest picture allowed.
    let frame_limit = NonZeroU64::new(limits.max_pixels.saturating_mul(4)).unwrap_or(NonZeroU64::MIN);
    options.set_memory_limit(gif::MemoryLimit::Bytes(frame_limit));
    let mut decoder = options.read_info(Cursor::new(file)).map_err(damaged)?;
    let (width, height) = (u32::from(decoder.width()), u32::from(decoder.height()));
    let len = limits.rgba_len("GIF", width, height)?;
    let mut pixels = try_alloc(len)?;
    let frame =
        decoder.read_next_frame().map_err(damaged)?.ok_or_else(|| CodecError::damaged("GIF", "it has no image"))?;
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let (frame_width, frame_height) = (usize::from(frame.width), usize::from(frame.height));
    let (width, height) = (width as usize, height as usize);
    // The part of the frame that falls on the screen.
    let columns = frame_width.min(width.saturating_sub(left));
    let rows = if columns == 0 { 0 } else { frame_height.min(height.saturating_sub(top)) };
    for row in 0..rows {
        let start = row * frame_width * 4;
        let source = frame
            .buffer
            .get(start..start + columns * 4)
            .ok_or_else(|| CodecError::damaged("GIF", "it is truncated"))?;
        pixels[((top + row) * width + left) * 4..][..columns * 4].copy_from_slice(source);
    }
    Ok(Decoded { width: width as u32, height: height as u32, pixels })
}

fn damaged(error: gif::DecodingError) -> CodecError {
    let reason = match &error {
        gif::DecodingError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => "it is truncated".to_string(),
        gif::DecodingError::MemoryLimit => "a frame needs more memory than the largest picture allowed".to_string(),
        other => other.to_string(),
    };
    CodecError::damaged("GIF", reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    /// A GIF with a 4-colour palette, index 3 transparent, and one frame of
    /// `frame` size at `at` on a `screen`-sized canvas.
    fn gif_file(screen: (u16, u16), at: (u16, u16), frame: (u16, u16), indices: &[u8]) -> Vec<u8> {
        let mut file = Vec::new();
        {
            let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9];
            let mut encoder = gif::Encoder::new(&mut file, screen.0, screen.1, &palette).unwrap();
            let mut image = gif::Frame::from_indexed_pixels(frame.0, frame.1, indices.to_vec(), Some(3));
            image.left = at.0;
            image.top = at.1;
            encoder.write_frame(&image).unwrap();
        }
        file
    }

    #[test]
    fn the_first_frame_lands_on_the_screen() {
        let file = gif_file((3, 2), (1, 1), (2, 1), &[1, 3]);
        assert!(is_gif(&file));
        let decoded = decode_gif(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (3, 2));
        let mut expected = vec![0; 3 * 2 * 4];
        expected[16..24].copy_from_slice(&[0, 255, 0, 255, 9, 9, 9, 0]);
        assert_eq!(decoded.pixels, expected);
    }

    #[test]
    fn a_frame_off_the_screen_is_clipped() {
        let file = gif_file((2, 2), (1, 1), (2, 2), &[0, 1, 2, 0]);
        let decoded = decode_gif(&file, LIMITS).unwrap();
        assert_eq!(&decoded.pixels[12..16], &[255, 0, 0, 255]);
        assert_eq!(&decoded.pixels[..12], &[0; 12]);
    }

    #[test]
    fn truncated_and_oversized_files_give_errors() {
        let file = gif_file((4, 4), (0, 0), (4, 4), &[1; 16]);
        for cut in [6, 12, 20, file.len() - 3] {
            let error = decode_gif(&file[..cut], LIMITS).unwrap_err();
            assert!(error.to_string().starts_with("cannot read the GIF file: "), "cut {cut}: {error}");
        }
        let mut huge = file.clone();
        huge[6..10].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(
            decode_gif(&huge, LIMITS).unwrap_err().to_string(),
            "the GIF file claims 65535x65535 pixels, too large: width must be at most 16384, got 65535"
        );
        decode_with_each_byte_flipped(&file, 6, &[0x33], |flipped| drop(decode_gif(flipped, LIMITS)));
    }
}
