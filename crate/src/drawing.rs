//! ImageDraw's shapes in an RGBA image, after Pillow's `Draw.c`: lines of
//! any width, polygons, rectangles, points and flood fills, clipped to the
//! image. Shapes write their colour as it is, as Pillow draws on RGBA, or
//! blend it by its alpha over red, green and blue, as Pillow draws with
//! `Draw(rgb_image, "RGBA")` (an `Ink` says which). Coordinates are whole
//! pixels (Pillow truncates the numbers it is given; `args` does the same).

use crate::buffer::{BYTES_PER_PIXEL, Rgba, RgbaBuffer, try_alloc};

/// A shape's colour and how it reaches the pixels it covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ink {
    pub colour: Rgba,
    /// Pillow's `blend` draw (an "RGB" image drawn in mode "RGBA"): red,
    /// green and blue become `pixel * (255 - a) + colour * a` over 255,
    /// rounded as Pillow's `BLEND`, `a` the colour's alpha; alpha stays.
    pub blend: bool,
}

impl Ink {
    /// The colour written as it is.
    pub const fn plain(colour: Rgba) -> Self {
        Self { colour, blend: false }
    }

    #[inline]
    fn paint(self, pixel: &mut [u8]) {
        if self.blend {
            let alpha = u32::from(self.colour[3]);
            for (byte, &ink) in pixel[..3].iter_mut().zip(&self.colour) {
                let mixed = u32::from(*byte) * (255 - alpha) + u32::from(ink) * alpha + 128;
                *byte = (((mixed >> 8) + mixed) >> 8) as u8;
            }
        } else {
            pixel.copy_from_slice(&self.colour);
        }
    }
}

fn put(image: &mut RgbaBuffer, x: i64, y: i64, ink: Ink) {
    if x >= 0 && y >= 0 && x < i64::from(image.width()) && y < i64::from(image.height()) {
        let at = (y as usize * image.width() as usize + x as usize) * BYTES_PER_PIXEL;
        ink.paint(&mut image.data_mut()[at..at + BYTES_PER_PIXEL]);
    }
}

/// A horizontal run from `x0` to `x1` inclusive, clipped.
pub(crate) fn span(image: &mut RgbaBuffer, x0: i64, x1: i64, y: i64, ink: Ink) {
    if y < 0 || y >= i64::from(image.height()) {
        return;
    }
    let (start, end) = (x0.max(0), x1.min(i64::from(image.width()) - 1));
    if start > end {
        return;
    }
    let row = y as usize * image.stride();
    let pixels =
        &mut image.data_mut()[row + start as usize * BYTES_PER_PIXEL..row + (end as usize + 1) * BYTES_PER_PIXEL];
    // The plain copy stays a loop of its own, free of the blend's arithmetic.
    if ink.blend {
        pixels.chunks_exact_mut(BYTES_PER_PIXEL).for_each(|pixel| ink.paint(pixel));
    } else {
        pixels.chunks_exact_mut(BYTES_PER_PIXEL).for_each(|pixel| pixel.copy_from_slice(&ink.colour));
    }
}

/// Where a shape may draw: everywhere, or only on the pixels a mask (one
/// byte per pixel, nonzero inside) holds, as Pillow's wide polygon outlines.
struct Canvas<'a> {
    image: &'a mut RgbaBuffer,
    mask: Option<&'a [u8]>,
}

impl Canvas<'_> {
    fn span(&mut self, x0: i64, y: i64, x1: i64, ink: Ink) {
        let Some(mask) = self.mask else {
            return span(self.image, x0, x1, y, ink);
        };
        let (width, height) = (i64::from(self.image.width()), i64::from(self.image.height()));
        if y < 0 || y >= height {
            return;
        }
        for x in x0.max(0)..=x1.min(width - 1) {
            if mask[(y * width + x) as usize] != 0 {
                put(self.image, x, y, ink);
            }
        }
    }
}

