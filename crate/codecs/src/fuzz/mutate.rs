//! Mutations that reach past a decoder's first checks: bit flips, bytes set
//! to edge values, truncation, duplicated or dropped chunks, length and size
//! fields set to extremes, splices of two files; PNG chunks get their CRC
//! fixed up afterwards, so a mutation reaches the decoder instead of
//! failing the checksum.

use std::ops::Range;

/// SplitMix64: small, fast, and the same sequence on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (`bound` > 0).
    pub fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug, Hash, PartialOrd, Ord)]
pub enum Format {
    Png,
    Jpeg,
    Gif,
    Webp,
    Bmp,
    Ppm,
    Tga,
    Pcx,
    Ico,
    Tiff,
    Sgi,
    Fli,
    Jpeg2000,
}

impl Format {
    pub const ALL: [Format; 13] = [
        Format::Png,
        Format::Jpeg,
        Format::Gif,
        Format::Webp,
        Format::Bmp,
        Format::Ppm,
        Format::Pcx,
        Format::Ico,
        Format::Tiff,
        Format::Sgi,
        Format::Fli,
        Format::Jpeg2000,
        Format::Tga,
    ];

    pub fn of(file: &[u8]) -> Option<Self> {
        if file.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(Self::Png)
        } else if file.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(Self::Jpeg)
        } else if crate::gif::is_gif(file) {
            Some(Self::Gif)
        } else if file.len() >= 12 && &file[..4] == b"RIFF" && &file[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else if file.starts_with(b"BM") {
            Some(Self::Bmp)
        } else if crate::ppm::is_ppm(file) {
            Some(Self::Ppm)
        } else if crate::ico::is_ico(file) {
            Some(Self::Ico)
        } else if crate::tiff::is_tiff(file) {
            Some(Self::Tiff)
        } else if crate::pcx::is_pcx(file) {
            Some(Self::Pcx)
        } else if crate::sgi::is_sgi(file) {
            Some(Self::Sgi)
        } else if crate::fli::is_fli(file) {
            Some(Self::Fli)
        } else if crate::jpeg2000::is_jpeg2000(file) {
            Some(Self::Jpeg2000)
        } else if crate::tga::is_tga(file) {
            Some(Self::Tga)
        } else {
            None
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpeg => "JPEG",
            Self::Gif => "GIF",
            Self::Webp => "WebP",
            Self::Bmp => "BMP",
            Self::Ppm => "PPM",
            Self::Tga => "TGA",
            Self::Pcx => "PCX",
            Self::Ico => "ICO",
            Self::Tiff => "TIFF",
            Self::Sgi => "SGI",
            Self::Fli => "FLI",
            Self::Jpeg2000 => "JPEG2000",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpeg => "jpg",
            Self::Gif => "gif",
            Self::Webp => "webp",
            Self::Bmp => "bmp",
            Self::Ppm => "ppm",
            Self::Tga => "tga",
            Self::Pcx => "pcx",
            Self::Ico => "ico",
            Self::Tiff => "tif",
            Self::Sgi => "sgi",
            Self::Fli => "fli",
            Self::Jpeg2000 => "jp2",
        }
    }

    /// Bytes at the start that identify the format; most mutations leave
    /// them alone, so that the file reaches its decoder.
    fn signature_len(self) -> usize {
        match self {
            Self::Png => 8,
            Self::Jpeg => 3,
            Self::Gif => 6,
            Self::Webp => 12,
            Self::Bmp => 2,
            Self::Ppm => 2,
            // No signature: the colour map flag and image type keep it one.
            Self::Tga => 3,
            Self::Pcx => 2,
            Self::Ico => 4,
            Self::Tiff => 4,
            Self::Sgi => 2,
            // The magic number and flags are at 4 and 14: keep the start.
            Self::Fli => 16,
            // A raw codestream's SOC and SIZ markers, or JP2's signature box.
            Self::Jpeg2000 => 4,
        }
    }
}

/// A stored number: where, how many bytes, and in which byte order.
#[derive(Clone, Copy)]
struct Field {
    at: usize,
    width: usize,
    big_endian: bool,
}

impl Field {
    fn be(at: usize, width: usize) -> Self {
        Self { at, width, big_endian: true }
    }

    fn le(at: usize, width: usize) -> Self {
        Self { at, width, big_endian: false }
    }

