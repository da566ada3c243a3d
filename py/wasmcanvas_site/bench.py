"""The benchmark page (bench.html): wasmcanvas against the honest
alternatives, measured side by side in one browser run: plain JavaScript,
pure Python, photon-rs, OpenCV.js 5.0 (npm, built without SIMD and without
threads), wasm-vips at 1 thread and at N (in a crossOriginIsolated page
only: its pthreads need shared memory) and the browser's own JPEG codecs.
``./build.sh bench`` adds native Pillow on the host, and our kernels at N
threads (a page of their own: this one's Rust module is single-threaded).

``?only=kernels,codecs`` in the page's address measures those sections
alone (of ``SECTIONS``), for a quick look at a few rows.

Every case runs in samples of at least ``MIN_SAMPLE_MS`` (short operations
repeat inside a sample, since ``performance.now()`` ticks every 0.1 ms here)
and the report keeps the median, min and max per call. Ratios are of medians
("times faster", higher is better). The page shows them and leaves the full
report as JSON in ``window.benchResults``, and the picture's RGBA bytes
(base64) in ``window.benchImage`` and the thumbnail case's JPEG in
``window.benchJpeg`` for the native Pillow run.
"""

from __future__ import annotations

import asyncio
import base64
import io
import json
import math
import statistics
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import bench_baselines
import js
import photon
from pyodide.ffi import to_js
from wasmcanvas import Image, ImageFilter, loader
from wasmcanvas.animation import animate
from wasmcanvas.canvas import Canvas
from wasmcanvas.module import wasm_memory
from wasmcanvas.simulations import Life

from . import ui
from .samples import grainy_sunset, sunset

WIDTH, HEIGHT = 1920, 1080
SAMPLES = 7
MIN_SAMPLE_MS = 25.0
PYTHON_CROP = (240, 135)
"""Pure Python is run on this crop and scaled by pixel count (1/64 of 1080p)."""
LOOP_FRAMES = 300
LOOP_ROUNDS = 5
LIFE_SEED, LIFE_DENSITY = 3, 0.3
THUMBNAIL_SOURCE = (4000, 3000)
"""The 12-megapixel JPEG of the thumbnail and decoding cases: a phone photo's size."""
THUMBNAIL_FIT = (256, 256)
JPEG_QUALITY = 75
VIPS_CASES = (
    "gaussian_blur",
    "sharpen",
    "box_blur",
    "resize_bilinear",
    "rotate30",
    "median3",
    "thumbnail_jpeg",
    "jpeg_encode",
    "jpeg_decode",
)
"""The cases wasm-vips has an operation for (bench-baselines.js's vipsCases)."""
BROWSER_CASES = ("jpeg_encode", "jpeg_decode", "thumbnail_jpeg")
SECTIONS = ("frame_loops", "snapshots", "kernels", "codecs", "vips", "browser")


def summary(times_ms: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times_ms), "min": min(times_ms), "max": max(times_ms)}


def timed(run: Callable[[], Any], samples: int = SAMPLES, setup: Callable[[], Any] | None = None) -> dict[str, float]:
    """Milliseconds per call of ``run()``: ``samples`` samples, each of as
    many calls as fill ``MIN_SAMPLE_MS`` (``setup()`` untimed before each).

    >>> timed(lambda: None)["median"] < 0.1
    True
    """
    if setup is not None:
        setup()
    began = js.performance.now()
    run()  # warm-up, and the estimate of one call
    calls = max(1, math.ceil(MIN_SAMPLE_MS / max(js.performance.now() - began, 0.05)))
    times = []
    for _ in range(samples):
        if setup is not None:
            setup()
        began = js.performance.now()
        for _ in range(calls):
            run()
        times.append((js.performance.now() - began) / calls)
    return summary(times)


async def timed_async(run: Callable[[], Any], samples: int = SAMPLES) -> dict[str, float]:
    """``timed`` for an operation that returns a promise: each call awaited."""
    began = js.performance.now()
    await run()
    calls = max(1, math.ceil(MIN_SAMPLE_MS / max(js.performance.now() - began, 0.05)))
    times = []
    for _ in range(samples):
        began = js.performance.now()
        for _ in range(calls):
            await run()
        times.append((js.performance.now() - began) / calls)
    return summary(times)


# ---- pure Python kernels on a memoryview (the "no Rust" alternative)


def py_grayscale(pixels: memoryview) -> None:
    for i in range(0, len(pixels), 4):
        luma = (pixels[i] * 19595 + pixels[i + 1] * 38470 + pixels[i + 2] * 7471 + 0x8000) >> 16
        pixels[i] = pixels[i + 1] = pixels[i + 2] = luma


