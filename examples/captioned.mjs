// Captioned thumbnails of the pictures in a folder, made by Python with
// wasmcanvas in Node:
//   node captioned.mjs <folder> [size]
// writes <folder>/captioned/<name>.png: the picture turned upright as its
// EXIF orientation says (a phone's portrait photo stays portrait), fitted in
// size x size (160), above a strip holding its name and size in the default
// font. Files that are not pictures are skipped; a damaged one is reported
// and makes the exit status 1.
import { loadPyodide } from "../pyodide.mjs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const wheel = fileURLToPath(new URL("../wasmcanvas-0.1.0-py3-none-any.whl", import.meta.url));
const [folder, size = "160"] = process.argv.slice(2);
if (!folder) {
  console.error("usage: node captioned.mjs <folder> [size]");
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
from wasmcanvas import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

STRIP = 24                                                      # pixels under the picture
font = ImageFont.load_default(13)                               # the scalable default font, as Pillow's
os.makedirs("/pictures/captioned", exist_ok=True)
failed = 0
for name in sorted(os.listdir("/pictures")):
    source = os.path.join("/pictures", name)
    if not os.path.isfile(source):
        continue
    try:
        with Image.open(source) as image:
            upright = ImageOps.exif_transpose(image).convert("RGB")  # the phone's portrait stays portrait
        width, height = upright.size
        upright.thumbnail((box, box))
        card = Image.new("RGB", (upright.width, upright.height + STRIP), "white")
        card.paste(upright)
        caption = f"{name} ({width}x{height})"
        ImageDraw.Draw(card).text((4, upright.height + STRIP // 2), caption, fill="black", font=font, anchor="lm")
        card.save(os.path.join("/pictures/captioned", name + ".png"))
        print(f"{name}: {card.width}x{card.height}")
        upright.close()
        card.close()
    except UnidentifiedImageError:
        print(f"{name}: skipped, not a picture wasmcanvas reads")
    except OSError as error:
        failed += 1
        print(f"{name}: FAILED: {error}")
failed
`);
process.exitCode = failed ? 1 : 0;
