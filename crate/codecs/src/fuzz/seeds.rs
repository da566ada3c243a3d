//! The seed corpus: valid files of every kind and bit depth the decoders
//! read, made here by the crates' encoders and by hand (what no encoder
//! here writes: interlaced PNG, every BMP variant), plus any files in the
//! folder named by `CODEC_SEEDS` (./build.sh test fills one with Pillow).

use crate::ccitt::{self, Coding};
use crate::handmade::{bmp_file, fli_frame, ihdr, pcx_file, png_of, tga_file, tiff_file, zlib_stored};
use std::path::Path;

pub struct Seed {
    pub name: String,
    pub bytes: Vec<u8>,
}

fn seed(name: impl Into<String>, bytes: Vec<u8>) -> Seed {
    Seed { name: name.into(), bytes }
}

/// Deterministic pixel bytes with some structure, so that compressors
/// produce both matches and literals.
fn pattern(len: usize, salt: usize) -> Vec<u8> {
    (0..len).map(|index| (((index / 7 + salt) * 37 % 251) ^ (index % 5)) as u8).collect()
}

pub fn made_here() -> Vec<Seed> {
    let mut seeds = Vec::new();
    seeds.extend(png_seeds());
    seeds.extend(jpeg_seeds());
    seeds.extend(gif_seeds());
    seeds.extend(webp_seeds());
    seeds.extend(bmp_seeds());
    seeds.extend(ppm_seeds());
    seeds.extend(tga_seeds());
    seeds.extend(pcx_seeds());
    seeds.extend(ico_seeds());
    seeds.extend(tiff_seeds());
    seeds.extend(sgi_seeds());
    seeds.extend(fli_seeds());
    seeds.extend(jpeg2000_seeds());
    seeds
}

/// JPEG 2000 files our encoder writes: JP2 and raw codestreams of each
/// layout, the colour transform, few and many resolution levels, more than
/// one code-block a band.
fn jpeg2000_seeds() -> Vec<Seed> {
    use crate::jpeg2000::encode::{Settings, encode_jpeg2000};
    use crate::rgba::Layout;
    let file = |layout: Layout, (width, height): (u32, u32), settings: Settings| {
        let samples = (width * height) as usize * usize::from(layout.bytes_per_pixel());
        encode_jpeg2000(&pattern(samples, 9), width, height, layout, &settings).expect("the seed encodes")
    };
    let codestream = |mct| Settings { jp2: false, mct, ..Settings::default() };
    vec![
        seed("jp2-grey", file(Layout::L, (24, 16), Settings::default())),
        seed("jp2-grey-alpha", file(Layout::La, (9, 7), Settings::default())),
        seed("j2k-rgb-rct", file(Layout::Rgb, (70, 9), codestream(true))),
        seed("j2k-rgba-one-level", file(Layout::Rgba, (5, 4), Settings { resolutions: 1, ..codestream(false) })),
        seed(
            "jp2-rgb-comment",
            file(Layout::Rgb, (16, 16), Settings { comment: Some(b"seed".to_vec()), ..Settings::default() }),
        ),
    ]
}

/// An SGI header: RLE or raw, bytes a sample, dimension, size, channels.
fn sgi_header(rle: bool, bpc: u8, dimension: u16, (width, height): (u16, u16), channels: u16) -> Vec<u8> {
    let mut file = vec![0u8; 512];
    file[..2].copy_from_slice(&474u16.to_be_bytes());
    file[2] = u8::from(rle);
    file[3] = bpc;
    for (at, value) in [(4, dimension), (6, width), (8, height), (10, channels)] {
        file[at..at + 2].copy_from_slice(&value.to_be_bytes());
    }
    file
}

