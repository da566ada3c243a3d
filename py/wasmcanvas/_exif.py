"""EXIF, read and written as Pillow 13 does (``Image.Exif``): a TIFF header
and its directories (IFDs) of tagged values, parsed here in Python.

EXIF comes from files, so it is untrusted: every offset is checked against
the data, every loop is bounded by the data's length, and a directory cut
short keeps the entries read before, with Pillow's warning.

>>> exif = Exif()
>>> exif[0x0112] = 6
>>> again = Exif()
>>> again.load(exif.tobytes())
>>> again[0x0112]
6
"""

from __future__ import annotations

import math
import re
import struct
import warnings
from collections.abc import Callable, Iterator, MutableMapping
from fractions import Fraction
from typing import Any

__all__ = ["Exif", "IFDRational"]

_EXIF_IFD, _GPS_IFD, _INTEROP_IFD, _MAKER_NOTE, _IFD1 = 0x8769, 0x8825, 0xA005, 0x927C, -1
_PREFIXES = (b"MM\x00\x2a", b"II\x2a\x00", b"MM\x2a\x00", b"II\x00\x2a")

# TIFF type -> (bytes per value, struct letter; "" for the byte types)
_TYPES: dict[int, tuple[int, str]] = {
    1: (1, ""),  # BYTE
    2: (1, ""),  # ASCII
    3: (2, "H"),  # SHORT
    4: (4, "L"),  # LONG
    5: (8, "L"),  # RATIONAL: two LONGs
    6: (1, "b"),  # SBYTE
    7: (1, ""),  # UNDEFINED
    8: (2, "h"),  # SSHORT
    9: (4, "l"),  # SLONG
    10: (8, "l"),  # SRATIONAL: two SLONGs
    11: (4, "f"),  # FLOAT
    12: (8, "d"),  # DOUBLE
    13: (4, "L"),  # IFD
    16: (8, "Q"),  # LONG8
}


# The TIFF type Pillow writes each tag it knows as, whatever type the file
# had (Pillow's TiffTags tables: the first directory's tags, then the Exif,
# GPS and Interop directories' own); other tags get the type of their value.
_TAG_TYPES: dict[int | None, dict[int, int]] = {
    None: {
        254: 4,
        255: 3,
        256: 4,
        257: 4,
        258: 3,
        259: 3,
        262: 3,
        263: 3,
        264: 3,
        265: 3,
        266: 3,
        269: 2,
        270: 2,
        271: 2,
        272: 2,
        273: 4,
        274: 3,
        277: 3,
        278: 4,
        279: 4,
        280: 3,
        281: 3,
        282: 5,
        283: 5,
        284: 3,
        285: 2,
        286: 5,
        287: 5,
        288: 4,
        289: 4,
        290: 3,
        291: 3,
        292: 4,
        293: 4,
        296: 3,
        297: 3,
        301: 3,
        305: 2,
        306: 2,
        315: 2,
        316: 2,
        317: 3,
        318: 5,
        319: 5,
        320: 3,
        321: 3,
        322: 4,
        323: 4,
        324: 4,
        325: 4,
        330: 4,
        332: 3,
        333: 2,
        334: 3,
        336: 3,
        337: 2,
        338: 3,
        339: 3,
        340: 12,
        341: 12,
        342: 3,
        347: 7,
        512: 3,
        513: 4,
        514: 4,
        515: 3,
        517: 3,
        518: 3,
        519: 4,
        520: 4,
        521: 4,
        529: 5,
        530: 3,
        531: 3,
        532: 5,
        700: 1,
        32995: 3,
        32996: 3,
        32997: 4,
        32998: 4,
        33432: 2,
        33723: 7,
        34377: 1,
        34665: 4,
        34675: 7,
        34853: 4,
        36864: 7,
        37724: 7,
        40960: 7,
        40965: 4,
        41730: 7,
        45056: 7,
        45057: 4,
        45058: 7,
        45059: 7,
        45060: 4,
        45313: 4,
        45569: 4,
        45570: 5,
        45571: 5,
        45572: 4,
        45573: 10,
        45574: 5,
        45575: 10,
        45576: 10,
        45577: 10,
        45578: 10,
        45579: 10,
        45580: 10,
        45581: 10,
        50741: 3,
        50780: 5,
        50838: 4,
        50839: 7,
    },
    0x8769: {
        36864: 7,
        40960: 7,
        40965: 4,
        41730: 7,
    },
    0x8825: {
        0: 1,
        1: 2,
        2: 5,
        3: 2,
        4: 5,
        5: 1,
        6: 5,
        7: 5,
        8: 2,
        9: 2,
        10: 2,
        11: 5,
        12: 2,
        13: 5,
        14: 2,
        15: 5,
        16: 2,
        17: 5,
        18: 2,
        19: 2,
        20: 5,
        21: 2,
        22: 5,
        23: 2,
        24: 5,
        25: 2,
        26: 5,
        27: 7,
        28: 7,
        29: 2,
        30: 3,
        31: 5,
    },
    0xA005: {
        1: 2,
        2: 7,
    },
}


