//! JPEG 2000's tier-1 coding (ITU-T T.800 Annexes C and D): the MQ
//! arithmetic coder and the three coding passes a bit-plane of a code-block
//! goes through, in the default code-block style (no bypass, no
//! termination per pass, no vertical causality).

/// Qe, next index after an MPS, after an LPS, and whether an LPS swaps the
/// MPS (Table C.2).
const QE: [(u32, u8, u8, bool); 47] = [
    (0x5601, 1, 1, true),
    (0x3401, 2, 6, false),
    (0x1801, 3, 9, false),
    (0x0AC1, 4, 12, false),
    (0x0521, 5, 29, false),
    (0x0221, 38, 33, false),
    (0x5601, 7, 6, true),
    (0x5401, 8, 14, false),
    (0x4801, 9, 14, false),
    (0x3801, 10, 14, false),
    (0x3001, 11, 17, false),
    (0x2401, 12, 18, false),
    (0x1C01, 13, 20, false),
    (0x1601, 29, 21, false),
    (0x5601, 15, 14, true),
    (0x5401, 16, 14, false),
    (0x5101, 17, 15, false),
    (0x4801, 18, 16, false),
    (0x3801, 19, 17, false),
    (0x3401, 20, 18, false),
    (0x3001, 21, 19, false),
    (0x2801, 22, 19, false),
    (0x2401, 23, 20, false),
    (0x2201, 24, 21, false),
    (0x1C01, 25, 22, false),
    (0x1801, 26, 23, false),
    (0x1601, 27, 24, false),
    (0x1401, 28, 25, false),
    (0x1201, 29, 26, false),
    (0x1101, 30, 27, false),
    (0x0AC1, 31, 28, false),
    (0x09C1, 32, 29, false),
    (0x08A1, 33, 30, false),
    (0x0521, 34, 31, false),
    (0x0441, 35, 32, false),
    (0x02A1, 36, 33, false),
    (0x0221, 37, 34, false),
    (0x0141, 38, 35, false),
    (0x0111, 39, 36, false),
    (0x0085, 40, 37, false),
    (0x0049, 41, 38, false),
    (0x0025, 42, 39, false),
    (0x0015, 43, 40, false),
    (0x0009, 44, 41, false),
    (0x0005, 45, 42, false),
    (0x0001, 45, 43, false),
    (0x5601, 46, 46, false),
];

/// The 19 contexts: 0-8 significance, 9-13 sign, 14-16 refinement.
const RUN_LENGTH: usize = 17;
const UNIFORM: usize = 18;

/// The MQ encoder of Annex C (its software conventions: C.2).
struct MqEncoder {
    a: u32,
    c: u32,
    ct: u32,
    /// The bytes out, after a first byte that stands for the one before
    /// the stream (Annex C's BP starts one byte early).
    out: Vec<u8>,
    states: [(u8, u8); 19],
}

impl MqEncoder {
    fn new() -> Self {
        let mut states = [(0, 0); 19];
        states[0] = (4, 0);
        states[RUN_LENGTH] = (3, 0);
        states[UNIFORM] = (46, 0);
        Self { a: 0x8000, c: 0, ct: 12, out: vec![0], states }
    }

    fn encode(&mut self, bit: u8, context: usize) {
        let (index, mps) = self.states[context];
        let (qe, next_mps, next_lps, switch) = QE[usize::from(index)];
        self.a -= qe;
        if bit == mps {
            if self.a & 0x8000 != 0 {
                self.c += qe;
                return;
            }
            if self.a < qe {
                self.a = qe;
            } else {
                self.c += qe;
            }
            self.states[context].0 = next_mps;
        } else {
            if self.a < qe {
                self.c += qe;
            } else {
                self.a = qe;
            }
            self.states[context] = (next_lps, if switch { 1 - mps } else { mps });
        }
        while self.a & 0x8000 == 0 {
            self.a <<= 1;
            self.c <<= 1;
            self.ct -= 1;
            if self.ct == 0 {
                self.byte_out();
            }
        }
    }

    fn byte_out(&mut self) {
        let last = self.out.len() - 1;
        if self.out[last] == 0xFF {
            self.emit(20);
        } else if self.c < 0x800_0000 {
            self.emit(19);
        } else {
            self.out[last] += 1;
            if self.out[last] == 0xFF {
                self.c &= 0x7FF_FFFF;
                self.emit(20);
            } else {
                self.emit(19);
            }
        }
    }

