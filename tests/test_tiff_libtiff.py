"""TIFF as Pillow reads and writes it through libtiff, on wasmcanvas's own
code: every CCITT fax file of Pillow's Tests/images (and fax files Pillow
writes: Group 3 1D and 2D, Group 4, modified Huffman, both fill orders,
both photometric interpretations, in strips) decoded to Pillow's pixels;
an Orientation tag turned at load; each compression Pillow's libtiff
writer takes, written here and read back by Pillow to the same pixels;
the errors for what is not written. Pillow's results are computed once
on the host."""

from __future__ import annotations

import io

import pytest
from images import PILLOW_TESTS
from PIL import Image
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"
# Every CCITT-compressed TIFF in Pillow's Tests/images.
FAX_FILES = [
    "compression.tif",
    "g4-fillorder-test.tif",
    "g4-multi.tiff",
    *(f"g4_orientation_{index}.tif" for index in range(1, 9)),
    "hopper_g4.tif",
    "hopper_g4_500.tif",
    "pport_g4.tif",
    "total-pages-zero.tif",
]
# (compression, T4Options or None, photometric, fill order, strip size) of the fax files Pillow writes here.
WRITTEN_FAX = [
    ("group3", None, 0, 1, None),
    ("group3", 1, 1, 2, None),
    ("group3", 5, 0, 2, 256),
    ("group4", None, 1, 1, None),
    ("group4", None, 0, 2, 256),
    ("tiff_ccitt", None, 1, 2, 256),
]
# What wasmcanvas saves, in each mode, and Pillow reads back.
SAVES = [
    (mode, compression)
    for compression in ("raw", "tiff_lzw", "tiff_adobe_deflate", "tiff_deflate", "packbits")
    for mode in ("1", "L", "LA", "RGB", "RGBA", "P", "I;16")
] + [("1", "group3"), ("1", "group4"), ("1", "tiff_ccitt")]


def read_summary(im):
    """What a TIFF opens and loads as: the size before and after load, the
    mode, the compression, Orientation in getexif, the pixels' digest."""
    import hashlib

    before = im.size
    im.load()
    digest = hashlib.sha256(im.tobytes()).hexdigest()
    return [before, im.size, im.mode, im.info.get("compression"), 0x0112 in im.getexif(), digest]


@pytest.fixture(scope="module")
def pillows():
    hopper = Image.open(IMAGES / "hopper.png").convert("1")
    written = []
    for compression, t4, photometric, fill_order, strip_size in WRITTEN_FAX:
        info = {262: photometric, 266: fill_order, **({} if t4 is None else {292: t4})}
        out = io.BytesIO()
        hopper.save(
            out, "TIFF", compression=compression, tiffinfo=info, **({"strip_size": strip_size} if strip_size else {})
        )
        written.append(out.getvalue())
    files = [(IMAGES / name).read_bytes() for name in FAX_FILES] + written
    summaries = []
    for data in files:
        with Image.open(io.BytesIO(data)) as im:
            summaries.append(read_summary(im))
    return files, summaries