class IFDRational:
    """Pillow's ``TiffImagePlugin.IFDRational``: a RATIONAL value that
    keeps its numerator and denominator; a denominator of 0 gives NaN.

    >>> IFDRational(300, 2) == 150, float(IFDRational(1, 0))
    (True, nan)
    """

    _numerator: Any
    _denominator: int
    _val: float | Fraction

    def __init__(self, value: float | Fraction | IFDRational, denominator: int = 1) -> None:
        if isinstance(value, IFDRational):
            self._numerator, self._denominator, self._val = value._numerator, value._denominator, value._val
            return
        self._numerator = value
        self._denominator = denominator
        if denominator == 0:
            self._val = float("nan")
        elif denominator == 1:
            self._val = Fraction(value)
        else:
            self._val = Fraction(value) / denominator

    @property
    def numerator(self) -> Any:
        return self._numerator

    @property
    def denominator(self) -> int:
        return self._denominator

    def limit_rational(self, max_denominator: int) -> tuple[int, int]:
        """The closest fraction of a denominator at most ``max_denominator``."""
        if self._denominator == 0:
            return int(self._numerator), self._denominator
        fraction = Fraction(self._val).limit_denominator(max_denominator)
        return fraction.numerator, fraction.denominator

    def __repr__(self) -> str:
        return str(float(self._val))

    def __hash__(self) -> int:
        return hash(self._val)

    def __eq__(self, other: object) -> bool:
        value = other._val if isinstance(other, IFDRational) else other
        if isinstance(value, float) and isinstance(self._val, Fraction):
            return float(self._val) == value
        return bool(self._val == value)

    def __float__(self) -> float:
        return float(self._val)

    def __int__(self) -> int:
        return int(self._val)

    def __bool__(self) -> bool:
        return bool(self._val)

    def _operand(self, other: Any) -> Any:
        return other._val if isinstance(other, IFDRational) else other

    def __mul__(self, other: Any) -> Any:
        return self._val * self._operand(other)

    __rmul__ = __mul__

    def __truediv__(self, other: Any) -> Any:
        return self._val / self._operand(other)

    def __rtruediv__(self, other: Any) -> Any:
        return self._operand(other) / self._val

    def __add__(self, other: Any) -> Any:
        return self._val + self._operand(other)

    __radd__ = __add__

    def __sub__(self, other: Any) -> Any:
        return self._val - self._operand(other)

    def __lt__(self, other: Any) -> bool:
        return bool(self._val < self._operand(other))

    def __gt__(self, other: Any) -> bool:
        return bool(self._val > self._operand(other))


