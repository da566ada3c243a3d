"""Pillow's own quantizers in wasmcanvas against real Pillow on the host.

``Image.quantize`` (median cut, maximum coverage, fast octree, k-means),
``convert("P", palette=Image.Palette.ADAPTIVE)`` and ``convert("P")`` /
``convert("PA")`` of "RGBA" images: the same snippets run here with Pillow
and in Pyodide with wasmcanvas, and the outcomes (mode, palette mode and
bytes, index bytes, ``info``; or the exception's type and message) must be
equal, byte for byte. The images: a photo in "RGB", "L", "P" and "RGBA"
(alpha over 0..255, fully transparent pixels included), and 70,000 pixels
of noise, more distinct colours than Pillow's median cut counts before it
coarsens them.
"""

from __future__ import annotations

import random

import pytest
from images import run_snippet, sample_photo, with_alpha
from PIL import Image
from pytest_pyodide import run_in_pyodide


def _sources() -> dict[str, tuple[str, tuple[int, int], bytes]]:
    photo = sample_photo(67, 43)
    rgba = with_alpha(sample_photo(41, 29, seed=4), seed=5)
    rgba.putpixel((0, 0), (9, 8, 7, 0))
    rgba.putpixel((3, 1), (200, 100, 50, 0))
    noise = Image.frombytes("RGB", (350, 200), random.Random(7).randbytes(350 * 200 * 3))
    palette = photo.convert("P")
    images = {"rgb": photo, "l": photo.convert("L"), "rgba": rgba, "noise": noise, "p": palette}
    return {name: (image.mode, image.size, image.tobytes()) for name, image in images.items()} | {
        "p_palette": ("", (0, 0), bytes(palette.getpalette() or []))
    }


SOURCES = _sources()

# The outcome of a snippet that sets `out`: a "P" or "PA" image described.
DESCRIBE = (
    "result = (out.mode, out.size, out.palette.mode, bytes(out.palette.palette), out.tobytes(), "
    "sorted((k, repr(v)) for k, v in out.info.items()))"
)


