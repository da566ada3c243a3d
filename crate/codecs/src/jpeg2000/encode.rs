//! Our JPEG 2000 encoder, writing what Pillow's default save (OpenJPEG)
//! writes: lossless, the reversible 5/3 wavelet (with Pillow's `mct` the
//! reversible colour transform over RGB), one tile, 64x64 code-blocks, one quality
//! layer in LRCP order, and 6 resolution levels or as many as the image's
//! sides allow (OpenJPEG's rule: each side at least 2^(levels - 1)). The
//! codestream goes raw (.j2k) or in a JP2 file.

use super::tier1::{Band, Coded, code_block};
use crate::error::{CodecError, Result};
use crate::rgba::Layout;

/// What Pillow's save options ask of the encoder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// Resolution levels (Pillow's `num_resolutions`); 0 picks OpenJPEG's default.
    pub resolutions: u8,
    /// A JP2 file around the codestream (Pillow's default but for ".j2k" and `no_jp2`).
    pub jp2: bool,
    /// The reversible colour transform over the first three components (Pillow's `mct`).
    pub mct: bool,
    /// The comment marker's text (Pillow's `comment`), if any.
    pub comment: Option<Vec<u8>>,
}

impl Default for Settings {
    fn default() -> Self {
        Self { resolutions: 0, jp2: true, mct: false, comment: None }
    }
}

const CODE_BLOCK: usize = 64;

fn refuse(reason: impl Into<String>) -> CodecError {
    CodecError::CannotWrite { format: "JPEG2000", reason: reason.into() }
}

/// The resolution levels OpenJPEG picks: 6, fewer while a side is shorter than 2^(levels - 1).
fn default_resolutions(width: usize, height: usize) -> u8 {
    let mut levels = 6;
    while levels > 1 && (width < 1 << (levels - 1) || height < 1 << (levels - 1)) {
        levels -= 1;
    }
    levels
}

/// A JPEG 2000 file of `width` x `height` `pixels` in `layout`, lossless.
pub fn encode_jpeg2000(pixels: &[u8], width: u32, height: u32, layout: Layout, settings: &Settings) -> Result<Vec<u8>> {
    let (width, height) = (width as usize, height as usize);
    let channels = usize::from(layout.bytes_per_pixel());
    let resolutions = match settings.resolutions {
        0 => default_resolutions(width, height),
        asked if asked > 33 => return Err(refuse(format!("num_resolutions must be at most 33, got {asked}"))),
        asked if width < 1 << (asked - 1) || height < 1 << (asked - 1) => {
            // OpenJPEG's refusal, which Pillow reports as an OSError.
            return Err(refuse(format!(
                "{asked} resolutions need each side to be at least {} pixels",
                1 << (asked - 1)
            )));
        }
        asked => asked,
    };
    let levels = usize::from(resolutions - 1);
    let mut planes: Vec<Vec<i32>> = (0..channels)
        .map(|channel| pixels.iter().skip(channel).step_by(channels).map(|&sample| i32::from(sample) - 128).collect())
        .collect();
    let transform = settings.mct && channels >= 3;
    if let ([red, green, blue, ..], true) = (planes.as_mut_slice(), transform) {
        for ((r, g), b) in red.iter_mut().zip(green.iter_mut()).zip(blue.iter_mut()) {
            (*r, *g, *b) = ((*r + 2 * *g + *b) >> 2, *b - *g, *r - *g);
        }
    }
    for plane in &mut planes {
        forward_dwt(plane, width, height, levels);
    }
    let coded: Vec<Vec<Vec<BandBlocks>>> =
        planes.iter().map(|plane| code_resolutions(plane, width, height, levels)).collect();
    // Guard bits enough for the largest block's bit-planes (OpenJPEG's 2 at least).
    let guard_bits = coded
        .iter()
        .flatten()
        .flatten()
        .flat_map(|band| {
            band.blocks.iter().map(|block| (block.bit_planes + 1).saturating_sub(8 + u32::from(gain(band.band))))
        })
        .fold(2, u32::max);
    if guard_bits > 7 {
        return Err(refuse("the coefficients need more than 7 guard bits"));
    }
    if settings.comment.as_ref().is_some_and(|comment| comment.len() > 65_531) {
        return Err(refuse("a comment must be at most 65531 bytes long"));
    }
    let mut stream = main_header(width, height, channels, resolutions, transform, guard_bits, settings);
    let packets = packets(&coded, guard_bits);
    let tile_part_length = 12 + 2 + packets.len();
    stream.extend_from_slice(&[0xFF, 0x90, 0, 10, 0, 0]);
    stream.extend_from_slice(
        &u32::try_from(tile_part_length).map_err(|_| refuse("the tile is over 4 GiB"))?.to_be_bytes(),
    );
    stream.extend_from_slice(&[0, 1, 0xFF, 0x93]);
    stream.extend_from_slice(&packets);
    stream.extend_from_slice(&[0xFF, 0xD9]);
    Ok(if settings.jp2 { jp2_file(&stream, width, height, channels) } else { stream })
}

