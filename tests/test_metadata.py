"""Metadata as Pillow 13 writes and reads it, on wasmcanvas in Pyodide:
EXIF, ICC profiles, dpi and XMP in JPEG, PNG and WebP files that Pillow
wrote on the host, read here and compared with what Pillow reads; files
written here, read back by Pillow on the host; ``ImageOps.exif_transpose``
for all eight orientations, byte for byte against Pillow; PNG's chunk API
(``private_chunks``, ``getchunks``, ``verify``, text after the image data);
and damaged metadata, which must give Pillow's exception and message.
Each group is one call into Pyodide (a list of cases in, results out)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from images import PILLOW_TESTS
from PIL import Image, ImageOps, PngImagePlugin
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"
# An ICC profile larger than one JPEG segment holds: written over two APP2s.
ICC = bytes(range(256)) * 274
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/></x:xmpmeta>'
FORMATS = ("JPEG", "PNG", "WEBP")


def pillow_exif() -> Image.Exif:
    """EXIF with tags in IFD0, the Exif directory and the GPS directory."""
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0131] = "wasmcanvas test"
    exif[0x010F] = "Maker"
    exif.get_ifd(0x8769)[0x9003] = "2024:01:02 03:04:05"
    exif.get_ifd(0x8825)[0x0001] = "N"
    return exif


def picture(size: tuple[int, int] = (6, 4)) -> Image.Image:
    """An asymmetric RGB picture, so that each turn and flip differs."""
    width, height = size
    pixels = (
        value
        for y in range(height)
        for x in range(width)
        for value in ((x * 25 + y * 3) % 256, y * 35 % 256, x * y * 17 % 256)
    )
    return Image.frombytes("RGB", size, bytes(pixels))


def read_facts(im: Image.Image) -> list[str]:
    """What a test compares of an opened file's metadata, as text."""
    exif = im.getexif()
    return [
        repr(im.info.get("icc_profile")),
        repr(im.info.get("dpi")),
        repr(im.info.get("xmp")),
        repr(im.info.get("exif")),
        repr(sorted(exif.items())),
        repr(sorted(exif.get_ifd(0x8769).items())),
        repr(sorted(exif.get_ifd(0x8825).items())),
    ]


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


HEAD = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
IDAT = png_chunk(b"IDAT", zlib.compress(b"\x00\x10\x20\x30"))
TAIL = IDAT + png_chunk(b"IEND", b"")


def damaged_files() -> list[tuple[str, bytes, str]]:
    """(what, file, how it is used): files whose metadata is damaged."""
    bad_crc = bytearray(png_chunk(b"tEXt", b"key\0value"))
    bad_crc[-1] ^= 0xFF
    bad_crc_after = bytearray(png_chunk(b"zTXt", b"key\0\0" + zlib.compress(b"value")))
    bad_crc_after[-1] ^= 0xFF
    iccp = png_chunk(b"iCCP", b"name\0\x05" + zlib.compress(b"profile"))
    exif_cut = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x03\x00" + bytes.fromhex("120103000100000006000000")
    jpeg = io.BytesIO()
    Image.new("RGB", (2, 2)).save(jpeg, "JPEG", exif=exif_cut)
    return [
        ("a tEXt chunk with a bad CRC", HEAD + bytes(bad_crc) + TAIL, "construct"),
        ("a tEXt chunk with a bad CRC", HEAD + bytes(bad_crc) + TAIL, "open"),
        ("an IHDR with a bad CRC", HEAD[:-1] + b"\x00" + TAIL, "construct"),
        (
            "a zTXt chunk with a bad CRC after IDAT",
            HEAD + IDAT + bytes(bad_crc_after) + png_chunk(b"IEND", b""),
            "verify",
        ),
        ("a file cut in its IEND", HEAD + TAIL[:-6], "verify"),
        ("an iCCP of compression method 5", HEAD + iccp + TAIL, "construct"),
        ("a tRNS of 4 bytes in an RGB file", HEAD + png_chunk(b"tRNS", bytes(4)) + TAIL, "open"),
        ("EXIF three times headed", b"Exif\x00\x00" * 3 + exif_cut[6:], "exif"),
        ("EXIF whose IFD0 is cut short", exif_cut, "exif"),
        ("a JPEG whose EXIF IFD0 is cut short", jpeg.getvalue(), "getexif"),
    ]


