"""The examples a user copies (examples/, served from dist/examples/), run as
a user runs them: the plain page and the worker page in headless Chromium,
from this server and from a sub-path of another one, with what they draw
read back from their canvas; the Node script on a folder of pictures, its
thumbnails decoded and compared with Pillow's."""

from __future__ import annotations

import io
import math
import shutil
import subprocess
import time

import pytest
from conftest import DIST_DIR
from images import sample_photo
from PIL import Image

pytestmark = pytest.mark.e2e

BACKGROUND = [29, 35, 48, 255]
ORANGE = (255, 106, 0)


def no_project_js(page) -> None:
    """Only Pyodide's files, the example's own and the wheel were loaded."""
    loaded = page.requested_urls()
    assert not [url for url in loaded if url.endswith(("boot.js", "rust_guard.js", ".wasm")) and "pyodide" not in url]
    assert page.foreign_requests() == []
    assert page.console_errors() == []


def test_the_plain_example_installs_the_wheel_and_draws_without_project_js(page, sub_path_server):
    """examples/plain.html: Pyodide, micropip and the wheel, nothing else;
    the Rust module comes out of the wheel."""
    for base in (page.base_url, sub_path_server):
        page.base_url = base
        assert page.open("examples/plain.html") == "ready"
        assert page.pixel("#art", 160, 100) == [255, 106, 0, 255]
        assert page.pixel("#art", 5, 5) == BACKGROUND
        assert page.driver.execute_script("return window.pyodide === undefined")
        no_project_js(page)


READ_PLACEHOLDER = """
    // The page's canvas shows what the worker draws; it has no context of its
    // own (control was transferred), so copy it onto a scratch canvas.
    const shown = document.getElementById("art");
    const scratch = document.createElement("canvas");
    scratch.width = shown.width;
    scratch.height = shown.height;
    const context = scratch.getContext("2d", { willReadFrequently: true });
    context.drawImage(shown, 0, 0);
    return Array.from(context.getImageData(0, 0, shown.width, shown.height).data);
"""


def ball_centre(rgba: list[int], width: int) -> tuple[float, float]:
    """Centroid of the orange pixels (the ball's core, blur excluded)."""
    points = [
        (index // 4 % width, index // 4 // width)
        for index in range(0, len(rgba), 4)
        if tuple(rgba[index : index + 3]) == ORANGE
    ]
    assert len(points) > 1500, f"the ball is missing: {len(points)} orange pixels"
    return sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points)


def distance_to_path(x: float, y: float) -> float:
    """How far (x, y) is from the curve the worker's Python moves the ball
    on: (160 + 110 cos 2t, 100 + 60 sin 3t), both truncated to whole pixels."""
    steps = 20000
    return min(
        math.hypot(x - (160 + int(110 * math.cos(2 * t))), y - (100 + int(60 * math.sin(3 * t))))
        for t in (2 * math.pi * k / steps for k in range(steps))
    )


def test_the_worker_example_animates_the_transferred_canvas_from_python(page, sub_path_server):
    """examples/worker.html hands its canvas to a module worker; Python there
    installs the wheel and animates it with requestAnimationFrame."""
    for base in (page.base_url, sub_path_server):
        page.base_url = base
        assert page.open("examples/worker.html") == "ready"
        assert page.driver.execute_script("return document.getElementById('status').textContent").startswith(
            "Drawn by Python in a worker (requestAnimationFrame)"
        )
        centres = []
        frames = []
        for _ in range(3):
            time.sleep(0.4)
            rgba = page.driver.execute_script(READ_PLACEHOLDER)
            assert len(rgba) == 320 * 200 * 4
            assert rgba[: 4 * 3] == BACKGROUND * 3 and rgba[-4:] == BACKGROUND
            centres.append(ball_centre(rgba, 320))
            frames.append(int(page.driver.execute_script("return document.body.dataset.frames")))
        for x, y in centres:
            assert distance_to_path(x, y) < 1.5, (x, y)
        assert len(set(centres)) == 3, f"the ball did not move: {centres}"
        assert frames == sorted(frames) and frames[-1] > frames[0]
        no_project_js(page)


def run_thumbnails(folder, size: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(DIST_DIR / "examples" / "thumbnails.mjs"), str(folder), str(size)],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_node_example_makes_thumbnails_with_python(tmp_path):
    """examples/thumbnails.mjs: every PNG of a folder, whatever its kind,
    becomes a thumbnail fitting the box, equal to Pillow's bilinear resize;
    other files are skipped and a damaged PNG is reported."""
    photo = sample_photo(300, 200)
    translucent = sample_photo(50, 400).convert("RGBA")
    translucent.putalpha(Image.linear_gradient("L").resize((50, 400)))
    pictures = {
        "photo.png": photo,
        "tall translucent.png": translucent,
        "grey.png": sample_photo(90, 90).convert("L"),
        "palette.png": sample_photo(40, 30).convert("P", palette=Image.Palette.ADAPTIVE, colors=8),
        "tiny.png": sample_photo(3, 2),
    }
    for name, picture in pictures.items():
        picture.save(tmp_path / name)
    (tmp_path / "notes.txt").write_text("not a picture")
    sample_photo(20, 20).save(tmp_path / "photo.jpg")

    result = run_thumbnails(tmp_path, 64)
    assert result.returncode == 0, result.stderr + result.stdout
    expected_sizes = {
        "photo.png": (64, 43),
        "tall translucent.png": (8, 64),
        "grey.png": (64, 64),
        "palette.png": (40, 30),
        "tiny.png": (3, 2),
    }
    lines = result.stdout.splitlines()
    for name, (width, height) in expected_sizes.items():
        assert f"{name}: {width}x{height}" in lines
    assert "notes.txt: skipped, not a PNG file" in lines and "photo.jpg: skipped, not a PNG file" in lines

    for name, size in expected_sizes.items():
        with Image.open(tmp_path / "thumbnails" / name) as thumbnail:
            assert thumbnail.format == "PNG" and thumbnail.mode == "RGBA" and thumbnail.size == size
            source = pictures[name].convert("RGBA")
            expected = source if source.size == size else source.resize(size, Image.Resampling.BILINEAR)
            assert thumbnail.tobytes() == expected.tobytes(), name

    # A damaged file is named, the others still done, and the exit status says so.
    damaged = io.BytesIO()
    photo.save(damaged, format="PNG")
    (tmp_path / "damaged.png").write_bytes(damaged.getvalue()[:300])
    shutil.rmtree(tmp_path / "thumbnails")
    result = run_thumbnails(tmp_path, 32)
    assert result.returncode == 1
    assert "damaged.png: FAILED: cannot read the PNG file: it is truncated" in result.stdout.splitlines()
    assert "photo.png: 32x21" in result.stdout.splitlines()
    assert sorted(path.name for path in (tmp_path / "thumbnails").iterdir()) == sorted(expected_sizes)
