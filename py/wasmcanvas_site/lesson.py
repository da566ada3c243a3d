"""The seed lesson, on top of the wasmcanvas API.

Rust stores two RGB pixels (pure red, dark grey) in a ``Vec<Color>``; Python
reads their six bytes out of wasm memory at ``pixels_ptr()`` with no
serialization and draws each as a 100x100 square with ``fillRect``.

>>> from wasmcanvas_site import lesson
>>> lesson.read_seed_pixels().tolist()
[255, 0, 0, 60, 70, 90]
"""

from __future__ import annotations

import inspect

from wasmcanvas.canvas import Canvas
from wasmcanvas.dom import is_missing
from wasmcanvas.Image import frombytes
from wasmcanvas.module import wasm_memory

SQUARE_SIZE = 100


def read_seed_pixels() -> memoryview:
    """The six bytes of a fresh seed ``Image``, read out of wasm memory."""
    memory = wasm_memory()  # loads the Rust module if nothing has yet
    import rust_image  # the wasm-bindgen module, through Pyodide's JS bridge

    seed = rust_image.Image.new()
    try:
        return memory.snapshot(seed.pixels_ptr(), seed.pixels_len())
    finally:
        seed.free()


def main(parent: str = "#app") -> Canvas:
    """Draw the two squares on a new canvas inside ``parent``."""
    rgb = read_seed_pixels()
    canvas = Canvas.create(2 * SQUARE_SIZE, SQUARE_SIZE, parent=parent, id="lesson-canvas")
    canvas.element.setAttribute("aria-label", "Two squares in the colours read from Rust's memory")
    with frombytes("RGB", (2, 1), rgb) as pixels:
        canvas.draw_pixels(pixels, size=SQUARE_SIZE)
    _show_source()
    return canvas


def _show_source() -> None:
    """Put this module's drawing code in the page's ``#lesson-source``."""
    import js

    listing = js.document.querySelector("#lesson-source code")
    if not is_missing(listing):
        listing.textContent = inspect.getsource(read_seed_pixels) + "\n\n" + inspect.getsource(main)