def outcome(action, *, warnings_too: bool = True) -> list[str]:
    """An action's result or exception (type, message), with its warnings."""
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = ["ok", repr(action())]
        except Exception as error:  # the outcome is what is compared
            result = [type(error).__name__, str(error)]
    return [*result, *(str(w.message) for w in caught if warnings_too)]


def damaged_outcome(Image, PngImagePlugin, data, use):
    """What Pillow (or wasmcanvas) does with a damaged file used so."""
    if use == "construct":
        return outcome(lambda: PngImagePlugin.PngImageFile(io.BytesIO(data)).size)
    if use == "open":
        # Image.open's message names the file object (Pillow's its address): the type is compared.
        result = outcome(lambda: Image.open(io.BytesIO(data)).size)
        return result[:1] if result[0] == "UnidentifiedImageError" else result
    if use == "verify":
        return outcome(lambda: Image.open(io.BytesIO(data)).verify())
    if use == "getexif":
        return outcome(lambda: sorted(Image.open(io.BytesIO(data)).getexif().items()))

    def loaded():
        exif = Image.Exif()
        exif.load(data)
        return sorted(exif.items())

    return outcome(loaded)


def transpose_files() -> list[bytes]:
    """A PNG for each orientation 1 to 8 (EXIF, with another tag kept),
    and one whose only orientation is in its XMP."""
    files = []
    for orientation in range(1, 9):
        exif = Image.Exif()
        exif[0x0112] = orientation
        exif[0x0131] = "kept"
        out = io.BytesIO()
        picture().save(out, "PNG", exif=exif)
        files.append(out.getvalue())
    info = PngImagePlugin.PngInfo()
    info.add_itxt("XML:com.adobe.xmp", '<x:xmpmeta><rdf:Description tiff:Orientation="6"/></x:xmpmeta>')
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info)
    files.append(out.getvalue())
    return files


def int_keys(exif):
    """EXIF's items by tag number (Pillow keeps an ``ExifTags.Base`` key as given)."""
    return sorted((int(tag), value) for tag, value in exif.items())


def transpose_facts(Image, ImageOps, data):
    """exif_transpose of a file, a copy and in place, as comparable facts."""
    facts = []
    with Image.open(io.BytesIO(data)) as im:
        result = ImageOps.exif_transpose(im)
        facts += [result.size, result.tobytes().hex(), repr(result.info.get("exif"))]
        facts += [repr(result.info.get("XML:com.adobe.xmp")), repr(int_keys(result.getexif()))]
        again = ImageOps.exif_transpose(result)
        facts.append(again.tobytes() == result.tobytes())
    with Image.open(io.BytesIO(data)) as im:
        im.load()
        assert ImageOps.exif_transpose(im, in_place=True) is None
        facts += [im.size, im.tobytes().hex(), repr(im.info.get("exif")), repr(int_keys(im.getexif()))]
    return facts


@pytest.fixture(scope="module")
def pillow_written() -> list[bytes]:
    """Files Pillow writes with every piece of metadata its savers take."""
    files = []
    for format in FORMATS:
        out = io.BytesIO()
        options = {"exif": pillow_exif(), "icc_profile": ICC, "dpi": (150, 72)}
        if format != "PNG":
            options["xmp"] = XMP
        picture((9, 7)).save(out, format, **options)
        files.append(out.getvalue())
    return files


@run_in_pyodide(packages=["wasmcanvas"])
def read_in_pyodide(selenium, files, facts_source):
    import io

    from wasmcanvas import Image

    namespace = {"Image": Image}
    exec(facts_source, namespace)
    return [namespace["read_facts"](Image.open(io.BytesIO(bytes(data)))) for data in files]


def test_metadata_pillow_wrote_reads_as_pillow_reads_it(selenium_rust, pillow_written):
    import inspect

    got = read_in_pyodide(selenium_rust, pillow_written, inspect.getsource(read_facts))
    expected = [read_facts(Image.open(io.BytesIO(data))) for data in pillow_written]
    names = ["icc_profile", "dpi", "xmp", "exif bytes", "exif", "Exif IFD", "GPS IFD"]
    different = [
        f"{format} {name}: ours {a} != Pillow's {b}"
        for format, ours, pillows in zip(FORMATS, got, expected, strict=True)
        for name, a, b in zip(names, ours, pillows, strict=True)
        if a != b
    ]
    assert not different, "\n".join(different)


