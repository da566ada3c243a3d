"""Gate: the hand-written `rust_image` stub (py/rust_image-stubs/__init__.pyi)
must describe exactly what wasm-bindgen exported (build/pkg/rust_image.d.ts):
the same functions, classes, methods, getters and parameters, in order, with
compatible types. Run by `./build.sh test` after the build; prints one line per
difference and exits 1 if there is any.

    python tests/check_stub.py build/pkg/rust_image.d.ts py/rust_image-stubs/__init__.pyi
"""

from __future__ import annotations

import ast
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

# What each TypeScript type may be written as in the stub. Numbers cross as JS
# numbers, which Pyodide turns into int or float; typed arrays stay JS objects.
COMPATIBLE = {
    "number": {"int", "float"},
    "boolean": {"bool"},
    "string": {"str"},
    "any": {"Any", "str"},
    "void": {"None"},
    "Uint8Array": {"Any"},
    "Uint32Array": {"Any"},
    "Float32Array": {"Any"},
    "Float64Array": {"Any"},
    # An optional number (Rust `Option<f64>`): left out, undefined or null.
    "number | null": {"float | None"},
    # The same before a later parameter, where it cannot be left out.
    "number | null | undefined": {"float | None"},
    # An optional number result (Rust `Option<u32>`): a number or undefined.
    "number | undefined": {"int | None"},
    # An optional result (Rust `Option<Vec<_>>`): an array or undefined.
    "Uint8Array | undefined": {"Any"},
    "Uint32Array | undefined": {"Any"},
}
# Names the page's loader adds beside the exports (boot.js), and the glue's
# own initialiser, which it does not register.
LOADER_NAMES = {"memory", "brokenReason"}
GLUE_FUNCTIONS = {"initSync"}


@dataclass
class Signature:
    parameters: list[tuple[str, str]]
    returns: str
    static: bool = False


@dataclass
class Shape:
    methods: dict[str, Signature] = field(default_factory=dict)
    attributes: dict[str, str] = field(default_factory=dict)


def strip_comments(text: str) -> str:
    return re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)


def parse_parameters(text: str) -> list[tuple[str, str]]:
    parameters = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        name, _, kind = part.partition(":")
        parameters.append((name.strip().removesuffix("?"), kind.strip()))
    return parameters


def read_typescript(path: Path) -> tuple[dict[str, Signature], dict[str, Shape]]:
    """The exported functions and classes of a wasm-bindgen `.d.ts` (the part
    before the `init` declarations)."""
    text = strip_comments(path.read_text())
    functions: dict[str, Signature] = {}
    classes: dict[str, Shape] = {}
    for match in re.finditer(r"^export function (\w+)\(([^)]*)\): ([\w\[\]]+);", text, flags=re.M):
        if match[1] not in GLUE_FUNCTIONS:
            functions[match[1]] = Signature(parse_parameters(match[2]), match[3])
    for match in re.finditer(r"^export class (\w+) \{(.*?)^\}", text, flags=re.M | re.S):
        shape = Shape()
        for line in filter(None, (line.strip() for line in match[2].splitlines())):
            if line.startswith("[Symbol.dispose]"):
                continue
            member = re.fullmatch(r"(static )?(\w+)\(([^)]*)\)(?:: ([\w\[\]]+(?: \| undefined)?))?;", line)
            getter = re.fullmatch(r"(?:readonly )?(\w+): (\w+);", line)
            if member and member[2] == "constructor":
                shape.methods["new"] = Signature(parse_parameters(member[3]), match[1], static=True)
            elif member:
                shape.methods[member[2]] = Signature(parse_parameters(member[3]), member[4], bool(member[1]))
            elif getter:
                shape.attributes[getter[1]] = getter[2]
            else:
                raise SystemExit(f"check_stub: cannot read this line of {path}: {line!r}")
        classes[match[1]] = shape
    if not classes:
        raise SystemExit(f"check_stub: no exported class found in {path}")
    return functions, classes


def annotation(node: ast.expr | None) -> str:
    return "None" if node is None else ast.unparse(node)


def python_signature(function: ast.FunctionDef) -> Signature:
    static = any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in function.decorator_list)
    arguments = function.args.args if static else function.args.args[1:]
    return Signature([(a.arg, annotation(a.annotation)) for a in arguments], annotation(function.returns), static)


