"""Pillow's ``ImageFilter``: filters to pass to ``im.filter``, which
returns a new image, or to ``im.inplace.filter`` (no new image). Each runs
in Rust on every band (alpha too, as Pillow's do), with Pillow's result to
the byte.

>>> from wasmcanvas import Image, ImageFilter
>>> with Image.new("RGB", (8, 8), "red") as image:
...     blurred = image.filter(ImageFilter.GaussianBlur(2))
...     sharper = image.filter(ImageFilter.SHARPEN)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from .checks import require_int, require_number, require_radii

if TYPE_CHECKING:
    from .Image import Image

__all__ = [
    "BLUR",
    "CONTOUR",
    "DETAIL",
    "EDGE_ENHANCE",
    "EDGE_ENHANCE_MORE",
    "EMBOSS",
    "FIND_EDGES",
    "SHARPEN",
    "SMOOTH",
    "SMOOTH_MORE",
    "BoxBlur",
    "BuiltinFilter",
    "Filter",
    "GaussianBlur",
    "Kernel",
    "MaxFilter",
    "MedianFilter",
    "MinFilter",
    "MultibandFilter",
    "RankFilter",
    "UnsharpMask",
]


class Filter:
    """A filter: ``im.filter`` applies it to a copy, ``im.inplace.filter``
    to the image itself."""

    name = "Filter"

    def apply(self, image: Image, region: Any) -> None:
        """Filter ``image`` in place, within ``region`` (rust_image's rect, or
        None for all of it)."""
        raise NotImplementedError


class MultibandFilter(Filter):
    """A filter that treats every channel alike."""


class Kernel(MultibandFilter):
    """A 3x3 or 5x5 convolution: ``sum(weights * pixels) / scale + offset``;
    ``scale`` defaults to the sum of the weights. Where they sum to 0 this
    divides by 1; Pillow divides by zero there and gives 0 or 255.

    >>> Kernel((3, 3), [0, -1, 0, -1, 5, -1, 0, -1, 0]).scale
    1
    """

    name = "Kernel"

    def __init__(self, size: tuple[int, int], kernel: Sequence[float], scale: float | None = None, offset: float = 0):
        if tuple(size) not in ((3, 3), (5, 5)):
            raise ValueError(f"bad kernel size: only (3, 3) and (5, 5) are supported, got {tuple(size)}")
        weights = [require_number("kernel weight", weight) for weight in kernel]
        if len(weights) != size[0] * size[1]:
            raise ValueError("not enough coefficients in kernel")
        self.size = tuple(size)
        self.weights = weights
        self.scale = sum(weights) if scale is None else require_number("scale", scale)
        self.offset = require_number("offset", offset)

    def apply(self, image: Image, region: Any) -> None:
        import js
        from pyodide.ffi import to_js

        weights = js.Float32Array.new(to_js(self.weights))
        image._call("convolve", weights, self.scale, self.offset, region)


class BuiltinFilter(MultibandFilter):
    """One of Pillow's fixed kernels, run by its name in Rust."""

    filterargs: ClassVar[tuple[tuple[int, int], float, float, tuple[float, ...]]]

    def apply(self, image: Image, region: Any) -> None:
        image._call("builtin_filter", self.name, region)


def _builtin(name: str, size: int, scale: float, offset: float, weights: tuple[float, ...]) -> type[BuiltinFilter]:
    return type(name, (BuiltinFilter,), {"name": name, "filterargs": ((size, size), scale, offset, weights)})


# Pillow's kernels, as ImageFilter defines them (size, scale, offset, weights).
BLUR = _builtin("BLUR", 5, 16, 0, (1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1))
CONTOUR = _builtin("CONTOUR", 3, 1, 255, (-1, -1, -1, -1, 8, -1, -1, -1, -1))
DETAIL = _builtin("DETAIL", 3, 6, 0, (0, -1, 0, -1, 10, -1, 0, -1, 0))
EDGE_ENHANCE = _builtin("EDGE_ENHANCE", 3, 2, 0, (-1, -1, -1, -1, 10, -1, -1, -1, -1))
EDGE_ENHANCE_MORE = _builtin("EDGE_ENHANCE_MORE", 3, 1, 0, (-1, -1, -1, -1, 9, -1, -1, -1, -1))
EMBOSS = _builtin("EMBOSS", 3, 1, 128, (-1, 0, 0, 0, 1, 0, 0, 0, 0))
FIND_EDGES = _builtin("FIND_EDGES", 3, 1, 0, (-1, -1, -1, -1, 8, -1, -1, -1, -1))
SHARPEN = _builtin("SHARPEN", 3, 16, 0, (-2, -2, -2, -2, 32, -2, -2, -2, -2))
SMOOTH = _builtin("SMOOTH", 3, 13, 0, (1, 1, 1, 1, 5, 1, 1, 1, 1))
SMOOTH_MORE = _builtin(
    "SMOOTH_MORE", 5, 100, 0, (1, 1, 1, 1, 1, 1, 5, 5, 5, 1, 1, 5, 44, 5, 1, 1, 5, 5, 5, 1, 1, 1, 1, 1, 1)
)


