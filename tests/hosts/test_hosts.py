"""The hosts' recipes (hosts/), as `./build.sh hosts` builds them into
dist-hosts/: each site is served from 127.0.0.1 and opened in headless
Chromium, its code opens hosts/photo.py's picture, blurs it and shows it,
and the pixels shown are read back and compared with real Pillow's
`GaussianBlur(2)` of the same file, computed here on the host. No request
may leave 127.0.0.1.

Run by `./build.sh hosts` (`pytest --hosts-dir=dist-hosts tests/hosts`);
left out of every run without --hosts-dir.
"""

from __future__ import annotations

import base64
import functools
import http.server
import io
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar
from urllib.parse import urlsplit

import pytest
from conftest import CHROMEDRIVER, Page, SharedChromium, chromium_options, origin_of
from PIL import Image, ImageFilter
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

pytestmark = pytest.mark.hosts

# What the recipes do to the picture, done here by Pillow.
RADIUS = 2


class HostsHandler(http.server.SimpleHTTPRequestHandler):
    # Pyodide's and PyScript's modules must come as JavaScript, the wasm
    # as wasm (for streaming compilation), whatever the machine's mime.types.
    extensions_map: ClassVar[dict[str, str]] = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".js": "text/javascript",
        ".mjs": "text/javascript",
        ".wasm": "application/wasm",
        ".json": "application/json",
    }

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def hosts_dir(request: pytest.FixtureRequest) -> Path:
    return Path(request.config.getoption("--hosts-dir")).resolve()


