"""The JPEG header facts Pillow's ``JpegImageFile`` keeps (``quantization``,
``layers``, ``layer``, ``app``, ``applist``), on wasmcanvas in Pyodide,
against Pillow on the host for Pillow's own test pictures."""

from images import PILLOW_TESTS
from PIL import Image
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"
FILES = ["hopper.jpg", "pil_sample_cmyk.jpg", "exif_gps.jpg", "flower.jpg", "hopper_16bit_qtables.jpg", "xmp_test.jpg"]


def facts(im):
    return repr([im.quantization, im.layers, im.layer, im.app, im.applist])


@run_in_pyodide(packages=["wasmcanvas"])
def ours(selenium, files, source):
    import io

    from wasmcanvas import Image

    namespace: dict = {}
    exec(source, namespace)
    results = []
    for data in files:
        with Image.open(io.BytesIO(bytes(data))) as im:
            results.append(namespace["facts"](im))
    return results


def test_jpeg_header_attributes_are_pillows(selenium_rust):
    import inspect

    expected = []
    for name in FILES:
        with Image.open(IMAGES / name) as im:
            expected.append(facts(im))
    got = ours(selenium_rust, [(IMAGES / name).read_bytes() for name in FILES], inspect.getsource(facts))
    assert [name for name, a, b in zip(FILES, got, expected, strict=True) if a != b] == []
