"""wasmcanvas's analogue of Pillow's C core, ``PIL._imaging``, reached as
``Image.core``; an image's core object is ``im.im``.

Pillow keeps its pixels in a C object (``ImagingCore``) that its Python
``Image`` wraps, and a few of Pillow's own tests and plugins call that
object directly: ``im.im.box_blur((1, 1), 2)``, then ``im._new(core)`` to
wrap the result back into an image. Here an image's pixels are a
``rust_image.RgbaImage`` in wasm memory, and its core object is bound to
them: its methods run the same Rust kernels as the ``Image`` methods and
return new core objects, with the checks and messages of Pillow's core.

>>> from wasmcanvas import Image
>>> im = Image.new("L", (4, 3), 200)
>>> im.im.mode, im.im.size, im.im.bands
('L', (4, 3), 1)
>>> im._new(im.im.box_blur((1, 1), 2)).getpixel((0, 0))
200

What Pillow's core has for its C allocator and its memory statistics
(``set_alignment``, ``set_use_block_allocator``, ``get_stats``...) has no
counterpart here (Rust allocates the pixels) and is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _modes as modes
from ._pycodecs import RawDecoder, RawEncoder

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["ImagingCore", "check_margin", "fill", "new", "raw_decoder", "raw_encoder"]

raw_decoder = RawDecoder
"""Pillow's core ``raw_decoder(mode, rawmode)``: bytes in the mode's own
layout into a core image (what ``PyDecoder.set_as_raw`` uses)."""
raw_encoder = RawEncoder
"""Pillow's core ``raw_encoder(mode, rawmode)``: a core image's pixels as
the mode's own bytes (what ``tobytes`` gives)."""

# Pillow's core box blur takes these modes, and no others.
_BLURRABLE = ("RGB", "RGBA", "RGBa", "RGBX", "CMYK", "L", "LA", "La")
_BILINEAR = 2


class ImagingCore:
    """Pillow's core image object: the pixels of an image and their mode.

    ``im.im`` is bound to ``im``: it reads and changes ``im``'s pixels.
    What its methods return holds new pixels of its own, until
    ``Image._new`` makes an image of them (which then owns them; a second
    ``_new`` of the same core object gets a copy).
    """

    def __init__(self, image: Image, owned: bool = False) -> None:
        self._image = image
        # True while the pixels belong to this core object alone: then
        # ``Image._new`` may take them instead of copying them.
        self._owned = owned

    @property
    def mode(self) -> str:
        return self._image.mode

    @property
    def size(self) -> tuple[int, int]:
        return self._image.size

    @property
    def bands(self) -> int:
        return modes.band_count(self._image.mode)

    def __repr__(self) -> str:
        return f"<ImagingCore mode={self.mode} size={self.size[0]}x{self.size[1]}>"

    def _take(self) -> Image:
        """The image of these pixels for ``Image._new``: this core's own
        (handed over once), else a copy of the image it is bound to."""
        if self._owned:
            self._owned = False
            return self._image
        return self._image.copy()

    def getpixel(self, xy: tuple[int, int]) -> modes.ModeValue:
        """The pixel at ``xy`` in the mode's terms, as ``Image.getpixel``."""
        return self._image.getpixel(xy)

    def copy(self) -> ImagingCore:
        return ImagingCore(self._image.copy(), owned=True)

    def resize(
        self, size: tuple[int, int], resample: int = 0, box: tuple[float, float, float, float] | None = None
    ) -> ImagingCore:
        """The pixels resized, every band on its own (``Image.resize``
        premultiplies alpha first; Pillow's core refuses to resample "1" and
        "P" images other than by NEAREST: ``Image.resize`` converts them)."""
        if resample != 0 and self.mode in ("1", "P"):
            raise ValueError("image has wrong mode")
        image = self._image
        if resample == 0 or not modes.has_alpha(self.mode):
            return ImagingCore(image.resize(size, resample, box), owned=True)
        # rust_image's resize premultiplies, which changes nothing where
        # alpha is 255: the colours resized opaque, the alpha as grey.
        with image.copy() as opaque, image.getchannel(len(image.getbands()) - 1) as alpha:
            opaque._call("put_alpha", 255, None)
            with alpha.resize(size, resample, box) as resized_alpha:
                resized = opaque.resize(size, resample, box)
                resized._call("put_channel", resized_alpha.raw, 0, 3)
        return ImagingCore(resized, owned=True)

    def box_blur(self, radius: tuple[float, float], n: int = 1) -> ImagingCore:
        """``n`` horizontal box blurs of ``radius[0]``, then ``n`` vertical
        ones of ``radius[1]`` (Pillow's core; ``ImageFilter.BoxBlur`` is
        ``n=1``)."""
        x_radius, y_radius = (float(value) for value in radius)
        if self.size[0] == 0 or self.size[1] == 0:
            return self.copy()
        if n < 1:
            raise ValueError("number of passes must be greater than zero")
        if not (x_radius >= 0 and y_radius >= 0):
            raise ValueError("radius must be >= 0")
        if self.mode not in _BLURRABLE:
            raise ValueError("image has wrong mode")
        blurred = self._image.copy()
        try:
            blurred._call("box_blur_passes", x_radius, y_radius, n, None)
            blurred._settle()
        except BaseException:
            blurred.close()
            raise
        return ImagingCore(blurred, owned=True)

    def color_lut_3d(
        self, mode: str, filter: int, table_channels: int, size: tuple[int, int, int], table: Any
    ) -> ImagingCore:
        """Red, green and blue mapped through a 3D table into an image of
        ``mode``, checked in the order and with the messages of Pillow's
        core (``ImageFilter.Color3DLUT`` is its public face)."""
        size_1d, size_2d, size_3d = size
        if filter != _BILINEAR:
            raise ValueError("Only LINEAR filter is supported.")
        if not 1 <= table_channels <= 4:
            raise ValueError("table_channels should be from 1 to 4")
        if not all(2 <= value <= 65 for value in size):
            raise ValueError("Table size in any dimension should be from 2 to 65")
        values = _lut_values(table, table_channels * size_1d * size_2d * size_3d)
        target = modes.check_mode(mode)
        if not 3 <= table_channels <= 4:
            raise ValueError("table_channels should be 3 or 4")
        source_bands, target_bands = self.bands, modes.band_count(target)
        eight_bit = self.mode not in modes.WIDE and target not in modes.WIDE
        if not eight_bit or source_bands < 3 or target_bands < table_channels:
            raise ValueError("image has wrong mode")
        if target_bands > table_channels and target_bands > source_bands:
            raise ValueError("image has wrong mode")
        import js
        from pyodide.ffi import to_js

        mapped = self._image.copy()
        try:
            mapped._call("colour_lut", table_channels, *size, js.Float32Array.new(to_js(values)), None)
            mapped._mode = target
            mapped.palette = None
            mapped._settle()
        except BaseException:
            mapped.close()
            raise
        return ImagingCore(mapped, owned=True)

    def expand(self, margin: int) -> ImagingCore:
        """The pixels with ``margin`` more on every side, copies of the
        nearest edge pixel (how Pillow's core pads for its rank filters)."""
        check_margin(margin)
        if margin == 0:
            return self.copy()
        from .Image import new

        width, height = self.size
        image = self._image
        result = new(self.mode, (width + 2 * margin, height + 2 * margin))
        result.palette = None if image.palette is None else image.palette.copy()
        # Nine parts, each a part of the image stretched by NEAREST: the
        # corner pixels, the edge rows and columns, and the image itself.
        columns = ((0, 1, 0, margin), (0, width, margin, width), (width - 1, width, margin + width, margin))
        rows = ((0, 1, 0, margin), (0, height, margin, height), (height - 1, height, margin + height, margin))
        try:
            for left, right, x, part_width in columns if width and height else ():
                for top, bottom, y, part_height in rows:
                    with image.crop((left, top, right, bottom)) as part:
                        with part.resize((part_width, part_height), 0) as piece:
                            result._call("paste", piece.raw, x, y)
        except BaseException:
            result.close()
            raise
        return ImagingCore(result, owned=True)

    def setalpha(self) -> None:
        """Make an "RGB" or "RGBX" image "RGBA", opaque (in place)."""
        if self.mode not in ("RGB", "RGBX"):
            raise ValueError("image has wrong mode")
        self._image._call("put_alpha", 255, None)
        self._image._mode = "RGBA"

    def getpalette(self, mode: str = "RGB", rawmode: str | None = None) -> bytes:
        """The palette's entries as bytes in ``rawmode`` ("RGB" or "RGBA";
        ``mode`` by default)."""
        entries = self._image.getpalette(rawmode or mode)
        if entries is None:
            raise ValueError("image has no palette")
        return bytes(entries)