/// SGI files: raw 8-bit grey and RGB, raw 16-bit RGBA, and RLE 8-bit RGB
/// and 16-bit grey (each row a copy run, a repeat run and the end marker).
fn sgi_seeds() -> Vec<Seed> {
    let (width, height) = (6u16, 4u16);
    let pixels = usize::from(width) * usize::from(height);
    let raw = |bpc: u8, dimension: u16, channels: u16| {
        let samples = pixels * usize::from(channels) * usize::from(bpc);
        [sgi_header(false, bpc, dimension, (width, height), channels), pattern(samples, usize::from(channels))].concat()
    };
    let rle = |bpc: u8, dimension: u16, channels: u16| {
        let rows = usize::from(height) * usize::from(channels);
        let atom = usize::from(bpc);
        // A copy of 4 atoms, a run of 2, the end: 1 + 4 + 1 + 1 + 1 atoms.
        let row_len = 8 * atom;
        let mut file = sgi_header(true, bpc, dimension, (width, height), channels);
        let data_at = 512 + 8 * rows;
        for row in 0..rows {
            file.extend(((data_at + row * row_len) as u32).to_be_bytes());
        }
        for _ in 0..rows {
            file.extend(4u32.to_be_bytes());
        }
        for row in 0..rows {
            let values = pattern(5 * atom, row);
            let specifier = |byte: u8| if bpc == 2 { vec![0, byte] } else { vec![byte] };
            file.extend(specifier(0x84));
            file.extend(&values[..4 * atom]);
            file.extend(specifier(0x02));
            file.extend(&values[4 * atom..]);
            file.extend(specifier(0));
        }
        file.push(0);
        file
    };
    vec![
        seed("sgi-raw-grey", raw(1, 2, 1)),
        seed("sgi-raw-rgb", raw(1, 3, 3)),
        seed("sgi-raw-16-rgba", raw(2, 3, 4)),
        seed("sgi-rle-rgb", rle(1, 3, 3)),
        seed("sgi-rle-16-grey", rle(2, 2, 1)),
    ]
}

/// FLI and FLC animations: a colour chunk and a BRUN frame, then frames of
/// byte deltas (LC), word deltas (SS2), a plain copy and a black fill.
fn fli_seeds() -> Vec<Seed> {
    let (width, height) = (8u16, 4u16);
    let file = |magic: u16, frames: &[Vec<u8>]| {
        let mut file = vec![0u8; 128];
        file[4..6].copy_from_slice(&magic.to_le_bytes());
        file[6..8].copy_from_slice(&(frames.len() as u16).to_le_bytes());
        file[8..10].copy_from_slice(&width.to_le_bytes());
        file[10..12].copy_from_slice(&height.to_le_bytes());
        file[16] = 5;
        for frame in frames {
            file.extend(frame);
        }
        file.extend((frames.len() as u32).to_le_bytes());
        file
    };
    // 256 colours of 6 bits (chunk 11) or 8 bits (chunk 4).
    let colours =
        |bits: u8| [vec![1, 0, 0, 0], pattern(768, 3).iter().map(|value| value >> (8 - bits)).collect()].concat();
    // Each line: a run of 5, then a copy of 3.
    let brun: Vec<u8> = (0..height).flat_map(|line| [2, 5, line as u8, 0xFD, 1, 2, 3]).collect();
    let lc = vec![1, 0, 2, 0, 1, 2, 2, 9, 9, 1, 0, 0xFE, 4];
    let ss2 = vec![2, 0, 0xFF, 0xFF, 1, 0, 1, 1, 2, 0xFE, 0xC0, 1, 0, 3, 0xFF, 7, 8];
    let copy = pattern(usize::from(width) * usize::from(height), 5);
    let first = fli_frame(&[(11, colours(6)), (15, brun.clone())]);
    let flc_first = fli_frame(&[(4, colours(8)), (15, brun)]);
    vec![
        seed("fli-runs-deltas", file(0xAF11, &[first, fli_frame(&[(12, lc)]), fli_frame(&[(13, Vec::new())])])),
        seed(
            "flc-words-copy",
            file(0xAF12, &[flc_first, fli_frame(&[(7, ss2)]), fli_frame(&[(16, copy), (18, vec![0; 4])])]),
        ),
    ]
}