    fn read(self, file: &[u8]) -> u64 {
        let bytes = &file[self.at..self.at + self.width];
        let append = |value: u64, &byte: &u8| (value << 8) | u64::from(byte);
        if self.big_endian { bytes.iter().fold(0, append) } else { bytes.iter().rev().fold(0, append) }
    }

    fn write(self, file: &mut [u8], value: u64) {
        for index in 0..self.width {
            let shift = 8 * if self.big_endian { self.width - 1 - index } else { index };
            file[self.at + index] = (value >> shift) as u8;
        }
    }
}

/// The chunks (whole, header included) and the length and size fields of
/// a file, as far as its structure can be followed.
struct Structure {
    chunks: Vec<Range<usize>>,
    fields: Vec<Field>,
}

fn structure(format: Format, file: &[u8]) -> Structure {
    let mut chunks = Vec::new();
    let mut fields = Vec::new();
    let fits = |field: Field| field.at + field.width <= file.len();
    match format {
        Format::Png => {
            let mut at = 8;
            while at + 12 <= file.len() {
                let len = Field::be(at, 4).read(file) as usize;
                fields.push(Field::be(at, 4));
                if &file[at + 4..at + 8] == b"IHDR" {
                    fields.extend([Field::be(at + 8, 4), Field::be(at + 12, 4)]);
                }
                let end = at.saturating_add(12).saturating_add(len);
                if end > file.len() {
                    break;
                }
                chunks.push(at..end);
                at = end;
            }
        }
        Format::Jpeg => {
            let mut at = 2;
            while at + 4 <= file.len() && file[at] == 0xFF {
                let marker = file[at + 1];
                let len = Field::be(at + 2, 2).read(file) as usize;
                fields.push(Field::be(at + 2, 2));
                if matches!(marker, 0xC0..=0xC2) {
                    fields.extend([Field::be(at + 5, 2), Field::be(at + 7, 2)]);
                }
                let end = at + 2 + len;
                if marker == 0xDA {
                    // The scan's entropy-coded data runs to the next marker.
                    let next = file[end.min(file.len())..]
                        .windows(2)
                        .position(|pair| pair[0] == 0xFF && pair[1] != 0 && !(0xD0..=0xD7).contains(&pair[1]))
                        .map_or(file.len(), |offset| end + offset);
                    chunks.push(at..next);
                    at = next;
                    continue;
                }
                if end > file.len() {
                    break;
                }
                chunks.push(at..end);
                at = end;
            }
        }
        Format::Gif => {
            fields.extend([Field::le(6, 2), Field::le(8, 2)]);
            let mut at = 13;
            if file.get(10).is_some_and(|flags| flags & 0x80 != 0) {
                at += 3 << ((file[10] & 7) + 1);
            }
            while at < file.len() {
                let start = at;
                match file[at] {
                    b'!' => at += 2,
                    b',' => {
                        fields.extend([
                            Field::le(at + 1, 2),
                            Field::le(at + 3, 2),
                            Field::le(at + 5, 2),
                            Field::le(at + 7, 2),
                        ]);
                        let flags = file.get(at + 9).copied().unwrap_or(0);
                        at += 10 + if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 } + 1;
                    }
                    _ => break,
                }
                while at < file.len() && file[at] != 0 {
                    fields.push(Field::le(at, 1));
                    at += 1 + usize::from(file[at]);
                }
                at += 1;
                chunks.push(start..at.min(file.len()));
            }
        }
        Format::Webp => {
            fields.push(Field::le(4, 4));
            let mut at = 12;
            while at + 8 <= file.len() {
                fields.push(Field::le(at + 4, 4));
                if &file[at..at + 4] == b"VP8X" {
                    fields.extend([Field::le(at + 12, 3), Field::le(at + 15, 3)]);
                }
                let len = Field::le(at + 4, 4).read(file) as usize;
                let end = at.saturating_add(8).saturating_add(len + len % 2);
                if end > file.len() {
                    break;
                }
                chunks.push(at..end);
                at = end;
            }
        }
        Format::Bmp => {
            for (at, width) in [(2, 4), (10, 4), (14, 4), (18, 4), (22, 4), (28, 2), (30, 4), (34, 4), (46, 4), (54, 4)]
            {
                fields.push(Field::le(at, width));
            }
        }
        // Its numbers are text: the byte mutations reach them.
        Format::Ppm => {}
        Format::Ico => {
            for (at, width) in [(4, 2), (6, 1), (7, 1), (12, 2), (14, 4), (18, 4), (22, 4), (26, 4), (30, 4)] {
                fields.push(Field::le(at, width));
            }
        }
        // The first directory's entries (made here: little-endian, at 8): each value or offset.
        Format::Tiff => {
            for entry in 0..12 {
                fields.push(Field::le(10 + entry * 12 + 4, 4));
                fields.push(Field::le(10 + entry * 12 + 8, 4));
            }
        }
        // The header's sizes, then the RLE tables' first offsets and lengths.
        Format::Sgi => {
            for (at, width) in [(4, 2), (6, 2), (8, 2), (10, 2), (512, 4), (516, 4), (520, 4), (524, 4)] {
                fields.push(Field::be(at, width));
            }
        }
        // The main header's marker segments (from the codestream's start,
        // in a JP2 file after its boxes): lengths, and SIZ's sizes and
        // components, COD's and QCD's numbers; then SOT's tile-part length.
        Format::Jpeg2000 => {
            let start = file.windows(4).position(|window| window == [0xFF, 0x4F, 0xFF, 0x51]).unwrap_or(0);
            let mut at = start + 2;
            while at + 4 <= file.len() && file[at] == 0xFF {
                let marker = file[at + 1];
                let len = Field::be(at + 2, 2).read(file) as usize;
                fields.push(Field::be(at + 2, 2));
                match marker {
                    0x51 => {
                        for offset in (6..38).step_by(4) {
                            fields.push(Field::be(at + offset, 4));
                        }
                        fields.extend([Field::be(at + 38, 2), Field::be(at + 40, 1), Field::be(at + 41, 1)]);
                    }
                    0x52 | 0x5C => (5..len.min(14)).for_each(|offset| fields.push(Field::be(at + offset, 1))),
                    0x90 => {
                        fields.extend([Field::be(at + 4, 2), Field::be(at + 6, 4), Field::be(at + 10, 1)]);
                        chunks.push(at + 14..file.len());
                        break;
                    }
                    _ => {}
                }
                at += 2 + len;
            }
        }
        // The header's frame count and size, then each frame and its chunks.
        Format::Fli => {
            fields.extend([Field::le(6, 2), Field::le(8, 2), Field::le(10, 2)]);
            let mut at = 128;
            while at + 16 <= file.len() {
                let size = Field::le(at, 4).read(file) as usize;
                fields.extend([Field::le(at, 4), Field::le(at + 6, 2)]);
                let mut chunk = at + 16;
                while chunk + 10 <= file.len() && chunk < at.saturating_add(size) {
                    let len = Field::le(chunk, 4).read(file) as usize;
                    fields.extend([Field::le(chunk, 4), Field::le(chunk + 6, 2), Field::le(chunk + 8, 2)]);
                    chunks.push(chunk..chunk.saturating_add(len).min(file.len()));
                    if len == 0 {
                        break;
                    }
                    chunk += len;
                }
                if size == 0 || at.saturating_add(size) > file.len() {
                    break;
                }
                at += size;
            }
        }
        Format::Pcx => {
            for (at, width) in [(4, 2), (6, 2), (8, 2), (10, 2), (66, 2)] {
                fields.push(Field::le(at, width));
            }
        }
        Format::Tga => {
            for (at, width) in [(3, 2), (5, 2), (12, 2), (14, 2)] {
                fields.push(Field::le(at, width));
            }
        }
    }
    fields.retain(|&field| fits(field));
    Structure { chunks, fields }
}

