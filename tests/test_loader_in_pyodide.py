"""The Rust module travels in the wheel: in a Pyodide page where nothing
registered `rust_image`, installing wasmcanvas and using it is enough; on the
project's pages the module `boot.js` registered is used, never a second one."""

import pytest
from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas"])
async def test_first_use_loads_the_module_from_the_package(selenium_standalone):
    import sys

    import js
    import pytest
    import wasmcanvas
    from wasmcanvas import Image, loader

    assert "rust_image" not in sys.modules and loader.source() is None
    with Image.new("RGB", (3, 2), (10, 20, 30)) as image:
        image.inplace.invert(box=(1, 1, 3, 2))
        assert image.tobytes() == bytes([10, 20, 30] * 4 + [245, 235, 225] * 2)
    assert loader.source() == "package"
    import rust_image

    # The guard from _module/guard.js wraps the exports, as boot.js's does.
    assert rust_image.brokenReason() == ""
    assert rust_image.max_image_side() == 16384
    assert js.Uint8Array.new(rust_image.memory.buffer).length == wasmcanvas.wasm_memory().byte_length
    with pytest.raises(ValueError, match="width must be at most 16384, got 20000"):
        Image.new("RGB", (20000, 1))
    freed = rust_image.RgbaImage.new(1, 1)
    freed.free()
    with pytest.raises(Exception, match="argument 1 is a rust_image object that was already freed"):
        rust_image.RgbaImage.new(2, 2).paste(freed, 0, 0)

    # load() is idempotent and cheap once loaded: the same module object.
    await wasmcanvas.load()
    assert sys.modules["rust_image"] is rust_image

    # A fresh instance from the package's files; the old images say so.
    kept = Image.new("RGB", (2, 2))
    await wasmcanvas.reload_module()
    assert sys.modules["rust_image"] is not rust_image and loader.source() == "package"
    with pytest.raises(wasmcanvas.ClosedImageError, match="before it was reloaded"):
        kept.inplace.invert()
    assert Image.new("RGB", (2, 1), "#3c465a").getpixel((1, 0)) == (60, 70, 90)


@run_in_pyodide(packages=["wasmcanvas"])
async def test_load_ahead_of_time_compiles_asynchronously(selenium_standalone):
    import sys

    import wasmcanvas
    from wasmcanvas import Image, loader

    assert "rust_image" not in sys.modules
    await wasmcanvas.load()
    assert loader.source() == "package" and "rust_image" in sys.modules
    module = sys.modules["rust_image"]
    assert Image.new("L", (4, 4)).size == (4, 4)
    assert sys.modules["rust_image"] is module


@pytest.mark.page
@run_in_pyodide(packages=["wasmcanvas"])
async def test_a_module_the_page_registered_is_used_not_a_second_one(selenium_rust):
    import rust_image
    import rust_image_loader
    import wasmcanvas
    from wasmcanvas import Image, loader

    # User code imported the page's module before wasmcanvas's first use.
    assert loader.source() == "page"
    instances = rust_image_loader.instances()
    await wasmcanvas.load()
    assert Image.new("L", (2, 2)).size == (2, 2)
    assert loader.source() == "page"
    assert rust_image_loader.instances() == instances
    import sys

    assert sys.modules["rust_image"] is rust_image


@run_in_pyodide(packages=["wasmcanvas"])
def test_python_runs_the_bytecode_the_site_serves(selenium_rust):
    """dist/ serves Python's bytecode compiled by this very Pyodide: the
    standard library's modules as bytecode alone, wasmcanvas's sources
    with a .pyc beside each, which Python takes while its source is
    unchanged; tracebacks still show wasmcanvas's source lines."""
    import importlib.util
    import json
    import traceback

    import pytest
    import wasmcanvas.Image as image_module

    assert json.__file__ == "/lib/python314.zip/json/__init__.pyc"
    assert json.__spec__.cached == json.__file__
    with open(image_module.__spec__.cached, "rb") as cached, open(image_module.__file__, "rb") as source:
        compiled, source_bytes = cached.read(), source.read()
    # Magic number of this Python; flags: hash-based, checked; the hash of
    # the source beside it.
    assert compiled[:4] == importlib.util.MAGIC_NUMBER
    assert int.from_bytes(compiled[4:8], "little") == 0b11
    assert compiled[8:16] == importlib.util.source_hash(source_bytes)
    with pytest.raises(ValueError) as raised:
        image_module.new("RGB", (-1, 1))
    shown = "".join(traceback.format_exception(raised.value))
    assert 'raise ValueError("Width and height must be >= 0")' in shown, shown
