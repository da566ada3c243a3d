"""The pure-Python helpers of wasmcanvas on the host, against Pillow, without
a browser: colour strings (`ImageColor`), colours in a mode's terms
(`_modes`), and picture file formats, names and options (`_formats`).

These modules import neither `js` nor Pyodide. The package's `__init__`
does (through the canvas and the Rust module), so it is not run here: the
package is set up from its folder and only the pure modules are imported."""

from __future__ import annotations

import importlib
import importlib.util
import io
import re
import struct
import sys
from types import ModuleType, SimpleNamespace

import pytest
from conftest import ROOT
from images import PILLOW_TESTS, sample_photo, with_alpha
from PIL import ExifTags, Image, ImageColor, ImageSequence, Jpeg2KImagePlugin, features

PACKAGE_DIR = ROOT / "py" / "wasmcanvas"
PURE = (
    "_checks",
    "errors",
    "ImageColor",
    "ImageMode",
    "ImagePalette",
    "_modes",
    "_formats",
    "_headers",
    "_binary",
    "features",
    "ExifTags",
    "ImageSequence",
    "_jpeg2000",
)


@pytest.fixture(scope="module")
def pure():
    """wasmcanvas's pure modules, imported from py/ without the package's
    `__init__`; sys.modules is left as it was."""
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "wasmcanvas"}
    spec = importlib.util.spec_from_file_location(
        "wasmcanvas", PACKAGE_DIR / "__init__.py", submodule_search_locations=[str(PACKAGE_DIR)]
    )
    package: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules["wasmcanvas"] = package
    try:
        modules = {name: importlib.import_module(f"wasmcanvas.{name}") for name in PURE}
        assert not {"js", "pyodide"} & set(sys.modules), "a pure module imported js or pyodide"
        yield SimpleNamespace(**modules)
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] == "wasmcanvas"]:
            del sys.modules[name]
        sys.modules.update(saved)


# ---- ImageColor: every string as Pillow reads it

COLOUR_STRINGS = [
    *sorted(ImageColor.colormap),
    "Red",
    "DARKGREY",
    "RebeccaPurple",
    "#f0a",
    "#F0A8",
    "#3c465a",
    "#3C465A80",
    "rgb(10, 20, 30)",
    "rgb( 255 ,0,  300 )",
    "rgb(100%, 50%, 0%)",
    "rgb(33%,66%,99%)",
    "rgba(1, 2, 3, 4)",
    "rgba(255,255,255,0)",
    "hsl(0, 100%, 50%)",
    "hsl(120, 100%, 25%)",
    "hsl(210.5, 33.3%, 47.25%)",
    "hsl(400, 50%, 50%)",
    "hsv(300, 50%, 75%)",
    "hsb(45.5, 100%, 100%)",
    "HSV(0,0%,0%)",
    # Refused by both.
    "",
    "redd",
    "#12",
    "#12345",
    "#1234567",
    "#ggg",
    "rgb(1,2)",
    "rgb(1, 2, 3, 4)",
    "rgb(-1, 2, 3)",
    "rgb(1.5, 2, 3)",
    "rgba(1, 2, 3)",
    "hsl(10, 20, 30)",
    "hsl(-10, 20%, 30%)",
    " red",
    "x" * 101,
]
MODES = ("L", "LA", "RGB", "RGBA")


def outcome(call):
    try:
        return ("ok", call())
    except ValueError as error:
        return ("ValueError", str(error))


def test_every_colour_string_reads_as_pillow_reads_it(pure):
    differences = []
    for text in COLOUR_STRINGS:
        ours = [outcome(lambda: pure.ImageColor.getrgb(text))]
        pillows = [outcome(lambda: ImageColor.getrgb(text))]
        for mode in Image.MODES:
            ours.append(outcome(lambda mode=mode: pure.ImageColor.getcolor(text, mode)))
            pillows.append(outcome(lambda mode=mode: ImageColor.getcolor(text, mode)))
        if ours != pillows:
            differences.append((text, ours, pillows))
    assert differences == []
    # The corpus holds strings both read and strings both refuse.
    assert {outcome(lambda text=text: ImageColor.getrgb(text))[0] for text in COLOUR_STRINGS} == {"ok", "ValueError"}


