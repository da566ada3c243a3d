"""Pillow's ``PIL.BmpImagePlugin``: the class of the BMP files ``Image.open``
returns, for code and tests that check ``isinstance(im, BmpImagePlugin.BmpImageFile)``.

>>> type(Image.open(data)).__name__
'BmpImageFile'
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["BmpImageFile"]


class BmpImageFile(ImageFile):
    """A BMP file read by ``Image.open``."""

    format = "BMP"
    format_description = "Windows Bitmap"
    _mimetype = "image/bmp"
