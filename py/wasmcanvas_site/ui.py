"""Small helpers for the pages' static controls (buttons, sliders, selects);
``listen`` wires them to Python (see ``wasmcanvas.events``). A page runs one
app, whose ``main()`` calls ``forget_listeners()`` first, so that an app
started again (after the Rust module is reloaded) does not double them."""

from __future__ import annotations

import base64
import io
from typing import Any

from wasmcanvas.dom import find_element
from wasmcanvas.events import Listeners
from wasmcanvas.Image import Image

__all__ = ["animated_gif_url", "element", "forget_listeners", "listen", "parse_size", "set_text"]

_page_listeners = Listeners()
listen = _page_listeners.add


def forget_listeners() -> None:
    """Remove every listener ``listen`` added."""
    _page_listeners.clear()


def element(element_id: str) -> Any:
    """The element with this id (``LookupError`` if the page lacks it)."""
    return find_element(element_id)


def set_text(element_id: str, text: str) -> None:
    """Show ``text`` in the element (as text, never as HTML)."""
    element(element_id).textContent = text


def parse_size(text: str) -> tuple[int, int]:
    """``"640x360"`` -> ``(640, 360)``."""
    width, _, height = text.partition("x")
    return int(width), int(height)


def animated_gif_url(frames: list[Image], duration_ms: int) -> tuple[str, int]:
    """``frames`` written as an animated GIF that loops (each shown for
    ``duration_ms``), as a ``data:`` URL for an ``<img>`` or a download
    link, and its size in bytes. The frames are closed."""
    out = io.BytesIO()
    try:
        frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=duration_ms, loop=0)
    finally:
        for frame in frames:
            frame.close()
    return "data:image/gif;base64," + base64.b64encode(out.getvalue()).decode(), out.tell()
