"""``Canvas``: a DOM ``<canvas>`` or an ``OffscreenCanvas`` driven from Python.

``blit`` hands the image's pixels to the canvas straight from wasm memory
(an ``ImageData`` over ``memory.buffer``: no copy into Python). Mouse and
keyboard events reach Python callbacks with coordinates in canvas pixels.

>>> canvas = Canvas.create(320, 200, parent="#app", scale=2)
>>> image = Image.new("RGB", (320, 200), "#203040")
>>> canvas.blit(image)
>>> canvas.on("click", lambda event: print(event.x, event.y))
>>> canvas.close()   # removes its listeners (and their proxies)

In a Web Worker there is no page to put a canvas on: wrap an
``OffscreenCanvas``, one the page transferred with
``transferControlToOffscreen()`` (what it draws shows in the page's
``<canvas>``) or one made with ``Canvas.offscreen``. Drawing, ``read_pixels``
and ``to_png`` work the same; events and ``scale`` belong to the page's
element.

```python
canvas = Canvas(js.transferred_canvas)      # in the worker
canvas.blit(image)
```
"""

from __future__ import annotations

import io
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import js

from ._checks import require_int
from ._modes import BLITTABLE
from .colours import Colour, to_css
from .dom import NoDocumentError, find_element, is_missing, page_document, require_document
from .events import Listeners
from .Image import Image, from_image_data
from .module import wasm_memory

POINTER_EVENTS = frozenset(
    {
        "click",
        "dblclick",
        "mousedown",
        "mouseup",
        "mousemove",
        "pointerdown",
        "pointerup",
        "pointermove",
        "wheel",
        "contextmenu",
    }
)
KEY_EVENTS = frozenset({"keydown", "keyup"})


@dataclass(frozen=True)
class CanvasEvent:
    """What a callback receives. ``x`` and ``y`` are canvas pixels (``None``
    for key events); ``key`` is set for key events; ``raw`` is the JS event."""

    type: str
    x: int | None
    y: int | None
    buttons: int
    key: str | None
    shift: bool
    ctrl: bool
    alt: bool
    raw: Any


def is_offscreen_canvas(value: Any) -> bool:
    """True for an ``OffscreenCanvas`` (from this realm or another)."""
    if is_missing(value) or not hasattr(value, "transferToImageBitmap"):
        return False
    return str(js.Object.prototype.toString.call(value)) == "[object OffscreenCanvas]"


def require_canvas_support(feature: str) -> None:
    """Raises ``NoDocumentError`` where there is neither a page nor
    ``OffscreenCanvas`` (Node)."""
    if getattr(js, "document", None) is None and getattr(js, "OffscreenCanvas", None) is None:
        raise NoDocumentError(
            f"{feature} needs a web page's <canvas> or an OffscreenCanvas, and there is neither here (Node); "
            "images, kernels and picture files work everywhere"
        )


