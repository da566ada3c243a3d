"""Picture files through Python: `Image.open` and `Image.save` in wasm, checked
against Pillow on the host. PNGs of every colour type and bit depth Pillow
writes are read into the RGBA Pillow's own `convert("RGBA")` gives; what
wasmcanvas writes, Pillow reads back byte for byte; bad files and bad
arguments raise the exception that names the problem, and the module keeps
working. These are core tests: they run in the page, a worker and Node
(where paths are Pyodide's file system)."""

from __future__ import annotations

import io
import zlib

import pytest
from conftest import record_bad_input_cases
from images import sample_photo
from PIL import Image
from pytest_pyodide import run_in_pyodide


@pytest.fixture(scope="module")
def large() -> bytes:
    """A 4200x4100 PNG (tiny compressed, 69 MB as RGBA)."""
    return png_of(Image.new("RGBA", (4200, 4100), (40, 90, 200, 255)))


def png_of(image: Image.Image, **params) -> bytes:
    return file_of(image, "PNG", **params)


def file_of(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


# Largest difference per channel from Pillow's decode: PNG, GIF and WebP
# (lossy too: image-webp follows libwebp's upsampling) are exact, so 0; JPEG
# decoders differ in IDCT and upsampling rounding (Pillow uses
# libjpeg-turbo, wasmcanvas zune-jpeg), by up to 3 levels on this corpus.
JPEG_TOLERANCE = 4


def pillow_corpus() -> dict[str, tuple[bytes, bytes, str, str, list[int] | None, int]]:
    """Name -> (a file Pillow wrote, the bytes Pillow reads from it in its
    mode, its format, that mode, its palette, the tolerance)."""
    photo = sample_photo(29, 17)
    rgba = photo.convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize(photo.size))
    palette = photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    transparent_palette = palette.copy()
    transparent_palette.info["transparency"] = 3
    large_photo = sample_photo(203, 131)
    sources = {
        "PNG RGBA": (rgba, "PNG", {}),
        "PNG RGB": (photo, "PNG", {}),
        "PNG L": (photo.convert("L"), "PNG", {}),
        "PNG LA": (rgba.convert("LA"), "PNG", {}),
        "PNG 1-bit": (photo.convert("1"), "PNG", {}),
        "PNG P 4-bit": (palette, "PNG", {"bits": 4}),
        "PNG P with transparency": (transparent_palette, "PNG", {"transparency": 3}),
        "PNG I;16": (photo.convert("I").point(lambda value: value * 251).convert("I;16"), "PNG", {}),
        "PNG RGB interlaced": (photo, "PNG", {"interlace": 1}),
        "PNG RGBA level 9": (rgba, "PNG", {"compress_level": 9}),
        "JPEG baseline 4:2:0": (large_photo, "JPEG", {"quality": 90}),
        "JPEG baseline 4:4:4": (photo, "JPEG", {"quality": 95, "subsampling": 0}),
        "JPEG 4:2:2": (large_photo, "JPEG", {"subsampling": 1}),
        "JPEG progressive": (large_photo, "JPEG", {"progressive": True, "quality": 80}),
        "JPEG greyscale": (large_photo.convert("L"), "JPEG", {}),
        "JPEG odd size": (sample_photo(17, 9), "JPEG", {"quality": 85}),
        "GIF": (palette, "GIF", {}),
        "GIF with transparency": (transparent_palette, "GIF", {"transparency": 3}),
        "GIF interlaced": (large_photo.convert("P", palette=Image.Palette.ADAPTIVE), "GIF", {"interlace": True}),
        "GIF greyscale": (photo.convert("L"), "GIF", {}),
        "WebP lossless RGBA": (rgba, "WEBP", {"lossless": True}),
        "WebP lossless RGB": (photo, "WEBP", {"lossless": True}),
        "WebP lossy RGB": (large_photo, "WEBP", {"quality": 80}),
        "WebP lossy RGBA": (rgba, "WEBP", {"quality": 90}),
        "BMP RGB": (photo, "BMP", {}),
        "BMP RGBA (read opaque, as Pillow reads it)": (rgba, "BMP", {}),
        "BMP P": (palette, "BMP", {}),
        "BMP L": (photo.convert("L"), "BMP", {}),
        "BMP 1-bit": (photo.convert("1"), "BMP", {}),
    }
    corpus = {}
    for name, (image, format, params) in sources.items():
        data = file_of(image, format, **params)
        with Image.open(io.BytesIO(data)) as decoded:
            expected, mode, palette = decoded.tobytes(), decoded.mode, decoded.getpalette()
        corpus[name] = (data, expected, format, mode, palette, JPEG_TOLERANCE if format == "JPEG" else 0)
    return corpus


