"""Pillow's ``ImageFont``: TrueType and OpenType fonts (``truetype``,
``FreeTypeFont``, ``load_default``: Pillow's own Aileron Regular) hinted and
rendered to match Pillow's FreeType with its basic layout, and bitmap fonts
in PIL's own format (``load``, ``load_path``: a ``.pil`` metrics file
beside its ``.png``, ``.gif`` or ``.pbm`` glyph sheet), both drawn by
``ImageDraw.Draw.text`` with Pillow's pixels.

>>> font = ImageFont.load_default(20)     # Aileron Regular at 20 pixels
>>> font.getbbox("Hello"), font.getlength("Hello")
((0, 5, 48, 20), 48.0)
"""

from __future__ import annotations

import abc
import os
import struct
import sys
import warnings
from enum import IntEnum
from io import BytesIO
from itertools import accumulate
from typing import IO, TYPE_CHECKING, Any, TypedDict

from . import Image, _freetype, _imaging
from .ImageFile import _decompression_bomb_check

if TYPE_CHECKING:
    from .Image import Image as ImageType

__all__ = [
    "MAX_STRING_LENGTH",
    "BaseImageFont",
    "FreeTypeFont",
    "ImageFont",
    "Layout",
    "TransposedFont",
    "load",
    "load_default",
    "load_default_imagefont",
    "load_path",
    "truetype",
]


core = _freetype
"""Pillow's name for its FreeType module (``core.HAVE_RAQM`` is False)."""


class Layout(IntEnum):
    BASIC = 0
    RAQM = 1


MAX_STRING_LENGTH: int | None = 1_000_000
"""Longer text is refused with ``ValueError`` (Pillow's limit; ``None`` lifts it)."""

# C's int, the width Pillow adds glyph advances in.
_INT_MAX = 2**31 - 1
_INT_MIN = -(2**31)
_GLYPH = struct.Struct(">10h")
_GLYPHS_SIZE = 256 * _GLYPH.size


def _string_length_check(text: str | bytes | bytearray) -> None:
    if MAX_STRING_LENGTH is not None and len(text) > MAX_STRING_LENGTH:
        raise ValueError("too many characters in string")


def _codes(text: object) -> bytes:
    """The glyph indices of ``text`` as Pillow's C layer takes them: a str
    in Latin-1 (``UnicodeEncodeError`` otherwise), bytes as they are, any
    other object as no text; a NUL ends the text."""
    if type(text) is str:
        codes = text.encode("latin-1")
    elif isinstance(text, bytes):
        codes = bytes(text)
    else:
        codes = b""
    return codes.split(b"\0", 1)[0]


class BaseImageFont(abc.ABC):
    """What ``ImageDraw`` asks of a font (Pillow's ``BaseImageFont``)."""

    @abc.abstractmethod
    def getbbox(self, text: str | bytes | bytearray, *args: Any, **kwargs: Any) -> tuple[float, float, float, float]:
        pass

    @abc.abstractmethod
    def getmask(self, text: str | bytes, mode: str = "", *args: Any, **kwargs: Any) -> ImageType:
        pass

    @abc.abstractmethod
    def getlength(self, text: str | bytes, *args: Any, **kwargs: Any) -> float:
        pass


class _Glyph:
    """One glyph's advance, its box relative to the pen (``dx0, dy0, dx1,
    dy1``) and its rows in the glyph sheet, clipped to the sheet as Pillow
    clips them."""

    __slots__ = ("advance", "box", "rows", "source_size")

    def __init__(self, values: tuple[int, ...], sheet: bytes, sheet_size: tuple[int, int]) -> None:
        dx, dy, dx0, dy0, dx1, dy1, sx0, sy0, sx1, sy1 = values
        width, height = sheet_size
        # Pillow keeps a glyph inside its sheet by moving its box's edges.
        if sx0 < 0:
            dx0, sx0 = dx0 - sx0, 0
        if sy0 < 0:
            dy0, sy0 = dy0 - sy0, 0
        if sx1 > width:
            dx1, sx1 = dx1 - (sx1 - width), width
        if sy1 > height:
            dy1, sy1 = dy1 - (sy1 - height), height
        self.advance = (dx, dy)
        self.box = (dx0, dy0, dx1, dy1)
        self.source_size = (max(0, sx1 - sx0), max(0, sy1 - sy0))
        self.rows = [
            sheet[y * width + sx0 : y * width + sx0 + self.source_size[0]]
            for y in range(sy0, sy0 + self.source_size[1])
        ]


