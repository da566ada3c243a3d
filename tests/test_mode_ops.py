"""Operations Pillow allows on every mode, against Pillow on the host: each
case below runs twice, with Pillow's modules here and with wasmcanvas's in
the page, and what it returns (bytes, pixels, info, or the exception's type
and message) must be the same."""

from __future__ import annotations

import inspect

import pytest
from PIL import Image, ImageChops, ImageOps, ImageStat
from pytest_pyodide import run_in_pyodide


def picture(Image, mode, size=(11, 7)):
    """An image of ``mode`` whose pixels all differ, made alike by both."""
    width, height = size
    levels = bytes((x * 23 + y * 41 + (x * y) % 7) % 256 for y in range(height) for x in range(width))
    grey = Image.frombytes("L", size, levels)
    if mode in ("I", "F"):
        return grey.convert(mode).point(lambda v: v * 300 - 9000)
    if mode.startswith("I;16"):
        wide = grey.convert("I").point(lambda v: v * 257)
        little = wide.convert("I;16").tobytes()
        if mode == "I;16B":
            little = bytes(b for i in range(0, len(little), 2) for b in (little[i + 1], little[i]))
        return Image.frombytes(mode, size, little)
    if mode in ("P", "PA"):
        image = grey.convert(mode)
        image.putpalette([(index * 7 + band * 50) % 256 for index in range(256) for band in range(3)])
        return image
    colour = Image.merge("RGB", (grey, grey.transpose(Image.Transpose.FLIP_LEFT_RIGHT), grey.rotate(180)))
    if mode in ("RGBA", "LA", "La", "RGBa", "PA"):
        colour.putalpha(grey.transpose(Image.Transpose.FLIP_TOP_BOTTOM))
        colour = colour.convert("RGBA")
    return colour.convert(mode)


def outcome(call):
    """What ``call`` gives, or the type and message of what it raises."""
    try:
        return ("ok", call())
    except Exception as error:
        return ("error", type(error).__name__, str(error))


def case_convert_transparency(Image, ImageOps, ImageChops, ImageStat):
    found = []
    # Pillow compares all 4 bytes of an "RGB" pixel: its padding must be 255
    # (as a decoder or a conversion leaves it, not merge).
    rgb = picture(Image, "RGB").convert("RGBA").convert("RGB")
    key = rgb.getpixel((3, 2))
    for source in ("RGB", "L", "1", "I", "P"):
        image = rgb.convert(source) if source != "I" else rgb.convert("L").convert("I")
        image.info["transparency"] = key if source == "RGB" else image.getpixel((3, 2))
        for target in ("LA", "La", "RGBA", "RGBa", "L", "RGB", "P", "PA", "I", "F"):
            converted = outcome(lambda i=image, t=target: i.convert(t))
            if converted[0] == "ok":
                converted = ("ok", converted[1].mode, converted[1].tobytes(), converted[1].info.get("transparency"))
            found.append((source, target, converted))
    palette = picture(Image, "P")
    palette.info["transparency"] = bytes(range(0, 256, 5))
    found.append(outcome(lambda: palette.convert("RGBA").tobytes()))
    palette = picture(Image, "P")
    palette.info["transparency"] = 9
    found.append(outcome(lambda: (palette.convert().mode, palette.convert("LA").tobytes())))
    return found


def case_convert_matrix_and_lab(Image, ImageOps, ImageChops, ImageStat):
    rgb = picture(Image, "RGB")
    rgb.info["transparency"] = (200, 10, 30)
    xyz = (0.412453, 0.357580, 0.180423, 0, 0.212671, 0.715160, 0.072169, 0, 0.019334, 0.119193, 0.950227, 0)
    found = []
    for mode, matrix in [("RGB", xyz), ("L", xyz), ("L", xyz[:4]), ("L", (0,)), ("RGB", [1.5, -2, 0, 3] * 3)]:
        converted = outcome(lambda m=mode, x=matrix: rgb.convert(m, x))
        if converted[0] == "ok":
            converted = ("ok", converted[1].tobytes(), converted[1].info["transparency"])
        found.append(converted)
    found.append(outcome(lambda: rgb.convert("INVALID")))
    lab = Image.frombytes("LAB", (2, 1), bytes([10, 20, 30, 200, 128, 5]))
    found += [outcome(lambda m=mode: lab.convert(m)) for mode in ("L", "1", "HSV", "RGBa")]
    return found


