"""Unrolled recurrent networks with symbolic parameters.

Form A (blog eq. 2, paper eq. 2)::

    x_t = W_rec σ(x_{t-1}) + W_in u_t + b

Form B (the blog's NOTE, paper footnote 1)::

    h_t = σ(W_rec h_{t-1} + W_in u_t + b)

Symbols (1-based, as in the blog): ``w_{i,j}`` for W_rec (n×n), ``v_{i,j}`` for W_in
(n×m), ``b_{i}``, inputs ``u_{t,i}``, and the state at a base step k as ``x_{k,i}``
(form B: ``h_{k,i}``). States are built by composing the step function, so a derivative
of :meth:`RNN.state` is a derivative of the composed network, no chain rule assumed.

``D(j)`` is ``diag(σ'(z_j))`` at the argument σ is applied to: in form A ``z_j = x_j``
(σ(x_j) enters step j+1), in form B ``z_j = a_j = W_rec h_{j-1} + W_in u_j + b`` (the
pre-activation of step j).

>>> net = RNN(2, 1, 3)
>>> net.state(1)[0]
b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}) + w_{1,2}*sigma(x_{0,2})
>>> net.D(0)
Matrix([
[dsigma(x_{0,1}),               0],
[              0, dsigma(x_{0,2})]])
>>> net.with_base(2).state(2) == net.state_symbols(2)
True
"""
from __future__ import annotations

from functools import lru_cache

import sympy as sp

from rnncore.display import Displayable
from rnncore.errors import InvalidInputError
from rnncore.validate import check_size
from rnnmodel.activations import Activation
from rnnmodel.cells import FORMS, cell
from rnnmodel.exact import SYMPY

from .activations import activation as _activation_named

#: Form B's cell: its affine part is the pre-activation of either form's step.
CELL_B = cell("B")
#: Size budget for building a symbolic network (methods have their own, tighter ones).
MAX_N, MAX_M, MAX_T = 64, 16, 256


class RNN(Displayable):
    """An RNN of hidden size ``n``, input size ``m``, unrolled for ``T`` steps.

    ``activation`` is one of ``generic``, ``tanh``, ``sigmoid``, ``relu``; ``form`` is
    ``A`` or ``B``. ``base`` (default 0) is the step whose state is the free variable:
    :meth:`state` and :meth:`D` express everything through ``x_{base}``.

    >>> RNN(2, form="C")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown form 'C'; use 'A' (x_t = W_rec σ(x_{t-1}) + W_in u_t + b) or 'B' (h_t = σ(W_rec h_{t-1} + W_in u_t + b))
    """

    def __init__(self, n: int, m: int = 1, T: int = 3, activation: str = "generic",
                 form: str = "A", base: int = 0) -> None:
        budget = "the size budget of a symbolic network"
        self.n = check_size("n", n, MAX_N, budget)
        self.m = check_size("m", m, MAX_M, budget)
        self.T = check_size("T", T, MAX_T, budget)
        self.cell = cell(form)
        self.form = form
        self.act: Activation = _activation_named(activation)
        self.activation = self.act.name
        self.base = self._check_step("base", base)
        self.state_letter = self.cell.state_letter
        self.W_rec = sp.Matrix(n, n, [sp.Symbol(f"w_{{{i + 1},{j + 1}}}") for i in range(n) for j in range(n)])
        self.W_in = sp.Matrix(n, m, [sp.Symbol(f"v_{{{i + 1},{j + 1}}}") for i in range(n) for j in range(m)])
        self.b = sp.Matrix(n, 1, [sp.Symbol(f"b_{{{i + 1}}}") for i in range(n)])
        self._states: dict = {}  # step t -> the cell's Step (state and σ argument)

    # -- construction -------------------------------------------------------------
    def __repr__(self) -> str:
        return (f"RNN(n={self.n}, m={self.m}, T={self.T}, activation={self.activation!r}, "
                f"form={self.form!r}, base={self.base})")

    def with_base(self, k: int) -> "RNN":
        """The same network (same symbols) with the state at step ``k`` as variable.

        >>> RNN(2, T=3).with_base(4)
        Traceback (most recent call last):
        ...
        rnncore.errors.InvalidInputError: base=4 is not a step of this network; use 0 <= base <= T=3
        """
        other = RNN(self.n, self.m, self.T, self.activation, self.form, base=self._check_step("base", k))
        other.W_rec, other.W_in, other.b = self.W_rec, self.W_in, self.b
        return other

    def _check_step(self, name: str, t) -> int:
        if isinstance(t, bool) or not isinstance(t, int) or not 0 <= t <= self.T:
            raise InvalidInputError(
                f"{name}={t!r} is not a step of this network; use 0 <= {name} <= T={self.T}"
            )
        return t

    @property
    def W(self) -> sp.Matrix:
        """The stacked parameters ``[W_rec W_in b]`` (n × (n+m+1)) of blog eq. 2."""
        return self.W_rec.row_join(self.W_in).row_join(self.b)

    @property
    def parameters(self) -> dict[str, sp.Matrix]:
        """``{"W_rec": ..., "W_in": ..., "b": ...}``."""
        return {"W_rec": self.W_rec, "W_in": self.W_in, "b": self.b}

    def u(self, t: int) -> sp.Matrix:
        """The input ``u_t`` (m × 1), for 1 <= t <= T."""
        if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= self.T:
            raise InvalidInputError(f"t={t!r} has no input; use 1 <= t <= T={self.T}")
        return sp.Matrix(self.m, 1, [sp.Symbol(f"u_{{{t},{i + 1}}}") for i in range(self.m)])

    def state_symbols(self, k: int) -> sp.Matrix:
        """Free symbols ``x_{k,i}`` (form B: ``h_{k,i}``) standing for the state at step k."""
        self._check_step("k", k)
        return sp.Matrix(self.n, 1, [sp.Symbol(f"{self.state_letter}_{{{k},{i + 1}}}") for i in range(self.n)])

    def sigma(self, z):
        """σ applied elementwise to a matrix, or to a scalar."""
        return SYMPY.sigma(self.act, z)

    def dsigma(self, z):
        """σ' applied elementwise to a matrix, or to a scalar (the activation's identity)."""
        return SYMPY.dsigma(self.act, z)

    # -- the recursion: the model's cell in the SymPy arithmetic ------------------
    def _step(self, prev: sp.Matrix, t: int):
        return self.cell.step(SYMPY, self.act, self.parameters, (prev,), self.u(t))

    def preactivation(self, prev: sp.Matrix, t: int) -> sp.Matrix:
        """Form B's argument of σ at step t: ``W_rec h_{t-1} + W_in u_t + b``.

        >>> RNN(1, 1, 1, form="B").preactivation(sp.Matrix([sp.Symbol("h")]), 1)
        Matrix([[b_{1} + h*w_{1,1} + u_{1,1}*v_{1,1}]])
        """
        return CELL_B.step(SYMPY, self.act, self.parameters, (prev,), self.u(t)).sigma_argument

    def step(self, prev: sp.Matrix, t: int) -> sp.Matrix:
        """One step of the recursion, from the state at t−1 to the state at t.

        >>> RNN(1, 1, 1).step(sp.Matrix([sp.Symbol("x")]), 1)
        Matrix([[b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x)]])
        """
        return self._step(prev, t).state

    def state(self, t: int) -> sp.Matrix:
        """The state at step t >= base, composed from the base state's symbols."""
        self._check_step("t", t)
        if t < self.base:
            raise InvalidInputError(f"t={t} comes before the base step {self.base}; use t >= {self.base}")
        if t == self.base:
            return self.state_symbols(t)
        if t not in self._states:
            self._states[t] = self._step(self.state(t - 1), t)
        return self._states[t].state

    def sigma_argument(self, j: int) -> sp.Matrix:
        """The vector ``z_j`` of ``D(j) = diag(σ'(z_j))``: x_j (form A) or a_j (form B)."""
        if self.form == "A":
            return self.state(j)
        if j < 1 or j <= self.base:
            raise InvalidInputError(
                f"j={j}: form B's pre-activation a_j needs 1 <= j and j > base={self.base}"
            )
        self.state(j)
        return self._states[j].sigma_argument

    def D(self, j: int) -> sp.Matrix:
        """``diag(σ'(z_j))`` (see :meth:`sigma_argument`)."""
        return sp.diag(*self.dsigma(self.sigma_argument(j)))

    def identity(self) -> sp.Matrix:
        """The n × n identity (the empty product)."""
        return sp.eye(self.n)


