//! Neighbourhood filters over a whole RGBA image (`data`, `width`, `height`).
//! Blurs follow Pillow's `BoxBlur`/`GaussianBlur`: all four channels, edges
//! extended, cost independent of the radius. Convolutions and the median
//! follow Pillow's `Kernel` and `MedianFilter` on red, green and blue; alpha is
//! kept.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Result, try_alloc};

/// Largest blur radius or sigma accepted.
pub const MAX_BLUR_RADIUS: f64 = 10_000.0;

fn check_radius(name: &'static str, radius: f64) -> Result<()> {
    if radius.is_finite() && (0.0..=MAX_BLUR_RADIUS).contains(&radius) {
        Ok(())
    } else {
        Err(ImageError::BadNumber { name, value: radius, expected: "a number from 0 to 10000" })
    }
}

/// One box-blur pass along a line of `len` pixels: `get(i)` reads channel
/// values, `put(i, v)` writes them. Pillow's fixed-point weights: the
/// `2 * floor(r) + 1` central pixels count fully, the two next ones by the
/// fractional part of `r`.
fn blur_line(len: usize, radius: f32, read: impl Fn(usize) -> [u8; 4], mut write: impl FnMut(usize, [u8; 4])) {
    let whole = radius.floor() as usize;
    let weight = ((1u64 << 24) as f32 / (radius * 2.0 + 1.0)) as u64;
    let edge_weight = ((1u64 << 24) - (whole as u64 * 2 + 1) * weight) / 2;
    let last = len - 1;
    let at = |i: isize| read(i.clamp(0, last as isize) as usize);
    let whole_i = whole as isize;

    // Sum of the window [-whole, whole] around pixel 0, edges extended, in
    // O(len) whatever the radius.
    let mut sum = [0u64; 4];
    let first = read(0);
    let end = read(last);
    let inside = whole.min(last);
    for c in 0..4 {
        sum[c] = u64::from(first[c]) * (whole as u64 + 1) + u64::from(end[c]) * whole.saturating_sub(last) as u64;
    }
    for i in 1..=inside {
        let p = read(i);
        for c in 0..4 {
            sum[c] += u64::from(p[c]);
        }
    }

    for x in 0..len as isize {
        let before = at(x - whole_i - 1);
        let after = at(x + whole_i + 1);
        let mut out = [0u8; 4];
        for c in 0..4 {
            let edges = u64::from(before[c]) + u64::from(after[c]);
            out[c] = ((sum[c] * weight + edges * edge_weight + (1 << 23)) >> 24).min(255) as u8;
        }
        write(x as usize, out);
        let leaving = at(x - whole_i);
        for c in 0..4 {
            sum[c] = sum[c] + u64::from(after[c]) - u64::from(leaving[c]);
        }
    }
}

fn pixel_at(data: &[u8], index: usize) -> [u8; 4] {
    let at = index * BYTES_PER_PIXEL;
    [data[at], data[at + 1], data[at + 2], data[at + 3]]
}

/// Blurs each row, through a scratch copy of it.
fn horizontal_pass(data: &mut [u8], width: usize, radius: f32, line: &mut Vec<u8>) {
    for row in data.chunks_exact_mut(width * BYTES_PER_PIXEL) {
        line.clear();
        line.extend_from_slice(row);
        blur_line(width, radius, |i| pixel_at(line, i), |i, p| row[i * 4..i * 4 + 4].copy_from_slice(&p));
    }
}

/// Blurs each column, through a scratch copy of it.
fn vertical_pass(data: &mut [u8], width: usize, height: usize, radius: f32, line: &mut Vec<u8>) {
    for x in 0..width {
        line.clear();
        for y in 0..height {
            line.extend_from_slice(&pixel_at(data, y * width + x));
        }
        blur_line(height, radius, |i| pixel_at(line, i), |y, p| {
            let at = (y * width + x) * BYTES_PER_PIXEL;
            data[at..at + 4].copy_from_slice(&p);
        });
    }
}

