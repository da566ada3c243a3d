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
    out = io.BytesIO()
    image.save(out, format="PNG", **params)
    return out.getvalue()


def pillow_pngs() -> dict[str, tuple[bytes, bytes]]:
    """Name -> (a PNG file Pillow wrote, the RGBA bytes Pillow reads from it)."""
    photo = sample_photo(29, 17)
    rgba = photo.convert("RGBA")
    rgba.putalpha(Image.linear_gradient("L").resize(photo.size))
    palette = photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    transparent_palette = palette.copy()
    transparent_palette.info["transparency"] = 3
    sources = {
        "RGBA": (rgba, {}),
        "RGB": (photo, {}),
        "L": (photo.convert("L"), {}),
        "LA": (rgba.convert("LA"), {}),
        "1-bit": (photo.convert("1"), {}),
        "P 4-bit": (palette, {"bits": 4}),
        "P with transparency": (transparent_palette, {"transparency": 3}),
        "I;16": (photo.convert("I").point(lambda value: value * 251).convert("I;16"), {}),
        "RGB interlaced": (photo, {"interlace": 1}),
        "RGBA level 9": (rgba, {"compress_level": 9}),
    }
    pngs = {}
    for name, (image, params) in sources.items():
        data = png_of(image, **params)
        with Image.open(io.BytesIO(data)) as decoded:
            if decoded.mode == "I;16":
                # Pillow keeps 16-bit grey as I;16 and clips it to 255 when
                # converting; wasmcanvas keeps each sample's high byte, as
                # browsers show such files.
                expected = bytes(byte for value in decoded.get_flattened_data() for byte in (value >> 8,) * 3 + (255,))
            else:
                expected = decoded.convert("RGBA").tobytes()
        pngs[name] = (data, expected)
    return pngs


def test_pngs_of_every_kind_read_as_pillow_reads_them(selenium_rust_module_scope):
    pngs = pillow_pngs()

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode_all(selenium, files):
        from wasmcanvas import Image

        results = {}
        for name, data in files.items():
            with Image.open(data) as image:
                results[name] = (image.size, image.format, image.tobytes())
        return results

    results = decode_all(selenium_rust_module_scope, {name: data for name, (data, _) in pngs.items()})
    assert set(results) == set(pngs)
    for name, (_, expected) in pngs.items():
        size, format, pixels = results[name]
        assert size == (29, 17), name
        assert format == "PNG", name
        assert pixels == expected, name


def test_what_wasmcanvas_writes_pillow_reads_back(selenium_rust_module_scope):
    photo = sample_photo(31, 19).convert("RGBA")
    photo.putalpha(Image.linear_gradient("L").resize(photo.size))
    pixels = photo.tobytes()

    @run_in_pyodide(packages=["wasmcanvas"])
    def encode(selenium, pixels):
        import io

        from wasmcanvas import Image

        written = {}
        with Image.from_bytes(31, 19, pixels) as image:
            for level in (None, 0, 1, 9):
                out = io.BytesIO()
                if level is None:
                    image.save(out, format="png")
                else:
                    image.save(out, format="PNG", compress_level=level)
                written[level] = out.getvalue()
            image.save(io.BytesIO(), "PNG", optimize=True, quality=90)
        return written

    written = encode(selenium_rust_module_scope, pixels)
    for level, data in written.items():
        assert data.startswith(b"\x89PNG\r\n\x1a\n"), level
        with Image.open(io.BytesIO(data)) as decoded:
            assert decoded.mode == "RGBA" and decoded.size == (31, 19), level
            assert decoded.tobytes() == pixels, level
    # Level 0 stores the pixels; level 9 compresses a photo gradient.
    assert len(written[0]) > len(pixels) > len(written[9])


@run_in_pyodide(packages=["wasmcanvas"])
def test_paths_and_file_objects_in_pyodides_file_system(selenium_rust_module_scope):
    import io
    import os
    import pathlib

    from wasmcanvas import Image

    os.makedirs("/tmp/pictures", exist_ok=True)
    with Image(5, 3, fill=(200, 100, 50, 255)) as image:
        image[1, 2] = (0, 0, 255, 128)
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
            assert image[1, 2] == (0, 0, 255, 128)
        with Image.open(bytearray(pathlib.Path(path).read_bytes())) as image:
            assert image.format == "PNG"
    # An image made in memory has no file format; a copy neither.
    assert Image(1, 1).format is None


def bomb_claiming(width: int, height: int) -> bytes:
    """A valid 1x1 PNG whose header (CRC fixed up) claims another size."""
    data = bytearray(png_of(Image.new("RGBA", (1, 1))))
    data[16:24] = width.to_bytes(4, "big") + height.to_bytes(4, "big")
    data[29:33] = zlib.crc32(bytes(data[12:29])).to_bytes(4, "big")
    return bytes(data)


