//! TIFF, its first image, read as Pillow 13's TiffImagePlugin reads
//! baseline files: little- or big-endian, strips or tiles, uncompressed,
//! PackBits, LZW (with the horizontal predictor), deflate or CCITT fax
//! (modified Huffman, Group 3 and Group 4, `ccitt`), either fill order, 1 bit
//! (bilevel, black or white is zero) or 8 bits a sample in 1 to 4 samples
//! (grey, grey and alpha, RGB, RGB and alpha), chunky, and 8-bit palette
//! files. A TIFF is untrusted: the directory's entries are counted before
//! they are read, every offset and count is checked against the file, and
//! each strip or tile is decompressed into at most the bytes its rows need.

use crate::ccitt::{self, Coding};
use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::Decoded;

fn damaged(reason: impl Into<String>) -> CodecError {
    CodecError::damaged("TIFF", reason)
}

/// True when `file` starts like a TIFF file (as Pillow's `_accept`, less BigTIFF).
pub fn is_tiff(file: &[u8]) -> bool {
    file.starts_with(b"II*\0") || file.starts_with(b"MM\0*")
}

/// The most entries a directory may hold: far more than any baseline tag
/// set, and few enough that reading them is cheap.
const MAX_ENTRIES: usize = 4096;

/// The most bytes a tile may take when the image is smaller: tiles of up
/// to 1024x1024 RGBA pixels over a small image.
const MAX_TILE_BYTES: usize = 4 << 20;

struct Reader<'a> {
    file: &'a [u8],
    big: bool,
}

impl Reader<'_> {
    fn u16(&self, at: usize) -> Option<u32> {
        let bytes: [u8; 2] = self.file.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(u32::from(if self.big { u16::from_be_bytes(bytes) } else { u16::from_le_bytes(bytes) }))
    }

    fn u32(&self, at: usize) -> Option<u32> {
        let bytes: [u8; 4] = self.file.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.big { u32::from_be_bytes(bytes) } else { u32::from_le_bytes(bytes) })
    }

    /// The values of the entry at `at` (BYTE, SHORT or LONG), at most `cap`
    /// of them; None for other types.
    fn values(&self, at: usize, cap: usize) -> Result<Option<Vec<u32>>> {
        let truncated = || damaged("image file is truncated");
        let kind = self.u16(at + 2).ok_or_else(truncated)?;
        let count = self.u32(at + 4).ok_or_else(truncated)? as usize;
        let size = match kind {
            1 => 1,
            3 => 2,
            4 => 4,
            _ => return Ok(None),
        };
        if count > cap {
            return Err(damaged(format!("a tag holds {count} values, more than the image needs ({cap})")));
        }
        let start = if count * size <= 4 { at + 8 } else { self.u32(at + 8).ok_or_else(truncated)? as usize };
        let mut values = Vec::with_capacity(count);
        for index in 0..count {
            let place = start.checked_add(index * size).ok_or_else(truncated)?;
            let value = match size {
                1 => self.file.get(place).map(|&byte| u32::from(byte)),
                2 => self.u16(place),
                _ => self.u32(place),
            };
            values.push(value.ok_or_else(truncated)?);
        }
        Ok(Some(values))
    }
}

/// The tags of the first directory this decoder reads.
#[derive(Default)]
struct Tags {
    width: u32,
    height: u32,
    bits: Vec<u32>,
    compression: u32,
    photometric: Option<u32>,
    offsets: Vec<u32>,
    counts: Vec<u32>,
    samples: u32,
    rows_per_strip: Option<u32>,
    planar: u32,
    predictor: u32,
    extra: Vec<u32>,
    colormap: Vec<u32>,
    tile: Option<(u32, u32)>,
    fill_order: u32,
    t4_options: u32,
}

