"""Pillow's ``PIL.ImageMath``: arithmetic on one-band images, pixel by
pixel, with Pillow's rules: "1" and "L" operands become "I", a mix of "I"
and "F" becomes "F", an int constant is an "I" image (a float one "F"),
"I" arithmetic wraps at 32 bits and "F" arithmetic is single precision,
division or modulo by 0 gives 0.

>>> from wasmcanvas import Image, ImageMath
>>> a, b = Image.new("L", (2, 1), 7), Image.new("L", (2, 1), 10)
>>> out = ImageMath.lambda_eval(lambda args: abs(args["a"] - args["b"]) * 2, a=a, b=b)
>>> out.mode, out.getpixel((0, 0))
('I', 6)
"""

from __future__ import annotations

import builtins
from collections.abc import Callable
from types import CodeType
from typing import Any

from . import Image as _Image

__all__ = ["lambda_eval", "unsafe_eval"]

# The operators rust_image's ``math_binary`` and ``math_unary`` compute for
# each operand mode (Pillow's ``_imagingmath`` has no bitwise "F" kernels).
_FLOAT_BINARY = frozenset(("add", "sub", "mul", "div", "mod", "pow", "min", "max", "eq", "ne", "lt", "le", "gt", "ge"))
_BINARY = {"I": _FLOAT_BINARY | {"and", "or", "xor", "lshift", "rshift"}, "F": _FLOAT_BINARY}
_UNARY = {"I": frozenset(("abs", "neg", "invert")), "F": frozenset(("abs", "neg"))}

Number = int | float


def _result_image(raw: Any, mode: str) -> _Image.Image:
    """The image of a kernel's result, in ``mode``: Pillow writes a result
    in its operands' type, whatever the mode it is given (so ``equal`` of
    "F" images holds 1.0's bits in an "I" image, as in Pillow)."""
    return _Image.Image._wrap(raw, mode)


class _Operand:
    """An image in an expression; Python's operators apply Pillow's."""

    def __init__(self, image: _Image.Image) -> None:
        self.im = image

    def _operand(self, value: _Operand | Number) -> _Image.Image:
        if isinstance(value, _Operand):
            if value.im.mode in ("1", "L"):
                return value.im.convert("I")
            if value.im.mode in ("I", "F"):
                return value.im
            raise ValueError(f"unsupported mode: {value.im.mode}")
        if isinstance(value, int) and self.im.mode in ("1", "L", "I"):
            return _Image.new("I", self.im.size, value)
        return _Image.new("F", self.im.size, value)

    def apply(
        self, op: str, first: _Operand | Number, second: _Operand | Number | None = None, mode: str | None = None
    ) -> _Operand:
        left = self._operand(first)
        if second is None:
            if op not in _UNARY[left.mode]:
                raise TypeError(f"bad operand type for '{op}'")
            raw = left._call("math_unary", op, left.mode == "F")
            return _Operand(_result_image(raw, mode or left.mode))
        right = self._operand(second)
        if left.mode != right.mode:
            left, right = left.convert("F"), right.convert("F")
        if left.size != right.size:
            size = (min(left.width, right.width), min(left.height, right.height))
            left, right = left.crop((0, 0, *size)), right.crop((0, 0, *size))
        if op not in _BINARY[left.mode]:
            raise TypeError(f"bad operand type for '{op}'")
        raw = left._call("math_binary", right.raw, op, left.mode == "F")
        return _Operand(_result_image(raw, mode or left.mode))

    def __bool__(self) -> bool:
        return self.im.getbbox() is not None

    def __abs__(self) -> _Operand:
        return self.apply("abs", self)

    def __pos__(self) -> _Operand:
        return self

    def __neg__(self) -> _Operand:
        return self.apply("neg", self)

    def __invert__(self) -> _Operand:
        return self.apply("invert", self)

    def __add__(self, other: _Operand | Number) -> _Operand:
        return self.apply("add", self, other)

    def __radd__(self, other: _Operand | Number) -> _Operand:
        return self.apply("add", other, self)

    def __sub__(self, other: _Operand | Number) -> _Operand:
        return self.apply("sub", self, other)

    def __rsub__(self, other: _Operand | Number) -> _Operand:
        return self.apply("sub", other, self)

    def __mul__(self, other: _Operand | Number) -> _Operand:
        return self.apply("mul", self, other)

    def __rmul__(self, other: _Operand | Number) -> _Operand:
        return self.apply("mul", other, self)

    def __truediv__(self, other: _Operand | Number) -> _Operand:
        return self.apply("div", self, other)

    def __rtruediv__(self, other: _Operand | Number) -> _Operand:
        return self.apply("div", other, self)

    def __mod__(self, other: _Operand | Number) -> _Operand:
        return self.apply("mod", self, other)

    def __rmod__(self, other: _Operand | Number) -> _Operand:
        return self.apply("mod", other, self)

    def __pow__(self, other: _Operand | Number) -> _Operand:
        return self.apply("pow", self, other)

    def __rpow__(self, other: _Operand | Number) -> _Operand:
        return self.apply("pow", other, self)

    def __and__(self, other: _Operand | Number) -> _Operand:
        return self.apply("and", self, other)

    def __rand__(self, other: _Operand | Number) -> _Operand:
        return self.apply("and", other, self)

    def __or__(self, other: _Operand | Number) -> _Operand:
        return self.apply("or", self, other)

    def __ror__(self, other: _Operand | Number) -> _Operand:
        return self.apply("or", other, self)

    def __xor__(self, other: _Operand | Number) -> _Operand:
        return self.apply("xor", self, other)

    def __rxor__(self, other: _Operand | Number) -> _Operand:
        return self.apply("xor", other, self)

    def __lshift__(self, other: _Operand | Number) -> _Operand:
        return self.apply("lshift", self, other)

    def __rshift__(self, other: _Operand | Number) -> _Operand:
        return self.apply("rshift", self, other)

    def __eq__(self, other: object) -> _Operand:  # type: ignore[override]
        return self.apply("eq", self, other)  # type: ignore[arg-type]

    def __ne__(self, other: object) -> _Operand:  # type: ignore[override]
        return self.apply("ne", self, other)  # type: ignore[arg-type]

    def __lt__(self, other: _Operand | Number) -> _Operand:
        return self.apply("lt", self, other)

    def __le__(self, other: _Operand | Number) -> _Operand:
        return self.apply("le", self, other)

    def __gt__(self, other: _Operand | Number) -> _Operand:
        return self.apply("gt", self, other)

    def __ge__(self, other: _Operand | Number) -> _Operand:
        return self.apply("ge", self, other)

    __hash__ = None  # type: ignore[assignment]


