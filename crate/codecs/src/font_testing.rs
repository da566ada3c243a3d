//! A TrueType font made here for the tests (no font file is committed):
//! glyph 1, mapped from "A", is a 500-unit square on the baseline with a
//! 500-unit advance, in a 1000-unit em; no hinting instructions, so it is
//! autohinted as FreeType would.

fn table(tag: &[u8; 4], data: Vec<u8>) -> ([u8; 4], Vec<u8>) {
    (*tag, data)
}

fn be16(values: &[i32]) -> Vec<u8> {
    values.iter().flat_map(|&value| (value as u16).to_be_bytes()).collect()
}

/// The font file's bytes.
pub fn square_font() -> Vec<u8> {
    let mut head = Vec::new();
    head.extend(be16(&[1, 0, 1, 0])); // version, fontRevision
    head.extend([0u8; 4]); // checksum adjustment
    head.extend(0x5F0F_3CF5u32.to_be_bytes());
    head.extend(be16(&[0, 1000])); // flags, unitsPerEm
    head.extend([0u8; 16]); // created, modified
    head.extend(be16(&[0, 0, 500, 500, 0, 8, 2, 0, 0])); // bbox, macStyle, lowest ppem, direction, loca format, glyph format
    let hhea = {
        let mut data = be16(&[1, 0, 800, -200, 0, 500, 0, 0, 500, 1, 0, 0, 0, 0, 0, 0, 0]);
        data.extend(be16(&[2])); // numberOfHMetrics
        data
    };
    let maxp = {
        let mut data = 0x0001_0000u32.to_be_bytes().to_vec();
        data.extend(be16(&[2, 4, 1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0]));
        data
    };
    let hmtx = be16(&[500, 0, 500, 0]);
    let glyph = {
        let mut data = be16(&[1, 0, 0, 500, 500, 3, 0]); // one contour ending at point 3, no instructions
        data.extend([0x01u8, 0x01, 0x01, 0x01]); // on-curve, full-size coordinates
        data.extend(be16(&[0, 500, 0, -500])); // x deltas
        data.extend(be16(&[0, 0, 500, 0])); // y deltas
        data
    };
    let loca = be16(&[0, 0, (glyph.len() / 2) as i32]);
    let cmap = {
        let mut data = be16(&[0, 1, 3, 1]);
        data.extend(12u32.to_be_bytes());
        // Format 4: "A" to glyph 1, then the closing segment.
        data.extend(be16(&[4, 32, 0, 4, 4, 1, 0]));
        data.extend(be16(&[0x41, 0xFFFF, 0, 0x41, 0xFFFF, 1 - 0x41, 1, 0, 0]));
        data
    };
    let tables = [
        table(b"cmap", cmap),
        table(b"glyf", glyph),
        table(b"head", head),
        table(b"hhea", hhea),
        table(b"hmtx", hmtx),
        table(b"loca", loca),
        table(b"maxp", maxp),
    ];
    let mut file = 0x0001_0000u32.to_be_bytes().to_vec();
    file.extend(be16(&[tables.len() as i32, 64, 2, 48]));
    let mut offset = 12 + 16 * tables.len();
    let mut body = Vec::new();
    for (tag, data) in &tables {
        file.extend(tag);
        file.extend(0u32.to_be_bytes());
        file.extend((offset as u32).to_be_bytes());
        file.extend((data.len() as u32).to_be_bytes());
        let mut padded = data.clone();
        padded.resize(data.len().div_ceil(4) * 4, 0);
        offset += padded.len();
        body.extend(padded);
    }
    file.extend(body);
    file
}
