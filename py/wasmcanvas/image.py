"""``Image``: the Python face of ``rust_image.RgbaImage``.

The pixels live in wasm memory (RGBA, row-major, 4 bytes a pixel) and every
operation runs in Rust, in place. Coordinates are ``(x, y)`` from the top-left
corner, like a canvas; ``rect`` arguments are ``(x, y, width, height)``.

>>> image = Image(4, 3, fill=(255, 0, 0))
>>> image.blur(1.5)
>>> image[0, 0]
(255, 0, 0, 255)
>>> image[1:3, 0:2] = "#00ff00"      # fill a rectangle
>>> image.shape
(3, 4, 4)
>>> with Image.from_bytes(1, 1, b"\\x01\\x02\\x03\\x04") as tiny:
...     tiny.pixels.tolist()
[[[1, 2, 3, 4]]]
"""

from __future__ import annotations

from collections.abc import Buffer, Sequence
from typing import Any, Literal

from . import files, loader, module
from .checks import require_int, require_number, require_radii
from .colours import RGBA, Colour, parse_colour
from .errors import call_rust
from .ImageFilter import as_filter
from .memory import LiveView, WasmMemory
from .owned import RustOwned

Rect = tuple[int, int, int, int]

# rust_image numbers its choices as Pillow's Image.Transpose and Image.Resampling.
_FLIP_LEFT_RIGHT, _FLIP_TOP_BOTTOM, _ROTATE_90, _ROTATE_180, _ROTATE_270 = range(5)
_CLOCKWISE_TURNS = {90: _ROTATE_270, 180: _ROTATE_180, 270: _ROTATE_90}
_RESAMPLING = {"nearest": 0, "bilinear": 2}

_memory: WasmMemory | None = None


def reset_memory() -> None:
    """Forget the memory of a replaced rust_image instance."""
    global _memory
    _memory = None


def wasm_memory() -> WasmMemory:
    """The ``WasmMemory`` of the ``rust_image`` module (one, shared)."""
    global _memory
    if _memory is None:
        _memory = WasmMemory(module.rust().memory)
    return _memory


def _rect(rect: Sequence[int]) -> Rect:
    try:
        x, y, width, height = rect
    except (TypeError, ValueError):
        raise TypeError(f"rect must be (x, y, width, height), got {rect!r}") from None
    return (
        require_int("rect x", x),
        require_int("rect y", y),
        require_int("rect width", width),
        require_int("rect height", height),
    )


def _js_array(values: Sequence[float]) -> Any:
    from pyodide.ffi import to_js

    return to_js(list(values))


def _js_colour(colour: Colour) -> Any:
    return _js_array(parse_colour(colour))


def _js_rect(rect: Sequence[int] | None) -> Any:
    """The optional last argument of rust_image's operations: None (JS
    ``undefined``, the whole image) or a JS array ``[x, y, width, height]``."""
    if rect is None:
        return None
    from pyodide.ffi import to_js

    return to_js(list(_rect(rect)))


