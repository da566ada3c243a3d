"""Shared set-up for the in-Pyodide tests (pytest-pyodide) and the end-to-end
tests (Selenium on pages served from dist/), all in Debian's headless Chromium."""

from __future__ import annotations

import ast
import contextlib
import functools
import gc
import http.server
import json
import multiprocessing
import os
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import pytest_pyodide.decorator
import pytest_pyodide.hook
from pytest_pyodide import get_global_config
from pytest_pyodide.fixture import selenium_common
from pytest_pyodide.runner import JavascriptException, NodeRunner
from pytest_pyodide.server import DefaultHandler
from selenium import webdriver
from selenium.common.exceptions import WebDriverException
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
ROOT = Path(__file__).resolve().parent.parent
DIST_DIR = ROOT / "dist"
OUTPUT_DIR = ROOT / "test-output"

# The bytecode of the project's pure modules, imported on the host by some
# tests, goes under build/, not into py/: a __pycache__ folder made there
# dates py/wasmcanvas newer than its last build, so that the next build (the
# dev server's tests copy the project and start one) made the wheel, the docs
# and the site again.
sys.pycache_prefix = str(ROOT / "build" / "pycache")
os.environ["PYTHONPYCACHEPREFIX"] = sys.pycache_prefix

# Flags that keep Chromium from reaching for the network on its own; without
# them this offline machine refuses its background connections.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
    # performance.memory in exact bytes, for the soak test.
    "--enable-precise-memory-info",
]


def copy_syntax_tree(node: Any) -> Any:
    """A copy of an ast node's tree, sharing its leaves (names, constants)."""
    if isinstance(node, ast.AST):
        copied = node.__class__.__new__(node.__class__)
        for key, value in node.__dict__.items():
            setattr(copied, key, copy_syntax_tree(value))
        return copied
    if isinstance(node, list):
        return [copy_syntax_tree(item) for item in node]
    return node


# pytest-pyodide copies each test module's syntax tree, and each
# run_in_pyodide function's twice, with copy.deepcopy: most of the time
# pytest spends collecting our tests, in every pytest process of every
# host's run. The trees hold only nodes, lists and immutable leaves, so this
# copy gives the same tree (the same ast.dump) three times faster.
pytest_pyodide.decorator.deepcopy = copy_syntax_tree
pytest_pyodide.hook.deepcopy = copy_syntax_tree

# pytest makes a node for every module of a folder once per path on the
# command line that lies in it, and pytest-pyodide parses and rewrites a
# module's syntax tree each time its node is made: the other hosts' runs,
# which name nine modules, parsed all of tests/ nine times (measured: Node's
# run took 31 s of the host's CPU, 14 s with each module parsed once).
# pytest-pyodide keeps the trees by path, so the first time is enough.
MODULES_MADE: set[Path] = set()


@pytest.hookimpl(tryfirst=True)
def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> pytest.Module | None:
    if module_path in MODULES_MADE:
        return pytest.Module.from_parent(parent, path=module_path)
    MODULES_MADE.add(module_path)
    return None


# pytest-pyodide talks to Node through a terminal: it sends a script in
# lines of 128 characters, each waiting for Node's acknowledgement, and reads
# the answer 2,000 bytes at a time, searching all it has read after each
# read. The in-Pyodide tests send and receive hundreds of kilobytes (pickled
# functions, images), so Node's run spent a third of its time there. The
# same protocol with 1,000-character lines (a terminal's line holds 4,095)
# and 1 MB reads.
NODE_LINE = 1000


