"""Pillow's ``PIL.PngImagePlugin``: the class of the PNG files ``Image.open``
returns, for code and tests that check ``isinstance(im, PngImagePlugin.PngImageFile)``.

>>> Image.new("RGB", (4, 4)).save("tiny.png")
>>> im = Image.open("tiny.png")
>>> isinstance(im, PngImagePlugin.PngImageFile), im.format_description
(True, 'Portable network graphics')
"""

from __future__ import annotations

import io
import re
import struct
import zlib
from typing import IO, TYPE_CHECKING, Any, NoReturn

from . import ImageFile as _ImageFile
from ._apng import ApngFrames, Blend, Disposal
from ._binary import i16be as i16
from ._binary import i32be as i32
from ._binary import o8
from ._binary import o16be as o16
from ._binary import o32be as o32
from ._headers import iTXt
from .ImageFile import ImageFile, _safe_read, _Tile

if TYPE_CHECKING:
    from . import Image

__all__ = [
    "MAX_TEXT_CHUNK",
    "MAX_TEXT_MEMORY",
    "Blend",
    "ChunkStream",
    "Disposal",
    "PngImageFile",
    "PngInfo",
    "PngStream",
    "getchunks",
    "i16",
    "i32",
    "iTXt",
    "is_cid",
    "o8",
    "o16",
    "o32",
    "putchunk",
]

# The eight bytes every PNG file starts with (Pillow's private name, which its tests use).
_MAGIC = b"\x89PNG\r\n\x1a\n"

MAX_TEXT_CHUNK = _ImageFile.SAFEBLOCK
"""The most a zTXt or iTXt chunk may inflate to (Pillow's guard against text bombs)."""
MAX_TEXT_MEMORY = 64 * MAX_TEXT_CHUNK
"""The most all of a file's text chunks may hold together."""

is_cid = re.compile(rb"\w\w\w\w").match
"""Whether 4 bytes can be a chunk type (Pillow's test: word characters)."""

# Pillow's mode and raw mode of each bit depth and colour type.
_MODES = {
    (1, 0): ("1", "1"),
    (2, 0): ("L", "L;2"),
    (4, 0): ("L", "L;4"),
    (8, 0): ("L", "L"),
    (16, 0): ("I;16", "I;16B"),
    (8, 2): ("RGB", "RGB"),
    (16, 2): ("RGB", "RGB;16B"),
    (1, 3): ("P", "P;1"),
    (2, 3): ("P", "P;2"),
    (4, 3): ("P", "P;4"),
    (8, 3): ("P", "P"),
    (8, 4): ("LA", "LA"),
    (16, 4): ("RGBA", "LA;16B"),
    (8, 6): ("RGBA", "RGBA"),
    (16, 6): ("RGBA", "RGBA;16B"),
}

# A palette's tRNS that gives one entry alpha 0 and the others 255.
_SIMPLE_PALETTE = re.compile(b"^\xff*\x00\xff*$")


def _truncated(message: str) -> bool:
    """Pillow's handling of a chunk shorter than its fields: ``ValueError``
    ``message``, or, with ``LOAD_TRUNCATED_IMAGES``, True (the chunk is skipped)."""
    if _ImageFile.LOAD_TRUNCATED_IMAGES:
        return True
    raise ValueError(message)


def _inflate_text(data: bytes) -> bytes:
    """A compressed text chunk's text, at most ``MAX_TEXT_CHUNK`` bytes
    (``ValueError`` beyond, as Pillow's); ``zlib.error`` if damaged."""
    inflater = zlib.decompressobj()
    text = inflater.decompress(data, MAX_TEXT_CHUNK)
    if inflater.unconsumed_tail:
        raise ValueError("Decompressed data too large for PngImagePlugin.MAX_TEXT_CHUNK")
    return text