fn read_tags(reader: &Reader) -> Result<Tags> {
    let truncated = || damaged("image file is truncated");
    let ifd = reader.u32(4).ok_or_else(truncated)? as usize;
    let entries = reader.u16(ifd).ok_or_else(truncated)? as usize;
    if entries == 0 || entries > MAX_ENTRIES {
        return Err(damaged(format!("its first directory has {entries} entries")));
    }
    if ifd + 2 + entries * 12 > reader.file.len() {
        return Err(truncated());
    }
    // The tables of strips and tiles are bounded by the file: each takes 2 bytes at least.
    let cap = reader.file.len() / 2 + 4;
    let mut tags = Tags { compression: 1, samples: 1, planar: 1, predictor: 1, fill_order: 1, ..Tags::default() };
    let mut tile_size = (None, None);
    for index in 0..entries {
        let at = ifd + 2 + index * 12;
        let tag = reader.u16(at).ok_or_else(truncated)?;
        if !matches!(tag, 256..=259 | 262 | 266 | 273 | 277..=279 | 284 | 292 | 317 | 320 | 322..=325 | 338) {
            continue;
        }
        let Some(values) = reader.values(at, if tag == 320 { 3 * 256 } else { cap })? else {
            continue;
        };
        let first = values.first().copied();
        match tag {
            256 => tags.width = first.unwrap_or(0),
            257 => tags.height = first.unwrap_or(0),
            258 => tags.bits = values,
            259 => tags.compression = first.unwrap_or(1),
            262 => tags.photometric = first,
            266 => tags.fill_order = first.unwrap_or(1),
            292 => tags.t4_options = first.unwrap_or(0),
            273 | 324 => tags.offsets = values,
            277 => tags.samples = first.unwrap_or(1),
            278 => tags.rows_per_strip = first,
            279 | 325 => tags.counts = values,
            284 => tags.planar = first.unwrap_or(1),
            317 => tags.predictor = first.unwrap_or(1),
            320 => tags.colormap = values,
            322 => tile_size.0 = first,
            323 => tile_size.1 = first,
            _ => tags.extra = values,
        }
    }
    if let (Some(width), Some(height)) = tile_size {
        tags.tile = Some((width, height));
    }
    Ok(tags)
}

/// Decompresses one strip or tile into exactly `len` bytes (short data
/// leaves zeros, as Pillow's decoders leave the image's own); fax coding
/// needs the rows' `width` and the T4Options.
fn decompress(data: &[u8], tags: &Tags, width: usize, len: usize) -> Result<Vec<u8>> {
    let fax = |coding| {
        let rows = len / width.div_ceil(8).max(1);
        ccitt::decode(data, width, rows, coding).map_err(damaged)
    };
    let mut out = match tags.compression {
        1 => data[..data.len().min(len)].to_vec(),
        2 => fax(Coding::ModifiedHuffman)?,
        3 => fax(Coding::Group3 { two_d: tags.t4_options & 1 == 1 })?,
        4 => fax(Coding::Group4)?,
        32773 => packbits(data, len),
        5 => lzw(data, len)?,
        8 | 32946 => match fdeflate::decompress_to_vec_bounded(data, len) {
            Ok(out) => out,
            Err(fdeflate::BoundedDecompressionError::OutputTooLarge { partial_output }) => partial_output,
            Err(fdeflate::BoundedDecompressionError::DecompressionError { .. }) => {
                return Err(damaged("its deflate data is damaged"));
            }
        },
        other => return Err(damaged(format!("compression {other} is not supported"))),
    };
    out.resize(len, 0);
    Ok(out)
}

fn packbits(data: &[u8], len: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(len);
    let mut at = 0;
    while at < data.len() && out.len() < len {
        let header = data[at] as i8;
        at += 1;
        if header >= 0 {
            let end = (at + header as usize + 1).min(data.len());
            out.extend_from_slice(&data[at..end]);
            at = end;
        } else if header != -128 {
            let Some(&byte) = data.get(at) else { break };
            out.resize(out.len() + (1 - isize::from(header)) as usize, byte);
            at += 1;
        }
    }
    out.truncate(len);
    out
}

