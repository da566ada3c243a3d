//! Pillow's conversions between image modes, in place over stored pixels.
//!
//! Every mode keeps 4 bytes a pixel (see `py/wasmcanvas/_modes.py`): the
//! one-byte modes ("1", "L", "P") in bytes 0..2 with 255 after, two-band
//! modes in bytes 0..2 and 3, "I" an `i32` and "F" an `f32` little-endian,
//! the 16-bit modes their value as a little-endian `u32`, three-band modes
//! and a 255 pad. So a conversion maps each 4 bytes to 4 new bytes, and the
//! arithmetic is Pillow's (`Convert.c`, `ConvertYCbCr.c`, `Palette.c`).

use crate::buffer::BYTES_PER_PIXEL;

/// An image mode as stored; the four 16-bit modes are stored alike.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StoredMode {
    Bilevel,
    L,
    La,
    LaPremultiplied,
    P,
    Pa,
    I,
    F,
    I16,
    Rgb,
    Rgba,
    RgbaPremultiplied,
    Rgbx,
    Cmyk,
    YCbCr,
    Lab,
    Hsv,
}

impl StoredMode {
    /// Pillow's mode names, each with how it is stored.
    pub const ALL: [(&'static str, StoredMode); 20] = [
        ("1", Self::Bilevel),
        ("L", Self::L),
        ("LA", Self::La),
        ("La", Self::LaPremultiplied),
        ("P", Self::P),
        ("PA", Self::Pa),
        ("I", Self::I),
        ("F", Self::F),
        ("I;16", Self::I16),
        ("I;16L", Self::I16),
        ("I;16B", Self::I16),
        ("I;16N", Self::I16),
        ("RGB", Self::Rgb),
        ("RGBA", Self::Rgba),
        ("RGBa", Self::RgbaPremultiplied),
        ("RGBX", Self::Rgbx),
        ("CMYK", Self::Cmyk),
        ("YCbCr", Self::YCbCr),
        ("LAB", Self::Lab),
        ("HSV", Self::Hsv),
    ];
}

/// A palette as `Convert.c` reads one: 256 RGBA entries (those past the
/// palette's size are opaque black).
pub type Palette = [[u8; 4]; 256];

/// The conversion is not one Pillow's core has (the caller goes through
/// the mode's base mode, as Pillow's `convert` does).
#[derive(Debug, PartialEq, Eq)]
pub struct Unsupported;

fn each(pixels: &mut [u8], convert: impl Fn([u8; 4]) -> [u8; 4]) {
    for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
        let out = convert([pixel[0], pixel[1], pixel[2], pixel[3]]);
        pixel.copy_from_slice(&out);
    }
}

fn grey(value: u8) -> [u8; 4] {
    [value, value, value, 255]
}

fn grey_alpha(value: u8, alpha: u8) -> [u8; 4] {
    [value, value, value, alpha]
}

/// Pillow's `L24` luma, as an int.
fn luma24(pixel: [u8; 4]) -> i32 {
    (i32::from(pixel[0]) * 19595 + i32::from(pixel[1]) * 38470 + i32::from(pixel[2]) * 7471 + 0x8000) >> 16
}

/// Pillow's `L` luma, times 1000.
fn luma1000(pixel: [u8; 4]) -> i32 {
    i32::from(pixel[0]) * 299 + i32::from(pixel[1]) * 587 + i32::from(pixel[2]) * 114
}

fn int(value: i32) -> [u8; 4] {
    value.to_le_bytes()
}

fn float(value: f32) -> [u8; 4] {
    value.to_le_bytes()
}

fn stored_int(pixel: [u8; 4]) -> i32 {
    i32::from_le_bytes(pixel)
}

fn stored_float(pixel: [u8; 4]) -> f32 {
    f32::from_le_bytes(pixel)
}

fn clip8(value: i32) -> u8 {
    value.clamp(0, 255) as u8
}

/// Pillow's `MULDIV255`: `a * b / 255` rounded, in integers.
fn muldiv255(a: u8, b: u8) -> u8 {
    let product = u32::from(a) * u32::from(b) + 128;
    ((product + (product >> 8)) >> 8) as u8
}

fn unpremultiply(value: u8, alpha: u8) -> u8 {
    if alpha == 255 || alpha == 0 { value } else { clip8(255 * i32::from(value) / i32::from(alpha)) }
}

