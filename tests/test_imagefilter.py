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


# ---- ModeFilter and Color3DLUT against Pillow

# Few levels, so that values repeat and the mode filter has modes to pick.
POSTER = PICTURE.point(lambda value: value // 64 * 64)

LUTS = [
    # (source building the filter in either library, image mode)
    ("ImageFilter.Color3DLUT.generate(5, lambda r, g, b: (r * r, 1 - g, (r + b) / 2))", "RGB"),
    ("ImageFilter.Color3DLUT.generate((3, 9, 17), lambda r, g, b: (b * 1.3 - 0.1, r, g ** 0.5))", "RGBA"),
    ("ImageFilter.Color3DLUT.generate(65, lambda r, g, b: (g, b, r))", "RGB"),
    ("ImageFilter.Color3DLUT.generate(4, lambda r, g, b: (r, g, b, (r + g) / 2), channels=4)", "RGBA"),
    ("ImageFilter.Color3DLUT.generate(7, lambda r, g, b: (1 - r, g, b, g), 4, target_mode='RGBA')", "RGB"),
    ("ImageFilter.Color3DLUT.generate(3, lambda r, g, b: (r, 2 * g, -b), target_mode='RGB')", "RGBA"),
    ("ImageFilter.Color3DLUT.generate(6, lambda r, g, b: (r, g, b)).transform(lambda r, g, b: (b, g * g, r))", "RGB"),
    (
        "ImageFilter.Color3DLUT.generate(6, lambda r, g, b: (r, g, b))"
        ".transform(lambda x, y, z, r, g, b: (x * b, y, z, 0.25), with_normals=True, channels=4)",
        "RGBA",
    ),
    (
        "ImageFilter.Color3DLUT(2, [(r, g, b) for b in (0, 1) for g in (0, 1) for r in (0, 1)])",
        "RGB",
    ),
    ("ImageFilter.Color3DLUT(2, [0.3] * 24)", "RGB"),
]
MODE_FILTERS = [
    "ImageFilter.ModeFilter()",
    "ImageFilter.ModeFilter(4)",
    "ImageFilter.ModeFilter(5)",
    "ImageFilter.ModeFilter(1)",
]


@run_in_pyodide(packages=["wasmcanvas"])
def mode_and_lut_filtered(selenium, size, poster, picture, modes_, luts):
    from wasmcanvas import Image, ImageFilter

    results = []
    with Image.frombytes("RGBA", size, poster) as image:
        for source in modes_:
            with image.filter(eval(source, {"ImageFilter": ImageFilter})) as result:
                results.append((result.mode, result.tobytes()))
        with image.convert("L") as grey, grey.filter(ImageFilter.ModeFilter(3)) as result:
            results.append((result.mode, result.tobytes()))
    with Image.frombytes("RGBA", size, picture) as image:
        for source, mode in luts:
            with image.convert(mode) as source_image:
                with source_image.filter(eval(source, {"ImageFilter": ImageFilter})) as result:
                    results.append((result.mode, result.tobytes()))
    return results


def test_mode_filter_and_colour_luts_give_pillows_bytes(selenium_rust):
    got = mode_and_lut_filtered(selenium_rust, PICTURE.size, POSTER.tobytes(), PICTURE.tobytes(), MODE_FILTERS, LUTS)
    expected = [POSTER.filter(eval(source, {"ImageFilter": ImageFilter})) for source in MODE_FILTERS]
    expected.append(POSTER.convert("L").filter(ImageFilter.ModeFilter(3)))
    expected += [PICTURE.convert(mode).filter(eval(source, {"ImageFilter": ImageFilter})) for source, mode in LUTS]
    sources = [*MODE_FILTERS, "ModeFilter on L", *(source for source, _ in LUTS)]
    different = [
        source
        for source, (mode, data), image in zip(sources, got, expected, strict=True)
        if (mode, data) != (image.mode, image.tobytes())
    ]
    assert different == []


@run_in_pyodide(packages=["wasmcanvas"])
def test_colour_luts_are_checked_as_pillow_checks_them(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageFilter

    identity = ImageFilter.Color3DLUT.generate(2, lambda r, g, b: (r, g, b))
    assert (identity.size, identity.channels, identity.mode, len(identity.table)) == ((2, 2, 2), 3, None, 24)
    assert repr(identity) == "<Color3DLUT from list size=2x2x2 channels=3>"
    four = ImageFilter.Color3DLUT.generate((2, 3, 4), lambda r, g, b: (r, g, b, 1), 4, "RGBA")
    assert repr(four) == "<Color3DLUT from list size=2x3x4 channels=4 target_mode=RGBA>"
    for make, message in [
        (lambda: ImageFilter.Color3DLUT((2, 2), [0] * 12), "Size should be either an integer or a tuple of three"),
        (lambda: ImageFilter.Color3DLUT(66, [0] * 3), r"Size should be in \[2, 65\] range"),
        (lambda: ImageFilter.Color3DLUT(2, [0] * 23), "Table should be: 3x2x2x2. Actual length: 23"),
        (lambda: ImageFilter.Color3DLUT(2, [(0, 0)] * 8), "should have a length of 3"),
        (lambda: ImageFilter.Color3DLUT(2, [0] * 16, channels=2), "Only 3 or 4 output channels are supported"),
        (lambda: identity.transform(lambda r, g, b: (r, g, b), channels=5), "Only 3 or 4 output channels"),
    ]:
        with pytest.raises(ValueError, match=message):
            make()
    with Image.new("L", (2, 2)) as grey, pytest.raises(ValueError, match="image has wrong mode"):
        grey.filter(identity)
    with Image.new("RGB", (2, 2)) as rgb:
        with pytest.raises(ValueError, match="image has wrong mode"):
            rgb.filter(ImageFilter.Color3DLUT(2, [0] * 32, channels=4))
        with pytest.raises(ValueError, match="image has wrong mode"):
            rgb.filter(ImageFilter.Color3DLUT(2, [0] * 24, target_mode="RGBA"))
        with pytest.raises(TypeError, match="table values must be numbers, not str"):
            rgb.filter(ImageFilter.Color3DLUT(2, ["0"] * 24))
        rgb.inplace.filter(four)
        assert (rgb.mode, rgb.getpixel((1, 1))) == ("RGBA", (0, 0, 0, 255))
