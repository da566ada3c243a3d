"""EXIF as Pillow 13 reads and writes it (``Image.Exif``, ``getexif``,
``_getexif``, the dpi JPEG takes from EXIF, ``ImageOps.exif_transpose``) on
wasmcanvas in Pyodide, against Pillow's results on the host for Pillow's own
test pictures, and EXIF that is cut short or points outside itself."""

import warnings

from images import PILLOW_TESTS
from PIL import ExifTags, Image, ImageOps
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"
FILES = [
    "exif-72dpi-int.jpg",
    "exif-200dpcm.jpg",
    "exif_gps.jpg",
    "exif-ifd-offset.jpg",
    "no-dpi-in-exif.jpg",
    "hopper_orientation_6.jpg",
    "hopper_orientation_3.webp",
    "exif_imagemagick_orientation.png",
    "flower.jpg",
]
# A little-endian TIFF header and IFD0 of 3 entries, cut short after two:
# the two are kept, with Pillow's warning.
CUT_SHORT = b"Exif\x00\x00II*\x00\x08\x00\x00\x00\x03\x00" + bytes.fromhex(
    "120103000100000006000000310102000400000061626300"
)
# An entry whose value lies past the end: skipped, with Pillow's warning.
OUTSIDE = b"II*\x00\x08\x00\x00\x00\x01\x00" + bytes.fromhex("0e010200400000001000000000000000")


def summary(im):
    """What a test can read of an image's EXIF, as comparable text."""
    exif = im.getexif()
    ifds = sorted((int(tag), repr(sorted(exif.get_ifd(tag).items()))) for tag in ExifTags.IFD)
    merged = im._getexif() if hasattr(im, "_getexif") else None
    return [
        repr(sorted(exif.items())),
        repr(ifds),
        repr(None if merged is None else sorted(merged.items(), key=lambda item: item[0])),
        repr(im.info.get("dpi")),
    ]


def transposed(im):
    result = ImageOps.exif_transpose(im)
    changed = result.info.get("exif") != im.info.get("exif")
    return [result.size, changed, 0x0112 in result.getexif(), sorted(result.getexif().items())]


def pillows():
    results = []
    for name in FILES:
        with Image.open(IMAGES / name) as im:
            results.append([*summary(im), repr(transposed(im))])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exif = Image.Exif()
        exif.load(CUT_SHORT)
        results.append([repr(sorted(exif.items())), [str(w.message) for w in caught]])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        exif = Image.Exif()
        exif.load(OUTSIDE)
        results.append([repr(sorted(exif.items())), [str(w.message) for w in caught]])
    return results


@run_in_pyodide(packages=["wasmcanvas"])
def ours(selenium, files, cut_short, outside, summary_source):
    import io
    import warnings

    from wasmcanvas import ExifTags, Image, ImageOps

    namespace = {"ExifTags": ExifTags, "Image": Image, "ImageOps": ImageOps}
    exec(summary_source, namespace)
    results = []
    for data in files:
        with Image.open(io.BytesIO(bytes(data))) as im:
            results.append([*namespace["summary"](im), repr(namespace["transposed"](im))])
    for data in (cut_short, outside):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            exif = Image.Exif()
            exif.load(bytes(data))
            results.append([repr(sorted(exif.items())), [str(w.message) for w in caught]])
    return results


def test_exif_reads_as_pillow_reads_it(selenium_rust):
    import inspect

    source = inspect.getsource(summary) + "\n" + inspect.getsource(transposed)
    files = [(IMAGES / name).read_bytes() for name in FILES]
    got = ours(selenium_rust, files, CUT_SHORT, OUTSIDE, source)
    expected = pillows()
    different = [
        f"{index}.{part}: {a!r} != {b!r}"
        for index, (ours_item, pillow_item) in enumerate(zip(got, expected, strict=True))
        for part, (a, b) in enumerate(zip(ours_item, pillow_item, strict=True))
        if repr(a) != repr(b)
    ]
    assert not different, "\n".join(different)
    assert len(expected[-2][1]) == 1 and len(expected[-1][1]) == 1


@run_in_pyodide(packages=["wasmcanvas"])
def test_exif_written_reads_back(selenium_rust):
    import io

    import pytest
    from wasmcanvas import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x0131] = "wasmcanvas"
    exif[0x011A] = 300
    with Image.new("RGB", (4, 2), "red") as im:
        for format in ("JPEG", "PNG", "WEBP"):
            out = io.BytesIO()
            im.save(out, format, exif=exif)
            with Image.open(io.BytesIO(out.getvalue())) as reloaded:
                if format == "PNG":
                    reloaded.load()
                assert dict(reloaded.getexif()) == {0x0112: 6, 0x0131: "wasmcanvas", 0x011A: 300}, format
    with pytest.raises(SyntaxError, match="not a TIFF file"):
        Image.Exif().load(b"Exif\x00\x00XX*\x00\x08\x00\x00\x00")


def test_getxmp_warns_without_defusedxml_as_pillow_does(selenium_rust):
    import pytest

    with Image.open(IMAGES / "xmp_test.jpg") as im, pytest.warns(UserWarning, match="defusedxml") as caught:
        expected = [im.getxmp(), [str(w.message) for w in caught]]
    assert expected == [{}, ["XMP data cannot be read without defusedxml dependency"]]
    assert xmp_in_pyodide(selenium_rust, (IMAGES / "xmp_test.jpg").read_bytes()) == expected


@run_in_pyodide(packages=["wasmcanvas"])
def xmp_in_pyodide(selenium, data):
    import io
    import warnings

    from wasmcanvas import Image

    with Image.open(io.BytesIO(bytes(data))) as im, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert "xmp" in im.info
        return [im.getxmp(), [str(w.message) for w in caught]]
