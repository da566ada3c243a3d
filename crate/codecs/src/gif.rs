//! GIF: the first frame, with the `gif` crate, drawn at its place on the
//! logical screen, as palette indices (Pillow's "P") or RGBA (the
//! transparent index keeps its colour with alpha 0, as Pillow's
//! `convert("RGBA")` gives it).

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, Layout, expand_to_rgba};
use std::io::Cursor;
use std::num::NonZeroU64;

/// True when `file` starts like a GIF file.
pub fn is_gif(file: &[u8]) -> bool {
    file.starts_with(b"GIF87a") || file.starts_with(b"GIF89a")
}

/// The first frame as RGBA: its palette's colours, the transparent index
/// with alpha 0, as Pillow's `convert("RGBA")` gives them.
pub fn decode_gif(file: &[u8], limits: Limits) -> Result<Decoded> {
    decode_gif_indexed(file, limits).map(Decoded::into_rgba)
}

/// The first frame's palette indices ("P"), decoded a row at a time
/// straight into the picture, with the palette they index (the frame's
/// own, else the file's). As Pillow does, a frame reaching past the
/// logical screen enlarges the picture to hold it (the enlarged size is
/// checked against the limits before anything is allocated), and what the
/// frame does not cover holds the transparent index, or 0. The LZW data
/// after the frame's last row is never decoded, so no stream, however long,
/// takes more work than the frame's pixels.
pub fn decode_gif_indexed(file: &[u8], limits: Limits) -> Result<Decoded> {
    let mut options = gif::DecodeOptions::new();
    options.set_color_output(gif::ColorOutput::Indexed);
    // Only palettes and a row's indices are allocated by the decoder.
    options.set_memory_limit(gif::MemoryLimit::Bytes(DECODER_MEMORY_LIMIT));
    let mut decoder = options.read_info(Cursor::new(file)).map_err(damaged)?;
    let screen = (usize::from(decoder.width()), usize::from(decoder.height()));
    let global = decoder.global_palette().map(<[u8]>::to_vec);
    let frame =
        decoder.next_frame_info().map_err(damaged)?.ok_or_else(|| CodecError::damaged("GIF", "it has no image"))?;
    let (left, top) = (usize::from(frame.left), usize::from(frame.top));
    let (frame_width, frame_height) = (usize::from(frame.width), usize::from(frame.height));
    let interlaced = frame.interlaced;
    let transparent = frame.transparent;
    let colours = frame.palette.clone().or(global).unwrap_or_default();
    let width = screen.0.max(left + frame_width);
    let height = screen.1.max(top + frame_height);
    let len = limits.rgba_len("GIF", width as u32, height as u32)?;
    let mut pixels = try_alloc(len)?;
    let indices = &mut pixels[..width * height];
    indices.fill(transparent.unwrap_or(0));
    if frame_width > 0 {
        for row in frame_rows(frame_height, interlaced) {
            let line = &mut indices[(top + row) * width + left..][..frame_width];
            if !decoder.fill_buffer(line).map_err(damaged)? {
                return Err(CodecError::damaged("GIF", "it is truncated"));
            }
        }
    }
    expand_to_rgba(&mut pixels, 1);
    let palette = colours
        .chunks_exact(3)
        .enumerate()
        .map(|(index, rgb)| [rgb[0], rgb[1], rgb[2], if transparent == Some(index as u8) { 0 } else { 255 }])
        .collect();
    Ok(Decoded::indexed(width as u32, height as u32, pixels, palette))
}

/// A one-frame GIF of `width` x `height` `pixels` in `layout`: their own
/// colours when there are at most 256 (alpha 0 as the transparent index,
/// other alpha opaque), else 256 chosen by the gif crate's NeuQuant. The
/// frame shows for `delay` hundredths of a second; `repeat` is Pillow's
/// `loop` (0 for ever, n more times) or None for no NETSCAPE block.
pub fn encode_gif(
    pixels: &[u8],
    width: u32,
    height: u32,
    layout: Layout,
    delay: u16,
    repeat: Option<u16>,
) -> Result<Vec<u8>> {
    let cannot = |reason: String| CodecError::CannotWrite { format: "GIF", reason };
    let (Ok(narrow_width), Ok(narrow_height)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(cannot(format!("{width}x{height} is larger than GIF's 65535x65535")));
    };
    let channels = usize::from(layout.bytes_per_pixel());
    let mut rgba = try_alloc(pixels.len() / channels * 4)?;
    rgba[..pixels.len()].copy_from_slice(pixels);
    expand_to_rgba(&mut rgba, channels);
    let mut frame = gif::Frame::from_rgba_speed(narrow_width, narrow_height, &mut rgba, 10);
    frame.delay = delay;
    one_frame_file(&frame, &[], repeat)
}

