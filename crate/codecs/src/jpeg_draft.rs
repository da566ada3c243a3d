//! JPEG decoded scaled in the DCT, for Pillow's `draft` (shrink on load):
//! each 8x8 block of coefficients becomes 4x4, 2x2 or 1x1 pixels through
//! a reduced inverse DCT, so a photo shrunk 8 times never has its full
//! size in memory. The arithmetic is libjpeg-turbo's, the decoder behind
//! Pillow's wheels, so that the pixels are the same: its slow integer
//! IDCT (islow) and reduced ones (4x4, 2x2, 1x1), its choice of a larger
//! IDCT for subsampled chroma where that spares the upsampling, its
//! upsamplers ("fancy" triangle filters, plain replication at 1/8) and its
//! colour conversion tables. Baseline, extended and progressive Huffman
//! files of 8-bit precision; the rest is refused as damaged.
//!
//! Every count read from the file is checked before it is used, arithmetic
//! on coefficients is done in 64 bits (no overflow), and the scan data
//! reader returns zeros past the end or at a marker, as libjpeg does: a
//! damaged file gives an error or some pixels, never a panic.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::jpeg::{MAX_SCANS, ends_its_scans};
use crate::lanes16::V128;
use crate::rgba::Decoded;

/// What the pixels become: the file's own colours (grey, RGB from YCbCr
/// or stored RGB, CMYK as [`crate::jpeg::decode_jpeg_cmyk`] gives them),
/// grey (Pillow's draft to "L": the luma alone, or RGB weighted as libjpeg
/// weighs it), or the YCbCr components (draft to "YCbCr").
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DraftColour {
    Native,
    Grey,
    YCbCr,
}

/// Zigzag index to natural (row-major) position, with 16 extra entries as
/// libjpeg has, so that a corrupt run past the last coefficient lands on it.
const NATURAL: [u8; 80] = {
    let mut natural = [63; 80];
    let mut index = 0;
    while index < 64 {
        natural[index] = crate::jpeg::ZIGZAG[index] as u8;
        index += 1;
    }
    natural
};

fn damaged(reason: &str) -> CodecError {
    CodecError::damaged("JPEG", reason)
}

/// A Huffman table: codes of up to [`FAST_BITS`] bits found in one
/// look-up, longer ones by libjpeg's `maxcode` walk; `fast_ac` has the
/// run, the value and the bits of a code and the value that fit in
/// [`FAST_BITS`] together (0 where they do not, and for an AC table's end
/// of block and ZRL; a DC table's codes are sizes alone, its runs 0).
#[derive(Clone)]
struct Huffman {
    // Boxed arrays, not vectors: an index of FAST_BITS bits needs no check.
    fast: Box<[u16; 1 << FAST_BITS]>,
    fast_ac: Box<[i32; 1 << FAST_BITS]>,
    maxcode: [i32; 18],
    offset: [i32; 18],
    values: Vec<u8>,
}

const FAST_BITS: u32 = 10;

impl Huffman {
    fn new(counts: &[u8; 16], values: &[u8], dc: bool) -> Result<Self> {
        let mut fast = Box::new([0u16; 1 << FAST_BITS]);
        let (mut maxcode, mut offset) = ([-1i32; 18], [0i32; 18]);
        let (mut code, mut index) = (0i32, 0usize);
        for length in 1..=16usize {
            let count = usize::from(counts[length - 1]);
            offset[length] = index as i32 - code;
            for _ in 0..count {
                // libjpeg's check: the codes of a length fit in it, and none is all ones.
                if code >= (1 << length) - 1 {
                    return Err(damaged("a Huffman table is bad"));
                }
                if length as u32 <= FAST_BITS {
                    let shift = FAST_BITS - length as u32;
                    let first = (code as usize) << shift;
                    let entry = ((length as u16) << 8) | u16::from(values[index]);
                    fast[first..first + (1 << shift)].fill(entry);
                }
                code += 1;
                index += 1;
            }
            if count > 0 {
                maxcode[length] = code - 1;
            }
            code <<= 1;
        }
        maxcode[17] = i32::MAX;
        let fast_ac = Box::new(std::array::from_fn(|index| {
            let entry = fast[index];
            let (length, symbol) = (u32::from(entry >> 8), u32::from(entry & 0xFF));
            let (run, size) = (symbol >> 4, symbol & 15);
            if entry == 0 || (size == 0 && !dc) || length + size > FAST_BITS {
                return 0;
            }
            let raw = (index as u32 >> (FAST_BITS - length - size)) & ((1 << size) - 1);
            let value = if size == 0 { 0 } else { extend(raw as i32, size) };
            (value << 16) | (run << 8) as i32 | (length + size) as i32
        }));
        Ok(Self { fast, fast_ac, maxcode, offset, values: values.to_vec() })
    }
}

/// The entropy-coded data of a scan, read as libjpeg reads it: FF 00 is a
/// data byte FF, a restart marker ends an interval and any other marker the
/// data; zeros are read past the end of an interval.
///
/// The data is copied once without its stuffing, each interval followed by
/// eight zero bytes, and back to front: eight bytes loaded little-endian at
/// the mirror of a position are then the big-endian word starting there
/// (wasm has no byte swap), so that a refill is a load, a shift and an or,
/// with no branch on the data.
struct Bits {
    mirrored: Vec<u8>,
    /// Where each interval's bytes start and end in the unstuffed stream.
    intervals: Vec<(usize, usize)>,
    interval: usize,
    limit: usize,
    at: Position,
    /// Where the segments after the scan start in the file.
    end: usize,
}

/// How far a [`Bits`] has read: the next byte's position in the stream and
/// the bits read ahead of it.
#[derive(Clone, Copy, Default)]
struct Position {
    pos: usize,
    /// The bits not yet read, from the top; below its `count` bits, `acc`
    /// holds the stream's next bits or zeros, so a refill may or them again.
    acc: u64,
    count: u32,
}

/// A [`Bits`] lent to a decoding loop, its [`Position`] a value the
/// compiler keeps in registers (the fields of a `Bits` behind a reference
/// were stored back to memory at every code), handed back with
/// [`Bits::resume`].
#[derive(Clone, Copy)]
struct Cursor<'a> {
    mirrored: &'a [u8],
    limit: usize,
    at: Position,
}

impl Cursor<'_> {
    /// At least 56 bits ready.
    #[inline(always)]
    fn refill(&mut self) {
        let at = &mut self.at;
        let mirror = self.mirrored.len().wrapping_sub(8 + at.pos.min(self.limit));
        let word = self
            .mirrored
            .get(mirror..mirror.wrapping_add(8))
            .map_or(0, |bytes| u64::from_le_bytes(bytes.try_into().unwrap_or_default()));
        at.acc |= word >> at.count;
        at.pos += ((63 - at.count) >> 3) as usize;
        at.count |= 56;
    }

    /// The next `n` bits (at most 16), dropped from the buffer.
    #[inline(always)]
    fn take(&mut self, n: u32) -> u32 {
        let at = &mut self.at;
        let value = (at.acc >> 32 >> (32 - n)) as u32;
        at.acc <<= n;
        at.count -= n;
        value
    }

    /// The top [`FAST_BITS`] bits, a fast table's index.
    #[inline(always)]
    fn peek(&self) -> usize {
        (self.at.acc >> (64 - FAST_BITS)) as usize
    }

    /// A Huffman symbol, with at least 40 bits left after it for the
    /// value it announces.
    #[inline(always)]
    fn decode(&mut self, table: &Huffman) -> i32 {
        self.refill();
        let entry = table.fast[self.peek()];
        if entry != 0 {
            self.take(u32::from(entry >> 8));
            return i32::from(entry & 0xFF);
        }
        self.decode_long(table)
    }

    /// A symbol whose code is longer than [`FAST_BITS`], found by libjpeg's
    /// `maxcode` walk.
    #[inline(always)]
    fn decode_long(&mut self, table: &Huffman) -> i32 {
        for length in FAST_BITS + 1..=16 {
            let code = (self.at.acc >> (64 - length)) as i32;
            if code <= table.maxcode[length as usize] {
                self.take(length);
                let index = (code + table.offset[length as usize]) as usize;
                return i32::from(table.values.get(index).copied().unwrap_or(0));
            }
        }
        // libjpeg's answer to a code no table has: a zero, its 16 bits dropped.
        self.take(16);
        0
    }

    /// The value of `size` bits after a Huffman symbol (JPEG's EXTEND).
    #[inline(always)]
    fn signed(&mut self, size: i32) -> i32 {
        if size == 0 {
            return 0;
        }
        let size = size.min(16) as u32;
        extend(self.take(size) as i32, size)
    }
}

impl Bits {
    fn new(file: &[u8], start: usize) -> Result<Self> {
        const PADDING: [u8; 8] = [0; 8];
        let rest = file.get(start..).unwrap_or_default();
        let mut stream = Vec::new();
        stream.try_reserve(rest.len() + PADDING.len()).map_err(|_| CodecError::OutOfMemory { bytes: rest.len() })?;
        let mut intervals = Vec::new();
        let mut interval_start = 0;
        let mut at = 0;
        let end = loop {
            let run = first_ff(&rest[at..]);
            stream.extend_from_slice(&rest[at..at + run]);
            at += run;
            let mut next = at;
            while rest.get(next) == Some(&0xFF) {
                next += 1;
            }
            match rest.get(next) {
                Some(0) => {
                    stream.push(0xFF);
                    at = next + 1;
                }
                Some(0xD0..=0xD7) => {
                    intervals.push((interval_start, stream.len()));
                    stream.extend_from_slice(&PADDING);
                    interval_start = stream.len();
                    at = next + 1;
                }
                _ => break start + at,
            }
        };
        intervals.push((interval_start, stream.len()));
        stream.extend_from_slice(&PADDING);
        stream.reverse();
        let limit = intervals[0].1;
        Ok(Self { mirrored: stream, intervals, interval: 0, limit, at: Position::default(), end })
    }

