//! The wasm-bindgen surface of `rust_image_codecs`: picture files in and out
//! of RGBA. A module of its own so that pages which never read or write a
//! file do not download it; the host hands the pixels between it and
//! `rust_image`. Every export checks its JS arguments and returns a JS
//! `Error` whose `name` is the family of the problem (`ImageFileError`,
//! `DecompressionBombError`, `TypeError`, `RangeError`, `OutOfMemoryError`), never a trap.

pub mod bmp;
pub mod ccitt;
pub mod error;
pub mod fli;
pub mod font;
pub mod font_cff;
pub mod font_gray;
pub mod font_raster;
#[cfg(test)]
mod font_testing;
pub mod font_woff;
#[cfg(test)]
mod fuzz;
pub mod gif;
pub mod handmade;
pub mod ico;
pub mod jpeg;
pub mod jpeg2000;
pub mod jpeg_draft;
pub mod jpeg_encode;
mod lanes16;
pub mod pcx;
pub mod planes;
pub mod png;
pub mod ppm;
pub mod rgba;
pub mod sgi;
pub mod tga;
pub mod tiff;
pub mod webp;

use error::{CodecError, ErrorKind, Limits};
use rgba::Layout;
use wasm_bindgen::prelude::*;

type JsResult<T = ()> = Result<T, JsFailure>;

/// A failed export, thrown to JS as an `Error` named after its family.
#[derive(Debug)]
pub struct JsFailure(CodecError);

impl From<CodecError> for JsFailure {
    fn from(error: CodecError) -> Self {
        Self(error)
    }
}

impl From<JsFailure> for JsValue {
    fn from(failure: JsFailure) -> Self {
        let error = js_sys::Error::new(&failure.0.to_string());
        error.set_name(match failure.0.kind() {
            ErrorKind::BadFile => "ImageFileError",
            ErrorKind::Bomb => "DecompressionBombError",
            ErrorKind::WrongType => "TypeError",
            ErrorKind::OutOfRange => "RangeError",
            ErrorKind::OutOfMemory => "OutOfMemoryError",
        });
        error.into()
    }
}

/// A Rust panic reaches the console with its message, not a bare "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// Decoded pixels, 4 bytes each in rust_image's stored layout of `mode`,
/// held in this module's memory until `free()`: the host copies them from
/// `ptr()` into an image of its own.
#[wasm_bindgen]
pub struct Picture {
    width: u32,
    height: u32,
    format: &'static str,
    mode: &'static str,
    palette: Vec<u8>,
    pixels: Vec<u8>,
}

impl Picture {
    fn of(format: &'static str, decoded: rgba::Decoded) -> Self {
        let palette = decoded.palette.iter().flat_map(|entry| entry[..3].to_vec()).collect();
        Self {
            width: decoded.width,
            height: decoded.height,
            format,
            mode: decoded.mode,
            palette,
            pixels: decoded.pixels,
        }
    }
}

#[wasm_bindgen]
impl Picture {
    #[wasm_bindgen(getter)]
    pub fn width(&self) -> u32 {
        self.width
    }

    #[wasm_bindgen(getter)]
    pub fn height(&self) -> u32 {
        self.height
    }

    /// The file's format, as Pillow names it ("PNG", "JPEG", "GIF", "WEBP", "BMP", "PPM", "PCX", "ICO", "TIFF", "TGA").
    #[wasm_bindgen(getter)]
    pub fn format(&self) -> String {
        self.format.to_string()
    }

    /// How the pixels are stored: "RGBA" (colours; the file's header says
    /// which bands are its own), "P" (palette indices) or "I;16".
    #[wasm_bindgen(getter)]
    pub fn mode(&self) -> String {
        self.mode.to_string()
    }

    /// A "P" picture's palette: its colours' red, green and blue, entry
    /// after entry (empty for other modes).
    pub fn palette(&self) -> Vec<u8> {
        self.palette.clone()
    }

    /// Address of the pixels in this module's memory.
    pub fn ptr(&self) -> *const u8 {
        self.pixels.as_ptr()
    }

    /// Length of the pixels in bytes (width * height * 4).
    pub fn len(&self) -> usize {
        self.pixels.len()
    }

    /// Never true: a picture has at least one pixel.
    pub fn is_empty(&self) -> bool {
        false
    }
}

