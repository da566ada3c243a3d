//! ImageDraw's ellipse family after Pillow's `Draw.c`: `ellipse`, `arc`,
//! `chord`, `pieslice` and `rounded_rectangle`, to the pixel. Pillow traces
//! a quarter of the ellipse on a lattice of doubled coordinates (so that
//! both even and odd boxes have a centre on it), joins the outer and inner
//! quarters of a ring `width` pixels thick into horizontal runs, and cuts
//! arcs, chords and slices out of those runs with half-planes combined by
//! "and" and "or".

use crate::buffer::{ImageError, Result, RgbaBuffer};
use crate::drawing::{self, Ink};

/// One quarter of the ellipse with semi-axes `a` and `b` (in doubled
/// units), from (a, b % 2) up to (a % 2, b), by Bresenham's choice of the
/// next lattice point nearest the curve.
struct Quarter {
    a2: i64,
    b2: i64,
    a2b2: i64,
    x: i32,
    y: i32,
    end: (i32, i32),
    finished: bool,
}

impl Quarter {
    fn new(a: i32, b: i32) -> Self {
        let (a2, b2) = (i64::from(a) * i64::from(a), i64::from(b) * i64::from(b));
        // Wrapping as C's int64 would on the largest boxes, never a trap.
        Self { a2, b2, a2b2: a2.wrapping_mul(b2), x: a, y: b % 2, end: (a % 2, b), finished: a < 0 || b < 0 }
    }

    /// How far the point is from the curve (the ellipse equation's residue).
    fn delta(&self, x: i32, y: i32) -> i64 {
        let (x, y) = (i64::from(x), i64::from(y));
        self.a2.wrapping_mul(y * y).wrapping_add(self.b2.wrapping_mul(x * x)).wrapping_sub(self.a2b2).wrapping_abs()
    }

    fn next(&mut self) -> Option<(i32, i32)> {
        if self.finished {
            return None;
        }
        let point = (self.x, self.y);
        if point == self.end {
            self.finished = true;
            return Some(point);
        }
        let (mut x, mut y) = (self.x, self.y + 2);
        let mut best = self.delta(x, y);
        if x > 1 {
            let diagonal = self.delta(self.x - 2, self.y + 2);
            if best > diagonal {
                (x, y, best) = (self.x - 2, self.y + 2, diagonal);
            }
            if best > self.delta(self.x - 2, self.y) {
                (x, y) = (self.x - 2, self.y);
            }
        }
        (self.x, self.y) = (x, y);
        Some(point)
    }
}

/// A ring `width` pixels thick as horizontal runs `(x0, y, x1)` in doubled
/// units about the centre: each row of the outer quarter, from the inner
/// quarter's edge (or the middle) out, mirrored into the four quarters.
struct Ring {
    outer: Quarter,
    inner: Quarter,
    row: i32,
    left: i32,
    right: i32,
    leftmost: i32,
    finished: bool,
}

impl Ring {
    fn new(a: i32, b: i32, width: i32) -> Self {
        let mut outer = Quarter::new(a, b);
        let inner = Quarter::new(a.wrapping_sub(2 * width.wrapping_sub(1)), b.wrapping_sub(2 * width.wrapping_sub(1)));
        let first = if width < 1 { None } else { outer.next() };
        let (right, row) = first.unwrap_or((0, 0));
        Self { outer, inner, row, left: a % 2, right, leftmost: a % 2, finished: first.is_none() }
    }

