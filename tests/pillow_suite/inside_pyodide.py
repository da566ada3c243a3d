"""Runs Pillow's test modules with pytest inside Pyodide and returns each
test's outcome as JSON (read by run.py on the host).

The sdist is mounted at /pillow; pytest runs from there, as Pillow's own CI
runs it from the source tree (its helper opens "Tests/images/hopper.ppm").
"""

from __future__ import annotations

import io
import json
import os
import sys

import pil_alias
import pytest
from outcomes import SESSION, Outcomes


def run(modules: list[str]) -> str:
    sys.dont_write_bytecode = True
    os.chdir("/pillow")
    sys.path.insert(0, "/pillow")
    pil_alias.install()
    outcomes = Outcomes()
    arguments = [
        *(f"Tests/{module}.py" for module in modules),
        "-q",
        "-p",
        "no:cacheprovider",
        "-p",
        "no:faulthandler",
        # fd-level capture fails on Node's file system in Pyodide.
        "--capture=sys",
        "--continue-on-collection-errors",
        "-o",
        "addopts=",
    ]
    # pytest's own report goes nowhere: the outcomes are the result.
    stdout, sys.stdout = sys.stdout, io.StringIO()
    try:
        pytest.main(arguments, plugins=[outcomes])
    except Exception as error:
        # Pillow's conftest or helper could not be imported: no test ran.
        outcomes.results[SESSION] = {"outcome": "error", "reason": f"session: {type(error).__name__}: {error}"}
    finally:
        sys.stdout = stdout
    return json.dumps(outcomes.results)
