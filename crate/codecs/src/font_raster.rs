//! Glyph outlines to coverage, as FreeType's renderers place and fill them:
//! the bitmap is the outline's control box rounded out to whole pixels
//! (rounded to pixel centres for the monochrome target), coverage is the
//! exact covered area (`font_gray`, a port of FreeType's smooth
//! rasterizer), and each glyph is blended into the text mask as Pillow blends it.
//! The stroke (Pillow's `FT_Stroker` with round caps and joins) is the
//! outline zeno's stroker makes at the same radius, filled by the same
//! rasterizer.

use crate::font_gray::Gray;
use zeno::{Cap, Command, Join, Point, Stroke};

/// A glyph outline in pixels, y up (FreeType's orientation).
#[derive(Default, Clone, Debug)]
pub struct Outline {
    commands: Vec<Command>,
    points: Vec<(f32, f32)>,
}

impl Outline {
    pub fn move_to(&mut self, x: f32, y: f32) {
        self.commands.push(Command::MoveTo(Point::new(x, y)));
        self.points.push((x, y));
    }

    pub fn line_to(&mut self, x: f32, y: f32) {
        self.commands.push(Command::LineTo(Point::new(x, y)));
        self.points.push((x, y));
    }

    pub fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        self.commands.push(Command::QuadTo(Point::new(cx, cy), Point::new(x, y)));
        self.points.extend([(cx, cy), (x, y)]);
    }

    pub fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        self.commands.push(Command::CurveTo(Point::new(cx0, cy0), Point::new(cx1, cy1), Point::new(x, y)));
        self.points.extend([(cx0, cy0), (cx1, cy1), (x, y)]);
    }

    pub fn close(&mut self) {
        self.commands.push(Command::Close);
    }

    /// `FT_Outline_Get_CBox` in 26.6: the box of all points, control points
    /// included (`[x_min, y_min, x_max, y_max]`), `None` for no points.
    pub fn control_box(&self) -> Option<[i64; 4]> {
        let mut points = self.points.iter().map(|&(x, y)| (to_26_6(x), to_26_6(y)));
        let (x, y) = points.next()?;
        Some(points.fold([x, y, x, y], |[x0, y0, x1, y1], (x, y)| [x0.min(x), y0.min(y), x1.max(x), y1.max(y)]))
    }

    /// FreeType's smooth coverage of the window of `width` x `height`
    /// pixels whose bottom-left corner is pixel `(left, bottom)`, rows top down.
    fn gray(&self, left: i64, bottom: i64, width: usize, height: usize) -> Vec<u8> {
        let mut gray = Gray::new(width, height);
        let (dx, dy) = (left * 64, bottom * 64);
        let at = |point: Point| (to_26_6(point.x) - dx, to_26_6(point.y) - dy);
        let mut start: Option<(i64, i64)> = None;
        let mut current = (0, 0);
        let close = |gray: &mut Gray, start: &mut Option<(i64, i64)>, current: (i64, i64)| {
            if let Some(first) = start.take() {
                if first != current {
                    gray.line_to(first.0, first.1);
                }
            }
        };
        for command in &self.commands {
            match *command {
                Command::MoveTo(p) => {
                    close(&mut gray, &mut start, current);
                    current = at(p);
                    start = Some(current);
                    gray.move_to(current.0, current.1);
                }
                Command::LineTo(p) => {
                    current = at(p);
                    gray.line_to(current.0, current.1);
                }
                Command::QuadTo(c, p) => {
                    let control = at(c);
                    current = at(p);
                    gray.conic_to(control.0, control.1, current.0, current.1);
                }
                Command::CurveTo(c0, c1, p) => {
                    current = at(p);
                    gray.cubic_to(at(c0), at(c1), current);
                }
                Command::Close => {
                    close(&mut gray, &mut start, current);
                    if let Some(first) = start {
                        current = first;
                    }
                }
            }
        }
        close(&mut gray, &mut start, current);
        gray.finish()
    }
}

/// A coordinate in 26.6, saturated far outside any bitmap FreeType makes.
/// A half unit is an on-curve point FreeType implies between two control
/// points, which its integer division truncates towards zero.
fn to_26_6(value: f32) -> i64 {
    let value = f64::from(value) * 64.0;
    if !value.is_finite() {
        return 0;
    }
    let value = if value.fract().abs() == 0.5 { value.trunc() } else { value.round() };
    value.clamp(-(1i64 << 40) as f64, (1i64 << 40) as f64) as i64
}

