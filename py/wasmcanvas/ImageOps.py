"""Pillow's ``ImageOps`` for wasmcanvas images: every function returns a new
image with Pillow's bytes. The tables (autocontrast, equalize, posterize,
solarize, invert, colorize) are rust_image's kernels, which follow Pillow's
arithmetic, run on a copy through ``im.inplace``; sizing (contain, cover,
fit, pad, scale, expand) is Pillow's arithmetic over ``resize`` and
``paste``.

As in Pillow, the table operations take "L" and "RGB" images, "P" ones
(their palette's colours mapped; ``autocontrast``, whose table would be
of indexes, raises ``NotImplementedError``, and ``equalize`` works on the
"RGB" conversion), "1" ones for ``invert``, and raise ``OSError`` for the
others (``im.inplace.autocontrast`` and its siblings also take alpha,
keeping it). ``expand`` and ``pad`` find their fill colour in, or add it
to, a "P" image's palette and keep its transparency.

>>> from wasmcanvas import Image, ImageOps
>>> with Image.new("RGB", (64, 48), "olive") as image:
...     ImageOps.fit(image, (32, 32)).size, ImageOps.grayscale(image).mode
((32, 32), 'L')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from . import ImageColor, ImagePalette
from . import _modes as modes
from ._checks import require_int, require_number
from ._modes import Colour
from .Image import Image, Resampling, Transform, Transpose, new
from .module import js_array

if TYPE_CHECKING:
    from .inplace import InPlace

__all__ = [
    "SupportsGetMesh",
    "autocontrast",
    "colorize",
    "contain",
    "cover",
    "crop",
    "deform",
    "equalize",
    "exif_transpose",
    "expand",
    "fit",
    "flip",
    "grayscale",
    "invert",
    "mirror",
    "pad",
    "posterize",
    "scale",
    "solarize",
]


def _table_operation(image: Image, change: Callable[[InPlace], None], levels: Sequence[int] | None = None) -> Image:
    """A copy of ``image`` changed by ``change(copy.inplace)``, for the
    modes Pillow's table operations take; a "P" image has ``levels`` (the
    operation's table, when it maps colours) applied to its palette's
    colours instead, its alpha kept, as Pillow's."""
    if image.mode == "P":
        if levels is None:
            # Pillow's message: such a table is of palette indexes, not colours.
            raise NotImplementedError("mode P support coming soon")
        return _palette_mapped(image, levels)
    if image.mode not in ("L", "RGB"):
        raise OSError(f"not supported for mode {image.mode}")
    return image._derive(lambda copy: change(copy.inplace))


def _palette_mapped(image: Image, levels: Sequence[int]) -> Image:
    """A copy of the "P" ``image`` whose palette's colour bands go through
    ``levels``."""
    result = image.copy()
    palette_mode = image.palette.mode if image.palette is not None else "RGB"
    entries = result.getpalette(None) or []
    channels = len(palette_mode)
    mapped = [value if palette_mode[i % channels] == "A" else levels[value] for i, value in enumerate(entries)]
    result.putpalette(mapped, palette_mode)
    return result


def _new_with_fill(image: Image, size: tuple[int, int], fill: Colour | None) -> Image:
    """A ``size`` image of ``image``'s mode, palette and transparency,
    filled with ``fill`` (a colour of a "P" image found in, or added to,
    its palette), as Pillow's ``expand`` and ``pad`` make one."""
    colour: Any = ImageColor.getcolor(fill, image.mode) if isinstance(fill, str) else fill
    palette = None
    if image.palette is not None:
        palette_mode = image.palette.mode
        palette = ImagePalette.ImagePalette(palette_mode, image.getpalette(palette_mode) or [])
        if isinstance(colour, tuple) and len(colour) in (3, 4):
            colour = palette.getcolor(colour, image)
    out = new(image.mode, size, colour)
    if palette is not None:
        out.putpalette(palette.palette, palette.mode)
    if "transparency" in image.info:
        out.info["transparency"] = image.info["transparency"]
    return out


