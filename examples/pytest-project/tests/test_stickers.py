"""The stickers module's tests. A test decorated with ``run_in_wasmcanvas``
runs inside Pyodide, with wasmcanvas and stickers.py loaded; a plain test
runs on the host and can compare with real Pillow there."""

import io

from PIL import Image as PillowImage
from PIL import ImageOps as PillowImageOps
from pytest_wasmcanvas import run_in_wasmcanvas


@run_in_wasmcanvas
def test_a_sticker_is_the_photos_centre_in_a_border(selenium_wasmcanvas):
    from stickers import sticker
    from wasmcanvas import Image

    # Red on the left, blue on the right: the square crop keeps both halves.
    photo = Image.new("RGB", (200, 100), "red")
    photo.paste((0, 0, 255), (100, 0, 200, 100))
    card = sticker(photo, size=64, border=4)
    assert (card.mode, card.size) == ("RGB", (64, 64))
    assert card.getpixel((0, 0)) == card.getpixel((63, 63)) == (255, 255, 255)
    assert card.getpixel((10, 32)) == (255, 0, 0)
    assert card.getpixel((53, 32)) == (0, 0, 255)


@run_in_wasmcanvas
def test_a_jpeg_becomes_a_png_sticker(selenium_wasmcanvas):
    import io

    from stickers import sticker_file
    from wasmcanvas import Image

    photo = io.BytesIO()
    Image.new("RGB", (120, 90), (40, 160, 90)).save(photo, "JPEG", quality=95)
    with Image.open(io.BytesIO(sticker_file(photo.getvalue(), size=32))) as card:
        assert (card.format, card.size) == ("PNG", (32, 32))
        red, green, blue = card.getpixel((16, 16))
        assert abs(red - 40) <= 2 and abs(green - 160) <= 2 and abs(blue - 90) <= 2


@run_in_wasmcanvas
def sticker_in_pyodide(selenium, photo_png):
    from stickers import sticker_file

    return sticker_file(photo_png, size=48)


def test_the_sticker_is_pillows(selenium_wasmcanvas):
    """The same steps with real Pillow on the host give the same pixels."""
    photo = PillowImage.linear_gradient("L").resize((90, 60)).convert("RGB")
    data = io.BytesIO()
    photo.save(data, "PNG")
    expected = PillowImage.new("RGB", (48, 48), "white")
    expected.paste(PillowImageOps.fit(photo, (40, 40)), (4, 4))

    ours = PillowImage.open(io.BytesIO(sticker_in_pyodide(selenium_wasmcanvas, data.getvalue())))
    assert ours.size == (48, 48)
    assert ours.tobytes() == expected.tobytes()
