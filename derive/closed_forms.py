"""Closed forms of ∂x_t/∂x_k from the blog, as candidates for :func:`derive.jacobian.check_jacobian`.

Each is a callable ``candidate(net, t, k) -> matrix`` (the shared candidate protocol):
``net`` is the network with base k (``rnn.with_base(k)``, or a randomized evaluation of
it), and the candidate uses only ``net.W_rec``, ``net.D(j)``, ``net.identity()`` and
matrix products. Products put the factor of **largest index leftmost**.

Form A (``x_t = W_rec σ(x_{t-1}) + W_in u_t + b``), ``D(j) = diag(σ'(x_j))``:

* eq. 12, one step: ``∂x_j/∂x_{j-1} = W_rec diag(σ'(x_{j-1}))``;
* eq. 13: ``∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))``;
* eq. 10: ``∂x_t/∂x_k = J_t J_{t-1} ⋯ J_{k+1}``, ``J_j = ∂x_j/∂x_{j-1}`` the true one-step
  Jacobian (differentiated, not eq. 12's formula; exact backend only).

Form B (``h_t = σ(a_t)``, ``a_t = W_rec h_{t-1} + W_in u_t + b``), ``D(j) = diag(σ'(a_j))``:

* one step: ``∂h_j/∂h_{j-1} = diag(σ'(a_j)) W_rec``;
* product: ``∂h_t/∂h_k = ∏_{j=k+1}^{t} diag(σ'(a_j)) W_rec``.

>>> from derive.network import RNN
>>> from derive.prove import prove_equal
>>> net = RNN(2, 1, 3).with_base(0)
>>> prove_equal(eq13(net, 2, 0), net.W_rec * net.D(1) * (net.W_rec * net.D(0))).verdict.value
'proved'
>>> eq13(net, 0, 0) == net.identity()
True
"""
from __future__ import annotations

import weakref
from typing import Callable

import sympy as sp

from rnncore.errors import InvalidInputError, ShapeError

from .poly_network import PolyNetwork


def _steps(net, t, k) -> None:
    for name, v in (("t", t), ("k", k)):
        if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= net.T:
            raise InvalidInputError(f"{name}={v!r} is not a step; use 0 <= {name} <= T={net.T}")
    if k > t:
        raise InvalidInputError(f"k={k} > t={t}: a Jacobian ∂x_t/∂x_k needs k <= t")


def matmul(A, B):
    """The matrix product ``A B``. For explicit SymPy matrices each entry is built as one
    ``Add`` of the nonzero products (SymPy's own ``*`` also probes ``0 * A_ik`` for
    infinities, which costs assumption queries on large entries); other matrix types
    (a randomized backend's) use their own ``*``.

    >>> A = sp.Matrix([[1, 2], [3, 4]])
    >>> matmul(A, A) == A * A
    True
    """
    if isinstance(A, sp.MatrixBase) and isinstance(B, sp.MatrixBase):
        if A.cols != B.rows:
            raise ShapeError(f"cannot multiply a {A.rows}x{A.cols} by a {B.rows}x{B.cols} matrix")
        return sp.Matrix(A.rows, B.cols, lambda i, j: sp.Add(
            *[A[i, l] * B[l, j] for l in range(A.cols) if A[i, l] != 0 and B[l, j] != 0]))
    return A * B


def ordered_product(net, t: int, k: int, factor: Callable) -> object:
    """``factor(net, t) · factor(net, t-1) ⋯ factor(net, k+1)`` (largest index leftmost);
    the identity when t == k.

    >>> from derive.network import RNN
    >>> net = RNN(1, 1, 3).with_base(0)
    >>> ordered_product(net, 3, 1, lambda nt, j: nt.W_rec * j)
    Matrix([[6*w_{1,1}**2]])
    """
    _steps(net, t, k)
    if isinstance(net, PolyNetwork):  # canonical polynomials: each product from the last
        return net.product(factor, t, k, factor)
    if t == k:
        return net.identity()
    out = factor(net, t)
    for j in range(t - 1, k, -1):
        out = matmul(out, factor(net, j))
    return out


def eq12_factor(net, j: int):
    """Blog eq. 12's one-step factor ``W_rec diag(σ'(x_{j-1}))``.

    >>> from derive.network import RNN
    >>> eq12_factor(RNN(2, T=2), 1)[0, 1]
    w_{1,2}*dsigma(x_{0,2})
    """
    return matmul(net.W_rec, net.D(j - 1))


def formB_factor(net, j: int):
    """Form B's one-step factor ``diag(σ'(a_j)) W_rec``.

    >>> from derive.network import RNN
    >>> formB_factor(RNN(1, T=1, form="B"), 1)[0, 0]
    w_{1,1}*dsigma(b_{1} + h_{0,1}*w_{1,1} + u_{1,1}*v_{1,1})
    """
    return matmul(net.D(j), net.W_rec)


def _one_step(net, t, k) -> None:
    _steps(net, t, k)
    if t != k + 1:
        raise InvalidInputError(
            f"(t, k) = ({t}, {k}): a one-step Jacobian needs t = k + 1; check it with "
            f"pairs=one_step_pairs(T)"
        )


def eq12(net, t: int, k: int):
    """Blog eq. 12: ``∂x_t/∂x_{t-1} = W_rec diag(σ'(x_{t-1}))`` (needs ``t = k + 1``).

    >>> from derive.network import RNN
    >>> eq12(RNN(1, 1, 2).with_base(0), 1, 0)
    Matrix([[w_{1,1}*dsigma(x_{0,1})]])
    """
    _one_step(net, t, k)
    return eq12_factor(net, t)