# ---- modes: a colour argument gives the pixel Pillow's Image.new gives

COLOUR_ARGUMENTS = {
    "L": [0, 7, 255, 300, -5, (9,), "red", "#123456", "hsl(120, 100%, 25%)"],
    "LA": [(9, 128), (0, 0), 0x11223344, -1, 0, "red", "#12345678", "rgba(1, 2, 3, 4)"],
    "RGB": [(1, 2, 3), (1, 2, 3, 4), 0x0000FF, 0x11223344, -1, -5, 1 << 24, "CornflowerBlue", "#f0a", "#3c465a80"],
    "RGBA": [(1, 2, 3), (1, 2, 3, 4), 0x11223344, -1, 300, "rgba(255,255,255,0)", "#F0A8", "hsv(300, 50%, 75%)"],
}


@pytest.mark.parametrize("mode", MODES)
def test_colour_arguments_give_pillows_pixel(pure, mode):
    for colour in COLOUR_ARGUMENTS[mode]:
        made = Image.new(mode, (1, 1), colour)
        stored = made.convert("RGBA").getpixel((0, 0))
        assert pure._modes.stored_colour(colour, mode) == stored, colour
        assert pure._modes.mode_value(stored, mode) == made.getpixel((0, 0)), colour


OTHER_MODE_COLOURS = {
    "1": [0, 1, 255, 300, (5,), "white"],
    "P": [0, 7, 300],
    "PA": [(3, 4), 0x11223344],
    "La": [(9, 128), "#ff000080"],
    "I": [0, -3, 2**31 + 5, 70000, (12,), "red"],
    "F": [0, 3, -1.5, 1e20, (2.25,), "red"],
    "I;16": [0, 258, 70000, -3, "white"],
    "I;16L": [258],
    "I;16B": [258, 65535],
    "I;16N": [258],
    "RGBX": [(1, 2, 3), (1, 2, 3, 4), 0x11223344, "red"],
    "CMYK": [(1, 2, 3, 4), (1, 2, 3), "red"],
    "RGBa": [(1, 2, 3, 4), "#ff000080"],
    "YCbCr": [(1, 2, 3), "red"],
    "LAB": [(1, 2, 3), -1],
    "HSV": [(1, 2, 3), "red", "#123456"],
}


@pytest.mark.parametrize("mode", sorted(OTHER_MODE_COLOURS))
def test_other_modes_take_colours_as_pillow(pure, mode):
    for colour in OTHER_MODE_COLOURS[mode]:
        stored = pure._modes.stored_colour(colour, mode)
        assert pure._modes.mode_value(stored, mode) == Image.new(mode, (1, 1), colour).getpixel((0, 0)), colour
        assert len(stored) == 4 and all(0 <= byte <= 255 for byte in stored)


def test_a_pixel_word_reads_as_its_four_stored_bytes(pure):
    """getpixel reads a pixel as one u32 (rust_image's pixel_word): in every
    mode it gives what the four bytes give."""
    modes = pure._modes
    pixels = [
        (0, 0, 0, 0),
        (255, 255, 255, 255),
        (1, 2, 3, 4),
        (200, 100, 50, 255),
        (0, 0, 192, 63),
        (254, 255, 255, 255),
    ]
    for mode in modes.BANDS:
        for pixel in pixels:
            word = int.from_bytes(bytes(pixel), "little")
            # repr: the same type, and a float NaN equal to itself.
            assert repr(modes.word_value(word, mode)) == repr(modes.mode_value(pixel, mode)), (mode, pixel)


