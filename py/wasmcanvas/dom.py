"""Small helpers over ``js.document``.

Pyodide 314 returns JS ``null`` as ``pyodide.ffi.jsnull``, not ``None``;
these helpers treat both as "missing".
"""

from __future__ import annotations

from typing import Any

import js
from pyodide.ffi import jsnull


def is_missing(value: Any) -> bool:
    """True for ``None``, JS ``null`` and ``undefined``."""
    return value is None or value is jsnull


def find_element(target: Any) -> Any:
    """The element for ``target``: an element itself, an id (``"app"``) or a
    CSS selector (``"#app canvas"``). Raises ``LookupError`` if none matches.

    >>> find_element("#app").id
    'app'
    """
    if not isinstance(target, str):
        if is_missing(target) or not hasattr(target, "tagName"):
            raise TypeError(f"expected an element, an id or a CSS selector, got {target!r}")
        return target
    element = js.document.getElementById(target)
    if is_missing(element):
        try:
            element = js.document.querySelector(target)
        except Exception:
            element = None
    if is_missing(element):
        raise LookupError(f"no element matches {target!r}")
    return element
