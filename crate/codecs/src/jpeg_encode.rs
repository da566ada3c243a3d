//! Our own JPEG encoder for the everyday case: 8-bit grey, RGB or RGBA
//! (alpha dropped) pixels, 4:4:4, 4:2:2 or 4:2:0 chroma, baseline with the
//! standard or optimized Huffman tables, or progressive (spectral
//! selection, fitted tables), restart intervals in both. `jpeg::encode_jpeg`
//! sends the rest (CMYK, components written as given) to the `jpeg-encoder`
//! crate, whose markers, component ids and quantization tables this
//! encoder writes alike, so that the Python side's rewriting of the file
//! (`_jpegsave.finish`) treats both the same.
//!
//! The work per 8x8 block is done in SIMD lanes: wasm SIMD in the wasm
//! build, the same arithmetic on arrays elsewhere, so that the native
//! tests check the very coefficients the browser writes. The transform is
//! the AAN DCT. Where the quantization is coarse enough (quality 93 and
//! below with the standard tables) it runs in 16-bit integers, eight
//! lanes at a time ([`V128`]), with Q15 multiplies and the quantization a
//! multiply by each divisor's Q15 reciprocal; finer tables take IEEE
//! single precision, four lanes at a time ([`F4`]; Rust never fuses a
//! multiply and an add), with the output scale folded into the
//! quantization multipliers and a round to nearest, as libjpeg's float
//! path quantizes. The colour conversion and the chroma averaging are
//! libjpeg's, exactly.

use crate::error::{CodecError, Result};
use crate::jpeg::ZIGZAG;
use crate::lanes16::{V128, transpose_i16};

/// Chroma sampling of a three-component picture: luma blocks across and
/// down an MCU (1x1 for 4:4:4, 2x1 for 4:2:2, 2x2 for 4:2:0).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sampling {
    pub horizontal: usize,
    pub vertical: usize,
}

/// What the caller asks: `tables` are the luma and chroma quantization
/// tables in natural order (1 to 2048), `restart_interval` in MCUs (0 for
/// none), `optimize` for Huffman tables fitted to the picture.
#[derive(Clone, Debug)]
pub struct Options {
    pub tables: [[u16; 64]; 2],
    pub sampling: Sampling,
    pub restart_interval: u16,
    pub optimize: bool,
    /// Progressive scans (spectral selection: every DC, then bands of AC
    /// coefficients a component at a time), with fitted Huffman tables.
    pub progressive: bool,
}

/// The pixel layouts this encoder takes: bytes per pixel 1 (grey), 3 (RGB)
/// or 4 (RGBA, alpha ignored).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Grey,
    Rgb,
    Rgba,
}

impl Input {
    fn bytes_per_pixel(self) -> usize {
        match self {
            Self::Grey => 1,
            Self::Rgb => 3,
            Self::Rgba => 4,
        }
    }
}

/// The JPEG standard's example tables (Annex K.1), natural order.
pub const STANDARD_LUMA: [u16; 64] = [
    16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51,
    87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103, 99,
];
pub const STANDARD_CHROMA: [u16; 64] = [
    17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99, 24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99,
    99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99, 99,
    99, 99, 99, 99, 99, 99,
];

/// `table` scaled for `quality` (1 to 100) as libjpeg and `jpeg-encoder`
/// scale it: 5000/quality percent below 50, else 200 - 2 quality percent,
/// rounded, kept within 1 to 255.
pub fn scaled_table(table: &[u16; 64], quality: u8) -> [u16; 64] {
    let quality = u32::from(quality.clamp(1, 100));
    let percent = if quality < 50 { 5000 / quality } else { 200 - quality * 2 };
    table.map(|value| ((u32::from(value) * percent + 50) / 100).clamp(1, 255) as u16)
}

/// The transform leaves its output transposed (see [`transform_block`]):
/// the zigzag order's positions in that layout.
const ZIGZAG_TRANSPOSED: [usize; 64] = {
    let mut out = [0; 64];
    let mut index = 0;
    while index < 64 {
        let natural = ZIGZAG[index];
        out[index] = (natural % 8) * 8 + natural / 8;
        index += 1;
    }
    out
};

/// The standard Huffman tables (Annex K.3): code counts by length, then symbols.
const LUMA_DC_BITS: [u8; 16] = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const CHROMA_DC_BITS: [u8; 16] = [0, 3, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0];
const DC_SYMBOLS: [u8; 12] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
const LUMA_AC_BITS: [u8; 16] = [0, 2, 1, 3, 3, 2, 4, 3, 5, 5, 4, 4, 0, 0, 1, 0x7D];
const LUMA_AC_SYMBOLS: [u8; 162] = [
    0x01, 0x02, 0x03, 0x00, 0x04, 0x11, 0x05, 0x12, 0x21, 0x31, 0x41, 0x06, 0x13, 0x51, 0x61, 0x07, 0x22, 0x71, 0x14,
    0x32, 0x81, 0x91, 0xA1, 0x08, 0x23, 0x42, 0xB1, 0xC1, 0x15, 0x52, 0xD1, 0xF0, 0x24, 0x33, 0x62, 0x72, 0x82, 0x09,
    0x0A, 0x16, 0x17, 0x18, 0x19, 0x1A, 0x25, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x34, 0x35, 0x36, 0x37, 0x38, 0x39, 0x3A,
    0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64, 0x65,
    0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88,
    0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7, 0xA8, 0xA9,
    0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8, 0xC9, 0xCA,
    0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE1, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9, 0xEA,
    0xF1, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
];
const CHROMA_AC_BITS: [u8; 16] = [0, 2, 1, 2, 4, 4, 3, 4, 7, 5, 4, 4, 0, 1, 2, 0x77];
const CHROMA_AC_SYMBOLS: [u8; 162] = [
    0x00, 0x01, 0x02, 0x03, 0x11, 0x04, 0x05, 0x21, 0x31, 0x06, 0x12, 0x41, 0x51, 0x07, 0x61, 0x71, 0x13, 0x22, 0x32,
    0x81, 0x08, 0x14, 0x42, 0x91, 0xA1, 0xB1, 0xC1, 0x09, 0x23, 0x33, 0x52, 0xF0, 0x15, 0x62, 0x72, 0xD1, 0x0A, 0x16,
    0x24, 0x34, 0xE1, 0x25, 0xF1, 0x17, 0x18, 0x19, 0x1A, 0x26, 0x27, 0x28, 0x29, 0x2A, 0x35, 0x36, 0x37, 0x38, 0x39,
    0x3A, 0x43, 0x44, 0x45, 0x46, 0x47, 0x48, 0x49, 0x4A, 0x53, 0x54, 0x55, 0x56, 0x57, 0x58, 0x59, 0x5A, 0x63, 0x64,
    0x65, 0x66, 0x67, 0x68, 0x69, 0x6A, 0x73, 0x74, 0x75, 0x76, 0x77, 0x78, 0x79, 0x7A, 0x82, 0x83, 0x84, 0x85, 0x86,
    0x87, 0x88, 0x89, 0x8A, 0x92, 0x93, 0x94, 0x95, 0x96, 0x97, 0x98, 0x99, 0x9A, 0xA2, 0xA3, 0xA4, 0xA5, 0xA6, 0xA7,
    0xA8, 0xA9, 0xAA, 0xB2, 0xB3, 0xB4, 0xB5, 0xB6, 0xB7, 0xB8, 0xB9, 0xBA, 0xC2, 0xC3, 0xC4, 0xC5, 0xC6, 0xC7, 0xC8,
    0xC9, 0xCA, 0xD2, 0xD3, 0xD4, 0xD5, 0xD6, 0xD7, 0xD8, 0xD9, 0xDA, 0xE2, 0xE3, 0xE4, 0xE5, 0xE6, 0xE7, 0xE8, 0xE9,
    0xEA, 0xF2, 0xF3, 0xF4, 0xF5, 0xF6, 0xF7, 0xF8, 0xF9, 0xFA,
];

pub use lanes::F4;

/// Four f32 lanes as wasm SIMD vectors.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct F4(v128);

    impl F4 {
        #[inline(always)]
        pub fn new(values: [f32; 4]) -> Self {
            Self(f32x4(values[0], values[1], values[2], values[3]))
        }
        #[inline(always)]
        pub fn splat(value: f32) -> Self {
            Self(f32x4_splat(value))
        }
        #[inline(always)]
        pub fn plus(self, other: Self) -> Self {
            Self(f32x4_add(self.0, other.0))
        }
        #[inline(always)]
        pub fn minus(self, other: Self) -> Self {
            Self(f32x4_sub(self.0, other.0))
        }
        #[inline(always)]
        pub fn times(self, other: Self) -> Self {
            Self(f32x4_mul(self.0, other.0))
        }
        /// Eight samples (bytes) less 128, as two vectors.
        #[inline(always)]
        pub fn samples(bytes: &[u8]) -> (Self, Self) {
            let bytes: &[u8; 8] = bytes[..8].try_into().unwrap_or(&[0; 8]);
            let wide = u16x8_extend_low_u8x16(u64x2(u64::from_le_bytes(*bytes), 0));
            let centre = f32x4_splat(128.0);
            let low = f32x4_sub(f32x4_convert_i32x4(u32x4_extend_low_u16x8(wide)), centre);
            let high = f32x4_sub(f32x4_convert_i32x4(u32x4_extend_high_u16x8(wide)), centre);
            (Self(low), Self(high))
        }
        /// The 4x4 transpose of four rows.
        #[inline(always)]
        pub fn transpose(rows: [Self; 4]) -> [Self; 4] {
            let [a, b, c, d] = rows.map(|row| row.0);
            let ab_low = i32x4_shuffle::<0, 4, 1, 5>(a, b);
            let ab_high = i32x4_shuffle::<2, 6, 3, 7>(a, b);
            let cd_low = i32x4_shuffle::<0, 4, 1, 5>(c, d);
            let cd_high = i32x4_shuffle::<2, 6, 3, 7>(c, d);
            [
                Self(i64x2_shuffle::<0, 2>(ab_low, cd_low)),
                Self(i64x2_shuffle::<1, 3>(ab_low, cd_low)),
                Self(i64x2_shuffle::<0, 2>(ab_high, cd_high)),
                Self(i64x2_shuffle::<1, 3>(ab_high, cd_high)),
            ]
        }
        /// Each lane times `scale`, kept within `-bound..=bound`, rounded
        /// to the nearest whole number (ties to even): eight of them from
        /// two vectors, as i16.
        #[inline(always)]
        pub fn quantize(pair: [Self; 2], scale: [Self; 2], bound: [Self; 2], out: &mut [i16]) {
            let one = |index: usize| {
                let value = f32x4_mul(pair[index].0, scale[index].0);
                let value = f32x4_pmax(f32x4_pmin(value, bound[index].0), f32x4_neg(bound[index].0));
                i32x4_trunc_sat_f32x4(f32x4_nearest(value))
            };
            let packed = i16x8_narrow_i32x4(one(0), one(1));
            let out = &mut out[..8];
            // SAFETY: `out` is 8 i16s, 16 bytes; wasm stores need no alignment.
            unsafe { v128_store(out.as_mut_ptr().cast::<v128>(), packed) }
        }
    }
}

