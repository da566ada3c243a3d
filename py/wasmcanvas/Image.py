"""Pillow's ``PIL.Image`` on wasmcanvas: the same functions, methods,
arguments, defaults and return values, for images whose pixels stay in wasm
memory and whose every operation runs in Rust.

Pillow code runs after changing its import line:

>>> from wasmcanvas import Image, ImageFilter
>>> im = Image.new("RGB", (320, 200), "#1d2330")
>>> im = im.resize((160, 100), Image.Resampling.BILINEAR).rotate(30, expand=True)
>>> im.filter(ImageFilter.GaussianBlur(2)).convert("L").size
(181, 167)

Methods return new images as Pillow's do (``paste``, ``putpixel``,
``putalpha``, ``alpha_composite`` and ``thumbnail`` change the image, as in
Pillow). The allocation-free forms for animation loops are in
``im.inplace`` (see ``wasmcanvas.inplace``). What Pillow has not got is
marked "wasmcanvas's own": ``ptr``, ``view()``, ``js_view()``, ``pixels``,
``from_image_data`` and the canvas in ``wasmcanvas.Canvas``.

Modes are "L", "LA", "RGB" and "RGBA" (8 bits a channel); Pillow's others
raise ``NotImplementedError`` naming what to use instead.
"""

from __future__ import annotations

import io
import math
from collections.abc import Buffer, Callable, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING, Any, Literal

from . import files, loader, modes
from .checks import require_box, require_int, require_matching, require_number, require_size
from .errors import DecompressionBombError, UnidentifiedImageError
from .formats import FilePath, check_readable, file_mode, read_source, save_format, write_target
from .modes import Colour
from .module import call_rust, js_array, rust, wasm_memory
from .owned import RustOwned

if TYPE_CHECKING:
    from .inplace import InPlace
    from .memory import LiveView

