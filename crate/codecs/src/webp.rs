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

/// The frames of an animated WebP, composed as libwebp's
/// `WebPAnimDecoder` composes them for Pillow (RGBA canvases).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frames {
    /// The canvas of each frame asked for, `width * height * 4` bytes each.
    pub canvases: Vec<Vec<u8>>,
    /// Each frame's duration in milliseconds, for every frame of the file.
    pub durations: Vec<u32>,
}

/// One ANMF chunk's facts and its image data (ALPH, VP8 or VP8L chunks).
struct AnimFrame<'a> {
    x: usize,
    y: usize,
    width: usize,
    height: usize,
    duration: u32,
    blend: bool,
    dispose: bool,
    data: &'a [u8],
}

fn anim_frames(file: &[u8]) -> Vec<AnimFrame<'_>> {
    let three = |bytes: &[u8]| u32::from_le_bytes([bytes[0], bytes[1], bytes[2], 0]);
    riff_chunks(file, 12)
        .filter(|(fourcc, data)| *fourcc == b"ANMF" && data.len() >= 16)
        .map(|(_, data)| AnimFrame {
            x: three(&data[0..3]) as usize * 2,
            y: three(&data[3..6]) as usize * 2,
            width: three(&data[6..9]) as usize + 1,
            height: three(&data[9..12]) as usize + 1,
            duration: three(&data[12..15]),
            blend: data[15] & 2 == 0,
            dispose: data[15] & 1 != 0,
            data: &data[16..],
        })
        .collect()
}

/// The canvas size of an animated WebP (its VP8X chunk), if it is one.
fn animation_canvas(file: &[u8]) -> Option<(u32, u32)> {
    let (fourcc, data) = riff_chunks(file, 12).next()?;
    if fourcc != b"VP8X" || data.len() < 10 || data[0] & 2 == 0 {
        return None;
    }
    let three = |bytes: &[u8]| u32::from_le_bytes([bytes[0], bytes[1], bytes[2], 0]) + 1;
    Some((three(&data[4..7]), three(&data[7..10])))
}

/// A frame's image data as a WebP file of its own (a VP8X header when it
/// has an ALPH chunk), for the still decoder.
fn frame_file(frame: &AnimFrame) -> Vec<u8> {
    let mut body = b"WEBP".to_vec();
    if frame.data.starts_with(b"ALPH") {
        body.extend_from_slice(b"VP8X");
        body.extend_from_slice(&10u32.to_le_bytes());
        body.extend_from_slice(&[0x10, 0, 0, 0]);
        body.extend_from_slice(&(frame.width as u32 - 1).to_le_bytes()[..3]);
        body.extend_from_slice(&(frame.height as u32 - 1).to_le_bytes()[..3]);
    }
    body.extend_from_slice(frame.data);
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(body.len() as u32).to_le_bytes());
    file.extend(body);
    file
}

/// libwebp's non-premultiplied "over": `src` over `dst`, in its integer
/// arithmetic (`BlendPixelNonPremult`).
fn blend_pixel(src: &mut [u8], dst: &[u8]) {
    let src_a = u32::from(src[3]);
    if src_a == 0 {
        src.copy_from_slice(dst);
        return;
    }
    let dst_factor_a = (u32::from(dst[3]) * (256 - src_a)) >> 8;
    let blend_a = src_a + dst_factor_a;
    let scale = (1u32 << 24) / blend_a;
    for channel in 0..3 {
        let unscaled = u32::from(src[channel]) * src_a + u32::from(dst[channel]) * dst_factor_a;
        src[channel] = ((u64::from(unscaled) * u64::from(scale)) >> 24) as u8;
    }
    src[3] = blend_a as u8;
}

