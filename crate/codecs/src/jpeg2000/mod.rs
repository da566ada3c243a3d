//! JPEG 2000 (issue 29), as Pillow's Jpeg2KImagePlugin reads and writes it:
//! JP2 files and raw codestreams (.j2k, .j2c). Decoding is hayro-jpeg2000's
//! (8 bits a sample out, whatever the file's precision); encoding is our own
//! (`encode`), as no crate we build with writes JPEG 2000.

pub mod encode;
mod tier1;

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, expand_to_rgba};
use hayro_jpeg2000::{DecodeSettings, Image};

const JP2_SIGNATURE: &[u8] = b"\x00\x00\x00\x0cjP  \x0d\x0a\x87\x0a";
const CODESTREAM_SIGNATURE: &[u8] = b"\xff\x4f\xff\x51";

fn damaged(reason: impl Into<String>) -> CodecError {
    CodecError::damaged("JPEG2000", reason)
}

/// True when `file` starts as a JP2 file or a raw codestream (Pillow's `_accept`).
pub fn is_jpeg2000(file: &[u8]) -> bool {
    file.starts_with(JP2_SIGNATURE) || file.starts_with(CODESTREAM_SIGNATURE)
}

/// The picture of a JPEG 2000 file, `reduce` resolution levels down (each
/// halves the size, rounding up: Pillow's `reduce` open option), as RGBA.
/// Samples of more than 8 bits come scaled to 8 (hayro's output); a file
/// of one component deeper than 8 bits (Pillow's "I;16") is refused, as its
/// values cannot be given back.
pub fn decode_jpeg2000(file: &[u8], limits: Limits, reduce: u8) -> Result<Decoded> {
    let probe = Image::new(file, &DecodeSettings::default()).map_err(|error| damaged(format!("{error:?}")))?;
    let (full_width, full_height) = (probe.width(), probe.height());
    limits.rgba_len("JPEG2000", full_width, full_height)?;
    let channels = usize::from(probe.color_space().num_channels()) + usize::from(probe.has_alpha());
    if channels == 1 && probe.original_bit_depth() > 8 {
        return Err(damaged(format!(
            "a grey of {} bits (Pillow's \"I;16\") cannot be read: the decoder gives 8 bits a sample",
            probe.original_bit_depth()
        )));
    }
    if !(1..=4).contains(&channels) {
        return Err(damaged(format!("{channels} channels; Pillow's modes have 1 to 4")));
    }
    if channels == 4 && !probe.has_alpha() {
        return Err(damaged("CMYK files are not read"));
    }
    let image = if reduce == 0 {
        probe
    } else {
        let target =
            (full_width.checked_shr(reduce.into()).unwrap_or(0), full_height.checked_shr(reduce.into()).unwrap_or(0));
        let settings =
            DecodeSettings { target_resolution: Some((target.0.max(1), target.1.max(1))), ..DecodeSettings::default() };
        Image::new(file, &settings).map_err(|error| damaged(format!("{error:?}")))?
    };
    let (width, height) = (image.width(), image.height());
    if u64::from(width) > (u64::from(full_width) >> reduce) + 1
        || u64::from(height) > (u64::from(full_height) >> reduce) + 1
    {
        return Err(damaged(format!("cannot reduce by {reduce}: the file has no lower resolution")));
    }
    let len = limits.rgba_len("JPEG2000", width, height)?;
    let mut pixels = try_alloc(len)?;
    let samples = width as usize * height as usize * channels;
    let mut context = hayro_jpeg2000::DecoderContext::default();
    image.decode_into(&mut pixels[..samples], &mut context).map_err(|error| damaged(format!("{error:?}")))?;
    if channels == 4 {
        return Ok(Decoded::rgba(width, height, pixels));
    }
    expand_to_rgba(&mut pixels, channels);
    Ok(Decoded::rgba(width, height, pixels))
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 1 << 26 };

    fn pillow_file(name: &str) -> Vec<u8> {
        std::fs::read(format!(
            "{}/../../.toolchain/pillow-suite/pillow-13.0.0/Tests/images/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn reads_pillows_files_and_their_refusals() {
        let card = decode_jpeg2000(&pillow_file("test-card-lossless.jp2"), LIMITS, 0).unwrap();
        assert_eq!((card.width, card.height), (640, 480));
        let reduced = decode_jpeg2000(&pillow_file("test-card-lossless.jp2"), LIMITS, 2).unwrap();
        assert_eq!((reduced.width, reduced.height), (160, 120));
        let message = decode_jpeg2000(&pillow_file("9bit.j2k"), LIMITS, 0).unwrap_err().to_string();
        assert!(message.contains("a grey of 9 bits"), "{message}");
        assert!(decode_jpeg2000(&pillow_file("unknown_mode.j2k"), LIMITS, 0).is_err());
    }
}