@run_in_pyodide(packages=["wasmcanvas"])
def write_in_pyodide(selenium, formats, icc, xmp):
    import io

    from wasmcanvas import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0131] = "wasmcanvas test"
    exif[0x010F] = "Maker"
    exif.get_ifd(0x8769)[0x9003] = "2024:01:02 03:04:05"
    exif.get_ifd(0x8825)[0x0001] = "N"
    width, height = 9, 7
    pixels = bytes(
        value
        for y in range(height)
        for x in range(width)
        for value in ((x * 25 + y * 3) % 256, y * 35 % 256, x * y * 17 % 256)
    )
    written = []
    for format in formats:
        out = io.BytesIO()
        options = {"exif": exif, "icc_profile": bytes(icc), "dpi": (150, 72)}
        if format != "PNG":
            options["xmp"] = bytes(xmp)
        Image.frombytes("RGB", (width, height), pixels).save(out, format, **options)
        written.append(out.getvalue())
    return written


def layout(data: bytes) -> list[str]:
    """A file's metadata containers in order: PNG chunk types, JPEG APPn
    and COM markers, WebP chunk ids (with the VP8X flags)."""
    if data.startswith(b"\x89PNG"):
        kinds, at = [], 8
        while at + 8 <= len(data):
            length = int.from_bytes(data[at : at + 4], "big")
            kinds.append(data[at + 4 : at + 8].decode("latin-1"))
            at += 12 + length
        return kinds
    if data.startswith(b"\xff\xd8"):
        kinds, at = [], 2
        while at + 4 <= len(data) and data[at + 1] != 0xDA:
            marker = data[at + 1]
            if 0xE0 <= marker <= 0xEF or marker == 0xFE:
                kinds.append(f"{marker:02X}")
            at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
        return kinds
    kinds, at = [], 12
    while at + 8 <= len(data):
        kind = data[at : at + 4].decode("latin-1")
        length = int.from_bytes(data[at + 4 : at + 8], "little")
        kinds.append(kind + (f":{data[at + 8] & 0x3C:02X}" if kind == "VP8X" else ""))
        at += 8 + length + (length & 1)
    return kinds


def test_metadata_written_here_reads_back_in_pillow(selenium_rust, pillow_written):
    written = write_in_pyodide(selenium_rust, list(FORMATS), ICC, XMP)
    problems = []
    for format, ours, pillows in zip(FORMATS, written, pillow_written, strict=True):
        with Image.open(io.BytesIO(ours)) as reread, Image.open(io.BytesIO(pillows)) as reference:
            for name, a, b in zip(
                ["icc_profile", "dpi", "xmp", "exif bytes", "exif", "Exif IFD", "GPS IFD"],
                read_facts(reread),
                read_facts(reference),
                strict=True,
            ):
                if a != b:
                    problems.append(f"{format} {name}: Pillow reads ours as {a}, its own as {b}")
        ours_layout = [kind for kind in layout(ours) if not kind.startswith(("IDAT", "VP8L", "VP8 "))]
        pillows_layout = [kind for kind in layout(pillows) if not kind.startswith(("IDAT", "VP8L", "VP8 "))]
        if ours_layout != pillows_layout:
            problems.append(f"{format} layout: ours {ours_layout} != Pillow's {pillows_layout}")
    assert not problems, "\n".join(problems)


@run_in_pyodide(packages=["wasmcanvas"])
def transpose_in_pyodide(selenium, files, source):
    import io

    from wasmcanvas import Image, ImageOps

    namespace = {"io": io}
    exec(source, namespace)
    return [namespace["transpose_facts"](Image, ImageOps, bytes(data)) for data in files]


def test_exif_transpose_matches_pillow_for_every_orientation(selenium_rust):
    import inspect

    files = transpose_files()
    source = inspect.getsource(int_keys) + "\n" + inspect.getsource(transpose_facts)
    got = transpose_in_pyodide(selenium_rust, files, source)
    expected = [transpose_facts(Image, ImageOps, data) for data in files]
    names = ["size", "pixels", "exif", "xmp", "getexif", "idempotent"]
    names += ["in place size", "in place pixels", "in place exif", "in place getexif"]
    different = [
        f"orientation {index + 1 if index < 8 else 'from XMP'} {name}: ours {a!r} != Pillow's {b!r}"
        for index, (ours, pillows) in enumerate(zip(got, expected, strict=True))
        for name, a, b in zip(names, [list(x) if isinstance(x, tuple) else x for x in ours], pillows, strict=True)
        if (list(b) if isinstance(b, tuple) else b) != a
    ]
    assert not different, "\n".join(different)


