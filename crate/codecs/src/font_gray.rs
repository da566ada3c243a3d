//! FreeType's smooth rasterizer (`ftgrays.c` of FreeType 2.14, as built on
//! a 64-bit host, which Pillow's wheels are): the outline in 26.6 is
//! upscaled to 1/256 pixel, lines walk the cells they cross accumulating
//! cover and area with FreeType's division by reciprocal, quadratic arcs are
//! flattened by its forward differencing, cubic ones by its bisection, and
//! each pixel's coverage is its area shifted down and clamped for the
//! non-zero rule. The same integer arithmetic gives the same bytes.
//!
//! Cells are kept dense (a window of at most the glyph's bitmap) rather
//! than in FreeType's sorted lists: the sums per cell, hence the coverage,
//! are the same. Cells left of the window add their cover to the row, as
//! FreeType's clamped cells do; cells right of, above or below it are
//! dropped.

const PIXEL_BITS: i64 = 8;
const ONE_PIXEL: i64 = 1 << PIXEL_BITS;

fn trunc(value: i64) -> i64 {
    value >> PIXEL_BITS
}

fn fract(value: i64) -> i64 {
    value & (ONE_PIXEL - 1)
}

/// The rasterizer's state over a `width` x `height` window, rows bottom up.
pub struct Gray {
    width: i64,
    height: i64,
    /// Per row, `width + 1` cells: the first stands for everything left of
    /// the window. Each holds `(cover, area)`.
    cells: Vec<(i64, i64)>,
    ex: i64,
    ey: i64,
    cover: i64,
    area: i64,
    x: i64,
    y: i64,
}

impl Gray {
    pub fn new(width: usize, height: usize) -> Self {
        Self {
            width: width as i64,
            height: height as i64,
            cells: vec![(0, 0); (width + 1) * height],
            ex: 0,
            ey: 0,
            cover: 0,
            area: 0,
            x: 0,
            y: 0,
        }
    }

    fn record(&mut self) {
        if self.area == 0 && self.cover == 0 {
            return;
        }
        if (0..self.height).contains(&self.ey) && self.ex < self.width {
            let column = (self.ex.max(-1) + 1) as usize;
            let cell = &mut self.cells[self.ey as usize * (self.width as usize + 1) + column];
            cell.0 += self.cover;
            cell.1 += self.area;
        }
    }

    fn set_cell(&mut self, ex: i64, ey: i64) {
        if ex != self.ex || ey != self.ey {
            self.record();
            self.ex = ex;
            self.ey = ey;
            self.cover = 0;
            self.area = 0;
        }
    }

    /// Starts a contour at `(x, y)` in 26.6.
    pub fn move_to(&mut self, x: i64, y: i64) {
        let (x, y) = (x << (PIXEL_BITS - 6), y << (PIXEL_BITS - 6));
        self.record();
        self.ex = trunc(x);
        self.ey = trunc(y);
        self.cover = 0;
        self.area = 0;
        self.x = x;
        self.y = y;
    }

    /// A line to `(x, y)` in 26.6.
    pub fn line_to(&mut self, x: i64, y: i64) {
        self.render_line(x << (PIXEL_BITS - 6), y << (PIXEL_BITS - 6));
    }

