"""Files as Pillow 13 reads and writes them (issue 28): Netpbm files of
every kind, the header read at `open` and the pixels at `load()` (errors
there), `info` filled as Pillow's plugins fill it and used on save, the
plugin classes (`PngImagePlugin.PngImageFile`...), PNG transparency of "L"
and "RGB" files, JPEG subsampling, `MAX_IMAGE_PIXELS`, and saving to
`sys.stdout` and to files named by a `pathlib.Path`. Expected values are
Pillow's, computed on the host."""

from __future__ import annotations

import io
import sys

import pytest
from images import PILLOW_TESTS, sample_photo, with_alpha
from PIL import Image, PngImagePlugin
from pytest_pyodide import run_in_pyodide


def file_of(image: Image.Image, format: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, format=format, **params)
    return out.getvalue()


def plain(magic: bytes, image: Image.Image, maxval: int | None) -> bytes:
    """A plain (text) Netpbm file of `image`, with comments in the header
    and between the numbers."""
    if magic == b"P1":
        numbers = " ".join("0" if value else "1" for value in image.convert("L").tobytes())
    else:
        values = [round(value * maxval / 255) for value in image.tobytes()]
        numbers = "\n# a comment\n".join(" ".join(map(str, values[at : at + 9])) for at in range(0, len(values), 9))
    head = magic + b"\n# made by hand\n%d %d\n" % image.size + (b"%d\n" % maxval if maxval else b"")
    return head + numbers.encode()


# Tests/test_file_ppm.py's test_arbitrary_maxval files: Pillow's pixels
# (a PGM above maxval 255 is "I", 16 bits, in both).
ARBITRARY_MAXVAL = [
    b"P2 3 1 4 0 2 4",
    b"P2 3 1 257 0 128 257",
    b"P3 3 1 17 0 1 2 8 9 10 15 16 17",
    b"P3 3 1 257 0 1 2 128 129 130 256 257 257",
    b"P5 3 1 4 \x00\x02\x04",
    b"P5 3 1 257 \x00\x00\x00\x80\x01\x01",
    b"P6 3 1 17 \x00\x01\x02\x08\x09\x0a\x0f\x10\x11",
    b"P6 3 1 257 \x00\x00\x00\x01\x00\x02\x00\x80\x00\x81\x00\x82\x01\x00\x01\x01\xff\xff",
]


def netpbm_corpus() -> dict[str, bytes]:
    photo = sample_photo(29, 17)
    grey = photo.convert("L")
    files = {
        "P6 by Pillow": file_of(photo, "PPM"),
        "P5 by Pillow": file_of(grey, "PPM"),
        "P4 by Pillow": file_of(photo.convert("1"), "PPM"),
        "P5 16-bit by Pillow": file_of(grey.convert("I").point(lambda value: value * 257), "PPM"),
        "P1": plain(b"P1", photo.convert("1"), None),
        "P2 maxval 255": plain(b"P2", grey, 255),
        "P2 maxval 1000": plain(b"P2", grey, 1000),
        "P3 maxval 100": plain(b"P3", photo, 100),
        "P6 maxval 1000": b"P6 2 1 1000\n\x03\xe8\x00\x00\x01\xf4\x00\x01\x02\x03\x00\x07",
    }
    files.update({f"arbitrary maxval {index}": data for index, data in enumerate(ARBITRARY_MAXVAL)})
    return files


def pillows_pixels(data: bytes) -> tuple[str, str, bytes]:
    """Pillow's mode for `data` (the mode wasmcanvas gives it too) and
    Pillow's pixels in that mode."""
    with Image.open(io.BytesIO(data)) as image:
        return image.mode, image.mode, image.tobytes()


def test_netpbm_files_read_as_pillow_reads_them(selenium_rust_module_scope):
    corpus = netpbm_corpus()

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode_all(selenium, files):
        from wasmcanvas import Image, PpmImagePlugin

        results = {}
        for name, data in files.items():
            with Image.open(data) as image:
                assert isinstance(image, PpmImagePlugin.PpmImageFile)
                results[name] = (image.format, image.size, image.mode, image.get_format_mimetype(), image.tobytes())
        return results

    results = decode_all(selenium_rust_module_scope, corpus)
    for name, data in corpus.items():
        _, mode, expected = pillows_pixels(data)
        with Image.open(io.BytesIO(data)) as original:
            size, mimetype = original.size, original.get_format_mimetype()
        format, found_size, found_mode, found_mimetype, pixels = results[name]
        assert (format, found_size, found_mode, found_mimetype) == ("PPM", size, mode, mimetype), name
        assert pixels == expected, name


