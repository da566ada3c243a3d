"""`wasmcanvas.ImageColor` against Pillow's `ImageColor` on the host: every
CSS name, every string form, case and spacing, and strings both refuse."""

from PIL import ImageColor
from pytest_pyodide import run_in_pyodide

CORPUS = [
    *sorted(ImageColor.colormap),
    "Red",
    "DARKGREY",
    "RebeccaPurple",
    "#f0a",
    "#F0A8",
    "#3c465a",
    "#3C465A80",
    "rgb(10, 20, 30)",
    "rgb( 255 ,0,  300 )",
    "rgb(100%, 50%, 0%)",
    "rgb(33%,66%,99%)",
    "rgba(1, 2, 3, 4)",
    "rgba(255,255,255,0)",
    "hsl(0, 100%, 50%)",
    "hsl(120, 100%, 25%)",
    "hsl(210.5, 33.3%, 47.25%)",
    "hsl(400, 50%, 50%)",
    "hsv(300, 50%, 75%)",
    "hsb(45.5, 100%, 100%)",
    "HSV(0,0%,0%)",
    # Refused by both.
    "",
    "redd",
    "#12",
    "#12345",
    "#1234567",
    "#ggg",
    "rgb(1,2)",
    "rgb(1, 2, 3, 4)",
    "rgb(-1, 2, 3)",
    "rgb(1.5, 2, 3)",
    "rgba(1, 2, 3)",
    "hsl(10, 20, 30)",
    "hsl(-10, 20%, 30%)",
    " red",
    "x" * 101,
]
MODES = ["L", "LA", "RGB", "RGBA"]


def pillow(call):
    try:
        return ["ok", list(v) if isinstance(v := call(), tuple) else v]
    except ValueError as error:
        return ["ValueError", str(error)]


EXPECTED = [
    [pillow(lambda c=c: ImageColor.getrgb(c)), *(pillow(lambda c=c, m=m: ImageColor.getcolor(c, m)) for m in MODES)]
    for c in CORPUS
]


@run_in_pyodide(packages=["wasmcanvas"])
def compare(selenium, corpus, modes, expected):
    from wasmcanvas import ImageColor

    def ours(call):
        try:
            return ["ok", list(v) if isinstance(v := call(), tuple) else v]
        except ValueError as error:
            return ["ValueError", str(error)]

    differences = []
    for text, wanted in zip(corpus, expected, strict=True):
        got = [
            ours(lambda: ImageColor.getrgb(text)),
            *(ours(lambda mode=mode: ImageColor.getcolor(text, mode)) for mode in modes),
        ]
        if got != wanted:
            differences.append((text, got, wanted))
    return differences


def test_every_colour_string_reads_as_pillow_reads_it(selenium_rust):
    assert compare(selenium_rust, CORPUS, MODES, EXPECTED) == []


@run_in_pyodide(packages=["wasmcanvas"])
def test_colour_arguments_take_every_form(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageColor
    from wasmcanvas.colours import parse_colour

    assert parse_colour("red") == (255, 0, 0, 255)
    assert parse_colour("rgba(1, 2, 3, 4)") == (1, 2, 3, 4)
    assert parse_colour("hsl(120, 100%, 25%)") == (0, 128, 0, 255)
    with Image.new("RGBA", (2, 1), "CornflowerBlue") as image:
        assert image.getpixel((1, 0)) == (100, 149, 237, 255)
    with pytest.raises(ValueError, match="unknown color specifier: 'redd'"):
        parse_colour("redd")
    with pytest.raises(TypeError, match="a colour string must be a str, not int"):
        ImageColor.getrgb(3)
    with pytest.raises(ValueError, match="mode must be 'L', 'LA', 'RGB' or 'RGBA', got 'P'"):
        ImageColor.getcolor("red", "P")


def test_the_corpus_holds_strings_pillow_reads_and_refuses():
    assert {row[0][0] for row in EXPECTED} == {"ok", "ValueError"}
