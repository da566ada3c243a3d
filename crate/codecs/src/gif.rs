//! GIF as Pillow reads and writes it: the first frame drawn at its place
//! on the logical screen, as palette indices (Pillow's "P") or RGBA (the
//! transparent index keeps its colour with alpha 0, as Pillow's
//! `convert("RGBA")` gives it); any frame's pixels decoded as Pillow's
//! decoder does (the host reads GIF's blocks and composes the frames), and
//! a frame's LZW data as Pillow's writer lays it out.

use crate::error::{CodecError, Limits, Result, try_alloc};
use crate::rgba::{Decoded, expand_to_rgba};

/// True when `file` starts like a GIF file.
pub fn is_gif(file: &[u8]) -> bool {
    file.starts_with(b"GIF87a") || file.starts_with(b"GIF89a")
}

/// The first frame as RGBA: its palette's colours, the transparent index
/// with alpha 0, as Pillow's `convert("RGBA")` gives them.
pub fn decode_gif(file: &[u8], limits: Limits) -> Result<Decoded> {
    decode_gif_indexed(file, limits, false).map(Decoded::into_rgba)
}

/// The first frame's palette indices ("P"), with the palette they index,
/// read as Pillow's GIF reader reads it (the same steps as the host's
/// `GifImagePlugin`, so that both refuse the same files with the same
/// reasons): the blocks before the first image descriptor are walked
/// (extensions skipped, their graphic control giving the transparent index,
/// stray bytes passed over), the frame's own palette is used, else the
/// file's (greys when neither is needed: Pillow's "L"), a frame reaching
/// past the logical screen enlarges the picture (the enlarged size checked
/// against the limits before anything is allocated), what the frame does
/// not cover holds the transparent index, or 0, and the pixels are decoded
/// by [`decode_gif_frame`] from the frame's sub-blocks up to their
/// terminator.
pub fn decode_gif_indexed(file: &[u8], limits: Limits, load_truncated: bool) -> Result<Decoded> {
    let no_image = || CodecError::damaged("GIF", "it has no image");
    let field = |at: usize| usize::from(u16::from_le_bytes([file[at], file[at + 1]]));
    if file.len() < 13 {
        return Err(CodecError::damaged("GIF", "it is truncated"));
    }
    let screen = (field(6), field(8));
    let flags = file[10];
    let mut at = 13;
    let mut palette: Option<&[u8]> = None;
    if flags & 128 != 0 {
        let table = &file[at.min(file.len())..(at + (3 << ((flags & 7) + 1))).min(file.len())];
        at += 3 << ((flags & 7) + 1);
        palette = palette_needed(table).then_some(table);
    }
    let mut transparency = None;
    let (extent, interlaced, data_at) = loop {
        let Some(&byte) = file.get(at) else { return Err(no_image()) };
        at += 1;
        match byte {
            b';' => return Err(no_image()),
            b'!' => {
                let label = file.get(at).copied();
                at += 1;
                let first = sub_block(file, &mut at);
                if let (Some(0xF9), Some(block)) = (label, first) {
                    if block[0] & 1 != 0 && block.len() > 3 {
                        transparency = Some(block[3]);
                    }
                }
                // As Pillow: a comment's blocks end at its terminator; after
                // any other extension blocks are skipped until one is empty,
                // even when its first already was.
                if label != Some(0xFE) || first.is_some() {
                    while sub_block(file, &mut at).is_some() {}
                }
            }
            b',' => {
                if file.len() < at + 9 {
                    return Err(no_image());
                }
                let (left, top) = (field(at), field(at + 2));
                let (width, height) = (field(at + 4), field(at + 6));
                let local = file[at + 8];
                at += 9;
                if local & 128 != 0 {
                    let table = &file[at.min(file.len())..(at + (3 << ((local & 7) + 1))).min(file.len())];
                    at += 3 << ((local & 7) + 1);
                    // A local palette of the greys in order makes the frame "L", as in Pillow.
                    palette = palette_needed(table).then_some(table);
                }
                break ((left, top, width, height), local & 64 != 0, at);
            }
            _ => {}
        }
    };
    let (left, top, frame_width, frame_height) = extent;
    let width = screen.0.max(left + frame_width);
    let height = screen.1.max(top + frame_height);
    let len = limits.rgba_len("GIF", width as u32, height as u32)?;
    let mut pixels = try_alloc(len)?;
    let indices = &mut pixels[..width * height];
    indices.fill(transparency.unwrap_or(0));
    if frame_width > 0 && frame_height > 0 {
        let mut end = data_at + 1;
        while end < file.len() && file[end] != 0 {
            end += 1 + usize::from(file[end]);
        }
        let data = &file[data_at.min(file.len())..(end + 1).min(file.len())];
        let frame = decode_gif_frame(
            data,
            0,
            frame_width as u32,
            frame_height as u32,
            interlaced,
            None,
            limits,
            load_truncated,
        )?;
        for row in 0..frame_height {
            let line = &mut indices[(top + row) * width + left..][..frame_width];
            let decoded = &frame.indices[row * frame_width..][..frame_width];
            if frame.mask.is_empty() {
                line.copy_from_slice(decoded);
            } else {
                let written = &frame.mask[row * frame_width..][..frame_width];
                for ((pixel, &index), &mask) in line.iter_mut().zip(decoded).zip(written) {
                    if mask == 255 {
                        *pixel = index;
                    }
                }
            }
        }
    }
    expand_to_rgba(&mut pixels, 1);
    let colours: Vec<[u8; 3]> = match palette {
        Some(table) => table.chunks_exact(3).map(|rgb| [rgb[0], rgb[1], rgb[2]]).collect(),
        None => (0..=255).map(|grey| [grey, grey, grey]).collect(),
    };
    let palette = colours
        .iter()
        .enumerate()
        .map(|(index, rgb)| [rgb[0], rgb[1], rgb[2], if transparency == Some(index as u8) { 0 } else { 255 }])
        .collect();
    Ok(Decoded::indexed(width as u32, height as u32, pixels, palette))
}