def netpbm_failures() -> list[tuple[bytes, str, str]]:
    """Files Pillow's tests refuse: (file, "open" or "load" where Pillow
    raises, the start of its message), checked against Pillow on the host."""
    return [
        (b"P6", "open", "Reached EOF while reading header"),
        (b"P6\nTEST", "open", "invalid literal for int() with base 10"),
        (b"P6\n 01234567890", "open", "Token too long in file header: "),
        (b"P6\n3 1 0", "open", "maxval must be greater than 0 and less than 65536"),
        (b"P6\n3 1 65536", "open", "maxval must be greater than 0 and less than 65536"),
        (b"P1\n128 128\n", "load", ""),
        (b"P1\n128 128\n1009", "load", "Invalid token for this mode"),
        (b"P3\n128 128\n255\n100A", "load", "invalid literal for int() with base 10"),
        (b"P3\n128 128\n255\n012345678910", "load", "Token too long found in data"),
        (b"P3\n128 128\n255\n-1", "load", "Channel value is negative"),
        (b"P3\n128 128\n255\n256", "load", "Channel value too large"),
        (b"P5 3 1 4", "load", ""),
        (b"P2 1 2 255 255", "load", ""),
    ]


def where_pillow_raises(data: bytes) -> tuple[str, type[Exception]]:
    try:
        image = Image.open(io.BytesIO(data))
    except Exception as error:
        return "open", type(error)
    try:
        image.load()
    except Exception as error:
        return "load", type(error)
    return "never", type(None)


def test_bad_netpbm_files_raise_where_and_what_pillow_raises(selenium_rust_module_scope):
    cases = netpbm_failures()
    for data, where, _ in cases:
        assert where_pillow_raises(data) == (where, ValueError), data

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, cases):
        import pytest
        from wasmcanvas import Image

        for data, where, message in cases:
            if where == "open":
                with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
                    Image.open(data)
                continue
            image = Image.open(data)
            assert image.size == (128, 128) or data.startswith((b"P5", b"P2"))
            for _ in range(2):  # a failed load raises again, as in Pillow
                with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
                    image.load()
        # A raw file at maxval 255 cut short is Pillow's "truncated" OSError.
        image = Image.open(b"P5 3 1 255 \x01\x02")
        with pytest.raises(OSError, match="image file is truncated"):
            image.getpixel((0, 0))
        with pytest.raises(OSError, match=r"size \(-1x1\) is not positive"):
            Image.open(b"P6 -1 1 255 ")

    check(selenium_rust_module_scope, cases)
    assert where_pillow_raises(b"P5 3 1 255 \x01\x02")[0] == "load"


