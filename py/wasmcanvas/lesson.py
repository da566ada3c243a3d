"""The seed lesson, in Python: read Rust's pixels from wasm memory, draw them.

Rust stores two RGB pixels (pure red, dark grey) in a ``Vec<Color>``;
``pixels_ptr()`` gives their address in the module's linear memory. Python
views those bytes through ``memory.buffer`` with no serialization and draws
each pixel as a 100x100 square with ``fillRect``.

Example (in a page booted by ``boot.js``)::

    from wasmcanvas import lesson
    canvas = lesson.main()
    canvas.width   # 200
"""

from __future__ import annotations

from typing import Any

import js
import rust_image
from pyodide.ffi import jsnull

SQUARE_SIZE = 100
"""Side in CSS pixels of the square each Rust pixel is drawn as."""

BYTES_PER_COLOR = 3


def num_to_hex(value: int) -> str:
    """Format one colour byte as two lowercase hex digits.

    >>> num_to_hex(255), num_to_hex(10), num_to_hex(0)
    ('ff', '0a', '00')
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a colour byte must be an int, not {type(value).__name__}")
    if not 0 <= value <= 255:
        raise ValueError(f"a colour byte must be in 0..255, got {value}")
    return f"{value:02x}"


def color_to_css(red: int, green: int, blue: int) -> str:
    """CSS hex colour for one RGB pixel.

    >>> color_to_css(60, 70, 90)
    '#3c465a'
    """
    return "#" + num_to_hex(red) + num_to_hex(green) + num_to_hex(blue)


def read_pixels(image: Any) -> memoryview:
    """The RGB bytes of a ``rust_image.Image``, read out of wasm memory.

    ``memory.buffer`` is wrapped by a ``Uint8Array`` at ``pixels_ptr()`` (no
    copy on the JS side), then copied into Python's heap in one bulk step:
    Pyodide cannot map another module's memory into Python, so a
    ``memoryview`` over it is always a snapshot.

    >>> image = rust_image.Image.new()
    >>> read_pixels(image).tolist()
    [255, 0, 0, 60, 70, 90]
    """
    view = js.Uint8Array.new(rust_image.memory.buffer, image.pixels_ptr(), image.pixels_len())
    return view.to_memoryview()


def read_seed_pixels() -> memoryview:
    """The lesson's six bytes: a fresh ``Image`` read and freed again."""
    image = rust_image.Image.new()
    try:
        return read_pixels(image)
    finally:
        image.free()


def draw_pixels(canvas: Any, pixels: memoryview, size: int = SQUARE_SIZE) -> None:
    """Draw consecutive RGB pixels as ``size`` x ``size`` squares in a row."""
    if len(pixels) % BYTES_PER_COLOR:
        raise ValueError(f"RGB data must be a multiple of 3 bytes long, got {len(pixels)}")
    context = canvas.getContext("2d")
    for index in range(len(pixels) // BYTES_PER_COLOR):
        red, green, blue = pixels[index * BYTES_PER_COLOR : (index + 1) * BYTES_PER_COLOR]
        context.fillStyle = color_to_css(red, green, blue)
        context.fillRect(index * size, 0, size, size)


def main(parent_selector: str = "#app") -> Any:
    """Create the lesson's canvas inside ``parent_selector`` and draw on it.

    Returns the ``<canvas>`` element.
    """
    parent = js.document.querySelector(parent_selector)
    if parent is None or parent is jsnull:
        raise LookupError(f"no element matches {parent_selector!r} to hold the canvas")
    pixels = read_seed_pixels()
    canvas = js.document.createElement("canvas")
    canvas.id = "lesson-canvas"
    canvas.width = SQUARE_SIZE * (len(pixels) // BYTES_PER_COLOR)
    canvas.height = SQUARE_SIZE
    canvas.setAttribute("aria-label", "Two squares in the colours read from Rust's memory")
    draw_pixels(canvas, pixels)
    parent.replaceChildren(canvas)
    return canvas