/// Pillow's one-pixel line: Bresenham from (x0, y0) up to, not including,
/// (x1, y1); callers add the last point where Pillow does. Each point is
/// clipped on its own, so the cost is the line's length (coordinates are
/// within ±2^24).
fn line_without_end(image: &mut RgbaBuffer, [x0, y0]: [i64; 2], [x1, y1]: [i64; 2], ink: Ink) {
    let (mut dx, mut dy) = ((x1 - x0).abs(), (y1 - y0).abs());
    let (xs, ys) = (if x1 < x0 { -1 } else { 1 }, if y1 < y0 { -1 } else { 1 });
    if dx == 0 || dy == 0 {
        // Straight: only the steps that land in the image, however long.
        let (along, start, step, limit) =
            if dx == 0 { (dy, y0, ys, i64::from(image.height())) } else { (dx, x0, xs, i64::from(image.width())) };
        let visible = |i: i64| (0..limit).contains(&(start + step * i));
        let (first, last) = if step > 0 { (-start, limit - 1 - start) } else { (start - limit + 1, start) };
        for i in first.max(0)..=last.min(along - 1) {
            debug_assert!(visible(i));
            if dx == 0 {
                put(image, x0, start + step * i, ink);
            } else {
                put(image, start + step * i, y0, ink);
            }
        }
        return;
    }
    let (mut x, mut y) = (x0, y0);
    if dx > dy {
        let steps = dx;
        dy += dy;
        let mut error = dy - dx;
        dx += dx;
        for _ in 0..steps {
            put(image, x, y, ink);
            if error >= 0 {
                y += ys;
                error -= dx;
            }
            error += dy;
            x += xs;
        }
    } else {
        let steps = dy;
        dx += dx;
        let mut error = dx - dy;
        dy += dy;
        for _ in 0..steps {
            put(image, x, y, ink);
            if error >= 0 {
                x += xs;
                error -= dy;
            }
            error += dx;
            y += ys;
        }
    }
}

/// Pillow's `ImageDraw.point`: each point, clipped.
pub fn points(image: &mut RgbaBuffer, xy: &[[i64; 2]], ink: Ink) {
    for &[x, y] in xy {
        put(image, x, y, ink);
    }
}

/// Pillow's `ImageDraw.line(xy, fill, width)`: one segment per pair of
/// consecutive points; one pixel wide with the last point drawn, or wide
/// segments (filled quadrilaterals) without joints.
pub fn lines(image: &mut RgbaBuffer, xy: &[[i64; 2]], ink: Ink, width: u32) -> crate::buffer::Result<()> {
    if width <= 1 {
        for pair in xy.windows(2) {
            line_without_end(image, pair[0], pair[1], ink);
        }
        if let [.., [x, y]] = xy
            && xy.len() > 1
        {
            put(image, *x, *y, ink);
        }
        return Ok(());
    }
    let mut canvas = Canvas { image, mask: None };
    for pair in xy.windows(2) {
        wide_line(&mut canvas, pair[0], pair[1], ink, width);
    }
    Ok(())
}

/// Pillow's `ROUND_UP` (half away from zero) and `ROUND_DOWN` (half
/// towards zero), symmetric about 0, on a C float.
fn round_up(value: f32) -> i64 {
    if value >= 0.0 { (value + 0.5).floor() as i64 } else { -((value.abs() + 0.5).floor() as i64) }
}

fn round_down(value: f32) -> i64 {
    if value >= 0.0 { (value - 0.5).ceil() as i64 } else { -((value.abs() - 0.5).ceil() as i64) }
}

/// The same in doubles, where Pillow's wide line computes in doubles.
fn round_up_f64(value: f64) -> i64 {
    if value >= 0.0 { (value + 0.5).floor() as i64 } else { -((value.abs() + 0.5).floor() as i64) }
}

fn round_down_f64(value: f64) -> i64 {
    if value >= 0.0 { (value - 0.5).ceil() as i64 } else { -((value.abs() - 0.5).ceil() as i64) }
}

/// Pillow's `ImagingDrawWideLine`: the segment as a quadrilateral `width`
/// pixels across, its sides rounded as Pillow rounds them.
fn wide_line(canvas: &mut Canvas, [x0, y0]: [i64; 2], [x1, y1]: [i64; 2], ink: Ink, width: u32) {
    let (dx, dy) = (x1 - x0, y1 - y0);
    if dx == 0 && dy == 0 {
        canvas.span(x0, y0, x0, ink);
        return;
    }
    let big = (dx as f64).hypot(dy as f64);
    let small = f64::from(width - 1) / 2.0;
    let (ratio_max, ratio_min) = (round_up_f64(small) as f64 / big, round_down_f64(small) as f64 / big);
    let (dx_min, dx_max) = (round_down_f64(ratio_min * dy as f64), round_down_f64(ratio_max * dy as f64));
    let (dy_min, dy_max) = (round_down_f64(ratio_min * dx as f64), round_down_f64(ratio_max * dx as f64));
    let corners = [
        [x0 - dx_min, y0 + dy_max],
        [x1 - dx_min, y1 + dy_max],
        [x1 + dx_max, y1 - dy_min],
        [x0 + dx_max, y0 - dy_min],
    ];
    let edges: Vec<Edge> = (0..4).map(|i| Edge::new(corners[i], corners[(i + 1) % 4])).collect();
    let height = i64::from(canvas.image.height());
    fill_edges(&edges, height, ink.blend, &mut |x0, y, x1| canvas.span(x0, y, x1, ink));
}

