"""Loading ``rust_image``, the Rust module, wherever Python runs.

On the project's own pages ``boot.js`` registers it before any Python runs,
from the ``pkg/`` files the site serves. Anywhere else (your own Pyodide page,
a Web Worker, Node) the module comes from this package's own files: the first
use of wasmcanvas (``Image(...)``, ``wasm_memory()``...) loads it, without
waiting, so ``import wasmcanvas`` is all a user writes. ``await load()`` does
the same ahead of time, and is the way where a runtime refuses to compile
WebAssembly synchronously.

Why this technique: wasm-bindgen's classic-script glue (``--target
no-modules``) is evaluated with ``pyodide.code.run_js`` and instantiated with
its ``initSync`` from the bytes read out of the package. It needs no URL (an
installed wheel's files live only in Pyodide's file system, where no
``import()`` can reach them), it runs the same in a page, a worker and Node,
and it needs no ``await``. Its cost is evaluating JS text, which a
Content-Security-Policy without ``'unsafe-eval'`` forbids: such a page
registers the module from files it serves, as ``boot.js`` does (the docs'
"A plain page", "Under a Content-Security-Policy"). The exports are wrapped
by ``_module/guard.js``, the same code ``boot.js`` uses.

Threads: in a ``crossOriginIsolated`` page, ``await load(threads=N)``
loads ``rust_image_threads`` instead, a build of the same module whose memory
is shared with ``N - 1`` Web Workers (``_module/pool.js`` starts them, each
running ``_module/pool_worker.js`` after the module's glue, from one Blob);
its kernels that split their rows use them. See the handbook's "Threads".

Picture files are read and written by a second module, ``rust_image_codecs``
(``codecs()``), loaded the same way the first time a file is opened or saved,
so that code which never touches a file never downloads it. Nothing a user
owns lives in it: after a trap, or once a large file has grown its memory,
it is dropped and the next file gets a fresh instance.

>>> import wasmcanvas
>>> await wasmcanvas.load()   # optional: the first Image() would do it
>>> wasmcanvas.loader.source() in ("page", "package")   # boot.js's, or this package's
True
"""

from __future__ import annotations

import importlib.resources
import sys
from dataclasses import dataclass
from typing import Any, Literal

import js

_MODULE_FILES = "_module"
_source: Literal["page", "package"] | None = None


class ModuleNotLoadedError(RuntimeError):
    """The Rust module could not be loaded where this code runs."""


def source() -> Literal["page", "package"] | None:
    """Where the current ``rust_image`` came from: registered by the page
    (``boot.js``), loaded from this package's files, or not loaded yet.
    A ``rust_image`` imported before wasmcanvas's first use came from the
    page: wasmcanvas registers one only when it loads it."""
    if _source is None and "rust_image" in sys.modules:
        return "page"
    return _source


def _registered() -> Any | None:
    """The ``rust_image`` module a host registered, if any."""
    if "rust_image" in sys.modules:
        return sys.modules["rust_image"]
    try:
        import rust_image
    except ImportError:
        return None
    return rust_image


def _read(name: str) -> bytes:
    resource = importlib.resources.files("wasmcanvas") / _MODULE_FILES / name
    try:
        return resource.read_bytes()
    except FileNotFoundError:
        raise ModuleNotLoadedError(
            f"wasmcanvas/{_MODULE_FILES}/{name} is missing: this copy of wasmcanvas was not built "
            "with ./build.sh (the wheel carries the Rust module)"
        ) from None


def _evaluate(code: str) -> Any:
    from pyodide.code import run_js

    try:
        return run_js(code)
    except Exception as error:
        if "EvalError" in type(error).__name__ or "EvalError" in str(error) or "unsafe-eval" in str(error):
            raise ModuleNotLoadedError(
                "this page's Content-Security-Policy forbids evaluating JavaScript ('unsafe-eval'), which "
                "loading the Rust module from the wheel needs; serve the module's files and register it from a "
                "script of the page (see wasmcanvas's docs, 'A plain page: Under a Content-Security-Policy')"
            ) from error
        raise


def _register(glue: Any, memory: Any) -> Any:
    import pyodide_js

    guard = _evaluate(_read("guard.js").decode())
    pyodide_js.registerJsModule("rust_image", guard(glue, memory))
    sys.modules.pop("rust_image", None)
    import rust_image

    return rust_image


def _wasm_bytes(name: str = "rust_image") -> Any:
    """The package's ``.wasm`` of module ``name`` as a JS ``Uint8Array``."""
    from pyodide.ffi import to_js

    return to_js(_read(f"{name}_bg.wasm"))


