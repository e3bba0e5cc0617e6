"""Direct Jacobians ∂x_t/∂x_k of the composed network, entry by entry (no matrix chain rule).

Two routes to the same object:

* :func:`direct_jacobian` — SymPy's own ``Matrix.jacobian`` of ``RNN.state(t)`` (the
  composed function of the base state ``x_k``) with respect to ``state_symbols(k)``, in
  numerator layout ``(∂x_t/∂x_k)_{ij} = ∂x_{t,i}/∂x_{k,j}``. Derivatives of σ come out as
  ``dsigma(arg)`` (the activation classes' own ``fdiff``), never as ``Subs(Derivative(...))``;
  :func:`normalise_derivatives` evaluates any such node a caller brings in.
* :class:`ForwardJacobians` — the same derivatives by forward (tangent) differentiation:
  the model's cell run on dual numbers (:mod:`rnnmodel.dual`) whose values are SymPy
  expressions and whose tangents are canonical polynomials (:class:`derive.prove.Poly`).
  Each operation carries its local derivative (sum, product, ``σ(z) → σ'(z)·dz`` with σ'
  from the activation's table entry, what ``diff`` gives), so it is still entry-by-entry
  differentiation of the composed function; carried step by step it is linear in T instead
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

from fractions import Fraction

import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError
from rnnmodel.arithmetic import Arithmetic
from rnnmodel.dual import Dual, DualArithmetic
from rnnmodel.exact import SYMPY
from rnnmodel.sympy_functions import relu, step

from .canonical import Unsupported
from .network import RNN
from .prove import Canonicalizer, Poly


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


def _same_length(A, x) -> None:
    if len(x) != A.cols:
        raise ShapeError(f"cannot multiply {A.rows}x{A.cols} by a vector of {len(x)} entries")


def _entries(x):
    """The entries of a value: a list (the values of :class:`PolyTangents`) or a SymPy
    column as a list; a scalar as itself."""
    if isinstance(x, list):
        return x
    if isinstance(x, sp.MatrixBase):
        return list(x)
    return x


def _elementwise(f, a, b):
    a, b = _entries(a), _entries(b)
    al, bl = isinstance(a, list), isinstance(b, list)
    if al and bl:
        return [f(x, y) for x, y in zip(a, b)]
    if al:
        return [f(x, b) for x in a]
    if bl:
        return [f(a, y) for y in b]
    return f(a, b)


def _mapped(f, a):
    a = _entries(a)
    return [f(x) for x in a] if isinstance(a, list) else f(a)


class PolyTangents(Arithmetic):
    """The base of the dual numbers of :class:`ForwardJacobians`: values are SymPy
    expressions (a vector as a plain list of entries: a SymPy ``Matrix`` per operation
    would cost more than the entries), tangents are matrices (tuples of rows) of canonical
    :class:`Poly` over ``canon``; a SymPy factor meeting a tangent is made canonical first.
    σ and σ' are the activation table's (the arithmetic's own policy, symbolic kind).

    >>> a = sp.Symbol("a")
    >>> P = PolyTangents(Canonicalizer())
    >>> T = P.matmul(sp.Matrix([[a]]), ((Poly.const(2),),))
    >>> (T[0][0] - P.canon.poly(2 * a)).is_zero()
    True
    >>> P.affine(sp.Matrix([[a, 1]]), [a, 2], sp.Matrix([3]))
    [a**2 + 5]
    """

    name = "sympy with polynomial tangents"
    kind = "symbolic"
    exact = True

    def __init__(self, canon: Canonicalizer) -> None:
        self.canon = canon

    @staticmethod
    def _tangent(x) -> bool:
        return isinstance(x, tuple)

    def _zip(self, a, b, sign: int):
        return tuple(tuple(x + y if sign > 0 else x - y for x, y in zip(ra, rb)) for ra, rb in zip(a, b))

    def const(self, q):
        return SYMPY.const(q)

    def add(self, a, b):
        return self._zip(a, b, 1) if self._tangent(a) else _elementwise(lambda x, y: x + y, a, b)

    def sub(self, a, b):
        return self._zip(a, b, -1) if self._tangent(a) else _elementwise(lambda x, y: x - y, a, b)

    def neg(self, a):
        return tuple(tuple(x.scale(-1) for x in r) for r in a) if self._tangent(a) else _mapped(lambda x: -x, a)

    def mul(self, a, b):
        if self._tangent(b):  # a number times a tangent
            c = self.canon.poly(a)
            return tuple(tuple(c * x for x in r) for r in b)
        return _elementwise(lambda x, y: x * y, a, b)

    def recip(self, a):
        return _mapped(lambda x: 1 / x, a)

    def tanh(self, a):
        return _mapped(sp.tanh, a)

    def exp(self, a):
        return _mapped(sp.exp, a)

    def relu(self, a):
        return _mapped(relu, a)

    def step(self, a):
        return _mapped(step, a)

    def apply(self, fn, x):
        return _mapped(fn, x)

    def const_like(self, c, z):
        return _mapped(lambda _: sp.Integer(c) if isinstance(c, int) else self.const(c), z)

    def matvec(self, A, x):
        x = _entries(x)
        _same_length(A, x)
        return [sp.Add(*[a * xj for a, xj in zip(row, x)]) for row in A.tolist()]

    def affine(self, A, x, c):
        x, c = _entries(x), _entries(c)
        _same_length(A, x)
        return [sp.Add(*[a * xj for a, xj in zip(row, x)], ci) for row, ci in zip(A.tolist(), c)]

    def matmul(self, A, T):
        poly, n = self.canon.poly, len(T)
        out = []
        for i in range(A.rows):
            coeffs = [(poly(A[i, l]), T[l]) for l in range(n) if A[i, l] != 0]
            row = []
            for j in range(len(T[0]) if T else 0):
                acc = Poly.const(0)
                for c, Tl in coeffs:
                    if not Tl[j].is_zero():
                        acc = acc + c * Tl[j]
                row.append(acc)
            out.append(tuple(row))
        return tuple(out)

    def rowscale(self, d, T):
        poly, d = self.canon.poly, _entries(d)
        return tuple(tuple(poly(d[i]) * x for x in T[i]) for i in range(len(T)))

    def identity(self, n: int):
        return tuple(tuple(Poly.const(int(i == j)) for j in range(n)) for i in range(n))

    def size(self, x) -> int:
        return len(_entries(x))


def _is_function_class(fn) -> bool:
    return isinstance(fn, type) and issubclass(fn, sp.Function)


def seeded_rows(xs, rows: int, offset: int, width: int | None, zero) -> tuple:
    """The tangent rows of ``W x`` for W with ``rows`` rows whose entries are the directions
    ``offset, offset + 1, …`` (row-major) among ``width`` (default ``rows · len(xs)``): row
    i holds ``xs`` at directions ``offset + i·m … offset + (i+1)·m − 1``, ``zero`` elsewhere
    (in direction (a, c) the entry is ``δ_ia x_c``).

    >>> seeded_rows((5, 6), 2, 0, None, 0)
    ((5, 6, 0, 0), (0, 0, 5, 6))
    """
    xs = list(xs)
    m = len(xs)
    width = rows * m if width is None else width
    out = []
    for i in range(rows):
        row = [zero] * width
        row[offset + i * m: offset + (i + 1) * m] = xs
        out.append(tuple(row))
    return tuple(out)


class PolyValues(PolyTangents):
    """:class:`PolyTangents` with the values in canonical polynomials too: a vector is a list
    of :class:`Poly`, σ(z) (and σ', step, ...) the generator :meth:`Canonicalizer.atom` of
    the application to the argument's polynomial, so no SymPy expression is built. SymPy
    entries met (the parameters, the inputs) are made canonical first. Each operation is the
    canonical image of the SymPy one, except that an application SymPy would evaluate
    (``tanh(0) = 0``) stays an unknown value here: equal polynomials are still equal
    functions, a difference proves nothing (the callers then decide on SymPy values).

    >>> from derive.activations import sigma
    >>> a = sp.Symbol("a")
    >>> P = PolyValues(Canonicalizer())
    >>> v = P.affine(sp.Matrix([[a, 1]]), P.apply(sigma, [P.canon.poly(a), Poly.const(2)]), sp.Matrix([3]))
    >>> (v[0] - P.canon.poly(a * sigma(a) + sigma(2) + 3)).is_zero()
    True
    """

    name = "canonical polynomials"

    def _p(self, x) -> Poly:
        return x if isinstance(x, Poly) else self.canon.poly(x)

    def _values(self, x) -> list:
        x = _entries(x)
        return [self._p(e) for e in x] if isinstance(x, list) else self._p(x)

    def const(self, q):
        return Poly.const(q if isinstance(q, int) else Fraction(q))

    def _pair(self, f, a, b):
        return _elementwise(lambda x, y: f(self._p(x), self._p(y)), a, b)

    def add(self, a, b):
        return self._zip(a, b, 1) if self._tangent(a) else self._pair(lambda x, y: x + y, a, b)

    def sub(self, a, b):
        return self._zip(a, b, -1) if self._tangent(a) else self._pair(lambda x, y: x - y, a, b)

    def neg(self, a):
        if self._tangent(a):
            return super().neg(a)
        return _mapped(lambda x: self._p(x).scale(-1), a)

    def mul(self, a, b):
        if self._tangent(b):  # a number times a tangent
            c = self._p(a)
            return tuple(tuple(c * x for x in r) for r in b)
        return self._pair(lambda x, y: x * y, a, b)

    def _unsupported(self, what: str, x):
        raise Unsupported(f"{what} has no canonical polynomial value")

    def recip(self, a):
        return self._unsupported("a reciprocal", a)

    def exp(self, a):
        return self._unsupported("exp", a)

    def tanh(self, a):
        return self.apply(sp.tanh, a)

    def relu(self, a):
        return self.apply(relu, a)

    def step(self, a):
        return self.apply(step, a)

    def apply(self, fn, x):
        if not _is_function_class(fn):
            return self._unsupported(f"the function {getattr(fn, '__name__', fn)}", x)
        return _mapped(lambda e: self.canon.atom(fn, (self._p(e),)), x)

    def const_like(self, c, z):
        return _mapped(lambda _: self.const(c), z)

    def matvec(self, A, x):
        xs = self._values(x)
        _same_length(A, xs)
        return [self._row(row, xs) for row in A.tolist()]

    def affine(self, A, x, c):
        xs, cs = self._values(x), self._values(c)
        _same_length(A, xs)
        return [self._row(row, xs) + ci for row, ci in zip(A.tolist(), cs)]

    def _row(self, row, xs) -> Poly:
        acc = Poly.const(0)
        for a, xj in zip(row, xs):
            if a != 0:
                acc = acc + self._p(a) * xj
        return acc

    def rowscale(self, d, T):
        d = self._values(d)
        return tuple(tuple(d[i] * x for x in T[i]) for i in range(len(T)))

    def seed_rows(self, x, rows: int, offset: int = 0, width: int | None = None):
        """``W' x`` for W with ``rows`` rows whose entries are the tangent directions
        ``offset, offset + 1, …`` (row-major) among ``width`` (as
        :meth:`derive.forward_gradients.SymPyTangents.seed_rows`), in polynomials."""
        return seeded_rows(self._values(x), rows, offset, width, Poly.const(0))


class ForwardJacobians:
    """All ``∂x_t/∂x_k`` for one base ``k``: the cell on dual numbers from the base state
    symbols (tangent: the identity), memoised per step.

    ``jacobian(t)`` returns an n × n list of canonical :class:`Poly` rows over the shared
    :class:`Canonicalizer` ``canon`` (pass one to compare against other expressions).

    >>> net = RNN(2, 1, 3)
    >>> fw = ForwardJacobians(net, 0)
    >>> canon = fw.canon
    >>> J = direct_jacobian(net, 3, 0)
    >>> all((fw.jacobian(3)[i][j] - canon.poly(J[i, j])).is_zero() for i in range(2) for j in range(2))
    True
    """

    #: The arithmetic of the dual numbers' parts (values SymPy, tangents polynomials).
    arithmetic = PolyTangents

    def __init__(self, rnn: RNN, k: int, canon: Canonicalizer | None = None) -> None:
        _check_pair(rnn, k, k)
        self.net = rnn.with_base(k)
        self.k = k
        self.canon = canon or Canonicalizer()
        self._base = self.arithmetic(self.canon)
        self._duals = DualArithmetic(self._base)
        start = self._start(self.net.state_symbols(k))
        self._steps = {k: Dual(start, self._base.identity(self.net.n))}
        self._arguments: dict = {}  # step j -> the σ argument of that step (the cell's)

    def _start(self, symbols) -> list:
        """The base state's value: its symbols, as this arithmetic holds values."""
        return list(symbols)

    def _dual(self, t: int) -> Dual:
        last = max(j for j in self._steps if j <= t)
        cur = self._steps[last]
        net = self.net
        for j in range(last + 1, t + 1):
            step_ = net.cell.step(self._duals, net.act, net.parameters, (cur,), net.u(j))
            cur = self._steps[j] = step_.state
            self._arguments[j] = step_.sigma_argument
        return cur

    def state_value(self, t: int) -> list:
        """The state at step t (k <= t <= T) as a list of SymPy entries, through the base
        state's symbols (what ``net.state(t)`` is, without a second construction).

        >>> fw = ForwardJacobians(RNN(1, 1, 2), 0)
        >>> fw.state_value(1) == list(fw.net.state(1))
        True
        """
        _check_pair(self.net, t, self.k)
        return list(self._dual(t).val)

    def sigma_argument_value(self, j: int) -> list:
        """``z_j`` of ``D(j) = diag(σ'(z_j))`` (form A: the state x_j; form B: the
        pre-activation a_j, j > k) as a list of SymPy entries (``net.sigma_argument(j)``).

        >>> fw = ForwardJacobians(RNN(1, 1, 2, form="B"), 0)
        >>> fw.sigma_argument_value(2) == list(fw.net.sigma_argument(2))
        True
        """
        if self.net.form == "A":
            return self.state_value(j)
        if j <= self.k:
            return list(self.net.sigma_argument(j))  # the network's own error for j <= k
        self._dual(j)
        arg = self._arguments[j]
        return list(arg.val if isinstance(arg, Dual) else arg)

    def jacobian(self, t: int) -> list[list[Poly]]:
        """``∂x_t/∂x_k`` as rows of canonical polynomials (raises ``Unsupported``/budget)."""
        _check_pair(self.net, t, self.k)
        return [list(row) for row in self._dual(t).tan]


class PolyForwardJacobians(ForwardJacobians):
    """:class:`ForwardJacobians` with the values in canonical polynomials as well
    (:class:`PolyValues`): the states, σ arguments and σ' of the network from the base
    state are never built as SymPy expressions. ``state_value`` and
    ``sigma_argument_value`` give lists of :class:`Poly`; :meth:`dsigma_value` and
    :meth:`one_step_tangent` are what :class:`derive.poly_network.PolyNetwork` reads.

    An application SymPy would evaluate (``relu`` of a provably nonnegative argument,
    ``tanh(0)``) is an unknown value here, so these Jacobians are equal to the SymPy route's
    as functions but not always as polynomials: use them to prove equalities (equal
    polynomials), never to refute.

    >>> net = RNN(2, 1, 3, "tanh", "B")
    >>> fw = PolyForwardJacobians(net, 0)
    >>> J, S = fw.jacobian(3), direct_jacobian(net, 3, 0)
    >>> all((J[i][j] - fw.canon.poly(S[i, j])).is_zero() for i in range(2) for j in range(2))
    True
    """

    poly_values = True
    arithmetic = PolyValues

    def _start(self, symbols) -> list:
        return [self.canon.poly(s) for s in symbols]

    def sigma_argument_value(self, j: int) -> list:
        """``z_j`` of ``D(j)`` as polynomials (form B: only for j > k; the network's own error
        otherwise)."""
        if self.net.form == "A":
            return self.state_value(j)
        if j <= self.k:
            self.net.sigma_argument(j)  # raises: no pre-activation at or before the base
        self._dual(j)
        arg = self._arguments[j]
        return list(arg.val if isinstance(arg, Dual) else arg)

    def dsigma_value(self, j: int) -> list:
        """σ'(z_j) entrywise, as polynomials (the activation's identity where it has one)."""
        return self._base.dsigma(self.net.act, self.sigma_argument_value(j))

    def one_step_tangent(self, j: int) -> tuple:
        """``∂x_j/∂x_{j-1}`` (k < j <= T) at the network's state: one step of the cell on dual
        numbers from the state x_{j-1} with the identity as tangent, as rows of polynomials."""
        prev = self.state_value(j - 1)
        start = Dual(prev, self._base.identity(self.net.n))
        return self.net.cell.step(self._duals, self.net.act, self.net.parameters, (start,),
                                  self.net.u(j)).state.tan


__all__ = ["direct_jacobian", "ForwardJacobians", "PolyForwardJacobians", "PolyTangents", "PolyValues", "seeded_rows",
           "normalise_derivatives"]
