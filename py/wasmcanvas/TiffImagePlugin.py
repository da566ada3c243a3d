"""Pillow's ``PIL.TiffImagePlugin``: the class of the TIFF files
``Image.open`` returns, for code and tests that check
``isinstance(im, TiffImagePlugin.TiffImageFile)``, and Pillow's names for
TIFF's compression schemes. wasmcanvas reads a file's first image with its
own decoder (as Pillow's reader without libtiff: ``features.check("libtiff")``
is False).

>>> type(Image.open("hopper.tif")).__name__
'TiffImageFile'
"""

from __future__ import annotations

from .headers import TIFF_COMPRESSION
from .ImageFile import ImageFile

__all__ = ["COMPRESSION_INFO", "COMPRESSION_INFO_REV", "READ_LIBTIFF", "TiffImageFile"]

READ_LIBTIFF = False
"""Pillow's switch for reading through libtiff. wasmcanvas has no libtiff
(``features.check("libtiff")`` is False) and always reads with its own
decoder, as Pillow does with the switch False."""

# Pillow's tables: compression tag value to name, and back.
COMPRESSION_INFO: dict[int, str] = dict(TIFF_COMPRESSION)
COMPRESSION_INFO_REV: dict[str, int] = {name: value for value, name in COMPRESSION_INFO.items()}


class TiffImageFile(ImageFile):
    """A TIFF file read by ``Image.open``."""

    format = "TIFF"
    format_description = "Adobe TIFF"
    _mimetype = "image/tiff"
