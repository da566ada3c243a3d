"""Reporting errors raised by Python code that JS calls back (animation
steps, event handlers): on the page, where the user sees them, and on
``sys.stderr`` (the browser console), never swallowed.
"""

from __future__ import annotations

import sys
import traceback

from .dom import is_missing, page_document

ERRORS_ELEMENT_ID = "wasmcanvas-errors"


def report_error(error: BaseException, where: str) -> None:
    """Show ``error`` (raised in ``where``) with its traceback.

    The text goes into the element ``#wasmcanvas-errors`` (created at the end
    of the page if missing) as plain text, never as HTML.
    """
    text = f"Error in {where}:\n" + "".join(traceback.format_exception(error))
    print(text, file=sys.stderr)
    document = page_document()
    if document is None:
        return
    box = document.getElementById(ERRORS_ELEMENT_ID)
    if is_missing(box):
        box = document.createElement("div")
        box.id = ERRORS_ELEMENT_ID
        box.setAttribute("role", "alert")
        document.body.append(box)
    entry = document.createElement("pre")
    entry.className = "wasmcanvas-error"
    entry.textContent = text
    box.append(entry)