/// A one-frame GIF of a "P" picture: `indices` (one byte a pixel) into
/// `palette` (RGB entries, at most 256; padded with black to a power of
/// two, as GIF needs, and one black entry when empty), kept as they are,
/// with `transparent` as the transparent index. `delay` and `repeat` as in
/// [`encode_gif`].
pub fn encode_gif_indexed(
    indices: &[u8],
    width: u32,
    height: u32,
    palette: &[u8],
    transparent: Option<u8>,
    delay: u16,
    repeat: Option<u16>,
) -> Result<Vec<u8>> {
    let cannot = |reason: String| CodecError::CannotWrite { format: "GIF", reason };
    let (Ok(narrow_width), Ok(narrow_height)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(cannot(format!("{width}x{height} is larger than GIF's 65535x65535")));
    };
    let entries = (palette.len() / 3).clamp(1, 256);
    let mut colours = palette[..palette.len().min(entries * 3)].to_vec();
    colours.resize(entries.next_power_of_two().max(2) * 3, 0);
    let mut frame = gif::Frame::from_indexed_pixels(narrow_width, narrow_height, indices.to_vec(), transparent);
    frame.delay = delay;
    one_frame_file(&frame, &colours, repeat)
}

/// A GIF file of one `frame`, with `palette` as its global colour table and
/// a loop count when `repeat` is given (0: forever).
fn one_frame_file(frame: &gif::Frame, palette: &[u8], repeat: Option<u16>) -> Result<Vec<u8>> {
    let cannot = |error: gif::EncodingError| CodecError::CannotWrite { format: "GIF", reason: error.to_string() };
    let mut file = Vec::new();
    {
        let mut encoder = gif::Encoder::new(&mut file, frame.width, frame.height, palette).map_err(cannot)?;
        if let Some(count) = repeat {
            let repeat = if count == 0 { gif::Repeat::Infinite } else { gif::Repeat::Finite(count) };
            encoder.set_repeat(repeat).map_err(cannot)?;
        }
        encoder.write_frame(frame).map_err(cannot)?;
    }
    Ok(file)
}

/// Bytes the gif crate may allocate: a global and a local palette and the
/// palette indices of one row.
const DECODER_MEMORY_LIMIT: NonZeroU64 = NonZeroU64::new(1024 * 1024).unwrap();

/// The order in which a frame's rows are stored: top to bottom, or GIF's
/// four interlaced passes (every 8th row from 0, every 8th from 4, every
/// 4th from 2, every 2nd from 1).
fn frame_rows(height: usize, interlaced: bool) -> impl Iterator<Item = usize> {
    let passes: &[(usize, usize)] = if interlaced { &[(0, 8), (4, 8), (2, 4), (1, 2)] } else { &[(0, 1)] };
    passes.iter().flat_map(move |&(first, step)| (first..height).step_by(step))
}