/// TIFF's LZW: codes of 9 to 12 bits, most significant bit first, the width
/// growing one code early; 256 clears the table, 257 ends the data.
fn lzw(data: &[u8], len: usize) -> Result<Vec<u8>> {
    if data.starts_with(&[0, 1]) {
        return Err(damaged("old-style LZW compression is not supported"));
    }
    let mut out = Vec::with_capacity(len);
    let mut prefix = [0u16; 4096];
    let mut suffix = [0u8; 4096];
    let mut lengths = [0u16; 4096];
    for code in 0..256 {
        suffix[code] = code as u8;
        lengths[code] = 1;
    }
    let (mut next, mut width, mut previous) = (258usize, 9u32, None::<usize>);
    let (mut bits, mut held, mut at) = (0u32, 0u32, 0usize);
    let mut string = Vec::with_capacity(4096);
    while out.len() < len {
        while held < width {
            let Some(&byte) = data.get(at) else { return Ok(out) };
            bits = (bits << 8) | u32::from(byte);
            held += 8;
            at += 1;
        }
        let code = ((bits >> (held - width)) & ((1 << width) - 1)) as usize;
        held -= width;
        bits &= (1 << held) - 1;
        if code == 257 {
            break;
        }
        if code == 256 {
            (next, width, previous) = (258, 9, None);
            continue;
        }
        let Some(last) = previous else {
            if code > 255 {
                return Err(damaged("its LZW data is damaged"));
            }
            out.push(code as u8);
            previous = Some(code);
            continue;
        };
        let known = code < next && !(256..258).contains(&code);
        if !known && code != next {
            return Err(damaged("its LZW data is damaged"));
        }
        string.clear();
        let mut walk = if known { code } else { last };
        loop {
            string.push(suffix[walk]);
            if lengths[walk] == 1 {
                break;
            }
            walk = usize::from(prefix[walk]);
        }
        string.reverse();
        if !known {
            string.push(string[0]);
        }
        if next < 4096 {
            prefix[next] = last as u16;
            suffix[next] = string[0];
            lengths[next] = lengths[last] + 1;
            next += 1;
        }
        if next + 1 >= 1 << width && width < 12 {
            width += 1;
        }
        out.extend_from_slice(&string[..string.len().min(len - out.len())]);
        previous = Some(code);
    }
    Ok(out)
}

/// One strip of `rows` rows of `row_bytes` bytes compressed as a TIFF
/// writer stores it: 32773 PackBits (each row alone), 5 LZW, 8 or 32946
/// deflate (a zlib stream), or 2, 3 and 4 CCITT fax of bilevel rows of
/// `width` pixels (1 is the code's black); 1 stores the bytes as they are.
pub fn encode_strip(data: &[u8], compression: u32, width: usize, rows: usize) -> Result<Vec<u8>> {
    let cannot = |reason: String| CodecError::CannotWrite { format: "TIFF", reason };
    let row_bytes = data.len().checked_div(rows).unwrap_or(0);
    if row_bytes * rows != data.len() {
        return Err(cannot(format!("{} bytes are not {rows} whole rows", data.len())));
    }
    let fax = |coding| {
        if row_bytes != width.div_ceil(8) {
            return Err(cannot(format!("CCITT compression needs rows of 1 bit a pixel, not {row_bytes} bytes")));
        }
        Ok(ccitt::encode(data, width, rows, coding))
    };
    match compression {
        1 => Ok(data.to_vec()),
        2 => fax(Coding::ModifiedHuffman),
        3 => fax(Coding::Group3 { two_d: false }),
        4 => fax(Coding::Group4),
        5 => Ok(lzw_encode(data)),
        8 | 32946 => Ok(fdeflate::compress_to_vec(data)),
        32773 => Ok(data.chunks(row_bytes.max(1)).flat_map(packbits_encode).collect()),
        other => Err(cannot(format!("compression {other} is not supported"))),
    }
}

