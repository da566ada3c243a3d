"""The runner behind `./build.sh bench`: serves dist/ on 127.0.0.1, measures
boot time against a bare Pyodide, runs bench.html in headless Chromium with
requestAnimationFrame uncapped (crossOriginIsolated, for wasm-vips's
threads), then native Pillow on the host (tests/bench_native_pillow.py) on
the same picture, then our kernels at 1 thread and at N; prints the table,
writes bench-results.json and regenerates the tables of the docs'
Performance page (docs/performance.md, the one place they are kept).

Usage: python tests/benchmark.py DIST_DIR OUTPUT_JSON PERFORMANCE_PAGE
       python tests/benchmark.py --threads-only DIST_DIR   (the threads rows alone)
       python tests/benchmark.py --only SECTIONS DIST_DIR  (bench.html's sections
           named, comma-separated, e.g. kernels,codecs,vips; printed, no file written)
"""

from __future__ import annotations

import ast
import base64
import functools
import gzip
import http.server
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from selenium import webdriver
from selenium.common.exceptions import TimeoutException as SeleniumTimeout
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import CHROMEDRIVER, QuietHandler, chromium_options

WIDTH, HEIGHT = 1920, 1080
POINT_KERNELS = ("grayscale", "invert")
COMPUTE_KERNELS = (
    "gaussian_blur",
    "box_blur",
    "sharpen",
    "smooth_more",
    "median3",
    "min3",
    "resize_bilinear",
    "reduce2",
    "upscale2",
    "rotate30",
)
KERNEL_LABELS = {
    "grayscale": "grayscale (Pillow, OpenCV: to one channel)",
    "invert": "invert (Pillow: RGB)",
    "gaussian_blur": "Gaussian blur, sigma 3",
    "box_blur": "box blur, radius 3",
    "sharpen": "SHARPEN 3x3",
    "smooth_more": "SMOOTH_MORE 5x5",
    "median3": "median 3x3",
    "min3": "MinFilter 3x3 (OpenCV: erode)",
    "resize_bilinear": "resize to 960x540, BILINEAR (antialiased)",
    "reduce2": "reduce(2) (OpenCV: INTER_AREA)",
    "upscale2": "960x540 to 1920x1080, BILINEAR (OpenCV: INTER_LINEAR)",
    "rotate30": "rotate 30 degrees, BILINEAR (OpenCV: warpAffine)",
    "thumbnail_jpeg": "12 MP JPEG to fit 256x256 (draft; vips: thumbnail_buffer)",
    "jpeg_encode": "JPEG encode, 1920x1080 RGB, quality 75",
    "jpeg_decode": "JPEG decode, 4000x3000 (12 MP)",
}
CODEC_CASES = ("thumbnail_jpeg", "jpeg_encode", "jpeg_decode")


def bench_page_constant(name: str) -> Any:
    """A constant of the bench page's Python (py/wasmcanvas_site/bench.py),
    read from its source: that module imports js and runs only in Pyodide."""
    source = Path(__file__).resolve().parent.parent / "py" / "wasmcanvas_site" / "bench.py"
    for node in ast.parse(source.read_text()).body:
        if isinstance(node, ast.Assign) and any(getattr(target, "id", None) == name for target in node.targets):
            return ast.literal_eval(node.value)
    raise LookupError(f"{source} has no constant {name}")


VIPS_CASES: tuple[str, ...] = bench_page_constant("VIPS_CASES")
"""bench.html's wasm-vips cases."""
ALTERNATIVES = ("opencv", "native_pillow", "js", "photon", "python")
CASE_SUFFIXES = {"python": "python_scaled"}
ALTERNATIVE_LABELS = {
    "opencv": "OpenCV.js (no SIMD)",
    "native_pillow": "native Pillow (1 thread)",
    "js": "plain JS",
    "photon": "photon-rs",
    "python": "pure Python (scaled)",
}

