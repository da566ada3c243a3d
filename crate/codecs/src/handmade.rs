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
