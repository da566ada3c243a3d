//! A pixel's four channels as `f64`s, for kernels that must compute in
//! doubles to keep Pillow's bytes (the transforms' filters). On wasm they
//! are two SIMD `f64x2` vectors, so one operation does all four channels;
//! elsewhere (the native tests) an array. Either way every operation is the
//! IEEE one lane by lane, so the results are the scalar code's to the bit:
//! a kernel written over `Channels` gives the bytes of the same expression
//! written over `f64`.

use std::ops::{Add, Mul, Neg, Sub};

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub use wasm::Channels;

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
pub use portable::Channels;

/// What the filters compute with: `f64` for one channel, [`Channels`] for
/// four at once (a scalar operand taken as that value in every channel).
pub trait Lanes:
    Copy + From<f64> + Add<Output = Self> + Sub<Output = Self> + Mul<Output = Self> + Neg<Output = Self>
{
}

impl Lanes for f64 {}
impl Lanes for Channels {}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::*;
    use std::ops::{Add, Mul, Neg, Sub};

    /// Red and green in `low`, blue and alpha in `high`.
    #[derive(Clone, Copy)]
    pub struct Channels {
        low: v128,
        high: v128,
    }

    impl Channels {
        /// The channels of the four pixels in `bytes` (16), left to right.
        #[inline(always)]
        pub fn four(bytes: &[u8; 16]) -> [Self; 4] {
            crate::simd::u32_quarters(crate::simd::load(bytes)).map(Self::of_ints)
        }

        /// The channels of the two pixels in `bytes` (8), left to right.
        #[inline(always)]
        pub fn two(bytes: &[u8; 8]) -> [Self; 2] {
            // SAFETY: `bytes` is 8 bytes long; wasm loads need no alignment.
            let both = u16x8_extend_low_u8x16(unsafe { v128_load64_zero(bytes.as_ptr().cast::<u64>()) });
            [u32x4_extend_low_u16x8(both), u32x4_extend_high_u16x8(both)].map(Self::of_ints)
        }

        #[inline(always)]
        fn of_ints(ints: v128) -> Self {
            let high = i32x4_shuffle::<2, 3, 2, 3>(ints, ints);
            Self { low: f64x2_convert_low_i32x4(ints), high: f64x2_convert_low_i32x4(high) }
        }

        /// Each channel truncated towards zero into 0..=255 (Rust's `as u8`:
        /// saturating, NaN to 0): kept within 0..=255 (`pmax` first, which
        /// gives its first operand for NaN), then [`Self::bytes_of_range`].
        #[inline(always)]
        pub fn to_bytes(self) -> [u8; 4] {
            let (zero, most) = (f64x2_splat(0.0), f64x2_splat(255.0));
            let within = |lanes: v128| f64x2_pmin(most, f64x2_pmax(zero, lanes));
            Self { low: within(self.low), high: within(self.high) }.bytes_of_range()
        }

        /// [`Self::to_bytes`] of channels already within 0..=255 (a mix of
        /// bytes): floored (the truncation of a value that is not
        /// negative), then narrowed through `simd::i32_of_whole_f64`.
        #[inline(always)]
        pub fn bytes_of_range(self) -> [u8; 4] {
            let ints = crate::simd::i32_of_whole_f64(f64x2_floor(self.low), f64x2_floor(self.high));
            let shorts = i16x8_narrow_i32x4(ints, ints);
            u32x4_extract_lane::<0>(u8x16_narrow_i16x8(shorts, shorts)).to_le_bytes()
        }
    }

    impl From<f64> for Channels {
        #[inline(always)]
        fn from(value: f64) -> Self {
            Self { low: f64x2_splat(value), high: f64x2_splat(value) }
        }
    }

    macro_rules! lane_by_lane {
        ($trait:ident, $method:ident, $simd:ident) => {
            impl $trait for Channels {
                type Output = Self;
                #[inline(always)]
                fn $method(self, other: Self) -> Self {
                    Self { low: $simd(self.low, other.low), high: $simd(self.high, other.high) }
                }
            }
        };
    }
    lane_by_lane!(Add, add, f64x2_add);
    lane_by_lane!(Sub, sub, f64x2_sub);
    lane_by_lane!(Mul, mul, f64x2_mul);

    impl Neg for Channels {
        type Output = Self;
        #[inline(always)]
        fn neg(self) -> Self {
            Self { low: f64x2_neg(self.low), high: f64x2_neg(self.high) }
        }
    }
}

#[cfg(not(all(target_arch = "wasm32", target_feature = "simd128")))]
mod portable {
    use std::ops::{Add, Mul, Neg, Sub};

    #[derive(Clone, Copy)]
    pub struct Channels([f64; 4]);

    impl Channels {
        /// The channels of the four pixels in `bytes` (16), left to right.
        pub fn four(bytes: &[u8; 16]) -> [Self; 4] {
            std::array::from_fn(|i| Self::of(&bytes[i * 4..i * 4 + 4]))
        }

        /// The channels of the two pixels in `bytes` (8), left to right.
        pub fn two(bytes: &[u8; 8]) -> [Self; 2] {
            std::array::from_fn(|i| Self::of(&bytes[i * 4..i * 4 + 4]))
        }

        fn of(pixel: &[u8]) -> Self {
            Self(std::array::from_fn(|c| f64::from(pixel[c])))
        }

        /// Each channel truncated towards zero into 0..=255 (Rust's `as u8`:
        /// saturating, NaN to 0).
        pub fn to_bytes(self) -> [u8; 4] {
            self.0.map(|value| value as u8)
        }

        /// [`Self::to_bytes`] of channels already within 0..=255.
        pub fn bytes_of_range(self) -> [u8; 4] {
            debug_assert!(self.0.iter().all(|value| (0.0..=255.0).contains(value)));
            self.to_bytes()
        }
    }

    impl From<f64> for Channels {
        fn from(value: f64) -> Self {
            Self([value; 4])
        }
    }

    macro_rules! lane_by_lane {
        ($trait:ident, $method:ident, $op:tt) => {
            impl $trait for Channels {
                type Output = Self;
                fn $method(self, other: Self) -> Self {
                    Self(std::array::from_fn(|c| self.0[c] $op other.0[c]))
                }
            }
        };
    }
    lane_by_lane!(Add, add, +);
    lane_by_lane!(Sub, sub, -);
    lane_by_lane!(Mul, mul, *);

    impl Neg for Channels {
        type Output = Self;
        fn neg(self) -> Self {
            Self(self.0.map(|value| -value))
        }
    }
}
