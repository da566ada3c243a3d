"""`wasmcanvas.ImageFont`'s PIL bitmap fonts give Pillow's boxes, lengths,
masks and drawn pixels, malformed ones Pillow's exceptions (TrueType fonts:
tests/test_text.py).

The font is one of Pillow's test fonts, read at test time from Pillow's
source distribution that tests/pillow_suite/run.py unpacks (never committed
here)."""

import io
import struct

import pytest
from images import PILLOW_TESTS, sample_photo, with_alpha
from PIL import Image, ImageDraw, ImageFont
from pytest_pyodide import run_in_pyodide

FONTS = PILLOW_TESTS / "fonts"
FONT = FONTS / "10x20.pil"
# The .pil metrics file and its glyph sheet, as Pyodide's file system gets them.
FONT_FILES = {name: (FONTS / name).read_bytes() for name in ("10x20.pil", "10x20.pbm")}

PICTURE = with_alpha(sample_photo(64, 48, seed=41), seed=42)

STRINGS = ["A", "Hello", "ab\0cd", b"bytes \xe9\xff", "caf\xe9 ~ \xa9", "x" * 300]

DRAW_CALLS = [
    "d.text((2, 3), 'Hi!', font=font)",
    "d.text((-4.7, 20.9), 'Edge', fill='red', font=font)",
    "d.text((5.5, 1.25), b'caf\\xe9', fill='#0000ff80', font=font)",
    "d.text((56, 33), 'past the end', fill='white', font=font)",
    "d.text((32, 24), 'mid', fill='lime', font=font, anchor='mm')",
    "d.text((1, 1), 'one\\ntwo\\nthree', fill='yellow', font=font, spacing=1)",
    "d.multiline_text((40, 30), 'ab\\nc', fill='red', font=font, anchor='rd', align='right')",
    "d.multiline_text((30, 2), 'abc\\nd', fill='navy', font=font, anchor='ma', align='center', spacing=-3)",
    "d.text((0, 0), 'a b c\\nabcdef', fill='orange', font=font, align='justify')",
    "d.text((4, 4), 'ab\\ncd', fill='red', font=font, direction='ttb')",
    "d.text((3, 3), 'Stroke', fill='red', font=font, stroke_width=2, stroke_fill='blue')",
    "d.text((3, 9), 'Ink', font=font)",
    "d.text((0, 20), 'AT', fill='#09c80763', font=ImageFont.TransposedFont(font, Image.Transpose.ROTATE_90))",
    "d.font = font; d.text((10, 10), 'own', fill='white')",
    "d.text((10, 10), '\\nempty\\n\\n', fill='white', font=font)",
]


def pillow_font() -> ImageFont.ImageFont:
    return ImageFont.load(str(FONT))


def pillow_drawn(mode: str, call: str) -> bytes:
    im = PICTURE.convert(mode)
    d = ImageDraw.Draw(im)
    exec(call, {"d": d, "font": pillow_font(), "Image": Image, "ImageFont": ImageFont})
    return im.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def drawn(selenium, files, size, picture, mode, calls):
    import os

    from wasmcanvas import Image, ImageDraw, ImageFont

    os.makedirs("/tmp/fonts", exist_ok=True)
    for name, data in files.items():
        with open(f"/tmp/fonts/{name}", "wb") as file:
            file.write(data)
    font = ImageFont.load("/tmp/fonts/10x20.pil")
    results = []
    for call in calls:
        with Image.frombytes("RGBA", size, picture) as rgba, rgba.convert(mode) as im:
            d = ImageDraw.Draw(im)
            exec(call, {"d": d, "font": font, "Image": Image, "ImageFont": ImageFont})
            results.append(im.tobytes())
    return results


@pytest.mark.parametrize("mode", ["L", "LA", "RGB", "RGBA"])
def test_text_is_drawn_with_pillows_pixels(selenium_rust, mode):
    results = drawn(selenium_rust, FONT_FILES, PICTURE.size, PICTURE.tobytes(), mode, DRAW_CALLS)
    assert [call for call, got in zip(DRAW_CALLS, results, strict=True) if got != pillow_drawn(mode, call)] == []


