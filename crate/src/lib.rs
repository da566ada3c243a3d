//! The wasm-bindgen surface of `rust_image`. Only exports live here; the pixel
//! logic is plain Rust in the modules below, tested natively with `cargo test`.

pub mod seed;

use seed::{COLOR_BYTES, Color, SEED_PIXELS};
use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: a Rust panic then reaches the
/// browser console with its message instead of a bare "unreachable".
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
}

/// The lesson's image: a vector of RGB pixels that the host reads in place.
#[wasm_bindgen]
pub struct Image {
    pixels: Vec<Color>,
}

#[wasm_bindgen]
impl Image {
    /// Exported as the JS constructor, so `new Image()` from JS and
    /// `rust_image.Image.new()` from Pyodide both build it.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Image {
        Image { pixels: SEED_PIXELS.to_vec() }
    }

    /// Address of the first pixel in the module's linear memory.
    pub fn pixels_ptr(&self) -> *const Color {
        self.pixels.as_ptr()
    }

    /// Length of the pixel buffer in bytes (3 per pixel).
    pub fn pixels_len(&self) -> usize {
        self.pixels.len() * COLOR_BYTES
    }

    /// Number of pixels.
    pub fn pixel_count(&self) -> usize {
        self.pixels.len()
    }
}

impl Default for Image {
    fn default() -> Self {
        Self::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_image_holds_the_seed_pixels() {
        let image = Image::new();
        assert_eq!(image.pixel_count(), 2);
        assert_eq!(image.pixels_len(), 6);
        assert_eq!(seed::as_bytes(&image.pixels), &[255, 0, 0, 60, 70, 90]);
    }

    #[test]
    fn pointer_addresses_the_pixel_bytes() {
        let image = Image::new();
        // SAFETY: the pointer and length come from the live image just above.
        let bytes = unsafe { std::slice::from_raw_parts(image.pixels_ptr().cast::<u8>(), image.pixels_len()) };
        assert_eq!(bytes, &[255, 0, 0, 60, 70, 90]);
    }
}
