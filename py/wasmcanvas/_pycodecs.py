"""Pillow's Python codec API (``ImageFile.PyDecoder``, ``PyEncoder``,
``PyCodec``, ``PyCodecState``), with the raw codecs of wasmcanvas's core
(``Image.core.raw_decoder`` and ``raw_encoder``) built on it.

A codec is made with its mode and arguments, given a core image and the
box it works on (``setimage``), then ``decode``\\s bytes into it or
``encode``\\s it into bytes; ``Image.register_decoder`` and
``register_encoder`` name one for ``Image._getdecoder``, ``_getencoder``
and ``tobytes``:

>>> from wasmcanvas import Image, ImageFile
>>> class Upper(ImageFile.PyEncoder):
...     def encode(self, bufsize):
...         return 2, 1, b"OK"
>>> Image.register_encoder("UPPER", Upper)
>>> Image.new("L", (1, 1)).tobytes("UPPER")
b'OK'
"""

from __future__ import annotations

import os
from typing import IO, TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._imaging import ImagingCore

__all__ = ["PyCodec", "PyCodecState", "PyDecoder", "PyEncoder", "RawDecoder", "RawEncoder"]


class PyCodecState:
    """The box a codec works on: ``xoff``, ``yoff``, ``xsize``, ``ysize``."""

    def __init__(self) -> None:
        self.xsize = 0
        self.ysize = 0
        self.xoff = 0
        self.yoff = 0

    def extents(self) -> tuple[int, int, int, int]:
        """``(x0, y0, x1, y1)``."""
        return self.xoff, self.yoff, self.xoff + self.xsize, self.yoff + self.ysize


class PyCodec:
    """What decoders and encoders share: ``mode``, ``args`` (from
    ``init``), ``state``, the core image ``im`` and the file ``fd``."""

    fd: IO[bytes] | None

    def __init__(self, mode: str, *args: Any) -> None:
        self.im: ImagingCore | None = None
        self.state = PyCodecState()
        self.fd = None
        self.mode = mode
        self.init(args)

    def init(self, args: tuple[Any, ...]) -> None:
        """Keeps ``args``; override for codec-specific set-up."""
        self.args = args

    def cleanup(self) -> None:
        """Called when the codec is done, also after an error; override
        to release what it holds."""

    def setfd(self, fd: IO[bytes]) -> None:
        """The Python file object the codec reads or writes."""
        self.fd = fd

    def setimage(self, im: ImagingCore, extents: tuple[int, int, int, int] | None = None) -> None:
        """The core image to fill or read, and the box ``(x0, y0, x1, y1)``
        of it to work on (all of it by default)."""
        self.im = im
        if extents:
            x0, y0, x1, y1 = extents
            if x0 < 0 or y0 < 0 or x1 > im.size[0] or y1 > im.size[1]:
                raise ValueError("Tile cannot extend outside image")
            self.state.xoff, self.state.yoff = x0, y0
            self.state.xsize, self.state.ysize = x1 - x0, y1 - y0
        else:
            self.state.xsize, self.state.ysize = im.size
        if self.state.xsize <= 0 or self.state.ysize <= 0:
            raise ValueError("Size must be positive")


class PyDecoder(PyCodec):
    """A decoder written in Python: override ``decode``."""

    _pulls_fd = False

    @property
    def pulls_fd(self) -> bool:
        """Whether ``decode`` reads ``fd`` itself instead of being fed."""
        return self._pulls_fd

    def decode(self, buffer: bytes | Any) -> tuple[int, int]:
        """``(bytes consumed, error code)``; -1 consumed when finished
        (codes as in ``ImageFile.ERRORS``)."""
        raise NotImplementedError("unavailable in base decoder")

    def set_as_raw(self, data: bytes | bytearray, rawmode: str | None = None, extra: tuple[Any, ...] = ()) -> None:
        """Fill the codec's box of its image from ``data``, pixels in
        ``rawmode`` (the codec's mode by default)."""
        from .Image import _getdecoder

        decoder = _getdecoder(self.mode, "raw", rawmode or self.mode, extra)
        if self.im is None:
            raise ValueError("no image: setimage() first")
        decoder.setimage(self.im, self.state.extents())
        consumed, error = decoder.decode(data)
        if consumed >= 0:
            raise ValueError("not enough image data")
        if error != 0:
            raise ValueError("cannot decode image data")