/// Four f32 lanes as an array, computing what the wasm vectors compute.
#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    #[derive(Clone, Copy)]
    pub struct F4([f32; 4]);

    impl F4 {
        #[inline(always)]
        pub fn new(values: [f32; 4]) -> Self {
            Self(values)
        }
        #[inline(always)]
        pub fn splat(value: f32) -> Self {
            Self([value; 4])
        }
        #[inline(always)]
        pub fn plus(self, other: Self) -> Self {
            Self(std::array::from_fn(|lane| self.0[lane] + other.0[lane]))
        }
        #[inline(always)]
        pub fn minus(self, other: Self) -> Self {
            Self(std::array::from_fn(|lane| self.0[lane] - other.0[lane]))
        }
        #[inline(always)]
        pub fn times(self, other: Self) -> Self {
            Self(std::array::from_fn(|lane| self.0[lane] * other.0[lane]))
        }
        #[inline(always)]
        pub fn samples(bytes: &[u8]) -> (Self, Self) {
            let lane = |index: usize| f32::from(bytes[index]) - 128.0;
            (Self(std::array::from_fn(lane)), Self(std::array::from_fn(|index| lane(index + 4))))
        }
        #[inline(always)]
        pub fn transpose(rows: [Self; 4]) -> [Self; 4] {
            std::array::from_fn(|column| Self(std::array::from_fn(|row| rows[row].0[column])))
        }
        #[inline(always)]
        pub fn quantize(pair: [Self; 2], scale: [Self; 2], bound: [Self; 2], out: &mut [i16]) {
            for (index, slot) in out[..8].iter_mut().enumerate() {
                let (half, lane) = (index / 4, index % 4);
                let value = pair[half].0[lane] * scale[half].0[lane];
                let limit = bound[half].0[lane];
                // pmin / pmax: the first operand unless the second is beyond it.
                let value = if limit < value { limit } else { value };
                let value = if value < -limit { -limit } else { value };
                *slot = value.round_ties_even() as i32 as i16;
            }
        }
    }
}

/// One 1-D forward DCT across eight vectors (the AAN factorization, as
/// libjpeg's float DCT): outputs are the DCT scaled per frequency by
/// `8 * AAN[k]` over the whole 2-D pass pair, undone by the divisors.
#[inline(always)]
fn dct_8(v: [F4; 8]) -> [F4; 8] {
    let half_root = F4::splat(core::f32::consts::FRAC_1_SQRT_2);
    let (s07, d07) = (v[0].plus(v[7]), v[0].minus(v[7]));
    let (s16, d16) = (v[1].plus(v[6]), v[1].minus(v[6]));
    let (s25, d25) = (v[2].plus(v[5]), v[2].minus(v[5]));
    let (s34, d34) = (v[3].plus(v[4]), v[3].minus(v[4]));
    // Even half.
    let (even0, even3) = (s07.plus(s34), s07.minus(s34));
    let (even1, even2) = (s16.plus(s25), s16.minus(s25));
    let rotated = even2.plus(even3).times(half_root);
    // Odd half.
    let odd0 = d34.plus(d25);
    let odd1 = d25.plus(d16);
    let odd2 = d16.plus(d07);
    let z5 = odd0.minus(odd2).times(F4::splat(0.382_683_43));
    let z2 = odd0.times(F4::splat(0.541_196_1)).plus(z5);
    let z4 = odd2.times(F4::splat(1.306_563)).plus(z5);
    let z3 = odd1.times(half_root);
    let (z11, z13) = (d07.plus(z3), d07.minus(z3));
    [
        even0.plus(even1),
        z11.plus(z4),
        even3.plus(rotated),
        z13.minus(z2),
        even0.minus(even1),
        z13.plus(z2),
        even3.minus(rotated),
        z11.minus(z4),
    ]
}

/// Per quantization table: the multipliers that divide the transform's
/// output by its scale and by the table, and the largest magnitude each
/// coefficient may take (baseline Huffman codes reach 11 bits for DC
/// differences, 10 for AC values; a DC value reaches -1024 for an
/// all-black block but never +1024, so differences keep to 11 bits), both
/// in the transposed layout; and the same for the 16-bit transform when
/// the table's divisors are coarse enough for it.
struct Quantizer {
    scale: [[F4; 2]; 8],
    bound: [[F4; 2]; 8],
    fixed: Option<FixedQuantizer>,
}

/// The 16-bit transform's quantization: Q15 reciprocals of its divisors
/// and the bounds, vector `u` holding vertical frequencies `v`.
struct FixedQuantizer {
    reciprocal: [V128; 8],
    bound: [V128; 8],
    negative_bound: [V128; 8],
}

/// The smallest divisor (in the float transform's units) the 16-bit
/// transform quantizes with: its rounding, about two units of its output
/// at worst, stays under a quarter of a quantization step. Quality 93 and
/// below with the standard tables; finer tables take the float path.
const FIXED_MIN_DIVISOR: f64 = 8.0;

impl Quantizer {
    fn new(table: &[u16; 64]) -> Self {
        // The AAN scale factors: 1 for k = 0, sqrt(2) cos(k pi / 16) else.
        let aan = |k: usize| if k == 0 { 1.0 } else { 2f64.sqrt() * (k as f64 * core::f64::consts::PI / 16.0).cos() };
        let lanes = |u: usize, half: usize, value: &dyn Fn(usize, usize) -> f32| {
            F4::new(std::array::from_fn(|lane| value(u, half * 4 + lane)))
        };
        // Transposed: vector u holds vertical frequencies v (rows of the natural order).
        let divisor = |u: usize, v: usize| 8.0 * aan(u) * aan(v) * f64::from(table[v * 8 + u]);
        let scale_of = |u: usize, v: usize| (1.0 / divisor(u, v)) as f32;
        let bound_of = |u: usize, v: usize| if u == 0 && v == 0 { 1024 } else { 1023 };
        let coarse = (0..64).all(|index| divisor(index / 8, index % 8) >= FIXED_MIN_DIVISOR);
        let fixed = coarse.then(|| {
            let vector = |value: &dyn Fn(usize, usize) -> i16| -> [V128; 8] {
                std::array::from_fn(|u| V128::i16s(std::array::from_fn(|v| value(u, v))))
            };
            FixedQuantizer {
                // The 16-bit transform's output is twice the float one's.
                reciprocal: vector(&|u, v| (32768.0 / (FIXED_INPUT_SCALE * divisor(u, v))).round() as i16),
                bound: vector(&|u, v| bound_of(u, v)),
                negative_bound: vector(&|u, v| -bound_of(u, v)),
            }
        });
        Self {
            scale: std::array::from_fn(|u| [lanes(u, 0, &scale_of), lanes(u, 1, &scale_of)]),
            bound: std::array::from_fn(|u| {
                let bound = |u: usize, v: usize| f32::from(bound_of(u, v));
                [lanes(u, 0, &bound), lanes(u, 1, &bound)]
            }),
            fixed,
        }
    }
}

/// The 16-bit transform's samples are the bytes doubled (not centred: the
/// centring only moves the DC coefficient, by [`FIXED_DC_OFFSET`]). Its
/// largest output, 2 x 255 x 101 / 2 in magnitude for an AC coefficient
/// (101 the square of the AAN matrix's largest row sum of magnitudes, 10.05),
/// and 2 x 255 x 64 for the DC, fit i16 lanes, as do its partial sums.
const FIXED_INPUT_SCALE: f64 = 2.0;
const FIXED_DC_OFFSET: i16 = 2 * 128 * 64;

/// [`dct_8`] in 16-bit lanes, eight columns at a time; its multiplies are
/// Q15 (rounded) and 1.306563 is 1 + 0.306563.
#[inline(always)]
fn dct_8_fixed(v: [V128; 8]) -> [V128; 8] {
    let half_root = V128::splat_i16(23170);
    let (s07, d07) = (v[0].add_i16(v[7]), v[0].sub_i16(v[7]));
    let (s16, d16) = (v[1].add_i16(v[6]), v[1].sub_i16(v[6]));
    let (s25, d25) = (v[2].add_i16(v[5]), v[2].sub_i16(v[5]));
    let (s34, d34) = (v[3].add_i16(v[4]), v[3].sub_i16(v[4]));
    let (even0, even3) = (s07.add_i16(s34), s07.sub_i16(s34));
    let (even1, even2) = (s16.add_i16(s25), s16.sub_i16(s25));
    let rotated = even2.add_i16(even3).q15_mul(half_root);
    let odd0 = d34.add_i16(d25);
    let odd1 = d25.add_i16(d16);
    let odd2 = d16.add_i16(d07);
    let z5 = odd0.sub_i16(odd2).q15_mul(V128::splat_i16(12540));
    let z2 = odd0.q15_mul(V128::splat_i16(17734)).add_i16(z5);
    let z4 = odd2.add_i16(odd2.q15_mul(V128::splat_i16(10045))).add_i16(z5);
    let z3 = odd1.q15_mul(half_root);
    let (z11, z13) = (d07.add_i16(z3), d07.sub_i16(z3));
    [
        even0.add_i16(even1),
        z11.add_i16(z4),
        even3.add_i16(rotated),
        z13.sub_i16(z2),
        even0.sub_i16(even1),
        z13.add_i16(z2),
        even3.sub_i16(rotated),
        z11.sub_i16(z4),
    ]
}

/// [`transform_block`] in 16-bit lanes: columns, a transpose, rows, then
/// each coefficient times its Q15 reciprocal, within its bounds.
#[inline(always)]
fn transform_block_fixed(samples: &[u8], stride: usize, quantizer: &FixedQuantizer, out: &mut [i16]) {
    let rows: [V128; 8] = std::array::from_fn(|y| V128::load_widened(&samples[y * stride..y * stride + 8]).shl_i16(1));
    let vertical = dct_8_fixed(rows);
    let mut coefficients = dct_8_fixed(transpose_i16(vertical));
    coefficients[0] = coefficients[0].sub_i16(V128::i16s([FIXED_DC_OFFSET, 0, 0, 0, 0, 0, 0, 0]));
    for (u, coefficient) in coefficients.into_iter().enumerate() {
        let quantized = coefficient
            .q15_mul(quantizer.reciprocal[u])
            .min_i16(quantizer.bound[u])
            .max_i16(quantizer.negative_bound[u]);
        quantized.store_i16(&mut out[u * 8..u * 8 + 8]);
    }
}

