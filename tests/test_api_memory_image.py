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
    image = Image(4, 4, fill=(1, 2, 3, 4))
    live = image.view()
    pixels_js = image.js_view()
    before = memory.byte_length
    old_buffer = rust_image.memory.buffer
    big = []
    while memory.byte_length == before:
        big.append(Image(2048, 2048))
    assert memory.byte_length > before
    assert old_buffer.byteLength == 0  # the old ArrayBuffer is detached
    assert pixels_js.length == 0  # a JS view goes empty, as documented
    # Python-side views look the buffer up again and still read and write.
    assert live[0:4] == b"\x01\x02\x03\x04"
    live[0] = 200
    assert image[0, 0] == (200, 2, 3, 4)
    assert image.pixels.tolist()[3][3] == [1, 2, 3, 4]
    assert image.js_view().length == 64
    for extra in big:
        extra.close()


@run_in_pyodide(packages=["wasmcanvas"])
def test_image_construction_and_properties(selenium_rust):
    import pytest
    from wasmcanvas import Image

    with Image(3, 2) as blank:
        assert (blank.width, blank.height, blank.size, blank.shape, blank.nbytes) == (3, 2, (3, 2), (2, 3, 4), 24)
        assert blank.tobytes() == bytes(24)
        assert repr(blank) == "<wasmcanvas.Image 3x2>"
    with Image(2, 1, fill="#3c465a") as grey:
        assert grey.pixels.tolist() == [[[60, 70, 90, 255], [60, 70, 90, 255]]]
    with Image(1, 1, fill=(1, 2, 3, 4)) as one:
        assert one[0, 0] == (1, 2, 3, 4)
    with Image.from_bytes(2, 1, bytes(range(8))) as loaded:
        assert loaded.tobytes() == bytes(range(8))
    with Image.from_rgb(2, 1, b"\xff\x00\x00\x3c\x46\x5a") as seed:
        assert seed.tobytes() == bytes([255, 0, 0, 255, 60, 70, 90, 255])
    with pytest.raises(ValueError, match="width and height must be at least 1, got 0x3"):
        Image(0, 3)
    with pytest.raises(ValueError, match="width must be at most 16384, got 20000"):
        Image(20000, 1)
    with pytest.raises(TypeError, match="width must be an int, not str"):
        Image("3", 3)
    with pytest.raises(ValueError, match="pixel data must be width\\*height\\*4 = 8 bytes long, got 7"):
        Image.from_bytes(2, 1, bytes(7))
    with pytest.raises(ValueError, match=r"colour component g must be in 0\.\.255, got 300"):
        Image(1, 1, fill=(1, 300, 3))
    with pytest.raises(ValueError, match="unknown color specifier: 'reddish'"):
        Image(1, 1, fill="reddish")


@run_in_pyodide(packages=["wasmcanvas"])
def test_pixels_and_rectangles_by_index(selenium_rust):
    import pytest
    from wasmcanvas import Image

    image = Image(4, 3, fill=(0, 0, 0))
    image[1, 2] = (9, 8, 7)
    assert image[1, 2] == (9, 8, 7, 255)
    assert image[-3, -1] == (9, 8, 7, 255)
    image[2:4, 0:2] = "#ff0000"
    assert image[3, 1] == (255, 0, 0, 255) and image[1, 1] == (0, 0, 0, 255)
    part = image[1:3, 1:3]
    assert part.size == (2, 2) and part[0, 1] == (9, 8, 7, 255) and part[1, 0] == (255, 0, 0, 255)
    image[0:2, 0:2] = part
    assert image[0, 1] == (9, 8, 7, 255)
    with pytest.raises(IndexError, match=r"pixel \(4, 0\) is outside the 4x3 image"):
        image[4, 0]
    with pytest.raises(IndexError, match=r"the rectangle \[3:3, 0:3\] is empty"):
        image[3:3, 0:3]
    with pytest.raises(ValueError, match="image slices cannot have a step"):
        image[0:4:2, 0:3]
    with pytest.raises(ValueError, match="cannot paste a 2x2 image into a 1x2 rectangle"):
        image[0:1, 0:2] = part
    with pytest.raises(TypeError, match=r"index an Image with \[x, y\] or \[x0:x1, y0:y1\]"):
        image[0]
    part.close()
    image.close()


