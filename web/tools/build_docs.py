"""Builds the documentation site into build/docs/ (run by build.sh).

docs/ is copied to build/docs-src/ with what is generated beside it: a
reference page per public module of py/wasmcanvas (mkdocstrings reads the
sources with griffe, never importing them). The pages hold everything else
themselves (docs/performance.md the tables ./build.sh bench writes into it,
docs/differences.md the differences from Pillow). MkDocs then builds the site,
and each page gets a Content-Security-Policy as strict as the site's: the
inline scripts mkdocs-material writes are allowed by their SHA-256 hashes,
computed here from the built pages, and nothing else inline runs.

Usage: python web/tools/build_docs.py ROOT
"""

import base64
import hashlib
import logging
import os
import re
import shutil
import sys
from pathlib import Path

from mkdocs.commands.build import build
from mkdocs.config import load_config

root = Path(sys.argv[1]).resolve()
package = root / "py" / "wasmcanvas"
source = root / "build" / "docs-src"
site = root / "build" / "docs"

SITE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'none'",
}


def public_modules() -> list[str]:
    # Every module but the private ones: the site's applications live in
    # their own package (py/wasmcanvas_site), not in the library.
    names = [path.stem for path in package.glob("*.py") if not path.stem.startswith("_")]
    return sorted(names, key=str.lower)


def write_sources() -> list[dict[str, str]]:
    shutil.rmtree(source, ignore_errors=True)
    shutil.copytree(root / "docs", source)
    (source / "reference").mkdir(exist_ok=True)
    pages = [{"The wasmcanvas package": "reference/index.md"}]
    for name in public_modules():
        (source / "reference" / f"{name}.md").write_text(f"::: wasmcanvas.{name}\n")
        pages.append({name: f"reference/{name}.md"})
    return pages


def inline_script_hashes(page: str) -> list[str]:
    """The hashes of the inline scripts a browser runs (not JSON data)."""
    hashes = []
    for attributes, body in re.findall(r"<script([^>]*)>(.*?)</script>", page, re.S):
        if "src=" in attributes or "application/json" in attributes:
            continue
        digest = base64.b64encode(hashlib.sha256(body.encode()).digest()).decode()
        hashes.append(f"'sha256-{digest}'")
    return hashes


def add_policy(path: Path) -> None:
    page = path.read_text()
    csp = dict(SITE_CSP)
    csp["script-src"] = " ".join([csp["script-src"], *sorted(set(inline_script_hashes(page)))])
    policy = "; ".join(f"{key} {value}" for key, value in csp.items())
    meta = '<meta charset="utf-8">'
    if meta not in page:
        sys.exit(f"build_docs.py: {path} has no {meta!r} to put the policy after")
    path.write_text(page.replace(meta, f'{meta}\n<meta http-equiv="Content-Security-Policy" content="{policy}">', 1))


def main() -> None:
    # MkDocs reports through logging: warnings (which strict mode turns into
    # a failure) and errors are shown, its progress is not.
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # mkdocs.yml names the griffe extension and the snippets' base by paths
    # relative to the repository root.
    os.chdir(root)
    reference = write_sources()
    config = load_config(str(root / "mkdocs.yml"))
    config.nav.append({"API reference": reference})
    try:
        build(config)
    except Exception as error:
        sys.exit(f"build_docs.py: mkdocs failed: {error}")
    for path in site.rglob("*.html"):
        add_policy(path)


main()
