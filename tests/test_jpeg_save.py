"""JPEG saving as Pillow saves: the plan of ``_jpegsave`` (tables, their
assignment, sampling, restart interval, errors) checked on the host against
the files real Pillow writes, then wasmcanvas's files in Pyodide read by
real Pillow (tables, components, markers, pixels), and Pillow's JPEG reader
facts (Photoshop resources, the ICC profile before the frame, the MPO
index, EXIF thumbnails) against Pillow's."""

import importlib.util
import io
import re
import sys
import warnings
from pathlib import Path
from types import ModuleType

import pytest
from images import PILLOW_TESTS, sample_photo
from PIL import Image, JpegImagePlugin
from pytest_pyodide import run_in_pyodide

PACKAGE_DIR = Path(__file__).resolve().parent.parent / "py" / "wasmcanvas"
IMAGES = PILLOW_TESTS / "images"


@pytest.fixture(scope="module")
def jpegsave():
    """wasmcanvas._jpegsave imported from py/ on the host (it is pure Python)."""
    saved = {name: module for name, module in sys.modules.items() if name.split(".")[0] == "wasmcanvas"}
    spec = importlib.util.spec_from_file_location(
        "wasmcanvas", PACKAGE_DIR / "__init__.py", submodule_search_locations=[str(PACKAGE_DIR)]
    )
    package: ModuleType = importlib.util.module_from_spec(spec)
    sys.modules["wasmcanvas"] = package
    try:
        yield importlib.import_module("wasmcanvas._jpegsave")
    finally:
        for name in [name for name in sys.modules if name.split(".")[0] == "wasmcanvas"]:
            del sys.modules[name]
        sys.modules.update(saved)


def pillow_file(mode, **params):
    image = Image.new(mode, (40, 24))
    out = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        image.save(out, "JPEG", **params)
    return Image.open(io.BytesIO(out.getvalue())), out.getvalue()


def used_tables(jpegsave, mode, params, source=None):
    """The tables our plan writes, as Pillow's ``quantization`` reads them,
    and each component's table number."""
    _mode, _arguments, layout = jpegsave.plan(mode, (40, 24), params, source)
    used = dict.fromkeys(layout.assignment)
    return {index: layout.tables[index] for index in used}, layout.assignment


def dri(data):
    at = data.find(b"\xff\xdd")
    return int.from_bytes(data[at + 4 : at + 6], "big") if at >= 0 else 0


QUALITY_CASES = [
    *[("RGB", {"quality": quality}) for quality in (0, 1, 10, 49, 50, 51, 75, 90, 100)],
    ("RGB", {}),
    ("L", {"quality": 60}),
    ("CMYK", {}),
    ("CMYK", {"quality": 30}),
    ("RGB", {"keep_rgb": True}),
    *[("RGB", {"qtables": [[n] * 64] * n}) for n in (1, 2, 3)],
    *[("CMYK", {"qtables": [[n] * 64] * n}) for n in (1, 2, 3, 4)],
    ("L", {"qtables": [[1] * 64, [2] * 64]}),
    ("RGB", {"qtables": {0: list(range(1, 65)), 1: [300] * 64}}),
    ("RGB", {"qtables": {0: list(range(1, 65)), 1: [300] * 64}, "quality": 80}),
    ("RGB", {"qtables": "1 2 3 4\n" * 16 + "# a comment"}),
]


@pytest.mark.parametrize(("mode", "params"), QUALITY_CASES)
def test_the_plan_has_pillows_tables(jpegsave, mode, params):
    pillow, _data = pillow_file(mode, **params)
    tables, assignment = used_tables(jpegsave, mode, params)
    assert tables == pillow.quantization
    assert assignment == [component[3] for component in pillow.layer]


@pytest.mark.parametrize(
    "params",
    [
        {"subsampling": 0, "restart_marker_blocks": 3},
        {"subsampling": 0, "restart_marker_rows": 2},
        {"restart_marker_rows": 1},
        {"subsampling": 1, "restart_marker_rows": 1},
        {"restart_marker_rows": 70000},
        {},
    ],
)
def test_the_plan_has_pillows_restart_interval(jpegsave, params):
    _pillow, data = pillow_file("RGB", **params)
    _mode, arguments, _layout = jpegsave.plan("RGB", (40, 24), params, None)
    assert arguments[4] == dri(data)


def test_keep_reuses_a_jpegs_tables_and_sampling(jpegsave):
    with Image.open(IMAGES / "hopper_16bit_qtables.jpg") as source:
        facts = jpegsave.SourceFacts("JPEG", source.quantization, source.layers, source.layer)
        tables, _assignment = used_tables(jpegsave, "RGB", {"quality": "keep"}, facts)
        assert tables == source.quantization
        _mode, arguments, _layout = jpegsave.plan("RGB", (40, 24), {"subsampling": "keep"}, facts)
        assert arguments[1] == JpegImagePlugin.get_sampling(source)


