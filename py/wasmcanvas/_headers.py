"""What ``Image.open`` learns from a file's header before any pixel is
decoded, in pure Python (tested on the host): the size, the mode when the
header alone tells it, and Pillow's ``info`` entries for the format (PNG's
chunks, JPEG's markers, GIF's blocks, BMP's and WebP's headers, as Pillow's
plugins fill them). A header too short or damaged to read gives what could
be read; the decoder then reports the file's problem when the pixels are
loaded.

>>> import io
>>> png = io.BytesIO()
>>> Image.new("RGB", (7, 5)).save(png, "PNG")
>>> read_header(png.getvalue(), "PNG").size
(7, 5)
"""

from __future__ import annotations

import math
import re
import struct
import zlib
from dataclasses import dataclass, field
from typing import Any

from ._jpeg2000 import jpeg2000_header


@dataclass
class Header:
    """A file's size (None if the header could not be read), its mode when
    the header tells it (Pillow's), Pillow's ``info`` for it, and a "P"
    file's palette (its colours' red, green and blue, entry after entry)."""

    size: tuple[int, int] | None
    mode: str | None
    info: dict[str, Any] = field(default_factory=dict)
    palette: bytes | None = None


# Pillow's mode of a PNG by bit depth and colour type (16-bit "LA" reads as "RGBA" in Pillow).
_PNG_MODES = {(1, 0): "1", (2, 0): "L", (4, 0): "L", (8, 0): "L", (16, 0): "I;16", (8, 2): "RGB", (16, 2): "RGB"}
_PNG_MODES |= {(bits, 3): "P" for bits in (1, 2, 4, 8)}
_PNG_MODES |= {(8, 4): "LA", (16, 4): "RGBA", (8, 6): "RGBA", (16, 6): "RGBA"}
# A palette's tRNS that Pillow reads as one transparent index.
_SIMPLE_ALPHA = re.compile(b"^\xff*\x00\xff*$")


class iTXt(str):
    """Text of an iTXt chunk, with its language and translated keyword
    (Pillow's ``PngImagePlugin.iTXt``)."""

    lang: str | bytes | None
    tkey: str | bytes | None

    @staticmethod
    def __new__(cls, text: str, lang: str | bytes | None = None, tkey: str | bytes | None = None) -> iTXt:
        self = str.__new__(cls, text)
        self.lang = lang
        self.tkey = tkey
        return self


def _u16be(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "big")


def _u32be(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "big")


def _png(data: bytes) -> Header:
    if len(data) < 29 or data[12:16] != b"IHDR":
        return Header(None, None)
    size = (_u32be(data, 16), _u32be(data, 20))
    depth, colour = data[24], data[25]
    mode = _PNG_MODES.get((depth, colour))
    info: dict[str, Any] = {}
    if data[28]:
        info["interlace"] = 1
    palette = None
    at = 8
    while at + 8 <= len(data):
        length, kind = _u32be(data, at), data[at + 4 : at + 8]
        body = data[at + 8 : at + 8 + length]
        at += 12 + length
        if not kind.isalpha() or not kind.isascii():
            # A broken chunk, which Pillow refuses at open: the decoder then says what is wrong.
            return Header(None, None)
        if kind in (b"IDAT", b"IEND") or len(body) < length:
            break
        if kind == b"PLTE" and colour == 3:
            palette = body
        elif kind == b"tRNS" and colour == 3:
            if _SIMPLE_ALPHA.match(body):
                info["transparency"] = body.find(b"\0")
            else:
                info["transparency"] = body
        elif kind == b"tRNS" and colour == 0 and length >= 2:
            # A 1-bit file's transparent level is given as its "1" value, as Pillow's.
            info["transparency"] = (255 if _u16be(body, 0) else 0) if depth == 1 else _u16be(body, 0)
        elif kind == b"tRNS" and colour == 2 and length >= 6:
            info["transparency"] = (_u16be(body, 0), _u16be(body, 2), _u16be(body, 4))
        elif kind == b"gAMA" and length >= 4:
            info["gamma"] = _u32be(body, 0) / 100000.0
        elif kind == b"sRGB" and length >= 1:
            info["srgb"] = body[0]
        elif kind == b"pHYs" and length >= 9:
            px, py = _u32be(body, 0), _u32be(body, 4)
            if body[8] == 1:
                info["dpi"] = (px * 0.0254, py * 0.0254)
            elif body[8] == 0:
                info["aspect"] = (px, py)
        elif kind == b"iCCP":
            _name, _, rest = body.partition(b"\0")
            try:
                info["icc_profile"] = zlib.decompress(rest[1:])
            except zlib.error:
                info["icc_profile"] = None
        elif kind == b"eXIf":
            info["exif"] = b"Exif\x00\x00" + body
        elif kind in (b"tEXt", b"zTXt", b"iTXt"):
            _png_text(kind, body, info)
    return Header(size, mode, info, palette)


