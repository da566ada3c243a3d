"""The gallery (index.html): a card per page, each with a live thumbnail
drawn by the code behind that page, and an animated GIF made in the page."""

from __future__ import annotations

import asyncio

from wasmcanvas import Image, ImageDraw
from wasmcanvas.animation import Animation, animate
from wasmcanvas.canvas import Canvas
from wasmcanvas.dom import find_element
from wasmcanvas.loader import load_codecs
from wasmcanvas.simulations import Life, Plasma

from . import ui
from .lesson import read_seed_pixels
from .samples import sunset

THUMB_SIZE = (160, 90)
GIF_FRAMES = 12
GIF_FRAME_MS = 80


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


def gif_frames() -> list[Image.Image]:
    """The plasma at GIF_FRAMES moments a frame apart: the GIF card's frames."""
    plasma = Plasma()
    try:
        frames = [Image.new("RGB", THUMB_SIZE) for _ in range(GIF_FRAMES)]
        for index, frame in enumerate(frames):
            plasma.render(frame, index * GIF_FRAME_MS / 1000)
        return frames
    finally:
        plasma.close()


async def _gif_card() -> None:
    """Write the plasma's frames as an animated GIF (after the live
    thumbnails are up: it needs the codecs module) and show it."""
    await load_codecs()
    url, size = ui.animated_gif_url(gif_frames(), GIF_FRAME_MS)
    card = find_element("thumb-gif")
    card.src = url
    card.title = f"{GIF_FRAMES} frames, {size:,} bytes"


_animation: Animation | None = None
_gif_task: asyncio.Task[None] | None = None
# What the running animation owns, freed when the page starts it again.
_owned: list[Life | Plasma | Image.Image] = []


def main() -> Animation:
    """Draw the still thumbnails, animate Life and the plasma, then make
    the GIF card."""
    global _animation, _gif_task
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
    _gif_task = asyncio.ensure_future(_gif_card())
    return _animation