def test_bad_files_and_arguments_name_the_problem(selenium_rust_module_scope):
    good = png_of(sample_photo(9, 7).convert("RGBA"))
    jpeg = io.BytesIO()
    sample_photo(9, 7).save(jpeg, format="JPEG")

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, good, jpeg, huge, too_many, corrupt):
        import io

        import pytest
        from wasmcanvas import Image, ImageFileError, UnidentifiedImageError

        with Image(4, 4, fill="#ff0000") as kept:
            with pytest.raises(UnidentifiedImageError, match=r"^cannot identify image file b'hello' \(not PNG"):
                Image.open(b"hello")
            with pytest.raises(UnidentifiedImageError, match="it is JPEG, and wasmcanvas reads PNG only"):
                Image.open(jpeg)
            with pytest.raises(UnidentifiedImageError, match=r"it is PNG, not one of \['JPEG'\]"):
                Image.open(good, formats=["JPEG"])
            with pytest.raises(ValueError, match="unknown format 'TIFFANY'"):
                Image.open(good, formats=["tiffany"])
            with pytest.raises(ImageFileError, match=r"^cannot read the PNG file: it is truncated$"):
                Image.open(good[: len(good) - 20])
            with pytest.raises(
                ImageFileError,
                match=r"^the PNG file claims 65535x65535 pixels, too large: width must be at most 16384, got 65535$",
            ):
                Image.open(huge)
            with pytest.raises(ImageFileError, match=r"claims 16384x16384 pixels, too large: .* maximum image size"):
                Image.open(too_many)
            with pytest.raises(ImageFileError, match=r"^cannot read the PNG file: "):
                Image.open(corrupt)
            assert issubclass(ImageFileError, OSError) and issubclass(UnidentifiedImageError, OSError)
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
            with pytest.raises(ValueError, match=r"wasmcanvas writes PNG only; cannot save as JPEG"):
                kept.save("/tmp/picture.jpg")
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
            closed = Image(1, 1)
            closed.close()
            with pytest.raises(ValueError, match="this Image is closed"):
                closed.save(io.BytesIO(), "PNG")

            # Nothing the user had is lost, and the module still works.
            assert kept[3, 3] == (255, 0, 0, 255)
            with Image.open(good) as image:
                assert image.size == (9, 7)

    corrupt = bytearray(good)
    corrupt[40] ^= 0xFF
    check(
        selenium_rust_module_scope,
        good,
        jpeg.getvalue(),
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
    for position, name in ((1, "width"), (2, "height")):
        for value in bad_numbers:
            args = [pixels, 2, 3, -1]
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
    for value in [10.0, -2.0, 2.5, float("nan"), 1e20]:
        cases.append(
            (
                f"encode_png compress_level={value}",
                "encode_png",
                [pixels, 2, 3, value],
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
        cases.append(
            (
                f"encode_png pixels={value!r}",
                "encode_png",
                [value, 2, 3, -1],
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
            "cannot read the picture file: it is not a PNG file",
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
            "ImageFileError",
            "the PNG file claims 65535x65535 pixels, too large: width must be at most 16384",
        ),
        (
            "decode max_side=8",
            "decode",
            [file, 8, 67108864],
            "ImageFileError",
            "the PNG file claims 9x7 pixels, too large: width must be at most 8, got 9",
        ),
        (
            "decode max_pixels=62",
            "decode",
            [file, 16384, 62],
            "ImageFileError",
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
            [js.Uint8Array.new(5), 2, 3, -1],
            "RangeError",
            "pixel data must be width*height*4 = 24 bytes long, got 5",
        ),
        (
            "encode_png pixels=huge",
            "encode_png",
            [js.Uint8Array.new(8), 65536, 65536, -1],
            "RangeError",
            "pixel data must be width*height*4 = 17179869184 bytes long, got 8",
        ),
    ]
    failures = []
    for label, method, args, name, fragment in cases:
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
    assert bytes(exports.encode_png(pixels, 2, 3, 0).to_bytes()).startswith(b"\x89PNG")
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
        assert image.size == (4200, 4100) and image[4199, 4099] == (40, 90, 200, 255)
    assert loader._codecs is None
    with Image(3, 2, fill="#102030") as small:
        out = io.BytesIO()
        small.save(out, "PNG")
    assert loader._codecs is not None
    assert loader._codecs.memory.buffer.byteLength <= loader.CODECS_MEMORY_KEPT
    with Image.open(out.getvalue()) as again:
        assert again[2, 1] == (16, 32, 48, 255)