TARGETS: dict[str, tuple[str, float]] = {
    "frame_loop_python_vs_js": (">=", 0.95),
    "life_1080p_tick_ms": ("<=", 4.0),
    "boot_vs_bare_pyodide": ("<=", 1.3),
    "snapshot_vs_memcpy": ("<=", 1.5),
}
for _kernel in (*POINT_KERNELS, *COMPUTE_KERNELS):
    TARGETS[f"{_kernel}_rust_vs_opencv"] = (">=", 1.5)
    TARGETS[f"{_kernel}_rust_vs_native_pillow"] = (">=", 1.0 if _kernel in POINT_KERNELS else 1.5)
    TARGETS[f"{_kernel}_rust_vs_js"] = (">=", 1.5)
    TARGETS[f"{_kernel}_rust_vs_photon"] = (">=", 1.0)
    TARGETS[f"{_kernel}_rust_vs_python"] = (">=", 100)
for _kernel in COMPUTE_KERNELS:
    TARGETS[f"{_kernel}_threads_speedup"] = (">=", 1.7)
for _kernel in VIPS_CASES:
    TARGETS[f"{_kernel}_rust_vs_vips"] = (">=", 1.0)
    TARGETS[f"{_kernel}_rust_vs_vips_threads"] = (">=", 1.0)
TARGETS["thumbnail_jpeg_rust_vs_native_pillow"] = (">=", 1.0)
TARGETS["jpeg_encode_rust_vs_browser"] = (">=", 1.2)


