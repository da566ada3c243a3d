//! Files made by hand for the tests (the unit tests here and the fuzz
//! test's seeds): what no encoder in the tree writes, such as interlaced
//! PNG, a chosen zlib stream or any BMP variant. Nothing in the decoders
//! uses it; the wasm build leaves it out as dead code.

/// A TGA file: its 18-byte header (image `kind`, bits a pixel, descriptor
/// `flags`, size, colour map start, length and bits) and `body` (the map
/// and the pixels).
pub fn tga_file(kind: u8, depth: u8, flags: u8, size: (u16, u16), map: Option<(u16, u16, u8)>, body: &[u8]) -> Vec<u8> {
    let (start, length, map_depth) = map.unwrap_or((0, 0, 0));
    let mut file = vec![0, u8::from(map.is_some()), kind];
    for value in [start, length] {
        file.extend(value.to_le_bytes());
    }
    file.push(map_depth);
    file.extend([0; 4]);
    file.extend(size.0.to_le_bytes());
    file.extend(size.1.to_le_bytes());
    file.extend([depth, flags]);
    file.extend(body);
    file
}

/// A PCX file (version 5, run-length encoded) of `bits` in `planes`,
/// `size`, `stride` bytes a plane's line, then `data` and `tail` (where an
/// 8-bit file keeps its palette); the header's 16 colours are a ramp.
pub fn pcx_file(bits: u8, planes: u8, size: (u16, u16), stride: u16, data: &[u8], tail: &[u8]) -> Vec<u8> {
    let mut file = vec![10, 5, 1, bits];
    for value in [0, 0, size.0 - 1, size.1 - 1, 72, 72] {
        file.extend(u16::to_le_bytes(value));
    }
    file.extend((0..48).map(|index| (index * 5) as u8));
    file.push(0);
    file.push(planes);
    file.extend(stride.to_le_bytes());
    file.resize(128, 0);
    file.extend(data);
    file.extend(tail);
    file
}

/// A PNG file of `chunks` (type, data) after the signature, each with its
/// length and CRC.
pub fn png_of(chunks: &[(&[u8; 4], Vec<u8>)]) -> Vec<u8> {
    let mut file = crate::png::PNG_SIGNATURE.to_vec();
    for (kind, data) in chunks {
        file.extend((data.len() as u32).to_be_bytes());
        let start = file.len();
        file.extend(*kind);
        file.extend(data);
        let crc = crc32fast::hash(&file[start..]);
        file.extend(crc.to_be_bytes());
    }
    file
}

/// The data of an IHDR chunk.
pub fn ihdr(width: u32, height: u32, depth: u8, colour: u8, interlaced: bool) -> Vec<u8> {
    [&width.to_be_bytes()[..], &height.to_be_bytes(), &[depth, colour, 0, 0, u8::from(interlaced)]].concat()
}

/// `data` as a zlib stream of stored (uncompressed) blocks.
pub fn zlib_stored(data: &[u8]) -> Vec<u8> {
    let mut stream = vec![0x78, 0x01];
    let blocks: Vec<&[u8]> = if data.is_empty() { vec![&[]] } else { data.chunks(65_535).collect() };
    for (index, block) in blocks.iter().enumerate() {
        stream.push(u8::from(index + 1 == blocks.len()));
        let len = block.len() as u16;
        stream.extend(len.to_le_bytes());
        stream.extend((!len).to_le_bytes());
        stream.extend(*block);
    }
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65_521;
        b = (b + a) % 65_521;
    }
    stream.extend(((b << 16) | a).to_be_bytes());
    stream
}

