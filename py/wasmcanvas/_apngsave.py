"""Animated PNG written as Pillow's ``PngImagePlugin`` writes it with
``save_all``: the frames of the image and of ``append_images`` in one mode
(the first of "RGBA", "RGB", "P" any frame has; "RGB" or "RGBA" when "P"
frames have different palettes), a frame the same as the one before merged
into it (their durations added), the frames after the first cropped to
what changed, with Pillow's ``duration``, ``loop``, ``disposal``,
``blend`` (each one or a list) and ``default_image``. Each frame's pixels
are compressed by the PNG writer (``_saving``), their IDAT data carried in
``fdAT`` chunks.

>>> import io
>>> frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "blue")]
>>> Image.open(io.BytesIO(apng_file(frames[0], {"append_images": frames[1:]}))).n_frames
2
"""

from __future__ import annotations

import itertools
import zlib
from fractions import Fraction
from typing import TYPE_CHECKING, Any, NamedTuple

from . import ImageChops, ImageSequence
from ._apng import Blend, Disposal
from ._formats import pick_frame_options

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["apng_file"]


class _Frame(NamedTuple):
    im: Image
    bbox: tuple[int, int, int, int] | None
    encoderinfo: dict[str, Any]


def _chunk(kind: bytes, *parts: bytes) -> bytes:
    body = b"".join(parts)
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        chunks.append((data[at + 4 : at + 8], data[at + 8 : at + 8 + length]))
        at += 12 + length
    return chunks


def _mode_and_size(images: list[Image]) -> tuple[str, tuple[int, int]]:
    """Pillow's choice of the animation's mode and canvas size."""
    modes = set()
    palette = None
    with_alpha = None
    different = None
    for frame in images:
        modes.add(frame.mode)
        if frame.mode == "P":
            if frame.palette and frame.palette.mode == "RGBA":
                with_alpha = frame
            if different is None:
                own = frame.getpalette() or []
                if palette is not None:
                    if own != palette:
                        different = True
                else:
                    palette = own
        elif frame.mode == "RGBA":
            different = False
    if different:
        mode = "RGBA" if with_alpha else "RGB"
    else:
        mode = next((mode for mode in ("RGBA", "RGB", "P") if mode in modes), next(iter(modes)))
    size = (max(frame.width for frame in images), max(frame.height for frame in images))
    return mode, size


def _frames(im: Image, info: dict[str, Any], images: list[Image], mode: str, default_image: bool) -> list[_Frame]:
    """Pillow's frames to write: merged when the same as the one before,
    each with the box of what changed."""
    duration = info.get("duration")
    disposal = info.get("disposal", im.info.get("disposal", Disposal.OP_NONE))
    blend = info.get("blend", im.info.get("blend", Blend.OP_SOURCE))
    frames: list[_Frame] = []
    for count, source in enumerate(images[1:] if default_image else images):
        frame = source.copy() if source.mode == mode else source.convert(mode)
        encoderinfo = dict(info)
        pick_frame_options(encoderinfo, count, frame.info, {"duration": duration, "disposal": disposal, "blend": blend})
        bbox = None
        if frames:
            previous = frames[-1]
            prev_disposal = previous.encoderinfo.get("disposal")
            prev_blend = previous.encoderinfo.get("blend")
            if prev_disposal == Disposal.OP_PREVIOUS and len(frames) < 2:
                prev_disposal = Disposal.OP_BACKGROUND
            if prev_disposal == Disposal.OP_BACKGROUND:
                base = previous.im.copy()
                box = previous.bbox or (0, 0, *im.size)
                from .Image import new

                base.paste(new(mode, (box[2] - box[0], box[3] - box[1])), box[:2])
            elif prev_disposal == Disposal.OP_PREVIOUS:
                base = frames[-2].im
            else:
                base = previous.im
            ours, under = frame.convert("RGBA"), base.convert("RGBA")
            if ours.size != under.size:
                # Pillow's channel operations work on the part both images cover.
                common = (0, 0, min(ours.width, under.width), min(ours.height, under.height))
                ours, under = ours.crop(common), under.crop(common)
            delta = ImageChops.subtract_modulo(ours, under)
            bbox = delta.getbbox(alpha_only=False)
            if (
                not bbox
                and prev_disposal == encoderinfo.get("disposal")
                and prev_blend == encoderinfo.get("blend")
                and "duration" in encoderinfo
            ):
                merged = previous.encoderinfo["duration"] + encoderinfo["duration"]
                if Fraction(merged / 1000).limit_denominator(65535).numerator <= 65535:
                    previous.encoderinfo["duration"] = merged
                    continue
        frames.append(_Frame(frame, bbox, encoderinfo))
    return frames


