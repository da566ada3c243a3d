"""Pillow's ``PIL.Image`` on wasmcanvas: the same functions, methods,
arguments, defaults and return values, for images whose pixels stay in wasm
memory and whose every operation runs in Rust.

Pillow code runs after changing its import line:

>>> from wasmcanvas import Image, ImageFilter
>>> im = Image.new("RGB", (320, 200), "#1d2330")
>>> im = im.resize((160, 100), Image.Resampling.BILINEAR).rotate(30, expand=True)
>>> im.filter(ImageFilter.GaussianBlur(2)).convert("L").size
(190, 168)

Methods return new images as Pillow's do (``paste``, ``putpixel``,
``putalpha``, ``alpha_composite`` and ``thumbnail`` change the image, as in
Pillow). The allocation-free forms for animation loops are in
``im.inplace`` (see ``wasmcanvas.inplace``). What Pillow has not got is
marked "wasmcanvas's own": ``ptr``, ``view()``, ``js_view()``, ``pixels``,
``from_image_data`` and the canvas in ``wasmcanvas.Canvas``.

Every Pillow mode is here (``Image.MODES``): "1", "L", "LA", "La", "P",
"PA", "I", "F", the 16-bit ones, "RGB", "RGBA", "RGBa", "RGBX", "CMYK",
"YCbCr", "LAB" and "HSV"; each keeps 4 bytes a pixel in wasm memory (the
handbook's "Images and modes" says how), so ``ptr``, ``view()`` and
``js_view()`` show that stored layout, while ``tobytes`` gives Pillow's.
"""

from __future__ import annotations

import abc
import builtins
import io
import math
import os
import random
import re
import struct
import sys
import warnings
from collections.abc import Buffer, Callable, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Literal

from . import ImageColor, ImageMode, ImagePalette
from . import _files as files
from . import _imaging as core
from . import _modes as modes
from . import _quantize as quantizing
from . import _saving as saving
from ._checks import require_box, require_int, require_matching, require_number, require_size
from ._empty import EmptyPixels, blank
from ._exif import Exif
from ._formats import (
    FilePath,
    check_readable,
    read_source,
    save_format,
    write_target,
)
from ._modes import Colour
from ._owned import RustOwned
from ._pycodecs import PyDecoder, PyEncoder
from .errors import DecompressionBombError, DecompressionBombWarning, UnidentifiedImageError
from .module import call_rust, js_array, rust, wasm_memory

if TYPE_CHECKING:
    from .inplace import InPlace
    from .memory import LiveView

__all__ = [
    "MAX_IMAGE_PIXELS",
    "MODES",
    "REPR_MAX_PIXELS",
    "DecompressionBombError",
    "DecompressionBombWarning",
    "Dither",
    "Exif",
    "Image",
    "ImagePointTransform",
    "ImageTransformHandler",
    "Palette",
    "PixelAccess",
    "Quantize",
    "Resampling",
    "Transform",
    "Transpose",
    "UnidentifiedImageError",
    "alpha_composite",
    "blend",
    "composite",
    "effect_mandelbrot",
    "effect_noise",
    "from_image_data",
    "frombytes",
    "getmodebandnames",
    "getmodebands",
    "getmodebase",
    "getmodetype",
    "linear_gradient",
    "merge",
    "new",
    "open",
    "radial_gradient",
    "register_decoder",
    "register_encoder",
    "size_limits",
]


class Resampling(IntEnum):
    """Pillow's resampling filters, numbered as Pillow numbers them."""

    NEAREST = 0
    LANCZOS = 1
    BILINEAR = 2
    BICUBIC = 3
    BOX = 4
    HAMMING = 5
    MKS2013 = 6
    MKS2021 = 7


class Transpose(IntEnum):
    """Pillow's ``transpose`` methods (``ROTATE_90`` turns counter-clockwise)."""

    FLIP_LEFT_RIGHT = 0
    FLIP_TOP_BOTTOM = 1
    ROTATE_90 = 2
    ROTATE_180 = 3
    ROTATE_270 = 4
    TRANSPOSE = 5
    TRANSVERSE = 6


class Transform(IntEnum):
    """Pillow's ``transform`` methods."""

    AFFINE = 0
    EXTENT = 1
    PERSPECTIVE = 2
    QUAD = 3
    MESH = 4


class ImageTransformHandler(abc.ABC):
    """Pillow's base of objects that ``Image.transform`` hands the work to:
    ``im.transform(size, handler)`` returns ``handler.transform(size, im,
    resample=..., fill=...)`` (see ``ImageTransform``)."""

    @abc.abstractmethod
    def transform(self, size: tuple[int, int], image: Image, **options: Any) -> Image:
        """``image`` transformed to ``size``."""


class Dither(IntEnum):
    """Pillow's dithering methods for ``convert("1")`` and ``convert("P")``
    (wasmcanvas dithers with FLOYDSTEINBERG, the default, or not at all)."""

    NONE = 0
    ORDERED = 1
    RASTERIZE = 2
    FLOYDSTEINBERG = 3


class Palette(IntEnum):
    """Pillow's palettes for ``convert("P")``: the web palette, or one
    adapted to the image."""

    WEB = 0
    ADAPTIVE = 1


class Quantize(IntEnum):
    """Pillow's quantization methods (``LIBIMAGEQUANT`` raises, as Pillow
    built without libimagequant)."""

    MEDIANCUT = 0
    MAXCOVERAGE = 1
    FASTOCTREE = 2
    LIBIMAGEQUANT = 3


MODES = list(modes.MODES)
"""Pillow's image modes, every one of which wasmcanvas has."""


def getmodebase(mode: str) -> str:
    """The base mode ("L", "RGB" or "P") of ``mode``, as Pillow's.

    >>> getmodebase("CMYK"), getmodebase("I;16")
    ('RGB', 'L')
    """
    return ImageMode.getmode(mode).basemode


def getmodetype(mode: str) -> str:
    """The storage type ("L", "I" or "F") of ``mode``'s bands."""
    return ImageMode.getmode(mode).basetype


def getmodebandnames(mode: str) -> tuple[str, ...]:
    """The band names of ``mode``: ``("R", "G", "B")`` for "RGB"."""
    return ImageMode.getmode(mode).bands


def getmodebands(mode: str) -> int:
    """The number of bands of ``mode``."""
    return len(ImageMode.getmode(mode).bands)


# Pillow's module-level names for the same numbers.
NEAREST, LANCZOS, BILINEAR, BICUBIC, BOX, HAMMING = (
    Resampling.NEAREST,
    Resampling.LANCZOS,
    Resampling.BILINEAR,
    Resampling.BICUBIC,
    Resampling.BOX,
    Resampling.HAMMING,
)
FLIP_LEFT_RIGHT, FLIP_TOP_BOTTOM, ROTATE_90, ROTATE_180, ROTATE_270, TRANSPOSE, TRANSVERSE = tuple(Transpose)
AFFINE, EXTENT, PERSPECTIVE, QUAD, MESH = tuple(Transform)
MKS2013, MKS2021 = Resampling.MKS2013, Resampling.MKS2021
NONE, ORDERED, RASTERIZE, FLOYDSTEINBERG = tuple(Dither)
WEB, ADAPTIVE = tuple(Palette)
MEDIANCUT, MAXCOVERAGE, FASTOCTREE, LIBIMAGEQUANT = tuple(Quantize)

_LOG2_E = 1.4426950408889634


class ImagePointTransform:
    """What ``point`` hands a function on an "I", "I;16" or "F" image:
    ``value * scale + offset``, composed by the function's arithmetic
    (Pillow's)."""

    def __init__(self, scale: float, offset: float) -> None:
        self.scale = scale
        self.offset = offset

    def __neg__(self) -> ImagePointTransform:
        return ImagePointTransform(-self.scale, -self.offset)

    def __add__(self, other: ImagePointTransform | float) -> ImagePointTransform:
        if isinstance(other, ImagePointTransform):
            return ImagePointTransform(self.scale + other.scale, self.offset + other.offset)
        return ImagePointTransform(self.scale, self.offset + other)

    __radd__ = __add__

    def __sub__(self, other: ImagePointTransform | float) -> ImagePointTransform:
        return self + -other

    def __rsub__(self, other: ImagePointTransform | float) -> ImagePointTransform:
        return other + -self

    def __mul__(self, other: float) -> ImagePointTransform:
        if isinstance(other, ImagePointTransform):
            return NotImplemented
        return ImagePointTransform(self.scale * other, self.offset * other)

    __rmul__ = __mul__

    def __truediv__(self, other: float) -> ImagePointTransform:
        if isinstance(other, ImagePointTransform):
            return NotImplemented
        return ImagePointTransform(self.scale / other, self.offset / other)


def _c_int(value: float) -> int:
    """A double cast to a C int32 as x86 casts it: truncated toward zero;
    out of range, or NaN, the most negative int."""
    if value != value or not -(2.0**31) - 1 < value < 2.0**31:
        return -(2**31)
    return int(value)


def _float32(value: float) -> float:
    """``value`` rounded to a C float, as Pillow's float arithmetic is."""
    return float(struct.unpack("<f", struct.pack("<f", value))[0])


# The filters Pillow's transform and rotate sample with.
_MASK_MODES = ("1", "L", "LA", "RGBA", "RGBa")
"""The modes of the masks Pillow's ``paste`` of an image takes (the last
band weighs each pixel)."""
_FILL_MASK_MODES = ("1", "L", "RGBA", "RGBa")
"""The modes of the masks Pillow's ``paste`` of a colour takes."""

_SAMPLING = (Resampling.NEAREST, Resampling.BILINEAR, Resampling.BICUBIC)


def _resample(value: object, allowed: Sequence[Resampling] = tuple(Resampling)) -> int:
    """``value`` as a filter number, refused with Pillow's messages: an
    unknown value, or a known one ``allowed`` leaves out."""
    known = [f"Image.Resampling.{member.name} ({member.value})" for member in allowed]
    use = f"Use {', '.join(known[:-1])} or {known[-1]}"
    if not isinstance(value, int) and value in tuple(Resampling):
        raise TypeError(f"'{type(value).__name__}' object cannot be interpreted as an integer")
    if isinstance(value, bool) or not isinstance(value, int) or value not in tuple(Resampling):
        raise ValueError(f"Unknown resampling filter ({value}). {use}")
    if value not in allowed:
        member = Resampling(value)
        raise ValueError(f"Image.Resampling.{member.name} ({member.value}) cannot be used. {use}")
    return int(value)


def _decompression_bomb_check(size: tuple[int, int]) -> None:
    """Pillow's check of a header's size against ``Image.MAX_IMAGE_PIXELS``:
    a warning over it, ``DecompressionBombError`` over twice it. wasmcanvas's
    own hard limits (``Image.size_limits()``) apply besides, always."""
    limit = MAX_IMAGE_PIXELS
    if limit is None:
        return
    pixels = max(1, size[0]) * max(1, size[1])
    if pixels > 2 * limit:
        raise DecompressionBombError(
            f"Image size ({pixels} pixels) exceeds limit of {2 * limit} pixels, could be decompression bomb DOS attack."
        )
    if pixels > limit:
        warnings.warn(
            f"Image size ({pixels} pixels) exceeds limit of {limit} pixels, could be decompression bomb DOS attack.",
            DecompressionBombWarning,
            stacklevel=3,
        )


def _pillow_size(size: object) -> tuple[int, int]:
    """``(width, height)`` refused as Pillow's ``Image.new`` and
    ``frombytes`` refuse it (``ValueError`` for the wrong kind of thing)."""
    if not isinstance(size, (list, tuple)):
        raise ValueError("Size must be a list or tuple")
    if len(size) != 2:
        raise ValueError("Size must be a sequence of length 2")
    width, height = require_size(size)
    if width < 0 or height < 0:
        raise ValueError("Width and height must be >= 0")
    return width, height


# The modes whose every band is a stored byte, by their band count.
_BYTE_BANDS = {"L": 1, "LA": 2, "RGB": 3, "RGBA": 4}


def _pixel_value(value: Colour, mode: str) -> Colour:
    """A ``putpixel`` value checked as Pillow checks it: ints that do not fit
    a C long overflow, and tuples have one band or the mode's count (a
    single band sets the first, the others 0). Pillow takes no colour
    name, float or None there: only "F" takes a float, and a "P" image an
    RGB(A) list too."""
    if mode == "F":
        number = value[0] if isinstance(value, tuple) and len(value) == 1 else value
        if not isinstance(number, (int, float)):
            raise TypeError(f"must be real number, not {type(number).__name__}")
    elif isinstance(value, list) and mode in ("P", "PA") and len(value) in (3, 4):
        value = tuple(value)
    elif not isinstance(value, (int, tuple)):
        single = modes.band_count(mode) == 1
        raise TypeError("color must be int or single-element tuple" if single else "color must be int or tuple")
    if isinstance(value, tuple):
        bands = min(modes.band_count(mode), 3)
        lengths = {1: (1,), 2: (1, 2), 3: (1, 3, 4)}[bands]
        if mode in ("P", "PA"):
            # an RGB(A) tuple too, through the palette
            lengths += (3, 4)
        if len(value) not in lengths:
            raise TypeError(
                {
                    1: "color must be int or single-element tuple",
                    2: "color must be int, or tuple of one or two elements",
                    3: "color must be int, or tuple of one, three or four elements",
                }[bands]
            )
        if len(value) == 1 and mode != "L":
            value = (*value, *[0] * (modes.band_count(mode) - 1))
        parts: tuple[object, ...] = value
    else:
        parts = (value,)
    for part in parts:
        if isinstance(part, int) and not -(2**63) <= part < 2**63:
            raise OverflowError("int too big to convert")
    return value


MAX_IMAGE_PIXELS: int | None = 1024 * 1024 * 1024 // 4 // 3
"""Pillow's decompression bomb threshold: ``open`` warns
(``DecompressionBombWarning``) above it and raises ``DecompressionBombError``
above twice it; None turns the check off. wasmcanvas's own limits
(``size_limits()``) are checked besides, whatever it is."""

REPR_MAX_PIXELS: int | None = 2048 * 2048
"""Ours, not Pillow's: the most pixels a notebook is sent. A larger image is
shown as a preview, reduced by the smallest whole factor that brings it under
this (each preview pixel the mean of a box of pixels), and ``_repr_png_``
returns None when JPEG can hold its mode, so the front end shows the
``_repr_jpeg_``: a 12-megapixel photo is sent as a JPEG of 2016x1512, not as
a PNG of 30 MB in base64. None sends every image whole, as Pillow does."""


def _public_module(cls: type) -> str:
    """The module of ``cls`` under the name its user imported it by: a
    script that installed wasmcanvas as ``sys.modules["PIL"]`` sees Pillow's
    names in reprs, as it would with Pillow."""
    module = cls.__module__
    package, _, rest = module.partition(".")
    if package == "wasmcanvas" and rest and sys.modules.get("PIL") is sys.modules.get("wasmcanvas"):
        return f"PIL.{rest}"
    return module


def _thumbnail_size(size: tuple[int, int], current: tuple[int, int]) -> tuple[int, int] | None:
    """The size ``thumbnail`` gives an image of size ``current`` to fit in
    ``size`` keeping its aspect (the side it does not fill rounded to the
    integer whose ratio is nearest), None when it fits already: Pillow's.

    >>> _thumbnail_size((64, 64), (640, 480))
    (64, 48)
    """
    x, y = size
    width, height = current
    if x >= width and y >= height:
        return None
    aspect = width / height

    def nearest(number: float, error: Callable[[int], float]) -> int:
        return max(min(math.floor(number), math.ceil(number), key=error), 1)

    if x / y >= aspect:
        return nearest(y * aspect, lambda n: abs(aspect - n / y)), y
    return x, nearest(x / aspect, lambda n: 0 if n == 0 else abs(aspect - x / n))