def case_putalpha(Image, ImageOps, ImageChops, ImageStat):
    found = []
    for mode in Image.MODES:
        if mode == "LAB":
            continue
        image = picture(Image, mode)
        found.append(outcome(lambda i=image: (i.putalpha(77), i.mode, i.tobytes())[1:]))
        image = picture(Image, mode)
        found.append(outcome(lambda i=image: (i.putalpha(picture(Image, "1")), i.mode, i.tobytes())[1:]))
    image = picture(Image, "RGB")
    found.append(outcome(lambda: image.putalpha(picture(Image, "RGB"))))
    found.append(outcome(lambda: image.putalpha(Image.new("L", (2, 2)))))
    found.append(outcome(lambda: (image.putalpha(300), image.getpixel((0, 0)))[1]))
    return found


def case_gradients_merge_logical(Image, ImageOps, ImageChops, ImageStat):
    found = []
    for mode in ("1", "L", "P", "I", "F", "RGB", "I;16"):
        for gradient in (Image.linear_gradient, Image.radial_gradient):
            made = outcome(lambda g=gradient, m=mode: g(m))
            found.append(made if made[0] == "error" else (made[1].mode, made[1].tobytes(), made[1].getpixel((3, 200))))
    grey, wide, one = picture(Image, "L"), picture(Image, "I"), picture(Image, "1")
    for mode, bands in [("PA", (wide, grey)), ("LA", (grey, wide)), ("I", (wide,)), ("I", (grey,)), ("F", (wide,))]:
        found.append(outcome(lambda m=mode, b=bands: Image.merge(m, b).tobytes()))
    for mode, bands in [("LA", (picture(Image, "P"), grey)), ("RGB", (picture(Image, "LA"), grey, grey))]:
        found.append(outcome(lambda m=mode, b=bands: Image.merge(m, b).tobytes()))
    found.append(outcome(lambda: Image.merge("RGB", (one, grey, grey)).tobytes()))
    other = one.transpose(Image.Transpose.ROTATE_180).crop((0, 0, 9, 5))
    other.putpixel((1, 1), 7)
    for chop in (ImageChops.logical_and, ImageChops.logical_or, ImageChops.logical_xor):
        found.append(outcome(lambda c=chop: c(one, other).tobytes()))
        found.append(outcome(lambda c=chop: c(one, grey)))
    return found


def case_putpixel_values(Image, ImageOps, ImageChops, ImageStat):
    """putpixel's common values and those just past them, in every mode
    (errors compared by type: the messages are checked elsewhere)."""
    found = []
    colours = [
        0,
        255,
        256,
        -1,
        7.0,
        (9,),
        (1, 2),
        (1, 2, 3),
        (1, 2, 3, 4),
        (1, 2, 3, 4, 5),
        (1, 2.5, 3),
    ]
    points = [(1, 1), (-1, 0), (2, 1), (0, 2), (1.0, 0), [1, 0]]
    for mode in ("1", "L", "LA", "RGB", "RGBA", "P", "I", "F"):
        for colour in colours:
            for xy in points if colour == (1, 2, 3) else points[:1]:
                image = Image.new(mode, (2, 2))
                done = outcome(lambda i=image, p=xy, c=colour: i.putpixel(p, c))
                found.append((mode, colour, xy, done[:2], image.tobytes()))
    return found