/// ICOs of a PNG entry and of DIB entries (8 bits with a palette, 24 bits
/// with a mask, 32 bits with alpha), several entries in one file.
fn ico_seeds() -> Vec<Seed> {
    let (width, height) = (6u8, 5u8);
    let dib = |bits: u16| -> Vec<u8> {
        let palette = if bits == 8 { 256 * 4 } else { 0 };
        let stride = (usize::from(width) * usize::from(bits)).div_ceil(32) * 4;
        let mask = usize::from(width).div_ceil(32) * 4 * usize::from(height);
        let bmp = bmp_file(i32::from(width), i32::from(height) * 2, bits, 0, &[], &[], &[]);
        [
            &bmp[14..54],
            &pattern(palette, 1)[..],
            &pattern(stride * usize::from(height), usize::from(bits)),
            &pattern(mask, 7),
        ]
        .concat()
    };
    // Each PNG row starts with its filter type, 0 (none).
    let rows: Vec<u8> =
        (0..usize::from(height)).flat_map(|row| [vec![0], pattern(usize::from(width) * 4, row)].concat()).collect();
    let png = png_of(&[
        (b"IHDR", ihdr(u32::from(width), u32::from(height), 8, 6, false)),
        (b"IDAT", zlib_stored(&rows)),
        (b"IEND", Vec::new()),
    ]);
    let icon = |images: &[(u16, Vec<u8>)]| -> Vec<u8> {
        let mut file = vec![0, 0, 1, 0];
        file.extend((images.len() as u16).to_le_bytes());
        let mut offset = 6 + 16 * images.len();
        for (bits, data) in images {
            file.extend([width, height, 0, 0, 1, 0]);
            file.extend(bits.to_le_bytes());
            file.extend((data.len() as u32).to_le_bytes());
            file.extend((offset as u32).to_le_bytes());
            offset += data.len();
        }
        for (_, data) in images {
            file.extend(data);
        }
        file
    };
    vec![
        seed("ico png", icon(&[(32, png.clone())])),
        seed("ico 8 bits", icon(&[(8, dib(8))])),
        seed("ico 24 bits", icon(&[(24, dib(24))])),
        seed("ico 32 bits", icon(&[(32, dib(32))])),
        seed("ico three entries", icon(&[(8, dib(8)), (32, dib(32)), (32, png)])),
    ]
}

/// Each PCX kind Pillow reads, its lines a mix of runs and literals.
fn pcx_seeds() -> Vec<Seed> {
    let (width, height) = (9u16, 4u16);
    let mut seeds = Vec::new();
    for (bits, planes) in [(1u8, 1u8), (1, 2), (1, 4), (8, 1), (8, 3)] {
        let stride = (usize::from(width) * usize::from(bits)).div_ceil(8);
        let stride = stride + stride % 2;
        let mut data = Vec::new();
        for line in 0..usize::from(height) {
            let bytes = pattern(stride * usize::from(planes), line);
            data.extend([0xC2, bytes[0]]);
            for &byte in &bytes[2..] {
                // A byte with its top two bits set must be a run of one.
                if byte & 0xC0 == 0xC0 { data.extend([0xC1, byte]) } else { data.push(byte) }
            }
        }
        let tail = if bits == 8 && planes == 1 { [vec![12], pattern(768, 4)].concat() } else { Vec::new() };
        let file = pcx_file(bits, planes, (width, height), stride as u16, &data, &tail);
        seeds.push(seed(format!("pcx {bits} bits {planes} planes"), file));
    }
    seeds
}

/// TIFFs of each sample layout, uncompressed, PackBits (runs and
/// literals), deflate and LZW (a stream of literal codes), in strips.
fn tiff_seeds() -> Vec<Seed> {
    let (width, height) = (6u32, 4u32);
    let mut seeds = Vec::new();
    for (bits, photometric) in [(vec![1u16], 1u16), (vec![8], 0), (vec![8, 8], 1), (vec![8, 8, 8], 2), (vec![8; 4], 2)]
    {
        let row = (width as usize * bits.len() * usize::from(bits[0])).div_ceil(8);
        let strips: Vec<Vec<u8>> = (0..2).map(|strip| pattern(row * 2, strip)).collect();
        for compression in [1u16, 32773, 8, 5] {
            let coded: Vec<Vec<u8>> = strips
                .iter()
                .map(|strip| match compression {
                    1 => strip.clone(),
                    32773 => [vec![0xFF, strip[0], (strip.len() - 1) as u8], strip.clone()].concat(),
                    8 => zlib_stored(strip),
                    _ => lzw_literals(strip),
                })
                .collect();
            let views: Vec<&[u8]> = coded.iter().map(Vec::as_slice).collect();
            let file = tiff_file((width, height), &bits, photometric, compression, 2, &views);
            seeds.push(seed(format!("tiff {bits:?} bits compression {compression}"), file));
        }
    }
    // Bilevel strips in CCITT fax: modified Huffman, Group 3 (1D), Group 4.
    let (width, rows) = (40usize, 6usize);
    let pixels = pattern(width.div_ceil(8) * rows, 1);
    for (compression, coding) in
        [(2u16, Coding::ModifiedHuffman), (3, Coding::Group3 { two_d: false }), (4, Coding::Group4)]
    {
        let strips: Vec<Vec<u8>> =
            pixels.chunks(pixels.len() / 2).map(|half| ccitt::encode(half, width, rows / 2, coding)).collect();
        let views: Vec<&[u8]> = strips.iter().map(Vec::as_slice).collect();
        let file = tiff_file((width as u32, rows as u32), &[1], 0, compression, rows as u32 / 2, &views);
        seeds.push(seed(format!("tiff fax compression {compression}"), file));
    }
    seeds
}