def test_open_reads_the_header_and_load_the_pixels(selenium_rust_module_scope):
    photo = sample_photo(40, 30)
    png = file_of(photo, "PNG")
    jpeg = file_of(photo, "JPEG")
    cut = {"PNG": png[: len(png) // 2], "JPEG": jpeg[:-100]}
    for data in cut.values():
        assert where_pillow_raises(data)[0] == "load"

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, cut):
        import pytest
        from wasmcanvas import Image, ImageFile, JpegImagePlugin, PngImagePlugin

        for format, data in cut.items():
            image = Image.open(data)
            assert (image.format, image.size, image.mode) == (format, (40, 30), "RGB")
            assert isinstance(image, ImageFile.ImageFile) and isinstance(image, Image.Image)
            with pytest.raises(OSError, match=f"cannot read the {format} file"):
                image.load()
        png = Image.open(cut["PNG"])
        assert isinstance(png, PngImagePlugin.PngImageFile) and png.format_description == "Portable network graphics"
        assert isinstance(Image.open(cut["JPEG"]), JpegImagePlugin.JpegImageFile)
        assert ImageFile.LOAD_TRUNCATED_IMAGES is False

    check(selenium_rust_module_scope, cut)


def test_info_is_filled_and_written_as_pillow_does(selenium_rust_module_scope):
    photo = sample_photo(24, 16)
    icc = bytes(range(256)) * 3
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00"
    pnginfo = PngImagePlugin.PngInfo()
    pnginfo.add_text("Title", "a photo")
    pnginfo.add_text("Zipped", "squeezed", zip=True)
    pnginfo.add_itxt("Unicode", "caf\u00e9 \u2615", lang="fr")
    files = {
        "PNG": file_of(photo, "PNG", dpi=(72, 150), icc_profile=icc, exif=exif, pnginfo=pnginfo),
        "PNG L tRNS": file_of(photo.convert("L"), "PNG", transparency=37),
        "PNG RGB tRNS": file_of(photo, "PNG", transparency=photo.getpixel((3, 2))),
        "JPEG": file_of(photo, "JPEG", dpi=(300, 300), icc_profile=icc, exif=exif, comment=b"hello"),
        "JPEG progressive": file_of(photo, "JPEG", progressive=True),
        "GIF": file_of(photo.convert("P"), "GIF", duration=120, loop=0, comment=b"gif note"),
        "BMP": file_of(photo, "BMP", dpi=(96, 96)),
    }
    keys = ("dpi", "icc_profile", "exif", "Title", "Zipped", "Unicode", "transparency", "jfif", "jfif_version",
            "jfif_unit", "jfif_density", "progressive", "progression", "comment", "version", "duration", "loop",
            "compression")  # fmt: skip
    expected = {}
    for name, data in files.items():
        with Image.open(io.BytesIO(data)) as image:
            expected[name] = {key: image.info[key] for key in keys if key in image.info}
            if name.endswith("tRNS"):
                expected[name]["RGBA"] = image.convert("RGBA").tobytes()
                expected[name]["LA"] = image.convert("LA").tobytes() if image.mode == "L" else None

    @run_in_pyodide(packages=["wasmcanvas"])
    def read_and_write(selenium, files, keys):
        import io

        from wasmcanvas import Image

        found, written = {}, {}
        for name, data in files.items():
            with Image.open(data) as image:
                # iTXt text (a str subclass of wasmcanvas's) crosses back as its str.
                found[name] = {
                    key: str(image.info[key]) if isinstance(image.info[key], str) else image.info[key]
                    for key in keys
                    if key in image.info
                }
                if name.endswith("tRNS"):
                    found[name]["RGBA"] = image.convert("RGBA").tobytes()
                    found[name]["LA"] = image.convert("LA").tobytes() if image.mode == "L" else None
                if name.startswith(("PNG", "JPEG")) and "progressive" not in name:
                    out = io.BytesIO()
                    params = {"dpi": image.info["dpi"]} if "dpi" in image.info else {}
                    if name in ("PNG", "JPEG"):
                        params.update(icc_profile=image.info["icc_profile"], exif=image.info["exif"])
                    image.save(out, image.format, **params)
                    written[name] = out.getvalue()
        return found, written

    found, written = read_and_write(selenium_rust_module_scope, files, keys)
    for name in files:
        assert found[name] == pytest.approx(expected[name]) if name == "BMP" else found[name] == expected[name], name
    # What wasmcanvas writes from that info, Pillow reads back the same.
    for name, data in written.items():
        with Image.open(io.BytesIO(data)) as image:
            for key in ("dpi", "icc_profile", "exif", "transparency", "Title", "Zipped", "Unicode"):
                if key in expected[name] and key not in ("Title", "Zipped", "Unicode"):
                    assert image.info.get(key) == pytest.approx(expected[name][key]), (name, key)


def test_jpeg_subsampling_and_save_targets(selenium_rust_module_scope):
    photo = sample_photo(32, 32)
    pixels = photo.tobytes()

    @run_in_pyodide(packages=["wasmcanvas"])
    def write(selenium, pixels):
        import io
        import pathlib
        import sys

        import pytest
        from wasmcanvas import Image

        image = Image.frombytes("RGB", (32, 32), pixels)
        files = {}
        for subsampling in (0, 1, 2, "4:4:4", "4:2:2", "4:2:0", -1):
            out = io.BytesIO()
            image.save(out, "JPEG", subsampling=subsampling, quality=90)
            files[str(subsampling)] = out.getvalue()
        with pytest.raises(ValueError, match=r"^Cannot use 'keep' when original image is not a JPEG$"):
            image.save(io.BytesIO(), "JPEG", subsampling="keep")

        class Named(io.BytesIO):
            name = pathlib.Path("/tmp/named.png")

        named = Named()
        image.save(named)
        files["named"] = named.getvalue()
        saved_stdout = sys.stdout
        sys.stdout = io.TextIOWrapper(io.BytesIO())
        try:
            image.save(sys.stdout, "PNG")
            sys.stdout.flush()
            files["stdout"] = sys.stdout.buffer.getvalue()
        finally:
            sys.stdout = saved_stdout
        with pytest.raises(ValueError, match="StringIO cannot be used to open an image"):
            Image.open(io.StringIO())
        return files

    files = write(selenium_rust_module_scope, pixels)
    sampling = {"0": "4:4:4", "1": "4:2:2", "2": "4:2:0", "4:4:4": "4:4:4", "4:2:2": "4:2:2", "4:2:0": "4:2:0"}
    from PIL import JpegImagePlugin

    for key, name in {**sampling, "-1": "4:2:0"}.items():
        with Image.open(io.BytesIO(files[key])) as image:
            layout = JpegImagePlugin.get_sampling(image)
            assert {0: "4:4:4", 1: "4:2:2", 2: "4:2:0"}[layout] == name, key
    for key in ("named", "stdout"):
        with Image.open(io.BytesIO(files[key])) as image:
            assert image.format == "PNG" and image.tobytes() == pixels, key


def test_max_image_pixels_warns_and_refuses_as_pillow(selenium_rust_module_scope):
    data = file_of(with_alpha(sample_photo(128, 128)), "PNG")

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, data):
        import warnings

        import pytest
        from wasmcanvas import Image

        saved = Image.MAX_IMAGE_PIXELS
        try:
            Image.MAX_IMAGE_PIXELS = 128 * 128 - 1
            with pytest.warns(Image.DecompressionBombWarning, match=r"Image size \(16384 pixels\) exceeds limit"):
                Image.open(data)
            Image.MAX_IMAGE_PIXELS = 128 * 64 - 1
            with pytest.raises(
                Image.DecompressionBombError,
                match=r"^Image size \(16384 pixels\) exceeds limit of 16382 pixels, could be decompression bomb",
            ):
                Image.open(data)
            Image.MAX_IMAGE_PIXELS = None
            with warnings.catch_warnings():
                warnings.simplefilter("error")
                assert Image.open(data).size == (128, 128)
        finally:
            Image.MAX_IMAGE_PIXELS = saved

    check(selenium_rust_module_scope, data)
    assert sys.modules["PIL.Image"].MAX_IMAGE_PIXELS == 1024 * 1024 * 1024 // 4 // 3


