//! JPEG: baseline and progressive decoding with `zune-jpeg`, encoding with
//! `jpeg-encoder`. The size in the frame header is checked against the
//! limits before the decoder allocates its planes; a file that ends before
//! its last scan is refused, as Pillow refuses it by default. Junk bytes
//! and stray FF 00 between segments are skipped, as libjpeg skips them
//! (Pillow's Tests/images/junk_jpeg_header.jpg, jpeg_ff00_header.jpg): the
//! decoder is not in strict mode.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, Layout};
use std::io::Cursor;
use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

/// The most scans a progressive JPEG may have. Each scan is a pass over
/// every block of the picture, so this bounds the work a decode takes to a
/// multiple of its pixels (zune-jpeg's default cap, named here because the
/// README documents it).
pub const MAX_SCANS: usize = 100;

/// True when `file` starts like a JPEG file (an SOI marker, then a marker).
pub fn is_jpeg(file: &[u8]) -> bool {
    file.starts_with(&[0xFF, 0xD8, 0xFF])
}

/// The picture in a JPEG file as opaque RGBA (greyscale spread to red,
/// green and blue; CMYK and YCCK converted to RGB).
pub fn decode_jpeg(file: &[u8], limits: Limits) -> Result<Decoded> {
    decode_jpeg_with(file, limits, false)
}

