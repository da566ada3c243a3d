//! Pillow's effects (libImaging's Effects.c): the Mandelbrot set and
//! Gaussian noise as grey pictures, and pixels spread at random. Noise and
//! spread draw from [`Random`], seeded by the caller, where Pillow calls C's
//! `rand()`: the same distributions, other numbers.

use crate::buffer::{ImageError, RgbaBuffer};

type Result<T> = std::result::Result<T, ImageError>;

/// The largest value [`Random::draw`] gives, as glibc's `RAND_MAX`.
const RAND_MAX: u32 = 0x7FFF_FFFF;

/// A small fast generator (xorshift64*) of numbers from 0 to `RAND_MAX`.
pub struct Random(u64);

impl Random {
    pub fn new(seed: u64) -> Self {
        // Zero would stay zero: any other start works.
        Self(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    pub fn draw(&mut self) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 33) as u32 & RAND_MAX
    }
}

/// The Mandelbrot set over `extent` (x0, y0, x1, y1) as `width` x `height`
/// grey values, Pillow's: the escape step times 255 over `quality`, 0
/// inside. Pillow's `ValueError` (here `BadArgument`) for an extent the
/// wrong way round or a quality below 2.
pub fn mandelbrot(width: u32, height: u32, extent: [f64; 4], quality: u32) -> Result<Vec<u8>> {
    let (span_x, span_y) = (extent[2] - extent[0], extent[3] - extent[1]);
    if span_x.is_nan() || span_y.is_nan() || span_x < 0.0 || span_y < 0.0 || quality < 2 {
        return Err(ImageError::BadArgument {
            name: "extent",
            message: "must go from (x0, y0) to (x1, y1) with x1 >= x0 and y1 >= y0, and quality must be at least 2"
                .into(),
        });
    }
    let step_x = span_x / f64::from(width.saturating_sub(1));
    let step_y = span_y / f64::from(height.saturating_sub(1));
    let mut grey = Vec::with_capacity(width as usize * height as usize);
    for y in 0..height {
        let ci = f64::from(y) * step_y + extent[1];
        for x in 0..width {
            let cr = f64::from(x) * step_x + extent[0];
            let (mut x1, mut y1, mut xi2, mut yi2) = (0.0_f64, 0.0_f64, 0.0_f64, 0.0_f64);
            let mut value = 0;
            // Pillow tests the escape before the step count: a point escaping
            // at step quality + 1 gets (quality + 1) * 255 / quality, cut to
            // a byte as C's assignment cuts it.
            for k in 1..=u64::from(quality) + 1 {
                y1 = 2.0 * x1 * y1 + ci;
                x1 = xi2 - yi2 + cr;
                xi2 = x1 * x1;
                yi2 = y1 * y1;
                if xi2 + yi2 > 100.0 {
                    value = (k * 255 / u64::from(quality)) as u8;
                    break;
                }
            }
            grey.push(value);
        }
    }
    Ok(grey)
}

/// Gaussian noise around 128 with deviation `sigma` as grey values
/// (Pillow's polar method, two values from each pair of draws).
pub fn noise(width: u32, height: u32, sigma: f64, random: &mut Random) -> Vec<u8> {
    let count = width as usize * height as usize;
    let mut grey = Vec::with_capacity(count);
    let mut spare = None;
    while grey.len() < count {
        let value = match spare.take() {
            Some(value) => value,
            None => {
                let (v1, v2, radius) = loop {
                    let v1 = f64::from(random.draw()) * (2.0 / f64::from(RAND_MAX)) - 1.0;
                    let v2 = f64::from(random.draw()) * (2.0 / f64::from(RAND_MAX)) - 1.0;
                    let radius = v1 * v1 + v2 * v2;
                    if radius < 1.0 && radius > 0.0 {
                        break (v1, v2, radius);
                    }
                };
                let factor = (-2.0 * radius.ln() / radius).sqrt();
                spare = Some(factor * v2);
                factor * v1
            }
        };
        let level = 128.0 + sigma * value;
        // C's CLIP8 then a conversion to a byte: truncated toward zero.
        grey.push(if level <= 0.0 {
            0
        } else if level < 256.0 {
            level as u8
        } else {
            255
        });
    }
    grey
}

