//! Checks for numbers arriving from JS. Every export takes JS numbers as f64
//! so that -1, 2.5, NaN or 1e30 reach these checks intact instead of being
//! wrapped silently into some other integer.

use crate::buffer::{ImageError, Rect, Result, Rgba};
use crate::colour::check_level;

/// A whole number from 0 to u32::MAX.
pub fn whole(name: &'static str, value: f64) -> Result<u32> {
    if value.is_finite() && value.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(&value) {
        Ok(value as u32)
    } else {
        Err(ImageError::BadNumber { name, value, expected: "a whole number from 0 to 4294967295" })
    }
}

/// A whole number from 0 to `max`.
pub fn whole_at_most(name: &'static str, value: f64, max: u32) -> Result<u32> {
    let number = whole(name, value)?;
    if number <= max {
        Ok(number)
    } else {
        Err(ImageError::BadArgument { name, message: format!("must be at most {max}, got {number}") })
    }
}

/// A whole-number coordinate that may be negative (for points only checked
/// against the image afterwards).
pub fn point(name: &'static str, value: f64) -> Result<i64> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= f64::from(u32::MAX) {
        Ok(value as i64)
    } else {
        Err(ImageError::BadNumber { name, value, expected: "a whole number" })
    }
}

pub fn rect(x: f64, y: f64, width: f64, height: f64) -> Result<Rect> {
    Ok(Rect::new(whole("x", x)?, whole("y", y)?, whole("width", width)?, whole("height", height)?))
}

pub fn colour(red: f64, green: f64, blue: f64, alpha: f64) -> Result<Rgba> {
    named_colour(["red", "green", "blue", "alpha"], [red, green, blue, alpha])
}

/// A colour whose components have other parameter names (`alive_red`...),
/// so that a message names the one that is wrong.
pub fn named_colour(names: [&'static str; 4], values: [f64; 4]) -> Result<Rgba> {
    Ok([
        check_level(names[0], values[0])?,
        check_level(names[1], values[1])?,
        check_level(names[2], values[2])?,
        check_level(names[3], values[3])?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_only() {
        assert_eq!(whole("width", 3.0), Ok(3));
        assert_eq!(
            whole("width", -1.0).unwrap_err().to_string(),
            "width must be a whole number from 0 to 4294967295, got -1"
        );
        assert!(whole("width", 2.5).is_err());
        assert!(whole("width", f64::NAN).is_err());
        assert!(whole("width", 1e10).is_err());
        assert_eq!(whole_at_most("count", 11.0, 10).unwrap_err().to_string(), "count must be at most 10, got 11");
    }

    #[test]
    fn points_may_be_negative_but_whole() {
        assert_eq!(point("x", -4.0), Ok(-4));
        assert!(point("x", 0.5).is_err());
        assert!(point("x", f64::INFINITY).is_err());
    }

    #[test]
    fn rect_and_colour_name_the_bad_argument() {
        assert!(rect(0.0, 0.0, 1.0, 1.0).is_ok());
        assert!(rect(0.0, -1.0, 1.0, 1.0).unwrap_err().to_string().starts_with("y must be"));
        assert_eq!(colour(1.0, 2.0, 3.0, 4.0), Ok([1, 2, 3, 4]));
        assert!(colour(1.0, 2.0, 300.0, 4.0).unwrap_err().to_string().starts_with("blue must be"));
    }
}
