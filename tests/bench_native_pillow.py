"""Native Pillow on the host, the anchor `./build.sh bench` sets beside the
browser's figures: the same picture (the RGBA bytes the bench page used),
the same operations under the names bench.py gives them, one thread pinned
to one core, a median of 7 samples of at least 25 ms each.

Usage: python tests/bench_native_pillow.py RGBA_FILE WIDTH HEIGHT [JPEG_FILE]
(JPEG_FILE: the page's 12-megapixel JPEG, for the thumbnail and decoding
cases; the encoding case saves the picture as RGB at quality 75) prints
{"pillow": version, "cases": {name: {"median", "min", "max"}}} as JSON.
"""

from __future__ import annotations

import io
import json
import math
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import PIL
from PIL import Image, ImageFilter, ImageOps

SAMPLES = 7
MIN_SAMPLE_MS = 25.0


def timed(run: Callable[[], Any]) -> dict[str, float]:
    """Milliseconds per call: as bench.py's `timed`, with the host's clock."""
    began = time.perf_counter()
    run()
    calls = max(1, math.ceil(MIN_SAMPLE_MS / max((time.perf_counter() - began) * 1000, 0.05)))
    times = []
    for _ in range(SAMPLES):
        began = time.perf_counter()
        for _ in range(calls):
            run()
        times.append((time.perf_counter() - began) * 1000 / calls)
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def cases(picture: Image.Image) -> dict[str, Callable[[], Any]]:
    width, height = picture.size
    rgb = picture.convert("RGB")  # Pillow inverts RGB, not RGBA
    half = picture.reduce(2)
    bilinear = Image.Resampling.BILINEAR
    return {
        "grayscale": lambda: picture.convert("L"),
        "invert": lambda: ImageOps.invert(rgb),
        "gaussian_blur": lambda: picture.filter(ImageFilter.GaussianBlur(3)),
        "box_blur": lambda: picture.filter(ImageFilter.BoxBlur(3)),
        "sharpen": lambda: picture.filter(ImageFilter.SHARPEN),
        "smooth_more": lambda: picture.filter(ImageFilter.SMOOTH_MORE),
        "median3": lambda: picture.filter(ImageFilter.MedianFilter(3)),
        "min3": lambda: picture.filter(ImageFilter.MinFilter(3)),
        "resize_bilinear": lambda: picture.resize((width // 2, height // 2), bilinear),
        "reduce2": lambda: picture.reduce(2),
        "upscale2": lambda: half.resize((width, height), bilinear),
        "rotate30": lambda: picture.rotate(30, bilinear),
    }


def thumbnail_jpeg(jpeg: bytes) -> None:
    """The page's thumbnail case: open, then fit in 256x256 (Pillow's draft
    decodes the JPEG smaller first)."""
    with Image.open(io.BytesIO(jpeg)) as im:
        im.thumbnail((256, 256))


def jpeg_decode(jpeg: bytes) -> None:
    with Image.open(io.BytesIO(jpeg)) as im:
        im.load()


def main(source: Path, width: int, height: int, jpeg: Path | None = None) -> None:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    picture = Image.frombytes("RGBA", (width, height), source.read_bytes())
    results = {name: timed(run) for name, run in cases(picture).items()}
    rgb = picture.convert("RGB")
    results["jpeg_encode"] = timed(lambda: rgb.save(io.BytesIO(), "JPEG", quality=75))
    if jpeg is not None:
        data = jpeg.read_bytes()
        results["thumbnail_jpeg"] = timed(lambda: thumbnail_jpeg(data))
        results["jpeg_decode"] = timed(lambda: jpeg_decode(data))
    json.dump({"pillow": PIL.__version__, "cases": results}, sys.stdout)


if __name__ == "__main__":
    main(Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4]) if len(sys.argv) > 4 else None)
