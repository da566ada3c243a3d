"""Wiring the page's static controls (buttons, sliders, selects) to Python.

Listeners live as long as the page, so their proxies are never released; an
exception in a handler is reported on the page and the page keeps working.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from ..dom import find_element
from ..proxies import make_proxy, release
from ..report import report_error


def element(element_id: str) -> Any:
    """The element with this id (``LookupError`` if the page lacks it)."""
    return find_element(element_id)


_listeners: list[tuple[Any, str, str, Any]] = []


def listen(target: str | Any, event_type: str, handler: Callable[[Any], Any]) -> None:
    """Call ``handler(event)`` on each ``event_type`` event of ``target``; a
    coroutine handler is scheduled on the event loop. Listening again with a
    handler of the same name replaces the earlier one, so an app can restart
    (after the Rust module is reloaded) without doubling its listeners."""
    node = element(target) if isinstance(target, str) else target
    where = f"{event_type} on {_describe(node)}"
    name = getattr(handler, "__name__", "")

    def reported(task: asyncio.Future[Any]) -> None:
        if not task.cancelled() and task.exception() is not None:
            report_error(task.exception(), where)

    def guarded(event: Any) -> None:
        try:
            result = handler(event)
        except Exception as error:
            report_error(error, where)
            return
        if inspect.isawaitable(result):
            asyncio.ensure_future(result).add_done_callback(reported)

    for index, (other, other_type, other_name, proxy) in enumerate(_listeners):
        if other == node and other_type == event_type and other_name == name:
            node.removeEventListener(event_type, proxy)
            release(proxy)
            del _listeners[index]
            break
    proxy = make_proxy(guarded)
    _listeners.append((node, event_type, name, proxy))
    node.addEventListener(event_type, proxy)


def _describe(node: Any) -> str:
    """``#id`` of an element, else its tag name, else ``window``."""
    node_id = getattr(node, "id", "")
    return f"#{node_id}" if node_id else str(getattr(node, "tagName", "window")).lower()


def set_text(element_id: str, text: str) -> None:
    """Show ``text`` in the element (as text, never as HTML)."""
    element(element_id).textContent = text


def parse_size(text: str) -> tuple[int, int]:
    """``"640x360"`` -> ``(640, 360)``."""
    width, _, height = text.partition("x")
    return int(width), int(height)
