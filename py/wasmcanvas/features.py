"""Pillow's ``PIL.features`` for wasmcanvas: which of Pillow's optional
libraries, codecs and features this build has, answered for wasmcanvas's
own code (the Rust crates of ``rust_image_codecs``), under Pillow's names.

>>> check("jpg"), check("libtiff"), check_module("freetype2")
(True, True, True)
>>> version_codec("zlib")
'0.18'

What wasmcanvas has: "pil" (the core: ``rust_image``, version the
package's), "webp" (reading, with the ``image-webp`` crate), "jpg" (reading
with ``zune-jpeg``, writing with ``jpeg-encoder``), "jpg_2000" (reading
with ``hayro-jpeg2000``, writing lossless with wasmcanvas's own encoder),
"zlib" (PNG's deflate,
through the ``png`` crate), "freetype2" (TrueType and OpenType text: the
``skrifa`` crate's hinting and a port of FreeType's rasterizer; its version is the FreeType release
whose hinting, metrics and layout wasmcanvas's text matches: the one
Pillow 13.0.0's wheels bundle), "raqm" and "harfbuzz" (ImageFont's Raqm
layout, shaped by ``rustybuzz``; the versions are those of the raqm and
HarfBuzz it follows), "libtiff" (TIFF's compressions as Pillow reads and
writes them through libtiff: CCITT fax, LZW, deflate, PackBits, by
wasmcanvas's own code; its version is the libtiff of Pillow 13.0.0's
wheels, whose pixels it matches; JPEG, LZMA, Zstandard and WebP strips are
not among them). A version is otherwise the crate's version as the
codecs' Cargo.toml asks for it. Everything else Pillow names (LittleCMS,
AVIF, fribidi...) is absent: ``False``, or
``None`` for Pillow's features whose presence is unknown without their
module. Names Pillow does not know raise ``ValueError`` as in Pillow.
"""

from __future__ import annotations

import os
import sys
import warnings
from typing import IO, NamedTuple

__all__ = [
    "check",
    "check_codec",
    "check_feature",
    "check_module",
    "codecs",
    "features",
    "get_supported",
    "get_supported_codecs",
    "get_supported_features",
    "get_supported_modules",
    "modules",
    "pilinfo",
    "version",
    "version_codec",
    "version_feature",
    "version_module",
]


class Library(NamedTuple):
    """Whether wasmcanvas has one of Pillow's optional parts, and its
    version (wasmcanvas's own record; Pillow's tables name C modules)."""

    available: bool | None
    version: str | None = None


_PACKAGE = "package"  # stands for the wasmcanvas version, read when asked

modules: dict[str, Library] = {
    "pil": Library(True, _PACKAGE),
    "tkinter": Library(False),
    # Not a FreeType: the release whose output ImageFont matches.
    "freetype2": Library(True, "2.14.3"),
    "littlecms2": Library(False),
    # What crate/codecs/Cargo.toml asks for: a full version, as Pillow's
    # libwebp version is.
    "webp": Library(True, "0.2.4"),
    "avif": Library(False),
}
codecs: dict[str, Library] = {
    "jpg": Library(True, "0.5"),
    # Reading with hayro-jpeg2000, writing with our own encoder (lossless).
    "jpg_2000": Library(True, "0.3.5"),
    "zlib": Library(True, "0.18"),
    # Not a libtiff: the release whose reading and writing wasmcanvas's TIFF code matches.
    "libtiff": Library(True, "4.7.2"),
}
features: dict[str, Library] = {
    # ImageFont's Raqm layout, shaped by rustybuzz (HarfBuzz's shaper,
    # ported): the raqm and HarfBuzz releases whose layout it follows. No
    # bidirectional algorithm (fribidi).
    "raqm": Library(True, "0.11.0"),
    "fribidi": Library(False),
    "harfbuzz": Library(True, "14.5.0"),
    "libjpeg_turbo": Library(False),
    "mozjpeg": Library(False),
    "zlib_ng": Library(False),
    "libimagequant": Library(False),
    "xcb": Library(False),
}

# What pilinfo lists, in Pillow's order, with Pillow's labels.
_REPORTED = (
    ("pil", "PIL CORE"),
    ("tkinter", "TKINTER"),
    ("freetype2", "FREETYPE2"),
    ("littlecms2", "LITTLECMS2"),
    ("webp", "WEBP"),
    ("avif", "AVIF"),
    ("jpg", "JPEG"),
    ("jpg_2000", "OPENJPEG (JPEG2000)"),
    ("zlib", "ZLIB (PNG/ZIP)"),
    ("libtiff", "LIBTIFF"),
    ("raqm", "RAQM (Bidirectional Text)"),
    ("libimagequant", "LIBIMAGEQUANT (Quantization method)"),
    ("xcb", "XCB (X protocol)"),
)

# (name, MIME type, extensions, what wasmcanvas does with it) for pilinfo.
_FORMATS = (
    ("BMP", "image/bmp", (".bmp",), "open"),
    ("GIF", "image/gif", (".gif",), "open"),
    ("JPEG", "image/jpeg", (".jfif", ".jpe", ".jpeg", ".jpg"), "open, save"),
    ("JPEG2000", "image/jp2", (".j2c", ".j2k", ".jp2", ".jpc", ".jpf", ".jpx"), "open, save"),
    ("PNG", "image/png", (".apng", ".png"), "open, save"),
    ("WEBP", "image/webp", (".webp",), "open"),
)


