"""Direct Jacobians ∂x_t/∂x_k of the composed network, entry by entry (no matrix chain rule).

Two routes to the same object:

* :func:`direct_jacobian` — SymPy's own ``Matrix.jacobian`` of ``RNN.state(t)`` (the
  composed function of the base state ``x_k``) with respect to ``state_symbols(k)``, in
  numerator layout ``(∂x_t/∂x_k)_{ij} = ∂x_{t,i}/∂x_{k,j}``. Derivatives of σ come out as
  ``dsigma(arg)`` (the activation classes' own ``fdiff``), never as ``Subs(Derivative(...))``;
  :func:`normalise_derivatives` evaluates any such node a caller brings in.
* :class:`ForwardJacobians` — the same derivatives by forward (tangent) differentiation of
  every scalar node of the composed expression, memoised over its DAG, with results as
  canonical polynomials (:class:`derive.prove.Poly`). Each node's derivative uses only the
  scalar rule of that node (sum, product, integer power, ``f(z) → f'(z)·dz`` with ``f'``
  from the function's ``fdiff``, exactly what ``diff`` applies), so it is still entry-by-entry
  differentiation of the composed function; the memo makes it linear in the DAG size instead
  of exponential in the tree size. The tests check both routes agree.

>>> from derive.network import RNN
>>> net = RNN(2, 1, 2)
>>> direct_jacobian(net, 1, 0)
Matrix([
[w_{1,1}*dsigma(x_{0,1}), w_{1,2}*dsigma(x_{0,2})],
[w_{2,1}*dsigma(x_{0,1}), w_{2,2}*dsigma(x_{0,2})]])
>>> direct_jacobian(net, 2, 2) == net.identity()
True
"""
from __future__ import annotations

import sympy as sp

from rnncore.errors import InvalidInputError

from .network import RNN
from .prove import Canonicalizer, Poly, Unsupported


def _check_pair(rnn: RNN, t, k) -> tuple[int, int]:
    if not isinstance(rnn, RNN):
        raise InvalidInputError(f"rnn={rnn!r} is not a derive.network.RNN; build one with RNN(n, m, T)")
    for name, v in (("t", t), ("k", k)):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= rnn.T:
            raise InvalidInputError(f"{name}={v!r} is not a step of this network; use 0 <= {name} <= T={rnn.T}")
    if k > t:
        raise InvalidInputError(f"k={k} > t={t}: ∂x_t/∂x_k needs 0 <= k <= t <= T={rnn.T}")
    return t, k


def normalise_derivatives(expr):
    """Evaluate ``Derivative``/``Subs`` nodes (``doit``), so that a hand-made
    ``Subs(Derivative(σ(z), z), z, a)`` becomes ``dsigma(a)`` and hashes like it.

    >>> from derive.activations import sigma
    >>> z, a = sp.symbols("z a")
    >>> normalise_derivatives(sp.Subs(sp.Derivative(sigma(z), z), z, a))
    dsigma(a)
    """
    if isinstance(expr, sp.MatrixBase):
        return expr.applyfunc(normalise_derivatives)
    if not isinstance(expr, sp.Basic) or not expr.has(sp.Derivative, sp.Subs):
        return expr
    return expr.replace(lambda e: isinstance(e, (sp.Derivative, sp.Subs)), lambda e: e.doit())


def direct_jacobian(rnn: RNN, t: int, k: int) -> sp.Matrix:
    """``∂x_t/∂x_k`` (n × n, numerator layout) by ``Matrix.jacobian`` of the composed state.

    ``0 <= k <= t <= T``; ``t == k`` gives the identity. Form B differentiates ``h_t``
    with respect to ``h_k``.

    >>> net = RNN(1, 1, 2, "tanh")
    >>> direct_jacobian(net, 1, 0)
    Matrix([[w_{1,1}*(1 - tanh(x_{0,1})**2)]])
    >>> direct_jacobian(net, 1, 2)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: k=2 > t=1: ∂x_t/∂x_k needs 0 <= k <= t <= T=2
    """
    t, k = _check_pair(rnn, t, k)
    net = rnn.with_base(k)
    return net.state(t).jacobian(net.state_symbols(k))