@run_in_pyodide(packages=["wasmcanvas"])
def damaged_in_pyodide(selenium, cases, source):
    import io

    from wasmcanvas import Image, PngImagePlugin

    namespace = {"io": io}
    exec(source, namespace)
    return [namespace["damaged_outcome"](Image, PngImagePlugin, bytes(data), use) for _, data, use in cases]


def test_damaged_metadata_raises_as_pillow_does(selenium_rust):
    import inspect

    cases = damaged_files()
    source = inspect.getsource(outcome) + "\n" + inspect.getsource(damaged_outcome)
    got = damaged_in_pyodide(selenium_rust, [list(case) for case in cases], source)
    expected = [damaged_outcome(Image, PngImagePlugin, data, use) for _, data, use in cases]
    different = [
        f"{what} ({use}): ours {a} != Pillow's {b}"
        for (what, _, use), a, b in zip(cases, got, expected, strict=True)
        if a != b
    ]
    assert not different, "\n".join(different)
    # Each case is a refusal or a warning in Pillow, not a silent success.
    assert all(result[0] != "ok" or len(result) > 2 for result in expected), expected


@run_in_pyodide(packages=["wasmcanvas"])
def chunks_in_pyodide(selenium, file):
    import io

    from wasmcanvas import Image, PngImagePlugin

    im = Image.open(io.BytesIO(bytes(file)))
    before = [list(chunk) for chunk in im.private_chunks]
    text_before = sorted(im.info)
    tile = [list(im.tile[0][:3]), im.tile[0][3]]
    im.load()
    after = [list(chunk) for chunk in im.private_chunks]
    chunks = [cid for cid, _, _ in PngImagePlugin.getchunks(Image.new("RGB", (3, 2)))]
    return [before, after, text_before, sorted(im.info), dict(im.text), tile, im.tile, chunks]


def test_png_chunks_as_pillow_reads_them(selenium_rust):
    info = PngImagePlugin.PngInfo()
    info.add(b"prIV", b"VALUE")
    info.add_text("early", "one")
    info.add(b"atEC", b"VALUE3", True)
    out = io.BytesIO()
    picture().save(out, "PNG", pnginfo=info)
    data = out.getvalue()
    # A text chunk after the image data, read at load() as Pillow reads it.
    data = data[:-12] + png_chunk(b"tEXt", b"late\0two") + data[-12:]
    got = chunks_in_pyodide(selenium_rust, data)
    im = Image.open(io.BytesIO(data))
    expected = [[list(chunk) for chunk in im.private_chunks], None, sorted(im.info)]
    tile = [list(im.tile[0][:3]), im.tile[0][3]]
    im.load()
    expected[1] = [list(chunk) for chunk in im.private_chunks]
    expected += [sorted(im.info), dict(im.text), tile, im.tile]
    expected.append([cid for cid, _, _ in PngImagePlugin.getchunks(Image.new("RGB", (3, 2)))])
    assert got == expected


@run_in_pyodide(packages=["wasmcanvas"])
def pipeline_in_pyodide(selenium, photo):
    import io

    from wasmcanvas import Image, ImageOps

    with Image.open(io.BytesIO(bytes(photo))) as im:
        turned = ImageOps.exif_transpose(im)
        turned.thumbnail((40, 40))
        return [turned.size, list(turned.convert("L").resize((4, 4)).tobytes()), 0x0112 in turned.getexif()]


def test_phone_photo_pipeline_keeps_orientation(selenium_rust):
    photo = (IMAGES / "hopper_orientation_6.jpg").read_bytes()
    with Image.open(io.BytesIO(photo)) as im:
        turned = ImageOps.exif_transpose(im)
        turned.thumbnail((40, 40))
        expected = [turned.size, list(turned.convert("L").resize((4, 4)).tobytes()), 0x0112 in turned.getexif()]
    got = pipeline_in_pyodide(selenium_rust, photo)
    assert got[0] == expected[0] and got[2] == expected[2] is False
    # JPEG decoders differ by a few levels; a wrong turn differs by far more.
    assert max(abs(a - b) for a, b in zip(got[1], expected[1], strict=True)) <= 12, (got[1], expected[1])


EXIF_FILES = ["hopper.tif", "tiff_adobe_deflate.tif", "empty_gps_ifd.jpg", "exif_gps.jpg"]


def exif_facts(Image, ImageOps, data):
    """A file's EXIF directories, and those of its exif_transpose result."""
    with Image.open(io.BytesIO(data)) as im:
        exif = im.getexif()
        facts = [repr(int_keys(exif)), repr(sorted(exif.get_ifd(0x8769).items()))]
        facts.append(repr(sorted(exif.get_ifd(0x8825).items())))
        turned = ImageOps.exif_transpose(im).getexif()
        facts += [repr(int_keys(turned)), repr(sorted(turned.get_ifd(0x8825).items()))]
    return facts


