"""Pillow's ``PIL.PngImagePlugin``: the class of the PNG files ``Image.open``
returns, for code and tests that check ``isinstance(im, PngImagePlugin.PngImageFile)``.

>>> type(Image.open(data)).__name__
'PngImageFile'
"""

from __future__ import annotations

import zlib
from typing import IO, Any

from ._binary import i16be as i16
from ._binary import i32be as i32
from ._binary import o8
from ._binary import o16be as o16
from ._binary import o32be as o32
from .apng import ApngFrames, Blend, Disposal
from .headers import iTXt, png_text
from .ImageFile import ImageFile

__all__ = ["Blend", "Disposal", "PngImageFile", "PngInfo", "i16", "i32", "iTXt", "o8", "o16", "o32", "putchunk"]

# The eight bytes every PNG file starts with (Pillow's private name, which its tests use).
_MAGIC = b"\x89PNG\r\n\x1a\n"


def putchunk(fp: IO[bytes], cid: bytes, *data: bytes) -> None:
    """Writes a PNG chunk to ``fp``: its length, type ``cid``, the ``data``
    parts joined, and the CRC of type and data, as Pillow's ``putchunk``.

    >>> out = io.BytesIO(); putchunk(out, b"IEND"); out.getvalue().hex()
    '0000000049454e44ae426082'
    """
    body = b"".join(data)
    fp.write(o32(len(body)) + cid + body + o32(zlib.crc32(cid + body)))


class PngInfo:
    """Chunks to write into a PNG at ``save(..., pnginfo=info)`` (Pillow's).

    >>> info = PngInfo(); info.add_text("Author", "Ada")
    >>> im.save("signed.png", pnginfo=info)
    """

    def __init__(self) -> None:
        self.chunks: list[tuple[bytes, bytes, bool]] = []

    def add(self, cid: bytes, data: bytes, after_idat: bool = False) -> None:
        """Any chunk: its 4-byte type and its data."""
        self.chunks.append((cid, data, after_idat))

    def add_itxt(
        self, key: str | bytes, value: str | bytes, lang: str | bytes = "", tkey: str | bytes = "", zip: bool = False
    ) -> None:
        """A UTF-8 text chunk (iTXt), compressed when ``zip``."""
        key, value, lang, tkey = (
            part.encode("latin-1" if index == 0 else "utf-8", "strict") if isinstance(part, str) else part
            for index, part in enumerate((key, value, lang, tkey))
        )
        head = key + b"\0" + (b"\x01\0" if zip else b"\0\0") + lang + b"\0" + tkey + b"\0"
        self.add(b"iTXt", head + (zlib.compress(value) if zip else value))

    def add_text(self, key: str | bytes, value: str | bytes | iTXt, zip: bool = False) -> None:
        """A text chunk: tEXt (zTXt when ``zip``), or iTXt for text that is
        not latin-1 or an ``iTXt`` value."""
        if isinstance(value, iTXt):
            self.add_itxt(key, value, value.lang or "", value.tkey or "", zip=zip)
            return
        if isinstance(value, str):
            try:
                value = value.encode("latin-1", "strict")
            except UnicodeError:
                self.add_itxt(key, value, zip=zip)
                return
        if isinstance(key, str):
            key = key.encode("latin-1", "strict")
        if zip:
            self.add(b"zTXt", key + b"\0\0" + zlib.compress(value))
        else:
            self.add(b"tEXt", key + b"\0" + value)


class PngImageFile(ApngFrames, ImageFile):  # type: ignore[override]
    """A PNG file read by ``Image.open`` (an APNG's frames: see ``apng``)."""

    format = "PNG"
    format_description = "Portable network graphics"
    _mimetype = "image/png"
    _text: dict[str, Any] | None = None

    def _read_header_extras(self) -> None:
        self._text = png_text(self._pending or b"")

    @property
    def text(self) -> dict[str, Any]:
        """The file's text chunks (tEXt, zTXt, iTXt), those after the image
        data too: the image is loaded first, as in Pillow, so a damaged file
        raises here."""
        self.load()
        return dict(self._text or {})

    def _getexif(self) -> dict[int, Any] | None:
        """Pillow's ``_getexif``: IFD0 with the Exif directory's tags and
        the GPS directory as a dict under its tag; None without EXIF."""
        if "exif" not in self.info and "Raw profile type exif" not in self.info:
            return None
        return self.getexif()._get_merged_dict()
