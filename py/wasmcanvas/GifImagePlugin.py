"""Pillow's ``PIL.GifImagePlugin``: the class of the GIF files ``Image.open``
returns, for code and tests that check ``isinstance(im, GifImagePlugin.GifImageFile)``.

>>> type(Image.open(data)).__name__
'GifImageFile'
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["GifImageFile"]


class GifImageFile(ImageFile):
    """A GIF file read by ``Image.open``."""

    format = "GIF"
    format_description = "Compuserve GIF"
    _mimetype = "image/gif"