class ForwardJacobians:
    """All ``∂x_t/∂x_k`` for one base ``k`` by memoised forward differentiation.

    ``jacobian(t)`` returns an n × n list of canonical :class:`Poly` rows over the shared
    :class:`Canonicalizer` ``canon`` (pass one to compare against other expressions).

    >>> net = RNN(2, 1, 3)
    >>> fw = ForwardJacobians(net, 0)
    >>> canon = fw.canon
    >>> J = direct_jacobian(net, 3, 0)
    >>> all((fw.jacobian(3)[i][j] - canon.poly(J[i, j])).is_zero() for i in range(2) for j in range(2))
    True
    """

    def __init__(self, rnn: RNN, k: int, canon: Canonicalizer | None = None) -> None:
        _check_pair(rnn, k, k)
        self.net = rnn.with_base(k)
        self.k = k
        self.canon = canon or Canonicalizer()
        self._index = {s: i for i, s in enumerate(self.net.state_symbols(k))}
        self._memo: dict = {}

    def jacobian(self, t: int) -> list[list[Poly]]:
        """``∂x_t/∂x_k`` as rows of canonical polynomials (raises ``Unsupported``/budget)."""
        _check_pair(self.net, t, self.k)
        state = self.net.state(t)
        n = self.net.n
        rows = []
        for i in range(n):
            d = self.d(state[i])
            rows.append([Poly.const(0) if d is None else d[j] for j in range(n)])
        return rows

    def d(self, e):
        """The gradient of the scalar node ``e`` w.r.t. ``x_k``: a tuple of n Polys, or None (0)."""
        memo = self._memo
        if e in memo:
            return memo[e]
        out = memo[e] = self._d(e)
        return out

    def _d(self, e):
        n = self.net.n
        if not isinstance(e, sp.Basic) or e.is_Number:
            return None
        if e.is_Symbol:
            j = self._index.get(e)
            if j is None:
                return None
            return tuple(Poly.const(1 if i == j else 0) for i in range(n))
        if e.is_Add:
            acc = None
            for a in e.args:
                da = self.d(a)
                if da is not None:
                    acc = da if acc is None else tuple(x + y for x, y in zip(acc, da))
            return acc
        if e.is_Mul:
            acc = None
            args = e.args
            for i, a in enumerate(args):
                da = self.d(a)
                if da is None:
                    continue
                rest = Poly.const(1)
                for l, b in enumerate(args):
                    if l != i:
                        rest = rest * self.canon.poly(b)
                term = tuple(rest * x for x in da)
                acc = term if acc is None else tuple(x + y for x, y in zip(acc, term))
            return acc
        if e.is_Pow:
            base, ex = e.args
            db = self.d(base)
            if db is None and self.d(ex) is None:
                return None
            if not ex.is_Integer or self.d(ex) is not None:
                raise Unsupported(f"forward differentiation of the power {e}")
            m = int(ex)
            if m >= 1:
                factor = self.canon.poly(base).pow(m - 1).scale(m)
            else:  # a negative power: m·base^(m-1) is an atom of the canonical form
                factor = self.canon.poly(m * base ** (m - 1))
            return tuple(factor * x for x in db)
        if isinstance(e, sp.Function):
            acc = None
            for idx, a in enumerate(e.args, start=1):
                da = self.d(a)
                if da is None:
                    continue
                fprime = self.canon.poly(e.fdiff(idx))
                term = tuple(fprime * x for x in da)
                acc = term if acc is None else tuple(x + y for x, y in zip(acc, term))
            return acc
        raise Unsupported(f"forward differentiation of a {type(e).__name__} node")


__all__ = ["direct_jacobian", "ForwardJacobians", "normalise_derivatives"]