/// TIFF LZW of `data` as 9-bit literal codes after a clear code, ending
/// with the end code (few enough codes that the width stays 9 bits).
fn lzw_literals(data: &[u8]) -> Vec<u8> {
    let codes = std::iter::once(256u32).chain(data.iter().map(|&byte| u32::from(byte))).chain([257]);
    let (mut out, mut bits, mut held) = (Vec::new(), 0u64, 0u32);
    for code in codes {
        bits = (bits << 9) | u64::from(code);
        held += 9;
        while held >= 8 {
            out.push((bits >> (held - 8)) as u8);
            held -= 8;
        }
    }
    if held > 0 {
        out.push((bits << (8 - held)) as u8);
    }
    out
}

/// Each TGA kind Pillow reads, raw and run-length encoded, with colour maps
/// of each entry size, both orientations.
fn tga_seeds() -> Vec<Seed> {
    let (width, height) = (7u16, 5u16);
    let pixels = usize::from(width) * usize::from(height);
    let mut seeds = Vec::new();
    for (kind, depth) in [(2u8, 16u8), (2, 24), (2, 32), (3, 8), (3, 16), (1, 8)] {
        let size = usize::from(depth) / 8;
        let map = (kind == 1).then_some((2, 200, 24));
        let map_bytes = if kind == 1 { pattern(200 * 3, 9) } else { Vec::new() };
        let raw = [map_bytes.clone(), pattern(pixels * size, usize::from(depth))].concat();
        seeds.push(seed(format!("tga type {kind} {depth} bits"), tga_file(kind, depth, 0, (width, height), map, &raw)));
        // Run-length: per row a run of 3 and a literal of the rest.
        let mut runs = map_bytes;
        for row in 0..usize::from(height) {
            runs.push(0x82);
            runs.extend(pattern(size, row));
            runs.push(usize::from(width) as u8 - 4);
            runs.extend(pattern((usize::from(width) - 3) * size, row + 1));
        }
        let flags = if kind == 3 { 0x30 } else { 0x20 };
        seeds.push(seed(
            format!("tga type {} {depth} bits rle", kind + 8),
            tga_file(kind + 8, depth, flags, (width, height), map, &runs),
        ));
    }
    let map32 = [pattern(4 * 4, 3), pattern(pixels, 2)].concat();
    seeds.push(seed("tga 32-bit map", tga_file(1, 8, 0, (width, height), Some((0, 4, 32)), &map32)));
    seeds
}

