"""Pillow's ``ImageStat``: statistics of an image's channels, from its
histogram (counted in Rust), with Pillow's arithmetic, so every number equals
Pillow's.

>>> from wasmcanvas import Image, ImageStat
>>> with Image.new("RGBA", (2, 1), "red") as image:
...     ImageStat.Stat(image).mean
[255.0, 0.0, 0.0, 255.0]
"""

from __future__ import annotations

import itertools
import math
from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["Global", "Stat"]


class Stat:
    """Per-band statistics of an ``Image`` (of the pixels where ``mask``, a
    "1" or "L" image, is not 0) or of a histogram list of 256 counts per band."""

    def __init__(self, image_or_list: Image | list[int], mask: Image | None = None) -> None:
        if isinstance(image_or_list, list):
            self.h = image_or_list
        elif hasattr(image_or_list, "histogram"):
            self.h = image_or_list.histogram(mask)
        else:
            raise TypeError("first argument must be image or list")
        self.bands = list(range(len(self.h) // 256))

    def _layers(self) -> list[list[int]]:
        return [self.h[start : start + 256] for start in range(0, len(self.h), 256)]

    @cached_property
    def extrema(self) -> list[tuple[int, int]]:
        """The lowest and highest level present in each channel ((255, 0) for
        an empty one, as Pillow)."""
        spans = []
        for layer in self._layers():
            present = [level for level, count in enumerate(layer) if count]
            spans.append((present[0], present[-1]) if present else (255, 0))
        return spans

    @cached_property
    def count(self) -> list[int]:
        return [sum(layer) for layer in self._layers()]

    @cached_property
    def sum(self) -> list[int]:
        return [sum(level * count for level, count in enumerate(layer)) for layer in self._layers()]

    @cached_property
    def sum2(self) -> list[int]:
        return [sum(level**2 * count for level, count in enumerate(layer)) for layer in self._layers()]

    @cached_property
    def mean(self) -> list[float]:
        return [self.sum[band] / self.count[band] if self.count[band] else 0 for band in self.bands]

    @cached_property
    def median(self) -> list[int]:
        """The first level at which more than half of the channel's count is
        reached (255 for an empty channel, as Pillow)."""
        return [
            next((level for level, total in enumerate(itertools.accumulate(layer)) if total > count // 2), 255)
            for count, layer in zip(self.count, self._layers(), strict=True)
        ]

    @cached_property
    def rms(self) -> list[float]:
        return [math.sqrt(self.sum2[band] / self.count[band]) if self.count[band] else 0 for band in self.bands]

    @cached_property
    def var(self) -> list[float]:
        return [
            (self.sum2[band] - self.sum[band] ** 2 / self.count[band]) / self.count[band] if self.count[band] else 0
            for band in self.bands
        ]

    @cached_property
    def stddev(self) -> list[float]:
        return [math.sqrt(variance) for variance in self.var]


Global = Stat