    /// The runs of the next row, in the four quarters (fewer on the axes).
    fn next_rows(&mut self, runs: &mut Vec<(i32, i32, i32)>) -> bool {
        if self.finished {
            return false;
        }
        let (y, mut l, r) = (self.row, self.left, self.right);
        loop {
            match self.outer.next() {
                Some((_, cy)) if cy <= y => {}
                Some((cx, cy)) => {
                    (self.right, self.row) = (cx, cy);
                    break;
                }
                None => {
                    self.finished = true;
                    break;
                }
            }
        }
        self.left = loop {
            match self.inner.next() {
                Some((cx, cy)) if cy <= y => l = cx,
                Some((cx, _)) => break cx,
                None => break self.leftmost,
            }
        };
        let inside = if l == 0 { 2 } else { l };
        runs.clear();
        if (l > 0 || l < r) && y > 0 {
            runs.push((inside, y, r));
        }
        if y > 0 {
            runs.push((-r, y, -l));
        }
        if l > 0 || l < r {
            runs.push((inside, -y, r));
        }
        runs.push((-r, -y, -l));
        true
    }
}

/// A half-plane a x + b y + c >= 0 (within 1e-9), or the intersection or
/// union of two clips.
#[derive(Debug, Clone)]
enum Clip {
    Plane(f64, f64, f64),
    And(Box<Clip>, Box<Clip>),
    Or(Box<Clip>, Box<Clip>),
}

impl Clip {
    fn either(union: bool, left: Clip, right: Clip) -> Clip {
        if union { Clip::Or(Box::new(left), Box::new(right)) } else { Clip::And(Box::new(left), Box::new(right)) }
    }

    /// Mirrored about y = x.
    fn transposed(self) -> Clip {
        match self {
            Clip::Plane(a, b, c) => Clip::Plane(b, a, c),
            Clip::And(l, r) => Clip::And(Box::new(l.transposed()), Box::new(r.transposed())),
            Clip::Or(l, r) => Clip::Or(Box::new(l.transposed()), Box::new(r.transposed())),
        }
    }

    /// The parts of the run from `x0` to `x1` on row `y` inside the clip, as
    /// sorted (x, +1 start / -1 end) events, Pillow's way.
    fn cut(&self, x0: i32, y: i32, x1: i32) -> Vec<(i32, i8)> {
        match self {
            Clip::Plane(a, b, c) => {
                let (mut x0, mut x1) = (x0, x1);
                let eps = 1e-9;
                let (a, b, c, y) = (*a, *b, *c, f64::from(y));
                if a.abs() < eps {
                    if b * y + c < -eps {
                        (x0, x1) = (1, 0);
                    }
                } else {
                    let crossing = -(b * y + c) / a;
                    if a * f64::from(x0) + b * y + c < eps {
                        x0 = f64::from(x0).max(crossing).round() as i32;
                    }
                    if a * f64::from(x1) + b * y + c < eps {
                        x1 = f64::from(x1).min(crossing).round() as i32;
                    }
                }
                if x0 <= x1 { vec![(x0, 1), (x1, -1)] } else { Vec::new() }
            }
            Clip::And(l, r) | Clip::Or(l, r) => {
                let union = matches!(self, Clip::Or(..));
                merge(&l.cut(x0, y, x1), &r.cut(x0, y, x1), union)
            }
        }
    }
}

/// Pillow's merge of two event lists into their union or intersection.
fn merge(first: &[(i32, i8)], second: &[(i32, i8)], union: bool) -> Vec<(i32, i8)> {
    let (mut i, mut j, mut depth_first, mut depth_second) = (0, 0, 0i32, 0i32);
    let mut out: Vec<(i32, i8)> = Vec::new();
    while i < first.len() || j < second.len() {
        let take_first = j == second.len()
            || (i < first.len()
                && (first[i].0 < second[j].0 || (first[i].0 == second[j].0 && first[i].1 > second[j].1)));
        let event = if take_first {
            i += 1;
            depth_first += i32::from(first[i - 1].1);
            first[i - 1]
        } else {
            j += 1;
            depth_second += i32::from(second[j - 1].1);
            second[j - 1]
        };
        let after_end = out.last().is_none_or(|last| last.1 == -1);
        let keep = if union {
            (event.1 == 1 && after_end) || (event.1 == -1 && depth_first == 0 && depth_second == 0)
        } else {
            (event.1 == 1 && after_end && depth_first > 0 && depth_second > 0)
                || (event.1 == -1 && !after_end && (depth_first == 0 || depth_second == 0))
        };
        if keep {
            out.push(event);
        }
    }
    out
}