class _Directory:
    """One IFD as read: each tag's type and raw bytes, decoded on use."""

    def __init__(self, endian: str) -> None:
        self.endian = endian
        self.entries: dict[int, tuple[int, bytes]] = {}
        self.next = 0

    def load(self, data: bytes, offset: int) -> None:
        """Reads the directory at ``offset``; Pillow's warnings for what is
        cut short or points outside the data."""
        try:
            count = self._unpack("H", self._read(data, offset, 2))[0]
            at = offset + 2
            # Pillow's bound: the values one directory points to cannot
            # together be larger than the data.
            total = 0
            for _ in range(count):
                tag, kind, number, inline = struct.unpack(self.endian + "HHL4s", self._read(data, at, 12))
                at += 12
                if kind not in _TYPES:
                    continue
                size = number * _TYPES[kind][0]
                if size > 4:
                    total += size
                    if total > len(data):
                        warnings.warn(f"Tag data larger than file. Skipping tag {tag}", stacklevel=2)
                        continue
                    start = self._unpack("L", inline)[0]
                    value = data[start : start + size] if start < len(data) else b""
                else:
                    value = inline[:size]
                if len(value) != size:
                    warnings.warn(
                        f"Possibly corrupt EXIF data.  Expecting to read {size} bytes but only got "
                        f"{len(value)}. Skipping tag {tag}",
                        stacklevel=2,
                    )
                    continue
                if value:
                    self.entries[tag] = (kind, value)
            self.next = self._unpack("L", self._read(data, at, 4))[0]
        except OSError as error:
            warnings.warn(str(error), stacklevel=2)

    def _read(self, data: bytes, at: int, size: int) -> bytes:
        chunk = data[at : at + size] if 0 <= at < len(data) else b""
        if len(chunk) != size:
            raise OSError(f"Corrupt EXIF data.  Expecting to read {size} bytes but only got {len(chunk)}. ")
        return chunk

    def _unpack(self, letters: str, data: bytes) -> tuple[Any, ...]:
        return struct.unpack(self.endian + letters, data)

    def value(self, tag: int) -> Any:
        """The tag's value as Pillow gives it: bytes for BYTE and UNDEFINED,
        str for ASCII, else a tuple (one item unwrapped)."""
        kind, raw = self.entries[tag]
        if kind in (1, 7):
            return raw
        if kind == 2:
            return (raw[:-1] if raw.endswith(b"\x00") else raw).decode("latin-1", "replace")
        letter = _TYPES[kind][1]
        numbers = self._unpack(letter * (len(raw) // struct.calcsize(letter)), raw)
        values: tuple[Any, ...] = numbers
        if kind in (5, 10):
            values = tuple(IFDRational(a, b) for a, b in zip(numbers[::2], numbers[1::2], strict=True))
        return values[0] if len(values) == 1 else values

    def items(self) -> dict[int, Any]:
        return {tag: self.value(tag) for tag in self.entries}


def _kind_of(value: Any) -> int:
    """The TIFF type Pillow writes a value of its own as."""
    items = value if isinstance(value, tuple) else (value,)
    if isinstance(value, str):
        return 2
    if isinstance(value, bytes):
        return 1
    if isinstance(value, dict):
        return 13
    if all(isinstance(item, int) for item in items):
        if any(item < 0 for item in items):
            return 9 if any(not -32768 <= item < 32768 for item in items) else 8
        return 4 if any(item >= 65536 for item in items) else 3
    if all(isinstance(item, IFDRational) for item in items):
        return 10 if any(item < 0 for item in items) else 5
    return 12


def _pack(kind: int, value: Any, endian: str) -> tuple[bytes, int]:
    """A value's bytes and count for ``kind``."""
    if kind == 2:
        raw = (value if isinstance(value, bytes) else str(value).encode("ascii", "replace")) + b"\x00"
        return raw, len(raw)
    if kind in (1, 7):
        raw = value if isinstance(value, bytes) else bytes(value if isinstance(value, tuple) else (value,))
        return raw, len(raw)
    items = value if isinstance(value, tuple) else (value,)
    letter = _TYPES[kind][1]
    if kind in (5, 10):
        pairs: list[int] = []
        for item in items:
            rational = item if isinstance(item, IFDRational) else IFDRational(Fraction(item))
            pairs += _signed_terms(rational) if kind == 10 else _unsigned_terms(rational, 2**32 - 1)
        return struct.pack(endian + letter * len(pairs), *pairs), len(items)
    return struct.pack(endian + letter * len(items), *items), len(items)


def _unsigned_terms(rational: IFDRational, high: int) -> list[int]:
    """The numerator and denominator Pillow writes for a RATIONAL: the
    closest fraction whose terms are at most ``high`` (a value above 1
    through its inverse; a denominator of 0 as it is)."""
    if rational.denominator == 0:
        return [int(rational.numerator), 0]
    value = Fraction(rational._val)
    inverse = abs(value) > 1
    close = (1 / value if inverse else value).limit_denominator(high)
    terms = [close.numerator, close.denominator]
    return terms[::-1] if inverse else terms


def _signed_terms(rational: IFDRational) -> list[int]:
    """The terms Pillow writes for an SRATIONAL: the fraction in lowest
    terms, brought within 32 signed bits as Pillow brings it."""
    if rational.denominator == 0:
        return [int(rational.numerator), 0]
    # A rational read from a file keeps its terms as they were (Pillow's
    # Fraction of it does not reduce them); a number is reduced.
    value = Fraction(rational._val)
    stored = isinstance(rational.numerator, int)
    terms = [rational.numerator, rational.denominator] if stored else [value.numerator, value.denominator]
    if min(terms) < -(2**31):
        terms = _unsigned_terms(rational, 2**31)
    if max(terms) > 2**31 - 1:
        terms = _unsigned_terms(IFDRational(terms[0] / terms[1]), 2**31 - 1)
    return terms


def _declared_kind(tag: int, value: Any, group: int | None) -> int:
    """The type Pillow writes a tag's value as: its table's for a tag it
    knows (a value that cannot be of that type gets its own type instead of
    Pillow's error), else the value's own."""
    kind = _TAG_TYPES.get(group, {}).get(tag)
    items = value if isinstance(value, tuple) else (value,)
    if kind in (3, 4, 8, 9, 13, 16) and not all(isinstance(item, int) for item in items):
        kind = None
    elif kind in (5, 10) and not all(isinstance(item, (int, float, IFDRational, Fraction)) for item in items):
        kind = None
    elif kind == 1 and isinstance(value, str):
        kind = None
    return kind or _kind_of(value)


def _as_kind(kind: int, value: Any) -> Any:
    """A value as Pillow's writer takes it for ``kind``: text for ASCII,
    bytes for UNDEFINED (a number's digits), a float for a RATIONAL's int."""
    items = value if isinstance(value, tuple) else (value,)
    if kind == 2 and isinstance(value, int):
        return str(value)
    if kind == 7:
        if isinstance(value, str):
            return value.encode("ascii", "replace")
        if isinstance(value, (int, IFDRational)):
            return str(int(value)).encode("ascii", "replace")
    if kind == 5 and any(isinstance(item, int) for item in items):
        floats = tuple(float(item) if isinstance(item, int) else item for item in items)
        return floats if isinstance(value, tuple) else floats[0]
    return value


def _write(entries: dict[int, Any], group: int | None, endian: str, offset: int) -> bytes:
    """One IFD at ``offset`` (from the TIFF header's start), the data of its
    long values and the sub-directories of its ``dict`` values after it;
    ``group`` is the directory's tag (None for the first), which says the
    types Pillow gives the tags it knows. As Pillow's TIFF writer, the
    StripOffsets (273) are moved past what is written."""
    written = _write_once(entries, group, endian, offset)
    strips = entries.get(273)
    if strips is None or isinstance(strips, dict):
        return written
    end = offset + len(written)
    moved = tuple(int(value) + end for value in strips) if isinstance(strips, tuple) else int(strips) + end
    return _write_once({**entries, 273: moved}, group, endian, offset)


def _write_once(entries: dict[int, Any], group: int | None, endian: str, offset: int) -> bytes:
    tags = sorted(entries)
    table = struct.pack(endian + "H", len(tags))
    tail = b""
    data_at = offset + 2 + 12 * len(tags) + 4
    for tag in tags:
        value = entries[tag]
        if isinstance(value, dict):
            kind, count = 4, 1
            raw = struct.pack(endian + "L", data_at + len(tail))
            tail += _write(value, tag, endian, data_at + len(tail))
        else:
            kind = _declared_kind(tag, value, group)
            if kind == 13:
                kind = 4
            raw, count = _pack(kind, _as_kind(kind, value), endian)
        if len(raw) <= 4:
            field = raw.ljust(4, b"\x00")
        else:
            field = struct.pack(endian + "L", data_at + len(tail))
            tail += raw + b"\x00" * (len(raw) % 2)
        table += struct.pack(endian + "HHL", tag, kind, count) + field
    return table + struct.pack(endian + "L", 0) + tail


class Exif(MutableMapping[int, Any]):
    """Pillow's ``Image.Exif``: the tags of the first directory (IFD0) as a
    mapping, the other directories through ``get_ifd`` (``ExifTags.IFD``).

    >>> exif = Exif()
    >>> exif.load(b"Exif\\x00\\x00II*\\x00\\x08\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00")
    >>> len(exif)
    0
    """

    endian: str | None = None
    bigtiff = False
    _loaded = False

    def __init__(self) -> None:
        self._data: dict[int, Any] = {}
        self._hidden_data: dict[int, Any] = {}
        self._ifds: dict[int, dict[int, Any]] = {}
        self._info: _Directory | None = None
        self._loaded_exif: bytes | None = None
        self._raw = b""

    def load(self, data: bytes) -> None:
        """Reads EXIF bytes (with or without their "Exif\\0\\0" start);
        ``SyntaxError`` if they do not start as TIFF."""
        if data == self._loaded_exif:
            return
        self._loaded_exif = data
        self._data.clear()
        self._hidden_data.clear()
        self._ifds.clear()
        data = re.sub(b"^(Exif\x00\x00){1,2}", b"", data)
        if not data:
            self._info = None
            return
        head = data[:8]
        if head[:4] not in _PREFIXES:
            raise SyntaxError(f"not a TIFF file (header {head!r} not valid)")
        self.endian = "<" if head[:2] == b"II" else ">"
        self._raw = data
        self._info = _Directory(self.endian)
        self._info.load(data, struct.unpack(self.endian + "L", head[4:8])[0] if len(head) == 8 else len(data))

    def load_from_fp(self, fp: Any, offset: int | None = None) -> None:
        """Reads EXIF from a binary file object holding TIFF data from its
        start: the header where the file is, or, given ``offset``, the
        directory there (this object's byte order, else big-endian as
        Pillow's).

        >>> import io
        >>> Image.new("RGB", (4, 4)).save("tiny.tif")
        >>> exif = Image.Exif()
        >>> exif.load_from_fp(open("tiny.tif", "rb"))
        >>> exif[256], exif[257]
        (4, 4)
        """
        position = fp.tell()
        fp.seek(0)
        data = fp.read()
        if offset is None:
            head = data[position : position + 8]
        else:
            endian = self.endian or ">"
            head = (b"II*\x00" if endian == "<" else b"MM\x00*") + struct.pack(endian + "L", offset)
        self._loaded_exif = None
        # The directory at the header's offset in ``data``, whose other
        # offsets count from the file's start as Pillow's reader counts them.
        self.load(head + data[8:] if len(data) >= 8 else head)

    def _get_ifd_dict(self, offset: Any) -> dict[int, Any] | None:
        if not isinstance(offset, int) or isinstance(offset, bool) or self.endian is None:
            return None
        directory = _Directory(self.endian)
        directory.load(self._raw, offset)
        return directory.items()

    def _get_merged_dict(self) -> dict[int, Any]:
        merged = dict(self)
        if _EXIF_IFD in self:
            ifd = self._get_ifd_dict(self[_EXIF_IFD])
            if ifd:
                merged.update(ifd)
        if _GPS_IFD in self:
            merged[_GPS_IFD] = self._get_ifd_dict(self[_GPS_IFD])
        return merged

    def get_ifd(self, tag: int) -> dict[int, Any]:
        """The directory ``tag`` names (``ExifTags.IFD``: Exif, GPSInfo,
        Interop, IFD1; MakerNote is not read), ``{}`` if there is none."""
        if tag not in self._ifds:
            found: dict[int, Any] | None = None
            if tag == _IFD1:
                if self._info is not None and self._info.next != 0:
                    found = self._get_ifd_dict(self._info.next)
            elif tag in (_EXIF_IFD, _GPS_IFD):
                offset = self._hidden_data.get(tag, self.get(tag))
                if offset is not None:
                    found = self._get_ifd_dict(offset)
            elif tag == _INTEROP_IFD:
                if _EXIF_IFD not in self._ifds:
                    self.get_ifd(_EXIF_IFD)
                offset = self._ifds[_EXIF_IFD].get(tag)
                if offset is not None:
                    found = self._get_ifd_dict(offset)
            if found is not None:
                self._ifds[tag] = found
        ifd = self._ifds.setdefault(tag, {})
        if tag == _EXIF_IFD and self._hidden_data:
            ifd = {key: value for key, value in ifd.items() if key not in (_INTEROP_IFD, _MAKER_NOTE)}
        return ifd

    def hide_offsets(self) -> None:
        """Moves the Exif and GPS directories' offsets out of the mapping."""
        for tag in (_EXIF_IFD, _GPS_IFD):
            if tag in self:
                self._hidden_data[tag] = self[tag]
                del self[tag]

    def tobytes(self, offset: int = 8) -> bytes:
        """The EXIF bytes, "Exif\\0\\0" first, its Exif and GPS directories
        written after the first one."""
        endian = self.endian or ">"
        head = b"II*\x00" + struct.pack("<L", 8) if endian == "<" else b"MM\x00*" + struct.pack(">L", 8)
        entries: dict[int, Any] = {}
        for tag, ifd in self._ifds.items():
            if tag in (_EXIF_IFD, _GPS_IFD) and tag not in self:
                entries[tag] = ifd
        for tag, value in self.items():
            if tag in (_EXIF_IFD, _GPS_IFD) and not isinstance(value, dict):
                value = self.get_ifd(tag)
                if tag == _EXIF_IFD and _INTEROP_IFD in value and not isinstance(value[_INTEROP_IFD], dict):
                    value = {**value, _INTEROP_IFD: self.get_ifd(_INTEROP_IFD)}
            entries[tag] = value
        return b"Exif\x00\x00" + head + _write(entries, None, endian, offset)

    def __str__(self) -> str:
        for tag in list(self):
            self[tag]
        return str(self._data)

    def __len__(self) -> int:
        return len(set(self._data) | set(self._info.entries if self._info is not None else ()))

    def __getitem__(self, tag: int) -> Any:
        if self._info is not None and tag not in self._data and tag in self._info.entries:
            self._data[tag] = self._info.value(tag)
            del self._info.entries[tag]
        return self._data[tag]

    def __contains__(self, tag: object) -> bool:
        return tag in self._data or (self._info is not None and tag in self._info.entries)

    def __setitem__(self, tag: int, value: Any) -> None:
        if self._info is not None and tag in self._info.entries:
            del self._info.entries[tag]
        self._data[tag] = value

    def __delitem__(self, tag: int) -> None:
        if self._info is not None and tag in self._info.entries:
            del self._info.entries[tag]
        else:
            del self._data[tag]
            self._ifds.pop(tag, None)

    def __iter__(self) -> Iterator[int]:
        return iter(set(self._data) | set(self._info.entries if self._info is not None else ()))


def dpi_of(read: Callable[[], Exif]) -> tuple[Any, Any]:
    """Pillow's JPEG dpi from EXIF's XResolution and ResolutionUnit (the
    EXIF ``read`` gives), (72, 72) if they are missing or unreadable."""
    try:
        exif = read()
        unit = exif[0x0128]
        resolution = exif[0x011A]
        try:
            dpi = float(resolution[0]) / resolution[1]
        except TypeError:
            dpi = resolution
        if math.isnan(dpi):
            raise ValueError("DPI is not a number")
        if unit == 3:
            dpi *= 2.54
        return dpi, dpi
    except (struct.error, KeyError, SyntaxError, TypeError, ValueError, ZeroDivisionError):
        return 72, 72


def exif_bytes(value: Any) -> bytes:
    """A save's ``exif`` option as bytes: an ``Exif`` written out, as
    Pillow's savers take it, else the bytes given.

    >>> exif_bytes(b"Exif\\x00\\x00"), exif_bytes(Exif())[:8]
    (b'Exif\\x00\\x00', b'Exif\\x00\\x00MM')
    """
    return value.tobytes() if isinstance(value, Exif) else bytes(value)
