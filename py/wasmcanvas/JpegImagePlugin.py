"""Pillow's ``PIL.JpegImagePlugin``: the class of the JPEG files ``Image.open``
returns, for code and tests that check ``isinstance(im, JpegImagePlugin.JpegImageFile)``.

>>> type(Image.open(data)).__name__
'JpegImageFile'
"""

from __future__ import annotations

from typing import Any

from .exif import dpi_of
from .ImageFile import ImageFile

__all__ = ["JpegImageFile"]


class JpegImageFile(ImageFile):
    """A JPEG file read by ``Image.open``."""

    format = "JPEG"
    format_description = "JPEG (ISO 10918)"
    _mimetype = "image/jpeg"

    def _read_header_extras(self) -> None:
        # Pillow takes the dpi from EXIF when the JFIF header gives none.
        if "dpi" not in self.info and "exif" in self.info:
            self.info["dpi"] = dpi_of(self.getexif)

    def _getexif(self) -> dict[int, Any] | None:
        """Pillow's ``_getexif``: IFD0 with the Exif directory's tags and
        the GPS directory as a dict under its tag; None without EXIF."""
        if "exif" not in self.info:
            return None
        return self.getexif()._get_merged_dict()
