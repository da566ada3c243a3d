"""The bridge to the picture codecs: ``Image.open`` and ``Image.save``
hand bytes to ``rust_image_codecs``, the second Rust module
(``loader.codecs()``), which decodes PNG, JPEG, GIF's first frame, WebP and
BMP and encodes PNG and JPEG; its errors become Python exceptions. What
needs no module (recognising formats, file names, options, reading paths
and file objects) is in ``formats``. Paths are paths in Pyodide's file
system: in Node, mount a host folder with ``pyodide.FS.mount``.

>>> image = Image.open("photo.png")
>>> image.format
'PNG'
>>> image.save("copy.png")
"""

from __future__ import annotations

from collections.abc import Buffer
from typing import Any

import js
from pyodide.ffi import JsException, to_js

from . import loader
from .errors import EXCEPTION_FOR_NAME, ImageFileError
from .exif import exif_bytes
from .formats import (
    gif_options,
    gif_with_comment,
    png_level,
    png_with_metadata,
    webp_with_xmp,
)
from .jpegsave import SourceFacts
from .jpegsave import finish as jpeg_finish
from .jpegsave import plan as jpeg_plan


def webp_metadata(params: dict[str, Any]) -> tuple[Any, Any]:
    """Pillow's WebP ``icc_profile`` and ``exif`` save options as JS arrays
    (``exif`` without its "Exif\\0\\0" start, as Pillow writes it), or None."""
    icc = params.get("icc_profile") or None
    exif = params.get("exif")
    exif = exif_bytes(exif) if exif is not None else None
    if exif:
        exif = exif[6:] if exif.startswith(b"Exif\x00\x00") else exif
    return (None if icc is None else to_uint8array(icc)), (to_uint8array(exif) if exif else None)


def check_webp_background(params: dict[str, Any], info: dict[str, Any]) -> None:
    """Pillow's check of an animated WebP's ``background`` (the save
    option, else ``info``'s; a GIF's palette index is a grey here): an
    RGBA tuple of 0..255, else ``OSError``."""
    background = params.get("background", info.get("background", (0, 0, 0, 0)))
    if isinstance(background, int) and "background" not in params:
        background = (background, background, background, 255)
    if (
        not isinstance(background, (list, tuple))
        or len(background) != 4
        or not all(isinstance(value, int) and 0 <= value < 256 for value in background)
    ):
        raise OSError(f"Background color is not an RGBA tuple clamped to (0-255): {background}")


def to_uint8array(data: Buffer) -> Any:
    """A JS ``Uint8Array`` copy of ``data``."""
    return to_js(memoryview(data))


def _call_codecs(method: str, *args: Any) -> Any:
    """Calls an export of the codecs module. Its errors become the exception
    their ``name`` stands for; a trap (a bug in a decoder, never the user's
    doing) restarts the module and is reported as ``ImageFileError``: the
    images the user holds live in ``rust_image`` and are not affected."""
    codecs = loader.codecs()
    try:
        return getattr(codecs.exports, method)(*args)
    except JsException as error:
        name = str(getattr(error, "name", ""))
        message = str(getattr(error, "message", error))
        if name == "RuntimeError":
            loader.release_codecs(trapped=True)
            raise ImageFileError(f"the picture codec failed on this file ({message}); it was restarted") from None
        raise EXCEPTION_FOR_NAME.get(name, ValueError)(message) from None


def decode(
    data: bytes, max_side: int, max_pixels: int, load_truncated: bool = False, decoder: str = "decode"
) -> tuple[int, int, Any]:
    """Decodes a picture file: its width, height and the ``Picture`` holding
    its RGBA pixels in the codecs module's memory (``free()`` it after
    copying them out with ``pixels_view``). With ``load_truncated``
    (Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES``) a truncated file gives
    what its data holds. A refused file may have grown the module's memory
    before its error was found: it is released too. ``decoder`` names the
    codecs module's export (``"decode_jpeg_cmyk"``: a CMYK JPEG's four
    components, as Pillow reads them, instead of RGBA)."""
    try:
        picture = _call_codecs(decoder, to_uint8array(data), max_side, max_pixels, load_truncated)
    except Exception:
        loader.release_codecs()
        raise
    return int(picture.width), int(picture.height), picture


def pixels_view(picture: Any) -> Any:
    """A ``Uint8Array`` over a decoded picture's pixels, valid until the next
    call into the codecs module."""
    return js.Uint8Array.new(loader.codecs().memory.buffer, picture.ptr(), picture.len())


def encode_gif_indexed(
    indices: bytes,
    size: tuple[int, int],
    palette: bytes,
    transparent: int | None,
    params: dict[str, Any],
    info: dict[str, Any],
) -> bytes:
    """A GIF of a "P" image's ``indices`` (a byte each) into ``palette``
    (RGB entries), kept as they are, ``transparent`` its transparent index;
    Pillow's ``duration``, ``loop`` and ``comment``."""
    width, height = size
    options = gif_options(params, info)
    index = -1 if transparent is None else transparent
    data = _call_codecs(
        "encode_gif_indexed", to_uint8array(indices), width, height, to_uint8array(palette), index, *options
    )
    loader.release_codecs()
    return gif_with_comment(bytes(data.to_bytes()), params, info)


def encode(
    format: str,
    mode: str,
    pixels: Any,
    size: tuple[int, int],
    params: dict[str, Any],
    info: dict[str, Any],
    source: SourceFacts | None = None,
) -> bytes:
    """A ``format`` file ("PNG", "JPEG", "GIF" or "WEBP", lossless) of ``pixels`` in ``mode``'s
    layout (a JS ``Uint8Array``), with Pillow's options for that format and
    the metadata Pillow writes from them and the image's ``info``. A JPEG's
    ``mode`` is Pillow's ("1", "L", "RGB", "RGBX", "CMYK", "YCbCr"), its
    pixels in the layout the encoder takes (``jpegsave.ENCODER_MODE``), and
    ``source`` what ``"keep"`` reuses."""
    width, height = size
    if format == "JPEG":
        encoder_mode, options, layout = jpeg_plan(mode, size, params, source)
        arguments = [to_js(value) if isinstance(value, list) else value for value in options]
        data = _call_codecs("encode_jpeg", encoder_mode, pixels, width, height, *arguments)
        loader.release_codecs()
        return jpeg_finish(bytes(data.to_bytes()), layout, params, info)
    if format == "GIF":
        data = _call_codecs("encode_gif", mode, pixels, width, height, *gif_options(params, info))
        loader.release_codecs()
        return gif_with_comment(bytes(data.to_bytes()), params, info)
    if format == "WEBP":
        if params.get("save_all") and params.get("append_images"):
            check_webp_background(params, info)
        data = _call_codecs("encode_webp", mode, pixels, width, height, *webp_metadata(params))
        loader.release_codecs()
        xmp = params.get("xmp")
        return webp_with_xmp(bytes(data.to_bytes()), bytes(xmp), size) if xmp else bytes(data.to_bytes())
    data = _call_codecs("encode_png", mode, pixels, width, height, png_level(params))
    loader.release_codecs()
    return png_with_metadata(bytes(data.to_bytes()), mode, params, info)
