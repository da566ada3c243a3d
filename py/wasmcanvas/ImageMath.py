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
import math
from array import array
from collections.abc import Callable
from types import CodeType
from typing import Any

from . import Image as _Image
from . import _modes as modes

__all__ = ["lambda_eval", "unsafe_eval"]

_INT_MIN, _INT_MAX = -(2**31), 2**31 - 1

Number = int | float


def _wrap(value: int) -> int:
    """``value`` as a C int32 holds it after overflow."""
    return (value + 2**31) % 2**32 - 2**31


def _int_divide(a: int, b: int) -> int:
    if b == 0:
        return 0
    quotient = abs(a) // abs(b)
    return _wrap(quotient if (a < 0) == (b < 0) else -quotient)


def _int_modulo(a: int, b: int) -> int:
    if b == 0:
        return 0
    return _wrap(a - b * _int_divide(a, b))


def _int_power(a: int, b: int) -> int:
    """Pillow's ``powi``: the double power plus 0.5, clamped, truncated."""
    try:
        value = float(a) ** b + 0.5
    except ZeroDivisionError:
        value = math.inf
    except OverflowError:
        value = math.inf if a > 0 or b % 2 == 0 else -math.inf
    if isinstance(value, complex) or math.isnan(value):
        return 0
    return int(min(max(value, _INT_MIN), _INT_MAX))


def _float_power(a: float, b: float) -> float:
    try:
        return math.pow(a, b)
    except ValueError:
        # C's powf gives the negative quiet NaN for a domain error.
        return -math.nan
    except OverflowError:
        return math.inf


def _compare(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], Any]:
    return lambda a, b: 1 if test(a, b) else 0


# The operators whose arithmetic is the same on ints and floats.
_EITHER_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "min": lambda a, b: a if a < b else b,
    "max": lambda a, b: a if a > b else b,
    "eq": _compare(lambda a, b: a == b),
    "ne": _compare(lambda a, b: a != b),
    "lt": _compare(lambda a, b: a < b),
    "le": _compare(lambda a, b: a <= b),
    "gt": _compare(lambda a, b: a > b),
    "ge": _compare(lambda a, b: a >= b),
}
_INT_BINARY: dict[str, Callable[[int, int], int]] = {
    "add": lambda a, b: _wrap(a + b),
    "sub": lambda a, b: _wrap(a - b),
    "mul": lambda a, b: _wrap(a * b),
    "div": _int_divide,
    "mod": _int_modulo,
    "pow": _int_power,
    "and": lambda a, b: a & b,
    "or": lambda a, b: a | b,
    "xor": lambda a, b: a ^ b,
    "lshift": lambda a, b: _wrap(a << (b & 31)),
    "rshift": lambda a, b: a >> (b & 31),
    **_EITHER_BINARY,
}
_FLOAT_BINARY: dict[str, Callable[[float, float], float]] = {
    "add": lambda a, b: a + b,
    "sub": lambda a, b: a - b,
    "mul": lambda a, b: a * b,
    "div": lambda a, b: a / b if b != 0 else 0.0,
    "mod": lambda a, b: math.fmod(a, b) if b != 0 and not math.isinf(a) else (0.0 if b == 0 else math.nan),
    "pow": _float_power,
    **_EITHER_BINARY,
}
_UNARY: dict[str, dict[str, Callable[[Any], Any]]] = {
    "I": {"abs": lambda a: _wrap(abs(a)), "neg": lambda a: _wrap(-a), "invert": lambda a: ~a},
    "F": {"abs": abs, "neg": lambda a: -a},
}


def _values(image: _Image.Image) -> list[Any]:
    return modes.wide_values(bytes(image._call("to_bytes", "RGBA", None).to_py()), image.mode)


def _image(mode: str, size: tuple[int, int], typecode: str, values: list[Any]) -> _Image.Image:
    """An image of ``mode`` whose stored values are ``values`` as C
    ``typecode`` numbers: Pillow writes a result in its operands' type,
    whatever the mode it is given (so ``equal`` of "F" images holds 1.0's
    bits in an "I" image, as in Pillow)."""
    return _Image.frombytes(mode, size, array(typecode, values).tobytes())


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
            table = _UNARY[left.mode]
            if op not in table:
                raise TypeError(f"bad operand type for '{op}'")
            result = [table[op](value) for value in _values(left)]
            return _Operand(_image(mode or left.mode, left.size, "i" if left.mode == "I" else "f", result))
        right = self._operand(second)
        if left.mode != right.mode:
            left, right = left.convert("F"), right.convert("F")
        if left.size != right.size:
            size = (min(left.width, right.width), min(left.height, right.height))
            left, right = left.crop((0, 0, *size)), right.crop((0, 0, *size))
        binary = _INT_BINARY if left.mode == "I" else _FLOAT_BINARY
        if op not in binary:
            raise TypeError(f"bad operand type for '{op}'")
        function = binary[op]
        result = [function(a, b) for a, b in zip(_values(left), _values(right), strict=True)]
        return _Operand(_image(mode or left.mode, left.size, "i" if left.mode == "I" else "f", result))

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