#[wasm_bindgen]
/// The picture in `file` (a `Uint8Array` of a whole file) as RGBA. Its
/// header is read first and the size it claims checked against `max_side`
/// and `max_pixels` (rust_image's limits) before pixel memory is allocated.
/// With `load_truncated` (Pillow's `ImageFile.LOAD_TRUNCATED_IMAGES`; false
/// when left out) a truncated file gives the pixels its data holds.
pub fn decode(
    file: &js_sys::Uint8Array,
    max_side: f64,
    max_pixels: f64,
    load_truncated: Option<bool>,
) -> JsResult<Picture> {
    let (limits, bytes) = limits_and_file(file, max_side, max_pixels)?;
    let (format, decoded) = rgba::decode_file_with(&bytes, limits, load_truncated.unwrap_or(false))?;
    Ok(Picture::of(format, decoded))
}

/// The decoders' limits (rust_image's `max_side` and `max_pixels`) and the
/// file's bytes, copied into this module's memory.
fn limits_and_file(file: &js_sys::Uint8Array, max_side: f64, max_pixels: f64) -> JsResult<(Limits, Vec<u8>)> {
    let limits =
        Limits { max_side: limit("max_side", max_side)?, max_pixels: u64::from(limit("max_pixels", max_pixels)?) };
    Ok((limits, copy_in(file, "file")?))
}

/// The picture of a CMYK JPEG file as Pillow reads it: four bytes a pixel,
/// C, M, Y and K inverted (see `jpeg::decode_jpeg_cmyk`); an error for
/// other JPEG files.
#[wasm_bindgen]
pub fn decode_jpeg_cmyk(
    file: &js_sys::Uint8Array,
    max_side: f64,
    max_pixels: f64,
    load_truncated: Option<bool>,
) -> JsResult<Picture> {
    let (limits, bytes) = limits_and_file(file, max_side, max_pixels)?;
    let decoded = jpeg::decode_jpeg_cmyk(&bytes, limits, load_truncated.unwrap_or(false))?;
    Ok(Picture::of("JPEG", decoded))
}

/// The picture of a JPEG file as Pillow's `draft` configures its reading:
/// decoded `scale` (1, 2, 4 or 8) times smaller in the DCT, in `colour`
/// ("" for the file's own, "L" for grey, "YCbCr" for its components; see
/// `jpeg_draft::decode_jpeg_draft`), four bytes a pixel as `decode` or
/// `decode_jpeg_cmyk` give them.
#[wasm_bindgen]
pub fn decode_jpeg_draft(
    file: &js_sys::Uint8Array,
    max_side: f64,
    max_pixels: f64,
    load_truncated: Option<bool>,
    scale: u32,
    colour: &str,
) -> JsResult<Picture> {
    let (limits, bytes) = limits_and_file(file, max_side, max_pixels)?;
    let colour = match colour {
        "L" => jpeg_draft::DraftColour::Grey,
        "YCbCr" => jpeg_draft::DraftColour::YCbCr,
        _ => jpeg_draft::DraftColour::Native,
    };
    let decoded = jpeg_draft::decode_jpeg_draft(&bytes, limits, scale, colour, load_truncated.unwrap_or(false))?;
    Ok(Picture::of("JPEG", decoded))
}

/// The picture of a JPEG 2000 file (JP2 or a raw codestream) as RGBA,
/// `reduce` resolution levels down (Pillow's `reduce` open option; 0 for
/// the full size). `load_truncated` is taken for the shared decoder call
/// and has no effect: a damaged codestream is refused.
#[wasm_bindgen]
pub fn decode_jpeg2000(
    file: &js_sys::Uint8Array,
    max_side: f64,
    max_pixels: f64,
    _load_truncated: Option<bool>,
    reduce: Option<f64>,
) -> JsResult<Picture> {
    let (limits, bytes) = limits_and_file(file, max_side, max_pixels)?;
    let reduce = whole_between("reduce", reduce.unwrap_or(0.0), 0, 32, "a whole number from 0 to 32")? as u8;
    Ok(Picture::of("JPEG2000", jpeg2000::decode_jpeg2000(&bytes, limits, reduce)?))
}