def _initialize(name: str, wasm: Any, waited_for: str, glue_source: str | None = None) -> tuple[Any, Any]:
    """Evaluates module ``name``'s glue (a fresh copy: its own instance
    state; ``glue_source`` if already read) and instantiates ``wasm``
    (bytes or a compiled ``WebAssembly.Module``): the glue and the
    instance's memory."""
    source = glue_source if glue_source is not None else _read(f"{name}.js").decode()
    glue = _evaluate(source + "\n;wasm_bindgen;")
    options = js.Object.new()
    options.module = wasm
    try:
        exports = glue.initSync(options)
    except Exception as error:
        if "WebAssembly.compile" in str(error) or "main thread" in str(error):
            raise ModuleNotLoadedError(
                f"this runtime refuses to compile WebAssembly synchronously ({error}); "
                f"call `await {waited_for}` once before using wasmcanvas"
            ) from error
        raise
    return glue, exports.memory


def _instantiate(wasm: Any) -> Any:
    """Instantiates ``wasm`` and registers it as the package's ``rust_image``."""
    global _source
    glue, memory = _initialize("rust_image", wasm, "wasmcanvas.load()")
    module = _register(glue, memory)
    _source = "package"
    return module


def _page_loader() -> Any | None:
    """The page's loader (``boot.js`` registers it as ``rust_image_loader``),
    if there is one."""
    try:
        import rust_image_loader
    except ImportError:
        return None
    return rust_image_loader


def _already_loaded() -> Any | None:
    """The ``rust_image`` already there (the page's, or ours), if any."""
    global _source
    registered = _registered()
    if registered is not None:
        _source = _source or "page"
    return registered


def ensure_loaded() -> Any:
    """The ``rust_image`` module: the page's if it registered one, otherwise
    loaded now from this package's files (synchronously)."""
    loaded = _already_loaded()
    return loaded if loaded is not None else _instantiate(_wasm_bytes())


async def load(threads: int | None = None) -> None:
    """Load the Rust module now (a no-op once it is loaded).

    Compiles the ``.wasm`` asynchronously, so it also works where a runtime
    refuses synchronous compilation; otherwise the first use of wasmcanvas
    loads it by itself (single-threaded).

    ``threads``: how many threads compute the kernels that split their rows
    (the blurs, ``resize``, ``transform`` and ``rotate``): this thread and
    ``threads - 1`` Web Workers sharing the module's memory. Left out, as
    many as ``navigator.hardwareConcurrency`` (at most ``MAX_THREADS``).
    Threads need a page that is ``crossOriginIsolated`` (see the handbook's
    "Threads" page); elsewhere, or with ``threads=1``, the single-threaded
    module loads, whatever was asked: ``threads()`` says what you got.
    Once the threaded module is loaded, calling this again changes the
    number of threads; once the single-threaded one is, asking for more
    than one raises ``ModuleNotLoadedError``.

    >>> import wasmcanvas
    >>> await wasmcanvas.load(threads=1)
    >>> wasmcanvas.loader.threads()
    1
    """
    if threads is not None and (isinstance(threads, bool) or not isinstance(threads, int) or threads < 1):
        raise ValueError(f"threads must be a whole number of at least 1, not {threads!r}")
    wanted = _threads_to_use(threads)
    if _already_loaded() is not None:
        if _pool is not None:
            await _pool.resize(wanted)
        elif threads is not None and wanted > 1:
            raise ModuleNotLoadedError(
                "the single-threaded Rust module is already loaded here (by the page, or by a first use of "
                f"wasmcanvas); call `await wasmcanvas.load(threads={threads})` before anything else uses wasmcanvas"
            )
        return
    if wanted > 1:
        await _load_threaded(wanted)
    else:
        _instantiate(await js.WebAssembly.compile(_wasm_bytes()))


# ---- threads (the threaded rust_image and its pool of Web Workers)

MAX_THREADS = 8
"""The most threads ``load`` starts by itself (``threads`` left out)."""

_WORKER_START_MS = 30_000


def threads_allowed() -> bool:
    """True where this code may share memory with Web Workers: the page is
    ``crossOriginIsolated`` (COOP and COEP headers) and has ``Worker``."""
    return getattr(js, "crossOriginIsolated", False) is True and hasattr(js, "Worker")


def threads() -> int:
    """How many threads compute the kernels: 1 unless ``load(threads=N)``
    loaded the threaded module."""
    return _pool.threads if _pool is not None else 1


def _threads_to_use(asked: int | None) -> int:
    if not threads_allowed():
        return 1
    if asked is not None:
        return asked
    navigator = getattr(js, "navigator", None)
    return max(1, min(MAX_THREADS, int(getattr(navigator, "hardwareConcurrency", 1) or 1)))


