"""Pillow's ``PIL.IcoImagePlugin``: the class of the ICO files ``Image.open``
returns, for code and tests that check ``isinstance(im, IcoImagePlugin.IcoImageFile)``.

>>> import io, struct
>>> png = io.BytesIO()
>>> Image.new("RGBA", (16, 16), "red").save(png, "PNG")
>>> entry = struct.pack("<BBBBHHII", 16, 16, 0, 0, 1, 32, len(png.getvalue()), 22)
>>> im = Image.open(io.BytesIO(struct.pack("<HHH", 0, 1, 1) + entry + png.getvalue()))
>>> isinstance(im, IcoImagePlugin.IcoImageFile), im.size
(True, (16, 16))
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["IcoImageFile"]


class IcoImageFile(ImageFile):
    """A ICO file read by ``Image.open``."""

    format = "ICO"
    format_description = "Windows Icon"
    _mimetype = "image/x-icon"
