"""Pillow's ``PIL.PcxImagePlugin``: the class of the PCX files ``Image.open``
returns, for code and tests that check ``isinstance(im, PcxImagePlugin.PcxImageFile)``.

>>> PcxImagePlugin.PcxImageFile.format, PcxImagePlugin.PcxImageFile.format_description
('PCX', 'Paintbrush')
"""

from __future__ import annotations

from .ImageFile import ImageFile

__all__ = ["PcxImageFile"]


class PcxImageFile(ImageFile):
    """A PCX file read by ``Image.open``."""

    format = "PCX"
    format_description = "Paintbrush"
    _mimetype = "image/x-pcx"
