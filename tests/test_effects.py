"""Pillow's effects on wasmcanvas in Pyodide: ``Image.effect_mandelbrot``
byte for byte as Pillow's, ``effect_noise`` with Pillow's distribution and
``effect_spread`` moving pixels as Pillow's does (both random, as Pillow's),
and their refusals with Pillow's exception types."""

import statistics

import pytest
from images import sample_photo
from PIL import Image
from pytest_pyodide import run_in_pyodide

MANDELBROTS = [((64, 48), (-3, -2.5, 2, 2.5), 100), ((31, 17), (-2, -1, 1, 1), 7), ((20, 20), (-2, 1.1, -1, 2.1), 2)]


@run_in_pyodide(packages=["wasmcanvas"])
def effects_in_pyodide(selenium, mandelbrots, photo):
    import pytest
    from wasmcanvas import Image

    made = [
        Image.effect_mandelbrot(tuple(size), tuple(extent), quality).tobytes() for size, extent, quality in mandelbrots
    ]
    for extent, quality in (((3, 2.5, -2, -2.5), 100), ((-3, -2.5, 2, 2.5), 1)):
        with pytest.raises(ValueError):
            Image.effect_mandelbrot((8, 8), extent, quality)
    with pytest.raises(TypeError):
        Image.effect_mandelbrot((8, 8), (0, 0, 1), 10)
    noise = Image.effect_noise((100, 80), 30)
    assert (noise.mode, noise.size) == ("L", (100, 80))
    image = Image.frombytes("RGB", (32, 24), bytes(photo))
    assert image.effect_spread(0) == image
    spread = image.effect_spread(6)
    assert (spread.mode, spread.size) == ("RGB", (32, 24)) and spread.tobytes() != image.tobytes()
    with pytest.raises(ValueError):
        image.effect_spread(-1)
    return made, list(noise.tobytes()), list(spread.tobytes())


def test_effects_are_pillows(selenium_rust):
    photo = sample_photo(32, 24)
    made, noise, spread = effects_in_pyodide(
        selenium_rust, [[list(case[0]), list(case[1]), case[2]] for case in MANDELBROTS], list(photo.tobytes())
    )
    for (size, extent, quality), ours in zip(MANDELBROTS, made, strict=True):
        assert ours == Image.effect_mandelbrot(size, extent, quality).tobytes(), (size, extent, quality)
    pillows = list(Image.effect_noise((100, 80), 30).tobytes())
    assert statistics.mean(noise) == pytest.approx(statistics.mean(pillows), abs=1.5)
    assert statistics.pstdev(noise) == pytest.approx(statistics.pstdev(pillows), abs=1.5)
    # Every spread pixel is one of the picture's, from at most two moves of 3 away.
    source = photo.tobytes()
    pixels = [tuple(source[i : i + 3]) for i in range(0, len(source), 3)]
    for index in range(len(pixels)):
        x, y = index % 32, index // 32
        nearby = {
            pixels[yy * 32 + xx]
            for yy in range(max(0, y - 6), min(24, y + 7))
            for xx in range(max(0, x - 6), min(32, x + 7))
        }
        assert tuple(spread[index * 3 : index * 3 + 3]) in nearby
