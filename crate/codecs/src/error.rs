//! What can go wrong with a picture file, and the limits a decode must keep.
//! The limits come from the caller (rust_image's own, passed by the host), so
//! this module refuses exactly the sizes rust_image would.

use std::fmt;

/// The family of a [`CodecError`]: the JS error's `name`, which the host
/// maps to an exception type without reading the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// A damaged or truncated file (Python `ImageFileError`).
    BadFile,
    /// A file that claims, or would inflate to, more than the limits allow
    /// (Python `DecompressionBombError`, Pillow's name, an `ImageFileError`).
    Bomb,
    /// An argument of the wrong JS type (Python `TypeError`).
    WrongType,
    /// A value out of range (Python `ValueError`).
    OutOfRange,
    /// wasm memory could not grow enough (Python `MemoryError`).
    OutOfMemory,
}

#[derive(Debug, Clone, PartialEq)]
pub enum CodecError {
    /// The file cannot be decoded: `format` names its kind ("PNG").
    Damaged {
        format: &'static str,
        reason: String,
    },
    /// A file Pillow refuses with `ValueError` (a PPM header's or plain
    /// data's bad number): the same type here.
    Invalid {
        format: &'static str,
        reason: String,
    },
    /// The header claims a size beyond the limits (or an empty image).
    TooLarge {
        format: &'static str,
        width: u32,
        height: u32,
        reason: String,
    },
    /// The compressed data goes on past what the claimed size needs.
    Bomb {
        format: &'static str,
        reason: String,
    },
    /// Encoding failed.
    CannotWrite {
        format: &'static str,
        reason: String,
    },
    OutOfMemory {
        bytes: usize,
    },
    WrongType {
        name: &'static str,
        expected: &'static str,
    },
    BadNumber {
        name: &'static str,
        value: f64,
        expected: &'static str,
    },
    WrongLength {
        expected: u64,
        actual: u64,
        bytes_per_pixel: u8,
    },
    /// A mode name the encoders do not know.
    BadMode {
        mode: String,
    },
    /// A damaged file refused with Pillow's own message for its C decoder's
    /// error code ("buffer overrun when reading image file"), which Pillow's
    /// tests and users match exactly.
    Decoder {
        message: &'static str,
    },
}

impl CodecError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Self::Damaged { .. } | Self::CannotWrite { .. } | Self::Decoder { .. } => ErrorKind::BadFile,
            Self::TooLarge { .. } | Self::Bomb { .. } => ErrorKind::Bomb,
            Self::OutOfMemory { .. } => ErrorKind::OutOfMemory,
            Self::WrongType { .. } => ErrorKind::WrongType,
            Self::Invalid { .. } | Self::BadNumber { .. } | Self::WrongLength { .. } | Self::BadMode { .. } => {
                ErrorKind::OutOfRange
            }
        }
    }

    pub fn damaged(format: &'static str, reason: impl Into<String>) -> Self {
        Self::Damaged { format, reason: reason.into() }
    }

    /// Pillow's error for a C decoder's buffer overrun (`IMAGING_CODEC_OVERRUN`).
    pub fn overrun() -> Self {
        Self::Decoder { message: "buffer overrun when reading image file" }
    }

    /// Pillow's error for a decoder that found data it does not know
    /// (`IMAGING_CODEC_UNKNOWN`).
    pub fn unrecognized() -> Self {
        Self::Decoder { message: "unrecognized data stream contents when reading image file" }
    }

    /// Pillow's error for a decoder stuck in its data (`IMAGING_CODEC_BROKEN`).
    pub fn broken() -> Self {
        Self::Decoder { message: "broken data stream when reading image file" }
    }
}