/// Each Netpbm kind, at maxval 255 and at others (scaled, and two bytes a
/// sample above 255), with comments in the header and the plain data.
fn ppm_seeds() -> Vec<Seed> {
    let (width, height) = (9usize, 5usize);
    let plain = |samples: usize, maxval: usize| -> String {
        let numbers: Vec<String> =
            pattern(samples, maxval).iter().map(|&value| (usize::from(value) % (maxval + 1)).to_string()).collect();
        numbers.chunks(7).map(|line| line.join(" ")).collect::<Vec<_>>().join("\n# a comment\n")
    };
    let header = |kind: u8, maxval: Option<usize>| -> Vec<u8> {
        let maxval = maxval.map(|value| format!("{value}\n")).unwrap_or_default();
        format!("P{kind}\n# made for the fuzz test\n{width} {height}\n{maxval}").into_bytes()
    };
    let bits: String = pattern(width * height, 1).iter().map(|&value| if value & 1 == 1 { '1' } else { '0' }).collect();
    let mut seeds = vec![
        seed("ppm P1", [header(1, None), bits.into_bytes()].concat()),
        seed("ppm P4", [header(4, None), pattern(width.div_ceil(8) * height, 4)].concat()),
    ];
    for maxval in [255, 17, 1000] {
        let samples = |channels: usize| width * height * channels * if maxval > 255 { 2 } else { 1 };
        seeds.push(seed(
            format!("ppm P2 {maxval}"),
            [header(2, Some(maxval)), plain(width * height, maxval).into_bytes()].concat(),
        ));
        seeds.push(seed(
            format!("ppm P3 {maxval}"),
            [header(3, Some(maxval)), plain(width * height * 3, maxval).into_bytes()].concat(),
        ));
        seeds.push(seed(format!("ppm P5 {maxval}"), [header(5, Some(maxval)), pattern(samples(1), 5)].concat()));
        seeds.push(seed(format!("ppm P6 {maxval}"), [header(6, Some(maxval)), pattern(samples(3), 6)].concat()));
    }
    seeds
}

/// Files from a folder (not recursive), in name order.
pub fn from_folder(folder: &Path) -> Vec<Seed> {
    let mut entries: Vec<_> = std::fs::read_dir(folder)
        .unwrap_or_else(|error| panic!("CODEC_SEEDS={}: {error}", folder.display()))
        .map(|entry| entry.expect("a readable seed folder").path())
        .filter(|path| path.is_file())
        .collect();
    entries.sort();
    entries
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            seed(format!("seed:{}", path.file_name().unwrap().to_string_lossy()), bytes)
        })
        .collect()
}

fn png_seeds() -> Vec<Seed> {
    use png::{BitDepth, ColorType};
    let kinds: [(ColorType, &[BitDepth]); 5] = [
        (ColorType::Grayscale, &[BitDepth::One, BitDepth::Two, BitDepth::Four, BitDepth::Eight, BitDepth::Sixteen]),
        (ColorType::Rgb, &[BitDepth::Eight, BitDepth::Sixteen]),
        (ColorType::Indexed, &[BitDepth::One, BitDepth::Two, BitDepth::Four, BitDepth::Eight]),
        (ColorType::GrayscaleAlpha, &[BitDepth::Eight, BitDepth::Sixteen]),
        (ColorType::Rgba, &[BitDepth::Eight, BitDepth::Sixteen]),
    ];
    let mut seeds = Vec::new();
    for (colour, depths) in kinds {
        for &depth in depths {
            let (width, height) = (13, 7);
            let bits = colour.samples() * depth as usize;
            let data = pattern((width * bits).div_ceil(8) * height, bits);
            let mut file = Vec::new();
            let mut encoder = png::Encoder::new(&mut file, width as u32, height as u32);
            encoder.set_color(colour);
            encoder.set_depth(depth);
            if colour == ColorType::Indexed {
                encoder.set_palette(pattern(3 << (depth as usize).min(4), 3));
                encoder.set_trns(vec![0, 128, 255]);
            } else if colour == ColorType::Rgb && depth == BitDepth::Eight {
                encoder.set_trns(vec![0, 7, 0, 9, 0, 11]);
            }
            let mut writer = encoder.write_header().expect("a PNG header");
            writer.write_image_data(&data).expect("PNG rows");
            writer.finish().expect("a whole PNG");
            seeds.push(seed(format!("png {colour:?} {depth:?}"), file));
        }
    }
    seeds.push(seed("png interlaced grey", interlaced_png(11, 9, 0, 8, 8)));
    seeds.push(seed("png interlaced rgba", interlaced_png(9, 10, 6, 8, 32)));
    // Kept as indices and 16-bit values: the rows spread after Adam7.
    seeds.push(seed("png interlaced palette 2-bit", interlaced_png(11, 9, 3, 2, 2)));
    seeds.push(seed("png interlaced grey 16-bit", interlaced_png(9, 10, 0, 16, 16)));
    seeds
}