fn sixteen_to_eight(pixel: [u8; 4]) -> u8 {
    if pixel[1] != 0 { 255 } else { pixel[0] }
}

fn cmyk_to_rgb(pixel: [u8; 4]) -> [u8; 4] {
    let black = 255 - pixel[3];
    let band = |ink: u8| clip8(i32::from(black) - i32::from(muldiv255(ink, black)));
    [band(pixel[0]), band(pixel[1]), band(pixel[2]), 255]
}

/// Pillow's `rgb2hsv_row` (after `colorsys`), with its C types: `f32`
/// variables, `f64` wherever a `double` constant joins in.
fn rgb_to_hsv(pixel: [u8; 4]) -> [u8; 3] {
    let (red, green, blue) = (pixel[0], pixel[1], pixel[2]);
    let high = red.max(green).max(blue);
    let low = red.min(green).min(blue);
    if high == low {
        return [0, 0, high];
    }
    let range = f32::from(high - low);
    let saturation: f32 = range / f32::from(high);
    let rc: f32 = f32::from(high - red) / range;
    let gc: f32 = f32::from(high - green) / range;
    let bc: f32 = f32::from(high - blue) / range;
    let hue: f32 = if red == high {
        bc - gc
    } else if green == high {
        (2.0 + f64::from(rc) - f64::from(bc)) as f32
    } else {
        (4.0 + f64::from(gc) - f64::from(rc)) as f32
    };
    let hue = ((f64::from(hue) / 6.0 + 1.0) % 1.0) as f32;
    [clip8((f64::from(hue) * 255.0) as i32), clip8((f64::from(saturation) * 255.0) as i32), high]
}

/// Pillow's `hsv2rgb`, with its C types as `rgb_to_hsv`.
fn hsv_to_rgb(pixel: [u8; 4]) -> [u8; 4] {
    let (hue, saturation, value) = (pixel[0], pixel[1], pixel[2]);
    if saturation == 0 {
        return [value, value, value, pixel[3]];
    }
    let sector = (f64::from(hue) * 6.0 / 255.0).floor() as i32;
    let fraction = (f64::from(hue) * 6.0 / 255.0 - f64::from(sector)) as f32;
    let share = (f64::from(saturation) / 255.0) as f32;
    let level = f64::from(value);
    let p = clip8((level * (1.0 - f64::from(share))).round() as i32);
    let q = clip8((level * (1.0 - f64::from(share * fraction))).round() as i32);
    let t = clip8((level * (1.0 - f64::from(share) * (1.0 - f64::from(fraction)))).round() as i32);
    let [red, green, blue] = match sector % 6 {
        0 => [value, t, p],
        1 => [q, value, p],
        2 => [p, value, t],
        3 => [p, q, value],
        4 => [t, p, value],
        _ => [value, p, q],
    };
    [red, green, blue, pixel[3]]
}

/// `ConvertYCbCr.c`'s tables: `coefficient * (i - offset)` in 1/64ths,
/// rounded as its generator rounded (half up, then toward zero).
struct YCbCrTables {
    y: [[i32; 256]; 3],
    cb: [[i32; 256]; 3],
    cr: [[i32; 256]; 3],
    r_cr: [i32; 256],
    g_cb: [i32; 256],
    g_cr: [i32; 256],
    b_cb: [i32; 256],
}

fn scaled_table(coefficient: f64, offset: f64) -> [i32; 256] {
    let mut table = [0; 256];
    for (index, entry) in table.iter_mut().enumerate() {
        *entry = ((index as f64 - offset) * coefficient * 64.0 + 0.5) as i32;
    }
    table
}

impl YCbCrTables {
    fn new() -> Self {
        let table = |coefficient| scaled_table(coefficient, 0.0);
        Self {
            y: [table(0.299), table(0.587), table(0.114)],
            cb: [table(-0.16874), table(-0.33126), table(0.5)],
            cr: [table(0.5), table(-0.41869), table(-0.08131)],
            r_cr: scaled_table(1.402, 128.0),
            g_cb: scaled_table(-0.34414, 128.0),
            g_cr: scaled_table(-0.71414, 128.0),
            b_cb: scaled_table(1.772, 128.0),
        }
    }

