"""Animated PNG (APNG) read as Pillow's ``PngImagePlugin`` reads it: the
frames of an ``acTL`` chunk (each an ``fcTL`` and its ``IDAT`` or
``fdAT`` data), drawn one after the other with Pillow's disposal
(``OP_NONE``, ``OP_BACKGROUND``, ``OP_PREVIOUS``) and blend (``OP_SOURCE``,
``OP_OVER``) operations, in the file's own mode; an ``IDAT`` before any
``fcTL`` is the ``default_image`` (frame 0, before the animation). ``info``
gains ``loop``, and each frame's ``duration``, ``disposal``, ``blend`` and
``bbox``. Each frame's pixels are decoded by the PNG decoder as a picture
of their own.

>>> frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
>>> frames[0].save("animated.png", save_all=True, append_images=frames[1:])
>>> im = Image.open("animated.png")
>>> im.n_frames, im.is_animated, im.get_format_mimetype()
(3, True, 'image/apng')
"""

from __future__ import annotations

import struct
import warnings
import zlib
from dataclasses import dataclass, field
from enum import IntEnum
from typing import Any

from . import Image, loader
from . import _files as files
from .module import call_rust, rust

__all__ = ["ApngFrames", "Blend", "Disposal"]


class Disposal(IntEnum):
    """Pillow's APNG disposal operations: what becomes of a frame's area
    before the next frame is drawn."""

    OP_NONE = 0
    OP_BACKGROUND = 1
    OP_PREVIOUS = 2


class Blend(IntEnum):
    """Pillow's APNG blend operations: a frame replaces its area, or is
    laid over it through its alpha."""

    OP_SOURCE = 0
    OP_OVER = 1


OP_BACKGROUND, OP_PREVIOUS, OP_OVER = Disposal.OP_BACKGROUND, Disposal.OP_PREVIOUS, Blend.OP_OVER


@dataclass
class _Frame:
    """One frame: its fcTL's facts (none for the default image) and data."""

    control: dict[str, Any] = field(default_factory=dict)
    data: list[bytes] = field(default_factory=list)
    error: Exception | None = None
    idat: bool = False


@dataclass
class _Animation:
    header: bytes
    chunks: list[tuple[bytes, bytes]]
    frames: list[_Frame]
    default_image: bool
    loop: int
    count: int


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    chunks, at = [], 8
    while at + 8 <= len(data):
        length = int.from_bytes(data[at : at + 4], "big")
        kind = data[at + 4 : at + 8]
        chunks.append((kind, data[at + 8 : at + 8 + length]))
        at += 12 + length
        if kind == b"IEND":
            break
    return chunks


def _control(body: bytes, size: tuple[int, int]) -> dict[str, Any]:
    """An fcTL chunk's facts, with Pillow's errors."""
    width, height, x, y = struct.unpack(">IIII", body[4:20])
    if x + width > size[0] or y + height > size[1]:
        raise SyntaxError("APNG contains invalid frames")
    numerator, denominator = struct.unpack(">HH", body[20:24])
    return {
        "bbox": (x, y, x + width, y + height),
        "duration": float(numerator) / float(denominator or 100) * 1000,
        "disposal": body[24],
        "blend": body[25],
    }


def read_animation(data: bytes, size: tuple[int, int]) -> _Animation | None:
    """The frames of an APNG file (None for a still PNG, or an acTL Pillow
    does not take, with its warning). A damaged frame keeps its error, to
    be raised when it is reached, as Pillow raises it."""
    chunks = _chunks(data)
    frame_count = None
    loop = 0
    frames: list[_Frame] = []
    default_image = False
    sequence: int | None = None
    seen_idat = False
    for kind, body in chunks:
        if kind == b"acTL" and not seen_idat:
            # As Pillow, which reads the chunks before the image data at open.
            if len(body) < 8:
                raise ValueError("APNG contains truncated acTL chunk")
            if frame_count is not None:
                warnings.warn("Invalid APNG, will use default PNG image if possible", stacklevel=3)
                return None
            count = int.from_bytes(body[:4], "big")
            if count == 0 or count > 0x80000000:
                warnings.warn("Invalid APNG, will use default PNG image if possible", stacklevel=3)
                return None
            frame_count, loop = count, int.from_bytes(body[4:8], "big")
        elif kind == b"fcTL":
            if frames and frames[-1].control and not frames[-1].data:
                frames[-1].error = SyntaxError("APNG missing frame data")
                break
            frame = _Frame()
            frames.append(frame)
            try:
                if len(body) < 26:
                    raise ValueError("APNG contains truncated fcTL chunk")
                number = int.from_bytes(body[:4], "big")
                if (sequence is None and number != 0) or (sequence is not None and sequence != number - 1):
                    raise SyntaxError("APNG contains frame sequence errors")
                sequence = number
                frame.control = _control(body, size)
            except (SyntaxError, ValueError) as error:
                if not seen_idat:
                    raise
                frame.error = error
                break
        elif kind == b"IDAT":
            if not seen_idat and not frames:
                default_image = True
                frames.append(_Frame())
            seen_idat = True
            frames[-1].idat = True
            frames[-1].data.append(body)
        elif kind == b"fdAT" and frames:
            number = int.from_bytes(body[:4], "big")
            # Data after a frame's IDAT, without an fcTL, starts the next frame.
            opened = bool(frames[-1].control) and not frames[-1].idat
            if sequence is None or sequence != number - 1:
                if not opened:
                    frames.append(_Frame())
                frames[-1].error = SyntaxError("APNG contains frame sequence errors")
                break
            sequence = number
            if opened:
                frames[-1].data.append(body[4:])
    if frame_count is None:
        return None
    header = next((body for kind, body in chunks if kind == b"IHDR"), b"")
    kept = [(kind, body) for kind, body in chunks if kind in (b"PLTE", b"tRNS")]
    count = frame_count + default_image
    return _Animation(header, kept, frames[:count], default_image, loop, count)


