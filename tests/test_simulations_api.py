"""`wasmcanvas.Life` and `wasmcanvas.Plasma`: Python objects over the Rust
simulations that render into Images, free their state deterministically and
raise Python exceptions."""

from pytest_pyodide import run_in_pyodide


@run_in_pyodide(packages=["wasmcanvas"])
def test_life_steps_renders_and_frees(selenium_rust):
    import pytest
    from wasmcanvas import ClosedImageError, Image, Life, live_proxy_count

    with Life(8, 6) as world, Image.new("RGBA", (8, 6)) as frame:
        # A blinker: three in a row turn to three in a column each step.
        assert world.place_pattern("OOO", 2, 2) == 3
        world.set_colours("lime", (0, 0, 0))
        world.tick()
        assert (world.generation, world.population) == (1, 3)
        assert [world.is_alive(3, y) for y in (1, 2, 3)] == [True, True, True]
        world.render(frame)
        assert frame.getpixel((3, 1)) == (0, 255, 0, 255) and frame.getpixel((2, 2)) == (0, 0, 0, 255)
        assert world.toggle(0, 0) is True and world.population == 4
        world.set(0, 0, False)
        world.clear()
        assert world.population == 0
        world.randomize(7, 0.5)
        assert 0 < world.population < 48
        assert (world.width, world.height) == (8, 6)
        with pytest.raises(IndexError, match=r"point \(8, 0\) is outside the 8x6 image"):
            world.toggle(8, 0)
        with pytest.raises(ValueError, match="generations must be at most 10000, got 10001"):
            world.tick(10001)
        with pytest.raises(ValueError, match="the image to render into must be 8x6, got 3x3"):
            world.render(Image.new("RGBA", (3, 3)))
        with pytest.raises(TypeError, match="pattern must be a str, not int"):
            world.place_pattern(3, 0, 0)
    with pytest.raises(ClosedImageError, match="this Life is closed: its state was freed"):
        world.tick()
    world.close()  # twice is harmless

    # Dropping a world frees it: no JS proxy is left behind.
    before = live_proxy_count()
    for _ in range(20):
        Life(16, 16).tick(2)
    assert live_proxy_count() == before


@run_in_pyodide(packages=["wasmcanvas"])
def test_plasma_renders_any_size_and_frees(selenium_rust):
    import pytest
    from wasmcanvas import ClosedImageError, Image, Plasma

    with Plasma() as plasma, Image.new("RGBA", (5, 3)) as frame, Image.new("RGBA", (5, 3)) as again:
        plasma.render(frame, 1.5)
        plasma.render(again, 1.5 + 3600)
        assert frame.tobytes() == again.tobytes(), "time counts modulo an hour"
        assert all(frame.getpixel((x, y))[3] == 255 for x in range(5) for y in range(3))
        with pytest.raises(TypeError, match="time must be a number, not str"):
            plasma.render(frame, "1")
    with Image.new("RGBA", (2, 2)) as open_frame, pytest.raises(ClosedImageError, match="this Plasma is closed"):
        plasma.render(open_frame, 0)