def py_invert(pixels: memoryview) -> None:
    for i in range(0, len(pixels), 4):
        pixels[i] = 255 - pixels[i]
        pixels[i + 1] = 255 - pixels[i + 1]
        pixels[i + 2] = 255 - pixels[i + 2]


def py_box_pass(pixels: memoryview, width: int, height: int, radius: int, horizontal: bool) -> None:
    source = bytes(pixels)
    span = 2 * radius + 1
    lines, length = (height, width) if horizontal else (width, height)
    for line in range(lines):
        for c in range(4):

            def at(i: int) -> int:
                i = min(max(i, 0), length - 1)
                x, y = (i, line) if horizontal else (line, i)
                return source[(y * width + x) * 4 + c]

            total = sum(at(i) for i in range(-radius, radius + 1))
            for i in range(length):
                x, y = (i, line) if horizontal else (line, i)
                pixels[(y * width + x) * 4 + c] = (total + span // 2) // span
                total += at(i + radius + 1) - at(i - radius)


def py_gaussian(pixels: memoryview, width: int, height: int) -> None:
    """sigma 3 as three box passes of radius 2 each way (as fast as pure
    Python gets)."""
    for horizontal in (True, False):
        for _ in range(3):
            py_box_pass(pixels, width, height, 2, horizontal)


def py_sharpen(pixels: memoryview, width: int, height: int) -> None:
    source = bytes(pixels)
    weights = (-2, -2, -2, -2, 32, -2, -2, -2, -2)
    for y in range(1, height - 1):
        for x in range(1, width - 1):
            for c in range(3):
                total = 0
                for k, (dx, dy) in enumerate((dx, dy) for dy in (-1, 0, 1) for dx in (-1, 0, 1)):
                    total += source[((y + dy) * width + x + dx) * 4 + c] * weights[k]
                pixels[(y * width + x) * 4 + c] = min(255, max(0, (total + 8) // 16))


def py_resize_half(pixels: memoryview, width: int, height: int) -> bytearray:
    w, h = width // 2, height // 2
    out = bytearray(w * h * 4)
    for y in range(h):
        for x in range(w):
            i, o = (2 * y * width + 2 * x) * 4, (y * w + x) * 4
            j = i + width * 4
            for c in range(4):
                out[o + c] = (pixels[i + c] + pixels[i + 4 + c] + pixels[j + c] + pixels[j + 4 + c] + 2) >> 2
    return out


# ---- the cases


@dataclass
class Kernel:
    """One operation and the forms it is measured in. ``rust`` works on the
    picture in place (restored before each sample) unless ``returns``, then
    it makes a new image, as Pillow does. The names are shared with the
    OpenCV cases (bench-baselines.js) and the native Pillow run
    (tests/bench_native_pillow.py)."""

    name: str
    rust: Callable[[Image.Image], Any]
    returns: bool = False
    halved: bool = False
    """Starts from the picture reduced 2x (a new image, like ``returns``)."""
    js: Callable[[Any, int, int], Any] | None = None
    photon: Callable[[Any], Any] | None = None
    python: Callable[[memoryview, int, int], Any] | None = None


def _closed(image: Image.Image) -> None:
    image.close()


KERNELS = [
    Kernel(
        "grayscale",
        lambda im: im.inplace.grayscale(),
        js=lambda d, w, h: bench_baselines.grayscale(d),
        photon=photon.grayscale,
        python=lambda m, w, h: py_grayscale(m),
    ),
    Kernel(
        "invert",
        lambda im: im.inplace.invert(),
        js=lambda d, w, h: bench_baselines.invert(d),
        photon=photon.invert,
        python=lambda m, w, h: py_invert(m),
    ),
    Kernel(
        "gaussian_blur",
        lambda im: im.inplace.filter(ImageFilter.GaussianBlur(3)),
        js=lambda d, w, h: bench_baselines.gaussianBlur(d, w, h, 3),
        photon=lambda p: photon.gaussian_blur(p, 3),
        python=py_gaussian,
    ),
    Kernel("box_blur", lambda im: im.inplace.filter(ImageFilter.BoxBlur(3))),
    Kernel(
        "sharpen",
        lambda im: im.inplace.filter(ImageFilter.SHARPEN),
        js=lambda d, w, h: bench_baselines.sharpen(d, w, h),
        photon=lambda p: photon.sharpen(p),
        python=py_sharpen,
    ),
    Kernel("smooth_more", lambda im: im.inplace.filter(ImageFilter.SMOOTH_MORE)),
    Kernel("median3", lambda im: im.inplace.filter(ImageFilter.MedianFilter(3))),
    Kernel("min3", lambda im: im.inplace.filter(ImageFilter.MinFilter(3))),
    Kernel(
        "resize_bilinear",
        lambda im: _closed(im.resize((WIDTH // 2, HEIGHT // 2), Image.Resampling.BILINEAR)),
        returns=True,
        photon=lambda p: photon.resize(p, WIDTH // 2, HEIGHT // 2, photon.SamplingFilter.Triangle).free(),
    ),
    Kernel(
        "reduce2",
        lambda im: _closed(im.reduce(2)),
        returns=True,
        js=lambda d, w, h: bench_baselines.resizeHalf(d, w, h),
        python=py_resize_half,
    ),
    Kernel(
        "upscale2", lambda im: _closed(im.resize((WIDTH, HEIGHT), Image.Resampling.BILINEAR)), returns=True, halved=True
    ),
    Kernel("rotate30", lambda im: _closed(im.rotate(30, Image.Resampling.BILINEAR)), returns=True),
]
"""What each is compared with: js, photon and python as listed; OpenCV.js
where bench-baselines.js's opencvCases has the name (it has no antialiased
resize); native Pillow for all (on an RGB copy for invert, which Pillow
refuses on RGBA)."""


class Bench:
    def __init__(self) -> None:
        self.report: dict[str, Any] = {"cases": {}, "ratios": {}, "notes": []}
        self.jpeg = b""
        self.photo = sunset(WIDTH, HEIGHT)
        self.photo.inplace.convert("RGBA")
        self.original = self.photo.tobytes()
        self.half = self.photo.reduce(2)
        self.canvas = Canvas.attach("bench-canvas")
        self.canvas.resize(WIDTH, HEIGHT)

    def case(self, name: str, result: dict[str, float]) -> dict[str, float]:
        self.report["cases"][name] = result
        ui.set_text("status", f"Measured {name}: {result['median']:.2f} ms")
        return result

    def ratio(self, name: str, slow: dict[str, float], fast: dict[str, float]) -> None:
        self.report["ratios"][name] = slow["median"] / fast["median"] if fast["median"] else float("inf")

    def restore(self) -> None:
        wasm_memory().write(self.photo.ptr, self.original)

    async def frame_loops(self) -> None:
        """The same Life, stepped in Rust and blitted each animation frame:
        from Python's ``animate`` and from a JS loop that calls Rust itself.
        Meaningful only with rAF uncapped (``./build.sh bench`` starts
        Chromium so); a capped run reads the display's rate for both."""
        frame = Image.new("RGBA", (WIDTH, HEIGHT))
        world = Life(WIDTH, HEIGHT)
        world.randomize(LIFE_SEED, LIFE_DENSITY)
        python_fps, js_fps = [], []
        for _ in range(LOOP_ROUNDS):
            done: asyncio.Future[float] = asyncio.get_event_loop().create_future()
            count = [0]

            def step(seconds: float) -> None:
                if count[0] == LOOP_FRAMES:
                    animation.stop()
                    done.set_result(LOOP_FRAMES / seconds)
                    return
                world.tick(1)
                world.render(frame)
                self.canvas.blit(frame)
                count[0] += 1

            animation = animate(step)
            python_fps.append(await done)
            js_fps.append(
                await bench_baselines.frameLoop(
                    LOOP_FRAMES, self.canvas.context, WIDTH, HEIGHT, LIFE_SEED, LIFE_DENSITY
                )
            )
        python = self.case("frame_loop_python_fps", summary(python_fps))
        plain = self.case("frame_loop_js_fps", summary(js_fps))
        self.report["ratios"]["frame_loop_python_vs_js"] = python["median"] / plain["median"]
        ticks = self.case("life_1080p_tick_ms", timed(lambda: world.tick(1)))
        self.report["ratios"]["life_1080p_tick_ms"] = ticks["median"]
        world.close()
        frame.close()

    def snapshots(self) -> None:
        image, memory = self.photo, wasm_memory()
        reused = bytearray(image.nbytes)
        snapshot = self.case("snapshot_1080p", timed(lambda: memory.snapshot(image.ptr, image.nbytes, out=reused)))
        target = js.Uint8Array.new(image.nbytes)
        memcpy = self.case("js_memcpy_1080p", timed(lambda: bench_baselines.memcpy(image.js_view(), target)))
        self.ratio("snapshot_vs_memcpy", snapshot, memcpy)
        crop = WIDTH * HEIGHT // 64 * 4

        def per_element() -> None:
            view = memory.view(image.ptr, crop)
            total = 0
            for i in range(0, crop, 4):
                total += view[i]

        element = timed(per_element, samples=3)
        self.case("python_per_element_read_1080p_scaled", {k: v * 64 * 4 for k, v in element.items()})
        self.report["notes"].append("per-element read: every 4th byte of 1/64 of the frame, scaled by 256")
        self.case("zero_copy_view_1080p", timed(lambda: js.ImageData.new(image.js_view(), WIDTH, HEIGHT)))

    async def kernels(self) -> None:
        loaded = await bench_baselines.loadOpenCV()
        self.report["opencv"] = str(loaded.version)
        opencv = bench_baselines.opencvCases(loaded.cv, to_js(memoryview(self.original)), WIDTH, HEIGHT)
        photon_image, photon_copies = self.photon_image()
        crop_w, crop_h = PYTHON_CROP
        scale = (WIDTH * HEIGHT) / (crop_w * crop_h)
        with self.photo.crop((0, 0, crop_w, crop_h)) as crop_image:
            crop_bytes = crop_image.tobytes()
        try:
            for kernel in KERNELS:
                await asyncio.sleep(0)  # let the page show the status
                rust_case = self.kernel_rust(kernel)

                def versus(alternative: str, result: dict[str, float], case_suffix: str = "") -> None:
                    case = self.case(f"{kernel.name}_{case_suffix or alternative}", result)
                    self.ratio(f"{kernel.name}_rust_vs_{alternative}", case, rust_case)

                if kernel.name in opencv.object_keys():
                    versus("opencv", timed(getattr(opencv, kernel.name)))
                if kernel.photon is not None:
                    in_photon = kernel.photon
                    versus("photon", timed(lambda: in_photon(photon_image)))
                if kernel.js is not None:
                    in_js, pixels = kernel.js, js.Uint8ClampedArray.new(to_js(memoryview(self.original)))
                    versus("js", timed(lambda: in_js(pixels, WIDTH, HEIGHT)))
                if kernel.python is not None:
                    in_python, crop = kernel.python, bytearray(crop_bytes)
                    python = timed(lambda: in_python(memoryview(crop), crop_w, crop_h), samples=3)
                    versus("python", {k: v * scale for k, v in python.items()}, "python_scaled")
        finally:
            opencv.free()
            photon_image.free()
        for name, result in photon_copies.items():
            self.case(name, result)
        self.report["notes"].append(
            f"pure Python kernels ran on a {crop_w}x{crop_h} crop, scaled by pixel count to 1920x1080"
        )
        self.report["notes"].append(
            "photon's times are of its operation alone; copying the pixels into its memory and out again "
            "is timed apart (photon_copy_in_ms, photon_copy_out_ms)"
        )

    def make_jpeg(self) -> None:
        """The 12-megapixel JPEG (the sunset with grain, quality 90) of the
        thumbnail and decoding cases, left in ``window.benchJpeg`` for
        native Pillow."""
        out = io.BytesIO()
        with grainy_sunset(*THUMBNAIL_SOURCE) as photo:
            photo.save(out, "JPEG", quality=90)
        self.jpeg = out.getvalue()

    def codecs(self) -> None:
        """Our JPEG codec: the 12-megapixel JPEG made a thumbnail to fit
        256x256, as a gallery page does (``draft`` decodes it 4 times
        smaller in the DCT first, as in Pillow), and decoded whole; the
        picture (as RGB) encoded at quality 75."""

        def thumbnail() -> None:
            im = Image.open(io.BytesIO(self.jpeg))
            im.thumbnail(THUMBNAIL_FIT)
            im.close()

        def decode() -> None:
            im = Image.open(io.BytesIO(self.jpeg))
            im.load()
            im.close()

        self.case("thumbnail_jpeg_rust", timed(thumbnail))
        self.case("jpeg_decode_rust", timed(decode))
        with self.photo.convert("RGB") as rgb:
            self.case("jpeg_encode_rust", timed(lambda: rgb.save(io.BytesIO(), "JPEG", quality=JPEG_QUALITY)))

    def versus_rust(self, name: str, alternative: str, result: dict[str, float]) -> None:
        """Records ``name_<alternative>`` and, when ours was measured in this
        run, the ratio ``name_rust_vs_<alternative>``."""
        self.case(f"{name}_{alternative}", result)
        rust = self.report["cases"].get(f"{name}_rust")
        if rust is not None:
            self.ratio(f"{name}_rust_vs_{alternative}", result, rust)

    async def vips(self) -> None:
        """wasm-vips on the cases it has an operation for, at 1 thread
        (``name_vips``, against ours: ``name_rust_vs_vips``) and at N, the
        threads ``wasmcanvas.load()`` takes by default (``name_vips_threads``;
        ``./build.sh bench`` sets them against ours at N). Its pthreads need
        shared memory: in a page that is not crossOriginIsolated it is left
        out, and a note says so."""
        if not getattr(js, "crossOriginIsolated", False):
            self.report["notes"].append("wasm-vips left out: the page is not crossOriginIsolated")
            return
        threads = max(1, min(loader.MAX_THREADS, int(js.navigator.hardwareConcurrency or 1)))
        loaded = await bench_baselines.loadVips()
        self.report["vips"] = str(loaded.version)
        self.report["vips_threads"] = threads
        cases = bench_baselines.vipsCases(
            loaded.vips, to_js(memoryview(self.original)), WIDTH, HEIGHT, to_js(memoryview(self.jpeg))
        )
        try:
            for name in VIPS_CASES:
                await asyncio.sleep(0)  # let the page show the status
                run = getattr(cases, name)
                cases.threads(1)
                self.versus_rust(name, "vips", timed(run))
                cases.threads(threads)
                self.case(f"{name}_vips_threads", timed(run))
        finally:
            cases.free()

    async def browser(self) -> None:
        """The browser's JPEG codecs on the same picture and file."""
        width, height = THUMBNAIL_SOURCE
        with Image.open(io.BytesIO(self.jpeg)) as opened:
            opened.thumbnail(THUMBNAIL_FIT)
            thumb_width, thumb_height = opened.size
        cases = bench_baselines.browserCodecs(
            to_js(memoryview(self.original)),
            WIDTH,
            HEIGHT,
            to_js(memoryview(self.jpeg)),
            width,
            height,
            thumb_width,
            thumb_height,
        )
        encoded = await cases.jpeg_encode()
        if encoded != "image/jpeg":
            raise RuntimeError(f"this browser's convertToBlob gave {encoded!r}, not a JPEG")
        for name in BROWSER_CASES:
            await asyncio.sleep(0)
            self.versus_rust(name, "browser", await timed_async(getattr(cases, name)))

    def kernel_rust(self, kernel: Kernel) -> dict[str, float]:
        source = self.half if kernel.halved else self.photo
        if kernel.returns:
            return self.case(f"{kernel.name}_rust", timed(lambda: kernel.rust(source)))
        return self.case(f"{kernel.name}_rust", timed(lambda: kernel.rust(source), setup=self.restore))

    def photon_image(self) -> tuple[Any, dict[str, dict[str, float]]]:
        """photon works on its own copy of the pixels, in its own memory:
        the copies in and out are timed here, apart from the operations."""
        pixels = js.Uint8Array.new(to_js(memoryview(self.original)))

        def copy_in() -> None:
            photon.PhotonImage.new(pixels, WIDTH, HEIGHT).free()

        copies = {"photon_copy_in_ms": timed(copy_in)}
        image = photon.PhotonImage.new(pixels, WIDTH, HEIGHT)
        copies["photon_copy_out_ms"] = timed(image.get_raw_pixels)
        return image, copies

    def show(self) -> None:
        rows = [f"{name:<44} {value:>12.2f}" for name, value in sorted(self.report["ratios"].items())]
        ui.set_text("bench-table", "\n".join(rows))


def sections() -> list[str]:
    """``SECTIONS``, or those the page's address names (``?only=a,b``)."""
    only = js.URLSearchParams.new(js.location.search).get("only")
    if not only:
        return list(SECTIONS)
    wanted: list[str] = str(only).split(",")
    unknown = [name for name in wanted if name not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown bench sections {unknown}; known: {', '.join(SECTIONS)}")
    return wanted


async def main() -> None:
    wanted = sections()
    bench = Bench()
    ui.set_text("status", "Measuring… (a few minutes)")
    await asyncio.sleep(0.05)
    bench.make_jpeg()
    if "frame_loops" in wanted:
        await bench.frame_loops()
    if "snapshots" in wanted:
        bench.snapshots()
    if "kernels" in wanted:
        await bench.kernels()
    if "codecs" in wanted:
        bench.codecs()
    if "vips" in wanted:
        await bench.vips()
    if "browser" in wanted:
        await bench.browser()
    bench.show()
    js.window.benchImage = base64.b64encode(bench.original).decode()
    js.window.benchJpeg = base64.b64encode(bench.jpeg).decode()
    js.window.benchResults = json.dumps(bench.report)