def test_the_calls_change_pixels():
    assert all(pillow_drawn("RGB", call) != PICTURE.convert("RGB").tobytes() for call in DRAW_CALLS)


MEASURES = [
    "d.textbbox((0, 0), 'test', font=font)",
    "d.textbbox((3.5, 4.7), 'ab\\ncde', font=font, anchor='ma', align='right')",
    "d.textbbox((10, 10), 'ab\\ncde\\nf', font=font, anchor='rd', spacing=0)",
    "d.textbbox((1, 2), 'x\\ny', font=font, direction='ttb')",
    "d.multiline_textbbox((0, 0), 'a b\\nabcdefg', font=font, align='justify', stroke_width=3)",
    "d.textbbox((0, 0), '', font=font)",
    "d.textlength('Hello', font=font)",
    "d.textlength(b'\\xff\\xfe', font=font)",
    "d.textlength('', font=font)",
    "font.getbbox(bytearray(b'abc'))",
    "font.getlength('')",
]


def pillow_measures() -> list[object]:
    d = ImageDraw.Draw(Image.new("RGB", (8, 8)))
    return [eval(call, {"d": d, "font": pillow_font()}) for call in MEASURES]


@run_in_pyodide(packages=["wasmcanvas"])
def measured(selenium, files, calls, strings):
    import os

    from wasmcanvas import Image, ImageDraw, ImageFont

    os.makedirs("/tmp/fonts", exist_ok=True)
    for name, data in files.items():
        with open(f"/tmp/fonts/{name}", "wb") as file:
            file.write(data)
    font = ImageFont.load("/tmp/fonts/10x20.pil")
    d = ImageDraw.Draw(Image.new("RGB", (8, 8)))
    measures = [eval(call, {"d": d, "font": font}) for call in calls]
    fonts = []
    for text in strings:
        mask = font.getmask(text)
        fonts.append((font.getbbox(text), font.getlength(text), mask.mode, mask.size, mask.tobytes()))
    return measures, fonts, font.file, font.info


def test_boxes_lengths_and_masks_are_pillows(selenium_rust):
    measures, fonts, file, info = measured(selenium_rust, FONT_FILES, MEASURES, STRINGS)
    assert [tuple(m) if isinstance(m, list) else m for m in measures] == pillow_measures()
    font = pillow_font()
    expected = []
    for text in STRINGS:
        mask = Image.Image()._new(font.getmask(text)).convert("L")
        expected.append((font.getbbox(text), font.getlength(text), "L", mask.size, mask.tobytes()))
    assert [(tuple(b), n, m, tuple(s), data) for b, n, m, s, data in fonts] == expected
    assert (file, info) == ("/tmp/fonts/10x20.pbm", font.info)


def pil_font(*glyph: int, header: bytes = b"PILfont\n;;;;;;10;\nDATA\n", count: int = 256) -> bytes:
    return header + struct.pack(">10h", *glyph) * count


# (name, .pil bytes, glyph sheet size, what is asked): each malformed font or
# text is refused as Pillow refuses it.
GOOD_GLYPH = (10, 0, 0, -15, 10, 5, 0, 0, 10, 20)
BAD_FONTS = [
    ("not a PIL font", b"PILfont?\nDATA\n", (10, 20), "getbbox"),
    ("short table", pil_font(*GOOD_GLYPH, count=255), (10, 20), "getbbox"),
    ("no table", b"PILfont\n\n", (10, 20), "getbbox"),
    ("glyph box differs from its source", pil_font(3, 0, 0, 0, 2, 1, 0, 0, 1, 1), (1, 1), "getmask"),
    ("width overflows", pil_font(32767, 0, 0, 0, 0, 0, 0, 0, 0, 0), (1, 1), "long"),
    ("width underflows", pil_font(-32767, 0, 0, 0, 0, 0, 0, 0, 0, 0), (1, 1), "long"),
    ("decompression bomb", pil_font(1, 0, 0, 0, 256, 256, 0, 0, 256, 256), (256, 256), "bomb"),
    ("text beyond Latin-1", pil_font(*GOOD_GLYPH), (10, 20), "unicode"),
    ("too many characters", pil_font(*GOOD_GLYPH), (10, 20), "too long"),
]
# Asked of each font, as Python source with `font` bound.
ASKS = {
    "getbbox": "font.getbbox('A')",
    "getmask": "font.getmask('A')",
    "long": "font.getlength('A' * 100_000)",
    "bomb": "font.getmask('A' * 1_000_000)",
    "unicode": "font.getbbox('\u2019')",
    "too long": "font.getlength('A' * 1_000_001)",
}