def test_files_of_every_kind_read_as_pillow_reads_them(selenium_rust_module_scope):
    corpus = pillow_corpus()

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode_all(selenium, files):
        from wasmcanvas import Image

        results = {}
        for name, data in files.items():
            with Image.open(data) as image:
                results[name] = (image.size, image.format, image.mode, image.getpalette(), image.tobytes())
        return results

    results = decode_all(selenium_rust_module_scope, {name: data for name, (data, *_) in corpus.items()})
    assert set(results) == set(corpus)
    for name, (data, expected, format, mode, palette, tolerance) in corpus.items():
        size, found, found_mode, found_palette, pixels = results[name]
        with Image.open(io.BytesIO(data)) as original:
            assert size == original.size, name
        assert (found, found_mode, found_palette) == (format, mode, palette), name
        assert len(pixels) == len(expected), name
        worst = max(abs(a - b) for a, b in zip(pixels, expected, strict=True))
        assert worst <= tolerance, f"{name}: differs from Pillow by up to {worst} (tolerance {tolerance})"


def test_what_wasmcanvas_writes_pillow_reads_back(selenium_rust_module_scope):
    photo = sample_photo(31, 19).convert("RGBA")
    photo.putalpha(Image.linear_gradient("L").resize(photo.size))
    pixels = photo.tobytes()

    @run_in_pyodide(packages=["wasmcanvas"])
    def encode(selenium, pixels):
        import io

        from wasmcanvas import Image

        written = {}
        with Image.frombytes("RGBA", (31, 19), pixels) as image:
            for level in (None, 0, 1, 9):
                out = io.BytesIO()
                if level is None:
                    image.save(out, format="png")
                else:
                    image.save(out, format="PNG", compress_level=level)
                written[level] = out.getvalue()
            image.save(io.BytesIO(), "PNG", optimize=True, quality=90)
            # Each mode is written as its own colour type.
            for mode in ("L", "LA", "RGB"):
                out = io.BytesIO()
                with image.convert(mode) as converted:
                    converted.save(out, "PNG")
                written[f"PNG {mode}"] = out.getvalue()
            with image.convert("RGB") as opaque:
                for quality in (20, 75, 95):
                    out = io.BytesIO()
                    opaque.save(out, "JPEG", quality=quality)
                    written[f"JPEG {quality}"] = out.getvalue()
                default = io.BytesIO()
                opaque.save(default, "jpeg")
                written["JPEG default"] = default.getvalue()
            with image.convert("L") as grey:
                out = io.BytesIO()
                grey.save(out, "JPEG")
                written["JPEG L"] = out.getvalue()
        return written

    written = encode(selenium_rust_module_scope, pixels)
    for mode in ("L", "LA", "RGB"):
        with Image.open(io.BytesIO(written.pop(f"PNG {mode}"))) as decoded:
            assert (decoded.format, decoded.mode, decoded.size) == ("PNG", mode, (31, 19))
            assert decoded.tobytes() == photo.convert(mode).tobytes(), mode
    with Image.open(io.BytesIO(written.pop("JPEG L"))) as decoded:
        assert (decoded.format, decoded.mode, decoded.size) == ("JPEG", "L", (31, 19))
        error = sum(abs(a - b) for a, b in zip(decoded.tobytes(), photo.convert("L").tobytes(), strict=True))
        assert error / (31 * 19) < 3
    jpegs = {name: written.pop(name) for name in list(written) if isinstance(name, str)}
    for level, data in written.items():
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), level
        with Image.open(io.BytesIO(data)) as decoded:
            assert decoded.mode == "RGBA" and decoded.size == (31, 19), level
            assert decoded.tobytes() == pixels, level
    # Level 0 stores the pixels; level 9 compresses a photo gradient.
    assert len(written[0]) > len(pixels) > len(written[9])

    # JPEG keeps the colours (alpha dropped, as convert("RGB") does) about as
    # well as Pillow's own encoder at the same quality; the default is 75.
    opaque = photo.convert("RGB")

    def mean_error(data: bytes) -> float:
        with Image.open(io.BytesIO(data)) as decoded:
            assert decoded.format == "JPEG" and decoded.mode == "RGB" and decoded.size == (31, 19)
            pairs = zip(decoded.tobytes(), opaque.tobytes(), strict=True)
            return sum(abs(a - b) for a, b in pairs) / (31 * 19 * 3)

    for name, data in jpegs.items():
        quality = 75 if name == "JPEG default" else int(name.split()[1])
        pillows = mean_error(file_of(opaque, "JPEG", quality=quality))
        assert mean_error(data) <= pillows * 1.3 + 0.5, (name, mean_error(data), pillows)
    assert len(jpegs["JPEG 20"]) < len(jpegs["JPEG 75"]) < len(jpegs["JPEG 95"])
    assert jpegs["JPEG default"] == jpegs["JPEG 75"]


