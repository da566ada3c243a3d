"""JPEG shrink-on-load (issue 30): ``draft`` and the ``thumbnail`` that
uses it, in Pyodide, against Pillow 13 on the host (libjpeg-turbo). For
each file (4:4:4, 4:2:2, 4:2:0, progressive, restart markers, odd sizes,
grey, CMYK, a 12-megapixel photo) and each request, the draft's return
value, size, mode and ``decoderconfig`` must be Pillow's and the decoded
pixels must differ from Pillow's by at most ``MAX_DIFFERENCE`` (measured:
none, the decoder does libjpeg-turbo's arithmetic)."""

from __future__ import annotations

import io
from typing import Any

import pytest
from images import PILLOW_TESTS, sample_photo
from PIL import Image
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"
MAX_DIFFERENCE = 0


def _jpeg(image: Image.Image, **options: Any) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", **options)
    return out.getvalue()


def _files() -> dict[str, bytes]:
    photo, odd = sample_photo(96, 64, seed=3), sample_photo(127, 93, seed=4)
    big = Image.blend(
        sample_photo(400, 300, seed=5).resize((4000, 3000), Image.Resampling.BICUBIC),
        Image.merge("RGB", [Image.effect_noise((4000, 3000), 30)] * 3),
        0.2,
    )
    return {
        "444": _jpeg(photo, quality=90, subsampling=0),
        "422": _jpeg(photo, quality=90, subsampling=1),
        "420": _jpeg(photo, quality=75),
        "progressive": _jpeg(odd, quality=85, progressive=True, subsampling=0),
        "restarts": _jpeg(odd, quality=90, subsampling=1, restart_marker_blocks=2),
        "odd": _jpeg(odd, quality=95),
        "grey": _jpeg(odd.convert("L"), quality=90),
        "cmyk": (IMAGES / "pil_sample_cmyk.jpg").read_bytes(),
        "hopper": (IMAGES / "hopper.jpg").read_bytes(),
        "12mp": _jpeg(big, quality=85),
    }


