"""End to end: the pages of dist/ served on 127.0.0.1, driven in headless
Chromium as a user would, with what they show read back from the canvas."""

import re
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

pytestmark = pytest.mark.e2e


def wait_until(condition, timeout=30.0, what="the condition"):
    """Polls `condition()` until it is true; a generous deadline, never a
    speed requirement."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


PAGES = ["index.html", "lesson.html", "editor.html", "life.html", "plasma.html", "repl.html"]


# Booting is most of an end-to-end test's time: each page's first test
# below also proves, on the same boot, that the page boots offline without
# errors and links to every page (assert_booted_offline), and ends with its
# policy enforced (assert_strict_policy_is_carried_and_enforced). The
# editor's, the REPL's and Life's scenarios share one boot (run_scenarios).
def assert_booted_offline(page, path: str) -> None:
    """Just after `path` booted: no console error, no foreign request, the
    status line and the four stages, and links to every page."""
    assert page.console_errors() == []
    assert page.foreign_requests() == []
    status = page.driver.find_element("id", "status").text
    assert status.startswith("Ready in") and "runtime" in status and "app" in status
    stages = page.driver.execute_script("return window.wasmcanvasBoot.stages.map(s => s.key)")
    assert stages == ["runtime", "packages", "module", "app"]
    page.screenshot(path.removesuffix(".html") + "-booted")
    links = page.driver.execute_script(
        "return [...document.querySelectorAll('nav a')].map(a => a.getAttribute('href'))"
    )
    assert set(links) >= set(PAGES)


def run_scenarios(page, scenarios, before_each=None) -> None:
    """Runs each (helper, *arguments) of `scenarios` in turn on the page
    already booted: each helper is a former test, named after it. A failure
    says which scenario it happened in."""
    for scenario, *arguments in scenarios:
        try:
            if before_each is not None:
                before_each(page)
            scenario(page, *arguments)
        except BaseException as error:
            error.add_note(f"in the scenario {scenario.__name__}, run after those before it on one page")
            raise


def test_lesson_draws_both_squares_and_shows_its_source(page):
    assert page.open("lesson.html") == "ready"
    assert_booted_offline(page, "lesson.html")
    assert page.pixel("#lesson-canvas", 50, 50) == [255, 0, 0, 255]
    assert page.pixel("#lesson-canvas", 150, 50) == [60, 70, 90, 255]
    source = page.driver.find_element("id", "lesson-source").text
    assert "def main(" in source and "draw_pixels" in source
    # The page's Pyodide, with rust_image registered, is window.pyodide.
    pixels = page.driver.execute_script(
        "return window.pyodide.runPython("
        "'from wasmcanvas_site.lesson import read_seed_pixels; read_seed_pixels().tolist()').toJs();"
    )
    assert pixels == [255, 0, 0, 60, 70, 90]
    assert_strict_policy_is_carried_and_enforced(page, "lesson.html")
    assert_the_next_page_takes_runtime_and_module_from_the_cache(page)


def assert_the_next_page_takes_runtime_and_module_from_the_cache(page) -> None:
    """Another page of the site, opened after one that booted, gets Pyodide's
    runtime and the Rust module from the browser's cache."""
    assert page.open("life.html") == "ready"
    transfers = page.driver.execute_script(
        "return performance.getEntriesByType('resource')"
        ".filter(e => /(pyodide\\.asm\\.wasm|python_stdlib\\.zip|rust_image_bg\\.wasm)$/.test(e.name))"
        ".map(e => [e.name.split('/').pop(), e.transferSize, e.decodedBodySize])"
    )
    assert {name for name, _, _ in transfers} == {"pyodide.asm.wasm", "python_stdlib.zip", "rust_image_bg.wasm"}
    for name, transferred, size in transfers:
        # 0 bytes (memory or disk cache) or a bare 304 revalidation.
        assert transferred < 2000 < size, (name, transferred, size)


def test_a_failed_boot_is_reported_on_the_page(page):
    page.driver.execute_cdp_cmd("Network.enable", {})
    page.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*rust_image_bg.wasm"]})
    assert page.open("lesson.html") == "error"
    status = page.driver.find_element("id", "status")
    assert status.text.startswith('Failed at "Loading the Rust module":')
    assert "error" in status.get_attribute("class")
    assert page.driver.execute_script("return document.querySelector('#lesson-canvas')") is None
    page.screenshot("lesson-boot-error")


def test_gallery_thumbnails_are_drawn_and_live(page):
    assert page.open("index.html") == "ready"
    assert_booted_offline(page, "index.html")
    for name in ["lesson", "editor", "life", "plasma", "repl"]:
        assert page.pixel(f"#thumb-{name}", 80, 45)[3] == 255, name
    assert page.pixel("#thumb-lesson", 10, 10) == [255, 0, 0, 255]
    read_life = (
        "return Array.from(document.querySelector('#thumb-life').getContext('2d')"
        ".getImageData(0, 0, 160, 90).data).join()"
    )
    before = page.driver.execute_script(read_life)
    wait_until(lambda: page.driver.execute_script(read_life) != before, what="the Life thumbnail changing")
    assert_the_gif_card_holds_the_plasma_as_pillow_writes_it(page)
    assert_strict_policy_is_carried_and_enforced(page, "index.html")


def gif_frames(data: bytes) -> list[tuple[tuple[int, int], bytes, int]]:
    """Each frame of a GIF as Pillow decodes it: size, RGB bytes, duration."""
    import io

    from PIL import Image, ImageSequence

    with Image.open(io.BytesIO(data)) as gif:
        assert gif.format == "GIF"
        return [
            (frame.size, frame.convert("RGB").tobytes(), frame.info["duration"])
            for frame in ImageSequence.Iterator(gif)
        ]


def pillows_gif(frames, **options) -> bytes:
    import io

    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], **options)
    return out.getvalue()