def bmp_rle8(width: int, height: int, palette: list[tuple[int, int, int]], data: bytes) -> bytes:
    """A BMP with a 40-byte header and RLE8 `data`."""
    colours = b"".join(bytes((blue, green, red, 0)) for red, green, blue in palette)
    offset = 14 + 40 + len(colours)
    header = (
        (40).to_bytes(4, "little")
        + width.to_bytes(4, "little")
        + height.to_bytes(4, "little")
        + (1).to_bytes(2, "little")
        + (8).to_bytes(2, "little")
        + (1).to_bytes(4, "little")
        + len(data).to_bytes(4, "little")
        + bytes(8)
        + len(palette).to_bytes(4, "little")
        + bytes(4)
    )
    size = (offset + len(data)).to_bytes(4, "little")
    return b"BM" + size + bytes(4) + offset.to_bytes(4, "little") + header + colours + data


def test_bmp_and_gif_edge_files_as_pillow(selenium_rust_module_scope):
    palette = sample_photo(13, 9).convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    at_palette = bytearray(file_of(palette, "BMP"))
    at_palette[10:14] = (54).to_bytes(4, "little")  # Tests/images/mmap_error.bmp's offset
    colours = [(0, 0, 0), (200, 30, 40), (10, 220, 90)]
    rle = {
        # An absolute run going on into the next row, a delta, end of line.
        "whole": bmp_rle8(3, 3, colours, b"\x00\x04\x01\x02\x01\x02\x00\x02\x01\x00\x02\x02\x00\x00\x03\x01\x00\x01"),
        "ends early": bmp_rle8(3, 3, colours, b"\x02\x01\x00\x01"),
        "cut in an absolute run": bmp_rle8(3, 3, colours, b"\x00\x05\x01\x02"),
    }
    # Tests/images/mmap_error.bmp also lacks its last row's padding byte.
    at_palette = at_palette[:-1]
    files = {
        "BMP offset at the palette": bytes(at_palette),
        "BMP without its last padding": file_of(sample_photo(13, 9), "BMP")[:-1],
        **{f"RLE8 {name}": data for name, data in rle.items()},
    }
    expected = {}
    for name, data in files.items():
        where, error = where_pillow_raises(data)
        if where == "never":
            with Image.open(io.BytesIO(data)) as image:
                expected[name] = (image.mode, image.tobytes(), image.getpalette())
        else:
            expected[name] = (where, error.__name__)
    assert expected["RLE8 ends early"] == expected["RLE8 cut in an absolute run"] == ("load", "ValueError")
    # Tests/images/decompression_bomb.gif: a 1x1 screen whose frame claims far more.
    bomb = b"GIF89a\x01\x00\x01\x00\x00\x00\x00" + b"\x2c\x00\x00\x00\x00\xff\xff\xff\xff\x00\x02\x02\x44\x01\x00;"
    with pytest.raises(Image.DecompressionBombError) as pillows:
        Image.open(io.BytesIO(bomb))

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, files, bomb):
        from wasmcanvas import Image

        found = {}
        for name, data in files.items():
            try:
                image = Image.open(data)
            except Exception as error:
                found[name] = ("open", type(error).__name__)
                continue
            try:
                found[name] = (image.mode, image.tobytes(), image.getpalette())
            except Exception as error:
                found[name] = ("load", type(error).__name__)
        try:
            Image.open(bomb)
        except Image.DecompressionBombError as error:
            found["bomb"] = str(error)
        return found

    found = check(selenium_rust_module_scope, files, bomb)
    assert found.pop("bomb") == str(pillows.value)
    assert found == expected


