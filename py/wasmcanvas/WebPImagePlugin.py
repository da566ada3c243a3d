"""Pillow's ``PIL.WebPImagePlugin``: WebP files read as Pillow reads them
(an animation frame by frame, composed as libwebp's animation decoder
composes it), and animations written with ``save_all``.

``info`` holds ``loop`` and ``background`` (an RGBA tuple; white and 1 for
a still picture, as libwebp gives them), and, once a frame is loaded, its
``timestamp`` and ``duration`` in milliseconds.

>>> frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
>>> frames[0].save("animation.webp", save_all=True, append_images=frames[1:], duration=100)
>>> im = Image.open("animation.webp")
>>> im.n_frames, im.is_animated
(3, True)
>>> im.seek(1); _ = im.load(); im.info["timestamp"], im.info["duration"]
(100, 100)
"""

from __future__ import annotations

import warnings
from itertools import accumulate, pairwise
from typing import Any

from . import _files as files
from . import module
from .ImageFile import ImageFile
from .module import call_rust, rust

__all__ = ["SUPPORTED", "WebPImageFile"]

SUPPORTED = True
"""Pillow's flag for a Pillow built with libwebp: True here (the codecs
module reads and writes WebP). Set False, ``Image.open`` refuses WebP
files as such a Pillow does: a warning and ``UnidentifiedImageError``."""

# How much of an animation's composed frames is kept at once (bytes).
_FRAMES_KEPT_BYTES = 32 * 1024 * 1024


def _animation_frames(data: bytes) -> int:
    """How many ANMF chunks an animated WebP has (0 for a still one)."""
    if data[12:16] != b"VP8X" or len(data) < 21 or not data[20] & 2:
        return 0
    count, at = 0, 12
    while at + 8 <= len(data):
        size = int.from_bytes(data[at + 4 : at + 8], "little")
        count += data[at : at + 4] == b"ANMF"
        at += 8 + size + (size & 1)
    return count


