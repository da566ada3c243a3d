"""Soak: a long 1920x1080 animation (a Game of Life generation stepped and
rendered in Rust, then blitted, driven by animate) must leave wasm memory, the
JS heap and Pyodide's live proxies flat after warm-up; its frame time at the
start and the end is printed (speed is the bench's business, not a test's).

Frames: WASMCANVAS_SOAK_FRAMES (default 600, about 11 s here: 450 frames after
warm-up, each of which would leave a frame's worth of any per-frame leak; the
long run is WASMCANVAS_SOAK_FRAMES=10000 ./build.sh test -k soak)."""

import json
import os
import time

FRAMES = int(os.environ.get("WASMCANVAS_SOAK_FRAMES", "600"))
WARM_UP = 150
# Stated tolerances: wasm memory must not grow at all; the JS heap may grow
# by 8 MiB (allocator noise, the WebLoop's own objects) between two forced
# collections; Pyodide's live proxies may differ by 2.
HEAP_TOLERANCE = 8 * 1024 * 1024

SOAK = """
import json
import js
from wasmcanvas import Canvas, Image, Life, animate, live_proxy_count, wasm_memory

async def soak(frames, warm_up):
    canvas = Canvas.create(1920, 1080)
    frame = Image.new("RGB", (1920, 1080))
    world = Life(1920, 1080)
    world.randomize(7, 0.3)
    step_ms = []
    samples = {}

    def measure():
        js.gc()
        return {
            "wasm": wasm_memory().byte_length,
            "heap": js.performance.memory.usedJSHeapSize,
            "proxies": js.pyodide._module.hiwire.num_keys(),
            "ours": live_proxy_count(),
        }

    def step(seconds):
        began = js.performance.now()
        world.tick(1)
        world.render(frame)
        canvas.blit(frame)
        step_ms.append(js.performance.now() - began)
        if len(step_ms) == warm_up:
            samples["after_warm_up"] = measure()
        if len(step_ms) == frames:
            animation.stop()

    samples["proxies_before"] = live_proxy_count()
    animation = animate(step)
    await animation.finished
    samples["end"] = measure()
    world.close()
    frame.close()
    canvas.element.remove()
    return json.dumps({"samples": samples, "step_ms": step_ms})
"""


# A page of its own: the heap and wasm memory it measures must be the soak's
# alone, not what other modules left in a shared page.
def test_long_animation_keeps_memory_proxies_and_frame_time_flat(selenium_rust_standalone):
    selenium = selenium_rust_standalone
    selenium.load_package(["wasmcanvas"])
    selenium.run(SOAK)
    # One long WebDriver call would outlast Selenium's HTTP timeout: start the
    # soak, then poll for its result.
    selenium.run_js(
        f"self.soakResult = null; pyodide.runPythonAsync('await soak({FRAMES}, {WARM_UP})')"
        ".then((r) => (self.soakResult = r), (e) => (self.soakResult = 'error: ' + e));"
    )
    deadline = time.monotonic() + FRAMES * 0.2 + 60
    result = None
    while time.monotonic() < deadline:
        result = selenium.run_js("return self.soakResult;")
        if result:
            break
        time.sleep(2)
    assert result and not result.startswith("error"), result
    outcome = json.loads(result)
    start, end, step_ms = outcome["samples"]["after_warm_up"], outcome["samples"]["end"], outcome["step_ms"]
    assert len(step_ms) == FRAMES
    assert end["wasm"] == start["wasm"], "wasm memory grew during the animation"
    # Growth is the leak; the heap may end lower when the page's own start-up
    # garbage is collected during the run (seen when this test runs first).
    assert end["heap"] - start["heap"] <= HEAP_TOLERANCE, (start["heap"], end["heap"])
    assert abs(end["proxies"] - start["proxies"]) <= 2, (start["proxies"], end["proxies"])
    assert start["ours"] == outcome["samples"]["proxies_before"] + 1  # the running loop's one proxy
    assert end["ours"] == outcome["samples"]["proxies_before"]
    # Frame time is reported, not asserted: speed belongs to ./build.sh bench.
    measured = step_ms[WARM_UP:]
    fifth = max(len(measured) // 5, 1)
    first, last = sum(measured[:fifth]) / fifth, sum(measured[-fifth:]) / fifth
    print(f"soak: {FRAMES} frames, step {first:.1f} -> {last:.1f} ms, heap {start['heap']} -> {end['heap']} bytes")