def run_js_in_node(self: NodeRunner, code: str, check_code: str) -> Any:
    script = f"""
            let result = await (async () => {{ {code} }})();
            return result;
        """
    command = str(uuid.uuid4())
    self.p.sendline(command)
    lines = script.split("\n")
    for number, line in enumerate(lines):
        for start in range(0, len(line), NODE_LINE):
            # Node's driver strips the last "$" of each line it receives.
            self.p.sendline(line[start : start + NODE_LINE] + "$")
            self.p.expect_exact("{LINE_OK}\r\n")
        if number < len(lines) - 1:
            self.p.sendline("$")
            self.p.expect_exact("{LINE_OK}\r\n")
    self.p.sendline(command)
    self.p.expect_exact(f"{command}:UUID\r\n", timeout=self.script_timeout)
    self.p.expect_exact(f"{command}:UUID\r\n")
    if self.p.before:
        self._logs.append(self.p.before.decode()[:-2].replace("\r", ""))
    self.p.expect("[01]\r\n")
    succeeded = self.p.match[0].decode()[0] == "0"
    self.p.expect_exact(f"\r\n{command}:UUID\r\n")
    if succeeded:
        return json.loads(self.p.before.decode().replace("undefined", "null"))
    raise JavascriptException("", self.p.before.decode())


start_node = NodeRunner.init_node


def start_node_reading_more(self: NodeRunner, *args: Any, **kwargs: Any) -> None:
    start_node(self, *args, **kwargs)
    self.p.maxread = 1 << 20


NodeRunner.run_js_inner = run_js_in_node
NodeRunner.init_node = start_node_reading_more

# pytest-pyodide builds its driver with a bare webdriver.Chrome(); naming the
# driver here keeps Selenium Manager from trying to download one.
os.environ.setdefault("SE_CHROMEDRIVER", CHROMEDRIVER)
_pyodide_config = get_global_config()
_pyodide_config.set_flags(
    "chrome",
    _pyodide_config.get_flags("chrome") + [f for f in CHROMIUM_FLAGS if f not in ("--headless", "--no-sandbox")],
)

# Instantiate the wasm-bindgen module once per Pyodide page, through the same
# loader the site uses, and register it for Python as `rust_image`.
LOAD_RUST_IMAGE_JS = """
    if (!self.rustImageInstance) {
        const { loadRustImage } = await import("./boot.js");
        self.rustImageInstance = await loadRustImage(pyodide);
    }
"""


# Where there is no page loader (Node, a Web Worker), wasmcanvas brings the
# module from its wheel, as it does for any user.
LOAD_FROM_WHEEL = "import wasmcanvas.loader\n_ = wasmcanvas.loader.ensure_loaded()"


def pytest_addoption(parser) -> None:
    parser.addoption(
        "--rust-host",
        choices=("page", "worker"),
        default="page",
        help="run the core tests in pytest-pyodide's page (default) or in a dedicated Web Worker",
    )
    parser.addoption(
        "--matrix",
        choices=("full", "sample"),
        default="full",
        help="run every case of the tests marked `matrix` (default), or a fixed sample of about one in "
        f"{MATRIX_SAMPLE_EVERY} (./build.sh test runs them in full in one host and samples them in the others)",
    )
    parser.addoption(
        "--hosts-dir",
        default=None,
        help="the hosts' sites made by ./build.sh hosts (dist-hosts/): runs their end-to-end tests (tests/hosts/), "
        "which are left out without it",
    )


SCRIPT_TIMEOUT_SECONDS = 90

# A case is in the sample when its id, without the host's part, hashes to
# 0 modulo this; the same cases are chosen in every host and every run.
MATRIX_SAMPLE_EVERY = 8


def in_matrix_sample(item: pytest.Item) -> bool:
    parameters = getattr(item, "callspec", None)
    if parameters is None:
        return True
    case_id = "-".join(part for part in parameters.id.split("-") if part not in ("chrome", "node"))
    return zlib.crc32(f"{item.path.name}::{item.originalname}[{case_id}]".encode()) % MATRIX_SAMPLE_EVERY == 0


