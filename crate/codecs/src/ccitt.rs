//! CCITT fax coding of bilevel rows, as TIFF stores it: modified Huffman
//! (TIFF compression 2, each row byte-aligned), T.4 Group 3 (compression
//! 3: an EOL before each row; with T4Options bit 0 a tag bit after it says
//! whether the row is coded alone or against the row above) and T.6
//! Group 4 (compression 4: every row against the row above). Rows are
//! packed 1 bit a pixel, most significant first, 1 for the code's black
//! (a TIFF's photometric interpretation says what black means).
//!
//! Coded data is untrusted: a code no table holds is an error, a run past
//! the row's end stops at the end, and data that ends early leaves the
//! remaining rows white (as libtiff, which warns and keeps what it read).
//! The work is bounded by the data: every code takes at least one bit.

/// How a strip's rows are coded.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Coding {
    /// TIFF compression 2: each row 1D, starting on a byte, no EOLs.
    ModifiedHuffman,
    /// TIFF compression 3: EOL-led rows; `two_d` is T4Options bit 0.
    Group3 { two_d: bool },
    /// TIFF compression 4.
    Group4,
}

/// A run's code in T.4's tables: its bits, their count, the run.
type Code = (u16, u8, u16);

#[rustfmt::skip]
const WHITE: &[Code] = &[
    (0x35, 8, 0), (0x07, 6, 1), (0x07, 4, 2), (0x08, 4, 3), (0x0B, 4, 4), (0x0C, 4, 5), (0x0E, 4, 6), (0x0F, 4, 7),
    (0x13, 5, 8), (0x14, 5, 9), (0x07, 5, 10), (0x08, 5, 11), (0x08, 6, 12), (0x03, 6, 13), (0x34, 6, 14),
    (0x35, 6, 15), (0x2A, 6, 16), (0x2B, 6, 17), (0x27, 7, 18), (0x0C, 7, 19), (0x08, 7, 20), (0x17, 7, 21),
    (0x03, 7, 22), (0x04, 7, 23), (0x28, 7, 24), (0x2B, 7, 25), (0x13, 7, 26), (0x24, 7, 27), (0x18, 7, 28),
    (0x02, 8, 29), (0x03, 8, 30), (0x1A, 8, 31), (0x1B, 8, 32), (0x12, 8, 33), (0x13, 8, 34), (0x14, 8, 35),
    (0x15, 8, 36), (0x16, 8, 37), (0x17, 8, 38), (0x28, 8, 39), (0x29, 8, 40), (0x2A, 8, 41), (0x2B, 8, 42),
    (0x2C, 8, 43), (0x2D, 8, 44), (0x04, 8, 45), (0x05, 8, 46), (0x0A, 8, 47), (0x0B, 8, 48), (0x52, 8, 49),
    (0x53, 8, 50), (0x54, 8, 51), (0x55, 8, 52), (0x24, 8, 53), (0x25, 8, 54), (0x58, 8, 55), (0x59, 8, 56),
    (0x5A, 8, 57), (0x5B, 8, 58), (0x4A, 8, 59), (0x4B, 8, 60), (0x32, 8, 61), (0x33, 8, 62), (0x34, 8, 63),
    (0x1B, 5, 64), (0x12, 5, 128), (0x17, 6, 192), (0x37, 7, 256), (0x36, 8, 320), (0x37, 8, 384), (0x64, 8, 448),
    (0x65, 8, 512), (0x68, 8, 576), (0x67, 8, 640), (0xCC, 9, 704), (0xCD, 9, 768), (0xD2, 9, 832), (0xD3, 9, 896),
    (0xD4, 9, 960), (0xD5, 9, 1024), (0xD6, 9, 1088), (0xD7, 9, 1152), (0xD8, 9, 1216), (0xD9, 9, 1280),
    (0xDA, 9, 1344), (0xDB, 9, 1408), (0x98, 9, 1472), (0x99, 9, 1536), (0x9A, 9, 1600), (0x18, 6, 1664),
    (0x9B, 9, 1728),
];

