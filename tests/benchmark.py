"""The runner behind `./build.sh bench`: serves dist/ on 127.0.0.1, measures
boot time against a bare Pyodide, runs bench.html in headless Chromium, then
prints the table and writes bench-results.json.

Usage: python tests/benchmark.py DIST_DIR OUTPUT_JSON
"""

from __future__ import annotations

import functools
import gzip
import http.server
import json
import os
import platform
import statistics
import sys
import threading
import time
from pathlib import Path

from selenium import webdriver
from selenium.webdriver.chrome.service import Service

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest import CHROMEDRIVER, QuietHandler, chromium_options

TARGETS = {
    "frame_loop_python_vs_js": (">=", 0.95),
    "snapshot_vs_memcpy": ("<=", 1.5),
    "boot_vs_bare_pyodide": ("<=", 1.3),
}
for kernel in ("grayscale", "invert", "gaussian_blur", "sharpen", "resize"):
    TARGETS[f"{kernel}_rust_vs_python"] = (">=", 100)
    TARGETS[f"{kernel}_rust_vs_js"] = (">=", 1.5)
    TARGETS[f"{kernel}_rust_vs_photon"] = (">=", 1.0)


def wait_for(driver, script: str, timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    raise TimeoutError(f"timed out waiting for: {script}")


def boot_times(driver, base: str, runs: int = 3) -> tuple[list[float], list[float]]:
    """Milliseconds from navigation to the app's first frame (plasma.html
    ready) and to a bare loadPyodide(), caches warm for both."""
    app, bare = [], []
    for index in range(runs + 1):
        driver.get(base + "bench-bare.html")
        bare_ms = wait_for(driver, "return window.bareReadyAt", 120)
        driver.get(base + "plasma.html")
        app_ms = wait_for(
            driver, "return document.body.dataset.status === 'ready' && window.wasmcanvasBoot.readyAt", 120
        )
        if index:  # the first round only warms the cache
            app.append(app_ms)
            bare.append(bare_ms)
    return app, bare


def main(dist: Path, output: Path) -> None:
    handler = functools.partial(QuietHandler, directory=str(dist))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    options = chromium_options()
    options.add_argument("--js-flags=--expose-gc")
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        app, bare = boot_times(driver, base)
        driver.get(base + "bench.html")
        report = json.loads(
            wait_for(driver, "return window.benchResults || (document.body.dataset.status === 'error' && 'error')", 900)
        )
        if report == "error":
            raise RuntimeError(driver.find_element("id", "status").text)
        browser = driver.capabilities.get("browserVersion", "?")
    finally:
        driver.quit()
        server.shutdown()

    def summary(values: list[float]) -> dict[str, float]:
        return {"median": statistics.median(values), "min": min(values), "max": max(values)}

    report["cases"]["boot_to_first_frame_ms"] = summary(app)
    report["cases"]["boot_bare_pyodide_ms"] = summary(bare)
    ratios = report.pop("ratios")
    ratios["boot_vs_bare_pyodide"] = statistics.median(app) / statistics.median(bare)
    wasm = (dist / "pkg" / "rust_image_bg.wasm").read_bytes()
    ratios["wasm_size_bytes"] = len(wasm)
    ratios["wasm_size_gzip_bytes"] = len(gzip.compress(wasm, 9))
    machine = {"cpus": os.cpu_count(), "platform": platform.platform(), "chromium": browser}
    result = {**ratios, "cases": report["cases"], "notes": report["notes"], "machine": machine}
    output.write_text(json.dumps(result, indent=1, sort_keys=True))

    print(f"{'key':<40} {'value':>12}  target")
    for key, value in sorted(ratios.items()):
        target = TARGETS.get(key)
        verdict = ""
        if target:
            met = value >= target[1] if target[0] == ">=" else value <= target[1]
            verdict = f"{target[0]} {target[1]:<6} {'met' if met else 'MISSED'}"
        print(f"{key:<40} {value:>12.2f}  {verdict}")
    print(f"{len(report['cases'])} cases (median, min, max in ms) in {output.name}; machine: {machine}")


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
