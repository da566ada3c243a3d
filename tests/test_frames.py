"""Frames as Pillow has them (issue 29): animated GIF, WebP and PNG files made
by real Pillow 13 on the host are read frame by frame in Pyodide and
compared byte for byte with Pillow's frames (mode, size, pixels, palette
and ``info``); the files wasmcanvas writes with ``save_all`` are read back
by Pillow frame by frame and compared with what Pillow reads from its own
files; damaged animations give clear errors."""

from __future__ import annotations

import io

import pytest
from images import sample_photo
from PIL import Image
from pytest_pyodide import run_in_pyodide

INFO_KEYS = ("duration", "loop", "background", "transparency", "timestamp", "comment")
INFO_KEYS += ("disposal", "blend", "bbox", "default_image")


def frames_of(data: bytes, **strategy) -> list[tuple]:
    """Every frame Pillow reads from ``data``: mode, size, pixels, palette,
    the ``info`` entries both libraries keep and the disposal method."""
    from PIL import GifImagePlugin

    saved = GifImagePlugin.LOADING_STRATEGY
    GifImagePlugin.LOADING_STRATEGY = strategy.get("strategy", saved)
    try:
        frames = []
        with Image.open(io.BytesIO(data)) as image:
            for index in range(image.n_frames):
                image.seek(index)
                image.load()
                info = {key: image.info[key] for key in INFO_KEYS if key in image.info}
                frames.append(
                    (
                        image.mode,
                        image.size,
                        image.tobytes(),
                        image.getpalette() if image.mode == "P" else None,
                        info,
                        getattr(image, "disposal_method", None),
                    )
                )
        return frames
    finally:
        GifImagePlugin.LOADING_STRATEGY = saved


def animation(format: str, frames: list[Image.Image], **params) -> bytes:
    out = io.BytesIO()
    frames[0].save(out, format, save_all=True, append_images=frames[1:], **params)
    return out.getvalue()


def gif_inputs() -> dict[str, bytes]:
    """GIF files of every disposal method, transparency, local palettes,
    frames smaller than the screen and grey ("L") frames, as Pillow writes them."""
    photo = sample_photo(24, 18)
    shifted = [photo.rotate(angle) for angle in (0, 90, 180, 270)]
    palette_frames = [frame.convert("P", palette=Image.Palette.ADAPTIVE, colors=12) for frame in shifted]
    small = Image.new("P", (24, 18), 0)
    small.putpalette([0, 0, 0, 255, 0, 0, 0, 255, 0, 0, 0, 255])
    stamped = []
    for colour in (1, 2, 3):
        frame = small.copy()
        frame.paste(colour, (colour * 4, colour * 3, colour * 4 + 8, colour * 3 + 6))
        stamped.append(frame)
    files = {}
    for disposal in range(4):
        files[f"disposal {disposal}"] = animation(
            "GIF", stamped, disposal=disposal, transparency=0, duration=[70, 80, 90], loop=0
        )
    files["local palettes"] = animation("GIF", palette_frames, duration=50, optimize=False)
    files["rgb frames"] = animation("GIF", shifted, duration=[10, 20, 30, 40], comment=b"frames")
    files["grey frames"] = animation("GIF", [frame.convert("L") for frame in shifted], disposal=2, loop=3)
    translucent = []
    for frame in shifted[:3]:
        rgba = frame.convert("RGBA")
        rgba.paste((0, 0, 0, 0), (3, 3, 12, 9))
        translucent.append(rgba)
    files["rgba frames"] = animation("GIF", translucent, disposal=[1, 2, 3])
    return files


def webp_inputs() -> dict[str, bytes]:
    photo = sample_photo(20, 14)
    frames = [photo, photo.rotate(180), photo.transpose(Image.Transpose.FLIP_LEFT_RIGHT)]
    translucent = [frame.convert("RGBA") for frame in frames]
    for index, frame in enumerate(translucent):
        frame.paste((0, 0, 0, 0), (index * 4, 2, index * 4 + 6, 9))
        frame.putalpha(Image.new("L", frame.size, 255 - index * 60))
    return {
        "webp lossless": animation("WEBP", frames, lossless=True, duration=[40, 50, 60], loop=2),
        "webp blended alpha": animation("WEBP", translucent, lossless=True, duration=30, background=(1, 2, 3, 4)),
    }