/// One frame of an FLI or FLC file (issue 29's formats): the frame at
/// byte `offset` of `file` decoded onto `canvas` (the frame before: its
/// `width` x `height` palette indices, zeros for the first), returned as
/// new indices. Pillow's errors for a damaged frame; with
/// `load_truncated` a damaged frame gives what was decoded.
#[wasm_bindgen]
pub fn decode_fli_frame(
    file: &js_sys::Uint8Array,
    offset: f64,
    width: f64,
    height: f64,
    canvas: &js_sys::Uint8Array,
    load_truncated: bool,
) -> JsResult<Vec<u8>> {
    let bytes = copy_in(file, "file")?;
    let offset = whole_between("offset", offset, 0, u32::MAX, "a whole number from 0 to 4294967295")?;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let mut indices = copy_in(canvas, "canvas")?;
    fli::decode_fli_frame(&bytes, offset as usize, width as usize, height as usize, &mut indices, load_truncated)?;
    Ok(indices)
}

/// A picture stored as planes (issue 29's PSD files): `tiles` holds 8
/// numbers a tile (codec 0 raw or 1 PackBits, x0, y0, x1, y1, offset,
/// band, inverted), drawn into a `width` x `height` picture of `mode`
/// ("1", "L", "P", "RGB", "RGBA", "CMYK", "LAB") as Pillow's `raw` and
/// `packbits` decoders draw them (see `planes`).
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn decode_tiles(
    file: &js_sys::Uint8Array,
    mode: String,
    width: f64,
    height: f64,
    tiles: &js_sys::Float64Array,
    max_side: f64,
    max_pixels: f64,
    load_truncated: bool,
) -> JsResult<Picture> {
    let (limits, bytes) = limits_and_file(file, max_side, max_pixels)?;
    let numbers = tiles.to_vec();
    if numbers.len() % 8 != 0 {
        return Err(CodecError::WrongType { name: "tiles", expected: "8 numbers a tile" }.into());
    }
    let tiles = numbers.chunks_exact(8).map(planes::Tile::from_numbers).collect::<Result<Vec<_>, _>>()?;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let decoded = planes::decode_tiles(&bytes, &mode, width, height, &tiles, limits, load_truncated)?;
    Ok(Picture::of("PSD", decoded))
}

/// A PNG file of `width` x `height` `pixels` in `mode` ("L", "LA", "RGB"
/// or "RGBA": 1 to 4 bytes a pixel), a `Uint8Array` or `Uint8ClampedArray`.
/// `compress_level` is Pillow's: 0 (stored) to 9 (smallest), or -1 for a
/// fast encoder with a good ratio.
#[wasm_bindgen]
pub fn encode_png(
    mode: JsValue,
    pixels: &js_sys::Uint8Array,
    width: f64,
    height: f64,
    compress_level: f64,
) -> JsResult<Vec<u8>> {
    let layout = layout_of(&mode)?;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let level = if compress_level == -1.0 {
        None
    } else {
        let expected = "-1 (the default) or a whole number from 0 to 9";
        Some(whole_between("compress_level", compress_level, 0, 9, expected)? as u8)
    };
    let bytes = pixels_in(pixels, width, height, layout)?;
    Ok(png::encode_png(&bytes, width, height, layout, png::png_compression(level)?)?)
}

