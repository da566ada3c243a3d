"""pytest-wasmcanvas, the plugin users test their own code with: its wheel
(build/pytest-wheel/, made by ./build.sh build) is installed with pip into
a folder of its own, and a pytest of its own runs the example project
(examples/pytest-project/: stickers.py and its tests, which check pixels,
one against real Pillow on the host) in Chromium's page, a Chromium Web
Worker and Node, installing wasmcanvas from its wheel file.

A probe test, added to a copy of the project's test module (a module of
its own would boot each host's Pyodide a second time), fails on purpose in each host
with what it found there: that shows a failure inside Pyodide reaches the
user's pytest, with pytest's assertion message, and that each host is the
one named (a document only in the page, Node's process only in Node), with
wasmcanvas, its codecs and the user's module loaded.
"""

import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "pytest-project"
HOSTS = ("chrome-main", "chrome-worker", "node-main")
EXAMPLE_TESTS = (
    "test_a_sticker_is_the_photos_centre_in_a_border",
    "test_a_jpeg_becomes_a_png_sticker",
    "test_the_sticker_is_pillows",
)

PROBE = """

@run_in_wasmcanvas
def test_probe(selenium_wasmcanvas):
    import js
    import stickers
    import wasmcanvas

    found = " ".join([
        f"document={hasattr(js, 'document')}",
        f"worker={hasattr(js, 'WorkerGlobalScope')}",
        f"node={hasattr(js, 'process')}",
        f"module={wasmcanvas.loader.source()}",
        f"codecs={wasmcanvas.loader._codecs is not None}",
        f"stickers={stickers.__file__.endswith('site-packages/stickers.py')}",
    ])
    assert found == "nowhere"
"""

EXPECTED_PROBES = {
    "chrome-main": "document=True worker=False node=False",
    "chrome-worker": "document=False worker=True node=False",
    "node-main": "document=False worker=False node=True",
}


def built(folder: str, pattern: str) -> Path:
    found = sorted((ROOT / "build" / folder).glob(pattern))
    assert len(found) == 1, f"build/{folder}/{pattern}: {found} (run ./build.sh build)"
    return found[0]


def test_the_example_project_runs_its_tests_in_every_host(tmp_path):
    plugin_wheel = built("pytest-wheel", "pytest_wasmcanvas-*.whl")
    wasmcanvas_wheel = built("wheel", "wasmcanvas-*.whl")
    site = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--target", site, plugin_wheel],
        check=True,
    )
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project, ignore=shutil.ignore_patterns("__pycache__", ".pytest_cache"))
    tests = project / "tests" / "test_stickers.py"
    tests.write_text(tests.read_text() + PROBE)
    report = tmp_path / "report.xml"
    environment = {**os.environ, "PYTHONPATH": str(site), "SE_CHROMEDRIVER": "/usr/bin/chromedriver"}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "pytest",
            "-p",
            "no:cacheprovider",
            f"--dist-dir={ROOT / 'dist'}",
            "--runtime=chrome,node",
            "--wasmcanvas-host=main,worker",
            f"--wasmcanvas-wheel={wasmcanvas_wheel}",
            f"--junitxml={report}",
        ],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
    )
    output = run.stdout[-3000:] + run.stderr[-2000:]
    assert "plugins: wasmcanvas-" in run.stdout, output
    outcomes = {}
    for case in ElementTree.parse(report).iter("testcase"):
        # A failure, an error (in a fixture: the host did not start) or a skip, with its words.
        problems = [case.find(kind) for kind in ("failure", "error", "skipped")]
        problem = next((found for found in problems if found is not None), None)
        outcomes[case.get("name")] = (
            "passed" if problem is None else f"{problem.tag}: {problem.get('message', '')} {problem.text or ''}"
        )
    # The node-worker pairs are deselected: Node has no Web Worker host.
    assert sorted(outcomes) == sorted(f"{name}[{host}]" for name in (*EXAMPLE_TESTS, "test_probe") for host in HOSTS), (
        output
    )
    failed = {name: outcome for name, outcome in outcomes.items() if outcome != "passed" and "test_probe" not in name}
    assert failed == {}, output
    for host, expected in EXPECTED_PROBES.items():
        message = outcomes[f"test_probe[{host}]"]
        found = re.search(r"assert '(.*?)' == 'nowhere'", message)
        assert found, f"test_probe[{host}]: {message}\n{output}"
        assert found.group(1) == f"{expected} module=package codecs=True stickers=True", host
    assert run.returncode == 1, output