def assert_the_gif_card_holds_the_plasma_as_pillow_writes_it(page) -> None:
    """The GIF card's image is the plasma's frames (as the page's Rust
    renders them) written as Pillow writes them, decoded by Pillow."""
    import base64

    from PIL import Image

    source = wait_until(
        lambda: page.driver.execute_script("return document.getElementById('thumb-gif').src"),
        what="the GIF card made",
    )
    header, encoded = source.split(",", 1)
    assert header == "data:image/gif;base64"
    rendered = page.driver.execute_script(
        "return window.pyodide.runPython("
        "'from wasmcanvas_site import gallery; [f.tobytes().hex() for f in gallery.gif_frames()]').toJs()"
    )
    frames = [Image.frombytes("RGB", (160, 90), bytes.fromhex(frame)) for frame in rendered]
    assert len(frames) == 12 and len({frame.tobytes() for frame in frames}) == 12
    ours = gif_frames(base64.b64decode(encoded))
    assert ours == gif_frames(pillows_gif(frames, duration=80, loop=0))
    assert page.driver.execute_script("return document.getElementById('thumb-gif').naturalWidth") == 160


def click_cell(page, canvas, x, y):
    """Click the centre of cell (x, y) of a scaled canvas. WebDriver offsets
    count from the centre of the element's visible part, so show it whole."""
    page.driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", canvas)
    cell = canvas.size["width"] / int(canvas.get_attribute("width"))
    ActionChains(page.driver).move_to_element_with_offset(
        canvas, (x + 0.5) * cell - canvas.size["width"] / 2, (y + 0.5) * cell - canvas.size["height"] / 2
    ).click().perform()


ALIVE, DEAD = [134, 239, 172, 255], [22, 26, 34, 255]


def life_cells_are_drawn_by_clicking_and_step_like_a_blinker(page):
    driver = page.driver
    Select(driver.find_element("id", "life-size")).select_by_value("80x45")
    driver.find_element("id", "life-clear").click()
    canvas = driver.find_element("id", "life-canvas")
    assert canvas.get_attribute("width") == "80"
    for x in (10, 11, 12):
        click_cell(page, canvas, x, 20)
    time.sleep(0.2)
    assert [page.pixel("#life-canvas", x, 20) for x in (9, 10, 11, 12, 13)] == [DEAD, ALIVE, ALIVE, ALIVE, DEAD]
    assert driver.find_element("id", "life-population").text == "3"
    driver.find_element("id", "life-step").click()
    time.sleep(0.2)
    assert [page.pixel("#life-canvas", 11, y) for y in (18, 19, 20, 21, 22)] == [DEAD, ALIVE, ALIVE, ALIVE, DEAD]
    assert page.pixel("#life-canvas", 10, 20) == DEAD
    assert driver.find_element("id", "life-generation").text == "1"
    page.screenshot("life-blinker")


def life_plays_at_the_chosen_size_and_speed(page):
    driver = page.driver
    Select(driver.find_element("id", "life-size")).select_by_value("1920x1080")
    driver.find_element("id", "life-play").click()
    assert driver.find_element("id", "life-play").text == "Pause"
    wait_until(lambda: int(driver.find_element("id", "life-generation").text) > 5, what="5 generations")
    assert driver.find_element("id", "life-fps").text.endswith("fps")
    assert driver.find_element("id", "life-canvas").get_attribute("width") == "1920"
    driver.find_element("id", "life-play").click()
    world_generation = (
        "return window.pyodide.runPython('from wasmcanvas_site import life; int(life.page.world.generation)')"
    )
    paused_at = driver.execute_script(world_generation)
    # The readout catches up with the paused world, then stays there.
    wait_until(lambda: driver.find_element("id", "life-generation").text == str(paused_at), what="the readout settling")
    time.sleep(0.5)
    assert driver.execute_script(world_generation) == paused_at
    assert driver.find_element("id", "life-generation").text == str(paused_at)
    assert page.console_errors() == []


def test_plasma_animates_shows_frame_time_and_pauses(page):
    assert page.open("plasma.html") == "ready"
    assert_booted_offline(page, "plasma.html")
    driver = page.driver
    wait_until(lambda: "ms mean" in driver.find_element("id", "plasma-frame-time").text, what="a frame-time readout")
    first = page.pixel("#plasma-canvas", 100, 100)
    wait_until(lambda: page.pixel("#plasma-canvas", 100, 100) != first, what="the plasma moving")
    driver.find_element("id", "plasma-pause").click()
    time.sleep(0.1)
    frozen = page.pixel("#plasma-canvas", 100, 100)
    time.sleep(0.4)
    assert page.pixel("#plasma-canvas", 100, 100) == frozen
    Select(driver.find_element("id", "plasma-size")).select_by_value("320x180")
    assert driver.find_element("id", "plasma-canvas").get_attribute("width") == "320"
    assert_strict_policy_is_carried_and_enforced(page, "plasma.html")


def test_site_works_from_a_sub_path(page, sub_path_server):
    page.base_url = sub_path_server
    assert page.open("lesson.html") == "ready"
    assert page.pixel("#lesson-canvas", 150, 50) == [60, 70, 90, 255]
    assert page.foreign_requests() == []
    assert all("/some/dir/" in url for url in page.requested_urls())


@pytest.fixture
def two_colour_png(tmp_path):
    """A 64x48 PNG: left half red, right half blue."""
    from PIL import Image

    picture = Image.new("RGB", (64, 48), (255, 0, 0))
    picture.paste((0, 0, 255), (32, 0, 64, 48))
    path = tmp_path / "two colours.png"
    picture.save(path)
    return path


def editor_message(page):
    return page.driver.find_element("id", "editor-message").text


