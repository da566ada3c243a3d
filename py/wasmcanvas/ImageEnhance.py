"""Pillow's ``ImageEnhance``: ``Color``, ``Contrast``, ``Brightness`` and
``Sharpness``, each ``enhance(factor)`` returning a new image (0 gives the
degenerate image: grey, flat mean grey, black, smoothed; 1 the original;
beyond 1 more), with Pillow's result to the byte. The in-place methods
``Image.saturation``, ``contrast``, ``brightness`` and ``sharpness`` do the
same without allocating.

>>> from wasmcanvas import Image, ImageEnhance
>>> with Image(2, 2, "#808080") as image, ImageEnhance.Brightness(image).enhance(1.5) as brighter:
...     brighter[0, 0]
(192, 192, 192, 255)
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .checks import require_number

if TYPE_CHECKING:
    from .image import Image

__all__ = ["Brightness", "Color", "Contrast", "Sharpness"]


class _Enhance:
    """Holds the image; ``enhance`` applies the operation to a copy."""

    _method = ""

    def __init__(self, image: Image) -> None:
        if not hasattr(image, "copy"):
            raise TypeError(f"image must be a wasmcanvas Image, not {type(image).__name__}")
        self.image = image

    def enhance(self, factor: float) -> Image:
        factor = require_number("factor", factor)
        result = self.image.copy()
        try:
            getattr(result, self._method)(factor)
        except BaseException:
            result.close()
            raise
        return result


class Color(_Enhance):
    """Colour balance: 0 grey (each pixel's luma), 1 the original."""

    _method = "saturation"


class Contrast(_Enhance):
    """Contrast: 0 a flat grey at the image's mean luma, 1 the original."""

    _method = "contrast"


class Brightness(_Enhance):
    """Brightness: 0 black, 1 the original."""

    _method = "brightness"


class Sharpness(_Enhance):
    """Sharpness: 0 the ``SMOOTH``-filtered image, 1 the original, 2 sharper."""

    _method = "sharpness"