def _png(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


class ApngFrames:
    """What ``PngImagePlugin.PngImageFile`` adds for APNG files: frames,
    ``seek``, ``tell``, ``n_frames``, ``is_animated``, ``default_image``."""

    _apng: _Animation | None = None
    _apng_data: bytes | None = None
    _apng_info: dict[str, Any]
    _apng_frame = 0
    _apng_closed = False
    _apng_dispose: int | None = None
    _apng_blend: int | None = None
    default_image = False

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> Any:
        image = super()._from_file(data, format, filename)  # type: ignore[misc]
        try:
            animation = read_animation(data, image._size)
            if animation is not None:
                image._apng = animation
                image._apng_data = data
                image._apng_info = dict(image.info)
                image.custom_mimetype = "image/apng"
                image._seek(0)
        except (SyntaxError, ValueError, EOFError) as error:
            _refuse_as_decoder_does(data, error)
        return image

    @property
    def n_frames(self) -> int:
        """How many frames the file has (the default image included)."""
        return self._apng.count if self._apng else 1

    @property
    def is_animated(self) -> bool:
        """Whether the file has more than one frame."""
        return self.n_frames > 1

    def tell(self) -> int:
        """The current frame's number."""
        return self._apng_frame

    def seek(self, frame: int) -> None:
        """Go to ``frame``, drawing the frames before it as Pillow does;
        ``EOFError`` past the last one."""
        if frame < 0 or frame >= self.n_frames:
            raise EOFError("attempt to seek outside sequence")
        if frame == self._apng_frame:
            return
        if frame < self._apng_frame:
            self._seek(0, rewind=True)
        last = self._apng_frame
        try:
            for number in range(self._apng_frame + 1, frame + 1):
                self._seek(number)
        except EOFError as error:
            self.seek(last)
            raise EOFError("no more images in APNG file") from error

    def _seek(self, frame: int, rewind: bool = False) -> None:
        image: Any = self
        animation = self._apng
        if animation is None or self._apng_closed:
            raise ValueError("Operation on closed image")
        if frame and frame != self._apng_frame + 1:
            raise ValueError(f"cannot seek to frame {frame}")
        if frame == 0:
            if rewind:
                raw, image._raw = image._raw, None
                if raw is not None:
                    raw.free()
                image.info = dict(self._apng_info)
            self._apng_previous: Image.Image | None = None
        else:
            dispose = None
            extent = self._apng_extent
            if self._apng_dispose == OP_BACKGROUND and extent:
                dispose = Image.new(image.mode, (extent[2] - extent[0], extent[3] - extent[1]))
            elif self._apng_dispose == OP_PREVIOUS and self._apng_previous is not None and extent:
                dispose = self._apng_previous.crop(extent)
            image.load()
            if dispose is not None and extent:
                image._call("paste", dispose.raw, extent[0], extent[1])
            self._apng_previous = image.copy()
        if frame >= len(animation.frames):
            # Fewer frames than acTL says: Pillow reads on past the file's end.
            raise OSError("Truncated File Read")
        current = animation.frames[frame]
        if current.error is not None:
            raise current.error
        if not current.data:
            raise EOFError("image not found in APNG frame")
        image.info.update(current.control)
        if animation.default_image:
            image.info["default_image"] = True
        image.info["loop"] = animation.loop
        self.default_image = animation.default_image
        self._apng_frame = frame
        self._apng_dispose = image.info.get("disposal")
        self._apng_blend = image.info.get("blend")
        if "bbox" in image.info:
            self._apng_extent: tuple[int, int, int, int] | None = image.info["bbox"]
        elif frame == 0:
            self._apng_extent = None
        if self._apng_previous is None and self._apng_dispose == OP_PREVIOUS:
            self._apng_dispose = OP_BACKGROUND
        image._pending = b"apng"

    def close(self) -> None:
        """Frees the pixels and closes the file; seeking raises after it."""
        self._apng_closed = True
        super().close()  # type: ignore[misc]

    @property
    def raw(self) -> Any:
        image: Any = self
        if self._apng is not None and image._pending is not None:
            self._decode()
        return super().raw  # type: ignore[misc]

    def _decode(self, keep_mode: bool = True) -> None:
        image: Any = self
        if self._apng is None:
            super()._decode(keep_mode)  # type: ignore[misc]
            return
        if image._pending is None:
            return
        image._pending = None
        try:
            self._draw_frame()
        except (OSError, ValueError) as error:
            image._pending = b"apng"
            if self._apng_frame == 0 and self._apng_data is not None:
                # The first frame is the file's image: refused as the still decoder refuses it.
                _refuse_as_decoder_does(self._apng_data, error)
            raise
        except BaseException:
            image._pending = b"apng"
            raise

    def _draw_frame(self) -> None:
        image: Any = self
        animation = self._apng
        assert animation is not None
        current = animation.frames[self._apng_frame]
        box = current.control.get("bbox", (0, 0, *image._size))
        size = (box[2] - box[0], box[3] - box[1])
        pixels = self._frame_pixels(animation, current, size)
        if image._raw is None:
            with Image.new(image.mode, image._size) as canvas:
                raw, canvas._raw = canvas._raw, None
            image._own(raw)
        image._call("paste", pixels.raw, box[0], box[1])
        image._settle()
        previous = self._apng_previous
        if previous is not None and self._apng_blend == OP_OVER:
            updated = image.crop(box)
            transparency = image.info.get("transparency")
            if image.mode == "P" and transparency is not None:
                updated.info["transparency"] = transparency
            if image.mode == "RGB" and transparency is not None:
                updated.info["transparency"] = transparency
            mask = updated.convert("RGBA")
            if image.mode == "P":
                # Pillow weighs the indices themselves by the palette's alpha.
                weights = mask.getchannel("A")
                previous._mode = updated._mode = "L"
                previous.paste(updated, box[:2], weights)
                previous._mode = "P"
            else:
                previous.paste(updated, box[:2], mask)
            raw, previous._raw = previous._raw, None
            old, image._raw = image._raw, raw
            old.free()
            self._apng_previous = image.copy()

    def _frame_pixels(self, animation: _Animation, frame: _Frame, size: tuple[int, int]) -> Image.Image:
        """A frame's pixels in the file's mode, decoded as a PNG of its own."""
        from . import ImageFile

        image: Any = self
        if frame is animation.frames[0] and self._apng_data is not None:
            # The IDAT image: the file as the still decoder reads it (so
            # that both refuse a damaged file alike).
            data = self._apng_data
        else:
            header = size[0].to_bytes(4, "big") + size[1].to_bytes(4, "big") + animation.header[8:13]
            parts = [b"\x89PNG\r\n\x1a\n", _png(b"IHDR", header)]
            parts += [_png(kind, body) for kind, body in animation.chunks]
            parts += [_png(b"IDAT", b"".join(frame.data)), _png(b"IEND", b"")]
            data = b"".join(parts)
        module = rust()
        width, height, picture = files.decode(
            data,
            module.max_image_side(),
            int(module.max_image_pixels()),
            bool(ImageFile.LOAD_TRUNCATED_IMAGES),
        )
        try:
            raw = call_rust(module.RgbaImage.from_bytes, "RGBA", width, height, files.pixels_view(picture))
        finally:
            picture.free()
            loader.release_codecs()
        pixels = Image.Image._wrap(raw, image.mode, image.palette)
        pixels._settle()
        return pixels


def _refuse_as_decoder_does(data: bytes, error: BaseException) -> None:
    """An APNG whose chunks Pillow refuses is refused with the error of the
    codecs module's PNG decoder (the one ``decode`` gives, which the
    decoders' fuzz test records) when it refuses the file too; else with
    Pillow's."""
    module = rust()
    try:
        _width, _height, picture = files.decode(data, module.max_image_side(), int(module.max_image_pixels()))
    except (OSError, ValueError) as refused:
        raise refused from error
    picture.free()
    loader.release_codecs()
    raise error
