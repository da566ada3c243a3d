"""JPEG 2000 (issue 29) as Pillow 13 reads and writes it: Pillow's own test
pictures opened on the host with Pillow (OpenJPEG) and in the page with
wasmcanvas (hayro-jpeg2000), mode, size, info and bytes compared (lossless
files to the byte, lossy ones within OpenJPEG's and hayro's rounding),
``reduce`` as Pillow's open option, damaged files refused with Pillow's
exception types; and every file wasmcanvas writes opened by native Pillow
on the host and compared with the pixels saved, to the byte. All cases run
in one call."""

from __future__ import annotations

import io

import pytest
from images import PILLOW_TESTS, sample_photo, with_alpha
from PIL import Image
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"

# (file, reduce, the mean difference of a sample from Pillow's allowed:
# hayro decodes test-card-lossless.jp2, six layers of 32x32 blocks in RLCP
# order, with 373 of its 921,600 samples 1 or 2 off OpenJPEG's)
READS = [
    ("test-card-lossless.jp2", 0, 0.001),
    ("test-card-lossless.jp2", 1, 0.001),
    ("test-card-lossless.jp2", 2, 0.001),
    ("test-card-lossy-tiled.jp2", 0, 0.3),
    ("rgb_trns_ycbc.jp2", 0, 0),
    ("rgb_trns_ycbc.j2k", 0, 0),
    ("zero_dpi.jp2", 0, 0.001),
    ("comment.jp2", 0, 0),
    # An Apple icon whose entries are JPEG 2000 files (its largest, as "RGBA").
    ("pillow3.icns", 0, 0),
]
# Files Pillow refuses at open (UnidentifiedImageError) or at load (OSError),
# and the 16-bit grey wasmcanvas refuses at load (its decoder gives 8 bits).
REFUSED = [
    "invalid_header_length.jp2",
    "not_enough_data.jp2",
    "expected_to_read.jp2",
    "unknown_mode.j2k",
    "unbound_variable.jp2",
    "zero_height.j2k",
    "9bit.j2k",
]
# (mode, size, save options, extension) of the files written
WRITES = [
    ("RGB", (96, 72), {}, ".jp2"),
    ("RGB", (96, 72), {"mct": 1}, ".j2k"),
    ("RGB", (1, 1), {}, ".jp2"),
    ("RGBA", (83, 61), {}, ".jp2"),
    ("RGBA", (130, 67), {"no_jp2": True, "mct": 1}, ".jp2"),
    ("L", (3, 2), {}, ".j2k"),
    ("L", (200, 9), {"num_resolutions": 3}, ".jp2"),
    ("LA", (65, 64), {"comment": "Created by wasmcanvas"}, ".jp2"),
    ("RGB", (300, 257), {"num_resolutions": 1}, ".jp2"),
]


def source(mode: str, size: tuple[int, int]) -> Image.Image:
    photo = with_alpha(sample_photo(*size, seed=size[0] * 7 + size[1]), seed=5)
    return photo.convert(mode)


def read_with_pillow(name: str, reduce: int) -> list[object]:
    with Image.open(IMAGES / name) as im:
        im.reduce = reduce  # type: ignore[method-assign, assignment]
        im.load()
        dpi = im.info.get("dpi")
        return [im.format, im.mode, list(im.size), dpi and [round(value, 4) for value in dpi], im.tobytes()]


def refusal_by_pillow(name: str) -> str:
    try:
        with Image.open(IMAGES / name) as im:
            im.load()
    except Exception as error:
        return type(error).__name__
    return "opened"


@pytest.fixture(scope="module")
def expected() -> tuple[list[list[object]], list[str]]:
    return [read_with_pillow(name, reduce) for name, reduce, _ in READS], [refusal_by_pillow(name) for name in REFUSED]


@run_in_pyodide(packages=["wasmcanvas"])
def read_and_write_in_page(selenium, reads, read_files, refused_files, writes, sources):
    import io

    from wasmcanvas import Image, features

    results = []
    for (_name, reduce, _), data in zip(reads, read_files, strict=True):
        with Image.open(io.BytesIO(data)) as im:
            im.reduce = reduce
            im.load()
            dpi = im.info.get("dpi")
            results.append(
                [im.format, im.mode, list(im.size), dpi and [round(value, 4) for value in dpi], im.tobytes()]
            )
    refusals = []
    for data in refused_files:
        try:
            with Image.open(io.BytesIO(data)) as im:
                im.load()
            refusals.append(["opened", ""])
        except Exception as error:
            refusals.append([type(error).__name__, str(error)])
    written = []
    for (mode, size, options, extension), pixels in zip(writes, sources, strict=True):
        out = io.BytesIO()
        out.name = "written" + extension
        Image.frombytes(mode, tuple(size), pixels).save(out, **options)
        written.append(out.getvalue())
    return results, refusals, written, features.check_codec("jpg_2000")


def test_jpeg2000_reads_and_writes_as_pillow(selenium_rust, expected):
    pillow_reads, pillow_refusals = expected
    sources = [source(mode, size).tobytes() for mode, size, _, _ in WRITES]
    reads, refusals, written, claimed = read_and_write_in_page(
        selenium_rust,
        [list(case) for case in READS],
        [(IMAGES / name).read_bytes() for name, _, _ in READS],
        [(IMAGES / name).read_bytes() for name in REFUSED],
        [[mode, list(size), options, extension] for mode, size, options, extension in WRITES],
        sources,
    )
    assert claimed is True
    for (name, reduce, tolerance), theirs, ours in zip(READS, pillow_reads, reads, strict=True):
        assert ours[:4] == theirs[:4], f"{name} reduce={reduce}: wasmcanvas read {ours[:4]}, Pillow {theirs[:4]}"
        differences = [abs(a - b) for a, b in zip(ours[4], theirs[4], strict=True)]
        mean = sum(differences) / len(differences)
        assert mean <= tolerance, (
            f"{name} reduce={reduce}: samples differ by {mean} on average, at most {max(differences)}"
        )
    for name, theirs, (ours, message) in zip(REFUSED, pillow_refusals, refusals, strict=True):
        if name == "9bit.j2k":
            assert theirs == "opened"
            assert (ours, message) == (
                "ImageFileError",
                "cannot read the JPEG2000 file: a grey of 9 bits "
                '(Pillow\'s "I;16") cannot be read: the decoder gives 8 bits a sample',
            )
        else:
            assert ours == theirs, f"{name}: wasmcanvas {ours} ({message}), Pillow {theirs}"
    for (mode, size, options, extension), pixels, data in zip(WRITES, sources, written, strict=True):
        jp2 = extension == ".jp2" and not options.get("no_jp2")
        assert data.startswith(b"\x00\x00\x00\x0cjP  " if jp2 else b"\xff\x4f\xff\x51"), f"{mode} {options}"
        with Image.open(io.BytesIO(data)) as back:
            back.load()
            case = f"{mode} {size} {options}: Pillow reads back"
            assert (back.mode, back.size) == (mode, size), case
            assert back.tobytes() == pixels, f"{case} other pixels"
            if "comment" in options:
                assert back.info["comment"] == options["comment"].encode()
