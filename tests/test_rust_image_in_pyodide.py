"""Every `rust_image` export called from Python inside Pyodide, with its
outcome read back from wasm memory, and bad input that must raise a JS `Error`
naming the problem, never trap the module."""

from pytest_pyodide import run_in_pyodide


@run_in_pyodide
def test_every_rgba_image_export_is_called_and_checked(selenium_rust):
    import struct

    import js
    import rust_image
    from pyodide.ffi import to_js

    RgbaImage = rust_image.RgbaImage

    def pixels(image):
        return list(js.Uint8Array.new(rust_image.memory.buffer, image.ptr(), image.len()).to_py())

    def values(layout, *numbers):
        """A 3x2 image whose pixels hold ``numbers`` packed as ``layout``."""
        return RgbaImage.from_bytes("RGBA", 3, 2, to_js(struct.pack(layout, *numbers)))

    def make():
        # 3x2: red, green, blue / white, black, translucent grey
        data = [255, 0, 0, 255, 0, 255, 0, 255, 0, 0, 255, 255, 255, 255, 255, 255, 0, 0, 0, 255, 100, 100, 100, 128]
        return RgbaImage.from_bytes("RGBA", 3, 2, to_js(bytes(data)))

    # Brute-force references for the filters, in Python floats: Pillow's
    # definitions on all four channels (kernel row r meets image row
    # y + size//2 - r; border of size//2 kept; rank filters with edges
    # extended).
    W, H = 9, 8
    TRANSLUCENT = bytes((i * 53 + (i // 4) * 29) % 256 for i in range(W * H * 4))
    RECT = (2, 1, 6, 5)
    CUSTOM_3X3 = [1, 2, 1, 0, -1, 0, -2, 3, 0.5]
    CUSTOM_5X5 = [((i * 7) % 5) - 2 for i in range(25)]
    # Pillow's ImageFilter built-ins: weights, scale, offset.
    RING = [1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1]
    BUILTINS = {
        "BLUR": (RING, 16, 0),
        "CONTOUR": ([-1, -1, -1, -1, 8, -1, -1, -1, -1], 1, 255),
        "DETAIL": ([0, -1, 0, -1, 10, -1, 0, -1, 0], 6, 0),
        "EDGE_ENHANCE": ([-1, -1, -1, -1, 10, -1, -1, -1, -1], 2, 0),
        "EDGE_ENHANCE_MORE": ([-1, -1, -1, -1, 9, -1, -1, -1, -1], 1, 0),
        "EMBOSS": ([-1, 0, 0, 0, 1, 0, 0, 0, 0], 1, 128),
        "FIND_EDGES": ([-1, -1, -1, -1, 8, -1, -1, -1, -1], 1, 0),
        "SHARPEN": ([-2, -2, -2, -2, 32, -2, -2, -2, -2], 16, 0),
        "SMOOTH": ([1, 1, 1, 1, 5, 1, 1, 1, 1], 13, 0),
        "SMOOTH_MORE": ([1, 1, 1, 1, 1, 1, 5, 5, 5, 1, 1, 5, 44, 5, 1, 1, 5, 5, 5, 1, 1, 1, 1, 1, 1], 100, 0),
    }

    BOX_BLURRED = [170, 113, 57, 255, 96, 96, 96, 241, 22, 79, 136, 227]
    BOX_BLURRED += [170, 142, 113, 255, 107, 107, 107, 227, 45, 73, 101, 198]
    GAUSSIAN_BLURRED = [127, 104, 108, 237, 112, 98, 112, 232, 96, 92, 115, 228]
    GAUSSIAN_BLURRED += [128, 106, 109, 236, 112, 100, 112, 231, 97, 94, 116, 226]
    BOX_BLURRED_ACROSS = [170, 85, 0, 255, 85, 85, 85, 255, 0, 85, 170, 255]
    BOX_BLURRED_ACROSS += [170, 170, 170, 255, 118, 118, 118, 213, 67, 67, 67, 170]
    GAUSSIAN_BLURRED_DOWN = [255, 125, 125, 255, 0, 130, 0, 255, 49, 49, 179, 193]
    GAUSSIAN_BLURRED_DOWN += [255, 130, 130, 255, 0, 125, 0, 255, 51, 51, 176, 190]

    def weights(values):
        return js.Float32Array.new(to_js(values))

    def reference(data, width, height, spec):
        out = bytearray(data)
        at = lambda x, y, c: data[(y * width + x) * 4 + c]  # noqa: E731
        if spec[0] == "rank":
            _, size, rank = spec
            offsets = range(-(size // 2), size // 2 + 1)
            for y in range(height):
                for x in range(width):
                    for c in range(4):
                        values = sorted(
                            at(min(max(x + dx, 0), width - 1), min(max(y + dy, 0), height - 1), c)
                            for dy in offsets
                            for dx in offsets
                        )
                        out[(y * width + x) * 4 + c] = values[rank]
            return bytes(out)
        _, kernel, scale, offset = spec
        size = 3 if len(kernel) == 9 else 5
        half = size // 2
        scale = scale or sum(kernel) or 1
        if width < size or height < size:
            return bytes(out)
        for y in range(half, height - half):
            for x in range(half, width - half):
                for c in range(4):
                    total = sum(
                        kernel[r * size + k] * at(x + k - half, y + half - r, c)
                        for r in range(size)
                        for k in range(size)
                    )
                    out[(y * width + x) * 4 + c] = int(min(max(total / scale + offset + 0.5, 0), 255))
        return bytes(out)

    def filtered(method, args, spec, rect=None):
        """Runs `method` on the 9x8 image; compares with the reference, on the
        rectangle's own pixels (its edges as the image's) inside it and the
        original outside. Within 1: Python sums in doubles, Rust in floats."""
        image = RgbaImage.from_bytes("RGBA", W, H, to_js(TRANSLUCENT))
        getattr(image, method)(*args, R(*rect) if rect else None)
        got = js.Uint8Array.new(rust_image.memory.buffer, image.ptr(), image.len()).to_bytes()
        image.free()
        expected = bytearray(TRANSLUCENT)
        x0, y0, width, height = rect or (0, 0, W, H)
        region = b"".join(TRANSLUCENT[((y0 + y) * W + x0) * 4 : ((y0 + y) * W + x0 + width) * 4] for y in range(height))
        done = reference(region, width, height, spec)
        for y in range(height):
            expected[((y0 + y) * W + x0) * 4 : ((y0 + y) * W + x0 + width) * 4] = done[
                y * width * 4 : (y + 1) * width * 4
            ]
        changed = got != TRANSLUCENT
        return changed and all(abs(a - b) <= 1 for a, b in zip(got, expected, strict=True))

    def filtered_copy(method, args, in_place):
        """`method` makes a new image of what `in_place` makes of a copy (the
        9x8 image, whole), and leaves its own image as it was."""
        image = RgbaImage.from_bytes("RGBA", W, H, to_js(TRANSLUCENT))
        made = getattr(image, method)(*args)
        copy = image.copy()
        getattr(copy, in_place)(*args, None)
        same = pixels(made) == pixels(copy) != list(TRANSLUCENT)
        kept = pixels(image) == list(TRANSLUCENT) and (made.width, made.height) == (W, H)
        for each in (image, made, copy):
            each.free()
        return same and kept

    def freed(image):
        try:
            image.ptr()
        except Exception as error:
            return "null pointer passed to rust" in str(error)
        return False

    def OTHER():
        return RgbaImage.filled(2, 1, 100, 100, 100, 100)

    def px(image, x, y):
        return list(image.get_pixel(x, y).to_py())

    def R(x, y, width, height):
        """An operation's `rect` argument: a JS array."""
        return to_js([x, y, width, height])

    def check_grayscale(image):
        image.grayscale()
        assert px(image, 0, 0) == [76, 76, 76, 255]

    def check_invert(image):
        image.invert()
        assert px(image, 0, 0) == [0, 255, 255, 255]
        assert px(image, 2, 1) == [155, 155, 155, 128]

    checks = {
        "ptr": lambda image: image.ptr() > 0,
        "len": lambda image: image.len() == 24,
        "is_empty": lambda image: image.is_empty() is False,
        "width": lambda image: image.width == 3,
        "height": lambda image: image.height == 2,
        "stride": lambda image: image.stride == 12,
        "get_pixel": lambda image: px(image, 1, 0) == [0, 255, 0, 255],
        "set_pixel": lambda image: (image.set_pixel(1, 1, 9, 8, 7, 6), px(image, 1, 1) == [9, 8, 7, 6])[1],
        "pixel_word": lambda image: image.pixel_word(1, 0) == 0xFF00FF00 and image.pixel_word(3, 0) is None,
        "set_pixel_word": lambda image: all(
            (
                image.set_pixel_word(1, 1, 0x06070809) is True,
                image.set_pixel_word(0, 2, 0) is False,
                pixels(image) == [*pixels(make())[:16], 9, 8, 7, 6, *pixels(make())[20:]],
            )
        ),
        "fill": lambda image: (image.fill(1, 2, 3, 4), pixels(image) == [1, 2, 3, 4] * 6)[1],
        "fill rect": lambda image: (
            image.fill(5, 5, 5, 5, R(2, 0, 9, 2)),
            px(image, 2, 1) == [5] * 4 and px(image, 1, 1) == [0, 0, 0, 255],
        )[1],
        "crop": lambda image: pixels(image.crop(R(1, 1, 2, 1))) == [0, 0, 0, 255, 100, 100, 100, 128],
        "crop outside": lambda image: pixels(image.crop(R(2, -1, 2, 2))) == [0] * 8 + [0, 0, 255, 255] + [0] * 4,
        "copy": lambda image: pixels(image.copy()) == pixels(image) and image.copy().ptr() != image.ptr(),
        "paste": lambda image: (image.paste(RgbaImage.filled(1, 1, 7, 7, 7, 7), 0, 1), px(image, 0, 1) == [7] * 4)[1],
        "paste clipped": lambda image: (
            image.paste(RgbaImage.filled(2, 2, 7, 7, 7, 7), 2, -1),
            pixels(image) == [*pixels(make())[:8], 7, 7, 7, 7, *pixels(make())[12:]],
        )[1],
        "paste itself": lambda image: (
            image.paste(image, 1, 0),
            pixels(image)[4:12] == pixels(make())[:8] and pixels(image)[16:24] == pixels(make())[12:20],
        )[1],
        "grayscale": lambda image: (check_grayscale(image), True)[1],
        "grayscale rect": lambda image: (
            image.grayscale(R(1, 0, 1, 1)),
            px(image, 1, 0) == [150, 150, 150, 255] and px(image, 0, 0) == [255, 0, 0, 255],
        )[1],
        "invert": lambda image: (check_invert(image), True)[1],
        "invert rect": lambda image: (
            image.invert(R(0, 1, 1, 1)),
            px(image, 0, 1) == [0, 0, 0, 255] and px(image, 0, 0) == [255, 0, 0, 255],
        )[1],
        "brightness": lambda image: (image.brightness(0.5), px(image, 0, 0) == [127, 0, 0, 255])[1],
        "brightness rect": lambda image: (
            image.brightness(0, R(0, 0, 1, 1)),
            px(image, 0, 0) == [0, 0, 0, 255] and px(image, 1, 0) == [0, 255, 0, 255],
        )[1],
        "contrast": lambda image: (
            image.contrast(0),
            len({tuple(px(image, x, y)[:3]) for x in range(3) for y in range(2)}) == 1,
        )[1],
        "contrast rect": lambda image: (
            image.contrast(0, R(0, 1, 2, 1)),
            px(image, 0, 1)[:3] == px(image, 1, 1)[:3] == [128, 128, 128],
        )[1],
        "gamma": lambda image: (image.gamma(2), px(image, 2, 1) == [160, 160, 160, 128])[1],
        "gamma rect": lambda image: (image.gamma(0.5, R(2, 1, 1, 1)), px(image, 2, 1) == [39, 39, 39, 128])[1],
        "threshold": lambda image: (
            image.threshold(100),
            px(image, 1, 0) == [255, 255, 255, 255] and px(image, 0, 0) == [0, 0, 0, 255],
        )[1],
        "threshold rect": lambda image: (
            image.threshold(50, R(0, 0, 1, 1)),
            px(image, 0, 0) == [255, 255, 255, 255] and px(image, 2, 0) == [0, 0, 255, 255],
        )[1],
        "sepia": lambda image: (image.sepia(), px(image, 0, 1) == [255, 255, 239, 255])[1],
        "sepia rect": lambda image: (
            image.sepia(R(2, 1, 1, 1)),
            px(image, 2, 1) == [135, 120, 94, 128] and px(image, 0, 1) == [255] * 4,
        )[1],
        "put_alpha": lambda image: (
            image.put_alpha(7),
            pixels(image) == [v if i % 4 < 3 else 7 for i, v in enumerate(pixels(make()))],
        )[1],
        "swap_channels": lambda image: (image.swap_channels(0, 2), px(image, 0, 0) == [0, 0, 255, 255])[1],
        "swap_channels rect": lambda image: (
            image.swap_channels(0, 3, R(2, 1, 1, 1)),
            px(image, 2, 1) == [128, 100, 100, 100],
        )[1],
        "extract_channel": lambda image: (image.extract_channel(3), px(image, 2, 1) == [128, 128, 128, 255])[1],
        "extract_channel rect": lambda image: (
            image.extract_channel(1, R(1, 0, 1, 1)),
            px(image, 1, 0) == [255] * 4 and px(image, 0, 0) == [255, 0, 0, 255],
        )[1],
        "premultiply_alpha": lambda image: (image.premultiply_alpha(), px(image, 2, 1) == [50, 50, 50, 128])[1],
        "premultiply_alpha rect": lambda image: (
            image.premultiply_alpha(R(2, 1, 1, 1)),
            px(image, 2, 1) == [50, 50, 50, 128],
        )[1],
        "unpremultiply_alpha": lambda image: (
            image.premultiply_alpha(),
            image.unpremultiply_alpha(),
            px(image, 2, 1) == [99, 99, 99, 128],
        )[2],
        "unpremultiply_alpha rect": lambda image: (
            image.premultiply_alpha(),
            image.unpremultiply_alpha(R(2, 1, 1, 1)),
            px(image, 2, 1) == [99, 99, 99, 128],
        )[2],
        # Blurs: Pillow's BoxBlur(1), BoxBlur((1, 0)), GaussianBlur(2),
        # GaussianBlur((0, 2)) and, on the rectangle's crop, BoxBlur(1) and
        # GaussianBlur(5) give these bytes (see also test_kernels_vs_pillow.py
        # on larger images).
        "box_blur": lambda image: (
            image.box_blur(1, 1),
            pixels(image) == BOX_BLURRED,
        )[1],
        "box_blur across": lambda image: (
            image.box_blur(1, 0),
            pixels(image) == BOX_BLURRED_ACROSS,
        )[1],
        "box_blur rect": lambda image: (
            image.box_blur(1, 1, R(0, 0, 2, 1)),
            pixels(image) == [170, 85, 0, 255, 85, 170, 0, 255, *pixels(make())[8:]],
        )[1],
        # Pillow's core box_blur((x, y), n): one pass is BoxBlur; passes
        # across only are repeated BoxBlur((x, 0)).
        "box_blur_passes": lambda image: (
            image.box_blur_passes(1, 1, 1),
            pixels(image) == BOX_BLURRED,
        )[1],
        "box_blur_passes across": lambda image: (
            image.box_blur_passes(1, 0, 2),
            (lambda again: (again.box_blur(1, 0), again.box_blur(1, 0), pixels(image) == pixels(again))[2])(make()),
        )[1],
        "gaussian_blur": lambda image: (
            image.gaussian_blur(2, 2),
            pixels(image) == GAUSSIAN_BLURRED,
        )[1],
        "gaussian_blur down": lambda image: (
            image.gaussian_blur(0, 2),
            pixels(image) == GAUSSIAN_BLURRED_DOWN,
        )[1],
        "gaussian_blur rect": lambda image: (
            image.gaussian_blur(5, 5, R(0, 1, 3, 1)),
            pixels(image) == [*pixels(make())[:12], 160, 160, 160, 199, 160, 160, 160, 198, 159, 159, 159, 197],
        )[1],
        # Filters: on a 9x8 translucent image, against the brute-force
        # references above; with a `rect`, inside the rectangle only.
        "convolve": lambda image: filtered("convolve", (weights(CUSTOM_3X3), 3, 10), ("kernel", CUSTOM_3X3, 3, 10)),
        "convolved": lambda image: filtered_copy("convolved", (weights(CUSTOM_3X3), 3, 10), "convolve"),
        "builtin_filtered": lambda image: filtered_copy("builtin_filtered", ("SHARPEN",), "builtin_filter"),
        "rank_filtered": lambda image: all(
            filtered_copy("rank_filtered", (size, rank), "rank_filter") for size, rank in [(3, 4), (5, 0), (5, 12)]
        ),
        "convolve rect": lambda image: filtered(
            "convolve", (weights(CUSTOM_5X5), 0, -20), ("kernel", CUSTOM_5X5, 0, -20), RECT
        ),
        **{
            f"builtin_filter {name}": lambda image, name=name, spec=spec: filtered(
                "builtin_filter", (name,), ("kernel", *spec)
            )
            for name, spec in BUILTINS.items()
        },
        **{
            f"builtin_filter rect {name}": lambda image, name=name, spec=spec: filtered(
                "builtin_filter", (name,), ("kernel", *spec), RECT
            )
            for name, spec in BUILTINS.items()
        },
        # Rank filters: the median's network, min and max, any rank by
        # histogram, and a window wider than the rectangle.
        **{
            f"rank_filter {size} {rank}": lambda image, size=size, rank=rank: filtered(
                "rank_filter", (size, rank), ("rank", size, rank)
            )
            for size, rank in [(3, 4), (5, 0), (5, 24), (5, 12), (7, 20), (3, 1)]
        },
        **{
            f"rank_filter rect {size} {rank}": lambda image, size=size, rank=rank: filtered(
                "rank_filter", (size, rank), ("rank", size, rank), RECT
            )
            for size, rank in [(3, 4), (9, 0), (9, 80), (9, 50)]
        },
        # Transposes by Pillow's number: each output names where its (0, 0)
        # and its size come from (0 1 2 / 3 4 5 as red, green, blue / white,
        # black, grey).
        # Rotations and transforms: the sizes and bytes Pillow's rotate and
        # transform give for the same 3x2 image.
        "rotate": lambda image: (
            (lambda turned: (turned.width, turned.height, pixels(turned)))(image.rotate(90, 0, False, None, None, None))
            == (3, 2, [0, 0, 255, 255, 100, 100, 100, 128, 0, 0, 0, 0, 0, 255, 0, 255, 0, 0, 0, 255, 0, 0, 0, 0])
        ),
        "rotate expand": lambda image: (
            (lambda turned: (turned.width, turned.height, pixels(turned)[28:36]))(
                image.rotate(45, 2, True, None, None, to_js([0, 0, 255, 255]))
            )
            == (5, 4, [2, 147, 81, 248, 73, 73, 139, 146])
        ),
        "rotate half": lambda image: (
            pixels(image.rotate(-180, 3, False, None, None, None))
            == [100, 100, 100, 128, 0, 0, 0, 255, *[255] * 4, 0, 0, 255, 255, 0, 255, 0, 255, 255, 0, 0, 255]
        ),
        "transform": lambda image: (
            pixels(image.transform(2, 2, 1, to_js([1, 0, 3, 2]), 0, None))
            == [0, 255, 0, 255, 0, 0, 255, 255, 0, 0, 0, 255, 100, 100, 100, 128]
        ),
        "transform bicubic": lambda image: (
            pixels(image.transform(2, 1, 0, to_js([1, 0, 0.5, 0, 1, 0.5]), 3, None))
            == [124, 140, 44, 255, 0, 86, 68, 223]
        ),
        "transpose": lambda image: all(
            (lambda turned: (turned.width, turned.height, px(turned, 0, 0)) == expected)(image.transpose(method))
            for method, expected in [
                (0, (3, 2, [0, 0, 255, 255])),
                (1, (3, 2, [255] * 4)),
                (2, (2, 3, [0, 0, 255, 255])),
                (3, (3, 2, [100, 100, 100, 128])),
                (4, (2, 3, [255] * 4)),
                (5, (2, 3, [255, 0, 0, 255])),
                (6, (2, 3, [100, 100, 100, 128])),
            ]
        ),
        "resize": lambda image: (
            (lambda nearest: (nearest.width, nearest.height) == (6, 4) and px(nearest, 5, 3) == [100, 100, 100, 128])(
                image.resize(6, 4, 0)
            )
            and (lambda same: pixels(same) == pixels(image))(image.resize(3, 2, 2))
            and (lambda flat: pixels(flat) == [10, 20, 30, 255] * 35)(
                (image.fill(10, 20, 30, 255), image.resize(5, 7, 2))[1]
            )
        ),
        # 3x2 halved (sizes rounded up), as Pillow gives it: the last column is
        # the premultiplied mean of blue and translucent grey.
        "reduce": lambda image: (
            lambda half: (half.width, half.height) == (2, 1) and px(half, 1, 0) == [33, 33, 203, 192]
        )(image.reduce(2, 2)),
        "reduce box": lambda image: (lambda part: pixels(part) == pixels(make())[8:12])(
            image.reduce(1, 1, R(2, 0, 3, 1))
        ),
        "thumbnail": lambda image: (
            (lambda small: (small.width, small.height) == (2, 1))(image.thumbnail(2, 2, 3, 2.0))
            and (lambda same: pixels(same) == pixels(image))(image.thumbnail(10, 10, 3))
        ),
        # Drawing as Pillow's ImageDraw (see test_kernels_vs_pillow.py for
        # every shape against Pillow).
        "draw_points": lambda image: (
            image.draw_points(to_js([0, 0, 2.9, 1, 7, 7]), to_js([5] * 4)),
            px(image, 0, 0) == [5] * 4 and px(image, 2, 1) == [5] * 4 and px(image, 1, 1) == [0, 0, 0, 255],
        )[1],
        # Blended as Pillow's Draw(rgb_image, "RGBA"): red, green and blue
        # mixed by the ink's alpha with Pillow's rounding (BLEND(128, 100,
        # 255) is 178, BLEND(128, 100, 0) is 50), alpha kept.
        "draw_points blended": lambda image: (
            image.draw_points(to_js([2, 1]), to_js([255, 0, 0, 128]), True),
            px(image, 2, 1) == [178, 50, 50, 128] and pixels(image)[:20] == pixels(make())[:20],
        )[1],
        # A square path (move, three lines, close), filled.
        "draw_outline": lambda image: (
            image.draw_outline(
                to_js([0] * 7 + [1, 2, 0, 0, 0, 0, 0, 1, 2, 1, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 0, 3] + [0] * 6),
                to_js([7] * 4),
                False,
            ),
            pixels(image) == [7] * 24,
        )[1],
        "draw_lines": lambda image: (
            image.draw_lines(to_js([0, 0, 2, 1]), to_js([1] * 4), 1),
            px(image, 0, 0) == [1] * 4 and px(image, 2, 1) == [1] * 4,
        )[1],
        "draw_lines wide": lambda image: (
            image.draw_lines(to_js([0, 0, 2, 0]), to_js([1] * 4), 3),
            pixels(image) == [1] * 24,
        )[1],
        "draw_rectangle": lambda image: (
            image.draw_rectangle(to_js([-5, -5, 100, 100]), to_js([3] * 4), None, 1),
            pixels(image) == [3] * 24,
        )[1],
        "draw_rectangle outline": lambda image: (
            image.draw_rectangle(to_js([0, 0, 2, 1]), None, to_js([3] * 4), 1),
            pixels(image) == [3] * 24,
        )[1],
        "draw_polygon": lambda image: (
            image.draw_polygon(to_js([0, 0, 2, 0, 0, 1]), to_js([6] * 4), None, 1),
            pixels(image) == [6] * 12 + [6] * 4 + pixels(make())[16:],
        )[1],
        "draw_ellipse": lambda image: (
            image.draw_ellipse(to_js([0, 0, 2, 1]), None, to_js([4] * 4), 1),
            pixels(image) == [4] * 24,
        )[1],
        "draw_arc": lambda image: (
            image.draw_arc(to_js([0, 0, 2, 1]), 0, 180, to_js([4] * 4), 1),
            pixels(image)[:12] == pixels(make())[:12] and px(image, 1, 1) == [4] * 4,
        )[1],
        "draw_chord": lambda image: (
            image.draw_chord(to_js([0, 0, 2, 1]), 180, 360, to_js([4] * 4), None, 1),
            px(image, 1, 0) == [4] * 4 and pixels(image)[12:] == pixels(make())[12:],
        )[1],
        "draw_pieslice": lambda image: (
            image.draw_pieslice(to_js([0, 0, 2, 1]), 0, 360, to_js([4] * 4), None, 1),
            pixels(image) == [4] * 24,
        )[1],
        "draw_rounded_rectangle": lambda image: (
            image.draw_rounded_rectangle(to_js([0, 0, 2, 1]), 0, to_js([4] * 4), None, 1, None),
            pixels(image) == [4] * 24,
        )[1],
        "alpha_composite": lambda image: (
            image.alpha_composite(RgbaImage.filled(1, 1, 0, 0, 255, 255), 0, 0),
            image.alpha_composite(RgbaImage.filled(3, 2, 0, 0, 0, 0), 0, 0),
            px(image, 0, 0) == [0, 0, 255, 255] and pixels(image)[4:] == pixels(make())[4:],
        )[2],
        "to_bytes": lambda image: list(image.to_bytes("L").to_py()) == [76, 150, 29, 255, 0, 100],
        "to_bytes rect": lambda image: list(image.to_bytes("LA", R(2, 1, 5, 5)).to_py()) == [100, 128],
        "point": lambda image: (
            image.point(js.Uint8Array.new(to_js([255 - v for v in range(256)] + list(range(256)) * 3))),
            px(image, 0, 0) == [0, 0, 0, 255] and px(image, 2, 1) == [155, 100, 100, 128],
        )[1],
        "autocontrast": lambda image: (
            image.fill(50, 50, 50, 255),
            image.fill(150, 150, 150, 9, R(0, 0, 1, 1)),
            image.autocontrast(0, 0, None, False),
            px(image, 0, 0) == [255, 255, 255, 9] and px(image, 2, 1) == [0, 0, 0, 255],
        )[3],
        # Counted only where the mask's red is not 0: the 150 pixel alone
        # stretches nothing; with the 50s it does as above.
        "masked_autocontrast": lambda image: (
            (
                image.fill(50, 50, 50, 255),
                image.fill(150, 150, 150, 9, R(0, 0, 1, 1)),
                image.masked_autocontrast(RgbaImage.filled(3, 2, 0, 0, 0, 255), 0, 0, None, False),
                px(image, 0, 0) == [150, 150, 150, 9] and px(image, 2, 1) == [50, 50, 50, 255],
                image.masked_autocontrast(RgbaImage.filled(3, 2, 1, 0, 0, 0), 0, 0, None, False),
                px(image, 0, 0) == [255, 255, 255, 9] and px(image, 2, 1) == [0, 0, 0, 255],
            )[3::2]
            == (True, True)
        ),
        # 400 pixels at 10 and 100 at 200: equalizing sends them to 0 and 255.
        "equalize": lambda _: (
            lambda flat: (
                flat.fill(200, 200, 200, 255, R(0, 0, 25, 4)),
                flat.equalize(),
                px(flat, 0, 0) == [255, 255, 255, 255] and px(flat, 0, 19) == [0, 0, 0, 255],
            )[2]
        )(RgbaImage.filled(25, 20, 10, 10, 10, 255)),
        # Counted only over the 200s, one level: nothing to spread; counted
        # everywhere, as equalize.
        "masked_equalize": lambda _: (
            lambda flat, mask: (
                (
                    flat.fill(200, 200, 200, 255, R(0, 0, 25, 4)),
                    mask.fill(1, 0, 0, 0, R(0, 0, 25, 4)),
                    flat.masked_equalize(mask),
                    px(flat, 0, 0) == [200, 200, 200, 255] and px(flat, 0, 19) == [10, 10, 10, 255],
                    mask.fill(1, 0, 0, 0),
                    flat.masked_equalize(mask),
                    px(flat, 0, 0) == [255, 255, 255, 255] and px(flat, 0, 19) == [0, 0, 0, 255],
                )[3::3]
                == (True, True)
            )
        )(RgbaImage.filled(25, 20, 10, 10, 10, 255), RgbaImage.new(25, 20)),
        "posterize": lambda image: (
            image.posterize(1),
            px(image, 0, 0) == [128, 0, 0, 255] and px(image, 2, 1) == [0, 0, 0, 128],
        )[1],
        "solarize": lambda image: (
            image.solarize(128),
            px(image, 0, 0) == [0, 0, 0, 255] and px(image, 2, 1) == [100, 100, 100, 128],
        )[1],
        "colorize": lambda image: (
            image.colorize(to_js([10, 20, 30]), to_js([200, 210, 220]), None, 0, 255, 127),
            px(image, 0, 1) == [200, 210, 220, 255] and px(image, 1, 1) == [10, 20, 30, 255],
        )[1],
        "saturation": lambda image: (image.saturation(0), px(image, 0, 0) == [76, 76, 76, 255])[1],
        # The centre of a 3x3 image smoothed: (13 * 5) / 13.
        "sharpness": lambda image: (
            (
                image.sharpness(1),
                pixels(image) == pixels(make()),
            )[1]
            and (
                lambda square: (
                    square.set_pixel(1, 1, 13, 13, 13, 255),
                    square.sharpness(0),
                    px(square, 1, 1) == [5, 5, 5, 255],
                )[2]
            )(RgbaImage.filled(3, 3, 0, 0, 0, 255))
        ),
        # Two-image operations with a 2x1 image of (100, 100, 100, 100): only
        # the two pixels both images have change, every byte by Pillow's formula.
        "add": lambda image: (
            image.add(OTHER(), 2, 0),
            px(image, 0, 0) == [177, 50, 50, 177] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "subtract": lambda image: (
            image.subtract(OTHER(), 1, 0),
            px(image, 0, 0) == [155, 0, 0, 155] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "add_modulo": lambda image: (
            image.add_modulo(OTHER()),
            px(image, 0, 0) == [99, 100, 100, 99] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "subtract_modulo": lambda image: (
            image.subtract_modulo(OTHER()),
            px(image, 0, 0) == [155, 156, 156, 155] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "multiply": lambda image: (
            image.multiply(OTHER()),
            px(image, 0, 0) == [100, 0, 0, 100] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "screen": lambda image: (
            image.screen(OTHER()),
            px(image, 0, 0) == [255, 100, 100, 255] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "difference": lambda image: (
            image.difference(OTHER()),
            px(image, 0, 0) == [155, 100, 100, 155] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "lighter": lambda image: (
            image.lighter(OTHER()),
            px(image, 0, 0) == [255, 100, 100, 255] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "darker": lambda image: (
            image.darker(OTHER()),
            px(image, 0, 0) == [100, 0, 0, 100] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "overlay": lambda image: (
            image.overlay(OTHER()),
            px(image, 0, 0) == [255, 0, 0, 255] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "hard_light": lambda image: (
            image.hard_light(OTHER()),
            px(image, 0, 0) == [200, 0, 0, 200] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "soft_light": lambda image: (
            image.soft_light(OTHER()),
            px(image, 0, 0) == [255, 0, 0, 255] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "blend": lambda image: (
            image.blend(OTHER(), 0.5),
            px(image, 0, 0) == [177, 50, 50, 177] and pixels(image)[8:] == pixels(make())[8:],
        )[1],
        "composite": lambda image: (
            image.composite(RgbaImage.filled(1, 1, 10, 20, 30, 40), RgbaImage.filled(1, 1, 0, 0, 0, 255), 2, 1),
            px(image, 2, 1) == [10, 20, 30, 40] and pixels(image)[:20] == pixels(make())[:20],
        )[1],
        "masked_histogram": lambda image: (
            sum(image.masked_histogram(RgbaImage.filled(3, 2, 0, 0, 0, 255)).to_py()) == 0
            and list(image.masked_histogram(RgbaImage.filled(3, 2, 1, 0, 0, 0)).to_py())
            == list(image.histogram().to_py())
        ),
        "put_channel": lambda image: (
            image.put_channel(make(), 0, 3),
            [pixels(image)[i] for i in range(3, len(pixels(image)), 4)]
            == [pixels(make())[i] for i in range(0, len(pixels(make())), 4)],
        )[1],
        # From itself: the source is read before it is written.
        "put_channel itself": lambda image: (
            image.put_channel(image, 0, 3),
            [pixels(image)[i] for i in range(3, len(pixels(image)), 4)]
            == [pixels(make())[i] for i in range(0, len(pixels(make())), 4)],
        )[1],
        "flood_fill": lambda image: (
            image.flood_fill(0, 0, to_js([1, 2, 3, 4]), None, 0) == 1 and px(image, 0, 0) == [1, 2, 3, 4]
        ),
        "flood_fill outside": lambda image: (
            image.flood_fill(3, 0, to_js([1, 2, 3, 4]), None, 0) == 0 and pixels(image) == pixels(make())
        ),
        # Every pixel is within 510 of red (summed channel differences);
        # within 509 of green are black and grey, below it.
        "flood_fill thresh": lambda image: (
            image.flood_fill(0, 0, to_js([0, 255, 255, 0]), None, 510) == 6
            and make().flood_fill(1, 0, to_js([7] * 4), None, 509) == 3
        ),
        "flood_fill border": lambda image: image.flood_fill(0, 0, to_js([9] * 4), to_js([0, 0, 255, 255]), 0) == 5,
        "histogram": lambda image: (lambda h: len(h) == 1024 and h[255] == 2 and h[768 + 128] == 1)(
            list(image.histogram().to_py())
        ),
        "histogram rect": lambda image: (lambda h: sum(h[:256]) == 2)(list(image.histogram(R(0, 0, 2, 1)).to_py())),
        # Four bytes a pixel as one int32 ("I") or float32 ("F"), as
        # ImageMath stores them: int32 arithmetic wraps, as Pillow's C.
        "math_binary": lambda image: (
            pixels(
                values("<6i", 3, -7, 2**31 - 1, 0, 7, -3).math_binary(values("<6i", 1, 3, -1, 0, 0, 2), "sub", False)
            )
            == list(struct.pack("<6i", 2, -10, -(2**31), 0, 7, -5))
            and pixels(values("<6f", 1, 2, 3, 4, 5, 6).math_binary(values("<6f", 2, 0, 3, 8, 1, 4), "div", True))
            == list(struct.pack("<6f", 0.5, 0, 1, 0.5, 5, 1.5))
        ),
        "math_unary": lambda image: (
            pixels(values("<6i", -5, 5, -(2**31), 0, 1, -1).math_unary("abs", False))
            == list(struct.pack("<6i", 5, 5, -(2**31), 0, 1, 1))
            and pixels(values("<6f", -1.5, 2, 0, 3, -4, 8).math_unary("neg", True))
            == list(struct.pack("<6f", 1.5, -2, -0.0, -3, 4, -8))
        ),
        "mean_colour": lambda image: image.mean_colour().to_py()[0] == (255 + 255 + 100) / 6,
        "mean_colour rect": lambda image: list(image.mean_colour(R(0, 0, 1, 1)).to_py()) == [255, 0, 0, 255],
        # A 1x1 image is its own blur: nothing differs, nothing moves; a
        # bright dot on black is pushed brighter (clipped) and its ring darker.
        "unsharp_mask": lambda image: (
            (
                image.unsharp_mask(2, 150, 3, R(0, 0, 1, 1)),
                pixels(image) == pixels(make()),
            )[1]
            and (
                lambda dot: (
                    dot.set_pixel(2, 2, 200, 200, 200, 255),
                    dot.unsharp_mask(1, 150, 3),
                    px(dot, 2, 2) == [255, 255, 255, 255] and px(dot, 1, 2)[0] == 0,
                )[2]
            )(RgbaImage.filled(5, 5, 0, 0, 0, 255))
        ),
        "bbox": lambda image: (
            image.bbox(True).to_py().tolist() == [0, 0, 3, 2]
            and (image.fill(0, 0, 0, 0), image.set_pixel(2, 1, 5, 0, 0, 0), image.bbox(True))[2] is None
            and list(image.bbox(False).to_py()) == [2, 1, 3, 2]
        ),
        "extrema": lambda image: list(image.extrema().to_py()) == [0, 255, 0, 255, 0, 255, 128, 255],
        "colours": lambda image: (
            list(image.colours(256).to_py())
            == [
                *(1, 0, 0, 0, 255),
                *(1, 0, 0, 255, 255),
                *(1, 0, 255, 0, 255),
                *(1, 100, 100, 100, 128),
                *(1, 255, 0, 0, 255),
                *(1, 255, 255, 255, 255),
            ]
            and image.colours(5) is None
        ),
        # The odd pixel out is outvoted by its eight neighbours, in every band.
        "mode_filter": lambda image: (
            lambda odd: (odd.set_pixel(1, 1, 1, 2, 3, 4), odd.mode_filter(3, None), pixels(odd) == [9] * 36)[2]
        )(RgbaImage.filled(3, 3, 9, 9, 9, 9)),
        # A size-2 table that moves red to blue, green to red and blue to
        # green: the pure colours sit on its corners, so they map exactly;
        # alpha is kept with three channels.
        "colour_lut": lambda image: (
            image.colour_lut(
                3,
                2,
                2,
                2,
                js.Float32Array.new(to_js([v for b in (0, 1) for g in (0, 1) for r in (0, 1) for v in (g, b, r)])),
                None,
            ),
            pixels(image)[:20] == [0, 0, 255, 255, 255, 0, 0, 255, 0, 255, 0, 255, 255, 255, 255, 255, 0, 0, 0, 255],
        )[1],
        # Red is 255, 0, 0, 255, 0, 100: six pixels summing to 610, median 100.
        "statistics": lambda image: (lambda s: len(s) == 32 and s[:3] == [6, 610, 2 * 255**2 + 100**2] and s[4] == 100)(
            list(image.statistics().to_py())
        ),
        "free": lambda image: (image.free(), freed(image))[1],
        # Pillow's converters in place; a pair Pillow lacks leaves the pixels.
        "convert_mode": lambda image: (
            image.convert_mode("RGB", "CMYK", None) is True
            and px(image, 0, 0) == [0, 255, 255, 0]
            and image.convert_mode("CMYK", "L", None) is False
            and px(image, 0, 0) == [0, 255, 255, 0]
        ),
        # Red's luma, 76, dithers to black; every pixel ends black or white.
        "dither_bilevel": lambda image: (
            (image.dither_bilevel(True), px(image, 0, 0))[1] == [0, 0, 0, 255]
            and all(value in (0, 255) for value in pixels(image))
        ),
        # Red is entry 15 of the web palette (10 blacks, then red varying fastest).
        "to_palette": lambda image: (
            len(image.to_palette(None, False).to_py()) == 226 * 3 and px(image, 0, 0) == [15, 15, 15, 255]
        ),
        "convert_matrix": lambda image: (
            (image.convert_matrix(to_js([1, 0, 0, 0] + [0] * 8), True), px(image, 0, 0), px(image, 1, 0))[1:]
            == ([255, 255, 255, 255], [0, 0, 0, 255])
        ),
        # A uniform int image stays uniform whatever the filter.
        "resize_wide": lambda image: (
            lambda out: (out.width, out.height) == (5, 7) and pixels(out) == [10, 20, 30, 40] * 35
        )((image.fill(10, 20, 30, 40), image.resize_wide(5, 7, 2, None, "I"))[1]),
        # A uniform int image (small enough that Pillow's sums of four do
        # not overflow) reduces to itself.
        "reduce_wide": lambda image: (
            lambda out: (out.width, out.height) == (2, 1) and pixels(out) == [10, 20, 30, 0] * 2
        )((image.fill(10, 20, 30, 0), image.reduce_wide(2, 2, None, False))[1]),
        # "I" 1000s, the centre weighted 2 by a 3x3 kernel: 2000 there only.
        "convolve_wide": lambda image: (
            lambda wide: (
                wide.convolve_wide(js.Float32Array.new(to_js([0, 0, 0, 0, 2, 0, 0, 0, 0])), 1, 0, False, None),
                pixels(wide) == [232, 3, 0, 0] * 4 + [208, 7, 0, 0] + [232, 3, 0, 0] * 4,
            )[1]
        )(RgbaImage.filled(3, 3, 232, 3, 0, 0)),
        # "I" values 5, -3, 7: the minimum of every 3-wide window is -3.
        "rank_filter_wide": lambda image: (
            lambda wide: (wide.rank_filter_wide(3, 0, False, None), pixels(wide) == [253, 255, 255, 255] * 3)[1]
        )(RgbaImage.from_bytes("RGBA", 3, 1, to_js(b"\x05\x00\x00\x00\xfd\xff\xff\xff\x07\x00\x00\x00"))),
        # The identity map samples every pixel centre exactly.
        "transform_wide": lambda image: (lambda out: pixels(out) == pixels(image))(
            image.transform_wide(3, 2, 0, to_js([1, 0, 0, 0, 1, 0]), 2, None, False)
        ),
        # Two colours: a palette of at most two RGBA entries, and every
        # pixel's first three bytes its index into it, alpha kept.
        "quantize": lambda image: (
            lambda own, palette: (
                len(palette) in (4, 8)
                and all(
                    p[0] == p[1] == p[2] < len(palette) // 4 and p[3] == o[3]
                    for p, o in zip(
                        [pixels(image)[i : i + 4] for i in range(0, len(own), 4)],
                        [own[i : i + 4] for i in range(0, len(own), 4)],
                        strict=True,
                    )
                )
            )
        )(pixels(image), list(image.quantize(2, 0, 0, False))),
        # Distance 0 copies; 2 moves whole pixels: each one is one of the image's.
        "effect_spread": lambda image: (
            lambda spread, own: (
                pixels(image.effect_spread(0, 5)) == own
                and spread != own
                and {tuple(spread[i : i + 4]) for i in range(0, 24, 4)}
                <= {tuple(own[i : i + 4]) for i in range(0, 24, 4)}
            )
        )(pixels(image.effect_spread(2, 5)), pixels(image)),
    }
    statics = {
        "new": lambda: pixels(RgbaImage.new(2, 1)) == [0] * 8,
        "filled": lambda: pixels(RgbaImage.filled(1, 2, 1, 2, 3, 4)) == [1, 2, 3, 4] * 2,
        "from_bytes": lambda: pixels(RgbaImage.from_bytes("RGBA", 1, 1, to_js(b"\x01\x02\x03\x04"))) == [1, 2, 3, 4],
        # (-2, -1) escapes at step 3 of 10: 3 * 255 // 10, grey.
        "effect_mandelbrot": lambda: (
            pixels(RgbaImage.effect_mandelbrot(2, 2, to_js([-2, -1, 1, 1]), 10))[:4] == [76, 76, 76, 255]
        ),
        # Noise of deviation 0 is 128 everywhere.
        "effect_noise": lambda: pixels(RgbaImage.effect_noise(2, 1, 0, 9)) == [128, 128, 128, 255] * 2,
    }

    exported = set(js.Object.getOwnPropertyNames(RgbaImage.prototype)) - {"constructor", "__destroy_into_raw"}
    exported |= set(js.Object.getOwnPropertyNames(RgbaImage)) - {"length", "name", "prototype", "__wrap"}
    exported.discard("new")
    checked = {name.split()[0] for name in checks} | set(statics)
    assert exported | {"new"} == checked, sorted((exported | {"new"}) ^ checked)

    failed = [name for name, check in checks.items() if not check(make())]
    failed += [name for name, check in statics.items() if not check()]
    assert failed == []


@run_in_pyodide
def test_module_functions_and_the_seed_image(selenium_rust):
    import rust_image

    assert rust_image.max_image_side() == 16384
    assert rust_image.max_image_pixels() == 64 * 1024 * 1024
    image = rust_image.Image.new()
    assert (image.pixels_len(), image.pixel_count()) == (6, 2)
    image.free()


@run_in_pyodide
def test_life_exports_step_and_render(selenium_rust):
    import js
    import rust_image

    life = rust_image.Life.new(5, 5)
    assert (life.width, life.height, life.generation, life.population()) == (5, 5, 0, 0)
    assert life.place_pattern("!blinker\n.O.\n.O.\n.O.", 1, 1) == 3
    assert life.is_alive(2, 1) and life.is_alive(2, 3)
    life.tick(1)
    assert life.generation == 1
    cells = list(js.Uint8Array.new(rust_image.memory.buffer, life.cells_ptr(), 25).to_py())
    assert cells[2 * 5 + 1 : 2 * 5 + 4] == [1, 1, 1]
    assert life.population() == 3
    life.tick(2)
    assert life.generation == 3 and life.is_alive(1, 2)
    assert life.toggle(0, 0) is True
    life.set(0, 0, False)
    assert life.is_alive(0, 0) is False
    life.set_colours(255, 0, 0, 255, 0, 0, 32, 255)
    frame = rust_image.RgbaImage.new(5, 5)
    life.render(frame)
    assert list(frame.get_pixel(1, 2).to_py()) == [255, 0, 0, 255]
    assert list(frame.get_pixel(0, 0).to_py()) == [0, 0, 32, 255]
    life.randomize(42, 0.5)
    assert 0 < life.population() < 25 and life.generation == 0
    life.clear()
    assert life.population() == 0
    life.free()
    frame.free()


@run_in_pyodide
def test_plasma_renders_any_size(selenium_rust):
    import rust_image

    plasma = rust_image.Plasma.new()
    frame = rust_image.RgbaImage.new(64, 36)
    plasma.render(frame, 1.25)
    first = list(frame.histogram().to_py())
    assert first[768 + 255] == 64 * 36
    plasma.render(frame, 2.5)
    assert list(frame.histogram().to_py()) != first
    plasma.free()
    frame.free()


@run_in_pyodide
def test_bad_input_raises_a_js_error_and_the_module_keeps_working(selenium_rust):
    import js
    import pytest
    import rust_image
    from pyodide.ffi import JsException, to_js

    RgbaImage = rust_image.RgbaImage
    image = RgbaImage.new(4, 3)
    other = RgbaImage.new(2, 2)
    life = rust_image.Life.new(3, 3)
    nan = float("nan")

    def R(*values):
        return to_js(list(values))

    cases = [
        (lambda: RgbaImage.new(0, 5), "RangeError", "width and height must be at least 1, got 0x5"),
        (lambda: RgbaImage.new(-1, 5), "RangeError", "width must be a whole number from 0 to 4294967295, got -1"),
        (lambda: RgbaImage.new(2.5, 5), "RangeError", "width must be a whole number"),
        (lambda: RgbaImage.new(nan, 5), "RangeError", "got NaN"),
        (lambda: RgbaImage.new(16385, 1), "RangeError", "width must be at most 16384, got 16385"),
        (lambda: RgbaImage.new(16384, 16384), "RangeError", "the maximum image size is 67108864 pixels"),
        (lambda: RgbaImage.new(2**32, 1), "RangeError", "width must be a whole number"),
        (
            lambda: RgbaImage.from_bytes("RGBA", 2, 2, to_js(b"\x00" * 15)),
            "RangeError",
            "pixel data must be width*height*4 = 16 bytes long, got 15",
        ),
        (lambda: RgbaImage.filled(1, 1, 256, 0, 0, 0), "RangeError", "red must be a number from 0 to 255, got 256"),
        (lambda: image.get_pixel(4, 0), "OutOfBoundsError", "point (4, 0) is outside the 4x3 image"),
        (lambda: image.get_pixel(-1, 0), "OutOfBoundsError", "point (-1, 0) is outside"),
        (lambda: image.set_pixel(0, 3, 0, 0, 0, 0), "OutOfBoundsError", "point (0, 3) is outside"),
        (lambda: image.crop(R(3, 0, 0, 1)), "RangeError", "width and height must be at least 1, got 0x1"),
        (lambda: image.crop(R(3, 0, -2, 1)), "RangeError", "rect width must be a number from 0 to 16777216, got -2"),
        (lambda: image.crop(None), "TypeError", "rect must be an array [x, y, width, height]"),
        (lambda: image.invert(R(0, 0, 1)), "TypeError", "rect must be undefined or an array [x, y, width"),
        (lambda: image.invert(to_js([0, 0, 1, "1"])), "TypeError", "rect must be undefined or an array"),
        (lambda: image.invert("0,0,1,1"), "TypeError", "rect must be undefined or an array"),
        (
            lambda: image.invert(R(0, nan, 1, 1)),
            "RangeError",
            "rect y must be a finite number within ±16777216, got NaN",
        ),
        (lambda: image.grayscale(R(2**32, 0, 2, 1)), "RangeError", "rect x must be a finite number within ±16777216"),
        (lambda: image.mean_colour(R(4, 0, 2, 1)), "OutOfBoundsError", "rect at (4, 0) of size 2x1 holds no pixel"),
        (lambda: image.brightness(float("nan")), "RangeError", "factor must be a finite number, got NaN"),
        (lambda: image.contrast(float("inf")), "RangeError", "factor must be a finite number, got inf"),
        (lambda: image.gamma(0), "RangeError", "gamma must be a finite number > 0, got 0"),
        (lambda: image.threshold(300), "RangeError", "level must be a number from 0 to 255, got 300"),
        (
            lambda: image.swap_channels(0, 4),
            "RangeError",
            "second must be a channel index 0 (red), 1 (green), 2 (blue) or 3 (alpha), got 4",
        ),
        (lambda: image.extract_channel(-2), "RangeError", "channel must be a whole number"),
        (lambda: image.box_blur(-3, 1), "RangeError", "x_radius must be a number from 0 to 10000, got -3"),
        (lambda: image.gaussian_blur(1, nan), "RangeError", "y_radius must be a number from 0 to 10000, got NaN"),
        (lambda: image.rank_filter(2, 0), "RangeError", "size must be an odd whole number from 1 to 255, got 2"),
        (
            lambda: image.rotate(30, 1, False, None, None, None),
            "RangeError",
            "resample must be 0 (NEAREST), 2 (BILINEAR) or 3 (BICUBIC) to transform, got 1 (LANCZOS)",
        ),
        (
            lambda: image.transform(2, 2, 4, to_js([]), 0, None),
            "RangeError",
            "method must be one of 0 (AFFINE), 1 (EXTENT), 2 (PERSPECTIVE), 3 (QUAD), got 4",
        ),
        (lambda: image.transform(2, 2, 0, to_js([1, 2]), 0, None), "RangeError", "data must hold 6 numbers, got 2"),
        (lambda: image.builtin_filter("Sharpen"), "RangeError", 'name must be one of "BLUR", "CONTOUR",'),
        (
            lambda: image.convolve(js.Float32Array.new(to_js([1, 2, 3])), 1, 0),
            "RangeError",
            "kernel must have 9 (3x3) or 25 (5x5) weights, got 3",
        ),
        (
            lambda: image.convolve(js.Float32Array.new(to_js([1] * 9)), nan, 0),
            "RangeError",
            "scale must be a finite number, got NaN",
        ),
        (lambda: image.convolve(to_js([1] * 9), 1, 0), "TypeError", "kernel weights must be a Float32Array"),
        (
            lambda: image.convolve(js.Float32Array.new(1 << 28), 1, 0),
            "RangeError",
            "kernel must have 9 (3x3) or 25 (5x5) weights, got 268435456",
        ),
        (
            lambda: RgbaImage.from_bytes("RGBA", 2, 2, "0123456789abcdef"),
            "TypeError",
            "bytes must be a Uint8Array or Uint8ClampedArray",
        ),
        (
            lambda: RgbaImage.from_bytes("RGBA", 1, 1, js.Uint8Array.new(2_200_000_000)),
            "RangeError",
            "pixel data must be width*height*4 = 4 bytes long, got 2200000000",
        ),
        (lambda: image.resize(0, 10, 2), "RangeError", "width and height must be at least 1, got 0x10"),
        (lambda: image.resize(100000, 1, 0), "RangeError", "width must be at most 16384, got 100000"),
        (
            lambda: image.resize(2, 2, 1.5),
            "RangeError",
            "resample must be one of 0 (NEAREST), 1 (LANCZOS), 2 (BILINEAR), 3 (BICUBIC), 4 (BOX), 5 (HAMMING), "
            "6 (MKS2013), 7 (MKS2021), got 1.5",
        ),
        (lambda: image.transpose(7), "RangeError", "method must be one of 0 (FLIP_LEFT_RIGHT), 1 (FLIP_TOP_BOTTOM)"),
        (lambda: image.draw_lines(to_js([0, 0, 1e30, 0]), to_js([1] * 4), 1), "RangeError", "xy must be a finite"),
        (
            lambda: image.draw_ellipse(to_js([0, 0, 2, 1]), to_js([1, 1, 1, nan]), None, 1),
            "RangeError",
            "fill must be a number from 0 to 255, got NaN",
        ),
        (lambda: life.tick(10001), "RangeError", "generations must be at most 10000, got 10001"),
        (lambda: life.toggle(3, 0), "OutOfBoundsError", "point (3, 0) is outside the 3x3 image"),
        (lambda: life.randomize(1, 2), "RangeError", "density must be a number from 0 to 1, got 2"),
        (
            lambda: life.place_pattern("O#", 0, 0),
            "RangeError",
            "pattern may hold only 'O' or '*' (alive) and '.' (dead), found '#' on line 1",
        ),
        (lambda: life.render(other), "RangeError", "the image to render into must be 3x3, got 2x2"),
        (
            lambda: rust_image.Plasma.new().render(other, float("inf")),
            "RangeError",
            "time must be a finite number, got inf",
        ),
    ]
    for call, name, message in cases:
        with pytest.raises(JsException) as raised:
            call()
        assert raised.value.name == name, (message, raised.value.name)
        assert message in str(raised.value), (message, str(raised.value))
        # The module still answers after every refusal.
        assert list(image.get_pixel(3, 2).to_py()) == [0, 0, 0, 0]

    freed = RgbaImage.new(1, 1)
    freed.free()
    with pytest.raises(JsException, match="null pointer passed to rust"):
        freed.invert()
    image.invert()
    assert list(image.get_pixel(0, 0).to_py()) == [255, 255, 255, 0]
    # The module still makes and works on images.
    fresh = RgbaImage.filled(2, 2, 1, 2, 3, 4)
    fresh.invert()
    assert list(fresh.get_pixel(1, 1).to_py()) == [254, 253, 252, 4]
    fresh.free()


@run_in_pyodide
def test_alpha_composite_is_the_fixed_point_formula_for_every_pixel(selenium_rust):
    """`alpha_composite` in the browser (four pixels a vector, a row's last
    ones one at a time) gives, byte for byte, Pillow's fixed-point formula
    written out here in Python integers: over transparent, opaque and
    translucent sources and destinations, every alpha from 0 to 255."""
    import random

    import js
    import rust_image
    from pyodide.ffi import to_js

    def over(source, destination):
        source_alpha = source[3]
        if source_alpha == 0:
            return destination
        blend = destination[3] * (255 - source_alpha)
        out_alpha = source_alpha * 255 + blend
        source_weight = source_alpha * 255 * 255 * 128 // out_alpha
        destination_weight = 255 * 128 - source_weight

        def shift_div_255(value):
            return ((value >> 8) + value) >> 8

        channels = [
            shift_div_255(source[c] * source_weight + destination[c] * destination_weight + (0x80 << 7)) >> 7
            for c in range(3)
        ]
        return [*channels, shift_div_255(out_alpha + 0x80)]

    chooser = random.Random(30)
    width, height = 67, 9

    def picture(alphas):
        data = []
        for _ in range(width * height):
            data += [chooser.randrange(256) for _ in range(3)] + [chooser.choice(alphas)]
        return data

    everything = list(range(256))
    # Rows of sources all opaque or all transparent take the shortcuts.
    sources = [picture(everything), picture([0]), picture([255]), picture([0, 255, 1, 254])]
    destinations = [picture(everything), picture([0]), picture([255])]
    for source in sources:
        for destination in destinations:
            image = rust_image.RgbaImage.from_bytes("RGBA", width, height, to_js(bytes(destination)))
            top = rust_image.RgbaImage.from_bytes("RGBA", width, height, to_js(bytes(source)))
            image.alpha_composite(top, 0, 0)
            got = list(js.Uint8Array.new(rust_image.memory.buffer, image.ptr(), image.len()).to_py())
            expected = []
            for at in range(0, len(source), 4):
                expected += over(source[at : at + 4], destination[at : at + 4])
            assert got == expected, [at for at in range(len(got)) if got[at] != expected[at]][:8]
            image.free()
            top.free()
