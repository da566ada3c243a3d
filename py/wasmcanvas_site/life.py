"""The Game of Life page: Rust steps the world and renders it; Python runs
the loop, the controls and the drawing with the mouse."""

from __future__ import annotations

from typing import Any

from wasmcanvas import Image
from wasmcanvas.animation import animate
from wasmcanvas.canvas import Canvas, CanvasEvent
from wasmcanvas.simulations import Life

from . import ui

ALIVE = (134, 239, 172, 255)
DEAD = (22, 26, 34, 255)
DISPLAY_WIDTH = 960
READOUT_EVERY = 10


class LifePage:
    """The page's state: the world, its frame, the controls' settings."""

    def __init__(self) -> None:
        self.canvas = Canvas.attach("life-canvas")
        self.playing = False
        self.speed = 1
        self.seed = 1
        self.paint_state: bool | None = None
        self.last_cell: tuple[int, int] | None = None
        self.dirty = True
        width, height = ui.parse_size(ui.element("life-size").value)
        self.world = Life(width, height)
        self.frame = Image.new("RGBA", (width, height))
        self.resize(width, height)

    def resize(self, width: int, height: int) -> None:
        """A new random world of ``width`` x ``height`` cells."""
        self.world.close()
        self.frame.close()
        self.world = Life(width, height)
        self.world.set_colours(ALIVE, DEAD)
        self.world.randomize(self.seed, 0.25)
        self.frame = Image.new("RGBA", (width, height))
        self.canvas.resize(width, height)
        self.canvas.scale = max(1, DISPLAY_WIDTH // width)
        self.dirty = True

    def step(self, seconds: float) -> None:
        if self.playing:
            self.world.tick(self.speed)
            self.dirty = True
        if self.dirty:
            self.world.render(self.frame)
            self.canvas.blit(self.frame)
            self.dirty = False
        if animation.stats.frames % READOUT_EVERY == 0:
            self.show_readout()

    def show_readout(self) -> None:
        ui.set_text("life-fps", f"{animation.stats.fps:.0f} fps")
        ui.set_text("life-generation", f"{self.world.generation}")
        ui.set_text("life-population", f"{self.world.population}")

    # ---- controls

    def toggle_play(self, _event: Any = None) -> None:
        self.playing = not self.playing
        ui.set_text("life-play", "Pause" if self.playing else "Play")

    def single_step(self, _event: Any = None) -> None:
        self.world.tick(1)
        self.dirty = True
        self.show_readout()

    def randomize(self, _event: Any = None) -> None:
        self.seed += 1
        self.world.randomize(self.seed, 0.25)
        self.dirty = True
        self.show_readout()

    def clear(self, _event: Any = None) -> None:
        self.world.clear()
        self.dirty = True
        self.show_readout()

    def set_speed(self, _event: Any = None) -> None:
        self.speed = int(ui.element("life-speed").value)
        ui.set_text("life-speed-value", str(self.speed))

    def set_size(self, _event: Any = None) -> None:
        self.resize(*ui.parse_size(ui.element("life-size").value))
        self.show_readout()

    # ---- drawing with the mouse

    def _cell(self, event: CanvasEvent) -> tuple[int, int] | None:
        """The cell under a pointer event, or None outside the world."""
        if event.x is None or event.y is None:
            return None
        if 0 <= event.x < self.world.width and 0 <= event.y < self.world.height:
            return (event.x, event.y)
        return None

    def press(self, event: CanvasEvent) -> None:
        cell = self._cell(event)
        if cell is None:
            return
        self.paint_state = self.world.toggle(*cell)
        self.last_cell = cell
        self.dirty = True
        self.show_readout()

    def drag(self, event: CanvasEvent) -> None:
        cell = self._cell(event)
        if self.paint_state is None or not event.buttons or cell is None:
            return
        # Fill the gap a fast drag leaves between two events.
        (x0, y0), (x1, y1) = self.last_cell or cell, cell
        steps = max(abs(x1 - x0), abs(y1 - y0), 1)
        for i in range(1, steps + 1):
            self.world.set(x0 + (x1 - x0) * i // steps, y0 + (y1 - y0) * i // steps, self.paint_state)
        self.last_cell = cell
        self.dirty = True

    def release(self, _event: CanvasEvent) -> None:
        self.paint_state = None
        self.last_cell = None


page: LifePage
animation: Any


def main() -> LifePage:
    global page, animation
    ui.forget_listeners()
    if "page" in globals():
        animation.stop()
        page.canvas.close()
    page = LifePage()
    ui.listen("life-play", "click", page.toggle_play)
    ui.listen("life-step", "click", page.single_step)
    ui.listen("life-random", "click", page.randomize)
    ui.listen("life-clear", "click", page.clear)
    ui.listen("life-speed", "input", page.set_speed)
    ui.listen("life-size", "change", page.set_size)
    page.canvas.on("pointerdown", page.press)
    page.canvas.on("pointermove", page.drag)
    page.canvas.on("pointerup", page.release)
    animation = animate(page.step)
    page.show_readout()
    return page