def test_jpegs_with_junk_between_segments_read_as_libjpeg_reads_them(selenium_rust_module_scope):
    jpeg = file_of(sample_photo(24, 16), "JPEG", quality=90)
    after_app0 = 4 + int.from_bytes(jpeg[4:6], "big")
    # Tests/images/junk_jpeg_header.jpg has text after a segment, jpeg_ff00_header.jpg a stray FF 00.
    files = {
        name: jpeg[:after_app0] + junk + jpeg[after_app0:] for name, junk in (("text", b"hello"), ("ff00", b"\xff\x00"))
    }
    for data in files.values():
        with Image.open(io.BytesIO(data)) as image, Image.open(io.BytesIO(jpeg)) as clean:
            assert image.tobytes() == clean.tobytes()

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode(selenium, files, jpeg):
        from wasmcanvas import Image

        clean = Image.open(jpeg).tobytes()
        return {name: Image.open(data).tobytes() == clean for name, data in files.items()}

    # The same pixels as without the junk, as Pillow gives.
    assert decode(selenium_rust_module_scope, files, jpeg) == {"text": True, "ff00": True}


def test_load_truncated_images_gives_what_the_data_holds(selenium_rust_module_scope):
    photo = sample_photo(16, 12)
    png = file_of(photo, "PNG", compress_level=0)
    files = {
        "PNG": png[: len(png) * 3 // 4],
        "PPM": file_of(photo, "PPM")[:-100],
        "BMP": file_of(photo, "BMP")[:-100],
    }
    # Pillow's pixels with LOAD_TRUNCATED_IMAGES: the rows its data holds, the rest zero.
    expected = {}
    from PIL import ImageFile

    ImageFile.LOAD_TRUNCATED_IMAGES = True
    try:
        for name, data in files.items():
            with Image.open(io.BytesIO(data)) as image:
                expected[name] = image.tobytes()
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = False
    jpeg = file_of(photo, "JPEG")

    @run_in_pyodide(packages=["wasmcanvas"])
    def load(selenium, files, jpeg):
        import pytest
        from wasmcanvas import Image, ImageFile

        for data in files.values():
            with pytest.raises(OSError, match="truncated"):
                Image.open(data).load()
        ImageFile.LOAD_TRUNCATED_IMAGES = True
        try:
            found = {name: Image.open(data).tobytes() for name, data in files.items()}
            found["JPEG size"] = Image.open(jpeg[: len(jpeg) * 3 // 4]).size
        finally:
            ImageFile.LOAD_TRUNCATED_IMAGES = False
        return found

    found = load(selenium_rust_module_scope, files, jpeg)
    assert found.pop("JPEG size") == (16, 12)
    assert found == expected


def test_bmp_and_ppm_are_written_as_pillow_writes_them(selenium_rust_module_scope):
    photo = sample_photo(13, 7)
    translucent = with_alpha(photo)
    images = {"RGB": photo, "RGBA": translucent, "L": photo.convert("L")}
    expected = {}
    for mode, image in images.items():
        expected[f"BMP {mode}"] = file_of(image, "BMP")
        expected[f"PPM {mode}"] = file_of(image, "PPM")
    expected["BMP dpi"] = file_of(photo, "BMP", dpi=(300, 72))

    @run_in_pyodide(packages=["wasmcanvas"])
    def write(selenium, images):
        import io

        import pytest
        from wasmcanvas import Image

        written = {}
        for mode, (size, pixels) in images.items():
            image = Image.frombytes(mode, size, pixels)
            for format in ("BMP", "PPM"):
                out = io.BytesIO()
                image.save(out, format)
                written[f"{format} {mode}"] = out.getvalue()
        out = io.BytesIO()
        Image.frombytes("RGB", *images["RGB"]).save(out, "BMP", dpi=(300, 72))
        written["BMP dpi"] = out.getvalue()
        for format in ("BMP", "PPM"):
            with pytest.raises(OSError, match=f"cannot write mode LA as {format}"):
                Image.new("LA", (2, 2)).save(io.BytesIO(), format)
        return written

    written = write(selenium_rust_module_scope, {mode: (image.size, image.tobytes()) for mode, image in images.items()})
    assert written == expected


def test_webp_is_written_lossless_and_pillow_reads_it_back(selenium_rust_module_scope):
    photo = sample_photo(19, 11)
    translucent = with_alpha(photo)
    images = {"RGB": photo, "RGBA": translucent, "L": photo.convert("L"), "LA": translucent.convert("LA")}
    icc = bytes(range(200))
    exif = b"Exif\x00\x00MM\x00*\x00\x00\x00\x08\x00\x00"

    @run_in_pyodide(packages=["wasmcanvas"])
    def write(selenium, images, icc, exif):
        import io

        from wasmcanvas import Image

        written = {}
        for mode, (size, pixels) in images.items():
            out = io.BytesIO()
            Image.frombytes(mode, size, pixels).save(out, "WEBP")
            written[mode] = out.getvalue()
        out = io.BytesIO()
        Image.frombytes("RGB", *images["RGB"]).save(out, "WEBP", icc_profile=icc, exif=exif)
        written["metadata"] = out.getvalue()
        return written

    written = write(
        selenium_rust_module_scope, {mode: (im.size, im.tobytes()) for mode, im in images.items()}, icc, exif
    )
    # WebP has no grey: Pillow reads "L" back as "RGB" and "LA" as "RGBA", as it reads its own.
    for mode, image in images.items():
        with Image.open(io.BytesIO(written[mode])) as back:
            wanted = {"L": "RGB", "LA": "RGBA"}.get(mode, mode)
            assert (back.format, back.mode) == ("WEBP", wanted)
            assert back.tobytes() == image.convert(wanted).tobytes(), mode
    with Image.open(io.BytesIO(written["metadata"])) as back:
        assert back.info["icc_profile"] == icc
        assert back.info["exif"] == exif[6:] or back.info["exif"] == exif
        assert back.tobytes() == photo.tobytes()


def test_gif_is_written_with_its_colours_and_pillow_reads_it_back(selenium_rust_module_scope):
    palette = sample_photo(21, 13).convert("P", palette=Image.Palette.ADAPTIVE, colors=40)
    few = palette.convert("RGB")
    translucent = few.convert("RGBA")
    translucent.putpixel((2, 3), (0, 0, 0, 0))
    images = {"RGB": few, "RGBA": translucent, "L": few.convert("L")}

    @run_in_pyodide(packages=["wasmcanvas"])
    def write(selenium, images):
        import io

        from wasmcanvas import Image

        written = {}
        for mode, (size, pixels) in images.items():
            out = io.BytesIO()
            Image.frombytes(mode, size, pixels).save(out, "GIF", duration=120, loop=0, comment=b"made in wasm")
            written[mode] = out.getvalue()
        return written

    written = write(selenium_rust_module_scope, {mode: (im.size, im.tobytes()) for mode, im in images.items()})
    for mode, image in images.items():
        pillows = io.BytesIO()
        image.save(pillows, "GIF", duration=120, loop=0, comment=b"made in wasm")
        with Image.open(io.BytesIO(written[mode])) as back, Image.open(pillows) as expected:
            assert back.format == "GIF"
            assert (back.info["duration"], back.info["loop"], back.info["comment"]) == (120, 0, b"made in wasm")
            # Pillow's quantizer and writer: the same colours as Pillow's own file.
            assert back.convert("RGBA").tobytes() == expected.convert("RGBA").tobytes(), mode
        if mode != "RGBA":
            # At most 256 opaque colours come back exactly, as in Pillow.
            assert back.convert("RGBA").tobytes() == image.convert("RGBA").tobytes(), mode


def test_tga_files_read_as_pillow_reads_them(selenium_rust_module_scope):
    photo = sample_photo(17, 9)
    translucent = with_alpha(photo)
    sources = {
        "RGB": photo,
        "RGBA": translucent,
        "L": photo.convert("L"),
        "LA": translucent.convert("LA"),
        "P": photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=24),
    }
    files = {}
    for mode, image in sources.items():
        files[f"{mode} raw"] = file_of(image, "TGA")
        files[f"{mode} rle"] = file_of(image, "TGA", compression="tga_rle")
        files[f"{mode} top-down"] = file_of(image, "TGA", orientation=1)
    expected = {}
    for name, data in files.items():
        with Image.open(io.BytesIO(data)) as image:
            expected[name] = ("TGA", image.size, image.mode, image.tobytes(), image.getpalette())

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode(selenium, files):
        from wasmcanvas import Image, TgaImagePlugin

        found = {}
        for name, data in files.items():
            image = Image.open(data)
            assert isinstance(image, TgaImagePlugin.TgaImageFile)
            found[name] = (image.format, image.size, image.mode, image.tobytes(), image.getpalette())
        return found

    assert decode(selenium_rust_module_scope, files) == expected


def test_pcx_files_read_as_pillow_reads_them(selenium_rust_module_scope):
    photo = sample_photo(19, 7)
    sources = {
        "RGB": photo,
        "L": photo.convert("L"),
        "1": photo.convert("1"),
        "P": photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=24),
    }
    files = {mode: file_of(image, "PCX") for mode, image in sources.items()}
    expected = {}
    for name, data in files.items():
        with Image.open(io.BytesIO(data)) as image:
            expected[name] = ("PCX", image.size, image.mode, image.tobytes(), image.getpalette(), image.info["dpi"])

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode(selenium, files):
        from wasmcanvas import Image, PcxImagePlugin

        found = {}
        for name, data in files.items():
            image = Image.open(data)
            assert isinstance(image, PcxImagePlugin.PcxImageFile)
            found[name] = (image.format, image.size, image.mode, image.tobytes(), image.getpalette(), image.info["dpi"])
        return found

    assert decode(selenium_rust_module_scope, files) == expected


def test_ico_files_read_as_pillow_reads_them(selenium_rust_module_scope):
    photo = sample_photo(32, 32)
    translucent = with_alpha(photo)
    files = {
        "PNG entries": file_of(translucent, "ICO", sizes=[(16, 16), (32, 32)]),
        "BMP entries": file_of(translucent, "ICO", sizes=[(24, 24)], bitmap_format="bmp"),
        "BMP 8 bits": file_of(
            photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=16), "ICO", bitmap_format="bmp"
        ),
    }
    expected = {}
    for name, data in files.items():
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            mode = "RGBA" if image.mode in ("P", "RGBA") else image.mode
            expected[name] = ("ICO", image.size, mode, image.convert(mode).tobytes(), image.info["sizes"])

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode(selenium, files):
        from wasmcanvas import IcoImagePlugin, Image

        found = {}
        for name, data in files.items():
            image = Image.open(data)
            assert isinstance(image, IcoImagePlugin.IcoImageFile)
            found[name] = (image.format, image.size, image.mode, image.tobytes(), image.info["sizes"])
        return found

    assert decode(selenium_rust_module_scope, files) == expected