    /// A new byte of C's bits from `shift` up; after a 0xFF only 7 bits go.
    fn emit(&mut self, shift: u32) {
        self.out.push((self.c >> shift) as u8);
        self.c &= (1 << shift) - 1;
        self.ct = 27 - shift;
    }

    /// FLUSH (C.2.9), the last 0xFF dropped: the whole codeword segment.
    fn finish(mut self) -> Vec<u8> {
        let temp = self.c + self.a;
        self.c |= 0xFFFF;
        if self.c >= temp {
            self.c -= 0x8000;
        }
        self.c <<= self.ct;
        self.byte_out();
        self.c <<= self.ct;
        self.byte_out();
        if self.out.last() == Some(&0xFF) {
            self.out.pop();
        }
        self.out.remove(0);
        self.out
    }
}

/// Which subband a code-block is of: its significance contexts differ.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Band {
    Ll,
    Hl,
    Lh,
    Hh,
}

/// A code-block coded: its bytes, the coding passes they hold and the
/// bit-planes above its highest one (all of them for a block of zeros).
pub struct Coded {
    pub data: Vec<u8>,
    pub passes: u32,
    pub bit_planes: u32,
}

const SIGNIFICANT: u8 = 1;
const VISITED: u8 = 2;
const REFINED: u8 = 4;
const NEGATIVE: u8 = 8;

/// The states of a block's coefficients with a border of one all round,
/// so that neighbours outside the block read as insignificant.
struct Flags {
    stride: usize,
    cells: Vec<u8>,
}

impl Flags {
    fn at(&self, x: usize, y: usize) -> u8 {
        self.cells[(y + 1) * self.stride + x + 1]
    }

    fn set(&mut self, x: usize, y: usize, flag: u8) {
        self.cells[(y + 1) * self.stride + x + 1] |= flag;
    }

    fn clear(&mut self, x: usize, y: usize, flag: u8) {
        self.cells[(y + 1) * self.stride + x + 1] &= !flag;
    }

    /// Significant neighbours: horizontal, vertical and diagonal counts.
    fn neighbours(&self, x: usize, y: usize) -> (u32, u32, u32) {
        let at = (y + 1) * self.stride + x + 1;
        let s = |index: usize| u32::from(self.cells[index] & SIGNIFICANT);
        let (up, down) = (at - self.stride, at + self.stride);
        let h = s(at - 1) + s(at + 1);
        let v = s(up) + s(down);
        let d = s(up - 1) + s(up + 1) + s(down - 1) + s(down + 1);
        (h, v, d)
    }

    /// The sign context and the bit it is XORed with (Table D.3).
    fn sign_context(&self, x: usize, y: usize) -> (usize, u8) {
        let at = (y + 1) * self.stride + x + 1;
        let contribution = |index: usize| {
            let cell = self.cells[index];
            if cell & SIGNIFICANT == 0 {
                0
            } else if cell & NEGATIVE != 0 {
                -1
            } else {
                1
            }
        };
        let h = (contribution(at - 1) + contribution(at + 1)).clamp(-1, 1);
        let v = (contribution(at - self.stride) + contribution(at + self.stride)).clamp(-1, 1);
        match (h, v) {
            (1, 1) => (13, 0),
            (1, 0) => (12, 0),
            (1, -1) => (11, 0),
            (0, 1) => (10, 0),
            (0, 0) => (9, 0),
            (0, -1) => (10, 1),
            (-1, 1) => (11, 1),
            (-1, 0) => (12, 1),
            _ => (13, 1),
        }
    }
}

/// The significance context of a coefficient (Table D.1).
fn zero_context(band: Band, (h, v, d): (u32, u32, u32)) -> usize {
    let (h, v) = if band == Band::Hl { (v, h) } else { (h, v) };
    match band {
        Band::Hh => match (d, h + v) {
            (3.., _) => 8,
            (2, 1..) => 7,
            (2, 0) => 6,
            (1, 2..) => 5,
            (1, 1) => 4,
            (1, 0) => 3,
            (_, 2..) => 2,
            (_, 1) => 1,
            _ => 0,
        },
        _ => match (h, v, d) {
            (2, _, _) => 8,
            (1, 1.., _) => 7,
            (1, 0, 1..) => 6,
            (1, 0, 0) => 5,
            (_, 2, _) => 4,
            (_, 1, _) => 3,
            (_, _, 2..) => 2,
            (_, _, 1) => 1,
            _ => 0,
        },
    }
}