class ImageFont(BaseImageFont):
    """A bitmap font in PIL's format (Pillow's ``ImageFont.ImageFont``),
    made by ``load`` or ``load_path``. Its masks are "L" images, 0 or 255
    for a black and white glyph sheet (Pillow's are its "1" or "L" core
    images)."""

    file: str
    info: list[bytes]

    def _load_pilfont(self, filename: str | os.PathLike[str]) -> None:
        with open(filename, "rb") as fp:
            root = os.path.splitext(os.fspath(filename))[0]
            for ext in (".png", ".gif", ".pbm"):
                try:
                    image = Image.open(root + ext)
                except Exception:
                    continue
                if image.mode in ("1", "L"):
                    break
                image.close()
            else:
                raise OSError(f"cannot find glyph data file {root}.{{gif|pbm|png}}")
            self.file = root + ext
            with image:
                self._load_pilfont_data(fp, image)

    def _load_pilfont_data(self, file: IO[bytes], image: ImageType) -> None:
        if image.mode not in ("1", "L"):
            image.close()
            raise TypeError("invalid font image mode")
        if file.read(8) != b"PILfont\n":
            image.close()
            raise SyntaxError("Not a PILfont file")
        file.readline()
        self.info = []
        while True:
            line = file.readline()
            if not line or line == b"DATA\n":
                break
            self.info.append(line)
        self._load(image, file.read(_GLYPHS_SIZE))

    def _load(self, image: ImageType, data: bytes) -> None:
        if len(data) != _GLYPHS_SIZE:
            raise ValueError("descriptor table has wrong size")
        image.load()
        # A byte a pixel: a bilevel sheet ("1", packed 8 to a byte) as 0 and 255.
        if image.mode == "1":
            with image.convert("L") as grey:
                sheet = grey.tobytes()
        else:
            sheet = image.tobytes()
        self._glyphs = [_Glyph(values, sheet, image.size) for values in _GLYPH.iter_unpack(data)]
        top = min(0, *(glyph.box[1] for glyph in self._glyphs))
        bottom = max(0, *(glyph.box[3] for glyph in self._glyphs))
        self._baseline = -top
        self._height = bottom - top

    def _width(self, codes: bytes) -> int:
        """The sum of the advances, refused where Pillow's C int would
        overflow on the way."""
        advances = [self._glyphs[code].advance[0] for code in codes]
        for total in accumulate(advances):
            if total > _INT_MAX:
                raise OverflowError("Width too large")
            if total < _INT_MIN:
                raise OverflowError("Width too small")
        return max(0, sum(advances))

    def getmask(self, text: str | bytes, mode: str = "", *args: Any, **kwargs: Any) -> ImageType:
        """The "L" mask of ``text``: each glyph copied from the sheet at the
        pen, which its advance then moves (Pillow's ``getmask``; ``mode`` and
        the FreeType arguments are ignored as Pillow ignores them here).

        ```python
        font = ImageFont.load("10x20.pil")   # a .pil file beside its .pbm sheet
        font.getmask("Hi").size              # (20, 20)
        ```
        """
        _string_length_check(text)
        codes = _codes(text)
        width, height = self._width(codes), self._height
        _decompression_bomb_check((width, height))
        mask = bytearray(width * height)
        x, baseline = 0, self._baseline
        for code in codes:
            glyph = self._glyphs[code]
            dx0, dy0, dx1, dy1 = glyph.box
            if (dx1 - dx0, dy1 - dy0) != glyph.source_size:
                # Pillow's paste refuses the glyph and its getmask then fails.
                raise SystemError(f"glyph {code} of the font does not fit its box: images do not match")
            left, top = x + dx0, baseline + dy0
            start, stop = max(0, -left), min(glyph.source_size[0], width - left)
            if start < stop:
                for row_index in range(max(0, -top), min(glyph.source_size[1], height - top)):
                    offset = (top + row_index) * width + left
                    mask[offset + start : offset + stop] = glyph.rows[row_index][start:stop]
            x += glyph.advance[0]
            baseline += glyph.advance[1]
        return Image.frombytes("L", (width, height), bytes(mask))

    def getbbox(self, text: str | bytes | bytearray, *args: Any, **kwargs: Any) -> tuple[int, int, int, int]:
        """``(0, 0, width, height)`` of ``text``: the height is the font's,
        whatever the text (Pillow's ``getbbox``)."""
        _string_length_check(text)
        return 0, 0, self._width(_codes(text)), self._height

    def getlength(self, text: str | bytes | bytearray, *args: Any, **kwargs: Any) -> int:
        """How far the pen moves over ``text``, in pixels."""
        _string_length_check(text)
        return self._width(_codes(text))


