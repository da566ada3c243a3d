"""The Rust simulations as Python objects: ``Life`` (Conway's Game of Life on
a torus) and ``Plasma`` (an animated colour field). Each renders into a
``wasmcanvas.Image``, frees its Rust state on ``close()``, at the end of a
``with`` block or when Python drops it, and raises Python exceptions for
bad arguments. Pillow has nothing like them.

>>> from wasmcanvas import Image, Life
>>> with Life(40, 30) as world, Image.new("RGBA", (40, 30)) as frame:
...     world.place_pattern(".O.\\n..O\\nOOO", 1, 1)
...     world.tick(4)
...     world.render(frame)
...     world.population
5
5
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import module
from ._checks import require_int, require_number
from ._owned import RustOwned
from .colours import Colour, parse_colour
from .module import call_rust

if TYPE_CHECKING:
    from .Image import Image

__all__ = ["Life", "Plasma"]


def _require_colour(image: Image) -> None:
    if not hasattr(image, "mode") or not hasattr(image, "raw"):
        raise TypeError(f"can only render into a wasmcanvas Image, not {type(image).__name__}")
    if image.mode not in ("RGB", "RGBA"):
        raise ValueError(f"can only render into an RGB or RGBA image, not {image.mode}")


class Life(RustOwned):
    """A ``width`` x ``height`` Game of Life whose edges wrap around."""

    _closed_message = "this Life is closed: its state was freed"
    _reloaded_message = "this Life was made by the rust_image module before it was reloaded"

    def __init__(self, width: int, height: int) -> None:
        self._own(call_rust(module.rust().Life.new, require_int("width", width), require_int("height", height)))

    @property
    def width(self) -> int:
        return int(self.raw.width)

    @property
    def height(self) -> int:
        return int(self.raw.height)

    @property
    def generation(self) -> int:
        """How many steps the world has taken."""
        return int(self.raw.generation)

    @property
    def population(self) -> int:
        """How many cells are alive."""
        return int(self._call("population"))

    def tick(self, generations: int = 1) -> None:
        """Advance by ``generations`` steps (up to 10000 a call)."""
        self._call("tick", require_int("generations", generations))

    def is_alive(self, x: int, y: int) -> bool:
        return bool(self._call("is_alive", require_int("x", x), require_int("y", y)))

    def set(self, x: int, y: int, alive: bool = True) -> None:
        self._call("set", require_int("x", x), require_int("y", y), bool(alive))

    def toggle(self, x: int, y: int) -> bool:
        """Flip a cell; returns whether it is now alive."""
        return bool(self._call("toggle", require_int("x", x), require_int("y", y)))

    def clear(self) -> None:
        self._call("clear")

    def randomize(self, seed: int, density: float = 0.3) -> None:
        """Each cell alive with probability ``density``, from ``seed``."""
        self._call("randomize", require_int("seed", seed), require_number("density", density))

    def place_pattern(self, pattern: str, x: int, y: int) -> int:
        """Place a plaintext pattern (``O`` alive, ``.`` dead, ``!`` comment
        lines) with its corner at ``(x, y)``; returns the cells set alive."""
        if not isinstance(pattern, str):
            raise TypeError(f"pattern must be a str, not {type(pattern).__name__}")
        return int(self._call("place_pattern", pattern, require_int("x", x), require_int("y", y)))

    def set_colours(self, alive: Colour, dead: Colour) -> None:
        """The colours ``render`` paints live and dead cells with."""
        self._call("set_colours", *parse_colour(alive), *parse_colour(dead))

    def render(self, image: Image) -> None:
        """Paint the cells into ``image`` (RGB or RGBA), which must be the
        same size."""
        _require_colour(image)
        self._call("render", image.raw)
        image._settle()


class Plasma(RustOwned):
    """An animated colour field: ``render(image, seconds)`` paints the frame
    at that time into an image of any size."""

    _closed_message = "this Plasma is closed: its state was freed"
    _reloaded_message = "this Plasma was made by the rust_image module before it was reloaded"

    def __init__(self) -> None:
        self._own(call_rust(module.rust().Plasma.new))

    def render(self, image: Image, time: float) -> None:
        """Paint the frame at ``time`` seconds into ``image`` (RGB or RGBA)."""
        _require_colour(image)
        self._call("render", image.raw, require_number("time", time))
