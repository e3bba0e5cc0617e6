"""Whitelist conversion of caller values to exact SymPy objects, without ever reading text.

``sympy.sympify`` is eval on text, and it finds text anywhere: in a tuple, a list, a set,
a dict, or in the ``str()`` of an object it does not know. Every public function that
takes numbers or expressions from a caller converts them here instead. Allowed: Python
integers (not ``bool``), :class:`fractions.Fraction`, SymPy objects the caller built
(numbers, expressions, matrices), and tuples or lists nesting those. Anything else —
a string at any depth above all, a float, a set, an unknown object — is an
:class:`~rnncore.errors.InvalidInputError` that names where it was found.

>>> import sympy as sp
>>> from fractions import Fraction
>>> to_sympy(3), to_sympy(Fraction(1, 2)), to_sympy((1, [sp.Symbol("x"), 2]))
(3, 1/2, (1, [x, 2]))
>>> to_sympy({"a": ("__import__('os').getpid()",)}, "data")
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: data is a dict; give an integer, a Fraction, a SymPy object or a tuple/list of those
>>> to_sympy((1, ["2**3"]), "subs[x]")
Traceback (most recent call last):
...
rnncore.errors.InvalidInputError: subs[x][1][0] is text ('2**3'); text is never evaluated: give an integer, a Fraction or a SymPy object
"""
from __future__ import annotations

from fractions import Fraction
from numbers import Integral

import sympy as sp

from .errors import InvalidInputError

#: Deepest nesting of tuples and lists accepted (the walk is iterative; this bounds the output).
MAX_NESTING = 32
_WHAT = "give an integer, a Fraction, a SymPy object or a tuple/list of those"


def to_sympy(value, where: str = "value"):
    """The SymPy form of ``value`` (see the module docstring for what is allowed);
    ``where`` names the value in error messages (its position is appended, e.g.
    ``subs[x][1]``). Tuples and lists keep their type; SymPy matrices become immutable.

    >>> to_sympy(True)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: value=True is a bool; give an integer, a Fraction, a SymPy object or a tuple/list of those
    >>> to_sympy(0.5, "x")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: x=0.5 is a float, which is not exact; give an integer, a Fraction or a SymPy object (e.g. Fraction(1, 2))
    """
    return _convert(value, where, 0)


def _convert(value, where: str, depth: int):
    if isinstance(value, str) or isinstance(value, (bytes, bytearray)):
        text = value[:40] if isinstance(value, str) else bytes(value[:40])
        raise InvalidInputError(
            f"{where} is text ({text!r}); text is never evaluated: give an integer, a Fraction "
            "or a SymPy object")
    if isinstance(value, bool):
        raise InvalidInputError(f"{where}={value!r} is a bool; {_WHAT}")
    if isinstance(value, Integral):
        return sp.Integer(int(value))
    if isinstance(value, Fraction):
        return sp.Rational(value.numerator, value.denominator)
    if isinstance(value, sp.MatrixBase):
        return sp.ImmutableMatrix(value)
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, float):
        raise InvalidInputError(
            f"{where}={value!r} is a float, which is not exact; give an integer, a Fraction or "
            "a SymPy object (e.g. Fraction(1, 2))")
    if type(value) in (tuple, list):
        if depth >= MAX_NESTING:
            raise InvalidInputError(f"{where} nests tuples/lists more than {MAX_NESTING} deep")
        items = [_convert(item, f"{where}[{i}]", depth + 1) for i, item in enumerate(value)]
        return type(value)(items)
    raise InvalidInputError(f"{where} is a {type(value).__name__}; {_WHAT}")


def to_sympy_mapping(mapping, where: str = "mapping") -> dict:
    """A dict whose keys and values both pass :func:`to_sympy` (keys: SymPy objects or
    numbers, never text).

    >>> import sympy as sp
    >>> x = sp.Symbol("x")
    >>> to_sympy_mapping({x: 1})
    {x: 1}
    >>> to_sympy_mapping({"x": 1}, "subs")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: a key of subs is text ('x'); text is never evaluated: give an integer, a Fraction or a SymPy object
    """
    if not isinstance(mapping, dict):
        raise InvalidInputError(
            f"{where} is a {type(mapping).__name__}; give a dict of SymPy objects to values")
    out = {}
    for key, value in mapping.items():
        k = _convert(key, f"a key of {where}", 0)
        out[k] = _convert(value, f"{where}[{_short(key)}]", 0)
    return out


def _short(key) -> str:
    text = str(key) if isinstance(key, sp.Basic) else repr(key)
    return text if len(text) <= 30 else text[:30] + "…"


__all__ = ["to_sympy", "to_sympy_mapping", "MAX_NESTING"]
