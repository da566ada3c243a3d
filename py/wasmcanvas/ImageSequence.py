"""Pillow's ``PIL.ImageSequence``: the frames of an image, one after the
other, through its ``seek`` and ``tell``.

>>> from wasmcanvas import Image, ImageSequence
>>> [frame.size for frame in ImageSequence.Iterator(Image.new("L", (3, 2)))]
[(3, 2)]

An animated GIF or WebP gives each of its frames (``Image.open`` reads
them as Pillow does); other images give themselves once. It works the same
on any object with Pillow's ``seek`` and ``tell``.

>>> frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
>>> frames[0].save("animation.gif", save_all=True, append_images=frames[1:], duration=[100, 100, 200])
>>> [frame.info["duration"] for frame in ImageSequence.Iterator(Image.open("animation.gif"))]
[100, 100, 200]
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, Self

__all__ = ["Iterator", "all_frames"]


class _Seekable(Protocol):
    def seek(self, frame: int, /) -> None: ...
    def tell(self) -> int: ...
    def copy(self) -> Any: ...


class Iterator:
    """The frames of ``im``: each step seeks ``im`` to the next frame and
    gives ``im`` itself; ``iterator[i]`` seeks to frame ``i`` (``IndexError``
    past the last one). ``im`` without ``seek`` raises ``AttributeError``."""

    def __init__(self, im: _Seekable) -> None:
        if not hasattr(im, "seek"):
            raise AttributeError("im must have seek method")
        self.im = im
        self.position: int = getattr(im, "_min_frame", 0)

    def __getitem__(self, ix: int) -> Any:
        try:
            self.im.seek(ix)
        except EOFError as error:
            raise IndexError("end of sequence") from error
        return self.im

    def __iter__(self) -> Self:
        return self

    def __next__(self) -> Any:
        try:
            self.im.seek(self.position)
        except EOFError as error:
            raise StopIteration("end of sequence") from error
        self.position += 1
        return self.im


def all_frames(im: _Seekable | list[_Seekable], func: Callable[[Any], Any] | None = None) -> list[Any]:
    """A copy of every frame of an image, or of each image in a list, each
    passed through ``func`` when given; the images are left on the frame
    they were on.

    >>> len(all_frames([Image.new("L", (1, 1)), Image.new("L", (2, 2))]))   # doctest: +SKIP
    2
    """
    images = im if isinstance(im, list) else [im]
    frames: list[Any] = []
    for image in images:
        current = image.tell()
        try:
            frames.extend(frame.copy() for frame in Iterator(image))
        finally:
            image.seek(current)
    return [func(frame) for frame in frames] if func else frames
