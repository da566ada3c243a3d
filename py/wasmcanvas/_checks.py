"""Argument checks shared by the modules: wrong types raise ``TypeError``,
out-of-range values ``ValueError``, both naming the argument.

>>> require_int("width", 3, minimum=1)
3
>>> require_int("width", 0, minimum=1)
Traceback (most recent call last):
ValueError: width must be at least 1, got 0
"""

from __future__ import annotations

from typing import Any

# JS numbers hold integers exactly up to 2**53; Pyodide passes larger Python
# ints as BigInt, which no wasm-bindgen number parameter accepts.
LARGEST_EXACT_INT = 2**53


def require_int(name: str, value: object, minimum: int | None = None) -> int:
    """``value`` if it is an int (not a bool) of at least ``minimum``."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, not {type(value).__name__}")
    if abs(value) >= LARGEST_EXACT_INT:
        raise ValueError(f"{name} must be within ±2**53, got {value}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, got {value}")
    return value


def require_number(name: str, value: object) -> float:
    """``value`` as a float if it is an int or a float (not a bool)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"{name} must be a number, not {type(value).__name__}")
    return float(value)


def require_radii(name: str, value: object) -> tuple[float, float]:
    """``(x, y)`` from one number for both or a pair of numbers, as
    Pillow's ``GaussianBlur`` and ``BoxBlur`` take their radius."""
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise ValueError(f"{name} must be one number or an (x, y) pair, got {len(value)} numbers")
        return require_number(name, value[0]), require_number(name, value[1])
    radius = require_number(name, value)
    return radius, radius


def require_size(size: Any) -> tuple[int, int]:
    """``(width, height)`` from a pair of ints."""
    try:
        given_width, given_height = size
    except (TypeError, ValueError):
        raise TypeError(f"size must be a (width, height) tuple, got {size!r}") from None
    return require_int("width", given_width), require_int("height", given_height)


def require_box(box: Any) -> list[int]:
    """rust_image's ``[x, y, width, height]`` of a Pillow box ``(left,
    upper, right, lower)`` of whole pixels.

    >>> require_box((2, 3, 10, 4))
    [2, 3, 8, 1]
    """
    try:
        corners = tuple(box)
    except TypeError:
        raise TypeError(f"box must be (left, upper, right, lower), got {box!r}") from None
    if len(corners) != 4:
        raise TypeError(f"box must be (left, upper, right, lower), got {box!r}")
    names = ("box left", "box upper", "box right", "box lower")
    left, upper, right, lower = (require_int(name, value) for name, value in zip(names, corners, strict=True))
    if right < left:
        raise ValueError("Coordinate 'right' is less than 'left'")
    if lower < upper:
        raise ValueError("Coordinate 'lower' is less than 'upper'")
    return [left, upper, right - left, lower - upper]


def require_matching(image1: object, image2: object) -> None:
    """Two images of one mode and size, as Pillow's two-image operations
    want them ("images do not match" otherwise)."""
    for image in (image1, image2):
        if not hasattr(image, "mode") or not hasattr(image, "raw"):
            raise TypeError(f"expected a wasmcanvas Image, not {type(image).__name__}")
    if image1.mode != image2.mode or image1.size != image2.size:  # type: ignore[attr-defined]
        raise ValueError("images do not match")
