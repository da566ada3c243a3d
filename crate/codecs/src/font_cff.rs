//! Bare CFF fonts (a file that is a CFF table alone, as FreeType's CFF
//! driver opens them: `cffload.c` `cff_font_load`, `cffobjs.c`
//! `cff_face_init`), made into an OpenType (`OTTO`) file that the rest of
//! the font code reads as any other: the CFF rewritten so that every INDEX
//! holds what FreeType's lenient reading of it finds (an offset past the
//! end of the file cut there, offsets out of order clamped, zero offsets
//! skipped), then `head`, `hhea`, `hmtx` (each glyph's charstring width),
//! `maxp` and a Unicode `cmap` built from the glyph names as FreeType's
//! `psnames` builds it. What an SFNT cannot say (line metrics outside its
//! 16-bit fields, the names FreeType gives such a face) comes back beside
//! it in `BareCff`. A file FreeType refuses is refused with its message.

use crate::font::FontError;
use crate::font_woff::{Table, sfnt};
use skrifa::GlyphId;
use skrifa::raw::ps::cff::index::Index as CffIndex;
use skrifa::raw::ps::cff::{CffFontRef, Subfont};
use skrifa::raw::ps::charmap::Charmap;
use skrifa::raw::types::Fixed;

type CffResult<T> = Result<T, FontError>;

const UNKNOWN_FORMAT: FontError = FontError::FreeType("unknown file format");
const BROKEN_FILE: FontError = FontError::FreeType("broken file");
const INVALID_ARGUMENT: FontError = FontError::FreeType("invalid argument");
const INVALID_TABLE: FontError = FontError::FreeType("broken table");
const STREAM: FontError = FontError::FreeType("invalid stream operation");

/// The face FreeType makes of a bare CFF: the SFNT carrying it and what
/// FreeType's `cff_face_init` sets that the SFNT cannot carry.
pub struct BareCff {
    pub sfnt: Vec<u8>,
    /// The family name: FamilyName, else the font's name in the Name
    /// INDEX (less a subset prefix); `None` without either.
    pub family: Option<String>,
    /// What the FullName adds to the family name, else "Regular".
    pub style: String,
    /// Ascender, descender and line height in font units (FreeType's
    /// `face->ascender`, `descender`, `height`).
    pub line: (i64, i64, i64),
    /// The units per em (FreeType's 16-bit `units_per_EM`).
    pub units_per_em: i64,
}

/// An INDEX where FreeType's `cff_index_init` finds it.
#[derive(Clone, Copy, Default)]
struct Index {
    count: usize,
    off_size: usize,
    /// Where the offset array starts.
    offsets: usize,
    /// The byte before the first element (offsets count from 1).
    data_offset: usize,
    data_size: usize,
}

fn read_u16(data: &[u8], at: usize) -> CffResult<usize> {
    match data.get(at..at + 2) {
        Some(bytes) => Ok(usize::from(u16::from_be_bytes([bytes[0], bytes[1]]))),
        None => Err(STREAM),
    }
}

impl Index {
    /// The INDEX at `at`, and where the bytes after it start.
    fn read(data: &[u8], at: usize) -> CffResult<(Self, usize)> {
        let count = read_u16(data, at)?;
        if count == 0 {
            return Ok((Self::default(), at + 2));
        }
        let off_size = usize::from(*data.get(at + 2).ok_or(STREAM)?);
        if !(1..=4).contains(&off_size) {
            return Err(INVALID_TABLE);
        }
        let offsets = at + 3;
        let mut index = Self { count, off_size, offsets, data_offset: offsets + (count + 1) * off_size, data_size: 0 };
        let last = index.offset(data, count).ok_or(STREAM)?;
        if last == 0 {
            return Err(INVALID_TABLE);
        }
        index.data_size = last - 1;
        let end = index.data_offset + index.data_size;
        if end > data.len() {
            return Err(STREAM);
        }
        Ok((index, end))
    }

    fn offset(&self, data: &[u8], element: usize) -> Option<usize> {
        let at = self.offsets + element * self.off_size;
        let bytes = data.get(at..at + self.off_size)?;
        Some(bytes.iter().fold(0usize, |value, &byte| value << 8 | usize::from(byte)))
    }