/// One side of a polygon for the scanline filler, as Pillow's `Edge`.
#[derive(Debug, Clone, Copy)]
struct Edge {
    x0: i64,
    y0: i64,
    x_min: i64,
    x_max: i64,
    y_min: i64,
    y_max: i64,
    /// x step per row, a C float as in Pillow.
    dx: f32,
}

impl Edge {
    fn new([x0, y0]: [i64; 2], [x1, y1]: [i64; 2]) -> Self {
        let dx = if y0 == y1 { 0.0 } else { (x1 - x0) as f32 / (y1 - y0) as f32 };
        Self { x0, y0, x_min: x0.min(x1), x_max: x0.max(x1), y_min: y0.min(y1), y_max: y0.max(y1), dx }
    }

    /// Where the edge crosses row `y`, in Pillow's float arithmetic.
    fn x_at(&self, y: i64) -> f32 {
        (y - self.y0) as f32 * self.dx + self.x0 as f32
    }

    fn is_flat(&self) -> bool {
        self.y_min == self.y_max
    }
}

/// Pillow's `polygon_generic` scanline fill (even-odd): flat edges as runs,
/// then each row's crossings sorted and filled in pairs, with Pillow's
/// adjustments where two edges meet in a corner. When the ink `blend`s,
/// Pillow keeps the runs of a row from overlapping, so no pixel is blended
/// twice, and draws the flat edges in with them. Each run `(x0, y, x1)`
/// goes to `run`, unclipped.
fn fill_edges(edges: &[Edge], height: i64, blend: bool, run: &mut dyn FnMut(i64, i64, i64)) {
    if edges.is_empty() {
        return;
    }
    let (mut y_min, mut y_max) = (height - 1, 0);
    let mut sloped: Vec<&Edge> = Vec::with_capacity(edges.len());
    for edge in edges {
        y_min = y_min.min(edge.y_min);
        y_max = y_max.max(edge.y_max);
        if edge.is_flat() {
            if !blend {
                run(edge.x_min, edge.y_min, edge.x_max);
            }
        } else {
            sloped.push(edge);
        }
    }
    let (first, last) = (y_min.max(0), y_max.min(height));
    // Crossings are sorted as order-keeping integer keys: the module's one
    // integer sort serves, where a float sort would add its own copy.
    let mut crossings: Vec<u32> = Vec::with_capacity(sloped.len() * 2);
    for y in first..=last {
        crossings.clear();
        for (i, current) in sloped.iter().enumerate() {
            if y < current.y_min || y > current.y_max {
                continue;
            }
            let x = current.x_at(y);
            if y == current.y_max && y < last {
                // Pillow counts an edge's lower end twice, for consistent polygons.
                crossings.extend([order_key(x); 2]);
            } else if (y == current.y_min || y == current.y_max) && current.dx != 0.0 {
                crossings.push(order_key(corner_adjusted(x, y, current, &sloped[..i])));
            } else {
                crossings.push(order_key(x));
            }
        }
        crossings.sort_unstable();
        if blend {
            separate_runs(edges, y, &crossings, run);
            continue;
        }
        for pair in crossings.chunks_exact(2) {
            run(round_up(from_key(pair[0])), y, round_down(from_key(pair[1])));
        }
    }
}

/// One row of a blended fill as Pillow draws it: each pair of crossings
/// from where the row's last run ended (`x_pos`), with the row's flat edges
/// that reach that point drawn before each pair and after the last.
fn separate_runs(edges: &[Edge], y: i64, crossings: &[u32], run: &mut dyn FnMut(i64, i64, i64)) {
    let mut x_pos = if crossings.is_empty() { -1 } else { 0 };
    for pair in crossings.chunks_exact(2) {
        let x_end = round_down(from_key(pair[1]));
        if x_end < x_pos {
            continue;
        }
        flat_runs(edges, y, &mut x_pos, run);
        if x_end < x_pos {
            continue;
        }
        let mut x_start = round_up(from_key(pair[0]));
        if x_pos > x_start {
            x_start = x_pos;
            if x_end < x_start {
                continue;
            }
        }
        // A pair whose start rounds past its end draws nothing, yet moves
        // `x_pos` on, as in Pillow.
        run(x_start, y, x_end);
        x_pos = x_end + 1;
    }
    flat_runs(edges, y, &mut x_pos, run);
}

