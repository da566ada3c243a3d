"""wasmcanvas's WasmMemory and Image inside Pyodide: what Python reads is what
Rust wrote, what Python writes Rust sees, views survive memory growth, and
every misuse raises a precise Python exception."""

from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas"])
def test_snapshot_equals_the_bytes_rust_wrote(selenium_rust):
    import rust_image
    from wasmcanvas import WasmMemory

    memory = WasmMemory(rust_image.memory)
    raw = rust_image.RgbaImage.filled(3, 2, 10, 20, 30, 40)
    raw.set_pixel(2, 1, 1, 2, 3, 4)
    try:
        flat = memory.snapshot(raw.ptr(), raw.len())
        assert isinstance(flat, memoryview) and flat.nbytes == 24
        assert flat.tolist() == [10, 20, 30, 40] * 5 + [1, 2, 3, 4]
        shaped = memory.snapshot(raw.ptr(), raw.len(), shape=(2, 3, 4))
        assert shaped.shape == (2, 3, 4)
        assert shaped.tolist()[1][2] == [1, 2, 3, 4]
        reused = bytearray(24)
        again = memory.snapshot(raw.ptr(), 24, out=reused)
        assert bytes(reused) == bytes(flat) and again.obj is reused
        assert memory.read(raw.ptr() + 20, 4) == b"\x01\x02\x03\x04"
        seed = rust_image.Image.new()
        assert memory.snapshot(seed.pixels_ptr(), seed.pixels_len()).tolist() == [255, 0, 0, 60, 70, 90]
        seed.free()
    finally:
        raw.free()


@run_in_pyodide(packages=["wasmcanvas"])
def test_memory_arguments_are_checked_before_touching_memory(selenium_rust):
    import pytest
    import rust_image
    from wasmcanvas import WasmMemory

    memory = WasmMemory()
    end = memory.byte_length
    with pytest.raises(
        IndexError, match=rf"bytes {end - 2}..{end + 2} are beyond the end of wasm memory \({end} bytes\)"
    ):
        memory.snapshot(end - 2, 4)
    with pytest.raises(ValueError, match="ptr must be at least 0, got -1"):
        memory.read(-1, 4)
    with pytest.raises(TypeError, match="nbytes must be an int, not float"):
        memory.snapshot(0, 4.0)
    with pytest.raises(ValueError, match=r"shape \(2, 2\) holds 4 bytes, not 8"):
        memory.snapshot(0, 8, shape=(2, 2))
    with pytest.raises(ValueError, match="out holds 3 bytes, not 4"):
        memory.snapshot(0, 4, out=bytearray(3))
    with pytest.raises(TypeError, match="out must be a writable buffer"):
        memory.snapshot(0, 4, out=b"abcd")
    with pytest.raises(TypeError, match="data must be a bytes-like object, not str"):
        memory.write(0, "text")
    with pytest.raises(IndexError, match="beyond the end of wasm memory"):
        memory.write(end - 1, b"ab")
    with pytest.raises(TypeError, match=r"memory must be a WebAssembly\.Memory"):
        WasmMemory(rust_image.Image)


@run_in_pyodide(packages=["wasmcanvas"])
def test_live_view_writes_are_seen_by_rust(selenium_rust):
    import array

    import pytest
    import rust_image
    from pyodide.ffi import to_js
    from wasmcanvas import WasmMemory

    raw = rust_image.RgbaImage.new(2, 2)
    try:
        view = WasmMemory().view(raw.ptr(), raw.len())
        assert len(view) == 16 and view[0] == 0 and view[-1] == 0
        view[0:4] = b"\x0a\x14\x1e\xff"
        assert list(raw.get_pixel(0, 0).to_py()) == [10, 20, 30, 255]
        view[7] = 99
        assert list(raw.get_pixel(1, 0).to_py()) == [0, 0, 0, 99]
        view[8:12] = memoryview(bytearray([1, 2, 3, 4]))
        view[12:16] = array.array("B", [5, 6, 7, 8])
        assert list(raw.mean_colour(to_js([0, 1, 2, 1])).to_py()) == [3, 4, 5, 6]
        raw.invert()
        assert view[0:4] == bytes([245, 235, 225, 255])
        view[::4] = bytes(4)
        assert view.tobytes()[::4] == bytes(4)
        assert raw.get_pixel(1, 1).to_py()[0] == 0
        assert view.snapshot(shape=(2, 2, 4)).shape == (2, 2, 4)
        with pytest.raises(IndexError, match="index out of range for a view of 16 bytes"):
            view[16]
        with pytest.raises(ValueError, match="cannot assign 3 bytes to a slice of 4"):
            view[0:4] = b"abc"
        with pytest.raises(ValueError, match=r"a byte must be in 0\.\.255, got 256"):
            view[0] = 256
        with pytest.raises(TypeError, match="view indices must be integers or slices, not str"):
            view["a"]
    finally:
        raw.free()