#[rustfmt::skip]
const BLACK: &[Code] = &[
    (0x37, 10, 0), (0x02, 3, 1), (0x03, 2, 2), (0x02, 2, 3), (0x03, 3, 4), (0x03, 4, 5), (0x02, 4, 6), (0x03, 5, 7),
    (0x05, 6, 8), (0x04, 6, 9), (0x04, 7, 10), (0x05, 7, 11), (0x07, 7, 12), (0x04, 8, 13), (0x07, 8, 14),
    (0x18, 9, 15), (0x17, 10, 16), (0x18, 10, 17), (0x08, 10, 18), (0x67, 11, 19), (0x68, 11, 20), (0x6C, 11, 21),
    (0x37, 11, 22), (0x28, 11, 23), (0x17, 11, 24), (0x18, 11, 25), (0xCA, 12, 26), (0xCB, 12, 27), (0xCC, 12, 28),
    (0xCD, 12, 29), (0x68, 12, 30), (0x69, 12, 31), (0x6A, 12, 32), (0x6B, 12, 33), (0xD2, 12, 34), (0xD3, 12, 35),
    (0xD4, 12, 36), (0xD5, 12, 37), (0xD6, 12, 38), (0xD7, 12, 39), (0x6C, 12, 40), (0x6D, 12, 41), (0xDA, 12, 42),
    (0xDB, 12, 43), (0x54, 12, 44), (0x55, 12, 45), (0x56, 12, 46), (0x57, 12, 47), (0x64, 12, 48), (0x65, 12, 49),
    (0x52, 12, 50), (0x53, 12, 51), (0x24, 12, 52), (0x37, 12, 53), (0x38, 12, 54), (0x27, 12, 55), (0x28, 12, 56),
    (0x58, 12, 57), (0x59, 12, 58), (0x2B, 12, 59), (0x2C, 12, 60), (0x5A, 12, 61), (0x66, 12, 62), (0x67, 12, 63),
    (0x0F, 10, 64), (0xC8, 12, 128), (0xC9, 12, 192), (0x5B, 12, 256), (0x33, 12, 320), (0x34, 12, 384),
    (0x35, 12, 448), (0x6C, 13, 512), (0x6D, 13, 576), (0x4A, 13, 640), (0x4B, 13, 704), (0x4C, 13, 768),
    (0x4D, 13, 832), (0x72, 13, 896), (0x73, 13, 960), (0x74, 13, 1024), (0x75, 13, 1088), (0x76, 13, 1152),
    (0x77, 13, 1216), (0x52, 13, 1280), (0x53, 13, 1344), (0x54, 13, 1408), (0x55, 13, 1472), (0x5A, 13, 1536),
    (0x5B, 13, 1600), (0x64, 13, 1664), (0x65, 13, 1728),
];

/// Make-up codes of both colours, for runs of 1792 to 2560 and more.
#[rustfmt::skip]
const EXTENDED: &[Code] = &[
    (0x08, 11, 1792), (0x0C, 11, 1856), (0x0D, 11, 1920), (0x12, 12, 1984), (0x13, 12, 2048), (0x14, 12, 2112),
    (0x15, 12, 2176), (0x16, 12, 2240), (0x17, 12, 2304), (0x1C, 12, 2368), (0x1D, 12, 2432), (0x1E, 12, 2496),
    (0x1F, 12, 2560),
];

/// EOL: eleven zeros and a one.
const EOL: (u16, u8) = (1, 12);
/// The run an EOL stands for in the lookup tables.
const EOL_RUN: u16 = u16::MAX;
const LOOKUP_BITS: u32 = 13;

/// Every 13-bit prefix of a colour's codes to (the code's length, its run);
/// length 0 for bits no code starts.
fn lookup(codes: &[Code]) -> Vec<(u8, u16)> {
    let mut table = vec![(0u8, 0u16); 1 << LOOKUP_BITS];
    for &(bits, length, run) in codes.iter().chain(EXTENDED).chain(&[(EOL.0, EOL.1, EOL_RUN)]) {
        let spare = LOOKUP_BITS - u32::from(length);
        let first = usize::from(bits) << spare;
        table[first..first + (1 << spare)].fill((length, run));
    }
    table
}

struct Bits<'a> {
    data: &'a [u8],
    at: usize,
}

