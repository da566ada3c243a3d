"""The wheel as an index would see it: pure Python, carrying the Rust module,
its type stub and metadata fit for publishing."""

import base64
import hashlib
import json
import re
import subprocess
import sys
import zipfile
from email.message import Message
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
        metadata = wheel_metadata(wheel)
    assert metadata["Name"] == "wasmcanvas"
    assert metadata["Version"] == source_version()
    assert metadata["Description-Content-Type"] == "text/markdown"
    assert metadata["Summary"].startswith("Fast pixel work from Python in the browser")
    assert metadata["License-Expression"] == "MIT"
    assert metadata["Requires-Python"] == ">=3.12"
    assert "Environment :: WebAssembly :: Emscripten" in metadata.get_all("Classifier")
    # No runtime dependencies, and the host tools are a dependency group,
    # not an extra a user could install.
    assert metadata.get_all("Requires-Dist") is None and metadata.get_all("Provides-Extra") is None
    # No public home yet, and an index wants absolute URLs: none rather than
    # a made-up one.
    assert metadata.get("Project-URL") is None
    assert "## Use it in your page" in metadata.get_payload()


# The site's applications: a wheel of their own (web/site-wheel/pyproject.toml)
# that only the site installs.
SITE_MODULES = {"__init__", "bench", "editor", "gallery", "lesson", "life", "plasma", "repl", "samples", "sniff", "ui"}


def site_wheel() -> zipfile.ZipFile:
    (path,) = (ROOT / "build" / "site-wheel").glob("wasmcanvas_site-*.whl")
    assert path.name.endswith("-py3-none-any.whl")
    return zipfile.ZipFile(path)


def wheel_metadata(wheel: zipfile.ZipFile) -> Message:
    (metadata_name,) = [name for name in wheel.namelist() if name.endswith(".dist-info/METADATA")]
    return Parser().parsestr(wheel.read(metadata_name).decode())


def source_version() -> str:
    """The one place the version is written (hatch reads it from there)."""
    (version,) = re.findall(r'^__version__ = "([^"]+)"$', (ROOT / "py/wasmcanvas/__init__.py").read_text(), re.M)
    return version


def test_the_wheel_holds_the_library_alone():
    with built_wheel() as wheel:
        names = wheel.namelist()
    assert [name for name in names if "apps/" in name or "lesson" in name or "wasmcanvas_site" in name] == []
    assert {name.split("/")[0] for name in names} == {
        "wasmcanvas",
        "rust_image-stubs",
        f"wasmcanvas-{source_version()}.dist-info",
    }


def test_the_site_wheel_holds_the_applications_and_the_lesson():
    with site_wheel() as wheel:
        names = set(wheel.namelist())
        metadata = wheel_metadata(wheel)
        gallery = wheel.read("wasmcanvas_site/gallery.py").decode()
    modules = {name.removeprefix("wasmcanvas_site/").removesuffix(".py") for name in names if name.endswith(".py")}
    assert modules == SITE_MODULES
    assert modules == {path.stem for path in (ROOT / "py/wasmcanvas_site").glob("*.py")}
    assert not [name for name in names if name.endswith((".pyc", ".so"))]
    assert "from .lesson import read_seed_pixels" in gallery
    assert metadata["Name"] == "wasmcanvas-site" and metadata["Version"] == source_version()
    assert metadata.get_all("Requires-Dist") == ["wasmcanvas"]
    assert "Private :: Do Not Upload" in metadata.get_all("Classifier")


def test_the_site_serves_and_locks_both_wheels():
    lock = json.loads((DIST_DIR / "pyodide-lock.json").read_text())["packages"]
    version = source_version()
    assert lock["wasmcanvas"]["file_name"] == f"wasmcanvas-{version}-py3-none-any.whl"
    assert lock["wasmcanvas"]["depends"] == []
    assert lock["wasmcanvas-site"]["file_name"] == f"wasmcanvas_site-{version}-py3-none-any.whl"
    assert lock["wasmcanvas-site"]["depends"] == ["wasmcanvas"]
    assert lock["wasmcanvas-site"]["imports"] == ["wasmcanvas_site"]
    for name in ("wasmcanvas", "wasmcanvas-site"):
        served = DIST_DIR / lock[name]["file_name"]
        assert hashlib.sha256(served.read_bytes()).hexdigest() == lock[name]["sha256"]
    pages = sorted((ROOT / "web" / "pages").glob("*.html"))
    apps = [re.search(r"^app: (\S+)$", page.read_text(), re.M) for page in pages]
    assert all(app and app[1].startswith("wasmcanvas_site.") for app in apps), apps


