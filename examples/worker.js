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
from wasmcanvas import Canvas, Image, animate

screen = Canvas(canvas)                     # the page's <canvas>, drawn from here
frame = Image(screen.width, screen.height)
frames = 0

def step(seconds):
    global frames
    frame.fill("#1d2330")
    centre = (160 + int(110 * math.cos(seconds * 2)), 100 + int(60 * math.sin(seconds * 3)))
    frame.draw_circle(centre, 28, "#ff6a00")
    frame.box_blur(2)                       # in Rust, in place
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
