"""Pillow's ``PIL.IcoImagePlugin``: the class of the ICO files ``Image.open``
returns, for code and tests that check ``isinstance(im, IcoImagePlugin.IcoImageFile)``.

>>> type(Image.open(data)).__name__
'IcoImageFile'
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["IcoImageFile"]


class IcoImageFile(ImageFile):
    """A ICO file read by ``Image.open``."""

    format = "ICO"
    format_description = "Windows Icon"
    _mimetype = "image/x-icon"
