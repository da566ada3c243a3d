"""Pillow's ``ImageDraw`` for wasmcanvas images: ``Draw(image)`` with
``point``, ``line`` (``width``, ``joint="curve"``), ``rectangle``,
``rounded_rectangle``, ``ellipse``, ``circle``, ``polygon``, ``arc``,
``chord``, ``pieslice``, ``regular_polygon``, ``bitmap`` and ``shape`` (an
``Outline`` of lines and curves), and ``floodfill``. Shapes are drawn in Rust
after Pillow's ``Draw.c`` and match Pillow's pixels in every mode; colours
are written as they are, as Pillow draws, except with ``Draw(rgb_image,
"RGBA")``, which blends each colour by its alpha into the picture as
Pillow's does. ``text``, ``multiline_text``, ``textbbox``,
``multiline_textbbox`` and ``textlength`` lay text out as Pillow does with
a TrueType font (``ImageFont.truetype``, ``load_default``) or a bitmap
font (``ImageFont.load``) and paint its glyphs through their mask.

>>> from wasmcanvas import Image, ImageDraw
>>> with Image.new("RGB", (40, 30)) as image:
...     draw = ImageDraw.Draw(image)
...     draw.rectangle((2, 2, 30, 20), fill="navy", outline="white", width=2)
...     draw.line([(0, 29), (39, 0)], fill=(255, 0, 0), width=3)
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import ImageColor, ImageFont
from ._checks import require_int, require_number
from ._modes import RGBA, Colour, mode_value, stored_colour
from .module import js_array

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["Draw", "ImageDraw", "Outline", "floodfill"]


def _flat(xy: Any) -> list[float]:
    """Coordinates ``[(x, y), ...]`` or ``[x, y, ...]`` as one flat list."""
    if len(xy) and isinstance(xy[0], (list, tuple)):
        return [require_number("xy", v) for point in xy for v in point]
    return [require_number("xy", v) for v in xy]


def _angles(start: float, end: float) -> tuple[float, float]:
    return require_number("start", start), require_number("end", end)


class Outline:
    """A path of lines and cubic Bezier curves for ``ImageDraw.shape``
    (Pillow's ``ImageDraw.Outline``); it starts at (0, 0).

    >>> path = Outline()
    >>> path.move(5, 5)
    >>> path.curve(5, 50, 95, 50, 95, 5)
    >>> path.line(5, 5)
    """

    def __init__(self) -> None:
        self._steps: list[float] = []

    def _step(self, kind: int, *numbers: float) -> None:
        # rust_image's steps of 7 numbers: the kind, then up to three points.
        points = [require_number("outline point", value) for value in numbers]
        self._steps += [kind, *points, *[0.0] * (6 - len(points))]

    def move(self, x: float, y: float) -> None:
        """Start a new piece of the path at (x, y)."""
        self._step(0, x, y)

    def line(self, x: float, y: float) -> None:
        """A line to (x, y)."""
        self._step(1, x, y)

    def curve(self, x1: float, y1: float, x2: float, y2: float, x3: float, y3: float) -> None:
        """A cubic Bezier curve through the control points (x1, y1) and
        (x2, y2) to (x3, y3), drawn as 32 lines as Pillow draws it."""
        self._step(2, x1, y1, x2, y2, x3, y3)

    def close(self) -> None:
        """A line back to where the path last moved to."""
        self._step(3)

    def transform(self, matrix: Sequence[float]) -> None:
        """Pillow 13's ``transform``: whatever the affine ``matrix`` (6
        numbers), it drops the lines and curves made so far (its C code
        frees the edges it has just transformed); the current point and
        where the path last moved to stay."""
        if not isinstance(matrix, (tuple, list)):
            raise TypeError(f"argument 1 must be 6-item sequence, not {type(matrix).__name__}")
        if len(matrix) != 6:
            raise TypeError(f"argument 1 must be sequence of length 6, not {len(matrix)}")
        for value in matrix:
            if not isinstance(value, (int, float)):
                raise TypeError(f"must be real number, not {type(value).__name__}")
        self._step(4)


class ImageDraw:
    """Draws into ``image`` in place (Pillow's ``ImageDraw.Draw``)."""

    font: ImageFont.BaseImageFont | None = None
    """The font of ``text`` when none is given (set it on the class for
    every drawing context, as in Pillow)."""

    def __init__(self, image: Image, mode: str | None = None) -> None:
        if not hasattr(image, "raw"):
            raise TypeError(f"can only draw on a wasmcanvas Image, not {type(image).__name__}")
        image._ensure_mutable()
        mode = image.mode if mode is None else mode
        if mode != image.mode and not (mode == "RGBA" and image.mode == "RGB"):
            raise ValueError("mode mismatch")
        self.image = image
        self.mode = mode
        """The mode colours are read in: "RGBA" on an "RGB" image blends
        each colour into it by its alpha (Pillow's translucent drawing)."""
        self._blend = mode != image.mode
        # Pillow's default ink: 1 in "I" and "F", all bits set otherwise.
        self.ink: RGBA = stored_colour(1 if image.mode in ("I", "F") else -1, mode)
        self.fill = False
        # The mask mode Pillow asks fonts for: bilevel where blending
        # has no meaning.
        self.fontmode = "1" if mode in ("1", "P", "I", "F") else "L"

    def _getink(self, ink: Colour | None, fill: Colour | None = None) -> tuple[RGBA | None, RGBA | None]:
        """Pillow's rule: with neither given, the default ink outlines (or
        fills when ``self.fill`` is set)."""
        if ink is None and fill is None:
            return (None, self.ink) if self.fill else (self.ink, None)
        # Blending reads colours in the drawing's mode; otherwise the image's
        # own ink rule applies (a "P" image finds an RGB tuple in its palette).
        if self._blend:
            mode = self.mode
            return (
                None if ink is None else stored_colour(ink, mode),
                None if fill is None else stored_colour(fill, mode),
            )

        def colour(value: Colour) -> RGBA:
            if isinstance(value, str) and self.mode == "P":
                # Pillow finds a colour string's RGB in the palette (added if new).
                value = ImageColor.getcolor(value, "P")
            return self.image._ink(value)

        return (None if ink is None else colour(ink), None if fill is None else colour(fill))

    def _call(self, method: str, *args: Any) -> None:
        """A drawing export of rust_image, told whether to blend (colours in
        the image's own mode already hold its alpha rule)."""
        self.image._call(method, *args, self._blend)

    def point(self, xy: Any, fill: Colour | None = None) -> None:
        ink = self._getink(fill)[0]
        if ink is not None:
            self._call("draw_points", js_array(_flat(xy)), js_array(ink))

    def line(self, xy: Any, fill: Colour | None = None, width: int = 1, joint: str | None = None) -> None:
        ink = self._getink(fill)[0]
        width = require_int("width", width)
        if ink is None or width == 0:
            return
        flat = _flat(xy)
        self._call("draw_lines", js_array(flat), js_array(ink), width)
        if joint == "curve" and width > 4:
            self._curve_joints([(flat[i], flat[i + 1]) for i in range(0, len(flat), 2)], ink, width)

    def _curve_joints(self, points: list[tuple[float, float]], ink: RGBA, width: int) -> None:
        """Pillow's rounded joints: a pie slice at each inner point (and short
        lines over the gaps of wide lines), computed as Pillow computes them."""
        for i in range(1, len(points) - 1):
            point = points[i]
            angles = [
                math.degrees(math.atan2(end[0] - start[0], start[1] - end[1])) % 360
                for start, end in ((points[i - 1], point), (point, points[i + 1]))
            ]
            if angles[0] == angles[1]:
                continue

            def at_angle(coord: tuple[float, float], angle: float) -> tuple[float, ...]:
                x, y = coord
                angle -= 90
                distance = width / 2 - 1
                return tuple(
                    p + (math.floor(p_d) if p_d > 0 else math.ceil(p_d))
                    for p, p_d in (
                        (x, distance * math.cos(math.radians(angle))),
                        (y, distance * math.sin(math.radians(angle))),
                    )
                )

            flipped = (angles[1] > angles[0] and angles[1] - 180 > angles[0]) or (
                angles[1] < angles[0] and angles[1] + 180 > angles[0]
            )
            box = [
                point[0] - width / 2 + 1,
                point[1] - width / 2 + 1,
                point[0] + width / 2 - 1,
                point[1] + width / 2 - 1,
            ]
            start, end = (angles[1] + 90, angles[0] + 90) if flipped else (angles[0] - 90, angles[1] - 90)
            self.pieslice(box, start - 90, end - 90, ink)
            if width > 8:
                turn = 90 if flipped else -90
                gap = [at_angle(point, angles[0] + turn), point, at_angle(point, angles[1] + turn)]
                self.line(gap, ink, width=3)

    def _shape(self, method: str, xy: Any, fill: Colour | None, outline: Colour | None, width: int) -> None:
        ink, fill_ink = self._getink(outline, fill)
        self._call(method, js_array(_flat(xy)), js_array(fill_ink), js_array(ink), require_int("width", width))

    def rectangle(self, xy: Any, fill: Colour | None = None, outline: Colour | None = None, width: int = 1) -> None:
        self._shape("draw_rectangle", xy, fill, outline, width)

    def ellipse(self, xy: Any, fill: Colour | None = None, outline: Colour | None = None, width: int = 1) -> None:
        self._shape("draw_ellipse", xy, fill, outline, width)

    def circle(
        self,
        xy: Sequence[float],
        radius: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: int = 1,
    ) -> None:
        x, y = xy
        self.ellipse((x - radius, y - radius, x + radius, y + radius), fill, outline, width)

    def polygon(self, xy: Any, fill: Colour | None = None, outline: Colour | None = None, width: int = 1) -> None:
        self._shape("draw_polygon", xy, fill, outline, width)

    def regular_polygon(
        self,
        bounding_circle: Sequence[Sequence[float] | float],
        n_sides: int,
        rotation: float = 0,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: int = 1,
    ) -> None:
        """The regular polygon of ``n_sides`` inscribed in ``bounding_circle``
        (``(x, y, r)`` or ``((x, y), r)``), turned ``rotation`` degrees, with
        Pillow's vertices (see ``_compute_regular_polygon_vertices``)."""
        self.polygon(_compute_regular_polygon_vertices(bounding_circle, n_sides, rotation), fill, outline, width)

    def bitmap(self, xy: Sequence[float], bitmap: Image, fill: Colour | None = None) -> None:
        """Paint ``fill`` (the default ink if not given) through ``bitmap``, a
        mask ("L", or the alpha of "LA" or "RGBA"), its upper left corner at
        ``xy``, as Pillow's ``paste(fill, box, bitmap)`` does."""
        ink, fill_ink = self._getink(fill)
        colour = fill_ink if ink is None else ink
        if colour is None:
            return
        # Pillow truncates the corner and paints the image's own bands.
        x, y = (math.trunc(require_number("xy", value)) for value in xy)
        self.image.paste(mode_value(colour, self.image.mode), (x, y, x + bitmap.width, y + bitmap.height), bitmap)

    def shape(self, shape: Outline, fill: Colour | None = None, outline: Colour | None = None) -> None:
        """The inside of the closed ``shape`` in ``fill``, then, if it
        differs, in ``outline`` (Pillow fills the outline's colour over the
        same inside: it draws no separate outline)."""
        if not isinstance(shape, Outline):
            raise TypeError(f"shape must be an ImageDraw.Outline, not {type(shape).__name__}")
        shape.close()
        ink, fill_ink = self._getink(outline, fill)
        path = js_array(shape._steps)
        if fill_ink is not None:
            self._call("draw_outline", path, js_array(fill_ink))
        if ink is not None and ink != fill_ink:
            self._call("draw_outline", path, js_array(ink))

    def rounded_rectangle(
        self,
        xy: Any,
        radius: float = 0,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: int = 1,
        *,
        corners: tuple[bool, bool, bool, bool] | None = None,
    ) -> None:
        ink, fill_ink = self._getink(outline, fill)
        self._call(
            "draw_rounded_rectangle",
            js_array(_flat(xy)),
            require_number("radius", radius),
            js_array(fill_ink),
            js_array(ink),
            require_int("width", width),
            None if corners is None else js_array([bool(corner) for corner in corners]),
        )

    def arc(self, xy: Any, start: float, end: float, fill: Colour | None = None, width: int = 1) -> None:
        ink = self._getink(fill)[0]
        if ink is not None and width != 0:
            self._call(
                "draw_arc", js_array(_flat(xy)), *_angles(start, end), js_array(ink), require_int("width", width)
            )

    def chord(
        self,
        xy: Any,
        start: float,
        end: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: int = 1,
    ) -> None:
        self._cut("draw_chord", xy, start, end, fill, outline, width)

    def pieslice(
        self,
        xy: Any,
        start: float,
        end: float,
        fill: Colour | None = None,
        outline: Colour | None = None,
        width: int = 1,
    ) -> None:
        self._cut("draw_pieslice", xy, start, end, fill, outline, width)

    def _cut(
        self, method: str, xy: Any, start: float, end: float, fill: Colour | None, outline: Colour | None, width: int
    ) -> None:
        ink, fill_ink = self._getink(outline, fill)
        self._call(
            method,
            js_array(_flat(xy)),
            *_angles(start, end),
            js_array(fill_ink),
            js_array(ink),
            require_int("width", width),
        )

    def getfont(self) -> ImageFont.BaseImageFont:
        """The font of ``text`` when none is given: ``self.font``, else
        ``ImageFont.load_default()`` (Pillow's Aileron Regular at 10 pixels)."""
        if not self.font:
            self.font = ImageFont.load_default()
        return self.font

    def _getfont(self, font_size: float | None) -> ImageFont.BaseImageFont:
        return self.getfont() if font_size is None else ImageFont.load_default(font_size)

    def _text_ink(self, fill: Colour | None) -> RGBA | None:
        ink, fill_ink = self._getink(fill)
        return fill_ink if ink is None else ink

    def text(
        self,
        xy: tuple[float, float],
        text: str | bytes,
        fill: Colour | None = None,
        font: ImageFont.BaseImageFont | None = None,
        anchor: str | None = None,
        spacing: float = 4,
        align: str = "left",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        stroke_width: float = 0,
        stroke_fill: Colour | None = None,
        embedded_color: bool = False,
        *args: Any,
        **kwargs: Any,
    ) -> None:
        """Paint ``text`` (lines split at newlines, ``spacing`` pixels
        apart, aligned by ``align``) with its anchor at ``xy``, in ``fill``,
        as Pillow does: each line's mask from ``font.getmask`` at the
        truncated position. A bitmap font has no stroke: the text is painted
        in ``stroke_fill``, then in ``fill``.

        >>> im = Image.new("L", (60, 30))
        >>> draw = ImageDraw.Draw(im)
        >>> draw.text((10, 10), "Hello", fill="white", font=ImageFont.load_default(12))
        >>> im.getbbox()
        (10, 13, 39, 22)
        """
        if font is None:
            font = self._getfont(kwargs.get("font_size"))
        if embedded_color and self.mode not in ("RGB", "RGBA"):
            raise ValueError("Embedded color supported only in RGB and RGBA modes")
        ink = self._text_ink(fill)
        if ink is None:
            return
        stroke_ink = None
        if stroke_width:
            stroke_ink = ink if stroke_fill is None else self._text_ink(stroke_fill)
        kwargs.pop("font_size", None)
        mode = "RGBA" if embedded_color else self.fontmode
        lines = _split_text(font, text, mode, xy, anchor, align, spacing, direction, features, language, stroke_width)
        for x, y, line_anchor, line in lines:

            def draw_text(colour: RGBA, width: float = 0) -> None:
                mode = "RGBA" if width == 0 and embedded_color else self.fontmode
                if isinstance(font, ImageFont.ImageFont) and mode != "RGBA":
                    # An empty mask paints nothing (and wasmcanvas has no
                    # image without pixels to hold it).
                    _, _, right, bottom = font.getbbox(line)
                    if right == 0 or bottom == 0:
                        return
                start = (math.modf(x)[0], math.modf(y)[0])
                left, top = int(x), int(y)
                if isinstance(font, ImageFont.FreeTypeFont):
                    # Mode "RGBA" (embedded colour): colour glyphs in their
                    # colours, the others in the ink, as one RGBA mask.
                    red, green, blue, alpha = colour
                    core_mask, offset = font.getmask2(
                        line,
                        mode,
                        direction,
                        features,
                        language,
                        width,
                        line_anchor,
                        red | green << 8 | blue << 16 | alpha << 24 if mode == "RGBA" else 0,
                        start,
                        *args,
                        stroke_filled=True,
                        **kwargs,
                    )
                    if core_mask.size[0] and core_mask.size[1]:
                        at = (left + offset[0], top + offset[1])
                        if mode == "RGBA":
                            self._paint_colour_mask(at, core_mask._image, alpha)
                        else:
                            self._paint_mask(at, core_mask._image, colour)
                    return
                try:
                    mask = font.getmask(
                        line,
                        mode,
                        direction,
                        features,
                        language,
                        width,
                        line_anchor,
                        colour,
                        *args,
                        start=start,
                        **kwargs,
                    )
                except TypeError:
                    mask = font.getmask(line)
                if mode == "RGBA" and mask.mode != "RGBA":
                    # Pillow reads the colour glyphs' alpha band, which a
                    # bitmap font's mask does not have.
                    raise ValueError("band index out of range")
                if mode == "RGBA":
                    raise NotImplementedError("colour glyphs (embedded_color) are not supported")
                self._paint_mask((left, top), mask, colour)

            if stroke_ink is not None:
                draw_text(stroke_ink, stroke_width)
                if ink != stroke_ink:
                    draw_text(ink)
            else:
                draw_text(ink)

    def _paint_mask(self, xy: tuple[int, int], mask: Image, colour: RGBA) -> None:
        """Pillow's ``draw_bitmap``: ``colour`` painted through ``mask``."""
        x, y = xy
        if self.image.mode in ("I;16", "I;16L"):
            self._paint_mask_16(xy, mask, (colour[0], colour[1]))
            return
        self.image.paste(mode_value(colour, self.image.mode), (x, y, x + mask.width, y + mask.height), mask)

    def _paint_colour_mask(self, xy: tuple[int, int], mask: Image, alpha: int) -> None:
        """Pillow's paste of an RGBA text mask: its colours, with the ink's
        ``alpha``, through its alpha band."""
        x, y = xy
        coverage = mask.getchannel("A")
        colours = mask.copy()
        colours.putalpha(alpha)
        self.image.paste(colours, (x, y, x + mask.width, y + mask.height), coverage)

    def _paint_mask_16(self, xy: tuple[int, int], mask: Image, ink: tuple[int, int]) -> None:
        """Pillow's mask fill of a little-endian 16-bit image: each of a
        pixel's two bytes blended with the ink's (low, high) byte by the
        coverage."""
        from .Image import frombytes

        left, top = max(0, xy[0]), max(0, xy[1])
        right = min(self.image.width, xy[0] + mask.width)
        bottom = min(self.image.height, xy[1] + mask.height)
        if left >= right or top >= bottom:
            return
        with self.image.crop((left, top, right, bottom)) as region:
            data = bytearray(region.tobytes())
        with mask.crop((left - xy[0], top - xy[1], right - xy[0], bottom - xy[1])) as covered:
            coverage = covered.tobytes()
        for index, alpha in enumerate(coverage):
            if alpha:
                for byte in (0, 1):
                    blended = data[2 * index + byte] * (255 - alpha) + ink[byte] * alpha + 128
                    data[2 * index + byte] = (blended + (blended >> 8)) >> 8
        with frombytes(self.image.mode, (right - left, bottom - top), bytes(data)) as painted:
            self.image.paste(painted, (left, top))

    def multiline_text(
        self,
        xy: tuple[float, float],
        text: str | bytes,
        fill: Colour | None = None,
        font: ImageFont.BaseImageFont | None = None,
        anchor: str | None = None,
        spacing: float = 4,
        align: str = "left",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        stroke_width: float = 0,
        stroke_fill: Colour | None = None,
        embedded_color: bool = False,
        *,
        font_size: float | None = None,
    ) -> None:
        """``text``, which already handles several lines."""
        self.text(
            xy,
            text,
            fill,
            font,
            anchor,
            spacing,
            align,
            direction,
            features,
            language,
            stroke_width,
            stroke_fill,
            embedded_color,
            font_size=font_size,
        )

    def textlength(
        self,
        text: str | bytes,
        font: ImageFont.BaseImageFont | None = None,
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        embedded_color: bool = False,
        *,
        font_size: float | None = None,
    ) -> float:
        """How far the pen moves over one line of ``text`` (Pillow's
        ``textlength``; ``ValueError`` for several lines)."""
        if font is None:
            font = self._getfont(font_size)
        if embedded_color and self.mode not in ("RGB", "RGBA"):
            raise ValueError("Embedded color supported only in RGB and RGBA modes")
        if (b"\n" in text) if isinstance(text, bytes) else ("\n" in text):
            raise ValueError("can't measure length of multiline text")
        mode = "RGBA" if embedded_color else self.fontmode
        return font.getlength(text, mode, direction, features, language)

    def textbbox(
        self,
        xy: tuple[float, float],
        text: str | bytes,
        font: ImageFont.BaseImageFont | None = None,
        anchor: str | None = None,
        spacing: float = 4,
        align: str = "left",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        stroke_width: float = 0,
        embedded_color: bool = False,
        *,
        font_size: float | None = None,
    ) -> tuple[float, float, float, float]:
        """The box ``text`` drawn at ``xy`` would cover: the union of its
        lines' ``font.getbbox`` at their positions, as Pillow's."""
        if font is None:
            font = self._getfont(font_size)
        if embedded_color and self.mode not in ("RGB", "RGBA"):
            raise ValueError("Embedded color supported only in RGB and RGBA modes")
        mode = "RGBA" if embedded_color else self.fontmode
        lines = _split_text(font, text, mode, xy, anchor, align, spacing, direction, features, language, stroke_width)
        boxes = []
        for x, y, line_anchor, line in lines:
            left, top, right, bottom = font.getbbox(
                line, mode, direction, features, language, stroke_width, line_anchor
            )
            boxes.append((left + x, top + y, right + x, bottom + y))
        return (
            min(box[0] for box in boxes),
            min(box[1] for box in boxes),
            max(box[2] for box in boxes),
            max(box[3] for box in boxes),
        )

    def multiline_textbbox(
        self,
        xy: tuple[float, float],
        text: str | bytes,
        font: ImageFont.BaseImageFont | None = None,
        anchor: str | None = None,
        spacing: float = 4,
        align: str = "left",
        direction: str | None = None,
        features: list[str] | None = None,
        language: str | None = None,
        stroke_width: float = 0,
        embedded_color: bool = False,
        *,
        font_size: float | None = None,
    ) -> tuple[float, float, float, float]:
        """``textbbox``, which already handles several lines."""
        return self.textbbox(
            xy,
            text,
            font,
            anchor,
            spacing,
            align,
            direction,
            features,
            language,
            stroke_width,
            embedded_color,
            font_size=font_size,
        )


def _split_text(
    font: ImageFont.BaseImageFont,
    text: str | bytes,
    mode: str,
    xy: tuple[float, float],
    anchor: str | None,
    align: str,
    spacing: float,
    direction: str | None,
    features: list[str] | None,
    language: str | None,
    stroke_width: float,
) -> list[tuple[float, float, str, str | bytes]]:
    """Pillow's layout of ``text`` (``ImageText.Text._split``), the font
    measuring in ``mode``: each line (or, justified, each word) as ``(x, y,
    anchor, text)``; lines are ``spacing`` plus the height of "A" plus
    ``stroke_width`` apart, and aligned by their lengths."""
    if anchor is None:
        anchor = "lt" if direction == "ttb" else "la"
    elif len(anchor) != 2:
        raise ValueError("anchor must be a 2 character string")
    lines: list[Any] = text.split(b"\n") if isinstance(text, bytes) else text.split("\n")
    if len(lines) == 1:
        return [(xy[0], xy[1], anchor, lines[0])]
    if anchor[1] in "tb" and direction != "ttb":
        raise ValueError("anchor not supported for multiline text")
    line_spacing = font.getbbox("A", mode, None, features, language, stroke_width)[3] + stroke_width + spacing
    top = xy[1]
    parts: list[tuple[float, float, str, str | bytes]] = []
    if direction == "ttb":
        left = xy[0]
        for line in lines:
            parts.append((left, top, anchor, line))
            left += line_spacing
        return parts
    widths = [font.getlength(line, mode, direction, features, language) for line in lines]
    max_width = max(widths)
    if anchor[1] == "m":
        top -= (len(lines) - 1) * line_spacing / 2.0
    elif anchor[1] == "d":
        top -= (len(lines) - 1) * line_spacing
    for index, line in enumerate(lines):
        left = xy[0]
        width_difference = max_width - widths[index]
        if align == "center":
            left += width_difference / 2.0
        elif align == "right":
            left += width_difference
        elif align not in ("left", "justify"):
            raise ValueError('align must be "left", "center", "right" or "justify"')
        words = line.split(b" " if isinstance(line, bytes) else " ")
        if align == "justify" and width_difference != 0 and index != len(lines) - 1 and len(words) > 1:
            if anchor[0] == "m":
                left -= max_width / 2.0
            elif anchor[0] == "r":
                left -= max_width
            word_widths = [font.getlength(word, mode, direction, features, language) for word in words]
            gap = (max_width - sum(word_widths)) / (len(words) - 1)
            for word, word_width in zip(words, word_widths, strict=True):
                parts.append((left, top, "l" + anchor[1], word))
                left += word_width + gap
        else:
            if anchor[0] == "m":
                left -= width_difference / 2.0
            elif anchor[0] == "r":
                left -= width_difference
            parts.append((left, top, anchor, line))
        top += line_spacing
    return parts


def _compute_regular_polygon_vertices(
    bounding_circle: Sequence[Sequence[float] | float], n_sides: int, rotation: float
) -> list[tuple[float, float]]:
    """The vertices of Pillow's ``regular_polygon``, rounded to 2 decimals:
    from the bottom left one, counter-clockwise on screen, on the circle
    ``(x, y, r)`` or ``((x, y), r)``; refused with Pillow's messages.

    >>> _compute_regular_polygon_vertices((50, 50, 25), 4, 0)
    [(32.32, 67.68), (67.68, 67.68), (67.68, 32.32), (32.32, 32.32)]
    """
    if not isinstance(n_sides, int):
        raise TypeError("n_sides should be an int")
    if n_sides < 3:
        raise ValueError("n_sides should be an int > 2")
    if not isinstance(bounding_circle, (list, tuple)):
        raise TypeError("bounding_circle should be a sequence")

    def numeric(values: Sequence[object]) -> bool:
        return all(isinstance(value, (int, float)) for value in values)

    if len(bounding_circle) == 3:
        if not numeric(bounding_circle):
            raise ValueError("bounding_circle should only contain numeric data")
        centre_x, centre_y, radius = (float(value) for value in bounding_circle)  # type: ignore[arg-type]
    elif len(bounding_circle) == 2 and isinstance(bounding_circle[0], (list, tuple)):
        centre, given_radius = bounding_circle[0], bounding_circle[1]
        if not numeric(centre) or not isinstance(given_radius, (int, float)):
            raise ValueError("bounding_circle should only contain numeric data")
        if len(centre) != 2:
            raise ValueError("bounding_circle centre should contain 2D coordinates (e.g. (x, y))")
        centre_x, centre_y, radius = float(centre[0]), float(centre[1]), float(given_radius)
    else:
        raise ValueError("bounding_circle should contain 2D coordinates and a radius (e.g. (x, y, r) or ((x, y), r) )")
    if radius <= 0:
        raise ValueError("bounding_circle radius should be > 0")
    if not isinstance(rotation, (int, float)):
        raise ValueError("rotation should be an int or float")
    step = 360 / n_sides
    # The angles accumulate as Pillow's do, so the vertices round alike.
    angle = (270 - 0.5 * step) + rotation
    vertices = []
    for _ in range(n_sides):
        turn = math.radians(360 - angle)
        vertices.append((round(radius * math.cos(turn) + centre_x, 2), round(radius * math.sin(turn) + centre_y, 2)))
        angle += step
        if angle > 360:
            angle -= 360
    return vertices


def Draw(image: Image, mode: str | None = None) -> ImageDraw:
    """A drawing context for ``image`` (Pillow's ``ImageDraw.Draw``)."""
    return ImageDraw(image, mode)


def floodfill(
    image: Image, xy: tuple[int, int], value: Colour, border: Colour | None = None, thresh: float = 0
) -> None:
    """Fill the region around ``xy`` of pixels within ``thresh`` of its
    colour (summed channel differences), or up to the ``border`` colour
    (Pillow's ``ImageDraw.floodfill``)."""
    x, y = xy
    thresh = require_number("thresh", thresh)
    # Rust sums the differences of the four stored bytes; an "L" pixel keeps
    # its grey in three of them.
    if image.mode == "L":
        thresh *= 3
    elif image.mode == "LA" and thresh:
        raise NotImplementedError("floodfill with a thresh on an LA image is not supported; convert to RGBA first")
    image._call(
        "flood_fill",
        require_int("x", x),
        require_int("y", y),
        js_array(stored_colour(value, image.mode)),
        None if border is None else js_array(stored_colour(border, image.mode)),
        thresh,
    )
