"""Palettes and image objects as Pillow 13 has them, on wasmcanvas in
Pyodide against Pillow on the host (one function run on both sides): colour
strings drawn on "P" images, raw palettes (``ImagePalette.raw``) read when
used, ``readonly`` after open, load and save, ``remap_palette``, the empty
``Image.Image()`` and its subclasses, masks pasted on "P" images, and
Windows cursor files (``CurImagePlugin``)."""

import inspect
import io

import pytest
from images import PILLOW_TESTS
from PIL import Image
from pytest_pyodide import run_in_pyodide

IMAGES = PILLOW_TESTS / "images"
PILLOW_FILES = [
    "chi.gif",
    "rgb32bf-rgba.bmp",
    "deerstalker.cur",
    "mask_1.cur",
    "mask_L.cur",
    "no_cursors.cur",
    "pillow2.icns",
]


def made_files():
    """Files Pillow writes on the host: palette, grey and colour BMPs, a
    binary PGM and PPM, and a cursor file of three entries (the largest
    chosen, its bitmap only a header)."""
    files = {}
    for name, mode, colour in (("p.bmp", "P", (9, 200, 30)), ("l.bmp", "L", 77), ("rgb.bmp", "RGB", (1, 2, 3))):
        buffer = io.BytesIO()
        Image.new(mode, (5, 3), colour).save(buffer, "BMP")
        files[name] = buffer.getvalue()
    files["grey.pgm"] = b"P5 3 2 255\n" + bytes(range(6))
    files["grey100.pgm"] = b"P5 3 2 100\n" + bytes(range(6))
    files["colour.ppm"] = b"P6 1 1 255\n" + bytes(3)
    entries = b""
    for width, height in ((1, 1), (8, 8), (4, 4)):
        entries += bytes((width, height)) + bytes(10) + ((6 + 48) if width == 8 else 0).to_bytes(4, "little")
    core = (12).to_bytes(4, "little") + (8).to_bytes(2, "little") + (16).to_bytes(2, "little") + bytes(2) + b"\x01\x00"
    files["largest.cur"] = b"\x00\x00\x02\x00\x03\x00" + entries + core
    return files


