"""Pillow's own test suite against wasmcanvas.

    python tests/pillow_suite/run.py <dist> [--update-manifest]

1. Fetches Pillow's source distribution with pip (cached under
   .toolchain/pillow-suite/) and unpacks its ``Tests/``.
2. Runs the test modules in MODULES on the host with real Pillow: the
   baseline, B, is every test that passes there (cached, it only changes
   with Pillow's version or the module list).
3. Runs the same modules inside Pyodide in Node with ``PIL`` an alias of
   wasmcanvas (pil_alias.py), two processes at a time.
4. Compares with manifest.txt, which lists every baseline test that does
   not pass on wasmcanvas with a category and a one-line reason: a failing
   test missing from it is a regression, a listed test that passes is a
   stale entry; either fails the run. ``--update-manifest`` rewrites it from
   this run (each line's category and reason as the run gives them now) and the README's
   quote of the summary line, which must otherwise match the run.

Prints ``Pillow's own tests: P of B pass on wasmcanvas``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tarfile
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PILLOW_VERSION = "13.0.0"
CACHE = ROOT / ".toolchain" / "pillow-suite"
SDIST_ROOT = CACHE / f"pillow-{PILLOW_VERSION}"
# Each checkout's own run (the cache above may be shared).
RESULTS = ROOT / "build" / "pillow-suite"
MANIFEST = HERE / "manifest.txt"
README = ROOT / "README.md"
# The README quotes the run's last line in a code block after this marker.
README_MARKER = "<!-- pillow-suite -->\n```\n"

# The modules issue 28 names, in Pillow's Tests/.
MODULES = """
test_000_sanity test_bmp_reference test_box_blur test_color_lut test_decompression_bomb test_file_bmp
test_file_gif test_file_jpeg test_file_png test_file_webp test_file_webp_alpha test_file_webp_lossless
test_image test_image_access test_image_convert test_image_copy test_image_crop test_image_entropy
test_image_filter test_image_frombytes test_image_getbands test_image_getbbox test_image_getcolors
test_image_getdata test_image_getextrema test_image_histogram test_image_load test_image_mode
test_image_paste test_image_point test_image_putalpha test_image_putdata test_image_quantize
test_image_reduce test_image_resample test_image_resize test_image_rotate test_image_split
test_image_thumbnail test_image_tobytes test_image_transform test_image_transpose test_imagechops
test_imagecolor test_imagedraw test_imageenhance test_imagefont test_imageops test_imageops_usm
test_imagesequence test_imagestat test_pickle
""".split()

# What a failure's one line says -> its category in the manifest; the first
# pattern that matches wins.
CATEGORIES = [
    (r"not collected on wasmcanvas", "not collected"),
    (r"No module named 'PIL\.|cannot import name '\w+' from 'wasmcanvas'", "missing module"),
    (r"mode '?[\w;]+'? is not supported|unsupported mode|mode [\w;]+ is not supported", "mode"),
    (r"has no attribute|got an unexpected keyword argument|takes \d+ positional", "missing API"),
    (r"not available|not installed", "feature"),
    (r"NotImplementedError", "not implemented"),
    (r"UnidentifiedImageError|cannot identify image file|cannot write|unknown file extension", "file format"),
]


def fetch_tests() -> None:
    """Pillow's sdist, unpacked: its Tests/, the root conftest.py (which
    loads Tests/helper.py as a plugin) and pyproject.toml (pytest's root)."""
    if (SDIST_ROOT / "Tests" / "helper.py").exists():
        return
    CACHE.mkdir(parents=True, exist_ok=True)
    archive = CACHE / f"pillow-{PILLOW_VERSION}.tar.gz"
    if not archive.exists():
        # Pillow as its sdist, its build requirements as wheels: pip reads
        # the sdist's metadata, and `:all:` would build every one of those
        # requirements from source for that (a minute on a fresh machine).
        download = ["download", "--quiet", "--no-deps", "--no-binary", "pillow", "--dest", str(CACHE)]
        subprocess.run([sys.executable, "-m", "pip", *download, f"pillow=={PILLOW_VERSION}"], check=True)
    prefix = f"pillow-{PILLOW_VERSION}/"
    wanted = (prefix + "Tests/", prefix + "conftest.py", prefix + "pyproject.toml")
    shutil.rmtree(SDIST_ROOT, ignore_errors=True)
    with tarfile.open(archive) as tar:
        members = [member for member in tar.getmembers() if member.name.startswith(wanted)]
        tar.extractall(CACHE, members=members, filter="data")


def baseline() -> dict[str, dict[str, str]]:
    """Every test's outcome with real Pillow on the host, cached by Pillow's
    version and the module list."""
    key = PILLOW_VERSION + "-" + hashlib.sha256(" ".join(MODULES).encode()).hexdigest()[:12]
    cached = CACHE / f"baseline-{key}.json"
    if cached.exists():
        return json.loads(cached.read_text())
    results = CACHE / "baseline.tmp.json"
    environment = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    subprocess.run(
        [sys.executable, str(HERE / "on_host.py"), str(SDIST_ROOT), str(results), *MODULES],
        check=True,
        env=environment,
        cwd=SDIST_ROOT,
    )
    results.rename(cached)
    return json.loads(cached.read_text())


def shards(count: int) -> list[list[str]]:
    """The modules in ``count`` groups of about equal size (by their text)."""
    sizes = {module: (SDIST_ROOT / "Tests" / f"{module}.py").stat().st_size for module in MODULES}
    groups: list[list[str]] = [[] for _ in range(count)]
    totals = [0] * count
    for module in sorted(MODULES, key=sizes.__getitem__, reverse=True):
        smallest = totals.index(min(totals))
        groups[smallest].append(module)
        totals[smallest] += sizes[module]
    return groups


def start_on_wasmcanvas(dist: Path, processes: int) -> list[tuple[subprocess.Popen[bytes], Path, list[str]]]:
    """Starts the Pyodide runs (Node processes) of every module with PIL an
    alias of wasmcanvas; `outcomes_on_wasmcanvas` waits for them."""
    runs = []
    RESULTS.mkdir(parents=True, exist_ok=True)
    for index, group in enumerate(shards(processes)):
        results = RESULTS / f"wasmcanvas-{index}.json"
        results.unlink(missing_ok=True)
        command = ["node", str(HERE / "run_in_node.mjs"), str(dist), str(SDIST_ROOT), str(results), *group]
        runs.append((subprocess.Popen(command), results, group))
    return runs


def outcomes_on_wasmcanvas(runs: list[tuple[subprocess.Popen[bytes], Path, list[str]]]) -> dict[str, dict[str, str]]:
    """Every test's outcome in Pyodide with PIL an alias of wasmcanvas."""
    outcomes: dict[str, dict[str, str]] = {}
    for process, results, group in runs:
        if process.wait() != 0 or not results.exists():
            raise SystemExit(f"the Pyodide run of {' '.join(group)} failed (exit status {process.returncode})")
        outcomes.update(json.loads(results.read_text()))
    return outcomes


def why_not(test: str, outcomes: dict[str, dict[str, str]]) -> str | None:
    """None when ``test`` passed on wasmcanvas, else the one line why."""
    # Here, not at the top: the plugin needs pytest, and `--fetch-only` runs
    # while setup is still installing it.
    from outcomes import SESSION

    result = outcomes.get(test)
    if result is None:
        reason = outcomes.get(test.split("::")[0]) or outcomes.get(SESSION)
        return reason["reason"] if reason else "not collected on wasmcanvas"
    if result["outcome"] == "passed":
        return None
    return f"{result['outcome']}: {result['reason']}" if result["outcome"] != "failed" else result["reason"]


def category(reason: str) -> str:
    for pattern, name in CATEGORIES:
        if re.search(pattern, reason):
            return name
    return "behaviour"


def read_manifest() -> dict[str, str]:
    """Test id -> its whole manifest line."""
    entries = {}
    for line in MANIFEST.read_text().splitlines() if MANIFEST.exists() else []:
        if line.strip() and not line.startswith("#"):
            entries[line.split(" | ", 1)[0]] = line
    return entries


MANIFEST_HEADER = """\
# Pillow's own tests that pass with Pillow {version} on the host but not on
# wasmcanvas: one line each, "test id | category | why".
# Written by `python tests/pillow_suite/run.py dist --update-manifest`;
# ./build.sh test fails when a test missing here fails, or a test listed
# here passes.
"""


def write_manifest(failing: dict[str, str]) -> None:
    lines = [f"{test} | {category(reason)} | {reason}" for test, reason in sorted(failing.items())]
    MANIFEST.write_text(MANIFEST_HEADER.format(version=PILLOW_VERSION) + "\n".join(lines) + "\n")


def readme_line() -> str:
    text = README.read_text()
    start = text.index(README_MARKER) + len(README_MARKER)
    return text[start : text.index("\n", start)]


def write_readme_line(line: str) -> None:
    text = README.read_text()
    start = text.index(README_MARKER) + len(README_MARKER)
    README.write_text(text[:start] + line + text[text.index("\n", start) :])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dist", type=Path, nargs="?", help="the built site (Pyodide and the wheels)")
    parser.add_argument(
        "--fetch-only", action="store_true", help="only fetch and unpack Pillow's tests (./build.sh setup does)"
    )
    parser.add_argument(
        "--baseline-only",
        action="store_true",
        help="only compute and cache real Pillow's outcomes on the host (./build.sh test does, during the build)",
    )
    parser.add_argument("--update-manifest", action="store_true", help="rewrite manifest.txt from this run")
    parser.add_argument("--processes", type=int, default=2, help="Node processes at a time (default 2)")
    arguments = parser.parse_args()

    started = time.monotonic()
    fetch_tests()
    if arguments.fetch_only:
        return 0
    if arguments.baseline_only:
        baseline()
        return 0
    if arguments.dist is None:
        parser.error("the built site (dist) is needed to run the suite")
    # The host's baseline (a fresh machine computes it once) runs while the
    # Pyodide runs load their runtime.
    runs = start_on_wasmcanvas(arguments.dist.resolve(), arguments.processes)
    passing = sorted(test for test, result in baseline().items() if result["outcome"] == "passed")
    outcomes = outcomes_on_wasmcanvas(runs)
    failing = {test: reason for test in passing if (reason := why_not(test, outcomes)) is not None}
    manifest = read_manifest()
    regressions = sorted(set(failing) - set(manifest))
    stale = sorted(set(manifest) - set(failing))

    summary = f"Pillow's own tests: {len(passing) - len(failing)} of {len(passing)} pass on wasmcanvas"
    if arguments.update_manifest:
        write_manifest(failing)
        write_readme_line(summary)
        print(f"manifest.txt: {len(failing)} entries ({len(regressions)} new, {len(stale)} dropped); README updated")
        regressions, stale = [], []
    counts = Counter(category(reason) for reason in failing.values())
    print("not passing, by category: " + ", ".join(f"{name} {count}" for name, count in counts.most_common()))
    for test in regressions:
        print(f"REGRESSION (fails, not in manifest.txt): {test}: {failing[test]}")
    for test in stale:
        print(f"STALE (in manifest.txt, now passes or gone from the baseline): {test}")
    quoted = readme_line()
    if quoted != summary:
        print(f"README.md quotes {quoted!r}: run with --update-manifest to quote this run")
    print(summary)
    print(f"(Pillow's suite: {time.monotonic() - started:.0f} s)")
    return 1 if regressions or stale or quoted != summary else 0


if __name__ == "__main__":
    sys.exit(main())