/// Pillow's `data()`: the sub-block at `at` (None at a terminator or the
/// file's end), `at` moved past it.
fn sub_block<'a>(file: &'a [u8], at: &mut usize) -> Option<&'a [u8]> {
    let size = usize::from(*file.get(*at).unwrap_or(&0));
    *at += 1;
    if size == 0 {
        return None;
    }
    let block = &file[(*at).min(file.len())..(*at + size).min(file.len())];
    *at += size;
    (!block.is_empty()).then_some(block)
}

/// Pillow's test: a palette other than the greys 0, 1, 2... in order.
fn palette_needed(table: &[u8]) -> bool {
    table
        .chunks_exact(3)
        .enumerate()
        .any(|(index, rgb)| !(rgb[0] as usize == index && rgb[1] == rgb[0] && rgb[2] == rgb[0]))
}

/// One frame's palette indices as Pillow's GIF decoder leaves them, and
/// which of them it writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrameIndices {
    /// `width * height` indices, row after row (0 where nothing was decoded).
    pub indices: Vec<u8>,
    /// 255 where the decoder writes its index, 0 where the pixel under it
    /// stays (the transparent index, or past a truncated stream); empty
    /// when every pixel is written.
    pub mask: Vec<u8>,
}

/// The largest code table of GIF's LZW (12-bit codes), and the longest
/// string Pillow's decoder expands (its buffer).
const LZW_TABLE: usize = 4096;

/// Reads GIF's data sub-blocks as one stream of bytes, as Pillow's decoder
/// does: a block is used only once all of it is there, and an empty block
/// is skipped (Pillow reads on into the bytes that follow it).
struct SubBlocks<'a> {
    file: &'a [u8],
    at: usize,
    left: usize,
}

impl SubBlocks<'_> {
    fn next_byte(&mut self) -> Option<u8> {
        while self.left == 0 {
            let size = usize::from(*self.file.get(self.at)?);
            if self.file.len() - self.at < size + 1 {
                return None;
            }
            self.at += 1;
            self.left = size;
        }
        self.left -= 1;
        self.at += 1;
        Some(self.file[self.at - 1])
    }
}