# The tests (or, for in-Pyodide modules, the modules) that take 10 s or
# more of a pytest-xdist worker (measured, slowest first). pytest-xdist hands
# out work in collection order: started last, one of them kept one worker
# busy for half a minute after the other had finished.
LONG_TESTS = [
    "test_docs.py::test_every_docs_page_loads_offline_with_no_error_and_keeps_its_policy",
    "test_soak_in_pyodide.py",
    "test_pytest_plugin.py::test_the_example_project_runs_its_tests_in_every_host",
    "test_kernels_vs_pillow.py",
    "test_dev_server.py::test_the_page_follows_the_edits",
    "test_memory_in_pyodide.py",
    "test_api_canvas_animation.py",
    "test_examples.py::test_the_worker_example_animates_the_transferred_canvas_from_python",
    "test_examples.py::test_the_node_example_makes_thumbnails_with_python",
    "test_loader_in_pyodide.py",
    "test_quantize.py",
    # Each runs many scenarios on one booted page.
    "test_site_e2e.py::test_the_editor_scenarios_on_one_page",
    "test_site_e2e.py::test_the_repl_scenarios_on_one_page",
    "test_site_e2e.py::test_the_life_scenarios_on_one_page",
]


def starts_late(item: pytest.Item) -> int:
    """The test's place in LONG_TESTS, or after all of them."""
    where = f"{item.path.name}::{item.originalname}" if isinstance(item, pytest.Function) else item.path.name
    for place, long_test in enumerate(LONG_TESTS):
        if where == long_test or item.path.name == long_test:
            return place
    return len(LONG_TESTS)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Under `pytest -n N --dist loadgroup` a module's tests stay on one
    # worker, so its page (and module-scoped results) is made once; the
    # end-to-end tests, each in a browser of its own, spread one by one.
    for item in items:
        if item.get_closest_marker("e2e") is None:
            item.add_marker(pytest.mark.xdist_group(item.path.name))
        # pytest-pyodide gives a script 20 s; with a browser per core (and
        # whatever else the machine runs) a slow moment is not a failure.
        if item.get_closest_marker("driver_timeout") is None:
            item.add_marker(pytest.mark.driver_timeout(SCRIPT_TIMEOUT_SECONDS))
    if config.getoption("--hosts-dir") is None:
        hosts = [item for item in items if item.get_closest_marker("hosts") is not None]
        if hosts:
            config.hook.pytest_deselected(items=hosts)
            items[:] = [item for item in items if item.get_closest_marker("hosts") is None]
    items.sort(key=starts_late)
    if config.getoption("--matrix") == "full":
        return
    kept, sampled_out = [], []
    for item in items:
        (kept if item.get_closest_marker("matrix") is None or in_matrix_sample(item) else sampled_out).append(item)
    if sampled_out:
        config.hook.pytest_deselected(items=sampled_out)
        items[:] = kept


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session: pytest.Session) -> None:
    # Collection leaves millions of objects (every test module's syntax tree,
    # kept by pytest-pyodide, and thousands of items) that live until the
    # session ends; every full garbage collection walked them all again, and
    # pytest runs five at its end. Frozen, the collector skips them: measured,
    # `--collect-only` took 10 s of CPU against 4.5, the Worker's run 26
    # against 20 and Node's 13.6 against 9 (host side).
    gc.freeze()


def with_rust_image(selenium, host: str):
    """`selenium` with `rust_image` loaded: by boot.js in a Chromium page, by
    the wheel's loader in Node or a worker."""
    if selenium.browser == "node" or host == "worker":
        selenium.load_package("wasmcanvas")
        selenium.run(LOAD_FROM_WHEEL)
    else:
        selenium.run_js(LOAD_RUST_IMAGE_JS)
    return selenium


