"""Untrusted picture files through the Python API: the refused files the
decoders' fuzz test kept (src/fuzz in crate/codecs: one per kind of error,
the slowest, the hungriest, and the regressions) and hand-made attacks
(tiny files claiming 65535x65535 pixels, a PNG whose zlib stream inflates
far past its pixels, a truncated progressive JPEG, a GIF whose LZW codes
refer past the table). Each must raise the exception and message the
native decoder gave (or, for a PNG whose chunks Pillow's reader refuses at
open, Pillow's refusal: ``UnidentifiedImageError`` from its ``SyntaxError``,
``IndexError`` or ``struct.error``, or its ``ValueError``, with real
Pillow's message), the codecs module must stay usable, and the images the
user had open must keep their pixels. A core test: page, worker, Node."""

from __future__ import annotations

import io
import json
import struct
import zlib
from pathlib import Path

import pytest
from conftest import record_bad_input_cases
from images import sample_photo
from PIL import Image
from pytest_pyodide import run_in_pyodide

NASTY_FOLDER = Path(__file__).resolve().parent.parent / "build" / "fuzz-nasty"


def nasty_files() -> list[tuple[str, bytes, str, str]]:
    """(file name, bytes, error name, message) for each file the fuzz test
    kept, with the error the native decoder gave under the page's limits."""
    manifest = NASTY_FOLDER / "manifest.json"
    if not manifest.exists():
        pytest.fail(
            f"{manifest} is missing: the decoders' fuzz test writes it when run with "
            "CODEC_FUZZ_OUT (./build.sh test does so before the Python tests)"
        )
    entries = json.loads(manifest.read_text())
    return [
        (entry["file"], (NASTY_FOLDER / entry["file"]).read_bytes(), entry["error"], entry["message"])
        for entry in entries
    ]


