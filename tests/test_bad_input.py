"""The bad-input matrix: every public Python function and every rust_image
export, fed wrong types, negative, zero, huge and NaN numbers, points and
rectangles outside, buffers of the wrong length, closed images. Each case
must raise a specific exception whose message names the argument, must not
trap the module, and a follow-up call must still work. The count of cases
is added to pytest's closing summary (see conftest.py)."""

from conftest import record_bad_input_cases
from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas"])
def python_api_matrix(selenium):
    import asyncio

    import js
    import wasmcanvas
    from wasmcanvas import Canvas, ClosedImageError, Image, WasmMemory, animate, parse_colour
    from wasmcanvas import module as rust_module

    tried = 0
    failures = []
    image = Image(4, 3, fill=(10, 20, 30))
    other = Image(2, 2)
    closed = Image(1, 1)
    closed.close()
    memory = WasmMemory()
    canvas = Canvas.create(8, 8)

    def expect(call, exception, *fragments):
        nonlocal tried
        tried += 1
        try:
            call()
        except exception as error:
            message = str(error)
            missing = [f for f in fragments if f not in message]
            if missing:
                failures.append(f"{call.__name__ if hasattr(call, '__name__') else call}: {message!r} lacks {missing}")
        except BaseException as error:
            failures.append(f"expected {exception.__name__} {fragments}, got {type(error).__name__}: {error}")
        else:
            failures.append(f"expected {exception.__name__} {fragments}, nothing raised")
        if rust_module.broken_reason():
            failures.append(f"the module trapped on {fragments}")
        # The module still answers, and the image is still usable.
        with Image(1, 1, fill=(1, 2, 3)) as probe:
            if probe[0, 0] != (1, 2, 3, 255) or image.size != (4, 3):
                failures.append(f"the module stopped answering after {fragments}")

    wrong_types = ["3", None, [1], 2.5, True, object()]
    bad_numbers = [float("nan"), float("inf"), float("-inf")]

    # Sizes.
    for bad in wrong_types:
        expect(lambda: Image(bad, 2), TypeError, "width must be an int")
        expect(lambda: Image(2, bad), TypeError, "height must be an int")
        expect(lambda: image.resize(bad, 2), TypeError, "width must be an int")
        expect(lambda: image.crop(0, 0, 1, bad), TypeError, "rect height must be an int")
    for width, height, fragment in [
        (0, 1, "width and height must be at least 1, got 0x1"),
        (1, 0, "width and height must be at least 1, got 1x0"),
        (-1, 1, "width must be a whole number from 0 to 4294967295, got -1"),
        (16385, 1, "width must be at most 16384, got 16385"),
        (1, 16385, "height must be at most 16384, got 16385"),
        (8193, 8192, "the maximum image size is 67108864 pixels"),
        (2**40, 1, "width must be a whole number"),
    ]:
        expect(lambda: Image(width, height), ValueError, fragment)
        expect(lambda: image.resize(width, height), ValueError, fragment)
    for width, height, fragment in [(2**53, 1, "width must be within ±2**53"), (1, -(2**60), "height must be within ±2**53")]:
        expect(lambda: Image(width, height), ValueError, fragment)
        expect(lambda: image.resize(width, height), ValueError, fragment)

    # Numbers.
    for name, method in [("factor", image.brightness), ("factor", image.contrast), ("gamma", image.gamma), ("radius", image.blur), ("radius", image.box_blur)]:
        for bad in ["1", None, [1], True]:
            expect(lambda: method(bad), TypeError, f"{name} must be a number")
        for bad in bad_numbers + [-1]:
            expect(lambda: method(bad), ValueError, f"{name} must be")
    for method in (image.blur, image.box_blur):
        expect(lambda: method(1e300), ValueError, "radius must be a number from 0 to 10000")
    for bad in [-1, 256, 2**40]:
        expect(lambda: image.threshold(bad), ValueError, "level must be a number from 0 to 255")
    expect(lambda: image.threshold(1.5), TypeError, "level must be an int")
    for bad in [-1, 4, 99]:
        expect(lambda: image.extract_channel(bad), ValueError, "channel")
        expect(lambda: image.swap_channels(0, bad), ValueError, "second")
        expect(lambda: image.swap_channels(bad, 0), ValueError, "first")
    expect(lambda: image.gamma(0), ValueError, "gamma must be a finite number > 0, got 0")
    for degrees in [0, 45, -90, 360, "90", None]:
        expect(lambda: image.rotate(degrees), ValueError, "degrees must be 90, 180 or 270")
    for resample in ["cubic", "", None]:
        expect(lambda: image.resize(2, 2, resample=resample), ValueError, "resample must be 'bilinear' or 'nearest'")

    # Points and rectangles.
    for x, y in [(4, 0), (0, 3), (-5, 0), (0, -4), (10**9, 0)]:
        expect(lambda: image[x, y], IndexError, "is outside the 4x3 image")
        expect(lambda: image.__setitem__((x, y), (0, 0, 0)), IndexError, "is outside the 4x3 image")
        expect(lambda: image.flood_fill(x, y, (0, 0, 0)), (IndexError, ValueError), "x" if x else "y")
    for rect in [(0, 0, 5, 1), (3, 0, 2, 1), (0, 2, 1, 2), (0, 0, 0, 1), (2**32 - 1, 0, 2, 1)]:
        for method in (image.grayscale, image.invert, image.sepia, image.median, image.sharpen, image.histogram, image.mean_colour):
            expect(lambda: method(rect=rect), IndexError, "rectangle at", "does not fit in the 4x3 image")
        expect(lambda: image.fill((0, 0, 0), rect), IndexError, "does not fit")
        expect(lambda: image.crop(*rect), IndexError, "does not fit")
    for rect in [(1, 2), "0,0,1,1", 5, (0, 0, 1, "1")]:
        expect(lambda: image.invert(rect=rect), TypeError, "rect")
    for key in [0, "a", (0,), (0, 0, 0), (slice(0, 2), 1)]:
        expect(lambda: image[key], TypeError, "index an Image with [x, y] or [x0:x1, y0:y1]")
    expect(lambda: image[3:3, 0:1], IndexError, "is empty")
    expect(lambda: image[0:4:2, 0:1], ValueError, "image slices cannot have a step")

    # Colours.
    for colour, exception, fragment in [
        ((1, 2), ValueError, "a colour needs 3 or 4 components, got 2"),
        ((1, 2, 3, 4, 5), ValueError, "a colour needs 3 or 4 components, got 5"),
        ((1, 2, 300), ValueError, "colour component b must be in 0..255, got 300"),
        ((-1, 2, 3), ValueError, "colour component r must be in 0..255, got -1"),
        ((1.5, 2, 3), TypeError, "colour component r must be an int"),
        ("red", ValueError, "a colour string must look like"),
        ("#12345", ValueError, "a colour string must look like"),
        (5, TypeError, "a colour must be"),
        (None, TypeError, "a colour must be"),
    ]:
        expect(lambda: image.fill(colour), exception, fragment)
        expect(lambda: image.draw_line((0, 0), (1, 1), colour), exception, fragment)
        if colour is not None:
            expect(lambda: Image(1, 1, fill=colour), exception, fragment)
        expect(lambda: parse_colour(colour), exception, fragment)

    # Buffers.
    for data, fragment in [(b"", "got 0"), (bytes(47), "got 47"), (bytes(49), "got 49")]:
        expect(lambda: Image.from_bytes(4, 3, data), ValueError, "pixel data must be width*height*4 = 48 bytes long", fragment)
    for data in ["text", 12, None]:
        expect(lambda: Image.from_bytes(1, 1, data), TypeError, "data must be a bytes-like object")
    expect(lambda: Image.from_rgb(2, 1, bytes(5)), ValueError, "RGB data must be width*height*3 = 6 bytes long, got 5")
    expect(lambda: image.convolve([1] * 8), ValueError, "kernel must have 9 (3x3) or 25 (5x5) weights, got 8")
    expect(lambda: image.convolve(["a"] * 9), TypeError, "kernel weight must be a number")
    expect(lambda: image.convolve([1] * 9, scale=float("nan")), ValueError, "scale must be a finite number")
    expect(lambda: image.convolve([1] * 9, offset="x"), TypeError, "offset must be a number")

    # Memory.
    end = memory.byte_length
    for ptr, nbytes, exception, fragment in [
        (-1, 4, ValueError, "ptr must be at least 0"),
        (0, -4, ValueError, "nbytes must be at least 0"),
        (end, 1, IndexError, "beyond the end of wasm memory"),
        (end - 1, 2, IndexError, "beyond the end of wasm memory"),
        (2**40, 1, IndexError, "beyond the end of wasm memory"),
        ("0", 1, TypeError, "ptr must be an int"),
        (0, 1.0, TypeError, "nbytes must be an int"),
    ]:
        expect(lambda: memory.snapshot(ptr, nbytes), exception, fragment)
        expect(lambda: memory.read(ptr, nbytes), exception, fragment)
        expect(lambda: memory.view(ptr, nbytes), exception, fragment)
        expect(lambda: memory.js_view(ptr, nbytes), exception, fragment)
    expect(lambda: memory.write(end - 1, b"ab"), IndexError, "beyond the end of wasm memory")
    expect(lambda: memory.write(0, "ab"), TypeError, "data must be a bytes-like object")
    expect(lambda: memory.write(0, js.Float32Array.new(2)), TypeError, "a JS source must be a Uint8Array")
    expect(lambda: memory.snapshot(0, 8, shape=(3, 3)), ValueError, "shape (3, 3) holds 9 bytes, not 8")
    expect(lambda: memory.snapshot(0, 8, out=bytearray(4)), ValueError, "out holds 4 bytes, not 8")
    view = image.view()
    for index in [48, -49, 10**9]:
        expect(lambda: view[index], IndexError, "index out of range for a view of 48 bytes")
    for value, exception in [(256, ValueError), (-1, ValueError), ("a", TypeError), (1.5, TypeError)]:
        expect(lambda: view.__setitem__(0, value), exception, "a byte must")
    expect(lambda: view.__setitem__(slice(0, 4), b"abc"), ValueError, "cannot assign 3 bytes to a slice of 4")

    # Closed images.
    for use in [
        lambda: closed.invert(), lambda: closed.blur(1), lambda: closed.width, lambda: closed[0, 0],
        lambda: closed.pixels, lambda: closed.tobytes(), lambda: closed.view(), lambda: closed.copy(),
        lambda: image.paste(closed), lambda: image.blend(closed), lambda: canvas.blit(closed),
        lambda: canvas.draw_pixels(closed), lambda: closed.resize(2, 2), lambda: closed.histogram(),
    ]:
        expect(use, ClosedImageError, "this Image is closed")
    for bad in ["img", None, other.raw]:
        expect(lambda: image.paste(bad), TypeError, "can only paste an Image")
        expect(lambda: image.blend(bad), TypeError, "can only blend an Image")
        expect(lambda: canvas.blit(bad), TypeError, "can only blit an Image")
    expect(lambda: image.paste(image), ValueError, "cannot paste an image onto itself")
    expect(lambda: image.paste(other, 3, 0), IndexError, "does not fit")

    # Canvas and animation.
    for bad, exception, fragment in [(0, ValueError, "width must be at least 1"), (-3, ValueError, "width must be at least 1"), ("8", TypeError, "width must be an int")]:
        expect(lambda: canvas.resize(bad, 8), exception, fragment)
        expect(lambda: Canvas.create(bad, 8), exception, fragment)
    for bad in [0, -1, 1.5]:
        expect(lambda: setattr(canvas, "scale", bad), (ValueError, TypeError), "scale must")
    expect(lambda: canvas.draw_pixels(image, size=0), ValueError, "size must be at least 1")
    for target in ["#nowhere", "nothing-with-this-id"]:
        expect(lambda: Canvas.attach(target), LookupError, "no element matches")
    for target in [None, 42, "body"]:
        expect(lambda: Canvas.attach(target), (TypeError, LookupError), "")
    expect(lambda: canvas.on("scroll", print), ValueError, "unsupported event type 'scroll'")
    expect(lambda: canvas.on("click", "print"), TypeError, "callback must be callable")
    for fps in [0, -5, 1001, float("nan"), "30", True]:
        expect(lambda: animate(print, fps=fps), ValueError, "fps must be a number in (0, 1000]")
    expect(lambda: animate("step"), TypeError, "step must be callable")

    canvas.element.remove()
    image.close()
    other.close()
    assert wasmcanvas.live_proxy_count() == 0
    assert failures == [], "\n".join(failures[:40])
    return tried


