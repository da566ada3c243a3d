//! Mutation fuzzing of the font code (`font::Face`): small real fonts from
//! Pillow's test fonts (read where the toolchain unpacked them; never
//! committed here) with bytes flipped, set to edge values or cut off, then
//! loaded at a few sizes and laid out, measured and rendered as
//! `ImageFont` does. Every call must return (a `FontError` is fine), never
//! panic.

use super::mutate::Rng;
use crate::font::Face;
use std::panic::{self, AssertUnwindSafe};
use std::path::Path;

/// Pillow's small test fonts: TrueType with bytecode and variations, CFF,
/// bitmap-only (EBDT, CBDT, sbix in a WOFF), COLR layers, WOFF2 and its
/// fuzzer's finds (one a bare CFF, read by the CFF driver's path).
const SEEDS: [&str; 9] = [
    "AdobeVFPrototypeDuplicates.ttf",
    "CBDTTestFont.ttf",
    "EBDTTestFont.ttf",
    "chromacheck-sbix.woff",
    "OpenSans.woff2",
    "BungeeColor-Regular_colr_Windows.ttf",
    "fuzz_font-5203009437302784",
    "oom-e8e927ba6c0d38274a37c1567560eb33baf74627.ttf",
    "oom-4da0210eb7081b0bf15bf16cc4c52ce02c1e1bbc.ttf",
];

fn mutated(rng: &mut Rng, seed: &[u8]) -> Vec<u8> {
    let mut bytes = seed.to_vec();
    for _ in 0..=rng.below(4) {
        if bytes.is_empty() {
            break;
        }
        let at = rng.below(bytes.len());
        match rng.below(4) {
            0 => bytes[at] ^= 1 << rng.below(8),
            1 => bytes[at] = [0x00, 0xFF, 0x7F, 0x80, 0x01][rng.below(5)],
            2 => bytes.truncate(at),
            _ => {
                let end = (at + 4).min(bytes.len());
                bytes[at..end].fill(0xFF);
            }
        }
    }
    bytes
}

/// What `ImageFont` asks of a face, for one mutant: the refusals counted.
fn exercise(bytes: Vec<u8>, size: f32) -> bool {
    let Ok(mut face) = Face::new(bytes, 0, size) else {
        return false;
    };
    let codes: Vec<u32> = "Hello, AV fi \u{e9}\u{e901}".chars().map(u32::from).collect();
    let _ = face.names();
    let _ = face.variation_names();
    let _ = face.variation_axes();
    for mono in [false, true] {
        let Ok(placed) = face.layout(&codes, mono) else {
            continue;
        };
        let _ = face.text_box(&placed, mono, false, "mm");
        let _ = face.render(&placed, mono, false, "la", 0.0, false, (0.5, 0.25), 1 << 20, None);
        let _ = face.render(&placed, mono, false, "la", 0.0, false, (0.5, 0.25), 1 << 20, Some([9, 99, 199]));
        let _ = face.render(&placed, mono, false, "ls", 1.5, true, (0.0, 0.0), 1 << 20, None);
    }
    let _ = face.set_named_instance(1);
    let _ = face.set_axes(&[500.0, 1e9]);
    true
}

/// Runs `count` mutants; returns (seeds found, loaded, panics).
pub fn run(count: usize, seed: u64) -> (usize, usize, Vec<String>) {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.toolchain/pillow-suite/pillow-13.0.0/Tests/fonts");
    let seeds: Vec<Vec<u8>> = SEEDS.iter().filter_map(|name| std::fs::read(folder.join(name)).ok()).collect();
    let mut panics = Vec::new();
    let mut loaded = 0;
    if seeds.is_empty() {
        return (0, 0, panics);
    }
    let mut rng = Rng::new(seed);
    for index in 0..count {
        let source = &seeds[index % seeds.len()];
        let bytes = if index < seeds.len() { source.clone() } else { mutated(&mut rng, source) };
        // 64 and 300 are the strikes of the bitmap seeds (CBDT, EBDT, sbix).
        let size = [1.0, 10.0, 33.5, 64.0, 300.0][rng.below(5)];
        let copy = bytes.clone();
        match super::recording(|| panic::catch_unwind(AssertUnwindSafe(|| exercise(bytes, size)))) {
            Ok(true) => loaded += 1,
            Ok(false) => {}
            Err(_) => {
                let path = std::env::temp_dir().join(format!("font-fuzz-{seed}-{index}.ttf"));
                let _ = std::fs::write(&path, &copy);
                panics.push(format!("font mutant {index} at size {size} panicked (saved as {})", path.display()));
            }
        }
    }
    (seeds.len(), loaded, panics)
}
