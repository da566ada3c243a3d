"""Pillow's ``PIL.Jpeg2KImagePlugin``: the class of the JPEG 2000 files
(JP2, and raw codestreams: .j2k, .j2c) ``Image.open`` returns. The header
gives the size and Pillow's mode ("L", "LA", "RGB", "RGBA"; "I;16" for a
grey deeper than 8 bits, which wasmcanvas refuses to load as its decoder
gives 8 bits a sample), ``info["dpi"]`` and ``info["comment"]``. Setting
``reduce`` before loading decodes that many resolution levels down, as
Pillow's ``reduce`` open option does.

>>> Image.new("RGB", (64, 48), "teal").save("teal.jp2")
>>> im = Image.open("teal.jp2")
>>> im.reduce = 1
>>> im.load() and im.size
(32, 24)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ._jpeg2000 import jpeg2000_header
from .ImageFile import ImageFile

__all__ = ["Jpeg2KImageFile"]


class Jpeg2KImageFile(ImageFile):
    """A JPEG 2000 file read by ``Image.open``."""

    format = "JPEG2000"
    format_description = "JPEG 2000 (ISO 15444)"
    _mimetype = "image/jp2"
    _codec_decoder = "decode_jpeg2000"

    layers = 0
    """Pillow's ``layers`` open option: the quality layers to decode. The
    decoder always decodes them all (see docs/differences.md)."""

    _reduce = 0

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile:
        # Pillow's refusals of the header, before the shared opener reads it.
        mimetype = jpeg2000_header(data).mimetype
        image = super()._from_file(data, format, filename)
        image.custom_mimetype = mimetype
        return image

    def _codec_arguments(self) -> tuple[Any, ...]:
        return (self._reduce,)

    @property  # type: ignore[override]
    def reduce(self) -> Callable[..., Any] | int:
        """Pillow's ``reduce``: the open option once set (an int), the
        method ``Image.reduce`` otherwise."""
        return self._reduce or super().reduce

    @reduce.setter
    def reduce(self, value: int) -> None:
        self._reduce = value

    def load(self) -> Any:
        if self._reduce and self._pending is not None:
            power = 1 << self._reduce
            self._size = tuple(int((side + (power >> 1)) / power) for side in self._size)  # type: ignore[assignment]
        return super().load()
