"""Canvas and animate wherever Python runs: a Canvas over an OffscreenCanvas
draws, reads back and encodes in the page and in a dedicated worker exactly
as a page's canvas does; in Node, which has neither, every way to make a
Canvas raises NoDocumentError. animate() steps on animation frames where
the host has them (page, Chromium's workers) and on a timer in Node. Core
tests: they run in all three hosts."""

from __future__ import annotations

from pytest_pyodide import run_in_pyodide


def host_of(selenium, request) -> str:
    """ "page", "worker" or "node": where the core tests run this time."""
    if selenium.browser == "node":
        return "node"
    return request.config.getoption("--rust-host")


@run_in_pyodide(packages=["wasmcanvas"])
def offscreen_canvas_checks(selenium, host):
    import js
    import pytest
    from wasmcanvas import Canvas, Image, NoDocumentError

    canvas = Canvas.offscreen(6, 4)
    assert canvas.is_offscreen and (canvas.width, canvas.height) == (6, 4)
    assert repr(canvas) == "<wasmcanvas.OffscreenCanvas 6x4>"
    assert canvas.read_pixels() == bytes(6 * 4 * 4)

    with Image.new("RGBA", (4, 3), (10, 20, 30)) as image:
        image.putpixel((3, 2), (255, 0, 0))
        image.putpixel((0, 1), (0, 0, 255, 255))
        canvas.blit(image, 2, 1)
        assert canvas.read_pixels(2, 1, 4, 3) == image.tobytes()
    assert canvas.read_pixels(0, 0, 2, 1) == bytes(8)

    canvas.fill_rect(0, 0, 1, 1, "#ff8000")
    assert canvas.read_pixels(0, 0, 1, 1) == bytes([255, 128, 0, 255])
    with Image.new("RGB", (2, 1), (0, 255, 0)) as tiny:
        tiny.putpixel((1, 0), (9, 9, 9))
        canvas.draw_pixels(tiny, size=2, x=0, y=2)
    assert canvas.read_pixels(0, 2, 4, 1) == bytes([0, 255, 0, 255] * 2 + [9, 9, 9, 255] * 2)

    # to_png is the canvas's pixels, whatever kind of canvas.
    png = canvas.to_png()
    with Image.open(png) as decoded:
        assert decoded.size == (6, 4) and decoded.convert("RGBA").tobytes() == canvas.read_pixels()

    canvas.scale = 3
    assert canvas.scale == 3
    canvas.resize(8, 5)
    assert (canvas.width, canvas.height) == (8, 5) and canvas.read_pixels() == bytes(8 * 5 * 4)
    canvas.clear("#102030")
    assert canvas.read_pixels(7, 4, 1, 1) == bytes([16, 32, 48, 255])

    for use, name in (
        (lambda: canvas.on("click", print), "Canvas.on"),
        (lambda: canvas.to_canvas_coordinates(1, 1), "to_canvas_coordinates"),
    ):
        with pytest.raises(
            TypeError, match=f"^{name} needs the <canvas> element on the page; an OffscreenCanvas has no events"
        ):
            use()

    native = js.OffscreenCanvas.new(3, 2)
    assert Canvas(native).width == 3 and Canvas.attach(native).height == 2
    taken = js.OffscreenCanvas.new(2, 2)
    taken.getContext("bitmaprenderer")
    with pytest.raises(ValueError, match="already has a context other than 2d"):
        Canvas(taken)
    for bad in (js.Object.new(), None, 5):
        with pytest.raises(TypeError, match="Canvas needs a <canvas> element or an OffscreenCanvas"):
            Canvas(bad)
    with pytest.raises(ValueError, match="width must be at least 1, got 0"):
        Canvas.offscreen(0, 3)

    if host == "worker":
        with pytest.raises(NoDocumentError, match=r"Canvas\.create needs a web page's document"):
            Canvas.create(4, 4)
        # A notebook's kernel is such a worker: the error names what to do instead.
        for target in ("#art", "art"):
            with pytest.raises(NoDocumentError) as raised:
                Canvas.attach(target)
            assert str(raised.value) == (
                f"Canvas.attach({target!r}) looks for a <canvas> on a web page, and there is no page here "
                "(a Web Worker, such as a notebook's kernel): draw on Canvas.offscreen(width, height) instead "
                "and show the frame (an Image returned as a cell's value, or the picture canvas.to_png() gives), "
                "or attach an OffscreenCanvas the page transferred to this worker"
            )
    else:
        # A page's canvas encodes to the same file as an offscreen one with
        # the same pixels.
        element = Canvas.create(8, 5)
        try:
            element.clear("#102030")
            assert element.to_png() == canvas.to_png()
        finally:
            element.element.remove()


@run_in_pyodide(packages=["wasmcanvas"])
def node_has_no_canvas(selenium):
    import pytest
    from wasmcanvas import Canvas, NoDocumentError

    message = r"needs a web page's <canvas> or an OffscreenCanvas, and there is neither here \(Node\)"
    for use, feature in (
        (lambda: Canvas.offscreen(4, 4), "Canvas.offscreen"),
        (lambda: Canvas.attach("#art"), "Canvas.attach"),
        (lambda: Canvas(None), "Canvas"),
    ):
        with pytest.raises(NoDocumentError, match=f"^{feature} {message}"):
            use()


def test_canvas_on_an_offscreen_canvas(selenium_rust_module_scope, request):
    selenium = selenium_rust_module_scope
    host = host_of(selenium, request)
    if host == "node":
        node_has_no_canvas(selenium)
    else:
        offscreen_canvas_checks(selenium, host)


@run_in_pyodide(packages=["wasmcanvas"])
async def animation_checks(selenium, driver):
    import asyncio
    import itertools

    import pytest
    import wasmcanvas
    from wasmcanvas import animate

    times = []
    animation = animate(times.append)
    assert animation.driver == driver
    await asyncio.sleep(0.5)
    animation.pause()
    paused_at = len(times)
    await asyncio.sleep(0.4)
    assert len(times) == paused_at
    animation.resume()
    await asyncio.sleep(0.2)
    animation.stop()
    await animation.finished
    assert paused_at >= 5 and len(times) > paused_at, times
    assert times == sorted(times) and times[0] == 0.0
    # The pause is not counted in the clock passed to step.
    assert times[-1] < 0.9, times
    assert animation.stats.frames == len(times)

    capped = []
    animation = animate(capped.append, fps=20)
    await asyncio.sleep(0.6)
    animation.stop()
    gaps = [b - a for a, b in itertools.pairwise(capped)]
    assert len(gaps) >= 3 and min(gaps) >= 0.05 - 0.0025, capped

    def failing(seconds):
        if len(calls) == 2:
            raise ArithmeticError("step failed on purpose")
        calls.append(seconds)

    calls = []
    animation = animate(failing)
    with pytest.raises(ArithmeticError, match="step failed on purpose"):
        await asyncio.wait_for(animation.finished, 5)
    assert len(calls) == 2 and not animation.running
    assert wasmcanvas.live_proxy_count() == 0


def test_animate_steps_on_frames_or_a_timer(selenium_rust_module_scope, request):
    selenium = selenium_rust_module_scope
    driver = "setTimeout" if host_of(selenium, request) == "node" else "requestAnimationFrame"
    animation_checks(selenium, driver)