def wait_idle(page, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if page.driver.execute_script("return document.body.dataset.busy") == "false":
            return
        time.sleep(0.05)
    raise TimeoutError("the editor stayed busy")


def open_in_editor(page, path):
    """Choose `path` in the editor's file input and wait until it is handled."""
    page.driver.find_element("id", "editor-file").send_keys(str(path))
    time.sleep(0.2)
    wait_idle(page)


def apply(page, operation, amount=None):
    driver = page.driver
    Select(driver.find_element("id", "editor-operation")).select_by_value(operation)
    if amount is not None:
        driver.execute_script(
            "const s = document.getElementById('editor-amount'); s.value = arguments[0];"
            "s.dispatchEvent(new Event('input'));",
            amount,
        )
    driver.find_element("id", "editor-apply").click()
    time.sleep(0.1)
    wait_idle(page)


def editor_opens_a_png_applies_kernels_undoes_and_compares(page, two_colour_png):
    wait_idle(page)
    driver = page.driver
    open_in_editor(page, two_colour_png)
    assert editor_message(page) == "Opened 'two colours.png' (64x48)."
    assert page.pixel("#editor-canvas", 10, 10) == [255, 0, 0, 255]
    apply(page, "invert")
    assert page.pixel("#editor-canvas", 10, 10) == [0, 255, 255, 255]
    assert page.pixel("#editor-canvas", 50, 10) == [255, 255, 0, 255]
    apply(page, "brightness", 0.5)
    assert driver.find_element("id", "editor-amount-value").text == "0.5"
    assert page.pixel("#editor-canvas", 10, 10) == [0, 127, 127, 255]
    assert editor_message(page).startswith("Brightness:")
    apply(page, "blur", 3)
    assert page.pixel("#editor-canvas", 31, 20) != page.pixel("#editor-canvas", 10, 20)
    compare = driver.find_element("id", "editor-compare")
    ActionChains(driver).click_and_hold(compare).perform()
    assert page.pixel("#editor-canvas", 10, 10) == [255, 0, 0, 255]
    ActionChains(driver).release(compare).perform()
    assert page.pixel("#editor-canvas", 10, 10) == [0, 127, 127, 255]
    undo = driver.find_element("id", "editor-undo")
    undo.click()
    undo.click()
    assert page.pixel("#editor-canvas", 10, 10) == [0, 255, 255, 255]
    undo.click()
    assert page.pixel("#editor-canvas", 10, 10) == [255, 0, 0, 255]
    assert not undo.is_enabled()
    apply(page, "rotate90")
    assert driver.find_element("id", "editor-canvas").get_attribute("width") == "48"
    page.screenshot("editor")
    assert page.console_errors() == []


def editor_handles_a_4000_by_3000_picture(page):
    wait_idle(page)
    driver = page.driver
    Select(driver.find_element("id", "editor-sample")).select_by_value("test card")
    Select(driver.find_element("id", "editor-sample-size")).select_by_value("4000x3000")
    driver.find_element("id", "editor-load-sample").click()
    time.sleep(0.1)
    wait_idle(page)
    assert driver.find_element("id", "editor-canvas").get_attribute("width") == "4000"
    apply(page, "grayscale")
    red, green, blue, _ = page.pixel("#editor-canvas", 100, 100)
    assert red == green == blue
    apply(page, "blur", 10)
    assert editor_message(page).startswith("Gaussian blur:") and "4000x3000" in editor_message(page)
    assert page.console_errors() == []


def terminal_text(page):
    return page.driver.execute_script("return document.querySelector('#repl-terminal .xterm-rows').innerText")


def type_in_repl(page, *keys, wait=True):
    page.driver.find_element("css selector", "#repl-terminal .xterm-helper-textarea").send_keys(*keys)
    if wait:
        time.sleep(0.15)
        wait_idle(page)


def wait_for_text(page, text, timeout=10):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        shown = terminal_text(page)
        # Long output wraps over several terminal rows.
        if text in shown or text in shown.replace("\n", ""):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} never appeared in the terminal:\n{terminal_text(page)}")


def repl_statements_update_the_canvas(page):
    before = canvas_digest(page, "#repl-canvas")
    sun_edge = page.pixel("#repl-canvas", 270, 165)
    type_in_repl(page, "img = img.filter(ImageFilter.GaussianBlur(4)); canvas.blit(img)", Keys.ENTER)
    assert canvas_digest(page, "#repl-canvas") != before
    assert page.pixel("#repl-canvas", 270, 165) != sun_edge
    type_in_repl(page, "img.size", Keys.ENTER)
    wait_for_text(page, "(480, 300)")
    page.screenshot("repl")
    assert page.console_errors() == []