class WebPImageFile(ImageFile):
    """A WEBP file read by ``Image.open``: ``seek`` and ``tell`` go through
    an animation's frames."""

    format = "WEBP"
    format_description = "WebP image"
    _mimetype = "image/webp"
    _animation: bytes | None = None
    _frames_in_file = 0
    _logical_frame = 0

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile:
        from . import WebPImagePlugin
        from .errors import UnidentifiedImageError

        if not WebPImagePlugin.SUPPORTED:
            warnings.warn("image file could not be identified because WEBP support not installed", stacklevel=2)
            raise UnidentifiedImageError(f"cannot identify image file {filename!r}")
        return super()._from_file(data, format, filename)

    def _read_header_extras(self) -> None:
        data = self._pending or b""
        self.info.setdefault("loop", 1)
        self.info.setdefault("background", (255, 255, 255, 255))
        self._frames_in_file = _animation_frames(data)
        if self._frames_in_file:
            self._animation = data
            self._cache: dict[int, bytes] = {}
            self._timestamps: list[int] = []

    @property
    def n_frames(self) -> int:  # type: ignore[override]
        """How many frames the file has."""
        return max(self._frames_in_file, 1)

    @property
    def is_animated(self) -> bool:  # type: ignore[override]
        """Whether the file has more than one frame."""
        return self._frames_in_file > 1

    def tell(self) -> int:
        """The current frame's number."""
        return self._logical_frame

    def seek(self, frame: int) -> None:
        """Go to ``frame`` (decoded at its first use); ``EOFError`` past the
        last one."""
        if frame < 0 or frame >= self.n_frames:
            raise EOFError("attempt to seek outside sequence")
        if frame == self._logical_frame:
            return
        self.info.pop("timestamp", None)
        self.info.pop("duration", None)
        self._logical_frame = frame
        if self._animation is not None:
            self._pending = self._animation

    def _decode(self, keep_mode: bool = True) -> None:
        if self._animation is None:
            super()._decode(keep_mode)
            self.info["timestamp"], self.info["duration"] = 0, 0
            return
        if self._pending is None:
            return
        frame = self._logical_frame
        canvas = self._canvas(frame)
        raw = call_rust(rust().RgbaImage.from_bytes, "RGBA", *self._size, files.to_uint8array(canvas))
        self._take_decoded(raw, module.generation)
        self._pending = None
        self._settle()
        self.info["timestamp"] = self._timestamps[frame] - self._durations[frame]
        self.info["duration"] = self._durations[frame]

    @property
    def raw(self) -> Any:
        if self._pending is not None and self._animation is not None:
            self._decode()
        return super().raw

    def _canvas(self, frame: int) -> bytes:
        """The composed RGBA canvas of ``frame``, decoded with the frames
        after it that fit in the cache."""
        if frame not in self._cache:
            data = self._animation or b""
            width, height = self._size
            count = max(1, _FRAMES_KEPT_BYTES // max(1, width * height * 4))
            limits = (rust().max_image_side(), int(rust().max_image_pixels()))
            canvases, self._durations = files.decode_webp_frames(data, frame, count, limits)
            self._cache = {frame + index: canvas for index, canvas in enumerate(canvases)}
            self._timestamps = list(accumulate(self._durations))
        return self._cache[frame]

    def close(self) -> None:
        """Frees the pixels and the file's bytes."""
        self._animation = None
        super().close()

    def _getexif(self) -> dict[int, Any] | None:
        """Pillow's ``_getexif``: IFD0 with the Exif directory's tags and
        the GPS directory as a dict under its tag; None without EXIF."""
        if "exif" not in self.info:
            return None
        return self.getexif()._get_merged_dict()


def _background(image: Any, params: dict[str, Any]) -> tuple[int, ...]:
    """Pillow's animation ``background``: the option, else the image's
    (a GIF's palette index as its colour), checked to be an RGBA tuple."""
    background: Any = (0, 0, 0, 0)
    if "background" in params:
        background = params["background"]
    elif "background" in image.info:
        background = image.info["background"]
        if isinstance(background, int):
            palette = image.getpalette()
            if palette:
                background = (*palette[background * 3 : background * 3 + 3], 255)
            else:
                background = (background, background, background, 255)
    if (
        not isinstance(background, (list, tuple))
        or len(background) != 4
        or not all(isinstance(value, int) and 0 <= value < 256 for value in background)
    ):
        raise OSError(f"Background color is not an RGBA tuple clamped to (0-255): {background}")
    return tuple(background)


def animation_file(image: Any, params: dict[str, Any]) -> bytes | None:
    """The animated WebP of ``image``'s frames and ``append_images``' (Pillow's
    ``save_all``), each frame lossless and whole, with Pillow's
    ``duration`` (one, or one per frame), ``loop``, ``background``,
    ``icc_profile`` and ``exif``; None when there is one frame in all,
    which Pillow writes as a still picture."""
    appended = list(params.get("append_images", []))
    sources = [image, *appended]
    if sum(getattr(source, "n_frames", 1) for source in sources) == 1:
        return None
    options = {**params, "background": _background(image, params), "loop": params.get("loop", 0)}
    duration = params.get("duration", image.info.get("duration", 0))
    frames: list[Any] = []
    stamps = [0.0]
    current = image.tell()
    try:
        for source in sources:
            for index in range(getattr(source, "n_frames", 1)):
                source.seek(index)
                frame = source
                if frame.mode not in ("RGBX", "RGBA", "RGB"):
                    frame = frame.convert("RGBA" if frame.has_transparency_data else "RGB")
                frames.append(frame.convert("RGBA"))
                step = duration[len(frames) - 1] if isinstance(duration, (list, tuple)) else duration
                stamps.append(stamps[-1] + step)
    finally:
        image.seek(current)
    # As libwebp's encoder, the file has alpha only when a frame uses it.
    alpha = any(frame.getextrema()[3][0] < 255 for frame in frames)
    layout = "RGBA" if alpha else "RGB"
    pixels = b"".join(frame.tobytes() if alpha else frame.convert("RGB").tobytes() for frame in frames)
    durations = [round(after) - round(before) for before, after in pairwise(stamps)]
    return files.encode_webp_animation(layout, pixels, image.size, durations, options)