@pytest.fixture(scope="module")
def hosts_url(hosts_dir: Path) -> Iterator[str]:
    """dist-hosts/ served on 127.0.0.1."""
    handler = functools.partial(HostsHandler, directory=str(hosts_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def expected(hosts_dir: Path) -> Image.Image:
    """Real Pillow's result of what every recipe does."""
    with Image.open(hosts_dir / "photo.png") as photo:
        return photo.filter(ImageFilter.GaussianBlur(RADIUS)).convert("RGBA")


class RefusingProxy(http.server.BaseHTTPRequestHandler):
    """The browser's proxy for every host but 127.0.0.1 (Chromium never
    proxies loopback): it records each request and refuses it. Unlike the
    page's network log, it also sees what workers and service workers ask."""

    requests: ClassVar[list[str]] = []

    def refuse(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        self.send_error(403, "wasmcanvas tests: no request may leave 127.0.0.1")

    do_GET = do_HEAD = do_POST = do_PUT = do_OPTIONS = do_CONNECT = refuse

    def log_message(self, format: str, *args: object) -> None:
        pass


# Chromium's own services (network time, component updates, sign-in,
# autofill, optimization hints): the browser asks them whatever the page
# does. A page's request to anything else is the page's.
CHROMIUM_SERVICES = {
    "accounts.google.com",
    "clients2.google.com",
    "content-autofill.googleapis.com",
    "optimizationguide-pa.googleapis.com",
    "update.googleapis.com",
}


def page_requests_refused() -> list[str]:
    """What RefusingProxy refused, less Chromium's own requests."""
    refused = []
    for request in RefusingProxy.requests:
        target = request.split(" ", 1)[1]
        host = urlsplit(target).hostname if "://" in target else target.rsplit(":", 1)[0]
        if host not in CHROMIUM_SERVICES:
            refused.append(request)
    return refused


class ProxiedChromium(SharedChromium):
    """One headless Chromium for the hosts' tests, its proxy RefusingProxy."""

    def __init__(self, proxy_port: int) -> None:
        super().__init__()
        self._proxy_port = proxy_port

    def driver(self) -> webdriver.Chrome:
        if self._driver is None:
            options = chromium_options()
            options.add_argument(f"--proxy-server=http://127.0.0.1:{self._proxy_port}")
            self._driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        return self._driver


@pytest.fixture(scope="module")
def hosts_chromium() -> Iterator[ProxiedChromium]:
    proxy = http.server.ThreadingHTTPServer(("127.0.0.1", 0), RefusingProxy)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    chromium = ProxiedChromium(proxy.server_address[1])
    try:
        yield chromium
    finally:
        chromium.quit()
        proxy.shutdown()
        proxy.server_close()


@pytest.fixture
def host_page(hosts_url: str, hosts_chromium: ProxiedChromium) -> Iterator[Page]:
    hosts_chromium.reset(set())
    RefusingProxy.requests.clear()
    page = Page(hosts_chromium.driver(), hosts_url)
    # A kernel's restart and install run in one asynchronous script.
    page.driver.set_script_timeout(180)
    try:
        yield page
    finally:
        hosts_chromium.reset({origin_of(hosts_url)})


def differing_pixels(actual: bytes, expected: Image.Image) -> str:
    """'' when `actual` (RGBA bytes) is Pillow's image, else what differs."""
    want = expected.tobytes()
    if len(actual) != len(want):
        return f"{len(actual)} bytes read back, Pillow's image has {len(want)}"
    wrong = [i // 4 for i in range(len(want)) if actual[i] != want[i]]
    if not wrong:
        return ""
    first = wrong[0]
    x, y = first % expected.width, first // expected.width
    return (
        f"{len(set(wrong))} of {expected.width * expected.height} pixels differ from Pillow's, "
        f"the first at ({x}, {y}): {tuple(actual[first * 4 : first * 4 + 4])} != {expected.getpixel((x, y))}"
    )


def console_errors(page: Page) -> list[str]:
    """The page's console errors, less the browser's own request for the
    server root's /favicon.ico (the sites are served from sub-folders)."""
    return [error for error in page.console_errors() if not error.startswith(page.base_url + "favicon.ico ")]


def wait_for(page: Page, script: str, what: str, timeout: float) -> object:
    """Polls `script` until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.driver.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    page.screenshot(f"hosts-{what.replace(' ', '-')}")
    raise TimeoutError(
        f"{what}: not within {timeout} s; console errors: {console_errors(page)}; "
        f"refused requests: {page_requests_refused()}"
    )


# The pixels of a canvas as base64 RGBA. A canvas whose control went to a
# worker (transferControlToOffscreen) has no context of its own: it is
# drawn onto a new canvas, which shows what the worker committed.
CANVAS_PIXELS_JS = """
const source = document.querySelector(arguments[0]);
const copy = document.createElement("canvas");
copy.width = source.width;
copy.height = source.height;
const context = copy.getContext("2d");
context.drawImage(source, 0, 0);
const data = context.getImageData(0, 0, copy.width, copy.height).data;
let text = "";
for (let i = 0; i < data.length; i += 8192) text += String.fromCharCode(...data.subarray(i, i + 8192));
return [copy.width, copy.height, btoa(text)];
"""


def canvas_pixels(page: Page, selector: str) -> tuple[int, int, bytes]:
    width, height, data = page.driver.execute_script(CANVAS_PIXELS_JS, selector)
    return width, height, base64.b64decode(data)


def test_the_proxy_records_what_a_worker_asks_of_another_host(host_page: Page) -> None:
    """Proves the check the other tests make: a worker's request to another
    host reaches RefusingProxy, and is refused."""
    host_page.driver.get(host_page.base_url + "photo.png")
    status = host_page.driver.execute_async_script(
        """
        const done = arguments[0];
        const code = "fetch('http://wasmcanvas.invalid/probe').then(r => postMessage(r.status), () => postMessage(0))";
        const worker = new Worker(URL.createObjectURL(new Blob([code], { type: "text/javascript" })));
        worker.onmessage = (event) => done(event.data);
        """
    )
    assert status in (0, 403)
    assert page_requests_refused() == ["GET http://wasmcanvas.invalid/probe"]


def test_pyscript_main_thread_and_worker_draw_the_blurred_picture(host_page: Page, expected: Image.Image) -> None:
    host_page.driver.get(host_page.base_url + "pyscript/index.html")
    status = wait_for(
        host_page,
        "return document.body.dataset.status"
        " || (document.querySelector('.py-error') && 'error: ' + document.querySelector('.py-error').textContent)",
        "the PyScript page",
        120,
    )
    assert status == "ready", f"{status}; console errors: {console_errors(host_page)}"
    size = [expected.width, expected.height]
    width, height, main = canvas_pixels(host_page, "#main-canvas")
    assert [width, height] == size
    assert differing_pixels(main, expected) == "", "the main thread's canvas"
    # The worker's frame reaches the page's canvas after its message may.
    deadline = time.monotonic() + 10
    while True:
        width, height, drawn = canvas_pixels(host_page, "#worker-canvas")
        if ([width, height] == size and not differing_pixels(drawn, expected)) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [width, height] == size, "the worker's canvas"
    assert differing_pixels(drawn, expected) == "", "the worker's canvas"
    assert host_page.foreign_requests() == []
    assert page_requests_refused() == []
    assert console_errors(host_page) == []


# JupyterLab's own handle on the page (JupyterLite sets window.jupyterapp):
# the notebook's kernel state, then its outputs.
NOTEBOOK_KERNEL_JS = """
const widget = window.jupyterapp && window.jupyterapp.shell.currentWidget;
const context = widget && widget.sessionContext;
return context && context.session && context.session.kernel ? context.kernelDisplayStatus : "";
"""
NOTEBOOK_OUTPUT_JS = """
const error = document.querySelector(
    ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr'],"
    + " .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']");
if (error) return "error: " + error.textContent;
const image = document.querySelector(".jp-OutputArea-output img");
return image ? image.src : "";
"""

# Runs `arguments[0]` in the notebook's kernel (restarted first when
# arguments[1]) and returns what it printed, or its error.
KERNEL_RUN_JS = """
const [code, restart, done] = arguments;
const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
(restart ? kernel.restart() : Promise.resolve()).then(() => {
    let text = "";
    const future = kernel.requestExecute({ code });
    future.onIOPub = (message) => {
        const content = message.content;
        if (content.text) text += content.text;
        if (content.ename) text += "error: " + content.ename + ": " + content.evalue;
    };
    return future.done.then(() => text);
}).then(done, (error) => done("error: " + error));
"""


def test_jupyterlite_notebook_installs_wasmcanvas_and_shows_the_blurred_picture(
    host_page: Page, expected: Image.Image
) -> None:
    host_page.driver.get(host_page.base_url + "jupyterlite/lab/index.html?path=wasmcanvas.ipynb")
    status = wait_for(
        host_page,
        f"const status = (() => {{ {NOTEBOOK_KERNEL_JS} }})(); return status === 'idle' ? status : '';",
        "the JupyterLite kernel",
        180,
    )
    assert status == "idle"
    host_page.driver.execute_script("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    output = wait_for(host_page, NOTEBOOK_OUTPUT_JS, "the notebook's picture", 180)
    assert isinstance(output, str) and output.startswith("data:image/png;base64,"), output
    shown = Image.open(io.BytesIO(base64.b64decode(output.partition(",")[2])))
    assert (shown.mode, shown.size) == ("RGB", expected.size)
    assert differing_pixels(shown.convert("RGBA").tobytes(), expected) == "", "the notebook's output"
    # %pip finds wasmcanvas in the Pyodide lock first (micropip's rule):
    # the wheel beside Pyodide in static/pyodide/.
    source = "import micropip; print(micropip.list()['wasmcanvas'].source)"
    assert host_page.driver.execute_async_script(KERNEL_RUN_JS, source, False) == "pyodide\n"
    # The site's package index (pypi/all.json) serves it too: asked first
    # when index_urls is given, in a fresh kernel (and no `import wasmcanvas`
    # in the cell, which the kernel would load from the lock before it runs).
    install = (
        "import importlib.metadata, piplite\nawait piplite.install('wasmcanvas', index_urls=[])\n"
        "print(importlib.metadata.distribution('wasmcanvas').read_text('PYODIDE_URL'))"
    )
    installed = host_page.driver.execute_async_script(KERNEL_RUN_JS, install, True)
    assert installed.replace("/./", "/").startswith(host_page.base_url + "jupyterlite/pypi/wasmcanvas-"), installed
    assert host_page.foreign_requests() == []
    assert page_requests_refused() == []
    assert console_errors(host_page) == []


MARIMO_OUTPUT_JS = """
const image = document.querySelector("img[src^='data:image/png']");
if (image) return image.src;
const text = document.body.innerText;
return text.includes("Traceback") || text.includes("Something went wrong") ? "error: " + text.slice(-2000) : "";
"""


def test_marimo_export_shows_the_blurred_picture(host_page: Page, expected: Image.Image) -> None:
    host_page.driver.get(host_page.base_url + "marimo/index.html")
    output = wait_for(host_page, MARIMO_OUTPUT_JS, "the marimo cell's picture", 180)
    assert isinstance(output, str) and output.startswith("data:image/png;base64,"), output
    shown = Image.open(io.BytesIO(base64.b64decode(output.partition(",")[2])))
    assert (shown.mode, shown.size) == ("RGB", expected.size)
    assert differing_pixels(shown.convert("RGBA").tobytes(), expected) == "", "the marimo cell's output"
    assert host_page.foreign_requests() == []
    assert page_requests_refused() == []
    assert console_errors(host_page) == []