/// PackBits: runs of 2 to 128 equal bytes as a count and the byte,
/// other bytes as literals of up to 128.
fn packbits_encode(row: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(row.len() + row.len() / 128 + 1);
    let mut at = 0;
    while at < row.len() {
        let run = row[at..].iter().take(128).take_while(|&&byte| byte == row[at]).count();
        if run >= 2 {
            out.extend([(1 - run as i32) as u8, row[at]]);
            at += run;
            continue;
        }
        let start = at;
        while at < row.len() && at - start < 128 && !(at + 1 < row.len() && row[at] == row[at + 1]) {
            at += 1;
        }
        at = at.max(start + 1);
        out.push((at - start - 1) as u8);
        out.extend_from_slice(&row[start..at]);
    }
    out
}

/// TIFF's LZW, as `lzw` reads it: a clear code first, the code width
/// growing when the next free code reaches it, a clear code before the
/// table fills, the end code last.
fn lzw_encode(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len() / 2 + 8);
    let (mut held, mut count) = (0u32, 0u32);
    let mut put = |code: u32, width: u32, out: &mut Vec<u8>| {
        held = (held << width) | code;
        count += width;
        while count >= 8 {
            out.push((held >> (count - 8)) as u8);
            count -= 8;
        }
        held &= (1 << count) - 1;
    };
    let mut table = std::collections::HashMap::<(u16, u8), u16>::new();
    let (mut free, mut width) = (258u32, 9u32);
    put(256, width, &mut out);
    let mut bytes = data.iter();
    let Some(&first) = bytes.next() else {
        put(257, width, &mut out);
        put(0, 7, &mut out);
        return out;
    };
    let mut current = u16::from(first);
    for &byte in bytes {
        if let Some(&code) = table.get(&(current, byte)) {
            current = code;
            continue;
        }
        put(u32::from(current), width, &mut out);
        table.insert((current, byte), free as u16);
        free += 1;
        if free == 4094 {
            put(256, width, &mut out);
            table.clear();
            (free, width) = (258, 9);
        } else if free >= 1 << width && width < 12 {
            width += 1;
        }
        current = u16::from(byte);
    }
    put(u32::from(current), width, &mut out);
    free += 1;
    if free >= 1 << width && width < 12 {
        width += 1;
    }
    put(257, width, &mut out);
    put(0, 7, &mut out);
    out
}