class ChunkStream:
    """Reads a PNG's chunks from a binary file object (Pillow's): ``read``
    gives a chunk's type, where its data starts and its length; ``call``
    hands it to the ``chunk_<type>`` method, ``crc`` checks its CRC.

    >>> import io
    >>> png_bytes = open("photo.png", "rb").read()
    >>> stream = PngImagePlugin.ChunkStream(io.BytesIO(png_bytes[8:]))
    >>> stream.read()[0]
    b'IHDR'
    """

    def __init__(self, fp: IO[bytes]) -> None:
        self.fp: IO[bytes] | None = fp
        self.queue: list[tuple[bytes, int, int]] | None = []

    def read(self) -> tuple[bytes, int, int]:
        """The next chunk's type, data position and length (a chunk pushed
        back first); ``SyntaxError`` for a type that is not one, unless
        ``LOAD_TRUNCATED_IMAGES``; ``struct.error`` at the end of the data."""
        assert self.fp is not None
        if self.queue:
            cid, pos, length = self.queue.pop()
            self.fp.seek(pos)
        else:
            head = self.fp.read(8)
            cid = head[4:]
            pos = self.fp.tell()
            length = i32(head)
        if not is_cid(cid) and not _ImageFile.LOAD_TRUNCATED_IMAGES:
            raise SyntaxError(f"broken PNG file (chunk {cid!r})")
        return cid, pos, length

    def __enter__(self) -> ChunkStream:
        return self

    def __exit__(self, *args: object) -> None:
        self.close()

    def close(self) -> None:
        """Lets go of the file."""
        self.queue = self.fp = None

    def push(self, cid: bytes, pos: int, length: int) -> None:
        """Puts a chunk back to be read again."""
        assert self.queue is not None
        self.queue.append((cid, pos, length))

    def call(self, cid: bytes, pos: int, length: int) -> bytes:
        """Reads the chunk with its ``chunk_<type>`` method (``AttributeError``
        for a type without one) and returns its data."""
        handler = getattr(self, f"chunk_{cid.decode('ascii')}")
        data: bytes = handler(pos, length)
        return data

    def crc(self, cid: bytes, data: bytes) -> None:
        """Reads the chunk's CRC and checks it against its type and data:
        ``SyntaxError`` if wrong or missing. An ancillary chunk's is not
        checked with ``LOAD_TRUNCATED_IMAGES``, as in Pillow."""
        if _ImageFile.LOAD_TRUNCATED_IMAGES and cid[0] >> 5 & 1:
            self.crc_skip(cid, data)
            return
        assert self.fp is not None
        stored = self.fp.read(4)
        if len(stored) < 4:
            raise SyntaxError(f"broken PNG file (incomplete checksum in {cid!r})")
        if zlib.crc32(data, zlib.crc32(cid)) != i32(stored):
            raise SyntaxError(f"broken PNG file (bad header checksum in {cid!r})")

    def crc_skip(self, cid: bytes, data: bytes) -> None:
        """Reads past the chunk's CRC."""
        assert self.fp is not None
        self.fp.read(4)

    def verify(self, endchunk: bytes = b"IEND") -> list[bytes]:
        """Checks the CRC of every chunk up to ``endchunk`` and returns their
        types; ``OSError`` for a file that ends before it."""
        cids = []
        assert self.fp is not None
        while True:
            try:
                cid, _pos, length = self.read()
            except struct.error as error:
                raise OSError("truncated PNG file") from error
            if cid == endchunk:
                break
            self.crc(cid, _safe_read(self.fp, length))
            cids.append(cid)
        return cids


def putchunk(fp: IO[bytes], cid: bytes, *data: bytes) -> None:
    """Writes a PNG chunk to ``fp``: its length, type ``cid``, the ``data``
    parts joined, and the CRC of type and data, as Pillow's ``putchunk``.

    >>> out = io.BytesIO(); putchunk(out, b"IEND"); out.getvalue().hex()
    '0000000049454e44ae426082'
    """
    body = b"".join(data)
    fp.write(o32(len(body)) + cid + body + o32(zlib.crc32(cid + body)))


