//! Every check of a value arriving from JS. The exports take JS numbers as
//! f64, so that -1, 2.5, NaN or 1e30 reach these checks intact instead of
//! being wrapped silently into some other integer; the pixel modules then
//! receive only values these functions accepted.
//!
//! One rule for each kind of number, applied by every export:
//! - **sizes and counts** (image sizes, channel indices, generations, seeds)
//!   are whole numbers; a fraction is refused;
//! - **coordinates** (points, rectangles, positions, shapes) are any finite
//!   number within ±2^24; a fraction is rounded half away from zero, as
//!   Pillow's drawing code rounds (`ROUND_UP` in `Draw.c`);
//! - **placement** clips as Pillow's `paste` clips: a rectangle, a pasted
//!   image or a shape may reach past the image or lie wholly outside it,
//!   and only the part inside is touched. Reading or writing one pixel
//!   outside is the one placement error (Pillow's `IndexError`).
//! - **colour components** are numbers from 0 to 255, rounded.

use crate::buffer::{Area, ImageError, Number, Result, Rgba};
use crate::colour::{ChannelLuts, Mode};
use crate::colour_lut::{ColourLut, SIZES};
use crate::drawing::PathStep;
use crate::filters::Kernel;
use wasm_bindgen::{JsCast, JsValue};

/// Largest coordinate magnitude accepted, so that arithmetic on coordinates
/// cannot overflow whatever the host passes.
pub const MAX_COORDINATE: f64 = 16_777_216.0;

/// Largest blur radius accepted.
pub const MAX_BLUR_RADIUS: f64 = 10_000.0;

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

/// A whole number from 1 to u32::MAX (a factor, a size to fit in).
pub fn counting(name: &'static str, value: f64) -> Result<u32> {
    match whole(name, value) {
        Ok(number) if number >= 1 => Ok(number),
        _ => Err(ImageError::BadNumber { name, value, expected: "a whole number from 1 to 4294967295" }),
    }
}

/// A whole number from `min` to `max`.
pub fn whole_between(name: &'static str, value: f64, min: u32, max: u32) -> Result<u32> {
    match whole(name, value) {
        Ok(number) if (min..=max).contains(&number) => Ok(number),
        _ => Err(ImageError::BadArgument {
            name,
            message: format!("must be a whole number from {min} to {max}, got {}", Number(value)),
        }),
    }
}

/// An odd filter size from 1 to `rank_filters::MAX_SIZE`.
pub fn filter_size(name: &'static str, value: f64) -> Result<usize> {
    let max = crate::rank_filters::MAX_SIZE as u32;
    match whole(name, value) {
        Ok(size) if size % 2 == 1 && size <= max => Ok(size as usize),
        _ => Err(ImageError::BadArgument {
            name,
            message: format!("must be an odd whole number from 1 to {max}, got {}", Number(value)),
        }),
    }
}

/// A finite number of at least `minimum`.
pub fn at_least(name: &'static str, value: f64, minimum: f64) -> Result<f64> {
    if value.is_finite() && value >= minimum {
        Ok(value)
    } else {
        Err(ImageError::BadArgument {
            name,
            message: format!("must be a number from {} up, got {}", Number(minimum), Number(value)),
        })
    }
}

/// A coordinate: finite, within ±2^24, a fraction truncated towards zero
/// (Pillow's C code casts its coordinates to `int`: drawing, `getpixel`,
/// `putpixel`).
pub fn coordinate(name: &'static str, value: f64) -> Result<i64> {
    Ok(exact_coordinate(name, value)?.trunc() as i64)
}

/// A length along a coordinate axis (a rectangle's width or height): a
/// coordinate that is not negative.
pub fn length(name: &'static str, value: f64) -> Result<i64> {
    let length = coordinate(name, value)?;
    if value < 0.0 {
        return Err(ImageError::BadNumber { name, value, expected: "a number from 0 to 16777216" });
    }
    Ok(length)
}

/// A rectangle from four numbers named `x`, `y`, `width` and `height`.
pub fn area(x: f64, y: f64, width: f64, height: f64) -> Result<Area> {
    named_area(["x", "y", "width", "height"], [x, y, width, height])
}

