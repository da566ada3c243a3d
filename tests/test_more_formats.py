"""SGI, FLI/FLC, PSD and CIELab TIFF (issue 29) as Pillow 13 reads and
writes them: Pillow's own test pictures opened on the host with Pillow and
in the page with wasmcanvas, each frame's mode, size and bytes compared,
damaged files refused with Pillow's exception types (and its exact message
where Pillow's tests match it), and the files wasmcanvas writes read back
by Pillow on the host. All cases run in one call."""

from __future__ import annotations

import hashlib
import io

import pytest
from images import PILLOW_TESTS
from PIL import Image, ImageFile
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"

# (file, frames to visit in this order, LOAD_TRUNCATED_IMAGES)
READS = [
    ("hopper.rgb", [0], False),
    ("hopper.bw", [0], False),
    ("hopper.sgi", [0], False),
    ("hopper16.rgb", [0], False),
    ("transparent.sgi", [0], False),
    ("tv.rgb", [0], False),
    ("tv16.sgi", [0], False),
    ("sgi_overrun.bin", [0], False),
    ("sgi_overrun_expandrow.bin", [0], False),
    ("sgi_crash.bin", [0], False),
    ("hopper.fli", [0], False),
    ("hopper_palette_chunk_second.fli", [0], False),
    ("a.fli", [0, 1, 6, 2], False),
    ("2422.flc", [1, 2], True),
    ("2422.flc", [0], False),
    ("fli_overrun.bin", [0], False),
    ("fli_overrun2.bin", [1], False),
    ("fli_overflow.fli", [0], False),
    ("hopper.psd", [1, 2, 1], False),
    ("hopper_merged.psd", [1], False),
    ("rgba.psd", [1], False),
    ("five_channels.psd", [1], False),
    ("negative_top_left_layer.psd", [1, 2], False),
    ("hopper.Lab.tif", [0], False),
]


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def outcome(error: BaseException) -> tuple[str, str]:
    """An error as compared: Pillow's family and, for a C decoder's error, its message."""
    family = next(kind.__name__ for kind in (EOFError, ValueError, OSError, SyntaxError) if isinstance(error, kind))
    message = str(error)
    return family, message if message.endswith("when reading image file") else ""


def read_with_pillow(name: str, frames: list[int], truncated: bool) -> list[object]:
    ImageFile.LOAD_TRUNCATED_IMAGES = truncated
    results: list[object] = []
    try:
        with Image.open(IMAGES / name) as im:
            results.append((im.format, im.mode, im.size, getattr(im, "n_frames", 1), im.info.get("duration")))
            for frame in frames:
                try:
                    im.seek(frame)
                    im.load()
                    palette = im.getpalette() if im.mode == "P" else None
                    results.append((im.mode, im.size, digest(im.tobytes()), palette))
                except Exception as error:
                    results.append(outcome(error))
    except Exception as error:
        results.append(outcome(error))
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    return results


@pytest.fixture(scope="module")
def expected() -> list[list[object]]:
    return [read_with_pillow(*case) for case in READS]


@run_in_pyodide(packages=["wasmcanvas"])
def read_and_write_in_page(selenium, cases, files, sgi_source):
    import hashlib
    import io

    from wasmcanvas import Image, ImageFile

    def outcome(error):
        kinds = (EOFError, ValueError, OSError, SyntaxError)
        family = next(kind.__name__ for kind in kinds if isinstance(error, kind))
        message = str(error)
        return [family, message if message.endswith("when reading image file") else ""]

    reads = []
    for (_name, frames, truncated), data in zip(cases, files, strict=True):
        ImageFile.LOAD_TRUNCATED_IMAGES = truncated
        results = []
        try:
            with Image.open(io.BytesIO(data)) as im:
                results.append([im.format, im.mode, list(im.size), getattr(im, "n_frames", 1), im.info.get("duration")])
                for frame in frames:
                    try:
                        im.seek(frame)
                        im.load()
                        palette = im.getpalette() if im.mode == "P" else None
                        results.append([im.mode, list(im.size), hashlib.sha256(im.tobytes()).hexdigest(), palette])
                    except Exception as error:
                        results.append(outcome(error))
        except Exception as error:
            results.append(outcome(error))
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
        reads.append(results)
    source = Image.open(io.BytesIO(sgi_source))
    written = {}
    for mode in ("L", "RGB", "RGBA"):
        for bpc in (1, 2):
            out = io.BytesIO()
            source.convert(mode).save(out, format="SGI", bpc=bpc)
            written[f"SGI {mode} bpc={bpc}"] = out.getvalue()
    lab = Image.open(io.BytesIO(files[[case[0] for case in cases].index("hopper.Lab.tif")]))
    out = io.BytesIO()
    lab.save(out, format="TIFF")
    written["TIFF LAB"] = out.getvalue()
    return reads, written


def as_lists(value: object) -> object:
    """Tuples as lists, as the results come back from the page."""
    if isinstance(value, (list, tuple)):
        return [as_lists(item) for item in value]
    return value


def test_more_formats_read_and_write_as_pillow(selenium_rust, expected):
    files = [(IMAGES / name).read_bytes() for name, _, _ in READS]
    sgi_source = (IMAGES / "hopper.rgb").read_bytes()
    reads, written = read_and_write_in_page(selenium_rust, [list(case) for case in READS], files, sgi_source)
    for case, theirs, ours in zip(READS, expected, reads, strict=True):
        assert as_lists(ours) == as_lists(theirs), f"{case}: wasmcanvas read {ours}, Pillow {theirs}"
    with Image.open(IMAGES / "hopper.rgb") as source:
        for mode in ("L", "RGB", "RGBA"):
            for bpc in (1, 2):
                out = io.BytesIO()
                source.convert(mode).save(out, format="SGI", bpc=bpc)
                key = f"SGI {mode} bpc={bpc}"
                assert written[key] == out.getvalue(), f"{key}: not the bytes Pillow writes"
    with Image.open(io.BytesIO(written["TIFF LAB"])) as back, Image.open(IMAGES / "hopper.Lab.tif") as lab:
        assert (back.mode, back.tobytes()) == ("LAB", lab.tobytes()), "the LAB TIFF written does not read back"
