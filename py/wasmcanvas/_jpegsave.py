"""Pillow's JPEG save options, and the file laid out as libjpeg lays it out
for Pillow.

``plan`` reads Pillow's options (``quality``, ``qtables``, ``subsampling``,
their ``"keep"``, ``progressive``, ``optimize``, ``restart_marker_blocks``
and ``_rows``, ``keep_rgb``) into what the Rust encoder (``jpeg-encoder``)
takes: its luma and chroma quantization tables, as libjpeg computes them
from the quality and the tables. ``finish`` then gives the encoder's file
Pillow's layout: the tables as libjpeg writes them (one segment each, only
those a component uses, 16-bit when a value needs it, then SOF1 instead of
baseline), libjpeg's component ids and Adobe marker, the JFIF header only
where libjpeg writes one, and the metadata segments Pillow adds (``exif``,
``xmp``, ``icc_profile``, ``comment``, ``dpi``).

>>> encoder_mode, arguments, layout = plan("RGB", (32, 32), {"quality": 90}, None)
>>> layout.tables[0][:4]
[3, 2, 2, 3]
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field
from typing import Any

from ._checks import require_int
from ._exif import exif_bytes
from .JpegPresets import presets

__all__ = ["JpegLayout", "SourceFacts", "finish", "plan"]

# The example tables of the JPEG standard (Annex K), natural order: what
# libjpeg scales by the quality.
STANDARD_LUMA = (
    *(16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55),
    *(14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62),
    *(18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92),
    *(49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99),
)
STANDARD_CHROMA = (
    *(17, 18, 24, 47, 99, 99, 99, 99, 18, 21, 26, 66, 99, 99, 99, 99),
    *(24, 26, 56, 99, 99, 99, 99, 99, 47, 66, 99, 99, 99, 99, 99, 99),
    *((99,) * 32),
)
# Where each of a table's 64 values (natural order) is written (zigzag).
_ZIGZAG = (
    *(0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5),
    *(12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28),
    *(35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51),
    *(58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63),
)
# Pillow's names for its subsampling numbers.
SUBSAMPLING = {"4:4:4": 0, "4:2:2": 1, "4:2:0": 2, "4:1:1": 2}
# The luma's sampling factors of Pillow's subsampling numbers, and back.
_SAMPLINGS: dict[tuple[int, ...], int] = {(1, 1, 1, 1, 1, 1): 0, (2, 1, 1, 1, 1, 1): 1, (2, 2, 1, 1, 1, 1): 2}
# The encoder's table value limit (it scales values by 8 into 16 bits).
_ENCODER_MAX = 2048
# Pillow's limit for a segment's data: 65535 less the length field.
MAX_BYTES_IN_MARKER = 65533
_XMP_HEAD = b"http://ns.adobe.com/xap/1.0/\x00"
# libjpeg's Adobe marker: version 100, no flags, and its colour transform (0: none).
_ADOBE = b"Adobe\x00\x64\x00\x00\x00\x00\x00"
# The modes Pillow writes as JPEG, and what the encoder is given for each.
ENCODER_MODE = {"1": "L", "L": "L", "RGB": "RGB", "RGBX": "RGB", "CMYK": "CMYK", "YCbCr": "YCbCr"}


def keeps_rgb(mode: str, params: dict[str, Any]) -> bool:
    """Whether an image is written with Pillow's ``keep_rgb``: its red, green
    and blue as the components, not converted to YCbCr.

    >>> keeps_rgb("RGB", {"keep_rgb": True}), keeps_rgb("L", {"keep_rgb": True})
    (True, False)
    """
    return bool(params.get("keep_rgb", False)) and mode in ("RGB", "RGBX")


@dataclass
class SourceFacts:
    """What ``"keep"`` reuses of the image being saved: its format, and a
    JPEG's tables and components (``quantization``, ``layers``, ``layer``)."""

    format: str | None
    quantization: dict[int, list[int]] | None = None
    layers: int = 0
    layer: list[tuple[int, int, int, int]] = field(default_factory=list)


@dataclass
class JpegLayout:
    """What ``finish`` gives the encoder's file: Pillow's tables, which each
    component uses, the component ids, and the markers around them."""

    tables: list[list[int]]
    assignment: list[int]
    ids: bytes
    adobe: bool
    jfif: bool


def quality_scaling(quality: int) -> int:
    """libjpeg's percentage for a quality (1 to 100; outside is clamped)."""
    quality = min(max(quality, 1), 100)
    return 5000 // quality if quality < 50 else 200 - quality * 2