def _png_text(kind: bytes, body: bytes, info: dict[str, Any]) -> None:
    """A text chunk's keyword and text into ``info``, as Pillow decodes them
    (latin-1 for tEXt and zTXt, UTF-8 for iTXt; a damaged one is skipped)."""
    key, _, value = body.partition(b"\0")
    if not key:
        return
    try:
        if kind == b"zTXt":
            value = zlib.decompress(value[1:])
        elif kind == b"iTXt":
            flag, method, rest = value[0], value[1], value[2:]
            language, _, rest = rest.partition(b"\0")
            translated, _, value = rest.partition(b"\0")
            if flag:
                if method:
                    return
                value = zlib.decompress(value)
            text = value.decode("utf-8")
            info[key.decode("latin-1")] = iTXt(text, language.decode("utf-8"), translated.decode("utf-8"))
            return
    except (zlib.error, IndexError, UnicodeDecodeError):
        return
    name = key.decode("latin-1")
    info[name] = value if key == b"exif" else value.decode("latin-1", "replace")


def _jpeg(data: bytes) -> Header:
    info: dict[str, Any] = {}
    size: tuple[int, int] | None = None
    mode: str | None = None
    icc: list[tuple[int, bytes]] = []
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            # Junk between segments: libjpeg skips to the next marker.
            at += 1
            continue
        marker = data[at + 1]
        if marker == 0xFF or marker == 0x00 or 0xD0 <= marker <= 0xD7 or marker == 0x01:
            at += 1 if marker == 0xFF else 2
            continue
        if marker in (0xD9, 0xDA):
            break
        length = _u16be(data, at + 2)
        body = data[at + 4 : at + 2 + length]
        at += 2 + length
        if marker == 0xE0 and body.startswith(b"JFIF") and len(body) >= 12:
            version = _u16be(body, 5)
            info["jfif"] = version
            info["jfif_version"] = divmod(version, 256)
            unit, density = body[7], (_u16be(body, 8), _u16be(body, 10))
            if unit == 1:
                info["dpi"] = density
            elif unit == 2:
                info["dpi"] = tuple(value * 2.54 for value in density)
            info["jfif_unit"] = unit
            info["jfif_density"] = density
        elif marker == 0xE1 and body.startswith(b"Exif\0\0"):
            info["exif"] = info["exif"] + body[6:] if "exif" in info else body
        elif marker == 0xE1 and body.startswith(b"http://ns.adobe.com/xap/1.0/\x00"):
            info["xmp"] = body.split(b"\x00", 1)[1]
        elif marker == 0xE2 and body.startswith(b"ICC_PROFILE\0") and len(body) >= 14:
            icc.append((body[12], body[14:]))
        elif marker == 0xEE and body.startswith(b"Adobe") and len(body) >= 7:
            info["adobe"] = _u16be(body, 5)
            if len(body) >= 12:
                info["adobe_transform"] = body[11]
        elif marker == 0xFE:
            info["comment"] = body
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and len(body) >= 6:
            size = (_u16be(body, 3), _u16be(body, 1))
            mode = "L" if body[5] == 1 else "RGB"
            if marker in (0xC2, 0xC6, 0xCA, 0xCE):
                info["progressive"] = info["progression"] = 1
    if icc:
        info["icc_profile"] = b"".join(chunk for _, chunk in sorted(icc, key=lambda entry: entry[0]))
    return Header(size, mode, info)


