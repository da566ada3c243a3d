"""`wasmcanvas.ImageDraw` gives Pillow's `ImageDraw` pixels: the same drawing
calls, evaluated on a translucent picture by both."""

from images import sample_photo, with_alpha
from PIL import Image, ImageDraw
from pytest_pyodide import run_in_pyodide

PICTURE = with_alpha(sample_photo(48, 36, seed=31), seed=32)

CALLS = [
    "d.point([(1, 1), (5, 3), (47, 35)])",
    "d.point((3, 4, 6, 8), fill='lime')",
    "d.line([(0, 0), (30, 20), (5, 30)], fill='red', width=9, joint='curve')",
    "d.line((2, 30, 44, 6, 44, 30), fill=(0, 0, 255, 128), width=5, joint='curve')",
    "d.line([(0, 35), (47, 0)], fill='#ff000080', width=3)",
    "d.line((4, 4, 40, 4))",
    "d.rectangle((3, 3, 30, 20), fill='navy', outline='white', width=2)",
    "d.rectangle([(10, 10), (12, 30)])",
    "d.rounded_rectangle((2, 2, 40, 30), radius=8, fill='orange', outline='black', width=3)",
    "d.rounded_rectangle((5, 5, 30, 25), 6, fill='teal', corners=(True, False, True, False))",
    "d.ellipse((4, 6, 40, 30), fill='yellow', outline='purple', width=4)",
    "d.circle((24, 18), 10, outline='white')",
    "d.polygon([(2, 2), (40, 8), (20, 34)], fill='green', outline='red', width=3)",
    "d.polygon((5, 5, 30, 5, 30, 5, 40, 20, 5, 30))",
    "d.arc((2, 2, 44, 33), 30, 250, fill='red', width=5)",
    "d.chord((2, 2, 44, 33), 200, 100, fill='blue', outline='white', width=2)",
    "d.pieslice((2, 2, 44, 33), -60, 20, fill='gray', outline='red')",
    "d.pieslice((2, 2, 44, 33), 90, 300, outline='red', width=4)",
    "d.rectangle((1, 1, 20, 20), fill=-1)",
    "d.regular_polygon((24, 18, 15), 5, 20, fill='yellow', outline='blue', width=2)",
    "d.regular_polygon(((20, 20), 30.5), 7, -33.5, outline=(1, 200, 3, 99))",
    "d.bitmap((3, 2), MASK, fill='red')",
    "d.bitmap((-4.7, 20.9), MASK)",
    "(lambda s: (s.move(5, 5), s.curve(5, 30, 40, 30, 40, 5), s.line(5, 5), d.shape(s, fill='red')))"
    "(ImageDraw.Outline())",
    "(lambda s: (s.move(3.7, 30.2), s.line(20.5, 2), s.curve(60, 10, -9, 20.25, 44, 33.9), d.shape(s, 'navy', 'red')))"
    "(ImageDraw.Outline())",
    "(lambda s: (s.line(40, 2), s.line(12, 30), s.move(30, 30), s.line(46, 34), s.line(30, 34), d.shape(s)))"
    "(ImageDraw.Outline())",
    # Pillow 13's transform drops the edges so far, whatever the matrix.
    "(lambda s: (s.move(5, 5), s.line(40, 5), s.transform((2, 0, 9, 0, 2, 9)), s.line(40, 30), s.line(5, 30), "
    "d.shape(s, fill='red')))(ImageDraw.Outline())",
    "ImageDraw.floodfill(im, (5, 5), (255, 0, 0, 255), thresh=60)",
    "ImageDraw.floodfill(im, (30, 20), (1, 2, 3, 4), border=(255, 255, 255, 255))",
]


# A mask for bitmap(): every level, in a box that overhangs the picture when
# placed low.
MASK_SIZE, MASK_BYTES = (16, 9), bytes(i * 7 % 256 for i in range(16 * 9))


def pillow(call: str) -> bytes:
    im = PICTURE.copy()
    d = ImageDraw.Draw(im)
    eval(call, {"d": d, "im": im, "ImageDraw": ImageDraw, "MASK": Image.frombytes("L", MASK_SIZE, MASK_BYTES)})
    return im.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def drawn(selenium, size, picture, calls, mask):
    from wasmcanvas import Image, ImageDraw

    results = []
    for call in calls:
        with Image.frombytes("RGBA", size, picture) as im:
            d = ImageDraw.Draw(im)
            eval(call, {"d": d, "im": im, "ImageDraw": ImageDraw, "MASK": Image.frombytes("L", *mask)})
            results.append(im.tobytes())
    return results


def test_every_drawing_call_gives_pillows_pixels(selenium_rust):
    results = drawn(selenium_rust, PICTURE.size, PICTURE.tobytes(), CALLS, (MASK_SIZE, MASK_BYTES))
    assert [call for call, got in zip(CALLS, results, strict=True) if got != pillow(call)] == []


