"""rust_image's kernels, run in wasm inside Pyodide, against Pillow on the host.

Each test makes a photo-like image with Pillow, sends its RGBA bytes into the
page, runs one `RgbaImage` method there through `rust_image`, reads the bytes
back out of wasm memory and compares them with Pillow's result for the same
operation. Tolerances are stated per test: 0 where the integer arithmetic is
Pillow's own, 1 where Pillow rounds a float sum differently.
"""

from __future__ import annotations

import pytest
from images import max_difference, sample_photo, with_alpha
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps, ImageStat
from pytest_pyodide import run_in_pyodide

WIDTH, HEIGHT = 67, 43
RGB = range(3)


@run_in_pyodide
def run_in_wasm(selenium, width, height, rgba, method, args):
    """Runs `RgbaImage.<method>(*args)` on the image; returns its size, its
    bytes read from wasm memory and the method's result."""
    import js
    import rust_image
    from pyodide.ffi import to_js

    image = rust_image.RgbaImage.from_rgba(width, height, to_js(rgba))
    try:
        result = getattr(image, method)(*args)
        if hasattr(result, "to_py"):
            result = list(result.to_py())
        data = js.Uint8Array.new(rust_image.memory.buffer, image.ptr(), image.len()).to_bytes()
        return image.width, image.height, data, result
    finally:
        image.free()


@pytest.fixture(scope="module")
def photo() -> Image.Image:
    return sample_photo(WIDTH, HEIGHT)


def wasm(selenium, image: Image.Image, method: str, *args):
    rgba = image.convert("RGBA")
    return run_in_wasm(selenium, rgba.width, rgba.height, rgba.tobytes(), method, list(args))


def rgba_bytes(image: Image.Image) -> bytes:
    return image.convert("RGBA").tobytes()


@pytest.mark.parametrize(
    ("method", "args", "pillow", "tolerance"),
    [
        ("grayscale", (), lambda im: im.convert("L"), 0),
        ("invert", (), lambda im: ImageOps.invert(im.convert("RGB")), 0),
        ("brightness", (1.4,), lambda im: ImageEnhance.Brightness(im).enhance(1.4), 1),
        ("brightness", (0.3,), lambda im: ImageEnhance.Brightness(im).enhance(0.3), 1),
        ("contrast", (1.7,), lambda im: ImageEnhance.Contrast(im).enhance(1.7), 1),
        ("contrast", (0.4,), lambda im: ImageEnhance.Contrast(im).enhance(0.4), 1),
        ("threshold", (128,), lambda im: im.convert("L").point(lambda v: 255 if v >= 128 else 0), 0),
        ("extract_channel", (1,), lambda im: im.getchannel("G"), 0),
        ("box_blur", (3,), lambda im: im.filter(ImageFilter.BoxBlur(3)), 1),
        ("box_blur", (1.5,), lambda im: im.filter(ImageFilter.BoxBlur(1.5)), 1),
        ("box_blur", (200,), lambda im: im.filter(ImageFilter.BoxBlur(200)), 1),
        ("gaussian_blur", (3,), lambda im: im.filter(ImageFilter.GaussianBlur(3)), 1),
        ("gaussian_blur", (0.7,), lambda im: im.filter(ImageFilter.GaussianBlur(0.7)), 1),
        ("sharpen", (), lambda im: im.filter(ImageFilter.SHARPEN), 1),
        ("edge_detect", (), lambda im: im.filter(ImageFilter.FIND_EDGES), 1),
        ("emboss", (), lambda im: im.filter(ImageFilter.EMBOSS), 1),
        ("smooth_more", (), lambda im: im.filter(ImageFilter.SMOOTH_MORE), 1),
        ("median", (), lambda im: im.filter(ImageFilter.MedianFilter(3)), 0),
        ("flip_horizontal", (), lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT), 0),
        ("flip_vertical", (), lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM), 0),
        ("rotate90", (), lambda im: im.transpose(Image.Transpose.ROTATE_270), 0),
        ("rotate180", (), lambda im: im.transpose(Image.Transpose.ROTATE_180), 0),
        ("rotate270", (), lambda im: im.transpose(Image.Transpose.ROTATE_90), 0),
        ("resize_nearest", (30, 50), lambda im: im.resize((30, 50), Image.Resampling.NEAREST), 0),
        ("resize_bilinear", (33, 21), lambda im: im.resize((33, 21), Image.Resampling.BILINEAR), 1),
        ("resize_bilinear", (150, 97), lambda im: im.resize((150, 97), Image.Resampling.BILINEAR), 1),
        ("crop_in_place", (5, 7, 20, 11), lambda im: im.crop((5, 7, 25, 18)), 0),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_kernel_matches_pillow_on_a_photo(selenium_rust, photo, method, args, pillow, tolerance):
    # Our images are RGBA; so is Pillow's input (its filters work on alpha too).
    expected = pillow(photo.convert("RGBA")).convert("RGBA")
    width, height, data, _ = wasm(selenium_rust, photo, method, *args)
    assert (width, height) == expected.size
    assert max_difference(data, expected.tobytes(), RGB) <= tolerance
    assert max_difference(data, expected.tobytes(), range(3, 4)) == 0