class Axis(TypedDict):
    minimum: int | None
    default: int | None
    maximum: int | None
    name: bytes | None


class FreeTypeFont(BaseImageFont):
    """A TrueType or OpenType font at one size (Pillow's ``FreeTypeFont``):
    ``font`` a path in Pyodide's file system or a binary file object,
    ``size`` in pixels: a TrueType, OpenType, WOFF or WOFF2 file. Glyphs
    are hinted and rendered to match FreeType (see
    ``features.version("freetype2")``), bitmap strikes (EBDT, and colour
    CBDT and sbix) and COLR layers included: in colour in mode "RGBA"
    (``ImageDraw.text(..., embedded_color=True)``). The layout is Pillow's
    ``Layout.RAQM`` by default (shaped by rustybuzz, a port of HarfBuzz:
    ligatures, GPOS kerning, ``direction``, ``features``, ``language``;
    unhinted advances as raqm has them), or ``Layout.BASIC`` (a glyph a
    character, hinted advances, ``kern`` table pairs).

    >>> import io
    >>> data = ImageFont.load_default().font_bytes       # a TrueType file's bytes
    >>> font = ImageFont.truetype(io.BytesIO(data), 20)
    >>> font.getbbox("Hello")
    (0, 5, 47, 20)
    """

    font: _freetype.Font
    font_bytes: bytes

    def __init__(
        self,
        font: Any,
        size: float = 10,
        index: int = 0,
        encoding: str = "",
        layout_engine: Layout | None = None,
    ) -> None:
        if size <= 0:
            raise ValueError(f"font size must be greater than 0, not {size}")
        self.path = font
        self.size = size
        self.index = index
        self.encoding = encoding
        if layout_engine not in (Layout.BASIC, Layout.RAQM):
            layout_engine = Layout.RAQM if core.HAVE_RAQM else Layout.BASIC
        elif layout_engine == Layout.RAQM and not core.HAVE_RAQM:
            warnings.warn(
                "Raqm layout was requested, but Raqm is not available. Falling back to basic layout.", stacklevel=2
            )
            layout_engine = Layout.BASIC
        self.layout_engine = layout_engine
        if isinstance(font, (str, bytes, os.PathLike)):
            try:
                with open(font, "rb") as file:
                    data = file.read()
            except FileNotFoundError:
                raise OSError("cannot open resource") from None
        else:
            self.font_bytes = data = font.read()
        self.font = _freetype.Font(data, size, index, encoding, layout_engine == Layout.RAQM)

    def __getstate__(self) -> list[Any]:
        return [self.path, self.size, self.index, self.encoding, self.layout_engine]

    def __setstate__(self, state: list[Any]) -> None:
        path, size, index, encoding, layout_engine = state
        FreeTypeFont.__init__(self, path, size, index, encoding, layout_engine)

    def getname(self) -> tuple[str | None, str | None]:
        """The family and style names, e.g. ``("DejaVu Sans", "Book")``."""
        return self.font.family, self.font.style

    def getmetrics(self) -> tuple[int, int]:
        """Ascent and descent in pixels (the descent positive below the baseline)."""
        return self.font.ascent, self.font.descent

    def getlength(
        self,
        text: str | bytes,
        mode: str = "",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
    ) -> float:
        """How far the pen moves over ``text``, in pixels (multiples of
        1/64: hinted advances are whole pixels, kerning adds 1/64 a pixel of
        kerning, as Pillow's basic layout does)."""
        _string_length_check(text)
        return self.font.getlength(text, mode, direction, features, language) / 64

    def getbbox(
        self,
        text: str | bytes | bytearray,
        mode: str = "",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        stroke_width: float = 0,
        anchor: str | None = None,
    ) -> tuple[float, float, float, float]:
        """``(left, top, right, bottom)`` of ``text`` drawn at ``(0, 0)``
        with ``anchor`` (default "la")."""
        _string_length_check(text)
        size, offset = self.font.getsize(text, mode, direction, features, language, anchor)
        left, top = offset[0] - stroke_width, offset[1] - stroke_width
        width, height = size[0] + 2 * stroke_width, size[1] + 2 * stroke_width
        return left, top, left + width, top + height

    def getmask(
        self,
        text: str | bytes,
        mode: str = "",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        stroke_width: float = 0,
        anchor: str | None = None,
        ink: int = 0,
        start: tuple[float, float] | None = None,
    ) -> Any:
        """The core image of ``text``'s coverage ("L"; "RGBA" in the ink
        for mode "RGBA"), as ``getmask2`` without the offset."""
        return self.getmask2(
            text,
            mode,
            direction=direction,
            features=features,
            language=language,
            stroke_width=stroke_width,
            anchor=anchor,
            ink=ink,
            start=start,
        )[0]

    def getmask2(
        self,
        text: str | bytes,
        mode: str = "",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        stroke_width: float = 0,
        anchor: str | None = None,
        ink: int = 0,
        start: tuple[float, float] | None = None,
        *args: Any,
        **kwargs: Any,
    ) -> tuple[Any, tuple[int, int]]:
        """The core image of ``text`` and its offset from the anchor; the
        mask is refused as an image of its size would be (decompression
        bomb). ``stroke_filled=True`` fills the stroked glyphs."""
        _string_length_check(text)
        if start is None:
            start = (0, 0)

        def fill(width: int, height: int) -> Any:
            size = (width, height)
            Image._decompression_bomb_check(size)
            return _imaging.fill("RGBA" if mode == "RGBA" else "L", size)

        return self.font.render(
            text,
            fill,
            mode,
            direction,
            features,
            language,
            stroke_width,
            kwargs.get("stroke_filled", False),
            anchor,
            ink,
            start,
        )

    def font_variant(
        self,
        font: Any = None,
        size: float | None = None,
        index: int | None = None,
        encoding: str | None = None,
        layout_engine: Layout | None = None,
    ) -> FreeTypeFont:
        """A copy of this font with the given settings changed."""
        if font is None:
            try:
                font = BytesIO(self.font_bytes)
            except AttributeError:
                font = self.path
        return FreeTypeFont(
            font=font,
            size=self.size if size is None else size,
            index=self.index if index is None else index,
            encoding=self.encoding if encoding is None else encoding,
            layout_engine=layout_engine if layout_engine is not None else self.layout_engine,
        )

    def get_variation_names(self) -> list[bytes]:
        """The named styles of a variation font (``OSError`` for another font)."""
        names: list[bytes] = []
        for name in self.font.getvarnames():
            name = name.replace(b"\x00", b"")
            if name not in names:
                names.append(name)
        return names

    def set_variation_by_name(self, name: str | bytes) -> None:
        """Selects the named style ``name``."""
        names = self.get_variation_names()
        if not isinstance(name, bytes):
            name = name.encode()
        index = names.index(name) + 1
        if index == getattr(self, "_last_variation_index", None):
            return
        self._last_variation_index = index
        self.font.setvarname(index)

    def get_variation_axes(self) -> list[Axis]:
        """The axes of a variation font: name, minimum, default, maximum."""
        axes = self.font.getvaraxes()
        for axis in axes:
            if "name" in axis:
                axis["name"] = axis["name"].replace(b"\x00", b"")
        return axes  # type: ignore[return-value]

    def set_variation_by_axes(self, axes: list[float]) -> None:
        """Sets each axis to its value in ``axes``."""
        self.font.setvaraxes(axes)


