"""Threads: in a crossOriginIsolated page, `await wasmcanvas.load(threads=N)`
loads the threaded rust_image and its Web Workers; the kernels that split
their rows (Gaussian and box blurs, resize, transform, rotate) give Pillow's
bytes on 4 threads and on 1 (the same module, its pool set to one thread),
a blit copies out of the shared memory, and a failed worker raises instead
of hanging. Where the page is not isolated, the single-threaded module loads
whatever was asked."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from PIL import Image, ImageEnhance, ImageFilter
from pytest_pyodide import run_in_pyodide

SIZE = (203, 157)


def noise_rgba() -> Image.Image:
    """A picture whose neighbouring bytes all differ: every band boundary
    shows in the bytes if a kernel splits rows wrongly."""
    state = 0x2545F491
    data = bytearray()
    for _ in range(SIZE[0] * SIZE[1] * 4):
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        data.append(state >> 24)
    return Image.frombytes("RGBA", SIZE, bytes(data))


# (label, the call as Python source on `im`), run by Pillow here and by
# wasmcanvas in the page.
CASES = [
    ("GaussianBlur(2)", "im.filter(ImageFilter.GaussianBlur(2))"),
    ("GaussianBlur(17.5)", "im.filter(ImageFilter.GaussianBlur(17.5))"),
    ("GaussianBlur((0, 6))", "im.filter(ImageFilter.GaussianBlur((0, 6)))"),
    ("BoxBlur(3)", "im.filter(ImageFilter.BoxBlur(3))"),
    ("RGB GaussianBlur(4)", "im.convert('RGB').filter(ImageFilter.GaussianBlur(4))"),
    ("SHARPEN", "im.filter(ImageFilter.SHARPEN)"),
    ("SMOOTH_MORE", "im.filter(ImageFilter.SMOOTH_MORE)"),
    ("MedianFilter(3)", "im.filter(ImageFilter.MedianFilter(3))"),
    ("MinFilter(3)", "im.filter(ImageFilter.MinFilter(3))"),
    ("MaxFilter(5)", "im.filter(ImageFilter.MaxFilter(5))"),
    ("RankFilter(5, 7)", "im.filter(ImageFilter.RankFilter(5, 7))"),
    ("Sharpness(2.5)", "ImageEnhance.Sharpness(im).enhance(2.5)"),
    ("resize down BICUBIC", "im.resize((61, 47), Image.Resampling.BICUBIC)"),
    ("resize up LANCZOS", "im.resize((411, 300), Image.Resampling.LANCZOS)"),
    ("resize tall BILINEAR", "im.resize((150, 20), Image.Resampling.BILINEAR)"),
    ("resize BOX reducing_gap", "im.resize((40, 31), Image.Resampling.BOX, reducing_gap=2.0)"),
    ("resize HAMMING box", "im.resize((90, 70), Image.Resampling.HAMMING, box=(10.5, 3.25, 190, 150))"),
    ("rotate 33 NEAREST", "im.rotate(33)"),
    ("rotate 33 BICUBIC expand", "im.rotate(33, Image.Resampling.BICUBIC, expand=True)"),
    ("rotate -127.3 BILINEAR", "im.rotate(-127.3, Image.Resampling.BILINEAR, fillcolor=(9, 8, 7, 6))"),
    (
        "transform AFFINE NEAREST far",
        "im.transform((180, 140), Image.Transform.AFFINE, (200, 3, 0, 0.5, 90, 0))",
    ),
    (
        "transform PERSPECTIVE BICUBIC",
        "im.transform((180, 140), Image.Transform.PERSPECTIVE, (1, 0.1, 0, 0.05, 1, 0, 0.001, 0.002), "
        "Image.Resampling.BICUBIC)",
    ),
]


@pytest.fixture(scope="module")
def pillow_results() -> tuple[bytes, list[tuple[str, str, str, bytes]]]:
    source = noise_rgba()
    png = io.BytesIO()
    source.save(png, "PNG")
    results = []
    for label, call in CASES:
        out = eval(call, {"im": source, "Image": Image, "ImageEnhance": ImageEnhance, "ImageFilter": ImageFilter})
        results.append((label, call, out.mode, out.tobytes()))
    return png.getvalue(), results


@run_in_pyodide(packages=["wasmcanvas"])
async def threaded_results(selenium: Any, png: bytes, cases: list[tuple[str, str, str, bytes]]) -> dict[str, Any]:
    import io

    import js
    import wasmcanvas
    from wasmcanvas import Canvas, Image, ImageEnhance, ImageFilter, loader

    report: dict[str, Any] = {"isolated": bool(js.crossOriginIsolated)}
    await wasmcanvas.load(threads=4)
    report["threads"] = loader.threads()
    report["workers"] = len(loader._pool.workers) if loader._pool is not None else 0
    report["shared"] = wasmcanvas.wasm_memory().shared
    source = Image.open(io.BytesIO(png))
    source.load()
    wrong = []
    for threads in (4, 1):
        await wasmcanvas.load(threads=threads)
        for label, call, mode, expected in cases:
            out = eval(call, {"im": source, "Image": Image, "ImageEnhance": ImageEnhance, "ImageFilter": ImageFilter})
            got = out.tobytes()
            if out.mode != mode or got != expected:
                differing = sum(a != b for a, b in zip(got, expected, strict=False))
                wrong.append(f"{label} on {threads} thread(s): mode {out.mode}, {differing} bytes differ")
    report["wrong"] = wrong
    await wasmcanvas.load(threads=4)

    # The shared memory grows under a view taken before: still read right.
    small = Image.new("RGBA", (3, 1), (1, 2, 3, 4))
    Image.new("RGBA", (4096, 4096))
    report["after_growth"] = small.tobytes()

    # A blit copies the shared pixels into an ImageData kept for the next
    # (opaque ones: a canvas keeps translucent pixels premultiplied).
    opaque = source.convert("RGB").convert("RGBA")
    canvas = Canvas.create(*source.size)
    canvas.blit(opaque)
    report["blit_same"] = canvas.read_pixels() == opaque.tobytes()
    blurred = opaque.filter(ImageFilter.GaussianBlur(3))
    canvas.blit(blurred)
    report["blit_again_same"] = canvas.read_pixels() == blurred.tobytes()

    # Workers that fail to start make load() raise; the pool keeps its own.
    read = loader._read
    loader._read = lambda name: (
        b"self.onmessage = () => self.postMessage({ error: 'refused by the test' });"
        if name == "pool_worker.js"
        else read(name)
    )
    try:
        await wasmcanvas.load(threads=6)
        report["start_failure"] = "no error"
    except wasmcanvas.ModuleNotLoadedError as error:
        report["start_failure"] = str(error)
    finally:
        loader._read = read
    report["threads_after_start_failure"] = (loader.threads(), len(loader._pool.workers))

    # A worker that failed (as one that trapped reports itself) makes the
    # next split kernel raise, never wait, and the module refuse further
    # calls as after a trap; a reload brings the pool back.
    import rust_image

    rust_image.pool_worker_failed()
    report["after_failure"] = []
    for call in (lambda: source.filter(ImageFilter.GaussianBlur(2)), lambda: Image.new("L", (2, 2))):
        try:
            call()
            report["after_failure"].append("no error")
        except wasmcanvas.ModuleBrokenError as error:
            report["after_failure"].append(str(error))
    await wasmcanvas.reload_module()
    report["threads_after_reload"] = loader.threads()
    again = Image.open(io.BytesIO(png))
    report["after_reload"] = again.filter(ImageFilter.GaussianBlur(2)).tobytes()
    return report


def test_threaded_kernels_give_pillows_bytes(selenium_isolated, pillow_results) -> None:
    png, cases = pillow_results
    report = threaded_results(selenium_isolated, png, cases)
    assert report["isolated"], "the test page must be crossOriginIsolated (tests/conftest.py: isolated_web_server)"
    assert (report["threads"], report["workers"], report["shared"]) == (4, 3, True)
    assert report["wrong"] == [], "\n".join(report["wrong"])
    assert report["after_growth"] == bytes([1, 2, 3, 4] * 3)
    assert report["blit_same"] and report["blit_again_same"]
    # Whichever new worker answers first (4 or 5) is named.
    assert re.fullmatch(
        r"the thread pool did not start: worker [45] of wasmcanvas's thread pool failed to start "
        r"\(refused by the test\)",
        report["start_failure"],
    ), report["start_failure"]
    assert report["threads_after_start_failure"] == (4, 3)
    for message in report["after_failure"]:
        assert message.startswith(
            "the rust_image module is broken (ThreadError: a worker thread of wasmcanvas's pool failed"
        ), report["after_failure"]
    assert report["threads_after_reload"] == 4
    gaussian = next(expected for label, _, _, expected in cases if label == "GaussianBlur(2)")
    assert report["after_reload"] == gaussian


@run_in_pyodide(packages=["wasmcanvas"])
async def test_without_isolation_the_single_threaded_module_stays(selenium_rust_module_scope: Any) -> None:
    import js
    import wasmcanvas
    from wasmcanvas import ImageFilter, loader

    # The shared page of the other modules: not isolated, its module
    # registered by boot.js; asking for threads keeps that module.
    assert not js.crossOriginIsolated
    registered = loader._registered()
    await wasmcanvas.load(threads=4)
    assert loader.threads() == 1 and not loader.threads_allowed() and loader._registered() is registered
    assert not wasmcanvas.wasm_memory().shared
    image = wasmcanvas.Image.new("RGBA", (40, 30), (200, 10, 10, 255)).filter(ImageFilter.GaussianBlur(2))
    assert image.getpixel((20, 15)) == (200, 10, 10, 255)
    import pytest

    with pytest.raises(ValueError, match="threads must be a whole number of at least 1, not 0"):
        await wasmcanvas.load(threads=0)