/// A JPEG of `width` x `height` `pixels` in `mode` ("L", "RGB", "RGBA"
/// whose alpha is dropped, "CMYK", or "YCbCr": three components written as
/// given) at `quality` (1 to 100; Pillow's default is 75) with Pillow's
/// `subsampling` (0 for 4:4:4, 1 for 4:2:2, 2 for 4:2:0, Pillow's default).
/// Optional: `progressive`, `optimize` (Huffman tables), `restart_interval`
/// (in MCUs, 0 to 65535) and the two quantization tables `luma_table` and
/// `chroma_table` (64 values each, natural order, 1 to 2048) that replace
/// the quality's.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn encode_jpeg(
    mode: JsValue,
    pixels: &js_sys::Uint8Array,
    width: f64,
    height: f64,
    quality: f64,
    subsampling: f64,
    progressive: Option<bool>,
    optimize: Option<bool>,
    restart_interval: Option<f64>,
    luma_table: Option<Vec<u16>>,
    chroma_table: Option<Vec<u16>>,
) -> JsResult<Vec<u8>> {
    let name = mode.as_string().ok_or(CodecError::WrongType { name: "mode", expected: "a string" })?;
    let colour = jpeg::JpegColour::from_mode(&name)?;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let quality = whole_between("quality", quality, 1, 100, "a whole number from 1 to 100")? as u8;
    let subsampling = whole_between("subsampling", subsampling, 0, 2, "0 (4:4:4), 1 (4:2:2) or 2 (4:2:0)")?;
    let sampling = jpeg::sampling_factor(subsampling).ok_or(CodecError::BadNumber {
        name: "subsampling",
        value: f64::from(subsampling),
        expected: "0, 1 or 2",
    })?;
    let mut settings = jpeg::JpegSettings::new(quality, sampling);
    settings.progressive = progressive.unwrap_or(false);
    settings.optimize = optimize.unwrap_or(false);
    if let Some(interval) = restart_interval {
        settings.restart_interval =
            whole_between("restart_interval", interval, 0, 65535, "a whole number from 0 to 65535")? as u16;
    }
    settings.tables = match (luma_table, chroma_table) {
        (Some(luma), Some(chroma)) => Some([luma, chroma]),
        (None, None) => None,
        _ => {
            return Err(CodecError::WrongType { name: "quantization tables", expected: "both given or neither" }.into());
        }
    };
    check_bytes(pixels, "pixels")?;
    let expected = u64::from(width) * u64::from(height) * u64::from(colour.bytes_per_pixel());
    if u64::from(pixels.length()) != expected {
        let (actual, bytes_per_pixel) = (u64::from(pixels.length()), colour.bytes_per_pixel());
        return Err(CodecError::WrongLength { expected, actual, bytes_per_pixel }.into());
    }
    let bytes = copy_in(pixels, "pixels")?;
    Ok(jpeg::encode_jpeg(&bytes, width, height, colour, &settings)?)
}

/// A lossless JPEG 2000 file of `width` x `height` `pixels` in `mode`
/// ("L", "LA", "RGB" or "RGBA"), as Pillow's default save writes it (see
/// `jpeg2000::encode`): a JP2 file, or with `jp2` false a raw codestream;
/// `resolutions` 0 for OpenJPEG's choice, or 1 to 33; `mct` the
/// reversible colour transform over RGB; `comment` a COM marker's text.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn encode_jpeg2000(
    mode: JsValue,
    pixels: &js_sys::Uint8Array,
    width: f64,
    height: f64,
    jp2: bool,
    resolutions: f64,
    mct: bool,
    comment: Option<js_sys::Uint8Array>,
) -> JsResult<Vec<u8>> {
    let layout = layout_of(&mode)?;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let resolutions = whole_between("num_resolutions", resolutions, 0, 33, "a whole number from 0 to 33")? as u8;
    let comment = comment.map(|array| copy_in(&array, "comment")).transpose()?;
    let bytes = pixels_in(pixels, width, height, layout)?;
    let settings = jpeg2000::encode::Settings { resolutions, jp2, mct, comment };
    Ok(jpeg2000::encode::encode_jpeg2000(&bytes, width, height, layout, &settings)?)
}

/// A lossless WebP of `width` x `height` `pixels` in `mode` ("L", "LA",
/// "RGB" or "RGBA"), with an ICC profile and EXIF data when they are given
/// (a `Uint8Array` each, or `undefined`).
#[wasm_bindgen]
pub fn encode_webp(
    mode: JsValue,
    pixels: &js_sys::Uint8Array,
    width: f64,
    height: f64,
    icc_profile: Option<js_sys::Uint8Array>,
    exif: Option<js_sys::Uint8Array>,
) -> JsResult<Vec<u8>> {
    let layout = layout_of(&mode)?;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let bytes = pixels_in(pixels, width, height, layout)?;
    let icc_profile = icc_profile.map(|array| copy_in(&array, "icc_profile")).transpose()?.unwrap_or_default();
    let exif = exif.map(|array| copy_in(&array, "exif")).transpose()?.unwrap_or_default();
    Ok(webp::encode_webp(&bytes, width, height, layout, icc_profile, exif)?)
}

/// Frames of an animated WebP, composed (see `webp::decode_webp_frames`).
#[wasm_bindgen]
pub struct WebpFrames(webp::Frames);

#[wasm_bindgen]
impl WebpFrames {
    /// How many canvases were asked for and decoded.
    pub fn count(&self) -> usize {
        self.0.canvases.len()
    }

