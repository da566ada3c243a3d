"""Pillow's ``PIL.PpmImagePlugin``: the class of the PPM files ``Image.open``
returns, for code and tests that check ``isinstance(im, PpmImagePlugin.PpmImageFile)``.

>>> Image.new("RGB", (4, 4)).save("tiny.ppm")
>>> im = Image.open("tiny.ppm")
>>> isinstance(im, PpmImagePlugin.PpmImageFile), im.format_description
(True, 'Pbmplus image')
"""

from __future__ import annotations

from .ImageFile import ImageFile

# The MIME type of each magic's second character, as Pillow gives them.
MIMETYPES = {
    b"1": "image/x-portable-bitmap",
    b"4": "image/x-portable-bitmap",
    b"2": "image/x-portable-graymap",
    b"5": "image/x-portable-graymap",
    b"3": "image/x-portable-pixmap",
    b"6": "image/x-portable-pixmap",
}

__all__ = ["PpmImageFile"]


class PpmImageFile(ImageFile):
    """A PPM file read by ``Image.open``."""

    format = "PPM"
    format_description = "Pbmplus image"
    _mimetype = "image/x-portable-anymap"

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile:
        image = super()._from_file(data, format, filename)
        image.custom_mimetype = MIMETYPES.get(data[1:2])
        return image
