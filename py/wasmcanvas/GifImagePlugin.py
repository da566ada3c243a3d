"""Pillow's ``PIL.GifImagePlugin``: GIF files read frame by frame as
Pillow reads them, and Pillow's ``LoadingStrategy``.

The first frame is "P" (or "L" when the file's palette is the greys 0, 1,
2... or it has none); as in Pillow, the frames after it are composed on
the ones before, following each frame's disposal method, and the image
becomes "RGB" (or "RGBA" when the first frame had a transparent index)
from the second frame on, unless ``LOADING_STRATEGY`` says otherwise.
``info`` holds each frame's ``duration``, ``comment`` and ``extension``,
the file's ``loop``, ``background``, ``version`` and the first frame's
``transparency``. The blocks are read here; the LZW data of each frame is
decoded in Rust (``_files.decode_gif_frame``).

>>> frames = [Image.new("RGB", (8, 8), colour) for colour in ("red", "green", "blue")]
>>> frames[0].save("animation.gif", save_all=True, append_images=frames[1:], duration=100)
>>> im = Image.open("animation.gif")
>>> im.n_frames, im.is_animated
(3, True)
>>> im.seek(2); im.mode, im.info["duration"]
('RGB', 100)
"""

from __future__ import annotations

from enum import IntEnum
from functools import cached_property
from typing import Any

from . import Image, ImagePalette
from . import _files as files
from .ImageFile import ImageFile, _Tile
from .module import rust

__all__ = ["LOADING_STRATEGY", "GifImageFile", "LoadingStrategy", "getdata", "getheader"]


class LoadingStrategy(IntEnum):
    """How Pillow gives the frames of a GIF: Pillow's values.

    >>> LoadingStrategy.RGB_ALWAYS
    <LoadingStrategy.RGB_ALWAYS: 2>
    """

    RGB_AFTER_FIRST = 0
    RGB_AFTER_DIFFERENT_PALETTE_ONLY = 1
    RGB_ALWAYS = 2


LOADING_STRATEGY = LoadingStrategy.RGB_AFTER_FIRST
"""Pillow's switch, read at each seek: "RGB" frames after the first (the
default), only after a frame with a palette of its own, or always."""


_FORCE_OPTIMIZE = False
"""Pillow's switch making its writer shrink every palette to the colours
used, whatever the image's size (``_gifsave`` reads it)."""


