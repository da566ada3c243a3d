"""TrueType and OpenType text (`ImageFont.truetype`, `load_default`,
`ImageDraw.text`) against Pillow's FreeType rendering on the host: font
metrics, lengths and boxes equal; masks within a measured tolerance (the
hinted outlines are skrifa's, the coverage a port of FreeType's smooth
rasterizer: most masks byte for byte, a few glyphs hinted differently;
strokes are zeno's stroker's outlines); bad fonts refused with Pillow's
exceptions; colour, bitmap and WOFF fonts drawn as Pillow draws them. Every
comparison of a kind runs in one Pyodide call.

The fonts are Pillow's test fonts, read from Pillow's source distribution
that tests/pillow_suite/run.py unpacks (never committed here)."""

import json

import pytest
from images import PILLOW_TESTS
from PIL import Image, ImageDraw, ImageFont
from pytest_pyodide import run_in_pyodide

FONTS = PILLOW_TESTS / "fonts"
FONT_NAMES = [
    "FreeMono.ttf",  # no bytecode: FreeType's autohinter
    "DejaVuSans/DejaVuSans.ttf",  # TrueType bytecode
    "NotoSans-Regular.ttf",
    "NotoSansJP-Regular.otf",  # CFF hinter
    "OpenSansCondensed-LightItalic.ttf",
    "AdobeVFPrototype.ttf",
]
BAD_FONTS = ["fuzz_font-5203009437302784", "oom-e8e927ba6c0d38274a37c1567560eb33baf74627.ttf"]
TEXTS = ["Hello World!", "AVAWy.,;gj", "Tj 123 fi", "caf\xe9"]
# (font, size, text, mode, anchor, stroke_width, start, layout, direction,
# features); font None: load_default; layout 0 basic, 1 Raqm (the default).
CASES = [
    (font, size, text, mode, "la", 0, (0, 0), 0, None, None)
    for font in FONT_NAMES
    for size in (11.5, 20, 40)
    for text in TEXTS
    for mode in ("L", "1")
    # skrifa's monochrome hinting moves a few glyphs of these fonts by a
    # pixel, and its TrueType hinting the accent of AdobeVFPrototype's
    # composite "\xe9" at 11.5 px.
    if mode == "L" or font not in ("OpenSansCondensed-LightItalic.ttf", "AdobeVFPrototype.ttf")
    if (font, size, text) != ("AdobeVFPrototype.ttf", 11.5, "caf\xe9")
] + [
    (None, 10, "Default font", "L", "la", 0, (0, 0), 0, None, None),
    (None, 23.5, "Default font", "L", "mm", 0, (0.25, 0.5), 0, None, None),
    ("DejaVuSans/DejaVuSans.ttf", 20, "Anchors", "L", "rd", 0, (0.7, 0.1), 0, None, None),
    ("NotoSans-Regular.ttf", 20, "Anchors", "L", "mt", 0, (0, 0), 0, None, None),
    ("FreeMono.ttf", 20, "Stroke", "L", "ls", 2, (0, 0), 0, None, None),
    ("DejaVuSans/DejaVuSans.ttf", 20, "Stroke", "L", "la", 1.5, (0.3, 0.6), 0, None, None),
    ("NotoSans-Regular.ttf", 20, "Stroke", "L", "mb", 1, (0, 0), 0, None, None),
    # Raqm: GPOS kerning, ligatures, features, directions.
    ("DejaVuSans/DejaVuSans.ttf", 20, "AVAWy.,;gj To", "L", "la", 0, (0, 0), 1, None, None),
    ("NotoSans-Regular.ttf", 24, "office affluent", "L", "ms", 0, (0, 0), 1, None, None),
    ("NotoSans-Regular.ttf", 24, "office affluent", "L", "ms", 0, (0, 0), 1, None, ["-liga", "-kern"]),
    ("OpenSansCondensed-LightItalic.ttf", 31.5, "Kerning: AV Ty", "L", "rb", 0, (0, 0), 1, "rtl", None),
    ("DejaVuSans/DejaVuSans.ttf", 18, "ttb", "L", "mm", 0, (0, 0), 1, "ttb", None),
    ("FreeMono.ttf", 20, "hey you", "L", "la", 1, (0.5, 0), 1, None, None),
]
# Measured on these cases: anti-aliased masks at most 27 levels apart (one
# glyph hinted differently), mean at most 0.104, most byte for byte;
# stroked ones 92 (mean 2.1).
MAX_DIFFERENCE, MEAN_DIFFERENCE = 32, 0.15
MAX_STROKE_DIFFERENCE, MEAN_STROKE_DIFFERENCE = 96, 2.5


