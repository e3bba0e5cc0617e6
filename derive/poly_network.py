"""A network evaluated in canonical polynomials: the closed forms built without SymPy products.

A candidate ``(net, t, k) -> matrix`` (the shared candidate protocol of
:func:`derive.jacobian.check_jacobian`) that uses only ``net.W_rec``, ``net.W_in``,
``net.b``, ``net.D(j)``, ``net.identity()``, matrix products, sums, differences, scalar
multiples and transposes can run on a :class:`PolyNetwork` instead of the SymPy network:
each of those matrices is given as a :class:`PolyMatrix` of canonical polynomials
(:class:`derive.canonical.Poly`, over the same :class:`derive.canonical.Canonicalizer` as
the direct Jacobians), and each operation is the canonical image of the SymPy one
(``poly(A B) = poly(A) poly(B)`` and so on, the canonical form being a ring
homomorphism). So the value is the canonical form of the SymPy candidate's entries,
without building a SymPy expression and canonicalising it again.

Products are memoised per network with the factor of largest index leftmost, each one
from the previous: ``F_t ⋯ F_{k+1} = F_t (F_{t-1} ⋯ F_{k+1})`` (:meth:`PolyNetwork.product`),
so all pairs of one base cost one matrix product per step.

>>> from derive.network import RNN
>>> from derive.canonical import Canonicalizer
>>> canon = Canonicalizer()
>>> net = RNN(2, 1, 2).with_base(0)
>>> P = PolyNetwork(net, canon)
>>> M = P.W_rec @ P.D(0)
>>> S = net.W_rec * net.D(0)
>>> all((M[i, j] - canon.poly(S[i, j])).is_zero() for i in range(2) for j in range(2))
True
"""
from __future__ import annotations

from fractions import Fraction

import sympy as sp

from rnncore.errors import ShapeError
from rnnmodel.dual import Dual, DualArithmetic

from .canonical import Canonicalizer, Poly
from .direct import PolyTangents


class PolyUnsupported(AttributeError):
    """An operation the polynomial network does not offer (the caller uses SymPy instead);
    an ``AttributeError``, so that ``hasattr``/``getattr(..., default)`` probes of the
    candidate protocol answer "absent"."""


def _scalar(c):
    """An exact rational scalar (int or Fraction), or None."""
    if isinstance(c, bool):
        return None
    if isinstance(c, (int, Fraction)):
        return c
    if isinstance(c, sp.Basic) and c.is_Rational:
        return int(c) if c.is_Integer else Fraction(int(c.p), int(c.q))
    return None