/// Pillow's `ImageFilter.BoxBlur(radius)`: the mean of a (2r+1)x(2r+1) box,
/// edges extended; a fractional radius weighs the outermost pixels partly.
pub fn box_blur(data: &mut [u8], width: usize, height: usize, radius: f64) -> Result<()> {
    check_radius("radius", radius)?;
    box_blur_passes(data, width, height, radius as f32, 1)
}

fn box_blur_passes(data: &mut [u8], width: usize, height: usize, radius: f32, passes: usize) -> Result<()> {
    if radius == 0.0 {
        return Ok(());
    }
    let mut line = try_alloc(width.max(height) * BYTES_PER_PIXEL, 0)?;
    // Every horizontal pass before the vertical ones, as Pillow orders them:
    // the rounding to bytes between passes then matches too.
    for _ in 0..passes {
        horizontal_pass(data, width, radius, &mut line);
    }
    for _ in 0..passes {
        vertical_pass(data, width, height, radius, &mut line);
    }
    Ok(())
}

/// Box radius whose three passes approximate a Gaussian of `sigma`
/// (Gwosdek et al., "Theoretical foundations of Gaussian convolution by
/// extended box filtering", as Pillow uses it).
pub fn gaussian_box_radius(sigma: f64, passes: u32) -> f32 {
    let sigma2 = (sigma * sigma / f64::from(passes)) as f32;
    let box_length = (12.0 * sigma2 + 1.0).sqrt();
    let whole = ((box_length - 1.0) / 2.0).floor();
    let fraction = (2.0 * whole + 1.0) * (whole * (whole + 1.0) - 3.0 * sigma2)
        / (6.0 * (sigma2 - (whole + 1.0) * (whole + 1.0)));
    whole + fraction
}

/// Pillow's `ImageFilter.GaussianBlur(sigma)`: three extended box blurs.
pub fn gaussian_blur(data: &mut [u8], width: usize, height: usize, sigma: f64) -> Result<()> {
    check_radius("sigma", sigma)?;
    box_blur_passes(data, width, height, gaussian_box_radius(sigma, 3), 3)
}

/// A square convolution kernel as Pillow's `ImageFilter.Kernel` takes it.
#[derive(Debug, Clone, PartialEq)]
pub struct Kernel {
    pub size: usize,
    pub weights: Vec<f32>,
    pub scale: f32,
    pub offset: f32,
}

impl Kernel {
    /// `scale` 0 means the sum of the weights (or 1 when they sum to 0),
    /// as in Pillow.
    pub fn new(weights: &[f32], scale: f64, offset: f64) -> Result<Self> {
        let size = match weights.len() {
            9 => 3,
            25 => 5,
            n => {
                return Err(ImageError::BadArgument {
                    name: "kernel",
                    message: format!("must have 9 (3x3) or 25 (5x5) weights, got {n}"),
                });
            }
        };
        if let Some(bad) = weights.iter().find(|w| !w.is_finite()) {
            return Err(ImageError::BadNumber { name: "kernel weight", value: f64::from(*bad), expected: "finite" });
        }
        if !scale.is_finite() {
            return Err(ImageError::BadNumber { name: "scale", value: scale, expected: "a finite number" });
        }
        if !offset.is_finite() {
            return Err(ImageError::BadNumber { name: "offset", value: offset, expected: "a finite number" });
        }
        let mut scale = scale as f32;
        if scale == 0.0 {
            scale = weights.iter().sum();
            if scale == 0.0 {
                scale = 1.0;
            }
        }
        Ok(Self { size, weights: weights.to_vec(), scale, offset: offset as f32 })
    }

    /// `ImageFilter.SHARPEN`.
    pub fn sharpen() -> Self {
        Self::preset(&[-2.0, -2.0, -2.0, -2.0, 32.0, -2.0, -2.0, -2.0, -2.0], 16.0, 0.0)
    }

