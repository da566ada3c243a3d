"""Runs Pillow's test modules with real Pillow on the host and writes each
test's outcome as JSON: the baseline of run.py.

    python on_host.py <pillow sdist root> <results.json> <module>...
"""

from __future__ import annotations

import io
import json
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest
from outcomes import Outcomes

sdist, results, modules = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3:]
outcomes = Outcomes()
arguments = [*(f"Tests/{module}.py" for module in modules), "-q", "-p", "no:cacheprovider", "-o", "addopts="]
arguments += ["--rootdir", str(sdist), "-c", str(sdist / "pyproject.toml")]
with redirect_stdout(io.StringIO()):
    pytest.main(arguments, plugins=[outcomes])
results.write_text(json.dumps(outcomes.results))
