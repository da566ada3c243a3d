//! Shapes drawn into an RGBA image, clipped to its edges.
//! Shapes write their colour as it is (no blending).

use crate::buffer::{BYTES_PER_PIXEL, Rgba, RgbaBuffer};

fn put(image: &mut RgbaBuffer, x: i64, y: i64, colour: Rgba) {
    if x >= 0 && y >= 0 && x < i64::from(image.width()) && y < i64::from(image.height()) {
        let at = (y as usize * image.width() as usize + x as usize) * BYTES_PER_PIXEL;
        image.data_mut()[at..at + BYTES_PER_PIXEL].copy_from_slice(&colour);
    }
}

/// A horizontal run from `x0` to `x1` inclusive, clipped.
fn span(image: &mut RgbaBuffer, x0: i64, x1: i64, y: i64, colour: Rgba) {
    if y < 0 || y >= i64::from(image.height()) {
        return;
    }
    let (start, end) = (x0.max(0), x1.min(i64::from(image.width()) - 1));
    if start > end {
        return;
    }
    let row = y as usize * image.stride();
    let data = image.data_mut();
    for x in start as usize..=end as usize {
        let at = row + x * BYTES_PER_PIXEL;
        data[at..at + BYTES_PER_PIXEL].copy_from_slice(&colour);
    }
}

/// A one-pixel line from (x0, y0) to (x1, y1), both ends included
/// (Bresenham), clipped to the image.
pub fn line(image: &mut RgbaBuffer, x0: i64, y0: i64, x1: i64, y1: i64, colour: Rgba) {
    let (dx, dy) = ((x1 - x0).abs(), -(y1 - y0).abs());
    let (sx, sy) = (if x0 < x1 { 1 } else { -1 }, if y0 < y1 { 1 } else { -1 });
    let (mut x, mut y, mut error) = (x0, y0, dx + dy);
    let (w, h) = (i64::from(image.width()), i64::from(image.height()));
    loop {
        put(image, x, y, colour);
        if x == x1 && y == y1 {
            break;
        }
        // Once outside and moving away on an axis, nothing more can be drawn.
        if (x < 0 && sx < 0)
            || (x >= w && sx > 0 && dx > 0)
            || (y < 0 && sy < 0 && dy != 0)
            || (y >= h && sy > 0 && dy != 0)
        {
            break;
        }
        let doubled = 2 * error;
        if doubled >= dy {
            error += dy;
            x += sx;
        }
        if doubled <= dx {
            error += dx;
            y += sy;
        }
    }
}

/// A rectangle with its top-left corner at (x, y); `filled` false draws a
/// one-pixel outline.
pub fn rectangle(image: &mut RgbaBuffer, x: i64, y: i64, width: i64, height: i64, colour: Rgba, filled: bool) {
    if width <= 0 || height <= 0 {
        return;
    }
    let (right, bottom) = (x + width - 1, y + height - 1);
    if filled {
        for row in y.max(0)..=bottom.min(i64::from(image.height()) - 1) {
            span(image, x, right, row, colour);
        }
    } else {
        span(image, x, right, y, colour);
        span(image, x, right, bottom, colour);
        for row in (y + 1).max(0)..bottom.min(i64::from(image.height())) {
            put(image, x, row, colour);
            put(image, right, row, colour);
        }
    }
}

/// A circle of `radius` around (cx, cy) (midpoint algorithm, which lights
/// the same pixels as Pillow's `ellipse` on the box (cx - r, cy - r, cx + r,
/// cy + r)); `filled` false draws a one-pixel outline. As in Pillow, a filled
/// circle of radius 0 has no inside and draws nothing; its outline is one pixel.
pub fn circle(image: &mut RgbaBuffer, cx: i64, cy: i64, radius: i64, colour: Rgba, filled: bool) {
    if radius < 0 || (filled && radius == 0) {
        return;
    }
    let (mut x, mut y, mut error) = (radius, 0i64, 1 - radius);
    while x >= y {
        if filled {
            span(image, cx - x, cx + x, cy + y, colour);
            span(image, cx - x, cx + x, cy - y, colour);
            span(image, cx - y, cx + y, cy + x, colour);
            span(image, cx - y, cx + y, cy - x, colour);
        } else {
            for (px, py) in [(x, y), (y, x), (-y, x), (-x, y), (-x, -y), (-y, -x), (y, -x), (x, -y)] {
                put(image, cx + px, cy + py, colour);
            }
        }
        y += 1;
        if error < 0 {
            error += 2 * y + 1;
        } else {
            x -= 1;
            error += 2 * (y - x) + 1;
        }
    }
}

