"""wasmcanvas's Canvas and animate inside Pyodide: pixels read back from the
canvas with getImageData, events with canvas-pixel coordinates, animation
loops that leave no proxy behind."""

from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas"])
def test_blit_puts_the_image_on_the_canvas(selenium_rust):
    from wasmcanvas import Canvas, Image

    canvas = Canvas.create(8, 6, id="blit-canvas")
    try:
        assert Canvas.attach("blit-canvas").element == canvas.element
        assert Canvas.attach("#blit-canvas").width == 8
        with Image.new("RGB", (4, 3), (10, 20, 30)) as image:
            image.putpixel((3, 2), (255, 0, 0))
            canvas.blit(image, 2, 1)
        data = canvas.read_pixels()

        def pixel(x, y):
            return list(data[(y * 8 + x) * 4 : (y * 8 + x) * 4 + 4])

        assert pixel(2, 1) == [10, 20, 30, 255]
        assert pixel(5, 3) == [255, 0, 0, 255]
        assert pixel(0, 0) == [0, 0, 0, 0]
        assert canvas.read_pixels(5, 3, 1, 1) == bytes([255, 0, 0, 255])
        canvas.clear("#ffffff")
        assert canvas.read_pixels(7, 5, 1, 1) == b"\xff\xff\xff\xff"
        canvas.clear()
        assert canvas.read_pixels(7, 5, 1, 1) == bytes(4)
    finally:
        canvas.element.remove()


@run_in_pyodide(packages=["wasmcanvas"])
def test_draw_pixels_sets_fill_style_once_per_colour(selenium_rust):
    from wasmcanvas import Canvas, Image

    canvas = Canvas.create(30, 20)
    styles = []
    context = canvas.context

    class CountingContext:
        def __setattr__(self, name, value):
            if name == "fillStyle":
                styles.append(value)
            setattr(context, name, value)

        def __getattr__(self, name):
            return getattr(context, name)

    canvas.context = CountingContext()
    try:
        with Image.new("RGB", (3, 2), "#3c465a") as image:
            image.putpixel((0, 0), (255, 0, 0))
            image.putpixel((2, 1), (255, 0, 0))
            canvas.draw_pixels(image, size=10)
        assert sorted(styles) == ["#3c465a", "#ff0000"]
        canvas.context = context
        assert canvas.read_pixels(5, 5, 1, 1) == bytes([255, 0, 0, 255])
        assert canvas.read_pixels(15, 5, 1, 1) == bytes([60, 70, 90, 255])
        assert canvas.read_pixels(25, 15, 1, 1) == bytes([255, 0, 0, 255])
    finally:
        canvas.element.remove()


@run_in_pyodide(packages=["wasmcanvas"])
def test_scale_keeps_pixels_crisp_and_png_round_trips(selenium_rust):
    import pytest
    from wasmcanvas import Canvas, Image

    canvas = Canvas.create(16, 9, scale=3)
    try:
        style = canvas.element.style
        assert (style.width, style.height, style.imageRendering) == ("48px", "auto", "pixelated")
        box = canvas.element.getBoundingClientRect()
        assert (box.width, box.height) == (48, 27)
        canvas.scale = 2
        assert style.width == "32px"
        canvas.resize(20, 10)
        assert (canvas.width, canvas.height, style.width) == (20, 10, "40px")
        with Image.new("RGB", (20, 10), (0, 128, 255)) as image:
            canvas.blit(image)
        png = canvas.to_png()
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert int.from_bytes(png[16:20], "big") == 20 and int.from_bytes(png[20:24], "big") == 10
        with pytest.raises(ValueError, match="scale must be at least 1, got 0"):
            canvas.scale = 0
        with pytest.raises(TypeError, match="can only blit an Image, not str"):
            canvas.blit("image")
        with pytest.raises(LookupError, match="no element matches '#missing'"):
            Canvas.attach("#missing")
        with pytest.raises(TypeError, match="Canvas needs a <canvas> element"):
            Canvas.attach("body")
    finally:
        canvas.element.remove()


