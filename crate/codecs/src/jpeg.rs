//! JPEG: baseline and progressive decoding with `zune-jpeg`, encoding with
//! our own `jpeg_encode` (grey, RGB, RGBA) or `jpeg-encoder` (CMYK,
//! components as given). The size in the frame header is checked against the
//! limits before the decoder allocates its planes; a file that ends before
//! its last scan is refused, as Pillow refuses it by default. Junk bytes
//! and stray FF 00 between segments are skipped, as libjpeg skips them
//! (Pillow's Tests/images/junk_jpeg_header.jpg, jpeg_ff00_header.jpg): the
//! decoder is not in strict mode.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::jpeg_encode;
use crate::rgba::Decoded;
use std::io::Cursor;
use zune_jpeg::JpegDecoder;
use zune_jpeg::zune_core::colorspace::ColorSpace;
use zune_jpeg::zune_core::options::DecoderOptions;

/// The most scans a progressive JPEG may have. Each scan is a pass over
/// every block of the picture, so this bounds the work a decode takes to a
/// multiple of its pixels (zune-jpeg's default cap, named here because the
/// README documents it).
pub const MAX_SCANS: usize = 100;

/// Position in natural (row-major) order of each zigzag index: the order
/// a JPEG stores a block's coefficients in, for the decoder and the encoder.
pub(crate) const ZIGZAG: [usize; 64] = [
    0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21,
    28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54,
    47, 55, 62, 63,
];

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
    // zune-jpeg gives components stored as RGB (an Adobe marker saying no
    // transform, or ids 'R', 'G', 'B': Pillow's keep_rgb) as RGB only.
    let stored_rgb = decoder.input_colorspace() == Some(ColorSpace::RGB);
    if stored_rgb {
        decoder.set_options(options.jpeg_set_out_colorspace(ColorSpace::RGB));
    }
    let expected = if stored_rgb { len / 4 * 3 } else { len };
    if decoder.output_buffer_size() != Some(expected) {
        return Err(CodecError::damaged("JPEG", "its colour components cannot be shown as RGBA"));
    }
    if !load_truncated && !ends_its_scans(file) {
        return Err(CodecError::damaged("JPEG", "it is truncated"));
    }
    let mut pixels = try_alloc(len)?;
    decoder.decode_into(&mut pixels[..expected]).map_err(damaged)?;
    if stored_rgb {
        // Spread in place from the end, so that no pixel is overwritten before it is read.
        for index in (0..len / 4).rev() {
            let (red, green, blue) = (pixels[index * 3], pixels[index * 3 + 1], pixels[index * 3 + 2]);
            pixels[index * 4..index * 4 + 4].copy_from_slice(&[red, green, blue, 255]);
        }
    }
    Ok(Decoded::rgba(width, height, pixels))
}

/// The four components of a CMYK or YCCK JPEG as Pillow reads them: C, M,
/// Y and K a pixel, inverted (Pillow's "CMYK;I", Adobe's convention, which
/// Pillow assumes for every four-component JPEG), YCCK first converted to
/// CMYK as libjpeg converts it. Files of other colours are refused:
/// [`decode_jpeg`] reads them as RGBA.
pub fn decode_jpeg_cmyk(file: &[u8], limits: Limits, load_truncated: bool) -> Result<Decoded> {
    // The probe reads the headers as the decode does (any JPEG size, not
    // strict), so that a damaged file is refused with the same reason.
    let reading = DecoderOptions::default()
        .set_max_width(usize::from(u16::MAX))
        .set_max_height(usize::from(u16::MAX))
        .set_strict_mode(false)
        .jpeg_set_max_scans(MAX_SCANS);
    let ycck = {
        let mut probe = JpegDecoder::new_with_options(Cursor::new(file), reading);
        probe.decode_headers().map_err(damaged)?;
        probe.input_colorspace() == Some(ColorSpace::YCCK)
    };
    let options = reading.jpeg_set_out_colorspace(if ycck { ColorSpace::YCCK } else { ColorSpace::CMYK });
    let mut decoder = JpegDecoder::new_with_options(Cursor::new(file), options);
    decoder.decode_headers().map_err(damaged)?;
    let info = decoder.info().ok_or_else(|| CodecError::damaged("JPEG", "it has no frame header"))?;
    let (width, height) = (u32::from(info.width), u32::from(info.height));
    let len = limits.rgba_len("JPEG", width, height)?;
    let four = [ColorSpace::CMYK, ColorSpace::YCCK];
    if !decoder.input_colorspace().is_some_and(|space| four.contains(&space))
        || decoder.output_buffer_size() != Some(len)
    {
        return Err(CodecError::damaged("JPEG", "its components are not CMYK"));
    }
    if !load_truncated && !ends_its_scans(file) {
        return Err(CodecError::damaged("JPEG", "it is truncated"));
    }
    let mut pixels = try_alloc(len)?;
    decoder.decode_into(&mut pixels).map_err(damaged)?;
    for pixel in pixels.chunks_exact_mut(4) {
        if ycck {
            // libjpeg's YCC to CMY is 255 less its YCbCr to RGB: inverted
            // by Pillow, the RGB values themselves.
            let (red, green, blue) = ycc_to_rgb(pixel[0], pixel[1], pixel[2]);
            pixel[..3].copy_from_slice(&[red, green, blue]);
        } else {
            for value in &mut pixel[..3] {
                *value = 255 - *value;
            }
        }
        pixel[3] = 255 - pixel[3];
    }
    Ok(Decoded::rgba(width, height, pixels))
}