def read_stub(path: Path) -> tuple[dict[str, Signature], dict[str, Shape], set[str]]:
    tree = ast.parse(path.read_text())
    functions: dict[str, Signature] = {}
    classes: dict[str, Shape] = {}
    variables: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            functions[node.name] = python_signature(node)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            variables.add(node.target.id)
        elif isinstance(node, ast.ClassDef):
            shape = Shape()
            for member in node.body:
                if isinstance(member, ast.FunctionDef):
                    shape.methods[member.name] = python_signature(member)
                elif isinstance(member, ast.AnnAssign) and isinstance(member.target, ast.Name):
                    shape.attributes[member.target.id] = annotation(member.annotation)
            classes[node.name] = shape
    return functions, classes, variables


def compatible(typescript: str, python: str, classes: set[str]) -> bool:
    if typescript in classes:
        return python == typescript
    return python in COMPATIBLE.get(typescript, set())


def compare_signatures(where: str, theirs: Signature, ours: Signature, classes: set[str]) -> list[str]:
    problems = []
    if theirs.static != ours.static:
        problems.append(f"{where}: static in one, not in the other")
    their_names = [name for name, _ in theirs.parameters]
    our_names = [name for name, _ in ours.parameters]
    if their_names != our_names:
        problems.append(f"{where}: parameters are ({', '.join(their_names)}), the stub has ({', '.join(our_names)})")
    else:
        for (name, their_type), (_, our_type) in zip(theirs.parameters, ours.parameters, strict=True):
            if not compatible(their_type, our_type, classes):
                problems.append(f"{where}: parameter {name} is {their_type}, the stub says {our_type}")
    if not compatible(theirs.returns, ours.returns, classes):
        problems.append(f"{where}: returns {theirs.returns}, the stub says {ours.returns}")
    return problems


def differences(typescript: Path, stub: Path) -> list[str]:
    their_functions, their_classes = read_typescript(typescript)
    our_functions, our_classes, our_variables = read_stub(stub)
    names = set(their_classes)
    problems = []
    for name in sorted(set(their_functions) ^ set(our_functions)):
        side = "exported but missing from the stub" if name in their_functions else "in the stub but not exported"
        problems.append(f"function {name}: {side}")
    for name in sorted(set(their_functions) & set(our_functions)):
        problems += compare_signatures(f"{name}()", their_functions[name], our_functions[name], names)
    for name in sorted(our_variables - LOADER_NAMES):
        problems.append(f"module attribute {name}: in the stub but neither exported nor added by boot.js")
    for name in sorted(set(their_classes) ^ set(our_classes)):
        side = "exported but missing from the stub" if name in their_classes else "in the stub but not exported"
        problems.append(f"class {name}: {side}")
    for name in sorted(set(their_classes) & set(our_classes)):
        theirs, ours = their_classes[name], our_classes[name]
        for method in sorted(set(theirs.methods) ^ set(ours.methods)):
            side = "exported but missing from the stub" if method in theirs.methods else "in the stub but not exported"
            problems.append(f"{name}.{method}(): {side}")
        for method in sorted(set(theirs.methods) & set(ours.methods)):
            problems += compare_signatures(f"{name}.{method}()", theirs.methods[method], ours.methods[method], names)
        for attribute in sorted(set(theirs.attributes) ^ set(ours.attributes)):
            side = "exported but missing from the stub" if attribute in theirs.attributes else "not exported"
            problems.append(f"{name}.{attribute}: {side}")
        for attribute in sorted(set(theirs.attributes) & set(ours.attributes)):
            if not compatible(theirs.attributes[attribute], ours.attributes[attribute], names):
                problems.append(
                    f"{name}.{attribute} is {theirs.attributes[attribute]}, the stub says {ours.attributes[attribute]}"
                )
    return problems


def main() -> int:
    typescript, stub = (Path(argument) for argument in sys.argv[1:3])
    problems = differences(typescript, stub)
    for problem in problems:
        print(f"{stub}: {problem}")
    if problems:
        print(f"{len(problems)} difference(s) between {stub} and {typescript}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
