"""Picture file formats, in pure Python (no ``js``, no Pyodide: tested on
the host): which format a file is, which mode Pillow opens it in, which
format a file name asks for, Pillow's save options, and reading and writing
the bytes of paths and file objects. ``_files`` hands the bytes to the
codecs module.

>>> sniff_format(b"GIF89a...")
'GIF'
>>> save_format("holiday.JPG", None)
'JPEG'
"""

from __future__ import annotations

import itertools
import os
import struct
import sys
import zlib
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Buffer, Callable

from ._checks import require_int
from ._exif import exif_bytes
from .errors import UnidentifiedImageError

# The start of each format's files: enough to name what the user gave us.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"qoif", "QOI"),
    (b"\x00\x00\x01\x00", "ICO"),
    (b"icns", "ICNS"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x01\xda", "SGI"),
    (b"8BPS", "PSD"),
    (b"\xff\x4f\xff\x51", "JPEG2000"),
    (b"\x00\x00\x00\x0cjP  \x0d\x0a\x87\x0a", "JPEG2000"),
)
# What may follow a Netpbm magic: Python's whitespace, or the end.
NETPBM_ENDS = (b"", b" ", b"\t", b"\n", b"\x0b", b"\x0c", b"\r")
# What wasmcanvas reads, as its messages name them.
READABLE = ("PNG", "JPEG", "GIF", "WebP", "BMP", "PPM", "PCX", "ICO", "TIFF", "SGI", "FLI", "PSD", "JPEG 2000", "TGA")
# DIB is a BMP without its file header (Pillow's ``BmpImagePlugin.DibImageFile``).
# CUR is read as the BMP it holds, ICNS as its PNG or run-length entries
# (Pillow's ``CurImagePlugin`` and ``IcnsImagePlugin``).
READABLE_FORMATS = frozenset(name.upper().replace(" ", "") for name in READABLE) | {"DIB", "CUR", "ICNS"}
EXTENSIONS = {
    ".png": "PNG",
    ".apng": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".bmp": "BMP",
    ".dib": "DIB",
    ".webp": "WEBP",
    ".qoi": "QOI",
    ".pbm": "PPM",
    ".pgm": "PPM",
    ".ppm": "PPM",
    ".pnm": "PPM",
    ".pcx": "PCX",
    ".ico": "ICO",
    ".cur": "CUR",
    ".icns": "ICNS",
    ".tif": "TIFF",
    ".tiff": "TIFF",
    ".tga": "TGA",
    ".icb": "TGA",
    ".vda": "TGA",
    ".vst": "TGA",
    ".bw": "SGI",
    ".rgb": "SGI",
    ".rgba": "SGI",
    ".sgi": "SGI",
    ".fli": "FLI",
    ".flc": "FLI",
    ".psd": "PSD",
    ".jp2": "JPEG2000",
    ".j2k": "JPEG2000",
    ".jpc": "JPEG2000",
    ".jpf": "JPEG2000",
    ".jpx": "JPEG2000",
    ".j2c": "JPEG2000",
}
WRITABLE_FORMATS = frozenset({"PNG", "JPEG", "BMP", "DIB", "PPM", "WEBP", "GIF", "TIFF", "SGI", "JPEG2000"})
# The sizes of the bitmap headers a DIB may start with, as Pillow accepts them.
DIB_HEADER_SIZES = (12, 40, 52, 56, 64, 108, 124)

# Written for Python 3.11 as well (no `type` statement, no runtime
# collections.abc.Buffer): the host's tests import this module there.
FilePath: TypeAlias = str | os.PathLike[str]  # noqa: UP040


class _Readable(Protocol):
    def read(self) -> bytes: ...


class _Writable(Protocol):
    def write(self, data: bytes, /) -> Any: ...


def sniff_format(data: bytes) -> str | None:
    """The format ``data`` starts like, or None.

    >>> sniff_format(b"\\x89PNG\\r\\n\\x1a\\n...")
    'PNG'
    """
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "WEBP"
    # Netpbm's magic ends at whitespace (Pillow reads "P6x" as no magic it knows).
    if data[:1] == b"P" and data[1:2] in (b"1", b"2", b"3", b"4", b"5", b"6") and data[2:3] in NETPBM_ENDS:
        return "PPM"
    # A cursor directory of no entry is what a true-colour TGA header starts
    # with: Pillow's cursor reader refuses it and the TGA reader takes it.
    if data[:4] == b"\x00\x00\x02\x00" and int.from_bytes(data[4:6], "little"):
        return "CUR"
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name
    if data[:1] == b"\x0a" and data[1:2] in (b"\x00", b"\x02", b"\x03", b"\x05"):
        return "PCX"
    if _looks_like_fli(data):
        return "FLI"
    if len(data) >= 16 and int.from_bytes(data[:4], "little") in DIB_HEADER_SIZES:
        return "DIB"
    if _looks_like_tga(data):
        return "TGA"
    return None