    fn ycbcr_of(&self, pixel: [u8; 4]) -> [u8; 4] {
        let [r, g, b] = [usize::from(pixel[0]), usize::from(pixel[1]), usize::from(pixel[2])];
        let sum = |t: &[[i32; 256]; 3]| (t[0][r] + t[1][g] + t[2][b]) >> 6;
        [sum(&self.y) as u8, (sum(&self.cb) + 128) as u8, (sum(&self.cr) + 128) as u8, pixel[3]]
    }

    fn rgb_of(&self, pixel: [u8; 4]) -> [u8; 4] {
        let (y, cb, cr) = (i32::from(pixel[0]), usize::from(pixel[1]), usize::from(pixel[2]));
        [
            clip8(y + (self.r_cr[cr] >> 6)),
            clip8(y + ((self.g_cb[cb] + self.g_cr[cr]) >> 6)),
            clip8(y + (self.b_cb[cb] >> 6)),
            pixel[3],
        ]
    }
}

/// Converts `pixels` from `from` to `to` in place as Pillow's
/// `ImagingConvert` does for that pair without dithering (a palette
/// source reads `palette`); `Unsupported` for a pair Pillow's core has no
/// converter for, the pixels then untouched.
pub fn convert(pixels: &mut [u8], from: StoredMode, to: StoredMode, palette: &Palette) -> Result<(), Unsupported> {
    use StoredMode::*;
    if from == to {
        return Ok(());
    }
    if matches!(from, P | Pa) {
        return from_palette(pixels, from == Pa, to, palette);
    }
    match (from, to) {
        (Bilevel, L) => each(pixels, |p| grey(if p[0] != 0 { 255 } else { 0 })),
        (Bilevel, I) => each(pixels, |p| int(if p[0] != 0 { 255 } else { 0 })),
        (Bilevel, F) => each(pixels, |p| float(if p[0] != 0 { 255.0 } else { 0.0 })),
        (Bilevel, La | Rgb | Rgba | Rgbx) => each(pixels, |p| grey(if p[0] != 0 { 255 } else { 0 })),
        (Bilevel, Cmyk) => each(pixels, |p| [0, 0, 0, if p[0] != 0 { 0 } else { 255 }]),
        (Bilevel, YCbCr) => each(pixels, |p| [if p[0] != 0 { 255 } else { 0 }, 128, 128, 255]),
        (Bilevel, Hsv) => each(pixels, |p| [0, 0, if p[0] != 0 { 255 } else { 0 }, 255]),
        (L, Bilevel) => each(pixels, |p| grey(if p[0] >= 128 { 255 } else { 0 })),
        (L, La | Rgb | Rgba | Rgbx) => each(pixels, |p| grey(p[0])),
        (L, I | I16) => each(pixels, |p| int(i32::from(p[0]))),
        (L, F) => each(pixels, |p| float(f32::from(p[0]))),
        (L, Cmyk) => each(pixels, |p| [0, 0, 0, !p[0]]),
        (L, YCbCr) => each(pixels, |p| [p[0], 128, 128, 255]),
        (L, Hsv) => each(pixels, |p| [0, 0, p[0], 255]),
        (La, L) => each(pixels, |p| grey(p[0])),
        (La, LaPremultiplied) => each(pixels, |p| grey_alpha(muldiv255(p[0], p[3]), p[3])),
        (La, Rgb | Rgba | Rgbx) => each(pixels, |p| grey_alpha(p[0], p[3])),
        (La, Cmyk) => each(pixels, |p| [0, 0, 0, !p[0]]),
        (La, YCbCr) => each(pixels, |p| [p[0], 128, 128, 255]),
        (La, Hsv) => each(pixels, |p| [0, 0, p[0], p[3]]),
        (LaPremultiplied, La) => each(pixels, |p| grey_alpha(unpremultiply(p[0], p[3]), p[3])),
        (I, L) | (I, Rgb | Rgba | Rgbx) => each(pixels, |p| grey(clip8(stored_int(p)))),
        (I, F) => each(pixels, |p| float(stored_int(p) as f32)),
        (I, Hsv) => each(pixels, |p| [0, 0, clip8(stored_int(p)), 255]),
        (I, I16) => each(pixels, |p| int(stored_int(p).clamp(0, 65535))),
        (F, L) => each(pixels, |p| {
            let value = stored_float(p);
            grey(if value <= 0.0 {
                0
            } else if value >= 255.0 {
                255
            } else {
                value as u8
            })
        }),
        // C's float-to-int cast; out of range it is undefined there, and
        // saturates here.
        (F, I) => each(pixels, |p| int(stored_float(p) as i32)),
        (Rgb | Rgba | Rgbx, Bilevel) => each(pixels, |p| grey(if luma1000(p) >= 128_000 { 255 } else { 0 })),
        (Rgb | Rgba | Rgbx, L) => each(pixels, |p| grey(luma24(p) as u8)),
        (Rgb | Rgbx, La | LaPremultiplied) => each(pixels, |p| grey(luma24(p) as u8)),
        (Rgba, La) => each(pixels, |p| grey_alpha(luma24(p) as u8, p[3])),
        (Rgb | Rgba | Rgbx, I) => each(pixels, |p| int(luma24(p))),
        (Rgb, I16) => each(pixels, |p| int(luma24(p) & 0xFF)),
        (Rgb | Rgba | Rgbx, F) => each(pixels, |p| float(luma1000(p) as f32 / 1000.0)),
        (Rgb, Rgba | RgbaPremultiplied | Rgbx) | (Rgba | Rgbx, Rgb) | (Rgba, Rgbx) => {
            each(pixels, |p| [p[0], p[1], p[2], 255])
        }
        (Rgba, RgbaPremultiplied) => {
            each(pixels, |p| [muldiv255(p[0], p[3]), muldiv255(p[1], p[3]), muldiv255(p[2], p[3]), p[3]])
        }
        (RgbaPremultiplied, Rgba) => {
            each(pixels, |p| [unpremultiply(p[0], p[3]), unpremultiply(p[1], p[3]), unpremultiply(p[2], p[3]), p[3]])
        }
        (RgbaPremultiplied, Rgb) => {
            each(pixels, |p| [unpremultiply(p[0], p[3]), unpremultiply(p[1], p[3]), unpremultiply(p[2], p[3]), 255])
        }
        (Rgb | Rgba | Rgbx, Cmyk) => each(pixels, |p| [!p[0], !p[1], !p[2], 0]),
        (Rgb | Rgba | Rgbx, YCbCr) => {
            let tables = YCbCrTables::new();
            each(pixels, |p| tables.ycbcr_of(p));
        }
        (Rgb | Rgba | Rgbx, Hsv) => each(pixels, |p| {
            let [h, s, v] = rgb_to_hsv(p);
            [h, s, v, p[3]]
        }),
        (Cmyk, Rgb | Rgba | Rgbx) => each(pixels, cmyk_to_rgb),
        (Cmyk, Hsv) => each(pixels, |p| {
            let [h, s, v] = rgb_to_hsv(cmyk_to_rgb(p));
            [h, s, v, 255]
        }),
        (YCbCr, L) => each(pixels, |p| grey(p[0])),
        (YCbCr, La) => each(pixels, |p| grey(p[0])),
        (YCbCr, Rgb) => {
            let tables = YCbCrTables::new();
            each(pixels, |p| tables.rgb_of(p));
        }
        (Hsv, Rgb) => each(pixels, hsv_to_rgb),
        (I16, I) => {}
        (I16, L) => each(pixels, |p| grey(sixteen_to_eight(p))),
        (I16, Rgb) => each(pixels, |p| grey(sixteen_to_eight(p))),
        (I16, F) => each(pixels, |p| float(stored_int(p) as f32)),
        _ => return Err(Unsupported),
    }
    Ok(())
}