pub fn decode_tiff(file: &[u8], limits: Limits) -> Result<Decoded> {
    if !is_tiff(file) {
        return Err(damaged("it does not start as a TIFF file"));
    }
    let reader = Reader { file, big: file[0] == b'M' };
    let tags = read_tags(&reader)?;
    let len = limits.rgba_len("TIFF", tags.width, tags.height)?;
    let (width, height) = (tags.width as usize, tags.height as usize);
    let samples = tags.samples as usize;
    let bits = tags.bits.first().copied().unwrap_or(1);
    // Pillow reads as many entries as there are samples, and ignores the rest.
    let sample_bits = &tags.bits[..tags.bits.len().min(samples)];
    if sample_bits.iter().any(|&each| each != bits) || !matches!((bits, samples), (1 | 2 | 4 | 16, 1) | (8, 1..=4)) {
        return Err(damaged(format!("samples of {sample_bits:?} bits ({samples} a pixel) are not supported")));
    }
    let photometric = tags.photometric.unwrap_or(if samples >= 3 { 2 } else { 1 });
    let supported = match photometric {
        // 16-bit grey is Pillow's "I;16" (or "I;16B"), either photometric.
        0 | 1 if bits == 16 => tags.planar == 1,
        0 | 1 => samples <= 2,
        2 => samples >= 3,
        3 => samples == 1 && tags.colormap.len() == 3 << bits,
        // CIELab, Pillow's "LAB": 8-bit L, a and b, pixels interleaved.
        8 => samples == 3 && bits == 8 && tags.planar == 1,
        _ => false,
    };
    if !supported || !matches!(tags.planar, 1 | 2) {
        return Err(damaged(format!("photometric interpretation {photometric} of {samples} samples is not supported")));
    }
    if tags.extra.first() == Some(&1) {
        return Err(damaged("associated (premultiplied) alpha is not supported"));
    }
    if bits == 16 && !matches!(tags.photometric, None | Some(0 | 1)) {
        return Err(damaged(format!(
            "samples of [16] bits with photometric interpretation {photometric} are not supported"
        )));
    }
    if matches!(tags.compression, 2..=4) && !(bits == 1 && samples == 1 && photometric <= 1) {
        return Err(damaged(format!("CCITT compression of {samples} samples of {bits} bits is not supported")));
    }
    if !matches!(tags.predictor, 1 | 2) || (tags.predictor == 2 && bits != 8) {
        return Err(damaged(format!("predictor {} is not supported", tags.predictor)));
    }
    // Each chunk's place in the image: strips span the width, tiles a grid.
    let (chunk_width, chunk_height) = match tags.tile {
        Some((0, _) | (_, 0)) => return Err(damaged("its tiles are empty")),
        Some((tile_width, tile_height)) => (tile_width as usize, tile_height as usize),
        None => (width, tags.rows_per_strip.unwrap_or(u32::MAX).clamp(1, tags.height) as usize),
    };
    // Planar files keep each sample in chunks of its own, plane after plane.
    let (planes, chunk_samples) = if tags.planar == 2 { (samples, 1) } else { (1, samples) };
    let row_bytes = (chunk_width * chunk_samples * bits as usize).div_ceil(8);
    // A tile may reach past the image, not far: its bytes are allocated.
    if row_bytes.saturating_mul(chunk_height) > len.max(MAX_TILE_BYTES) {
        return Err(damaged(format!("its {chunk_width}x{chunk_height} tiles are too large for the image")));
    }
    let across = width.div_ceil(chunk_width);
    let per_plane = across * height.div_ceil(chunk_height);
    let chunks = per_plane * planes;
    if tags.offsets.len() < chunks {
        return Err(damaged(format!("it has {} strips or tiles, {chunks} are needed", tags.offsets.len())));
    }
    // One sample a byte (below 8 bits, its value; 16-bit samples their two
    // bytes as stored), the whole image.
    let sample_bytes = if bits == 16 { 2 } else { 1 };
    let mut image = try_alloc(width * height * samples * sample_bytes)?;
    for chunk in 0..chunks {
        let (plane, place) = (chunk / per_plane, chunk % per_plane);
        let (left, top) = ((place % across) * chunk_width, (place / across) * chunk_height);
        let rows = chunk_height.min(height - top);
        let stored_rows = if tags.tile.is_some() { chunk_height } else { rows };
        let offset = tags.offsets[chunk] as usize;
        let count = tags.counts.get(chunk).map_or(file.len(), |&count| count as usize);
        let data = file.get(offset..).ok_or_else(|| damaged("image file is truncated"))?;
        let data = &data[..data.len().min(count)];
        // Fill order 2 keeps each byte's bits least significant first.
        let reversed: Vec<u8>;
        let data = if tags.fill_order == 2 {
            reversed = data.iter().map(|byte| byte.reverse_bits()).collect();
            &reversed[..]
        } else {
            data
        };
        let mut raw = decompress(data, &tags, chunk_width, row_bytes * stored_rows)?;
        for (row, line) in raw.chunks_exact_mut(row_bytes).take(rows).enumerate() {
            if tags.predictor == 2 {
                for index in chunk_samples..line.len() {
                    line[index] = line[index].wrapping_add(line[index - chunk_samples]);
                }
            }
            let columns = chunk_width.min(width - left);
            let start = ((top + row) * width + left) * samples * sample_bytes;
            let target = &mut image[start..start + columns * samples * sample_bytes];
            if bits == 16 {
                target.copy_from_slice(&line[..columns * 2]);
            } else if bits == 8 && planes == 1 {
                target.copy_from_slice(&line[..columns * samples]);
            } else if bits == 8 {
                for (sample, &value) in target.iter_mut().skip(plane).step_by(samples).zip(line.iter()) {
                    *sample = value;
                }
            } else {
                let bits = bits as usize;
                for (x, sample) in target.iter_mut().enumerate() {
                    let at = x * bits;
                    *sample = line[at / 8] >> (8 - bits - at % 8) & ((1 << bits) - 1) as u8;
                }
            }
        }
    }
    if bits == 16 {
        // "I;16" as stored: the value, a little-endian u32 (Pillow keeps the
        // samples as they are, min-is-white too).
        let mut pixels = try_alloc(len)?;
        for (pixel, bytes) in pixels.chunks_exact_mut(4).zip(image.chunks_exact(2)) {
            let value = if reader.big { [bytes[1], bytes[0]] } else { [bytes[0], bytes[1]] };
            pixel.copy_from_slice(&[value[0], value[1], 0, 0]);
        }
        return Ok(Decoded { mode: "I;16", ..Decoded::rgba(tags.width, tags.height, pixels) });
    }
    if bits < 8 && photometric != 3 {
        // Greys below 8 bits spread over 0 to 255, as Pillow's unpackers spread them.
        let scale = (255 / ((1u32 << bits) - 1)) as u8;
        image.iter_mut().for_each(|sample| *sample *= scale);
    }
    let mut pixels = try_alloc(len)?;
    for (pixel, source) in pixels.chunks_exact_mut(4).zip(image.chunks_exact(samples)) {
        let rgba = match (photometric, samples) {
            (0, _) => [255 - source[0], 255 - source[0], 255 - source[0], source.get(1).copied().unwrap_or(255)],
            // Palette indices are kept ("P"), as Pillow keeps them.
            (3, _) => [source[0], source[0], source[0], 255],
            // Pillow stores a and b offset by 128, the file signed.
            (8, _) => [source[0], source[1] ^ 0x80, source[2] ^ 0x80, 255],
            (_, 1) => [source[0], source[0], source[0], 255],
            (_, 2) => [source[0], source[0], source[0], source[1]],
            (_, 3) => [source[0], source[1], source[2], 255],
            // ExtraSamples 0 (unspecified) is Pillow's "RGBX": the fourth byte is not alpha.
            _ => [source[0], source[1], source[2], if tags.extra.first() == Some(&0) { 255 } else { source[3] }],
        };
        pixel.copy_from_slice(&rgba);
    }
    if photometric == 3 {
        // Pillow scales the colour map's 16-bit values to 8 bits by dividing by 256.
        let count = 1usize << bits;
        let channel = |plane: usize, index: usize| (tags.colormap[plane * count + index] / 256) as u8;
        let palette = (0..count).map(|index| [channel(0, index), channel(1, index), channel(2, index), 255]).collect();
        return Ok(Decoded::indexed(tags.width, tags.height, pixels, palette));
    }
    Ok(Decoded::rgba(tags.width, tags.height, pixels))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;
    use crate::handmade::tiff_file;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    #[test]
    fn sixteen_bit_grey_keeps_its_values() {
        let file = tiff_file((2, 1), &[16], 1, 1, 1, &[&[0x34, 0x12, 0xFF, 0xFF]]);
        let decoded = decode_tiff(&file, LIMITS).unwrap();
        assert_eq!((decoded.mode, &decoded.pixels[..]), ("I;16", &[0x34, 0x12, 0, 0, 0xFF, 0xFF, 0, 0][..]));
    }

    #[test]
    fn cielab_is_stored_as_pillow_stores_lab() {
        // Signed a and b in the file (-128 and 127), offset by 128 as stored.
        let file = tiff_file((1, 1), &[8, 8, 8], 8, 1, 1, &[&[50, 0x80, 0x7F]]);
        assert_eq!(decode_tiff(&file, LIMITS).unwrap().pixels, [50, 0, 255, 255]);
    }

    #[test]
    fn uncompressed_strips_of_each_kind() {
        let file = tiff_file((2, 2), &[8, 8, 8], 2, 1, 1, &[&[1, 2, 3, 4, 5, 6], &[7, 8, 9, 10, 11, 12]]);
        assert!(is_tiff(&file));
        let pixels = decode_tiff(&file, LIMITS).unwrap().pixels;
        assert_eq!(pixels, [1, 2, 3, 255, 4, 5, 6, 255, 7, 8, 9, 255, 10, 11, 12, 255]);
        // 1 bit, black is zero, one strip of two rows padded to a byte each.
        let file = tiff_file((3, 2), &[1], 1, 1, 2, &[&[0b1010_0000, 0b0110_0000]]);
        let greys: Vec<u8> = decode_tiff(&file, LIMITS).unwrap().pixels.chunks(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [255, 0, 255, 0, 255, 255]);
        // Grey and alpha, white is zero.
        let file = tiff_file((1, 1), &[8, 8], 0, 1, 1, &[&[10, 20]]);
        assert_eq!(decode_tiff(&file, LIMITS).unwrap().pixels, [245, 245, 245, 20]);
    }

    #[test]
    fn packbits_lzw_and_the_predictor() {
        // PackBits: a run of 3, then 1 literal.
        let file = tiff_file((4, 1), &[8], 1, 32773, 1, &[&[0xFE, 9, 0, 7]]);
        let greys: Vec<u8> = decode_tiff(&file, LIMITS).unwrap().pixels.chunks(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [9, 9, 9, 7]);
        // LZW of "AAAA" in 9-bit codes: clear, 65, 258 (AA), 65, end.
        let codes = [256u32, 65, 258, 65, 257];
        let mut bits = 0u64;
        for code in codes {
            bits = (bits << 9) | u64::from(code);
        }
        let stream: Vec<u8> = (0..6).map(|index| (bits << 3 >> (40 - 8 * index)) as u8).collect();
        let file = tiff_file((4, 1), &[8], 1, 5, 1, &[&stream]);
        let greys: Vec<u8> = decode_tiff(&file, LIMITS).unwrap().pixels.chunks(4).map(|pixel| pixel[0]).collect();
        assert_eq!(greys, [65, 65, 65, 65]);
        assert_eq!(lzw(&stream, 100).unwrap(), b"AAAA");
    }

    #[test]
    fn each_compression_written_reads_back() {
        let mut data: Vec<u8> = (0..9000u32).map(|index| (index * index / 7 % 251) as u8).collect();
        data.extend(std::iter::repeat_n(9u8, 700));
        data.extend((0..300u32).map(|index| (index % 3) as u8));
        let (width, rows) = (100usize, data.len() / 100);
        for compression in [1u32, 5, 8, 32946, 32773] {
            let strip = encode_strip(&data, compression, width, rows).unwrap();
            let mut tags = Tags { compression, ..Tags::default() };
            tags.fill_order = 1;
            assert_eq!(decompress(&strip, &tags, width, data.len()).unwrap(), data, "compression {compression}");
        }
        // Bilevel rows of 800 pixels.
        for compression in [2u32, 3, 4] {
            let strip = encode_strip(&data, compression, 800, rows).unwrap();
            let tags = Tags { compression, fill_order: 1, ..Tags::default() };
            assert_eq!(decompress(&strip, &tags, 800, data.len()).unwrap(), data, "compression {compression}");
        }
        assert!(encode_strip(&data, 4, 10, rows).is_err());
        assert!(encode_strip(&data[..5], 5, 10, 2).is_err());
        assert!(encode_strip(&data, 7, 100, rows).is_err());
        assert_eq!(lzw(&lzw_encode(b""), 10).unwrap(), b"");
    }

    #[test]
    fn bad_files_give_errors() {
        let file = tiff_file((4, 2), &[8, 8, 8, 8], 2, 32773, 1, &[&[0xF1, 7], &[0x9F, 1]]);
        assert!(decode_tiff(&file, LIMITS).is_ok());
        for cut in [3, 8, 20, file.len() - 1] {
            let _ = decode_tiff(&file[..cut], LIMITS);
        }
        assert!(decode_tiff(&file[..8], LIMITS).is_err());
        decode_with_each_byte_flipped(&file, 0, &[0x01, 0x80, 0xFF], |flipped| drop(decode_tiff(flipped, LIMITS)));
    }
}
