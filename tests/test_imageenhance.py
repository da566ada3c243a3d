"""`wasmcanvas.ImageEnhance` gives Pillow's `ImageEnhance` result to the byte
for each enhancer and a range of factors, and leaves the source image as it
was."""

from images import sample_photo, with_alpha
from PIL import ImageEnhance
from pytest_pyodide import run_in_pyodide

PICTURE = with_alpha(sample_photo(33, 21, seed=11), seed=12)
CASES = [
    (name, factor)
    for name in ("Color", "Contrast", "Brightness", "Sharpness")
    for factor in (-1, -0.3, 0, 0.4, 1, 1.7, 5)
]


@run_in_pyodide(packages=["wasmcanvas"])
def enhanced(selenium, size, picture, cases):
    from wasmcanvas import Image, ImageEnhance

    results = []
    with Image.frombytes("RGBA", size, picture) as image:
        for name, factor in cases:
            with getattr(ImageEnhance, name)(image).enhance(factor) as result:
                results.append(result.tobytes())
        unchanged = image.tobytes() == picture
    return results, unchanged


def test_every_enhancer_gives_pillows_bytes(selenium_rust):
    results, unchanged = enhanced(selenium_rust, PICTURE.size, PICTURE.tobytes(), CASES)
    assert unchanged
    different = [
        (name, factor)
        for (name, factor), got in zip(CASES, results, strict=True)
        if got != getattr(ImageEnhance, name)(PICTURE).enhance(factor).tobytes()
    ]
    assert different == []


@run_in_pyodide(packages=["wasmcanvas"])
def test_bad_factors_and_images_are_refused(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageEnhance

    with Image.new("RGBA", (2, 2)) as image:
        with pytest.raises(TypeError, match="factor must be a number, not str"):
            ImageEnhance.Color(image).enhance("2")
        with pytest.raises(ValueError, match="factor must be a finite number, got inf"):
            ImageEnhance.Sharpness(image).enhance(float("inf"))
    with pytest.raises(TypeError, match="image must be a wasmcanvas Image, not bytes"):
        ImageEnhance.Brightness(b"")
