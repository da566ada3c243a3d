"""Pillow's ``PIL.ImageMode``: what each image mode is made of. Pure Python.

>>> getmode("YCbCr").bands, getmode("I;16B").typestr
(('Y', 'Cb', 'Cr'), '>u2')
>>> str(getmode("RGBA")), getmode("P").basemode, getmode("F").basetype
('RGBA', 'P', 'F')
"""

from __future__ import annotations

import sys
from functools import lru_cache
from typing import NamedTuple

__all__ = ["ModeDescriptor", "getmode"]


class ModeDescriptor(NamedTuple):
    """A mode's name, band names, base mode ("L", "RGB" or "P"), base
    storage type ("L", "I" or "F") and NumPy type string, as Pillow's."""

    mode: str
    bands: tuple[str, ...]
    basemode: str
    basetype: str
    typestr: str

    def __str__(self) -> str:
        return self.mode


_NATIVE = "<" if sys.byteorder == "little" else ">"

# mode: (bands, base mode, base type, type string); Pillow's table.
_MODES: dict[str, tuple[tuple[str, ...], str, str, str]] = {
    "1": (("1",), "L", "L", "|b1"),
    "L": (("L",), "L", "L", "|u1"),
    "I": (("I",), "L", "I", f"{_NATIVE}i4"),
    "F": (("F",), "L", "F", f"{_NATIVE}f4"),
    "P": (("P",), "P", "L", "|u1"),
    "RGB": (("R", "G", "B"), "RGB", "L", "|u1"),
    "RGBX": (("R", "G", "B", "X"), "RGB", "L", "|u1"),
    "RGBA": (("R", "G", "B", "A"), "RGB", "L", "|u1"),
    "CMYK": (("C", "M", "Y", "K"), "RGB", "L", "|u1"),
    "YCbCr": (("Y", "Cb", "Cr"), "RGB", "L", "|u1"),
    "LAB": (("L", "A", "B"), "RGB", "L", "|u1"),
    "HSV": (("H", "S", "V"), "RGB", "L", "|u1"),
    "RGBa": (("R", "G", "B", "a"), "RGB", "L", "|u1"),
    "LA": (("L", "A"), "L", "L", "|u1"),
    "La": (("L", "a"), "L", "L", "|u1"),
    "PA": (("P", "A"), "RGB", "L", "|u1"),
}

# The raw integer layouts Pillow names as modes (only some are image modes).
_INTEGER_MODES = {
    "I;16": "<u2",
    "I;16S": "<i2",
    "I;16L": "<u2",
    "I;16LS": "<i2",
    "I;16B": ">u2",
    "I;16BS": ">i2",
    "I;16N": f"{_NATIVE}u2",
    "I;16NS": f"{_NATIVE}i2",
    "I;32": "<u4",
    "I;32B": ">u4",
    "I;32L": "<u4",
    "I;32S": "<i4",
    "I;32BS": ">i4",
    "I;32LS": "<i4",
}


@lru_cache
def getmode(mode: str) -> ModeDescriptor:
    """The descriptor of ``mode``; ``KeyError`` for a name Pillow does not
    know (as Pillow's)."""
    if mode in _MODES:
        bands, basemode, basetype, typestr = _MODES[mode]
        return ModeDescriptor(mode, bands, basemode, basetype, typestr)
    return ModeDescriptor(mode, ("I",), "L", "L", _INTEGER_MODES[mode])