class Image(RustOwned):
    """An image whose pixels live in wasm memory (Pillow's ``Image.Image``).

    Make one with ``Image.new``, ``Image.open`` or ``Image.frombytes``
    (``Image()`` is Pillow's empty image, no pixels and no mode). Its
    pixels are freed as soon as Python drops the last reference to it (or at
    ``close()``), not whenever the JS garbage collector happens to run: wasm
    memory never shrinks, so an image left to JS's collector could hold its
    bytes for good. A ``with`` block keeps them, as Pillow's keeps a loaded
    image usable after it.
    """

    format: str | None = None
    """The format of the file the image was read from (``"PNG"``), else None."""
    info: dict[str, Any]
    """Pillow's dictionary of facts about the image (what the file said)."""
    palette: ImagePalette.ImagePalette | None = None
    """The colour table of a "P" or "PA" image (None for other modes)."""
    _mode: str
    _exif: Exif | None = None

    _closed_message = "this Image is closed: its pixels were freed; use it before close() or copy() it"
    _reloaded_message = "this Image was made by the rust_image module before it was reloaded; its pixels are gone"

    def __init__(self) -> None:
        """An empty image, mode "" and size 0x0, as Pillow's ``Image()``: what
        a subclass starts from before it sets ``im`` (images with pixels
        come from ``new``, ``open`` or ``frombytes``).

        >>> Image.Image().size, Image.Image().mode
        ((0, 0), '')
        """
        self._own(EmptyPixels(0, 0))
        self._mode = ""
        self.info = {}
        self.palette = None

    @classmethod
    def _wrap(cls, raw: Any, mode: str, palette: ImagePalette.ImagePalette | None = None) -> Image:
        image = cls.__new__(cls)
        image._own(raw)
        image._mode = mode
        image.info = {}
        image.palette = None
        if mode in ("P", "PA"):
            image.palette = ImagePalette.ImagePalette() if palette is None else palette.copy()
        return image

    def _new(self, raw: Any, mode: str | None = None) -> Image:
        """A new image of ``raw``'s pixels, in this one's mode unless told
        (a palette image's copy keeps its palette), with a copy of this
        one's ``info``, as Pillow's. ``raw`` may be a core
        object (``Image.core``): then, as in Pillow, the image has its mode
        and this image's ``info`` and palette (a new one if this has none)."""
        if isinstance(raw, core.ImagingCore):
            return self._from_core(raw)
        image = Image._wrap(raw, mode or self._mode, self.palette)
        # Pillow's new image starts with a copy of this one's info (dpi, EXIF...).
        image.info = self.info.copy()
        image._settle()
        return image

    def _from_core(self, im: core.ImagingCore) -> Image:
        image = im._take()
        image.info = self.info.copy()
        image.palette = None
        if image.mode in ("P", "PA"):
            image.palette = self.palette.copy() if self.palette else ImagePalette.ImagePalette()
        return image

    @property
    def im(self) -> core.ImagingCore:
        """Pillow's core object of this image (see ``Image.core``): bound
        to these pixels. Setting it gives the image a core object's pixels
        and mode."""
        return core.ImagingCore(self)

    @im.setter
    def im(self, im: core.ImagingCore) -> None:
        taken = im._take()
        raw, taken._raw = taken.raw, None
        self._mode = taken.mode
        if getattr(self, "_raw", None) is None:
            self._own(raw)
        else:
            self._replace(raw)
        # As in Pillow, the core object and the image now share the pixels.
        im._image = self

    def getim(self) -> core.ImagingCore:
        """The image's core object (Pillow gives a capsule of its C image;
        wasmcanvas's core is the object ``im`` gives)."""
        return self.im

    def _derive(self, change: Callable[[Image], Any], mode: str | None = None) -> Image:
        """A copy changed in place by ``change``, then given ``mode``; freed
        if that fails."""
        result = self.copy()
        try:
            change(result)
            result._mode = mode or self._mode
            if result._mode not in ("P", "PA"):
                result.palette = None
            result._settle()
        except BaseException:
            result.close()
            raise
        return result

    def _settle(self, rect: Sequence[int] | None = None) -> None:
        """Give a mode without alpha back its opaque alpha after an operation
        that works on all four stored bytes (only in ``rect``, ``[x, y,
        width, height]``, when it is given: the rest kept its alpha)."""
        if self._mode in modes.OPAQUE:
            self._call("put_alpha", 255, js_array(rect))

    def __exit__(self, *exc_info: object) -> None:
        """The end of a ``with`` block: Pillow's closes the image's file
        (``ImageFile`` does) and keeps its pixels; they are freed when the
        last reference goes, or at ``close()``."""

    def _call(self, method: str, *args: Any) -> Any:
        raw = self.raw
        if isinstance(raw, EmptyPixels):
            # An image of no pixels never reaches rust_image (see ``_empty``).
            return raw.call(method, *args)
        return call_rust(self._method(raw, method), *args)

    def _replace(self, raw: Any) -> None:
        """Take the pixels of a new ``RgbaImage`` and free the old ones."""
        old, self._raw = self._raw, raw
        old.free()
        self._settle()

    # ---- what the image is

    def __repr__(self) -> str:
        """Pillow's repr: the class's module and name, mode, size and
        address (``<PIL.Image.Image image mode=L size=4x4 at 0x...>`` when
        wasmcanvas is installed as ``PIL``)."""
        name = f"{_public_module(type(self))}.{type(self).__qualname__}"
        if self.closed:
            return f"<{name} (closed)>"
        return f"<{name} image mode={self._mode} size={self.width}x{self.height} at 0x{id(self):X}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Image):
            return False
        return (
            self.mode == other.mode
            and self.size == other.size
            and self.info == other.info
            and self.getpalette() == other.getpalette()
            and self.tobytes() == other.tobytes()
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def mode(self) -> str:
        """One of ``MODES``: ``"L"``, ``"RGB"``, ``"P"``, ``"I;16"``..."""
        return self._mode

    @property
    def width(self) -> int:
        return int(self.raw.width)

    @property
    def height(self) -> int:
        return int(self.raw.height)

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def getbands(self) -> tuple[str, ...]:
        """The names of the bands: ``("R", "G", "B")`` for "RGB"."""
        return modes.BANDS[self._mode]

    @property
    def inplace(self) -> InPlace:
        """The operations that change this image instead of returning a new
        one (wasmcanvas's own; see ``wasmcanvas.inplace``).

        >>> im = Image.new("RGB", (8, 8), "red")
        >>> im.inplace.filter(ImageFilter.GaussianBlur(3))   # no new image
        >>> im.getpixel((4, 4))
        (255, 0, 0)
        """
        from .inplace import InPlace

        # Made on each use, not kept: an image holding the object that holds
        # it would be a reference cycle, freed only when the cycle collector
        # runs instead of as soon as the image is dropped.
        return InPlace(self)

    # ---- frames (a wasmcanvas image has one)

    n_frames = 1
    """The number of frames: 1 (``Image.open`` reads an animation's first)."""
    is_animated = False
    """Whether the image has more than one frame: never here."""
    readonly = 0
    """Pillow's flag for images over memory they must not write (1 or 0).
    wasmcanvas images own their pixels, but the flag is Pillow's: 1 on a
    file just opened until it is loaded, then 1 where Pillow maps the file
    into memory (``ImageFile``), else 0. What writes pixels (``paste``,
    ``putpixel``, ``putdata``, ``putalpha``, ``ImageDraw.Draw``, saving
    over the file read) clears it, as Pillow's copy-before-write does."""

    def _copy(self) -> None:
        """Pillow's copy of a read-only image's pixels before writing to
        them: this image owns its pixels already, so it is loaded and only
        the flag goes."""
        self.load()
        self.readonly = 0

    def _ensure_mutable(self) -> None:
        """Pillow's step before writing: a read-only image is copied, any
        other loaded."""
        if self.readonly:
            self._copy()
        else:
            self._loaded()

    def seek(self, frame: int) -> None:
        """Go to ``frame``: 0 is the only one; any other raises ``EOFError``
        as Pillow's still images do."""
        if frame != self.tell():
            raise EOFError("no more images in file")

    def tell(self) -> int:
        """The current frame: 0."""
        return 0

    # ---- pickling: mode, size, info and pixels, as Pillow pickles them

    def __getstate__(self) -> list[Any]:
        return [self.info, self._mode, self.size, self.getpalette(), self.tobytes()]

    def __setstate__(self, state: list[Any]) -> None:
        info, mode, size, palette, data = state[:5]
        made = frombytes(mode, size, data)
        self._own(made._raw)
        made._raw = None
        self._mode = made._mode
        self.palette = made.palette
        # As Pillow, a palette given to an "L" or "LA" image makes it "P" or "PA".
        if mode in ("L", "LA", "P", "PA") and palette:
            self.putpalette(palette)
        self.info = dict(info)

    # ---- wasm memory (wasmcanvas's own)

    @property
    def ptr(self) -> int:
        """Address of the pixels in wasm memory, stored RGBA whatever the
        mode (it changes when an in-place operation changes the size)."""
        return int(self.raw.ptr())

    @property
    def nbytes(self) -> int:
        """Length of the stored pixels: width * height * 4."""
        return int(self.raw.len())

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(height, width, 4)``, as NumPy would shape the stored pixels."""
        return (self.height, self.width, 4)

    @property
    def pixels(self) -> memoryview:
        """A copy of the stored RGBA pixels, shaped ``(height, width, 4)``."""
        return wasm_memory().snapshot(self.ptr, self.nbytes, self.shape)

    def view(self) -> LiveView:
        """A live view of the stored RGBA bytes: writes reach Rust directly.
        Keep a mode's rule when writing (grey in all of red, green and blue
        for "L" and "LA", alpha 255 for "L" and "RGB")."""
        return wasm_memory().view(self.ptr, self.nbytes)

    def js_view(self) -> Any:
        """A zero-copy ``Uint8ClampedArray`` over the stored RGBA pixels, for JS."""
        return wasm_memory().js_view(self.ptr, self.nbytes)

    # ---- bytes and files

    def tobytes(self, encoder_name: str = "raw", *args: Any) -> bytes:
        """The pixels in the mode's layout, row by row, as Pillow's (1 byte
        a pixel for "L" and "P", 3 for "RGB", 4 for "I" and "F", 2 for the
        16-bit modes, "1" 8 pixels a byte, each row padded to a byte)."""
        if encoder_name in ENCODERS:
            return self._encode(encoder_name, args)
        if encoder_name != "raw" or (args and args[0] not in (self._mode, None)):
            raise NotImplementedError(
                "only the raw encoder in the image's own mode is supported; convert() first for another layout"
            )
        if self.width == 0 or self.height == 0:
            return b""
        return modes.pack(self._carried(), self._mode, self.width)

    def frombytes(self, data: Buffer, decoder_name: str = "raw", *args: Any) -> None:
        """Load pixel bytes into this image (in place, as Pillow), through
        the decoder ``decoder_name`` (the raw decoder takes the mode's own
        layout, as ``tobytes`` gives it).

        >>> im = new("L", (2, 1))
        >>> im.frombytes(b"\\x05\\x06")
        >>> im.getpixel((1, 0))
        6
        """
        if self.width == 0 or self.height == 0:
            return
        if len(args) == 1 and isinstance(args[0], tuple):
            args = args[0]
        if decoder_name == "raw" and args == ():
            args = (self._mode,)
        decoder = _getdecoder(self._mode, decoder_name, args)
        decoder.setimage(self.im, (0, 0, *self.size))
        consumed, error = decoder.decode(data)
        if consumed >= 0:
            raise ValueError("not enough image data")
        if error != 0:
            raise ValueError("cannot decode image data")

    def _encode(self, encoder_name: str, args: tuple[Any, ...]) -> bytes:
        """``tobytes`` through a registered Python encoder, as Pillow runs
        one: ``encode`` until it reports an end, a negative code being an
        error; ``cleanup`` whatever happens."""
        if len(args) == 1 and isinstance(args[0], tuple):
            args = args[0]
        if encoder_name == "raw" and args == ():
            args = (self._mode,)
        self.load()
        if self.width == 0 or self.height == 0:
            return b""
        encoder = _getencoder(self._mode, encoder_name, args)
        output = []
        try:
            encoder.setimage(self.im, (0, 0, *self.size))
            from .ImageFile import MAXBLOCK

            bufsize = max(MAXBLOCK, self.width * 4)
            while True:
                _consumed, error, data = encoder.encode(bufsize)
                output.append(data)
                if error:
                    break
            if error < 0:
                raise RuntimeError(f"encoder error {error} in tobytes")
        finally:
            encoder.cleanup()
        return b"".join(output)

    def _carried(self) -> bytes:
        """The pixels in the 8-bit layout that carries this mode's bytes."""
        return bytes(self._call("to_bytes", modes.CARRIER[self._mode], None).to_py())

    def save(self, fp: FilePath | Any, format: str | None = None, **params: Any) -> None:
        """Write the image as a PNG, JPEG, GIF, WebP, BMP, PPM or TIFF (uncompressed) file to a path or a
        binary file object; ``format`` defaults to the file name's extension. Pillow's
        options are used: ``compress_level`` (0-9) and ``optimize`` for PNG,
        ``quality`` (1-100, default 75) for JPEG; others are ignored, as in
        Pillow. Each format takes the modes Pillow writes it in (PNG "1",
        "L", "LA", "P", "RGB", "RGBA", "I;16"; BMP "1", "L", "P", "RGB",
        "RGBA"...; see ``_saving``); another raises Pillow's ``OSError``.
        JPEG has no alpha: "RGBA" and "LA" raise ``OSError`` as in Pillow
        (``convert("RGB")`` first).

        >>> Image.new("RGB", (7, 5), "teal").save("/tmp/tiny.png")
        """
        name = save_format(fp, format)
        self._load_for_save(fp)
        if self.width == 0 or self.height == 0:
            raise ValueError("cannot write empty image")
        target = fp if isinstance(fp, (str, os.PathLike)) else getattr(fp, "name", "")
        filename = os.fsdecode(target) if isinstance(target, (str, bytes, os.PathLike)) else ""
        write_target(fp, saving.file_bytes(self, name, params, filename))
        flush = getattr(fp, "flush", None)
        if name == "SGI" and callable(flush):
            flush()  # as Pillow's SGI writer

    def _load_for_save(self, fp: Any) -> None:
        """Pillow's step before writing: an image saved over the file it was
        read from is made writable (no longer ``readonly``), any other loaded."""
        from .ImageFile import ImageFile

        target = fp if isinstance(fp, (str, bytes, os.PathLike)) else getattr(fp, "name", "")
        target = os.fsdecode(target) if isinstance(target, (str, bytes, os.PathLike)) else ""
        if isinstance(self, ImageFile) and os.path.abspath(target) == os.path.abspath(self.filename):
            self._ensure_mutable()
        else:
            self.load()

    def effect_spread(self, distance: int) -> Image:
        """Pillow's random spread: each pixel swapped with one at most
        ``distance // 2`` away (0 gives a copy). Random as Pillow's (which
        draws from C's ``rand()``): the same distribution, other pixels.

        >>> Image.new("L", (8, 8)).effect_spread(4).size
        (8, 8)
        """
        distance = require_int("distance", distance, minimum=0)
        return self._new(self._call("effect_spread", distance, random.getrandbits(53)))

    def _dump(self, file: str | None = None, format: str | None = None, **options: Any) -> str:
        """Pillow's debugging helper: saves the image (as PPM unless
        ``format`` is given) to ``file`` (``.format`` appended when it does
        not end so) or to a new temporary file, and returns the path."""
        suffix = f".{format}" if format else ""
        if file:
            filename = file if file.endswith(suffix) else file + suffix
        else:
            import os
            import tempfile

            handle, filename = tempfile.mkstemp(suffix)
            os.close(handle)
        self.save(filename, format or "PPM", **options)
        return filename

    def _repr_image(self, image_format: str, **kwargs: Any) -> bytes | None:
        """The image (or its preview above ``REPR_MAX_PIXELS``) saved as
        ``image_format``; None when that format cannot hold it, as Pillow."""
        shown = self
        limit = REPR_MAX_PIXELS
        if limit is not None and self.width * self.height > limit:
            factor = 2
            while -(-self.width // factor) * -(-self.height // factor) > limit:
                factor += 1
            size = (-(-self.width // factor), -(-self.height // factor))
            shown = self.resize(size, Resampling.BOX)
        out = io.BytesIO()
        try:
            shown.save(out, image_format, **kwargs)
        except Exception:
            return None
        return out.getvalue()

    def _repr_jpeg_(self) -> bytes | None:
        """The image as JPEG bytes for Jupyter-style front ends; None when
        JPEG cannot hold its mode, as Pillow. Above ``REPR_MAX_PIXELS``, a
        reduced preview.

        >>> Image.new("RGB", (4000, 3000))._repr_jpeg_()[:2]
        b'\\xff\\xd8'
        """
        return self._repr_image("JPEG")

    def _repr_png_(self) -> bytes | None:
        """The image as PNG bytes: how Jupyter-style front ends (and the
        wasmcanvas REPL) show an image returned at the prompt; None when PNG
        cannot hold its mode, as Pillow. Above ``REPR_MAX_PIXELS`` (ours),
        None when JPEG can hold the mode (the front end shows the
        ``_repr_jpeg_``), else a PNG of a reduced preview.

        >>> Image.new("RGBA", (64, 48))._repr_png_()[:4]
        b'\\x89PNG'
        >>> Image.new("RGB", (4000, 3000))._repr_png_() is None
        True
        """
        from ._jpegsave import ENCODER_MODE

        limit = REPR_MAX_PIXELS
        if limit is not None and self.width * self.height > limit and self.mode in ENCODER_MODE:
            return None
        return self._repr_image("PNG", compress_level=1)

    # ---- pixels

    def _xy(self, xy: Any) -> tuple[int, int]:
        try:
            given_x, given_y = xy
        except (TypeError, ValueError):
            raise TypeError(f"xy must be an (x, y) pair, got {xy!r}") from None
        x, y = require_int("x", given_x), require_int("y", given_y)
        width, height = self.size
        if x < 0:
            x += width
        if y < 0:
            y += height
        if not (0 <= x < width and 0 <= y < height):
            raise IndexError("image index out of range")
        return x, y

    def getpixel(self, xy: tuple[int, int]) -> modes.ModeValue:
        """The pixel at ``xy``: an int for "L", a tuple of the bands
        otherwise (negative coordinates count from the far side)."""
        point = _plain_point(xy) or self._xy(xy)
        word = self._call("pixel_word", *point)
        if word is None:
            raise IndexError("image index out of range")
        return modes.word_value(word, self._mode)

    def putpixel(self, xy: tuple[int, int], value: Colour) -> None:
        """Set one pixel (in place, as Pillow); a "P" or "PA" image takes
        an RGB(A) tuple too, found in or added to its palette."""
        self._ensure_mutable()
        point = _plain_point(xy)
        colour = self._byte_colour(value)
        # A point outside is refused before a bad value, as Pillow's core
        # refuses it.
        if point is None or colour is None:
            point = self._xy(xy)
        if colour is None:
            colour = self._ink(_pixel_value(value, self._mode))
        if not self._call("set_pixel_word", *point, _word(colour)):
            raise IndexError("image index out of range")

    def _byte_colour(self, value: object) -> modes.RGBA | None:
        """The stored pixel of ``putpixel``'s common case: for "L", "LA",
        "RGB" or "RGBA" (no palette) a tuple of exactly the mode's bytes, or
        an "L" byte as an int; anything else is None, for the full checks
        (Pillow's scripts call putpixel a pixel at a time, so the checks'
        cost shows)."""
        mode = self._mode
        if mode == "L" and type(value) is int and 0 <= value <= 255:
            return (value, value, value, 255)
        if type(value) is not tuple or self.palette is not None or _BYTE_BANDS.get(mode) != len(value):
            return None
        bands: tuple[int, ...] = value
        for band in bands:
            if type(band) is not int or not 0 <= band <= 255:
                return None
        if mode == "L":
            return (bands[0], bands[0], bands[0], 255)
        if mode == "LA":
            return (bands[0], bands[0], bands[0], bands[1])
        return (bands[0], bands[1], bands[2], 255 if mode == "RGB" else bands[3])

    def _ink(self, value: object) -> modes.RGBA:
        """The stored pixel of ``value``, mapped through the palette when
        this is a "P" or "PA" image and ``value`` an RGB(A) tuple."""
        if self.palette is not None and isinstance(value, (list, tuple)) and len(value) in (3, 4):
            alpha = 255
            if self._mode == "PA":
                alpha = value[3] if len(value) == 4 else 255
                value = value[:3]
            # Clipped as Pillow's ink is: a full palette can hand out a
            # histogram slot past 255 for a "PA" image.
            index = min(self.palette.getcolor(tuple(value), self), 255)
            value = (index, alpha) if self._mode == "PA" else index
        return modes.stored_colour(value, self._mode)

    def load(self) -> PixelAccess:
        """Pillow's pixel access object: ``px = im.load(); px[x, y]``
        (a closed image raises ``ClosedImageError``, a ``ValueError``, as
        Pillow raises one)."""
        self._loaded()
        return PixelAccess(self)

    def _loaded(self) -> None:
        """``load`` without its access object, for the steps that write."""
        self.raw  # noqa: B018 (refuses a closed image)
        self._realize_palette()

    def getdata(self, band: int | None = None) -> list[Any]:
        """The pixels row by row as a list (Pillow gives a sequence object),
        or the values of one band. Deprecated in Pillow 13, which warns
        (``DeprecationWarning``) as this does: use ``get_flattened_data``."""
        warnings.warn(
            "Image.Image.getdata is deprecated and will be removed in Pillow 14 (2027-10-15). "
            "Use get_flattened_data instead.",
            DeprecationWarning,
            stacklevel=2,
        )
        return self._pixel_list(band)

    def _pixel_list(self, band: int | None) -> list[Any]:
        if self._mode in modes.WIDE:
            if band is not None:
                modes.band_index(self._mode, band)
            return modes.wide_values(self._carried(), self._mode)
        data = self._carried()
        count = len(modes.CARRIER[self._mode])
        if band is not None:
            return list(data[modes.band_index(self._mode, band) :: count])
        if count == 1:
            return list(data)
        return [tuple(data[i : i + count]) for i in range(0, len(data), count)]

    def get_flattened_data(self, band: int | None = None) -> tuple[Any, ...]:
        """The pixels row by row as a tuple, or the values of one band
        (Pillow 13's name for what ``getdata`` gave).

        >>> new("LA", (2, 1), (7, 9)).get_flattened_data()
        ((7, 9), (7, 9))
        """
        return tuple(self._pixel_list(band))

    # ---- copies and modes

    def copy(self) -> Image:
        image = Image._wrap(self._call("copy"), self._mode, self.palette)
        image.info = self.info.copy()
        return image

    __copy__ = copy

    def convert(
        self,
        mode: str | None = None,
        matrix: Any = None,
        dither: Any = None,
        palette: int = Palette.WEB,
        colors: int = 256,
    ) -> Image:
        """A copy in another mode, with Pillow's arithmetic for each pair
        (a pair Pillow's core lacks goes through the base mode, as in
        Pillow): "1" is Floyd-Steinberg dithered unless ``dither`` is
        ``Dither.NONE``; "P" maps colour images onto the web palette, or
        onto ``colors`` of their own with ``Palette.ADAPTIVE``; "P" and
        "PA" of an "RGBA" image quantize it, as Pillow's;
        ``matrix`` (4 or 12 numbers) maps a three-band image to "L" or
        "RGB". ``info["transparency"]`` follows as in Pillow: a transparent
        colour becomes alpha 0 in "LA" and "RGBA", and is restated in the
        new mode's terms for "L", "RGB" and "P". Between "RGB" and "LAB"
        Pillow goes through ImageCms (littlecms), which wasmcanvas has not:
        that raises ``ImportError``, as Pillow built without littlecms does.

        >>> im = new("RGB", (1, 1), (20, 20, 70))
        >>> im.info["transparency"] = (20, 20, 70)
        >>> im.convert("RGBA").getpixel((0, 0)), im.convert("L").info["transparency"]
        ((20, 20, 70, 0), 26)
        """
        has_transparency = "transparency" in self.info
        if not mode and self._mode == "P":
            mode = self.palette.mode if self.palette is not None else "RGB"
            if mode == "RGB" and has_transparency:
                mode = "RGBA"
        if not mode or (mode == self._mode and not matrix):
            return self.copy()
        if matrix:
            return self._convert_matrix(mode, matrix)
        if not isinstance(mode, str):
            raise TypeError(f"mode must be a str, not {type(mode).__name__}")
        if mode not in modes.BANDS:
            # What Pillow's core says of a mode it does not know.
            raise ValueError("image has wrong mode")
        target = mode
        if target in ("P", "PA") and self._mode == "RGBA":
            return quantizing.rgba_to_palette(self, target, colors)
        trns: Any = None
        delete_trns = False
        palette_alpha: dict[int, int] | None = None
        if has_transparency:
            key = self.info["transparency"]
            if (self._mode in ("1", "L", "I", "I;16") and target in ("LA", "RGBA")) or (
                self._mode == "RGB" and target in ("La", "LA", "RGBa", "RGBA")
            ):
                return self._convert_transparent(target, key)
            if self._mode in ("L", "RGB", "P") and target in ("L", "RGB", "P"):
                if isinstance(key, bytes):
                    warnings.warn(
                        "Palette images with Transparency expressed in bytes should be converted to RGBA images",
                        stacklevel=2,
                    )
                    delete_trns = True
                else:
                    trns = self._transparency_in(target, key)
            elif self._mode == "P" and target in ("LA", "PA", "RGBA"):
                delete_trns = True
                if isinstance(key, bytes):
                    palette_alpha = dict(enumerate(key))
                elif isinstance(key, int):
                    palette_alpha = {key: 0}
                else:
                    raise ValueError("Transparency for P mode should be bytes or int")
        if target == "P" and palette == Palette.ADAPTIVE:
            return quantizing.adaptive(self, colors)
        if "LAB" in (self._mode, target):
            self._check_lab(target)
        dithering = Dither.FLOYDSTEINBERG if dither is None else dither
        result = self.copy()
        try:
            if not result._convert_core(target, bool(dithering), palette_alpha):
                base = getmodebase(self._mode)
                if self._mode == "P":
                    # What Pillow's core says of a pair its palette converter lacks.
                    raise ValueError("conversion not supported")
                if base == self._mode or not result._convert_core(base, False):
                    raise ValueError(
                        f"conversion from {self._mode} to {target if base == self._mode else base} not supported"
                    )
                if not result._convert_core(target, bool(dithering)):
                    raise ValueError(f"conversion from {base} to {target} not supported")
        except BaseException:
            result.close()
            raise
        if delete_trns:
            del result.info["transparency"]
        if trns is not None:
            result._put_transparency(trns)
        if target == "PA" and palette == Palette.ADAPTIVE:
            # Pillow's "PA" keeps the source's palette (or none) when asked for an adaptive one.
            result.palette = self.palette.copy() if self.palette is not None else ImagePalette.ImagePalette()
        return result

    def _check_lab(self, target: str) -> None:
        """Pillow's way between "LAB" and the RGB modes: ImageCms, which
        wasmcanvas has not (Pillow first converts any other source to
        "RGBA", which may fail on its own)."""
        source = self._mode
        if target == "LAB" and source not in ("RGB", "RGBA", "RGBX"):
            with self.convert("RGBA"):
                source = "RGBA"
        if {source, target} & {"RGB", "RGBA", "RGBX"}:
            raise ImportError(
                f"convert from {self._mode} to {target} needs ImageCms, which wasmcanvas has not "
                "(Pillow converts between RGB and LAB with littlecms)"
            )

    def _convert_transparent(self, target: str, key: Any) -> Image:
        """Pillow's ``convert_transparent``: the conversion, with alpha 0
        (and, into a premultiplied mode, every byte 0) wherever the pixel
        is ``key``. "RGB" compares its own pixels, the grey modes their
        value clipped to a byte ("1" as 0 and 255) against ``key``'s low
        byte; Pillow's "LA" from "RGB" takes the key's red as grey there."""
        from . import ImageChops

        if self._mode == "RGB":
            if isinstance(key, (str, bytes)) or not isinstance(key, Sequence) or len(key) != 3:
                raise TypeError(f"transparency of an RGB image must be 3 ints, got {key!r}")
            colour = tuple(require_int("transparency", value) & 0xFF for value in key)
        else:
            level = require_int("transparency", key) & 0xFF
            colour = (level, level, level)
        bare = self.copy()
        del bare.info["transparency"]
        with bare:
            compared = bare.copy() if self._mode == "RGB" else bare.convert("L").convert("RGB")
        plain = {"La": "LA", "RGBa": "RGBA"}.get(target, target)
        result = compared.convert(plain)
        try:
            with compared, new("RGB", self.size, colour) as solid, ImageChops.difference(compared, solid) as distance:
                red, green, blue = distance.split()
                with ImageChops.lighter(ImageChops.lighter(red, green), blue) as apart:
                    keep = apart.point(lambda value: 255 if value else 0)
            with keep, ImageChops.invert(keep) as matched:
                result.putalpha(keep)
                if plain == "LA" and self._mode == "RGB":
                    result.paste((colour[0], 0), None, matched)
            result.info.pop("transparency", None)
            if plain != target:
                premultiplied = result.convert(target)
                result.close()
                result = premultiplied
        except BaseException:
            result.close()
            raise
        return result

    def _transparency_in(self, target: str, key: Any) -> Any:
        """The transparent colour ``key`` of this "L", "RGB" or "P" image
        in ``target``'s terms ("P" takes it as RGB), as Pillow computes it:
        a one-pixel image of it converted; None where a "P" image's palette
        has no room for an RGB key."""
        with new(self._mode, (1, 1)) as pixel:
            if self._mode == "P":
                pixel.putpalette(self.palette.copy() if self.palette is not None else ImagePalette.ImagePalette())
                if isinstance(key, tuple):
                    assert pixel.palette is not None
                    try:
                        key = pixel.palette.getcolor(key, pixel)
                    except ValueError as error:
                        if str(error) == "cannot allocate more than 256 colors":
                            return None
                        raise ValueError("Couldn't allocate a palette color for transparency") from error
            pixel.putpixel((0, 0), key)
            with pixel.convert(target if target in ("L", "RGB") else "RGB") as converted:
                return converted.getpixel((0, 0))

    def _put_transparency(self, trns: Any) -> None:
        """Set ``info["transparency"]`` to ``trns`` (in this image's terms;
        an RGB colour for "P", looked up in or added to the palette)."""
        if self._mode == "P" and self.palette is not None:
            try:
                self.info["transparency"] = self.palette.getcolor(trns, self)
            except ValueError as error:
                del self.info["transparency"]
                if str(error) != "cannot allocate more than 256 colors":
                    warnings.warn("Couldn't allocate palette entry for transparency", stacklevel=3)
        else:
            self.info["transparency"] = trns

    def _convert_matrix(self, mode: str, matrix: Any) -> Image:
        """Pillow's matrix conversion of a three-band image to "L" (the
        first 4 numbers) or "RGB" (12), and of its transparent colour."""
        if mode not in ("L", "RGB"):
            raise ValueError("illegal conversion")
        if isinstance(matrix, (str, bytes)) or not isinstance(matrix, Sequence):
            raise TypeError(f"matrix must be a sequence, not {type(matrix).__name__}")
        if len(matrix) not in (4, 12):
            raise TypeError("matrix must be tuple of length 4 or 12")
        if modes.band_count(self._mode) != 3:
            raise ValueError("image has wrong mode")
        numbers = [require_number("matrix", value) for value in matrix]
        # Pillow leaves what 4 numbers do not give for "RGB" unset; 0 here.
        table = js_array(numbers + [0.0] * (12 - len(numbers)))
        result = self._derive(lambda image: image._call("convert_matrix", table, mode == "L"), mode)
        key: Any = self.info.get("transparency")
        if "transparency" in self.info:

            def mapped(row: list[float]) -> int:
                value = row[0] * key[0] + row[1] * key[1] + row[2] * key[2] + row[3] * 0.5
                return max(0, min(255, int(value)))

            given = [float(value) for value in matrix] + [0.0] * 8
            rows = [given[band * 4 : band * 4 + 4] for band in range(3)]
            result.info["transparency"] = mapped(rows[0]) if mode == "L" else tuple(mapped(row) for row in rows)
        return result

    def _convert_core(self, target: str, dither: bool, palette_alpha: dict[int, int] | None = None) -> bool:
        """Convert in place as Pillow's core ``convert(target, dither)``
        does; False (unchanged) where Pillow's core has no such pair.
        ``palette_alpha`` overrides the alpha of palette entries (a "P"
        image's transparency, as Pillow's ``putpalettealpha(s)``)."""
        source = self._mode
        if source == target:
            return True
        if source in modes.SIXTEEN_BIT and target in modes.SIXTEEN_BIT:
            # Stored alike, but Pillow's core has no converter between them.
            return False
        if source in ("P", "PA"):
            if not self._call("convert_mode", source, target, self._palette_table(palette_alpha)):
                return False
        elif target in ("P", "PA"):
            if source not in ("L", "RGB", "RGBX", "RGBA", "RGBa"):
                return False
            if source == "L":
                self.palette = ImagePalette.ImagePalette("RGB", bytes(level for level in range(256) for _ in "RGB"))
            else:
                used = bytes(self._call("to_palette", None, dither).to_py())
                self.palette = ImagePalette.raw("RGB", used)
            self._mode = target
            if target == "PA":
                self._call("put_alpha", 255, None)
            self._settle()
            return True
        elif dither and target == "1":
            if source not in ("L", "RGB"):
                return False
            self._call("dither_bilevel", source == "RGB")
        elif not self._call("convert_mode", source, target, None):
            return False
        if target in ("P", "PA"):
            self.palette = self.palette or ImagePalette.ImagePalette()
        else:
            self.palette = None
        self._mode = target
        self._settle()
        return True

    def _realize_palette(self) -> None:
        """Pillow's palette step of ``load``: a palette given raw (bytes in
        another layout, ``ImagePalette.raw``) is read into entries of its
        mode, and a changed palette is marked as taken in (``dirty`` 0)."""
        palette = self.palette
        if palette is not None and (palette.rawmode or palette.dirty):
            if palette.rawmode:
                palette.palette = ImagePalette.unpack(palette.rawmode, palette.palette, palette.mode)
                palette.rawmode = None
            palette.dirty = 0

    def _palette_table(self, alpha: dict[int, int] | None = None) -> Any:
        """The palette as Pillow's core reads it: 256 RGBA entries, those
        past the palette's end opaque black, alpha 255 in an "RGB" one
        (``alpha`` overrides some entries' alpha)."""
        import js
        from pyodide.ffi import to_js

        table = bytearray([0, 0, 0, 255] * 256)
        self._realize_palette()
        if self.palette is not None:
            width = len(self.palette.mode)
            data = self.palette.palette
            for index in range(min(len(data) // width, 256)):
                table[index * 4 : index * 4 + width] = data[index * width : (index + 1) * width]
        for index, level in (alpha or {}).items():
            if 0 <= index < 256:
                table[index * 4 + 3] = level & 0xFF
        return js.Uint8Array.new(to_js(table))

    def _become(self, mode: str) -> None:
        """Take ``mode`` without new pixels: a grey mode from a colour one
        puts the luma in red, green and blue (the caller settles alpha)."""
        target = modes.check_mode(mode)
        if target not in modes.BLITTABLE or self._mode not in modes.BLITTABLE:
            if not self._convert_core(target, True):
                raise ValueError(f"conversion from {self._mode} to {target} not supported in place")
            return
        if target in ("L", "LA") and self._mode not in ("L", "LA"):
            self._call("grayscale", None)
        self._mode = target

    def quantize(
        self,
        colors: int = 256,
        method: int | None = None,
        kmeans: int = 0,
        palette: Image | None = None,
        dither: int = Dither.FLOYDSTEINBERG,
    ) -> Image:
        """A "P" copy: with ``palette`` (a "P" image), each pixel mapped to
        the nearest of its colours (Floyd-Steinberg dithered unless
        ``dither`` is ``Dither.NONE``); without, a palette of at most
        ``colors`` made by ``method`` (and ``kmeans`` passes of k-means),
        the same palette and indices as Pillow's (see ``_quantize.py``)."""
        if method is None:
            method = Quantize.FASTOCTREE if self._mode == "RGBA" else Quantize.MEDIANCUT
        if self._mode == "RGBA" and method not in (Quantize.FASTOCTREE, Quantize.LIBIMAGEQUANT):
            raise ValueError(
                "Fast Octree (method == 2) and libimagequant (method == 3) "
                "are the only valid methods for quantizing RGBA images"
            )
        if palette is None:
            return quantizing.quantize(self, colors, method, kmeans)
        if palette.mode != "P":
            raise ValueError("bad mode for palette image")
        if self._mode not in ("RGB", "L"):
            raise ValueError("only RGB or L mode images can be quantized to a palette")
        entries = bytes(palette.getpalette("RGB") or b"")
        result = self.copy()
        try:
            if self._mode == "RGB":
                if not entries:
                    raise ValueError("empty palette")
                import js
                from pyodide.ffi import to_js

                result._call("to_palette", js.Uint8Array.new(to_js(entries[:768])), bool(dither))
            result._mode = "P"
            result.palette = palette.palette.copy() if palette.palette is not None else ImagePalette.ImagePalette()
            result._settle()
        except BaseException:
            result.close()
            raise
        return result

    def remap_palette(self, dest_map: Sequence[int], source_palette: bytes | bytearray | None = None) -> Image:
        """A "P" copy whose palette is reordered: entry ``i`` of the new
        palette is entry ``dest_map[i]`` of the old one (in the palette's
        own mode; a ``source_palette`` of more than 768 bytes is read as
        RGBA), and the pixels and the transparent index follow, as Pillow's
        (a transparency the map drops goes, as do bytes of alphas, with
        Pillow's warning)."""
        if self._mode not in ("L", "P"):
            raise ValueError("illegal image mode")
        bands, palette_mode = 3, "RGB"
        if source_palette is None:
            if self._mode == "P" and self.palette is not None:
                self._realize_palette()
                palette_mode = self.palette.mode
                bands = len(palette_mode)
                source_palette = bytes(self.getpalette(palette_mode) or b"")
            else:
                source_palette = bytes(index // 3 for index in range(768))
        elif len(source_palette) > 768:
            bands, palette_mode = 4, "RGBA"
        entries = bytearray()
        positions = [0] * 256
        for index, old in enumerate(dest_map):
            entries += source_palette[old * bands : old * bands + bands]
            positions[old] = index
        result = self.point(positions)
        result._mode, result.palette = "L", None
        result.putpalette(bytes(entries), palette_mode)
        transparency: Any = self.info.get("transparency")
        if isinstance(transparency, bytes):
            warnings.warn(
                "Palette images with Transparency expressed in bytes should be converted to RGBA images", stacklevel=2
            )
        if "transparency" in self.info:
            try:
                result.info["transparency"] = list(dest_map).index(transparency)
            except ValueError:
                result.info.pop("transparency", None)
        return result

    def putdata(self, data: Sequence[Any], scale: float = 1.0, offset: float = 0.0) -> None:
        """Set the pixels from the start, row by row, from a flat sequence
        (in place, as Pillow): numbers for the one-band modes, each
        ``value * scale + offset`` clipped or cast as Pillow's C does;
        colours as ``putpixel`` takes them for the other modes."""
        self._ensure_mutable()
        from array import array

        if not isinstance(data, (Sequence, bytes, bytearray)):
            raise TypeError("argument must be a sequence")
        count = len(data)
        if count > self.width * self.height:
            raise TypeError("too many data entries")
        plain = self._mode in ("1", "L", "P") and scale == 1.0 and offset == 0.0
        if plain and (plain_levels := _byte_levels(data)) is not None:
            grey = bytearray(4 * count)
            grey[0::4] = grey[1::4] = grey[2::4] = plain_levels
            grey[3::4] = b"\xff" * count
            stored = bytes(grey)
        elif modes.band_count(self._mode) == 1:
            values = self._one_band_values(data, scale, offset)
            if self._mode == "I":
                stored = array("i", [_c_int(value) for value in values]).tobytes()
            elif self._mode == "F":
                stored = array("f", values).tobytes()
            elif self._mode in modes.SIXTEEN_BIT:
                words = []
                for value in values:
                    whole = _c_int(value)
                    low = whole % 256 if whole >= 0 else -(-whole % 256)  # C's % keeps the sign
                    words.append(min(max(low, 0), 255) | min(max(whole >> 8, 0), 255) << 8)
                stored = array("I", words).tobytes()
            else:
                levels = bytes(0 if value <= 0 else int(value) if value < 256 else 255 for value in values)
                grey = bytearray(4 * count)
                grey[0::4] = grey[1::4] = grey[2::4] = levels
                grey[3::4] = b"\xff" * count
                stored = bytes(grey)
        else:
            if any(isinstance(item, str) for item in data):
                raise TypeError("color must be int or tuple")
            stored = b"".join(bytes(self._byte_colour(item) or self._ink(item)) for item in data)
        from .module import wasm_memory

        wasm_memory().write(self.ptr, stored)

    def _one_band_values(self, data: Sequence[Any], scale: float, offset: float) -> list[float]:
        if isinstance(data, (bytes, bytearray)) and self._mode in ("1", "L", "P"):
            items: Sequence[Any] = list(data)
        else:
            items = data
        values = []
        plain = scale == 1.0 and offset == 0.0
        for item in items:
            # Plain numbers first: the abstract classes' checks cost more
            # than the conversion, for each of a picture's pixels.
            if type(item) is int or type(item) is float:
                number = float(item)
            else:
                if isinstance(item, (Sequence, bytes)) and not isinstance(item, str):
                    raise TypeError("sequence must be flattened")
                try:
                    number = float(item)
                except TypeError:
                    raise TypeError(f"must be real number, not {type(item).__name__}") from None
            values.append(number if plain else number * scale + offset)
        return values

    @property
    def has_transparency_data(self) -> bool:
        """Whether the image has transparency: an alpha band, a palette
        with alpha or a "transparency" in ``info`` (its pixels may all be
        opaque still), as Pillow's."""
        if self._mode in ("LA", "La", "PA", "RGBA", "RGBa") or "transparency" in self.info:
            return True
        return self._mode == "P" and self.palette is not None and self.palette.mode.endswith("A")

    def apply_transparency(self) -> None:
        """A "P" image's ``info["transparency"]`` (an index, or bytes of
        alphas) moved into its palette, which becomes "RGBA" (Pillow's);
        other images are left as they are."""
        if self._mode != "P" or "transparency" not in self.info:
            return
        palette = self.getpalette("RGBA")
        if palette is None:
            return
        transparency = self.info["transparency"]
        if isinstance(transparency, bytes):
            for index, alpha in enumerate(transparency[: len(palette) // 4]):
                palette[index * 4 + 3] = alpha
        else:
            palette[transparency * 4 + 3] = 0
        self.palette = ImagePalette.ImagePalette("RGBA", bytes(palette))
        del self.info["transparency"]

    def getpalette(self, rawmode: str | None = "RGB") -> list[int] | None:
        """The palette's entries in ``rawmode`` ("RGB", "RGBA" or None for
        the palette's own), or None for an image without a palette."""
        if self.palette is None:
            return None
        self._realize_palette()
        own = self.palette.mode
        layout = own if rawmode is None else rawmode
        if layout not in ("RGB", "RGBA", "L"):
            raise ValueError(f"unrecognized raw mode {layout!r}")
        data, width = self.palette.palette, len(own)
        entries = [
            tuple(data[i : i + width]) + ((255,) if width == 3 else ()) for i in range(0, len(data) - width + 1, width)
        ]
        if layout == "L":
            return [entry[0] for entry in entries]
        return [value for entry in entries for value in entry[: len(layout)]]

    def putpalette(self, data: Any, rawmode: str = "RGB") -> None:
        """Give the image a palette (in place, as Pillow): a sequence of
        ints or bytes in ``rawmode`` ("RGB", "RGBA", "RGBX", "RGBAX", "ARGB", "BGR",
        "BGRX", "BGRA", "L", "LA", "CMYK"), or an
        ``ImagePalette``. "L" and "LA" images become "P" and "PA"."""
        if self._mode not in ("L", "LA", "P", "PA"):
            raise ValueError("illegal image mode")
        if isinstance(data, ImagePalette.ImagePalette):
            rawmode = data.rawmode or data.mode
            data = data.palette
        mode = "RGBA" if "A" in rawmode else "RGB"
        entries = ImagePalette.unpack(rawmode, data, mode)
        # Pillow reads the palette into the image at once (its ``dirty``
        # cleared) when it had to be converted or the image changes mode.
        taken_in = rawmode != mode or self._mode not in ("P", "PA")
        self._mode = "PA" if "A" in self._mode else "P"
        self.palette = ImagePalette.ImagePalette(mode, entries)
        self.palette.dirty = 0 if taken_in else 1

    def split(self) -> tuple[Image, ...]:
        """One "L" image per band (a copy of a one-band image)."""
        if modes.band_count(self._mode) == 1:
            return (self.copy(),)
        return tuple(self.getchannel(band) for band in range(modes.band_count(self._mode)))

    def getxmp(self, *, strip_namespaces: bool = True) -> dict[str, Any]:
        """The XMP of ``info["xmp"]`` as nested dictionaries (Pillow's
        ``getxmp``); as Pillow, it needs ``defusedxml`` (XMP is untrusted
        XML), and without it warns and gives ``{}``.

        >>> new("RGB", (1, 1)).getxmp()  # doctest: +SKIP
        {}
        """
        import importlib

        try:
            tree = importlib.import_module("defusedxml.ElementTree")
        except ImportError:
            warnings.warn("XMP data cannot be read without defusedxml dependency", stacklevel=2)
            return {}

        def name_of(tag: str) -> str:
            return re.sub("^{[^}]+}", "", tag) if strip_namespaces else tag

        def value_of(element: Any) -> Any:
            value: dict[str, Any] = {name_of(key): text for key, text in element.attrib.items()}
            children = list(element)
            if not children and not value:
                return element.text
            for child in children:
                name, child_value = name_of(child.tag), value_of(child)
                if name in value:
                    if not isinstance(value[name], list):
                        value[name] = [value[name]]
                    value[name].append(child_value)
                else:
                    value[name] = child_value
            if not children and element.text:
                value["text"] = element.text
            return value

        if "xmp" not in self.info:
            return {}
        root = tree.fromstring(self.info["xmp"].rstrip(b"\x00 "))
        return {name_of(root.tag): value_of(root)}

    def getexif(self) -> Exif:
        """The image's EXIF (Pillow's ``getexif``): from ``info["exif"]``
        or a PNG's "Raw profile type exif" text, the XMP orientation added
        if EXIF has none. The same object each call.

        >>> new("RGB", (1, 1)).getexif().get(0x0112)
        """
        if self._exif is None:
            self._exif = Exif()
        elif self._exif._loaded:
            return self._exif
        self._exif._loaded = True
        exif_info = self.info.get("exif")
        if exif_info is None and "Raw profile type exif" in self.info:
            exif_info = bytes.fromhex("".join(self.info["Raw profile type exif"].split("\n")[3:]))
        if exif_info is not None:
            self._exif.load(exif_info)
        if 0x0112 not in self._exif:
            xmp: str | bytes | None = self.info.get("XML:com.adobe.xmp")
            pattern: str | bytes = r'tiff:Orientation(="|>)([0-9])'
            if not xmp and (xmp := self.info.get("xmp")):
                pattern = rb'tiff:Orientation(="|>)([0-9])'
            if xmp:
                match = re.search(pattern, xmp)  # type: ignore[arg-type]
                if match:
                    self._exif[0x0112] = int(match[2])
        return self._exif

    def get_child_images(self) -> list[Image]:
        """The pictures inside this one's EXIF (Pillow's): the thumbnail
        its IFD1 points to (JPEGInterchangeFormat and its length), opened
        and loaded; ``[]`` without one. (A TIFF's SubIFDs are not read.)

        >>> Image.open("photo.jpg").get_child_images()   # its EXIF has no thumbnail
        []
        """
        exif = self.getexif()
        ifd1 = exif.get_ifd(-1)
        offset, length = ifd1.get(0x0201), ifd1.get(0x0202)
        if not isinstance(offset, int) or not isinstance(length, int):
            return []
        thumbnail = open(io.BytesIO(exif._raw[offset : offset + length]))
        thumbnail.load()
        return [thumbnail]

    def _reload_exif(self) -> None:
        if self._exif is None or not self._exif._loaded:
            return
        self._exif._loaded = False
        self.getexif()

    def getchannel(self, channel: int | str) -> Image:
        """One band as an "L" image, by index or name (``"A"``); a one-band
        image gives a copy."""
        index = modes.band_index(self._mode, channel)
        if modes.band_count(self._mode) == 1:
            return self.copy()
        byte = modes.stored_byte(self._mode, index)
        return self._derive(lambda image: image._call("extract_channel", byte, None), "L")

    def putalpha(self, alpha: int | Image) -> None:
        """Set the alpha band (in place, as Pillow): an int (clipped to
        0..255), or a "1" or "L" image of this size. A mode without alpha takes its base mode's
        (Pillow's promotion: "1", "L" and "La" become "LA", "P" becomes
        "PA", the RGB modes "RGBA"; "F", "I" or "HSV" raise ``ValueError``).

        >>> im = new("P", (1, 1), 1)
        >>> im.putalpha(2)
        >>> im.mode, im.getpixel((0, 0))
        ('PA', (1, 2))
        """
        self._ensure_mutable()
        if self._mode in ("RGB", "RGBX"):
            # Pillow relabels the pixels; the alpha byte is written below.
            self._mode = "RGBA"
        elif self._mode not in ("LA", "PA", "RGBA"):
            target = getmodebase(self._mode) + "A"
            if not self._convert_core(target, False):
                raise ValueError(f"conversion from {self._mode} to {target} not supported")
        if isinstance(alpha, Image):
            if alpha.mode not in ("1", "L"):
                raise ValueError("illegal image mode")
            if alpha.size != self.size:
                raise ValueError("images do not match")
            with alpha.convert("L") as grey:
                self._call("put_channel", grey.raw, 0, 3)
        elif isinstance(alpha, int):
            # Pillow clips a number to a byte.
            self._call("put_alpha", max(0, min(255, alpha)), None)
        else:
            raise TypeError(f"alpha must be an int or an Image, not {type(alpha).__name__}")
        self._settle()

    # ---- regions

    def crop(self, box: tuple[float, float, float, float] | None = None) -> Image:
        """A copy of the box ``(left, upper, right, lower)``, its corners
        rounded as Pillow rounds them; parts outside the image are filled
        with 0 (transparent, or black in modes without alpha)."""
        if box is None:
            return self.copy()
        try:
            left, upper, right, lower = (require_number("box", value) for value in box)
        except ValueError:
            raise TypeError(f"box must be (left, upper, right, lower), got {box!r}") from None
        if right < left:
            raise ValueError("Coordinate 'right' is less than 'left'")
        if lower < upper:
            raise ValueError("Coordinate 'lower' is less than 'upper'")
        # As Pillow, a crop reaching beyond the image is checked as a file's
        # size would be: it allocates all of its box.
        _decompression_bomb_check((round(right) - round(left), round(lower) - round(upper)))
        rounded = require_box(tuple(round(value) for value in (left, upper, right, lower)))
        if 0 in rounded[2:]:
            return self._new(blank(*rounded[2:]))
        return self._new(self._call("crop", js_array(rounded)))

    def paste(
        self,
        im: Image | Colour,
        box: tuple[int, int] | tuple[int, int, int, int] | Image | None = None,
        mask: Image | None = None,
    ) -> None:
        """Put an image or a colour into this image (in place, as Pillow):
        ``box`` is the upper left corner, or a 4-tuple the size of what is
        pasted; ``mask`` ("1", "L", "LA", "RGBA" or "RGBa", its last band
        used; a colour takes no "LA") weighs each pixel."""
        self._ensure_mutable()
        if isinstance(box, Image):
            if mask is not None:
                raise ValueError("If using second argument as mask, third argument must be None")
            box, mask = None, box
        corner = tuple((0, 0) if box is None else box)
        if len(corner) == 2:
            if isinstance(im, Image):
                width, height = im.size
            elif isinstance(mask, Image):
                width, height = mask.size
            else:
                raise ValueError("cannot determine region size; use 4-item box")
            corner = (*corner, corner[0] + width, corner[1] + height)
        if len(corner) != 4:
            raise TypeError(f"argument 2 must be sequence of length 4, not {len(corner)}")
        names = ("box left", "box upper", "box right", "box lower")
        x, y, right, lower = (require_int(name, value) for name, value in zip(names, corner, strict=True))
        # Pillow's checks, in its order: a box the pasted image's size, a
        # mask the box's size; a colour in a box that is empty (or reversed)
        # paints nothing.
        size = (right - x, lower - y)
        if isinstance(im, Image) and im.size != size:
            raise ValueError("images do not match")
        if mask is not None:
            if self._mode != "P":
                # Pillow weighs a "P" image's indices as the bytes of an "L" one, as stored here.
                self._byte_kernels("paste with a mask")
            if not isinstance(mask, Image):
                raise TypeError(f"mask must be an Image, not {type(mask).__name__}")
            if mask.size != size:
                raise ValueError("images do not match")
            # Pillow's fill (a colour) takes no "LA" mask; its paste does.
            if mask.mode not in (_MASK_MODES if isinstance(im, Image) else _FILL_MASK_MODES):
                raise ValueError("bad transparency mask")
        if size[0] <= 0 or size[1] <= 0:
            return
        if mask is not None and mask.mode == "1":
            # Pillow copies wherever a "1" mask's byte is not 0 (putpixel
            # can store 1 there, not only 255): an "L" mask of 0 and 255.
            with mask.convert("L") as grey, grey.point(lambda level: 255 if level else 0) as weights:
                self.paste(im, (x, y, right, lower), weights)
        elif mask is not None and mask.mode == "RGBa":
            self._paste_premultiplied(im, (x, y, right, lower), mask)
        elif isinstance(im, Image):
            self._paste_image(im, x, y, mask)
        else:
            colour = modes.stored_colour(im, self._mode)
            if mask is None:
                self._call("fill", *colour, js_array([x, y, *size]))
            else:
                if mask.mode == "L" and modes.has_alpha(self._mode):
                    self._paint_clear_pixels(colour, x, y, mask)
                # A "P" image takes its index as it is (no conversion to its palette).
                solid_mode, solid_colour = ("P", colour[0]) if self._mode == "P" else ("RGBA", colour)
                with new(solid_mode, size, solid_colour) as solid:
                    self._paste_image(solid, x, y, mask)
        self._settle([x, y, *size])

    def _paste_premultiplied(self, im: Image | Colour, box: tuple[int, int, int, int], mask: Image) -> None:
        """Pillow's paste through an "RGBa" mask: each byte of this image
        becomes ``byte * (255 - alpha) / 255 + pasted byte`` (the pasted
        pixel taken as already weighed by the mask), wrapping past 255 as
        Pillow's bytes do.

        >>> im = new("L", (1, 1), 100)
        >>> im.paste(200, None, new("RGBa", (1, 1), (0, 0, 0, 128)))
        >>> im.getpixel((0, 0))
        250
        """
        size = (box[2] - box[0], box[3] - box[1])
        if isinstance(im, Image):
            source = im if im.mode == self._mode else im.convert(self._mode)
        else:
            source = new(self._mode, size, im)
        try:
            with self.crop(box) as region:
                under, over = region.tobytes(), source.tobytes()
        finally:
            if source is not im:
                source.close()
        alphas = mask.tobytes()[3::4]
        per_pixel = len(under) // len(alphas)
        blended = bytearray(len(under))
        for index, byte in enumerate(under):
            weighed = byte * (255 - alphas[index // per_pixel]) + 128
            blended[index] = (((weighed >> 8) + weighed) >> 8) + over[index] & 0xFF
        with frombytes(self._mode, size, bytes(blended)) as result:
            self._paste_image(result, box[0], box[1], None)

    def _paint_clear_pixels(self, colour: modes.RGBA, x: int, y: int, mask: Image) -> None:
        """Pillow's fill through an "L" mask gives a pixel of alpha 0 the
        colour's red, green and blue whole wherever the mask is not 0 (only
        its alpha is mixed): they are painted first, alpha left at 0, so the
        mix that follows keeps them."""
        with (
            self.crop((x, y, x + mask.width, y + mask.height)) as region,
            region.getchannel("A") as alpha,
            alpha.point(lambda level: 255 if level == 0 else 0) as clear,
            mask.point(lambda level: 255 if level else 0) as covered,
            new("L", mask.size, 0) as chosen,
            new("RGBA", mask.size, (*colour[:3], 0)) as paint,
        ):
            chosen.paste(clear, (0, 0), covered)
            self._paste_image(paint, x, y, chosen)

    def _paste_image(self, im: Image, x: int, y: int, mask: Image | None) -> None:
        if im.width == 0 or im.height == 0:
            return
        source = im
        if im.mode != self._mode and not (self._mode == "RGB" and im.mode in ("LA", "RGBA")):
            source = im.convert(self._mode)
        try:
            if mask is None:
                self._call("paste", source.raw, x, y)
            elif mask.mode == "L":
                with mask.copy() as weights:
                    weights._call("put_channel", mask.raw, 0, 3)
                    self._call("composite", source.raw, weights.raw, x, y)
            else:
                self._call("composite", source.raw, mask.raw, x, y)
        finally:
            if source is not im:
                source.close()

    def alpha_composite(self, im: Image, dest: Sequence[int] = (0, 0), source: Sequence[int] = (0, 0)) -> None:
        """Composite ``im`` over this image at ``dest`` (in place, as Pillow);
        ``source`` is the corner, or the box, of ``im`` to use. Both "RGBA"."""
        if not isinstance(source, (list, tuple)):
            raise ValueError("Source must be a list or tuple")
        if not isinstance(dest, (list, tuple)):
            raise ValueError("Destination must be a list or tuple")
        if len(source) not in (2, 4):
            raise ValueError("Source must be a sequence of length 2 or 4")
        if len(dest) != 2:
            raise ValueError("Destination must be a sequence of length 2")
        if min(source) < 0:
            raise ValueError("Source must be non-negative")
        if not isinstance(im, Image):
            raise TypeError(f"im must be an Image, not {type(im).__name__}")
        if self._mode not in ("LA", "RGBA") or im.mode != self._mode:
            raise ValueError("image has wrong mode")
        x, y = require_int("dest x", dest[0]), require_int("dest y", dest[1])
        crop_box = tuple(source) if len(source) == 4 else (source[0], source[1], *im.size)
        if 0 in im.size or 0 in self.size:
            return
        if crop_box == (0, 0, *im.size):
            self._call("alpha_composite", im.raw, x, y)
        else:
            with im.crop(crop_box) as overlay:
                self._call("alpha_composite", overlay.raw, x, y)

    # ---- geometry

    def resize(
        self,
        size: tuple[int, int],
        resample: int | None = None,
        box: tuple[float, float, float, float] | None = None,
        reducing_gap: float | None = None,
    ) -> Image:
        """A resized copy: ``resample`` a ``Resampling`` filter (BICUBIC by
        default), ``box`` the source region (fractions allowed),
        ``reducing_gap`` Pillow's two-step shortcut."""
        width, height = require_size(size)
        requested = Resampling.BICUBIC if resample is None else _resample(resample)
        region = None if box is None else js_array(_source_box(box))
        if width == 0 or height == 0:
            if (width, height) == self.size and box is None:
                return self.copy()
            raise ValueError("height and width must be > 0")  # Pillow's core
        if self._mode in modes.WIDE and requested != Resampling.NEAREST:
            if reducing_gap is not None:
                reduced = self._reduced_for_resize((width, height), requested, box, reducing_gap)
                if reduced is not None:
                    source, reduced_box = reduced
                    with source:
                        result = source.resize((width, height), requested, reduced_box)
                    result.info = self.info.copy()
                    return result
            result = self._new(self._call("resize_wide", width, height, requested, region, self._mode))
        else:
            plain = self._mode in modes.PLAIN_BAND_MODES
            filter_ = requested if plain else self._sampling(requested, "resize")
            gap = None if reducing_gap is None else require_number("reducing_gap", reducing_gap)
            # An opaque mode's alpha byte is 255, which premultiplying leaves
            # alone: rust_image need not look for a translucent pixel.
            flat = plain or self._mode in modes.OPAQUE
            result = self._new(self._call("resize", width, height, filter_, region, gap, flat))
        # Pillow's resized image keeps the info (a palette's transparency...).
        result.info = self.info.copy()
        return result

    def _reduced_for_resize(
        self, size: tuple[int, int], resample: int, box: Any, reducing_gap: Any
    ) -> tuple[Image, tuple[float, float, float, float]] | None:
        """Pillow's first step of ``resize`` with ``reducing_gap`` (done in
        Python for the wide modes; rust_image does it for the others): the
        image ``reduce``d by whole factors over the source box widened by
        the filter's support, and the box in the reduced image's terms;
        None where the factors are 1."""
        gap = require_number("reducing_gap", reducing_gap)
        if gap < 1.0:
            raise ValueError("reducing_gap must be 1.0 or greater")
        x0, y0, x1, y1 = _source_box(box) if box is not None else [0.0, 0.0, float(self.width), float(self.height)]
        factor_x = int((x1 - x0) / size[0] / gap) or 1
        factor_y = int((y1 - y0) / size[1] / gap) or 1
        if factor_x <= 1 and factor_y <= 1:
            return None
        # Pillow's filters' supports, less half a pixel.
        supports = {int(Resampling.BOX): 0.5, int(Resampling.BILINEAR): 1.0, int(Resampling.HAMMING): 1.0}
        supports |= {int(Resampling.BICUBIC): 2.0, int(Resampling.LANCZOS): 3.0}
        support = supports[resample] - 0.5
        support_x, support_y = support * (x1 - x0) / size[0], support * (y1 - y0) / size[1]
        safe = (
            max(0, int(x0 - support_x)),
            max(0, int(y0 - support_y)),
            min(self.width, math.ceil(x1 + support_x)),
            min(self.height, math.ceil(y1 + support_y)),
        )
        reduced = self.reduce((factor_x, factor_y), box=safe)
        return reduced, (
            (x0 - safe[0]) / factor_x,
            (y0 - safe[1]) / factor_y,
            (x1 - safe[0]) / factor_x,
            (y1 - safe[1]) / factor_y,
        )

    def reduce(self, factor: int | tuple[int, int], box: tuple[int, int, int, int] | None = None) -> Image:
        """A copy ``factor`` times smaller, each pixel the mean of a block."""
        factor_x, factor_y = (factor, factor) if isinstance(factor, int) else factor
        region = None if box is None else js_array([require_int("box", value) for value in box])
        if self._mode in ("I", "F"):
            fx, fy = require_int("factor", factor_x), require_int("factor", factor_y)
            return self._new(self._call("reduce_wide", fx, fy, region, self._mode == "F"))
        if self._mode in ("P", "1", *modes.SIXTEEN_BIT):
            raise ValueError("image has wrong mode")  # Pillow's core reduce refuses these
        plain = self._mode in modes.PLAIN_BAND_MODES
        if not plain:
            self._byte_kernels("reduce")
        fx, fy = require_int("factor", factor_x), require_int("factor", factor_y)
        # As in ``resize``: nothing to premultiply in an opaque mode.
        return self._new(self._call("reduce", fx, fy, region, plain or self._mode in modes.OPAQUE))

    def thumbnail(
        self, size: tuple[float, float], resample: int = Resampling.BICUBIC, reducing_gap: float | None = 2.0
    ) -> None:
        """Shrink the image, in place as Pillow, to fit in ``size`` keeping
        its aspect ratio (never enlarged)."""
        # Pillow floors the size it is given.
        width, height = (math.floor(require_number("size", value)) for value in size)
        gap = None if reducing_gap is None else require_number("reducing_gap", reducing_gap)
        # One wasm call where the 8-bit kernels serve the mode (as they do
        # every mode sampled NEAREST); elsewhere Pillow's own steps, a resize.
        one_call = (
            self._mode in modes.BYTE_KERNEL_MODES
            or self._mode in ("1", "P")
            or _resample(resample) == Resampling.NEAREST
        )
        # Pillow's first step for a JPEG not yet loaded: decoded smaller, down
        # to ``reducing_gap`` times the size asked for (see ``draft``).
        final = _thumbnail_size((width, height), self.size) if width > 0 and height > 0 else None
        drafted = None
        if final is not None and gap is not None:
            drafted = self.draft(None, (int(size[0] * gap), int(size[1] * gap)))
        if final is None and width > 0 and height > 0 and not one_call:
            return  # it fits already: Pillow leaves it as it is
        if final is None or (drafted is None and one_call):
            filter_ = self._sampling(_resample(resample), "thumbnail")
            self._replace(self._call("thumbnail", width, height, filter_, gap))
            return
        if self.size != final:
            box = None if drafted is None else drafted[1]
            result = self.resize(final, resample, box=box, reducing_gap=gap)
            raw, result._raw = result._raw, None
            self._replace(raw)
            self._mode = result.mode

    def draft(self, mode: str | None, size: tuple[int, int] | None) -> tuple[str, tuple[int, int, float, float]] | None:
        """Pillow's ``draft``: only a JPEG file not yet loaded can be read
        smaller or greyer (``JpegImagePlugin.JpegImageFile.draft``); other
        images are left alone and None is returned.

        >>> Image.new("RGB", (64, 64)).draft("L", (8, 8)) is None
        True
        """
        return None

    def rotate(
        self,
        angle: float,
        resample: int = Resampling.NEAREST,
        expand: bool | int = False,
        center: tuple[float, float] | None = None,
        translate: tuple[float, float] | None = None,
        fillcolor: Colour | None = None,
    ) -> Image:
        """A copy turned ``angle`` degrees counter-clockwise; ``expand``
        grows it to hold the whole turned image; where the turned image does
        not reach is ``fillcolor`` (0 by default)."""
        if self._mode in modes.SIXTEEN_BIT or (self._mode in ("I", "F") and resample != Resampling.NEAREST):
            return self._rotate_generic(angle, resample, expand, center, translate, fillcolor)
        return self._new(
            self._call(
                "rotate",
                require_number("angle", angle),
                self._sampling(_resample(resample, _SAMPLING), "rotate"),
                bool(expand),
                None if center is None else js_array([require_number("center", v) for v in center]),
                None if translate is None else js_array([require_number("translate", v) for v in translate]),
                self._fill(fillcolor),
            )
        )

    def _rotate_generic(
        self,
        angle: float,
        resample: int,
        expand: bool | int,
        center: tuple[float, float] | None,
        translate: tuple[float, float] | None,
        fillcolor: Colour | None,
    ) -> Image:
        """``rotate`` as Pillow turns a 16-bit image, or an "I" or "F" one
        with a filter: its matrix, sampled by the generic (floating-point)
        transform, which Pillow uses for these instead of its fixed-point
        affine one; here the perspective transform with no perspective is
        that path."""
        import math

        filter_ = _resample(resample)
        if self._mode not in ("I", "F"):
            filter_ = self._sampling(filter_, "rotate")
        angle = require_number("angle", angle) % 360.0
        if not (center or translate):
            if angle == 0:
                return self.copy()
            if angle == 180:
                return self.transpose(Transpose.ROTATE_180)
            if angle in (90, 270) and (expand or self.width == self.height):
                return self.transpose(Transpose.ROTATE_90 if angle == 90 else Transpose.ROTATE_270)
        width, height = self.size
        shift = (0.0, 0.0) if translate is None else translate
        middle = (width / 2, height / 2) if center is None else center
        radians = -math.radians(angle)
        cos, sin = round(math.cos(radians), 15), round(math.sin(radians), 15)
        matrix = [cos, sin, 0.0, round(-math.sin(radians), 15), cos, 0.0]

        def moved(x: float, y: float) -> tuple[float, float]:
            return matrix[0] * x + matrix[1] * y + matrix[2], matrix[3] * x + matrix[4] * y + matrix[5]

        matrix[2], matrix[5] = moved(-middle[0] - shift[0], -middle[1] - shift[1])
        matrix[2] += middle[0]
        matrix[5] += middle[1]
        if expand:
            corners = [moved(x, y) for x, y in ((0, 0), (width, 0), (width, height), (0, height))]
            new_width = math.ceil(max(x for x, _ in corners)) - math.floor(min(x for x, _ in corners))
            new_height = math.ceil(max(y for _, y in corners)) - math.floor(min(y for _, y in corners))
            matrix[2], matrix[5] = moved(-(new_width - width) / 2.0, -(new_height - height) / 2.0)
            width, height = new_width, new_height
        return self.transform((width, height), Transform.PERSPECTIVE, [*matrix, 0.0, 0.0], filter_, fillcolor=fillcolor)

    def _sampling(self, resample: int, what: str) -> int:
        """The filter Pillow uses: NEAREST for "1" and "P" whatever was
        asked, as in Pillow; the others need kernels for their bytes."""
        if self._mode in ("1", "P") or resample == Resampling.NEAREST:
            return int(Resampling.NEAREST)
        self._byte_kernels(what)
        return resample

    def _byte_kernels(self, what: str) -> None:
        """``NotImplementedError`` unless the 8-bit kernels, which take the
        fourth stored byte for alpha, give Pillow's result in this mode."""
        if self._mode in modes.BYTE_KERNEL_MODES:
            return
        instead = 'convert("L")' if self._mode in modes.WIDE else 'convert("RGBA")'
        raise NotImplementedError(
            f"{what} of a {self._mode} image is not supported yet (only NEAREST sampling is); {instead} first"
        )

    def _fill(self, fillcolor: Colour | None) -> Any:
        return js_array(modes.stored_colour(0 if fillcolor is None else fillcolor, self._mode))

    def transpose(self, method: int) -> Image:
        """A flipped or quarter-turned copy (``Transpose``)."""
        if isinstance(method, bool) or not isinstance(method, int):
            raise TypeError(f"method must be an Image.Transpose member, not {type(method).__name__}")
        return self._new(self._call("transpose", int(method)))

    def _transpose_in_place(self, method: int) -> None:
        """Pillow's ``image.im = image.im.transpose(method)``: this image's
        own pixels flipped or turned (``ImageOps.exif_transpose``)."""
        self._replace(self._call("transpose", int(method)))

    def transform(
        self,
        size: tuple[int, int],
        method: int | ImageTransformHandler | Any,
        data: Sequence[Any] | None = None,
        resample: int = Resampling.NEAREST,
        fill: int = 1,
        fillcolor: Colour | None = None,
    ) -> Image:
        """A ``size`` image sampled from this one through ``method``
        (``Transform.AFFINE``, ``EXTENT``, ``PERSPECTIVE``, ``QUAD`` or
        ``MESH``) and its ``data``, or through an ``ImageTransform`` object.
        ``MESH`` data is a list of ``(box, quad)``: each box of the result is
        ``QUAD``-transformed from its quad, as Pillow does it."""
        if isinstance(method, ImageTransformHandler):
            return method.transform(size, self, resample=resample, fill=fill)
        if hasattr(method, "getdata"):
            method, data = method.getdata()
        width, height = require_size(size)
        if isinstance(method, bool) or method not in tuple(Transform):
            raise ValueError("unknown transformation method")
        if data is None:
            raise ValueError("missing method data")
        filter_ = _resample(resample, _SAMPLING)
        if method == Transform.MESH:
            return self._mesh((width, height), data, filter_, fillcolor)
        numbers = _transform_data(int(method), [require_number("data", value) for value in data])
        if (width == 0 or height == 0) and width >= 0 and height >= 0:
            if method in (Transform.EXTENT, Transform.QUAD):
                # Pillow divides the source box by the output's size.
                raise ZeroDivisionError("division by zero")
            return self._new(blank(width, height))
        if self._mode in modes.SIXTEEN_BIT and method == Transform.AFFINE:
            # Pillow samples 16-bit images through its generic transform,
            # which is the perspective one here with no perspective.
            method, numbers = Transform.PERSPECTIVE, [*numbers, 0.0, 0.0]
        if self._mode in ("I", "F") and filter_ != Resampling.NEAREST:
            wide = (width, height, int(method), js_array(numbers), filter_, self._fill(fillcolor), self._mode == "F")
            return self._new(self._call("transform_wide", *wide))
        filter_ = self._sampling(filter_, "transform")
        return self._new(
            self._call("transform", width, height, int(method), js_array(numbers), filter_, self._fill(fillcolor))
        )

    def _mesh(self, size: tuple[int, int], data: Sequence[Any], resample: int, fillcolor: Colour | None) -> Image:
        """Pillow's ``MESH``: each ``(box, quad)`` fills its box of the result
        as a ``QUAD`` transform of ``quad``. Pillow clips a box to the result
        and maps the clipped box's first pixel as the box's first one, with
        the steps of the unclipped box; the quad given for a clipped box is
        that map at its corners (a bilinear map is fixed by four corners).
        Where a quad reaches outside this image the box gets 0, or, with a
        ``fillcolor``, keeps what is there (the fill, or an earlier box)."""
        if fillcolor is None:
            result = new(self._mode, size)
        else:
            # The fill as a transform gives it (premultiplied and back with
            # alpha, as Pillow's): every pixel samples far outside.
            far = -float(2**24)
            result = self.transform(size, Transform.AFFINE, (0, 0, far, 0, 0, far), resample, fillcolor=fillcolor)
        try:
            for box, quad in data:
                x0, y0, x1, y1 = (require_int("box", value) for value in box)
                corners = [require_number("quad", value) for value in quad]
                if len(corners) != 8:
                    raise ValueError("quad must be 8 numbers")
                left, top = max(x0, 0), max(y0, 0)
                right, bottom = min(x1, size[0]), min(y1, size[1])
                if right <= left or bottom <= top:
                    continue
                clipped = _quad_corners(corners, x1 - x0, y1 - y0, right - left, bottom - top)
                part = (right - left, bottom - top)
                with self.transform(part, Transform.QUAD, clipped, resample, fillcolor=fillcolor) as piece:
                    if fillcolor is None:
                        result._call("paste", piece.raw, left, top)
                        continue
                    # Only where the quad is inside this image: a constant
                    # 255 sampled the same way is 255 there and 0 outside.
                    with (
                        new("L", self.size, 255) as inside,
                        inside.transform(part, Transform.QUAD, clipped, resample) as covered,
                    ):
                        result.paste(piece, (left, top), covered)
        except BaseException:
            result.close()
            raise
        return result

    # ---- colour and filters

    def filter(self, filter: Any) -> Image:
        """A copy through an ``ImageFilter`` filter (an instance, or a
        built-in kernel's class such as ``ImageFilter.BLUR``)."""
        from .ImageFilter import (
            BoxBlur,
            BuiltinFilter,
            Filter,
            GaussianBlur,
            Kernel,
            ModeFilter,
            MultibandFilter,
            RankFilter,
            UnsharpMask,
            as_filter,
        )

        chosen = as_filter(filter)
        # The blurs check the mode themselves, as Pillow's box blur does;
        # the mode filter takes palette indices as numbers, as Pillow's.
        checks_mode = isinstance(chosen, (GaussianBlur, BoxBlur, UnsharpMask, ModeFilter))
        if self._mode == "P" and not checks_mode:
            raise ValueError("cannot filter palette images")
        if self._mode not in (*modes.PLAIN_BAND_MODES, "P") and not (
            checks_mode or isinstance(chosen, (Kernel, BuiltinFilter, RankFilter))
        ):
            # The other kernels take the fourth byte as a plain band (the
            # convolutions and rank filters have Pillow's 32-bit ones too).
            self._byte_kernels("filter")
        if type(chosen).filter is not Filter.filter:
            # A filter of the user's own, written as Pillow's are: core
            # image in, core image out; one band at a time unless multiband.
            if modes.band_count(self._mode) == 1 or isinstance(chosen, MultibandFilter):
                return self._new(chosen.filter(self.im))
            bands = self.split()
            return merge(self._mode, [band._new(chosen.filter(band.im)) for band in bands])
        # The filters Rust writes straight into a new image: no copy first.
        filtered = getattr(chosen, "_filtered", None)
        fresh = filtered(self) if filtered is not None else None
        if fresh is not None:
            result = self._new(fresh, chosen.output_mode(self._mode))
            if result._mode not in ("P", "PA"):
                result.palette = None
            return result
        return self._derive(lambda image: chosen.apply(image, None), chosen.output_mode(self._mode))

    def point(self, lut: Sequence[float] | Callable[[int], float], mode: str | None = None) -> Image:
        """A copy with every value mapped through ``lut``, as Pillow's: a
        table of 256 values per band, or a function called for each of
        0..255 (applied to every band, alpha included). On "I", "I;16" and
        "F" images a function must be ``value * scale + offset`` (Pillow's
        ``ImagePointTransform``), applied exactly. ``mode`` maps a one-band
        8-bit image ("1", "L", "P") into another mode: "F" (256 floats),
        "I" (256 ints), another one-band mode, or a colour mode (the
        bands' tables give each pixel's colour); and "I" into "L" (65536
        levels, for the values 0..65535, the others clipped to them).

        >>> new("L", (1, 1), 3).point([level / 2 for level in range(256)], "F").getpixel((0, 0))
        1.5
        """
        if callable(lut) and self._mode in ("I", "I;16", "F"):
            found = lut(ImagePointTransform(1, 0))  # type: ignore[arg-type]
            if isinstance(found, ImagePointTransform):
                return self._point_transform(found.scale, found.offset)
            return self._point_transform(0, found)
        target = self._mode if mode is None else modes.check_mode(mode)
        if self._mode == "F":
            raise ValueError("point operation not supported for this mode")
        values = [lut(level) for level in range(256)] * modes.band_count(self._mode) if callable(lut) else lut
        if target == "F":
            return self._point_to_wide(values, "F")
        levels = _lut_levels(values, 32 if target == "I" else 8)
        expected = 65536 if (self._mode, target) == ("I", "L") else 256 * modes.band_count(target)
        if len(levels) != expected:
            raise ValueError("wrong number of lut entries")
        single = modes.band_count(self._mode) == 1 and self._mode not in modes.WIDE
        if self._mode == "I" and target == "L":
            return self._point_sixteen_to_byte(levels)
        if self._mode in modes.WIDE or (target != self._mode and not single):
            raise ValueError("point operation not supported for this mode")
        if target == "I":
            return self._point_to_wide(levels, "I")
        tables = [levels[band * 256 : (band + 1) * 256] for band in range(len(levels) // 256)]
        if mode is not None and target == self._mode and len(tables) > 2:
            # Pillow's core lays a colour mode's tables out pixel by pixel
            # (red, green, blue, alpha of 0, then of 1...) where its kernel
            # reads them band after band.
            interleaved = [0] * 1024
            for band, table in enumerate(tables):
                interleaved[band::4] = table
            tables = [interleaved[band * 256 : (band + 1) * 256] for band in range(4)]
        table = _planar_table(tables)
        result = self.copy()
        try:
            if target != self._mode and modes.band_count(target) > 1:
                # The one band into all four bytes, each then mapped by its table.
                result._call("put_channel", self.raw, 0, 3)
            result._call("point", table, None)
            result._mode = target
            if target in ("P", "PA"):
                result.palette = result.palette or ImagePalette.ImagePalette()
            else:
                result.palette = None
            result._settle()
        except BaseException:
            result.close()
            raise
        return result

    def _point_to_wide(self, values: Any, mode: str) -> Image:
        """Pillow's ``point`` of a one-band 8-bit image into "F" (256
        floats, C floats) or "I" (256 ints, wrapped to 32 bits)."""
        from array import array

        if isinstance(values, str) or not hasattr(values, "__getitem__"):
            raise TypeError("argument must be a sequence")
        # Pillow asks the length first, then takes the items there are.
        if len(values) != 256 or len(values := list(values)) != 256:
            raise ValueError("wrong number of lut entries")
        if mode == "F":
            for value in values:
                if not isinstance(value, (int, float)):
                    raise TypeError(f"must be real number, not {type(value).__name__}")
            packed = array("f", values).tobytes()
        else:
            packed = array("i", values).tobytes()
        if modes.band_count(self._mode) != 1 or self._mode in modes.WIDE:
            raise ValueError("point operation not supported for this mode")
        chunks = [packed[level * 4 : level * 4 + 4] for level in range(256)]
        return frombytes(mode, self.size, b"".join(chunks[level] for level in self._carried()))

    def _point_sixteen_to_byte(self, levels: list[int]) -> Image:
        """Pillow's ``point`` of an "I" image into "L": 65536 levels, for
        the values clipped to 0..65535."""
        table = bytes(levels)
        values = modes.wide_values(self._carried(), "I")
        return frombytes("L", self.size, bytes(table[min(max(int(value), 0), 65535)] for value in values))

    def _point_transform(self, scale: float, offset: float) -> Image:
        """Pillow's ``point_transform``: ``value * scale + offset`` in double
        precision, stored as the mode stores a value (truncated for "I" and
        "I;16", the 16-bit one wrapping as C's cast does)."""
        from array import array

        values = modes.wide_values(self._carried(), self._mode)
        if self._mode == "F":
            return frombytes("F", self.size, array("f", [value * scale + offset for value in values]).tobytes())
        results = [_c_int(value * scale + offset) for value in values]
        if self._mode == "I":
            return frombytes("I", self.size, array("i", results).tobytes())
        return frombytes("I;16", self.size, array("H", [value & 0xFFFF for value in results]).tobytes())

    def _point_table(self, lut: Sequence[float] | Callable[[int], float]) -> Any:
        """rust_image's 1024-byte table (red, green, blue, alpha) for a
        Pillow ``point`` table or function in this image's mode."""
        bands = modes.band_count(self._mode)
        values = [lut(level) for level in range(256)] * bands if callable(lut) else lut
        levels = _lut_levels(values, 8)
        if len(levels) != 256 * bands:
            raise ValueError("wrong number of lut entries")
        return _planar_table([levels[i * 256 : (i + 1) * 256] for i in range(bands)])

    # ---- analysis

    def histogram(self, mask: Image | None = None, extrema: Any = None) -> list[int]:
        """256 counts per band, band after band; with ``mask`` (a "1" or "L"
        image of this size) only the pixels where it is not 0 are counted. "I"
        and "F" count 256 bins between ``extrema`` (their extrema unless
        given), as Pillow's."""
        if self._mode in modes.WIDE:
            return self._wide_histogram(mask, extrema)
        if mask is None:
            counts = list(self._call("histogram", None).to_py())
        else:
            counts = list(self._call("masked_histogram", self._counting_mask(mask).raw).to_py())
        return [count for band in range(modes.band_count(self._mode)) for count in self._band(counts, band, 256)]

    def _wide_histogram(self, mask: Image | None, extrema: Any) -> list[int]:
        picked = None
        if mask is not None:
            self._counting_mask(mask)
            if self._mode in ("I", "F"):
                raise ValueError("image has wrong mode")
            with mask.convert("L") as grey:
                picked = grey.tobytes()
        counts = [0] * 256
        if self._mode not in ("I", "F"):
            # Pillow counts a 16-bit image's first width bytes of each row
            # (where the mask is not 0).
            data, width = self.tobytes(), self.width
            for row, start in enumerate(range(0, len(data), 2 * width)):
                for x, value in enumerate(data[start : start + width]):
                    if picked is None or picked[row * width + x]:
                        counts[value] += 1
            return counts
        bounds: Any = self.getextrema() if extrema is None else extrema
        low, high = float(bounds[0]), float(bounds[1])
        if low >= high:
            return counts
        scale = _float32(255.0 / _float32(high - low))
        for number in modes.wide_values(self._carried(), self._mode):
            index = int(_float32(_float32(number - low) * scale))
            if 0 <= index < 256:
                counts[index] += 1
        return counts

    def _counting_mask(self, mask: object) -> Image:
        """``mask`` if it can pick this image's pixels to count: a "1" or
        "L" image of this size, as Pillow's ``histogram(mask)`` takes (both
        keep their value in the byte rust_image reads)."""
        if not isinstance(mask, Image):
            raise TypeError(f"mask must be an Image, not {type(mask).__name__}")
        if mask.size != self.size:
            raise ValueError("images do not match")
        if mask.mode not in ("1", "L"):
            raise ValueError("bad transparency mask")
        return mask

    def _band(self, values: list[Any], band: int, per_band: int) -> list[Any]:
        byte = modes.stored_byte(self._mode, band)
        return values[byte * per_band : (byte + 1) * per_band]

    def entropy(self, mask: Image | None = None, extrema: Any = None) -> float:
        """The entropy, in bits, of the histogram of all bands together."""
        import math

        counts = [count for count in self.histogram(mask, extrema) if count]
        total = sum(counts)
        if not total:
            return math.nan  # Pillow's 0 / 0 for an image of no pixels
        # Summed as Pillow's C sums it, so the last digits agree too.
        entropy = 0.0
        for count in counts:
            share = count / total
            entropy += share * math.log(share) * _LOG2_E
        return -entropy

    def getbbox(self, *, alpha_only: bool = True) -> tuple[int, int, int, int] | None:
        """The box around the non-zero pixels (around the non-transparent
        ones when the image has alpha and ``alpha_only``), or None."""
        if modes.has_alpha(self._mode):
            found = self._call("bbox", bool(alpha_only), None)
        else:
            with self.copy() as colours:
                colours._call("put_alpha", 0, None)
                found = colours._call("bbox", False, None)
        return None if found is None else tuple(found.to_py())

    def getextrema(self) -> tuple[int, int] | tuple[tuple[int, int], ...]:
        """``(min, max)`` for "L", one such pair per band otherwise."""
        if self._mode in ("I;16L", "I;16B", "I;16N"):
            raise ValueError("image has wrong mode")  # as Pillow's core
        if self.width == 0 or self.height == 0:
            # Pillow's: nothing to take a minimum of, per band.
            bands = modes.band_count(self._mode)
            return None if bands == 1 else (None,) * bands  # type: ignore[return-value]
        if self._mode in modes.WIDE:
            found = modes.wide_values(self._carried(), self._mode)
            return (min(found), max(found))  # type: ignore[return-value]
        values = list(self._call("extrema", None).to_py())
        pairs: list[tuple[int, int]] = []
        for band in range(modes.band_count(self._mode)):
            low, high = self._band(values, band, 2)
            pairs.append((low, high))
        return pairs[0] if modes.band_count(self._mode) == 1 else tuple(pairs)

    def getcolors(self, maxcolors: int = 256) -> list[tuple[int, modes.ModeValue]] | None:
        """``(count, pixel)`` for each colour, ordered by colour, or None
        when there are more than ``maxcolors``."""
        if self._mode in modes.SIXTEEN_BIT:
            raise ValueError("image has wrong mode")  # as Pillow's core
        found = self._call("colours", require_int("maxcolors", maxcolors), None)
        if found is None:
            return None
        flat = list(found.to_py())
        return [(flat[i], modes.mode_value(flat[i + 1 : i + 5], self._mode)) for i in range(0, len(flat), 5)]


# ---- Pillow's registry of formats: what ``init`` fills from wasmcanvas's
# plugins. ``open`` and ``save`` read and write wasmcanvas's formats only: a
# format a script registers is recorded here (Pillow's code and tests read
# these tables) but not opened or saved through its factory or driver.

WARN_POSSIBLE_FORMATS: bool = False
"""Pillow's switch for a warning saying why ``open`` could not identify a file."""
ID: list[str] = []
"""The formats registered, in order (Pillow's)."""
OPEN: dict[str, tuple[Callable[..., Any], Callable[[bytes], bool | str] | None]] = {}
"""Each format's class and the function telling its files by their first bytes."""
MIME: dict[str, str] = {}
"""Each format's MIME type."""
SAVE: dict[str, Callable[[Image, Any, str | bytes], None]] = {}
"""Each writable format's save function, ``driver(im, fp, filename)``."""
SAVE_ALL: dict[str, Callable[[Image, Any, str | bytes], None]] = {}
"""Pillow's save functions for several frames: none here (wasmcanvas writes one frame)."""
EXTENSION: dict[str, str] = {}
"""Each file name extension (``".png"``) and its format."""
_EXTENSION_PLUGIN: dict[str, str] = {}
"""Each extension ``init`` registers and the plugin module of its format."""
_initialized = 0
"""Pillow's state of the registry: 1 after ``preinit``, 2 after ``init``."""

# The formats Pillow's ``preinit`` registers before the others.
_COMMON_FORMATS = ("BMP", "GIF", "JPEG", "PPM", "PNG")


def _register_plugins(formats: Sequence[str] | None) -> None:
    from ._formats import EXTENSIONS, WRITABLE_FORMATS, sniff_format
    from .ImageFile import plugin_classes

    for format, cls in plugin_classes().items():
        if formats is not None and format not in formats:
            continue

        def accept(prefix: bytes, format: str = format) -> bool:
            return sniff_format(prefix) == format

        register_open(format, cls, accept)
        if cls._mimetype:
            register_mime(format, cls._mimetype)
        if format in WRITABLE_FORMATS:

            def driver(im: Image, fp: Any, filename: str | bytes, format: str = format) -> None:
                im.save(fp, format)

            register_save(format, driver)
        for extension, named in EXTENSIONS.items():
            if named == format:
                register_extension(format, extension)
                _EXTENSION_PLUGIN[extension] = cls.__module__.rpartition(".")[2]


def preinit() -> None:
    """Registers the common formats (BMP, GIF, JPEG, PPM, PNG), as Pillow's
    ``preinit``; once."""
    global _initialized
    if _initialized >= 1:
        return
    _register_plugins(_COMMON_FORMATS)
    _initialized = 1


def init() -> bool:
    """Registers every format wasmcanvas reads; True the first time, as
    Pillow's ``init``."""
    global _initialized
    if _initialized >= 2:
        return False
    _register_plugins(None)
    _initialized = 2
    return True


def register_open(id: str, factory: Callable[..., Any], accept: Callable[[bytes], bool | str] | None = None) -> None:
    """Records a format's class and its test of a file's first bytes."""
    id = id.upper()
    if id not in ID:
        ID.append(id)
    OPEN[id] = (factory, accept)


def register_mime(id: str, mimetype: str) -> None:
    """Records a format's MIME type."""
    MIME[id.upper()] = mimetype


def register_save(id: str, driver: Callable[[Image, Any, str | bytes], None]) -> None:
    """Records a format's save function."""
    SAVE[id.upper()] = driver


def register_save_all(id: str, driver: Callable[[Image, Any, str | bytes], None]) -> None:
    """Records a format's save function for several frames."""
    SAVE_ALL[id.upper()] = driver


def register_extension(id: str, extension: str) -> None:
    """Records a file name extension (``".png"``) of a format."""
    EXTENSION[extension.lower()] = id.upper()


def register_extensions(id: str, extensions: list[str]) -> None:
    """``register_extension`` for each of ``extensions``."""
    for extension in extensions:
        register_extension(id, extension)


def registered_extensions() -> dict[str, str]:
    """Every extension registered and its format, after ``init``.

    >>> registered_extensions()[".png"]
    'PNG'
    """
    init()
    return EXTENSION


ENCODERS: dict[str, type[PyEncoder]] = {}
"""The Python encoders ``register_encoder`` named (Pillow's)."""
DECODERS: dict[str, type[PyDecoder]] = {}
"""The Python decoders ``register_decoder`` named (Pillow's)."""


def register_encoder(name: str, encoder: type[PyEncoder]) -> None:
    """Name an ``ImageFile.PyEncoder`` subclass for ``tobytes(name)`` and
    ``_getencoder``."""
    ENCODERS[name] = encoder


def register_decoder(name: str, decoder: type[PyDecoder]) -> None:
    """Name an ``ImageFile.PyDecoder`` subclass for ``_getdecoder``."""
    DECODERS[name] = decoder


def _codec_args(args: Any, extra: tuple[Any, ...]) -> tuple[Any, ...]:
    if args is None:
        args = ()
    elif not isinstance(args, tuple):
        args = (args,)
    return (*args, *extra)


def _getencoder(mode: str, encoder_name: str, args: Any, extra: tuple[Any, ...] = ()) -> PyEncoder:
    """A registered encoder, else the core's ``<name>_encoder``, made with
    ``mode`` and the arguments; ``OSError`` when there is none."""
    encoder = ENCODERS.get(encoder_name) or getattr(core, f"{encoder_name}_encoder", None)
    if encoder is None:
        raise OSError(f"encoder {encoder_name} not available")
    return encoder(mode, *_codec_args(args, extra))


def _getdecoder(mode: str, decoder_name: str, args: Any, extra: tuple[Any, ...] = ()) -> PyDecoder:
    """A registered decoder, else the core's ``<name>_decoder``, made with
    ``mode`` and the arguments; ``OSError`` when there is none."""
    decoder = DECODERS.get(decoder_name) or getattr(core, f"{decoder_name}_decoder", None)
    if decoder is None:
        raise OSError(f"decoder {decoder_name} not available")
    return decoder(mode, *_codec_args(args, extra))


def _source_box(box: object) -> list[float]:
    """``resize``'s source box, refused as Pillow's C layer refuses it (any
    sequence of 4 numbers, a NumPy array too)."""
    if isinstance(box, bytes) or not (hasattr(box, "__len__") and hasattr(box, "__getitem__")):
        raise TypeError(f"argument 3 must be 4-item sequence, not {type(box).__name__}")
    if len(box) != 4:
        raise TypeError(f"argument 3 must be sequence of length 4, not {len(box)}")
    return [require_number("box", float(box[i]) if hasattr(box[i], "__float__") else box[i]) for i in range(4)]


def _transform_data(method: int, numbers: list[float]) -> list[float]:
    """The numbers ``method`` uses, as Pillow takes them: AFFINE the first 6,
    PERSPECTIVE and QUAD the first 8, EXTENT exactly 4."""
    if method == Transform.EXTENT:
        if len(numbers) > 4:
            raise ValueError("too many values to unpack (expected 4)")
        if len(numbers) < 4:
            raise ValueError(f"not enough values to unpack (expected 4, got {len(numbers)})")
        return numbers
    used = 6 if method == Transform.AFFINE else 8
    if len(numbers) < used:
        if method == Transform.QUAD:
            raise IndexError("tuple index out of range")
        raise ValueError("wrong number of matrix entries")
    return numbers[:used]


def _quad_corners(quad: list[float], width: int, height: int, part_width: int, part_height: int) -> list[float]:
    """``QUAD`` data for a ``part_width`` x ``part_height`` output that
    maps as the top left part of a ``width`` x ``height`` output of
    ``quad`` (Pillow's steps: the quad's sides over the box's size)."""
    if (part_width, part_height) == (width, height):
        return quad
    nw_x, nw_y, sw_x, sw_y, se_x, se_y, ne_x, ne_y = quad

    def at(u: float, v: float) -> tuple[float, float]:
        s, t = u / width, v / height
        return (
            nw_x + (ne_x - nw_x) * s + (sw_x - nw_x) * t + (se_x - sw_x - ne_x + nw_x) * s * t,
            nw_y + (ne_y - nw_y) * s + (sw_y - nw_y) * t + (se_y - sw_y - ne_y + nw_y) * s * t,
        )

    corners = (at(0, 0), at(0, part_height), at(part_width, part_height), at(part_width, 0))
    return [value for corner in corners for value in corner]


def _lut_levels(values: Any, bits: int) -> list[int]:
    """A ``point`` table's values as Pillow's core takes them: rounded,
    wrapped to a C int, then clipped to a byte (``bits`` 8) or kept."""
    levels = []
    for value in values:
        # A bool is a number here, as in Pillow (False is 0): the tutorial's
        # ``lambda i: i < 100 and 255`` gives one.
        if not isinstance(value, (int, float)):
            raise TypeError(f"lut values must be numbers, not {type(value).__name__}")
        if isinstance(value, int) and not -(2**63) <= value < 2**63:
            raise OverflowError("Python int too large to convert to C long")
        level = (round(value) + 2**31) % 2**32 - 2**31
        levels.append(level if bits == 32 else min(max(level, 0), 255))
    return levels


def _planar_table(tables: list[list[int]]) -> Any:
    """rust_image's 1024-byte ``point`` table (red, green, blue, alpha
    tables) for one table per band of a mode as stored."""
    import js
    from pyodide.ffi import to_js

    if len(tables) <= 2:
        # One-band modes keep their value in bytes 0..2, two-band ones
        # their second band in the alpha byte.
        tables = [tables[0]] * 3 + tables[1:]
    stored = tables if len(tables) == 4 else [*tables, list(range(256))]
    return js.Uint8Array.new(to_js([level for table in stored for level in table]))


class PixelAccess:
    """``im.load()``: ``px[x, y]`` reads and ``px[x, y] = value`` writes a
    pixel, as ``getpixel`` and ``putpixel`` do."""

    def __init__(self, image: Image) -> None:
        self._image = image

    def __getitem__(self, xy: tuple[int, int]) -> modes.ModeValue:
        return self._image.getpixel(xy)

    def __setitem__(self, xy: tuple[int, int], value: Colour) -> None:
        self._image.putpixel(xy, value)


def _plain_point(xy: object) -> tuple[int, int] | None:
    """``xy`` when it is the common case of a point, two ints neither
    negative nor past any image's side (rust_image then says whether the
    point is inside); None for ``Image._xy``'s full checks."""
    if type(xy) is tuple and len(xy) == 2:
        x, y = xy
        if type(x) is int and type(y) is int and 0 <= x < _LONGEST_SIDE and 0 <= y < _LONGEST_SIDE:
            return xy
    return None


# rust_image's largest coordinate (args::MAX_COORDINATE): no image is wider.
_LONGEST_SIDE = 1 << 24


def _byte_levels(data: Sequence[Any]) -> bytes | None:
    """One-band ``putdata``'s common case: ``data`` as bytes when it is
    bytes or every item an int from 0 to 255; None for the full checks."""
    if isinstance(data, (bytes, bytearray)):
        return bytes(data)
    if not all(type(item) is int for item in data):
        return None
    try:
        return bytes(data)
    except ValueError:  # a level outside 0..255: clipped by the full path
        return None


def _word(colour: Sequence[int]) -> int:
    """A stored RGBA colour as one word (rust_image's ``set_pixel_word``)."""
    red, green, blue, alpha = colour
    return red | green << 8 | blue << 16 | alpha << 24


# ---- making images


def new(mode: str, size: tuple[int, int], color: Colour | None = 0) -> Image:
    """A ``size`` image of one colour (a colour string, an int for "L", a
    tuple of the bands; 0 by default: black, transparent with alpha).

    >>> new("RGBA", (2, 1), "red").getpixel((0, 0))
    (255, 0, 0, 255)
    """
    mode = modes.check_mode(mode)
    width, height = _pillow_size(size)
    palette = None
    if isinstance(color, str) and mode in ("P", "PA"):
        color = ImageColor.getcolor(color, mode)
    if mode == "P" and isinstance(color, (list, tuple)) and len(color) in (3, 4):
        palette = ImagePalette.ImagePalette()
        color = palette.getcolor(tuple(color))
    colour = modes.stored_colour(0 if color is None else color, mode)
    return Image._wrap(blank(width, height, colour), mode, palette)


def frombytes(mode: str, size: tuple[int, int], data: Buffer, decoder_name: str = "raw", *args: Any) -> Image:
    """An image from pixel bytes in ``mode``'s layout, copied into wasm
    memory once.

    >>> frombytes("L", (2, 1), b"\\x00\\xff").getpixel((1, 0))
    255
    """
    mode = modes.check_mode(mode)
    if decoder_name != "raw" or (args and args[0] not in (mode, None)):
        raise NotImplementedError("only the raw decoder in the image's own mode is supported")
    width, height = _pillow_size(size)
    try:
        source = memoryview(data).cast("B")
    except TypeError:
        raise TypeError(f"data must be a bytes-like object, not {type(data).__name__}") from None
    expected = modes.packed_size(mode, width, height)
    if source.nbytes < expected:
        raise ValueError("not enough image data")
    if source.nbytes > expected:
        source = source[:expected]
    if width == 0 or height == 0:
        return Image._wrap(blank(width, height), mode)
    if mode in ("1", "LAB", *modes.SIXTEEN_BIT):
        source = memoryview(modes.unpack(source.tobytes(), mode, width))
    carrier = modes.CARRIER[mode]
    image = Image._wrap(
        call_rust(rust().RgbaImage.from_bytes, carrier, width, height, files.to_uint8array(source)), mode
    )
    image._settle()
    return image


def open(
    fp: FilePath | Buffer | Any, mode: Literal["r"] = "r", formats: list[str] | tuple[str, ...] | None = None
) -> Image:
    """The picture in a file: a path in Pyodide's file system, a bytes-like
    object or a binary file object. PNG (any colour type and bit depth),
    JPEG (baseline and progressive), GIF (its first frame), WebP, BMP and
    Netpbm (PBM, PGM, PPM) are read. As in Pillow, the header (format, mode,
    size, ``info``) is read here and the pixels are decoded at ``load()`` or
    their first use, where a damaged file raises; palette files are decoded
    here. The size is checked against ``MAX_IMAGE_PIXELS`` (Pillow's
    warning and ``DecompressionBombError``) and against wasmcanvas's own
    limits before pixel memory is allocated. The mode is the file's ("L",
    "LA", "RGB", "RGBA"; palette files open as "RGB", or "RGBA" when they
    have transparency). The image is an ``ImageFile.ImageFile`` of the
    format's class (``PngImagePlugin.PngImageFile``...).

    >>> open("/tmp/tiny.png").size
    (7, 5)
    """
    if mode != "r":
        raise ValueError(f"bad mode {mode!r}")
    if isinstance(fp, io.StringIO):
        raise ValueError("StringIO cannot be used to open an image. Binary data must be used instead.")
    from .ImageFile import open_file

    init()
    filename = fp if isinstance(fp, str) else getattr(fp, "name", "")
    # As Pillow, a file opened here from a path stays open as ``im.fp``
    # until ``load()`` (one frame read), ``close()`` or the ``with`` block's end.
    path = os.fspath(fp) if isinstance(fp, (str, os.PathLike)) else None
    exclusive = path is not None
    source: Any = fp if path is None else builtins.open(path, "rb")
    try:
        data, name = read_source(source)
        try:
            found = check_readable(data, name if path is None else repr(path), formats)
        except UnidentifiedImageError as error:
            if WARN_POSSIBLE_FORMATS:
                warnings.warn(f"opening failed. {error}", stacklevel=2)
            raise
        image = open_file(data, found, filename if isinstance(filename, str) else str(filename), exclusive)
    except BaseException:
        if exclusive:
            source.close()
        raise
    image.fp = source if exclusive or callable(getattr(source, "read", None)) else None
    image._exclusive_fp = exclusive
    return image


def effect_mandelbrot(size: tuple[int, int], extent: tuple[float, float, float, float], quality: int) -> Image:
    """Pillow's Mandelbrot set over ``extent`` ``(x0, y0, x1, y1)`` as an
    "L" image of ``size``: the escape step times 255 over ``quality``, 0
    inside; ``ValueError`` for an extent the wrong way round or a quality
    below 2, as Pillow's.

    >>> effect_mandelbrot((64, 64), (-2, -1.5, 1, 1.5), 50).mode
    'L'
    """
    width, height = require_size(size)
    numbers = [require_number("extent", value) for value in extent]
    if len(numbers) != 4:
        raise TypeError(f"extent must be (x0, y0, x1, y1), got {extent!r}")
    quality = require_int("quality", quality)
    if numbers[2] < numbers[0] or numbers[3] < numbers[1] or quality < 2:
        raise ValueError("extent must go from (x0, y0) to (x1, y1) with x1 >= x0 and y1 >= y0, and quality at least 2")
    raw = call_rust(rust().RgbaImage.effect_mandelbrot, width, height, js_array(numbers), quality)
    return Image._wrap(raw, "L")


def effect_noise(size: tuple[int, int], sigma: float) -> Image:
    """Pillow's Gaussian noise around 128 with deviation ``sigma`` as an "L"
    image of ``size`` (random as Pillow's: the same distribution, other values).

    >>> effect_noise((16, 16), 20).mode
    'L'
    """
    width, height = require_size(size)
    sigma = require_number("sigma", sigma)
    raw = call_rust(rust().RgbaImage.effect_noise, width, height, sigma, random.getrandbits(53))
    return Image._wrap(raw, "L")


def _gradient(mode: str, level: Callable[[int, int], int]) -> Image:
    """Pillow's gradients, in the modes its core fills ("1" and "P" take
    the levels as their bytes, "I" and "F" as their values)."""
    mode = modes.check_mode(mode)
    if mode not in ("1", "L", "P", "I", "F"):
        raise ValueError("image has wrong mode")
    grey = frombytes("L", (256, 256), bytes(level(x, y) for y in range(256) for x in range(256)))
    if mode in ("I", "F"):
        with grey:
            return grey.convert(mode)
    grey._mode = mode
    if mode == "P":
        grey.palette = ImagePalette.ImagePalette()
    return grey


def linear_gradient(mode: str) -> Image:
    """A 256 x 256 image from black at the top to white at the bottom: row
    ``y`` is ``y``, in "L", "1", "P", "I" or "F" (Pillow's; other modes
    raise ``ValueError``).

    >>> linear_gradient("L").getpixel((9, 200)), linear_gradient("F").getpixel((0, 3))
    (200, 3.0)
    """
    return _gradient(mode, lambda x, y: y)


def radial_gradient(mode: str) -> Image:
    """A 256 x 256 image from black at the centre to white at the edge:
    twice the distance from (128, 128), truncated, at most 255 (Pillow's;
    the modes of ``linear_gradient``).

    >>> radial_gradient("L").getpixel((128, 0))
    181
    """
    return _gradient(mode, lambda x, y: min(int(math.sqrt(float((x - 128) ** 2 + (y - 128) ** 2) * 2.0)), 255))


def size_limits() -> tuple[int, int]:
    """The largest width or height and the most pixels an image may have
    (wasmcanvas's own; every image is checked against them before its pixels
    are allocated).

    >>> size_limits()
    (16384, 67108864)
    """
    module = rust()
    return int(module.max_image_side()), int(module.max_image_pixels())


def from_image_data(image_data: Any) -> Image:
    """An "RGBA" image from a canvas ``ImageData``, copied into wasm memory
    by JS (wasmcanvas's own).

    >>> import js
    >>> context = js.OffscreenCanvas.new(320, 200).getContext("2d")
    >>> Image.from_image_data(context.getImageData(0, 0, 320, 200)).size
    (320, 200)
    """
    image = new("RGBA", (image_data.width, image_data.height))
    wasm_memory().write(image.ptr, image_data.data)
    return image


def merge(mode: str, bands: Sequence[Image]) -> Image:
    """An image of ``mode`` from one image per band: "L" ones (the first
    may be another one-byte mode, as in Pillow), or for a one-band mode an
    image of that mode.

    >>> r, g, b = new("RGB", (1, 1), (1, 2, 3)).split()
    >>> merge("RGB", (b, g, r)).getpixel((0, 0))
    (3, 2, 1)
    """
    mode = modes.check_mode(mode)
    if len(bands) != modes.band_count(mode):
        raise ValueError("wrong number of bands")
    for band in bands:
        if not isinstance(band, Image):
            raise TypeError(f"bands must be Images, not {type(band).__name__}")
    for band in bands[1:]:
        if band.mode != getmodetype(mode):
            raise ValueError("mode mismatch")
        if band.size != bands[0].size:
            raise ValueError("size mismatch")
    first = bands[0]
    if len(bands) == 1:
        if first.mode != mode:
            raise ValueError("images do not match")
        single = first.copy()
        single._mode = mode
        single.palette = None if mode not in ("P", "PA") else single.palette or ImagePalette.ImagePalette()
        return single
    # Pillow's core takes any one-band first band but of 4-byte values.
    if modes.band_count(first.mode) != 1 or first.mode in ("I", "F"):
        raise ValueError("image has wrong mode")
    # The first band's value is already in red, green and blue.
    result = first.copy()
    result._mode = "RGBA"
    try:
        for index, band in enumerate(bands[1:], start=1):
            result._call("put_channel", band.raw, 0, modes.stored_byte(mode, index))
    except BaseException:
        result.close()
        raise
    result._mode = mode
    result.palette = None
    if mode == "PA":
        result.palette = bands[0].palette.copy() if bands[0].palette is not None else ImagePalette.ImagePalette()
    result._settle()
    return result


def blend(im1: Image, im2: Image, alpha: float) -> Image:
    """``im1 * (1 - alpha) + im2 * alpha``, byte by byte (clipped when
    ``alpha`` is outside 0 to 1). The images must have one mode and size."""
    require_matching(im1, im2)
    im1._byte_kernels("blend")
    weight = require_number("alpha", alpha)
    return im1._derive(lambda image: image._call("blend", im2.raw, weight, None))


def composite(image1: Image, image2: Image, mask: Image) -> Image:
    """``image1`` where ``mask`` ("L", "LA" or "RGBA") is opaque, ``image2``
    where it is transparent, mixed in between."""
    require_matching(image1, image2)
    result = image2.copy()
    try:
        result.paste(image1, None, mask)
    except BaseException:
        result.close()
        raise
    return result


def alpha_composite(im1: Image, im2: Image) -> Image:
    """``im2`` composited over ``im1`` (both "RGBA", or both "LA", one size)."""
    require_matching(im1, im2)
    if im1.mode not in ("LA", "RGBA"):
        raise ValueError("image has wrong mode")
    return im1._derive(lambda image: image._call("alpha_composite", im2.raw, 0, 0))
