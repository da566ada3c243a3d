"""Integers to and from bytes, under the names of Pillow's ``PIL._binary``
(which Pillow code and Pillow's tests import): ``i`` reads, ``o`` writes,
``si`` reads signed; ``le``/``be`` give the byte order.

>>> o16le(0x1234), i32be(b"\\x00\\x00\\x01\\x00"), si16le(b"\\xff\\xff")
(b'4\\x12', 256, -1)
"""

from __future__ import annotations

import struct

__all__ = [
    "i8",
    "i16be",
    "i16le",
    "i32be",
    "i32le",
    "o8",
    "o16be",
    "o16le",
    "o32be",
    "o32le",
    "si16be",
    "si16le",
    "si32be",
    "si32le",
]


def i8(data: bytes) -> int:
    return data[0]


def o8(value: int) -> bytes:
    """The low byte of ``value``; the wider writers refuse what does not fit
    (``OverflowError``), as Pillow's do."""
    return bytes((value & 255,))


_U16LE, _U16BE, _S16LE, _S16BE = (struct.Struct(layout) for layout in ("<H", ">H", "<h", ">h"))
_U32LE, _U32BE, _S32LE, _S32BE = (struct.Struct(layout) for layout in ("<I", ">I", "<i", ">i"))


def i16le(data: bytes, offset: int = 0) -> int:
    return int(_U16LE.unpack_from(data, offset)[0])


def si16le(data: bytes, offset: int = 0) -> int:
    return int(_S16LE.unpack_from(data, offset)[0])


def i16be(data: bytes, offset: int = 0) -> int:
    return int(_U16BE.unpack_from(data, offset)[0])


def si16be(data: bytes, offset: int = 0) -> int:
    return int(_S16BE.unpack_from(data, offset)[0])


def i32le(data: bytes, offset: int = 0) -> int:
    return int(_U32LE.unpack_from(data, offset)[0])


def si32le(data: bytes, offset: int = 0) -> int:
    return int(_S32LE.unpack_from(data, offset)[0])


def i32be(data: bytes, offset: int = 0) -> int:
    return int(_U32BE.unpack_from(data, offset)[0])


def si32be(data: bytes, offset: int = 0) -> int:
    return int(_S32BE.unpack_from(data, offset)[0])


def o16le(value: int) -> bytes:
    return value.to_bytes(2, "little")


def o16be(value: int) -> bytes:
    return value.to_bytes(2, "big")


def o32le(value: int) -> bytes:
    return value.to_bytes(4, "little")


def o32be(value: int) -> bytes:
    return value.to_bytes(4, "big")