    /// Element `element` as `cff_index_access_element` reads it: a zero
    /// offset is skipped to the next one, an end past the file is cut at
    /// the file's end, an end before the start leaves it empty.
    fn element<'a>(&self, data: &'a [u8], element: usize) -> CffResult<&'a [u8]> {
        if element >= self.count {
            return Err(INVALID_ARGUMENT);
        }
        let start = self.offset(data, element).ok_or(STREAM)?;
        let mut end = 0;
        if start != 0 {
            let mut next = element;
            loop {
                next += 1;
                end = self.offset(data, next).ok_or(STREAM)?;
                if end != 0 || next >= self.count {
                    break;
                }
            }
        }
        let size = data.len();
        if end > size + 1 || self.data_offset > size + 1 - end {
            end = size + 1 - self.data_offset;
        }
        if start == 0 || end <= start {
            return Ok(&[]);
        }
        Ok(&data[self.data_offset + start - 1..self.data_offset + end - 1])
    }

    /// Every element as `cff_index_get_pointers` reads a loaded INDEX
    /// (strings, subroutines): offsets clamped into order and into the data.
    fn elements<'a>(&self, data: &'a [u8]) -> CffResult<Vec<&'a [u8]>> {
        let bytes = data.get(self.data_offset..self.data_offset + self.data_size).ok_or(STREAM)?;
        let mut elements = Vec::with_capacity(self.count);
        let mut current = 0usize;
        for element in 1..=self.count {
            let next = self.offset(data, element).ok_or(STREAM)?.wrapping_sub(1);
            let next = if next < current { current } else { next.min(self.data_size) };
            elements.push(&bytes[current..next]);
            current = next;
        }
        Ok(elements)
    }
}

/// One DICT entry: its operator (12 x as 0x100 | x), the bytes of the
/// whole entry and its integer operands (a real's counts as 0, as only
/// offsets and sizes are read here).
struct Entry<'a> {
    operator: u16,
    bytes: &'a [u8],
    operands: Vec<i64>,
}

/// The entries of a DICT; a number cut off by the DICT's end is refused
/// as FreeType's parser refuses it.
fn dict_entries(dict: &[u8]) -> CffResult<Vec<Entry<'_>>> {
    let mut entries = Vec::new();
    let (mut at, mut start) = (0, 0);
    let mut operands = Vec::new();
    while at < dict.len() {
        let byte = dict[at];
        let (value, length) = match byte {
            32..=246 => (i64::from(byte) - 139, 1),
            247..=250 => {
                (((i64::from(byte) - 247) << 8) + i64::from(*dict.get(at + 1).ok_or(INVALID_ARGUMENT)?) + 108, 2)
            }
            251..=254 => {
                (-((i64::from(byte) - 251) << 8) - i64::from(*dict.get(at + 1).ok_or(INVALID_ARGUMENT)?) - 108, 2)
            }
            28 => {
                let bytes = dict.get(at + 1..at + 3).ok_or(INVALID_ARGUMENT)?;
                (i64::from(i16::from_be_bytes([bytes[0], bytes[1]])), 3)
            }
            29 => {
                let bytes = dict.get(at + 1..at + 5).ok_or(INVALID_ARGUMENT)?;
                (i64::from(i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])), 5)
            }
            30 => {
                let mut end = at + 1;
                loop {
                    let nibbles = *dict.get(end).ok_or(INVALID_ARGUMENT)?;
                    end += 1;
                    if nibbles >> 4 == 0xF || nibbles & 0xF == 0xF {
                        break;
                    }
                }
                (0, end - at)
            }
            _ => {
                let (operator, length) = if byte == 12 {
                    (0x100 | u16::from(*dict.get(at + 1).ok_or(INVALID_ARGUMENT)?), 2)
                } else {
                    (u16::from(byte), 1)
                };
                at += length;
                entries.push(Entry { operator, bytes: &dict[start..at], operands: std::mem::take(&mut operands) });
                start = at;
                continue;
            }
        };
        operands.push(value);
        at += length;
    }
    Ok(entries)
}

const CHARSET: u16 = 15;
const ENCODING: u16 = 16;
const CHARSTRINGS: u16 = 17;
const PRIVATE: u16 = 18;
const SUBRS: u16 = 19;
const ROS: u16 = 0x11E;
const FD_ARRAY: u16 = 0x124;
const FD_SELECT: u16 = 0x125;