impl Bits<'_> {
    /// The next `count` bits (at most 16), zeros past the end.
    fn peek(&self, count: u32) -> u32 {
        let mut value = 0u32;
        let byte = self.at / 8;
        for index in 0..3 {
            value = (value << 8) | u32::from(self.data.get(byte + index).copied().unwrap_or(0));
        }
        (value << (self.at % 8) >> (24 - count)) & ((1 << count) - 1)
    }

    fn skip(&mut self, count: u32) {
        self.at += count as usize;
    }

    fn ended(&self) -> bool {
        self.at >= self.data.len() * 8
    }

    fn align(&mut self) {
        self.at = self.at.div_ceil(8) * 8;
    }

    /// Past the next EOL, skipping what comes before it (fill bits, or
    /// damage), as libtiff resynchronises; false when the data ends first.
    fn find_eol(&mut self) -> bool {
        loop {
            if self.ended() {
                return false;
            }
            if self.peek(11) == 0 {
                break;
            }
            self.skip(1);
        }
        while self.peek(1) == 0 {
            if self.ended() {
                return false;
            }
            self.skip(1);
        }
        self.skip(1);
        true
    }
}

/// What a 2D row's next code says.
enum Mode {
    Pass,
    Horizontal,
    Vertical(isize),
    Eol,
}

fn read_mode(bits: &mut Bits) -> Result<Mode, &'static str> {
    let peek = bits.peek(7);
    let (length, mode) = match peek {
        0b100_0000..=0b111_1111 => (1, Mode::Vertical(0)),
        0b011_0000..=0b011_1111 => (3, Mode::Vertical(1)),
        0b010_0000..=0b010_1111 => (3, Mode::Vertical(-1)),
        0b001_0000..=0b001_1111 => (3, Mode::Horizontal),
        0b000_1000..=0b000_1111 => (4, Mode::Pass),
        0b000_0110 | 0b000_0111 => (6, Mode::Vertical(2)),
        0b000_0100 | 0b000_0101 => (6, Mode::Vertical(-2)),
        0b000_0011 => (7, Mode::Vertical(3)),
        0b000_0010 => (7, Mode::Vertical(-3)),
        0b000_0001 => return Err("its fax data uses an extension (uncompressed mode), which is not supported"),
        _ if bits.peek(12) == 1 => (12, Mode::Eol),
        _ => return Err("its fax data holds a code no table has"),
    };
    bits.skip(length);
    Ok(mode)
}

/// One run of a colour: make-up codes then a terminating code; None at an
/// EOL (the row ends early).
fn read_run(bits: &mut Bits, table: &[(u8, u16)]) -> Result<Option<usize>, &'static str> {
    let mut total = 0usize;
    loop {
        let (length, run) = table[bits.peek(LOOKUP_BITS) as usize];
        if length == 0 {
            return Err("its fax data holds a code no table has");
        }
        bits.skip(u32::from(length));
        if run == EOL_RUN {
            return Ok(None);
        }
        total += usize::from(run);
        if run < 64 {
            return Ok(Some(total));
        }
    }
}

struct Tables {
    white: Vec<(u8, u16)>,
    black: Vec<(u8, u16)>,
}

impl Tables {
    /// Built once: a file of many small strips decodes each with them.
    fn get() -> &'static Self {
        static TABLES: std::sync::OnceLock<Tables> = std::sync::OnceLock::new();
        TABLES.get_or_init(|| Self { white: lookup(WHITE), black: lookup(BLACK) })
    }

    fn of(&self, black: bool) -> &[(u8, u16)] {
        if black { &self.black } else { &self.white }
    }
}

/// A row coded alone: alternate runs from white. Its changing elements
/// (where the colour changes) go to `changes`; false at an early EOL.
fn row_1d(bits: &mut Bits, tables: &Tables, width: usize, changes: &mut Vec<usize>) -> Result<bool, &'static str> {
    changes.clear();
    let (mut at, mut black) = (0usize, false);
    while at < width {
        if bits.ended() {
            return Ok(false);
        }
        let Some(run) = read_run(bits, tables.of(black))? else { return Ok(false) };
        at = (at + run).min(width);
        changes.push(at);
        black = !black;
    }
    Ok(true)
}

