//! Loads and stores of one wasm SIMD vector (16 bytes) from and to byte
//! slices, and the packing of results into bytes, for the kernels that use
//! `core::arch::wasm32` directly.

use core::arch::wasm32::{
    f32x4_add, f32x4_convert_u32x4, f32x4_floor, f32x4_pmax, f32x4_pmin, f32x4_splat, f64x2_add, f64x2_splat,
    i8x16_shuffle, i32x4_all_true, i32x4_eq, i32x4_shuffle, i32x4_splat, i64x2_shuffle, u16x8_extend_high_u8x16,
    u16x8_extend_low_u8x16, u32x4_extend_high_u16x8, u32x4_extend_low_u16x8, v128, v128_and, v128_load, v128_store,
};

/// The first 16 bytes of `bytes` (panics if shorter).
#[inline(always)]
pub fn load(bytes: &[u8]) -> v128 {
    let bytes = &bytes[..16];
    // SAFETY: `bytes` is 16 bytes long; wasm loads need no alignment.
    unsafe { v128_load(bytes.as_ptr().cast::<v128>()) }
}

/// `vector` into the first 16 bytes of `bytes` (panics if shorter).
#[inline(always)]
pub fn store(bytes: &mut [u8], vector: v128) {
    let bytes = &mut bytes[..16];
    // SAFETY: `bytes` is 16 bytes long; wasm stores need no alignment.
    unsafe { v128_store(bytes.as_mut_ptr().cast::<v128>(), vector) }
}

/// Whether the four RGBA pixels in `vector` all have alpha 255.
#[inline(always)]
pub fn opaque(vector: v128) -> bool {
    let alpha = i32x4_splat(-0x0100_0000);
    i32x4_all_true(i32x4_eq(v128_and(vector, alpha), alpha))
}

/// The top byte of each u32 lane of four vectors, in order: the bytes of
/// fixed-point results (value << 24) without shifting and narrowing them.
/// Two byte shuffles and a 64-bit one, which V8 compiles to a few
/// instructions, where LLVM turns the narrowing of lanes it knows hold
/// bytes into a byte extracted and inserted at a time.
#[inline(always)]
pub fn top_bytes(first: v128, second: v128, third: v128, fourth: v128) -> v128 {
    let pick = |a: v128, b: v128| i8x16_shuffle::<3, 7, 11, 15, 19, 23, 27, 31, 3, 7, 11, 15, 19, 23, 27, 31>(a, b);
    i64x2_shuffle::<0, 2>(pick(first, second), pick(third, fourth))
}

/// The sixteen bytes of `bytes` as two vectors of u16 lanes, in order.
#[inline(always)]
pub fn u16_halves(bytes: v128) -> [v128; 2] {
    [u16x8_extend_low_u8x16(bytes), u16x8_extend_high_u8x16(bytes)]
}

/// The sixteen bytes of `bytes` as four vectors of u32 lanes, in order.
#[inline(always)]
pub fn u32_quarters(bytes: v128) -> [v128; 4] {
    let [low, high] = u16_halves(bytes);
    [
        u32x4_extend_low_u16x8(low),
        u32x4_extend_high_u16x8(low),
        u32x4_extend_low_u16x8(high),
        u32x4_extend_high_u16x8(high),
    ]
}

/// The sixteen bytes of `bytes` as four vectors of f32 lanes, in order.
#[inline(always)]
pub fn f32_of_bytes(bytes: v128) -> [v128; 4] {
    u32_quarters(bytes).map(|ints| f32x4_convert_u32x4(ints))
}

/// Four f64 lanes (two vectors) holding whole numbers from 0 to 2^31 as
/// i32 lanes: plus 2^52, which leaves each in its lane's low bits.
/// LLVM turns `i32x4_trunc_sat_f64x2_zero` into a scalar truncation a
/// lane, extracted and inserted.
#[inline(always)]
pub fn i32_of_whole_f64(low: v128, high: v128) -> v128 {
    let magic = f64x2_splat(4_503_599_627_370_496.0);
    i32x4_shuffle::<0, 2, 4, 6>(f64x2_add(low, magic), f64x2_add(high, magic))
}

/// Rust's `as u8` of sixteen f32 lanes (truncated towards zero into
/// 0..=255, NaN to 0), in order: kept within 0..=255 (`pmax` first, which
/// gives its first operand for NaN), floored (the truncation of a value
/// that is not negative), plus 2^23, which leaves the whole number in the
/// lane's first byte. LLVM turns the saturating f32 truncation into a
/// scalar one a lane, extracted and inserted, several times longer.
#[inline(always)]
pub fn bytes_of_f32(values: [v128; 4]) -> v128 {
    let (zero, most, magic) = (f32x4_splat(0.0), f32x4_splat(255.0), f32x4_splat(8_388_608.0));
    let [first, second, third, fourth] =
        values.map(|lanes| f32x4_add(f32x4_floor(f32x4_pmin(most, f32x4_pmax(zero, lanes))), magic));
    let pick = |a: v128, b: v128| i8x16_shuffle::<0, 4, 8, 12, 16, 20, 24, 28, 0, 4, 8, 12, 16, 20, 24, 28>(a, b);
    i64x2_shuffle::<0, 2>(pick(first, second), pick(third, fourth))
}