def pillow_refusal(data: bytes, size: tuple[int, int], ask: str) -> tuple[str, str]:
    font = ImageFont.ImageFont()
    try:
        font._load_pilfont_data(io.BytesIO(data), Image.new("L", size))
        eval(ASKS[ask], {"font": font})
    except Exception as error:
        return type(error).__name__, str(error)
    raise AssertionError("Pillow accepted it")


@run_in_pyodide(packages=["wasmcanvas"])
def refusals(selenium, cases, asks):
    import io

    from wasmcanvas import Image, ImageFont

    outcomes = []
    for _, data, size, ask in cases:
        font = ImageFont.ImageFont()
        try:
            font._load_pilfont_data(io.BytesIO(data), Image.new("L", tuple(size)))
            eval(asks[ask], {"font": font})
        except Exception as error:
            outcomes.append((type(error).__name__, str(error)))
        else:
            outcomes.append(None)
    return outcomes


def test_malformed_fonts_raise_pillows_exceptions(selenium_rust):
    outcomes = refusals(selenium_rust, BAD_FONTS, ASKS)
    for (name, data, size, ask), outcome in zip(BAD_FONTS, outcomes, strict=True):
        kind, message = pillow_refusal(data, size, ask)
        assert outcome is not None, name
        assert outcome[0] == kind, name
        # Pillow's SystemError only says its C method failed; ours says why.
        if kind == "SystemError":
            assert outcome[1] == "glyph 65 of the font does not fit its box: images do not match"
        else:
            assert outcome[1] == message, name


# Pillow's test_oom font: every glyph reaches far outside a 1x1 sheet (its
# 1,000,000 glyphs make a mask wider than wasmcanvas's 16384 pixels).
OUTSIDE_GLYPH = (1, 0, -32767, -32767, 32767, 32767, -32767, -32767, 32767, 32767)
CLIPPED_TEXT = "A" * 16_000


def test_glyphs_outside_their_sheet_are_clipped_as_pillows():
    assert pillow_clipped() == [(16_000, 1), (0, 0, 16_000, 1), 255]


def pillow_clipped() -> list[object]:
    font = ImageFont.ImageFont()
    font._load_pilfont_data(io.BytesIO(pil_font(*OUTSIDE_GLYPH)), Image.new("L", (1, 1), 255))
    mask = Image.Image()._new(font.getmask(CLIPPED_TEXT)).convert("L")
    return [mask.size, font.getbbox(CLIPPED_TEXT), mask.getpixel((15_999, 0))]


@run_in_pyodide(packages=["wasmcanvas"])
def clipped(selenium, data, text):
    import io

    from wasmcanvas import Image, ImageFont

    font = ImageFont.ImageFont()
    font._load_pilfont_data(io.BytesIO(data), Image.new("L", (1, 1), 255))
    mask = font.getmask(text)
    return [mask.size, font.getbbox(text), mask.getpixel((15_999, 0))]


def test_glyphs_outside_their_sheet_are_clipped_in_wasmcanvas(selenium_rust):
    got = clipped(selenium_rust, pil_font(*OUTSIDE_GLYPH), CLIPPED_TEXT)
    assert [tuple(v) if isinstance(v, list) else v for v in got] == pillow_clipped()