/// A DICT's first operand for `operator` (as FreeType reads it), if set.
fn dict_value<'e>(entries: &'e [Entry<'_>], operator: u16) -> Option<&'e [i64]> {
    entries.iter().rev().find(|entry| entry.operator == operator).map(|entry| entry.operands.as_slice())
}

/// `at` moved to within the file, as `FT_STREAM_SEEK` allows it.
fn seek(data: &[u8], at: i64) -> CffResult<usize> {
    usize::try_from(at).ok().filter(|&at| at <= data.len()).ok_or(STREAM)
}

/// A DICT entry written back: an operator and 32-bit operands.
fn entry_bytes(operator: u16, operands: &[i64]) -> Vec<u8> {
    let mut bytes = Vec::with_capacity(operands.len() * 5 + 2);
    for &operand in operands {
        bytes.push(29);
        bytes.extend_from_slice(&(operand as i32).to_be_bytes());
    }
    if operator >= 0x100 {
        bytes.extend_from_slice(&[12, operator as u8]);
    } else {
        bytes.push(operator as u8);
    }
    bytes
}

fn index_bytes(elements: &[&[u8]]) -> Vec<u8> {
    let mut out = (elements.len() as u16).to_be_bytes().to_vec();
    if elements.is_empty() {
        return out;
    }
    out.push(4);
    let mut offset = 1u32;
    out.extend_from_slice(&offset.to_be_bytes());
    for element in elements {
        offset += element.len() as u32;
        out.extend_from_slice(&offset.to_be_bytes());
    }
    for element in elements {
        out.extend_from_slice(element);
    }
    out
}

/// A rewritten Private DICT with its subroutines, and the DICT's length.
type PrivateDict = (Vec<u8>, usize);

/// A Private DICT and its local subroutines as FreeType loads them
/// (`cff_subfont_load`), rewritten with the subroutines right after it:
/// the bytes of both, and the DICT's length.
fn private_bytes(data: &[u8], size: i64, offset: i64) -> CffResult<Option<PrivateDict>> {
    if size == 0 || offset == 0 {
        return Ok(None);
    }
    let start = seek(data, offset)?;
    let end = seek(data, offset.checked_add(size).ok_or(STREAM)?)?;
    let dict = &data[start..end];
    let entries = dict_entries(dict)?;
    let mut out: Vec<u8> =
        entries.iter().filter(|entry| entry.operator != SUBRS).flat_map(|entry| entry.bytes.iter().copied()).collect();
    let mut length = out.len();
    if let Some(&subrs) = dict_value(&entries, SUBRS).and_then(|operands| operands.first()) {
        if subrs != 0 {
            let at = seek(data, offset.checked_add(subrs).ok_or(STREAM)?)?;
            let (index, _) = Index::read(data, at)?;
            let elements = index.elements(data)?;
            length += 6;
            out.extend(entry_bytes(SUBRS, &[length as i64]));
            out.extend(index_bytes(&elements));
        }
    }
    Ok(Some((out, length)))
}

/// The font face `index` of `data` when `data` is a bare CFF font
/// (`Ok(None)` when it is not one at all: its first bytes are not a CFF
/// header), with FreeType's error for one it refuses.
pub fn open(data: &[u8], index: u32) -> CffResult<Option<BareCff>> {
    if data.len() < 4 || data[0] != 1 || data[2] < 4 || data[3] > 4 {
        return Ok(None);
    }
    let cff = rebuild(data, index)?;
    wrap(cff).map(Some)
}

/// The CFF of face `index` rewritten as one font whose INDEXes and
/// subroutines hold what FreeType reads in `data`.
fn rebuild(data: &[u8], index: u32) -> CffResult<Vec<u8>> {
    let names_at = usize::from(data[2]);
    if names_at > data.len() {
        return Err(UNKNOWN_FORMAT);
    }
    // FreeType's CFF driver calls a damaged Name INDEX no CFF at all; a
    // later driver then fails to read as much from the file.
    let (names, after) =
        Index::read(data, names_at).map_err(|error| if error == STREAM { STREAM } else { UNKNOWN_FORMAT })?;
    if names.count > 1 && names.data_size < names.count {
        return Err(UNKNOWN_FORMAT);
    }
    let (top_dicts, after) = Index::read(data, after)?;
    let (strings, after) = Index::read(data, after)?;
    let (global_subrs, _) = Index::read(data, after)?;
    if names.count > top_dicts.count {
        return Err(BROKEN_FILE);
    }
    let subfont = (index & 0xFFFF) as usize;
    if index > 0 && subfont >= names.count {
        return Err(INVALID_ARGUMENT);
    }
    let top_dict = top_dicts.element(data, subfont)?;
    let top = dict_entries(top_dict)?;
    let first = |operator| dict_value(&top, operator).and_then(|operands| operands.first().copied());
    let is_cid = dict_value(&top, ROS).is_some();
    let private = match dict_value(&top, PRIVATE) {
        Some(&[size, offset, ..]) if !is_cid => {
            if size < 0 || offset < 0 {
                return Err(BROKEN_FILE);
            }
            private_bytes(data, size, offset)?
        }
        _ => None,
    };
    let charstrings_offset = first(CHARSTRINGS).unwrap_or(0);
    let (charstrings, _) = Index::read(data, seek(data, charstrings_offset)?)?;
    let mut font_dicts: Vec<(Vec<u8>, Option<PrivateDict>)> = Vec::new();
    if is_cid {
        let at = seek(data, first(FD_ARRAY).unwrap_or(0))?;
        let (fd_array, _) = Index::read(data, at)?;
        for element in 0..fd_array.count {
            let entries = dict_entries(fd_array.element(data, element)?)?;
            let private = match dict_value(&entries, PRIVATE) {
                Some(&[size, offset, ..]) => private_bytes(data, size, offset)?,
                _ => None,
            };
            let kept = entries.iter().filter(|entry| entry.operator != PRIVATE);
            font_dicts.push((kept.flat_map(|entry| entry.bytes.iter().copied()).collect(), private));
        }
    }
    if charstrings_offset == 0 {
        return Err(BROKEN_FILE);
    }
    let name = if names.count > 0 { Some(names.element(data, subfont)?) } else { None };
    let string_elements = strings.elements(data)?;
    let subr_elements = global_subrs.elements(data)?;
    let mut charstring_elements =
        (0..charstrings.count).map(|glyph| charstrings.element(data, glyph)).collect::<CffResult<Vec<_>>>()?;
    let mut cid_select = None;
    if is_cid && !charstring_elements.is_empty() {
        let fd_select_at = first(FD_SELECT);
        (charstring_elements, cid_select) =
            by_cid(data, first(CHARSET).unwrap_or(0), fd_select_at, &charstring_elements)?;
    }

    // Every offset the new Top DICT holds is a 5-byte number, so that its
    // length, and so where the data after it starts, is known first.
    let moved = [CHARSET, ENCODING, CHARSTRINGS, PRIVATE, FD_ARRAY, FD_SELECT];
    let mut top_bytes: Vec<u8> = top
        .iter()
        .filter(|entry| !moved.contains(&entry.operator))
        .flat_map(|entry| entry.bytes.iter().copied())
        .collect();
    let kept_length = top_bytes.len();
    let charset = first(CHARSET).filter(|&offset| offset > 2);
    let encoding = first(ENCODING).filter(|&offset| offset > 1);
    let fd_select = first(FD_SELECT).filter(|_| is_cid);
    let predefined = |operator, limit| first(operator).filter(|&value| (0..=limit).contains(&value));
    let mut offsets: Vec<(u16, usize)> = Vec::new();
    for (operator, present, operands) in [
        (CHARSET, charset.is_some() || predefined(CHARSET, 2).is_some(), 1),
        (ENCODING, encoding.is_some() || predefined(ENCODING, 1).is_some(), 1),
        (CHARSTRINGS, true, 1),
        (PRIVATE, private.is_some(), 2),
        (FD_ARRAY, is_cid, 1),
        (FD_SELECT, fd_select.is_some(), 1),
    ] {
        if present {
            offsets.push((operator, operands));
        }
    }
    let top_length = kept_length
        + offsets.iter().map(|&(operator, operands)| operands * 5 + 1 + usize::from(operator >= 0x100)).sum::<usize>();
    let names_bytes = index_bytes(name.as_slice());
    let placeholder = vec![0u8; top_length];
    let head_length = 4
        + names_bytes.len()
        + index_bytes(&[&placeholder]).len()
        + index_bytes(&string_elements).len()
        + index_bytes(&subr_elements).len();
    // After the head: the original file (where a custom charset, encoding
    // and FDSelect are found), then the rewritten parts.
    let original = head_length as i64;
    let mut tail = data.to_vec();
    let charstrings_at = (head_length + tail.len()) as i64;
    tail.extend(index_bytes(&charstring_elements));
    let private_at = (head_length + tail.len()) as i64;
    if let Some((private, _)) = &private {
        tail.extend_from_slice(private);
    }
    let mut fd_entries = Vec::with_capacity(font_dicts.len());
    for (dict, private) in &font_dicts {
        let mut dict = dict.clone();
        if let Some((private, length)) = private {
            dict.extend(entry_bytes(PRIVATE, &[*length as i64, (head_length + tail.len()) as i64]));
            tail.extend_from_slice(private);
        }
        fd_entries.push(dict);
    }
    let fd_array_at = (head_length + tail.len()) as i64;
    let fd_refs: Vec<&[u8]> = fd_entries.iter().map(Vec::as_slice).collect();
    tail.extend(index_bytes(&fd_refs));
    let fd_select_at = (head_length + tail.len()) as i64;
    if let Some(select) = &cid_select {
        tail.extend_from_slice(select);
    }
    for (operator, _) in offsets {
        let operands = match operator {
            CHARSET => vec![charset.map_or_else(|| first(CHARSET).unwrap_or(0), |offset| original + offset)],
            ENCODING => vec![encoding.map_or_else(|| first(ENCODING).unwrap_or(0), |offset| original + offset)],
            CHARSTRINGS => vec![charstrings_at],
            PRIVATE => vec![private.as_ref().map_or(0, |(_, length)| *length as i64), private_at],
            FD_ARRAY => vec![fd_array_at],
            _ if cid_select.is_some() => vec![fd_select_at],
            _ => vec![original + fd_select.unwrap_or(0)],
        };
        top_bytes.extend(entry_bytes(operator, &operands));
    }
    let mut out = vec![1, 0, 4, 4];
    out.extend(names_bytes);
    out.extend(index_bytes(&[&top_bytes]));
    out.extend(index_bytes(&string_elements));
    out.extend(index_bytes(&subr_elements));
    debug_assert_eq!(out.len(), head_length);
    out.extend(tail);
    Ok(out)
}

/// A CID-keyed font's charstrings in CID order, as FreeType numbers its
/// glyphs by CID (`cff_charset_compute_cids`: a CID that no glyph has is
/// glyph 0, one that two have the later's), and its FDSelect made to
/// match (format 0).
type ByCid<'a> = (Vec<&'a [u8]>, Option<Vec<u8>>);

