"""Exceptions raised by wasmcanvas, and the translation of rust_image's errors.

Errors that Rust reports (a JS ``Error`` thrown by the wasm-bindgen glue) come
back as the built-in Python exception their ``name`` stands for: ``TypeError``
for an argument of the wrong JS type, ``IndexError`` for points and rectangles
outside an image, ``MemoryError`` when wasm memory cannot grow,
``ImageFileError`` (an ``OSError``) for a damaged or oversized picture file,
``ValueError`` for every other bad value. The message is Rust's, which names the argument
and the limit (and, for ``MemoryError``, the bytes asked for).

>>> Image(20000, 1)
Traceback (most recent call last):
ValueError: width must be at most 16384, got 20000
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyodide.ffi import JsException


class UnidentifiedImageError(OSError):
    """The file is not a picture wasmcanvas can read (Pillow's name for it).

    >>> Image.open(b"hello")
    Traceback (most recent call last):
    UnidentifiedImageError: cannot identify image file b'hello' (not a PNG, JPEG, GIF, WebP or BMP file, ...)
    """


class ImageFileError(OSError):
    """A picture file that is damaged, truncated or too large to decode."""


class ClosedImageError(ValueError):
    """The image was closed: its pixels were freed in wasm memory.

    >>> image = Image(2, 2); image.close(); image.invert()
    Traceback (most recent call last):
    ClosedImageError: this Image is closed: its pixels were freed; use it before close() or copy() it
    """


# The `name` rust_image gives each family of error (crate/src/lib.rs).
EXCEPTION_FOR_NAME: dict[str, type[Exception]] = {
    "TypeError": TypeError,
    "RangeError": ValueError,
    "OutOfBoundsError": IndexError,
    "OutOfMemoryError": MemoryError,
    "ImageFileError": ImageFileError,
    # The exports' guard (_module/guard.js): an argument that is an already
    # freed rust_image object.
    "ReferenceError": ValueError,
}


def rust_error(error: JsException) -> Exception:
    """The Python exception for a JS error thrown by ``rust_image``."""
    message = str(error.message) if hasattr(error, "message") else str(error)
    name = str(getattr(error, "name", ""))
    if name == "RuntimeError" or message.startswith("rust_image is broken"):
        from .module import broken_error, broken_reason

        return broken_error(broken_reason() or f"{name}: {message}")
    return EXCEPTION_FOR_NAME.get(name, ValueError)(message)


def call_rust[T](function: Callable[..., T], *args: Any) -> T:
    """Calls a ``rust_image`` export, raising its errors as Python exceptions."""
    try:
        return function(*args)
    except JsException as error:
        raise rust_error(error) from None