class RankFilter(Filter):
    """Each byte becomes the ``rank``-th smallest (from 0) of its channel's
    ``size`` x ``size`` neighbourhood, edges extended; ``size`` odd (up to 255
    here)."""

    name = "Rank"

    def __init__(self, size: int, rank: int) -> None:
        size, rank = require_int("size", size), require_int("rank", rank)
        if size % 2 == 0:
            raise ValueError("bad filter size")
        # Pillow's limit: the window of 4-byte values must fit a C int.
        if size * size * 4 > 2**31 - 1:
            raise ValueError("filter size too large")
        if not 0 <= rank < size * size:
            raise ValueError("bad rank value")
        self.size = size
        self.rank = rank

    def apply(self, image: Image, region: Any) -> None:
        image._call("rank_filter", self.size, self.rank, region)


class MedianFilter(RankFilter):
    name = "Median"

    def __init__(self, size: int = 3) -> None:
        super().__init__(size, require_int("size", size) ** 2 // 2)


class MinFilter(RankFilter):
    name = "Min"

    def __init__(self, size: int = 3) -> None:
        super().__init__(size, 0)


class MaxFilter(RankFilter):
    name = "Max"

    def __init__(self, size: int = 3) -> None:
        super().__init__(size, require_int("size", size) ** 2 - 1)


class GaussianBlur(MultibandFilter):
    """Gaussian blur of standard deviation ``radius``, or ``(x, y)`` radii
    (three extended box blurs, as Pillow)."""

    name = "GaussianBlur"

    def __init__(self, radius: float | Sequence[float] = 2) -> None:
        require_radii("radius", radius)
        self.radius = radius

    def apply(self, image: Image, region: Any) -> None:
        # The radius is read now, as Pillow reads it: it may have been changed.
        image._call("gaussian_blur", *require_radii("radius", self.radius), region)


class BoxBlur(MultibandFilter):
    """The mean of a ``2 * radius + 1`` box, or ``(x, y)`` radii; radius 0
    leaves a direction alone."""

    name = "BoxBlur"

    def __init__(self, radius: float | Sequence[float]) -> None:
        if max(_box_radii(radius)) >= 2**31:
            raise ValueError("radius too large")
        self.radius = radius

    def apply(self, image: Image, region: Any) -> None:
        # Checked again now, as Pillow checks it: the radius may have been changed.
        image._call("box_blur", *_box_radii(self.radius), region)


def _box_radii(radius: object) -> tuple[float, float]:
    radii = require_radii("radius", radius)
    if min(radii) < 0:
        raise ValueError("radius must be >= 0")
    return radii


class UnsharpMask(MultibandFilter):
    """Bytes that differ from their Gaussian blur of ``radius`` by more than
    ``threshold`` move away from it by ``percent`` of the difference."""

    name = "UnsharpMask"

    def __init__(self, radius: float = 2, percent: int = 150, threshold: int = 3) -> None:
        self.radius = require_number("radius", radius)
        self.percent = require_int("percent", percent)
        self.threshold = require_int("threshold", threshold)

    def apply(self, image: Image, region: Any) -> None:
        image._call("unsharp_mask", self.radius, self.percent, self.threshold, region)


def as_filter(value: Any) -> Filter:
    """``value`` as a filter instance: Pillow takes the built-in kernels as
    classes, so a ``Filter`` subclass is instantiated."""
    if isinstance(value, type) and issubclass(value, Filter):
        value = value()
    if not isinstance(value, Filter):
        raise TypeError(f"filter argument should be ImageFilter.Filter instance or class, not {type(value).__name__}")
    return value