/// Why a frame's pixels stopped before its last row.
enum Stop {
    Truncated,
    Broken(&'static str),
}

/// A GIF frame's pixels: `width` x `height` palette indices from the LZW
/// data at `at` (its code size byte, then the sub-blocks), interlaced or
/// not, decoded as Pillow's `GifDecode.c` decodes them: the first code
/// after a clear is taken as a colour, a code past the table's next entry
/// is an error, the table stops growing at 4096 entries, and decoding ends
/// at the frame's last pixel (an end code before it, or the file's end, is
/// a truncated frame). `transparency` is the index Pillow's decoder does
/// not write (frames after the first in "P" and "L"). With `load_truncated`
/// a truncated or broken stream gives the pixels decoded before it.
#[allow(clippy::too_many_arguments)]
pub fn decode_gif_frame(
    file: &[u8],
    at: usize,
    width: u32,
    height: u32,
    interlaced: bool,
    transparency: Option<u8>,
    limits: Limits,
    load_truncated: bool,
) -> Result<FrameIndices> {
    let len = limits.rgba_len("GIF", width, height)? / 4;
    let mut indices = try_alloc(len)?;
    let mut mask = try_alloc(len)?;
    let rows: Vec<usize> = frame_rows(height as usize, interlaced).collect();
    let width = width as usize;
    let stop = match file.get(at) {
        None => Some(Stop::Truncated),
        Some(&bits) if bits > 12 => {
            return Err(CodecError::damaged("GIF", format!("its LZW code size is {bits}, more than 12")));
        }
        Some(&bits) => {
            let mut blocks = SubBlocks { file, at: at + 1, left: 0 };
            let mut written = 0;
            let mut put = |index: u8| {
                let row = rows[written / width];
                let at = row * width + written % width;
                indices[at] = index;
                if transparency != Some(index) {
                    mask[at] = 255;
                }
                written += 1;
                written == len
            };
            lzw_into(&mut blocks, bits, &mut put)
        }
    };
    match stop {
        Some(Stop::Truncated) if !load_truncated => Err(CodecError::damaged("GIF", "it is truncated")),
        Some(Stop::Broken(reason)) if !load_truncated => Err(CodecError::damaged("GIF", reason)),
        _ => {
            if mask.iter().all(|&written| written == 255) {
                mask = Vec::new();
            }
            Ok(FrameIndices { indices, mask })
        }
    }
}

/// Decodes LZW codes of `bits` from `blocks`, giving each index to `put`
/// until it returns true (the frame is full): None then, else why not.
fn lzw_into(blocks: &mut SubBlocks, bits: u8, put: &mut impl FnMut(u8) -> bool) -> Option<Stop> {
    let clear = 1usize << bits;
    let end = clear + 1;
    let mut link = vec![0u16; LZW_TABLE];
    let mut data = vec![0u8; LZW_TABLE];
    let mut string = Vec::with_capacity(LZW_TABLE);
    let (mut bit_buffer, mut bit_count) = (0u32, 0u32);
    let mut code_size = u32::from(bits) + 1;
    let mut next = clear + 2;
    let (mut last_code, mut last_data) = (0usize, 0u8);
    let mut after_clear = true;
    loop {
        while bit_count < code_size {
            let Some(byte) = blocks.next_byte() else { return Some(Stop::Truncated) };
            bit_buffer |= u32::from(byte) << bit_count;
            bit_count += 8;
        }
        let code = (bit_buffer & ((1 << code_size) - 1)) as usize;
        bit_buffer >>= code_size;
        bit_count -= code_size;
        if code == clear {
            if !after_clear {
                next = clear + 2;
                code_size = u32::from(bits) + 1;
                after_clear = true;
            }
            continue;
        }
        if code == end {
            return Some(Stop::Truncated);
        }
        if after_clear {
            if code > clear {
                return Some(Stop::Broken("its first LZW code after a clear code is not a colour"));
            }
            (last_code, last_data) = (code, code as u8);
            after_clear = false;
            if put(code as u8) {
                return None;
            }
            continue;
        }
        if code > next {
            return Some(Stop::Broken(
                "its LZW-compressed pixels use a code the table does not hold yet (a looping or corrupt table)",
            ));
        }
        string.clear();
        let mut expanding = code;
        if code == next {
            string.push(last_data);
            expanding = last_code;
        }
        while expanding >= clear {
            if string.len() >= LZW_TABLE || expanding >= LZW_TABLE {
                return Some(Stop::Broken("its LZW strings are longer than the table allows"));
            }
            string.push(data[expanding]);
            expanding = usize::from(link[expanding]);
        }
        last_data = expanding as u8;
        if next < LZW_TABLE {
            data[next] = last_data;
            link[next] = last_code as u16;
            if next == (1 << code_size) - 1 && code_size < 12 {
                code_size += 1;
            }
            next += 1;
        }
        last_code = code;
        if put(last_data) || string.iter().rev().any(|&index| put(index)) {
            return None;
        }
    }
}

/// The image data of a GIF frame of `width` x `height` `indices` (a byte
/// each), byte for byte as Pillow's writer lays it out: LZW with 8-bit
/// codes as Pillow's encoder (`GifEncode.c`) chooses them (a clear code
/// first, the code width growing as soon as a code needs it, a clear code
/// once the table has 4096 entries, the end code last), cut into
/// sub-blocks of at most 255 bytes, without the code size byte before them
/// nor the empty block after them. Rows go in GIF's four interlaced passes
/// when `interlaced`.
pub fn encode_gif_lzw(indices: &[u8], width: u32, height: u32, interlaced: bool) -> Result<Vec<u8>> {
    let (width, height) = (width as usize, height as usize);
    if indices.len() != width * height || indices.is_empty() {
        return Err(CodecError::CannotWrite {
            format: "GIF",
            reason: format!("{} indices for a {width}x{height} frame", indices.len()),
        });
    }
    let mut ordered = try_alloc(indices.len())?;
    for (at, row) in frame_rows(height, interlaced).enumerate() {
        ordered[at * width..][..width].copy_from_slice(&indices[row * width..][..width]);
    }
    let codes = lzw_codes(&ordered);
    let mut blocks = Vec::with_capacity(codes.len() + codes.len() / 255 + 1);
    for block in codes.chunks(255) {
        blocks.push(block.len() as u8);
        blocks.extend_from_slice(block);
    }
    Ok(blocks)
}

/// Codes packed least significant bit first, as GIF stores them.
struct CodeWriter {
    bytes: Vec<u8>,
    buffer: u32,
    bits: u32,
}

impl CodeWriter {
    fn put(&mut self, code: u16, width: u32) {
        self.buffer |= u32::from(code) << self.bits;
        self.bits += width;
        while self.bits >= 8 {
            self.bytes.push(self.buffer as u8);
            self.buffer >>= 8;
            self.bits -= 8;
        }
    }