def test_jpeg2000_headers_cut_anywhere_are_refused_as_pillows(pure):
    """Every cut of the first 300 bytes of Pillow's JPEG 2000 test files, and
    a JP2 whose ftyp box is too short for its brand: the size and mode
    Pillow's plugin reads, or its refusal (the opener's refusals,
    SyntaxError, IndexError and struct.error, taken as one, as
    ``Image.open`` takes them)."""
    opener = ("SyntaxError", "IndexError", "error")

    def outcome(read):
        try:
            return read()
        except (SyntaxError, ValueError, IndexError, struct.error, OSError) as error:
            name = type(error).__name__
            return "the opener's refusal" if name in opener else (name, str(error))

    def theirs(data):
        return outcome(lambda: (Jpeg2KImagePlugin.Jpeg2KImageFile(io.BytesIO(data)).size, "read"))

    def ours(data):
        return outcome(lambda: (pure._jpeg2000.jpeg2000_header(data).size, "read"))

    short_brand = pure._jpeg2000.JP2 + struct.pack(">I4s", 10, b"ftyp") + b"jp"
    files = sorted((PILLOW_TESTS / "images").glob("*.j[2p][2kx]"))
    assert len(files) >= 10
    cuts = [data[:end] for data in (path.read_bytes() for path in files) for end in range(301)]
    for data in [*cuts, short_brand]:
        assert ours(data) == theirs(data), data


def test_raw_layouts_are_pillows(pure):
    modes = pure._modes
    bits = Image.frombytes("L", (11, 2), bytes(range(0, 220, 10))).convert("1", dither=Image.Dither.NONE)
    carried = bytes(bits.get_flattened_data())
    assert modes.pack(carried, "1", 11) == bits.tobytes()
    assert modes.unpack(bits.tobytes(), "1", 11) == carried
    assert modes.packed_size("1", 11, 2) == 4
    for mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        im = Image.frombytes(mode, (3, 1), bytes([1, 2, 3, 4, 255, 0]))
        stored = b"".join(value.to_bytes(4, "little") for value in im.get_flattened_data())
        assert modes.pack(stored, mode, 3) == im.tobytes()
        assert modes.unpack(im.tobytes(), mode, 3) == stored
    assert modes.wide_values(Image.new("F", (2, 1), -2.5).tobytes(), "F") == [-2.5, -2.5]
    assert modes.wide_values(Image.new("I", (1, 1), -7).tobytes(), "I") == [-7]


def test_what_pillow_would_clip_is_refused_with_the_component_named(pure):
    stored_colour = pure._modes.stored_colour
    with pytest.raises(ValueError, match=r"^colour component b must be in 0\.\.255, got 300$"):
        stored_colour((1, 2, 300), "RGB")
    with pytest.raises(ValueError, match=r"^colour component L must be in 0\.\.255, got -1$"):
        stored_colour((-1,), "L")
    with pytest.raises(ValueError, match=r"^colour component b must be in 0\.\.255, got 300$"):
        stored_colour("rgb(1, 2, 300)", "RGBA")
    with pytest.raises(TypeError, match=r"^colour component a must be an int, not float$"):
        stored_colour((1, 2, 3, 0.5), "RGBA")
    with pytest.raises(ValueError, match=r"^a colour for mode LA needs 2 components, got 3$"):
        stored_colour((1, 2, 3), "LA")
    with pytest.raises(
        TypeError, match=r"^a colour for mode RGB must be an int, a tuple or a colour string, not bool$"
    ):
        stored_colour(True, "RGB")


def test_modes_bands_and_pillows_other_modes(pure):
    modes = pure._modes
    for mode in MODES:
        assert modes.check_mode(mode) == mode
        assert modes.BANDS[mode] == Image.new(mode, (1, 1)).getbands()
        for index, band in enumerate(modes.BANDS[mode]):
            assert modes.band_index(mode, band) == modes.band_index(mode, index) == index
    assert [modes.has_alpha(mode) for mode in MODES] == [False, True, False, True]
    # Every one of Pillow's image modes, with Pillow's bands.
    assert list(modes.MODES) == Image.MODES
    for mode in Image.MODES:
        assert modes.check_mode(mode) == mode
        assert modes.BANDS[mode] == Image.new(mode, (1, 1)).getbands()
    assert [mode for mode in Image.MODES if modes.has_alpha(mode)] == ["LA", "La", "PA", "RGBA", "RGBa"]
    with pytest.raises(ValueError, match=r"^unrecognized image mode 'I;32'$"):
        modes.check_mode("I;32")
    with pytest.raises(ValueError, match=r"^unrecognized image mode 'rgba'$"):
        modes.check_mode("rgba")
    with pytest.raises(TypeError, match=r"^mode must be a str, not NoneType$"):
        modes.check_mode(None)
    with pytest.raises(ValueError, match=r'^The image has no channel "A"$'):
        modes.band_index("RGB", "A")
    with pytest.raises(ValueError, match=r"^channel must be 0 to 1 for mode LA, got 2$"):
        modes.band_index("LA", 2)