def apng_file(im: Image, params: dict[str, Any]) -> bytes:
    """The PNG file of ``im`` saved with ``save_all`` (Pillow's options
    ``params``): an APNG when there is more than one frame (or a
    ``default_image``), else a still PNG of the one frame."""
    from ._saving import file_bytes

    still = {key: value for key, value in params.items() if key not in ("save_all", "append_images")}
    default_image = bool(params.get("default_image", im.info.get("default_image")))
    images = [
        frame.copy()
        for sequence in itertools.chain([im], params.get("append_images", []))
        for frame in ImageSequence.Iterator(sequence)
    ]
    mode, size = _mode_and_size(images)
    frames = _frames(im, params, images, mode, default_image)
    if len(frames) == 1 and not default_image:
        return file_bytes(frames[0].im, "PNG", still)
    disposal = params.get("disposal", im.info.get("disposal", Disposal.OP_NONE))
    blend = params.get("blend", im.info.get("blend", Blend.OP_SOURCE))
    loop = params.get("loop", im.info.get("loop", 0))
    first = images[0] if default_image else frames[0].im
    header = _chunks(file_bytes(first if first.mode == mode else first.convert(mode), "PNG", still))
    # The canvas is the largest frame's size, as Pillow's IHDR says.
    header = [
        (kind, size[0].to_bytes(4, "big") + size[1].to_bytes(4, "big") + body[8:] if kind == b"IHDR" else body)
        for kind, body in header
    ]
    at_idat = next(index for index, (kind, _body) in enumerate(header) if kind == b"IDAT")
    idats = [body for kind, body in header if kind == b"IDAT"]
    out = bytearray(b"\x89PNG\r\n\x1a\n")
    out += b"".join(_chunk(kind, body) for kind, body in header[:at_idat])
    out += _chunk(b"acTL", len(frames).to_bytes(4, "big"), int(loop).to_bytes(4, "big"))
    if default_image:
        out += b"".join(_chunk(b"IDAT", body) for body in idats)
    sequence = 0
    for index, frame in enumerate(frames):
        image = frame.im
        bbox = frame.bbox or (0, 0, *image.size)
        if frame.bbox:
            image = image.crop(bbox)
        delay = Fraction(frame.encoderinfo.get("duration", 0) / 1000).limit_denominator(65535)
        if delay.numerator > 65535:
            raise ValueError("cannot write duration")
        control = b"".join(value.to_bytes(4, "big") for value in (sequence, *image.size, *bbox[:2]))
        control += delay.numerator.to_bytes(2, "big") + delay.denominator.to_bytes(2, "big")
        control += bytes((frame.encoderinfo.get("disposal", disposal), frame.encoderinfo.get("blend", blend)))
        out += _chunk(b"fcTL", control)
        sequence += 1
        if index == 0 and not default_image:
            # The first frame in IDAT chunks, for readers of still PNG.
            out += b"".join(_chunk(b"IDAT", body) for body in idats)
            continue
        for kind, body in _chunks(file_bytes(image, "PNG", still)):
            if kind == b"IDAT":
                out += _chunk(b"fdAT", sequence.to_bytes(4, "big"), body)
                sequence += 1
    out += b"".join(_chunk(kind, body) for kind, body in header[at_idat:] if kind != b"IDAT")
    return bytes(out)
