"""Colour strings read as Pillow's ``ImageColor`` reads them: the 148 CSS
colour names, ``#rgb``, ``#rgba``, ``#rrggbb``, ``#rrggbbaa``,
``rgb(r, g, b)`` (numbers or percentages), ``rgba(r, g, b, a)``,
``hsl(h, s%, l%)`` and ``hsv(h, s%, v%)`` (or ``hsb``), any case.

>>> getrgb("Red")
(255, 0, 0)
>>> getrgb("#3c465a80")
(60, 70, 90, 128)
>>> getrgb("hsl(120, 100%, 25%)")
(0, 128, 0)
>>> getcolor("hsl(120, 100%, 25%)", "L")
75
>>> getcolor("rgba(255, 0, 0, 128)", "RGB")
(255, 0, 0)
"""

from __future__ import annotations

import colorsys
import re

__all__ = ["colormap", "getcolor", "getrgb"]

RGB = tuple[int, int, int]

# CSS Color Module Level 4's named colours (with both spellings of grey), as
# 0xRRGGBB.
_NAMED: dict[str, int] = {
    "aliceblue": 0xF0F8FF,
    "antiquewhite": 0xFAEBD7,
    "aqua": 0x00FFFF,
    "aquamarine": 0x7FFFD4,
    "azure": 0xF0FFFF,
    "beige": 0xF5F5DC,
    "bisque": 0xFFE4C4,
    "black": 0x000000,
    "blanchedalmond": 0xFFEBCD,
    "blue": 0x0000FF,
    "blueviolet": 0x8A2BE2,
    "brown": 0xA52A2A,
    "burlywood": 0xDEB887,
    "cadetblue": 0x5F9EA0,
    "chartreuse": 0x7FFF00,
    "chocolate": 0xD2691E,
    "coral": 0xFF7F50,
    "cornflowerblue": 0x6495ED,
    "cornsilk": 0xFFF8DC,
    "crimson": 0xDC143C,
    "cyan": 0x00FFFF,
    "darkblue": 0x00008B,
    "darkcyan": 0x008B8B,
    "darkgoldenrod": 0xB8860B,
    "darkgray": 0xA9A9A9,
    "darkgreen": 0x006400,
    "darkgrey": 0xA9A9A9,
    "darkkhaki": 0xBDB76B,
    "darkmagenta": 0x8B008B,
    "darkolivegreen": 0x556B2F,
    "darkorange": 0xFF8C00,
    "darkorchid": 0x9932CC,
    "darkred": 0x8B0000,
    "darksalmon": 0xE9967A,
    "darkseagreen": 0x8FBC8F,
    "darkslateblue": 0x483D8B,
    "darkslategray": 0x2F4F4F,
    "darkslategrey": 0x2F4F4F,
    "darkturquoise": 0x00CED1,
    "darkviolet": 0x9400D3,
    "deeppink": 0xFF1493,
    "deepskyblue": 0x00BFFF,
    "dimgray": 0x696969,
    "dimgrey": 0x696969,
    "dodgerblue": 0x1E90FF,
    "firebrick": 0xB22222,
    "floralwhite": 0xFFFAF0,
    "forestgreen": 0x228B22,
    "fuchsia": 0xFF00FF,
    "gainsboro": 0xDCDCDC,
    "ghostwhite": 0xF8F8FF,
    "gold": 0xFFD700,
    "goldenrod": 0xDAA520,
    "gray": 0x808080,
    "green": 0x008000,
    "greenyellow": 0xADFF2F,
    "grey": 0x808080,
    "honeydew": 0xF0FFF0,
    "hotpink": 0xFF69B4,
    "indianred": 0xCD5C5C,
    "indigo": 0x4B0082,
    "ivory": 0xFFFFF0,
    "khaki": 0xF0E68C,
    "lavender": 0xE6E6FA,
    "lavenderblush": 0xFFF0F5,
    "lawngreen": 0x7CFC00,
    "lemonchiffon": 0xFFFACD,
    "lightblue": 0xADD8E6,
    "lightcoral": 0xF08080,
    "lightcyan": 0xE0FFFF,
    "lightgoldenrodyellow": 0xFAFAD2,
    "lightgray": 0xD3D3D3,
    "lightgreen": 0x90EE90,
    "lightgrey": 0xD3D3D3,
    "lightpink": 0xFFB6C1,
    "lightsalmon": 0xFFA07A,
    "lightseagreen": 0x20B2AA,
    "lightskyblue": 0x87CEFA,
    "lightslategray": 0x778899,
    "lightslategrey": 0x778899,
    "lightsteelblue": 0xB0C4DE,
    "lightyellow": 0xFFFFE0,
    "lime": 0x00FF00,
    "limegreen": 0x32CD32,
    "linen": 0xFAF0E6,
    "magenta": 0xFF00FF,
    "maroon": 0x800000,
    "mediumaquamarine": 0x66CDAA,
    "mediumblue": 0x0000CD,
    "mediumorchid": 0xBA55D3,
    "mediumpurple": 0x9370DB,
    "mediumseagreen": 0x3CB371,
    "mediumslateblue": 0x7B68EE,
    "mediumspringgreen": 0x00FA9A,
    "mediumturquoise": 0x48D1CC,
    "mediumvioletred": 0xC71585,
    "midnightblue": 0x191970,
    "mintcream": 0xF5FFFA,
    "mistyrose": 0xFFE4E1,
    "moccasin": 0xFFE4B5,
    "navajowhite": 0xFFDEAD,
    "navy": 0x000080,
    "oldlace": 0xFDF5E6,
    "olive": 0x808000,
    "olivedrab": 0x6B8E23,
    "orange": 0xFFA500,
    "orangered": 0xFF4500,
    "orchid": 0xDA70D6,
    "palegoldenrod": 0xEEE8AA,
    "palegreen": 0x98FB98,
    "paleturquoise": 0xAFEEEE,
    "palevioletred": 0xDB7093,
    "papayawhip": 0xFFEFD5,
    "peachpuff": 0xFFDAB9,
    "peru": 0xCD853F,
    "pink": 0xFFC0CB,
    "plum": 0xDDA0DD,
    "powderblue": 0xB0E0E6,
    "purple": 0x800080,
    "rebeccapurple": 0x663399,
    "red": 0xFF0000,
    "rosybrown": 0xBC8F8F,
    "royalblue": 0x4169E1,
    "saddlebrown": 0x8B4513,
    "salmon": 0xFA8072,
    "sandybrown": 0xF4A460,
    "seagreen": 0x2E8B57,
    "seashell": 0xFFF5EE,
    "sienna": 0xA0522D,
    "silver": 0xC0C0C0,
    "skyblue": 0x87CEEB,
    "slateblue": 0x6A5ACD,
    "slategray": 0x708090,
    "slategrey": 0x708090,
    "snow": 0xFFFAFA,
    "springgreen": 0x00FF7F,
    "steelblue": 0x4682B4,
    "tan": 0xD2B48C,
    "teal": 0x008080,
    "thistle": 0xD8BFD8,
    "tomato": 0xFF6347,
    "turquoise": 0x40E0D0,
    "violet": 0xEE82EE,
    "wheat": 0xF5DEB3,
    "white": 0xFFFFFF,
    "whitesmoke": 0xF5F5F5,
    "yellow": 0xFFFF00,
    "yellowgreen": 0x9ACD32,
}