    /// `ImageFilter.FIND_EDGES`.
    pub fn edge_detect() -> Self {
        Self::preset(&[-1.0, -1.0, -1.0, -1.0, 8.0, -1.0, -1.0, -1.0, -1.0], 1.0, 0.0)
    }

    /// `ImageFilter.EMBOSS`.
    pub fn emboss() -> Self {
        Self::preset(&[-1.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0], 1.0, 128.0)
    }

    /// `ImageFilter.SMOOTH_MORE`, a 5x5 kernel.
    pub fn smooth_more() -> Self {
        #[rustfmt::skip]
        let weights = [
            1.0, 1.0, 1.0, 1.0, 1.0,
            1.0, 5.0, 5.0, 5.0, 1.0,
            1.0, 5.0, 44.0, 5.0, 1.0,
            1.0, 5.0, 5.0, 5.0, 1.0,
            1.0, 1.0, 1.0, 1.0, 1.0,
        ];
        Self::preset(&weights, 100.0, 0.0)
    }

    fn preset(weights: &[f32], scale: f32, offset: f32) -> Self {
        Self { size: if weights.len() == 9 { 3 } else { 5 }, weights: weights.to_vec(), scale, offset }
    }
}

/// Convolves red, green and blue with `kernel` exactly as Pillow's
/// `ImageFilter.Kernel` does: weight (row r, column c) multiplies the pixel
/// at (x + c - size/2, y + size/2 - r). Like Pillow, the outermost
/// `size / 2` rows and columns are copied unchanged, and an image smaller
/// than the kernel is left as it is.
pub fn convolve(data: &mut [u8], width: usize, height: usize, kernel: &Kernel) -> Result<()> {
    let half = kernel.size / 2;
    if width < kernel.size || height < kernel.size {
        return Ok(());
    }
    let source = {
        let mut copy = try_alloc(data.len(), 0)?;
        copy.copy_from_slice(data);
        copy
    };
    let stride = width * BYTES_PER_PIXEL;
    let inverse = 1.0 / kernel.scale;
    for y in half..height - half {
        for x in half..width - half {
            let mut sums = [0f32; 3];
            for ky in 0..kernel.size {
                // Pillow reads the first row of weights against the row
                // below the pixel: keep its orientation.
                let row = (y + half - ky) * stride;
                for kx in 0..kernel.size {
                    let weight = kernel.weights[ky * kernel.size + kx];
                    let at = row + (x + kx - half) * BYTES_PER_PIXEL;
                    sums[0] += weight * f32::from(source[at]);
                    sums[1] += weight * f32::from(source[at + 1]);
                    sums[2] += weight * f32::from(source[at + 2]);
                }
            }
            let at = y * stride + x * BYTES_PER_PIXEL;
            for c in 0..3 {
                data[at + c] = (sums[c] * inverse + kernel.offset + 0.5).clamp(0.0, 255.0) as u8;
            }
        }
    }
    Ok(())
}

