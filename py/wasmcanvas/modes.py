"""Image modes, and colours in a mode's terms. Pure Python: importable and
tested without a browser.

Every image is stored as RGBA in wasm memory; its mode says which of those
bytes are its own. "L" keeps its grey in red, green and blue alike with alpha
255, "LA" adds alpha, "RGB" has alpha 255. So a pixel is read and written in
the mode's terms, as Pillow's are:

>>> stored_colour(7, "L"), mode_value((7, 7, 7, 255), "L")
((7, 7, 7, 255), 7)
>>> stored_colour("red", "LA")
(76, 76, 76, 255)
>>> stored_colour((1, 2, 3), "RGBA")
(1, 2, 3, 255)
"""

from __future__ import annotations

from collections.abc import Sequence

from . import ImageColor

RGBA = tuple[int, int, int, int]
ModeValue = int | tuple[int, ...]
Colour = str | int | Sequence[int]
"""A colour as Pillow takes one for a mode (see ``stored_colour``)."""

BANDS: dict[str, tuple[str, ...]] = {
    "L": ("L",),
    "LA": ("L", "A"),
    "RGB": ("R", "G", "B"),
    "RGBA": ("R", "G", "B", "A"),
}
"""The modes wasmcanvas has, with Pillow's band names."""

# The byte of the stored RGBA pixel each band of a mode lives in.
_STORED_BYTE = {"L": (0,), "LA": (0, 3), "RGB": (0, 1, 2), "RGBA": (0, 1, 2, 3)}

# Pillow's other modes, with what to do instead.
_ALTERNATIVES = {
    "1": 'use "L" and point(lambda v: 255 if v >= 128 else 0) for black and white',
    "P": 'use "RGB" or "RGBA": palette images are read as such',
    "PA": 'use "RGBA"',
    "I": 'use "L": pixels have 8 bits a channel',
    "I;16": 'use "L": pixels have 8 bits a channel',
    "F": 'use "L": pixels have 8 bits a channel',
    "CMYK": 'use "RGB"',
    "YCbCr": 'use "RGB"',
    "LAB": 'use "RGB"',
    "HSV": 'use "RGB"',
    "RGBX": 'use "RGB"',
    "RGBa": 'use "RGBA": operations that need premultiplied alpha do it themselves',
    "La": 'use "LA": operations that need premultiplied alpha do it themselves',
}


def check_mode(mode: object) -> str:
    """``mode`` if wasmcanvas has it; Pillow's other modes raise
    ``NotImplementedError`` naming what to use instead.

    >>> check_mode("CMYK")
    Traceback (most recent call last):
    NotImplementedError: mode 'CMYK' is not supported (wasmcanvas has L, LA, RGB and RGBA): use "RGB"
    """
    if not isinstance(mode, str):
        raise TypeError(f"mode must be a str, not {type(mode).__name__}")
    if mode in BANDS:
        return mode
    if mode in _ALTERNATIVES:
        raise NotImplementedError(
            f"mode {mode!r} is not supported (wasmcanvas has L, LA, RGB and RGBA): {_ALTERNATIVES[mode]}"
        )
    raise ValueError(f"unrecognized image mode {mode!r}")


def band_count(mode: str) -> int:
    return len(BANDS[mode])


def stored_byte(mode: str, band: int) -> int:
    """The byte of a stored RGBA pixel that holds ``band`` of ``mode``."""
    return _STORED_BYTE[mode][band]


def has_alpha(mode: str) -> bool:
    return mode in ("LA", "RGBA")


def _component(name: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"colour component {name} must be an int, not {type(value).__name__}")
    if not 0 <= value <= 255:
        raise ValueError(f"colour component {name} must be in 0..255, got {value}")
    return value


def stored_colour(colour: object, mode: str) -> RGBA:
    """The stored RGBA pixel of a colour given as Pillow takes it for
    ``mode``: a colour string, a tuple of the mode's bands ("RGBA" also
    takes three, opaque; "RGB" four, the last ignored), or an int as
    Pillow's ink reads one: the grey of "L" (clipped to 0..255), else the
    bands packed as 32-bit little-endian bytes (so -1 is opaque white, and
    "LA" takes its alpha from the top byte).

    >>> stored_colour(0x0000FF, "RGB"), stored_colour((9, 128), "LA"), stored_colour(-1, "LA")
    ((255, 0, 0, 255), (9, 9, 9, 128), (255, 255, 255, 255))
    """
    if isinstance(colour, str):
        colour = ImageColor.getcolor(colour, mode)
    if isinstance(colour, int) and not isinstance(colour, bool):
        if mode == "L":
            grey = min(max(colour, 0), 255)
            return (grey, grey, grey, 255)
        b0, b1, b2, b3 = (colour & 0xFFFFFFFF).to_bytes(4, "little")
        return {"LA": (b0, b0, b0, b3), "RGB": (b0, b1, b2, 255)}.get(mode, (b0, b1, b2, b3))
    if isinstance(colour, Sequence):
        values = tuple(colour)
        allowed = {"L": (1,), "LA": (2,), "RGB": (3, 4), "RGBA": (3, 4)}[mode]
        if len(values) not in allowed:
            counts = " or ".join(str(count) for count in allowed)
            raise ValueError(f"a colour for mode {mode} needs {counts} components, got {len(values)}")
    else:
        raise TypeError(
            f"a colour for mode {mode} must be an int, a tuple or a colour string, not {type(colour).__name__}"
        )
    names = {"L": "L", "LA": "LA", "RGB": "rgba", "RGBA": "rgba"}[mode]
    checked = [_component(name, value) for name, value in zip(names, values, strict=False)]
    if mode == "L":
        return (checked[0], checked[0], checked[0], 255)
    if mode == "LA":
        return (checked[0], checked[0], checked[0], checked[1])
    if mode == "RGB" or len(checked) == 3:
        return (checked[0], checked[1], checked[2], 255)
    return (checked[0], checked[1], checked[2], checked[3])


def mode_value(pixel: Sequence[int], mode: str) -> ModeValue:
    """A stored RGBA pixel in ``mode``'s terms: an int for "L", a tuple of
    its bands otherwise (Pillow's ``getpixel``)."""
    if mode == "L":
        return int(pixel[0])
    return tuple(int(pixel[byte]) for byte in _STORED_BYTE[mode])


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