/// Pillow's `draw_horizontal_lines`: the flat edges on row `y` that start
/// at or before `x_pos` (any, when it is -1), each from `x_pos` on.
fn flat_runs(edges: &[Edge], y: i64, x_pos: &mut i64, run: &mut dyn FnMut(i64, i64, i64)) {
    for edge in edges.iter().filter(|edge| edge.is_flat() && edge.y_min == y) {
        if *x_pos != -1 && *x_pos < edge.x_min {
            continue;
        }
        let mut x_min = edge.x_min;
        if *x_pos > x_min {
            x_min = *x_pos;
            if edge.x_max < x_min {
                continue;
            }
        }
        run(x_min, y, edge.x_max);
        *x_pos = edge.x_max + 1;
    }
}

/// A float's bits as an integer that sorts in the float's order.
fn order_key(x: f32) -> u32 {
    let bits = x.to_bits();
    if bits >> 31 == 1 { !bits } else { bits | 1 << 31 }
}

fn from_key(key: u32) -> f32 {
    f32::from_bits(if key >> 31 == 1 { key & !(1 << 31) } else { !key })
}

/// Pillow's "connect discontiguous corners": where a sloped edge's end meets
/// an earlier edge at the same rounded x, the crossing moves past both
/// edges' crossings on the neighbouring row when it lies beyond them.
fn corner_adjusted(x: f32, y: i64, current: &Edge, earlier: &[&Edge]) -> f32 {
    for other in earlier {
        if (y != other.y_min && y != other.y_max) || other.dx == 0.0 {
            continue;
        }
        if x.round() != other.x_at(y).round() {
            continue;
        }
        let offset = if y == current.y_max { -1 } else { 1 };
        let next = y + offset;
        if next < other.y_min || next > other.y_max {
            continue;
        }
        let (mine, theirs) = (current.x_at(next), other.x_at(next));
        if x > mine + 1.0 && x > theirs + 1.0 {
            return mine.max(theirs).round() + 1.0;
        }
        if x < mine - 1.0 && x < theirs - 1.0 {
            return mine.min(theirs).round() - 1.0;
        }
        return x;
    }
    x
}

/// Pillow's polygon edges from its vertices: consecutive flat edges going
/// the same way merge, and the outline closes unless the last point is the
/// first.
fn polygon_edges(xy: &[[i64; 2]]) -> Vec<Edge> {
    let mut edges: Vec<Edge> = Vec::with_capacity(xy.len());
    for i in 0..xy.len() - 1 {
        let ([x0, y0], [x1, y1]) = (xy[i], xy[i + 1]);
        if y0 == y1 && i != 0 && y0 == xy[i - 1][1] {
            let before = xy[i - 1][0];
            if let Some(last) = edges.last_mut() {
                if x1 > x0 && x0 > before {
                    last.x_max = x1;
                    continue;
                }
                if x1 < x0 && x0 < before {
                    last.x_min = x1;
                    continue;
                }
            }
        }
        edges.push(Edge::new(xy[i], xy[i + 1]));
    }
    let (first, last) = (xy[0], xy[xy.len() - 1]);
    if last != first {
        edges.push(Edge::new(last, first));
    }
    edges
}

/// Pillow's `ImageDraw.polygon(xy, fill, outline, width)` for at least two
/// points: the inside filled (even-odd), then an outline of `width` pixels
/// if it differs from the fill; a wider outline grows inwards only, as
/// Pillow masks its edges (twice as wide, less one) with the inside.
pub fn polygon(
    image: &mut RgbaBuffer,
    xy: &[[i64; 2]],
    fill: Option<Ink>,
    outline: Option<Ink>,
    width: u32,
) -> crate::buffer::Result<()> {
    let edges = polygon_edges(xy);
    let (w, h) = (image.width() as usize, image.height() as usize);
    if let Some(ink) = fill {
        fill_edges(&edges, h as i64, ink.blend, &mut |x0, y, x1| span(image, x0, x1, y, ink));
    }
    let Some(ink) = outline.filter(|&ink| Some(ink) != fill && width != 0) else {
        return Ok(());
    };
    if width == 1 {
        let closing = [xy[xy.len() - 1], xy[0]];
        for pair in xy.windows(2).chain(std::iter::once(&closing[..])) {
            line_without_end(image, pair[0], pair[1], ink);
        }
        return Ok(());
    }
    let mut inside = try_alloc(w * h, 0)?;
    fill_edges(&edges, h as i64, false, &mut |x0, y, x1| {
        if (0..h as i64).contains(&y) {
            let (start, end) = (x0.max(0), x1.min(w as i64 - 1));
            for x in start..=end {
                inside[y as usize * w + x as usize] = 1;
            }
        }
    });
    let mut canvas = Canvas { image, mask: Some(&inside) };
    let closing = [xy[xy.len() - 1], xy[0]];
    for pair in xy.windows(2).chain(std::iter::once(&closing[..])) {
        wide_line(&mut canvas, pair[0], pair[1], ink, width * 2 - 1);
    }
    Ok(())
}

