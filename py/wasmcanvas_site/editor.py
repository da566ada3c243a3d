"""The image editor: open a picture, apply Rust kernels, put text on it and
drag it into place, undo, compare, download it as a PNG or the edits as an
animated GIF. The browser decodes files (turning them upright as their EXIF
orientation says); the pixels then live in wasm memory. Untrusted input (a
file's bytes, its name) is only ever shown as text."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

import js
from pyodide.ffi import JsException, to_js
from wasmcanvas import ImageColor, ImageDraw, ImageFilter, ImageFont, ImageOps
from wasmcanvas.canvas import Canvas, CanvasEvent
from wasmcanvas.ExifTags import Base
from wasmcanvas.Image import Exif, Image, Resampling, Transpose, from_image_data, size_limits
from wasmcanvas.loader import load_codecs

from . import ui
from .samples import SAMPLES
from .sniff import HEADER_BYTES, jpeg_exif, picture_size

DISPLAY_WIDTH = 960
MAX_UNDO_STEPS = 10
MAX_UNDO_BYTES = 384 * 1024 * 1024
GIF_BOX = (480, 480)
GIF_FRAME_MS = 700
GIF_BACKGROUND = (22, 26, 34)
TEXT_SIZES = range(8, 401)


@dataclass(frozen=True)
class Slider:
    minimum: float
    maximum: float
    step: float
    default: float
    label: str


@dataclass(frozen=True)
class Operation:
    label: str
    run: Callable[[Image, float], None]
    slider: Slider | None = None


def _filter(make: Callable[[float], Any]) -> Callable[[Image, float], None]:
    """An operation running an ``ImageFilter`` made from the slider's value
    in place (an opaque picture is "RGB", so filters leave its alpha alone)."""
    return lambda image, amount: image.inplace.filter(make(amount))


def _halve(image: Image, _amount: float) -> None:
    image.inplace.resize((max(image.width // 2, 1), max(image.height // 2, 1)), Resampling.BILINEAR)


OPERATIONS: dict[str, Operation] = {
    "blur": Operation("Gaussian blur", _filter(ImageFilter.GaussianBlur), Slider(0.5, 40, 0.5, 4, "Radius")),
    "box_blur": Operation("Box blur", _filter(ImageFilter.BoxBlur), Slider(1, 40, 1, 3, "Radius")),
    "sharpen": Operation("Sharpen", _filter(lambda _: ImageFilter.SHARPEN)),
    "edge_detect": Operation("Find edges", _filter(lambda _: ImageFilter.FIND_EDGES)),
    "emboss": Operation("Emboss", _filter(lambda _: ImageFilter.EMBOSS)),
    "smooth": Operation("Smooth (5x5)", _filter(lambda _: ImageFilter.SMOOTH_MORE)),
    "detail": Operation("Detail", _filter(lambda _: ImageFilter.DETAIL)),
    "edge_enhance": Operation("Enhance edges", _filter(lambda _: ImageFilter.EDGE_ENHANCE)),
    "contour": Operation("Contour", _filter(lambda _: ImageFilter.CONTOUR)),
    "median": Operation(
        "Median (denoise)", _filter(lambda v: ImageFilter.MedianFilter(int(v))), Slider(3, 15, 2, 3, "Size")
    ),
    "min_filter": Operation(
        "Erode (minimum)", _filter(lambda v: ImageFilter.MinFilter(int(v))), Slider(3, 15, 2, 3, "Size")
    ),
    "max_filter": Operation(
        "Dilate (maximum)", _filter(lambda v: ImageFilter.MaxFilter(int(v))), Slider(3, 15, 2, 3, "Size")
    ),
    "grayscale": Operation("Grayscale", lambda im, v: im.inplace.grayscale()),
    "invert": Operation("Invert", lambda im, v: im.inplace.invert()),
    "sepia": Operation("Sepia", lambda im, v: im.inplace.sepia()),
    "brightness": Operation("Brightness", lambda im, v: im.inplace.brightness(v), Slider(0, 3, 0.05, 1.3, "Factor")),
    "contrast": Operation("Contrast", lambda im, v: im.inplace.contrast(v), Slider(0, 3, 0.05, 1.5, "Factor")),
    "gamma": Operation("Gamma", lambda im, v: im.inplace.gamma(v), Slider(0.2, 5, 0.1, 1.8, "Gamma")),
    "threshold": Operation("Threshold", lambda im, v: im.inplace.threshold(int(v)), Slider(0, 255, 1, 128, "Level")),
    "rotate90": Operation("Rotate 90° clockwise", lambda im, v: im.inplace.transpose(Transpose.ROTATE_270)),
    "rotate270": Operation("Rotate 90° counter-clockwise", lambda im, v: im.inplace.transpose(Transpose.ROTATE_90)),
    "flip_horizontal": Operation("Flip horizontally", lambda im, v: im.inplace.transpose(Transpose.FLIP_LEFT_RIGHT)),
    "flip_vertical": Operation("Flip vertically", lambda im, v: im.inplace.transpose(Transpose.FLIP_TOP_BOTTOM)),
    "halve": Operation("Half size (bilinear)", _halve),
}


@dataclass(frozen=True)
class Caption:
    """Text the last step put on the picture, centred on (x, y); a drag on
    the picture moves it until another step is taken."""

    text: str
    size: int
    colour: str
    x: int
    y: int


def draw_caption(image: Image, caption: Caption) -> None:
    """Draw ``caption`` on ``image`` in the default font, outlined in black
    or white (whichever stands out from its colour) so it reads on any
    picture."""
    red, green, blue = ImageColor.getrgb(caption.colour)[:3]
    outline = "#000000" if red * 299 + green * 587 + blue * 114 >= 128_000 else "#ffffff"
    ImageDraw.Draw(image).text(
        (caption.x, caption.y),
        caption.text,
        fill=caption.colour,
        font=ImageFont.load_default(caption.size),
        anchor="mm",
        stroke_width=max(1, caption.size // 16),
        stroke_fill=outline,
    )


def _orientation(header: bytes) -> int:
    """The EXIF orientation (1 to 8) a JPEG's header gives, 1 if none."""
    block = jpeg_exif(header)
    if block is None:
        return 1
    exif = Exif()
    try:
        exif.load(block)
    except (SyntaxError, ValueError, OSError):
        return 1
    orientation = exif.get(Base.Orientation, 1)
    return orientation if isinstance(orientation, int) and 1 <= orientation <= 8 else 1


