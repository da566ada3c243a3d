"""How a notebook shows an Image: ``_repr_png_`` and ``_repr_jpeg_`` as
Pillow 13's (None where the format cannot hold the mode), and our cap
(``Image.REPR_MAX_PIXELS``): above it both show a preview reduced by a
whole factor with a box filter, and ``_repr_png_`` is None when JPEG can
hold the mode. Pillow's expected previews are computed on the host."""

import io

import pytest
from PIL import Image as PillowImage
from pytest_pyodide import run_in_pyodide

SIZE = (30, 20)
# With a cap of 100 pixels, 30x20 needs a factor of 3: 15x10 is still 150.
CAP, PREVIEW = 100, (10, 7)
MODES = ("RGB", "L", "RGBA", "P", "F")


def pixels(mode: str) -> bytes:
    width, height = SIZE
    bands = len(PillowImage.new(mode, (1, 1)).getbands())
    if mode == "F":
        return PillowImage.linear_gradient("L").resize(SIZE).convert("F").tobytes()
    # Smooth, as photos are: on sharp edges the two JPEG encoders' rounding
    # differs by more than their common error.
    return bytes(x * 3 + y * 3 + band * 35 for y in range(height) for x in range(width) for band in range(bands))


@pytest.fixture(scope="module")
def expected():
    """Per mode, Pillow's full-size PNG pixels, its JPEG, and the capped
    preview's pixels and JPEG (None where Pillow cannot save)."""
    cases = {}
    for mode in MODES:
        image = PillowImage.frombytes(mode, SIZE, pixels(mode))
        if mode == "P":
            image.putpalette(bytes(range(256)) * 3)
        preview = image.resize(PREVIEW, PillowImage.Resampling.BOX)
        full_png = image._repr_png_()
        cases[mode] = {
            "full": PillowImage.open(io.BytesIO(full_png)).tobytes() if full_png else None,
            "full_jpeg": image._repr_jpeg_(),
            "preview": preview.tobytes(),
            "preview_jpeg": preview._repr_jpeg_(),
        }
    return cases


@run_in_pyodide(packages=["wasmcanvas"])
def shown(selenium, modes, size, cap, source):
    import io

    from wasmcanvas import Image

    def decoded(data):
        if data is None:
            return None
        with Image.open(io.BytesIO(data)) as picture:
            return picture.format, picture.size, picture.mode, picture.tobytes()

    results = {}
    default = Image.REPR_MAX_PIXELS
    try:
        for mode in modes:
            image = Image.frombytes(mode, tuple(size), bytes(source[mode]))
            if mode == "P":
                image.putpalette(bytes(range(256)) * 3)
            Image.REPR_MAX_PIXELS = None
            whole = (decoded(image._repr_png_()), image._repr_jpeg_())
            Image.REPR_MAX_PIXELS = cap
            capped = (decoded(image._repr_png_()), image._repr_jpeg_())
            results[mode] = {"whole": whole, "capped": capped}
    finally:
        Image.REPR_MAX_PIXELS = default
    # A 12-megapixel photo under the default cap: no PNG, a JPEG at half size.
    photo = Image.new("RGB", (4032, 3024), "#3070c0")
    jpeg = photo._repr_jpeg_()
    results["photo"] = (default, photo._repr_png_(), decoded(jpeg)[:3], len(jpeg))
    return results


def same_jpeg(ours, pillows, mode):
    """Both None, or JPEGs of the same size and mode whose pixels differ by
    at most 3 on average (the encoders' rounding differs, as
    tests/test_jpeg_save.py allows)."""
    if ours is None or pillows is None:
        assert ours is pillows, mode
        return
    with PillowImage.open(io.BytesIO(ours)) as mine, PillowImage.open(io.BytesIO(pillows)) as theirs:
        assert (mine.format, mine.size, mine.mode) == (theirs.format, theirs.size, theirs.mode), mode
        differences = [abs(a - b) for a, b in zip(mine.tobytes(), theirs.tobytes(), strict=True)]
        assert sum(differences) / len(differences) <= 3, (mode, sum(differences) / len(differences))


def test_notebook_reprs_as_pillow_with_our_cap(selenium_rust_module_scope, expected):
    results = shown(selenium_rust_module_scope, MODES, SIZE, CAP, {mode: pixels(mode) for mode in MODES})
    for mode in MODES:
        want = expected[mode]
        (png, jpeg), (capped_png, capped_jpeg) = results[mode]["whole"], results[mode]["capped"]
        # Below the cap: Pillow's PNG pixels and Pillow's JPEG bytes (None alike).
        assert (png[3] if png else None) == want["full"], mode
        same_jpeg(jpeg, want["full_jpeg"], mode)
        if mode == "F":
            assert (capped_png, capped_jpeg) == (None, None)
        elif want["preview_jpeg"] is not None:
            # JPEG holds the mode: no PNG, the preview's JPEG as Pillow writes it.
            assert capped_png is None, mode
            same_jpeg(capped_jpeg, want["preview_jpeg"], mode)
        else:
            assert capped_jpeg is None, mode
            assert capped_png[:3] == ("PNG", PREVIEW, mode), mode
            assert capped_png[3] == want["preview"], mode
    default, photo_png, photo_jpeg, jpeg_bytes = results["photo"]
    assert default == 2048 * 2048
    assert photo_png is None
    assert photo_jpeg == ("JPEG", (2016, 1512), "RGB")
    assert jpeg_bytes < 1_000_000
