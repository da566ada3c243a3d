"""wasmcanvas: fast pixel work from Python in the browser, with Pillow's API.

Python running under Pyodide drives ``rust_image``, a Rust image library
compiled to WebAssembly with wasm-bindgen: the pixels stay in the module's
linear memory, every operation runs in Rust, and ``Canvas.blit`` hands them
to a DOM canvas without copying them into Python. Pillow code runs on it by
changing its import line:

>>> from wasmcanvas import Canvas, Image, ImageDraw, ImageFilter
>>> im = Image.new("RGB", (320, 200), "#1d2330")
>>> ImageDraw.Draw(im).ellipse((100, 40, 220, 160), fill="#ff6a00")
>>> im = im.filter(ImageFilter.GaussianBlur(3))
>>> Canvas.create(320, 200, parent="#app").blit(im)

The Rust module travels inside this package: the first use loads it (or
``await wasmcanvas.load()`` does, ahead of time); on the project's pages
``boot.js`` has already registered it as ``rust_image``. See ``loader``.
"""

# The imports follow the check below, which must come first (E402).
# ruff: noqa: E402
import sys

# Read through a name: mypy would take a bare sys.platform test as always
# true on the host and stop checking the module below it.
_platform = sys.platform
if _platform != "emscripten":
    raise ImportError(
        f"wasmcanvas runs under Pyodide (Python compiled to WebAssembly: in a web page, a Web Worker or Node), "
        f"not in this Python ({_platform}): its pixels live in a WebAssembly module that only Pyodide loads. "
        "For the same code natively, use Pillow: wasmcanvas follows its API, so `from PIL import Image` "
        "runs the same script"
    )

from . import (
    ExifTags,
    Image,
    ImageChops,
    ImageColor,
    ImageDraw,
    ImageEnhance,
    ImageFilter,
    ImageFont,
    ImageMath,
    ImageMode,
    ImageOps,
    ImagePalette,
    ImageSequence,
    ImageStat,
    ImageTransform,
    features,
)
from .animation import Animation, AnimationStats, animate
from .canvas import Canvas, CanvasEvent
from .colours import parse_colour, to_css
from .dom import NoDocumentError
from .errors import ClosedImageError, DecompressionBombError, ImageFileError, ModuleBrokenError, UnidentifiedImageError
from .loader import ModuleNotLoadedError, load, load_codecs
from .memory import LiveView, WasmMemory
from .module import on_reload, reload_module, wasm_memory
from .proxies import live_proxy_count
from .simulations import Life, Plasma

__version__ = "0.1.0"

__all__ = [
    "Animation",
    "AnimationStats",
    "Canvas",
    "CanvasEvent",
    "ClosedImageError",
    "DecompressionBombError",
    "ExifTags",
    "Image",
    "ImageChops",
    "ImageColor",
    "ImageDraw",
    "ImageEnhance",
    "ImageFileError",
    "ImageFilter",
    "ImageFont",
    "ImageMath",
    "ImageMode",
    "ImageOps",
    "ImagePalette",
    "ImageSequence",
    "ImageStat",
    "ImageTransform",
    "Life",
    "LiveView",
    "ModuleBrokenError",
    "ModuleNotLoadedError",
    "NoDocumentError",
    "Plasma",
    "UnidentifiedImageError",
    "WasmMemory",
    "animate",
    "features",
    "live_proxy_count",
    "load",
    "load_codecs",
    "on_reload",
    "parse_colour",
    "reload_module",
    "to_css",
    "wasm_memory",
]
