//! WOFF and WOFF2 font files unwrapped into the plain SFNT (TrueType or
//! OpenType) file they carry, as FreeType's `sfnt/sfwoff.c` and
//! `sfwoff2.c` do before reading the face: WOFF's tables are each
//! zlib-compressed; WOFF2's are one Brotli stream whose `glyf`, `loca` and
//! `hmtx` may be transformed (W3C WOFF2, section 5), which is reversed here.
//! Damaged files give FreeType's "broken table" (Pillow's `OSError`).
//! Also here: a TrueType `loca` FreeType reads otherwise than skrifa (an
//! offset below the one before it) rebuilt as FreeType reads it.

use crate::font::FontError;
use std::io::Read;

type WoffResult<T> = Result<T, FontError>;

const INVALID_TABLE: FontError = FontError::FreeType("broken table");
const OUT_OF_MEMORY: FontError = FontError::FreeType("out of memory");

/// Largest SFNT unwrapped: FreeType's WOFF2 reader refuses more too
/// (`WOFF2_DEFAULT_MAX_SIZE`, 30 MiB).
const MAX_SFNT: usize = 30 << 20;

/// The SFNT inside `data` when it is a WOFF or WOFF2 file, `None` for any
/// other file (read as it is).
pub fn unwrap(data: &[u8]) -> WoffResult<Option<Vec<u8>>> {
    match data.get(..4) {
        Some(b"wOFF") => woff1(data).map(Some),
        Some(b"wOF2") => woff2(data).map(Some),
        _ => Ok(None),
    }
}