/// A row coded against `reference` (its changing elements, ending with
/// the width at least twice): the changes go to `changes`; false at an
/// early EOL or the data's end.
fn row_2d(
    bits: &mut Bits,
    tables: &Tables,
    width: usize,
    reference: &[usize],
    changes: &mut Vec<usize>,
) -> Result<bool, &'static str> {
    changes.clear();
    // a0 starts before the row (None); `next` is the first reference change past it.
    let (mut a0, mut black, mut next) = (None::<usize>, false, 0usize);
    while a0.is_none_or(|a0| a0 < width) {
        if bits.ended() {
            return Ok(false);
        }
        while a0.is_some_and(|a0| reference[next] <= a0) {
            next += 1;
        }
        // b1 is the first change past a0 to the colour opposite a0's:
        // changes at even places turn to black, odd ones to white.
        let b1_at = if (next % 2 == 1) == black { next } else { next + 1 };
        let (b1, b2) = (reference[b1_at], reference[b1_at + 1]);
        let start = a0.unwrap_or(0);
        match read_mode(bits)? {
            Mode::Pass => a0 = Some(b2),
            Mode::Horizontal => {
                let Some(first) = read_run(bits, tables.of(black))? else { return Ok(false) };
                let Some(second) = read_run(bits, tables.of(!black))? else { return Ok(false) };
                let a1 = (start + first).min(width);
                let a2 = (a1 + second).min(width);
                changes.extend([a1, a2]);
                a0 = Some(a2);
            }
            Mode::Vertical(delta) => {
                let a1 = b1.checked_add_signed(delta).filter(|&a1| a1 >= start && a1 <= width);
                let a1 = a1.ok_or("its fax data puts a change outside the row")?;
                changes.push(a1);
                a0 = Some(a1);
                black = !black;
            }
            Mode::Eol => return Ok(false),
        }
    }
    Ok(true)
}

/// Sets the bits of the black spans of a row from its changing elements.
fn fill_row(row: &mut [u8], changes: &[usize], width: usize) {
    for span in changes.chunks(2) {
        let (from, to) = (span[0].min(width), span.get(1).copied().unwrap_or(width).min(width));
        for x in from..to {
            row[x / 8] |= 0x80 >> (x % 8);
        }
    }
}

/// Decodes `rows` rows of `width` pixels (packed, each row whole bytes).
pub fn decode(data: &[u8], width: usize, rows: usize, coding: Coding) -> Result<Vec<u8>, &'static str> {
    let row_bytes = width.div_ceil(8);
    let mut out = vec![0u8; row_bytes * rows];
    if width == 0 {
        return Ok(out);
    }
    let tables = Tables::get();
    let mut bits = Bits { data, at: 0 };
    // The row above: all white before the first.
    let mut reference = vec![width; 3];
    let mut changes = Vec::new();
    // Whether the last row ended at an EOL, which then leads the next.
    let mut at_eol = false;
    for row in out.chunks_exact_mut(row_bytes) {
        let decoded = match coding {
            Coding::ModifiedHuffman => {
                let whole = row_1d(&mut bits, tables, width, &mut changes);
                bits.align();
                whole
            }
            Coding::Group3 { two_d } => {
                if !at_eol && !bits.find_eol() {
                    break;
                }
                let alone = !two_d || {
                    let tag = bits.peek(1) == 1;
                    bits.skip(1);
                    tag
                };
                if alone {
                    row_1d(&mut bits, tables, width, &mut changes)
                } else {
                    row_2d(&mut bits, tables, width, &reference, &mut changes)
                }
            }
            Coding::Group4 => row_2d(&mut bits, tables, width, &reference, &mut changes),
        };
        // A code cut by the data's end is the end of the data, not damage.
        let whole = match decoded {
            Err(_) if bits.at + LOOKUP_BITS as usize > data.len() * 8 => false,
            other => other?,
        };
        fill_row(row, &changes, width);
        if bits.ended() && !whole {
            break;
        }
        at_eol = !whole;
        if coding == Coding::Group4 && !whole {
            // An EOL in Group 4 data is its end (EOFB).
            break;
        }
        reference.clear();
        reference.extend(changes.iter().map(|&change| change.min(width)));
        reference.extend([width; 3]);
    }
    Ok(out)
}

/// Writes codes most significant bit first.
struct Writer {
    out: Vec<u8>,
    held: u32,
    count: u32,
}

impl Writer {
    fn put(&mut self, bits: u16, length: u8) {
        for shift in (0..length).rev() {
            self.held = (self.held << 1) | u32::from(bits >> shift & 1);
            self.count += 1;
            if self.count == 8 {
                self.out.push(self.held as u8);
                (self.held, self.count) = (0, 0);
            }
        }
    }