class Canvas:
    """A ``<canvas>`` element or an ``OffscreenCanvas``, with a 2D context."""

    def __init__(self, element: Any) -> None:
        require_canvas_support("Canvas")
        self.is_offscreen = is_offscreen_canvas(element)
        if not self.is_offscreen and (is_missing(element) or getattr(element, "tagName", "").lower() != "canvas"):
            raise TypeError(f"Canvas needs a <canvas> element or an OffscreenCanvas, got {element!r}")
        self.element = element
        self.context = element.getContext("2d")
        if is_missing(self.context):
            raise ValueError("this canvas already has a context other than 2d (webgl, bitmaprenderer...)")
        self._listeners = Listeners()
        # For blit, which runs every frame: each ImageData made over wasm
        # memory with the view it holds, by (pointer, width, height); the
        # context's putImageData. JS attribute lookups cost more than calls
        # in a frame (see RustOwned._method).
        self._frames: dict[tuple[int, int, int], tuple[Any, Any]] = {}
        self._put_image_data = self.context.putImageData
        self._scale = 1

    @classmethod
    def create(cls, width: int, height: int, parent: Any = "body", id: str | None = None, scale: int = 1) -> Canvas:
        """A new canvas of ``width`` x ``height`` pixels, appended to
        ``parent`` (an element, an id or a CSS selector)."""
        document = require_document("Canvas.create")
        holder = document.body if parent == "body" else find_element(parent)
        element = document.createElement("canvas")
        canvas = cls(element)
        canvas.resize(width, height)
        if id is not None:
            element.id = id
        canvas.scale = scale
        holder.append(element)
        return canvas

    @classmethod
    def offscreen(cls, width: int, height: int) -> Canvas:
        """A new ``OffscreenCanvas`` of ``width`` x ``height`` pixels, in a
        page or a worker: draw on it, read it back, ``to_png`` it.

        >>> Canvas.offscreen(64, 32).to_png()[:4]
        b'\\x89PNG'
        """
        require_canvas_support("Canvas.offscreen")
        width, height = require_int("width", width, minimum=1), require_int("height", height, minimum=1)
        return cls(js.OffscreenCanvas.new(width, height))

    @classmethod
    def attach(cls, target: Any) -> Canvas:
        """The canvas given by an element, an ``OffscreenCanvas``, an id or
        a CSS selector. In a Web Worker (a notebook's kernel runs in one)
        there is no page to find an element on: only an ``OffscreenCanvas``
        the page transferred can be attached; an id or selector raises
        ``NoDocumentError`` naming the alternatives.

        >>> Canvas.attach(Canvas.offscreen(4, 4).element).width
        4
        """
        require_canvas_support("Canvas.attach")
        if is_offscreen_canvas(target):
            return cls(target)
        if isinstance(target, str) and page_document() is None:
            raise NoDocumentError(
                f"Canvas.attach({target!r}) looks for a <canvas> on a web page, and there is no page here "
                "(a Web Worker, such as a notebook's kernel): draw on Canvas.offscreen(width, height) instead "
                "and show the frame (an Image returned as a cell's value, or the picture canvas.to_png() gives), "
                "or attach an OffscreenCanvas the page transferred to this worker"
            )
        return cls(find_element(target))

    def __repr__(self) -> str:
        kind = "OffscreenCanvas" if self.is_offscreen else "Canvas"
        return f"<wasmcanvas.{kind} {self.width}x{self.height}>"

    # ---- size

    @property
    def width(self) -> int:
        return int(self.element.width)

    @property
    def height(self) -> int:
        return int(self.element.height)

    def resize(self, width: int, height: int) -> None:
        """Set the size in canvas pixels (this clears the canvas)."""
        self.element.width = require_int("width", width, minimum=1)
        self.element.height = require_int("height", height, minimum=1)
        self.scale = self._scale

    @property
    def scale(self) -> int:
        """Whole-number zoom: each canvas pixel shows as ``scale`` x ``scale``
        screen pixels, kept crisp (no smoothing). An ``OffscreenCanvas`` has
        no style: the page sizes the element it shows in."""
        return self._scale

    @scale.setter
    def scale(self, value: int) -> None:
        self._scale = require_int("scale", value, minimum=1)
        if self.is_offscreen:
            return
        style = self.element.style
        # Only the width is fixed: the height follows the canvas's aspect
        # ratio, so a stylesheet's max-width shrinks it without distortion.
        style.width = f"{self.width * self._scale}px"
        style.height = "auto"
        style.imageRendering = "pixelated"

    # ---- drawing

    def blit(self, image: Image, x: int = 0, y: int = 0) -> None:
        """Draw ``image`` with its top-left corner at ``(x, y)``, straight
        from wasm memory (no copy into Python)."""
        if not isinstance(image, Image):
            raise TypeError(f"can only blit an Image, not {type(image).__name__}")
        _check_shown(image, "blit")
        raw = image.raw
        width, height = int(image._method(raw, "width")), int(image._method(raw, "height"))
        key = (int(image._method(raw, "ptr")()), width, height)
        frame = self._frames.get(key)
        memory = wasm_memory()
        if memory.shared:
            # An ImageData cannot view shared memory (the threaded module's):
            # one copy, into an ImageData kept for the next frame.
            if frame is None:
                frame = self._remember_frame(key, js.ImageData.new(width, height), None)
            frame[0].data.set(memory.js_view(key[0], width * height * 4))
        elif frame is None or frame[1].length == 0:
            # An ImageData over wasm memory stays valid until the memory
            # grows (its view goes empty).
            pixels = memory.js_view(key[0], width * height * 4)
            frame = self._remember_frame(key, js.ImageData.new(pixels, width, height), pixels)
        self._put_image_data(frame[0], int(x), int(y))

    def _remember_frame(self, key: tuple[int, int, int], frame: Any, pixels: Any) -> tuple[Any, Any]:
        if len(self._frames) >= 8:
            self._frames.clear()
        kept = self._frames[key] = (frame, pixels)
        return kept

    def draw_pixels(self, image: Image, size: int = 1, x: int = 0, y: int = 0) -> None:
        """Draw each pixel of ``image`` as a ``size`` x ``size`` square with
        ``fillRect``, as the seed lesson does; ``fillStyle`` is set once per
        distinct colour, not once per pixel."""
        size = require_int("size", size, minimum=1)
        _check_shown(image, "draw_pixels")
        width = image.width
        by_colour: dict[bytes, list[int]] = defaultdict(list)
        pixels = wasm_memory().read(image.ptr, image.nbytes)
        for index in range(0, len(pixels), 4):
            by_colour[pixels[index : index + 4]].append(index // 4)
        context = self.context
        for colour, indices in by_colour.items():
            context.fillStyle = to_css(tuple(colour))
            for index in indices:
                context.fillRect(x + index % width * size, y + index // width * size, size, size)

    def fill_rect(self, x: int, y: int, width: int, height: int, colour: Colour) -> None:
        self.context.fillStyle = to_css(colour)
        self.context.fillRect(x, y, width, height)

    def clear(self, colour: Colour | None = None) -> None:
        """Make the canvas transparent, or paint it ``colour``."""
        self.context.clearRect(0, 0, self.width, self.height)
        if colour is not None:
            self.fill_rect(0, 0, self.width, self.height, colour)

    def read_pixels(self, x: int = 0, y: int = 0, width: int | None = None, height: int | None = None) -> bytes:
        """RGBA bytes of a rectangle of the canvas, read with ``getImageData``."""
        width = self.width - x if width is None else width
        height = self.height - y if height is None else height
        region = self.context.getImageData(
            x, y, require_int("width", width, minimum=1), require_int("height", height, minimum=1)
        )
        return bytes(region.data.to_bytes())

    def to_png(self) -> bytes:
        """The canvas as an RGBA PNG file, encoded by Rust from the pixels
        ``getImageData`` reads: the same bytes from a page's canvas and from
        an ``OffscreenCanvas``, and no waiting (``convertToBlob`` would need
        ``await``)."""
        with from_image_data(self.context.getImageData(0, 0, self.width, self.height)) as pixels:
            out = io.BytesIO()
            pixels.save(out, format="PNG")
        return out.getvalue()

    # ---- events

    def _require_element(self, feature: str) -> None:
        if self.is_offscreen:
            raise TypeError(
                f"{feature} needs the <canvas> element on the page; an OffscreenCanvas has no events or layout: "
                "listen on the page's canvas and post the events to the worker"
            )

    def to_canvas_coordinates(self, client_x: float, client_y: float) -> tuple[int, int]:
        """Canvas pixel under a point given in CSS (client) coordinates."""
        self._require_element("to_canvas_coordinates")
        box = self.element.getBoundingClientRect()
        x = (client_x - box.left) * self.width / box.width if box.width else 0
        y = (client_y - box.top) * self.height / box.height if box.height else 0
        return int(x // 1), int(y // 1)

    def _event(self, raw: Any) -> CanvasEvent:
        kind = raw.type
        x = y = None
        if kind in POINTER_EVENTS:
            x, y = self.to_canvas_coordinates(raw.clientX, raw.clientY)
        return CanvasEvent(
            type=kind,
            x=x,
            y=y,
            buttons=int(getattr(raw, "buttons", 0) or 0),
            key=raw.key if kind in KEY_EVENTS else None,
            shift=bool(getattr(raw, "shiftKey", False)),
            ctrl=bool(getattr(raw, "ctrlKey", False)),
            alt=bool(getattr(raw, "altKey", False)),
            raw=raw,
        )

    def on(self, event_type: str, callback: Callable[[CanvasEvent], Any]) -> None:
        """Call ``callback(event)`` for each ``event_type`` event on the canvas
        (mouse and pointer events, ``wheel``, ``keydown``, ``keyup``); a
        coroutine function is run on the event loop. An exception in the
        callback is reported and the canvas keeps going. The same callback
        added twice listens once; ``off`` takes it away."""
        self._require_element("Canvas.on")
        if event_type not in POINTER_EVENTS | KEY_EVENTS:
            raise ValueError(f"unsupported event type {event_type!r}; use one of {sorted(POINTER_EVENTS | KEY_EVENTS)}")
        if not callable(callback):
            raise TypeError("callback must be callable")
        if event_type in KEY_EVENTS and self.element.tabIndex < 0:
            self.element.tabIndex = 0
        self._listeners.add(self.element, event_type, callback, convert=self._event)

    def off(self, event_type: str, callback: Callable[[CanvasEvent], Any]) -> None:
        """Stop calling ``callback`` for ``event_type``."""
        self._listeners.remove(self.element, event_type, callback)

    def close(self) -> None:
        """Remove every listener this Canvas added (the element stays)."""
        self._listeners.clear()


_SHOWN_MODES = frozenset((*BLITTABLE, "1"))


def _check_shown(image: Image, what: str) -> None:
    """``ValueError`` unless ``image``'s stored bytes are its colours as a
    canvas shows them ("L", "LA", "RGB", "RGBA", and "1", stored as "L"):
    the bytes of the other modes are indices, numbers or other colour
    spaces, and converting them on every frame would cost a copy."""
    if image.mode not in _SHOWN_MODES:
        raise ValueError(f'cannot {what} a {image.mode} image: {what}(image.convert("RGBA")) instead')
