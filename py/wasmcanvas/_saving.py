"""What ``Image.save`` writes: the file of an image in a format, in the
modes Pillow 13 writes that format in (without libtiff), with Pillow's
messages for the others. The pixels leave wasm memory in Pillow's raw
layout of the mode (``tobytes``); the 8-bit colour modes of PNG, JPEG,
GIF and WebP go through the Rust encoders, the rest is written here.

>>> file_bytes(Image.new("P", (2, 2)), "PNG", {})[:8]
b'\\x89PNG\\r\\n\\x1a\\n'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from . import _files as files
from . import _modes as modes
from ._formats import bmp_file, png_file, ppm_file, sgi_file, tiff_compression, tiff_file
from ._jpeg2000 import jpeg2000_save

if TYPE_CHECKING:
    from .Image import Image

# The modes each format is written in by a writer of this module (in Pillow's raw layout).
_RAW_WRITERS = {
    "PNG": ("1", "P", "I;16", "I;16B", "I;16L", "I;16N"),
    "BMP": ("1", "L", "P", "RGB", "RGBA"),
    "TIFF": ("1", "L", "LA", "P", "RGB", "RGBA", "I;16", "LAB"),
}
# The modes Pillow writes as PNG, and those the Rust encoder takes as they are stored.
_PNG_MODES = ("1", "L", "LA", "P", "RGB", "RGBA", "I;16", "I;16B")


def _jpeg(image: Image, params: dict[str, Any]) -> bytes:
    """A JPEG in the modes Pillow writes: "1" as grey, "RGBX" as RGB,
    "CMYK" after an Adobe marker, inverted as libjpeg and Photoshop store
    it (the encoder inverts it), "YCbCr" as its own components; the tables,
    subsampling and markers as libjpeg writes them for Pillow (see
    ``_jpegsave``)."""
    from ._jpegsave import ENCODER_MODE, SourceFacts, keeps_rgb

    if image.mode not in ENCODER_MODE:
        raise OSError(f"cannot write mode {image.mode} as JPEG")
    # "RGB" and "RGBX" go as stored, four bytes a pixel (the encoder skips
    # the fourth): packing them into three first took longer than encoding.
    # With keep_rgb the components are written as given, three a pixel.
    stored_rgba = image.mode in ("RGB", "RGBX") and not keeps_rgb(image.mode, params) and image.nbytes > 0
    if stored_rgba:
        data = image.js_view()
    else:
        layout = {"1": "L", "CMYK": "RGBA", "YCbCr": "RGB"}.get(image.mode, image.mode)
        data = image._call("to_bytes", layout, None)
    source = SourceFacts(
        image.format, getattr(image, "quantization", None), getattr(image, "layers", 0), getattr(image, "layer", [])
    )
    return files.encode("JPEG", image.mode, data, image.size, params, image.info, source, stored_rgba)


def _has_transparency_data(image: Image) -> bool:
    """Pillow's ``has_transparency_data``: alpha in the mode, a palette with
    alpha, or a ``transparency`` in ``info``."""
    return (
        modes.has_alpha(image.mode)
        or "transparency" in image.info
        or (image.palette is not None and image.palette.mode == "RGBA")
    )


def file_bytes(image: Image, format: str, params: dict[str, Any], filename: str = "") -> bytes:
    """The bytes of ``image`` saved as ``format`` (``save_format``'s name)
    with Pillow's save options ``params``; ``OSError`` ("cannot write mode
    P as PPM") for a mode Pillow does not write in that format. SGI
    stores ``filename``'s name in its header."""
    mode = image.mode
    if format == "SGI":
        bands = [bytes(band.tobytes()) for band in image.split()] if mode in ("L", "RGB", "RGBA") else []
        return sgi_file(mode, image.size, bands, params, filename)
    if format == "JPEG":
        return _jpeg(image, params)
    if format == "JPEG2000":
        save = jpeg2000_save(mode, params, filename)
        return files.encode_jpeg2000(mode, image._call("to_bytes", mode, None), image.size, save)
    if format == "PPM":
        return _ppm(image)
    if format == "DIB":
        # Pillow's DIB is its BMP without the 14-byte file header.
        return file_bytes(image, "BMP", params)[14:]
    # As Pillow's save: ``append_images`` alone asks for every frame too.
    every_frame = params.get("save_all") or (params.get("save_all") is None and params.get("append_images"))
    if format == "PNG" and every_frame:
        from ._apngsave import apng_file

        return apng_file(image, params)
    if format == "WEBP" and every_frame:
        from .WebPImagePlugin import animation_file

        animation = animation_file(image, params)
        if animation is not None:
            return animation
    if format == "WEBP" and mode not in ("RGB", "RGBA", "RGBX"):
        # As Pillow's WebP writer: every other mode is converted first.
        image = image.convert("RGBA" if _has_transparency_data(image) else "RGB")
        mode = image.mode
    if format == "GIF":
        from ._gifsave import gif_file

        return gif_file(image, params)
    if format == "PNG" and mode not in _PNG_MODES:
        raise OSError(f"cannot write mode {mode} as PNG")
    if format == "PNG" and mode == "L" and params.get("bits", 8) != 8:
        return _raw_file(image, format, params)
    if format in _RAW_WRITERS and mode in _RAW_WRITERS[format]:
        return _raw_file(image, format, params)
    if format in ("BMP", "TIFF") or mode not in modes.BLITTABLE:
        raise OSError(f"cannot write mode {mode} as {format}")
    data = image._call("to_bytes", mode, None)
    return files.encode(format, mode, data, image.size, params, image.info)


def _raw_file(image: Image, format: str, params: dict[str, Any]) -> bytes:
    mode = image.mode
    palette = bytes(image.getpalette("RGB") or b"") if mode == "P" else b""
    if format == "TIFF":
        from . import TiffImagePlugin

        options = {"icc_profile": image.info.get("icc_profile"), **params}
        compression = tiff_compression(params, image.info)
        libtiff = bool(TiffImagePlugin.WRITE_LIBTIFF)
        data = image.tobytes()
        return tiff_file(mode, image.size, data, options, palette, compression, libtiff, files.encode_tiff_strip)
    if format == "BMP":
        return bmp_file(mode, image.size, image.tobytes(), params, palette)
    if mode in modes.SIXTEEN_BIT:
        raw = modes.pack(image._carried(), "I;16B", image.width)
    else:
        raw = image.tobytes()
    alphas = None
    if mode == "P" and image.palette is not None and image.palette.mode == "RGBA":
        alphas = bytes(image.getpalette("RGBA") or b"")[3::4]
    return png_file(mode, image.size, raw, palette, alphas, params, image.info)


def _ppm(image: Image) -> bytes:
    """Netpbm as Pillow writes it: P4 for "1", P5 for "L" (and 16 bits for
    "I" and "I;16", clipped to 0..65535), P6 for "RGB" and "RGBA" (alpha
    dropped)."""
    mode = image.mode
    if mode in ("I", "I;16"):
        values = modes.wide_values(image._carried(), mode)
        data = b"".join(min(max(int(value), 0), 65535).to_bytes(2, "big") for value in values)
        return ppm_file("I", image.size, data)
    if mode == "1":
        # PBM's 1 is black: the bits inverted, each row's padding left 0.
        row_bytes = -(-image.width // 8)
        last = (0xFF << (row_bytes * 8 - image.width)) & 0xFF
        flips = (b"\xff" * (row_bytes - 1) + bytes((last,))) * image.height
        return ppm_file("1", image.size, bytes(a ^ b for a, b in zip(image.tobytes(), flips, strict=True)))
    if mode not in ("L", "RGB", "RGBA"):
        raise OSError(f"cannot write mode {mode} as PPM")
    layout = "RGB" if mode == "RGBA" else mode
    return ppm_file(layout, image.size, bytes(image._call("to_bytes", layout, None).to_py()))
