//! Loads and stores of one wasm SIMD vector (16 bytes) from and to byte
//! slices, and the packing of results into bytes, for the kernels that use
//! `core::arch::wasm32` directly.

use core::arch::wasm32::{
    i8x16_shuffle, i32x4_all_true, i32x4_eq, i32x4_splat, i64x2_shuffle, v128, v128_and, v128_load, v128_store,
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