fn named_area(names: [&'static str; 4], [x, y, width, height]: [f64; 4]) -> Result<Area> {
    Ok(Area {
        x: coordinate(names[0], x)?,
        y: coordinate(names[1], y)?,
        width: length(names[2], width)?,
        height: length(names[3], height)?,
    })
}

/// The optional rectangle every operation takes last: `undefined` or `null`
/// for the whole image, else an `Array` (or typed array) `[x, y, width,
/// height]` of numbers, checked as [`area`] checks them (the messages say
/// `rect x`...).
pub fn optional_area(rect: &JsValue) -> Result<Option<Area>> {
    if is_absent(rect) {
        return Ok(None);
    }
    let values = numbers::<4>("rect", rect, "undefined or an array [x, y, width, height]")?;
    Ok(Some(named_area(["rect x", "rect y", "rect width", "rect height"], values)?))
}

/// A box `[x0, y0, x1, y1]` of fractional coordinates (Pillow's resize
/// `box`), or `None` for `undefined`/`null`.
pub fn optional_box(value: &JsValue) -> Result<Option<[f64; 4]>> {
    if is_absent(value) {
        return Ok(None);
    }
    let corners = numbers::<4>("box", value, "undefined or an array [x0, y0, x1, y1]")?;
    for (name, corner) in ["box x0", "box y0", "box x1", "box y1"].into_iter().zip(corners) {
        exact_coordinate(name, corner)?;
    }
    Ok(Some(corners))
}

/// Whether an optional argument was left out (`undefined` or `null`).
/// Native builds, where `cargo test` calls the exports, have no JS values:
/// there the tests leave every optional argument out.
fn is_absent(value: &JsValue) -> bool {
    if cfg!(target_arch = "wasm32") { value.is_null_or_undefined() } else { true }
}

/// `N` numbers from a JS `Array` or typed array of exactly that length (any
/// other value, a `PyProxy` included, is refused with `expected`).
fn numbers<const N: usize>(name: &'static str, value: &JsValue, expected: &'static str) -> Result<[f64; N]> {
    let array_like = js_sys::Array::is_array(value) || js_sys::ArrayBuffer::is_view(value);
    let length =
        if array_like { js_sys::Reflect::get(value, &"length".into()).ok().and_then(|l| l.as_f64()) } else { None };
    if length != Some(N as f64) {
        return Err(ImageError::WrongType { name, expected });
    }
    let mut out = [0.0; N];
    for (index, slot) in out.iter_mut().enumerate() {
        let item = js_sys::Reflect::get_u32(value, index as u32).unwrap_or(JsValue::UNDEFINED);
        *slot = item.as_f64().ok_or(ImageError::WrongType { name, expected })?;
    }
    Ok(out)
}

/// A coordinate kept fractional, where the kernel samples between pixels
/// (a resize box, a rotation centre): finite, within ±2^24.
pub fn exact_coordinate(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value.abs() <= MAX_COORDINATE {
        Ok(value)
    } else {
        Err(ImageError::BadNumber { name, value, expected: "a finite number within ±16777216" })
    }
}

/// Any finite number.
pub fn finite(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() { Ok(value) } else { Err(ImageError::BadNumber { name, value, expected: "a finite number" }) }
}

/// A finite number other than 0 (a divisor).
pub fn nonzero(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value != 0.0 {
        Ok(value)
    } else {
        Err(ImageError::BadNumber { name, value, expected: "a finite number other than 0" })
    }
}

/// A whole number within ±2^24 (an offset added to levels).
pub fn signed_whole(name: &'static str, value: f64) -> Result<i32> {
    if value.is_finite() && value.fract() == 0.0 && value.abs() <= MAX_COORDINATE {
        Ok(value as i32)
    } else {
        Err(ImageError::BadNumber { name, value, expected: "a whole number within ±16777216" })
    }
}

/// A finite number (an enhancement factor: 0 gives the degenerate image, 1
/// the original; Pillow extrapolates beyond both ends, below 0 too).
pub fn factor(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() { Ok(value) } else { Err(ImageError::BadNumber { name, value, expected: "a finite number" }) }
}

/// A finite number above 0 (a gamma).
pub fn positive(name: &'static str, value: f64) -> Result<f64> {
    if value.is_finite() && value > 0.0 {
        Ok(value)
    } else {
        Err(ImageError::BadNumber { name, value, expected: "a finite number > 0" })
    }
}

/// A number from `low` to `high`; `expected` says so in the message.
fn between(name: &'static str, value: f64, low: f64, high: f64, expected: &'static str) -> Result<f64> {
    if value.is_finite() && (low..=high).contains(&value) {
        Ok(value)
    } else {
        Err(ImageError::BadNumber { name, value, expected })
    }
}

/// A number from 0 to 1 (a probability).
pub fn fraction(name: &'static str, value: f64) -> Result<f64> {
    between(name, value, 0.0, 1.0, "a number from 0 to 1")
}

/// A blur radius from 0 to [`MAX_BLUR_RADIUS`].
pub fn radius(name: &'static str, value: f64) -> Result<f64> {
    between(name, value, 0.0, MAX_BLUR_RADIUS, "a number from 0 to 10000")
}

/// A colour component or other byte-sized level: 0 to 255, rounded.
pub fn level(name: &'static str, value: f64) -> Result<u8> {
    if value.is_finite() && (0.0..=255.0).contains(&value) {
        Ok(value.round() as u8)
    } else {
        Err(ImageError::BadNumber { name, value, expected: "a number from 0 to 255" })
    }
}

/// A percentage from 0 to 100.
pub fn percent(name: &'static str, value: f64) -> Result<f64> {
    between(name, value, 0.0, 100.0, "a number from 0 to 100")
}

/// An RGB colour as an array `[red, green, blue]` of levels (0 to 255).
pub fn rgb(name: &'static str, value: &JsValue) -> Result<[u8; 3]> {
    let [red, green, blue] = numbers::<3>(name, value, "an array [red, green, blue]")?;
    Ok([level(name, red)?, level(name, green)?, level(name, blue)?])
}

/// [`rgb`], or `None` for `undefined`/`null`.
pub fn optional_rgb(name: &'static str, value: &JsValue) -> Result<Option<[u8; 3]>> {
    if is_absent(value) { Ok(None) } else { rgb(name, value).map(Some) }
}

/// An RGBA colour `[red, green, blue, alpha]` of levels, or `None` for
/// `undefined`/`null`.
pub fn optional_rgba(name: &'static str, value: &JsValue) -> Result<Option<Rgba>> {
    if is_absent(value) {
        return Ok(None);
    }
    let values = numbers::<4>(name, value, "undefined or an array [red, green, blue, alpha]")?;
    Ok(Some(named_colour([name; 4], values)?))
}

/// A point `[x, y]` of fractional coordinates within ±2^24, or `None` for
/// `undefined`/`null`.
pub fn optional_point(name: &'static str, value: &JsValue) -> Result<Option<[f64; 2]>> {
    if is_absent(value) {
        return Ok(None);
    }
    let [x, y] = numbers::<2>(name, value, "undefined or an array [x, y]")?;
    Ok(Some([exact_coordinate(name, x)?, exact_coordinate(name, y)?]))
}

/// Exactly `count` finite numbers in a JS `Array` or typed array.
pub fn finite_numbers(name: &'static str, value: &JsValue, count: usize) -> Result<Vec<f64>> {
    const EXPECTED: &str = "an array of numbers";
    if !(js_sys::Array::is_array(value) || js_sys::ArrayBuffer::is_view(value)) {
        return Err(ImageError::WrongType { name, expected: EXPECTED });
    }
    let length = js_sys::Reflect::get(value, &"length".into()).ok().and_then(|l| l.as_f64()).unwrap_or(0.0);
    if length != count as f64 {
        return Err(ImageError::BadArgument {
            name,
            message: format!("must hold {count} numbers, got {}", Number(length)),
        });
    }
    (0..count)
        .map(|index| {
            let item = js_sys::Reflect::get_u32(value, index as u32).unwrap_or(JsValue::UNDEFINED);
            finite(name, item.as_f64().ok_or(ImageError::WrongType { name, expected: EXPECTED })?)
        })
        .collect()
}

/// An RGBA colour `[red, green, blue, alpha]` of levels.
pub fn rgba(name: &'static str, value: &JsValue) -> Result<Rgba> {
    let values = numbers::<4>(name, value, "an array [red, green, blue, alpha]")?;
    named_colour([name; 4], values)
}

/// The most points one drawing call takes (8 MB of coordinates).
pub const MAX_POINTS: u32 = 1 << 20;

/// Drawing coordinates `[x0, y0, x1, y1, ...]` (a JS `Array` or typed
/// array), at least `minimum` points: each finite and within ±2^24, then
/// truncated towards zero as Pillow's drawing truncates them.
pub fn points(name: &'static str, value: &JsValue, minimum: u32) -> Result<Vec<[i64; 2]>> {
    const EXPECTED: &str = "an array of numbers [x0, y0, x1, y1, ...]";
    if !(js_sys::Array::is_array(value) || js_sys::ArrayBuffer::is_view(value)) {
        return Err(ImageError::WrongType { name, expected: EXPECTED });
    }
    let length = js_sys::Reflect::get(value, &"length".into()).ok().and_then(|l| l.as_f64()).unwrap_or(0.0);
    if length % 2.0 != 0.0 || length < f64::from(2 * minimum) || length > f64::from(2 * MAX_POINTS) {
        return Err(ImageError::BadArgument {
            name,
            message: format!("must hold x and y of {minimum} to {MAX_POINTS} points, got {} numbers", Number(length)),
        });
    }
    let coordinate = |index: u32| {
        let item = js_sys::Reflect::get_u32(value, index).unwrap_or(JsValue::UNDEFINED);
        coordinate(name, item.as_f64().ok_or(ImageError::WrongType { name, expected: EXPECTED })?)
    };
    (0..length as u32 / 2).map(|i| Ok([coordinate(2 * i)?, coordinate(2 * i + 1)?])).collect()
}

/// An outline's path (`ImageDraw.Outline`): steps of 7 numbers, `[0, x,
/// y, ...]` to move, `[1, x, y, ...]` for a line, `[2, x1, y1, x2, y2, x3,
/// y3]` for a cubic Bezier curve, `[3, ...]` to close and `[4, ...]` to drop
/// the edges so far (Pillow's `transform`), unused numbers 0; each point
/// finite within ±2^24.
pub fn path(name: &'static str, value: &JsValue) -> Result<Vec<PathStep>> {
    const EXPECTED: &str = "an array of steps of 7 numbers [kind, x1, y1, x2, y2, x3, y3]";
    if !(js_sys::Array::is_array(value) || js_sys::ArrayBuffer::is_view(value)) {
        return Err(ImageError::WrongType { name, expected: EXPECTED });
    }
    let length = js_sys::Reflect::get(value, &"length".into()).ok().and_then(|l| l.as_f64()).unwrap_or(0.0);
    if length % 7.0 != 0.0 || length > f64::from(7 * MAX_POINTS) {
        return Err(ImageError::BadArgument {
            name,
            message: format!("must hold steps of 7 numbers, at most {MAX_POINTS}, got {} numbers", Number(length)),
        });
    }
    let number = |index: u32| {
        let item = js_sys::Reflect::get_u32(value, index).unwrap_or(JsValue::UNDEFINED);
        exact_coordinate(name, item.as_f64().ok_or(ImageError::WrongType { name, expected: EXPECTED })?)
    };
    (0..length as u32 / 7)
        .map(|step| {
            let values: Vec<f64> = (0..7).map(|i| number(step * 7 + i)).collect::<Result<_>>()?;
            // Pillow keeps an outline's points as C floats.
            let point = |i: usize| [values[i] as f32, values[i + 1] as f32];
            Ok(match values[0] {
                0.0 => PathStep::Move(point(1)),
                1.0 => PathStep::Line(point(1)),
                2.0 => PathStep::Curve([point(1), point(3), point(5)]),
                3.0 => PathStep::Close,
                4.0 => PathStep::Forget,
                kind => {
                    return Err(ImageError::BadArgument {
                        name,
                        message: format!(
                            "step kinds are 0 (move), 1 (line), 2 (curve), 3 (close) and 4 (forget), got {}",
                            Number(kind)
                        ),
                    });
                }
            })
        })
        .collect()
}

/// A shape's box `[x0, y0, x1, y1]` with x1 >= x0 and y1 >= y0, checked
/// before truncation as Pillow checks it; each finite within ±2^24.
pub fn ordered_box(name: &'static str, value: &JsValue) -> Result<[f64; 4]> {
    let corners = numbers::<4>(name, value, "an array [x0, y0, x1, y1]")?;
    for corner in corners {
        exact_coordinate(name, corner)?;
    }
    let [x0, y0, x1, y1] = corners;
    if x1 < x0 || y1 < y0 {
        return Err(ImageError::BadArgument {
            name,
            message: format!(
                "must have x1 >= x0 and y1 >= y0, got [{}, {}, {}, {}]",
                Number(x0),
                Number(y0),
                Number(x1),
                Number(y1)
            ),
        });
    }
    Ok(corners)
}

/// An angle in degrees as Pillow takes it (a C float), within ±10^9.
pub fn angle(name: &'static str, value: f64) -> Result<f32> {
    Ok(between(name, value, -1e9, 1e9, "a number from -1000000000 to 1000000000")? as f32)
}

/// Which corners of a rounded rectangle are rounded: `undefined` for all,
/// or four booleans (upper left, upper right, lower right, lower left).
pub fn optional_corners(name: &'static str, value: &JsValue) -> Result<[bool; 4]> {
    const EXPECTED: &str = "undefined or an array of 4 booleans";
    if is_absent(value) {
        return Ok([true; 4]);
    }
    let length = if js_sys::Array::is_array(value) {
        js_sys::Reflect::get(value, &"length".into()).ok().and_then(|l| l.as_f64())
    } else {
        None
    };
    if length != Some(4.0) {
        return Err(ImageError::WrongType { name, expected: EXPECTED });
    }
    let mut corners = [false; 4];
    for (index, corner) in corners.iter_mut().enumerate() {
        let item = js_sys::Reflect::get_u32(value, index as u32).unwrap_or(JsValue::UNDEFINED);
        *corner = item.as_bool().ok_or(ImageError::WrongType { name, expected: EXPECTED })?;
    }
    Ok(corners)
}

/// Levels (0 to 255) given as one number, an array of numbers, or
/// `undefined`/`null` for none (Pillow's `ignore` of `autocontrast`).
pub fn optional_levels(name: &'static str, value: &JsValue) -> Result<Vec<u8>> {
    if is_absent(value) {
        return Ok(Vec::new());
    }
    if let Some(number) = value.as_f64() {
        return Ok(vec![level(name, number)?]);
    }
    const EXPECTED: &str = "undefined, a number or an array of numbers from 0 to 255";
    if !js_sys::Array::is_array(value) {
        return Err(ImageError::WrongType { name, expected: EXPECTED });
    }
    let array: &js_sys::Array = value.unchecked_ref();
    // Each value is a level: more than 256 of them can only repeat one.
    if array.length() > 256 {
        return Err(ImageError::BadArgument {
            name,
            message: format!("may list at most 256 levels, got {}", array.length()),
        });
    }
    array
        .iter()
        .map(|item| level(name, item.as_f64().ok_or(ImageError::WrongType { name, expected: EXPECTED })?))
        .collect()
}

/// One of the named choices in `choices` (a mode name), as a JS string.
pub fn named_choice<T: Copy>(name: &'static str, value: &JsValue, choices: &[(&str, T)]) -> Result<T> {
    let labels: Vec<&str> = choices.iter().map(|&(label, _)| label).collect();
    Ok(choices[named_index(name, value, &labels)?].1)
}

/// The position of the JS string `value` among `labels` (not generic, so
/// one copy serves every kind of choice).
fn named_index(name: &'static str, value: &JsValue, labels: &[&str]) -> Result<usize> {
    let given = text(name, value)?;
    labels.iter().position(|label| *label == given).ok_or_else(|| {
        // Quoted by hand: `{:?}` on a str would pull Unicode escape tables into the module.
        let listed: Vec<String> = labels.iter().map(|label| format!("\"{label}\"")).collect();
        ImageError::BadArgument { name, message: format!("must be one of {}, got \"{given}\"", listed.join(", ")) }
    })
}

/// A pixel layout by Pillow's mode name: "L", "LA", "RGB" or "RGBA".
pub fn mode(value: &JsValue) -> Result<Mode> {
    named_choice("mode", value, &Mode::ALL)
}

/// One of Pillow's image modes, by name, as `convert` stores it.
pub fn stored_mode(name: &'static str, value: &JsValue) -> Result<crate::convert::StoredMode> {
    named_choice(name, value, &crate::convert::StoredMode::ALL)
}

/// Bytes from a `Uint8Array` (or `Uint8ClampedArray`) whose length passes
/// `fits`, or None when `value` is undefined or null; the length is checked
/// before anything is copied.
pub fn optional_bytes(
    name: &'static str,
    value: &JsValue,
    fits: fn(usize) -> bool,
    expected: &'static str,
) -> Result<Option<Vec<u8>>> {
    if is_absent(value) {
        return Ok(None);
    }
    if !matches!(typed_array_kind(value).as_deref(), Some("Uint8Array" | "Uint8ClampedArray")) {
        return Err(ImageError::WrongType { name, expected: "a Uint8Array" });
    }
    let array: &js_sys::Uint8Array = value.unchecked_ref();
    let length = array.length() as usize;
    if !fits(length) {
        return Err(ImageError::BadArgument { name, message: format!("must be {expected}, got {length} bytes") });
    }
    let mut bytes = vec![0; length];
    array.copy_to(&mut bytes);
    Ok(Some(bytes))
}

/// Four 256-entry tables, red, green, blue and alpha, in one `Uint8Array`
/// (or `Uint8ClampedArray`) of 1024 bytes, as Pillow's `point` takes a
/// table for RGBA.
pub fn channel_luts(value: &JsValue) -> Result<ChannelLuts> {
    if !matches!(typed_array_kind(value).as_deref(), Some("Uint8Array" | "Uint8ClampedArray")) {
        return Err(ImageError::WrongType { name: "table", expected: "a Uint8Array of 1024 bytes" });
    }
    let array: &js_sys::Uint8Array = value.unchecked_ref();
    if array.length() != 1024 {
        return Err(ImageError::BadArgument {
            name: "table",
            message: format!(
                "must hold 1024 bytes (256 for each of red, green, blue and alpha), got {}",
                array.length()
            ),
        });
    }
    let mut bytes = [0u8; 1024];
    array.copy_to(&mut bytes);
    Ok(std::array::from_fn(|channel| std::array::from_fn(|v| bytes[channel * 256 + v])))
}

/// A channel index: 0 red, 1 green, 2 blue, 3 alpha.
pub fn channel(name: &'static str, value: f64) -> Result<usize> {
    let index = whole(name, value)?;
    if index < 4 { Ok(index as usize) } else { Err(ImageError::BadChannel { name, value: index }) }
}

pub fn colour(red: f64, green: f64, blue: f64, alpha: f64) -> Result<Rgba> {
    named_colour(["red", "green", "blue", "alpha"], [red, green, blue, alpha])
}

/// A colour whose components have other parameter names (`alive_red`...),
/// so that a message names the one that is wrong.
pub fn named_colour(names: [&'static str; 4], values: [f64; 4]) -> Result<Rgba> {
    Ok([
        level(names[0], values[0])?,
        level(names[1], values[1])?,
        level(names[2], values[2])?,
        level(names[3], values[3])?,
    ])
}

/// One of Pillow's numbered choices (`Image.Transpose`, `Image.Resampling`):
/// a whole number that `choices` lists, named in the message.
pub fn choice<T: Copy>(name: &'static str, value: f64, choices: &[(u32, &str, T)]) -> Result<T> {
    let labels: Vec<(u32, &str)> = choices.iter().map(|&(number, label, _)| (number, label)).collect();
    Ok(choices[numbered_index(name, value, &labels)?].2)
}

fn numbered_index(name: &'static str, value: f64, labels: &[(u32, &str)]) -> Result<usize> {
    let found = whole(name, value).ok().and_then(|number| labels.iter().position(|&(n, _)| n == number));
    found.ok_or_else(|| {
        let listed: Vec<String> = labels.iter().map(|(n, label)| format!("{n} ({label})")).collect();
        ImageError::BadArgument {
            name,
            message: format!("must be one of {}, got {}", listed.join(", "), Number(value)),
        }
    })
}

/// A JS string (wasm-bindgen's `&str` glue would read past the end of
/// memory if handed something that is not a string).
pub fn text(name: &'static str, value: &JsValue) -> Result<String> {
    value.as_string().ok_or(ImageError::WrongType { name, expected: "a string" })
}

/// The kind of typed array `value` is ("Uint8Array", ...), or None. Read
/// from `Symbol.toStringTag`, not `instanceof`, so that an array made in
/// another realm (an iframe, or Node's `vm` contexts) is recognised too.
fn typed_array_kind(value: &JsValue) -> Option<String> {
    if !js_sys::ArrayBuffer::is_view(value) {
        return None;
    }
    js_sys::Reflect::get(value, &js_sys::Symbol::to_string_tag()).ok()?.as_string()
}

/// Pixel bytes from a `Uint8Array` or `Uint8ClampedArray` of exactly
/// `expected` bytes (`bytes_per_pixel` a pixel), copied into wasm memory. The
/// length is checked before anything is allocated, so no array, however
/// large, can exhaust the module.
pub fn pixel_bytes(bytes: &JsValue, expected: usize, bytes_per_pixel: usize) -> Result<Vec<u8>> {
    if !matches!(typed_array_kind(bytes).as_deref(), Some("Uint8Array" | "Uint8ClampedArray")) {
        return Err(ImageError::WrongType { name: "bytes", expected: "a Uint8Array or Uint8ClampedArray" });
    }
    // A Uint8ClampedArray copies out the same way (no conversion in JS).
    let array: &js_sys::Uint8Array = bytes.unchecked_ref();
    let actual = array.length() as usize;
    if actual != expected {
        return Err(ImageError::WrongLength { bytes_per_pixel, expected, actual });
    }
    // Copied into reserved memory, not into memory zeroed first: a 12
    // megapixel picture's 48 MB are written once, not twice.
    let mut data: Vec<u8> = Vec::new();
    data.try_reserve_exact(expected).map_err(|_| ImageError::OutOfMemory { bytes: expected })?;
    array.copy_to_uninit(&mut data.spare_capacity_mut()[..expected]);
    // SAFETY: `copy_to_uninit` initialised the first `expected` bytes.
    unsafe { data.set_len(expected) };
    Ok(data)
}

/// A convolution kernel: 9 (3x3) or 25 (5x5) finite weights in a
/// `Float32Array` (its length checked before it is copied), a finite scale
/// and offset.
pub fn kernel(weights: &JsValue, scale: f64, offset: f64) -> Result<Kernel> {
    if typed_array_kind(weights).as_deref() != Some("Float32Array") {
        return Err(ImageError::WrongType { name: "kernel weights", expected: "a Float32Array" });
    }
    let array: &js_sys::Float32Array = weights.unchecked_ref();
    let count = array.length() as usize;
    if count != 9 && count != 25 {
        return Err(ImageError::BadArgument {
            name: "kernel",
            message: format!("must have 9 (3x3) or 25 (5x5) weights, got {count}"),
        });
    }
    let weights = array.to_vec();
    if let Some(bad) = weights.iter().find(|w| !w.is_finite()) {
        return Err(ImageError::BadNumber { name: "kernel weight", value: f64::from(*bad), expected: "finite" });
    }
    Ok(Kernel::new(weights, finite("scale", scale)?, finite("offset", offset)?))
}

/// A 3D colour lookup table: 3 or 4 `channels`, each of `sizes` from 2 to
/// 65, and `channels * size1 * size2 * size3` values in a `Float32Array`
/// (its length checked before it is copied).
pub fn colour_lut(channels: f64, sizes: [f64; 3], values: &JsValue) -> Result<ColourLut> {
    let channels = whole_between("channels", channels, 3, 4)? as usize;
    let mut whole_sizes = [0usize; 3];
    for ((out, size), name) in whole_sizes.iter_mut().zip(sizes).zip(["size1", "size2", "size3"]) {
        *out = whole_between(name, size, *SIZES.start() as u32, *SIZES.end() as u32)? as usize;
    }
    if typed_array_kind(values).as_deref() != Some("Float32Array") {
        return Err(ImageError::WrongType { name: "table", expected: "a Float32Array" });
    }
    let array: &js_sys::Float32Array = values.unchecked_ref();
    let expected = channels * whole_sizes.iter().product::<usize>();
    if array.length() as usize != expected {
        return Err(ImageError::BadArgument {
            name: "table",
            message: format!(
                "must have {expected} values (channels * size1D * size2D * size3D), got {}",
                array.length()
            ),
        });
    }
    ColourLut::new(channels, whole_sizes, &array.to_vec())
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
    fn coordinates_round_half_away_from_zero() {
        assert_eq!(coordinate("x", 2.5), Ok(2));
        assert_eq!(coordinate("x", -2.5), Ok(-2));
        assert_eq!(coordinate("x", -0.9), Ok(0));
        assert_eq!(coordinate("x", 16_777_216.0), Ok(16_777_216));
        assert_eq!(
            coordinate("x", 16_777_217.0).unwrap_err().to_string(),
            "x must be a finite number within ±16777216, got 16777217"
        );
        assert!(coordinate("x", f64::INFINITY).is_err());
        assert_eq!(length("width", 0.4), Ok(0));
        assert_eq!(
            length("width", -0.5).unwrap_err().to_string(),
            "width must be a number from 0 to 16777216, got -0.5"
        );
    }

    #[test]
    fn areas_may_lie_anywhere_but_not_have_negative_sides() {
        assert_eq!(area(-3.0, 1.6, 2.0, 0.0), Ok(Area { x: -3, y: 1, width: 2, height: 0 }));
        assert!(area(0.0, 0.0, -1.0, 1.0).unwrap_err().to_string().starts_with("width must be"));
        assert!(area(0.0, f64::NAN, 1.0, 1.0).unwrap_err().to_string().starts_with("y must be"));
    }

    #[test]
    fn levels_colours_and_channels() {
        assert_eq!(level("red", 254.6), Ok(255));
        assert_eq!(level("alpha", f64::NAN).unwrap_err().to_string(), "alpha must be a number from 0 to 255, got NaN");
        assert_eq!(colour(1.0, 2.0, 3.0, 4.0), Ok([1, 2, 3, 4]));
        assert!(colour(1.0, 2.0, 300.0, 4.0).unwrap_err().to_string().starts_with("blue must be"));
        assert_eq!(channel("channel", 3.0), Ok(3));
        assert_eq!(
            channel("channel", 4.0).unwrap_err().to_string(),
            "channel must be a channel index 0 (red), 1 (green), 2 (blue) or 3 (alpha), got 4"
        );
    }

    #[test]
    fn numbers_with_ranges() {
        assert_eq!(factor("factor", 0.0), Ok(0.0));
        assert_eq!(factor("factor", -0.1), Ok(-0.1));
        assert!(factor("factor", f64::NAN).is_err());
        assert!(positive("gamma", 0.0).is_err());
        assert_eq!(fraction("density", 1.0), Ok(1.0));
        assert!(fraction("density", 1.5).is_err());
        assert_eq!(
            radius("radius", 1e300).unwrap_err().to_string(),
            "radius must be a number from 0 to 10000, got 1e300"
        );
        assert_eq!(finite("scale", f64::NAN).unwrap_err().to_string(), "scale must be a finite number, got NaN");
        assert_eq!(nonzero("scale", -0.5), Ok(-0.5));
        assert_eq!(nonzero("scale", 0.0).unwrap_err().to_string(), "scale must be a finite number other than 0, got 0");
        assert_eq!(signed_whole("offset", -300.0), Ok(-300));
        assert!(signed_whole("offset", 0.5).is_err());
        assert_eq!(
            whole_between("bits", 9.0, 1, 8).unwrap_err().to_string(),
            "bits must be a whole number from 1 to 8, got 9"
        );
        assert_eq!(percent("cutoff", 100.0), Ok(100.0));
        assert!(percent("cutoff", 100.5).is_err());
    }

    #[test]
    fn choices_list_what_is_accepted() {
        let choices = [(0, "NEAREST", 'n'), (2, "BILINEAR", 'b')];
        assert_eq!(choice("resample", 2.0, &choices), Ok('b'));
        assert_eq!(
            choice("resample", 1.5, &choices).unwrap_err().to_string(),
            "resample must be one of 0 (NEAREST), 2 (BILINEAR), got 1.5"
        );
    }
}
