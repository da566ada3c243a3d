"""When the Rust module traps: a clear error now and for every later call,
a page banner offering to reload it, and a reload that keeps the user's
Python state. The trap comes from `debug_trap()`, an export that only the
test build (`--features fault-injection`, dist/testing/pkg) has."""

import pytest
from conftest import DIST_DIR
from pytest_pyodide import run_in_pyodide

LOAD_FAULTY_MODULE_JS = """
    const { loadRustImage } = await import("./boot.js");
    await loadRustImage(pyodide, "./testing/pkg/rust_image.js");
"""


@pytest.fixture
def selenium_faulty(selenium):
    """pytest-pyodide's page with the fault-injection build as `rust_image`."""
    selenium.run_js(LOAD_FAULTY_MODULE_JS)
    selenium.run("import sys; sys.modules.pop('rust_image', None)")
    return selenium


def test_a_trap_breaks_the_module_until_it_is_reloaded(selenium_faulty):
    # The user's Python state, made before the trap and read after the
    # reload by separate calls into the same interpreter.
    selenium_faulty.run("user_state = {'answer': 42, 'items': list(range(5))}")
    trap_and_reload(selenium_faulty)
    assert selenium_faulty.run("user_state['answer'] + sum(user_state['items'])") == 52
    # console_error_panic_hook: the panic's Rust message reached the console.
    assert "panicked at src/lib.rs" in selenium_faulty.logs
    assert "debug_trap: a deliberate fault for the tests" in selenium_faulty.logs


def test_only_the_test_build_has_the_trap_export():
    for name in ("rust_image_bg.wasm", "rust_image.js", "rust_image.d.ts"):
        assert b"debug_trap" not in (DIST_DIR / "pkg" / name).read_bytes(), f"dist/pkg/{name} has debug_trap"
        assert b"debug_trap" in (DIST_DIR / "testing" / "pkg" / name).read_bytes(), f"dist/testing/pkg/{name}"


@run_in_pyodide(packages=["wasmcanvas"])
async def trap_and_reload(selenium_faulty):
    import js
    import pytest
    import rust_image
    import wasmcanvas
    from pyodide.ffi import JsException
    from wasmcanvas import ClosedImageError, Image, ImageFilter, ModuleBrokenError
    from wasmcanvas.dom import is_missing

    image = Image.new("RGB", (4, 4), (1, 2, 3))
    with pytest.raises(JsException) as trap:
        rust_image.debug_trap()
    assert trap.value.name == "RuntimeError"

    with pytest.raises(ModuleBrokenError, match=r"the rust_image module is broken \(RuntimeError: unreachable"):
        Image.new("RGB", (2, 2))
    with pytest.raises(ModuleBrokenError, match=r"reload it with `await wasmcanvas\.reload_module\(\)`"):
        image.inplace.invert()
    with pytest.raises(JsException, match=r"rust_image is broken \(RuntimeError"):
        rust_image.max_image_side()
    banner = js.document.getElementById("wasmcanvas-module-broken")
    assert "The Rust module stopped working" in banner.textContent
    assert banner.querySelector("button").textContent == "Reload the Rust module"

    await wasmcanvas.reload_module()
    assert is_missing(js.document.getElementById("wasmcanvas-module-broken"))
    with Image.new("RGB", (2, 2), (9, 9, 9)) as fresh:
        assert fresh.getpixel((1, 1)) == (9, 9, 9)
        assert fresh.filter(ImageFilter.GaussianBlur(1)).getpixel((1, 1)) == (9, 9, 9)
    with pytest.raises(ClosedImageError, match="made by the rust_image module before it was reloaded"):
        image.inplace.invert()
    image.close()


@run_in_pyodide(packages=["wasmcanvas"])
async def test_the_banner_button_reloads_the_module(selenium_faulty):
    import asyncio

    import js
    import pytest
    import rust_image
    import wasmcanvas
    from pyodide.ffi import JsException
    from wasmcanvas import Image, ModuleBrokenError
    from wasmcanvas.dom import is_missing

    reloaded = []
    wasmcanvas.on_reload(lambda: reloaded.append(True))
    with pytest.raises(JsException):
        rust_image.debug_trap()
    with pytest.raises(ModuleBrokenError):
        Image.new("L", (1, 1))
    js.document.querySelector("#wasmcanvas-module-broken button").click()
    for _ in range(50):
        if reloaded:
            break
        await asyncio.sleep(0.1)
    assert reloaded == [True]
    assert is_missing(js.document.getElementById("wasmcanvas-module-broken"))
    assert Image.new("L", (3, 1)).size == (3, 1)
