"""Writes DIR/pyodide-lock.json for the marimo export (run by build.sh):
Pyodide 314.0.0's own lock (the one marimo's runtime accepts) emptied, then
every wheel in DIR. A dependency no wheel provides is left out (marimo-base
names its server's packages and pyyaml, which its WebAssembly runtime never
imports, and which have no wheel for Pyodide on PyPI).
pyodide-lock does not know PEP 783's pyemscripten platform tag yet: such a
wheel (msgspec) is listed here by hand, with the same fields.

Usage: python hosts/marimo_lock.py SOURCE_LOCK DIR
"""

import hashlib
import json
import sys
import zipfile
from pathlib import Path

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

source_lock, folder = Path(sys.argv[1]), Path(sys.argv[2])
info = json.loads(source_lock.read_text())["info"]
info.setdefault("version", json.loads((source_lock.parent / "package.json").read_text())["version"])
spec = PyodideLockSpec(info=info, packages={})
pure = sorted(folder.glob("*-none-any.whl"))
spec = add_wheels_to_spec(spec, pure, base_path=folder, ignore_missing_dependencies=True)
spec.to_json(folder / "pyodide-lock.json", indent=1)
lock = json.loads((folder / "pyodide-lock.json").read_text())
for wheel in sorted(set(folder.glob("*.whl")) - set(pure)):
    name, version = wheel.name.split("-")[:2]
    with zipfile.ZipFile(wheel) as archive:
        tops = {entry.split("/")[0] for entry in archive.namelist() if not entry.split("/")[0].endswith(".dist-info")}
    lock["packages"][name.lower().replace("_", "-")] = {
        "name": name,
        "version": version,
        "file_name": wheel.name,
        "install_dir": "site",
        "sha256": hashlib.sha256(wheel.read_bytes()).hexdigest(),
        "package_type": "package",
        "imports": sorted(top.removesuffix(".py") for top in tops if "." not in top.removesuffix(".py")),
        "depends": [],
        "unvendored_tests": False,
        "shared_library": False,
    }
# Pyodide refuses to load a package whose dependency the lock lacks.
for package in lock["packages"].values():
    package["depends"] = [name for name in package["depends"] if name in lock["packages"]]
(folder / "pyodide-lock.json").write_text(json.dumps(lock, indent=1) + "\n")
print(f"{folder}/pyodide-lock.json: {', '.join(sorted(lock['packages']))}")
