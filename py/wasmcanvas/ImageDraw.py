"""Pillow's ``ImageDraw`` for wasmcanvas images: ``Draw(image)`` with
``point``, ``line`` (``width``, ``joint="curve"``), ``rectangle``,
``rounded_rectangle``, ``ellipse``, ``circle``, ``polygon``, ``arc``,
``chord`` and ``pieslice``, and ``floodfill``. Shapes are drawn in Rust
after Pillow's ``Draw.c`` and match Pillow's pixels in every mode; colours
are written as they are (no blending), as Pillow draws. Text is not drawn
here.

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

from .checks import require_int, require_number
from .modes import RGBA, Colour, stored_colour
from .module import js_array

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["Draw", "ImageDraw", "floodfill"]


def _flat(xy: Any) -> list[float]:
    """Coordinates ``[(x, y), ...]`` or ``[x, y, ...]`` as one flat list."""
    if len(xy) and isinstance(xy[0], (list, tuple)):
        return [require_number("xy", v) for point in xy for v in point]
    return [require_number("xy", v) for v in xy]


def _angles(start: float, end: float) -> tuple[float, float]:
    return require_number("start", start), require_number("end", end)


class ImageDraw:
    """Draws into ``image`` in place (Pillow's ``ImageDraw.Draw``)."""

    def __init__(self, image: Image, mode: str | None = None) -> None:
        if not hasattr(image, "raw"):
            raise TypeError(f"can only draw on a wasmcanvas Image, not {type(image).__name__}")
        if mode not in (None, image.mode):
            if not (mode == "RGBA" and image.mode == "RGB"):
                raise ValueError("mode mismatch")
            raise NotImplementedError(
                f"Draw(image, {mode!r}) on a {image.mode} image (blending) is not supported; "
                "draw on an RGBA image and alpha_composite() it"
            )
        self.image = image
        # Pillow's default ink: 1 in "I" and "F", all bits set otherwise.
        self.ink: RGBA = stored_colour(1 if image.mode in ("I", "F") else -1, image.mode)
        self.fill = False

    def _getink(self, ink: Colour | None, fill: Colour | None = None) -> tuple[RGBA | None, RGBA | None]:
        """Pillow's rule: with neither given, the default ink outlines (or
        fills when ``self.fill`` is set)."""
        if ink is None and fill is None:
            return (None, self.ink) if self.fill else (self.ink, None)
        # The image's own ink rule: a "P" image finds an RGB tuple in its palette.
        colour = self.image._ink
        return (None if ink is None else colour(ink), None if fill is None else colour(fill))

    def _call(self, method: str, *args: Any) -> Any:
        return self.image._call(method, *args)

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