def test_premultiply_matches_pillow_rgba_to_rgba_premultiplied(selenium_rust, photo):
    translucent = with_alpha(photo)
    _, _, data, _ = wasm(selenium_rust, translucent, "premultiply_alpha")
    assert data == translucent.convert("RGBa").tobytes()


def test_unpremultiply_matches_pillow(selenium_rust, photo):
    premultiplied = with_alpha(photo).convert("RGBa")
    rgba = Image.frombytes("RGBA", premultiplied.size, premultiplied.tobytes())
    _, _, data, _ = wasm(selenium_rust, rgba, "unpremultiply_alpha")
    assert max_difference(data, premultiplied.convert("RGBA").tobytes()) <= 1


def test_histogram_matches_pillow(selenium_rust, photo):
    translucent = with_alpha(photo)
    _, _, _, histogram = wasm(selenium_rust, translucent, "histogram")
    assert histogram == translucent.histogram()


def test_mean_colour_matches_pillow_imagestat(selenium_rust, photo):
    translucent = with_alpha(photo)
    _, _, _, mean = wasm(selenium_rust, translucent, "mean_colour")
    assert mean == pytest.approx(ImageStat.Stat(translucent).mean, abs=1e-9)


@run_in_pyodide
def composite_in_wasm(selenium, width, height, bottom, top, x, y):
    import js
    import rust_image
    from pyodide.ffi import to_js

    destination = rust_image.RgbaImage.from_rgba(width, height, to_js(bottom))
    source = rust_image.RgbaImage.from_rgba(width, height, to_js(top))
    try:
        destination.blend_over(source, x, y)
        return js.Uint8Array.new(rust_image.memory.buffer, destination.ptr(), destination.len()).to_bytes()
    finally:
        destination.free()
        source.free()


def test_blend_over_matches_pillow_alpha_composite(selenium_rust, photo):
    bottom = with_alpha(photo, seed=5)
    top = with_alpha(ImageOps.mirror(photo), seed=6)
    data = composite_in_wasm(selenium_rust, WIDTH, HEIGHT, bottom.tobytes(), top.tobytes(), 0, 0)
    expected = Image.alpha_composite(bottom, top).tobytes()
    assert max_difference(data, expected) <= 1


def test_blend_over_at_an_offset_matches_pillow(selenium_rust, photo):
    bottom = photo.convert("RGBA")
    top = with_alpha(ImageOps.flip(photo), seed=7)
    data = composite_in_wasm(selenium_rust, WIDTH, HEIGHT, bottom.tobytes(), top.tobytes(), 10, -5)
    expected = bottom.copy()
    expected.alpha_composite(top.crop((0, 5, WIDTH - 10, HEIGHT)), dest=(10, 0))
    assert max_difference(data, expected.tobytes()) <= 1