def _border(border: int | tuple[int, ...]) -> tuple[int, int, int, int]:
    if isinstance(border, tuple):
        if len(border) == 2:
            return (border[0], border[1], border[0], border[1])
        if len(border) == 4:
            return (border[0], border[1], border[2], border[3])
        raise ValueError("border must be an integer, or a tuple of two or four elements")
    return (border, border, border, border)


def _resized_to_ratio(image: Image, size: tuple[int, int], shrink_to_fit: bool) -> tuple[int, int]:
    """The side of ``size`` kept and the other rounded to ``image``'s
    aspect ratio: inside ``size`` (contain) or covering it (cover)."""
    ratio, wanted = image.width / image.height, size[0] / size[1]
    if ratio == wanted:
        return size
    if (ratio > wanted) == shrink_to_fit:
        return (size[0], round(image.height / image.width * size[0]))
    return (round(image.width / image.height * size[1]), size[1])


# ---- tables (Rust's kernels, through im.inplace)


def autocontrast(
    image: Image,
    cutoff: float | tuple[float, float] = 0,
    ignore: int | Sequence[int] | None = None,
    mask: Image | None = None,
    preserve_tone: bool = False,
) -> Image:
    """Stretch each band so that its darkest level kept becomes 0 and its
    lightest 255: ``cutoff`` percent of the pixels (one number, or low and
    high) are left out at each end, ``ignore`` levels are not counted,
    ``mask`` limits the count to its pixels, ``preserve_tone`` stretches
    every band by the luma's range."""
    return _table_operation(image, lambda ops: ops.autocontrast(cutoff, ignore, mask, preserve_tone))


class SupportsGetMesh(Protocol):
    """What ``deform`` takes: an object whose ``getmesh(image)`` gives
    ``Transform.MESH`` data, a list of ``(box, quad)``."""

    def getmesh(self, image: Image) -> list[tuple[tuple[int, int, int, int], tuple[Any, ...]]]: ...


def deform(image: Image, deformer: SupportsGetMesh, resample: int = Resampling.BILINEAR) -> Image:
    """``image`` transformed through ``deformer``'s mesh, at its own size.

    >>> class Shift:
    ...     def getmesh(self, image):
    ...         return [((0, 0, *image.size), (1, 0, 1, 4, 5, 4, 5, 0))]
    >>> deform(Image.new("L", (4, 4)), Shift()).size
    (4, 4)
    """
    return image.transform(image.size, Transform.MESH, deformer.getmesh(image), resample)


def equalize(image: Image, mask: Image | None = None) -> Image:
    """Spread each band's levels evenly over 0 to 255 by its histogram (of
    the ``mask``'s pixels when given); a "P" image is equalized as "RGB",
    as Pillow's."""
    if image.mode == "P":
        with image.convert("RGB") as colour:
            return _table_operation(colour, lambda ops: ops.equalize(mask))
    return _table_operation(image, lambda ops: ops.equalize(mask))


def posterize(image: Image, bits: int) -> Image:
    """Keep the top ``bits`` (1 to 8) of every value."""
    bits = require_int("bits", bits)
    if not 1 <= bits <= 8:
        raise ValueError("bits must be between or equal to 1 and 8")
    kept = ~(2 ** (8 - bits) - 1)
    return _table_operation(image, lambda ops: ops.posterize(bits), [level & kept for level in range(256)])


def solarize(image: Image, threshold: int = 128) -> Image:
    """Invert the values from ``threshold`` up."""
    threshold = require_int("threshold", threshold)
    levels = [level if level < threshold else 255 - level for level in range(256)]
    return _table_operation(image, lambda ops: ops.solarize(threshold), levels)


def invert(image: Image) -> Image:
    """The negative of an "L", "RGB", "1" or "P" image (its palette's
    colours)."""
    if image.mode == "1":
        return image.point(list(range(255, -1, -1)))
    return _table_operation(image, lambda ops: ops.invert(), list(range(255, -1, -1)))


