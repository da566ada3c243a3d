"""Colours as wasmcanvas takes them: ``(r, g, b)``, ``(r, g, b, a)`` with
components 0 to 255, or any string Pillow's ``ImageColor`` reads (CSS names,
``"#rgb"``, ``"#rrggbb"``, ``"#rrggbbaa"``, ``rgb()``, ``hsl()``...).

>>> parse_colour("#3c465a")
(60, 70, 90, 255)
>>> parse_colour("orange")
(255, 165, 0, 255)
>>> to_css((255, 0, 0, 255))
'#ff0000'
"""

from __future__ import annotations

from collections.abc import Sequence

from . import ImageColor

Colour = str | Sequence[int]
RGBA = tuple[int, int, int, int]


def parse_colour(value: Colour) -> RGBA:
    """Normalise a colour to an ``(r, g, b, a)`` tuple of ints (a string's
    numbers checked too: Pillow reads ``rgb(300, 0, 0)`` but no pixel holds it)."""
    if isinstance(value, str):
        components: tuple[object, ...] = ImageColor.getrgb(value)
    else:
        try:
            components = tuple(value)
        except TypeError:
            raise TypeError(
                f"a colour must be (r, g, b), (r, g, b, a) or a colour string, not {type(value).__name__}"
            ) from None
    if len(components) not in (3, 4):
        raise ValueError(f"a colour needs 3 or 4 components, got {len(components)}")
    for name, component in zip("rgba", components, strict=False):
        if isinstance(component, bool) or not isinstance(component, int):
            raise TypeError(f"colour component {name} must be an int, not {type(component).__name__}")
        if not 0 <= component <= 255:
            raise ValueError(f"colour component {name} must be in 0..255, got {component}")
    return (*components, 255)[:4] if len(components) == 3 else components  # type: ignore[return-value]


def num_to_hex(value: int) -> str:
    """One colour byte as two lowercase hex digits (the seed lesson's helper).

    >>> num_to_hex(255), num_to_hex(10), num_to_hex(0)
    ('ff', '0a', '00')
    """
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"a colour byte must be an int, not {type(value).__name__}")
    if not 0 <= value <= 255:
        raise ValueError(f"a colour byte must be in 0..255, got {value}")
    return f"{value:02x}"


def to_css(colour: Colour) -> str:
    """The CSS hex form of a colour (``#rrggbb``, or ``#rrggbbaa`` if not opaque)."""
    red, green, blue, alpha = parse_colour(colour)
    text = "#" + num_to_hex(red) + num_to_hex(green) + num_to_hex(blue)
    return text if alpha == 255 else text + num_to_hex(alpha)