/// libjpeg's YCbCr to RGB in 16-bit fixed point (jdcolor.c's tables).
fn ycc_to_rgb(y: u8, cb: u8, cr: u8) -> (u8, u8, u8) {
    const HALF: i32 = 1 << 15;
    let fix = |value: f64| (value * 65536.0 + 0.5) as i32;
    let (y, cb, cr) = (i32::from(y), i32::from(cb) - 128, i32::from(cr) - 128);
    let red = y + ((fix(1.402) * cr + HALF) >> 16);
    let green = y + ((-fix(0.344_14) * cb - fix(0.714_14) * cr + HALF) >> 16);
    let blue = y + ((fix(1.772) * cb + HALF) >> 16);
    let clamp = |value: i32| value.clamp(0, 255) as u8;
    (clamp(red), clamp(green), clamp(blue))
}

/// True when an end-of-image marker follows the first scan. Inside a scan's
/// entropy-coded data a 0xFF byte is always followed by 0x00 or a restart
/// marker, so finding FF D9 there means the file really ends its image; the
/// decoder alone would fill a cut-off scan with grey.
pub(crate) fn ends_its_scans(file: &[u8]) -> bool {
    let Some(first_scan) = file.windows(2).position(|pair| pair == [0xFF, 0xDA]) else {
        return false;
    };
    file[first_scan..].windows(2).any(|pair| pair == [0xFF, 0xD9])
}

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

/// What the pixels handed to [`encode_jpeg`] are: grey, RGB or RGBA
/// (converted to YCbCr, alpha dropped), CMYK (four components, written as
/// given after an Adobe marker), or three components written as given
/// (Pillow's "YCbCr" images, and RGB kept as RGB).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JpegColour {
    L,
    Rgb,
    Rgba,
    Cmyk,
    AsGiven,
}

impl JpegColour {
    /// The colour of a mode's pixels: "L", "RGB", "RGBA", "CMYK" or
    /// "YCbCr"; "LA" is refused as JPEG has no alpha.
    pub fn from_mode(mode: &str) -> Result<Self> {
        match mode {
            "L" => Ok(Self::L),
            "RGB" => Ok(Self::Rgb),
            "RGBA" => Ok(Self::Rgba),
            "CMYK" => Ok(Self::Cmyk),
            "YCbCr" => Ok(Self::AsGiven),
            "LA" => Err(CodecError::CannotWrite { format: "JPEG", reason: "it has no alpha: convert LA to L".into() }),
            other => Err(CodecError::CannotWrite {
                format: "JPEG",
                reason: format!(
                    "it takes mode \"L\", \"RGB\", \"RGBA\", \"CMYK\" or \"YCbCr\", not {:?}",
                    other.chars().take(40).collect::<String>()
                ),
            }),
        }
    }

    pub fn bytes_per_pixel(self) -> u8 {
        match self {
            Self::L => 1,
            Self::Rgb | Self::AsGiven => 3,
            Self::Rgba | Self::Cmyk => 4,
        }
    }
}

