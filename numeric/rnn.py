"""Form-A networks in ball arithmetic: states, ``D_j``, Jacobian products, gradients.

``x_t = W σ(x_{t-1}) + d_t`` (``d_t = W_in u_t + b``, exact rationals or arb balls),
``J_j = ∂x_j/∂x_{j-1} = W diag(σ'(x_{j-1}))`` (numerator layout, blog eq. 12) and
``∂x_t/∂x_k = J_t ⋯ J_{k+1}``. The gradient ``dE_t/dθ`` for one entry ``θ = W[p][q]`` is
computed by forward-mode differentiation (the chain rule applied step by step:
``dx_t/dθ = ∂⁺x_t/∂θ + J_t dx_{t-1}/dθ`` with ``∂⁺x_t/∂θ = e_p σ(x_{t-1})_q``), all in
python-flint balls at the caller's precision.

>>> from fractions import Fraction as F
>>> with ctx.workprec(120):
...     net = Network(((F(1, 2),),), "tanh")
...     xs, ds = net.run([F(0)], [[F(0)]] * 3)
...     float(jacobian_product(net.W, ds, 3, 0)[0, 0].mid())
0.125
"""
from __future__ import annotations

from fractions import Fraction
from typing import Any, Sequence

from flint import arb, arb_mat, ctx, fmpq

from rnncore.errors import InvalidInputError

from .matrices import ExactMatrix, as_exact

__all__ = ["Network", "jacobian_product", "to_arb", "ctx"]


def to_arb(q: Any) -> arb:
    """A rational (or an arb ball) as an arb ball at the current precision.

    >>> to_arb(Fraction(1, 4)).mid() == arb(0.25)
    True
    """
    if isinstance(q, arb):
        return q
    q = Fraction(q)
    return arb(fmpq(q.numerator, q.denominator))


def _act(name: str, x: arb) -> tuple[arb, arb]:
    if name == "tanh":
        t = x.tanh()
        return t, 1 - t * t
    if name == "sigmoid":
        s = 1 / (1 + (-x).exp())
        return s, s * (1 - s)
    if name == "identity":
        return x, arb(1)
    raise InvalidInputError(f"activation {name!r} is not allowed; use tanh, sigmoid or identity")


class Network:
    """A form-A network with exact recurrent matrix ``W`` and activation name.

    :meth:`run` returns the states ``x_0..x_T`` and the derivative vectors
    ``σ'(x_0)..σ'(x_{T})`` (balls); :meth:`gradient` the forward-mode ``dx_T/dθ``.
    """

    def __init__(self, W: Any, activation: str) -> None:
        self.Wq: ExactMatrix = as_exact(W, square=True)
        self.n = len(self.Wq)
        self.activation = activation
        _act(activation, arb(0))  # validate the name
        self.W = arb_mat([[to_arb(x) for x in r] for r in self.Wq])

    def run(self, x0: Sequence[Any], drives: Sequence[Sequence[Any]]):
        """States and ``σ'`` vectors for ``len(drives)`` steps."""
        x = [to_arb(v) for v in x0]
        xs, ds = [x], []
        for d in drives:
            pairs = [_act(self.activation, xi) for xi in x]
            ds.append([p[1] for p in pairs])
            s = self.W * arb_mat([[p[0]] for p in pairs])
            x = [s[i, 0] + to_arb(d[i]) for i in range(self.n)]
            xs.append(x)
        ds.append([_act(self.activation, xi)[1] for xi in x])
        return xs, ds

    def gradient(self, x0, drives, p: int, q: int):
        """``dx_t/dθ`` for ``θ = W[p][q]``, t = 0..T (list of column arb_mats), and the
        immediate partials ``c_t = ∂⁺x_t/∂θ`` (t = 1..T; index 0 is zero)."""
        xs, ds = self.run(x0, drives)
        n = self.n
        g = arb_mat([[0] for _ in range(n)])
        grads, cs = [g], [arb_mat([[0] for _ in range(n)])]
        for t in range(1, len(xs)):
            sig = _act(self.activation, xs[t - 1][q])[0]
            c = arb_mat([[sig if i == p else 0] for i in range(n)])
            J = self.W * arb_mat([[ds[t - 1][i] if i == j else 0 for j in range(n)]
                                  for i in range(n)])
            g = c + J * g
            grads.append(g)
            cs.append(c)
        return grads, cs, xs, ds


def jacobian_product(W: arb_mat, ds: Sequence[Sequence[arb]], t: int, k: int) -> arb_mat:
    """``∂x_t/∂x_k = J_t ⋯ J_{k+1}`` with ``J_j = W diag(ds[j-1])`` (largest index left).

    >>> W = arb_mat([[0, 1], [0, 0]])
    >>> jacobian_product(W, [[arb(1), arb(2)], [arb(3), arb(4)]], 1, 0).entries() == [0, 2, 0, 0]
    True
    """
    n = W.nrows()
    P = arb_mat([[int(i == j) for j in range(n)] for i in range(n)])
    for j in range(k + 1, t + 1):
        D = arb_mat([[ds[j - 1][i] if i == c else 0 for c in range(n)] for i in range(n)])
        P = W * D * P
    return P
