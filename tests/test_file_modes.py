"""Files written in Pillow's modes (issue 28): "1", "L", "P" (bits,
transparency, palettes shorter than 256), "I;16" and "I" as PNG, BMP, DIB,
PPM and GIF, read back on the host by real Pillow 13 and compared with what
Pillow itself writes for the same image; BMP, DIB and PPM byte for byte.
Modes a format does not take raise Pillow's exceptions."""

from __future__ import annotations

import io

from images import sample_photo
from PIL import Image
from pytest_pyodide import run_in_pyodide


def file_of(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


def read_back(data: bytes) -> tuple:
    """What Pillow reads from a file: format, mode, size, pixels, palette
    and the transparency in ``info``."""
    with Image.open(io.BytesIO(data)) as image:
        return (
            image.format,
            image.mode,
            image.size,
            image.tobytes(),
            image.getpalette(),
            image.info.get("transparency"),
        )


def sources() -> dict[str, tuple[str, bytes, list[int] | None]]:
    """Name -> (mode, raw bytes, palette) of the images both libraries save."""
    photo = sample_photo(21, 11)
    palette16 = photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    short = Image.new("P", (5, 3))
    short.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0])
    short.putdata([0, 1, 2, 1, 0] * 3)
    sixteen = photo.convert("I").point(lambda value: value * 257).convert("I;16")
    images = {
        "1": photo.convert("1"),
        "L": photo.convert("L"),
        "P 16 colours": palette16,
        "P 3 colours": short,
        "I;16": sixteen,
    }
    return {name: (image.mode, image.tobytes(), image.getpalette()) for name, image in images.items()}


# (format, image, options) written by both libraries.
CASES = [
    ("PNG", "1", {}),
    ("PNG", "1", {"transparency": 1}),
    ("PNG", "P 16 colours", {}),
    ("PNG", "P 16 colours", {"bits": 2}),
    ("PNG", "P 16 colours", {"transparency": 3}),
    ("PNG", "P 16 colours", {"transparency": bytes([0, 128, 255, 7])}),
    ("PNG", "P 3 colours", {}),
    ("PNG", "I;16", {}),
    ("PNG", "I;16", {"transparency": 300}),
    ("BMP", "1", {}),
    ("BMP", "L", {}),
    ("BMP", "P 16 colours", {}),
    ("BMP", "P 3 colours", {}),
    ("DIB", "P 16 colours", {}),
    ("PPM", "1", {}),
    ("PPM", "I;16", {}),
    ("GIF", "P 16 colours", {}),
    ("GIF", "P 3 colours", {"transparency": 2}),
    ("TIFF", "1", {}),
    ("TIFF", "L", {}),
    ("TIFF", "P 16 colours", {}),
    ("TIFF", "P 3 colours", {}),
    ("TIFF", "I;16", {}),
]
BYTE_FOR_BYTE = ("BMP", "DIB", "PPM", "TIFF")


def test_files_written_in_pillows_modes_read_back_as_pillows_do(selenium_rust_module_scope):
    images = sources()
    originals = {}
    for name, (mode, data, palette) in images.items():
        image = Image.frombytes(mode, (5, 3) if name == "P 3 colours" else (21, 11), data)
        if palette is not None:
            image.putpalette(palette)
        originals[name] = image

    @run_in_pyodide(packages=["wasmcanvas"])
    def write(selenium, images, cases):
        import io

        from wasmcanvas import Image

        written = []
        for format, name, params in cases:
            mode, data, palette = images[name]
            size = (5, 3) if name == "P 3 colours" else (21, 11)
            image = Image.frombytes(mode, size, data)
            if palette is not None:
                image.putpalette(palette)
            out = io.BytesIO()
            image.save(out, format, **params)
            written.append(out.getvalue())
        return written

    written = write(selenium_rust_module_scope, images, CASES)
    for (format, name, params), ours in zip(CASES, written, strict=True):
        pillows = file_of(originals[name], format, **params)
        if format in BYTE_FOR_BYTE:
            assert ours == pillows, (format, name, params)
        assert read_back(ours) == read_back(pillows), (format, name, params)


def test_grey_written_in_fewer_bits_keeps_their_top_bits(selenium_rust_module_scope):
    # Pillow's own "L;4" output is not a packing of the greys (its test only
    # counts the colours, Tests/test_file_png.py::test_specify_bits_l): ours
    # keeps each grey's top bits, which Pillow reads back scaled.
    greys = bytes(range(0, 256, 8))

    @run_in_pyodide(packages=["wasmcanvas"])
    def write(selenium, greys):
        import io

        from wasmcanvas import Image

        written = {}
        for bits in (1, 2, 4):
            out = io.BytesIO()
            Image.frombytes("L", (32, 1), greys).save(out, "PNG", bits=bits)
            written[bits] = out.getvalue()
        return written

    for bits, data in write(selenium_rust_module_scope, greys).items():
        with Image.open(io.BytesIO(data)) as image:
            step = 255 // ((1 << bits) - 1)
            expected = bytes((grey >> (8 - bits)) * step for grey in greys)
            assert image.mode == ("1" if bits == 1 else "L"), bits
            assert image.convert("L").tobytes() == expected, bits


def test_files_read_in_pillows_modes_are_lazy_and_keep_their_palette(selenium_rust_module_scope):
    palette16 = sample_photo(21, 11).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    files = {
        "PNG P": file_of(palette16, "PNG", transparency=bytes([0, 128])),
        "GIF P": file_of(palette16, "GIF", transparency=5),
        "BMP P": file_of(palette16, "BMP"),
        "PGM 16-bit": b"P5 2 1 1000 \x01\x02\x03\xe8",
    }
    expected = {name: read_back(data) for name, data in files.items()}

    @run_in_pyodide(packages=["wasmcanvas"])
    def read(selenium, files):
        from wasmcanvas import Image

        found = {}
        for name, data in files.items():
            image = Image.open(data)
            # The mode, palette and transparency come from the header: nothing is decoded yet.
            lazy = image._pending is not None
            palette = image.getpalette()
            found[name] = (
                image.format,
                image.mode,
                image.size,
                image.tobytes(),
                palette,
                image.info.get("transparency"),
                lazy,
            )
        return found

    found = read(selenium_rust_module_scope, files)
    for name, values in found.items():
        assert values[-1], f"{name} was decoded at open"
        assert values[:-1] == expected[name], name


def test_modes_a_format_does_not_take_raise_pillows_errors(selenium_rust_module_scope):
    # Pillow's own outcomes, on the host.
    cases = [("F", "PNG", {}), ("LA", "BMP", {}), ("P", "PPM", {}), ("L", "PNG", {"transparency": (1, 2)})]
    messages = []
    for mode, format, params in cases:
        try:
            file_of(Image.new(mode, (2, 2)), format, **params)
        except (OSError, ValueError) as error:
            messages.append((type(error).__name__, str(error)))
    assert messages == [
        ("OSError", "cannot write mode F as PNG"),
        ("OSError", "cannot write mode LA as BMP"),
        ("OSError", "cannot write mode P as PPM"),
        ("ValueError", "transparency for L must be an integer"),
    ]

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, cases):
        import io

        from wasmcanvas import Image

        found = []
        for mode, format, params in cases:
            try:
                Image.new(mode, (2, 2)).save(io.BytesIO(), format, **params)
            except (OSError, ValueError) as error:
                found.append((type(error).__name__, str(error)))
        return found

    assert check(selenium_rust_module_scope, cases) == messages
