"""Form-A networks in ball arithmetic: states, ``D_j``, Jacobian products, gradients.

``x_t = W σ(x_{t-1}) + d_t`` (``d_t = W_in u_t + b``, exact rationals or arb balls) is the
model's form-A cell (:mod:`rnnmodel.cells`) in the ball arithmetic (:mod:`rnnmodel.balls`)
with ``W_in = I``, ``b = 0`` and input ``d_t``. ``J_j = ∂x_j/∂x_{j-1} = W diag(σ'(x_{j-1}))``
(numerator layout, blog eq. 12) and ``∂x_t/∂x_k = J_t ⋯ J_{k+1}``. The gradient ``dE_t/dθ``
for one entry ``θ = W[p][q]`` is the cell run on dual numbers (:mod:`rnnmodel.dual`) with
tangents seeded on the entries of W, all in python-flint balls at the caller's precision.

>>> from fractions import Fraction as F
>>> with ctx.workprec(120):
...     net = Network(((F(1, 2),),), "tanh")
...     xs, ds = net.run([F(0)], [[F(0)]] * 3)
...     float(jacobian_product(net.W, ds, 3, 0)[0, 0].mid())
0.125
"""
from __future__ import annotations

from typing import Any, Sequence

from flint import arb, arb_mat, ctx

from rnnmodel.activations import activation
from rnnmodel.balls import BALLS, to_arb
from rnnmodel.cells import cell
from rnnmodel.dual import ENTRY_SEED, Dual, DualArithmetic

from .matrices import ExactMatrix, as_exact

__all__ = ["Network", "Gradients", "jacobian_product", "to_arb", "ctx"]

#: The activations a ball network accepts (a generic σ has no real value).
NETWORK_ACTIVATIONS = ("tanh", "sigmoid", "identity")
_CELL = cell("A")


def _entries(v: arb_mat) -> list[arb]:
    return [v[i, 0] for i in range(v.nrows())]


class Network:
    """A form-A network with exact recurrent matrix ``W`` and activation name.

    :meth:`run` returns the states ``x_0..x_T`` and the derivative vectors
    ``σ'(x_0)..σ'(x_{T})`` (balls); :meth:`gradient` the forward-mode ``dx_T/dθ``.

    >>> Network([[1]], "relu")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown activation 'relu'; use one of tanh, sigmoid, identity
    """

    def __init__(self, W: Any, activation_name: str) -> None:
        self.Wq: ExactMatrix = as_exact(W, square=True)
        self.n = len(self.Wq)
        self.act = activation(activation_name, NETWORK_ACTIVATIONS)
        self.activation = self.act.name
        self.W = arb_mat([[to_arb(x) for x in r] for r in self.Wq])

    def _params(self, W) -> dict:
        return {"W_rec": W, "W_in": BALLS.identity(self.n), "b": arb_mat(self.n, 1)}

    def run(self, x0: Sequence[Any], drives: Sequence[Sequence[Any]]):
        """States and ``σ'`` vectors for ``len(drives)`` steps.

        >>> xs, ds = Network([[0]], "tanh").run([0], [[1], [2]])
        >>> [float(x[0].mid()) for x in xs], float(ds[0][0].mid())
        ([0.0, 1.0, 2.0], 1.0)
        """
        x = BALLS.vector(x0)
        xs, ds = [_entries(x)], []
        params = self._params(self.W)
        for d in drives:
            ds.append(_entries(BALLS.dsigma(self.act, x)))
            x = _CELL.step(BALLS, self.act, params, (x,), BALLS.vector(d)).state
            xs.append(_entries(x))
        ds.append(_entries(BALLS.dsigma(self.act, x)))
        return xs, ds

    def gradient(self, x0, drives, p: int, q: int):
        """``dx_t/dθ`` for ``θ = W[p][q]``, t = 0..T (list of column arb_mats), and the
        immediate partials ``c_t = ∂⁺x_t/∂θ`` (t = 1..T; index 0 is zero): the cell on dual
        numbers with tangents seeded on the entries of W (x_0 does not depend on W).

        >>> grads, cs, _, _ = Network([[0]], "identity").gradient([1], [[0]], 0, 0)
        >>> float(grads[1][0, 0].mid()), float(cs[1][0, 0].mid())
        (1.0, 1.0)
        """
        return self.all_gradients(x0, drives).entry(p, q)

    def all_gradients(self, x0, drives) -> "Gradients":
        """One forward pass for every entry ``θ = W[p][q]`` at once: the dual numbers carry
        the tangents of all n² entries (an n × n² matrix per step), so :meth:`Gradients.entry`
        is what :meth:`gradient` returns, without a pass per entry.

        >>> g = Network([[0, 1], [1, 0]], "tanh").all_gradients([1, 0], [[0, 0]])
        >>> g.entry(0, 1)[0][1] == Network([[0, 1], [1, 0]], "tanh").gradient([1, 0], [[0, 0]], 0, 1)[0][1]
        True
        """
        xs, ds = self.run(x0, drives)
        D = DualArithmetic(BALLS)
        params = self._params(Dual(self.W, ENTRY_SEED))
        cur = Dual(BALLS.vector(x0), None)
        tans, sigmas = [None], [None]
        for d in drives:
            sigmas.append(BALLS.sigma(self.act, cur.val))
            cur = _CELL.step(D, self.act, params, (cur,), BALLS.vector(d)).state
            tans.append(cur.tan)
        return Gradients(self.n, tans, sigmas, xs, ds)


class Gradients:
    """The forward pass of :meth:`Network.all_gradients`: per step the tangent matrix of
    ``x_t`` in the n² entry directions and ``σ(x_{t-1})``; :meth:`entry` cuts out one."""

    def __init__(self, n: int, tans: list, sigmas: list, xs: list, ds: list) -> None:
        self.n, self.tans, self.sigmas, self.xs, self.ds = n, tans, sigmas, xs, ds

    def entry(self, p: int, q: int):
        """``(grads, cs, xs, ds)`` of :meth:`Network.gradient` for ``θ = W[p][q]``."""
        n, col = self.n, p * self.n + q
        zero = arb_mat([[0] for _ in range(n)])
        grads, cs = [zero], [zero]
        for tan, s in zip(self.tans[1:], self.sigmas[1:]):
            cs.append(arb_mat([[s[q, 0] if i == p else 0] for i in range(n)]))
            grads.append(arb_mat([[tan[i, col]] for i in range(n)]))
        return grads, cs, self.xs, self.ds


def jacobian_product(W: arb_mat, ds: Sequence[Sequence[arb]], t: int, k: int) -> arb_mat:
    """``∂x_t/∂x_k = J_t ⋯ J_{k+1}`` with ``J_j = W diag(ds[j-1])`` (largest index left).

    >>> W = arb_mat([[0, 1], [0, 0]])
    >>> jacobian_product(W, [[arb(1), arb(2)], [arb(3), arb(4)]], 1, 0).entries() == [0, 2, 0, 0]
    True
    """
    P = BALLS.identity(W.nrows())
    for j in range(k + 1, t + 1):
        P = W * BALLS.rowscale(BALLS.vector(ds[j - 1]), P)
    return P