    fn align(&mut self) {
        if self.count > 0 {
            self.put(0, (8 - self.count) as u8);
        }
    }

    fn run(&mut self, mut run: usize, black: bool) {
        let codes = if black { BLACK } else { WHITE };
        let code = |run: usize| codes.iter().chain(EXTENDED).find(|code| usize::from(code.2) == run).copied();
        while run >= 2560 {
            self.put(0x1F, 12);
            run -= 2560;
        }
        if run >= 64 {
            let (bits, length, _) = code(run / 64 * 64).unwrap_or((0x1F, 12, 2560));
            self.put(bits, length);
            run %= 64;
        }
        let (bits, length, _) = code(run).unwrap_or((0, 1, 0));
        self.put(bits, length);
    }
}

/// The changing elements of a packed row (1 is black).
fn row_changes(row: &[u8], width: usize, changes: &mut Vec<usize>) {
    changes.clear();
    let mut black = false;
    for x in 0..width {
        if (row[x / 8] >> (7 - x % 8) & 1 == 1) != black {
            changes.push(x);
            black = !black;
        }
    }
}

/// Codes `rows` packed rows of `width` pixels (1 is black): Group 4, or
/// Group 3 in 1D with an EOL before each row and fill bits that end each
/// EOL on a byte, as libtiff writes with its default T4Options; Group 4
/// ends with EOFB.
pub fn encode(pixels: &[u8], width: usize, rows: usize, coding: Coding) -> Vec<u8> {
    let row_bytes = width.div_ceil(8);
    let mut writer = Writer { out: Vec::new(), held: 0, count: 0 };
    let mut reference = vec![width; 3];
    let mut changes = Vec::new();
    for row in pixels.chunks_exact(row_bytes).take(rows) {
        row_changes(row, width, &mut changes);
        changes.extend([width; 3]);
        match coding {
            Coding::Group4 | Coding::Group3 { two_d: true } => {
                if coding != Coding::Group4 {
                    eol_aligned(&mut writer);
                    writer.put(0, 1);
                }
                encode_2d(&mut writer, &reference, &changes, width);
            }
            Coding::Group3 { two_d: false } | Coding::ModifiedHuffman => {
                if coding != Coding::ModifiedHuffman {
                    eol_aligned(&mut writer);
                }
                let (mut at, mut black) = (0, false);
                for &change in changes.iter() {
                    writer.run(change - at, black);
                    (at, black) = (change, !black);
                    if at >= width {
                        break;
                    }
                }
                if coding == Coding::ModifiedHuffman {
                    writer.align();
                }
            }
        }
        std::mem::swap(&mut reference, &mut changes);
    }
    if coding == Coding::Group4 {
        writer.put(EOL.0, EOL.1);
        writer.put(EOL.0, EOL.1);
    }
    writer.align();
    writer.out
}

/// An EOL whose last bit ends a byte (T4Options bit 2, libtiff's default).
fn eol_aligned(writer: &mut Writer) {
    let fill = (8 + 4 - writer.count as i32).rem_euclid(8);
    writer.put(0, fill as u8);
    writer.put(EOL.0, EOL.1);
}