def _entry(table: dict[str, Library], kind: str, name: str) -> Library | None:
    if name not in table:
        raise ValueError(f"Unknown {kind} {name}")
    entry = table[name]
    # An entry that is not a Library (a test may put Pillow's own tuples in
    # these tables) says nothing about wasmcanvas: unknown.
    return entry if isinstance(entry, Library) else None


def _version(entry: Library | None) -> str | None:
    if entry is None or not entry.available or entry.version is None:
        return None
    if entry.version == _PACKAGE:
        package = sys.modules.get(__name__.rpartition(".")[0])
        found = getattr(package, "__version__", None)
        return None if found is None else str(found)
    return entry.version


def check_module(feature: str) -> bool:
    """Whether wasmcanvas has the module Pillow calls ``feature``
    (``ValueError`` for a name Pillow does not know).

    >>> check_module("webp")
    True
    """
    entry = _entry(modules, "module", feature)
    return bool(entry is not None and entry.available)


def version_module(feature: str) -> str | None:
    """The version of the module, or None when it is absent."""
    return _version(_entry(modules, "module", feature))


def get_supported_modules() -> list[str]:
    """The modules wasmcanvas has."""
    return [name for name in modules if check_module(name)]


def check_codec(feature: str) -> bool:
    """Whether wasmcanvas has the codec Pillow calls ``feature``
    (``ValueError`` for a name Pillow does not know).

    >>> check_codec("jpg_2000"), check_codec("libtiff")
    (True, True)
    """
    entry = _entry(codecs, "codec", feature)
    return bool(entry is not None and entry.available)


def version_codec(feature: str) -> str | None:
    """The version of the codec, or None when it is absent."""
    return _version(_entry(codecs, "codec", feature))


def get_supported_codecs() -> list[str]:
    """The codecs wasmcanvas has."""
    return [name for name in codecs if check_codec(name)]


def check_feature(feature: str) -> bool | None:
    """Whether wasmcanvas has the feature Pillow calls ``feature``: True,
    False, or None when unknown (``ValueError`` for a name Pillow does not
    know).

    >>> check_feature("fribidi")
    False
    """
    entry = _entry(features, "feature", feature)
    return None if entry is None else entry.available


def version_feature(feature: str) -> str | None:
    """The version of the feature, or None when it is absent."""
    return _version(_entry(features, "feature", feature))


def get_supported_features() -> list[str]:
    """The features wasmcanvas has."""
    return [name for name in features if check_feature(name)]


def check(feature: str) -> bool | None:
    """Whether wasmcanvas has a module, codec or feature; a name Pillow
    does not know warns (``UserWarning``) and gives False.

    >>> check("webp")
    True
    """
    if feature in modules:
        return check_module(feature)
    if feature in codecs:
        return check_codec(feature)
    if feature in features:
        return check_feature(feature)
    warnings.warn(f"Unknown feature '{feature}'.", stacklevel=2)
    return False


def version(feature: str) -> str | None:
    """The version of a module, codec or feature; None when it is absent or
    the name is unknown."""
    if feature in modules:
        return version_module(feature)
    if feature in codecs:
        return version_codec(feature)
    if feature in features:
        return version_feature(feature)
    return None


def get_supported() -> list[str]:
    """Every module, feature and codec wasmcanvas has."""
    return [*get_supported_modules(), *get_supported_features(), *get_supported_codecs()]


def pilinfo(out: IO[str] | None = None, supported_formats: bool = True) -> None:
    """Print Pillow's report about the installation, in Pillow's layout,
    for wasmcanvas: the versions, where the code is, what is supported and
    (with ``supported_formats``) each file format's extensions and whether
    it is opened and saved.

    >>> pilinfo(supported_formats=False)
    --------------------------------------------------------------------
    Pillow 0.1.0 (wasmcanvas)
    ...
    --- FREETYPE2 support ok, loaded 2.14.3
    ...
    """
    out = sys.stdout if out is None else out
    rule = "-" * 68
    here = os.path.dirname(__file__)
    first, *rest = sys.version.splitlines()
    print(rule, file=out)
    print(f"Pillow {version('pil')} (wasmcanvas)", file=out)
    print(f"Python {first.strip()}", file=out)
    for line in rest:
        print(f"       {line.strip()}", file=out)
    print(rule, file=out)
    print(f"Python executable is {sys.executable or 'unknown'}", file=out)
    if sys.prefix != sys.base_prefix:
        print(f"Environment Python files loaded from {sys.prefix}", file=out)
    print(f"System Python files loaded from {sys.base_prefix}", file=out)
    print(rule, file=out)
    print(f"Python Pillow modules loaded from {here}", file=out)
    print(f"Binary Pillow modules loaded from {here}", file=out)
    print(rule, file=out)
    for name, label in _REPORTED:
        if check(name):
            found = version(name)
            print("---", label, "support ok" + ("" if found is None else f", loaded {found}"), file=out)
        else:
            print("***", label, "support not installed", file=out)
    print(rule, file=out)
    if supported_formats:
        for name, mime, extensions, does in _FORMATS:
            print(f"{name} {mime}", file=out)
            print(f"Extensions: {', '.join(extensions)}", file=out)
            print(f"Features: {does}", file=out)
            print(rule, file=out)