    fn cursor(&self) -> Cursor<'_> {
        Cursor { mirrored: &self.mirrored, limit: self.limit, at: self.at }
    }

    fn resume(&mut self, at: Position) {
        self.at = at;
    }

    /// `step` on a cursor lent for it, the position it reaches kept.
    fn read<T>(&mut self, step: impl FnOnce(&mut Cursor<'_>) -> T) -> T {
        let mut cursor = self.cursor();
        let value = step(&mut cursor);
        let at = cursor.at;
        self.resume(at);
        value
    }

    fn bits(&mut self, n: u32) -> i32 {
        self.read(|cursor| {
            cursor.refill();
            cursor.take(n) as i32
        })
    }

    fn bit(&mut self) -> bool {
        self.bits(1) != 0
    }

    fn decode(&mut self, table: &Huffman) -> i32 {
        self.read(|cursor| cursor.decode(table))
    }

    fn signed(&mut self, size: i32) -> i32 {
        self.read(|cursor| cursor.signed(size))
    }

    /// A restart marker: the bits left are dropped and the next interval
    /// read (zeros when there is none).
    fn restart(&mut self) {
        let pos = match self.intervals.get(self.interval + 1) {
            Some(&(start, end)) => {
                self.interval += 1;
                self.limit = end;
                start
            }
            None => self.limit,
        };
        self.at = Position { pos, acc: 0, count: 0 };
    }

    /// Where the segments after the scan start.
    fn end(&self) -> usize {
        self.end
    }
}

/// How many bytes of `data` come before its first FF (all when none).
fn first_ff(data: &[u8]) -> usize {
    let mut words = data.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let inverted = !u64::from_le_bytes(word.try_into().unwrap_or_default());
        let found = inverted.wrapping_sub(0x0101_0101_0101_0101) & !inverted & 0x8080_8080_8080_8080;
        if found != 0 {
            return at + (found.trailing_zeros() / 8) as usize;
        }
        at += 8;
    }
    at + words.remainder().iter().position(|&byte| byte == 0xFF).unwrap_or(words.remainder().len())
}

/// JPEG's EXTEND: `size` bits read as a signed value.
fn extend(value: i32, size: u32) -> i32 {
    if value < 1 << (size - 1) { value - (1 << size) + 1 } else { value }
}

struct Component {
    id: u8,
    h: usize,
    v: usize,
    table: usize,
    quant: Option<[i16; 64]>,
    dc: usize,
    ac: usize,
    /// Blocks across and down, padded to whole MCUs.
    blocks_w: usize,
    blocks_h: usize,
    /// Blocks of this component's own size (its non-interleaved scans).
    own_w: usize,
    own_h: usize,
    /// Pixels an 8x8 block becomes (libjpeg's `DCT_scaled_size`).
    size: usize,
    coefficients: Vec<i16>,
    plane: Vec<u8>,
    needed: bool,
}

impl Component {
    fn stride(&self) -> usize {
        self.blocks_w * self.size
    }
}

struct Frame {
    width: usize,
    height: usize,
    progressive: bool,
    components: Vec<Component>,
    max_h: usize,
    max_v: usize,
    mcus_w: usize,
    mcus_h: usize,
}

/// The picture in a JPEG file `scale` (1, 2, 4 or 8) times smaller on each
/// side (rounded up, as libjpeg), in `colour`, as 4 bytes a pixel: RGBA,
/// a grey in red, green and blue, Y, Cb and Cr then 255, or CMYK.
pub fn decode_jpeg_draft(
    file: &[u8],
    limits: Limits,
    scale: u32,
    colour: DraftColour,
    load_truncated: bool,
) -> Result<Decoded> {
    if ![1, 2, 4, 8].contains(&scale) {
        return Err(CodecError::BadNumber { name: "scale", value: f64::from(scale), expected: "1, 2, 4 or 8" });
    }
    if !file.starts_with(&[0xFF, 0xD8]) {
        return Err(damaged("it does not start with a JPEG marker"));
    }
    if !load_truncated && !ends_its_scans(file) {
        return Err(damaged("it is truncated"));
    }
    let mut decoder = Decoder {
        quant: [None; 4],
        dc: [None, None, None, None],
        ac: [None, None, None, None],
        restart: 0,
        adobe: None,
        jfif: false,
        frame: None,
        scale: scale as usize,
        colour,
        scans: 0,
        limits,
    };
    decoder.read(file)?;
    decoder.finish()
}

struct Decoder {
    quant: [Option<[i16; 64]>; 4],
    dc: [Option<Huffman>; 4],
    ac: [Option<Huffman>; 4],
    restart: usize,
    adobe: Option<u8>,
    jfif: bool,
    frame: Option<Frame>,
    scale: usize,
    colour: DraftColour,
    scans: usize,
    limits: Limits,
}