/// The canvases of frames `first .. first + count` of an animated WebP and
/// the durations of all its frames, composed as libwebp's `WebPAnimDecoder`
/// does: a key frame starts from a transparent canvas, a frame is blended
/// over the one before (disposed to transparent where it asked for that)
/// unless it says not to, alpha blending in libwebp's integer arithmetic.
/// The canvas and every frame are checked against the limits.
pub fn decode_webp_frames(file: &[u8], first: usize, count: usize, limits: Limits) -> Result<Frames> {
    if first == 0 {
        // A file the still decoder refuses (what `decode` reads: the first
        // frame) is refused with its reasons, before any frame is composed.
        decode_webp(file, limits)?;
    }
    let (width, height) =
        animation_canvas(file).ok_or_else(|| CodecError::damaged("WebP", "it is not an animation"))?;
    let len = limits.rgba_len("WebP", width, height)?;
    let frames = anim_frames(file);
    let (width, height) = (width as usize, height as usize);
    let mut canvas = try_alloc(len)?;
    let mut disposed = try_alloc(len)?;
    let mut canvases = Vec::new();
    let mut previous: Option<(&AnimFrame, bool)> = None;
    for (number, frame) in frames.iter().enumerate().take(first.saturating_add(count)) {
        if frame.x + frame.width > width || frame.y + frame.height > height {
            return Err(CodecError::damaged("WebP", "a frame reaches past the canvas"));
        }
        let decoded = decode_webp(&frame_file(frame), limits)?;
        if (decoded.width as usize, decoded.height as usize) != (frame.width, frame.height) {
            return Err(CodecError::damaged("WebP", "a frame's image is not the size its frame header gives"));
        }
        let has_alpha = frame.data.starts_with(b"ALPH") || decoded.pixels.chunks_exact(4).any(|pixel| pixel[3] != 255);
        let full = frame.width == width && frame.height == height;
        let key = match previous {
            None => true,
            Some(_) if (!has_alpha || !frame.blend) && full => true,
            Some((before, was_key)) => {
                before.dispose && ((before.width == width && before.height == height) || was_key)
            }
        };
        if key {
            canvas.fill(0);
        } else {
            canvas.copy_from_slice(&disposed);
        }
        for row in 0..frame.height {
            let at = ((frame.y + row) * width + frame.x) * 4;
            canvas[at..at + frame.width * 4]
                .copy_from_slice(&decoded.pixels[row * frame.width * 4..][..frame.width * 4]);
        }
        if number > 0 && frame.blend && !key {
            let (before, _) = previous.expect("a frame after the first has one before it");
            for row in 0..frame.height {
                let y = frame.y + row;
                for x in frame.x..frame.x + frame.width {
                    // Inside a rectangle disposed to transparent, libwebp keeps the frame's pixel.
                    let inside_disposed = before.dispose
                        && (before.x..before.x + before.width).contains(&x)
                        && (before.y..before.y + before.height).contains(&y);
                    let at = (y * width + x) * 4;
                    if !inside_disposed && canvas[at + 3] != 255 {
                        let under = [disposed[at], disposed[at + 1], disposed[at + 2], disposed[at + 3]];
                        blend_pixel(&mut canvas[at..at + 4], &under);
                    }
                }
            }
        }
        disposed.copy_from_slice(&canvas);
        if frame.dispose {
            for row in 0..frame.height {
                let at = ((frame.y + row) * width + frame.x) * 4;
                disposed[at..at + frame.width * 4].fill(0);
            }
        }
        if number >= first {
            canvases.push(canvas.clone());
        }
        previous = Some((frame, key));
    }
    Ok(Frames { canvases, durations: frames.iter().map(|frame| frame.duration).collect() })
}