/// Pillow's JPEG save options the encoder applies: `quality` (1 to 100)
/// scales its standard tables unless `tables` (luma's, then the other
/// components', each 64 values from 1 to 2048 in natural order) are given;
/// `restart_interval` in MCUs (0 for none); progressive scans and
/// optimized Huffman tables.
#[derive(Clone, Debug)]
pub struct JpegSettings {
    pub quality: u8,
    pub sampling: jpeg_encoder::SamplingFactor,
    pub progressive: bool,
    pub optimize: bool,
    pub restart_interval: u16,
    pub tables: Option<[Vec<u16>; 2]>,
}

impl JpegSettings {
    /// Baseline at `quality` with `sampling`, the encoder's standard tables.
    pub fn new(quality: u8, sampling: jpeg_encoder::SamplingFactor) -> Self {
        Self { quality, sampling, progressive: false, optimize: false, restart_interval: 0, tables: None }
    }
}

/// The largest quantization value the encoder applies as given: it scales
/// tables by 8 into 16 bits.
pub const MAX_TABLE_VALUE: u16 = 2048;

fn custom_table(table: &[u16]) -> Result<jpeg_encoder::QuantizationTableType> {
    Ok(jpeg_encoder::QuantizationTableType::Custom(Box::new(checked_table(table)?)))
}

fn checked_table(table: &[u16]) -> Result<[u16; 64]> {
    let values: [u16; 64] = table.try_into().map_err(|_| CodecError::CannotWrite {
        format: "JPEG",
        reason: format!("a quantization table has 64 values, not {}", table.len()),
    })?;
    if let Some(bad) = values.iter().find(|value| !(1..=MAX_TABLE_VALUE).contains(*value)) {
        return Err(CodecError::CannotWrite {
            format: "JPEG",
            reason: format!("quantization table values must be from 1 to {MAX_TABLE_VALUE}, got {bad}"),
        });
    }
    Ok(values)
}

/// The settings as our own encoder's options (`jpeg_encode`), when it
/// covers them: grey, RGB or RGBA at 4:4:4, 4:2:2 or 4:2:0, baseline or
/// progressive.
fn own_encoder(
    colour: JpegColour,
    settings: &JpegSettings,
) -> Result<Option<(jpeg_encode::Input, jpeg_encode::Options)>> {
    let input = match colour {
        JpegColour::L => jpeg_encode::Input::Grey,
        JpegColour::Rgb => jpeg_encode::Input::Rgb,
        JpegColour::Rgba => jpeg_encode::Input::Rgba,
        JpegColour::Cmyk | JpegColour::AsGiven => return Ok(None),
    };
    let (horizontal, vertical) = match settings.sampling {
        jpeg_encoder::SamplingFactor::R_4_4_4 => (1, 1),
        jpeg_encoder::SamplingFactor::R_4_2_2 => (2, 1),
        jpeg_encoder::SamplingFactor::R_4_2_0 => (2, 2),
        _ => return Ok(None),
    };
    let tables = match &settings.tables {
        Some([luma, chroma]) => [checked_table(luma)?, checked_table(chroma)?],
        None => [
            jpeg_encode::scaled_table(&jpeg_encode::STANDARD_LUMA, settings.quality),
            jpeg_encode::scaled_table(&jpeg_encode::STANDARD_CHROMA, settings.quality),
        ],
    };
    let options = jpeg_encode::Options {
        tables,
        sampling: jpeg_encode::Sampling { horizontal, vertical },
        restart_interval: settings.restart_interval,
        optimize: settings.optimize,
        progressive: settings.progressive,
    };
    Ok(Some((input, options)))
}

