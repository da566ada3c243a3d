"""Pillow's ``PIL.TgaImagePlugin``: the class of the TGA files ``Image.open``
returns, for code and tests that check ``isinstance(im, TgaImagePlugin.TgaImageFile)``.

>>> import io
>>> header = bytes([0, 0, 2]) + bytes(9) + bytes([1, 0, 1, 0, 24, 0])   # 1x1, 24 bits
>>> im = Image.open(io.BytesIO(header + bytes([255, 0, 0])))            # one pixel, BGR
>>> isinstance(im, TgaImagePlugin.TgaImageFile), im.getpixel((0, 0))
(True, (0, 0, 255))
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["TgaImageFile"]


class TgaImageFile(ImageFile):
    """A TGA file read by ``Image.open``."""

    format = "TGA"
    format_description = "Targa"
    _mimetype = "image/x-tga"