/// The pixel box `[left, bottom, right, top]` of the bitmap FreeType
/// renders an outline of control box `cbox` into
/// (`ft_glyphslot_preset_bitmap`): rounded out, or for the monochrome
/// target rounded to pixel centres with at least one pixel a side.
pub fn bitmap_box(cbox: Option<[i64; 4]>, mono: bool) -> [i64; 4] {
    let Some([x0, y0, x1, y1]) = cbox else {
        return [0; 4];
    };
    if mono {
        let round = |(low, high): (i64, i64)| {
            let (mut a, mut b) = ((low + 32) >> 6, (high + 32) >> 6);
            if a == b {
                // A collapsed side gets the pixel that covers most of it.
                if ((low + 32) & 63) + ((high + 32) & 63) >= 64 || (low + high) / 2 >= a * 64 {
                    b += 1;
                } else {
                    a -= 1;
                }
            }
            (a, b)
        };
        let (left, right) = round((x0, x1));
        let (bottom, top) = round((y0, y1));
        [left, bottom, right, top]
    } else {
        [x0 >> 6, y0 >> 6, (x1 + 63) >> 6, (y1 + 63) >> 6]
    }
}

/// The text mask glyphs are blended into: a byte a pixel, or with `ink`
/// (Pillow's colour mode "RGBA") four, coverage painting the ink.
pub struct Target<'a> {
    pub pixels: &'a mut [u8],
    pub width: usize,
    pub height: usize,
    pub ink: Option<[u8; 3]>,
}

/// A colour glyph bitmap as FreeType gives it with `FT_LOAD_COLOR`:
/// premultiplied RGBA (FreeType's BGRA, reordered), `bitmap` its pixel box
/// `[left, bottom, right, top]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ColorBitmap {
    pub pixels: Vec<u8>,
    pub bitmap: [i64; 4],
}

/// Largest bitmap side FreeType renders (beyond, `Raster_Overflow`); also
/// keeps zeno's fixed-point coordinates far from overflowing.
const MAX_BITMAP_SIDE: i64 = 0x7FFF;

/// Renders `outline` with its bitmap box `bitmap` (pixels) at pen pixel
/// `(px, py)` and blends the part inside the target (Pillow's loop over the
/// bitmap rows, clipped to the image). `paint` renders the window whose
/// top-left pixel corner is `(left, top)` (y up), `width` x `height` pixels.
fn blend(bitmap: [i64; 4], pen: (i64, i64), target: Target<'_>, paint: impl Fn(i64, i64, usize, usize) -> Vec<u8>) {
    let [left, bottom, right, top] = bitmap;
    if right - left > MAX_BITMAP_SIDE
        || top - bottom > MAX_BITMAP_SIDE
        || left < -MAX_BITMAP_SIDE
        || top > MAX_BITMAP_SIDE
    {
        return;
    }
    let (width, height) = (target.width as i64, target.height as i64);
    let xx = pen.0 + left;
    let yy = -(pen.1 + top);
    let (x0, x1) = ((-xx).max(0), (right - left).min(width - xx));
    let (y0, y1) = ((-yy).max(0), (top - bottom).min(height - yy));
    if x0 >= x1 || y0 >= y1 {
        return;
    }
    let (w, h) = ((x1 - x0) as usize, (y1 - y0) as usize);
    let coverage = paint(left + x0, top - y0, w, h);
    let channels = if target.ink.is_some() { 4 } else { 1 };
    for row in 0..h {
        let target_row = (yy + y0) as usize + row;
        let start = (target_row * target.width + (xx + x0) as usize) * channels;
        let line = &mut target.pixels[start..start + w * channels];
        let sources = &coverage[row * w..(row + 1) * w];
        match target.ink {
            None => {
                for (pixel, &source) in line.iter_mut().zip(sources) {
                    *pixel = blend_pixel(*pixel, source);
                }
            }
            Some(ink) => {
                for (pixel, &source) in line.chunks_exact_mut(4).zip(sources) {
                    paint_ink(pixel, source, ink);
                }
            }
        }
    }
}

/// Pillow's `DIV255` and `MULDIV255`.
fn div255(value: u32) -> u32 {
    let value = value + 128;
    ((value >> 8) + value) >> 8
}

