"""Renders dist/NAME.html for each web/pages/NAME.html (run by build.sh).

Each web/pages/NAME.html is a body fragment after a header comment of
"key: value" lines; web/layout.html gives every page the same head, nav,
security policy and loader.
"""

import html
import sys
from pathlib import Path
from string import Template

web, dist = Path(sys.argv[1]), Path(sys.argv[2])
CSP = {
    "default-src": "'self'",
    "script-src": "'self' 'wasm-unsafe-eval'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "connect-src": "'self'",
    "worker-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'none'",
}
pages = []
for path in sorted((web / "pages").glob("*.html")):
    text = path.read_text()
    header, _, body = text.removeprefix("<!--\n").partition("\n-->\n")
    meta = dict(line.split(": ", 1) for line in header.splitlines())
    pages.append((path.name, meta, body.rstrip("\n")))
order = ["index.html", "lesson.html", "editor.html", "life.html", "plasma.html", "repl.html"]
nav_pages = sorted(
    (p for p in pages if "nav" in p[1]), key=lambda p: order.index(p[0]) if p[0] in order else len(order)
)
layout = Template((web / "layout.html").read_text())
for name, meta, body in pages:
    csp = dict(CSP)
    if "inline-styles" in meta:
        csp["style-src"] += " 'unsafe-inline'"
    if "eval" in meta:
        csp["script-src"] += " 'unsafe-eval'"
    links = []
    for other, other_meta, _ in nav_pages:
        current = ' aria-current="page"' if other == name else ""
        links.append(f'        <a href="{other}"{current}>{html.escape(other_meta["nav"])}</a>')
    nav = "\n".join(links)
    sheets = [meta["stylesheet"]] if "stylesheet" in meta else []
    attributes = f' data-app="{meta["app"]}"' + (
        f' data-js-modules="{meta["js-modules"]}"' if "js-modules" in meta else ""
    )
    (dist / name).write_text(
        layout.substitute(
            csp="; ".join(f"{k} {v}" for k, v in csp.items()),
            title=meta["title"],
            intro=meta["intro"],
            nav=nav,
            body=body,
            body_attributes=attributes,
            stylesheets="\n".join(f'    <link rel="stylesheet" href="{sheet}">' for sheet in [*sheets, "style.css"]),
        )
    )
print(f"rendered {len(pages)} pages")
