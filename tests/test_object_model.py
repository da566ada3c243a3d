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
    assert different == []
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
    assert features.check("webp") is True and features.check("libtiff") is False
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
