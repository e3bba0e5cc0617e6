"""Closed forms of the gradient equations (blog eqs. 2, 4, 5, 7, 8, 9, 11; paper eq. 4).

Each closed form is built from the *direct* pieces of :mod:`derive.gradients` (the state
derivatives, the immediate partials ``∂⁺``, the Jacobians ``∂x_t/∂x_k``, ``∂E_t/∂x_t``), so
checking it against the direct ``∂E_t/∂θ`` checks the chain-rule step the equation makes,
not the Jacobian formula (that is eq. 12/13, checked elsewhere). Keyword arguments select
variants, so that wrong readings (a sum ending at t − 1, ``∂`` in place of ``∂⁺``, the
product in the wrong order, a hand-made one-step Jacobian) are one call away and can be
refuted.

**Layout** (as in :mod:`derive.gradients`): θ ∈ {W_rec, W_in, b} flattened row-major into
vec(θ); numerator layout: ``∂x/∂θ`` is n × |θ|, ``∂E_t/∂x_t`` is 1 × n, ``∂E_t/∂θ`` is
1 × |θ|. Form B: read h for x. Every function takes the network ``net`` (any base: the
composed network from step 0 is used).

:data:`CLOSED_FORMS` lists them as printable :class:`ClosedForm` objects:

>>> print(CLOSED_FORMS["blog.eq9"])
blog eq. 9: ∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) · ∂⁺x_k/∂θ
>>> from derive.network import RNN
>>> from derive.gradients import loss_gradient
>>> net = RNN(1, 1, 2)
>>> eq11(net, "generic", 2, "b") == loss_gradient(net, "generic", 2, "b")
False
>>> sp.expand(eq11(net, "generic", 2, "b")[0] - loss_gradient(net, "generic", 2, "b")[0])
0
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import sympy as sp
from sympy.matrices.repmatrix import RepMatrix

from rnncore.errors import InvalidInputError, ShapeError

from .canonical import Poly, Unsupported
from .gradients import (
    as_loss,
    check_theta,
    immediate_gradient,
    loss_gradient,
    loss_state_gradient,
    parameter_vector,
    state_gradient,
    state_jacobian,
)
from .network import RNN
from .poly_network import PolyMatrix

#: Readings of "∂x_k/∂θ" inside the sums: the immediate partial (correct) or the total one.
PARTIALS: tuple[str, ...] = ("immediate", "total")
#: Orders of the Jacobian product ∏_{j=k+1}^{t} J_j: largest index leftmost, or reversed.
ORDERS: tuple[str, ...] = ("descending", "ascending")


@dataclass(frozen=True)
class ClosedForm:
    """A named closed form: the equation as text, and the function building it."""

    name: str
    equation: str
    build: Callable

    def __call__(self, *args, **kwargs):
        return self.build(*args, **kwargs)

    def __str__(self) -> str:
        return f"{self.name}: {self.equation}"


def _root(net: RNN) -> RNN:
    if not isinstance(net, RNN):
        raise InvalidInputError(f"net={net!r} is not a derive.network.RNN")
    return net if net.base == 0 else net.with_base(0)


def _t(net: RNN, t, lo: int = 1) -> int:
    if isinstance(t, bool) or not isinstance(t, int) or not lo <= t <= net.T:
        raise InvalidInputError(f"t={t!r} is not allowed; use {lo} <= t <= T={net.T}")
    return t


def _choice(name: str, value, allowed: tuple[str, ...]) -> str:
    if value not in allowed:
        raise InvalidInputError(f"{name}={value!r} is not allowed; use one of {', '.join(allowed)}")
    return value


def _matrix(value, shape: tuple[int, int], what: str) -> sp.Matrix:
    if not isinstance(value, sp.MatrixBase):
        raise ShapeError(f"{what} returned {type(value).__name__}, not a SymPy matrix of shape {shape}")
    if value.shape != shape:
        raise ShapeError(f"{what} returned shape {value.shape}; expected {shape}")
    return value


def _lazy_mul(a, b):
    # matrix entries are SymPy objects, and SymPy's 0 and 1 are singletons
    if a is sp.S.Zero or b is sp.S.Zero:
        return sp.S.Zero
    if a is sp.S.One:
        return b
    if b is sp.S.One:
        return a
    return sp.Mul(a, b, evaluate=False)


def _lazy_sum(terms):
    terms = [e for e in terms if e is not sp.S.Zero]
    if not terms:
        return sp.Integer(0)
    return terms[0] if len(terms) == 1 else sp.Add(*terms, evaluate=False)


def lazy_matmul(*factors: sp.Matrix) -> sp.ImmutableMatrix:
    """The product of matrices, left to right, built with *unevaluated* ``Add``/``Mul``
    (exact zeros and ones dropped): the same value as ``A * B * …``, without SymPy's
    automatic simplification of large sums, which dominates the cost on composed networks.
    :func:`derive.prove.prove_equal` expands it canonically anyway.

    >>> a, b = sp.symbols("a b")
    >>> lazy_matmul(sp.Matrix([[a, 0]]), sp.Matrix([[1], [b]]))
    Matrix([[a]])
    >>> lazy_matmul(sp.Matrix([[a]]), sp.Matrix([[b]]), sp.Matrix([[a + b]]))[0] == a * b * (a + b)
    False
    >>> sp.expand(lazy_matmul(sp.Matrix([[a]]), sp.Matrix([[b]]), sp.Matrix([[a + b]]))[0] - a * b * (a + b))
    0
    """
    # on rows of entries (tolist): indexing a SymPy matrix entry by entry costs more than
    # the lazy product itself; the entries are the same SymPy objects
    first = factors[0]
    rows, cols = first.rows, first.cols
    out = first.tolist()
    for f in factors[1:]:
        if cols != f.rows:
            raise ShapeError(f"cannot multiply {rows}x{cols} by {f.rows}x{f.cols}")
        F = f.tolist()
        out = [[_lazy_sum(_lazy_mul(r[k], F[k][j]) for k in range(cols)) for j in range(f.cols)]
               for r in out]
        cols = f.cols
    return sp.ImmutableMatrix(rows, cols, [x for r in out for x in r])


def lazy_add(*terms: sp.Matrix) -> sp.ImmutableMatrix:
    """The sum of equal-shape matrices with unevaluated ``Add`` (see :func:`lazy_matmul`).

    >>> lazy_add(sp.Matrix([[1, 0]]), sp.Matrix([[0, 2]]))
    Matrix([[1, 2]])
    """
    shape = terms[0].shape
    for t in terms:
        if t.shape != shape:
            raise ShapeError(f"cannot add {t.shape[0]}x{t.shape[1]} to {shape[0]}x{shape[1]}")
    flats = [t.flat() if isinstance(t, RepMatrix) else
             [t[i, j] for i in range(shape[0]) for j in range(shape[1])] for t in terms]
    return sp.ImmutableMatrix(*shape, [_lazy_sum(f[c] for f in flats)
                                       for c in range(shape[0] * shape[1])])


class SymPyPieces:
    """The pieces the closed forms are built from, as SymPy matrices (the default): the
    direct derivatives of :mod:`derive.gradients` and the lazy products and sums. The
    closed forms take ``pieces=`` another object with the same methods (e.g.
    :class:`PolyPieces`) to be built in another algebra from the same formulas."""

    polynomial = False

    def loss_state_gradient(self, net, loss, t):
        return loss_state_gradient(net, loss, t)

    def state_gradient(self, net, t, theta):
        return state_gradient(net, t, theta)

    def immediate_gradient(self, net, k, theta):
        return immediate_gradient(net, k, theta)

    def state_jacobian(self, net, t, k):
        return state_jacobian(net, t, k)

    def loss_gradient(self, net, loss, t, theta):
        return loss_gradient(net, loss, t, theta)

    def matmul(self, *factors):
        return lazy_matmul(*factors)

    def add(self, *terms):
        return lazy_add(*terms)

    def zeros(self, rows: int, cols: int):
        return sp.ImmutableMatrix.zeros(rows, cols)

    def identity(self, n: int):
        return sp.ImmutableMatrix(sp.eye(n))


class PolyPieces:
    """The same pieces in canonical polynomials (:class:`derive.poly_network.PolyMatrix`),
    from the network's :class:`derive.forward_gradients.PolyForwardNetwork`: the closed
    forms built with ``pieces=PolyPieces(...)`` are the canonical images of the SymPy ones
    (products and sums of the same pieces), without a SymPy expression. A variant that
    needs SymPy (a hand-made ``step_jacobian`` or ``jacobian``) raises
    :class:`derive.canonical.Unsupported`.

    >>> from derive.canonical import Canonicalizer
    >>> from derive.forward_gradients import PolyForwardNetwork
    >>> canon = Canonicalizer()
    >>> net = RNN(1, 1, 2)
    >>> P = PolyPieces(PolyForwardNetwork((1, 1, "generic", "A"), canon))
    >>> (eq9(net, "generic", 2, "b", pieces=P)[0, 0] - canon.poly(eq9(net, "generic", 2, "b")[0, 0])).is_zero()
    True
    """

    polynomial = True

    def __init__(self, network) -> None:
        self.network = network

    def loss_state_gradient(self, net, loss, t):
        return self.network.loss_state_gradient(_loss_name(loss), t)

    def state_gradient(self, net, t, theta):
        return self.network.state_gradient(t, check_theta(theta))

    def immediate_gradient(self, net, k, theta):
        return self.network.immediate_gradient(k, check_theta(theta))

    def state_jacobian(self, net, t, k):
        return self.network.state_jacobian(t, k)

    def loss_gradient(self, net, loss, t, theta):
        return self.network.loss_gradient(_loss_name(loss), t, check_theta(theta))

    def total_gradient(self, net, loss, theta):
        """``∂E/∂vec(θ)`` of ``E = Σ_{t=1}^{T} E_t`` (the direct side of eq. 4)."""
        return self.network.total_gradient(_loss_name(loss), net.T, check_theta(theta))

    def matmul(self, *factors):
        out = factors[0]
        for f in factors[1:]:
            out = out @ f
        return out

    def add(self, *terms):
        out = terms[0]
        for term in terms[1:]:
            out = out + term
        return out

    def zeros(self, rows: int, cols: int):
        return PolyMatrix([[Poly.const(0)] * cols for _ in range(rows)])

    def identity(self, n: int):
        return PolyMatrix.identity(n)


def _loss_name(loss) -> str:
    return as_loss(loss).name


#: The default pieces (SymPy).
SYMPY_PIECES = SymPyPieces()


def _unsupported(what: str):
    raise Unsupported(f"{what} is not built in canonical polynomials")


def stacked_step(net: RNN, prev: sp.Matrix | None = None, t: int = 1) -> sp.Matrix:
    """Blog eq. 2, left side: ``W [σ(x_{t-1}); u_t; 1]`` with ``W = [W_rec W_in b]``.

    Form B analogue: ``σ(W [h_{t-1}; u_t; 1])``. ``prev`` defaults to free symbols for the
    state at t − 1 (so the identity is checked for every previous state at once).

    >>> stacked_step(RNN(1, 1, 1))
    Matrix([[b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1})]])
    """
    t = _t(net, t)
    if prev is None:
        prev = net.with_base(t - 1).state_symbols(t - 1)
    _matrix(prev, (net.n, 1), "prev")
    if net.form == "A":
        column = list(net.sigma(prev)) + list(net.u(t)) + [sp.S.One]
        return _stacked_product(net, column)
    column = list(prev) + list(net.u(t)) + [sp.S.One]
    return net.sigma(_stacked_product(net, column))


def _stacked_product(net: RNN, column: list) -> sp.Matrix:
    """``W column`` for ``W = [W_rec W_in b]``, each entry one ``Add`` of the products of
    the row with the column: SymPy's matrix product (a sparse product over the expression
    domain) also multiplies through ``1 ·`` and probes each product for an infinite or zero
    factor with assumption queries; the entries are the same sums.

    >>> net = RNN(1, 1, 1)
    >>> _stacked_product(net, [sp.Symbol("s"), sp.Symbol("q"), sp.S.One]) == net.W * sp.Matrix([sp.Symbol("s"), sp.Symbol("q"), 1])
    True
    """
    rows = net.W.tolist()
    return sp.Matrix(len(rows), 1, [sp.Add(*[a * c for a, c in zip(row, column)]) for row in rows])


def eq4(net: RNN, loss, theta: str, *, pieces=SYMPY_PIECES) -> sp.Matrix:
    """Blog eq. 4 / paper eq. 3, right side: ``Σ_{t=1}^{T} ∂E_t/∂θ`` (1 × |θ|, vec(θ)
    row-major, numerator layout).

    >>> eq4(RNN(1, 1, 2), "generic", "b").shape
    (1, 1)
    """
    net = _root(net)
    return pieces.add(*(pieces.loss_gradient(net, loss, t, theta) for t in range(1, net.T + 1)))


def eq5(net: RNN, loss, t: int, theta: str, *, pieces=SYMPY_PIECES) -> sp.Matrix:
    """Blog eq. 5, right side: ``∂E_t/∂x_t · ∂x_t/∂θ`` (1 × n times n × |θ|; total ∂x_t/∂θ;
    vec(θ) row-major, numerator layout).

    >>> eq5(RNN(1, 1, 1), "generic", 1, "b")
    Matrix([[dL_1(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
    """
    net = _root(net)
    return pieces.matmul(pieces.loss_state_gradient(net, loss, _t(net, t)),
                         pieces.state_gradient(net, t, theta))


def _partial(net: RNN, k: int, theta: str, partial: str, pieces=SYMPY_PIECES) -> sp.Matrix:
    if partial == "immediate":
        return pieces.immediate_gradient(net, k, theta)
    return pieces.state_gradient(net, k, theta)


def eq7(net: RNN, t: int, theta: str, *, partial: str = "immediate", pieces=SYMPY_PIECES) -> sp.Matrix:
    """Blog eq. 7, right side: ``∂⁺x_t/∂θ + ∂x_t/∂x_{t-1} · ∂x_{t-1}/∂θ`` (n × |θ|, vec(θ)
    row-major, numerator layout).

    The blog's ``∂x_t/∂g`` (with g(W) = W) is the immediate partial ``∂⁺``; ``partial="total"``
    puts the total ``∂x_t/∂θ`` there instead (a wrong reading: it counts the path through
    x_{t−1} twice).

    >>> eq7(RNN(1, 1, 1), 1, "b")
    Matrix([[1]])
    """
    net = _root(net)
    t = _t(net, t)
    _choice("partial", partial, PARTIALS)
    return pieces.add(_partial(net, t, theta, partial, pieces),
                      pieces.matmul(pieces.state_jacobian(net, t, t - 1),
                                    pieces.state_gradient(net, t - 1, theta)))


def jacobian_product(net: RNN, t: int, k: int, *, order: str = "descending",
                     step_jacobian: Callable | None = None, pieces=SYMPY_PIECES) -> sp.Matrix:
    """``∏_{j=k+1}^{t} J_j`` with ``J_j = ∂x_j/∂x_{j-1}`` (blog eqs. 9, 10): ``J_t J_{t-1} ⋯
    J_{k+1}`` (``order="descending"``, largest index leftmost) or reversed (``"ascending"``).

    ``step_jacobian(net, j)`` replaces the direct one-step Jacobian (e.g. the closed form
    ``W_rec diag(σ'(x_{j-1}))`` of eq. 12); it gets the network composed from step 0. The
    empty product (k = t) is the identity.

    >>> jacobian_product(RNN(1, 1, 2), 2, 2)
    Matrix([[1]])
    >>> jacobian_product(RNN(2, 1, 2), 2, 0, step_jacobian=lambda net, j: net.W_rec * net.D(j - 1)).shape
    (2, 2)
    """
    net = _root(net)
    t = _t(net, t, 0)
    if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k <= t:
        raise InvalidInputError(f"k={k!r} is not allowed; use 0 <= k <= t={t}")
    _choice("order", order, ORDERS)
    if step_jacobian is None:
        factors = [pieces.state_jacobian(net, j, j - 1) for j in range(k + 1, t + 1)]
    elif pieces.polynomial:
        _unsupported("a hand-made step_jacobian")
    else:
        factors = [_matrix(step_jacobian(net, j), (net.n, net.n), f"step_jacobian(net, {j})")
                   for j in range(k + 1, t + 1)]
    if order == "descending":
        factors.reverse()
    if not factors:
        return pieces.identity(net.n)
    return pieces.matmul(*factors)


def eq8(net: RNN, loss, t: int, theta: str, depth: int = 0, *, pieces=SYMPY_PIECES) -> sp.Matrix:
    """Blog eq. 8: (7) substituted into itself ``depth`` times (``depth = 0`` is 8.1)::

        ∂E_t/∂θ = Σ_{k=t-d}^{t} ∂E_t/∂x_t (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) ∂⁺x_k/∂θ
                  + ∂E_t/∂x_t (∏_{j=t-d}^{t} ∂x_j/∂x_{j-1}) ∂x_{t-d-1}/∂θ

    for 0 <= d <= t − 1 (the lines of 8.2 are d = 1, 2; at d = t − 1 the last term holds
    ∂x_0/∂θ = 0: the recursion "reaches x_1"). 1 × |θ|, vec(θ) row-major, numerator layout.

    >>> eq8(RNN(1, 1, 2), "generic", 2, "b", depth=2)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: depth=2 is not allowed; use 0 <= depth <= t - 1 = 1
    """
    net = _root(net)
    t = _t(net, t)
    if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= t - 1:
        raise InvalidInputError(f"depth={depth!r} is not allowed; use 0 <= depth <= t - 1 = {t - 1}")
    P = pieces
    a = P.loss_state_gradient(net, loss, t)
    terms = [P.matmul(a, jacobian_product(net, t, k, pieces=P), P.immediate_gradient(net, k, theta))
             for k in range(t - depth, t + 1)]
    rest = t - depth - 1
    terms.append(P.matmul(a, jacobian_product(net, t, rest, pieces=P), P.state_gradient(net, rest, theta)))
    return P.add(*terms)


def _sum_over_k(net: RNN, loss, t: int, theta: str, start: int, stop, partial: str,
                middle: Callable[[int], sp.Matrix], pieces=SYMPY_PIECES) -> sp.Matrix:
    stop = t if stop is None else stop
    for name, value in (("start", start), ("stop", stop)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= t:
            raise InvalidInputError(f"{name}={value!r} is not allowed; use 0 <= {name} <= t={t}")
    _choice("partial", partial, PARTIALS)
    P = pieces
    a = P.loss_state_gradient(net, loss, t)
    terms = [P.zeros(1, len(parameter_vector(net, check_theta(theta))))]
    terms += [P.matmul(a, middle(k), _partial(net, k, theta, partial, P)) for k in range(start, stop + 1)]
    return P.add(*terms)


def eq9(net: RNN, loss, t: int, theta: str, *, start: int = 1, stop: int | None = None,
        partial: str = "immediate", order: str = "descending",
        step_jacobian: Callable | None = None, pieces=SYMPY_PIECES) -> sp.Matrix:
    """Blog eq. 9, right side: ``Σ_{k=1}^{t} ∂E_t/∂x_t (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) ∂⁺x_k/∂θ``.

    Variants: ``start``/``stop`` (the sum's range, default 1..t), ``partial`` (``"total"``
    puts ∂x_k/∂θ for ∂⁺x_k/∂θ), ``order`` and ``step_jacobian`` (see
    :func:`jacobian_product`). 1 × |θ|, vec(θ) row-major, numerator layout.

    >>> eq9(RNN(1, 1, 1), "generic", 1, "b", stop=0)
    Matrix([[0]])
    """
    net = _root(net)
    t = _t(net, t)
    return _sum_over_k(net, loss, t, theta, start, stop, partial,
                       lambda k: jacobian_product(net, t, k, order=order, step_jacobian=step_jacobian,
                                                  pieces=pieces), pieces)


def eq11(net: RNN, loss, t: int, theta: str, *, start: int = 1, stop: int | None = None,
         partial: str = "immediate", jacobian: Callable | None = None,
         pieces=SYMPY_PIECES) -> sp.Matrix:
    """Blog eq. 11 (= paper eq. 4), right side: ``Σ_{k=1}^{t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ``.

    ``∂x_t/∂x_k`` is the direct multi-step Jacobian unless ``jacobian(net, t, k)`` gives
    another (it gets the network composed from step 0, e.g. eq. 13's product). Variants
    ``start``, ``stop``, ``partial`` as in :func:`eq9`. 1 × |θ|, vec(θ) row-major, numerator
    layout.

    >>> eq11(RNN(1, 1, 1), "squared", 1, "b")
    Matrix([[b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}) - y_{1,1}]])
    """
    net = _root(net)
    t = _t(net, t)
    if jacobian is None:
        middle = lambda k: pieces.state_jacobian(net, t, k)  # noqa: E731
    elif pieces.polynomial:
        _unsupported("a hand-made jacobian")
    else:
        middle = lambda k: _matrix(jacobian(net, t, k), (net.n, net.n), f"jacobian(net, {t}, {k})")  # noqa: E731
    return _sum_over_k(net, loss, t, theta, start, stop, partial, middle, pieces)


def paper_eq4(net: RNN, loss, t: int, theta: str, **variants) -> sp.Matrix:
    """Paper eq. 4: ``∂E_t/∂θ = Σ_{1≤k≤t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ`` (the same sum as
    blog eq. 11; keyword variants as in :func:`eq11`). 1 × |θ|, vec(θ) row-major, numerator
    layout.

    >>> paper_eq4(RNN(1, 1, 1), "squared", 1, "b") == eq11(RNN(1, 1, 1), "squared", 1, "b")
    True
    """
    return eq11(net, loss, t, theta, **variants)


def immediate_closed(net: RNN, k: int, theta: str) -> sp.Matrix:
    """Closed form of ``∂⁺x_k/∂vec(θ)`` (n × |θ|, vec row-major), 1 <= k <= T.

    Form A: ``∂⁺x_k/∂vec(W_rec) = I_n ⊗ σ(x_{k-1})^T``, ``∂⁺x_k/∂vec(W_in) = I_n ⊗ u_k^T``,
    ``∂⁺x_k/∂b = I_n``: row i holds σ(x_{k-1})^T (resp. u_k^T) in the columns of row i of θ
    and zeros elsewhere (the paper's remark after eq. 4). Form B: the same with h_{k-1} for
    σ(x_{k-1}), multiplied on the left by ``diag(σ'(a_k))``.

    >>> immediate_closed(RNN(2, 1, 1), 1, "b")
    Matrix([
    [1, 0],
    [0, 1]])
    """
    net = _root(net)
    k = _t(net, k)
    check_theta(theta)
    prev = net.state(k - 1)
    if theta == "W_rec":
        row = (net.sigma(prev) if net.form == "A" else prev).T
    elif theta == "W_in":
        row = net.u(k).T
    else:
        row = sp.Matrix([[1]])
    closed = sp.kronecker_product(sp.eye(net.n), row)
    return closed if net.form == "A" else net.D(k) * closed


def one_step_closed(net: RNN, j: int) -> sp.Matrix:
    """Eq. 12 and its form-B analogue, as a ``step_jacobian`` for :func:`eq9`: ``W_rec
    diag(σ'(x_{j-1}))`` (form A) or ``diag(σ'(a_j)) W_rec`` (form B), on the network composed
    from step 0.

    >>> one_step_closed(RNN(1, 1, 1), 1)
    Matrix([[w_{1,1}*dsigma(x_{0,1})]])
    """
    net = _root(net)
    j = _t(net, j)
    return net.W_rec * net.D(j - 1) if net.form == "A" else net.D(j) * net.W_rec


def bptt(net: RNN, loss, t: int, theta: str) -> sp.Matrix:
    """Back-propagation through time, fully explicit (no derivative left)::

        ∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · (∏_{j=k+1}^{t} J_j) · ∂⁺x_k/∂θ

    with ``J_j`` from eq. 12 (:func:`one_step_closed`), ``∂⁺x_k/∂θ`` from
    :func:`immediate_closed` and ``∂E_t/∂x_t`` from the loss. 1 × |θ|, vec(θ) row-major,
    numerator layout.

    >>> bptt(RNN(1, 1, 1), "squared", 1, "b")
    Matrix([[b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}) - y_{1,1}]])
    """
    net = _root(net)
    t = _t(net, t)
    a = loss_state_gradient(net, loss, t)
    terms = [lazy_matmul(a, jacobian_product(net, t, k, step_jacobian=one_step_closed),
                         immediate_closed(net, k, theta)) for k in range(1, t + 1)]
    return lazy_add(*terms)


def row_block(matrix: sp.Matrix, net: RNN, i: int, theta: str = "W_rec") -> sp.Matrix:
    """Row ``i`` (0-based) of an n × |θ| derivative, reshaped to θ's shape (row-major): the
    matrix ``(∂x_{k,i}/∂θ_{p,q})_{p,q}``. The paper's remark "any row i of ∂⁺x_k/∂W_rec is
    just σ(x_{k-1})" reads: this block is ``e_i σ(x_{k-1})^T``.

    >>> net = RNN(2, 1, 1)
    >>> from derive.gradients import immediate_gradient
    >>> row_block(immediate_gradient(net, 1, "W_rec"), net, 1)
    Matrix([
    [             0,              0],
    [sigma(x_{0,1}), sigma(x_{0,2})]])
    """
    shape = net.parameters[check_theta(theta)].shape
    _matrix(matrix, (net.n, shape[0] * shape[1]), "the derivative")
    if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < net.n:
        raise InvalidInputError(f"row i={i!r} is not allowed; use 0 <= i < n={net.n}")
    return sp.Matrix(*shape, list(matrix.row(i)))


CLOSED_FORMS: dict[str, ClosedForm] = {
    "blog.eq2": ClosedForm("blog eq. 2", "W [σ(x_{t-1}); u_t; 1] = W_rec σ(x_{t-1}) + W_in u_t + b, "
                           "W = [W_rec W_in b] (form B: h_t = σ(W [h_{t-1}; u_t; 1]))", stacked_step),
    "blog.eq4": ClosedForm("blog eq. 4", "∂E/∂θ = Σ_t ∂E_t/∂θ", eq4),
    "blog.eq5": ClosedForm("blog eq. 5", "∂E_t/∂θ = ∂E_t/∂x_t · ∂x_t/∂θ", eq5),
    "blog.eq7": ClosedForm("blog eq. 7", "∂x_t/∂θ = ∂⁺x_t/∂θ + ∂x_t/∂x_{t-1} · ∂x_{t-1}/∂θ", eq7),
    "blog.eq8": ClosedForm("blog eq. 8", "∂E_t/∂θ = Σ_{k=t-d}^{t} ∂E_t/∂x_t (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) "
                           "∂⁺x_k/∂θ + ∂E_t/∂x_t (∏_{j=t-d}^{t} ∂x_j/∂x_{j-1}) ∂x_{t-d-1}/∂θ", eq8),
    "blog.eq9": ClosedForm("blog eq. 9", "∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · (∏_{j=k+1}^{t} ∂x_j/∂x_{j-1}) "
                           "· ∂⁺x_k/∂θ", eq9),
    "blog.eq11": ClosedForm("blog eq. 11", "∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ", eq11),
    "paper.eq4": ClosedForm("paper eq. 4", "∂E_t/∂θ = Σ_{1≤k≤t} ∂E_t/∂x_t · ∂x_t/∂x_k · ∂⁺x_k/∂θ",
                            paper_eq4),
    "bptt": ClosedForm("BPTT (eqs. 11 + 12/13 + closed ∂⁺)", "∂E_t/∂θ = Σ_{k=1}^{t} ∂E_t/∂x_t "
                       "(∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))) (I_n ⊗ σ(x_{k-1})^T) for θ = W_rec "
                       "(form B: diag(σ'(a_j)) W_rec, and diag(σ'(a_k)) (I_n ⊗ h_{k-1}^T))", bptt),
    "paper.eq4.row": ClosedForm("paper eq. 4 (text)", "∂⁺x_k/∂W_rec = I_n ⊗ σ(x_{k-1})^T: row i is "
                                "σ(x_{k-1})^T in the columns of row i of W_rec", immediate_closed),
}




def unrolling_identity(t: int, depth: int | None = None, *, order: str = "descending",
                       start: int = 1, stop: int | None = None) -> tuple[sp.Expr, sp.Expr]:
    """The algebra behind eqs. 8 and 9, in the free noncommutative algebra (so for every
    size n): ``(closed, recursive)``, both expanded, where ``recursive`` is G_t of the
    recursion ``G_s = P_s + J_s G_{s-1}``, ``G_0 = 0`` (eq. 7 with P = ∂⁺x/∂θ, J the
    one-step Jacobians), and ``closed`` is

    - ``depth=None``: eq. 9's ``Σ_{k=start}^{stop} J_t ⋯ J_{k+1} P_k`` (``stop`` defaults to t;
      ``order="ascending"`` multiplies ``J_{k+1} ⋯ J_t`` instead);
    - ``depth=d``: eq. 8's ``Σ_{k=t-d}^{t} J_t ⋯ J_{k+1} P_k + J_t ⋯ J_{t-d} G_{t-d-1}``.

    ``P_k`` for k = 0 is 0 (x_0 does not depend on θ), so ``start=0`` changes nothing.

    For every t (the induction the claims' "all T" scopes rest on; this function checks it
    by expansion for each given t): with ``S_t = Σ_{k=1}^{t} J_t ⋯ J_{k+1} P_k``, the k = t
    term is ``P_t`` (empty product) and every other term starts with ``J_t``, so
    ``S_t = P_t + J_t Σ_{k=1}^{t-1} J_{t-1} ⋯ J_{k+1} P_k = P_t + J_t S_{t-1}``, and
    ``S_1 = P_1 = G_1``; hence ``S_t = G_t`` for all t. With ``order="ascending"`` the factor
    ``J_t`` stands on the right and cannot be pulled out, which is why that order fails.

    >>> closed, recursive = unrolling_identity(3)
    >>> sp.expand(closed - recursive)
    0
    >>> closed, recursive = unrolling_identity(3, order="ascending")
    >>> sp.expand(closed - recursive) == 0
    False
    """
    if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= 64:
        raise InvalidInputError(f"t={t!r} is not allowed; use 1 <= t <= 64")
    _choice("order", order, ORDERS)
    J = [sp.Symbol(f"J_{j}", commutative=False) for j in range(t + 1)]
    P = [sp.Integer(0)] + [sp.Symbol(f"P_{k}", commutative=False) for k in range(1, t + 1)]
    G = [sp.Integer(0)]
    for s in range(1, t + 1):
        G.append(sp.expand(P[s] + J[s] * G[s - 1]))

    def product(k: int, upto: int = t):
        js = list(range(k + 1, upto + 1))
        if order == "descending":
            js.reverse()
        out = sp.Integer(1)
        for j in js:
            out = out * J[j]
        return out

    if depth is None:
        stop = t if stop is None else stop
        closed = sp.Add(*(product(k) * P[k] for k in range(start, stop + 1)))
    else:
        if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= t - 1:
            raise InvalidInputError(f"depth={depth!r} is not allowed; use 0 <= depth <= t - 1 = {t - 1}")
        closed = sp.Add(*(product(k) * P[k] for k in range(t - depth, t + 1)))
        closed += product(t - depth - 1) * G[t - depth - 1]
    return sp.expand(closed), G[t]


def _word_sum(*parts: dict) -> dict:
    out: dict = {}
    for part in parts:
        for word, c in part.items():
            out[word] = out.get(word, 0) + c
    return {w: c for w, c in out.items() if c != 0}


def unrolling_words(t: int, depth: int | None = None, *, order: str = "descending",
                    start: int = 1, stop: int | None = None) -> tuple[dict, dict]:
    """:func:`unrolling_identity` in the free noncommutative algebra's own basis: each side
    as ``{word: integer coefficient}``, a word the tuple of its factors' names in order
    (``("J_2", "P_1")`` for J_2 P_1), zero coefficients dropped — so the two sides are equal
    exactly when the dicts are (the words are a basis of the free algebra); no SymPy
    expansion. Same arguments and checks as :func:`unrolling_identity` (the tests compare the
    two on every t, depth and order).

    >>> closed, recursive = unrolling_words(2)
    >>> closed == recursive, sorted(recursive)
    (True, [('J_2', 'P_1'), ('P_2',)])
    >>> a, b = unrolling_words(3, order="ascending")
    >>> a == b
    False
    """
    if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= 64:
        raise InvalidInputError(f"t={t!r} is not allowed; use 1 <= t <= 64")
    _choice("order", order, ORDERS)
    G: list[dict] = [{}]
    for s in range(1, t + 1):
        G.append(_word_sum({(f"P_{s}",): 1}, {(f"J_{s}",) + w: c for w, c in G[s - 1].items()}))

    def product(k: int) -> tuple:
        js = [f"J_{j}" for j in range(k + 1, t + 1)]
        return tuple(reversed(js)) if order == "descending" else tuple(js)

    def term(k: int) -> dict:
        return {} if k == 0 else {product(k) + (f"P_{k}",): 1}   # P_0 = 0

    if depth is None:
        stop = t if stop is None else stop
        closed = _word_sum(*(term(k) for k in range(start, stop + 1)))
    else:
        if isinstance(depth, bool) or not isinstance(depth, int) or not 0 <= depth <= t - 1:
            raise InvalidInputError(f"depth={depth!r} is not allowed; use 0 <= depth <= t - 1 = {t - 1}")
        head = product(t - depth - 1)
        closed = _word_sum(*(term(k) for k in range(t - depth, t + 1)),
                           {head + w: c for w, c in G[t - depth - 1].items()})
    return closed, G[t]


def words_of(expr) -> dict:
    """An expanded expression of the free noncommutative algebra (sums of integer multiples
    of products of noncommutative symbols) as ``{word: coefficient}``, for comparing
    :func:`unrolling_identity` with :func:`unrolling_words`.

    >>> J, P = sp.symbols("J_2 P_1", commutative=False)
    >>> words_of(sp.expand(2 * J * P + P)) == {("J_2", "P_1"): 2, ("P_1",): 1}
    True
    >>> words_of("J_2*P_1")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: words_of takes a SymPy expression, not str 'J_2*P_1'
    """
    if not isinstance(expr, sp.Expr):
        # never SymPy's expand of text: that would parse (evaluate) it
        raise InvalidInputError(f"words_of takes a SymPy expression, not {type(expr).__name__} "
                                f"{expr!r:.60}")
    out: dict = {}
    for term in sp.Add.make_args(sp.expand(expr)):
        if term == 0:
            continue
        comm, nc = term.args_cnc()
        word: list[str] = []
        for f in nc:
            base, e = f.as_base_exp()
            word.extend([str(base)] * int(e))
        key = tuple(word)
        out[key] = out.get(key, 0) + int(sp.Mul(*comm))
    return {w: c for w, c in out.items() if c != 0}


__all__ = [
    "SymPyPieces",
    "PolyPieces",
    "SYMPY_PIECES",
    "PARTIALS",
    "ORDERS",
    "ClosedForm",
    "CLOSED_FORMS",
    "stacked_step",
    "eq4",
    "eq5",
    "eq7",
    "eq8",
    "eq9",
    "eq11",
    "paper_eq4",
    "jacobian_product",
    "lazy_matmul",
    "lazy_add",
    "immediate_closed",
    "row_block",
    "unrolling_identity",
    "unrolling_words",
    "words_of",
    "one_step_closed",
    "bptt",
]