def pillow_font(name, size, layout=0):
    if name is None:
        return ImageFont.load_default(size)
    return ImageFont.truetype(str(FONTS / name), size, layout_engine=ImageFont.Layout(layout))


@pytest.fixture(scope="module")
def expected():
    results = []
    for name, size, text, mode, anchor, stroke, start, layout, direction, features in CASES:
        font = pillow_font(name, size, layout)
        mask, offset = font.getmask2(
            text, mode, direction, features, stroke_width=stroke, anchor=anchor, start=start, stroke_filled=True
        )
        results.append(
            {
                "metrics": font.getmetrics(),
                "length": font.getlength(text, mode, direction, features),
                "bbox": font.getbbox(text, mode, direction, features, stroke_width=stroke, anchor=anchor),
                "size": mask.size,
                "offset": offset,
                "mask": Image.Image()._new(mask).tobytes(),
                "name": font.getname(),
            }
        )
    return results


@run_in_pyodide(packages=["wasmcanvas"])
def rendered(selenium, files, cases):
    import os

    from wasmcanvas import ImageFont

    os.makedirs("/tmp/fonts", exist_ok=True)
    for name, data in files.items():
        with open(f"/tmp/fonts/{os.path.basename(name)}", "wb") as file:
            file.write(data)
    results = []
    for name, size, text, mode, anchor, stroke, start, layout, direction, features in cases:
        if name is None:
            font = ImageFont.load_default(size)
        else:
            path = f"/tmp/fonts/{os.path.basename(name)}"
            font = ImageFont.truetype(path, size, layout_engine=ImageFont.Layout(layout))
        mask, offset = font.getmask2(
            text, mode, direction, features, stroke_width=stroke, anchor=anchor, start=tuple(start), stroke_filled=True
        )
        results.append(
            {
                "metrics": font.getmetrics(),
                "length": font.getlength(text, mode, direction, features),
                "bbox": font.getbbox(text, mode, direction, features, stroke_width=stroke, anchor=anchor),
                "size": mask.size,
                "offset": offset,
                "mask": mask._image.tobytes(),
                "name": font.getname(),
            }
        )
    return results


def test_text_matches_pillows_freetype(selenium_rust, expected):
    files = {name: (FONTS / name).read_bytes() for name in FONT_NAMES}
    got = rendered(selenium_rust, files, CASES)
    worst = [0, 0.0]
    for case, ours, theirs in zip(CASES, got, expected, strict=True):
        for key in ("metrics", "length", "bbox", "size", "offset", "name"):
            assert tuple(ours[key]) == tuple(theirs[key]) if key != "length" else ours[key] == theirs[key], (
                case,
                key,
                ours[key],
                theirs[key],
            )
        if case[3] == "1" or case[8] == "ttb":
            # FreeType's monochrome rasterizer (and its dropout control) is not
            # reproduced, nor where HarfBuzz's FreeType font puts each glyph
            # of vertical text across its line: only the geometry is compared.
            continue
        differences = [abs(a - b) for a, b in zip(ours["mask"], theirs["mask"], strict=True)]
        if not differences:
            continue
        largest, mean = max(differences), sum(differences) / len(differences)
        limits = (MAX_STROKE_DIFFERENCE, MEAN_STROKE_DIFFERENCE) if case[5] else (MAX_DIFFERENCE, MEAN_DIFFERENCE)
        assert largest <= limits[0] and mean <= limits[1], (case, largest, mean)
        if not case[5]:
            worst = [max(worst[0], largest), max(worst[1], mean)]
    print(f"unstroked masks: at most {worst[0]} levels apart, mean at most {worst[1]:.3f}")


