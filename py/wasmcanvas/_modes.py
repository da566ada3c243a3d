"""Image modes, and colours in a mode's terms. Pure Python: importable and
tested without a browser.

Every image keeps 4 bytes a pixel in wasm memory, whatever its mode, so the
kernels that only move pixels (copy, crop, transpose, paste, fill...) work on
every mode alike; the mode says what those bytes are. "L" keeps its grey in
red, green and blue alike with alpha 255, "LA" adds alpha, "RGB" has alpha
255; "1" is "L" holding 0 or 255; "P" keeps its palette index where "L" keeps
its grey ("PA" adds alpha); "La" and "RGBa" are "LA" and "RGBA" premultiplied;
"I" is an int32 and "F" a float32, little-endian, in the 4 bytes; the 16-bit
modes ("I;16", "I;16L", "I;16B", "I;16N") keep their value as a little-endian
u32 (so they widen to "I" by copying); "RGBX" and "CMYK" are their 4 bytes;
"YCbCr", "LAB" and "HSV" are 3 bands and a padding byte of 255 (Pillow's
own layout). A pixel is read and written in the mode's terms, as Pillow's are:

>>> stored_colour(7, "L"), mode_value((7, 7, 7, 255), "L")
((7, 7, 7, 255), 7)
>>> stored_colour("red", "LA")
(76, 76, 76, 255)
>>> stored_colour((1, 2, 3), "RGBA")
(1, 2, 3, 255)
>>> stored_colour(-2, "I"), mode_value((0, 0, 192, 63), "F"), stored_colour(258, "I;16B")
((254, 255, 255, 255), 1.5, (2, 1, 0, 0))
"""

from __future__ import annotations

import struct
from collections.abc import Callable, Sequence

from . import ImageColor, ImageMode

RGBA = tuple[int, int, int, int]
ModeValue = int | float | tuple[int, ...]
Colour = str | int | float | Sequence[int]
"""A colour as Pillow takes one for a mode (see ``stored_colour``)."""