class PolyMatrix:
    """A dense matrix of canonical polynomials: ``rows`` a tuple of tuples of :class:`Poly`.

    Supports ``@`` and ``*`` (matrix product, or a rational scalar), ``+``, ``-``, unary
    minus and ``.T``, each the canonical image of the SymPy operation.

    >>> I = PolyMatrix.identity(2)
    >>> ((I * 3 - I @ I) - I * 2).is_zero()
    True
    """

    __slots__ = ("rows", "shape")

    def __init__(self, rows) -> None:
        self.rows = tuple(tuple(r) for r in rows)
        self.shape = (len(self.rows), len(self.rows[0]) if self.rows else 0)

    @staticmethod
    def identity(n: int) -> "PolyMatrix":
        """The n × n identity."""
        return PolyMatrix([[Poly.const(int(i == j)) for j in range(n)] for i in range(n)])

    @staticmethod
    def diag(entries) -> "PolyMatrix":
        """The diagonal matrix with the given polynomials on its diagonal."""
        entries = list(entries)
        zero = Poly.const(0)
        return PolyMatrix([[entries[i] if i == j else zero for j in range(len(entries))]
                           for i in range(len(entries))])

    def __getitem__(self, ij) -> Poly:
        i, j = ij
        return self.rows[i][j]

    def is_zero(self) -> bool:
        """True when every entry is the zero polynomial."""
        return all(p.is_zero() for r in self.rows for p in r)

    @property
    def T(self) -> "PolyMatrix":
        return PolyMatrix(list(zip(*self.rows)) if self.rows else [])

    def _same_shape(self, other, op: str) -> None:
        if not isinstance(other, PolyMatrix):
            raise PolyUnsupported(f"{op} with a {type(other).__name__}")
        if other.shape != self.shape:
            raise ShapeError(f"cannot {op} a {self.shape[0]}x{self.shape[1]} and a "
                             f"{other.shape[0]}x{other.shape[1]} matrix")

    def __add__(self, other) -> "PolyMatrix":
        self._same_shape(other, "add")
        return PolyMatrix([[a + b for a, b in zip(ra, rb)] for ra, rb in zip(self.rows, other.rows)])

    def __sub__(self, other) -> "PolyMatrix":
        self._same_shape(other, "subtract")
        return PolyMatrix([[a - b for a, b in zip(ra, rb)] for ra, rb in zip(self.rows, other.rows)])

    def __neg__(self) -> "PolyMatrix":
        return self.scale(-1)

    def scale(self, c) -> "PolyMatrix":
        """``c · self`` for a rational c."""
        return PolyMatrix([[p.scale(c) for p in r] for r in self.rows])

    def __matmul__(self, other) -> "PolyMatrix":
        if not isinstance(other, PolyMatrix):
            raise PolyUnsupported(f"a matrix product with a {type(other).__name__}")
        (r, c), (r2, c2) = self.shape, other.shape
        if c != r2:
            raise ShapeError(f"cannot multiply a {r}x{c} by a {r2}x{c2} matrix")
        cols = list(zip(*other.rows)) if other.rows else [()] * c2
        out = []
        for row in self.rows:
            nz = [(l, a) for l, a in enumerate(row) if not a.is_zero()]
            new = []
            for col in cols:
                acc = Poly.const(0)
                for l, a in nz:
                    b = col[l]
                    if not b.is_zero():
                        acc = acc + a * b
                new.append(acc)
            out.append(new)
        return PolyMatrix(out)

    def __mul__(self, other):
        if isinstance(other, PolyMatrix):
            return self @ other
        c = _scalar(other)
        if c is None:
            raise PolyUnsupported(f"a product with a {type(other).__name__}")
        return self.scale(c)

    def __rmul__(self, other):
        c = _scalar(other)
        if c is None:
            raise PolyUnsupported(f"a product with a {type(other).__name__}")
        return self.scale(c)

    def __repr__(self) -> str:
        return f"PolyMatrix({self.shape[0]}x{self.shape[1]})"