def grayscale(image: Image) -> Image:
    """``image.convert("L")``."""
    return image.convert("L")


def colorize(
    image: Image,
    black: Colour,
    white: Colour,
    mid: Colour | None = None,
    blackpoint: int = 0,
    whitepoint: int = 255,
    midpoint: int = 127,
) -> Image:
    """An "RGB" image mapping the grey levels of an "L" image onto a wedge
    from ``black`` to ``white`` (through ``mid`` at ``midpoint`` if given);
    levels below ``blackpoint`` are ``black``, from ``whitepoint`` up
    ``white``."""
    if image.mode != "L":
        raise ValueError(f"mode must be L, not {image.mode}")
    if not 0 <= blackpoint <= whitepoint <= 255:
        raise ValueError(
            "blackpoint and whitepoint must each be between or equal to 0 and 255, "
            "with blackpoint less than or equal to whitepoint"
        )
    if mid is not None and not blackpoint <= midpoint <= whitepoint:
        raise ValueError("midpoint must be between or equal to blackpoint and whitepoint")
    mid_rgb = None if mid is None else _rgb(mid)
    wedge = (js_array(_rgb(black)), js_array(_rgb(white)), js_array(mid_rgb), blackpoint, whitepoint, midpoint)
    return image._derive(lambda copy: copy._call("colorize", *wedge, None), "RGB")


def _rgb(colour: Colour) -> tuple[int, int, int]:
    red, green, blue, _ = modes.stored_colour(colour, "RGB")
    return (red, green, blue)


# ---- geometry


def mirror(image: Image) -> Image:
    """Flipped left to right."""
    return image.transpose(Transpose.FLIP_LEFT_RIGHT)


def flip(image: Image) -> Image:
    """Flipped top to bottom."""
    return image.transpose(Transpose.FLIP_TOP_BOTTOM)


def crop(image: Image, border: int | tuple[int, ...] = 0) -> Image:
    """Without ``border`` pixels on each side (one number, horizontal and
    vertical, or left, top, right, bottom)."""
    left, top, right, bottom = _border(border)
    return image.crop((left, top, image.width - right, image.height - bottom))


def expand(image: Image, border: int | tuple[int, ...] = 0, fill: Colour = 0) -> Image:
    """With a ``border`` of ``fill`` added around."""
    left, top, right, bottom = _border(border)
    out = _new_with_fill(image, (left + image.width + right, top + image.height + bottom), fill)
    out.paste(image, (left, top))
    return out


def contain(image: Image, size: tuple[int, int], method: int = Resampling.BICUBIC) -> Image:
    """Resized to the largest size inside ``size`` with its aspect ratio."""
    return _ratio_resized(image, size, method, shrink_to_fit=True)


def cover(image: Image, size: tuple[int, int], method: int = Resampling.BICUBIC) -> Image:
    """Resized to the smallest size covering ``size`` with its aspect ratio."""
    return _ratio_resized(image, size, method, shrink_to_fit=False)


def _ratio_resized(image: Image, size: tuple[int, int], method: int, shrink_to_fit: bool) -> Image:
    """``contain`` or ``cover``, with Pillow's answers where there are no
    pixels: an image of no height, or a size with a side of 0, gives a new
    image of no pixels."""
    if image.height == 0:
        return new(image.mode, (size[0], 0))
    if size[1] == 0:
        return new(image.mode, (0, 0))
    target = _resized_to_ratio(image, size, shrink_to_fit)
    if min(target) == 0:
        return new(image.mode, target)
    return image.resize(target, resample=method)


def pad(
    image: Image,
    size: tuple[int, int],
    method: int = Resampling.BICUBIC,
    color: Colour | None = None,
    centering: tuple[float, float] = (0.5, 0.5),
) -> Image:
    """``contain`` then padded with ``color`` to exactly ``size``, placed
    by ``centering`` (0 top or left, 1 bottom or right)."""
    resized = contain(image, size, method)
    if resized.size == tuple(size):
        return resized
    with resized:
        out = _new_with_fill(resized, size, color)
        if resized.width != size[0]:
            x = round((size[0] - resized.width) * max(0, min(centering[0], 1)))
            out.paste(resized, (x, 0))
        else:
            y = round((size[1] - resized.height) * max(0, min(centering[1], 1)))
            out.paste(resized, (0, y))
    return out