# ---- formats: files Pillow writes, recognised; names and options as Pillow takes them


def file_of(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


def test_files_pillow_writes_are_recognised_with_pillows_mode(pure):
    photo = sample_photo(12, 9)
    translucent = with_alpha(photo)
    palette = photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=8)
    cases = [
        (photo, "PNG", {}, "RGB"),
        (translucent, "PNG", {}, "RGBA"),
        (photo.convert("L"), "PNG", {}, "L"),
        (translucent.convert("LA"), "PNG", {}, "LA"),
        (photo.convert("1"), "PNG", {}, "1"),
        (palette, "PNG", {}, "P"),
        (palette.convert("RGB", dither=None).convert("P", palette=Image.Palette.ADAPTIVE), "PNG", {}, "P"),
        (photo, "JPEG", {}, "RGB"),
        (photo.convert("L"), "JPEG", {}, "L"),
        (photo, "JPEG", {"progressive": True}, "RGB"),
        (palette, "GIF", {}, "P"),
        (photo, "WEBP", {"lossless": True}, "RGB"),
        (translucent, "WEBP", {"lossless": True}, "RGBA"),
        (translucent, "WEBP", {"quality": 80}, "RGBA"),
        (photo, "BMP", {}, "RGB"),
        (palette, "BMP", {}, "P"),
        (photo.convert("1"), "BMP", {}, "1"),
        (photo, "PPM", {}, "RGB"),
        (photo.convert("L"), "PPM", {}, "L"),
        (photo.convert("1"), "PPM", {}, "1"),
    ]
    for image, format, params, mode in cases:
        data = file_of(image, format, **params)
        assert pure._formats.sniff_format(data) == format
        assert pure._formats.check_readable(data, "x", None) == format
        # Pillow's mode, and a "P" file's palette, from the header alone.
        header = pure._headers.read_header(data, format)
        assert (header.size, header.mode) == (image.size, mode), (format, params)
        with Image.open(io.BytesIO(data)) as pillows:
            palette = pillows.getpalette() if mode == "P" else None
        assert (list(header.palette) if header.palette is not None else None) == palette, (format, params)
    assert pure._formats.sniff_format(b"qoif" + bytes(10)) == "QOI"
    assert pure._formats.sniff_format(b"hello") is None


def test_unreadable_files_and_unknown_formats_say_why(pure):
    formats, errors = pure._formats, pure.errors
    png = file_of(sample_photo(3, 2), "PNG")
    with pytest.raises(errors.UnidentifiedImageError, match=r"^cannot identify image file 'note' \(not a PNG, JPEG"):
        formats.check_readable(b"plain text", "'note'", None)
    with pytest.raises(
        errors.UnidentifiedImageError,
        match=r"it is QOI, and wasmcanvas reads PNG, JPEG, GIF, WebP, BMP, PPM, PCX, ICO, TIFF, SGI, FLI, PSD, "
        r"JPEG 2000 and TGA$",
    ):
        formats.check_readable(b"qoif" + bytes(10), "q", None)
    with pytest.raises(errors.UnidentifiedImageError, match=r"it is PNG, not one of \['jpeg'\]$"):
        formats.check_readable(png, "p", ["jpeg"])
    assert formats.check_readable(png, "p", ("Png", "GIF")) == "PNG"
    with pytest.raises(ValueError, match=r"^unknown format 'TIFFANY'$"):
        formats.check_readable(png, "p", ["tiffany"])
    with pytest.raises(TypeError, match="formats must be a list or tuple of format names"):
        formats.check_readable(png, "p", "PNG")
    assert issubclass(errors.UnidentifiedImageError, OSError)