/// Values a size or length field is set to: both ends of its range, just
/// around its current value and half way.
fn extreme(rng: &mut Rng, width: usize, current: u64) -> u64 {
    let max = if width >= 8 { u64::MAX } else { (1u64 << (8 * width)) - 1 };
    let choices = [
        0,
        1,
        max,
        max - 1,
        max / 2,
        max / 2 + 1,
        current.wrapping_add(1) & max,
        current.wrapping_sub(1) & max,
        current.wrapping_mul(2) & max,
        rng.next() & max,
    ];
    *rng.pick(&choices)
}

const EDGE_BYTES: [u8; 8] = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x10, 0x40];

/// One mutant of `file` (of `format`), and the name of the mutations made.
/// `donor` is another file of the same format to splice with.
pub fn mutate(rng: &mut Rng, format: Format, file: &[u8], donor: &[u8]) -> (Vec<u8>, &'static str) {
    let mut bytes = file.to_vec();
    let count = 1 + rng.below(3);
    let mut name = "";
    for _ in 0..count {
        name = mutate_once(rng, format, &mut bytes, donor);
    }
    if format == Format::Png && rng.below(10) != 0 {
        fix_png_crcs(&mut bytes);
    }
    (bytes, name)
}

fn mutate_once(rng: &mut Rng, format: Format, bytes: &mut Vec<u8>, donor: &[u8]) -> &'static str {
    // Mostly past the signature; now and then anywhere.
    let body = if rng.below(20) == 0 { 0 } else { format.signature_len().min(bytes.len()) };
    let position =
        |rng: &mut Rng, len: usize| if len > body { body + rng.below(len - body) } else { rng.below(len.max(1)) };
    if bytes.is_empty() {
        bytes.extend_from_slice(donor);
        return "splice";
    }
    let shape = structure(format, bytes);
    match rng.below(9) {
        0 => {
            for _ in 0..1 + rng.below(8) {
                let at = position(rng, bytes.len());
                if let Some(byte) = bytes.get_mut(at) {
                    *byte ^= 1 << rng.below(8);
                }
            }
            "bit flips"
        }
        1 => {
            for _ in 0..1 + rng.below(4) {
                let at = position(rng, bytes.len());
                let value = *rng.pick(&EDGE_BYTES);
                if let Some(byte) = bytes.get_mut(at) {
                    *byte = value;
                }
            }
            "edge bytes"
        }
        2 => {
            let keep = rng.below(bytes.len());
            bytes.truncate(keep);
            "truncation"
        }
        3 if !shape.chunks.is_empty() => {
            let chunk = within(rng.pick(&shape.chunks), bytes.len());
            let copy = bytes[chunk.clone()].to_vec();
            let times = if rng.below(4) == 0 { 2 + rng.below(40) } else { 1 };
            for _ in 0..times {
                bytes.splice(chunk.end..chunk.end, copy.iter().copied());
            }
            "chunk duplicated"
        }
        4 if !shape.chunks.is_empty() => {
            let chunk = within(rng.pick(&shape.chunks), bytes.len());
            bytes.drain(chunk);
            "chunk dropped"
        }
        5 | 6 if !shape.fields.is_empty() => {
            let field = *rng.pick(&shape.fields);
            let value = extreme(rng, field.width, field.read(bytes));
            field.write(bytes, value);
            "length or size at an extreme"
        }
        7 => {
            let at = position(rng, bytes.len());
            let len = 1 + rng.below(64);
            let end = (at + len).min(bytes.len());
            if rng.below(2) == 0 {
                let copy = bytes[at..end].to_vec();
                bytes.splice(end..end, copy);
                "bytes repeated"
            } else {
                bytes.drain(at..end);
                "bytes deleted"
            }
        }
        _ => {
            let cut = position(rng, bytes.len()).min(bytes.len());
            let from = rng.below(donor.len().max(1)).min(donor.len());
            bytes.truncate(cut);
            bytes.extend_from_slice(&donor[from..]);
            "splice"
        }
    }
}

/// Recomputes the CRC of every whole chunk.
fn fix_png_crcs(file: &mut [u8]) {
    let mut at = 8;
    while at + 12 <= file.len() {
        let len = u32::from_be_bytes([file[at], file[at + 1], file[at + 2], file[at + 3]]) as usize;
        let Some(end) = at.checked_add(12 + len).filter(|&end| end <= file.len()) else { break };
        let crc = crc32fast::hash(&file[at + 4..end - 4]);
        file[end - 4..end].copy_from_slice(&crc.to_be_bytes());
        at = end;
    }
}

/// A seed's chunk cut to the file as earlier mutations left it (shorter
/// than the seed, after a truncation or a dropped chunk).
fn within(chunk: &std::ops::Range<usize>, len: usize) -> std::ops::Range<usize> {
    chunk.start.min(len)..chunk.end.min(len)
}
