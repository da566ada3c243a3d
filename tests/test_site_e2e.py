"""End to end: dist/index.html served on 127.0.0.1, driven in headless Chromium."""

import pytest

pytestmark = pytest.mark.e2e


def test_lesson_page_becomes_ready_and_draws_both_squares(page):
    assert page.open("index.html") == "ready"
    assert page.pixel("#lesson-canvas", 50, 50) == [255, 0, 0, 255]
    assert page.pixel("#lesson-canvas", 150, 50) == [60, 70, 90, 255]
    assert "Ready in" in page.driver.find_element("id", "status").text
    page.screenshot("index")


def test_lesson_page_logs_no_console_errors(page):
    assert page.open("index.html") == "ready"
    assert page.console_errors() == []


def test_lesson_page_requests_nothing_beyond_the_test_server(page):
    assert page.open("index.html") == "ready"
    requested = page.requested_urls()
    assert any(url.endswith("/pkg/rust_image_bg.wasm") for url in requested)
    assert any(url.endswith("/pyodide.asm.wasm") for url in requested)
    assert page.foreign_requests() == []


def test_lesson_page_exposes_pyodide_with_rust_image_registered(page):
    assert page.open("index.html") == "ready"
    pixels = page.driver.execute_script(
        "return window.pyodide.runPython("
        "'from wasmcanvas.lesson import read_seed_pixels; read_seed_pixels().tolist()').toJs();"
    )
    assert pixels == [255, 0, 0, 60, 70, 90]


def test_lesson_page_reports_a_failed_boot_on_the_page(page):
    page.driver.execute_cdp_cmd("Network.enable", {})
    page.driver.execute_cdp_cmd("Network.setBlockedURLs", {"urls": ["*rust_image_bg.wasm"]})
    assert page.open("index.html") == "error"
    status = page.driver.find_element("id", "status")
    assert status.text.startswith('Failed at "Loading the Rust module":')
    assert "error" in status.get_attribute("class")
    assert page.driver.execute_script("return document.querySelector('#lesson-canvas')") is None
    page.screenshot("index-boot-error")
