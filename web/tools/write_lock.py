"""Writes dist/pyodide-lock.json listing exactly the wheels dist/ serves
(run by build.sh).
"""

import json
import sys
from pathlib import Path

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec

source_lock, dist = Path(sys.argv[1]), Path(sys.argv[2])
# Only what dist/ really serves goes into the lock: every package entry of
# Pyodide's own lock points at a wheel the npm package does not ship. Its
# "tool" tables are empty and newer than pyodide-lock's schema.
info = json.loads(source_lock.read_text())["info"]
info.setdefault("version", json.loads((source_lock.parent / "package.json").read_text())["version"])
spec = PyodideLockSpec(info=info, packages={})
spec = add_wheels_to_spec(spec, sorted(dist.glob("*.whl")), base_path=dist)
spec.to_json(dist / "pyodide-lock.json", indent=1)
print(f"dist/pyodide-lock.json: {', '.join(sorted(spec.packages))}")