def test_the_calls_change_pixels():
    assert all(pillow(call) != PICTURE.tobytes() for call in CALLS)


# Pillow's translucent drawing: Draw(rgb_image, "RGBA") blends each colour
# into the picture by its alpha. Every shape, with translucent colours (as
# names with alpha, tuples and packed ints) and opaque ones.
BLENDED_CALLS = [
    *(call for call in CALLS if not call.startswith("ImageDraw.floodfill")),
    "d.point([(1, 1), (1, 1), (5, 3)], fill=(255, 0, 0, 100))",
    "d.line((0, 0, 47, 35, 0, 35, 47, 0), fill=(0, 255, 0, 90))",
    "d.line([(2, 2), (40, 30), (44, 3)], fill=(10, 200, 30, 140), width=7)",
    "d.line([(0, 18), (47, 18)], fill=0x60FF00FF, width=4)",
    "d.rectangle((3, 3, 30, 20), fill=(0, 0, 128, 100), outline=(255, 255, 255, 60), width=3)",
    "d.rectangle((3, 3, 4, 30), outline=(255, 0, 0, 77), width=2)",
    "d.rounded_rectangle((2, 2, 40, 30), radius=8, fill=(255, 165, 0, 120), outline=(0, 0, 0, 200), width=3)",
    "d.rounded_rectangle((5, 5, 30, 25), 6, fill=(0, 128, 128, 50), corners=(True, False, True, False))",
    "d.ellipse((4, 6, 40, 30), fill=(255, 255, 0, 99), outline=(128, 0, 128, 130), width=4)",
    "d.circle((24, 18), 10, fill=(9, 9, 9, 180))",
    "d.polygon([(2, 2), (40, 8), (20, 34)], fill=(0, 128, 0, 111), outline=(255, 0, 0, 150), width=3)",
    "d.polygon((5, 5, 30, 5, 30, 5, 40, 20, 5, 30), fill=(1, 2, 250, 128))",
    "d.polygon([(10, 2), (30, 2), (30, 20), (20, 20), (20, 10), (10, 10)], (200, 0, 0, 128), (0, 0, 0, 64))",
    "d.arc((2, 2, 44, 33), 30, 250, fill=(255, 0, 0, 128), width=5)",
    "d.chord((2, 2, 44, 33), 200, 100, fill=(0, 0, 255, 70), outline=(255, 255, 255, 140), width=2)",
    "d.pieslice((2, 2, 44, 33), -60, 20, fill=(128, 128, 128, 100), outline=(255, 0, 0, 200))",
    "d.pieslice((2, 2, 44, 33), 90, 300, outline=(255, 0, 0, 90), width=4)",
    "d.rectangle((1, 1, 20, 20), fill='#00ff0080')",
    # As Pillow's Tests/test_imagedraw.py draws them translucent.
    "d.polygon([(1, 1), (1, 1), (3, 1), (3, 1)], (255, 0, 0, 127))",
    "d.polygon([(20, 30), (40, 30), (40, 2), (30, 15), (20, 2)], fill=(0, 255, 0, 127))",
    "d.rectangle((3, 3, 40, 30), fill='black', outline=(0, 255, 0, 127), width=5)",
    "d.rounded_rectangle((2, 2, 45, 33), 10, fill=(255, 0, 0, 127), outline=(0, 255, 0, 127), width=5)",
    "d.rounded_rectangle((2, 2, 45, 33), 30, fill=(255, 0, 0, 127), outline=(0, 255, 0, 127), width=5)",
    "d.ellipse((3, 4, 44, 30), fill=(0, 255, 0, 127))",
    "d.line([(2, 2), (40, 2), (40, 30)], fill=(0, 0, 255, 127), width=6, joint='curve')",
    "(lambda s: (s.move(3.7, 30.2), s.line(20.5, 2), s.curve(60, 10, -9, 20.25, 44, 33.9), "
    "d.shape(s, (0, 0, 255, 100), (255, 0, 0, 50))))(ImageDraw.Outline())",
]


def pillow_blended(call: str) -> bytes:
    im = PICTURE.convert("RGB")
    d = ImageDraw.Draw(im, "RGBA")
    eval(call, {"d": d, "im": im, "ImageDraw": ImageDraw, "MASK": Image.frombytes("L", MASK_SIZE, MASK_BYTES)})
    return im.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def drawn_blended(selenium, size, picture, calls, mask):
    from wasmcanvas import Image, ImageDraw

    results = []
    for call in calls:
        with Image.frombytes("RGB", size, picture) as im:
            d = ImageDraw.Draw(im, "RGBA")
            assert d.mode == "RGBA"
            eval(call, {"d": d, "im": im, "ImageDraw": ImageDraw, "MASK": Image.frombytes("L", *mask)})
            results.append(im.tobytes())
    return results