@run_in_pyodide(packages=["wasmcanvas"])
def exif_in_pyodide(selenium, files, source):
    import io

    from wasmcanvas import Image, ImageOps

    namespace = {"io": io}
    exec(source, namespace)
    return [namespace["exif_facts"](Image, ImageOps, bytes(data)) for data in files]


def test_exif_of_tiff_and_jpeg_files_as_pillow_reads_it(selenium_rust):
    import inspect

    files = [(IMAGES / name).read_bytes() for name in EXIF_FILES]
    source = inspect.getsource(int_keys) + "\n" + inspect.getsource(exif_facts)
    got = exif_in_pyodide(selenium_rust, files, source)
    expected = [exif_facts(Image, ImageOps, data) for data in files]
    names = ["IFD0", "Exif IFD", "GPS IFD", "transposed IFD0", "transposed GPS IFD"]
    different = [
        f"{file} {name}: ours {a} != Pillow's {b}"
        for file, ours, pillows in zip(EXIF_FILES, got, expected, strict=True)
        for name, a, b in zip(names, ours, pillows, strict=True)
        if a != b
    ]
    assert not different, "\n".join(different)


def png_reading_facts(Image, data):
    """What Pillow's PNG reader gives of a file: ``info``, ``private_chunks``
    and ``tile`` at open, ``info`` and ``private_chunks`` after ``load()``,
    or the kind of error (``OSError`` for any of its subclasses)."""

    def kind(error):
        for family in (Image.UnidentifiedImageError, SyntaxError, ValueError, OSError, EOFError):
            if isinstance(error, family):
                return family.__name__
        return type(error).__name__

    def info_of(im):
        return repr(sorted((key, repr(value)) for key, value in im.info.items()))

    facts = []
    try:
        im = Image.open(io.BytesIO(data))
    except Exception as error:  # the outcome is what is compared
        return [f"open: {kind(error)}"]
    facts += [info_of(im), repr(getattr(im, "private_chunks", None)), repr(im.tile)]
    try:
        im.load()
    except Exception as error:  # the outcome is what is compared
        return [*facts, f"load: {kind(error)}"]
    return [*facts, info_of(im), repr(getattr(im, "private_chunks", None)), repr(im.tile)]