class PolyNetwork:
    """The network ``net`` (base ``net.base``) with its matrices as :class:`PolyMatrix` over
    ``canon``: ``W_rec``, ``W_in``, ``b``, ``D(j)`` (``diag(σ'(z_j))``, z_j the argument σ
    is applied to), ``identity()``, and :meth:`one_step_jacobian` (the step function
    differentiated forward, on dual numbers, at the network's state). Other protocol
    members (``state``, ``sigma``, ``u``, ...) raise :class:`PolyUnsupported`.

    >>> from derive.network import RNN
    >>> P = PolyNetwork(RNN(1, 1, 2).with_base(0), Canonicalizer())
    >>> P.D(1).shape, P.n, P.form
    ((1, 1), 1, 'A')
    """

    def __init__(self, net, canon: Canonicalizer, forward=None) -> None:
        self.net = net
        self.canon = canon
        # the direct Jacobians of this base (derive.direct.ForwardJacobians), whose states
        # and σ arguments are reused; without them the SymPy network's are built (with
        # PolyForwardJacobians, σ' and the one-step Jacobians come from it, in polynomials)
        self.forward = forward
        self._arith = PolyTangents(canon)
        self.n, self.m, self.T = net.n, net.m, net.T
        self.form, self.activation, self.base = net.form, net.activation, net.base
        self._D: dict = {}
        self._J: dict = {}
        self._products: dict = {}

    @property
    def W_rec(self) -> PolyMatrix:
        """W_rec (made on first use)."""
        return self._matrix("W_rec")

    @property
    def W_in(self) -> PolyMatrix:
        """W_in (made on first use)."""
        return self._matrix("W_in")

    @property
    def b(self) -> PolyMatrix:
        """b (made on first use)."""
        return self._matrix("b")

    def _matrix(self, name: str) -> PolyMatrix:
        # made on first use, so that symbols a candidate does not read add no generators
        M = self._D.get(name)
        if M is None:
            S = getattr(self.net, name)
            M = self._D[name] = PolyMatrix([[self.canon.poly(S[i, j]) for j in range(S.cols)]
                                            for i in range(S.rows)])
        return M

    def identity(self) -> PolyMatrix:
        """The n × n identity."""
        return PolyMatrix.identity(self.n)

    def D(self, j: int) -> PolyMatrix:
        """``diag(σ'(z_j))`` (memoised per j)."""
        d = self._D.get(j)
        if d is None:
            if getattr(self.forward, "poly_values", False):  # σ' already in polynomials
                d = self._D[j] = PolyMatrix.diag(self.forward.dsigma_value(j))
                return d
            z = (self.forward.sigma_argument_value(j) if self.forward is not None
                 else list(self.net.sigma_argument(j)))
            d = self._D[j] = PolyMatrix.diag(
                self.canon.poly(e) for e in self._arith.dsigma(self.net.act, z))
        return d

    def one_step_jacobian(self, j: int) -> PolyMatrix:
        """``J_j = ∂x_j/∂x_{j-1}``: one step of the cell run on dual numbers from the state
        ``x_{j-1}`` (tangent the identity), i.e. the step function differentiated and
        evaluated at the network's state (memoised per j)."""
        J = self._J.get(j)
        if J is None:
            if getattr(self.forward, "poly_values", False):  # the step on polynomial values
                J = self._J[j] = PolyMatrix(self.forward.one_step_tangent(j))
                return J
            prev = (self.forward.state_value(j - 1) if self.forward is not None
                    else list(self.net.state(j - 1)))
            J = self._J[j] = PolyMatrix(_one_step_tangent(self.net, j, prev, self._arith))
        return J

    def product(self, key, t: int, k: int, factor) -> PolyMatrix:
        """``factor(self, t) ⋯ factor(self, k+1)`` (largest index leftmost; the identity when
        t == k), memoised under ``key``: each product is ``factor(self, t)`` times the
        product up to t − 1."""
        memo = self._products
        out = memo.get((key, t, k))
        if out is not None:
            return out
        start = t
        while start > k and (key, start, k) not in memo:
            start -= 1
        out = memo.get((key, start, k)) if start > k else self.identity()
        for j in range(start + 1, t + 1):
            out = factor(self, j) if j == k + 1 else factor(self, j) @ out
            memo[(key, j, k)] = out
        return out

    def __getattr__(self, name):
        # the SymPy-only members of the candidate protocol (state, sigma, u, ...)
        if name.startswith("__"):
            raise AttributeError(name)
        raise PolyUnsupported(f"net.{name} is not offered in canonical polynomials")


def _one_step_tangent(net, j: int, prev: list, base: PolyTangents):
    """The tangent of one cell step from the state ``prev`` = x_{j-1} with the identity
    tangent: rows of canonical polynomials (forward differentiation, :mod:`rnnmodel.dual`)."""
    duals = DualArithmetic(base)
    start = Dual(prev, base.identity(net.n))
    return net.cell.step(duals, net.act, net.parameters, (start,), net.u(j)).state.tan


__all__ = ["PolyMatrix", "PolyNetwork", "PolyUnsupported"]
