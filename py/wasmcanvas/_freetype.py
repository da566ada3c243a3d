"""The font object under ``ImageFont.FreeTypeFont`` (Pillow's
``_imagingft`` ``Font``): a TrueType or OpenType face at one size, held in
the codecs module (``TextFace``, Rust: skrifa's FreeType-compatible hinting
and a FreeType-like coverage rasterizer). Text lengths are in 26.6 fixed
point, boxes and masks in pixels, as Pillow's C layer gives them.

>>> face = Font(ImageFont.load_default().font_bytes, 20)   # Aileron Regular
>>> face.getlength("Hello", "L")
3072
"""

from __future__ import annotations

from typing import Any

from pyodide.ffi import JsException, to_js

from . import loader

__all__ = ["FREETYPE_VERSION", "HAVE_RAQM", "Font"]

HAVE_RAQM = True
"""Pillow's Raqm layout is there (shaped by rustybuzz, HarfBuzz's shaper;
no bidirectional reordering of mixed-direction text)."""

FREETYPE_VERSION = "2.14.3"
"""The FreeType whose output wasmcanvas's text matches (Pillow 13.0.0's
wheels bundle it): ``features.version("freetype2")``."""

_LAYOUT_ONLY_WITH_RAQM = "setting text direction, language or font features is not supported without libraqm"


def _codes(text: object) -> Any:
    """``text`` as the code points Pillow's basic layout reads: a str's
    characters, bytes as C's signed chars (128 and up become no glyph)."""
    if isinstance(text, str):
        values = [ord(character) for character in text]
    elif isinstance(text, bytes):
        values = [byte if byte < 128 else 0xFFFFFF00 | byte for byte in text]
    else:
        raise TypeError("expected string or bytes")
    from js import Uint32Array

    return Uint32Array.new(to_js(values))


def _settings(
    raqm: bool, text: object, direction: str | None, features: Any, language: str | None
) -> tuple[object, list[str] | None]:
    """The text as the layout reads it and, for the Raqm layout, the
    shaping settings the codecs module takes: direction, language, then the
    features (empty strings for none). Refused as Pillow refuses them."""
    if not raqm:
        if features is not None or direction is not None or language is not None:
            raise KeyError(_LAYOUT_ONLY_WITH_RAQM)
        return text, None
    if isinstance(text, bytes):
        text = text.decode("utf-8", "replace")
    if direction is not None and direction not in ("rtl", "ltr", "ttb"):
        raise ValueError("direction must be either 'rtl', 'ltr' or 'ttb'")
    settings = [direction or "", language or ""]
    if features is not None:
        if isinstance(features, (str, bytes)) or not hasattr(features, "__iter__"):
            raise TypeError("expected a sequence")
        for feature in features:
            if not isinstance(feature, str):
                raise TypeError("expected a string")
            settings.append(feature)
    return text, settings