/// One step of an outline's path (Pillow's `ImageDraw.Outline`), its points
/// C floats as Pillow keeps them.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathStep {
    Move([f32; 2]),
    Line([f32; 2]),
    /// A cubic Bezier curve from the current point through two control
    /// points to the last.
    Curve([[f32; 2]; 3]),
    /// A line back to where the path last moved to, unless it is there.
    Close,
    /// Pillow 13's `Outline.transform`: its C code frees the edges it has
    /// just transformed, so every edge made so far is dropped; the current
    /// point and the start stay.
    Forget,
}

/// Pillow's outline edges: a line from each point to the next, each curve
/// flattened into 32 lines, coordinates truncated to ints as Pillow's
/// `add_edge` takes them (its curve adds half a pixel first, in a double).
fn outline_edges(path: &[PathStep]) -> Vec<Edge> {
    let whole = |[x, y]: [f32; 2]| [x as i64, y as i64];
    // A new outline starts at (0, 0), as Pillow's.
    let (mut start, mut at) = ([0.0f32; 2], [0.0f32; 2]);
    let mut edges = Vec::new();
    let line = |edges: &mut Vec<Edge>, from: [f32; 2], to: [f32; 2]| edges.push(Edge::new(whole(from), whole(to)));
    for &step in path {
        match step {
            PathStep::Move(point) => (start, at) = (point, point),
            PathStep::Line(point) => {
                line(&mut edges, at, point);
                at = point;
            }
            PathStep::Curve([[x1, y1], [x2, y2], [x3, y3]]) => {
                let [x0, y0] = at;
                for i in 1..=32u8 {
                    let t = f32::from(i) / 32.0;
                    let (t2, u) = (t * t, 1.0 - t);
                    let (t3, u2) = (t2 * t, u * u);
                    let u3 = u2 * u;
                    let along = |p0: f32, p1: f32, p2: f32, p3: f32| {
                        (f64::from(p0 * u3 + 3.0 * (p1 * t * u2 + p2 * t2 * u) + p3 * t3) + 0.5) as f32
                    };
                    let point = [along(x0, x1, x2, x3), along(y0, y1, y2, y3)];
                    line(&mut edges, at, point);
                    at = point;
                }
            }
            PathStep::Close => {
                if at != start {
                    line(&mut edges, at, start);
                    at = start;
                }
            }
            PathStep::Forget => edges.clear(),
        }
    }
    edges
}

/// Pillow's `ImageDraw.shape(outline, fill)`: the path's inside filled
/// (even-odd), its edges as Pillow makes them.
pub fn outline(image: &mut RgbaBuffer, path: &[PathStep], ink: Ink) {
    let edges = outline_edges(path);
    let height = i64::from(image.height());
    fill_edges(&edges, height, ink.blend, &mut |x0, y, x1| span(image, x0, x1, y, ink));
}

/// Pillow's `ImageDraw.rectangle([x0, y0, x1, y1], fill, outline, width)`,
/// corners included (x0 <= x1, y0 <= y1): the fill, then, if it differs
/// from the fill, an outline `width` pixels wide inside the box.
#[inline(never)]
pub fn rectangle(
    image: &mut RgbaBuffer,
    [x0, y0, x1, y1]: [i64; 4],
    fill: Option<Ink>,
    outline: Option<Ink>,
    width: u32,
) {
    let (w, h) = (i64::from(image.width()), i64::from(image.height()));
    if let Some(ink) = fill {
        for y in y0.max(0)..=y1.min(h - 1) {
            span(image, x0, x1, y, ink);
        }
    }
    let Some(ink) = outline.filter(|&ink| Some(ink) != fill && width != 0) else {
        return;
    };
    let width = i64::from(width);
    let seen = |i: i64| {
        (0..h).contains(&(y0 + i))
            || (0..h).contains(&(y1 - i))
            || (0..w).contains(&(x1 - i))
            || (0..w).contains(&(x0 + i))
    };
    // Rings that miss the image draw nothing: skip them (widths reach 2^24).
    for i in (0..width).filter(|&i| seen(i)) {
        span(image, x0, x1, y0 + i, ink);
        span(image, x0, x1, y1 - i, ink);
        line_without_end(image, [x1 - i, y0 + width], [x1 - i, y1 - width + 1], ink);
        line_without_end(image, [x0 + i, y0 + width], [x0 + i, y1 - width + 1], ink);
    }
}

