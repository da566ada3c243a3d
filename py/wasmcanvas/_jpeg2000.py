"""JPEG 2000 headers as Pillow's ``Jpeg2KImagePlugin`` reads them, in pure
Python (tested on the host): the size and mode from a codestream's SIZ
marker or a JP2 file's ``ihdr`` box, the dpi of its ``resc`` box, the
comment of its first COM marker, without decoding a pixel. A header Pillow
refuses raises its ``SyntaxError`` (``Image.open``'s
``UnidentifiedImageError``) or ``OSError``, with its message.

>>> jpeg2000_header(b"\\xff\\x4f\\xff\\x51" + bytes(36) + b"\\x00\\x01\\x07")
Traceback (most recent call last):
ValueError: SIZ marker length must be at least 38
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

CODESTREAM = b"\xff\x4f\xff\x51"
JP2 = b"\x00\x00\x00\x0cjP  \x0d\x0a\x87\x0a"
# Pillow's modes by component count (one component deeper than 8 bits is "I;16").
_MODES = {1: "L", 2: "LA", 3: "RGB", 4: "RGBA"}


@dataclass
class J2kHeader:
    """What ``Image.open`` learns: size, mode, ``info`` and the MIME type
    ("image/jpx" for a JPX file, None for Pillow's default)."""

    size: tuple[int, int]
    mode: str
    info: dict[str, Any] = field(default_factory=dict)
    mimetype: str | None = None


def _codestream(data: bytes, at: int) -> tuple[tuple[int, int], str]:
    """Size and mode from the SIZ marker segment whose length is at ``at``."""
    # struct.error for a length cut short, as Pillow's read of it fails.
    (lsiz,) = struct.unpack(">H", data[at : at + 2])
    if lsiz < 38:
        raise ValueError("SIZ marker length must be at least 38")
    siz = data[at : at + lsiz]
    _, _, xsiz, ysiz, xosiz, yosiz, *_, csiz = struct.unpack_from(">HHIIIIIIIIH", siz)
    if csiz == 1 and (struct.unpack_from(">B", siz, 38)[0] & 0x7F) + 1 > 8:
        return (xsiz - xosiz, ysiz - yosiz), "I;16"
    if csiz not in _MODES:
        raise SyntaxError("unable to determine J2K image mode")
    return (xsiz - xosiz, ysiz - yosiz), _MODES[csiz]


def _comment(data: bytes, at: int) -> bytes | None:
    """The first COM marker's text after the main header's SIZ at ``at``
    (its length), as Pillow's ``_parse_comment`` finds it."""
    at += int.from_bytes(data[at : at + 2], "big")
    while at < len(data):
        # A marker cut short fails as Pillow's reads of it fail: IndexError
        # for its second byte, struct.error for its length (the opener's
        # refusal, UnidentifiedImageError, either way).
        kind = data[at + 1]
        if kind in (0x90, 0xD9):
            break
        (length,) = struct.unpack(">H", data[at + 2 : at + 4])
        if length < 2:
            raise ValueError("Marker length too small")
        if kind == 0x64:
            return data[at + 4 : at + 2 + length][2:]
        at += 2 + length
    return None


def _boxes(data: bytes, start: int, end: int) -> list[tuple[bytes, int, int]]:
    """The boxes inside a box, from ``start`` to ``end``: type, content
    start and end; Pillow's ``SyntaxError`` for one that does not fit."""
    found = []
    at = start
    while at < end:
        if at + 8 > end:
            raise SyntaxError("Not enough data in header")
        length, kind = struct.unpack_from(">I4s", data, at)
        head = 8
        if length == 1:
            if at + 16 > end:
                raise SyntaxError("Not enough data in header")
            length, head = struct.unpack_from(">Q", data, at + 8)[0], 16
        if length < head or at + length > end:
            raise SyntaxError("Invalid header length")
        found.append((kind, at + head, at + length))
        at += length
    return found


def _read(data: bytes, at: int, count: int) -> bytes:
    """``count`` bytes of the file at ``at``, or Pillow's ``OSError`` for a
    file that ends first."""
    chunk = data[at : at + count]
    if len(chunk) < count:
        raise OSError(f"Expected to read {count} bytes but only got {len(chunk)}.")
    return chunk


def _jp2_header_box(data: bytes) -> tuple[int, int, str | None]:
    """The ``jp2h`` box's content (start, end) and the MIME type of a JPX
    file, walking the top-level boxes as Pillow does: to the header box,
    any box length taken, a file that ends first an ``OSError``."""
    at, mimetype = 12, None
    while True:
        length, kind = struct.unpack(">I4s", _read(data, at, 8))
        head = 8
        if length == 1:
            length, head = struct.unpack(">Q", _read(data, at + 8, 8))[0], 16
        if length < head:
            raise SyntaxError("Invalid header length")
        if at + length >= 2**63:
            raise SyntaxError("Box length too large")
        if kind == b"jp2h":
            _read(data, at + head, length - head)
            return at + head, at + length, mimetype
        if kind == b"ftyp":
            # Pillow reads the brand: a box too short for it is its
            # SyntaxError, a file that ends first its OSError.
            if length - head < 4:
                raise SyntaxError("Not enough data in header")
            if _read(data, at + head, 4) == b"jpx ":
                mimetype = "image/jpx"
        at += length


def _fields(data: bytes, at: int, end: int, layout: str) -> tuple[Any, ...]:
    """A box's fields, or Pillow's ``SyntaxError`` for a box too short."""
    if at + struct.calcsize(layout) > end:
        raise SyntaxError("Not enough data in header")
    return struct.unpack_from(layout, data, at)


def _dpi(data: bytes, start: int, end: int) -> tuple[float, float] | None:
    for kind, at, box_end in _boxes(data, start, end):
        if kind == b"resc":
            vn, vd, hn, hd, ve, he = _fields(data, at, box_end, ">HHHHBB")
            if vd == 0 or hd == 0:
                return None
            return (254 * hn * 10**he / (10000 * hd), 254 * vn * 10**ve / (10000 * vd))
    return None


def _checked(header: J2kHeader) -> J2kHeader:
    if header.size[0] <= 0 or header.size[1] <= 0:
        # Pillow's ImageFile refuses an empty size.
        raise SyntaxError("not identified by this driver")
    return header


def jpeg2000_header(data: bytes) -> J2kHeader:
    """The header of a JP2 file or a raw codestream (see the module)."""
    if data.startswith(CODESTREAM):
        size, mode = _codestream(data, 4)
        comment = _comment(data, 4)
        return _checked(J2kHeader(size, mode, {} if comment is None else {"comment": comment}))
    if not data.startswith(JP2):
        raise SyntaxError("not a JPEG 2000 file")
    start, end, mimetype = _jp2_header_box(data)
    found_size: tuple[int, int] | None = None
    found_mode: str | None = None
    colour = None
    info: dict[str, Any] = {}
    count = 0
    for kind, at, box_end in _boxes(data, start, end):
        if kind == b"ihdr":
            height, width, count, bpc = _fields(data, at, box_end, ">IIHB")
            found_size = (width, height)
            found_mode = "I;16" if count == 1 and (bpc & 0x7F) > 8 else _MODES.get(count)
        elif kind == b"colr":
            method, _, _, space = _fields(data, at, box_end, ">BBBI")
            if method == 1:
                colour = {0: "1", 15: "1", 12: "CMYK", 17: "L"}.get(space)
                if space == 12 and count == 4:
                    found_mode = "CMYK"
        elif kind == b"pclr" and found_mode in ("L", "LA") and colour not in ("1", "L"):
            # The decoder resolves the palette: its colours, not Pillow's "P".
            columns = _fields(data, at, box_end, ">HB")[1]
            found_mode = "RGBA" if columns == 4 else "RGB"
        elif kind == b"res ":
            dpi = _dpi(data, at, box_end)
            if dpi is not None:
                info["dpi"] = dpi
    if found_size is None or found_mode is None:
        raise SyntaxError("Malformed JP2 header")
    # Pillow reads the codestream's header when its box follows the header box.
    if data[end : end + 12].endswith(b"jp2c" + CODESTREAM):
        _codestream(data, end + 12)
        comment = _comment(data, end + 12)
        if comment is not None:
            info["comment"] = comment
    return _checked(J2kHeader(found_size, found_mode, info, mimetype))


_PROGRESSIONS = ("LRCP", "RLCP", "RPCL", "PCRL", "CPRL")
_CINEMA_MODES = ("no", "cinema2k-24", "cinema2k-48", "cinema4k-24")
# Pillow's save options the encoder does not honour, and the value that
# asks for nothing (what Pillow's default writes).
_UNSUPPORTED = {
    "offset": None,
    "tile_offset": None,
    "tile_size": None,
    "precinct_size": None,
    "irreversible": False,
    "signed": False,
    "plt": False,
}


@dataclass
class J2kSave:
    """What the encoder is asked: a JP2 file or a raw codestream, the
    resolution levels (0: OpenJPEG's default), the colour transform, the
    comment."""

    jp2: bool
    resolutions: int
    mct: bool
    comment: bytes | None


def jpeg2000_save(mode: str, params: dict[str, Any], filename: str) -> J2kSave:
    """Pillow's JPEG 2000 save options checked as Pillow checks them, with
    its messages; ``ValueError`` naming an option wasmcanvas does not
    write (lossy layers, tiles, the 9/7 wavelet...).

    >>> jpeg2000_save("RGB", {"no_jp2": True}, "out.jp2").jp2
    False
    """
    layers = params.get("quality_layers")
    if layers is not None and not (
        isinstance(layers, (list, tuple)) and all(isinstance(layer, (int, float)) for layer in layers)
    ):
        raise ValueError("quality_layers must be a sequence of numbers")
    if params.get("progression", "LRCP") not in _PROGRESSIONS:
        raise ValueError("unknown progression")
    if params.get("cinema_mode", "no") not in _CINEMA_MODES:
        raise ValueError("unknown cinema mode")
    if mode not in _MODES.values():
        if mode in ("I;16", "I;16B", "YCbCr", "CMYK"):
            raise OSError(f"wasmcanvas writes JPEG 2000 from modes L, LA, RGB and RGBA, not {mode}")
        # Pillow's encoder refuses other modes as a broken stream (IMAGING_CODEC_BROKEN).
        raise OSError("encoder error -2 when writing image file")
    comment = params.get("comment")
    if isinstance(comment, str):
        comment = comment.encode()
    if comment is not None and len(comment) > 65531:
        raise ValueError("JPEG 2000 comment is too long")
    asked = {name: params[name] for name, default in _UNSUPPORTED.items() if params.get(name, default) != default}
    if layers and any(layers):
        asked["quality_layers"] = layers
    if params.get("progression", "LRCP") != "LRCP":
        asked["progression"] = params["progression"]
    if params.get("cinema_mode", "no") != "no":
        asked["cinema_mode"] = params["cinema_mode"]
    if params.get("codeblock_size") not in (None, (64, 64), [64, 64]):
        asked["codeblock_size"] = params["codeblock_size"]
    if asked:
        name, value = next(iter(asked.items()))
        raise ValueError(
            f"wasmcanvas's JPEG 2000 encoder writes lossless LRCP files only; cannot honour {name}={value!r}"
        )
    resolutions = params.get("num_resolutions", 0)
    return J2kSave(
        jp2=not (filename.endswith(".j2k") or params.get("no_jp2", False)),
        resolutions=resolutions,
        # Pillow passes ``mct`` on for three components only.
        mct=bool(params.get("mct", 0)) and mode == "RGB",
        comment=comment,
    )