def limits(cases: dict[str, dict[str, float]]) -> dict[str, str]:
    """What holds back each target that can be missed, with this run's
    figures: kept in bench-results.json and the Performance page beside a missed one."""

    def ms(name: str) -> float:
        return cases[name]["median"] if name in cases else float("nan")

    frame_js, frame_python = 1000 / ms("frame_loop_js_fps"), 1000 / ms("frame_loop_python_fps")
    rotation = (
        f"Rust {ms('rotate30_rust'):.1f} ms, Pillow {ms('rotate30_native_pillow'):.1f} ms, wasm-vips "
        f"{ms('rotate30_vips'):.1f} ms, OpenCV.js {ms('rotate30_opencv'):.1f} ms. Each output pixel's source "
        "position and its four-tap mix are computed in doubles, in Pillow's order, to keep Pillow's bytes "
        "(the four channels at once in two f64x2 vectors, the output walked in tiles whose patch of the "
        "source stays in cache, tiles wholly inside the source without a test a pixel, no premultiplying "
        "passes for an opaque image); what is left is that per-pixel double arithmetic (both coordinates "
        "in one f64x2 vector was slower: V8's lane extractions cost more than they saved). Fixed-point "
        "positions would be faster but would not give Pillow's bytes."
    )
    thumbnail = (
        f"Rust {ms('thumbnail_jpeg_rust'):.1f} ms at 1 thread and {ms('thumbnail_jpeg_rust_threads'):.1f} at N, "
        f"wasm-vips {ms('thumbnail_jpeg_vips'):.1f} and {ms('thumbnail_jpeg_vips_threads'):.1f}, native Pillow "
        f"{ms('thumbnail_jpeg_native_pillow'):.1f}. Pillow's thumbnail (reducing_gap 2) asks its draft for "
        "512x384 or more, so it and we decode the 4000x3000 file at 1/4, where wasm-vips's shrink-on-load "
        "decodes at 1/8; at any scale every coefficient's Huffman code is still read. In V8's profile of our "
        "draft decode at 1/4, reading the codes is about 60% of the time and the reduced IDCTs (in SIMD lanes) "
        "about 17%; native Pillow reads the codes with libjpeg-turbo's native code. Tried without gain: two "
        "codes per table look-up (the look-up's result then waits on more arithmetic), end of block in the "
        "look-up table, 11 look-up bits instead of 10. The codecs module has no threaded build, so N threads "
        "help only the final resize."
    )
    threads = {
        f"{name}_threads_speedup": (
            f"Rust at 1 thread {ms(f'{name}_rust_1_thread'):.2f} ms, at N threads {ms(f'{name}_rust_threads'):.2f} ms "
            "(alternating, on a machine whose other work weighs on the N-thread figure most)."
        )
        for name in COMPUTE_KERNELS
    }
    return threads | {
        "frame_loop_python_vs_js": (
            f"A JS frame (Life tick, render, putImageData) takes {frame_js:.2f} ms, a Python one "
            f"{frame_python:.2f} ms: Python adds {frame_python - frame_js:.2f} ms a frame, the requestAnimationFrame "
            "callback into Python and the checks and FFI calls of tick, render and blit. With the tick at "
            f"{ms('life_1080p_tick_ms'):.2f} ms the frame is short, so that overhead is a larger share. In a 60 Hz "
            "frame, where the FFI's code has gone cold, JS attribute lookups cost more than the calls; the library "
            "now looks each export up once (Python's share of a small frame ~190 -> ~90 us), which shows little "
            "in this uncapped loop, whose frames follow each other closely; its ratio swung 0.88-0.97 over a day."
        ),
        "gaussian_blur_rust_vs_vips": (
            f"Rust {ms('gaussian_blur_rust'):.1f} ms, wasm-vips {ms('gaussian_blur_vips'):.1f} ms. Pillow's "
            "GaussianBlur is three box blurs each way, each rounded to bytes, which we keep for Pillow's bytes: "
            "six passes over the picture, each about half of what the box blur (one pass each way) costs, "
            f"{ms('box_blur_rust'):.1f} ms. A pass costs per pixel on a picture that fits in cache what it "
            "costs at 1080p, so they are bound by arithmetic, not memory: fusing them would not help, fewer "
            "operations a byte would (the vertical passes' sums take 16-bit lanes and their fixed-point mix two "
            "16-bit dot products; the horizontal passes mix a pixel's four sums in 32-bit lanes). wasm-vips "
            "convolves once each way with a mask of 16-bit integers."
        ),
        "jpeg_encode_rust_vs_browser": (
            f"Rust {ms('jpeg_encode_rust'):.2f} ms, the browser {ms('jpeg_encode_browser'):.2f} ms, native Pillow "
            f"{ms('jpeg_encode_native_pillow'):.2f} ms. Profiled in V8 (node --cpu-prof, the codecs module "
            "built with its function names): the RGB to YCbCr conversion (libjpeg's sums exactly, as pairs of "
            "16-bit products) is the largest part, then the 16-bit DCT and quantization, then Huffman coding "
            "(small on this smooth picture) and the copy of the pixels into the module. The browser's time "
            "depends on its build: twice as long in an earlier Chromium."
        ),
        "thumbnail_jpeg_rust_vs_native_pillow": thumbnail,
        "thumbnail_jpeg_rust_vs_vips": thumbnail,
        "thumbnail_jpeg_rust_vs_vips_threads": thumbnail,
        "rotate30_rust_vs_native_pillow": rotation,
        "rotate30_rust_vs_opencv": rotation,
        "rotate30_rust_vs_vips": rotation,
        "upscale2_rust_vs_opencv": (
            f"Rust {ms('upscale2_rust'):.2f} ms, OpenCV.js {ms('upscale2_opencv'):.2f} ms, native Pillow "
            f"{ms('upscale2_native_pillow'):.2f} ms. Ours is Pillow's resampling (coefficient tables, two passes, "
            "premultiplied alpha: a premultiplied copy of the source and an unpremultiply pass over the output), "
            "OpenCV's INTER_LINEAR a plain 2x2 interpolation of straight alpha: the difference is the price of "
            "Pillow's bytes."
        ),
    }


WASM_VIPS = json.loads((Path(__file__).parents[1] / "web" / "package.json").read_text())["dependencies"]["wasm-vips"]

TABLES_START = "<!-- bench:start (written by ./build.sh bench from bench-results.json) -->"
TABLES_END = "<!-- bench:end -->"


def wait_for(driver: webdriver.Chrome, script: str, timeout: float) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            value = driver.execute_script(script)
        except SeleniumTimeout:  # the page's thread is busy measuring: ask again
            continue
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for: {script}")