@lru_cache(maxsize=256)
def cached_rnn(n: int, m: int = 1, T: int = 3, activation: str = "generic", form: str = "A",
               base: int = 0) -> RNN:
    """The shared :class:`RNN` of these arguments (built once: its symbols and composed
    states are reused; callers must not reassign its attributes).

    >>> cached_rnn(2, 1, 3) is cached_rnn(2, 1, 3)
    True
    """
    return RNN(n, m, T, activation, form, base)


def step_pairs(rnn, pairs=None) -> list[tuple[int, int]]:
    """The pairs ``(t, k)`` a Jacobian check covers: all ``0 <= k < t <= T`` (t ascending,
    k descending) when ``pairs`` is None, else the given pairs, validated.

    >>> step_pairs(RNN(1, T=2))
    [(1, 0), (2, 1), (2, 0)]
    >>> step_pairs(RNN(1, T=2), [(1, 2)])
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: pair (1, 2): k=2 > t=1; use 0 <= k <= t <= T=2
    """
    if pairs is None:
        return [(t, k) for t in range(1, rnn.T + 1) for k in range(t - 1, -1, -1)]
    out = []
    try:
        items = list(pairs)
    except TypeError:
        raise InvalidInputError(f"pairs={pairs!r} is not a list of (t, k) pairs") from None
    if not items:
        raise InvalidInputError("pairs=[] is empty; give at least one (t, k) or None for all pairs")
    for p in items:
        if not (isinstance(p, tuple) and len(p) == 2):
            raise InvalidInputError(f"pair {p!r} is not a (t, k) tuple")
        t, k = p
        for name, v in (("t", t), ("k", k)):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= rnn.T:
                raise InvalidInputError(
                    f"pair {p!r}: {name}={v!r} is not a step; use 0 <= {name} <= T={rnn.T}"
                )
        if k > t:
            raise InvalidInputError(f"pair {p!r}: k={k} > t={t}; use 0 <= k <= t <= T={rnn.T}")
        out.append((t, k))
    return out


__all__ = ["RNN", "FORMS", "step_pairs", "cached_rnn"]