impl fmt::Display for CodecError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Damaged { format, reason } | Self::Invalid { format, reason } => {
                write!(f, "cannot read the {format} file: {reason}")
            }
            Self::TooLarge { format, width, height, reason } => {
                write!(f, "the {format} file claims {width}x{height} pixels, too large: {reason}")
            }
            Self::Bomb { format, reason } => {
                write!(f, "cannot read the {format} file: {reason} (a decompression bomb?)")
            }
            Self::CannotWrite { format, reason } => write!(f, "cannot write the {format} file: {reason}"),
            Self::OutOfMemory { bytes } => {
                write!(f, "out of memory: could not allocate {bytes} bytes of wasm memory")
            }
            Self::WrongType { name, expected } => write!(f, "{name} must be {expected}"),
            Self::BadNumber { name, value, expected } => write!(f, "{name} must be {expected}, got {value}"),
            Self::WrongLength { expected, actual, bytes_per_pixel } => {
                write!(f, "pixel data must be width*height*{bytes_per_pixel} = {expected} bytes long, got {actual}")
            }
            Self::BadMode { mode } => write!(f, "mode must be \"L\", \"LA\", \"RGB\" or \"RGBA\", got {mode:?}"),
            Self::Decoder { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for CodecError {}

pub type Result<T> = std::result::Result<T, CodecError>;

/// The largest picture a decode may produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_side: u32,
    pub max_pixels: u64,
}

impl Limits {
    /// Bytes of RGBA for a `width` x `height` picture of `format`, or why
    /// its header's claim is refused; checked before anything is allocated.
    pub fn rgba_len(&self, format: &'static str, width: u32, height: u32) -> Result<usize> {
        let refuse = |reason: String| CodecError::TooLarge { format, width, height, reason };
        if width == 0 || height == 0 {
            return Err(refuse("width and height must be at least 1".into()));
        }
        if width > self.max_side {
            return Err(refuse(format!("width must be at most {}, got {width}", self.max_side)));
        }
        if height > self.max_side {
            return Err(refuse(format!("height must be at most {}, got {height}", self.max_side)));
        }
        let pixels = u64::from(width) * u64::from(height);
        if pixels > self.max_pixels {
            return Err(refuse(format!(
                "{width}x{height} is {pixels} pixels; the maximum image size is {} pixels",
                self.max_pixels
            )));
        }
        usize::try_from(pixels * 4).map_err(|_| CodecError::OutOfMemory { bytes: usize::MAX })
    }
}

/// The most heap a decode uses, whatever the file: its RGBA output and the
/// decoder's own buffers (a progressive JPEG keeps every coefficient, two
/// bytes for each of 64 per block and component), plus a fixed allowance
/// for tables, palettes, rows and the inflate window. The fuzz test checks
/// every decode against it; the page's file is copied in besides.
pub fn decode_memory_bound(rgba_len: usize) -> usize {
    rgba_len.saturating_mul(4).saturating_add(DECODE_WORKSPACE_BYTES)
}

/// The fixed part of [`decode_memory_bound`]; also what the png crate may
/// allocate besides the output (its `Limits`).
pub const DECODE_WORKSPACE_BYTES: usize = 16 * 1024 * 1024;

/// Allocates `len` zero bytes, reporting failure instead of aborting.
pub fn try_alloc(len: usize) -> Result<Vec<u8>> {
    let mut data = Vec::new();
    data.try_reserve_exact(len).map_err(|_| CodecError::OutOfMemory { bytes: len })?;
    data.resize(len, 0);
    Ok(data)
}

/// Decodes `file` once with each byte from `from` on flipped by each of
/// `masks` in turn: a damaged file may fail, never panic.
#[cfg(test)]
pub(crate) fn decode_with_each_byte_flipped(file: &[u8], from: usize, masks: &[u8], decode: impl Fn(&[u8])) {
    let mut flipped = file.to_vec();
    for index in from..flipped.len() {
        for &mask in masks {
            flipped[index] ^= mask;
            decode(&flipped);
            flipped[index] ^= mask;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: Limits = Limits { max_side: 16_384, max_pixels: 64 * 1024 * 1024 };

    #[test]
    fn claims_are_checked_in_order() {
        assert_eq!(LIMITS.rgba_len("PNG", 3, 2), Ok(24));
        let message = |w, h| LIMITS.rgba_len("GIF", w, h).unwrap_err().to_string();
        assert_eq!(message(0, 5), "the GIF file claims 0x5 pixels, too large: width and height must be at least 1");
        assert_eq!(
            message(65_535, 65_535),
            "the GIF file claims 65535x65535 pixels, too large: width must be at most 16384, got 65535"
        );
        assert_eq!(
            message(1, 16_385),
            "the GIF file claims 1x16385 pixels, too large: height must be at most 16384, got 16385"
        );
        assert_eq!(
            message(16_384, 16_384),
            "the GIF file claims 16384x16384 pixels, too large: 16384x16384 is 268435456 pixels; \
             the maximum image size is 67108864 pixels"
        );
    }
}
