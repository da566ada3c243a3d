//! Flips, quarter turns and mirrors of a whole RGBA image.

use crate::buffer::{BYTES_PER_PIXEL, Result, try_alloc};

/// Pillow's `Image.Transpose` methods, numbered as Pillow numbers them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transpose {
    FlipLeftRight,
    FlipTopBottom,
    /// A quarter turn counter-clockwise.
    Rotate90,
    Rotate180,
    /// A quarter turn clockwise.
    Rotate270,
    /// Mirrored on the main diagonal: (x, y) -> (y, x).
    Transpose,
    /// Mirrored on the other diagonal.
    Transverse,
}

impl Transpose {
    pub const ALL: [(u32, &'static str, Transpose); 7] = [
        (0, "FLIP_LEFT_RIGHT", Self::FlipLeftRight),
        (1, "FLIP_TOP_BOTTOM", Self::FlipTopBottom),
        (2, "ROTATE_90", Self::Rotate90),
        (3, "ROTATE_180", Self::Rotate180),
        (4, "ROTATE_270", Self::Rotate270),
        (5, "TRANSPOSE", Self::Transpose),
        (6, "TRANSVERSE", Self::Transverse),
    ];

    /// Whether the result has width and height exchanged.
    pub fn swaps_sides(self) -> bool {
        matches!(self, Self::Rotate90 | Self::Rotate270 | Self::Transpose | Self::Transverse)
    }
}

/// `data` (`width` x `height`) flipped, turned or mirrored as Pillow's
/// `transpose(method)`; the result is `height` x `width` where
/// [`Transpose::swaps_sides`].
pub fn transpose(data: &[u8], width: usize, height: usize, method: Transpose) -> Result<Vec<u8>> {
    let mut out = try_alloc(data.len(), 0)?;
    let (w, h) = (width as isize, height as isize);
    // Output pixel (x, y) reads input pixel `origin + x * along + y * down`,
    // counted in pixels.
    let (origin, along, down) = match method {
        Transpose::FlipLeftRight => (w - 1, -1, w),
        Transpose::FlipTopBottom => ((h - 1) * w, 1, -w),
        Transpose::Rotate90 => (w - 1, w, -1),
        Transpose::Rotate180 => (h * w - 1, -1, -w),
        Transpose::Rotate270 => ((h - 1) * w, -w, 1),
        Transpose::Transpose => (0, w, 1),
        Transpose::Transverse => (h * w - 1, -w, -1),
    };
    let out_width = if method.swaps_sides() { height } else { width };
    for (y, out_row) in out.chunks_exact_mut(out_width * BYTES_PER_PIXEL).enumerate() {
        let mut from = origin + y as isize * down;
        for pixel in out_row.chunks_exact_mut(BYTES_PER_PIXEL) {
            let at = from as usize * BYTES_PER_PIXEL;
            pixel.copy_from_slice(&data[at..at + BYTES_PER_PIXEL]);
            from += along;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::buffer::samples::{numbered, reds};
    use proptest::prelude::*;

    #[test]
    fn transposes_of_a_small_image() {
        // 0 1 2
        // 3 4 5
        let data = numbered(3, 2);
        let moved = |method| reds(&transpose(&data, 3, 2, method).unwrap());
        assert_eq!(moved(Transpose::FlipLeftRight), vec![2, 1, 0, 5, 4, 3]);
        assert_eq!(moved(Transpose::FlipTopBottom), vec![3, 4, 5, 0, 1, 2]);
        assert_eq!(moved(Transpose::Rotate270), vec![3, 0, 4, 1, 5, 2]);
        assert_eq!(moved(Transpose::Rotate90), vec![2, 5, 1, 4, 0, 3]);
        assert_eq!(moved(Transpose::Rotate180), vec![5, 4, 3, 2, 1, 0]);
        assert_eq!(moved(Transpose::Transpose), vec![0, 3, 1, 4, 2, 5]);
        assert_eq!(moved(Transpose::Transverse), vec![5, 2, 4, 1, 3, 0]);
    }

    /// Pillow's definition of each method, pixel by pixel: where the pixel
    /// at (x, y) of a `width` x `height` image lands.
    fn destination(method: Transpose, x: usize, y: usize, width: usize, height: usize) -> (usize, usize) {
        match method {
            Transpose::FlipLeftRight => (width - 1 - x, y),
            Transpose::FlipTopBottom => (x, height - 1 - y),
            Transpose::Rotate90 => (y, width - 1 - x),
            Transpose::Rotate180 => (width - 1 - x, height - 1 - y),
            Transpose::Rotate270 => (height - 1 - y, x),
            Transpose::Transpose => (y, x),
            Transpose::Transverse => (height - 1 - y, width - 1 - x),
        }
    }

    #[test]
    fn every_transpose_moves_each_pixel_where_pillow_does() {
        for (width, height) in [(1, 1), (3, 2), (2, 5), (4, 4)] {
            let data: Vec<u8> = (0..width * height).flat_map(|i| [i as u8, 0, 0, 255]).collect();
            for (_, _, method) in Transpose::ALL {
                let out = transpose(&data, width, height, method).unwrap();
                let out_width = if method.swaps_sides() { height } else { width };
                for y in 0..height {
                    for x in 0..width {
                        let (dx, dy) = destination(method, x, y, width, height);
                        assert_eq!(
                            out[(dy * out_width + dx) * 4],
                            (y * width + x) as u8,
                            "{method:?} {width}x{height}"
                        );
                    }
                }
            }
        }
    }

    proptest! {
        #[test]
        fn four_quarter_turns_and_two_flips_are_identity(width in 1usize..9, height in 1usize..9, seed in any::<u8>()) {
            let data: Vec<u8> = (0..width * height * 4).map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed)).collect();
            let mut turned = data.clone();
            let (mut w, mut h) = (width, height);
            for _ in 0..4 {
                turned = transpose(&turned, w, h, Transpose::Rotate270).unwrap();
                std::mem::swap(&mut w, &mut h);
            }
            prop_assert_eq!(&turned, &data);
            for method in [Transpose::FlipLeftRight, Transpose::Transpose, Transpose::Transverse] {
                let (w, h) = if method.swaps_sides() { (height, width) } else { (width, height) };
                let once = transpose(&data, width, height, method).unwrap();
                prop_assert_eq!(&transpose(&once, w, h, method).unwrap(), &data);
            }
        }
    }
}