impl Decoder {
    fn read(&mut self, file: &[u8]) -> Result<()> {
        let mut at = 2;
        loop {
            // Junk between segments is skipped, as libjpeg skips it.
            while at < file.len() && file[at] != 0xFF {
                at += 1;
            }
            while at < file.len() && file[at] == 0xFF {
                at += 1;
            }
            let Some(&marker) = file.get(at) else {
                return if self.scans > 0 { Ok(()) } else { Err(damaged("it is truncated")) };
            };
            at += 1;
            match marker {
                0x00 | 0x01 | 0xD0..=0xD8 => continue,
                0xD9 => return Ok(()),
                _ => {}
            }
            let length = match file.get(at..at + 2) {
                Some(bytes) => usize::from(u16::from_be_bytes([bytes[0], bytes[1]])),
                None => return Err(damaged("it is truncated")),
            };
            let Some(body) = file.get(at + 2..at + length).filter(|_| length >= 2) else {
                return Err(damaged("it is truncated"));
            };
            at += length;
            match marker {
                0xC0..=0xC2 => self.read_frame(body, marker == 0xC2)?,
                0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                    return Err(damaged("its coding (lossless, hierarchical or arithmetic) is not supported"));
                }
                0xC4 => self.read_huffman(body)?,
                0xDB => self.read_quant(body)?,
                0xDD if body.len() >= 2 => self.restart = usize::from(u16::from_be_bytes([body[0], body[1]])),
                0xE0 if body.starts_with(b"JFIF\0") => self.jfif = true,
                0xEE if body.len() >= 12 && body.starts_with(b"Adobe") => self.adobe = Some(body[11]),
                0xDA => {
                    self.scans += 1;
                    if self.scans > MAX_SCANS {
                        return Err(CodecError::Bomb {
                            format: "JPEG",
                            reason: format!("it has more than {MAX_SCANS} scans, each a pass over every pixel"),
                        });
                    }
                    at = self.read_scan(body, file, at)?;
                }
                _ => {}
            }
        }
    }

    fn read_quant(&mut self, mut body: &[u8]) -> Result<()> {
        while let Some(&first) = body.first() {
            let (wide, id) = (first >> 4 != 0, usize::from(first & 15));
            let size = if wide { 128 } else { 64 };
            let Some(values) = body.get(1..1 + size) else { return Err(damaged("a quantization table is cut short")) };
            if id > 3 {
                return Err(damaged("a quantization table has a bad number"));
            }
            // Kept as libjpeg's 16-bit multiplier table holds them.
            let mut table = [0i16; 64];
            for k in 0..64 {
                let value =
                    if wide { i16::from_be_bytes([values[2 * k], values[2 * k + 1]]) } else { i16::from(values[k]) };
                table[usize::from(NATURAL[k])] = value;
            }
            self.quant[id] = Some(table);
            body = &body[1 + size..];
        }
        Ok(())
    }

    fn read_huffman(&mut self, mut body: &[u8]) -> Result<()> {
        while body.len() >= 17 {
            let (class, id) = (body[0] >> 4, usize::from(body[0] & 15));
            let counts: [u8; 16] = body[1..17].try_into().unwrap_or([0; 16]);
            let total: usize = counts.iter().map(|&count| usize::from(count)).sum();
            let Some(values) = body.get(17..17 + total).filter(|_| total <= 256) else {
                return Err(damaged("a Huffman table is bad"));
            };
            if class > 1 || id > 3 {
                return Err(damaged("a Huffman table has a bad number"));
            }
            let table = Huffman::new(&counts, values, class == 0)?;
            if class == 0 {
                self.dc[id] = Some(table);
            } else {
                self.ac[id] = Some(table);
            }
            body = &body[17 + total..];
        }
        Ok(())
    }

    fn read_frame(&mut self, body: &[u8], progressive: bool) -> Result<()> {
        if self.frame.is_some() {
            return Err(damaged("it has two frame headers"));
        }
        if body.len() < 6 || body[0] != 8 {
            return Err(damaged("only 8-bit samples are supported"));
        }
        let height = usize::from(u16::from_be_bytes([body[1], body[2]]));
        let width = usize::from(u16::from_be_bytes([body[3], body[4]]));
        let count = usize::from(body[5]);
        if body.len() < 6 + 3 * count || ![1, 3, 4].contains(&count) {
            return Err(damaged("its frame header is bad"));
        }
        // The whole picture's size is within the limits (Image.open checks it too).
        self.limits.rgba_len("JPEG", width as u32, height as u32)?;
        let mut components = Vec::new();
        for index in 0..count {
            let spec = &body[6 + 3 * index..9 + 3 * index];
            let (h, v, table) = (usize::from(spec[1] >> 4), usize::from(spec[1] & 15), usize::from(spec[2]));
            if !(1..=4).contains(&h) || !(1..=4).contains(&v) || table > 3 {
                return Err(damaged("its frame header is bad"));
            }
            components.push(Component {
                id: spec[0],
                h,
                v,
                table,
                quant: None,
                dc: 0,
                ac: 0,
                blocks_w: 0,
                blocks_h: 0,
                own_w: 0,
                own_h: 0,
                size: 8,
                coefficients: Vec::new(),
                plane: Vec::new(),
                needed: true,
            });
        }
        let max_h = components.iter().map(|c| c.h).max().unwrap_or(1);
        let max_v = components.iter().map(|c| c.v).max().unwrap_or(1);
        let mcus_w = width.div_ceil(8 * max_h);
        let mcus_h = height.div_ceil(8 * max_v);
        let least = 8 / self.scale;
        let grey_from_luma = self.colour == DraftColour::Grey && count == 3 && !self.stored_rgb(&components);
        for (index, component) in components.iter_mut().enumerate() {
            // libjpeg scales the IDCT of a subsampled component up (to at
            // most 8) while that leaves it a whole factor of 2 to upsample.
            let mut size = least;
            while size < 8
                && (max_h * least) % (component.h * size * 2) == 0
                && (max_v * least) % (component.v * size * 2) == 0
            {
                size *= 2;
            }
            component.size = size;
            component.blocks_w = mcus_w * component.h;
            component.blocks_h = mcus_h * component.v;
            component.own_w = (width * component.h).div_ceil(max_h).div_ceil(8);
            component.own_h = (height * component.v).div_ceil(max_v).div_ceil(8);
            component.needed = !(grey_from_luma && index > 0);
            if component.needed {
                component.plane = try_alloc(component.stride() * component.blocks_h * size)?;
            }
            if progressive {
                let len = component.blocks_w * component.blocks_h * 64;
                let mut coefficients = Vec::new();
                coefficients.try_reserve_exact(len).map_err(|_| CodecError::OutOfMemory { bytes: len * 2 })?;
                coefficients.resize(len, 0);
                component.coefficients = coefficients;
            }
        }
        self.frame = Some(Frame { width, height, progressive, components, max_h, max_v, mcus_w, mcus_h });
        Ok(())
    }

    /// libjpeg's guess that three components hold RGB, not YCbCr.
    fn stored_rgb(&self, components: &[Component]) -> bool {
        if self.jfif {
            return false;
        }
        if let Some(transform) = self.adobe {
            return transform == 0;
        }
        components.iter().map(|c| c.id).eq(*b"RGB")
    }

    fn read_scan(&mut self, body: &[u8], file: &[u8], data_start: usize) -> Result<usize> {
        let Some(frame) = self.frame.as_mut() else { return Err(damaged("a scan comes before the frame header")) };
        let count = usize::from(*body.first().unwrap_or(&0));
        if !(1..=4).contains(&count) || body.len() < 4 + 2 * count {
            return Err(damaged("a scan header is bad"));
        }
        let mut members = Vec::new();
        for index in 0..count {
            let (id, tables) = (body[1 + 2 * index], body[2 + 2 * index]);
            let Some(position) = frame.components.iter().position(|c| c.id == id) else {
                return Err(damaged("a scan names a component the frame has not got"));
            };
            if members.contains(&position) {
                return Err(damaged("a scan names a component twice"));
            }
            let component = &mut frame.components[position];
            component.dc = usize::from(tables >> 4) & 3;
            component.ac = usize::from(tables & 15) & 3;
            if component.quant.is_none() {
                // libjpeg takes a component's table when its first scan starts.
                component.quant =
                    Some(self.quant[component.table].ok_or_else(|| damaged("a quantization table is missing"))?);
            }
            members.push(position);
        }
        let tail = &body[1 + 2 * count..];
        let (start, end, high, low) = (usize::from(tail[0]), usize::from(tail[1]), tail[2] >> 4, tail[2] & 15);
        let mut bits = Bits::new(file, data_start)?;
        let mut scan = Scan { members: &members, start, end, high, low, eobrun: 0, preds: [0; 4] };
        if frame.progressive {
            let dc = start == 0;
            if start > end || end > 63 || high > 13 || low > 13 || (dc && end != 0) || (!dc && count != 1) {
                return Err(damaged("a progressive scan's parameters are bad"));
            }
        } else if count > 1
            && members.iter().map(|&m| frame.components[m].h * frame.components[m].v).sum::<usize>() > 10
        {
            return Err(damaged("a scan's MCU has more than 10 blocks"));
        }
        let tables = Tables { dc: &self.dc, ac: &self.ac };
        scan.check_tables(frame, &tables)?;
        let restart = self.restart;
        let mut left = restart;
        let mut block = [0i16; 64];
        if count == 1 {
            let position = members[0];
            let (own_w, own_h) = (frame.components[position].own_w, frame.components[position].own_h);
            for by in 0..own_h {
                for bx in 0..own_w {
                    restart_tick(restart, &mut left, &mut bits, &mut scan);
                    scan.unit(frame, &mut bits, &tables, &mut block, position, (bx, by))?;
                }
            }
        } else {
            for my in 0..frame.mcus_h {
                for mx in 0..frame.mcus_w {
                    restart_tick(restart, &mut left, &mut bits, &mut scan);
                    for &position in &members {
                        let (h, v) = (frame.components[position].h, frame.components[position].v);
                        for y in 0..v {
                            for x in 0..h {
                                scan.unit(frame, &mut bits, &tables, &mut block, position, (mx * h + x, my * v + y))?;
                            }
                        }
                    }
                }
            }
        }
        Ok(bits.end())
    }

    fn finish(mut self) -> Result<Decoded> {
        let Some(mut frame) = self.frame.take() else { return Err(damaged("it has no frame header")) };
        if self.scans == 0 {
            return Err(damaged("it has no scan"));
        }
        if frame.progressive {
            for component in frame.components.iter_mut().filter(|c| c.needed) {
                if component.quant.is_none() {
                    // A component no scan reached: libjpeg shows it as mid grey.
                    component.quant = Some([1; 64]);
                }
                let coefficients = std::mem::take(&mut component.coefficients);
                for by in 0..component.blocks_h {
                    for bx in 0..component.blocks_w {
                        let at = (by * component.blocks_w + bx) * 64;
                        let block: &[i16; 64] = coefficients[at..at + 64].try_into().unwrap_or(&[0; 64]);
                        idct_into(component, block, bx, by, 63);
                    }
                }
            }
        }
        let (out_w, out_h) = (frame.width.div_ceil(self.scale), frame.height.div_ceil(self.scale));
        let len = self.limits.rgba_len("JPEG", out_w as u32, out_h as u32)?;
        let least = 8 / self.scale;
        let stored_rgb = frame.components.len() == 3 && self.stored_rgb(&frame.components);
        if stored_rgb && self.colour == DraftColour::YCbCr {
            // libjpeg has no conversion from RGB to YCbCr when decoding.
            return Err(damaged("its RGB components cannot be read as YCbCr"));
        }
        // Each plane's samples and the length of its rows.
        let mut planes: Vec<(Vec<u8>, usize)> = Vec::new();
        for index in 0..frame.components.len() {
            if frame.components[index].needed {
                let plane = match upsample(&frame.components[index], &frame, least, out_w, out_h)? {
                    Some(samples) => (samples, out_w),
                    // At full size already (every component of a 4:2:0 file
                    // at 1/2 and smaller): the plane itself, read at its stride.
                    None => (std::mem::take(&mut frame.components[index].plane), frame.components[index].stride()),
                };
                planes.push(plane);
                frame.components[index].plane = Vec::new();
            }
        }
        fn row_of((samples, stride): &(Vec<u8>, usize), y: usize, width: usize) -> &[u8] {
            &samples[y * stride..y * stride + width]
        }
        let mut pixels = try_alloc(len)?;
        let ycck = self.adobe == Some(2);
        for (y, out) in pixels.chunks_exact_mut(out_w * 4).enumerate() {
            match (planes.as_slice(), self.colour) {
                ([grey], _) => {
                    for (pixel, &grey) in out.chunks_exact_mut(4).zip(row_of(grey, y, out_w)) {
                        pixel.copy_from_slice(&[grey, grey, grey, 255]);
                    }
                }
                ([a, b, c], colour) => {
                    // A loop for each conversion, inlined: through a function
                    // pointer each pixel cost a call.
                    let rows = (row_of(a, y, out_w), row_of(b, y, out_w), row_of(c, y, out_w));
                    match colour {
                        DraftColour::Grey => convert_each(out, rows, |red, green, blue| {
                            let grey = rgb_to_grey(red, green, blue);
                            [grey, grey, grey, 255]
                        }),
                        DraftColour::YCbCr => convert_each(out, rows, |y, cb, cr| [y, cb, cr, 255]),
                        DraftColour::Native if stored_rgb => {
                            convert_each(out, rows, |red, green, blue| [red, green, blue, 255])
                        }
                        DraftColour::Native => {
                            let done = ycc_to_rgba_lanes(rows, out);
                            let rest = (&rows.0[done..], &rows.1[done..], &rows.2[done..]);
                            convert_each(&mut out[done * 4..], rest, |y, cb, cr| {
                                let (red, green, blue) = ycc_to_rgb(y, cb, cr);
                                [red, green, blue, 255]
                            });
                        }
                    }
                }
                ([a, b, c, d], _) => {
                    let (a, b, c, d) =
                        (row_of(a, y, out_w), row_of(b, y, out_w), row_of(c, y, out_w), row_of(d, y, out_w));
                    for ((((pixel, &a), &b), &c), &d) in out.chunks_exact_mut(4).zip(a).zip(b).zip(c).zip(d) {
                        pixel.copy_from_slice(&if ycck {
                            // YCCK: libjpeg's CMY is 255 less its RGB, which Pillow inverts.
                            let (red, green, blue) = ycc_to_rgb(a, b, c);
                            [red, green, blue, 255 - d]
                        } else {
                            [255 - a, 255 - b, 255 - c, 255 - d]
                        });
                    }
                }
                _ => return Err(damaged("its components cannot be shown")),
            }
        }
        Ok(Decoded::rgba(out_w as u32, out_h as u32, pixels))
    }
}