/// Pillow's `normalize_angles`: 0 <= start < 360, start <= end <= start + 360,
/// in its mix of C float and double arithmetic.
fn normalize_angles(start: f32, end: f32) -> (f32, f32) {
    if end - start >= 360.0 {
        return (0.0, 360.0);
    }
    let start_wrapped = if start < 0.0 { 360.0 - (-f64::from(start)) % 360.0 } else { f64::from(start) };
    let start = (start_wrapped % 360.0) as f32;
    let span = if end < start { 360.0 - f64::from(start - end) % 360.0 } else { f64::from(end - start) };
    (start, (f64::from(start) + span % 360.0) as f32)
}

/// A degree angle's cosine and sine as Pillow takes them.
fn cos_sin(degrees: f32) -> (f64, f64) {
    let radians = f64::from(degrees) * std::f64::consts::PI / 180.0;
    (radians.cos(), radians.sin())
}

/// Pillow's `arc_init`: the clip for an arc with caps square to the curve,
/// for the box's semi-axes `a` >= `b` (a taller box is drawn transposed).
fn arc_clip(a: i32, b: i32, start: f32, end: f32) -> Option<Clip> {
    if a < b {
        return arc_clip(b, a, 90.0 - end, 90.0 - start).map(Clip::transposed);
    }
    let (start, end) = normalize_angles(start, end);
    if end == start + 360.0 {
        return None;
    }
    let (af, bf) = (f64::from(a), f64::from(b));
    let squares = f64::from(a.wrapping_mul(a).wrapping_sub(b.wrapping_mul(b)));
    let twice = |degrees: f32| (f64::from(degrees) * std::f64::consts::PI / 90.0).sin();
    let ((cos_l, sin_l), (cos_r, sin_r)) = (cos_sin(start), cos_sin(end));
    let left = Clip::Plane(-af * sin_l, bf * cos_l, squares * twice(start) / 2.0);
    let right = Clip::Plane(af * sin_r, -bf * cos_r, -squares * twice(end) / 2.0);
    let narrow = end - start < 180.0;
    let half_turns = |degrees: f32| (degrees / 180.0) as i32;
    Some(if f64::from(start) % 180.0 == 0.0 || f64::from(end) % 180.0 == 0.0 {
        Clip::either(!narrow, left, right)
    } else if (half_turns(start) + half_turns(end)) % 2 == 1 {
        let side = |degrees: f32| Clip::Plane(0.0, if half_turns(degrees) % 2 == 0 { 1.0 } else { -1.0 }, 0.0);
        Clip::Or(
            Box::new(Clip::And(Box::new(side(start)), Box::new(left))),
            Box::new(Clip::And(Box::new(side(end)), Box::new(right))),
        )
    } else {
        let side = Clip::Plane(0.0, if !(180.0..=540.0).contains(&end) { 1.0 } else { -1.0 }, 0.0);
        Clip::either(!narrow, Clip::either(!narrow, left, right), side)
    })
}

/// The chord's line through the two angles' points: (a, b, c) of the plane
/// on the side away from the centre.
fn chord_plane(a: i32, b: i32, start: f32, end: f32) -> (f64, f64, f64) {
    let ((cos_l, sin_l), (cos_r, sin_r)) = (cos_sin(start), cos_sin(end));
    let (xl, xr) = (f64::from(a) * cos_l, f64::from(a) * cos_r);
    let (yl, yr) = (f64::from(b) * sin_l, f64::from(b) * sin_r);
    let (pa, pb) = (yr - yl, xl - xr);
    (pa, pb, -(pa * xl + pb * yl))
}