def fit(
    image: Image,
    size: tuple[int, int],
    method: int = Resampling.BICUBIC,
    bleed: float = 0.0,
    centering: tuple[float, float] = (0.5, 0.5),
) -> Image:
    """Cropped to ``size``'s aspect ratio (``bleed`` a fraction trimmed
    off every edge first, ``centering`` where to cut) and resized to it."""
    if min(size) == 0:
        return new(image.mode, size)
    centre_x, centre_y = centering
    centre_x = centre_x if 0.0 <= centre_x <= 1.0 else 0.5
    centre_y = centre_y if 0.0 <= centre_y <= 1.0 else 0.5
    bleed = bleed if 0.0 <= bleed < 0.5 else 0.0
    bleed_x, bleed_y = bleed * image.width, bleed * image.height
    live_width, live_height = image.width - 2 * bleed_x, image.height - 2 * bleed_y
    if live_height == 0:
        return new(image.mode, size)
    live_ratio, wanted = live_width / live_height, size[0] / size[1]
    if live_ratio == wanted:
        crop_width, crop_height = live_width, live_height
    elif live_ratio >= wanted:
        crop_width, crop_height = wanted * live_height, live_height
    else:
        crop_width, crop_height = live_width, live_width / wanted
    left = bleed_x + (live_width - crop_width) * centre_x
    top = bleed_y + (live_height - crop_height) * centre_y
    return image.resize(size, method, box=(left, top, left + crop_width, top + crop_height))


def scale(image: Image, factor: float, resample: int = Resampling.BICUBIC) -> Image:
    """Resized by ``factor`` (above 1 larger)."""
    factor = require_number("factor", factor)
    if factor == 1:
        return image.copy()
    if factor <= 0:
        raise ValueError("the factor must be greater than 0")
    return image.resize((round(factor * image.width), round(factor * image.height)), resample)


def exif_transpose(image: Image, *, in_place: bool = False) -> Image | None:
    """Turns the image as its EXIF (or XMP) Orientation says and removes
    that orientation, as Pillow: a new image, or None with ``in_place``
    (the image itself turned). Orientation 1 or none: a copy.

    >>> exif_transpose(Image.new("RGB", (3, 2))).size
    (3, 2)
    """
    image.load()
    orientation = image.getexif().get(0x0112, 1)
    method = {
        2: Transpose.FLIP_LEFT_RIGHT,
        3: Transpose.ROTATE_180,
        4: Transpose.FLIP_TOP_BOTTOM,
        5: Transpose.TRANSPOSE,
        6: Transpose.ROTATE_270,
        7: Transpose.TRANSVERSE,
        8: Transpose.ROTATE_90,
    }.get(orientation)
    if method is None:
        return None if in_place else image.copy()
    if in_place:
        image._transpose_in_place(method)
        result = image
    else:
        result = image.transpose(method)
    exif = result.getexif()
    if 0x0112 in exif:
        del exif[0x0112]
        if "exif" in result.info:
            result.info["exif"] = exif.tobytes()
        elif "Raw profile type exif" in result.info:
            data = exif.tobytes()
            result.info["Raw profile type exif"] = f"\nexif\n{len(data):8}\n{data.hex()}\n"
        for key in ("XML:com.adobe.xmp", "xmp"):
            if key in result.info:
                for pattern in (r'tiff:Orientation="([0-9])"', r"<tiff:Orientation>([0-9])</tiff:Orientation>"):
                    value = result.info[key]
                    result.info[key] = (
                        re.sub(pattern, "", value) if isinstance(value, str) else re.sub(pattern.encode(), b"", value)
                    )
    return None if in_place else result