/// What a flood fill spreads over.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FloodRegion {
    /// Pixels whose summed channel differences from the start pixel are at
    /// most this (0: the same colour).
    Similar(f64),
    /// Every pixel but those of this border colour (and the fill colour).
    Bordered(Rgba),
}

#[inline(never)]
fn in_region(pixel: &[u8], region: FloodRegion, background: &[u8], colour: &[u8]) -> bool {
    match region {
        FloodRegion::Similar(threshold) => colour_difference(pixel, background) <= threshold,
        FloodRegion::Bordered(border) => pixel != colour && pixel != border,
    }
}

fn colour_difference(a: &[u8], b: &[u8]) -> f64 {
    a.iter().zip(b).map(|(&p, &q)| f64::from(p.abs_diff(q))).sum()
}

/// Pillow's `ImageDraw.floodfill(image, (x, y), value, border, thresh)`: the
/// start pixel takes `colour`, then every pixel 4-connected to it through
/// pixels of the `region` (scanline fill with an explicit stack: no
/// recursion). Nothing happens from outside the image or when the start
/// pixel is already within the threshold of `colour`. Returns the number of
/// pixels set.
pub fn flood_fill(image: &mut RgbaBuffer, x: i64, y: i64, colour: Rgba, region: FloodRegion) -> u64 {
    let Ok(background) = image.get_pixel(x, y) else {
        return 0;
    };
    let threshold = match region {
        FloodRegion::Similar(threshold) => threshold,
        FloodRegion::Bordered(_) => 0.0,
    };
    if colour_difference(&colour, &background) <= threshold {
        return 0;
    }
    let (width, height) = (image.width() as usize, image.height() as usize);
    let stride = image.stride();
    let data = image.data_mut();
    let matches = |data: &[u8], x: usize, y: usize| {
        let at = y * stride + x * BYTES_PER_PIXEL;
        in_region(&data[at..at + BYTES_PER_PIXEL], region, &background, &colour)
    };
    let (x, y) = (x as usize, y as usize);
    let at = y * stride + x * BYTES_PER_PIXEL;
    data[at..at + BYTES_PER_PIXEL].copy_from_slice(&colour);
    let mut changed = 1u64;
    let mut stack: Vec<(usize, usize)> = [(x.wrapping_sub(1), y), (x + 1, y), (x, y.wrapping_sub(1)), (x, y + 1)]
        .into_iter()
        .filter(|&(nx, ny)| nx < width && ny < height)
        .collect();
    while let Some((sx, sy)) = stack.pop() {
        if !matches(data, sx, sy) {
            continue;
        }
        let mut left = sx;
        while left > 0 && matches(data, left - 1, sy) {
            left -= 1;
        }
        let mut right = sx;
        while right + 1 < width && matches(data, right + 1, sy) {
            right += 1;
        }
        for px in left..=right {
            let at = sy * stride + px * BYTES_PER_PIXEL;
            data[at..at + BYTES_PER_PIXEL].copy_from_slice(&colour);
        }
        changed += (right - left + 1) as u64;
        for ny in [sy.wrapping_sub(1), sy + 1] {
            if ny >= height {
                continue;
            }
            // One seed per run of matching pixels in the neighbouring row.
            let mut px = left;
            while px <= right {
                if matches(data, px, ny) {
                    stack.push((px, ny));
                    while px <= right && matches(data, px, ny) {
                        px += 1;
                    }
                } else {
                    px += 1;
                }
            }
        }
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::buffer::samples::{self, drawn};

    const RED: Ink = Ink::plain(samples::RED);
    const BLUE: Ink = Ink::plain(samples::BLUE);

    fn image(width: u32, height: u32) -> RgbaBuffer {
        RgbaBuffer::new(width, height).unwrap()
    }

    #[test]
    fn one_pixel_lines_include_the_last_point_as_pillow_draws_them() {
        let mut canvas = image(4, 4);
        lines(&mut canvas, &[[0, 0], [3, 3]], RED, 1).unwrap();
        assert_eq!(drawn(&canvas), ["#...", ".#..", "..#.", "...#"]);
        // Pillow's Bresenham rounds a 2:1 slope's ties downwards first.
        let mut canvas = image(5, 3);
        lines(&mut canvas, &[[0, 0], [4, 2], [4, 0]], RED, 1).unwrap();
        assert_eq!(drawn(&canvas), ["#...#", ".##.#", "...##"]);
    }

    #[test]
    fn lines_far_outside_are_clipped_in_time() {
        let mut canvas = image(3, 1);
        lines(&mut canvas, &[[-16_000_000, 0], [16_000_000, 0]], RED, 1).unwrap();
        assert_eq!(drawn(&canvas), ["###"]);
        let mut canvas = image(2, 2);
        lines(&mut canvas, &[[5, 5], [9, 9]], RED, 1).unwrap();
        assert_eq!(drawn(&canvas), ["..", ".."]);
    }

    #[test]
    fn wide_lines_are_filled_quadrilaterals() {
        let mut canvas = image(7, 5);
        lines(&mut canvas, &[[1, 2], [5, 2]], RED, 3).unwrap();
        assert_eq!(drawn(&canvas), [".......", ".#####.", ".#####.", ".#####.", "......."]);
        // A wide line of one point is that point.
        let mut canvas = image(3, 3);
        lines(&mut canvas, &[[1, 1], [1, 1]], RED, 9).unwrap();
        assert_eq!(drawn(&canvas), ["...", ".#.", "..."]);
    }

    #[test]
    fn polygons_filled_outlined_and_with_wide_outlines_inside() {
        let square = [[1, 1], [5, 1], [5, 5], [1, 5]];
        let mut canvas = image(7, 7);
        polygon(&mut canvas, &square, Some(BLUE), Some(RED), 1).unwrap();
        assert_eq!(drawn(&canvas), [".......", ".#####.", ".#ooo#.", ".#ooo#.", ".#ooo#.", ".#####.", "......."]);
        let mut canvas = image(7, 7);
        polygon(&mut canvas, &square, None, Some(RED), 2).unwrap();
        assert_eq!(drawn(&canvas), [".......", ".#####.", ".#####.", ".##.##.", ".#####.", ".#####.", "......."]);
        // The same colour for both: no separate outline.
        let mut canvas = image(3, 3);
        polygon(&mut canvas, &[[0, 0], [2, 0], [0, 2]], Some(RED), Some(RED), 5).unwrap();
        assert_eq!(drawn(&canvas), ["###", "##.", "#.."]);
    }

    #[test]
    fn rectangles_filled_and_outlined_inside_the_box() {
        let mut canvas = image(6, 5);
        rectangle(&mut canvas, [0, 0, 5, 4], Some(BLUE), Some(RED), 1);
        assert_eq!(drawn(&canvas), ["######", "#oooo#", "#oooo#", "#oooo#", "######"]);
        let mut canvas = image(6, 6);
        rectangle(&mut canvas, [0, 0, 5, 5], None, Some(RED), 2);
        assert_eq!(drawn(&canvas), ["######", "######", "##..##", "##..##", "######", "######"]);
        // A huge width: rings beyond the image are skipped, none is missed.
        let mut canvas = image(3, 3);
        rectangle(&mut canvas, [-9, -9, 11, 11], None, Some(RED), 16_777_216);
        assert_eq!(drawn(&canvas), ["###", "###", "###"]);
    }

    #[test]
    fn blended_ink_mixes_red_green_and_blue_by_its_alpha_once_a_pixel() {
        // Pillow 13: Draw(Image.new("RGB", (1, 1), (10, 20, 30)), "RGBA").point((0, 0), (255, 0, 0, 128)).
        let half_red = Ink { colour: [255, 0, 0, 128], blend: true };
        let mut canvas = image(1, 1);
        canvas.data_mut().copy_from_slice(&[10, 20, 30, 255]);
        points(&mut canvas, &[[0, 0]], half_red);
        assert_eq!(canvas.data(), [133, 10, 15, 255]);
        // A filled polygon with flat edges and a wide line blend each pixel
        // they cover once: the flat edges are not drawn again over the rows.
        for draw in [
            (|canvas: &mut RgbaBuffer, ink| {
                polygon(canvas, &[[1, 1], [6, 1], [6, 4], [1, 4]], Some(ink), None, 1).unwrap()
            }) as fn(&mut RgbaBuffer, Ink),
            |canvas, ink| lines(canvas, &[[1, 2], [6, 2]], ink, 3).unwrap(),
        ] {
            let mut canvas = image(8, 6);
            draw(&mut canvas, half_red);
            let blended: Vec<[u8; 4]> =
                canvas.data().chunks(4).filter(|p| p[0] != 0).map(|p| p.try_into().unwrap()).collect();
            assert!(!blended.is_empty() && blended.iter().all(|&p| p == [128, 0, 0, 0]), "{blended:?}");
        }
    }

    #[test]
    fn outlines_are_filled_from_their_lines_and_flattened_curves() {
        let mut canvas = image(6, 5);
        let square = [
            PathStep::Move([1.0, 1.0]),
            PathStep::Line([4.0, 1.0]),
            PathStep::Line([4.0, 3.0]),
            PathStep::Line([1.0, 3.0]),
            PathStep::Close,
        ];
        outline(&mut canvas, &square, RED);
        // Pillow 13 fills this square the same.
        assert_eq!(drawn(&canvas), ["......", ".####.", ".####.", ".####.", "......"]);
        // A curve ends where its flattening ends: half a pixel on, as Pillow's.
        let curve = [PathStep::Move([0.0, 0.0]), PathStep::Curve([[0.0, 4.0], [4.0, 4.0], [4.0, 0.0]])];
        let edges = outline_edges(&curve);
        assert_eq!(edges.len(), 32);
        assert_eq!((edges[31].x_max, edges[31].y_min), (4, 0));
        // Pillow's transform leaves no edges; the point and the start stay,
        // so closing draws from the square's last corner back to its first.
        let forgotten = [&square[..4], &[PathStep::Forget, PathStep::Close]].concat();
        let edges = outline_edges(&forgotten);
        assert_eq!(edges.len(), 1);
        assert_eq!((edges[0].x_min, edges[0].y_min, edges[0].y_max), (1, 1, 3));
    }

    #[test]
    fn flood_fill_spreads_over_similar_pixels_or_up_to_a_border() {
        let mut canvas = image(5, 3);
        lines(&mut canvas, &[[2, 0], [2, 2]], RED, 1).unwrap();
        assert_eq!(flood_fill(&mut canvas, 0, 0, BLUE.colour, FloodRegion::Similar(0.0)), 6);
        assert_eq!(drawn(&canvas), ["oo#..", "oo#..", "oo#.."]);
        // Already that colour, or outside: nothing.
        assert_eq!(flood_fill(&mut canvas, 0, 0, BLUE.colour, FloodRegion::Similar(0.0)), 0);
        assert_eq!(flood_fill(&mut canvas, 9, 0, RED.colour, FloodRegion::Similar(0.0)), 0);
        // Red and blue differ from transparent black by 510: a threshold of
        // 510 crosses them, one below stops at them.
        let mut wide = image(5, 1);
        lines(&mut wide, &[[2, 0], [2, 0]], RED, 1).unwrap();
        assert_eq!(flood_fill(&mut wide, 0, 0, BLUE.colour, FloodRegion::Similar(509.0)), 2);
        assert_eq!(flood_fill(&mut wide, 4, 0, [255; 4], FloodRegion::Similar(510.0)), 5);
        // With a border, everything but the border (and the fill) is taken.
        let mut bordered = image(5, 1);
        lines(&mut bordered, &[[3, 0], [3, 0]], RED, 1).unwrap();
        bordered.set_pixel(1, 0, [9, 9, 9, 9]).unwrap();
        assert_eq!(flood_fill(&mut bordered, 0, 0, BLUE.colour, FloodRegion::Bordered(RED.colour)), 3);
        assert_eq!(drawn(&bordered), ["ooo#."]);
    }

    #[test]
    fn order_keys_sort_as_floats() {
        let values = [-3.5f32, -0.0, 0.0, 1e-30, 2.25, -1e30, 7.0];
        let mut keys: Vec<u32> = values.iter().map(|&v| order_key(v)).collect();
        keys.sort_unstable();
        let sorted: Vec<f32> = keys.into_iter().map(from_key).collect();
        assert_eq!(sorted, [-1e30, -3.5, -0.0, 0.0, 1e-30, 2.25, 7.0]);
        assert!(values.iter().all(|&v| from_key(order_key(v)).to_bits() == v.to_bits()));
    }

    #[test]
    fn flood_fill_of_a_large_image_does_not_recurse() {
        let mut canvas = image(1000, 1000);
        assert_eq!(flood_fill(&mut canvas, 500, 500, RED.colour, FloodRegion::Similar(0.0)), 1_000_000);
    }
}
