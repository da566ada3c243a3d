//! The two-pixel image of the lesson "Access WebAssembly memory directly from
//! JavaScript": plain Rust, no wasm-bindgen, so it is tested natively.

/// One RGB pixel. `repr(C)` fixes the layout to three consecutive bytes, which
/// is what lets the host read a `[Color]` straight out of linear memory.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Color {
    pub red: u8,
    pub green: u8,
    pub blue: u8,
}

/// Bytes one `Color` takes in memory.
pub const COLOR_BYTES: usize = std::mem::size_of::<Color>();

/// The lesson's pixels: pure red, then dark grey.
pub const SEED_PIXELS: [Color; 2] = [Color { red: 255, green: 0, blue: 0 }, Color { red: 60, green: 70, blue: 90 }];

/// The bytes of `pixels` exactly as the host sees them in linear memory.
pub fn as_bytes(pixels: &[Color]) -> &[u8] {
    // SAFETY: Color is repr(C) with three u8 fields, so it has size 3, align 1
    // and no padding; every byte of the slice is initialised.
    unsafe { std::slice::from_raw_parts(pixels.as_ptr().cast::<u8>(), pixels.len() * COLOR_BYTES) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn color_is_three_packed_bytes() {
        assert_eq!(COLOR_BYTES, 3);
        assert_eq!(std::mem::align_of::<Color>(), 1);
    }

    #[test]
    fn seed_bytes_are_red_then_dark_grey() {
        assert_eq!(as_bytes(&SEED_PIXELS), &[255, 0, 0, 60, 70, 90]);
    }

    #[test]
    fn empty_slice_has_no_bytes() {
        assert!(as_bytes(&[]).is_empty());
    }
}
