//! One 128-bit vector and the operations the JPEG encoder's integer paths
//! and the draft decoder's 2x2 IDCT take from wasm SIMD (8 i16 lanes, 4 i32 lanes, 16 bytes): the wasm
//! instructions in the wasm build, the same arithmetic on a byte array
//! elsewhere, so that the native tests check what the browser computes.
//! Every operation is named for its wasm instruction's meaning; i16 and
//! i32 arithmetic wraps, as wasm's does, unless its name says saturating.

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod lanes {
    use core::arch::wasm32::*;

    #[derive(Clone, Copy)]
    pub struct V128(v128);

    impl V128 {
        #[inline(always)]
        pub fn bytes(values: [u8; 16]) -> Self {
            Self(u8x16(
                values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7], values[8],
                values[9], values[10], values[11], values[12], values[13], values[14], values[15],
            ))
        }
        #[inline(always)]
        pub fn i16s(values: [i16; 8]) -> Self {
            Self(i16x8(values[0], values[1], values[2], values[3], values[4], values[5], values[6], values[7]))
        }
        #[inline(always)]
        pub fn splat_i16(value: i16) -> Self {
            Self(i16x8_splat(value))
        }
        #[inline(always)]
        pub fn splat_i32(value: i32) -> Self {
            Self(i32x4_splat(value))
        }
        /// The first 16 bytes of `bytes`.
        #[inline(always)]
        pub fn load(bytes: &[u8]) -> Self {
            let bytes = &bytes[..16];
            // SAFETY: 16 bytes in bounds; wasm loads need no alignment.
            Self(unsafe { v128_load(bytes.as_ptr().cast::<v128>()) })
        }
        /// The first 8 bytes of `bytes`, each widened to an i16 lane.
        #[inline(always)]
        pub fn load_widened(bytes: &[u8]) -> Self {
            let bytes: [u8; 8] = bytes[..8].try_into().unwrap_or([0; 8]);
            Self(u16x8_extend_low_u8x16(u64x2(u64::from_le_bytes(bytes), 0)))
        }
        #[inline(always)]
        pub fn store(self, out: &mut [u8]) {
            let out = &mut out[..16];
            // SAFETY: 16 bytes in bounds; wasm stores need no alignment.
            unsafe { v128_store(out.as_mut_ptr().cast::<v128>(), self.0) }
        }
        #[inline(always)]
        pub fn store_i16(self, out: &mut [i16]) {
            let out = &mut out[..8];
            // SAFETY: 8 i16s (16 bytes) in bounds; wasm stores need no alignment.
            unsafe { v128_store(out.as_mut_ptr().cast::<v128>(), self.0) }
        }
        /// Byte `mask[i]` of `self` in lane `i`, 0 where `mask[i]` >= 16.
        #[inline(always)]
        pub fn swizzle(self, mask: Self) -> Self {
            Self(u8x16_swizzle(self.0, mask.0))
        }
        #[inline(always)]
        pub fn add_i16(self, other: Self) -> Self {
            Self(i16x8_add(self.0, other.0))
        }
        #[inline(always)]
        pub fn sub_i16(self, other: Self) -> Self {
            Self(i16x8_sub(self.0, other.0))
        }
        #[inline(always)]
        pub fn shl_i16(self, bits: u32) -> Self {
            Self(i16x8_shl(self.0, bits))
        }
        /// `(self * other + 2^14) >> 15` per i16 lane, saturated.
        #[inline(always)]
        pub fn q15_mul(self, other: Self) -> Self {
            Self(i16x8_q15mulr_sat(self.0, other.0))
        }
        #[inline(always)]
        pub fn min_i16(self, other: Self) -> Self {
            Self(i16x8_min(self.0, other.0))
        }
        #[inline(always)]
        pub fn max_i16(self, other: Self) -> Self {
            Self(i16x8_max(self.0, other.0))
        }
        /// Products of the i16 lanes summed in pairs: four i32 lanes.
        #[inline(always)]
        pub fn dot_i16(self, other: Self) -> Self {
            Self(i32x4_dot_i16x8(self.0, other.0))
        }
        #[inline(always)]
        pub fn add_i32(self, other: Self) -> Self {
            Self(i32x4_add(self.0, other.0))
        }
        /// Logical shift right of each i32 lane.
        #[inline(always)]
        pub fn shr_u32(self, bits: u32) -> Self {
            Self(u32x4_shr(self.0, bits))
        }
        #[inline(always)]
        pub fn and(self, other: Self) -> Self {
            Self(v128_and(self.0, other.0))
        }
        /// The i32 lanes of `low` then `high` as i16, saturated.
        #[inline(always)]
        pub fn narrow_i32(low: Self, high: Self) -> Self {
            Self(i16x8_narrow_i32x4(low.0, high.0))
        }
        /// The i16 lanes of `low` then `high` as bytes, saturated to 0..=255.
        #[inline(always)]
        pub fn narrow_i16_to_u8(low: Self, high: Self) -> Self {
            Self(u8x16_narrow_i16x8(low.0, high.0))
        }
        /// The first 8 values of `values`.
        #[inline(always)]
        pub fn load_i16(values: &[i16]) -> Self {
            let values = &values[..8];
            // SAFETY: 16 bytes in bounds; wasm loads need no alignment.
            Self(unsafe { v128_load(values.as_ptr().cast::<v128>()) })
        }
        /// The i32 in lane 0, as four bytes.
        #[inline(always)]
        pub fn first_bytes(self) -> [u8; 4] {
            i32x4_extract_lane::<0>(self.0).to_le_bytes()
        }
        /// i16 lanes 0..4 of `self` and `other` multiplied: four exact i32 products.
        #[inline(always)]
        pub fn extmul_low_i16(self, other: Self) -> Self {
            Self(i32x4_extmul_low_i16x8(self.0, other.0))
        }
        #[inline(always)]
        pub fn extmul_high_i16(self, other: Self) -> Self {
            Self(i32x4_extmul_high_i16x8(self.0, other.0))
        }
        /// i16 lanes 0..4 widened to i32.
        #[inline(always)]
        pub fn extend_low_i16(self) -> Self {
            Self(i32x4_extend_low_i16x8(self.0))
        }
        #[inline(always)]
        pub fn extend_high_i16(self) -> Self {
            Self(i32x4_extend_high_i16x8(self.0))
        }
        #[inline(always)]
        pub fn sub_i32(self, other: Self) -> Self {
            Self(i32x4_sub(self.0, other.0))
        }
        #[inline(always)]
        pub fn shl_i32(self, bits: u32) -> Self {
            Self(i32x4_shl(self.0, bits))
        }
        /// Arithmetic shift right of each i32 lane.
        #[inline(always)]
        pub fn shr_i32(self, bits: u32) -> Self {
            Self(i32x4_shr(self.0, bits))
        }
        /// All ones in each i16 lane where `self` is greater, zeros elsewhere.
        #[inline(always)]
        pub fn gt_i16(self, other: Self) -> Self {
            Self(i16x8_gt(self.0, other.0))
        }
        #[inline(always)]
        pub fn or(self, other: Self) -> Self {
            Self(v128_or(self.0, other.0))
        }
        /// Whether any bit is set.
        #[inline(always)]
        pub fn any_true(self) -> bool {
            v128_any_true(self.0)
        }
        /// i16 lanes 0..4 of `self` and `other` interleaved.
        #[inline(always)]
        pub fn zip_low_i16(self, other: Self) -> Self {
            Self(i16x8_shuffle::<0, 8, 1, 9, 2, 10, 3, 11>(self.0, other.0))
        }
        #[inline(always)]
        pub fn zip_high_i16(self, other: Self) -> Self {
            Self(i16x8_shuffle::<4, 12, 5, 13, 6, 14, 7, 15>(self.0, other.0))
        }
        #[inline(always)]
        pub fn zip_low_i32(self, other: Self) -> Self {
            Self(i32x4_shuffle::<0, 4, 1, 5>(self.0, other.0))
        }
        #[inline(always)]
        pub fn zip_high_i32(self, other: Self) -> Self {
            Self(i32x4_shuffle::<2, 6, 3, 7>(self.0, other.0))
        }
        #[inline(always)]
        pub fn zip_low_i64(self, other: Self) -> Self {
            Self(i64x2_shuffle::<0, 2>(self.0, other.0))
        }
        #[inline(always)]
        pub fn zip_high_i64(self, other: Self) -> Self {
            Self(i64x2_shuffle::<1, 3>(self.0, other.0))
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod lanes {
    #[derive(Clone, Copy)]
    pub struct V128([u8; 16]);

    impl V128 {
        fn to_i16(self) -> [i16; 8] {
            std::array::from_fn(|lane| i16::from_le_bytes([self.0[2 * lane], self.0[2 * lane + 1]]))
        }
        fn to_i32(self) -> [i32; 4] {
            std::array::from_fn(|lane| i32::from_le_bytes(self.0[4 * lane..4 * lane + 4].try_into().unwrap()))
        }
        fn from_i32(values: [i32; 4]) -> Self {
            let mut bytes = [0; 16];
            for (chunk, value) in bytes.chunks_exact_mut(4).zip(values) {
                chunk.copy_from_slice(&value.to_le_bytes());
            }
            Self(bytes)
        }
        fn to_i64(self) -> [[u8; 8]; 2] {
            [self.0[..8].try_into().unwrap(), self.0[8..].try_into().unwrap()]
        }
        fn from_i64(values: [[u8; 8]; 2]) -> Self {
            let mut bytes = [0; 16];
            bytes[..8].copy_from_slice(&values[0]);
            bytes[8..].copy_from_slice(&values[1]);
            Self(bytes)
        }
        fn each_i16(self, other: Self, op: impl Fn(i16, i16) -> i16) -> Self {
            let (a, b) = (self.to_i16(), other.to_i16());
            Self::i16s(std::array::from_fn(|lane| op(a[lane], b[lane])))
        }
        fn each_i32(self, other: Self, op: impl Fn(i32, i32) -> i32) -> Self {
            let (a, b) = (self.to_i32(), other.to_i32());
            Self::from_i32(std::array::from_fn(|lane| op(a[lane], b[lane])))
        }

        pub fn bytes(values: [u8; 16]) -> Self {
            Self(values)
        }
        pub fn i16s(values: [i16; 8]) -> Self {
            let mut bytes = [0; 16];
            for (chunk, value) in bytes.chunks_exact_mut(2).zip(values) {
                chunk.copy_from_slice(&value.to_le_bytes());
            }
            Self(bytes)
        }
        pub fn splat_i16(value: i16) -> Self {
            Self::i16s([value; 8])
        }
        pub fn splat_i32(value: i32) -> Self {
            Self::from_i32([value; 4])
        }
        pub fn load(bytes: &[u8]) -> Self {
            Self(bytes[..16].try_into().unwrap())
        }
        pub fn load_widened(bytes: &[u8]) -> Self {
            Self::i16s(std::array::from_fn(|lane| i16::from(bytes[lane])))
        }
        pub fn store(self, out: &mut [u8]) {
            out[..16].copy_from_slice(&self.0);
        }
        pub fn store_i16(self, out: &mut [i16]) {
            out[..8].copy_from_slice(&self.to_i16());
        }
        pub fn swizzle(self, mask: Self) -> Self {
            Self(mask.0.map(|index| if index < 16 { self.0[usize::from(index)] } else { 0 }))
        }
        pub fn add_i16(self, other: Self) -> Self {
            self.each_i16(other, i16::wrapping_add)
        }
        pub fn sub_i16(self, other: Self) -> Self {
            self.each_i16(other, i16::wrapping_sub)
        }
        pub fn shl_i16(self, bits: u32) -> Self {
            self.each_i16(self, |value, _| value.wrapping_shl(bits))
        }
        pub fn q15_mul(self, other: Self) -> Self {
            self.each_i16(other, |a, b| ((i32::from(a) * i32::from(b) + (1 << 14)) >> 15).clamp(-32768, 32767) as i16)
        }
        pub fn min_i16(self, other: Self) -> Self {
            self.each_i16(other, i16::min)
        }
        pub fn max_i16(self, other: Self) -> Self {
            self.each_i16(other, i16::max)
        }
        pub fn dot_i16(self, other: Self) -> Self {
            let (a, b) = (self.to_i16(), other.to_i16());
            let product = |lane: usize| i32::from(a[lane]) * i32::from(b[lane]);
            Self::from_i32(std::array::from_fn(|lane| product(2 * lane).wrapping_add(product(2 * lane + 1))))
        }
        pub fn add_i32(self, other: Self) -> Self {
            self.each_i32(other, i32::wrapping_add)
        }
        pub fn shr_u32(self, bits: u32) -> Self {
            self.each_i32(self, |value, _| ((value as u32) >> bits) as i32)
        }
        pub fn and(self, other: Self) -> Self {
            Self(std::array::from_fn(|byte| self.0[byte] & other.0[byte]))
        }
        pub fn narrow_i32(low: Self, high: Self) -> Self {
            let (low, high) = (low.to_i32(), high.to_i32());
            let lanes = |lane: usize| if lane < 4 { low[lane] } else { high[lane - 4] };
            Self::i16s(std::array::from_fn(|lane| lanes(lane).clamp(-32768, 32767) as i16))
        }
        pub fn narrow_i16_to_u8(low: Self, high: Self) -> Self {
            let (low, high) = (low.to_i16(), high.to_i16());
            let lanes = |lane: usize| if lane < 8 { low[lane] } else { high[lane - 8] };
            Self(std::array::from_fn(|lane| lanes(lane).clamp(0, 255) as u8))
        }
        pub fn load_i16(values: &[i16]) -> Self {
            Self::i16s(values[..8].try_into().unwrap())
        }
        pub fn first_bytes(self) -> [u8; 4] {
            self.0[..4].try_into().unwrap()
        }
        pub fn extmul_low_i16(self, other: Self) -> Self {
            let (a, b) = (self.to_i16(), other.to_i16());
            Self::from_i32(std::array::from_fn(|lane| i32::from(a[lane]) * i32::from(b[lane])))
        }
        pub fn extmul_high_i16(self, other: Self) -> Self {
            let (a, b) = (self.to_i16(), other.to_i16());
            Self::from_i32(std::array::from_fn(|lane| i32::from(a[4 + lane]) * i32::from(b[4 + lane])))
        }
        pub fn extend_low_i16(self) -> Self {
            let a = self.to_i16();
            Self::from_i32(std::array::from_fn(|lane| i32::from(a[lane])))
        }
        pub fn extend_high_i16(self) -> Self {
            let a = self.to_i16();
            Self::from_i32(std::array::from_fn(|lane| i32::from(a[4 + lane])))
        }
        pub fn sub_i32(self, other: Self) -> Self {
            self.each_i32(other, i32::wrapping_sub)
        }
        pub fn shl_i32(self, bits: u32) -> Self {
            self.each_i32(self, |value, _| value.wrapping_shl(bits))
        }
        pub fn shr_i32(self, bits: u32) -> Self {
            self.each_i32(self, |value, _| value >> bits)
        }
        pub fn gt_i16(self, other: Self) -> Self {
            self.each_i16(other, |a, b| if a > b { -1 } else { 0 })
        }
        pub fn or(self, other: Self) -> Self {
            Self(std::array::from_fn(|byte| self.0[byte] | other.0[byte]))
        }
        pub fn any_true(self) -> bool {
            self.0.iter().any(|&byte| byte != 0)
        }
        pub fn zip_low_i16(self, other: Self) -> Self {
            let (a, b) = (self.to_i16(), other.to_i16());
            Self::i16s(std::array::from_fn(|lane| if lane % 2 == 0 { a[lane / 2] } else { b[lane / 2] }))
        }
        pub fn zip_high_i16(self, other: Self) -> Self {
            let (a, b) = (self.to_i16(), other.to_i16());
            Self::i16s(std::array::from_fn(|lane| if lane % 2 == 0 { a[4 + lane / 2] } else { b[4 + lane / 2] }))
        }
        pub fn zip_low_i32(self, other: Self) -> Self {
            let (a, b) = (self.to_i32(), other.to_i32());
            Self::from_i32([a[0], b[0], a[1], b[1]])
        }
        pub fn zip_high_i32(self, other: Self) -> Self {
            let (a, b) = (self.to_i32(), other.to_i32());
            Self::from_i32([a[2], b[2], a[3], b[3]])
        }
        pub fn zip_low_i64(self, other: Self) -> Self {
            Self::from_i64([self.to_i64()[0], other.to_i64()[0]])
        }
        pub fn zip_high_i64(self, other: Self) -> Self {
            Self::from_i64([self.to_i64()[1], other.to_i64()[1]])
        }
    }
}

pub use lanes::V128;

/// The 8x8 transpose of eight vectors of eight i16 lanes.
#[inline(always)]
pub fn transpose_i16(rows: [V128; 8]) -> [V128; 8] {
    let pairs: [V128; 8] = std::array::from_fn(|index| {
        let (first, second) = (rows[index / 2 * 2], rows[index / 2 * 2 + 1]);
        if index % 2 == 0 { first.zip_low_i16(second) } else { first.zip_high_i16(second) }
    });
    // quads[4 * half + k]: rows 4*half..4*half+4 of columns 2k and 2k+1.
    let quads: [V128; 8] = std::array::from_fn(|index| {
        let (half, k) = (index / 4, index % 4);
        let (first, second) = (pairs[4 * half + k / 2], pairs[4 * half + 2 + k / 2]);
        if k % 2 == 0 { first.zip_low_i32(second) } else { first.zip_high_i32(second) }
    });
    std::array::from_fn(|column| {
        let (top, bottom) = (quads[column / 2], quads[4 + column / 2]);
        if column % 2 == 0 { top.zip_low_i64(bottom) } else { top.zip_high_i64(bottom) }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transpose_swaps_rows_and_columns() {
        let rows: [V128; 8] =
            std::array::from_fn(|row| V128::i16s(std::array::from_fn(|column| (row * 10 + column) as i16)));
        let columns = transpose_i16(rows);
        for (column, vector) in columns.into_iter().enumerate() {
            let mut lanes = [0i16; 8];
            vector.store_i16(&mut lanes);
            assert_eq!(lanes, std::array::from_fn(|row| (row * 10 + column) as i16));
        }
    }
}