/// Pillow's `BLEND`: `over` over `under` at `alpha`.
fn mix(alpha: u32, under: u8, over: u32) -> u8 {
    div255(u32::from(under) * (255 - alpha) + over * alpha) as u8
}

/// Pillow's colour-mode blend of a coverage byte painting `ink`.
fn paint_ink(pixel: &mut [u8], source: u8, ink: [u8; 3]) {
    if source == 0 {
        return;
    }
    let alpha = u32::from(source);
    if pixel[3] == 0 {
        pixel[..3].copy_from_slice(&ink);
        pixel[3] = source;
        return;
    }
    for channel in 0..3 {
        pixel[channel] = mix(alpha, pixel[channel], u32::from(ink[channel]));
    }
    pixel[3] = (alpha + div255(u32::from(pixel[3]) * (255 - alpha))).min(255) as u8;
}

/// Pastes a colour glyph at pen pixel `pen` as Pillow does: unpremultiplied,
/// blended over what the mask holds.
pub fn blend_color(color: &ColorBitmap, pen: (i64, i64), target: Target<'_>) {
    let [left, _, right, top] = color.bitmap;
    let full_width = (right - left) as usize;
    if target.ink.is_none() || full_width == 0 {
        return;
    }
    let (width, height) = (target.width as i64, target.height as i64);
    let (xx, yy) = (pen.0 + left, -(pen.1 + top));
    let (x0, x1) = ((-xx).max(0), (right - left).min(width - xx));
    for (row, source) in color.pixels.chunks_exact(full_width * 4).enumerate() {
        let y = yy + row as i64;
        if y < 0 || y >= height || x0 >= x1 {
            continue;
        }
        for x in x0..x1 {
            let from = &source[x as usize * 4..x as usize * 4 + 4];
            let alpha = u32::from(from[3]);
            if alpha == 0 {
                continue;
            }
            let at = ((y * width + xx + x) * 4) as usize;
            let pixel = &mut target.pixels[at..at + 4];
            let straight = |value: u8| (255 * u32::from(value) / alpha).min(255);
            let [red, green, blue] = [straight(from[0]), straight(from[1]), straight(from[2])];
            if pixel[3] > 0 {
                pixel[0] = mix(alpha, pixel[0], red);
                pixel[1] = mix(alpha, pixel[1], green);
                pixel[2] = mix(alpha, pixel[2], blue);
                pixel[3] = (alpha + div255(u32::from(pixel[3]) * (255 - alpha))).min(255) as u8;
            } else {
                pixel.copy_from_slice(&[red as u8, green as u8, blue as u8, from[3]]);
            }
        }
    }
}

/// Blends one COLR layer (its coverage, pixel box `bitmap`) painted with
/// the straight RGBA `color` into `target`, grown to hold it as FreeType's
/// `tt_face_colr_blend_layer` grows it (the first layer sets its box).
pub fn blend_layer(target: &mut Option<ColorBitmap>, bitmap: [i64; 4], coverage: &[u8], color: [u8; 4]) {
    let [left, bottom, right, top] = bitmap;
    let held = target.get_or_insert_with(|| ColorBitmap { pixels: Vec::new(), bitmap });
    if held.pixels.is_empty() {
        held.bitmap = bitmap;
    }
    let [held_left, held_bottom, held_right, held_top] = held.bitmap;
    let grown = [held_left.min(left), held_bottom.min(bottom), held_right.max(right), held_top.max(top)];
    let grown_width = (grown[2] - grown[0]) as usize;
    let grown_height = (grown[3] - grown[1]) as usize;
    if grown_width as i64 * grown_height as i64 > MAX_GLYPH_PIXELS {
        return;
    }
    if grown != held.bitmap || held.pixels.len() != grown_width * grown_height * 4 {
        let mut pixels = vec![0u8; grown_width * grown_height * 4];
        let old_width = (held_right - held_left) as usize;
        if old_width > 0 {
            let x = (held_left - grown[0]) as usize;
            for (row, line) in held.pixels.chunks_exact(old_width * 4).enumerate() {
                let at = ((grown[3] - held_top) as usize + row) * grown_width * 4 + x * 4;
                pixels[at..at + line.len()].copy_from_slice(line);
            }
        }
        *held = ColorBitmap { pixels, bitmap: grown };
    }
    let width = (right - left) as usize;
    if width == 0 {
        return;
    }
    let [red, green, blue, alpha] = color.map(u32::from);
    for (row, line) in coverage.chunks_exact(width).enumerate() {
        let at = ((grown[3] - top) as usize + row) * grown_width * 4 + (left - grown[0]) as usize * 4;
        for (pixel, &covered) in held.pixels[at..at + width * 4].chunks_exact_mut(4).zip(line) {
            let fa = alpha * u32::from(covered) / 255;
            let [fr, fg, fb] = [red, green, blue].map(|value| value * fa / 255);
            let rest = 255 - fa;
            pixel[0] = (u32::from(pixel[0]) * rest / 255 + fr) as u8;
            pixel[1] = (u32::from(pixel[1]) * rest / 255 + fg) as u8;
            pixel[2] = (u32::from(pixel[2]) * rest / 255 + fb) as u8;
            pixel[3] = (u32::from(pixel[3]) * rest / 255 + fa) as u8;
        }
    }
}