def outcomes(Image, ImageDraw, ImagePalette, ImageSequence, folder, files):
    """What each case gives: a list of (case, result) pairs, results as
    comparable text; an exception as its type and message."""
    import io
    import os
    import warnings
    import zlib

    for name, data in files.items():
        with open(os.path.join(folder, name), "wb") as handle:
            handle.write(data)

    def path(name):
        return os.path.join(folder, name)

    def pixels(im):
        return f"{im.mode} {im.size} {zlib.crc32(im.tobytes())}"

    results = []

    def case(name, make):
        try:
            value = make()
        except Exception as error:
            value = f"{type(error).__name__}: {error}"
        results.append((name, repr(value).replace(folder, "FOLDER")))

    # Colour strings on "P" images: found in, or added to, the palette.
    def drawn():
        im = Image.new("P", (6, 4))
        draw = ImageDraw.Draw(im)
        draw.rectangle((0, 0, 3, 3), fill="#f00", outline="lime")
        draw.point((5, 0), fill="blue")
        draw.line((4, 1, 4, 3), fill="#f00")
        return pixels(im), im.getpalette(), len(im.palette.colors)

    case("colour strings drawn on P", drawn)
    case(
        "P new with a colour string",
        lambda: (pixels(Image.new("P", (2, 2), "white")), Image.new("P", (1, 1), "red").getpalette()),
    )

    def new_colour():
        with Image.open(path("chi.gif")) as im:
            draw = ImageDraw.Draw(im)
            counts = [len(im.palette.colors), im.palette.dirty]
            draw.line((0, 0), fill=(0, 0, 0))
            counts += [len(im.palette.colors), im.palette.dirty, im.palette.colors.get((0, 0, 0))]
            draw.point((0, 0), fill=(1, 0, 0))
            counts += [len(im.palette.colors), (0, 0, 0) in im.palette.colors, im.convert("RGB").getpixel((0, 0))]
            return counts

    case("new colours in a full palette", new_colour)

    # Raw palettes.
    case(
        "raw rawmodes", lambda: [ImagePalette.raw(mode, b"\x01\x02\x03\x04").rawmode for mode in ("RGB", "BGR", "RGBA")]
    )

    def raw_bgr():
        im = Image.new("P", (2, 1))
        im.palette = ImagePalette.raw("BGR", b"\x01\x02\x03\x04\x05\x06")
        before = [im.palette.rawmode, sorted(im.palette.colors.items())]
        try:
            im.palette.tobytes()
        except ValueError as error:
            before.append(str(error))
        try:
            im.palette.getcolor((9, 9, 9))
        except ValueError as error:
            before.append(str(error))
        return [*before, im.getpalette(), im.palette.rawmode, bytes(im.palette.palette), im.palette.dirty]

    case("raw BGR palette read when used", raw_bgr)

    def raw_then_putpixel():
        im = Image.new("P", (3, 1))
        im.palette = ImagePalette.raw("RGB", bytes((0, 0, 0) * 150))
        for x in range(3):
            im.putpixel((x, 0), (x + 1, 0, 0))
        return pixels(im), len(im.getpalette()), im.palette.colors[(3, 0, 0)]

    case("RGB raw palette takes new colours", raw_then_putpixel)
    for mode, rawmode in (("P", "RGB"), ("P", "RGBA"), ("P", "RGBX"), ("L", "RGB"), ("PA", "RGB")):

        def dirty(mode=mode, rawmode=rawmode):
            im = Image.new(mode, (1, 1))
            im.putpalette(bytes(range(8)), rawmode)
            return im.palette.dirty, im.palette.mode

        case(f"dirty after putpalette {rawmode} on {mode}", dirty)

    def unrecognized():
        try:
            Image.new("P", (1, 1)).putpalette(b"\x00", "P;4L")
        except ValueError as error:
            return str(error).startswith("unrecognized raw mode")

    case("unrecognized palette raw mode", unrecognized)
    case("random palette", lambda: (len(ImagePalette.random().palette), ImagePalette.random("RGBA").mode))
    for rawmode in ("BGR", "BGRX", "BGRA", "RGBX", "RGBAX", "ARGB", "LA"):

        def put(rawmode=rawmode):
            im = Image.new("L", (1, 1))
            im.putpalette(bytes(range(10, 34)), rawmode)
            return im.mode, im.palette.mode, im.getpalette(None)

        case(f"putpalette {rawmode}", put)

    # readonly: 1 until loaded, then 1 where Pillow maps the file.
    def readonly(name, **save):
        im = Image.open(path(name))
        states = [im.readonly]
        im.load()
        states.append(im.readonly)
        im.save(io.BytesIO(), "PNG")
        states.append(im.readonly)
        if save:
            im.save(path(name))
            states.append(im.readonly)
        with open(path(name), "rb") as handle:
            from_object = Image.open(io.BytesIO(handle.read()))
        states += [from_object.readonly, from_object.load() is not None and from_object.readonly]
        return states

    for name in ("rgb32bf-rgba.bmp", "p.bmp", "l.bmp", "rgb.bmp", "grey.pgm", "grey100.pgm", "colour.ppm", "chi.gif"):
        case(f"readonly {name}", lambda name=name: readonly(name))
    case("readonly saved over itself", lambda: readonly("p.bmp", over=True))

    def drawn_on_opened():
        im = Image.open(path("l.bmp"))
        ImageDraw.Draw(im)
        return im.readonly

    case("readonly after Draw", drawn_on_opened)

    # remap_palette.
    def remapped(im, *args):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            out = im.remap_palette(*args)
        return (
            pixels(out),
            out.getpalette(None),
            out.palette.mode,
            sorted(out.info.items()),
            [str(w.message) for w in caught],
        )

    def two_colours(transparency):
        im = Image.new("P", (1, 2), (0, 0, 0))
        im.putpixel((0, 1), (255, 0, 0))
        im.info["transparency"] = transparency
        return im

    rgba = Image.new("P", (4, 1))
    for x in range(4):
        rgba.putpixel((x, 0), x)
    rgba.putpalette(bytes(range(16)), "RGBA")
    grey = Image.new("L", (2, 1), 3)
    grey.info["transparency"] = 3
    case("remap RGBA palette", lambda: remapped(rgba, [3, 0, 1]))
    case("remap source palette", lambda: remapped(rgba, [3, 0, 1], bytes(range(30))))
    case("remap long source palette", lambda: remapped(rgba, [1, 0], bytes(range(256)) * 4))
    case("remap transparency", lambda: remapped(two_colours(0), [1, 0]))
    case("remap dropped transparency", lambda: remapped(two_colours(2), [1, 0]))
    case("remap bytes transparency", lambda: remapped(two_colours(b"\x00\x80"), [1, 0]))
    case("remap L", lambda: remapped(grey, [3, 0]))
    case("remap RGB", lambda: remapped(Image.new("RGB", (1, 1)), [0]))

    # Image.Image(): empty, and what subclasses start from.
    def empty():
        im = Image.Image()
        return im.mode, im.size, im.info, im.palette, im.readonly, repr(im).split(".Image.Image ")[1].split(" at ")[0]

    case("Image()", empty)

    class Frames(Image.Image):
        def seek(self, frame):
            if frame == 3:
                raise ValueError("seek failed")
            self._at = frame
            self.im = Image.core.new("L", (frame + 1, 1))

        def tell(self):
            return self._at

    def subclass():
        im = Frames()
        im.seek(1)
        try:
            ImageSequence.all_frames(im)
        except ValueError as error:
            return str(error), im.tell(), pixels(Image.Image()._new(im.im))

    case("Image subclass", subclass)

    # Masks pasted on "P" images weigh the indices.
    def pasted():
        im = Image.new("P", (4, 1), 10)
        mask = Image.new("L", (4, 1))
        mask.putdata([0, 100, 200, 255])
        im.paste(200, (0, 0, 4, 1), mask)
        other = Image.new("P", (4, 1), 50)
        other.paste(im, (0, 0), mask)
        return list(im.get_flattened_data()), list(other.get_flattened_data())

    case("paste with a mask on P", pasted)

    # Windows cursors.
    def cursor(name):
        im = Image.open(path(name))
        before = (im.format, im.mode, im.size, im.get_format_mimetype())
        return before, pixels(im), sorted(im.info.items()), type(im).__name__

    for name in ("deerstalker.cur", "mask_1.cur", "mask_L.cur"):
        case(f"cursor {name}", lambda name=name: cursor(name))

    def no_cursors():
        # wasmcanvas's message adds the plugin's reason to Pillow's.
        try:
            Image.open(path("no_cursors.cur"))
        except Exception as error:
            return type(error).__name__, str(error).startswith("cannot identify image file")

    case("file of no cursors", no_cursors)
    case("largest cursor", lambda: Image.open(path("largest.cur")).size)
    case("cursor extension", lambda: Image.registered_extensions()[".cur"])

    # Apple icons: PNG entries, run-length RGB with masks, sizes chosen.
    def icon(size=None):
        im = Image.open(path("pillow2.icns"))
        opened = (im.format, im.mode, im.size, im.info["sizes"], im.get_format_mimetype(), type(im).__name__)
        if size is not None:
            im.best_size = size
            im.size = (size[0] * size[2], size[1] * size[2])
        im.load()
        return opened, pixels(im)

    case("icns largest", icon)
    for size in ((256, 256, 1), (128, 128, 1), (32, 32, 1), (16, 16, 1)):
        case(f"icns {size}", lambda size=size: icon(size))

    def wrong_size():
        im = Image.open(path("pillow2.icns"))
        im.size = (7, 7)

    case("icns size not in the file", wrong_size)
    case("icns extension", lambda: Image.registered_extensions()[".icns"])
    return results