@pytest.mark.parametrize(
    "params",
    [
        {"quality": 2.5},
        {"quality": "best"},
        {"qtables": "a"},
        {"qtables": []},
        {"qtables": [1, 2, 3, 4, 5]},
        {"qtables": [[1, 2, 3, 4]]},
        {"qtables": "keep"},
        {"subsampling": "keep"},
        {"subsampling": "1:1:1"},
        {"keep_rgb": True, "subsampling": 2},
        {"comment": b"1" * 65534},
        {"xmp": b"1" * 65505},
        {"exif": b"1" * 65534},
    ],
)
def test_refusals_are_pillows(jpegsave, params):
    image = Image.new("RGB", (40, 24))
    with pytest.raises(Exception) as pillows:
        image.save(io.BytesIO(), "JPEG", **params)
    with pytest.raises(Exception) as ours:
        _mode, _arguments, layout = jpegsave.plan("RGB", (40, 24), params, jpegsave.SourceFacts(None))
        jpegsave.finish(b"\xff\xd8\xff\xda\x00\x02\xff\xd9", layout, params, {})
    assert type(ours.value) is type(pillows.value)
    if params.get("subsampling") == "1:1:1":
        # Pillow's C argument parser says "'str' object cannot be interpreted as an integer".
        assert str(ours.value).startswith("subsampling must be an int or one of ['4:1:1', '4:2:0'")
    else:
        assert str(ours.value) == str(pillows.value)


@run_in_pyodide(packages=["wasmcanvas"])
def save_in_pyodide(selenium, mode, pixels, cases):
    import io

    from wasmcanvas import Image

    image = Image.frombytes(mode, (48, 40), bytes(pixels))
    files = []
    for params in cases:
        out = io.BytesIO()
        image.save(out, "JPEG", **params)
        files.append(out.getvalue())
    return files


SAVE_CASES = [
    {},
    {"quality": 95, "subsampling": 0},
    {"subsampling": "4:2:2", "progressive": True},
    {"optimize": True, "subsampling": 0},
    {"optimize": True},
    {"restart_marker_rows": 1},
    {"keep_rgb": True},
    {"qtables": [[3] * 64], "dpi": (300, 150), "comment": "hello", "xmp": b"<x/>", "icc_profile": b"p" * 70000},
    {"qtables": {0: list(range(1, 65)), 1: [300] * 64}},
    {"dpi": (0, 0)},
]


@pytest.mark.parametrize("mode", ["RGB", "L", "CMYK", "YCbCr", "RGBX", "1"])
def test_our_files_read_in_pillow_as_pillows_own(selenium_rust, mode):
    photo = sample_photo(48, 40).convert(mode)
    cases = SAVE_CASES if mode == "RGB" else SAVE_CASES[:2]
    ours = save_in_pyodide(selenium_rust, mode, list(photo.tobytes()), cases)
    for params, data in zip(cases, ours, strict=True):
        theirs = io.BytesIO()
        photo.save(theirs, "JPEG", **params)
        with Image.open(io.BytesIO(data)) as got, Image.open(theirs) as expected:
            label = (mode, params)
            assert (got.mode, got.size, got.quantization, got.layer) == (
                expected.mode,
                expected.size,
                expected.quantization,
                expected.layer,
            ), label
            keys = ("progressive", "progression", "adobe", "adobe_transform", "dpi", "jfif", "comment", "xmp")
            assert {key: got.info.get(key) for key in keys} == {key: expected.info.get(key) for key in keys}, label
            assert got.info.get("icc_profile") == expected.info.get("icc_profile"), label
            restarts = [len(re.findall(b"\xff[\xd0-\xd7]", blob)) for blob in (data, theirs.getvalue())]
            assert restarts[0] == restarts[1], label
            assert [name for name, _ in got.applist] == [name for name, _ in expected.applist], label
            # Another encoder's rounding and chroma downsampling: close on average.
            differences = [abs(a - b) for a, b in zip(got.tobytes(), expected.tobytes(), strict=True)]
            assert sum(differences) / len(differences) <= 3, (label, sum(differences) / len(differences))


@run_in_pyodide(packages=["wasmcanvas"])
def read_in_pyodide(selenium, files):
    import io
    import warnings

    from wasmcanvas import Image

    facts = []
    for data in files:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with Image.open(io.BytesIO(bytes(data))) as im:
                try:
                    mp = im._getmp()
                except SyntaxError as error:
                    mp = f"SyntaxError: {error}"
                children = [(child.mode, child.size, child.tobytes()) for child in im.get_child_images()]
                facts.append(
                    repr(
                        [
                            im.info.get("photoshop"),
                            im.info.get("icc_profile"),
                            im.info.get("mpoffset"),
                            mp,
                            [str(warning.message) for warning in caught],
                        ]
                    )
                )
                facts.append(children)
    return facts


