"""`wasmcanvas.ImageStat` gives Pillow's `ImageStat` numbers exactly, from an
image and from a histogram list."""

from images import sample_photo, with_alpha
from PIL import ImageStat
from pytest_pyodide import run_in_pyodide

PICTURE = with_alpha(sample_photo(41, 23, seed=8), seed=9)
NAMES = ["extrema", "count", "sum", "sum2", "mean", "median", "rms", "var", "stddev"]


def pillow(stat):
    return [[list(v) if isinstance(v, tuple) else v for v in getattr(stat, name)] for name in NAMES]


@run_in_pyodide(packages=["wasmcanvas"])
def ours(selenium, size, picture, names, histogram):
    from wasmcanvas import Image, ImageStat

    def values(stat):
        return [[list(v) if isinstance(v, tuple) else v for v in getattr(stat, name)] for name in names]

    with Image.frombytes("RGBA", size, picture) as image:
        from_image = values(ImageStat.Stat(image))
    return from_image, values(ImageStat.Global(histogram))


def test_every_statistic_equals_pillows(selenium_rust):
    # A histogram with an empty channel: Pillow's edge cases (extrema (255, 0),
    # median 255, means 0).
    histogram = [0] * 256 + [3] * 256 + [0] * 255 + [9]
    from_image, from_list = ours(selenium_rust, PICTURE.size, PICTURE.tobytes(), NAMES, histogram)
    assert from_image == pillow(ImageStat.Stat(PICTURE))
    assert from_list == pillow(ImageStat.Stat(histogram))


@run_in_pyodide(packages=["wasmcanvas"])
def test_only_images_and_lists_are_taken(selenium_rust):
    import pytest
    from wasmcanvas import ImageStat

    with pytest.raises(TypeError, match="first argument must be image or list"):
        ImageStat.Stat("image.png")
