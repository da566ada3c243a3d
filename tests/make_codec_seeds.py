"""Writes the Pillow-made part of the decoders' fuzz corpus into a folder:
what the Rust encoders cannot make (lossy and animated WebP, libjpeg's
progressive scans and CMYK, Pillow's palettes, APNG, 16-bit PNG, BMP as
Pillow writes it, OpenJPEG's lossy, tiled and 16-bit JPEG 2000). ``./build.sh test`` passes the folder to the fuzz test
as ``CODEC_SEEDS``.

    python tests/make_codec_seeds.py build/codec-seeds
"""

from __future__ import annotations

import sys
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
from images import sample_photo


def seeds() -> dict[str, tuple[Image.Image | list[Image.Image], str, dict[str, object]]]:
    """File name: (picture or frames, format, Pillow's save options)."""
    photo = sample_photo(24, 17)
    rgba = photo.convert("RGBA")
    rgba.putalpha(photo.convert("L"))
    palette = photo.convert("P", palette=Image.Palette.ADAPTIVE, colors=16)
    with_transparency = palette.copy()
    with_transparency.info["transparency"] = 3
    frames = [sample_photo(24, 17, seed) for seed in (1, 2)]
    return {
        "one-bit.png": (photo.convert("1"), "PNG", {}),
        "grey.png": (photo.convert("L"), "PNG", {"optimize": True}),
        "grey-alpha.png": (rgba.convert("LA"), "PNG", {}),
        "palette-transparency.png": (with_transparency, "PNG", {}),
        "grey-16.png": (photo.convert("I;16"), "PNG", {}),
        "rgba.png": (rgba, "PNG", {"compress_level": 9}),
        "animated.png": (frames, "PNG", {"save_all": True, "duration": 50}),
        "baseline.jpg": (photo, "JPEG", {"quality": 90}),
        "progressive.jpg": (photo, "JPEG", {"progressive": True, "quality": 85}),
        "progressive-444.jpg": (photo, "JPEG", {"progressive": True, "subsampling": 0}),
        "grey.jpg": (photo.convert("L"), "JPEG", {}),
        "cmyk.jpg": (photo.convert("CMYK"), "JPEG", {}),
        "optimized.jpg": (photo, "JPEG", {"optimize": True, "subsampling": 1}),
        "palette.gif": (palette, "GIF", {}),
        "transparency.gif": (with_transparency, "GIF", {}),
        "interlaced.gif": (palette, "GIF", {"interlace": True}),
        "animated.gif": (frames, "GIF", {"save_all": True, "duration": 50}),
        "lossy.webp": (photo, "WEBP", {"quality": 70}),
        "lossy-alpha.webp": (rgba, "WEBP", {"quality": 70}),
        "lossless.webp": (rgba, "WEBP", {"lossless": True}),
        "animated.webp": (frames, "WEBP", {"save_all": True, "duration": 50}),
        "one-bit.bmp": (photo.convert("1"), "BMP", {}),
        "palette.bmp": (palette, "BMP", {}),
        "grey.bmp": (photo.convert("L"), "BMP", {}),
        "rgb.bmp": (photo, "BMP", {}),
        "rgba.bmp": (rgba, "BMP", {}),
        # OpenJPEG's files: what our lossless one-tile encoder does not write.
        "lossy-layers.jp2": (photo, "JPEG2000", {"irreversible": True, "quality_layers": [40, 20]}),
        "tiled-rpcl.j2k": (rgba, "JPEG2000", {"tile_size": (8, 8), "progression": "RPCL", "mct": 1}),
        "grey-precincts.jp2": (
            photo.convert("L"),
            "JPEG2000",
            {"codeblock_size": (16, 16), "precinct_size": (32, 32), "progression": "CPRL"},
        ),
        # 16-bit grey JPEG 2000 is refused at load (the decoder gives 8 bits): no seed.
    }


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, (picture, format, options) in seeds().items():
        if isinstance(picture, list):
            first, *rest = picture
            first.save(folder / name, format, append_images=rest, **options)
        else:
            picture.save(folder / name, format, **options)
    print(f"{len(seeds())} seed files written to {folder}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: make_codec_seeds.py FOLDER")
    main(Path(sys.argv[1]))
