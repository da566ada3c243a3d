"""A griffe extension for the documentation build (see mkdocs.yml).

The docstrings show examples as doctest blocks (``>>>`` lines and their
output, as Python's doctest reads them), which Markdown would take for
paragraphs, and their lists for link references: each such block is put in
a ``pycon`` code fence before mkdocstrings renders it.
"""

from typing import Any

import griffe


def fence_doctests(text: str) -> str:
    lines = text.splitlines()
    out: list[str] = []
    index = 0
    in_fence = False
    while index < len(lines):
        line = lines[index]
        stripped = line.lstrip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if in_fence or not stripped.startswith(">>>"):
            out.append(line)
            index += 1
            continue
        indent = line[: len(line) - len(stripped)]
        out.append(f"{indent}```pycon")
        while index < len(lines) and lines[index].strip():
            out.append(lines[index])
            index += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestBlocks(griffe.Extension):
    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
