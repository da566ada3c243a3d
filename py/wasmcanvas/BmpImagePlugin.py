"""Pillow's ``PIL.BmpImagePlugin``: the class of the BMP files ``Image.open``
returns, for code and tests that check ``isinstance(im, BmpImagePlugin.BmpImageFile)``.

>>> Image.new("RGB", (4, 4)).save("tiny.bmp")
>>> im = Image.open("tiny.bmp")
>>> isinstance(im, BmpImagePlugin.BmpImageFile), im.format_description
(True, 'Windows Bitmap')
"""

from __future__ import annotations

from typing import ClassVar

from .ImageFile import ImageFile

__all__ = ["BmpImageFile", "DibImageFile"]


class BmpImageFile(ImageFile):
    """A BMP file read by ``Image.open``."""

    format = "BMP"
    format_description = "Windows Bitmap"
    _mimetype: ClassVar[str | None] = "image/bmp"


class DibImageFile(BmpImageFile):
    """A DIB (a BMP without its file header, as the clipboard holds one)
    read by ``Image.open``; saved as ``"DIB"`` it is written so."""

    format = "DIB"
    format_description = "Windows Bitmap"