def test_file_names_and_save_options_as_pillow_takes_them(pure, tmp_path):
    formats = pure._formats
    assert [formats.save_format(name, None) for name in ("a.png", "B.JPG", "c.jpeg", "d.apng")] == [
        "PNG",
        "JPEG",
        "JPEG",
        "PNG",
    ]
    assert formats.save_format(tmp_path / "e.png", None) == "PNG"
    assert formats.save_format(io.BytesIO(), "jpeg") == "JPEG"
    with pytest.raises(ValueError, match=r"^unknown file extension: \.xyz$"):
        formats.save_format("f.xyz", None)
    with pytest.raises(
        ValueError,
        match="wasmcanvas writes PNG, JPEG, GIF, BMP, PPM, TIFF, SGI, JPEG 2000 and WebP; cannot save as QOI",
    ):
        formats.save_format("g.qoi", None)
    with pytest.raises(KeyError, match="TIFFANY"):
        formats.save_format("h.png", "tiffany")
    with pytest.raises(ValueError, match="cannot tell the format from a file object without a name"):
        formats.save_format(io.BytesIO(), None)
    assert [formats.png_level(params) for params in ({}, {"optimize": True}, {"compress_level": 0})] == [-1, 9, 0]
    with pytest.raises(ValueError, match=r"^compress_level must be from 0 to 9, got 10$"):
        formats.png_level({"compress_level": 10})


def test_paths_bytes_and_file_objects_are_read_and_written(pure, tmp_path):
    formats = pure._formats
    path = tmp_path / "picture.png"
    formats.write_target(str(path), b"\x89PNG data")
    assert formats.read_source(path) == (b"\x89PNG data", repr(str(path)))
    assert formats.read_source(bytearray(b"abc"))[0] == b"abc"
    assert formats.read_source(memoryview(b"abcd")[1:])[0] == b"bcd"
    stream = io.BytesIO()
    formats.write_target(stream, b"written")
    # A buffer just written to is read from its start, as Pillow reads it.
    assert formats.read_source(stream)[0] == b"written"
    with pytest.raises(TypeError, match=r"^fp must be a path, a bytes-like object or a binary file object, not int$"):
        formats.read_source(12)
    (tmp_path / "text.txt").write_text("text")
    with open(tmp_path / "text.txt") as text, pytest.raises(TypeError, match=r"fp\.read\(\) must return bytes"):
        formats.read_source(text)
    with pytest.raises(TypeError, match=r"^fp must be a path or a binary file object, not int$"):
        formats.write_target(3, b"")
    with pytest.raises(FileNotFoundError):
        formats.read_source(tmp_path / "missing.png")


# ---- what users copy uses the public API only


def test_no_page_example_or_readme_reaches_into_internals():
    """Pages, examples and the README use wasmcanvas's public API: never an
    object's `.raw` (the Rust object behind it) or `module.rust()`."""
    sources = [
        *sorted((ROOT / "py" / "wasmcanvas_site").glob("*.py")),
        *sorted(path for path in (ROOT / "examples").rglob("*") if path.is_file()),
        *sorted((ROOT / "web" / "pages").glob("*.html")),
        *sorted((ROOT / "web").glob("*.js")),
        ROOT / "README.md",
    ]
    internal = re.compile(r"\.raw\b|\brust\(\)")
    found = [
        f"{path.relative_to(ROOT)}:{number}: {line.strip()}"
        for path in sources
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if internal.search(line)
    ]
    assert len(sources) > 20 and found == []


# ---- _binary: Pillow's PIL._binary, which Pillow's own tests import

BINARY_READERS = ["i16le", "si16le", "i16be", "si16be", "i32le", "si32le", "i32be", "si32be"]