/// An Adam7-interlaced PNG of `depth` bits a sample and `bits` a pixel,
/// with filter-0 rows in one stored IDAT (and a 4-colour PLTE for colour type 3).
fn interlaced_png(width: u32, height: u32, colour: u8, depth: u8, bits: u32) -> Vec<u8> {
    const ADAM7: [(u32, u32, u32, u32); 7] =
        [(0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2)];
    let mut stream = Vec::new();
    for (column, row, column_step, row_step) in ADAM7 {
        let columns = width.saturating_sub(column).div_ceil(column_step);
        let lines = height.saturating_sub(row).div_ceil(row_step);
        if columns == 0 {
            continue;
        }
        for line in 0..lines {
            stream.push(0);
            stream.extend(pattern((columns * bits).div_ceil(8) as usize, (line + row) as usize));
        }
    }
    let header = (b"IHDR", ihdr(width, height, depth, colour, true));
    let body = [(b"IDAT", zlib_stored(&stream)), (b"IEND", Vec::new())];
    if colour == 3 {
        return png_of(&[header, (b"PLTE", pattern(12, 5)), body[0].clone(), body[1].clone()]);
    }
    png_of(&[header, body[0].clone(), body[1].clone()])
}

fn jpeg_seeds() -> Vec<Seed> {
    use jpeg_encoder::{ColorType, Encoder, SamplingFactor};
    let (width, height) = (33u16, 17u16);
    let rgb = pattern(usize::from(width) * usize::from(height) * 3, 1);
    let grey = pattern(usize::from(width) * usize::from(height), 2);
    let cmyk = pattern(usize::from(width) * usize::from(height) * 4, 3);
    let make =
        |name: &str, colour: ColorType, data: &[u8], sampling: SamplingFactor, progressive: bool, restart: u16| {
            let mut file = Vec::new();
            let mut encoder = Encoder::new(&mut file, 80);
            encoder.set_sampling_factor(sampling);
            encoder.set_progressive(progressive);
            if restart > 0 {
                encoder.set_restart_interval(restart);
            }
            encoder.encode(data, width, height, colour).expect("a JPEG");
            seed(format!("jpeg {name}"), file)
        };
    vec![
        make("4:2:0", ColorType::Rgb, &rgb, SamplingFactor::R_4_2_0, false, 0),
        make("4:4:4", ColorType::Rgb, &rgb, SamplingFactor::R_4_4_4, false, 0),
        make("4:2:2", ColorType::Rgb, &rgb, SamplingFactor::R_4_2_2, false, 0),
        make("grey", ColorType::Luma, &grey, SamplingFactor::R_4_4_4, false, 0),
        make("progressive 4:2:0", ColorType::Rgb, &rgb, SamplingFactor::R_4_2_0, true, 0),
        make("progressive grey", ColorType::Luma, &grey, SamplingFactor::R_4_4_4, true, 0),
        make("restart intervals", ColorType::Rgb, &rgb, SamplingFactor::R_4_2_0, false, 2),
        make("cmyk", ColorType::Cmyk, &cmyk, SamplingFactor::R_4_4_4, false, 0),
    ]
}

fn gif_seeds() -> Vec<Seed> {
    let palette = pattern(3 * 16, 4);
    let make = |name: &str, screen: (u16, u16), frames: &[(u16, u16, u16, u16, bool, bool)]| {
        let mut file = Vec::new();
        {
            let mut encoder = gif::Encoder::new(&mut file, screen.0, screen.1, &palette).expect("a GIF header");
            for (index, &(left, top, width, height, local, interlaced)) in frames.iter().enumerate() {
                let indices: Vec<u8> =
                    pattern(usize::from(width) * usize::from(height), index).iter().map(|value| value % 16).collect();
                let mut frame = gif::Frame::from_indexed_pixels(width, height, indices, Some(3));
                (frame.left, frame.top, frame.interlaced) = (left, top, interlaced);
                if local {
                    frame.palette = Some(pattern(3 * 16, 9));
                }
                encoder.write_frame(&frame).expect("a GIF frame");
            }
        }
        seed(format!("gif {name}"), file)
    };
    vec![
        make("whole screen", (12, 9), &[(0, 0, 12, 9, false, false)]),
        make("offset frame", (12, 9), &[(3, 2, 5, 4, false, false)]),
        make("local palette, interlaced", (10, 11), &[(0, 0, 10, 11, true, true)]),
        make("two frames", (8, 8), &[(0, 0, 8, 8, false, false), (2, 2, 4, 4, true, false)]),
    ]
}