def apng_inputs() -> dict[str, bytes]:
    """APNG files of each disposal and blend operation, a default image,
    translucent "RGBA", "RGB" and "P" frames, as Pillow writes them."""
    photo = sample_photo(18, 12)
    translucent = []
    for index in range(3):
        frame = photo.rotate(index * 120).convert("RGBA")
        frame.paste((200, 10, 10, 90 * index), (index * 5, 2, index * 5 + 7, 9))
        translucent.append(frame)
    palette = [frame.convert("P", palette=Image.Palette.ADAPTIVE, colors=6) for frame in translucent]
    files = {}
    for disposal in range(3):
        for blend in range(2):
            files[f"apng disposal {disposal} blend {blend}"] = animation(
                "PNG", translucent, disposal=disposal, blend=blend, duration=[30, 40, 50], loop=1
            )
    files["apng default image"] = animation("PNG", translucent, default_image=True, duration=25)
    files["apng rgb"] = animation("PNG", [frame.convert("RGB") for frame in translucent], disposal=2)
    files["apng palette"] = animation("PNG", palette, blend=1)
    return files


@pytest.fixture(scope="module")
def made_by_pillow() -> dict[str, bytes]:
    return {**gif_inputs(), **webp_inputs(), **apng_inputs()}


def test_frames_read_as_pillow_reads_them(selenium_rust_module_scope, made_by_pillow):
    strategies = {"rgb always": 2, "rgb after a new palette": 1}

    @run_in_pyodide(packages=["wasmcanvas"])
    def read(selenium, files, strategies):
        import io

        from wasmcanvas import GifImagePlugin, Image, ImageSequence

        keys = ("duration", "loop", "background", "transparency", "timestamp", "comment")
        keys += ("disposal", "blend", "bbox", "default_image")

        def frames(data):
            result = []
            with Image.open(io.BytesIO(data)) as image:
                for frame in ImageSequence.Iterator(image):
                    frame.load()
                    info = {key: frame.info[key] for key in keys if key in frame.info}
                    palette = frame.getpalette() if frame.mode == "P" else None
                    method = getattr(frame, "disposal_method", None)
                    result.append((frame.mode, frame.size, frame.tobytes(), palette, info, method))
                # Back to the start, and past the end.
                image.seek(0)
                first = image.tobytes()
                try:
                    image.seek(image.n_frames)
                except EOFError as error:
                    past = str(error)
                else:
                    past = "no error"
            return result, first, past

        read = {name: frames(data) for name, data in files.items()}
        for name, strategy in strategies.items():
            GifImagePlugin.LOADING_STRATEGY = GifImagePlugin.LoadingStrategy(strategy)
            try:
                read[name] = frames(files["local palettes"])
            finally:
                GifImagePlugin.LOADING_STRATEGY = GifImagePlugin.LoadingStrategy.RGB_AFTER_FIRST
        return read

    read = read(selenium_rust_module_scope, made_by_pillow, strategies)
    expected = {name: frames_of(data) for name, data in made_by_pillow.items()}
    expected |= {
        name: frames_of(made_by_pillow["local palettes"], strategy=value) for name, value in strategies.items()
    }
    for name, frames in expected.items():
        ours, first, past = read[name]
        assert len(ours) == len(frames), name
        for index, (got, wanted) in enumerate(zip(ours, frames, strict=True)):
            got = (*got[:2], bytes(got[2]), *got[3:])
            if name.startswith("webp"):
                # Pillow's WebP reader keeps no disposal method.
                got, wanted = got[:5], wanted[:5]
            assert got == wanted, f"{name}, frame {index}"
        assert bytes(first) == frames[0][2], name
        assert past == "attempt to seek outside sequence", name


