"""Pillow's ``PIL.FliImagePlugin``: the class of the FLI and FLC animations
``Image.open`` returns, "P" images whose palette is the first frame's
colours (later colour chunks are ignored, as Pillow ignores them).
``seek`` goes through the frames as Pillow's: each is drawn over the one
before, so reaching a frame decodes those before it that are not yet
decoded (and raises their errors); going back starts again from the first.

```python
im = Image.open("a.fli")
im.n_frames, im.info["duration"]   # (384, 71)
im.seek(50)
```
"""

from __future__ import annotations

import struct
from typing import Any

from . import Image, ImageFile
from . import _files as files
from ._headers import fli_header
from .module import rust

__all__ = ["FliImageFile"]

# Where the first frame starts: after the 128-byte header.
_FIRST_FRAME = 128


class FliImageFile(ImageFile.ImageFile):
    """An FLI or FLC file read by ``Image.open``."""

    format = "FLI"
    format_description = "Autodesk FLI/FLC Animation"
    _file: bytes | None = None
    _frame = -1
    _offset = _FIRST_FRAME
    _next_offset = _FIRST_FRAME
    _canvas: bytes | None = None
    """The indices of the frame decoded last (the current one once loaded)."""

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile.ImageFile:
        header = fli_header(data)
        image = super()._from_file(data, format, filename)
        assert isinstance(image, FliImageFile)
        image.n_frames = header.frames
        image.is_animated = header.frames > 1
        image._file = data
        image.seek(0)
        return image

    def tell(self) -> int:
        """The current frame's number."""
        return self._frame

    def seek(self, frame: int) -> None:
        """Go to ``frame``: ``EOFError`` outside the animation, or when the
        file ends where a frame should start ("missing frame size")."""
        if frame < 0 or frame >= self.n_frames:
            raise EOFError("attempt to seek outside sequence")
        if frame == self._frame:
            return
        if self._file is None:
            raise ValueError("seek of closed file")
        if frame < self._frame:
            self._seek(0)
        for step in range(self._frame + 1, frame + 1):
            self._seek(step)

    def _seek(self, frame: int) -> None:
        """Pillow's step to ``frame``: the first, or the one after the
        current frame (which is loaded first); ``ValueError`` for another."""
        if frame == 0:
            self._frame, self._next_offset, self._canvas = -1, _FIRST_FRAME, None
        else:
            self.load()
        if frame != self._frame + 1:
            raise ValueError(f"cannot seek to frame {frame}")
        data = self._file or b""
        at = self._next_offset
        head = data[at : at + 4]
        if not head:
            raise EOFError("missing frame size")
        self._frame = frame
        self._offset = at
        self._next_offset = at + struct.unpack("<I", head)[0]
        self._pending = data

    def _decode(self, keep_mode: bool = True) -> None:
        if self._pending is None:
            return
        if not ImageFile._within_limits(self._size) or self._file is None:
            super()._decode(keep_mode)
            return
        width, height = self._size
        canvas = self._canvas if self._canvas is not None else bytes(width * height)
        self._pending = None
        try:
            canvas = files.decode_fli_frame(
                self._file, self._offset, self._size, canvas, bool(ImageFile.LOAD_TRUNCATED_IMAGES)
            )
        finally:
            # As Pillow's, a frame that fails to decode counts as loaded, over the one before.
            self._canvas = canvas
            rust()
            made = Image.frombytes("L", self._size, canvas)
            raw, made._raw = made._raw, None
            self._take_decoded(raw, made._generation)

    @property
    def raw(self) -> Any:
        if self._pending is not None:
            self._decode()
        return super().raw

    def close(self) -> None:
        """Frees the pixels and forgets the file (``seek`` then raises ``ValueError``)."""
        self._file = None
        super().close()
