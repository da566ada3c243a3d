# PyScript's main thread: open a picture, blur it and show it on a canvas,
# then hand a second canvas to the worker (worker.py) to draw on.
from pyodide.ffi import create_proxy, to_js
from pyscript import document

from wasmcanvas import Canvas, Image, ImageFilter

blurred = Image.open("photo.png").filter(ImageFilter.GaussianBlur(2))
canvas = Canvas.attach("main-canvas")
canvas.resize(blurred.width, blurred.height)
canvas.blit(blurred)

# A worker has no document, but it can draw on an OffscreenCanvas that the
# page transfers to it (no cross-origin isolation needed for that).
offscreen = document.getElementById("worker-canvas").transferControlToOffscreen()
worker = document.getElementById("painter").xworker
await worker.ready  # noqa: F704 (PyScript runs this file as async code)


def on_worker_message(event):
    # The worker says when it has drawn: the page is done.
    document.body.dataset.status = "ready" if event.data == "drawn" else "error"


worker.onmessage = create_proxy(on_worker_message)
worker.postMessage(offscreen, to_js([offscreen]))
