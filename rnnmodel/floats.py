"""Rounded real arithmetics: mpmath (at the caller's ``mpmath.workdps``) and float64 (numpy).

Neither is evidence of anything (a rounded value carries no error bound); they run the same
step functions as the certified ball arithmetic, e.g. to show where float64 underflows.

>>> FLOAT64.matvec(FLOAT64.matrix([[1, 2]]), FLOAT64.vector([3, 4])).tolist()
[11.0]
>>> with mpmath.workdps(30):
...     print(mpmath.nstr(MPMATH.tanh(MPMATH.vector([Fraction(1, 2)]))[0], 20))
0.4621171572600097585
"""
from __future__ import annotations

from fractions import Fraction

import mpmath
import numpy as np

from .arithmetic import Arithmetic, as_fraction, is_number


class Float64Arithmetic(Arithmetic):
    """float64 on numpy vectors ``(n,)`` and matrices ``(n, m)`` (kind ``real``, not exact).

    >>> FLOAT64.step(FLOAT64.vector([-1, 0, 2])).tolist()
    [0.0, 0.0, 1.0]
    """

    name = "float64"

    def const(self, q):
        return float(as_fraction(q)) if not isinstance(q, float) else q

    def vector(self, entries):
        """A vector from rationals (rounded to nearest)."""
        return np.array([float(e) for e in entries])  # float(Fraction) rounds to nearest

    def matrix(self, rows):
        """A matrix from rows of rationals."""
        return np.array([[float(e) for e in r] for r in rows])

    def _v(self, x):
        return float(as_fraction(x)) if is_number(x) else x

    def const_like(self, c, z):
        return np.full(np.shape(z), float(as_fraction(c)))

    def add(self, a, b):
        return self._v(a) + self._v(b)

    def sub(self, a, b):
        return self._v(a) - self._v(b)

    def mul(self, a, b):
        return self._v(a) * self._v(b)

    def neg(self, a):
        return -a

    def recip(self, a):
        return 1 / a

    def tanh(self, a):
        return np.tanh(a)

    def exp(self, a):
        return np.exp(a)

    def relu(self, a):
        return np.maximum(a, 0.0)

    def step(self, a):
        return (a > 0).astype(np.float64)

    def matvec(self, A, x):
        return A @ x

    def matmul(self, A, B):
        return A @ B

    def rowscale(self, d, M):
        return d[:, None] * M

    def identity(self, n: int):
        return np.eye(n)

    def size(self, x) -> int:
        return len(x)


class MpmathArithmetic(Arithmetic):
    """mpmath ``mpf`` at the current ``mpmath.mp`` precision; vectors are lists, matrices
    lists of rows (kind ``real``, not exact: each operation rounds).

    >>> with mpmath.workdps(20):
    ...     MPMATH.rowscale([mpmath.mpf(2)], [[mpmath.mpf(3)]])
    [[mpf('6.0')]]
    """

    name = "mpmath"

    def const(self, q):
        q = as_fraction(q)
        return mpmath.mpf(q.numerator) / q.denominator

    def vector(self, entries):
        """A vector from rationals (rounded at the current precision)."""
        return [self.const(e) if is_number(e) else mpmath.mpf(e) for e in entries]

    def matrix(self, rows):
        """A matrix (list of rows) from rationals."""
        return [self.vector(r) for r in rows]

    def _zip(self, f, a, b):
        if is_number(a):
            a = [self.const(a)] * len(b)
        if is_number(b):
            b = [self.const(b)] * len(a)
        return [f(x, y) for x, y in zip(a, b)]

    def const_like(self, c, z):
        return [self.const(c) for _ in z]

    def add(self, a, b):
        return self._zip(lambda x, y: x + y, a, b)

    def sub(self, a, b):
        return self._zip(lambda x, y: x - y, a, b)

    def mul(self, a, b):
        return self._zip(lambda x, y: x * y, a, b)

    def neg(self, a):
        return [-x for x in a]

    def recip(self, a):
        return [1 / x for x in a]

    def tanh(self, a):
        return [mpmath.tanh(x) for x in a]

    def exp(self, a):
        return [mpmath.exp(x) for x in a]

    def relu(self, a):
        return [x if x > 0 else mpmath.mpf(0) for x in a]

    def step(self, a):
        return [mpmath.mpf(1) if x > 0 else mpmath.mpf(0) for x in a]

    def matvec(self, A, x):
        return [mpmath.fdot(row, x) for row in A]

    def matmul(self, A, B):
        cols = list(zip(*B))
        return [[mpmath.fdot(row, col) for col in cols] for row in A]

    def rowscale(self, d, M):
        return [[di * v for v in row] for di, row in zip(d, M)]

    def identity(self, n: int):
        return [[mpmath.mpf(int(i == j)) for j in range(n)] for i in range(n)]

    def size(self, x) -> int:
        return len(x)


#: float64 arithmetic.
FLOAT64 = Float64Arithmetic()
#: mpmath arithmetic (precision: the caller's ``mpmath.workdps``).
MPMATH = MpmathArithmetic()

__all__ = ["Float64Arithmetic", "MpmathArithmetic", "FLOAT64", "MPMATH"]