class Font:
    """A face of ``data`` (a font file's bytes) at ``size`` pixels."""

    def __init__(self, data: bytes, size: float, index: int = 0, encoding: str = "", raqm: bool = False) -> None:
        self._raqm = raqm
        self._data = data
        self._size = size
        self._index = index
        self._instance: Any = None
        self._face: Any = None
        self._variation: tuple[str, Any] | None = None
        face = self._open()
        ascender, descender, height, ppem, glyphs = (int(value) for value in face.metrics())
        self.ascent = (ascender + 32) >> 6
        self.descent = -((descender + 32) >> 6)
        self.height = (height + 32) >> 6
        self.x_ppem = self.y_ppem = ppem
        self.glyphs = glyphs
        if encoding and len(encoding) == 4 and encoding not in ("unic",):
            # Only the Unicode cmap is read (FreeType's default choice).
            raise OSError("invalid argument")

    def _names(self) -> tuple[str | None, str | None]:
        family, style = self._open().names()
        return (None if family is None else str(family)), (None if style is None else str(style))

    @property
    def family(self) -> str | None:
        """The family name (FreeType's choice of name records)."""
        return self._names()[0]

    @property
    def style(self) -> str | None:
        """The style name; a selected named instance's name."""
        return self._names()[1]

    def _open(self) -> Any:
        """The codecs module's ``TextFace``, made again when the module was
        restarted since (its memory then is a new one)."""
        codecs = loader.codecs()
        if self._face is None or self._instance is not codecs:
            self._face = self._call(lambda: codecs.exports.TextFace.new(to_js(self._data), self._index, self._size))
            self._instance = codecs
            if self._variation is not None:
                method, value = self._variation
                self._call(lambda: getattr(self._face, method)(value))
        return self._face

    @staticmethod
    def _call(action: Any) -> Any:
        try:
            return action()
        except JsException as error:
            name = str(getattr(error, "name", ""))
            message = str(getattr(error, "message", error))
            if name == "RuntimeError":
                loader.release_codecs(trapped=True)
                raise OSError(f"the font rasterizer failed on this font ({message}); it was restarted") from None
            if name == "RangeError":
                raise ValueError(message) from None
            if name == "TypeError":
                raise TypeError(message) from None
            raise OSError(message) from None

    def _prepared(self, text: Any, dir: str | None, features: Any, lang: str | None) -> tuple[Any, Any, Any]:
        """The face, ``text``'s code points and the shaping settings (None
        for the basic layout): what every text call hands the codecs module."""
        text, settings = _settings(self._raqm, text, dir, features, lang)
        return self._open(), _codes(text), None if settings is None else to_js(settings)

    def getlength(
        self,
        text: Any,
        mode: str | None = None,
        dir: str | None = None,
        features: Any = None,
        lang: str | None = None,
    ) -> int:
        """The pen's advance over ``text`` in 26.6."""
        face, codes, shaped = self._prepared(text, dir, features, lang)
        return int(self._call(lambda: face.length(codes, mode == "1", shaped)))

    def getsize(
        self,
        text: Any,
        mode: str | None = None,
        dir: str | None = None,
        features: Any = None,
        lang: str | None = None,
        anchor: str | None = None,
    ) -> tuple[tuple[int, int], tuple[int, int]]:
        """``((width, height), (x_offset, y_offset))`` of the text box."""
        face, codes, shaped = self._prepared(text, dir, features, lang)
        default = "lt" if dir == "ttb" else "la"
        width, height, x, y = (
            int(value)
            for value in self._call(
                lambda: face.text_box(codes, mode == "1", default if anchor is None else anchor, shaped)
            )
        )
        return (width, height), (x, y)

    def render(
        self,
        text: Any,
        fill: Any,
        mode: str | None = None,
        dir: str | None = None,
        features: Any = None,
        lang: str | None = None,
        stroke_width: float = 0,
        stroke_filled: bool = False,
        anchor: str | None = None,
        foreground_ink: int = 0,
        start: tuple[float, float] = (0, 0),
    ) -> tuple[Any, tuple[int, int]]:
        """The mask of ``text`` made by ``fill(width, height)`` (a core
        image, where Pillow's decompression-bomb check happens) and its
        offset, as Pillow's ``render``."""
        face, codes, shaped = self._prepared(text, dir, features, lang)
        default = "lt" if dir == "ttb" else "la"
        # A stroke is drawn from the outlines, also where a bitmap strike is
        # used otherwise, and so is its box (Pillow's FT_LOAD_NO_BITMAP).
        width, height, _, _ = (
            int(value)
            for value in self._call(
                lambda: face.text_box(
                    codes, mode == "1", default if anchor is None else anchor, shaped, bool(stroke_width)
                )
            )
        )
        x_start, y_start = (float(value) for value in start)
        width += _ceil(stroke_width * 2 + x_start)
        height += _ceil(stroke_width * 2 + y_start)
        image = fill(width, height)
        mono = mode == "1"
        # Mode "RGBA" is Pillow's FT_LOAD_COLOR: colour glyphs (CBDT, sbix,
        # COLR layers) come in colour, the rest paint the ink.
        ink = to_js([foreground_ink & 0xFF, (foreground_ink >> 8) & 0xFF, (foreground_ink >> 16) & 0xFF])
        color = image._image.mode == "RGBA"
        mask = self._call(
            lambda: face.render(
                codes,
                mono,
                default if anchor is None else anchor,
                float(stroke_width),
                bool(stroke_filled),
                x_start,
                y_start,
                width * height,
                shaped,
                ink if color else None,
            )
        )
        try:
            _, _, x_offset, y_offset = (int(value) for value in mask.geometry())
            pixels = bytes(mask.pixels().to_py())
        finally:
            mask.free()
        if width and height:
            image._image.frombytes(pixels)
        return image, (x_offset, y_offset)

    def getvarnames(self) -> list[bytes]:
        face = self._open()
        return [bytes(name.to_py()) for name in self._call(lambda: face.variation_names())]

    def getvaraxes(self) -> list[dict[str, Any]]:
        face = self._open()
        names = [bytes(name.to_py()) for name in self._call(lambda: face.variation_axis_names())]
        ranges = [float(value) for value in self._call(lambda: face.variation_axis_ranges())]
        return [
            {
                "minimum": int(ranges[3 * i]),
                "default": int(ranges[3 * i + 1]),
                "maximum": int(ranges[3 * i + 2]),
                "name": name,
            }
            for i, name in enumerate(names)
        ]

    def setvarname(self, index: int) -> None:
        face = self._open()
        self._call(lambda: face.set_named_instance(index))
        self._variation = ("set_named_instance", index)

    def setvaraxes(self, axes: Any) -> None:
        if not isinstance(axes, list):
            raise TypeError("argument must be a list")
        if not all(isinstance(value, (int, float)) for value in axes):
            raise TypeError("list must contain numbers")
        face = self._open()
        values = to_js([float(value) for value in axes])
        self._call(lambda: face.set_axes(values))
        self._variation = ("set_axes", values)


def _ceil(value: float) -> int:
    whole = int(value)
    return whole + 1 if value > whole else whole