@run_in_pyodide(packages=["wasmcanvas"])
def png_reading_in_pyodide(selenium, files, source):
    import io
    import warnings

    from wasmcanvas import Image

    namespace = {"io": io}
    exec(source, namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [namespace["png_reading_facts"](Image, bytes(data)) for data in files]


def test_every_pillow_test_png_reads_as_pillow_reads_it(selenium_rust):
    import inspect
    import warnings

    names = sorted(path.name for path in IMAGES.glob("*.png") if path.stat().st_size < 300_000)
    files = [(IMAGES / name).read_bytes() for name in names]
    got = png_reading_in_pyodide(selenium_rust, files, inspect.getsource(png_reading_facts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [png_reading_facts(Image, data) for data in files]
    different = [f"{name}: ours {a} != Pillow's {b}" for name, a, b in zip(names, got, expected, strict=True) if a != b]
    assert len(names) > 250 and not different, "\n".join(different)


# TIFF files whose metadata (XMP, ICC profile, resolution, EXIF) is checked;
# the others of Pillow's test images include layouts wasmcanvas does not decode.
TIFF_FILES = [
    "hopper.iccprofile.tif",
    "hopper.iccprofile_binary.tif",
    "tiff_adobe_deflate.tif",
    "lab.tif",
    "pport_g4.tif",
    "uint16_1_4660.tif",
    "multipage-lastframe.tif",
    "hopper.tif",
]


def file_metadata_facts(Image, data):
    """A file's ``info`` (bar the animation's), EXIF directories and EXIF
    written out again (``tobytes``, byte for byte), or the kind of error."""
    try:
        im = Image.open(io.BytesIO(data))
    except Exception as error:  # the outcome is what is compared
        return [f"open: {'OSError' if isinstance(error, OSError) else type(error).__name__}"]
    skipped = ("background", "loop", "duration", "timestamp")
    exif = im.getexif()
    facts = [
        repr(sorted((key, repr(value)) for key, value in im.info.items() if key not in skipped)),
        repr(sorted((int(tag), repr(value)) for tag, value in exif.items())),
        repr(sorted((int(tag), repr(value)) for tag, value in exif.get_ifd(0x8769).items())),
        repr(sorted((int(tag), repr(value)) for tag, value in exif.get_ifd(0x8825).items())),
    ]
    try:
        written = exif.tobytes().hex()
    except Exception as error:  # the outcome is what is compared
        written = type(error).__name__
    return [*facts, written]


@run_in_pyodide(packages=["wasmcanvas"])
def file_metadata_in_pyodide(selenium, files, source):
    import io
    import warnings

    from wasmcanvas import Image

    namespace = {"io": io}
    exec(source, namespace)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return [namespace["file_metadata_facts"](Image, bytes(data)) for data in files]


def test_jpeg_webp_and_tiff_metadata_reads_as_pillow_reads_it(selenium_rust):
    import inspect
    import warnings

    names = sorted(
        path.name
        for pattern in ("*.jpg", "*.jpeg", "*.webp")
        for path in IMAGES.glob(pattern)
        if path.stat().st_size < 300_000
    )
    names += TIFF_FILES
    files = [(IMAGES / name).read_bytes() for name in names]
    got = file_metadata_in_pyodide(selenium_rust, files, inspect.getsource(file_metadata_facts))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = [file_metadata_facts(Image, data) for data in files]
    # Where Pillow's tobytes() raises (a value that does not fit the type it
    # gives its tag, as an XResolution in text), ours writes the value's own
    # type: the rest is compared.
    pillow_refuses = [len(b) > 1 and b[-1] == "TypeError" for b in expected]
    assert sum(pillow_refuses) <= 3, names
    got = [a[:-1] if refused else a for a, refused in zip(got, pillow_refuses, strict=True)]
    expected = [b[:-1] if refused else b for b, refused in zip(expected, pillow_refuses, strict=True)]
    different = [f"{name}: ours {a} != Pillow's {b}" for name, a, b in zip(names, got, expected, strict=True) if a != b]
    assert len(names) > 70 and not different, "\n".join(different)


def tile_facts(Image, ImageFile, data):
    """``im.tile`` after open and load, and Python decoders named by it (a
    decoder that never finishes, one that fills half the image), as Pillow's."""
    import contextlib

    class Endless(ImageFile.PyDecoder):
        def decode(self, buffer):
            return 0, 0

    class Fill(ImageFile.PyDecoder):
        def decode(self, buffer):
            self.set_as_raw(bytes([7, 8, 9]) * (self.state.xsize * self.state.ysize))
            return -1, 0

    Image.register_decoder("ENDLESS", Endless)
    Image.register_decoder("FILL", Fill)
    facts = []
    im = Image.open(io.BytesIO(data))
    facts += [repr(im.tile), im.load() is not None and repr(im.tile)]
    for codec, extents, truncated in (("ENDLESS", (0, 0, 16, 16), False), ("ENDLESS", (0, 0, 16, 16), True)):
        im = Image.open(io.BytesIO(data))
        im.tile = [ImageFile._Tile(codec, extents, 0, ("RGB", 0, 1))]
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
        try:
            im.load()
            facts.append([im.getpixel((0, 0)), repr(im.tile)])
        except OSError as error:
            facts.append(str(error))
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
    im = Image.open(io.BytesIO(data))
    im.tile = [ImageFile._Tile("FILL", (0, 0, 16, 8), 0, None)]
    im.load()
    facts.append([im.getpixel((0, 0)), im.getpixel((0, 12))])
    im = Image.open(io.BytesIO(data))
    im.tile = [im.tile[0]._replace(extents=(0, 0, 8, 8))]
    with contextlib.suppress(OSError):
        im.load()
        facts.append("loaded a tile narrower than the image")
    return facts


@run_in_pyodide(packages=["wasmcanvas"])
def tile_in_pyodide(selenium, data, source):
    import io

    from wasmcanvas import Image, ImageFile

    namespace = {"io": io}
    exec(source, namespace)
    return namespace["tile_facts"](Image, ImageFile, bytes(data))


def test_tile_and_python_decoders_as_pillow(selenium_rust):
    import inspect

    from PIL import ImageFile

    out = io.BytesIO()
    picture((16, 16)).save(out, "JPEG")
    got = tile_in_pyodide(selenium_rust, out.getvalue(), inspect.getsource(tile_facts))
    assert got == tile_facts(Image, ImageFile, out.getvalue())