/// The 8x8 samples at `samples` (rows `stride` bytes apart) transformed,
/// quantized and written to `out` transposed: coefficient (v, u) at
/// `u * 8 + v`, the layout the transform leaves (the entropy coder reads
/// it in zigzag order through [`ZIGZAG_TRANSPOSED`]).
#[inline(always)]
fn transform_block(samples: &[u8], stride: usize, quantizer: &Quantizer, out: &mut [i16]) {
    if let Some(fixed) = &quantizer.fixed {
        transform_block_fixed(samples, stride, fixed, out);
        return;
    }
    let mut rows = [[F4::splat(0.0); 2]; 8];
    for (y, row) in rows.iter_mut().enumerate() {
        let (low, high) = F4::samples(&samples[y * stride..y * stride + 8]);
        *row = [low, high];
    }
    // Columns first (vertical: each vector holds four columns of a row),
    // then the rows after a transpose; the result stays transposed.
    let mut vertical = [[F4::splat(0.0); 2]; 8];
    for half in 0..2 {
        let column = dct_8(std::array::from_fn(|y| rows[y][half]));
        for (v, value) in column.into_iter().enumerate() {
            vertical[v][half] = value;
        }
    }
    let mut transposed = [[F4::splat(0.0); 2]; 8];
    for row_half in 0..2 {
        for column_half in 0..2 {
            let quadrant = F4::transpose(std::array::from_fn(|index| vertical[row_half * 4 + index][column_half]));
            for (index, value) in quadrant.into_iter().enumerate() {
                transposed[column_half * 4 + index][row_half] = value;
            }
        }
    }
    for half in 0..2 {
        let row = dct_8(std::array::from_fn(|x| transposed[x][half]));
        for (u, value) in row.into_iter().enumerate() {
            vertical[u][half] = value;
        }
    }
    for u in 0..8 {
        F4::quantize(vertical[u], quantizer.scale[u], quantizer.bound[u], &mut out[u * 8..u * 8 + 8]);
    }
}

/// libjpeg's RGB to YCbCr in 16-bit fixed point, rounded (Y to nearest,
/// Cb and Cr a hair below half so that 255 stays 255).
#[inline(always)]
fn ycbcr(red: i32, green: i32, blue: i32) -> (u8, u8, u8) {
    let luma = (19595 * red + 38470 * green + 7471 * blue + 0x8000) >> 16;
    let blue_diff = (-11059 * red - 21709 * green + (blue << 15) + (128 << 16) + 0x7FFF) >> 16;
    let red_diff = ((red << 15) - 27439 * green - 5329 * blue + (128 << 16) + 0x7FFF) >> 16;
    (luma as u8, blue_diff as u8, red_diff as u8)
}

/// One row of `width` pixels (`step` bytes each, red, green, blue first)
/// into its Y, Cb and Cr samples.
fn convert_row(source: &[u8], step: usize, width: usize, planes: [&mut [u8]; 3]) {
    let [luma, blue, red] = planes;
    let planes = [&mut *luma, &mut *blue, &mut *red];
    let done = if step == 3 {
        convert_row_simd::<3>(source, width, planes)
    } else {
        convert_row_simd::<4>(source, width, planes)
    };
    for x in done..width {
        let at = x * step;
        let (y, cb, cr) = ycbcr(i32::from(source[at]), i32::from(source[at + 1]), i32::from(source[at + 2]));
        (luma[x], blue[x], red[x]) = (y, cb, cr);
    }
}

/// [`convert_row`] sixteen pixels at a time, as far as whole 16-byte loads
/// stay inside `source`; the number of pixels done. libjpeg's sums exactly,
/// from each pixel's i32 lane (red, green, blue in its low bytes, RGB
/// pixels spread to four bytes first) as products of i16 pairs: red with
/// blue, and green with alpha (weighed 0). A weight over i16's range is
/// split: green's 38470 in luma is 19235 twice, the halves' 32768 16384
/// twice.
#[inline(always)]
fn convert_row_simd<const STEP: usize>(source: &[u8], width: usize, planes: [&mut [u8]; 3]) -> usize {
    let [luma, blue, red] = planes;
    let spread =
        V128::bytes(std::array::from_fn(|lane| if lane % 4 == 3 { 0x80 } else { (lane / 4 * 3 + lane % 4) as u8 }));
    let low_bytes = V128::splat_i32(0x00FF_00FF);
    let weights = |first: i16, second: i16| V128::i16s([first, second, first, second, first, second, first, second]);
    let (luma_red_blue, luma_green) = (weights(19595, 7471), weights(19235, 0));
    let (blue_red_blue, blue_green) = (weights(-11059, 16384), weights(-21709, 0));
    let (red_red_blue, red_green) = (weights(16384, -5329), weights(-27439, 0));
    let (half_blue, half_red) = (weights(0, 16384), weights(16384, 0));
    let (luma_bias, chroma_bias) = (V128::splat_i32(0x8000), V128::splat_i32((128 << 16) + 0x7FFF));
    // Y, Cb and Cr of the four pixels at byte `at`, as i32 lanes.
    let four = |at: usize| {
        let pixels = if STEP == 4 { V128::load(&source[at..]) } else { V128::load(&source[at..]).swizzle(spread) };
        let red_blue = pixels.and(low_bytes);
        let green_alpha = pixels.shr_u32(8).and(low_bytes);
        let green = green_alpha.dot_i16(luma_green);
        let y = red_blue.dot_i16(luma_red_blue).add_i32(green).add_i32(green).add_i32(luma_bias);
        let cb = red_blue
            .dot_i16(blue_red_blue)
            .add_i32(red_blue.dot_i16(half_blue))
            .add_i32(green_alpha.dot_i16(blue_green))
            .add_i32(chroma_bias);
        let cr = red_blue
            .dot_i16(red_red_blue)
            .add_i32(red_blue.dot_i16(half_red))
            .add_i32(green_alpha.dot_i16(red_green))
            .add_i32(chroma_bias);
        (y.shr_u32(16), cb.shr_u32(16), cr.shr_u32(16))
    };
    // Eight pixels' samples as i16 lanes.
    let eight = |at: usize| {
        let ((y0, cb0, cr0), (y1, cb1, cr1)) = (four(at), four(at + 4 * STEP));
        (V128::narrow_i32(y0, y1), V128::narrow_i32(cb0, cb1), V128::narrow_i32(cr0, cr1))
    };
    let mut x = 0;
    while x + 16 <= width && x * STEP + 12 * STEP + 16 <= source.len() {
        let ((y0, cb0, cr0), (y1, cb1, cr1)) = (eight(x * STEP), eight((x + 8) * STEP));
        V128::narrow_i16_to_u8(y0, y1).store(&mut luma[x..x + 16]);
        V128::narrow_i16_to_u8(cb0, cb1).store(&mut blue[x..x + 16]);
        V128::narrow_i16_to_u8(cr0, cr1).store(&mut red[x..x + 16]);
        x += 16;
    }
    x
}

/// Chroma rows at full width averaged down to `out`: pairs across (4:2:2)
/// or 2x2 squares (4:2:0, `second` the row below), libjpeg's way: the
/// rounding bias alternates along the row so that no direction is favoured.
fn downsample(first: &[u8], second: Option<&[u8]>, out: &mut [u8]) {
    let done = downsample_simd(first, second, out);
    match second {
        Some(second) => {
            for (x, slot) in out.iter_mut().enumerate().skip(done) {
                let sum = u16::from(first[2 * x])
                    + u16::from(first[2 * x + 1])
                    + u16::from(second[2 * x])
                    + u16::from(second[2 * x + 1]);
                *slot = ((sum + 1 + (x as u16 & 1)) >> 2) as u8;
            }
        }
        None => {
            for (x, slot) in out.iter_mut().enumerate().skip(done) {
                let sum = u16::from(first[2 * x]) + u16::from(first[2 * x + 1]);
                *slot = ((sum + (x as u16 & 1)) >> 1) as u8;
            }
        }
    }
}

