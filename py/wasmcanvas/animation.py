"""``animate``: a ``requestAnimationFrame`` loop run from Python.

Pages and Chromium's dedicated workers have ``requestAnimationFrame``; where
it is missing (Node, other browsers' workers) a ``setTimeout`` timer at the
display's usual 60 Hz (or at ``fps``) drives the loop instead, so the same
code runs everywhere. ``Animation.driver`` says which.

One proxy of the frame callback is created per loop, reused for every frame
and destroyed by ``stop()``. An exception in ``step`` stops the loop, is shown
on the page and in the console, kept in ``error`` and raised by ``await
animation.finished``.

>>> from wasmcanvas import Canvas, Image, Plasma, animate
>>> canvas = Canvas.create(320, 200, parent="#app")
>>> frame = Image.new("RGB", (320, 200))
>>> plasma = Plasma()
>>> def step(seconds):
...     plasma.render(frame, seconds)
...     canvas.blit(frame)
>>> animation = animate(step, fps=30)
>>> animation.running, animation.driver
(True, 'requestAnimationFrame')
>>> animation.stop()
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import js

from .proxies import make_proxy, release
from .report import report_error

# The timer fallback's period when no fps is asked for: a 60 Hz display's.
TIMER_FRAME_MS = 1000.0 / 60.0


# Looked up once: a lookup on `js` is a JS global read, every frame.
_performance = getattr(js, "performance", None)
_request_animation_frame: Any = getattr(js, "requestAnimationFrame", None)


def now_ms() -> float:
    """Milliseconds on the clock animation frames are stamped with:
    ``performance.now()``, or Python's own where the host lacks it (a Node
    sandbox without it; frames come from the timer there)."""
    if _performance is None:
        return time.perf_counter() * 1000.0
    return float(_performance.now())


@dataclass(frozen=True)
class AnimationStats:
    """``frames`` stepped so far; ``fps`` over the last second or so;
    ``mean_ms`` and ``worst_ms``: time spent in ``step``."""

    frames: int
    fps: float
    mean_ms: float
    worst_ms: float


class Animation:
    """A running loop; see ``animate``."""

    def __init__(self, step: Callable[[float], Any], fps: float | None = None) -> None:
        if not callable(step):
            raise TypeError("step must be callable: step(seconds_since_start)")
        if fps is not None:
            if isinstance(fps, bool) or not isinstance(fps, (int, float)):
                raise TypeError(f"fps must be a number, not {type(fps).__name__}")
            if not 0 < fps <= 1000:
                raise ValueError(f"fps must be a number in (0, 1000], got {fps!r}")
        self._step = step
        self._interval_ms = 1000.0 / fps if fps else 0.0
        self._uses_timer = _request_animation_frame is None
        self._proxy: Any = None
        # A number from requestAnimationFrame or setTimeout in browsers; a
        # Timeout object from Node's setTimeout.
        self._request: Any = None
        self._start_ms: float | None = None
        self._paused_at_ms: float | None = None
        self._paused_total_ms = 0.0
        self._last_seconds = 0.0
        self._last_step_ms: float | None = None
        self._recent: deque[float] = deque(maxlen=61)
        self._frames = 0
        self._busy_total_ms = 0.0
        self._worst_ms = 0.0
        self._finished: asyncio.Future[None] | None = None
        self._done = False
        self.error: BaseException | None = None

    # ---- control

    def start(self) -> Animation:
        if self._done:
            raise RuntimeError("this animation has stopped; call animate() again")
        if self._proxy is None:
            self._proxy = make_proxy(self._frame)
            self._schedule()
        return self

    @property
    def running(self) -> bool:
        return self._proxy is not None and not self.paused

    @property
    def driver(self) -> str:
        """``"requestAnimationFrame"``, or ``"setTimeout"`` where the host
        has no animation frames."""
        return "setTimeout" if self._uses_timer else "requestAnimationFrame"

    @property
    def paused(self) -> bool:
        return self._paused_at_ms is not None

    def pause(self) -> None:
        """Stop stepping until ``resume()``; the clock passed to ``step``
        does not advance meanwhile."""
        if self._proxy is None or self.paused:
            return
        self._paused_at_ms = now_ms()
        self._cancel()

    def resume(self) -> None:
        paused_at = self._paused_at_ms
        if self._proxy is None or paused_at is None:
            return
        self._paused_total_ms += now_ms() - paused_at
        self._paused_at_ms = None
        self._last_step_ms = None
        self._recent.clear()
        self._schedule()

    def stop(self) -> None:
        """End the loop and destroy its proxy. Stopping twice is harmless."""
        self._cancel()
        if self._proxy is not None:
            release(self._proxy)
            self._proxy = None
        self._finish()

    @property
    def finished(self) -> asyncio.Future[None]:
        """Resolves when the loop stops; raises the step's exception if one
        stopped it."""
        if self._finished is None:
            self._finished = asyncio.get_event_loop().create_future()
            if self._done:
                self._settle(self._finished)
        return self._finished

    # ---- statistics

    @property
    def stats(self) -> AnimationStats:
        recent = self._recent
        fps = 0.0
        if len(recent) >= 2 and recent[-1] > recent[0]:
            fps = (len(recent) - 1) * 1000.0 / (recent[-1] - recent[0])
        mean = self._busy_total_ms / self._frames if self._frames else 0.0
        return AnimationStats(frames=self._frames, fps=fps, mean_ms=mean, worst_ms=self._worst_ms)

    # ---- internals

    def _schedule(self) -> None:
        if self._uses_timer:
            self._request = js.setTimeout(self._proxy, max(self._interval_ms, TIMER_FRAME_MS))
        else:
            self._request = _request_animation_frame(self._proxy)

    def _cancel(self) -> None:
        if self._request is not None:
            if self._uses_timer:
                js.clearTimeout(self._request)
            else:
                js.cancelAnimationFrame(self._request)
            self._request = None

    def _frame(self, timestamp: float | None = None) -> None:
        # A timer passes no timestamp; the frame's time is then now.
        if timestamp is None:
            timestamp = now_ms()
        self._request = None
        # Attributes rather than the properties: this runs every frame, on
        # an interpreter whose caches the frame's pixel copy has just cooled.
        if self._proxy is None or self._paused_at_ms is not None:
            return
        if self._start_ms is None:
            self._start_ms = timestamp
        if self._interval_ms and self._last_step_ms is not None:
            # A frame a little early still counts, so 60 Hz displays give 30
            # fps for fps=30 rather than 20.
            if timestamp - self._last_step_ms < self._interval_ms - 2.0:
                self._schedule()
                return
        self._last_step_ms = timestamp
        # The pause is measured with performance.now() and frames with their
        # rAF timestamps, which may lag it slightly: never let the clock run
        # backwards across a resume.
        seconds = max((timestamp - self._start_ms - self._paused_total_ms) / 1000.0, self._last_seconds)
        self._last_seconds = seconds
        # Python's own clock for the time in `step`: no JS call, no proxy.
        began = time.perf_counter()
        try:
            self._step(seconds)
        except BaseException as error:
            self.error = error
            report_error(error, f"animation step {getattr(self._step, '__name__', self._step)!r}")
            self.stop()
            return
        busy = (time.perf_counter() - began) * 1000.0
        self._frames += 1
        self._busy_total_ms += busy
        if busy > self._worst_ms:
            self._worst_ms = busy
        self._recent.append(timestamp)
        if self._proxy is not None and self._paused_at_ms is None:
            self._schedule()

    def _finish(self) -> None:
        if self._done:
            return
        self._done = True
        if self._finished is not None:
            self._settle(self._finished)

    def _settle(self, future: asyncio.Future[None]) -> None:
        if future.done():
            return
        if self.error is not None:
            future.set_exception(self.error)
        else:
            future.set_result(None)


def animate(step: Callable[[float], Any], fps: float | None = None) -> Animation:
    """Call ``step(seconds)`` once per animation frame, from now until
    ``stop()``; ``seconds`` counts from the first frame, pauses excluded.
    ``fps`` caps the rate (default: the display's)."""
    return Animation(step, fps).start()