    fn render_line(&mut self, to_x: i64, to_y: i64) {
        let mut ey1 = trunc(self.y);
        let ey2 = trunc(to_y);
        if (ey1 >= self.height && ey2 >= self.height) || (ey1 < 0 && ey2 < 0) {
            self.x = to_x;
            self.y = to_y;
            return;
        }
        let mut ex1 = trunc(self.x);
        let ex2 = trunc(to_x);
        let mut fx1 = fract(self.x);
        let mut fy1 = fract(self.y);
        let dx = to_x - self.x;
        let dy = to_y - self.y;
        if ex1 == ex2 && ey1 == ey2 {
            // Inside one cell.
        } else if dy == 0 {
            self.set_cell(ex2, ey2);
            self.x = to_x;
            self.y = to_y;
            return;
        } else if dx == 0 {
            if dy > 0 {
                loop {
                    let fy2 = ONE_PIXEL;
                    self.cover += fy2 - fy1;
                    self.area += (fy2 - fy1) * fx1 * 2;
                    fy1 = 0;
                    ey1 += 1;
                    self.set_cell(ex1, ey1);
                    if ey1 == ey2 {
                        break;
                    }
                }
            } else {
                loop {
                    let fy2 = 0;
                    self.cover += fy2 - fy1;
                    self.area += (fy2 - fy1) * fx1 * 2;
                    fy1 = ONE_PIXEL;
                    ey1 -= 1;
                    self.set_cell(ex1, ey1);
                    if ey1 == ey2 {
                        break;
                    }
                }
            }
        } else {
            // FreeType's FT_UDIVPREP and FT_UDIV with a 64-bit long.
            let reciprocal = |condition: bool, divisor: i64| -> u64 {
                if condition { ((u64::MAX >> PIXEL_BITS) as i64 / divisor) as u64 } else { 0 }
            };
            let dx_r = reciprocal(ex1 != ex2, dx);
            let dy_r = reciprocal(ey1 != ey2, dy);
            let udiv = |a: i64, r: u64| -> i64 { ((a as u64).wrapping_mul(r) >> (64 - PIXEL_BITS)) as i64 };
            let mut prod = dx * fy1 - dy * fx1;
            loop {
                let (fx2, fy2);
                if prod - dx * ONE_PIXEL > 0 && prod <= 0 {
                    // Leaves by the left.
                    fx2 = 0;
                    fy2 = udiv(-prod, dx_r.wrapping_neg());
                    prod -= dy * ONE_PIXEL;
                    self.cover += fy2 - fy1;
                    self.area += (fy2 - fy1) * (fx1 + fx2);
                    fx1 = ONE_PIXEL;
                    fy1 = fy2;
                    ex1 -= 1;
                } else if prod - dx * ONE_PIXEL + dy * ONE_PIXEL > 0 && prod - dx * ONE_PIXEL <= 0 {
                    // Up.
                    prod -= dx * ONE_PIXEL;
                    fx2 = udiv(-prod, dy_r);
                    fy2 = ONE_PIXEL;
                    self.cover += fy2 - fy1;
                    self.area += (fy2 - fy1) * (fx1 + fx2);
                    fx1 = fx2;
                    fy1 = 0;
                    ey1 += 1;
                } else if prod + dy * ONE_PIXEL >= 0 && prod - dx * ONE_PIXEL + dy * ONE_PIXEL <= 0 {
                    // Right.
                    prod += dy * ONE_PIXEL;
                    fx2 = ONE_PIXEL;
                    fy2 = udiv(prod, dx_r);
                    self.cover += fy2 - fy1;
                    self.area += (fy2 - fy1) * (fx1 + fx2);
                    fx1 = 0;
                    fy1 = fy2;
                    ex1 += 1;
                } else {
                    // Down.
                    fx2 = udiv(prod, dy_r.wrapping_neg());
                    fy2 = 0;
                    prod += dx * ONE_PIXEL;
                    self.cover += fy2 - fy1;
                    self.area += (fy2 - fy1) * (fx1 + fx2);
                    fx1 = fx2;
                    fy1 = ONE_PIXEL;
                    ey1 -= 1;
                }
                self.set_cell(ex1, ey1);
                if ex1 == ex2 && ey1 == ey2 {
                    break;
                }
            }
        }
        let fx2 = fract(to_x);
        let fy2 = fract(to_y);
        self.cover += fy2 - fy1;
        self.area += (fy2 - fy1) * (fx1 + fx2);
        self.x = to_x;
        self.y = to_y;
    }

    /// A quadratic arc through control `(cx, cy)` to `(x, y)`, in 26.6
    /// (FreeType's forward differencing on 64-bit hosts).
    pub fn conic_to(&mut self, cx: i64, cy: i64, x: i64, y: i64) {
        let up = PIXEL_BITS - 6;
        let (p0x, p0y) = (self.x, self.y);
        let (p1x, p1y) = (cx << up, cy << up);
        let (p2x, p2y) = (x << up, y << up);
        let rows = [trunc(p0y), trunc(p1y), trunc(p2y)];
        if rows.iter().all(|&row| row >= self.height) || rows.iter().all(|&row| row < 0) {
            self.x = p2x;
            self.y = p2y;
            return;
        }
        let (bx, by) = (p1x - p0x, p1y - p0y);
        let (ax, ay) = (p2x - p1x - bx, p2y - p1y - by);
        let mut deviation = ax.abs().max(ay.abs());
        if deviation <= ONE_PIXEL / 4 {
            self.render_line(p2x, p2y);
            return;
        }
        let mut shift = 0;
        while deviation > ONE_PIXEL / 4 {
            deviation >>= 2;
            shift += 1;
        }
        let (rx, ry) = (ax.wrapping_shl(33 - 2 * shift), ay.wrapping_shl(33 - 2 * shift));
        let mut qx = bx.wrapping_shl(33 - shift).wrapping_add(ax.wrapping_shl(32 - 2 * shift));
        let mut qy = by.wrapping_shl(33 - shift).wrapping_add(ay.wrapping_shl(32 - 2 * shift));
        let (mut px, mut py) = (p0x.wrapping_shl(32), p0y.wrapping_shl(32));
        for _ in 0..(1u32 << shift.min(30)) {
            px = px.wrapping_add(qx);
            py = py.wrapping_add(qy);
            qx = qx.wrapping_add(rx);
            qy = qy.wrapping_add(ry);
            self.render_line(px >> 32, py >> 32);
        }
    }