/// Zeros in `block` by eight vector stores: `fill(0)` became a
/// `memory.fill`, which V8 runs through a call into its runtime.
fn clear(block: &mut [i16; 64]) {
    // Opaque to the compiler, so that it does not see a memset again.
    let zero = std::hint::black_box(V128::splat_i16(0));
    for row in block.chunks_exact_mut(8) {
        zero.store_i16(row);
    }
}

fn restart_tick(restart: usize, left: &mut usize, bits: &mut Bits, scan: &mut Scan) {
    if restart > 0 {
        if *left == 0 {
            bits.restart();
            scan.preds = [0; 4];
            scan.eobrun = 0;
            *left = restart;
        }
        *left -= 1;
    }
}

struct Tables<'a> {
    dc: &'a [Option<Huffman>; 4],
    ac: &'a [Option<Huffman>; 4],
}

struct Scan<'a> {
    members: &'a [usize],
    start: usize,
    end: usize,
    high: u8,
    low: u8,
    eobrun: u32,
    preds: [i32; 4],
}

impl Scan<'_> {
    /// One block of the scan: its coefficients kept (progressive) or its
    /// pixels written at once (sequential, where a block is whole).
    fn unit(
        &mut self,
        frame: &mut Frame,
        bits: &mut Bits,
        tables: &Tables,
        block: &mut [i16; 64],
        position: usize,
        (bx, by): (usize, usize),
    ) -> Result<()> {
        let component = &mut frame.components[position];
        let coding = (position, component.dc, component.ac);
        if frame.progressive {
            let at = (by * component.blocks_w + bx) * 64;
            let Some(coefficients) = component.coefficients.get_mut(at..at + 64) else {
                return Err(damaged("a block is outside the picture"));
            };
            return self.progressive(bits, tables, coding, coefficients);
        }
        clear(block);
        let last = self.sequential(bits, tables, coding, block)?;
        if component.needed {
            idct_into(component, block, bx, by, last);
        }
        Ok(())
    }

    /// The tables the scan uses exist; a DC table's symbols are sizes of
    /// at most 15 bits (libjpeg refuses the table otherwise).
    fn check_tables(&self, frame: &Frame, tables: &Tables) -> Result<()> {
        for &position in self.members {
            let component = &frame.components[position];
            let wants_dc = !frame.progressive || (self.start == 0 && self.high == 0);
            let wants_ac = !frame.progressive || self.start > 0;
            if wants_dc {
                let table = tables.dc[component.dc].as_ref().ok_or_else(|| damaged("a Huffman table is missing"))?;
                if table.values.iter().any(|&value| value > 15) {
                    return Err(damaged("a Huffman table is bad"));
                }
            }
            if wants_ac && tables.ac[component.ac].is_none() {
                return Err(damaged("a Huffman table is missing"));
            }
        }
        Ok(())
    }

    fn dc_pred(&mut self, position: usize, diff: i32) -> Result<i32> {
        let pred = self.preds[position].checked_add(diff).ok_or_else(|| damaged("a DC coefficient is out of range"))?;
        self.preds[position] = pred;
        Ok(pred)
    }

    fn sequential(
        &mut self,
        bits: &mut Bits,
        tables: &Tables,
        (position, dc, ac): (usize, usize, usize),
        block: &mut [i16; 64],
    ) -> Result<usize> {
        let (Some(dc), Some(ac)) = (&tables.dc[dc], &tables.ac[ac]) else {
            return Err(damaged("a Huffman table is missing"));
        };
        let mut cursor = bits.cursor();
        cursor.refill();
        let quick = dc.fast_ac[cursor.peek()];
        let diff = if quick != 0 {
            cursor.take((quick & 0xFF) as u32);
            quick >> 16
        } else {
            let size = cursor.decode(dc);
            cursor.signed(size)
        };
        block[0] = self.dc_pred(position, diff)? as i16;
        let mut k = 1;
        while k < 64 {
            if cursor.at.count < 32 {
                cursor.refill();
            }
            let quick = ac.fast_ac[cursor.peek()];
            if quick != 0 {
                cursor.take((quick & 0xFF) as u32);
                k += ((quick >> 8) & 15) as usize;
                // The entries are at most 63: the mask changes none and
                // spares the index its check.
                block[usize::from(NATURAL[k.min(79)]) & 63] = (quick >> 16) as i16;
                k += 1;
                continue;
            }
            // The symbol from the look-up already made when its code is
            // short, its value's bits from the 40 left after it.
            let entry = ac.fast[cursor.peek()];
            let symbol = if entry != 0 {
                cursor.take(u32::from(entry >> 8));
                i32::from(entry & 0xFF)
            } else {
                cursor.decode_long(ac)
            };
            let (run, size) = (symbol >> 4, symbol & 15);
            if size != 0 {
                k += run as usize;
                block[usize::from(NATURAL[k.min(79)]) & 63] = cursor.signed(size) as i16;
            } else if run != 15 {
                break;
            } else {
                k += 15;
            }
            k += 1;
        }
        let at = cursor.at;
        bits.resume(at);
        // The zigzag index of the last coefficient written, or past it
        // after a ZRL (the IDCTs only skip zeros after it): not tracked in
        // the loop, whose every register counts.
        Ok(k.min(64) - 1)
    }

    fn progressive(
        &mut self,
        bits: &mut Bits,
        tables: &Tables,
        (position, dc, ac): (usize, usize, usize),
        block: &mut [i16],
    ) -> Result<()> {
        let low = u32::from(self.low);
        if self.start == 0 {
            if self.high == 0 {
                let Some(dc) = &tables.dc[dc] else { return Err(damaged("a Huffman table is missing")) };
                let size = bits.decode(dc);
                let diff = bits.signed(size);
                let value = self.dc_pred(position, diff)?;
                block[0] = ((value as u32) << low) as i16;
            } else if bits.bit() {
                block[0] |= (1u32 << low) as i16;
            }
            return Ok(());
        }
        let Some(ac) = &tables.ac[ac] else { return Err(damaged("a Huffman table is missing")) };
        if self.high == 0 {
            if self.eobrun > 0 {
                self.eobrun -= 1;
                return Ok(());
            }
            let mut k = self.start;
            while k <= self.end {
                let symbol = bits.decode(ac);
                let (run, size) = (symbol >> 4, symbol & 15);
                if size != 0 {
                    k += run as usize;
                    let value = bits.signed(size);
                    block[usize::from(NATURAL[k.min(79)])] = ((value as u32) << low) as i16;
                } else if run == 15 {
                    k += 15;
                } else {
                    self.eobrun = (1u32 << run) - 1;
                    if run > 0 {
                        self.eobrun += bits.bits(run as u32) as u32;
                    }
                    break;
                }
                k += 1;
            }
            return Ok(());
        }
        // Refinement: one more bit of each coefficient already non-zero, new
        // coefficients of magnitude 1 in the zeros.
        let (plus, minus) = ((1i32 << low) as i16, (-1i32 << low) as i16);
        let refine = |bits: &mut Bits, coefficient: &mut i16| {
            if bits.bit() && (*coefficient & plus) == 0 {
                *coefficient = coefficient.wrapping_add(if *coefficient >= 0 { plus } else { minus });
            }
        };
        let mut k = self.start;
        if self.eobrun == 0 {
            while k <= self.end {
                let symbol = bits.decode(ac);
                let (mut run, size) = (symbol >> 4, symbol & 15);
                let mut value = 0i16;
                if size != 0 {
                    value = if bits.bit() { plus } else { minus };
                } else if run != 15 {
                    self.eobrun = 1u32 << run;
                    if run > 0 {
                        self.eobrun += bits.bits(run as u32) as u32;
                    }
                    break;
                }
                loop {
                    let coefficient = &mut block[usize::from(NATURAL[k.min(79)])];
                    if *coefficient != 0 {
                        refine(bits, coefficient);
                    } else {
                        run -= 1;
                        if run < 0 {
                            break;
                        }
                    }
                    k += 1;
                    if k > self.end {
                        break;
                    }
                }
                if value != 0 {
                    block[usize::from(NATURAL[k.min(79)])] = value;
                }
                k += 1;
            }
        }
        if self.eobrun > 0 {
            while k <= self.end {
                let coefficient = &mut block[usize::from(NATURAL[k.min(79)])];
                if *coefficient != 0 {
                    refine(bits, coefficient);
                }
                k += 1;
            }
            self.eobrun -= 1;
        }
        Ok(())
    }
}

/// The zigzag indices whose natural positions lie in the first four rows
/// and columns: a block whose last coefficient is one of them has only
/// zeros in rows and columns 4 to 7, which the reduced IDCTs then skip
/// (a step over zeros gives zeros, so the values are the same).
const TOP_LEFT_QUARTER: usize = 9;

/// The block's pixels through the IDCT of the component's size, written
/// at block (`bx`, `by`) of its plane; `last` is the zigzag index of its
/// last non-zero coefficient (63 when unknown).
fn idct_into(component: &mut Component, block: &[i16; 64], bx: usize, by: usize, last: usize) {
    // Borrowed, not copied: at 1/8 scale the copy of the table took more
    // time than the IDCT.
    static UNQUANTISED: [i16; 64] = [1; 64];
    let (size, stride) = (component.size, component.stride());
    let at = by * size * stride + bx * size;
    let quant = component.quant.as_ref().unwrap_or(&UNQUANTISED);
    let Some(out) = component.plane.get_mut(at..) else { return };
    match size {
        1 => idct_1x1(block, quant, out),
        2 | 4 if last == 0 => idct_flat(block, quant, out, stride, size),
        2 if last <= TOP_LEFT_QUARTER => idct_2x2::<true>(block, quant, out, stride),
        2 => idct_2x2::<false>(block, quant, out, stride),
        4 if last <= TOP_LEFT_QUARTER => idct_4x4::<true>(block, quant, out, stride),
        4 => idct_4x4::<false>(block, quant, out, stride),
        _ => idct_8x8(block, quant, out, stride),
    }
}

