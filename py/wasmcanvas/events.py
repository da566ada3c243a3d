"""DOM event listeners that call Python: the one helper behind
``Canvas.on`` and the pages' own controls.

A ``Listeners`` group keys each listener by its element, its event type and
the handler object itself: adding the same handler again changes nothing,
two different handlers (two lambdas, say) are two listeners, and
``remove`` or ``clear`` take them off and release their JS proxies. A
handler's exception is reported on the page and the page keeps working; a
coroutine function (or any handler returning an awaitable) is run on the
event loop, and what it raises is reported the same way.

>>> clicks = Listeners()
>>> clicks.add("#app", "click", lambda event: print("clicked"))
>>> clicks.clear()                                              # all off again
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from typing import Any

from .dom import find_element
from .proxies import make_proxy, release
from .report import report_error

__all__ = ["Listeners"]


class Listeners:
    """DOM event listeners calling Python handlers, removed together."""

    def __init__(self) -> None:
        self._entries: list[tuple[Any, str, Callable[[Any], Any], Any]] = []

    def __len__(self) -> int:
        return len(self._entries)

    def add(
        self,
        target: str | Any,
        event_type: str,
        handler: Callable[[Any], Any],
        convert: Callable[[Any], Any] | None = None,
    ) -> None:
        """Call ``handler(event)`` on each ``event_type`` event of ``target``
        (an element, an id or a CSS selector); ``convert`` turns the JS event
        into what the handler is given. Adding a handler that is already
        listening there does nothing."""
        if not callable(handler):
            raise TypeError("callback must be callable")
        node = find_element(target) if isinstance(target, str) else target
        if self._find(node, event_type, handler) is not None:
            return
        where = f"{event_type} handler {getattr(handler, '__name__', repr(handler))!r} on {_describe(node)}"

        def reported(task: asyncio.Future[Any]) -> None:
            error = None if task.cancelled() else task.exception()
            if error is not None:
                report_error(error, where)

        def guarded(event: Any) -> None:
            try:
                result = handler(event if convert is None else convert(event))
            except Exception as error:
                report_error(error, where)
                return
            if inspect.isawaitable(result):
                asyncio.ensure_future(result).add_done_callback(reported)

        proxy = make_proxy(guarded)
        self._entries.append((node, event_type, handler, proxy))
        node.addEventListener(event_type, proxy)

    def remove(self, target: str | Any, event_type: str, handler: Callable[[Any], Any]) -> None:
        """Stop calling ``handler`` for ``event_type`` on ``target`` (nothing
        happens if it was not listening)."""
        node = find_element(target) if isinstance(target, str) else target
        index = self._find(node, event_type, handler)
        if index is not None:
            self._drop(index)

    def clear(self) -> None:
        """Remove every listener of the group."""
        while self._entries:
            self._drop(len(self._entries) - 1)

    def _find(self, node: Any, event_type: str, handler: Callable[[Any], Any]) -> int | None:
        for index, (other_node, other_type, other_handler, _proxy) in enumerate(self._entries):
            # Bound methods are made anew at each attribute access: equal,
            # not identical, for the same method of the same object.
            if other_type == event_type and other_handler == handler and other_node == node:
                return index
        return None

    def _drop(self, index: int) -> None:
        node, event_type, _handler, proxy = self._entries.pop(index)
        node.removeEventListener(event_type, proxy)
        release(proxy)


def _describe(node: Any) -> str:
    """``#id`` of an element, else its tag name, else ``window``."""
    node_id = getattr(node, "id", "")
    return f"#{node_id}" if node_id else str(getattr(node, "tagName", "window")).lower()
