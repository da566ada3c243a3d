"""The wheel as an index would see it: pure Python, carrying the Rust module,
its type stub and metadata fit for publishing."""

import zipfile
from email.parser import Parser

from conftest import DIST_DIR, ROOT


def built_wheel() -> zipfile.ZipFile:
    (path,) = (ROOT / "build" / "wheel").glob("wasmcanvas-*.whl")
    assert path.name.endswith("-py3-none-any.whl")
    return zipfile.ZipFile(path)


def test_the_wheel_carries_the_modules_the_site_serves():
    with built_wheel() as wheel:
        names = set(wheel.namelist())
        assert {
            "wasmcanvas/_module/rust_image_bg.wasm",
            "wasmcanvas/_module/rust_image.js",
            "wasmcanvas/_module/rust_image_codecs_bg.wasm",
            "wasmcanvas/_module/rust_image_codecs.js",
            "wasmcanvas/_module/guard.js",
            "wasmcanvas/loader.py",
            "wasmcanvas/py.typed",
            "rust_image-stubs/__init__.pyi",
        } <= names
        for module in ("rust_image", "rust_image_codecs"):
            assert (
                wheel.read(f"wasmcanvas/_module/{module}_bg.wasm")
                == (DIST_DIR / "pkg" / f"{module}_bg.wasm").read_bytes()
            )
            assert wheel.read(f"wasmcanvas/_module/{module}.js").startswith(b"let wasm_bindgen = ")
        assert b"debug_trap" not in wheel.read("wasmcanvas/_module/rust_image_bg.wasm")
        assert not [name for name in names if name.endswith((".so", ".pyc"))]


def test_the_wheel_carries_pillows_default_font():
    # Taken from the Pillow that setup installs (its ImageFont.py embeds it).
    from PIL import ImageFont

    with built_wheel() as wheel:
        assert wheel.read("wasmcanvas/_data/aileron.ttf") == ImageFont.load_default().font_bytes


def test_the_wheel_metadata_is_fit_for_an_index():
    with built_wheel() as wheel:
        (metadata_name,) = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(wheel.read(metadata_name).decode())
    assert metadata["Name"] == "wasmcanvas"
    assert metadata["Summary"].startswith("Fast pixel work from Python in the browser")
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.12"
    assert "Environment :: WebAssembly :: Emscripten" in metadata.get_all("Classifier")
    # No runtime dependencies, and the host tools are a dependency group,
    # not an extra a user could install.
    assert metadata.get_all("Requires-Dist") is None and metadata.get_all("Provides-Extra") is None
    assert metadata.get("Project-URL") is None
    assert "## Use wasmcanvas in your own page, worker or Node script" in metadata.get_payload()
