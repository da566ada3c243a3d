"""Images without pixels: a width or a height of 0, as Pillow allows
(``Image.new("RGB", (0, 5))``).

rust_image refuses such images (its kernels work a row of pixels at a
time), so they never reach it: an ``Image`` of no pixels holds an
``EmptyPixels`` instead of a ``rust_image.RgbaImage``, and
``Image._call`` hands each rust_image method to it. There every method
has Pillow's result: what changes pixels changes nothing, what counts them
counts none, and what makes a new image makes one of Pillow's size (blank,
or filled with the fill colour, when it has pixels).

>>> from wasmcanvas import Image
>>> im = Image.new("RGB", (0, 5))
>>> im.size, im.tobytes(), im.getbbox(), im.crop((0, 0, 2, 1)).tobytes()
((0, 5), b'', None, b'\\x00\\x00\\x00\\x00\\x00\\x00')
"""

from __future__ import annotations

import math
from typing import Any

from .module import call_rust, rust

__all__ = ["EmptyPixels", "blank"]

# rust_image methods that change an image's pixels in place (or draw on
# it): an image of no pixels stays as it is.
_IN_PLACE = frozenset(
    """
    fill set_pixel set_pixel_word paste put_channel composite dither_bilevel grayscale invert brightness contrast gamma
    threshold sepia put_alpha swap_channels extract_channel premultiply_alpha unpremultiply_alpha point
    autocontrast masked_autocontrast equalize masked_equalize posterize solarize colorize saturation
    box_blur box_blur_passes gaussian_blur convolve builtin_filter sharpness unsharp_mask rank_filter
    mode_filter colour_lut add subtract add_modulo subtract_modulo multiply screen difference lighter
    darker overlay soft_light hard_light blend draw_points draw_lines draw_polygon draw_rectangle
    draw_ellipse draw_arc draw_chord draw_pieslice draw_rounded_rectangle alpha_composite
    """.split()
)


class _Answer:
    """A value as rust_image's exports give one to Python (``to_py()``)."""

    def __init__(self, value: Any) -> None:
        self._value = value

    def to_py(self) -> Any:
        return self._value


def blank(width: int, height: int, colour: Any = (0, 0, 0, 0)) -> Any:
    """A new ``width`` x ``height`` image filled with ``colour`` (stored
    RGBA bytes): a rust_image ``RgbaImage``, or ``EmptyPixels`` when a
    side is 0 (the other side checked against rust_image's limit)."""
    module = rust()
    if (width == 0 or height == 0) and width >= 0 and height >= 0:
        longest = int(module.max_image_side())
        for name, side in (("width", width), ("height", height)):
            if side > longest:
                raise ValueError(f"{name} must be at most {longest}, got {side}")
        return EmptyPixels(width, height)
    return call_rust(module.RgbaImage.filled, width, height, *colour)


class EmptyPixels:
    """The pixels of a ``width`` x ``height`` image with no pixel, standing
    in for a ``rust_image.RgbaImage``."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height

    def ptr(self) -> int:
        return 0

    def len(self) -> int:
        return 0

    def free(self) -> None:
        """Nothing to free: no wasm memory is held."""

    def call(self, method: str, *args: Any) -> Any:
        """What rust_image's ``method`` gives for an image of no pixels."""
        if method in _IN_PLACE:
            return None
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            raise ValueError(f"{method}() is not supported on an image of no pixels ({self.width}x{self.height})")
        return handler(*args)

    def _copy(self) -> EmptyPixels:
        return EmptyPixels(self.width, self.height)

    def _convert_mode(self, *args: Any) -> bool:
        return True

    def _to_palette(self, *args: Any) -> _Answer:
        return _Answer([])

    def _to_bytes(self, *args: Any) -> _Answer:
        return _Answer(b"")

    def _histogram(self, *args: Any) -> _Answer:
        return _Answer([0] * 1024)

    _masked_histogram = _histogram

    def _bbox(self, *args: Any) -> None:
        return None

    def _extrema(self, *args: Any) -> None:
        return None

    def _colours(self, *args: Any) -> _Answer:
        return _Answer([])

    def _pixel_word(self, x: int, y: int) -> None:
        # Every point is outside.
        return None

    def _flood_fill(self, *args: Any) -> float:
        # A start point outside the image fills nothing, as in Pillow.
        return 0.0

    def _crop(self, box: Any) -> Any:
        # rust_image's crop box is [x, y, width, height]; outside the
        # image is 0, and here all of it is outside.
        _x, _y, width, height = list(box)
        return blank(width, height)

    def _transpose(self, method: float) -> EmptyPixels:
        # ROTATE_90, ROTATE_270, TRANSPOSE and TRANSVERSE swap the sides.
        swapped = int(method) in (2, 4, 5, 6)
        return EmptyPixels(self.height, self.width) if swapped else self._copy()

    def _math_unary(self, *args: Any) -> EmptyPixels:
        return self._copy()

    _math_binary = _math_unary
    # Filtered copies: an image of no pixels stays one.
    _rank_filtered = _builtin_filtered = _convolved = _math_unary

    def _resize(self, width: int, height: int, *args: Any) -> Any:
        return blank(width, height)

    def _reduce(self, *args: Any) -> Any:
        raise ValueError("box can't be empty")

    def _transform(self, width: int, height: int, method: int, data: Any, resample: int, fill: Any) -> Any:
        return blank(width, height, list(fill))

    def _rotate(self, angle: float, resample: int, expand: bool, center: Any, translate: Any, fill: Any) -> Any:
        """Pillow's rotate: quarter turns are transposes, any other angle a
        transform to the same size, or with ``expand`` to the box around
        the turned corners."""
        width, height = self.width, self.height
        angle %= 360.0
        if angle == 0 or angle == 180:
            return self._copy()
        if angle in (90, 270) and (expand or width == height):
            return EmptyPixels(height, width)
        if not expand:
            return blank(width, height, list(fill))
        centre_x, centre_y = (width / 2, height / 2) if center is None else tuple(center.to_py())
        shift_x, shift_y = (0, 0) if translate is None else tuple(translate.to_py())
        radians = -math.radians(angle)
        a, b = round(math.cos(radians), 15), round(math.sin(radians), 15)
        d, e = round(-math.sin(radians), 15), round(math.cos(radians), 15)
        c = a * (-centre_x - shift_x) + b * (-centre_y - shift_y) + centre_x
        f = d * (-centre_x - shift_x) + e * (-centre_y - shift_y) + centre_y
        xs = [a * x + b * y + c for x, y in ((0, 0), (width, 0), (width, height), (0, height))]
        ys = [d * x + e * y + f for x, y in ((0, 0), (width, 0), (width, height), (0, height))]
        return blank(math.ceil(max(xs)) - math.floor(min(xs)), math.ceil(max(ys)) - math.floor(min(ys)), list(fill))

    def _thumbnail(self, width: int, height: int, *args: Any) -> Any:
        """Pillow's thumbnail size for an image of no pixels (its aspect
        ratio is 0, or a division by 0 when the height is 0, as Pillow's)."""
        if width >= self.width and height >= self.height:
            return self._copy()
        aspect = self.width / self.height
        if width / height >= aspect:
            width = max(
                min(math.floor(height * aspect), math.ceil(height * aspect), key=lambda n: abs(aspect - n / height)), 1
            )
        else:
            candidates = (math.floor(width / aspect), math.ceil(width / aspect))
            height = max(min(candidates, key=lambda n: 0 if n == 0 else abs(aspect - width / n)), 1)
        return blank(width, height)
