"""The differential corpus: everyday Pillow snippets, written as Pillow's
tutorial and ordinary scripts write them, run unchanged on the host with
Pillow and in the page with wasmcanvas (only the import differs), on an
opaque RGB photo and a translucent RGBA one. Results are compared byte for
byte (images: mode, size and bytes; everything else: the value; errors:
their type and message). No snippet needs a tolerance: every result is
Pillow's to the byte."""

from __future__ import annotations

import importlib
import io
import pickle
import re
import textwrap
import zlib
from pathlib import Path
from typing import Any

from images import sample_photo, with_alpha
from PIL import Image
from pytest_pyodide import run_in_pyodide

OPAQUE = sample_photo(96, 72, seed=11)
TRANSLUCENT = with_alpha(sample_photo(83, 61, seed=12), seed=13)

SNIPPETS: list[str] = [
    # modes
    'return im.convert("L")',
    'return im.convert("RGB")',
    'return im.convert("RGBA")',
    'return im.convert("LA")',
    'return im.convert("L").convert("RGB")',
    "return im.mode, im.size, im.width, im.height, im.getbands()",
    # sizes
    "return im.resize((64, 48))",
    "return im.resize((64, 48), Image.Resampling.LANCZOS)",
    "return im.resize((200, 150), Image.Resampling.NEAREST)",
    "return im.resize((im.width // 2, im.height // 2), Image.BILINEAR)",
    "return im.resize((50, 40), Image.Resampling.BOX, box=(10, 10, 70, 50))",
    "return im.resize((30, 20), Image.Resampling.HAMMING, reducing_gap=2.0)",
    "return im.reduce(3)",
    "return im.reduce((2, 3))",
    "thumb = im.copy()\nthumb.thumbnail((40, 40))\nreturn thumb",
    "small = im.copy()\nsmall.thumbnail((128, 30), Image.Resampling.LANCZOS)\nreturn small.size, small",
    # turns and warps
    "return im.rotate(45)",
    "return im.rotate(30, expand=True)",
    "return im.rotate(90)",
    "return im.rotate(90, expand=True)",
    'return im.rotate(-17.5, resample=Image.Resampling.BICUBIC, expand=True, fillcolor="white")',
    "return im.rotate(10, Image.BILINEAR, center=(0, 0), translate=(5, -3))",
    "return im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)",
    "return im.transpose(Image.Transpose.ROTATE_90)",
    "return im.transpose(Image.Transpose.TRANSVERSE)",
    "return im.transpose(Image.ROTATE_270)",
    "return im.transform((60, 40), Image.Transform.AFFINE, (1, 0.2, 5, 0.1, 1, 3), Image.Resampling.BILINEAR)",
    "return im.transform((50, 50), Image.Transform.EXTENT, (10, 10, 60, 40))",
    "return im.transform((80, 60), Image.Transform.QUAD, (0, 0, 10, 70, 90, 60, 80, 5), Image.BICUBIC)",
    "return im.transform(im.size, Image.PERSPECTIVE, (1, 0.1, 0, 0.05, 1, 0, 0.001, 0.0005))",
    # crops and pixels
    "return im.crop((10, 20, 70, 60))",
    "return im.crop((-5, -5, 30, 30))",
    "return im.crop((10.4, 5.5, 50.6, 40.5))",
    "return im.getpixel((10, 10)), im.getpixel((-1, -1))",
    "return im.get_flattened_data()[:5], im.get_flattened_data(1)[-4:]",
    'return im.convert("L").get_flattened_data()[100:110]',
    "out = im.copy()\nout.putpixel((3, 4), (255, 0, 0))\nreturn out",
    "px = im.load()\nreturn px[2, 3], px[40, 30]",
    'return list(im.convert("L").resize((4, 3)).tobytes())',
    "return im.copy() == im, im.copy().tobytes() == im.tobytes()",
    # filters
    "return im.filter(ImageFilter.BLUR)",
    "return im.filter(ImageFilter.GaussianBlur(3))",
    "return im.filter(ImageFilter.GaussianBlur(radius=(1, 4)))",
    "return im.filter(ImageFilter.SHARPEN)",
    "return im.filter(ImageFilter.FIND_EDGES)",
    "return im.filter(ImageFilter.EMBOSS)",
    "return im.filter(ImageFilter.DETAIL).filter(ImageFilter.SMOOTH)",
    "return im.filter(ImageFilter.MedianFilter(5))",
    "return im.filter(ImageFilter.UnsharpMask(2, 150, 3))",
    "return im.filter(ImageFilter.BoxBlur(2))",
    "return im.filter(ImageFilter.Kernel((3, 3), [-1, -1, -1, -1, 9, -1, -1, -1, -1]))",
    "return im.filter(ImageFilter.MaxFilter(3)), im.filter(ImageFilter.MinFilter(3))",
    'return im.convert("L").filter(ImageFilter.CONTOUR)',
    'return im.convert("L").filter(ImageFilter.EDGE_ENHANCE_MORE)',
    # point tables
    "return im.point(lambda v: v * 1.5)",
    "return im.point(lambda v: 255 if v > 128 else 0)",
    'return im.convert("L").point(lambda v: 255 if v > 100 else 0)',
    'return im.convert("L").point([255 - v for v in range(256)])',
    'return im.convert("RGB").point([min(255, v * 2) for v in range(256)] * 3)',
    # bands
    'r, g, b = im.convert("RGB").split()\nreturn Image.merge("RGB", (b, g, r))',
    'return im.getchannel(0), im.getchannel("G")',
    "return im.split()",
    'out = im.convert("RGB")\nout.putalpha(128)\nreturn out',
    'out = im.convert("RGB")\nout.putalpha(im.convert("L"))\nreturn out',
    'grey = im.convert("L")\ngrey.putalpha(200)\nreturn grey',
    # analysis
    "return im.histogram()",
    'return im.convert("L").histogram()',
    'return im.histogram(im.convert("L").point(lambda v: 255 if v > 90 else 0))',
    "return im.getbbox()",
    'return im.crop((-10, -10, 40, 40)).getbbox(), Image.new("RGB", (5, 5)).getbbox()',
    "return im.getextrema()",
    'return im.convert("L").getextrema()',
    'return im.convert("L").point(lambda v: v // 64 * 64).getcolors()',
    "return im.getcolors(), im.getcolors(10**6) is not None",
    "return im.entropy()",
    # compositing
    'bg = Image.new("RGB", (120, 90), "navy")\nbg.paste(im.resize((60, 45)), (30, 20))\nreturn bg',
    'bg = Image.new(im.mode, im.size, "white")\nbg.paste(im.transpose(Image.FLIP_LEFT_RIGHT), (0, 0), im.convert("L"))\nreturn bg',
    "out = im.copy()\nout.paste((255, 0, 0), (10, 10, 40, 30))\nreturn out",
    'out = im.copy()\nout.paste("orange", (5, 5, 25, 15))\nreturn out',
    "out = im.copy()\nout.paste(im.crop((0, 0, 20, 20)), (-5, 60))\nreturn out",
    "return Image.blend(im, im.transpose(Image.FLIP_TOP_BOTTOM), 0.3)",
    'return Image.composite(im, Image.new(im.mode, im.size, "black"), im.convert("L"))',
    'return Image.alpha_composite(im.convert("RGBA"), Image.new("RGBA", im.size, (255, 0, 0, 100)))',
    'base = Image.new("RGBA", (120, 100), (20, 20, 20, 255))\nbase.alpha_composite(im.convert("RGBA"), (10, 5))\nreturn base',
    'base = Image.new("RGBA", (60, 50), "white")\nbase.alpha_composite(im.convert("RGBA"), (0, 0), (10, 10, 50, 40))\nreturn base',
    # new images
    'return Image.new("L", (40, 30), 128), Image.new("RGBA", (10, 10), "#ff000080")',
    'return Image.new("RGB", (8, 6), "hsl(120, 100%, 25%)"), Image.new("LA", (3, 3), (90, 20))',
    'return Image.frombytes("L", (4, 2), bytes(range(0, 256, 32)))',
    'return Image.frombytes("RGB", (2, 2), bytes(range(12))).tobytes()',
    # ImageOps
    "return ImageOps.grayscale(im)",
    'return ImageOps.invert(im.convert("RGB"))',
    "return ImageOps.mirror(im), ImageOps.flip(im)",
    'return ImageOps.autocontrast(im.convert("RGB"))',
    'return ImageOps.autocontrast(im.convert("L"), cutoff=5)',
    'return ImageOps.autocontrast(im.convert("RGB"), cutoff=(2, 10), preserve_tone=True)',
    'return ImageOps.autocontrast(im.convert("RGB"), ignore=[0, 255])',
    'return ImageOps.equalize(im.convert("RGB"))',
    'grey = im.convert("L")\nreturn ImageOps.equalize(grey, mask=grey.point(lambda v: 255 if v > 60 else 0))',
    'dark = im.convert("L").point(lambda v: 255 if v < 128 else 0)\nreturn ImageOps.autocontrast(im.convert("RGB"), 3, mask=dark)',
    'dark = im.convert("L").point(lambda v: 255 if v < 128 else 0)\n'
    'return ImageOps.autocontrast(im.convert("RGB"), mask=dark, preserve_tone=True)',
    'return ImageOps.posterize(im.convert("RGB"), 3)',
    'return ImageOps.solarize(im.convert("RGB"), 100)',
    'return ImageOps.colorize(im.convert("L"), "black", "orange")',
    'return ImageOps.colorize(im.convert("L"), (0, 0, 80), "white", mid="red", blackpoint=20, whitepoint=230, midpoint=110)',
    'return ImageOps.pad(im, (100, 100), color="gray")',
    "return ImageOps.pad(im, (60, 90), centering=(0, 1))",
    "return ImageOps.fit(im, (50, 50))",
    "return ImageOps.fit(im, (40, 60), bleed=0.1, centering=(0.2, 0.8))",
    "return ImageOps.contain(im, (64, 64)), ImageOps.cover(im, (64, 64))",
    'return ImageOps.expand(im, border=5, fill="red")',
    "return ImageOps.expand(im, border=(3, 1, 4, 2))",
    "return ImageOps.scale(im, 0.5), ImageOps.scale(im, 1.3, Image.Resampling.BILINEAR)",
    "return ImageOps.crop(im, 4)",
    "try:\n    ImageOps.invert(im)\nexcept OSError as error:\n    return str(error)\nreturn 'no error'",
    # ImageEnhance
    "return ImageEnhance.Brightness(im).enhance(1.4)",
    "return ImageEnhance.Contrast(im).enhance(0.6)",
    'return ImageEnhance.Color(im).enhance(0.0), ImageEnhance.Color(im.convert("L")).enhance(2.0)',
    "return ImageEnhance.Sharpness(im).enhance(2.0)",
    # ImageChops
    "return ImageChops.difference(im, im.filter(ImageFilter.BLUR))",
    "return ImageChops.multiply(im, im.transpose(Image.FLIP_LEFT_RIGHT))",
    "return ImageChops.add(im, im, scale=2.0, offset=10)",
    "return ImageChops.subtract(im, im.rotate(180), 1.5, 30)",
    "return ImageChops.invert(im), ImageChops.offset(im, 10, 5)",
    "return ImageChops.screen(im, im.resize((40, 40))), ImageChops.lighter(im, im.rotate(90))",
    'return ImageChops.soft_light(im, Image.new(im.mode, im.size, "gray"))',
    # ImageDraw
    'out = im.copy()\ndraw = ImageDraw.Draw(out)\ndraw.rectangle((5, 5, 40, 30), outline="yellow", width=3)\n'
    "draw.line((0, 0) + out.size, fill=(255, 0, 0), width=2)\nreturn out",
    'out = im.copy()\ndraw = ImageDraw.Draw(out)\ndraw.ellipse((10, 10, 60, 50), fill="blue", outline="white")\n'
    'draw.polygon([(5, 60), (30, 40), (50, 65)], fill="green")\nreturn out',
    'out = im.copy()\ndraw = ImageDraw.Draw(out)\ndraw.pieslice((10, 10, 70, 60), 30, 300, fill="purple")\n'
    'draw.rounded_rectangle((40, 5, 80, 40), radius=8, fill="white", outline="black", width=2)\nreturn out',
    'out = im.copy()\nImageDraw.Draw(out).arc((5, 5, 70, 55), 0, 270, fill="cyan", width=4)\n'
    'ImageDraw.Draw(out).chord((20, 20, 60, 50), 45, 225, fill="red")\nreturn out',
    'grey = im.convert("L")\nImageDraw.Draw(grey).ellipse((10, 10, 50, 40), fill=200, outline=0)\nreturn grey',
    "out = im.copy()\nImageDraw.Draw(out).point([(1, 1), (5, 9), (20, 3)], fill=(0, 255, 0))\nreturn out",
    'out = im.copy()\nImageDraw.floodfill(out, (1, 1), ImageColor.getcolor("red", out.mode), thresh=40)\nreturn out',
    'grey = im.convert("L")\nImageDraw.floodfill(grey, (50, 40), 255, border=None, thresh=30)\nreturn grey',
    # ImageStat
    "stat = ImageStat.Stat(im)\nreturn stat.mean, stat.median, stat.extrema, stat.count",
    "stat = ImageStat.Stat(im)\nreturn stat.stddev, stat.var, stat.rms, stat.sum",
    'grey = im.convert("L")\nreturn ImageStat.Stat(grey, grey.point(lambda v: 255 if v > 90 else 0)).mean',
    # files
    'buffer = io.BytesIO()\nim.save(buffer, "PNG")\nbuffer.seek(0)\nreopened = Image.open(buffer)\n'
    "return reopened.format, reopened",
    'buffer = io.BytesIO()\nim.convert("L").save(buffer, format="PNG")\nreturn Image.open(io.BytesIO(buffer.getvalue()))',
    'buffer = io.BytesIO()\nim.convert("RGB").save(buffer, "JPEG", quality=95)\nreopened = Image.open(buffer)\n'
    "return reopened.format, reopened.mode, reopened.size",
]