fn by_cid<'a>(data: &'a [u8], charset_at: i64, fd_select_at: Option<i64>, glyphs: &[&'a [u8]]) -> CffResult<ByCid<'a>> {
    use skrifa::raw::ps::cff::charset::Charset;
    use skrifa::raw::ps::cff::fd_select::FdSelect;
    use skrifa::raw::{FontData, FontRead};
    let count = glyphs.len() as u32;
    let charset_at = usize::try_from(charset_at).map_err(|_| STREAM)?;
    let charset = Charset::new(FontData::new(data), charset_at, count).map_err(|_| STREAM)?;
    let cids = (0..count)
        .map(|glyph| charset.string_id(GlyphId::new(glyph)).map(|sid| usize::from(sid.to_u16())))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| STREAM)?;
    // The INDEX count and maxp are 16-bit.
    let last = cids.iter().max().copied().unwrap_or(0).min(0xFFFE);
    let mut glyph_of = vec![0usize; last + 1];
    for (glyph, &cid) in cids.iter().enumerate() {
        if let Some(slot) = glyph_of.get_mut(cid) {
            *slot = glyph;
        }
    }
    let select = match fd_select_at {
        Some(at) => {
            let at = usize::try_from(at).ok().and_then(|at| data.get(at..)).ok_or(STREAM)?;
            let select = FdSelect::read(FontData::new(at)).map_err(|_| STREAM)?;
            let mut out = vec![0u8];
            out.extend(glyph_of.iter().map(|&glyph| select.font_index(GlyphId::new(glyph as u32)).unwrap_or(0) as u8));
            Some(out)
        }
        None => None,
    };
    Ok((glyph_of.iter().map(|&glyph| glyphs[glyph]).collect(), select))
}

