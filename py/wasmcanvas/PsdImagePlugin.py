"""Pillow's ``PIL.PsdImagePlugin``: the class of the Photoshop files
``Image.open`` returns. As Pillow, the file opens on its composite image
("1", "L", "P", "RGB", "RGBA", "CMYK" or "LAB", 8 bits a channel), its
frames are its layers numbered from 1 (``seek(1)`` is the first layer,
``tell()`` is 1 at open; ``im.layers`` lists each one's name, mode, box
and tiles), and ``info["icc_profile"]`` is its ICC profile. The file's
structure is read here, as Pillow's plugin reads it, with its errors; the
planes are decoded by the codecs module.

```python
im = Image.open("hopper.psd")   # Pillow's test file: a picture and one layer
im.mode, im.n_frames, im.tell()  # ('RGB', 2, 1)
im.seek(2)
im.mode                          # 'RGBA'
```
"""

from __future__ import annotations

import io
import struct
from functools import cached_property
from typing import IO, Any

from . import ImagePalette, loader
from . import _files as files
from . import module as _module
from .ImageFile import ImageFile, _decompression_bomb_check, _safe_read, _Tile
from .module import call_rust, rust

__all__ = ["MODES", "PsdImageFile"]

MODES = {
    (0, 1): ("1", 1),
    (0, 8): ("L", 1),
    (1, 8): ("L", 1),
    (2, 8): ("P", 1),
    (3, 8): ("RGB", 3),
    (4, 8): ("CMYK", 4),
    (7, 8): ("L", 1),
    (8, 8): ("L", 1),
    (9, 8): ("LAB", 3),
}
"""Pillow's table: (Photoshop colour mode, bits) to (mode, channels needed)."""

_Layer = tuple[str, str, tuple[int, int, int, int], list[_Tile]]


def _u16(data: bytes) -> int:
    return int(struct.unpack_from(">H", data)[0])


def _u32(data: bytes) -> int:
    return int(struct.unpack_from(">I", data)[0])


def _s32(data: bytes) -> int:
    return int(struct.unpack_from(">i", data)[0])


