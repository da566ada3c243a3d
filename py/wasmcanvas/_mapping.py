"""Which files Pillow memory-maps at ``load()``, read from their header in
pure Python (tested on the host).

Pillow maps a file opened from a path when its pixels are one stretch of
uncompressed rows already in the image's own layout ("L", "P", "RGBA"...,
its ``_MAPMODES``) and the file holds all of them; such an image is
``readonly`` after loading (written pixels go to a copy). wasmcanvas decodes
every file into its own memory, so nothing is mapped, but ``readonly``
follows Pillow's. Known here: uncompressed 8-bit BMP ("L" and "P"), 32-bit
BMP whose bit fields are RGBA in byte order, and 8-bit binary PGM.

>>> maps_file(b"P5 2 1 255\\n\\x00\\x01", "PPM", "L")
True
"""

from __future__ import annotations

from ._headers import _netpbm_token

__all__ = ["maps_file"]

_RGBA_IN_BYTE_ORDER = (0xFF, 0xFF00, 0xFF0000, 0xFF000000)


def _u16(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little")


def _u32(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def _bmp_maps(data: bytes, mode: str) -> bool:
    """Pillow's BMP reader gives a raw tile in the mode's own layout for
    uncompressed palette rows of 8 bits ("P"; greys "L" at up to 8 bits),
    and for 32-bit RGBA bit fields in a header that has an alpha mask."""
    if len(data) < 26:
        return False
    header_size = _u32(data, 14)
    if header_size == 12:
        width, height, bits, compression, colours = _u16(data, 18), _u16(data, 20), _u16(data, 24), 0, 0
        entry = 3
    elif header_size in (40, 52, 56, 64, 108, 124) and len(data) >= 50:
        width = int.from_bytes(data[18:22], "little", signed=True)
        height = abs(int.from_bytes(data[22:26], "little", signed=True))
        bits, compression, colours = _u16(data, 28), _u32(data, 30), _u32(data, 46)
        entry = 4
    else:
        return False
    if compression == 0 and ((mode == "L" and bits <= 8) or (mode == "P" and bits == 8)):
        pixel = 1
    elif compression == 3 and bits == 32 and mode == "RGBA" and header_size >= 56:
        masks = tuple(_u32(data, 54 + 4 * band) for band in range(4))
        if masks != _RGBA_IN_BYTE_ORDER:
            return False
        pixel = 4
    else:
        return False
    offset = _u32(data, 10)
    if offset == 14 + header_size and bits <= 8:
        # A file that does not say where its rows start has them after the palette.
        offset += entry * (colours or 1 << bits)
    stride = max(((width * bits + 31) >> 3) & ~3, width * pixel)
    return offset + height * stride <= len(data)


def _pgm_maps(data: bytes, mode: str) -> bool:
    """Pillow reads a binary PGM of maxval 255 with the raw "L" decoder."""
    if data[:2] != b"P5" or mode != "L":
        return False
    at, numbers = 2, []
    for _ in range(3):
        token, at = _netpbm_token(data, at)
        if not token.isdigit():
            return False
        numbers.append(int(token))
    width, height, maxval = numbers
    return maxval == 255 and at + width * height <= len(data)


def maps_file(data: bytes, format: str, mode: str) -> bool:
    """Whether Pillow memory-maps this file (of ``format``, opened as
    ``mode``) when it is loaded from a path."""
    if format == "BMP":
        return _bmp_maps(data, mode)
    if format == "PPM":
        return _pgm_maps(data, mode)
    return False
