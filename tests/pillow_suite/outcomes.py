"""A pytest plugin that records each test's outcome and, when it did not
pass, the one line that says why. Used on the host (real Pillow) and in
Pyodide (wasmcanvas) alike, so that both runs are read the same way."""

from __future__ import annotations

import re
from typing import Any

import pytest

# The entry for a run in which pytest could not even start.
SESSION = "<session>"

# Longer reasons are cut: the manifest keeps one line a test.
REASON_LENGTH = 200


def one_line(text: str) -> str:
    # Object addresses change from run to run; the manifest's lines must not.
    line = re.sub(r" at 0x[0-9a-f]+", "", " ".join(text.split()))
    return line if len(line) <= REASON_LENGTH else line[: REASON_LENGTH - 3] + "..."


def reason_of(report: Any) -> str:
    """The exception line of a failure, or the reason of a skip."""
    longrepr = report.longrepr
    if isinstance(longrepr, tuple):  # a skip: (path, line, reason)
        return one_line(str(longrepr[2]).removeprefix("Skipped: "))
    crash = getattr(longrepr, "reprcrash", None)
    if crash is not None:
        return one_line(crash.message)
    lines = [line for line in str(longrepr).splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("E ")]
    return one_line((errors or lines or ["(no message)"])[-1].removeprefix("E "))


class Outcomes:
    """``results`` maps a test id to ``{"outcome": ..., "reason": ...}``;
    a test module that cannot be collected is one entry under its path."""

    def __init__(self) -> None:
        self.results: dict[str, dict[str, str]] = {}

    def _record(self, nodeid: str, outcome: str, reason: str = "") -> None:
        self.results[nodeid] = {"outcome": outcome, "reason": reason}

    @pytest.hookimpl
    def pytest_collectreport(self, report: Any) -> None:
        if report.failed:
            self._record(report.nodeid, "error", "collection: " + reason_of(report))

    @pytest.hookimpl
    def pytest_runtest_logreport(self, report: Any) -> None:
        previous = self.results.get(report.nodeid, {}).get("outcome")
        if report.when == "call" or (report.when == "setup" and not report.passed):
            if report.passed:
                self._record(report.nodeid, "passed")
            elif report.skipped:
                outcome = "xfailed" if hasattr(report, "wasxfail") else "skipped"
                self._record(report.nodeid, outcome, reason_of(report))
            else:
                self._record(report.nodeid, "failed", reason_of(report))
        elif report.when == "teardown" and report.failed and previous == "passed":
            self._record(report.nodeid, "failed", "teardown: " + reason_of(report))
