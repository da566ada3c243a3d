"""The size a picture file claims, read from its header before anything
decodes it: a small file can declare a huge picture (a "decompression bomb"),
and the editor refuses it without letting the browser inflate it. Also a
JPEG's EXIF block, whose orientation the editor reports.

>>> picture_size(b"\\x89PNG\\r\\n\\x1a\\n\\x00\\x00\\x00\\rIHDR\\x00\\x00\\x4e\\x20\\x00\\x00\\x4e\\x20")
(20000, 20000)
"""

from __future__ import annotations

HEADER_BYTES = 256 * 1024
"""How much of a file to read to find its size (JPEG metadata may come first)."""

_JPEG_FRAMES = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _be(data: bytes, start: int, size: int) -> int:
    return int.from_bytes(data[start : start + size], "big")


def _le(data: bytes, start: int, size: int, signed: bool = False) -> int:
    return int.from_bytes(data[start : start + size], "little", signed=signed)


def picture_size(header: bytes) -> tuple[int, int] | None:
    """``(width, height)`` of a PNG, JPEG, GIF, BMP or WebP file from its first
    bytes, or None when the format is unknown or the header is cut short."""
    if header[:8] == b"\x89PNG\r\n\x1a\n" and header[12:16] == b"IHDR" and len(header) >= 24:
        return _be(header, 16, 4), _be(header, 20, 4)
    if header[:6] in (b"GIF87a", b"GIF89a") and len(header) >= 10:
        return _le(header, 6, 2), _le(header, 8, 2)
    if header[:2] == b"BM" and len(header) >= 26:
        return abs(_le(header, 18, 4, signed=True)), abs(_le(header, 22, 4, signed=True))
    if header[:4] == b"RIFF" and header[8:12] == b"WEBP":
        return _webp_size(header)
    if header[:2] == b"\xff\xd8":
        return _jpeg_size(header)
    return None


def _webp_size(header: bytes) -> tuple[int, int] | None:
    chunk = header[12:16]
    if chunk == b"VP8 " and len(header) >= 30:
        return _le(header, 26, 2) & 0x3FFF, _le(header, 28, 2) & 0x3FFF
    if chunk == b"VP8L" and len(header) >= 25:
        bits = _le(header, 21, 4)
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(header) >= 30:
        return _le(header, 24, 3) + 1, _le(header, 27, 3) + 1
    return None


def _jpeg_size(header: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 9 <= len(header):
        if header[at] != 0xFF:
            return None
        marker = header[at + 1]
        if marker == 0xFF:
            at += 1
            continue
        if marker in _JPEG_FRAMES:
            return _be(header, at + 7, 2), _be(header, at + 5, 2)
        at += 2 + _be(header, at + 2, 2)
    return None


def jpeg_exif(header: bytes) -> bytes | None:
    """The EXIF block (an APP1 segment's ``Exif\\0\\0...`` payload) of a
    JPEG from its first bytes, or None.

    >>> jpeg_exif(b"\\xff\\xd8\\xff\\xe1\\x00\\x08Exif\\x00\\x00\\xff\\xdb")
    b'Exif\\x00\\x00'
    """
    if header[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 4 <= len(header) and header[at] == 0xFF:
        marker, length = header[at + 1], _be(header, at + 2, 2)
        if marker in _JPEG_FRAMES or marker == 0xDA or length < 2:
            return None
        payload = header[at + 4 : at + 2 + length]
        if marker == 0xE1 and payload.startswith(b"Exif\x00\x00"):
            return payload
        at += 2 + length
    return None