__all__ = [
    "DecompressionBombError",
    "Image",
    "ImageTransformHandler",
    "PixelAccess",
    "Resampling",
    "Transform",
    "Transpose",
    "UnidentifiedImageError",
    "alpha_composite",
    "blend",
    "composite",
    "from_image_data",
    "frombytes",
    "merge",
    "new",
    "open",
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

_LOG2_E = 1.4426950408889634


# The filters Pillow's transform and rotate sample with.
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


def _pixel_value(value: Colour, mode: str) -> Colour:
    """A ``putpixel`` value checked as Pillow checks it: ints that do not fit
    a C long overflow, and tuples have one band or the mode's count (a
    single band sets the first, the others 0)."""
    if isinstance(value, tuple):
        lengths = {"L": (1,), "LA": (1, 2)}.get(mode, (1, 3, 4))
        if len(value) not in lengths:
            raise TypeError(
                {
                    "L": "color must be int or single-element tuple",
                    "LA": "color must be int, or tuple of one or two elements",
                }.get(mode, "color must be int, or tuple of one, three or four elements")
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


class Image(RustOwned):
    """An image whose pixels live in wasm memory (Pillow's ``Image.Image``).

    Make one with ``Image.new``, ``Image.open`` or ``Image.frombytes``. Its
    pixels are freed as soon as Python drops the last reference to it (or at
    ``close()``), not whenever the JS garbage collector happens to run: wasm
    memory never shrinks, so an image left to JS's collector could hold its
    bytes for good. A ``with`` block keeps them, as Pillow's keeps a loaded
    image usable after it.
    """

    format: str | None = None
    """The format of the file the image was read from (``"PNG"``), else None."""
    info: dict[str, Any]
    """Pillow's dictionary of facts about the image (empty here)."""
    _mode: str

    _closed_message = "this Image is closed: its pixels were freed; use it before close() or copy() it"
    _reloaded_message = "this Image was made by the rust_image module before it was reloaded; its pixels are gone"

    def __init__(self) -> None:
        raise TypeError("make images with Image.new(), Image.open() or Image.frombytes()")

    @classmethod
    def _wrap(cls, raw: Any, mode: str) -> Image:
        image = cls.__new__(cls)
        image._own(raw)
        image._mode = mode
        image.info = {}
        return image

    def _new(self, raw: Any, mode: str | None = None) -> Image:
        """A new image of ``raw``'s pixels, in this one's mode unless told."""
        image = Image._wrap(raw, mode or self._mode)
        image._settle()
        return image

    def _derive(self, change: Callable[[Image], Any], mode: str | None = None) -> Image:
        """A copy changed in place by ``change``, then given ``mode``; freed
        if that fails."""
        result = self.copy()
        try:
            change(result)
            result._mode = mode or self._mode
            result._settle()
        except BaseException:
            result.close()
            raise
        return result

    def _settle(self) -> None:
        """Give a mode without alpha back its opaque alpha after an operation
        that works on all four stored bytes."""
        if self._mode in ("L", "RGB"):
            self._call("put_alpha", 255, None)

    def __exit__(self, *exc_info: object) -> None:
        """The end of a ``with`` block: Pillow's closes the image's file and
        keeps its pixels. ``Image.open`` has read and released the file
        already, so nothing is left to do; the pixels are freed when the
        last reference goes, or at ``close()``."""

    def _replace(self, raw: Any) -> None:
        """Take the pixels of a new ``RgbaImage`` and free the old ones."""
        old, self._raw = self._raw, raw
        old.free()
        self._settle()

    # ---- what the image is

    def __repr__(self) -> str:
        if self.closed:
            return "<wasmcanvas.Image.Image (closed)>"
        return f"<wasmcanvas.Image.Image image mode={self._mode} size={self.width}x{self.height}>"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Image):
            return False
        return (
            self.mode == other.mode
            and self.size == other.size
            and self.info == other.info
            and self.tobytes() == other.tobytes()
        )

    __hash__ = None  # type: ignore[assignment]

    @property
    def mode(self) -> str:
        """``"L"``, ``"LA"``, ``"RGB"`` or ``"RGBA"``."""
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

        >>> im.inplace.filter(ImageFilter.GaussianBlur(3))   # no new image
        """
        from .inplace import InPlace

        # Made on each use, not kept: an image holding the object that holds
        # it would be a reference cycle, freed only when the cycle collector
        # runs instead of as soon as the image is dropped.
        return InPlace(self)

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
        """The pixels in the mode's layout, row by row (1 byte a pixel for
        "L", 3 for "RGB"...)."""
        if encoder_name != "raw" or (args and args[0] not in (self._mode, None)):
            raise NotImplementedError(
                "only the raw encoder in the image's own mode is supported; convert() first for another layout"
            )
        return bytes(self._call("to_bytes", self._mode, None).to_py())

    def save(self, fp: FilePath | Any, format: str | None = None, **params: Any) -> None:
        """Write the image as a PNG or JPEG file to a path or a binary file
        object; ``format`` defaults to the file name's extension. Pillow's
        options are used: ``compress_level`` (0-9) and ``optimize`` for PNG,
        ``quality`` (1-100, default 75) for JPEG; others are ignored, as in
        Pillow. JPEG has no alpha: "RGBA" and "LA" raise ``OSError`` as in
        Pillow (``convert("RGB")`` first).

        >>> Image.new("RGB", (7, 5), "teal").save("/tmp/tiny.png")
        """
        name = save_format(fp, format)
        if name == "JPEG" and modes.has_alpha(self._mode):
            raise OSError(f"cannot write mode {self._mode} as JPEG")
        data = self._call("to_bytes", self._mode, None)
        write_target(fp, files.encode(name, self._mode, data, self.width, self.height, params))

    def _repr_png_(self) -> bytes:
        """The image as PNG bytes: how Jupyter-style front ends (and the
        wasmcanvas REPL) show an image returned at the prompt."""
        out = io.BytesIO()
        self.save(out, "PNG", compress_level=1)
        return out.getvalue()

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
        x, y = self._xy(xy)
        return modes.mode_value(self._call("get_pixel", x, y).to_py(), self._mode)

    def putpixel(self, xy: tuple[int, int], value: Colour) -> None:
        """Set one pixel (in place, as Pillow)."""
        x, y = self._xy(xy)
        self._call("set_pixel", x, y, *modes.stored_colour(_pixel_value(value, self._mode), self._mode))

    def load(self) -> PixelAccess:
        """Pillow's pixel access object: ``px = im.load(); px[x, y]``
        (a closed image raises ``ClosedImageError``, a ``ValueError``, as
        Pillow raises one)."""
        self.raw  # noqa: B018 (refuses a closed image)
        return PixelAccess(self)

    def getdata(self, band: int | None = None) -> list[Any]:
        """The pixels row by row as a list (Pillow gives a sequence object),
        or the values of one band."""
        data = self.tobytes()
        count = modes.band_count(self._mode)
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
        return tuple(self.getdata(band))

    # ---- copies and modes

    def copy(self) -> Image:
        return Image._wrap(self._call("copy"), self._mode)

    __copy__ = copy

    def convert(self, mode: str | None = None, matrix: Any = None, dither: Any = None, **options: Any) -> Image:
        """A copy in another mode: "L" is the luma of red, green and blue with
        Pillow's weights (alpha dropped), "LA" keeps alpha, "RGB" drops it,
        "RGBA" adds an opaque one."""
        if matrix is not None:
            raise NotImplementedError("convert(matrix=...) is not supported; use point() or ImageChops instead")
        target = modes.check_mode(mode) if mode else self._mode
        return self._derive(lambda image: image._become(target), target)

    def _become(self, mode: str) -> None:
        """Take ``mode`` without new pixels: a grey mode from a colour one
        puts the luma in red, green and blue (the caller settles alpha)."""
        target = modes.check_mode(mode)
        if target in ("L", "LA") and self._mode not in ("L", "LA"):
            self._call("grayscale", None)
        self._mode = target

    def split(self) -> tuple[Image, ...]:
        """One "L" image per band."""
        return tuple(self.getchannel(band) for band in range(modes.band_count(self._mode)))

    def getchannel(self, channel: int | str) -> Image:
        """One band as an "L" image, by index or name (``"A"``)."""
        byte = modes.stored_byte(self._mode, modes.band_index(self._mode, channel))
        return self._derive(lambda image: image._call("extract_channel", byte, None), "L")

    def putalpha(self, alpha: int | Image) -> None:
        """Set the alpha band (in place, as Pillow): a number, or an "L"
        image of this size. "L" becomes "LA" and "RGB" becomes "RGBA"."""
        if isinstance(alpha, Image):
            if alpha.mode != "L":
                raise ValueError("illegal image mode")
            if alpha.size != self.size:
                raise ValueError("images do not match")
            self._call("put_channel", alpha.raw, 0, 3)
        else:
            self._call("put_alpha", require_int("alpha", alpha), None)
        self._mode = {"L": "LA", "RGB": "RGBA"}.get(self._mode, self._mode)

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
        rounded = require_box(tuple(round(value) for value in (left, upper, right, lower)))
        return self._new(self._call("crop", js_array(rounded)))

    def paste(
        self,
        im: Image | Colour,
        box: tuple[int, int] | tuple[int, int, int, int] | Image | None = None,
        mask: Image | None = None,
    ) -> None:
        """Put an image or a colour into this image (in place, as Pillow):
        ``box`` is the upper left corner, or a 4-tuple the size of what is
        pasted; ``mask`` ("L", "LA" or "RGBA", its alpha used) weighs each
        pixel."""
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
            if not isinstance(mask, Image):
                raise TypeError(f"mask must be an Image, not {type(mask).__name__}")
            if mask.size != size:
                raise ValueError("images do not match")
            if mask.mode not in ("L", "LA", "RGBA"):
                raise ValueError("bad transparency mask")
        if size[0] <= 0 or size[1] <= 0:
            return
        if isinstance(im, Image):
            self._paste_image(im, x, y, mask)
        else:
            colour = modes.stored_colour(im, self._mode)
            if mask is None:
                self._call("fill", *colour, js_array([x, y, *size]))
            else:
                if mask.mode == "L" and modes.has_alpha(self._mode):
                    self._paint_clear_pixels(colour, x, y, mask)
                with new("RGBA", size, colour) as solid:
                    self._paste_image(solid, x, y, mask)
        self._settle()

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
        filter_ = Resampling.BICUBIC if resample is None else _resample(resample)
        region = None if box is None else js_array(_source_box(box))
        gap = None if reducing_gap is None else require_number("reducing_gap", reducing_gap)
        return self._new(self._call("resize", width, height, filter_, region, gap))

    def reduce(self, factor: int | tuple[int, int], box: tuple[int, int, int, int] | None = None) -> Image:
        """A copy ``factor`` times smaller, each pixel the mean of a block."""
        factor_x, factor_y = (factor, factor) if isinstance(factor, int) else factor
        region = None if box is None else js_array([require_int("box", value) for value in box])
        return self._new(self._call("reduce", require_int("factor", factor_x), require_int("factor", factor_y), region))

    def thumbnail(
        self, size: tuple[float, float], resample: int = Resampling.BICUBIC, reducing_gap: float | None = 2.0
    ) -> None:
        """Shrink the image, in place as Pillow, to fit in ``size`` keeping
        its aspect ratio (never enlarged)."""
        # Pillow floors the size it is given.
        width, height = (math.floor(require_number("size", value)) for value in size)
        gap = None if reducing_gap is None else require_number("reducing_gap", reducing_gap)
        self._replace(self._call("thumbnail", width, height, _resample(resample), gap))

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
        return self._new(
            self._call(
                "rotate",
                require_number("angle", angle),
                _resample(resample, _SAMPLING),
                bool(expand),
                None if center is None else js_array([require_number("center", v) for v in center]),
                None if translate is None else js_array([require_number("translate", v) for v in translate]),
                self._fill(fillcolor),
            )
        )

    def _fill(self, fillcolor: Colour | None) -> Any:
        return js_array(modes.stored_colour(0 if fillcolor is None else fillcolor, self._mode))

    def transpose(self, method: int) -> Image:
        """A flipped or quarter-turned copy (``Transpose``)."""
        if isinstance(method, bool) or not isinstance(method, int):
            raise TypeError(f"method must be an Image.Transpose member, not {type(method).__name__}")
        return self._new(self._call("transpose", int(method)))

    def transform(
        self,
        size: tuple[int, int],
        method: int,
        data: Sequence[float] | None = None,
        resample: int = Resampling.NEAREST,
        fill: int = 1,
        fillcolor: Colour | None = None,
    ) -> Image:
        """A ``size`` image sampled from this one through ``method``
        (``Transform.AFFINE``, ``EXTENT``, ``PERSPECTIVE``, ``QUAD`` or ``MESH``) and
        its ``data``, or through an ``ImageTransform`` object holding both."""
        width, height = require_size(size)
        if isinstance(method, ImageTransformHandler):
            # As Pillow: the handler transforms, and fillcolor is not passed on.
            return method.transform((width, height), self, resample=resample, fill=fill)
        if hasattr(method, "getdata"):
            method, data = method.getdata()
        if data is None:
            raise ValueError("missing method data")
        if method == Transform.MESH:
            return self._mesh((width, height), data, resample, fillcolor)
        if isinstance(method, bool) or method not in tuple(Transform):
            raise ValueError("unknown transformation method")
        numbers = _transform_data(int(method), [require_number("data", value) for value in data])
        filter_ = _resample(resample, _SAMPLING)
        return self._new(
            self._call("transform", width, height, int(method), js_array(numbers), filter_, self._fill(fillcolor))
        )

    def _mesh(self, size: tuple[int, int], tiles: Any, resample: int, fillcolor: Colour | None) -> Image:
        """Pillow's ``Transform.MESH``: each ``(box, quad)`` of ``tiles``
        fills its box of the output from the quadrilateral ``quad`` of this
        image (as ``QUAD``). Where a quad reaches outside this image the box
        gets 0, or, with a ``fillcolor``, keeps what is there (the fill, or
        an earlier tile), as in Pillow. Boxes must lie inside the output
        (Pillow shifts the sampling of a box that reaches outside)."""
        _resample(resample, _SAMPLING)
        if fillcolor is None:
            out = new(self._mode, size)
        else:
            # The fill as a transform gives it (premultiplied and back with
            # alpha, as Pillow's): every output pixel samples far outside.
            far = -float(2**24)
            out = self.transform(size, Transform.AFFINE, (0, 0, far, 0, 0, far), resample, fillcolor=fillcolor)
        try:
            for box, quad in tiles:
                left, upper, right, lower = (require_int("mesh box", value) for value in box)
                if not (0 <= left <= right <= size[0] and 0 <= upper <= lower <= size[1]):
                    raise NotImplementedError(
                        f"mesh box {tuple(box)} reaches outside the {size[0]}x{size[1]} output; "
                        "keep every box inside it"
                    )
                if right == left or lower == upper:
                    continue
                tile_size = (right - left, lower - upper)
                with self.transform(tile_size, Transform.QUAD, quad, resample, fillcolor=fillcolor) as tile:
                    if fillcolor is None:
                        out.paste(tile, (left, upper))
                        continue
                    # Only where the quad is inside this image: a constant
                    # 255 sampled the same way is 255 there and 0 outside.
                    with (
                        new("L", self.size, 255) as inside,
                        inside.transform(tile_size, Transform.QUAD, quad, resample) as covered,
                    ):
                        out.paste(tile, (left, upper), covered)
        except BaseException:
            out.close()
            raise
        return out

    # ---- colour and filters

    def filter(self, filter: Any) -> Image:
        """A copy through an ``ImageFilter`` filter (an instance, or a
        built-in kernel's class such as ``ImageFilter.BLUR``)."""
        from .ImageFilter import as_filter

        chosen = as_filter(filter)
        return self._derive(lambda image: chosen.apply(image, None))

    def point(self, lut: Sequence[float] | Callable[[int], float], mode: str | None = None) -> Image:
        """A copy with every value mapped: ``lut`` is a table of 256 values
        per band, or a function called for each of 0..255 (applied to
        every band, alpha included, as Pillow does)."""
        if mode is not None and mode != self._mode:
            raise NotImplementedError(f"point() into mode {mode!r} is not supported; point() then convert()")
        table = self._point_table(lut)
        return self._derive(lambda image: image._call("point", table, None))

    def _point_table(self, lut: Sequence[float] | Callable[[int], float]) -> Any:
        """rust_image's 1024-byte table (red, green, blue, alpha) for a
        Pillow ``point`` table or function in this image's mode."""
        import js
        from pyodide.ffi import to_js

        bands = modes.band_count(self._mode)
        if callable(lut):
            values = [lut(level) for level in range(256)] * bands
        else:
            values = list(lut)
            if len(values) != 256 * bands:
                raise ValueError("wrong number of lut entries")
        levels = []
        for value in values:
            # A bool is a number here, as in Pillow (False is 0): the tutorial's
            # ``lambda i: i < 100 and 255`` gives one.
            if not isinstance(value, (int, float)):
                raise TypeError(f"lut values must be numbers, not {type(value).__name__}")
            if isinstance(value, int) and not -(2**63) <= value < 2**63:
                raise OverflowError("Python int too large to convert to C long")
            # Pillow's table holds C ints: a level wraps to 32 bits, then clips.
            levels.append(min(max((round(value) + 2**31) % 2**32 - 2**31, 0), 255))
        tables = [levels[i * 256 : (i + 1) * 256] for i in range(bands)]
        if self._mode in ("L", "LA"):
            tables = [tables[0]] * 3 + tables[1:]
        stored = tables if len(tables) == 4 else [*tables, list(range(256))]
        return js.Uint8Array.new(to_js([level for table in stored for level in table]))

    # ---- analysis

    def histogram(self, mask: Image | None = None, extrema: Any = None) -> list[int]:
        """256 counts per band, band after band; with ``mask`` (an "L" image
        of this size) only the pixels where it is not 0 are counted."""
        if mask is None:
            counts = list(self._call("histogram", None).to_py())
        else:
            counts = list(self._call("masked_histogram", self._counting_mask(mask).raw).to_py())
        return [count for band in range(modes.band_count(self._mode)) for count in self._band(counts, band, 256)]

    def _counting_mask(self, mask: object) -> Image:
        """``mask`` if it can pick this image's pixels to count: an "L"
        image of this size, as Pillow's ``histogram(mask)`` takes."""
        if not isinstance(mask, Image):
            raise TypeError(f"mask must be an Image, not {type(mask).__name__}")
        if mask.mode != "L" or mask.size != self.size:
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
        values = list(self._call("extrema", None).to_py())
        pairs: list[tuple[int, int]] = []
        for band in range(modes.band_count(self._mode)):
            low, high = self._band(values, band, 2)
            pairs.append((low, high))
        return pairs[0] if self._mode == "L" else tuple(pairs)

    def getcolors(self, maxcolors: int = 256) -> list[tuple[int, modes.ModeValue]] | None:
        """``(count, pixel)`` for each colour, ordered by colour, or None
        when there are more than ``maxcolors``."""
        found = self._call("colours", require_int("maxcolors", maxcolors), None)
        if found is None:
            return None
        flat = list(found.to_py())
        return [(flat[i], modes.mode_value(flat[i + 1 : i + 5], self._mode)) for i in range(0, len(flat), 5)]


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


class ImageTransformHandler:
    """What ``im.transform(size, handler)`` hands the work to, as Pillow's
    (``ImageTransform``'s transforms are ones): its ``transform(size,
    image, **options)`` makes the image."""

    def transform(self, size: tuple[int, int], image: Image, **options: Any) -> Image:
        raise NotImplementedError


class PixelAccess:
    """``im.load()``: ``px[x, y]`` reads and ``px[x, y] = value`` writes a
    pixel, as ``getpixel`` and ``putpixel`` do."""

    def __init__(self, image: Image) -> None:
        self._image = image

    def __getitem__(self, xy: tuple[int, int]) -> modes.ModeValue:
        return self._image.getpixel(xy)

    def __setitem__(self, xy: tuple[int, int], value: Colour) -> None:
        self._image.putpixel(xy, value)


# ---- making images


def new(mode: str, size: tuple[int, int], color: Colour | None = 0) -> Image:
    """A ``size`` image of one colour (a colour string, an int for "L", a
    tuple of the bands; 0 by default: black, transparent with alpha).

    >>> new("RGBA", (2, 1), "red").getpixel((0, 0))
    (255, 0, 0, 255)
    """
    mode = modes.check_mode(mode)
    width, height = _pillow_size(size)
    colour = modes.stored_colour(0 if color is None else color, mode)
    return Image._wrap(call_rust(rust().RgbaImage.filled, width, height, *colour), mode)


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
    expected = width * height * modes.band_count(mode)
    if source.nbytes < expected:
        raise ValueError("not enough image data")
    if source.nbytes > expected:
        source = source[:expected]
    return Image._wrap(call_rust(rust().RgbaImage.from_bytes, mode, width, height, files.to_uint8array(source)), mode)


def open(
    fp: FilePath | Buffer | Any, mode: Literal["r"] = "r", formats: list[str] | tuple[str, ...] | None = None
) -> Image:
    """The picture in a file: a path in Pyodide's file system, a bytes-like
    object or a binary file object. PNG (any colour type and bit depth),
    JPEG (baseline and progressive), GIF (its first frame), WebP and BMP are
    read whole and at once; the size the file claims is checked before pixel
    memory is allocated. The mode is the file's ("L", "LA", "RGB", "RGBA";
    palette files open as "RGB", or "RGBA" when they have transparency).

    >>> open("/tmp/tiny.png").size
    (7, 5)
    """
    if mode != "r":
        raise ValueError(f"bad mode {mode!r}")
    data, name = read_source(fp)
    found = check_readable(data, name, formats)
    module = rust()
    width, height, picture = files.decode(data, module.max_image_side(), int(module.max_image_pixels()))
    try:
        raw = call_rust(module.RgbaImage.from_bytes, "RGBA", width, height, files.pixels_view(picture))
    finally:
        picture.free()
        loader.release_codecs()
    image = Image._wrap(raw, "RGBA")
    opaque = image._call("extrema", None).to_py()[6] == 255
    image._mode = file_mode(data, found, opaque)
    image._settle()
    image.format = found
    return image


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

    >>> from_image_data(context.getImageData(0, 0, 320, 200)).size   # doctest: +SKIP
    (320, 200)
    """
    image = new("RGBA", (image_data.width, image_data.height))
    wasm_memory().write(image.ptr, image_data.data)
    return image


def merge(mode: str, bands: Sequence[Image]) -> Image:
    """An image of ``mode`` from one "L" image per band.

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
        if band.mode != "L":
            raise ValueError("mode mismatch")
        if band.size != bands[0].size:
            raise ValueError("size mismatch")
    # The first band's grey is already in red, green and blue.
    result = bands[0].convert("RGBA")
    try:
        for index, band in enumerate(bands[1:], start=1):
            result._call("put_channel", band.raw, 0, modes.stored_byte(mode, index))
    except BaseException:
        result.close()
        raise
    result._mode = mode
    return result


def blend(im1: Image, im2: Image, alpha: float) -> Image:
    """``im1 * (1 - alpha) + im2 * alpha``, byte by byte (clipped when
    ``alpha`` is outside 0 to 1). The images must have one mode and size."""
    require_matching(im1, im2)
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
