"""Bounds on the polynomials a modular evaluation stands for, as an arithmetic of their own.

A :class:`Bound` bounds a (matrix of) polynomial(s) in the flattened variables: total
degree and coefficient size. :class:`BoundArithmetic` runs the model's step functions on
bounds (``add`` is the bound of a sum, ``matvec`` of a product summed over the inner size,
an unknown σ(e) is one new variable), so the same cell that computes residues computes, in
a :class:`rnnmodel.arithmetic.Paired` context, a bound on what they are residues of.

>>> B = BoundArithmetic()
>>> B.matvec(BoundMatrix(Bound.atom(), 4), Bound.atom())
Bound(deg=2, h=2.0, den=0.0)
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import NamedTuple

from rnnmodel.arithmetic import Arithmetic, as_fraction, is_number


def log2add(a: float, b: float) -> float:
    """``log2(2^a + 2^b)`` without overflow.

    >>> log2add(3.0, 3.0)
    4.0
    """
    hi, lo = max(a, b), min(a, b)
    return hi + math.log2(1.0 + 2.0 ** (lo - hi))


@dataclass(frozen=True)
class Bound:
    """A bound on a (matrix of) polynomial(s) in the flattened variables: total ``deg``;
    ``den`` = log2 of a common denominator of the rational coefficients; ``h`` = log2 of
    the L1 norm of the coefficients once multiplied by that denominator (so every nonzero
    integer coefficient is ≤ 2^h in absolute value).

    >>> Bound.atom().times(Bound.atom(), inner=4)
    Bound(deg=2, h=2.0, den=0.0)
    """

    deg: int
    h: float = 0.0
    den: float = 0.0

    @staticmethod
    def atom() -> "Bound":
        """One variable (a symbol, or σ(e) for a distinct argument e)."""
        return Bound(1)

    @staticmethod
    def const() -> "Bound":
        """A constant with integer coefficients of size 1 (0, 1, the identity)."""
        return Bound(0)

    def plus(self, other: "Bound") -> "Bound":
        """Bound of a sum (or difference)."""
        return Bound(max(self.deg, other.deg),
                     log2add(self.h + other.den, other.h + self.den), self.den + other.den)

    def times(self, other: "Bound", inner: int = 1) -> "Bound":
        """Bound of a product summed over ``inner`` terms (matrix product)."""
        return Bound(self.deg + other.deg, math.log2(max(inner, 1)) + self.h + other.h,
                     self.den + other.den)

    def scaled(self, c: Fraction) -> "Bound":
        """Bound after multiplying by the rational ``c``."""
        num, den = abs(c.numerator), c.denominator
        return Bound(self.deg, self.h + (math.log2(num) if num > 1 else 0.0),
                     self.den + math.log2(den))


class BoundMatrix(NamedTuple):
    """The bound of a matrix's entries with its number of columns (the inner size of a product)."""

    bound: Bound
    cols: int


class BoundArithmetic(Arithmetic):
    """Step functions on bounds: every value is a :class:`Bound` (a matrix a :class:`BoundMatrix`).

    >>> B = BoundArithmetic()
    >>> B.sub(1, B.mul(Bound.atom(), Bound.atom()))
    Bound(deg=2, h=1.0, den=0.0)
    """

    name = "bounds"
    kind = "ring"
    exact = True

    def _v(self, x) -> Bound:
        if type(x) is Bound:
            return x
        return Bound.const().scaled(as_fraction(x)) if is_number(x) else x

    def const(self, q):
        return self._v(q)

    def const_like(self, c, z):
        return self._v(c)

    def add(self, a, b):
        return self._v(a).plus(self._v(b))

    sub = add

    def mul(self, a, b):
        return self._v(a).times(self._v(b))

    def neg(self, a):
        return a

    def fresh(self, name, z):
        return Bound.atom()

    def matvec(self, A: BoundMatrix, x):
        return A.bound.times(x, inner=A.cols)

    matmul = matvec

    def rowscale(self, d, M):
        return d.times(M)

    def seed_matvec(self, x):
        return Bound.const().times(x)

    def identity(self, n: int):
        return Bound.const()


__all__ = ["Bound", "BoundMatrix", "BoundArithmetic", "log2add"]