def case_point_tables(Image, ImageOps, ImageChops, ImageStat):
    found = []
    tables = {
        None: [(level * 7) % 300 - 20 for level in range(256)],
        "L": [255 - level for level in range(256)],
        "1": [level % 3 for level in range(256)],
        "P": [level // 2 for level in range(256)],
        "F": [level * 0.37 - 11.5 for level in range(256)],
        "I": [level * 100003 - 2**31 for level in range(256)],
        "RGB": [(level * 5) % 256 for level in range(768)],
        "RGBA": [(level * 11) % 270 for level in range(1024)],
    }
    for source in ("1", "L", "P", "I", "I;16", "F", "RGB", "RGBA", "LA"):
        image = picture(Image, source)
        for mode, table in tables.items():
            if mode == source == "RGB":
                continue  # Pillow's core reads memory it never wrote there
            bands = len(image.getbands()) if mode is None else 1
            made = outcome(lambda m=mode, t=table * bands: image.point(t, m))
            found.append(made if made[0] == "error" else (made[1].mode, made[1].tobytes()))
    wide = picture(Image, "I").point(lambda v: v / 4 + 2000)
    found.append(outcome(lambda: wide.point([level % 251 for level in range(65536)], "L").tobytes()))
    found.append(outcome(lambda: wide.point([1.5] * 256, "L")))
    found.append(outcome(lambda: picture(Image, "L").point([2**40, -(2**33) + 5] * 128, "I").tobytes()))
    found.append(outcome(lambda: picture(Image, "L").point(["a"] * 256, "F")))
    return found


def case_masked_histogram_and_stat(Image, ImageOps, ImageChops, ImageStat):
    found = []
    mask = Image.new("1", (11, 7), 0)
    mask.paste(1, (2, 1, 9, 5))
    grey_mask = picture(Image, "L").point(lambda v: 0 if v < 100 else v)
    for mode in ("1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "CMYK", "YCbCr", "I", "F", "I;16"):
        image = picture(Image, mode)
        for weights in (mask, grey_mask):
            found.append(outcome(lambda i=image, w=weights: i.histogram(w)))
            stat = outcome(lambda i=image, w=weights: ImageStat.Stat(i, w))
            found.append(stat if stat[0] == "error" else [stat[1].count, stat[1].sum, stat[1].median, stat[1].extrema])
    image = picture(Image, "L")
    found.append(outcome(lambda: image.histogram(Image.new("1", (1, 1)))))
    found += [outcome(lambda m=mode: image.histogram(Image.new(m, (11, 7)))) for mode in ("LA", "P", "RGB", "I")]
    return found


def case_imageops_palette_and_bilevel(Image, ImageOps, ImageChops, ImageStat):
    found = []
    palette = picture(Image, "P")
    translucent = Image.new("P", (3, 2))
    translucent.putpalette((0, 0, 0, 0, 255, 0, 0, 128, 9, 99, 199, 255), "RGBA")
    translucent.putdata([0, 1, 2, 2, 1, 0])
    for image in (palette, translucent):
        for operation in (
            ImageOps.invert,
            ImageOps.solarize,
            lambda i: ImageOps.solarize(i, 90),
            lambda i: ImageOps.posterize(i, 3),
            ImageOps.equalize,
            ImageOps.autocontrast,
        ):
            made = outcome(lambda o=operation, i=image: o(i))
            found.append(made if made[0] == "error" else (made[1].mode, made[1].tobytes(), made[1].getpalette(None)))
    bilevel = picture(Image, "1")
    for operation in (ImageOps.invert, ImageOps.solarize, ImageOps.equalize, ImageOps.autocontrast):
        made = outcome(lambda o=operation: o(bilevel))
        found.append(made if made[0] == "error" else (made[1].mode, made[1].tobytes()))
    blank = Image.new("P", (2, 1))
    blank.info["transparency"] = 0
    for image in (palette, translucent, blank, picture(Image, "PA")):
        for name, make in (
            ("expand", lambda i: ImageOps.expand(i, 1, "blue")),
            ("expand", lambda i: ImageOps.expand(i, (2, 1), (9, 99, 199))),
            ("pad", lambda i: ImageOps.pad(i, (7, 3), color="red", centering=(0, 0))),
        ):
            if (name, image.mode) == ("pad", "PA"):
                continue  # Pillow's resized "PA" image loses its palette
            made = outcome(lambda m=make, i=image: m(i))
            if made[0] == "ok":
                made = (made[1].mode, made[1].tobytes(), made[1].getpalette(None), made[1].info.get("transparency"))
            found.append(made)
    return found


def case_resize_sixteen_bit(Image, ImageOps, ImageChops, ImageStat):
    found = []
    for mode in ("I;16", "I;16L", "I;16B", "I;16N"):
        image = picture(Image, mode)
        # Steps from 0 to 65535, for the filters' overshoot to clip.
        steps = Image.new(mode, (20, 3))
        steps.paste(65535, (5, 0, 12, 3))
        for filter_ in (1, 2, 3, 4, 5):
            found.append(image.resize((7, 9), filter_).tobytes())
            found.append(image.resize((20, 4), filter_, box=(1.5, 0.5, 11, 6.25)).tobytes())
            found.append(image.resize((4, 2), filter_).tobytes())
            found.append(steps.resize((4, 3), filter_).tobytes())
        found.append(outcome(lambda i=image: i.resize((3, 3), 1, reducing_gap=2.0).tobytes()))
        found.append(outcome(lambda i=image: i.resize((2, 2), 1, reducing_gap=1.5)))
    for mode in ("I", "F"):
        image = picture(Image, mode)
        for filter_ in (1, 2, 3, 4, 5):
            found.append(outcome(lambda i=image, f=filter_: i.resize((2, 3), f, reducing_gap=1.5).tobytes()))
            box = (1.5, 0.5, 11, 6.25)
            found.append(outcome(lambda i=image, f=filter_: i.resize((3, 2), f, box, reducing_gap=1.2).tobytes()))
        found.append(outcome(lambda i=image: i.resize((3, 2), 2, reducing_gap=0.5)))
    return found


def case_thumbnail_every_mode(Image, ImageOps, ImageChops, ImageStat):
    found = []
    for mode in ("CMYK", "RGBX", "RGBa", "La", "PA", "I", "F", "I;16", "I;16B", "RGB", "P"):
        for fit, filter_, gap in (((5, 5), 3, 2.0), ((4, 9), 1, None), ((6, 3), 0, 1.5), ((20, 20), 3, 2.0)):
            image = picture(Image, mode)

            def shrink(image=image, fit=fit, filter_=filter_, gap=gap):
                image.thumbnail(fit, filter_, gap)
                return image.mode, image.size, image.tobytes()

            found.append((mode, fit, outcome(shrink)))
    return found


CASES = [value for name, value in sorted(globals().items()) if name.startswith("case_")]


@run_in_pyodide(packages=["wasmcanvas"])
def in_wasm(selenium, source, names):
    import wasmcanvas
    from wasmcanvas import Image, ImageChops, ImageOps, ImageStat

    namespace = {"__name__": "cases", "wasmcanvas": wasmcanvas}
    exec(source, namespace)
    return {name: namespace[name](Image, ImageOps, ImageChops, ImageStat) for name in names}


def _plain(value):
    """Tuples and lists alike, as values come back from Pyodide."""
    if isinstance(value, (list, tuple)):
        return [_plain(item) for item in value]
    return value


@pytest.fixture(scope="module")
def results(selenium_rust_module_scope):
    source = "\n\n".join(inspect.getsource(function) for function in (picture, outcome, *CASES))
    return in_wasm(selenium_rust_module_scope, source, [case.__name__ for case in CASES])


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.__name__)
def test_matches_pillow(results, case):
    expected = _plain(case(Image, ImageOps, ImageChops, ImageStat))
    ours = _plain(results[case.__name__])
    mismatched = [index for index, (a, b) in enumerate(zip(ours, expected, strict=True)) if a != b]
    assert mismatched == [], [(index, ours[index], expected[index]) for index in mismatched[:3]]
