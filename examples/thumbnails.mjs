// Thumbnails of every picture in a folder, made by Python with wasmcanvas in
// Node:
//   node thumbnails.mjs <folder> [size]
// writes <folder>/thumbnails/<name>, each fitting in size x size (128): PNG
// and JPEG in their own format, GIF, WebP and BMP as <name>.png (wasmcanvas
// writes none of them). Other files are skipped; a damaged one is reported and makes the
// exit status 1.
import { loadPyodide } from "../pyodide.mjs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const wheel = fileURLToPath(new URL("../wasmcanvas-0.1.0-py3-none-any.whl", import.meta.url));
const [folder, size = "128"] = process.argv.slice(2);
if (!folder) {
  console.error("usage: node thumbnails.mjs <folder> [size]");
  process.exit(2);
}

const pyodide = await loadPyodide();
await pyodide.loadPackage("micropip", { messageCallback: () => {} });
await pyodide.pyimport("micropip").install(`file://${wheel}`);
// The folder appears in Python's file system as /pictures.
pyodide.FS.mkdirTree("/pictures");
pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(folder) }, "/pictures");
pyodide.globals.set("box", Number(size));
const failed = await pyodide.runPythonAsync(`
import os
from wasmcanvas import Image, UnidentifiedImageError

os.makedirs("/pictures/thumbnails", exist_ok=True)
failed = 0
for name in sorted(os.listdir("/pictures")):
    source = os.path.join("/pictures", name)
    if not os.path.isfile(source):
        continue
    try:
        with Image.open(source) as image:
            image.thumbnail((box, box))                             # in Rust, in place, as Pillow's
            size = image.size
            format = image.format if image.format in ("PNG", "JPEG") else "PNG"
            target = os.path.join("/pictures/thumbnails", name + ("" if format == image.format else ".png"))
            image.save(target, format)
            image.close()                                           # its pixels now: the next picture reuses them
        print(f"{name}: {size[0]}x{size[1]}")
    except UnidentifiedImageError:                              # not a picture we read
        print(f"{name}: skipped, not a PNG, JPEG, GIF, WebP or BMP file")
    except OSError as error:                                    # damaged or unreadable
        failed += 1
        print(f"{name}: FAILED: {error}")
failed
`);
process.exitCode = failed ? 1 : 0;
