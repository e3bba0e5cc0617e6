"""The two sides of an identity as explicit SymPy matrices of equal shape.

>>> a, b = as_operands(sp.Symbol("x"), 1)
>>> a.shape, b[0, 0]
((1, 1), 1)
>>> as_operands(sp.eye(2), sp.ones(2, 1))
Traceback (most recent call last):
...
rnncore.errors.ShapeError: shapes differ: a is 2x2, b is 2x1; compare equal shapes
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError


def as_matrix(x, name: str) -> sp.ImmutableMatrix:
    """``x`` (expression, explicit matrix, int or Fraction) as an immutable matrix.

    >>> as_matrix(3, "a")
    Matrix([[3]])
    """
    if isinstance(x, sp.MatrixBase):
        return sp.ImmutableMatrix(x)
    if isinstance(x, (int, Fraction)) and not isinstance(x, bool):
        return sp.ImmutableMatrix([[sp.Rational(x)]])
    if isinstance(x, sp.Expr) and not isinstance(x, sp.MatrixExpr):
        return sp.ImmutableMatrix([[x]])
    raise InvalidInputError(
        f"{name}={str(x)[:60]!r} ({type(x).__name__}) is not allowed; give a SymPy expression, "
        f"an explicit sympy Matrix or an int")


def as_operands(a, b) -> tuple[sp.ImmutableMatrix, sp.ImmutableMatrix]:
    """Both sides as matrices of one shape (raises ``ShapeError`` otherwise)."""
    A, B = as_matrix(a, "a"), as_matrix(b, "b")
    if A.shape != B.shape:
        raise ShapeError(
            f"shapes differ: a is {A.shape[0]}x{A.shape[1]}, b is {B.shape[0]}x{B.shape[1]}; "
            f"compare equal shapes")
    return A, B


def is_scalar(x) -> bool:
    """True when ``x`` is not a matrix (a 1x1 comparison reported without an entry).

    >>> is_scalar(sp.Symbol("x")), is_scalar(sp.eye(1))
    (True, False)
    """
    return not isinstance(x, sp.MatrixBase)


__all__ = ["as_matrix", "as_operands", "is_scalar"]
