"""Parameter derivatives of the composed network by forward differentiation.

The model's cell (:mod:`rnnmodel.cells`, written once over any arithmetic) runs on dual
numbers (:mod:`rnnmodel.dual`) whose values are SymPy expressions and whose tangents are
SymPy matrices with one column per entry of ``vec(θ)`` (row-major, numerator layout as in
:mod:`derive.gradients`). Each operation carries its local derivative — a sum, a product
(``(W x)' = W x' + W' x`` with ``W'`` the unit tangents of W's entries), ``σ(z)' =
diag(σ'(z)) z'`` with σ' from the activation's table entry, a generic loss's
``L(x)' = Σ_i ∂_iL(x) x_i'`` (its partials ``dL_i``, as ``diff`` gives them) — so this is
entry-by-entry differentiation of the composed function, no matrix chain rule assumed. It
builds the same functions as SymPy's ``diff`` of the composed expression (the tests check
identical canonical polynomials) without the derivative machinery: each tangent entry is a
short expression over the previous step's entries (shared sub-expressions, not a tree that
doubles per step), and zero entries are never multiplied.

:class:`ForwardNetwork` carries one θ through every step of one network; its results are
memoised (:func:`forward_network`, keyed by plain tuples, bounded).

>>> import sympy as sp
>>> fw = forward_network((1, 1, "generic", "A"), "b")
>>> fw.state_gradient(2)
Matrix([[w_{1,1}*dsigma(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1})) + 1]])
>>> fw.loss_gradient("generic", 1)
Matrix([[dL_1(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from rnncore.convert import to_sympy
from rnncore.errors import InvalidInputError
from rnnmodel.dual import Dual, DualArithmetic, EntrySeed
from rnnmodel.exact import SymPyArithmetic

from .canonical import Poly
from .direct import PolyValues, seeded_rows
from .loss import dL, loss as _loss_named, target
from .network import RNN, cached_rnn
from .poly_network import PolyMatrix

_ZERO = sp.S.Zero


def _nonzero(x) -> bool:
    # SymPy's zero is a singleton; an unrecognised zero is merely multiplied (still correct)
    return x is not _ZERO


def tangent(m) -> tuple:
    """A tangent as the forward pass carries it: a tuple of rows (from a matrix or rows).

    >>> tangent(sp.eye(2))
    ((1, 0), (0, 1))
    >>> tangent([["1"]])
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: tangent[0][0] is text ('1'); text is never evaluated: give an integer, a Fraction or a SymPy object
    """
    rows = m.tolist() if isinstance(m, sp.MatrixBase) else m
    if type(rows) not in (tuple, list) or not all(type(r) in (tuple, list) for r in rows):
        raise InvalidInputError(f"tangent={m!r} is not a matrix or a tuple of rows")
    return tuple(tuple(r) for r in to_sympy(rows, "tangent"))


def as_matrix(t, rows: int | None = None, cols: int | None = None) -> sp.ImmutableMatrix:
    """A tangent (tuple of rows, or None: zero of shape ``rows`` × ``cols``) as an immutable
    matrix.

    >>> as_matrix(((1, 2),)), as_matrix(None, 1, 2)
    (Matrix([[1, 2]]), Matrix([[0, 0]]))
    """
    if t is None:
        return sp.ImmutableMatrix.zeros(rows, cols)
    t = tangent(t)  # text refused, entries SymPy
    return sp.ImmutableMatrix(len(t), len(t[0]) if t else 0, [x for r in t for x in r])


def _plus(x, y):
    if x is _ZERO:
        return y
    return x if y is _ZERO else x + y


def _minus(x, y):
    if y is _ZERO:
        return x
    return -y if x is _ZERO else x - y


class SymPyTangents(SymPyArithmetic):
    """The base of the dual numbers here: values are SymPy (matrices, as in
    :mod:`rnnmodel.exact`), tangents are tuples of rows of SymPy expressions; products with a
    zero entry are skipped (SymPy would probe ``0 * e`` for an infinite factor) and no
    intermediate matrix object is built.

    >>> a, b = sp.symbols("a b")
    >>> S = SymPyTangents()
    >>> S.matmul(sp.Matrix([[a, 0]]), ((b, 0), (1, 1)))
    ((a*b, 0),)
    >>> S.seed_rows(sp.Matrix([a, b]), 2)
    ((a, b, 0, 0), (0, 0, a, b))
    """

    name = "sympy with sympy tangents"

    def add(self, a, b):
        if type(a) is tuple:
            return tuple(tuple(_plus(x, y) for x, y in zip(ra, rb)) for ra, rb in zip(a, b))
        return super().add(a, b)

    def sub(self, a, b):
        if type(a) is tuple:
            return tuple(tuple(_minus(x, y) for x, y in zip(ra, rb)) for ra, rb in zip(a, b))
        return super().sub(a, b)

    def neg(self, a):
        if type(a) is tuple:
            return tuple(tuple(x if x is _ZERO else -x for x in r) for r in a)
        return super().neg(a)

    def mul(self, a, b):
        if type(b) is tuple:  # a number times a tangent
            return tuple(tuple(x if x is _ZERO else a * x for x in r) for r in b)
        return super().mul(a, b)

    def matmul(self, A, T):
        width = len(T[0]) if T else 0
        out = []
        for row in (A.tolist() if isinstance(A, sp.MatrixBase) else A):
            used = [(a, T[l]) for l, a in enumerate(row) if a is not _ZERO]
            entries = []
            for j in range(width):
                terms = [a * Tl[j] for a, Tl in used if Tl[j] is not _ZERO]
                entries.append(sp.Add(*terms) if len(terms) > 1 else (terms[0] if terms else _ZERO))
            out.append(tuple(entries))
        return tuple(out)

    def rowscale(self, d, T):
        return tuple(tuple(x if x is _ZERO else di * x for x in r) for di, r in zip(list(d), T))

    def seed_rows(self, x, rows: int, offset: int = 0, width: int | None = None):
        """``W' x`` for W with ``rows`` rows whose entries are the tangent directions
        ``offset, offset + 1, …`` (row-major) among ``width``: in direction (a, c) it is
        ``δ_ia x_c``."""
        return seeded_rows(x, rows, offset, width, _ZERO)

    def seed_matvec(self, x):
        return self.seed_rows(x, x.rows)

    def identity(self, n: int):
        return tangent(sp.eye(n))


#: The base arithmetic of every dual number here, and the dual numbers over it.
TANGENTS = SymPyTangents()
DUALS = DualArithmetic(TANGENTS)


def loss_dual(loss_name: str, x: Dual, t: int, *, value: bool = True) -> Dual:
    """``E_t = L(x)`` on a dual state (value and 1 × |θ| tangent row). The squared loss runs
    on the dual arithmetic (``½ Σ (x_i − y_i)²``, the product rule per entry); the generic
    L is an undefined function whose partials are ``dL_i``: ``L(x)' = Σ_i dL_i(x) x_i'``.
    ``value=False`` leaves the value out (None): a gradient needs only the tangent.

    >>> x = Dual(sp.Matrix([sp.Symbol("a")]), ((sp.Symbol("da"),),))
    >>> e = loss_dual("squared", x, 1)
    >>> e.val, e.tan
    ((a - y_{1,1})**2/2, ((da*(a - y_{1,1}),),))
    """
    the_loss = _loss_named(loss_name)
    xv, xt = x.val, x.tan
    n = xv.rows
    if loss_name == "generic":
        value = the_loss.at(xv, t) if value else None
        if xt is None:
            return Dual(value, None)
        partials = [[dL(i + 1)(*xv) for i in range(n)]]
        return Dual(value, TANGENTS.matmul(partials, xt))
    value = the_loss.at(xv, t) if value else None
    if xt is None:
        return Dual(value, None)
    # ½ Σ d_i² with d = x − y: the product rule gives ½ (d_i d_i' + d_i' d_i) = d_i d_i', d' = x'
    d = DUALS.sub(x, target(n, t))
    return Dual(value, TANGENTS.matmul(d.val.T, d.tan))


#: ``theta=ALL`` seeds every parameter at once: the directions are vec(W_rec), vec(W_in), vec(b)
#: one after the other (:func:`columns` picks one θ's).
ALL = "all"


def _offsets(net: RNN) -> dict[str, tuple[int, int]]:
    out, at = {}, 0
    for name, value in net.parameters.items():
        out[name] = (at, len(value))
        at += len(value)
    return out


def parameter_duals(net: RNN, theta: str | None) -> dict:
    """The cell's parameters, θ seeded with the unit tangents of its entries (vec row-major),
    the others constants; ``theta=None`` holds every parameter constant, ``theta=ALL`` seeds
    them all (directions vec(W_rec), vec(W_in), vec(b) in turn).

    >>> p = parameter_duals(RNN(2, 1, 1), "b")
    >>> p["b"].tan, p["W_rec"] == RNN(2, 1, 1).W_rec
    (((1, 0), (0, 1)), True)
    >>> parameter_duals(RNN(1, 1, 1), ALL)["b"].tan
    ((0, 0, 1),)
    """
    params = dict(net.parameters)
    if theta is None:
        return params
    if theta != ALL and theta not in params:
        raise InvalidInputError(f"unknown parameter theta={theta!r}; use one of {', '.join(params)}, {ALL}")
    offsets = _offsets(net)
    total = sum(size for _, size in offsets.values())
    for name in (params if theta == ALL else (theta,)):
        value = params[name]
        offset, size = offsets[name]
        wide = theta == ALL
        if name == "b":
            width = total if wide else net.n
            start = offset if wide else 0
            params[name] = Dual(value, tuple(tuple(sp.S.One if j == start + i else _ZERO for j in range(width))
                                             for i in range(net.n)))
        else:
            params[name] = Dual(value, EntrySeed(value.rows, offset if wide else 0, total if wide else None))
    return params


def columns(net: RNN, tan, theta: str) -> sp.ImmutableMatrix:
    """θ's columns of a tangent along every parameter (``theta=ALL``; a matrix or rows).

    >>> columns(RNN(1, 1, 1), ((1, 2, 3),), "W_in")
    Matrix([[2]])
    """
    offset, size = _offsets(net)[theta]
    return as_matrix(tuple(r[offset:offset + size] for r in tangent(tan)))


@lru_cache(maxsize=256)
def _input(n: int, m: int, t: int) -> sp.Matrix:
    """``u_t`` as :meth:`RNN.u` names it (a network unrolled to T = t has it)."""
    return cached_rnn(n, m, t).u(t)


def step_dual(net: RNN, prev: Dual, t: int, theta: str | None) -> Dual:
    """One step of ``net``'s cell on dual numbers from the dual previous state ``prev``.

    >>> net = RNN(1, 1, 1)
    >>> step_dual(net, Dual(net.state_symbols(0), None), 1, "W_rec").tan
    ((sigma(x_{0,1}),),)
    """
    return net.cell.step(DUALS, net.act, parameter_duals(net, theta), (prev,),
                         _input(net.n, net.m, t)).state


def width(net: RNN, theta: str | None) -> int:
    """The number of tangent directions: |θ| (n for ``theta=None``: a state seed; every
    parameter's entries for ``theta=ALL``)."""
    if theta == ALL:
        return sum(len(v) for v in net.parameters.values())
    return net.n if theta is None else len(net.parameters[theta])


class ForwardNetwork:
    """One network, one θ: the dual states from ``x_0`` (constant: x_0 is independent of θ;
    ``initial`` replaces its symbols by given values, e.g. form B's h_0 = σ(x_0)), memoised
    per step.

    >>> fw = ForwardNetwork(RNN(2, 1, 1), "W_in")
    >>> fw.state_gradient(1)
    Matrix([
    [u_{1,1},       0],
    [      0, u_{1,1}]])
    """

    def __init__(self, net: RNN, theta: str, initial: sp.Matrix | None = None) -> None:
        self.net = net if net.base == 0 else net.with_base(0)
        self.theta = theta
        self.width = width(self.net, theta)
        start = self.net.state_symbols(0) if initial is None else sp.Matrix(initial)
        self._states: list[Dual] = [Dual(start, None)]

    def state(self, t: int) -> Dual:
        """The dual state at step t (value x_t, tangent ∂x_t/∂vec(θ); None at t = 0)."""
        while len(self._states) <= t:
            j = len(self._states)
            self._states.append(step_dual(self.net, self._states[-1], j, self.theta))
        return self._states[t]

    def _tangent(self, d: Dual, rows: int) -> sp.ImmutableMatrix:
        return as_matrix(d.tan, rows, self.width)

    def state_gradient(self, t: int) -> sp.ImmutableMatrix:
        """``∂x_t/∂vec(θ)`` (n × |θ|)."""
        return self._tangent(self.state(t), self.net.n)

    def immediate_gradient(self, k: int) -> sp.ImmutableMatrix:
        """``∂⁺x_k/∂vec(θ)``: one step from the composed x_{k−1} held constant."""
        if k == 0:
            return as_matrix(None, self.net.n, self.width)
        prev = Dual(self.state(k - 1).val, None)
        return self._tangent(step_dual(self.net, prev, k, self.theta), self.net.n)

    def loss_gradient(self, loss_name: str, t: int) -> sp.ImmutableMatrix:
        """``∂E_t/∂vec(θ)`` (1 × |θ|) of ``E_t = L(x_t)``."""
        return self._tangent(loss_dual(loss_name, self.state(t), t, value=False), 1)

    def total_gradient(self, loss_name: str, T: int) -> sp.ImmutableMatrix:
        """``∂E/∂vec(θ)`` of ``E = Σ_{t=1}^{T} E_t``: the tangent of the sum is the sum of the
        dual losses' tangents (the values, not needed here, are left out)."""
        total = None
        for t in range(1, T + 1):
            e = loss_dual(loss_name, self.state(t), t, value=False).tan
            total = e if total is None else (total if e is None else TANGENTS.add(total, e))
        return self._tangent(Dual(None, total), 1)


@lru_cache(maxsize=256)
def _all_parameters(key: tuple) -> ForwardNetwork:
    n, m, activation, form = key
    return ForwardNetwork(cached_rnn(n, m, 1, activation, form), ALL)


class ParameterView:
    """One θ's columns of a :class:`ForwardNetwork` along every parameter (one pass over the
    network serves W_rec, W_in and b: the values are composed once)."""

    def __init__(self, whole: ForwardNetwork, theta: str) -> None:
        self.whole, self.theta, self.net = whole, theta, whole.net

    def state(self, t: int) -> Dual:
        """The dual state at step t along every parameter."""
        return self.whole.state(t)

    def _cut(self, m: sp.Matrix) -> sp.ImmutableMatrix:
        return columns(self.net, m, self.theta)

    def state_gradient(self, t: int) -> sp.ImmutableMatrix:
        """``∂x_t/∂vec(θ)``."""
        return self._cut(self.whole.state_gradient(t))

    def immediate_gradient(self, k: int) -> sp.ImmutableMatrix:
        """``∂⁺x_k/∂vec(θ)``."""
        return self._cut(self.whole.immediate_gradient(k))

    def loss_gradient(self, loss_name: str, t: int) -> sp.ImmutableMatrix:
        """``∂E_t/∂vec(θ)``."""
        return self._cut(self.whole.loss_gradient(loss_name, t))

    def total_gradient(self, loss_name: str, T: int) -> sp.ImmutableMatrix:
        """``∂E/∂vec(θ)``."""
        return self._cut(self.whole.total_gradient(loss_name, T))


@lru_cache(maxsize=256)
def forward_network(key: tuple, theta: str) -> ParameterView:
    """θ's view of the memoised :class:`ForwardNetwork` along every parameter of the network
    ``key = (n, m, activation, form)`` (from step 0; the state at step t does not depend on T).

    >>> forward_network((1, 1, "generic", "A"), "W_rec").whole is forward_network((1, 1, "generic", "A"), "b").whole
    True
    >>> forward_network((1, 1, "generic", "A"), "W_in").state_gradient(1)
    Matrix([[u_{1,1}]])
    """
    return ParameterView(_all_parameters(key), theta)


class PolyForwardNetwork:
    """The composed network ``key = (n, m, activation, form)`` from x_0 along every
    parameter at once (as :class:`ForwardNetwork` with ``theta=ALL``), values and tangents
    in canonical polynomials over ``canon`` (:class:`derive.direct.PolyValues`: no SymPy
    expression is built). Its pieces are :class:`derive.poly_network.PolyMatrix` values,
    the same forward runs as :mod:`derive.gradients`' forward route (state and loss
    gradients, immediate partials, ∂x_t/∂x_k, ∂E_t/∂x_t), memoised. An application SymPy
    would evaluate stays an unknown value: equal polynomials prove an identity, a
    difference proves nothing (decide it on the SymPy pieces).

    >>> from derive.canonical import Canonicalizer
    >>> canon = Canonicalizer()
    >>> P = PolyForwardNetwork((1, 1, "tanh", "B"), canon)
    >>> S = forward_network((1, 1, "tanh", "B"), "W_rec").loss_gradient("squared", 2)
    >>> (P.loss_gradient("squared", 2, "W_rec")[0, 0] - canon.poly(S[0, 0])).is_zero()
    True
    """

    def __init__(self, key: tuple, canon, initial: list | None = None) -> None:
        n, m, activation, form = key
        self.net = cached_rnn(n, m, 1, activation, form)
        self.canon = canon
        self.base = PolyValues(canon)
        self.duals = DualArithmetic(self.base)
        self.offsets = _offsets(self.net)
        self.width = sum(size for _, size in self.offsets.values())
        self.seeded = dict(self.net.parameters)
        for name, value in self.net.parameters.items():
            offset, size = self.offsets[name]
            if name == "b":  # unit tangents of b's entries, as parameter_duals gives them
                one, zero = sp.S.One, sp.S.Zero
                rows = [[canon.poly(one if j == offset + i else zero) for j in range(self.width)]
                        for i in range(n)]
                self.seeded[name] = Dual(value, tuple(tuple(r) for r in rows))
            else:
                self.seeded[name] = Dual(value, EntrySeed(value.rows, offset, self.width))
        start = [canon.poly(e) for e in self.net.state_symbols(0)] if initial is None else list(initial)
        self._states = [Dual(start, None)]
        self._memo: dict = {}

    def _step(self, prev: Dual, t: int, params) -> Dual:
        net = self.net
        return net.cell.step(self.duals, net.act, params, (prev,), _input(net.n, net.m, t)).state

    def _matrix(self, tan, rows: int, cols: int):
        if tan is None:
            return PolyMatrix([[Poly.const(0)] * cols for _ in range(rows)])
        return PolyMatrix(tan)

    def _columns(self, M, theta: str):
        offset, size = self.offsets[theta]
        return PolyMatrix([r[offset:offset + size] for r in M.rows])

    def state(self, t: int) -> Dual:
        """The dual state at step t (values and tangents along every parameter)."""
        while len(self._states) <= t:
            j = len(self._states)
            self._states.append(self._step(self._states[-1], j, self.seeded))
        return self._states[t]

    def _memoised(self, key, build):
        out = self._memo.get(key)
        if out is None:
            out = self._memo[key] = build()
        return out

    def state_gradient(self, t: int, theta: str):
        """``∂x_t/∂vec(θ)`` (n × |θ|)."""
        whole = self._memoised(("state", t), lambda: self._matrix(self.state(t).tan, self.net.n, self.width))
        return self._columns(whole, theta)

    def immediate_gradient(self, k: int, theta: str):
        """``∂⁺x_k/∂vec(θ)``: one step from the composed x_{k−1} held constant (0 at k = 0)."""
        def build():
            if k == 0:
                return self._matrix(None, self.net.n, self.width)
            prev = Dual(self.state(k - 1).val, None)
            return self._matrix(self._step(prev, k, self.seeded).tan, self.net.n, self.width)
        return self._columns(self._memoised(("immediate", k), build), theta)

    def state_jacobian(self, t: int, k: int):
        """``∂x_t/∂x_k`` (n × n): the steps from the composed x_k with the identity tangent."""
        def build():
            cur = Dual(self.state(k).val, self.base.identity(self.net.n))
            for j in range(k + 1, t + 1):
                cur = self._step(cur, j, self.net.parameters)
            return self._matrix(cur.tan, self.net.n, self.net.n)
        return self._memoised(("jacobian", t, k), build)

    def loss_state_gradient(self, loss_name: str, t: int):
        """``∂E_t/∂x_t`` (1 × n) at the composed x_t: ``dL_i(x_t)`` (generic L, its partials
        as :func:`loss_dual` names them) or ``x_t − y_t`` (squared)."""
        return self._memoised(("loss state", loss_name, t),
                              lambda: self._loss_row(loss_name, self.state(t).val, t))

    def loss_gradient(self, loss_name: str, t: int, theta: str):
        """``∂E_t/∂vec(θ)`` (1 × |θ|): the loss on the dual state, ``L(x)' = Σ_i ∂_iL x_i'``
        (as :func:`loss_dual`)."""
        return self.loss_state_gradient(loss_name, t) @ self.state_gradient(t, theta)

    def sigma_loss_gradient(self, loss_name: str, t: int, theta: str):
        """``∂E_t(σ(x_t))/∂vec(θ)`` (1 × |θ|): the loss on σ of the dual state (the dual σ,
        ``σ(x)' = diag(σ'(x)) x'``), as :func:`loss_dual` of ``DUALS.sigma`` (footnote 1)."""
        def build():
            s = self.duals.sigma(self.net.act, self.state(t))
            return self._loss_row(loss_name, s.val, t) @ self._matrix(s.tan, self.net.n, self.width)
        return self._columns(self._memoised(("sigma loss", loss_name, t), build), theta)

    def _loss_row(self, loss_name: str, x: list, t: int):
        n = self.net.n
        if loss_name == "generic":
            return PolyMatrix([[self.canon.atom(dL(i + 1), tuple(x)) for i in range(n)]])
        if loss_name != "squared":
            raise InvalidInputError(f"unknown loss {loss_name!r}")
        y = target(n, t)
        return PolyMatrix([[x[i] - self.canon.poly(y[i]) for i in range(n)]])

    def total_gradient(self, loss_name: str, T: int, theta: str):
        """``∂E/∂vec(θ)`` of ``E = Σ_{t=1}^{T} E_t``: the sum of the losses' tangents."""
        total = self.loss_gradient(loss_name, 1, theta)
        for t in range(2, T + 1):
            total = total + self.loss_gradient(loss_name, t, theta)
        return total


@lru_cache(maxsize=512)
def state_jacobian(key: tuple, t: int, k: int) -> sp.ImmutableMatrix:
    """``∂x_t/∂x_k`` (n × n): the cell on duals from the composed x_k with the identity as
    tangent, parameters constant (so evaluated at the composed x_k).

    >>> state_jacobian((1, 1, "generic", "A"), 1, 0)
    Matrix([[w_{1,1}*dsigma(x_{0,1})]])
    """
    n, m, activation, form = key
    net = cached_rnn(n, m, 1, activation, form)
    cur = Dual(_all_parameters(key).state(k).val, TANGENTS.identity(n))
    for j in range(k + 1, t + 1):
        cur = step_dual(net, cur, j, None)
    return as_matrix(cur.tan, n, n)


def loss_state_gradient(loss_name: str, x: sp.Matrix, t: int) -> sp.ImmutableMatrix:
    """``∂E_t/∂x_t`` (1 × n) at the state value ``x``: the loss on a dual x with the
    identity as tangent.

    >>> loss_state_gradient("squared", sp.Matrix([sp.Symbol("a")]), 2)
    Matrix([[a - y_{2,1}]])
    """
    x = sp.Matrix(to_sympy(x, "x"))
    return as_matrix(loss_dual(loss_name, Dual(x, TANGENTS.identity(x.rows)), t, value=False).tan)


__all__ = ["SymPyTangents", "TANGENTS", "DUALS", "ForwardNetwork", "forward_network", "ALL",
           "ParameterView", "columns", "tangent", "as_matrix",
           "loss_dual", "parameter_duals", "step_dual", "state_jacobian",
           "loss_state_gradient", "width", "PolyForwardNetwork"]
