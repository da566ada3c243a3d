//! Loads and stores of one wasm SIMD vector (16 bytes) from and to byte
//! slices, for the kernels that use `core::arch::wasm32` directly.

use core::arch::wasm32::{v128, v128_load, v128_store};

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