class PngInfo:
    """Chunks to write into a PNG at ``save(..., pnginfo=info)`` (Pillow's).

    >>> info = PngImagePlugin.PngInfo(); info.add_text("Author", "Ada")
    >>> Image.new("L", (4, 4)).save("signed.png", pnginfo=info)
    >>> Image.open("signed.png").text
    {'Author': 'Ada'}
    """

    def __init__(self) -> None:
        self.chunks: list[tuple[bytes, bytes, bool]] = []

    def add(self, cid: bytes, data: bytes, after_idat: bool = False) -> None:
        """Any chunk: its 4-byte type and its data."""
        self.chunks.append((cid, data, after_idat))

    def add_itxt(
        self, key: str | bytes, value: str | bytes, lang: str | bytes = "", tkey: str | bytes = "", zip: bool = False
    ) -> None:
        """A UTF-8 text chunk (iTXt), compressed when ``zip``."""
        key, value, lang, tkey = (
            part.encode("latin-1" if index == 0 else "utf-8", "strict") if isinstance(part, str) else part
            for index, part in enumerate((key, value, lang, tkey))
        )
        head = key + b"\0" + (b"\x01\0" if zip else b"\0\0") + lang + b"\0" + tkey + b"\0"
        self.add(b"iTXt", head + (zlib.compress(value) if zip else value))

    def add_text(self, key: str | bytes, value: str | bytes | iTXt, zip: bool = False) -> None:
        """A text chunk: tEXt (zTXt when ``zip``), or iTXt for text that is
        not latin-1 or an ``iTXt`` value."""
        if isinstance(value, iTXt):
            self.add_itxt(key, value, value.lang or "", value.tkey or "", zip=zip)
            return
        if isinstance(value, str):
            try:
                value = value.encode("latin-1", "strict")
            except UnicodeError:
                self.add_itxt(key, value, zip=zip)
                return
        if isinstance(key, str):
            key = key.encode("latin-1", "strict")
        if zip:
            self.add(b"zTXt", key + b"\0\0" + zlib.compress(value))
        else:
            self.add(b"tEXt", key + b"\0" + value)