PILLOW_IMAGES = PILLOW_TESTS / "images"


def test_tiff_files_read_as_pillow_reads_them(selenium_rust_module_scope):
    photo = with_alpha(sample_photo(40, 30))
    files = {
        f"{mode} {compression}": file_of(photo.convert(mode), "TIFF", compression=compression)
        for mode in ("L", "LA", "RGB", "RGBA")
        for compression in ("raw", "packbits", "tiff_lzw", "tiff_adobe_deflate")
    }
    files["bilevel"] = file_of(photo.convert("1"), "TIFF")
    for name in (
        "hopper.tif",
        "8bit.s.tif",
        "copyleft.tiff",
        "tiff_tiled_planar_raw.tif",
        "tiff_strip_planar_lzw.tiff",
        "multipage.tiff",
        "16bit.cropped.tif",
        "16bit.MM.cropped.tif",
    ):
        with open(f"{PILLOW_IMAGES}/{name}", "rb") as file:
            files[name] = file.read()
    expected = {}
    for name, data in files.items():
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            info = {key: image.info[key] for key in ("compression", "dpi") if key in image.info}
            expected[name] = ("TIFF", image.size, image.mode, image.tobytes(), image.getpalette(), info)

    @run_in_pyodide(packages=["wasmcanvas"])
    def decode(selenium, files):
        from wasmcanvas import Image, TiffImagePlugin

        found = {}
        for name, data in files.items():
            image = Image.open(data)
            assert isinstance(image, TiffImagePlugin.TiffImageFile)
            info = {key: image.info[key] for key in ("compression", "dpi") if key in image.info}
            found[name] = (image.format, image.size, image.mode, image.tobytes(), image.getpalette(), info)
        return found

    assert decode(selenium_rust_module_scope, files) == expected


