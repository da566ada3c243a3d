"""The parts of Pillow's object model that Pillow's code and tests touch,
on wasmcanvas in Pyodide: `features` with the package's version,
`ImageTransform` objects and `Transform.MESH` (and `ImageOps.deform` over
it) giving Pillow's bytes, the one frame of a still image (`n_frames`,
`seek`, `tell`, `ImageSequence`), and pickling."""

from images import sample_photo, with_alpha
from PIL import ImageOps, ImageTransform
from pytest_pyodide import run_in_pyodide

PICTURE = with_alpha(sample_photo(23, 17, seed=3), seed=4)

# (source for both libraries' ImageTransform / Image, output size, resample)
TRANSFORMS = [
    ("ImageTransform.AffineTransform((0.9, 0.2, -1.5, -0.1, 1.1, 2.0))", (20, 19), 0),
    ("ImageTransform.ExtentTransform((3, 2, 19, 15))", (31, 12), 2),
    ("ImageTransform.QuadTransform((1, 2, 0, 15, 22, 16, 20, 1))", (18, 18), 0),
    ("ImageTransform.PerspectiveTransform((1, 0.1, 0, 0.05, 1, 0, 0.001, 0.002))", (23, 17), 3),
    (
        "ImageTransform.MeshTransform([((0, 0, 12, 17), (0, 0, 0, 17, 11, 17, 11, 0)),"
        " ((12, 0, 23, 9), (22, 0, 22, 9, 12, 9, 12, 0)), ((12, 9, 23, 17), (12, 9, 12, 17, 23, 17, 23, 9))])",
        (23, 17),
        0,
    ),
    # Boxes reaching past the result: Pillow clips them, keeping the map's steps.
    (
        "ImageTransform.MeshTransform([((-4, -3, 10, 9), (0, 0, 0, 12, 14, 12, 14, 0)),"
        " ((10, 5, 30, 25), (23, 0, 23, 17, 0, 17, 0, 0))])",
        (23, 17),
        0,
    ),
    (
        "ImageTransform.MeshTransform([((2, 2, 20, 15), (1, 1, 3, 16, 21, 15, 19, 2))])",
        (23, 17),
        2,
    ),
]


class Wave:
    def getmesh(self, image):
        width, height = image.size
        return [((x, 0, x + 4, height), (x + 1, 0, x, height, x + 4, height, x + 5, 0)) for x in range(0, width, 4)]


WAVE = """
class Wave:
    def getmesh(self, image):
        width, height = image.size
        return [
            ((x, 0, x + 4, height), (x + 1, 0, x, height, x + 4, height, x + 5, 0)) for x in range(0, width, 4)
        ]
"""


def pillows(source, size, resample):
    transform = eval(source, {"ImageTransform": ImageTransform})
    return PICTURE.transform(size, transform, resample=resample).tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def transformed(selenium, size, picture, cases, wave):
    from wasmcanvas import Image, ImageOps, ImageTransform

    results = []
    with Image.frombytes("RGBA", size, picture) as image:
        for source, out_size, resample in cases:
            transform = eval(source, {"ImageTransform": ImageTransform})
            with image.transform(tuple(out_size), transform, resample=resample) as result:
                results.append(result.tobytes())
            method, data = transform.getdata()
            with image.transform(tuple(out_size), method, data, resample) as result:
                assert result.tobytes() == results[-1]
        namespace: dict = {}
        exec(wave, namespace)
        with ImageOps.deform(image, namespace["Wave"]()) as result:
            deformed = result.tobytes()
        with image.convert("RGB") as rgb, ImageOps.deform(rgb, namespace["Wave"](), 0) as result:
            deformed_rgb = result.tobytes()
    return results, deformed, deformed_rgb