#: Each CSS colour name and its ``(r, g, b)``, as Pillow's ``colormap``
#: gives them once read.
colormap: dict[str, RGB] = {name: (value >> 16, (value >> 8) & 0xFF, value & 0xFF) for name, value in _NAMED.items()}

_NUMBER = r"(\d+\.?\d*)"
_FORMS = [
    (re.compile(r"#([a-f0-9]{3,4}|[a-f0-9]{6}|[a-f0-9]{8})$"), "hex"),
    (re.compile(r"rgb\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$"), "rgb"),
    (re.compile(r"rgb\(\s*(\d+)%\s*,\s*(\d+)%\s*,\s*(\d+)%\s*\)$"), "rgb%"),
    (re.compile(rf"hsl\(\s*{_NUMBER}\s*,\s*{_NUMBER}%\s*,\s*{_NUMBER}%\s*\)$"), "hsl"),
    (re.compile(rf"hs[bv]\(\s*{_NUMBER}\s*,\s*{_NUMBER}%\s*,\s*{_NUMBER}%\s*\)$"), "hsv"),
    (re.compile(r"rgba\(\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*,\s*(\d+)\s*\)$"), "rgba"),
]


def _scaled(fraction: float) -> int:
    return int(fraction * 255 + 0.5)


def getrgb(color: str) -> tuple[int, ...]:
    """``(r, g, b)``, or ``(r, g, b, a)`` for the forms that carry alpha
    (``#rgba``, ``#rrggbbaa``, ``rgba()``). Like Pillow's, the numbers of
    ``rgb()`` and ``rgba()`` are not range-checked; an unknown string raises
    ``ValueError``.

    >>> getrgb("rgb(100%, 50%, 0%)")
    (255, 128, 0)
    """
    if not isinstance(color, str):
        raise TypeError(f"a colour string must be a str, not {type(color).__name__}")
    if len(color) > 100:
        raise ValueError("color specifier is too long")
    text = color.lower()
    if text in colormap:
        return colormap[text]
    for pattern, form in _FORMS:
        match = pattern.match(text)
        if match is None:
            continue
        groups = match.groups()
        if form == "hex":
            digits = groups[0] if len(groups[0]) > 4 else "".join(digit * 2 for digit in groups[0])
            return tuple(bytes.fromhex(digits))
        if form in ("rgb", "rgba"):
            return tuple(int(group) for group in groups)
        if form == "rgb%":
            return tuple(int(int(group) * 255 / 100.0 + 0.5) for group in groups)
        hue, second, third = (float(group) for group in groups)
        if form == "hsl":
            rgb = colorsys.hls_to_rgb(hue / 360.0, third / 100.0, second / 100.0)
        else:
            rgb = colorsys.hsv_to_rgb(hue / 360.0, second / 100.0, third / 100.0)
        return tuple(_scaled(channel) for channel in rgb)
    raise ValueError(f"unknown color specifier: {text!r}")


