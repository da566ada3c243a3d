"""Book-keeping of the JS proxies wasmcanvas creates for Python callables, so
that every one is destroyed when its owner stops, and tests can check it.

>>> before = live_proxy_count()
>>> animation = animate(lambda seconds: None)   # holds a proxy while it runs
>>> live_proxy_count() - before
1
>>> animation.stop()
>>> live_proxy_count() - before
0
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pyodide.ffi import create_proxy

_live: set[int] = set()


def make_proxy(function: Callable[..., Any]) -> Any:
    """A JS-callable proxy for ``function``, counted until ``release``."""
    proxy = create_proxy(function)
    _live.add(id(proxy))
    return proxy


def release(proxy: Any) -> None:
    """Destroy a proxy from ``make_proxy`` (again is harmless)."""
    if id(proxy) in _live:
        _live.discard(id(proxy))
        proxy.destroy()


def live_proxy_count() -> int:
    """How many proxies wasmcanvas has created and not yet destroyed."""
    return len(_live)
