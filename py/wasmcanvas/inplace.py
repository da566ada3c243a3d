"""``im.inplace``: the operations that change an image instead of returning
a new one (wasmcanvas's own; Pillow has no such thing). Animation loops use
them: no new image is made, so no wasm memory is taken and none is left to
free. Each gives the bytes Pillow's returning form gives, and takes an
optional ``box`` (left, upper, right, lower) to change only that part.

>>> from wasmcanvas import Image, ImageFilter
>>> frame = Image.new("RGB", (320, 200), "navy")
>>> frame.inplace.filter(ImageFilter.GaussianBlur(3))     # as frame.filter(...)
>>> frame.inplace.point(lambda v: 255 - v, box=(0, 0, 160, 200))

What allocates
==============

=============================================  ===================================
new image (Pillow's form)                      in place (``im.inplace``)
=============================================  ===================================
``im.filter(f)``                               ``filter(f, box)``
``im.point(lut)``                              ``point(lut, box)``
``ImageOps.invert/autocontrast/equalize``      ``invert``, ``autocontrast``, ``equalize``
``ImageOps.posterize/solarize``                ``posterize``, ``solarize``
``ImageOps.grayscale`` / ``convert("L")``      ``grayscale`` (keeps the mode and alpha)
``ImageEnhance.*(im).enhance(f)``              ``brightness``, ``contrast``, ``color``, ``sharpness``
``Image.blend(im, other, a)``                  ``blend(other, a, box)``
``Image.new(mode, size, c)`` over a region     ``fill(colour, box)``
``im.convert(mode)``                           ``convert(mode)``
``ImageChops.<op>(im, other)``                 ``chop(name, other, box)``
``im.paste``, ``im.putpixel``, ``ImageDraw``   already in place, as in Pillow
``im.transpose/resize/rotate/crop``            ``transpose``, ``resize``, ``rotate``, ``crop``:
                                               the same Image with new pixels (the old
                                               ones are freed; ``ptr`` changes)
=============================================  ===================================
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from . import _modes as modes
from ._checks import require_box, require_int, require_matching, require_number
from .module import js_array

if TYPE_CHECKING:
    from ._modes import Colour
    from .Image import Image

_CHOPS = (
    "add",
    "subtract",
    "add_modulo",
    "subtract_modulo",
    "multiply",
    "screen",
    "difference",
    "lighter",
    "darker",
    "overlay",
    "soft_light",
    "hard_light",
)


def region(box: Sequence[int] | None) -> Any:
    """rust_image's ``[x, y, width, height]`` for a Pillow box, or None (JS
    ``undefined``: the whole image)."""
    return None if box is None else js_array(require_box(box))


class InPlace:
    """The in-place operations of one image (``im.inplace``)."""

    def __init__(self, image: Image) -> None:
        self._image = image

    def __repr__(self) -> str:
        return f"<in-place operations of {self._image!r}>"

    def _apply(self, method: str, *args: Any, box: Sequence[int] | None = None) -> None:
        self._eight_bit(method)
        self._image._call(method, *args, region(box))
        self._image._settle()

    def _eight_bit(self, what: str) -> None:
        """The in-place kernels work on 8-bit bands; an "I", "F" or 16-bit
        image's bytes are parts of numbers."""
        if self._image.mode in modes.WIDE:
            raise NotImplementedError(f"in-place {what} of a {self._image.mode} image is not supported")

    def _colours_only(self, what: str) -> None:
        if self._image.mode not in ("RGB", "RGBA"):
            raise ValueError(f"{what} needs an RGB or RGBA image, not {self._image.mode}")

    # ---- filters and tables

    def filter(self, filter: Any, box: Sequence[int] | None = None) -> None:
        """As ``im.filter(filter)``, in place."""
        from .ImageFilter import as_filter

        self._eight_bit("filter")
        chosen = as_filter(filter)
        mode = chosen.output_mode(self._image.mode)
        chosen.apply(self._image, region(box))
        self._image._mode = mode
        self._image._settle()

    def point(self, lut: Sequence[float] | Callable[[int], float], box: Sequence[int] | None = None) -> None:
        """As ``im.point(lut)``, in place."""
        self._apply("point", self._image._point_table(lut), box=box)

    def invert(self, box: Sequence[int] | None = None) -> None:
        """Negate red, green, blue (or grey); alpha is kept."""
        self._apply("invert", box=box)

    def grayscale(self, box: Sequence[int] | None = None) -> None:
        """Put the luma (Pillow's ``convert("L")`` weights) in red, green and
        blue; the mode and alpha stay."""
        self._apply("grayscale", box=box)

    def autocontrast(
        self,
        cutoff: float | tuple[float, float] = 0,
        ignore: int | Sequence[int] | None = None,
        mask: Image | None = None,
        preserve_tone: bool = False,
        box: Sequence[int] | None = None,
    ) -> None:
        """As ``ImageOps.autocontrast``, in place (alpha is kept); ``mask``
        (an "L" image of this size) counts only its pixels, over the whole
        image."""
        low, high = cutoff if isinstance(cutoff, tuple) else (cutoff, cutoff)
        settings = (
            require_number("cutoff", low),
            require_number("cutoff", high),
            js_array(None if ignore is None else [ignore] if isinstance(ignore, int) else ignore),
            bool(preserve_tone),
        )
        if mask is None:
            self._apply("autocontrast", *settings, box=box)
        else:
            self._masked("masked_autocontrast", mask, box, *settings)

    def equalize(self, mask: Image | None = None, box: Sequence[int] | None = None) -> None:
        """As ``ImageOps.equalize``, in place (alpha is kept); ``mask`` (an
        "L" image of this size) counts only its pixels, over the whole image."""
        if mask is None:
            self._apply("equalize", box=box)
        else:
            self._masked("masked_equalize", mask, box)

    def _masked(self, method: str, mask: Image, box: Sequence[int] | None, *args: Any) -> None:
        if box is not None:
            raise ValueError("give a mask or a box, not both")
        self._image._call(method, self._image._counting_mask(mask).raw, *args)
        self._image._settle()

    def posterize(self, bits: int, box: Sequence[int] | None = None) -> None:
        """As ``ImageOps.posterize``, in place."""
        self._apply("posterize", require_int("bits", bits), box=box)

    def solarize(self, threshold: int = 128, box: Sequence[int] | None = None) -> None:
        """As ``ImageOps.solarize``, in place."""
        self._apply("solarize", require_int("threshold", threshold), box=box)

    def gamma(self, gamma: float, box: Sequence[int] | None = None) -> None:
        """``255 * (v / 255) ** (1 / gamma)``: above 1 lightens."""
        self._apply("gamma", require_number("gamma", gamma), box=box)

    def threshold(self, level: int = 128, box: Sequence[int] | None = None) -> None:
        """White where the luma is at least ``level``, black elsewhere."""
        self._apply("threshold", require_int("level", level), box=box)

    def sepia(self, box: Sequence[int] | None = None) -> None:
        """A brown-toned grey (RGB and RGBA)."""
        self._colours_only("sepia")
        self._apply("sepia", box=box)

    # ---- ImageEnhance

    def brightness(self, factor: float, box: Sequence[int] | None = None) -> None:
        """As ``ImageEnhance.Brightness(im).enhance(factor)``, in place."""
        self._apply("brightness", require_number("factor", factor), box=box)

    def contrast(self, factor: float, box: Sequence[int] | None = None) -> None:
        """As ``ImageEnhance.Contrast(im).enhance(factor)``, in place."""
        self._apply("contrast", require_number("factor", factor), box=box)

    def color(self, factor: float, box: Sequence[int] | None = None) -> None:
        """As ``ImageEnhance.Color(im).enhance(factor)``, in place."""
        self._apply("saturation", require_number("factor", factor), box=box)

    def sharpness(self, factor: float, box: Sequence[int] | None = None) -> None:
        """As ``ImageEnhance.Sharpness(im).enhance(factor)``, in place."""
        self._apply("sharpness", require_number("factor", factor), box=box)

    # ---- with another image

    def blend(self, other: Image, alpha: float, box: Sequence[int] | None = None) -> None:
        """As ``Image.blend(im, other, alpha)``, in place."""
        require_matching(self._image, other)
        self._apply("blend", other.raw, require_number("alpha", alpha), box=box)

    def chop(self, name: str, other: Image, box: Sequence[int] | None = None, **options: float) -> None:
        """As ``ImageChops.<name>(im, other, ...)``, in place: ``name`` is
        one of add, subtract (with ``scale`` and ``offset``), add_modulo,
        subtract_modulo, multiply, screen, difference, lighter, darker,
        overlay, soft_light, hard_light."""
        if name not in _CHOPS:
            raise ValueError(f"name must be one of {', '.join(_CHOPS)}; got {name!r}")
        require_matching(self._image, other)
        extra: list[float] = []
        if name in ("add", "subtract"):
            extra = [
                require_number("scale", options.pop("scale", 1.0)),
                require_int("offset", options.pop("offset", 0)),
            ]
        if options:
            raise TypeError(f"{name} takes no option {next(iter(options))!r}")
        self._apply(name, other.raw, *extra, box=box)

    def fill(self, colour: Colour, box: Sequence[int] | None = None) -> None:
        """Paint the image, or ``box``, one colour (in the mode's terms)."""
        self._image._call("fill", *modes.stored_colour(colour, self._image.mode), region(box))

    def convert(self, mode: str) -> None:
        """As ``im.convert(mode)`` among "L", "LA", "RGB" and "RGBA",
        without new pixels: the stored bytes are changed and the mode set."""
        self._image._become(mode)
        self._image._settle()

    # ---- new pixels, same Image

    def transpose(self, method: int) -> None:
        """As ``im.transpose(method)``; the pixels are replaced."""
        with self._image.transpose(method) as result:
            self._take(result)

    def resize(self, size: tuple[int, int], resample: int | None = None) -> None:
        """As ``im.resize(size, resample)``; the pixels are replaced."""
        with self._image.resize(size, resample) as result:
            self._take(result)

    def rotate(self, angle: float, resample: int = 0, expand: bool = False, fillcolor: Colour | None = None) -> None:
        """As ``im.rotate(...)``; the pixels are replaced."""
        with self._image.rotate(angle, resample, expand, fillcolor=fillcolor) as result:
            self._take(result)

    def crop(self, box: tuple[float, float, float, float]) -> None:
        """As ``im.crop(box)``; the pixels are replaced."""
        with self._image.crop(box) as result:
            self._take(result)

    def _take(self, result: Image) -> None:
        raw, result._raw = result._raw, None
        self._image._replace(raw)
