"""Packs a pure-Python package folder into a wheel Pyodide can load:
PyYAML has no wheel for Pyodide on PyPI, and its `yaml` package runs
without its optional C extension (marimo's runtime imports it at start).

Usage: python hosts/pure_wheel.py PACKAGE_DIR NAME VERSION OUT_DIR
"""

import sys
import zipfile
from pathlib import Path

package, name, version, out = Path(sys.argv[1]), sys.argv[2], sys.argv[3], Path(sys.argv[4])
info = f"{name.lower()}-{version}.dist-info"
wheel = out / f"{name.lower()}-{version}-py3-none-any.whl"
with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as archive:
    for source in sorted(package.glob("*.py")):
        archive.write(source, f"{package.name}/{source.name}")
    archive.writestr(f"{info}/METADATA", f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    archive.writestr(f"{info}/WHEEL", "Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: py3-none-any\n")
    archive.writestr(f"{info}/RECORD", "")
print(wheel)
