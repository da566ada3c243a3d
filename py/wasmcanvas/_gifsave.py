"""GIF files as Pillow's GIF writer makes them: one frame, or with
``save_all`` every frame of the image and of ``append_images``. As in
Pillow, "RGB" frames are quantized to an adaptive palette ("RGBA" ones
with a transparent index), palettes are shrunk to the colours used
(``optimize``, on unless a ``palette`` is given), a frame the same as the
one before is merged into it (their durations added), and the frames
after the first are cropped to what changed. Pillow's options:
``duration`` (an int or one per frame), ``loop``, ``disposal`` (one or
one per frame), ``transparency``, ``background``, ``comment``,
``include_color_table``, ``interlace`` and ``palette``. The LZW codes
are written in Rust (``_files.encode_gif_lzw``).

>>> import io
>>> frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
>>> data = gif_file(frames[0], {"save_all": True, "append_images": frames[1:]})
>>> Image.open(io.BytesIO(data)).n_frames
2
"""

from __future__ import annotations

import itertools
import math
from typing import Any, NamedTuple

from . import ImageChops, ImagePalette, ImageSequence
from . import _files as files
from ._formats import pick_frame_options
from .Image import Image, Palette, getmodebase
from .Image import new as new_image

_RAW_MODES = ("1", "L", "P")


class _Frame(NamedTuple):
    im: Image
    bbox: tuple[int, int, int, int] | None
    encoderinfo: dict[str, Any]


def gif_file(image: Image, params: dict[str, Any]) -> bytes:
    """The GIF file of ``image`` saved with Pillow's options ``params``."""
    info = dict(params)
    if "palette" in info or "palette" in image.info:
        palette = info.get("palette", image.info.get("palette"))
    else:
        palette = None
        info.setdefault("optimize", True)
    out = bytearray()
    # As Pillow's save: ``append_images`` alone asks for every frame too.
    save_all = info.get("save_all")
    every_frame = save_all or (save_all is None and info.get("append_images"))
    if not every_frame or not _write_multiple_frames(image, info, out, palette):
        _write_single_frame(image, info, out, palette)
    out += b";"
    return bytes(out)


def _normalize_mode(im: Image) -> Image:
    """A frame in a mode GIF holds: "1", "L" and "P" as they are, colour
    modes quantized to an adaptive palette (its transparent colour, if
    any, as ``transparency``), the others as "L"."""
    if im.mode in _RAW_MODES:
        return im.copy()
    if getmodebase(im.mode) == "RGB":
        im = im.convert("P", palette=Palette.ADAPTIVE)
        if im.palette is not None and im.palette.mode == "RGBA":
            for rgba, index in im.palette.colors.items():
                if rgba[3] == 0:
                    im.info["transparency"] = index
                    break
        return im
    return im.convert("L")