class TransposedFont(BaseImageFont):
    """``font`` written flipped or turned by ``orientation`` (an
    ``Image.Transpose`` value, or ``None``), as Pillow's ``TransposedFont``."""

    def __init__(self, font: BaseImageFont, orientation: int | None = None) -> None:
        self.font = font
        self.orientation = orientation

    def _turned(self) -> bool:
        return self.orientation in (Image.Transpose.ROTATE_90, Image.Transpose.ROTATE_270)

    def getmask(self, text: str | bytes, mode: str = "", *args: Any, **kwargs: Any) -> ImageType:
        mask = self.font.getmask(text, mode, *args, **kwargs)
        if self.orientation is None:
            return mask
        if isinstance(mask, _imaging.ImagingCore):
            return _imaging.ImagingCore(mask._image.transpose(self.orientation), owned=True)
        return mask.transpose(self.orientation)

    def getbbox(self, text: str | bytes | bytearray, *args: Any, **kwargs: Any) -> tuple[float, float, float, float]:
        # Pillow moves the box's corner to (0, 0).
        left, top, right, bottom = self.font.getbbox(text, *args, **kwargs)
        width, height = right - left, bottom - top
        return (0, 0, height, width) if self._turned() else (0, 0, width, height)

    def getlength(self, text: str | bytes, *args: Any, **kwargs: Any) -> float:
        if self._turned():
            raise ValueError("text length is undefined for text rotated by 90 or 270 degrees")
        return self.font.getlength(text, *args, **kwargs)


