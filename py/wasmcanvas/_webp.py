"""Pillow's ``PIL._webp`` (its libwebp binding), over wasmcanvas's WebP
codecs, for code that calls it directly: ``WebPEncode`` writes a still
picture, ``WebPAnimDecoder`` gives an animation's composed frames (a still
file as one frame), ``WebPAnimEncoder`` collects frames and assembles an
animation. As ``save`` does, every picture is written lossless (image-webp
has no lossy encoder): ``lossless``, ``quality``, ``alpha_quality``,
``method``, ``minimize_size``, ``kmin``, ``kmax`` and ``allow_mixed`` are
taken and do not change the file.

>>> from wasmcanvas import _webp
>>> data = _webp.WebPEncode(Image.new("RGB", (2, 2), "red").getim(), False, 80, 100, "", 4, 0, b"", "")
>>> decoder = _webp.WebPAnimDecoder(data)
>>> decoder.get_info()
((2, 2), 1, 4294967295, 1, 'RGBX')
"""

from __future__ import annotations

import io
from itertools import pairwise
from typing import Any

from . import _files as files

__all__ = ["WebPAnimDecoder", "WebPAnimEncoder", "WebPEncode"]


def _pixels(core: Any) -> tuple[str, bytes, tuple[int, int]]:
    """The layout ("RGB" or "RGBA") and bytes of a core image of "RGB",
    "RGBA" or "RGBX"; ``ValueError`` for another mode, as libwebp's binding."""
    image = core._image
    if image.mode not in ("RGB", "RGBA", "RGBX"):
        raise ValueError("unsupported image mode")
    layout = "RGBA" if image.mode == "RGBA" else "RGB"
    return layout, bytes(image._call("to_bytes", layout, None).to_py()), image.size


def WebPEncode(
    im: Any,
    lossless: bool,
    quality: float,
    alpha_quality: float,
    icc_profile: bytes | str,
    method: int,
    exact: int,
    exif: bytes | str,
    xmp: bytes | str,
) -> bytes:
    """A still WebP file of a core image (``im.getim()``), lossless, with
    the ICC profile and EXIF when given."""
    layout, data, size = _pixels(im)
    params = {"icc_profile": icc_profile or None, "exif": exif or None}
    return files.encode("WEBP", layout, files.to_uint8array(data), size, params, {})


class WebPAnimDecoder:
    """libwebp's animation decoder: ``get_info``, ``get_chunk``,
    ``get_next`` (the next composed frame and its end time) and ``reset``."""

    def __init__(self, data: bytes) -> None:
        from .Image import open as open_image

        self._image = open_image(io.BytesIO(bytes(data)), formats=["WEBP"])
        self._next = 0

    def get_info(self) -> tuple[tuple[int, int], int, int, int, str]:
        """Canvas size, loop count, background (0xAARRGGBB), frame count and
        the mode of the frames ("RGBA", or "RGBX" without alpha)."""
        image = self._image
        red, green, blue, alpha = image.info["background"]
        background = alpha << 24 | red << 16 | green << 8 | blue
        mode = "RGBA" if image.mode == "RGBA" else "RGBX"
        return image.size, image.info["loop"], background, image.n_frames, mode

    def get_chunk(self, name: str) -> bytes | None:
        """The ICCP, EXIF or XMP chunk's data, or None."""
        key = {"ICCP": "icc_profile", "EXIF": "exif", "XMP ": "xmp"}.get(name)
        value = self._image.info.get(key) if key else None
        return bytes(value) if value else None

    def get_next(self) -> tuple[bytes, int] | None:
        """The next frame's pixels (4 bytes each) and the time it ends at,
        None after the last."""
        image = self._image
        if self._next >= image.n_frames:
            return None
        image.seek(self._next)
        image.load()
        self._next += 1
        return image.convert("RGBA").tobytes(), image.info["timestamp"] + image.info["duration"]

    def reset(self) -> None:
        """Back to the first frame."""
        self._next = 0


class WebPAnimEncoder:
    """libwebp's animation encoder: ``add`` each frame at the time it
    starts (a last ``add(None, end)`` ends the last), then ``assemble``."""

    def __init__(
        self,
        size: tuple[int, int],
        background: int,
        loop: int,
        minimize_size: bool,
        kmin: int,
        kmax: int,
        allow_mixed: bool,
        verbose: bool,
    ) -> None:
        self._size = size
        self._background = (background >> 16 & 255, background >> 8 & 255, background & 255, background >> 24 & 255)
        self._loop = loop
        self._frames: list[tuple[str, bytes]] = []
        self._times: list[int] = []

    def add(self, im: Any, timestamp: int, lossless: bool, quality: float, alpha_quality: float, method: int) -> None:
        """A frame (a core image the canvas's size) starting at ``timestamp``
        milliseconds; None ends the previous one there."""
        self._times.append(int(timestamp))
        if im is not None:
            layout, data, size = _pixels(im)
            if size != self._size:
                raise ValueError("frame size does not match the animation's")
            self._frames.append((layout, data))

    def assemble(self, icc_profile: bytes | str, exif: bytes | str, xmp: bytes | str) -> bytes:
        """The animation's file: frames with alpha written as "RGBA" when
        one uses it, else "RGB"."""
        if not self._frames:
            raise ValueError("no frames to assemble")
        alpha = any(layout == "RGBA" and any(b != 255 for b in data[3::4]) for layout, data in self._frames)
        pixels = b"".join(_as_layout(layout, data, "RGBA" if alpha else "RGB") for layout, data in self._frames)
        times = self._times + [self._times[-1]] * (len(self._frames) + 1 - len(self._times))
        durations = [after - before for before, after in pairwise(times[: len(self._frames) + 1])]
        params = {
            "background": self._background,
            "loop": self._loop,
            "icc_profile": icc_profile or None,
            "exif": exif or None,
        }
        return files.encode_webp_animation("RGBA" if alpha else "RGB", pixels, self._size, durations, params)


def _as_layout(layout: str, data: bytes, wanted: str) -> bytes:
    if layout == wanted:
        return data
    if wanted == "RGB":
        return b"".join(data[i : i + 3] for i in range(0, len(data), 4))
    return b"".join(data[i : i + 3] + b"\xff" for i in range(0, len(data), 3))
