import marimo

app = marimo.App()


@app.cell
async def _():
    import io

    import marimo as mo
    from pyodide.http import pyfetch

    from wasmcanvas import Image, ImageFilter

    # The picture is published beside the notebook (public/).
    response = await pyfetch(str(mo.notebook_location() / "public" / "photo.png"))
    photo = Image.open(io.BytesIO(await response.bytes()))
    photo.filter(ImageFilter.GaussianBlur(2))
    return


if __name__ == "__main__":
    app.run()
