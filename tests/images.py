"""Test images generated with Pillow on the host, deterministic per seed."""

from __future__ import annotations

import random

from PIL import Image, ImageChops, ImageDraw, ImageFilter
from pillow_suite.run import SDIST_ROOT

# Pillow's own tests, pictures and fonts, unpacked from its sdist by
# `./build.sh setup` (tests/pillow_suite/run.py --fetch-only).
PILLOW_TESTS = SDIST_ROOT / "Tests"


def sample_photo(width: int, height: int, seed: int = 1) -> Image.Image:
    """A photo-like RGB image: smooth gradients, shapes, grain, soft edges."""
    rng = random.Random(seed)
    gradient = Image.new("RGB", (width, height))
    gradient.putdata(
        [
            (x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), (x + y) * 127 // max(width + height, 1))
            for y in range(height)
            for x in range(width)
        ]
    )
    draw = ImageDraw.Draw(gradient)
    for _ in range(12):
        x0, y0 = rng.randrange(width), rng.randrange(height)
        box = [x0, y0, x0 + rng.randrange(1, width + 1), y0 + rng.randrange(1, height + 1)]
        colour = tuple(rng.randrange(256) for _ in range(3))
        (draw.ellipse if rng.random() < 0.5 else draw.rectangle)(box, fill=colour)
    grain = Image.frombytes("RGB", (width, height), rng.randbytes(width * height * 3))
    return Image.blend(gradient, grain, 0.15).filter(ImageFilter.GaussianBlur(0.8))


def with_alpha(image: Image.Image, seed: int = 2) -> Image.Image:
    """`image` as RGBA with an alpha channel covering 0..255 (random)."""
    rng = random.Random(seed)
    rgba = image.convert("RGBA")
    alpha = Image.frombytes("L", image.size, rng.randbytes(image.width * image.height))
    rgba.putalpha(alpha)
    return rgba


def max_difference(first: bytes, second: bytes, channels: range = range(4)) -> int:
    """Largest difference between two RGBA byte strings over `channels`."""
    assert len(first) == len(second), f"{len(first)} bytes vs {len(second)}"
    # In C, by Pillow: a loop over the bytes in Python was a third of the
    # exhaustive matrices' run.
    if first == second:
        return 0
    most = 0
    for channel in channels:
        ours, theirs = first[channel::4], second[channel::4]
        if ours and ours != theirs:
            size = (len(ours), 1)
            difference = ImageChops.difference(Image.frombytes("L", size, ours), Image.frombytes("L", size, theirs))
            most = max(most, difference.getextrema()[1])
    return most


# Pillow's built-in ImageFilter kernels, by name.
BUILTIN_FILTERS = (
    "BLUR",
    "CONTOUR",
    "DETAIL",
    "EDGE_ENHANCE",
    "EDGE_ENHANCE_MORE",
    "EMBOSS",
    "FIND_EDGES",
    "SHARPEN",
    "SMOOTH",
    "SMOOTH_MORE",
)


def run_snippet(code: str, names: dict[str, object]) -> tuple[object, ...]:
    """What a snippet of Python gives: ``("value", result)`` for the
    ``result`` it sets, or ``("raises", exception type name, message)``. The
    tests run the same snippets with Pillow here and with wasmcanvas in
    Pyodide (which has its own copy of this function's few lines)."""
    scope = dict(names)
    try:
        exec(code, scope)
    except Exception as error:
        return ("raises", type(error).__name__, str(error))
    return ("value", scope.get("result"))