/// Draws the ring of the box (x0, y0)-(x1, y1) `width` thick, cut by `clip`.
#[inline(never)]
fn draw_ring(image: &mut RgbaBuffer, [x0, y0, x1, y1]: [i64; 4], width: i64, clip: Option<&Clip>, ink: Ink) {
    let (a, b) = (x1 - x0, y1 - y0);
    if a < 0 || b < 0 {
        return;
    }
    let clamp = |v: i64| v.clamp(i64::from(i32::MIN), i64::from(i32::MAX)) as i32;
    let mut ring = Ring::new(clamp(a), clamp(b), clamp(width));
    let mut runs = Vec::with_capacity(4);
    let mut span = |left: i32, y: i32, right: i32| {
        let x = |v: i32| x0 + (i64::from(v) + a) / 2;
        drawing::span(image, x(left), x(right), y0 + (i64::from(y) + b) / 2, ink);
    };
    while ring.next_rows(&mut runs) {
        for &(left, y, right) in runs.iter().rev() {
            match clip {
                None => span(left, y, right),
                Some(clip) => {
                    for pair in clip.cut(left, y, right).chunks_exact(2) {
                        span(pair[0].0, y, pair[1].0);
                    }
                }
            }
        }
    }
}

/// Pillow's `ImageDraw.ellipse(xy, fill, outline, width)` on the box
/// `[x0, y0, x1, y1]` (ordered): filled, then its outline `width` pixels
/// thick inside the box if it differs from the fill.
pub fn ellipse(image: &mut RgbaBuffer, bounds: [i64; 4], fill: Option<Ink>, outline: Option<Ink>, width: u32) {
    let [x0, y0, x1, y1] = bounds;
    if let Some(ink) = fill {
        draw_ring(image, bounds, x1 - x0 + y1 - y0, None, ink);
    }
    if let Some(ink) = outline.filter(|&ink| Some(ink) != fill && width != 0) {
        draw_ring(image, bounds, i64::from(width), None, ink);
    }
}

/// The kinds of cut-out ellipse `draw_cut` makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    Arc,
    Chord,
    Pieslice,
}

