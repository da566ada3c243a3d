"""Reading and writing a wasm module's linear memory from Python.

Pyodide cannot map another module's memory into Python's own heap, so every
Python-side read is a copy. What copies and what does not:

========================  ====================================================
call                      cost
========================  ====================================================
``snapshot(ptr, n)``      one bulk copy of ``n`` bytes into a Python buffer
``view(ptr, n)[a:b]``     one bulk copy of ``b - a`` bytes per read
``view(...)[a:b] = data`` one bulk copy from ``data`` into wasm memory
``write(ptr, data)``      one bulk copy from ``data`` into wasm memory
``js_view(ptr, n)``       no copy: a ``Uint8ClampedArray`` over the memory
========================  ====================================================

When the module's memory grows, its old ``ArrayBuffer`` is detached. Every
object here looks the buffer up again when it is used, so it keeps working;
only a ``js_view`` taken before the growth goes empty, like any JS view.

>>> import rust_image
>>> memory = WasmMemory(rust_image.memory)
>>> seed = rust_image.Image.new()
>>> memory.snapshot(seed.pixels_ptr(), seed.pixels_len()).tolist()
[255, 0, 0, 60, 70, 90]
"""

from __future__ import annotations

from collections.abc import Buffer, Sequence
from typing import Any, overload

import js
from pyodide.ffi import JsProxy

from ._checks import require_int
from .loader import ensure_loaded


class WasmMemory:
    """A ``WebAssembly.Memory`` seen from Python.

    ``memory`` defaults to the ``rust_image`` module's memory.
    """

    def __init__(self, memory: Any = None) -> None:
        if memory is None:
            memory = ensure_loaded().memory
        if not hasattr(memory, "buffer") or not hasattr(memory, "grow"):
            raise TypeError("memory must be a WebAssembly.Memory (such as rust_image.memory)")
        self._memory = memory
        self._bytes = js.Uint8Array.new(memory.buffer)
        # The threaded module's memory is shared: growing it leaves the old
        # buffer whole but short instead of detaching it.
        self.shared = str(memory.buffer.constructor.name) == "SharedArrayBuffer"

    @property
    def byte_length(self) -> int:
        """Current size of the memory in bytes (it only ever grows)."""
        return int(self._current().length)

    def _current(self) -> Any:
        """A ``Uint8Array`` over the whole memory, remade after growth: growth
        detaches the old buffer, and a detached array has length 0."""
        if self._bytes.length == 0 or (self.shared and self._bytes.length != self._memory.buffer.byteLength):
            self._bytes = js.Uint8Array.new(self._memory.buffer)
        return self._bytes

    def _region(self, ptr: int, nbytes: int) -> Any:
        ptr, nbytes = require_int("ptr", ptr, minimum=0), require_int("nbytes", nbytes, minimum=0)
        memory = self._current()
        if ptr + nbytes > memory.length:
            raise IndexError(f"bytes {ptr}..{ptr + nbytes} are beyond the end of wasm memory ({memory.length} bytes)")
        return memory.subarray(ptr, ptr + nbytes)

    def snapshot(
        self, ptr: int, nbytes: int, shape: Sequence[int] | None = None, out: Buffer | None = None
    ) -> memoryview:
        """Copy ``nbytes`` at ``ptr`` into Python in one step.

        ``shape`` casts the result, e.g. ``(height, width, 4)``. ``out``, a
        writable buffer of exactly ``nbytes``, is filled instead of a new one
        (reuse it across frames to avoid allocating).

        >>> im = Image.new("RGBA", (2, 1), "red")
        >>> im.putpixel((1, 0), (0, 255, 0, 255))
        >>> WasmMemory().snapshot(im.ptr, 8, shape=(1, 2, 4)).tolist()
        [[[255, 0, 0, 255], [0, 255, 0, 255]]]
        """
        region = self._region(ptr, nbytes)
        if shape is not None:
            shape = tuple(shape)
            size = 1
            for side in shape:
                size *= require_int("shape entries", side, minimum=0)
            if size != nbytes:
                raise ValueError(f"shape {shape} holds {size} bytes, not {nbytes}")
        if out is None:
            out = bytearray(nbytes)
        target = memoryview(out)
        if target.readonly:
            raise TypeError("out must be a writable buffer")
        if target.nbytes != nbytes:
            raise ValueError(f"out holds {target.nbytes} bytes, not {nbytes}")
        region.assign_to(target.cast("B"))
        result = target.cast("B")
        return result.cast("B", shape) if shape is not None else result

    def read(self, ptr: int, nbytes: int) -> bytes:
        """The ``nbytes`` at ``ptr`` as ``bytes`` (one copy)."""
        return bytes(self._region(ptr, nbytes).to_bytes())

    def write(self, ptr: int, data: Buffer | Any) -> None:
        """Copy a Python buffer (``bytes``, ``bytearray``, ``memoryview``...)
        or a JS typed array (``ImageData.data``...) into memory at ``ptr`` in
        one step; a JS array is copied by JS, never through Python."""
        if isinstance(data, JsProxy):
            source: Any = data
            if getattr(source, "BYTES_PER_ELEMENT", None) != 1:
                raise TypeError("a JS source must be a Uint8Array or Uint8ClampedArray")
            self._region(ptr, int(source.length)).set(source)
            return
        try:
            source = memoryview(data).cast("B")
        except TypeError:
            raise TypeError(f"data must be a bytes-like object, not {type(data).__name__}") from None
        self._region(ptr, source.nbytes).assign(source)

    def view(self, ptr: int, nbytes: int) -> LiveView:
        """A live, bounds-checked view: reads and writes go to wasm memory."""
        self._region(ptr, nbytes)
        return LiveView(self, ptr, nbytes)

    def js_view(self, ptr: int, nbytes: int) -> Any:
        """A zero-copy ``Uint8ClampedArray`` over the bytes, for handing to JS
        (``ImageData``, ``putImageData``). Empty once the memory grows: take
        a new one for each use."""
        region = self._region(ptr, nbytes)
        return js.Uint8ClampedArray.new(region.buffer, region.byteOffset, nbytes)


