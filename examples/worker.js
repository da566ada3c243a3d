// A module worker: Pyodide, micropip and the wasmcanvas wheel, then Python
// animates the canvas the page transferred (worker.html).
import { loadPyodide } from "../pyodide.mjs";

const wheel = new URL("../wasmcanvas-0.1.0-py3-none-any.whl", import.meta.url).href;

self.onmessage = async ({ data: { canvas } }) => {
  try {
    const pyodide = await loadPyodide();
    await pyodide.loadPackage("micropip");
    await pyodide.pyimport("micropip").install(wheel);
    // Python reaches these as `from page import canvas, post`.
    const post = (status, frames, message) => self.postMessage({ status, frames, message });
    pyodide.registerJsModule("page", { canvas, post });
    await pyodide.runPythonAsync(`
import math
from page import canvas, post
from wasmcanvas import Canvas, Image, ImageDraw, ImageFilter, animate

screen = Canvas(canvas)                     # the page's <canvas>, drawn from here
frame = Image.new("RGB", (screen.width, screen.height))
draw = ImageDraw.Draw(frame)
soften = ImageFilter.BoxBlur(2)
frames = 0

def step(seconds):
    global frames
    frame.inplace.fill("#1d2330")           # im.inplace: no new image a frame
    x, y = 160 + int(110 * math.cos(seconds * 2)), 100 + int(60 * math.sin(seconds * 3))
    draw.ellipse((x - 28, y - 28, x + 28, y + 28), fill="#ff6a00")
    frame.inplace.filter(soften)            # in Rust, in place
    screen.blit(frame)                      # straight from wasm memory
    frames += 1
    if frames % 30 == 1:
        post("ready", frames, f"Drawn by Python in a worker ({animation.driver}): {frames} frames")

animation = animate(step)
`);
  } catch (error) {
    self.postMessage({ status: "error", message: String(error) });
  }
};
