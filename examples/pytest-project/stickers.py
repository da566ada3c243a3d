"""A user's module: square stickers of photos for a gallery, made with
wasmcanvas in the browser. It runs in Pyodide only (on CPython ``import
wasmcanvas`` raises ImportError), so its tests run there too: see tests/."""

import io

from wasmcanvas import Image, ImageOps


def sticker(photo: Image.Image, size: int = 64, border: int = 4, colour: str = "white") -> Image.Image:
    """A ``size`` x ``size`` "RGB" sticker: ``photo`` cropped to a square
    from its centre, scaled, inside a ``border`` of ``colour``."""
    inner = ImageOps.fit(photo.convert("RGB"), (size - 2 * border, size - 2 * border))
    card = Image.new("RGB", (size, size), colour)
    card.paste(inner, (border, border))
    return card


def sticker_file(data: bytes, size: int = 64) -> bytes:
    """A picture file (PNG, JPEG, GIF, WebP...) in, the sticker as a PNG out."""
    with Image.open(io.BytesIO(data)) as photo:
        out = io.BytesIO()
        sticker(photo, size).save(out, "PNG")
    return out.getvalue()
