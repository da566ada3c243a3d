"""wasmcanvas: fast pixel work from Python in the browser.

Python running under Pyodide drives ``rust_image``, a Rust image library
compiled to WebAssembly with wasm-bindgen: the pixels stay in the module's
linear memory, every operation runs in Rust, and ``Canvas.blit`` hands them
to a DOM canvas without copying them into Python.

>>> from wasmcanvas import Canvas, Image, animate
>>> canvas = Canvas.create(320, 200, parent="#app")
>>> image = Image(320, 200, fill="#1d2330")
>>> image.draw_circle((160, 100), 60, "#ff6a00")
>>> image.blur(3)
>>> canvas.blit(image)

The Rust module travels inside this package: the first use loads it (or
``await wasmcanvas.load()`` does, ahead of time); on the project's pages
``boot.js`` has already registered it as ``rust_image``. See ``loader``.
"""

from . import ImageChops, ImageColor, ImageDraw, ImageEnhance, ImageFilter, ImageStat
from .animation import Animation, AnimationStats, animate
from .canvas import Canvas, CanvasEvent
from .colours import parse_colour, to_css
from .dom import NoDocumentError
from .errors import ClosedImageError, ImageFileError, UnidentifiedImageError
from .image import Image, wasm_memory
from .loader import ModuleNotLoadedError, load, load_codecs
from .memory import LiveView, WasmMemory
from .module import ModuleBrokenError, on_reload, reload_module
from .proxies import live_proxy_count
from .simulations import Life, Plasma

__version__ = "0.1.0"

__all__ = [
    "Animation",
    "AnimationStats",
    "Canvas",
    "CanvasEvent",
    "ClosedImageError",
    "Image",
    "ImageChops",
    "ImageColor",
    "ImageDraw",
    "ImageEnhance",
    "ImageFileError",
    "ImageFilter",
    "ImageStat",
    "Life",
    "LiveView",
    "ModuleBrokenError",
    "ModuleNotLoadedError",
    "NoDocumentError",
    "Plasma",
    "UnidentifiedImageError",
    "WasmMemory",
    "animate",
    "live_proxy_count",
    "load",
    "load_codecs",
    "on_reload",
    "parse_colour",
    "reload_module",
    "to_css",
    "wasm_memory",
]