/// A band's gain in bits: 0 for LL, 1 for HL and LH, 2 for HH.
fn gain(band: Band) -> u8 {
    match band {
        Band::Ll => 0,
        Band::Hl | Band::Lh => 1,
        Band::Hh => 2,
    }
}

fn main_header(
    width: usize,
    height: usize,
    channels: usize,
    resolutions: u8,
    transform: bool,
    guard_bits: u32,
    settings: &Settings,
) -> Vec<u8> {
    let mut out = vec![0xFF, 0x4F, 0xFF, 0x51];
    let (w, h) = (width as u32, height as u32);
    out.extend_from_slice(&(38 + 3 * channels as u16).to_be_bytes());
    out.extend_from_slice(&[0, 0]);
    for value in [w, h, 0, 0, w, h, 0, 0] {
        out.extend_from_slice(&value.to_be_bytes());
    }
    out.extend_from_slice(&(channels as u16).to_be_bytes());
    for _ in 0..channels {
        out.extend_from_slice(&[7, 1, 1]);
    }
    // COD: no precincts given, LRCP, one layer, 64x64 blocks, the 5/3 wavelet.
    out.extend_from_slice(&[0xFF, 0x52, 0, 12, 0, 0, 0, 1, u8::from(transform), resolutions - 1, 4, 4, 0, 1]);
    // QCD: no quantization, each band's exponent: the bit depth and its gain.
    let bands = 1 + 3 * usize::from(resolutions - 1);
    out.extend_from_slice(&[0xFF, 0x5C]);
    out.extend_from_slice(&(3 + bands as u16).to_be_bytes());
    out.push((guard_bits as u8) << 5);
    out.push(8 << 3);
    for _ in 1..resolutions {
        out.extend_from_slice(&[9 << 3, 9 << 3, 10 << 3]);
    }
    if let Some(comment) = &settings.comment {
        out.extend_from_slice(&[0xFF, 0x64]);
        out.extend_from_slice(&(4 + comment.len() as u16).to_be_bytes());
        out.extend_from_slice(&[0, 1]);
        out.extend_from_slice(comment);
    }
    out
}

/// The JP2 boxes around `stream`: signature, file type, header (image
/// header and colour: sRGB or greyscale), the codestream.
fn jp2_file(stream: &[u8], width: usize, height: usize, channels: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(stream.len() + 100);
    let boxed = |out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]| {
        out.extend_from_slice(&(8 + body.len() as u32).to_be_bytes());
        out.extend_from_slice(kind);
        out.extend_from_slice(body);
    };
    boxed(&mut out, b"jP  ", b"\x0d\x0a\x87\x0a");
    boxed(&mut out, b"ftyp", b"jp2 \0\0\0\0jp2 ");
    let mut header = Vec::new();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&(height as u32).to_be_bytes());
    ihdr.extend_from_slice(&(width as u32).to_be_bytes());
    ihdr.extend_from_slice(&(channels as u16).to_be_bytes());
    ihdr.extend_from_slice(&[7, 7, 0, 0]);
    boxed(&mut header, b"ihdr", &ihdr);
    let colour: u32 = if channels >= 3 { 16 } else { 17 };
    let mut colr = vec![1, 0, 0];
    colr.extend_from_slice(&colour.to_be_bytes());
    boxed(&mut header, b"colr", &colr);
    if channels % 2 == 0 {
        // The last channel is the opacity of the whole image.
        let mut cdef = (channels as u16).to_be_bytes().to_vec();
        for channel in 0..channels as u16 {
            let (kind, association) =
                if usize::from(channel) == channels - 1 { (1u16, 0u16) } else { (0, channel + 1) };
            for value in [channel, kind, association] {
                cdef.extend_from_slice(&value.to_be_bytes());
            }
        }
        boxed(&mut header, b"cdef", &cdef);
    }
    boxed(&mut out, b"jp2h", &header);
    boxed(&mut out, b"jp2c", stream);
    out
}

