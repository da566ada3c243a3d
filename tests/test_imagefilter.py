"""`Image.filter` with every `wasmcanvas.ImageFilter` filter gives Pillow's
`Image.filter` result to the byte, on a translucent picture; bad filters are
refused as Pillow refuses them."""

from images import BUILTIN_FILTERS, sample_photo, with_alpha
from PIL import ImageFilter
from pytest_pyodide import run_in_pyodide

PICTURE = with_alpha(sample_photo(37, 29, seed=5), seed=6)

# (how wasmcanvas builds the filter, as Python source, and Pillow's filter)
FILTERS = [
    *((f"ImageFilter.{name}", getattr(ImageFilter, name)) for name in BUILTIN_FILTERS),
    *((f"ImageFilter.{name}()", getattr(ImageFilter, name)()) for name in ("BLUR", "SHARPEN")),
    ("ImageFilter.Kernel((3, 3), [1, 2, 1, 0, -1, 0, -2, 3, 0.5], 3, 10)", None),
    ("ImageFilter.Kernel((5, 5), [(i * 7) % 5 - 1 for i in range(25)])", None),
    ("ImageFilter.Kernel((5, 5), [(i * 7) % 5 - 2 for i in range(25)], 7.5, 128)", None),
    ("ImageFilter.GaussianBlur()", ImageFilter.GaussianBlur()),
    ("ImageFilter.GaussianBlur((0, 3.5))", ImageFilter.GaussianBlur((0, 3.5))),
    ("ImageFilter.BoxBlur(1.5)", ImageFilter.BoxBlur(1.5)),
    ("ImageFilter.BoxBlur([4, 0])", ImageFilter.BoxBlur([4, 0])),
    ("ImageFilter.UnsharpMask()", ImageFilter.UnsharpMask()),
    ("ImageFilter.UnsharpMask(1, 300, 0)", ImageFilter.UnsharpMask(1, 300, 0)),
    ("ImageFilter.MedianFilter()", ImageFilter.MedianFilter()),
    ("ImageFilter.MedianFilter(7)", ImageFilter.MedianFilter(7)),
    ("ImageFilter.MinFilter(5)", ImageFilter.MinFilter(5)),
    ("ImageFilter.MaxFilter()", ImageFilter.MaxFilter()),
    ("ImageFilter.RankFilter(5, 3)", ImageFilter.RankFilter(5, 3)),
]


def pillow_result(source: str, pillow_filter):
    if pillow_filter is None:
        pillow_filter = eval(source, {"ImageFilter": ImageFilter})
    return PICTURE.filter(pillow_filter).tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def filtered(selenium, size, picture, sources):
    from wasmcanvas import Image, ImageFilter

    results = []
    with Image.frombytes("RGBA", size, picture) as image:
        for source in sources:
            with image.filter(eval(source, {"ImageFilter": ImageFilter})) as result:
                results.append(result.tobytes())
        unchanged = image.tobytes() == picture
    return results, unchanged


def test_every_filter_gives_pillows_bytes(selenium_rust):
    sources = [source for source, _ in FILTERS]
    results, unchanged = filtered(selenium_rust, PICTURE.size, PICTURE.tobytes(), sources)
    assert unchanged, "Image.filter must leave the image it filters as it was"
    different = [
        source
        for (source, pillow_filter), got in zip(FILTERS, results, strict=True)
        if got != pillow_result(source, pillow_filter)
    ]
    assert different == []


@run_in_pyodide(packages=["wasmcanvas"])
def test_bad_filters_are_refused_as_pillow_refuses_them(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageFilter

    for make, error, message in [
        (lambda: ImageFilter.RankFilter(4, 1), ValueError, "bad filter size"),
        (lambda: ImageFilter.RankFilter(3, 9), ValueError, "bad rank value"),
        (lambda: ImageFilter.MedianFilter(2), ValueError, "bad filter size"),
        (lambda: ImageFilter.Kernel((3, 3), [1] * 8), ValueError, "not enough coefficients in kernel"),
        (lambda: ImageFilter.Kernel((7, 7), [1] * 49), ValueError, r"bad kernel size: only \(3, 3\) and \(5, 5\)"),
        (lambda: ImageFilter.BoxBlur(-1), ValueError, "radius must be >= 0"),
        (lambda: ImageFilter.GaussianBlur("2"), TypeError, "radius must be a number, not str"),
    ]:
        with pytest.raises(error, match=message):
            make()
    with Image.new("RGBA", (3, 3)) as image:
        with pytest.raises(
            TypeError, match=r"filter argument should be ImageFilter\.Filter instance or class, not str"
        ):
            image.filter("BLUR")
        with pytest.raises(ValueError, match="size must be an odd whole number from 1 to 255, got 257"):
            image.filter(ImageFilter.MedianFilter(257))


# Where Pillow's suite found wasmcanvas's filters did not do what Pillow's do
# (issue 28): each snippet sets `result` or raises, as with Pillow 13.
SNIPPETS = [
    "box = ImageFilter.BoxBlur(1); box.radius = -2; im.filter(box)",
    "box = ImageFilter.BoxBlur((1, 1)); box.radius = (-1, 1); im.filter(box)",
    "box = ImageFilter.BoxBlur(0); box.radius = 2; result = im.filter(box).tobytes()",
    "blur = ImageFilter.GaussianBlur(1); blur.radius = (3, 0.5); result = im.filter(blur).tobytes()",
    "ImageFilter.BoxBlur(2**31)",
    "ImageFilter.RankFilter(23171, 1)",
    "ImageFilter.MedianFilter(23171)",
    "ImageFilter.RankFilter(23169, 23169**2)",
]


@run_in_pyodide(packages=["wasmcanvas"])
def wasmcanvas_snippets(selenium, size, picture, snippets):
    from wasmcanvas import Image, ImageFilter

    outcomes = []
    for code in snippets:
        scope = {"Image": Image, "ImageFilter": ImageFilter, "im": Image.frombytes("RGBA", size, picture)}
        try:
            exec(code, scope)
        except Exception as error:
            outcomes.append(("raises", type(error).__name__, str(error)))
        else:
            outcomes.append(("value", scope.get("result")))
    return outcomes


def test_filters_read_and_check_their_settings_as_pillows_do(selenium_rust):
    from images import run_snippet
    from PIL import Image

    expected = [
        run_snippet(code, {"Image": Image, "ImageFilter": ImageFilter, "im": PICTURE.copy()}) for code in SNIPPETS
    ]
    assert expected[0] == ("raises", "ValueError", "radius must be >= 0")
    got = wasmcanvas_snippets(selenium_rust, PICTURE.size, PICTURE.tobytes(), SNIPPETS)
    assert [(code, want, have) for code, want, have in zip(SNIPPETS, expected, got, strict=True) if want != have] == []