@run_in_pyodide
def draw_in_wasm(selenium, width, height, calls):
    import js
    import rust_image

    image = rust_image.RgbaImage.filled(width, height, 0, 0, 0, 255)
    try:
        for method, args in calls:
            getattr(image, method)(*args)
        return js.Uint8Array.new(rust_image.memory.buffer, image.ptr(), image.len()).to_bytes()
    finally:
        image.free()


def pillow_drawing(width, height, draw_with) -> bytes:
    image = Image.new("RGBA", (width, height), (0, 0, 0, 255))
    draw_with(ImageDraw.Draw(image), image)
    return image.tobytes()


RED, GREEN = (255, 0, 0, 255), (0, 255, 0, 255)


@pytest.mark.parametrize(
    ("calls", "draw_with"),
    [
        ([("draw_rect", (3, 4, 10, 6, *RED, True))], lambda d, im: d.rectangle((3, 4, 12, 9), fill=RED)),
        ([("draw_rect", (3, 4, 10, 6, *RED, False))], lambda d, im: d.rectangle((3, 4, 12, 9), outline=RED)),
        ([("draw_rect", (-4, 15, 40, 40, *RED, True))], lambda d, im: d.rectangle((-4, 15, 35, 54), fill=RED)),
        ([("draw_line", (2, 3, 25, 3, *RED))], lambda d, im: d.line((2, 3, 25, 3), fill=RED)),
        ([("draw_line", (7, 1, 7, 20, *RED))], lambda d, im: d.line((7, 1, 7, 20), fill=RED)),
        ([("draw_line", (1, 1, 18, 18, *RED))], lambda d, im: d.line((1, 1, 18, 18), fill=RED)),
        (
            [("draw_rect", (5, 5, 12, 10, *RED, False)), ("flood_fill", (8, 8, *GREEN))],
            lambda d, im: (d.rectangle((5, 5, 16, 14), outline=RED), ImageDraw.floodfill(im, (8, 8), GREEN)),
        ),
        ([("flood_fill", (0, 0, *GREEN))], lambda d, im: ImageDraw.floodfill(im, (0, 0), GREEN)),
    ],
    ids=[
        "filled-rect",
        "outlined-rect",
        "clipped-rect",
        "horizontal-line",
        "vertical-line",
        "diagonal-line",
        "fill-inside-outline",
        "fill-everything",
    ],
)
def test_drawing_matches_pillow_imagedraw(selenium_rust, calls, draw_with):
    assert draw_in_wasm(selenium_rust, 30, 24, calls) == pillow_drawing(30, 24, draw_with)


@pytest.mark.parametrize(("x0", "y0", "x1", "y1"), [(0, 0, 29, 7), (3, 20, 25, 2), (28, 1, 2, 22), (5, 5, 9, 23)])
def test_sloped_lines_match_pillow_within_one_pixel_step(selenium_rust, x0, y0, x1, y1):
    """Bresenham and Pillow agree on both ends and on how many pixels a line
    covers; they may round a midpoint the other way, so each drawn pixel must
    touch (8-neighbourhood) one of Pillow's."""
    ours = draw_in_wasm(selenium_rust, 30, 24, [("draw_line", (x0, y0, x1, y1, *RED))])
    theirs = pillow_drawing(30, 24, lambda d, im: d.line((x0, y0, x1, y1), fill=RED))

    def lit(data):
        return {(i // 4 % 30, i // 4 // 30) for i in range(0, len(data), 4) if data[i] == 255}

    mine, pillows = lit(ours), lit(theirs)
    assert {(x0, y0), (x1, y1)} <= mine & pillows
    assert len(mine) == len(pillows) == max(abs(x1 - x0), abs(y1 - y0)) + 1
    assert all(any(abs(x - px) <= 1 and abs(y - py) <= 1 for px, py in pillows) for x, y in mine)
