"""Pillow's ``PIL.IcnsImagePlugin``: Apple icon files (``.icns``), read as
Pillow reads them. A file holds blocks of icons at several sizes; it opens
as "RGBA" at the largest (``info["sizes"]`` lists them as ``(width,
height, scale)``), and another size is chosen by setting ``size`` or by
``load(scale)`` before loading. An entry is a PNG file (opened in its own
mode), a JPEG 2000 file (as "RGBA", read as ``Jpeg2KImagePlugin`` reads
it), or run-length RGB with an alpha mask beside it.

```python
im = Image.open("Tests/images/pillow.icns")
im.mode, im.size, im.info["sizes"][0]   # ('RGBA', (1024, 1024), (512, 512, 2))
```
"""

from __future__ import annotations

import io
from typing import Any

from . import Image
from ._headers import ICNS_SIZES, icns_blocks
from .ImageFile import ImageFile

__all__ = ["IcnsImageFile"]

_JPEG_2000_STARTS = (b"\xff\x4f\xff\x51", b"\x0d\x0a\x87\x0a")


def _run_length_band(data: bytes, at: int, count: int) -> tuple[bytes, int]:
    """One band of Apple's run-length RGB from ``at``: a byte with its top
    bit set repeats the next byte (its value - 125 times), another copies
    its value + 1 bytes; ``SyntaxError`` when the runs miss ``count``."""
    out = bytearray()
    left = count
    while left > 0 and at < len(data):
        head = data[at]
        at += 1
        if head & 0x80:
            run = head - 125
            out += data[at : at + 1] * run
            at += 1
        else:
            run = head + 1
            out += data[at : at + run]
            at += run
        left -= run
    if left != 0:
        raise SyntaxError(f"Error reading channel [{left!r} left]")
    return bytes(out), at


def _channels(data: bytes, kind: str, start: int, length: int, size: tuple[int, int, int]) -> dict[str, Image.Image]:
    """What one block gives, as Pillow's readers: "RGBA" (a PNG entry),
    "RGB" or "A"."""
    pixels = (size[0] * size[2], size[1] * size[2])
    count = pixels[0] * pixels[1]
    if kind == "png":
        start_bytes = data[start : start + 12]
        if start_bytes.startswith(b"\x89PNG\r\n\x1a\n"):
            entry = Image.open(io.BytesIO(data[start:]))
            Image._decompression_bomb_check(entry.size)
            return {"RGBA": entry}
        if start_bytes.startswith(_JPEG_2000_STARTS) or start_bytes == b"\x00\x00\x00\x0cjP  \x0d\x0a\x87\x0a":
            from .Jpeg2KImagePlugin import Jpeg2KImageFile

            entry = Jpeg2KImageFile(io.BytesIO(data[start : start + length]))
            Image._decompression_bomb_check(entry.size)
            return {"RGBA": entry if entry.mode == "RGBA" else entry.convert("RGBA")}
        raise ValueError("Unsupported icon subimage format")
    if kind == "mask":
        return {"A": Image.frombytes("L", pixels, data[start : start + count])}
    if kind == "rgb4":
        if data[start : start + 4] != b"\x00\x00\x00\x00":
            raise SyntaxError("Unknown signature, expecting 0x00000000")
        start, length = start + 4, length - 4
    if length == count * 3:
        return {"RGB": Image.frombytes("RGB", pixels, data[start : start + length])}
    bands = []
    at = start
    for _ in range(3):
        band, at = _run_length_band(data, at, count)
        bands.append(Image.frombytes("L", pixels, band))
    return {"RGB": Image.merge("RGB", bands)}


def _icon(data: bytes, size: tuple[int, int, int]) -> Image.Image:
    """The icon of ``size`` (Pillow's ``IcnsFile.getimage``): its PNG, or
    its RGB with the mask as alpha when there is one."""
    blocks = icns_blocks(data)
    channels: dict[str, Image.Image] = {}
    for kind, reader in ICNS_SIZES[size]:
        if kind in blocks:
            channels.update(_channels(data, reader, *blocks[kind], size))
    if "RGBA" in channels:
        return channels["RGBA"]
    image = channels["RGB"].copy()
    if "A" in channels:
        image.putalpha(channels["A"])
    return image


class IcnsImageFile(ImageFile):
    """An Apple icon file read by ``Image.open`` (Pillow's ``IcnsImageFile``)."""

    format = "ICNS"
    format_description = "Mac OS icns resource"
    _mimetype = "image/icns"
    _icns = b""
    best_size: tuple[int, int, int] = (0, 0, 1)
    """The entry ``load`` reads: ``(width, height, scale)``."""

    def _read_header_extras(self) -> None:
        self._icns = self._pending or b""
        width, height, scale = max(self.info["sizes"])
        self.best_size = (width, height, scale)

    @property
    def size(self) -> tuple[int, int]:
        """The size to load; set it to one of ``info["sizes"]`` (or a
        scale of one) before loading to choose that entry."""
        return self._size

    @size.setter
    def size(self, value: tuple[int, int]) -> None:
        for width, height, scale in self.info["sizes"]:
            simple = (width * scale, height * scale)
            if simple[1] / value[1] == simple[0] // value[0]:
                self._size = value
                return
        raise ValueError("This is not one of the allowed sizes of this image")

    @property
    def width(self) -> int:
        return self._size[0]

    @property
    def height(self) -> int:
        return self._size[1]

    def load(self, scale: int | None = None) -> Image.PixelAccess:
        """Reads the entry ``best_size`` names (with ``scale``, the current
        size's entry at that scale); again if ``size`` was changed since."""
        if scale is not None:
            width, height = self._size
            self.size = (width * scale, height * scale)
            self.best_size = (width, height, scale)
        if self._raw is not None and self._pending is None:
            if (int(self._raw.width), int(self._raw.height)) != self._size:
                self._pending = self._icns
                self._decode()
        return super().load()

    def _decode(self, keep_mode: bool = True) -> None:
        if self._pending is None:
            return
        icon = _icon(self._icns, self.best_size)
        try:
            icon.load()
            raw: Any
            raw, icon._raw = icon._raw, None
        finally:
            icon.close()
        self._pending = None
        self.tile = []
        self._mode = icon.mode
        self._size = (int(raw.width), int(raw.height))
        if self._raw is None:
            self._own(raw)
        else:
            self._replace(raw)
