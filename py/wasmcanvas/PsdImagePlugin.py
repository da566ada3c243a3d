"""Pillow's ``PIL.PsdImagePlugin``, for code that names its class:
wasmcanvas does not read Photoshop files. ``Image.open`` does not
recognise them (``UnidentifiedImageError``), and ``PsdImageFile`` refuses
a PSD file with ``OSError`` saying so (anything else with Pillow's
``SyntaxError``).

>>> with open("layers.psd", "wb") as file:
...     _ = file.write(b"8BPS\\x00\\x01" + bytes(20))   # a PSD file's signature
>>> PsdImagePlugin.PsdImageFile("layers.psd")
Traceback (most recent call last):
OSError: wasmcanvas cannot read PSD (Photoshop) files
"""

from __future__ import annotations

from typing import Any

from .formats import read_source
from .ImageFile import ImageFile

__all__ = ["PsdImageFile"]


class PsdImageFile(ImageFile):
    """Pillow's class of PSD files; none is ever made here."""

    format = "PSD"
    format_description = "Adobe Photoshop"
    _mimetype = "image/vnd.adobe.photoshop"

    def __init__(self, fp: Any, filename: str | bytes | None = None) -> None:
        data, _name = read_source(fp)
        if data.startswith(b"8BPS"):
            raise OSError("wasmcanvas cannot read PSD (Photoshop) files")
        raise SyntaxError("not a PSD file")