// libjpeg's 13-bit fixed-point constants, FIX(x) = round(x * 8192).
const CONST_BITS: u32 = 13;
const PASS1_BITS: u32 = 2;

fn descale(value: i64, bits: u32) -> i64 {
    (value + (1 << (bits - 1))) >> bits
}

/// libjpeg-turbo's SIMD IDCTs (which Pillow's wheels run) saturate their
/// result to a byte.
fn clamp(value: i64) -> u8 {
    (value + 128).clamp(0, 255) as u8
}

/// A coefficient times its quantization value.
fn dequantize(block: &[i16; 64], quant: &[i16; 64], index: usize) -> i64 {
    i64::from(block[index]) * i64::from(quant[index])
}

fn idct_1x1(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8]) {
    // libjpeg's C routine (there is no SIMD one) limits through a 10-bit mask.
    let value = descale(dequantize(block, quant, 0), 3);
    let wrapped = ((value + 512) & 1023) - 512;
    if let Some(pixel) = out.first_mut() {
        *pixel = clamp(wrapped);
    }
}

/// libjpeg's 2x2 IDCT; with `QUARTER`, for a block whose rows and columns
/// 4 to 7 are zeros.
fn idct_2x2<const QUARTER: bool>(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize) {
    if !idct_2x2_lanes::<QUARTER>(block, quant, out, stride) {
        idct_2x2_wide::<QUARTER>(block, quant, out, stride);
    }
}

/// The 2x2 or 4x4 IDCT of a block with only its DC coefficient: the
/// pixels [`idct_2x2_wide`] and [`idct_4x4_wide`] give. Their passes scale
/// the DC by 2^17 (2^16) and descale by 2^20 (2^19) with nothing else to
/// add, a rounding by 2^3.
fn idct_flat(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize, size: usize) {
    let pixel = clamp(descale(dequantize(block, quant, 0), 3));
    for row in 0..size {
        if let Some(pixels) = out.get_mut(row * stride..row * stride + size) {
            pixels.fill(pixel);
        }
    }
}

/// Row `row` of the block times its quantization values, exact and then
/// saturated to i16 (so that one out of range stays out of range).
#[inline(always)]
fn dequantized_row(block: &[i16; 64], quant: &[i16; 64], row: usize) -> V128 {
    let (coefficients, scales) = (V128::load_i16(&block[8 * row..]), V128::load_i16(&quant[8 * row..]));
    V128::narrow_i32(coefficients.extmul_low_i16(scales), coefficients.extmul_high_i16(scales))
}

/// Whether every lane of `rows` lies in `-limit..limit`.
#[inline(always)]
fn within(rows: &[V128], limit: i16) -> bool {
    let largest = rows.iter().fold(V128::splat_i16(i16::MIN), |max, row| max.max_i16(*row));
    let smallest = rows.iter().fold(V128::splat_i16(i16::MAX), |min, row| min.min_i16(*row));
    !largest.gt_i16(V128::splat_i16(limit - 1)).or(V128::splat_i16(-limit).gt_i16(smallest)).any_true()
}

/// [`idct_2x2_wide`]'s arithmetic in i16 and i32 lanes, the eight columns
/// at once and then both rows, where every dequantized coefficient lies in
/// -2048..=2047 (libjpeg's range for 8-bit samples is about +-1100): the
/// first pass's sums then stay below 2^28, its results below 2^15 and the
/// second pass's sums below 2^31, so no lane overflows. Writes nothing and
/// returns false for a block outside that range.
fn idct_2x2_lanes<const QUARTER: bool>(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize) -> bool {
    let zero = V128::splat_i16(0);
    let row = |index: usize| dequantized_row(block, quant, index);
    let (z0, z1, z3) = (row(0), row(1), row(3));
    let (z5, z7) = if QUARTER { (zero, zero) } else { (row(5), row(7)) };
    if !within(&[z0, z1, z3, z5, z7], 2048) {
        return false;
    }
    // Pass 1: the odd part as dot products of rows 1 and 3, 5 and 7 paired.
    let (k13, k57) = (
        V128::i16s([29692, -10426, 29692, -10426, 29692, -10426, 29692, -10426]),
        V128::i16s([6967, -5906, 6967, -5906, 6967, -5906, 6967, -5906]),
    );
    let (mut odd_low, mut odd_high) = (z1.zip_low_i16(z3).dot_i16(k13), z1.zip_high_i16(z3).dot_i16(k13));
    if !QUARTER {
        odd_low = odd_low.add_i32(z5.zip_low_i16(z7).dot_i16(k57));
        odd_high = odd_high.add_i32(z5.zip_high_i16(z7).dot_i16(k57));
    }
    let even_low = z0.extend_low_i16().shl_i32(CONST_BITS + 2);
    let even_high = z0.extend_high_i16().shl_i32(CONST_BITS + 2);
    let first_pass = |sum: V128| {
        sum.add_i32(V128::splat_i32(1 << (CONST_BITS - PASS1_BITS + 1))).shr_i32(CONST_BITS - PASS1_BITS + 2)
    };
    let (top_low, bottom_low) = (first_pass(even_low.add_i32(odd_low)), first_pass(even_low.sub_i32(odd_low)));
    let top = V128::narrow_i32(top_low, first_pass(even_high.add_i32(odd_high)));
    let bottom = V128::narrow_i32(bottom_low, first_pass(even_high.sub_i32(odd_high)));
    // Pass 2: each row's odd part, columns 1, 3, 5 and 7, summed across its
    // lanes, both rows at once: [top, bottom, top, bottom].
    let k1357 = V128::i16s([0, 29692, 0, -10426, 0, 6967, 0, -5906]);
    let (top_pairs, bottom_pairs) = (top.dot_i16(k1357), bottom.dot_i16(k1357));
    let halves = top_pairs.zip_low_i32(bottom_pairs).add_i32(top_pairs.zip_high_i32(bottom_pairs));
    let odd = halves.zip_low_i64(halves).add_i32(halves.zip_high_i64(halves));
    let firsts = top_low.zip_low_i32(bottom_low);
    let even = firsts.zip_low_i64(firsts).shl_i32(CONST_BITS + 2);
    // Pixels (0, 0), (1, 0), (0, 1), (1, 1); the 128 added before the
    // shift, as a multiple of 2^20, changes no rounding.
    let bits = CONST_BITS + PASS1_BITS + 3 + 2;
    let sums = even.add_i32(odd).zip_low_i64(even.sub_i32(odd));
    let pixels = sums.add_i32(V128::splat_i32((1 << (bits - 1)) + (128 << bits))).shr_i32(bits);
    let [p00, p10, p01, p11] = V128::narrow_i16_to_u8(V128::narrow_i32(pixels, pixels), zero).first_bytes();
    for (row, pair) in [[p00, p01], [p10, p11]].into_iter().enumerate() {
        if let Some(pixels) = out.get_mut(row * stride..row * stride + 2) {
            pixels.copy_from_slice(&pair);
        }
    }
    true
}

/// libjpeg's 2x2 IDCT in 64-bit arithmetic, for any coefficients; with
/// `QUARTER`, for a block whose rows and columns 4 to 7 are zeros.
fn idct_2x2_wide<const QUARTER: bool>(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize) {
    // libjpeg's shortcuts for a column or row of zeros give what the full
    // step gives; left out, as in `idct_4x4`, since their tests mispredict.
    fn step(z0: i64, z1: i64, z3: i64, z5: i64, z7: i64) -> (i64, i64) {
        let even = z0 << (CONST_BITS + 2);
        let odd = z7 * -5906 + z5 * 6967 + z3 * -10426 + z1 * 29692;
        (even + odd, even - odd)
    }
    let mut work = [[0i64; 5]; 2];
    let columns: &[usize] = if QUARTER { &[0, 1, 3] } else { &[0, 1, 3, 5, 7] };
    for (index, &column) in columns.iter().enumerate() {
        let at = |row: usize| if QUARTER && row > 3 { 0 } else { dequantize(block, quant, row * 8 + column) };
        let (top, bottom) = step(at(0), at(1), at(3), at(5), at(7));
        work[0][index] = descale(top, CONST_BITS - PASS1_BITS + 2);
        work[1][index] = descale(bottom, CONST_BITS - PASS1_BITS + 2);
    }
    for (row, w) in work.iter().enumerate() {
        // Columns 5 and 7, zeros with `QUARTER`.
        let (w5, w7) = if QUARTER { (0, 0) } else { (w[3], w[4]) };
        let (first, second) = step(w[0], w[1], w[2], w5, w7);
        let bits = CONST_BITS + PASS1_BITS + 3 + 2;
        if let Some(pixels) = out.get_mut(row * stride..row * stride + 2) {
            pixels.copy_from_slice(&[clamp(descale(first, bits)), clamp(descale(second, bits))]);
        }
    }
}

/// libjpeg's 4x4 IDCT; with `QUARTER`, for a block whose rows and columns
/// 4 to 7 are zeros.
fn idct_4x4<const QUARTER: bool>(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize) {
    if !idct_4x4_lanes::<QUARTER>(block, quant, out, stride) {
        idct_4x4_wide::<QUARTER>(block, quant, out, stride);
    }
}

