"""The editor's header sniffing, in Pyodide, on files Pillow writes on the host."""

import io

from PIL import Image
from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas", "wasmcanvas-site"])
def sizes_in_pyodide(selenium, files):
    from wasmcanvas_site.sniff import picture_size

    return [picture_size(data) for data in files]


def encoded(format_name, size, **options):
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 20, 30)).save(buffer, format_name, **options)
    return buffer.getvalue()


def test_picture_sizes_are_read_from_headers(selenium_rust):
    files = [
        encoded("PNG", (321, 123)),
        encoded("JPEG", (320, 240)),
        encoded("JPEG", (64, 48), progressive=True, exif=b"Exif\x00\x00" + bytes(3000)),
        encoded("GIF", (17, 9)),
        encoded("BMP", (5, 7)),
        encoded("WEBP", (99, 33)),
        encoded("WEBP", (98, 34), lossless=True),
        b"not a picture at all",
        encoded("PNG", (40, 30))[:20],
    ]
    assert sizes_in_pyodide(selenium_rust, files) == [
        (321, 123),
        (320, 240),
        (64, 48),
        (17, 9),
        (5, 7),
        (99, 33),
        (98, 34),
        None,
        None,
    ]
