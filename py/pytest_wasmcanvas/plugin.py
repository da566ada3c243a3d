"""The pytest plugin (registered as ``wasmcanvas`` by the ``pytest11`` entry
point): its options, the ``selenium_wasmcanvas`` fixture and the
installation of wasmcanvas (and the user's code) into a Pyodide.

wasmcanvas goes in from its wheel file through ``pyodide.loadPackage(url)``,
served for the moment by a web server of pytest-pyodide's: that works the
same in a page, a Web Worker and Node, and needs no entry for wasmcanvas in
the Pyodide distribution's lock file, so a plain Pyodide release serves.
"""

from __future__ import annotations

import ast
import copy
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from _pytest.assertion.rewrite import rewrite_asserts
from pytest_pyodide import run_in_pyodide
from pytest_pyodide.hook import ORIGINAL_MODULE_ASTS, REWRITE_CONFIG, REWRITTEN_MODULE_ASTS
from pytest_pyodide.server import spawn_web_server

# "main": the page (Node's main thread with --runtime=node); "worker": a
# dedicated Web Worker of the browser, which has no document.
HOSTS = ("main", "worker")
_INSTALLED = "_wasmcanvas_installed"
_config: pytest.Config | None = None

# Run in Pyodide once the wheel is in: the user's files into site-packages
# (so that tests import them by name), then the Rust module and the codecs,
# so that a test's first picture file does not pay for them.
_SETUP = """
import importlib, site
from pathlib import Path
from pyodide.http import pyfetch

for url, relative in {files!r}:
    response = await pyfetch(url)
    if not response.ok:
        raise OSError(f"fetching {{url}} for pytest-wasmcanvas failed: HTTP {{response.status}}")
    target = Path(site.getsitepackages()[0], relative)
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(await response.bytes())
importlib.invalidate_caches()

import wasmcanvas
await wasmcanvas.load()
await wasmcanvas.load_codecs()
"""


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("wasmcanvas", "wasmcanvas in Pyodide (pytest-wasmcanvas)")
    group.addoption(
        "--wasmcanvas-wheel",
        default=None,
        help="the wasmcanvas wheel to install in Pyodide (default: ini wasmcanvas_wheel, "
        "else the newest wasmcanvas-*.whl in --dist-dir)",
    )
    group.addoption(
        "--wasmcanvas-host",
        default=None,
        help="where selenium_wasmcanvas runs, a comma-separated list of main (the page, or Node) and worker "
        "(a dedicated Web Worker; browsers only): each test runs in each (default: ini wasmcanvas_hosts, else main). "
        "The runtime (chrome, firefox, node) is pytest-pyodide's --runtime",
    )
    parser.addini("wasmcanvas_wheel", "the wasmcanvas wheel to install in Pyodide (see --wasmcanvas-wheel)")
    parser.addini("wasmcanvas_hosts", "main and/or worker (see --wasmcanvas-host)", type="args")
    parser.addini(
        "wasmcanvas_code",
        "your code for Pyodide: .py files and package folders, relative to the rootdir, "
        "copied into Pyodide's site-packages so that tests import them",
        type="args",
    )


def pytest_configure(config: pytest.Config) -> None:
    global _config
    _config = config
    hosts()  # a misspelt host fails here, before any browser starts


def pytest_unconfigure(config: pytest.Config) -> None:
    global _config
    if _config is config:
        _config = None


def _current_config() -> pytest.Config:
    if _config is None:
        raise RuntimeError("pytest-wasmcanvas is not active: run_in_wasmcanvas works inside a pytest run")
    return _config


def hosts(config: pytest.Config | None = None) -> list[str]:
    """The hosts asked for, in order: ``--wasmcanvas-host``, else the ini's
    ``wasmcanvas_hosts``, else ``["main"]``."""
    config = config or _current_config()
    given = config.getoption("--wasmcanvas-host")
    names = given.split(",") if given else config.getini("wasmcanvas_hosts") or ["main"]
    chosen = [name.strip() for name in names if name.strip()]
    wrong = [name for name in chosen if name not in HOSTS]
    if wrong or not chosen:
        raise pytest.UsageError(f"--wasmcanvas-host takes main and/or worker, got {given or names!r}")
    return list(dict.fromkeys(chosen))


def wheel_path(config: pytest.Config | None = None) -> Path:
    """The wasmcanvas wheel to install: ``--wasmcanvas-wheel``, the ini's
    ``wasmcanvas_wheel`` (relative to the rootdir), or the newest
    ``wasmcanvas-*.whl`` in pytest-pyodide's ``--dist-dir``."""
    config = config or _current_config()
    given = config.getoption("--wasmcanvas-wheel") or config.getini("wasmcanvas_wheel")
    if given:
        path = Path(config.rootpath, given) if not Path(given).is_absolute() else Path(given)
        if not path.is_file():
            raise pytest.UsageError(f"the wasmcanvas wheel {str(path)!r} does not exist")
        return path
    dist_dir = Path(config.getoption("--dist-dir"))
    found = sorted(dist_dir.glob("wasmcanvas-*.whl"), key=lambda path: path.stat().st_mtime)
    if not found:
        raise pytest.UsageError(
            f"no wasmcanvas-*.whl in --dist-dir {str(dist_dir)!r}: name the wheel with --wasmcanvas-wheel "
            "or the ini option wasmcanvas_wheel"
        )
    return found[-1]


