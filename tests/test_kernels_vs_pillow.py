"""rust_image's kernels, run in wasm inside Pyodide, against Pillow on the host.

Every kernel with a Pillow equivalent runs on a set of images that covers what
users feed it: an opaque photo, the same photo translucent (alpha varying
across it, fully transparent pixels included), 1x1, 1xN, Nx1, odd and prime
sizes, and a 64x40 image whose halving and 1.5x enlargement put resize samples
exactly on pixel boundaries. Each operation that takes a `rect` is checked
with rectangles too, some reaching past the image and one wholly outside: the
expected image is Pillow's operation on the part of the rectangle inside the
image, pasted back (the rectangle sees its own edges; outside it nothing
changes).

All the kernels for one image run in one call into the page; the bytes come
back read from wasm memory. Tolerances are stated per case: 0 (byte for byte)
everywhere but alpha compositing, where it is 1: Pillow's own
`alpha_composite` rounds differently depending on where a pixel falls (its
SSE path computes the blend coefficient through a float rounded to 8 bits,
its scalar tail in 7-bit fixed point), so no single formula matches it
exactly; ours divides exactly and rounds once.
"""

from __future__ import annotations

import pickle
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from images import BUILTIN_FILTERS, max_difference, sample_photo
from PIL import Image, ImageChops, ImageDraw, ImageEnhance, ImageFilter, ImageOps, ImageStat
from pytest_pyodide import run_in_pyodide


def translucent(image: Image.Image, seed: int = 2) -> Image.Image:
    """`image` as RGBA with a random alpha channel, fully transparent on one
    diagonal stripe in seven and fully opaque on another."""
    rng = random.Random(seed)
    rgba = image.convert("RGBA")
    alpha = [
        0 if (x + y) % 7 == 0 else 255 if (x + 2 * y) % 11 == 0 else rng.randrange(1, 255)
        for y in range(image.height)
        for x in range(image.width)
    ]
    mask = Image.new("L", image.size)
    mask.putdata(alpha)
    rgba.putalpha(mask)
    return rgba


IMAGES: dict[str, Image.Image] = {
    "opaque-67x43": sample_photo(67, 43).convert("RGBA"),
    "translucent-67x43": translucent(sample_photo(67, 43)),
    "translucent-64x40": translucent(sample_photo(64, 40, seed=3), seed=4),
    "translucent-13x11": translucent(sample_photo(13, 11, seed=5), seed=6),
    "translucent-1x1": translucent(sample_photo(1, 1, seed=7), seed=9),
    "translucent-1x9": translucent(sample_photo(1, 9, seed=8), seed=9),
    "translucent-9x1": translucent(sample_photo(9, 1, seed=10), seed=11),
    "outlined-30x24": Image.new("RGBA", (30, 24), (0, 0, 0, 255)),
}
ImageDraw.Draw(IMAGES["outlined-30x24"]).rectangle((5, 5, 16, 14), outline=(255, 0, 0, 255))

# Rectangles for the operations' `rect`, (x, y, width, height) per image;
# rust_image clips them to the image as Pillow's paste clips.
RECTS: dict[str, list[tuple[int, int, int, int]]] = {
    "opaque-67x43": [(5, 3, 20, 17)],
    "translucent-67x43": [(5, 3, 20, 17), (0, 0, 67, 1), (66, 42, 1, 1), (40, 0, 27, 43), (60, 38, 20, 20)],
    "translucent-13x11": [(2, 3, 8, 8), (-3, -2, 9, 7), (-2, 4, 40, 3), (13, 0, 4, 4)],
    "translucent-1x9": [(0, 2, 1, 5)],
}


def clipped(image: Image.Image, rect: tuple[int, int, int, int]) -> tuple[int, int, int, int] | None:
    """The box (Pillow's x0, y0, x1, y1) of the part of `rect` inside `image`."""
    x, y, width, height = rect
    box = (max(x, 0), max(y, 0), min(x + width, image.width), min(y + height, image.height))
    return box if box[0] < box[2] and box[1] < box[3] else None


@dataclass(frozen=True)
class Rect:
    """A `rect` argument (or a `box`), sent to Rust as a JS array."""

    values: tuple[float, float, float, float]


@dataclass(frozen=True)
class JsArray:
    """Any other array argument (a colour), sent to Rust as a JS array."""

    values: tuple[float, ...]


@dataclass(frozen=True)
class Table:
    """A lookup table argument, sent to Rust as a Uint8Array."""

    values: tuple[int, ...]


def keep_alpha(rgb_operation: Callable[[Image.Image], Image.Image]) -> Callable[[Image.Image], Image.Image]:
    """A Pillow RGB operation applied to an RGBA image, its alpha kept (what
    Pillow's L/RGB-only operations mean for our RGBA pixels)."""

    def apply(image: Image.Image) -> Image.Image:
        result = rgb_operation(image.convert("RGB")).convert("RGBA")
        result.putalpha(image.getchannel("A"))
        return result

    return apply


def per_channel_lut(function: Callable[[int], float]) -> Callable[[Image.Image], Image.Image]:
    """Pillow's `point` with `function` on red, green and blue (rounded as
    `point` rounds a callable's values), alpha untouched."""
    table = [function(value) for value in range(256)]
    return lambda image: image.point([*table, *table, *table, *range(256)])


def swapped(first: int, second: int) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        bands = list(image.split())
        bands[first], bands[second] = bands[second], bands[first]
        return Image.merge("RGBA", bands)

    return apply


def premultiplied(image: Image.Image) -> Image.Image:
    return Image.frombytes("RGBA", image.size, image.convert("RGBa").tobytes())


def unpremultiplied(image: Image.Image) -> Image.Image:
    return Image.frombytes("RGBa", image.size, image.tobytes()).convert("RGBA")


def drawn(draw_with: Callable[[ImageDraw.ImageDraw], Any]) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        result = image.copy()
        draw_with(ImageDraw.Draw(result))
        return result

    return apply


def composited(source: Image.Image, x: int, y: int) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        result = image.copy()
        box = (max(-x, 0), max(-y, 0), min(source.width, image.width - x), min(source.height, image.height - y))
        if box[0] < box[2] and box[1] < box[3]:
            result.alpha_composite(source.crop(box), dest=(max(x, 0), max(y, 0)))
        return result

    return apply


def pasted(source: Image.Image, x: int, y: int) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        result = image.copy()
        result.paste(source, (x, y))
        return result

    return apply


def masked(source: Image.Image, mask: Image.Image, x: int, y: int) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        result = image.copy()
        result.paste(source, (x, y), mask)
        return result

    return apply