/// Codes a `width` x `height` block of coefficients (row after row) of
/// `band` in one codeword segment holding every pass of every bit-plane.
pub fn code_block(coefficients: &[i32], width: usize, height: usize, band: Band) -> Coded {
    let magnitude = |index: usize| coefficients[index].unsigned_abs();
    let top = coefficients.iter().map(|value| value.unsigned_abs()).max().unwrap_or(0);
    let planes = 32 - top.leading_zeros();
    if planes == 0 {
        return Coded { data: Vec::new(), passes: 0, bit_planes: 0 };
    }
    let mut flags = Flags { stride: width + 2, cells: vec![0; (width + 2) * (height + 2)] };
    let mut mq = MqEncoder::new();
    let coefficient_bit = |index: usize, plane: u32| ((magnitude(index) >> plane) & 1) as u8;
    let code_sign = |mq: &mut MqEncoder, flags: &mut Flags, x: usize, y: usize| {
        let (context, xor) = flags.sign_context(x, y);
        let negative = coefficients[y * width + x] < 0;
        mq.encode(u8::from(negative) ^ xor, context);
        flags.set(x, y, SIGNIFICANT | if negative { NEGATIVE } else { 0 });
    };
    for plane in (0..planes).rev() {
        if plane + 1 < planes {
            // Significance propagation: insignificant coefficients next to a significant one.
            for_each_in_stripes(width, height, |x, y| {
                let cell = flags.at(x, y);
                let around = flags.neighbours(x, y);
                if cell & SIGNIFICANT == 0 && around != (0, 0, 0) {
                    let bit = coefficient_bit(y * width + x, plane);
                    mq.encode(bit, zero_context(band, around));
                    if bit == 1 {
                        code_sign(&mut mq, &mut flags, x, y);
                    }
                    flags.set(x, y, VISITED);
                }
            });
            // Magnitude refinement of those significant in the planes above.
            for_each_in_stripes(width, height, |x, y| {
                let cell = flags.at(x, y);
                if cell & SIGNIFICANT != 0 && cell & VISITED == 0 {
                    let context = if cell & REFINED != 0 {
                        16
                    } else if flags.neighbours(x, y) == (0, 0, 0) {
                        14
                    } else {
                        15
                    };
                    mq.encode(coefficient_bit(y * width + x, plane), context);
                    flags.set(x, y, REFINED);
                }
            });
        }
        cleanup(&mut mq, &mut flags, width, height, band, |index| coefficient_bit(index, plane), &code_sign);
    }
    let passes = 1 + 3 * (planes - 1);
    Coded { data: mq.finish(), passes, bit_planes: planes }
}

/// The cleanup pass: every coefficient the other passes left, whole
/// stripe columns of insignificant ones with no significant neighbour
/// coded as one run-length decision.
fn cleanup(
    mq: &mut MqEncoder,
    flags: &mut Flags,
    width: usize,
    height: usize,
    band: Band,
    bit: impl Fn(usize) -> u8,
    code_sign: &impl Fn(&mut MqEncoder, &mut Flags, usize, usize),
) {
    for stripe in (0..height).step_by(4) {
        let rows = (height - stripe).min(4);
        for x in 0..width {
            let mut first = 0;
            if rows == 4 && (stripe..stripe + 4).all(|y| flags.at(x, y) == 0 && flags.neighbours(x, y) == (0, 0, 0)) {
                match (0..4).find(|&row| bit((stripe + row) * width + x) == 1) {
                    None => {
                        mq.encode(0, RUN_LENGTH);
                        continue;
                    }
                    Some(row) => {
                        mq.encode(1, RUN_LENGTH);
                        mq.encode((row >> 1) as u8, UNIFORM);
                        mq.encode((row & 1) as u8, UNIFORM);
                        code_sign(mq, flags, x, stripe + row);
                        first = row + 1;
                    }
                }
            }
            for y in stripe + first..stripe + rows {
                if flags.at(x, y) & (SIGNIFICANT | VISITED) == 0 {
                    let value = bit(y * width + x);
                    mq.encode(value, zero_context(band, flags.neighbours(x, y)));
                    if value == 1 {
                        code_sign(mq, flags, x, y);
                    }
                }
                flags.clear(x, y, VISITED);
            }
            for y in stripe..stripe + first {
                flags.clear(x, y, VISITED);
            }
        }
    }
}

/// Stripes of four rows, column by column within each, top down.
fn for_each_in_stripes(width: usize, height: usize, mut visit: impl FnMut(usize, usize)) {
    for stripe in (0..height).step_by(4) {
        for x in 0..width {
            for y in stripe..(stripe + 4).min(height) {
                visit(x, y);
            }
        }
    }
}