def an_image_returned_at_the_prompt_is_shown_as_a_picture(page):
    """The REPL shows an Image result through _repr_png_, as Jupyter-style
    front ends do: a PNG of its pixels under the canvas."""
    assert page.driver.execute_script("return document.getElementById('repl-result').hidden")
    type_in_repl(page, "small = img.resize((120, 75)); small", Keys.ENTER)
    wait_for_text(page, "<wasmcanvas.Image.Image image mode=RGB size=120x75 at 0x")
    shown = page.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const picture = document.getElementById("repl-picture");
        const read = () => {
            const scratch = document.createElement("canvas");
            [scratch.width, scratch.height] = [picture.naturalWidth, picture.naturalHeight];
            const context = scratch.getContext("2d");
            context.drawImage(picture, 0, 0);
            done([picture.naturalWidth, picture.naturalHeight, Array.from(context.getImageData(60, 40, 1, 1).data)]);
        };
        picture.complete && picture.naturalWidth ? read() : picture.addEventListener("load", read);
        """
    )
    type_in_repl(page, "print('pixel', *small.getpixel((60, 40)), sep=':')", Keys.ENTER)
    wait_for_text(page, "pixel:")
    expected = re.search(r"pixel:(\d+):(\d+):(\d+)", terminal_text(page)).groups()
    assert shown[:2] == [120, 75]
    assert shown[2] == [*map(int, expected), 255]
    assert not page.driver.execute_script("return document.getElementById('repl-result').hidden")
    assert page.console_errors() == []


def repl_multiline_input_tracebacks_and_kept_state(page):
    type_in_repl(page, "def answer():", Keys.ENTER)
    wait_for_text(page, "... ")
    type_in_repl(page, "    return 41 + 1", Keys.ENTER, Keys.ENTER)
    type_in_repl(page, "1 / 0", Keys.ENTER)
    wait_for_text(page, "ZeroDivisionError: division by zero")
    type_in_repl(page, "answer()", Keys.ENTER)
    wait_for_text(page, "\n42")


def repl_completes_with_tab(page):
    type_in_repl(page, "img.getpi", Keys.TAB, wait=False)
    wait_for_text(page, ">>> img.getpixel")


def repl_history_survives_a_reload(page):
    type_in_repl(page, "remembered = 6 * 7", Keys.ENTER)
    assert page.open("repl.html") == "ready"
    type_in_repl(page, Keys.ARROW_UP, wait=False)
    wait_for_text(page, ">>> remembered = 6 * 7")


def repl_caps_a_huge_print_and_stays_usable(page):
    type_in_repl(page, 'print("x" * 5_000_000)', Keys.ENTER)
    wait_for_text(page, "output cut after 50,000 characters (4,950,001 more)")
    type_in_repl(page, "2 ** 10", Keys.ENTER)
    wait_for_text(page, "1024")


def repl_examples_run_when_clicked(page):
    buttons = page.driver.find_elements("css selector", "#repl-examples button")
    assert len(buttons) >= 5
    before = page.pixel("#repl-canvas", 20, 200)
    buttons[1].click()
    time.sleep(0.2)
    wait_idle(page)
    red, green, blue, _ = page.pixel("#repl-canvas", 20, 200)
    assert red == green == blue and [red, green, blue, 255] != before
    wait_for_text(page, "img.paste(ImageOps.grayscale(img.crop((0, 0, 240, 300))))")

    by_label = {button.text: button for button in buttons}
    by_label["GIF"].click()
    time.sleep(0.2)
    wait_idle(page)
    wait_for_text(page, "(12, '")
    caption_strip = canvas_digest(page, "#repl-canvas")
    by_label["caption"].click()
    time.sleep(0.2)
    wait_idle(page)
    assert canvas_digest(page, "#repl-canvas") != caption_strip
    assert page.console_errors() == []


def the_codecs_module_loads_only_for_files_and_keeps_the_policy(page):
    """No page downloads the picture codecs at boot; asked for them, a page
    with the strict policy gets them from its own pkg/ through boot.js."""
    assert not [url for url in page.requested_urls() if "codecs" in url]
    result = page.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        window.pyodide.runPythonAsync(`
import io
import wasmcanvas
from wasmcanvas import Image
await wasmcanvas.load_codecs()
out = io.BytesIO()
Image.new("RGB", (4, 3), "#336699").save(out, "PNG")
list(Image.open(out.getvalue()).getpixel((3, 2)))
`).then((value) => done(value.toJs()), (error) => done(String(error)));
        """
    )
    assert result == [51, 102, 153]
    codecs = [url.rsplit("/", 2)[-2:] for url in page.requested_urls() if "codecs" in url]
    assert ["pkg", "rust_image_codecs.js"] in codecs and ["pkg", "rust_image_codecs_bg.wasm"] in codecs
    assert page.console_errors() == []


def png_bomb(width, height):
    """A real PNG of width x height black pixels, one bit each: a few kB on
    disk, gigabytes once decoded."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes((width + 7) // 8)
    compressor = zlib.compressobj(9)
    pixels = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


# ---- the site's features through their controls, outcomes read back


def canvas_rgba(page, selector):
    """The whole canvas as RGBA bytes (getImageData)."""
    return bytes(
        page.driver.execute_script(
            "const c = document.querySelector(arguments[0]);"
            "return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data);",
            selector,
        )
    )


def canvas_digest(page, selector):
    """SHA-256 of the whole canvas's RGBA bytes (getImageData), computed in
    the page: a large canvas's bytes are slow to carry through WebDriver."""
    return page.driver.execute_async_script(
        """
        const [selector, done] = arguments;
        const canvas = document.querySelector(selector);
        const pixels = canvas.getContext("2d").getImageData(0, 0, canvas.width, canvas.height).data;
        crypto.subtle.digest("SHA-256", pixels).then((hash) =>
          done(Array.from(new Uint8Array(hash), (b) => b.toString(16).padStart(2, "0")).join("")));
        """,
        selector,
    )


@pytest.fixture
def photo_png(tmp_path):
    """An opaque 40x30 photo-like PNG and the Pillow image it holds."""
    from images import sample_photo

    picture = sample_photo(40, 30, seed=21).convert("RGBA")
    path = tmp_path / "photo.png"
    picture.save(path)
    return path, picture


def editor_expectations():
    """Pillow's result for each editor operation and the amount the test
    sets on its slider (None: no slider)."""
    from PIL import Image, ImageEnhance, ImageFilter, ImageOps

    sepia = (0.393, 0.769, 0.189, 0, 0.349, 0.686, 0.168, 0, 0.272, 0.534, 0.131, 0)

    def rgb(operation):
        return lambda im: operation(im.convert("RGB")).convert("RGBA")

    def opaque(operation):
        def run(im):
            result = operation(im)
            result.putalpha(255)
            return result

        return run

    def gamma(im):
        table = [round(255 * (v / 255) ** (1 / 2.2)) for v in range(256)]
        return im.point([*table, *table, *table, *range(256)])

    return {
        "blur": (2.5, lambda im: im.filter(ImageFilter.GaussianBlur(2.5))),
        "box_blur": (2, lambda im: im.filter(ImageFilter.BoxBlur(2))),
        "sharpen": (None, opaque(lambda im: im.filter(ImageFilter.SHARPEN))),
        "edge_detect": (None, opaque(lambda im: im.filter(ImageFilter.FIND_EDGES))),
        "emboss": (None, opaque(lambda im: im.filter(ImageFilter.EMBOSS))),
        "smooth": (None, opaque(lambda im: im.filter(ImageFilter.SMOOTH_MORE))),
        "detail": (None, opaque(lambda im: im.filter(ImageFilter.DETAIL))),
        "edge_enhance": (None, opaque(lambda im: im.filter(ImageFilter.EDGE_ENHANCE))),
        "contour": (None, opaque(lambda im: im.filter(ImageFilter.CONTOUR))),
        "median": (5, lambda im: im.filter(ImageFilter.MedianFilter(5))),
        "min_filter": (3, lambda im: im.filter(ImageFilter.MinFilter(3))),
        "max_filter": (7, lambda im: im.filter(ImageFilter.MaxFilter(7))),
        "grayscale": (None, rgb(lambda im: im.convert("L"))),
        "invert": (None, rgb(ImageOps.invert)),
        "sepia": (None, rgb(lambda im: im.convert("RGB", sepia))),
        "brightness": (0.65, lambda im: ImageEnhance.Brightness(im).enhance(0.65)),
        "contrast": (1.35, lambda im: ImageEnhance.Contrast(im).enhance(1.35)),
        "gamma": (2.2, gamma),
        "threshold": (100, rgb(lambda im: im.convert("L").point(lambda v: 255 * (v >= 100)))),
        "rotate90": (None, lambda im: im.transpose(Image.Transpose.ROTATE_270)),
        "rotate270": (None, lambda im: im.transpose(Image.Transpose.ROTATE_90)),
        "flip_horizontal": (None, lambda im: im.transpose(Image.Transpose.FLIP_LEFT_RIGHT)),
        "flip_vertical": (None, lambda im: im.transpose(Image.Transpose.FLIP_TOP_BOTTOM)),
        "halve": (None, lambda im: im.resize((20, 15), Image.Resampling.BILINEAR)),
    }


