"""The documentation site (dist/docs/, made by ./build.sh build from docs/
and the docstrings): its examples run, and its pages work offline.

Doctests: every ```pycon block of docs/ is a doctest, run in Pyodide (one
batched call); each page's blocks run in order in one namespace, so a page
reads as one session. What the examples may take for granted is made by
DOCTEST_FIXTURE first: an element `#app` on the page, and the pictures
`photo.png` and `photo.jpg` (640x480, made by wasmcanvas) in the current
folder. A ```python block is code to read, not to run (it needs a worker,
a notebook or another host). A stale example fails
test_the_docs_examples_run_in_pyodide.

The examples of py/wasmcanvas's docstrings (the API reference shows them)
run the same way, in one batched call: each docstring in a namespace of its
module's names, then the user's imports (DOCSTRING_PRELUDE).
"""

import ast
import re
import time
from pathlib import Path

import griffe
import pytest
from conftest import record_summary_line
from pytest_pyodide import run_in_pyodide

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
SITE = ROOT / "dist" / "docs"
PACKAGE = ROOT / "py" / "wasmcanvas"

DOCTEST_FIXTURE = """
import js
from pyodide.ffi import jsnull
from wasmcanvas import Image

Image.new("RGB", (640, 480), "#3070c0").save("photo.png")
Image.new("RGB", (640, 480), "#c07030").save("photo.jpg")
if js.document.getElementById("app") in (None, jsnull):
    app = js.document.createElement("div")
    app.id = "app"
    app.dataset.doctests = "made"
    js.document.body.append(app)
"""
# Proves the runner reports a wrong result: it must count as one failure.
STALE = ("a stale example", ">>> 1 + 1\n3\n")


def doctest_pages() -> list[tuple[str, str]]:
    pages = []
    for path in sorted(DOCS.rglob("*.md")):
        blocks = re.findall(r"^```pycon\n(.*?)^```$", path.read_text(), re.M | re.S)
        if blocks:
            pages.append((str(path.relative_to(ROOT)), "\n".join(blocks)))
    return pages


@run_in_pyodide(packages=["wasmcanvas"])
def run_doctests(selenium, fixture, pages):
    import doctest
    import io

    import js
    from pyodide.ffi import jsnull

    exec(fixture, {})
    results = []
    try:
        for name, text in pages:
            test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, name, name, 0)
            report = io.StringIO()
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
            runner.run(test, out=report.write)
            results.append((name, runner.failures, runner.tries, report.getvalue()))
    finally:
        # The page is shared with other modules' tests, which make an #app
        # of their own (the lesson's): the fixture's must not outlive these.
        made = js.document.querySelector("#app[data-doctests]")
        if made not in (None, jsnull):
            made.remove()
    return results


def test_the_docs_examples_run_in_pyodide(selenium_rust_module_scope):
    pages = doctest_pages()
    assert len(pages) >= 10, f"only {len(pages)} pages of docs/ have examples"
    results = run_doctests(selenium_rust_module_scope, DOCTEST_FIXTURE, [STALE, *pages])
    stale, *checked = results
    assert stale[:3] == ("a stale example", 1, 1), stale
    failed = {name: report for name, failures, _, report in checked if failures}
    assert not failed, "\n".join(f"{name}:\n{report}" for name, report in failed.items())
    assert all(tries > 0 for _, _, tries, _ in checked)