def boot_times(driver: webdriver.Chrome, base: str, runs: int = 3) -> tuple[list[float], list[float]]:
    """Milliseconds from navigation to the app's first frame (plasma.html
    ready) and to a bare loadPyodide(), caches warm for both."""
    app, bare = [], []
    for index in range(runs + 1):
        driver.get(base + "bench-bare.html")
        bare_ms = wait_for(driver, "return window.bareReadyAt", 120)
        driver.get(base + "plasma.html")
        app_ms = wait_for(
            driver, "return document.body.dataset.status === 'ready' && window.wasmcanvasBoot.readyAt", 120
        )
        if index:  # the first round only warms the cache
            app.append(app_ms)
            bare.append(bare_ms)
    return app, bare


def serve(dist: Path, handler: type[QuietHandler]) -> tuple[http.server.ThreadingHTTPServer, str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(handler, directory=str(dist)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def browser_run(
    dist: Path, only: str | None = None
) -> tuple[dict[str, Any], bytes, bytes, list[float], list[float], str]:
    """bench.html's report, picture, JPEG and browser version, and the boot
    times (left out, as empty lists, with ``only``). The boot times come from
    a plain server (a crossOriginIsolated plasma.html would load the threaded
    module); bench.html from one that sends COOP and COEP, which wasm-vips's
    threads need."""
    plain, base = serve(dist, QuietHandler)
    isolated, isolated_base = serve(dist, IsolatedBenchHandler)
    options = chromium_options()
    # requestAnimationFrame uncapped, so frame loops measure their own cost.
    for flag in ("--js-flags=--expose-gc", "--disable-frame-rate-limit", "--disable-gpu-vsync"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        app, bare = boot_times(driver, base) if only is None else ([], [])
        driver.get(isolated_base + "bench.html" + (f"?only={only}" if only else ""))
        outcome = wait_for(
            driver, "return window.benchResults || (document.body.dataset.status === 'error' && 'error')", 1800
        )
        if outcome == "error":
            raise RuntimeError(driver.find_element("id", "status").text)
        picture = base64.b64decode(driver.execute_script("return window.benchImage"))
        jpeg = base64.b64decode(driver.execute_script("return window.benchJpeg"))
        browser = str(driver.capabilities.get("browserVersion", "?"))
    finally:
        driver.quit()
        plain.shutdown()
        isolated.shutdown()
    return json.loads(outcome), picture, jpeg, app, bare, browser


# Every kernel, and the JPEG cases wasm-vips is compared on, timed at 1
# thread and at N (navigator.hardwareConcurrency, as load() takes by default)
# in a crossOriginIsolated page, the two alternating so that a change in the
# machine's load weighs on both alike; on bench.html's picture and JPEG. A
# kernel that does not split its rows shows a speedup near 1.
THREAD_KERNELS = (*COMPUTE_KERNELS, *CODEC_CASES)
THREADS_BENCH_PY = """
import io, json, statistics
import js, wasmcanvas
from wasmcanvas import Image, ImageFilter, loader

await wasmcanvas.load()
threads = loader.threads()
from wasmcanvas_site.samples import grainy_sunset, sunset

photo = sunset(1920, 1080)
photo.inplace.convert("RGBA")
work = photo.copy()
half = photo.reduce(2)
rgb = photo.convert("RGB")
out = io.BytesIO()
with grainy_sunset(4000, 3000) as big:
    big.save(out, "JPEG", quality=90)
jpeg = out.getvalue()
BILINEAR = Image.Resampling.BILINEAR

def thumbnail():
    with Image.open(io.BytesIO(jpeg)) as im:
        im.thumbnail((256, 256))

def decode():
    with Image.open(io.BytesIO(jpeg)) as im:
        im.load()

# Those on `work` change it in place: it is restored before each sample.
in_place = {
    "gaussian_blur": ImageFilter.GaussianBlur(3),
    "box_blur": ImageFilter.BoxBlur(3),
    "sharpen": ImageFilter.SHARPEN,
    "smooth_more": ImageFilter.SMOOTH_MORE,
    "median3": ImageFilter.MedianFilter(3),
    "min3": ImageFilter.MinFilter(3),
}
kernels = {name: (lambda kernel=kernel: work.inplace.filter(kernel)) for name, kernel in in_place.items()}
kernels.update({
    "resize_bilinear": lambda: photo.resize((960, 540), BILINEAR).close(),
    "reduce2": lambda: photo.reduce(2).close(),
    "upscale2": lambda: half.resize((1920, 1080), BILINEAR).close(),
    "rotate30": lambda: photo.rotate(30, BILINEAR).close(),
    "thumbnail_jpeg": thumbnail,
    "jpeg_encode": lambda: rgb.save(io.BytesIO(), "JPEG", quality=75),
    "jpeg_decode": decode,
})

def sample(run, calls):
    work.paste(photo)
    began = js.performance.now()
    for _ in range(calls):
        run()
    return (js.performance.now() - began) / calls

cases = {}
for name in NAMES:
    run = kernels[name]
    run()
    calls = max(1, round(100 / max(sample(run, 1), 0.1)))
    times = {1: [], threads: []}
    for _ in range(7):
        for count in times:
            await wasmcanvas.load(threads=count)
            times[count].append(sample(run, calls))
    for count, values in times.items():
        key = f"{name}_rust_1_thread" if count == 1 else f"{name}_rust_threads"
        cases[key] = {"median": statistics.median(values), "min": min(values), "max": max(values)}
json.dumps({"threads": threads, "isolated": bool(js.crossOriginIsolated), "cases": cases})
""".replace("NAMES", repr(THREAD_KERNELS))
THREADS_BENCH_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>wasmcanvas threads benchmark</title></head>
<body><script type="module">
import { loadPyodide } from "./pyodide.mjs";
try {
  const pyodide = await loadPyodide();
  await pyodide.loadPackage(["wasmcanvas", "wasmcanvas-site"]);
  window.benchThreads = await pyodide.runPythonAsync(CODE);
} catch (error) {
  window.benchThreads = JSON.stringify({ error: String(error) });
}
</script></body></html>
"""


class IsolatedBenchHandler(QuietHandler):
    """dist/ with COOP and COEP, plus the threads benchmark's page."""

    def end_headers(self) -> None:
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def do_GET(self) -> None:
        if self.path.split("?", 1)[0] != "/bench-threads.html":
            super().do_GET()
            return
        body = THREADS_BENCH_PAGE.replace("CODE", json.dumps(THREADS_BENCH_PY)).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def threads_run(dist: Path) -> tuple[dict[str, Any], dict[str, float], int]:
    """The threads cases at 1 and N threads, their `*_threads_speedup`
    ratios (1 thread's time over N's) and N."""
    server, base = serve(dist, IsolatedBenchHandler)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options())
    try:
        driver.get(base + "bench-threads.html")
        outcome = json.loads(wait_for(driver, "return window.benchThreads", 900))
    finally:
        driver.quit()
        server.shutdown()
    if "error" in outcome:
        raise RuntimeError(f"the threads benchmark failed: {outcome['error']}")
    if not outcome["isolated"] or outcome["threads"] < 2:
        raise RuntimeError(f"the threads benchmark got no threads: {outcome}")
    cases = outcome["cases"]
    ratios = {
        f"{name}_threads_speedup": cases[f"{name}_rust_1_thread"]["median"] / cases[f"{name}_rust_threads"]["median"]
        for name in THREAD_KERNELS
    }
    return cases, ratios, int(outcome["threads"])


def native_pillow(picture: bytes, jpeg: bytes) -> dict[str, Any]:
    """tests/bench_native_pillow.py on the page's picture and JPEG, once the
    browser has quit (the machine otherwise idle)."""
    with tempfile.NamedTemporaryFile(suffix=".rgba") as file, tempfile.NamedTemporaryFile(suffix=".jpg") as photo:
        file.write(picture)
        file.flush()
        photo.write(jpeg)
        photo.flush()
        script = Path(__file__).with_name("bench_native_pillow.py")
        env = {**os.environ, "OMP_NUM_THREADS": "1"}
        output = subprocess.run(
            [sys.executable, str(script), file.name, str(WIDTH), str(HEIGHT), photo.name],
            check=True,
            capture_output=True,
            text=True,
            env=env,
        ).stdout
    return json.loads(output)


def verdict(key: str, value: float) -> dict[str, Any] | None:
    if key not in TARGETS:
        return None
    sense, bound = TARGETS[key]
    met = value >= bound if sense == ">=" else value <= bound
    return {"target": f"{sense} {bound:g}", "met": met}


def tables_section(result: dict[str, Any]) -> str:
    cases, machine = result["cases"], result["machine"]
    lines = [
        TABLES_START,
        "",
        f"Latest run: {machine['cpus']} cores, {machine['platform']}, Chromium {machine['chromium']} headless, "
        f"OpenCV.js {machine['opencv']}, wasm-vips {WASM_VIPS} (libvips {machine['vips']}), "
        f"Pillow {machine['pillow']} on the host; N = {machine['threads']} threads.",
        "",
        "| kernel (1920x1080 RGBA, median ms a call) | Rust (wasmcanvas) | "
        + " | ".join(ALTERNATIVE_LABELS[a] for a in ALTERNATIVES)
        + " |",
        "| --- | ---: |" + " ---: |" * len(ALTERNATIVES),
    ]

    def cell(name: str) -> str:
        if name not in cases:
            return ""
        value = cases[name]["median"]
        return f"{value:,.0f}" if value >= 100 else f"{value:.2f}"

    for kernel in (*POINT_KERNELS, *COMPUTE_KERNELS):
        row = [KERNEL_LABELS[kernel], cell(f"{kernel}_rust")]
        row += [cell(f"{kernel}_{CASE_SUFFIXES.get(alternative, alternative)}") for alternative in ALTERNATIVES]
        lines.append("| " + " | ".join(row) + " |")
    threads = machine["threads"]
    columns = {
        "rust": "Rust (wasmcanvas)",
        "vips": "wasm-vips, 1 thread",
        "rust_threads": f"Rust, {threads} threads",
        "vips_threads": f"wasm-vips, {threads} threads",
        "browser": "the browser's codecs",
        "native_pillow": "native Pillow (1 thread)",
    }
    lines += [
        "",
        f"At 1 thread and at {threads}, beside wasm-vips and the browser's codecs (median ms a call; Rust at "
        f"{threads} threads from a page of its own, alternating with 1 thread: `*_rust_1_thread` in "
        "bench-results.json):",
        "",
        "| case | " + " | ".join(columns.values()) + " |",
        "| --- |" + " ---: |" * len(columns),
    ]
    for kernel in (*COMPUTE_KERNELS, *CODEC_CASES):
        lines.append("| " + " | ".join([KERNEL_LABELS[kernel], *(cell(f"{kernel}_{c}") for c in columns)]) + " |")
    lines += ["", "| key | value | target |", "| --- | ---: | --- |"]
    for key in sorted(k for k in result["targets"]):
        check = result["targets"][key]
        lines.append(f"| `{key}` | {result[key]:.2f} | {check['target']} ({'met' if check['met'] else 'missed'}) |")
    for key in ("frame_loop_python_fps", "frame_loop_js_fps"):
        lines.append(f"| `{key}` | {cases[key]['median']:.1f} | |")
    for key in ("wasm_size_bytes", "wasm_size_gzip_bytes"):
        lines.append(f"| `{key}` | {result[key]:,} | |")
    missed = {key: check["limit"] for key, check in sorted(result["targets"].items()) if not check["met"]}
    if missed:
        lines += ["", "What limits the missed targets (kept in bench-results.json with each):", ""]
        lines += [f"- `{key}`: {limit}" for key, limit in missed.items()]
    photon_in, photon_out = cases["photon_copy_in_ms"]["median"], cases["photon_copy_out_ms"]["median"]
    lines += [
        "",
        f"photon-rs also copies the pixels into its memory ({photon_in:.2f} ms) and out again "
        f"({photon_out:.2f} ms); its column is the operation alone.",
        "",
        TABLES_END,
    ]
    return "\n".join(lines)


def write_tables(page: Path, section: str) -> None:
    text = page.read_text()
    before, start, rest = text.partition(TABLES_START)
    _, end, after = rest.partition(TABLES_END)
    if not start or not end:
        raise RuntimeError(f"{page} has no {TABLES_START!r} ... {TABLES_END!r} section to write")
    page.write_text(before + section + after)


def main(dist: Path, output: Path, page: Path) -> None:
    report, picture, jpeg, app, bare, browser = browser_run(dist)
    pillow = native_pillow(picture, jpeg)
    thread_cases, thread_ratios, threads = threads_run(dist)

    def summary(values: list[float]) -> dict[str, float]:
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    cases = report["cases"]
    cases["boot_to_first_frame_ms"] = summary(app)
    cases["boot_bare_pyodide_ms"] = summary(bare)
    ratios = report["ratios"]
    ratios["boot_vs_bare_pyodide"] = statistics.median(app) / statistics.median(bare)
    cases.update(thread_cases)
    ratios.update(thread_ratios)
    if report.get("vips_threads") != threads:
        raise RuntimeError(f"wasm-vips ran at {report.get('vips_threads')} threads, our kernels at {threads}")
    for name in VIPS_CASES:
        ratios[f"{name}_rust_vs_vips_threads"] = (
            cases[f"{name}_vips_threads"]["median"] / cases[f"{name}_rust_threads"]["median"]
        )
    for name, measured in pillow["cases"].items():
        cases[f"{name}_native_pillow"] = measured
        ratios[f"{name}_rust_vs_native_pillow"] = measured["median"] / cases[f"{name}_rust"]["median"]
    wasm = (dist / "pkg" / "rust_image_bg.wasm").read_bytes()
    ratios["wasm_size_bytes"] = len(wasm)
    ratios["wasm_size_gzip_bytes"] = len(gzip.compress(wasm, 9))
    machine = {
        "cpus": os.cpu_count(),
        "platform": platform.platform(terse=True),
        "chromium": browser,
        "opencv": report["opencv"],
        "vips": report["vips"],
        "pillow": pillow["pillow"],
        "threads": threads,
    }
    targets = {key: check for key, value in ratios.items() if (check := verdict(key, value))}
    reasons = limits(cases)
    for key, check in targets.items():
        if not check["met"]:
            check["limit"] = reasons.get(key, "no profile recorded for this target yet")
    result = {**ratios, "targets": targets, "cases": cases, "notes": report["notes"], "machine": machine}
    output.write_text(json.dumps(result, indent=1, sort_keys=True) + "\n")
    write_tables(page, tables_section(result))

    print(f"{'key':<42} {'value':>12}  target")
    for key, value in sorted(ratios.items()):
        check = targets.get(key)
        note = f"{check['target']:<8} {'met' if check['met'] else 'MISSED'}" if check else ""
        print(f"{key:<42} {value:>12.2f}  {note}")
    missed = sorted(key for key, check in targets.items() if not check["met"])
    print(f"{len(cases)} cases (median, min, max in ms) in {output.name}; {len(missed)} targets missed; {machine}")


if __name__ == "__main__":
    if sys.argv[1] == "--only":
        # A few of bench.html's sections, printed (no file written).
        page = browser_run(Path(sys.argv[3]), only=sys.argv[2])[0]
        print(json.dumps(page, indent=1, sort_keys=True))
    elif sys.argv[1] == "--threads-only":
        # The threads rows alone, printed (no file written).
        measured, speedups, count = threads_run(Path(sys.argv[2]))
        print(json.dumps({"threads": count, "cases": measured, "ratios": speedups}, indent=1, sort_keys=True))
    else:
        main(Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]))
