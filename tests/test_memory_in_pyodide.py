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
    # `im = Image.new(...)` makes the new image before the name lets go of
    # the old one, so two are alive at once: warm up to that, then measure.
    for _ in range(2):
        im = Image.new("RGBA", (1920, 1080))
        im.inplace.invert()
    start = memory.byte_length
    for _ in range(1000):
        im = Image.new("RGBA", (1920, 1080))
        im.inplace.invert()
    del im
    assert memory.byte_length - start <= one_image, (start, memory.byte_length)
    assert memory.byte_length - before <= 3 * one_image, (before, memory.byte_length)


@run_in_pyodide(packages=["wasmcanvas"])
def test_images_dropped_in_exceptions_comprehensions_and_copies_are_freed(selenium_rust):
    from wasmcanvas import Image, ImageFilter, ImageStat, WasmMemory

    memory = WasmMemory()
    one_image = 1920 * 1080 * 4

    def fails_holding_an_image():
        image = Image.new("RGB", (1920, 1080), (1, 2, 3))
        image.inplace.invert()
        raise RuntimeError(image)

    def chain(original):
        return original.reduce(4).filter(ImageFilter.SMOOTH).convert("L").rotate(30)

    # Warm up to the most memory a step holds at once (wasm memory grows to
    # its peak and never shrinks), then measure.
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
            assert isinstance(error.args[0], Image.Image)
    sizes = [Image.new("L", (1920, 1080)).size for _ in range(200)]
    assert sizes == [(1920, 1080)] * 200
    means = [ImageStat.Stat(image).mean for image in (Image.new("RGB", (1920, 1080), (9, 9, 9)) for _ in range(200))]
    assert means[-1] == [9.0, 9.0, 9.0]
    with Image.new("RGBA", (1920, 1080)) as original:
        for _ in range(200):
            original.copy().inplace.invert()
            original.crop((0, 0, 960, 1080)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    assert memory.byte_length - start <= one_image, (start, memory.byte_length)

    # Pillow-style chains: each step's image is dropped by the next. Memory
    # settles at the chain's peak (where the allocator places the blocks
    # varies at first), then stays: a leak would add 0.5 MB a chain.
    with Image.new("RGBA", (1920, 1080)) as original:
        for _ in range(10):
            chained = chain(original)
        settled = memory.byte_length
        for _ in range(30):
            chained = chain(original)
            assert chained.size == (480, 270)
    assert memory.byte_length - settled <= one_image // 8, (settled, memory.byte_length)


@run_in_pyodide(packages=["wasmcanvas"])
async def test_dropping_images_is_safe_after_close_after_a_reload_and_without_the_module(selenium_rust):
    import sys

    import wasmcanvas
    from wasmcanvas import Image
    from wasmcanvas import module as rust_module

    unraisable = []
    previous_hook, sys.unraisablehook = sys.unraisablehook, unraisable.append
    try:
        closed = Image.new("RGB", (8, 8))
        closed.close()
        del closed
        old = Image.new("RGB", (8, 8))
        old_raw = old.raw
        await wasmcanvas.reload_module()
        # The old instance's image belongs to a module that is gone: dropping
        # it must neither free through the new one nor raise.
        del old
        assert old_raw.width == 8  # the old instance never saw a free()
        with Image.new("RGB", (4, 4), (5, 6, 7)) as fresh:
            assert fresh.getpixel((3, 3)) == (5, 6, 7)
        # As at interpreter shutdown, the module the finalizer needs is gone.
        orphan = Image.new("RGB", (2, 2))
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
    from wasmcanvas import Image, ImageFilter, WasmMemory
    from wasmcanvas import module as rust_module

    held = []
    with pytest.raises(MemoryError) as raised:
        # 256 MiB each: wasm32 memory stops at 4 GiB.
        while len(held) < 64:
            held.append(Image.new("RGBA", (8192, 8192)))
    assert str(raised.value) == "out of memory: could not allocate 268435456 bytes of wasm memory"
    assert 8 <= len(held) < 16, len(held)
    assert not rust_module.broken_reason()
    # Still working while the memory is nearly full...
    with Image.new("RGB", (64, 64), (200, 100, 50)) as small:
        blurred = small.filter(ImageFilter.GaussianBlur(2))
        blurred.inplace.invert()
        assert blurred.getpixel((10, 10)) == (55, 155, 205)
    with pytest.raises(MemoryError, match="out of memory: could not allocate"):
        held[-1].copy()
    assert held[-1].getpixel((8191, 8191)) == (0, 0, 0, 0)
    # ...and once the images are dropped, their memory serves again.
    held.clear()
    big = Image.new("RGB", (8192, 8192), (1, 2, 3))
    big.inplace.invert()
    assert big.getpixel((4000, 4000)) == (254, 253, 252)
    assert WasmMemory().byte_length > 3 * 2**30
