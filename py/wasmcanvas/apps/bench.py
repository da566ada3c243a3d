"""The benchmark page (bench.html): wasmcanvas against the honest
alternatives, measured side by side in one browser run.

Each case runs several times; the report keeps the median, min and max of
each, and ratios of medians ("times faster", higher is better). The page shows
the table and leaves the full report as JSON in ``window.benchResults`` for
``./build.sh bench``.
"""

from __future__ import annotations

import asyncio
import json
import statistics
from collections.abc import Callable
from typing import Any

import bench_baselines
import js
import photon
from pyodide.ffi import to_js

from .. import Image, ImageFilter
from ..animation import animate
from ..canvas import Canvas
from ..module import wasm_memory
from ..proxies import make_proxy, release
from ..simulations import Life
from . import ui
from .samples import sunset

WIDTH, HEIGHT = 1920, 1080
REPEATS = 7
PYTHON_CROP = (240, 135)
"""Pure Python is run on this crop and scaled by pixel count (1/64 of 1080p)."""
LOOP_FRAMES = 120


def summary(times_ms: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times_ms), "min": min(times_ms), "max": max(times_ms)}


def timed(run: Callable[[], Any], repeats: int = REPEATS, setup: Callable[[], Any] | None = None) -> dict[str, float]:
    """Median, min and max milliseconds of ``run()`` (``setup()`` untimed)."""
    times = []
    for _ in range(repeats):
        if setup is not None:
            setup()
        began = js.performance.now()
        run()
        times.append(js.performance.now() - began)
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