class Image(RustOwned):
    """An RGBA image whose pixels stay in wasm memory.

    ``Image(width, height)`` is transparent black; ``fill`` paints it one
    colour. Its pixels are freed as soon as Python drops the last reference
    to it (or at ``close()``, or at the end of a ``with`` block), not
    whenever the JS garbage collector happens to run: wasm memory never
    shrinks, so an image left to JS's collector could hold its bytes for
    good.
    """

    format: str | None = None
    """The format of the file the image was read from (``"PNG"``), else None."""

    _closed_message = "this Image is closed: its pixels were freed; use it before close() or copy() it"
    _reloaded_message = "this Image was made by the rust_image module before it was reloaded; its pixels are gone"

    def __init__(self, width: int, height: int, fill: Colour | None = None) -> None:
        width, height = require_int("width", width), require_int("height", height)
        rust = module.rust()
        if fill is None:
            raw = call_rust(rust.RgbaImage.new, width, height)
        else:
            raw = call_rust(rust.RgbaImage.filled, width, height, *parse_colour(fill))
        self._own(raw)

    @classmethod
    def _wrap(cls, raw: Any) -> Image:
        image = cls.__new__(cls)
        image._own(raw)
        return image

    @classmethod
    def from_bytes(cls, width: int, height: int, data: Buffer) -> Image:
        """An image from RGBA bytes (row-major), copied into wasm memory once.

        >>> Image.from_bytes(2, 1, bytes([255, 0, 0, 255, 0, 0, 255, 255]))[1, 0]
        (0, 0, 255, 255)
        """
        try:
            source = memoryview(data).cast("B")
        except TypeError:
            raise TypeError(f"data must be a bytes-like object, not {type(data).__name__}") from None
        image = cls(width, height)
        if source.nbytes != image.nbytes:
            image.close()
            raise ValueError(
                f"pixel data must be width*height*4 = {width * height * 4} bytes long, got {source.nbytes}"
            )
        wasm_memory().write(image.ptr, source)
        return image

    @classmethod
    def open(
        cls,
        fp: files.FilePath | Buffer | Any,
        mode: Literal["r"] = "r",
        formats: list[str] | tuple[str, ...] | None = None,
    ) -> Image:
        """The picture in a file: a path in Pyodide's file system, a
        bytes-like object or a binary file object, as Pillow's
        ``Image.open`` takes them. PNG (any colour type and bit depth), JPEG
        (baseline and progressive), GIF (its first frame), WebP and BMP are
        read, as RGBA; the file is read whole and closed at once. The size
        the file claims is checked before pixel memory is allocated.

        >>> Image.open("/tmp/tiny.png").size
        (7, 5)
        """
        if mode != "r":
            raise ValueError(f"bad mode {mode!r}")
        data, name = files.read_source(fp)
        found = files.check_readable(data, name, formats)
        rust = module.rust()
        width, height, picture = files.decode(data, rust.max_image_side(), int(rust.max_image_pixels()))
        try:
            image = cls._wrap(call_rust(rust.RgbaImage.from_bytes, "RGBA", width, height, files.pixels_view(picture)))
        finally:
            picture.free()
            loader.release_codecs()
        image.format = found
        return image

    def save(self, fp: files.FilePath | Any, format: str | None = None, **params: Any) -> None:
        """Write the image as a PNG or JPEG file to a path or a binary file
        object; ``format`` defaults to the file name's extension. Pillow's
        options are used: ``compress_level`` (0-9) and ``optimize`` for PNG,
        ``quality`` (0-100, default 75) for JPEG, which has no alpha (it is
        dropped, as ``convert("RGB")`` does); others, as in Pillow, are
        ignored.

        >>> Image(7, 5, fill="#008080").save("/tmp/tiny.png")
        """
        name = files.save_format(fp, format)
        files.write_target(fp, files.encode(name, self.js_view(), self.width, self.height, params))

    @classmethod
    def from_image_data(cls, image_data: Any) -> Image:
        """An image from a canvas ``ImageData``, copied into wasm memory by JS.

        >>> Image.from_image_data(context.getImageData(0, 0, 320, 200)).size   # doctest: +SKIP
        (320, 200)
        """
        image = cls(image_data.width, image_data.height)
        wasm_memory().write(image.ptr, image_data.data)
        return image

    @classmethod
    def from_rgb(cls, width: int, height: int, data: Buffer) -> Image:
        """An opaque image from RGB bytes (3 a pixel), such as the seed's.

        >>> Image.from_rgb(1, 1, b"\\x3c\\x46\\x5a")[0, 0]
        (60, 70, 90, 255)
        """
        rgb = memoryview(data).cast("B")
        if rgb.nbytes != width * height * 3:
            raise ValueError(f"RGB data must be width*height*3 = {width * height * 3} bytes long, got {rgb.nbytes}")
        rgba = bytearray(b"\xff" * (width * height * 4))
        for channel in range(3):
            rgba[channel::4] = rgb[channel::3]
        return cls.from_bytes(width, height, rgba)

    # ---- lifetime (close, with, raw: see RustOwned)

    def __repr__(self) -> str:
        if self.closed:
            return "<wasmcanvas.Image (closed)>"
        return f"<wasmcanvas.Image {self.width}x{self.height}>"

    def _apply(self, method: str, rect: Sequence[int] | None, *args: Any) -> None:
        self._call(method, *args, _js_rect(rect))

    def _replace(self, raw: Any) -> None:
        """Take the pixels of a new ``RgbaImage`` (a size-changing operation's
        result) and free the old ones."""
        old, self._raw = self._raw, raw
        old.free()

    # ---- size and memory

    @property
    def width(self) -> int:
        return int(self.raw.width)

    @property
    def height(self) -> int:
        return int(self.raw.height)

    @property
    def size(self) -> tuple[int, int]:
        """``(width, height)``, as Pillow gives it."""
        return (self.width, self.height)

    @property
    def shape(self) -> tuple[int, int, int]:
        """``(height, width, 4)``, as NumPy would shape the pixels."""
        return (self.height, self.width, 4)

    @property
    def ptr(self) -> int:
        """Address of the pixels in wasm memory (changes after a resize or
        rotation by 90 degrees)."""
        return int(self.raw.ptr())

    @property
    def nbytes(self) -> int:
        return int(self.raw.len())

    @property
    def pixels(self) -> memoryview:
        """A copy of the pixels, shaped ``(height, width, 4)`` (one bulk copy;
        see ``view()`` for a live view)."""
        return wasm_memory().snapshot(self.ptr, self.nbytes, self.shape)

    def view(self) -> LiveView:
        """A live view of the pixel bytes: writes reach Rust directly. Take a
        new one after a resize or rotation."""
        return wasm_memory().view(self.ptr, self.nbytes)

    def tobytes(self) -> bytes:
        return wasm_memory().read(self.ptr, self.nbytes)

    def js_view(self) -> Any:
        """A zero-copy ``Uint8ClampedArray`` over the pixels, for JS."""
        return wasm_memory().js_view(self.ptr, self.nbytes)

    # ---- pixels and rectangles

    def _point(self, x: int, y: int) -> tuple[int, int]:
        x, y = require_int("x", x), require_int("y", y)
        width, height = self.width, self.height
        if x < 0:
            x += width
        if y < 0:
            y += height
        if not (0 <= x < width and 0 <= y < height):
            raise IndexError(f"pixel ({x}, {y}) is outside the {width}x{height} image")
        return x, y

    def _slices(self, key: tuple[slice, slice]) -> Rect:
        xs, ys = key
        x0, x1, xstep = xs.indices(self.width)
        y0, y1, ystep = ys.indices(self.height)
        if xstep != 1 or ystep != 1:
            raise ValueError("image slices cannot have a step")
        if x1 <= x0 or y1 <= y0:
            raise IndexError(f"the rectangle [{x0}:{x1}, {y0}:{y1}] is empty")
        return (x0, y0, x1 - x0, y1 - y0)

    def __getitem__(self, key: tuple[int, int] | tuple[slice, slice]) -> RGBA | Image:
        """``image[x, y]`` is the pixel's ``(r, g, b, a)``; ``image[x0:x1,
        y0:y1]`` is a new Image holding a copy of that rectangle."""
        if isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], slice) == isinstance(key[1], slice):
            if isinstance(key[0], slice):
                return self.crop(*self._slices(key))
            x, y = self._point(*key)
            return tuple(self._call("get_pixel", x, y).to_py())
        raise TypeError("index an Image with [x, y] or [x0:x1, y0:y1]")

    def __setitem__(self, key: tuple[int, int] | tuple[slice, slice], value: Colour | Image) -> None:
        """``image[x, y] = colour`` sets a pixel; ``image[x0:x1, y0:y1] =``
        a colour fills the rectangle, an Image of its size is pasted there."""
        if not (isinstance(key, tuple) and len(key) == 2 and isinstance(key[0], slice) == isinstance(key[1], slice)):
            raise TypeError("index an Image with [x, y] or [x0:x1, y0:y1]")
        if isinstance(key[0], slice) and isinstance(key[1], slice):
            x, y, width, height = self._slices(key)
            if isinstance(value, Image):
                if value.size != (width, height):
                    raise ValueError(
                        f"cannot paste a {value.width}x{value.height} image into a {width}x{height} rectangle"
                    )
                self.paste(value, x, y)
            else:
                self.fill(value, (x, y, width, height))
            return
        x, y = self._point(*key)
        self._call("set_pixel", x, y, *parse_colour(value))  # type: ignore[arg-type]

    def fill(self, colour: Colour, rect: Sequence[int] | None = None) -> None:
        """Paint the image, or the part of ``rect`` inside it, one colour."""
        self._call("fill", *parse_colour(colour), _js_rect(rect))

    def copy(self) -> Image:
        """A new image with the same pixels."""
        return Image._wrap(self._call("copy"))

    def crop(self, x: int, y: int, width: int, height: int) -> Image:
        """A new image holding a copy of the rectangle; parts of it outside
        this image are transparent black (as Pillow's ``crop``)."""
        return Image._wrap(self._call("crop", _js_rect((x, y, width, height))))

    def paste(self, image: Image, x: int = 0, y: int = 0) -> None:
        """Write ``image`` over this one at ``(x, y)``; parts outside are left
        out (as Pillow's ``paste``)."""
        if not isinstance(image, Image):
            raise TypeError(f"can only paste an Image, not {type(image).__name__}")
        self._call("paste", image.raw, require_int("x", x), require_int("y", y))

    # ---- colour

    def grayscale(self, rect: Sequence[int] | None = None) -> None:
        """Rec. 601 luma, as Pillow's ``convert("L")``; alpha is kept."""
        self._apply("grayscale", rect)

    def invert(self, rect: Sequence[int] | None = None) -> None:
        self._apply("invert", rect)

    def brightness(self, factor: float, rect: Sequence[int] | None = None) -> None:
        """0 gives black, 1 the original, 2 twice as bright (Pillow's Brightness)."""
        self._apply("brightness", rect, require_number("factor", factor))

    def contrast(self, factor: float, rect: Sequence[int] | None = None) -> None:
        """0 gives flat grey, 1 the original, more than 1 more contrast."""
        self._apply("contrast", rect, require_number("factor", factor))

    def saturation(self, factor: float, rect: Sequence[int] | None = None) -> None:
        """0 gives grey, 1 the original, above 1 more saturated (Pillow's
        ``ImageEnhance.Color``)."""
        self._apply("saturation", rect, require_number("factor", factor))

    def sharpness(self, factor: float, rect: Sequence[int] | None = None) -> None:
        """0 gives the ``SMOOTH``-filtered image, 1 the original, above 1
        sharper (Pillow's ``ImageEnhance.Sharpness``)."""
        self._apply("sharpness", rect, require_number("factor", factor))

    def gamma(self, gamma: float, rect: Sequence[int] | None = None) -> None:
        """``255 * (v / 255) ** (1 / gamma)``: above 1 lightens, below darkens."""
        self._apply("gamma", rect, require_number("gamma", gamma))

    def threshold(self, level: int = 128, rect: Sequence[int] | None = None) -> None:
        """White where the luma is at least ``level``, black elsewhere."""
        self._apply("threshold", rect, require_int("level", level))

    def sepia(self, rect: Sequence[int] | None = None) -> None:
        self._apply("sepia", rect)

    def putalpha(self, alpha: int) -> None:
        """Set the alpha of every pixel to ``alpha`` (0 to 255), as Pillow's
        ``putalpha`` with a number.

        >>> image.putalpha(255)   # opaque again after a filter that touched alpha
        """
        self._call("put_alpha", require_int("alpha", alpha))

    def swap_channels(self, first: int, second: int, rect: Sequence[int] | None = None) -> None:
        """Exchange two channels: 0 red, 1 green, 2 blue, 3 alpha."""
        self._apply("swap_channels", rect, require_int("first", first), require_int("second", second))

    def extract_channel(self, channel: int, rect: Sequence[int] | None = None) -> None:
        """Show one channel (0 red, 1 green, 2 blue, 3 alpha) as opaque grey."""
        self._apply("extract_channel", rect, require_int("channel", channel))

    def premultiply_alpha(self, rect: Sequence[int] | None = None) -> None:
        self._apply("premultiply_alpha", rect)

    def unpremultiply_alpha(self, rect: Sequence[int] | None = None) -> None:
        self._apply("unpremultiply_alpha", rect)

    # ---- filters

    def blur(self, radius: float | Sequence[float], rect: Sequence[int] | None = None) -> None:
        """Gaussian blur of standard deviation ``radius``, or ``(x, y)``
        radii (Pillow's ``GaussianBlur(radius)``); the cost does not depend
        on the radius."""
        self._apply("gaussian_blur", rect, *require_radii("radius", radius))

    def box_blur(self, radius: float | Sequence[float], rect: Sequence[int] | None = None) -> None:
        """Mean over a ``2 * radius + 1`` box, or ``(x, y)`` radii (Pillow's
        ``BoxBlur``)."""
        self._apply("box_blur", rect, *require_radii("radius", radius))

    def convolve(
        self, kernel: Sequence[float], scale: float = 0, offset: float = 0, rect: Sequence[int] | None = None
    ) -> None:
        """Convolve with 9 (3x3) or 25 (5x5) weights, as Pillow's
        ``ImageFilter.Kernel``: ``sum / scale + offset``; ``scale`` 0 means
        the sum of the weights."""
        import js
        from pyodide.ffi import to_js

        weights = [require_number("kernel weight", w) for w in kernel]
        array = js.Float32Array.new(to_js(weights))
        self._apply("convolve", rect, array, require_number("scale", scale), require_number("offset", offset))

    def unsharp_mask(
        self, radius: float = 2, percent: int = 150, threshold: int = 3, rect: Sequence[int] | None = None
    ) -> None:
        """Pillow's ``UnsharpMask``: bytes that differ from their Gaussian blur
        of ``radius`` by more than ``threshold`` move away from it by
        ``percent`` of the difference."""
        self._apply(
            "unsharp_mask",
            rect,
            require_number("radius", radius),
            require_int("percent", percent),
            require_int("threshold", threshold),
        )

    def filter(self, filter: Any) -> Image:
        """A new image: this one through an ``ImageFilter`` filter (an
        instance, or a built-in kernel's class such as ``ImageFilter.BLUR``),
        as Pillow's ``Image.filter``.

        >>> from wasmcanvas import ImageFilter
        >>> with Image(4, 4, "white") as image, image.filter(ImageFilter.MedianFilter(3)) as median:
        ...     median.size
        (4, 4)
        """
        chosen = as_filter(filter)
        result = self.copy()
        try:
            chosen.apply(result)
        except BaseException:
            result.close()
            raise
        return result

    def builtin_filter(self, name: str, rect: Sequence[int] | None = None) -> None:
        """One of Pillow's built-in kernels by its ``ImageFilter`` name:
        ``"BLUR"``, ``"CONTOUR"``, ``"DETAIL"``, ``"EDGE_ENHANCE"``,
        ``"EDGE_ENHANCE_MORE"``, ``"EMBOSS"``, ``"FIND_EDGES"``,
        ``"SHARPEN"``, ``"SMOOTH"`` or ``"SMOOTH_MORE"``."""
        if not isinstance(name, str):
            raise TypeError(f"name must be a str, not {type(name).__name__}")
        self._apply("builtin_filter", rect, name)

    def sharpen(self, rect: Sequence[int] | None = None) -> None:
        self.builtin_filter("SHARPEN", rect)

    def edge_detect(self, rect: Sequence[int] | None = None) -> None:
        """Pillow's ``FIND_EDGES``."""
        self.builtin_filter("FIND_EDGES", rect)

    def emboss(self, rect: Sequence[int] | None = None) -> None:
        self.builtin_filter("EMBOSS", rect)

    def smooth(self, rect: Sequence[int] | None = None) -> None:
        """5x5 smoothing (Pillow's ``SMOOTH_MORE``)."""
        self.builtin_filter("SMOOTH_MORE", rect)

    def rank_filter(self, size: int, rank: int, rect: Sequence[int] | None = None) -> None:
        """Each byte becomes the ``rank``-th smallest (from 0) of its
        channel's ``size`` x ``size`` neighbourhood (Pillow's
        ``RankFilter``); ``size`` is odd, up to 255."""
        self._apply("rank_filter", rect, require_int("size", size), require_int("rank", rank))

    def median(self, size: int = 3, rect: Sequence[int] | None = None) -> None:
        """Median of each ``size`` x ``size`` neighbourhood (Pillow's
        ``MedianFilter``): removes salt-and-pepper noise."""
        size = require_int("size", size)
        self.rank_filter(size, size * size // 2, rect)

    # ---- geometry

    def flip_horizontal(self) -> None:
        self._replace(self._call("transpose", _FLIP_LEFT_RIGHT))

    def flip_vertical(self) -> None:
        self._replace(self._call("transpose", _FLIP_TOP_BOTTOM))

    def rotate(self, degrees: Literal[90, 180, 270]) -> None:
        """Turn clockwise by 90, 180 or 270 degrees (90 and 270 swap width and
        height)."""
        require_int("degrees", degrees)
        if degrees not in _CLOCKWISE_TURNS:
            raise ValueError(f"degrees must be 90, 180 or 270, got {degrees!r}")
        self._replace(self._call("transpose", _CLOCKWISE_TURNS[degrees]))

    def resize(self, width: int, height: int, resample: Literal["bilinear", "nearest"] = "bilinear") -> None:
        """Resample to ``width`` x ``height`` (Pillow's BILINEAR or NEAREST)."""
        if not isinstance(resample, str):
            raise TypeError(f"resample must be a str, not {type(resample).__name__}")
        if resample not in _RESAMPLING:
            raise ValueError(f"resample must be 'bilinear' or 'nearest', got {resample!r}")
        size = require_int("width", width), require_int("height", height)
        self._replace(self._call("resize", *size, _RESAMPLING[resample]))

    def crop_in_place(self, x: int, y: int, width: int, height: int) -> None:
        """Keep only the rectangle (parts outside this image become
        transparent black)."""
        self._replace(self._call("crop", _js_rect((x, y, width, height))))

    # ---- drawing

    def draw_line(self, start: tuple[int, int], end: tuple[int, int], colour: Colour, width: int = 1) -> None:
        """A line ``width`` pixels wide, both ends included, clipped to the
        image (Pillow's ``ImageDraw.line``)."""
        (x0, y0), (x1, y1) = start, end
        coordinates = [require_int(n, v) for n, v in (("x0", x0), ("y0", y0), ("x1", x1), ("y1", y1))]
        self._call("draw_lines", _js_array(coordinates), _js_colour(colour), require_int("width", width))

    def draw_rect(self, x: int, y: int, width: int, height: int, colour: Colour, fill: bool = True) -> None:
        """A rectangle, filled or a one-pixel outline, clipped to the image."""
        x, y = require_int("x", x), require_int("y", y)
        width, height = require_int("width", width, minimum=0), require_int("height", height, minimum=0)
        if width and height:
            ink = _js_colour(colour)
            box = _js_array([x, y, x + width - 1, y + height - 1])
            self._call("draw_rectangle", box, ink if fill else None, None if fill else ink, 1)

    def draw_polygon(
        self,
        points: Sequence[tuple[int, int]],
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: int = 1,
    ) -> None:
        """A polygon through ``points``: its inside in ``fill``, its outline
        ``width`` pixels wide inside the shape in ``outline`` (Pillow's
        ``ImageDraw.polygon``)."""
        coordinates = [require_int("point", v) for point in points for v in point]
        self._call(
            "draw_polygon",
            _js_array(coordinates),
            None if fill is None else _js_colour(fill),
            None if outline is None else _js_colour(outline),
            require_int("width", width),
        )

    def draw_circle(self, centre: tuple[int, int], radius: int, colour: Colour, fill: bool = True) -> None:
        """A circle, filled or a one-pixel outline: Pillow's ``ellipse`` on the
        box ``(cx - radius, cy - radius, cx + radius, cy + radius)``."""
        cx, cy = require_int("cx", centre[0]), require_int("cy", centre[1])
        radius = require_int("radius", radius, minimum=0)
        ink = _js_colour(colour)
        box = _js_array([cx - radius, cy - radius, cx + radius, cy + radius])
        self._call("draw_ellipse", box, ink if fill else None, None if fill else ink, 1)

    def blend(self, image: Image, x: int = 0, y: int = 0) -> None:
        """Composite ``image`` over this one at ``(x, y)`` (Porter-Duff
        "over", as Pillow's ``alpha_composite``); parts outside are skipped."""
        if not isinstance(image, Image):
            raise TypeError(f"can only blend an Image, not {type(image).__name__}")
        self._call("alpha_composite", image.raw, require_int("x", x), require_int("y", y))

    def flood_fill(self, x: int, y: int, colour: Colour, border: Colour | None = None, thresh: float = 0) -> int:
        """Fill the 4-connected area around ``(x, y)`` of pixels within
        ``thresh`` of its colour, or up to a ``border`` colour (Pillow's
        ``ImageDraw.floodfill``); returns the number of pixels set (0 for a
        point outside, as Pillow)."""
        return int(
            self._call(
                "flood_fill",
                require_int("x", x),
                require_int("y", y),
                _js_colour(colour),
                None if border is None else _js_colour(border),
                require_number("thresh", thresh),
            )
        )

    # ---- analysis

    def histogram(self, rect: Sequence[int] | None = None) -> list[int]:
        """1024 counts: red values 0..255, then green, blue, alpha (Pillow's layout)."""
        return list(self._call("histogram", _js_rect(rect)).to_py())

    def mean_colour(self, rect: Sequence[int] | None = None) -> tuple[float, float, float, float]:
        """Mean red, green, blue and alpha."""
        return tuple(self._call("mean_colour", _js_rect(rect)).to_py())