/// [`downsample`] sixteen outputs at a time; how many it did.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
fn downsample_simd(first: &[u8], second: Option<&[u8]>, out: &mut [u8]) -> usize {
    use core::arch::wasm32::*;
    let load = |bytes: &[u8], at: usize| {
        let bytes = &bytes[at..at + 16];
        // SAFETY: `bytes` is 16 bytes long; wasm loads need no alignment.
        unsafe { v128_load(bytes.as_ptr().cast::<v128>()) }
    };
    // Pairs of neighbours summed as u16, then the rows'.
    let pairs = |bytes: &[u8], at: usize| u16x8_extadd_pairwise_u8x16(load(bytes, at));
    let (bias, shift) =
        if second.is_some() { (u16x8(1, 2, 1, 2, 1, 2, 1, 2), 2) } else { (u16x8(0, 1, 0, 1, 0, 1, 0, 1), 1) };
    let mut x = 0;
    while x + 16 <= out.len() && 2 * x + 32 <= first.len() {
        let mut halves = [u16x8_splat(0); 2];
        for (half, sums) in halves.iter_mut().enumerate() {
            let at = 2 * x + 16 * half;
            let mut sum = pairs(first, at);
            if let Some(second) = second {
                sum = i16x8_add(sum, pairs(second, at));
            }
            *sums = u16x8_shr(i16x8_add(sum, bias), shift);
        }
        let bytes = &mut out[x..x + 16];
        // SAFETY: `bytes` is 16 bytes long; wasm stores need no alignment.
        unsafe { v128_store(bytes.as_mut_ptr().cast::<v128>(), u8x16_narrow_i16x8(halves[0], halves[1])) }
        x += 16;
    }
    x
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
fn downsample_simd(_first: &[u8], _second: Option<&[u8]>, _out: &mut [u8]) -> usize {
    0
}

/// Huffman codes by symbol: the code in the low `length` bits.
#[derive(Clone)]
struct Codes {
    code: [u32; 256],
    length: [u32; 256],
}

/// A Huffman table as the DHT segment gives it.
#[derive(Clone)]
struct Table {
    bits: [u8; 16],
    symbols: Vec<u8>,
}

impl Table {
    fn standard(bits: &[u8; 16], symbols: &[u8]) -> Self {
        Self { bits: *bits, symbols: symbols.to_vec() }
    }

    /// The canonical codes (Annex C): codes of each length count up from
    /// the previous length's next code, doubled.
    fn codes(&self) -> Codes {
        let mut codes = Codes { code: [0; 256], length: [0; 256] };
        let (mut code, mut at) = (0u32, 0usize);
        for (index, &count) in self.bits.iter().enumerate() {
            for _ in 0..count {
                let symbol = usize::from(self.symbols[at]);
                (codes.code[symbol], codes.length[symbol]) = (code, index as u32 + 1);
                code += 1;
                at += 1;
            }
            code <<= 1;
        }
        codes
    }

    /// The table fitted to `counts` (how often each symbol is coded), built
    /// as Annex K.2 builds it: Huffman code lengths with one extra symbol
    /// kept back so that no code is all ones, lengths over 16 folded back,
    /// then that extra symbol's code dropped.
    fn optimized(counts: &[u32; 256]) -> Self {
        let mut frequency = [0u64; 257];
        for (slot, &count) in frequency.iter_mut().zip(counts.iter()) {
            *slot = u64::from(count);
        }
        frequency[256] = 1;
        let mut length = [0usize; 257];
        // Each symbol's next in the chain of symbols merged with it.
        let mut next: [Option<usize>; 257] = [None; 257];
        loop {
            // The two least frequent live entries, the later symbol first on ties.
            let mut least: Option<usize> = None;
            let mut second: Option<usize> = None;
            for symbol in 0..257 {
                let value = frequency[symbol];
                if value == 0 {
                    continue;
                }
                if least.is_none_or(|at| value <= frequency[at]) {
                    second = least;
                    least = Some(symbol);
                } else if second.is_none_or(|at| value <= frequency[at]) {
                    second = Some(symbol);
                }
            }
            let (Some(kept), Some(merged)) = (least, second) else { break };
            frequency[kept] += frequency[merged];
            frequency[merged] = 0;
            let mut at = kept;
            length[at] += 1;
            while let Some(following) = next[at] {
                at = following;
                length[at] += 1;
            }
            next[at] = Some(merged);
            let mut at = merged;
            length[at] += 1;
            while let Some(following) = next[at] {
                at = following;
                length[at] += 1;
            }
        }
        if length[256] == 0 {
            // Nothing was coded with this table.
            return Self { bits: [0; 16], symbols: Vec::new() };
        }
        // A chain of 257 merges is at most 256 deep.
        let mut bits = [0usize; 258];
        for &size in &length {
            if size > 0 {
                bits[size] += 1;
            }
        }
        // Codes longer than 16 bits: a pair at the longest length becomes
        // one code a bit shorter and lengthens a shorter code into two.
        for size in (17..=257).rev() {
            while bits[size] > 0 {
                let mut shorter = size - 2;
                while bits[shorter] == 0 {
                    shorter -= 1;
                }
                bits[size] -= 2;
                bits[size - 1] += 1;
                bits[shorter + 1] += 2;
                bits[shorter] -= 1;
            }
        }
        let mut longest = 16;
        while bits[longest] == 0 {
            longest -= 1;
        }
        bits[longest] -= 1;
        // Symbols by code length then value; the lengths were only
        // counted, so the shortest codes go to the most frequent symbols.
        let mut order: Vec<usize> = (0..256).filter(|&symbol| length[symbol] > 0).collect();
        order.sort_by_key(|&symbol| (length[symbol], symbol));
        let symbols: Vec<u8> = order.into_iter().map(|symbol| symbol as u8).collect();
        let mut table_bits = [0u8; 16];
        for (slot, &count) in table_bits.iter_mut().zip(&bits[1..=16]) {
            *slot = count as u8;
        }
        Self { bits: table_bits, symbols }
    }
}

/// A component of the frame: its quantization and Huffman table number
/// and its blocks in an MCU.
#[derive(Clone, Copy)]
struct Component {
    table: usize,
    horizontal: usize,
    vertical: usize,
}

/// Bits into bytes with FF bytes followed by a 00 (the stuffing that keeps
/// entropy-coded data free of markers).
struct BitWriter {
    out: Vec<u8>,
    bits: u64,
    count: u32,
}

impl BitWriter {
    /// `value`'s low `length` bits (at most 32, the high ones clear).
    #[inline(always)]
    fn put(&mut self, value: u32, length: u32) {
        self.bits = (self.bits << length) | u64::from(value);
        self.count += length;
        if self.count >= 32 {
            self.count -= 32;
            let word = (self.bits >> self.count) as u32;
            // A byte of all ones somewhere in `word`: its complement has a zero byte.
            let inverse = !word;
            if inverse.wrapping_sub(0x0101_0101) & !inverse & 0x8080_8080 == 0 {
                self.out.extend_from_slice(&word.to_be_bytes());
            } else {
                for byte in word.to_be_bytes() {
                    self.out.push(byte);
                    if byte == 0xFF {
                        self.out.push(0);
                    }
                }
            }
        }
    }

    /// The pending bits padded, then restart marker `count` (they cycle
    /// through eight).
    fn restart(&mut self, count: usize) {
        self.flush();
        self.out.extend_from_slice(&[0xFF, 0xD0 + (count % 8) as u8]);
    }

    /// The pending bits, padded with ones to a whole byte.
    fn flush(&mut self) {
        while self.count >= 8 {
            self.count -= 8;
            self.push_byte((self.bits >> self.count) as u8);
        }
        if self.count > 0 {
            let byte = ((self.bits << (8 - self.count)) as u8) | (0xFF >> self.count);
            self.push_byte(byte);
        }
        (self.bits, self.count) = (0, 0);
    }

    fn push_byte(&mut self, byte: u8) {
        self.out.push(byte);
        if byte == 0xFF {
            self.out.push(0);
        }
    }
}

/// The magnitude category of a coefficient (its bit count) and the bits
/// that follow its Huffman code (negative values one less, as ones'
/// complement in that many bits).
#[inline(always)]
fn category(value: i16) -> (u32, u32) {
    let value = i32::from(value);
    let size = 32 - value.unsigned_abs().leading_zeros();
    let bits = (value + (value >> 31)) as u32 & ((1u32 << size) - 1);
    (size, bits)
}

/// For each row `u` of a block in the transposed layout and each byte of
/// "not zero" bits of its eight values: those bits at their zigzag indices.
static ZIGZAG_BITS: [[u64; 256]; 8] = {
    let mut table = [[0u64; 256]; 8];
    let mut row = 0;
    while row < 8 {
        let mut byte = 0;
        while byte < 256 {
            let mut bits = 0u64;
            let mut index = 0;
            while index < 64 {
                let at = ZIGZAG_TRANSPOSED[index];
                if at / 8 == row && byte & (1 << (at % 8)) != 0 {
                    bits |= 1 << index;
                }
                index += 1;
            }
            table[row][byte] = bits;
            byte += 1;
        }
        row += 1;
    }
    table
};

/// Bit `k` set when zigzag coefficient `k` of `block` (transposed layout)
/// is not zero.
#[inline(always)]
fn nonzero_mask(block: &[i16]) -> u64 {
    let block = &block[..64];
    let mut mask = 0u64;
    for (row, bits) in ZIGZAG_BITS.iter().enumerate() {
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        let byte = {
            use core::arch::wasm32::*;
            // SAFETY: eight i16s (16 bytes) of the 64; wasm loads need no alignment.
            let vector = unsafe { v128_load(block[row * 8..].as_ptr().cast::<v128>()) };
            !i16x8_bitmask(i16x8_eq(vector, i16x8_splat(0)))
        };
        #[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
        let byte = block[row * 8..row * 8 + 8]
            .iter()
            .enumerate()
            .fold(0u8, |byte, (index, &value)| byte | (u8::from(value != 0) << index));
        mask |= bits[usize::from(byte)];
    }
    mask
}

/// Which AC symbols and DC categories a block codes, counted (the first
/// of the two passes that fit Huffman tables to the picture).
fn count_block(block: &[i16], previous_dc: i16, dc: &mut [u32; 256], ac: &mut [u32; 256]) {
    let (size, _) = category(block[0].wrapping_sub(previous_dc));
    dc[usize::from(size as u8)] += 1;
    let mut mask = nonzero_mask(block) & !1;
    let mut last = 0u32;
    while mask != 0 {
        let at = mask.trailing_zeros();
        let mut run = at - last - 1;
        while run >= 16 {
            ac[0xF0] += 1;
            run -= 16;
        }
        let (size, _) = category(block[ZIGZAG_TRANSPOSED[(at & 63) as usize]]);
        ac[usize::from(((run << 4) | size) as u8)] += 1;
        last = at;
        mask &= mask - 1;
    }
    if last != 63 {
        ac[0] += 1;
    }
}

#[inline(always)]
fn write_block(writer: &mut BitWriter, block: &[i16], previous_dc: i16, dc: &Codes, ac: &Codes) {
    let (size, bits) = category(block[0].wrapping_sub(previous_dc));
    let symbol = usize::from(size as u8);
    writer.put((dc.code[symbol] << size) | bits, dc.length[symbol] + size);
    let mut mask = nonzero_mask(block) & !1;
    let mut last = 0u32;
    while mask != 0 {
        let at = mask.trailing_zeros();
        let mut run = at - last - 1;
        while run >= 16 {
            writer.put(ac.code[0xF0], ac.length[0xF0]);
            run -= 16;
        }
        let (size, bits) = category(block[ZIGZAG_TRANSPOSED[(at & 63) as usize]]);
        let symbol = usize::from(((run << 4) | size) as u8);
        writer.put((ac.code[symbol] << size) | bits, ac.length[symbol] + size);
        last = at;
        mask &= mask - 1;
    }
    if last != 63 {
        writer.put(ac.code[0], ac.length[0]);
    }
}

fn segment(out: &mut Vec<u8>, marker: u8, body: &[u8]) {
    out.extend_from_slice(&[0xFF, marker]);
    out.extend_from_slice(&(body.len() as u16 + 2).to_be_bytes());
    out.extend_from_slice(body);
}

/// A baseline JPEG of `width` x `height` `pixels` (`input`'s layout, rows
/// packed) with `options`. The caller has checked the size (1 to 65535 each
/// way, `pixels` exactly that long); a mismatch is an error here too.
pub fn encode(pixels: &[u8], width: u32, height: u32, input: Input, options: &Options) -> Result<Vec<u8>> {
    let step = input.bytes_per_pixel();
    let (Ok(width16), Ok(height16)) = (u16::try_from(width), u16::try_from(height)) else {
        return Err(CodecError::CannotWrite {
            format: "JPEG",
            reason: format!("{width}x{height} is larger than JPEG's 65535x65535"),
        });
    };
    let (width, height) = (usize::from(width16), usize::from(height16));
    if width == 0 || height == 0 {
        return Err(CodecError::CannotWrite { format: "JPEG", reason: format!("{width}x{height} has no pixels") });
    }
    if pixels.len() != width * height * step {
        return Err(CodecError::WrongLength {
            expected: (width * height * step) as u64,
            actual: pixels.len() as u64,
            bytes_per_pixel: step as u8,
        });
    }
    let sampling = options.sampling;
    if ![(1, 1), (2, 1), (2, 2)].contains(&(sampling.horizontal, sampling.vertical)) {
        return Err(CodecError::CannotWrite {
            format: "JPEG",
            reason: format!("sampling {}x{} is not 4:4:4, 4:2:2 or 4:2:0", sampling.horizontal, sampling.vertical),
        });
    }
    let grey = input == Input::Grey;
    let components: Vec<Component> = if grey {
        vec![Component { table: 0, horizontal: 1, vertical: 1 }]
    } else {
        vec![
            Component { table: 0, horizontal: sampling.horizontal, vertical: sampling.vertical },
            Component { table: 1, horizontal: 1, vertical: 1 },
            Component { table: 1, horizontal: 1, vertical: 1 },
        ]
    };
    let (mcu_width, mcu_height) = (8 * components[0].horizontal, 8 * components[0].vertical);
    let (mcus_across, mcus_down) = (width.div_ceil(mcu_width), height.div_ceil(mcu_height));
    let blocks_per_mcu: usize = components.iter().map(|component| component.horizontal * component.vertical).sum();
    let quantizers = [Quantizer::new(&options.tables[0]), Quantizer::new(&options.tables[1])];
    let mut strip = Strip::new(width, height, step, &components[0], grey);
    let row_length = 64 * blocks_per_mcu * mcus_across;
    let frame = Frame { width: width16, height: height16, components: &components, options };
    if options.optimize || options.progressive {
        // Two passes: every block's coefficients, counted, then written.
        let wanted = row_length * mcus_down;
        let mut coefficients = zeroed(wanted)?;
        for (mcu_row, out) in coefficients.chunks_exact_mut(row_length).enumerate() {
            strip.fill(pixels, mcu_row);
            strip.transform(&quantizers, out);
        }
        if options.progressive {
            let layout = Layout { width, height, mcus_across, blocks_per_mcu, components: &components };
            let tables = layout.progressive_tables(&coefficients, usize::from(options.restart_interval));
            let mut scan = frame.start(&tables)?;
            layout.write_progressive(&mut scan, &coefficients);
            return Ok(scan.finish());
        }
        let tables = fitted_tables(&coefficients, &components, options.restart_interval, blocks_per_mcu);
        let mut scan = frame.start(&tables)?;
        scan.write(&coefficients);
        Ok(scan.finish())
    } else {
        // One pass, a row of MCUs at a time.
        let tables = [
            [Table::standard(&LUMA_DC_BITS, &DC_SYMBOLS), Table::standard(&LUMA_AC_BITS, &LUMA_AC_SYMBOLS)],
            [Table::standard(&CHROMA_DC_BITS, &DC_SYMBOLS), Table::standard(&CHROMA_AC_BITS, &CHROMA_AC_SYMBOLS)],
        ];
        let mut scan = frame.start(&tables)?;
        let mut coefficients = zeroed(row_length)?;
        for mcu_row in 0..mcus_down {
            strip.fill(pixels, mcu_row);
            strip.transform(&quantizers, &mut coefficients);
            scan.write(&coefficients);
        }
        Ok(scan.finish())
    }
}

/// `length` zeros, or an error when the memory is not there.
fn zeroed(length: usize) -> Result<Vec<i16>> {
    let mut values = Vec::new();
    values.try_reserve_exact(length).map_err(|_| CodecError::OutOfMemory { bytes: length * 2 })?;
    values.resize(length, 0);
    Ok(values)
}

/// What the headers say: the size, the components and the options.
struct Frame<'a> {
    width: u16,
    height: u16,
    components: &'a [Component],
    options: &'a Options,
}