class PyEncoder(PyCodec):
    """An encoder written in Python: override ``encode``."""

    _pushes_fd = False

    @property
    def pushes_fd(self) -> bool:
        """Whether ``encode`` writes to ``fd`` itself."""
        return self._pushes_fd

    def encode(self, bufsize: int) -> tuple[int, int, bytes]:
        """``(bytes encoded, error code, bytes)``; error code 1 when
        finished (codes as in ``ImageFile.ERRORS``)."""
        raise NotImplementedError("unavailable in base encoder")

    def encode_to_pyfd(self) -> tuple[int, int]:
        """For an encoder that ``pushes_fd``: ``encode`` once and write
        what it gives to ``fd``; ``(bytes consumed, error code)``."""
        if not self.pushes_fd:
            return 0, -8  # Pillow's "bad configuration"
        consumed, error, data = self.encode(0)
        if data:
            if self.fd is None:
                raise ValueError("no file: setfd() first")
            self.fd.write(data)
        return consumed, error

    def encode_to_file(self, fh: int, bufsize: int) -> int:
        """``encode`` into the OS file ``fh`` until finished; the last
        error code (0 when all went well)."""
        error = 0
        while error == 0:
            consumed, error, data = self.encode(bufsize)
            if consumed > 0:
                os.write(fh, data[:consumed])
        return error


def _own_layout(mode: str, rawmode: str | None) -> None:
    if rawmode not in (None, "", mode):
        raise ValueError(
            f"raw mode {rawmode!r} for mode {mode!r} is not supported: wasmcanvas's raw codecs "
            "take an image's own layout (convert() for another)"
        )


class RawDecoder(PyDecoder):
    """The core's raw decoder: bytes in the mode's own layout (as
    ``tobytes`` gives them) into the codec's box of its image, row by
    row; it takes one image (``setimage`` twice is a ``ValueError``)."""

    def init(self, args: tuple[Any, ...]) -> None:
        super().init(args)
        _own_layout(self.mode, args[0] if args else None)
        self._pending = bytearray()

    def setimage(self, im: ImagingCore, extents: tuple[int, int, int, int] | None = None) -> None:
        if self.im is not None:
            raise ValueError("decoder already has an image")
        super().setimage(im, extents)

    def decode(self, buffer: bytes | Any) -> tuple[int, int]:
        from . import _modes as modes
        from .Image import frombytes

        if self.im is None:
            raise ValueError("no image: setimage() first")
        data = bytes(buffer)
        self._pending += data
        size = (self.state.xsize, self.state.ysize)
        if len(self._pending) < modes.packed_size(self.mode, *size):
            return len(data), 0
        with frombytes(self.mode, size, bytes(self._pending)) as tile:
            self.im._image._call("paste", tile.raw, self.state.xoff, self.state.yoff)
        self._pending = bytearray()
        return -1, 0


class RawEncoder(PyEncoder):
    """The core's raw encoder: the codec's box of its image as bytes in
    the mode's own layout, at most ``bufsize`` bytes a call."""

    def init(self, args: tuple[Any, ...]) -> None:
        super().init(args)
        _own_layout(self.mode, args[0] if args else None)
        self._data: bytes | None = None

    def encode(self, bufsize: int) -> tuple[int, int, bytes]:
        if self.im is None:
            raise ValueError("no image: setimage() first")
        if self._data is None:
            from . import _modes as modes

            # Packed here, not by ``tobytes``, which may be given to a
            # Python encoder registered as "raw".
            box = self.state.extents()
            with self.im._image.crop(box) as part:
                self._data = modes.pack(part._carried(), part.mode, part.width)
        chunk, self._data = self._data[: max(bufsize, 1)], self._data[max(bufsize, 1) :]
        return len(chunk), 1 if not self._data else 0, chunk
