"""What ``Image``, ``Life`` and ``Plasma`` share: each owns one object of the
``rust_image`` module and frees it exactly once, on ``close()``, at the end
of a ``with`` block (not an ``Image``: Pillow's keeps its pixels there) or
when Python drops it; never one made by a module instance that has since
been reloaded (its memory is gone) or trapped."""

from __future__ import annotations

from typing import Any, Self

from . import module
from .errors import ClosedImageError
from .module import call_rust


class RustOwned:
    """Holds a ``rust_image`` object; ``raw`` refuses once it is freed."""

    _closed_message = "this object is closed"
    _reloaded_message = "this object was made by the rust_image module before it was reloaded"
    # The exports looked up on ``raw`` (see ``_method``), with the raw they
    # belong to.
    _methods: tuple[Any, dict[str, Any]] | None = None

    def _own(self, raw: Any) -> None:
        self._raw: Any = raw
        self._generation = module.generation

    @property
    def raw(self) -> Any:
        """The ``rust_image`` object behind this one."""
        if self._raw is None:
            raise ClosedImageError(self._closed_message)
        if self._generation != module.generation:
            raise ClosedImageError(self._reloaded_message)
        return self._raw

    @property
    def closed(self) -> bool:
        return self._raw is None

    def close(self) -> None:
        """Free the Rust object now. Closing twice is harmless."""
        raw, self._raw = getattr(self, "_raw", None), None
        self._methods = None
        # An object of a reloaded or trapped instance has nothing left to free
        # (and a trapped instance refuses every call).
        if raw is not None and self._generation == module.generation and not module.broken_reason():
            raw.free()

    def __del__(self) -> None:
        # At interpreter shutdown the modules this needs may already be torn
        # down; nothing can be freed then, and the page is going away.
        try:
            self.close()
        except Exception:
            pass

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _call(self, method: str, *args: Any) -> Any:
        return call_rust(self._method(self.raw, method), *args)

    def _method(self, raw: Any, name: str) -> Any:
        """``raw``'s method ``name`` (or an attribute fixed for its life, as
        its width), looked up once per Rust object: a JS attribute lookup
        costs as much as the call when Pillow's scripts read and write a
        pixel at a time, and more in an animation frame, where the FFI's
        code has gone cold (measured in Chromium: a frame's ``tick``,
        ``render`` and ``blit`` took 190 us with their lookups, 70 us
        without)."""
        methods = self._methods
        if methods is None or methods[0] is not raw:
            methods = self._methods = (raw, {})
        function = methods[1].get(name)
        if function is None:
            function = methods[1][name] = getattr(raw, name)
        return function