    fn finish(mut self) -> Vec<u8> {
        if self.bits > 0 {
            self.bytes.push(self.buffer as u8);
        }
        self.bytes
    }
}

/// Pillow's LZW codes of `data` (8-bit symbols), packed.
fn lzw_codes(data: &[u8]) -> Vec<u8> {
    const CLEAR: u16 = 256;
    const END: u16 = 257;
    const LIMIT: u16 = LZW_TABLE as u16;
    let mut table: std::collections::HashMap<u32, u16> = std::collections::HashMap::new();
    let (mut next_code, mut max_code, mut width) = (END + 1, 2 * CLEAR - 1, 9u32);
    let mut out = CodeWriter { bytes: Vec::with_capacity(data.len() / 2), buffer: 0, bits: 0 };
    out.put(CLEAR, width);
    let mut head = u16::from(data[0]);
    for &tail in &data[1..] {
        let key = u32::from(head) << 8 | u32::from(tail);
        if let Some(&code) = table.get(&key) {
            head = code;
            continue;
        }
        out.put(head, width);
        if next_code < LIMIT {
            table.insert(key, next_code);
            if next_code > max_code {
                max_code = max_code * 2 + 1;
                width += 1;
            }
            next_code += 1;
        } else {
            out.put(CLEAR, width);
            table.clear();
            (next_code, max_code, width) = (END + 1, 2 * CLEAR - 1, 9);
        }
        head = u16::from(tail);
    }
    out.put(head, width);
    out.put(END, width);
    out.finish()
}

/// The order in which a frame's rows are stored: top to bottom, or GIF's
/// four interlaced passes (every 8th row from 0, every 8th from 4, every
/// 4th from 2, every 2nd from 1).
fn frame_rows(height: usize, interlaced: bool) -> impl Iterator<Item = usize> {
    let passes: &[(usize, usize)] = if interlaced { &[(0, 8), (4, 8), (2, 4), (1, 2)] } else { &[(0, 1)] };
    passes.iter().flat_map(move |&(first, step)| (first..height).step_by(step))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::decode_with_each_byte_flipped;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    /// A GIF with a 4-colour palette, index 3 transparent, and one frame of
    /// `frame` size at `at` on a `screen`-sized canvas.
    fn gif_file(screen: (u16, u16), at: (u16, u16), frame: (u16, u16), indices: &[u8]) -> Vec<u8> {
        let mut file = Vec::new();
        {
            let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255, 9, 9, 9];
            let mut encoder = gif::Encoder::new(&mut file, screen.0, screen.1, &palette).unwrap();
            let mut image = gif::Frame::from_indexed_pixels(frame.0, frame.1, indices.to_vec(), Some(3));
            image.left = at.0;
            image.top = at.1;
            encoder.write_frame(&image).unwrap();
        }
        file
    }

