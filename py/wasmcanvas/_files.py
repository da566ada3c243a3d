"""The bridge to the picture codecs: ``Image.open`` and ``Image.save``
hand bytes to ``rust_image_codecs``, the second Rust module
(``loader.codecs()``), which decodes PNG, JPEG, GIF's first frame, WebP and
BMP and encodes PNG and JPEG; its errors become Python exceptions. What
needs no module (recognising formats, file names, options, reading paths
and file objects) is in ``_formats``. Paths are paths in Pyodide's file
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
from pyodide.ffi import JsException, create_proxy, to_js

from . import loader
from ._exif import exif_bytes
from ._formats import (
    png_level,
    png_with_metadata,
    webp_with_xmp,
)
from ._jpeg2000 import J2kSave
from ._jpegsave import SourceFacts
from ._jpegsave import finish as jpeg_finish
from ._jpegsave import plan as jpeg_plan
from .errors import EXCEPTION_FOR_NAME, ImageFileError


def webp_metadata(params: dict[str, Any]) -> tuple[Any, Any]:
    """Pillow's WebP ``icc_profile`` and ``exif`` save options as JS arrays
    (``exif`` without its "Exif\\0\\0" start, as Pillow writes it), or None."""
    icc = params.get("icc_profile") or None
    exif = params.get("exif")
    exif = exif_bytes(exif) if exif is not None else None
    if exif:
        exif = exif[6:] if exif.startswith(b"Exif\x00\x00") else exif
    return (None if icc is None else to_uint8array(icc)), (to_uint8array(exif) if exif else None)


def to_uint8array(data: Buffer) -> Any:
    """A JS ``Uint8Array`` copy of ``data``."""
    return to_js(memoryview(data))


def _call_codecs(method: str, *args: Any) -> Any:
    """Calls an export of the codecs module. Its errors become the exception
    their ``name`` stands for; a trap (a bug in a decoder, never the user's
    doing) restarts the module and is reported as ``ImageFileError``: the
    images the user holds live in ``rust_image`` and are not affected."""
    return _call_export(getattr(loader.codecs().exports, method), *args)


def _call_export(function: Any, *args: Any) -> Any:
    """``_call_codecs`` of an export already looked up."""
    try:
        return function(*args)
    except JsException as error:
        name = str(getattr(error, "name", ""))
        message = str(getattr(error, "message", error))
        if name == "RuntimeError":
            loader.release_codecs(trapped=True)
            raise ImageFileError(f"the picture codec failed on this file ({message}); it was restarted") from None
        raise EXCEPTION_FOR_NAME.get(name, ValueError)(message) from None


def _call_codecs_on(method: str, data: Buffer, *args: Any) -> Any:
    """``_call_codecs(method, data, *args)`` with ``data`` handed over as a
    view of its bytes in Pyodide's memory instead of a JS copy (for a
    12-megapixel JPEG, 0.1 ms against 1.3 ms): the export's glue copies them
    into the codecs module's memory before any Python runs. The module is
    instantiated before the view is made, since that may grow Pyodide's
    memory, which detaches views; a view detached all the same (the JS
    TypeError says so) is replaced by a copy and the call made again."""
    function = getattr(loader.codecs().exports, method)
    bytes_view = memoryview(data)
    if bytes_view.c_contiguous:
        # Any: the PyProxy's own JS methods (getBuffer) are not in Pyodide's stubs.
        proxy: Any = create_proxy(bytes_view.cast("B"))
        try:
            buffer = proxy.getBuffer("u8")
            try:
                return _call_export(function, buffer.data, *args)
            except TypeError as error:
                if "detached" not in str(error):
                    raise
            finally:
                buffer.release()
        finally:
            proxy.destroy()
    return _call_export(function, to_uint8array(bytes_view), *args)


def decode(
    data: bytes, max_side: int, max_pixels: int, load_truncated: bool = False, decoder: str = "decode", *extra: Any
) -> tuple[int, int, Any]:
    """Decodes a picture file: its width, height and the ``Picture`` holding
    its RGBA pixels in the codecs module's memory (``free()`` it after
    copying them out with ``pixels_view``). With ``load_truncated``
    (Pillow's ``ImageFile.LOAD_TRUNCATED_IMAGES``) a truncated file gives
    what its data holds. A refused file may have grown the module's memory
    before its error was found: it is released too. ``decoder`` names the
    codecs module's export (``"decode_jpeg_cmyk"``: a CMYK JPEG's four
    components, as Pillow reads them, instead of RGBA); ``extra`` are that
    export's further arguments (``"decode_jpeg_draft"``: the scale and the
    colour Pillow's ``draft`` chose)."""
    try:
        picture = _call_codecs_on(decoder, data, max_side, max_pixels, load_truncated, *extra)
    except Exception:
        loader.release_codecs()
        raise
    return int(picture.width), int(picture.height), picture