    /// The RGBA canvas of the `index`-th frame decoded (empty past the last).
    pub fn canvas(&self, index: usize) -> Vec<u8> {
        self.0.canvases.get(index).cloned().unwrap_or_default()
    }

    /// Every frame's duration in milliseconds.
    pub fn durations(&self) -> Vec<u32> {
        self.0.durations.clone()
    }
}

/// Frames `first .. first + count` of an animated WebP `file`, composed as
/// libwebp composes them, the canvas and each frame checked against
/// `max_side` and `max_pixels`.
#[wasm_bindgen]
pub fn decode_webp_frames(
    file: &js_sys::Uint8Array,
    first: f64,
    count: f64,
    max_side: f64,
    max_pixels: f64,
) -> JsResult<WebpFrames> {
    let (limits, bytes) = limits_and_file(file, max_side, max_pixels)?;
    let first = whole_between("first", first, 0, u32::MAX, "a whole number from 0 to 4294967295")? as usize;
    let count = limit("count", count)? as usize;
    Ok(WebpFrames(webp::decode_webp_frames(&bytes, first, count, limits)?))
}

/// An animated WebP of `frames` (a `Uint8Array` of `width` x `height`
/// pictures in `mode`, one after the other), lossless, one frame for each
/// of `durations` (milliseconds), with `repeat` (0: for ever), `background`
/// (4 bytes, RGBA) and the ICC profile and EXIF when given.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn encode_webp_animation(
    mode: JsValue,
    frames: &js_sys::Uint8Array,
    width: f64,
    height: f64,
    durations: Vec<u32>,
    repeat: f64,
    background: Vec<u8>,
    icc_profile: Option<js_sys::Uint8Array>,
    exif: Option<js_sys::Uint8Array>,
) -> JsResult<Vec<u8>> {
    let layout = layout_of(&mode)?;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let repeat = whole_between("loop", repeat, 0, 65_535, "a whole number from 0 to 65535")? as u16;
    let background: [u8; 4] = background
        .try_into()
        .map_err(|_| CodecError::WrongType { name: "background", expected: "4 bytes (red, green, blue, alpha)" })?;
    let bytes = copy_in(frames, "frames")?;
    let icc_profile = icc_profile.map(|array| copy_in(&array, "icc_profile")).transpose()?.unwrap_or_default();
    let exif = exif.map(|array| copy_in(&array, "exif")).transpose()?.unwrap_or_default();
    Ok(webp::encode_webp_animation(&bytes, width, height, layout, &durations, repeat, background, &icc_profile, &exif)?)
}

/// One GIF frame's palette indices (see `gif::decode_gif_frame`), for the
/// host that reads GIF's blocks and composes the frames as Pillow does.
#[wasm_bindgen]
pub struct GifFrame(gif::FrameIndices);

#[wasm_bindgen]
impl GifFrame {
    /// The frame's `width * height` indices, row after row.
    pub fn indices(&self) -> Vec<u8> {
        self.0.indices.clone()
    }

    /// 255 where the decoder writes its index, 0 where it leaves the
    /// pixel under it; empty when it writes them all.
    pub fn mask(&self) -> Vec<u8> {
        self.0.mask.clone()
    }
}

/// The pixels of the GIF frame whose LZW data starts at byte `at` of
/// `file` (its code size byte): `width` x `height` indices, `interlaced`
/// or not, `transparency` (-1 for none) being the index left unwritten.
/// The frame's size is checked against `max_side` and `max_pixels` first.
#[wasm_bindgen]
#[allow(clippy::too_many_arguments)]
pub fn decode_gif_frame(
    file: &js_sys::Uint8Array,
    at: f64,
    width: f64,
    height: f64,
    interlaced: bool,
    transparency: f64,
    max_side: f64,
    max_pixels: f64,
    load_truncated: Option<bool>,
) -> JsResult<GifFrame> {
    let (limits, bytes) = limits_and_file(file, max_side, max_pixels)?;
    let at = whole_between("at", at, 0, u32::MAX, "a whole number from 0 to 4294967295")? as usize;
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let transparency = if transparency == -1.0 {
        None
    } else {
        Some(whole_between("transparency", transparency, 0, 255, "-1 (none) or an index from 0 to 255")? as u8)
    };
    let load_truncated = load_truncated.unwrap_or(false);
    let frame = gif::decode_gif_frame(&bytes, at, width, height, interlaced, transparency, limits, load_truncated)?;
    Ok(GifFrame(frame))
}

