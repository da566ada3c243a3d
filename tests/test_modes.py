"""Every one of Pillow's image modes in wasmcanvas, against Pillow on the host:
each mode's image is made from Pillow's bytes in the page, and its bytes,
pixels, bands, extrema, histogram and conversions into every other mode come
back to be compared with Pillow's own, byte for byte."""

from __future__ import annotations

import pytest
from images import sample_photo, with_alpha
from PIL import Image, ImageChops, ImageDraw, ImageFilter
from pytest_pyodide import run_in_pyodide

SIZE = (13, 7)
PHOTO = with_alpha(sample_photo(*SIZE, seed=21), seed=22)
# A palette whose entries all differ, some translucent (for "PA" and an
# "RGBA" palette).
PALETTE = [(index * 7 + band * 50) % 256 for index in range(256) for band in range(3)]
# Pillow has no core conversion into or out of "LAB" (its convert goes
# through ImageCms), so "LAB" images are made from bytes.
CONVERTIBLE = [mode for mode in Image.MODES if mode != "LAB"]
# What wasmcanvas has not got: Pillow converts LAB to RGB through ImageCms
# (littlecms), not here.
NOT_YET = {("LAB", "RGB"), ("LAB", "RGBA"), ("LAB", "RGBX")}
POINTS = [(0, 0), (12, 6), (5, 3), (-1, -1)]


def source(mode: str) -> Image.Image:
    """A 13x7 image of `mode` whose values vary across it, made by Pillow."""
    if mode == "LAB":
        return Image.frombytes("LAB", SIZE, bytes((i * 37) % 256 for i in range(SIZE[0] * SIZE[1] * 3)))
    if mode in ("I", "F"):
        grey = PHOTO.convert(mode)
        return grey.point(lambda v: v * 300 - 9000)
    if mode.startswith("I;16"):
        wide = PHOTO.convert("I").point(lambda v: v * 257)
        return Image.frombytes(mode, SIZE, wide.convert("I;16").tobytes() if mode != "I;16B" else be16(wide))
    if mode in ("P", "PA"):
        image = PHOTO.convert("L").convert(mode)
        image.putpalette(PALETTE)
        return image
    return PHOTO.convert(mode)


def be16(image: Image.Image) -> bytes:
    little = image.convert("I;16").tobytes()
    return bytes(b for i in range(0, len(little), 2) for b in (little[i + 1], little[i]))


def outcome(call):
    try:
        value = call()
    except Exception as error:
        return ("error", type(error).__name__)
    return ("ok", value)


def _pasted(image):
    out = image.copy()
    out.paste(image.crop((0, 0, 4, 3)), (6, 2))
    return out.tobytes()


def _putdata(image):
    out = image.copy()
    if len(image.getbands()) == 1:
        values = [-5, 0.5, 100.7, 255.9, 300, 70000, -70000, 65537.5, 1e10, -1e10, float("nan"), 7]
        out.putdata(values)
        first = out.tobytes()
        out.putdata(values[:5], 2.0, 3.5)
        return first, out.tobytes()
    out.putdata(list(image.get_flattened_data())[::-1][:30])
    return out.tobytes()


def _drawn(image):
    out = image.copy()
    draw = ImageDraw.Draw(out)
    draw.line((0, 6, 12, 0))
    draw.rectangle((2, 1, 8, 5))
    draw.ellipse((1, 0, 11, 6))
    if image.mode == "P":  # Pillow's Draw maps RGB through a "P" image's palette only
        # Colours of the test palette (entries 3 and 10), found in it.
        draw.point((3, 3), fill=(21, 71, 121))
        draw.line((0, 0, 12, 6), fill=(70, 120, 170))
    return out.tobytes(), out.getpalette()