def check_margin(margin: int) -> None:
    """Pillow's guard on padding an image by ``margin`` on every side (for a
    rank filter: half its window): the window of 4-byte values must fit a
    C int."""
    if margin < 0:
        raise ValueError("bad kernel size")
    if margin > 0 and margin > (2**31 - 1) // (margin * 4):
        raise ValueError("filter size too large")


def _lut_values(table: Any, count: int) -> list[float]:
    """A colour table's ``count`` numbers as Pillow's core takes them: a
    one-dimensional buffer of float16, float32 or float64, else a sequence
    of numbers."""
    try:
        view = memoryview(table)
    except TypeError:
        view = None
    if view is not None and view.ndim == 1 and view.shape == (count,) and view.format in ("e", "f", "d"):
        return [float(value) for value in view.tolist()]
    if isinstance(table, (str, bytes)) or not hasattr(table, "__getitem__") or not hasattr(table, "__len__"):
        raise TypeError("argument must be a sequence")
    if len(table) != count:
        raise ValueError("The table should have table_channels * size1D * size2D * size3D float items.")
    values = []
    for item in table:
        if isinstance(item, (str, bytes)) or not hasattr(item, "__float__"):
            raise TypeError(f"must be real number, not {type(item).__name__}")
        values.append(float(item))
    return values


def new(mode: str, size: tuple[int, int]) -> ImagingCore:
    """A core image of ``mode`` and ``size``, every byte 0."""
    from .Image import new as new_image

    return ImagingCore(new_image(mode, size), owned=True)


def fill(mode: str, size: tuple[int, int] = (256, 256), color: Any = None) -> ImagingCore:
    """A core image of ``mode`` and ``size`` filled with ``color`` (0 by
    default); a negative size is a ``ValueError``."""
    from .Image import new as new_image

    width, height = size
    if width < 0 or height < 0:
        raise ValueError("Width and height must be >= 0")
    return ImagingCore(new_image(mode, (width, height), 0 if color is None else color), owned=True)