fn from_palette(pixels: &mut [u8], alpha: bool, to: StoredMode, palette: &Palette) -> Result<(), Unsupported> {
    use StoredMode::*;
    let entry = |p: [u8; 4]| palette[usize::from(p[0])];
    match (to, alpha) {
        (Bilevel, _) => each(pixels, |p| grey(if luma1000(entry(p)) >= 128_000 { 255 } else { 0 })),
        (L, _) => each(pixels, |p| grey(luma24(entry(p)) as u8)),
        (La, false) => each(pixels, |p| grey_alpha(luma24(entry(p)) as u8, entry(p)[3])),
        (La, true) => each(pixels, |p| grey_alpha(luma24(entry(p)) as u8, p[3])),
        (P, _) => each(pixels, |p| grey(p[0])),
        // Pillow's `p2pa` takes alpha from an "RGBA" palette; the caller
        // passes an opaque one for an "RGB" palette.
        (Pa, _) => each(pixels, |p| grey_alpha(p[0], entry(p)[3])),
        (I, _) => each(pixels, |p| int(luma24(entry(p)))),
        (F, _) => each(pixels, |p| float(luma1000(entry(p)) as f32 / 1000.0)),
        (Rgb, _) => each(pixels, |p| {
            let [r, g, b, _] = entry(p);
            [r, g, b, 255]
        }),
        (Rgba | Rgbx, false) => each(pixels, entry),
        (Rgba | Rgbx, true) => each(pixels, |p| {
            let [r, g, b, _] = entry(p);
            [r, g, b, p[3]]
        }),
        (Cmyk, _) => each(pixels, |p| {
            let [r, g, b, _] = entry(p);
            [!r, !g, !b, 0]
        }),
        (YCbCr, _) => {
            let tables = YCbCrTables::new();
            each(pixels, |p| {
                let [r, g, b, _] = entry(p);
                tables.ycbcr_of([r, g, b, 255])
            });
        }
        (Hsv, _) => each(pixels, |p| {
            let [h, s, v] = rgb_to_hsv(entry(p));
            [h, s, v, 255]
        }),
        _ => return Err(Unsupported),
    }
    Ok(())
}