def describe(image, convertible, skip):
    """What the test compares about `image`, the same code on both sides."""
    found = {
        "mode": image.mode,
        "bands": image.getbands(),
        "tobytes": image.tobytes(),
        "pixels": [image.getpixel(xy) for xy in POINTS],
        "data": list(image.get_flattened_data())[:20],
        "extrema": outcome(image.getextrema),
        "split": [band.tobytes() for band in image.split()],
        "histogram": image.histogram(),
        "copy": image.copy().tobytes(),
        "crop": image.crop((2, 1, 9, 6)).tobytes(),
        "transpose": image.transpose(Image.Transpose.ROTATE_90).tobytes(),
        "resize nearest": image.resize((7, 9), Image.Resampling.NEAREST).tobytes(),
        "rotate nearest": image.rotate(30, expand=True).tobytes(),
        "transform nearest": image.transform((9, 5), Image.Transform.AFFINE, (1, 0.2, 1, 0, 1.1, 0)).tobytes(),
        "transform turning": image.transform((15, 9), Image.Transform.AFFINE, (0.8, 0.6, -3, -0.6, 0.8, 4.5)).tobytes(),
        "paste": _pasted(image),
        "point": outcome(lambda: image.point(lambda v: v * 2.5 - 7).tobytes()),
        "putdata": _putdata(image),
        "draw": _drawn(image),
        "getbbox": outcome(image.getbbox),
        "getcolors": outcome(lambda: sorted(image.getcolors(1000) or [])),
        "chops": [outcome(lambda: ImageChops.add(image, image).tobytes()), ImageChops.invert(image).tobytes()],
        "matrix L": outcome(lambda: image.convert("L", (0.5, 0.25, 0.1, 3.3)).tobytes()),
        "matrix RGB": outcome(
            lambda: image.convert("RGB", (1.2, -0.3, 0, 0, 0.1, 0.2, 0.7, 4, 0, 0, 2, -10.5)).tobytes()
        ),
    }
    if image.mode in ("I", "F"):
        for name, filter_ in [("bilinear", Image.Resampling.BILINEAR), ("lanczos", Image.Resampling.LANCZOS)]:
            found[f"resize {name}"] = image.resize((7, 9), filter_).tobytes()
            found[f"resize {name} box"] = image.resize((20, 4), filter_, box=(1.5, 0.5, 11, 6.25)).tobytes()
        found["resize box shrink"] = image.resize((4, 2), Image.Resampling.BOX).tobytes()
        found["reduce"] = [image.reduce(2).tobytes(), image.reduce((3, 2), box=(1, 1, 12, 7)).tobytes()]
        for name, filter_ in [("bilinear", Image.Resampling.BILINEAR), ("bicubic", Image.Resampling.BICUBIC)]:
            found[f"rotate {name}"] = image.rotate(33, filter_, expand=True, fillcolor=5).tobytes()
            turned = image.transform((15, 9), Image.Transform.AFFINE, (0.8, 0.6, -3, -0.6, 0.8, 4.5), filter_)
            found[f"transform {name}"] = turned.tobytes()
            found[f"quad {name}"] = image.transform(
                (8, 8), Image.Transform.QUAD, (1, 1, 0, 6, 12, 7, 10, 0), filter_
            ).tobytes()
    blurs = [
        ImageFilter.GaussianBlur(2),
        ImageFilter.BoxBlur(1),
        ImageFilter.UnsharpMask(),
        ImageFilter.GaussianBlur(0),
    ]
    found["blurs"] = [outcome(lambda f=f: image.filter(f).tobytes()) for f in [*blurs, ImageFilter.BoxBlur((0, 0))]]
    found["mode filter"] = outcome(lambda: image.filter(ImageFilter.ModeFilter(3)).tobytes())
    kernels = [ImageFilter.BLUR, ImageFilter.CONTOUR, ImageFilter.EMBOSS, ImageFilter.SMOOTH_MORE, ImageFilter.SHARPEN]
    kernels += [ImageFilter.Kernel((3, 3), (-1, -1, 0, -1, 0, 1, 0, 1, 1), 0.3)]
    kernels += [ImageFilter.Kernel((5, 5), [(i * 7) % 11 - 5 for i in range(25)], 1.5, 20000)]
    found["kernels"] = [outcome(lambda f=f: image.filter(f).tobytes()) for f in kernels]
    ranks = [
        ImageFilter.MedianFilter(3),
        ImageFilter.MinFilter(3),
        ImageFilter.MaxFilter(5),
        ImageFilter.RankFilter(5, 7),
    ]
    found["rank filters"] = [outcome(lambda f=f: image.filter(f).tobytes()) for f in ranks]
    if image.mode in ("La", "RGBa", "RGBX", "CMYK", "PA", "LA", "RGBA"):
        # Pillow resamples and filters the first five as plain bands.
        filters = [ImageFilter.BLUR, ImageFilter.SHARPEN, ImageFilter.MedianFilter(3), ImageFilter.ModeFilter(3)]
        filters += [ImageFilter.Kernel((5, 5), list(range(-12, 13)), 5, 7), ImageFilter.MinFilter(3)]
        found["filters"] = [image.filter(filter_).tobytes() for filter_ in filters]
        found["resize bilinear"] = image.resize((7, 9), Image.Resampling.BILINEAR).tobytes()
        found["resize lanczos box"] = image.resize(
            (20, 4), Image.Resampling.LANCZOS, box=(1.5, 0.5, 11, 6.25)
        ).tobytes()
        found["resize gap"] = image.resize((4, 2), Image.Resampling.BICUBIC, reducing_gap=1.5).tobytes()
        found["reduce"] = [image.reduce(2).tobytes(), image.reduce((3, 2), box=(1, 1, 12, 7)).tobytes()]
    if image.mode in ("L", "RGB"):
        reference = Image.new("P", (1, 1))
        reference.putpalette([value for index in range(40) for value in (index * 6, 255 - index * 5, index * 3 % 256)])
        found["quantize to palette"] = image.quantize(palette=reference).tobytes()
        found["quantize undithered"] = image.quantize(palette=reference, dither=Image.Dither.NONE).tobytes()
    if image.mode in ("L", "P"):
        remapped = image.remap_palette(list(range(255, -1, -1)))
        found["remap_palette"] = (remapped.mode, remapped.tobytes(), remapped.getpalette()[:30])
    if image.mode in ("1", "P"):
        # Pillow samples these NEAREST whatever filter is asked for.
        found["resize bicubic"] = image.resize((7, 9)).tobytes()
        found["rotate bilinear"] = image.rotate(30, Image.Resampling.BILINEAR).tobytes()
    for target in convertible:
        if (image.mode, target) in skip:
            continue
        found[f"convert {target}"] = outcome(lambda target=target: image.convert(target).tobytes())
    if image.mode in ("L", "RGB"):
        found["convert 1 undithered"] = image.convert("1", dither=Image.Dither.NONE).tobytes()
    return found