class _Pool:
    """The threaded module's Web Workers (``_module/pool.js``), each running
    ``_module/pool_worker.js`` on the module's shared memory."""

    def __init__(self, glue_source: str, compiled: Any, memory: Any) -> None:
        self.glue_source = glue_source
        self.compiled = compiled
        self.memory = memory
        self.workers: list[Any] = []
        self.threads = 1

    async def resize(self, threads: int) -> None:
        """Starts the workers ``threads`` needs that are missing, then lets
        that many threads compute (surplus workers idle)."""
        missing = threads - 1 - len(self.workers)
        if missing > 0:
            start = _evaluate(_read("pool.js").decode())
            worker_source = _read("pool_worker.js").decode()
            try:
                started = await start(
                    self.glue_source,
                    worker_source,
                    self.compiled,
                    self.memory,
                    missing,
                    len(self.workers) + 1,
                    _WORKER_START_MS,
                )
            except Exception as error:
                raise ModuleNotLoadedError(
                    f"the thread pool did not start: {getattr(error, 'message', error)}"
                ) from None
            self.workers.extend(started)
        self.threads = threads
        sys.modules["rust_image"].pool_set_threads(threads)

    def end(self) -> None:
        for worker in self.workers:
            worker.terminate()
        self.workers.clear()


_pool: _Pool | None = None


async def _load_threaded(threads: int) -> None:
    """Instantiates the threaded module here (its glue makes the shared
    memory), registers it, and starts its workers."""
    global _source, _pool
    compiled = await js.WebAssembly.compile(_wasm_bytes("rust_image_threads"))
    glue_source = _read("rust_image_threads.js").decode()
    glue, memory = _initialize("rust_image_threads", compiled, "wasmcanvas.load()", glue_source)
    _register(glue, memory)
    _source = "package"
    pool = _Pool(glue_source, compiled, memory)
    _pool = pool
    try:
        await pool.resize(threads)
    except ModuleNotLoadedError:
        pool.end()
        _pool = None
        sys.modules.pop("rust_image", None)
        _source = None
        raise


async def fresh_instance() -> None:
    """Replace ``rust_image`` with a fresh instance (after a trap): through
    the page's loader if the page registered it, else from this package,
    threaded again if it was."""
    global _source, _pool
    page_loader = _page_loader()
    sys.modules.pop("rust_image", None)
    if _pool is not None:
        threads, pool = _pool.threads, _pool
        pool.end()
        _pool = None
        await _load_threaded(threads)
    elif page_loader is not None and _source != "package":
        await page_loader.reload()
        _source = "page"
    else:
        _instantiate(_wasm_bytes())


# ---- the picture codecs (rust_image_codecs)

# A codecs instance grown past this by a large file is dropped after use.
CODECS_MEMORY_KEPT = 64 * 1024 * 1024


@dataclass(frozen=True)
class Codecs:
    """One instance of ``rust_image_codecs``: its exports and its memory."""

    exports: Any
    memory: Any


_codecs: Codecs | None = None
_codecs_compiled: Any = None


def codecs() -> Codecs:
    """The picture-codecs module, instantiated now from this package's files
    if there is none (synchronously, as for ``rust_image``)."""
    global _codecs, _codecs_compiled
    if _codecs is None:
        if _codecs_compiled is None:
            _codecs_compiled = js.WebAssembly.Module.new(_wasm_bytes("rust_image_codecs"))
        _codecs = Codecs(*_initialize("rust_image_codecs", _codecs_compiled, "wasmcanvas.load_codecs()"))
    return _codecs


async def load_codecs() -> None:
    """Load the picture-codecs module now (idempotent), compiling it
    asynchronously; on a page whose loader offers it (``boot.js``), from the
    page's own files, which a strict Content-Security-Policy allows."""
    global _codecs, _codecs_compiled
    if _codecs is not None:
        return
    page_loader = _page_loader()
    if page_loader is not None and hasattr(page_loader, "codecs"):
        instance = await page_loader.codecs()
        _codecs = Codecs(instance.exports, instance.memory)
        return
    if _codecs_compiled is None:
        _codecs_compiled = await js.WebAssembly.compile(_wasm_bytes("rust_image_codecs"))
    _codecs = Codecs(*_initialize("rust_image_codecs", _codecs_compiled, "wasmcanvas.load_codecs()"))


def release_codecs(trapped: bool = False) -> None:
    """Forget the codecs instance after a trap, or when a large file grew
    its memory past ``CODECS_MEMORY_KEPT`` (wasm memory never shrinks; a
    fresh instance starts small). Only instances this package made can be
    remade without waiting, so a page's instance is kept unless it trapped."""
    global _codecs
    if _codecs is None:
        return
    if trapped or (_codecs_compiled is not None and _codecs.memory.buffer.byteLength > CODECS_MEMORY_KEPT):
        _codecs = None
