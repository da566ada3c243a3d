"""Pillow's ``ImageChops``: arithmetic between two images of one mode, each
returning a new image the size both share (Pillow's chops work on the
overlap of the two images' upper left corners), every band alpha included,
with Pillow's bytes. ``im.inplace.chop(name, other)`` does the same in place.

>>> from wasmcanvas import Image, ImageChops
>>> with Image.new("RGB", (2, 1), (200, 10, 0)) as a, Image.new("RGB", (3, 1), (100, 100, 0)) as b:
...     with ImageChops.add(a, b) as total:
...         total.size, total.getpixel((0, 0))
((2, 1), (255, 110, 0))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _modes as modes
from ._checks import require_int, require_number
from .Image import blend as _blend
from .Image import composite as _composite
from .Image import new as _new

if TYPE_CHECKING:
    from .Image import Image

__all__ = [
    "add",
    "add_modulo",
    "blend",
    "composite",
    "constant",
    "darker",
    "difference",
    "duplicate",
    "hard_light",
    "invert",
    "lighter",
    "logical_and",
    "logical_or",
    "logical_xor",
    "multiply",
    "offset",
    "overlay",
    "screen",
    "soft_light",
    "subtract",
    "subtract_modulo",
]


def _images(*images: Any) -> None:
    for image in images:
        if not hasattr(image, "raw"):
            raise TypeError(f"expected a wasmcanvas Image, not {type(image).__name__}")


def _chop(image1: Image, image2: Image, method: str, *args: Any) -> Image:
    """``image1``'s overlap with ``image2`` combined with it by the Rust
    ``method``."""
    _images(image1, image2)
    if image1.mode in modes.WIDE or image2.mode in modes.WIDE:
        raise ValueError("image has wrong mode")  # Pillow's chops take 8-bit bands only
    if len(image1.getbands()) != len(image2.getbands()):
        raise ValueError("images do not match")
    width, height = min(image1.width, image2.width), min(image1.height, image2.height)
    result = image1.crop((0, 0, width, height))
    try:
        result._call(method, image2.raw, *args, None)
        result._settle()
    except BaseException:
        result.close()
        raise
    return result


def add(image1: Image, image2: Image, scale: float = 1.0, offset: float = 0) -> Image:
    """``(image1 + image2) / scale + offset``, clipped to 0..255."""
    return _chop(image1, image2, "add", require_number("scale", scale), require_number("offset", offset))


def subtract(image1: Image, image2: Image, scale: float = 1.0, offset: float = 0) -> Image:
    """``(image1 - image2) / scale + offset``, clipped to 0..255."""
    return _chop(image1, image2, "subtract", require_number("scale", scale), require_number("offset", offset))


def add_modulo(image1: Image, image2: Image) -> Image:
    """``(image1 + image2) % 256``."""
    return _chop(image1, image2, "add_modulo")


def subtract_modulo(image1: Image, image2: Image) -> Image:
    """``(image1 - image2) % 256``."""
    return _chop(image1, image2, "subtract_modulo")


def multiply(image1: Image, image2: Image) -> Image:
    """``image1 * image2 / 255``."""
    return _chop(image1, image2, "multiply")


def screen(image1: Image, image2: Image) -> Image:
    """``255 - (255 - image1) * (255 - image2) / 255``."""
    return _chop(image1, image2, "screen")


def difference(image1: Image, image2: Image) -> Image:
    """``abs(image1 - image2)``."""
    return _chop(image1, image2, "difference")


def lighter(image1: Image, image2: Image) -> Image:
    """The larger of the two, byte by byte."""
    return _chop(image1, image2, "lighter")


def darker(image1: Image, image2: Image) -> Image:
    """The smaller of the two, byte by byte."""
    return _chop(image1, image2, "darker")


def overlay(image1: Image, image2: Image) -> Image:
    """Pillow's overlay: multiply or screen by ``image1``'s level."""
    return _chop(image1, image2, "overlay")


def soft_light(image1: Image, image2: Image) -> Image:
    """Pillow's soft light."""
    return _chop(image1, image2, "soft_light")


def hard_light(image1: Image, image2: Image) -> Image:
    """Pillow's hard light: multiply or screen by ``image2``'s level."""
    return _chop(image1, image2, "hard_light")


def _logical(image1: Image, image2: Image, method: str) -> Image:
    """Pillow's logical chops of two "1" images: each pixel set (255) or
    not (0) by ``method`` ("darker", "lighter" or "difference") on the
    pixels taken as set wherever their byte is not 0."""
    _images(image1, image2)
    if image1.mode != "1" or image2.mode != "1":
        raise ValueError("image has wrong mode")
    width, height = min(image1.width, image2.width), min(image1.height, image2.height)
    # A "1" pixel may hold any non-zero byte (putpixel): count it as set.
    table = [0] + [255] * 255
    with image1.crop((0, 0, width, height)) as part1, image2.crop((0, 0, width, height)) as part2:
        part1._mode = part2._mode = "L"
        with part1.point(table) as set1, part2.point(table) as set2:
            result = _chop(set1, set2, method)
    result._mode = "1"
    return result


def logical_and(image1: Image, image2: Image) -> Image:
    """Pillow's ``logical_and`` of two "1" images: 255 where both are set.

    >>> from wasmcanvas import Image
    >>> logical_and(Image.new("1", (1, 1), 1), Image.new("1", (1, 1), 0)).getpixel((0, 0))
    0
    """
    return _logical(image1, image2, "darker")


def logical_or(image1: Image, image2: Image) -> Image:
    """Pillow's ``logical_or`` of two "1" images: 255 where either is set."""
    return _logical(image1, image2, "lighter")


def logical_xor(image1: Image, image2: Image) -> Image:
    """Pillow's ``logical_xor`` of two "1" images: 255 where one only is set."""
    return _logical(image1, image2, "difference")


def blend(image1: Image, image2: Image, alpha: float) -> Image:
    """``Image.blend``: ``image1 * (1 - alpha) + image2 * alpha``."""
    return _blend(image1, image2, alpha)


def composite(image1: Image, image2: Image, mask: Image) -> Image:
    """``Image.composite``: ``image1`` where ``mask`` is opaque, ``image2``
    where it is transparent."""
    return _composite(image1, image2, mask)


def invert(image: Image) -> Image:
    """``255 - image`` on every band, alpha included (``ImageOps.invert``
    keeps alpha)."""
    _images(image)
    if image.mode in modes.WIDE:
        # Pillow complements every byte of the raw pixels: ~v for "I".
        from .Image import frombytes

        return frombytes(image.mode, image.size, image.tobytes().translate(_COMPLEMENT))
    return image.point(lambda value: 255 - value)


def constant(image: Image, value: int) -> Image:
    """An "L" image of ``image``'s size, every pixel ``value``."""
    _images(image)
    return _new("L", image.size, value)


_COMPLEMENT = bytes(255 - value for value in range(256))


def duplicate(image: Image) -> Image:
    """A copy."""
    _images(image)
    return image.copy()


def offset(image: Image, xoffset: int, yoffset: int | None = None) -> Image:
    """The image shifted by ``(xoffset, yoffset)`` (``yoffset`` defaults to
    ``xoffset``), wrapping around its edges."""
    _images(image)
    dx = require_int("xoffset", xoffset)
    dy = dx if yoffset is None else require_int("yoffset", yoffset)
    width, height = image.size
    if width == 0 or height == 0:
        return image.copy()
    dx, dy = dx % width, dy % height
    result = image.copy()
    for x in (dx, dx - width):
        for y in (dy, dy - height):
            result.paste(image, (x, y))
    return result
