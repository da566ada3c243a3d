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
"""

import re
import time
from pathlib import Path

import griffe
import pytest
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

    exec(fixture, {})
    results = []
    for name, text in pages:
        test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, name, name, 0)
        report = io.StringIO()
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, out=report.write)
        results.append((name, runner.failures, runner.tries, report.getvalue()))
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


@pytest.mark.e2e
def test_every_docs_page_loads_offline_with_no_error_and_keeps_its_policy(page):
    paths = sorted(str(p.relative_to(SITE)) for p in SITE.rglob("*.html") if p.name != "404.html")
    assert "reference/ImageFilter.html" in paths and "handbook/memory.html" in paths
    errors = {}
    for path in paths:
        open_docs_page(page, path)
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
