"""The REPL page: ``pyodide.console`` behind an xterm.js terminal, beside a
canvas, with wasmcanvas, its Pillow modules, ``canvas`` and an image ``img``
ready.

Line editing, history (kept in localStorage across reloads), tab completion,
multiline input and the output cap are handled here in Python; xterm.js only
draws characters and reports keys.
"""

from __future__ import annotations

import asyncio
import base64
import json
import sys
from collections.abc import Awaitable, Callable
from functools import partial
from typing import Any

import js
import wasmcanvas
import xterm
import xterm_fit
from pyodide.console import PyodideConsole, repr_shorten
from pyodide.ffi import to_js
from wasmcanvas import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont, ImageOps
from wasmcanvas.canvas import Canvas
from wasmcanvas.module import on_reload
from wasmcanvas.proxies import make_proxy

from . import samples, ui

PROMPT, CONTINUATION = ">>> ", "... "
HISTORY_KEY = "wasmcanvas-repl-history"
HISTORY_LIMIT = 500
OUTPUT_LIMIT = 50_000
CANVAS_SIZE = (480, 300)
RED, DIM, RESET = "\x1b[31m", "\x1b[2m", "\x1b[0m"

EXAMPLES: list[tuple[str, str]] = [
    ("blur", "img = img.filter(ImageFilter.GaussianBlur(4)); canvas.blit(img)"),
    ("grayscale half", "img.paste(ImageOps.grayscale(img.crop((0, 0, 240, 300)))); canvas.blit(img)"),
    (
        "rings",
        "draw = ImageDraw.Draw(img)\nfor r in range(20, 150, 20):\n"
        "    draw.ellipse((240 - r, 150 - r, 240 + r, 150 + r), outline='white')\n\ncanvas.blit(img)",
    ),
    ("thumbnail", "img.resize((160, 100), Image.Resampling.LANCZOS).rotate(15, expand=True)"),
    ("in place", "img.inplace.filter(ImageFilter.SHARPEN); canvas.blit(img)"),
    ("a pixel", "img.getpixel((100, 50))"),
    ("histogram", "h = img.histogram(); max(range(256), key=lambda v: h[v])"),
    (
        "plasma loop",
        "plasma = wasmcanvas.Plasma()\nanim = animate(lambda t: (plasma.render(img, t), canvas.blit(img)))",
    ),
    ("stop loop", "anim.stop(); anim.stats"),
    (
        "caption",
        "await wasmcanvas.load_codecs()  # fonts and files live in the codecs module\n"
        "ImageDraw.Draw(img).text((240, 285), 'Made in the browser', font=ImageFont.load_default(30),\n"
        "    fill='white', anchor='ms', stroke_width=2, stroke_fill='black')\n\ncanvas.blit(img)",
    ),
    (
        "GIF",
        "import io\nawait wasmcanvas.load_codecs()\n"
        "frames = [img.rotate(angle) for angle in range(0, 360, 30)]\ngif = io.BytesIO()\n"
        "frames[0].save(gif, 'GIF', save_all=True, append_images=frames[1:], duration=80, loop=0)\n"
        "Image.open(gif).n_frames, f'{gif.tell():,} bytes'",
    ),
    ("fresh image", "img.close(); img = samples.sunset(480, 300); canvas.blit(img)"),
]


def _js_object(values: dict[str, Any]) -> Any:
    return to_js(values, dict_converter=js.Object.fromEntries)


def load_history() -> list[str]:
    try:
        stored = json.loads(js.localStorage.getItem(HISTORY_KEY) or "[]")
    except ValueError:
        return []
    return [line for line in stored if isinstance(line, str)][-HISTORY_LIMIT:]


def save_history(history: list[str]) -> None:
    js.localStorage.setItem(HISTORY_KEY, json.dumps(history[-HISTORY_LIMIT:]))