def _gif(data: bytes) -> Header:
    if len(data) < 13:
        return Header(None, None)
    size = (int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little"))
    info: dict[str, Any] = {"version": data[:6]}
    flags = data[10]
    if flags & 0x80:
        info["background"] = data[11]
    at = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    palette = data[13:at] if flags & 0x80 else None
    # The extensions before the first image, as Pillow reads them at open.
    while at + 2 <= len(data) and data[at] == 0x21:
        label = data[at + 1]
        at += 2
        blocks = []
        while at < len(data) and data[at]:
            blocks.append(data[at + 1 : at + 1 + data[at]])
            at += 1 + data[at]
        at += 1
        first = blocks[0] if blocks else b""
        if label == 0xF9 and len(first) >= 4:
            if first[0] & 1:
                info["transparency"] = first[3]
            info["duration"] = int.from_bytes(first[1:3], "little") * 10
        elif label == 0xFE:
            info["comment"] = b"".join(blocks)
        elif label == 0xFF and first.startswith(b"NETSCAPE2.0") and len(blocks) > 1 and len(blocks[1]) >= 3:
            info["loop"] = int.from_bytes(blocks[1][1:3], "little")
    if data[at : at + 1] == b"\x2c" and at + 9 <= len(data):
        # A first frame reaching past the screen enlarges the picture, as in Pillow.
        left, top, width, height = (int.from_bytes(data[at + k : at + k + 2], "little") for k in (1, 3, 5, 7))
        size = (max(size[0], left + width), max(size[1], top + height))
        local = data[at + 9] if at + 10 <= len(data) else 0
        if local & 0x80:
            palette = data[at + 10 : at + 10 + (3 << ((local & 7) + 1))]
    if palette is None or not _palette_needed(palette):
        return Header(size, "L", info)
    return Header(size, "P", info, palette)


def _palette_needed(palette: bytes) -> bool:
    """Whether a GIF's palette is other than the greys 0, 1, 2... in order
    (Pillow's test: a file of those greys reads as "L")."""
    entries = range(0, len(palette) - 2, 3)
    return any(not (index == palette[at] == palette[at + 1] == palette[at + 2]) for index, at in enumerate(entries))


def _u32le(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 4], "little")


def _bmp_mode(
    data: bytes, header_size: int, bits: int, compression: int, colours: int
) -> tuple[str | None, bytes | None]:
    """The mode of a BMP and its palette, as Pillow's: "1" for black and
    white, "L" for a palette of greys in index order, "P" with its palette
    for another, "RGB" for colours without alpha, "RGBA" when an alpha mask
    is given."""
    if bits > 8:
        alpha_mask = _u32le(data, 14 + 40 + 12) if header_size >= 56 and compression == 3 else 0
        return ("RGBA" if alpha_mask and bits in (16, 32) else "RGB"), None
    entry = 3 if header_size == 12 else 4
    count = colours or 1 << bits
    start = 14 + header_size
    palette = data[start : start + entry * count]
    if len(palette) < entry * count or count > 256:
        return None, None
    rgb = bytes(palette[at + 2 - band] for at in range(0, len(palette), entry) for band in range(3))
    levels = (0, 255) if count == 2 else range(count)
    if all(rgb[index * 3 : index * 3 + 3] == bytes((level,)) * 3 for index, level in enumerate(levels)):
        return ("1" if count <= 2 else "L"), None
    return "P", rgb


def _bmp(data: bytes) -> Header:
    info: dict[str, Any] = {}
    if len(data) < 26:
        return Header(None, None, info)
    header_size = _u32le(data, 14)
    if header_size == 12:
        size = (int.from_bytes(data[18:20], "little"), int.from_bytes(data[20:22], "little"))
        mode, palette = _bmp_mode(data, 12, int.from_bytes(data[24:26], "little"), 0, 0)
        return Header(size, mode, info, palette)
    if len(data) < 54:
        return Header(None, None, info)
    width = int.from_bytes(data[18:22], "little", signed=True)
    height = int.from_bytes(data[22:26], "little", signed=True)
    bits = int.from_bytes(data[28:30], "little")
    info["compression"] = _u32le(data, 30)
    if info["compression"] == 3 and bits not in (16, 32):
        # Refused by Pillow at open: the decoder says why.
        return Header(None, None, info)
    per_metre = (_u32le(data, 38), _u32le(data, 42))
    dpi = tuple(value / 39.3701 for value in per_metre)
    if dpi != (0, 0):
        info["dpi"] = dpi
    mode, palette = _bmp_mode(data, header_size, bits, info["compression"], _u32le(data, 46))
    return Header((width, abs(height)), mode, info, palette)