@run_in_pyodide(packages=["wasmcanvas"])
def test_views_survive_memory_growth(selenium_rust):
    import rust_image
    from wasmcanvas import Image, WasmMemory

    memory = WasmMemory()
    image = Image.new("RGBA", (4, 4), (1, 2, 3, 4))
    live = image.view()
    pixels_js = image.js_view()
    before = memory.byte_length
    old_buffer = rust_image.memory.buffer
    big = []
    while memory.byte_length == before:
        big.append(Image.new("RGBA", (2048, 2048)))
    assert memory.byte_length > before
    assert old_buffer.byteLength == 0  # the old ArrayBuffer is detached
    assert pixels_js.length == 0  # a JS view goes empty, as documented
    # Python-side views look the buffer up again and still read and write.
    assert live[0:4] == b"\x01\x02\x03\x04"
    live[0] = 200
    assert image.getpixel((0, 0)) == (200, 2, 3, 4)
    assert image.pixels.tolist()[3][3] == [1, 2, 3, 4]
    assert image.js_view().length == 64
    for extra in big:
        extra.close()


@run_in_pyodide(packages=["wasmcanvas"])
def test_image_construction_and_properties(selenium_rust):
    import pytest
    from wasmcanvas import Image

    with Image.new("RGBA", (3, 2)) as blank:
        assert (blank.mode, blank.size, blank.width, blank.height) == ("RGBA", (3, 2), 3, 2)
        assert (blank.shape, blank.nbytes, blank.getbands()) == ((2, 3, 4), 24, ("R", "G", "B", "A"))
        assert blank.tobytes() == bytes(24)
        assert repr(blank) == f"<wasmcanvas.Image.Image image mode=RGBA size=3x2 at 0x{id(blank):X}>"
    # Stored RGBA whatever the mode; tobytes() gives the mode's own layout.
    with Image.new("RGB", (2, 1), "#3c465a") as grey:
        assert grey.pixels.tolist() == [[[60, 70, 90, 255], [60, 70, 90, 255]]]
        assert grey.tobytes() == bytes([60, 70, 90] * 2) and grey.getbands() == ("R", "G", "B")
    with Image.new("L", (2, 1), 7) as level:
        assert level.pixels.tolist() == [[[7, 7, 7, 255], [7, 7, 7, 255]]]
        assert level.tobytes() == b"\x07\x07" and level.getpixel((1, 0)) == 7
    with Image.new("LA", (1, 1), (9, 99)) as translucent:
        assert translucent.tobytes() == b"\x09\x63" and translucent.pixels.tolist() == [[[9, 9, 9, 99]]]
    with Image.frombytes("RGBA", (2, 1), bytes(range(8))) as loaded:
        assert loaded.tobytes() == bytes(range(8))
    with Image.frombytes("RGB", (2, 1), b"\xff\x00\x00\x3c\x46\x5a") as seed:
        assert seed.pixels.tobytes() == bytes([255, 0, 0, 255, 60, 70, 90, 255])
    # Pillow reads the first width*height*bands bytes and ignores the rest.
    with Image.frombytes("L", (2, 1), b"\x01\x02\x03") as longer:
        assert longer.tobytes() == b"\x01\x02"
    with Image.new("RGB", (0, 3)) as empty:  # no pixels, as Pillow allows
        assert (empty.size, empty.tobytes(), empty.nbytes) == ((0, 3), b"", 0)
    with pytest.raises(ValueError, match="width must be at most 16384, got 20000"):
        Image.new("RGB", (20000, 1))
    with pytest.raises(TypeError, match="width must be an int, not str"):
        Image.new("RGB", ("3", 3))
    with pytest.raises(ValueError, match="Size must be a list or tuple"):
        Image.new("RGB", 3)
    with pytest.raises(ValueError, match="not enough image data"):
        Image.frombytes("RGBA", (2, 1), bytes(7))
    with pytest.raises(ValueError, match=r"colour component g must be in 0\.\.255, got 300"):
        Image.new("RGB", (1, 1), (1, 300, 3))
    with pytest.raises(ValueError, match="unknown color specifier: 'reddish'"):
        Image.new("RGB", (1, 1), "reddish")
    with pytest.raises(ValueError, match="unrecognized image mode 'I;32'"):
        Image.new("I;32", (1, 1))
    with pytest.raises(ValueError, match="unrecognized image mode 'XYZ'"):
        Image.new("XYZ", (1, 1))
    # Pillow's Image() is an empty image (what subclasses start from), not an error.
    empty = Image.Image()
    assert (empty.mode, empty.size, empty.info, empty.palette, empty.readonly) == ("", (0, 0), {}, None, 0)