/// Median of each 3x3 neighbourhood, per channel for red, green and blue,
/// edges extended (Pillow's `MedianFilter(3)`).
pub fn median3(data: &mut [u8], width: usize, height: usize) -> Result<()> {
    let source = {
        let mut copy = try_alloc(data.len(), 0)?;
        copy.copy_from_slice(data);
        copy
    };
    let clamp_x = |x: isize| x.clamp(0, width as isize - 1) as usize;
    let clamp_y = |y: isize| y.clamp(0, height as isize - 1) as usize;
    for y in 0..height {
        let rows = [clamp_y(y as isize - 1), y, clamp_y(y as isize + 1)];
        for x in 0..width {
            let columns = [clamp_x(x as isize - 1), x, clamp_x(x as isize + 1)];
            for c in 0..3 {
                let mut window = [0u8; 9];
                for (i, &row) in rows.iter().enumerate() {
                    for (j, &column) in columns.iter().enumerate() {
                        window[i * 3 + j] = source[(row * width + column) * BYTES_PER_PIXEL + c];
                    }
                }
                window.sort_unstable();
                data[(y * width + x) * BYTES_PER_PIXEL + c] = window[4];
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn grey_row(values: &[u8]) -> Vec<u8> {
        values.iter().flat_map(|&v| [v, v, v, 255]).collect()
    }

    fn reds(data: &[u8]) -> Vec<u8> {
        data.chunks_exact(4).map(|p| p[0]).collect()
    }

    /// Box blur by brute force with edges extended, integer radius.
    fn naive_box_line(values: &[u8], radius: isize) -> Vec<u8> {
        let n = values.len() as isize;
        (0..n)
            .map(|x| {
                let sum: u32 = (x - radius..=x + radius).map(|i| u32::from(values[i.clamp(0, n - 1) as usize])).sum();
                ((f64::from(sum) / (2 * radius + 1) as f64) + 0.5).floor() as u8
            })
            .collect()
    }

    #[test]
    fn box_blur_of_a_line_matches_the_brute_force_mean() {
        let values = [0, 0, 90, 255, 30, 30, 200, 10];
        for radius in [1, 2, 5, 20] {
            let mut data = grey_row(&values);
            box_blur(&mut data, values.len(), 1, radius as f64).unwrap();
            let expected = naive_box_line(&values, radius);
            for (got, want) in reds(&data).iter().zip(&expected) {
                assert!(got.abs_diff(*want) <= 1, "radius {radius}: {got} vs {want}");
            }
        }
    }

    #[test]
    fn blur_radius_larger_than_the_image_tends_to_the_edges() {
        // 1001 copies of the near edge against 1000 of the far one.
        let mut data = grey_row(&[0, 255]);
        box_blur(&mut data, 2, 1, 1000.0).unwrap();
        assert_eq!(reds(&data), vec![127, 128]);
    }

    #[test]
    fn blur_of_a_flat_image_changes_nothing() {
        let mut data = vec![77u8; 5 * 4 * 4];
        gaussian_blur(&mut data, 5, 4, 3.0).unwrap();
        assert!(data.iter().all(|&v| v == 77));
        box_blur(&mut data, 5, 4, 2.5).unwrap();
        assert!(data.iter().all(|&v| v == 77));
    }

    #[test]
    fn one_pixel_survives_any_blur() {
        let mut data = vec![1, 2, 3, 4];
        gaussian_blur(&mut data, 1, 1, 50.0).unwrap();
        assert_eq!(data, vec![1, 2, 3, 4]);
    }

    #[test]
    fn blur_rejects_bad_radii() {
        let mut data = vec![0; 4];
        assert!(box_blur(&mut data, 1, 1, -1.0).is_err());
        assert!(gaussian_blur(&mut data, 1, 1, f64::NAN).is_err());
        assert_eq!(
            box_blur(&mut data, 1, 1, 1e9).unwrap_err().to_string(),
            "radius must be a number from 0 to 10000, got 1000000000"
        );
    }

    #[test]
    fn gaussian_box_radius_matches_pillows_formula() {
        // sigma 3 over 3 passes: sigma2 = 3, L = sqrt(37), l = 2,
        // a = 5 * (6 - 9) / (6 * (3 - 9)) = 5 / 12.
        let r = gaussian_box_radius(3.0, 3);
        assert!((r - (2.0 + 5.0 / 12.0)).abs() < 1e-5, "{r}");
    }

    #[test]
    fn gaussian_blur_spreads_a_dot_symmetrically() {
        let mut data = vec![0u8; 9 * 9 * 4];
        let centre = (4 * 9 + 4) * 4;
        data[centre] = 255;
        gaussian_blur(&mut data, 9, 9, 1.0).unwrap();
        let red = |x: usize, y: usize| data[(y * 9 + x) * 4];
        assert!(red(4, 4) > red(3, 4) && red(3, 4) > red(2, 4));
        assert_eq!(red(3, 4), red(5, 4));
        assert_eq!(red(4, 3), red(4, 5));
        assert_eq!(red(3, 4), red(4, 3));
    }

    #[test]
    fn kernels_are_validated() {
        assert!(Kernel::new(&[1.0; 8], 1.0, 0.0).is_err());
        assert_eq!(
            Kernel::new(&[1.0; 4], 1.0, 0.0).unwrap_err().to_string(),
            "kernel must have 9 (3x3) or 25 (5x5) weights, got 4"
        );
        assert!(Kernel::new(&[f32::NAN; 9], 1.0, 0.0).is_err());
        assert_eq!(Kernel::new(&[1.0; 9], 0.0, 0.0).unwrap().scale, 9.0);
        assert_eq!(Kernel::new(&[0.0; 25], 0.0, 0.0).unwrap().scale, 1.0);
    }

    #[test]
    fn identity_kernel_changes_nothing() {
        let mut identity = [0.0; 9];
        identity[4] = 1.0;
        let kernel = Kernel::new(&identity, 1.0, 0.0).unwrap();
        let original: Vec<u8> = (0..4 * 4 * 4).map(|v| (v * 7 % 256) as u8).collect();
        let mut data = original.clone();
        convolve(&mut data, 4, 4, &kernel).unwrap();
        assert_eq!(data, original);
    }

    #[test]
    fn edge_detect_is_zero_on_flat_areas_and_keeps_borders() {
        let mut data = vec![100u8; 4 * 4 * 4];
        convolve(&mut data, 4, 4, &Kernel::edge_detect()).unwrap();
        assert_eq!(data[(1 * 4 + 1) * 4], 0);
        assert_eq!(data[(1 * 4 + 1) * 4 + 3], 100);
        assert_eq!(data[0], 100);
    }

    #[test]
    fn kernel_rows_run_bottom_to_top_like_pillow() {
        let mut data = vec![100u8; 5 * 5 * 4];
        data[(2 * 5 + 2) * 4] = 200;
        let mut corner = [0.0; 9];
        corner[0] = 1.0;
        convolve(&mut data, 5, 5, &Kernel::new(&corner, 1.0, 0.0).unwrap()).unwrap();
        assert_eq!(data[(1 * 5 + 3) * 4], 200);
        assert_eq!(data[(2 * 5 + 2) * 4], 100);
    }

    #[test]
    fn emboss_of_flat_grey_is_its_offset() {
        let mut data = vec![50u8; 3 * 3 * 4];
        convolve(&mut data, 3, 3, &Kernel::emboss()).unwrap();
        assert_eq!(data[(1 * 3 + 1) * 4], 128);
    }

    #[test]
    fn five_by_five_kernel_leaves_small_images_alone() {
        let mut data = vec![9u8; 4 * 4 * 4];
        data[0] = 200;
        let before = data.clone();
        convolve(&mut data, 4, 4, &Kernel::smooth_more()).unwrap();
        assert_eq!(data, before);
    }

    #[test]
    fn median_removes_salt() {
        let mut data = grey_row(&[10; 9]);
        data[4 * 4] = 255;
        median3(&mut data, 3, 3).unwrap();
        assert!(reds(&data).iter().all(|&v| v == 10));
    }

    proptest! {
        #[test]
        fn blur_stays_within_the_input_range(values in prop::collection::vec(any::<u8>(), 1..40), radius in 0.0f64..50.0) {
            let mut data = grey_row(&values);
            box_blur(&mut data, values.len(), 1, radius).unwrap();
            let (lo, hi) = (*values.iter().min().unwrap(), *values.iter().max().unwrap());
            prop_assert!(reds(&data).iter().all(|&v| v >= lo && v <= hi));
        }
    }
}
