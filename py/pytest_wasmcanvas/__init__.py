"""pytest-wasmcanvas: test your own wasmcanvas code from your own pytest, in
Pyodide in headless Chromium (a page or a dedicated Web Worker) or Node.

Built on pytest-pyodide (and its Selenium runners): installing this wheel
registers the plugin. A test takes the fixture ``selenium_wasmcanvas`` (a
Pyodide with wasmcanvas's wheel, its codecs and your code loaded) and is
decorated with ``run_in_wasmcanvas`` to run in that Pyodide::

    from pytest_wasmcanvas import run_in_wasmcanvas

    @run_in_wasmcanvas
    def test_thumbnail(selenium_wasmcanvas):
        from wasmcanvas import Image
        from myproject import thumbnail      # your code, from wasmcanvas_code

        assert thumbnail(Image.new("RGB", (64, 48))).size == (32, 24)

Configuration (command line, or ``[tool.pytest.ini_options]``):

- ``--dist-dir`` (pytest-pyodide's): a Pyodide distribution with ``pytest``
  and ``tblib`` (Pyodide's release has them).
- ``--runtime`` (pytest-pyodide's): ``chrome``, ``firefox`` or ``node``, or
  several, comma-separated.
- ``--wasmcanvas-host`` / ``wasmcanvas_hosts``: ``main`` (the page, or
  Node's main thread) and/or ``worker`` (a dedicated Web Worker, as a
  notebook's kernel: no ``document``; browsers only); each test runs in
  each host of each runtime.
- ``--wasmcanvas-wheel`` / ``wasmcanvas_wheel``: the wasmcanvas wheel
  (default: the newest ``wasmcanvas-*.whl`` in ``--dist-dir``).
- ``wasmcanvas_code``: your modules (``.py`` files, package folders) that
  the tests import in Pyodide.

On CPython ``import wasmcanvas`` raises ImportError on purpose: this
package is the host's side, and never imports wasmcanvas itself.
"""

from .plugin import install_wasmcanvas, run_in_wasmcanvas

__all__ = ["install_wasmcanvas", "run_in_wasmcanvas"]