def docstring_examples() -> list[tuple[str, str, str]]:
    """(module, dotted name, docstring) for every docstring of py/wasmcanvas
    with an example: modules, classes, functions and methods."""
    found = []
    for path in sorted(PACKAGE.glob("*.py")):
        module = path.stem

        def visit(node, prefix):
            for child in getattr(node, "body", []):
                if isinstance(child, ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
                    name = f"{prefix}.{child.name}"
                    text = ast.get_docstring(child)
                    if text and ">>>" in text:
                        found.append((module, name, text))
                    visit(child, name)

        tree = ast.parse(path.read_text())
        text = ast.get_docstring(tree)
        if text and ">>>" in text:
            found.append((module, f"wasmcanvas.{module}", text))
        visit(tree, f"wasmcanvas.{module}")
    return found


# What a docstring's examples may take for granted besides the docs' fixture
# (an element #app, photo.png and photo.jpg): their module's own names, and
# the user's `import wasmcanvas` and `from wasmcanvas import *` (so `Image`
# is the module, as a user imports it).
DOCSTRING_PRELUDE = "import wasmcanvas\nfrom wasmcanvas import *\n" + "".join(
    f"from wasmcanvas import {module}\n"
    for module in sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_"))
)


@run_in_pyodide(packages=["wasmcanvas"])
async def run_docstring_examples(selenium, fixture, prelude, docstrings):
    """doctest's parser and checker, with the examples run as Pyodide's
    console runs them (top-level await allowed): one namespace per
    docstring, as doctest gives. Directives (``+SKIP``...) are not read:
    every example runs."""
    import ast
    import doctest
    import importlib
    import inspect
    import io
    import sys
    import traceback

    exec(fixture, {})
    user = {}
    exec(prelude, user)
    checker = doctest.OutputChecker()
    options = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    results = []
    for module, name, text in docstrings:
        namespace = dict(vars(importlib.import_module(f"wasmcanvas.{module}")) if module else {})
        namespace.update(user)
        try:
            examples = doctest.DocTestParser().get_examples(text, name)
        except ValueError as error:
            results.append((name, 0, [f"  {error}"]))
            continue
        failures = []
        for example in examples:
            shown, raised = io.StringIO(), None
            sys.stdout = shown
            try:
                code = compile(example.source, name, "single", ast.PyCF_ALLOW_TOP_LEVEL_AWAIT)
                value = eval(code, namespace)
                if code.co_flags & inspect.CO_COROUTINE:
                    await value
            except Exception as error:
                raised = traceback.format_exception_only(type(error), error)[-1]
            finally:
                sys.stdout = sys.__stdout__
            if raised is None:
                passed = example.exc_msg is None and checker.check_output(example.want, shown.getvalue(), options)
                got = shown.getvalue()
            else:
                passed = example.exc_msg is not None and checker.check_output(example.exc_msg, raised, options)
                got = raised
            if not passed:
                failures.append(
                    f"  line {example.lineno + 1}: {example.source.strip()}\n"
                    f"    expected: {(example.exc_msg or example.want).strip()!r}\n    got: {got.strip()!r}"
                )
        results.append((name, len(examples), failures))
    return results


def test_the_docstrings_examples_run_in_pyodide(selenium_rust_module_scope):
    docstrings = docstring_examples()
    assert len(docstrings) >= 100, f"only {len(docstrings)} docstrings have examples"
    stale = ("", "a stale docstring", "Adds.\n\n>>> 1 + 1\n3\n>>> await wasmcanvas.load()\n")
    started = time.monotonic()
    results = run_docstring_examples(
        selenium_rust_module_scope, DOCTEST_FIXTURE, DOCSTRING_PRELUDE, [stale, *docstrings]
    )
    took = time.monotonic() - started
    (_, stale_tries, stale_failures), *checked = results
    assert (stale_tries, len(stale_failures)) == (2, 1), stale_failures
    failed = {name: failures for name, _, failures in checked if failures}
    report = "\n".join(f"{name}:\n" + "\n".join(failures) for name, failures in failed.items())
    assert not failed, f"{sum(map(len, failed.values()))} examples failed ({took:.1f} s):\n{report}"
    assert all(tries > 0 for _, tries, _ in checked)
    # The modules after this one share its Pyodide: no example may leave a
    # listener or an animation running.
    assert selenium_rust_module_scope.run("import wasmcanvas; wasmcanvas.live_proxy_count()") == 0
    record_summary_line(
        f"docstring examples: {sum(tries for _, tries, _ in checked)} in {len(checked)} docstrings, "
        f"run in Pyodide in {took:.1f} s"
    )


def public_modules() -> list[str]:
    """The modules the reference documents (web/tools/build_docs.py's rule)."""
    return sorted(p.stem for p in PACKAGE.glob("*.py") if not p.stem.startswith("_"))


def public_names() -> dict[str, list[str]]:
    """Per module, the dotted path of every public name it defines, and of
    the public members of its classes, read by griffe as the build reads them."""
    package = griffe.load("wasmcanvas", search_paths=[str(ROOT / "py")], resolve_aliases=False)
    names: dict[str, list[str]] = {}
    for module_name in public_modules():
        module = package[module_name]
        found = []
        for member in module.members.values():
            if member.is_alias or not member.is_public:
                continue
            found.append(member.path)
            if member.is_class:
                found += [m.path for m in member.members.values() if not m.is_alias and m.is_public]
        names[module_name] = found
    return names


def wait_until(condition, timeout=20.0, what="the condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{what} did not happen within {timeout} s")


def open_docs_page(page, path: str) -> None:
    page.driver.get(f"{page.base_url}docs/{path}")
    wait_until(lambda: page.driver.execute_script("return document.readyState") == "complete", what=f"{path} loading")


def open_docs_page_without_search_worker(page, path: str) -> None:
    """Loads a page whose search worker would only repeat what the first page
    of its folder proved (the same script and index, at the same relative
    path): that worker, indexing the whole site again on each of about 80
    pages, was two thirds of this test's time."""
    inert_worker = "window.Worker = class { postMessage() {} addEventListener() {} terminate() {} };"
    script = page.driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": inert_worker})
    try:
        open_docs_page(page, path)
    finally:
        page.driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})


