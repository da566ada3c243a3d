"""Pillow's ``PIL.ImageTransform``: a transform and its data as one object,
for ``Image.transform(size, transform)``.

>>> from wasmcanvas import Image, ImageTransform
>>> im = Image.new("L", (4, 4), 9)
>>> im.transform((2, 2), ImageTransform.ExtentTransform((0, 0, 4, 4))).getpixel((1, 1))
9
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from .Image import ImageTransformHandler
from .Image import Transform as _Method

if TYPE_CHECKING:
    from .Image import Image

__all__ = [
    "AffineTransform",
    "ExtentTransform",
    "MeshTransform",
    "PerspectiveTransform",
    "QuadTransform",
    "Transform",
]


class Transform(ImageTransformHandler):
    """A ``method`` of ``Image.transform`` with its ``data``."""

    method: _Method

    def __init__(self, data: Sequence[Any]) -> None:
        self.data = data

    def getdata(self) -> tuple[_Method, Sequence[Any]]:
        """``(method, data)``, as ``Image.transform`` takes them."""
        return self.method, self.data

    def transform(self, size: tuple[int, int], image: Image, **options: Any) -> Image:
        """``image`` transformed to ``size`` (``options``: ``resample``,
        ``fill``, ``fillcolor``)."""
        method, data = self.getdata()
        return image.transform(size, method, data, **options)


class AffineTransform(Transform):
    """``(a, b, c, d, e, f)``: each output pixel (x, y) is taken from
    (a x + b y + c, d x + e y + f) in the input."""

    method = _Method.AFFINE


class PerspectiveTransform(Transform):
    """``(a, b, c, d, e, f, g, h)``: each output pixel (x, y) is taken from
    ((a x + b y + c) / (g x + h y + 1), (d x + e y + f) / (g x + h y + 1))."""

    method = _Method.PERSPECTIVE


class ExtentTransform(Transform):
    """``(x0, y0, x1, y1)``: that rectangle of the input stretched over the
    output."""

    method = _Method.EXTENT


class QuadTransform(Transform):
    """``(x0, y0, x1, y1, x2, y2, x3, y3)``: the upper left, lower left,
    lower right and upper right corners of an input quadrilateral stretched
    over the output."""

    method = _Method.QUAD


class MeshTransform(Transform):
    """A list of ``(box, quad)``: each output box filled from its quad."""

    method = _Method.MESH
