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

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, ClassVar

from . import _modes as modes
from ._checks import require_int, require_number, require_radii
from ._imaging import ImagingCore, check_margin

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
    "Color3DLUT",
    "Filter",
    "GaussianBlur",
    "Kernel",
    "MaxFilter",
    "MedianFilter",
    "MinFilter",
    "ModeFilter",
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

    def _filtered(self, image: Image) -> Any:
        """The pixels ``im.filter`` returns, as a new rust_image object made
        without first copying ``image``, or None where this filter only
        works in place (``apply`` then runs on a copy)."""
        return None

    def output_mode(self, mode: str) -> str:
        """The mode of what this filter makes of an image of ``mode`` (the
        same mode unless the filter says otherwise)."""
        return mode

    def filter(self, image: ImagingCore) -> ImagingCore:
        """Pillow's form of a filter: a core image (``im.im``) in, a new
        core image out (palette images refused, as Pillow's). A filter of
        one's own may define this instead of ``apply``, as Pillow's filters
        do; ``im.filter`` then calls it.

        >>> im = Image.radial_gradient("L")
        >>> im._new(ImageFilter.BLUR().filter(im.im)) == im.filter(ImageFilter.BLUR)
        True
        """
        if image.mode == "P":
            raise ValueError("cannot filter palette images")
        source = image._image
        return ImagingCore(source._derive(lambda copy: self.apply(copy, None), self.output_mode(source.mode)), True)


class MultibandFilter(Filter):
    """A filter that treats every channel alike."""


class Kernel(MultibandFilter):
    """A 3x3 or 5x5 convolution: ``sum(weights * pixels) / scale + offset``;
    ``scale`` defaults to the sum of the weights. Where they sum to 0 this
    divides by 1; Pillow divides by zero there and gives 0 or 255.

    >>> ImageFilter.Kernel((3, 3), [0, -1, 0, -1, 5, -1, 0, -1, 0]).scale
    1.0
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
        _convolve(image, self.weights, self.scale, self.offset, region)

    def _filtered(self, image: Image) -> Any:
        if image.mode in modes.WIDE:
            return None
        return image._call("convolved", _weights(self.weights), self.scale, self.offset)


def _weights(weights: Sequence[float]) -> Any:
    """A kernel's weights as rust_image takes them: a ``Float32Array``."""
    import js
    from pyodide.ffi import to_js

    return js.Float32Array.new(to_js(list(weights)))


def _convolve(image: Image, weights: Sequence[float], scale: float, offset: float, region: Any) -> None:
    """A kernel through Rust: "I" and the 16-bit modes by Pillow's 32-bit
    kernel, "F" refused as Pillow refuses it."""
    array = _weights(weights)
    if image.mode not in modes.WIDE:
        image._call("convolve", array, scale, offset, region)
    elif image.mode == "F":
        raise ValueError("image has wrong mode")
    else:
        image._call("convolve_wide", array, scale, offset, image.mode != "I", region)