/// [`idct_4x4_wide`]'s arithmetic in i16 and i32 lanes where every
/// dequantized coefficient lies in -1024..=1023 (libjpeg's range for 8-bit
/// samples is about +-1100): the first pass's results then fit in i16 and
/// the second pass's sums stay below 2^31. Writes nothing and returns false
/// for a block outside that range.
fn idct_4x4_lanes<const QUARTER: bool>(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize) -> bool {
    let zero = V128::splat_i16(0);
    let row = |index: usize| dequantized_row(block, quant, index);
    let (z0, z1, z2, z3) = (row(0), row(1), row(2), row(3));
    let (z5, z6, z7) = if QUARTER { (zero, zero, zero) } else { (row(5), row(6), row(7)) };
    if !within(&[z0, z1, z2, z3, z5, z6, z7], 1024) {
        return false;
    }
    let pairs = |first: i16, second: i16| V128::i16s([first, second, first, second, first, second, first, second]);
    // Pass 1, the columns in lanes, four at a time; rows paired for dot products.
    let half = |zip: fn(V128, V128) -> V128, extend: fn(V128) -> V128| -> [V128; 4] {
        let even = extend(z0).shl_i32(CONST_BITS + 1);
        let tmp2 = zip(z2, z6).dot_i16(pairs(15137, -6270));
        let (tmp10, tmp12) = (even.add_i32(tmp2), even.sub_i32(tmp2));
        let (z75, z31) = (zip(z7, z5), zip(z3, z1));
        let odd0 = z75.dot_i16(pairs(-1730, 11893)).add_i32(z31.dot_i16(pairs(-17799, 8697)));
        let odd2 = z75.dot_i16(pairs(-4176, -4926)).add_i32(z31.dot_i16(pairs(7373, 20995)));
        let bits = CONST_BITS - PASS1_BITS + 1;
        [tmp10.add_i32(odd2), tmp12.add_i32(odd0), tmp12.sub_i32(odd0), tmp10.sub_i32(odd2)]
            .map(|sum| sum.add_i32(V128::splat_i32(1 << (bits - 1))).shr_i32(bits))
    };
    let (low, high) = (half(V128::zip_low_i16, V128::extend_low_i16), half(V128::zip_high_i16, V128::extend_high_i16));
    // Pass 2, a row at a time: output j is the dot product of the row with
    // OUTPUTS[j], the same step written as one linear map of columns 0 to 7.
    const OUTPUTS: [[i16; 8]; 4] = [
        [16384, 20995, 15137, 7373, 0, -4926, -6270, -4176],
        [16384, 8697, -15137, -17799, 0, 11893, 6270, -1730],
        [16384, -8697, -15137, 17799, 0, -11893, 6270, 1730],
        [16384, -20995, 15137, -7373, 0, 4926, -6270, 4176],
    ];
    let outputs = OUTPUTS.map(V128::i16s);
    let bits = CONST_BITS + PASS1_BITS + 3 + 1;
    let rows: [V128; 4] = std::array::from_fn(|index| {
        let work = V128::narrow_i32(low[index], high[index]);
        let [d0, d1, d2, d3] = outputs.map(|output| work.dot_i16(output));
        let first = d0.zip_low_i32(d1).add_i32(d0.zip_high_i32(d1));
        let second = d2.zip_low_i32(d3).add_i32(d2.zip_high_i32(d3));
        let sums = first.zip_low_i64(second).add_i32(first.zip_high_i64(second));
        // The 128 added before the shift, a multiple of 2^19, changes no rounding.
        sums.add_i32(V128::splat_i32((1 << (bits - 1)) + (128 << bits))).shr_i32(bits)
    });
    let mut pixels = [0u8; 16];
    V128::narrow_i16_to_u8(V128::narrow_i32(rows[0], rows[1]), V128::narrow_i32(rows[2], rows[3])).store(&mut pixels);
    for (index, values) in pixels.chunks_exact(4).enumerate() {
        if let Some(target) = out.get_mut(index * stride..index * stride + 4) {
            target.copy_from_slice(values);
        }
    }
    true
}

/// libjpeg's 4x4 IDCT in 64-bit arithmetic, for any coefficients; with
/// `QUARTER`, for a block whose rows and columns 4 to 7 are zeros.
fn idct_4x4_wide<const QUARTER: bool>(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize) {
    // The even and odd halves of libjpeg's 8-to-4 step.
    fn step(z0: i64, z2: i64, z6: i64, z1: i64, z3: i64, z5: i64, z7: i64) -> [i64; 4] {
        let tmp0 = z0 << (CONST_BITS + 1);
        let tmp2 = z2 * 15137 + z6 * -6270;
        let (tmp10, tmp12) = (tmp0 + tmp2, tmp0 - tmp2);
        let odd0 = z7 * -1730 + z5 * 11893 + z3 * -17799 + z1 * 8697;
        let odd2 = z7 * -4176 + z5 * -4926 + z3 * 7373 + z1 * 20995;
        [tmp10 + odd2, tmp12 + odd0, tmp12 - odd0, tmp10 - odd2]
    }
    // No shortcut for a column or row of zeros (libjpeg's): the full step
    // gives the same values, and a photo's blocks mix both kinds, so the
    // test mispredicts (measured on a 12 MP draft at 1/4: 85 -> 77 ms).
    let mut work = [0i64; 32];
    let columns: &[usize] = if QUARTER { &[0, 1, 2, 3] } else { &[0, 1, 2, 3, 5, 6, 7] };
    for &column in columns {
        let at = |row: usize| if QUARTER && row > 3 { 0 } else { dequantize(block, quant, row * 8 + column) };
        let values = step(at(0), at(2), at(6), at(1), at(3), at(5), at(7));
        for (row, value) in values.iter().enumerate() {
            work[row * 8 + column] = descale(*value, CONST_BITS - PASS1_BITS + 1);
        }
    }
    for row in 0..4 {
        let w = &work[row * 8..row * 8 + 8];
        // Columns 5 to 7, zeros with `QUARTER`.
        let (w5, w6, w7) = if QUARTER { (0, 0, 0) } else { (w[5], w[6], w[7]) };
        let values = step(w[0], w[2], w6, w[1], w[3], w5, w7);
        let pixels = values.map(|value| clamp(descale(value, CONST_BITS + PASS1_BITS + 3 + 1)));
        if let Some(target) = out.get_mut(row * stride..row * stride + 4) {
            target.copy_from_slice(&pixels);
        }
    }
}

/// libjpeg's slow-but-accurate integer IDCT (jidctint.c's islow), one 1-D
/// pass: eight values in, eight out before descaling.
fn islow_step(s: [i64; 8]) -> [i64; 8] {
    let z1 = (s[2] + s[6]) * 4433;
    let tmp2 = z1 + s[6] * -15137;
    let tmp3 = z1 + s[2] * 6270;
    let tmp0 = (s[0] + s[4]) << CONST_BITS;
    let tmp1 = (s[0] - s[4]) << CONST_BITS;
    let (tmp10, tmp13, tmp11, tmp12) = (tmp0 + tmp3, tmp0 - tmp3, tmp1 + tmp2, tmp1 - tmp2);
    let (mut o0, mut o1, mut o2, mut o3) = (s[7], s[5], s[3], s[1]);
    let (z1, z2, z3, z4) = (o0 + o3, o1 + o2, o0 + o2, o1 + o3);
    let z5 = (z3 + z4) * 9633;
    o0 *= 2446;
    o1 *= 16819;
    o2 *= 25172;
    o3 *= 12299;
    let (z1, z2) = (z1 * -7373, z2 * -20995);
    let (z3, z4) = (z3 * -16069 + z5, z4 * -3196 + z5);
    o0 += z1 + z3;
    o1 += z2 + z4;
    o2 += z2 + z3;
    o3 += z1 + z4;
    [tmp10 + o3, tmp11 + o2, tmp12 + o1, tmp13 + o0, tmp13 - o0, tmp12 - o1, tmp11 - o2, tmp10 - o3]
}

fn idct_8x8(block: &[i16; 64], quant: &[i16; 64], out: &mut [u8], stride: usize) {
    let mut work = [0i64; 64];
    for column in 0..8 {
        if (1..8).all(|row| block[row * 8 + column] == 0) {
            let dc = dequantize(block, quant, column) << PASS1_BITS;
            for row in 0..8 {
                work[row * 8 + column] = dc;
            }
            continue;
        }
        let values = islow_step(std::array::from_fn(|row| dequantize(block, quant, row * 8 + column)));
        for (row, value) in values.iter().enumerate() {
            work[row * 8 + column] = descale(*value, CONST_BITS - PASS1_BITS);
        }
    }
    for row in 0..8 {
        let w: [i64; 8] = std::array::from_fn(|index| work[row * 8 + index]);
        let pixels: [u8; 8] = if w[1..].iter().all(|&value| value == 0) {
            [clamp(descale(w[0], PASS1_BITS + 3)); 8]
        } else {
            islow_step(w).map(|value| clamp(descale(value, CONST_BITS + PASS1_BITS + 3)))
        };
        if let Some(target) = out.get_mut(row * stride..row * stride + 8) {
            target.copy_from_slice(&pixels);
        }
    }
}