def combined(
    operation: Callable[[Image.Image, Image.Image], Image.Image],
    other: Image.Image,
    rect: tuple[int, int, int, int] | None = None,
) -> Callable[[Image.Image], Image.Image]:
    """Pillow's two-image `operation` where `other` (placed at the corner)
    and the image overlap, inside `rect` if given; the rest unchanged.
    Pillow's chops give the smaller size, `blend` needs equal sizes: both get
    the overlap, cut from the two images alike."""

    def apply(image: Image.Image) -> Image.Image:
        x, y, width, height = rect or (0, 0, image.width, image.height)
        box = (
            max(x, 0),
            max(y, 0),
            min(x + width, image.width, other.width),
            min(y + height, image.height, other.height),
        )
        result = image.copy()
        if box[0] < box[2] and box[1] < box[3]:
            result.paste(operation(image.crop(box), other.crop(box)), box[:2])
        return result

    return apply


def with_pixel(x: int, y: int, colour: tuple[int, int, int, int]) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        result = image.copy()
        result.putpixel((x, y), colour)
        return result

    return apply


def flood_filled(
    x: int, y: int, colour: tuple[int, int, int, int], border: Any = None, thresh: float = 0
) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        result = image.copy()
        ImageDraw.floodfill(result, (x, y), colour, border, thresh)
        return result

    return apply


def flood_case(x: int, y: int, border: Any = None, thresh: float = 0) -> Case:
    return Case(
        "flood_fill",
        (x, y, JsArray(TRANSLUCENT_RED), border and JsArray(border), thresh),
        flood_filled(x, y, TRANSLUCENT_RED, border, thresh),
        0,
    )


def line_case(xy: tuple[float, ...], width: int = 1) -> Case:
    return Case(
        "draw_lines",
        (JsArray(xy), JsArray(TRANSLUCENT_RED), width),
        drawn(lambda d: d.line(xy, TRANSLUCENT_RED, width)),
        0,
    )


def polygon_case(xy: tuple[float, ...], fill: Any, outline: Any, width: int = 1) -> Case:
    return Case(
        "draw_polygon",
        (JsArray(xy), fill and JsArray(fill), outline and JsArray(outline), width),
        drawn(lambda d: d.polygon(xy, fill, outline, width)),
        0,
    )


def ellipse_case(
    method: str, box: tuple[float, ...], angles: tuple[float, float] | None, fill: Any, outline: Any, width: int
) -> Case:
    colours = (fill and JsArray(fill), outline and JsArray(outline))
    if method == "arc":
        return Case(
            "draw_arc",
            (JsArray(box), *angles, JsArray(outline), width),
            drawn(lambda d: d.arc(box, *angles, outline, width)),
            0,
        )
    if method == "ellipse":
        return Case(
            "draw_ellipse", (JsArray(box), *colours, width), drawn(lambda d: d.ellipse(box, fill, outline, width)), 0
        )
    return Case(
        f"draw_{method}",
        (JsArray(box), *angles, *colours, width),
        drawn(lambda d: getattr(d, method)(box, *angles, fill, outline, width)),
        0,
    )


def rectangle_case(box: tuple[float, ...], fill: Any, outline: Any, width: int = 1) -> Case:
    return Case(
        "draw_rectangle",
        (JsArray(box), fill and JsArray(fill), outline and JsArray(outline), width),
        drawn(lambda d: d.rectangle(box, fill, outline, width)),
        0,
    )


