"""The gallery (index.html): a card per page, each with a live thumbnail
drawn by the code behind that page."""

from __future__ import annotations

from .. import Image, ImageDraw
from ..animation import Animation, animate
from ..canvas import Canvas
from ..lesson import read_seed_pixels
from ..simulations import Life, Plasma
from .samples import sunset

THUMB_SIZE = (160, 90)


def _still_thumbnails() -> None:
    width, height = THUMB_SIZE
    with Image.frombytes("RGB", (2, 1), read_seed_pixels()) as seed:
        seed.inplace.resize((width, height), Image.Resampling.NEAREST)
        Canvas.attach("thumb-lesson").blit(seed)
    with sunset(width, height) as photo:
        photo.inplace.grayscale(box=(width // 2, 0, width, height))
        ImageDraw.Draw(photo).line([(width // 2, 0), (width // 2, height - 1)], fill=(255, 255, 255))
        Canvas.attach("thumb-editor").blit(photo)
    with Image.new("RGB", (width, height), (22, 26, 34)) as console:
        for row, (length, colour) in enumerate([(60, "#7dd3fc"), (110, "#e6e9ef"), (84, "#fb923c"), (40, "#86efac")]):
            console.paste(colour, (8, 10 + row * 16, 8 + length, 15 + row * 16))
        console.paste("#e6e9ef", (8, 74, 15, 83))
        Canvas.attach("thumb-repl").blit(console)


_animation: Animation | None = None
# What the running animation owns, freed when the page starts it again.
_owned: list[Life | Plasma | Image.Image] = []


def main() -> Animation:
    """Draw the still thumbnails, then animate Life and the plasma."""
    global _animation
    if _animation is not None:
        _animation.stop()
    while _owned:
        _owned.pop().close()
    _still_thumbnails()
    width, height = THUMB_SIZE
    life_canvas, plasma_canvas = Canvas.attach("thumb-life"), Canvas.attach("thumb-plasma")
    life = Life(width, height)
    life.set_colours((134, 239, 172), (22, 26, 34))
    life.randomize(2024, 0.3)
    plasma = Plasma()
    life_frame, plasma_frame = Image.new("RGB", THUMB_SIZE), Image.new("RGB", THUMB_SIZE)
    _owned.extend([life, plasma, life_frame, plasma_frame])

    def step(seconds: float) -> None:
        life.tick(1)
        life.render(life_frame)
        life_canvas.blit(life_frame)
        plasma.render(plasma_frame, seconds)
        plasma_canvas.blit(plasma_frame)

    step(0.0)
    _animation = animate(step, fps=12)
    return _animation