class LineEditor:
    """One input line with a cursor, history and completion, drawn on the
    terminal with ANSI escapes."""

    def __init__(
        self, terminal: Any, submit: Callable[[str], Awaitable[None]], complete: Callable[[str], tuple[list[str], int]]
    ) -> None:
        self.terminal = terminal
        self.submit = submit
        self.complete = complete
        self.prompt = PROMPT
        self.buffer = ""
        self.cursor = 0
        self.history = load_history()
        self.history_index = len(self.history)
        self.busy = False

    def redraw(self) -> None:
        back = len(self.buffer) - self.cursor
        self.terminal.write("\r\x1b[K" + self.prompt + self.buffer + (f"\x1b[{back}D" if back else ""))

    def set_line(self, text: str) -> None:
        self.buffer, self.cursor = text, len(text)
        self.redraw()

    def remember(self, line: str) -> None:
        if line.strip() and (not self.history or self.history[-1] != line):
            self.history.append(line)
            save_history(self.history)
        self.history_index = len(self.history)

    async def feed(self, data: str) -> None:
        """Handle what the terminal reports: keys, escape sequences, pastes."""
        if self.busy:
            return
        keys = {
            "\x1b[A": self.older,
            "\x1b[B": self.newer,
            "\x1b[C": lambda: self.move(1),
            "\x1b[D": lambda: self.move(-1),
            "\x1b[H": lambda: self.move(-len(self.buffer)),
            "\x1b[F": lambda: self.move(len(self.buffer)),
            "\x7f": self.backspace,
            "\x1b[3~": self.delete,
            "\x03": self.cancel,
            "\t": self.tab,
        }
        if data in keys:
            keys[data]()
            return
        if data.startswith("\x1b"):
            return
        lines = data.replace("\r\n", "\r").replace("\n", "\r").split("\r")
        for index, text in enumerate(lines):
            self.insert("".join(c for c in text if c >= " "))
            if index < len(lines) - 1:
                await self.enter()

    async def enter(self) -> None:
        line = self.buffer
        self.buffer, self.cursor = "", 0
        self.terminal.write("\r\n")
        self.remember(line)
        await self.submit(line)

    def insert(self, text: str) -> None:
        if text:
            self.buffer = self.buffer[: self.cursor] + text + self.buffer[self.cursor :]
            self.cursor += len(text)
            self.redraw()

    def move(self, by: int) -> None:
        self.cursor = max(0, min(len(self.buffer), self.cursor + by))
        self.redraw()

    def backspace(self) -> None:
        if self.cursor:
            self.buffer = self.buffer[: self.cursor - 1] + self.buffer[self.cursor :]
            self.cursor -= 1
            self.redraw()

    def delete(self) -> None:
        self.buffer = self.buffer[: self.cursor] + self.buffer[self.cursor + 1 :]
        self.redraw()

    def cancel(self) -> None:
        self.terminal.write("^C\r\n")
        self.buffer, self.cursor = "", 0
        self.redraw()

    def older(self) -> None:
        if self.history_index > 0:
            self.history_index -= 1
            self.set_line(self.history[self.history_index])

    def newer(self) -> None:
        if self.history_index < len(self.history):
            self.history_index += 1
            self.set_line(self.history[self.history_index] if self.history_index < len(self.history) else "")

    def tab(self) -> None:
        before = self.buffer[: self.cursor]
        if not before.strip():
            self.insert("    ")
            return
        completions, start = self.complete(before)
        if not completions:
            return
        common = completions[0]
        for word in completions[1:]:
            while not word.startswith(common):
                common = common[:-1]
        if len(completions) > 1 and len(common) <= self.cursor - start:
            self.terminal.write("\r\n" + "  ".join(completions[:200]) + "\r\n")
            self.redraw()
            return
        self.buffer = self.buffer[:start] + common + self.buffer[self.cursor :]
        self.cursor = start + len(common)
        self.redraw()