def dib_as_bmp(data: bytes) -> bytes:
    """A DIB with the 14-byte file header of a BMP in front: its pixels
    follow the bitmap header, the 40-byte header's three BITFIELDS masks
    and the palette, where Pillow's ``DibImageFile`` reads them.

    >>> dib_as_bmp(bytes([12, 0, 0, 0, 1, 0, 1, 0, 1, 0, 24, 0, 1, 2, 3]))[:2]
    b'BM'
    """
    header_size = int.from_bytes(data[:4], "little")
    if header_size == 12:
        bits, compression, colours, entry = int.from_bytes(data[10:12], "little"), 0, 0, 3
    else:
        bits = int.from_bytes(data[14:16], "little")
        compression = int.from_bytes(data[16:20], "little")
        colours, entry = int.from_bytes(data[32:36], "little"), 4
    offset = 14 + header_size
    if header_size == 40 and compression == 3:
        offset += 12
    if bits <= 8:
        offset += entry * (colours or 1 << bits)
    size = 14 + len(data)
    return b"BM" + size.to_bytes(4, "little") + bytes(4) + min(offset, 2**32 - 1).to_bytes(4, "little") + data


def _looks_like_fli(data: bytes) -> bool:
    """FLI and FLC: Pillow's ``_accept``, their magic number at byte 4 and
    flags of 0 or 3 at byte 14."""
    return (
        len(data) >= 16
        and int.from_bytes(data[4:6], "little") in (0xAF11, 0xAF12)
        and int.from_bytes(data[14:16], "little") in (0, 3)
    )


def _looks_like_tga(data: bytes) -> bool:
    """TGA has no signature: Pillow tries it last and takes a header whose
    colour map flag, image type, depth and size are all valid."""
    return (
        len(data) >= 18
        and data[1] in (0, 1)
        and data[2] in (1, 2, 3, 9, 10, 11)
        and data[16] in (1, 8, 16, 24, 32)
        and int.from_bytes(data[12:14], "little") > 0
        and int.from_bytes(data[14:16], "little") > 0
    )


def read_source(fp: FilePath | Buffer | _Readable) -> tuple[bytes, str]:
    """The bytes of a path, a bytes-like object or a binary file object,
    and a short name for messages."""
    if isinstance(fp, (str, os.PathLike)):
        with open(fp, "rb") as file:
            return file.read(), repr(os.fspath(fp))
    try:
        view = memoryview(fp)  # type: ignore[arg-type]
    except TypeError:
        pass
    else:
        data = bytes(view.cast("B"))
        return data, repr(data[:16])
    read = getattr(fp, "read", None)
    if not callable(read):
        raise TypeError(f"fp must be a path, a bytes-like object or a binary file object, not {type(fp).__name__}")
    # As Pillow, read the file from its start (a buffer just written to is
    # at its end); a stream that cannot seek is read from where it is.
    seek = getattr(fp, "seek", None)
    if callable(seek):
        try:
            seek(0)
        except OSError:
            pass
    # As Pillow, a start no format takes ends the reading (a stream of
    # junk is not read to its end); every signature fits in this prefix.
    head = b""
    while len(head) < _SNIFF_BYTES:
        part = read(_SNIFF_BYTES - len(head))
        if not isinstance(part, bytes):
            raise TypeError(f"fp.read() must return bytes (open the file in binary mode), got {type(part).__name__}")
        if not part:
            break
        head += part
    data = head if sniff_format(head) is None else head + read()
    return data, repr(getattr(fp, "name", fp))


# How much of a file object is read before its format is known.
_SNIFF_BYTES = 32


