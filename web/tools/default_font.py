"""Writes ImageFont.load_default's font for the wheel: the Aileron Regular
bytes (a free font) that Pillow embeds, base64, in its ImageFont.py, taken
from the Pillow installed in .venv, so that wasmcanvas's default text is
Pillow's and no third-party data is kept in our sources.

Usage: python default_font.py OUT.ttf
"""

from __future__ import annotations

import base64
import re
import sys
from pathlib import Path

import PIL.ImageFont


def embedded_font() -> bytes:
    source = Path(PIL.ImageFont.__file__).read_text(encoding="utf-8")
    found = re.search(r'def load_default\(.*?b64decode\(\s*b"""(.*?)"""', source, re.S)
    if found is None:
        raise SystemExit(f"no embedded font found in {PIL.ImageFont.__file__}")
    return base64.b64decode(found.group(1))


if __name__ == "__main__":
    Path(sys.argv[1]).write_bytes(embedded_font())