@run_in_pyodide(packages=["wasmcanvas"])
def test_every_image_method_gives_what_its_rust_export_gives(selenium_rust):
    """Each wrapper method against the `rust_image` export it stands for, on
    the same translucent 9x7 picture: same size, same bytes, same value. The
    arguments are chosen so that a wrong export or swapped arguments change
    the result (non-square sizes, a scale and an offset, an off-centre
    rectangle), and each export is checked to change the picture at all."""
    import js
    import pytest
    import rust_image
    from pyodide.ffi import to_js
    from wasmcanvas import Image

    W, H = 9, 7
    PICTURE = bytes((i * 37 + (i // 4) * 11 + (i % 4 == 3) * 90) % 256 for i in range(W * H * 4))
    RECT = (2, 1, 6, 5)
    KERNEL = [1, 2, 1, 0, -1, 0, -2, 3, 0.5]
    RGBA = (12, 200, 34, 180)
    checked = []

    def read(raw):
        return js.Uint8Array.new(rust_image.memory.buffer, raw.ptr(), raw.len()).to_bytes()

    def same(wrapper_call, export, *export_args, changes=True, resized=False):
        """The wrapper gives what the export gives; `resized`: the export
        returns a new image, which the wrapper's image becomes."""
        image = Image.from_bytes(W, H, PICTURE)
        raw = rust_image.RgbaImage.from_bytes("RGBA", W, H, to_js(PICTURE))
        try:
            value = wrapper_call(image)
            raw_value = getattr(raw, export)(*export_args)
            if resized:
                raw.free()
                raw, raw_value = raw_value, None
            if hasattr(raw_value, "to_py"):
                raw_value = raw_value.to_py()
            if isinstance(value, Image):
                assert value.tobytes() == read(raw_value) and value.size == (raw_value.width, raw_value.height), export
                value.close()
                raw_value.free()
            elif raw_value is not None:
                assert list(value) == list(raw_value) if isinstance(value, list | tuple) else value == raw_value
            else:
                assert value is None, export
            assert image.size == (raw.width, raw.height), export
            assert image.tobytes() == read(raw), export
            assert not changes or read(raw) != PICTURE, f"{export} changed nothing, so the check proves nothing"
            checked.append(export)
        finally:
            image.close()
            raw.free()

    def weights():
        return js.Float32Array.new(to_js(KERNEL))

    def R(rect):
        return to_js(list(rect))

    for method, args, export, export_args in [
        ("grayscale", (), "grayscale", ()),
        ("invert", (), "invert", ()),
        ("brightness", (1.5,), "brightness", (1.5,)),
        ("contrast", (0.5,), "contrast", (0.5,)),
        ("gamma", (2.0,), "gamma", (2.0,)),
        ("threshold", (100,), "threshold", (100,)),
        ("sepia", (), "sepia", ()),
        ("swap_channels", (1, 3), "swap_channels", (1, 3)),
        ("extract_channel", (1,), "extract_channel", (1,)),
        ("premultiply_alpha", (), "premultiply_alpha", ()),
        ("unpremultiply_alpha", (), "unpremultiply_alpha", ()),
        ("blur", (1.5,), "gaussian_blur", (1.5, 1.5)),
        ("blur", ((0, 2.5),), "gaussian_blur", (0, 2.5)),
        ("box_blur", (2,), "box_blur", (2, 2)),
        ("box_blur", ([1, 0.5],), "box_blur", (1, 0.5)),
        ("builtin_filter", ("DETAIL",), "builtin_filter", ("DETAIL",)),
        ("sharpen", (), "builtin_filter", ("SHARPEN",)),
        ("edge_detect", (), "builtin_filter", ("FIND_EDGES",)),
        ("emboss", (), "builtin_filter", ("EMBOSS",)),
        ("smooth", (), "builtin_filter", ("SMOOTH_MORE",)),
        ("rank_filter", (5, 3), "rank_filter", (5, 3)),
        ("median", (), "rank_filter", (3, 4)),
        ("median", (5,), "rank_filter", (5, 12)),
    ]:
        same(lambda image, m=method, a=args: getattr(image, m)(*a), export, *export_args)
        same(lambda image, m=method, a=args: getattr(image, m)(*a, rect=RECT), export, *export_args, R(RECT))
    same(lambda image: image.convolve(KERNEL, 3, 10), "convolve", weights(), 3, 10)
    same(lambda image: image.convolve(KERNEL, 3, 10, rect=RECT), "convolve", weights(), 3, 10, R(RECT))
    same(lambda image: image.threshold(), "threshold", 128)
    same(lambda image: image.putalpha(9), "put_alpha", 9)
    # Pillow's Image.Transpose numbers: clockwise 90 is ROTATE_270.
    same(lambda image: image.flip_horizontal(), "transpose", 0, resized=True)
    same(lambda image: image.flip_vertical(), "transpose", 1, resized=True)
    same(lambda image: image.rotate(90), "transpose", 4, resized=True)
    same(lambda image: image.rotate(180), "transpose", 3, resized=True)
    same(lambda image: image.rotate(270), "transpose", 2, resized=True)
    same(lambda image: image.resize(12, 5, resample="nearest"), "resize", 12, 5, 0, resized=True)
    same(lambda image: image.resize(5, 12), "resize", 5, 12, 2, resized=True)
    same(lambda image: image.crop_in_place(*RECT), "crop", R(RECT), resized=True)
    same(lambda image: image.crop(*RECT), "crop", R(RECT), changes=False)
    same(lambda image: image.copy(), "copy", changes=False)
    same(lambda image: image.fill(RGBA), "fill", *RGBA)
    same(lambda image: image.fill("#0cc822b4", rect=RECT), "fill", *RGBA, R(RECT))
    same(lambda image: image.__setitem__((3, 5), RGBA), "set_pixel", 3, 5, *RGBA)
    same(lambda image: image[3, 5], "get_pixel", 3, 5, changes=False)
    BOX = to_js([2, 1, 7, 5])  # RECT as corners
    same(lambda image: image.draw_line((0, 3), (8, 1), RGBA), "draw_lines", to_js([0, 3, 8, 1]), to_js(RGBA), 1)
    same(lambda image: image.draw_line((0, 3), (8, 1), RGBA, 3), "draw_lines", to_js([0, 3, 8, 1]), to_js(RGBA), 3)
    same(lambda image: image.draw_rect(*RECT, RGBA), "draw_rectangle", BOX, to_js(RGBA), None, 1)
    same(lambda image: image.draw_rect(*RECT, RGBA, fill=False), "draw_rectangle", BOX, None, to_js(RGBA), 1)
    same(
        lambda image: image.draw_polygon([(0, 0), (8, 2), (3, 5)], RGBA, "#ffffff", 2),
        "draw_polygon",
        to_js([0, 0, 8, 2, 3, 5]),
        to_js(RGBA),
        to_js([255, 255, 255, 255]),
        2,
    )
    CIRCLE_BOX = to_js([1, -1, 7, 5])
    same(lambda image: image.draw_circle((4, 2), 3, RGBA), "draw_ellipse", CIRCLE_BOX, to_js(RGBA), None, 1)
    same(lambda image: image.draw_circle((4, 2), 3, RGBA, fill=False), "draw_ellipse", CIRCLE_BOX, None, to_js(RGBA), 1)
    same(lambda image: image.flood_fill(2, 3, RGBA), "flood_fill", 2, 3, to_js(RGBA), None, 0)
    same(
        lambda image: image.flood_fill(2, 3, RGBA, border=(0, 0, 0), thresh=9),
        "flood_fill",
        2,
        3,
        to_js(RGBA),
        to_js([0, 0, 0, 255]),
        9,
    )
    same(lambda image: image.histogram(), "histogram", changes=False)
    same(lambda image: image.histogram(rect=RECT), "histogram", R(RECT), changes=False)
    same(lambda image: image.mean_colour(), "mean_colour", changes=False)
    same(lambda image: image.mean_colour(rect=RECT), "mean_colour", R(RECT), changes=False)

    top_bytes = bytes(range(100, 100 + 2 * 3 * 4))
    with Image.from_bytes(2, 3, top_bytes) as top:
        raw_top = rust_image.RgbaImage.from_bytes("RGBA", 2, 3, to_js(top_bytes))
        same(lambda image: image.paste(top, 6, 1), "paste", raw_top, 6, 1)
        same(lambda image: image.blend(top, 8, -1), "alpha_composite", raw_top, 8, -1)
        raw_top.free()
    with Image.from_bytes(W, H, PICTURE[::-1]) as whole:
        raw_whole = rust_image.RgbaImage.from_bytes("RGBA", W, H, to_js(PICTURE[::-1]))
        same(lambda image: image.blend(whole), "alpha_composite", raw_whole, 0, 0)
        raw_whole.free()
    assert len(checked) == 80, len(checked)

    with Image.from_bytes(W, H, PICTURE) as image:
        with pytest.raises(ValueError, match="degrees must be 90, 180 or 270, got 45"):
            image.rotate(45)
        with pytest.raises(ValueError, match="resample must be 'bilinear' or 'nearest', got 'cubic'"):
            image.resize(2, 2, resample="cubic")
        with pytest.raises(TypeError, match="can only paste an Image, not bytes"):
            image.paste(b"x")
        assert image.tobytes() == PICTURE


@run_in_pyodide(packages=["wasmcanvas"])
def test_rust_errors_become_precise_python_exceptions(selenium_rust):
    import pytest
    from wasmcanvas import Image

    image = Image(4, 3)
    with pytest.raises(ValueError, match="factor must be a finite number >= 0, got -1"):
        image.brightness(-1)
    with pytest.raises(ValueError, match="radius must be a number from 0 to 10000, got NaN"):
        image.blur(float("nan"))
    with pytest.raises(IndexError, match=r"rect at \(4, 0\) of size 2x1 holds no pixel of the 4x3 image"):
        image.mean_colour(rect=(4, 0, 2, 1))
    with pytest.raises(ValueError, match="rect width must be a number from 0 to 16777216, got -2"):
        image.invert(rect=(3, 0, -2, 1))
    with pytest.raises(ValueError, match="kernel must have 9 \\(3x3\\) or 25 \\(5x5\\) weights, got 2"):
        image.convolve([1, 2])
    with pytest.raises(TypeError, match="factor must be a number, not str"):
        image.contrast("high")
    with pytest.raises(TypeError, match=r"rect must be \(x, y, width, height\)"):
        image.invert(rect=(1, 2))
    with pytest.raises(ValueError, match="second must be a channel index"):
        image.swap_channels(0, 7)
    image.invert()
    assert image[0, 0] == (255, 255, 255, 0)
    image.close()


@run_in_pyodide(packages=["wasmcanvas"])
def test_closed_images_say_so(selenium_rust):
    import pytest
    from wasmcanvas import ClosedImageError, Image

    image = Image(2, 2)
    assert not image.closed
    image.close()
    image.close()
    assert image.closed and repr(image) == "<wasmcanvas.Image (closed)>"
    for use in (
        lambda: image.invert(),
        lambda: image.width,
        lambda: image[0, 0],
        lambda: image.pixels,
        lambda: image.copy(),
    ):
        with pytest.raises(ClosedImageError, match="this Image is closed: its pixels were freed"):
            use()
    with Image(1, 1) as scoped:
        pass
    assert scoped.closed
    with pytest.raises(ValueError):
        scoped.blur(1)
    with Image(1, 1) as target:
        with pytest.raises(ClosedImageError):
            target.paste(image)


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