@run_in_pyodide(packages=["wasmcanvas"])
def test_pixels_and_boxes(selenium_rust):
    import pytest
    from wasmcanvas import Image

    image = Image.new("RGB", (4, 3))
    image.putpixel((1, 2), (9, 8, 7))
    assert image.getpixel((1, 2)) == (9, 8, 7)
    assert image.getpixel((-3, -1)) == (9, 8, 7)
    access = image.load()
    access[0, 0] = (1, 1, 1)
    assert access[0, 0] == (1, 1, 1) and image.getpixel((0, 0)) == (1, 1, 1)
    image.paste("#ff0000", (2, 0, 4, 2))
    assert image.getpixel((3, 1)) == (255, 0, 0) and image.getpixel((1, 1)) == (0, 0, 0)
    part = image.crop((1, 1, 3, 3))
    assert part.size == (2, 2) and part.getpixel((0, 1)) == (9, 8, 7) and part.getpixel((1, 0)) == (255, 0, 0)
    image.paste(part, (0, 0))
    assert image.getpixel((0, 1)) == (9, 8, 7)
    image.putpixel((3, 2), (5, 6, 7))
    # Pillow fills what a box takes from outside the image with 0.
    with image.crop((3, 2, 5, 4)) as outside:
        assert outside.getdata() == [(5, 6, 7), (0, 0, 0), (0, 0, 0), (0, 0, 0)]
    assert image.getdata(0) == [0, 255, 255, 255, 9, 0, 255, 255, 0, 9, 0, 5]
    with pytest.raises(IndexError, match="image index out of range"):
        image.getpixel((4, 0))
    with pytest.raises(IndexError, match="image index out of range"):
        image.putpixel((0, -4), (1, 2, 3))
    with pytest.raises(TypeError, match=r"xy must be an \(x, y\) pair, got 0"):
        image.getpixel(0)
    with pytest.raises(ValueError, match="Coordinate 'right' is less than 'left'"):
        image.crop((3, 0, 1, 2))
    with pytest.raises(ValueError, match="images do not match"):
        image.paste(part, (0, 0, 1, 2))
    with pytest.raises(ValueError, match="cannot determine region size; use 4-item box"):
        image.paste((1, 2, 3), (1, 1))
    with pytest.raises(ValueError, match=r"colour component b must be in 0\.\.255, got -1"):
        image.putpixel((0, 0), (1, 2, -1))
    part.close()
    image.close()