fn webp_seeds() -> Vec<Seed> {
    use image_webp::{ColorType, WebPEncoder};
    let (width, height) = (14u32, 9u32);
    let mut seeds = Vec::new();
    for (name, colour, channels) in [
        ("rgba", ColorType::Rgba8, 4),
        ("rgb", ColorType::Rgb8, 3),
        ("grey", ColorType::L8, 1),
        ("grey alpha", ColorType::La8, 2),
    ] {
        let mut file = Vec::new();
        let data = pattern((width * height) as usize * channels, channels);
        WebPEncoder::new(&mut file).encode(&data, width, height, colour).expect("a WebP");
        seeds.push(seed(format!("webp lossless {name}"), file));
    }
    let frames = pattern((width * height) as usize * 4 * 3, 4);
    let animation = crate::webp::encode_webp_animation(
        &frames,
        width,
        height,
        crate::rgba::Layout::Rgba,
        &[40, 0, 70],
        0,
        [1, 2, 3, 4],
        &[],
        &[],
    )
    .expect("an animated WebP");
    seeds.push(seed("webp animation of three frames", animation));
    seeds
}

fn bmp_seeds() -> Vec<Seed> {
    let (width, height) = (11i32, 6i32);
    let stride = |bits: usize| (width as usize * bits).div_ceil(32) * 4;
    let rows = |bits: usize| pattern(stride(bits) * height as usize, bits);
    let colours = |count: usize| -> Vec<[u8; 3]> {
        pattern(count * 3, 5).chunks_exact(3).map(|rgb| [rgb[0], rgb[1], rgb[2]]).collect()
    };
    let bmp = |width, height, bits, compression, palette: usize, masks: &[u32], data: &[u8]| {
        bmp_file(width, height, bits, compression, &colours(palette), masks, data)
    };
    let mut seeds = Vec::new();
    for bits in [1u16, 4, 8, 16, 24, 32] {
        let palette = if bits <= 8 { 1 << bits } else { 0 };
        seeds.push(seed(
            format!("bmp {bits} bits"),
            bmp(width, height, bits, 0, palette, &[], &rows(usize::from(bits))),
        ));
    }
    seeds.push(seed("bmp 24 bits top-down", bmp(width, -height, 24, 0, 0, &[], &rows(24))));
    seeds.push(seed("bmp 16 bits 5-6-5", bmp(width, height, 16, 3, 0, &[0xF800, 0x07E0, 0x001F], &rows(16))));
    let argb = [0x00FF_0000, 0x0000_FF00, 0x0000_00FF, 0xFF00_0000];
    seeds.push(seed("bmp 32 bits with alpha", bmp(width, height, 32, 3, 0, &argb, &rows(32))));
    // Each ends with a delta past the last row: Pillow refuses RLE data that stops short.
    let rle8 = [4, 1, 0, 3, 2, 3, 4, 0, 0, 0, 0, 2, 2, 1, 5, 9, 0, 0, 7, 5, 0, 2, 0, 6, 0, 1];
    seeds.push(seed("bmp rle8", bmp(width, height, 8, 1, 16, &[], &rle8)));
    let rle4 = [5, 0x12, 0, 4, 0x34, 0x56, 0, 0, 0, 2, 1, 1, 9, 0x7F, 0, 2, 0, 6, 0, 1];
    seeds.push(seed("bmp rle4", bmp(width, height, 4, 2, 16, &[], &rle4)));
    // OS/2 1.x: a 12-byte header, 3-byte palette entries.
    let mut os2 = b"BM".to_vec();
    let palette = pattern(2 * 3, 6);
    let data = pattern(4 * 3, 7);
    os2.extend(((26 + palette.len() + data.len()) as u32).to_le_bytes());
    os2.extend([0; 4]);
    os2.extend(((26 + palette.len()) as u32).to_le_bytes());
    os2.extend(12u32.to_le_bytes());
    os2.extend([5, 0, 3, 0, 1, 0, 1, 0]);
    os2.extend(palette);
    os2.extend(data);
    seeds.push(seed("bmp os/2 1 bit", os2));
    seeds
}
