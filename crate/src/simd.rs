//! Loads and stores of one wasm SIMD vector (16 bytes) from and to byte
//! slices, for the kernels that use `core::arch::wasm32` directly.

use core::arch::wasm32::{i32x4_all_true, i32x4_eq, i32x4_splat, v128, v128_and, v128_load, v128_store};

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
