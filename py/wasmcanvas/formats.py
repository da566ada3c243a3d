"""Picture file formats, in pure Python (no ``js``, no Pyodide: tested on
the host): which format a file is, which mode Pillow opens it in, which
format a file name asks for, Pillow's save options, and reading and writing
the bytes of paths and file objects. ``files`` hands the bytes to the
codecs module.

>>> sniff_format(b"GIF89a...")
'GIF'
>>> save_format("holiday.JPG", None)
'JPEG'
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

if TYPE_CHECKING:
    from collections.abc import Buffer

from .checks import require_int
from .errors import UnidentifiedImageError

# The start of each format's files: enough to name what the user gave us.
SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"BM", "BMP"),
    (b"qoif", "QOI"),
)
# What wasmcanvas reads, as its messages name them.
READABLE = ("PNG", "JPEG", "GIF", "WebP", "BMP")
READABLE_FORMATS = frozenset(name.upper() for name in READABLE)
EXTENSIONS = {
    ".png": "PNG",
    ".apng": "PNG",
    ".jpg": "JPEG",
    ".jpeg": "JPEG",
    ".gif": "GIF",
    ".bmp": "BMP",
    ".webp": "WEBP",
    ".qoi": "QOI",
}
WRITABLE_FORMATS = frozenset({"PNG", "JPEG"})

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
    for signature, name in SIGNATURES:
        if data.startswith(signature):
            return name
    return None


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
    data = read()
    if not isinstance(data, bytes):
        raise TypeError(f"fp.read() must return bytes (open the file in binary mode), got {type(data).__name__}")
    return data, repr(getattr(fp, "name", fp))


def check_readable(data: bytes, name: str, formats: list[str] | tuple[str, ...] | None) -> str:
    """The format of ``data`` if wasmcanvas reads it (and it is among
    ``formats``), else ``UnidentifiedImageError`` saying why."""
    wanted: set[str] = set()
    if formats is not None:
        if isinstance(formats, str) or not isinstance(formats, (list, tuple)):
            raise TypeError("formats must be a list or tuple of format names")
        wanted = {str(entry).upper() for entry in formats}
        unknown = sorted(wanted - set(EXTENSIONS.values()))
        if unknown:
            raise ValueError(f"unknown format {unknown[0]!r}")
    found = sniff_format(data)
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


def _jpeg_components(data: bytes) -> int:
    """The number of colour components a JPEG's frame header gives (3 if
    none is found: the decoder reports a damaged file then)."""
    at = 2
    while at + 9 < len(data) and data[at] == 0xFF:
        marker = data[at + 1]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            return data[at + 9]
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return 3


def _webp_has_alpha(data: bytes) -> bool:
    chunk = data[12:16]
    if chunk == b"VP8X":
        return bool(data[20] & 0x10)
    if chunk == b"VP8L":
        return bool(int.from_bytes(data[21:25], "little") >> 28 & 1)
    return False


def file_mode(data: bytes, format: str, opaque: bool) -> str:
    """The mode Pillow opens a file in, among wasmcanvas's: the PNG colour
    type, the JPEG's components, whether a WebP has alpha; palette files
    (GIF, palette PNG and BMP) are "RGB", or "RGBA" when ``opaque`` (all
    decoded pixels opaque) is false.

    >>> file_mode(b"\x89PNG\r\n\x1a\n" + bytes(17) + b"\x04" + bytes(7), "PNG", True)
    'LA'
    """
    if format == "PNG" and len(data) > 25:
        colour_type = {0: "L", 2: "RGB", 4: "LA", 6: "RGBA"}.get(data[25])
        if colour_type is not None:
            return colour_type
    elif format == "JPEG":
        return "L" if _jpeg_components(data) == 1 else "RGB"
    elif format == "WEBP":
        return "RGBA" if _webp_has_alpha(data) else "RGB"
    return "RGB" if opaque else "RGBA"


def save_format(fp: object, format: str | None) -> str:
    """The format to write: ``format`` if given, else from the file name's
    extension, checked against what wasmcanvas writes."""
    if format is None:
        name = os.fspath(fp) if isinstance(fp, (str, os.PathLike)) else getattr(fp, "name", None)
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
        raise ValueError(f"wasmcanvas writes PNG and JPEG; cannot save as {name}")
    return name


def jpeg_quality(params: dict[str, Any]) -> int:
    """Pillow's JPEG ``quality`` (0-100, default 75; 0 is encoded as 1)."""
    quality = require_int("quality", params.get("quality", 75))
    if not 0 <= quality <= 100:
        raise ValueError(f"quality must be from 0 to 100, got {quality}")
    return max(quality, 1)


def png_level(params: dict[str, Any]) -> int:
    """The ``compress_level`` for Rust's encoder from Pillow's PNG options
    (``compress_level`` 0-9, ``optimize``); -1 asks for its fast default."""
    if "compress_level" in params:
        level = require_int("compress_level", params["compress_level"])
        if not 0 <= level <= 9:
            raise ValueError(f"compress_level must be from 0 to 9, got {level}")
        return level
    return 9 if params.get("optimize") else -1


def write_target(fp: FilePath | _Writable, data: bytes) -> None:
    """Writes ``data`` to a path or a binary file object."""
    if isinstance(fp, (str, os.PathLike)):
        with open(fp, "wb") as file:
            file.write(data)
        return
    write = getattr(fp, "write", None)
    if not callable(write):
        raise TypeError(f"fp must be a path or a binary file object, not {type(fp).__name__}")
    write(data)
