"""Colour arguments in the page: every way of giving a colour reaches the
pixels. (Colour strings against Pillow's `ImageColor`, every CSS name and
form, are checked on the host: test_pure_modules.py.)"""

from pytest_pyodide import run_in_pyodide


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
    assert ImageColor.getcolor("red", "P") == (255, 0, 0)
    assert ImageColor.getcolor("#ff000080", "RGBa") == (128, 0, 0, 128)
    with pytest.raises(KeyError):
        ImageColor.getcolor("red", "XYZ")
