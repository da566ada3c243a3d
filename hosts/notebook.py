"""Writes a notebook (.ipynb) from a Python file in the "percent" format
(cells start at `# %%` lines, `# %% [markdown]` cells are comments), so that
the recipe is kept, read and included in the docs as plain Python.

Usage: python hosts/notebook.py SOURCE.py OUT.ipynb
"""

import json
import re
import sys
from pathlib import Path


def cells(text: str) -> list[dict[str, object]]:
    found = []
    for chunk in re.split(r"^# %%", text, flags=re.M)[1:]:
        header, _, body = chunk.partition("\n")
        body = body.strip("\n")
        if header.strip() == "[markdown]":
            found.append({"cell_type": "markdown", "metadata": {}, "source": re.sub(r"^# ?", "", body, flags=re.M)})
        else:
            found.append(
                {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": body}
            )
    for number, cell in enumerate(found):
        cell["id"] = f"cell-{number}"
    return found


source, out = Path(sys.argv[1]), Path(sys.argv[2])
notebook = {
    "cells": cells(source.read_text()),
    "metadata": {
        "kernelspec": {"display_name": "Python (Pyodide)", "language": "python", "name": "python"},
        "language_info": {"name": "python"},
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}
out.write_text(json.dumps(notebook, indent=1) + "\n")
