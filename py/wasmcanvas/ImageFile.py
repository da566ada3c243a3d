"""Pillow's ``PIL.ImageFile``: the class of images read from files, whose
pixels are decoded when first used, as Pillow decodes them at ``load()``.

``Image.open`` reads the header (format, mode, size and ``info``) and
returns an instance of the format's class (``PngImagePlugin.PngImageFile``
and the others, subclasses of ``ImageFile``); a truncated or damaged file
raises at the first use of its pixels or at ``load()``, as in Pillow.
Palette files open as Pillow's "P" (GIF, palette PNG and BMP), with
their palette read from the header; bilevel files as "1", 16-bit grey
PNGs as "I;16".

>>> im = Image.open("photo.jpg")
>>> isinstance(im, ImageFile.ImageFile), im.format_description
(True, 'JPEG (ISO 10918)')
>>> im.load()[0, 0]
(192, 112, 49)
"""

from __future__ import annotations

import io
import os
import struct
from typing import IO, Any, ClassVar, NamedTuple

from . import Image, ImagePalette, loader
from . import _files as files
from . import module as _module
from ._formats import dib_as_bmp
from ._headers import read_header
from ._mapping import maps_file
from ._pycodecs import PyCodec, PyCodecState, PyDecoder, PyEncoder
from .errors import ImageFileError, UnidentifiedImageError
from .module import call_rust, rust

__all__ = ["ERRORS", "LOAD_TRUNCATED_IMAGES", "MAXBLOCK", "SAFEBLOCK", "ImageFile", "Parser"]


class _Tile(NamedTuple):
    """One entry of ``im.tile`` (Pillow's): the codec that decodes a region,
    the region ``(x0, y0, x1, y1)``, where its data starts in the file and
    the codec's arguments (the raw mode first).

    >>> _Tile("zip", (0, 0, 7, 5), 33, "RGB").codec_name
    'zip'
    """

    codec_name: str
    extents: tuple[int, int, int, int] | None
    offset: int = 0
    args: tuple[Any, ...] | str | None = None


LOAD_TRUNCATED_IMAGES = False
"""Pillow's switch for loading a truncated file: True gives the pixels its
data holds, the rest zero (black, or transparent with alpha), for PNG, JPEG
(the decoder fills the rest), raw Netpbm and uncompressed BMP; the files
Pillow's Python decoders read (plain Netpbm, RLE BMP) still raise, as there."""

MAXBLOCK = 65536
SAFEBLOCK = 1024 * 1024

ERRORS = {
    -1: "image buffer overrun error",
    -2: "decoding error",
    -3: "unknown error",
    -8: "bad configuration",
    -9: "out of memory error",
}
"""Pillow's messages for its C decoders' error codes."""


def _safe_read(fp: IO[bytes], size: int) -> bytes:
    """``size`` bytes of ``fp``, read in blocks of ``SAFEBLOCK`` at most so
    that a size a file claims is not trusted; ``OSError`` "Truncated File
    Read" when it has fewer, as Pillow's.

    >>> _safe_read(io.BytesIO(b"abc"), 2)
    b'ab'
    """
    if size <= 0:
        return b""
    blocks: list[bytes] = []
    remaining = size
    while remaining > 0:
        block = fp.read(min(remaining, SAFEBLOCK))
        if not block:
            break
        blocks.append(block)
        remaining -= len(block)
    if remaining > 0:
        raise OSError("Truncated File Read")
    return b"".join(blocks)


# Pillow's ImageFile reaches the check through Image, as ImageFont does here.
_decompression_bomb_check = Image._decompression_bomb_check


def _within_limits(size: tuple[int, int]) -> bool:
    max_side, max_pixels = Image.size_limits()
    return 0 < size[0] <= max_side and 0 < size[1] <= max_side and size[0] * size[1] <= max_pixels


