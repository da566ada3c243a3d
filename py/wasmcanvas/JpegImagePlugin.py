"""Pillow's ``PIL.JpegImagePlugin``: the class of the JPEG files ``Image.open``
returns, for code and tests that check ``isinstance(im, JpegImagePlugin.JpegImageFile)``.

>>> type(Image.open(data)).__name__
'JpegImageFile'
"""

from __future__ import annotations

from typing import Any

from .exif import dpi_of
from .ImageFile import ImageFile

# Where each of a DQT table's 64 values (in zigzag order) goes in Pillow's
# ``quantization`` lists.
_ZIGZAG = (
    *(0, 1, 5, 6, 14, 15, 27, 28, 2, 4, 7, 13, 16, 26, 29, 42),
    *(3, 8, 12, 17, 25, 30, 41, 43, 9, 11, 18, 24, 31, 40, 44, 53),
    *(10, 19, 23, 32, 39, 45, 52, 54, 20, 22, 33, 38, 46, 51, 55, 60),
    *(21, 34, 37, 47, 50, 56, 59, 61, 35, 36, 48, 49, 57, 58, 62, 63),
)

__all__ = ["JpegImageFile"]


class JpegImageFile(ImageFile):
    """A JPEG file read by ``Image.open``."""

    format = "JPEG"
    format_description = "JPEG (ISO 10918)"
    _mimetype = "image/jpeg"

    layers = 0
    """The number of components of the frame (Pillow's ``layers``)."""

    def _read_header_extras(self) -> None:
        self.app: dict[str, bytes] = {}
        self.applist: list[tuple[str, bytes]] = []
        self.layer: list[tuple[int, int, int, int]] = []
        self.quantization: dict[int, list[int]] = {}
        self._read_segments(self._pending or b"")
        # Pillow takes the dpi from EXIF when the JFIF header gives none.
        if "dpi" not in self.info and "exif" in self.info:
            self.info["dpi"] = dpi_of(self.getexif)

    def _check_header(self, data: bytes) -> None:
        # Pillow's reader refuses a file that ends before its first
        # segment's marker and length, in the words of its message.
        at = 2
        while at < len(data) and data[at] == 0xFF:
            at += 1
        if at + 3 > len(data) or data[at] == 0x00:
            raise SyntaxError("not identified by this driver")

    def __getstate__(self) -> list[Any]:
        return [*super().__getstate__(), self.layers, self.layer]

    def __setstate__(self, state: list[Any]) -> None:
        self.layers, self.layer = state[6:8]
        super().__setstate__(state)

    def _getexif(self) -> dict[int, Any] | None:
        """Pillow's ``_getexif``: IFD0 with the Exif directory's tags and
        the GPS directory as a dict under its tag; None without EXIF."""
        if "exif" not in self.info:
            return None
        return self.getexif()._get_merged_dict()

    def _read_segments(self, data: bytes) -> None:
        """Pillow's ``app``, ``applist`` (APPn and COM segments in order),
        ``layers``, ``layer`` (id, h, v, table of each component) and
        ``quantization`` (each DQT table in natural order) from the
        segments before the scan; a segment cut short ends the walk."""
        at = 2
        while at + 4 <= len(data) and data[at] == 0xFF:
            marker = data[at + 1]
            if marker == 0xFF:
                at += 1
                continue
            if marker in (0xD9, 0xDA):
                break
            length = int.from_bytes(data[at + 2 : at + 4], "big")
            body = data[at + 4 : at + 2 + length]
            if length < 2 or len(body) != length - 2:
                break
            at += 2 + length
            if 0xE0 <= marker <= 0xEF or marker == 0xFE:
                name = "COM" if marker == 0xFE else f"APP{marker & 15}"
                self.app[name] = body
                self.applist.append((name, body))
            elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and len(body) >= 6:
                self.layers = body[5]
                self.layer = [
                    (body[i], body[i + 1] // 16, body[i + 1] & 15, body[i + 2]) for i in range(6, len(body) - 2, 3)
                ]
            elif marker == 0xDB:
                self._read_tables(body)

    def _read_tables(self, body: bytes) -> None:
        while body:
            precision = 1 if body[0] // 16 == 0 else 2
            size = 1 + precision * 64
            if len(body) < size:
                return
            raw = body[1:size]
            values = [int.from_bytes(raw[i * precision : (i + 1) * precision], "big") for i in range(64)]
            self.quantization[body[0] & 15] = [values[i] for i in _ZIGZAG]
            body = body[size:]