/// Pillow's `effect_spread`: each pixel, in reading order, swapped with one
/// up to `distance / 2` away in each direction (the source's pixels are
/// read, the result's written; a pick outside the image keeps the pixel).
pub fn spread(source: &RgbaBuffer, distance: u32, random: &mut Random) -> Result<RgbaBuffer> {
    let (width, height) = source.size();
    let mut result = RgbaBuffer::from_vec(width, height, source.data().to_vec())?;
    if distance == 0 {
        return Ok(result);
    }
    let (input, output) = (source.data(), result.data_mut());
    let at = |x: usize, y: usize| (y * width as usize + x) * 4;
    let half = i64::from(distance / 2);
    for y in 0..height as usize {
        for x in 0..width as usize {
            let xx = x as i64 + i64::from(random.draw() % distance) - half;
            let yy = y as i64 + i64::from(random.draw() % distance) - half;
            let here = at(x, y);
            if (0..i64::from(width)).contains(&xx) && (0..i64::from(height)).contains(&yy) {
                let there = at(xx as usize, yy as usize);
                output[there..there + 4].copy_from_slice(&input[here..here + 4]);
                output[here..here + 4].copy_from_slice(&input[there..there + 4]);
            } else {
                output[here..here + 4].copy_from_slice(&input[here..here + 4]);
            }
        }
    }
    Ok(result)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mandelbrot_set_is_pillows_formula() {
        let grey = mandelbrot(5, 3, [-2.0, -1.0, 1.0, 1.0], 10).unwrap();
        // (-2, -1) escapes at the 3rd step: 3 * 255 / 10; (-0.5, 0) stays inside.
        assert_eq!(grey[0], 76);
        assert_eq!(grey[5 + 2], 0);
        assert_eq!(grey.len(), 15);
        for (extent, quality) in [([1.0, 0.0, 0.0, 1.0], 10), ([0.0, 0.0, 1.0, 1.0], 1)] {
            assert!(mandelbrot(4, 4, extent, quality).is_err());
        }
        // -2 + 1.1i escapes at step 3 = quality + 1: 3 * 255 / 2 = 382, cut to 126.
        assert_eq!(mandelbrot(2, 2, [-2.0, 1.1, -1.0, 2.1], 2).unwrap()[0], 126);
        // One column: a step of infinity, as Pillow's division gives, no panic.
        assert_eq!(mandelbrot(1, 2, [0.0, 0.0, 1.0, 1.0], 4).unwrap().len(), 2);
    }

    #[test]
    fn noise_is_centred_with_the_deviation_asked() {
        let grey = noise(200, 100, 20.0, &mut Random::new(7));
        let mean = grey.iter().map(|&v| f64::from(v)).sum::<f64>() / grey.len() as f64;
        let variance = grey.iter().map(|&v| (f64::from(v) - mean).powi(2)).sum::<f64>() / grey.len() as f64;
        assert!((mean - 128.0).abs() < 1.0, "mean {mean}");
        assert!((variance.sqrt() - 20.0).abs() < 1.0, "deviation {}", variance.sqrt());
        assert!(noise(3, 3, 1e9, &mut Random::new(1)).iter().all(|&v| v == 0 || v == 255));
    }

    #[test]
    fn spread_moves_pixels_within_the_distance() {
        let data: Vec<u8> = (0..20 * 10u32).flat_map(|i| [i as u8, (i >> 8) as u8, 0, 255]).collect();
        let source = RgbaBuffer::from_vec(20, 10, data.clone()).unwrap();
        assert_eq!(spread(&source, 0, &mut Random::new(3)).unwrap().data(), &data[..]);
        let moved = spread(&source, 4, &mut Random::new(3)).unwrap();
        assert_ne!(moved.data(), &data[..]);
        for (index, pixel) in moved.data().chunks_exact(4).enumerate() {
            let origin = usize::from(pixel[0]) + 256 * usize::from(pixel[1]);
            let (x, y) = ((index % 20) as i64, (index / 20) as i64);
            let (ox, oy) = ((origin % 20) as i64, (origin / 20) as i64);
            // A pixel can be carried twice: at most two steps of two.
            assert!((x - ox).abs() <= 4 && (y - oy).abs() <= 4, "{index} from {origin}");
        }
    }
}