/// The 5/3 lifting of one line (`stride` apart, `count` samples): the
/// low-pass half first, then the high-pass (F.4.8.2, symmetric extension).
fn lift(data: &mut [i32], start: usize, stride: usize, count: usize, scratch: &mut Vec<i32>) {
    if count < 2 {
        return;
    }
    scratch.clear();
    scratch.extend((0..count).map(|index| data[start + index * stride]));
    let x = |index: isize| -> i32 {
        let reflected = if index < 0 {
            -index
        } else if index >= count as isize {
            2 * (count as isize - 1) - index
        } else {
            index
        };
        scratch[reflected as usize]
    };
    let highs = count / 2;
    let lows = count - highs;
    let high: Vec<i32> =
        (0..highs).map(|i| x(2 * i as isize + 1) - ((x(2 * i as isize) + x(2 * i as isize + 2)) >> 1)).collect();
    let high_at = |i: isize| high[i.clamp(0, highs as isize - 1) as usize];
    for i in 0..lows {
        let value = x(2 * i as isize) + ((high_at(i as isize - 1) + high_at(i as isize) + 2) >> 2);
        data[start + i * stride] = value;
    }
    for (i, value) in high.into_iter().enumerate() {
        data[start + (lows + i) * stride] = value;
    }
}

/// `levels` decompositions of the `width` x `height` plane in place, each
/// of the low-pass quarter: columns, then rows (the inverse runs rows
/// first), as OpenJPEG does.
fn forward_dwt(plane: &mut [i32], width: usize, height: usize, levels: usize) {
    let (mut w, mut h) = (width, height);
    let mut scratch = Vec::new();
    for _ in 0..levels {
        for x in 0..w {
            lift(plane, x, width, h, &mut scratch);
        }
        for y in 0..h {
            lift(plane, y * width, 1, w, &mut scratch);
        }
        (w, h) = (w.div_ceil(2), h.div_ceil(2));
    }
}

/// One band's code-blocks coded, in raster order, with its block grid.
struct BandBlocks {
    band: Band,
    columns: usize,
    rows: usize,
    blocks: Vec<Coded>,
}

/// Each resolution's bands (LL; then HL, LH, HH per level, coarsest
/// first) cut into code-blocks and coded.
fn code_resolutions(plane: &[i32], width: usize, height: usize, levels: usize) -> Vec<Vec<BandBlocks>> {
    let size_at = |level: usize| (width.div_ceil(1 << level), height.div_ceil(1 << level));
    let mut resolutions = Vec::new();
    let (lw, lh) = size_at(levels);
    resolutions.push(vec![code_band(plane, width, (0, 0, lw, lh), Band::Ll)]);
    for level in (1..=levels).rev() {
        let (low_w, low_h) = size_at(level);
        let (full_w, full_h) = size_at(level - 1);
        resolutions.push(vec![
            code_band(plane, width, (low_w, 0, full_w - low_w, low_h), Band::Hl),
            code_band(plane, width, (0, low_h, low_w, full_h - low_h), Band::Lh),
            code_band(plane, width, (low_w, low_h, full_w - low_w, full_h - low_h), Band::Hh),
        ]);
    }
    resolutions
}

