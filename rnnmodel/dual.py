"""Forward-mode derivatives written once over an arithmetic: dual numbers.

A :class:`Dual` is a vector value with its tangent matrix (one column per tangent
direction); :class:`DualArithmetic` wraps any arithmetic so that a step function runs on
duals unchanged, each operation carrying its local derivative (as in micrograd, forward
instead of backward):

* ``(a + b)' = a' + b'``, ``(a − b)' = a' − b'``, ``(−a)' = −a'``;
* ``(a b)' = diag(b) a' + diag(a) b'`` (elementwise product);
* ``(A x)' = A x'`` for a constant matrix, plus ``A' x`` when A's entries are the tangent
  directions themselves (:data:`ENTRY_SEED`, the gradient with respect to a weight matrix);
* ``σ(z)' = diag(σ'(z)) z'`` with σ' from the activation's table entry (the identity, where
  the arithmetic has it).

A value that is not a :class:`Dual` is a constant (tangent 0). No matrix chain-rule
formula is assumed anywhere: the Jacobian of an unrolled network is the tangent of its
last state.

>>> from rnnmodel.floats import FLOAT64
>>> from rnnmodel.activations import ACTIVATIONS
>>> D = DualArithmetic(FLOAT64)
>>> x = seed(FLOAT64, FLOAT64.vector([0, 1]))
>>> y = D.mul(x, x)
>>> y.val.tolist(), y.tan.tolist()
([0.0, 1.0], [[0.0, 0.0], [0.0, 2.0]])
>>> D.sigma(ACTIVATIONS["tanh"], x).tan[0].tolist()
[1.0, 0.0]
"""
from __future__ import annotations

from rnncore.errors import InvalidInputError

from .arithmetic import Arithmetic, is_number


class _EntrySeed:
    """The tangent of a matrix whose entries are the tangent directions (row-major)."""

    def __repr__(self) -> str:
        return "ENTRY_SEED"


#: Tangent marker: the directions are the entries of this matrix (∂/∂W).
ENTRY_SEED = _EntrySeed()


class EntrySeed:
    """Tangent marker of a matrix with ``rows`` rows (any number of columns) whose entries
    are tangent directions (row-major), from direction ``offset`` on, among ``width``
    directions in all (None: just this matrix's); the base arithmetic gives ``W' x`` as
    ``seed_rows(x, rows, offset, width)``. :data:`ENTRY_SEED` is the square case.

    >>> EntrySeed(2)
    EntrySeed(2, 0, None)
    """

    __slots__ = ("rows", "offset", "width")

    def __init__(self, rows: int, offset: int = 0, width: int | None = None) -> None:
        self.rows, self.offset, self.width = rows, offset, width

    def __repr__(self) -> str:
        return f"EntrySeed({self.rows}, {self.offset}, {self.width})"


class Dual:
    """A value ``val`` with tangent ``tan`` (None: a constant, tangent 0).

    >>> Dual(1, None)
    Dual(1, None)
    """

    __slots__ = ("val", "tan")

    def __init__(self, val, tan) -> None:
        self.val, self.tan = val, tan

    def __repr__(self) -> str:
        return f"Dual({self.val!r}, {self.tan!r})"


def seed(base: Arithmetic, x, tangent=None) -> Dual:
    """The variable ``x`` with tangent ``tangent`` (default: the identity, one direction
    per entry of x).

    >>> from rnnmodel.floats import FLOAT64
    >>> seed(FLOAT64, FLOAT64.vector([3])).tan.tolist()
    [[1.0]]
    """
    if tangent is None:
        tangent = base.identity(base.size(x))
    return Dual(x, tangent)


class DualArithmetic(Arithmetic):
    """Forward differentiation over the arithmetic ``base`` (same kind and tie).

    >>> from rnnmodel.floats import FLOAT64
    >>> D = DualArithmetic(FLOAT64)
    >>> v = D.matvec(FLOAT64.matrix([[2, 0], [1, 1]]), seed(FLOAT64, FLOAT64.vector([1, 2])))
    >>> v.tan.tolist()
    [[2.0, 0.0], [1.0, 1.0]]
    """

    def __init__(self, base: Arithmetic) -> None:
        self.base = base
        self.name = f"dual({base.name})"
        self.kind, self.tie, self.exact = base.kind, base.tie, base.exact

    @staticmethod
    def _parts(x):
        if type(x) is Dual:
            return x.val, x.tan
        return x, None

    def _join(self, a, b, sign: int):
        if a is None:
            return b if (b is None or sign > 0) else self.base.neg(b)
        if b is None:
            return a
        return self.base.add(a, b) if sign > 0 else self.base.sub(a, b)

    def const(self, q):
        return self.base.const(q)

    def const_like(self, c, z):
        return self.base.const_like(c, self._parts(z)[0])

    def add(self, a, b):
        (av, at), (bv, bt) = self._parts(a), self._parts(b)
        return Dual(self.base.add(av, bv), self._join(at, bt, 1))

    def sub(self, a, b):
        (av, at), (bv, bt) = self._parts(a), self._parts(b)
        return Dual(self.base.sub(av, bv), self._join(at, bt, -1))

    def neg(self, a):
        av, at = self._parts(a)
        return Dual(self.base.neg(av), None if at is None else self.base.neg(at))

    def mul(self, a, b):
        (av, at), (bv, bt) = self._parts(a), self._parts(b)
        B = self.base

        def scaled(d, t):
            if t is None:
                return None
            return B.mul(d, t) if is_number(d) else B.rowscale(d, t)

        return Dual(B.mul(av, bv), self._join(scaled(bv, at), scaled(av, bt), 1))

    def matvec(self, A, x):
        (Av, At), (xv, xt) = self._parts(A), self._parts(x)
        B = self.base
        tan = None if xt is None else B.matmul(Av, xt)
        if At is ENTRY_SEED:
            tan = self._join(tan, B.seed_matvec(xv), 1)
        elif type(At) is EntrySeed:
            tan = self._join(tan, B.seed_rows(xv, At.rows, At.offset, At.width), 1)
        elif At is not None:
            raise InvalidInputError("a matrix with a general tangent is not supported; "
                                    "seed its entries with ENTRY_SEED or hold it constant")
        return Dual(B.matvec(Av, xv), tan)

    def sigma(self, act, z):
        """σ elementwise, tangent ``diag(σ'(z)) z'`` (the one-variable chain rule)."""
        zv, zt = self._parts(z)
        s, d = self.base.sigma_pair(act, zv)
        return Dual(s, None if zt is None else self.base.rowscale(d, zt))

    def sigma_pair(self, act, z):
        return self.sigma(act, z), self.base.dsigma(act, self._parts(z)[0])

    def dsigma(self, act, z):
        """σ' of the value (a constant here: second derivatives are not carried)."""
        return self.base.dsigma(act, self._parts(z)[0])


__all__ = ["Dual", "DualArithmetic", "ENTRY_SEED", "EntrySeed", "seed"]