/// Pillow's `convert(mode, matrix)` of a three-band image: each output
/// band `m[0] * r + m[1] * g + m[2] * b + m[3]` in `f32`, plus 0.5 in
/// `f64`, clipped and truncated (`Matrix.c`); "L" (`to_grey`) takes the first
/// row into bytes 0..2, "RGB" all three rows. Alpha becomes 255.
pub fn convert_matrix(pixels: &mut [u8], matrix: &[f32; 12], to_grey: bool) {
    let band = |row: &[f32], p: [u8; 4]| -> u8 {
        let sum = row[0] * f32::from(p[0]) + row[1] * f32::from(p[1]) + row[2] * f32::from(p[2]) + row[3];
        let value = (f64::from(sum) + 0.5) as f32;
        if value <= 0.0 {
            0
        } else if value >= 255.0 {
            255
        } else {
            value as u8
        }
    };
    if to_grey {
        each(pixels, |p| grey(band(&matrix[..4], p)));
    } else {
        each(pixels, |p| [band(&matrix[..4], p), band(&matrix[4..8], p), band(&matrix[8..], p), 255]);
    }
}

/// Pillow's `tobilevel`: "L" or "RGB" rows to "1" with Floyd-Steinberg
/// error diffusion (the error of each row carries to the next).
pub fn dither_to_bilevel(pixels: &mut [u8], width: usize, from_colour: bool) {
    let mut errors = vec![0i32; width + 1];
    for row in pixels.chunks_exact_mut(width * BYTES_PER_PIXEL) {
        let (mut l, mut l0, mut l1) = (0i32, 0i32, 0i32);
        for (x, pixel) in row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
            let level =
                if from_colour { luma1000([pixel[0], pixel[1], pixel[2], 0]) / 1000 } else { i32::from(pixel[0]) };
            l = i32::from(clip8(level + (l + errors[x + 1]) / 16));
            let out = if l > 128 { 255 } else { 0 };
            pixel.copy_from_slice(&grey(out as u8));
            l -= out;
            let l2 = l;
            let d2 = l + l;
            l += d2;
            errors[x] = l + l0;
            l += d2;
            l0 = l + l1;
            l1 = l2;
            l += d2;
        }
        errors[width] = l0;
    }
}

/// The web palette Pillow's `convert("P")` uses for colour images: ten
/// black entries, then the 6x6x6 cube, blue slowest; 226 entries.
pub fn web_palette() -> Vec<[u8; 3]> {
    let mut entries = vec![[0; 3]; 10];
    for blue in (0..=255u8).step_by(51) {
        for green in (0..=255u8).step_by(51) {
            for red in (0..=255u8).step_by(51) {
                entries.push([red, green, blue]);
            }
        }
    }
    entries
}

