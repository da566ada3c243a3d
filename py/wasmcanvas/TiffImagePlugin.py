"""Pillow's ``PIL.TiffImagePlugin``: the class of the TIFF files
``Image.open`` returns, for code and tests that check
``isinstance(im, TiffImagePlugin.TiffImageFile)``, and Pillow's names for
TIFF's compression schemes. wasmcanvas reads a file's first image with its
own decoder, CCITT fax (Group 3 and 4) too, where Pillow calls libtiff;
``features.check("libtiff")`` is True for what users see of libtiff: the
files it reads and the compressions it writes. An Orientation tag turns
the image at load, its size given turned from the start, as Pillow's.

>>> Image.new("RGB", (128, 96)).save("hopper.tif")
>>> type(Image.open("hopper.tif")).__name__
'TiffImageFile'
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._exif import Exif
from ._headers import TIFF_COMPRESSION
from .ImageFile import ImageFile

if TYPE_CHECKING:
    from . import Image

__all__ = ["COMPRESSION_INFO", "COMPRESSION_INFO_REV", "READ_LIBTIFF", "WRITE_LIBTIFF", "TiffImageFile"]

READ_LIBTIFF = False
"""Pillow's switch for reading every file through libtiff. wasmcanvas reads
all with its own decoder, which gives the pixels libtiff gives: the switch
changes nothing here."""

WRITE_LIBTIFF = False
"""Pillow's switch for writing uncompressed files through libtiff: True
writes them in strips of ``strip_size`` bytes (64 KiB), as libtiff does,
rather than Pillow's one strip; the pixels read back are the same."""

# Orientation (tag 274) to what turns the stored image upright.
_UPRIGHT = {2: 0, 3: 3, 4: 1, 5: 5, 6: 4, 7: 6, 8: 2}

# Pillow's tables: compression tag value to name, and back.
COMPRESSION_INFO: dict[int, str] = dict(TIFF_COMPRESSION)
COMPRESSION_INFO_REV: dict[str, int] = {name: value for value, name in COMPRESSION_INFO.items()}


class TiffImageFile(ImageFile):
    """A TIFF file read by ``Image.open``."""

    format = "TIFF"
    format_description = "Adobe TIFF"
    _mimetype = "image/tiff"

    _first_ifd: Exif | None = None
    _orientation = 1

    def _read_header_extras(self) -> None:
        # Pillow's getexif of a TIFF reads its first image's directory from
        # the file. It is read here, with the directories it points to, so
        # that the file's bytes need not be kept (unless IFD1 points to a
        # thumbnail, which get_child_images reads from them).
        exif = Exif()
        try:
            exif.load(self._pending or b"")
        except SyntaxError:
            return
        # Only the directories there are, as an unasked get_ifd changes tobytes().
        for tag in (0x8769, 0x8825):
            if tag in exif:
                exif.get_ifd(tag)
        if 0x8769 in exif and 0xA005 in exif.get_ifd(0x8769):
            exif.get_ifd(0xA005)
        if exif._info is not None and exif._info.next:
            exif.get_ifd(-1)
        if 0x0201 not in exif._ifds.get(-1, {}):
            exif._raw = b""
        self._first_ifd = exif
        # Pillow's info from the directory: XMP (tag 700) and the ICC profile (34675).
        xmp = exif.get(700)
        if xmp is not None:
            self.info["xmp"] = xmp[0] if isinstance(xmp, tuple) and len(xmp) == 1 else xmp
        if 34675 in exif:
            self.info["icc_profile"] = exif[34675]
        orientation = exif.get(0x0112)
        if isinstance(orientation, int) and orientation in _UPRIGHT:
            self._orientation = orientation
            if orientation >= 5:
                # Pillow gives the size the image has once turned.
                self._size = (self._size[1], self._size[0])

    def _decode(self, keep_mode: bool = True) -> None:
        # Pillow turns a TIFF upright as it loads it, and drops its Orientation.
        pending = self._pending is not None
        super()._decode(keep_mode)
        if pending and self._pending is None and self._orientation != 1:
            self._transpose_in_place(_UPRIGHT[self._orientation])
            self._orientation = 1
            if self._first_ifd is not None and 0x0112 in self._first_ifd:
                del self._first_ifd[0x0112]

    def getexif(self) -> Image.Exif:
        """The first image's directory (IFD0) as ``Image.Exif``, with its Exif,
        GPS, Interop and IFD1 directories, as Pillow's.

        >>> Image.new("RGB", (128, 96)).save("hopper.tif")
        >>> Image.open("hopper.tif").getexif()[256]
        128
        """
        if self._exif is None and self._first_ifd is not None:
            self._exif = self._first_ifd
            self._exif._loaded = True
        return super().getexif()