def _webp(data: bytes) -> Header:
    chunk = data[12:16]
    info: dict[str, Any] = {}
    if chunk == b"VP8X" and len(data) >= 30:
        size = (1 + int.from_bytes(data[24:27], "little"), 1 + int.from_bytes(data[27:30], "little"))
        mode = "RGBA" if data[20] & 0x10 else "RGB"
        at = 30
        while at + 8 <= len(data):
            kind, length = data[at : at + 4], int.from_bytes(data[at + 4 : at + 8], "little")
            body = data[at + 8 : at + 8 + length]
            at += 8 + length + (length & 1)
            if kind == b"ICCP":
                info["icc_profile"] = body
            elif kind == b"EXIF":
                info["exif"] = body
            elif kind == b"XMP ":
                info["xmp"] = body
            elif kind == b"ANIM" and len(body) >= 6:
                # Stored blue, green, red, alpha; Pillow gives it as RGBA.
                info["background"] = (body[2], body[1], body[0], body[3])
                info["loop"] = int.from_bytes(body[4:6], "little")
        return Header(size, mode, info)
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        size = ((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1)
        return Header(size, "RGBA" if bits >> 28 & 1 else "RGB", info)
    if chunk == b"VP8 " and len(data) >= 30:
        size = (int.from_bytes(data[26:28], "little") & 0x3FFF, int.from_bytes(data[28:30], "little") & 0x3FFF)
        return Header(size, "RGB", info)
    return Header(None, None, info)


NETPBM_SPACE = b" \t\n\x0b\x0c\r"


def _netpbm_token(data: bytes, at: int) -> tuple[bytes, int]:
    """The header's next number and where reading goes on, as Pillow's
    ``_read_token`` finds it (comments dropped even inside a number)."""
    token = b""
    while len(token) <= 10 and at < len(data):
        byte = data[at : at + 1]
        at += 1
        if byte in NETPBM_SPACE:
            if not token:
                continue
            break
        if byte == b"#":
            while at < len(data) and data[at : at + 1] not in (b"\r", b"\n"):
                at += 1
            at += 1
            continue
        token += byte
    return token, at


def _netpbm(data: bytes) -> Header:
    """A Netpbm header. One Pillow refuses (``ValueError``, or ``OSError`` for
    a size that is not positive) gives no size, so that ``open`` decodes the
    file at once and the decoder raises Pillow's exception there."""
    numbers = []
    at = 3
    for _ in range(2 if data[1:2] in (b"1", b"4") else 3):
        token, at = _netpbm_token(data, at)
        digits = token[1:] if token[:1] in (b"+", b"-") else token
        if not digits.isdigit() or len(token) > 10:
            return Header(None, None)
        numbers.append(int(token))
    if len(numbers) == 3 and not 0 < numbers[2] < 65536:
        return Header(None, None)
    if numbers[0] <= 0 or numbers[1] <= 0:
        return Header(None, None)
    mode = {b"1": "1", b"4": "1", b"3": "RGB", b"6": "RGB"}.get(data[1:2], "L")
    if mode == "L" and numbers[2] > 255:
        mode = "I"  # 16-bit grey, as Pillow reads it
    return Header((numbers[0], numbers[1]), mode)


def _tga(data: bytes) -> Header:
    """A TGA header: grey ("L", "LA"), colour ("RGB" at 24 bits, "RGBA" at
    16 and 32, as Pillow) or colour-mapped ("P" with a 24-bit map; other
    maps decided by the pixels)."""
    kind, depth, has_map = data[2] & 7, data[16], data[1] == 1
    size = (int.from_bytes(data[12:14], "little"), int.from_bytes(data[14:16], "little"))
    modes = {(3, 8): "L", (3, 16): "LA", (2, 24): "RGB", (2, 16): "RGBA", (2, 32): "RGBA", (1, 8): "L"}
    mode = None if kind == 1 and has_map else modes.get((kind, depth))
    palette = None
    start, count, map_depth = _u16le(data, 3), _u16le(data, 5), data[7]
    entries = data[18 + data[0] : 18 + data[0] + 3 * count]
    if kind == 1 and has_map and depth == 8 and map_depth == 24 and len(entries) == 3 * count:
        # A 24-bit colour map: Pillow's "P" (other maps are decoded at open, as RGB(A)).
        mode = "P"
        palette = bytes(3 * min(start, 256)) + bytes(
            entries[at + 2 - band] for at in range(0, len(entries), 3) for band in range(3)
        )
    info: dict[str, Any] = {"orientation": 1 if data[17] & 0x20 else -1}
    if data[2] & 8:
        info["compression"] = "tga_rle"
    if data[0]:
        info["id_section"] = data[18 : 18 + data[0]]
    return Header(size, mode, info, palette)


def _u16le(data: bytes, at: int) -> int:
    return int.from_bytes(data[at : at + 2], "little")


def _pcx(data: bytes) -> Header:
    """A PCX header as Pillow reads it: "1" for 1 bit, "P" with the
    header's 16 colours for 1 bit in 2 or 4 planes, for 8 bits "L" when
    the palette at the end is greys in order (or absent), else "P" with it,
    "RGB" for 3 planes; ``dpi`` as Pillow gives it."""
    if len(data) < 128:
        return Header(None, None)
    numbers = [int.from_bytes(data[at : at + 2], "little") for at in (4, 6, 8, 10, 12, 14)]
    size = (numbers[2] + 1 - numbers[0], numbers[3] + 1 - numbers[1])
    version, bits, planes = data[1], data[3], data[65]
    mode: str | None = None
    palette = None
    if (bits, planes) == (1, 1):
        mode = "1"
    elif bits == 1 and planes in (2, 4):
        mode, palette = "P", data[16:64]
    elif version == 5 and (bits, planes) == (8, 3):
        mode = "RGB"
    elif version == 5 and (bits, planes) == (8, 1):
        tail = data[-769:]
        grey = len(tail) != 769 or tail[0] != 12 or tail[1:] == bytes(level for level in range(256) for _ in range(3))
        mode, palette = ("L", None) if grey else ("P", tail[1:])
    if size[0] <= 0 or size[1] <= 0:
        return Header(None, None)
    return Header(size, mode, {"dpi": (numbers[4], numbers[5])}, palette)


def _ico(data: bytes) -> Header:
    """An icon's header: the entry Pillow opens (the largest, of the lowest
    colour depth among those as large), its PNG's header or its DIB's size
    ("RGBA": its mask or alpha), and Pillow's ``info["sizes"]``."""
    count = int.from_bytes(data[4:6], "little")
    entries = []
    for index in range(count):
        entry = data[6 + index * 16 : 22 + index * 16]
        if len(entry) < 16:
            return Header(None, None)
        width, height, colours, bpp = entry[0] or 256, entry[1] or 256, entry[2], int.from_bytes(entry[6:8], "little")
        depth = bpp or (colours and (colours - 1).bit_length()) or 256
        entries.append((-(width * height), depth, int.from_bytes(entry[12:16], "little"), (width, height)))
    if not entries:
        return Header(None, None)
    info: dict[str, Any] = {"sizes": {size for *_, size in entries}}
    offset = min(entries, key=lambda entry: entry[:2])[2]
    image = data[offset:]
    if image.startswith(b"\x89PNG\r\n\x1a\n"):
        inner = _png(image)
        return Header(inner.size, inner.mode, info)
    if len(image) < 12:
        return Header(None, None, info)
    size = (int.from_bytes(image[4:8], "little"), abs(int.from_bytes(image[8:12], "little", signed=True)) // 2)
    return Header(size, "RGBA", info)


# Pillow's names for TIFF's compression schemes, as ``info["compression"]`` gives them.
TIFF_COMPRESSION = {
    1: "raw",
    2: "tiff_ccitt",
    3: "group3",
    4: "group4",
    5: "tiff_lzw",
    6: "tiff_jpeg",
    7: "jpeg",
    8: "tiff_adobe_deflate",
    32773: "packbits",
    32946: "tiff_deflate",
    34925: "lzma",
    50000: "zstd",
    50001: "webp",
}
# A TIFF tag's type: bytes a value, and the struct letter of one.
_TIFF_TYPES = {1: (1, "B"), 3: (2, "H"), 4: (4, "I"), 5: (8, "II")}


def _tiff_tags(data: bytes) -> dict[int, list[float]]:
    """The numeric tags of a TIFF's first directory (RATIONAL as floats)."""
    order = ">" if data[:2] == b"MM" else "<"
    at = struct.unpack(order + "I", data[4:8])[0]
    if len(data) < at + 2:
        return {}
    count = struct.unpack(order + "H", data[at : at + 2])[0]
    tags: dict[int, list[float]] = {}
    for index in range(min(count, 4096)):
        entry = data[at + 2 + index * 12 : at + 14 + index * 12]
        if len(entry) < 12:
            break
        tag, kind, number = struct.unpack(order + "HHI", entry[:8])
        # An empty tag says nothing: the decoder judges the file.
        if kind not in _TIFF_TYPES or not 0 < number <= 1024:
            continue
        size, letters = _TIFF_TYPES[kind]
        start = at + 10 + index * 12 if size * number <= 4 else struct.unpack(order + "I", entry[8:])[0]
        body = data[start : start + size * number]
        if len(body) < size * number:
            continue
        values = list(struct.unpack(order + letters * number, body))
        if kind == 5:
            values = [
                top / bottom if bottom else float("nan") for top, bottom in zip(values[::2], values[1::2], strict=True)
            ]
        tags[tag] = values
    return tags


def _tiff(data: bytes) -> Header:
    """A TIFF's first directory: its size, its mode ("1" for bilevel, "L"
    for grey, "I;16" or "I;16B" for 16-bit grey, "LA", "RGB" (also Pillow's "RGBX"), "RGBA", "P" with its
    colour map), and Pillow's ``compression``, ``dpi`` and ``resolution``."""
    if len(data) < 8:
        return Header(None, None)
    tags = _tiff_tags(data)

    def whole(tag: int, default: int) -> int:
        # A RATIONAL where an integer belongs may be NaN or infinite.
        value = tags.get(tag, [default])[0]
        return int(value) if math.isfinite(value) else default

    if 256 not in tags or 257 not in tags:
        return Header(None, None)
    size = (whole(256, 0), whole(257, 0))
    samples = whole(277, 1)
    photometric = whole(262, 2 if samples >= 3 else 1)
    extra = tags.get(338, [])
    modes = {1: "L", 2: "LA", 3: "RGB", 4: "RGB" if extra[:1] == [0] else "RGBA"}
    bits = [int(value) if math.isfinite(value) else 0 for value in tags.get(258, [1])[:samples]]
    readable = bits == [8] * samples or (samples == 1 and bits[0] in (1, 2, 4, 16))
    # A file the decoder refuses is decoded at open, where it raises.
    mode = None if not readable else modes.get(samples)
    palette = None
    colormap = [int(value) if math.isfinite(value) else 0 for value in tags.get(320, [])]
    if mode is not None and photometric == 3:
        count = 1 << bits[0]
        if samples != 1 or len(colormap) != 3 * count:
            mode = None
        else:
            mode = "P"
            palette = bytes(colormap[plane * count + index] // 256 for index in range(count) for plane in range(3))
    elif photometric == 8:
        # CIELab: Pillow's "LAB" reads 3 interleaved 8-bit samples only.
        mode = "LAB" if mode == "RGB" and whole(284, 1) == 1 else None
    elif mode == "L" and bits == [1]:
        mode = "1"
    elif mode == "L" and bits == [16]:
        # Pillow's 16-bit grey keeps the file's byte order in its mode's name.
        mode = "I;16B" if data[:2] == b"MM" else "I;16"
    compression = whole(259, 1)
    info: dict[str, Any] = {"compression": TIFF_COMPRESSION.get(compression, str(compression))}
    # Pillow's default of 1 (an int) for a missing resolution.
    xres, yres = tags.get(282, [1])[0], tags.get(283, [1])[0]
    if xres and yres:
        unit = tags.get(296, [None])[0]
        if unit == 2:
            info["dpi"] = (xres, yres)
        elif unit == 3:
            info["dpi"] = (xres * 2.54, yres * 2.54)
        elif unit is None:
            info["dpi"] = (xres, yres)
            info["resolution"] = (xres, yres)
        else:
            info["resolution"] = (xres, yres)
    return Header(size, mode, info, palette)


# Apple icon entries by (width, height, scale), in Pillow's order: each
# size's block types and how they hold pixels ("png" a PNG or JPEG 2000
# file, "rgb" run-length RGB, "rgb4" the same after 4 zero bytes, "mask" alpha).
ICNS_SIZES: dict[tuple[int, int, int], list[tuple[bytes, str]]] = {
    (512, 512, 2): [(b"ic10", "png")],
    (512, 512, 1): [(b"ic09", "png")],
    (256, 256, 2): [(b"ic14", "png")],
    (256, 256, 1): [(b"ic08", "png")],
    (128, 128, 2): [(b"ic13", "png")],
    (128, 128, 1): [(b"ic07", "png"), (b"it32", "rgb4"), (b"t8mk", "mask")],
    (64, 64, 1): [(b"icp6", "png")],
    (32, 32, 2): [(b"ic12", "png")],
    (48, 48, 1): [(b"ih32", "rgb"), (b"h8mk", "mask")],
    (32, 32, 1): [(b"icp5", "png"), (b"il32", "rgb"), (b"l8mk", "mask")],
    (16, 16, 2): [(b"ic11", "png")],
    (16, 16, 1): [(b"icp4", "png"), (b"is32", "rgb"), (b"s8mk", "mask")],
}


def icns_blocks(data: bytes) -> dict[bytes, tuple[int, int]]:
    """Each block of an Apple icon file: its type and (where its data
    starts, its length), as Pillow's ``IcnsFile`` reads them
    (``SyntaxError`` for what it refuses, ``struct.error`` for a header cut
    short)."""
    signature, file_size = struct.unpack(">4sI", data[:8])
    if signature != b"icns":
        raise SyntaxError("not an icns file")
    blocks: dict[bytes, tuple[int, int]] = {}
    at = 8
    while at < file_size:
        kind, length = struct.unpack(">4sI", data[at : at + 8])
        if length <= 0:
            raise SyntaxError("invalid block header")
        blocks[kind] = (at + 8, length - 8)
        at += length
    return blocks


def icns_sizes(blocks: dict[bytes, tuple[int, int]]) -> list[tuple[int, int, int]]:
    """The sizes an icon file has an entry for (Pillow's ``info["sizes"]``)."""
    return [size for size, kinds in ICNS_SIZES.items() if any(kind in blocks for kind, _ in kinds)]


def _icns(data: bytes) -> Header:
    sizes = icns_sizes(icns_blocks(data))
    if not sizes:
        raise SyntaxError("No 32bit icon resources found")
    width, height, scale = max(sizes)
    return Header((width * scale, height * scale), "RGBA", {"sizes": sizes})


# Pillow's SGI modes by bytes a sample, dimension and channels.
SGI_MODES = {(1, 1, 1): "L", (1, 2, 1): "L", (1, 3, 3): "RGB", (1, 3, 4): "RGBA"}
SGI_MODES |= {(2, *key[1:]): mode for key, mode in SGI_MODES.items()}


def _sgi(data: bytes) -> Header:
    """An SGI header: its size and Pillow's mode ("L", "RGB", "RGBA"; 16-bit
    files in the same 8-bit modes); None for a mode Pillow refuses."""
    bpc, dimension, width, height, channels = data[3], *struct.unpack(">HHHH", data[4:12])
    return Header((width, height), SGI_MODES.get((bpc, dimension, channels)))


@dataclass
class FliHeader:
    """What Pillow's FLI opener reads: size, frame count, ``duration`` (ms)
    and the 256 colours of the first frame's colour chunk (greys without one)."""

    size: tuple[int, int]
    frames: int
    duration: int
    palette: bytes


def fli_header(data: bytes) -> FliHeader:
    """The header of an FLI or FLC file as Pillow's ``FliImageFile._open``
    reads it: ``SyntaxError`` for one whose reserved bytes are not zero,
    ``ValueError`` for a colour chunk with too many or too large colours,
    ``struct.error`` or ``IndexError`` for one cut short (all three are
    Pillow's refusals of the file)."""
    if not (
        len(data) >= 128
        and struct.unpack_from("<H", data, 4)[0] in (0xAF11, 0xAF12)
        and struct.unpack_from("<H", data, 14)[0] in (0, 3)
        and data[20:22] == b"\0\0"
        and data[42:80] == bytes(38)
        and data[88:128] == bytes(40)
    ):
        raise SyntaxError("not an FLI/FLC file")
    frames, width, height = struct.unpack_from("<HHH", data, 6)
    duration, magic = struct.unpack_from("<I", data, 16)[0], struct.unpack_from("<H", data, 4)[0]
    if magic == 0xAF11:
        duration = duration * 1000 // 70
    palette = [(level, level, level) for level in range(256)]
    at = 128
    if struct.unpack_from("<H", data[at : at + 16], 4)[0] == 0xF100:
        # A prefix chunk, skipped.
        at += struct.unpack_from("<I", data, at)[0]
    chunk = data[at : at + 16]
    if struct.unpack_from("<H", chunk, 4)[0] == 0xF1FA:
        at += 16
        size: int | None = None
        for _ in range(struct.unpack_from("<H", chunk, 6)[0]):
            if size is not None:
                at += size - 6
                if at < 0:
                    raise ValueError("negative seek value")
            head = data[at : at + 6]
            at += 6
            kind = struct.unpack_from("<H", head, 4)[0]
            if kind in (4, 11):
                _fli_palette(data, at, palette, 2 if kind == 11 else 0)
                break
            size = struct.unpack_from("<I", head)[0]
            if not size:
                break
    return FliHeader((width, height), frames, duration, bytes(value for rgb in palette for value in rgb))


def _fli_palette(data: bytes, at: int, palette: list[tuple[int, int, int]], shift: int) -> None:
    """Pillow's reading of an FLI colour chunk's packets into ``palette``."""
    index = 0
    packets = struct.unpack_from("<H", data[at : at + 2])[0]
    at += 2
    for _ in range(packets):
        skip, count = data[at], data[at + 1] or 256
        at += 2
        index += skip
        if index + count > 256:
            raise ValueError("too much palette data")
        colours = data[at : at + count * 3]
        at += count * 3
        for start in range(0, len(colours), 3):
            rgb = tuple(value << shift for value in colours[start : start + 3])
            if max(rgb) > 255:
                raise ValueError("palette data out of range")
            palette[index] = (rgb[0], rgb[1], rgb[2])
            index += 1


def _fli(data: bytes) -> Header:
    header = fli_header(data)
    return Header(header.size, "P", {"duration": header.duration}, header.palette)


def _jpeg2000(data: bytes) -> Header:
    header = jpeg2000_header(data)
    return Header(header.size, header.mode, header.info)


READERS = {
    "JPEG2000": _jpeg2000,
    "ICNS": _icns,
    "SGI": _sgi,
    "FLI": _fli,
    "ICO": _ico,
    "PNG": _png,
    "JPEG": _jpeg,
    "GIF": _gif,
    "BMP": _bmp,
    "WEBP": _webp,
    "PPM": _netpbm,
    "PCX": _pcx,
    "TGA": _tga,
    "TIFF": _tiff,
}


def read_header(data: bytes, format: str) -> Header:
    """The header of ``data``, a file of ``format`` (``sniff_format``'s name).
    A header these readers cannot make sense of gives neither size nor mode:
    the file is then decoded at ``open``, and the Rust decoder, which checks
    every field, says what is wrong with it."""
    try:
        return READERS[format](data)
    except (IndexError, ValueError, OverflowError, ZeroDivisionError, SyntaxError, struct.error):
        return Header(None, None)