/// The image data of a GIF frame of `width` x `height` `indices` (a
/// `Uint8Array`, a byte each) as Pillow writes it: LZW codes of 8 bits in
/// sub-blocks (see `gif::encode_gif_lzw`), `interlaced` or not.
#[wasm_bindgen]
pub fn encode_gif_lzw(indices: &js_sys::Uint8Array, width: f64, height: f64, interlaced: bool) -> JsResult<Vec<u8>> {
    let (width, height) = (limit("width", width)?, limit("height", height)?);
    let bytes = pixels_in(indices, width, height, Layout::L)?;
    Ok(gif::encode_gif_lzw(&bytes, width, height, interlaced)?)
}

/// One strip of a TIFF file compressed (`tiff::encode_strip`): `rows`
/// rows of `data`, bilevel rows of `width` pixels for CCITT fax.
#[wasm_bindgen]
pub fn encode_tiff_strip(data: &js_sys::Uint8Array, compression: f64, width: f64, rows: f64) -> JsResult<Vec<u8>> {
    let compression = whole_between("compression", compression, 1, 65535, "a whole number from 1 to 65535")?;
    let (width, rows) = (limit("width", width)?, limit("rows", rows)?);
    check_bytes(data, "data")?;
    let bytes = copy_in(data, "data")?;
    Ok(tiff::encode_strip(&bytes, compression, width as usize, rows as usize)?)
}

/// The layout a mode name given from JS stands for.
fn layout_of(mode: &JsValue) -> JsResult<Layout> {
    let name = mode.as_string().ok_or(CodecError::WrongType { name: "mode", expected: "a string" })?;
    Ok(Layout::from_mode(&name)?)
}

/// The `width` x `height` pixels in `layout` of a JS array, copied in once
/// their type and length are checked.
fn pixels_in(pixels: &js_sys::Uint8Array, width: u32, height: u32, layout: Layout) -> JsResult<Vec<u8>> {
    check_bytes(pixels, "pixels")?;
    let bytes_per_pixel = layout.bytes_per_pixel();
    let expected = u64::from(width) * u64::from(height) * u64::from(bytes_per_pixel);
    if u64::from(pixels.length()) != expected {
        return Err(CodecError::WrongLength { expected, actual: u64::from(pixels.length()), bytes_per_pixel }.into());
    }
    copy_in(pixels, "pixels")
}

/// A whole number from 1 to u32::MAX arriving as a JS number.
fn limit(name: &'static str, value: f64) -> JsResult<u32> {
    whole_between(name, value, 1, u32::MAX, "a whole number from 1 to 4294967295")
}

/// A JS number that must be a whole number from `low` to `high`; NaN,
/// fractions and infinities are refused with `expected` in the message.
fn whole_between(name: &'static str, value: f64, low: u32, high: u32, expected: &'static str) -> JsResult<u32> {
    if value.fract() == 0.0 && (f64::from(low)..=f64::from(high)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(CodecError::BadNumber { name, value, expected }.into())
    }
}

/// Refuses anything but a `Uint8Array` or `Uint8ClampedArray` (from any
/// realm: the tag is read, not `instanceof`).
fn check_bytes(array: &js_sys::Uint8Array, name: &'static str) -> JsResult {
    let kind = if js_sys::ArrayBuffer::is_view(array) {
        js_sys::Reflect::get(array, &js_sys::Symbol::to_string_tag()).ok().and_then(|tag| tag.as_string())
    } else {
        None
    };
    if !matches!(kind.as_deref(), Some("Uint8Array" | "Uint8ClampedArray")) {
        return Err(CodecError::WrongType { name, expected: "a Uint8Array or Uint8ClampedArray" }.into());
    }
    Ok(())
}

/// The bytes of a `Uint8Array` (or `Uint8ClampedArray`) copied into this
/// module's memory, the allocation checked first; copied into reserved
/// memory, not into memory zeroed first (a file is written once).
fn copy_in(array: &js_sys::Uint8Array, name: &'static str) -> JsResult<Vec<u8>> {
    check_bytes(array, name)?;
    let len = array.length() as usize;
    let mut bytes: Vec<u8> = Vec::new();
    bytes.try_reserve_exact(len).map_err(|_| CodecError::OutOfMemory { bytes: len })?;
    array.copy_to_uninit(&mut bytes.spare_capacity_mut()[..len]);
    // SAFETY: `copy_to_uninit` initialised the first `len` bytes.
    unsafe { bytes.set_len(len) };
    Ok(bytes)
}