@run_in_pyodide(packages=["wasmcanvas"])
def in_wasm(selenium, sources, convertible, skip, palette, describe_source):
    from wasmcanvas import Image, ImageChops, ImageDraw, ImageFilter

    namespace = {"Image": Image, "ImageChops": ImageChops, "ImageDraw": ImageDraw, "ImageFilter": ImageFilter}
    namespace["POINTS"] = [(0, 0), (12, 6), (5, 3), (-1, -1)]
    exec(describe_source, namespace)
    skipped = [tuple(pair) for pair in skip]
    found = {}
    refused = {}
    for mode, size, data in sources:
        image = Image.frombytes(mode, size, data)
        if mode in ("P", "PA"):
            image.putpalette(palette)
        found[mode] = namespace["describe"](image, convertible, skipped)
        refused[mode] = [
            namespace["outcome"](lambda target=target: image.convert(target).mode)
            for source, target in skipped
            if source == mode
        ]
    return found, refused


@pytest.fixture(scope="module")
def results(selenium_rust_module_scope):
    import inspect

    describe_source = "\n".join(
        inspect.getsource(function) for function in (outcome, _pasted, _putdata, _drawn, describe)
    )
    sources = [(mode, SIZE, source(mode).tobytes()) for mode in Image.MODES]
    return in_wasm(selenium_rust_module_scope, sources, CONVERTIBLE, sorted(NOT_YET), PALETTE, describe_source)


@pytest.mark.parametrize("mode", Image.MODES)
def test_mode_matches_pillow(results, mode):
    found, _ = results
    expected = describe(source(mode), CONVERTIBLE, NOT_YET)
    ours = found[mode]
    assert sorted(ours) == sorted(expected)
    mismatched = [key for key in expected if _plain(ours[key]) != _plain(expected[key])]
    assert mismatched == [], {key: _first_difference(ours[key], expected[key]) for key in mismatched[:3]}


def _first_difference(ours, pillows):
    """Where two outcomes part, for the failure message."""
    if isinstance(ours, (list, tuple)) and isinstance(pillows, (list, tuple)) and len(ours) == len(pillows):
        for index, (a, b) in enumerate(zip(ours, pillows, strict=True)):
            if _plain(a) != _plain(b):
                return (index, *_first_difference(a, b)) if isinstance(a, (bytes, list, tuple)) else (index, a, b)
    if isinstance(ours, bytes) and isinstance(pillows, bytes) and len(ours) == len(pillows):
        index = next(i for i in range(len(ours)) if ours[i] != pillows[i])
        return (index, ours[index - 4 : index + 4], pillows[index - 4 : index + 4])
    return (ours, pillows)