def eq13(net, t: int, k: int):
    """Blog eq. 13: ``∂x_t/∂x_k = ∏_{j=k+1}^{t} W_rec diag(σ'(x_{j-1}))``, largest j leftmost.

    >>> from derive.network import RNN
    >>> eq13(RNN(1, 1, 2).with_base(0), 2, 0)
    Matrix([[w_{1,1}**2*dsigma(x_{0,1})*dsigma(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
    """
    return ordered_product(net, t, k, eq12_factor)


def one_step_jacobian(net, j: int):
    """The true ``J_j = ∂x_j/∂x_{j-1}``: the step function differentiated with respect to
    fresh symbols for ``x_{j-1}``, then evaluated at the network's state ``x_{j-1}``
    (exact backend: needs ``net.step`` and ``net.state_symbols``).

    >>> from derive.network import RNN
    >>> net = RNN(1, 1, 2).with_base(0)
    >>> one_step_jacobian(net, 1)
    Matrix([[w_{1,1}*dsigma(x_{0,1})]])
    """
    s = net.state_symbols(j - 1)
    J = net.step(s, j).jacobian(s)
    prev = net.state(j - 1)
    return J.xreplace(dict(zip(s, prev)))


#: Differentiated one-step Jacobians per network object (eq. 10 reuses them across pairs).
_ONE_STEP: "weakref.WeakKeyDictionary" = weakref.WeakKeyDictionary()


def eq10(net, t: int, k: int):
    """Blog eq. 10: ``∂x_t/∂x_k = J_t J_{t-1} ⋯ J_{k+1}`` with ``J_j = ∂x_j/∂x_{j-1}``
    (:func:`one_step_jacobian`), largest index leftmost. Exact backend only (on a
    :class:`derive.poly_network.PolyNetwork` each J_j is the step differentiated forward).

    >>> from derive.network import RNN
    >>> net = RNN(2, 1, 3).with_base(0)
    >>> from derive.prove import prove_equal
    >>> prove_equal(eq10(net, 2, 0), one_step_jacobian(net, 2) * one_step_jacobian(net, 1)).verdict.value
    'proved'
    """
    if isinstance(net, PolyNetwork):
        return ordered_product(net, t, k, _differentiated_step)
    try:
        memo = _ONE_STEP.setdefault(net, {})
    except TypeError:  # a network object that cannot be weakly referenced
        return ordered_product(net, t, k, one_step_jacobian)

    def factor(nt, j):
        if j not in memo:
            memo[j] = one_step_jacobian(nt, j)
        return memo[j]

    return ordered_product(net, t, k, factor)


def _differentiated_step(net, j: int):
    """``J_j`` on a polynomial network: the step differentiated forward at its state."""
    return net.one_step_jacobian(j)


def formB_one_step(net, t: int, k: int):
    """Form B one step: ``∂h_t/∂h_{t-1} = diag(σ'(a_t)) W_rec`` (needs ``t = k + 1``).

    >>> from derive.network import RNN
    >>> formB_one_step(RNN(1, 1, 2, form="B").with_base(0), 1, 0)
    Matrix([[w_{1,1}*dsigma(b_{1} + h_{0,1}*w_{1,1} + u_{1,1}*v_{1,1})]])
    """
    _one_step(net, t, k)
    return formB_factor(net, t)


def formB_product(net, t: int, k: int):
    """Form B product: ``∂h_t/∂h_k = ∏_{j=k+1}^{t} diag(σ'(a_j)) W_rec``, largest j leftmost.

    >>> from derive.network import RNN
    >>> net = RNN(2, 1, 2, form="B").with_base(0)
    >>> from derive.prove import prove_equal
    >>> prove_equal(formB_product(net, 2, 0), net.D(2) * net.W_rec * net.D(1) * net.W_rec).verdict.value
    'proved'
    """
    return ordered_product(net, t, k, formB_factor)


def one_step_pairs(T: int) -> list[tuple[int, int]]:
    """The pairs ``(t, t-1)`` for t = 1..T (where one-step candidates apply).

    >>> one_step_pairs(3)
    [(1, 0), (2, 1), (3, 2)]
    """
    return [(t, t - 1) for t in range(1, T + 1)]


def all_pairs(T: int) -> list[tuple[int, int]]:
    """Every ``(t, k)`` with ``0 <= k < t <= T``, in checking order (t ascending, then k
    descending: the shortest products first).

    >>> all_pairs(2)
    [(1, 0), (2, 1), (2, 0)]
    """
    return [(t, k) for t in range(1, T + 1) for k in range(t - 1, -1, -1)]


# Every closed form runs on a PolyNetwork too (it uses only W_rec, D, identity, products
# and, for eq. 10, the differentiated step): the exact check may evaluate it there.
for _candidate in (eq12, eq13, eq10, formB_one_step, formB_product):
    _candidate.polynomial = True  # type: ignore[attr-defined]

#: The closed forms by name, with the form each is for.
CLOSED_FORMS = {
    "eq12": (eq12, "A"),
    "eq13": (eq13, "A"),
    "eq10": (eq10, "A"),
    "formB.one_step": (formB_one_step, "B"),
    "formB.product": (formB_product, "B"),
}

__all__ = [
    "eq12", "eq13", "eq10", "formB_one_step", "formB_product", "one_step_jacobian",
    "ordered_product", "eq12_factor", "formB_factor", "one_step_pairs", "all_pairs",
    "CLOSED_FORMS",
]
