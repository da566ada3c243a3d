"""Rust memory owned by Python objects is freed when Python drops them, not
when the JS garbage collector happens to run; running out of wasm memory is a
Python MemoryError and the module keeps working."""

from pytest_pyodide import run_in_pyodide

HD_BYTES = 1920 * 1080 * 4


@run_in_pyodide(packages=["wasmcanvas"])
def test_a_thousand_dropped_hd_images_leave_wasm_memory_flat(selenium_rust):
    from wasmcanvas import Image, WasmMemory

    memory = WasmMemory()
    one_image = 1920 * 1080 * 4
    before = memory.byte_length
    # `im = Image(...)` makes the new image before the name lets go of the
    # old one, so two are alive at once: warm up to that, then measure.
    for _ in range(2):
        im = Image(1920, 1080)
        im.invert()
    start = memory.byte_length
    for _ in range(1000):
        im = Image(1920, 1080)
        im.invert()
    del im
    assert memory.byte_length - start <= one_image, (start, memory.byte_length)
    assert memory.byte_length - before <= 3 * one_image, (before, memory.byte_length)


@run_in_pyodide(packages=["wasmcanvas"])
def test_images_dropped_in_exceptions_comprehensions_and_copies_are_freed(selenium_rust):
    from wasmcanvas import Image, WasmMemory

    memory = WasmMemory()
    one_image = 1920 * 1080 * 4

    def fails_holding_an_image():
        image = Image(1920, 1080, fill=(1, 2, 3))
        image.blur(1)
        raise RuntimeError(image)

    for _ in range(3):
        try:
            fails_holding_an_image()
        except RuntimeError:
            pass
    start = memory.byte_length
    for _ in range(200):
        try:
            fails_holding_an_image()
        except RuntimeError as error:
            assert isinstance(error.args[0], Image)
    sizes = [Image(1920, 1080).size for _ in range(200)]
    assert sizes == [(1920, 1080)] * 200
    means = [image.mean_colour() for image in (Image(1920, 1080, fill=(9, 9, 9)) for _ in range(200))]
    assert means[-1] == (9.0, 9.0, 9.0, 255.0)
    with Image(1920, 1080) as original:
        for _ in range(200):
            original.copy().invert()
            original.crop(0, 0, 960, 1080).flip_horizontal()
    assert memory.byte_length - start <= one_image, (start, memory.byte_length)


@run_in_pyodide(packages=["wasmcanvas"])
async def test_dropping_images_is_safe_after_close_after_a_reload_and_without_the_module(selenium_rust):
    import sys

    import wasmcanvas
    from wasmcanvas import Image
    from wasmcanvas import module as rust_module

    unraisable = []
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        closed = Image(8, 8)
        closed.close()
        del closed
        old = Image(8, 8)
        old_raw = old.raw
        await wasmcanvas.reload_module()
        # The old instance's image belongs to a module that is gone: dropping
        # it must neither free through the new one nor raise.
        del old
        assert old_raw.width == 8  # the old instance never saw a free()
        with Image(4, 4, fill=(5, 6, 7)) as fresh:
            assert fresh[3, 3] == (5, 6, 7, 255)
        # As at interpreter shutdown, the module the finalizer needs is gone.
        orphan = Image(2, 2)
        real_rust, rust_module.rust = rust_module.rust, None
        try:
            del orphan
        finally:
            rust_module.rust = real_rust
    finally:
        sys.unraisablehook = previous_hook
    assert unraisable == []


@run_in_pyodide(packages=["wasmcanvas"])
def test_running_out_of_wasm_memory_is_a_memory_error_and_the_module_keeps_working(selenium_rust_standalone):
    import pytest
    from wasmcanvas import Image, WasmMemory
    from wasmcanvas import module as rust_module

    held = []
    with pytest.raises(MemoryError) as raised:
        # 256 MiB each: wasm32 memory stops at 4 GiB.
        while len(held) < 64:
            held.append(Image(8192, 8192))
    assert str(raised.value) == "out of memory: could not allocate 268435456 bytes of wasm memory"
    assert 8 <= len(held) < 16, len(held)
    assert not rust_module.broken_reason()
    # Still working while the memory is nearly full...
    with Image(64, 64, fill=(200, 100, 50)) as small:
        small.blur(2)
        small.invert()
        assert small[10, 10] == (55, 155, 205, 255)
    assert held[-1][8191, 8191] == (0, 0, 0, 0)
    # ...and once the images are dropped, their memory serves again.
    held.clear()
    big = Image(8192, 8192, fill=(1, 2, 3))
    big.invert()
    assert big[4000, 4000] == (254, 253, 252, 255)
    assert WasmMemory().byte_length > 3 * 2**30