class Bench:
    def __init__(self) -> None:
        self.report: dict[str, Any] = {"cases": {}, "ratios": {}, "notes": []}
        self.photo = sunset(WIDTH, HEIGHT)
        self.photo.inplace.convert("RGBA")
        self.original = self.photo.tobytes()
        self.canvas = Canvas.attach("bench-canvas")
        self.canvas.resize(WIDTH, HEIGHT)

    def case(self, name: str, result: dict[str, float]) -> dict[str, float]:
        self.report["cases"][name] = result
        ui.set_text("status", f"Measured {name}: {result['median']:.2f} ms")
        return result

    def ratio(self, name: str, slow: dict[str, float], fast: dict[str, float]) -> None:
        self.report["ratios"][name] = slow["median"] / fast["median"] if fast["median"] else float("inf")

    def restore(self, image: Image.Image) -> None:
        wasm_memory().write(image.ptr, self.original)

    async def frame_loops(self) -> None:
        frame = Image.new("RGBA", (WIDTH, HEIGHT))
        world = Life(WIDTH, HEIGHT)
        world.randomize(3, 0.3)

        def rust_step() -> None:
            world.tick(1)
            world.render(frame)

        python_fps, js_fps = [], []
        for _ in range(3):
            done: asyncio.Future[float] = asyncio.get_event_loop().create_future()
            count = [0]

            def step(seconds: float) -> None:
                if count[0] == LOOP_FRAMES:
                    animation.stop()
                    done.set_result(LOOP_FRAMES / seconds)
                    return
                rust_step()
                self.canvas.blit(frame)
                count[0] += 1

            animation = animate(step)
            python_fps.append(await done)
            # JS keeps calling the step after this call returns: a proxy that
            # lives until the loop is done.
            js_step = make_proxy(rust_step)
            js_fps.append(
                await bench_baselines.frameLoop(
                    LOOP_FRAMES, js_step, self.canvas.context, frame.js_view(), WIDTH, HEIGHT
                )
            )
            release(js_step)
        python = self.case("frame_loop_python_fps", summary(python_fps))
        plain = self.case("frame_loop_js_fps", summary(js_fps))
        self.report["ratios"]["frame_loop_python_vs_js"] = python["median"] / plain["median"]
        ticks = self.case("life_1080p_tick_ms", timed(lambda: world.tick(1)))
        self.report["ratios"]["life_1080p_ticks_per_s"] = 1000 / ticks["median"]
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

        element = timed(per_element, repeats=3)
        self.case("python_per_element_read_1080p_scaled", {k: v * 64 * 4 for k, v in element.items()})
        self.report["notes"].append("per-element read: every 4th byte of 1/64 of the frame, scaled by 256")
        self.case("zero_copy_view_1080p", timed(lambda: js.ImageData.new(image.js_view(), WIDTH, HEIGHT)))

    def kernels(self) -> None:
        crop_w, crop_h = PYTHON_CROP
        scale = (WIDTH * HEIGHT) / (crop_w * crop_h)
        specs: dict[str, tuple[Any, Any, Any, Any]] = {
            "grayscale": (
                lambda im: im.inplace.grayscale(),
                lambda d, w, h: bench_baselines.grayscale(d),
                lambda p: photon.grayscale(p),
                lambda m, w, h: py_grayscale(m),
            ),
            "invert": (
                lambda im: im.inplace.invert(),
                lambda d, w, h: bench_baselines.invert(d),
                lambda p: photon.invert(p),
                lambda m, w, h: py_invert(m),
            ),
            "gaussian_blur": (
                lambda im: im.inplace.filter(ImageFilter.GaussianBlur(3)),
                lambda d, w, h: bench_baselines.gaussianBlur(d, w, h, 3),
                lambda p: photon.gaussian_blur(p, 3),
                lambda m, w, h: py_gaussian(m, w, h),
            ),
            "sharpen": (
                lambda im: im.inplace.filter(ImageFilter.SHARPEN),
                lambda d, w, h: bench_baselines.sharpen(d, w, h),
                lambda p: photon.sharpen(p),
                lambda m, w, h: py_sharpen(m, w, h),
            ),
            "resize": (
                None,
                lambda d, w, h: bench_baselines.resizeHalf(d, w, h),
                None,
                lambda m, w, h: py_resize_half(m, w, h),
            ),
        }
        for name, (ours, in_js, in_photon, in_python) in specs.items():
            if name == "resize":
                rust_case = self.case("resize_rust", timed(self.rust_resize))
                photon_case = self.case("resize_photon", timed(self.photon_resize))
            else:
                rust_case = self.case(
                    f"{name}_rust", timed(lambda: ours(self.photo), setup=lambda: self.restore(self.photo))
                )
                photon_case = self.case(f"{name}_photon", timed(lambda: self.photon_run(in_photon)))
            pixels = js.Uint8ClampedArray.new(to_js(memoryview(self.original)))
            js_case = self.case(
                f"{name}_js",
                timed(lambda: in_js(pixels, WIDTH, HEIGHT), repeats=3 if name == "gaussian_blur" else REPEATS),
            )
            crop = bytearray(self.photo.crop((0, 0, crop_w, crop_h)).tobytes())
            python = timed(lambda: in_python(memoryview(crop), crop_w, crop_h), repeats=3)
            python_case = self.case(f"{name}_python_scaled", {k: v * scale for k, v in python.items()})
            self.ratio(f"{name}_rust_vs_python", python_case, rust_case)
            self.ratio(f"{name}_rust_vs_js", js_case, rust_case)
            self.ratio(f"{name}_rust_vs_photon", photon_case, rust_case)
        self.report["notes"].append(
            f"pure Python kernels ran on a {crop_w}x{crop_h} crop, scaled by pixel count to 1920x1080"
        )

    def rust_resize(self) -> None:
        """Like photon's resize, a new image at half size; the original stays."""
        with self.photo.resize((WIDTH // 2, HEIGHT // 2), Image.Resampling.BILINEAR):
            pass

    def photon_image(self) -> Any:
        """photon needs its own copy of the pixels in its own memory."""
        return photon.PhotonImage.new(js.Uint8Array.new(to_js(memoryview(self.original))), WIDTH, HEIGHT)

    def photon_run(self, operation: Callable[[Any], Any]) -> None:
        image = self.photon_image()
        operation(image)
        image.get_raw_pixels()
        image.free()

    def photon_resize(self) -> None:
        image = self.photon_image()
        smaller = photon.resize(image, WIDTH // 2, HEIGHT // 2, photon.SamplingFilter.Triangle)
        smaller.get_raw_pixels()
        smaller.free()
        image.free()

    def show(self) -> None:
        rows = [f"{name:<44} {value:>12.2f}" for name, value in sorted(self.report["ratios"].items())]
        ui.set_text("bench-table", "\n".join(rows))


async def main() -> None:
    bench = Bench()
    ui.set_text("status", "Measuring… (about a minute)")
    await asyncio.sleep(0.05)
    await bench.frame_loops()
    bench.snapshots()
    bench.kernels()
    bench.show()
    js.window.benchResults = json.dumps(bench.report)