/// A big-endian reader over a byte slice whose reads past the end fail.
struct Reader<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn new(data: &'a [u8]) -> Self {
        Self { data, at: 0 }
    }

    fn bytes(&mut self, count: usize) -> WoffResult<&'a [u8]> {
        let end = self.at.checked_add(count).filter(|&end| end <= self.data.len()).ok_or(INVALID_TABLE)?;
        let bytes = &self.data[self.at..end];
        self.at = end;
        Ok(bytes)
    }

    fn u8(&mut self) -> WoffResult<u8> {
        Ok(self.bytes(1)?[0])
    }

    fn u16(&mut self) -> WoffResult<u16> {
        let bytes = self.bytes(2)?;
        Ok(u16::from_be_bytes([bytes[0], bytes[1]]))
    }

    fn i16(&mut self) -> WoffResult<i16> {
        Ok(self.u16()? as i16)
    }

    fn u32(&mut self) -> WoffResult<u32> {
        let bytes = self.bytes(4)?;
        Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    /// WOFF2's `UIntBase128`: at most five bytes, no leading zeros.
    fn base128(&mut self) -> WoffResult<u32> {
        let mut value: u32 = 0;
        for index in 0..5 {
            let byte = self.u8()?;
            if index == 0 && byte == 0x80 {
                return Err(INVALID_TABLE);
            }
            if value & 0xFE00_0000 != 0 {
                return Err(INVALID_TABLE);
            }
            value = (value << 7) | u32::from(byte & 0x7F);
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        Err(INVALID_TABLE)
    }

    /// WOFF2's `255UInt16`.
    fn u255(&mut self) -> WoffResult<u16> {
        Ok(match self.u8()? {
            253 => self.u16()?,
            254 => 253 * 2 + u16::from(self.u8()?),
            255 => 253 + u16::from(self.u8()?),
            code => u16::from(code),
        })
    }
}

/// A table of the SFNT being rebuilt.
pub(crate) struct Table {
    pub(crate) tag: [u8; 4],
    pub(crate) data: Vec<u8>,
}

/// The SFNT file of `tables` (sorted by tag, 4-byte aligned, checksummed).
pub(crate) fn sfnt(flavor: u32, mut tables: Vec<Table>) -> WoffResult<Vec<u8>> {
    tables.sort_by_key(|table| table.tag);
    if tables.windows(2).any(|pair| pair[0].tag == pair[1].tag) {
        return Err(INVALID_TABLE);
    }
    let count = tables.len();
    let header = 12 + 16 * count;
    let total = tables.iter().fold(header, |total, table| total + ((table.data.len() + 3) & !3));
    if total > MAX_SFNT {
        return Err(INVALID_TABLE);
    }
    let mut out = Vec::new();
    out.try_reserve_exact(total).map_err(|_| OUT_OF_MEMORY)?;
    let power = if count == 0 { 0 } else { usize::BITS - 1 - count.leading_zeros() };
    let search_range = (1u32 << power) * 16;
    out.extend_from_slice(&flavor.to_be_bytes());
    out.extend_from_slice(&(count as u16).to_be_bytes());
    out.extend_from_slice(&(search_range as u16).to_be_bytes());
    out.extend_from_slice(&(power as u16).to_be_bytes());
    out.extend_from_slice(&((count as u32 * 16).saturating_sub(search_range) as u16).to_be_bytes());
    let mut offset = header;
    for table in &tables {
        let sum = table.data.chunks(4).fold(0u32, |sum, chunk| {
            let mut word = [0u8; 4];
            word[..chunk.len()].copy_from_slice(chunk);
            sum.wrapping_add(u32::from_be_bytes(word))
        });
        out.extend_from_slice(&table.tag);
        out.extend_from_slice(&sum.to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(table.data.len() as u32).to_be_bytes());
        offset += (table.data.len() + 3) & !3;
    }
    for table in &tables {
        out.extend_from_slice(&table.data);
        out.resize((out.len() + 3) & !3, 0);
    }
    Ok(out)
}

/// WOFF 1.0: a table directory of zlib-compressed (or stored) tables.
fn woff1(data: &[u8]) -> WoffResult<Vec<u8>> {
    let mut header = Reader::new(data);
    header.bytes(4)?;
    let flavor = header.u32()?;
    let length = header.u32()?;
    let count = header.u16()?;
    if length as usize != data.len() || count == 0 || header.u16()? != 0 {
        return Err(INVALID_TABLE);
    }
    let mut directory = Reader::new(data);
    directory.at = 44;
    let mut tables = Vec::with_capacity(usize::from(count));
    let mut total = 0usize;
    for _ in 0..count {
        let tag: [u8; 4] = directory.bytes(4)?.try_into().map_err(|_| INVALID_TABLE)?;
        let (offset, compressed, original) = (directory.u32()?, directory.u32()?, directory.u32()?);
        directory.u32()?;
        total = total.saturating_add(original as usize);
        if compressed > original || total > MAX_SFNT {
            return Err(INVALID_TABLE);
        }
        let mut source = Reader::new(data);
        source.at = offset as usize;
        let stored = source.bytes(compressed as usize)?;
        let table = if compressed == original {
            stored.to_vec()
        } else {
            match fdeflate::decompress_to_vec_bounded(stored, original as usize) {
                Ok(table) if table.len() == original as usize => table,
                _ => return Err(INVALID_TABLE),
            }
        };
        tables.push(Table { tag, data: table });
    }
    sfnt(flavor, tables)
}

/// WOFF2's known table tags, by their 6-bit index.
const KNOWN_TAGS: [&[u8; 4]; 63] = [
    b"cmap", b"head", b"hhea", b"hmtx", b"maxp", b"name", b"OS/2", b"post", b"cvt ", b"fpgm", b"glyf", b"loca",
    b"prep", b"CFF ", b"VORG", b"EBDT", b"EBLC", b"gasp", b"hdmx", b"kern", b"LTSH", b"PCLT", b"VDMX", b"vhea",
    b"vmtx", b"BASE", b"GDEF", b"GPOS", b"GSUB", b"EBSC", b"JSTF", b"MATH", b"CBDT", b"CBLC", b"COLR", b"CPAL",
    b"SVG ", b"sbix", b"acnt", b"avar", b"bdat", b"bloc", b"bsln", b"cvar", b"fdsc", b"feat", b"fmtx", b"fvar",
    b"gvar", b"hsty", b"just", b"lcar", b"mort", b"morx", b"opbd", b"prop", b"trak", b"Zapf", b"Silf", b"Glat",
    b"Gloc", b"Feat", b"Sill",
];

/// A WOFF2 table directory entry: where its bytes are in the decompressed
/// stream and whether they are transformed.
struct Entry {
    tag: [u8; 4],
    start: usize,
    length: usize,
    transformed: bool,
}

/// WOFF 2.0 (a single font; collections are refused as unknown).
fn woff2(data: &[u8]) -> WoffResult<Vec<u8>> {
    let mut header = Reader::new(data);
    header.bytes(4)?;
    let flavor = header.u32()?;
    let length = header.u32()?;
    let count = header.u16()?;
    if length as usize != data.len() || count == 0 || header.u16()? != 0 {
        return Err(INVALID_TABLE);
    }
    if flavor == u32::from_be_bytes(*b"ttcf") {
        return Err(FontError::FreeType("unknown file format"));
    }
    header.u32()?;
    let compressed_size = header.u32()? as usize;
    header.at = 48;
    let mut entries = Vec::with_capacity(usize::from(count));
    let mut stream_size = 0usize;
    for _ in 0..count {
        let flags = header.u8()?;
        let tag = match usize::from(flags & 0x3F) {
            63 => header.bytes(4)?.try_into().map_err(|_| INVALID_TABLE)?,
            known => *KNOWN_TAGS[known],
        };
        let version = flags >> 6;
        let original = header.base128()? as usize;
        let glyf_or_loca = &tag == b"glyf" || &tag == b"loca";
        let transformed = if glyf_or_loca { version == 0 } else { version != 0 };
        let length = if transformed { header.base128()? as usize } else { original };
        if transformed && !glyf_or_loca && (&tag != b"hmtx" || version != 1) {
            return Err(INVALID_TABLE);
        }
        if &tag == b"loca" && transformed && length != 0 {
            return Err(INVALID_TABLE);
        }
        entries.push(Entry { tag, start: stream_size, length, transformed });
        stream_size = stream_size.saturating_add(length);
        if stream_size > MAX_SFNT {
            return Err(INVALID_TABLE);
        }
    }
    let compressed = header.bytes(compressed_size)?;
    let mut stream = Vec::new();
    stream.try_reserve_exact(stream_size).map_err(|_| OUT_OF_MEMORY)?;
    brotli_decompressor::Decompressor::new(compressed, 4096)
        .take(stream_size as u64)
        .read_to_end(&mut stream)
        .map_err(|_| INVALID_TABLE)?;
    if stream.len() != stream_size {
        return Err(INVALID_TABLE);
    }
    let find = |tag: &[u8; 4]| entries.iter().find(|entry| &entry.tag == tag);
    let bytes_of = |entry: &Entry| &stream[entry.start..entry.start + entry.length];
    let mut tables = Vec::with_capacity(entries.len());
    // The rebuilt glyf's glyph x minimums, for a transformed hmtx.
    let mut x_mins = None;
    if let Some(glyf) = find(b"glyf").filter(|entry| entry.transformed) {
        if !find(b"loca").is_some_and(|entry| entry.transformed) {
            return Err(INVALID_TABLE);
        }
        let rebuilt = rebuild_glyf(bytes_of(glyf))?;
        tables.push(Table { tag: *b"glyf", data: rebuilt.glyf });
        tables.push(Table { tag: *b"loca", data: rebuilt.loca });
        x_mins = Some(rebuilt.x_mins);
    } else if find(b"loca").is_some_and(|entry| entry.transformed) {
        return Err(INVALID_TABLE);
    }
    for entry in &entries {
        if !entry.transformed {
            tables.push(Table { tag: entry.tag, data: bytes_of(entry).to_vec() });
        } else if &entry.tag == b"hmtx" {
            let hhea = find(b"hhea").ok_or(INVALID_TABLE)?;
            let mut hhea = Reader::new(bytes_of(hhea));
            hhea.at = 34;
            let metrics = usize::from(hhea.u16()?);
            let x_mins = x_mins.as_deref().ok_or(INVALID_TABLE)?;
            tables.push(Table { tag: *b"hmtx", data: rebuild_hmtx(bytes_of(entry), metrics, x_mins)? });
        }
    }
    sfnt(flavor, tables)
}

/// A rebuilt `glyf` and `loca`, with each glyph's x minimum.
struct Glyf {
    glyf: Vec<u8>,
    loca: Vec<u8>,
    x_mins: Vec<i16>,
}

/// Reverses WOFF2's `glyf` transform (section 5.1): the glyphs from the
/// seven streams, then their `loca`.
fn rebuild_glyf(data: &[u8]) -> WoffResult<Glyf> {
    let mut header = Reader::new(data);
    header.u16()?;
    let options = header.u16()?;
    let glyphs = usize::from(header.u16()?);
    let long_offsets = header.u16()? != 0;
    let mut sizes = [0usize; 7];
    for size in &mut sizes {
        *size = header.u32()? as usize;
    }
    let mut streams = Vec::with_capacity(7);
    for size in sizes {
        streams.push(header.bytes(size)?);
    }
    let overlaps = if options & 1 != 0 { Some(header.bytes(glyphs.div_ceil(8))?) } else { None };
    let [contours, points, flags, glyph_stream, composites, bboxes, instructions] =
        [0, 1, 2, 3, 4, 5, 6].map(|index| Reader::new(streams[index]));
    let (mut contours, mut points, mut flags, mut glyph_stream) = (contours, points, flags, glyph_stream);
    let (mut composites, mut instructions) = (composites, instructions);
    let bitmap_size = 4 * glyphs.div_ceil(32);
    let mut bboxes = bboxes;
    let bbox_bitmap = bboxes.bytes(bitmap_size)?;
    let mut glyf = Vec::new();
    let mut offsets = Vec::with_capacity(glyphs + 1);
    let mut x_mins = vec![0i16; glyphs];
    for glyph in 0..glyphs {
        offsets.push(glyf.len());
        let explicit_box = bbox_bitmap[glyph >> 3] & (0x80 >> (glyph & 7)) != 0;
        let count = contours.i16()?;
        if count == 0 {
            if explicit_box {
                return Err(INVALID_TABLE);
            }
            continue;
        }
        let mut out = Vec::new();
        if count < 0 {
            if !explicit_box {
                return Err(INVALID_TABLE);
            }
            let bbox = bboxes.bytes(8)?;
            out.extend_from_slice(&count.to_be_bytes());
            out.extend_from_slice(bbox);
            x_mins[glyph] = i16::from_be_bytes([bbox[0], bbox[1]]);
            let start = composites.at;
            let mut has_instructions = false;
            loop {
                let component_flags = composites.u16()?;
                composites.u16()?;
                let mut size = if component_flags & 1 != 0 { 4 } else { 2 };
                if component_flags & 0x08 != 0 {
                    size += 2;
                } else if component_flags & 0x40 != 0 {
                    size += 4;
                } else if component_flags & 0x80 != 0 {
                    size += 8;
                }
                composites.bytes(size)?;
                has_instructions |= component_flags & 0x100 != 0;
                if component_flags & 0x20 == 0 {
                    break;
                }
            }
            out.extend_from_slice(&composites.data[start..composites.at]);
            if has_instructions {
                let length = glyph_stream.u255()?;
                out.extend_from_slice(&length.to_be_bytes());
                out.extend_from_slice(instructions.bytes(usize::from(length))?);
            }
        } else {
            let mut ends = Vec::with_capacity(count as usize);
            let mut total = 0usize;
            for _ in 0..count {
                total += usize::from(points.u255()?);
                if total > 0xFFFF {
                    return Err(INVALID_TABLE);
                }
                ends.push(total);
            }
            if total == 0 {
                return Err(INVALID_TABLE);
            }
            let point_flags = flags.bytes(total)?;
            let mut coordinates = Vec::with_capacity(total);
            let (mut x, mut y) = (0i32, 0i32);
            for &flag in point_flags {
                let (dx, dy) = triplet(flag & 0x7F, &mut glyph_stream)?;
                x += dx;
                y += dy;
                coordinates.push((x, y, flag & 0x80 == 0));
            }
            let length = glyph_stream.u255()?;
            let code = instructions.bytes(usize::from(length))?;
            let bbox = if explicit_box {
                bboxes.bytes(8)?.to_vec()
            } else {
                let fold = |pick: fn(&(i32, i32, bool)) -> i32, min: bool| {
                    let values = coordinates.iter().map(pick);
                    if min { values.min().unwrap_or(0) } else { values.max().unwrap_or(0) }
                };
                [fold(|p| p.0, true), fold(|p| p.1, true), fold(|p| p.0, false), fold(|p| p.1, false)]
                    .iter()
                    .flat_map(|&value| (value as i16).to_be_bytes())
                    .collect()
            };
            x_mins[glyph] = i16::from_be_bytes([bbox[0], bbox[1]]);
            out.extend_from_slice(&count.to_be_bytes());
            out.extend_from_slice(&bbox);
            for end in ends {
                out.extend_from_slice(&((end - 1) as u16).to_be_bytes());
            }
            out.extend_from_slice(&length.to_be_bytes());
            out.extend_from_slice(code);
            let overlap = overlaps.is_some_and(|bits| bits[glyph >> 3] & (0x80 >> (glyph & 7)) != 0);
            encode_points(&coordinates, overlap, &mut out);
        }
        glyf.extend_from_slice(&out);
        glyf.resize((glyf.len() + 3) & !3, 0);
        if glyf.len() > MAX_SFNT {
            return Err(INVALID_TABLE);
        }
    }
    offsets.push(glyf.len());
    let mut loca = Vec::with_capacity(offsets.len() * 4);
    for offset in offsets {
        if long_offsets {
            loca.extend_from_slice(&(offset as u32).to_be_bytes());
        } else {
            let half = u16::try_from(offset / 2).map_err(|_| INVALID_TABLE)?;
            loca.extend_from_slice(&half.to_be_bytes());
        }
    }
    Ok(Glyf { glyf, loca, x_mins })
}

/// One point's delta from its triplet encoding (section 5.2).
fn triplet(flag: u8, stream: &mut Reader<'_>) -> WoffResult<(i32, i32)> {
    let signed = |negative_bit: u8, value: i32| if negative_bit & 1 != 0 { value } else { -value };
    let flag32 = i32::from(flag);
    Ok(if flag < 10 {
        let b = i32::from(stream.u8()?);
        (0, signed(flag, ((flag32 & 14) << 7) + b))
    } else if flag < 20 {
        let b = i32::from(stream.u8()?);
        (signed(flag, (((flag32 - 10) & 14) << 7) + b), 0)
    } else if flag < 84 {
        let (b0, b1) = (flag32 - 20, i32::from(stream.u8()?));
        (signed(flag, 1 + (b0 & 0x30) + (b1 >> 4)), signed(flag >> 1, 1 + ((b0 & 0x0C) << 2) + (b1 & 0x0F)))
    } else if flag < 120 {
        let b0 = flag32 - 84;
        let bytes = stream.bytes(2)?;
        (
            signed(flag, 1 + ((b0 / 12) << 8) + i32::from(bytes[0])),
            signed(flag >> 1, 1 + (((b0 % 12) >> 2) << 8) + i32::from(bytes[1])),
        )
    } else if flag < 124 {
        let bytes = stream.bytes(3)?;
        let (b0, b1, b2) = (i32::from(bytes[0]), i32::from(bytes[1]), i32::from(bytes[2]));
        (signed(flag, (b0 << 4) + (b1 >> 4)), signed(flag >> 1, ((b1 & 0x0F) << 8) + b2))
    } else {
        let bytes = stream.bytes(4)?;
        let word = |at: usize| (i32::from(bytes[at]) << 8) + i32::from(bytes[at + 1]);
        (signed(flag, word(0)), signed(flag >> 1, word(2)))
    })
}

/// A simple glyph's flags and coordinates in `glyf`'s own encoding (a flag
/// a point, deltas as bytes where they fit).
fn encode_points(points: &[(i32, i32, bool)], overlap: bool, out: &mut Vec<u8>) {
    let (mut xs, mut ys, mut point_flags) = (Vec::new(), Vec::new(), Vec::with_capacity(points.len()));
    let (mut last_x, mut last_y) = (0i32, 0i32);
    for (index, &(x, y, on_curve)) in points.iter().enumerate() {
        let mut flag = u8::from(on_curve);
        if index == 0 && overlap {
            flag |= 0x40;
        }
        let (dx, dy) = (x - last_x, y - last_y);
        for (delta, values, short, same) in [(dx, &mut xs, 0x02, 0x10), (dy, &mut ys, 0x04, 0x20)] {
            if delta == 0 {
                flag |= same;
            } else if delta.abs() < 256 {
                flag |= short | if delta > 0 { same } else { 0 };
                values.push(delta.unsigned_abs() as u8);
            } else {
                values.extend_from_slice(&(delta as i16).to_be_bytes());
            }
        }
        point_flags.push(flag);
        (last_x, last_y) = (x, y);
    }
    out.extend_from_slice(&point_flags);
    out.extend_from_slice(&xs);
    out.extend_from_slice(&ys);
}

/// Reverses WOFF2's `hmtx` transform (section 5.4): left side bearings
/// left out are the glyphs' x minimums.
fn rebuild_hmtx(data: &[u8], metrics: usize, x_mins: &[i16]) -> WoffResult<Vec<u8>> {
    let glyphs = x_mins.len();
    if metrics == 0 || metrics > glyphs {
        return Err(INVALID_TABLE);
    }
    let mut reader = Reader::new(data);
    let flags = reader.u8()?;
    if flags & !3 != 0 || flags & 3 == 0 {
        return Err(INVALID_TABLE);
    }
    let mut advances = Vec::with_capacity(metrics);
    for _ in 0..metrics {
        advances.push(reader.u16()?);
    }
    let mut bearings = Vec::with_capacity(glyphs);
    for (glyph, &x_min) in x_mins.iter().enumerate() {
        let stored = if glyph < metrics { flags & 1 == 0 } else { flags & 2 == 0 };
        bearings.push(if stored { reader.i16()? } else { x_min });
    }
    let mut out = Vec::with_capacity(metrics * 4 + (glyphs - metrics) * 2);
    for (glyph, bearing) in bearings.iter().enumerate() {
        if glyph < metrics {
            out.extend_from_slice(&advances[glyph].to_be_bytes());
        }
        out.extend_from_slice(&bearing.to_be_bytes());
    }
    Ok(out)
}

/// The tables of a plain SFNT file that lie within it: tag, offset and length.
fn table_records(data: &[u8]) -> Option<Vec<([u8; 4], usize, usize)>> {
    let mut reader = Reader::new(data);
    let flavor = reader.u32().ok()?;
    if flavor != 0x0001_0000 && flavor != u32::from_be_bytes(*b"true") {
        return None;
    }
    let count = reader.u16().ok()?;
    reader.at = 12;
    let mut records = Vec::with_capacity(usize::from(count));
    for _ in 0..count {
        let tag: [u8; 4] = reader.bytes(4).ok()?.try_into().ok()?;
        reader.u32().ok()?;
        let (offset, length) = (reader.u32().ok()? as usize, reader.u32().ok()? as usize);
        // A table past the end of the file is one FreeType cannot load either.
        if offset.checked_add(length).is_some_and(|end| end <= data.len()) {
            records.push((tag, offset, length));
        }
    }
    Some(records)
}

/// The bytes a `glyf` glyph's own data takes (its header, contours or
/// components, instructions, flags and coordinates), at most `glyph.len()`.
fn glyph_length(glyph: &[u8]) -> usize {
    let measure = || -> WoffResult<usize> {
        let mut reader = Reader::new(glyph);
        let contours = reader.i16()?;
        reader.bytes(8)?;
        if contours >= 0 {
            let mut points = 0usize;
            for _ in 0..contours {
                points = usize::from(reader.u16()?) + 1;
            }
            let instructions = usize::from(reader.u16()?);
            reader.bytes(instructions)?;
            let (mut count, mut coordinates) = (0usize, 0usize);
            while count < points {
                let flag = reader.u8()?;
                let repeat = if flag & 8 != 0 { 1 + usize::from(reader.u8()?) } else { 1 };
                let x = if flag & 2 != 0 {
                    1
                } else if flag & 16 != 0 {
                    0
                } else {
                    2
                };
                let y = if flag & 4 != 0 {
                    1
                } else if flag & 32 != 0 {
                    0
                } else {
                    2
                };
                coordinates += (x + y) * repeat;
                count += repeat;
            }
            Ok(reader.at + coordinates)
        } else {
            let mut instructions = false;
            loop {
                let flags = reader.u16()?;
                reader.u16()?;
                let scale = if flags & 8 != 0 {
                    2
                } else if flags & 0x40 != 0 {
                    4
                } else if flags & 0x80 != 0 {
                    8
                } else {
                    0
                };
                reader.bytes(if flags & 1 != 0 { 4 } else { 2 } + scale)?;
                instructions |= flags & 0x100 != 0;
                if flags & 0x20 == 0 {
                    break;
                }
            }
            if instructions {
                let length = usize::from(reader.u16()?);
                reader.bytes(length)?;
            }
            Ok(reader.at)
        }
    };
    measure().unwrap_or(glyph.len()).min(glyph.len())
}

/// `data` with its `glyf` and `loca` rebuilt when FreeType reads some
/// glyph's place otherwise than its `loca` says to skrifa
/// (`tt_face_get_location`: an end before the start runs to the end of
/// `glyf`, a start past it or an end past it but for the last glyph is an
/// empty glyph); `None` when every glyph is read alike.
pub fn loca_as_freetype(data: &[u8]) -> Option<Vec<u8>> {
    let records = table_records(data)?;
    let find = |tag: &[u8; 4]| records.iter().find(|record| &record.0 == tag).map(|&(_, at, len)| &data[at..at + len]);
    let (head, loca, glyf, maxp) = (find(b"head")?, find(b"loca")?, find(b"glyf")?, find(b"maxp")?);
    let long = Reader { data: head, at: 50 }.i16().ok()? != 0;
    let glyphs = usize::from(Reader { data: maxp, at: 4 }.u16().ok()?);
    let size = if long { 4 } else { 2 };
    let locations = loca.len() / size;
    let entry = |index: usize| -> usize {
        let mut reader = Reader { data: loca, at: index * size };
        if long {
            reader.u32().map_or(0, |value| value as usize)
        } else {
            reader.u16().map_or(0, |value| 2 * usize::from(value))
        }
    };
    let place = |glyph: usize| -> (usize, usize) {
        if glyph >= locations {
            return (0, 0);
        }
        let start = entry(glyph);
        let mut end = if glyph + 1 < locations { entry(glyph + 1) } else { start };
        if start > glyf.len() {
            return (0, 0);
        }
        if end > glyf.len() {
            if glyph + 2 != locations {
                return (0, 0);
            }
            end = glyf.len();
        }
        (start, if end >= start { end - start } else { glyf.len() - start })
    };
    let alike = (0..glyphs.min(locations.saturating_sub(1))).all(|glyph| {
        let (start, end) = (entry(glyph), entry(glyph + 1));
        start <= end && end <= glyf.len()
    });
    if alike {
        return None;
    }
    let mut new_glyf = Vec::new();
    let mut new_loca = Vec::with_capacity((glyphs + 1) * 4);
    for glyph in 0..glyphs {
        new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
        let (start, length) = place(glyph);
        let bytes = &glyf[start..start + length];
        new_glyf.extend_from_slice(&bytes[..glyph_length(bytes)]);
        new_glyf.resize((new_glyf.len() + 3) & !3, 0);
        if new_glyf.len() > MAX_SFNT {
            return None;
        }
    }
    new_loca.extend_from_slice(&(new_glyf.len() as u32).to_be_bytes());
    let mut new_head = head.to_vec();
    new_head[50..52].copy_from_slice(&1u16.to_be_bytes());
    let tables = records
        .iter()
        .map(|&(tag, at, len)| Table {
            tag,
            data: match &tag {
                b"glyf" => std::mem::take(&mut new_glyf),
                b"loca" => std::mem::take(&mut new_loca),
                b"head" => new_head.clone(),
                _ => data[at..at + len].to_vec(),
            },
        })
        .collect();
    sfnt(u32::from_be_bytes([data[0], data[1], data[2], data[3]]), tables).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base128_and_255_u16() {
        assert_eq!(Reader::new(&[0x3F]).base128(), Ok(63));
        assert_eq!(Reader::new(&[0x81, 0x00]).base128(), Ok(128));
        assert_eq!(Reader::new(&[0x80, 0x01]).base128(), Err(INVALID_TABLE));
        assert_eq!(Reader::new(&[0xFF, 0xFF, 0xFF, 0xFF, 0x7F]).base128(), Err(INVALID_TABLE));
        assert_eq!(Reader::new(&[253, 1, 2]).u255(), Ok(258));
        assert_eq!(Reader::new(&[255, 3]).u255(), Ok(256));
        assert_eq!(Reader::new(&[254, 3]).u255(), Ok(509));
    }

    #[test]
    fn triplets_decode_as_the_spec_table() {
        assert_eq!(triplet(0, &mut Reader::new(&[5])), Ok((0, -5)));
        assert_eq!(triplet(11, &mut Reader::new(&[5])), Ok((5, 0)));
        assert_eq!(triplet(20, &mut Reader::new(&[0x12])), Ok((-2, -3)));
        assert_eq!(triplet(127, &mut Reader::new(&[1, 2, 3, 4])), Ok((258, 772)));
        assert_eq!(triplet(127, &mut Reader::new(&[1])), Err(INVALID_TABLE));
    }

    #[test]
    fn glyph_lengths_and_a_backwards_loca() {
        // One contour of two points, no instructions, short x, same y.
        let glyph = [0, 1, 0, 0, 0, 0, 0, 9, 0, 9, 0, 1, 0, 0, 0x33, 0x33, 4, 5, 0xEE, 0xEE];
        assert_eq!(glyph_length(&glyph), 18);
        assert_eq!(glyph_length(&glyph[..5]), 5);
        let font = crate::font_testing::square_font();
        assert_eq!(loca_as_freetype(&font), None);
        assert_eq!(loca_as_freetype(b"not a font"), None);
    }

    #[test]
    fn a_sfnt_round_trips_through_woff1() {
        let font = crate::font_testing::square_font();
        let count = usize::from(u16::from_be_bytes([font[4], font[5]]));
        let mut woff = Vec::new();
        let directory_end = 44 + 20 * count;
        let mut body = Vec::new();
        let mut directory = Vec::new();
        for record in font[12..12 + 16 * count].chunks(16) {
            let offset = u32::from_be_bytes(record[8..12].try_into().unwrap()) as usize;
            let length = u32::from_be_bytes(record[12..16].try_into().unwrap()) as usize;
            directory.extend_from_slice(&record[..4]);
            directory.extend_from_slice(&((directory_end + body.len()) as u32).to_be_bytes());
            directory.extend_from_slice(&(length as u32).to_be_bytes());
            directory.extend_from_slice(&(length as u32).to_be_bytes());
            directory.extend_from_slice(&record[4..8]);
            body.extend_from_slice(&font[offset..offset + length]);
            body.resize((body.len() + 3) & !3, 0);
        }
        woff.extend_from_slice(b"wOFF");
        woff.extend_from_slice(&font[..4]);
        woff.extend_from_slice(&((directory_end + body.len()) as u32).to_be_bytes());
        woff.extend_from_slice(&(count as u16).to_be_bytes());
        woff.resize(44, 0);
        woff.extend_from_slice(&directory);
        woff.extend_from_slice(&body);
        let unwrapped = unwrap(&woff).expect("a WOFF").expect("unwrapped");
        assert!(crate::font::Face::new(unwrapped, 0, 20.0).is_ok());
        assert_eq!(unwrap(&woff[..60]).err(), Some(INVALID_TABLE));
        assert_eq!(unwrap(b"true").ok(), Some(None));
    }
}
