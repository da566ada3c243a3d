"""Pillow's ``PIL.CurImagePlugin``: Windows cursor files, read as Pillow
reads them. A cursor file is laid out as an icon (type 2 instead of 1, each
entry giving a hotspot where an icon gives colour counts); Pillow opens the
first entry unless a later one is larger in both directions, as a bitmap
whose height counts the AND mask under the image. That bitmap is read by the
BMP decoder: a colour cursor is the top half ("P", "RGB", or "RGBA" from the
raw alpha bytes of a 32-bit bitmap right after a one-entry directory), and a
black and white or grey one becomes "LA", its AND mask the transparency.

```python
im = Image.open("Tests/images/deerstalker.cur")
im.format, im.mode, im.size   # ('CUR', 'RGBA', (32, 32))
```
"""

from __future__ import annotations

from typing import ClassVar, cast

from . import Image
from ._formats import dib_as_bmp
from ._headers import Header, read_header
from .BmpImagePlugin import BmpImageFile

__all__ = ["CurImageFile"]

# A 32-bit bitmap Pillow reads with its alpha bytes: as a BMP, the same rows
# under a 56-byte header whose bit fields say blue, green, red, alpha.
_BGRA_FIELDS = b"".join(mask.to_bytes(4, "little") for mask in (0xFF0000, 0xFF00, 0xFF, 0xFF000000))


def _accept(prefix: bytes) -> bool:
    return prefix.startswith(b"\0\0\2\0")


def _chosen_bitmap(data: bytes) -> tuple[bytes, int]:
    """The bitmap of the cursor Pillow opens and where it starts in the
    file: the first entry, replaced by each later one that is larger in both
    width and height (``TypeError`` when there is none, as Pillow's)."""
    if not _accept(data[:6]):
        raise SyntaxError("not a CUR file")
    chosen = b""
    for index in range(int.from_bytes(data[4:6], "little")):
        entry = data[6 + 16 * index : 22 + 16 * index]
        if not chosen:
            chosen = entry
        elif len(entry) > 1 and entry[0] > chosen[0] and entry[1] > chosen[1]:
            chosen = entry
    if not chosen:
        raise TypeError("No cursors were found")
    # An entry that gives no offset leaves Pillow reading after the directory.
    start = int.from_bytes(chosen[12:16], "little") or 6 + 16 * int.from_bytes(data[4:6], "little")
    return data[start:], start


def _with_height(bmp: bytes, height: int) -> bytes:
    """``bmp`` saying it is ``height`` rows (its sign, the row order, kept)."""
    stored = int.from_bytes(bmp[22:26], "little", signed=True)
    return bmp[:22] + (-height if stored < 0 else height).to_bytes(4, "little", signed=True) + bmp[26:]


def _bgra_bitmap(dib: bytes, height: int) -> bytes:
    """A 32-bit uncompressed DIB as a BMP whose bit fields read its fourth
    byte as alpha (Pillow's "BGRA" raw mode for it)."""
    header_size = int.from_bytes(dib[:4], "little")
    header = bytearray(dib[:40])
    header[0:4] = (56).to_bytes(4, "little")
    header[8:12] = height.to_bytes(4, "little", signed=True)
    header[16:20] = (3).to_bytes(4, "little")
    pixels = dib[header_size:]
    offset = 14 + 56
    return (
        b"BM"
        + (offset + len(pixels)).to_bytes(4, "little")
        + bytes(4)
        + offset.to_bytes(4, "little")
        + bytes(header)
        + _BGRA_FIELDS
        + pixels
    )


class CurImageFile(BmpImageFile):
    """A Windows cursor read by ``Image.open`` (Pillow's ``CurImageFile``)."""

    format = "CUR"
    format_description = "Windows Cursor"
    _mimetype: ClassVar[str | None] = None
    _bitmap_mode: str | None = None
    """"1" or "L" for a cursor whose AND mask makes it "LA" (the mode its
    bitmap decodes in, both halves), else None."""

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> CurImageFile:
        dib, start = _chosen_bitmap(data)
        bmp = dib_as_bmp(dib)
        header = read_header(bmp, "BMP")
        bits, compression = int.from_bytes(dib[14:16], "little"), int.from_bytes(dib[16:20], "little")
        if int.from_bytes(dib[:4], "little") == 12:
            # The OS/2 core header: no compression field, the bit count earlier.
            bits, compression = int.from_bytes(dib[10:12], "little"), 0
        double_height = abs(int.from_bytes(bmp[22:26], "little", signed=True))
        masked = header.mode in ("1", "L")
        if masked:
            bitmap = bmp
        elif bits == 32 and compression == 0 and start == 22:
            # Pillow reads the alpha bytes of a bitmap at offset 22 (a one-entry file).
            bitmap = _bgra_bitmap(dib, double_height // 2)
        else:
            bitmap = _with_height(bmp, double_height // 2)
        image = cast(CurImageFile, super()._from_file(bitmap, "BMP", filename))
        # Pillow's BMP reader says the DIB's own compression (0 where its
        # alpha bytes are read through bit fields here).
        image.info["compression"] = compression
        if masked:
            image._bitmap_mode = header.mode
            image._mode = "LA"
        if header.size is not None:
            image._size = (header.size[0], header.size[1] // 2)
        return image

    def _decodes_at_open(self, header: Header) -> bool:
        """A bitmap whose mode its header does not tell opens as Pillow's
        "P" (a palette it cannot read as greys); its pixels are read, and
        what is wrong with them said, at ``load()``."""
        if header.mode is None and header.size is not None:
            self._mode = "P"
            return False
        return super()._decodes_at_open(header)

    def _decode(self, keep_mode: bool = True) -> None:
        if self._bitmap_mode is None or self._pending is None:
            super()._decode(keep_mode)
            return
        # Both halves decoded: the AND mask above the image (rows bottom up).
        width, height = self._size
        self._mode, self._size = self._bitmap_mode, (width, height * 2)
        try:
            super()._decode(True)
        finally:
            self._size = (width, height)
        with (
            self.crop((0, 0, width, height)) as and_mask,
            self.crop((0, height, width, height * 2)) as xor,
            xor.convert("LA") as shown,
            and_mask.convert("L") as levels,
            levels.point(lambda level: 255 - level) as opaque,
        ):
            result = Image.new("LA", (width, height), 0)
            result.paste(shown, (0, 0), opaque)
        raw, result._raw = result._raw, None
        self._mode = "LA"
        self._replace(raw)