def test_twine_check_passes_on_both_wheels():
    """What an index runs on upload: the metadata is valid and the long
    description (the README, Markdown) renders."""
    wheels = [*(ROOT / "build" / "wheel").glob("*.whl"), *(ROOT / "build" / "site-wheel").glob("*.whl")]
    assert len(wheels) == 2
    result = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, wheels)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout


# What dist/ serves to Pyodide is compiled to bytecode at build time
# (web/tools/pyodide_bytecode.mjs): the standard library's zip holds
# bytecode alone, each wheel a hash-checked .pyc beside each module.
PYC_UNCHECKED_HASH, PYC_CHECKED_HASH = 0b01, 0b11
PYODIDE_WHEELS = ROOT / ".toolchain" / "pyodide-wheels"


def pyc_header(data: bytes) -> tuple[bytes, int]:
    """The magic number (the Python that compiled it) and the flags."""
    return data[:4], int.from_bytes(data[4:8], "little")


def test_the_site_serves_the_standard_library_as_bytecode():
    with zipfile.ZipFile(ROOT / "web/node_modules/pyodide/python_stdlib.zip") as source:
        sources = {name: source.read(name) for name in source.namelist()}
    with zipfile.ZipFile(DIST_DIR / "python_stdlib.zip") as served:
        names = served.namelist()
        compiled = {name: served.read(name) for name in names if name.endswith(".pyc")}
        others = {name: served.read(name) for name in names if not name.endswith(".pyc")}
    modules = {name for name in sources if name.endswith(".py")}
    assert len(modules) > 500
    assert set(compiled) == {name + "c" for name in modules}
    assert others == {name: data for name, data in sources.items() if name not in modules}
    headers = {pyc_header(data) for data in compiled.values()}
    assert len(headers) == 1 and headers.pop()[1] == PYC_UNCHECKED_HASH


def test_the_site_serves_each_wheel_with_bytecode_beside_its_modules():
    originals = {
        path.name: path
        for path in [
            *PYODIDE_WHEELS.glob("*.whl"),
            *(ROOT / "build").glob("wheel/*.whl"),
            *(ROOT / "build").glob("site-wheel/*.whl"),
        ]
    }
    served_wheels = sorted(DIST_DIR.glob("*.whl"))
    assert {path.name for path in served_wheels} == set(originals)
    magic_numbers = set()
    with zipfile.ZipFile(DIST_DIR / "python_stdlib.zip") as stdlib:
        magic_numbers.add(pyc_header(stdlib.read("json/__init__.pyc"))[0])
    for served_path in served_wheels:
        with zipfile.ZipFile(originals[served_path.name]) as original, zipfile.ZipFile(served_path) as served:
            before = {name: original.read(name) for name in original.namelist()}
            order = served.namelist()
            after = {name: served.read(name) for name in order}
        record_name = next(name for name in after if name.endswith(".dist-info/RECORD"))
        assert order[-1] == record_name
        modules = [name for name in before if name.endswith(".py") and not name.split("/")[0].endswith(".data")]
        expected_pycs = {
            "/".join([*name.split("/")[:-1], "__pycache__", name.split("/")[-1][:-3] + ".cpython-314.pyc"])
            for name in modules
        }
        assert modules and set(after) - set(before) == expected_pycs, served_path.name
        assert {name: data for name, data in after.items() if name != record_name and name in before} == {
            name: data for name, data in before.items() if name != record_name
        }
        for name in expected_pycs:
            magic, flags = pyc_header(after[name])
            magic_numbers.add(magic)
            assert flags == PYC_CHECKED_HASH, (served_path.name, name)
        # RECORD lists every file with its hash, the compiled ones too.
        rows = {}
        for line in after[record_name].decode().splitlines():
            path, digest, size = line.rsplit(",", 2)
            rows[path] = (digest, size)
        assert set(rows) == set(after), served_path.name
        for name, data in after.items():
            if name != record_name:
                digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
                assert rows[name] == (f"sha256={digest}", str(len(data))), (served_path.name, name)
    # One Python compiled all of it: Pyodide's.
    assert len(magic_numbers) == 1
