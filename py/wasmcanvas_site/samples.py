"""Sample pictures generated in Rust, at any size: the editor's starting
images and the gallery's thumbnails. They need no file and no licence.

>>> with sunset(640, 360) as picture:
...     picture.size
(640, 360)
"""

from __future__ import annotations

from collections.abc import Callable

from wasmcanvas import Image, ImageDraw, ImageFilter
from wasmcanvas.simulations import Plasma


def _gradient(width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image.Image:
    """A vertical gradient: a 1x2 image stretched with bilinear resampling."""
    with Image.new("RGB", (1, 2), top) as ends:
        ends.putpixel((0, 1), bottom)
        return ends.resize((width, height), Image.Resampling.BILINEAR)


def _disc(draw: ImageDraw.ImageDraw, centre: tuple[int, int], radius: int, **ink: object) -> None:
    x, y = centre
    draw.ellipse((x - radius, y - radius, x + radius, y + radius), **ink)  # type: ignore[arg-type]


def sunset(width: int, height: int) -> Image.Image:
    """A sky gradient, a sun, hills and a lake: smooth areas and soft edges."""
    picture = _gradient(width, height, (40, 30, 90), (250, 150, 80))
    draw = ImageDraw.Draw(picture)
    unit = min(width, height)
    _disc(draw, (width * 2 // 3, height * 11 // 20), unit // 6, fill=(255, 220, 120))
    for index, shade in enumerate([(70, 60, 110), (50, 45, 85), (30, 28, 60)]):
        radius = unit * (5 - index) // 6
        _disc(draw, (width * (1 + 2 * index) // 6, height + radius // 3), radius, fill=shade)
    with _gradient(width, height // 4, (35, 50, 110), (20, 30, 70)) as lake:
        picture.paste(lake, (0, height - height // 4))
    picture.inplace.filter(ImageFilter.GaussianBlur(max(unit / 300, 0.5)))
    return picture


def grainy_sunset(width: int, height: int) -> Image.Image:
    """The sunset under a camera's grain (RGB): a photo's noise, which makes
    its JPEG file as large as a phone's. The benchmarks' JPEG cases use it.

    >>> with grainy_sunset(64, 48) as photo:
    ...     photo.mode, photo.size
    ('RGB', (64, 48))
    """
    with sunset(width, height) as sky, Image.effect_noise((width, height), 24) as grain:
        with Image.merge("RGB", [grain, grain, grain]) as grey, sky.convert("RGB") as colour:
            return Image.blend(colour, grey, 0.15)


def _columns(width: int, count: int) -> list[tuple[int, int, int]]:
    """``count`` side-by-side column spans ``(x0, x1, index)`` covering
    ``width``; empty ones (on very narrow images) are left out."""
    spans = [(width * i // count, width * (i + 1) // count, i) for i in range(count)]
    return [span for span in spans if span[1] > span[0]]


def test_card(width: int, height: int) -> Image.Image:
    """Colour bars, a grey ramp, circles and a grid: hard edges to sharpen,
    detect and resample."""
    picture = Image.new("RGB", (width, height), (16, 16, 16))
    bars = [
        (235, 235, 235),
        (235, 235, 16),
        (16, 235, 235),
        (16, 235, 16),
        (235, 16, 235),
        (235, 16, 16),
        (16, 16, 235),
    ]
    split = max(height * 2 // 3, 1)
    for x0, x1, index in _columns(width, len(bars)):
        picture.paste(bars[index], (x0, 0, x1, split))
    steps = 16
    for x0, x1, index in _columns(width, steps):
        if height > split:
            level = 255 * index // (steps - 1)
            picture.paste((level, level, level), (x0, split, x1, height))
    draw = ImageDraw.Draw(picture)
    unit = min(width, height)
    for ring in range(1, 5):
        _disc(draw, (width // 2, height // 3), unit * ring // 12, outline=(255, 255, 255))
    for x in range(0, width, max(unit // 8, 2)):
        draw.line([(x, 0), (x, split - 1)], fill=(60, 60, 60))
    return picture


def plasma(width: int, height: int) -> Image.Image:
    """One frame of the plasma: rich colour everywhere."""
    picture = Image.new("RGB", (width, height))
    with Plasma() as renderer:
        renderer.render(picture, 12.5)
    return picture


SAMPLES: dict[str, Callable[[int, int], Image.Image]] = {"sunset": sunset, "test card": test_card, "plasma": plasma}