@run_in_pyodide(packages=["wasmcanvas"])
def in_pyodide(selenium, files, summary_source, saves, photo, g4_index):
    import io

    from wasmcanvas import Image, TiffImagePlugin, features

    namespace = {}
    exec(summary_source, namespace)
    read = []
    for data in files:
        with Image.open(io.BytesIO(bytes(data))) as im:
            read.append(namespace["read_summary"](im))
    # READ_LIBTIFF changes nothing here.
    TiffImagePlugin.READ_LIBTIFF = True
    with Image.open(io.BytesIO(bytes(files[0]))) as im:
        read_libtiff = namespace["read_summary"](im)
    TiffImagePlugin.READ_LIBTIFF = False
    hopper = Image.open(io.BytesIO(bytes(photo))).convert("RGBA")
    saved = []
    for mode, compression in saves:
        im = hopper.convert(mode) if mode != "I;16" else hopper.convert("L").convert("I;16")
        out = io.BytesIO()
        im.save(out, "TIFF", compression=compression, strip_size=4096)
        with Image.open(io.BytesIO(out.getvalue())) as back:
            ours_back = [back.mode, back.info["compression"], back.tobytes() == im.tobytes()]
        saved.append([out.getvalue(), im.mode, im.tobytes(), ours_back])
    # Saving a file read keeps its compression, as Pillow with libtiff.
    with Image.open(io.BytesIO(bytes(files[g4_index]))) as g4:
        out = io.BytesIO()
        g4.save(out, "TIFF")
        kept = out.getvalue()
    TiffImagePlugin.WRITE_LIBTIFF = True
    out = io.BytesIO()
    hopper.convert("RGB").save(out, "TIFF")
    TiffImagePlugin.WRITE_LIBTIFF = False
    libtiff_raw = out.getvalue()
    errors = []
    for mode, compression in (
        ("L", "group4"),
        ("RGB", "tiff_ccitt"),
        ("RGB", "jpeg"),
        ("L", "tiff_jpeg"),
        ("L", "lzma"),
    ):
        try:
            hopper.convert(mode).save(io.BytesIO(), "TIFF", compression=compression)
            errors.append(None)
        except OSError as error:
            errors.append(str(error))
    claims = [features.check("libtiff"), features.version("libtiff"), features.check_codec("libtiff")]
    return read, read_libtiff, saved, kept, libtiff_raw, errors, claims


def test_tiff_as_pillow_with_libtiff(selenium_rust, pillows):
    import inspect

    files, expected = pillows
    read, read_libtiff, saved, kept, libtiff_raw, errors, claims = in_pyodide(
        selenium_rust,
        files,
        inspect.getsource(read_summary),
        SAVES,
        (IMAGES / "hopper.png").read_bytes(),
        FAX_FILES.index("hopper_g4.tif"),
    )
    names = FAX_FILES + [f"Pillow-written {case}" for case in WRITTEN_FAX]
    wrong = [f"{name}: {got} != {want}" for name, got, want in zip(names, read, expected, strict=True) if got != want]
    assert not wrong, "\n".join(wrong)
    assert read_libtiff == expected[0]
    # What wasmcanvas writes, Pillow reads back to the same pixels and compression.
    for (mode, compression), (data, our_mode, pixels, ours_back) in zip(SAVES, saved, strict=True):
        with Image.open(io.BytesIO(bytes(data))) as back:
            written = "tiff_adobe_deflate" if compression == "tiff_deflate" else compression
            assert [back.mode, back.info["compression"]] == [our_mode, written], (mode, compression)
            assert back.tobytes() == bytes(pixels), (mode, compression)
            assert ours_back == [our_mode, written, True], (mode, compression)
            if compression != "raw":
                # Strips of about strip_size (4096) bytes, as libtiff writes them.
                stride = len(back.tobytes()) // back.height
                assert back.tag_v2[278] == min(back.height, max(1, 4096 // stride)), (mode, compression)
    with Image.open(io.BytesIO(bytes(kept))) as back, Image.open(IMAGES / "hopper_g4.tif") as original:
        assert back.info["compression"] == "group4"
        assert back.tobytes() == original.tobytes()
    with Image.open(io.BytesIO(bytes(libtiff_raw))) as back, Image.open(IMAGES / "hopper.png") as original:
        # Strips of 64 KiB with WRITE_LIBTIFF, as libtiff writes: 128 rows of 384 bytes in one strip.
        assert back.info["compression"] == "raw" and back.tag_v2[278] == 128
        assert back.tobytes() == original.convert("RGB").tobytes()
    assert errors == [
        "encoder error -2 when writing image file",
        "encoder error -2 when writing image file",
        "wasmcanvas cannot write TIFF compression 'jpeg' (it writes raw, tiff_ccitt, group3, group4, tiff_lzw, "
        "tiff_adobe_deflate, packbits)",
        "wasmcanvas cannot write TIFF compression 'jpeg' (it writes raw, tiff_ccitt, group3, group4, tiff_lzw, "
        "tiff_adobe_deflate, packbits)",
        "wasmcanvas cannot write TIFF compression 'lzma' (it writes raw, tiff_ccitt, group3, group4, tiff_lzw, "
        "tiff_adobe_deflate, packbits)",
    ]
    assert claims == [True, "4.7.2", True]