class SharedPyodides:
    """One Pyodide per host (a page, a Web Worker, Node) for the whole run of
    a pytest process, shared by the test modules: booting Pyodide is most of
    what a module of in-Pyodide tests costs. Tests that need a fresh one use
    pytest-pyodide's `selenium_standalone`."""

    def __init__(self, stack: contextlib.ExitStack) -> None:
        self._stack = stack
        self._runners: dict[tuple[str, bool], tuple[Any, contextlib.ExitStack]] = {}

    def get(self, request: pytest.FixtureRequest, runtime: str, worker: bool) -> Any:
        key = (runtime, worker)
        if key in self._runners and not self._alive(self._runners[key][0]):
            # Its tab crashed: every later module would fail on it. The test
            # that was running is run again (--only-rerun='tab crashed').
            with contextlib.suppress(WebDriverException):
                self._runners.pop(key)[1].close()
        if key not in self._runners:
            # pytest-pyodide's own set-up, kept open until the run ends.
            server = request.getfixturevalue("web_server_main")
            own = self._stack.enter_context(contextlib.ExitStack())
            self._runners[key] = (own.enter_context(selenium_common(request, runtime, server, worker=worker)), own)
        return self._runners[key][0]

    @staticmethod
    def _alive(runner: Any) -> bool:
        if runner.browser == "node":
            return True
        try:
            runner.driver.execute_script("return 1")
        except WebDriverException as error:
            if "tab crashed" not in str(error):
                raise
            return False
        return True


def serve_threaded(
    ready: Any, stop: Any, log_path: Path, directory: str, headers: dict[str, str] | None = None
) -> None:
    """pytest-pyodide's handler of dist/ behind a threaded server (in a
    process of its own, as pytest-pyodide runs its server), each answer
    with `headers`."""
    log = log_path.open("w", buffering=1)
    sys.stdout = sys.stderr = log
    handler = functools.partial(DefaultHandler, extra_headers=headers or {}, directory=directory)
    with http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler) as server:
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        ready.put(server.server_address[1])
        stop.get()
        server.shutdown()


@pytest.fixture(scope="session")
def web_server_main(request) -> Iterator[tuple[str, int, Path]]:
    """Replaces pytest-pyodide's server of dist/, which answers one connection
    at a time: Chromium may open a connection and leave it unused, and every
    page of the run then waited on it (a browser's start took 60 s at times).
    This one serves each connection on a thread of its own."""
    yield from threaded_server(request.config.option.dist_dir)


# What makes a page crossOriginIsolated, so that wasmcanvas.load(threads=N)
# may share the module's memory with Web Workers.
ISOLATION_HEADERS = {"Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Embedder-Policy": "require-corp"}


@pytest.fixture(scope="session")
def isolated_web_server(request) -> Iterator[tuple[str, int, Path]]:
    """dist/ served as `web_server_main` serves it, with COOP and COEP."""
    yield from threaded_server(request.config.option.dist_dir, ISOLATION_HEADERS)


@pytest.fixture(scope="module")
def selenium_isolated(request, runtime, isolated_web_server) -> Iterator[Any]:
    """pytest-pyodide's page, crossOriginIsolated (nothing loaded: the test
    loads wasmcanvas and chooses its threads)."""
    with contextlib.ExitStack() as stack:
        yield stack.enter_context(selenium_common(request, runtime, isolated_web_server))


def threaded_server(directory: str, headers: dict[str, str] | None = None) -> Iterator[tuple[str, int, Path]]:
    log_dir = Path(tempfile.mkdtemp())
    ready: Any = multiprocessing.Queue()
    stop: Any = multiprocessing.Queue()
    process = multiprocessing.Process(
        target=serve_threaded, args=(ready, stop, log_dir / "http-server.log", directory, headers)
    )
    process.start()
    try:
        yield "127.0.0.1", ready.get(timeout=20), log_dir / "http-server.log"
    finally:
        stop.put(None)
        process.join(10)


@pytest.fixture(scope="session")
def shared_pyodides() -> Iterator[SharedPyodides]:
    with contextlib.ExitStack() as stack:
        yield SharedPyodides(stack)


@pytest.fixture(scope="module")
def selenium_module_scope(request, runtime, shared_pyodides):
    """pytest-pyodide's per-module Pyodide, here one shared by every module."""
    return shared_pyodides.get(request, runtime, worker=False)


