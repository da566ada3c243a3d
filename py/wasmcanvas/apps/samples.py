"""Sample pictures generated in Rust, at any size: the editor's starting
images and the gallery's thumbnails. They need no file and no licence.

>>> with sunset(640, 360) as picture:
...     picture.size
(640, 360)
"""

from __future__ import annotations

from collections.abc import Callable

from ..image import Image
from ..simulations import Plasma


def _gradient(width: int, height: int, top: tuple[int, int, int], bottom: tuple[int, int, int]) -> Image:
    """A vertical gradient: a 1x2 image stretched with bilinear resampling."""
    image = Image(1, 2)
    image[0, 0] = top
    image[0, 1] = bottom
    image.resize(width, height)
    return image


def sunset(width: int, height: int) -> Image:
    """A sky gradient, a sun, hills and a lake: smooth areas and soft edges."""
    picture = _gradient(width, height, (40, 30, 90), (250, 150, 80))
    unit = min(width, height)
    picture.draw_circle((width * 2 // 3, height * 11 // 20), unit // 6, (255, 220, 120))
    for index, shade in enumerate([(70, 60, 110), (50, 45, 85), (30, 28, 60)]):
        radius = unit * (5 - index) // 6
        picture.draw_circle((width * (1 + 2 * index) // 6, height + radius // 3), radius, shade)
    with _gradient(width, height // 4, (35, 50, 110), (20, 30, 70)) as lake:
        picture.paste(lake, 0, height - height // 4)
    picture.blur(max(unit / 300, 0.5))
    return picture


def _columns(width: int, count: int) -> list[tuple[int, int, int]]:
    """``count`` side-by-side column spans ``(x0, x1, index)`` covering
    ``width``; empty ones (on very narrow images) are left out."""
    spans = [(width * i // count, width * (i + 1) // count, i) for i in range(count)]
    return [span for span in spans if span[1] > span[0]]


def test_card(width: int, height: int) -> Image:
    """Colour bars, a grey ramp, circles and a grid: hard edges to sharpen,
    detect and resample."""
    picture = Image(width, height, fill=(16, 16, 16))
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
        picture.fill(bars[index], (x0, 0, x1 - x0, split))
    steps = 16
    for x0, x1, index in _columns(width, steps):
        if height > split:
            level = 255 * index // (steps - 1)
            picture.fill((level, level, level), (x0, split, x1 - x0, height - split))
    unit = min(width, height)
    for ring in range(1, 5):
        picture.draw_circle((width // 2, height // 3), unit * ring // 12, (255, 255, 255), fill=False)
    for x in range(0, width, max(unit // 8, 2)):
        picture.draw_line((x, 0), (x, split - 1), (60, 60, 60))
    return picture


def plasma(width: int, height: int) -> Image:
    """One frame of the plasma: rich colour everywhere."""
    picture = Image(width, height)
    with Plasma() as renderer:
        renderer.render(picture, 12.5)
    return picture


SAMPLES: dict[str, Callable[[int, int], Image]] = {"sunset": sunset, "test card": test_card, "plasma": plasma}