/// A JPEG of `width` x `height` `pixels` of `colour` with `settings`.
pub fn encode_jpeg(
    pixels: &[u8],
    width: u32,
    height: u32,
    colour: JpegColour,
    settings: &JpegSettings,
) -> Result<Vec<u8>> {
    let colour_type = match colour {
        JpegColour::L => jpeg_encoder::ColorType::Luma,
        JpegColour::Rgb => jpeg_encoder::ColorType::Rgb,
        JpegColour::Rgba => jpeg_encoder::ColorType::Rgba,
        JpegColour::Cmyk => jpeg_encoder::ColorType::Cmyk,
        JpegColour::AsGiven => jpeg_encoder::ColorType::Ycbcr,
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
    let expected = usize::from(width) * usize::from(height) * usize::from(colour.bytes_per_pixel());
    if pixels.len() != expected {
        return Err(CodecError::WrongLength {
            expected: expected as u64,
            actual: pixels.len() as u64,
            bytes_per_pixel: colour.bytes_per_pixel(),
        });
    }
    if let Some((input, options)) = own_encoder(colour, settings)? {
        return jpeg_encode::encode(pixels, u32::from(width), u32::from(height), input, &options);
    }
    // Far more than a JPEG of this size takes at quality 100, reserved up
    // front so that growing never aborts.
    let capacity = pixels.len() + 65_536;
    let mut file = Vec::new();
    file.try_reserve_exact(capacity).map_err(|_| CodecError::OutOfMemory { bytes: capacity })?;
    let mut encoder = jpeg_encoder::Encoder::new(&mut file, settings.quality);
    encoder.set_sampling_factor(settings.sampling);
    if let Some([luma, chroma]) = &settings.tables {
        encoder.set_quantization_tables(custom_table(luma)?, custom_table(chroma)?);
    }
    encoder.set_progressive(settings.progressive);
    // libjpeg computes optimal Huffman tables for every progressive file.
    encoder.set_optimized_huffman_tables(settings.optimize || settings.progressive);
    if settings.restart_interval > 0 {
        encoder.set_restart_interval(settings.restart_interval);
    }
    encoder
        .encode(pixels, width, height, colour_type)
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
        let file = encode_jpeg(&grey, 8, 8, JpegColour::L, &JpegSettings::new(90, R420)).unwrap();
        let frame = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
        assert_eq!(file[frame + 9], 1);
        let error = JpegColour::from_mode("LA").unwrap_err();
        assert_eq!(error.to_string(), "cannot write the JPEG file: it has no alpha: convert LA to L");
        let error = JpegColour::from_mode("P").unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot write the JPEG file: it takes mode \"L\", \"RGB\", \"RGBA\", \"CMYK\" or \"YCbCr\", not \"P\""
        );
        let error = encode_jpeg(&[0; 5], 2, 3, JpegColour::L, &JpegSettings::new(90, R420)).unwrap_err();
        assert_eq!(error.to_string(), "pixel data must be width*height*1 = 6 bytes long, got 5");
    }

    #[test]
    fn round_trip_stays_close() {
        let pixels = gradient(40, 24);
        let file = encode_jpeg(&pixels, 40, 24, JpegColour::Rgba, &JpegSettings::new(95, R420)).unwrap();
        assert!(is_jpeg(&file));
        let decoded = decode_jpeg(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (40, 24));
        let worst = pixels.iter().zip(&decoded.pixels).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 12, "worst difference {worst}");
        assert!(decoded.pixels.chunks_exact(4).all(|pixel| pixel[3] == 255));
    }

    /// The segments' markers before the first scan, and the DQT bodies.
    fn markers_and_tables(file: &[u8]) -> (Vec<u8>, Vec<Vec<u8>>) {
        let (mut markers, mut tables, mut at) = (Vec::new(), Vec::new(), 2);
        while file[at + 1] != 0xDA {
            let length = usize::from(u16::from_be_bytes([file[at + 2], file[at + 3]]));
            markers.push(file[at + 1]);
            if file[at + 1] == 0xDB {
                tables.push(file[at + 4..at + 2 + length].to_vec());
            }
            at += 2 + length;
        }
        (markers, tables)
    }

    #[test]
    fn settings_reach_the_file() {
        let pixels = gradient(32, 32);
        let mut settings = JpegSettings::new(75, sampling_factor(0).unwrap());
        settings.restart_interval = 3;
        let file = encode_jpeg(&pixels, 32, 32, JpegColour::Rgba, &settings).unwrap();
        // 16 MCUs of 8x8, a restart marker after every third.
        assert_eq!(file.windows(2).filter(|pair| pair[0] == 0xFF && (0xD0..=0xD7).contains(&pair[1])).count(), 5);
        let (markers, _) = markers_and_tables(&file);
        assert!(markers.contains(&0xDD) && markers.contains(&0xC0));

        let mut settings = JpegSettings::new(75, R420);
        settings.progressive = true;
        let progressive = encode_jpeg(&pixels, 32, 32, JpegColour::Rgba, &settings).unwrap();
        assert!(markers_and_tables(&progressive).0.contains(&0xC2));
        let baseline = encode_jpeg(&pixels, 32, 32, JpegColour::Rgba, &JpegSettings::new(75, R420)).unwrap();
        // The same coefficients, sent in several scans: the same pixels.
        assert_eq!(decode_jpeg(&progressive, LIMITS).unwrap(), decode_jpeg(&baseline, LIMITS).unwrap());
        // With restart markers too (jpeg-encoder's progressive files
        // with them had DC tables that lacked codes the scans needed).
        settings.restart_interval = 2;
        let restarted = encode_jpeg(&pixels, 32, 32, JpegColour::Rgba, &settings).unwrap();
        assert!(markers_and_tables(&restarted).0.contains(&0xDD));
        assert_eq!(decode_jpeg(&restarted, LIMITS).unwrap(), decode_jpeg(&baseline, LIMITS).unwrap());

        let mut settings = JpegSettings::new(75, R420);
        let luma: Vec<u16> = (1..=64).collect();
        settings.tables = Some([luma.clone(), vec![7; 64]]);
        let file = encode_jpeg(&pixels, 32, 32, JpegColour::Rgba, &settings).unwrap();
        let (_, tables) = markers_and_tables(&file);
        let natural_first: Vec<u8> = tables[0][1..].to_vec();
        assert_eq!((tables[0][0], natural_first[0], natural_first[1], natural_first[2]), (0, 1, 2, 9));
        assert_eq!(tables[1][1..], [7u8; 64]);

        settings.tables = Some([vec![1; 63], vec![7; 64]]);
        let error = encode_jpeg(&pixels, 32, 32, JpegColour::Rgba, &settings).unwrap_err();
        assert_eq!(error.to_string(), "cannot write the JPEG file: a quantization table has 64 values, not 63");
        settings.tables = Some([vec![0; 64], vec![7; 64]]);
        let error = encode_jpeg(&pixels, 32, 32, JpegColour::Rgba, &settings).unwrap_err();
        assert_eq!(
            error.to_string(),
            "cannot write the JPEG file: quantization table values must be from 1 to 2048, got 0"
        );
    }

    #[test]
    fn cmyk_and_given_components_are_written_as_they_are() {
        let cmyk: Vec<u8> = (0..16 * 16).flat_map(|index| [(index % 256) as u8, 40, 200, 10]).collect();
        let file =
            encode_jpeg(&cmyk, 16, 16, JpegColour::Cmyk, &JpegSettings::new(95, sampling_factor(0).unwrap())).unwrap();
        let (markers, _) = markers_and_tables(&file);
        assert!(markers.contains(&0xEE), "an Adobe marker: {markers:?}");
        let frame = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
        assert_eq!(file[frame + 9], 4);
        let given: Vec<u8> = (0..16 * 16).flat_map(|index| [(index % 256) as u8, 128, 128]).collect();
        let file = encode_jpeg(&given, 16, 16, JpegColour::AsGiven, &JpegSettings::new(95, R420)).unwrap();
        let frame = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
        assert_eq!(file[frame + 9], 3);
    }

    #[test]
    fn components_stored_as_rgb_are_read_as_rgb() {
        // Pillow's keep_rgb: components 'R', 'G' and 'B', written as given.
        let pixels: Vec<u8> = (0..16 * 16).flat_map(|index| [(index % 256) as u8, 200, 30]).collect();
        let mut file =
            encode_jpeg(&pixels, 16, 16, JpegColour::AsGiven, &JpegSettings::new(100, sampling_factor(0).unwrap()))
                .unwrap();
        let frame = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
        let scan = file.windows(2).position(|pair| pair == [0xFF, 0xDA]).unwrap();
        for (component, id) in b"RGB".iter().enumerate() {
            file[frame + 10 + component * 3] = *id;
            file[scan + 5 + component * 2] = *id;
        }
        let decoded = decode_jpeg(&file, LIMITS).unwrap();
        let worst = decoded
            .pixels
            .chunks_exact(4)
            .zip(pixels.chunks_exact(3))
            .map(|(got, given)| (0..3).map(|band| got[band].abs_diff(given[band])).max().unwrap())
            .max()
            .unwrap();
        assert!(worst <= 3, "worst difference {worst}");
        assert!(decoded.pixels.chunks_exact(4).all(|pixel| pixel[3] == 255));
    }

    #[test]
    fn cmyk_files_read_back_their_components() {
        let cmyk: Vec<u8> = (0..16 * 16u32).flat_map(|index| [(index % 200) as u8, 40, 200, 10]).collect();
        let file =
            encode_jpeg(&cmyk, 16, 16, JpegColour::Cmyk, &JpegSettings::new(100, sampling_factor(0).unwrap())).unwrap();
        let decoded = decode_jpeg_cmyk(&file, LIMITS, false).unwrap();
        // The encoder stores them inverted (Adobe's way), the decoder inverts them back.
        let worst = decoded.pixels.iter().zip(&cmyk).map(|(got, given)| got.abs_diff(*given)).max().unwrap();
        assert!(worst <= 3, "worst difference {worst}");
        // YCCK: the encoder's conversion of these CMYK values, which
        // libjpeg's conversion back gives within rounding.
        let ycck = {
            let mut file = Vec::new();
            let mut encoder = jpeg_encoder::Encoder::new(&mut file, 100);
            encoder.set_sampling_factor(sampling_factor(0).unwrap());
            encoder.encode(&cmyk, 16, 16, jpeg_encoder::ColorType::CmykAsYcck).unwrap();
            file
        };
        let decoded = decode_jpeg_cmyk(&ycck, LIMITS, false).unwrap();
        let worst = decoded.pixels.iter().zip(&cmyk).map(|(got, given)| got.abs_diff(*given)).max().unwrap();
        assert!(worst <= 4, "worst difference {worst}");
        let rgb = encode_jpeg(&gradient(16, 16), 16, 16, JpegColour::Rgba, &JpegSettings::new(90, R420)).unwrap();
        assert_eq!(
            decode_jpeg_cmyk(&rgb, LIMITS, false).unwrap_err().to_string(),
            "cannot read the JPEG file: its components are not CMYK"
        );
    }

    #[test]
    fn lower_quality_is_smaller() {
        let pixels = gradient(64, 64);
        let small = encode_jpeg(&pixels, 64, 64, JpegColour::Rgba, &JpegSettings::new(20, R420)).unwrap().len();
        let large = encode_jpeg(&pixels, 64, 64, JpegColour::Rgba, &JpegSettings::new(95, R420)).unwrap().len();
        assert!(small < large, "{small} >= {large}");
    }

    #[test]
    fn subsampling_is_pillows() {
        // The luma's sampling factors in the frame header: 2x2 for 4:2:0,
        // 2x1 for 4:2:2, 1x1 for 4:4:4 (chroma always 1x1).
        let luma_sampling = |subsampling| {
            let file = encode_jpeg(
                &gradient(16, 16),
                16,
                16,
                JpegColour::Rgba,
                &JpegSettings::new(90, sampling_factor(subsampling).unwrap()),
            )
            .unwrap();
            let sof = file.windows(2).position(|pair| pair == [0xFF, 0xC0]).unwrap();
            file[sof + 11]
        };
        assert_eq!([luma_sampling(0), luma_sampling(1), luma_sampling(2)], [0x11, 0x21, 0x22]);
        assert!(sampling_factor(3).is_none());
    }

    #[test]
    fn truncated_and_damaged_files_give_errors() {
        let file = encode_jpeg(&gradient(32, 32), 32, 32, JpegColour::Rgba, &JpegSettings::new(80, R420)).unwrap();
        for cut in [3, 20, 200, file.len() / 2, file.len() - 10] {
            let Err(error) = decode_jpeg(&file[..cut], LIMITS) else { panic!("cut {cut} of {} decoded", file.len()) };
            assert!(error.to_string().starts_with("cannot read the JPEG file: "), "cut {cut}: {error}");
        }
        decode_with_each_byte_flipped(&file, 2, &[0x5A], |flipped| drop(decode_jpeg(flipped, LIMITS)));
    }

    #[test]
    fn junk_between_segments_is_skipped_as_libjpeg_skips_it() {
        let file = encode_jpeg(&gradient(16, 16), 16, 16, JpegColour::Rgba, &JpegSettings::new(90, R420)).unwrap();
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
        let mut file = encode_jpeg(&gradient(8, 8), 8, 8, JpegColour::Rgba, &JpegSettings::new(80, R420)).unwrap();
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
