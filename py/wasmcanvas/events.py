"""DOM event listeners that call Python, for the page's own controls.

A handler's exception is reported on the page and the page keeps working; a
coroutine handler is scheduled on the event loop. Listening again to the same
event of the same element with a handler of the same name replaces the
earlier listener (and releases its proxy), so an app can restart after the
Rust module is reloaded without doubling its listeners.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from .dom import find_element
from .proxies import make_proxy, release
from .report import report_error

_listeners: list[tuple[Any, str, str, Any]] = []


def listen(target: str | Any, event_type: str, handler: Callable[[Any], Any]) -> None:
    """Call ``handler(event)`` on each ``event_type`` event of ``target`` (an
    element, an id or a CSS selector)."""
    node = find_element(target) if isinstance(target, str) else target
    where = f"{event_type} on {_describe(node)}"
    name = getattr(handler, "__name__", "")

    def reported(task: asyncio.Future[Any]) -> None:
        error = None if task.cancelled() else task.exception()
        if error is not None:
            report_error(error, where)

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