/// A BMP file: a 40-byte info header (108 bytes, a V4 header, when four
/// masks are given; with three, they follow the 40 bytes as BITFIELDS
/// wants), the palette's RGB colours as BGRX, then `data` as it is.
pub fn bmp_file(
    width: i32,
    height: i32,
    bits: u16,
    compression: u32,
    palette: &[[u8; 3]],
    masks: &[u32],
    data: &[u8],
) -> Vec<u8> {
    let header_size = if masks.len() == 4 { 108 } else { 40 };
    let offset = 14 + header_size.max(40 + masks.len() * 4) + palette.len() * 4;
    let mut file = b"BM".to_vec();
    file.extend(((offset + data.len()) as u32).to_le_bytes());
    file.extend([0; 4]);
    file.extend((offset as u32).to_le_bytes());
    file.extend((header_size as u32).to_le_bytes());
    file.extend(width.to_le_bytes());
    file.extend(height.to_le_bytes());
    file.extend(1u16.to_le_bytes());
    file.extend(bits.to_le_bytes());
    file.extend(compression.to_le_bytes());
    file.extend((data.len() as u32).to_le_bytes());
    file.extend([0; 8]);
    file.extend((palette.len() as u32).to_le_bytes());
    file.extend([0; 4]);
    for mask in masks {
        file.extend(mask.to_le_bytes());
    }
    file.resize(14 + header_size.max(40 + masks.len() * 4), 0);
    for [red, green, blue] in palette {
        file.extend([*blue, *green, *red, 0]);
    }
    file.extend(data);
    file
}

/// A little-endian TIFF of `size`, `bits` a sample (one entry a sample),
/// `photometric`, `compression` and `rows_per_strip`, its `strips` stored
/// one after the other after the directory.
pub fn tiff_file(
    size: (u32, u32),
    bits: &[u16],
    photometric: u16,
    compression: u16,
    rows_per_strip: u32,
    strips: &[&[u8]],
) -> Vec<u8> {
    let entries = 9u16;
    let directory_end = 8 + 2 + 12 * usize::from(entries) + 4;
    let bits_at = directory_end;
    let offsets_at = bits_at + 2 * bits.len();
    let counts_at = offsets_at + 4 * strips.len();
    let mut data_at = counts_at + 4 * strips.len();
    let mut file = b"II*\0".to_vec();
    file.extend(8u32.to_le_bytes());
    file.extend(entries.to_le_bytes());
    let mut entry = |tag: u16, kind: u16, count: usize, value: u32| {
        file.extend(tag.to_le_bytes());
        file.extend(kind.to_le_bytes());
        file.extend((count as u32).to_le_bytes());
        file.extend(value.to_le_bytes());
    };
    let inline_or =
        |count: usize, size: usize, at: usize, first: u32| if count * size <= 4 { first } else { at as u32 };
    entry(256, 4, 1, size.0);
    entry(257, 4, 1, size.1);
    let bits_value = if bits.len() <= 2 {
        u32::from(bits[0]) | u32::from(bits.get(1).copied().unwrap_or(0)) << 16
    } else {
        bits_at as u32
    };
    entry(258, 3, bits.len(), bits_value);
    entry(259, 3, 1, u32::from(compression));
    entry(262, 3, 1, u32::from(photometric));
    entry(273, 4, strips.len(), inline_or(strips.len(), 4, offsets_at, data_at as u32));
    entry(277, 3, 1, bits.len() as u32);
    entry(278, 4, 1, rows_per_strip);
    let first_count = strips.first().map_or(0, |strip| strip.len() as u32);
    entry(279, 4, strips.len(), inline_or(strips.len(), 4, counts_at, first_count));
    file.extend(0u32.to_le_bytes());
    for value in bits {
        file.extend(value.to_le_bytes());
    }
    let mut offsets = Vec::new();
    for strip in strips {
        offsets.push(data_at as u32);
        data_at += strip.len();
    }
    for value in offsets {
        file.extend(value.to_le_bytes());
    }
    for strip in strips {
        file.extend((strip.len() as u32).to_le_bytes());
    }
    for strip in strips {
        file.extend_from_slice(strip);
    }
    file
}

/// An FLI frame holding `chunks` (each: its type and body), as the frames
/// after a file's 128-byte header follow one another.
pub fn fli_frame(chunks: &[(u16, Vec<u8>)]) -> Vec<u8> {
    let mut frame = vec![0u8; 16];
    frame[4..6].copy_from_slice(&0xF1FAu16.to_le_bytes());
    frame[6..8].copy_from_slice(&(chunks.len() as u16).to_le_bytes());
    for (kind, body) in chunks {
        frame.extend((body.len() as u32 + 6).to_le_bytes());
        frame.extend(kind.to_le_bytes());
        frame.extend(body);
    }
    let size = frame.len() as u32;
    frame[..4].copy_from_slice(&size.to_le_bytes());
    frame
}