class PngStream(ChunkStream):
    """The chunk reader ``Image.open`` reads a PNG's header with (Pillow's),
    kept as ``im.png`` until the image is loaded: what the chunks say is
    gathered in ``im_info``, ``im_text``, ``im_size``, ``im_mode``,
    ``im_palette`` and ``im_tile``.

    >>> import io
    >>> png_bytes = open("photo.png", "rb").read()
    >>> with PngImagePlugin.PngStream(io.BytesIO(png_bytes[8:])) as png:
    ...     cid, pos, length = png.read(); png.call(cid, pos, length)[:4]
    b'\\x00\\x00\\x02\\x80'
    """

    def __init__(self, fp: IO[bytes]) -> None:
        super().__init__(fp)
        self.im_info: dict[str, Any] = {}
        self.im_text: dict[str, str | iTXt] = {}
        self.im_size = (0, 0)
        self.im_mode = ""
        self.im_rawmode = ""
        self.im_tile: list[_Tile] = []
        self.im_palette: tuple[str, bytes] | None = None
        self.im_custom_mimetype: str | None = None
        self.im_n_frames: int | None = None
        self.im_idat = 0
        self._seq_num: int | None = None
        self.text_memory = 0

    def _data(self, length: int) -> bytes:
        assert self.fp is not None
        return _safe_read(self.fp, length)

    def check_text_memory(self, chunklen: int) -> None:
        """Counts text read; ``ValueError`` past ``MAX_TEXT_MEMORY``."""
        self.text_memory += chunklen
        if self.text_memory > MAX_TEXT_MEMORY:
            raise ValueError(f"Too much memory used in text chunks: {self.text_memory}>MAX_TEXT_MEMORY")

    def chunk_iCCP(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        at = data.find(b"\0")
        method = data[at + 1]
        if method != 0:
            raise SyntaxError(f"Unknown compression method {method} in iCCP chunk")
        profile: bytes | None
        try:
            profile = _inflate_text(data[at + 2 :])
        except ValueError:
            if not _ImageFile.LOAD_TRUNCATED_IMAGES:
                raise
            profile = None
        except zlib.error:
            profile = None
        self.im_info["icc_profile"] = profile
        return data

    def chunk_IHDR(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if length < 13:
            if _truncated("Truncated IHDR chunk"):
                return data
        self.im_size = i32(data, 0), i32(data, 4)
        self.im_mode, self.im_rawmode = _MODES.get((data[8], data[9]), (self.im_mode, self.im_rawmode))
        if data[12]:
            self.im_info["interlace"] = 1
        if data[11]:
            raise SyntaxError("unknown filter category")
        return data

    def chunk_IDAT(self, pos: int, length: int) -> NoReturn:
        if "bbox" in self.im_info:
            extents = self.im_info["bbox"]
        else:
            if self.im_n_frames is not None:
                self.im_info["default_image"] = True
            extents = (0, 0, *self.im_size)
        self.im_tile = [_Tile("zip", extents, pos, self.im_rawmode)]
        self.im_idat = length
        raise EOFError("image data found")

    def chunk_IEND(self, pos: int, length: int) -> NoReturn:
        raise EOFError("end of PNG image")

    def chunk_PLTE(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if self.im_mode == "P":
            self.im_palette = "RGB", data
        return data

    def chunk_tRNS(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if self.im_mode == "P":
            if _SIMPLE_PALETTE.match(data):
                if (index := data.find(b"\0")) >= 0:
                    self.im_info["transparency"] = index
            else:
                self.im_info["transparency"] = data
        elif self.im_mode in ("1", "L", "I;16", "RGB"):
            if length < (6 if self.im_mode == "RGB" else 2):
                if _truncated("Truncated tRNS chunk"):
                    return data
            if self.im_mode == "1":
                self.im_info["transparency"] = 255 if i16(data) else 0
            elif self.im_mode == "RGB":
                self.im_info["transparency"] = i16(data), i16(data, 2), i16(data, 4)
            else:
                self.im_info["transparency"] = i16(data)
        return data

    def chunk_gAMA(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if length < 4 and _truncated("Truncated gAMA chunk"):
            return data
        self.im_info["gamma"] = i32(data) / 100000.0
        return data

    def chunk_cHRM(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if length < 32 and _truncated("Truncated cHRM chunk"):
            return data
        self.im_info["chromaticity"] = tuple(value / 100000.0 for value in struct.unpack(">8I", data[:32]))
        return data

    def chunk_sRGB(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if length < 1 and _truncated("Truncated sRGB chunk"):
            return data
        self.im_info["srgb"] = data[0]
        return data

    def chunk_pHYs(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if length < 9 and _truncated("Truncated pHYs chunk"):
            return data
        px, py = i32(data, 0), i32(data, 4)
        if data[8] == 1:
            self.im_info["dpi"] = px * 0.0254, py * 0.0254
        elif data[8] == 0:
            self.im_info["aspect"] = px, py
        return data

    def chunk_tEXt(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        key, _, value = data.partition(b"\0")
        if key:
            name, text = key.decode("latin-1", "strict"), value.decode("latin-1", "replace")
            self.im_info[name] = value if key == b"exif" else text
            self.im_text[name] = text
            self.check_text_memory(len(text))
        return data

    def chunk_zTXt(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        key, _, value = data.partition(b"\0")
        method = value[0] if value else 0
        if method != 0:
            raise SyntaxError(f"Unknown compression method {method} in zTXt chunk")
        try:
            value = _inflate_text(value[1:])
        except ValueError:
            if not _ImageFile.LOAD_TRUNCATED_IMAGES:
                raise
            value = b""
        except zlib.error:
            value = b""
        if key:
            name, text = key.decode("latin-1", "strict"), value.decode("latin-1", "replace")
            self.im_info[name] = self.im_text[name] = text
            self.check_text_memory(len(text))
        return data

    def chunk_iTXt(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        key, found, rest = data.partition(b"\0")
        if not found or len(rest) < 2:
            return data
        compressed, method, rest = rest[0], rest[1], rest[2:]
        parts = rest.split(b"\0", 2)
        if len(parts) < 3:
            return data
        lang, tkey, value = parts
        if compressed:
            if method != 0:
                return data
            try:
                value = _inflate_text(value)
            except ValueError:
                if _ImageFile.LOAD_TRUNCATED_IMAGES:
                    return data
                raise
            except zlib.error:
                return data
        if key == b"XML:com.adobe.xmp":
            self.im_info["xmp"] = value
        try:
            name = key.decode("latin-1", "strict")
            text = iTXt(value.decode("utf-8", "strict"), lang.decode("utf-8", "strict"), tkey.decode("utf-8", "strict"))
        except UnicodeError:
            return data
        self.im_info[name] = self.im_text[name] = text
        self.check_text_memory(len(text))
        return data

    def chunk_eXIf(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        self.im_info["exif"] = b"Exif\x00\x00" + data
        return data

    def chunk_acTL(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if length < 8 and _truncated("APNG contains truncated acTL chunk"):
            return data
        frames = i32(data)
        if self.im_n_frames is not None or frames == 0 or frames > 0x80000000:
            # Pillow's warning for a second acTL or an impossible count.
            import warnings

            self.im_n_frames = None
            warnings.warn("Invalid APNG, will use default PNG image if possible", stacklevel=2)
            return data
        self.im_n_frames = frames
        self.im_info["loop"] = i32(data, 4)
        self.im_custom_mimetype = "image/apng"
        return data

    def chunk_fcTL(self, pos: int, length: int) -> bytes:
        data = self._data(length)
        if length < 26 and _truncated("APNG contains truncated fcTL chunk"):
            return data
        seq = i32(data)
        if (self._seq_num is None and seq != 0) or (self._seq_num is not None and self._seq_num != seq - 1):
            raise SyntaxError("APNG contains frame sequence errors")
        self._seq_num = seq
        width, height, px, py = i32(data, 4), i32(data, 8), i32(data, 12), i32(data, 16)
        if px + width > self.im_size[0] or py + height > self.im_size[1]:
            raise SyntaxError("APNG contains invalid frames")
        self.im_info["bbox"] = (px, py, px + width, py + height)
        numerator, denominator = i16(data, 20), i16(data, 22) or 100
        self.im_info["duration"] = float(numerator) / float(denominator) * 1000
        self.im_info["disposal"] = data[24]
        self.im_info["blend"] = data[25]
        return data

    def chunk_fdAT(self, pos: int, length: int) -> bytes:
        if length < 4:
            if _truncated("APNG contains truncated fDAT chunk"):
                return self._data(length)
        seq = i32(self._data(4))
        if self._seq_num != seq - 1:
            raise SyntaxError("APNG contains frame sequence errors")
        self._seq_num = seq
        self.chunk_IDAT(pos + 4, length - 4)


class PngImageFile(ApngFrames, ImageFile):  # type: ignore[override]
    """A PNG file read by ``Image.open``: its chunks up to the image data are
    read at open as Pillow reads them (``info``, ``private_chunks``, the
    ``png`` stream); the text after the image data at the first ``load()``
    (an APNG's frames, read as ``seek`` asks for them)."""

    format = "PNG"
    format_description = "Portable network graphics"
    _mimetype = "image/png"
    _text: dict[str, Any] | None = None
    png: PngStream | None = None
    private_chunks: list[tuple[bytes, bytes] | tuple[bytes, bytes, bool]]
    _ended = False

    def _read_header_extras(self) -> None:
        self._scan(self._pending or b"")

    def _scan(self, data: bytes) -> None:
        """Reads the chunks up to the first IDAT as Pillow's ``_open`` does.
        A file that ends before its image data is left to the decoder,
        which names what is missing."""
        self.private_chunks = []
        fp = io.BytesIO(data)
        fp.seek(8)
        png = PngStream(fp)
        cid, length = b"", 0
        try:
            while True:
                cid, pos, length = png.read()
                try:
                    chunk = png.call(cid, pos, length)
                except EOFError:
                    break
                except AttributeError:
                    chunk = _safe_read(fp, length)
                    if cid[1:2].islower():
                        self.private_chunks.append((cid, chunk))
                png.crc(cid, chunk)
        except (struct.error, OSError):
            pass
        self.png = png
        self.info = png.im_info
        self.tile = list(png.im_tile)
        self.custom_mimetype = png.im_custom_mimetype
        self._idat_left = length - 4 if cid == b"fdAT" else length

    @property
    def text(self) -> dict[str, Any]:
        """The file's text chunks (tEXt, zTXt, iTXt), those after the image
        data too: the image is loaded first, as in Pillow, so a damaged file
        raises here."""
        if self._text is None:
            self.load()
        return self._text if self._text is not None else {}

    def _decode(self, keep_mode: bool = True) -> None:
        tile = self.tile
        pending = self._pending is not None
        super()._decode(keep_mode)
        # An APNG's frames are drawn by ApngFrames, which leaves the tile: loaded, there is none.
        self.tile = []
        # Once: an APNG's later frames are decoded again on each seek.
        if pending and not self._ended:
            self._ended = True
            self._load_end(tile)

    def _load_end(self, tile: list[_Tile]) -> None:
        """Reads the chunks after the image data (``tile`` gives where it
        starts) as Pillow's ``load_end``: text and eXIf into ``info``,
        private chunks (marked as after IDAT)."""
        png = self.png
        if png is None or png.fp is None or not tile:
            self._text = dict(png.im_text) if png is not None else {}
            return
        fp = png.fp
        # A length claimed past the data's end reads as a file cut short.
        end = fp.seek(0, io.SEEK_END)
        fp.seek(min(tile[0].offset + self._idat_left, end))
        while True:
            fp.read(4)  # the CRC, which Pillow does not check here
            try:
                cid, pos, length = png.read()
            except (struct.error, SyntaxError):
                break
            if cid == b"IEND":
                break
            if cid == b"fcTL" and png.im_n_frames is not None:
                png.push(cid, pos, length)
                break
            try:
                png.call(cid, pos, length)
            except UnicodeDecodeError:
                break
            except EOFError:
                # More image data, skipped (not copied) up to the file's end.
                skip = length - 4 if cid == b"fdAT" else length
                if fp.tell() + skip > end:
                    if _ImageFile.LOAD_TRUNCATED_IMAGES:
                        break
                    raise OSError("Truncated File Read") from None
                fp.seek(skip, io.SEEK_CUR)
            except AttributeError:
                chunk = _safe_read(fp, length)
                if cid[1:2].islower():
                    self.private_chunks.append((cid, chunk, True))
        self._text = png.im_text
        if png.im_n_frames is None:
            png.close()
            self.png = None

    def verify(self) -> None:
        """Checks the CRC of each chunk from the image data to IEND without
        decoding (Pillow's): ``SyntaxError`` for a bad one, ``OSError`` for
        a file cut short; ``RuntimeError`` unless called right after open."""
        if self.fp is None:
            raise RuntimeError("verify must be called directly after open")
        if self.png is None or self.png.fp is None or not self.tile:
            # A header Pillow's reader would have refused at open, read to
            # no image data: the decoder names what is wrong, if anything.
            self.load()
            return
        self.png.fp.seek(self.tile[0].offset - 8)
        self.png.verify()
        self.png.close()
        self._close_fp()

    def _getexif(self) -> dict[int, Any] | None:
        """Pillow's ``_getexif``: IFD0 with the Exif directory's tags and
        the GPS directory as a dict under its tag; None without EXIF (the
        image is loaded first, for an eXIf chunk after the image data)."""
        if "exif" not in self.info:
            self.load()
        if "exif" not in self.info and "Raw profile type exif" not in self.info:
            return None
        return self.getexif()._get_merged_dict()

    def getexif(self) -> Image.Exif:
        """The EXIF (Pillow's): the image is loaded first when its header had
        none, as the eXIf chunk may follow the image data."""
        if "exif" not in self.info:
            self.load()
        return super().getexif()


def getchunks(im: Image.Image, **params: Any) -> list[tuple[bytes, bytes, bytes]]:
    """The chunks of ``im`` saved as PNG with ``params``: each chunk's type,
    data and CRC (4 bytes), as Pillow's ``getchunks``.

    >>> [cid for cid, _, _ in getchunks(Image.new("RGB", (1, 1)))]
    [b'IHDR', b'IDAT', b'IEND']
    """
    out = io.BytesIO()
    im.save(out, "PNG", **params)
    data = out.getvalue()
    chunks = []
    at = 8
    while at + 12 <= len(data):
        length, cid = i32(data, at), data[at + 4 : at + 8]
        chunks.append((cid, data[at + 8 : at + 8 + length], data[at + 8 + length : at + 12 + length]))
        at += 12 + length
    return chunks