def _cases(files: dict[str, bytes]) -> list[tuple[str, str, Any]]:
    """(file, what, argument): ``draft`` with (mode, size) then load, or
    ``thumbnail`` with (size, resample, reducing_gap)."""
    cases: list[tuple[str, str, Any]] = []
    for name in files:
        if name == "12mp":
            continue
        for scale in (1, 2, 4, 8):
            cases.append((name, "draft", (None, (128 // scale, 96 // scale))))
        for mode, scale in (("L", 2), ("YCbCr", 8), ("1", 4)):
            cases.append((name, "draft", (mode, (128 // scale, 96 // scale))))
    cases += [
        ("odd", "draft", ("L", None)),
        ("hopper", "draft", (None, (64, 64))),
        ("hopper", "thumbnail", ((64, 64), 3, 2.0)),
        ("hopper", "thumbnail", ((18, 18), 3, 3.0)),
        ("odd", "thumbnail", ((40, 40), 3, 2.0)),
        ("odd", "thumbnail", ((30, 30), 1, 1.0)),
        ("cmyk", "thumbnail", ((20, 20), 0, 2.0)),
        ("12mp", "draft", (None, (500, 375))),
        ("12mp", "thumbnail", ((256, 256), 3, 2.0)),
    ]
    return cases


def _run(files: dict[str, bytes], cases: list[tuple[str, str, Any]]) -> list[Any]:
    """What each case gives with ``PIL`` (shared by both sides): the
    draft's result, size, mode, decoderconfig and bytes."""
    results = []
    for name, what, argument in cases:
        with Image.open(io.BytesIO(files[name])) as im:
            drafted: Any = None
            if what == "draft":
                drafted = im.draft(*argument)
                config = list(im.decoderconfig)
                im.load()
            else:
                size, resample, gap = argument
                im.thumbnail(size, resample, gap)
                config = list(im.decoderconfig)
            box = None if drafted is None else [drafted[0], list(drafted[1])]
            results.append([box, list(im.size), im.mode, config, im.tobytes()])
    return results


@pytest.fixture(scope="module")
def expected() -> tuple[dict[str, bytes], list[tuple[str, str, Any]], list[Any]]:
    files = _files()
    cases = _cases(files)
    return files, cases, _run(files, cases)


@run_in_pyodide(packages=["wasmcanvas"])
def ours(selenium, files, cases, expected, source):
    import io

    from wasmcanvas import Image

    namespace = {"Image": Image, "io": io, "Any": object}
    exec(source, namespace)
    got = namespace["_run"]({name: bytes(data) for name, data in files.items()}, cases)
    out = []
    for mine, theirs in zip(got, expected, strict=True):
        pixels, reference = mine[4], bytes(theirs[4])
        worst = None
        if pixels == reference:
            worst = 0
        elif len(pixels) == len(reference):
            worst = max((abs(a - b) for a, b in zip(pixels, reference, strict=True)), default=0)
        out.append([*mine[:4], worst])
    return out


def test_draft_and_thumbnail_are_pillows(selenium_rust, expected):
    import inspect

    files, cases, reference = expected
    got = ours(selenium_rust, files, cases, reference, inspect.getsource(_run))
    wrong = []
    for case, mine, theirs in zip(cases, got, reference, strict=True):
        if mine[:4] != theirs[:4]:
            wrong.append((case, "result, size, mode, config", mine[:4], theirs[:4]))
        elif mine[4] is None or mine[4] > MAX_DIFFERENCE:
            wrong.append((case, "pixels differ by", mine[4]))
    assert wrong == []


@run_in_pyodide(packages=["wasmcanvas"])
def after_load_and_elsewhere(selenium, jpeg):
    import io

    from wasmcanvas import Image

    im = Image.open(io.BytesIO(bytes(jpeg)))
    first = im.draft("L", (16, 16))
    again = im.draft(None, (8, 8))
    loaded = Image.open(io.BytesIO(bytes(jpeg)))
    loaded.load()
    png = io.BytesIO()
    Image.new("RGB", (32, 32)).save(png, "PNG")
    other = Image.open(io.BytesIO(png.getvalue()))
    return [
        list(first[1]) if first else None,
        again,
        list(im.size),
        loaded.draft("L", (16, 16)),
        list(loaded.size),
        other.draft("L", (8, 8)),
        Image.new("RGB", (8, 8)).draft("L", (2, 2)),
    ]


def test_draft_changes_nothing_once_loaded_or_drafted(selenium_rust):
    jpeg = _jpeg(sample_photo(64, 48, seed=6))
    assert after_load_and_elsewhere(selenium_rust, jpeg) == [
        [0, 0, 32.0, 24.0],
        None,
        [32, 24],
        None,
        [64, 48],
        None,
        None,
    ]


@run_in_pyodide(packages=["wasmcanvas"])
def stored_alphas(selenium, files):
    """For each file and scale: whether every stored fourth byte is 255 (a
    JPEG's decode writes them so; nothing settles them after)."""
    import io

    from wasmcanvas import Image, ImageFile

    found = {}
    for name, data in files.items():
        for scale in (1, 2, 8):
            with Image.open(io.BytesIO(bytes(data))) as im:
                if scale > 1:
                    im.draft(None, (im.width // scale, im.height // scale))
                im.load()
                found[f"{name} 1/{scale}"] = bytes(im.pixels)[3::4].strip(b"\xff") == b""
    # Cut short and read with LOAD_TRUNCATED_IMAGES: the rest is settled.
    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        data = bytes(files["420"])
        with Image.open(io.BytesIO(data[: len(data) * 2 // 3])) as im:
            im.load()
            found["420 cut short"] = bytes(im.pixels)[3::4].strip(b"\xff") == b""
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    return found


def test_decoded_jpegs_are_stored_opaque(selenium_rust, expected):
    files = {name: data for name, data in expected[0].items() if name not in ("cmyk", "12mp")}
    found = stored_alphas(selenium_rust, files)
    assert [name for name, opaque in found.items() if not opaque] == []
    assert len(found) == 3 * len(files) + 1
