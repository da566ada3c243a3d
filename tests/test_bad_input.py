"""The bad-input matrix: every public Python function and every rust_image
export, fed wrong types, negative, fractional, huge and NaN numbers, points and
rectangles outside, buffers of the wrong length, closed images.

Every case states its outcome and the test checks it: either an exception of
one exact type whose message names the argument, or, where a value is
documented as accepted (a huge brightness factor, a negative drawing
coordinate), the pixels that result. After every case the module must not
have trapped and must still answer.

Counting: a case is one distinct value reaching one check. JS turns "x",
undefined and {} into the same NaN before Rust sees an f64, so the Rust half
sends NaN once; every operation's optional `rect` goes through one check,
so each bad rectangle counts once however many exports are given it. The
total goes to pytest's closing summary (conftest.py)."""

from conftest import record_bad_input_cases
from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas"])
def python_api_matrix(selenium, in_node):
    import js
    import wasmcanvas
    from wasmcanvas import (
        Canvas,
        ClosedImageError,
        Image,
        ImageDraw,
        ImageEnhance,
        ImageFilter,
        NoDocumentError,
        WasmMemory,
        animate,
        parse_colour,
    )
    from wasmcanvas import module as rust_module
    from wasmcanvas.dom import page_document

    # A worker has no document: the canvas cases run on an OffscreenCanvas,
    # and the page-only ones become a case each that is refused clearly.
    # Node has no canvas of any kind: Canvas refuses to be made.
    on_a_page = page_document() is not None
    has_canvas = not in_node

    tried = 0
    failures = []
    image = Image.new("RGB", (4, 3), (10, 20, 30))
    image.putpixel((1, 1), (200, 100, 50))
    other = Image.new("RGB", (2, 2))
    closed = Image.new("RGB", (1, 1))
    closed.close()
    memory = WasmMemory()
    canvas = Canvas.create(8, 8) if on_a_page else Canvas.offscreen(8, 8) if has_canvas else None
    untouched = image.tobytes()

    def expect(call, exception, fragment):
        """`call()` must raise exactly `exception` with `fragment` in its message."""
        nonlocal tried
        tried += 1
        try:
            call()
        except BaseException as error:
            if type(error) is not exception:
                failures.append(f"expected {exception.__name__} ({fragment!r}), got {type(error).__name__}: {error}")
            elif fragment not in str(error):
                failures.append(f"{exception.__name__}: {str(error)!r} lacks {fragment!r}")
        else:
            failures.append(f"expected {exception.__name__} ({fragment!r}), nothing raised")
        if rust_module.broken_reason():
            failures.append(f"the module trapped on the case {fragment!r}")
        # The module still answers, and the refused call changed nothing.
        with Image.new("RGB", (1, 1), (1, 2, 3)) as probe:
            if probe.getpixel((0, 0)) != (1, 2, 3) or image.tobytes() != untouched:
                failures.append(f"the module or the image changed after {fragment!r}")

    def accept(call, check, label):
        """`call()` must succeed, the value documented as accepted, and
        `check(result)` hold (it returns a failure text or None)."""
        nonlocal tried
        tried += 1
        try:
            problem = check(call())
        except BaseException as error:
            problem = f"raised {type(error).__name__}: {error}"
        if problem:
            failures.append(f"{label}: {problem}")
        if rust_module.broken_reason():
            failures.append(f"the module trapped on the case {label!r}")

    def clipped(box):
        """The part of `box` inside the 4x3 image, or None."""
        left, upper, right, lower = box
        inside = max(left, 0), max(upper, 0), min(right, 4), min(lower, 3)
        return inside if inside[0] < inside[2] and inside[1] < inside[3] else None

    wrong_types = ["3", None, [1], 2.5, True, object()]
    bad_numbers = [float("nan"), float("inf"), float("-inf")]

    # Modes and sizes.
    for mode, exception, fragment in [
        ("I;32", ValueError, "unrecognized image mode 'I;32'"),
        ("rgb", ValueError, "unrecognized image mode 'rgb'"),
        (None, TypeError, "mode must be a str, not NoneType"),
    ]:
        expect(lambda: Image.new(mode, (2, 2)), exception, fragment)
        expect(lambda: Image.frombytes(mode, (1, 1), bytes(4)), exception, fragment)
        if mode is not None:  # convert(None) copies, as Pillow's does
            # Pillow's core names no mode it does not know.
            expect(lambda: image.convert(mode), exception, "image has wrong mode")
    for bad in wrong_types:
        kind = type(bad).__name__
        expect(lambda: Image.new("RGB", (bad, 2)), TypeError, f"width must be an int, not {kind}")
        expect(lambda: Image.new("RGB", (2, bad)), TypeError, f"height must be an int, not {kind}")
        expect(lambda: image.resize((bad, 2)), TypeError, f"width must be an int, not {kind}")
        if kind != "float":  # Pillow rounds a fractional crop box
            expect(lambda: image.crop((0, 0, 1, bad)), TypeError, f"box must be a number, not {kind}")
    for size in [3, (1, 2, 3), "2x2", None]:
        # Pillow's messages for Image.new's size.
        wrong = "Size must be a sequence of length 2" if isinstance(size, tuple) else "Size must be a list or tuple"
        expect(lambda: Image.new("RGB", size), ValueError, wrong)
        expect(lambda: image.resize(size), TypeError, f"size must be a (width, height) tuple, got {size!r}")
    for width, height in [(0, 1), (1, 0), (0, 0), (0, 16384)]:
        # Images of no pixels, as Pillow's: they never reach rust_image;
        # Pillow's resize makes none.
        made = lambda: Image.new("L", (width, height))  # noqa: E731
        accept(made, lambda made: None if made.size == (width, height) else f"size {made.size}", "empty image")
        expect(lambda: image.resize((width, height)), ValueError, "height and width must be > 0")
    expect(lambda: Image.new("L", (0, 16385)), ValueError, "height must be at most 16384, got 16385")
    for width, height, fragment in [
        (16385, 1, "width must be at most 16384, got 16385"),
        (1, 16385, "height must be at most 16384, got 16385"),
        (8193, 8192, "8193x8192 is 67117056 pixels; the maximum image size is 67108864 pixels"),
        (2**40, 1, "width must be a whole number from 0 to 4294967295, got 1099511627776"),
        (2**53, 1, "width must be within ±2**53, got 9007199254740992"),
        (1, -(2**60), "height must be within ±2**53, got -1152921504606846976"),
    ]:
        expect(lambda: Image.new("L", (width, height)), ValueError, fragment)
        expect(lambda: image.resize((width, height)), ValueError, fragment)
    expect(lambda: Image.new("L", (-1, 1)), ValueError, "Width and height must be >= 0")
    expect(lambda: image.resize((-1, 1)), ValueError, "width must be a whole number from 0 to 4294967295, got -1")

    # Numbers.
    for enhancer in (ImageEnhance.Brightness, ImageEnhance.Contrast, ImageEnhance.Color, ImageEnhance.Sharpness):
        for bad in ["1", None, {1}, True]:
            expect(
                lambda: enhancer(image).enhance(bad), TypeError, f"factor must be a number, not {type(bad).__name__}"
            )
        for bad in bad_numbers:
            expect(lambda: enhancer(image).enhance(bad), ValueError, "factor must be a finite number, got")
    for blur in (ImageFilter.GaussianBlur, ImageFilter.BoxBlur):
        for bad in ["1", None, {1}, True]:
            expect(lambda: image.filter(blur(bad)), TypeError, f"radius must be a number, not {type(bad).__name__}")
        for bad in [*bad_numbers, 1e300]:
            # Pillow's BoxBlur refuses a radius from 2**31 up so.
            huge = blur is ImageFilter.BoxBlur and bad >= 2**31
            expect(lambda: image.filter(blur(bad)), ValueError, "radius too large" if huge else "radius must be")
        expect(lambda: image.filter(blur((2, "1"))), TypeError, "radius must be a number, not str")
        for bad in [[1], (1, 2, 3)]:
            expect(
                lambda: image.filter(blur(bad)),
                ValueError,
                f"radius must be one number or an (x, y) pair, got {len(bad)} numbers",
            )
    # Pillow's BoxBlur message; Pillow's GaussianBlur blurs by a negative
    # radius as by some other one, which wasmcanvas refuses instead.
    expect(lambda: ImageFilter.BoxBlur((2, -1)), ValueError, "radius must be >= 0")
    expect(lambda: image.filter(ImageFilter.GaussianBlur((2, -1))), ValueError, "y_radius must be a number from 0")
    # Pillow's messages for what Pillow refuses, rust_image's for the rest.
    for size, rank, problem in [
        (4, 0, "bad filter size"),
        (257, 0, "size must be an odd whole number from 1 to 255, got 257"),
        (-3, 0, "bad kernel size"),
        (3, 9, "bad rank value"),
        (5, -1, "bad rank value"),
    ]:
        expect(lambda: image.filter(ImageFilter.RankFilter(size, rank)), ValueError, problem)
    expect(lambda: ImageFilter.MedianFilter(2), ValueError, "bad filter size")
    expect(lambda: image.filter(ImageFilter.RankFilter(3.0, 1)), TypeError, "size must be an int, not float")
    expect(
        lambda: image.filter("BLUR"),
        TypeError,
        "filter argument should be ImageFilter.Filter instance or class, not str",
    )
    for bad in [-1, 256, 2**40]:
        expect(lambda: image.inplace.threshold(bad), ValueError, f"level must be a number from 0 to 255, got {bad}")
    expect(lambda: image.inplace.threshold(1.5), TypeError, "level must be an int, not float")
    # Pillow clips a number out of 0..255 (tests/test_mode_ops.py).
    expect(lambda: image.copy().putalpha("255"), TypeError, "alpha must be an int or an Image, not str")
    for bad in [-1, 3, 99]:
        expect(lambda: image.getchannel(bad), ValueError, f"channel must be 0 to 2 for mode RGB, got {bad}")
    expect(lambda: image.getchannel("A"), ValueError, 'The image has no channel "A"')
    expect(lambda: image.getchannel(1.0), TypeError, "channel must be an int or a band name, not float")
    expect(lambda: image.inplace.gamma(0), ValueError, "gamma must be a finite number > 0, got 0")
    for angle in ["90", None]:
        expect(lambda: image.rotate(angle), TypeError, f"angle must be a number, not {type(angle).__name__}")
    for angle in bad_numbers:
        expect(lambda: image.rotate(angle), ValueError, "angle must be a finite number")
    for method in [7, -1]:
        expect(
            lambda: image.transpose(method),
            ValueError,
            "method must be one of 0 (FLIP_LEFT_RIGHT), 1 (FLIP_TOP_BOTTOM), 2 (ROTATE_90)",
        )
    expect(lambda: image.transpose("ROTATE_90"), TypeError, "method must be an Image.Transpose member, not str")
    # Pillow's errors: a ValueError naming the filters to use, a TypeError
    # for a float.
    for resample in ["bilinear", None]:
        expect(
            lambda: image.resize((2, 2), resample=resample) if resample is not None else image.rotate(9, None),
            ValueError,
            f"Unknown resampling filter ({resample}). Use Image.Resampling.NEAREST (0), ",
        )
    expect(lambda: image.resize((2, 2), resample=2.0), TypeError, "'float' object cannot be interpreted as an integer")
    for resample in [8, -1]:
        expect(
            lambda: image.resize((2, 2), resample),
            ValueError,
            f"Unknown resampling filter ({resample}). Use Image.Resampling.NEAREST (0), Image.Resampling.LANCZOS (1),",
        )

    # Points and boxes.
    for xy in [(4, 0), (0, 3), (10**9, 0), (-5, 0), (0, -4)]:
        expect(lambda: image.getpixel(xy), IndexError, "image index out of range")
        expect(lambda: image.putpixel(xy, (0, 0, 0)), IndexError, "image index out of range")
    for xy in [0, "a", (0,), (0, 0, 0)]:
        expect(lambda: image.getpixel(xy), TypeError, f"xy must be an (x, y) pair, got {xy!r}")
    expect(lambda: image.getpixel((slice(0, 2), 1)), TypeError, "x must be an int, not slice")
    # A flood fill from outside changes nothing, as Pillow's.
    for xy in [(4, 0), (0, 3), (-5, 0), (0, -4)]:
        accept(
            lambda: ImageDraw.floodfill(image, xy, (0, 0, 0)),
            lambda _: None if image.tobytes() == untouched else "changed the image",
            f"floodfill({xy}) outside",
        )
    # In-place boxes are clipped to the image as Pillow's paste clips: the
    # same as working on the part inside (nothing, if none is).
    for box in [(0, 0, 5, 1), (3, 0, 5, 1), (-2, 2, 1, 4), (0, 0, 0, 1), (7, 1, 9, 3)]:
        inside = clipped(box)
        for name in ("grayscale", "invert", "sepia", "equalize"):

            def outcome(name=name, box=box, inside=inside):
                with image.copy() as done, image.copy() as expected:
                    getattr(done.inplace, name)(box=box)
                    if inside is not None:
                        getattr(expected.inplace, name)(box=inside)
                    return None if done.tobytes() == expected.tobytes() else "differs from the clipped box"

            accept(outcome, lambda problem: problem, f"inplace.{name}(box={box})")
        for chosen in (ImageFilter.MedianFilter(), ImageFilter.SHARPEN):

            def filtered(chosen=chosen, box=box, inside=inside):
                with image.copy() as done, image.copy() as expected:
                    done.inplace.filter(chosen, box)
                    if inside is not None:
                        expected.inplace.filter(chosen, inside)
                    return None if done.tobytes() == expected.tobytes() else "differs from the clipped box"

            accept(filtered, lambda problem: problem, f"inplace.filter({chosen!r}, {box})")

        def painted(box=box, inside=inside):
            with image.copy() as done:
                done.paste((0, 0, 0), box)
                changed = [(x, y) for y in range(3) for x in range(4) if done.getpixel((x, y)) == (0, 0, 0)]
                xs = range(inside[0], inside[2]) if inside else range(0)
                ys = range(inside[1], inside[3]) if inside else range(0)
                return None if changed == [(x, y) for y in ys for x in xs] else f"painted {changed}"

        accept(painted, lambda problem: problem, f"paste((0, 0, 0), {box})")
        left, upper, right, lower = box
        if right == left:
            accept(
                lambda: image.crop(box),
                lambda part: None if part.size == (0, lower - upper) else f"size {part.size}",
                f"crop({box})",
            )
            continue

        def cropped(box=box):
            # Pillow's crop: the box's size, 0 where it is outside the image.
            with image.crop(box) as part:
                expected = [
                    image.getpixel((x, y)) if 0 <= x < 4 and 0 <= y < 3 else (0, 0, 0)
                    for y in range(upper, lower)
                    for x in range(left, right)
                ]
                got = part.getdata()
                return None if part.size == (right - left, lower - upper) and got == expected else f"cropped {got}"

        accept(cropped, lambda problem: problem, f"crop{box}")
    expect(
        lambda: image.inplace.invert(box=(2**32 - 1, 0, 2**32 + 1, 1)),
        ValueError,
        "rect x must be a finite number within ±16777216, got 4294967295",
    )
    expect(lambda: image.inplace.invert(box=(2, 0, 1, 1)), ValueError, "Coordinate 'right' is less than 'left'")
    expect(lambda: image.inplace.invert(box=(0, 2, 1, 1)), ValueError, "Coordinate 'lower' is less than 'upper'")
    expect(lambda: image.crop((2, 0, 1, 1)), ValueError, "Coordinate 'right' is less than 'left'")
    for box in [(1, 2), "0,0,1,1", 5]:
        expect(lambda: image.inplace.invert(box=box), TypeError, "box must be (left, upper, right, lower)")
    expect(lambda: image.inplace.invert(box=(0, 0, 1, "1")), TypeError, "box lower must be an int, not str")

    # Colours.
    for colour, exception, fragment in [
        ((1, 2), ValueError, "a colour for mode RGB needs 3 or 4 components, got 2"),
        ((1, 2, 3, 4, 5), ValueError, "a colour for mode RGB needs 3 or 4 components, got 5"),
        ((1, 2, 300), ValueError, "colour component b must be in 0..255, got 300"),
        ((-1, 2, 3), ValueError, "colour component r must be in 0..255, got -1"),
        ((1.5, 2, 3), TypeError, "colour component r must be an int, not float"),
        ("redd", ValueError, "unknown color specifier: 'redd'"),
        ("#12345", ValueError, "unknown color specifier: '#12345'"),
        ("rgb(1, 2, 300)", ValueError, "colour component b must be in 0..255, got 300"),
        (None, TypeError, "a colour for mode RGB must be an int, a tuple or a colour string, not NoneType"),
        (2.5, TypeError, "a colour for mode RGB must be an int, a tuple or a colour string, not float"),
    ]:
        expect(lambda: image.paste(colour, (0, 0, 1, 1)), exception, fragment)
        expect(lambda: image.inplace.fill(colour), exception, fragment)
        if colour is not None:  # Draw's default ink
            expect(lambda: ImageDraw.Draw(image).line((0, 0, 1, 1), fill=colour), exception, fragment)
        if colour is not None:
            expect(lambda: Image.new("RGB", (1, 1), colour), exception, fragment)
    for colour, exception, fragment in [
        ((1, 2), ValueError, "a colour needs 3 or 4 components, got 2"),
        ((1, 2, 300), ValueError, "colour component b must be in 0..255, got 300"),
        ((1.5, 2, 3), TypeError, "colour component r must be an int, not float"),
        ("redd", ValueError, "unknown color specifier: 'redd'"),
        (5, TypeError, "a colour must be (r, g, b), (r, g, b, a) or a colour string, not int"),
    ]:
        expect(lambda: parse_colour(colour), exception, fragment)
    expect(lambda: Image.new("L", (1, 1), (1, 2, 3)), ValueError, "a colour for mode L needs 1 components, got 3")
    expect(lambda: Image.new("L", (1, 1), (300,)), ValueError, "colour component L must be in 0..255, got 300")
    # An int is Pillow's ink: clipped for "L", packed bytes for the others.
    for mode, ink, expected in [
        ("L", 300, 255),
        ("L", -5, 0),
        ("RGB", -1, (255, 255, 255)),
        ("LA", 0x11223344, (68, 17)),
    ]:
        accept(
            lambda: Image.new(mode, (1, 1), ink),
            lambda made, expected=expected: (
                None if made.getpixel((0, 0)) == expected else f"made {made.getpixel((0, 0))}"
            ),
            f"Image.new({mode!r}, (1, 1), {ink})",
        )

    # Buffers.
    for data in [b"", bytes(35)]:
        expect(lambda: Image.frombytes("RGB", (4, 3), data), ValueError, "not enough image data")
    for data in ["text", 12, None]:
        kind = type(data).__name__
        expect(lambda: Image.frombytes("RGB", (1, 1), data), TypeError, f"data must be a bytes-like object, not {kind}")
    expect(lambda: Image.frombytes("RGB", (1, 1), bytes(3), "jpeg"), NotImplementedError, "only the raw decoder")
    expect(lambda: ImageFilter.Kernel((3, 3), [1] * 8), ValueError, "not enough coefficients in kernel")
    expect(lambda: ImageFilter.Kernel((4, 4), [1] * 16), ValueError, "")
    expect(lambda: ImageFilter.Kernel((3, 3), ["a"] * 9), TypeError, "kernel weight must be a number, not str")
    expect(
        lambda: image.filter(ImageFilter.Kernel((3, 3), [1] * 9, scale=float("nan"))),
        ValueError,
        "scale must be a finite number, got NaN",
    )
    expect(lambda: ImageFilter.Kernel((3, 3), [1] * 9, offset="x"), TypeError, "offset must be a number, not str")
    for table in [list(range(255)), list(range(256)) * 4]:
        expect(lambda: image.point(table), ValueError, "wrong number of lut entries")
    expect(lambda: image.point(["a"] * 768), TypeError, "lut values must be numbers, not str")

    # Memory.
    end = memory.byte_length
    for ptr, nbytes, exception, fragment in [
        (-1, 4, ValueError, "ptr must be at least 0, got -1"),
        (0, -4, ValueError, "nbytes must be at least 0, got -4"),
        (end, 1, IndexError, f"bytes {end}..{end + 1} are beyond the end of wasm memory ({end} bytes)"),
        (end - 1, 2, IndexError, f"bytes {end - 1}..{end + 1} are beyond the end of wasm memory"),
        (2**40, 1, IndexError, f"bytes {2**40}..{2**40 + 1} are beyond the end of wasm memory"),
        ("0", 1, TypeError, "ptr must be an int, not str"),
        (0, 1.0, TypeError, "nbytes must be an int, not float"),
    ]:
        expect(lambda: memory.snapshot(ptr, nbytes), exception, fragment)
        expect(lambda: memory.read(ptr, nbytes), exception, fragment)
        expect(lambda: memory.view(ptr, nbytes), exception, fragment)
        expect(lambda: memory.js_view(ptr, nbytes), exception, fragment)
    expect(lambda: memory.write(end - 1, b"ab"), IndexError, "beyond the end of wasm memory")
    expect(lambda: memory.write(0, "ab"), TypeError, "data must be a bytes-like object, not str")
    expect(lambda: memory.write(0, js.Float32Array.new(2)), TypeError, "a JS source must be a Uint8Array")
    expect(lambda: memory.snapshot(0, 8, shape=(3, 3)), ValueError, "shape (3, 3) holds 9 bytes, not 8")
    expect(lambda: memory.snapshot(0, 8, out=bytearray(4)), ValueError, "out holds 4 bytes, not 8")
    view = image.view()
    for index in [48, -49, 10**9]:
        expect(lambda: view[index], IndexError, "index out of range for a view of 48 bytes")
    for value, exception, fragment in [
        (256, ValueError, "a byte must be in 0..255, got 256"),
        (-1, ValueError, "a byte must be in 0..255, got -1"),
        ("a", TypeError, "a byte must be an int, not str"),
        (1.5, TypeError, "a byte must be an int, not float"),
    ]:
        expect(lambda: view.__setitem__(0, value), exception, fragment)
    expect(lambda: view.__setitem__(slice(0, 4), b"abc"), ValueError, "cannot assign 3 bytes to a slice of 4")
    expect(lambda: view.__setitem__(slice(0, 4), 7), TypeError, "assign a bytes-like object to a slice")

    # Closed images.
    for use in [
        lambda: closed.inplace.invert(),
        lambda: closed.filter(ImageFilter.GaussianBlur(1)),
        lambda: closed.width,
        lambda: closed.getpixel((0, 0)),
        lambda: closed.pixels,
        lambda: closed.tobytes(),
        lambda: closed.view(),
        lambda: closed.copy(),
        lambda: closed.convert("L"),
        lambda: image.paste(closed),
        lambda: Image.blend(image, closed, 0.5),
        lambda: closed.resize((2, 2)),
        lambda: closed.histogram(),
        lambda: ImageDraw.Draw(closed).point((0, 0)),
        *([lambda: canvas.blit(closed), lambda: canvas.draw_pixels(closed)] if has_canvas else []),
    ]:
        expect(use, ClosedImageError, "this Image is closed: its pixels were freed")
    for bad in [b"img", other.raw, object()]:
        kind = type(bad).__name__
        expect(lambda: image.paste(image, mask=bad), TypeError, f"mask must be an Image, not {kind}")
        expect(lambda: Image.blend(image, bad, 0.5), TypeError, f"expected a wasmcanvas Image, not {kind}")
        if has_canvas:
            expect(lambda: canvas.blit(bad), TypeError, f"can only blit an Image, not {kind}")
    expect(lambda: Image.blend(image, other, 0.5), ValueError, "images do not match")
    expect(lambda: image.paste(other, (0, 0), other), ValueError, "bad transparency mask")

    # Pasting or compositing an image onto itself works on a copy of it,
    # as in Pillow; what reaches past the edge is left out.
    def pasted_onto_itself():
        with image.copy() as done:
            done.paste(done, (1, 1))
            expected = [
                image.getpixel((max(x - 1, 0), max(y - 1, 0))) if x and y else image.getpixel((x, y))
                for y in range(3)
                for x in range(4)
            ]
            return None if done.getdata() == expected else "wrong pixels"

    accept(pasted_onto_itself, lambda problem: problem, "paste onto itself")

    def composited_onto_itself():
        with image.convert("RGBA") as done:
            done.alpha_composite(done)
            return None if done.convert("RGB").tobytes() == untouched else "an opaque image over itself changed"

    accept(composited_onto_itself, lambda problem: problem, "alpha_composite onto itself")

    # Canvas and animation.
    if in_node:
        neither = "needs a web page's <canvas> or an OffscreenCanvas, and there is neither here (Node)"
        expect(lambda: Canvas.create(8, 8), NoDocumentError, "Canvas.create needs a web page's document")
        expect(lambda: Canvas.attach("art"), NoDocumentError, f"Canvas.attach {neither}")
        expect(lambda: Canvas.offscreen(8, 8), NoDocumentError, f"Canvas.offscreen {neither}")
        for target in [None, 42]:
            expect(lambda: Canvas.attach(target), NoDocumentError, f"Canvas.attach {neither}")
    elif not on_a_page:
        expect(lambda: Canvas.create(8, 8), NoDocumentError, "Canvas.create needs a web page's document")
        expect(lambda: Canvas.attach("art"), NoDocumentError, "Canvas.attach('art') looks for a <canvas> on a web page")
    sizes = [
        (0, ValueError, "width must be at least 1, got 0"),
        (-3, ValueError, "width must be at least 1, got -3"),
        ("8", TypeError, "width must be an int, not str"),
    ]
    for bad, exception, fragment in sizes if has_canvas else []:
        expect(lambda: canvas.resize(bad, 8), exception, fragment)
        expect(lambda: Canvas.offscreen(bad, 8), exception, fragment)
        if on_a_page:
            expect(lambda: Canvas.create(bad, 8), exception, fragment)
    scales = [
        (0, ValueError, "scale must be at least 1, got 0"),
        (-1, ValueError, "scale must be at least 1, got -1"),
        (1.5, TypeError, "scale must be an int, not float"),
    ]
    for bad, exception, fragment in scales if has_canvas else []:
        expect(lambda: setattr(canvas, "scale", bad), exception, fragment)
    if has_canvas:
        expect(lambda: canvas.draw_pixels(image, size=0), ValueError, "size must be at least 1, got 0")
        for target in [None, 42]:
            expect(lambda: Canvas.attach(target), TypeError, "expected an element, an id or a CSS selector")
        for target in [js.Object.new(), 7]:
            expect(lambda: Canvas(target), TypeError, "Canvas needs a <canvas> element or an OffscreenCanvas")
    if on_a_page:
        for target in ["#nowhere", "nothing-with-this-id"]:
            expect(lambda: Canvas.attach(target), LookupError, f"no element matches {target!r}")
        expect(lambda: Canvas.attach("body"), TypeError, "Canvas needs a <canvas> element")
        expect(lambda: canvas.on("scroll", print), ValueError, "unsupported event type 'scroll'")
        expect(lambda: canvas.on("click", "print"), TypeError, "callback must be callable")
    elif has_canvas:
        expect(lambda: canvas.on("click", print), TypeError, "Canvas.on needs the <canvas> element on the page")
    for fps in [0, -5, 1001, float("nan")]:
        expect(lambda: animate(print, fps=fps), ValueError, f"fps must be a number in (0, 1000], got {fps!r}")
    for fps in ["30", True, [30]]:
        expect(lambda: animate(print, fps=fps), TypeError, f"fps must be a number, not {type(fps).__name__}")
    expect(lambda: animate("step"), TypeError, "step must be callable")

    if on_a_page:
        canvas.element.remove()
    image.close()
    other.close()
    assert wasmcanvas.live_proxy_count() == 0
    assert failures == [], "\n".join(failures[:40])
    return tried


