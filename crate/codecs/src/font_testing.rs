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

/// A bare CFF font (a CFF table alone, no SFNT around it): "Bare Test
/// Bold" of family "Bare Test", name-keyed, 1000 units per em (2000 with
/// `half_matrix`: a FontMatrix of 0.0005), FontBBox (0, -100, 600, 700).
/// Glyphs: .notdef (500 wide, empty), space (250), A (a 500-unit square
/// drawn partly by a local subroutine), a.alt (a triangle, 400 wide: "a"
/// maps to it as a variant) and uni0416 (a 300 by 600 box, for U+0416).
pub fn bare_cff(half_matrix: bool) -> Vec<u8> {
    fn index(elements: &[&[u8]]) -> Vec<u8> {
        let mut out = vec![0, elements.len() as u8, 1, 1];
        let mut offset = 1u8;
        for element in elements {
            offset += element.len() as u8;
            out.push(offset);
        }
        out.extend(elements.iter().flat_map(|element| element.iter().copied()));
        out
    }
    fn int(value: i32) -> Vec<u8> {
        let mut bytes = vec![29];
        bytes.extend(value.to_be_bytes());
        bytes
    }
    let strings = index(&[b"Bare Test", b"Bare Test Bold", b"a.alt", b"uni0416"]);
    let charset: Vec<u8> = [0u8, 0, 1, 0, 34, 1, 137, 1, 138].to_vec(); // format 0: space, A, SIDs 393, 394
    let notdef: &[u8] = &[248, 136, 14];
    let space: &[u8] = &[247, 142, 14];
    let a: &[u8] = &[248, 136, 139, 139, 21, 248, 136, 6, 32, 10, 14];
    let alt: &[u8] = &[248, 36, 189, 139, 21, 247, 192, 139, 251, 42, 248, 36, 5, 14];
    let box_glyph: &[u8] = &[247, 192, 139, 139, 21, 247, 192, 6, 248, 236, 7, 251, 192, 6, 14];
    let charstrings = index(&[notdef, space, a, alt, box_glyph]);
    let subrs = index(&[&[248, 136, 7, 252, 136, 6, 11]]);
    let mut private = vec![139, 20];
    private.extend(int(8));
    private.push(19);
    let names = index(&[b"Bare"]);
    let mut top_fixed = vec![248, 27, 3, 248, 28, 2]; // FamilyName 391, FullName 392
    top_fixed.extend([139, 39, 248, 236, 249, 80, 5]); // FontBBox 0 -100 600 700
    if half_matrix {
        top_fixed.extend([30, 0x0A, 0x00, 0x05, 0xFF, 139, 139, 30, 0x0A, 0x00, 0x05, 0xFF, 139, 139, 12, 7]);
    }
    let top_length = top_fixed.len() + 5 + 1 + 5 + 1 + 5 + 5 + 1;
    let start = 4 + names.len() + 2 + 1 + 2 + top_length + strings.len() + 2;
    let charset_at = start as i32;
    let charstrings_at = charset_at + charset.len() as i32;
    let private_at = charstrings_at + charstrings.len() as i32;
    let mut top = top_fixed;
    top.extend(int(charset_at));
    top.push(15);
    top.extend(int(charstrings_at));
    top.push(17);
    top.extend(int(private.len() as i32));
    top.extend(int(private_at));
    top.push(18);
    let mut file = vec![1, 0, 4, 1];
    file.extend(names);
    file.extend(index(&[&top]));
    file.extend(strings);
    file.extend([0, 0]); // no global subroutines
    assert_eq!(file.len(), start);
    file.extend(charset);
    file.extend(charstrings);
    file.extend(private);
    file.extend(subrs);
    file
}