@pytest.mark.e2e
def test_every_docs_page_loads_offline_with_no_error_and_keeps_its_policy(page):
    paths = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if p.name != "404.html")
    assert "reference/ImageFilter.html" in paths and "handbook/memory.html" in paths
    first_in_folder = {path.rpartition("/")[0]: path for path in reversed(paths)}
    errors = {}
    for path in paths:
        if path in first_in_folder.values():
            open_docs_page(page, path)
        else:
            open_docs_page_without_search_worker(page, path)
        policy = page.driver.execute_script(
            "return document.querySelector('meta[http-equiv=\"Content-Security-Policy\"]').content"
        )
        assert "script-src 'self' 'sha256-" in policy and "unsafe" not in policy, path
        if console := page.console_errors():
            errors[path] = console
    assert errors == {}
    assert page.foreign_requests() == []
    open_docs_page(page, "handbook/memory.html")
    page.screenshot("docs-handbook-memory")
    back = page.driver.execute_script("return document.querySelector('a.md-logo').getAttribute('href')")
    assert back == "../../index.html"


@pytest.mark.e2e
def test_search_finds_gaussianblur_offline(page):
    open_docs_page(page, "index.html")
    field = page.driver.find_element("css selector", "input.md-search__input")
    field.click()
    field.send_keys("GaussianBlur")
    links = wait_until(
        lambda: page.driver.execute_script(
            "return [...document.querySelectorAll('.md-search-result__item a')].map(a => a.getAttribute('href'))"
        ),
        what="search results for GaussianBlur",
    )
    assert any(
        link.endswith("reference/ImageFilter.html?h=gaussianblur#wasmcanvas.ImageFilter.GaussianBlur") for link in links
    ), links
    assert page.console_errors() == []
    assert page.foreign_requests() == []


def test_every_public_name_has_a_reference_entry():
    # A page per public module and no other: a private module (_apng) has none.
    pages = sorted(p.stem for p in (SITE / "reference").glob("*.html") if p.stem != "index")
    assert pages == public_modules() and "apng" not in pages
    missing = []
    for module, names in public_names().items():
        html = (SITE / "reference" / f"{module}.html").read_text()
        missing += [name for name in [f"wasmcanvas.{module}", *names] if f'id="{name}"' not in html]
    assert missing == []


def test_every_page_of_the_site_links_to_the_docs():
    pages = sorted(p for p in SITE.parent.glob("*.html") if p.name != "bench-bare.html")
    assert len(pages) >= 7
    assert [p.name for p in pages if '<a href="docs/index.html">Docs</a>' not in p.read_text()] == []