@run_in_pyodide(packages=["wasmcanvas"])
def test_events_reach_callbacks_in_canvas_pixels(selenium_rust):
    import js
    from pyodide.ffi import to_js
    from wasmcanvas import Canvas, live_proxy_count

    canvas = Canvas.create(100, 50, scale=4)
    canvas.element.style.position = "absolute"
    canvas.element.style.left = "30px"
    canvas.element.style.top = "40px"
    seen = []
    keys = []
    try:
        before = live_proxy_count()
        canvas.on("mousedown", seen.append)
        canvas.on("keydown", keys.append)
        assert live_proxy_count() == before + 2
        box = canvas.element.getBoundingClientRect()

        def mouse(kind, css_x, css_y, **extra):
            init = {"clientX": box.left + css_x, "clientY": box.top + css_y, "bubbles": True, **extra}
            canvas.element.dispatchEvent(js.MouseEvent.new(kind, to_js(init, dict_converter=js.Object.fromEntries)))

        mouse("mousedown", 0, 0)
        mouse("mousedown", 4 * 37 + 2, 4 * 12 + 3, buttons=1, shiftKey=True)
        mouse("mousedown", 399, 199)
        assert [(e.type, e.x, e.y) for e in seen] == [("mousedown", 0, 0), ("mousedown", 37, 12), ("mousedown", 99, 49)]
        assert seen[1].buttons == 1 and seen[1].shift and not seen[1].ctrl
        init = to_js({"key": "ArrowLeft", "bubbles": True}, dict_converter=js.Object.fromEntries)
        canvas.element.dispatchEvent(js.KeyboardEvent.new("keydown", init))
        assert [(e.type, e.key, e.x) for e in keys] == [("keydown", "ArrowLeft", None)]
        assert canvas.element.tabIndex == 0
        canvas.off("mousedown", seen.append)
        mouse("mousedown", 1, 1)
        assert len(seen) == 3
        canvas.close()
        assert live_proxy_count() == before
    finally:
        canvas.element.remove()


@run_in_pyodide(packages=["wasmcanvas"])
def test_a_failing_handler_is_reported_and_the_others_keep_working(selenium_rust):
    import js
    import pytest
    from wasmcanvas import Canvas

    canvas = Canvas.create(10, 10)
    calls = []

    def broken(event):
        raise RuntimeError("handler bug")

    try:
        canvas.on("click", broken)
        canvas.on("click", lambda event: calls.append(event.x))
        canvas.element.dispatchEvent(js.MouseEvent.new("click"))
        canvas.element.dispatchEvent(js.MouseEvent.new("click"))
        assert len(calls) == 2
        report = js.document.getElementById("wasmcanvas-errors")
        assert "RuntimeError: handler bug" in report.textContent
        assert "click handler 'broken'" in report.textContent
        with pytest.raises(ValueError, match="unsupported event type 'scroll'"):
            canvas.on("scroll", print)
        with pytest.raises(TypeError, match="callback must be callable"):
            canvas.on("click", 3)
    finally:
        canvas.close()
        canvas.element.remove()
        report = js.document.getElementById("wasmcanvas-errors")
        if report is not None:
            report.remove()


