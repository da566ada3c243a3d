"""Exceptions raised by wasmcanvas, and the translation of rust_image's errors.

Errors that Rust reports (a JS ``Error`` thrown by the wasm-bindgen glue) come
back as the matching built-in Python exception: ``IndexError`` for points and
rectangles outside an image, ``ValueError`` for every other bad value. The
message is Rust's, which names the argument and the limit.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from pyodide.ffi import JsException

T = TypeVar("T")

_OUT_OF_RANGE_MARKERS = ("is outside", "does not fit")


class ClosedImageError(ValueError):
    """The image was closed: its pixels were freed in wasm memory.

    >>> image = Image(2, 2); image.close(); image.invert()
    Traceback (most recent call last):
    ClosedImageError: this Image is closed: its pixels were freed; use it before close() or copy() it
    """


def rust_error(error: JsException) -> Exception:
    """The Python exception for a JS error thrown by ``rust_image``."""
    message = str(error.message) if hasattr(error, "message") else str(error)
    name = str(getattr(error, "name", ""))
    if name == "RuntimeError" or message.startswith("rust_image is broken"):
        from .module import broken_error, broken_reason

        return broken_error(broken_reason() or f"{name}: {message}")
    if any(marker in message for marker in _OUT_OF_RANGE_MARKERS):
        return IndexError(message)
    return ValueError(message)


def call_rust(function: Callable[..., T], *args: Any) -> T:
    """Calls a ``rust_image`` export, raising its errors as Python exceptions."""
    try:
        return function(*args)
    except JsException as error:
        raise rust_error(error) from None