/// Largest glyph bitmap rendered whole (a colour layer), in pixels.
const MAX_GLYPH_PIXELS: i64 = 1 << 24;

/// The glyph's whole coverage bitmap (`FT_LOAD_RENDER`) and its pixel box,
/// `None` when it is empty or too large to render.
pub fn glyph_coverage(outline: &Outline, cbox: Option<[i64; 4]>, mono: bool) -> Option<([i64; 4], Vec<u8>)> {
    cbox?;
    let bitmap = bitmap_box(cbox, mono);
    let [left, bottom, right, top] = bitmap;
    let (width, height) = (right - left, top - bottom);
    if width <= 0 || height <= 0 || width > MAX_BITMAP_SIDE || height > MAX_BITMAP_SIDE {
        return None;
    }
    if width * height > MAX_GLYPH_PIXELS || left < -MAX_BITMAP_SIDE || top > MAX_BITMAP_SIDE {
        return None;
    }
    let mut coverage = outline.gray(left, bottom, width as usize, height as usize);
    if mono {
        for value in &mut coverage {
            *value = if *value >= 128 { 255 } else { 0 };
        }
    }
    Some((bitmap, coverage))
}

/// Pillow's blend of a glyph's coverage over the mask.
fn blend_pixel(target: u8, source: u8) -> u8 {
    if source == 0 {
        return target;
    }
    if target == 0 {
        return source;
    }
    let product = u32::from(target) * u32::from(255 - source) + 128;
    let scaled = (product + (product >> 8)) >> 8;
    (u32::from(source) + scaled).min(255) as u8
}

/// Renders a glyph (Pillow's `FT_LOAD_RENDER` bitmap) into the mask.
pub fn blend_glyph(outline: &Outline, cbox: Option<[i64; 4]>, mono: bool, pen: (i64, i64), target: Target<'_>) {
    if cbox.is_none() {
        return;
    }
    let bitmap = bitmap_box(cbox, mono);
    blend(bitmap, pen, target, |left, top, width, height| {
        let mut coverage = outline.gray(left, top - height as i64, width, height);
        if mono {
            // The monochrome rasterizer sets the pixels whose centre is inside.
            for value in &mut coverage {
                *value = if *value >= 128 { 255 } else { 0 };
            }
        }
        coverage
    });
}

/// Blends an embedded bitmap of box `cbox` (26.6, whole pixels) at pen
/// pixel `pen` (FreeType's bitmap glyph, converted to 8 bits).
pub fn blend_bitmap(coverage: &[u8], cbox: Option<[i64; 4]>, pen: (i64, i64), target: Target<'_>) {
    let Some([x0, y0, x1, y1]) = cbox else {
        return;
    };
    let bitmap = [x0 >> 6, y0 >> 6, x1 >> 6, y1 >> 6];
    let full_width = (bitmap[2] - bitmap[0]) as usize;
    blend(bitmap, pen, target, |left, top, width, height| {
        let (column, row) = ((left - bitmap[0]) as usize, (bitmap[3] - top) as usize);
        let mut window = Vec::with_capacity(width * height);
        for line in coverage.chunks(full_width.max(1)).skip(row).take(height) {
            window.extend_from_slice(&line[column..column + width]);
        }
        window.resize(width * height, 0);
        window
    });
}