@run_in_pyodide(packages=["wasmcanvas"])
def font_errors(selenium, files):
    import os

    from wasmcanvas import Image, ImageDraw, ImageFont, features

    os.makedirs("/tmp/fonts", exist_ok=True)
    for name, data in files.items():
        with open(f"/tmp/fonts/{name}", "wb") as file:
            file.write(data)
    outcomes = {}
    asks = {
        "truetype": lambda: ImageFont.truetype("DejaVuSans.ttf", 12),
        "FreeTypeFont": lambda: ImageFont.FreeTypeFont("DejaVuSans.ttf"),
        "load_path": lambda: ImageFont.load_path("nowhere.pil"),
        "multiline length": lambda: ImageDraw.Draw(Image.new("L", (4, 4))).textlength(
            "a\nb", ImageFont.load("/tmp/fonts/10x20.pil")
        ),
        "anchor": lambda: ImageDraw.Draw(Image.new("L", (4, 4))).text(
            (0, 0), "a\nb", font=ImageFont.load("/tmp/fonts/10x20.pil"), anchor="lt"
        ),
        "turned length": lambda: ImageFont.TransposedFont(
            ImageFont.load("/tmp/fonts/10x20.pil"), Image.Transpose.ROTATE_270
        ).getlength("a"),
    }
    for name, ask in asks.items():
        try:
            ask()
        except Exception as error:
            outcomes[name] = (type(error).__name__, str(error))
    with open("/tmp/fonts/missing.pil", "wb") as file:
        file.write(files["10x20.pil"])
    try:
        ImageFont.load("/tmp/fonts/missing.pil")
    except OSError as error:
        outcomes["no glyph sheet"] = ("OSError", str(error))
    # A class-wide default font, as Pillow's ImageDraw.ImageDraw.font.
    ImageDraw.ImageDraw.font = ImageFont.load("/tmp/fonts/10x20.pil")
    try:
        default_length = ImageDraw.Draw(Image.new("L", (4, 4))).textlength("abc")
    finally:
        ImageDraw.ImageDraw.font = None
    return outcomes, features.check("freetype2"), default_length


def test_font_errors_are_pillows(selenium_rust):
    outcomes, freetype, default_length = font_errors(selenium_rust, FONT_FILES)
    assert outcomes == {
        "truetype": ("OSError", "cannot open resource"),
        "FreeTypeFont": ("OSError", "cannot open resource"),
        "no glyph sheet": ("OSError", "cannot find glyph data file /tmp/fonts/missing.{gif|pbm|png}"),
        "load_path": ("OSError", 'cannot find font file "nowhere.pil" in sys.path'),
        "multiline length": ("ValueError", "can't measure length of multiline text"),
        "anchor": ("ValueError", "anchor not supported for multiline text"),
        "turned length": ("ValueError", "text length is undefined for text rotated by 90 or 270 degrees"),
    }
    assert freetype is True
    assert default_length == pillow_font().getlength("abc") == 30


# Draw(rgb_image, "RGBA"): Pillow paints glyphs through their mask in the
# ink's red, green and blue, its alpha not blended in.
BLENDED_CALLS = [
    "d.text((2, 3), 'Blend', fill=(255, 0, 0, 100), font=font)",
    "d.text((1, 20), 'a\\nb', fill='#00ff0040', font=font, stroke_width=1, stroke_fill=(0, 0, 255, 200))",
]


def pillow_blended(call: str) -> bytes:
    im = PICTURE.convert("RGB")
    exec(call, {"d": ImageDraw.Draw(im, "RGBA"), "font": pillow_font()})
    return im.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def drawn_blended(selenium, files, size, picture, calls):
    import os

    from wasmcanvas import Image, ImageDraw, ImageFont

    os.makedirs("/tmp/fonts", exist_ok=True)
    for name, data in files.items():
        with open(f"/tmp/fonts/{name}", "wb") as file:
            file.write(data)
    font = ImageFont.load("/tmp/fonts/10x20.pil")
    results = []
    for call in calls:
        with Image.frombytes("RGB", size, picture) as im:
            exec(call, {"d": ImageDraw.Draw(im, "RGBA"), "font": font})
            results.append(im.tobytes())
    return results


def test_text_drawn_in_rgba_on_rgb_is_pillows(selenium_rust):
    rgb = PICTURE.convert("RGB")
    results = drawn_blended(selenium_rust, FONT_FILES, rgb.size, rgb.tobytes(), BLENDED_CALLS)
    assert [call for call, got in zip(BLENDED_CALLS, results, strict=True) if got != pillow_blended(call)] == []
    assert all(pillow_blended(call) != rgb.tobytes() for call in BLENDED_CALLS)
