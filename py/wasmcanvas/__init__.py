"""wasmcanvas: fast pixel work from Python in the browser.

Python running under Pyodide drives ``rust_image``, a Rust image library
compiled to WebAssembly with wasm-bindgen, reads its pixels straight out of the
module's linear memory and draws them on a DOM canvas.

The page's loader registers the wasm-bindgen module as ``rust_image`` (with its
``memory``) before any of this package runs, so::

    import rust_image
    from wasmcanvas.lesson import read_seed_pixels

    read_seed_pixels().tolist()   # [255, 0, 0, 60, 70, 90]
"""

__version__ = "0.1.0"