/// Renders a glyph stroked with `radius` (26.6), both borders, or, when
/// `filled`, the glyph grown by the radius (Pillow's `FT_Glyph_Stroke` and
/// `FT_Glyph_StrokeBorder` of the outside border), always anti-aliased as
/// Pillow's `FT_Glyph_To_Bitmap` renders it.
pub fn blend_stroked(
    outline: &Outline,
    cbox: Option<[i64; 4]>,
    radius: i64,
    filled: bool,
    pen: (i64, i64),
    target: Target<'_>,
) {
    let Some([x0, y0, x1, y1]) = cbox else {
        return;
    };
    let radius = radius.abs();
    let grown = Some([x0 - radius, y0 - radius, x1 + radius, y1 + radius]);
    let bitmap = bitmap_box(grown, false);
    let width = radius as f32 * 2.0 / 64.0;
    // zeno's stroker gives the stroke's outline; FreeType's rasterizer
    // (ours) fills it, and the glyph for the filled stroke.
    let mut stroke = Stroke::new(width);
    stroke.join(Join::Round).cap(Cap::Round);
    let mut commands = Vec::new();
    zeno::apply(&outline.commands[..], stroke, None, &mut commands);
    let ring = Outline { commands, points: Vec::new() };
    blend(bitmap, pen, target, |left, top, w, h| {
        let mut band = ring.gray(left, top - h as i64, w, h);
        if filled {
            let inside = outline.gray(left, top - h as i64, w, h);
            for (value, &covered) in band.iter_mut().zip(&inside) {
                *value = (*value).max(covered);
            }
        }
        band
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn square(x0: f32, y0: f32, x1: f32, y1: f32) -> Outline {
        let mut outline = Outline::default();
        outline.move_to(x0, y0);
        outline.line_to(x1, y0);
        outline.line_to(x1, y1);
        outline.line_to(x0, y1);
        outline.close();
        outline
    }

    #[test]
    fn control_box_and_bitmap_box() {
        let outline = square(0.25, -1.5, 3.5, 2.0);
        let cbox = outline.control_box();
        assert_eq!(cbox, Some([16, -96, 224, 128]));
        assert_eq!(bitmap_box(cbox, false), [0, -2, 4, 2]);
        assert_eq!(bitmap_box(cbox, true), [0, -1, 4, 2]);
        assert_eq!(bitmap_box(None, false), [0; 4]);
    }

    #[test]
    fn half_covered_pixels_and_blending() {
        let outline = square(0.0, 0.0, 1.5, 1.0);
        let mut pixels = vec![0u8; 3];
        let target = Target { pixels: &mut pixels, width: 3, height: 1, ink: None };
        blend_glyph(&outline, outline.control_box(), false, (0, -1), target);
        assert_eq!(pixels[0], 255);
        assert!((127..=128).contains(&pixels[1]), "{pixels:?}");
        assert_eq!(pixels[2], 0);
        assert_eq!(blend_pixel(128, 128), 192);
        assert_eq!(blend_pixel(0, 7), 7);
    }

    #[test]
    fn colour_layers_grow_and_blend_as_freetype() {
        let mut target = None;
        blend_layer(&mut target, [0, 0, 1, 1], &[255], [255, 0, 0, 255]);
        blend_layer(&mut target, [1, -1, 2, 0], &[128], [0, 0, 255, 128]);
        let held = target.expect("a bitmap");
        assert_eq!(held.bitmap, [0, -1, 2, 1]);
        assert_eq!(held.pixels, vec![255, 0, 0, 255, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 64, 64]);
        let mut pixels = vec![0u8; 8];
        let target = Target { pixels: &mut pixels, width: 2, height: 1, ink: Some([1, 2, 3]) };
        let color = ColorBitmap { pixels: vec![0, 0, 64, 64], bitmap: [1, -1, 2, 0] };
        blend_color(&color, (0, 0), target);
        assert_eq!(pixels, vec![0, 0, 0, 0, 0, 0, 255, 64]);
    }

    #[test]
    fn huge_outlines_are_skipped_not_a_panic() {
        let outline = square(-1e30, -1e30, 1e30, 1e30);
        let mut pixels = vec![0u8; 4];
        let target = Target { pixels: &mut pixels, width: 2, height: 2, ink: None };
        blend_glyph(&outline, outline.control_box(), false, (0, 0), target);
        let target = Target { pixels: &mut pixels, width: 2, height: 2, ink: None };
        blend_stroked(&outline, outline.control_box(), 64, true, (0, 0), target);
    }
}