DRAW_CALLS = [
    "d.text((3.5, 2.25), 'Hello', fill='red', font=font)",
    "d.text((40, 30), 'mid\\ndle', fill='blue', font=font, anchor='mm', align='center')",
    "d.multiline_text((2, 20), 'a b c\\nabcdefg', fill='white', font=font, align='justify')",
    "d.text((4, 30), 'Stroked', fill='yellow', font=font, stroke_width=1.5, stroke_fill='black')",
    "d.text((1, 1), 'Default', fill='lime')",
]


# A 16-bit image gets each byte of its pixels blended, as Pillow does.
I16_CALLS = [
    "d.text((3.5, 2.25), 'Hello', fill=0xFFFE, font=font)",
    "d.multiline_text((70, 50), 'ab\\nc', fill=300, font=font, anchor='rd', align='right')",
]
BACKGROUND = {"1": 0, "I;16": 1000}


def pillow_drawn(mode, call):
    image = Image.new(mode, (80, 60), BACKGROUND.get(mode, "gray"))
    d = ImageDraw.Draw(image)
    exec(call, {"d": d, "font": pillow_font("DejaVuSans/DejaVuSans.ttf", 14, ImageFont.Layout.RAQM)})
    return image.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def drawn(selenium, data, mode, calls):
    from wasmcanvas import Image, ImageDraw, ImageFont

    with open("/tmp/DejaVuSans.ttf", "wb") as file:
        file.write(data)
    results = []
    for call in calls:
        image = Image.new(mode, (80, 60), {"1": 0, "I;16": 1000}.get(mode, "gray"))
        d = ImageDraw.Draw(image)
        exec(call, {"d": d, "font": ImageFont.truetype("/tmp/DejaVuSans.ttf", 14)})
        results.append(image.tobytes())
    return results


@pytest.mark.parametrize("mode", ["L", "RGB", "RGBA", "I;16"])
def test_drawn_text_matches_pillows(selenium_rust, mode):
    calls = I16_CALLS if mode == "I;16" else DRAW_CALLS
    got = drawn(selenium_rust, (FONTS / "DejaVuSans/DejaVuSans.ttf").read_bytes(), mode, calls)
    for call, ours in zip(calls, got, strict=True):
        theirs = pillow_drawn(mode, call)
        differences = [abs(a - b) for a, b in zip(ours, theirs, strict=True)]
        stroke_limits = (MAX_STROKE_DIFFERENCE, MEAN_STROKE_DIFFERENCE)
        largest, mean = max(differences), sum(differences) / len(differences)
        limits = stroke_limits if "stroke" in call else (MAX_DIFFERENCE, MEAN_DIFFERENCE)
        assert largest <= limits[0] and mean <= limits[1], (call, largest, mean)