class BuiltinFilter(MultibandFilter):
    """One of Pillow's fixed kernels, run by its name in Rust."""

    filterargs: ClassVar[tuple[tuple[int, int], float, float, tuple[float, ...]]]

    def apply(self, image: Image, region: Any) -> None:
        if image.mode in modes.WIDE:
            _, scale, offset, weights = self.filterargs
            _convolve(image, weights, scale, offset, region)
            return
        image._call("builtin_filter", self.name, region)

    def _filtered(self, image: Image) -> Any:
        if image.mode in modes.WIDE:
            return None
        return image._call("builtin_filtered", self.name)


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
        # Pillow pads the image by half the window first: a size changed
        # after __init__ meets that padding's guard.
        check_margin(self.size // 2)
        if image.mode in modes.SIXTEEN_BIT:
            raise ValueError("image has wrong mode")  # as Pillow's core rank filter
        if image.mode in ("I", "F"):
            image._call("rank_filter_wide", self.size, self.rank, image.mode == "F", region)
            return
        image._call("rank_filter", self.size, self.rank, region)

    def _filtered(self, image: Image) -> Any:
        if image.mode in (*modes.SIXTEEN_BIT, "I", "F"):
            return None  # refused or ranked by value: apply's way
        check_margin(self.size // 2)
        return image._call("rank_filtered", self.size, self.rank)


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


class ModeFilter(Filter):
    """Each byte becomes the most frequent value of its band in the ``size``
    x ``size`` box around it, if that value occurs more than twice (the
    smallest on a tie); otherwise it stays. Only pixels inside the image
    count."""

    name = "Mode"

    def __init__(self, size: int = 3) -> None:
        self.size = require_int("size", size)

    def apply(self, image: Image, region: Any) -> None:
        if image.mode in modes.WIDE:
            raise ValueError("image has wrong mode")  # Pillow's takes 8-bit bands only
        # Pillow halves the size truncating towards 0: below 2, no change.
        image._call("mode_filter", max(self.size, 0), region)


class GaussianBlur(MultibandFilter):
    """Gaussian blur of standard deviation ``radius``, or ``(x, y)`` radii
    (three extended box blurs, as Pillow)."""

    name = "GaussianBlur"

    def __init__(self, radius: float | Sequence[float] = 2) -> None:
        require_radii("radius", radius)
        self.radius = radius

    def apply(self, image: Image, region: Any) -> None:
        # The radius is read now, as Pillow reads it: it may have been changed.
        radii = require_radii("radius", self.radius)
        if radii != (0, 0):
            _blur_mode(image)
            image._call("gaussian_blur", *radii, region)


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
        radii = _box_radii(self.radius)
        if radii != (0, 0):
            _blur_mode(image)
            image._call("box_blur", *radii, region)


_BLUR_MODES = ("RGB", "RGBA", "RGBa", "RGBX", "CMYK", "L", "LA", "La")


def _blur_mode(image: Image) -> None:
    """Pillow's box blur (under GaussianBlur and UnsharpMask too) takes
    these modes only."""
    if image.mode not in _BLUR_MODES:
        raise ValueError("image has wrong mode")


def _box_radii(radius: object) -> tuple[float, float]:
    radii = require_radii("radius", radius)
    if not all(value >= 0 for value in radii):  # NaN too, as Pillow's
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
        _blur_mode(image)
        image._call("unsharp_mask", self.radius, self.percent, self.threshold, region)


class Color3DLUT(MultibandFilter):
    """A 3D colour lookup table: red, green and blue index a ``size``
    table (an int, or three from 2 to 65) of ``channels`` (3 or 4) floats
    per entry, 0.0 the lowest output and 1.0 the highest, interpolated
    trilinearly as Pillow does; red changes fastest in ``table``, then
    green, then blue. The result is in ``target_mode`` ("RGB" or "RGBA"; by
    default the image's); with 3 channels alpha is kept.

    >>> invert = Color3DLUT.generate(2, lambda r, g, b: (1 - r, 1 - g, 1 - b))
    >>> Image.new("RGB", (1, 1), (10, 20, 30)).filter(invert).getpixel((0, 0))   # doctest: +SKIP
    (245, 235, 225)
    """

    name = "Color 3D LUT"

    def __init__(
        self,
        size: int | tuple[int, int, int],
        table: Any,
        channels: int = 3,
        target_mode: str | None = None,
        **kwargs: bool,
    ) -> None:
        if channels not in (3, 4):
            raise ValueError("Only 3 or 4 output channels are supported")
        self.size = size = self._check_size(size)
        self.channels = channels
        self.mode = target_mode
        items = size[0] * size[1] * size[2]
        wrong_size = False
        if hasattr(table, "shape") and hasattr(table, "reshape"):
            # A NumPy array, flattened as Pillow takes it.
            if kwargs.get("_copy_table", True):
                table = table.copy()
            if tuple(table.shape) in [(items * channels,), (items, channels), (size[2], size[1], size[0], channels)]:
                table = table.reshape(items * channels)
            else:
                wrong_size = True
        else:
            if kwargs.get("_copy_table", True):
                table = list(table)
            if table and isinstance(table[0], (list, tuple)):
                flat: list[float] = []
                for entry in table:
                    if len(entry) != channels:
                        raise ValueError(f"The elements of the table should have a length of {channels}.")
                    flat.extend(entry)
                table = flat
        if wrong_size or len(table) != items * channels:
            raise ValueError(
                "The table should have either channels * size**3 float items "
                "or size**3 items of channels-sized tuples with floats. "
                f"Table should be: {channels}x{size[0]}x{size[1]}x{size[2]}. "
                f"Actual length: {len(table)}"
            )
        self.table = table

    @staticmethod
    def _check_size(size: Any) -> tuple[int, int, int]:
        try:
            _, _, _ = size
        except ValueError as error:
            raise ValueError("Size should be either an integer or a tuple of three integers.") from error
        except TypeError:
            size = (size, size, size)
        sizes = tuple(int(value) for value in size)
        if not all(2 <= value <= 65 for value in sizes):
            raise ValueError("Size should be in [2, 65] range.")
        return sizes  # type: ignore[return-value]

    @classmethod
    def generate(
        cls,
        size: int | tuple[int, int, int],
        callback: Callable[[float, float, float], Sequence[float]],
        channels: int = 3,
        target_mode: str | None = None,
    ) -> Color3DLUT:
        """A table of ``callback(r, g, b)`` at each entry, ``r``, ``g`` and
        ``b`` from 0.0 to 1.0."""
        size_1d, size_2d, size_3d = cls._check_size(size)
        if channels not in (3, 4):
            raise ValueError("Only 3 or 4 output channels are supported")
        table: list[float] = []
        for b in range(size_3d):
            for g in range(size_2d):
                for r in range(size_1d):
                    table.extend(callback(r / (size_1d - 1), g / (size_2d - 1), b / (size_3d - 1)))
        return cls((size_1d, size_2d, size_3d), table, channels, target_mode, _copy_table=False)

    def transform(
        self,
        callback: Callable[..., Sequence[float]],
        with_normals: bool = False,
        channels: int | None = None,
        target_mode: str | None = None,
    ) -> Color3DLUT:
        """A new table of ``callback(*entry)`` for each entry (with
        ``with_normals``, ``callback(r, g, b, *entry)``), of ``channels``
        (this table's by default)."""
        if channels not in (None, 3, 4):
            raise ValueError("Only 3 or 4 output channels are supported")
        ch_in = self.channels
        ch_out = channels or ch_in
        size_1d, size_2d, size_3d = self.size
        table: list[float] = []
        index = 0
        for b in range(size_3d):
            for g in range(size_2d):
                for r in range(size_1d):
                    values = self.table[index : index + ch_in]
                    if with_normals:
                        values = callback(r / (size_1d - 1), g / (size_2d - 1), b / (size_3d - 1), *values)
                    else:
                        values = callback(*values)
                    table.extend(values)
                    index += ch_in
        return type(self)(self.size, table, ch_out, target_mode or self.mode, _copy_table=False)

    def __repr__(self) -> str:
        parts = [
            f"{self.__class__.__name__} from {self.table.__class__.__name__}",
            "size={:d}x{:d}x{:d}".format(*self.size),
            f"channels={self.channels:d}",
        ]
        if self.mode:
            parts.append(f"target_mode={self.mode}")
        return "<{}>".format(" ".join(parts))

    def output_mode(self, mode: str) -> str:
        """``target_mode`` or ``mode``; Pillow's rule for which fit: the
        image has red, green and blue, the result at least ``channels``
        bands, and no band the image and the table both lack."""
        target = self.mode or mode
        bands = {"RGB": 3, "RGBA": 4}
        if mode not in bands or target not in bands or bands[target] < self.channels:
            raise ValueError("image has wrong mode")
        if bands[target] > self.channels and bands[target] > bands[mode]:
            raise ValueError("image has wrong mode")
        return target

    def apply(self, image: Image, region: Any) -> None:
        import js
        from pyodide.ffi import to_js

        self.output_mode(image.mode)
        values = []
        for value in self.table:
            if isinstance(value, str) or not hasattr(value, "__float__"):
                raise TypeError(f"table values must be numbers, not {type(value).__name__}")
            values.append(float(value))
        table = js.Float32Array.new(to_js(values))
        image._call("colour_lut", self.channels, *self.size, table, region)


def as_filter(value: Any) -> Filter:
    """``value`` as a filter instance: Pillow takes the built-in kernels as
    classes, so a ``Filter`` subclass is instantiated."""
    if isinstance(value, type) and issubclass(value, Filter):
        value = value()
    if not isinstance(value, Filter):
        raise TypeError(f"filter argument should be ImageFilter.Filter instance or class, not {type(value).__name__}")
    return value
