"""Pillow's ``PIL.WebPImagePlugin``: the class of the WEBP files ``Image.open``
returns, for code and tests that check ``isinstance(im, WebPImagePlugin.WebPImageFile)``.

>>> type(Image.open(data)).__name__
'WebPImageFile'
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["WebPImageFile"]


class WebPImageFile(ImageFile):
    """A WEBP file read by ``Image.open``."""

    format = "WEBP"
    format_description = "WebP image"
    _mimetype = "image/webp"