class PsdImageFile(ImageFile):
    """A Photoshop file read by ``Image.open``."""

    format = "PSD"
    format_description = "Adobe Photoshop"
    _mimetype = "image/vnd.adobe.photoshop"
    _min_frame = 1
    frame = 1
    resources: list[tuple[int, bytes, bytes]]
    _file: bytes | None = None
    _layers_position: int | None = None
    _layers_size = 0
    _n_frames: int | None = None

    @classmethod
    def _from_file(cls, data: bytes, format: str, filename: str) -> ImageFile:
        fp = io.BytesIO(data)

        def read(size: int) -> bytes:
            return fp.read(_position(size))

        head = read(26)
        if not head.startswith(b"8BPS") or _u16(head[4:]) != 1:
            raise SyntaxError("not a PSD file")
        bits, channels_in_file, colour_mode = _u16(head[22:]), _u16(head[12:]), _u16(head[24:])
        mode, channels = MODES[(colour_mode, bits)]
        if channels > channels_in_file:
            raise OSError("not enough channels")
        if mode == "RGB" and channels_in_file == 4:
            mode, channels = "RGBA", 4
        size = (_u32(head[18:]), _u32(head[14:]))
        image = cls.__new__(cls)
        image._own(None)
        image.info = {}
        image.format = cls.format
        image.filename = filename
        image._size, image._mode = size, mode
        length = _u32(read(4))
        if length:
            colours = read(length)
            if mode == "P" and length == 768:
                # Photoshop's palette is its reds, then its greens, then its blues.
                rgb = bytes(colours[index + 256 * band] for index in range(256) for band in range(3))
                image.palette = ImagePalette.raw("RGB", rgb)
                image.palette.rawmode = None
        image.resources = []
        length = _u32(read(4))
        if length:
            end = fp.tell() + length
            while fp.tell() < end:
                read(4)  # signature
                ident = _u16(read(2))
                name = read(read(1)[0])
                if not len(name) & 1:
                    read(1)  # padding
                body = read(_u32(read(4)))
                if len(body) & 1:
                    read(1)  # padding
                image.resources.append((ident, name, body))
                if ident == 1039:
                    image.info["icc_profile"] = body
        length = _u32(read(4))
        if length:
            end = fp.tell() + length
            length = _u32(read(4))
            if length:
                image._layers_position, image._layers_size = fp.tell(), length
            fp.seek(_position(end))
        image.tile = _maketile(fp, mode, (0, 0, *size), channels)
        image._file = image._pending = data
        # After the structure, as Pillow's ``Image.open`` checks it.
        _decompression_bomb_check(size)
        return image

    @cached_property
    def layers(self) -> list[_Layer]:
        """Each layer's name, mode, box ``(x0, y0, x1, y1)`` and tiles."""
        layers: list[_Layer] = []
        if self._layers_position is not None:
            if self._file is None:
                raise ValueError("I/O operation on closed file.")
            fp = io.BytesIO(self._file)
            fp.seek(self._layers_position)
            layers = _layerinfo(fp, self._layers_size)
        self._n_frames = len(layers)
        return layers

    @property
    def n_frames(self) -> int:  # type: ignore[override]
        """How many layers the file has."""
        if self._n_frames is None:
            self._n_frames = len(self.layers)
        return self._n_frames

    @property
    def is_animated(self) -> bool:  # type: ignore[override]
        """Whether the file has more than one layer."""
        return len(self.layers) > 1

    def tell(self) -> int:
        """The current layer (1 at open, where the image is the composite)."""
        return self.frame

    def seek(self, layer: int) -> None:
        """Go to ``layer`` (from 1): its mode and its pixels, decoded at
        their first use, the rest of the picture zero."""
        if layer < self._min_frame or layer >= self.n_frames + self._min_frame:
            raise EOFError("attempt to seek outside sequence")
        if layer == self.frame:
            return
        if layer > len(self.layers):
            raise EOFError("no more images in PSD file")
        _, self._mode, _, self.tile = self.layers[layer - 1]
        self.frame = layer
        self._pending = self._file

    def _decode(self, keep_mode: bool = True) -> None:
        data = self._pending
        if data is None:
            return
        # As Pillow's loader: tiles in file order, a tile repeated at another offset once.
        ordered = sorted(self.tile, key=lambda tile: tile.offset)
        tiles = [tile for at, tile in enumerate(ordered) if at + 1 == len(ordered) or not _same(tile, ordered[at + 1])]
        if not tiles or self._mode not in ("1", "L", "P", "RGB", "RGBA", "CMYK", "LAB"):
            raise OSError("cannot load this image")
        numbers: list[float] = []
        for tile in tiles:
            band = str(tile.args)
            numbers += [tile.codec_name == "packbits", *(tile.extents or (0, 0, 0, 0)), tile.offset]
            numbers += [self._mode.index(band[0]), band.endswith(";I")]
        from . import ImageFile as _image_file

        module = rust()
        limits = (module.max_image_side(), int(module.max_image_pixels()))
        width, height, picture = files.decode_tiles(
            data, self._mode, self._size, numbers, limits, bool(_image_file.LOAD_TRUNCATED_IMAGES)
        )
        try:
            raw = call_rust(module.RgbaImage.from_bytes, "RGBA", width, height, files.pixels_view(picture))
        finally:
            picture.free()
            loader.release_codecs()
        self._take_decoded(raw, _module.generation)
        self._pending = None
        self.tile = []
        self._settle()

    @property
    def raw(self) -> Any:
        if self._pending is not None:
            self._decode()
        return super().raw

    def close(self) -> None:
        """Frees the pixels and forgets the file."""
        self._file = None
        super().close()