class ReplPage:
    def __init__(self) -> None:
        self.canvas = Canvas.attach("repl-canvas")
        self.canvas.resize(*CANVAS_SIZE)
        image = samples.sunset(*CANVAS_SIZE)
        self.canvas.blit(image)
        self.namespace: dict[str, Any] = {
            "__name__": "__main__",
            "js": js,
            "wasmcanvas": wasmcanvas,
            "samples": samples,
            "Image": Image,
            "ImageDraw": ImageDraw,
            "ImageEnhance": ImageEnhance,
            "ImageFilter": ImageFilter,
            "ImageFont": ImageFont,
            "ImageOps": ImageOps,
            "Canvas": Canvas,
            "animate": wasmcanvas.animate,
            "WasmMemory": wasmcanvas.WasmMemory,
            "canvas": self.canvas,
            "img": image,
        }
        self.written = 0
        self.cut = 0
        self.console = PyodideConsole(
            self.namespace, stdout_callback=self.write_output, stderr_callback=self.write_output, filename="<repl>"
        )
        self.terminal = xterm.Terminal.new(
            _js_object(
                {
                    "convertEol": True,
                    "cursorBlink": True,
                    "fontSize": 14,
                    "lineHeight": 1.2,
                    "scrollback": 2000,
                    "theme": _js_object({"background": "#0f131a"}),
                }
            )
        )
        fit = xterm_fit.FitAddon.new()
        self.terminal.loadAddon(fit)
        self.terminal.open(ui.element("repl-terminal"))
        fit.fit()
        ui.listen(js.window, "resize", lambda _event: fit.fit())
        self.editor = LineEditor(self.terminal, self.run_line, self.console.complete)
        self.terminal.onData(make_proxy(self.on_data))
        version = ".".join(map(str, sys.version_info[:3]))
        self.terminal.write(
            f"Python {version} on Pyodide, with wasmcanvas {wasmcanvas.__version__}.\r\n"
            f"{DIM}Ready: Image, ImageDraw, ImageEnhance, ImageFilter, ImageOps, Canvas, animate, "
            f"wasmcanvas, samples, canvas and img (an RGB image). An Image returned is shown as a picture.{RESET}\r\n"
        )
        self.editor.redraw()
        self.terminal.focus()
        on_reload(self.module_reloaded)

    def module_reloaded(self) -> None:
        """Keep the session; give it a fresh image."""
        image = samples.sunset(*CANVAS_SIZE)
        self.namespace.update(img=image)
        self.canvas.blit(image)
        self.terminal.write(
            f"\r\n{DIM}The Rust module was reloaded: img is new (older images are gone); "
            f"your other names are kept.{RESET}\r\n"
        )
        self.editor.redraw()

    def on_data(self, data: str) -> None:
        task = asyncio.ensure_future(self.editor.feed(data))
        task.add_done_callback(self._report)

    def _report(self, task: asyncio.Future[None]) -> None:
        error = None if task.cancelled() else task.exception()
        if error is not None:
            from wasmcanvas.report import report_error

            report_error(error, "the REPL")

    def write_output(self, text: str) -> None:
        """stdout and stderr of the running statement, capped so that a huge
        print cannot freeze the page."""
        room = OUTPUT_LIMIT - self.written
        if room <= 0:
            self.cut += len(text)
            return
        self.terminal.write(text[:room])
        self.written += min(len(text), room)
        self.cut += max(len(text) - room, 0)

    def set_busy(self, busy: bool) -> None:
        self.editor.busy = busy
        ui.element("repl-busy").hidden = not busy
        js.document.body.dataset.busy = "true" if busy else "false"

    async def run_line(self, line: str) -> None:
        future = self.console.push(line)
        if future.syntax_check == "incomplete":
            self.editor.prompt = CONTINUATION
            self.editor.redraw()
            return
        self.editor.prompt = PROMPT
        self.written = self.cut = 0
        self.set_busy(True)
        await asyncio.sleep(0.01)
        try:
            result = await future
            if result is not None:
                self.write_output(repr_shorten(result, limit=2000) + "\n")
                await self.show_picture(result)
        except BaseException as error:
            self.terminal.write(RED + self.console.formattraceback(error) + RESET)
        finally:
            if self.cut:
                self.terminal.write(
                    f"{DIM}… output cut after {OUTPUT_LIMIT:,} characters ({self.cut:,} more){RESET}\r\n"
                )
            self.set_busy(False)
            self.editor.redraw()

    async def show_picture(self, result: object) -> None:
        """Show a result that has ``_repr_png_`` (an Image: the hook Jupyter
        front ends use too) as a picture beside the console."""
        to_png = getattr(result, "_repr_png_", None)
        if not callable(to_png):
            return
        try:
            # The page's Content-Security-Policy lets the codecs load only
            # through the page's loader, which is asynchronous.
            await wasmcanvas.load_codecs()
            # A large image gives no PNG (Image.REPR_MAX_PIXELS): its JPEG preview instead.
            shown, kind = to_png(), "png"
            if shown is None and callable(to_jpeg := getattr(result, "_repr_jpeg_", None)):
                shown, kind = to_jpeg(), "jpeg"
        except Exception as error:
            self.write_output(f"(cannot show it: {error})\n")
            return
        if shown is None:
            return
        picture = ui.element("repl-picture")
        picture.src = f"data:image/{kind};base64," + base64.b64encode(shown).decode("ascii")
        picture.alt = repr_shorten(result, limit=200)
        ui.element("repl-result").hidden = False

    async def run_example(self, code: str) -> None:
        if self.editor.busy:
            return
        for line in code.split("\n"):
            self.editor.set_line(line)
            await self.editor.enter()
        self.terminal.focus()


page: ReplPage


async def _run_example(code: str, _event: Any) -> None:
    await page.run_example(code)


def main() -> ReplPage:
    global page
    ui.forget_listeners()
    page = ReplPage()
    js.document.body.dataset.busy = "false"
    holder = ui.element("repl-examples")
    for label, code in EXAMPLES:
        button = js.document.createElement("button")
        button.type = "button"
        button.textContent = label
        button.title = code
        holder.append(button)
        ui.listen(button, "click", partial(_run_example, code))
    return page