def pillow_refusal(name: str, data: bytes) -> list[str] | None:
    """The error real Pillow's reader raises for ``data`` (its type's name
    and message): at open for PNG and JPEG 2000, at open or load for SGI and FLI, whose
    headers our plugins check first, as Pillow's do; None when it opens the
    file, or for another format."""
    from PIL import FliImagePlugin, Jpeg2KImagePlugin, PngImagePlugin, SgiImagePlugin

    refusals: tuple[type[Exception], ...] = (SyntaxError, ValueError, IndexError, struct.error)
    if data[:4] == b"\x89PNG":
        plugin, load = PngImagePlugin.PngImageFile, False
    elif name.endswith((".sgi", ".fli")) or data[:2] == b"\x01\xda":
        plugin = FliImagePlugin.FliImageFile if name.endswith(".fli") else SgiImagePlugin.SgiImageFile
        load = True
    elif name.endswith((".jp2", ".j2k")) or data[:4] == b"\xff\x4f\xff\x51":
        # The box and marker structure is read in Python, as Pillow's plugin
        # reads it, with its OSError for a box cut short.
        plugin, load, refusals = Jpeg2KImagePlugin.Jpeg2KImageFile, False, (*refusals, OSError)
    else:
        return None
    try:
        opened = plugin(io.BytesIO(data))
        if load:
            opened.load()
    except refusals as error:
        return [type(error).__name__, str(error)]
    except Exception:
        return None
    return None


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_file(width: int, height: int, colour: int, stream: bytes) -> bytes:
    header = struct.pack(">IIBBBBB", width, height, 8, colour, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", header) + png_chunk(b"IDAT", stream) + png_chunk(b"IEND", b"")


def gif_file(screen: tuple[int, int], frame: tuple[int, int], lzw: bytes) -> bytes:
    """A GIF with a two-colour palette and one frame whose LZW data (minimum
    code size 2) is `lzw`."""
    header = b"GIF89a" + struct.pack("<HHBBB", *screen, 0x80, 0, 0) + bytes([0, 0, 0, 255, 255, 255])
    descriptor = b"," + struct.pack("<HHHHB", 0, 0, *frame, 0)
    return header + descriptor + bytes([2, len(lzw)]) + lzw + b"\x00;"


def lzw_codes(codes: list[int], bits: int = 3) -> bytes:
    """Codes of `bits` bits packed least significant bit first, as GIF does."""
    value = sum(code << (index * bits) for index, code in enumerate(codes))
    return value.to_bytes((len(codes) * bits + 7) // 8, "little")


def attacks() -> list[tuple[str, bytes, str, str]]:
    """(what, file, error name, message): the files #15 names, made here."""
    claims = "file claims 65535x65535 pixels, too large: width must be at most 16384, got 65535"
    out = io.BytesIO()
    Image.new("RGB", (1, 1), "red").save(out, "JPEG")
    jpeg = bytearray(out.getvalue())
    frame = jpeg.index(b"\xff\xc0")
    jpeg[frame + 5 : frame + 9] = struct.pack(">HH", 65535, 65535)
    bmp = bytearray(b"BM" + struct.pack("<IHHI", 62, 0, 0, 54))
    bmp += struct.pack("<IiiHHIIiiII", 40, 65535, 65535, 1, 24, 0, 4, 0, 0, 0, 0) + bytes(4)
    siz = struct.pack(">HHIIIIIIIIH", 50, 0, 5, 4, 0, 0, 5, 4, 0, 0, 4) + b"\x07\x01\x01" * 4
    cut_marker = b"\xff\x4f\xff\x51" + siz + b"\xff\x52"
    webp_canvas = b"VP8X" + struct.pack("<I", 10) + bytes([0, 0, 0, 0]) + (65534).to_bytes(3, "little") * 2
    lossless = io.BytesIO()
    Image.new("RGB", (1, 1)).save(lossless, "WEBP", lossless=True)
    vp8l = lossless.getvalue()[12:]
    webp_body = b"WEBP" + webp_canvas + vp8l
    webp = b"RIFF" + struct.pack("<I", len(webp_body)) + webp_body
    progressive = io.BytesIO()
    sample_photo(64, 48).save(progressive, "JPEG", progressive=True)
    bomb_stream = zlib.compress(bytes(64 << 20), 9)
    return [
        (
            "a 1-pixel PNG claiming 65535x65535",
            png_file(65535, 65535, 0, zlib.compress(b"\x00\x00")),
            "DecompressionBombError",
            f"the PNG {claims}",
        ),
        (
            "a 1-pixel GIF claiming 65535x65535",
            gif_file((65535, 65535), (1, 1), lzw_codes([4, 1, 5])),
            "DecompressionBombError",
            f"the GIF {claims}",
        ),
        ("a 1-pixel JPEG claiming 65535x65535", bytes(jpeg), "DecompressionBombError", f"the JPEG {claims}"),
        ("a 1-pixel BMP claiming 65535x65535", bytes(bmp), "DecompressionBombError", f"the BMP {claims}"),
        ("a 1-pixel WebP claiming 65535x65535", webp, "DecompressionBombError", f"the WebP {claims}"),
        (
            f"a {len(bomb_stream)}-byte zlib stream of 64 MiB in a 1x1 PNG",
            png_file(1, 1, 0, bomb_stream),
            "DecompressionBombError",
            "cannot read the PNG file: its compressed pixels go on past the 2 bytes its 1x1 pixels need "
            "(a decompression bomb?)",
        ),
        (
            "a progressive JPEG cut after two thirds",
            progressive.getvalue()[: len(progressive.getvalue()) * 2 // 3],
            "ImageFileError",
            "cannot read the JPEG file: it is truncated",
        ),
        (
            "a GIF whose LZW data uses code 7 when 6 is the next free one",
            gif_file((2, 1), (2, 1), lzw_codes([4, 1, 7, 5])),
            "ImageFileError",
            "cannot read the GIF file: its LZW-compressed pixels use a code the table does not hold yet "
            "(a looping or corrupt table)",
        ),
        # Found by the fuzz test: Pillow's reader fails on the header's
        # fields (struct), its opener's refusal; ours had said the mode.
        ("an SGI file cut inside its header", b"\x01\xda\x01\x02\x00", "ImageFileError", "not compared"),
        # Found by the fuzz test: a JPEG 2000 marker with no room for its
        # length fails Pillow's comment reader (struct), its opener's
        # refusal; ours had said "Marker length too small".
        ("a JPEG 2000 codestream cut inside a marker", cut_marker, "ImageFileError", "not compared"),
    ]


def test_untrusted_files_are_refused_and_nothing_is_lost(selenium_rust):
    cases = attacks() + nasty_files()
    assert len(cases) >= 200, f"only {len(cases)} untrusted files to try"
    good = io.BytesIO()
    sample_photo(13, 9).save(good, "PNG")

    @run_in_pyodide(packages=["wasmcanvas"])
    def check(selenium, cases, good):
        from wasmcanvas import DecompressionBombError, Image, ImageFileError, UnidentifiedImageError, loader

        def pillows_refusal(raised, pillow):
            if pillow is None:
                return False
            kind, message = pillow
            if kind in ("SyntaxError", "IndexError", "error"):
                # What Pillow's opener takes as the plugin's refusal (struct.error's name is "error"),
                # and so does ours: the user sees the same UnidentifiedImageError either way.
                cause = type(raised.__cause__).__name__
                return type(raised) is UnidentifiedImageError and cause in ("SyntaxError", "IndexError", "error")
            return type(raised).__name__ == kind and str(raised) == message

        expected_type = {
            "ImageFileError": ImageFileError,
            "DecompressionBombError": DecompressionBombError,
            "OutOfMemoryError": MemoryError,
            "RangeError": ValueError,
        }
        # The native decoder's refusal is compared: Pillow's MAX_IMAGE_PIXELS
        # check would refuse the largest claims first, with its own message.
        Image.MAX_IMAGE_PIXELS = None
        kept = Image.new("RGBA", (5, 4), (10, 200, 30, 255))
        opened = Image.open(good)
        kept_bytes, opened_bytes = kept.tobytes(), opened.tobytes()
        wrong = []
        for what, data, error, message, pillow in cases:
            try:
                Image.open(bytes(data)).load()
            except Exception as raised:  # every outcome is compared below
                if pillows_refusal(raised, pillow):
                    continue
                if type(raised) is not expected_type[error] or str(raised) != message:
                    wrong.append(f"{what}: {type(raised).__name__}: {raised} (expected {error}: {message})")
            else:
                wrong.append(f"{what}: decoded (expected {error}: {message})")
        Image.MAX_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3
        codecs_memory = loader.codecs().memory.buffer.byteLength
        again = Image.open(good)
        return (
            wrong,
            kept.tobytes() == kept_bytes and opened.tobytes() == opened_bytes,
            again.tobytes() == opened_bytes,
            codecs_memory,
        )

    wrong, kept_intact, decodes_after, codecs_memory = check(
        selenium_rust,
        [[*case, pillow_refusal(case[0], case[1])] for case in cases],
        good.getvalue(),
    )
    record_bad_input_cases("Rust", len(cases))
    assert wrong == [], "\n".join(wrong)
    assert kept_intact, "an image the user had open changed"
    assert decodes_after, "a good file no longer decodes the same after the untrusted ones"
    assert codecs_memory <= 64 << 20, f"the codecs module kept {codecs_memory} bytes of memory"
