"""``putpixel`` refuses what Pillow's refuses (a colour name, a float
outside "F", None, a list outside "P"), with Pillow's exception and message,
compared with Pillow on the host. Each scenario is one function of the
Image and ImageDraw modules, run on Pillow's on the host and on
wasmcanvas's in Pyodide."""

import inspect

from PIL import Image, ImageDraw
from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas"])
def run_on_wasmcanvas(selenium, source, name):
    from wasmcanvas import Image, ImageDraw

    namespace: dict = {}
    exec(source, namespace)
    return namespace[name](Image, ImageDraw)


def on_wasmcanvas(selenium, scenario):
    """``scenario(Image, ImageDraw)`` with wasmcanvas's modules, in Pyodide."""
    return run_on_wasmcanvas(selenium, inspect.getsource(scenario), scenario.__name__)


def outcomes(image_module, draw_module):
    modes = ("1", "L", "LA", "La", "RGB", "RGBA", "P", "PA", "I", "I;16", "F")
    values = ("foo", 1.0, None, "red", [1, 2, 3], (1, 2), (5,), (1, 2, 3))
    results = []
    for mode in modes:
        with image_module.new(mode, (2, 2)) as im:
            for value in values:
                try:
                    im.putpixel((0, 0), value)
                    results.append(["ok", repr(im.getpixel((0, 0)))])
                except Exception as error:
                    results.append([type(error).__name__, str(error)])
    return results


def test_putpixel_refuses_what_pillow_refuses(selenium_rust):
    got = on_wasmcanvas(selenium_rust, outcomes)
    expected = outcomes(Image, ImageDraw)
    assert [index for index, (a, b) in enumerate(zip(got, expected, strict=True)) if a != b] == []


def readonly_after_writes(image_module, draw_module):
    results = []
    writes = [
        lambda im: im.putpixel((0, 0), (1, 2, 3)),
        lambda im: im.paste((1, 2, 3), (0, 0, 1, 1)),
        lambda im: im.putdata([(1, 2, 3)] * 4),
        lambda im: im.putalpha(128),
        lambda im: draw_module.Draw(im),
        lambda im: im.getpixel((0, 0)),
    ]
    for write in writes:
        im = image_module.new("RGB", (2, 2))
        im.readonly = 1
        write(im)
        results.append(im.readonly)
    return results


def test_writing_clears_readonly_as_pillow_does(selenium_rust):
    expected = readonly_after_writes(Image, ImageDraw)
    assert expected == [0, 0, 0, 0, 0, 1]
    assert on_wasmcanvas(selenium_rust, readonly_after_writes) == expected


def pixels_through_replacements(image_module, draw_module):
    """Pixel reads and writes (getpixel, putpixel, the access object) on an
    image whose pixels an operation replaced in place, then closed."""
    results = []

    def attempt(action):
        try:
            results.append(["ok", action()])
        except ValueError as error:  # ClosedImageError is one, as Pillow's closed image raises one
            results.append(["ValueError", bool(str(error))])
        except Exception as error:
            results.append([type(error).__name__, str(error)])

    im = image_module.new("RGB", (8, 6), (10, 20, 30))
    px = im.load()
    im.putpixel((1, 1), (200, 100, 50))
    attempt(lambda: [im.getpixel((1, 1)), px[7, 5]])
    im.thumbnail((4, 3))
    attempt(lambda: [im.size, im.getpixel((0, 0)), im.getpixel((3, 2))])
    attempt(lambda: im.getpixel((7, 5)))
    im.putpixel((3, 2), (9, 8, 7))
    px = im.load()
    px[0, 0] = (1, 2, 3)
    attempt(lambda: [im.getpixel((3, 2)), px[0, 0], im.copy().getpixel((0, 0))])
    im.close()
    attempt(lambda: im.getpixel((0, 0)))
    attempt(lambda: im.putpixel((0, 0), (1, 2, 3)))
    empty = image_module.new("RGB", (0, 0))
    attempt(lambda: empty.getpixel((0, 0)))
    attempt(lambda: empty.putpixel((0, 0), (1, 2, 3)))
    return results


def test_pixel_access_follows_pixels_replaced_in_place_and_refuses_once_closed(selenium_rust):
    expected = pixels_through_replacements(Image, ImageDraw)
    assert expected[0] == ["ok", [(200, 100, 50), (10, 20, 30)]]
    assert expected[-4:] == [["ValueError", True]] * 2 + [["IndexError", "image index out of range"]] * 2
    assert on_wasmcanvas(selenium_rust, pixels_through_replacements) == expected