def _int(operand: _Operand) -> _Operand:
    return _Operand(operand.im.convert("I"))


def _float(operand: _Operand) -> _Operand:
    return _Operand(operand.im.convert("F"))


def _equal(operand: _Operand, other: _Operand | Number) -> _Operand:
    return operand.apply("eq", operand, other, mode="I")


def _notequal(operand: _Operand, other: _Operand | Number) -> _Operand:
    return operand.apply("ne", operand, other, mode="I")


def _min(operand: _Operand, other: _Operand | Number) -> _Operand:
    return operand.apply("min", operand, other)


def _max(operand: _Operand, other: _Operand | Number) -> _Operand:
    return operand.apply("max", operand, other)


def _convert(operand: _Operand, mode: str) -> _Operand:
    return _Operand(operand.im.convert(mode))


_FUNCTIONS: dict[str, Any] = {
    "int": _int,
    "float": _float,
    "equal": _equal,
    "notequal": _notequal,
    "min": _min,
    "max": _max,
    "convert": _convert,
}


def _arguments(values: dict[str, Any]) -> dict[str, Any]:
    found = dict(_FUNCTIONS)
    found.update(values)
    return {name: _Operand(value) if isinstance(value, _Image.Image) else value for name, value in found.items()}


def _result(out: Any) -> Any:
    return out.im if isinstance(out, _Operand) else out


def lambda_eval(expression: Callable[[dict[str, Any]], Any], **kw: Any) -> Any:
    """``expression(args)``, where ``args`` holds the keyword images as
    operands and Pillow's functions (``int``, ``float``, ``equal``,
    ``notequal``, ``min``, ``max``, ``convert``); an image result is
    returned as an image."""
    return _result(expression(_arguments(kw)))


def unsafe_eval(expression: str, **kw: Any) -> Any:
    """The Python expression string evaluated as ``lambda_eval`` would; only
    the given names, Pillow's functions and ``abs`` may appear (Python's
    ``eval``: never pass it text from an untrusted source)."""
    for name in kw:
        if "__" in name or hasattr(builtins, name):
            raise ValueError(f"'{name}' not allowed")
    names = _arguments(kw)
    code = compile(expression, "<string>", "eval")

    def scan(compiled: CodeType) -> None:
        for constant in compiled.co_consts:
            if isinstance(constant, CodeType):
                scan(constant)
        for name in compiled.co_names:
            if name not in names and name != "abs":
                raise ValueError(f"'{name}' not allowed")

    scan(code)
    return _result(builtins.eval(expression, None, names))