@pytest.fixture(scope="module")
def selenium_worker_module_scope(request, runtime, shared_pyodides):
    """pytest-pyodide's per-module Web Worker, here one shared by every module."""
    if runtime == "node":
        raise pytest.UsageError("--rust-host=worker runs in Chromium: leave out --runtime=node")
    return shared_pyodides.get(request, runtime, worker=True)


@pytest.fixture
def selenium_rust(request, runtime):
    """pytest-pyodide's page (or worker, or Node) with `rust_image` loaded."""
    host = request.config.getoption("--rust-host")
    return with_rust_image(request.getfixturevalue("selenium_worker" if host == "worker" else "selenium"), host)


@pytest.fixture(scope="module")
def selenium_rust_module_scope(request, runtime):
    """One page (or worker, or Node) for a whole test module."""
    host = request.config.getoption("--rust-host")
    fixture = "selenium_worker_module_scope" if host == "worker" else "selenium_module_scope"
    return with_rust_image(request.getfixturevalue(fixture), host)


@pytest.fixture
def selenium_rust_standalone(selenium_standalone):
    """A fresh browser of its own (for tests that leave wasm memory at its
    peak), with `rust_image` registered for Python."""
    selenium_standalone.run_js(LOAD_RUST_IMAGE_JS)
    return selenium_standalone


def chromium_options() -> webdriver.ChromeOptions:
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in [*CHROMIUM_FLAGS, "--window-size=1280,800"]:
        options.add_argument(flag)
    # Console messages and every network request, for the checks below.
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    return options


class Page:
    """A Chromium tab on a page of the site, with what the tests read back."""

    def __init__(self, driver: webdriver.Chrome, base_url: str) -> None:
        self.driver = driver
        self.base_url = base_url
        self._requests: list[str] = []

    def open(self, path: str, timeout: float = 60) -> str:
        """Load `path` and wait until its body reports "ready" or "error"
        (a renderer lost meanwhile fails the test, which pytest-rerunfailures
        runs once more: see pyproject.toml)."""
        self.driver.get(self.base_url + path)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            status = self.driver.execute_script("return document.body && document.body.dataset.status")
            if status in ("ready", "error"):
                return status
            time.sleep(0.1)
        raise TimeoutError(f"{path} reported neither ready nor error within {timeout} s")

    def pixel(self, selector: str, x: int, y: int) -> list[int]:
        """RGBA of one canvas pixel, read back with getImageData."""
        return self.driver.execute_script(
            "const canvas = document.querySelector(arguments[0]);"
            "return Array.from(canvas.getContext('2d').getImageData(arguments[1], arguments[2], 1, 1).data);",
            selector,
            x,
            y,
        )

    def console_errors(self) -> list[str]:
        return [entry["message"] for entry in self.driver.get_log("browser") if entry["level"] == "SEVERE"]

    def requested_urls(self) -> list[str]:
        """Every URL the page asked for since the last call."""
        for entry in self.driver.get_log("performance"):
            message = json.loads(entry["message"])["message"]
            if message["method"] == "Network.requestWillBeSent":
                self._requests.append(message["params"]["request"]["url"])
        return list(self._requests)

    def foreign_requests(self) -> list[str]:
        """Requests to anything but the test server on 127.0.0.1."""
        return [
            url
            for url in self.requested_urls()
            if urlsplit(url).scheme not in ("data", "blob") and urlsplit(url).hostname != "127.0.0.1"
        ]

    def screenshot(self, name: str) -> Path:
        OUTPUT_DIR.mkdir(exist_ok=True)
        path = OUTPUT_DIR / f"{name}.png"
        self.driver.save_screenshot(str(path))
        return path