def scaled(table: list[int] | tuple[int, ...], scale: int, baseline: bool) -> list[int]:
    """A table scaled as libjpeg's ``jpeg_add_quant_table`` scales it."""
    high = 255 if baseline else 32767
    return [min(max((value * scale + 50) // 100, 1), high) for value in table]


def _keep_refused(source: SourceFacts | None) -> SourceFacts:
    if source is None or source.format != "JPEG":
        raise ValueError("Cannot use 'keep' when original image is not a JPEG")
    return source


def _sampling_of(source: SourceFacts) -> int:
    """Pillow's ``get_sampling``: the subsampling number of a JPEG's
    three components, -1 for grey and CMYK files or unusual factors."""
    if source.layers in (1, 4) or len(source.layer) < 3:
        return -1
    factors = tuple(value for component in source.layer[:3] for value in component[1:3])
    return _SAMPLINGS.get(factors, -1)


def _tables(qtables: Any) -> list[list[int]] | None:
    """Pillow's checks of ``qtables``: a string of numbers, or a list, tuple
    or dict (keys 0, 1...) of one to four sequences of 64 numbers."""
    if qtables is None:
        return None
    if isinstance(qtables, str):
        try:
            numbers = [int(number) for line in qtables.splitlines() for number in line.split("#", 1)[0].split()]
        except ValueError as error:
            raise ValueError("Invalid quantization table") from error
        qtables = [numbers[at : at + 64] for at in range(0, len(numbers), 64)]
    if not isinstance(qtables, (tuple, list, dict)):
        raise ValueError("Invalid quantization table")
    tables = (
        [qtables[key] for key in range(len(qtables)) if key in qtables] if isinstance(qtables, dict) else list(qtables)
    )
    if not 0 < len(tables) < 5:
        raise ValueError("None or too many quantization tables")
    checked = []
    for table in tables:
        try:
            if len(table) != 64:
                raise TypeError
            values = [int(value) for value in table]
        except (TypeError, ValueError) as error:
            raise ValueError("Invalid quantization table") from error
        if not all(0 <= value <= 65535 for value in values):
            raise ValueError("Invalid quantization table")
        checked.append(values)
    return checked


def plan(
    mode: str, size: tuple[int, int], params: dict[str, Any], source: SourceFacts | None
) -> tuple[str, tuple[Any, ...], JpegLayout]:
    """The encoder's mode and its arguments after the pixels and size
    (quality, subsampling, progressive, optimize, restart interval, luma
    and chroma tables), and the layout ``finish`` gives its file, from
    Pillow's save options for an image of Pillow's ``mode``."""
    quality: Any = params.get("quality", -1)
    subsampling: Any = params.get("subsampling", -1)
    qtables: Any = params.get("qtables")
    if quality == "keep":
        quality, subsampling, qtables = -1, "keep", "keep"
    elif isinstance(quality, str) and quality in presets:
        # A preset's subsampling and tables, used as they are (no quality scaling).
        preset = presets[quality]
        quality, subsampling, qtables = -1, preset.get("subsampling", -1), preset.get("quantization")
    elif not isinstance(quality, int):
        raise ValueError("Invalid quality setting")
    else:
        if isinstance(subsampling, str) and subsampling in presets:
            subsampling = presets[subsampling].get("subsampling", -1)
        if isinstance(qtables, str) and qtables in presets:
            qtables = presets[qtables].get("quantization")
    if isinstance(subsampling, str):
        if subsampling == "keep":
            subsampling = _sampling_of(_keep_refused(source))
        elif subsampling in SUBSAMPLING:
            subsampling = SUBSAMPLING[subsampling]
        else:
            raise TypeError(f"subsampling must be an int or one of {sorted(SUBSAMPLING)}, not {subsampling!r}")
    subsampling = require_int("subsampling", subsampling)
    if isinstance(qtables, str) and qtables == "keep":
        qtables = _keep_refused(source).quantization
    tables = _tables(qtables)

    keep_rgb = keeps_rgb(mode, params)
    if keep_rgb and subsampling not in (-1, 0):
        # Subsampling green and blue makes no sense; libjpeg's configuration error.
        raise OSError("codec configuration error when writing image file")
    components = {"L": 1, "CMYK": 4}.get(ENCODER_MODE[mode], 3)
    if tables is not None:
        baseline = quality != -1
        scale = quality_scaling(quality if baseline else 50)
        tables = [scaled(table, scale, baseline) for table in tables]
        last = len(tables) - 1
        assignment = [min(index, last) for index in range(components)]
    else:
        scale = quality_scaling(75 if quality == -1 else quality)
        tables = [scaled(STANDARD_LUMA, scale, True), scaled(STANDARD_CHROMA, scale, True)]
        # libjpeg gives every component of CMYK (and of RGB kept as RGB) the luma table.
        assignment = [0] * components if components == 4 or keep_rgb else [0, 1, 1][:components]
    luma, chroma = _encoder_tables(tables, assignment, components)

    if components != 3 or keep_rgb:
        # libjpeg's default for grey and CMYK, the only choice for RGB kept.
        sampling = 0
    else:
        sampling = subsampling if subsampling in (0, 1, 2) else 2
    progressive = bool(params.get("progressive", False) or params.get("progression", False))
    interval = _restart_interval(params, size, sampling if components == 3 else 0)
    ids = {1: b"\x01", 3: b"RGB" if keep_rgb else b"\x01\x02\x03", 4: b"CMYK"}[components]
    dpi = params.get("dpi")
    jfif = (components in (1, 3) and not keep_rgb) or (dpi is not None and all(round(value) > 0 for value in dpi))
    layout = JpegLayout(tables, assignment, ids, adobe=components == 4 or keep_rgb, jfif=jfif)
    # jpeg-encoder (which writes "YCbCr" images) optimizes Huffman tables by
    # writing each component in a scan of its own; with 4:2:0 chroma that
    # file decodes to other pixels than the same picture's interleaved one
    # (Pillow's optimized file decodes to its unoptimized pixels), so there
    # 4:2:0 keeps the standard tables. Our own encoder (L, RGB) has no such limit.
    as_given = ENCODER_MODE[mode] == "YCbCr"
    optimize = bool(params.get("optimize", False)) and not (as_given and sampling == 2)
    # RGB kept as RGB goes to the encoder as components it writes as given.
    encoder_mode = "YCbCr" if keep_rgb else ENCODER_MODE[mode]
    return encoder_mode, (1, sampling, progressive, optimize, interval, luma, chroma), layout


def _encoder_tables(tables: list[list[int]], assignment: list[int], components: int) -> tuple[list[int], list[int]]:
    """The encoder's luma table (grey, Y, or CMYK's K) and chroma table
    (Cb and Cr, or CMYK's C, M and Y), which must be what libjpeg gives
    those components."""
    if components == 1:
        luma_users, chroma_users = [0], [0]
    elif components == 3:
        luma_users, chroma_users = [0], [1, 2]
    else:
        luma_users, chroma_users = [3], [0, 1, 2]
    luma = tables[assignment[luma_users[0]]]
    chroma = tables[assignment[chroma_users[0]]]
    if any(tables[assignment[user]] != chroma for user in chroma_users):
        raise NotImplementedError(
            "these quantization tables give the colour components different tables, which wasmcanvas's JPEG "
            "encoder cannot write"
        )
    if max(luma + chroma) > _ENCODER_MAX:
        raise NotImplementedError(f"quantization table values above {_ENCODER_MAX} are not supported")
    return luma, chroma


def _restart_interval(params: dict[str, Any], size: tuple[int, int], sampling: int) -> int:
    """libjpeg's restart interval in MCUs: ``restart_marker_rows`` rows of
    MCUs, else ``restart_marker_blocks`` MCUs (0 for none)."""
    blocks = require_int("restart_marker_blocks", params.get("restart_marker_blocks", 0))
    rows = require_int("restart_marker_rows", params.get("restart_marker_rows", 0))
    if blocks < 0 or rows < 0:
        raise ValueError("restart_marker_blocks and restart_marker_rows must not be negative")
    if rows:
        mcu_width = 16 if sampling in (1, 2) else 8
        return min(rows * -(-size[0] // mcu_width), 65535)
    if blocks > 65535:
        # libjpeg would write this interval's low 16 bits in a file whose
        # markers then do not match it.
        raise ValueError(f"restart_marker_blocks must be at most 65535, got {blocks}")
    return blocks


def _segment(marker: int, body: bytes) -> bytes:
    return bytes((0xFF, marker)) + (len(body) + 2).to_bytes(2, "big") + body


def _dqt(index: int, table: list[int]) -> bytes:
    wide = max(table) > 255
    values = [table[at] for at in _ZIGZAG]
    packed = struct.pack(">64H", *values) if wide else bytes(values)
    return _segment(0xDB, bytes(((0x10 if wide else 0) | index,)) + packed)


def _metadata(params: dict[str, Any], info: dict[str, Any]) -> bytes:
    """The segments Pillow adds after libjpeg's header: EXIF, XMP, the ICC
    profile (split over APP2 segments) and the comment, with its checks."""
    segments = b""
    exif = exif_bytes(params.get("exif", b""))
    if len(exif) > MAX_BYTES_IN_MARKER:
        raise ValueError("EXIF data is too long")
    if exif:
        segments += _segment(0xE1, exif)
    xmp = params.get("xmp")
    if xmp:
        if len(xmp) > MAX_BYTES_IN_MARKER - len(_XMP_HEAD):
            raise ValueError("XMP data is too long")
        segments += _segment(0xE1, _XMP_HEAD + bytes(xmp))
    icc = params.get("icc_profile")
    if icc:
        part = MAX_BYTES_IN_MARKER - 14
        parts = [icc[at : at + part] for at in range(0, len(icc), part)]
        for index, chunk in enumerate(parts, 1):
            segments += _segment(0xE2, b"ICC_PROFILE\0" + bytes((index, len(parts))) + chunk)
    comment = params.get("comment", info.get("comment"))
    if comment and len(comment) > MAX_BYTES_IN_MARKER:
        raise ValueError("Comment is too long")
    if comment:
        segments += _segment(0xFE, comment.encode() if isinstance(comment, str) else bytes(comment))
    return segments


def _jfif(params: dict[str, Any]) -> bytes:
    """libjpeg's JFIF header: version 1.1, the ``dpi`` when both are above 0,
    else square pixels (unit 0, density 1:1)."""
    dpi = params.get("dpi", (0, 0))
    x, y = (round(value) for value in dpi)
    unit, density = (1, (x, y)) if x > 0 and y > 0 else (0, (1, 1))
    return _segment(0xE0, b"JFIF\x00\x01\x01" + struct.pack(">BHH", unit, *density) + b"\x00\x00")


def finish(data: bytes, layout: JpegLayout, params: dict[str, Any], info: dict[str, Any]) -> bytes:
    """The encoder's file ``data`` laid out as Pillow's: SOI, JFIF or Adobe
    header, Pillow's metadata, the quantization tables, the frame header
    with libjpeg's ids and table numbers, then the encoder's Huffman tables
    and scans (each scan header with the same ids). Pillow's ``streamtype``
    1 gives the tables alone, 2 the image without them (an abbreviated
    stream, read after a tables-only one)."""
    segments: list[tuple[int, bytes]] = []
    at = 2
    while data[at + 1] != 0xDA:
        length = int.from_bytes(data[at + 2 : at + 4], "big")
        segments.append((data[at + 1], data[at + 4 : at + 2 + length]))
        at += 2 + length
    scans = bytearray(data[at:])
    renumber = dict(zip(range(len(layout.ids)), layout.ids, strict=True))

    streamtype = require_int("streamtype", params.get("streamtype", 0))
    head = b""
    if layout.jfif:
        head += _jfif(params)
    if layout.adobe:
        head += _segment(0xEE, _ADOBE)
    # An image-only stream (streamtype 2) leaves out Pillow's "extra"
    # segments (XMP, ICC profile), as its encoder does.
    head += _metadata(params if streamtype != 2 else {**params, "xmp": None, "icc_profile": None}, info)
    used = list(dict.fromkeys(layout.assignment))
    quantization = b"".join(_dqt(index, layout.tables[index]) for index in used)
    wide = any(max(layout.tables[index]) > 255 for index in used)
    frame = huffman = restart = b""
    for marker, body in segments:
        if 0xC0 <= marker <= 0xC2:
            components = bytearray(body)
            for component in range(components[5]):
                at = 6 + component * 3
                components[at] = renumber[components[at]]
                components[at + 2] = layout.assignment[component]
            # libjpeg writes a frame with 16-bit tables as extended sequential.
            frame = _segment(0xC1 if marker == 0xC0 and wide else marker, bytes(components))
        elif marker == 0xC4:
            huffman += _segment(marker, body)
        elif marker == 0xDD:
            restart = _segment(marker, body)
    # Every scan header names its components: the first here, the later
    # ones (progressive) after their scans' data, where FF DA is always a marker.
    at = 0
    while (at := scans.find(b"\xff\xda", at)) >= 0:
        for component in range(scans[at + 4]):
            spot = at + 5 + component * 2
            scans[spot] = renumber[scans[spot]]
        at += 2
    if streamtype == 1:
        # Pillow's tables-only stream: what an image-only stream leaves out.
        return b"\xff\xd8" + quantization + huffman + b"\xff\xd9"
    if streamtype == 2:
        return b"\xff\xd8" + head + frame + restart + bytes(scans)
    return b"\xff\xd8" + head + quantization + frame + huffman + restart + bytes(scans)