def run_snippets(modules: dict[str, Any], sources: list[str], pictures: list[Any]) -> list[list[Any]]:
    """Every snippet on every picture, its result made comparable."""

    def comparable(value: Any) -> Any:
        if hasattr(value, "tobytes") and hasattr(value, "mode"):
            return ("image", value.mode, value.size, value.tobytes())
        if isinstance(value, (tuple, list)):
            return type(value)(comparable(item) for item in value)
        return value

    results = []
    for source in sources:
        namespace = dict(modules)
        exec("def snippet(im):\n" + textwrap.indent(source, "    "), namespace)
        row = []
        for picture in pictures:
            try:
                row.append(comparable(namespace["snippet"](picture)))
            except Exception as error:
                row.append(("error", type(error).__name__, str(error)))
        results.append(row)
    return results


# The modules a snippet may use, the same names in Pillow and wasmcanvas.
MODULES = ("Image", "ImageChops", "ImageColor", "ImageDraw", "ImageEnhance", "ImageFilter", "ImageOps", "ImageStat")


@run_in_pyodide(packages=["wasmcanvas"])
def in_the_page(selenium, sources, pictures, runner_source, module_names):
    import io

    import wasmcanvas

    namespace = {}
    exec(runner_source, namespace)
    images = [wasmcanvas.Image.frombytes(mode, size, data) for mode, size, data in pictures]
    modules = {"io": io, **{name: getattr(wasmcanvas, name) for name in module_names}}
    import pickle
    import zlib

    # Packed: pictures cross from Pyodide as text, which costs more than compressing them.
    return zlib.compress(pickle.dumps(namespace["run_snippets"](modules, sources, images)), 1)


