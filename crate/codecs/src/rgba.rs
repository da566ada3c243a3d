//! What every decoder produces: 8-bit RGBA, row-major, 4 bytes a pixel,
//! the layout rust_image keeps its pixels in; and the layouts encoders take.

use crate::error::{CodecError, Limits, Result};
use crate::{bmp, fli, gif, ico, jpeg, jpeg2000, pcx, png, ppm, sgi, tga, tiff, webp};

/// A decoded picture: 4 bytes a pixel, laid out as rust_image stores
/// `mode`: "RGBA" for colours (the host picks the mode the file's header
/// tells), "P" for palette indices (the index in red, green and blue,
/// alpha 255; `palette` holds the file's colours as RGBA entries, alpha
/// from its transparency), "I;16" for 16-bit greys or "I" for a 16-bit
/// PGM's values (a little-endian u32).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub width: u32,
    pub height: u32,
    pub pixels: Vec<u8>,
    pub mode: &'static str,
    pub palette: Vec<[u8; 4]>,
}

impl Decoded {
    /// RGBA pixels.
    pub fn rgba(width: u32, height: u32, pixels: Vec<u8>) -> Self {
        Self { width, height, pixels, mode: "RGBA", palette: Vec::new() }
    }

    /// Palette indices stored as greys, with the colours they index.
    pub fn indexed(width: u32, height: u32, pixels: Vec<u8>, palette: Vec<[u8; 4]>) -> Self {
        Self { width, height, pixels, mode: "P", palette }
    }

    /// The same picture as RGBA colours: indices through the palette (an
    /// index past its end is opaque black), 16-bit greys ("I;16", and "I"
    /// of 0..65535) by their high byte.
    pub fn into_rgba(mut self) -> Self {
        match self.mode {
            "P" => {
                for pixel in self.pixels.chunks_exact_mut(4) {
                    let colour = self.palette.get(usize::from(pixel[0])).copied().unwrap_or([0, 0, 0, 255]);
                    pixel.copy_from_slice(&colour);
                }
            }
            "I;16" | "I" => {
                for pixel in self.pixels.chunks_exact_mut(4) {
                    pixel.copy_from_slice(&[pixel[1], pixel[1], pixel[1], 255]);
                }
            }
            _ => {}
        }
        self.mode = "RGBA";
        self.palette = Vec::new();
        self
    }
}

/// A palette whose entry `i` is the grey `i`: decoding through it stores
/// each pixel's index where a palette colour would go.
pub fn identity_palette() -> Vec<[u8; 4]> {
    (0..=255).map(|index| [index, index, index, 255]).collect()
}

/// The picture in a whole file of any format read here, by its signature,
/// with the format's name as Pillow gives it ("PNG", "JPEG", "GIF", "WEBP",
/// "BMP", "PPM", "PCX", "ICO", "TIFF", "SGI", "JPEG2000", "FLI", "TGA"). What the exported `decode` runs, and what the fuzz test feeds.
pub fn decode_file(file: &[u8], limits: Limits) -> Result<(&'static str, Decoded)> {
    decode_file_with(file, limits, false)
}

/// [`decode_file`], or with `load_truncated` (Pillow's
/// `ImageFile.LOAD_TRUNCATED_IMAGES`) a truncated PNG, JPEG, raw Netpbm or
/// uncompressed BMP decoded as far as its data goes. Palette files give
/// their indices and 16-bit grey PNGs their values, in Pillow's modes
/// ("P", "I;16": see [`Decoded`]).
pub fn decode_file_with(file: &[u8], limits: Limits, load_truncated: bool) -> Result<(&'static str, Decoded)> {
    if png::is_png(file) {
        Ok(("PNG", png::decode_png_with(file, limits, load_truncated)?))
    } else if jpeg::is_jpeg(file) {
        Ok(("JPEG", jpeg::decode_jpeg_with(file, limits, load_truncated)?))
    } else if gif::is_gif(file) {
        Ok(("GIF", gif::decode_gif_indexed(file, limits, load_truncated)?))
    } else if webp::is_webp(file) {
        Ok(("WEBP", webp::decode_webp(file, limits)?))
    } else if bmp::is_bmp(file) {
        Ok(("BMP", bmp::decode_bmp_with(file, limits, load_truncated)?))
    } else if ppm::is_ppm(file) {
        Ok(("PPM", ppm::decode_ppm_with(file, limits, load_truncated)?))
    } else if ico::is_ico(file) {
        Ok(("ICO", ico::decode_ico(file, limits)?))
    } else if tiff::is_tiff(file) {
        Ok(("TIFF", tiff::decode_tiff(file, limits)?))
    } else if pcx::is_pcx(file) {
        Ok(("PCX", pcx::decode_pcx(file, limits)?))
    } else if sgi::is_sgi(file) {
        Ok(("SGI", sgi::decode_sgi(file, limits)?))
    } else if jpeg2000::is_jpeg2000(file) {
        Ok(("JPEG2000", jpeg2000::decode_jpeg2000(file, limits, 0)?))
    } else if fli::is_fli(file) {
        Ok(("FLI", fli::decode_fli(file, limits, load_truncated)?))
    } else if tga::is_tga(file) {
        // Last: TGA has no signature, only a header of plausible values.
        Ok(("TGA", tga::decode_tga(file, limits)?))
    } else {
        Err(CodecError::damaged(
            "picture",
            "it is not a PNG, JPEG, GIF, WebP, BMP, PPM, PCX, ICO, TIFF, SGI, JPEG 2000, FLI or TGA file",
        ))
    }
}

/// The layout of pixels handed to an encoder, by Pillow's mode name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    L,
    La,
    Rgb,
    Rgba,
}

impl Layout {
    pub fn from_mode(mode: &str) -> Result<Self> {
        match mode {
            "L" => Ok(Self::L),
            "LA" => Ok(Self::La),
            "RGB" => Ok(Self::Rgb),
            "RGBA" => Ok(Self::Rgba),
            other => Err(CodecError::BadMode { mode: other.chars().take(40).collect() }),
        }
    }

    pub fn bytes_per_pixel(self) -> u8 {
        match self {
            Self::L => 1,
            Self::La => 2,
            Self::Rgb => 3,
            Self::Rgba => 4,
        }
    }
}

/// Spreads `channels`-per-pixel samples (grey, grey+alpha, RGB or RGBA) at
/// the front of `pixels` over the whole buffer as RGBA. Works from the last
/// pixel back, so nothing is overwritten before it is read and no second
/// buffer is needed.
pub fn expand_to_rgba(pixels: &mut [u8], channels: usize) {
    let count = pixels.len() / 4;
    for index in (0..count).rev() {
        let from = index * channels;
        let rgba = match channels {
            1 => [pixels[from], pixels[from], pixels[from], 255],
            2 => [pixels[from], pixels[from], pixels[from], pixels[from + 1]],
            3 => [pixels[from], pixels[from + 1], pixels[from + 2], 255],
            _ => return,
        };
        pixels[index * 4..(index + 1) * 4].copy_from_slice(&rgba);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expands_in_place() {
        let mut grey = vec![7, 9, 0, 0, 0, 0, 0, 0];
        expand_to_rgba(&mut grey, 1);
        assert_eq!(grey, [7, 7, 7, 255, 9, 9, 9, 255]);
        let mut rgb = vec![1, 2, 3, 4, 5, 6, 0, 0];
        expand_to_rgba(&mut rgb, 3);
        assert_eq!(rgb, [1, 2, 3, 255, 4, 5, 6, 255]);
    }
}
