"""Pillow's ``PIL.ImagePalette``: the colour table of a "P" or "PA" image.
Pure Python.

>>> palette = ImagePalette.ImagePalette("RGB", [0, 0, 0, 255, 0, 0])
>>> palette.getcolor((255, 0, 0)), palette.getcolor((0, 0, 255)), palette.tobytes()
(1, 2, b'\\x00\\x00\\x00\\xff\\x00\\x00\\x00\\x00\\xff')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

__all__ = ["ImagePalette", "negative", "random", "raw", "sepia", "wedge"]

# Where red, green, blue and alpha sit in an entry of each byte layout a
# palette's raw data may have (None: the entry has no alpha, so opaque).
_LAYOUTS: dict[str, tuple[int, tuple[int, int, int], int | None]] = {
    "RGB": (3, (0, 1, 2), None),
    "RGBA": (4, (0, 1, 2), 3),
    "RGBX": (4, (0, 1, 2), None),
    "RGBAX": (5, (0, 1, 2), 3),
    "ARGB": (4, (1, 2, 3), 0),
    "BGR": (3, (2, 1, 0), None),
    "BGRX": (4, (2, 1, 0), None),
    "BGRA": (4, (2, 1, 0), 3),
    "L": (1, (0, 0, 0), None),
    "LA": (2, (0, 0, 0), 1),
}


def _cmyk_to_rgb(cmyk: bytes) -> bytes:
    """A CMYK colour as RGB, as Pillow's palette unpacker gives it: each of
    C, M and Y taken off the white left by K (rounded as its MULDIV255)."""
    white = 255 - cmyk[3]

    def scaled(value: int) -> int:
        product = value * white + 128
        return (product + (product >> 8)) >> 8

    return bytes(max(0, white - scaled(value)) for value in cmyk[:3])


def unpack(rawmode: str, data: Sequence[int] | bytes, mode: str) -> bytes:
    """Palette bytes in ``rawmode``'s layout as entries of ``mode`` ("RGB"
    or "RGBA"; Pillow's palette unpackers), at most 256 of them; a partial
    last entry is dropped. ``ValueError`` for a layout it does not know.

    >>> unpack("BGR", bytes([1, 2, 3]), "RGBA"), unpack("L", bytes([7]), "RGB")
    (b'\\x03\\x02\\x01\\xff', b'\\x07\\x07\\x07')
    """
    raw = bytes(data)
    if rawmode == "CMYK":
        rgb = b"".join(_cmyk_to_rgb(raw[i : i + 4]) for i in range(0, len(raw) - 3, 4))
        return unpack("RGB", rgb, mode)
    if rawmode not in _LAYOUTS:
        raise ValueError(f"unrecognized raw mode {rawmode!r}")
    width, (red, green, blue), alpha = _LAYOUTS[rawmode]
    out = bytearray()
    for start in range(0, min(len(raw) // width, 256) * width, width):
        out += bytes((raw[start + red], raw[start + green], raw[start + blue]))
        if mode == "RGBA":
            out.append(255 if alpha is None else raw[start + alpha])
    return bytes(out)


class ImagePalette:
    """A palette of ``mode`` ("RGB" or "RGBA") colours, its bytes entry
    after entry; ``colors`` maps each colour to its first index."""

    def __init__(self, mode: str = "RGB", palette: Sequence[int] | bytes | None = None) -> None:
        self.mode = mode
        self.rawmode: str | None = None
        self._palette = bytearray(palette or b"")
        self._colors: dict[tuple[int, ...], int] | None = None
        self.dirty: int | None = None

    @property
    def palette(self) -> bytearray:
        return self._palette

    @palette.setter
    def palette(self, palette: Sequence[int] | bytes) -> None:
        self._colors = None
        self._palette = bytearray(palette)

    @property
    def colors(self) -> dict[tuple[int, ...], int]:
        if self._colors is None:
            width = len(self.mode)
            data = self._palette
            if self.rawmode and self.rawmode != self.mode:
                # Raw data is read through its layout, left as it is (Pillow's).
                data = bytearray(unpack(self.rawmode, data, self.mode))
            found: dict[tuple[int, ...], int] = {}
            for start in range(0, len(data) - width + 1, width):
                found.setdefault(tuple(data[start : start + width]), start // width)
            self._colors = found
        return self._colors

    @colors.setter
    def colors(self, colors: dict[tuple[int, ...], int]) -> None:
        self._colors = colors

    def copy(self) -> ImagePalette:
        new = ImagePalette(self.mode, self._palette)
        new.rawmode = self.rawmode
        new.dirty = self.dirty
        return new

    def getdata(self) -> tuple[str, bytes]:
        """``(rawmode, data)``: the layout of the bytes and the bytes."""
        return (self.rawmode or self.mode), bytes(self._palette)

    def tobytes(self) -> bytes:
        if self.rawmode:
            raise ValueError("palette contains raw palette data")
        return bytes(self._palette)

    tostring = tobytes

    def getcolor(self, color: tuple[int, ...], image: Any = None) -> int:
        """The index of ``color``, added at the end if the palette has not
        got it (``ValueError`` past 256 colours, unless ``image`` has an
        unused index to take)."""
        if self.rawmode:
            raise ValueError("palette contains raw palette data")
        if not isinstance(color, tuple):
            raise ValueError(f"unknown color specifier: {color!r}")
        if self.mode == "RGB" and len(color) == 4:
            if color[3] != 255:
                raise ValueError("cannot add non-opaque RGBA color to RGB palette")
            color = color[:3]
        elif self.mode == "RGBA" and len(color) == 3:
            color = (*color, 255)
        if color in self.colors:
            return self.colors[color]
        index = self._free_index(image)
        width = len(self.mode)
        if (index + 1) * width <= len(self._palette):
            # An entry reused: the colour it held leaves the lookup too.
            self._palette[index * width : (index + 1) * width] = bytes(color)
            self._colors = None
        else:
            self._palette += bytes(color)
        self.colors[color] = index
        self.dirty = 1
        return index

    def _free_index(self, image: Any) -> int:
        index = len(self._palette) // len(self.mode)
        special: tuple[Any, ...] = ()
        if image is not None:
            special = (image.info.get("background"), image.info.get("transparency"))
            while index in special:
                # A background or transparency index past the end is made
                # black, as Pillow's, so that the new colour lands after it.
                self._palette += bytes(len(self.mode))
                index += 1
        if index >= 256 and image is not None:
            # Pillow takes the last unused level of the whole histogram (of
            # every band: past 255 for a "PA" image, which then fails).
            for candidate, count in reversed(list(enumerate(image.histogram()))):
                if count == 0 and candidate not in special:
                    index = int(candidate)
                    break
        if index >= 256:
            raise ValueError("cannot allocate more than 256 colors")
        return index


def raw(rawmode: str, data: Sequence[int] | bytes) -> ImagePalette:
    """A palette of bytes in ``rawmode``'s layout (Pillow's ``raw``): "RGB"
    is the palette's own; another stays raw (``rawmode`` set) until the
    image it is given to uses it, which reads it into "RGB" entries.

    >>> raw("RGB", b"\x01\x02\x03").rawmode, raw("BGR", b"\x01\x02\x03").rawmode
    (None, 'BGR')
    """
    palette = ImagePalette()
    if rawmode != "RGB":
        palette.rawmode = rawmode
    palette.palette = data
    palette.dirty = 1
    return palette


def _ramp(values: Sequence[int], mode: str) -> ImagePalette:
    return ImagePalette(mode, [value for value in values for _ in range(len(mode))])


def wedge(mode: str = "RGB") -> ImagePalette:
    """The grey ramp 0..255."""
    return _ramp(range(256), mode)


def negative(mode: str = "RGB") -> ImagePalette:
    """The grey ramp 255..0."""
    return _ramp(range(255, -1, -1), mode)


def random(mode: str = "RGB") -> ImagePalette:
    """256 random colours (Pillow's).

    >>> len(random().palette)
    768
    """
    from random import randint

    return ImagePalette(mode, [randint(0, 255) for _ in range(256 * len(mode))])


def sepia(white: str = "#fff0c0") -> ImagePalette:
    """256 shades from black to ``white``."""
    from .ImageColor import getrgb

    red, green, blue = getrgb(white)[:3]
    return ImagePalette("RGB", [level * band // 255 for level in range(256) for band in (red, green, blue)])
