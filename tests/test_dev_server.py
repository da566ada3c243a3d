"""`./build.sh serve` as a developer uses it, on a copy of the project: it
starts without rebuilding when nothing changed (the time it takes is
printed, not asserted), rebuilds the site's wheel (not the library's) when an app's Python changes and
the site when a page changes, and the open page reloads itself with the
change; a Python file that does not compile gives a banner on the page,
which keeps running the last good build; dist/ never holds the reload
code; Ctrl-C stops the server and everything it started."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from conftest import ROOT, Page, SharedChromium, record_summary_line
from selenium import webdriver

# Both tests on one pytest-xdist worker, so that they share the copy of the
# project (end-to-end tests are otherwise spread one by one).
pytestmark = [pytest.mark.e2e, pytest.mark.xdist_group("test_dev_server.py")]

# Installed or built by tools, and large: linked into the copy, not copied.
LINKED = (".venv", ".toolchain", "web/node_modules", "crate/target")
SKIPPED = {".git", "test-output", "dist.new", "dist.old", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """A copy of the project as built, modification times kept, so that its
    build stamps still say it is up to date."""
    copy = tmp_path_factory.mktemp("dev") / "project"

    def ignore(folder: str, names: list[str]) -> set[str]:
        relative = Path(folder).relative_to(ROOT)
        return {name for name in names if name in SKIPPED or str(relative / name) in LINKED}

    shutil.copytree(ROOT, copy, symlinks=True, ignore=ignore)
    for linked in LINKED:
        (copy / linked).symlink_to(ROOT / linked, target_is_directory=True)
    # Whatever the checkout holds that is newer than its last build.
    subprocess.run([str(copy / "build.sh"), "build"], cwd=copy, check=True, capture_output=True)
    return copy


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class DevServer:
    """`./build.sh serve` in its own session, its output collected."""

    def __init__(self, project: Path, *arguments: str) -> None:
        self.port = free_port()
        self.lines: list[str] = []
        started = time.monotonic()
        self.process = subprocess.Popen(
            [str(project / "build.sh"), "serve", str(self.port), *arguments],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._collect, daemon=True).start()
        self.wait_for(lambda: self._answers(), 120, "the server to answer")
        self.start_seconds = time.monotonic() - started

    def _collect(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def _answers(self) -> bool:
        try:
            with urllib.request.urlopen(f"{self.url}favicon.svg", timeout=2):
                return True
        except OSError:
            return False

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def fetch(self, path: str) -> str:
        with urllib.request.urlopen(self.url + path, timeout=10) as response:
            return response.read().decode()

    def wait_for(self, condition: Callable[[], object], timeout: float, what: str) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if condition():
                return
            if self.process.poll() is not None:
                raise AssertionError(
                    f"the server exited ({self.process.returncode}) waiting for {what}:\n" + self.log()
                )
            time.sleep(0.2)
        raise TimeoutError(f"no {what} within {timeout} s; the server said:\n{self.log()}")

    def log(self) -> str:
        return "\n".join(self.lines)

    def interrupt(self) -> int:
        """Ctrl-C, as a terminal sends it to the whole foreground group."""
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(timeout=30)

    def processes_left(self) -> list[str]:
        """What still runs in the server's session."""
        listing = subprocess.run(
            ["ps", "-o", "pid=,args=", "-s", str(self.process.pid)], capture_output=True, text=True
        )
        return [line for line in listing.stdout.splitlines() if line.strip()]


@pytest.fixture
def browser(shared_chromium: SharedChromium) -> Iterator[webdriver.Chrome]:
    shared_chromium.reset(set())
    try:
        yield shared_chromium.driver()
    finally:
        shared_chromium.reset(set())


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1))


