//! Pillow's `ImageMath` arithmetic (its `_imagingmath` kernels) on the
//! 32-bit modes: "I" values are `i32`, "F" values `f32`, each stored
//! little-endian in a pixel's 4 bytes. "I" arithmetic wraps at 32 bits as
//! Pillow's C does on the machines it runs on; division and modulo by 0
//! give 0; a result is written in its operands' type.

use crate::buffer::{ImageError, try_alloc};

type Result<T> = std::result::Result<T, ImageError>;

/// An arithmetic operator of two operands; the bitwise ones and the shifts
/// apply to "I" values only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Binary {
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    Pow,
    Min,
    Max,
    And,
    Or,
    Xor,
    LeftShift,
    RightShift,
}

/// A comparison: 1 where it holds, 0 elsewhere, in the operands' type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    Equal,
    NotEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
}

/// An operator of one operand; `Invert` applies to "I" values only.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unary {
    Abs,
    Neg,
    Invert,
}

/// Any operator of two operands, by the names Pillow's `ImageMath` gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Operator {
    Binary(Binary),
    Compare(Comparison),
}

impl Operator {
    pub const ALL: [(&'static str, Self); 19] = [
        ("add", Self::Binary(Binary::Add)),
        ("sub", Self::Binary(Binary::Sub)),
        ("mul", Self::Binary(Binary::Mul)),
        ("div", Self::Binary(Binary::Div)),
        ("mod", Self::Binary(Binary::Mod)),
        ("pow", Self::Binary(Binary::Pow)),
        ("min", Self::Binary(Binary::Min)),
        ("max", Self::Binary(Binary::Max)),
        ("and", Self::Binary(Binary::And)),
        ("or", Self::Binary(Binary::Or)),
        ("xor", Self::Binary(Binary::Xor)),
        ("lshift", Self::Binary(Binary::LeftShift)),
        ("rshift", Self::Binary(Binary::RightShift)),
        ("eq", Self::Compare(Comparison::Equal)),
        ("ne", Self::Compare(Comparison::NotEqual)),
        ("lt", Self::Compare(Comparison::Less)),
        ("le", Self::Compare(Comparison::LessEqual)),
        ("gt", Self::Compare(Comparison::Greater)),
        ("ge", Self::Compare(Comparison::GreaterEqual)),
    ];
}

impl Unary {
    pub const ALL: [(&'static str, Self); 3] = [("abs", Self::Abs), ("neg", Self::Neg), ("invert", Self::Invert)];
}

/// Pillow's `powi`: the double power plus 0.5, clamped to the int32 range
/// and truncated (the saturating cast does both; a NaN gives 0).
fn int_power(a: i32, b: i32) -> i32 {
    (f64::from(a).powf(f64::from(b)) + 0.5) as i32
}

/// `a` becomes `a op b`, pixel by pixel.
pub fn int_binary(op: Binary, a: &mut [i32], b: &[i32]) {
    let function: fn(i32, i32) -> i32 = match op {
        Binary::Add => i32::wrapping_add,
        Binary::Sub => i32::wrapping_sub,
        Binary::Mul => i32::wrapping_mul,
        // C's division and remainder truncate toward zero; i32::MIN / -1
        // wraps as the hardware Pillow runs on gives it.
        Binary::Div => |a, b| if b == 0 { 0 } else { a.wrapping_div(b) },
        Binary::Mod => |a, b| if b == 0 { 0 } else { a.wrapping_rem(b) },
        Binary::Pow => int_power,
        Binary::Min => |a, b| if a < b { a } else { b },
        Binary::Max => |a, b| if a > b { a } else { b },
        Binary::And => |a, b| a & b,
        Binary::Or => |a, b| a | b,
        Binary::Xor => |a, b| a ^ b,
        // The shift count is taken modulo 32, as x86 takes it.
        Binary::LeftShift => |a, b| a.wrapping_shl(b as u32),
        Binary::RightShift => |a, b| a.wrapping_shr(b as u32),
    };
    for (a, &b) in a.iter_mut().zip(b) {
        *a = function(*a, b);
    }
}

/// The quiet NaN with the sign bit set, which x86's invalid operations
/// give (wasm leaves that sign unspecified, so it is written out).
fn negative_nan() -> f32 {
    -f32::NAN
}

/// C's `powf`, through the double power: a negative base with a
/// fractional exponent gives the negative NaN.
fn float_power(a: f32, b: f32) -> f32 {
    let value = f64::from(a).powf(f64::from(b)) as f32;
    if value.is_nan() && !a.is_nan() && !b.is_nan() { negative_nan() } else { value }
}

/// `fmod`, 0 for a zero divisor; an infinite dividend gives the negative
/// NaN as on x86 (a NaN divisor is passed on).
fn float_modulo(a: f32, b: f32) -> f32 {
    if b == 0.0 {
        0.0
    } else if a.is_infinite() && !b.is_nan() {
        negative_nan()
    } else {
        a % b
    }
}

/// `a` becomes `a op b`, pixel by pixel, in single precision; the bitwise
/// operators and the shifts are refused.
pub fn float_binary(op: Binary, a: &mut [f32], b: &[f32]) -> Result<()> {
    let function: fn(f32, f32) -> f32 = match op {
        Binary::Add => |a, b| a + b,
        Binary::Sub => |a, b| a - b,
        Binary::Mul => |a, b| a * b,
        Binary::Div => |a, b| if b == 0.0 { 0.0 } else { a / b },
        Binary::Mod => float_modulo,
        Binary::Pow => float_power,
        Binary::Min => |a, b| if a < b { a } else { b },
        Binary::Max => |a, b| if a > b { a } else { b },
        Binary::And | Binary::Or | Binary::Xor | Binary::LeftShift | Binary::RightShift => {
            return Err(ImageError::WrongType { name: "op", expected: "an operator that applies to \"F\" values" });
        }
    };
    for (a, &b) in a.iter_mut().zip(b) {
        *a = function(*a, b);
    }
    Ok(())
}

/// `a` becomes 1 where `a op b` holds, 0 elsewhere (a NaN compares unequal
/// to everything, itself included).
pub fn compare<T: PartialOrd + Copy>(op: Comparison, a: &mut [T], b: &[T], one: T, zero: T) {
    let test: fn(&T, &T) -> bool = match op {
        Comparison::Equal => T::eq,
        Comparison::NotEqual => T::ne,
        Comparison::Less => T::lt,
        Comparison::LessEqual => T::le,
        Comparison::Greater => T::gt,
        Comparison::GreaterEqual => T::ge,
    };
    for (a, b) in a.iter_mut().zip(b) {
        *a = if test(a, b) { one } else { zero };
    }
}

/// `a` becomes `op a`, pixel by pixel (`abs` and `neg` of i32::MIN wrap).
pub fn int_unary(op: Unary, a: &mut [i32]) {
    let function: fn(i32) -> i32 = match op {
        Unary::Abs => i32::wrapping_abs,
        Unary::Neg => i32::wrapping_neg,
        Unary::Invert => |a| !a,
    };
    for a in a {
        *a = function(*a);
    }
}

/// `a` becomes `op a`, pixel by pixel; `Invert` is refused.
pub fn float_unary(op: Unary, a: &mut [f32]) -> Result<()> {
    let function: fn(f32) -> f32 = match op {
        Unary::Abs => f32::abs,
        Unary::Neg => |a| -a,
        Unary::Invert => {
            return Err(ImageError::WrongType { name: "op", expected: "an operator that applies to \"F\" values" });
        }
    };
    for a in a {
        *a = function(*a);
    }
    Ok(())
}

/// A 32-bit value as a pixel's 4 bytes hold it.
trait Word: Copy + Default {
    fn read(bytes: &[u8]) -> Self;
    fn write(self, out: &mut [u8]);
}

impl Word for i32 {
    fn read(bytes: &[u8]) -> Self {
        Self::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }
    fn write(self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
}

impl Word for f32 {
    fn read(bytes: &[u8]) -> Self {
        Self::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]])
    }
    fn write(self, out: &mut [u8]) {
        out.copy_from_slice(&self.to_le_bytes());
    }
}

/// Pixels decoded a block at a time: the kernels see value slices while
/// no second full-size copy of either operand is made.
const BLOCK: usize = 1024;

/// The pixels of `first` (and `second`, as long) as `T` values, run through
/// `kernel` a block at a time: the new pixels' bytes.
fn run_words<T: Word>(
    first: &[u8],
    second: Option<&[u8]>,
    mut kernel: impl FnMut(&mut [T], &[T]) -> Result<()>,
) -> Result<Vec<u8>> {
    let mut out = try_alloc(first.len(), 0)?;
    let (mut values, mut others) = ([T::default(); BLOCK], [T::default(); BLOCK]);
    for (index, out_block) in out.chunks_mut(BLOCK * 4).enumerate() {
        let start = index * BLOCK * 4;
        let count = out_block.len() / 4;
        let range = start..start + out_block.len();
        for (value, bytes) in values.iter_mut().zip(first[range.clone()].chunks_exact(4)) {
            *value = T::read(bytes);
        }
        if let Some(second) = second {
            for (value, bytes) in others.iter_mut().zip(second[range].chunks_exact(4)) {
                *value = T::read(bytes);
            }
        }
        kernel(&mut values[..count], &others[..count])?;
        for (&value, bytes) in values.iter().zip(out_block.chunks_exact_mut(4)) {
            value.write(bytes);
        }
    }
    Ok(out)
}

/// The pixels of `first op second` (two images' pixel bytes of the same
/// length), as "F" values when `float`, else as "I" values.
pub fn apply_binary(op: Operator, float: bool, first: &[u8], second: &[u8]) -> Result<Vec<u8>> {
    if second.len() != first.len() {
        return Err(ImageError::WrongLength { bytes_per_pixel: 4, expected: first.len(), actual: second.len() });
    }
    let second = Some(second);
    match (op, float) {
        (Operator::Binary(op), false) => run_words(first, second, |a, b| {
            int_binary(op, a, b);
            Ok(())
        }),
        (Operator::Binary(op), true) => run_words(first, second, |a, b| float_binary(op, a, b)),
        (Operator::Compare(op), false) => run_words(first, second, |a: &mut [i32], b| {
            compare(op, a, b, 1, 0);
            Ok(())
        }),
        (Operator::Compare(op), true) => run_words(first, second, |a: &mut [f32], b| {
            compare(op, a, b, 1.0, 0.0);
            Ok(())
        }),
    }
}

/// The pixels of `op pixels`, as "F" values when `float`, else as "I" values.
pub fn apply_unary(op: Unary, float: bool, pixels: &[u8]) -> Result<Vec<u8>> {
    if float {
        run_words(pixels, None, |a, _| float_unary(op, a))
    } else {
        run_words(pixels, None, |a, _| {
            int_unary(op, a);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: i32 = i32::MIN;
    const MAX: i32 = i32::MAX;

    fn int(op: Binary, a: i32, b: i32) -> i32 {
        let mut values = [a];
        int_binary(op, &mut values, &[b]);
        values[0]
    }

    fn float(op: Binary, a: f32, b: f32) -> f32 {
        let mut values = [a];
        float_binary(op, &mut values, &[b]).unwrap();
        values[0]
    }

    #[test]
    fn int_arithmetic_wraps_at_32_bits() {
        assert_eq!(int(Binary::Add, MAX, 1), MIN);
        assert_eq!(int(Binary::Sub, MIN, 1), MAX);
        assert_eq!(int(Binary::Mul, 65536, 65536), 0);
        assert_eq!(int(Binary::Mul, MAX, 3), 2147483645);
        assert_eq!(int(Binary::LeftShift, 3, 31), MIN);
        assert_eq!(int(Binary::LeftShift, 3, 33), 6);
        assert_eq!(int(Binary::RightShift, -16, 2), -4);
        assert_eq!(int(Binary::RightShift, -16, 34), -4);
    }

    #[test]
    fn int_division_truncates_toward_zero_and_zero_divisor_gives_zero() {
        assert_eq!(int(Binary::Div, -7, 2), -3);
        assert_eq!(int(Binary::Div, 7, -2), -3);
        assert_eq!(int(Binary::Mod, -7, 2), -1);
        assert_eq!(int(Binary::Mod, 7, -2), 1);
        assert_eq!(int(Binary::Div, 5, 0), 0);
        assert_eq!(int(Binary::Mod, 5, 0), 0);
        assert_eq!(int(Binary::Div, MIN, -1), MIN);
        assert_eq!(int(Binary::Mod, MIN, -1), 0);
    }

    #[test]
    fn int_power_rounds_clamps_and_truncates() {
        assert_eq!(int(Binary::Pow, 3, 4), 81);
        assert_eq!(int(Binary::Pow, -2, 3), -7);
        assert_eq!(int(Binary::Pow, 2, -1), 1);
        assert_eq!(int(Binary::Pow, -2, -1), 0);
        assert_eq!(int(Binary::Pow, 0, -1), MAX);
        assert_eq!(int(Binary::Pow, 10, 20), MAX);
        assert_eq!(int(Binary::Pow, -10, 21), MIN);
    }

    #[test]
    fn int_min_max_and_bitwise() {
        assert_eq!(int(Binary::Min, -3, 2), -3);
        assert_eq!(int(Binary::Max, -3, 2), 2);
        assert_eq!(int(Binary::And, 12, 10), 8);
        assert_eq!(int(Binary::Or, 12, 10), 14);
        assert_eq!(int(Binary::Xor, 12, 10), 6);
    }

    #[test]
    fn float_division_and_modulo_by_zero_give_zero() {
        assert_eq!(float(Binary::Div, 1.0, 0.0).to_bits(), 0);
        assert_eq!(float(Binary::Div, 1.0, -0.0).to_bits(), 0);
        assert_eq!(float(Binary::Mod, 7.5, 0.0).to_bits(), 0);
        assert_eq!(float(Binary::Mod, -7.5, 2.0), -1.5);
        assert_eq!(float(Binary::Mod, 7.5, f32::INFINITY), 7.5);
        assert_eq!(float(Binary::Mod, f32::INFINITY, 2.0).to_bits(), 0xffc0_0000);
        assert_eq!(float(Binary::Mod, f32::INFINITY, f32::NAN).to_bits(), f32::NAN.to_bits());
        assert_eq!(float(Binary::Div, 1.0, 3.0), 1.0f32 / 3.0);
    }

    #[test]
    fn float_power_follows_c() {
        assert_eq!(float(Binary::Pow, 0.0, -1.0), f32::INFINITY);
        assert_eq!(float(Binary::Pow, -0.0, -1.0), f32::NEG_INFINITY);
        assert_eq!(float(Binary::Pow, -10.0, 1001.0), f32::NEG_INFINITY);
        assert_eq!(float(Binary::Pow, -8.0, 1.0 / 3.0).to_bits(), 0xffc0_0000);
        assert_eq!(float(Binary::Pow, f32::NAN, 0.0), 1.0);
        assert_eq!(float(Binary::Pow, 1.0, f32::NAN), 1.0);
        assert_eq!(float(Binary::Pow, 2.0, 0.5), std::f32::consts::SQRT_2);
    }

    #[test]
    fn float_min_max_keep_the_second_operand_when_unordered() {
        assert!(float(Binary::Min, f32::NAN, 1.0) == 1.0);
        assert!(float(Binary::Min, 1.0, f32::NAN).is_nan());
        assert!(float(Binary::Max, f32::NAN, 1.0) == 1.0);
    }

    #[test]
    fn bitwise_operators_refuse_float_values() {
        let mut values = [1.0f32];
        assert!(float_binary(Binary::And, &mut values, &[1.0]).is_err());
        assert!(float_unary(Unary::Invert, &mut values).is_err());
    }

    #[test]
    fn comparisons_give_one_or_zero_in_the_operands_type() {
        let mut ints = [1, 2, 3];
        compare(Comparison::LessEqual, &mut ints, &[2, 2, 2], 1, 0);
        assert_eq!(ints, [1, 1, 0]);
        let mut floats = [f32::NAN, 2.0, 3.0];
        compare(Comparison::NotEqual, &mut floats, &[f32::NAN, 2.0, 2.0], 1.0, 0.0);
        assert_eq!(floats, [1.0, 0.0, 1.0]);
    }

    #[test]
    fn unary_operators_wrap() {
        let mut ints = [MIN, -5, 5];
        int_unary(Unary::Abs, &mut ints);
        assert_eq!(ints, [MIN, 5, 5]);
        int_unary(Unary::Neg, &mut ints);
        assert_eq!(ints, [MIN, -5, -5]);
        int_unary(Unary::Invert, &mut ints);
        assert_eq!(ints, [MAX, 4, 4]);
        let mut floats = [-0.0f32, -2.5];
        float_unary(Unary::Abs, &mut floats).unwrap();
        assert_eq!(floats.map(f32::to_bits), [0, 2.5f32.to_bits()]);
    }

    #[test]
    fn byte_drivers_cover_every_block() {
        let count = BLOCK * 2 + 3;
        let first: Vec<u8> = (0..count as i32).flat_map(i32::to_le_bytes).collect();
        let second: Vec<u8> = (0..count as i32).flat_map(|v| (v * 2).to_le_bytes()).collect();
        let out = apply_binary(Operator::Binary(Binary::Sub), false, &first, &second).unwrap();
        let values: Vec<i32> = out.chunks_exact(4).map(i32::read).collect();
        assert_eq!(values, (0..count as i32).map(|v| -v).collect::<Vec<_>>());
        let out = apply_binary(Operator::Compare(Comparison::Equal), true, &first, &first).unwrap();
        assert!(out.chunks_exact(4).all(|bytes| f32::read(bytes) == 1.0));
        let out = apply_unary(Unary::Neg, true, &out).unwrap();
        assert!(out.chunks_exact(4).all(|bytes| f32::read(bytes) == -1.0));
    }
}