def check_readable(data: bytes, name: str, formats: list[str] | tuple[str, ...] | None) -> str:
    """The format of ``data`` if wasmcanvas reads it (and it is among
    ``_formats``), else ``UnidentifiedImageError`` saying why."""
    wanted: set[str] = set()
    if formats is not None:
        if isinstance(formats, str) or not isinstance(formats, (list, tuple)):
            raise TypeError("formats must be a list or tuple of format names")
        wanted = {str(entry).upper() for entry in formats}
        unknown = sorted(wanted - set(EXTENSIONS.values()))
        if unknown:
            raise ValueError(f"unknown format {unknown[0]!r}")
    found = sniff_format(data)
    # A cursor directory of more entries than the whole file holds is what a
    # true-colour TGA header can start with: Pillow's cursor reader fails
    # reading its entries (IndexError) and its TGA reader takes the file.
    entries = 6 + 16 * int.from_bytes(data[4:6], "little")
    if found == "CUR" and entries > len(data) and _looks_like_tga(data):
        found = "TGA"
    listed = ", ".join(READABLE[:-1])
    if found is None:
        raise UnidentifiedImageError(
            f"cannot identify image file {name} (not a {listed} or {READABLE[-1]} file, the formats wasmcanvas reads)"
        )
    if found not in READABLE_FORMATS:
        raise UnidentifiedImageError(
            f"cannot identify image file {name}: it is {found}, and wasmcanvas reads {listed} and {READABLE[-1]}"
        )
    if formats is not None and found not in wanted:
        raise UnidentifiedImageError(f"cannot identify image file {name}: it is {found}, not one of {list(formats)}")
    return found


def save_format(fp: object, format: str | None) -> str:
    """The format to write: ``format`` if given, else from the file name's
    extension, checked against what wasmcanvas writes."""
    if format is None:
        name = fp if isinstance(fp, (str, os.PathLike)) else getattr(fp, "name", None)
        if isinstance(name, os.PathLike):
            name = os.fspath(name)
        if not isinstance(name, str):
            raise ValueError("cannot tell the format from a file object without a name; pass format='PNG'")
        path = name
        extension = os.path.splitext(path)[1].lower()
        if extension not in EXTENSIONS:
            raise ValueError(f"unknown file extension: {extension or repr(path)}")
        format = EXTENSIONS[extension]
    if not isinstance(format, str):
        raise TypeError(f"format must be a str, not {type(format).__name__}")
    name = format.upper()
    if name not in EXTENSIONS.values():
        raise KeyError(name)
    if name not in WRITABLE_FORMATS:
        raise ValueError(
            f"wasmcanvas writes PNG, JPEG, GIF, BMP, PPM, TIFF, SGI, JPEG 2000 and WebP; cannot save as {name}"
        )
    return name


def png_chunk(kind: bytes, body: bytes) -> bytes:
    """A PNG chunk: length, type, data and CRC."""
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def png_with_metadata(data: bytes, mode: str, params: dict[str, Any], info: dict[str, Any]) -> bytes:
    """A PNG file the encoder wrote, with the chunks Pillow writes from the
    save options and the image's ``info``, where Pillow writes them: after
    IHDR ``icc_profile`` (iCCP) and ``pnginfo``'s chunks (a
    ``PngImagePlugin.PngInfo``); after the palette, before the image data,
    ``transparency`` (tRNS, "L" and "RGB" only), ``dpi`` (pHYs) and
    ``exif`` (eXIf); ``pnginfo``'s chunks marked ``after_idat`` before IEND."""
    early: list[tuple[bytes, bytes]] = []
    before_idat: list[tuple[bytes, bytes]] = []
    late: list[tuple[bytes, bytes]] = []
    icc = params.get("icc_profile", info.get("icc_profile"))
    if icc:
        early.append((b"iCCP", b"ICC Profile\0\0" + zlib.compress(icc)))
    pnginfo = params.get("pnginfo")
    if pnginfo is not None:
        for kind, body, after_idat in pnginfo.chunks:
            (late if after_idat else early).append((kind, body))
    transparency = params.get("transparency", info.get("transparency"))
    if transparency is None or mode == "P":
        pass  # a palette's tRNS is written with its PLTE (``png_file``)
    elif mode in ("1", "L", "I", "I;16"):
        if not isinstance(transparency, int):
            raise ValueError(f"transparency for {mode} must be an integer")
        before_idat.append((b"tRNS", max(0, min(65535, transparency)).to_bytes(2, "big")))
    elif mode == "RGB":
        if not isinstance(transparency, (list, tuple)):
            raise ValueError("transparency for RGB must be list or tuple")
        if len(transparency) != 3:
            raise ValueError("transparency for RGB must have length 3")
        before_idat.append((b"tRNS", b"".join(int(value).to_bytes(2, "big") for value in transparency)))
    elif params.get("transparency") is not None:
        # Pillow ignores a stale one in ``info`` of an image with alpha.
        raise OSError("cannot use transparency for this mode")
    dpi = params.get("dpi")
    if dpi:
        x, y = (int(value / 0.0254 + 0.5) for value in dpi)
        before_idat.append((b"pHYs", x.to_bytes(4, "big") + y.to_bytes(4, "big") + b"\x01"))
    exif = exif_bytes(params.get("exif") or b"")
    if exif:
        before_idat.append((b"eXIf", exif[6:] if exif.startswith(b"Exif\x00\x00") else exif))
    after_ihdr = first_idat = 8 + 25
    while data[first_idat + 4 : first_idat + 8] != b"IDAT":
        first_idat += 12 + int.from_bytes(data[first_idat : first_idat + 4], "big")
    end = data.rfind(b"IEND") - 4
    return b"".join(
        (
            data[:after_ihdr],
            *(png_chunk(kind, body) for kind, body in early),
            data[after_ihdr:first_idat],
            *(png_chunk(kind, body) for kind, body in before_idat),
            data[first_idat:end],
            *(png_chunk(kind, body) for kind, body in late),
            data[end:],
        )
    )