    /// A cubic arc, in 26.6 (FreeType's bisection until flat).
    pub fn cubic_to(&mut self, c1: (i64, i64), c2: (i64, i64), to: (i64, i64)) {
        let up = PIXEL_BITS - 6;
        let mut stack = [(0i64, 0i64); 16 * 3 + 1];
        stack[0] = (to.0 << up, to.1 << up);
        stack[1] = (c2.0 << up, c2.1 << up);
        stack[2] = (c1.0 << up, c1.1 << up);
        stack[3] = (self.x, self.y);
        let rows = [trunc(stack[0].1), trunc(stack[1].1), trunc(stack[2].1), trunc(stack[3].1)];
        if rows.iter().all(|&row| row >= self.height) || rows.iter().all(|&row| row < 0) {
            self.x = stack[0].0;
            self.y = stack[0].1;
            return;
        }
        let mut arc = 0;
        loop {
            let a = &stack[arc..arc + 4];
            let flat = (2 * a[0].0 - 3 * a[1].0 + a[3].0).abs() <= ONE_PIXEL / 2
                && (2 * a[0].1 - 3 * a[1].1 + a[3].1).abs() <= ONE_PIXEL / 2
                && (a[0].0 - 3 * a[2].0 + 2 * a[3].0).abs() <= ONE_PIXEL / 2
                && (a[0].1 - 3 * a[2].1 + 2 * a[3].1).abs() <= ONE_PIXEL / 2;
            if flat || arc + 7 > stack.len() {
                let (x, y) = stack[arc];
                self.render_line(x, y);
                if arc == 0 {
                    return;
                }
                arc -= 3;
            } else {
                split_cubic(&mut stack[arc..arc + 7]);
                arc += 3;
            }
        }
    }

    /// The coverage bytes, rows top down (FreeType's bitmap order).
    pub fn finish(mut self) -> Vec<u8> {
        self.record();
        let (width, height) = (self.width as usize, self.height as usize);
        let mut coverage = vec![0u8; width * height];
        for row in 0..height {
            let cells = &self.cells[row * (width + 1)..(row + 1) * (width + 1)];
            let target = &mut coverage[(height - 1 - row) * width..(height - row) * width];
            let mut cover = cells[0].0 * ONE_PIXEL * 2;
            for (x, &(cell_cover, cell_area)) in cells[1..].iter().enumerate() {
                cover += cell_cover * ONE_PIXEL * 2;
                target[x] = fill_rule(cover - cell_area);
            }
        }
        coverage
    }
}

/// FreeType's `FT_FILL_RULE` for the non-zero rule.
fn fill_rule(area: i64) -> u8 {
    let mut coverage = (area >> (PIXEL_BITS * 2 + 1 - 8)) as i32;
    if coverage < 0 {
        coverage = !coverage;
    }
    coverage.min(255) as u8
}

fn split_cubic(base: &mut [(i64, i64)]) {
    let split = |p: [i64; 4]| -> [i64; 7] {
        let mut a = p[0] + p[1];
        let b = p[1] + p[2];
        let mut c = p[2] + p[3];
        let five = c >> 1;
        c += b;
        let four = c >> 2;
        let one = a >> 1;
        a += b;
        let two = a >> 2;
        let three = (a + c) >> 3;
        [p[0], one, two, three, four, five, p[3]]
    };
    let xs = split([base[0].0, base[1].0, base[2].0, base[3].0]);
    let ys = split([base[0].1, base[1].1, base[2].1, base[3].1]);
    for (index, point) in base.iter_mut().enumerate().take(7) {
        *point = (xs[index], ys[index]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_square_covers_its_pixels() {
        let mut gray = Gray::new(3, 2);
        // 0.5 px to 2.5 px wide, 0 to 2 px high, counter-clockwise as TrueType's outer contours are not:
        gray.move_to(32, 0);
        gray.line_to(32, 128);
        gray.line_to(160, 128);
        gray.line_to(160, 0);
        gray.line_to(32, 0);
        assert_eq!(gray.finish(), vec![128, 255, 128, 128, 255, 128]);
    }

    #[test]
    fn a_conic_bulge_is_partly_covered() {
        let mut gray = Gray::new(2, 2);
        gray.move_to(0, 0);
        gray.conic_to(0, 256, 128, 128);
        gray.line_to(128, 0);
        gray.line_to(0, 0);
        let coverage = gray.finish();
        assert!(coverage[2] > 200, "{coverage:?}");
        assert!(coverage[0] > 0 && coverage[0] < 255, "{coverage:?}");
    }
}