def decode_gif_frame(
    data: bytes,
    size: tuple[int, int],
    interlaced: bool,
    transparency: int,
    limits: tuple[int, int],
    load_truncated: bool,
) -> tuple[bytes, bytes]:
    """A GIF frame's palette indices, from ``data`` (its LZW code size byte
    and the sub-blocks after it): ``size`` indices row after row, and a
    mask (255 where the decoder writes, 0 where it leaves the pixel under
    it: the ``transparency`` index, -1 for none, or past a truncated
    stream; empty when it writes every pixel). ``limits`` are rust_image's
    ``max_side`` and ``max_pixels``, checked against the frame's size."""
    try:
        frame = _call_codecs(
            "decode_gif_frame", to_uint8array(data), 0, *size, interlaced, transparency, *limits, load_truncated
        )
        try:
            return bytes(frame.indices().to_py()), bytes(frame.mask().to_py())
        finally:
            frame.free()
    finally:
        loader.release_codecs()


def encode_gif_lzw(indices: bytes, size: tuple[int, int], interlaced: bool) -> bytes:
    """A GIF frame's image data as Pillow writes it: the code size byte (8)
    and the LZW codes of ``indices`` (``size``, a byte a pixel) in
    sub-blocks, rows in interlaced order when ``interlaced``."""
    data = _call_codecs("encode_gif_lzw", to_uint8array(indices), *size, interlaced)
    loader.release_codecs()
    return b"\x08" + bytes(data.to_bytes())


def encode_tiff_strip(data: bytes, compression: int, width: int, rows: int) -> bytes:
    """One strip of a TIFF, ``rows`` rows of ``data`` compressed with the
    TIFF ``compression`` number (5 LZW, 8 or 32946 deflate, 32773 PackBits;
    2, 3 and 4 CCITT fax of bilevel rows of ``width`` pixels, 1 bits black)."""
    coded = _call_codecs("encode_tiff_strip", to_uint8array(data), compression, width, rows)
    loader.release_codecs()
    return bytes(coded.to_bytes())


def decode_webp_frames(data: bytes, first: int, count: int, limits: tuple[int, int]) -> tuple[list[bytes], list[int]]:
    """The composed RGBA canvases of frames ``first`` to ``first + count``
    (fewer past the last) of an animated WebP, and every frame's duration
    in milliseconds; ``limits`` as ``decode_gif_frame`` takes them."""
    try:
        frames = _call_codecs("decode_webp_frames", to_uint8array(data), first, count, *limits)
        try:
            canvases = [bytes(frames.canvas(index).to_py()) for index in range(int(frames.count()))]
            return canvases, [int(value) for value in frames.durations().to_py()]
        finally:
            frames.free()
    finally:
        loader.release_codecs()


def encode_webp_animation(
    mode: str, frames: bytes, size: tuple[int, int], durations: list[int], params: dict[str, Any]
) -> bytes:
    """An animated WebP of ``frames`` (pictures in ``mode``'s layout, one
    after the other), lossless, with Pillow's ``loop``, ``background``
    (checked: an RGBA tuple), ``icc_profile`` and ``exif``."""
    background = params["background"]
    data = _call_codecs(
        "encode_webp_animation",
        mode,
        to_uint8array(frames),
        *size,
        to_js(durations),
        params.get("loop", 0),
        to_js(list(background)),
        *webp_metadata(params),
    )
    loader.release_codecs()
    return bytes(data.to_bytes())


