"""The exceptions wasmcanvas raises. A leaf: it imports nothing of the
package, and building an exception does nothing else.

Errors that Rust reports (a JS ``Error`` thrown by the wasm-bindgen glue) come
back as the built-in Python exception their ``name`` stands for
(``EXCEPTION_FOR_NAME``): ``TypeError`` for an argument of the wrong JS type,
``IndexError`` for points and rectangles outside an image, ``MemoryError``
when wasm memory cannot grow, ``ImageFileError`` (an ``OSError``) for a
damaged picture file, ``DecompressionBombError`` (one of them) for a file
that claims or inflates to too much, ``ValueError`` for every other bad value.
The message is Rust's, which names the argument and the limit (and, for
``MemoryError``, the bytes asked for).

>>> Image.new("RGBA", (20000, 1))
Traceback (most recent call last):
ValueError: width must be at most 16384, got 20000
"""

from __future__ import annotations


class UnidentifiedImageError(OSError):
    """The file is not a picture wasmcanvas can read (Pillow's name for it).

    >>> import io
    >>> Image.open(io.BytesIO(b"hello"))
    Traceback (most recent call last):
    wasmcanvas.errors.UnidentifiedImageError: cannot identify image file <_io.BytesIO object at 0x...> (not a PNG, ...)
    """


class ImageFileError(OSError):
    """A picture file that is damaged, truncated or too large to decode."""


class DecompressionBombError(ImageFileError):
    """A picture file that claims more pixels than wasmcanvas allows
    (``Image.size_limits()``), or whose compressed data goes on past what its
    pixels need. Pillow's name for it, so ``except
    Image.DecompressionBombError`` works as there; an ``ImageFileError`` too.

    >>> import io, struct, zlib
    >>> header = struct.pack(">IIBBBBB", 20000, 1, 8, 2, 0, 0, 0)
    >>> png = b"\\x89PNG\\r\\n\\x1a\\n" + struct.pack(">I", 13) + b"IHDR" + header
    >>> png += struct.pack(">I", zlib.crc32(b"IHDR" + header))
    >>> Image.open(io.BytesIO(png))
    Traceback (most recent call last):
    wasmcanvas.errors.DecompressionBombError: the PNG file claims 20000x1 pixels, too large: width must be ...
    """


class DecompressionBombWarning(RuntimeWarning):
    """A file whose size is over ``Image.MAX_IMAGE_PIXELS`` (but not over
    twice it, which raises ``DecompressionBombError``): Pillow's warning."""


class ClosedImageError(ValueError):
    """The image was closed: its pixels were freed in wasm memory.

    >>> image = Image.new("RGB", (2, 2)); image.close(); image.getpixel((0, 0))
    Traceback (most recent call last):
    wasmcanvas.errors.ClosedImageError: this Image is closed: its pixels were freed; use it before close() or copy() it
    """


class ModuleBrokenError(RuntimeError):
    """``rust_image`` trapped and refuses further calls until it is reloaded
    (``await wasmcanvas.reload_module()``, or the button on the page)."""


# The `name` rust_image gives each family of error (crate/src/lib.rs).
EXCEPTION_FOR_NAME: dict[str, type[Exception]] = {
    "TypeError": TypeError,
    "RangeError": ValueError,
    "OutOfBoundsError": IndexError,
    "OutOfMemoryError": MemoryError,
    "ImageFileError": ImageFileError,
    "DecompressionBombError": DecompressionBombError,
    # The exports' guard (_module/guard.js): an argument that is an already
    # freed rust_image object.
    "ReferenceError": ValueError,
}
