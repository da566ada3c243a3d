//! Simulations that run their whole step in Rust and render straight into an
//! RGBA buffer the page can blit.

use crate::buffer::{BYTES_PER_PIXEL, ImageError, Result, Rgba, RgbaBuffer, checked_len, try_alloc};

/// A small, fast, seedable generator (xorshift64*), so runs are repeatable.
#[derive(Debug, Clone)]
pub struct Random(u64);

impl Random {
    /// Scrambles `seed` with SplitMix64's finaliser, so that neighbouring
    /// seeds start far apart (xorshift needs a state that is not zero).
    pub fn new(seed: u64) -> Self {
        let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15);
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        Self(if z == 0 { 0x9E37_79B9_7F4A_7C15 } else { z })
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1).
    pub fn next_f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// Conway's Game of Life on a torus: the edges wrap around.
#[derive(Debug, Clone)]
pub struct Life {
    width: usize,
    height: usize,
    cells: Vec<u8>,
    next: Vec<u8>,
    generation: u64,
}

impl Life {
    pub fn new(width: u32, height: u32) -> Result<Self> {
        let len = checked_len(width, height)? / BYTES_PER_PIXEL;
        Ok(Self {
            width: width as usize,
            height: height as usize,
            cells: try_alloc(len, 0)?,
            next: try_alloc(len, 0)?,
            generation: 0,
        })
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn height(&self) -> usize {
        self.height
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn cells(&self) -> &[u8] {
        &self.cells
    }

    fn index(&self, x: i64, y: i64) -> Result<usize> {
        if x < 0 || y < 0 || x >= self.width as i64 || y >= self.height as i64 {
            return Err(ImageError::PointOutside { x, y, width: self.width as u32, height: self.height as u32 });
        }
        Ok(y as usize * self.width + x as usize)
    }

    pub fn is_alive(&self, x: i64, y: i64) -> Result<bool> {
        Ok(self.cells[self.index(x, y)?] == 1)
    }

    pub fn set(&mut self, x: i64, y: i64, alive: bool) -> Result<()> {
        let at = self.index(x, y)?;
        self.cells[at] = u8::from(alive);
        Ok(())
    }

    /// Flips one cell and returns its new state.
    pub fn toggle(&mut self, x: i64, y: i64) -> Result<bool> {
        let at = self.index(x, y)?;
        self.cells[at] ^= 1;
        Ok(self.cells[at] == 1)
    }

    pub fn clear(&mut self) {
        self.cells.fill(0);
        self.generation = 0;
    }

    /// Each cell alive with probability `density` (0 to 1), from a seeded
    /// generator.
    pub fn randomize(&mut self, seed: u64, density: f64) {
        let mut random = Random::new(seed);
        for cell in &mut self.cells {
            *cell = u8::from(random.next_f64() < density);
        }
        self.generation = 0;
    }

    /// Places a pattern in the plaintext format (`O` or `*` alive, `.` dead,
    /// lines starting with `!` are comments) with its top-left at (x, y),
    /// wrapping around the edges. Returns the number of live cells placed.
    pub fn place_pattern(&mut self, pattern: &str, x: i64, y: i64) -> Result<u64> {
        self.index(x, y)?;
        let mut placed = 0;
        let mut cells = Vec::new();
        for (row, line) in pattern.lines().filter(|line| !line.starts_with('!')).enumerate() {
            for (column, symbol) in line.trim_end().chars().enumerate() {
                match symbol {
                    'O' | 'o' | '*' => cells.push((column, row)),
                    '.' | ' ' => {}
                    other => {
                        return Err(ImageError::BadArgument {
                            name: "pattern",
                            message: format!(
                                "may hold only 'O' or '*' (alive) and '.' (dead), found '{other}' on line {}",
                                row + 1
                            ),
                        });
                    }
                }
            }
        }
        for (column, row) in cells {
            let cx = (x as usize + column) % self.width;
            let cy = (y as usize + row) % self.height;
            self.cells[cy * self.width + cx] = 1;
            placed += 1;
        }
        Ok(placed)
    }

    pub fn population(&self) -> u64 {
        self.cells.iter().map(|&c| u64::from(c)).sum()
    }

    /// Advances one generation (B3/S23).
    pub fn tick(&mut self) {
        let (w, h) = (self.width, self.height);
        for (y, out) in self.next.chunks_exact_mut(w).enumerate() {
            let row = |y: usize| &self.cells[y * w..(y + 1) * w];
            let up = row(if y == 0 { h - 1 } else { y - 1 });
            let down = row(if y + 1 == h { 0 } else { y + 1 });
            next_row(up, row(y), down, out);
        }
        std::mem::swap(&mut self.cells, &mut self.next);
        self.generation += 1;
    }

    /// Draws the cells into `image`, which must be the same size.
    pub fn render(&self, image: &mut RgbaBuffer, alive: Rgba, dead: Rgba) -> Result<()> {
        let size = (image.width(), image.height());
        if size != (self.width as u32, self.height as u32) {
            return Err(ImageError::SizeMismatch {
                what: "the image to render into",
                expected: (self.width as u32, self.height as u32),
                actual: size,
            });
        }
        for (pixel, &cell) in image.data_mut().chunks_exact_mut(BYTES_PER_PIXEL).zip(&self.cells) {
            pixel.copy_from_slice(if cell == 1 { &alive } else { &dead });
        }
        Ok(())
    }
}

/// One row of the next generation from the rows above, at and below it,
/// edges wrapping around.
fn next_row(up: &[u8], here: &[u8], down: &[u8], out: &mut [u8]) {
    let width = here.len();
    let rule = |neighbours: u8, cell: u8| u8::from(neighbours == 3) | (u8::from(neighbours == 2) & cell);
    if width >= 3 {
        // Between the edges every read is a slice of the same length, so
        // the compiler drops the bounds checks and works sixteen cells a
        // vector.
        let inner = width - 2;
        let (left, centre, right) = (0..inner, 1..inner + 1, 2..width);
        let (up_left, up_centre, up_right) = (&up[left.clone()], &up[centre.clone()], &up[right.clone()]);
        let (here_left, here_centre, here_right) = (&here[left.clone()], &here[centre.clone()], &here[right.clone()]);
        let (down_left, down_centre, down_right) = (&down[left], &down[centre.clone()], &down[right]);
        let out = &mut out[centre];
        for x in 0..inner {
            let neighbours = up_left[x]
                + up_centre[x]
                + up_right[x]
                + here_left[x]
                + here_right[x]
                + down_left[x]
                + down_centre[x]
                + down_right[x];
            out[x] = rule(neighbours, here_centre[x]);
        }
    }
    for x in [0, width - 1] {
        let left = if x == 0 { width - 1 } else { x - 1 };
        let right = if x + 1 == width { 0 } else { x + 1 };
        let neighbours = up[left] + up[x] + up[right] + here[left] + here[right] + down[left] + down[x] + down[right];
        out[x] = rule(neighbours, here[x]);
    }
}

/// An animated plasma: sums of sine waves, shaded through a palette.
#[derive(Debug, Clone)]
pub struct Plasma {
    palette: Vec<Rgba>,
    sine: Vec<f32>,
}

const SINE_STEPS: usize = 1024;

impl Default for Plasma {
    fn default() -> Self {
        Self::new()
    }
}

impl Plasma {
    pub fn new() -> Self {
        let tau = std::f32::consts::TAU;
        let palette = (0..256)
            .map(|i| {
                let t = i as f32 / 256.0 * tau;
                let channel = |phase: f32| (127.5 + 127.5 * (t + phase).sin()).round() as u8;
                [channel(0.0), channel(tau / 3.0), channel(2.0 * tau / 3.0), 255]
            })
            .collect();
        let sine = (0..SINE_STEPS).map(|i| (i as f32 / SINE_STEPS as f32 * tau).sin()).collect();
        Self { palette, sine }
    }

    fn sin(&self, turns: f32) -> f32 {
        let index = (turns.rem_euclid(1.0) * SINE_STEPS as f32) as usize;
        self.sine[index.min(SINE_STEPS - 1)]
    }

    /// Renders the frame at `time` seconds (finite) into `image`.
    pub fn render(&self, image: &mut RgbaBuffer, time: f64) {
        // Only the fractional part of slow phases matters; keeping it small
        // keeps f32 precise after hours of animation.
        let t = (time % 3600.0) as f32;
        let (width, height) = (image.width() as usize, image.height() as usize);
        let scale = 1.0 / width.max(height) as f32;
        let (tx, ty) = (self.sin(t * 0.05) * 0.5, self.sin(t * 0.037 + 0.25) * 0.5);
        let column_waves: Vec<f32> = (0..width).map(|x| self.sin(x as f32 * scale * 1.5 + t * 0.1)).collect();
        let stride = width * BYTES_PER_PIXEL;
        let data = image.data_mut();
        for y in 0..height {
            let v = y as f32 * scale;
            let row_wave = self.sin(v * 1.2 - t * 0.07);
            let row = &mut data[y * stride..(y + 1) * stride];
            for (x, pixel) in row.chunks_exact_mut(BYTES_PER_PIXEL).enumerate() {
                let u = x as f32 * scale;
                let (dx, dy) = (u - 0.5 - tx, v - 0.5 - ty);
                let radial = self.sin((dx * dx + dy * dy).sqrt() * 2.5 - t * 0.13);
                let diagonal = self.sin((u + v) * 0.9 + t * 0.05);
                let value = (column_waves[x] + row_wave + radial + diagonal) * 0.125 + 0.5;
                let shade = (value * 255.0 + t * 40.0) as i64;
                pixel.copy_from_slice(&self.palette[shade.rem_euclid(256) as usize]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn life_from(rows: &[&str]) -> Life {
        let mut life = Life::new(rows[0].len() as u32, rows.len() as u32).unwrap();
        life.place_pattern(&rows.join("\n"), 0, 0).unwrap();
        life
    }

    fn picture(life: &Life) -> Vec<String> {
        life.cells.chunks(life.width).map(|row| row.iter().map(|&c| if c == 1 { 'O' } else { '.' }).collect()).collect()
    }

    #[test]
    fn blinker_oscillates() {
        let mut life = life_from(&[".....", "..O..", "..O..", "..O..", "....."]);
        life.tick();
        assert_eq!(picture(&life), [".....", ".....", ".OOO.", ".....", "....."]);
        life.tick();
        assert_eq!(picture(&life), [".....", "..O..", "..O..", "..O..", "....."]);
        assert_eq!(life.generation(), 2);
    }

    #[test]
    fn block_is_still_across_the_wrapped_corner() {
        let mut life = life_from(&["O..O", "....", "....", "O..O"]);
        life.tick();
        assert_eq!(picture(&life), ["O..O", "....", "....", "O..O"]);
    }

    #[test]
    fn glider_comes_back_after_wrapping_the_torus() {
        let mut life = Life::new(8, 8).unwrap();
        life.place_pattern(".O.\n..O\nOOO", 0, 0).unwrap();
        let start = picture(&life);
        for _ in 0..32 {
            life.tick();
        }
        assert_eq!(picture(&life), start);
        assert_eq!(life.population(), 5);
    }

    #[test]
    fn one_cell_world_dies() {
        let mut life = Life::new(1, 1).unwrap();
        life.set(0, 0, true).unwrap();
        life.tick();
        assert_eq!(life.population(), 0);
    }

    #[test]
    fn toggle_set_and_bounds() {
        let mut life = Life::new(3, 3).unwrap();
        assert_eq!(life.toggle(1, 1), Ok(true));
        assert_eq!(life.toggle(1, 1), Ok(false));
        assert!(life.toggle(3, 0).is_err());
        assert!(life.set(-1, 0, true).is_err());
    }

    #[test]
    fn patterns_are_validated() {
        let mut life = Life::new(4, 4).unwrap();
        let err = life.place_pattern("!comment\nO.x", 0, 0).unwrap_err();
        assert_eq!(err.to_string(), "pattern may hold only 'O' or '*' (alive) and '.' (dead), found 'x' on line 1");
        assert!(life.place_pattern("O", 4, 0).is_err());
    }

    #[test]
    fn randomize_is_repeatable_and_respects_density() {
        let mut a = Life::new(100, 100).unwrap();
        let mut b = Life::new(100, 100).unwrap();
        a.randomize(7, 0.3);
        b.randomize(7, 0.3);
        assert_eq!(a.cells, b.cells);
        assert!((2700..3300).contains(&a.population()), "{}", a.population());
        a.randomize(7, 0.0);
        assert_eq!(a.population(), 0);
    }

    #[test]
    fn neighbouring_seeds_give_different_worlds() {
        // The Random button adds one to the seed: every click must change
        // the world (seeds 2k and 2k + 1 once started from the same state).
        let worlds: Vec<Vec<u8>> = (0..8)
            .map(|seed| {
                let mut life = Life::new(40, 30).unwrap();
                life.randomize(seed, 0.25);
                life.cells.clone()
            })
            .collect();
        for (i, world) in worlds.iter().enumerate() {
            assert!(worlds[i + 1..].iter().all(|other| other != world), "seed {i} repeats");
        }
    }

    #[test]
    fn render_paints_cells_and_checks_the_size() {
        let mut life = Life::new(2, 1).unwrap();
        life.set(1, 0, true).unwrap();
        let mut image = RgbaBuffer::new(2, 1).unwrap();
        life.render(&mut image, [255; 4], [0, 0, 0, 255]).unwrap();
        assert_eq!(image.data(), &[0, 0, 0, 255, 255, 255, 255, 255]);
        let mut wrong = RgbaBuffer::new(1, 1).unwrap();
        assert_eq!(
            life.render(&mut wrong, [255; 4], [0; 4]).unwrap_err().to_string(),
            "the image to render into must be 2x1, got 1x1"
        );
    }

    #[test]
    fn plasma_is_opaque_and_changes_with_time() {
        let plasma = Plasma::new();
        let mut first = RgbaBuffer::new(16, 9).unwrap();
        let mut second = RgbaBuffer::new(16, 9).unwrap();
        plasma.render(&mut first, 0.0);
        plasma.render(&mut second, 0.5);
        assert!(first.data().chunks_exact(4).all(|p| p[3] == 255));
        assert_ne!(first.data(), second.data());
        let distinct: std::collections::HashSet<_> = first.data().chunks_exact(4).collect();
        assert!(distinct.len() > 10);
    }
}