@pytest.mark.parametrize("name", BINARY_READERS)
def test_binary_readers_read_as_pillows(pure, name):
    from PIL import _binary

    for data in (b"\x81\x02\x83\x04\x05\x06", b"\xff\xff\xff\xff\x00\x00", b"\x00\x01\x02\x03\x04\x05"):
        for offset in (0, 2):
            assert getattr(pure._binary, name)(data, offset) == getattr(_binary, name)(data, offset)
    assert pure._binary.i8(b"\xfe\x01") == _binary.i8(b"\xfe\x01") == 254


@pytest.mark.parametrize("name", ["o8", "o16le", "o16be", "o32le", "o32be"])
def test_binary_writers_write_and_refuse_as_pillows(pure, name):
    from PIL import _binary

    ours, pillows = getattr(pure._binary, name), getattr(_binary, name)
    width = 1 if name == "o8" else int(name[1:3]) // 8
    for value in (0, 1, 0x7F, 255, 2 ** (8 * width) - 1):
        assert ours(value) == pillows(value)
    assert ours(0x1FF if width == 1 else 2 ** (8 * width) - 2) == pillows(0x1FF if width == 1 else 2 ** (8 * width) - 2)
    if width > 1:
        too_big = 2 ** (8 * width)
        with pytest.raises(OverflowError):
            pillows(too_big)
        with pytest.raises(OverflowError):
            ours(too_big)


# ---- features: Pillow's names, wasmcanvas's answers


def test_features_answer_for_wasmcanvas_under_pillows_names(pure):
    ours = pure.features
    assert list(ours.modules) == list(features.modules)
    assert list(ours.codecs) == list(features.codecs)
    assert list(ours.features) == list(features.features)
    assert ours.get_supported_modules() == ["pil", "freetype2", "webp"]
    assert ours.get_supported_codecs() == ["jpg", "jpg_2000", "zlib", "libtiff"]
    assert ours.get_supported_features() == ["raqm", "harfbuzz"]
    assert ours.get_supported() == [
        *("pil", "freetype2", "webp", "raqm", "harfbuzz", "jpg", "jpg_2000", "zlib", "libtiff")
    ]
    assert ours.version_module("freetype2") == "2.14.3"
    for absent in ("littlecms2", "avif", "tkinter"):
        assert ours.check_module(absent) is False
        assert ours.version_module(absent) is None
    assert ours.version_codec("libtiff") == "4.7.2"
    assert ours.check_feature("raqm") is True
    assert ours.check_feature("fribidi") is False
    assert ours.version("libjpeg_turbo") is None
    # The package is not set up here, so its version is unknown.
    assert ours.check("pil") is True
    assert ours.version("pil") is None


def test_feature_versions_are_the_codec_crates_cargo_asks_for(pure):
    cargo = (ROOT / "crate" / "codecs" / "Cargo.toml").read_text()
    asked = dict(re.findall(r'^([a-z-]+) = "([0-9.]+)"$', cargo, re.MULTILINE))
    ours = pure.features
    assert ours.version("webp") == asked["image-webp"]
    assert ours.version_codec("jpg") == asked["zune-jpeg"]
    assert ours.version_codec("zlib") == asked["png"]
    hayro = re.search(r'^hayro-jpeg2000 = \{ version = "([0-9.]+)"', cargo, re.MULTILINE)
    assert hayro is not None and ours.version_codec("jpg_2000") == hayro[1]


def test_unknown_feature_names_are_refused_as_pillow_refuses_them(pure, monkeypatch):
    ours = pure.features
    for check, version, kind in [
        (ours.check_module, ours.version_module, "module"),
        (ours.check_codec, ours.version_codec, "codec"),
        (ours.check_feature, ours.version_feature, "feature"),
    ]:
        with pytest.raises(ValueError, match=f"^Unknown {kind} unsupported$"):
            check("unsupported")
        with pytest.raises(ValueError, match=f"^Unknown {kind} unsupported$"):
            version("unsupported")
    with pytest.warns(UserWarning, match="Unknown feature 'typo'."):
        assert ours.check("typo") is False
    assert ours.version("typo") is None
    # Pillow's test puts its own kind of entry in the table: unknown, None.
    monkeypatch.setattr(ours, "features", {"test": ("PIL._test", "", "")})
    assert ours.check_feature("test") is None