def test_tiff_written_as_pillow_writes_it(selenium_rust_module_scope):
    photo = with_alpha(sample_photo(33, 21))
    cases = [("L", {}), ("LA", {}), ("RGB", {"dpi": (150, 150)}), ("RGBA", {"description": "a photo"})]
    sources = {mode: photo.convert(mode).tobytes() for mode, _ in cases}
    expected = {}
    for mode, params in cases:
        expected[mode] = file_of(photo.convert(mode), "TIFF", **params)

    @run_in_pyodide(packages=["wasmcanvas"])
    def encode(selenium, size, sources, cases):
        import io

        from wasmcanvas import Image

        written = {}
        for mode, params in cases:
            out = io.BytesIO()
            Image.frombytes(mode, tuple(size), sources[mode]).save(out, "TIFF", **params)
            written[mode] = out.getvalue()
            assert Image.open(out).tobytes() == sources[mode]
        try:
            Image.new("RGB", (2, 2)).save(io.BytesIO(), "TIFF", compression="jpeg")
        except OSError as error:
            written["refused"] = str(error)
        return written

    written = encode(selenium_rust_module_scope, photo.size, sources, cases)
    assert written.pop("refused").startswith("wasmcanvas cannot write TIFF compression 'jpeg' (it writes raw, ")
    assert written == expected