fn damaged(error: gif::DecodingError) -> CodecError {
    let reason = match &error {
        gif::DecodingError::Io(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => "it is truncated".to_string(),
        gif::DecodingError::MemoryLimit => "its palettes or rows need more memory than a GIF may".to_string(),
        gif::DecodingError::LzwError(_) => {
            "its LZW-compressed pixels use a code the table does not hold yet (a looping or corrupt table)".to_string()
        }
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
    fn few_colours_are_written_exactly() {
        let mut rgba = Vec::new();
        for index in 0..6u8 {
            rgba.extend([index * 40, 255 - index * 40, index, if index == 5 { 0 } else { 255 }]);
        }
        let file = encode_gif(&rgba, 3, 2, Layout::Rgba, 12, Some(0)).unwrap();
        assert!(file.windows(11).any(|block| block == b"NETSCAPE2.0"));
        let decoded = decode_gif(&file, LIMITS).unwrap();
        assert_eq!(decoded.pixels[..20], rgba[..20]);
        assert_eq!(decoded.pixels[23], 0);
        let grey = encode_gif(&[0, 50, 100, 255], 2, 2, Layout::L, 0, None).unwrap();
        let grey_pixels = decode_gif(&grey, LIMITS).unwrap().pixels;
        assert_eq!(grey_pixels.chunks(4).map(|pixel| pixel[0]).collect::<Vec<u8>>(), [0, 50, 100, 255]);
        assert!(encode_gif(&[0; 4], 70_000, 1, Layout::L, 0, None).is_err());
    }

    #[test]
    fn indexed_frames_keep_their_indices_and_palette() {
        let file = encode_gif_indexed(&[0, 1, 2, 1], 2, 2, &[1, 2, 3, 4, 5, 6, 7, 8, 9], Some(2), 0, None).unwrap();
        let decoded = decode_gif_indexed(&file, LIMITS).unwrap();
        assert_eq!(decoded.pixels.chunks(4).map(|pixel| pixel[0]).collect::<Vec<u8>>(), [0, 1, 2, 1]);
        assert_eq!(decoded.palette, [[1, 2, 3, 255], [4, 5, 6, 255], [7, 8, 9, 0], [0, 0, 0, 255]]);
        assert!(encode_gif_indexed(&[0], 1, 1, &[], None, 0, None).is_ok());
    }

    #[test]
    fn the_first_frame_lands_on_the_screen() {
        let file = gif_file((3, 2), (1, 1), (2, 1), &[1, 3]);
        assert!(is_gif(&file));
        let decoded = decode_gif(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (3, 2));
        // Uncovered pixels hold the transparent index, as in Pillow.
        let mut expected = [9, 9, 9, 0].repeat(6);
        expected[16..20].copy_from_slice(&[0, 255, 0, 255]);
        assert_eq!(decoded.pixels, expected);
        let indexed = decode_gif_indexed(&file, LIMITS).unwrap();
        assert_eq!(indexed.mode, "P");
        assert_eq!(indexed.pixels.chunks(4).map(|pixel| pixel[0]).collect::<Vec<u8>>(), [3, 3, 3, 3, 1, 3]);
        assert_eq!(indexed.palette, [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255], [9, 9, 9, 0]]);
    }

    #[test]
    fn a_frame_past_the_screen_enlarges_the_picture_as_in_pillow() {
        let file = gif_file((2, 2), (1, 1), (2, 2), &[0, 1, 2, 0]);
        let decoded = decode_gif(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (3, 3));
        let (clear, red, green, blue) = ([9, 9, 9, 0], [255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]);
        let expected = [[clear, clear, clear], [clear, red, green], [clear, blue, red]];
        assert_eq!(decoded.pixels, expected.concat().concat());
    }

    #[test]
    fn interlaced_rows_land_in_their_places() {
        let indices: Vec<u8> = (0..10).map(|row| row % 3).collect();
        // The encoder writes rows as given: in the passes' order.
        let stored: Vec<u8> = [0, 8, 4, 2, 6, 1, 3, 5, 7, 9].iter().map(|&row| indices[row]).collect();
        let mut file = Vec::new();
        {
            let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
            let mut encoder = gif::Encoder::new(&mut file, 1, 10, &palette).unwrap();
            let mut frame = gif::Frame::from_indexed_pixels(1, 10, stored, None);
            frame.interlaced = true;
            encoder.write_frame(&frame).unwrap();
        }
        let decoded = decode_gif(&file, LIMITS).unwrap();
        let greens: Vec<u8> = decoded.pixels.chunks_exact(4).map(|pixel| pixel[1]).collect();
        let expected: Vec<u8> = indices.iter().map(|&index| if index == 1 { 255 } else { 0 }).collect();
        assert_eq!(greens, expected);
    }

    #[test]
    fn a_code_not_yet_in_the_table_is_refused() {
        // Two colours, so codes are 2 bits plus one: clear is 4, end is 5,
        // and after the first index the next free code is 6. The stream
        // sends clear, index 1, then code 7, which a decoder that follows
        // prefix chains without checking would loop on.
        let mut file = gif_file((2, 1), (0, 0), (2, 1), &[1, 1]);
        let image = file.iter().position(|&byte| byte == b',').unwrap();
        let data = image + 10 + 1; // descriptor, then the minimum code size
        let codes: u32 = 4 | (1 << 3) | (7 << 6) | (5 << 9);
        file.truncate(data);
        file.extend([2, codes as u8, (codes >> 8) as u8, 0, b';']);
        assert_eq!(
            decode_gif(&file, LIMITS).unwrap_err().to_string(),
            "cannot read the GIF file: its LZW-compressed pixels use a code the table does not hold yet \
             (a looping or corrupt table)"
        );
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