/// Pillow's `arc`, `chord` and `pieslice` on the box `bounds` from `start`
/// to `end` degrees (clockwise from 3 o'clock, C floats as Pillow takes
/// them): the filled shape first, then its outline `width` thick if it
/// differs (an arc is only an outline, in `outline`).
#[inline(never)]
pub fn draw_cut(
    image: &mut RgbaBuffer,
    shape: Cut,
    bounds: [i64; 4],
    (start, end): (f32, f32),
    fill: Option<Ink>,
    outline: Option<Ink>,
    width: u32,
) {
    let (start, end) = normalize_angles(start, end);
    let [x0, y0, x1, y1] = bounds;
    let (a, b) = (x1 - x0, y1 - y0);
    let whole = end == start + 360.0;
    if shape == Cut::Arc {
        if let Some(ink) = outline.filter(|_| width != 0 && start != end) {
            let clip = if whole { None } else { arc_clip(a as i32, b as i32, start, end) };
            draw_ring(image, bounds, i64::from(width), clip.as_ref(), ink);
        }
        return;
    }
    if start == end && !whole {
        return;
    }
    let (ai, bi) = (a as i32, b as i32);
    let pie = |width: i64| {
        let ((cos_l, sin_l), (cos_r, sin_r)) = (cos_sin(start), cos_sin(end));
        let (xl, xr) = (f64::from(ai) * cos_l, f64::from(ai) * cos_r);
        let (yl, yr) = (f64::from(bi) * sin_l, f64::from(bi) * sin_r);
        let sides = Clip::either(end - start >= 180.0, Clip::Plane(-yl, xl, 0.0), Clip::Plane(yr, -xr, 0.0));
        let clip = if end - start < 90.0 {
            Clip::And(Box::new(sides), Box::new(Clip::Plane((xl + xr) / 2.0, (yl + yr) / 2.0, 0.0)))
        } else {
            sides
        };
        (width, clip)
    };
    let mut paint = |filled: bool, ink: Ink| {
        if whole {
            let thickness = if filled { a + b } else { i64::from(width) };
            return draw_ring(image, bounds, thickness, None, ink);
        }
        match (shape, filled) {
            (Cut::Chord, true) => {
                let (pa, pb, pc) = chord_plane(ai, bi, start, end);
                draw_ring(image, bounds, a + b + 1, Some(&Clip::Plane(pa, pb, pc)), ink);
            }
            (Cut::Chord, false) => {
                let (pa, pb, pc) = chord_plane(ai, bi, start, end);
                let thickness = 2.0 * f64::from(width) * (pa * pa + pb * pb).sqrt() - pc;
                let line = Clip::And(Box::new(Clip::Plane(pa, pb, pc)), Box::new(Clip::Plane(-pa, -pb, thickness)));
                draw_ring(image, bounds, a + b + 1, Some(&line), ink);
                draw_ring(image, bounds, i64::from(width), Some(&Clip::Plane(pa, pb, pc)), ink);
            }
            (_, true) => {
                let (thickness, clip) = pie(a + b);
                draw_ring(image, bounds, thickness, Some(&clip), ink);
            }
            (_, false) => {
                for angle in [start, end] {
                    let (cos, sin) = cos_sin(angle);
                    let (xl, yl) = (f64::from(ai) * cos, f64::from(bi) * sin);
                    let (pa, pb) = (-yl, xl);
                    let reach = f64::from(width) * (pa * pa + pb * pb).sqrt();
                    let band = Clip::And(Box::new(Clip::Plane(pa, pb, reach)), Box::new(Clip::Plane(-pa, -pb, reach)));
                    let side = Clip::And(Box::new(band), Box::new(Clip::Plane(pb, -pa, 0.0)));
                    draw_ring(image, bounds, a + b + 1, Some(&side), ink);
                }
                let w = i64::from(width);
                let centre = |low: i64, high: i64| ((low + high - w) as f64 / 2.0).round() as i64;
                let (xc, yc) = (centre(x0, x1), centre(y0, y1));
                let dot = [xc, yc, xc + w - 1, yc + w - 1];
                draw_ring(image, dot, dot[2] - dot[0] + dot[3] - dot[1], None, ink);
                let (thickness, clip) = pie(w);
                draw_ring(image, bounds, thickness, Some(&clip), ink);
            }
        }
    };
    if let Some(ink) = fill {
        paint(true, ink);
    }
    if let Some(ink) = outline.filter(|&ink| Some(ink) != fill && width != 0) {
        paint(false, ink);
    }
}