def _palette_needed(palette: bytes) -> bool:
    """Pillow's test: a palette other than the greys 0, 1, 2... in order."""
    return any(not (i // 3 == palette[i] == palette[i + 1] == palette[i + 2]) for i in range(0, len(palette) - 2, 3))


class GifImageFile(ImageFile):
    """A GIF file read by ``Image.open``: ``seek`` and ``tell`` go through
    its frames, each composed on the previous ones as in Pillow."""

    format = "GIF"
    format_description = "Compuserve GIF"
    _mimetype = "image/gif"
    _close_exclusive_fp_after_loading = False

    global_palette: ImagePalette.ImagePalette | None = None
    _gif: bytes | None = None

    # ---- opening: Pillow's _open

    def _read_header_extras(self) -> None:
        data = self._pending or b""
        self._gif = data
        self.info = {"version": data[:6]}
        self._size = (int.from_bytes(data[6:8], "little"), int.from_bytes(data[8:10], "little"))
        flags = data[10] if len(data) > 10 else 0
        at = 13
        self.global_palette = None
        if flags & 128:
            self.info["background"] = data[11]
            palette = data[at : at + (3 << ((flags & 7) + 1))]
            at += 3 << ((flags & 7) + 1)
            if _palette_needed(palette):
                self.global_palette = self.palette = ImagePalette.raw("RGB", palette)
        self._rewind = at
        self._n_frames: int | None = None
        self.tile = []
        try:
            self._seek(0)
        except (EOFError, IndexError) as error:
            _refuse_as_decoder_does(data, error)

    def _check_header(self, data: bytes) -> None:
        if not data.startswith((b"GIF87a", b"GIF89a")):
            raise SyntaxError("not a GIF file")

    # ---- frames

    @property
    def n_frames(self) -> int:  # type: ignore[override]
        """How many frames the file has (read through once, not decoded)."""
        if self._n_frames is None:
            current = self.tell()
            try:
                while True:
                    self._seek(self.tell() + 1, False)
            except EOFError:
                self._n_frames = self.tell() + 1
            self.seek(current)
        return self._n_frames

    @cached_property
    def is_animated(self) -> bool:  # type: ignore[override]
        """Whether the file has more than one frame."""
        if self._n_frames is not None:
            return self._n_frames != 1
        current = self.tell()
        if current:
            return True
        try:
            self._seek(1, False)
            animated = True
        except EOFError:
            animated = False
        self.seek(current)
        return animated

    def tell(self) -> int:
        """The current frame's number."""
        return self._frame

    def seek(self, frame: int) -> None:
        """Go to ``frame``, composing the frames before it as Pillow does;
        ``EOFError`` past the last one (the image stays where it was)."""
        if not self._seek_check(frame):
            return
        if frame < self._frame:
            self._drop_pixels()
            self._seek(0)
        last_frame = self._frame
        try:
            for number in range(self._frame + 1, frame + 1):
                self._seek(number)
        except EOFError as error:
            self.seek(last_frame)
            raise EOFError("no more images in GIF file") from error

    def _seek_check(self, frame: int) -> bool:
        if frame < 0 or (self._n_frames is not None and frame >= self._n_frames):
            raise EOFError("attempt to seek outside sequence")
        return self.tell() != frame

    def _drop_pixels(self) -> None:
        """Pillow's ``self._im = None``: the next frame 0 starts afresh."""
        raw, self._raw = self._raw, None
        if raw is not None:
            raw.free()

    def _block(self) -> bytes | None:
        """Pillow's ``data()``: the next sub-block, None at a terminator."""
        data = self._gif or b""
        size = data[self._pos] if self._pos < len(data) else 0
        if not size:
            self._pos += 1
            return None
        block = data[self._pos + 1 : self._pos + 1 + size]
        self._pos += 1 + size
        return block

    def _seek(self, frame: int, update_image: bool = True) -> None:
        if self._gif is None:
            raise ValueError("Operation on closed image")
        data = self._gif
        if frame == 0:
            self._offset = 0
            self.dispose: Image.Image | None = None
            self._frame = -1
            self._pos = self._rewind
            self.disposal_method = 0
            self.info.pop("comment", None)
        elif self.tile and update_image:
            self.load()
        if frame != self._frame + 1:
            raise ValueError(f"cannot seek to frame {frame}")
        if self._offset:
            self._pos = self._offset
            while self._block():
                pass
            self._offset = 0
        s = data[self._pos : self._pos + 1]
        self._pos += len(s)
        if not s or s == b";":
            raise EOFError("no more images in GIF file")

        palette: ImagePalette.ImagePalette | bool | None = None
        info: dict[str, Any] = {}
        comments: list[bytes] = []
        frame_transparency = None
        interlace = None
        extent = None
        bits = 0
        while True:
            if not s:
                s = data[self._pos : self._pos + 1]
                self._pos += len(s)
            if not s or s == b";":
                break
            if s == b"!":
                label = data[self._pos : self._pos + 1]
                self._pos += 1
                block = self._block()
                if label == b"\xf9" and block is not None:
                    flags = block[0]
                    if flags & 1 and len(block) > 3:
                        frame_transparency = block[3]
                    info["duration"] = int.from_bytes(block[1:3], "little") * 10
                    if (flags & 0b00011100) >> 2:
                        # Pillow keeps the last method given when a frame
                        # leaves it unspecified.
                        self.disposal_method = (flags & 0b00011100) >> 2
                elif label == b"\xfe":
                    if block and comments:
                        comments.append(b"\n")
                    while block:
                        comments.append(block)
                        block = self._block()
                    s = b""
                    continue
                elif label == b"\xff" and frame == 0 and block is not None:
                    info["extension"] = block, self._pos
                    if block.startswith(b"NETSCAPE2.0"):
                        block = self._block()
                        if block and len(block) >= 3 and block[0] == 1:
                            self.info["loop"] = int.from_bytes(block[1:3], "little")
                while self._block():
                    pass
            elif s == b",":
                descriptor = data[self._pos : self._pos + 9]
                self._pos += 9
                if len(descriptor) < 9:
                    raise EOFError("image not found in GIF frame")
                x0, y0 = int.from_bytes(descriptor[0:2], "little"), int.from_bytes(descriptor[2:4], "little")
                x1 = x0 + int.from_bytes(descriptor[4:6], "little")
                y1 = y0 + int.from_bytes(descriptor[6:8], "little")
                if (x1 > self._size[0] or y1 > self._size[1]) and update_image:
                    size = max(x1, self._size[0]), max(y1, self._size[1])
                    Image._decompression_bomb_check(size)
                    self._size = size
                extent = (x0, y0, x1, y1)
                flags = descriptor[8]
                interlace = (flags & 64) != 0
                if flags & 128:
                    local = data[self._pos : self._pos + (3 << ((flags & 7) + 1))]
                    self._pos += 3 << ((flags & 7) + 1)
                    palette = ImagePalette.raw("RGB", local) if _palette_needed(local) else False
                bits = data[self._pos] if self._pos < len(data) else 0
                self._pos += 1
                self._offset = self._pos
                break
            s = b""

        if interlace is None:
            raise EOFError("image not found in GIF frame")
        self._frame = frame
        if not update_image:
            return
        self.tile = []
        if self.dispose is not None and self.dispose_extent is not None:
            self._paste_stored(self.dispose, self.dispose_extent[:2])
        self._frame_palette = palette if palette is not None else self.global_palette
        self._frame_transparency = frame_transparency
        strategy = _strategy()
        if frame == 0:
            if self._frame_palette:
                if strategy == LoadingStrategy.RGB_ALWAYS:
                    self._mode = "RGBA" if frame_transparency is not None else "RGB"
                else:
                    self._mode = "P"
            else:
                self._mode = "L"
            if isinstance(palette, ImagePalette.ImagePalette):
                self.palette = palette
            elif self.global_palette:
                self.palette = self.global_palette.copy()
            else:
                self.palette = None
        elif self._mode == "P" and (strategy != LoadingStrategy.RGB_AFTER_DIFFERENT_PALETTE_ONLY or palette):
            current = self._current()
            if "transparency" in self.info:
                current.info["transparency"] = self.info.pop("transparency")
                self._take_pixels(current.convert("RGBA"))
            else:
                self._take_pixels(current.convert("RGB"))
            current.close()

        self.dispose = None
        self.dispose_extent: tuple[int, int, int, int] | None = extent
        if extent and self.disposal_method >= 2:
            dispose_size = (extent[2] - extent[0], extent[3] - extent[1])
            if self.disposal_method == 2:
                Image._decompression_bomb_check(dispose_size)
                color = self.info.get("transparency", frame_transparency)
                if color is not None:
                    fill = (*self._rgb(color), 0) if self._mode in ("RGB", "RGBA") else color
                else:
                    color = self.info.get("background", 0)
                    fill = self._rgb(color) if self._mode in ("RGB", "RGBA") else color
                self.dispose = self._dispose_fill(dispose_size, fill)
            elif self._raw is not None:
                self.dispose = self._current().crop(extent)
            elif frame_transparency is not None:
                Image._decompression_bomb_check(dispose_size)
                fill = (*self._rgb(frame_transparency), 0) if self._mode in ("RGB", "RGBA") else frame_transparency
                self.dispose = self._dispose_fill(dispose_size, fill)

        transparency = -1
        if frame_transparency is not None:
            if frame == 0:
                if strategy != LoadingStrategy.RGB_ALWAYS:
                    self.info["transparency"] = frame_transparency
            elif self._mode not in ("RGB", "RGBA"):
                transparency = frame_transparency
        self.tile = [_Tile("gif", extent, self._offset, (bits, interlace, transparency))]
        self._pending = data
        if comments:
            self.info["comment"] = b"".join(comments)
        for key in ("duration", "extension"):
            if key in info:
                self.info[key] = info[key]
            else:
                self.info.pop(key, None)

    def _rgb(self, color: int) -> tuple[int, ...]:
        palette = self._frame_palette
        if isinstance(palette, ImagePalette.ImagePalette):
            entries = bytes(palette.palette)
            if color * 3 + 3 > len(entries):
                color = 0
            return tuple(entries[color * 3 : color * 3 + 3])
        return (color, color, color)

    def _dispose_fill(self, size: tuple[int, int], fill: int | tuple[int, ...]) -> Image.Image:
        """Pillow's ``Image.core.fill`` in the image's terms: an index in
        "P" and "L", an RGB(A) colour in "RGB" and "RGBA"."""
        if isinstance(fill, tuple):
            return Image.new("RGBA" if len(fill) == 4 else "RGB", size, fill)
        return Image.new("L", size, fill)

    # ---- pixels

    def _current(self) -> Image.Image:
        """The image as it stands (the last frame composed), as a new image."""
        return self.copy()

    def _paste_stored(self, patch: Image.Image, corner: tuple[int, int]) -> None:
        """Pillow's core paste of a disposal patch: an index onto an index,
        a colour onto a colour (its alpha kept only in "RGBA")."""
        if self._raw is None:
            return
        source = patch
        if patch.mode != self._mode and self._mode in ("RGB", "RGBA"):
            source = patch.convert(self._mode)
        try:
            self._call("paste", source.raw, corner[0], corner[1])
            self._settle()
        finally:
            if source is not patch:
                source.close()

    def _take_pixels(self, image: Image.Image) -> None:
        """Takes ``image``'s pixels and mode as this image's; the palette
        attribute stays, as Pillow's does after a frame turns "RGB"."""
        raw, image._raw = image._raw, None
        self._take_decoded(raw, image._generation)
        self._mode = image.mode

    def _decode(self, keep_mode: bool = True) -> None:
        """Pillow's ``load_prepare``, its GIF decoder and ``load_end``: the
        pending frame decoded and composed on the image. On failure the
        frame stays pending, so that the next use raises the same error."""
        data, self._pending = self._pending, None
        if data is None or not self.tile:
            return
        try:
            result = self._decoded_frame(data)
        except (OSError, ValueError) as error:
            self._pending = data
            if self._frame == 0:
                _refuse_as_decoder_does(data, error)
            raise
        except BaseException:
            self._pending = data
            raise
        self.tile = []
        self._frame_palette = None
        self._take_pixels(result)
        self._settle()

    def _decoded_frame(self, data: bytes) -> Image.Image:
        tile = self.tile[0]
        x0, y0, x1, y1 = tile.extents or (0, 0, 0, 0)
        assert not isinstance(tile.args, str)
        _bits, interlace, transparency = tile.args or (0, False, -1)
        frame_palette = self._frame_palette
        size = self._size
        _check_limits(size)
        previous = None
        # The frame's indices are drawn on an "L" image, given its palette after.
        base: Image.Image | None = None
        if self._frame == 0:
            if self._frame_transparency is not None:
                base = Image.new("L", size, self._frame_transparency)
        elif self._mode in ("RGB", "RGBA"):
            previous = self._current()
            if frame_palette:
                base = Image.new("L", size, self._frame_transparency or 0)
        elif self._raw is not None:
            base = self._current()
            base._mode, base.palette = "L", None
            if base.size != size:
                expanded = Image.new("L", size, 0)
                expanded.paste(base, (0, 0))
                base.close()
                base = expanded
        if base is None:
            base = Image.new("L", size, 0)
        try:
            if x1 > x0 and y1 > y0:
                self._draw_frame(base, data, tile.offset, (x0, y0, x1, y1), bool(interlace), transparency)
            if frame_palette:
                chosen = frame_palette if previous is not None or not self.palette else self.palette
                base.putpalette(bytes(chosen.palette))  # type: ignore[union-attr]
            return self._compose(base, previous, (x0, y0, x1, y1))
        except BaseException:
            base.close()
            if previous is not None:
                previous.close()
            raise

    def _draw_frame(
        self,
        base: Image.Image,
        data: bytes,
        offset: int,
        extent: tuple[int, int, int, int],
        interlace: bool,
        transparency: int,
    ) -> None:
        """Decodes the frame's LZW data (its code size byte just before
        ``offset``) onto ``base`` at ``extent``, leaving the pixels the
        decoder does not write (``transparency``, or past a truncated
        stream) as they are."""
        from . import ImageFile

        end = offset
        while end < len(data) and data[end]:
            end += 1 + data[end]
        size = (extent[2] - extent[0], extent[3] - extent[1])
        module = rust()
        indices, mask = files.decode_gif_frame(
            data[offset - 1 : end + 1],
            size,
            interlace,
            transparency,
            (module.max_image_side(), int(module.max_image_pixels())),
            bool(ImageFile.LOAD_TRUNCATED_IMAGES),
        )
        with Image.frombytes("L", size, indices) as pixels:
            if mask:
                with Image.frombytes("L", size, mask) as weights:
                    base.paste(pixels, extent[:2], weights)
            else:
                base.paste(pixels, extent[:2])

    def _compose(
        self, base: Image.Image, previous: Image.Image | None, extent: tuple[int, int, int, int]
    ) -> Image.Image:
        """Pillow's ``load_end``: the decoded frame as the image (the first
        frame, or one kept in "P" or "L"), or laid over the previous ones."""
        transparency = self._frame_transparency
        if self._frame == 0:
            if base.mode == "P" and _strategy() == LoadingStrategy.RGB_ALWAYS:
                if transparency is not None:
                    base.info["transparency"] = transparency
                return base.convert("RGBA" if transparency is not None else "RGB")
            return base
        if previous is None:
            return base
        if previous.size != self._size:
            if transparency is not None:
                expanded = Image.new("RGBA", self._size)
            else:
                # Pillow's new "P" image of index 0, in the frame's palette.
                first = (base.getpalette("RGB") or [0, 0, 0])[:3] if base.mode == "P" else [0, 0, 0]
                expanded = Image.new("RGB", self._size, tuple(first))
            expanded.paste(previous.convert(expanded.mode), (0, 0))
            previous = expanded
        if transparency is not None:
            base.info["transparency"] = transparency
            frame_im = base.convert("LA" if base.mode == "L" else "RGBA")
        else:
            frame_im = base.convert("RGB")
        part = frame_im.crop(extent)
        if part.mode in ("LA", "RGBA"):
            colours = part.convert("RGBA")
            previous.paste(colours, extent[:2], colours)
        else:
            previous.paste(part.convert(previous.mode), extent[:2])
        return previous

    def getpalette(self, rawmode: str | None = "RGB") -> list[int] | None:
        """The palette of a "P" frame (None once the frames are "RGB" or
        "RGBA", whose ``palette`` attribute stays the first frame's, as in
        Pillow)."""
        if self._mode not in ("P", "PA"):
            return None
        return super().getpalette(rawmode)

    @property
    def raw(self) -> Any:
        if self._pending is not None and self._gif is not None:
            self._decode()
        return super().raw

    def load(self) -> Image.PixelAccess:
        """Decodes the current frame (once); the file stays open for the
        frames after it, as Pillow's GIF reader keeps it."""
        self.raw  # noqa: B018  (composes the pending frame)
        return Image.Image.load(self)

    def close(self) -> None:
        """Frees the pixels and closes the file; seeking raises after it."""
        self._gif = None
        super().close()

    def __del__(self) -> None:
        # As Pillow's GIF images, which keep the file Image.open opened for
        # the frames after the one loaded: one dropped without close() leaves
        # it to Python, which closes it with a ResourceWarning.
        self._exclusive_fp = False
        super().__del__()


def _strategy() -> LoadingStrategy:
    # Read at each use: Pillow's tests set the module's value.
    from . import GifImagePlugin

    return LoadingStrategy(GifImagePlugin.LOADING_STRATEGY)


def _check_limits(size: tuple[int, int]) -> None:
    """The decoders' refusal of a picture beyond rust_image's limits
    (``Image.size_limits()``), before any of it is allocated."""
    from .errors import DecompressionBombError

    max_side, max_pixels = Image.size_limits()
    width, height = size
    reason = None
    if width == 0 or height == 0:
        reason = "width and height must be at least 1"
    elif width > max_side:
        reason = f"width must be at most {max_side}, got {width}"
    elif height > max_side:
        reason = f"height must be at most {max_side}, got {height}"
    elif width * height > max_pixels:
        reason = f"{width}x{height} is {width * height} pixels; the maximum image size is {max_pixels} pixels"
    if reason:
        raise DecompressionBombError(f"the GIF file claims {width}x{height} pixels, too large: {reason}")


def _refuse_as_decoder_does(data: bytes, error: BaseException) -> None:
    """A first frame that cannot be read is refused with the error of the
    codecs module's whole-file decoder (the one ``decode`` gives, which the
    decoders' fuzz test records), when it refuses the file too."""
    from .module import rust as rust_module

    module = rust_module()
    try:
        _width, _height, picture = files.decode(data, module.max_image_side(), int(module.max_image_pixels()))
    except (OSError, ValueError) as refused:
        raise refused from error
    picture.free()
    raise error


def getheader(
    im: Image.Image, palette: Any = None, info: dict[str, Any] | None = None
) -> tuple[list[bytes], list[int] | None]:
    """Pillow's legacy ``getheader``: the parts of a GIF's header for
    ``im`` (its palette made the given one, or shrunk to the colours used,
    in place, as Pillow does) and the palette entries it uses."""
    from . import _gifsave as gifsave

    if info is None:
        info = {}
    used = gifsave.get_optimize(im, info)
    if "background" not in info and "background" in im.info:
        info["background"] = im.info["background"]
    normalized = gifsave.normalize_palette(im, palette, info)
    im.palette = normalized.palette
    im.im = normalized.im
    return gifsave.global_header(im, info), used


def getdata(im: Image.Image, offset: tuple[int, int] = (0, 0), **params: Any) -> list[bytes]:
    """Pillow's legacy ``getdata``: the parts of a GIF frame of ``im`` (its
    local header, image data and the empty block after it); ``params`` as
    the save options (``duration``...)."""
    from . import _gifsave as gifsave

    im.load()
    return gifsave.frame_data(im, params, offset)
