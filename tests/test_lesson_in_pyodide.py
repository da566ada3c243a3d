"""The seed lesson inside Pyodide: Python reads Rust's pixels from wasm memory
through `rust_image` and draws them with `js.document`."""

from pytest_pyodide import run_in_pyodide

SEED_BYTES = [255, 0, 0, 60, 70, 90]


@run_in_pyodide
def test_seed_bytes_read_through_a_memoryview_of_wasm_memory(selenium_rust):
    import js
    import rust_image

    image = rust_image.Image.new()
    try:
        view = js.Uint8Array.new(rust_image.memory.buffer, image.pixels_ptr(), 6)
        pixels = view.to_memoryview()
        assert isinstance(pixels, memoryview)
        assert pixels.tolist() == [255, 0, 0, 60, 70, 90]
    finally:
        image.free()


@run_in_pyodide
def test_image_reports_its_length_in_bytes_and_pixels(selenium_rust):
    import rust_image

    image = rust_image.Image.new()
    try:
        assert image.pixels_len() == 6
        assert image.pixel_count() == 2
        pointer = image.pixels_ptr()
        assert 0 < pointer < rust_image.memory.buffer.byteLength
    finally:
        image.free()


@run_in_pyodide
def test_memory_is_registered_beside_the_exports(selenium_rust):
    import rust_image
    from pyodide.code import run_js

    is_memory = run_js("(value) => value instanceof WebAssembly.Memory")
    assert is_memory(rust_image.memory) is True
    assert is_memory(rust_image.Image) is False
    assert rust_image.memory.buffer.byteLength % 65536 == 0
    assert rust_image.memory.buffer.byteLength > 0


@run_in_pyodide
def test_each_image_owns_its_own_pixels(selenium_rust):
    import rust_image

    first, second = rust_image.Image.new(), rust_image.Image.new()
    try:
        assert first.pixels_ptr() != second.pixels_ptr()
    finally:
        first.free()
        second.free()


@run_in_pyodide
def test_a_freed_image_refuses_further_calls(selenium_rust):
    import pytest
    import rust_image
    from pyodide.ffi import JsException

    image = rust_image.Image.new()
    image.free()
    with pytest.raises(JsException, match="null pointer passed to rust"):
        image.pixels_ptr()


@run_in_pyodide(packages=["wasmcanvas", "wasmcanvas-site"])
def test_read_seed_pixels_returns_the_lesson_bytes(selenium_rust):
    from wasmcanvas_site.lesson import read_seed_pixels

    assert read_seed_pixels().tolist() == [255, 0, 0, 60, 70, 90]


@run_in_pyodide(packages=["wasmcanvas"])
def test_num_to_hex_formats_bytes_and_rejects_the_rest(selenium_rust):
    import pytest
    from wasmcanvas.colours import num_to_hex, to_css

    assert [num_to_hex(value) for value in (0, 10, 60, 255)] == ["00", "0a", "3c", "ff"]
    assert to_css((60, 70, 90)) == "#3c465a"
    with pytest.raises(ValueError, match=r"a colour byte must be in 0..255, got 256"):
        num_to_hex(256)
    with pytest.raises(ValueError, match=r"got -1"):
        num_to_hex(-1)
    with pytest.raises(TypeError, match="a colour byte must be an int, not float"):
        num_to_hex(1.5)
    with pytest.raises(TypeError, match="not bool"):
        num_to_hex(True)


@run_in_pyodide(packages=["wasmcanvas", "wasmcanvas-site"])
def test_main_draws_both_squares_on_a_new_canvas(selenium_rust):
    import js
    from wasmcanvas_site import lesson

    holder = js.document.createElement("div")
    holder.id = "app"
    js.document.body.appendChild(holder)
    try:
        canvas = lesson.main("#app")
        assert canvas.element.parentNode == holder
        assert (canvas.width, canvas.height) == (200, 100)
        context = canvas.context

        def pixel(x, y):
            return context.getImageData(x, y, 1, 1).data.to_py().tolist()

        assert pixel(50, 50) == [255, 0, 0, 255]
        assert pixel(150, 50) == [60, 70, 90, 255]
        assert pixel(0, 0) == [255, 0, 0, 255]
        assert pixel(199, 99) == [60, 70, 90, 255]
    finally:
        holder.remove()


@run_in_pyodide(packages=["wasmcanvas", "wasmcanvas-site"])
def test_main_names_a_missing_parent_element(selenium_rust):
    import pytest
    from wasmcanvas_site import lesson

    with pytest.raises(LookupError, match="no element matches '#nowhere'"):
        lesson.main("#nowhere")