/// [`decode_jpeg`], or with `load_truncated` (Pillow's
/// `ImageFile.LOAD_TRUNCATED_IMAGES`) a file cut short decoded as far as
/// its data goes, zune-jpeg filling the rest.
pub fn decode_jpeg_with(file: &[u8], limits: Limits, load_truncated: bool) -> Result<Decoded> {
    let options = DecoderOptions::default()
        .jpeg_set_out_colorspace(ColorSpace::RGBA)
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX))
        .set_strict_mode(false)
        .jpeg_set_max_scans(MAX_SCANS);
    let mut decoder = JpegDecoder::new_with_options(Cursor::new(file), options);
    decoder.decode_headers().map_err(damaged)?;
    let info = decoder.info().ok_or_else(|| CodecError::damaged("JPEG", "it has no frame header"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let len = limits.rgba_len("JPEG", width, height)?;
    if decoder.output_buffer_size() != Some(len) {
        return Err(CodecError::damaged("JPEG", "its colour components cannot be shown as RGBA"));
    }
    if !load_truncated && !ends_its_scans(file) {
        return Err(CodecError::damaged("JPEG", "it is truncated"));
    }
    let mut pixels = try_alloc(len)?;
    decoder.decode_into(&mut pixels).map_err(damaged)?;
    Ok(Decoded::rgba(width, height, pixels))
}

/// True when an end-of-image marker follows the first scan. Inside a scan's
/// entropy-coded data a 0xFF byte is always followed by 0x00 or a restart
/// marker, so finding FF D9 there means the file really ends its image; the
/// decoder alone would fill a cut-off scan with grey.
fn ends_its_scans(file: &[u8]) -> bool {
    let Some(first_scan) = file.windows(2).position(|pair| pair == [0xFF, 0xDA]) else {
        return false;
    };
    file[first_scan..].windows(2).any(|pair| pair == [0xFF, 0xD9])
}

/// A baseline JPEG of `width` x `height` RGBA `pixels` at `quality` (1 to
/// 100, Pillow's default 75), 4:2:0 chroma subsampling as Pillow uses by
/// default. JPEG has no alpha: it is dropped, as `convert("RGB")` does.
/// Pillow's `subsampling` (0 is 4:4:4, 1 is 4:2:2, 2 is 4:2:0) as the
/// encoder's sampling factor; `None` for a number it has not got.
pub fn sampling_factor(subsampling: u32) -> Option<jpeg_encoder::SamplingFactor> {
    match subsampling {
        0 => Some(jpeg_encoder::SamplingFactor::R_4_4_4),
        1 => Some(jpeg_encoder::SamplingFactor::R_4_2_2),
        2 => Some(jpeg_encoder::SamplingFactor::R_4_2_0),
        _ => None,
    }
}

pub fn encode_jpeg(
    pixels: &[u8],
    width: u32,
    height: u32,
    layout: Layout,
    quality: u8,
    sampling: jpeg_encoder::SamplingFactor,
) -> Result<Vec<u8>> {
    let colour = match layout {
        Layout::L => jpeg_encoder::ColorType::Luma,
        Layout::Rgb => jpeg_encoder::ColorType::Rgb,
        Layout::Rgba => jpeg_encoder::ColorType::Rgba,
        Layout::La => {
            return Err(CodecError::CannotWrite { format: "JPEG", reason: "it has no alpha: convert LA to L".into() });
        }
    };
    let (width, height) = match (u16::try_from(width), u16::try_from(height)) {
        (Ok(width), Ok(height)) => (width, height),
        _ => {
            return Err(CodecError::CannotWrite {
                format: "JPEG",
                reason: format!("{width}x{height} is larger than JPEG's 65535x65535"),
            });
        }
    };
    // Far more than a JPEG of this size takes at quality 100, reserved up
    // front so that growing never aborts.
    let capacity = pixels.len() + 65_536;
    let mut file = Vec::new();
    file.try_reserve_exact(capacity).map_err(|_| CodecError::OutOfMemory { bytes: capacity })?;
    let mut encoder = jpeg_encoder::Encoder::new(&mut file, quality);
    encoder.set_sampling_factor(sampling);
    encoder
        .encode(pixels, width, height, colour)
        .map_err(|error| CodecError::CannotWrite { format: "JPEG", reason: error.to_string() })?;
    Ok(file)
}

fn damaged(error: zune_jpeg::errors::DecodeErrors) -> CodecError {
    use zune_jpeg::errors::DecodeErrors;
    if error.to_string().contains("Too many scans") {
        return CodecError::Bomb {
            format: "JPEG",
            reason: format!("it has more than {MAX_SCANS} scans, each a pass over every pixel"),
        };
    }
    let reason = match error {
        DecodeErrors::ExhaustedData => "it is truncated".to_string(),
        other => {
            let text = other.to_string();
            if ["EOF", "exhausted", "No more bytes", "Not enough bytes"].iter().any(|sign| text.contains(sign)) {
                "it is truncated".to_string()
            } else {
                text
            }
        }
    };
    CodecError::damaged("JPEG", reason)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };
    const R420: jpeg_encoder::SamplingFactor = jpeg_encoder::SamplingFactor::R_4_2_0;

    fn gradient(width: u32, height: u32) -> Vec<u8> {
        (0..width * height)
            .flat_map(|index| {
                let (x, y) = (index % width, index / width);
                [(x * 255 / width) as u8, (y * 255 / height) as u8, 128, 255]
            })
            .collect()
    }

    #[test]
    fn grey_pictures_are_written_with_one_component_and_la_is_refused() {
        let grey: Vec<u8> = (0..64u8).map(|value| value * 4).collect();
        let file = encode_jpeg(&grey, 8, 8, Layout::L, 90, R420).unwrap();
        let frame = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
        assert_eq!(file[frame + 9], 1);
        let error = encode_jpeg(&[0; 128], 8, 8, Layout::La, 90, R420).unwrap_err();
        assert_eq!(error.to_string(), "cannot write the JPEG file: it has no alpha: convert LA to L");
    }

    #[test]
    fn round_trip_stays_close() {
        let pixels = gradient(40, 24);
        let file = encode_jpeg(&pixels, 40, 24, Layout::Rgba, 95, R420).unwrap();
        assert!(is_jpeg(&file));
        let decoded = decode_jpeg(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (40, 24));
        let worst = pixels.iter().zip(&decoded.pixels).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 12, "worst difference {worst}");
        assert!(decoded.pixels.chunks_exact(4).all(|pixel| pixel[3] == 255));
    }

    #[test]
    fn lower_quality_is_smaller() {
        let pixels = gradient(64, 64);
        let small = encode_jpeg(&pixels, 64, 64, Layout::Rgba, 20, R420).unwrap().len();
        let large = encode_jpeg(&pixels, 64, 64, Layout::Rgba, 95, R420).unwrap().len();
        assert!(small < large, "{small} >= {large}");
    }

    #[test]
    fn subsampling_is_pillows() {
        // The luma's sampling factors in the frame header: 2x2 for 4:2:0,
        // 2x1 for 4:2:2, 1x1 for 4:4:4 (chroma always 1x1).
        let luma_sampling = |subsampling| {
            let file = encode_jpeg(&gradient(16, 16), 16, 16, Layout::Rgba, 90, sampling_factor(subsampling).unwrap())
                .unwrap();
            let sof = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
            file[sof + 11]
        };
        assert_eq!([luma_sampling(0), luma_sampling(1), luma_sampling(2)], [0x11, 0x21, 0x22]);
        assert!(sampling_factor(3).is_none());
    }

    #[test]
    fn truncated_and_damaged_files_give_errors() {
        let file = encode_jpeg(&gradient(32, 32), 32, 32, Layout::Rgba, 80, R420).unwrap();
        for cut in [3, 20, 200, file.len() / 2, file.len() - 10] {
            let Err(error) = decode_jpeg(&file[..cut], LIMITS) else { panic!("cut {cut} of {} decoded", file.len()) };
            assert!(error.to_string().starts_with("cannot read the JPEG file: "), "cut {cut}: {error}");
        }
        decode_with_each_byte_flipped(&file, 2, &[0x5A], |flipped| drop(decode_jpeg(flipped, LIMITS)));
    }

    #[test]
    fn junk_between_segments_is_skipped_as_libjpeg_skips_it() {
        let file = encode_jpeg(&gradient(16, 16), 16, 16, Layout::Rgba, 90, R420).unwrap();
        let clean = decode_jpeg(&file, LIMITS).unwrap();
        // After the first segment (APP0): text junk, then a stray FF 00.
        let after_app0 = 4 + usize::from(u16::from_be_bytes([file[4], file[5]]));
        for junk in [&b"hello"[..], &[0xFF, 0x00], &[0x00, 0x01, 0xFF, 0x00, 0x42]] {
            let spliced = [&file[..after_app0], junk, &file[after_app0..]].concat();
            assert_eq!(decode_jpeg(&spliced, LIMITS).unwrap(), clean, "{junk:?}");
        }
    }

    #[test]
    fn a_truncated_progressive_file_is_refused() {
        let mut file = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut file, 80);
        encoder.set_progressive(true);
        encoder.encode(&gradient(48, 32), 48, 32, jpeg_encoder::ColorType::Rgba).unwrap();
        assert!(decode_jpeg(&file, LIMITS).is_ok());
        let scans = file.windows(2).filter(|pair| pair == &[0xFF, 0xDA]).count();
        assert!(scans > 1, "{scans} scans");
        for cut in [file.len() / 3, file.len() * 2 / 3, file.len() - 2] {
            assert_eq!(
                decode_jpeg(&file[..cut], LIMITS).unwrap_err().to_string(),
                "cannot read the JPEG file: it is truncated",
                "cut at {cut} of {}",
                file.len()
            );
        }
    }

    #[test]
    fn the_claimed_size_is_checked_first() {
        let mut file = encode_jpeg(&gradient(8, 8), 8, 8, Layout::Rgba, 80, R420).unwrap();
        // The SOF0 segment: FF C0, length, precision, height, width.
        let sof = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
        file[sof + 5..sof + 7].copy_from_slice(&60_000u16.to_be_bytes());
        file[sof + 7..sof + 9].copy_from_slice(&60_000u16.to_be_bytes());
        assert_eq!(
            decode_jpeg(&file, LIMITS).unwrap_err().to_string(),
            "the JPEG file claims 60000x60000 pixels, too large: width must be at most 16384, got 60000"
        );
    }
}