@run_in_pyodide(packages=["wasmcanvas"])
async def test_listeners_are_keyed_by_the_handler_and_await_coroutines(selenium_rust):
    """One helper behind Canvas.on and the pages: two lambdas are two
    listeners, the same handler added twice is one, bound methods of one
    object count as the same handler, coroutine handlers are awaited and
    their exceptions reported, and clear() releases every proxy."""
    import asyncio

    import js
    from wasmcanvas import Canvas, live_proxy_count
    from wasmcanvas.events import Listeners

    before = live_proxy_count()
    button = js.document.createElement("button")
    button.id = "listener-test"
    js.document.body.append(button)
    canvas = Canvas.create(4, 4)
    calls = []

    class Counter:
        def hit(self, event):
            calls.append("method")

    async def slow(event):
        await asyncio.sleep(0.01)
        calls.append(f"awaited {event.type}")

    async def failing(event):
        await asyncio.sleep(0)
        raise LookupError("async handler bug")

    counter = Counter()
    group = Listeners()
    try:
        group.add(button, "click", lambda event: calls.append("first"))
        group.add("#listener-test", "click", lambda event: calls.append("second"))
        group.add(button, "click", counter.hit)
        group.add(button, "click", counter.hit)
        group.add(button, "click", slow)
        group.add(button, "click", failing)
        assert len(group) == 5
        button.click()
        await asyncio.sleep(0.1)
        assert calls == ["first", "second", "method", "awaited click"]
        report = js.document.getElementById("wasmcanvas-errors")
        assert "LookupError: async handler bug" in report.textContent
        assert "click handler 'failing' on #listener-test" in report.textContent
        group.remove(button, "click", counter.hit)
        calls.clear()
        button.click()
        await asyncio.sleep(0.1)
        assert calls == ["first", "second", "awaited click"]

        canvas.on("click", slow)
        canvas.on("click", slow)
        calls.clear()
        canvas.element.dispatchEvent(js.MouseEvent.new("click"))
        await asyncio.sleep(0.1)
        assert calls == ["awaited click"]
    finally:
        group.clear()
        canvas.close()
        canvas.element.remove()
        button.remove()
        report = js.document.getElementById("wasmcanvas-errors")
        if report is not None:
            report.remove()
    assert len(group) == 0 and live_proxy_count() == before


@run_in_pyodide(packages=["wasmcanvas"])
async def test_300_frames_leave_no_live_proxies(selenium_rust):
    import js
    from wasmcanvas import Canvas, Image, Plasma, animate, live_proxy_count

    def hiwire_keys():
        return js.pyodide._module.hiwire.num_keys()

    canvas = Canvas.create(64, 36)
    frame = Image.new("RGB", (64, 36))
    plasma = Plasma()
    times = []
    baseline_proxies = live_proxy_count()
    baseline_keys = hiwire_keys()

    early_keys = []

    def step(seconds):
        times.append(seconds)
        plasma.render(frame, seconds)
        canvas.blit(frame)
        if len(times) == 10:
            early_keys.append(hiwire_keys())
        if len(times) == 300:
            animation.stop()

    animation = animate(step)
    assert animation.running and live_proxy_count() == baseline_proxies + 1
    await animation.finished
    assert len(times) == 300 and times[0] == 0.0 and times == sorted(times)
    stats = animation.stats
    assert stats.frames == 300 and stats.fps > 0 and 0 <= stats.mean_ms <= stats.worst_ms
    assert not animation.running
    assert live_proxy_count() == baseline_proxies
    # The first frame keeps what later ones reuse (each object's exports,
    # the canvas's ImageData and putImageData, a dozen at most); the other
    # 299 add nothing.
    assert early_keys[0] <= baseline_keys + 12 and hiwire_keys() <= early_keys[0]
    assert canvas.read_pixels(10, 10, 1, 1)[3] == 255
    plasma.close()
    frame.close()
    canvas.element.remove()


@run_in_pyodide(packages=["wasmcanvas"])
async def test_pause_resume_and_fps_cap(selenium_rust):
    import asyncio
    import itertools

    import js
    from wasmcanvas import animate

    async def until(condition, deadline_s=20.0):
        began = js.performance.now()
        while not condition():
            assert js.performance.now() - began < deadline_s * 1000, "condition never met"
            await asyncio.sleep(0.02)

    seen = []
    animation = animate(seen.append, fps=20)
    await until(lambda: len(seen) >= 6)
    animation.pause()
    paused_at = js.performance.now()
    assert animation.paused and not animation.running
    paused_frames = len(seen)
    await asyncio.sleep(1.5)
    assert len(seen) == paused_frames, "a paused animation stepped"
    animation.resume()
    pause_s = (js.performance.now() - paused_at) / 1000
    await until(lambda: len(seen) >= paused_frames + 6)
    animation.stop()
    await animation.finished
    stopped_frames = len(seen)
    gaps = [b - a for a, b in itertools.pairwise(seen)]
    # The clock passed to step skips the pause and never runs backwards.
    across = gaps.pop(paused_frames - 1)
    assert 0 <= across < pause_s, (across, pause_s)
    # The step after the resume: the pause is measured with performance.now()
    # and frames with their (slightly lagging) rAF timestamps, so the clock
    # may have been held at the last value across the pause, which shortens
    # this one gap of the step clock; the cap itself holds on the frames.
    gaps.pop(paused_frames - 1)
    # fps=20 steps no sooner than 50 ms after the last step, less the 2 ms
    # allowed for a frame that comes a little early.
    assert min(gaps) >= 0.048, gaps
    await asyncio.sleep(0.2)
    assert len(seen) == stopped_frames
    animation.stop()