READ_FILES = [
    "photoshop-200dpi.jpg",
    "app13.jpg",
    "app13-multiple.jpg",
    "icc-after-SOF.jpg",
    "sugarshack_bad_mpo_header.jpg",
    "pil_sample_rgb.jpg",
    "flower.jpg",
]


def test_reader_facts_are_pillows(selenium_rust):
    files = [(IMAGES / name).read_bytes() for name in READ_FILES]
    mpo = (IMAGES / "sugarshack.mpo").read_bytes()
    files.append(mpo[:6048] + (3).to_bytes(4, "big") + mpo[6052:])
    got = read_in_pyodide(selenium_rust, files)
    for index, data in enumerate(files):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with Image.open(io.BytesIO(data)) as im:
                try:
                    mp = JpegImagePlugin._getmp(im)
                except SyntaxError as error:
                    mp = f"SyntaxError: {error}"
                facts = [
                    im.info.get("photoshop"),
                    im.info.get("icc_profile"),
                    im.info.get("mpoffset"),
                    mp,
                    [str(warning.message) for warning in caught],
                ]
                children = im.get_child_images()
        assert got[index * 2] == repr(facts), READ_FILES[index] if index < len(READ_FILES) else "mpo"
        ours = got[index * 2 + 1]
        assert [(mode, tuple(size)) for mode, size, _ in ours] == [(child.mode, child.size) for child in children]
        for (_mode, _size, pixels), child in zip(ours, children, strict=True):
            assert max(abs(a - b) for a, b in zip(pixels, child.tobytes(), strict=True)) <= 8


def _markers(data):
    """The segment markers of a JPEG stream up to its first scan."""
    found, at = [], 2
    while at + 4 <= len(data) and data[at] == 0xFF and data[at + 1] not in (0xDA, 0xD9):
        found.append(data[at + 1])
        at += 2 + int.from_bytes(data[at + 2 : at + 4], "big")
    return found


@run_in_pyodide(packages=["wasmcanvas"])
def streams_in_pyodide(selenium, pixels):
    import io

    from wasmcanvas import Image

    image = Image.frombytes("RGB", (48, 40), bytes(pixels))
    streams = []
    for streamtype in range(3):
        out = io.BytesIO()
        image.save(out, "JPEG", streamtype=streamtype)
        streams.append(out.getvalue())
    combined = Image.open(io.BytesIO(streams[1] + streams[2]))
    assert combined.tobytes() == Image.open(io.BytesIO(streams[0])).tobytes()
    return streams


def test_tables_and_image_streams_are_pillows(selenium_rust):
    photo = sample_photo(48, 40)
    ours = streams_in_pyodide(selenium_rust, list(photo.tobytes()))
    theirs = []
    for streamtype in range(3):
        out = io.BytesIO()
        photo.save(out, "JPEG", streamtype=streamtype)
        theirs.append(out.getvalue())
    # The same segments in the same order (libjpeg-turbo's Huffman tables
    # go with the tables, as here).
    assert [_markers(stream) for stream in ours] == [_markers(stream) for stream in theirs]
    assert ours[1].endswith(b"\xff\xd9") and theirs[1].endswith(b"\xff\xd9")
    with Image.open(io.BytesIO(ours[1] + ours[2])) as combined, Image.open(io.BytesIO(ours[0])) as whole:
        assert combined.tobytes() == whole.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
async def stored_and_packed_files(selenium, cases):
    """Each case saved from the stored RGBA bytes (what `save` does for
    "RGB" and "RGBX") and from the pixels packed three bytes a pixel."""
    import io

    import wasmcanvas
    from wasmcanvas import Image
    from wasmcanvas import _files as files
    from wasmcanvas._jpegsave import SourceFacts

    await wasmcanvas.load_codecs()
    out = []
    for mode, params in cases:
        image = Image.linear_gradient("L").resize((67, 45)).convert("RGB")
        image = Image.merge(
            "RGB", [image.getchannel(0), image.rotate(90).getchannel(0), image.transpose(0).getchannel(0)]
        )
        image = image.convert(mode)
        saved = io.BytesIO()
        image.save(saved, "JPEG", **params)
        packed = image._call("to_bytes", "RGB", None)
        reference = files.encode("JPEG", mode, packed, image.size, dict(params), image.info, SourceFacts(None))
        out.append(saved.getvalue() == reference and len(reference) > 600)
    return out


def test_rgb_is_saved_from_its_stored_bytes_as_from_packed_ones(selenium_rust):
    cases = [
        ("RGB", {}),
        ("RGB", {"quality": 95, "subsampling": 0}),
        ("RGB", {"subsampling": 1, "optimize": True}),
        ("RGB", {"progressive": True, "restart_marker_rows": 1}),
        ("RGBX", {"quality": 60}),
        ("RGB", {"keep_rgb": True}),
    ]
    assert stored_and_packed_files(selenium_rust, cases) == [True] * len(cases)