@run_in_pyodide(packages=["wasmcanvas"])
def ours(selenium, source, files):
    import os

    from wasmcanvas import Image, ImageDraw, ImagePalette, ImageSequence

    os.makedirs("/tmp/palettes", exist_ok=True)
    namespace: dict = {}
    exec(source, namespace)
    return namespace["outcomes"](Image, ImageDraw, ImagePalette, ImageSequence, "/tmp/palettes", files)


@pytest.fixture(scope="module")
def files():
    found = {name: (IMAGES / name).read_bytes() for name in PILLOW_FILES}
    return found | made_files()


@pytest.fixture(scope="module")
def expected(files, tmp_path_factory):
    from PIL import ImageDraw, ImagePalette, ImageSequence

    return outcomes(Image, ImageDraw, ImagePalette, ImageSequence, str(tmp_path_factory.mktemp("pillow")), files)


def test_palettes_and_objects_as_pillow(selenium_rust, files, expected):
    got = ours(selenium_rust, inspect.getsource(outcomes), files)
    assert [name for name, _ in got] == [name for name, _ in expected]
    wrong = [
        f"{name}: got {ours_value}, Pillow {pillow_value}"
        for (name, ours_value), (_, pillow_value) in zip(got, expected, strict=True)
        if ours_value != pillow_value
    ]
    assert wrong == [], "\n".join(wrong)
