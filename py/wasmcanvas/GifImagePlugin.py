"""Pillow's ``PIL.GifImagePlugin``: the class of the GIF files ``Image.open``
returns, for code and tests that check ``isinstance(im, GifImagePlugin.GifImageFile)``,
and Pillow's ``LoadingStrategy`` with the module's ``LOADING_STRATEGY``.
wasmcanvas reads a GIF's first frame only, its palette expanded (there is
no "P" mode here), so the strategy, which Pillow applies to the frames
after the first (and with ``RGB_ALWAYS`` to the first as well), changes
nothing: every value is accepted and the first frame reads the same.

>>> type(Image.open(data)).__name__
'GifImageFile'
"""

from __future__ import annotations

from enum import IntEnum

from .ImageFile import ImageFile

__all__ = ["LOADING_STRATEGY", "GifImageFile", "LoadingStrategy"]


class LoadingStrategy(IntEnum):
    """How Pillow gives the frames of a GIF: Pillow's values.

    >>> LoadingStrategy.RGB_ALWAYS
    <LoadingStrategy.RGB_ALWAYS: 2>
    """

    RGB_AFTER_FIRST = 0
    RGB_AFTER_DIFFERENT_PALETTE_ONLY = 1
    RGB_ALWAYS = 2


# Pillow's default; read by nothing here (see the module's docstring).
LOADING_STRATEGY = LoadingStrategy.RGB_AFTER_FIRST


class GifImageFile(ImageFile):
    """A GIF file read by ``Image.open``."""

    format = "GIF"
    format_description = "Compuserve GIF"
    _mimetype = "image/gif"
