"""Pillow's ``PIL.SgiImagePlugin``: the class of the SGI files ``Image.open``
returns. wasmcanvas reads them as Pillow: "L", "RGB" or "RGBA", raw or
run-length encoded, 16-bit samples by their high byte; a mode Pillow does
not know raises its ``ValueError``.

>>> Image.new("RGB", (4, 3), "teal").save("teal.rgb")
>>> type(Image.open("teal.rgb")).__name__, Image.open("teal.rgb").mode
('SgiImageFile', 'RGB')
"""

from __future__ import annotations

from typing import Any

from ._formats import read_source
from ._headers import read_header
from .ImageFile import ImageFile

__all__ = ["SgiImageFile"]


class SgiImageFile(ImageFile):
    """An SGI file read by ``Image.open``."""

    format = "SGI"
    format_description = "SGI Image File Format"
    _mimetype = "image/sgi"

    def __init__(self, fp: Any, filename: str | bytes | None = None) -> None:
        if not read_source(fp)[0].startswith(b"\x01\xda"):
            raise ValueError("Not an SGI image file")
        super().__init__(fp, filename)

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile:
        if len(data) < 12:
            # Pillow reads the header's fields with struct: a file cut before
            # them is its struct.error, which its opener takes as a refusal.
            raise SyntaxError(f"the SGI header is cut short: {len(data)} bytes, its fields need 12")
        if read_header(data, "SGI").mode is None:
            raise ValueError("Unsupported SGI image mode")
        image = super()._from_file(data, format, filename)
        if image.mode == "RGB":
            image.custom_mimetype = "image/rgb"
        return image