CUSTOM_3X3 = (1, 2, 1, 0, -1, 0, -2, 3, 0.5)
CUSTOM_5X5 = tuple(float(((i * 7) % 5) - 2) for i in range(25))
STEEP_3X3 = (-8, -8, -8, -8, 64, -8, -8, -8, -8)
STEEPER_3X3 = (-8, -8, -8, -8, 65, -8, -8, -8, -8)
SEPIA = (0.393, 0.769, 0.189, 0, 0.349, 0.686, 0.168, 0, 0.272, 0.534, 0.131, 0)
TRANSLUCENT_RED = (255, 0, 0, 120)
PATCH = translucent(sample_photo(5, 4, seed=12), seed=13)
# One table per channel, each bending values its own way.
POINT_TABLE = (
    *(255 - v for v in range(256)),
    *(v // 2 for v in range(256)),
    *(min(255, v * 3) for v in range(256)),
    *(v ^ 0x55 for v in range(256)),
)
AUTOCONTRASTS = [
    (0, 0, None, False),
    (2, 2, None, False),
    (0.5, 7, None, False),
    (30, 30, None, False),
    (0, 0, 0, False),
    (1, 1, JsArray((0, 255, 128)), False),
    (0, 0, None, True),
    (5, 0, None, True),
]
MASK = translucent(sample_photo(5, 4, seed=16), seed=17)
CHOPS: list[tuple[str, tuple[Any, ...], Callable[[Image.Image, Image.Image], Image.Image]]] = [
    ("add", (1, 0), ImageChops.add),
    ("add", (2.5, 7), lambda a, b: ImageChops.add(a, b, 2.5, 7)),
    ("add", (-1.5, 300), lambda a, b: ImageChops.add(a, b, -1.5, 300)),
    ("subtract", (1, 0), ImageChops.subtract),
    ("subtract", (0.75, 128), lambda a, b: ImageChops.subtract(a, b, 0.75, 128)),
    ("add_modulo", (), ImageChops.add_modulo),
    ("subtract_modulo", (), ImageChops.subtract_modulo),
    ("multiply", (), ImageChops.multiply),
    ("screen", (), ImageChops.screen),
    ("difference", (), ImageChops.difference),
    ("lighter", (), ImageChops.lighter),
    ("darker", (), ImageChops.darker),
    ("overlay", (), ImageChops.overlay),
    ("soft_light", (), ImageChops.soft_light),
    ("hard_light", (), ImageChops.hard_light),
    *(("blend", (alpha,), lambda a, b, alpha=alpha: Image.blend(a, b, alpha)) for alpha in (0, 0.3, 1, 1.7, -0.4)),
]
COLORIZES = [
    ((0, 0, 0), (255, 255, 255), None, 0, 255, 127),
    ((20, 40, 200), (250, 230, 10), None, 30, 220, 127),
    ((255, 0, 0), (0, 0, 255), (0, 255, 0), 0, 255, 127),
    ((10, 10, 10), (200, 100, 0), (90, 180, 255), 40, 210, 60),
    ((10, 10, 10), (200, 100, 0), None, 100, 100, 100),
]


@dataclass(frozen=True)
class Case:
    """One kernel call and Pillow's definition of its result.

    `method` runs with `args` on the whole image; if `rect` is true it also
    runs with each rectangle in RECTS as its last argument, expected to equal
    `pillow` on the crop pasted back.
    """

    method: str
    args: tuple[Any, ...]
    pillow: Callable[[Image.Image], Image.Image]
    tolerance: int
    rect: bool = False

    @property
    def name(self) -> str:
        shown = [
            repr(arg.values)
            if isinstance(arg, Rect | JsArray)
            else f"table{len(arg.values)}"
            if isinstance(arg, Table)
            else type(arg).__name__
            if isinstance(arg, Image.Image | Kernel)
            else repr(arg)
            for arg in self.args
        ]
        return f"{self.method}({', '.join(shown)})"


@dataclass(frozen=True)
class Kernel:
    """A convolution kernel argument, sent to Rust as a Float32Array."""

    weights: tuple[float, ...]


def pillow_kernel(weights: tuple[float, ...], scale: float, offset: float) -> Callable[[Image.Image], Image.Image]:
    size = 3 if len(weights) == 9 else 5
    # Our scale 0 means "the sum of the weights, or 1 if they sum to 0".
    divisor = scale or sum(weights) or 1
    return lambda image: image.filter(ImageFilter.Kernel((size, size), weights, divisor, offset))


CASES = [
    # Colour: Pillow's RGB operations with the alpha kept.
    Case("grayscale", (), keep_alpha(lambda rgb: rgb.convert("L").convert("RGB")), 0, rect=True),
    Case("invert", (), keep_alpha(ImageOps.invert), 0, rect=True),
    Case("threshold", (128,), keep_alpha(lambda rgb: rgb.convert("L").point(lambda v: 255 * (v >= 128))), 0, True),
    Case("threshold", (0,), keep_alpha(lambda rgb: rgb.convert("L").point(lambda v: 255)), 0),
    Case("sepia", (), keep_alpha(lambda rgb: rgb.convert("RGB", SEPIA)), 0, rect=True),
    Case("brightness", (1.4,), lambda im: ImageEnhance.Brightness(im).enhance(1.4), 0, rect=True),
    Case("brightness", (0.3,), lambda im: ImageEnhance.Brightness(im).enhance(0.3), 0),
    Case("brightness", (0,), lambda im: ImageEnhance.Brightness(im).enhance(0), 0),
    Case("contrast", (1.7,), lambda im: ImageEnhance.Contrast(im).enhance(1.7), 0, rect=True),
    Case("contrast", (0.4,), lambda im: ImageEnhance.Contrast(im).enhance(0.4), 0),
    Case("contrast", (0,), lambda im: ImageEnhance.Contrast(im).enhance(0), 0),
    Case("gamma", (2.2,), per_channel_lut(lambda v: 255 * (v / 255) ** (1 / 2.2)), 0, rect=True),
    Case("gamma", (0.45,), per_channel_lut(lambda v: 255 * (v / 255) ** (1 / 0.45)), 0),
    Case("put_alpha", (77,), lambda im: (copy := im.copy(), copy.putalpha(77), copy)[2], 0),
    Case("swap_channels", (0, 2), swapped(0, 2), 0, rect=True),
    Case("swap_channels", (1, 3), swapped(1, 3), 0),
    *(Case("extract_channel", (c,), lambda im, c=c: im.getchannel(c).convert("RGBA"), 0, c == 3) for c in range(4)),
    Case("point", (Table(POINT_TABLE),), lambda im: im.point(list(POINT_TABLE)), 0, rect=True),
    *(
        Case(
            "autocontrast",
            (low, high, ignore, tone),
            keep_alpha(
                lambda rgb, low=low, high=high, ignore=ignore, tone=tone: ImageOps.autocontrast(
                    rgb,
                    (low, high),
                    list(ignore.values) if isinstance(ignore, JsArray) else ignore,
                    preserve_tone=tone,
                )
            ),
            0,
            rect=(low, high) == (2, 2) or tone,
        )
        for low, high, ignore, tone in AUTOCONTRASTS
    ),
    Case("equalize", (), keep_alpha(ImageOps.equalize), 0, rect=True),
    *(Case("posterize", (b,), keep_alpha(lambda rgb, b=b: ImageOps.posterize(rgb, b)), 0, b == 3) for b in (1, 3, 8)),
    *(Case("solarize", (t,), keep_alpha(lambda rgb, t=t: ImageOps.solarize(rgb, t)), 0, t == 128) for t in (0, 128)),
    *(
        Case(
            "colorize",
            (JsArray(black), JsArray(white), mid and JsArray(mid), *points),
            keep_alpha(
                lambda rgb, colours=(black, white, mid), points=points: ImageOps.colorize(
                    rgb.convert("L"), *colours, *points
                )
            ),
            0,
            rect=mid is not None,
        )
        for black, white, mid, *points in COLORIZES
    ),
    *(
        Case("saturation", (f,), lambda im, f=f: ImageEnhance.Color(im).enhance(f), 0, f == 1.6)
        for f in (0, 0.3, 1, 1.6, 40)
    ),
    *(
        Case("sharpness", (f,), lambda im, f=f: ImageEnhance.Sharpness(im).enhance(f), 0, f == 2)
        for f in (0, 0.5, 2, 9)
    ),
    Case("premultiply_alpha", (), premultiplied, 0, rect=True),
    Case("unpremultiply_alpha", (), unpremultiplied, 0, rect=True),
    # Filters on all four channels, as Pillow's ImageFilter on RGBA.
    *(
        Case("box_blur", (x, y), lambda im, r=(x, y): im.filter(ImageFilter.BoxBlur(r)), 0, (x, y) == (3, 3))
        for x, y in [(1, 1), (1.5, 1.5), (3, 3), (200, 200), (2, 0), (0, 4.5), (0.5, 7)]
    ),
    *(
        Case("gaussian_blur", (x, y), lambda im, r=(x, y): im.filter(ImageFilter.GaussianBlur(r)), 0, x == y == 3)
        for x, y in [(0.7, 0.7), (3, 3), (2, 0), (0, 1.5), (5, 0.4)]
    ),
    Case("convolve", (Kernel(CUSTOM_3X3), 3, 10), pillow_kernel(CUSTOM_3X3, 3, 10), 0, rect=True),
    Case("convolve", (Kernel(CUSTOM_3X3), 0, 0), pillow_kernel(CUSTOM_3X3, 0, 0), 0),
    Case("convolve", (Kernel(CUSTOM_5X5), 0, -20), pillow_kernel(CUSTOM_5X5, 0, -20), 0, rect=True),
    Case("convolve", (Kernel(CUSTOM_5X5), 7.5, 128), pillow_kernel(CUSTOM_5X5, 7.5, 128), 0),
    # Whole weights over a power-of-two scale run in 16-bit integers: the
    # first as far as that reaches, the second one past it (C floats).
    Case("convolve", (Kernel(STEEP_3X3), 4, 0), pillow_kernel(STEEP_3X3, 4, 0), 0),
    Case("convolve", (Kernel(STEEPER_3X3), 4, 0), pillow_kernel(STEEPER_3X3, 4, 0), 0),
    *(
        Case("builtin_filter", (name,), lambda im, name=name: im.filter(getattr(ImageFilter, name)), 0, rect=True)
        for name in BUILTIN_FILTERS
    ),
    *(
        Case("rank_filter", (size, rank), lambda im, f=pillow_filter: im.filter(f), 0, rect=size in (3, 9))
        for size, rank, pillow_filter in [
            (3, 4, ImageFilter.MedianFilter(3)),
            (5, 12, ImageFilter.MedianFilter(5)),
            (9, 40, ImageFilter.MedianFilter(9)),
            (3, 0, ImageFilter.MinFilter(3)),
            (7, 0, ImageFilter.MinFilter(7)),
            (5, 24, ImageFilter.MaxFilter(5)),
            (9, 80, ImageFilter.MaxFilter(9)),
            (5, 3, ImageFilter.RankFilter(5, 3)),
            (11, 100, ImageFilter.RankFilter(11, 100)),
            (1, 0, ImageFilter.MedianFilter(1)),
        ]
    ),
    *(
        Case("unsharp_mask", args, lambda im, args=args: im.filter(ImageFilter.UnsharpMask(*args)), 0, args[0] == 2)
        for args in [(2, 150, 3), (0.5, 300, 0), (5, 50, 10), (1.5, -80, 2), (0, 150, 3)]
    ),
    # Geometry: every Image.Transpose, by Pillow's number.
    *(Case("transpose", (int(method),), lambda im, m=method: im.transpose(m), 0) for method in Image.Transpose),
    # Rotation by any angle and transforms, every sampler (Pillow's BILINEAR
    # and BICUBIC work on premultiplied RGBA, the fill colour included).
    *(
        Case(
            "rotate",
            (angle, int(resample), expand, center and JsArray(center), translate and JsArray(translate), None),
            lambda im, a=angle, r=resample, e=expand, c=center, t=translate: im.rotate(a, r, e, c, t),
            0,
        )
        for angle, resample, expand, center, translate in [
            (30, Image.Resampling.NEAREST, False, None, None),
            (30, Image.Resampling.BILINEAR, False, None, None),
            (30, Image.Resampling.BICUBIC, True, None, None),
            (-17.5, Image.Resampling.NEAREST, True, None, None),
            (45, Image.Resampling.BICUBIC, False, (3, 2.5), None),
            (123.456, Image.Resampling.BILINEAR, True, None, (4, -3)),
            (-450.5, Image.Resampling.NEAREST, False, (0, 0), (1.5, 2)),
            (90, Image.Resampling.BICUBIC, False, None, None),
            (270, Image.Resampling.NEAREST, True, None, None),
            (180, Image.Resampling.BILINEAR, False, None, None),
            (720, Image.Resampling.BICUBIC, True, None, None),
            (90, Image.Resampling.NEAREST, False, (2, 2), None),
            (1e-7, Image.Resampling.BILINEAR, False, None, None),
        ]
    ),
    *(
        Case(
            "rotate",
            (angle, int(resample), expand, None, None, JsArray(fill)),
            lambda im, a=angle, r=resample, e=expand, f=fill: im.rotate(a, r, e, fillcolor=f),
            0,
        )
        for angle, resample, expand, fill in [
            (33, Image.Resampling.NEAREST, True, (10, 200, 30, 255)),
            (-60, Image.Resampling.BILINEAR, True, (100, 50, 0, 128)),
            (200, Image.Resampling.BICUBIC, False, (9, 9, 9, 0)),
        ]
    ),
    *(
        Case(
            "transform",
            (*size, int(method), JsArray(data), int(resample), fill and JsArray(fill)),
            lambda im, s=size, m=method, d=data, r=resample, f=fill: im.transform(s, m, d, r, fillcolor=f),
            0,
        )
        for size, method, data, resample, fill in [
            ((30, 20), Image.Transform.AFFINE, (0.9, 0.3, -2, -0.2, 1.1, 1.5), Image.Resampling.NEAREST, None),
            ((30, 20), Image.Transform.AFFINE, (0.9, 0.3, -2, -0.2, 1.1, 1.5), Image.Resampling.BILINEAR, None),
            ((17, 40), Image.Transform.AFFINE, (2.5, 0, 1, 0, 0.25, -1), Image.Resampling.NEAREST, (1, 2, 3, 4)),
            ((17, 40), Image.Transform.AFFINE, (-1, 0, 60000, 0.5, 1, 0), Image.Resampling.NEAREST, None),
            ((25, 25), Image.Transform.EXTENT, (3, 2, 11.5, 9), Image.Resampling.BICUBIC, (0, 0, 255, 200)),
            ((25, 25), Image.Transform.EXTENT, (3, 2, 11.5, 9), Image.Resampling.NEAREST, None),
            (
                (20, 30),
                Image.Transform.PERSPECTIVE,
                (1, 0.2, 0, 0.1, 1, 0, 0.01, 0.005),
                Image.Resampling.BILINEAR,
                None,
            ),
            ((20, 30), Image.Transform.PERSPECTIVE, (1, 0.2, 0, 0.1, 1, 0, 0.01, -0.2), Image.Resampling.NEAREST, None),
            ((31, 21), Image.Transform.QUAD, (0, 0, 2, 30, 40, 25, 35, -3), Image.Resampling.BICUBIC, None),
            ((31, 21), Image.Transform.QUAD, (0, 0, 2, 30, 40, 25, 35, -3), Image.Resampling.NEAREST, (5, 5, 5, 5)),
        ]
    ),
    Case("crop", (Rect((0, 0, 1, 1)),), lambda im: im.crop((0, 0, 1, 1)), 0),
    Case("crop", (Rect((-2, -3, 4, 5)),), lambda im: im.crop((-2, -3, 2, 2)), 0),
    # Drawing and filling write the colour as it is (Pillow's ImageDraw on RGBA).
    Case("fill", (*TRANSLUCENT_RED,), lambda im: Image.new("RGBA", im.size, TRANSLUCENT_RED), 0, rect=True),
    Case("set_pixel", (0, 0, *TRANSLUCENT_RED), with_pixel(0, 0, TRANSLUCENT_RED), 0),
    flood_case(0, 0),
    flood_case(0, 0, thresh=90),
    flood_case(3, 2, thresh=400.5),
    flood_case(1, 1, border=(0, 0, 0, 0)),
    Case(
        "draw_points",
        (JsArray((0, 0, 2.7, 1.2, -1, 3, 5, -0.5, 1e6, 2)), JsArray(TRANSLUCENT_RED)),
        drawn(lambda d: d.point((0, 0, 2.7, 1.2, -1, 3, 5, -0.5, 1e6, 2), TRANSLUCENT_RED)),
        0,
    ),
    # Lines one pixel and wider, at every slope, in pieces, fractional.
    *(
        line_case(xy, width)
        for xy in [(-3, 5, 40, -2), (2, 2, 30, 9), (4, 30, 7, -3), (1.7, 3.9, 20.2, 3.2), (0, 0, 9, 3, 9, 20, 2, 25)]
        for width in (1, 2, 3, 4, 7, 12)
    ),
    line_case((5, 5, 5, 5), 6),
    line_case((3, 4), 1),
    # Polygons: convex, concave, with flat and vertical edges, crossing
    # itself, closed explicitly, out of the image; filled, outlined, both.
    *(
        polygon_case(xy, fill, outline, width)
        for xy in [
            (2, 2, 25, 6, 10, 30),
            (1, 1, 30, 1, 30, 20, 15, 8, 1, 20),
            (3, 3, 20, 3, 20, 3, 28, 3, 28, 15, 3, 15),
            (5, 0, 30, 25, 5, 25, 30, 0),
            (0, 0, 12, 2, 6, 14, 0, 0),
            (-10, 5, 80, 7, 40, 90),
            (4.6, 2.2, 18.9, 11.5, 2.1, 16.8),
        ]
        for fill, outline, width in [
            (TRANSLUCENT_RED, None, 1),
            (None, TRANSLUCENT_RED, 1),
            ((0, 0, 255, 255), TRANSLUCENT_RED, 1),
            (None, TRANSLUCENT_RED, 3),
            ((0, 200, 0, 90), TRANSLUCENT_RED, 5),
        ]
    ),
    polygon_case((4, 4, 9, 9), TRANSLUCENT_RED, None),
    polygon_case((4, 4, 9, 9), None, TRANSLUCENT_RED, 4),
    # Rectangles: filled, outlined inside the box, wider than the box.
    *(
        rectangle_case(box, fill, outline, width)
        for box in [(0, 0, 2, 1), (2, 3, 20, 9), (-4, -2, 70, 50), (5, 5, 5, 5), (1.5, 2.9, 9.2, 9.9)]
        for fill, outline, width in [
            (TRANSLUCENT_RED, None, 1),
            (None, TRANSLUCENT_RED, 1),
            ((0, 0, 255, 255), TRANSLUCENT_RED, 2),
            (None, TRANSLUCENT_RED, 5),
            (TRANSLUCENT_RED, TRANSLUCENT_RED, 3),
        ]
    ),
    # The ellipse family on even, odd, flat, tall and fractional boxes, every
    # kind of angle range, filled, outlined, both, thin and wide.
    *(
        ellipse_case(method, box, angles, fill, outline, width)
        for method, angles in [
            ("ellipse", None),
            ("arc", (0, 90)),
            ("arc", (-30, 200)),
            ("arc", (45, 45)),
            ("arc", (10, 370)),
            ("chord", (30, 250)),
            ("chord", (200, 100)),
            ("chord", (0, 360)),
            ("pieslice", (-60, 20)),
            ("pieslice", (90, 300)),
            ("pieslice", (15.5, 16)),
            ("pieslice", (180, 180)),
        ]
        for box in [(2, 3, 30, 20), (1, 1, 12, 30), (4, 4, 9, 9), (0, 5, 40, 5), (-10, -6, 20.7, 13.2), (5, 5, 5, 5)]
        for fill, outline, width in [
            (TRANSLUCENT_RED, None, 1),
            (None, TRANSLUCENT_RED, 1),
            ((0, 0, 255, 255), TRANSLUCENT_RED, 3),
            (None, TRANSLUCENT_RED, 8),
        ]
        if method != "arc" or fill is None
    ),
    *(
        Case(
            "draw_rounded_rectangle",
            (
                JsArray(box),
                radius,
                fill and JsArray(fill),
                outline and JsArray(outline),
                width,
                corners and JsArray(corners),
            ),
            drawn(
                lambda d, b=box, r=radius, f=fill, o=outline, w=width, c=corners: d.rounded_rectangle(
                    b, r, f, o, w, corners=c
                )
            ),
            0,
        )
        for box in [(2, 3, 30, 20), (1, 1, 12, 30), (3.4, 2.6, 20.5, 11.5), (0, 0, 6, 6)]
        for radius in (0, 2, 5.5, 40)
        for fill, outline, width, corners in [
            (TRANSLUCENT_RED, None, 1, None),
            (None, TRANSLUCENT_RED, 1, None),
            ((0, 0, 255, 255), TRANSLUCENT_RED, 3, None),
            (TRANSLUCENT_RED, (0, 0, 255, 255), 2, (True, False, True, False)),
            (None, TRANSLUCENT_RED, 1, (False, False, False, False)),
        ]
    ),
    Case("paste", (PATCH.crop((0, 0, 1, 1)), 0, 0), pasted(PATCH.crop((0, 0, 1, 1)), 0, 0), 0),
    Case("paste", (PATCH, -2, -3), pasted(PATCH, -2, -3), 0),
    Case("alpha_composite", (PATCH, 0, 0), composited(PATCH, 0, 0), 1),
    *(Case(method, (PATCH, *args), combined(operation, PATCH), 0) for method, args, operation in CHOPS),
    *(
        Case(method, (PATCH, *args, Rect((1, 2, 3, 9))), combined(operation, PATCH, (1, 2, 3, 9)), 0)
        for method, args, operation in CHOPS[:3]
    ),
    Case("composite", (PATCH, MASK, 0, 0), masked(PATCH, MASK, 0, 0), 0),
    Case("composite", (PATCH, MASK, -2, 1), masked(PATCH, MASK, -2, 1), 0),
    Case("composite", (PATCH, PATCH, 1, 1), masked(PATCH, PATCH, 1, 1), 0),
    Case("alpha_composite", (PATCH, -2, -1), composited(PATCH, -2, -1), 1),
]


def resize_targets(width: int, height: int) -> list[tuple[int, int]]:
    """Downscales, upscales, stretches one way and squeezes the other, and a
    1x1; the 64x40 image's halving, quartering and 1.5x put samples exactly on
    pixel boundaries. The last two shrink the height by more than twice the
    pixels the width loses, where Pillow 13 runs the vertical pass first."""
    targets = [
        (max(width // 2, 1), max(height // 2, 1)),
        (width * 2, height * 2),
        (width * 3 + 1, height),
        (max(width * 2 // 3, 1), height * 3 // 2 + 1),
        (width * 3 // 2, height * 3 // 2),
        (max(width // 4, 1), max(height // 4, 1)),
        (1, 1),
        (width, height),
        (width * 5 // 4 + 1, max(height // 4, 1)),
        (max(width - 2, 1), max(height // 5, 1)),
    ]
    return list(dict.fromkeys(targets))


def resize_boxes(width: int, height: int) -> list[tuple[tuple[int, int], tuple[float, float, float, float]]]:
    """Source boxes for `resize`: fractional, at the edges, the whole image
    at the same size (a copy), a part at its own size, and a zero-width one."""
    boxes = [
        ((max(width // 2, 1), max(height // 2, 1)), (0.5, 1.25, width - 0.75, height)),
        ((width * 2, height), (width / 3, 0, width, height / 2)),
        ((width, height), (0, 0, width, height)),
        ((max(width // 3, 1), max(height // 3, 1)), (width / 3, height / 3, 2 * width / 3, 2 * height / 3)),
        ((3, 2), (width / 2, 0, width / 2, height)),
    ]
    return [(size, box) for size, box in boxes if 0 <= box[0] <= box[2] <= width and 0 <= box[1] <= box[3] <= height]


def thumbnailed(fit: tuple[int, int], filter_: Image.Resampling) -> Callable[[Image.Image], Image.Image]:
    def apply(image: Image.Image) -> Image.Image:
        result = image.copy()
        result.thumbnail(fit, filter_)
        return result

    return apply


def cases_for(image: Image.Image) -> list[Case]:
    """The cases that fit `image`: the shared ones plus its own resizes,
    crops, pastes and shapes sized to it."""
    width, height = image.size
    own = [
        *(
            Case("resize", (*size, int(filter_)), lambda im, size=size, f=filter_: im.resize(size, f), 0)
            for size in resize_targets(width, height)
            for filter_ in Image.Resampling
        ),
        *(
            Case(
                "resize",
                (*size, int(filter_), Rect(box)),
                lambda im, size=size, f=filter_, box=box: im.resize(size, f, box=box),
                0,
            )
            for size, box in resize_boxes(width, height)
            for filter_ in Image.Resampling
        ),
        *(
            Case(
                "resize",
                (*size, int(filter_), None, gap),
                lambda im, size=size, f=filter_, gap=gap: im.resize(size, f, reducing_gap=gap),
                0,
            )
            for size in [(max(width // 5, 1), max(height // 3, 1)), (max(width // 9, 1), max(height // 7, 1))]
            for filter_ in (Image.Resampling.BICUBIC, Image.Resampling.LANCZOS, Image.Resampling.BOX)
            for gap in (1.0, 2.0, 3.0)
        ),
        *(
            Case("reduce", (fx, fy), lambda im, f=(fx, fy): im.reduce(f), 0)
            for fx, fy in [(2, 2), (3, 1), (1, 3), (4, 3), (5, 5), (7, 2), (64, 64)]
        ),
        *(
            Case("reduce", (fx, fy, Rect(box)), lambda im, f=(fx, fy), box=box: im.reduce(f, box=box), 0)
            for fx, fy, box in [
                (2, 2, (0, 0, width, height)),
                (3, 2, (width // 4, height // 3, width, max(height - 1, height // 3 + 1))),
                (2, 5, (width - 1, 0, width, height)),
            ]
        ),
        *(
            Case("thumbnail", (*fit, int(filter_), 2.0), thumbnailed(fit, filter_), 0)
            for fit in [(32, 32), (width // 3 + 1, height), (5, 1), (width * 2, height * 2)]
            for filter_ in (Image.Resampling.BICUBIC, Image.Resampling.LANCZOS, Image.Resampling.NEAREST)
        ),
        Case("crop", (Rect((0, 0, width, height)),), lambda im: im.copy(), 0),
        Case(
            "crop",
            (Rect((width // 3, height // 2, width - width // 3, height - height // 2)),),
            lambda im: im.crop((width // 3, height // 2, width, height)),
            0,
        ),
        Case(
            "crop",
            (Rect((width - 1, height - 1, 3, 2)),),
            lambda im: im.crop((width - 1, height - 1, width + 2, height + 1)),
            0,
        ),
        Case("paste", (PATCH.crop((0, 0, min(width, 5), min(height, 4))), 0, 0), pasted(PATCH, 0, 0), 0),
        Case("paste", (PATCH, width - 2, height - 1), pasted(PATCH, width - 2, height - 1), 0),
        Case("alpha_composite", (PATCH, width - 2, height - 1), composited(PATCH, width - 2, height - 1), 1),
        Case("alpha_composite", (PATCH, width, 0), composited(PATCH, width, 0), 0),
        line_case((0, height - 1, width - 1, 0)),
        rectangle_case((0, 1, width + 2, height + 4), None, TRANSLUCENT_RED),
    ]
    if width >= 2 and height >= 2:
        patch = translucent(sample_photo(width, height, seed=14), seed=15)
        own.append(Case("alpha_composite", (patch, 0, 0), composited(patch, 0, 0), 1))
        own.extend(Case(method, (patch, *args), combined(operation, patch), 0) for method, args, operation in CHOPS)
        mask = translucent(sample_photo(width, height, seed=18), seed=19)
        own.append(Case("composite", (patch, mask, 0, 0), lambda im, p=patch, m=mask: Image.composite(p, im, m), 0))
        own.append(Case("composite", (patch, mask, width - 2, 1), masked(patch, mask, width - 2, 1), 0))
        own.append(
            Case(
                "paste",
                (PATCH.crop((0, 0, 2, 2)), width - 2, height - 2),
                pasted(PATCH.crop((0, 0, 2, 2)), width - 2, height - 2),
                0,
            )
        )
    if width >= 20 and height >= 20:
        for x, y in [(8, 8), (5, 5), (20, 2)]:
            own.append(flood_case(x, y))
            own.append(flood_case(x, y, thresh=150))
            own.append(flood_case(x, y, border=(255, 0, 0, 255)))
    if width >= 8 and height >= 8:
        for x0, y0, x1, y1 in [(0, 0, width - 1, height - 1), (width - 1, 2, 3, height - 1), (5, 5, 5, 5)]:
            own.append(line_case((x0, y0, x1, y1)))
            own.append(line_case((x0, y0, x1, y1), 3))
    return [*CASES, *own]


def rect_cases_for(name: str, image: Image.Image) -> list[tuple[Case, tuple[int, int, int, int]]]:
    return [(case, rect) for case in cases_for(image) if case.rect for rect in RECTS.get(name, [])]


def to_wire(arg: Any) -> Any:
    """An argument as the page's runner rebuilds it."""
    if isinstance(arg, Image.Image):
        return {"rgba": [arg.width, arg.height, arg.tobytes()]}
    if isinstance(arg, Kernel):
        return {"f32": list(arg.weights)}
    if isinstance(arg, Rect | JsArray):
        return {"rect": list(arg.values)}
    if isinstance(arg, Table):
        return {"u8": list(arg.values)}
    return arg


@run_in_pyodide
def run_in_wasm(selenium, width, height, rgba, calls):
    """Runs each `RgbaImage.<method>(*args)` on a fresh copy of the image and
    returns, per call, ("ok", width, height, bytes, value) read from wasm
    memory or ("error", name, message)."""
    import js
    import rust_image
    from pyodide.ffi import to_js

    def rebuild(arg, owned):
        if isinstance(arg, dict) and "rgba" in arg:
            image = rust_image.RgbaImage.from_bytes("RGBA", arg["rgba"][0], arg["rgba"][1], to_js(arg["rgba"][2]))
            owned.append(image)
            return image
        if isinstance(arg, dict) and "f32" in arg:
            return js.Float32Array.new(to_js(arg["f32"]))
        if isinstance(arg, dict) and "rect" in arg:
            return to_js(arg["rect"])
        if isinstance(arg, dict) and "u8" in arg:
            return js.Uint8Array.new(to_js(arg["u8"]))
        return arg

    def read(image):
        return js.Uint8Array.new(rust_image.memory.buffer, image.ptr(), image.len()).to_bytes()

    results = []
    for method, args in calls:
        image = rust_image.RgbaImage.from_bytes("RGBA", width, height, to_js(rgba))
        owned = [image]
        try:
            value = getattr(image, method)(*(rebuild(arg, owned) for arg in args))
            if hasattr(value, "ptr"):
                owned.append(value)
                results.append(("ok", value.width, value.height, read(value), None))
                continue
            if hasattr(value, "to_py"):
                value = list(value.to_py())
            results.append(("ok", image.width, image.height, read(image), value))
        except Exception as error:
            results.append(
                ("error", getattr(getattr(error, "js_error", None), "name", type(error).__name__), str(error))
            )
        finally:
            for each in owned:
                each.free()
    import pickle
    import zlib

    # Packed: the results' pixels, several MB, cross from Node's or the
    # browser's Pyodide as text, which costs more than compressing them.
    return zlib.compress(pickle.dumps(results), 1)


def call_key(method: str, args: tuple[Any, ...]) -> str:
    return (
        f"{method}{[to_wire(arg) if not isinstance(arg, Image.Image) else (arg.size, arg.tobytes()) for arg in args]}"
    )


def selected_matrix_cases(request: pytest.FixtureRequest) -> tuple[set[tuple[Any, ...]], set[tuple[Any, ...]]]:
    """The (image, case name) and (image, case name, rect) parameters of this module's
    matrix tests that the run will call (--matrix=sample and -k leave out
    the others, whose calls need not be made in the page)."""
    whole: set[tuple[Any, ...]] = set()
    in_rects: set[tuple[Any, ...]] = set()
    for item in request.session.items:
        callspec = getattr(item, "callspec", None)
        if getattr(item, "module", None) is not request.module or callspec is None:
            continue
        params = callspec.params
        if item.originalname == "test_kernel_matches_pillow":
            whole.add((params["name"], params["case"].name))
        elif item.originalname == "test_rect_is_pillow_on_the_clipped_crop_pasted_back":
            in_rects.add((params["name"], params["case"].name, params["rect"]))
    return whole, in_rects


@pytest.fixture(scope="module")
def wasm_results(request, selenium_rust_module_scope) -> dict[str, dict[str, tuple[Any, ...]]]:
    """Every call of every selected case, per image, run in the page in one go."""
    whole, in_rects = selected_matrix_cases(request)
    results: dict[str, dict[str, tuple[Any, ...]]] = {}
    for name, image in IMAGES.items():
        calls = [(case.method, case.args) for case in cases_for(image) if (name, case.name) in whole]
        calls += [
            (case.method, (*case.args, Rect(rect)))
            for case, rect in rect_cases_for(name, image)
            if (name, case.name, rect) in in_rects
        ]
        calls += [("histogram", ()), ("mean_colour", ())]
        calls += [(what, (Rect(rect),)) for rect in RECTS.get(name, []) for what in ("histogram", "mean_colour")]
        calls += [("crop", (Rect(rect),)) for rect in RECTS.get(name, [])]
        rects = [(), *((Rect(r),) for r in RECTS.get(name, []))]
        calls += [("to_bytes", (mode, *rect)) for mode in MODES for rect in rects]
        calls += [(method, (*args, *rect)) for method, args in ANALYSES for rect in rects]
        unique = {call_key(method, args): (method, args) for method, args in calls}
        wire = [(method, [to_wire(arg) for arg in args]) for method, args in unique.values()]
        packed = run_in_wasm(selenium_rust_module_scope, image.width, image.height, image.tobytes(), wire)
        outcomes = pickle.loads(zlib.decompress(packed))
        results[name] = dict(zip(unique, outcomes, strict=True))
    return results


def outcome(wasm_results, name: str, method: str, args: tuple[Any, ...]) -> tuple[int, int, bytes, Any]:
    result = wasm_results[name][call_key(method, args)]
    assert result[0] == "ok", f"{method} raised {result[1]}: {result[2]}"
    return result[1], result[2], result[3], result[4]


def compare(got: tuple[int, int, bytes, Any], expected: Image.Image, tolerance: int) -> None:
    width, height, data, _ = got
    assert (width, height) == expected.size
    difference = max_difference(data, expected.convert("RGBA").tobytes())
    assert difference <= tolerance, f"differs from Pillow by up to {difference} (tolerance {tolerance})"


WHOLE = [(name, case) for name, image in IMAGES.items() for case in cases_for(image)]
RECTS_CASES = [(name, case, rect) for name, image in IMAGES.items() for case, rect in rect_cases_for(name, image)]


@pytest.mark.matrix
@pytest.mark.parametrize(("name", "case"), WHOLE, ids=[f"{name}-{case.name}" for name, case in WHOLE])
def test_kernel_matches_pillow(wasm_results, name, case):
    image = IMAGES[name]
    compare(outcome(wasm_results, name, case.method, case.args), case.pillow(image.copy()), case.tolerance)


@pytest.mark.matrix
@pytest.mark.parametrize(
    ("name", "case", "rect"),
    RECTS_CASES,
    ids=[f"{name}-{case.name}-rect{rect}" for name, case, rect in RECTS_CASES],
)
def test_rect_is_pillow_on_the_clipped_crop_pasted_back(wasm_results, name, case, rect):
    image = IMAGES[name]
    expected = image.copy()
    box = clipped(image, rect)
    if box is not None:
        expected.paste(case.pillow(image.crop(box)), box[:2])
    compare(outcome(wasm_results, name, case.method, (*case.args, Rect(rect))), expected, case.tolerance)


@pytest.mark.parametrize("name", IMAGES)
def test_histogram_and_mean_match_pillow(wasm_results, name):
    image = IMAGES[name]
    assert outcome(wasm_results, name, "histogram", ())[3] == image.histogram()
    assert outcome(wasm_results, name, "mean_colour", ())[3] == pytest.approx(ImageStat.Stat(image).mean, abs=1e-9)
    for rect in RECTS.get(name, []):
        box = clipped(image, rect)
        histogram = outcome(wasm_results, name, "histogram", (Rect(rect),))[3]
        assert histogram == (image.crop(box).histogram() if box else [0] * 1024)
        if box is None:
            result = wasm_results[name][call_key("mean_colour", (Rect(rect),))]
            size = f"{image.width}x{image.height}"
            message = f"rect at {rect[:2]} of size {rect[2]}x{rect[3]} holds no pixel of the {size} image"
            assert result[:2] == ("error", "OutOfBoundsError") and message in result[2], result
            continue
        mean = outcome(wasm_results, name, "mean_colour", (Rect(rect),))[3]
        assert mean == pytest.approx(ImageStat.Stat(image.crop(box)).mean, abs=1e-9)


@pytest.mark.parametrize("name", [name for name in IMAGES if name in RECTS])
def test_crop_matches_pillow_inside_and_outside(wasm_results, name):
    image = IMAGES[name]
    for x, y, width, height in RECTS[name]:
        compare(
            outcome(wasm_results, name, "crop", (Rect((x, y, width, height)),)),
            image.crop((x, y, x + width, y + height)),
            0,
        )


MODES = ("L", "LA", "RGB", "RGBA")
ANALYSES = [
    ("bbox", (True,)),
    ("bbox", (False,)),
    ("extrema", ()),
    ("colours", (256,)),
    ("colours", (1,)),
    ("colours", (100_000,)),
    ("statistics", ()),
]
STATISTICS = ("count", "sum", "sum2", "mean", "median", "rms", "var", "stddev")


def pillow_analysis(image: Image.Image, method: str, args: tuple[Any, ...]) -> Any:
    """What Pillow says, in the layout rust_image returns it."""
    if method == "bbox":
        box = image.getbbox(alpha_only=args[0])
        return list(box) if box else None
    if method == "extrema":
        return [value for pair in image.getextrema() for value in pair]
    if method == "colours":
        found = image.getcolors(args[0])
        return (
            None
            if found is None
            else [v for count, colour in sorted(found, key=lambda c: c[1]) for v in (count, *colour)]
        )
    stat = ImageStat.Stat(image)
    return [getattr(stat, field)[channel] for channel in range(4) for field in STATISTICS]


@pytest.mark.parametrize("name", IMAGES)
@pytest.mark.parametrize(("method", "args"), ANALYSES, ids=[f"{m}{a}" for m, a in ANALYSES])
def test_analysis_matches_pillow(wasm_results, name, method, args):
    image = IMAGES[name]
    for rect in [None, *RECTS.get(name, [])]:
        got = outcome(wasm_results, name, method, (*args, *([Rect(rect)] if rect else [])))[3]
        box = clipped(image, rect) if rect else (0, 0, image.width, image.height)
        if box is None:
            # Nothing inside: no box, no extrema, no colours, zero statistics.
            empty = {"bbox": None, "extrema": None, "colours": [], "statistics": [0] * 32}[method]
            assert got == empty, rect
            continue
        expected = pillow_analysis(image.crop(box), method, args)
        if method == "bbox" and expected is not None:
            expected = [expected[0] + box[0], expected[1] + box[1], expected[2] + box[0], expected[3] + box[1]]
        if method == "statistics":
            assert got == pytest.approx(expected, rel=1e-12), rect
        else:
            assert (list(got) if got is not None else None) == expected, rect


@pytest.mark.parametrize("name", IMAGES)
def test_to_bytes_is_pillows_convert_in_every_mode(wasm_results, name):
    image = IMAGES[name]
    for mode in MODES:
        assert bytes(outcome(wasm_results, name, "to_bytes", (mode,))[3]) == image.convert(mode).tobytes(), mode
        for rect in RECTS.get(name, []):
            box = clipped(image, rect)
            expected = image.crop(box).convert(mode).tobytes() if box else b""
            assert bytes(outcome(wasm_results, name, "to_bytes", (mode, Rect(rect)))[3]) == expected, (mode, rect)


@run_in_pyodide
def from_bytes_in_wasm(selenium, sources):
    """RgbaImage.from_bytes on each (mode, width, height, bytes); the RGBA
    bytes read back from wasm memory."""
    import js
    import rust_image
    from pyodide.ffi import to_js

    results = []
    for mode, width, height, data in sources:
        image = rust_image.RgbaImage.from_bytes(mode, width, height, to_js(data))
        results.append(js.Uint8Array.new(rust_image.memory.buffer, image.ptr(), image.len()).to_bytes())
        image.free()
    return results


def test_from_bytes_widens_every_mode_as_pillow_converts(selenium_rust_module_scope):
    sources = [
        (mode, image.width, image.height, image.convert(mode).tobytes()) for image in IMAGES.values() for mode in MODES
    ]
    results = from_bytes_in_wasm(selenium_rust_module_scope, sources)
    for (mode, width, height, data), got in zip(sources, results, strict=True):
        expected = Image.frombytes(mode, (width, height), data).convert("RGBA").tobytes()
        assert got == expected, (mode, width, height)