def _describe_limit(width: int, height: int) -> str | None:
    """Why an image of this size cannot be opened, or None if it can."""
    side, pixels = size_limits()
    if width > side or height > side:
        return f"it is {width}x{height} pixels; the largest side allowed is {side}"
    if width * height > pixels:
        return f"it is {width}x{height} = {width * height:,} pixels; at most {pixels:,} are allowed"
    if width < 1 or height < 1:
        return "it has no pixels"
    return None


class EditorPage:
    def __init__(self) -> None:
        self.canvas = Canvas.attach("editor-canvas")
        self.image: Image | None = None
        self.original: Image | None = None
        self.history: list[Image] = []
        self.name = ""
        self.comparing = False
        self.busy = False
        self.caption: Caption | None = None
        select = ui.element("editor-operation")
        for key, operation in OPERATIONS.items():
            option = js.document.createElement("option")
            option.value = key
            option.textContent = operation.label
            select.append(option)
        self.choose_operation()

    # ---- messages and state

    def say(self, text: str, error: bool = False) -> None:
        message = ui.element("editor-message")
        message.textContent = text
        message.classList.toggle("error", error)

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        ui.element("editor-busy").hidden = not busy
        for control in (
            "editor-apply",
            "editor-load-sample",
            "editor-file",
            "editor-text-place",
            "editor-download-gif",
        ):
            ui.element(control).disabled = busy
        ui.element("editor-undo").disabled = busy or not self.history
        js.document.body.dataset.busy = "true" if busy else "false"

    async def paint_now(self) -> None:
        """Let the browser draw the busy state before a long synchronous step."""
        await asyncio.sleep(0.03)

    def replace_image(self, image: Image, name: str) -> None:
        """Make ``image`` the picture being edited; what came before is freed."""
        for old in [self.image, self.original, *self.history]:
            if old is not None:
                old.close()
        self.history = []
        self.caption = None
        self.image, self.name = image, name
        self.original = image.copy()
        self.show()

    def show(self) -> None:
        shown = self.original if self.comparing else self.image
        if shown is None:
            return
        if (self.canvas.width, self.canvas.height) != shown.size:
            self.canvas.resize(*shown.size)
            self.canvas.scale = max(1, min(8, DISPLAY_WIDTH // shown.width))
        self.canvas.blit(shown)
        ui.element("editor-undo").disabled = self.busy or not self.history

    # ---- opening pictures

    async def load_sample(self, _event: Any = None) -> None:
        kind = ui.element("editor-sample").value
        width, height = ui.parse_size(ui.element("editor-sample-size").value)
        self.set_busy(True)
        self.say(f"Generating the {kind} sample at {width}x{height}…")
        await self.paint_now()
        try:
            self.replace_image(SAMPLES[kind](width, height), f"{kind}.png")
            self.say(f"Sample {kind!r} ({width}x{height}) ready.")
        finally:
            self.set_busy(False)

    async def open_file(self, file: Any) -> None:
        """Decode ``file`` with the browser; a file that is not a picture, is
        damaged or is too large leaves the current picture as it was."""
        name = str(file.name)
        self.set_busy(True)
        self.say(f"Opening {name!r}…")
        try:
            header = (await file.slice(0, HEADER_BYTES).arrayBuffer()).to_bytes()
            claimed = picture_size(header)
            problem = claimed and _describe_limit(*claimed)
            if problem:
                self.say(f"Could not open {name!r}: {problem}.", error=True)
                return
            try:
                # The browser turns the picture upright as its EXIF orientation says.
                bitmap = await js.createImageBitmap(
                    file, to_js({"imageOrientation": "from-image"}, dict_converter=js.Object.fromEntries)
                )
            except JsException:
                self.say(
                    f"Could not open {name!r}: it is not a picture this browser can decode (or it is damaged).",
                    error=True,
                )
                return
            try:
                problem = _describe_limit(bitmap.width, bitmap.height)
                if problem:
                    self.say(f"Could not open {name!r}: {problem}.", error=True)
                    return
                scratch = js.OffscreenCanvas.new(bitmap.width, bitmap.height)
                context = scratch.getContext("2d")
                context.drawImage(bitmap, 0, 0)
                pixels = context.getImageData(0, 0, bitmap.width, bitmap.height)
            finally:
                bitmap.close()
            opened = from_image_data(pixels)
            if opened.getextrema()[3][0] == 255:  # type: ignore[misc]
                # An opaque picture is edited as "RGB": filters leave its alpha alone.
                opened.inplace.convert("RGB")
            self.replace_image(opened, name)
            orientation = _orientation(header)
            upright = f", turned upright (EXIF orientation {orientation})" if orientation != 1 else ""
            self.say(f"Opened {name!r} ({opened.width}x{opened.height}){upright}.")
        finally:
            self.set_busy(False)

    async def file_chosen(self, _event: Any) -> None:
        files = ui.element("editor-file").files
        if files.length:
            await self.open_file(files.item(0))

    def drag_over(self, event: Any) -> None:
        event.preventDefault()
        ui.element("editor-drop").classList.add("dragging")

    def drag_leave(self, _event: Any) -> None:
        ui.element("editor-drop").classList.remove("dragging")

    async def dropped(self, event: Any) -> None:
        event.preventDefault()
        self.drag_leave(event)
        files = event.dataTransfer.files
        if files.length:
            await self.open_file(files.item(0))

    # ---- editing

    def choose_operation(self, _event: Any = None) -> None:
        operation = OPERATIONS[ui.element("editor-operation").value]
        label, slider = ui.element("editor-amount-label"), ui.element("editor-amount")
        label.hidden = operation.slider is None
        if operation.slider is not None:
            spec = operation.slider
            slider.min, slider.max, slider.step, slider.value = spec.minimum, spec.maximum, spec.step, spec.default
            label.firstChild.textContent = f"{spec.label} "
        self.show_amount()

    def show_amount(self, _event: Any = None) -> None:
        ui.set_text("editor-amount-value", ui.element("editor-amount").value)

    def _remember(self, image: Image) -> None:
        self.history.append(image.copy())
        while len(self.history) > MAX_UNDO_STEPS or (
            len(self.history) > 1 and sum(step.nbytes for step in self.history) > MAX_UNDO_BYTES
        ):
            self.history.pop(0).close()

    async def apply(self, _event: Any = None) -> None:
        image = self.image
        if image is None or self.busy:
            return
        key = ui.element("editor-operation").value
        operation = OPERATIONS[key]
        amount = float(ui.element("editor-amount").value)
        self.set_busy(True)
        self.say(f"{operation.label}…")
        await self.paint_now()
        self.caption = None
        try:
            self._remember(image)
            began = js.performance.now()
            try:
                operation.run(image, amount)
            except (ValueError, IndexError, MemoryError) as error:
                image.close()
                self.image = self.history.pop()
                self.say(f"{operation.label} failed: {error}", error=True)
                return
            elapsed = js.performance.now() - began
            self.show()
            self.say(f"{operation.label}: {elapsed:.0f} ms in Rust ({image.width}x{image.height}).")
        finally:
            self.set_busy(False)

    def undo(self, _event: Any = None) -> None:
        if not self.history or self.busy or self.image is None:
            return
        self.caption = None
        self.image.close()
        self.image = self.history.pop()
        self.show()
        self.say(f"Undone ({len(self.history)} more step(s) to undo).")

    # ---- text

    def _caption_from_controls(self, x: int, y: int) -> Caption | None:
        """The text controls as a Caption at (x, y), or None (said why)."""
        text = ui.element("editor-text").value
        if not text.strip():
            self.say("Type the text to put on the picture first.", error=True)
            return None
        try:
            size = int(ui.element("editor-text-size").value)
        except ValueError:
            size = 0
        if size not in TEXT_SIZES:
            self.say(f"The text size must be a whole number from {TEXT_SIZES[0]} to {TEXT_SIZES[-1]}.", error=True)
            return None
        return Caption(text, size, ui.element("editor-text-colour").value, x, y)

    def _draw_caption(self) -> None:
        """The picture as it was before the text, with the text where it is now."""
        assert self.image is not None and self.caption is not None
        self.image.paste(self.history[-1])
        draw_caption(self.image, self.caption)
        self.show()

    async def place_text(self, _event: Any = None) -> None:
        image = self.image
        if image is None or self.busy:
            return
        caption = self._caption_from_controls(image.width // 2, image.height // 2)
        if caption is None:
            return
        self.set_busy(True)
        try:
            await load_codecs()
            self._remember(image)
            self.caption = caption
            self._draw_caption()
            self.say(f"Text added at ({caption.x}, {caption.y}): drag on the picture to move it.")
        finally:
            self.set_busy(False)

    def restyle_text(self, _event: Any = None) -> None:
        """The text controls changed: the text just placed follows them."""
        if self.caption is None or self.busy:
            return
        caption = self._caption_from_controls(self.caption.x, self.caption.y)
        if caption is not None:
            self.caption = caption
            self._draw_caption()

    def move_text(self, event: CanvasEvent) -> None:
        if self.caption is None or self.busy or event.x is None or event.y is None:
            return
        if event.type == "pointermove" and not event.buttons:
            return
        self.caption = replace(self.caption, x=event.x, y=event.y)
        self._draw_caption()
        self.say(f"Text moved to ({event.x}, {event.y}).")

    def compare(self, _event: Any) -> None:
        self.comparing = True
        self.show()

    def stop_comparing(self, _event: Any) -> None:
        if self.comparing:
            self.comparing = False
            self.show()

    def download(self, _event: Any = None) -> None:
        if self.image is None:
            return
        stem = self.name.rsplit(".", 1)[0] or "picture"
        link = js.document.createElement("a")
        link.href = self.canvas.element.toDataURL("image/png")
        link.download = f"{stem}-edited.png"
        link.click()
        self.say(f"Saved {link.download!r}.")

    async def download_gif(self, _event: Any = None) -> None:
        """The picture after each step kept for undo, and now, as an animated
        GIF fitting GIF_BOX (wasmcanvas quantizes and writes it as Pillow
        would)."""
        if self.image is None or self.busy:
            return
        steps = [*self.history, self.image]
        self.set_busy(True)
        self.say(f"Making a GIF of {len(steps)} frame(s)…")
        await self.paint_now()
        try:
            await load_codecs()
            with ImageOps.contain(self.image, GIF_BOX, Resampling.NEAREST) as fitted:
                box = fitted.size
            frames = [ImageOps.pad(step.convert("RGB"), box, color=GIF_BACKGROUND) for step in steps]
            url, size = ui.animated_gif_url(frames, GIF_FRAME_MS)
            stem = self.name.rsplit(".", 1)[0] or "picture"
            link = js.document.createElement("a")
            link.href = url
            link.download = f"{stem}-edits.gif"
            link.click()
            self.say(f"Saved {link.download!r}: {len(steps)} frame(s), {size:,} bytes.")
        finally:
            self.set_busy(False)


page: EditorPage


async def main() -> EditorPage:
    global page
    ui.forget_listeners()
    page = EditorPage()
    ui.listen("editor-file", "change", page.file_chosen)
    ui.listen("editor-load-sample", "click", page.load_sample)
    ui.listen("editor-operation", "change", page.choose_operation)
    ui.listen("editor-amount", "input", page.show_amount)
    ui.listen("editor-apply", "click", page.apply)
    ui.listen("editor-undo", "click", page.undo)
    ui.listen("editor-download", "click", page.download)
    ui.listen("editor-download-gif", "click", page.download_gif)
    ui.listen("editor-text-place", "click", page.place_text)
    for control in ("editor-text", "editor-text-size", "editor-text-colour"):
        ui.listen(control, "input", page.restyle_text)
    page.canvas.on("pointerdown", page.move_text)
    page.canvas.on("pointermove", page.move_text)
    compare = ui.element("editor-compare")
    ui.listen(compare, "pointerdown", page.compare)
    for release in ("pointerup", "pointerleave", "pointercancel"):
        ui.listen(compare, release, page.stop_comparing)
    drop = ui.element("editor-drop")
    ui.listen(drop, "dragover", page.drag_over)
    ui.listen(drop, "dragleave", page.drag_leave)
    ui.listen(drop, "drop", page.dropped)
    await page.load_sample()
    return page