/// One row against `reference`, both as changing elements ending with the
/// width three times.
fn encode_2d(writer: &mut Writer, reference: &[usize], changes: &[usize], width: usize) {
    let (mut a0, mut black) = (None::<usize>, false);
    let (mut next_ref, mut next) = (0usize, 0usize);
    while a0.is_none_or(|a0| a0 < width) {
        while a0.is_some_and(|a0| reference[next_ref] <= a0) {
            next_ref += 1;
        }
        while a0.is_some_and(|a0| changes[next] <= a0) {
            next += 1;
        }
        let b1_at = if (next_ref % 2 == 1) == black { next_ref } else { next_ref + 1 };
        let (b1, b2) = (reference[b1_at], reference[b1_at + 1]);
        let (a1, a2) = (changes[next], changes[next + 1]);
        let start = a0.unwrap_or(0);
        if b2 < a1 {
            writer.put(0b0001, 4);
            a0 = Some(b2);
        } else if a1.abs_diff(b1) <= 3 {
            let (bits, length) = match a1 as isize - b1 as isize {
                0 => (1, 1),
                1 => (0b011, 3),
                -1 => (0b010, 3),
                2 => (0b000011, 6),
                -2 => (0b000010, 6),
                3 => (0b0000011, 7),
                _ => (0b0000010, 7),
            };
            writer.put(bits, length);
            a0 = Some(a1);
            black = !black;
        } else {
            writer.put(0b001, 3);
            writer.run(a1 - start, black);
            writer.run(a2 - a1, !black);
            a0 = Some(a2);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bilevel picture with runs of every length the tables hold.
    fn picture(width: usize, rows: usize) -> Vec<u8> {
        let row_bytes = width.div_ceil(8);
        let mut pixels = vec![0u8; row_bytes * rows];
        let mut state = 7u32;
        for y in 0..rows {
            let mut x = 0;
            let mut black = y % 2 == 1;
            while x < width {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                let run = match y % 4 {
                    0 => (state >> 16) as usize % 70,
                    1 => (state >> 16) as usize % 3000,
                    _ => (state >> 16) as usize % 9,
                };
                for pixel in x..(x + run).min(width) {
                    if black {
                        pixels[y * row_bytes + pixel / 8] |= 0x80 >> (pixel % 8);
                    }
                }
                x += run;
                black = !black;
            }
        }
        pixels
    }

    #[test]
    fn tables_are_prefix_codes() {
        for codes in [WHITE, BLACK] {
            let all: Vec<Code> = codes.iter().chain(EXTENDED).copied().chain([(EOL.0, EOL.1, EOL_RUN)]).collect();
            for (index, &(bits, length, _)) in all.iter().enumerate() {
                for &(other, other_length, _) in &all[index + 1..] {
                    let shorter = length.min(other_length);
                    assert_ne!(bits >> (length - shorter), other >> (other_length - shorter), "{bits:b} {other:b}");
                }
            }
            // Kraft: the codes with EOL fill the code space but for the all-zero prefixes.
            let used: f64 = all.iter().map(|&(_, length, _)| 0.5f64.powi(i32::from(length))).sum();
            assert!(used <= 1.0, "{used}");
        }
        assert_eq!(WHITE.len(), 64 + 27);
        assert_eq!(BLACK.len(), 64 + 27);
    }

    #[test]
    fn every_coding_round_trips() {
        for (width, rows) in [(1, 1), (7, 3), (64, 9), (3000, 12), (5200, 4)] {
            let pixels = picture(width, rows);
            for coding in [
                Coding::ModifiedHuffman,
                Coding::Group3 { two_d: false },
                Coding::Group3 { two_d: true },
                Coding::Group4,
            ] {
                let coded = encode(&pixels, width, rows, coding);
                assert_eq!(decode(&coded, width, rows, coding).unwrap(), pixels, "{coding:?} {width}x{rows}");
            }
        }
    }

    #[test]
    fn known_group4_bits() {
        // 8 pixels: 3 white, 2 black, 3 white, above an all-white row:
        // horizontal (001), white 3 (1000), black 2 (11), then V0 (1) for
        // the last change against the imaginary width.
        let coded = encode(&[0b0001_1000], 8, 1, Coding::Group4);
        assert_eq!(coded[0], 0b0011_0001);
        assert_eq!(coded[1] >> 6, 0b11);
        assert_eq!(decode(&coded, 8, 1, Coding::Group4).unwrap(), [0b0001_1000]);
    }

    #[test]
    fn damaged_data_gives_errors_or_white() {
        let pixels = picture(100, 6);
        let coded = encode(&pixels, 100, 6, Coding::Group4);
        // Cut short: the rows read are kept, the rest white.
        let short = decode(&coded[..coded.len() / 2], 100, 6, Coding::Group4).unwrap();
        assert_eq!(short.len(), pixels.len());
        assert!(decode(&[0x02, 0, 0], 100, 1, Coding::Group4).is_err());
        for index in 0..coded.len() {
            for flip in [0x01u8, 0x10, 0xFF] {
                let mut damaged = coded.clone();
                damaged[index] ^= flip;
                for coding in [Coding::ModifiedHuffman, Coding::Group3 { two_d: true }, Coding::Group4] {
                    let _ = decode(&damaged, 100, 6, coding);
                }
            }
        }
        assert_eq!(decode(&[], 0, 3, Coding::Group4).unwrap(), Vec::<u8>::new());
    }
}