MODES: tuple[str, ...] = ("1", "CMYK", "F", "HSV", "I", "I;16", "I;16B", "I;16L", "I;16N", "L", "LA", "La", "LAB")
MODES += ("P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "YCbCr")
"""The image modes, Pillow's ``Image.MODES``."""

BANDS: dict[str, tuple[str, ...]] = {mode: ImageMode.getmode(mode).bands for mode in MODES}
"""Each mode's band names, as Pillow's ``getbands()``."""

SIXTEEN_BIT = ("I;16", "I;16L", "I;16B", "I;16N")
WIDE = ("I", "F", *SIXTEEN_BIT)
"""The modes whose one value takes more than a byte of the stored pixel."""

# The byte of the stored pixel each band of a mode lives in.
_STORED_BYTE: dict[str, tuple[int, ...]] = {}
for _mode, _bands in BANDS.items():
    if len(_bands) == 2:
        _STORED_BYTE[_mode] = (0, 3)
    else:
        _STORED_BYTE[_mode] = tuple(range(len(_bands)))

CARRIER = {"1": "L", "L": "L", "P": "L", "LA": "LA", "La": "LA", "PA": "LA"}
CARRIER |= {mode: "RGB" for mode in ("RGB", "YCbCr", "LAB", "HSV")}
CARRIER |= {mode: "RGBA" for mode in ("RGBA", "RGBX", "CMYK", "RGBa", "I", "F", *SIXTEEN_BIT)}
"""The 8-bit mode whose packing in rust_image ("L", "LA", "RGB" or "RGBA")
turns a mode's stored pixels into Pillow's bytes and back (the 16-bit modes
and "1" then repack those)."""

OPAQUE = ("L", "RGB", "1", "P", "YCbCr", "LAB", "HSV")
"""The modes whose fourth stored byte is padding kept at 255."""


def check_mode(mode: object) -> str:
    """``mode`` if it is one of Pillow's image modes, else Pillow's
    ``ValueError``.

    >>> check_mode("CMYK")
    'CMYK'
    >>> check_mode("I;32")
    Traceback (most recent call last):
    ValueError: unrecognized image mode 'I;32'
    """
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a str, not {type(mode).__name__}")
    if mode in BANDS:
        return mode
    raise ValueError(f"unrecognized image mode {mode!r}")


def band_count(mode: str) -> int:
    return len(BANDS[mode])


def stored_byte(mode: str, band: int) -> int:
    """The byte of a stored RGBA pixel that holds ``band`` of ``mode``."""
    return _STORED_BYTE[mode][band]


def has_alpha(mode: str) -> bool:
    return mode in ("LA", "RGBA", "PA", "La", "RGBa")


def _component(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"colour component {name} must be an int, not {type(value).__name__}")
    if not 0 <= value <= 255:
        raise ValueError(f"colour component {name} must be in 0..255, got {value}")
    return value


def _family(mode: str) -> str:
    """The 8-bit mode whose colour rules ``mode`` follows."""
    return ("L", "LA", "RGB", "RGBA")[len(BANDS[mode]) - 1]


def _wide_colour(colour: object, mode: str) -> RGBA:
    """The stored bytes of a value of "I", "F" or a 16-bit mode, as
    Pillow's ink takes it (an int, "F" a float too; a 1-tuple of one)."""
    if isinstance(colour, str):
        colour = ImageColor.getcolor(colour, mode)
    if isinstance(colour, tuple) and len(colour) == 1:
        colour = colour[0]
    if mode == "F":
        if isinstance(colour, bool) or not isinstance(colour, (int, float)):
            raise TypeError(f"a colour for mode F must be a number, not {type(colour).__name__}")
        packed = struct.pack("<f", colour)
    else:
        if isinstance(colour, bool) or not isinstance(colour, int):
            raise TypeError("color must be int or single-element tuple")
        value = colour & 0xFFFF if mode in SIXTEEN_BIT else colour & 0xFFFFFFFF
        packed = value.to_bytes(4, "little")
    return (packed[0], packed[1], packed[2], packed[3])


def stored_colour(colour: object, mode: str) -> RGBA:
    """The stored pixel of a colour given as Pillow takes it for ``mode``:
    a colour string, a tuple of the mode's bands (four-band modes also take
    three, opaque; three-band modes four, the last ignored), or an int as
    Pillow's ink reads one: the grey of "L" (clipped to 0..255), else the
    bands packed as 32-bit little-endian bytes (so -1 is opaque white, and
    "LA" takes its alpha from the top byte). "I", "F" and the 16-bit modes
    take their number. "P" and "PA" take the index (the caller maps an RGB
    tuple through the palette first).

    >>> stored_colour(0x0000FF, "RGB"), stored_colour((9, 128), "LA"), stored_colour(-1, "LA")
    ((255, 0, 0, 255), (9, 9, 9, 128), (255, 255, 255, 255))
    """
    if mode in WIDE:
        return _wide_colour(colour, mode)
    family = _family(mode)
    if isinstance(colour, str):
        colour = ImageColor.getcolor(colour, mode)
        if mode == "P" and isinstance(colour, tuple):
            raise ValueError("a colour string for a P image needs its palette: use Image.new or putpixel")
    if isinstance(colour, int) and not isinstance(colour, bool):
        if family == "L":
            grey = min(max(colour, 0), 255)
            return (grey, grey, grey, 255)
        b0, b1, b2, b3 = (colour & 0xFFFFFFFF).to_bytes(4, "little")
        return {"LA": (b0, b0, b0, b3), "RGB": (b0, b1, b2, 255)}.get(family, (b0, b1, b2, b3))
    if isinstance(colour, Sequence):
        values = tuple(colour)
        allowed = {"L": (1,), "LA": (2,), "RGB": (3, 4), "RGBA": (3, 4)}[family]
        if len(values) not in allowed:
            counts = " or ".join(str(count) for count in allowed)
            raise ValueError(f"a colour for mode {mode} needs {counts} components, got {len(values)}")
    else:
        raise TypeError(
            f"a colour for mode {mode} must be an int, a tuple or a colour string, not {type(colour).__name__}"
        )
    names = {"L": "L", "LA": "LA", "RGB": "rgba", "RGBA": "rgba"}[family]
    checked = [_component(name, value) for name, value in zip(names, values, strict=False)]
    if family == "L":
        return (checked[0], checked[0], checked[0], 255)
    if family == "LA":
        return (checked[0], checked[0], checked[0], checked[1])
    if family == "RGB" or len(checked) == 3:
        return (checked[0], checked[1], checked[2], 255)
    return (checked[0], checked[1], checked[2], checked[3])


def mode_value(pixel: Sequence[int], mode: str) -> ModeValue:
    """A stored pixel in ``mode``'s terms: an int for "1", "L", "P", "I"
    and the 16-bit modes, a float for "F", a tuple of the bands otherwise
    (Pillow's ``getpixel``)."""
    if mode in ("L", "1", "P"):
        return int(pixel[0])
    if mode in WIDE:
        packed = bytes(pixel[:4])
        if mode == "F":
            return float(struct.unpack("<f", packed)[0])
        return int.from_bytes(packed, "little", signed=mode == "I")
    return tuple(int(pixel[byte]) for byte in _STORED_BYTE[mode])


def word_value(word: int, mode: str) -> ModeValue:
    """A stored pixel given as one word, its four bytes read as a
    little-endian u32 (rust_image's ``pixel_word``), in ``mode``'s terms, as
    ``mode_value`` gives it.

    >>> word_value(0xFF332211, "RGBA"), word_value(0xFF070707, "L"), word_value(0xFFFFFFFE, "I")
    ((17, 34, 51, 255), 7, -2)
    """
    return _WORD_VALUE[mode](word)


def _word_bands(stored: tuple[int, ...]) -> Callable[[int], tuple[int, ...]]:
    shifts = tuple(8 * byte for byte in stored)
    return lambda word: tuple(word >> shift & 0xFF for shift in shifts)


_WORD_VALUE: dict[str, Callable[[int], ModeValue]] = {
    mode: _word_bands(stored) for mode, stored in _STORED_BYTE.items() if mode not in WIDE
}
_WORD_VALUE |= {mode: lambda word: word & 0xFF for mode in ("L", "1", "P")}
_WORD_VALUE |= {mode: lambda word: word for mode in SIXTEEN_BIT}
_WORD_VALUE["I"] = lambda word: word - (1 << 32) if word >> 31 else word
_WORD_VALUE["F"] = lambda word: float(struct.unpack("<f", word.to_bytes(4, "little"))[0])


def band_index(mode: str, channel: int | str) -> int:
    """The index of a band given by index or Pillow's name ("R", "A"...).

    >>> band_index("RGBA", "A"), band_index("LA", 1)
    (3, 1)
    """
    bands = BANDS[mode]
    if isinstance(channel, str):
        if channel not in bands:
            raise ValueError(f'The image has no channel "{channel}"')
        return bands.index(channel)
    if isinstance(channel, bool) or not isinstance(channel, int):
        raise TypeError(f"channel must be an int or a band name, not {type(channel).__name__}")
    if not 0 <= channel < len(bands):
        raise ValueError(f"channel must be 0 to {len(bands) - 1} for mode {mode}, got {channel}")
    return channel


BLITTABLE = ("L", "LA", "RGB", "RGBA")
"""The modes whose stored bytes a canvas or a file encoder takes as they are."""

BYTE_KERNEL_MODES = ("L", "LA", "RGB", "RGBA", "1", "YCbCr", "LAB", "HSV")
"""The modes whose stored bytes the 8-bit kernels (filters, resampling,
blending) treat as Pillow treats the mode's bands: independent channels,
with true alpha or a pad of 255 in the fourth byte."""

PLAIN_BAND_MODES = ("La", "RGBa", "RGBX", "CMYK", "PA")
"""The modes whose stored bytes Pillow filters and resamples as plain
bands (no alpha to premultiply; "PA" its palette indices as numbers): the
8-bit kernels' plain flavour."""

_BITS = bytes.maketrans(b"01", b"\x00\xff")


def pack(carried: bytes, mode: str, width: int) -> bytes:
    """Pillow's raw bytes of ``mode`` from the pixels in its carrier's
    layout (see ``CARRIER``): "1" takes 8 pixels a byte, the first the
    highest bit, each row padded to a whole byte; the 16-bit modes take 2
    bytes a pixel, "I;16B" big-endian; "LAB" has a and b signed.

    >>> pack(bytes([0, 255, 0, 255, 255, 0, 0, 0, 0]), "1", 9)
    b'X\\x00'
    >>> pack(bytes([1, 2, 0, 0]), "I;16B", 1)
    b'\\x02\\x01'
    """
    if mode == "1":
        row_bytes = -(-width // 8)
        out = bytearray()
        for start in range(0, len(carried), width):
            row = carried[start : start + width]
            bits = "".join("1" if value else "0" for value in row).ljust(row_bytes * 8, "0")
            out += int(bits, 2).to_bytes(row_bytes, "big")
        return bytes(out)
    if mode == "LAB":
        return _lab_signs(carried)
    if mode in SIXTEEN_BIT:
        out = bytearray(len(carried) // 2)
        low, high = (1, 0) if mode == "I;16B" else (0, 1)
        out[low::2] = carried[0::4]
        out[high::2] = carried[1::4]
        return bytes(out)
    return carried


_FLIP_SIGN = bytes(value ^ 128 for value in range(256))


def _lab_signs(data: bytes) -> bytes:
    """ "LAB" with its a and b bands signed (Pillow's raw layout) or
    offset by 128 (how Pillow stores them): the same flip both ways."""
    out = bytearray(data)
    out[1::3] = data[1::3].translate(_FLIP_SIGN)
    out[2::3] = data[2::3].translate(_FLIP_SIGN)
    return bytes(out)


def packed_size(mode: str, width: int, height: int) -> int:
    """How many bytes Pillow's raw layout of ``mode`` takes."""
    if mode == "1":
        return -(-width // 8) * height
    if mode in SIXTEEN_BIT:
        return 2 * width * height
    return len(CARRIER[mode]) * width * height


def unpack(data: bytes, mode: str, width: int) -> bytes:
    """The carrier-layout bytes of Pillow's raw bytes of ``mode`` (the
    inverse of ``pack``; "1" reads any set bit as 255).

    >>> unpack(b"\\x80", "1", 2), unpack(b"\\x02\\x01", "I;16B", 1)
    (b'\\xff\\x00', b'\\x01\\x02\\x00\\x00')
    """
    if mode == "1":
        row_bytes = -(-width // 8)
        out = bytearray()
        for start in range(0, len(data), row_bytes):
            row = data[start : start + row_bytes]
            bits = format(int.from_bytes(row, "big"), f"0{row_bytes * 8}b")[:width]
            out += bits.encode("ascii").translate(_BITS)
        return bytes(out)
    if mode == "LAB":
        return _lab_signs(data)
    if mode in SIXTEEN_BIT:
        out = bytearray(len(data) * 2)
        low, high = (1, 0) if mode == "I;16B" else (0, 1)
        out[0::4] = data[low::2]
        out[1::4] = data[high::2]
        return bytes(out)
    return data


def wide_values(stored: bytes, mode: str) -> list[int] | list[float]:
    """The values of "I", "F" or a 16-bit mode from its stored bytes.

    >>> wide_values(bytes([255, 255, 255, 255, 0, 0, 128, 63]), "I")
    [-1, 1065353216]
    """
    view = memoryview(stored)
    if mode == "F":
        return [float(value) for value in view.cast("f")]
    return list(view.cast("i" if mode == "I" else "I"))