fn code_band(plane: &[i32], stride: usize, (x0, y0, w, h): (usize, usize, usize, usize), band: Band) -> BandBlocks {
    let (columns, rows) = (w.div_ceil(CODE_BLOCK), h.div_ceil(CODE_BLOCK));
    let mut blocks = Vec::with_capacity(columns * rows);
    let mut samples = Vec::new();
    for row in 0..rows {
        for column in 0..columns {
            let (bx, by) = (column * CODE_BLOCK, row * CODE_BLOCK);
            let (bw, bh) = ((w - bx).min(CODE_BLOCK), (h - by).min(CODE_BLOCK));
            samples.clear();
            for y in by..by + bh {
                let at = (y0 + y) * stride + x0 + bx;
                samples.extend_from_slice(&plane[at..at + bw]);
            }
            blocks.push(code_block(&samples, bw, bh, band));
        }
    }
    BandBlocks { band, columns, rows, blocks }
}

/// Packet headers' bits, a 0 bit stuffed after each 0xFF byte (B.10.1).
struct BitWriter {
    out: Vec<u8>,
    buffer: u32,
    free: u32,
}

impl BitWriter {
    fn new() -> Self {
        Self { out: Vec::new(), buffer: 0, free: 8 }
    }

    fn byte_out(&mut self) {
        self.buffer = (self.buffer << 8) & 0xFFFF;
        self.free = if self.buffer == 0xFF00 { 7 } else { 8 };
        self.out.push((self.buffer >> 8) as u8);
    }

    fn bit(&mut self, bit: u32) {
        if self.free == 0 {
            self.byte_out();
        }
        self.free -= 1;
        self.buffer |= bit << self.free;
    }

    fn bits(&mut self, value: u32, count: u32) {
        for shift in (0..count).rev() {
            self.bit((value >> shift) & 1);
        }
    }

    fn finish(mut self) -> Vec<u8> {
        self.byte_out();
        if self.free == 7 {
            self.byte_out();
        }
        self.out
    }
}

/// A node of a tag tree: its value, the lowest bound coded so far, and
/// whether the value itself has been coded.
#[derive(Clone, Copy)]
struct Node {
    value: u32,
    low: u32,
    known: bool,
}

/// One level of a tag tree: its width and its nodes, row after row.
struct Level {
    width: usize,
    nodes: Vec<Node>,
}

/// A tag tree over a grid of values (B.10.2), coded node by node from the root.
struct TagTree {
    /// Leaves first, the root last.
    levels: Vec<Level>,
}

impl TagTree {
    fn new(columns: usize, rows: usize, values: impl Iterator<Item = u32>) -> Self {
        let leaves = values.map(|value| Node { value, low: 0, known: false }).collect();
        let mut levels = vec![Level { width: columns, nodes: leaves }];
        let (mut w, mut h) = (columns, rows);
        while w > 1 || h > 1 {
            let (pw, ph) = (w.div_ceil(2), h.div_ceil(2));
            let mut parents = vec![Node { value: u32::MAX, low: 0, known: false }; pw * ph];
            let below = &levels[levels.len() - 1].nodes;
            for y in 0..h {
                for x in 0..w {
                    let parent = &mut parents[(y / 2) * pw + x / 2];
                    parent.value = parent.value.min(below[y * w + x].value);
                }
            }
            levels.push(Level { width: pw, nodes: parents });
            (w, h) = (pw, ph);
        }
        Self { levels }
    }

    /// Codes whether the leaf at `index` has a value below `threshold`
    /// (and, reaching it, its value), as far as not coded before.
    fn encode(&mut self, writer: &mut BitWriter, index: usize, threshold: u32) {
        let columns = self.levels[0].width;
        let (mut x, mut y) = (index % columns, index / columns);
        let mut path = Vec::with_capacity(self.levels.len());
        for (level, Level { width, .. }) in self.levels.iter().enumerate() {
            path.push((level, y * width + x));
            (x, y) = (x / 2, y / 2);
        }
        let mut low = 0;
        for &(level, at) in path.iter().rev() {
            let node = &mut self.levels[level].nodes[at];
            low = low.max(node.low);
            while low < threshold {
                if low >= node.value {
                    if !node.known {
                        writer.bit(1);
                        node.known = true;
                    }
                    break;
                }
                writer.bit(0);
                low += 1;
            }
            node.low = low;
        }
    }
}