def code_files(config: pytest.Config | None = None) -> list[tuple[Path, str]]:
    """Each file of the ini's ``wasmcanvas_code`` (files and folders,
    relative to the rootdir) with its path inside site-packages."""
    config = config or _current_config()
    files: list[tuple[Path, str]] = []
    for entry in config.getini("wasmcanvas_code"):
        path = Path(config.rootpath, entry)
        if path.is_file():
            files.append((path, path.name))
        elif path.is_dir():
            files += [
                (file, file.relative_to(path.parent).as_posix())
                for file in sorted(path.rglob("*"))
                if file.is_file() and "__pycache__" not in file.parts
            ]
        else:
            raise pytest.UsageError(f"wasmcanvas_code names {entry!r}, which is not in {str(config.rootpath)!r}")
    return files


def install_wasmcanvas(selenium: Any, config: pytest.Config | None = None) -> Any:
    """Installs wasmcanvas's wheel and the user's code (``wasmcanvas_code``)
    in the Pyodide behind ``selenium`` (any of pytest-pyodide's fixtures),
    and loads the Rust module and the codecs; once per Pyodide. Returns
    ``selenium``."""
    if getattr(selenium, _INSTALLED, False):
        return selenium
    config = config or _current_config()
    wheel = wheel_path(config)
    code = code_files(config)
    with tempfile.TemporaryDirectory(prefix="pytest-wasmcanvas-") as folder:
        shutil.copy(wheel, Path(folder, wheel.name))
        for index, (source, _) in enumerate(code):
            Path(folder, "code", str(index)).mkdir(parents=True)
            shutil.copy(source, Path(folder, "code", str(index), source.name))
        with spawn_web_server(folder) as (hostname, port, _log):
            base = f"http://{hostname}:{port}"
            selenium.load_package([f"{base}/{wheel.name}"])
            fetches = [
                (f"{base}/code/{index}/{source.name}", relative) for index, (source, relative) in enumerate(code)
            ]
            selenium.run_async(_SETUP.format(files=fetches))
    setattr(selenium, _INSTALLED, True)
    return selenium


def pytest_pycollect_makemodule(module_path: Path, parent: pytest.Collector) -> None:
    # run_in_pyodide sends the function's source, found in the module's
    # syntax tree that pytest-pyodide keeps for the modules that name
    # run_in_pyodide: the same for those that name run_in_wasmcanvas.
    name = str(module_path)
    source = module_path.read_bytes()
    if b"run_in_wasmcanvas" in source and name not in ORIGINAL_MODULE_ASTS:
        tree = ast.parse(source, filename=name)
        ORIGINAL_MODULE_ASTS[name] = tree
        rewritten = copy.deepcopy(tree)
        rewrite_asserts(rewritten, source, name, REWRITE_CONFIG)
        REWRITTEN_MODULE_ASTS[name] = rewritten


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "wasmcanvas_host" in metafunc.fixturenames:
        metafunc.parametrize("wasmcanvas_host", hosts(metafunc.config), scope="module")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Node has no Web Worker host: the (node, worker) pairs are not tests.
    kept: list[pytest.Item] = []
    dropped: list[pytest.Item] = []
    for item in items:
        params = getattr(item, "callspec", None)
        pair = (params.params.get("runtime"), params.params.get("wasmcanvas_host")) if params else (None, None)
        (dropped if pair == ("node", "worker") else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


@pytest.fixture
def selenium_wasmcanvas(request: pytest.FixtureRequest, runtime: str, wasmcanvas_host: str) -> Any:
    """pytest-pyodide's ``selenium`` (a page, or Node with ``--runtime=node``)
    or ``selenium_worker`` (a dedicated Web Worker), as ``--wasmcanvas-host``
    says, with wasmcanvas, its codecs and your ``wasmcanvas_code`` loaded.
    One Pyodide per test module and host, as pytest-pyodide's own."""
    fixture = "selenium_worker" if wasmcanvas_host == "worker" else "selenium"
    return install_wasmcanvas(request.getfixturevalue(fixture), request.config)


class run_in_wasmcanvas(run_in_pyodide):  # type: ignore[misc] # pytest-pyodide has no types
    """pytest-pyodide's ``run_in_pyodide`` that first makes sure wasmcanvas
    is installed and loaded in the Pyodide it is given (its first argument:
    ``selenium_wasmcanvas``, or any of pytest-pyodide's fixtures). Arguments
    and the return value travel pickled, as with ``run_in_pyodide``.

    ``@run_in_wasmcanvas`` on a test function runs the test in Pyodide; on a
    helper, it runs the helper there when a host-side test calls it.
    """

    def _run(self, selenium: Any, args: tuple[Any, ...]) -> Any:
        __tracebackhide__ = True
        install_wasmcanvas(selenium)
        return super()._run(selenium, args)


__all__ = ["install_wasmcanvas", "run_in_wasmcanvas", "selenium_wasmcanvas"]
