"""The SymPy arithmetic of :mod:`rnnmodel.exact` with matrices kept as flat tuples of entries.

The cells' exact checks (:mod:`derive.cells`) run a step function on dual numbers over SymPy
and subtract a closed form: every operation makes a new matrix, and a SymPy ``Matrix`` costs
more to build (its entries are checked and converted to a domain matrix) than the entries
it holds. :class:`ListSymPyArithmetic` builds each entry with the very SymPy calls of
:class:`~rnnmodel.exact.SymPyArithmetic` (``sp.Add`` of the products of a row, ``x * y``
elementwise, the SymPy function of σ …), so the expressions are the same; only the container
differs (:class:`Entries`: shape and a row-major tuple). :func:`entries` and :func:`matrix`
convert between the two.

>>> a, b = sp.symbols("a b")
>>> A = entries(sp.Matrix([[a, b]]))
>>> LISTS.matvec(A, entries(sp.Matrix([b, a])))
Entries(1, 1, (2*a*b,))
>>> matrix(LISTS.matmul(A, A.T)) == SYMPY.matmul(sp.Matrix([[a, b]]), sp.Matrix([[a], [b]]))
True
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from functools import lru_cache

from sympy.core.function import AppliedUndef

from rnnmodel.exact import SYMPY, SymPyArithmetic
from rnnmodel.sympy_functions import dsigma, relu, sigma, sigmoid, step

_ONE, _ZERO = sp.S.One, sp.S.Zero

#: The project's activation functions: none has an ``is_finite`` rule, so an application
#: is never known to be infinite.
_PLAIN_FUNCTIONS = (sigma, dsigma, sigmoid, step, relu)


@lru_cache(maxsize=65536)
def never_infinite(e) -> bool:
    """True only when ``e.is_finite`` cannot be False: ``e`` is built from rationals,
    symbols not known to be infinite, sums, products, powers with a nonnegative integer
    exponent, and applications of the project's activations or of undefined functions not
    declared infinite (SymPy's rules give such a node ``is_finite`` True or None, never
    False). Then ``0 * e`` is 0 (SymPy's product is NaN only for a factor known infinite),
    which :func:`times` returns without SymPy asking ``is_finite`` of ``e`` — a walk of the
    assumption rules over the whole expression. False says only "not shown".

    >>> x = sp.Symbol("x")
    >>> never_infinite(sigma(x) * x ** 2 + 1), never_infinite(1 / x), never_infinite(sp.oo)
    (True, False, False)
    """
    if e.is_Rational:
        return True
    if e.is_Symbol:
        return e.is_finite is not False
    if e.is_Add or e.is_Mul:
        return all(never_infinite(a) for a in e.args)
    if e.is_Pow:
        return e.exp.is_Integer and e.exp >= 0 and never_infinite(e.base)
    if isinstance(e, _PLAIN_FUNCTIONS) or (
            isinstance(e, AppliedUndef) and type(e).default_assumptions.get("finite") is not False):
        return all(never_infinite(a) for a in e.args)
    return False


def times(x, y):
    """``x * y`` for SymPy expressions: the same value, with a zero factor and a
    :func:`never_infinite` other factor answered 0 at once (SymPy's own product of them).

    >>> a = sp.Symbol("a")
    >>> times(sp.Integer(0), sigma(a)), times(sigma(a), sp.Integer(2)), times(sp.Integer(0), sp.oo)
    (0, 2*sigma(a), nan)
    """
    if (x is _ZERO and never_infinite(y)) or (y is _ZERO and never_infinite(x)):
        return _ZERO
    return x * y


class Entries:
    """A matrix of SymPy expressions: ``rows`` × ``cols``, entries row-major in ``flat``.
    Indexing as a SymPy matrix (``M[i, j]``; ``M[k]`` the k-th entry), iteration over the
    entries, ``+``/``-`` entrywise (with another :class:`Entries` or a SymPy matrix), ``.T``.

    >>> M = Entries(2, 1, (sp.Symbol("x"), sp.Integer(0)))
    >>> M[1, 0], list(M), M.shape, (M - M)[0]
    (0, [x, 0], (2, 1), 0)
    """

    __slots__ = ("rows", "cols", "flat")

    def __init__(self, rows: int, cols: int, flat: tuple) -> None:
        self.rows, self.cols, self.flat = rows, cols, flat

    @property
    def shape(self) -> tuple[int, int]:
        """(rows, cols)."""
        return self.rows, self.cols

    def __getitem__(self, key):
        if type(key) is tuple:
            i, j = key
            return self.flat[i * self.cols + j]
        return self.flat[key]

    def __iter__(self):
        return iter(self.flat)

    def __len__(self) -> int:
        return len(self.flat)

    def _other(self, other) -> tuple:
        if isinstance(other, Entries):
            flat = other.flat
        elif isinstance(other, sp.MatrixBase):
            flat = tuple(other)
        else:
            return NotImplemented
        if len(flat) != len(self.flat) or other.shape != self.shape:
            raise ValueError(f"shapes {self.shape} and {other.shape} differ")
        return flat

    def __add__(self, other):
        flat = self._other(other)
        if flat is NotImplemented:
            return NotImplemented
        return Entries(self.rows, self.cols, tuple(x + y for x, y in zip(self.flat, flat)))

    def __sub__(self, other):
        flat = self._other(other)
        if flat is NotImplemented:
            return NotImplemented
        return Entries(self.rows, self.cols, tuple(x - y for x, y in zip(self.flat, flat)))

    def __eq__(self, other) -> bool:
        if isinstance(other, (Entries, sp.MatrixBase)):
            return self.shape == other.shape and self.flat == tuple(other.flat if
                                                                    isinstance(other, Entries) else other)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    @property
    def T(self) -> "Entries":
        """The transpose."""
        r, c, f = self.rows, self.cols, self.flat
        return Entries(c, r, tuple(f[i * c + j] for j in range(c) for i in range(r)))

    def applyfunc(self, f) -> "Entries":
        """``f`` on every entry."""
        return Entries(self.rows, self.cols, tuple(f(x) for x in self.flat))

    def __repr__(self) -> str:
        return f"Entries({self.rows}, {self.cols}, {self.flat!r})"


def entries(M) -> Entries:
    """A SymPy matrix as :class:`Entries` (the same entries).

    >>> entries(sp.eye(2)).flat
    (1, 0, 0, 1)
    """
    return Entries(M.rows, M.cols, tuple(M))


def matrix(M) -> sp.Matrix:
    """:class:`Entries` as a SymPy matrix (a SymPy matrix is returned as it is).

    >>> matrix(Entries(1, 2, (sp.Integer(1), sp.Integer(2))))
    Matrix([[1, 2]])
    """
    return sp.Matrix(M.rows, M.cols, list(M.flat)) if isinstance(M, Entries) else M


def _map(f, x):
    return x.applyfunc(f) if isinstance(x, Entries) else f(x)


def _zip(f, a, b):
    am, bm = isinstance(a, Entries), isinstance(b, Entries)
    if am and bm:
        return Entries(a.rows, a.cols, tuple(f(x, y) for x, y in zip(a.flat, b.flat)))
    if am:
        return Entries(a.rows, a.cols, tuple(f(x, b) for x in a.flat))
    if bm:
        return Entries(b.rows, b.cols, tuple(f(a, y) for y in b.flat))
    return f(a, b)


class ListSymPyArithmetic(SymPyArithmetic):
    """:class:`~rnnmodel.exact.SymPyArithmetic` on :class:`Entries` (kind ``symbolic``):
    the same SymPy call for each entry, no SymPy matrix built.

    >>> x = sp.Symbol("x")
    >>> LISTS.sub(1, LISTS.mul(LISTS.vector([x]), LISTS.vector([x]))).flat
    (1 - x**2,)
    """

    name = "sympy (entry lists)"

    def vector(self, entries_):
        """A column vector (rationals become SymPy Rationals)."""
        flat = tuple(sp.sympify(self.const(e) if isinstance(e, (int, Fraction)) else e, strict=True)
                     for e in entries_)
        return Entries(len(flat), 1, flat)

    def matrix(self, rows):
        """A matrix from rows."""
        rows = [[self.const(e) if isinstance(e, (int, Fraction)) else e for e in r] for r in rows]
        cols = len(rows[0]) if rows else 0
        return Entries(len(rows), cols, tuple(sp.sympify(e, strict=True) for r in rows for e in r))

    _MATRIX = Entries
    _map = staticmethod(_map)
    _zip = staticmethod(_zip)

    # the products of these operations go through ``times`` (a zero factor answered at
    # once: sparse tangents and identities multiply many zeros)
    def matvec(self, A, x):
        n, m = A.shape
        return Entries(n, 1, tuple(sp.Add(*[times(A[i, j], x[j]) for j in range(m)])
                                   for i in range(n)))

    def affine(self, A, x, c):
        n, m = A.shape
        return Entries(n, 1, tuple(sp.Add(*[times(A[i, j], x[j]) for j in range(m)], c[i])
                                   for i in range(n)))

    def matmul(self, A, B):
        r, k, c = A.rows, A.cols, B.cols
        a, b = A.flat, B.flat
        return Entries(r, c, tuple(sp.Add(*[times(a[i * k + l], b[l * c + j]) for l in range(k)])
                                   for i in range(r) for j in range(c)))

    def rowscale(self, d, M):
        c = M.cols
        return Entries(M.rows, c, tuple(times(d[i], M.flat[i * c + j]) for i in range(M.rows)
                                        for j in range(c)))

    def identity(self, n: int):
        return Entries(n, n, tuple(_ONE if i == j else _ZERO for i in range(n) for j in range(n)))

    def size(self, x) -> int:
        return int(x.rows)


#: The SymPy arithmetic on :class:`Entries`.
LISTS = ListSymPyArithmetic()

__all__ = ["Entries", "entries", "matrix", "ListSymPyArithmetic", "LISTS", "SYMPY", "never_infinite", "times"]