@run_in_pyodide(packages=["wasmcanvas"])
def test_paths_and_file_objects_in_pyodides_file_system(selenium_rust_module_scope):
    import io
    import os
    import pathlib

    from wasmcanvas import Image

    os.makedirs("/tmp/pictures", exist_ok=True)
    with Image.new("RGBA", (5, 3), (200, 100, 50, 255)) as image:
        image.putpixel((1, 2), (0, 0, 255, 128))
        expected = image.tobytes()
        image.save("/tmp/pictures/by-name.png")
        image.save(pathlib.Path("/tmp/pictures/by-path.PNG"))
        with open("/tmp/pictures/by-file.png", "wb") as file:
            image.save(file)
        with open("/tmp/pictures/no-extension", "wb") as file:
            image.save(file, "PNG")
    for name in ("by-name.png", "by-path.PNG", "by-file.png", "no-extension"):
        path = f"/tmp/pictures/{name}"
        with Image.open(path) as image:
            assert image.tobytes() == expected, name
        with Image.open(pathlib.Path(path)) as image:
            assert image.size == (5, 3)
        with open(path, "rb") as file, Image.open(file) as image:
            assert image.tobytes() == expected
        with Image.open(io.BytesIO(pathlib.Path(path).read_bytes()), formats=["png"]) as image:
            assert image.getpixel((1, 2)) == (0, 0, 255, 128)
        with Image.open(bytearray(pathlib.Path(path).read_bytes())) as image:
            assert image.format == "PNG"
    # An image made in memory has no file format; a copy neither.
    assert Image.new("RGB", (1, 1)).format is None


def bomb_claiming(width: int, height: int) -> bytes:
    """A valid 1x1 PNG whose header (CRC fixed up) claims another size."""
    data = bytearray(png_of(Image.new("RGBA", (1, 1))))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


