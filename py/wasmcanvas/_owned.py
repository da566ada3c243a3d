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
        return call_rust(getattr(self.raw, method), *args)