class ImageFile(Image.Image):
    """An image read from a file (Pillow's ``ImageFile.ImageFile``): its
    header is read, its pixels are decoded at ``load()`` or their first use."""

    format_description: ClassVar[str | None] = None
    _mimetype: ClassVar[str | None] = None
    filename: str = ""
    _pending: bytes | None = None
    _size: tuple[int, int] = (0, 0)
    custom_mimetype: str | None = None
    fp: Any = None
    """The file read (Pillow's): open while the image is, when ``Image.open``
    opened it from a path, until ``load()``, ``close()`` or the end of a
    ``with`` block; the caller's file object when given one; else None."""
    _exclusive_fp = False
    tile: list[_Tile]
    """Where the pixels are in the file (Pillow's): the regions to decode
    and their codecs, read at open; ``[]`` once loaded."""
    _maps_file = 0
    """1 where Pillow memory-maps this file at load (``_mapping``): the
    ``readonly`` the image has once loaded."""
    _until_loaded = False
    _codec_decoder = "decode"
    """The codecs module's export that decodes the file into the bytes this
    image's mode stores (RGBA for all but a CMYK JPEG)."""
    decoderconfig: tuple[Any, ...] = ()
    """Pillow's decoder arguments a format's ``draft`` set (JPEG: the scale
    and 0); empty until then."""

    def _codec_arguments(self) -> tuple[Any, ...]:
        """What the decoder export takes after the file, the limits and
        ``load_truncated`` (JPEG 2000: its ``reduce``)."""
        return ()

    def __init__(self, fp: Any, filename: str | bytes | None = None) -> None:
        """Reads ``fp`` (a path or a binary file object) as a file of this
        class's format, as Pillow's plugin classes do; ``SyntaxError`` when
        it is not one.

        >>> JpegImagePlugin.JpegImageFile("photo.jpg").size
        (640, 480)
        """
        from ._formats import read_source, sniff_format

        exclusive = isinstance(fp, (str, os.PathLike))
        data, _name = read_source(fp)
        format = self.format or ""
        if sniff_format(data) != format:
            raise SyntaxError(f"not a {format} file")
        self._check_header(data)
        name = filename if filename is not None else (fp if exclusive else getattr(fp, "name", ""))
        made = type(self)._from_file(data, format, os.fsdecode(name) if isinstance(name, (str, bytes)) else "")
        state = dict(made.__dict__)
        made._raw = made._pending = None
        self.__dict__.update(state)
        self.fp = None if exclusive else fp
        self._maps_file = int(exclusive and maps_file(data, format, self._mode))

    def _after_open(self) -> None:
        """What a format's opener does after reading the header (Pillow's
        JPEG opener warns of a malformed MPO index)."""

    def _check_header(self, data: bytes) -> None:
        """What a format's class refuses before reading a file it was
        constructed with (Pillow's ``_open`` raising ``SyntaxError``)."""

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile:
        if format == "DIB":
            # The decoders read a DIB as the BMP it is with a file header.
            data, format = dib_as_bmp(data), "BMP"
        header = read_header(data, format)
        if header.size is not None:
            _decompression_bomb_check(header.size)
        image = cls.__new__(cls)
        image._own(None)
        image.info = header.info
        image.format = cls.format or format
        image.filename = filename
        image._pending = data
        image.tile = []
        # Pillow's "until we know better": loading decides.
        image.readonly = 1
        image._until_loaded = True
        image._size = header.size or (0, 0)
        image._mode = header.mode or "RGBA"
        if header.mode == "P":
            image.palette = ImagePalette.raw("RGB", header.palette or b"")
        image._read_header_extras()
        if image._decodes_at_open(header):
            image._decode(keep_mode=header.mode is not None)
        return image

    # Whether this format's decoder writes every fourth byte 255 in a file it
    # decodes whole: the image then needs no pass setting them (7 ms for 12
    # megapixels). A file cut short, read with LOAD_TRUNCATED_IMAGES, is
    # settled all the same.
    _decoded_opaque = False

    def _decodes_at_open(self, header: Any) -> bool:
        """Whether the file is decoded at once: the decoder names what is
        wrong with a header this could not read (and then gives the mode),
        or a size beyond wasmcanvas's limits, at no cost."""
        return header.mode is None or header.size is None or not _within_limits(header.size)

    def _read_header_extras(self) -> None:
        """What a format's class adds to ``info`` from the header's facts
        (JPEG: the dpi its EXIF gives)."""

    def _decode(self, keep_mode: bool = True) -> None:
        """Decodes the pending file into ``rust_image``; on failure the file
        stays pending, so that the next use raises the same error."""
        data = self._pending
        if data is None:
            return
        if any(tile.codec_name in Image.DECODERS for tile in self.tile):
            self._decode_tiles(data)
            return
        narrow = any(
            tile.extents is not None and tile.extents[2] - tile.extents[0] < self._size[0] for tile in self.tile
        )
        if narrow and _within_limits(self._size):
            # A tile narrower than the image (set by the caller), which
            # Pillow's decoders refuse as they would overrun their row buffer
            # (beyond the limits, the decoder names the size instead).
            raise OSError("broken data stream when reading image file")
        module = rust()
        width, height, picture = files.decode(
            data,
            module.max_image_side(),
            int(module.max_image_pixels()),
            bool(LOAD_TRUNCATED_IMAGES),
            *self._decoder_call(),
        )
        stored_mode = str(picture.mode)
        try:
            if not keep_mode and stored_mode != "RGBA":
                self._mode = stored_mode
                if stored_mode == "P":
                    self.palette = ImagePalette.raw("RGB", bytes(picture.palette().to_py()))
                keep_mode = True
            raw = call_rust(module.RgbaImage.from_bytes, "RGBA", width, height, files.pixels_view(picture))
        finally:
            picture.free()
            loader.release_codecs()
        self._pending = None
        self.tile = []
        self._own(raw)
        if not keep_mode:
            opaque = self._call("extrema", None).to_py()[6] == 255
            self._mode = "RGB" if opaque else "RGBA"
        if not (self._decoded_opaque and not LOAD_TRUNCATED_IMAGES):
            self._settle()

    def _decoder_call(self) -> tuple[Any, ...]:
        """The codecs module's export that decodes this file, then its
        arguments after the common ones (a JPEG's draft adds its scale)."""
        return (self._codec_decoder, *self._codec_arguments())

    def _decode_tiles(self, data: bytes) -> None:
        """Pillow's ``load`` through the decoders ``im.tile`` names, when
        one is a Python decoder ``Image.register_decoder`` registered: each
        tile's decoder fed the file from its offset, ``MAXBLOCK`` bytes at a
        time, until it says it is done; a file that ends first raises, or
        with ``LOAD_TRUNCATED_IMAGES`` keeps what was decoded."""
        from . import _imaging

        target = _imaging.new(self._mode, self._size)
        error = 0
        for tile in sorted(self.tile, key=lambda tile: tile.offset):
            decoder = Image._getdecoder(self._mode, tile.codec_name, tile.args)
            stream = io.BytesIO(data)
            stream.seek(tile.offset)
            try:
                decoder.setimage(target, tile.extents)
                if decoder.pulls_fd:
                    decoder.setfd(stream)
                    error = decoder.decode(b"")[1]
                    continue
                buffer = b""
                while True:
                    block = stream.read(MAXBLOCK)
                    if not block:
                        if LOAD_TRUNCATED_IMAGES:
                            break
                        raise OSError(f"image file is truncated ({len(buffer)} bytes not processed)")
                    buffer += block
                    consumed, error = decoder.decode(buffer)
                    if consumed < 0:
                        break
                    buffer = buffer[consumed:]
            finally:
                decoder.cleanup()
        if error < 0 and not LOAD_TRUNCATED_IMAGES:
            raise OSError(f"{ERRORS.get(error, f'decoder error {error}')} when reading image file")
        decoded = target._take()
        self._pending = None
        self.tile = []
        self._own(decoded._raw)
        decoded._raw = None
        self._settle()

    @property
    def raw(self) -> Any:
        if self._pending is not None and self._raw is None:
            self._decode()
        raw = super().raw
        if self._until_loaded:
            self._until_loaded = False
            self.readonly = self._maps_file
        return raw

    @property
    def closed(self) -> bool:
        return self._raw is None and self._pending is None

    @property
    def width(self) -> int:
        return self._size[0] if self._pending is not None else super().width

    @property
    def height(self) -> int:
        return self._size[1] if self._pending is not None else super().height

    def _take_decoded(self, raw: Any, generation: int) -> None:
        """The pixels a load or a frame decoded (an ``RgbaImage`` made in
        ``generation`` of the module) become this image's; the old ones,
        if any, are freed."""
        old, self._raw = self._raw, raw
        self._generation = generation
        if old is not None:
            old.free()

    def _close_fp(self) -> None:
        if self._exclusive_fp and self.fp is not None:
            self.fp.close()
        self.fp = None

    def close(self) -> None:
        """Frees the pixels and closes the file ``Image.open`` opened."""
        self._close_fp()
        self._pending = None
        super().close()

    def __exit__(self, *exc_info: object) -> None:
        """Closes the file ``Image.open`` opened; the pixels stay, as Pillow's."""
        self._close_fp()

    def load(self) -> Image.PixelAccess:
        """Decodes the pixels (once) and returns Pillow's pixel access object;
        the file ``Image.open`` opened is closed then, all of it being read."""
        self.raw  # noqa: B018  (decodes the file if it is still pending)
        self._close_fp()
        return super().load()

    def __getstate__(self) -> list[Any]:
        return [*super().__getstate__(), self.filename]

    def __setstate__(self, state: list[Any]) -> None:
        if len(state) > 5:
            self.filename = state[5]
        super().__setstate__(state)

    def verify(self) -> None:
        """Checks that the file decodes, as Pillow's ``verify`` checks it."""
        self.load()

    def get_format_mimetype(self) -> str | None:
        """The file's MIME type (``"image/png"``)."""
        return self.custom_mimetype or self._mimetype


