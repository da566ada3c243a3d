"""Python's bytecode for what dist/ serves to Pyodide, compiled by Pyodide's
own CPython (run inside it by pyodide_bytecode.mjs; build.sh runs that).

Pyodide's npm package ships the standard library as sources: every boot
compiled the 145 modules it imports, 1.8 s of CPU in Node, and every
import of wasmcanvas or pytest compiled those again. Pyodide's own builds
compile their packages the same way (`pyodide py-compile`).

- The standard library's zip: each module's source replaced by its
  bytecode (as Pyodide's pyc distribution; the zip stays small), with the
  file name a traceback shows, /lib/python314.zip/...
- A wheel: its sources kept, and beside each a hash-checked .pyc in
  __pycache__, listed in RECORD. Python uses it while the source is the
  one it was compiled from; other Python versions ignore it.
"""

from __future__ import annotations

import base64
import hashlib
import importlib.util
import py_compile
import zipfile
from pathlib import PurePosixPath

STDLIB_PREFIX = "/lib/python314.zip/"
SCRATCH = "/tmp/bytecode-source.py"
SCRATCH_PYC = "/tmp/bytecode-source.pyc"


def bytecode(source: bytes, shown_as: str, mode: py_compile.PycInvalidationMode) -> bytes | None:
    """The .pyc of `source`, or None when it does not compile (a test
    fixture of bad syntax, say: it stays a source)."""
    with open(SCRATCH, "wb") as scratch:
        scratch.write(source)
    try:
        py_compile.compile(SCRATCH, cfile=SCRATCH_PYC, dfile=shown_as, doraise=True, invalidation_mode=mode)
    except py_compile.PyCompileError:
        return None
    with open(SCRATCH_PYC, "rb") as compiled:
        return compiled.read()


def compile_stdlib_zip(source_zip: str, output_zip: str) -> int:
    """Writes `output_zip`: `source_zip` with each module as bytecode."""
    compiled = 0
    with zipfile.ZipFile(source_zip) as source, zipfile.ZipFile(output_zip, "w") as output:
        for entry in source.infolist():
            data = source.read(entry)
            if entry.filename.endswith(".py"):
                pyc = bytecode(data, STDLIB_PREFIX + entry.filename, py_compile.PycInvalidationMode.UNCHECKED_HASH)
                if pyc is not None:
                    entry = zipfile.ZipInfo(entry.filename[:-3] + ".pyc", entry.date_time)
                    data = pyc
                    compiled += 1
            output.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=9)
    return compiled


def record_line(path: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{path},sha256={digest},{len(data)}"


def compile_wheel(source_wheel: str, output_wheel: str) -> int:
    """Writes `output_wheel`: `source_wheel` with a .pyc beside each module."""
    with zipfile.ZipFile(source_wheel) as source:
        entries = [(entry, source.read(entry)) for entry in source.infolist()]
    record_index = next(i for i, (entry, _) in enumerate(entries) if entry.filename.endswith(".dist-info/RECORD"))
    record_entry, record = entries.pop(record_index)
    added = []
    for entry, data in entries:
        path = PurePosixPath(entry.filename)
        # Scripts and headers (.data/) are not imported from site-packages.
        if path.suffix != ".py" or path.parts[0].endswith(".data"):
            continue
        pyc = bytecode(data, entry.filename, py_compile.PycInvalidationMode.CHECKED_HASH)
        if pyc is not None:
            pyc_path = importlib.util.cache_from_source(entry.filename)
            added.append((zipfile.ZipInfo(pyc_path, entry.date_time), pyc))
    record_text = record.decode().rstrip("\n") + "\n"
    record_text += "".join(record_line(info.filename, pyc) + "\n" for info, pyc in added)
    # The sources and their bytecode first, the .dist-info last (RECORD
    # the very last), as wheel builders order them.
    meta = [(entry, data) for entry, data in entries if ".dist-info/" in entry.filename]
    rest = [(entry, data) for entry, data in entries if ".dist-info/" not in entry.filename]
    with zipfile.ZipFile(output_wheel, "w") as output:
        for entry, data in [*rest, *added, *meta, (record_entry, record_text.encode())]:
            output.writestr(entry, data, compress_type=zipfile.ZIP_DEFLATED)
    return len(added)


def main(jobs: list[tuple[str, str]]) -> list[str]:
    """Each job is (input, output) in Pyodide's file system; returns a
    line per job for build.sh's log."""
    lines = []
    for source, output in jobs:
        if source.endswith(".whl"):
            count = compile_wheel(source, output)
        else:
            count = compile_stdlib_zip(source, output)
        lines.append(f"{PurePosixPath(source).name}: {count} modules compiled")
    return lines