/// A font failure thrown to JS: FreeType's message named `FontError`
/// (Python `OSError`, as Pillow), Pillow's bad anchor a `RangeError`.
fn font_failure(failure: font::FontError) -> JsValue {
    let error = js_sys::Error::new(&failure.to_string());
    error.set_name(match failure {
        font::FontError::FreeType(_) => "FontError",
        font::FontError::BadAnchor(_) | font::FontError::Raqm(_) => "RangeError",
    });
    error.into()
}

/// A TrueType or OpenType face at one size (Pillow's `_imagingft` font
/// object, see `font::Face`). Text arrives as code points (`Uint32Array`);
/// `mono` asks for the monochrome hinting and rendering of mode "1".
#[wasm_bindgen]
pub struct TextFace {
    face: font::Face,
}

#[wasm_bindgen]
impl TextFace {
    /// Face `index` of the font file `file` at `size` pixels.
    #[wasm_bindgen(constructor)]
    pub fn new(file: &js_sys::Uint8Array, index: f64, size: f32) -> Result<TextFace, JsValue> {
        let index = whole_between("index", index, 0, 0xFFFF, "a whole number from 0 to 65535")?;
        let bytes = copy_in(file, "file")?;
        Ok(Self { face: font::Face::new(bytes, index, size).map_err(font_failure)? })
    }

    /// Ascender, descender and height (26.6), x ppem and the glyph count.
    pub fn metrics(&self) -> Result<Vec<f64>, JsValue> {
        let (ascender, descender, height) = self.face.size_metrics();
        let glyphs = self.face.glyph_count().map_err(font_failure)?;
        Ok(vec![ascender as f64, descender as f64, height as f64, self.face.ppems() as f64, f64::from(glyphs)])
    }

    /// The family and style names (`undefined` where the font has none).
    pub fn names(&self) -> Result<Vec<JsValue>, JsValue> {
        let (family, style) = self.face.names().map_err(font_failure)?;
        Ok(vec![family.map_or(JsValue::UNDEFINED, JsValue::from), style.map_or(JsValue::UNDEFINED, JsValue::from)])
    }

    /// Lays out `codes` with Pillow's basic layout, or, when `shaped` holds
    /// `[direction, language, feature...]` (empty strings for none), with
    /// its Raqm layout.
    fn placed(
        &mut self,
        codes: &[u32],
        mono: bool,
        shaped: &Option<Vec<String>>,
    ) -> Result<Vec<font::Placed>, JsValue> {
        match shaped {
            None => self.face.layout(codes, mono),
            Some(settings) => {
                let text: String = codes.iter().filter_map(|&code| char::from_u32(code)).collect();
                let direction = settings.first().filter(|value| !value.is_empty()).map(String::as_str);
                let language = settings.get(1).filter(|value| !value.is_empty()).map(String::as_str);
                let features = settings.get(2..).unwrap_or_default();
                self.face.layout_shaped(&text, direction, features, language)
            }
        }
        .map_err(font_failure)
    }

    /// Pillow's `getlength` in 26.6 (`shaped`: see `placed`).
    pub fn length(&mut self, codes: Vec<u32>, mono: bool, shaped: Option<Vec<String>>) -> Result<f64, JsValue> {
        let vertical = is_vertical(&shaped);
        let placed = self.placed(&codes, mono, &shaped)?;
        Ok(placed.iter().map(|glyph| if vertical { -glyph.y_advance } else { glyph.x_advance }).sum::<i64>() as f64)
    }

    /// Pillow's `getsize`: width, height, x and y offset of the text box
    /// (of the outlines with `outlines`, as for stroked text).
    pub fn text_box(
        &mut self,
        codes: Vec<u32>,
        mono: bool,
        anchor: String,
        shaped: Option<Vec<String>>,
        outlines: Option<bool>,
    ) -> Result<Vec<f64>, JsValue> {
        let vertical = is_vertical(&shaped);
        let placed = self.placed(&codes, mono, &shaped)?;
        let text_box =
            self.face.text_box_of(&placed, mono, vertical, &anchor, outlines.unwrap_or(false)).map_err(font_failure)?;
        Ok([text_box.width, text_box.height, text_box.x_offset, text_box.y_offset].map(|value| value as f64).to_vec())
    }