@run_in_pyodide(packages=["wasmcanvas"])
async def test_an_exception_in_step_stops_the_loop_and_is_reported(selenium_rust):
    import js
    import pytest
    from wasmcanvas import animate, live_proxy_count

    before = live_proxy_count()
    frames = []

    def step(seconds):
        frames.append(seconds)
        if len(frames) == 3:
            raise ZeroDivisionError("frame three")

    animation = animate(step)
    with pytest.raises(ZeroDivisionError, match="frame three"):
        await animation.finished
    assert len(frames) == 3 and not animation.running
    assert isinstance(animation.error, ZeroDivisionError)
    assert live_proxy_count() == before
    report = js.document.getElementById("wasmcanvas-errors")
    assert "ZeroDivisionError: frame three" in report.textContent
    assert "animation step 'step'" in report.textContent
    report.remove()
    with pytest.raises(RuntimeError, match="this animation has stopped"):
        animation.start()
    with pytest.raises(ValueError, match=r"fps must be a number in \(0, 1000\], got 0"):
        animate(step, fps=0)
    with pytest.raises(TypeError, match="step must be callable"):
        animate(None)


@run_in_pyodide(packages=["wasmcanvas"])
def test_blit_and_methods_follow_an_image_whose_pixels_were_replaced(selenium_rust):
    from wasmcanvas import Canvas, Image

    canvas = Canvas.create(8, 8)
    image = Image.new("RGB", (8, 8), (10, 20, 30))
    canvas.blit(image)
    old_pixels = image.raw
    # In place: the same Image on new Rust pixels, as thumbnail does; the
    # exports and the blit's ImageData looked up for the old ones are not reused.
    image.thumbnail((4, 4))
    assert image.raw is not old_pixels and image.size == (4, 4)
    image.paste((200, 100, 50), (0, 0, 4, 4))
    canvas.blit(image, 2, 2)
    assert canvas.read_pixels(2, 2, 1, 1) == bytes([200, 100, 50, 255])
    assert canvas.read_pixels(5, 5, 1, 1) == bytes([200, 100, 50, 255])
    assert canvas.read_pixels(7, 7, 1, 1) == bytes([10, 20, 30, 255])
    assert image.getpixel((3, 3)) == (200, 100, 50)
    image.close()
    canvas.element.remove()


@run_in_pyodide(packages=["wasmcanvas"])
def test_blit_keeps_working_after_memory_growth(selenium_rust):
    from wasmcanvas import Canvas, Image, WasmMemory

    canvas = Canvas.create(4, 4)
    image = Image.new("RGB", (4, 4), (10, 20, 30))
    canvas.blit(image)
    assert canvas.read_pixels(0, 0, 1, 1) == bytes([10, 20, 30, 255])
    before = WasmMemory().byte_length
    grown = []
    while WasmMemory().byte_length == before:
        grown.append(Image.new("RGBA", (2048, 2048)))
    image.paste((200, 100, 50), (0, 0, 4, 4))
    canvas.blit(image)
    assert canvas.read_pixels(3, 3, 1, 1) == bytes([200, 100, 50, 255])
    for extra in grown:
        extra.close()
    image.close()
    canvas.element.remove()