def test_save_all_is_read_back_by_pillow_as_its_own(selenium_rust_module_scope):
    """GIF byte for byte as Pillow writes it, APNG as Pillow writes it
    (Pillow reads the same frames from ours as from its own), WebP frames
    losslessly."""
    photo = sample_photo(22, 16)
    sources = {
        "rgb": [photo, photo.rotate(90), photo.rotate(90), photo.rotate(180)],
        "palette": [photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=8).rotate(a) for a in (0, 180)],
        "grey": [photo.convert("L"), photo.convert("L").transpose(Image.Transpose.FLIP_TOP_BOTTOM)],
    }
    options = {
        "rgb": {"duration": [100, 200, 300, 400], "loop": 0, "disposal": 2},
        "palette": {"duration": 120, "transparency": 3, "comment": "two"},
        "grey": {"optimize": False, "disposal": [1, 3]},
    }
    png_options = {
        "rgb": {"duration": [100, 200, 300, 400], "loop": 0, "disposal": 1, "blend": 1},
        "palette": {"duration": 120},
        "grey": {"disposal": [0, 2], "default_image": True},
    }
    packed = {name: [(im.mode, im.size, im.tobytes(), im.getpalette()) for im in ims] for name, ims in sources.items()}

    @run_in_pyodide(packages=["wasmcanvas"])
    def write(selenium, packed, options, png_options):
        import io

        from wasmcanvas import Image

        written = {}
        for name, frames in packed.items():
            images = []
            for mode, size, data, palette in frames:
                image = Image.frombytes(mode, size, data)
                if palette:
                    image.putpalette(palette)
                images.append(image)
            for format in ("GIF", "WEBP", "PNG"):
                out = io.BytesIO()
                chosen = png_options[name] if format == "PNG" else options[name]
                images[0].save(out, format, save_all=True, append_images=images[1:], **chosen)
                written[(name, format)] = out.getvalue()
        return written

    written = write(selenium_rust_module_scope, packed, options, png_options)
    for name, images in sources.items():
        # GIF byte for byte: Pillow's quantizer, palettes, blocks and LZW codes.
        assert written[(name, "GIF")] == animation("GIF", images, **options[name]), name
        assert frames_of(written[(name, "PNG")]) == frames_of(animation("PNG", images, **png_options[name])), name
        # Lossless WebP frames come back as they were given.
        webp = frames_of(written[(name, "WEBP")])
        assert [frame[2] for frame in webp] == [image.convert("RGB").tobytes() for image in images], name
        durations = options[name].get("duration", 0)
        wanted = durations if isinstance(durations, list) else [durations] * len(images)
        assert [frame[4]["duration"] for frame in webp] == wanted, name


def test_damaged_animations_give_clear_errors(selenium_rust_module_scope, made_by_pillow):
    gif = made_by_pillow["rgb frames"]
    # Cut inside the last frame's image data.
    truncated = gif[: len(gif) - 40]
    webp = made_by_pillow["webp lossless"]
    cases = {"gif cut in its last frame": truncated, "webp cut in its last frame": webp[: len(webp) - 30]}

    @run_in_pyodide(packages=["wasmcanvas"])
    def damaged(selenium, cases):
        import io

        from wasmcanvas import Image, ImageFile

        outcomes = {}
        for name, data in cases.items():
            image = Image.open(io.BytesIO(data))
            try:
                image.load()
                image.seek(image.n_frames - 1)
                image.load()
            except Exception as error:
                outcomes[name] = (type(error).__name__, str(error))
            else:
                outcomes[name] = ("decoded", "")
            ImageFile.LOAD_TRUNCATED_IMAGES = True
            try:
                image.load()
                outcomes[name + ", loading truncated images"] = (image.size, image.mode)
            except Exception as error:
                outcomes[name + ", loading truncated images"] = (type(error).__name__, str(error))
            finally:
                ImageFile.LOAD_TRUNCATED_IMAGES = False
        return outcomes

    outcomes = damaged(selenium_rust_module_scope, cases)
    assert outcomes["gif cut in its last frame"] == ("ImageFileError", "cannot read the GIF file: it is truncated")
    assert outcomes["gif cut in its last frame, loading truncated images"] == ((24, 18), "RGB")
    # The still decoder, which checks the whole file, refuses it at its first frame.
    assert outcomes["webp cut in its last frame"] == ("ImageFileError", "cannot read the WebP file: Corrupt bitstream")