def every_editor_operation_through_its_controls_gives_pillows_result(page, photo_png):
    path, picture = photo_png
    wait_idle(page)
    open_in_editor(page, path)
    assert canvas_rgba(page, "#editor-canvas") == picture.tobytes()
    options = page.driver.execute_script(
        "return [...document.querySelectorAll('#editor-operation option')].map(o => o.value)"
    )
    expectations = editor_expectations()
    assert sorted(options) == sorted(expectations)
    for operation, (amount, pillow) in expectations.items():
        apply(page, operation, amount)
        expected = pillow(picture.copy())
        canvas = page.driver.find_element("id", "editor-canvas")
        assert (int(canvas.get_attribute("width")), int(canvas.get_attribute("height"))) == expected.size, operation
        assert canvas_rgba(page, "#editor-canvas") == expected.tobytes(), operation
        page.driver.find_element("id", "editor-undo").click()
        assert canvas_rgba(page, "#editor-canvas") == picture.tobytes(), f"undo after {operation}"
    assert page.console_errors() == []


def caption_on(picture, text, size, colour, position):
    """Pillow's picture with the editor's caption on it: the default font,
    centred on `position`, outlined for contrast."""
    from PIL import ImageColor, ImageDraw, ImageFont

    red, green, blue = ImageColor.getrgb(colour)[:3]
    outline = "#000000" if red * 299 + green * 587 + blue * 114 >= 128_000 else "#ffffff"
    expected = picture.copy()
    ImageDraw.Draw(expected).text(
        position,
        text,
        fill=colour,
        font=ImageFont.load_default(size),
        anchor="mm",
        stroke_width=max(1, size // 16),
        stroke_fill=outline,
    )
    return expected


def assert_close_to(canvas: bytes, expected, what: str) -> None:
    """The canvas against Pillow's picture, within the text rasterizer's
    stated tolerance (docs/differences.md: text differs from FreeType's by a few levels
    at glyph edges)."""
    wanted = expected.convert("RGBA").tobytes()
    assert len(canvas) == len(wanted), what
    differences = [abs(a - b) for a, b in zip(canvas, wanted, strict=True)]
    assert max(differences) <= TEXT_TOLERANCE, f"{what}: differs from Pillow by up to {max(differences)}"


TEXT_TOLERANCE = 48


def editor_puts_text_on_the_picture_and_a_drag_moves_it(page, tmp_path):
    from images import sample_photo

    picture = sample_photo(200, 120, seed=5)
    path = tmp_path / "beach.png"
    picture.save(path)
    wait_idle(page)
    driver = page.driver
    open_in_editor(page, path)
    for control, value in [("editor-text", "Hello"), ("editor-text-size", "32"), ("editor-text-colour", "#ffee00")]:
        driver.execute_script(
            "const c = document.getElementById(arguments[0]); c.value = arguments[1];", control, value
        )
    driver.find_element("id", "editor-text-place").click()
    time.sleep(0.1)
    wait_idle(page)
    assert editor_message(page) == "Text added at (100, 60): drag on the picture to move it."
    with_text = canvas_rgba(page, "#editor-canvas")
    assert with_text != picture.convert("RGBA").tobytes()
    assert_close_to(with_text, caption_on(picture, "Hello", 32, "#ffee00", (100, 60)), "text placed")

    canvas = driver.find_element("id", "editor-canvas")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", canvas)
    scale = canvas.size["width"] / 200
    ActionChains(driver).move_to_element_with_offset(
        canvas, (60.5 * scale) - canvas.size["width"] / 2, (40.5 * scale) - canvas.size["height"] / 2
    ).click_and_hold().move_by_offset(int(10 * scale), int(20 * scale)).release().perform()
    wait_until(lambda: editor_message(page).startswith("Text moved to"), what="the text moving")
    x, y = map(int, re.search(r"\((\d+), (\d+)\)", editor_message(page)).groups())
    assert (abs(x - 70) <= 1, abs(y - 60) <= 1) == (True, True), (x, y)
    assert_close_to(canvas_rgba(page, "#editor-canvas"), caption_on(picture, "Hello", 32, "#ffee00", (x, y)), "moved")

    driver.find_element("id", "editor-undo").click()
    assert canvas_rgba(page, "#editor-canvas") == picture.convert("RGBA").tobytes()
    driver.execute_script("document.getElementById('editor-text').value = '   '")
    driver.find_element("id", "editor-text-place").click()
    wait_until(lambda: editor_message(page) == "Type the text to put on the picture first.", what="the refusal")
    assert page.console_errors() == []


def editor_exports_its_edits_as_a_gif_pillow_decodes_frame_by_frame(page, photo_png):
    import base64
    import io

    from PIL import Image, ImageOps

    path, picture = photo_png
    wait_idle(page)
    open_in_editor(page, path)
    apply(page, "invert")
    apply(page, "grayscale")
    # The export is asynchronous: the download link it clicks is kept.
    page.driver.execute_script(
        "HTMLAnchorElement.prototype.click = function () {"
        " window.savedDownload = { href: this.href, name: this.download }; };"
        "document.getElementById('editor-download-gif').click();"
    )
    wait_until(lambda: editor_message(page).startswith("Saved 'photo-edits.gif': 3 frame(s), "), what="the GIF")
    saved = page.driver.execute_script("return window.savedDownload")
    assert saved["name"] == "photo-edits.gif"
    header, encoded = saved["href"].split(",", 1)
    assert header == "data:image/gif;base64"
    ours = base64.b64decode(encoded)
    with Image.open(io.BytesIO(ours)) as gif:
        assert (gif.n_frames, gif.info["loop"], gif.size) == (3, 0, (480, 360))
    steps = [picture.convert("RGB")]
    steps.append(ImageOps.invert(steps[-1]))
    steps.append(steps[-1].convert("L").convert("RGB"))
    frames = [ImageOps.pad(step, (480, 360), color=(22, 26, 34)) for step in steps]
    assert gif_frames(ours) == gif_frames(pillows_gif(frames, duration=700, loop=0))
    assert page.console_errors() == []


def a_phone_photo_opens_upright_as_its_exif_orientation_says(page, tmp_path):
    from PIL import Image, ImageOps

    photo = Image.new("RGB", (60, 40), (220, 40, 40))
    photo.paste((40, 200, 60), (30, 0, 60, 20))
    photo.paste((40, 60, 220), (0, 20, 30, 40))
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "portrait.jpg"
    photo.save(path, quality=95, exif=exif)
    wait_idle(page)
    open_in_editor(page, path)
    assert editor_message(page) == "Opened 'portrait.jpg' (40x60), turned upright (EXIF orientation 6)."
    with Image.open(path) as opened:
        upright = ImageOps.exif_transpose(opened).convert("RGBA")
    assert upright.size == (40, 60)
    for x, y in [(10, 10), (30, 10), (10, 45), (30, 45)]:
        shown = page.pixel("#editor-canvas", x, y)
        assert max(abs(a - b) for a, b in zip(shown, upright.getpixel((x, y)), strict=True)) <= 4, (x, y, shown)


def drop_file(page, name, content):
    """Drops a file on the editor's drop zone as a browser does: a real
    DataTransfer holding a File, carried by dragover and drop events."""
    import base64

    return page.driver.execute_script(
        """
        const [name, encoded] = arguments;
        const bytes = Uint8Array.from(atob(encoded), (c) => c.charCodeAt(0));
        const transfer = new DataTransfer();
        transfer.items.add(new File([bytes], name, { type: "image/png" }));
        const zone = document.getElementById("editor-drop");
        zone.dispatchEvent(new DragEvent("dragover", { dataTransfer: transfer, bubbles: true, cancelable: true }));
        const highlighted = zone.classList.contains("dragging");
        const drop = new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true });
        zone.dispatchEvent(drop);
        return { highlighted, files: transfer.files.length };
        """,
        name,
        base64.b64encode(content).decode(),
    )


def a_picture_dropped_on_the_editor_opens(page, photo_png):
    path, picture = photo_png
    wait_idle(page)
    dropped = drop_file(page, "dropped photo.png", path.read_bytes())
    assert dropped == {"highlighted": True, "files": 1}
    wait_until(lambda: editor_message(page) == "Opened 'dropped photo.png' (40x30).", what="the dropped file opening")
    assert canvas_rgba(page, "#editor-canvas") == picture.tobytes()
    assert "dragging" not in page.driver.find_element("id", "editor-drop").get_attribute("class")
    drop_file(page, "notes.png", b"not a picture")
    wait_until(lambda: "Could not open 'notes.png'" in editor_message(page), what="the refusal")
    assert canvas_rgba(page, "#editor-canvas") == picture.tobytes()


def the_downloaded_png_holds_the_canvas_pixels(page, photo_png):
    import base64
    import io

    from PIL import Image

    path, picture = photo_png
    wait_idle(page)
    open_in_editor(page, path)
    apply(page, "sepia")
    saved = page.driver.execute_script(
        "const saved = {}; HTMLAnchorElement.prototype.click = function () {"
        " saved.href = this.href; saved.name = this.download; };"
        "document.getElementById('editor-download').click(); return saved;"
    )
    assert saved["name"] == "photo-edited.png"
    header, encoded = saved["href"].split(",", 1)
    assert header == "data:image/png;base64"
    downloaded = Image.open(io.BytesIO(base64.b64decode(encoded)))
    assert downloaded.format == "PNG" and downloaded.size == (40, 30)
    assert downloaded.convert("RGBA").tobytes() == canvas_rgba(page, "#editor-canvas")
    assert canvas_rgba(page, "#editor-canvas") != picture.tobytes()
    assert editor_message(page) == "Saved 'photo-edited.png'."


def claiming_size(format_name, width, height):
    """A small valid file of `format_name` whose header then claims
    width x height (the body stays that of a 16x8 picture)."""
    import io
    import struct

    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (16, 8), (1, 2, 3)).save(buffer, format_name)
    data = bytearray(buffer.getvalue())
    if format_name == "JPEG":
        frame = data.index(b"\xff\xc0")
        data[frame + 5 : frame + 9] = struct.pack(">HH", height, width)
    elif format_name == "GIF":
        data[6:10] = struct.pack("<HH", width, height)
    elif format_name == "BMP":
        data[18:26] = struct.pack("<ii", width, height)
    elif format_name == "WEBP":
        assert data[12:16] == b"VP8 "
        data[26:30] = struct.pack("<HH", width, height)
    return bytes(data)