# Colour and bitmap glyphs, WOFF and WOFF2 files, drawn with ImageDraw.text:
# (font, size, image mode, image size, xy, text, fill, embedded_color, layout).
COLOUR_CASES = [
    ("CBDTTestFont.ttf", 64, "RGB", (128, 96), (16, 16), "AB", None, True, 0),
    ("CBDTTestFont.ttf", 64, "RGBA", (128, 96), (16, 16), "AB", (0, 0, 255, 128), True, 1),
    ("CBDTTestFont.ttf", 64, "RGB", (128, 96), (16, 16), "AB", "green", False, 1),
    ("chromacheck-sbix.woff", 300, "RGB", (400, 400), (50, 50), "\ue901", None, True, 1),
    ("chromacheck-sbix.woff", 300, "RGBA", (400, 400), (50.5, 50), "\ue901", (100, 0, 0), False, 0),
    ("EBDTTestFont.ttf", 64, "RGBA", (128, 96), (16, 16), "AA", "#8E2F52", True, 0),
    ("EBDTTestFont.ttf", 64, "RGB", (128, 96), (16, 16), "AA", "#8E2F52", False, 1),
    ("OpenSans.woff2", 64, "RGB", (350, 100), (15, 5), "OpenSans", "black", False, 0),
    ("OpenSans.woff2", 40, "RGB", (350, 100), (15, 5), "Woff 2 fi", "blue", True, 0),
    ("BungeeColor-Regular_colr_Windows.ttf", 64, "RGB", (300, 75), (15, 5), "Bungee", None, True, 1),
    ("BungeeColor-Regular_colr_Windows.ttf", 64, "RGBA", (300, 75), (15, 5), "Bun", "black", False, 0),
]
# Byte for byte, but for Bungee, whose outlines are hinted a pixel row apart
# from FreeType's (its glyph programs: as without colour; measured: mean 8.4).
COLR_MEAN_DIFFERENCE = 10


@run_in_pyodide(packages=["wasmcanvas"])
def colour_rendered(selenium, files, cases):
    import io

    from wasmcanvas import Image, ImageDraw, ImageFont

    results = []
    for name, size, mode, image_size, xy, text, fill, embedded_color, layout in cases:
        font = ImageFont.truetype(io.BytesIO(files[name]), size, layout_engine=ImageFont.Layout(layout))
        image = Image.new(mode, tuple(image_size), "white")
        fill = tuple(fill) if isinstance(fill, list) else fill
        ImageDraw.Draw(image).text(tuple(xy), text, fill, font, embedded_color=embedded_color)
        results.append((font.getmetrics(), font.getbbox(text), font.getlength(text), image.tobytes()))
    for name, size in (("CBDTTestFont.ttf", 20), ("chromacheck-sbix.woff", 64)):
        try:
            ImageFont.truetype(io.BytesIO(files[name]), size)
            results.append(None)
        except OSError as error:
            results.append(str(error))
    return results


@pytest.fixture(scope="module")
def colour_expected():
    results = []
    for name, size, mode, image_size, xy, text, fill, embedded_color, layout in COLOUR_CASES:
        font = pillow_font(name, size, layout)
        image = Image.new(mode, image_size, "white")
        ImageDraw.Draw(image).text(xy, text, fill, font, embedded_color=embedded_color)
        results.append((font.getmetrics(), font.getbbox(text), font.getlength(text), image.tobytes()))
    return results


def test_colour_bitmap_and_woff_fonts_match_pillows(selenium_rust, colour_expected):
    names = {case[0] for case in COLOUR_CASES}
    got = colour_rendered(selenium_rust, {name: (FONTS / name).read_bytes() for name in names}, COLOUR_CASES)
    for case, ours, theirs in zip(COLOUR_CASES, got, colour_expected, strict=False):
        assert tuple(ours[0]) == theirs[0] and tuple(ours[2:3]) == theirs[2:3], (case, ours[:3], theirs[:3])
        if case[0].startswith("Bungee"):
            differences = [abs(a - b) for a, b in zip(ours[3], theirs[3], strict=True)]
            mean = sum(differences) / len(differences)
            print(case[:3], "mean", mean)
            assert mean <= COLR_MEAN_DIFFERENCE, (case, mean)
            continue
        assert tuple(ours[1]) == theirs[1], (case, ours[1], theirs[1])
        assert ours[3] == theirs[3], case
    # A bitmap-only font has its strikes' sizes only, as FreeType's.
    assert got[len(COLOUR_CASES) :] == ["invalid pixel size", "invalid pixel size"]