def test_pilinfo_has_pillows_layout(pure):
    for supported_formats in (True, False):
        out = io.StringIO()
        pure.features.pilinfo(out, supported_formats=supported_formats)
        lines = out.getvalue().splitlines()
        rule = "-" * 68
        assert lines[0] == rule
        assert lines[1].startswith("Pillow ")
        assert lines[2].startswith("Python ")
        assert "--- LIBTIFF support ok, loaded 4.7.2" in lines
        assert "--- OPENJPEG (JPEG2000) support ok, loaded 0.3.5" in lines
        assert "*** AVIF support not installed" in lines
        assert "--- JPEG support ok, loaded 0.5" in lines
        jpeg = f"\n{rule}\nJPEG image/jpeg\nExtensions: .jfif, .jpe, .jpeg, .jpg\nFeatures: open, save\n{rule}\n"
        assert (jpeg in out.getvalue()) == supported_formats


# ---- ExifTags: the standard's numbers and names, as Pillow has them


def test_exif_tags_are_pillows(pure):
    ours = pure.ExifTags
    for name in ("Base", "GPS", "Interop", "IFD", "LightSource"):
        theirs = getattr(ExifTags, name)
        assert {m.name: m.value for m in getattr(ours, name)} == {m.name: m.value for m in theirs}, name
    assert ours.TAGS == ExifTags.TAGS
    assert ours.GPSTAGS == ExifTags.GPSTAGS
    assert ours.Base.Orientation == 0x0112 and ours.IFD.IFD1 == -1


# ---- ImageSequence: over anything with seek and tell


def test_image_sequence_walks_frames_as_pillows(pure, tmp_path):
    frames = [Image.new("L", (3, 2), shade) for shade in (10, 20, 30)]
    path = tmp_path / "three.gif"
    frames[0].save(path, save_all=True, append_images=frames[1:])
    with Image.open(path) as animation:
        animation.seek(1)
        ours = pure.ImageSequence.all_frames(animation, lambda frame: frame.convert("L").getpixel((0, 0)))
        assert animation.tell() == 1
        theirs = ImageSequence.all_frames(animation, lambda frame: frame.convert("L").getpixel((0, 0)))
        assert ours == theirs == [10, 20, 30]
        iterator = pure.ImageSequence.Iterator(animation)
        assert iterator[2] is animation and animation.tell() == 2
        with pytest.raises(IndexError, match="end of sequence"):
            iterator[3]
        assert len(list(pure.ImageSequence.Iterator(animation))) == 3
    with pytest.raises(AttributeError, match="im must have seek method"):
        pure.ImageSequence.Iterator(object())
    assert len(pure.ImageSequence.all_frames([frames[0], frames[1]])) == 2


# ---- TIFF: the writer byte for byte as Pillow's, the header as Pillow reads it


@pytest.mark.parametrize(
    ("mode", "size", "params"),
    [
        ("L", (3, 2), {}),
        ("LA", (5, 3), {}),
        ("RGB", (3, 2), {"dpi": (72, 72)}),
        ("RGBA", (4, 5), {"dpi": (72.5, 300), "description": "hello", "software": "wasmcanvas"}),
        ("RGB", (200, 150), {"resolution": 2.5, "resolution_unit": 3}),
        ("L", (300, 400), {"icc_profile": b"not really a profile"}),
    ],
)
def test_tiff_file_is_pillows_uncompressed_tiff(pure, mode, size, params):
    image = with_alpha(sample_photo(*size)).convert(mode)
    expected = io.BytesIO()
    image.save(expected, "TIFF", **params)
    assert pure._formats.tiff_file(mode, size, image.tobytes(), params) == expected.getvalue()
    header = pure._headers.read_header(expected.getvalue(), "TIFF")
    with Image.open(expected) as opened:
        assert header.size == opened.size
        assert header.mode == opened.mode
        assert header.info.keys() - {"icc_profile"} == opened.info.keys() - {"icc_profile"}
        assert header.info["compression"] == opened.info["compression"]
        for key in ("dpi", "resolution"):
            assert header.info.get(key) == pytest.approx(opened.info.get(key))