def difference(ours: Any, pillows: Any) -> int | None:
    """The largest byte difference between two results (0 when equal), or
    None when they cannot be compared byte by byte."""
    if ours == pillows:
        return 0
    if isinstance(ours, tuple) and isinstance(pillows, tuple) and len(ours) == len(pillows):
        if ours[:1] == pillows[:1] == ("image",) and ours[1:3] == pillows[1:3]:
            return max(abs(a - b) for a, b in zip(ours[3], pillows[3], strict=True))
        parts = [difference(a, b) for a, b in zip(ours, pillows, strict=True)]
        return None if None in parts else max(parts)  # type: ignore[type-var]
    return None


def test_the_corpus_gives_pillows_results(selenium_rust):
    import inspect

    assert len(SNIPPETS) >= 80
    modules = {"io": io, **{name: importlib.import_module(f"PIL.{name}") for name in MODULES}}
    pictures = [OPAQUE, TRANSLUCENT]
    expected = run_snippets(modules, SNIPPETS, pictures)
    runner = "import textwrap\nfrom typing import Any\n\n" + inspect.getsource(run_snippets)
    sent = [(picture.mode, picture.size, picture.tobytes()) for picture in pictures]
    got = pickle.loads(zlib.decompress(in_the_page(selenium_rust, SNIPPETS, sent, runner, MODULES)))
    failures = []
    for source, ours_row, pillows_row in zip(SNIPPETS, got, expected, strict=True):
        for picture, ours, pillows in zip(("RGB", "RGBA"), ours_row, pillows_row, strict=True):
            worst = difference(ours, pillows)
            if worst != 0:
                shown = ours if worst is None else f"bytes differ by up to {worst}"
                failures.append(f"{picture}: {source!r}: {str(shown)[:300]} / Pillow: {str(pillows)[:300]}")
    assert failures == [], f"{len(failures)} mismatches:\n" + "\n".join(failures)