def load(filename: str | os.PathLike[str]) -> ImageFont:
    """The bitmap font of the PIL font file ``filename`` and its glyph
    sheet beside it (``OSError`` if either cannot be read).

    ```python
    ImageFont.load("Tests/fonts/10x20.pil").getlength("abc")   # 30
    ```
    """
    font = ImageFont()
    font._load_pilfont(filename)
    return font


def load_path(filename: str | bytes | os.PathLike[str] | os.PathLike[bytes]) -> ImageFont:
    """``load`` of ``filename`` in the first folder of ``sys.path`` that has it."""
    name = os.fsdecode(filename)
    for directory in sys.path:
        try:
            return load(os.path.join(directory, name))
        except OSError:
            pass
    message = f'cannot find font file "{name}" in sys.path'
    if os.path.exists(name):
        message += f', did you mean ImageFont.load("{name}") instead?'
    raise OSError(message)


def truetype(
    font: Any, size: float = 10, index: int = 0, encoding: str = "", layout_engine: Layout | None = None
) -> FreeTypeFont:
    """The TrueType or OpenType ``font`` (a path, a file object) at
    ``size`` pixels. A path that cannot be read is looked for by its name
    in the system's font folders as Pillow does (``OSError`` if nowhere).

    >>> with open("aileron.ttf", "wb") as file:
    ...     _ = file.write(ImageFont.load_default().font_bytes)
    >>> ImageFont.truetype("aileron.ttf", 20).getlength("abc")
    33.421875
    """
    try:
        return FreeTypeFont(font, size, index, encoding, layout_engine)
    except OSError:
        if not isinstance(font, (str, bytes, os.PathLike)):
            raise
        found = _find_font(os.fsdecode(font))
        if found is None:
            raise
        return FreeTypeFont(found, size, index, encoding, layout_engine)


def _font_folders() -> list[str]:
    """Where Pillow looks for a font named without its folder: the system's
    font folders (XDG data folders on Linux)."""
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR")
        return [os.path.join(windir, "fonts")] if windir else []
    if sys.platform in ("linux", "linux2"):
        home = os.environ.get("XDG_DATA_HOME") or os.path.expanduser("~/.local/share")
        data = os.environ.get("XDG_DATA_DIRS") or "/usr/local/share:/usr/share"
        return [os.path.join(folder, "fonts") for folder in [home, *data.split(":")]]
    if sys.platform == "darwin":
        return ["/Library/Fonts", "/System/Library/Fonts", os.path.expanduser("~/Library/Fonts")]
    return []


def _find_font(name: str) -> str | None:
    """The first font file called ``name`` in the font folders; without an
    extension, the first ``.ttf`` of that stem, else the first file of it."""
    base = os.path.basename(name)
    extension = os.path.splitext(base)[1]
    other = None
    for folder in _font_folders():
        for root, _, files in os.walk(folder):
            for candidate in files:
                path = os.path.join(root, candidate)
                if extension:
                    if candidate == base:
                        return path
                elif os.path.splitext(candidate)[0] == base:
                    if os.path.splitext(candidate)[1] == ".ttf":
                        return path
                    other = other or path
    return other


def load_default_imagefont() -> ImageFont:
    """Raises ``ImportError``: Pillow's embedded bitmap font is not shipped
    with wasmcanvas (``load_default`` gives Pillow's default TrueType font)."""
    raise ImportError("wasmcanvas does not ship Pillow's embedded bitmap font; use load_default()")


def load_default(size: float | None = None) -> FreeTypeFont:
    """Pillow's default font, Aileron Regular (the bytes Pillow embeds,
    shipped in the wheel), at ``size`` pixels (10 if not given), basic
    layout: text drawn without a font is Pillow's.

    >>> load_default(20).getname()               # doctest: +SKIP
    ('Aileron', 'Regular')
    """
    with open(os.path.join(os.path.dirname(__file__), "_data", "aileron.ttf"), "rb") as file:
        return truetype(BytesIO(file.read()), 10 if size is None else size, layout_engine=Layout.BASIC)
