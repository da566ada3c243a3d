"""``PIL`` as an alias of ``wasmcanvas``, as a Pillow user's script would
see it after changing its import line: every module wasmcanvas has is
registered under Pillow's name, and a module it lacks is missing
(``ModuleNotFoundError: No module named 'PIL.ImageFont'``), exactly as an
absent Pillow module would be."""

from __future__ import annotations

import importlib
import pkgutil
import sys

# _module holds the Rust module's files, not Python Pillow's names stand
# for. Private modules that Pillow also has (_binary) are kept.
NOT_LIBRARY = {"_module"}


def install() -> list[str]:
    """Register ``PIL`` and ``PIL.<module>`` for every public wasmcanvas
    module; returns the module names registered."""
    import wasmcanvas

    sys.modules["PIL"] = wasmcanvas
    names = []
    for module in pkgutil.iter_modules(wasmcanvas.__path__):
        if module.name in NOT_LIBRARY:
            continue
        sys.modules[f"PIL.{module.name}"] = importlib.import_module(f"wasmcanvas.{module.name}")
        names.append(module.name)
    return names