def test_the_page_follows_the_edits(project: Path, browser: webdriver.Chrome) -> None:
    server = DevServer(project)
    try:
        record_summary_line(f"dev server: started in {server.start_seconds:.2f} s with nothing changed")
        assert "wasm: up to date" in server.log() and "wheel: up to date" in server.log(), server.log()
        assert "site: up to date" in server.log(), server.log()
        page = Page(browser, server.url)
        assert page.open("index.html", timeout=120) == "ready"
        console_colour = [22, 26, 34, 255]
        assert page.pixel("#thumb-repl", 100, 2) == console_colour

        def reloaded_ready() -> bool:
            return browser.execute_script(
                "return window.devMark === undefined && document.body.dataset.status === 'ready'"
            )

        # An app's Python: the wheel is rebuilt, the page reloads and runs it.
        browser.execute_script("window.devMark = 1")
        edit(project / "py/wasmcanvas_site/gallery.py", "(22, 26, 34)) as console", "(200, 40, 40)) as console")
        server.wait_for(reloaded_ready, 120, "reload after the Python edit")
        assert page.pixel("#thumb-repl", 100, 2) == [200, 40, 40, 255]
        # Only the site's wheel: the library's is not rebuilt for an app.
        rebuild = server.log().split("changed; rebuilding")[-1]
        assert "site-wheel: up to date" not in rebuild and "] wheel: up to date" in rebuild, rebuild

        # A page: the site is rendered again, the page reloads.
        browser.execute_script("window.devMark = 1")
        edit(project / "web/pages/index.html", "<strong>Lesson</strong>", "<strong>Lesson, edited</strong>")
        server.wait_for(reloaded_ready, 120, "reload after the page edit")
        assert "Lesson, edited" in browser.find_element("css selector", ".gallery").text

        # A Python file that does not compile: a banner, and no reload.
        browser.execute_script("window.devMark = 1")
        gallery = project / "py/wasmcanvas_site/gallery.py"
        good = gallery.read_text()
        gallery.write_text(good + "\ndef broken(:\n")
        server.wait_for(
            lambda: browser.execute_script("return document.getElementById('dev-build-error') !== null"),
            120,
            "the error banner",
        )
        banner = browser.find_element("id", "dev-build-error").text
        assert "Python syntax error: py/wasmcanvas_site/gallery.py:" in banner, banner
        assert "build failed: Python syntax error: py/wasmcanvas_site/gallery.py:" in server.log(), server.log()
        assert browser.execute_script("return window.devMark") == 1, "the page reloaded after a failed build"
        # The last good build goes on running: the animation still draws.
        before = page.pixel("#thumb-plasma", 80, 45)
        server.wait_for(lambda: page.pixel("#thumb-plasma", 80, 45) != before, 20, "the plasma to move on")
        assert "def broken" not in server.fetch("index.html")

        # Fixed: the banner goes with the reload.
        gallery.write_text(good)
        server.wait_for(reloaded_ready, 120, "reload after the fix")
        assert browser.execute_script("return document.getElementById('dev-build-error')") is None

        served = server.fetch("index.html")
        on_disk = (project / "dist/index.html").read_text()
        assert "/__dev__/reload.js" in served and "__dev__" not in on_disk
        policy = on_disk.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
        assert policy in served and "'unsafe-inline'" not in policy

        assert server.interrupt() == 0, server.log()
        assert server.processes_left() == []
        assert server.lines[-1] == "dev server: stopped"
    finally:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)


def test_no_watch_serves_dist_as_built(project: Path) -> None:
    server = DevServer(project, "--no-watch")
    try:
        served = server.fetch("index.html")
        assert served == (project / "dist/index.html").read_text()
        # Isolated, so that wasmcanvas.load(threads=N) gets its threads.
        with urllib.request.urlopen(server.url + "index.html", timeout=10) as response:
            assert response.headers["Cross-Origin-Opener-Policy"] == "same-origin"
            assert response.headers["Cross-Origin-Embedder-Policy"] == "require-corp"
        assert "not watching" in server.log()
        assert server.interrupt() == 0
        assert server.processes_left() == []
    finally:
        if server.process.poll() is None:
            os.killpg(server.process.pid, signal.SIGKILL)