class Parser:
    """Pillow's incremental reader: ``feed`` bytes as they arrive, ``close``
    returns the image (loaded).

    >>> data = open("photo.png", "rb").read()
    >>> parser = ImageFile.Parser()
    >>> parser.feed(data[:1000]); parser.feed(data[1000:])
    >>> parser.close().size
    (640, 480)
    """

    def __init__(self) -> None:
        self._data = bytearray()
        self.image: Image.Image | None = None
        self.finished = False

    def reset(self) -> None:
        """Pillow refuses a second ``reset``; starting afresh is all it does."""
        self._data.clear()
        self.image = None
        self.finished = False

    def feed(self, data: bytes) -> None:
        """Adds bytes of the file."""
        if self.finished:
            return
        self._data += data

    def close(self) -> Image.Image:
        """The image of the bytes fed, loaded; ``OSError`` if they are not one."""
        self.finished = True
        try:
            image = Image.open(io.BytesIO(bytes(self._data)))
            image.load()
        except (ValueError, ImageFileError) as error:
            raise OSError("image was incomplete") from error
        self.image = image
        return image


def plugin_classes() -> dict[str, type[ImageFile]]:
    """Each format wasmcanvas reads and the class of its files (what
    ``Image.init`` registers in Pillow's ``Image.OPEN``)."""
    from . import (
        BmpImagePlugin,
        CurImagePlugin,
        FliImagePlugin,
        GifImagePlugin,
        IcnsImagePlugin,
        IcoImagePlugin,
        Jpeg2KImagePlugin,
        JpegImagePlugin,
        PcxImagePlugin,
        PngImagePlugin,
        PpmImagePlugin,
        PsdImagePlugin,
        SgiImagePlugin,
        TgaImagePlugin,
        TiffImagePlugin,
        WebPImagePlugin,
    )

    classes: dict[str, type[ImageFile]] = {
        "PNG": PngImagePlugin.PngImageFile,
        "JPEG": JpegImagePlugin.JpegImageFile,
        "GIF": GifImagePlugin.GifImageFile,
        "BMP": BmpImagePlugin.BmpImageFile,
        "DIB": BmpImagePlugin.DibImageFile,
        "WEBP": WebPImagePlugin.WebPImageFile,
        "PPM": PpmImagePlugin.PpmImageFile,
        "TGA": TgaImagePlugin.TgaImageFile,
        "PCX": PcxImagePlugin.PcxImageFile,
        "ICO": IcoImagePlugin.IcoImageFile,
        "CUR": CurImagePlugin.CurImageFile,
        "ICNS": IcnsImagePlugin.IcnsImageFile,
        "TIFF": TiffImagePlugin.TiffImageFile,
        "SGI": SgiImagePlugin.SgiImageFile,
        "FLI": FliImagePlugin.FliImageFile,
        "PSD": PsdImagePlugin.PsdImageFile,
        "JPEG2000": Jpeg2KImagePlugin.Jpeg2KImageFile,
    }
    return classes


def _class_for(format: str) -> type[ImageFile]:
    return plugin_classes()[format]


def open_file(data: bytes, format: str, filename: str, from_path: bool = False) -> ImageFile:
    """What ``Image.open`` returns for a file of ``format`` (checked
    readable); ``from_path`` when it was opened from a path (which Pillow
    may memory-map)."""
    _module.rust()
    try:
        image = _class_for(format)._from_file(data, format, filename)
    except (SyntaxError, IndexError, TypeError, struct.error) as error:
        # Pillow's opener takes these from a plugin as its refusal of the file.
        name = f" {filename!r}" if filename else ""
        raise UnidentifiedImageError(f"cannot identify image file{name}: {error}") from error
    image._after_open()
    image._maps_file = int(from_path and maps_file(data, format, image.mode))
    return image


# Pillow's Python codec API lives in ``_pycodecs``; Pillow's code reaches it here.
__all__ += ["PyCodec", "PyCodecState", "PyDecoder", "PyEncoder"]
