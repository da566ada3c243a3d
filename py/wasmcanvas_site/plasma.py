"""The plasma page: ``animate`` from Python, the rendering in Rust."""

from __future__ import annotations

from typing import Any

from wasmcanvas import Image
from wasmcanvas.animation import Animation, animate
from wasmcanvas.canvas import Canvas
from wasmcanvas.simulations import Plasma

from . import ui

READOUT_EVERY = 15
DISPLAY_WIDTH = 960


class PlasmaPage:
    def __init__(self) -> None:
        self.canvas = Canvas.attach("plasma-canvas")
        self.renderer = Plasma()
        width, height = ui.parse_size(ui.element("plasma-size").value)
        self.frame = Image.new("RGBA", (width, height))
        self.resize(width, height)
        self.animation: Animation = animate(self.step)

    def resize(self, width: int, height: int) -> None:
        if self.frame.size != (width, height):
            self.frame.close()
            self.frame = Image.new("RGBA", (width, height))
        self.canvas.resize(width, height)
        self.canvas.scale = max(1, DISPLAY_WIDTH // width)

    def step(self, seconds: float) -> None:
        self.renderer.render(self.frame, seconds)
        self.canvas.blit(self.frame)
        stats = self.animation.stats
        if stats.frames % READOUT_EVERY == 0:
            ui.set_text("plasma-frame-time", f"{stats.mean_ms:.1f} ms mean, {stats.worst_ms:.1f} ms worst")
            ui.set_text("plasma-fps", f"{stats.fps:.0f} fps")

    def toggle_pause(self, _event: Any = None) -> None:
        if self.animation.paused:
            self.animation.resume()
            ui.set_text("plasma-pause", "Pause")
        else:
            self.animation.pause()
            ui.set_text("plasma-pause", "Play")

    def set_size(self, _event: Any = None) -> None:
        self.resize(*ui.parse_size(ui.element("plasma-size").value))


page: PlasmaPage


def main() -> PlasmaPage:
    global page
    ui.forget_listeners()
    if "page" in globals():
        page.animation.stop()
    page = PlasmaPage()
    ui.listen("plasma-pause", "click", page.toggle_pause)
    ui.listen("plasma-size", "change", page.set_size)
    return page