def test_bad_files_and_arguments_name_the_problem(selenium_rust_module_scope):
    good = png_of(sample_photo(9, 7).convert("RGBA"))
    qoi = b"qoif" + (9).to_bytes(4, "big") + (7).to_bytes(4, "big") + b"\x04\x00" + bytes(8)
    progressive = file_of(sample_photo(64, 48), "JPEG", progressive=True)
    gif = file_of(sample_photo(30, 20).convert("P"), "GIF")

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, good, qoi, progressive, gif, huge, too_many, corrupt):
        import io

        import pytest
        from wasmcanvas import DecompressionBombError, Image, ImageFileError, UnidentifiedImageError

        with Image.new("RGB", (4, 4), "#ff0000") as kept:
            with pytest.raises(
                UnidentifiedImageError,
                match=r"^cannot identify image file b'hello' \(not a PNG, JPEG, GIF, WebP, BMP, PPM, PCX, ICO, TIFF, "
                r"SGI, FLI, PSD, JPEG 2000 or TGA file, the formats wasmcanvas reads\)$",
            ):
                Image.open(b"hello")
            with pytest.raises(
                UnidentifiedImageError,
                match="it is QOI, and wasmcanvas reads PNG, JPEG, GIF, WebP, BMP, PPM, PCX, ICO, TIFF, SGI, FLI, "
                "PSD, JPEG 2000 and TGA",
            ):
                Image.open(qoi)
            # The header is read at open, the pixels at load(), as in Pillow.
            with pytest.raises(ImageFileError, match=r"^cannot read the JPEG file: it is truncated$"):
                Image.open(progressive[: len(progressive) * 2 // 3]).load()
            with pytest.raises(ImageFileError, match=r"^cannot read the GIF file: "):
                Image.open(gif[: len(gif) // 2]).load()
            with pytest.raises(UnidentifiedImageError, match=r"it is PNG, not one of \['JPEG'\]"):
                Image.open(good, formats=["JPEG"])
            with pytest.raises(ValueError, match="unknown format 'TIFFANY'"):
                Image.open(good, formats=["tiffany"])
            with pytest.raises(ImageFileError, match=r"^cannot read the PNG file: it is truncated$"):
                Image.open(good[: len(good) - 20]).load()
            # Pillow's check of MAX_IMAGE_PIXELS comes first, then wasmcanvas's own limits.
            with pytest.raises(
                DecompressionBombError,
                match=r"^Image size \(4294836225 pixels\) exceeds limit of 178956970 pixels, could be decompression",
            ):
                Image.open(huge)
            Image.MAX_IMAGE_PIXELS = None
            try:
                with pytest.raises(
                    DecompressionBombError,
                    match=r"^the PNG file claims 65535x65535 pixels, too large: width must be at most 16384, "
                    r"got 65535$",
                ):
                    Image.open(huge)
                with pytest.raises(
                    DecompressionBombError, match=r"claims 16384x16384 pixels, too large: .* maximum image size"
                ):
                    Image.open(too_many)
            finally:
                Image.MAX_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3
            with pytest.raises(ImageFileError, match=r"^cannot read the PNG file: "):
                Image.open(corrupt).load()
            # A chunk type Pillow's reader refuses at open, in its words.
            broken = bytearray(good)
            broken[40] ^= 0xFF
            with pytest.raises(
                UnidentifiedImageError, match=r"^cannot identify image file: broken PNG file \(chunk b'IDA\\xab'\)$"
            ):
                Image.open(bytes(broken))
            assert issubclass(ImageFileError, OSError) and issubclass(UnidentifiedImageError, OSError)
            assert issubclass(DecompressionBombError, ImageFileError)
            assert Image.DecompressionBombError is DecompressionBombError
            with pytest.raises(FileNotFoundError):
                Image.open("/no/such/picture.png")
            with pytest.raises(ValueError, match="bad mode 'w'"):
                Image.open(good, "w")
            with pytest.raises(
                TypeError, match="fp must be a path, a bytes-like object or a binary file object, not int"
            ):
                Image.open(12)
            with open("/tmp/text.png", "w") as file:
                file.write("text")
            with open("/tmp/text.png") as file, pytest.raises(TypeError, match=r"fp.read\(\) must return bytes"):
                Image.open(file)

            with pytest.raises(ValueError, match=r"unknown file extension: \.xyz"):
                kept.save("/tmp/picture.xyz")
            with pytest.raises(
                ValueError,
                match=r"wasmcanvas writes PNG, JPEG, GIF, BMP, PPM, TIFF, SGI, JPEG 2000 and WebP; cannot save as QOI",
            ):
                kept.save("/tmp/picture.qoi")
            # Pillow's: libjpeg clamps a quality outside 1..100.
            kept.save(io.BytesIO(), "JPEG", quality=101)
            for quality, exception, message in (
                ("best", ValueError, "^Invalid quality setting$"),
                (2.5, ValueError, "^Invalid quality setting$"),
            ):
                with pytest.raises(exception, match=message):
                    kept.save(io.BytesIO(), "JPEG", quality=quality)
            # JPEG has no alpha: Pillow's OSError, not a silent convert("RGB").
            for mode in ("RGBA", "LA"):
                with (
                    Image.new(mode, (1, 1)) as translucent,
                    pytest.raises(OSError, match=f"cannot write mode {mode} as JPEG"),
                ):
                    translucent.save(io.BytesIO(), "JPEG")
            with pytest.raises(KeyError, match="TIFFANY"):
                kept.save("/tmp/picture.png", format="tiffany")
            with pytest.raises(ValueError, match="cannot tell the format from a file object without a name"):
                kept.save(io.BytesIO())
            with pytest.raises(ValueError, match="compress_level must be from 0 to 9, got 10"):
                kept.save(io.BytesIO(), "PNG", compress_level=10)
            with pytest.raises(TypeError, match="compress_level must be an int, not float"):
                kept.save(io.BytesIO(), "PNG", compress_level=2.5)
            with pytest.raises(TypeError, match="fp must be a path or a binary file object, not int"):
                kept.save(3, "PNG")
            closed = Image.new("RGB", (1, 1))
            closed.close()
            with pytest.raises(ValueError, match="this Image is closed"):
                closed.save(io.BytesIO(), "PNG")

            # Nothing the user had is lost, and the module still works.
            assert kept.getpixel((3, 3)) == (255, 0, 0)
            with Image.open(good) as image:
                assert image.size == (9, 7)

    corrupt = bytearray(good)
    corrupt[45] ^= 0xFF
    check(
        selenium_rust_module_scope,
        good,
        qoi,
        progressive,
        gif,
        bomb_claiming(65535, 65535),
        bomb_claiming(16384, 16384),
        bytes(corrupt),
    )


@run_in_pyodide(packages=["wasmcanvas"])
def codecs_exports_matrix(selenium, good, bomb):
    """Every export of rust_image_codecs given each kind of bad argument,
    the others valid: the JS error's name and message are checked, and the
    module keeps working after each."""
    import js
    from pyodide.ffi import JsException, to_js
    from wasmcanvas import loader

    exports = loader.codecs().exports
    file = to_js(good)
    pixels = js.Uint8Array.new(2 * 3 * 4)
    limits = (16384, 67108864)
    bad_numbers = [float("nan"), -1.0, 0.0, 2.5, 1e20]

    def shown(value):
        return "NaN" if value != value else "100000000000000000000" if value == 1e20 else repr(value).removesuffix(".0")

    cases = []
    for position, name in ((1, "max_side"), (2, "max_pixels")):
        for value in bad_numbers:
            args = [file, *limits]
            args[position] = value
            cases.append(
                (
                    f"decode {name}={value}",
                    "decode",
                    args,
                    "RangeError",
                    f"{name} must be a whole number from 1 to 4294967295, got {shown(value)}",
                )
            )
    for position, name in ((2, "width"), (3, "height")):
        for value in bad_numbers:
            args = ["RGBA", pixels, 2, 3, -1]
            args[position] = value
            cases.append(
                (
                    f"encode_png {name}={value}",
                    "encode_png",
                    args,
                    "RangeError",
                    f"{name} must be a whole number from 1 to 4294967295, got {shown(value)}",
                )
            )
    for position, name in ((2, "width"), (3, "height")):
        for value in bad_numbers:
            args = ["RGB", pixels, 2, 3, 75]
            args[position] = value
            expected = f"{name} must be a whole number from 1 to 4294967295, got {shown(value)}"
            cases.append((f"encode_jpeg {name}={value}", "encode_jpeg", args, "RangeError", expected))
    for value in [0.0, 101.0, 2.5, float("nan"), -1.0]:
        expected = f"quality must be a whole number from 1 to 100, got {shown(value)}"
        cases.append(
            (f"encode_jpeg quality={value}", "encode_jpeg", ["RGBA", pixels, 2, 3, value], "RangeError", expected)
        )
    for value in [10.0, -2.0, 2.5, float("nan"), 1e20]:
        cases.append(
            (
                f"encode_png compress_level={value}",
                "encode_png",
                ["RGBA", pixels, 2, 3, value],
                "RangeError",
                "compress_level must be -1 (the default) or a whole number from 0 to 9",
            )
        )
    for value in ["\x89PNG", 3, None, js.Float64Array.new(8), js.Object.new()]:
        cases.append(
            (
                f"decode file={value!r}",
                "decode",
                [value, *limits],
                "TypeError",
                "file must be a Uint8Array or Uint8ClampedArray",
            )
        )
        for method, quality in (("encode_png", -1), ("encode_jpeg", 75)):
            cases.append(
                (
                    f"{method} pixels={value!r}",
                    method,
                    ["RGBA", value, 2, 3, quality],
                    "TypeError",
                    "pixels must be a Uint8Array or Uint8ClampedArray",
                )
            )
    cases += [
        (
            "decode file=empty",
            "decode",
            [js.Uint8Array.new(0), *limits],
            "ImageFileError",
            "cannot read the picture file: it is not a PNG, JPEG, GIF, WebP, BMP, PPM, PCX, ICO, TIFF, SGI, "
            "JPEG 2000, FLI or TGA file",
        ),
        (
            "decode file=signature",
            "decode",
            [to_js(b"\x89PNG\r\n\x1a\n"), *limits],
            "ImageFileError",
            "cannot read the PNG file: it is truncated",
        ),
        (
            "decode file=bomb",
            "decode",
            [to_js(bomb), *limits],
            "DecompressionBombError",
            "the PNG file claims 65535x65535 pixels, too large: width must be at most 16384",
        ),
        (
            "decode max_side=8",
            "decode",
            [file, 8, 67108864],
            "DecompressionBombError",
            "the PNG file claims 9x7 pixels, too large: width must be at most 8, got 9",
        ),
        (
            "decode max_pixels=62",
            "decode",
            [file, 16384, 62],
            "DecompressionBombError",
            "9x7 is 63 pixels; the maximum image size is 62 pixels",
        ),
        (
            "decode file=huge",
            "decode",
            [js.Uint8Array.new(2_200_000_000), *limits],
            "OutOfMemoryError",
            "out of memory: could not allocate 2200000000 bytes of wasm memory",
        ),
        (
            "encode_png pixels=short",
            "encode_png",
            ["RGBA", js.Uint8Array.new(5), 2, 3, -1],
            "RangeError",
            "pixel data must be width*height*4 = 24 bytes long, got 5",
        ),
        (
            "encode_png pixels=huge",
            "encode_png",
            ["RGBA", js.Uint8Array.new(8), 65536, 65536, -1],
            "RangeError",
            "pixel data must be width*height*4 = 17179869184 bytes long, got 8",
        ),
        (
            "encode_jpeg pixels=short",
            "encode_jpeg",
            ["L", js.Uint8Array.new(5), 2, 3, 75],
            "RangeError",
            "pixel data must be width*height*1 = 6 bytes long, got 5",
        ),
        (
            "encode_png pixels=RGBA length for LA",
            "encode_png",
            ["LA", pixels, 2, 3, -1],
            "RangeError",
            "pixel data must be width*height*2 = 12 bytes long, got 24",
        ),
        (
            "encode_jpeg size=70000x1",
            "encode_jpeg",
            ["RGBA", js.Uint8Array.new(280000), 70000, 1, 75],
            "ImageFileError",
            "cannot write the JPEG file: 70000x1 is larger than JPEG's 65535x65535",
        ),
    ]
    for method in ("encode_png", "encode_jpeg"):
        for mode, name, fragment in [
            ("P", "RangeError", 'mode must be "L", "LA", "RGB" or "RGBA", got "P"'),
            ("rgba", "RangeError", 'mode must be "L", "LA", "RGB" or "RGBA", got "rgba"'),
            (4, "TypeError", "mode must be a string"),
            (None, "TypeError", "mode must be a string"),
        ]:
            if method == "encode_jpeg" and isinstance(mode, str):
                # The JPEG encoder also takes "CMYK" and "YCbCr" (see jpegsave).
                name = "ImageFileError"
                fragment = (
                    f'cannot write the JPEG file: it takes mode "L", "RGB", "RGBA", "CMYK" or "YCbCr", not "{mode}"'
                )
            cases.append((f"{method} mode={mode!r}", method, [mode, pixels, 2, 3, 75], name, fragment))
    for value in [3.0, -1.0, 0.5, float("nan")]:
        expected = f"subsampling must be 0 (4:4:4), 1 (4:2:2) or 2 (4:2:0), got {shown(value)}"
        cases.append(
            (
                f"encode_jpeg subsampling={value}",
                "encode_jpeg",
                ["RGB", pixels, 2, 3, 75, value],
                "RangeError",
                expected,
            )
        )
    failures = []
    for label, method, args, name, fragment in cases:
        if method == "encode_jpeg" and len(args) == 5:
            args = [*args, 2]  # Pillow's default subsampling, 4:2:0
        try:
            getattr(exports, method)(*args)
        except JsException as error:
            if error.name != name or fragment not in str(error.message):
                failures.append(f"{label}: expected {name} {fragment!r}, got {error.name}: {error.message}")
        else:
            failures.append(f"{label}: expected {name} {fragment!r}, nothing raised")
        exports = loader.codecs().exports
    picture = exports.decode(file, *limits)
    assert (picture.width, picture.height, picture.format, picture.len()) == (9, 7, "PNG", 9 * 7 * 4)
    picture.free()
    assert bytes(exports.encode_png("RGBA", pixels, 2, 3, 0).to_bytes()).startswith(b"\x89PNG")
    assert failures == [], "\n".join(failures)
    return len(cases)


def test_every_codecs_export_refuses_bad_input_without_trapping(selenium_rust_module_scope):
    good = png_of(sample_photo(9, 7).convert("RGBA"))
    tried = codecs_exports_matrix(selenium_rust_module_scope, good, bomb_claiming(65535, 65535))
    record_bad_input_cases("Rust", tried)


@run_in_pyodide(packages=["wasmcanvas"])
def test_the_codecs_module_loads_on_the_first_file_and_lets_memory_go(selenium_rust_module_scope, large):
    import io

    from wasmcanvas import Image, loader

    # A large file grows the codecs module's memory past what is kept: the
    # instance is dropped once the pixels are out, and the next file gets a
    # fresh, small one. The image itself lives in rust_image.
    with Image.open(large) as image:
        assert image.size == (4200, 4100) and image.getpixel((4199, 4099)) == (40, 90, 200, 255)
    assert loader._codecs is None
    with Image.new("RGB", (3, 2), "#102030") as small:
        out = io.BytesIO()
        small.save(out, "PNG")
    assert loader._codecs is not None
    assert loader._codecs.memory.buffer.byteLength <= loader.CODECS_MEMORY_KEPT
    with Image.open(out.getvalue()) as again:
        assert again.getpixel((2, 1)) == (16, 32, 48)


@run_in_pyodide(packages=["wasmcanvas"])
def test_a_file_goes_to_the_codecs_as_a_view_or_if_that_is_detached_a_copy(selenium_rust_module_scope):
    import io

    import js
    from pyodide.ffi import to_js
    from wasmcanvas import Image, _files

    with Image.new("RGB", (6, 4), "#a05020") as picture:
        out = io.BytesIO()
        picture.save(out, "PNG")
    data = out.getvalue()
    made = []

    class DetachedView:
        """What create_proxy(...).getBuffer gives when Pyodide's memory grew
        before the call: a view of a detached buffer."""

        def __init__(self, value):
            made.append(bytes(value))

        def getBuffer(self, kind):
            # A view of a wasm memory that then grows, as Pyodide's may.
            memory = js.WebAssembly.Memory.new(to_js({"initial": 1}, dict_converter=js.Object.fromEntries))
            view = js.Uint8Array.new(memory.buffer, 0, len(made[-1]))
            memory.grow(1)
            assert view.length == 0
            return type("Buffer", (), {"data": view, "release": lambda self: None})()

        def destroy(self):
            pass

    # The view itself: the codecs read the file's own bytes.
    with Image.open(io.BytesIO(data)) as image:
        assert image.getpixel((5, 3)) == (160, 80, 32)
    real = _files.create_proxy
    _files.create_proxy = DetachedView
    try:
        with Image.open(io.BytesIO(data)) as image:
            assert image.getpixel((5, 3)) == (160, 80, 32)
    finally:
        _files.create_proxy = real
    assert made == [data]
