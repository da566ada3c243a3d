# A PyScript worker: draw on the OffscreenCanvas the page sends (main.py).
from polyscript import xworker

from wasmcanvas import Canvas, Image, ImageFilter


def draw(event):
    canvas = Canvas.attach(event.data)
    blurred = Image.open("photo.png").filter(ImageFilter.GaussianBlur(2))
    canvas.resize(blurred.width, blurred.height)
    canvas.blit(blurred)
    xworker.postMessage("drawn")


xworker.onmessage = draw