def test_drawing_in_rgba_on_an_rgb_image_blends_as_pillow_does(selenium_rust):
    rgb = PICTURE.convert("RGB")
    results = drawn_blended(selenium_rust, rgb.size, rgb.tobytes(), BLENDED_CALLS, (MASK_SIZE, MASK_BYTES))
    assert [call for call, got in zip(BLENDED_CALLS, results, strict=True) if got != pillow_blended(call)] == []


def test_translucent_colours_blend_instead_of_being_written():
    def unblended(call: str) -> bytes:
        im = PICTURE.convert("RGB")
        eval(call, {"d": ImageDraw.Draw(im), "im": im, "ImageDraw": ImageDraw})
        return im.tobytes()

    translucent = BLENDED_CALLS[len(CALLS) - 2 :]
    assert [call for call in translucent if pillow_blended(call) == unblended(call)] == []


@run_in_pyodide(packages=["wasmcanvas"])
def test_bad_drawing_arguments_are_refused(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageDraw

    with Image.new("RGBA", (4, 4)) as im:
        d = ImageDraw.Draw(im)
        with pytest.raises(ValueError, match="xy must have x1 >= x0 and y1 >= y0"):
            d.ellipse((3, 0, 1, 2))
        with pytest.raises(ValueError, match="unknown color specifier: 'reddish'"):
            d.line((0, 0, 3, 3), fill="reddish")
        with pytest.raises(ValueError, match="mode mismatch"):
            ImageDraw.Draw(im, "L")
    with Image.new("L", (4, 4)) as im, pytest.raises(ValueError, match="mode mismatch"):
        ImageDraw.Draw(im, "RGBA")
    with pytest.raises(TypeError, match="can only draw on a wasmcanvas Image, not bytes"):
        ImageDraw.Draw(b"")


# Pillow's regular polygon vertices, and its refusals, for these arguments.
VERTEX_ARGUMENTS = [
    ((50, 50, 25), 3, 0),
    ((50, 50, 25), 5, 0),
    (((10.5, -3), 17), 6, 12.25),
    ([0, 0, 100], 11, -725),
    ((50, 50, 25), None, 0),
    ((50, 50, 25), 1, 0),
    (50, 3, 0),
    ((50, 50, 100, 100), 3, 0),
    ((50, 50, "25"), 3, 0),
    (((50, 50, 50), 25), 3, 0),
    (((50, "50"), 25), 3, 0),
    ((50, 50, 0), 3, 0),
    ((50, 50, 25), 3, "0"),
]


def pillow_vertices(arguments):
    try:
        return ("value", ImageDraw._compute_regular_polygon_vertices(*arguments))
    except Exception as error:
        return ("raises", type(error).__name__, str(error))


@run_in_pyodide(packages=["wasmcanvas"])
def wasmcanvas_vertices(selenium, arguments_list):
    from wasmcanvas import ImageDraw

    outcomes = []
    for arguments in arguments_list:
        try:
            outcomes.append(("value", ImageDraw._compute_regular_polygon_vertices(*arguments)))
        except Exception as error:
            outcomes.append(("raises", type(error).__name__, str(error)))
    return outcomes


def test_regular_polygon_vertices_are_pillows(selenium_rust):
    expected = [pillow_vertices(arguments) for arguments in VERTEX_ARGUMENTS]
    assert expected[1] == ("value", [(35.31, 70.23), (64.69, 70.23), (73.78, 42.27), (50.0, 25.0), (26.22, 42.27)])
    assert wasmcanvas_vertices(selenium_rust, VERTEX_ARGUMENTS) == expected


OUTLINE_MATRICES = [(1, 2, 3, 4, 5), 5, (0, 0, 0, 0, 0, "a")]


def pillow_transform_refusal(matrix) -> tuple[str, str]:
    try:
        ImageDraw.Outline().transform(matrix)
    except TypeError as error:
        return "TypeError", str(error)
    raise AssertionError("Pillow accepted it")


@run_in_pyodide(packages=["wasmcanvas"])
def transform_refusals(selenium, matrices):
    from wasmcanvas import ImageDraw

    outcomes = []
    for matrix in matrices:
        try:
            ImageDraw.Outline().transform(tuple(matrix) if isinstance(matrix, list) else matrix)
        except Exception as error:
            outcomes.append([type(error).__name__, str(error)])
    return outcomes


def test_outline_transform_refuses_what_pillows_refuses(selenium_rust):
    outcomes = transform_refusals(selenium_rust, OUTLINE_MATRICES)
    assert [tuple(outcome) for outcome in outcomes] == [pillow_transform_refusal(m) for m in OUTLINE_MATRICES]