def test_what_is_not_there_yet_says_so(results):
    _, refused = results
    # Pillow goes through ImageCms (littlecms) there; without it, ImportError.
    assert _plain(refused["LAB"]) == [["error", "ImportError"]] * 3


def _plain(value):
    """Tuples and lists alike, as values come back from Pyodide."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


@run_in_pyodide(packages=["wasmcanvas"])
def test_what_the_8_bit_kernels_cannot_do_is_refused(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageFilter

    with pytest.raises(ValueError, match=r"^cannot filter palette images$"):
        Image.new("P", (4, 4)).filter(ImageFilter.BLUR)
    for mode in ("P", "1", "I;16", "I;16B"):
        with pytest.raises(ValueError, match=r"^image has wrong mode$"):
            Image.new(mode, (4, 4)).reduce(2)
    for mode, instead in [("I", "L"), ("F", "L"), ("I;16", "L"), ("CMYK", "RGBA"), ("RGBa", "RGBA")]:
        image = Image.new(mode, (4, 4))
        message = (
            rf"^rotate of a {mode} image is not supported yet \(only NEAREST sampling is\); "
            rf'convert\("{instead}"\) first$'
        )
        if mode not in ("I", "F"):  # which resample with Pillow's 32-bit kernels
            with pytest.raises(NotImplementedError, match=message):
                image.rotate(10, Image.Resampling.BILINEAR)
        if mode in ("I", "F", "I;16"):  # a filter of one's own is 8-bit only
            with pytest.raises(NotImplementedError, match=f"^filter of a {mode} image"):
                image.filter(ImageFilter.Color3DLUT.generate(2, lambda r, g, b: (r, g, b)))
        with pytest.raises(NotImplementedError, match=f"^blend of a {mode} image"):
            Image.blend(image, image, 0.5)
        assert image.resize((2, 2), Image.Resampling.NEAREST).size == (2, 2)
    with pytest.raises(NotImplementedError, match=r"^in-place point of a F image is not supported$"):
        Image.new("F", (2, 1)).inplace.point(lambda v: v)
    with pytest.raises(NotImplementedError, match=r"^in-place filter of a I image is not supported$"):
        Image.new("I", (2, 1)).inplace.filter(ImageFilter.BLUR)
    with pytest.raises(TypeError, match=r"^too many data entries$"):
        Image.new("I", (2, 1)).putdata([1, 2, 3])
    with pytest.raises(TypeError, match=r"^sequence must be flattened$"):
        Image.new("F", (2, 1)).putdata([(1,), 2])
    with pytest.raises(ImportError, match="needs ImageCms"):
        Image.new("RGB", (1, 1)).convert("LAB")
    from wasmcanvas import Canvas

    canvas = Canvas.offscreen(4, 4)
    for mode in ("P", "I", "CMYK"):
        with pytest.raises(ValueError, match=rf'^cannot blit a {mode} image: blit\(image.convert\("RGBA"\)\) instead$'):
            canvas.blit(Image.new(mode, (2, 2)))
    canvas.blit(Image.new("1", (2, 2), 255), 1, 1)
    assert canvas.read_pixels(0, 0, 2, 2) == bytes(12) + bytes([255] * 4)
    # Pillow's message: PNG has no 32-bit grey.
    with pytest.raises(OSError, match=r"^cannot write mode I as PNG$"):
        Image.new("I", (1, 1)).save("/tmp/wide.png")


# ---- ImageMath: Pillow's arithmetic on one-band images

MATH_EXPRESSIONS = [
    "abs(a - b)",
    "a + b * 3",
    "a - 300",
    "a * 2.5",
    "a / b",
    "a % b",
    "b ** 2",
    "a & b | 7",
    "a ^ b",
    "~a",
    "-a",
    "a << 3",
    "i >> 2",
    "i * i",
    "i / 7",
    "i % -7",
    "i ** 3",
    "f / 3",
    "f % 7.5",
    "f ** 0.5",
    "f * i",
    "min(a, b)",
    "max(f, 100)",
    "a < b",
    "f >= 1000",
    "equal(a, b)",
    "notequal(f, f)",
    "int(f)",
    "float(a) / 3",
    "convert(a * 2, 'L')",
]


def math_operands() -> dict[str, Image.Image]:
    grey = PHOTO.convert("L")
    return {
        "a": grey,
        "b": grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT),
        "i": grey.convert("I").point(lambda v: v * 40000 - 3000000),
        "f": grey.convert("F").point(lambda v: v * 13.7 - 900),
    }


@run_in_pyodide(packages=["wasmcanvas"])
def math_in_wasm(selenium, operands, expressions):
    from wasmcanvas import Image, ImageMath

    images = {name: Image.frombytes(mode, size, data) for name, (mode, size, data) in operands.items()}
    found = []
    for expression in expressions:
        out = ImageMath.unsafe_eval(expression, **images)
        found.append((out.mode, out.tobytes()))
    lambda_out = ImageMath.lambda_eval(lambda args: abs(args["a"] - args["b"]), a=images["a"], b=images["b"])
    return found, lambda_out.convert("L").histogram()


def test_imagemath_matches_pillow(selenium_rust):
    from PIL import ImageMath

    operands = math_operands()
    sent = {name: (image.mode, image.size, image.tobytes()) for name, image in operands.items()}
    found, histogram = math_in_wasm(selenium_rust, sent, MATH_EXPRESSIONS)
    for expression, (mode, data) in zip(MATH_EXPRESSIONS, found, strict=True):
        expected = ImageMath.unsafe_eval(expression, **operands)
        assert (mode, data) == (expected.mode, expected.tobytes()), expression
    pillows = ImageMath.lambda_eval(lambda args: abs(args["a"] - args["b"]), a=operands["a"], b=operands["b"])
    assert histogram == pillows.convert("L").histogram()


@run_in_pyodide(packages=["wasmcanvas"])
def test_imagemath_refuses_as_pillow(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageMath

    with pytest.raises(ValueError, match=r"^unsupported mode: RGB$"):
        ImageMath.lambda_eval(lambda args: args["a"] + 1, a=Image.new("RGB", (1, 1)))
    with pytest.raises(TypeError, match=r"^bad operand type for 'invert'$"):
        ImageMath.unsafe_eval("~f", f=Image.new("F", (1, 1)))
    with pytest.raises(ValueError, match=r"^'exec' not allowed$"):
        ImageMath.unsafe_eval("exec('1')", a=Image.new("L", (1, 1)))
    with pytest.raises(ValueError, match=r"^'print' not allowed$"):
        ImageMath.unsafe_eval("a", print=Image.new("L", (1, 1)))


# Every operator on every pair of edge values, in each mode. Host Pillow
# traps on C's INT_MIN / -1, so that pair is left to rust_image's cargo tests.
INT_EDGES = [-(2**31), -(2**31) + 1, -65536, -7, -2, -1, 0, 1, 2, 3, 7, 31, 32, 33, 65536, 2**31 - 2, 2**31 - 1]
FLOAT_EDGES = [
    *(float("-inf"), -1e30, -7.5, -2.0, -1.0, -0.5, -0.0, 0.0, 1e-40, 1 / 3, 0.5, 1.0, 2.0, 3.0, 7.5, 1e30),
    *(float("inf"), float("nan")),
]
BOTH_MODES = [
    *("a + b", "a - b", "a * b", "a / b", "a % b", "a ** b", "min(a, b)", "max(a, b)", "a == b", "a != b"),
    *("a < b", "a <= b", "a > b", "a >= b", "equal(a, b)", "notequal(a, b)", "abs(a)", "-a", "abs(b)", "-b"),
]
INT_ONLY = ["a & b", "a | b", "a ^ b", "a << b", "a >> b", "~a", "~b"]


def edge_operands() -> dict[str, Image.Image]:
    """Images "a" and "b" of each mode holding every pair of its edge
    values, an "I" and an "F" image to mix, a smaller one to crop to and
    images of no pixels."""
    int_pairs = [(a, b) for a in INT_EDGES for b in INT_EDGES if (a, b) != (-(2**31), -1)]
    float_pairs = [(a, b) for a in FLOAT_EDGES for b in FLOAT_EDGES]

    def image(mode: str, values: list) -> Image.Image:
        out = Image.new(mode, (len(values), 1))
        out.putdata(values)
        return out

    return {
        "ia": image("I", [a for a, _ in int_pairs]),
        "ib": image("I", [b for _, b in int_pairs]),
        "fa": image("F", [a for a, _ in float_pairs]),
        "fb": image("F", [b for _, b in float_pairs]),
        "small": image("I", INT_EDGES[:5]),
        "empty": Image.new("I", (0, 1)),
        "empty_f": Image.new("F", (0, 2)),
    }


def edge_cases() -> list[tuple[str, dict[str, str]]]:
    """(expression, operand names) for each case."""
    cases = [(expression, {"a": "ia", "b": "ib"}) for expression in BOTH_MODES + INT_ONLY]
    cases += [(expression, {"a": "fa", "b": "fb"}) for expression in BOTH_MODES]
    cases += [(expression, {"a": "ia", "b": "small"}) for expression in ("a + b", "b * a", "a << b")]
    cases += [("a + b", {"a": "ia", "b": "empty"}), ("-a", {"a": "empty"}), ("a * b", {"a": "empty_f", "b": "ia"})]
    mixed = {"a": "ia", "b": "fa"}
    cases += [(expression, mixed) for expression in ("a + b", "a / b", "a ** b", "a < b", "equal(a, b)")]
    return cases


@run_in_pyodide(packages=["wasmcanvas"])
def math_edges_in_wasm(selenium, operands, cases):
    from wasmcanvas import Image, ImageMath

    images = {name: Image.frombytes(mode, size, data) for name, (mode, size, data) in operands.items()}
    found = []
    for expression, names in cases:
        out = ImageMath.unsafe_eval(expression, **{key: images[name] for key, name in names.items()})
        found.append((out.mode, out.size, out.tobytes()))
    return found


def test_imagemath_edge_values_match_pillow(selenium_rust):
    from PIL import ImageMath

    operands = edge_operands()
    sent = {name: (image.mode, image.size, image.tobytes()) for name, image in operands.items()}
    cases = edge_cases()
    found = math_edges_in_wasm(selenium_rust, sent, cases)
    wrong = []
    for (expression, names), got in zip(cases, found, strict=True):
        expected = ImageMath.unsafe_eval(expression, **{key: operands[name] for key, name in names.items()})
        want = (expected.mode, expected.size, expected.tobytes())
        if got[:2] != want[:2]:
            wrong.append(f"{expression} on {names}: {got[:2]} for {want[:2]}")
            continue
        words = [(got[2][i : i + 4].hex(), want[2][i : i + 4].hex()) for i in range(0, len(want[2]), 4)]
        pixels = [(i, *pair) for i, pair in enumerate(words) if pair[0] != pair[1]]
        if pixels:
            a, b = (operands[names[key]] for key in "ab")
            first, got_word, want_word = pixels[0]
            operand_values = (a.getpixel((first, 0)), b.getpixel((min(first, b.width - 1), 0)))
            wrong.append(
                f"{expression} on {names}: {len(pixels)} pixels, at {operand_values} {got_word} for {want_word}"
            )
    assert not wrong, wrong


def palette_story(Image):
    """Palette calls whose outcomes both sides must agree on."""
    im = Image.new("P", (3, 2), "red")
    found = [im.getpixel((0, 0)), im.getpalette()]
    im.putpixel((1, 0), (0, 0, 255))
    im.putpixel((2, 0), (255, 0, 0))
    found += [im.tobytes(), im.getpalette(), im.palette.mode, sorted(im.palette.colors.items())]
    other = im.copy()
    found.append(other == im)
    other.putpalette([1, 2, 3] * 4)
    found += [other == im, other.getpalette(), other.convert("RGB").tobytes()]
    rgba = im.copy()
    rgba.putpalette(bytes(range(16)), "RGBA")
    found += [rgba.palette.mode, rgba.getpalette("RGBA"), rgba.convert("RGBA").tobytes(), rgba.convert().mode]
    grey = Image.new("L", (2, 1), 7)
    grey.putpalette([9, 8, 7] * 8)
    found += [grey.mode, grey.convert("RGB").tobytes(), Image.new("RGB", (1, 1)).getpalette()]
    return found


@run_in_pyodide(packages=["wasmcanvas"])
def palette_story_in_wasm(selenium, story_source):
    from wasmcanvas import Image

    namespace = {}
    exec(story_source, namespace)
    return namespace["palette_story"](Image)


def test_palette_calls_match_pillow(selenium_rust):
    import inspect

    found = palette_story_in_wasm(selenium_rust, inspect.getsource(palette_story))
    assert _plain(found) == _plain(palette_story(Image))