/// What reading a charstring up to its first stack-clearing operator
/// found: that operator's extra first operand (the width), no width, or
/// (`Returned`) the end of a subroutine before either.
enum Width {
    Found(Option<Fixed>),
    Returned,
}

/// The width a Type 2 charstring gives, read as far as its first
/// stack-clearing operator (through subroutine calls): running whole
/// charstrings of a font of 60,000 glyphs would take seconds.
fn charstring_width(code: &[u8], subrs: [&CffIndex<'_>; 2], stack: &mut Vec<Fixed>, depth: u32) -> Width {
    let mut at = 0;
    while at < code.len() {
        let byte = code[at];
        let (value, length) = match byte {
            32..=246 => (i32::from(byte) - 139, 1),
            247..=250 => match code.get(at + 1) {
                Some(&next) => (((i32::from(byte) - 247) << 8) + i32::from(next) + 108, 2),
                None => return Width::Found(None),
            },
            251..=254 => match code.get(at + 1) {
                Some(&next) => (-((i32::from(byte) - 251) << 8) - i32::from(next) - 108, 2),
                None => return Width::Found(None),
            },
            28 => match code.get(at + 1..at + 3) {
                Some(bytes) => (i32::from(i16::from_be_bytes([bytes[0], bytes[1]])), 3),
                None => return Width::Found(None),
            },
            255 => match code.get(at + 1..at + 5) {
                Some(bytes) => {
                    stack.push(Fixed::from_bits(i32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])));
                    at += 5;
                    continue;
                }
                None => return Width::Found(None),
            },
            // Stems, hint masks: pairs of operands, and the width first.
            1 | 3 | 18 | 23 | 19 | 20 => return Width::Found((stack.len() % 2 == 1).then(|| stack[0])),
            21 => return Width::Found((stack.len() > 2).then(|| stack[0])),
            4 | 22 => return Width::Found((stack.len() > 1).then(|| stack[0])),
            14 => return Width::Found((stack.len() == 1 || stack.len() == 5).then(|| stack[0])),
            10 | 29 => {
                let subr = subrs[usize::from(byte == 29)];
                let Some(index) = stack.pop() else {
                    return Width::Found(None);
                };
                let index = index.to_i32() + subr.subr_bias();
                let Ok(body) = usize::try_from(index).map_err(|_| ()).and_then(|index| subr.get(index).map_err(|_| ()))
                else {
                    return Width::Found(None);
                };
                if depth >= 10 {
                    return Width::Found(None);
                }
                match charstring_width(body, subrs, stack, depth + 1) {
                    Width::Returned => {
                        at += 1;
                        continue;
                    }
                    found => return found,
                }
            }
            11 => return Width::Returned,
            _ => return Width::Found(None),
        };
        if stack.len() < 513 {
            stack.push(Fixed::from_i32(value));
        }
        at += length;
    }
    Width::Found(None)
}