def vp8x_claiming_size(width, height):
    """An extended-format WebP header (VP8X) claiming width x height."""
    import struct

    chunk = b"VP8X" + struct.pack("<I", 10) + bytes(4) + (width - 1).to_bytes(3, "little")
    chunk += (height - 1).to_bytes(3, "little")
    return b"RIFF" + struct.pack("<I", 4 + len(chunk)) + b"WEBP" + chunk


def refused_files():
    """What the editor must refuse, each with the start of the message it
    shows: files that are not pictures, a truncated JPEG, and bombs of every
    format whose header claims more pixels than are allowed."""
    import io

    from PIL import Image

    not_a_picture = "it is not a picture this browser can decode (or it is damaged)."
    whole = io.BytesIO()
    Image.new("RGB", (300, 200), (200, 30, 30)).save(whole, "JPEG", quality=90)
    return [
        ("<b>notes<i>.png", b"just some text", not_a_picture),
        ("cut.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00", not_a_picture),
        ("cut.jpg", whole.getvalue()[:400], not_a_picture),
        ("bomb-20000.png", png_bomb(20000, 20000), "it is 20000x20000 pixels; the largest side allowed is 16384."),
        ("bomb-9000.png", png_bomb(9000, 8000), "it is 9000x8000 = 72,000,000 pixels; at most 67,108,864 are allowed."),
        ("big.jpg", claiming_size("JPEG", 20000, 20000), "it is 20000x20000 pixels"),
        ("big.gif", claiming_size("GIF", 9000, 8000), "it is 9000x8000 = 72,000,000 pixels"),
        ("big.bmp", claiming_size("BMP", 30000, 10), "it is 30000x10 pixels"),
        ("big.webp", claiming_size("WEBP", 16383, 16383), "it is 16383x16383 = 268,402,689 pixels"),
        ("big-x.webp", vp8x_claiming_size(20000, 3), "it is 20000x3 pixels"),
    ]