/// The component's plane brought to `out_w` x `out_h` samples as libjpeg's
/// upsampler does (jdsample.c): as it is, the triangle ("fancy") filters
/// for 2:1 across, down or both (not at 1/8 scale, where libjpeg has no
/// context rows for them), or each sample repeated; None when the plane
/// has them already (read it at its own stride).
fn upsample(component: &Component, frame: &Frame, least: usize, out_w: usize, out_h: usize) -> Result<Option<Vec<u8>>> {
    let h_in = component.h * component.size / least;
    let v_in = component.v * component.size / least;
    let (h_out, v_out) = (frame.max_h, frame.max_v);
    let fancy = least > 1;
    let stride = component.stride();
    let rows = component.blocks_h * component.size;
    let width = (frame.width * component.h * component.size).div_ceil(frame.max_h * 8);
    let height = (frame.height * component.v * component.size).div_ceil(frame.max_v * 8);
    let plane = &component.plane;
    let sample = |x: usize, y: usize| plane[y.min(rows - 1) * stride + x.min(stride - 1)];
    if h_in == 0 || v_in == 0 || h_out % h_in != 0 || v_out % v_in != 0 {
        return Err(damaged("its sampling factors are not supported"));
    }
    let (h_expand, v_expand) = (h_out / h_in, v_out / v_in);
    let wide = fancy && width > 2;
    let (across, down) = match (h_expand, v_expand) {
        (2, 1) => (wide, false),
        (1, 2) => (false, fancy),
        (2, 2) => (wide, wide),
        _ => (false, false),
    };
    if (h_expand, v_expand) == (1, 1) && out_w <= stride && out_h <= rows {
        return Ok(None);
    }
    let mut out = try_alloc(out_w * out_h)?;
    let mut row = vec![0u8; 2 * width.max(1)];
    for (y, target) in out.chunks_exact_mut(out_w).enumerate() {
        let source = y / v_expand;
        if !down && !across {
            for (x, value) in target.iter_mut().enumerate() {
                *value = sample(x / h_expand, source);
            }
            continue;
        }
        if down {
            // The nearer row thrice, the next nearer once; past the first
            // and last rows, themselves.
            let near = source.min(height - 1);
            let other = if y % 2 == 0 { near.saturating_sub(1) } else { (near + 1).min(height - 1) };
            let sum = |x: usize| 3 * i32::from(sample(x, near)) + i32::from(sample(x, other));
            if !across {
                let bias = if y % 2 == 0 { 1 } else { 2 };
                for (x, value) in target.iter_mut().enumerate() {
                    *value = ((sum(x) + bias) >> 2) as u8;
                }
                continue;
            }
            for column in 0..width {
                let this = sum(column);
                let last = if column == 0 { this } else { sum(column - 1) };
                let next = if column + 1 == width { this } else { sum(column + 1) };
                row[2 * column] = ((3 * this + last + 8) >> 4) as u8;
                row[2 * column + 1] = ((3 * this + next + 7) >> 4) as u8;
            }
        } else {
            let value = |x: usize| i32::from(sample(x, source));
            for column in 0..width {
                let this = 3 * value(column);
                let last = if column == 0 { value(0) } else { value(column - 1) };
                let next = if column + 1 == width { value(column) } else { value(column + 1) };
                row[2 * column] = ((this + last + 1) >> 2) as u8;
                row[2 * column + 1] = ((this + next + 2) >> 2) as u8;
            }
            row[0] = value(0) as u8;
            row[2 * width - 1] = value(width - 1) as u8;
        }
        let count = out_w.min(row.len());
        target[..count].copy_from_slice(&row[..count]);
    }
    Ok(Some(out))
}

/// Each pixel of `out` (RGBA) from the three planes' samples at its place.
fn convert_each(out: &mut [u8], (a, b, c): (&[u8], &[u8], &[u8]), convert: impl Fn(u8, u8, u8) -> [u8; 4]) {
    for (((pixel, &a), &b), &c) in out.chunks_exact_mut(4).zip(a).zip(b).zip(c) {
        pixel.copy_from_slice(&convert(a, b, c));
    }
}

/// libjpeg's YCbCr to RGB in 16-bit fixed point (jdcolor.c's tables).
fn ycc_to_rgb(y: u8, cb: u8, cr: u8) -> (u8, u8, u8) {
    const HALF: i32 = 1 << 15;
    let (y, cb, cr) = (i32::from(y), i32::from(cb) - 128, i32::from(cr) - 128);
    let red = y + ((91_881 * cr + HALF) >> 16);
    let green = y + ((-22_554 * cb - 46_802 * cr + HALF) >> 16);
    let blue = y + ((116_130 * cb + HALF) >> 16);
    let clamp = |value: i32| value.clamp(0, 255) as u8;
    (clamp(red), clamp(green), clamp(blue))
}

/// [`ycc_to_rgb`] of eight pixels at a time in 16-bit lanes, into `out`'s
/// RGBA; the number of pixels done. libjpeg's constants beyond i16 are
/// split into whole multiples of 2^16, which pass the shift unchanged
/// (91881 = 2^16 + 26345, -46802 = -2^16 + 18734, 116130 = 2^17 - 14942),
/// so that each product is a dot product of i16 pairs; the rounding 2^15
/// rides one as 2 x 16384. Narrowing with saturation is the clamp.
fn ycc_to_rgba_lanes((luma, blue, red): (&[u8], &[u8], &[u8]), out: &mut [u8]) -> usize {
    let pairs = |first: i16, second: i16| V128::i16s([first, second, first, second, first, second, first, second]);
    let (red_weights, green_weights, blue_weights) =
        (pairs(26_345, 16_384), pairs(-22_554, 18_734), pairs(-14_942, 16_384));
    let (centre, twos, half) = (V128::splat_i16(128), V128::splat_i16(2), V128::splat_i32(1 << 15));
    // Both halves' i32 sums shifted back to i16.
    let high_parts = |low: V128, high: V128| V128::narrow_i32(low.shr_i32(16), high.shr_i32(16));
    // The bytes of 8 lanes of the first then of the second, interleaved.
    let interleave = V128::bytes([0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15]);
    let opaque = V128::splat_i16(255);
    let count = luma.len().min(blue.len()).min(red.len()).min(out.len() / 4);
    let mut x = 0;
    while x + 8 <= count {
        let y = V128::load_widened(&luma[x..]);
        let (cb, cr) = (V128::load_widened(&blue[x..]).sub_i16(centre), V128::load_widened(&red[x..]).sub_i16(centre));
        let red_part =
            high_parts(cr.zip_low_i16(twos).dot_i16(red_weights), cr.zip_high_i16(twos).dot_i16(red_weights));
        let green_part = high_parts(
            cb.zip_low_i16(cr).dot_i16(green_weights).add_i32(half),
            cb.zip_high_i16(cr).dot_i16(green_weights).add_i32(half),
        );
        let blue_part =
            high_parts(cb.zip_low_i16(twos).dot_i16(blue_weights), cb.zip_high_i16(twos).dot_i16(blue_weights));
        let red_green = V128::narrow_i16_to_u8(y.add_i16(cr).add_i16(red_part), y.sub_i16(cr).add_i16(green_part))
            .swizzle(interleave);
        let blue_alpha =
            V128::narrow_i16_to_u8(y.add_i16(cb).add_i16(cb).add_i16(blue_part), opaque).swizzle(interleave);
        red_green.zip_low_i16(blue_alpha).store(&mut out[x * 4..]);
        red_green.zip_high_i16(blue_alpha).store(&mut out[x * 4 + 16..]);
        x += 8;
    }
    x
}

