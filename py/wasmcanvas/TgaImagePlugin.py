"""Pillow's ``PIL.TgaImagePlugin``: the class of the TGA files ``Image.open``
returns, for code and tests that check ``isinstance(im, TgaImagePlugin.TgaImageFile)``.

>>> type(Image.open(data)).__name__
'TgaImageFile'
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["TgaImageFile"]


class TgaImageFile(ImageFile):
    """A TGA file read by ``Image.open``."""

    format = "TGA"
    format_description = "Targa"
    _mimetype = "image/x-tga"
