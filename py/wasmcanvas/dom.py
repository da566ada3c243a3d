"""Small helpers over ``js.document``, which only a page has: in a Web
Worker or in Node they say so instead of failing on a missing attribute.

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


class NoDocumentError(RuntimeError):
    """A page-only feature was used where there is no ``document``."""


def page_document() -> Any | None:
    """The page's ``document``, or None in a Web Worker or in Node."""
    return getattr(js, "document", None)


def require_document(feature: str) -> Any:
    """The page's ``document``; raises ``NoDocumentError`` naming ``feature``
    where there is none."""
    document = page_document()
    if document is None:
        raise NoDocumentError(
            f"{feature} needs a web page's document, and there is none here (a Web Worker or Node); "
            "images and kernels work everywhere"
        )
    return document


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
    document = require_document(f"finding the element {target!r}")
    element = document.getElementById(target)
    if is_missing(element):
        try:
            element = document.querySelector(target)
        except Exception:
            element = None
    if is_missing(element):
        raise LookupError(f"no element matches {target!r}")
    return element
