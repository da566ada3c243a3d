"""Pillow's ``PIL.JpegImagePlugin``: the class of the JPEG files ``Image.open``
returns, for code and tests that check ``isinstance(im, JpegImagePlugin.JpegImageFile)``.

>>> Image.new("RGB", (4, 4)).save("tiny.jpg")
>>> im = Image.open("tiny.jpg")
>>> isinstance(im, JpegImagePlugin.JpegImageFile), im.format_description
(True, 'JPEG (ISO 10918)')
"""

from __future__ import annotations

import struct
import warnings
from typing import Any

from ._exif import _Directory, dpi_of
from .ImageFile import ImageFile, _Tile

# Where each of a DQT table's 64 values (in zigzag order) goes in Pillow's
# ``quantization`` lists.
_ZIGZAG = (
    *(0, 1, 5, 6, 14, 15, 27, 28, 2, 4, 7, 13, 16, 26, 29, 42),
    *(3, 8, 12, 17, 25, 30, 41, 43, 9, 11, 18, 24, 31, 40, 44, 53),
    *(10, 19, 23, 32, 39, 45, 52, 54, 20, 22, 33, 38, 46, 51, 55, 60),
    *(21, 34, 37, 47, 50, 56, 59, 61, 35, 36, 48, 49, 57, 58, 62, 63),
)

__all__ = ["JpegImageFile"]