/// An animated WebP of `frames` (each `width * height` pixels in `layout`,
/// one after the other), each frame lossless and whole, shown for its
/// `durations` entry (milliseconds), with Pillow's `loop` and `background`
/// (RGBA) in the ANIM chunk and the ICC profile and EXIF when given; the
/// alpha flag is set when a frame has alpha, so that an animation of "RGB"
/// frames reads back as "RGB".
#[allow(clippy::too_many_arguments)]
pub fn encode_webp_animation(
    frames: &[u8],
    width: u32,
    height: u32,
    layout: Layout,
    durations: &[u32],
    loop_count: u16,
    background: [u8; 4],
    icc_profile: &[u8],
    exif: &[u8],
) -> Result<Vec<u8>> {
    let cannot = |reason: String| CodecError::CannotWrite { format: "WebP", reason };
    let frame_len = width as usize * height as usize * usize::from(layout.bytes_per_pixel());
    if frame_len == 0 || frames.len() != frame_len * durations.len() {
        return Err(cannot(format!("{} bytes are not {} frames of {width}x{height}", frames.len(), durations.len())));
    }
    let alpha = matches!(layout, Layout::La | Layout::Rgba);
    let mut chunks = Vec::new();
    let mut chunk = |fourcc: &[u8], data: &[u8]| {
        chunks.extend_from_slice(fourcc);
        chunks.extend_from_slice(&(data.len() as u32).to_le_bytes());
        chunks.extend_from_slice(data);
        if data.len() % 2 == 1 {
            chunks.push(0);
        }
    };
    let mut header = vec![0x02 | if alpha { 0x10 } else { 0 } | if icc_profile.is_empty() { 0 } else { 0x20 }];
    header[0] |= if exif.is_empty() { 0 } else { 0x08 };
    header.extend_from_slice(&[0, 0, 0]);
    header.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
    header.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
    chunk(b"VP8X", &header);
    if !icc_profile.is_empty() {
        chunk(b"ICCP", icc_profile);
    }
    let [red, green, blue, alpha_byte] = background;
    let mut anim = vec![blue, green, red, alpha_byte];
    anim.extend_from_slice(&loop_count.to_le_bytes());
    chunk(b"ANIM", &anim);
    for (pixels, &duration) in frames.chunks_exact(frame_len).zip(durations) {
        let still = encode_webp(pixels, width, height, layout, Vec::new(), Vec::new())?;
        let bitstream = riff_chunks(&still, 12)
            .find(|(fourcc, _)| *fourcc == b"VP8L")
            .map(|(_, data)| data)
            .ok_or_else(|| cannot("the lossless encoder wrote no VP8L chunk".into()))?;
        let mut frame = vec![0; 6];
        frame.extend_from_slice(&(width - 1).to_le_bytes()[..3]);
        frame.extend_from_slice(&(height - 1).to_le_bytes()[..3]);
        frame.extend_from_slice(&duration.min(0xFF_FFFF).to_le_bytes()[..3]);
        // Whole frames, not blended: each is shown as it is.
        frame.push(0x02);
        frame.extend_from_slice(b"VP8L");
        frame.extend_from_slice(&(bitstream.len() as u32).to_le_bytes());
        frame.extend_from_slice(bitstream);
        if bitstream.len() % 2 == 1 {
            frame.push(0);
        }
        chunk(b"ANMF", &frame);
    }
    if !exif.is_empty() {
        chunk(b"EXIF", exif);
    }
    let mut file = b"RIFF".to_vec();
    file.extend_from_slice(&(chunks.len() as u32 + 4).to_le_bytes());
    file.extend_from_slice(b"WEBP");
    file.extend(chunks);
    Ok(file)
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
    fn animations_round_trip_frame_by_frame() {
        let first: Vec<u8> = (0..4 * 3 * 4).map(|value| (value * 13 % 256) as u8).collect();
        let second: Vec<u8> = (0..4 * 3 * 4).map(|value| (value * 7 % 256) as u8).collect();
        let both = [first.clone(), second.clone()].concat();
        let file = encode_webp_animation(&both, 4, 3, Layout::Rgba, &[100, 250], 2, [1, 2, 3, 4], &[], &[]).unwrap();
        assert_eq!(anim_frames(&file).len(), 2);
        let frames = decode_webp_frames(&file, 0, 2, LIMITS).unwrap();
        assert_eq!(frames.durations, [100, 250]);
        assert_eq!(frames.canvases, [first, second.clone()]);
        assert_eq!(decode_webp_frames(&file, 1, 5, LIMITS).unwrap().canvases, [second]);
        // The still decoder reads the first frame; a still file is not an animation.
        assert_eq!(decode_webp(&file, LIMITS).unwrap().width, 4);
        assert!(decode_webp_frames(&lossless(1, 1, &[0; 4]), 0, 1, LIMITS).is_err());
        assert!(encode_webp_animation(&both, 4, 3, Layout::Rgba, &[100], 0, [0; 4], &[], &[]).is_err());
        decode_with_each_byte_flipped(&file, 12, &[0x6C, 0xFF], |flipped| {
            drop(decode_webp_frames(flipped, 0, 2, LIMITS));
        });
    }

    #[test]
    fn blending_is_libwebps() {
        let mut src = [100, 50, 200, 128];
        blend_pixel(&mut src, &[10, 20, 30, 255]);
        assert_eq!(src, [55, 35, 115, 255]);
        let mut over_clear = [100, 50, 200, 3];
        blend_pixel(&mut over_clear, &[0, 0, 0, 0]);
        assert_eq!(over_clear, [99, 49, 199, 3]);
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