@run_in_pyodide
def rust_exports_matrix(selenium):
    """Every RgbaImage, Life and Plasma export, each numeric parameter in turn
    replaced by NaN, -1, a huge number, a string, undefined and an object, the
    others valid. Parameter names come from the wasm-bindgen glue itself."""
    import re

    import js
    import rust_image
    from pyodide.ffi import JsException, to_js

    tried = 0
    failures = []
    nan = float("nan")
    bad_values = [nan, -1, 1e20, 2**52, "x", None, js.Object.new(), -0.5]
    not_numbers = {"bytes", "weights", "source", "image", "filled", "alive", "pattern"}

    def parameters(function):
        match = re.match(r"[^(]*\(([^)]*)\)", str(function.toString()))
        return [p.strip() for p in match.group(1).split(",") if p.strip()] if match else []

    def valid(name):
        if name == "weights":
            return js.Float32Array.new(to_js([0, 0, 0, 0, 1, 0, 0, 0, 0]))
        if name == "bytes":
            return js.Uint8Array.new(4 * 3 * 4)
        if name == "pattern":
            return "O"
        if name in ("filled", "alive"):
            return True
        if name in ("source", "image"):
            return None  # filled in per call below
        return 1

    targets = {
        "RgbaImage": lambda: rust_image.RgbaImage.new(4, 3),
        "Life": lambda: rust_image.Life.new(4, 3),
        "Plasma": lambda: rust_image.Plasma.new(),
    }
    skip = {"constructor", "free", "__destroy_into_raw", "ptr", "len", "is_empty", "cells_ptr", "population",
            "clear", "histogram", "mean_colour", "copy", "grayscale", "invert", "sepia", "premultiply_alpha",
            "unpremultiply_alpha", "sharpen", "edge_detect", "emboss", "smooth_more", "median",
            "flip_horizontal", "flip_vertical", "rotate90", "rotate180", "rotate270"}
    for class_name, make in targets.items():
        cls = getattr(rust_image, class_name)
        for method in js.Object.getOwnPropertyNames(cls.prototype):
            if method in skip:
                continue
            function = getattr(js.Object.getOwnPropertyDescriptor(cls.prototype, method), "value", None)
            if function is None or not callable(function):
                continue
            names = parameters(getattr(function, "wrapped", function))
            for position, name in enumerate(names):
                if name in not_numbers:
                    continue
                for bad in bad_values:
                    target, partner = make(), rust_image.RgbaImage.new(4, 3)
                    args = [partner if n in ("source", "image") else valid(n) for n in names]
                    args[position] = bad
                    tried += 1
                    try:
                        getattr(target, method)(*args)
                    except JsException as error:
                        if error.name != "Error":
                            failures.append(f"{class_name}.{method}({name}={bad!r}): {error.name}: {error}")
                        elif not str(rust_image.brokenReason()) == "":
                            failures.append(f"{class_name}.{method}({name}={bad!r}) trapped")
                    except Exception as error:
                        failures.append(f"{class_name}.{method}({name}={bad!r}): {type(error).__name__}: {error}")
                    if str(rust_image.brokenReason()):
                        raise AssertionError(f"{class_name}.{method}({name}={bad!r}) trapped: {rust_image.brokenReason()}")
                    target.free()
                    partner.free()
                    check = rust_image.RgbaImage.new(1, 1)
                    check.free()
    for name, call in [
        ("new(width=NaN)", lambda: rust_image.RgbaImage.new(nan, 1)),
        ("new(width=-1)", lambda: rust_image.RgbaImage.new(-1, 1)),
        ("new(max size + 1)", lambda: rust_image.RgbaImage.new(8193, 8192)),
        ("filled(alpha='x')", lambda: rust_image.RgbaImage.filled(1, 1, 0, 0, 0, "x")),
        ("from_rgba(short)", lambda: rust_image.RgbaImage.from_rgba(2, 2, js.Uint8Array.new(3))),
        ("from_rgba(not bytes)", lambda: rust_image.RgbaImage.from_rgba(1, 1, js.Object.new())),
        ("Life.new(0x0)", lambda: rust_image.Life.new(0, 0)),
        ("Life.new(huge)", lambda: rust_image.Life.new(1e9, 1e9)),
    ]:
        tried += 1
        try:
            call()
            failures.append(f"{name}: nothing raised")
        except JsException as error:
            if error.name != "Error" or str(rust_image.brokenReason()):
                failures.append(f"{name}: {error.name}: {error}")
    assert failures == [], "\n".join(failures[:40])
    return tried


def test_every_public_python_function_refuses_bad_input(selenium_rust):
    record_bad_input_cases(python_api_matrix(selenium_rust))


def test_every_rust_export_refuses_bad_input_without_trapping(selenium_rust):
    record_bad_input_cases(rust_exports_matrix(selenium_rust))
