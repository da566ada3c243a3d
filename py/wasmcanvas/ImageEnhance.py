"""Pillow's ``ImageEnhance``: ``Color``, ``Contrast``, ``Brightness`` and
``Sharpness``, each ``enhance(factor)`` returning a new image (0 gives the
degenerate image: grey, flat mean grey, black, smoothed; 1 the original;
beyond 1 more), with Pillow's result to the byte. ``im.inplace.color``,
``contrast``, ``brightness`` and ``sharpness`` do the same without a new
image.

>>> from wasmcanvas import Image, ImageEnhance
>>> with Image.new("RGB", (2, 2), "#808080") as image, ImageEnhance.Brightness(image).enhance(1.5) as brighter:
...     brighter.getpixel((0, 0))
(192, 192, 192)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._checks import require_number

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["Brightness", "Color", "Contrast", "Sharpness"]


class _Enhance:
    """Holds the image; ``enhance`` applies the operation to a copy."""

    _method = ""

    def __init__(self, image: Image) -> None:
        if not hasattr(image, "inplace"):
            raise TypeError(f"image must be a wasmcanvas Image, not {type(image).__name__}")
        self.image = image

    def enhance(self, factor: float) -> Image:
        factor = require_number("factor", factor)
        result = self.image.copy()
        try:
            getattr(result.inplace, self._method)(factor)
        except BaseException:
            result.close()
            raise
        return result


class Color(_Enhance):
    """Colour balance: 0 grey (each pixel's luma), 1 the original."""

    _method = "color"


class Contrast(_Enhance):
    """Contrast: 0 a flat grey at the image's mean luma, 1 the original."""

    _method = "contrast"


class Brightness(_Enhance):
    """Brightness: 0 black, 1 the original."""

    _method = "brightness"


class Sharpness(_Enhance):
    """Sharpness: 0 the ``SMOOTH``-filtered image, 1 the original, 2 sharper."""

    _method = "sharpness"