# Pillow's PNG bit depth and colour type of the modes written by ``png_file``.
PNG_RAW_MODES = {"1": (1, 0), "L": (8, 0), "P": (8, 3)}
PNG_RAW_MODES |= {mode: (16, 0) for mode in ("I;16", "I;16B", "I;16L", "I;16N")}


def _pack_indices(data: bytes, width: int, bits: int) -> bytes:
    """Palette indices (a byte each) packed ``bits`` a pixel, the first the
    highest, each row padded to a byte: Pillow's "P;1" (any non-zero index
    is 1), "P;2" and "P;4" (the index's low bits)."""
    per_byte = 8 // bits
    mask = (1 << bits) - 1
    out = bytearray()
    for start in range(0, len(data), width):
        row = data[start : start + width]
        if bits == 1:
            row = bytes(1 if value else 0 for value in row)
        for at in range(0, width, per_byte):
            byte = 0
            for k, value in enumerate(row[at : at + per_byte]):
                byte |= (value & mask) << (8 - bits * (k + 1))
            out.append(byte)
    return bytes(out)


def png_file(
    mode: str,
    size: tuple[int, int],
    raw: bytes,
    palette: bytes,
    alphas: bytes | None,
    params: dict[str, Any],
    info: dict[str, Any],
) -> bytes:
    r"""A PNG of "1", "P", a 16-bit mode or "L" in fewer bits (Pillow's
    ``bits`` option: 1, 2 or 4) as Pillow writes it: ``raw`` is the mode's
    raw layout ("1" packed, "P" an index a byte, the 16-bit modes
    big-endian); "P" takes Pillow's ``bits`` option too and writes as
    many colours of ``palette`` (RGB entries) as the palette has (at most
    ``1 << bits``) with the fewest bits a pixel that hold them, and
    ``transparency`` (an index, or bytes of alphas) or else the palette's
    own ``alphas`` as tRNS. The rows are unfiltered, deflated at
    ``compress_level`` (6 unless told; 9 with ``optimize``); the metadata
    chunks are added by ``png_with_metadata``.

    >>> png_file("P", (1, 1), b"\x00", b"\xff\x00\x00", None, {}, {})[:8]
    b'\x89PNG\r\n\x1a\n'
    """
    width, height = size
    depth, colour = PNG_RAW_MODES[mode]
    chunks: list[tuple[bytes, bytes]] = []
    if mode == "L":
        # Pillow's "L;1", "L;2" and "L;4": each grey's top bits.
        depth = require_int("bits", params.get("bits", 8))
        if depth not in (1, 2, 4, 8):
            raise OSError("cannot write mode L as PNG")
        if depth < 8:
            raw = _pack_indices(bytes(value >> (8 - depth) for value in raw), width, depth)
    if mode == "P":
        bits = require_int("bits", params.get("bits", 8))
        colours = max(1, min(1 << min(max(bits, 0), 8), len(palette) // 3, 256))
        depth = 1 if colours <= 2 else 2 if colours <= 4 else 4 if colours <= 16 else 8
        if depth < 8:
            raw = _pack_indices(raw, width, depth)
        chunks.append((b"PLTE", palette[: colours * 3] or b"\0\0\0"))
        transparency = params.get("transparency", info.get("transparency"))
        if isinstance(transparency, bytes):
            chunks.append((b"tRNS", transparency[:colours]))
        elif isinstance(transparency, int):
            index = max(0, min(255, transparency))
            chunks.append((b"tRNS", (b"\xff" * index + b"\0")[:colours]))
        elif transparency is not None:
            raise ValueError("transparency for P must be an integer or bytes")
        elif alphas is not None:
            chunks.append((b"tRNS", alphas[:colours]))
    row = (width * depth + 7) // 8
    level = png_level(params)
    view = memoryview(raw)
    rows = b"".join(b"\0" + bytes(view[y * row : (y + 1) * row]) for y in range(height))
    header = width.to_bytes(4, "big") + height.to_bytes(4, "big") + bytes((depth, colour, 0, 0, 0))
    body = (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + b"".join(png_chunk(kind, data) for kind, data in chunks)
        + png_chunk(b"IDAT", zlib.compress(rows, 6 if level == -1 else level))
        + png_chunk(b"IEND", b"")
    )
    return png_with_metadata(body, mode, params, info)


def ppm_file(mode: str, size: tuple[int, int], data: bytes) -> bytes:
    r"""A raw Netpbm file as Pillow writes it: P4 for "1" (``data`` 1 for
    black), P5 for "L" and for "I" (``data`` 16-bit big-endian, maxval
    65535), P6 for "RGB" (``data`` in that layout; the caller gives an
    "RGBA" image's pixels as "RGB", its alpha dropped as Pillow drops it).

    >>> ppm_file("L", (2, 1), b"\x00\xff")
    b'P5\n2 1\n255\n\x00\xff'
    """
    heads = {"1": b"P4", "L": b"P5", "I": b"P5", "RGB": b"P6"}
    if mode not in heads:
        raise OSError(f"cannot write mode {mode} as PPM")
    maxval = {"1": b"", "I": b"65535\n"}.get(mode, b"255\n")
    return heads[mode] + b"\n%d %d\n" % size + maxval + data


# BMP's bits a pixel for each mode Pillow writes as BMP.
BMP_BITS = {"1": 1, "L": 8, "P": 8, "RGB": 24, "RGBA": 32}


def bmp_file(mode: str, size: tuple[int, int], data: bytes, params: dict[str, Any], palette: bytes = b"") -> bytes:
    r"""An uncompressed BMP as Pillow writes it: a 40-byte header, "1" (1
    bit) and "L" with a grey palette, "P" with its ``palette`` (RGB
    entries; an empty one is written as one black entry, as Pillow's), "RGB"
    as 24 bits, "RGBA" as 32 bits (BGRA), rows bottom up, ``dpi`` (default
    96) in pixels a metre. ``data`` is the mode's raw layout (``tobytes``).

    >>> bmp_file("L", (1, 1), b"\x07", {})[:2]
    b'BM'
    """
    if mode not in BMP_BITS:
        raise OSError(f"cannot write mode {mode} as BMP")
    if ((size[0] * BMP_BITS[mode] + 7) // 8 + 3 & ~3) * size[1] > 2**32 - 1:
        raise ValueError("File size is too large for the BMP format")
    bits = BMP_BITS[mode]
    channels = bits // 8
    width, height = size
    swapped = bytearray(data)
    if channels >= 3:
        swapped[0::channels] = data[2::channels]
        swapped[2::channels] = data[0::channels]
    row = (width * bits + 7) // 8
    stride = (row + 3) & ~3
    padding = bytes(stride - row)
    view = memoryview(swapped)
    pixels = b"".join(part for y in range(height - 1, -1, -1) for part in (view[y * row : (y + 1) * row], padding))
    if mode == "P":
        entries = palette or b"\0\0\0"
        palette = b"".join(bytes((*entries[at : at + 3][::-1], 0)) for at in range(0, len(entries) - 2, 3))
    else:
        levels = {"1": (0, 255), "L": range(256)}.get(mode, ())
        palette = b"".join(bytes((level, level, level, 0)) for level in levels)
    colours = len(palette) // 4
    per_metre = [int(value * 39.3701 + 0.5) for value in params.get("dpi", (96, 96))]
    offset = 14 + 40 + colours * 4
    if offset + len(pixels) > 2**32 - 1:
        raise ValueError("File size is too large for the BMP format")
    numbers = [(40, 4), (width, 4), (height, 4), (1, 2), (bits, 2), (0, 4), (len(pixels), 4)]
    numbers += [(per_metre[0], 4), (per_metre[1], 4), (colours, 4), (colours, 4)]
    info = b"".join(value.to_bytes(length, "little") for value, length in numbers)
    head = b"BM" + (offset + len(pixels)).to_bytes(4, "little") + bytes(4) + offset.to_bytes(4, "little")
    return head + info + palette + pixels


def png_level(params: dict[str, Any]) -> int:
    """The ``compress_level`` for Rust's encoder from Pillow's PNG options
    (``compress_level`` 0-9, ``optimize``); -1 asks for its fast default."""
    if "compress_level" in params:
        level = require_int("compress_level", params["compress_level"])
        if not 0 <= level <= 9:
            raise ValueError(f"compress_level must be from 0 to 9, got {level}")
        return level
    return 9 if params.get("optimize") else -1


def sgi_file(mode: str, size: tuple[int, int], bands: list[bytes], params: dict[str, Any], filename: str) -> bytes:
    """An uncompressed SGI file as Pillow writes it: "L", "RGB" or "RGBA"
    (``bands``: each band's bytes, top row first), 1 byte a sample or 2
    with ``bpc=2`` (the byte, then 0), planes bottom row first, the file
    name without its extension as the image's name.

    >>> sgi_file("L", (1, 1), [b"\\x07"], {}, "x.sgi")[-1]
    7
    """
    if mode not in ("L", "RGB", "RGBA"):
        raise ValueError("Unsupported SGI image mode")
    bpc = params.get("bpc", 1)
    if bpc not in (1, 2):
        raise ValueError("Unsupported number of bytes per pixel")
    width, height = size
    dimension = (1 if height == 1 else 2) if mode == "L" else 3
    name = os.path.splitext(os.path.basename(filename))[0].encode("ascii", "ignore")[:79]
    head = struct.pack(">hBBHHHHll4s79ss", 474, 0, bpc, dimension, width, height, len(mode), 0, 255, b"", name, b"")
    head += struct.pack(">l404s", 0, b"")
    planes = []
    for band in bands:
        rows = [band[y * width : (y + 1) * width] for y in range(height - 1, -1, -1)]
        plane = b"".join(rows)
        if bpc == 2:
            plane = bytes(value for sample in plane for value in (sample, 0))
        planes.append(plane)
    return head + b"".join(planes)


def write_target(fp: FilePath | _Writable, data: bytes) -> None:
    """Writes ``data`` to a path or a binary file object (``sys.stdout``'s
    binary buffer for ``sys.stdout``, as Pillow)."""
    if fp is sys.stdout and hasattr(fp, "buffer"):
        fp = fp.buffer
    if isinstance(fp, (str, os.PathLike)):
        with open(fp, "wb") as file:
            file.write(data)
        return
    write = getattr(fp, "write", None)
    if not callable(write):
        raise TypeError(f"fp must be a path or a binary file object, not {type(fp).__name__}")
    write(data)


# TIFF: per mode, the photometric interpretation, the samples, the extra sample.
TIFF_LAYOUTS = {"L": (1, 1, None), "LA": (1, 2, 2), "RGB": (2, 3, None), "RGBA": (2, 4, 2)}
TIFF_LAYOUTS |= {"1": (1, 1, None), "P": (3, 1, None), "I;16": (1, 1, None), "LAB": (8, 3, None)}
# Bits a sample, where not 8.
TIFF_BITS = {"1": 1, "I;16": 16}
# Pillow's save options written as ASCII tags.
TIFF_TEXT_TAGS = (
    (270, "description"),
    (305, "software"),
    (306, "date_time"),
    (315, "artist"),
    (33432, "copyright"),
)


def _rational(value: float) -> tuple[int, int]:
    """A TIFF RATIONAL as Pillow writes it: the closest fraction whose terms
    fit in 32 bits (of the inverse, for values above 1)."""
    from fractions import Fraction

    inverse = abs(value) > 1
    fraction = Fraction(1 / value if inverse else value).limit_denominator(2**32 - 1)
    pair = (fraction.numerator, fraction.denominator)
    return (pair[1], pair[0]) if inverse else pair


def pick_frame_options(
    encoderinfo: dict[str, Any], count: int, frame_info: dict[str, Any], options: dict[str, Any]
) -> None:
    """Pillow's per-frame save options, as its GIF and APNG writers take
    them: an option given as a list or tuple gives frame ``count`` its item
    (in ``encoderinfo``), and a ``duration`` left out is the frame's own.

    >>> chosen = {}
    >>> pick_frame_options(chosen, 1, {"duration": 70}, {"duration": None, "disposal": [0, 2]})
    >>> chosen
    {'duration': 70, 'disposal': 2}
    """
    for name, value in options.items():
        if isinstance(value, (list, tuple)):
            encoderinfo[name] = value[count]
        elif name == "duration" and value is None and "duration" in frame_info:
            encoderinfo[name] = frame_info[name]


def tiff_compression(params: dict[str, Any], info: dict[str, Any]) -> str:
    """The compression a TIFF is saved with, as Pillow with libtiff picks
    it: the ``compression`` option, else the one the image was read with
    (``info``), else "raw"; "tiff_deflate" is written as
    "tiff_adobe_deflate" and "tiff_jpeg" as "jpeg".

    >>> tiff_compression({}, {"compression": "group4"})
    'group4'
    """
    compression = params["compression"] if "compression" in params else info.get("compression")
    if compression is None or isinstance(compression, int):
        # An int is a BMP's compression, which Pillow ignores here.
        return "raw"
    name = str(compression)
    return {"tiff_deflate": "tiff_adobe_deflate", "tiff_jpeg": "jpeg"}.get(name, name)


# What Pillow's libtiff writer stores a compression's name as; names it
# does not know are stored uncompressed, as there.
TIFF_WRITTEN = {"raw": 1, "tiff_ccitt": 2, "group3": 3, "group4": 4, "tiff_lzw": 5, "tiff_adobe_deflate": 8}
TIFF_WRITTEN |= {"packbits": 32773}
# Compressions libtiff writes that wasmcanvas does not.
TIFF_NOT_WRITTEN = ("jpeg", "lzma", "zstd", "webp")
# Pillow's strip size for its libtiff writer.
STRIP_SIZE = 65536


def tiff_file(
    mode: str,
    size: tuple[int, int],
    data: bytes,
    params: dict[str, Any],
    palette: bytes = b"",
    compression: str = "raw",
    strips_as_libtiff: bool = False,
    encode_strip: Callable[[bytes, int, int, int], bytes] | None = None,
) -> bytes:
    """A little-endian TIFF as Pillow writes it: one directory of the tags
    in order, their out-of-line values, then the pixels (``data``, the
    mode's raw layout): "1", "L", "LA", "P" (its ``palette``, RGB entries,
    as the colour map), "RGB", "RGBA", "I;16" and "LAB" (CIELab, a and b
    signed); ``dpi``, ``resolution`` (``x_resolution``, ``y_resolution``),
    ``resolution_unit``, ``icc_profile`` and the text options
    (``description``, ``software``...). Uncompressed and without
    ``strips_as_libtiff``, byte for byte as Pillow's own writer: one strip.
    Otherwise in strips of about ``strip_size`` bytes (64 KiB), as
    Pillow's libtiff writer, each compressed with ``compression``
    (``TIFF_WRITTEN``; CCITT fax for "1" only, as libtiff) by
    ``encode_strip`` (``files.encode_tiff_strip``).

    >>> tiff_file("L", (1, 1), b"\\x07", {})[:4]
    b'II*\\x00'
    """
    if mode not in TIFF_LAYOUTS:
        raise OSError(f"cannot write mode {mode} as TIFF")
    if compression in TIFF_NOT_WRITTEN:
        raise OSError(f"wasmcanvas cannot write TIFF compression {compression!r} (it writes {', '.join(TIFF_WRITTEN)})")
    number = TIFF_WRITTEN.get(compression, 1)
    if number in (2, 3, 4) and mode != "1":
        # libtiff's fax coder takes 1 bit a sample only; Pillow reports its failure so.
        raise OSError("encoder error -2 when writing image file")
    photometric, samples, extra = TIFF_LAYOUTS[mode]
    width, height = size
    bits = TIFF_BITS.get(mode, 8)
    stride = samples * ((width * bits + 7) // 8)
    if number == 1 and not strips_as_libtiff:
        # Pillow's own writer stores the image as one strip.
        rows = height
    else:
        strip_size = require_int("strip_size", params.get("strip_size", STRIP_SIZE))
        rows = max(1, min(strip_size // stride if stride else 1, height))
    chunks = [data[top * stride : (top + rows) * stride] for top in range(0, height, rows)]
    if number != 1:
        if encode_strip is None:
            raise OSError(f"cannot write TIFF compression {compression!r} without its encoder")
        chunks = [encode_strip(chunk, number, width, len(chunk) // stride) for chunk in chunks]
    strips, counts = len(chunks), [len(chunk) for chunk in chunks]
    data = b"".join(chunks)
    # (tag, type, values): SHORT 3, LONG 4, RATIONAL 5, ASCII 2, UNDEFINED 7.
    tags: dict[int, tuple[int, Any]] = {
        256: (4, [width]),
        257: (4, [height]),
        258: (3, [bits] * samples),
        259: (3, [number]),
        262: (3, [photometric]),
        273: (4, [0] * strips),
        278: (4, [rows]),
        279: (4, counts),
        284: (3, [1]),
    }
    if bits == 1:
        del tags[258]  # Pillow leaves out BitsPerSample at its default of 1
    if number == 3:
        # The fax coder's EOLs end on a byte (fill bits), 1D rows.
        tags[292] = (4, [4])
    if samples > 1:
        tags[277] = (3, [samples])
    if extra is not None:
        tags[338] = (3, [extra])
    for tag, name in ((282, "resolution"), (283, "resolution"), (282, "x_resolution"), (283, "y_resolution")):
        if name in params:
            tags[tag] = (5, [params[name]])
    if "resolution_unit" in params:
        tags[296] = (3, [require_int("resolution_unit", params["resolution_unit"])])
    dpi = params.get("dpi")
    if dpi:
        tags[296] = (3, [2])
        tags[282], tags[283] = (5, [dpi[0]]), (5, [dpi[1]])
    for tag, name in TIFF_TEXT_TAGS:
        if name in params:
            tags[tag] = (2, str(params[name]).encode("ascii", "replace") + b"\0")
    icc = params.get("icc_profile")
    if icc:
        tags[34675] = (7, bytes(icc))
    if mode == "P":
        # Each band of the palette, its entries times 256, padded to 256.
        colours = min(len(palette) // 3, 256)
        colormap: list[int] = []
        for band in range(3):
            colormap += [palette[at * 3 + band] * 256 for at in range(colours)] + [0] * (256 - colours)
        tags[320] = (3, colormap)
    packed: list[tuple[int, int, int, bytes]] = []
    for tag in sorted(tags):
        kind, values = tags[tag]
        if kind in (2, 7):
            body, count = bytes(values), len(values)
        elif kind == 5:
            body = b"".join(part.to_bytes(4, "little") for value in values for part in _rational(float(value)))
            count = len(values)
        else:
            body = b"".join(int(value).to_bytes(2 if kind == 3 else 4, "little") for value in values)
            count = len(values)
        packed.append((tag, kind, count, body))
    end = 8 + 2 + 12 * len(packed) + 4
    aside = end + sum((len(body) + 1) // 2 * 2 for *_, body in packed if len(body) > 4)
    offsets = [aside + before for before in itertools.accumulate([0, *counts[:-1]])]
    entries, extras = b"", b""
    for tag, kind, count, body in packed:
        if tag == 273:
            body = b"".join(offset.to_bytes(4, "little") for offset in offsets)
        if len(body) <= 4:
            value = body.ljust(4, b"\0")
        else:
            value = (end + len(extras)).to_bytes(4, "little")
            extras += body + b"\0" * (len(body) % 2)
        entries += tag.to_bytes(2, "little") + kind.to_bytes(2, "little") + count.to_bytes(4, "little") + value
    head = b"II*\0" + (8).to_bytes(4, "little") + len(packed).to_bytes(2, "little")
    return head + entries + bytes(4) + extras + data


def webp_with_xmp(data: bytes, xmp: bytes, size: tuple[int, int]) -> bytes:
    """A WebP file with an "XMP " chunk at its end and the XMP flag set in
    its VP8X header (one made for a simple file: its size, and the alpha
    flag a lossless file's header gives), as Pillow's encoder (libwebp's
    mux) writes ``xmp``.

    >>> import io
    >>> webp = io.BytesIO()
    >>> Image.new("RGB", (1, 1)).save(webp, "WEBP")
    >>> webp_with_xmp(webp.getvalue(), b"<x:xmpmeta/>", (1, 1))[12:16]
    b'VP8X'
    """
    body = data[12:]
    if body[:4] != b"VP8X":
        alpha = body[:4] == b"VP8L" and len(body) >= 13 and bool(body[12] & 0x10)
        width, height = size
        header = bytes((0x10 if alpha else 0, 0, 0, 0))
        header += (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
        body = b"VP8X" + len(header).to_bytes(4, "little") + header + body
    body = body[:8] + bytes((body[8] | 0x04,)) + body[9:]
    body += b"XMP " + len(xmp).to_bytes(4, "little") + xmp + b"\0" * (len(xmp) & 1)
    return b"RIFF" + (len(body) + 4).to_bytes(4, "little") + b"WEBP" + body