/// Each glyph's advance in font units as FreeType's CFF driver has it
/// for a bare CFF (no hmtx): the charstring's width plus nominalWidthX,
/// else defaultWidthX, rounded, through the FontMatrix.
fn advances(font: &CffFontRef<'_>, cff: &[u8], glyphs: u32) -> Vec<u16> {
    let subfonts: Vec<Option<(Subfont, CffIndex<'_>)>> = (0..font.num_subfonts())
        .map(|index| {
            let subfont = font.subfont(index, &[]).ok()?;
            let at = subfont.subrs_offset() as usize;
            let subrs = match at {
                0 => CffIndex::Empty,
                _ => cff.get(at..).and_then(|data| CffIndex::new(data, false).ok()).unwrap_or(CffIndex::Empty),
            };
            Some((subfont, subrs))
        })
        .collect();
    let mut stack = Vec::new();
    (0..glyphs)
        .map(|glyph| {
            let gid = GlyphId::new(glyph);
            let Some(Some((subfont, subrs))) =
                font.subfont_index(gid).and_then(|index| subfonts.get(usize::from(index)))
            else {
                return 0;
            };
            let code = font.charstrings().get(glyph as usize).unwrap_or_default();
            stack.clear();
            let width = match charstring_width(code, [subrs, font.global_subrs()], &mut stack, 0) {
                Width::Found(Some(width)) => width + subfont.nominal_width(),
                _ => subfont.default_width().unwrap_or(Fixed::ZERO),
            };
            let width = font.transform(subfont, None).transform_h_metric(width);
            width.round().to_i32().clamp(0, 0xFFFF) as u16
        })
        .collect()
}

/// FreeType's `FT_RoundFix`.
fn round_fix(value: i64) -> i64 {
    if value >= 0 { (value + 0x8000) & !0xFFFF } else { -((-value + 0x8000) & !0xFFFF) }
}

/// The style FreeType reads off the full name: what follows the family
/// name in it, spaces and dashes aside (`cff_face_init`).
fn style_from_full_name(family: &str, full: &str) -> Option<String> {
    let (family, full) = (family.as_bytes(), full.as_bytes());
    let (mut f, mut p) = (0, 0);
    while p < full.len() {
        if f < family.len() && full[p] == family[f] {
            f += 1;
            p += 1;
        } else if full[p] == b' ' || full[p] == b'-' {
            p += 1;
        } else if f < family.len() && (family[f] == b' ' || family[f] == b'-') {
            f += 1;
        } else {
            if f == family.len() {
                return Some(String::from_utf8_lossy(&full[p..]).into_owned());
            }
            return None;
        }
    }
    None
}

/// FreeType's `remove_subset_prefix`: "ABCDEF+Name" is "Name" (as
/// often as such a prefix starts it).
fn without_subset_prefix(mut name: &str) -> &str {
    while name.len() >= 7 && name.as_bytes()[6] == b'+' && name.as_bytes()[..6].iter().all(u8::is_ascii_uppercase) {
        name = &name[7..];
    }
    name
}

/// FreeType's `remove_style`: the family name less a trailing style and
/// the '-', ' ', '_' or '+' before it, unless that leaves one character.
fn without_style(family: &str, style: &str) -> String {
    if family.len() <= style.len() || !family.ends_with(style) {
        return family.to_string();
    }
    let bytes = family.as_bytes();
    let mut at = family.len() - style.len() - 1;
    while at > 0 && matches!(bytes[at], b'-' | b' ' | b'_' | b'+') {
        at -= 1;
    }
    if at > 0 { String::from_utf8_lossy(&bytes[..=at]).into_owned() } else { family.to_string() }
}

fn wrap(cff: Vec<u8>) -> CffResult<BareCff> {
    let font = CffFontRef::new_cff(&cff, 0, None).map_err(|_| INVALID_TABLE)?;
    let metadata = font.metadata().unwrap_or_default();
    let glyphs = font.num_glyphs().min(0xFFFF);
    let units_per_em = font.upem() as u16;
    let bbox = metadata.bbox();
    let [x_min, y_min, x_max, y_max] =
        [bbox.x_min, bbox.y_min, bbox.x_max, bbox.y_max].map(|value| round_fix(i64::from(value.to_bits())));
    let (x_min, y_min, x_max, y_max) = (x_min >> 16, y_min >> 16, (x_max + 0xFFFF) >> 16, (y_max + 0xFFFF) >> 16);
    let ascender = i64::from(y_max as i16);
    let descender = i64::from(y_min as i16);
    let mut height = i64::from((i64::from(units_per_em) * 12 / 10) as i16);
    if height < ascender - descender {
        height = i64::from((ascender - descender) as i16);
    }
    let height = height.abs();

    let family = match metadata.family_name() {
        Some(family) => Some(family.to_string()),
        None => metadata.name().map(|name| without_subset_prefix(name).to_string()),
    };
    let mut style = None;
    let mut family = family;
    if let (Some(name), Some(full)) = (&family, metadata.full_name()) {
        style = style_from_full_name(name, full);
        if let Some(style) = &style {
            family = Some(without_style(name, style));
        }
    }

    let advances = advances(&font, &cff, glyphs);

    let mut head = Vec::with_capacity(54);
    head.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    head.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    head.extend_from_slice(&0u32.to_be_bytes());
    head.extend_from_slice(&0x5F0F_3CF5u32.to_be_bytes());
    head.extend_from_slice(&0u16.to_be_bytes());
    head.extend_from_slice(&units_per_em.to_be_bytes());
    head.extend_from_slice(&[0; 16]);
    for value in [x_min, y_min, x_max, y_max] {
        head.extend_from_slice(&(value as i16).to_be_bytes());
    }
    head.extend_from_slice(&[0, 0, 0, 0, 0, 2, 0, 0, 0, 0]);
    let mut hhea = Vec::with_capacity(36);
    hhea.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for value in [ascender, descender, 0] {
        hhea.extend_from_slice(&(value as i16).to_be_bytes());
    }
    hhea.extend_from_slice(&advances.iter().max().copied().unwrap_or(0).to_be_bytes());
    hhea.extend_from_slice(&[0; 22]);
    hhea.extend_from_slice(&(glyphs as u16).to_be_bytes());
    let hmtx: Vec<u8> = advances.iter().flat_map(|advance| [advance.to_be_bytes(), [0, 0]].concat()).collect();
    let mut maxp = 0x0000_5000u32.to_be_bytes().to_vec();
    maxp.extend_from_slice(&(glyphs as u16).to_be_bytes());
    let cmap = unicode_cmap(&font, glyphs);
    let tables = vec![
        Table { tag: *b"CFF ", data: cff },
        Table { tag: *b"cmap", data: cmap },
        Table { tag: *b"head", data: head },
        Table { tag: *b"hhea", data: hhea },
        Table { tag: *b"hmtx", data: hmtx },
        Table { tag: *b"maxp", data: maxp },
    ];
    Ok(BareCff {
        sfnt: sfnt(u32::from_be_bytes(*b"OTTO"), tables)?,
        family,
        style: style.unwrap_or_else(|| "Regular".to_string()),
        line: (ascender, descender, height),
        units_per_em: i64::from(units_per_em),
    })
}

/// A `cmap` with the Unicode map FreeType's `psnames` makes of the glyph
/// names (format 12, Windows Unicode), none for a CID-keyed font or one
/// whose names map to nothing.
fn unicode_cmap(font: &CffFontRef<'_>, glyphs: u32) -> Vec<u8> {
    let mut out = vec![0, 0, 0, 0];
    if font.is_cid() {
        return out;
    }
    let Some(charset) = font.charset() else {
        return out;
    };
    let names: Vec<(GlyphId, String)> = (0..glyphs)
        .filter_map(|glyph| {
            let sid = charset.string_id(GlyphId::new(glyph)).ok()?;
            let name = font.string(sid)?;
            Some((GlyphId::new(glyph), String::from_utf8_lossy(name).into_owned()))
        })
        .collect();
    let charmap = Charmap::from_glyph_names(names.iter().map(|(glyph, name)| (*glyph, name.as_str())));
    let mut codes: Vec<u32> = charmap.iter().map(|(code, _)| code & 0x7FFF_FFFF).collect();
    codes.dedup();
    let mut groups: Vec<(u32, u32, u32)> = Vec::new();
    for code in codes {
        let Some(glyph) = charmap.map(code) else {
            continue;
        };
        let glyph = glyph.to_u32();
        match groups.last_mut() {
            Some((start, end, first)) if *end + 1 == code && *first + (code - *start) == glyph => *end = code,
            _ => groups.push((code, code, glyph)),
        }
    }
    if groups.is_empty() {
        return out;
    }
    out[3] = 1;
    out.extend_from_slice(&[0, 3, 0, 10, 0, 0, 0, 12]);
    out.extend_from_slice(&[0, 12, 0, 0]);
    out.extend_from_slice(&(16 + 12 * groups.len() as u32).to_be_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(groups.len() as u32).to_be_bytes());
    for (start, end, glyph) in groups {
        for value in [start, end, glyph] {
            out.extend_from_slice(&value.to_be_bytes());
        }
    }
    out
}

/// A copy of the SFNT whose `head` units per em is one HarfBuzz's reader
/// takes (16 to 16384): a bare CFF's may be anything, and the shaper's
/// only use of it here is to scale positioning a bare CFF does not have.
pub fn for_shaping(sfnt: &[u8]) -> Vec<u8> {
    let mut copy = sfnt.to_vec();
    let count = copy.get(4..6).map_or(0, |bytes| usize::from(u16::from_be_bytes([bytes[0], bytes[1]])));
    for record in 0..count {
        let at = 12 + record * 16;
        if copy.get(at..at + 4) == Some(b"head") {
            let offset = u32::from_be_bytes([copy[at + 8], copy[at + 9], copy[at + 10], copy[at + 11]]) as usize;
            if let Some(field) = copy.get_mut(offset + 18..offset + 20) {
                let upem = u16::from_be_bytes([field[0], field[1]]).clamp(16, 16384);
                field.copy_from_slice(&upem.to_be_bytes());
            }
        }
    }
    copy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::Face;
    use crate::font_testing::bare_cff;

    /// Layout, box and mask of "A a\u{416}" at 40 pixels: advances (26.6),
    /// the box (width, height, y offset), the mask's size and byte sum.
    type Measured = (Vec<i64>, (i64, i64, i64), (usize, usize, u64));

    fn measured(face: &mut Face) -> Measured {
        let codes: Vec<u32> = "A a\u{416}".chars().map(u32::from).collect();
        let placed = face.layout(&codes, false).expect("laid out");
        let text_box = face.text_box(&placed, false, false, "la").expect("a box");
        let mask = face.render(&placed, false, false, "la", 0.0, false, (0.0, 0.0), 1 << 20, None).expect("a mask");
        let sum = mask.pixels.iter().map(|&value| u64::from(value)).sum();
        (
            placed.iter().map(|glyph| glyph.x_advance).collect(),
            (text_box.width, text_box.height, text_box.y_offset),
            (mask.width, mask.height, sum),
        )
    }

    #[test]
    fn a_bare_cff_is_measured_and_drawn_as_freetype_does() {
        // Expected values: Pillow 13 (FreeType 2.14) on the same bytes.
        let mut face = Face::new(bare_cff(false), 0, 40.0).expect("a bare CFF");
        assert_eq!(face.names(), Ok((Some("Bare Test".to_string()), Some("Bold".to_string()))));
        assert_eq!(face.size_metrics(), (28 * 64, -4 * 64, 48 * 64));
        assert_eq!(face.glyph_count(), Ok(5));
        assert_eq!(face.glyph_indices(&[0x41, 0x20, 0x61, 0x416, 0x42]), Ok(vec![2, 1, 3, 4, 0]));
        assert_eq!(measured(&mut face), (vec![1280, 640, 1024, 768], (58, 24, 4), (58, 24, 199_581)));
        // A FontMatrix of 0.0005: 2000 units per em.
        let mut face = Face::new(bare_cff(true), 0, 40.0).expect("a bare CFF");
        assert_eq!(face.size_metrics(), (14 * 64, -2 * 64, 48 * 64));
        assert_eq!(measured(&mut face), (vec![640, 320, 512, 384], (29, 12, 2), (29, 12, 49_975)));
    }

    #[test]
    fn what_freetype_refuses_is_refused_with_its_message() {
        let font = bare_cff(false);
        assert_eq!(Face::new(font[..4].to_vec(), 0, 10.0).err(), Some(STREAM));
        assert_eq!(Face::new(font[..60].to_vec(), 0, 10.0).err(), Some(STREAM));
        assert_eq!(Face::new(font.clone(), 1, 10.0).err(), Some(INVALID_ARGUMENT));
        let mut two_names = font.clone();
        two_names[5] = 2;
        assert_eq!(Face::new(two_names, 0, 10.0).err(), Some(INVALID_TABLE));
        let mut bad_offset_size = font.clone();
        bad_offset_size[15] = 9;
        assert_eq!(Face::new(bad_offset_size, 0, 10.0).err(), Some(INVALID_TABLE));
    }

    #[test]
    fn an_index_is_read_as_freetype_reads_it() {
        // Offsets 1, 0 (skipped), 200 (past the end: cut there), 3.
        let data = [0, 3, 1, 1, 0, 200, 3, 7, 8, 9];
        let (index, end) = Index::read(&data, 0).expect("an index");
        assert_eq!(end, 9);
        assert_eq!(index.element(&data, 0), Ok(&data[7..]));
        assert_eq!(index.element(&data, 1), Ok(&[][..]));
        assert_eq!(index.element(&data, 2), Ok(&[][..]));
        // Read whole (strings, subroutines): offsets clamped instead.
        assert_eq!(index.elements(&data), Ok(vec![&data[7..9], &[][..], &[][..]]));
        assert_eq!(index.element(&data, 3), Err(INVALID_ARGUMENT));
    }

    #[test]
    fn any_damage_is_an_error_or_a_face_never_a_panic() {
        let font = bare_cff(false);
        for at in 0..font.len() {
            let _ = Face::new(font[..at].to_vec(), 0, 12.0);
            for value in [0x00, 0xFF, 0x7F, 0x1D] {
                let mut damaged = font.clone();
                damaged[at] = value;
                if let Ok(mut face) = Face::new(damaged, 0, 12.0) {
                    let _ = face.names();
                    if let Ok(placed) = face.layout(&[0x41, 0x61, 0x416], false) {
                        let _ = face.render(&placed, false, false, "la", 1.0, false, (0.0, 0.0), 1 << 20, None);
                    }
                }
            }
        }
    }
}