def normalize_palette(im: Image, palette: Any, info: dict[str, Any]) -> Image:
    """Pillow's ``_normalize_palette``: the given ``palette`` put in place
    (pixels remapped to it), else the palette shrunk to the colours used
    when ``get_optimize`` says so (``info["transparency"]`` following)."""
    source_palette = None
    if palette:
        if isinstance(palette, (bytes, bytearray, list)):
            source_palette = bytearray(palette[:768])
        if isinstance(palette, ImagePalette.ImagePalette):
            source_palette = bytearray(palette.palette)
    if im.mode == "P":
        if not source_palette:
            source_palette = bytearray(im.getpalette(None) or b"")
    else:
        if not source_palette:
            source_palette = bytearray(i // 3 for i in range(768))
        im.palette = ImagePalette.ImagePalette("RGB", palette=source_palette)
    if palette:
        used: list[int | None] = []
        colors = im.palette.colors if im.palette is not None else {}
        for i in range(0, len(source_palette), 3):
            index = colors.get(tuple(source_palette[i : i + 3]))
            used.append(None if index in used else index)
        for i, index in enumerate(used):
            if index is None:
                used[i] = next((j for j in range(len(used)) if j not in used), None)
        im = _remap(im, [index for index in used if index is not None])
    else:
        optimized = get_optimize(im, info)
        if optimized is not None:
            im = _remap(im, optimized, bytes(source_palette))
            if "transparency" in info:
                try:
                    info["transparency"] = optimized.index(info["transparency"])
                except ValueError:
                    del info["transparency"]
            return im
    if im.palette is not None:
        im.palette.palette = bytes(source_palette)
    return im


def _remap(im: Image, dest_map: list[int], source_palette: bytes | None = None) -> Image:
    info = dict(im.info)
    mode = im.mode
    if mode == "1":
        im = im.convert("L")
    remapped = im.remap_palette(dest_map, source_palette)
    remapped.info = info
    return remapped


def get_optimize(im: Image, info: dict[str, Any]) -> list[int] | None:
    """Pillow's ``_get_optimize``: the palette entries in use, when
    shrinking the palette to them is worth it, else None."""
    if im.mode not in ("P", "L") or not info or not info.get("optimize") or im.width == 0 or im.height == 0:
        return None
    from . import GifImagePlugin

    optimise = bool(getattr(GifImagePlugin, "_FORCE_OPTIMIZE", False)) or im.mode == "L"
    if not (optimise or im.width * im.height < 512 * 512):
        return None
    used = [i for i, count in enumerate(im.histogram()) if count]
    if optimise or max(used) >= len(used):
        return used
    if im.palette is None:
        return None
    entries = len(im.palette.palette) // len(im.palette.mode)
    current_size = 1 << (entries - 1).bit_length()
    if len(used) <= current_size // 2 and current_size > 2:
        return used
    return None


def _color_table_size(palette_bytes: bytes) -> int:
    if not palette_bytes:
        return 0
    if len(palette_bytes) < 9:
        return 1
    return math.ceil(math.log(len(palette_bytes) // 3, 2)) - 1


def _header_palette(palette_bytes: bytes) -> bytes:
    missing = (2 << _color_table_size(palette_bytes)) - len(palette_bytes) // 3
    return palette_bytes + b"\0" * 3 * missing if missing > 0 else palette_bytes


def _palette_bytes(im: Image) -> bytes:
    if not im.palette:
        return b""
    palette = bytes(im.palette.palette)
    if im.palette.mode == "RGBA":
        palette = b"".join(palette[i * 4 : i * 4 + 3] for i in range(len(palette) // 3))
    return palette


def _get_background(im: Image, info_background: Any) -> int:
    background = 0
    if info_background:
        if isinstance(info_background, tuple):
            # A WebP's background is a colour: its index, added if need be.
            try:
                background = im.palette.getcolor(info_background, im) if im.palette is not None else 0
            except ValueError as error:
                if str(error) not in (
                    "cannot allocate more than 256 colors",
                    "cannot add non-opaque RGBA color to RGB palette",
                ):
                    raise
        else:
            background = info_background
    return int(background)


def global_header(im: Image, info: dict[str, Any]) -> list[bytes]:
    """Pillow's ``_get_global_header``: the file's header, screen
    descriptor, global palette and extensions, in the parts Pillow writes."""
    version = b"87a"
    if im.info.get("version") == b"89a" or (
        info and ("transparency" in info or info.get("loop") is not None or info.get("duration") or info.get("comment"))
    ):
        version = b"89a"
    background = _get_background(im, info.get("background"))
    palette_bytes = _palette_bytes(im)
    header = [
        b"GIF" + version + _o16(im.size[0]) + _o16(im.size[1]),
        bytes((_color_table_size(palette_bytes) + 128,)),
        bytes((background & 0xFF, 0)),
        _header_palette(palette_bytes),
    ]
    if info.get("loop") is not None:
        header.append(b"!\xff\x0bNETSCAPE2.0\x03\x01" + _o16(info["loop"]) + b"\0")
    comment = info.get("comment")
    if comment:
        if isinstance(comment, str):
            comment = comment.encode()
        header.append(b"!\xfe")
        header += [bytes((len(comment[i : i + 255]),)) + comment[i : i + 255] for i in range(0, len(comment), 255)]
        header.append(b"\0")
    return header


def _o16(value: int) -> bytes:
    return int(value).to_bytes(2, "little")


def local_header(im: Image, info: dict[str, Any], offset: tuple[int, int], flags: int) -> list[bytes]:
    """Pillow's local header of a frame (graphic control extension, image
    descriptor, local palette, code size), in the parts Pillow writes."""
    transparency = info.get("transparency")
    duration = int(info["duration"] / 10) if "duration" in info else 0
    disposal = int(info.get("disposal", 0))
    parts = []
    if transparency is not None or duration != 0 or disposal:
        packed = (1 if transparency is not None else 0) | disposal << 2
        parts.append(b"!\xf9\x04" + bytes((packed & 0xFF,)) + _o16(duration) + bytes((transparency or 0,)) + b"\0")
    palette_bytes = b""
    table_size = 0
    if info.get("include_color_table"):
        palette_bytes = _palette_bytes(im)
        table_size = _color_table_size(palette_bytes)
        if table_size:
            flags |= 128 | table_size
    parts.append(b"," + _o16(offset[0]) + _o16(offset[1]) + _o16(im.size[0]) + _o16(im.size[1]) + bytes((flags,)))
    if table_size:
        parts.append(_header_palette(palette_bytes))
    parts.append(b"\x08")
    return parts


def frame_data(im: Image, info: dict[str, Any], offset: tuple[int, int]) -> list[bytes]:
    """Pillow's ``_write_frame_data``: a frame's local header and its image
    data (not interlaced), in the parts Pillow writes."""
    return local_header(im, info, offset, 0) + _image_data(im, False)


def _image_data(im: Image, interlace: bool) -> list[bytes]:
    """The frame's LZW data, in Pillow's encoder buffers, and the empty
    block after it."""
    indices = im.convert("L").tobytes() if im.mode == "1" else im.tobytes()
    data = files.encode_gif_lzw(indices, im.size, interlace)[1:]
    buffer = max(65536, im.width * 4)
    return [data[at : at + buffer] for at in range(0, len(data), buffer)] + [b"\0"]


def _interlace(im: Image, info: dict[str, Any]) -> int:
    interlace = info.get("interlace", 1)
    return 0 if min(im.size) < 16 else int(interlace)


def _write_single_frame(im: Image, info: dict[str, Any], out: bytearray, palette: Any) -> None:
    im_out = _normalize_mode(im)
    for key, value in im_out.info.items():
        if isinstance(key, str):
            info.setdefault(key, value)
    im_out = normalize_palette(im_out, palette, info)
    out += b"".join(global_header(im_out, info))
    interlace = _interlace(im, info)
    # As Pillow: the descriptor of the image given (its local palette), the data of the one written.
    out += b"".join(local_header(im, info, (0, 0), 64 if interlace else 0) + _image_data(im_out, bool(interlace)))


def _getbbox(base_im: Image, im_frame: Image) -> tuple[Image, tuple[int, int, int, int] | None]:
    palettes = [bytes(im.palette.palette) if im.palette else b"" for im in (base_im, im_frame)]
    if palettes[0] != palettes[1]:
        im_frame = im_frame.convert("RGBA")
        base_im = base_im.convert("RGBA")
    if base_im.size != im_frame.size:
        # Pillow's channel operations work on the part both images cover.
        common = (0, 0, min(base_im.width, im_frame.width), min(base_im.height, im_frame.height))
        base_im, im_frame = base_im.crop(common), im_frame.crop(common)
    delta = ImageChops.subtract_modulo(im_frame, base_im)
    return delta, delta.getbbox(alpha_only=False)


def _unchanged_mask(delta: Image) -> Image:
    """An "L" mask, 255 where ``delta`` (a frame minus the one before) is 0
    in every band."""
    if delta.mode == "RGBA":
        r, g, b, a = delta.split()
        delta = ImageChops.lighter(ImageChops.lighter(r, g), ImageChops.lighter(b, a))
    levels = delta.tobytes()
    return _indices_image(levels.translate(bytes([255]) + bytes(255)), delta.size)


def _indices_image(data: bytes, size: tuple[int, int]) -> Image:
    from .Image import frombytes

    return frombytes("L", size, data)


def _fill_indices(frame: Image, index: int, mask: Image) -> None:
    """Sets the pixels of a "P" or "L" frame to ``index`` where ``mask`` is
    255, the index itself (not the colour it stands for)."""
    mode = frame.mode
    frame._mode = "L"
    try:
        frame.paste(index, (0, 0, *mask.size), mask)
    finally:
        frame._mode = mode


def _write_multiple_frames(im: Image, info: dict[str, Any], out: bytearray, palette: Any) -> bool:
    duration = info.get("duration")
    disposal = info.get("disposal", im.info.get("disposal"))
    frames: list[_Frame] = []
    previous_im: Image | None = None
    frame_count = 0
    background_im = None
    for sequence in itertools.chain([im], info.get("append_images", [])):
        for source in ImageSequence.Iterator(sequence):
            im_frame = _normalize_mode(source.copy())
            if frame_count == 0:
                for key, value in im_frame.info.items():
                    if key != "transparency" and isinstance(key, str):
                        info.setdefault(key, value)
            encoderinfo = dict(info)
            if "transparency" in im_frame.info:
                encoderinfo.setdefault("transparency", im_frame.info["transparency"])
            im_frame = normalize_palette(im_frame, palette, encoderinfo)
            pick_frame_options(encoderinfo, frame_count, im_frame.info, {"duration": duration, "disposal": disposal})
            frame_count += 1
            diff_frame = None
            bbox: tuple[int, int, int, int] | None = None
            if frames and previous_im:
                delta, bbox = _getbbox(previous_im, im_frame)
                if not bbox:
                    # The same as the frame before: that one shows for longer.
                    if encoderinfo.get("duration"):
                        frames[-1].encoderinfo["duration"] = (
                            frames[-1].encoderinfo.get("duration", 0) + encoderinfo["duration"]
                        )
                    continue
                if frames[-1].encoderinfo.get("disposal") == 2:
                    color = info.get("transparency", im.info.get("transparency"))
                    if color is not None:
                        if background_im is None:
                            background = _get_background(im_frame, color)
                            background_im = new_image("P", im_frame.size, background)
                            first_palette = frames[0].im.palette
                            if first_palette is not None:
                                background_im.putpalette(first_palette.palette, first_palette.mode)
                        bbox = _getbbox(background_im, im_frame)[1]
                    else:
                        bbox = (0, 0, *im_frame.size)
                elif encoderinfo.get("optimize") and im_frame.mode != "1":
                    if "transparency" not in encoderinfo and im_frame.palette is not None:
                        try:
                            encoderinfo["transparency"] = im_frame.palette._free_index(im_frame)
                        except ValueError:
                            pass
                    if "transparency" in encoderinfo:
                        # Unchanged pixels become the transparent index.
                        diff_frame = im_frame.copy()
                        _fill_indices(diff_frame, encoderinfo["transparency"], _unchanged_mask(delta))
            previous_im = im_frame
            frames.append(_Frame(diff_frame or im_frame, bbox, encoderinfo))

    if len(frames) == 1:
        if "duration" in frames[0].encoderinfo:
            info["duration"] = frames[0].encoderinfo["duration"]
        return False
    for frame in frames:
        im_frame = frame.im
        if not frame.bbox:
            out += b"".join(global_header(im_frame, frame.encoderinfo))
            offset = (0, 0)
        else:
            if not palette:
                frame.encoderinfo["include_color_table"] = True
            if frame.bbox != (0, 0, *im_frame.size):
                im_frame = im_frame.crop(frame.bbox)
            offset = frame.bbox[:2]
        out += b"".join(frame_data(im_frame, frame.encoderinfo, offset))
    return True