/// Pillow's `ImageDraw.rounded_rectangle(xy, radius, fill, outline, width,
/// corners)`, from the box as given (fractional coordinates are rounded
/// and truncated where Pillow rounds and truncates them): corners as
/// quarter pie slices and arcs, the rest as rectangles.
pub fn rounded_rectangle(
    image: &mut RgbaBuffer,
    given: [f64; 4],
    radius: f64,
    corners: [bool; 4],
    fill: Option<Ink>,
    outline: Option<Ink>,
    width: u32,
) -> Result<()> {
    let truncated = given.map(|v| v.trunc() as i64);
    let [x0, y0, x1, y1] = given.map(|v| v.round_ties_even() as i64);
    let mut d = (given[2] - given[0]).min(given[3] - given[1]).min(radius * 2.0);
    let (mut full_x, mut full_y) = (false, false);
    if corners.iter().all(|&c| c) {
        full_x = d >= (x1 - x0 - 1) as f64;
        if full_x {
            d = (x1 - x0) as f64;
        }
        full_y = d >= (y1 - y0 - 1) as f64;
        if full_y {
            d = (y1 - y0) as f64;
        }
        if full_x && full_y {
            ellipse(image, truncated, fill, outline, width);
            return Ok(());
        }
    }
    if d == 0.0 || !corners.iter().any(|&c| c) {
        drawing::rectangle(image, truncated, fill, outline, width);
        return Ok(());
    }
    let r = (d / 2.0).floor() as i64;
    let (x0f, y0f, x1f, y1f) = (x0 as f64, y0 as f64, x1 as f64, y1 as f64);
    // Each corner's box, as Pillow passes it on: truncated.
    let boxed = |left: f64, top: f64, right: f64, bottom: f64| [left, top, right, bottom].map(|v| v.trunc() as i64);
    let parts: Vec<([i64; 4], f32, f32)> = if full_x {
        vec![(boxed(x0f, y0f, x0f + d, y0f + d), 180.0, 360.0), (boxed(x0f, y1f - d, x0f + d, y1f), 0.0, 180.0)]
    } else if full_y {
        vec![(boxed(x0f, y0f, x0f + d, y0f + d), 90.0, 270.0), (boxed(x1f - d, y0f, x1f, y0f + d), 270.0, 90.0)]
    } else {
        [
            (boxed(x0f, y0f, x0f + d, y0f + d), 180.0, 270.0),
            (boxed(x1f - d, y0f, x1f, y0f + d), 270.0, 360.0),
            (boxed(x1f - d, y1f - d, x1f, y1f), 0.0, 90.0),
            (boxed(x0f, y1f - d, x0f + d, y1f), 90.0, 180.0),
        ]
        .into_iter()
        .zip(corners)
        .filter_map(|(part, wanted)| wanted.then_some(part))
        .collect()
    };
    let cut = |wanted: bool| if wanted { r + 1 } else { 0 };
    let mut fill_boxes: Vec<[i64; 4]> = Vec::new();
    if full_x {
        fill_boxes.push([x0, y0 + r + 1, x1, y1 - r - 1]);
    } else if x1 - r > x0 + r + 1 {
        fill_boxes.push([x0 + r + 1, y0, x1 - r - 1, y1]);
    }
    if !full_x && !full_y {
        fill_boxes.push([x0, y0 + cut(corners[0]), x0 + r, y1 - cut(corners[3])]);
        fill_boxes.push([x1 - r, y0 + cut(corners[1]), x1, y1 - cut(corners[2])]);
    }
    let w = i64::from(width);
    let mut outline_boxes: Vec<[i64; 4]> = Vec::new();
    if !full_x {
        outline_boxes.push([x0 + cut(corners[0]), y0, x1 - cut(corners[1]), y0 + w - 1]);
        outline_boxes.push([x0 + cut(corners[3]), y1 - w + 1, x1 - cut(corners[2]), y1]);
    }
    if !full_y {
        outline_boxes.push([x0, y0 + cut(corners[0]), x0 + w - 1, y1 - cut(corners[3])]);
        outline_boxes.push([x1 - w + 1, y0 + cut(corners[1]), x1, y1 - cut(corners[2])]);
    }
    let outline = outline.filter(|&ink| Some(ink) != fill && width != 0);
    // Pillow raises on a side that comes out reversed, after drawing the
    // corners; refusing before drawing anything keeps the image as it was.
    let used = fill.map_or(&[][..], |_| &fill_boxes[..]).iter().chain(outline.map_or(&[][..], |_| &outline_boxes[..]));
    if let Some(&[bx0, by0, bx1, by1]) = used.into_iter().find(|b| b[2] < b[0] || b[3] < b[1]) {
        return Err(ImageError::BadArgument {
            name: "radius",
            message: format!(
                "leaves a reversed side [{bx0}, {by0}, {bx1}, {by1}] between the corners of this box (Pillow refuses it too)"
            ),
        });
    }
    if let Some(ink) = fill {
        for &(bounds, start, end) in &parts {
            draw_cut(image, Cut::Pieslice, bounds, (start, end), Some(ink), None, 1);
        }
        for &bounds in &fill_boxes {
            drawing::rectangle(image, bounds, Some(ink), None, 1);
        }
    }
    if let Some(ink) = outline {
        for &(bounds, start, end) in &parts {
            draw_cut(image, Cut::Arc, bounds, (start, end), None, Some(ink), width);
        }
        for &bounds in &outline_boxes {
            drawing::rectangle(image, bounds, Some(ink), None, 1);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::buffer::samples;

    const RED: Ink = Ink::plain(samples::RED);
    const BLUE: Ink = Ink::plain(samples::BLUE);

    /// Draws on a 7x7 image and shows it.
    fn drawn(draw: impl FnOnce(&mut RgbaBuffer)) -> Vec<String> {
        let mut image = RgbaBuffer::new(7, 7).unwrap();
        draw(&mut image);
        crate::buffer::samples::drawn(&image)
    }

    // The expected pictures are Pillow 13's for the same calls.

    #[test]
    fn ellipses_filled_outlined_and_thick() {
        let ring = drawn(|image| ellipse(image, [0, 0, 6, 6], Some(BLUE), Some(RED), 1));
        assert_eq!(ring, ["..###..", ".#ooo#.", "#ooooo#", "#ooooo#", "#ooooo#", ".#ooo#.", "..###.."]);
        let thick = drawn(|image| ellipse(image, [0, 0, 6, 4], None, Some(RED), 2));
        assert_eq!(thick, ["..###..", "#######", "##...##", "#######", "..###..", ".......", "......."]);
    }

    #[test]
    fn slices_chords_and_arcs() {
        let slice = drawn(|image| draw_cut(image, Cut::Pieslice, [0, 0, 6, 6], (0.0, 90.0), Some(BLUE), Some(RED), 1));
        assert_eq!(slice, [".......", ".......", ".......", "..#####", "..##oo#", "..##o#.", "..###.."]);
        let chord = drawn(|image| draw_cut(image, Cut::Chord, [0, 0, 6, 6], (180.0, 360.0), Some(BLUE), None, 1));
        assert_eq!(chord, ["..ooo..", ".ooooo.", "ooooooo", "ooooooo", ".......", ".......", "......."]);
        let arc = drawn(|image| draw_cut(image, Cut::Arc, [0, 0, 6, 6], (90.0, 180.0), None, Some(RED), 1));
        assert_eq!(arc, [".......", ".......", ".......", "#......", "#......", ".#.....", "..##..."]);
    }

    #[test]
    fn rounded_rectangles_join_corners_and_sides() {
        let rounded = drawn(|image| {
            rounded_rectangle(image, [0.0, 0.0, 6.0, 6.0], 2.0, [true; 4], Some(BLUE), Some(RED), 1).unwrap()
        });
        assert_eq!(rounded, [".#####.", "#ooooo#", "#ooooo#", "#ooooo#", "#ooooo#", "#ooooo#", ".#####."]);
    }

    #[test]
    fn a_radius_that_reverses_a_side_is_refused_before_drawing() {
        let mut image = RgbaBuffer::new(7, 7).unwrap();
        let corners = [true, false, false, true];
        let error = rounded_rectangle(&mut image, [0.0, 0.0, 6.0, 4.0], 9.0, corners, Some(BLUE), None, 1).unwrap_err();
        assert!(error.to_string().starts_with("radius leaves a reversed side"), "{error}");
        assert!(image.data().iter().all(|&v| v == 0), "nothing drawn");
    }

    #[test]
    fn angles_normalise_as_pillows() {
        assert_eq!(normalize_angles(-30.0, 200.0), (330.0, 560.0));
        assert_eq!(normalize_angles(10.0, 370.0), (0.0, 360.0));
        assert_eq!(normalize_angles(200.0, 100.0), (200.0, 460.0));
        assert_eq!(normalize_angles(720.0, 725.0), (0.0, 5.0));
    }

    #[test]
    fn clips_intersect_and_unite_runs() {
        let first = [(0, 1), (10, -1)];
        let second = [(5, 1), (20, -1)];
        assert_eq!(merge(&first, &second, false), [(5, 1), (10, -1)]);
        assert_eq!(merge(&first, &second, true), [(0, 1), (20, -1)]);
        // A half-plane x >= 3 cuts a run from -5 to 5 at 3.
        assert_eq!(Clip::Plane(1.0, 0.0, -3.0).cut(-5, 0, 5), [(3, 1), (5, -1)]);
    }
}