def pixels_view(picture: Any) -> Any:
    """A ``Uint8Array`` over a decoded picture's pixels, valid until the next
    call into the codecs module."""
    return js.Uint8Array.new(loader.codecs().memory.buffer, picture.ptr(), picture.len())


def encode(
    format: str,
    mode: str,
    pixels: Any,
    size: tuple[int, int],
    params: dict[str, Any],
    info: dict[str, Any],
    source: SourceFacts | None = None,
    stored_rgba: bool = False,
) -> bytes:
    """A ``format`` file ("PNG", "JPEG" or "WEBP", lossless) of ``pixels`` in ``mode``'s
    layout (a JS ``Uint8Array``), with Pillow's options for that format and
    the metadata Pillow writes from them and the image's ``info``. A JPEG's
    ``mode`` is Pillow's ("1", "L", "RGB", "RGBX", "CMYK", "YCbCr"), its
    pixels in the layout the encoder takes (``_jpegsave.ENCODER_MODE``), or
    with ``stored_rgba`` an "RGB" or "RGBX" image's stored RGBA bytes (not
    for ``keep_rgb``, whose components go as given), and ``source`` what
    ``"keep"`` reuses."""
    width, height = size
    if format == "JPEG":
        encoder_mode, options, layout = jpeg_plan(mode, size, params, source)
        if stored_rgba and encoder_mode == "RGB":
            encoder_mode = "RGBA"
        arguments = [to_js(value) if isinstance(value, list) else value for value in options]
        data = _call_codecs("encode_jpeg", encoder_mode, pixels, width, height, *arguments)
        loader.release_codecs()
        return jpeg_finish(bytes(data.to_bytes()), layout, params, info)
    if format == "WEBP":
        data = _call_codecs("encode_webp", mode, pixels, width, height, *webp_metadata(params))
        loader.release_codecs()
        xmp = params.get("xmp")
        return webp_with_xmp(bytes(data.to_bytes()), bytes(xmp), size) if xmp else bytes(data.to_bytes())
    data = _call_codecs("encode_png", mode, pixels, width, height, png_level(params))
    loader.release_codecs()
    return png_with_metadata(bytes(data.to_bytes()), mode, params, info)


def decode_fli_frame(data: bytes, offset: int, size: tuple[int, int], canvas: bytes, load_truncated: bool) -> bytes:
    """The palette indices of the FLI or FLC frame at byte ``offset`` of
    ``data``, drawn over ``canvas`` (the frame before's ``size`` indices);
    Pillow's errors for a damaged frame (with ``load_truncated``, what was
    decoded instead)."""
    try:
        indices = _call_codecs(
            "decode_fli_frame", to_uint8array(data), offset, *size, to_uint8array(canvas), load_truncated
        )
        return bytes(indices.to_py())
    finally:
        loader.release_codecs()


def decode_tiles(
    data: bytes,
    mode: str,
    size: tuple[int, int],
    tiles: list[float],
    limits: tuple[int, int],
    load_truncated: bool,
) -> tuple[int, int, Any]:
    """Decodes a picture stored as planes (PSD's composite image or a
    layer): ``tiles`` holds 8 numbers a tile (codec 0 raw or 1 PackBits,
    x0, y0, x1, y1, offset, band, inverted), drawn into a ``size`` picture
    of ``mode`` as Pillow's ``raw`` and ``packbits`` decoders draw them.
    Returns what ``decode`` returns."""
    try:
        picture = _call_codecs(
            "decode_tiles",
            to_uint8array(data),
            mode,
            *size,
            js.Float64Array.new(to_js(tiles)),
            *limits,
            load_truncated,
        )
    except Exception:
        loader.release_codecs()
        raise
    return int(picture.width), int(picture.height), picture


def encode_jpeg2000(mode: str, pixels: Any, size: tuple[int, int], save: J2kSave) -> bytes:
    """A lossless JPEG 2000 file of ``pixels`` (``mode``'s layout: "L", "LA",
    "RGB" or "RGBA") as ``save`` (``jpeg2000.jpeg2000_save``) asks."""
    comment = None if save.comment is None else to_uint8array(save.comment)
    data = _call_codecs("encode_jpeg2000", mode, pixels, *size, save.jp2, save.resolutions, save.mct, comment)
    loader.release_codecs()
    return bytes(data.to_bytes())