/// The passes a block's packet header says it holds (Table B.4).
fn code_passes(writer: &mut BitWriter, passes: u32) {
    match passes {
        1 => writer.bit(0),
        2 => writer.bits(0b10, 2),
        3..=5 => writer.bits(0b1100 | (passes - 3), 4),
        6..=36 => writer.bits((0b1111 << 5) | (passes - 6), 9),
        _ => writer.bits((0b1_1111_1111 << 7) | (passes - 37), 16),
    }
}

/// Every packet of the one layer, LRCP: resolution by resolution, each
/// component's in turn; one precinct a resolution.
fn packets(coded: &[Vec<Vec<BandBlocks>>], guard_bits: u32) -> Vec<u8> {
    let mut out = Vec::new();
    let resolutions = coded[0].len();
    for resolution in 0..resolutions {
        for component in coded {
            let bands = &component[resolution];
            let mut writer = BitWriter::new();
            let mut bodies = Vec::new();
            let included = bands.iter().any(|band| band.blocks.iter().any(|block| block.passes > 0));
            writer.bit(u32::from(included));
            if included {
                for band in bands {
                    let maximum = guard_bits + 8 + u32::from(gain(band.band)) - 1;
                    let mut inclusion = TagTree::new(
                        band.columns,
                        band.rows,
                        band.blocks.iter().map(|block| u32::from(block.passes == 0)),
                    );
                    let mut zero_planes = TagTree::new(
                        band.columns,
                        band.rows,
                        band.blocks.iter().map(|block| maximum - block.bit_planes.min(maximum)),
                    );
                    for (index, block) in band.blocks.iter().enumerate() {
                        inclusion.encode(&mut writer, index, 1);
                        if block.passes == 0 {
                            continue;
                        }
                        zero_planes.encode(&mut writer, index, u32::MAX);
                        code_passes(&mut writer, block.passes);
                        // Lblock starts at 3 and grows by the 1 bits before a 0.
                        let length = block.data.len() as u32;
                        let pass_bits = 31 - block.passes.leading_zeros();
                        let needed = 32 - length.leading_zeros();
                        let increase = needed.saturating_sub(3 + pass_bits);
                        for _ in 0..increase {
                            writer.bit(1);
                        }
                        writer.bit(0);
                        writer.bits(length, 3 + increase + pass_bits);
                        bodies.extend_from_slice(&block.data);
                    }
                }
            }
            out.extend_from_slice(&writer.finish());
            out.extend_from_slice(&bodies);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Limits;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 1 << 26 };

    fn noise(len: usize, seed: u32) -> Vec<u8> {
        let mut state = seed;
        (0..len)
            .map(|_| {
                state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
                (state >> 16) as u8
            })
            .collect()
    }

    #[test]
    fn hayro_reads_back_what_is_written() {
        for (width, height) in [(1, 1), (3, 2), (17, 5), (64, 64), (65, 130), (200, 77)] {
            for layout in [Layout::L, Layout::La, Layout::Rgb, Layout::Rgba] {
                let channels = usize::from(layout.bytes_per_pixel());
                let mut pixels = noise(width * height * channels, (width * 31 + height) as u32);
                // Smooth areas too, so that runs and refinements are coded.
                for (index, value) in pixels.iter_mut().enumerate().take(width * height * channels / 2) {
                    *value = (index / channels % width) as u8;
                }
                for (jp2, mct) in [(true, false), (false, true)] {
                    let settings = Settings { jp2, mct, ..Settings::default() };
                    let file = encode_jpeg2000(&pixels, width as u32, height as u32, layout, &settings).unwrap();
                    let decoded = super::super::decode_jpeg2000(&file, LIMITS, 0).unwrap();
                    let mut expected = pixels.clone();
                    expected.resize(width * height * 4, 0);
                    crate::rgba::expand_to_rgba(&mut expected, channels);
                    if channels == 4 {
                        expected = pixels.clone();
                    }
                    assert!(decoded.pixels == expected, "{width}x{height} {layout:?} jp2={jp2}");
                }
            }
        }
    }
}
