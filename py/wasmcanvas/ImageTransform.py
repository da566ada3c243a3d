"""Pillow's ``ImageTransform``: a transform and its numbers in one object,
to pass to ``im.transform(size, transform)`` (or to call on an image).

>>> from wasmcanvas import Image, ImageTransform
>>> with Image.new("RGB", (8, 6), "teal") as image:
...     image.transform((4, 3), ImageTransform.ExtentTransform((0, 0, 8, 6))).size
(4, 3)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .Image import ImageTransformHandler
from .Image import Transform as _Method

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["AffineTransform", "ExtentTransform", "MeshTransform", "PerspectiveTransform", "QuadTransform", "Transform"]


class Transform(ImageTransformHandler):
    """A ``method`` of ``Image.Transform`` with its ``data``."""

    method: _Method

    def __init__(self, data: Sequence[Any]) -> None:
        self.data = data

    def getdata(self) -> tuple[_Method, Sequence[Any]]:
        """``(method, data)``, what ``im.transform`` takes from it."""
        return self.method, self.data

    def transform(self, size: tuple[int, int], image: Image, **options: Any) -> Image:
        """``image.transform(size, method, data, **options)``."""
        method, data = self.getdata()
        return image.transform(size, method, data, **options)


class AffineTransform(Transform):
    """Six numbers ``(a, b, c, d, e, f)``: each output pixel (x, y) samples
    the input at ``(a x + b y + c, d x + e y + f)``."""

    method = _Method.AFFINE


class PerspectiveTransform(Transform):
    """Eight numbers: the input at ``((a x + b y + c) / (g x + h y + 1),
    (d x + e y + f) / (g x + h y + 1))``."""

    method = _Method.PERSPECTIVE


class ExtentTransform(Transform):
    """The input box ``(x0, y0, x1, y1)`` stretched over the output."""

    method = _Method.EXTENT


class QuadTransform(Transform):
    """The input quadrilateral (upper left, lower left, lower right, upper
    right corners, 8 numbers) mapped onto the output."""

    method = _Method.QUAD


class MeshTransform(Transform):
    """A list of ``(box, quad)``: each box of the output sampled from the
    quadrilateral of the input (Pillow's ``MESH``)."""

    method = _Method.MESH