    /// Pillow's `render`: width, height, x and y offset, then the mask's
    /// bytes (one a pixel) follow in `mask_pixels()`. `max_pixels` bounds
    /// the mask (the caller has applied Pillow's own limit). With `ink`
    /// (red, green, blue: Pillow's mode "RGBA") colour glyphs are drawn and
    /// the mask has four bytes a pixel.
    #[allow(clippy::too_many_arguments)]
    pub fn render(
        &mut self,
        codes: Vec<u32>,
        mono: bool,
        anchor: String,
        stroke_width: f32,
        stroke_filled: bool,
        x_start: f32,
        y_start: f32,
        max_pixels: f64,
        shaped: Option<Vec<String>>,
        ink: Option<Vec<u8>>,
    ) -> Result<TextMask, JsValue> {
        let vertical = is_vertical(&shaped);
        let placed = self.placed(&codes, mono, &shaped)?;
        let rendered = self
            .face
            .render(
                &placed,
                mono,
                vertical,
                &anchor,
                stroke_width,
                stroke_filled,
                (x_start, y_start),
                max_pixels as u64,
                ink.map(|ink| [0, 1, 2].map(|at| ink.get(at).copied().unwrap_or(0))),
            )
            .map_err(font_failure)?;
        Ok(TextMask { rendered })
    }

    /// The named instances' names (Pillow's `getvarnames`).
    pub fn variation_names(&self) -> Result<Vec<js_sys::Uint8Array>, JsValue> {
        let names = self.face.variation_names().map_err(font_failure)?;
        Ok(names.iter().map(|name| js_sys::Uint8Array::from(name.as_slice())).collect())
    }

    /// The axes' names (Pillow's `getvaraxes`).
    pub fn variation_axis_names(&self) -> Result<Vec<js_sys::Uint8Array>, JsValue> {
        let axes = self.face.variation_axes().map_err(font_failure)?;
        Ok(axes.iter().map(|axis| js_sys::Uint8Array::from(axis.name.as_slice())).collect())
    }

    /// The axes' minimum, default and maximum, three numbers an axis.
    pub fn variation_axis_ranges(&self) -> Result<Vec<f32>, JsValue> {
        let axes = self.face.variation_axes().map_err(font_failure)?;
        Ok(axes.iter().flat_map(|axis| [axis.minimum, axis.default, axis.maximum]).collect())
    }

    /// Selects a named instance, 1-based (Pillow's `setvarname`).
    pub fn set_named_instance(&mut self, index: f64) -> Result<(), JsValue> {
        let index = whole_between("index", index, 0, 0xFFFF, "a whole number from 0 to 65535")?;
        self.face.set_named_instance(index as usize).map_err(font_failure)
    }

    /// Sets the axes' design coordinates (Pillow's `setvaraxes`).
    pub fn set_axes(&mut self, values: Vec<f32>) -> Result<(), JsValue> {
        self.face.set_axes(&values).map_err(font_failure)
    }
}

fn is_vertical(shaped: &Option<Vec<String>>) -> bool {
    shaped.as_ref().and_then(|settings| settings.first()).is_some_and(|direction| direction == "ttb")
}

/// A rendered text mask (`TextFace.render`).
#[wasm_bindgen]
pub struct TextMask {
    rendered: font::Rendered,
}

#[wasm_bindgen]
impl TextMask {
    /// Width, height, x and y offset.
    pub fn geometry(&self) -> Vec<f64> {
        let mask = &self.rendered;
        vec![mask.width as f64, mask.height as f64, mask.x_offset as f64, mask.y_offset as f64]
    }

    /// The coverage bytes, one a pixel (four, RGBA, with an ink), rows top down.
    pub fn pixels(&self) -> Vec<u8> {
        self.rendered.pixels.clone()
    }
}

/// The tests' repeatable noise: a xorshift32 sequence from `seed`.
#[cfg(test)]
pub(crate) fn xorshift32(mut seed: u32) -> impl FnMut() -> u32 {
    move || {
        seed ^= seed << 13;
        seed ^= seed >> 17;
        seed ^= seed << 5;
        seed
    }
}