    #[test]
    fn the_first_frame_lands_on_the_screen() {
        let file = gif_file((3, 2), (1, 1), (2, 1), &[1, 3]);
        assert!(is_gif(&file));
        let decoded = decode_gif(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (3, 2));
        // Uncovered pixels hold the transparent index, as in Pillow.
        let mut expected = [9, 9, 9, 0].repeat(6);
        expected[16..20].copy_from_slice(&[0, 255, 0, 255]);
        assert_eq!(decoded.pixels, expected);
        let indexed = decode_gif_indexed(&file, LIMITS, false).unwrap();
        assert_eq!(indexed.mode, "P");
        assert_eq!(indexed.pixels.chunks(4).map(|pixel| pixel[0]).collect::<Vec<u8>>(), [3, 3, 3, 3, 1, 3]);
        assert_eq!(indexed.palette, [[255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255], [9, 9, 9, 0]]);
    }

    #[test]
    fn a_frame_past_the_screen_enlarges_the_picture_as_in_pillow() {
        let file = gif_file((2, 2), (1, 1), (2, 2), &[0, 1, 2, 0]);
        let decoded = decode_gif(&file, LIMITS).unwrap();
        assert_eq!((decoded.width, decoded.height), (3, 3));
        let (clear, red, green, blue) = ([9, 9, 9, 0], [255, 0, 0, 255], [0, 255, 0, 255], [0, 0, 255, 255]);
        let expected = [[clear, clear, clear], [clear, red, green], [clear, blue, red]];
        assert_eq!(decoded.pixels, expected.concat().concat());
    }

    #[test]
    fn interlaced_rows_land_in_their_places() {
        let indices: Vec<u8> = (0..10).map(|row| row % 3).collect();
        // The encoder writes rows as given: in the passes' order.
        let stored: Vec<u8> = [0, 8, 4, 2, 6, 1, 3, 5, 7, 9].iter().map(|&row| indices[row]).collect();
        let mut file = Vec::new();
        {
            let palette = [255, 0, 0, 0, 255, 0, 0, 0, 255];
            let mut encoder = gif::Encoder::new(&mut file, 1, 10, &palette).unwrap();
            let mut frame = gif::Frame::from_indexed_pixels(1, 10, stored, None);
            frame.interlaced = true;
            encoder.write_frame(&frame).unwrap();
        }
        let decoded = decode_gif(&file, LIMITS).unwrap();
        let greens: Vec<u8> = decoded.pixels.chunks_exact(4).map(|pixel| pixel[1]).collect();
        let expected: Vec<u8> = indices.iter().map(|&index| if index == 1 { 255 } else { 0 }).collect();
        assert_eq!(greens, expected);
    }

    #[test]
    fn a_code_not_yet_in_the_table_is_refused() {
        // Two colours, so codes are 2 bits plus one: clear is 4, end is 5,
        // and after the first index the next free code is 6. The stream
        // sends clear, index 1, then code 7, which a decoder that follows
        // prefix chains without checking would loop on.
        let mut file = gif_file((2, 1), (0, 0), (2, 1), &[1, 1]);
        let image = file.iter().position(|&byte| byte == b',').unwrap();
        let data = image + 10 + 1; // descriptor, then the minimum code size
        let codes: u32 = 4 | (1 << 3) | (7 << 6) | (5 << 9);
        file.truncate(data);
        file.extend([2, codes as u8, (codes >> 8) as u8, 0, b';']);
        assert_eq!(
            decode_gif(&file, LIMITS).unwrap_err().to_string(),
            "cannot read the GIF file: its LZW-compressed pixels use a code the table does not hold yet \
             (a looping or corrupt table)"
        );
    }

    /// Where the LZW data (its code size byte) of the first frame starts.
    fn lzw_start(file: &[u8]) -> usize {
        let image = file.iter().position(|&byte| byte == b',').unwrap();
        let flags = file[image + 9];
        image + 10 + if flags & 0x80 != 0 { 3 << ((flags & 7) + 1) } else { 0 }
    }