def _snippets() -> dict[str, str]:
    snippets = {}
    for name in ("rgb", "l", "noise"):
        for method in (0, 1, 2):
            for colors in (2, 16, 256):
                for kmeans in (0, 2) if method != 2 else (0,):
                    if name == "noise" and (colors != 256 or method == 1):
                        continue
                    key = f"{name}-method{method}-colors{colors}-kmeans{kmeans}"
                    snippets[key] = f"out = images[{name!r}].quantize({colors}, {method}, {kmeans})\n{DESCRIBE}"
    for colors in (2, 16, 256):
        snippets[f"rgba-octree-colors{colors}"] = f"out = images['rgba'].quantize({colors})\n{DESCRIBE}"
        snippets[f"rgba-convert-P-colors{colors}"] = f"out = images['rgba'].convert('P', colors={colors})\n{DESCRIBE}"
        snippets[f"rgba-convert-PA-colors{colors}"] = f"out = images['rgba'].convert('PA', colors={colors})\n{DESCRIBE}"
        for name in ("rgb", "l"):
            snippets[f"{name}-adaptive-colors{colors}"] = (
                f"out = images[{name!r}].convert('P', palette=Image.Palette.ADAPTIVE, colors={colors})\n{DESCRIBE}"
            )
    snippets.update(
        {
            "default-is-median-cut": f"out = images['rgb'].quantize()\n{DESCRIBE}",
            "dither-has-no-effect-without-palette": (
                f"out = images['rgb'].quantize(16, dither=Image.Dither.NONE)\n{DESCRIBE}"
            ),
            "kmeans-one-runs-to-no-change": f"out = images['rgb'].quantize(16, 0, 1)\n{DESCRIBE}",
            "palette-image-requantized": f"out = images['p'].quantize(8, 1, 1)\n{DESCRIBE}",
            "info-kept": f"im = images['rgb'].copy()\nim.info['comment'] = b'hi'\nout = im.quantize(4)\n{DESCRIBE}",
            "adaptive-keeps-transparent-colour": (
                "im = images['rgb'].copy()\nim.info['transparency'] = (1, 2, 3)\n"
                f"out = im.convert('P', palette=Image.Palette.ADAPTIVE, colors=8)\n{DESCRIBE}"
            ),
            "adaptive-l-transparency": (
                "im = images['l'].copy()\nim.info['transparency'] = 40\n"
                f"out = im.convert('P', palette=Image.Palette.ADAPTIVE, colors=4)\n{DESCRIBE}"
            ),
            "web-l-transparency": (
                f"im = images['l'].copy()\nim.info['transparency'] = 128\nout = im.convert('P')\n{DESCRIBE}"
            ),
            "web-rgb-transparency-in-palette": (
                "im = images['rgb'].copy()\nim.info['transparency'] = im.getpixel((0, 0))\n"
                f"out = im.convert('P')\n{DESCRIBE}"
            ),
            "web-rgb-transparency-added": (
                "im = images['rgb'].copy()\nim.info['transparency'] = (1, 2, 3)\n"
                f"out = im.convert('P', dither=Image.Dither.NONE)\n{DESCRIBE}"
            ),
            "rgb-convert-PA-adaptive-keeps-no-palette": (
                f"out = images['rgb'].convert('PA', palette=Image.Palette.ADAPTIVE, colors=4)\n{DESCRIBE}"
            ),
            "l-convert-PA-adaptive-keeps-no-palette": (
                f"out = images['l'].convert('PA', palette=Image.Palette.ADAPTIVE)\n{DESCRIBE}"
            ),
            "p-convert-PA-adaptive-keeps-its-palette": (
                f"out = images['p'].convert('PA', palette=Image.Palette.ADAPTIVE, colors=2)\n{DESCRIBE}"
            ),
            "p-convert-P-adaptive-is-a-copy": (
                f"out = images['p'].convert('P', palette=Image.Palette.ADAPTIVE, colors=2)\n{DESCRIBE}"
            ),
            "rgba-round-trip-mode": "result = images['rgba'].quantize().convert().mode",
            "getcolors-of-quantized": "result = sorted(images['rgb'].quantize(3).convert('RGB').getcolors(3))",
            "empty": f"out = Image.new('RGB', (0, 4)).quantize(0, 7)\n{DESCRIBE}",
            "empty-la-adaptive": (
                f"out = Image.new('LA', (3, 0)).convert('P', palette=Image.Palette.ADAPTIVE)\n{DESCRIBE}"
            ),
            "empty-rgba-pa": f"out = Image.new('RGBA', (0, 0)).convert('PA', colors=3)\n{DESCRIBE}",
        }
    )
    errors = {
        "colors-0": "images['rgb'].quantize(0)",
        "colors-257": "images['rgb'].quantize(257, 2)",
        "colors-negative": "images['l'].quantize(-1)",
        "colors-float": "images['rgb'].quantize(2.5)",
        "colors-str": "images['rgb'].quantize('2')",
        "colors-huge": "images['rgb'].quantize(2**40)",
        "method-libimagequant": "images['rgb'].quantize(16, Image.Quantize.LIBIMAGEQUANT)",
        "method-unknown": "images['rgb'].quantize(16, 9)",
        "method-negative": "images['rgb'].quantize(16, -1)",
        "kmeans-negative": "images['rgb'].quantize(16, 0, -1)",
        "kmeans-float": "images['rgb'].quantize(16, 0, 1.5)",
        "rgba-median-cut": "images['rgba'].quantize(16, 0)",
        "rgba-max-coverage": "images['rgba'].quantize(16, Image.Quantize.MAXCOVERAGE)",
        "rgba-libimagequant": "images['rgba'].quantize(16, 3)",
        "la-wrong-mode": "Image.new('LA', (2, 2)).quantize(4)",
        "i-wrong-mode": "Image.new('I', (2, 2)).quantize(4)",
        "one-wrong-mode": "Image.new('1', (2, 2)).quantize(4)",
        "adaptive-colors-0": "images['rgb'].convert('P', palette=Image.Palette.ADAPTIVE, colors=0)",
        "adaptive-la": "Image.new('LA', (2, 2)).convert('P', palette=Image.Palette.ADAPTIVE, colors=4)",
        "adaptive-f": "Image.new('F', (2, 2)).convert('P', palette=Image.Palette.ADAPTIVE)",
        "rgba-convert-P-colors-0": "images['rgba'].convert('P', colors=0)",
        "rgba-convert-PA-colors-300": "images['rgba'].convert('PA', colors=300)",
    }
    snippets.update({f"error-{key}": code for key, code in errors.items()})
    return snippets


SNIPPETS = _snippets()


def _images(image_module):
    images = {name: image_module.frombytes(mode, size, data) for name, (mode, size, data) in SOURCES.items() if mode}
    images["p"].putpalette(SOURCES["p_palette"][2])
    return images


@run_in_pyodide(packages=["wasmcanvas"])
def snippets_in_wasm(selenium, sources, snippets):
    from wasmcanvas import Image

    images = {name: Image.frombytes(mode, size, data) for name, (mode, size, data) in sources.items() if mode}
    images["p"].putpalette(sources["p_palette"][2])
    found = {}
    for key, code in snippets.items():
        scope = {"Image": Image, "images": {name: image.copy() for name, image in images.items()}}
        try:
            exec(code, scope)
        except Exception as error:
            found[key] = ("raises", type(error).__name__, str(error))
        else:
            found[key] = ("value", scope.get("result"))
    return found


@pytest.fixture(scope="module")
def found(selenium_rust_module_scope):
    return snippets_in_wasm(selenium_rust_module_scope, SOURCES, SNIPPETS)


def _plain(value):
    """Lists where Pyodide's round trip may give tuples, and the reverse."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


@pytest.mark.parametrize("key", SNIPPETS)
def test_quantize_matches_pillow(found, key):
    images = _images(Image)
    expected = run_snippet(SNIPPETS[key], {"Image": Image, "images": images})
    assert key.startswith("error-") == (expected[0] == "raises"), expected
    assert _plain(found[key]) == _plain(expected)