def test_gif_loading_strategy_and_png_module_names_are_pillows(selenium_rust_module_scope):
    from PIL import GifImagePlugin

    strategies = {member.name: int(member) for member in GifImagePlugin.LoadingStrategy}
    default = int(GifImagePlugin.LOADING_STRATEGY)
    frame = with_alpha(sample_photo(9, 7)).convert("RGB").quantize(16).convert("RGB")
    gif = file_of(frame, "GIF")
    with Image.open(io.BytesIO(gif)) as image:
        pixels = image.convert("RGB").tobytes()
    chunk = io.BytesIO()
    PngImagePlugin.putchunk(chunk, b"tEXt", b"key\0", b"value")

    @run_in_pyodide(packages=["wasmcanvas"])
    def names(selenium, gif):
        import io

        from wasmcanvas import GifImagePlugin, Image, PngImagePlugin

        found = {
            "strategies": {member.name: int(member) for member in GifImagePlugin.LoadingStrategy},
            "default": int(GifImagePlugin.LOADING_STRATEGY),
            "magic": PngImagePlugin._MAGIC,
        }
        out = io.BytesIO()
        PngImagePlugin.putchunk(out, b"tEXt", b"key\0", b"value")
        found["chunk"] = out.getvalue() + PngImagePlugin.o32(1) + PngImagePlugin.o16(2) + PngImagePlugin.o8(3)
        found["numbers"] = (PngImagePlugin.i32(b"\0\0\1\2"), PngImagePlugin.i16(b"\1\2"))
        # Every strategy reads the first frame the same.
        frames = set()
        for strategy in GifImagePlugin.LoadingStrategy:
            GifImagePlugin.LOADING_STRATEGY = strategy
            frames.add(Image.open(gif).convert("RGB").tobytes())
        GifImagePlugin.LOADING_STRATEGY = GifImagePlugin.LoadingStrategy.RGB_AFTER_FIRST
        found["frames"] = sorted(frames)
        return found

    assert names(selenium_rust_module_scope, gif) == {
        "strategies": strategies,
        "default": default,
        "magic": PngImagePlugin._MAGIC,
        "chunk": chunk.getvalue() + PngImagePlugin.o32(1) + PngImagePlugin.o16(2) + PngImagePlugin.o8(3),
        "numbers": (PngImagePlugin.i32(b"\0\0\1\2"), PngImagePlugin.i16(b"\1\2")),
        "frames": [pixels],
    }