class JpegImageFile(ImageFile):
    """A JPEG file read by ``Image.open``."""

    format = "JPEG"
    format_description = "JPEG (ISO 10918)"
    _mimetype = "image/jpeg"

    layers = 0
    """The number of components of the frame (Pillow's ``layers``)."""

    def _read_header_extras(self) -> None:
        self.app: dict[str, bytes] = {}
        self.applist: list[tuple[str, bytes]] = []
        self.layer: list[tuple[int, int, int, int]] = []
        self.quantization: dict[int, list[int]] = {}
        self._icc_chunks: list[bytes] = []
        # Read again here as Pillow reads it (see ``_settle_icc``).
        self.info.pop("icc_profile", None)
        self._read_segments(self._pending or b"")
        # Pillow reads four components (CMYK, or YCCK converted) as CMYK.
        if self.layers == 4:
            self._mode = "CMYK"
            self._codec_decoder = "decode_jpeg_cmyk"
        # Pillow takes the dpi from EXIF when the JFIF header gives none.
        if "dpi" not in self.info and "exif" in self.info:
            self.info["dpi"] = dpi_of(self.getexif)
        # Pillow reads Adobe's CMYK inverted ("CMYK;I").
        rawmode = "CMYK;I" if self._mode == "CMYK" and "adobe" in self.info else self._mode
        self.tile = [_Tile("jpeg", (0, 0, *self._size), 0, (rawmode, ""))]

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile:
        return super()._from_file(_joined_tables(data), format, filename)

    def draft(self, mode: str | None, size: tuple[int, int] | None) -> tuple[str, tuple[int, int, float, float]] | None:
        """Pillow's ``draft``: sets up the reading of the pixels (before they
        are loaded) to give ``mode`` "L" or "YCbCr" from a colour JPEG and
        the smallest of 1/1, 1/2, 1/4 and 1/8 of the size (rounded up) that
        is still at least ``size``, decoded scaled in the DCT as libjpeg
        does; the chosen mode and the box of the original image in the new
        size's terms, or None once loaded or drafted.

        >>> im = Image.open("photo.jpg")  # 640x480
        >>> im.draft("L", (100, 100))
        ('L', (0, 0, 160.0, 120.0))
        >>> im.size
        (160, 120)
        """
        if len(self.tile) != 1 or self.decoderconfig:
            return None
        codec, extents, offset, args = self.tile[0]
        original = self.size
        scale = 1
        assert isinstance(args, tuple)
        if args[0] == "RGB" and mode in ("L", "YCbCr"):
            self._mode = mode
            args = (mode, "")
        if size:
            # Pillow's choice: the largest power of 2 up to 8 that both sides allow.
            fits = min(original[0] // size[0], original[1] // size[1])
            scale = next((step for step in (8, 4, 2) if fits >= step), 1)
            if extents is not None:
                x0, y0, x1, y1 = extents
                extents = (x0, y0, (x1 - x0 + scale - 1) // scale + x0, (y1 - y0 + scale - 1) // scale + y0)
            self._size = ((original[0] + scale - 1) // scale, (original[1] + scale - 1) // scale)
        self.tile = [_Tile(codec, extents, offset, args)]
        self.decoderconfig = (scale, 0)
        return self.mode, (0, 0, original[0] / scale, original[1] / scale)

    # Every pixel opaque RGBA, scaled or not (CMYK keeps its own fourth byte).
    _decoded_opaque = True

    def _decoder_call(self) -> tuple[Any, ...]:
        if not self.decoderconfig:
            return super()._decoder_call()
        colour = self._mode if self._mode in ("L", "YCbCr") and self.layers == 3 else ""
        return ("decode_jpeg_draft", self.decoderconfig[0], colour)

    def _check_header(self, data: bytes) -> None:
        # Pillow's reader refuses a file that ends before its first
        # segment's marker and length, in the words of its message.
        at = 2
        while at < len(data) and data[at] == 0xFF:
            at += 1
        if at + 3 > len(data) or data[at] == 0x00:
            raise SyntaxError("not identified by this driver")

    def __getstate__(self) -> list[Any]:
        return [*super().__getstate__(), self.layers, self.layer]

    def __setstate__(self, state: list[Any]) -> None:
        self.layers, self.layer = state[6:8]
        super().__setstate__(state)

    def _getexif(self) -> dict[int, Any] | None:
        """Pillow's ``_getexif``: IFD0 with the Exif directory's tags and
        the GPS directory as a dict under its tag; None without EXIF."""
        if "exif" not in self.info:
            return None
        return self.getexif()._get_merged_dict()

    def _read_segments(self, data: bytes) -> None:
        """Pillow's ``app``, ``applist`` (APPn and COM segments in order),
        ``layers``, ``layer`` (id, h, v, table of each component) and
        ``quantization`` (each DQT table in natural order) from the
        segments before the scan; a segment cut short ends the walk."""
        at = 2
        while at + 4 <= len(data):
            if data[at] != 0xFF:
                # Junk between segments (a segment shorter than its data): skipped to the next marker, as Pillow.
                at += 1
                continue
            marker = data[at + 1]
            if marker == 0xFF:
                at += 1
                continue
            if marker in (0xD9, 0xDA):
                break
            length = int.from_bytes(data[at + 2 : at + 4], "big")
            body = data[at + 4 : at + 2 + length]
            if length < 2 or len(body) != length - 2:
                break
            at += 2 + length
            if 0xE0 <= marker <= 0xEF or marker == 0xFE:
                name = "COM" if marker == 0xFE else f"APP{marker & 15}"
                self.app[name] = body
                self.applist.append((name, body))
                self._read_app(marker, body, at - len(body))
            elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC) and len(body) >= 6:
                self._settle_icc()
                self.layers = body[5]
                self.layer = [
                    (body[i], body[i + 1] // 16, body[i + 1] & 15, body[i + 2]) for i in range(6, len(body) - 2, 3)
                ]
            elif marker == 0xDB:
                self._read_tables(body)

    def _read_app(self, marker: int, body: bytes, body_start: int) -> None:
        """What Pillow's reader takes from APP segments besides the header's
        facts: the ICC profile's chunks (settled at the frame header),
        Photoshop's resources (APP13) and the MPO index (APP2 "MPF")."""
        if marker == 0xE2 and body.startswith(b"ICC_PROFILE\0"):
            self._icc_chunks.append(body)
        elif marker == 0xED and body.startswith(b"Photoshop 3.0\x00"):
            self.info.setdefault("photoshop", {}).update(_photoshop_resources(body))
        elif marker == 0xE2 and body.startswith(b"MPF\0"):
            self.info["mp"] = body[4:]
            self.info["mpoffset"] = body_start + 4

    def _settle_icc(self) -> None:
        """Pillow's ICC profile: the chunks seen before a frame header, in
        the order of their numbers, if there are as many as they say (else
        None); chunks after the frame header are not read."""
        if not self._icc_chunks:
            return
        chunks = sorted(self._icc_chunks)
        whole = len(chunks[0]) > 13 and chunks[0][13] == len(chunks)
        self.info["icc_profile"] = b"".join(chunk[14:] for chunk in chunks) if whole else None
        self._icc_chunks = []

    def _getmp(self) -> dict[int, Any] | None:
        """Pillow's MPO index: the APP2 "MPF" segment's directory, its
        entries (0xB002) as dicts; None without one; ``SyntaxError`` for a
        malformed one, in Pillow's words."""
        if "mp" not in self.info:
            return None
        return _mp_index(self.info["mp"])

    def _after_open(self) -> None:
        # Pillow's opener reads a file with a malformed MPO index as a JPEG,
        # with this warning.
        try:
            self._getmp()
        except SyntaxError:
            warnings.warn(
                "Image appears to be a malformed MPO file, it will be interpreted as a base JPEG file",
                stacklevel=3,
            )

    def _read_tables(self, body: bytes) -> None:
        while body:
            precision = 1 if body[0] // 16 == 0 else 2
            size = 1 + precision * 64
            if len(body) < size:
                return
            raw = body[1:size]
            values = [int.from_bytes(raw[i * precision : (i + 1) * precision], "big") for i in range(64)]
            self.quantization[body[0] & 15] = [values[i] for i in _ZIGZAG]
            body = body[size:]


def _photoshop_resources(body: bytes) -> dict[int, Any]:
    """Photoshop's image resources ("8BIM" blocks) in an APP13 segment:
    ResolutionInfo (0x03ED) as Pillow's dict, the others as bytes; what is
    cut short ends the walk."""
    found: dict[int, Any] = {}
    at = 14
    try:
        while body[at : at + 4] == b"8BIM":
            code = struct.unpack_from(">H", body, at + 4)[0]
            at += 6 + 1 + body[at + 6]
            at += at & 1
            size = struct.unpack_from(">L", body, at)[0]
            data = body[at + 4 : at + 4 + size]
            if code == 0x03ED:
                x, x_units, y, y_units = struct.unpack_from(">LH2xLH", data)
                found[code] = {
                    "XResolution": x / 65536,
                    "DisplayedUnitsX": x_units,
                    "YResolution": y / 65536,
                    "DisplayedUnitsY": y_units,
                }
            else:
                found[code] = data
            at += 4 + size
            at += at & 1
    except (struct.error, IndexError):
        pass
    return found


# Pillow's names of MPO entries' types.
_MP_TYPES = {
    0x000000: "Undefined",
    0x010001: "Large Thumbnail (VGA Equivalent)",
    0x010002: "Large Thumbnail (Full HD Equivalent)",
    0x020001: "Multi-Frame Image (Panorama)",
    0x020002: "Multi-Frame Image: (Disparity)",
    0x020003: "Multi-Frame Image: (Multi-Angle)",
    0x030000: "Baseline MP Primary Image",
}


def _mp_index(data: bytes) -> dict[int, Any]:
    endian = ">" if data.startswith(b"MM\x00*") else "<"
    try:
        if data[:4] not in (b"MM\x00*", b"II*\x00"):
            raise ValueError("not a TIFF header")
        directory = _Directory(endian)
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            directory.load(data, struct.unpack_from(endian + "L", data, 4)[0])
        index = directory.items()
    except Exception as error:
        raise SyntaxError("malformed MP Index (unreadable directory)") from error
    if 0xB001 not in index:
        raise SyntaxError("malformed MP Index (no number of images)")
    entries = []
    try:
        raw = index[0xB002]
        for number in range(index[0xB001]):
            attribute, size, offset, first, second = struct.unpack_from(endian + "LLLHH", raw, number * 16)
            if (attribute >> 24) & 7 != 0:
                raise SyntaxError("unsupported picture format in MPO")
            entries.append(
                {
                    "Attribute": {
                        "DependentParentImageFlag": bool(attribute & (1 << 31)),
                        "DependentChildImageFlag": bool(attribute & (1 << 30)),
                        "RepresentativeImageFlag": bool(attribute & (1 << 29)),
                        "Reserved": (attribute >> 27) & 3,
                        "ImageDataFormat": "JPEG",
                        "MPType": _MP_TYPES.get(attribute & 0xFFFFFF, "Unknown"),
                    },
                    "Size": size,
                    "DataOffset": offset,
                    "EntryNo1": first,
                    "EntryNo2": second,
                }
            )
    except (KeyError, TypeError, struct.error) as error:
        raise SyntaxError("malformed MP Index (bad MP Entry)") from error
    index[0xB002] = entries
    return index


def _joined_tables(data: bytes) -> bytes:
    """A tables-only JPEG stream followed by an abbreviated one (Pillow's
    ``streamtype`` 1 then 2, which libjpeg reads as one) made one stream:
    the tables' segments, then the image's after its SOI."""
    at = 2
    while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] in (0xDB, 0xC4, 0xDD, 0xFE, *range(0xE0, 0xF0)):
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    if at > 2 and data[at : at + 4] == b"\xff\xd9\xff\xd8":
        return data[:at] + data[at + 4 :]
    return data