def test_transform_objects_and_meshes_give_pillows_bytes(selenium_rust):
    cases = [[source, list(size), resample] for source, size, resample in TRANSFORMS]
    results, deformed, deformed_rgb = transformed(selenium_rust, PICTURE.size, PICTURE.tobytes(), cases, WAVE)
    different = [
        source
        for (source, size, resample), got in zip(TRANSFORMS, results, strict=True)
        if got != pillows(source, size, resample)
    ]
    assert not different, "\n".join(different)
    assert deformed == ImageOps.deform(PICTURE, Wave()).tobytes()
    assert deformed_rgb == ImageOps.deform(PICTURE.convert("RGB"), Wave(), 0).tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def test_transform_objects_are_pillows(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageTransform

    transform = ImageTransform.AffineTransform((1, 0, 0, 0, 1, 0))
    assert transform.getdata() == (Image.Transform.AFFINE, (1, 0, 0, 0, 1, 0))
    assert isinstance(transform, Image.ImageTransformHandler)
    assert ImageTransform.MeshTransform([]).method is Image.Transform.MESH
    with Image.new("L", (4, 3), 7) as image:
        with image.transform((2, 2), Image.Transform.MESH, []) as empty:
            assert empty.tobytes() == bytes(4)
        with image.transform((2, 2), Image.Transform.MESH, [], fillcolor=5) as filled:
            assert filled.tobytes() == bytes([5] * 4)
        with pytest.raises(ValueError, match="missing method data"):
            image.transform((2, 2), Image.Transform.MESH)
        with pytest.raises(ValueError, match="quad must be 8 numbers"):
            image.transform((2, 2), Image.Transform.MESH, [((0, 0, 2, 2), (0, 0, 1, 1))])


@run_in_pyodide(packages=["wasmcanvas"])
def test_a_still_image_has_one_frame(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageSequence

    with Image.new("RGB", (3, 2), "red") as image:
        assert (image.n_frames, image.is_animated, image.tell(), image.readonly) == (1, False, 0, 0)
        image.seek(0)
        with pytest.raises(EOFError, match="no more images in file"):
            image.seek(1)
        assert [frame is image for frame in ImageSequence.Iterator(image)] == [True]
        frames = ImageSequence.all_frames(image, lambda frame: frame.rotate(90, expand=True))
        assert [(frame.size, frame.getpixel((0, 0))) for frame in frames] == [((2, 3), (255, 0, 0))]


@run_in_pyodide(packages=["wasmcanvas"])
def test_images_pickle_with_mode_size_info_and_pixels(selenium_rust):
    import copy
    import pickle

    from wasmcanvas import Image

    for mode in ("L", "LA", "RGB", "RGBA"):
        with Image.frombytes(mode, (3, 2), bytes(range(40, 40 + 6 * len(mode)))) as image:
            image.info["dpi"] = (72, 72)
            for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
                back = pickle.loads(pickle.dumps(image, protocol))
                assert (back.mode, back.size, back.info, back.tobytes()) == (mode, (3, 2), image.info, image.tobytes())
                assert back == image
                back.close()
            twin = copy.deepcopy(image)
            assert twin == image and twin.ptr != image.ptr
            twin.close()


@run_in_pyodide(packages=["wasmcanvas"])
def test_features_name_the_package_version(selenium_rust):
    import io

    import wasmcanvas
    from wasmcanvas import features

    assert features.version("pil") == wasmcanvas.__version__
    assert features.check("webp") is True and features.check("libtiff") is True
    out = io.StringIO()
    features.pilinfo(out, supported_formats=False)
    assert f"--- PIL CORE support ok, loaded {wasmcanvas.__version__}" in out.getvalue().splitlines()


# (mode, data source, scale, offset) for putdata, on a 5 x 3 image
PUTDATA = [
    ("L", "bytes(range(200, 215))", 1.0, 0.0),
    ("L", "bytes(range(100, 110))", 2.0, -30.0),
    ("L", "[0, 1.9, -4, 255.99, 256, 1e9, float('nan'), 7]", 1.0, 0.0),
    ("L", "list(range(15))", 20.5, 3.25),
    ("LA", "[(i * 9, 255 - i) for i in range(15)]", 1.0, 0.0),
    ("RGB", "[(i, 2 * i, 3 * i) for i in range(12)]", 5.0, 1.0),
    ("RGB", "[0x102030, -1, (1, 2, 3, 4)]", 1.0, 0.0),
    ("RGBA", "[(i, 2 * i, 3 * i, 100 + i) for i in range(15)]", 1.0, 0.0),
    # The common cases' fast paths, and values that leave them for the full checks.
    ("L", "list(range(250, 265))", 1.0, 0.0),
    ("L", "[-3, 5, 7, True, 9]", 1.0, 0.0),
    ("L", "bytearray(range(3, 18))", 1.0, 0.0),
    ("P", "list(range(40, 55))", 1.0, 0.0),
    ("1", "[0, 1, 255, 0, 128]", 1.0, 0.0),
    ("RGB", "[(1, 2, 3), 0x040506, (7, 8, 9, 10)]", 1.0, 0.0),
    ("LA", "[(1, 2), 0x7F000003, (5, 6)]", 1.0, 0.0),
]


def pillows_putdata(mode, source, scale, offset):
    from PIL import Image

    image = Image.new(mode, (5, 3), "#808080")
    image.putdata(eval(source), scale, offset)
    return image.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def made_and_put(selenium, cases):
    from wasmcanvas import Image

    results = []
    for mode, source, scale, offset in cases:
        with Image.new(mode, (5, 3), "#808080") as image:
            image.putdata(eval(source), scale, offset)
            results.append(image.tobytes())
    with Image.linear_gradient("L") as linear, Image.radial_gradient("L") as radial:
        gradients = [(image.mode, image.size, image.tobytes()) for image in (linear, radial)]
    return results, gradients


def test_gradients_and_putdata_give_pillows_bytes(selenium_rust):
    from PIL import Image

    results, gradients = made_and_put(selenium_rust, PUTDATA)
    assert results == [pillows_putdata(*case) for case in PUTDATA]
    assert gradients == [
        (image.mode, image.size, image.tobytes()) for image in (Image.linear_gradient("L"), Image.radial_gradient("L"))
    ]


@run_in_pyodide(packages=["wasmcanvas"])
def test_putdata_and_gradients_refuse_as_pillow(selenium_rust):
    import pytest
    from wasmcanvas import Image

    with Image.new("L", (2, 2)) as image:
        with pytest.raises(TypeError, match="too many data entries"):
            image.putdata(bytes(5))
        with pytest.raises(TypeError, match="argument must be a sequence"):
            image.putdata(7)
        with pytest.raises(TypeError, match="sequence must be flattened"):
            image.putdata([(1, 2)])
        with pytest.raises(TypeError, match="must be real number, not NoneType"):
            image.putdata([None])
    with Image.new("RGB", (2, 2)) as image, pytest.raises(TypeError, match="color must be int or tuple"):
        image.putdata([(1, 2, 3), "red"])
    for mode in ("LA", "RGB", "RGBA"):
        with pytest.raises(ValueError, match="image has wrong mode"):
            Image.linear_gradient(mode)
        with pytest.raises(ValueError, match="image has wrong mode"):
            Image.radial_gradient(mode)


@run_in_pyodide(packages=["wasmcanvas"])
def test_getdata_warns_as_pillow_13_and_get_flattened_data_does_not(selenium_rust):
    import warnings

    import pytest
    from wasmcanvas import Image

    with Image.new("RGB", (2, 1), (1, 2, 3)) as image:
        with pytest.warns(DeprecationWarning, match="getdata is deprecated .* Use get_flattened_data instead"):
            data = image.getdata()
        assert (len(data), data[0], list(data)) == (2, (1, 2, 3), [(1, 2, 3), (1, 2, 3)])
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            assert image.get_flattened_data(2) == (3, 3)


# Calls on Pillow's core object (``im.im``), made on PICTURE in each mode:
# (mode, call source); the result is wrapped with ``im._new`` and its mode,
# size and bytes compared with Pillow's.
CORE_CALLS = [
    ("RGBA", "im.im.box_blur((1.5, 0.5), 2)"),
    ("L", "im.im.box_blur((2, 2), 3)"),
    ("RGB", "im.im.box_blur((0.3, 4), 1)"),
    ("RGB", "im.im.color_lut_3d('RGB', 2, 3, (2, 2, 2), [i >> s & 1 for i in range(8) for s in (2, 1, 0)])"),
    ("RGB", "im.im.color_lut_3d('RGBA', 2, 4, (2, 3, 2), [i / 47 - 0.2 for i in range(48)])"),
    ("RGBA", "im.im.color_lut_3d('RGBA', 2, 3, (3, 2, 2), array.array('f', [i / 35 for i in range(36)]))"),
    ("RGB", "im.im.color_lut_3d('HSV', 2, 3, (2, 2, 2), [2, -1, 0.5] * 8)"),
    ("RGBA", "im.im.resize((9, 30), 2)"),
    ("LA", "im.im.resize((40, 8), 3, (1, 2, 20, 15))"),
    ("L", "im.im.expand(3)"),
    ("RGB", "im.im.expand(0)"),
    ("RGB", "Image.core.fill('RGB', (4, 3), (1, 2, 3))"),
    ("RGB", "ImageFilter.BLUR().filter(im.im)"),
    ("RGBA", "ImageFilter.GaussianBlur(1.5).filter(im.im)"),
    ("L", "ImageFilter.MedianFilter(3).filter(im.im)"),
    # Filters of one's own, written as Pillow's are (see OWN_FILTERS).
    ("RGB", "im.filter(PerBand()).im"),
    ("RGBA", "im.filter(AllBands()).im"),
    ("L", "Image.core.new('LA', (3, 5))"),
]


OWN_FILTERS = """
class PerBand(ImageFilter.Filter):
    def filter(self, image):
        return image.box_blur((2, 1), 1)

class AllBands(ImageFilter.MultibandFilter):
    def filter(self, image):
        return image.expand(2).resize(image.size, 2)
"""


def pillows_core(mode, call):
    import array

    from PIL import Image, ImageFilter

    namespace = {"Image": Image, "ImageFilter": ImageFilter, "array": array}
    exec(OWN_FILTERS, namespace)
    im = namespace["im"] = PICTURE.convert(mode)
    result = im._new(eval(call, namespace))
    return result.mode, result.size, result.tobytes()


@run_in_pyodide(packages=["wasmcanvas"])
def core_results(selenium, size, picture, calls, own_filters):
    import array

    from wasmcanvas import Image, ImageFilter

    namespace = {"Image": Image, "ImageFilter": ImageFilter, "array": array}
    exec(own_filters, namespace)
    results = []
    with Image.frombytes("RGBA", size, picture) as rgba:
        for mode, call in calls:
            im = namespace["im"] = rgba.convert(mode)
            result = im._new(eval(call, namespace))
            results.append((result.mode, result.size, result.tobytes()))
    return results


def test_core_object_methods_give_pillows_images(selenium_rust):
    calls = [list(call) for call in CORE_CALLS]
    results = core_results(selenium_rust, PICTURE.size, PICTURE.tobytes(), calls, OWN_FILTERS)
    expected = [pillows_core(*call) for call in CORE_CALLS]
    different = [call for call, got, want in zip(CORE_CALLS, results, expected, strict=True) if tuple(got) != want]
    assert not different, "\n".join(different)


@run_in_pyodide(packages=["wasmcanvas"])
def test_core_object_is_bound_to_its_image_and_refuses_as_pillows(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageFilter, ImagePalette

    im = Image.new("RGB", (10, 10), (1, 2, 3))
    core = im.im
    assert (core.mode, core.size, core.bands, core.getpixel((0, 0))) == ("RGB", (10, 10), 3, (1, 2, 3))
    im.putpixel((0, 0), (9, 9, 9))
    assert core.getpixel((0, 0)) == (9, 9, 9)
    assert im.getim().size == (10, 10)
    # _new: the core's mode, the base image's info and palette (Pillow's rule).
    im.info["x"] = 1
    made = im._new(Image.new("P", (3, 2)).im)
    assert (made.mode, made.size, made.info, made.palette.tobytes()) == ("P", (3, 2), {"x": 1}, b"")
    fresh = core.box_blur((1, 1))
    first, second = im._new(fresh), im._new(fresh)
    blurred = second.getpixel((0, 0))
    first.putpixel((0, 0), (0, 0, 0))
    assert second.getpixel((0, 0)) == blurred != (0, 0, 0) == first.getpixel((0, 0))
    lut = [0.0] * 24
    for call, error, message in [
        (lambda: core.color_lut_3d("RGB", 3, 3, (2, 2, 2), lut), ValueError, "Only LINEAR filter is supported."),
        (lambda: core.color_lut_3d("wrong", 2, 3, (2, 2, 2), lut), ValueError, "unrecognized image mode"),
        (lambda: core.color_lut_3d("RGB", 2, 5, (2, 2, 2), lut), ValueError, "table_channels should be from 1 to 4"),
        (lambda: core.color_lut_3d("RGB", 2, 2, (2, 2, 2), [0] * 16), ValueError, "table_channels should be 3 or 4"),
        (lambda: core.color_lut_3d("RGB", 2, 3, (1, 2, 2), lut), ValueError, "Table size in any dimension"),
        (lambda: core.color_lut_3d("RGB", 2, 3, (2, 2, 2), [0] * 21), ValueError, r"size1D \* size2D \* size3D"),
        (lambda: core.color_lut_3d("RGB", 2, 3, (2, 2, 2), [0, "0"] * 12), TypeError, "must be real number, not str"),
        (lambda: core.color_lut_3d("RGB", 2, 3, (2, 2, 2), 16), TypeError, "argument must be a sequence"),
        (lambda: core.color_lut_3d("RGBA", 2, 3, (2, 2, 2), lut), ValueError, "image has wrong mode"),
        (lambda: Image.new("L", (2, 2)).im.color_lut_3d("RGB", 2, 3, (2, 2, 2), lut), ValueError, "wrong mode"),
        (lambda: core.box_blur((1, 1), 0), ValueError, "number of passes must be greater than zero"),
        (lambda: core.box_blur((-1, 1)), ValueError, "radius must be >= 0"),
        (lambda: Image.new("P", (2, 2)).im.box_blur((1, 1)), ValueError, "image has wrong mode"),
        (lambda: Image.new("I", (2, 2)).im.box_blur((1, 1)), ValueError, "image has wrong mode"),
        (lambda: core.expand(23171), ValueError, "filter size too large"),
        (lambda: core.expand(-1), ValueError, "bad kernel size"),
        (lambda: Image.new("L", (1, 1)).im.setalpha(), ValueError, "image has wrong mode"),
        (lambda: Image.core.fill("RGB", (2, -2), (0, 0, 0)), ValueError, "Width and height must be >= 0"),
        (lambda: core.getpalette(), ValueError, "image has no palette"),
    ]:
        with pytest.raises(error, match=message):
            call()
    core.setalpha()
    assert (im.mode, im.getpixel((1, 1))) == ("RGBA", (1, 2, 3, 255))
    filled = Image.core.fill("L", (2, 3), 7)
    im.im = filled
    assert (im.mode, im.size, im.tobytes()) == ("L", (2, 3), bytes([7] * 6))
    im.putpixel((0, 0), 9)
    assert filled.getpixel((0, 0)) == 9  # shared, as in Pillow
    palette = Image.new("P", (1, 1))
    palette.putpalette(ImagePalette.ImagePalette("RGB", bytes(range(6))))
    assert palette.im.getpalette() == bytes(range(6))
    assert "new" in dir(Image.core) and not hasattr(Image.core, "set_alignment")
    # A rank filter's size changed after __init__ meets Pillow's padding guard.
    rank = ImageFilter.RankFilter(3, 0)
    rank.size = 2**31
    with pytest.raises(ValueError, match="filter size too large"):
        im.filter(rank)
    blur = ImageFilter.BoxBlur(2)
    blur.radius = float("nan")
    with pytest.raises(ValueError, match="radius must be >= 0"):
        im.filter(blur)
    with pytest.raises(ValueError, match="cannot filter palette images"):
        ImageFilter.BuiltinFilter().filter(Image.new("P", (2, 2)).im)


@run_in_pyodide(packages=["wasmcanvas"])
def test_python_codecs_run_as_pillows(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageFile

    cleaned = []

    class Pixels(ImageFile.PyEncoder):
        def encode(self, bufsize):
            return 6, 1, b"pixels"

        def cleanup(self):
            cleaned.append(self.args)

    class Failing(ImageFile.PyEncoder):
        def encode(self, bufsize):
            return 0, -2, b""

        def cleanup(self):
            cleaned.append("failing")

    Image.register_encoder("PIXELS", Pixels)
    Image.register_encoder("FAILING", Failing)
    with Image.new("RGB", (3, 2), (1, 2, 3)) as im:
        assert im.tobytes("PIXELS", "a", "b") == b"pixels"
        with pytest.raises(RuntimeError, match="encoder error -2 in tobytes"):
            im.tobytes("FAILING")
        assert cleaned == [("a", "b"), "failing"]
        encoder = Image._getencoder("RGB", "PIXELS", ("x",), extra=("y",))
        assert (type(encoder), encoder.mode, encoder.args) == (Pixels, "RGB", ("x", "y"))
        with pytest.raises(OSError, match="encoder NOPE not available"):
            Image._getencoder("RGB", "NOPE", ())
        with pytest.raises(OSError, match="decoder NOPE not available"):
            Image._getdecoder("RGB", "NOPE", ())
        # The core's raw codecs, a box at a time.
        raw = Image._getencoder("RGB", "raw", "RGB")
        raw.setimage(im.im, (1, 0, 3, 2))
        assert raw.encode(5) == (5, 0, bytes([1, 2, 3, 1, 2])) and raw.encode(5) == (5, 0, bytes([3, 1, 2, 3, 1]))
        assert raw.encode(5) == (2, 1, bytes([2, 3]))

        class Stripes(ImageFile.PyDecoder):
            def decode(self, buffer):
                self.set_as_raw(bytes(buffer) * self.state.ysize)
                return -1, 0

        Image.register_decoder("STRIPES", Stripes)
        decoder = Image._getdecoder("RGB", "STRIPES", ())
        decoder.setimage(im.im, (0, 1, 2, 2))
        assert (decoder.state.extents(), decoder.decode(b"\x07\x08\x09" * 2)) == ((0, 1, 2, 2), (-1, 0))
        assert im.tobytes() == bytes([1, 2, 3] * 3 + [7, 8, 9, 7, 8, 9, 1, 2, 3])
        with pytest.raises(ValueError, match="not enough image data"):
            decoder.set_as_raw(b"\x00")
        with pytest.raises(ValueError, match="Tile cannot extend outside image"):
            Image._getdecoder("RGB", "STRIPES", ()).setimage(im.im, (0, 0, 4, 1))
        once = Image._getdecoder("L", "raw", "L")
        once.setimage(im.im)
        with pytest.raises(ValueError, match="decoder already has an image"):
            once.setimage(im.im)
        with pytest.raises(NotImplementedError, match="unavailable in base decoder"):
            ImageFile.PyDecoder("L").decode(b"")
        # Image.frombytes, the method: through the raw decoder, in place.
        im.frombytes(bytes(range(18)))
        assert im.tobytes() == bytes(range(18)) and im.getpixel((2, 1)) == (15, 16, 17)
        with pytest.raises(ValueError, match="not enough image data"):
            im.frombytes(bytes(17))
        Image.new("RGB", (0, 3)).frombytes(b"")
        with Image.new("1", (10, 2)) as bilevel:
            bilevel.frombytes(b"\xff\xc0\x01\x40")
            assert bilevel.tobytes() == b"\xff\xc0\x01\x40" and bilevel.getpixel((9, 0)) == 255


# What Pillow gives for images of no pixels: (source, with `im` a
# `mode` image of `size` filled white); each result is described by
# `described` on both sides.
EMPTY_CALLS = [
    "im",
    "im.tobytes()",
    "im.getbbox()",
    "im.histogram()",
    "im.getextrema()",
    "im.getcolors()",
    "im.get_flattened_data()",
    "im.copy()",
    "im.crop((0, 0, 3, 2))",
    "im.crop((-1, -1, 1, 1))",
    "im.resize((3, 2))",
    "im.resize((4, 3), Image.Resampling.NEAREST)",
    "im.transpose(Image.Transpose.ROTATE_90)",
    "im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)",
    "im.rotate(30)",
    "im.rotate(30, expand=True, fillcolor='red')",
    "im.rotate(90, expand=True)",
    "im.rotate(180)",
    "im.convert('L')",
    "im.convert('RGBA')",
    "im.convert('1')",
    "im.filter(ImageFilter.BLUR)",
    "im.filter(ImageFilter.GaussianBlur(2))",
    "im.filter(ImageFilter.MedianFilter(3))",
    "im.split()",
    "im.getchannel(0)",
    "im.point(lambda v: 255 - v)",
    "im.transform((3, 2), Image.Transform.EXTENT, (0, 0, 1, 1))",
    "ImageStat.Stat(im).mean",
    "ImageChops.offset(im, 1, 1)",
    "ImageChops.invert(im)",
    "ImageOps.fit(im, (3, 3))",
    "ImageOps.contain(im, (3, 3))",
    "ImageOps.pad(im, (3, 3))",
    "Image.frombytes(im.mode, im.size, b'')",
    "Image.blend(im, im, 0.5)",
    "Image.merge(im.mode, im.split())",
    "pasted_into(im)",
    "pasted_onto(im)",
    "with_alpha(im)",
    "Image.new('RGB', (3, 2)).crop((1, 0, 1, 2))",
    "Image.new('RGB', (3, 2)).transform((0, 2), Image.Transform.AFFINE, (1, 0, 0, 0, 1, 0))",
    "Image.new('RGB', (3, 2)).transform((2, 0), Image.Transform.EXTENT, (0, 0, 1, 1))",
    "Image.frombytes('1', (0, 3), b'')",
    "Image.frombytes('I;16', (5, 0), b'')",
]
EMPTY_SIZES = [(0, 0), (0, 5), (5, 0)]

EMPTY_HELPERS = """
def described(value):
    if isinstance(value, Image.Image):
        return ["image", value.mode, list(value.size), value.tobytes()]
    if isinstance(value, tuple):
        return [described(item) for item in value]
    if isinstance(value, list):
        return [described(item) for item in value]
    return value

def outcome(call):
    try:
        return described(eval(call))
    except Exception as error:
        return ["raises", type(error).__name__]

def pasted_into(im):
    target = Image.new(im.mode, (3, 3), "red")
    target.paste(im, (1, 1))
    return target

def pasted_onto(im):
    target = im.copy()
    target.paste(Image.new(im.mode, (2, 2), "red"), (0, 0))
    return target

def with_alpha(im):
    target = im.copy()
    target.putalpha(4)
    return target.mode, target.size
"""


def pillows_empty(mode, size):
    from PIL import Image, ImageChops, ImageFilter, ImageOps, ImageStat

    namespace = {"Image": Image, "ImageChops": ImageChops, "ImageFilter": ImageFilter}
    namespace |= {"ImageOps": ImageOps, "ImageStat": ImageStat}
    exec(EMPTY_HELPERS, namespace)
    results = []
    for call in EMPTY_CALLS:
        namespace["im"] = Image.new(mode, size, "white")
        results.append(namespace["outcome"](call))
    return results


@run_in_pyodide(packages=["wasmcanvas"])
def empty_results(selenium, cases, calls, helpers):
    from wasmcanvas import Image, ImageChops, ImageFilter, ImageOps, ImageStat

    namespace = {"Image": Image, "ImageChops": ImageChops, "ImageFilter": ImageFilter}
    namespace |= {"ImageOps": ImageOps, "ImageStat": ImageStat}
    exec(helpers, namespace)
    results = []
    for mode, size in cases:
        for call in calls:
            namespace["im"] = Image.new(mode, tuple(size), "white")
            results.append(namespace["outcome"](call))
    return results


def test_images_of_no_pixels_behave_as_pillows(selenium_rust):
    cases = [(mode, size) for mode in ("RGB", "L") for size in EMPTY_SIZES]
    got = empty_results(selenium_rust, [[mode, list(size)] for mode, size in cases], EMPTY_CALLS, EMPTY_HELPERS)
    expected = [result for mode, size in cases for result in pillows_empty(mode, size)]
    labels = [(mode, size, call) for mode, size in cases for call in EMPTY_CALLS]
    different = [
        f"{label}: {str(a)[:60]} instead of {str(b)[:60]}"
        for label, a, b in zip(labels, got, expected, strict=True)
        if json_like(a) != json_like(b)
    ]
    assert not different, "\n".join(different)


def json_like(value):
    """Tuples and lists alike (Pyodide hands lists back), NaN equal to NaN."""
    if isinstance(value, (list, tuple)):
        return [json_like(item) for item in value]
    if isinstance(value, float) and value != value:
        return "nan"
    return value


@run_in_pyodide(packages=["wasmcanvas"])
def test_images_of_no_pixels_refuse_as_pillows(selenium_rust):
    import io

    import pytest
    from wasmcanvas import Image, ImageDraw, ImageFilter

    im = Image.new("RGB", (0, 5))
    for call, error, message in [
        (lambda: im.getpixel((0, 0)), IndexError, "image index out of range"),
        (lambda: im.putpixel((-1, -1), (1, 2, 3)), IndexError, "image index out of range"),
        (lambda: im.save(io.BytesIO(), "PNG"), ValueError, "cannot write empty image"),
        (lambda: im.save(io.BytesIO(), "JPEG"), ValueError, "cannot write empty image"),
        (lambda: im.reduce(2), ValueError, "box can't be empty"),
        (lambda: im.paste((1, 2, 3)), ValueError, "cannot determine region size; use 4-item box"),
        (lambda: Image.new("RGB", (5, 0)).thumbnail((2, 2)), ZeroDivisionError, "division by zero"),
        (lambda: Image.new("L", (0, 16385)), ValueError, "height must be at most 16384, got 16385"),
    ]:
        with pytest.raises(error, match=message):
            call()
    assert im.load() is not None and im.ptr == 0 and im.nbytes == 0
    assert ImageDraw.floodfill(im, (0, 0), (1, 2, 3)) is None  # nothing to fill, as in Pillow
    ImageDraw.Draw(im).rectangle((0, 0, 3, 3), fill="red")
    assert im.tobytes() == b""
    thumb = im.copy()
    thumb.thumbnail((2, 2))
    assert thumb.size == (1, 2)  # Pillow's rounding of an aspect ratio of 0
    assert im.im.box_blur((1, 1)).size == (0, 5) and im.im.expand(2).size == (4, 9)
    assert im.filter(ImageFilter.MinFilter(3)).size == (0, 5) and im.entropy() != im.entropy()
