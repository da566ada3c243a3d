"""Pillow's own palette making: ``Image.quantize`` without a palette image,
and the conversions to "P" and "PA" that quantize (of an "RGBA" image, or
with ``palette=Image.Palette.ADAPTIVE``). rust_image's ``quantize`` does
the colour work (median cut, maximum coverage, fast octree and k-means, as
Pillow's C core: the same palette and indices); this module has Pillow's
argument checks, its errors, and the palette and ``info`` of the result.

>>> from wasmcanvas import Image
>>> im = Image.new("RGB", (3, 1), "red")
>>> im.putpixel((1, 0), (0, 0, 255))
>>> p = im.quantize(2)
>>> p.mode, p.getpalette(), p.tobytes()
('P', [255, 0, 0, 0, 0, 255], b'\\x00\\x01\\x00')
"""

from __future__ import annotations

import operator
import warnings
from typing import TYPE_CHECKING

from . import ImagePalette

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["adaptive", "core_quantize", "quantize", "rgba_to_palette"]

MEDIANCUT, MAXCOVERAGE, FASTOCTREE, LIBIMAGEQUANT = 0, 1, 2, 3
_C_INT_MAX = 2**31 - 1


def _c_int(value: object) -> int:
    """``value`` as Pillow's core parses an ``int`` argument: ``TypeError``
    for what is not an integer, ``OverflowError`` outside a C int."""
    number = operator.index(value)  # type: ignore[arg-type]
    if number > _C_INT_MAX:
        raise OverflowError("signed integer is greater than maximum")
    if number < -_C_INT_MAX - 1:
        raise OverflowError("signed integer is less than minimum")
    return number


def core_quantize(
    image: Image, colors: object = 256, method: object = MEDIANCUT, kmeans: object = 0, *, keep_alpha: bool = False
) -> tuple[Image, str, bytes]:
    """Pillow's core ``im.quantize(colors, method, kmeans)``: a new "P"
    image (``image``'s ``info`` copied), its palette's mode and its whole
    palette. An image of no pixels gives an empty "P" image before any
    check, as Pillow's. ``keep_alpha`` (ours) quantizes an "RGBA" image's
    colours only and gives "PA" with its alpha.

    >>> from wasmcanvas import Image
    >>> core_quantize(Image.new("LA", (2, 2)), 4)
    Traceback (most recent call last):
    ValueError: image has wrong mode
    """
    colors, method, kmeans = _c_int(colors), _c_int(method), _c_int(kmeans)
    if image.width == 0 or image.height == 0:
        result = image.copy()
        result._mode = "PA" if keep_alpha else "P"
        result.palette = ImagePalette.ImagePalette("RGB", b"")
        return result, "RGB", b""
    if not 1 <= colors <= 256:
        raise ValueError("bad number of colors")
    with_alpha = image.mode == "RGBA" and not keep_alpha
    if image.mode not in ("L", "P", "RGB", "RGBA") or (with_alpha and method not in (FASTOCTREE, LIBIMAGEQUANT)):
        raise ValueError("image has wrong mode")
    if method == LIBIMAGEQUANT:
        raise ValueError("dependency required by this method was not enabled at compile time")
    if method not in (MEDIANCUT, MAXCOVERAGE, FASTOCTREE):
        raise ValueError("quantization error")
    result = image.convert("RGB") if image.mode == "P" else image.copy()
    try:
        result.info = image.info.copy()
        entries = bytes(result._call("quantize", colors, method, max(kmeans, 0), with_alpha).to_py())
        palette_mode = "RGBA" if with_alpha else "RGB"
        width = len(palette_mode)
        data = b"".join(entries[start : start + width] for start in range(0, len(entries), 4))
        result._mode = "PA" if keep_alpha else "P"
        result.palette = ImagePalette.ImagePalette(palette_mode, data)
        result._settle()
    except BaseException:
        result.close()
        raise
    return result, palette_mode, data


def quantize(image: Image, colors: int, method: int | None, kmeans: int) -> Image:
    """``Image.quantize`` without a palette image: Pillow's default method
    (fast octree for "RGBA", median cut otherwise), its checks, and a
    palette cut to ``colors`` entries ("RGBA" entries for an "RGBA"
    image).

    >>> from wasmcanvas import Image
    >>> p = quantize(Image.new("RGBA", (1, 1), (1, 2, 3, 4)), 256, None, 0)
    >>> p.palette.mode, p.getpalette("RGBA")[:4]
    ('RGBA', [1, 2, 3, 4])
    """
    if method is None:
        method = FASTOCTREE if image.mode == "RGBA" else MEDIANCUT
    if image.mode == "RGBA" and method not in (FASTOCTREE, LIBIMAGEQUANT):
        raise ValueError(
            "Fast Octree (method == 2) and libimagequant (method == 3) "
            "are the only valid methods for quantizing RGBA images"
        )
    if kmeans < 0:
        raise ValueError("kmeans must not be negative")
    result, palette_mode, data = core_quantize(image, colors, method, kmeans)
    result.palette = ImagePalette.ImagePalette(palette_mode, data[: colors * len(palette_mode)])
    return result


def rgba_to_palette(image: Image, mode: str, colors: int) -> Image:
    """``convert("P")`` of an "RGBA" image is ``quantize(colors)`` (fast
    octree, an "RGBA" palette); ``convert("PA")`` quantizes the colours by
    median cut and keeps the alpha, as Pillow's."""
    if mode == "P":
        return quantize(image, colors, None, 0)
    result, palette_mode, data = core_quantize(image, colors, MEDIANCUT, 0, keep_alpha=True)
    result.palette = ImagePalette.ImagePalette(palette_mode, data[: colors * len(palette_mode)])
    return result


def adaptive(image: Image, colors: int) -> Image:
    """``convert("P", palette=Palette.ADAPTIVE, colors=colors)`` of an "L"
    or "RGB" image (median cut, the whole palette), a transparent colour
    in ``info`` becoming its palette index as in Pillow."""
    transparent: tuple[int, ...] | None = None
    key = image.info.get("transparency")
    drop_key = False
    if key is not None and image.mode in ("L", "RGB"):
        if isinstance(key, bytes):
            warnings.warn(
                "Palette images with Transparency expressed in bytes should be converted to RGBA images", stacklevel=3
            )
            drop_key = True
        else:
            transparent = (key, key, key) if image.mode == "L" else tuple(key)
    result, _, data = core_quantize(image, colors)
    result.palette = ImagePalette.ImagePalette("RGB", data)
    if drop_key:
        del result.info["transparency"]
    if transparent is not None:
        try:
            result.info["transparency"] = result.palette.getcolor(transparent, result)
        except Exception:
            del result.info["transparency"]
            warnings.warn("Couldn't allocate palette entry for transparency", stacklevel=3)
    return result