    #[test]
    fn frames_decode_as_pillow_writes_them() {
        let indices: Vec<u8> = (0..60u32).map(|at| (at * 7 % 4) as u8).collect();
        let file = gif_file((10, 6), (0, 0), (10, 6), &indices);
        let at = lzw_start(&file);
        let frame = decode_gif_frame(&file, at, 10, 6, false, None, LIMITS, false).unwrap();
        assert_eq!(frame.indices, indices);
        assert!(frame.mask.is_empty());
        // The transparent index (3) is left unwritten.
        let skipping = decode_gif_frame(&file, at, 10, 6, false, Some(3), LIMITS, false).unwrap();
        let expected: Vec<u8> = indices.iter().map(|&index| if index == 3 { 0 } else { 255 }).collect();
        assert_eq!(skipping.mask, expected);
        // Interlaced rows land in their places.
        let stored: Vec<u8> = [0, 4, 2, 1, 3, 5].iter().flat_map(|&row| indices[row * 10..][..10].to_vec()).collect();
        let mut interlaced = gif_file((10, 6), (0, 0), (10, 6), &stored);
        let descriptor = interlaced.iter().position(|&byte| byte == b',').unwrap();
        interlaced[descriptor + 9] |= 0x40;
        let frame = decode_gif_frame(&interlaced, at, 10, 6, true, None, LIMITS, false).unwrap();
        assert_eq!(frame.indices, indices);
    }

    #[test]
    fn written_frames_decode_back() {
        let indices: Vec<u8> = (0..3000u32).map(|at| (at * 31 % 251) as u8).collect();
        for interlaced in [false, true] {
            let mut file = vec![8];
            file.extend(encode_gif_lzw(&indices, 60, 50, interlaced).unwrap());
            file.push(0);
            let frame = decode_gif_frame(&file, 0, 60, 50, interlaced, None, LIMITS, false).unwrap();
            assert_eq!(frame.indices, indices);
        }
        assert!(encode_gif_lzw(&indices, 7, 7, false).is_err());
    }

    #[test]
    fn truncated_frames_give_errors_or_what_they_hold() {
        let indices = vec![1u8; 64];
        let file = gif_file((8, 8), (0, 0), (8, 8), &indices);
        let at = lzw_start(&file);
        // A whole first sub-block of 3 bytes, then the file ends.
        let mut cut = file[..at + 5].to_vec();
        cut[at + 1] = 3;
        let cut = &cut[..];
        assert_eq!(
            decode_gif_frame(cut, at, 8, 8, false, None, LIMITS, false).unwrap_err().to_string(),
            "cannot read the GIF file: it is truncated"
        );
        let partial = decode_gif_frame(cut, at, 8, 8, false, None, LIMITS, true).unwrap();
        assert!(partial.mask.contains(&0) && partial.mask.contains(&255));
        let mut wide = file.clone();
        wide[at] = 13;
        assert!(decode_gif_frame(&wide, at, 8, 8, false, None, LIMITS, false).is_err());
        assert!(decode_gif_frame(&file, file.len(), 8, 8, false, None, LIMITS, false).is_err());
        let huge = decode_gif_frame(&file, at, 65_535, 65_535, false, None, LIMITS, false).unwrap_err();
        assert!(huge.to_string().contains("too large"), "{huge}");
        decode_with_each_byte_flipped(&file, at, &[0x33, 0xFF], |flipped| {
            drop(decode_gif_frame(flipped, at, 8, 8, false, Some(1), LIMITS, true));
        });
    }

    #[test]
    fn truncated_and_oversized_files_give_errors() {
        let file = gif_file((4, 4), (0, 0), (4, 4), &[1; 16]);
        for cut in [6, 12, 20, file.len() - 3] {
            let error = decode_gif(&file[..cut], LIMITS).unwrap_err();
            assert!(error.to_string().starts_with("cannot read the GIF file: "), "cut {cut}: {error}");
        }
        let mut huge = file.clone();
        huge[6..10].copy_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF]);
        assert_eq!(
            decode_gif(&huge, LIMITS).unwrap_err().to_string(),
            "the GIF file claims 65535x65535 pixels, too large: width must be at most 16384, got 65535"
        );
        decode_with_each_byte_flipped(&file, 6, &[0x33], |flipped| drop(decode_gif(flipped, LIMITS)));
    }
}