@run_in_pyodide(packages=["wasmcanvas"])
def test_every_inplace_operation_gives_what_its_rust_export_gives(selenium_rust):
    """Each ``im.inplace`` operation against the ``rust_image`` export it
    stands for, on the same translucent 23x17 picture, on the whole image and
    on an off-centre box: same size and bytes. The arguments are chosen so
    that a wrong export or swapped arguments change the result, and each
    export is checked to change the picture at all. Then each in-place
    operation against the returning form Pillow users call (which the
    corpus compares with Pillow itself)."""
    import js
    import rust_image
    from pyodide.ffi import to_js
    from wasmcanvas import Image, ImageChops, ImageEnhance, ImageFilter, ImageOps

    # Over 256 pixels in the image and the box, so that equalize has a step.
    W, H = 23, 17
    # Not spread evenly over 0..255, so that equalize and autocontrast change it.
    PICTURE = bytes(((i * 37 + (i // 4) * 11) % 256) * 3 // 4 + (i % 4 == 3) * 60 for i in range(W * H * 4))
    OTHER = PICTURE[::-1]
    BOX = (2, 1, 21, 16)
    RECT = (2, 1, 19, 15)  # BOX as x, y, width, height
    KERNEL = [1, 2, 1, 0, -1, 0, -2, 3, 0.5]
    RGBA = (12, 200, 34, 180)
    TABLE = [(level * 7 + 3) % 256 for level in range(256)]
    checked = []

    def read(raw):
        return js.Uint8Array.new(rust_image.memory.buffer, raw.ptr(), raw.len()).to_bytes()

    def picture(data=PICTURE):
        return rust_image.RgbaImage.from_bytes("RGBA", W, H, to_js(data))

    def same(operation, export, *export_args, boxed=True, resized=False):
        """``operation(image.inplace)`` gives what the export gives (with
        ``resized``, the export returns a new image, whose pixels the
        Image takes); with ``boxed`` also on BOX against the export on RECT."""
        for box in (None, BOX) if boxed else (None,):
            image = Image.frombytes("RGBA", (W, H), PICTURE)
            raw = picture()
            try:
                options = {} if box is None else {"box": box}
                assert operation(image.inplace, **options) is None, export
                extra = () if box is None else (to_js(list(RECT)),)
                result = getattr(raw, export)(*export_args, *extra)
                if resized:
                    raw.free()
                    raw = result
                assert image.size == (raw.width, raw.height), export
                assert image.tobytes() == read(raw), (export, box)
                assert read(raw) != PICTURE, f"{export} changed nothing, so the check proves nothing"
            finally:
                image.close()
                raw.free()
        checked.append(export)

    other_raw = picture(OTHER)
    other = Image.frombytes("RGBA", (W, H), OTHER)
    same(lambda ops, **box: ops.invert(**box), "invert")
    same(lambda ops, **box: ops.grayscale(**box), "grayscale")
    same(lambda ops, **box: ops.brightness(1.5, **box), "brightness", 1.5)
    same(lambda ops, **box: ops.contrast(0.5, **box), "contrast", 0.5)
    same(lambda ops, **box: ops.color(0.3, **box), "saturation", 0.3)
    same(lambda ops, **box: ops.sharpness(2.5, **box), "sharpness", 2.5)
    same(lambda ops, **box: ops.gamma(2.0, **box), "gamma", 2.0)
    same(lambda ops, **box: ops.threshold(100, **box), "threshold", 100)
    same(lambda ops, **box: ops.sepia(**box), "sepia")
    same(lambda ops, **box: ops.posterize(3, **box), "posterize", 3)
    same(lambda ops, **box: ops.solarize(100, **box), "solarize", 100)
    same(lambda ops, **box: ops.equalize(**box), "equalize")
    same(lambda ops, **box: ops.autocontrast((2, 5), 7, **box), "autocontrast", 2, 5, to_js([7]), False)
    same(lambda ops, **box: ops.point(TABLE * 4, **box), "point", js.Uint8Array.new(to_js(TABLE * 4)))
    same(lambda ops, **box: ops.filter(ImageFilter.GaussianBlur((0, 2.5)), **box), "gaussian_blur", 0, 2.5)
    same(lambda ops, **box: ops.filter(ImageFilter.BoxBlur(2), **box), "box_blur", 2, 2)
    same(lambda ops, **box: ops.filter(ImageFilter.DETAIL, **box), "builtin_filter", "DETAIL")
    same(lambda ops, **box: ops.filter(ImageFilter.RankFilter(5, 3), **box), "rank_filter", 5, 3)
    same(lambda ops, **box: ops.filter(ImageFilter.MedianFilter(), **box), "rank_filter", 3, 4)
    same(
        lambda ops, **box: ops.filter(ImageFilter.Kernel((3, 3), KERNEL, 3, 10), **box),
        "convolve",
        js.Float32Array.new(to_js(KERNEL)),
        3,
        10,
    )
    same(lambda ops, **box: ops.filter(ImageFilter.UnsharpMask(2, 150, 3), **box), "unsharp_mask", 2, 150, 3)
    same(lambda ops, **box: ops.blend(other, 0.3, **box), "blend", other_raw, 0.3)
    same(lambda ops, **box: ops.chop("add", other, scale=2, offset=10, **box), "add", other_raw, 2, 10)
    same(lambda ops, **box: ops.chop("subtract", other, **box), "subtract", other_raw, 1, 0)
    same(lambda ops, **box: ops.chop("difference", other, **box), "difference", other_raw)
    same(lambda ops, **box: ops.chop("soft_light", other, **box), "soft_light", other_raw)
    same(lambda ops, **box: ops.fill(RGBA, **box), "fill", *RGBA)
    same(lambda ops: ops.transpose(Image.Transpose.ROTATE_90), "transpose", 2, boxed=False, resized=True)
    same(lambda ops: ops.resize((12, 5), Image.NEAREST), "resize", 12, 5, 0, boxed=False, resized=True)
    same(lambda ops: ops.resize((5, 12)), "resize", 5, 12, 3, boxed=False, resized=True)
    same(lambda ops: ops.rotate(30, Image.BILINEAR), "rotate", 30, 2, False, boxed=False, resized=True)
    same(lambda ops: ops.crop(BOX), "crop", to_js(list(RECT)), boxed=False, resized=True)
    assert len(checked) == 32, len(checked)

    def returned(make, inplace, mode="RGBA"):
        """The returning form and ``im.inplace`` give the same image."""
        with Image.frombytes("RGBA", (W, H), PICTURE) as image:
            image.inplace.convert(mode)
            before = image.tobytes()
            with make(image) as made:
                inplace(image.inplace)
                assert (made.mode, made.size, made.tobytes()) == (image.mode, image.size, image.tobytes())
                assert made.tobytes() != before

    returned(lambda im: im.filter(ImageFilter.GaussianBlur(2)), lambda ops: ops.filter(ImageFilter.GaussianBlur(2)))
    returned(lambda im: im.point(TABLE * 4), lambda ops: ops.point(TABLE * 4))
    # ImageOps's table functions take no alpha, as in Pillow.
    returned(ImageOps.invert, lambda ops: ops.invert(), "RGB")
    returned(ImageOps.equalize, lambda ops: ops.equalize(), "L")
    returned(lambda im: ImageOps.posterize(im, 2), lambda ops: ops.posterize(2), "RGB")
    returned(lambda im: ImageOps.solarize(im, 99), lambda ops: ops.solarize(99), "RGB")
    returned(lambda im: ImageOps.autocontrast(im, 3), lambda ops: ops.autocontrast(3), "RGB")
    returned(lambda im: ImageEnhance.Brightness(im).enhance(1.5), lambda ops: ops.brightness(1.5))
    returned(lambda im: ImageEnhance.Contrast(im).enhance(0.5), lambda ops: ops.contrast(0.5))
    returned(lambda im: ImageEnhance.Color(im).enhance(0.3), lambda ops: ops.color(0.3))
    returned(lambda im: ImageEnhance.Sharpness(im).enhance(2.5), lambda ops: ops.sharpness(2.5))
    returned(lambda im: Image.blend(im, other, 0.3), lambda ops: ops.blend(other, 0.3))
    returned(lambda im: ImageChops.multiply(im, other), lambda ops: ops.chop("multiply", other))
    returned(lambda im: Image.new("RGBA", im.size, RGBA), lambda ops: ops.fill(RGBA))
    returned(lambda im: im.transpose(Image.Transpose.TRANSVERSE), lambda ops: ops.transpose(Image.TRANSVERSE))
    returned(lambda im: im.resize((4, 11)), lambda ops: ops.resize((4, 11)))
    returned(lambda im: im.rotate(-20, expand=True), lambda ops: ops.rotate(-20, expand=True))
    returned(lambda im: im.crop((1, 2, 5, 7)), lambda ops: ops.crop((1, 2, 5, 7)))

    # convert() in place changes the mode and the stored bytes as the
    # returning form does, without new pixels.
    for mode in ("L", "LA", "RGB"):
        with Image.frombytes("RGBA", (W, H), PICTURE) as image, image.convert(mode) as made:
            before = image.ptr
            image.inplace.convert(mode)
            assert (image.mode, image.tobytes(), image.ptr) == (mode, made.tobytes(), before)
    other.close()
    other_raw.free()


@run_in_pyodide(packages=["wasmcanvas"])
def test_rust_errors_become_precise_python_exceptions(selenium_rust):
    import pytest
    from wasmcanvas import Image, ImageFilter

    image = Image.new("RGBA", (4, 3))
    with pytest.raises(ValueError, match="factor must be a finite number, got NaN"):
        image.inplace.brightness(float("nan"))
    with pytest.raises(ValueError, match="radius must be a number from 0 to 10000, got NaN"):
        image.filter(ImageFilter.GaussianBlur(float("nan")))
    # A box beyond the image holds no pixel to change, as with Pillow's paste.
    image.inplace.invert(box=(4, 0, 6, 1))
    assert image.tobytes() == bytes(48)
    with pytest.raises(ValueError, match="Coordinate 'right' is less than 'left'"):
        image.inplace.invert(box=(3, 0, 1, 1))
    with pytest.raises(TypeError, match="factor must be a number, not str"):
        image.inplace.contrast("high")
    with pytest.raises(TypeError, match=r"box must be \(left, upper, right, lower\), got \(1, 2\)"):
        image.inplace.invert(box=(1, 2))
    with pytest.raises(ValueError, match="bits must be"):
        image.inplace.posterize(9)
    with pytest.raises(ValueError, match="name must be one of add, subtract"):
        image.inplace.chop("xor", image)
    with Image.new("L", (4, 3), 255) as mask, pytest.raises(ValueError, match="give a mask or a box, not both"):
        image.inplace.equalize(mask, box=(0, 0, 2, 2))
    with pytest.raises(ValueError, match="bad transparency mask"):
        image.inplace.autocontrast(mask=image)
    image.inplace.invert()
    assert image.getpixel((0, 0)) == (255, 255, 255, 0)
    image.close()


@run_in_pyodide(packages=["wasmcanvas"])
def test_closed_images_say_so(selenium_rust):
    import pytest
    from wasmcanvas import ClosedImageError, Image

    image = Image.new("RGB", (2, 2))
    assert not image.closed
    image.close()
    image.close()
    assert image.closed and repr(image) == "<wasmcanvas.Image.Image (closed)>"
    for use in (
        lambda: image.inplace.invert(),
        lambda: image.width,
        lambda: image.getpixel((0, 0)),
        lambda: image.pixels,
        lambda: image.copy(),
        lambda: image.resize((1, 1)),
    ):
        with pytest.raises(ClosedImageError, match="this Image is closed: its pixels were freed"):
            use()
    # As Pillow's, a with block keeps the pixels; close() or the last
    # reference going frees them.
    with Image.new("RGB", (1, 1), (4, 5, 6)) as scoped:
        pass
    assert not scoped.closed and scoped.getpixel((0, 0)) == (4, 5, 6)
    with pytest.raises(ClosedImageError, match="this Image is closed: its pixels were freed"):
        image.load()
    with Image.new("RGB", (1, 1)) as target:
        with pytest.raises(ClosedImageError):
            target.paste(image)
        assert target.getpixel((0, 0)) == (0, 0, 0)


@run_in_pyodide(packages=["wasmcanvas"])
def test_colours_parse_and_format(selenium_rust):
    import pytest
    from wasmcanvas import parse_colour, to_css

    assert parse_colour("#fff") == (255, 255, 255, 255)
    assert parse_colour("#3C465A") == (60, 70, 90, 255)
    assert parse_colour("#00000080") == (0, 0, 0, 128)
    assert parse_colour([1, 2, 3]) == (1, 2, 3, 255)
    assert parse_colour((1, 2, 3, 4)) == (1, 2, 3, 4)
    assert to_css((60, 70, 90)) == "#3c465a"
    assert to_css("#00000080") == "#00000080"
    with pytest.raises(ValueError, match="a colour needs 3 or 4 components, got 2"):
        parse_colour((1, 2))
    with pytest.raises(TypeError, match="colour component b must be an int, not float"):
        parse_colour((1, 2, 3.5))
    with pytest.raises(TypeError, match="a colour must be"):
        parse_colour(7)


# Defects Pillow's own test suite found (issue 28): each snippet sets
# `result` or raises, and must do what it does with Pillow 13 on the host.
PILLOW_SNIPPETS = [
    "Image.new('RGB', (1, 1)).putpixel((0, 0), 2**80)",
    "Image.new('L', (1, 1)).putpixel((0, 0), -(2**80))",
    "Image.new('RGBA', (1, 1)).putpixel((0, 0), (2**80, 0, 0))",
    "Image.new('RGB', (1, 1)).putpixel((0, 0), (1, 2))",
    "Image.new('RGBA', (1, 1)).putpixel((0, 0), (1, 2, 3, 4, 5))",
    "Image.new('L', (1, 1)).putpixel((0, 0), (1, 2, 3))",
    "Image.new('LA', (1, 1)).putpixel((0, 0), (1, 2, 3))",
    "im = Image.new('RGB', (1, 1)); im.putpixel((0, 0), 2**40 + 0x10203); result = im.getpixel((0, 0))",
    "im = Image.new('L', (1, 1)); im.putpixel((0, 0), 2**40); result = im.getpixel((0, 0))",
    "im = Image.new('RGBA', (1, 1)); im.putpixel((0, 0), (7,)); result = im.getpixel((0, 0))",
    "im = Image.new('LA', (1, 1)); im.putpixel((0, 0), (7,)); result = im.getpixel((0, 0))",
    "im = Image.new('RGB', (2, 2)); im.close(); im.load()",
    "im = Image.open(io.BytesIO(PNG)); im.close(); im.load()",
    "with Image.open(io.BytesIO(PNG)) as im:\n    im.load()\nresult = (im.getpixel((1, 1)), im.tobytes())",
    "with Image.new('LA', (2, 1), (5, 6)) as im:\n    pass\nresult = im.getpixel((0, 0))",
    "result = rgb.transform((5, 4), Image.Transform.AFFINE, (1, 0.5, 1, 0, 1, 0, 9, 9)).tobytes()",
    "result = rgb.transform((5, 4), Image.Transform.PERSPECTIVE, (1, 0, 1, 0, 1, 0, 0.01, 0, 7)).tobytes()",
    "result = rgb.transform((5, 4), Image.Transform.QUAD, (0, 0, 0, 4, 5, 4, 5, 0, 7)).tobytes()",
    "rgb.transform((5, 4), Image.Transform.AFFINE, (1, 0, 1, 0, 1))",
    "rgb.transform((5, 4), Image.Transform.PERSPECTIVE, (1, 0, 1, 0, 1, 0, 0))",
    "rgb.transform((5, 4), Image.Transform.EXTENT, (0, 0, 4, 4, 5))",
    "rgb.transform((5, 4), Image.Transform.EXTENT, (0, 0, 4))",
    "rgb.transform((5, 4), Image.Transform.QUAD, (0, 0, 0, 4, 5, 4, 5))",
    "rgb.transform((5, 4), 99, (1, 0, 0, 0, 1, 0))",
    "rgb.transform((5, 4), Image.Transform.AFFINE, (1, 0, 0, 0, 1, 0), resample='unknown')",
    "rgb.transform((5, 4), Image.Transform.AFFINE, (1, 0, 0, 0, 1, 0), resample=Image.Resampling.BOX)",
    "rgb.rotate(30, Image.Resampling.LANCZOS)",
    "rgb.resize((2, 2), 'unknown')",
    "rgb.resize((2, 2), box=(4, 4))",
    "rgb.resize((2, 2), box=4)",
    "rgb.resize((2, 2), box=b'abcd')",
    "result = rgb.resize((2, 2), box=[0.5, 0, 4, True]).tobytes()",
    "im = Image.new('RGB', (200, 150)); im.thumbnail((99.9, 99.9)); result = im.size",
    "im = Image.new('RGB', (150, 200)); im.thumbnail((50.5, 99.9)); result = im.size",
    "result = Image.alpha_composite(la_under, la_over).tobytes()",
    "im = la_under.copy(); im.alpha_composite(la_over, (1, 0), (0, 0, 2, 2)); result = im.tobytes()",
    "Image.alpha_composite(Image.new('L', (2, 2)), Image.new('L', (2, 2)))",
    "Image.alpha_composite(la_under, Image.new('RGBA', (3, 2)))",
    "copied = rgb.convert(''); result = (copied is rgb, copied.mode, copied.tobytes() == rgb.tobytes())",
    "result = Image.new('LA', (1, 1), (3, 4)).convert('').getpixel((0, 0))",
    "Image.new('RGB', 0)",
    "Image.new('RGB', (1, 2, 3))",
    "Image.new('RGB', (-1, 2))",
    "Image.frombytes('L', 3, b'abc')",
    "result = Image.new('L', (3, 1), 90).point(lambda i: i < 100 and 255).tobytes()",
    "result = Image.new('L', (3, 1), 150).point(lambda i: i < 100 and 255).tobytes()",
    "result = Image.new('L', (1, 1), 150).point([True] * 256).tobytes()",
    "Image.new('L', (1, 1), 150).point(lambda i: 2**80)",
    "result = Image.new('RGB', (2, 1), (9, 99, 200)).point(lambda i: 2**40 if i > 50 else -(2**40)).tobytes()",
    "result = [Image.new('L', (1, 1), 150).point(lambda i: v).tobytes()"
    " for v in (2**32 + 7, 2**31, 1e10 + 3, -(2**32) + 9)]",
    # A colour through an "L" mask: where alpha is 0, Pillow paints the colour whole.
    "im = Image.frombytes('RGBA', (4, 2), bytes(range(0, 256, 8)))\n"
    "im.putpixel((1, 0), (100, 100, 100, 0)); im.putpixel((2, 1), (1, 2, 3, 0))\n"
    "im.paste((255, 0, 9, 200), (0, 0, 4, 2), Image.frombytes('L', (4, 2), bytes([0, 128, 255, 77, 0, 1, 30, 90])))\n"
    "result = im.tobytes()",
    "im = Image.frombytes('LA', (3, 1), bytes([10, 0, 20, 50, 30, 0]))\n"
    "im.paste((200, 100), (0, 0, 3, 1), Image.frombytes('L', (3, 1), bytes([77, 77, 0])))\n"
    "result = im.tobytes()",
    # paste, as Pillow's Tests/test_image_paste.py uses it
    "im = Image.new('L', (3, 3)); im.paste(1, (2**31 - 1, 0, -(2**31), 1)); result = im.tobytes()",
    "im = Image.new('L', (3, 3)); im.paste(1, (2, 0, 1, 1)); result = im.tobytes()",
    "im = Image.new('L', (3, 3)); im.paste(im.copy(), (2**31 - 1, 0, -(2**31), 1))",
    "im = Image.new('L', (3, 3)); im.paste(1, (0, 0, 1))",
    "im = Image.new('L', (3, 3)); im.paste(im.copy(), (0, 0, 1))",
    "im = Image.new('L', (3, 3)); im.paste(1, (0.5, 0))",
    "im = Image.new('L', (3, 3)); im.paste(im.copy(), (0, 0), Image.new('L', (2, 2)))",
    "im = Image.new('L', (3, 3)); im.paste(im.copy(), (0, 0), Image.new('RGB', (3, 3)))",
    "im = Image.new('L', (1, 1)); im.paste(im, im, im)",
    "im = Image.frombytes('L', (3, 3), bytes(range(9))); im.paste(im, (0, 1)); result = im.tobytes()",
    "im = Image.frombytes('RGB', (3, 3), bytes(range(27))); mask = Image.new('LA', (3, 3), 0xFFFFFFFF)\n"
    "im.paste(im, (0, -1), mask); result = im.tobytes()",
    "im = Image.frombytes('L', (3, 3), bytes(range(9))); im.paste(im, (1, 0), im); result = im.tobytes()",
    "im = Image.new('L', (2, 2), 10); im.paste(Image.new('RGBA', (1, 1), (100, 50, 20, 9))); result = im.tobytes()",
    "im = Image.new('RGB', (2, 2), 10); im.paste(Image.new('LA', (1, 1), (100, 50))); result = im.tobytes()",
    "im = Image.new('RGB', (5, 5)); im.paste(Image.new('RGB', (2, 2), 'red'), Image.new('L', (2, 2), 99))\n"
    "result = im.tobytes()",
    # transform through ImageTransform objects, and rotate's quarter turns
    # about another centre, as Tests/test_image_transform.py and
    # test_image_rotate.py use them
    "result = rgb.transform((5, 4), ImageTransform.AffineTransform((1, 0.5, 1, 0, 1, 0))).tobytes()",
    "result = rgb.transform((7, 3), ImageTransform.ExtentTransform((1, 0, 4, 4)), Image.Resampling.BILINEAR).tobytes()",
    "result = rgb.transform((5, 4), ImageTransform.QuadTransform((0, 0, 1, 4, 5, 3, 4, 0))).tobytes()",
    "result = rgb.transform((5, 4), ImageTransform.PerspectiveTransform((1, 0, 0, 0, 1, 0, 0.1, 0))).tobytes()",
    "result = ImageTransform.ExtentTransform((0, 0, 10, 8)).transform((5, 4), rgb, fillcolor='red').tobytes()",
    "la = Image.new('LA', (4, 4), (9, 200))\n"
    "result = la.transform((4, 4), Image.Transform.EXTENT, (0, 0, 8, 8), Image.Resampling.BILINEAR, fillcolor='red')"
    ".getpixel((3, 3))",
    "result = [rgb.rotate(angle, center=(-1, -1)).tobytes() for angle in (90, 180, 270)]",
    "result = [rgb.rotate(angle, translate=(-2, 1)).tobytes() for angle in (0, 90, 180, 270)]",
    "result = [rgb.rotate(angle, center=(1, 3), expand=1).tobytes() for angle in (90, 180, 270)]",
    "result = rgb.crop((0.9, 1.1, 4.2, 3.8)).tobytes()",
    # Transform.MESH and ImageOps.deform (Tests/test_image_transform.py, test_imageops.py)
    "mesh = [((0, 0, 3, 2), (0, 0, 0, 4, 2, 4, 2, 0)), ((3, 0, 7, 4), (1, 1, 2, 6, 6, 5, 5, -1))]\n"
    "result = [rgb.transform((7, 4), Image.Transform.MESH, mesh, resample).tobytes() for resample in (0, 2, 3)]",
    "mesh = [((0, 0, 3, 2), (0, 0, 0, 4, 2, 4, 2, 0)), ((3, 0, 7, 4), (1, 1, 2, 6, 6, 5, 5, -1))]\n"
    "result = [rgb.transform((7, 4), ImageTransform.MeshTransform(mesh), r, fillcolor='blue').tobytes()"
    " for r in (0, 2)]",
    "mesh = [((0, 0, 3, 2), (0, 0, 0, 4, 2, 4, 2, 0)), ((3, 0, 7, 4), (1, 1, 2, 6, 6, 5, 5, -1))]\n"
    "result = [rgb.transform((7, 4), Image.Transform.MESH, mesh, r, fillcolor='blue').tobytes() for r in (0, 2)]",
    "mesh = [((1, 1, 4, 3), (-2, 0, 0, 4, 9, 4, 2, 0)), ((2, 0, 5, 2), (0, 0, 0, 2, 5, 2, 5, 0))]\n"
    "image = rgb.convert('RGBA'); image.putpixel((2, 1), (9, 9, 9, 0))\n"
    "result = [image.transform((5, 4), Image.Transform.MESH, mesh, 2, fillcolor=fill).tobytes()"
    " for fill in (None, (200, 100, 50, 128))]",
    "rgb.transform((5, 4), Image.Transform.MESH, [((0, 0, 3, 2), (0, 0, 0, 4, 2, 4, 2, 0))], Image.Resampling.BOX)",
    "class Deformer:\n"
    "    def getmesh(self, im):\n"
    "        return [((0, 0, im.width, im.height), (0, 0, 1, im.height, im.width, im.height - 1, im.width, 0))]\n"
    "result = [ImageOps.deform(rgb, Deformer()).tobytes(), ImageOps.deform(rgb, Deformer(), 0).tobytes()]",
]


def pillow_names() -> dict[str, object]:
    import io

    from images import sample_photo
    from PIL import Image, ImageOps, ImageTransform

    png = io.BytesIO()
    sample_photo(5, 4, seed=3).save(png, "PNG")
    return {
        "io": io,
        "Image": Image,
        "ImageOps": ImageOps,
        "ImageTransform": ImageTransform,
        "PNG": png.getvalue(),
        "RGB": sample_photo(5, 4, seed=3).tobytes(),
    }


@run_in_pyodide(packages=["wasmcanvas"])
def wasmcanvas_snippets(selenium, snippets, png, rgb_bytes):
    import io

    from wasmcanvas import Image, ImageOps, ImageTransform

    outcomes = []
    for code in snippets:
        scope = {"io": io, "Image": Image, "ImageOps": ImageOps, "ImageTransform": ImageTransform, "PNG": png}
        scope["rgb"] = Image.frombytes("RGB", (5, 4), rgb_bytes)
        scope["la_under"] = Image.frombytes("LA", (3, 2), bytes([10, 200, 90, 128, 255, 0, 0, 255, 40, 60, 77, 1]))
        scope["la_over"] = Image.frombytes("LA", (3, 2), bytes([250, 100, 0, 0, 30, 255, 66, 9, 128, 128, 7, 200]))
        try:
            exec(code, scope)
        except Exception as error:
            outcomes.append(("raises", type(error).__name__, str(error)))
        else:
            outcomes.append(("value", scope.get("result")))
    return outcomes


def test_image_does_what_pillow_does_where_pillows_suite_found_it_did_not(selenium_rust):
    from images import run_snippet
    from PIL import Image

    names = pillow_names()
    expected = []
    for code in PILLOW_SNIPPETS:
        scope = dict(names)
        scope["rgb"] = Image.frombytes("RGB", (5, 4), names["RGB"])
        scope["la_under"] = Image.frombytes("LA", (3, 2), bytes([10, 200, 90, 128, 255, 0, 0, 255, 40, 60, 77, 1]))
        scope["la_over"] = Image.frombytes("LA", (3, 2), bytes([250, 100, 0, 0, 30, 255, 66, 9, 128, 128, 7, 200]))
        expected.append(run_snippet(code, scope))
    # Pillow's closed image says "Operation on closed image"; wasmcanvas's
    # ClosedImageError, a ValueError too, says what happened to the pixels.
    closing = [i for i, code in enumerate(PILLOW_SNIPPETS) if "im.close(); im.load()" in code]
    assert [expected[i] for i in closing] == [("raises", "ValueError", "Operation on closed image")] * 2
    for i in closing:
        expected[i] = (
            "raises",
            "ClosedImageError",
            "this Image is closed: its pixels were freed; use it before close() or copy() it",
        )
    got = wasmcanvas_snippets(selenium_rust, PILLOW_SNIPPETS, names["PNG"], names["RGB"])
    differ = [
        (code, want, have) for code, want, have in zip(PILLOW_SNIPPETS, expected, got, strict=True) if want != have
    ]
    assert differ == [], "\n".join(map(repr, differ))
