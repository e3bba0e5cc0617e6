"""The exact symbolic arithmetic: SymPy expressions, vectors as ``sympy.Matrix`` columns.

Elementwise operations accept a matrix or a scalar expression (and a Python number on
either side); ``matvec`` builds each entry as one ``Add`` of products (SymPy's matrix
product would probe ``0 * entry`` with assumption queries on large entries).

>>> a, b = sp.symbols("a b")
>>> SYMPY.matvec(sp.Matrix([[a, b]]), sp.Matrix([b, a]))
Matrix([[2*a*b]])
>>> SCALAR.sub(1, SCALAR.mul(sp.tanh(a), sp.tanh(a)))
1 - tanh(a)**2
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from rnncore.errors import ShapeError

from .arithmetic import Arithmetic, as_fraction
from .sympy_functions import relu, step


def _same_length(A, x) -> None:
    if len(x) != A.cols:
        raise ShapeError(f"cannot multiply {A.rows}x{A.cols} by a vector of {len(x)} entries")


def _map(f, x):
    return x.applyfunc(f) if isinstance(x, sp.MatrixBase) else f(x)


def _zip(f, a, b):
    am, bm = isinstance(a, sp.MatrixBase), isinstance(b, sp.MatrixBase)
    if am and bm:
        return sp.Matrix(a.rows, a.cols, [f(x, y) for x, y in zip(a, b)])
    if am:
        return a.applyfunc(lambda x: f(x, b))
    if bm:
        return b.applyfunc(lambda y: f(a, y))
    return f(a, b)


class SymPyArithmetic(Arithmetic):
    """Exact SymPy arithmetic (kind ``symbolic``): σ is the SymPy function of the table.

    >>> SYMPY.const(Fraction(1, 3)), SYMPY.exact
    (1/3, True)
    """

    name = "sympy"
    kind = "symbolic"
    exact = True

    def const(self, q):
        q = as_fraction(q)
        return sp.Rational(q.numerator, q.denominator)

    def vector(self, entries):
        """A column vector (rationals become SymPy Rationals)."""
        return sp.Matrix([sp.sympify(self.const(e)) if isinstance(e, (int, Fraction)) else e
                          for e in entries])

    def matrix(self, rows):
        """A matrix from rows."""
        return sp.Matrix([[self.const(e) if isinstance(e, (int, Fraction)) else e for e in r]
                          for r in rows])

    # the container of vectors and matrices and the entrywise helpers over it: a subclass
    # that keeps its matrices in another container replaces these three and the builders
    # (vector, matrix, matvec, ...); the entrywise operations below are shared
    _MATRIX = sp.MatrixBase
    _map = staticmethod(_map)
    _zip = staticmethod(_zip)

    def const_like(self, c, z):
        return self._map(lambda _: sp.Integer(c) if isinstance(c, int) else self.const(c), z)

    def add(self, a, b):
        return a + b if isinstance(a, self._MATRIX) and isinstance(b, self._MATRIX) else self._zip(sp.Add, a, b)

    def sub(self, a, b):
        return self._zip(lambda x, y: x - y, a, b)

    def mul(self, a, b):
        return self._zip(lambda x, y: x * y, a, b)

    def neg(self, a):
        return self._map(lambda x: -x, a)

    def recip(self, a):
        return self._map(lambda x: 1 / x, a)

    def tanh(self, a):
        return self._map(sp.tanh, a)

    def exp(self, a):
        return self._map(sp.exp, a)

    def relu(self, a):
        return self._map(relu, a)

    def step(self, a):
        return self._map(step, a)

    def apply(self, fn, x):
        return self._map(fn, x)

    def matvec(self, A, x):
        # rows of entries: indexing a SymPy matrix entry by entry (and building it from a
        # lambda of SymPy indices) costs more than the products; the same entries
        xs = list(x)
        _same_length(A, xs)
        return sp.Matrix(A.rows, 1, [sp.Add(*[a * xj for a, xj in zip(row, xs)]) for row in A.tolist()])

    def affine(self, A, x, c):
        """``A x + c`` with each entry one ``Add``.

        >>> a = sp.Symbol("a")
        >>> SYMPY.affine(sp.Matrix([[a]]), sp.Matrix([a]), sp.Matrix([1]))
        Matrix([[a**2 + 1]])
        """
        xs, cs = list(x), list(c)
        _same_length(A, xs)
        return sp.Matrix(A.rows, 1, [sp.Add(*[a * xj for a, xj in zip(row, xs)], ci)
                                     for row, ci in zip(A.tolist(), cs)])

    def matmul(self, A, B):
        cols = list(zip(*B.tolist())) if B.rows else [()] * B.cols
        return sp.Matrix(A.rows, B.cols, [sp.Add(*[a * b for a, b in zip(row, col)])
                                          for row in A.tolist() for col in cols])

    def rowscale(self, d, M):
        ds = list(d)
        return sp.Matrix(M.rows, M.cols, [ds[i] * v for i, row in enumerate(M.tolist()) for v in row])

    def identity(self, n: int):
        return sp.eye(n)

    def size(self, x) -> int:
        return int(x.rows)


#: The SymPy arithmetic on column vectors (and scalars).
SYMPY = SymPyArithmetic()
#: The same arithmetic, named for use on scalar expressions.
SCALAR = SYMPY

__all__ = ["SymPyArithmetic", "SYMPY", "SCALAR"]