def _position(offset: int) -> int:
    """A seek target a file in memory takes (under Pyodide's 32-bit
    sizes): far past its end reads as its end, as a file on disk does (a
    damaged file may claim any offset)."""
    return min(offset, 2**31 - 1)


def _same(tile: _Tile, other: _Tile) -> bool:
    return (tile.codec_name, tile.extents, tile.args) == (other.codec_name, other.extents, other.args)


def _layerinfo(fp: IO[bytes], ct_bytes: int) -> list[_Layer]:
    """The layers of a layer block of ``ct_bytes`` bytes at ``fp``'s
    position, as Pillow reads them: ``SyntaxError`` for a block too short
    for its count, ``OSError`` "Truncated File Read" for one cut short; a
    layer of more than 4 channels is skipped, one of unknown bands has the
    mode ""."""

    def read(size: int) -> bytes:
        return _safe_read(fp, size)

    count = abs(struct.unpack(">h", read(2))[0])
    if ct_bytes < count * 20:
        raise SyntaxError("Layer block too short for number of layers requested")
    found: list[tuple[str, str, tuple[int, int, int, int]]] = []
    for _ in range(count):
        y0, x0, y1, x1 = (_s32(read(4)) for _ in range(4))
        channels = _u16(read(2))
        if channels > 4:
            fp.seek(channels * 6 + 12, io.SEEK_CUR)
            extra = _u32(read(4))
            fp.seek(_position(fp.tell() + extra))
            continue
        bands = set()
        for _ in range(channels):
            ident = _u16(read(2))
            bands.add("A" if ident == 65535 else "RGBA"[ident] if ident < 4 else "")
            read(4)  # the channel's size
        modes = {frozenset("R"): "L", frozenset("RGB"): "RGB", frozenset("RGBA"): "RGBA"}
        mode = modes.get(frozenset(bands), "")
        read(12)  # blend mode, opacity, clipping, flags, filler
        name = ""
        length = _u32(read(4))
        if length:
            data_end = fp.tell() + length
            skip = _u32(read(4))
            if skip:
                fp.seek(max(0, _position(fp.tell() + skip - 16)))
            skip = _u32(read(4))
            if skip:
                fp.seek(_position(fp.tell() + skip))
            size = read(1)[0]
            if size:
                name = read(size).decode("latin-1", "replace")
            fp.seek(_position(data_end))
        found.append((name, mode, (x0, y0, x1, y1)))
    layers: list[_Layer] = []
    for name, mode, bbox in found:
        tiles: list[_Tile] = []
        for band in mode:
            tiles += _maketile(fp, band, bbox, 1)
        layers.append((name, mode, bbox, tiles))
    return layers


def _maketile(file: IO[bytes], mode: str, bbox: tuple[int, int, int, int], channels: int) -> list[_Tile]:
    """The tiles of ``channels`` planes of ``mode`` over ``bbox`` at the
    file's position (its compression, then the planes), as Pillow's
    ``_maketile``: raw or PackBits (whose row byte counts are read to find
    where each plane ends); leaves the file after them."""
    width, height = bbox[2] - bbox[0], bbox[3] - bbox[1]
    if width < 0 or height < 0:
        raise ValueError("negative tile size")
    tiles: list[_Tile] = []
    compression = _u16(file.read(2))
    offset = file.tell()
    names = [mode[channel] + (";I" if mode == "CMYK" else "") for channel in range(channels)]
    if compression == 0:
        for name in names:
            tiles.append(_Tile("raw", bbox, offset, name))
            offset += width * height
    elif compression == 1:
        counts = _safe_read(file, channels * height * 2)
        offset = file.tell()
        at = 0
        for name in names:
            tiles.append(_Tile("packbits", bbox, offset, name))
            for _ in range(height):
                offset += _u16(counts[at:])
                at += 2
    file.seek(_position(offset))
    if offset & 1:
        file.read(1)  # padding
    return tiles