class SharedChromium:
    """One headless Chromium for the end-to-end tests of a pytest process:
    starting a browser and compiling Pyodide in a new profile was half of
    each test's time. Each test gets the browser as a fresh visitor would
    leave it for the next: a blank tab, no site storage, no network or media
    emulation, its logs drained; only the HTTP cache (and the code cache
    that rides on it) carries over, as it does between a user's visits.
    A browser that stops answering is replaced."""

    def __init__(self) -> None:
        self._driver: webdriver.Chrome | None = None

    def driver(self) -> webdriver.Chrome:
        if self._driver is None:
            self._driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=chromium_options())
        return self._driver

    def reset(self, origins: set[str]) -> None:
        """Leave the browser as a new visitor finds it, having cleared the
        site storage of `origins`; a browser that stopped answering (a
        crashed tab) is quit, and the next test starts another."""
        if self._driver is None:
            return
        driver = self._driver
        try:
            driver.get("about:blank")
        except WebDriverException:
            self.quit()
            return
        # The Network domain stays enabled: the performance log reads it.
        driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": []})
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"features": []})
        for origin in origins:
            driver.execute_cdp_cmd(
                "Storage.clearDataForOrigin",
                {"origin": origin, "storageTypes": "cookies,local_storage,indexeddb,service_workers,cache_storage"},
            )
        for log in ("browser", "performance"):
            driver.get_log(log)

    def quit(self) -> None:
        if self._driver is not None:
            with contextlib.suppress(WebDriverException):
                self._driver.quit()
            self._driver = None


@pytest.fixture(scope="session")
def shared_chromium() -> Iterator[SharedChromium]:
    chromium = SharedChromium()
    try:
        yield chromium
    finally:
        chromium.quit()


@pytest.fixture
def page(web_server_main, shared_chromium) -> Iterator[Page]:
    """A headless Chromium tab on the dist/ server that pytest-pyodide runs,
    as a new visitor finds it (see SharedChromium)."""
    hostname, port, _log = web_server_main
    base_url = f"http://{hostname}:{port}/"
    shared_chromium.reset(set())
    page = Page(shared_chromium.driver(), base_url)
    try:
        yield page
    finally:
        shared_chromium.reset({origin_of(base_url), origin_of(page.base_url)})


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def sub_path_server(tmp_path_factory) -> Iterator[str]:
    """Another static server, on 127.0.0.1, with dist/ at /some/dir/."""
    root = tmp_path_factory.mktemp("host")
    (root / "some").mkdir()
    (root / "some" / "dir").symlink_to(DIST_DIR, target_is_directory=True)
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/some/dir/"
    finally:
        server.shutdown()
        server.server_close()


_bad_input_cases: dict[str, int] = {}


def record_bad_input_cases(side: str, count: int) -> None:
    """Add the cases a bad-input matrix checked (`side`: "Python" or "Rust")
    to the closing summary."""
    _bad_input_cases[side] = _bad_input_cases.get(side, 0) + count


_summary_lines: list[str] = []


def record_summary_line(line: str) -> None:
    """A measurement to print at the end of the run (not an assertion)."""
    _summary_lines.append(line)


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Under pytest-xdist, a worker hands its counts and lines to the
    controller, which prints the summary."""
    worker_output = getattr(session.config, "workeroutput", None)
    if worker_output is not None:
        worker_output["wasmcanvas_summary"] = json.dumps([_summary_lines, _bad_input_cases])


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error) -> None:
    lines, cases = json.loads(getattr(node, "workeroutput", {}).get("wasmcanvas_summary", "[[], {}]"))
    _summary_lines.extend(lines)
    for side, count in cases.items():
        record_bad_input_cases(side, count)


def pytest_terminal_summary(terminalreporter) -> None:
    for line in _summary_lines:
        terminalreporter.write_line(line)
    if not _bad_input_cases:
        return
    python, rust = _bad_input_cases.get("Python", 0), _bad_input_cases.get("Rust", 0)
    terminalreporter.write_line(
        f"{python + rust} bad-input cases tried ({python} Python, {rust} Rust), each with a checked outcome"
    )