# One editor page tries every refused file in turn: each must leave the
# picture shown before it, so one page proves that as well as ten would.
def editor_refuses_what_it_cannot_open_and_keeps_the_current_picture(page, tmp_path):
    wait_idle(page)
    before = canvas_digest(page, "#editor-canvas")
    for name, content, reason in refused_files():
        path = tmp_path / name
        path.write_bytes(content)
        if name.startswith("bomb"):
            assert len(content) < 200_000
        open_in_editor(page, path)
        assert editor_message(page).startswith(f"Could not open {name!r}: {reason}"), name
        assert page.driver.execute_script("return document.querySelector('#editor-message b')") is None
        assert canvas_digest(page, "#editor-canvas") == before, name
        assert page.driver.find_element("id", "editor-canvas").get_attribute("width") == "1600"
    whole = tmp_path / "whole.jpg"
    whole.write_bytes(claiming_size("JPEG", 16, 8))
    open_in_editor(page, whole)
    assert editor_message(page) == "Opened 'whole.jpg' (16x8)."


def life_plays_at_the_chosen_speed_randomizes_and_draws_by_dragging(page):
    driver = page.driver
    Select(driver.find_element("id", "life-size")).select_by_value("80x45")
    driver.execute_script(
        "const s = document.getElementById('life-speed'); s.value = 7; s.dispatchEvent(new Event('input'));"
    )
    assert driver.find_element("id", "life-speed-value").text == "7"
    generation = lambda: int(driver.find_element("id", "life-generation").text)  # noqa: E731
    start = generation()
    driver.find_element("id", "life-play").click()
    wait_until(lambda: generation() >= start + 21, what="three frames of seven generations")
    driver.find_element("id", "life-play").click()
    world_generation = (
        "return window.pyodide.runPython('from wasmcanvas_site import life; int(life.page.world.generation)')"
    )
    assert (driver.execute_script(world_generation) - start) % 7 == 0

    driver.find_element("id", "life-clear").click()
    assert driver.find_element("id", "life-population").text == "0"
    driver.find_element("id", "life-random").click()
    population = int(driver.find_element("id", "life-population").text)
    assert 0.2 * 3600 < population < 0.3 * 3600
    first = canvas_rgba(page, "#life-canvas")
    driver.find_element("id", "life-random").click()
    wait_until(lambda: canvas_rgba(page, "#life-canvas") != first, what="a new random world drawn")

    driver.find_element("id", "life-clear").click()
    canvas = driver.find_element("id", "life-canvas")
    driver.execute_script("arguments[0].scrollIntoView({block: 'start'})", canvas)
    cell = canvas.size["width"] / 80

    def offset(x, y):
        return (x + 0.5) * cell - canvas.size["width"] / 2, (y + 0.5) * cell - canvas.size["height"] / 2

    ActionChains(driver).move_to_element_with_offset(
        canvas, *offset(5, 9)
    ).click_and_hold().move_to_element_with_offset(canvas, *offset(30, 9)).release().perform()
    wait_until(lambda: driver.find_element("id", "life-population").text == "26", what="26 cells drawn")
    wait_until(lambda: page.pixel("#life-canvas", 30, 9) == ALIVE, what="the drawn line shown")
    assert [page.pixel("#life-canvas", x, 9) for x in (4, 5, 17, 30, 31)] == [DEAD, ALIVE, ALIVE, ALIVE, DEAD]
    assert page.console_errors() == []


def repl_shows_it_is_busy_while_a_statement_runs(page):
    driver = page.driver
    busy = driver.find_element("id", "repl-busy")
    assert not busy.is_displayed()
    driver.execute_script("window.replGate = new Promise((resolve) => { window.openReplGate = resolve; });")
    type_in_repl(page, "import js; answer = await js.replGate; answer * 6", Keys.ENTER, wait=False)
    wait_until(lambda: busy.is_displayed(), what="the busy indicator")
    assert driver.execute_script("return document.body.dataset.busy") == "true"
    driver.execute_script("window.openReplGate(7)")
    wait_until(lambda: not busy.is_displayed(), what="the busy indicator going away")
    wait_for_text(page, "42")
    assert driver.execute_script("return document.body.dataset.busy") == "false"


# ---- the scenarios above, each page's on one boot


