"""The ``rust_image`` module as wasmcanvas uses it: its current instance and
memory, the calls into it (its errors raised as Python exceptions), and what
happens when it traps.

A trap (a ``WebAssembly.RuntimeError`` such as ``unreachable``) means Rust
hit a bug or ran out of memory; its state can no longer be trusted. The loader
then refuses every further call, wasmcanvas raises ``ModuleBrokenError`` for
each, and the page shows a banner offering to reload the module: a fresh
instance, without reloading Pyodide, so the user's other Python state
survives. Images made by the old instance are gone.

>>> rust().max_image_side()   # always the current instance
16384
"""

from __future__ import annotations

import importlib
import inspect
import sys
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from pyodide.ffi import JsException, to_js

from . import loader
from .dom import is_missing, page_document
from .errors import EXCEPTION_FOR_NAME, ModuleBrokenError
from .events import Listeners
from .memory import WasmMemory

generation = 0
"""Bumped by every reload; images remember the generation that made them."""

_reload_hooks: list[Callable[[], Any]] = []
_memory: WasmMemory | None = None
BANNER_ID = "wasmcanvas-module-broken"


def rust() -> Any:
    """The current ``rust_image`` module (loaded on first use where the page
    did not register one; see ``wasmcanvas.loader``)."""
    module = sys.modules.get("rust_image")
    return module if module is not None else loader.ensure_loaded()


def wasm_memory() -> WasmMemory:
    """The ``WasmMemory`` of the current ``rust_image`` instance (one, shared)."""
    global _memory
    if _memory is None:
        _memory = WasmMemory(rust().memory)
    return _memory


def js_array(values: Sequence[float] | None) -> Any:
    """A JS array of ``values`` for an export's array argument, or None (JS
    ``undefined``: the argument left out)."""
    return None if values is None else to_js(list(values))


# A TypeVar rather than `call_rust[T]`: the documentation's griffe reads the
# sources with the host's Python, which may predate that syntax (3.12).
_T = TypeVar("_T")


def call_rust(function: Callable[..., _T], *args: Any) -> _T:  # noqa: UP047
    """Calls a ``rust_image`` export, raising its errors as Python exceptions
    (see ``errors``); a trap shows the page's reload banner and raises
    ``ModuleBrokenError``."""
    try:
        return function(*args)
    except JsException as error:
        message = str(error.message) if hasattr(error, "message") else str(error)
        name = str(getattr(error, "name", ""))
        if name in ("RuntimeError", "ThreadError") or message.startswith("rust_image is broken"):
            detail = broken_reason() or f"{name}: {message}"
            show_banner(detail)
            raise ModuleBrokenError(
                f"the rust_image module is broken ({detail}) and refuses further calls; "
                "reload it with `await wasmcanvas.reload_module()` or the button on the page"
            ) from None
        raise EXCEPTION_FOR_NAME.get(name, ValueError)(message) from None


def broken_reason() -> str:
    """Why the current instance is broken (empty if it is not)."""
    reason = getattr(rust(), "brokenReason", None)
    return str(reason()) if reason is not None else ""


def on_reload(hook: Callable[[], Any]) -> None:
    """Call ``hook()`` (or await it) after each reload instead of restarting
    the page's app."""
    _reload_hooks.append(hook)


async def reload_module() -> None:
    """Make a fresh rust_image instance and let the page rebuild on it."""
    global generation, _memory
    await loader.fresh_instance()
    generation += 1
    _memory = None
    hide_banner()
    hooks: list[Callable[[], Any]] = list(_reload_hooks) or [_restart_app]
    for hook in hooks:
        result = hook()
        if inspect.isawaitable(result):
            await result


async def _restart_app() -> None:
    document = page_document()
    app = None if document is None else getattr(document.body.dataset, "app", None)
    if not app:
        return
    result = importlib.import_module(str(app)).main()
    if inspect.isawaitable(result):
        await result


def show_banner(detail: str) -> None:
    """A banner with a button that reloads the module (shown once, on a
    page; elsewhere the exception says it all)."""
    document = page_document()
    if document is None:
        return
    if not is_missing(document.getElementById(BANNER_ID)):
        return
    banner = document.createElement("div")
    banner.id = BANNER_ID
    banner.setAttribute("role", "alert")
    text = document.createElement("p")
    text.textContent = f"The Rust module stopped working ({detail}). Your Python session is intact."
    button = document.createElement("button")
    button.type = "button"
    button.textContent = "Reload the Rust module"
    banner.append(text, button)
    document.body.prepend(banner)
    _banner_listeners.clear()
    _banner_listeners.add(button, "click", _reload_clicked)


_banner_listeners = Listeners()


async def _reload_clicked(_event: Any) -> None:
    await reload_module()


def hide_banner() -> None:
    _banner_listeners.clear()
    document = page_document()
    if document is None:
        return
    banner = document.getElementById(BANNER_ID)
    if not is_missing(banner):
        banner.remove()