impl Frame<'_> {
    /// The file's headers with `tables` (luma's DC and AC, then chroma's),
    /// ready for the scan's blocks.
    fn start(&self, tables: &[[Table; 2]; 2]) -> Result<Scan<'_>> {
        let (components, options) = (self.components, self.options);
        let grey = components.len() == 1;
        let mut out = Vec::new();
        // The headers, then the scan at a little under two bits a pixel at
        // worst at ordinary qualities; growing beyond is only a copy.
        let guess = 2048 + usize::from(self.width) * usize::from(self.height) * if grey { 1 } else { 2 };
        out.try_reserve(guess).map_err(|_| CodecError::OutOfMemory { bytes: guess })?;
        out.extend_from_slice(&[0xFF, 0xD8]);
        segment(&mut out, 0xE0, b"JFIF\0\x01\x02\x00\x00\x01\x00\x01\x00\x00");
        let wide = options.tables.iter().any(|table| table.iter().any(|&value| value > 255));
        let mut frame = vec![8];
        frame.extend_from_slice(&self.height.to_be_bytes());
        frame.extend_from_slice(&self.width.to_be_bytes());
        frame.push(components.len() as u8);
        for (id, component) in components.iter().enumerate() {
            frame.extend_from_slice(&[
                id as u8,
                (component.horizontal << 4 | component.vertical) as u8,
                component.table as u8,
            ]);
        }
        // 16-bit tables make the frame extended sequential.
        let sof = match (options.progressive, wide) {
            (true, _) => 0xC2,
            (false, true) => 0xC1,
            (false, false) => 0xC0,
        };
        segment(&mut out, sof, &frame);
        for (index, table) in options.tables.iter().enumerate() {
            let mut body = vec![index as u8 | if wide { 0x10 } else { 0 }];
            for &at in &ZIGZAG {
                if wide {
                    body.extend_from_slice(&table[at].to_be_bytes());
                } else {
                    body.push(table[at] as u8);
                }
            }
            segment(&mut out, 0xDB, &body);
        }
        for (index, pair) in tables.iter().enumerate().take(if grey { 1 } else { 2 }) {
            for (class, table) in pair.iter().enumerate() {
                let mut body = vec![(class << 4 | index) as u8];
                body.extend_from_slice(&table.bits);
                body.extend_from_slice(&table.symbols);
                segment(&mut out, 0xC4, &body);
            }
        }
        if options.restart_interval > 0 {
            segment(&mut out, 0xDD, &options.restart_interval.to_be_bytes());
        }
        let mut scan = Scan {
            writer: BitWriter { out, bits: 0, count: 0 },
            codes: [[tables[0][0].codes(), tables[0][1].codes()], [tables[1][0].codes(), tables[1][1].codes()]],
            components,
            interval: usize::from(options.restart_interval),
            mcu: 0,
            previous: [0; 3],
        };
        if !options.progressive {
            let all: Vec<usize> = (0..components.len()).collect();
            scan.header(&all, 0, 63);
        }
        Ok(scan)
    }
}

/// The entropy-coded scan being written: blocks interleaved in MCUs, a
/// restart marker every `interval` MCUs (0 for none).
struct Scan<'a> {
    writer: BitWriter,
    codes: [[Codes; 2]; 2],
    components: &'a [Component],
    interval: usize,
    mcu: usize,
    previous: [i16; 3],
}

impl Scan<'_> {
    /// A scan header for the components numbered `ids` and coefficients
    /// `first` to `last` in zigzag order, the bits before it padded out.
    fn header(&mut self, ids: &[usize], first: u8, last: u8) {
        self.writer.flush();
        let mut body = vec![ids.len() as u8];
        for &id in ids {
            let table = self.components[id].table as u8;
            body.extend_from_slice(&[id as u8, table << 4 | table]);
        }
        body.extend_from_slice(&[first, last, 0]);
        segment(&mut self.writer.out, 0xDA, &body);
    }

    /// The MCUs whose blocks are `coefficients`, after those written before.
    #[inline(never)]
    fn write(&mut self, coefficients: &[i16]) {
        let blocks_per_mcu: usize =
            self.components.iter().map(|component| component.horizontal * component.vertical).sum();
        for blocks in coefficients.chunks_exact(64 * blocks_per_mcu) {
            if self.interval > 0 && self.mcu > 0 && self.mcu % self.interval == 0 {
                self.writer.restart(self.mcu / self.interval - 1);
                self.previous = [0; 3];
            }
            let mut blocks = blocks.chunks_exact(64);
            for (index, component) in self.components.iter().enumerate() {
                let [dc, ac] = &self.codes[component.table];
                for _ in 0..component.horizontal * component.vertical {
                    let Some(block) = blocks.next() else { break };
                    write_block(&mut self.writer, block, self.previous[index], dc, ac);
                    self.previous[index] = block[0];
                }
            }
            self.mcu += 1;
        }
    }

    /// The file, its last byte padded and the end-of-image marker after.
    fn finish(mut self) -> Vec<u8> {
        self.writer.flush();
        let mut out = self.writer.out;
        out.extend_from_slice(&[0xFF, 0xD9]);
        out
    }
}

/// The samples of one row of MCUs: Y, Cb and Cr at full width (rows
/// `padded_width` apart, the picture's last column and row repeated to
/// fill whole MCUs), and the chroma averaged down when it is subsampled.
struct Strip {
    width: usize,
    height: usize,
    step: usize,
    grey: bool,
    horizontal: usize,
    vertical: usize,
    padded_width: usize,
    chroma_width: usize,
    planes: Vec<u8>,
    small: Vec<u8>,
}

impl Strip {
    fn new(width: usize, height: usize, step: usize, luma: &Component, grey: bool) -> Self {
        let (horizontal, vertical) = (luma.horizontal, luma.vertical);
        let padded_width = width.div_ceil(8 * horizontal) * 8 * horizontal;
        let chroma_width = padded_width / horizontal;
        let planes = vec![0u8; padded_width * 8 * vertical * if grey { 1 } else { 3 }];
        let small = vec![0u8; if grey || horizontal == 1 { 0 } else { 2 * chroma_width * 8 }];
        Self { width, height, step, grey, horizontal, vertical, padded_width, chroma_width, planes, small }
    }

    /// The strip of MCU row `mcu_row` from `pixels`.
    #[inline(never)]
    fn fill(&mut self, pixels: &[u8], mcu_row: usize) {
        let (width, step, padded_width) = (self.width, self.step, self.padded_width);
        let rows = 8 * self.vertical;
        let size = padded_width * rows;
        for row in 0..rows {
            let y = (mcu_row * rows + row).min(self.height - 1);
            let source = &pixels[y * width * step..(y + 1) * width * step];
            let at = row * padded_width;
            if self.grey {
                let line = &mut self.planes[at..at + padded_width];
                line[..width].copy_from_slice(source);
                let last = line[width - 1];
                line[width..].fill(last);
            } else {
                let (luma, rest) = self.planes.split_at_mut(size);
                let (blue, red) = rest.split_at_mut(size);
                let lines = [
                    &mut luma[at..at + padded_width],
                    &mut blue[at..at + padded_width],
                    &mut red[at..at + padded_width],
                ];
                let [luma, blue, red] = lines;
                convert_row(source, step, width, [&mut *luma, &mut *blue, &mut *red]);
                for line in [luma, blue, red] {
                    let last = line[width - 1];
                    line[width..].fill(last);
                }
            }
        }
        if self.grey || self.horizontal == 1 {
            return;
        }
        let chroma_width = self.chroma_width;
        let (blue_small, red_small) = self.small.split_at_mut(chroma_width * 8);
        for (plane, out) in [(&self.planes[size..2 * size], blue_small), (&self.planes[2 * size..], red_small)] {
            for row in 0..8 {
                let line = &mut out[row * chroma_width..(row + 1) * chroma_width];
                if self.vertical == 2 {
                    let first = &plane[2 * row * padded_width..(2 * row + 1) * padded_width];
                    let second = &plane[(2 * row + 1) * padded_width..(2 * row + 2) * padded_width];
                    downsample(first, Some(second), line);
                } else {
                    downsample(&plane[row * padded_width..(row + 1) * padded_width], None, line);
                }
            }
        }
    }