README = Path(__file__).resolve().parent.parent / "README.md"


def readme_scripts() -> dict[str, str]:
    """The README's side-by-side scripts, by the name of their column."""
    found = re.findall(r"<!-- side-by-side: (\w+) -->\s*```python\n(.*?)```", README.read_text(), re.S)
    return dict(found)


@run_in_pyodide(packages=["wasmcanvas"])
def run_script_in_the_page(selenium, script, photo):
    import os

    os.makedirs("/tmp/readme", exist_ok=True)
    os.chdir("/tmp/readme")
    with open("photo.png", "wb") as file:
        file.write(photo)
    exec(script, {})
    with open("out.png", "rb") as file:
        return file.read()


def test_the_readme_script_gives_pillows_pixels(selenium_rust, tmp_path, monkeypatch):
    """The README shows a Pillow script and the same script on wasmcanvas:
    only the import line differs, and both write the same pixels."""
    scripts = readme_scripts()
    assert set(scripts) == {"pillow", "wasmcanvas"}
    pillow_script, ours = scripts["pillow"], scripts["wasmcanvas"]
    assert pillow_script.splitlines()[0].startswith("from PIL import ")
    assert pillow_script.replace("from PIL import", "from wasmcanvas import", 1) == ours
    photo = io.BytesIO()
    sample_photo(240, 180, seed=21).save(photo, "PNG")
    (tmp_path / "photo.png").write_bytes(photo.getvalue())
    monkeypatch.chdir(tmp_path)
    exec(pillow_script, {})
    written = run_script_in_the_page(selenium_rust, ours, photo.getvalue())
    with Image.open(tmp_path / "out.png") as pillows, Image.open(io.BytesIO(written)) as ours_read:
        assert (ours_read.format, ours_read.mode, ours_read.size) == ("PNG", pillows.mode, pillows.size)
        assert ours_read.tobytes() == pillows.tobytes()
