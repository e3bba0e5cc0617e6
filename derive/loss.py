"""Losses of an unrolled RNN: ``E_t = L(x_t)`` and ``E = Σ_{t=1}^{T} E_t`` (blog eq. 3).

Two losses (:data:`LOSSES`):

``generic``
    ``L`` is an undefined SymPy function of the n entries of the state; its partial
    derivatives ``∂L/∂x_i`` are *independent* undefined functions ``dL_i`` (modelled like
    ``sigma``/``dsigma`` in :mod:`derive.activations`: ``diff`` of ``L(...)`` produces
    ``dL_i(...)`` at the same arguments, so direct derivatives and closed forms meet in the
    same canonical terms).
``squared``
    ``L(x_t) = ½‖x_t − y_t‖²`` with target symbols ``y_{t,i}``.

In form B the loss is applied to the state ``h_t`` (``E_t = L(h_t)``). The state entering
the loss is always the one :meth:`derive.network.RNN.state` composes from step 0, so
``E_t`` is a function of the parameters, the inputs and ``x_0``.

>>> from derive.network import RNN
>>> net = RNN(2, 1, 2)
>>> loss("generic").value(net, 1).func
L
>>> a, b = sp.symbols("a b")
>>> L(a, b).diff(a)
dL_1(a, b)
>>> loss("squared").at(sp.Matrix([a, b]), 1)
(a - y_{1,1})**2/2 + (b - y_{1,2})**2/2
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import sympy as sp

from rnncore.errors import InvalidInputError

#: Names accepted by :func:`loss`.
LOSSES: tuple[str, ...] = ("generic", "squared")


@lru_cache(maxsize=None)
def dL(i: int) -> type[sp.Function]:
    """The undefined function ``dL_i`` = ∂L/∂x_i (1-based), independent of L and of the
    other partials.

    >>> dL(2)(sp.Symbol("a"), sp.Symbol("b"))
    dL_2(a, b)
    >>> dL(0)
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: partial index i=0 is not allowed; use an integer i >= 1
    """
    if isinstance(i, bool) or not isinstance(i, int) or i < 1:
        raise InvalidInputError(f"partial index i={i!r} is not allowed; use an integer i >= 1")
    return type(f"dL_{i}", (sp.Function,), {"__doc__": f"∂L/∂x_{i}: an undefined function."})


class L(sp.Function):
    """The generic loss L(x_1, …, x_n): undefined, ``diff`` in argument i gives ``dL_i``."""

    def fdiff(self, argindex=1):
        return dL(argindex)(*self.args)


@dataclass(frozen=True)
class Loss:
    """A loss ``E_t = L(x_t)`` by name (``generic`` or ``squared``)."""

    name: str
    note: str

    def at(self, x: sp.Matrix, t: int) -> sp.Expr:
        """``L`` at the state vector ``x`` (n × 1) of step ``t`` (t names the targets).

        >>> loss("generic").at(sp.Matrix([1, 2]), 1)
        L(1, 2)
        """
        if not isinstance(x, sp.MatrixBase) or x.shape[1] != 1 or x.shape[0] < 1:
            raise InvalidInputError(f"the loss needs a column vector n x 1, got {x!r}")
        if self.name == "generic":
            return L(*x)
        y = target(x.shape[0], t)
        return sum(((x[i] - y[i]) ** 2 for i in range(x.shape[0])), sp.Integer(0)) / 2

    def value(self, net, t: int) -> sp.Expr:
        """``E_t = L(x_t)`` with ``x_t`` composed from step 0 (1 <= t <= T).

        >>> from derive.network import RNN
        >>> loss("squared").value(RNN(1, 1, 1), 1)
        (b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}) - y_{1,1})**2/2
        """
        t = _check_loss_step(net, t)
        return self.at(_root(net).state(t), t)

    def total(self, net) -> sp.Expr:
        """``E = Σ_{t=1}^{T} E_t`` (blog eq. 3).

        >>> from derive.network import RNN
        >>> loss("generic").total(RNN(1, 1, 2)).func
        <class 'sympy.core.add.Add'>
        """
        return sp.Add(*(self.value(net, t) for t in range(1, net.T + 1)))

    def state_gradient(self, net, t: int) -> sp.Matrix:
        """``∂E_t/∂x_t`` as a 1 × n row (numerator layout), evaluated at the composed x_t:
        ``L`` is differentiated at free symbols, which are then replaced by x_t.

        >>> from derive.network import RNN
        >>> loss("generic").state_gradient(RNN(1, 1, 1), 1)
        Matrix([[dL_1(b_{1} + u_{1,1}*v_{1,1} + w_{1,1}*sigma(x_{0,1}))]])
        """
        t = _check_loss_step(net, t)
        root = _root(net)
        free = root.with_base(t).state_symbols(t)
        row = sp.Matrix([[self.at(free, t)]]).jacobian(free)
        return row.xreplace(dict(zip(free, root.state(t))))


def target(n: int, t: int) -> sp.Matrix:
    """The target ``y_t`` (n × 1) of the squared loss, symbols ``y_{t,i}``.

    >>> target(2, 3).T
    Matrix([[y_{3,1}, y_{3,2}]])
    """
    return sp.Matrix(n, 1, [sp.Symbol(f"y_{{{t},{i + 1}}}") for i in range(n)])


_LOSSES = {
    "generic": Loss("generic", "L undefined, with independent undefined partials dL_i"),
    "squared": Loss("squared", "L(x_t) = ½‖x_t − y_t‖², targets y_{t,i}"),
}


def loss(name: str) -> Loss:
    """The loss called ``name`` (one of :data:`LOSSES`).

    >>> loss("cross-entropy")
    Traceback (most recent call last):
    ...
    rnncore.errors.InvalidInputError: unknown loss 'cross-entropy'; use one of generic, squared
    """
    try:
        return _LOSSES[name]
    except (KeyError, TypeError):
        raise InvalidInputError(f"unknown loss {name!r}; use one of {', '.join(LOSSES)}") from None


def _root(net):
    """The network with step 0 as its base (x_0 independent of the parameters)."""
    return net if net.base == 0 else net.with_base(0)


def _check_loss_step(net, t) -> int:
    if isinstance(t, bool) or not isinstance(t, int) or not 1 <= t <= net.T:
        raise InvalidInputError(f"t={t!r} has no loss term; use 1 <= t <= T={net.T}")
    return t


__all__ = ["LOSSES", "Loss", "L", "dL", "loss", "target"]