    /// The strip's blocks, MCU by MCU, transformed and quantized into `out`.
    #[inline(never)]
    fn transform(&self, quantizers: &[Quantizer; 2], out: &mut [i16]) {
        let padded_width = self.padded_width;
        let size = padded_width * 8 * self.vertical;
        let chroma: [(&[u8], usize); 2] = if self.grey {
            [(&[], 0), (&[], 0)]
        } else if self.horizontal == 1 {
            [(&self.planes[size..2 * size], padded_width), (&self.planes[2 * size..], padded_width)]
        } else {
            let (blue, red) = self.small.split_at(self.chroma_width * 8);
            [(blue, self.chroma_width), (red, self.chroma_width)]
        };
        let mut blocks = out.chunks_exact_mut(64);
        for mcu in 0..padded_width / (8 * self.horizontal) {
            for v in 0..self.vertical {
                for h in 0..self.horizontal {
                    let at = v * 8 * padded_width + (mcu * self.horizontal + h) * 8;
                    let Some(block) = blocks.next() else { return };
                    transform_block(&self.planes[at..], padded_width, &quantizers[0], block);
                }
            }
            if !self.grey {
                for (plane, stride) in chroma {
                    let Some(block) = blocks.next() else { return };
                    transform_block(&plane[mcu * 8..], stride, &quantizers[1], block);
                }
            }
        }
    }
}

/// Huffman tables fitted to the picture's coefficients (luma's pair, then
/// chroma's), counted over the blocks in scan order with the DC
/// predictions reset at every restart as the scan resets them.
fn fitted_tables(
    coefficients: &[i16],
    components: &[Component],
    restart_interval: u16,
    blocks_per_mcu: usize,
) -> [[Table; 2]; 2] {
    let mut counts = [[[0u32; 256]; 2]; 2];
    let mut previous = [0i16; 3];
    let interval = usize::from(restart_interval);
    for (mcu, blocks) in coefficients.chunks_exact(64 * blocks_per_mcu).enumerate() {
        if interval > 0 && mcu % interval == 0 {
            previous = [0; 3];
        }
        let mut blocks = blocks.chunks_exact(64);
        for (index, component) in components.iter().enumerate() {
            let [dc, ac] = &mut counts[component.table];
            for _ in 0..component.horizontal * component.vertical {
                let Some(block) = blocks.next() else { break };
                count_block(block, previous[index], dc, ac);
                previous[index] = block[0];
            }
        }
    }
    counts.map(|[dc, ac]| [Table::optimized(&dc), Table::optimized(&ac)])
}

/// The AC coefficients each progressive scan sends (zigzag indices), as
/// libjpeg's progressions without successive approximation split them.
const AC_BANDS: [(usize, usize); 2] = [(1, 5), (6, 63)];

/// Where a symbol goes: counted, for fitting tables, or coded.
enum Sink<'a> {
    Count(&'a mut [u32; 256]),
    Write(&'a mut BitWriter, &'a Codes),
}

impl Sink<'_> {
    #[inline(always)]
    fn emit(&mut self, symbol: u32, bits: u32, length: u32) {
        let symbol = usize::from(symbol as u8);
        match self {
            Self::Count(counts) => counts[symbol] += 1,
            Self::Write(writer, codes) => {
                writer.put((codes.code[symbol] << length) | bits, codes.length[symbol] + length)
            }
        }
    }

    /// The `count`th restart marker (coding only).
    fn restart(&mut self, count: usize) {
        if let Self::Write(writer, _) = self {
            writer.restart(count);
        }
    }

    /// A run of `count` blocks whose band ends in zeros (an EOBn symbol:
    /// the run's bit count less one, then its bits below the top one).
    fn end_of_bands(&mut self, count: &mut u32) {
        if *count > 0 {
            let size = 31 - count.leading_zeros();
            self.emit(size << 4, *count - (1 << size), size);
            *count = 0;
        }
    }

    /// Coefficients `first` to `last` (zigzag) of `block` in an AC scan.
    fn band(&mut self, block: &[i16], first: usize, last: usize, end_run: &mut u32) {
        let mut run = 0;
        for &at in &ZIGZAG_TRANSPOSED[first..=last] {
            let value = block[at];
            if value == 0 {
                run += 1;
                continue;
            }
            self.end_of_bands(end_run);
            while run >= 16 {
                self.emit(0xF0, 0, 0);
                run -= 16;
            }
            let (size, bits) = category(value);
            self.emit((run << 4) | size, bits, size);
            run = 0;
        }
        if run > 0 {
            *end_run += 1;
            // The longest run an EOB symbol holds.
            if *end_run == 0x7FFF {
                self.end_of_bands(end_run);
            }
        }
    }
}

/// Where each component's blocks are among the coefficients, which are
/// stored MCU by MCU.
struct Layout<'a> {
    width: usize,
    height: usize,
    mcus_across: usize,
    blocks_per_mcu: usize,
    components: &'a [Component],
}

impl Layout<'_> {
    /// The offsets of `component`'s blocks in raster order over its own
    /// grid, as a scan of that component alone sends them: only blocks
    /// that hold some of the picture, not the MCUs' padding.
    fn blocks(&self, component: usize) -> Vec<usize> {
        let luma = &self.components[0];
        let this = &self.components[component];
        let offset: usize = self.components[..component].iter().map(|other| other.horizontal * other.vertical).sum();
        let samples_across = (self.width * this.horizontal).div_ceil(luma.horizontal);
        let samples_down = (self.height * this.vertical).div_ceil(luma.vertical);
        let mut out = Vec::with_capacity(samples_across.div_ceil(8) * samples_down.div_ceil(8));
        for y in 0..samples_down.div_ceil(8) {
            for x in 0..samples_across.div_ceil(8) {
                let mcu = (y / this.vertical) * self.mcus_across + x / this.horizontal;
                let within = (y % this.vertical) * this.horizontal + x % this.horizontal;
                out.push((mcu * self.blocks_per_mcu + offset + within) * 64);
            }
        }
        out
    }

    /// The DC scan (all components interleaved, as the baseline scan
    /// orders its blocks): each block's table, value and the prediction
    /// it is coded against, or a restart after so many MCUs.
    fn dc_scan(&self, coefficients: &[i16], interval: usize, mut sink: impl FnMut(Dc)) {
        let mut previous = [0i16; 3];
        for (mcu, blocks) in coefficients.chunks_exact(64 * self.blocks_per_mcu).enumerate() {
            if interval > 0 && mcu > 0 && mcu % interval == 0 {
                sink(Dc::Restart(mcu / interval - 1));
                previous = [0; 3];
            }
            let mut blocks = blocks.chunks_exact(64);
            for (index, component) in self.components.iter().enumerate() {
                for _ in 0..component.horizontal * component.vertical {
                    let Some(block) = blocks.next() else { break };
                    sink(Dc::Block(component.table, block[0], previous[index]));
                    previous[index] = block[0];
                }
            }
        }
    }

    /// One component's blocks in an AC scan of coefficients `first` to
    /// `last`, a restart every `interval` blocks (the scan's MCUs).
    fn ac_scan(
        &self,
        coefficients: &[i16],
        component: usize,
        band: (usize, usize),
        interval: usize,
        sink: &mut Sink<'_>,
    ) {
        let mut end_run = 0;
        for (count, at) in self.blocks(component).into_iter().enumerate() {
            if interval > 0 && count > 0 && count % interval == 0 {
                sink.end_of_bands(&mut end_run);
                sink.restart(count / interval - 1);
            }
            sink.band(&coefficients[at..at + 64], band.0, band.1, &mut end_run);
        }
        sink.end_of_bands(&mut end_run);
    }

    /// Huffman tables fitted to the progressive scans: DC from the first,
    /// AC from all the others of the components sharing the table.
    fn progressive_tables(&self, coefficients: &[i16], interval: usize) -> [[Table; 2]; 2] {
        let mut counts = [[[0u32; 256]; 2]; 2];
        self.dc_scan(coefficients, interval, |event| {
            if let Dc::Block(table, value, previous) = event {
                let (size, _) = category(value.wrapping_sub(previous));
                counts[table][0][usize::from(size as u8)] += 1;
            }
        });
        for band in AC_BANDS {
            for (index, component) in self.components.iter().enumerate() {
                let mut sink = Sink::Count(&mut counts[component.table][1]);
                self.ac_scan(coefficients, index, band, interval, &mut sink);
            }
        }
        counts.map(|[dc, ac]| [Table::optimized(&dc), Table::optimized(&ac)])
    }

    /// The progressive scans into `scan`, whose headers are written.
    fn write_progressive(&self, scan: &mut Scan<'_>, coefficients: &[i16]) {
        let all: Vec<usize> = (0..self.components.len()).collect();
        scan.header(&all, 0, 0);
        let (codes, interval) = (scan.codes.clone(), scan.interval);
        let writer = &mut scan.writer;
        self.dc_scan(coefficients, interval, |event| match event {
            Dc::Block(table, value, previous) => {
                let (size, bits) = category(value.wrapping_sub(previous));
                let symbol = usize::from(size as u8);
                let dc = &codes[table][0];
                writer.put((dc.code[symbol] << size) | bits, dc.length[symbol] + size);
            }
            Dc::Restart(count) => writer.restart(count),
        });
        for band in AC_BANDS {
            for (index, component) in self.components.iter().enumerate() {
                scan.header(&[index], band.0 as u8, band.1 as u8);
                let mut sink = Sink::Write(&mut scan.writer, &codes[component.table][1]);
                self.ac_scan(coefficients, index, band, interval, &mut sink);
            }
        }
    }
}

