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
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Page, SharedChromium, origin_of
from PIL import Image, ImageFilter

pytestmark = pytest.mark.hosts

# What the recipes do to the picture, done here by Pillow.
RADIUS = 2


class HostsHandler(http.server.SimpleHTTPRequestHandler):
    # Pyodide's and PyScript's modules must come as JavaScript, the wasm
    # as wasm (for streaming compilation), whatever the machine's mime.types.
    extensions_map = {
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


@pytest.fixture
def host_page(hosts_url: str, shared_chromium: SharedChromium) -> Iterator[Page]:
    shared_chromium.reset(set())
    page = Page(shared_chromium.driver(), hosts_url)
    try:
        yield page
    finally:
        shared_chromium.reset({origin_of(hosts_url)})


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


def wait_for(page: Page, script: str, what: str, timeout: float) -> object:
    """Polls `script` until it returns a truthy value."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = page.driver.execute_script(script)
        if value:
            return value
        time.sleep(0.2)
    page.screenshot(f"hosts-{what.replace(' ', '-')}")
    raise TimeoutError(f"{what}: not within {timeout} s; console errors: {page.console_errors()}")


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


def test_pyscript_main_thread_and_worker_draw_the_blurred_picture(host_page: Page, expected: Image.Image) -> None:
    host_page.driver.get(host_page.base_url + "pyscript/index.html")
    status = wait_for(
        host_page,
        "return document.body.dataset.status"
        " || (document.querySelector('.py-error') && 'error: ' + document.querySelector('.py-error').textContent)",
        "the PyScript page",
        120,
    )
    assert status == "ready", f"{status}; console errors: {host_page.console_errors()}"
    size = [expected.width, expected.height]
    width, height, main = canvas_pixels(host_page, "#main-canvas")
    assert [width, height] == size
    assert differing_pixels(main, expected) == "", "the main thread's canvas"
    # The worker's frame reaches the page's canvas after its message may.
    deadline = time.monotonic() + 10
    while True:
        width, height, drawn = canvas_pixels(host_page, "#worker-canvas")
        if [width, height] == size and not differing_pixels(drawn, expected) or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert [width, height] == size, "the worker's canvas"
    assert differing_pixels(drawn, expected) == "", "the worker's canvas"
    assert host_page.foreign_requests() == []
    assert host_page.console_errors() == []
