"""Pillow's ``PIL.JpegImagePlugin``: the class of the JPEG files ``Image.open``
returns, for code and tests that check ``isinstance(im, JpegImagePlugin.JpegImageFile)``.

>>> type(Image.open(data)).__name__
'JpegImageFile'
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["JpegImageFile"]


class JpegImageFile(ImageFile):
    """A JPEG file read by ``Image.open``."""

    format = "JPEG"
    format_description = "JPEG (ISO 10918)"
    _mimetype = "image/jpeg"