/// The palette index `Palette.c`'s cache gives a colour: the nearest entry
/// (squared distance, the first of equals) to the colour with its two low
/// bits of each band cleared.
struct NearestCache<'a> {
    entries: &'a [[u8; 3]],
    cache: Vec<u16>,
}

impl<'a> NearestCache<'a> {
    fn new(entries: &'a [[u8; 3]]) -> Self {
        Self { entries, cache: vec![u16::MAX; 64 * 64 * 64] }
    }

    fn index(&mut self, red: u8, green: u8, blue: u8) -> u8 {
        let slot = usize::from(red >> 2) + usize::from(green >> 2) * 64 + usize::from(blue >> 2) * 4096;
        if self.cache[slot] == u16::MAX {
            let corner = [i32::from(red & 0xFC), i32::from(green & 0xFC), i32::from(blue & 0xFC)];
            let mut best = (i32::MAX, 0usize);
            for (index, entry) in self.entries.iter().enumerate() {
                let distance: i32 = (0..3).map(|band| (corner[band] - i32::from(entry[band])).pow(2)).sum();
                if distance < best.0 {
                    best = (distance, index);
                }
            }
            self.cache[slot] = best.1 as u16;
        }
        self.cache[slot] as u8
    }
}

/// Pillow's `topalette` for a colour image: each pixel to the index of its
/// nearest palette entry, with Floyd-Steinberg error diffusion when
/// `dither`. The index lands in bytes 0..2 with alpha 255 ("P" and "PA").
pub fn to_palette(pixels: &mut [u8], width: usize, entries: &[[u8; 3]], dither: bool) {
    if entries.is_empty() || width == 0 {
        return;
    }
    let mut cache = NearestCache::new(entries);
    if !dither {
        for pixel in pixels.chunks_exact_mut(BYTES_PER_PIXEL) {
            let index = cache.index(pixel[0], pixel[1], pixel[2]);
            pixel.copy_from_slice(&grey(index));
        }
        return;
    }
    let mut errors = vec![[0i32; 3]; width + 1];
    for row in pixels.chunks_exact_mut(width * BYTES_PER_PIXEL) {
        let mut current = [0i32; 3];
        let mut behind = [0i32; 3];
        let mut further = [0i32; 3];
        for (x, pixel) in row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
            let mut level = [0u8; 3];
            for band in 0..3 {
                level[band] = clip8(i32::from(pixel[band]) + (current[band] + errors[x + 1][band]) / 16);
            }
            let index = cache.index(level[0], level[1], level[2]);
            pixel.copy_from_slice(&grey(index));
            let chosen = entries[usize::from(index)];
            for band in 0..3 {
                let mut e = i32::from(level[band]) - i32::from(chosen[band]);
                let kept = e;
                let twice = e + e;
                e += twice;
                errors[x][band] = e + behind[band];
                e += twice;
                behind[band] = e + further[band];
                further[band] = kept;
                e += twice;
                current[band] = e;
            }
        }
        // Pillow's row end stores blue's carried errors in all three slots.
        errors[width] = [behind[2], further[2], further[2]];
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use StoredMode::*;

    const NO_PALETTE: Palette = [[0, 0, 0, 255]; 256];

    fn converted(pixel: [u8; 4], from: StoredMode, to: StoredMode) -> [u8; 4] {
        let mut bytes = pixel;
        convert(&mut bytes, from, to, &NO_PALETTE).expect("a conversion Pillow has");
        bytes
    }

    // Expected values from Pillow 13 (Image.new(...).convert(...).getpixel).
    #[test]
    fn rgb_converts_as_pillow() {
        let rgb = [100, 200, 30, 255];
        assert_eq!(converted(rgb, Rgb, YCbCr)[..3], [150, 59, 91]);
        assert_eq!(converted(rgb, Rgb, Hsv)[..3], [67, 216, 200]);
        assert_eq!(converted(rgb, Rgb, Cmyk), [155, 55, 225, 0]);
        assert_eq!(converted(rgb, Rgb, L), [151, 151, 151, 255]);
        assert_eq!(i32::from_le_bytes(converted(rgb, Rgb, I)), 151);
        assert_eq!(f32::from_le_bytes(converted(rgb, Rgb, F)), 150.72);
        assert_eq!(converted(rgb, Rgb, Bilevel)[0], 255);
    }

    #[test]
    fn other_spaces_come_back_to_rgb_as_pillow() {
        assert_eq!(converted([90, 200, 30, 255], YCbCr, Rgb)[..3], [0, 135, 217]);
        assert_eq!(converted([200, 100, 50, 255], Hsv, Rgb)[..3], [44, 30, 50]);
        assert_eq!(converted([10, 20, 30, 40], Cmyk, Rgb), [207, 198, 190, 255]);
        assert_eq!(converted([100, 50, 200, 128], Rgba, RgbaPremultiplied), [50, 25, 100, 128]);
        assert_eq!(converted([50, 25, 100, 128], RgbaPremultiplied, Rgba), [99, 49, 199, 128]);
    }

    #[test]
    fn wide_modes_clip_and_widen() {
        assert_eq!(converted(300i32.to_le_bytes(), I, L), [255, 255, 255, 255]);
        assert_eq!(converted((-5i32).to_le_bytes(), I, I16), [0; 4]);
        assert_eq!(converted(70_000i32.to_le_bytes(), I, I16), 65535i32.to_le_bytes());
        assert_eq!(converted(256i32.to_le_bytes(), I16, L)[0], 255);
        assert_eq!(converted(2.75f32.to_le_bytes(), F, I), 2i32.to_le_bytes());
        assert_eq!(converted(7i32.to_le_bytes(), I, F), 7f32.to_le_bytes());
    }

    #[test]
    fn pairs_pillow_lacks_are_refused_untouched() {
        let mut bytes = [1, 2, 3, 4];
        assert_eq!(convert(&mut bytes, Cmyk, L, &NO_PALETTE), Err(Unsupported));
        assert_eq!(convert(&mut bytes, Lab, Rgb, &NO_PALETTE), Err(Unsupported));
        assert_eq!(bytes, [1, 2, 3, 4]);
    }

    #[test]
    fn palette_indices_read_their_entries() {
        let mut palette = NO_PALETTE;
        palette[3] = [10, 20, 30, 40];
        let mut bytes = [3, 3, 3, 255, 3, 3, 3, 99];
        convert(&mut bytes[..4], P, Rgba, &palette).unwrap();
        convert(&mut bytes[4..], Pa, Rgba, &palette).unwrap();
        assert_eq!(bytes, [10, 20, 30, 40, 10, 20, 30, 99]);
    }

    #[test]
    fn matrix_conversion_matches_pillow() {
        // Pillow: Image.new("RGB", (1, 1), (100, 200, 30)).convert(mode, matrix)
        let matrix = [0.5, 0.25, 0.1, 3.0, 1.2, -0.3, 0.0, 0.0, 0.0, 0.0, 2.0, -10.0];
        let mut pixel = [100, 200, 30, 255];
        convert_matrix(&mut pixel, &matrix, false);
        assert_eq!(pixel, [106, 60, 50, 255]);
        let mut pixel = [100, 200, 30, 255];
        convert_matrix(&mut pixel, &matrix, true);
        assert_eq!(pixel, [106, 106, 106, 255]);
    }

    #[test]
    fn bilevel_dither_matches_pillow() {
        let mut pixels: Vec<u8> = (0..16).flat_map(|i| grey(i * 16)).collect();
        dither_to_bilevel(&mut pixels, 8, false);
        let bits: Vec<u8> = pixels.chunks(4).map(|p| p[0]).collect();
        assert_eq!(bits, [0, 0, 0, 0, 0, 0, 255, 0, 255, 0, 255, 255, 255, 255, 255, 255]);
    }

    #[test]
    fn web_palette_quantization_matches_pillow() {
        let rgb: Vec<u8> = (0..24u32).map(|i| (i * 37 % 256) as u8).collect();
        let pixels: Vec<u8> = rgb.chunks(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        let palette = web_palette();
        assert_eq!(palette.len(), 226);
        for (dither, expected) in
            [(true, [52, 174, 50, 132, 38, 95, 181, 88]), (false, [52, 174, 50, 131, 38, 95, 181, 88])]
        {
            let mut out = pixels.clone();
            to_palette(&mut out, 4, &palette, dither);
            let indices: Vec<u8> = out.chunks(4).map(|p| p[0]).collect();
            assert_eq!(indices, expected);
        }
    }
}