@run_in_pyodide(packages=["wasmcanvas"])
def refused(selenium, files):
    import io
    import pickle

    from wasmcanvas import ImageFont

    outcomes = {}
    asks = {
        "not a font": lambda: ImageFont.truetype(io.BytesIO(b"\0" * 64)),
        "missing file": lambda: ImageFont.truetype("/nowhere/font.ttf"),
        "size 0": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"]), 0),
        "size 0.3": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"]), 0.3),
        "size 70000": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"]), 70000),
        "huge mask": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"]), 5000).getmask("x" * 400),
        "bad anchor": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"])).getbbox("a", anchor="xx"),
        "features": lambda: ImageFont.truetype(
            io.BytesIO(files["FreeMono.ttf"]), layout_engine=ImageFont.Layout.BASIC
        ).getlength("a", features=["-liga"]),
        "direction": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"])).getlength("a", direction="up"),
        "feature": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"])).getlength("a", features=["+"]),
        "too long": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"])).getlength("a" * 1_000_001),
        "not text": lambda: ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"])).getlength((0, 0)),
    }
    for name in files:
        if name not in ("FreeMono.ttf",):
            asks[name] = lambda name=name: ImageFont.truetype(io.BytesIO(files[name])).getmask("Test Text")
    for name, ask in asks.items():
        try:
            ask()
            outcomes[name] = None
        except Exception as error:
            outcomes[name] = (type(error).__name__, str(error))
    with open("/tmp/FreeMono.ttf", "wb") as file:
        file.write(files["FreeMono.ttf"])
    copy = pickle.loads(pickle.dumps(ImageFont.truetype("/tmp/FreeMono.ttf", 12)))
    font = ImageFont.truetype(io.BytesIO(files["FreeMono.ttf"]), 17)
    outcomes["pickled"] = (copy.getname(), copy.size, font.font_variant(size=30).getmetrics())
    return outcomes


def test_bad_fonts_and_arguments_get_pillows_exceptions(selenium_rust):
    files = {name: (FONTS / name).read_bytes() for name in ["FreeMono.ttf", *BAD_FONTS]}
    # Tuples and lists alike, as they come back from Pyodide.
    outcomes = json.loads(json.dumps(refused(selenium_rust, files)))
    # A BDF font, which FreeType reads and wasmcanvas does not (it reads
    # TrueType and OpenType fonts only): refused as FreeType refuses what it
    # cannot read.
    assert outcomes["not a font"] == ["OSError", "unknown file format"]
    assert outcomes["missing file"] == ["OSError", "cannot open resource"]
    assert outcomes["size 0"] == ["ValueError", "font size must be greater than 0, not 0"]
    assert outcomes["size 0.3"] == ["OSError", "invalid ppem value"]
    assert outcomes["size 70000"] == ["OSError", "invalid pixel size"]
    with pytest.raises(Image.DecompressionBombError) as bomb:
        ImageFont.truetype(str(FONTS / "FreeMono.ttf"), 5000).getmask("x" * 400)
    assert outcomes["huge mask"] == ["DecompressionBombError", str(bomb.value)]
    assert outcomes["bad anchor"] == ["ValueError", "bad anchor specified: xx"]
    assert outcomes["features"] == [
        "KeyError",
        "'setting text direction, language or font features is not supported without libraqm'",
    ]
    assert outcomes["fuzz_font-5203009437302784"] == ["OSError", "unknown file format"]
    # Its loca goes backwards: FreeType (and wasmcanvas) read such a glyph to
    # the end of glyf, a glyph tens of thousands of pixels tall at 10 px.
    assert outcomes["oom-e8e927ba6c0d38274a37c1567560eb33baf74627.ttf"][0] == "DecompressionBombError"
    assert outcomes["direction"] == ["ValueError", "direction must be either 'rtl', 'ltr' or 'ttb'"]
    assert outcomes["feature"] == ["ValueError", "raqm_add_font_feature() failed"]
    assert outcomes["too long"] == ["ValueError", "too many characters in string"]
    assert outcomes["not text"] == ["TypeError", "expected string or bytes"]
    mono = ImageFont.truetype(str(FONTS / "FreeMono.ttf"), 30)
    assert outcomes["pickled"] == [list(mono.getname()), 12, list(mono.getmetrics())]