/// Replaces the 4-connected region of pixels equal to the one at (x, y) with
/// `colour` (scanline fill with an explicit stack: no recursion). Returns the
/// number of pixels changed; a start outside the image changes nothing, as
/// in Pillow's `ImageDraw.floodfill`.
pub fn flood_fill(image: &mut RgbaBuffer, x: i64, y: i64, colour: Rgba) -> u64 {
    let Ok(target) = image.get_pixel(x, y) else {
        return 0;
    };
    if target == colour {
        return 0;
    }
    let (width, height) = (image.width() as usize, image.height() as usize);
    let stride = image.stride();
    let data = image.data_mut();
    let matches = |data: &[u8], x: usize, y: usize| {
        let at = y * stride + x * BYTES_PER_PIXEL;
        data[at..at + BYTES_PER_PIXEL] == target
    };
    let mut changed = 0u64;
    let mut stack = vec![(x as usize, y as usize)];
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

    const RED: Rgba = [255, 0, 0, 255];

    fn image(width: u32, height: u32) -> RgbaBuffer {
        RgbaBuffer::new(width, height).unwrap()
    }

    fn drawn(image: &RgbaBuffer) -> Vec<String> {
        (0..image.height() as i64)
            .map(|y| {
                (0..image.width() as i64)
                    .map(|x| if image.get_pixel(x, y).unwrap() == RED { '#' } else { '.' })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn diagonal_line_includes_both_ends() {
        let mut canvas = image(4, 4);
        line(&mut canvas, 0, 0, 3, 3, RED);
        assert_eq!(drawn(&canvas), ["#...", ".#..", "..#.", "...#"]);
    }

    #[test]
    fn line_far_outside_is_clipped_and_ends() {
        let mut canvas = image(3, 1);
        line(&mut canvas, -1_000_000, 0, 1_000_000, 0, RED);
        assert_eq!(drawn(&canvas), ["###"]);
        let mut canvas = image(2, 2);
        line(&mut canvas, 5, 5, 9, 9, RED);
        assert_eq!(drawn(&canvas), ["..", ".."]);
    }

    #[test]
    fn rectangles_filled_and_outlined() {
        let mut canvas = image(5, 4);
        rectangle(&mut canvas, 1, 0, 3, 3, RED, false);
        assert_eq!(drawn(&canvas), [".###.", ".#.#.", ".###.", "....."]);
        let mut canvas = image(3, 3);
        rectangle(&mut canvas, -1, -1, 3, 3, RED, true);
        assert_eq!(drawn(&canvas), ["##.", "##.", "..."]);
        rectangle(&mut canvas, 0, 0, 0, 3, [0; 4], true);
        assert_eq!(drawn(&canvas), ["##.", "##.", "..."]);
    }

    #[test]
    fn circles_filled_and_outlined() {
        let mut canvas = image(5, 5);
        circle(&mut canvas, 2, 2, 2, RED, false);
        assert_eq!(drawn(&canvas), [".###.", "#...#", "#...#", "#...#", ".###."]);
        let mut canvas = image(5, 5);
        circle(&mut canvas, 2, 2, 2, RED, true);
        assert_eq!(drawn(&canvas), [".###.", "#####", "#####", "#####", ".###."]);
        // Pillow's ellipse on a one-pixel box: an outline pixel, no inside.
        let mut canvas = image(1, 1);
        circle(&mut canvas, 0, 0, 0, RED, true);
        assert_eq!(drawn(&canvas), ["."]);
        circle(&mut canvas, 0, 0, 0, RED, false);
        assert_eq!(drawn(&canvas), ["#"]);
    }

    #[test]
    fn flood_fill_stops_at_borders() {
        let mut canvas = image(5, 3);
        line(&mut canvas, 2, 0, 2, 2, RED);
        let changed = flood_fill(&mut canvas, 0, 0, RED);
        assert_eq!(changed, 6);
        assert_eq!(drawn(&canvas), ["###..", "###..", "###.."]);
        assert_eq!(flood_fill(&mut canvas, 0, 0, RED), 0);
        assert_eq!(flood_fill(&mut canvas, 9, 0, RED), 0);
        assert_eq!(flood_fill(&mut canvas, 0, -1, RED), 0);
    }

    #[test]
    fn flood_fill_of_a_large_image_does_not_recurse() {
        let mut canvas = image(1000, 1000);
        assert_eq!(flood_fill(&mut canvas, 500, 500, RED), 1_000_000);
    }
}