/// libjpeg's RGB to grey (jdcolor.c's rgb_gray_convert).
fn rgb_to_grey(red: u8, green: u8, blue: u8) -> u8 {
    ((19_595 * u32::from(red) + 38_470 * u32::from(green) + 7_471 * u32::from(blue) + 32_768) >> 16) as u8
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;
    use crate::jpeg::{JpegColour, JpegSettings, decode_jpeg, encode_jpeg, sampling_factor};

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    fn picture(width: u32, height: u32) -> Vec<u8> {
        (0..width * height)
            .flat_map(|index| {
                let (x, y) = (index % width, index / width);
                [(x * 255 / width) as u8, (y * 255 / height) as u8, ((x * y) % 256) as u8, 255]
            })
            .collect()
    }

    fn file(width: u32, height: u32, subsampling: u32, progressive: bool) -> Vec<u8> {
        let mut settings = JpegSettings::new(90, sampling_factor(subsampling).unwrap());
        settings.progressive = progressive;
        settings.restart_interval = if progressive { 0 } else { 2 };
        encode_jpeg(&picture(width, height), width, height, JpegColour::Rgba, &settings).unwrap()
    }

    #[test]
    fn each_scale_rounds_the_size_up() {
        let jpeg = file(127, 93, 2, false);
        for (scale, size) in [(1, (127, 93)), (2, (64, 47)), (4, (32, 24)), (8, (16, 12))] {
            let decoded = decode_jpeg_draft(&jpeg, LIMITS, scale, DraftColour::Native, false).unwrap();
            assert_eq!((decoded.width, decoded.height), size, "1/{scale}");
            assert_eq!(decoded.pixels.len(), (size.0 * size.1 * 4) as usize);
        }
        let error = decode_jpeg_draft(&jpeg, LIMITS, 3, DraftColour::Native, false).unwrap_err();
        assert_eq!(error.kind(), crate::error::ErrorKind::OutOfRange);
    }

    #[test]
    fn progressive_and_baseline_files_give_the_same_pixels() {
        // The same coefficients, sent in one scan or in several.
        for subsampling in [0, 1, 2] {
            let (baseline, progressive) = (file(61, 45, subsampling, false), file(61, 45, subsampling, true));
            for scale in [1, 2, 4, 8] {
                for colour in [DraftColour::Native, DraftColour::Grey, DraftColour::YCbCr] {
                    assert_eq!(
                        decode_jpeg_draft(&baseline, LIMITS, scale, colour, false).unwrap(),
                        decode_jpeg_draft(&progressive, LIMITS, scale, colour, false).unwrap(),
                        "subsampling {subsampling}, 1/{scale}, {colour:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn full_size_is_close_to_the_full_decode_and_smaller_sizes_to_its_means() {
        let jpeg = file(64, 48, 2, false);
        let full = decode_jpeg(&jpeg, LIMITS).unwrap();
        let ours = decode_jpeg_draft(&jpeg, LIMITS, 1, DraftColour::Native, false).unwrap();
        let worst = full.pixels.iter().zip(&ours.pixels).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 3, "worst difference {worst}");
        let eighth = decode_jpeg_draft(&jpeg, LIMITS, 8, DraftColour::Native, false).unwrap();
        for (index, pixel) in eighth.pixels.chunks_exact(4).enumerate() {
            let (bx, by) = (index % 8, index / 8);
            for (band, &value) in pixel.iter().enumerate().take(3) {
                let sum: u32 = (0..64)
                    .map(|at| u32::from(full.pixels[((by * 8 + at / 8) * 64 + bx * 8 + at % 8) * 4 + band]))
                    .sum();
                assert!(u32::from(value).abs_diff(sum / 64) <= 12, "block {bx},{by} band {band}");
            }
        }
    }

    #[test]
    fn grey_is_the_luma_and_ycbcr_the_components() {
        let jpeg = file(32, 32, 0, false);
        let grey = decode_jpeg_draft(&jpeg, LIMITS, 2, DraftColour::Grey, false).unwrap();
        let ycbcr = decode_jpeg_draft(&jpeg, LIMITS, 2, DraftColour::YCbCr, false).unwrap();
        for (grey, ycbcr) in grey.pixels.chunks_exact(4).zip(ycbcr.pixels.chunks_exact(4)) {
            assert_eq!(grey, [ycbcr[0], ycbcr[0], ycbcr[0], 255]);
            assert_eq!(ycbcr[3], 255);
        }
    }

    #[test]
    fn damaged_and_truncated_files_give_errors_not_panics() {
        let jpeg = file(24, 16, 2, true);
        for cut in [1, 3, 20, jpeg.len() / 2, jpeg.len() - 2] {
            assert!(decode_jpeg_draft(&jpeg[..cut], LIMITS, 4, DraftColour::Native, false).is_err(), "cut {cut}");
            drop(decode_jpeg_draft(&jpeg[..cut], LIMITS, 4, DraftColour::Native, true));
        }
        decode_with_each_byte_flipped(&jpeg, 2, &[0x5A, 0xFF], |flipped| {
            for scale in [1, 2, 8] {
                drop(decode_jpeg_draft(flipped, LIMITS, scale, DraftColour::Native, false));
            }
        });
    }

    #[test]
    fn the_reduced_idcts_of_a_flat_block_are_its_mean() {
        let mut block = [0i16; 64];
        block[0] = 40;
        let quant = [2i16; 64];
        let (mut one, mut two, mut four, mut eight) = ([0u8; 1], [0u8; 4], [0u8; 16], [0u8; 64]);
        idct_1x1(&block, &quant, &mut one);
        idct_2x2::<false>(&block, &quant, &mut two, 2);
        idct_4x4::<false>(&block, &quant, &mut four, 4);
        idct_8x8(&block, &quant, &mut eight, 8);
        // DC 80 is a mean of 10 above mid grey.
        assert!([&one[..], &two, &four, &eight].iter().all(|pixels| pixels.iter().all(|&value| value == 138)));
        // libjpeg's 1x1 limits through a 10-bit mask: far out of range wraps.
        block[0] = 1024;
        idct_1x1(&block, &[8; 64], &mut one);
        assert_eq!(one[0], 128);
    }

    #[test]
    fn the_colour_conversion_in_lanes_is_libjpegs() {
        let blue: Vec<u8> = (0..65_536).map(|index| (index >> 8) as u8).collect();
        let red: Vec<u8> = (0..65_536).map(|index| index as u8).collect();
        for y in [0, 1, 77, 128, 200, 254, 255] {
            let luma = vec![y; 65_536];
            let mut out = vec![0u8; 4 * 65_536];
            assert_eq!(ycc_to_rgba_lanes((&luma, &blue, &red), &mut out), 65_536);
            for (index, pixel) in out.chunks_exact(4).enumerate() {
                let (r, g, b) = ycc_to_rgb(y, blue[index], red[index]);
                assert_eq!(pixel, [r, g, b, 255], "y {y} cb {} cr {}", blue[index], red[index]);
            }
        }
    }

    #[test]
    fn scan_data_is_read_unstuffed_interval_by_interval_then_zeros() {
        let file = [0xAA, 0x12, 0xFF, 0x00, 0x34, 0xFF, 0xFF, 0xD0, 0x56, 0xFF, 0xD9, 0x99];
        let mut bits = Bits::new(&file, 1).unwrap();
        assert_eq!(bits.end(), 9, "the data ends where the marker after it starts");
        assert_eq!([bits.bits(4), bits.bits(4), bits.bits(8), bits.bits(8)], [1, 2, 0xFF, 0x34]);
        assert_eq!([bits.bits(16), bits.bits(16), bits.bits(16)], [0, 0, 0], "zeros after an interval");
        bits.restart();
        assert_eq!([bits.bits(8), bits.bits(16), bits.bits(16)], [0x56, 0, 0]);
        bits.restart();
        assert_eq!([bits.bits(16), bits.bits(16)], [0, 0], "zeros after the last interval");
        let mut empty = Bits::new(&file, file.len()).unwrap();
        assert_eq!((empty.bits(16), empty.end()), (0, file.len()));
    }

    type Idct = fn(&[i16; 64], &[i16; 64], &mut [u8], usize);
    type IdctInLanes = fn(&[i16; 64], &[i16; 64], &mut [u8], usize) -> bool;

    /// The IDCT of `size` in lanes against the wide one on random blocks:
    /// the same pixels where the coefficients the lanes read lie within
    /// `limit`, nothing written elsewhere; `idct_flat` likewise on DC alone.
    fn check_idct_in_lanes(
        size: usize,
        limit: i64,
        [wide, wide_quarter]: [Idct; 2],
        [lanes, lanes_quarter]: [IdctInLanes; 2],
    ) {
        let mut next = crate::xorshift32(0x2545_F491 + size as u32);
        let (mut in_lanes, mut refused) = (0, 0);
        for round in 0..20_000 {
            let mut block = [0i16; 64];
            let quarter = round % 2 == 0;
            for row in (0..8).filter(|&row| !quarter || row < 4) {
                for column in (0..8).filter(|&column| !quarter || column < 4) {
                    // Mostly libjpeg's range, some far beyond it.
                    let magnitude = match next() % 64 {
                        0 => 32767,
                        1 => next() % 32768,
                        _ => next() % 128,
                    };
                    if next() % 3 == 0 {
                        block[row * 8 + column] = (magnitude as i32 * if next() % 2 == 0 { 1 } else { -1 }) as i16;
                    }
                }
            }
            let quant: [i16; 64] =
                std::array::from_fn(|_| if next() % 64 == 0 { -1 } else { 1 + (next() % 16) as i16 });
            let (mut by_wide, mut by_lanes) = ([0u8; 16], [0u8; 16]);
            let (wide, lanes) = if quarter { (wide_quarter, lanes_quarter) } else { (wide, lanes) };
            wide(&block, &quant, &mut by_wide, size);
            let taken = lanes(&block, &quant, &mut by_lanes, size);
            // The rows the IDCT reads: all but 4 (and 6 at 2x2), 0 to 3 with `QUARTER`.
            let read = |row: usize| row != 4 && (size == 4 || row != 2 && row != 6) && (!quarter || row < 4);
            let in_range = (0..64)
                .filter(|index| read(index / 8))
                .all(|index| (-limit..limit).contains(&dequantize(&block, &quant, index)));
            assert_eq!(taken, in_range, "{block:?} {quant:?}");
            if taken {
                assert_eq!(by_lanes, by_wide, "{block:?} {quant:?}");
                in_lanes += 1;
            } else {
                assert_eq!(by_lanes, [0; 16], "nothing written for a block out of range");
                refused += 1;
            }
            let flat = std::array::from_fn(|index| if index == 0 { block[0] } else { 0 });
            let (mut by_flat, mut by_wide) = ([0u8; 16], [0u8; 16]);
            idct_flat(&flat, &quant, &mut by_flat, size, size);
            wide(&flat, &quant, &mut by_wide, size);
            assert_eq!(by_flat, by_wide, "DC {}", flat[0]);
        }
        assert!(in_lanes > 3000 && refused > 3000, "{in_lanes} in lanes, {refused} refused");
    }

    #[test]
    fn the_2x2_and_4x4_idcts_in_lanes_and_for_flat_blocks_are_the_wide_ones() {
        check_idct_in_lanes(
            2,
            2048,
            [idct_2x2_wide::<false>, idct_2x2_wide::<true>],
            [idct_2x2_lanes::<false>, idct_2x2_lanes::<true>],
        );
        check_idct_in_lanes(
            4,
            1024,
            [idct_4x4_wide::<false>, idct_4x4_wide::<true>],
            [idct_4x4_lanes::<false>, idct_4x4_lanes::<true>],
        );
    }

    #[test]
    fn the_quarter_idcts_are_the_full_ones_where_the_rest_is_zeros() {
        let mut next = crate::xorshift32(0x9E37_79B9);
        for round in 0..2000 {
            let mut block = [0i16; 64];
            let last = (next() as usize % (TOP_LEFT_QUARTER + 1)).max(round % 2);
            for k in 0..=last {
                // Values up to libjpeg's largest, some at the extremes.
                let magnitude = if next() % 8 == 0 { 32767 } else { next() % 2048 };
                block[usize::from(NATURAL[k])] = (magnitude as i32 * if next() % 2 == 0 { 1 } else { -1 }) as i16;
            }
            let quant: [i16; 64] = std::array::from_fn(|_| 1 + (next() % 255) as i16);
            let (mut two, mut two_quarter, mut four, mut four_quarter) = ([0u8; 4], [0u8; 4], [0u8; 16], [0u8; 16]);
            idct_2x2::<false>(&block, &quant, &mut two, 2);
            idct_2x2::<true>(&block, &quant, &mut two_quarter, 2);
            idct_4x4::<false>(&block, &quant, &mut four, 4);
            idct_4x4::<true>(&block, &quant, &mut four_quarter, 4);
            assert_eq!((two, four), (two_quarter, four_quarter), "{block:?}");
        }
    }
}
