"""Pillow's ``paste`` through masks of every mode it takes ("1", "L", "LA",
"RGBA", "RGBa"), of an image and of a colour, on wasmcanvas in Pyodide
against Pillow's bytes computed on the host."""

from images import sample_photo, with_alpha
from PIL import Image
from pytest_pyodide import run_in_pyodide

SIZE = (9, 7)
PICTURE = with_alpha(sample_photo(*SIZE, seed=5), seed=6)
WEIGHTS = with_alpha(sample_photo(*SIZE, seed=7), seed=8)
# A "1" mask holding 1 where putpixel put it (Pillow copies where not 0).
SET = [(x, y) for y in range(SIZE[1]) for x in range(SIZE[0]) if (x * 3 + y) % 4 == 1]
TARGETS = ("L", "RGB", "RGBA")
MASKS = ("1", "L", "LA", "RGBA", "RGBa")
COLOUR = (200, 90, 30, 120)


def pillow_mask(mode):
    if mode == "1":
        mask = Image.new("1", SIZE)
        for point in SET:
            mask.putpixel(point, 1)
        return mask
    # "RGBa" from its bytes as they are, as the test builds it in Pyodide.
    return Image.frombytes(mode, SIZE, WEIGHTS.convert("RGBA" if mode == "RGBa" else mode).tobytes())


def pillows():
    results = []
    for target in TARGETS:
        for mask_mode in MASKS:
            image = PICTURE.convert(target).transpose(Image.Transpose.ROTATE_180)
            image.paste(PICTURE.convert(target), (1, -2), pillow_mask(mask_mode))
            results.append(image.tobytes())
            if mask_mode != "LA":
                image = PICTURE.convert(target)
                colour = COLOUR[0] if target == "L" else COLOUR[: len(target)]
                image.paste(colour, (-1, 2, SIZE[0] - 1, SIZE[1] + 2), pillow_mask(mask_mode))
                results.append(image.tobytes())
    return results


@run_in_pyodide(packages=["wasmcanvas"])
def pasted(selenium, size, picture, weights, set_points, targets, masks, colour):
    import pytest
    from wasmcanvas import Image

    def mask_of(mode):
        if mode == "1":
            mask = Image.new("1", tuple(size))
            for point in set_points:
                mask.putpixel(tuple(point), 1)
            return mask
        with (
            Image.frombytes("RGBA", tuple(size), weights) as rgba,
            rgba.convert("RGBA" if mode == "RGBa" else mode) as m,
        ):
            return Image.frombytes(mode, tuple(size), m.tobytes())

    results = []
    with Image.frombytes("RGBA", tuple(size), picture) as source:
        for target in targets:
            for mask_mode in masks:
                with source.convert(target) as pasted_in, pasted_in.transpose(Image.Transpose.ROTATE_180) as image:
                    with mask_of(mask_mode) as mask:
                        image.paste(pasted_in, (1, -2), mask)
                        results.append(image.tobytes())
                with source.convert(target) as image, mask_of(mask_mode) as mask:
                    ink = colour[0] if target == "L" else tuple(colour[: len(target)])
                    box = (-1, 2, size[0] - 1, size[1] + 2)
                    if mask_mode == "LA":
                        with pytest.raises(ValueError, match=r"^bad transparency mask$"):
                            image.paste(ink, box, mask)
                    else:
                        image.paste(ink, box, mask)
                        results.append(image.tobytes())
    return results


def test_paste_through_every_mask_mode_gives_pillows_bytes(selenium_rust):
    got = pasted(selenium_rust, list(SIZE), PICTURE.tobytes(), WEIGHTS.tobytes(), SET, TARGETS, MASKS, list(COLOUR))
    assert got == pillows()


@run_in_pyodide(packages=["wasmcanvas"])
def test_paste_refuses_other_mask_modes(selenium_rust):
    import pytest
    from wasmcanvas import Image

    with Image.new("RGB", (2, 2)) as image, Image.new("RGB", (2, 2)) as mask:
        with pytest.raises(ValueError, match=r"^bad transparency mask$"):
            image.paste(image.copy(), (0, 0), mask)
        with pytest.raises(ValueError, match=r"^bad transparency mask$"):
            image.paste((1, 2, 3), (0, 0), mask)