def getcolor(color: str, mode: str) -> int | tuple[int, ...]:
    """The colour as a pixel of ``mode``, as Pillow's: grey by Pillow's luma
    weights for the modes based on "L" (a plain int for the one-band ones),
    hue, saturation and value for "HSV", premultiplied for "La" and "RGBa",
    alpha 255 unless the string gives one; red, green and blue for the other
    modes (a "P" image maps them through its palette).

    >>> getcolor("#ff000080", "LA"), getcolor("red", "HSV")
    ((76, 128), (0, 255, 255))
    """
    from .ImageMode import getmode

    rgba = getrgb(color)
    red, green, blue = rgba[:3]
    alpha = rgba[3] if len(rgba) == 4 else 255
    if mode == "HSV":
        from colorsys import rgb_to_hsv

        hue, saturation, value = rgb_to_hsv(red / 255, green / 255, blue / 255)
        return int(hue * 255), int(saturation * 255), int(value * 255)
    bands: tuple[int, ...] = (
        ((red * 19595 + green * 38470 + blue * 7471 + 0x8000) >> 16,)
        if getmode(mode).basemode == "L"
        else (red, green, blue)
    )
    if mode.endswith("a"):
        bands = tuple(round(band * alpha / 255) for band in bands)
    if mode[-1] in ("A", "a"):
        return (*bands, alpha)
    return bands[0] if len(bands) == 1 else bands