@run_in_pyodide
def rust_exports_matrix(selenium):
    """Every numeric parameter of every RgbaImage, Life and Plasma export in
    turn given each distinct bad value, the others valid; plus the non-number
    parameters given the wrong kind of JS value. Parameter names come from
    the wasm-bindgen glue itself, so a new export is covered (and must be
    given a rule here) as soon as it exists."""
    import math
    import re
    import struct

    import js
    import rust_image
    from pyodide.ffi import JsException, to_js

    RgbaImage = rust_image.RgbaImage
    WIDTH, HEIGHT = 4, 3
    PATTERN = bytes(v * 37 % 256 for v in range(WIDTH * HEIGHT * 4))
    failures = []
    counted = set()

    def pixels(raw):
        return js.Uint8Array.new(rust_image.memory.buffer, raw.ptr(), raw.len()).to_bytes()

    def make(name, width=WIDTH, height=HEIGHT):
        if name == "Life":
            return rust_image.Life.new(width, height)
        if name == "Plasma":
            return rust_image.Plasma.new()
        return RgbaImage.from_bytes(
            "RGBA", width, height, to_js(PATTERN if (width, height) == (WIDTH, HEIGHT) else bytes(width * height * 4))
        )

    def parameters(function):
        match = re.match(r"[^(]*\(([^)]*)\)", str(function.toString()))
        return [p.strip() for p in match.group(1).split(",") if p.strip()] if match else []

    def valid(name, method=""):
        if name == "extent":
            return to_js([-2, -1.5, 1, 1.5])
        if name == "quality":
            return 2
        if name == "xy":
            return to_js([0, 0, 2, 1])
        if name == "path":
            return to_js([0, 0, 0, 0, 0, 0, 0, 1, 3, 0, 0, 0, 0, 0, 1, 3, 2, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0])
        if name in ("fill", "outline"):
            return to_js([1, 2, 3, 4])
        if name in ("border", "corners"):
            return None
        if name in ("start", "end"):
            return {"start": 0, "end": 180}[name]
        if name == "thresh":
            return 0
        if name == "weights":
            return js.Float32Array.new(to_js([0, 0, 0, 0, 1, 0, 0, 0, 0]))
        if name == "bytes":
            return to_js(PATTERN)
        if name == "pattern":
            return "O"
        if name == "name":
            return "SHARPEN"
        if name == "op":
            return "abs" if method == "math_unary" else "add"
        if name == "size":
            return 3
        if name == "rank":
            return 0
        if name == "mode":
            return "RGBA"
        if name == "table" and method == "colour_lut":
            return js.Float32Array.new(3 * 2 * 2 * 2)
        if name in ("size1", "size2", "size3"):
            return 2
        if name == "channels":
            return 3
        if name == "table":
            return js.Uint8Array.new(to_js(list(range(256)) * 4))
        if name in ("black", "white"):
            return to_js([0, 0, 0])
        if name in ("ignore", "mid"):
            return None
        if name in ("preserve_tone", "alpha_only", "blend"):
            return False
        if name == "rect":
            return to_js([0, 0, WIDTH, HEIGHT]) if method == "crop" else None
        if name in ("box", "center", "translate", "fillcolor"):
            return None
        if name == "expand":
            return False
        if method in ("rotate", "transform", "transform_wide") and name in ("resample", "method"):
            return 0
        if name == "data":
            return to_js([1, 0, 0.5, 0.2, 1, 0])
        if name in ("filled", "alive"):
            return True
        if name in ("source", "image", "other", "mask"):
            return RgbaImage.filled(WIDTH, HEIGHT, 9, 9, 9, 255)
        return 1

    NAN, HUGE, BEYOND_U32 = float("nan"), 1e20, float(2**52)
    VALUES = [NAN, -1.0, -0.5, HUGE, BEYOND_U32]

    def f32(value):
        """`value` rounded to a C float, as Rust's f32 arithmetic rounds it."""
        return struct.unpack("f", struct.pack("f", value))[0]

    def shown(value):
        """How Rust prints the value in its messages."""
        if math.isnan(value):
            return "NaN"
        if value == HUGE:
            return "1e20"
        return str(int(value)) if value == int(value) else str(value)

    PLACED = {"paste", "alpha_composite", "composite"}
    POSITIONS = {"x", "y", "x0", "y0", "x1", "y1", "cx", "cy"}
    COLOURS = {"red", "green", "blue", "alpha"}
    RESAMPLING = "0 (NEAREST), 1 (LANCZOS), 2 (BILINEAR), 3 (BICUBIC), 4 (BOX), 5 (HAMMING), 6 (MKS2013), 7 (MKS2021)"
    TRANSPOSES = "0 (FLIP_LEFT_RIGHT), 1 (FLIP_TOP_BOTTOM), 2 (ROTATE_90), 3 (ROTATE_180), 4 (ROTATE_270), "
    CHOICES = {
        ("transpose", "method"): f"method must be one of {TRANSPOSES}5 (TRANSPOSE), 6 (TRANSVERSE)",
        ("resize", "resample"): f"resample must be one of {RESAMPLING}",
        ("resize_wide", "resample"): f"resample must be one of {RESAMPLING}",
        ("transform_wide", "resample"): f"resample must be one of {RESAMPLING}",
        ("transform_wide", "method"): "method must be one of 0 (AFFINE), 1 (EXTENT), 2 (PERSPECTIVE), 3 (QUAD)",
        ("thumbnail", "resample"): f"resample must be one of {RESAMPLING}",
        ("rotate", "resample"): f"resample must be one of {RESAMPLING}",
        ("transform", "resample"): f"resample must be one of {RESAMPLING}",
        ("transform", "method"): "method must be one of 0 (AFFINE), 1 (EXTENT), 2 (PERSPECTIVE), 3 (QUAD)",
    }

    def whole(name):
        return lambda value: ("RangeError", f"{name} must be a whole number from 0 to 4294967295, got {shown(value)}")

    def rule(owner, method, name, value):
        """The stated outcome: ("error name", "message fragment") or
        ("accepted", check) where check(target, args) returns a failure text
        or None. One rule per kind of number (crate/src/args.rs)."""
        if method in ("draw_arc", "draw_chord", "draw_pieslice") and name in ("start", "end"):
            if value in (-1.0, -0.5):
                return ("accepted", drawn_as_documented_angle)
            return ("RangeError", f"{name} must be a number from -1000000000 to 1000000000, got {shown(value)}")
        if method == "draw_rounded_rectangle" and name == "radius":
            if value in (HUGE, BEYOND_U32):
                return ("accepted", drawn_as_documented_angle)
            return ("RangeError", f"radius must be a number from 0 up, got {shown(value)}")
        if method.startswith("draw_") and name == "width":
            if value == -1.0 or value == -0.5 or math.isnan(value) or value > 2**24:
                return ("RangeError", f"width must be a whole number from 0 to 16777216, got {shown(value)}")
        if method == "flood_fill" and name == "thresh":
            if value in (HUGE, BEYOND_U32):
                # The fill colour is then within the threshold of the start
                # pixel: Pillow takes it as filled already and does nothing.
                return ("accepted", nothing_filled)
            return ("RangeError", f"thresh must be a number from 0 up, got {shown(value)}")
        if method == "rotate" and name == "angle":
            if math.isnan(value):
                return ("RangeError", "angle must be a finite number, got NaN")
            return ("accepted", rotated_modulo_360)
        if method == "blend" and name == "alpha":
            if math.isnan(value):
                return ("RangeError", "alpha must be a finite number, got NaN")
            return ("accepted", chopped_as_documented)
        if name == "scale" and method in ("add", "subtract"):
            if math.isnan(value):
                return ("RangeError", "scale must be a finite number other than 0, got NaN")
            return ("accepted", chopped_as_documented)
        if name == "offset" and method in ("add", "subtract"):
            if value == -1.0:
                return ("accepted", chopped_as_documented)
            return ("RangeError", f"offset must be a whole number within ±16777216, got {shown(value)}")
        if name in COLOURS or name.startswith(("alive_", "dead_")):
            return ("RangeError", f"{name} must be a number from 0 to 255, got {shown(value)}")
        if (method, name) in CHOICES:
            return ("RangeError", f"{CHOICES[method, name]}, got {shown(value)}")
        if method.startswith("effect_") and name in ("sigma", "seed"):
            if math.isnan(value):
                return ("RangeError", f"{name} must be a finite number, got NaN")
            return ("accepted", effect_drawn_again_alike(method))
        if name in ("distance", "quality"):
            return whole(name)(value)
        if method == "quantize" and name == "colors":
            return ("RangeError", f"colors must be a whole number from 1 to 256, got {shown(value)}")
        if method == "quantize" and name in ("method", "kmeans"):
            return whole(name)(value)
        if method in ("pixel_word", "set_pixel_word"):
            if name == "word":
                return whole("word")(value)
            if value == -1.0:
                return ("accepted", told_outside(method))
        coordinate = name in POSITIONS
        if coordinate:
            if value not in (-1.0, -0.5):
                return ("RangeError", f"{name} must be a finite number within ±16777216, got {shown(value)}")
            if name in ("width", "height", "radius"):
                return ("RangeError", f"{name} must be a number from 0 to 16777216, got {shown(value)}")
            if value == -0.5:
                # A fraction is truncated towards zero, as Pillow casts it.
                return ("accepted", same_as_zero(owner, method, name))
            if method in PLACED:
                return ("accepted", drawn_as_documented(method, name, value))
            if method == "flood_fill":
                return ("accepted", nothing_filled)
            point = "(-1, 1)" if name == "x" else "(1, -1)"
            return ("OutOfBoundsError", f"point {point} is outside the {WIDTH}x{HEIGHT} image")
        if name in ("factor_x", "factor_y") or (method == "thumbnail" and name in ("width", "height")):
            return ("RangeError", f"{name} must be a whole number from 1 to 4294967295, got {shown(value)}")
        if name == "reducing_gap":
            if value in (HUGE, BEYOND_U32):
                return ("accepted", resized_without_reduction(method))
            return ("RangeError", f"reducing_gap must be a number from 1 up, got {shown(value)}")
        if name in ("width", "height"):
            return whole(name)(value)
        if method == "unsharp_mask" and name in ("percent", "threshold"):
            if value == -1.0:
                return ("accepted", unsharp_as_documented)
            return ("RangeError", f"{name} must be a whole number within ±16777216, got {shown(value)}")
        if name in ("cutoff_low", "cutoff_high"):
            return ("RangeError", f"{name} must be a number from 0 to 100, got {shown(value)}")
        if name == "bits":
            return ("RangeError", f"bits must be a whole number from 1 to 8, got {shown(value)}")
        if name in ("threshold", "blackpoint", "whitepoint", "midpoint"):
            return ("RangeError", f"{name} must be a number from 0 to 255, got {shown(value)}")
        if method in ("brightness", "contrast", "saturation", "sharpness") and name == "factor":
            if math.isnan(value):
                return ("RangeError", "factor must be a finite number, got NaN")
            return ("accepted", enhanced_as_documented(method))
        if method == "gamma":
            if value in (HUGE, BEYOND_U32):
                return ("accepted", gamma_to_the_extremes)
            return ("RangeError", f"gamma must be a finite number > 0, got {shown(value)}")
        if name in ("level", "alpha"):
            return ("RangeError", f"{name} must be a number from 0 to 255, got {shown(value)}")
        if name in ("first", "second", "channel", "from_channel", "to_channel", "generations", "seed", "max_colours"):
            return whole(name)(value)
        if name in ("radius", "x_radius", "y_radius"):
            return ("RangeError", f"{name} must be a number from 0 to 10000, got {shown(value)}")
        if method == "box_blur_passes" and name == "passes":
            return ("RangeError", f"passes must be a whole number from 1 to 1000, got {shown(value)}")
        if method == "mode_filter" and name == "size":
            return whole("size")(value)
        if method == "colour_lut" and name == "channels":
            return ("RangeError", f"channels must be a whole number from 3 to 4, got {shown(value)}")
        if method == "colour_lut" and name in ("size1", "size2", "size3"):
            return ("RangeError", f"{name} must be a whole number from 2 to 65, got {shown(value)}")
        if method in ("rank_filter", "rank_filter_wide", "rank_filtered") and name == "size":
            return ("RangeError", f"size must be an odd whole number from 1 to 255, got {shown(value)}")
        if method in ("rank_filter", "rank_filter_wide", "rank_filtered") and name == "rank":
            return ("RangeError", f"rank must be a whole number from 0 to 8, got {shown(value)}")
        if method in ("convolve", "convolve_wide", "convolved") and name in ("scale", "offset"):
            if math.isnan(value):
                return ("RangeError", f"{name} must be a finite number, got NaN")
            checks = {"convolve": convolved_as_documented, "convolve_wide": convolved_wide_as_documented}
            return ("accepted", checks.get(method, convolved_copy_as_documented))
        if name == "density":
            return ("RangeError", f"density must be a number from 0 to 1, got {shown(value)}")
        if owner == "Plasma" and name == "time":
            if math.isnan(value):
                return ("RangeError", "time must be a finite number, got NaN")
            return ("accepted", plasma_as_documented)
        raise AssertionError(f"no rule for {owner}.{method}({name}={value!r}): add one")

    # ---- the checks of accepted values, each against an independent expectation

    def effect_drawn_again_alike(method):
        def check(target, args):
            # Any finite sigma or seed draws: grey pixels, the same again
            # for the same arguments.
            first = getattr(target, method)(*args) if target is not None else getattr(RgbaImage, method)(*args)
            second = getattr(target, method)(*args) if target is not None else getattr(RgbaImage, method)(*args)
            drawn, again = pixels(first), pixels(second)
            first.free()
            second.free()
            grey = all(
                drawn[i] == drawn[i + 1] == drawn[i + 2] and drawn[i + 3] == 255 for i in range(0, len(drawn), 4)
            )
            if method == "effect_noise" and not grey:
                return "noise must be grey and opaque"
            return None if drawn == again else "the same seed must draw the same pixels"

        return check

    def resized_without_reduction(method):
        def check(target, args):
            # A gap so large that no factor exceeds 1: the plain resize.
            gap = {"resize": 4, "thumbnail": 3}[method]  # where reducing_gap is
            plain = getattr(target, method)(*args[:gap], None, *args[gap + 1 :])
            same = pixels(plain) == pixels(getattr(target, method)(*args))
            plain.free()
            return None if same else "a huge reducing_gap must resize without reducing first"

        return check

    def rotated_modulo_360(target, args):
        # Any angle turns as its remainder modulo 360 (Python's, never
        # negative) does: the same size and bytes.
        def outcome(angle):
            turned = target.rotate(angle, *args[1:])
            seen = (turned.width, turned.height, pixels(turned))
            turned.free()
            return seen

        return None if outcome(args[0]) == outcome(args[0] % 360) else "differs from the angle modulo 360"

    def drawn_as_documented_angle(target, args):
        # The shape in the box [0, 0, 2, 1] in colour 1, 2, 3, 4 changes some
        # pixels to that colour and no pixel to anything else.
        changed = [
            bytes(pixels(target)[i : i + 4])
            for i in range(0, len(PATTERN), 4)
            if pixels(target)[i : i + 4] != PATTERN[i : i + 4]
        ]
        if changed and all(pixel == bytes([1, 2, 3, 4]) for pixel in changed):
            return None
        return f"expected some pixels set to the colour, got {changed}"

    def same_as_zero(owner, method, name):
        def state(thing):
            if owner != "Life":
                return pixels(thing)
            board = RgbaImage.new(WIDTH, HEIGHT)
            thing.render(board)
            seen = pixels(board)
            board.free()
            return seen

        def check(target, args):
            # The same call with 0 in place of -0.5 leaves the same state.
            cls = rust_image.Life if owner == "Life" else RgbaImage
            position = parameters(getattr(cls.prototype, method).wrapped).index(name)
            twin = make(owner)
            getattr(twin, method)(*[0 if i == position else a for i, a in enumerate(args)])
            same = state(twin) == state(target)
            twin.free()
            return None if same else "differs from the same call with 0"

        return check

    def told_outside(method):
        def check(target, args):
            # A point outside is an answer, not an error: undefined from
            # pixel_word, false from set_pixel_word, and no pixel changed.
            expected = None if method == "pixel_word" else False
            answer = getattr(target, method)(*args)
            if answer is not expected:
                return f"a point outside must give {expected}, got {answer!r}"
            return None if pixels(target) == PATTERN else "a point outside changed pixels"

        return check

    def nothing_filled(target, args):
        return None if pixels(target) == PATTERN else "a flood fill from outside changed pixels"

    def drawn_as_documented(method, name, value):
        def check(target, args):
            # What is placed is clipped: the same as placing it on a larger
            # image with every position shifted by 4 and cutting the image out.
            shift = 4
            big = RgbaImage.new(WIDTH + 2 * shift, HEIGHT + 2 * shift)
            original = make("RgbaImage")
            big.paste(original, shift, shift)
            original.free()
            names = parameters(getattr(RgbaImage.prototype, method).wrapped)
            moved = []
            for n, a in zip(names, args, strict=True):
                if n in POSITIONS and not hasattr(a, "ptr"):
                    a = a + shift
                moved.append(a)
            getattr(big, method)(*moved)
            cut = big.crop(to_js([shift, shift, WIDTH, HEIGHT]))
            expected = pixels(cut)
            cut.free()
            big.free()
            return (
                None
                if pixels(target) == expected
                else f"pixels differ from the shifted drawing: {list(pixels(target))}"
            )

        return check

    def enhanced_as_documented(base):
        def check(target, args):
            # Each colour byte is blended from the degenerate image (black,
            # the mean grey, the pixel's own grey or the smoothed image)
            # towards the original by the factor, in C floats as Pillow's
            # Image.blend, truncated and clipped: any finite factor, however
            # far beyond 0 and 1.
            luma = [
                (PATTERN[i] * 19595 + PATTERN[i + 1] * 38470 + PATTERN[i + 2] * 7471 + 0x8000) >> 16
                for i in range(0, len(PATTERN), 4)
            ]
            if base == "brightness":
                degenerate = [0] * len(PATTERN)
            elif base == "contrast":
                degenerate = [int(sum(luma) / len(luma) + 0.5)] * len(PATTERN)
            elif base == "saturation":
                degenerate = [luma[i // 4] for i in range(len(PATTERN))]
            else:
                smoothed = make("RgbaImage")
                smoothed.sharpness(0)
                degenerate = list(pixels(smoothed))
                smoothed.free()

            factor = f32(args[0])
            expected = bytearray()
            for i, (v, d) in enumerate(zip(PATTERN, degenerate, strict=True)):
                value = f32(d + f32(factor * (v - d)))
                expected.append(v if i % 4 == 3 else 0 if value <= 0 else 255 if value >= 255 else int(value))
            return None if pixels(target) == expected else f"expected the blend by {args[0]} of every colour byte"

        return check

    def chopped_as_documented(target, args):
        # The other image is 9, 9, 9, 255 everywhere: each byte follows
        # Pillow's formula in C floats, truncated towards zero, then clipped.
        method = chopped_as_documented.method
        other = [9, 9, 9, 255] * (WIDTH * HEIGHT)

        expected = []
        for a, b in zip(PATTERN, other, strict=True):
            if method == "blend":
                value = f32(a + f32(f32(args[1]) * (b - a)))
            else:
                scale, offset = f32(args[1]), args[2]
                value = f32(f32((a + b if method == "add" else a - b) / scale) + offset)
            expected.append(0 if value <= 0 else 255 if value >= 255 else int(value))
        got = list(pixels(target))
        return None if got == expected else f"expected {expected}, got {got}"

    def unsharp_as_documented(target, args):
        # Against the module's own Gaussian blur: bytes further than the
        # threshold from it move by percent of the difference (C integer
        # division, truncated towards zero), clipped.
        radius, percent, threshold = args[:3]
        blurred = make("RgbaImage")
        blurred.gaussian_blur(radius, radius)
        blur = pixels(blurred)
        blurred.free()
        expected = []
        for value, low in zip(PATTERN, blur, strict=True):
            difference = value - low
            if abs(difference) > threshold:
                step = abs(difference * percent) // 100 * (1 if difference * percent >= 0 else -1)
                value = min(max(value + step, 0), 255)
            expected.append(value)
        got = list(pixels(target))
        return None if got == expected else f"expected {expected}, got {got}"

    def gamma_to_the_extremes(target, args):
        expected = bytes(v if i % 4 == 3 else (255 if v else 0) for i, v in enumerate(PATTERN))
        return None if pixels(target) == expected else "expected every non-zero colour at 255"

    def convolved_as_documented(target, args):
        # Identity kernel: each inner pixel (all four channels, as Pillow)
        # becomes clip(trunc(value / scale + offset + 0.5)); the border is kept.
        scale, offset = args[1], args[2]
        expected = bytearray(PATTERN)
        for y in range(1, HEIGHT - 1):
            for x in range(1, WIDTH - 1):
                for c in range(4):
                    at = (y * WIDTH + x) * 4 + c
                    expected[at] = int(min(max(PATTERN[at] / scale + offset + 0.5, 0), 255))
        return None if pixels(target) == bytes(expected) else f"expected {list(expected)}, got {list(pixels(target))}"

    def convolved_copy_as_documented(target, args):
        # The new image holds what `convolve` makes in place; the target stays.
        made = target.convolved(*args)
        try:
            if pixels(target) != bytes(PATTERN):
                return "convolved changed the image it was called on"
            return convolved_as_documented(made, args)
        finally:
            made.free()

    def convolved_wide_as_documented(target, args):
        # Identity kernel on the pixels as little-endian int32s, in C floats:
        # clip(trunc(value * (1 / scale) + (offset + 0.5))) to 0..65535 when
        # `sixteen`, else to 0..2**31 - 1; the border is kept.
        def f32(value):
            return struct.unpack("<f", struct.pack("<f", value))[0]

        scale, offset, sixteen = args[1], args[2], bool(args[3])
        values = list(struct.unpack(f"<{WIDTH * HEIGHT}i", PATTERN))
        expected = values[:]
        weight, bias = f32(1 / f32(scale)), f32(f32(offset) + 0.5)
        for y in range(1, HEIGHT - 1):
            for x in range(1, WIDTH - 1):
                total = f32(bias + f32(f32(values[y * WIDTH + x]) * weight))
                if sixteen:
                    expected[y * WIDTH + x] = int(min(max(total, 0), 65535))
                else:
                    expected[y * WIDTH + x] = 2**31 - 1 if total >= 2147483647.0 else int(max(total, 0))
        wanted = struct.pack(f"<{WIDTH * HEIGHT}i", *expected)
        return None if pixels(target) == wanted else f"expected {list(wanted)}, got {list(pixels(target))}"

    def plasma_as_documented(target, args):
        image, time = args
        frame = pixels(image)
        if any(frame[i] != 255 for i in range(3, len(frame), 4)):
            return "a plasma frame must be opaque"
        # Time counts modulo an hour (fmod, so a negative time stays negative).
        again = RgbaImage.new(WIDTH, HEIGHT)
        target.render(again, math.fmod(time, 3600.0))
        same = pixels(again) == frame
        again.free()
        return None if same else "the frame differs from the frame at time modulo 3600"

    # ---- the matrix

    def attempt(owner, method, name, value, call, target, args, key):
        """Runs `call()` (the export on `target`, or a static one) and checks
        the stated outcome of its one bad value."""
        chopped_as_documented.method = method
        outcome = rule(owner, method, name, value)
        counted.add(key)
        where = f"{owner}.{method}({name}={value!r})"
        try:
            result = call()
        except JsException as error:
            if outcome[0] == "accepted":
                failures.append(f"{where}: documented as accepted, raised {error.name}: {error.message}")
            elif (error.name, outcome[1] in str(error.message)) != (outcome[0], True):
                failures.append(f"{where}: expected {outcome[0]} {outcome[1]!r}, got {error.name}: {error.message}")
        else:
            if hasattr(result, "free") and hasattr(result, "ptr"):
                result.free()
            if outcome[0] != "accepted":
                failures.append(f"{where}: expected {outcome[0]} {outcome[1]!r}, nothing raised")
            else:
                problem = outcome[1](target, args)
                if problem:
                    failures.append(f"{where}: {problem}")
        if str(rust_image.brokenReason()):
            raise AssertionError(f"{where} trapped: {rust_image.brokenReason()}")

    classes = {"RgbaImage": RgbaImage, "Life": rust_image.Life, "Plasma": rust_image.Plasma}
    not_numbers = {
        "from_mode",
        "to_mode",
        "palette",
        "dither",
        "from_colour",
        "float",
        "op",
        "plain",
        "sixteen",
        "grey",
        "matrix",
        "bytes",
        "weights",
        "source",
        "image",
        "filled",
        "alive",
        "pattern",
        "rect",
        "box",
        "other",
        "mask",
        "mode",
        "table",
        "ignore",
        "preserve_tone",
        "alpha_only",
        "blend",
        "black",
        "white",
        "mid",
        "name",
        "expand",
        "center",
        "translate",
        "fillcolor",
        "data",
        "xy",
        "path",
        "fill",
        "outline",
        "border",
        "corners",
        "with_alpha",
        "extent",
    }
    statics = {
        "RgbaImage": ["new", "filled", "from_bytes", "effect_mandelbrot", "effect_noise"],
        "Life": ["new"],
        "Plasma": [],
    }
    for owner, cls in classes.items():
        own_statics = set(js.Object.getOwnPropertyNames(cls)) - {"length", "name", "prototype", "__wrap"}
        if own_statics - set(statics[owner]):
            failures.append(f"{owner}: static exports without a rule here: {sorted(own_statics - set(statics[owner]))}")
        members = [m for m in js.Object.getOwnPropertyNames(cls.prototype) if m not in ("constructor",)]
        for method in [*statics[owner], *members]:
            static = method in statics[owner]
            if static:
                function = (
                    cls if method == "new" else getattr(js.Object.getOwnPropertyDescriptor(cls, method), "value", None)
                )
            else:
                function = getattr(js.Object.getOwnPropertyDescriptor(cls.prototype, method), "value", None)
            if function is None or not callable(function):
                continue
            names = parameters(getattr(function, "wrapped", function))
            if method == "new":
                names = ["width", "height"] if owner != "Plasma" else []
            for position, name in enumerate(names):
                if name in not_numbers:
                    continue
                for value in VALUES:
                    args = [valid(n, method) for n in names]
                    args[position] = value
                    key = (owner, method, name, repr(value))
                    if static:
                        call = cls.new if method == "new" else getattr(cls, method)
                        attempt(owner, method, name, value, lambda: call(*args), None, args, key)
                    else:
                        target = make(owner)
                        attempt(owner, method, name, value, lambda: getattr(target, method)(*args), target, args, key)
                        target.free()
                    for arg in args:
                        if hasattr(arg, "free") and hasattr(arg, "ptr"):
                            arg.free()

    # Non-number parameters: the wrong kind of JS value, each distinct.
    image = make("RgbaImage")
    freed = RgbaImage.new(1, 1)
    freed.free()
    wrong_values = [
        (
            "from_bytes bytes=str",
            lambda: RgbaImage.from_bytes("RGBA", 1, 1, "abcd"),
            "TypeError",
            "bytes must be a Uint8Array or Uint8ClampedArray",
        ),
        (
            "from_bytes bytes=object",
            lambda: RgbaImage.from_bytes("RGBA", 1, 1, js.Object.new()),
            "TypeError",
            "bytes must be a Uint8Array",
        ),
        (
            "from_bytes bytes=Float64Array",
            lambda: RgbaImage.from_bytes("RGBA", 1, 1, js.Float64Array.new(4)),
            "TypeError",
            "bytes must be a Uint8Array",
        ),
        (
            "from_bytes bytes=short",
            lambda: RgbaImage.from_bytes("RGBA", 2, 2, js.Uint8Array.new(3)),
            "RangeError",
            "pixel data must be width*height*4 = 16 bytes long, got 3",
        ),
        (
            "from_bytes bytes=RGBA for L",
            lambda: RgbaImage.from_bytes("L", 2, 2, js.Uint8Array.new(16)),
            "RangeError",
            "pixel data must be width*height*1 = 4 bytes long, got 16",
        ),
        (
            "from_bytes mode=P",
            lambda: RgbaImage.from_bytes("P", 1, 1, js.Uint8Array.new(1)),
            "RangeError",
            'mode must be one of "L", "LA", "RGB", "RGBA", got "P"',
        ),
        (
            "from_bytes mode=number",
            lambda: RgbaImage.from_bytes(3, 1, 1, js.Uint8Array.new(3)),
            "TypeError",
            "mode must be a string",
        ),
        ("to_bytes mode=rgb", lambda: image.to_bytes("rgb"), "RangeError", 'mode must be one of "L", "LA"'),
        (
            "convert_mode from=rgb",
            lambda: image.convert_mode("rgb", "L", None),
            "RangeError",
            'from_mode must be one of "1", "L", "LA", "La", "P"',
        ),
        ("convert_mode to=number", lambda: image.convert_mode("RGB", 3, None), "TypeError", "to_mode must be a string"),
        (
            "convert_mode palette=short",
            lambda: image.convert_mode("P", "RGB", js.Uint8Array.new(768)),
            "RangeError",
            "palette must be 1024 bytes (256 RGBA entries), got 768 bytes",
        ),
        (
            "convert_mode palette=Array",
            lambda: image.convert_mode("P", "RGB", to_js([0] * 1024)),
            "TypeError",
            "palette must be a Uint8Array",
        ),
        (
            "convert_matrix matrix=short",
            lambda: image.convert_matrix(to_js([1, 0, 0, 0]), True),
            "RangeError",
            "matrix must hold 12 numbers, got 4",
        ),
        (
            "convert_matrix matrix=NaN",
            lambda: image.convert_matrix(to_js([float("nan")] * 12), False),
            "RangeError",
            "matrix must be a finite number, got NaN",
        ),
        (
            "to_palette palette=empty",
            lambda: image.to_palette(js.Uint8Array.new(0), False),
            "RangeError",
            "palette must be 1 to 256 RGB triplets, got 0 bytes",
        ),
        (
            "to_palette palette=769",
            lambda: image.to_palette(js.Uint8Array.new(769), True),
            "RangeError",
            "palette must be 1 to 256 RGB triplets, got 769 bytes",
        ),
        ("to_bytes mode=undefined", lambda: image.to_bytes(None), "TypeError", "mode must be a string"),
        (
            "point table=Array",
            lambda: image.point(to_js(list(range(256)) * 4)),
            "TypeError",
            "table must be a Uint8Array of 1024 bytes",
        ),
        (
            "point table=short",
            lambda: image.point(js.Uint8Array.new(256)),
            "RangeError",
            "table must hold 1024 bytes (256 for each of red, green, blue and alpha), got 256",
        ),
        (
            "point table=huge",
            lambda: image.point(js.Uint8Array.new(1 << 26)),
            "RangeError",
            "table must hold 1024 bytes (256 for each of red, green, blue and alpha), got 67108864",
        ),
        (
            "autocontrast ignore=string",
            lambda: image.autocontrast(0, 0, "0", False),
            "TypeError",
            "ignore must be undefined, a number or an array of numbers from 0 to 255",
        ),
        (
            "autocontrast ignore=NaN",
            lambda: image.autocontrast(0, 0, float("nan"), False),
            "RangeError",
            "ignore must be a number from 0 to 255, got NaN",
        ),
        (
            "autocontrast ignore=[300]",
            lambda: image.autocontrast(0, 0, to_js([1, 300]), False),
            "RangeError",
            "ignore must be a number from 0 to 255, got 300",
        ),
        (
            "autocontrast ignore=[string]",
            lambda: image.autocontrast(0, 0, to_js([1, "2"]), False),
            "TypeError",
            "ignore must be undefined, a number or an array of numbers from 0 to 255",
        ),
        (
            "autocontrast ignore=long",
            lambda: image.autocontrast(0, 0, js.Array.new(300), False),
            "RangeError",
            "ignore may list at most 256 levels, got 300",
        ),
        (
            "colorize black=string",
            lambda: image.colorize("red", to_js([0, 0, 0]), None, 0, 255, 127),
            "TypeError",
            "black must be an array [red, green, blue]",
        ),
        (
            "colorize white=short",
            lambda: image.colorize(to_js([0, 0, 0]), to_js([1, 2]), None, 0, 255, 127),
            "TypeError",
            "white must be an array [red, green, blue]",
        ),
        (
            "colorize mid=256",
            lambda: image.colorize(to_js([0, 0, 0]), to_js([0, 0, 0]), to_js([0, 0, 256]), 0, 255, 127),
            "RangeError",
            "mid must be a number from 0 to 255, got 256",
        ),
        (
            "colorize mid=object",
            lambda: image.colorize(to_js([0, 0, 0]), to_js([0, 0, 0]), js.Object.new(), 0, 255, 127),
            "TypeError",
            "mid must be an array [red, green, blue]",
        ),
        (
            "colorize points reversed",
            lambda: image.colorize(to_js([0, 0, 0]), to_js([9, 9, 9]), None, 200, 100, 127),
            "RangeError",
            "blackpoint must be less than or equal to whitepoint, got 200 and 100",
        ),
        (
            "colorize midpoint outside",
            lambda: image.colorize(to_js([0, 0, 0]), to_js([9, 9, 9]), to_js([5, 5, 5]), 10, 100, 200),
            "RangeError",
            "midpoint must be between blackpoint and whitepoint (10 to 100), got 200",
        ),
        (
            "from_bytes bytes=huge",
            lambda: RgbaImage.from_bytes("RGBA", 1, 1, js.Uint8Array.new(2_200_000_000)),
            "RangeError",
            "pixel data must be width*height*4 = 4 bytes long, got 2200000000",
        ),
        ("builtin_filter name=number", lambda: image.builtin_filter(3), "TypeError", "name must be a string"),
        ("math_unary op=number", lambda: image.math_unary(3, False), "TypeError", "op must be a string"),
        (
            "math_unary op=invert on F",
            lambda: image.math_unary("invert", True),
            "TypeError",
            'op must be an operator that applies to "F" values',
        ),
        (
            "math_binary op=and on F",
            lambda: image.math_binary(image, "and", True),
            "TypeError",
            'op must be an operator that applies to "F" values',
        ),
        (
            "math_binary other=another size",
            lambda: image.math_binary(RgbaImage.new(1, 1), "add", False),
            "RangeError",
            f"other must be {WIDTH}x{HEIGHT}, got 1x1",
        ),
        (
            "math_binary op=unknown",
            lambda: image.math_binary(image, "plus", False),
            "RangeError",
            'op must be one of "add", "sub", "mul", "div", "mod", "pow", "min", "max", "and", "or", "xor", '
            '"lshift", "rshift", "eq", "ne", "lt", "le", "gt", "ge", got "plus"',
        ),
        (
            "draw_lines xy=odd",
            lambda: image.draw_lines(to_js([0, 0, 1]), to_js([1, 1, 1, 1]), 1),
            "RangeError",
            "xy must hold x and y of 0 to 1048576 points, got 3 numbers",
        ),
        (
            "draw_lines xy=huge",
            lambda: image.draw_lines(js.Float64Array.new(1 << 22), to_js([1, 1, 1, 1]), 1),
            "RangeError",
            "xy must hold x and y of 0 to 1048576 points, got 4194304 numbers",
        ),
        (
            "draw_outline path=6 numbers",
            lambda: image.draw_outline(to_js([1, 0, 0, 0, 0, 0]), to_js([1, 1, 1, 1]), False),
            "RangeError",
            "path must hold steps of 7 numbers, at most 1048576, got 6 numbers",
        ),
        (
            "draw_outline path=kind 5",
            lambda: image.draw_outline(to_js([5, 0, 0, 0, 0, 0, 0]), to_js([1, 1, 1, 1]), False),
            "RangeError",
            "path step kinds are 0 (move), 1 (line), 2 (curve), 3 (close) and 4 (forget), got 5",
        ),
        (
            "draw_outline path=Infinity",
            lambda: image.draw_outline(to_js([1, float("inf"), 0, 0, 0, 0, 0]), to_js([1, 1, 1, 1]), False),
            "RangeError",
            "path must be a finite number within ±16777216, got inf",
        ),
        (
            "draw_outline path=string",
            lambda: image.draw_outline("1,0,0", to_js([1, 1, 1, 1]), False),
            "TypeError",
            "path must be an array of steps of 7 numbers [kind, x1, y1, x2, y2, x3, y3]",
        ),
        (
            "draw_points xy=string",
            lambda: image.draw_points("0,0", to_js([1, 1, 1, 1])),
            "TypeError",
            "xy must be an array of numbers [x0, y0, x1, y1, ...]",
        ),
        (
            "draw_points xy=NaN",
            lambda: image.draw_points(to_js([0, float("nan")]), to_js([1, 1, 1, 1])),
            "RangeError",
            "xy must be a finite number within ±16777216, got NaN",
        ),
        (
            "draw_points fill=None",
            lambda: image.draw_points(to_js([0, 0]), None),
            "TypeError",
            "fill must be an array [red, green, blue, alpha]",
        ),
        (
            "draw_polygon xy=one point",
            lambda: image.draw_polygon(to_js([0, 0]), to_js([1, 1, 1, 1]), None, 1),
            "RangeError",
            "xy must hold x and y of 2 to 1048576 points, got 2 numbers",
        ),
        (
            "draw_rectangle xy=3 points",
            lambda: image.draw_rectangle(to_js([0, 0, 1, 1, 2, 2]), None, None, 1),
            "TypeError",
            "xy must be an array [x0, y0, x1, y1]",
        ),
        (
            "draw_rectangle xy=reversed",
            lambda: image.draw_rectangle(to_js([3, 0, 1, 2]), None, None, 1),
            "RangeError",
            "xy must have x1 >= x0 and y1 >= y0, got [3, 0, 1, 2]",
        ),
        (
            "draw_ellipse xy=reversed before truncation",
            lambda: image.draw_ellipse(to_js([0, 1.5, 2, 1.2]), None, None, 1),
            "RangeError",
            "xy must have x1 >= x0 and y1 >= y0, got [0, 1.5, 2, 1.2]",
        ),
        (
            "draw_rounded_rectangle corners=three",
            lambda: image.draw_rounded_rectangle(to_js([0, 0, 3, 2]), 1, None, None, 1, to_js([True, True, True])),
            "TypeError",
            "corners must be undefined or an array of 4 booleans",
        ),
        (
            "draw_rounded_rectangle corners=numbers",
            lambda: image.draw_rounded_rectangle(to_js([0, 0, 3, 2]), 1, None, None, 1, to_js([1, 0, 1, 0])),
            "TypeError",
            "corners must be undefined or an array of 4 booleans",
        ),
        (
            "draw_rounded_rectangle radius=reversing",
            lambda: image.draw_rounded_rectangle(
                to_js([0, 0, 3, 2]), 9, to_js([1, 1, 1, 1]), None, 1, to_js([True, False, False, True])
            ),
            "RangeError",
            "radius leaves a reversed side",
        ),
        (
            "draw_rectangle outline=300",
            lambda: image.draw_rectangle(to_js([0, 0, 1, 1]), None, to_js([0, 0, 300, 0]), 1),
            "RangeError",
            "outline must be a number from 0 to 255, got 300",
        ),
        (
            "flood_fill border=short",
            lambda: image.flood_fill(0, 0, to_js([1, 1, 1, 1]), to_js([1]), 0),
            "TypeError",
            "border must be undefined or an array [red, green, blue, alpha]",
        ),
        (
            "rotate center=NaN",
            lambda: image.rotate(10, 0, False, to_js([float("nan"), 0]), None, None),
            "RangeError",
            "center must be a finite number within ±16777216, got NaN",
        ),
        (
            "rotate translate=short",
            lambda: image.rotate(10, 0, False, None, to_js([1]), None),
            "TypeError",
            "translate must be undefined or an array [x, y]",
        ),
        (
            "rotate fillcolor=300",
            lambda: image.rotate(10, 0, False, None, None, to_js([0, 0, 300, 0])),
            "RangeError",
            "fillcolor must be a number from 0 to 255, got 300",
        ),
        (
            "rotate fillcolor=rgb",
            lambda: image.rotate(10, 0, False, None, None, to_js([0, 0, 0])),
            "TypeError",
            "fillcolor must be undefined or an array [red, green, blue, alpha]",
        ),
        (
            "rotate resample=LANCZOS",
            lambda: image.rotate(10, 1, False, None, None, None),
            "RangeError",
            "resample must be 0 (NEAREST), 2 (BILINEAR) or 3 (BICUBIC) to transform, got 1 (LANCZOS)",
        ),
        (
            "rotate expand=huge",
            lambda: RgbaImage.new(16384, 2).rotate(45, 0, True, None, None, None),
            "RangeError",
            "11588x11588 is 134281744 pixels; the maximum image size is 67108864 pixels",
        ),
        (
            "transform data=string",
            lambda: image.transform(2, 2, 0, "1,0,0,0,1,0", 0, None),
            "TypeError",
            "data must be an array of numbers",
        ),
        (
            "transform data=short",
            lambda: image.transform(2, 2, 2, to_js([1, 0, 0, 0, 1, 0]), 0, None),
            "RangeError",
            "data must hold 8 numbers, got 6",
        ),
        (
            "transform data=Infinity",
            lambda: image.transform(2, 2, 1, to_js([0, 0, float("inf"), 1]), 0, None),
            "RangeError",
            "data must be a finite number, got inf",
        ),
        (
            "transform data=[string]",
            lambda: image.transform(2, 2, 1, to_js([0, 0, "1", 1]), 0, None),
            "TypeError",
            "data must be an array of numbers",
        ),
        (
            "transform size=0",
            lambda: image.transform(0, 2, 1, to_js([0, 0, 1, 1]), 0, None),
            "RangeError",
            "width and height must be at least 1, got 0x2",
        ),
        (
            "builtin_filter name=lower case",
            lambda: image.builtin_filter("sharpen"),
            "RangeError",
            'name must be one of "BLUR", "CONTOUR", "DETAIL", "EDGE_ENHANCE", "EDGE_ENHANCE_MORE", "EMBOSS", '
            '"FIND_EDGES", "SHARPEN", "SMOOTH", "SMOOTH_MORE", got "sharpen"',
        ),
        (
            "convolve weights=Array",
            lambda: image.convolve(to_js([1] * 9), 1, 0),
            "TypeError",
            "kernel weights must be a Float32Array",
        ),
        (
            "convolve weights=short",
            lambda: image.convolve(js.Float32Array.new(3), 1, 0),
            "RangeError",
            "kernel must have 9 (3x3) or 25 (5x5) weights, got 3",
        ),
        (
            "convolve weights=huge",
            lambda: image.convolve(js.Float32Array.new(1 << 28), 1, 0),
            "RangeError",
            "kernel must have 9 (3x3) or 25 (5x5) weights, got 268435456",
        ),
        (
            "convolve weights=NaN",
            lambda: image.convolve(js.Float32Array.new(to_js([float("nan")] * 9)), 1, 0),
            "RangeError",
            "kernel weight must be finite, got NaN",
        ),
        (
            "colour_lut table=Array",
            lambda: image.colour_lut(3, 2, 2, 2, to_js([0.5] * 24)),
            "TypeError",
            "table must be a Float32Array",
        ),
        (
            "colour_lut table=short",
            lambda: image.colour_lut(3, 2, 2, 2, js.Float32Array.new(23)),
            "RangeError",
            "table must have 24 values (channels * size1D * size2D * size3D), got 23",
        ),
        (
            "colour_lut table=huge",
            lambda: image.colour_lut(4, 65, 65, 65, js.Float32Array.new(1 << 28)),
            "RangeError",
            "table must have 1098500 values (channels * size1D * size2D * size3D), got 268435456",
        ),
        (
            "paste source=Life",
            lambda: image.paste(rust_image.Life.new(1, 1), 0, 0),
            "Error",
            "expected instance of RgbaImage",
        ),
        (
            "multiply other=Life",
            lambda: image.multiply(rust_image.Life.new(1, 1)),
            "Error",
            "expected instance of RgbaImage",
        ),
        (
            "composite mask=other size",
            lambda: image.composite(make("RgbaImage"), RgbaImage.new(1, 1), 0, 0),
            "RangeError",
            "mask must be 4x3, got 1x1",
        ),
        (
            "composite mask=freed",
            lambda: image.composite(make("RgbaImage"), freed, 0, 0),
            "ReferenceError",
            "argument 2 is a rust_image object that was already freed",
        ),
        (
            "put_channel source=other size",
            lambda: image.put_channel(RgbaImage.new(1, 1), 0, 3),
            "RangeError",
            "source must be 4x3, got 1x1",
        ),
        (
            "put_channel source=freed",
            lambda: image.put_channel(freed, 0, 3),
            "ReferenceError",
            "argument 1 is a rust_image object that was already freed",
        ),
        (
            "masked_histogram mask=other size",
            lambda: image.masked_histogram(RgbaImage.new(5, 3)),
            "RangeError",
            "mask must be 4x3, got 5x3",
        ),
        (
            "masked_histogram mask=Life",
            lambda: image.masked_histogram(rust_image.Life.new(1, 1)),
            "Error",
            "expected instance of RgbaImage",
        ),
        (
            "paste source=freed",
            lambda: image.paste(freed, 0, 0),
            "ReferenceError",
            "argument 1 is a rust_image object that was already freed",
        ),
        (
            "place_pattern pattern=number",
            lambda: rust_image.Life.new(3, 3).place_pattern(5, 0, 0),
            "TypeError",
            "pattern must be a string",
        ),
        (
            "place_pattern pattern=bad symbol",
            lambda: rust_image.Life.new(3, 3).place_pattern("O#", 0, 0),
            "RangeError",
            "pattern may hold only 'O' or '*' (alive) and '.' (dead), found '#' on line 1",
        ),
        (
            "Life.render image=other size",
            lambda: rust_image.Life.new(3, 3).render(image),
            "RangeError",
            "the image to render into must be 3x3, got 4x3",
        ),
        (
            "new max size + 1",
            lambda: RgbaImage.new(8193, 8192),
            "RangeError",
            "the maximum image size is 67108864 pixels",
        ),
        (
            "Life.new huge",
            lambda: rust_image.Life.new(1e9, 1e9),
            "RangeError",
            "width must be at most 16384, got 1000000000",
        ),
        (
            "tick too many",
            lambda: rust_image.Life.new(3, 3).tick(10001),
            "RangeError",
            "generations must be at most 10000, got 10001",
        ),
        (
            "crop rect=undefined",
            lambda: image.crop(None),
            "TypeError",
            "rect must be an array [x, y, width, height]",
        ),
        (
            "crop rect=empty",
            lambda: image.crop(to_js([1, 1, 0, 2])),
            "RangeError",
            "width and height must be at least 1, got 0x2",
        ),
        (
            "mean_colour rect=outside",
            lambda: image.mean_colour(to_js([-5, 0, 5, 3])),
            "OutOfBoundsError",
            "rect at (-5, 0) of size 5x3 holds no pixel of the 4x3 image",
        ),
    ]
    # Every export's `rect`, given each kind of bad rectangle.
    bad_rects = [
        ("[1, 2]", to_js([1, 2]), "TypeError", "rect must be undefined or an array [x, y, width, height]"),
        ("string", "0,0,1,1", "TypeError", "rect must be undefined or an array [x, y, width, height]"),
        ("object", js.Object.new(), "TypeError", "rect must be undefined or an array [x, y, width, height]"),
        ("huge array", js.Float64Array.new(1 << 26), "TypeError", "rect must be undefined or an array"),
        ("a string inside", to_js([0, 0, "1", 1]), "TypeError", "rect must be undefined or an array"),
        (
            "NaN",
            to_js([0, float("nan"), 1, 1]),
            "RangeError",
            "rect y must be a finite number within ±16777216, got NaN",
        ),
        (
            "beyond 2^24",
            to_js([2**25, 0, 1, 1]),
            "RangeError",
            "rect x must be a finite number within ±16777216, got 33554432",
        ),
        (
            "negative width",
            to_js([0, 0, -1, 1]),
            "RangeError",
            "rect width must be a number from 0 to 16777216, got -1",
        ),
        (
            "negative height",
            to_js([0, 0, 1, -0.5]),
            "RangeError",
            "rect height must be a number from 0 to 16777216, got -0.5",
        ),
    ]

    def method_parameters(method):
        function = getattr(js.Object.getOwnPropertyDescriptor(RgbaImage.prototype, method), "value", None)
        return parameters(getattr(function, "wrapped", function)) if callable(function) else []

    with_rect = [m for m in js.Object.getOwnPropertyNames(RgbaImage.prototype) if "rect" in method_parameters(m)]
    if len(with_rect) < 20:
        failures.append(f"only {len(with_rect)} exports take a rect: {with_rect}")
    # Every bad rect counts once: they all reach the one check in args.rs.
    count_as = {}
    for method in with_rect:
        names = method_parameters(method)
        for label, bad, name, fragment in bad_rects:
            args = [valid(n, method) for n in names]
            args[names.index("rect")] = bad
            case = f"{method} rect={label}"
            count_as[case] = ("bad rect", label)
            wrong_values.append((case, lambda method=method, args=args: getattr(image, method)(*args), name, fragment))
    bad_boxes = [
        ("resize", "[1, 2]", to_js([1, 2]), "TypeError", "box must be undefined or an array [x0, y0, x1, y1]"),
        ("resize", "NaN", to_js([0, float("nan"), 1, 1]), "RangeError", "box y0 must be a finite number"),
        ("resize", "negative", to_js([-0.5, 0, 1, 1]), "RangeError", "box offset can't be negative, got (-0.5, 0)"),
        (
            "resize",
            "too large",
            to_js([0, 0, 4.5, 1]),
            "RangeError",
            "box can't exceed the 4x3 image, got (0, 0, 4.5, 1)",
        ),
        ("resize", "reversed", to_js([2, 0, 1, 1]), "RangeError", "box can't be empty, got (2, 0, 1, 1)"),
        ("reduce", "fractional", to_js([0.5, 0, 1, 1]), "RangeError", "box x0 must be a whole number"),
        ("reduce", "empty", to_js([1, 0, 1, 3]), "RangeError", "box can't be empty, got (1, 0, 1, 3)"),
        ("reduce", "too large", to_js([0, 0, 4, 4]), "RangeError", "box can't exceed the 4x3 image, got (0, 0, 4, 4)"),
        ("reduce", "string", "0,0,1,1", "TypeError", "box must be undefined or an array [x0, y0, x1, y1]"),
    ]
    for method, label, bad, name, fragment in bad_boxes:
        call = (
            (lambda bad=bad: image.resize(2, 2, 2, bad))
            if method == "resize"
            else (lambda bad=bad: image.reduce(2, 2, bad))
        )
        wrong_values.append((f"{method} box={label}", call, name, fragment))
    for label, call, name, fragment in wrong_values:
        counted.add(count_as.get(label, ("wrong value", label)))
        try:
            call()
        except JsException as error:
            if error.name != name or fragment not in str(error.message):
                failures.append(f"{label}: expected {name} {fragment!r}, got {error.name}: {error.message}")
        else:
            failures.append(f"{label}: expected {name} {fragment!r}, nothing raised")
        if str(rust_image.brokenReason()):
            raise AssertionError(f"{label} trapped: {rust_image.brokenReason()}")
    image.free()
    assert failures == [], "\n".join(failures[:40])
    return len(counted)


def test_every_public_python_function_refuses_bad_input(selenium_rust):
    record_bad_input_cases("Python", python_api_matrix(selenium_rust, selenium_rust.browser == "node"))


def test_every_rust_export_refuses_bad_input_without_trapping(selenium_rust):
    record_bad_input_cases("Rust", rust_exports_matrix(selenium_rust))