class LiveView:
    """``nbytes`` of wasm memory at ``ptr``, read and written in place.

    Supports ``len()``, indexing and slicing (reads copy the selected bytes
    out, assignments copy into wasm memory), ``tobytes()``.

    >>> im = Image.new("RGB", (2, 1), (255, 60, 70))
    >>> view = WasmMemory().view(im.ptr, 8)       # its stored RGBA bytes
    >>> view[0], view[1:3]
    (255, b'<F')
    >>> view[0] = 128                             # Rust now sees 128
    >>> im.getpixel((0, 0))
    (128, 60, 70)
    """

    def __init__(self, memory: WasmMemory, ptr: int, nbytes: int) -> None:
        self._memory = memory
        self.ptr = ptr
        self.nbytes = nbytes

    def __len__(self) -> int:
        return self.nbytes

    def __repr__(self) -> str:
        return f"<LiveView of {self.nbytes} bytes at {self.ptr}>"

    def _index(self, index: int) -> int:
        if index < 0:
            index += self.nbytes
        if not 0 <= index < self.nbytes:
            raise IndexError(f"index out of range for a view of {self.nbytes} bytes")
        return index

    @overload
    def __getitem__(self, key: int) -> int: ...
    @overload
    def __getitem__(self, key: slice) -> bytes: ...
    def __getitem__(self, key: int | slice) -> int | bytes:
        if isinstance(key, slice):
            start, stop, step = key.indices(self.nbytes)
            if step == 1:
                return self._memory.read(self.ptr + start, max(stop - start, 0))
            return self.tobytes()[key]
        if isinstance(key, int):
            return int(self._memory._region(self.ptr + self._index(key), 1)[0])
        raise TypeError(f"view indices must be integers or slices, not {type(key).__name__}")

    def __setitem__(self, key: int | slice, value: int | Buffer) -> None:
        if isinstance(key, int):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError(f"a byte must be an int, not {type(value).__name__}")
            if not 0 <= value <= 255:
                raise ValueError(f"a byte must be in 0..255, got {value}")
            self._memory.write(self.ptr + self._index(key), bytes([value]))
            return
        if not isinstance(key, slice):
            raise TypeError(f"view indices must be integers or slices, not {type(key).__name__}")
        if isinstance(value, int):
            raise TypeError("assign a bytes-like object to a slice of a view, not an int")
        start, stop, step = key.indices(self.nbytes)
        data = memoryview(value).cast("B")
        if step == 1:
            length = max(stop - start, 0)
            if data.nbytes != length:
                raise ValueError(f"cannot assign {data.nbytes} bytes to a slice of {length}")
            self._memory.write(self.ptr + start, data)
            return
        current = bytearray(self.tobytes())
        try:
            current[key] = data
        except ValueError as error:
            raise ValueError(str(error)) from None
        self._memory.write(self.ptr, current)

    def tobytes(self) -> bytes:
        """All the bytes, copied out."""
        return self._memory.read(self.ptr, self.nbytes)

    def snapshot(self, shape: Sequence[int] | None = None) -> memoryview:
        """All the bytes copied into a new buffer, optionally cast to ``shape``."""
        return self._memory.snapshot(self.ptr, self.nbytes, shape)
