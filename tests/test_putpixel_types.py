"""``putpixel`` refuses what Pillow's refuses (a colour name, a float
outside "F", None, a list outside "P"), with Pillow's exception and message,
compared with Pillow on the host."""

from PIL import Image
from pytest_pyodide import run_in_pyodide


def outcomes(image_module):
    modes = ("1", "L", "LA", "RGB", "RGBA", "P", "I", "I;16", "F")
    values = ("foo", 1.0, None, "red", [1, 2, 3])
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


@run_in_pyodide(packages=["wasmcanvas"])
def ours(selenium, source):
    from wasmcanvas import Image

    namespace: dict = {}
    exec(source, namespace)
    return namespace["outcomes"](Image)


def test_putpixel_refuses_what_pillow_refuses(selenium_rust):
    import inspect

    got = ours(selenium_rust, inspect.getsource(outcomes))
    assert got == outcomes(Image)