/// What the DC scan meets: a block (its table, value and prediction), or
/// the `n`th restart.
enum Dc {
    Block(usize, i16, i16),
    Restart(usize),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Limits;
    use crate::jpeg::decode_jpeg;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };
    const SAMPLINGS: [Sampling; 3] = [
        Sampling { horizontal: 1, vertical: 1 },
        Sampling { horizontal: 2, vertical: 1 },
        Sampling { horizontal: 2, vertical: 2 },
    ];

    /// A photograph's kind of content: smooth colour ramps, an edge, and
    /// some fine noise, in `input`'s layout.
    fn picture(width: usize, height: usize, input: Input) -> Vec<u8> {
        let mut random = crate::xorshift32(0x2545_F491);
        let mut noise = move || (random() % 9) as i32 - 4;
        let mut out = Vec::new();
        for y in 0..height {
            for x in 0..width {
                let edge = if x * 3 > width * 2 { 60 } else { 0 };
                let red = (x * 200 / width.max(1)) as i32 + 20 + noise();
                let green = (y * 180 / height.max(1)) as i32 + 40 + edge + noise();
                let blue = ((x + y) * 100 / (width + height)) as i32 + 90 - edge + noise();
                let [red, green, blue] = [red, green, blue].map(|value| value.clamp(0, 255) as u8);
                match input {
                    Input::Grey => out.push(((u32::from(red) + 2 * u32::from(green) + u32::from(blue)) / 4) as u8),
                    Input::Rgb => out.extend_from_slice(&[red, green, blue]),
                    Input::Rgba => out.extend_from_slice(&[red, green, blue, (x % 256) as u8]),
                }
            }
        }
        out
    }

    fn options(quality: u8, sampling: Sampling) -> Options {
        Options {
            tables: [scaled_table(&STANDARD_LUMA, quality), scaled_table(&STANDARD_CHROMA, quality)],
            sampling,
            restart_interval: 0,
            optimize: false,
            progressive: false,
        }
    }

    /// The decoded picture's differences from `source`: worst, mean, PSNR.
    fn differences(source: &[u8], input: Input, file: &[u8]) -> (u8, f64, f64) {
        let decoded = decode_jpeg(file, LIMITS).unwrap();
        let step = input.bytes_per_pixel();
        let bands = if input == Input::Grey { 1 } else { 3 };
        let (mut worst, mut sum, mut squares, mut count) = (0u8, 0f64, 0f64, 0f64);
        for (got, given) in decoded.pixels.chunks_exact(4).zip(source.chunks_exact(step)) {
            for band in 0..bands {
                let difference = got[band].abs_diff(given[band]);
                worst = worst.max(difference);
                sum += f64::from(difference);
                squares += f64::from(difference).powi(2);
                count += 1.0;
            }
        }
        let psnr = 10.0 * (255f64.powi(2) / (squares / count).max(1e-9)).log10();
        (worst, sum / count, psnr)
    }

    #[test]
    fn the_transform_is_the_dct() {
        // With every divisor 1 the coefficients are the 2-D DCT rounded.
        let quantizer = Quantizer::new(&[1; 64]);
        let samples: Vec<u8> = (0..64u32).map(|index| ((index * 37 + index / 8 * 11) % 256) as u8).collect();
        let mut transposed = [0i16; 64];
        transform_block(&samples, 8, &quantizer, &mut transposed);
        for natural in 0..64 {
            let (v, u) = (natural / 8, natural % 8);
            let mut sum = 0.0;
            for y in 0..8 {
                for x in 0..8 {
                    let sample = f64::from(samples[y * 8 + x]) - 128.0;
                    let pi = core::f64::consts::PI;
                    sum += sample
                        * ((2 * x + 1) as f64 * u as f64 * pi / 16.0).cos()
                        * ((2 * y + 1) as f64 * v as f64 * pi / 16.0).cos();
                }
            }
            let c = |k: usize| if k == 0 { core::f64::consts::FRAC_1_SQRT_2 } else { 1.0 };
            let expected = (0.25 * c(u) * c(v) * sum).clamp(-1023.0, 1023.0);
            let got = transposed[u * 8 + v];
            assert!((f64::from(got) - expected).abs() <= 0.51, "coefficient ({v}, {u}): {got} for {expected}");
        }
    }

    /// A block of the float transform's coefficients and the 16-bit one's,
    /// both quantized by `table`.
    fn both_transforms(samples: &[u8], table: &[u16; 64]) -> ([i16; 64], [i16; 64]) {
        let fixed = Quantizer::new(table);
        let float = Quantizer { fixed: None, ..Quantizer::new(table) };
        assert!(fixed.fixed.is_some(), "the 16-bit path should take {table:?}");
        let (mut from_fixed, mut from_float) = ([0i16; 64], [0i16; 64]);
        transform_block(samples, 8, &fixed, &mut from_fixed);
        transform_block(samples, 8, &float, &mut from_float);
        (from_fixed, from_float)
    }

    #[test]
    fn the_16_bit_transform_quantizes_as_the_float_one_within_one_step() {
        let mut random = crate::xorshift32(0x9E37_79B9);
        let mut blocks: Vec<[u8; 64]> = Vec::new();
        // The blocks that drive each coefficient to its extremes (the signs
        // of its basis function, at 0 and 255), where a 16-bit lane would
        // overflow first; then flat, noisy and smooth ones.
        for natural in 0..64 {
            let (v, u) = ((natural / 8) as f64, (natural % 8) as f64);
            let sign = |x: usize, y: usize| {
                let pi = core::f64::consts::PI;
                ((2 * x + 1) as f64 * u * pi / 16.0).cos() * ((2 * y + 1) as f64 * v * pi / 16.0).cos() >= 0.0
            };
            blocks.push(std::array::from_fn(|at| if sign(at % 8, at / 8) { 255 } else { 0 }));
            blocks.push(std::array::from_fn(|at| if sign(at % 8, at / 8) { 0 } else { 255 }));
        }
        blocks.extend([[0; 64], [255; 64], [128; 64]]);
        blocks.extend((0..400).map(|_| std::array::from_fn(|_| random() as u8)));
        blocks.extend((0..400).map(|_| {
            let (base, slope) = (random() % 200, random() % 5);
            std::array::from_fn(|at| (base + slope * (at % 8 + at / 8) as u32 + random() % 7) as u8)
        }));
        for quality in [10, 50, 75, 90, 93] {
            for table in [scaled_table(&STANDARD_LUMA, quality), scaled_table(&STANDARD_CHROMA, quality)] {
                let (mut differing, mut total) = (0, 0);
                for block in &blocks {
                    let (fixed, float) = both_transforms(block, &table);
                    for (index, (a, b)) in fixed.iter().zip(float).enumerate() {
                        assert!(a.abs_diff(b) <= 1, "q{quality} coefficient {index}: {a} against {b} of {block:?}");
                        differing += usize::from(*a != b);
                        total += 1;
                    }
                }
                // Rounding differs only where the float value is near a half.
                assert!(differing * 100 <= total, "q{quality}: {differing} of {total} coefficients differ");
            }
        }
        let fine = scaled_table(&STANDARD_LUMA, 94);
        assert!(Quantizer::new(&fine).fixed.is_none(), "quality 94 keeps the float transform");
    }

    #[test]
    fn rows_convert_as_libjpeg_converts_each_pixel() {
        let mut next = crate::xorshift32(0x1234_5678);
        let mut random = move || next() as u8;
        for step in [3, 4] {
            for width in [1, 15, 16, 17, 40, 64, 65] {
                let mut source: Vec<u8> = (0..width * step).map(|_| random()).collect();
                // The extremes, where the sums are largest and smallest.
                for (pixel, colour) in
                    [[255, 255, 255], [0, 0, 0], [255, 0, 0], [0, 0, 255], [0, 255, 0]].iter().enumerate()
                {
                    if pixel < width {
                        source[pixel * step..pixel * step + 3].copy_from_slice(colour);
                    }
                }
                let (mut luma, mut blue, mut red) = (vec![0u8; width], vec![0u8; width], vec![0u8; width]);
                convert_row(&source, step, width, [&mut luma, &mut blue, &mut red]);
                for (x, pixel) in source.chunks_exact(step).enumerate() {
                    let expected = ycbcr(i32::from(pixel[0]), i32::from(pixel[1]), i32::from(pixel[2]));
                    assert_eq!((luma[x], blue[x], red[x]), expected, "step {step}, width {width}, x {x}");
                }
            }
        }
    }

    #[test]
    fn every_layout_and_sampling_decodes_close_to_its_source() {
        let mut table = String::new();
        for (width, height) in [(1, 1), (7, 9), (17, 33), (33, 17), (40, 24), (100, 75), (250, 3)] {
            for input in [Input::Grey, Input::Rgb, Input::Rgba] {
                for sampling in SAMPLINGS {
                    let source = picture(width, height, input);
                    for quality in [75, 95] {
                        let file =
                            encode(&source, width as u32, height as u32, input, &options(quality, sampling)).unwrap();
                        let decoded = decode_jpeg(&file, LIMITS).unwrap();
                        assert_eq!((decoded.width, decoded.height), (width as u32, height as u32));
                        let (worst, mean, psnr) = differences(&source, input, &file);
                        let reference = theirs(&source, width as u16, height as u16, input, quality, sampling);
                        let (_, _, their_psnr) = differences(&source, input, &reference);
                        let case = format!("{width}x{height} {input:?} {sampling:?} q{quality}");
                        table += &format!(
                            "{case}: PSNR {psnr:.1} (jpeg-encoder {their_psnr:.1}), worst {worst}, mean {mean:.2}\n"
                        );
                        // As close as jpeg-encoder's file, and at least as
                        // close as these qualities give (chroma halved at a
                        // sharp colour edge loses more).
                        let floor = match (quality, sampling.horizontal) {
                            (75, 1) => 30.0,
                            (75, _) => 24.0,
                            (_, 1) => 38.0,
                            _ => 25.0,
                        };
                        assert!(psnr >= floor && psnr >= their_psnr - 0.3, "{case}: PSNR {psnr:.1}\n{table}");
                        if sampling.horizontal == 1 {
                            assert!(worst <= if quality == 95 { 12 } else { 40 }, "{case}: worst {worst}\n{table}");
                        }
                    }
                }
            }
        }
    }

    /// `jpeg-encoder`'s file for the same settings.
    fn theirs(source: &[u8], width: u16, height: u16, input: Input, quality: u8, sampling: Sampling) -> Vec<u8> {
        let mut file = Vec::new();
        let mut encoder = jpeg_encoder::Encoder::new(&mut file, quality);
        encoder.set_sampling_factor(match (sampling.horizontal, sampling.vertical) {
            (1, 1) => jpeg_encoder::SamplingFactor::R_4_4_4,
            (2, 1) => jpeg_encoder::SamplingFactor::R_4_2_2,
            _ => jpeg_encoder::SamplingFactor::R_4_2_0,
        });
        // Chroma averaged as we (and libjpeg) average it; its default
        // takes each square's first sample.
        encoder.set_chroma_subsampling_method(jpeg_encoder::ChromaSubsamplingMethod::Average);
        let colour = match input {
            Input::Grey => jpeg_encoder::ColorType::Luma,
            Input::Rgb => jpeg_encoder::ColorType::Rgb,
            Input::Rgba => jpeg_encoder::ColorType::Rgba,
        };
        encoder.encode(source, width, height, colour).unwrap();
        file
    }

    /// The segments before the scan: (marker, body).
    fn segments(file: &[u8]) -> Vec<(u8, Vec<u8>)> {
        let (mut out, mut at) = (Vec::new(), 2);
        while file[at + 1] != 0xDA {
            let length = usize::from(u16::from_be_bytes([file[at + 2], file[at + 3]]));
            out.push((file[at + 1], file[at + 4..at + 2 + length].to_vec()));
            at += 2 + length;
        }
        out
    }

    #[test]
    fn files_match_jpeg_encoders_in_markers_tables_pixels_and_size() {
        let (width, height) = (96, 72);
        for input in [Input::Grey, Input::Rgb, Input::Rgba] {
            for sampling in SAMPLINGS {
                for quality in [30, 75, 90] {
                    let source = picture(width, height, input);
                    let ours =
                        encode(&source, width as u32, height as u32, input, &options(quality, sampling)).unwrap();
                    let reference = theirs(&source, width as u16, height as u16, input, quality, sampling);
                    let case = format!("{input:?} {sampling:?} q{quality}");
                    // The same segments in the same order, with the same
                    // quantization tables, frame header and Huffman tables.
                    assert_eq!(segments(&ours), segments(&reference), "{case}");
                    let mine = decode_jpeg(&ours, LIMITS).unwrap().pixels;
                    let other = decode_jpeg(&reference, LIMITS).unwrap().pixels;
                    let mean = mine.iter().zip(&other).map(|(a, b)| f64::from(a.abs_diff(*b))).sum::<f64>()
                        / mine.len() as f64;
                    // The same transform up to rounding: libjpeg's integer
                    // DCT there, the float one here.
                    assert!(mean < 0.5, "{case}: mean difference {mean:.3}");
                    let ratio = ours.len() as f64 / reference.len() as f64;
                    assert!((0.95..=1.05).contains(&ratio), "{case}: {} bytes for {}", ours.len(), reference.len());
                }
            }
        }
    }

    #[test]
    fn custom_tables_reach_the_file_and_wide_ones_make_it_extended() {
        let source = picture(24, 16, Input::Rgb);
        let mut settings = options(75, SAMPLINGS[2]);
        settings.tables = [std::array::from_fn(|index| index as u16 + 1), [7; 64]];
        let file = encode(&source, 24, 16, Input::Rgb, &settings).unwrap();
        let tables: Vec<Vec<u8>> =
            segments(&file).into_iter().filter(|(marker, _)| *marker == 0xDB).map(|(_, body)| body).collect();
        let zigzag_luma: Vec<u8> = std::iter::once(0).chain(ZIGZAG.iter().map(|&at| at as u8 + 1)).collect();
        assert_eq!(tables, [zigzag_luma, [vec![1], vec![7; 64]].concat()]);
        settings.tables[1] = [2048; 64];
        let file = encode(&source, 24, 16, Input::Rgb, &settings).unwrap();
        let found = segments(&file);
        assert!(found.iter().any(|(marker, body)| *marker == 0xDB && body.len() == 129 && body[0] == 0x11));
        assert!(found.iter().any(|(marker, _)| *marker == 0xC1));
        let (_, _, psnr) = differences(&source, Input::Rgb, &file);
        assert!(psnr > 15.0, "PSNR {psnr:.1}");
    }

    #[test]
    fn restart_markers_come_every_interval_and_the_file_still_decodes() {
        let (width, height) = (45, 37);
        let source = picture(width, height, Input::Rgb);
        for sampling in SAMPLINGS {
            for interval in [1, 2, 7] {
                for optimize in [false, true] {
                    let mut settings = options(80, sampling);
                    (settings.restart_interval, settings.optimize) = (interval, optimize);
                    let file = encode(&source, width as u32, height as u32, Input::Rgb, &settings).unwrap();
                    let plain =
                        encode(&source, width as u32, height as u32, Input::Rgb, &options(80, sampling)).unwrap();
                    let mcus = width.div_ceil(8 * sampling.horizontal) * height.div_ceil(8 * sampling.vertical);
                    let markers: Vec<u8> = file
                        .windows(2)
                        .filter(|pair| pair[0] == 0xFF && (0xD0..=0xD7).contains(&pair[1]))
                        .map(|pair| pair[1])
                        .collect();
                    assert_eq!(markers.len(), (mcus - 1) / usize::from(interval), "{sampling:?} every {interval}");
                    assert!(markers.iter().enumerate().all(|(index, &marker)| marker == 0xD0 + (index % 8) as u8));
                    assert_eq!(
                        decode_jpeg(&file, LIMITS).unwrap(),
                        decode_jpeg(&plain, LIMITS).unwrap(),
                        "{sampling:?} every {interval}, optimize {optimize}"
                    );
                }
            }
        }
    }

    #[test]
    fn optimized_tables_give_the_same_pixels_in_a_smaller_file() {
        for input in [Input::Grey, Input::Rgb] {
            for sampling in SAMPLINGS {
                for (width, height) in [(1, 1), (64, 48), (131, 67)] {
                    let source = picture(width, height, input);
                    let plain = encode(&source, width as u32, height as u32, input, &options(75, sampling)).unwrap();
                    let mut settings = options(75, sampling);
                    settings.optimize = true;
                    let fitted = encode(&source, width as u32, height as u32, input, &settings).unwrap();
                    let case = format!("{width}x{height} {input:?} {sampling:?}");
                    assert_eq!(decode_jpeg(&fitted, LIMITS).unwrap(), decode_jpeg(&plain, LIMITS).unwrap(), "{case}");
                    assert!(fitted.len() < plain.len(), "{case}: {} >= {}", fitted.len(), plain.len());
                }
            }
        }
    }

    #[test]
    fn progressive_files_give_the_baseline_pixels() {
        for input in [Input::Grey, Input::Rgb, Input::Rgba] {
            for sampling in SAMPLINGS {
                for (width, height) in [(1, 1), (7, 9), (17, 33), (131, 67), (250, 3)] {
                    let source = picture(width, height, input);
                    let plain = encode(&source, width as u32, height as u32, input, &options(75, sampling)).unwrap();
                    let mut settings = options(75, sampling);
                    settings.progressive = true;
                    let file = encode(&source, width as u32, height as u32, input, &settings).unwrap();
                    let case = format!("{width}x{height} {input:?} {sampling:?}");
                    assert!(segments(&file).iter().any(|(marker, _)| *marker == 0xC2), "{case}");
                    let scans = file.windows(2).filter(|pair| pair == &[0xFF, 0xDA]).count();
                    let components = if input == Input::Grey { 1 } else { 3 };
                    assert_eq!(scans, 1 + AC_BANDS.len() * components, "{case}");
                    assert_eq!(decode_jpeg(&file, LIMITS).unwrap(), decode_jpeg(&plain, LIMITS).unwrap(), "{case}");
                }
            }
        }
        // Long runs of blocks whose bands are zero: a flat picture.
        let flat = vec![90u8; 640 * 480 * 3];
        let mut settings = options(75, SAMPLINGS[2]);
        settings.progressive = true;
        let file = encode(&flat, 640, 480, Input::Rgb, &settings).unwrap();
        let (worst, _, _) = differences(&flat, Input::Rgb, &file);
        assert!(worst <= 1, "worst {worst}");
        // Restarts in every scan: after so many MCUs in the interleaved DC
        // scan, so many blocks in each component's AC scans.
        let source = picture(45, 37, Input::Rgb);
        let plain = encode(&source, 45, 37, Input::Rgb, &options(75, SAMPLINGS[2])).unwrap();
        for interval in [1, 3] {
            settings.restart_interval = interval;
            let file = encode(&source, 45, 37, Input::Rgb, &settings).unwrap();
            let markers = file.windows(2).filter(|pair| pair[0] == 0xFF && (0xD0..=0xD7).contains(&pair[1])).count();
            // 3x3 MCUs; luma 6x5 blocks, chroma 3x3 each, in two bands.
            let expected = |count: usize| (count - 1) / usize::from(interval);
            assert_eq!(markers, expected(9) + 2 * (expected(30) + 2 * expected(9)), "every {interval}");
            assert_eq!(decode_jpeg(&file, LIMITS).unwrap(), decode_jpeg(&plain, LIMITS).unwrap(), "every {interval}");
        }
    }

    #[test]
    fn fitted_tables_keep_codes_within_sixteen_bits() {
        // Counts doubling from symbol to symbol make Huffman codes up to
        // 30 bits long before folding.
        let counts: [u32; 256] = std::array::from_fn(|index| if index < 30 { 1 << index } else { 0 });
        let table = Table::optimized(&counts);
        assert_eq!(table.bits.iter().map(|&count| usize::from(count)).sum::<usize>(), 30);
        let kraft: f64 =
            table.bits.iter().enumerate().map(|(at, &count)| f64::from(count) / 2f64.powi(at as i32 + 1)).sum();
        assert!(kraft < 1.0, "Kraft sum {kraft}");
        let codes = table.codes();
        assert!((0..30).all(|symbol| (1..=16).contains(&codes.length[symbol])));
    }

    #[test]
    fn extreme_pictures_stay_within_baseline_codes() {
        // Black, white, and a checkerboard of both at the finest tables.
        let (width, height) = (32, 16);
        let mut finest = options(100, SAMPLINGS[0]);
        finest.tables = [[1; 64]; 2];
        for pattern in [0u8, 1, 2] {
            let source: Vec<u8> = (0..width * height)
                .flat_map(|index| {
                    let value = match pattern {
                        0 => 0,
                        1 => 255,
                        _ => (((index % width) + index / width) % 2 * 255) as u8,
                    };
                    [value; 3]
                })
                .collect();
            for optimize in [false, true] {
                finest.optimize = optimize;
                let file = encode(&source, width as u32, height as u32, Input::Rgb, &finest).unwrap();
                let (worst, _, _) = differences(&source, Input::Rgb, &file);
                assert!(worst <= 2, "pattern {pattern}: worst {worst}");
            }
        }
    }

    #[test]
    fn bad_sizes_and_lengths_are_errors() {
        let settings = options(75, SAMPLINGS[2]);
        assert_eq!(
            encode(&[0; 5], 2, 3, Input::Grey, &settings).unwrap_err().to_string(),
            "pixel data must be width*height*1 = 6 bytes long, got 5"
        );
        assert!(encode(&[], 0, 3, Input::Rgb, &settings).is_err());
        assert!(encode(&[], 70_000, 1, Input::Rgb, &settings).is_err());
        let mut odd = settings.clone();
        odd.sampling = Sampling { horizontal: 1, vertical: 2 };
        assert!(encode(&[0; 3], 1, 1, Input::Rgb, &odd).is_err());
    }

    #[test]
    fn random_pictures_never_fail() {
        let mut seed = 12345u64;
        let mut next = move |limit: u64| {
            seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
            (seed >> 33) % limit
        };
        for _ in 0..60 {
            let (width, height) = (next(40) as usize + 1, next(40) as usize + 1);
            let input = [Input::Grey, Input::Rgb, Input::Rgba][next(3) as usize];
            let pixels: Vec<u8> = (0..width * height * input.bytes_per_pixel()).map(|_| next(256) as u8).collect();
            let mut settings = options(next(100) as u8 + 1, SAMPLINGS[next(3) as usize]);
            settings.restart_interval = next(4) as u16;
            settings.optimize = next(2) == 1;
            settings.progressive = next(2) == 1;
            let file = encode(&pixels, width as u32, height as u32, input, &settings).unwrap();
            let decoded = decode_jpeg(&file, LIMITS).unwrap();
            assert_eq!((decoded.width, decoded.height), (width as u32, height as u32));
        }
    }
}
