"""Pillow's object model around Image and ImageFile on wasmcanvas in Pyodide:
the repr (Pillow's module names when wasmcanvas is installed as PIL), the
module's constants, the format registry (OPEN, SAVE, EXTENSION, init...),
decompression bomb checks in crop, pickling palettes and JPEG files,
ImageFile's ``fp`` and constructor, ``_dump``, ``_repr_jpeg_`` and
``Exif.load_from_fp``: each compared with real Pillow's result on the host."""

import io
import pickle
import re
import warnings

from images import PILLOW_TESTS
from PIL import Image
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"
FLOWER = (IMAGES / "flower.jpg").read_bytes()


def pillow_crop_outcomes():
    """What Pillow's crop says for boxes beyond a 100x100 image with its
    default limit lowered to 128 * 128 pixels."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 128 * 128
    outcomes = []
    try:
        image = Image.new("RGB", (100, 100))
        for box in ((-9999, -9999, -9990, -9990), (-160, -160, 99, 99), (-99909, -99990, 99999, 99999)):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    size = image.crop(box).size
                except Image.DecompressionBombError as error:
                    outcomes.append(("error", str(error)))
                    continue
            outcomes.append(("ok", size, [str(warning.message) for warning in caught]))
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    return outcomes


def pillow_pickled_palettes():
    image = Image.frombytes("P", (3, 2), bytes([0, 1, 2, 1, 0, 2]))
    image.putpalette([10, 20, 30, 40, 50, 60, 70, 80, 90])
    image = image.convert("PA")
    back = pickle.loads(pickle.dumps(image))
    image._mode = "LA"
    as_la = pickle.loads(pickle.dumps(image))
    return (back.mode, back.getpalette(), back.tobytes(), as_la.mode, as_la.getpalette(), as_la.tobytes())


def pillow_jpeg_facts():
    with Image.open(io.BytesIO(FLOWER)) as im:
        back = pickle.loads(pickle.dumps(im))
        exif = Image.Exif()
        exif.load_from_fp(io.BytesIO(im.info["exif"][6:]))
        return (back.layers, back.layer, dict(exif))


@run_in_pyodide(packages=["wasmcanvas"])
def test_repr_names_pillows_modules_when_installed_as_pil(selenium_rust):
    import re
    import sys

    import wasmcanvas
    from wasmcanvas import Image, JpegImagePlugin

    image = Image.new("L", (4, 3))
    assert re.fullmatch(r"<wasmcanvas\.Image\.Image image mode=L size=4x3 at 0x[0-9A-F]+>", repr(image))
    assert repr(image).endswith(f"at 0x{id(image):X}>")
    saved = sys.modules.get("PIL")
    sys.modules["PIL"] = wasmcanvas
    try:
        assert repr(image).startswith("<PIL.Image.Image image mode=L size=4x3 at 0x")
        assert JpegImagePlugin.JpegImageFile.__qualname__ == "JpegImageFile"
    finally:
        if saved is None:
            del sys.modules["PIL"]
        else:
            sys.modules["PIL"] = saved
    image.close()
    assert repr(image) == "<wasmcanvas.Image.Image (closed)>"
    for enum in (Image.Transpose, Image.Transform, Image.Resampling, Image.Dither, Image.Palette, Image.Quantize):
        for name in enum.__members__:
            assert getattr(Image, name) == enum[name]
    assert (Image.MKS2013, Image.FLOYDSTEINBERG, Image.ADAPTIVE, Image.LIBIMAGEQUANT) == (6, 3, 1, 3)


@run_in_pyodide(packages=["wasmcanvas"])
def test_the_format_registry_is_pillows(selenium_rust):
    import io

    import pytest
    from wasmcanvas import Image, JpegImagePlugin, PngImagePlugin, UnidentifiedImageError

    Image._initialized = 0
    extensions = Image.registered_extensions()
    assert Image._initialized == 2 and Image.init() is False
    assert (extensions[".jpg"], extensions[".tiff"], extensions[".webp"]) == ("JPEG", "TIFF", "WEBP")
    assert all(extension in Image._EXTENSION_PLUGIN for extension in Image.EXTENSION)
    assert Image._EXTENSION_PLUGIN[".png"] == "PngImagePlugin"
    assert ".qoi" not in extensions  # sniffed, not read
    factory, accept = Image.OPEN["JPEG"]
    assert factory is JpegImagePlugin.JpegImageFile
    assert (accept(b"\xff\xd8\xff\xe0"), accept(b"\x89PNG\r\n\x1a\n")) == (True, False)
    assert Image.OPEN["PNG"][0] is PngImagePlugin.PngImageFile and Image.MIME["PNG"] == "image/png"
    count = len(Image.ID)
    Image.register_open("jpeg", factory, accept)
    assert len(Image.ID) == count
    Image.register_extensions("a", ["B", ".c"])
    assert (Image.EXTENSION.pop("b"), Image.EXTENSION.pop(".c")) == ("A", "A")

    image = Image.new("RGB", (3, 2), "teal")
    out, direct = io.BytesIO(), io.BytesIO()
    Image.SAVE["PNG"](image, out, "x.png")
    image.save(direct, "PNG")
    assert out.getvalue() == direct.getvalue()
    assert "GIF" in Image.SAVE and "ICO" not in Image.SAVE and Image.SAVE_ALL == {}

    Image.WARN_POSSIBLE_FORMATS = True
    try:
        with pytest.warns(UserWarning, match="opening failed"), pytest.raises(UnidentifiedImageError):
            Image.open(io.BytesIO(b""))
    finally:
        Image.WARN_POSSIBLE_FORMATS = False


@run_in_pyodide(packages=["wasmcanvas"])
def crop_outcomes(selenium, expected):
    import warnings

    from wasmcanvas import Image

    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 128 * 128
    outcomes = []
    try:
        image = Image.new("RGB", (100, 100))
        for box in ((-9999, -9999, -9990, -9990), (-160, -160, 99, 99), (-99909, -99990, 99999, 99999)):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                try:
                    size = image.crop(box).size
                except Image.DecompressionBombError as error:
                    outcomes.append(["error", str(error)])
                    continue
            assert all(issubclass(warning.category, Image.DecompressionBombWarning) for warning in caught)
            outcomes.append(["ok", list(size), [str(warning.message) for warning in caught]])
    finally:
        Image.MAX_IMAGE_PIXELS = saved
    assert outcomes == expected


def test_crop_checks_its_box_as_pillow(selenium_rust):
    expected = [
        [item if not isinstance(item, tuple) else list(item) for item in entry] for entry in pillow_crop_outcomes()
    ]
    crop_outcomes(selenium_rust, expected)


@run_in_pyodide(packages=["wasmcanvas"])
def pickled_palettes(selenium, expected):
    import pickle

    from wasmcanvas import Image

    image = Image.frombytes("P", (3, 2), bytes([0, 1, 2, 1, 0, 2]))
    image.putpalette([10, 20, 30, 40, 50, 60, 70, 80, 90])
    image = image.convert("PA")
    back = pickle.loads(pickle.dumps(image))
    assert back == image
    image._mode = "LA"
    as_la = pickle.loads(pickle.dumps(image))
    got = (back.mode, back.getpalette(), back.tobytes(), as_la.mode, as_la.getpalette(), as_la.tobytes())
    assert list(got) == expected


def test_palettes_pickle_as_pillows(selenium_rust):
    pickled_palettes(selenium_rust, list(pillow_pickled_palettes()))


@run_in_pyodide(packages=["wasmcanvas"])
def image_files(selenium, flower, expected):
    import io
    import os
    import pickle

    import pytest
    from wasmcanvas import Image, JpegImagePlugin, WebPImagePlugin

    layers, layer, exif_dict = expected
    flower = bytes(flower)
    with open("/tmp/flower.jpg", "wb") as file:
        file.write(flower)
    with Image.open("/tmp/flower.jpg") as im:
        number = im.fp.fileno()
        os.fstat(number)
        back = pickle.loads(pickle.dumps(im))
        assert type(back) is JpegImagePlugin.JpegImageFile
        assert (back.filename, back.layers, [list(entry) for entry in back.layer]) == ("/tmp/flower.jpg", layers, layer)
        assert back == im
    assert im.fp is None
    with pytest.raises(OSError):
        os.fstat(number)
    loaded = Image.open("/tmp/flower.jpg")
    loaded.load()
    size = im.size
    assert loaded.fp is None and loaded.size == size
    caller = io.BytesIO(flower)
    with Image.open(caller) as from_object:
        assert from_object.fp is caller
    assert not caller.closed
    with Image.open("/tmp/flower.jpg") as im:
        im.close()
        assert im.fp is None

    constructed = JpegImagePlugin.JpegImageFile("/tmp/flower.jpg")
    assert (constructed.size, constructed.format, constructed.filename) == (size, "JPEG", "/tmp/flower.jpg")
    assert constructed.tobytes() == Image.open(io.BytesIO(flower)).tobytes()
    for data in (b"\xff\xd8\xff", b"\xff\xd8\xff\x00"):
        with pytest.raises(SyntaxError, match="not identified by this driver"):
            JpegImagePlugin.JpegImageFile(io.BytesIO(data))
    with pytest.raises(SyntaxError, match="not a WEBP file"):
        WebPImagePlugin.WebPImageFile("/tmp/flower.jpg")

    exif = Image.Exif()
    exif.load_from_fp(io.BytesIO(constructed.info["exif"][6:]))
    assert {str(tag): (value if not hasattr(value, "numerator") else float(value)) for tag, value in exif.items()} == {
        str(tag): value for tag, value in exif_dict.items()
    }


def test_image_files_keep_fp_and_construct_as_pillows(selenium_rust):
    layers, layer, exif = pillow_jpeg_facts()
    exif = {tag: (float(value) if hasattr(value, "numerator") else value) for tag, value in exif.items()}
    image_files(selenium_rust, FLOWER, [layers, [list(entry) for entry in layer], exif])


@run_in_pyodide(packages=["wasmcanvas"])
def dump_and_repr_jpeg(selenium, ppm):
    import io

    import pytest
    from wasmcanvas import Image

    image = Image.new("L", (10, 10))
    assert image._dump("/tmp/dumped") == "/tmp/dumped"
    with open("/tmp/dumped", "rb") as file:
        assert file.read() == bytes(ppm)
    assert image._dump("/tmp/dumped", "PNG").endswith("/tmp/dumped.PNG")
    assert Image.open("/tmp/dumped.PNG").format == "PNG"
    temporary = Image.new("RGB", (10, 10))._dump()
    assert Image.open(temporary).format == "PPM"
    with pytest.raises(OSError):
        Image.new("HSV", (10, 10))._dump("/tmp/hsv.ppm")

    rgb = Image.new("RGB", (8, 8), "orange")
    shown = rgb._repr_jpeg_()
    out = io.BytesIO()
    rgb.save(out, "JPEG")
    assert shown == out.getvalue()
    assert Image.new("F", (2, 2))._repr_jpeg_() is None


def test_dump_and_repr_jpeg_as_pillow(selenium_rust, tmp_path):
    Image.new("L", (10, 10))._dump(str(tmp_path / "dumped"))
    dump_and_repr_jpeg(selenium_rust, (tmp_path / "dumped").read_bytes())


@run_in_pyodide(packages=["wasmcanvas"])
def webp_backgrounds(selenium, backgrounds):
    import io

    from wasmcanvas import Image, features

    image = Image.new("RGB", (4, 4), "red")
    outcomes = []
    for background in backgrounds:
        try:
            image.save(io.BytesIO(), "WEBP", save_all=True, append_images=[image], background=background)
        except OSError as error:
            outcomes.append(str(error))
        else:
            outcomes.append(None)
    return [features.version_module("webp"), outcomes]


def test_webp_background_and_version_are_pillows(selenium_rust):
    backgrounds = [0, (0,), (-1, 0, 1, 2), (253, 254, 255, 256), (1, 2, 3, 4)]
    expected = []
    image = Image.new("RGB", (4, 4), "red")
    for background in backgrounds:
        try:
            image.save(io.BytesIO(), "WEBP", save_all=True, append_images=[image], background=background)
        except OSError as error:
            expected.append(str(error))
        else:
            expected.append(None)
    version, outcomes = webp_backgrounds(selenium_rust, [list(b) if isinstance(b, tuple) else b for b in backgrounds])
    # Lists arrive for tuples: the messages show them as lists.
    assert [None if o is None else o.replace("[", "(").replace("]", ")") for o in outcomes] == [
        None if e is None else e.replace(",)", ")") for e in expected
    ]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version)