def test_tiff_file_refuses_what_it_cannot_write(pure):
    with pytest.raises(OSError, match=r"^cannot write mode PA as TIFF$"):
        pure._formats.tiff_file("PA", (1, 1), b"\0\0", {})
    with pytest.raises(OSError, match=r"^wasmcanvas cannot write TIFF compression 'lzma' \(it writes raw, "):
        pure._formats.tiff_file("L", (1, 1), b"\0", {}, b"", "lzma")
    # libtiff's fax coder takes 1 bit a sample only, and Pillow reports it so.
    with pytest.raises(OSError, match=r"^encoder error -2 when writing image file$"):
        pure._formats.tiff_file("L", (1, 1), b"\0", {}, b"", "group4")
    # Pillow's choice: the option, else the compression the image was read with.
    choose = pure._formats.tiff_compression
    assert choose({}, {}) == "raw" and choose({}, {"compression": "group4"}) == "group4"
    assert choose({"compression": None}, {"compression": "group4"}) == "raw"
    assert choose({"compression": "tiff_deflate"}, {}) == "tiff_adobe_deflate"
    assert choose({}, {"compression": 1}) == "raw"


# ---- headers: a header the Python readers cannot make sense of is left to the decoder


def _tiff(entries: list[tuple[int, int, int, bytes]]) -> bytes:
    """A little-endian TIFF whose first directory holds ``entries`` (tag,
    type, count, the 4 bytes of the value or offset)."""
    directory = len(entries).to_bytes(2, "little") + b"".join(
        tag.to_bytes(2, "little") + kind.to_bytes(2, "little") + count.to_bytes(4, "little") + value
        for tag, kind, count, value in entries
    )
    return b"II*\x00" + (8).to_bytes(4, "little") + directory + b"\x00" * 4


@pytest.mark.parametrize(
    ("format", "data", "size"),
    [
        # An ImageWidth tag with no values (a fuzzed file found it raising IndexError).
        ("TIFF", _tiff([(256, 4, 0, b"\x00" * 4), (257, 4, 1, (5).to_bytes(4, "little"))]), None),
        # Width and length as RATIONALs with zero denominators, which are NaN.
        (
            "TIFF",
            _tiff([(256, 5, 1, (38).to_bytes(4, "little")), (257, 5, 1, (38).to_bytes(4, "little"))])
            + (3).to_bytes(4, "little")
            + b"\x00" * 4,
            (0, 0),
        ),
        # A TGA cut inside its 18-byte header.
        ("TGA", b"\x00\x00\x02\x00\x00", None),
    ],
    ids=["tiff-empty-tag", "tiff-nan-size", "tga-cut-header"],
)
def test_headers_that_make_no_sense_are_left_to_the_decoder(pure, format, data, size):
    assert pure._headers.read_header(data, format).size == size


def test_importing_the_package_outside_pyodide_says_where_it_runs_and_names_pillow(tmp_path):
    import subprocess

    result = subprocess.run(
        [sys.executable, "-c", "import wasmcanvas"],
        cwd=tmp_path,
        env={"PYTHONPATH": str(ROOT / "py"), "PYTHONPYCACHEPREFIX": sys.pycache_prefix or ""},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    last = result.stderr.strip().splitlines()[-1]
    assert last == (
        "ImportError: wasmcanvas runs under Pyodide (Python compiled to WebAssembly: in a web page, a Web Worker "
        f"or Node), not in this Python ({sys.platform}): its pixels live in a WebAssembly module that only Pyodide "
        "loads. For the same code natively, use Pillow: wasmcanvas follows its API, so `from PIL import Image` "
        "runs the same script"
    )
