"""Pillow's ``PIL.WebPImagePlugin``: the class of the WEBP files ``Image.open``
returns, for code and tests that check ``isinstance(im, WebPImagePlugin.WebPImageFile)``.

>>> type(Image.open(data)).__name__
'WebPImageFile'
"""

from __future__ import annotations

from typing import Any

from .ImageFile import ImageFile

__all__ = ["WebPImageFile"]


class WebPImageFile(ImageFile):
    """A WEBP file read by ``Image.open``."""

    format = "WEBP"
    format_description = "WebP image"
    _mimetype = "image/webp"

    def _getexif(self) -> dict[int, Any] | None:
        """Pillow's ``_getexif``: IFD0 with the Exif directory's tags and
        the GPS directory as a dict under its tag; None without EXIF."""
        if "exif" not in self.info:
            return None
        return self.getexif()._get_merged_dict()
