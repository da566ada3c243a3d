"""`wasmcanvas.ImageChops` gives Pillow's `ImageChops` result to the byte on
two translucent pictures of different sizes (the result has the size they
share, as Pillow's)."""

from images import sample_photo, with_alpha
from PIL import ImageChops
from pytest_pyodide import run_in_pyodide

FIRST = with_alpha(sample_photo(31, 19, seed=21), seed=22)
SECOND = with_alpha(sample_photo(23, 27, seed=23), seed=24)
SAME_SIZE = with_alpha(sample_photo(31, 19, seed=25), seed=26)
MASK = with_alpha(sample_photo(31, 19, seed=27), seed=28)

# (wasmcanvas call as source over a, b, c (same size as a) and m; Pillow's result)
CASES = [
    *(
        (f"ImageChops.{name}(a, b)", getattr(ImageChops, name)(FIRST, SECOND))
        for name in (
            "add_modulo",
            "subtract_modulo",
            "multiply",
            "screen",
            "difference",
            "lighter",
            "darker",
            "overlay",
            "soft_light",
            "hard_light",
        )
    ),
    ("ImageChops.add(a, b)", ImageChops.add(FIRST, SECOND)),
    ("ImageChops.add(b, a, 2.5, 30)", ImageChops.add(SECOND, FIRST, 2.5, 30)),
    ("ImageChops.subtract(a, b, 0.5, -20)", ImageChops.subtract(FIRST, SECOND, 0.5, -20)),
    ("ImageChops.blend(a, c, 0.3)", ImageChops.blend(FIRST, SAME_SIZE, 0.3)),
    ("ImageChops.composite(a, c, m)", ImageChops.composite(FIRST, SAME_SIZE, MASK)),
    ("ImageChops.invert(a)", ImageChops.invert(FIRST)),
    ("ImageChops.duplicate(b)", ImageChops.duplicate(SECOND)),
    ("ImageChops.constant(b, 77)", ImageChops.constant(SECOND, 77)),
    ("ImageChops.offset(a, 7)", ImageChops.offset(FIRST, 7)),
    ("ImageChops.offset(a, -40, 5)", ImageChops.offset(FIRST, -40, 5)),
]


@run_in_pyodide(packages=["wasmcanvas"])
def chopped(selenium, pictures, sources):
    from wasmcanvas import Image, ImageChops

    a, b, c, m = (Image.frombytes("RGBA", size, data) for size, data in pictures)
    results = []
    for source in sources:
        with eval(source, {"ImageChops": ImageChops, "a": a, "b": b, "c": c, "m": m}) as result:
            results.append((result.size, result.tobytes()))
    for image in (a, b, c, m):
        image.close()
    return results


def test_every_chop_gives_pillows_bytes(selenium_rust):
    pictures = [(p.size, p.tobytes()) for p in (FIRST, SECOND, SAME_SIZE, MASK)]
    results = chopped(selenium_rust, pictures, [source for source, _ in CASES])
    different = [
        source
        for (source, expected), (size, data) in zip(CASES, results, strict=True)
        if (tuple(size), data) != (expected.size, expected.tobytes())
    ]
    assert different == []


@run_in_pyodide(packages=["wasmcanvas"])
def test_mismatched_images_are_refused(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageChops

    with Image.new("RGBA", (2, 2)) as a, Image.new("RGBA", (3, 2)) as b:
        with pytest.raises(ValueError, match=r"^images do not match$"):
            ImageChops.blend(a, b, 0.5)
        with pytest.raises(TypeError, match="expected a wasmcanvas Image, not bytes"):
            ImageChops.add(a, b"")
