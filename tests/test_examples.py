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


def file_of(image: Image.Image, format: str) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format)
    return out.getvalue()


def mean_difference(a: bytes, b: bytes) -> float:
    return sum(abs(x - y) for x, y in zip(a, b, strict=True)) / len(a)


def run_thumbnails(folder, size: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["node", str(DIST_DIR / "examples" / "thumbnails.mjs"), str(folder), str(size)],
        capture_output=True,
        text=True,
        timeout=180,
    )


def test_the_node_example_makes_thumbnails_with_python(tmp_path):
    """examples/thumbnails.mjs: every PNG, JPEG, GIF, WebP and BMP of a folder becomes a
    thumbnail fitting the box; PNGs, GIFs, WebPs and BMPs equal to Pillow's
    thumbnail of Pillow's decode, JPEGs close to it; other files are skipped and
    a damaged file is reported."""
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
    sample_photo(20, 20).save(tmp_path / "drawing.bmp")
    sample_photo(160, 120).save(tmp_path / "holiday.jpg", quality=90)
    sample_photo(80, 50).convert("P", palette=Image.Palette.ADAPTIVE).save(tmp_path / "anim.gif")
    sample_photo(90, 120).save(tmp_path / "scan.webp", lossless=True)

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
    assert "notes.txt: skipped, not a PNG, JPEG, GIF, WebP or BMP file" in lines
    assert "drawing.bmp: 20x20" in lines
    assert "holiday.jpg: 64x48" in lines and "anim.gif: 64x40" in lines and "scan.webp: 48x64" in lines

    def pillows_thumbnail(source: Image.Image, mode: str) -> Image.Image:
        # Palette files stay "P" (thumbnailed NEAREST, as in Pillow).
        expected = source.convert(mode)
        expected.thumbnail((64, 64))
        return expected

    modes = {
        "photo.png": "RGB",
        "tall translucent.png": "RGBA",
        "grey.png": "L",
        "palette.png": "P",
        "tiny.png": "RGB",
    }
    for name, size in expected_sizes.items():
        with Image.open(tmp_path / "thumbnails" / name) as thumbnail:
            assert (thumbnail.format, thumbnail.mode, thumbnail.size) == ("PNG", modes[name], size)
            expected = pillows_thumbnail(pictures[name], modes[name])
            assert thumbnail.tobytes() == expected.tobytes(), name
            assert thumbnail.getpalette() == expected.getpalette(), name
    with Image.open(tmp_path / "thumbnails" / "anim.gif.png") as thumbnail, Image.open(tmp_path / "anim.gif") as gif:
        assert (thumbnail.format, thumbnail.mode, thumbnail.size) == ("PNG", "P", (64, 40))
        assert thumbnail.tobytes() == pillows_thumbnail(gif, "P").tobytes()
        assert thumbnail.getpalette() == gif.getpalette()
    with Image.open(tmp_path / "thumbnails" / "scan.webp.png") as thumbnail:
        assert thumbnail.tobytes() == pillows_thumbnail(sample_photo(90, 120), "RGB").tobytes()
    with Image.open(tmp_path / "thumbnails" / "drawing.bmp.png") as thumbnail:
        assert thumbnail.tobytes() == sample_photo(20, 20).tobytes()
    with Image.open(tmp_path / "thumbnails" / "holiday.jpg") as thumbnail, Image.open(tmp_path / "holiday.jpg") as jpeg:
        assert thumbnail.format == "JPEG" and thumbnail.size == (64, 48)
        # Saved at quality 75 again: about as close as Pillow's own thumbnail
        # saved the same way.
        resized = pillows_thumbnail(jpeg, "RGB")
        with Image.open(io.BytesIO(file_of(resized, "JPEG"))) as pillows:
            reference = mean_difference(pillows.tobytes(), resized.tobytes())
        assert mean_difference(thumbnail.tobytes(), resized.tobytes()) <= reference * 1.3 + 0.5

    # A damaged file is named, the others still done, and the exit status says so.
    (tmp_path / "damaged.png").write_bytes(file_of(photo, "PNG")[:300])
    shutil.rmtree(tmp_path / "thumbnails")
    result = run_thumbnails(tmp_path, 32)
    assert result.returncode == 1
    assert "damaged.png: FAILED: cannot read the PNG file: it is truncated" in result.stdout.splitlines()
    assert "photo.png: 32x21" in result.stdout.splitlines()
    made = sorted(path.name for path in (tmp_path / "thumbnails").iterdir())
    assert made == sorted([*expected_sizes, "anim.gif.png", "holiday.jpg", "scan.webp.png", "drawing.bmp.png"])


def captioned_by_pillow(picture: Image.Image, name: str, box: int) -> Image.Image:
    """examples/captioned.mjs's card, made by Pillow."""
    from PIL import ImageDraw, ImageFont, ImageOps

    upright = ImageOps.exif_transpose(picture).convert("RGB")
    width, height = upright.size
    upright.thumbnail((box, box))
    card = Image.new("RGB", (upright.width, upright.height + 24), "white")
    card.paste(upright)
    font = ImageFont.load_default(13)
    ImageDraw.Draw(card).text(
        (4, upright.height + 12), f"{name} ({width}x{height})", fill="black", font=font, anchor="lm"
    )
    return card


def test_the_captioned_thumbnails_example_turns_photos_upright_and_names_them(tmp_path):
    """examples/captioned.mjs: a portrait phone photo (EXIF orientation 6)
    comes out portrait; each card is Pillow's, the caption within the text
    rasterizer's tolerance; other files are skipped."""
    photo = sample_photo(320, 200)
    photo.save(tmp_path / "beach.png")
    portrait = Image.new("RGB", (60, 40), (220, 40, 40))
    portrait.paste((40, 200, 60), (30, 0, 60, 20))
    exif = Image.Exif()
    exif[0x0112] = 6
    portrait.save(tmp_path / "phone.jpg", quality=95, exif=exif)
    (tmp_path / "notes.txt").write_text("not a picture")
    result = subprocess.run(
        ["node", str(DIST_DIR / "examples" / "captioned.mjs"), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    lines = result.stdout.splitlines()
    assert lines == ["beach.png: 160x124", "notes.txt: skipped, not a picture wasmcanvas reads", "phone.jpg: 40x84"]
    with Image.open(tmp_path / "captioned" / "beach.png.png") as card:
        expected = captioned_by_pillow(photo, "beach.png", 160)
        assert card.size == expected.size
        assert card.crop((0, 0, 160, 100)).tobytes() == expected.crop((0, 0, 160, 100)).tobytes()
        strip, wanted = card.crop((0, 100, 160, 124)).tobytes(), expected.crop((0, 100, 160, 124)).tobytes()
        assert strip != bytes([255]) * len(strip)
        assert max(abs(a - b) for a, b in zip(strip, wanted, strict=True)) <= TEXT_TOLERANCE
    with Image.open(tmp_path / "captioned" / "phone.jpg.png") as card, Image.open(tmp_path / "phone.jpg") as jpeg:
        expected = captioned_by_pillow(jpeg, "phone.jpg", 160)
        assert card.size == expected.size == (40, 84)
        # Upright: the green corner of the landscape original is now at the bottom right.
        assert mean_difference(card.crop((0, 0, 40, 60)).tobytes(), expected.crop((0, 0, 40, 60)).tobytes()) < 2


# Text is rasterized by our own Rust code, not FreeType (docs/differences.md).
TEXT_TOLERANCE = 48