def test_the_life_scenarios_on_one_page(page):
    # Booted with the system in dark mode; the colours follow it both ways.
    set_colour_scheme(page, "dark")
    assert page.open("life.html") == "ready"
    assert_booted_offline(page, "life.html")
    assert page.driver.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(22, 26, 34)"
    page.screenshot("life-dark")
    set_colour_scheme(page, "light")
    assert page.driver.execute_script("return getComputedStyle(document.body).backgroundColor") == "rgb(250, 251, 252)"
    # Each scenario picks its world's size, which makes a new world (the
    # generation back at 0); only the first relies on the boot's size.
    run_scenarios(
        page,
        [
            (life_cells_are_drawn_by_clicking_and_step_like_a_blinker,),
            (life_plays_at_the_chosen_size_and_speed,),
            (life_plays_at_the_chosen_speed_randomizes_and_draws_by_dragging,),
        ],
    )
    # Last: the refused inline script logs console errors.
    assert_strict_policy_is_carried_and_enforced(page, "life.html")


def set_colour_scheme(page, scheme: str) -> None:
    """What the system's `prefers-color-scheme` says, as the page sees it."""
    page.driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )


def copy_of(path, folder):
    """`path` copied, under its own name, into `folder` beside it: a file
    input fires no change event for the file it already holds."""
    copy = path.parent / folder / path.name
    copy.parent.mkdir()
    copy.write_bytes(path.read_bytes())
    return copy


def test_the_editor_scenarios_on_one_page(page, tmp_path, two_colour_png, photo_png):
    path, picture = photo_png
    assert page.open("editor.html") == "ready"
    assert_booted_offline(page, "editor.html")
    # Opening a picture starts its undo history afresh, so each scenario
    # that opens its own picture may follow another; the refusals come
    # first, as they keep the picture shown at boot, and the 4000x3000
    # picture last.
    run_scenarios(
        page,
        [
            (editor_refuses_what_it_cannot_open_and_keeps_the_current_picture, tmp_path),
            (editor_opens_a_png_applies_kernels_undoes_and_compares, two_colour_png),
            (every_editor_operation_through_its_controls_gives_pillows_result, (copy_of(path, "every"), picture)),
            (editor_puts_text_on_the_picture_and_a_drag_moves_it, tmp_path),
            (a_phone_photo_opens_upright_as_its_exif_orientation_says, tmp_path),
            (a_picture_dropped_on_the_editor_opens, (path, picture)),
            (the_downloaded_png_holds_the_canvas_pixels, (copy_of(path, "download"), picture)),
            (editor_exports_its_edits_as_a_gif_pillow_decodes_frame_by_frame, (copy_of(path, "gif"), picture)),
            (editor_handles_a_4000_by_3000_picture,),
        ],
    )
    # Last: the refused inline script logs console errors.
    assert_strict_policy_is_carried_and_enforced(page, "editor.html")


def clear_terminal(page):
    """Empties the REPL's terminal but for its prompt line, so that a
    scenario's text checks see only what it printed itself."""
    page.driver.execute_script(
        "window.pyodide.runPython('from wasmcanvas_site import repl; repl.page.terminal.clear()')"
    )
    wait_until(lambda: "\n" not in terminal_text(page).strip(), what="the terminal cleared")


def test_the_repl_scenarios_on_one_page(page):
    assert page.open("repl.html") == "ready"
    assert_booted_offline(page, "repl.html")
    # The codecs are not asked for at boot: checked before anything asks
    # for them (an Image returned at the prompt is encoded as a PNG).
    run_scenarios(
        page,
        [
            (the_codecs_module_loads_only_for_files_and_keeps_the_policy,),
            (repl_statements_update_the_canvas,),
            (an_image_returned_at_the_prompt_is_shown_as_a_picture,),
            (repl_shows_it_is_busy_while_a_statement_runs,),
            (repl_caps_a_huge_print_and_stays_usable,),
            (repl_multiline_input_tracebacks_and_kept_state,),
            # Leaves its completed line unsent: the next example replaces it.
            (repl_completes_with_tab,),
            (repl_examples_run_when_clicked,),
        ],
        before_each=clear_terminal,
    )
    # Before the reload below, and after the other scenarios: the refused
    # inline script logs console errors.
    assert_strict_policy_is_carried_and_enforced(page, "repl.html")
    run_scenarios(page, [(repl_history_survives_a_reload,)], before_each=clear_terminal)


STRICT_POLICY = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'none'",
}


@pytest.mark.parametrize("path", ["bench.html", "bench-bare.html"])
def test_the_bench_pages_carry_their_policy_and_it_is_enforced(page, path):
    page.driver.get(page.base_url + path)
    assert_strict_policy_is_carried_and_enforced(page, path)


def assert_strict_policy_is_carried_and_enforced(page, path: str) -> None:
    """The page's CSP is the strict one (with its page's one exception), and
    an inline script, an inline handler and a fetch elsewhere are refused."""
    policy = page.driver.execute_script(
        "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"
    )
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    # repl.html alone allows inline styles: xterm.js sizes its grid with
    # <style>; bench.html alone allows eval: OpenCV.js's bindings need it.
    expected = {
        "repl.html": {**STRICT_POLICY, "style-src": "'self' 'unsafe-inline'"},
        "bench.html": {**STRICT_POLICY, "script-src": "'self' 'wasm-unsafe-eval' 'unsafe-eval'"},
    }.get(path, STRICT_POLICY)
    assert directives == expected
    outcome = page.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        const violations = [];
        document.addEventListener("securitypolicyviolation", (e) => violations.push(e.violatedDirective));
        const inline = document.createElement("script");
        inline.textContent = "window.inlineRan = true";
        document.body.append(inline);
        const handler = document.createElement("img");
        handler.setAttribute("onerror", "window.handlerRan = true");
        handler.src = "data:,";
        document.body.append(handler);
        fetch("http://127.0.0.2:9/").then(() => "fetched", () => "refused").then((fetched) =>
          setTimeout(() => done({ fetched, ran: !!(window.inlineRan || window.handlerRan), violations }), 200));
        """
    )
    assert outcome["ran"] is False and outcome["fetched"] == "refused"
    assert any(v.startswith("script-src") for v in outcome["violations"])
    assert any(v.startswith("connect-src") for v in outcome["violations"])
